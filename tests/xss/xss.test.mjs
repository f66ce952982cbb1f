// XSS suite: every payload of payloads.txt through every text field of a
// blog, published with the real CLI, then checked as data (feed.json,
// liveblog.jsonld) and in headless Chromium (index.html, older pages, and a
// host page that inlines content_html and liveblog.jsonld the way a site would).
//
//   node tests/xss/xss.test.mjs BIN      (run.sh passes target/debug/liveline)
//
// Env: CHROMIUM (browser path, default /usr/bin/chromium), XSS_KEEP=1 keeps
// the work folder and prints its path.
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../reader/serve.mjs';

// puppeteer-core comes from tests/reader's node_modules: one install for both.
const here = path.dirname(fileURLToPath(import.meta.url));
const puppeteer = createRequire(path.join(here, '../reader/package.json'))('puppeteer-core');

const TIMEOUT_MS = 300000;
const PAGE_SIZE = 20;
const given = process.argv[2];
if (!given) {
  console.error('usage: node xss.test.mjs BIN');
  process.exit(2);
}
const photo = path.resolve(here, '../../../shared/photos/cups.jpg');

let browser = null;
let passed = 0;
let failed = 0;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'liveline-xss-'));
const db = path.join(work, 'xss.db');
// A copy of the binary (made in main): a build running meanwhile cannot
// swap it mid-suite.
const bin = path.join(work, 'liveline');

function cleanup() {
  if (process.env.XSS_KEEP) console.log(`# work folder kept: ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}

// Whatever happens, never hang: kill the browser and fail.
const watchdog = setTimeout(() => {
  console.log(`FAIL timeout: the suite did not finish within ${TIMEOUT_MS / 1000} s`);
  try { browser?.process()?.kill('SIGKILL'); } catch { /* already gone */ }
  cleanup();
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, TIMEOUT_MS);

function check(ok, what, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
  return ok;
}

const short = (text, n = 60) => {
  const s = JSON.stringify(String(text));
  return s.length > n ? `${s.slice(0, n - 1)}…"` : s;
};

// ---- payloads -------------------------------------------------------------

function loadPayloads() {
  const lines = fs.readFileSync(path.join(here, 'payloads.txt'), 'utf8').split('\n');
  return lines
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line, i) => ({
      id: `p${String(i + 1).padStart(2, '0')}`,
      text: line.replace(/⟦U\+([0-9A-Fa-f]{4,6})⟧/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16))),
    }));
}

// Base URLs for a publish: refused, or made harmless by URL parsing.
const BASE_URLS = [
  `https://xss.invalid/a'b"c<d>e(alert('base-quotes'))/`,
  `https://xss.invalid/</script><script>alert('base-breakout')</script>/`,
  `javascript:alert('base-js')//`,
  `data:text/html,<script>alert('base-data')</script>`,
  `https://xss.invalid/?q=<script>alert('base-query')</script>`,
  `http://"onmouseover="alert('base-host')/`,
];

