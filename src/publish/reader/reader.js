// Liveline reader: renders the live blog from the JSON Feed embedded in this
// page, loads older pages on request and polls feed.json for new updates.
// Feed text is untrusted, so everything is built with DOM calls and
// textContent: nothing from the feed is ever parsed as HTML.
(() => {
  'use strict';

  // Every visible string lives here, so translating the page touches one place.
  const TEXT = {
    live: 'Live', ended: 'Coverage ended', coverageEnded: 'This live coverage has ended.',
    lastUpdated: 'Last updated ', updated: 'Updated ', pinned: 'Pinned', keyEvent: 'Key event',
    correction: 'Correction:', credit: 'Credit: ', by: 'By ', and: ' and ',
    justNow: 'just now',
    minutesAgo: (n) => `${n} min ago`,
    hoursAgo: (n) => `${n} hr ago`,
    daysAgo: (n) => (n === 1 ? '1 day ago' : `${n} days ago`),
    newUpdates: (n) => (n === 1 ? '1 new update' : `${n} new updates`),
    shownUpdates: (n) => (n === 1 ? '1 new update shown' : `${n} new updates shown`),
    loadMore: 'Load more updates', loading: 'Loading…', retry: 'Try again',
    loadFailed: 'Could not load more updates. Check your connection and try again.',
    noFeed: 'The updates could not be loaded. Please reload the page.',
    timezone: (zone, offset) => `Times are ${zone} time${offset ? ` (UTC${offset})` : ''}.`,
    watch: (host) => `Watch on ${host}`,
    view: (host) => `View on ${host}`,
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  };

  const POLL_MS = 30000;
  const FEED_PATH = 'feed.json';
  const SIZES = '(min-width: 760px) 720px, 100vw';
  const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
  const VIDEO_HOSTS = /(^|\.)(youtube\.com|youtu\.be|vimeo\.com|dailymotion\.com)$/;

  const $ = (id) => document.getElementById(id);
  const ui = {
    title: $('blog-title'), standfirst: $('standfirst'), badge: $('status-badge'),
    updated: $('last-updated'), keyNav: $('key-events'), keyList: $('key-events-list'),
    pinned: $('pinned-entries'), entries: $('entries'), empty: $('empty'),
    newButton: $('new-updates'), announcer: $('announcer'), more: $('load-more'),
    moreError: $('load-error'), timezone: $('timezone-note'),
  };

  const state = {
    shown: new Map(), // id -> signature of the rendered version
    pending: new Map(), // id -> { item, base }: new entries behind the "N new updates" button
    retracted: new Set(),
    nextUrl: null, // the next older page, resolved against the page that named it
    loadedOlder: false,
    loading: false,
    polling: false,
    live: false,
    timezone: '',
    home: '', // the folder's public URL, from the first page
    lastPoll: 0,
    pollTimer: 0,
  };

  // ---- small helpers -------------------------------------------------------

  // An element with a class and children; strings become text nodes, never markup.
  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    node.append(...children.filter((c) => c != null).map((c) => (c instanceof Node ? c : String(c))));
    return node;
  }

  // Outside links open in a new tab and tell the target nothing about this page.
  function outLink(className, href, ...children) {
    return Object.assign(el('a', className, ...children), { href, rel: 'noopener noreferrer nofollow', target: '_blank' });
  }

  function toUrl(url, base) {
    if (typeof url !== 'string' || url === '') return null;
    try { return new URL(url, base); } catch { return null; }
  }

  // Links in the feed must be absolute and use a scheme that cannot run script.
  function linkHref(url) {
    const parsed = toUrl(url);
    return parsed && LINK_SCHEMES.has(parsed.protocol) ? parsed.href : null;
  }

  // Published with a base URL, the feed's media and page links are absolute,
  // naming where the folder will be served. This page sits in that folder, so
  // such a link is taken from beside the page: the same file, and a preview
  // or mirror of the folder then works without reaching the public site.
  function localize(parsed) {
    if (!parsed || !state.home || !parsed.href.startsWith(state.home)) return parsed;
    return toUrl(parsed.href.slice(state.home.length), document.baseURI);
  }

  // A page or media file named by the page JSON fetched from base (relative
  // names are relative to it). file: is allowed so that a folder opened from
  // disk still shows its pictures.
  function fileHref(url, base) {
    const parsed = localize(toUrl(url, base));
    const ok = parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:' || parsed.protocol === location.protocol);
    return ok ? parsed.href : null;
  }

  function extOf(item) {
    return (item && typeof item._liveline === 'object' && item._liveline) || {};
  }

  // ---- time ------------------------------------------------------------------
  // Times are shown as the feed writes them, in the blog's own offset: turning
  // them into the browser's zone would show readers a different clock from the
  // one the newsroom (and the story) uses.

  const STAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

  function parseStamp(text) {
    const m = STAMP.exec(typeof text === 'string' ? text : '');
    const ms = m ? Date.parse(text) : NaN;
    if (Number.isNaN(ms)) return null;
    const offset = m[6].toUpperCase() === 'Z' ? '+00:00' : m[6];
    return { ymd: `${m[1]}-${m[2]}-${m[3]}`, year: m[1], month: Number(m[2]), day: Number(m[3]), clock: `${m[4]}:${m[5]}`, offset, ms };
  }

  let zoneFormat = null;
  // Today's date where the blog is, so "today" does not depend on the reader's zone.
  function blogToday(stamp) {
    try {
      zoneFormat = zoneFormat || new Intl.DateTimeFormat('en', { timeZone: state.timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
      const parts = Object.fromEntries(zoneFormat.formatToParts(Date.now()).map((p) => [p.type, p.value]));
      return `${parts.year}-${parts.month}-${parts.day}`;
    } catch {
      // No or unknown zone name: the entry's own offset is the next best thing.
      const sign = stamp.offset[0] === '-' ? -1 : 1;
      const minutes = sign * (Number(stamp.offset.slice(1, 3)) * 60 + Number(stamp.offset.slice(4, 6)));
      return new Date(Date.now() + minutes * 60000).toISOString().slice(0, 10);
    }
  }

  // "Europe/London" reads as "London"; "UTC" stays as it is.
  function zoneName(zone) {
    return zone.split('/').pop().replace(/_/g, ' ');
  }

  function dateLabel(stamp) {
    const today = blogToday(stamp);
    if (stamp.ymd === today) return '';
    const label = `${stamp.day} ${TEXT.months[stamp.month - 1]}`;
    return stamp.year === today.slice(0, 4) ? label : `${label} ${stamp.year}`;
  }

  function ago(ms) {
    const minutes = Math.floor((Date.now() - ms) / 60000);
    if (minutes < 1) return TEXT.justNow;
    if (minutes < 60) return TEXT.minutesAgo(minutes);
    const hours = Math.floor(minutes / 60);
    return hours < 24 ? TEXT.hoursAgo(hours) : TEXT.daysAgo(Math.floor(hours / 24));
  }

  // <time> with the local clock, the date when it is not today, and optionally "5 min ago".
  function timeElement(text, className, withAgo) {
    const node = el('time', className);
    node.dateTime = typeof text === 'string' ? text : '';
    const stamp = parseStamp(text);
    if (!stamp) {
      node.textContent = node.dateTime;
      return node;
    }
    node.title = `${stamp.day} ${TEXT.months[stamp.month - 1]} ${stamp.year}, ${stamp.clock} (UTC${stamp.offset})`;
    node.append(el('span', 'clock', stamp.clock));
    const date = dateLabel(stamp);
    if (date) node.append(' ', el('span', 'date', date));
    if (withAgo) {
      const relative = el('span', 'ago', ago(stamp.ms));
      relative.dataset.ms = String(stamp.ms); // refreshed by refreshRelativeTimes
      node.append(' ', relative);
    }
    return node;
  }

  function refreshRelativeTimes() {
    for (const node of document.querySelectorAll('.ago[data-ms]')) node.textContent = ago(Number(node.dataset.ms));
  }

  // ---- blocks ------------------------------------------------------------------

  function renderParagraph(block) {
    const p = el('p');
    for (const span of Array.isArray(block.content) ? block.content : []) {
      if (!span || typeof span.text !== 'string') continue;
      let node = document.createTextNode(span.text);
      if (span.italic) node = el('em', null, node);
      if (span.bold) node = el('strong', null, node);
      const href = span.link != null ? linkHref(span.link) : null;
      p.append(href ? outLink(null, href, node) : node);
    }
    return p.childNodes.length ? p : null;
  }

  function renderQuote(block) {
    const attribution = block.attribution ? el('footer', null, '— ', el('cite', null, block.attribution)) : null;
    return el('blockquote', 'quote', el('p', null, block.text || ''), attribution);
  }

  // Embeds stay links: a third-party iframe would load outside content and
  // trackers into a page that promises to make no external requests.
  function renderEmbed(block) {
    const box = el('div', 'embed');
    if (block.intro) box.append(el('p', 'embed-intro', block.intro));
    const href = linkHref(block.url);
    const parsed = href && new URL(href);
    if (!parsed || parsed.protocol === 'mailto:') {
      box.append(el('p', 'embed-url', block.url || ''));
      return box;
    }
    const host = parsed.hostname.replace(/^www\./, '');
    const video = VIDEO_HOSTS.test(parsed.hostname);
    box.classList.toggle('is-video', video);
    const label = el('span', 'embed-label', video ? TEXT.watch(host) : TEXT.view(host));
    box.append(outLink('embed-link', href, el('span', 'embed-icon'), label, el('span', 'embed-url', href)));
    return box;
  }

  function srcset(list) {
    return list.map((r) => `${r.href} ${r.width}w`).join(', ');
  }

  // Average colour of a ThumbHash (its first bytes), painted while the photo loads.
  function placeholderColour(hash) {
    try {
      const bytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
      if (bytes.length < 5) return null;
      const header = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);
      const l = (header & 63) / 63;
      const p = ((header >> 6) & 63) / 31.5 - 1;
      const q = ((header >> 12) & 63) / 31.5 - 1;
      const b = l - (2 / 3) * p;
      const r = (3 * l - b + q) / 2;
      const g = r - q;
      const c = (v) => Math.round(255 * Math.min(1, Math.max(0, v)));
      return `rgb(${c(r)}, ${c(g)}, ${c(b)})`;
    } catch {
      return null;
    }
  }

  function renderPhoto(block, base) {
    const renditions = (Array.isArray(block.renditions) ? block.renditions : [])
      .map((r) => ({ href: fileHref(r && r.url, base), width: Number(r && r.width), mime: r && r.mime }))
      .filter((r) => r.href && r.width > 0)
      .sort((a, b) => a.width - b.width);
    const webp = renditions.filter((r) => r.mime === 'image/webp');
    const jpeg = renditions.filter((r) => r.mime === 'image/jpeg');
    const fallback = jpeg.length ? jpeg : webp;
    if (!fallback.length) return null;
    const figure = el('figure', 'photo');
    const picture = el('picture');
    if (jpeg.length && webp.length) picture.append(Object.assign(el('source'), { type: 'image/webp', srcset: srcset(webp), sizes: SIZES }));
    const mid = fallback.find((r) => r.width >= 720) || fallback[fallback.length - 1];
    const width = Number(block.width) || mid.width;
    const height = Number(block.height) || Math.round((mid.width * 9) / 16);
    // Keys in this order: loading must be set before src, or the fetch starts at once.
    // The caption describes the photo to everyone, so a missing alt stays empty.
    const img = Object.assign(el('img'), { loading: 'lazy', decoding: 'async', alt: block.alt || '', width, height });
    picture.append(img);
    // A tall photo at full column width would fill several screens: cap its
    // height at three quarters of the viewport, keeping the aspect ratio.
    if (height > width) img.style.width = `min(100%, ${((75 * width) / height).toFixed(2)}vh)`;
    const colour = placeholderColour(block.placeholder);
    if (colour) img.style.backgroundColor = colour;
    Object.assign(img, { sizes: SIZES, srcset: srcset(fallback), src: mid.href });
    figure.append(picture);
    const caption = block.caption ? el('span', 'caption', block.caption) : null;
    const credit = block.credit ? el('span', 'credit', TEXT.credit + block.credit) : null;
    if (caption || credit) figure.append(el('figcaption', null, caption, caption && credit ? ' ' : null, credit));
    return figure;
  }

  const RENDERERS = { paragraph: renderParagraph, quote: renderQuote, embed: renderEmbed, photo: renderPhoto };

  function renderBody(item, base) {
    const body = el('div', 'entry-body');
    const blocks = extOf(item).blocks;
    if (Array.isArray(blocks)) {
      for (const block of blocks) {
        const render = block && RENDERERS[block.type];
        const node = render ? render(block, base) : null; // unknown types: newer feed, skip
        if (node) body.append(node);
      }
    } else if (typeof item.content_text === 'string') {
      // A feed without blocks still has plain text: one paragraph per blank line.
      for (const part of item.content_text.split(/\n\s*\n/)) if (part.trim()) body.append(el('p', null, part.trim()));
    }
    return body;
  }

  // ---- entries -----------------------------------------------------------------

  // What makes a rendered entry stale: an edit, a move, or a change of flags.
  function signature(item) {
    const ext = extOf(item);
    return [item.date_modified, ext.position, !!ext.pinned, !!ext.key_event].join('|');
  }

  function renderEntry(item, base) {
    const ext = extOf(item);
    const article = el('article', 'entry');
    article.id = `entry-${item.id}`;
    article.tabIndex = -1; // a target for key-event links and focus after loading
    article.dataset.position = typeof ext.position === 'string' ? ext.position : '';
    article.classList.toggle('is-pinned', !!ext.pinned);
    article.classList.toggle('is-key', !!ext.key_event);

    const meta = el('div', 'entry-meta');
    meta.append(timeElement(item.date_published, 'entry-time', true));
    if (ext.pinned) meta.append(el('span', 'flag flag-pinned', TEXT.pinned));
    if (ext.key_event) meta.append(el('span', 'flag flag-key', TEXT.keyEvent));
    const published = parseStamp(item.date_published);
    const modified = parseStamp(item.date_modified);
    if (published && modified && modified.ms - published.ms >= 60000) {
      meta.append(el('span', 'entry-updated', TEXT.updated, timeElement(item.date_modified, null, false)));
    }
    article.append(meta);

    if (item.title) {
      const title = el('h2', 'entry-title', item.title);
      title.id = `entry-${item.id}-title`;
      article.setAttribute('aria-labelledby', title.id);
      article.append(title);
    }
    article.append(renderBody(item, base));

    const names = (Array.isArray(item.authors) ? item.authors : []).map((a) => a && a.name).filter(Boolean);
    if (names.length) {
      const list = names.length > 1 ? `${names.slice(0, -1).join(', ')}${TEXT.and}${names[names.length - 1]}` : names[0];
      article.append(el('p', 'byline', TEXT.by + list));
    }
    if (ext.correction_note) {
      const note = el('div', 'correction', el('strong', null, TEXT.correction), ' ', el('span', null, ext.correction_note));
      note.setAttribute('role', 'note');
      article.append(note);
    }
    return article;
  }

  function listFor(article) {
    return article.classList.contains('is-pinned') ? ui.pinned : ui.entries;
  }

  // Positions sort in editorial order (top first); an entry without one goes on top.
  function place(article) {
    const list = listFor(article);
    const pos = article.dataset.position;
    let before = list.firstElementChild;
    if (pos) {
      before = null;
      for (const other of list.children) {
        if (other.dataset.position > pos) { before = other; break; }
      }
    }
    list.insertBefore(article, before);
  }

  function addEntry(item, base, how) {
    const article = renderEntry(item, base);
    if (how === 'append') listFor(article).append(article);
    else place(article);
    state.shown.set(item.id, signature(item));
    return article;
  }

  function updateEntry(item, base) {
    const old = $(`entry-${item.id}`);
    const article = renderEntry(item, base);
    if (old && old.dataset.position === article.dataset.position && listFor(old) === listFor(article)) {
      old.replaceWith(article);
    } else {
      if (old) old.remove();
      place(article);
    }
    state.shown.set(item.id, signature(item));
  }

  function removeEntry(id) {
    const node = $(`entry-${id}`);
    if (node) node.remove();
    state.shown.delete(id);
    state.pending.delete(id);
  }

  function validItem(item) {
    return item && typeof item.id === 'string' && item.id !== '' && !state.retracted.has(item.id);
  }

  // ---- header, key events, status ----------------------------------------------

  function renderHeader(feed) {
    const ext = feed._liveline || {};
    state.live = ext.status ? ext.status === 'live' : !feed.expired;
    if (typeof ext.timezone === 'string' && ext.timezone !== state.timezone) {
      state.timezone = ext.timezone;
      zoneFormat = null;
    }
    if (typeof feed.title === 'string' && feed.title) {
      ui.title.textContent = feed.title;
      document.title = feed.title;
    }
    if (typeof feed.description === 'string') ui.standfirst.textContent = feed.description;
    ui.badge.textContent = state.live ? TEXT.live : TEXT.ended;
    ui.badge.className = state.live ? 'badge badge-live' : 'badge badge-ended';
    ui.badge.hidden = false;

    // "Last updated": the newest edit on the page, else when the feed was written.
    let newest = null;
    for (const item of Array.isArray(feed.items) ? feed.items : []) {
      const stamp = parseStamp(item && item.date_modified);
      if (stamp && (!newest || stamp.ms > newest.ms)) newest = { ms: stamp.ms, text: item.date_modified };
    }
    const when = newest ? newest.text : ext.generated_at;
    ui.updated.replaceChildren();
    if (parseStamp(when)) ui.updated.append(TEXT.lastUpdated, timeElement(when, null, false));
    const offset = parseStamp(ext.generated_at || when);
    ui.timezone.textContent = state.timezone ? TEXT.timezone(zoneName(state.timezone), offset ? offset.offset : '') : '';
    renderKeyEvents(Array.isArray(ext.key_events) ? ext.key_events : []);
  }

  function renderKeyEvents(events) {
    const items = events.filter((ev) => ev && typeof ev.id === 'string' && !state.retracted.has(ev.id)).map((ev) => {
      const link = el('a', null, timeElement(ev.date_published, 'key-time', false), el('span', 'key-title', ev.title || ''));
      link.href = `#entry-${ev.id}`;
      return el('li', null, link);
    });
    ui.keyList.replaceChildren(...items);
    ui.keyNav.hidden = items.length === 0;
    // The wide layout gives key events a column; without them it is one column.
    document.body.classList.toggle('has-key-events', items.length > 0);
  }

  function refreshChrome() {
    ui.empty.hidden = state.shown.size > 0;
    ui.more.parentElement.hidden = !state.nextUrl;
    const count = state.pending.size;
    ui.newButton.hidden = count === 0;
    ui.newButton.textContent = TEXT.newUpdates(count);
  }

  function announce(text) {
    ui.announcer.textContent = text;
  }

  // ---- loading older pages -----------------------------------------------------

  async function fetchPage(url, cache) {
    const response = await fetch(url, { cache, credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
    const page = await response.json();
    if (!page || !Array.isArray(page.items)) throw new Error(`not a feed page: ${url}`);
    return page;
  }

  function setLoading(on) {
    state.loading = on;
    // aria-disabled, not disabled: a disabled button drops keyboard focus.
    ui.more.setAttribute('aria-disabled', String(on));
    ui.more.setAttribute('aria-busy', String(on));
    if (on) ui.more.textContent = TEXT.loading;
  }

  // Appends the next older page; resolves to its first new article, null if
  // it added none, or false if the fetch failed.
  async function loadMore() {
    if (state.loading || !state.nextUrl) return null;
    const url = state.nextUrl;
    setLoading(true);
    ui.moreError.hidden = true;
    try {
      // Older pages keep their bytes until one of their entries changes: revalidate, don't refetch.
      const page = await fetchPage(url, 'no-cache');
      let first = null;
      for (const item of page.items) {
        if (!validItem(item) || state.shown.has(item.id)) continue;
        state.pending.delete(item.id);
        const article = addEntry(item, url, 'append');
        first = first || article;
      }
      state.nextUrl = fileHref(page.next_url, url);
      state.loadedOlder = true;
      ui.more.textContent = TEXT.loadMore;
      return first;
    } catch {
      ui.more.textContent = TEXT.retry;
      ui.moreError.textContent = TEXT.loadFailed;
      ui.moreError.hidden = false;
      return false;
    } finally {
      setLoading(false);
      refreshChrome();
    }
  }

  async function onLoadMore() {
    const first = await loadMore();
    // Keyboard users continue reading where the button was, at the first new entry.
    if (first) first.focus({ preventScroll: true });
  }

  // A key event (or a shared link) may point at an entry on an older page:
  // load pages until it appears, then go there.
  async function goToEntry(anchor, focus) {
    if (!$(anchor)) showPending(false);
    for (let pages = 0; !$(anchor) && state.nextUrl && pages < 100; pages++) {
      if ((await loadMore()) === false) return;
    }
    const target = $(anchor);
    if (!target) return;
    if (location.hash !== `#${anchor}`) history.pushState(null, '', `#${anchor}`);
    target.scrollIntoView();
    if (focus) target.focus({ preventScroll: true });
  }

  function onKeyEventClick(event) {
    const link = event.target.closest('a[href^="#entry-"]');
    if (!link) return;
    const anchor = link.hash.slice(1);
    if ($(anchor)) return; // already on the page: the browser jumps to it
    event.preventDefault();
    goToEntry(anchor, true);
  }

  // ---- polling -------------------------------------------------------------------

  function applyFirstPage(feed, base) {
    const ext = feed._liveline || {};
    // The folder's public address: home_page_url, else the folder of feed_url.
    const home = toUrl('./', feed.home_page_url || feed.feed_url || 'about:blank');
    state.home = home && /^https?:$/.test(home.protocol) ? home.href : state.home;
    state.retracted = new Set(Array.isArray(ext.retracted) ? ext.retracted : []);
    for (const id of state.retracted) removeEntry(id);
    const wasLive = state.live;
    renderHeader(feed);
    // Once older pages are loaded we follow their chain; before that the
    // newest first page decides where "Load more" starts.
    if (!state.loadedOlder) state.nextUrl = fileHref(feed.next_url, base);
    for (const item of feed.items) {
      if (!validItem(item)) continue;
      const shown = state.shown.get(item.id);
      if (shown === undefined) state.pending.set(item.id, { item, base });
      else if (shown !== signature(item)) updateEntry(item, base);
    }
    // Nothing to read yet, or nothing to jump over: show new entries at once.
    if (state.shown.size === 0) showPending(false);
    else if (state.pending.size) announce(TEXT.newUpdates(state.pending.size));
    if (!state.live) {
      clearTimeout(state.pollTimer);
      if (wasLive) announce(TEXT.coverageEnded);
    }
    refreshChrome();
  }

  function showPending(moveFocus) {
    // The first render keeps the feed's order as is; later arrivals are placed
    // by position, oldest first so that without positions each lands on top.
    const fresh = state.shown.size === 0;
    const waiting = [...state.pending.values()];
    if (!fresh) waiting.reverse();
    state.pending.clear();
    const added = waiting.map(({ item, base }) => addEntry(item, base, fresh ? 'append' : 'place'));
    refreshChrome();
    if (moveFocus && added.length) {
      announce(TEXT.shownUpdates(added.length));
      // Take the reader to the highest of the new entries on the page.
      const first = added.reduce((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING ? b : a));
      first.scrollIntoView({ block: 'start' });
      first.focus({ preventScroll: true });
    }
  }

  function schedulePoll() {
    clearTimeout(state.pollTimer);
    if (state.live) state.pollTimer = setTimeout(poll, POLL_MS);
  }

  async function poll() {
    // A hidden tab does not poll; visibilitychange starts again when it is seen.
    if (!state.live || state.polling || document.hidden) return;
    state.polling = true;
    state.lastPoll = Date.now();
    try {
      const url = new URL(FEED_PATH, document.baseURI).href;
      applyFirstPage(await fetchPage(url, 'no-store'), url);
    } catch {
      // A dropped connection or a half-written deploy: the next poll will do.
    } finally {
      state.polling = false;
      schedulePoll();
    }
  }

  function onVisibilityChange() {
    if (!document.hidden && state.live && Date.now() - state.lastPoll >= POLL_MS) poll();
  }

  // ---- start ---------------------------------------------------------------------

  function start(feed, base) {
    applyFirstPage(feed, base);
    state.lastPoll = Date.now();
    schedulePoll();
    const anchor = location.hash.slice(1);
    if (anchor.startsWith('entry-')) goToEntry(anchor, false);
  }

  ui.more.addEventListener('click', onLoadMore);
  ui.newButton.addEventListener('click', () => showPending(true));
  ui.keyList.addEventListener('click', onKeyEventClick);
  document.addEventListener('visibilitychange', onVisibilityChange);
  setInterval(refreshRelativeTimes, POLL_MS);

  let inline = null;
  try {
    inline = JSON.parse($('liveline-feed').textContent);
  } catch {
    // Only a damaged page gets here: say so rather than show an empty blog.
  }
  if (inline && Array.isArray(inline.items)) {
    start(inline, document.baseURI);
  } else {
    ui.empty.textContent = TEXT.noFeed;
    ui.empty.hidden = false;
  }
})();
