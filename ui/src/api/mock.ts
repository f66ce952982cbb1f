// An in-memory backend with the same interface and the same workflow rules
// as the Rust core, for tests and for developing the UI in a plain browser.
import { rgbaToThumbHash } from "thumbhash";
import type { Blog } from "../bindings/Blog";
import type { BlogSummary } from "../bindings/BlogSummary";
import type { Block } from "../bindings/Block";
import type { Entry } from "../bindings/Entry";
import type { EntryEdit } from "../bindings/EntryEdit";
import type { NewBlog } from "../bindings/NewBlog";
import type { NewEntry } from "../bindings/NewEntry";
import type { Photo } from "../bindings/Photo";
import type { PhotoEdit } from "../bindings/PhotoEdit";
import type { PhotoText } from "../bindings/PhotoText";
import type { Placement } from "../bindings/Placement";
import type { PublishOptions } from "../bindings/PublishOptions";
import type { PublishReport } from "../bindings/PublishReport";
import type { PublishSettings } from "../bindings/PublishSettings";
import type { Revision } from "../bindings/Revision";
import type { RevisionContent } from "../bindings/RevisionContent";
import type { Status } from "../bindings/Status";
import type { TimelineQuery } from "../bindings/TimelineQuery";
import type { TimelineRow } from "../bindings/TimelineRow";
import { excerpt, plainText } from "../lib/text";
import { instantInZone, localToInstant, wallClock } from "../lib/time";
import type { Api, EventMap, EventName, Unsubscribe } from "./types";
import { AppError } from "./types";
import { DEMO_ENTRIES, DEMO_BLOG, LARGE_TITLES, LARGE_SENTENCES } from "./mockData";

type StoredEntry = Omit<Entry, "photos" | "warnings" | "position" | "blog"> & { blogSlug: string };
type StoredPhoto = Photo & { preview: string };

export type MockOptions = {
  /** Latency of every command, ms (0 in tests). */
  latency?: number;
  /** Delay between progress events of import/publish, ms. */
  stepDelay?: number;
  user?: string;
  now?: () => number;
};

let idCounter = 0;
function newId(): string {
  idCounter += 1;
  const rand = Math.floor(Math.random() * 0xffffffff)
    .toString(16)
    .padStart(8, "0");
  const c = idCounter.toString(16).padStart(12, "0");
  return `019ab9d2-${rand.slice(0, 4)}-7${rand.slice(4, 7)}-8${c.slice(0, 3)}-${c}`;
}

function slugify(title: string): string {
  const s = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return s || "blog";
}

const PALETTES: [number, number, number][][] = [
  [[52, 84, 122], [150, 170, 190], [60, 70, 60]],
  [[200, 120, 60], [240, 200, 140], [80, 60, 50]],
  [[40, 110, 90], [160, 200, 180], [50, 60, 55]],
  [[110, 60, 110], [210, 170, 200], [40, 40, 60]],
  [[90, 90, 95], [200, 200, 205], [70, 75, 80]],
  [[30, 60, 150], [120, 170, 230], [200, 190, 160]],
];

function rgbHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((n) => n.toString(16).padStart(2, "0")).join("")}`;
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

const placeholderCache = new Map<number, string>();
/** A real ThumbHash of a synthetic landscape in palette `p`. */
function placeholderFor(p: number, w: number, h: number): string {
  const key = p * 10 + (w >= h ? 0 : 1);
  const cached = placeholderCache.get(key);
  if (cached) return cached;
  const pal = PALETTES[p % PALETTES.length]!;
  const tw = w >= h ? 32 : 24;
  const th = w >= h ? 24 : 32;
  const rgba = new Uint8Array(tw * th * 4);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const t = y / th;
      const ground = y > th * 0.62 + Math.sin(x / 4) * 2;
      const c = ground ? pal[2]! : pal[0]!.map((v, i) => Math.round(v * (1 - t) + pal[1]![i]! * t));
      const o = (y * tw + x) * 4;
      rgba[o] = c[0]!;
      rgba[o + 1] = c[1]!;
      rgba[o + 2] = c[2]!;
      rgba[o + 3] = 255;
    }
  }
  const hash = toBase64(rgbaToThumbHash(tw, th, rgba));
  placeholderCache.set(key, hash);
  return hash;
}

function previewFor(p: number, w: number, h: number): string {
  const pal = PALETTES[p % PALETTES.length]!;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 320 ${Math.round((320 * h) / w)}">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${rgbHex(pal[0]!)}"/>` +
    `<stop offset="1" stop-color="${rgbHex(pal[1]!)}"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)"/>` +
    `<path d="M0 ${Math.round((200 * h) / w)} Q80 ${Math.round((150 * h) / w)} 160 ${Math.round((190 * h) / w)} T320 ${Math.round((170 * h) / w)} V2000 H0Z" fill="${rgbHex(pal[2]!)}"/>` +
    `<circle cx="250" cy="${Math.round((60 * h) / w)}" r="18" fill="#fff" fill-opacity="0.55"/></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

function photoWarnings(p: { id: string; credit: string | null; alt: string | null }): string[] {
  const w: string[] = [];
  if (!p.credit) w.push(`photo ${p.id} has no credit: it is required to publish`);
  if (!p.alt) w.push(`photo ${p.id} has no alt text for readers who cannot see it`);
  return w;
}

const URL_RE = /^(https?:\/\/[^\s/]+[^\s]*|mailto:[^\s]+)$/i;

function validateBlocks(blocks: Block[]): void {
  if (blocks.length > 200) throw new AppError("invalid_input", `body has ${blocks.length} blocks; an entry holds at most 200`);
  blocks.forEach((b, i) => {
    const fail = (what: string) => new AppError("invalid_input", `block ${i + 1}: ${what}`);
    switch (b.type) {
      case "paragraph":
        if (b.content.every((s) => s.text.trim() === "")) throw fail("paragraph is empty");
        for (const s of b.content) if (s.link !== undefined && s.link !== null && !URL_RE.test(s.link)) throw fail(`link ${s.link} is not an http, https or mailto URL`);
        break;
      case "quote":
        if (b.text.trim() === "") throw fail("quote is empty");
        break;
      case "embed":
        if (!/^https?:\/\/[^\s/]+/i.test(b.url)) throw fail(`embed URL ${b.url} is not an absolute http or https URL`);
        break;
      case "photo":
        break;
    }
  });
}

function cleanOptional(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = v.trim();
  return t === "" ? null : t;
}

export class MockBackend implements Api {
  readonly kind = "mock" as const;
  private blogs: Blog[] = [];
  private entries = new Map<string, StoredEntry>();
  /** Per blog: entry ids, editorial order within each group (pinned / not). */
  private order = new Map<string, string[]>();
  private photos = new Map<string, StoredPhoto>();
  private revisions = new Map<string, Revision[]>();
  private settings = new Map<string, PublishSettings>();
  private published = new Map<string, number>();
  private listeners = new Map<EventName, Set<(p: unknown) => void>>();
  private failures = new Map<string, AppError[]>();
  /** Every command called, in order: for tests. */
  readonly calls: { cmd: string; args: unknown[] }[] = [];
  private opts: Required<MockOptions>;

  constructor(opts: MockOptions = {}) {
    this.opts = {
      latency: opts.latency ?? 0,
      stepDelay: opts.stepDelay ?? 0,
      user: opts.user ?? "editor",
      now: opts.now ?? (() => Date.now()),
    };
  }

  // ----- test hooks -------------------------------------------------------

  /** Make the next call of `cmd` reject with `error`. */
  failNext(cmd: string, error: AppError): void {
    const list = this.failures.get(cmd) ?? [];
    list.push(error);
    this.failures.set(cmd, list);
  }

  callsOf(cmd: string): unknown[][] {
    return this.calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  }

  emit<K extends EventName>(event: K, payload: EventMap[K]): void {
    for (const h of this.listeners.get(event) ?? []) h(payload);
  }

  on<K extends EventName>(event: K, handler: (payload: EventMap[K]) => void): Unsubscribe {
    const set = this.listeners.get(event) ?? new Set();
    set.add(handler as (p: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(handler as (p: unknown) => void);
  }

  private async run<T>(cmd: string, args: unknown[], f: () => T | Promise<T>): Promise<T> {
    this.calls.push({ cmd, args });
    if (this.opts.latency > 0) await sleep(this.opts.latency);
    else await Promise.resolve();
    const fail = this.failures.get(cmd)?.shift();
    if (fail) throw fail;
    // Hand out copies so the UI cannot mutate the store.
    return structuredClone(await f());
  }

  private step(): Promise<void> {
    return this.opts.stepDelay > 0 ? sleep(this.opts.stepDelay) : Promise.resolve();
  }

  private nowIn(tz: string): string {
    return instantInZone(this.opts.now(), tz);
  }

  private blog(slug: string): Blog {
    const b = this.blogs.find((x) => x.slug === slug);
    if (!b) throw new AppError("not_found", `no blog with slug ${slug}`);
    return b;
  }

  private stored(id: string): StoredEntry {
    const e = this.entries.get(id);
    if (!e) throw new AppError("not_found", `no entry with id ${id}`);
    return e;
  }

  private changed(blog: string | null, entry: string | null): void {
    this.emit("changed", { blog, entry });
  }

  private view(e: StoredEntry): Entry {
    const photos = e.blocks
      .filter((b): b is Extract<Block, { type: "photo" }> => b.type === "photo")
      .map((b) => this.photos.get(b.photo_id))
      .filter((p): p is StoredPhoto => !!p)
      .map(({ preview: _preview, ...p }) => ({ ...p, warnings: photoWarnings(p) }));
    const order = this.order.get(e.blogSlug) ?? [];
    const { blogSlug, ...rest } = e;
    return {
      ...rest,
      blog: blogSlug,
      position: order.indexOf(e.id).toString(16).padStart(16, "0"),
      photos,
      warnings: photos.flatMap((p) => p.warnings),
    };
  }

  private sortedIds(slug: string): string[] {
    const ids = this.order.get(slug) ?? [];
    const pinned: string[] = [];
    const rest: string[] = [];
    for (const id of ids) (this.entries.get(id)!.pinned ? pinned : rest).push(id);
    return [...pinned, ...rest];
  }

  private parseTime(input: string, tz: string): string {
    const t = input.trim();
    const w = wallClock(t);
    if (w && w.offset) {
      if (Number.isNaN(Date.parse(t))) throw new AppError("invalid_time", `${input} is not a valid time`);
      return instantInZone(Date.parse(t), tz);
    }
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(t)) {
      throw new AppError("invalid_time", `${input} is not a time: use YYYY-MM-DD HH:MM or RFC 3339 with an offset`);
    }
    const r = localToInstant(t, tz);
    if (!r) throw new AppError("invalid_time", `${input} does not exist or is ambiguous in ${tz}; give an explicit offset`);
    return r;
  }

  private snapshot(e: StoredEntry): RevisionContent {
    return {
      title: e.title,
      author: e.author,
      display_at: e.display_at,
      display_at_set: e.display_at_set,
      correction_note: e.correction_note,
      blocks: structuredClone(e.blocks),
    };
  }

  /** Autosaves by the same person fold into their latest autosave from the last 5 minutes. */
  private autosaved = new Map<string, { revision: number; at: number }>();

  private revise(e: StoredEntry, action: string, restoredFrom: number | null = null, autosave = false): void {
    const list = this.revisions.get(e.id) ?? [];
    const last = this.autosaved.get(e.id);
    const now = this.opts.now();
    const fold = autosave && last !== undefined && last.revision === list.length && now - last.at <= 5 * 60_000;
    if (fold) list.pop();
    e.revision = list.length + 1;
    if (autosave) this.autosaved.set(e.id, { revision: e.revision, at: now });
    else this.autosaved.delete(e.id);
    list.push({
      revision: e.revision,
      at: this.nowIn(this.blog(e.blogSlug).timezone),
      author: this.opts.user,
      action,
      restored_from: restoredFrom,
      content: this.snapshot(e),
    });
    this.revisions.set(e.id, list);
  }

  private requireCredits(e: StoredEntry, blocks: Block[]): void {
    for (const b of blocks) {
      if (b.type !== "photo") continue;
      const p = this.photos.get(b.photo_id);
      if (p && !p.credit) {
        throw new AppError(
          "conflict",
          `entry ${e.id} cannot be published with photo ${p.id}: the photo has no credit (add one in the photo's Credit field)`,
        );
      }
    }
  }

  private touch(e: StoredEntry): void {
    e.updated_at = this.nowIn(this.blog(e.blogSlug).timezone);
  }

  private moveToTop(e: StoredEntry): void {
    const ids = this.order.get(e.blogSlug)!;
    ids.splice(ids.indexOf(e.id), 1);
    ids.unshift(e.id);
  }

  private counts(slug: string) {
    const c = { draft: 0, ready: 0, published: 0, retracted: 0 };
    for (const id of this.order.get(slug) ?? []) c[this.entries.get(id)!.status] += 1;
    return c;
  }

  // ----- commands ----------------------------------------------------------

  appInfo() {
    return this.run("app_info", [], () => ({ version: "0.1.0-mock", db_path: "(in memory)", user: this.opts.user }));
  }

  listBlogs() {
    return this.run("list_blogs", [], (): BlogSummary[] =>
      [...this.blogs]
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
        .map((blog) => ({ blog, counts: this.counts(blog.slug) })),
    );
  }

  createBlog(input: NewBlog) {
    return this.run("create_blog", [input], () => this.createBlogNow(input));
  }

  private createBlogNow(input: NewBlog, createdAt?: number): Blog {
    const title = input.title.trim();
    if (!title) throw new AppError("invalid_input", "a blog needs a title");
    const slug = input.slug?.trim() || slugify(title);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) throw new AppError("invalid_input", `${slug} is not a valid slug: use a-z, 0-9 and -`);
    if (this.blogs.some((b) => b.slug === slug)) throw new AppError("conflict", `a blog with slug ${slug} already exists`);
    const tz = input.timezone?.trim() || "UTC";
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
    } catch {
      throw new AppError("invalid_input", `${tz} is not a known time zone`);
    }
    const now = instantInZone(createdAt ?? this.opts.now(), tz);
    const blog: Blog = {
      id: newId(),
      slug,
      title,
      summary: cleanOptional(input.summary),
      language: input.language?.trim() || "en",
      timezone: tz,
      coverage_start: now,
      coverage_end: null,
      live: true,
      created_at: now,
      updated_at: now,
    };
    this.blogs.push(blog);
    this.order.set(slug, []);
    this.changed(slug, null);
    return blog;
  }

  endBlog(slug: string) {
    return this.run("end_blog", [slug], () => {
      const b = this.blog(slug);
      if (!b.live) throw new AppError("invalid_transition", `coverage of ${slug} has already ended`);
      b.live = false;
      b.coverage_end = this.nowIn(b.timezone);
      b.updated_at = b.coverage_end;
      this.changed(slug, null);
      return b;
    });
  }

  createDemoBlog() {
    return this.run("create_demo_blog", [], () => this.seedDemo());
  }

  /** The demo coverage (60 published entries, a pinned one, key events, photos). */
  seedDemo(): Blog {
    let slug: string = DEMO_BLOG.slug ?? "demo";
    for (let i = 2; this.blogs.some((b) => b.slug === slug); i++) slug = `${DEMO_BLOG.slug ?? "demo"}-${i}`;
    const start = this.opts.now() - (DEMO_ENTRIES.length + 1) * 11 * 60000;
    const blog = this.createBlogNow({ ...DEMO_BLOG, slug }, start);
    const ids = this.order.get(slug)!;
    DEMO_ENTRIES.forEach((d, i) => {
      const at = start + i * 11 * 60000;
      const e = this.insertEntry(blog, {
        title: d.title,
        author: d.author,
        blocks: structuredClone(d.blocks),
        status: d.status ?? "published",
        at,
        pinned: d.pinned ?? false,
        key_event: d.key ?? false,
      });
      if (d.photo) {
        const p = this.makePhoto(e.id, `${slugify(d.title)}.jpg`, i % PALETTES.length, d.photo.landscape ? 1600 : 1200, d.photo.landscape ? 1067 : 1600, d.photo);
        e.blocks.splice(Math.min(1, e.blocks.length), 0, { type: "photo", photo_id: p.id });
      }
      this.revise(e, "created");
      ids.unshift(e.id);
    });
    return blog;
  }

  /** A blog with `n` entries, for performance checks. */
  seedLarge(n: number, title = "Election night: every result"): Blog {
    const start = this.opts.now() - n * 60000;
    const blog = this.createBlogNow({ title, slug: null, timezone: "Europe/Berlin", summary: "Results as they come in.", language: "en" }, start);
    const ids = this.order.get(blog.slug)!;
    const statuses: Status[] = ["published", "published", "published", "draft", "ready", "published", "retracted"];
    for (let i = 0; i < n; i++) {
      const s1 = LARGE_SENTENCES[i % LARGE_SENTENCES.length]!;
      const s2 = LARGE_SENTENCES[(i * 7 + 3) % LARGE_SENTENCES.length]!;
      const e = this.insertEntry(blog, {
        title: `${LARGE_TITLES[i % LARGE_TITLES.length]} (#${i + 1})`,
        author: ["Ana Ruiz", "Tomasz Nowak", "Lea Brandt", null][i % 4]!,
        blocks: [{ type: "paragraph", content: [{ text: `${s1} ${s2}` }] }],
        status: statuses[i % statuses.length]!,
        at: start + i * 60000,
        pinned: i === n - 1 || i === n - 2,
        key_event: i % 50 === 0,
      });
      if (i % 9 === 0) {
        const p = this.makePhoto(e.id, `result-${i}.jpg`, i % PALETTES.length, 1600, 1067, {
          credit: i % 27 === 0 ? null : "Wire photo",
          caption: "Counting under way.",
          alt: i % 18 === 0 ? null : "Volunteers count ballots at long tables.",
        });
        e.blocks.push({ type: "photo", photo_id: p.id });
      }
      ids.unshift(e.id);
    }
    return blog;
  }

  private insertEntry(
    blog: Blog,
    d: { title: string; author: string | null; blocks: Block[]; status: Status; at: number; pinned: boolean; key_event: boolean },
  ): StoredEntry {
    const at = instantInZone(d.at, blog.timezone);
    const e: StoredEntry = {
      id: newId(),
      blogSlug: blog.slug,
      title: d.title,
      status: d.status,
      pinned: d.pinned,
      key_event: d.key_event,
      author: d.author,
      display_at: at,
      display_at_set: false,
      created_at: at,
      updated_at: at,
      published_at: d.status === "published" || d.status === "retracted" ? at : null,
      revision: 1,
      correction_note: null,
      review_note: null,
      blocks: d.blocks,
    };
    this.entries.set(e.id, e);
    return e;
  }

  private makePhoto(entry: string, name: string, palette: number, width: number, height: number, text: PhotoText, preview?: string): StoredPhoto {
    const tz = this.blog(this.stored(entry).blogSlug).timezone;
    const now = this.nowIn(tz);
    const id = newId();
    const renditions = [320, 640, 1024, 1600, 2048]
      .filter((w) => w <= width)
      .flatMap((w) => {
        const h = Math.round((height * w) / width);
        return [
          { path: `media/${id.slice(-12)}-${w}.jpg`, width: w, height: h, mime: "image/jpeg" },
          { path: `media/${id.slice(-12)}-${w}.webp`, width: w, height: h, mime: "image/webp" },
        ];
      });
    const p: StoredPhoto = {
      id,
      entry,
      credit: cleanOptional(text.credit),
      caption: cleanOptional(text.caption),
      alt: cleanOptional(text.alt),
      width,
      height,
      format: "jpeg",
      original_name: name,
      sha256: (id.replace(/-/g, "") + "0".repeat(64)).slice(0, 64),
      bytes: width * height * 0.4,
      taken_at: null,
      camera: null,
      has_location: false,
      placeholder: placeholderFor(palette, width, height),
      renditions,
      warnings: [],
      created_at: now,
      updated_at: now,
      preview: preview ?? previewFor(palette, width, height),
    };
    this.photos.set(id, p);
    return p;
  }

  timeline(slug: string, query: TimelineQuery) {
    return this.run("timeline", [slug, query], (): TimelineRow[] => {
      this.blog(slug);
      const needle = query.search?.trim().toLowerCase() || null;
      const rows: TimelineRow[] = [];
      for (const id of this.sortedIds(slug)) {
        const e = this.entries.get(id)!;
        if (query.status && e.status !== query.status) continue;
        const text = plainText(e.blocks);
        if (needle && !`${e.title} ${text} ${e.author ?? ""}`.toLowerCase().includes(needle)) continue;
        rows.push(this.row(e));
      }
      return rows;
    });
  }

  timelineRow(id: string) {
    return this.run("timeline_row", [id], () => this.row(this.stored(id)));
  }

  private row(e: StoredEntry): TimelineRow {
    const photoIds = e.blocks.filter((b) => b.type === "photo").map((b) => (b as { photo_id: string }).photo_id);
    const first = photoIds.length ? this.photos.get(photoIds[0]!) : undefined;
    return {
      id: e.id,
      title: e.title,
      status: e.status,
      pinned: e.pinned,
      key_event: e.key_event,
      author: e.author,
      display_at: e.display_at,
      updated_at: e.updated_at,
      excerpt: excerpt(e.blocks),
      photo: first ? { id: first.id, placeholder: first.placeholder, width: first.width, height: first.height } : null,
      photo_count: photoIds.length,
      warnings: photoIds.flatMap((pid) => {
        const p = this.photos.get(pid);
        return p ? photoWarnings(p) : [];
      }),
      correction_note: e.correction_note,
      review_note: e.review_note,
    };
  }

  getEntry(id: string) {
    return this.run("get_entry", [id], () => this.view(this.stored(id)));
  }

  addEntry(slug: string, input: NewEntry) {
    return this.run("add_entry", [slug, input], () => {
      const blog = this.blog(slug);
      const title = input.title.trim();
      if (!title) throw new AppError("invalid_input", "an entry needs a title");
      validateBlocks(input.blocks);
      const at = input.display_at ? this.parseTime(input.display_at, blog.timezone) : null;
      const e = this.insertEntry(blog, {
        title,
        author: cleanOptional(input.author),
        blocks: structuredClone(input.blocks),
        status: input.initial,
        at: at ? Date.parse(at) : this.opts.now(),
        pinned: false,
        key_event: false,
      });
      e.display_at_set = at !== null;
      if (input.initial === "published") this.requireCredits(e, e.blocks);
      this.revise(e, "created");
      this.order.get(slug)!.unshift(e.id);
      this.changed(slug, e.id);
      return this.view(e);
    });
  }

  editEntry(id: string, edit: EntryEdit) {
    return this.saveEdit("edit_entry", id, edit, false);
  }

  autosaveEntry(id: string, edit: EntryEdit) {
    return this.saveEdit("autosave_entry", id, edit, true);
  }

  private saveEdit(cmd: string, id: string, edit: EntryEdit, autosave: boolean) {
    return this.run(cmd, [id, edit], () => {
      const e = this.stored(id);
      const tz = this.blog(e.blogSlug).timezone;
      if (e.status === "retracted") throw new AppError("conflict", `entry ${id} is retracted and cannot be edited; write a new entry instead`);
      const note = cleanOptional(edit.correction_note);
      if (note !== null && e.status !== "published") {
        throw new AppError("invalid_input", `entry ${id} is ${e.status}: a correction note is only for published entries`);
      }
      if (edit.title !== null && edit.title.trim() === "") throw new AppError("invalid_input", "an entry needs a title");
      if (edit.blocks) {
        validateBlocks(edit.blocks);
        if (e.status === "published") this.requireCredits(e, edit.blocks);
      }
      // "" gives up a set display time (the first publication shows again).
      const unset = edit.display_at !== null && edit.display_at.trim() === "";
      const at = edit.display_at && !unset ? this.parseTime(edit.display_at, tz) : null;
      const before = JSON.stringify(this.snapshot(e));
      if (edit.title !== null) e.title = edit.title.trim();
      if (edit.blocks) e.blocks = structuredClone(edit.blocks);
      if (edit.author !== null) e.author = cleanOptional(edit.author);
      if (at) {
        e.display_at = at;
        e.display_at_set = true;
      } else if (unset && e.display_at_set) {
        e.display_at = e.published_at ?? this.nowIn(tz);
        e.display_at_set = false;
      }
      if (note !== null) e.correction_note = note;
      if (JSON.stringify(this.snapshot(e)) !== before) {
        this.touch(e);
        this.revise(e, "edited", null, autosave);
        this.changed(e.blogSlug, id);
      } else if (!autosave) {
        // As the core: saving what autosave stored seals that revision.
        this.autosaved.delete(id);
      }
      return this.view(e);
    });
  }

  entryHistory(id: string) {
    return this.run("entry_history", [id], () => {
      this.stored(id);
      return this.revisions.get(id) ?? [];
    });
  }

  restoreRevision(id: string, revision: number) {
    return this.run("restore_revision", [id, revision], () => {
      const e = this.stored(id);
      if (e.status === "retracted") throw new AppError("conflict", `entry ${id} is retracted and cannot be restored`);
      const r = (this.revisions.get(id) ?? []).find((x) => x.revision === revision);
      if (!r) throw new AppError("not_found", `entry ${id} has no revision ${revision}`);
      if (e.status === "published") this.requireCredits(e, r.content.blocks);
      e.title = r.content.title;
      e.author = r.content.author;
      e.display_at = r.content.display_at;
      e.display_at_set = r.content.display_at_set;
      e.blocks = structuredClone(r.content.blocks);
      this.touch(e);
      this.revise(e, "restored", revision);
      this.changed(e.blogSlug, id);
      return this.view(e);
    });
  }

  private transition(cmd: string, id: string, from: Status[], to: Status, extra?: (e: StoredEntry) => void, args: unknown[] = [id]) {
    return this.run(cmd, args, () => {
      const e = this.stored(id);
      if (!from.includes(e.status)) {
        throw new AppError("invalid_transition", `entry ${id} is ${e.status} and cannot become ${to}`);
      }
      extra?.(e);
      e.status = to;
      this.touch(e);
      this.changed(e.blogSlug, id);
      return this.view(e);
    });
  }

  submitEntry(id: string) {
    return this.transition("submit_entry", id, ["draft"], "ready");
  }

  publishEntry(id: string) {
    return this.transition("publish_entry", id, ["draft", "ready"], "published", (e) => {
      this.requireCredits(e, e.blocks);
      if (!e.published_at) {
        e.published_at = this.nowIn(this.blog(e.blogSlug).timezone);
        if (!e.display_at_set) e.display_at = e.published_at;
        this.moveToTop(e);
      }
      e.review_note = null;
    });
  }

  retractEntry(id: string) {
    return this.transition("retract_entry", id, ["published"], "retracted");
  }

  returnEntry(id: string, note: string) {
    if (note.trim() === "") {
      return this.run("return_entry", [id, note], () => {
        throw new AppError("invalid_input", "a note is required to return an entry to draft: tell the author what to change");
      });
    }
    return this.transition(
      "return_entry",
      id,
      ["ready"],
      "draft",
      (e) => {
        e.review_note = note.trim();
      },
      [id, note],
    );
  }

  deleteEntry(id: string) {
    return this.run("delete_entry", [id], () => {
      const e = this.stored(id);
      if (e.status !== "draft" && e.status !== "ready") {
        const hint = e.status === "published" ? " (retract it instead)" : "";
        throw new AppError("conflict", `entry ${id} is ${e.status}; only draft and ready entries can be deleted${hint}`);
      }
      const view = this.view(e);
      this.entries.delete(id);
      const ids = this.order.get(e.blogSlug)!;
      ids.splice(ids.indexOf(id), 1);
      this.changed(e.blogSlug, id);
      return view;
    });
  }

  setPinned(id: string, value: boolean) {
    return this.run("set_pinned", [id, value], () => {
      const e = this.stored(id);
      e.pinned = value;
      this.changed(e.blogSlug, id);
      return this.view(e);
    });
  }

  setKeyEvent(id: string, value: boolean) {
    return this.run("set_key_event", [id, value], () => {
      const e = this.stored(id);
      e.key_event = value;
      this.changed(e.blogSlug, id);
      return this.view(e);
    });
  }

  moveEntry(id: string, placement: Placement) {
    return this.run("move_entry", [id, placement], () => {
      const e = this.stored(id);
      const ids = this.order.get(e.blogSlug)!;
      if (placement.to === "before" || placement.to === "after") {
        if (placement.id === id) throw new AppError("invalid_input", `cannot move entry ${id} before or after itself`);
        const anchor = this.stored(placement.id);
        if (anchor.blogSlug !== e.blogSlug) throw new AppError("invalid_input", `entry ${placement.id} belongs to another blog; an entry moves only within its own blog`);
        if (anchor.pinned !== e.pinned) {
          const [p, u] = anchor.pinned ? [anchor.id, id] : [id, anchor.id];
          throw new AppError("invalid_input", `entry ${p} is pinned and entry ${u} is not; move an entry among entries of its own kind, or pin or unpin it first`);
        }
        ids.splice(ids.indexOf(id), 1);
        const at = ids.indexOf(anchor.id);
        ids.splice(placement.to === "before" ? at : at + 1, 0, id);
      } else {
        ids.splice(ids.indexOf(id), 1);
        if (placement.to === "top") ids.unshift(id);
        else ids.push(id);
      }
      this.changed(e.blogSlug, id);
      return this.view(e);
    });
  }

  private async importSteps(entryId: string): Promise<void> {
    const emit = (progress: EventMap["import-progress"]["progress"]) => this.emit("import-progress", { entry: entryId, progress });
    emit({ stage: "reading" });
    await this.step();
    emit({ stage: "checking" });
    await this.step();
    for (let i = 1; i <= 10; i++) {
      emit({ stage: "rendering", done: i, total: 10 });
      await this.step();
    }
    emit({ stage: "saving" });
    await this.step();
  }

  private addPhotoOf(entryId: string, name: string, text: PhotoText, preview?: string): Photo {
    const e = this.stored(entryId);
    if (e.status === "retracted") throw new AppError("conflict", `entry ${entryId} is retracted; photos cannot be added to it`);
    if (!/\.(jpe?g|png|webp)$/i.test(name)) throw new AppError("invalid_input", `${name} is not a JPEG, PNG or WebP image`);
    if (e.status === "published" && !cleanOptional(text.credit))
      throw new AppError("conflict", `entry ${entryId} is published: a photo added to it needs a credit`);
    // As the core's app import: the photo belongs to the entry, and the
    // editor inserts its block into the body and saves it.
    const p = this.makePhoto(entryId, name, this.photos.size % PALETTES.length, 1600, 1067, text, preview);
    this.emit("import-progress", { entry: entryId, progress: { stage: "done" } });
    this.changed(e.blogSlug, entryId);
    const { preview: _p, ...photo } = p;
    return { ...photo, warnings: photoWarnings(p) };
  }

  importPhoto(entryId: string, path: string, text: PhotoText) {
    return this.run("import_photo", [entryId, path, text], async () => {
      this.stored(entryId);
      await this.importSteps(entryId);
      const name = path.split(/[\\/]/).pop() ?? path;
      return this.addPhotoOf(entryId, name, text);
    });
  }

  importPhotoData(entryId: string, name: string, base64: string, text: PhotoText) {
    return this.run("import_photo_data", [entryId, name, base64, text], async () => {
      this.stored(entryId);
      await this.importSteps(entryId);
      const mime = /\.png$/i.test(name) ? "image/png" : /\.webp$/i.test(name) ? "image/webp" : "image/jpeg";
      return this.addPhotoOf(entryId, name, text, base64 ? `data:${mime};base64,${base64}` : undefined);
    });
  }

  editPhoto(id: string, edit: PhotoEdit) {
    return this.run("edit_photo", [id, edit], () => {
      const p = this.photos.get(id);
      if (!p) throw new AppError("not_found", `no photo with id ${id}`);
      const e = this.stored(p.entry);
      if (e.status === "retracted") throw new AppError("conflict", `entry ${e.id} is retracted; its photos cannot be edited`);
      if (edit.credit !== null && edit.credit.trim() === "" && e.status === "published") {
        throw new AppError("conflict", `photo ${id} is in a published entry: its credit cannot be removed`);
      }
      if (edit.credit !== null) p.credit = cleanOptional(edit.credit);
      if (edit.caption !== null) p.caption = cleanOptional(edit.caption);
      if (edit.alt !== null) p.alt = cleanOptional(edit.alt);
      p.updated_at = this.nowIn(this.blog(e.blogSlug).timezone);
      this.changed(e.blogSlug, e.id);
      const { preview: _p, ...photo } = p;
      return { ...photo, warnings: photoWarnings(p) };
    });
  }

  photoPreview(id: string, width: number) {
    return this.run("photo_preview", [id, width], () => {
      const p = this.photos.get(id);
      if (!p) throw new AppError("not_found", `no photo with id ${id}`);
      return p.preview;
    });
  }

  publishSettings(slug: string) {
    return this.run("publish_settings", [slug], () => {
      this.blog(slug);
      return this.settings.get(slug) ?? null;
    });
  }

  openReader(slug: string) {
    return this.run("open_reader", [slug], () => {
      this.blog(slug);
      const saved = this.settings.get(slug);
      if (!saved) throw new AppError("invalid_input", `blog '${slug}' has not been published yet`);
      window.open(`file://${saved.out_dir.replace(/[\\/]$/, "")}/index.html`, "_blank", "noopener");
    });
  }

  publishBlog(slug: string, options: PublishOptions) {
    return this.run("publish_blog", [slug, options], async (): Promise<PublishReport> => {
      this.blog(slug);
      const saved = this.settings.get(slug);
      const out_dir = options.out_dir?.trim() || saved?.out_dir;
      if (!out_dir) throw new AppError("invalid_input", "choose an output folder: this blog has never been published");
      const page_size = options.page_size ?? saved?.page_size ?? 20;
      if (page_size < 1 || page_size > 500) throw new AppError("invalid_input", "page size must be between 1 and 500");
      const base_url = options.base_url !== null ? cleanOptional(options.base_url) : (saved?.base_url ?? null);
      const started = this.opts.now();
      const emit = (progress: EventMap["publish-progress"]["progress"]) => this.emit("publish-progress", { blog: slug, progress });
      emit({ stage: "reading" });
      await this.step();
      const ids = this.sortedIds(slug).map((id) => this.entries.get(id)!);
      const live = ids.filter((e) => e.status === "published");
      const retracted = ids.filter((e) => e.status === "retracted").length;
      const pages = Math.max(1, Math.ceil(live.length / page_size));
      const chunk = Math.max(1, Math.ceil(live.length / 8));
      for (let done = 0; done < live.length; done = Math.min(live.length, done + chunk)) {
        emit({ stage: "rendering", done, total: live.length });
        await this.step();
      }
      emit({ stage: "rendering", done: live.length, total: live.length });
      const files = pages + 2;
      for (let i = 1; i <= files; i++) {
        emit({ stage: "writing", done: i, total: files });
        if (i % 3 === 0 || i === files) await this.step();
      }
      emit({ stage: "done" });
      const photoIds = live.flatMap((e) => e.blocks.filter((b) => b.type === "photo").map((b) => (b as { photo_id: string }).photo_id));
      const warnings = live.flatMap((e) =>
        e.blocks.flatMap((b) => {
          if (b.type !== "photo") return [];
          const p = this.photos.get(b.photo_id);
          return p && !p.alt ? [`entry ${e.id} ("${e.title}"): photo ${p.id} has no alt text`] : [];
        }),
      );
      const previous = this.published.get(slug);
      this.settings.set(slug, { out_dir, base_url, page_size });
      this.published.set(slug, live.length);
      const total = files + photoIds.length * 10;
      const unchanged = previous !== undefined ? Math.max(0, total - 3) : 0;
      return {
        blog: slug,
        out_dir,
        feed: `${out_dir.replace(/\/$/, "")}/feed.json`,
        base_url,
        page_size,
        entries: live.length,
        pages,
        retracted,
        incremental: previous !== undefined,
        files_written: total - unchanged,
        files_unchanged: unchanged,
        files_removed: 0,
        media_files: photoIds.length * 10,
        bytes_written: (total - unchanged) * 18_432,
        warnings,
        duration_ms: Math.max(1, this.opts.now() - started),
      };
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