const hasControl = (text) => /[\u0000-\u001f\u007f-\u009f]/.test(text);
// What the store keeps of a typed line: trimmed (Rust and JS trim the same set).
const stored = (text) => text.trim();
// Markdown with every ASCII punctuation character escaped: the text as is.
const mdEscape = (text) => text.replace(/[!-/:-@[-`{-~]/g, '\\$&').replace(/\n+/g, ' ').trim();
// A body paragraph as the feed holds it: line breaks become spaces (and a NUL,
// should one get through, U+FFFD as CommonMark says).
const asParagraph = (text) => text.replace(/\0/g, '\uFFFD').replace(/[ \t\n]+/g, ' ').trim();

// ---- the CLI --------------------------------------------------------------

function cli(args, input) {
  if (args.some((a) => a.includes('\0'))) return { status: 'unenterable', message: 'NUL cannot be passed in a command-line argument' };
  const run = spawnSync(bin, ['--db', db, '--json', ...args], {
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, LIVELINE_USER: 'xss-suite' },
    timeout: 60000,
    maxBuffer: 64 << 20,
  });
  if (run.error) throw run.error;
  if (run.status === 0) return { status: 'accepted', json: run.stdout.trim() ? JSON.parse(run.stdout) : null };
  let error = null;
  try { error = JSON.parse(run.stderr.trim().split('\n').pop()).error; } catch { /* not JSON */ }
  // A refusal is an invalid_input error line and exit 1; anything else (a
  // panic is 101) is a crash.
  const clean = run.status === 1 && error?.code === 'invalid_input';
  return { status: clean ? 'refused' : 'crashed', message: error?.message ?? `exit ${run.status}: ${run.stderr.trim().slice(0, 300)}` };
}

function must(result, what) {
  if (result.status !== 'accepted') throw new Error(`${what}: ${result.status}: ${result.message}`);
  return result.json;
}

// ---- building the blogs ---------------------------------------------------

// The main blog: one entry per payload carrying it in every entry field.
function buildMatrix(payloads) {
  must(cli(['blog', 'create', 'XSS matrix', '--slug', 'xss-matrix', '--summary', 'Every payload in every entry field', '--timezone', 'UTC']), 'create the matrix blog');
  const fields = new Map(); // payload id -> { field: { status, message } }
  const entries = new Map(); // payload id -> entry id
  for (const [i, p] of payloads.entries()) {
    const raw = `${mdEscape(p.text)}\n\n${p.text}`;
    const result = {};
    let entry = null;
    // All in one go first; field by field when something is refused.
    const all = cli(['entry', 'add', 'xss-matrix', '--title', p.text, '--author', p.text, '--body-file', '-', '--publish'], raw);
    if (all.status === 'accepted') {
      entry = all.json.id;
      result.title = result.author = result.body = { status: 'accepted', kept: 'raw' };
    } else {
      // The body as typed, else only its escaped paragraph, else none.
      for (const [body, kept] of [[raw, 'raw'], [mdEscape(p.text), 'escaped'], [null, 'none']]) {
        const args = ['entry', 'add', 'xss-matrix', '--title', `${p.id} title`, '--publish'];
        const added = cli(body == null ? args : [...args, '--body-file', '-'], body ?? '');
        if (added.status === 'accepted') {
          entry = added.json.id;
          result.body = { ...(result.body ?? { status: 'accepted' }), kept };
          break;
        }
        result.body ??= added; // why the body as typed was refused
        if (added.status === 'crashed') break;
      }
      if (!entry) throw new Error(`${p.id}: no entry could be added`);
      result.title = cli(['entry', 'edit', entry, '--title', p.text]);
      result.author = cli(['entry', 'edit', entry, '--author', p.text]);
    }
    const added = cli(['photo', 'add', entry, photo, '--credit', p.text, '--caption', p.text, '--alt', p.text]);
    if (added.status === 'accepted') {
      result.credit = result.caption = result.alt = { status: 'accepted' };
    } else {
      const id = must(cli(['photo', 'add', entry, photo, '--credit', `${p.id} credit`]), `${p.id}: add a photo`).id;
      for (const field of ['credit', 'caption', 'alt']) result[field] = cli(['photo', 'edit', id, `--${field}`, p.text]);
    }
    result.note = cli(['entry', 'edit', entry, '--note', p.text]);
    if (i % 6 === 0) must(cli(['entry', 'key', entry]), `${p.id}: key event`);
    if (i === 2) must(cli(['entry', 'pin', entry]), `${p.id}: pin`);
    fields.set(p.id, result);
    entries.set(p.id, entry);
  }
  return { fields, entries };
}

// A blog per payload for the blog's own fields (title, summary).
function buildBlogs(payloads) {
  const blogs = [];
  for (const p of payloads) {
    const result = {};
    let blog = null;
    const both = cli(['blog', 'create', p.text, '--summary', p.text, '--timezone', 'UTC']);
    if (both.status === 'accepted') {
      blog = both.json;
      result.title = result.summary = { status: 'accepted' };
    } else {
      result.title = cli(['blog', 'create', p.text, '--timezone', 'UTC']);
      if (result.title.status === 'accepted') blog = result.title.json;
      result.summary = cli(['blog', 'create', `Blog ${p.id}`, '--summary', p.text, '--timezone', 'UTC']);
      if (!blog && result.summary.status === 'accepted') blog = result.summary.json;
    }
    if (!blog) {
      blogs.push({ payload: p, result, blog: null, out: null });
      continue;
    }
    const out = path.join(work, `blog-${p.id}`);
    must(cli(['publish', blog.slug, '--out', out]), `${p.id}: publish its blog`);
    blogs.push({ payload: p, result, blog, out });
  }
  return blogs;
}

// Fields that only take well-formed values: a payload must be refused, or
// come out as a harmless value.
function tryStrictFields(payloads) {
  const outcome = { slug: [], language: [], timezone: [] };
  const shapes = { slug: /^[a-z0-9]+(-[a-z0-9]+)*$/, language: /^[A-Za-z0-9-]+$/, timezone: /^[A-Za-z0-9_+/-]+$/ };
  for (const p of payloads) {
    for (const field of Object.keys(outcome)) {
      const r = cli(['blog', 'create', `Attempt ${p.id}`, `--${field}`, p.text]);
      const value = r.status === 'accepted' ? r.json[field] : null;
      outcome[field].push({ payload: p, status: r.status, value, message: r.message, ok: r.status === 'refused' || r.status === 'unenterable' || (r.status === 'accepted' && shapes[field].test(value)) });
    }
  }
  return outcome;
}

// A blog whose output shows what the reader itself puts in a page.
function buildHarmless() {
  must(cli(['blog', 'create', 'Harmless coverage', '--slug', 'harmless', '--summary', 'A calm day.', '--timezone', 'UTC']), 'harmless blog');
  const body = 'Hello **bold** and *italic* with [a link](https://example.com/) and [mail](mailto:desk@example.com).\n\n'
    + '> A calm quote.\n> — Someone\n\nWatch this:\n\nhttps://www.youtube.com/watch?v=abc\n\nhttps://example.com/page';
  const first = must(cli(['entry', 'add', 'harmless', '--title', 'Opening', '--author', 'Ana Ruiz', '--body', body, '--publish']), 'harmless entry');
  must(cli(['photo', 'add', first.id, photo, '--credit', 'Ana Ruiz', '--caption', 'Cups', '--alt', 'Cups on a table']), 'harmless photo');
  must(cli(['entry', 'edit', first.id, '--note', 'Corrected a name.']), 'harmless note');
  must(cli(['entry', 'key', first.id]), 'harmless key');
  const second = must(cli(['entry', 'add', 'harmless', '--title', 'Second', '--body', 'Plain.', '--publish']), 'harmless entry 2');
  must(cli(['entry', 'pin', second.id]), 'harmless pin');
  must(cli(['entry', 'add', 'harmless', '--title', 'Third', '--body', 'More.', '--publish']), 'harmless entry 3');
  const out = path.join(work, 'harmless');
  must(cli(['publish', 'harmless', '--out', out, '--page-size', '1']), 'publish harmless');
  return out;
}

// ---- reading a published folder -------------------------------------------

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// feed.json and the older pages it chains to, in chain order.
function readPages(dir) {
  const pages = [];
  let name = 'feed.json';
  const seen = new Set();
  while (name && !seen.has(name)) {
    seen.add(name);
    const page = readJson(path.join(dir, name));
    pages.push({ name, page });
    name = page.next_url ? path.basename(new URL(page.next_url, 'http://folder.invalid/').pathname) : null;
  }
  return pages;
}

const allItems = (pages) => pages.flatMap((p) => p.page.items);
const photosOf = (item) => (item._liveline?.blocks ?? []).filter((b) => b.type === 'photo');
const paragraphsOf = (item) => (item._liveline?.blocks ?? []).filter((b) => b.type === 'paragraph')
  .map((b) => b.content.map((s) => s.text).join(''));

// ---- browser-side inspection ------------------------------------------------
// These functions run in the page (puppeteer serializes them): no closures.

// Everything that could run or leak in a document, plus the text it shows.
function inspectDocument() {
  const SAFE = new Set(['http:', 'https:', 'mailto:']);
  const URL_ATTRS = ['href', 'src', 'srcset', 'action', 'formaction', 'data', 'poster', 'background', 'xlink:href', 'ping', 'cite', 'srcdoc'];
  const handlers = [];
  const badUrls = [];
  const badStyles = [];
  const tags = {};
  for (const node of document.querySelectorAll('*')) {
    const tag = node.tagName.toLowerCase();
    tags[tag] = (tags[tag] || 0) + 1;
    for (const attr of node.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) handlers.push(`${tag}[${name}]`);
      if (name === 'style' && /url\s*\(|expression|javascript|@import/i.test(attr.value)) badStyles.push(`${tag}[style=${attr.value.slice(0, 60)}]`);
      if (!URL_ATTRS.includes(name)) continue;
      if (name === 'srcdoc') { badUrls.push(`${tag}[srcdoc]`); continue; }
      const values = name === 'srcset' ? attr.value.split(',').map((s) => s.trim().split(/\s+/)[0]) : [attr.value];
      for (const value of values) {
        let protocol = 'bad:';
        try { protocol = new URL(value, document.baseURI).protocol; } catch { /* unparsable */ }
        if (!SAFE.has(protocol)) badUrls.push(`${tag}[${name}=${value.slice(0, 60)}]`);
      }
    }
  }
  const scripts = [...document.querySelectorAll('script')].map((s) => ({
    type: s.type, id: s.id, src: s.getAttribute('src'), text: s.type === 'application/json' || s.type === 'application/ld+json' ? null : s.textContent,
  }));
  const text = (sel, root = document) => root.querySelector(sel)?.textContent ?? null;
  const articles = [...document.querySelectorAll('article')].map((a) => ({
    id: a.id,
    title: text('.entry-title', a),
    byline: text('.byline', a),
    correction: text('.correction span', a),
    body: text('.entry-body', a),
    photos: [...a.querySelectorAll('figure')].map((f) => ({
      alt: f.querySelector('img')?.getAttribute('alt') ?? null,
      caption: text('.caption', f),
      credit: text('.credit', f),
    })),
  }));
  return {
    xss: typeof window.__xss === 'undefined' ? null : String(window.__xss),
    handlers, badUrls, badStyles, tags, scripts, articles,
    h1: text('h1'), standfirst: text('#standfirst'), docTitle: document.title,
    keyTitles: [...document.querySelectorAll('.key-title')].map((n) => n.textContent),
    cspViolations: window.__cspViolations || [],
  };
}

// The static page as written (before any script): parsed by the browser's
// own HTML parser in an inert document.
function inspectStatic(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return {
    lang: doc.documentElement.getAttribute('lang'),
    title: doc.querySelector('title')?.textContent ?? null,
    h1: doc.querySelector('h1')?.textContent ?? null,
    standfirst: doc.getElementById('standfirst')?.textContent ?? null,
    inlineFeed: doc.getElementById('liveline-feed')?.textContent ?? null,
    scripts: [...doc.querySelectorAll('script')].map((s) => ({ type: s.type, id: s.id, src: s.getAttribute('src'), length: s.textContent.length })),
    handlers: [...doc.querySelectorAll('*')].flatMap((n) => [...n.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${n.tagName}[${a.name}]`)),
  };
}

// content_html by the browser's parser, as a site inserting it would get it.
function inspectContent(htmls) {
  const TAGS = new Set(['p', 'strong', 'em', 'a', 'blockquote', 'footer', 'cite', 'figure', 'figcaption', 'picture', 'source', 'img', 'span']);
  const ATTRS = {
    a: ['href', 'rel'], source: ['srcset', 'type', 'sizes'], img: ['src', 'srcset', 'sizes', 'width', 'height', 'alt', 'loading', 'decoding'],
    p: ['class'], span: ['class'], figure: ['class'],
  };
  const SAFE = new Set(['http:', 'https:', 'mailto:']);
  const parse = (html) => new DOMParser().parseFromString(`<!DOCTYPE html><body>${html}`, 'text/html').body;
  return htmls.map((html) => {
    const issues = [];
    if (/<\s*\/?\s*script/i.test(html)) issues.push('"<script" in the text');
    const body = parse(html);
    for (const node of body.querySelectorAll('*')) {
      const tag = node.tagName.toLowerCase();
      if (!TAGS.has(tag) || node.namespaceURI !== 'http://www.w3.org/1999/xhtml') issues.push(`element <${tag}>`);
      for (const attr of node.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on')) issues.push(`${tag}[${name}]`);
        else if (!(ATTRS[tag] || []).includes(name)) issues.push(`${tag}[${name}] not allowed`);
        if (['href', 'src', 'srcset'].includes(name)) {
          const values = name === 'srcset' ? attr.value.split(',').map((s) => s.trim().split(/\s+/)[0]) : [attr.value];
          for (const value of values) {
            let protocol = 'bad:';
            try { protocol = new URL(value, 'https://site.example/live/').protocol; } catch { /* unparsable */ }
            if (!SAFE.has(protocol)) issues.push(`${tag}[${name}=${value.slice(0, 50)}]`);
          }
        }
      }
    }
    // Mutation XSS: serializing and parsing again must not change the tree.
    const once = body.innerHTML;
    if (parse(once).innerHTML !== once) issues.push('changes when parsed again');
    return {
      issues,
      text: body.textContent,
      alts: [...body.querySelectorAll('img')].map((i) => i.getAttribute('alt')),
      captions: [...body.querySelectorAll('.liveline-caption')].map((s) => s.textContent),
      credits: [...body.querySelectorAll('.liveline-credit')].map((s) => s.textContent),
    };
  });
}

// ---- browser ----------------------------------------------------------------

// Opens url in a fresh page and watches for anything a payload would do.
async function openWatched(url, { bypassCsp = false, home = null } = {}) {
  const page = await browser.newPage();
  const seen = { dialogs: [], foreign: [], hits: [], pageErrors: [], console: [] };
  const origin = new URL(url).origin;
  await page.setBypassCSP(bypassCsp);
  page.on('dialog', async (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => seen.pageErrors.push(String(error?.message ?? error)));
  page.on('console', (m) => {
    if (m.text().startsWith('__XSS_DIALOG__ ')) seen.dialogs.push(m.text().slice(15));
    else if (m.type() === 'error') seen.console.push(m.text());
  });
  page.on('request', (request) => {
    const u = request.url();
    if (/xss-hit|xss\.invalid/i.test(u) && !(home && u.startsWith(home))) seen.hits.push(u);
    if (u.startsWith('data:')) return;
    let o = '';
    try { o = new URL(u).origin; } catch { /* foreign */ }
    if (o !== origin && !(home && u.startsWith(home))) seen.foreign.push(u);
  });
  await page.evaluateOnNewDocument(() => {
    // alert() and friends are recorded, not shown: a real dialog can stall a
    // page (<input autofocus onfocus=alert()> alerts for ever). The 'dialog'
    // listener above still catches any that gets past this.
    window.__alerts = [];
    for (const name of ['alert', 'confirm', 'prompt', 'print']) {
      window[name] = (...args) => {
        const text = `${name}: ${args.map(String).join(' ')}`;
        window.__alerts.push(text);
        console.debug(`__XSS_DIALOG__ ${text}`);
      };
    }
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  // Injected markup can keep a page from ever finishing: wait for the
  // document, then for the load event only so long, and note it.
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 20000 });
  const loaded = await page.waitForFunction(() => document.readyState === 'complete', { timeout: 10000 }).then(() => true, () => false);
  if (!loaded) seen.pageErrors.push('the page did not finish loading within 10 s');
  return { page, seen };
}

// Clicks "Load more updates" until every older page is in.
async function loadAll(page) {
  for (let i = 0; i < 50; i++) {
    const visible = await page.evaluate(() => {
      const b = document.getElementById('load-more');
      return !!b && b.checkVisibility() && b.getAttribute('aria-busy') !== 'true';
    });
    if (!visible) return i;
    const before = await page.$$eval('article', (list) => list.length);
    await page.click('#load-more');
    await page.waitForFunction(
      (count) => document.querySelectorAll('article').length !== count || !document.getElementById('load-error').hidden,
      { timeout: 10000 },
      before,
    ).catch(() => {});
    if (await page.evaluate(() => !document.getElementById('load-error').hidden)) return -1;
  }
  return 50;
}

// Let handlers, lazy images and timers fire: scroll everything into view, wait.
async function settle(page, ms = 300) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 600) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const node of document.querySelectorAll('details, input, button')) node.focus?.();
  });
  await new Promise((r) => setTimeout(r, ms));
}

const scriptKey = (s) => `${s.type}|${s.id}|${s.src}|${s.text === null ? 'data' : s.text}`;

// The reader page of a published folder, with CSP as published or bypassed.
async function checkReader(dir, label, baseline, { bypassCsp, summary = false, home = null }) {
  const pages = readPages(dir);
  const feed = pages[0].page;
  const retracted = new Set(feed._liveline?.retracted ?? []);
  const items = allItems(pages).filter((item) => !retracted.has(item.id));
  const server = await serve(dir);
  const mode = bypassCsp ? 'CSP bypassed' : 'CSP on';
  const problems = {};
  const note = (what, list) => { if (list.length) problems[what] = list; };
  let watched = null;
  try {
    watched = await openWatched(`${server.url}index.html`, { bypassCsp, home });
    const { page, seen } = watched;
    const loaded = await loadAll(page);
    await settle(page, summary ? 100 : 300);
    const doc = await page.evaluate(inspectDocument);

    const wantPages = pages.length - 1;
    note('older pages', loaded === wantPages ? [] : [`loaded ${loaded} of ${wantPages}`]);
    note('dialogs', seen.dialogs);
    note('window.__xss', doc.xss === null ? [] : [doc.xss]);
    note('marker requests', [...seen.hits, ...server.requests.filter((r) => /xss-hit/i.test(r))]);
    note('foreign requests', seen.foreign);
    note('CSP violations', doc.cspViolations);
    note('page errors', seen.pageErrors);
    note('on* attributes', doc.handlers);
    note('script URLs', doc.badUrls.filter((u) => !baseline.badUrls.includes(u)));
    note('styles', doc.badStyles);
    const want = baseline.scripts.map(scriptKey).sort();
    const got = doc.scripts.map(scriptKey).sort();
    note('scripts', JSON.stringify(got) === JSON.stringify(want) ? [] : [`${got.length} <script> (${doc.scripts.map((s) => s.type || 'classic').join(', ')}), the reader has ${want.length}`]);
    const strange = Object.keys(doc.tags).filter((t) => !(t in baseline.tags));
    const more = ['style', 'link', 'meta', 'base', 'noscript', 'iframe', 'form'].filter((t) => (doc.tags[t] || 0) > (baseline.tags[t] || 0));
    note('elements', [...strange.map((t) => `<${t}> x${doc.tags[t]}`), ...more.map((t) => `${doc.tags[t]} <${t}>`)]);

    // Text fields show as text.
    const text = [];
    if (feed.title && doc.h1 !== feed.title) text.push(`h1 ${short(doc.h1)}`);
    if ((feed.description ?? '') !== doc.standfirst) text.push(`standfirst ${short(doc.standfirst)}`);
    const byId = new Map(doc.articles.map((a) => [a.id, a]));
    if (doc.articles.length !== items.length) text.push(`${doc.articles.length} articles for ${items.length} items`);
    for (const item of items) {
      const a = byId.get(`entry-${item.id}`);
      if (!a) { text.push(`no article for ${item.id}`); continue; }
      const authors = (item.authors ?? []).map((x) => x.name);
      if (item.title && a.title !== item.title) text.push(`title ${short(a.title)}`);
      if (authors.length === 1 && a.byline !== `By ${authors[0]}`) text.push(`byline ${short(a.byline)}`);
      if ((item._liveline.correction_note ?? null) !== a.correction) text.push(`correction ${short(a.correction)}`);
      for (const para of paragraphsOf(item)) if (!a.body?.includes(para)) text.push(`body lacks ${short(para)}`);
      const photos = photosOf(item);
      photos.forEach((ph, i) => {
        const shown = a.photos[i];
        if (!shown) { text.push(`photo ${ph.photo_id} missing`); return; }
        if (shown.alt !== (ph.alt ?? '')) text.push(`alt ${short(shown.alt)}`);
        if (shown.caption !== (ph.caption ?? null)) text.push(`caption ${short(shown.caption)}`);
        if (shown.credit !== `Credit: ${ph.credit}`) text.push(`credit ${short(shown.credit)}`);
      });
    }
    const keys = (feed._liveline?.key_events ?? []).map((k) => k.title);
    if (JSON.stringify(doc.keyTitles) !== JSON.stringify(keys)) text.push(`key events ${short(doc.keyTitles.join(' | '))}`);
    note('text', text);

    if (summary) {
      const list = Object.entries(problems).map(([k, v]) => `${k}: ${v.slice(0, 3).join(' | ')}`);
      check(list.length === 0, `${label} index.html (${mode}): nothing runs, only the reader's scripts, text shows as text`, list.join('; '));
    } else {
      const line = (what, keysOf, okText) => {
        const list = keysOf.flatMap((k) => (problems[k] ?? []).map((v) => `${k}: ${v}`));
        check(list.length === 0, `${label} index.html (${mode}): ${what}`, list.length ? list.slice(0, 4).join(' | ') : okText);
      };
      line('all older pages loaded with "Load more updates"', ['older pages'], `${wantPages} older pages, ${doc.articles.length} articles`);
      line('no dialog opened', ['dialogs']);
      line('window.__xss never set', ['window.__xss']);
      line('no request to a marker or another origin', ['marker requests', 'foreign requests'], `${server.requests.length} local requests`);
      line('no CSP violation, no page error', ['CSP violations', 'page errors']);
      line("only the reader's own <script> elements", ['scripts'], `${doc.scripts.length} scripts, as in a harmless publish`);
      line('no element the reader does not make', ['elements']);
      line('no on* attribute, no script URL, no script in style', ['on* attributes', 'script URLs', 'styles']);
      line('every field shows as text (titles, bodies, bylines, notes, captions, credits, alts, key events)', ['text'], `${items.length} entries`);
    }
  } finally {
    await watched?.page.close().catch(() => {});
    await server.close();
  }
}

// The folder's static files: index.html as written and each JSON page opened directly.
async function checkStatic(dir, label, blog, blank) {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const feed = readJson(path.join(dir, 'feed.json'));
  const s = await blank.evaluate(inspectStatic, html);
  const problems = [];
  if (s.scripts.length !== 2 || s.scripts[0].type !== 'application/json' || s.scripts[0].id !== 'liveline-feed' || s.scripts[1].type !== '' || s.scripts[1].src !== null) {
    problems.push(`scripts ${JSON.stringify(s.scripts.map((x) => [x.type, x.id, x.src]))}`);
  }
  let inline = null;
  try { inline = JSON.parse(s.inlineFeed); } catch (e) { problems.push(`inline feed is not JSON: ${e.message}`); }
  if (inline) {
    try { assert.deepEqual(inline, feed); } catch { problems.push('inline feed differs from feed.json'); }
  }
  if (s.handlers.length) problems.push(`on* ${s.handlers.slice(0, 3).join(' ')}`);
  if (s.title !== blog.title) problems.push(`<title> ${short(s.title)}`);
  if (s.h1 !== blog.title) problems.push(`h1 ${short(s.h1)}`);
  if (s.standfirst !== (blog.summary ?? '')) problems.push(`standfirst ${short(s.standfirst)}`);
  if (s.lang !== blog.language) problems.push(`lang ${short(s.lang)}`);
  return problems;
}

// A site's page: liveblog.jsonld inline in <head>, every content_html inline
// in <body>, no CSP. Served from the folder's origin so relative media load.
async function checkHost(dir, label, { home = null } = {}) {
  const pages = readPages(dir);
  const items = allItems(pages);
  const jsonldText = fs.readFileSync(path.join(dir, 'liveblog.jsonld'), 'utf8');
  const html = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Host</title>'
    + `<script type="application/ld+json">${jsonldText}</script></head><body>`
    + items.map((item) => `<div class="item">${item.content_html}</div>`).join('\n')
    + '</body></html>';
  // Written into the (temporary) folder, so media resolve as on a site.
  // (Not served by request interception: an alert() during parsing would then
  // stall the page.)
  const hostFile = path.join(dir, '__xss-host.html');
  fs.writeFileSync(hostFile, html);
  const server = await serve(dir);
  let watched = null;
  try {
    watched = await openWatched(`${server.url}__xss-host.html`, { home });
    await settle(watched.page);
    const doc = await watched.page.evaluate(inspectDocument);
    const inline = await watched.page.evaluate(() => document.querySelector('script[type="application/ld+json"]')?.textContent ?? null);
    const problems = [];
    const p = (what, list) => { if (list.length) problems.push(`${what}: ${list.slice(0, 3).join(' | ')}`); };
    p('dialogs', watched.seen.dialogs);
    p('window.__xss', doc.xss === null ? [] : [doc.xss]);
    p('marker requests', [...watched.seen.hits, ...server.requests.filter((r) => /xss-hit/i.test(r))]);
    p('foreign requests', watched.seen.foreign);
    p('page errors', watched.seen.pageErrors);
    p('scripts', doc.scripts.length === 1 ? [] : [`${doc.scripts.length} <script>`]);
    p('on* attributes', doc.handlers);
    p('script URLs', doc.badUrls);
    p('styles', doc.badStyles);
    const allowed = new Set(['html', 'head', 'meta', 'title', 'script', 'body', 'div', 'p', 'strong', 'em', 'a', 'blockquote', 'footer', 'cite', 'figure', 'figcaption', 'picture', 'source', 'img', 'span']);
    p('elements', Object.keys(doc.tags).filter((t) => !allowed.has(t)).map((t) => `<${t}>`));
    let same = false;
    try { assert.deepEqual(JSON.parse(inline), JSON.parse(jsonldText)); same = true; } catch { /* differs */ }
    if (!same) problems.push('inline JSON-LD does not read back as liveblog.jsonld');
    check(problems.length === 0, `${label} host page (no CSP) inlining liveblog.jsonld and ${items.length} content_html: nothing runs, JSON-LD intact`, problems.join('; '));
  } finally {
    await watched?.page.close().catch(() => {});
    await server.close();
    fs.rmSync(hostFile, { force: true });
  }
}

// Every JSON page opened directly in the browser: shown as text, nothing runs.
async function checkJsonPages(dir, label) {
  const server = await serve(dir);
  const problems = [];
  const names = readPages(dir).map((p) => p.name);
  try {
    for (const name of names) {
      const { page, seen } = await openWatched(`${server.url}${name}`);
      await new Promise((r) => setTimeout(r, 100));
      const scripts = await page.evaluate(() => document.querySelectorAll('script').length);
      if (seen.dialogs.length || scripts || seen.foreign.length) problems.push(`${name}: ${seen.dialogs.length} dialogs, ${scripts} scripts, ${seen.foreign.length} foreign requests`);
      await page.close();
    }
  } finally {
    await server.close();
  }
  check(problems.length === 0, `${label} ${names.length} JSON pages opened directly: shown as data`, problems.join('; '));
}

// ---- data checks --------------------------------------------------------------

// feed.json, older pages and liveblog.jsonld of the matrix blog.
async function checkMatrixData(payloads, built, dir, blank) {
  const pages = readPages(dir);
  check(pages.length >= 3, `matrix feed.json chains to older pages`, `${pages.map((p) => `${p.name}: ${p.page.items.length}`).join(', ')}`);
  const items = new Map(allItems(pages).map((item) => [item.id, item]));
  const order = [...items.values()];
  const content = await blank.evaluate(inspectContent, order.map((i) => i.content_html));
  const contentOf = new Map(order.map((item, i) => [item.id, content[i]]));

  const refusedByField = {};
  for (const p of payloads) {
    const fields = built.fields.get(p.id);
    const item = items.get(built.entries.get(p.id));
    if (!item) { check(false, `${p.id} entry is in the feed`); continue; }
    const photo = photosOf(item)[0];
    const got = {
      title: item.title,
      author: item.authors?.[0]?.name ?? null,
      note: item._liveline.correction_note,
      credit: photo?.credit ?? null,
      caption: photo?.caption ?? null,
      alt: photo?.alt ?? null,
    };
    const problems = [];
    const refused = [];
    for (const [field, value] of Object.entries(got)) {
      const r = fields[field];
      if (r.status === 'accepted') {
        if (value !== stored(p.text)) problems.push(`${field} holds ${short(value)}`);
      } else if (r.status === 'crashed') {
        problems.push(`${field} crashed the CLI: ${r.message}`);
      } else {
        refused.push(field);
        (refusedByField[field] ??= []).push(p.id);
        // Refusing is safe, but only text with control characters may be refused.
        if (r.status === 'refused' && !hasControl(p.text)) problems.push(`${field} refused: ${r.message}`);
      }
    }
    // Body: the escaped paragraph keeps the text exactly; the paragraph as
    // typed may be refused for its links, the whole body only for control characters.
    const body = fields.body;
    if (body.status === 'crashed') problems.push(`body crashed the CLI: ${body.message}`);
    if (body.status === 'refused') {
      refused.push(body.kept === 'none' ? 'body' : 'body as typed');
      (refusedByField.body ??= []).push(p.id);
      const why = body.kept === 'none' ? hasControl(p.text) : /link|URL|scheme|embed|image/i.test(body.message) || hasControl(p.text);
      if (!why) problems.push(`body refused: ${body.message}`);
    }
    const paragraphs = paragraphsOf(item).map(asParagraph);
    if (body.kept !== 'none' && !paragraphs.includes(asParagraph(p.text))) problems.push(`body lacks the escaped text (paragraphs ${short(paragraphs.join(' ¶ '), 80)})`);
    const detail = problems.length ? problems.join('; ') : refused.length ? `refused: ${refused.join(', ')}` : '';
    check(problems.length === 0, `${p.id} ${short(p.text, 50)} feed holds the text of title, body, author, note, credit, caption, alt`, detail);

    const c = contentOf.get(item.id);
    const cp = [...c.issues];
    if (photo) {
      if (c.alts[0] !== (photo.alt ?? '')) cp.push(`alt ${short(c.alts[0])}`);
      if (c.captions[0] !== (photo.caption ?? undefined)) cp.push(`caption ${short(c.captions[0])}`);
      if (c.credits[0] !== `Credit: ${photo.credit}`) cp.push(`credit ${short(c.credits[0])}`);
    }
    for (const para of paragraphsOf(item)) if (!c.text.includes(para)) cp.push(`text lacks ${short(para)}`);
    check(cp.length === 0, `${p.id} content_html: allow-listed elements only, no on*, no script URL, stable when parsed again, text intact`, cp.slice(0, 4).join('; '));
  }
  const summaryLine = Object.entries(refusedByField).map(([f, ids]) => `${f}: ${ids.length}`).join(', ');
  console.log(`# ${payloads.length} payloads x 7 entry fields; refused (safe): ${summaryLine || 'none'}`);

  // liveblog.jsonld
  const raw = fs.readFileSync(path.join(dir, 'liveblog.jsonld'), 'utf8');
  let ld = null;
  try { ld = JSON.parse(raw); } catch (e) { check(false, 'matrix liveblog.jsonld is JSON', e.message); }
  if (ld) {
    const first = pages[0].page;
    const problems = [];
    if (/[<>&]/.test(raw)) problems.push('raw <, > or & in the file: inlining it in <script> is unsafe');
    if (ld.headline !== first.title) problems.push('headline');
    const updates = ld.liveBlogUpdate ?? [];
    if (updates.length !== first.items.length) problems.push(`${updates.length} updates for ${first.items.length} items`);
    first.items.forEach((item, i) => {
      const u = updates[i] ?? {};
      if (u.headline !== item.title) problems.push(`headline ${short(u.headline)}`);
      if (u.articleBody !== item.content_text) problems.push(`articleBody of ${item.id}`);
      const names = (item.authors ?? []).map((a) => a.name);
      if (JSON.stringify((u.author ?? []).map((a) => a.name)) !== JSON.stringify(names)) problems.push(`author ${short(u.author?.[0]?.name)}`);
    });
    check(problems.length === 0, `matrix liveblog.jsonld: JSON, safe to inline (no raw < > &), ${updates.length} updates hold their headline, body and author as text`, problems.slice(0, 4).join('; '));
  }
  for (const { name, page } of pages) {
    const raw2 = fs.readFileSync(path.join(dir, name), 'utf8');
    let ok = true;
    try { assert.deepEqual(JSON.parse(raw2), page); } catch { ok = false; }
    check(ok && page.version === 'https://jsonfeed.org/version/1.1', `matrix ${name} is valid JSON Feed`, `${page.items.length} items`);
  }
}

// The per-payload blogs: blog title and summary as data and in the pages.
async function checkBlogs(blogs, baseline, blank) {
  for (const { payload: p, result, blog, out } of blogs) {
    const problems = [];
    for (const field of ['title', 'summary']) {
      const r = result[field];
      if (r.status === 'crashed') problems.push(`${field} crashed the CLI: ${r.message}`);
      if (r.status === 'refused' && !hasControl(p.text)) problems.push(`${field} refused: ${r.message}`);
    }
    if (!blog) {
      check(problems.length === 0, `${p.id} blog title and summary refused (no blog)`, problems.join('; ') || `${result.title.message}`);
      continue;
    }
    const feed = readJson(path.join(out, 'feed.json'));
    const ld = JSON.parse(fs.readFileSync(path.join(out, 'liveblog.jsonld'), 'utf8'));
    const rawLd = fs.readFileSync(path.join(out, 'liveblog.jsonld'), 'utf8');
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(blog.slug)) problems.push(`derived slug ${short(blog.slug)}`);
    if (result.title.status === 'accepted' && (feed.title !== stored(p.text) || ld.headline !== stored(p.text))) problems.push(`title ${short(feed.title)} / ${short(ld.headline)}`);
    if (result.summary.status === 'accepted' && (feed.description !== stored(p.text) || ld.description !== stored(p.text))) problems.push(`summary ${short(feed.description)}`);
    if (/[<>&]/.test(rawLd)) problems.push('raw <, > or & in liveblog.jsonld');
    problems.push(...await checkStatic(out, p.id, { ...blog, summary: feed.description }, blank));
    const refused = ['title', 'summary'].filter((f) => result[f].status !== 'accepted');
    check(problems.length === 0, `${p.id} ${short(p.text, 50)} blog title and summary: feed, JSON-LD and index.html as written hold the text`, problems.join('; ') || (refused.length ? `refused: ${refused.join(', ')}` : `slug ${blog.slug}`));
    await guard(`${p.id} blog index.html`, () => checkReader(out, `${p.id} blog`, baseline, { bypassCsp: true, summary: true }));
  }
}

// Runs one part of the suite; an exception fails that part only.
async function guard(what, fn) {
  try {
    await fn();
  } catch (error) {
    check(false, `${what} ran to the end`, String(error?.message ?? error).split('\n')[0]);
  }
}

// ---- main -----------------------------------------------------------------------

async function main() {
  fs.copyFileSync(given, bin);
  fs.chmodSync(bin, 0o755);
  const payloads = loadPayloads();
  const t0 = Date.now();
  console.log(`# ${payloads.length} payloads from tests/xss/payloads.txt; work folder ${work}`);
  if (!fs.existsSync(photo)) throw new Error(`no test photo at ${photo}`);

  const harmlessDir = buildHarmless();
  const built = buildMatrix(payloads);
  const matrixDir = path.join(work, 'matrix');
  must(cli(['publish', 'xss-matrix', '--out', matrixDir, '--page-size', String(PAGE_SIZE)]), 'publish the matrix blog');
  const bases = [];
  for (const [i, base] of BASE_URLS.entries()) {
    const out = path.join(work, `base-${i + 1}`);
    const r = cli(['publish', 'xss-matrix', '--out', out, '--page-size', String(PAGE_SIZE), '--base-url', base]);
    bases.push({ base, out, r });
  }
  const blogs = buildBlogs(payloads);
  const strict = tryStrictFields(payloads);
  console.log(`# built ${payloads.length} entries, ${blogs.length} blogs, ${BASE_URLS.length} base-URL publishes in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  let mark = Date.now();
  const lap = (what) => { console.log(`# ${what} in ${((Date.now() - mark) / 1000).toFixed(1)} s`); mark = Date.now(); };
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
    defaultViewport: { width: 1280, height: 900 },
  });
  const blank = await browser.newPage();

  // What a harmless blog's reader page holds: its scripts and elements.
  const harmlessServer = await serve(harmlessDir);
  let baseline;
  {
    const { page } = await openWatched(`${harmlessServer.url}index.html`);
    await loadAll(page);
    await settle(page);
    baseline = await page.evaluate(inspectDocument);
    await page.close();
    await harmlessServer.close();
  }
  check(baseline.scripts.length === 2 && baseline.articles.length === 3 && baseline.tags.figure >= 1,
    'harmless blog: reader baseline taken', `${baseline.scripts.length} scripts, ${baseline.articles.length} articles, tags ${Object.keys(baseline.tags).length}`);

  lap('browser started, harmless baseline taken');
  // 1. Data: feed pages and JSON-LD of the matrix blog, content_html parsed.
  await checkMatrixData(payloads, built, matrixDir, blank);
  const matrixBlog = readJson(path.join(matrixDir, 'feed.json'));
  const staticProblems = await checkStatic(matrixDir, 'matrix', { title: matrixBlog.title, summary: matrixBlog.description, language: matrixBlog.language }, blank);
  check(staticProblems.length === 0, "matrix index.html as written: two scripts (the feed as JSON, the reader), inline feed equals feed.json", staticProblems.join('; '));

  lap('data checked');
  // 2. Strict fields.
  for (const [field, list] of Object.entries(strict)) {
    const bad = list.filter((x) => !x.ok);
    const counts = list.reduce((acc, x) => ({ ...acc, [x.status]: (acc[x.status] ?? 0) + 1 }), {});
    check(bad.length === 0, `--${field} with each payload: refused, or a well-formed value`, bad.length ? bad.slice(0, 3).map((x) => `${x.payload.id} ${x.status} ${short(x.value ?? x.message)}`).join('; ') : JSON.stringify(counts));
  }

  // 3. The matrix reader page, with its CSP and without it.
  for (const bypassCsp of [false, true]) await guard(`matrix index.html (${bypassCsp ? 'CSP bypassed' : 'CSP on'})`, () => checkReader(matrixDir, 'matrix', baseline, { bypassCsp }));
  await guard('matrix JSON pages', () => checkJsonPages(matrixDir, 'matrix'));
  await guard('matrix host page', () => checkHost(matrixDir, 'matrix'));

  lap('matrix pages checked');
  // 4. Base URLs with payloads.
  for (const [i, { base, out, r }] of bases.entries()) {
    if (r.status !== 'accepted') {
      check(r.status === 'refused', `base URL ${i + 1} ${short(base, 70)} refused`, r.message);
      continue;
    }
    const home = r.json.base_url;
    const feed = readJson(path.join(out, 'feed.json'));
    const probs = [];
    if (feed.home_page_url !== home) probs.push(`home_page_url ${short(feed.home_page_url)}`);
    // The URL parser percent-encodes < > and spaces in a path; a host must
    // be plain (a quote in one is refused): the checks below show it is inert.
    if (/[<>\s]/.test(home)) probs.push(`base URL keeps ${short(home)}`);
    check(probs.length === 0, `base URL ${i + 1} ${short(base, 70)} accepted as ${home}`, probs.join('; '));
    for (const bypassCsp of [false, true]) await guard(`base ${i + 1} index.html`, () => checkReader(out, `base ${i + 1}`, baseline, { bypassCsp, summary: true }));
    await guard(`base ${i + 1} host page`, () => checkHost(out, `base ${i + 1}`, { home }));
  }

  lap('base-URL publishes checked');
  // 5. Blog title and summary, one blog per payload.
  await checkBlogs(blogs, baseline, blank);
  lap('blogs checked');
  await blank.close();
}

let code = 0;
try {
  await main();
} catch (error) {
  check(false, 'suite ran to the end', error?.stack ?? String(error));
}
try { await browser?.close(); } catch { /* ignore */ }
clearTimeout(watchdog);
cleanup();
console.log(`${passed} passed, ${failed} failed`);
if (failed) code = 1;
process.exit(code);
