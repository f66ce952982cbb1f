import { describe, expect, it } from "vitest";
import { MockBackend } from "./mock";
import { AppError, toAppError } from "./types";

async function setup() {
  const api = new MockBackend();
  const blog = await api.createBlog({ title: "Test coverage", slug: null, timezone: "Europe/London", summary: null, language: null });
  return { api, blog };
}

const NO_TEXT = { credit: null, caption: null, alt: null };

describe("mock backend rules (as the core)", () => {
  it("follows draft → ready → published → retracted", async () => {
    const { api, blog } = await setup();
    const e = await api.addEntry(blog.slug, { title: "One", blocks: [], author: null, display_at: null, initial: "draft" });
    expect((await api.submitEntry(e.id)).status).toBe("ready");
    await expect(api.submitEntry(e.id)).rejects.toMatchObject({ code: "invalid_transition" });
    expect((await api.publishEntry(e.id)).status).toBe("published");
    await expect(api.deleteEntry(e.id)).rejects.toMatchObject({ code: "conflict" });
    expect((await api.retractEntry(e.id)).status).toBe("retracted");
    await expect(api.editEntry(e.id, { title: "x", blocks: null, author: null, display_at: null, correction_note: null })).rejects.toMatchObject({ code: "conflict" });
  });
  it("requires a note to return an entry", async () => {
    const { api, blog } = await setup();
    const e = await api.addEntry(blog.slug, { title: "One", blocks: [], author: null, display_at: null, initial: "ready" });
    await expect(api.returnEntry(e.id, " ")).rejects.toMatchObject({ code: "invalid_input" });
    const back = await api.returnEntry(e.id, "Check the name");
    expect(back.status).toBe("draft");
    expect(back.review_note).toBe("Check the name");
  });
  it("refuses to publish an entry whose photo has no credit", async () => {
    const { api, blog } = await setup();
    const e = await api.addEntry(blog.slug, { title: "Photo", blocks: [], author: null, display_at: null, initial: "draft" });
    const p = await api.importPhoto(e.id, "/tmp/harbour.jpg", NO_TEXT);
    expect(p.warnings.join(" ")).toMatch(/no credit/);
    // The import leaves the body to the editor, which inserts the block.
    expect((await api.getEntry(e.id)).blocks).toEqual([]);
    await api.autosaveEntry(e.id, { title: null, blocks: [{ type: "photo", photo_id: p.id }], author: null, display_at: null, correction_note: null });
    await expect(api.publishEntry(e.id)).rejects.toMatchObject({ code: "conflict" });
    await api.editPhoto(p.id, { credit: "Ana Ruiz", caption: null, alt: null });
    expect((await api.publishEntry(e.id)).status).toBe("published");
  });
  it("moves only within the pinned or unpinned group", async () => {
    const { api, blog } = await setup();
    const add = (title: string) => api.addEntry(blog.slug, { title, blocks: [], author: null, display_at: null, initial: "draft" });
    const a = await add("a");
    const b = await add("b");
    const c = await add("c");
    await api.setPinned(a.id, true);
    await expect(api.moveEntry(b.id, { to: "before", id: a.id })).rejects.toMatchObject({ code: "invalid_input" });
    await api.moveEntry(c.id, { to: "after", id: b.id });
    const rows = await api.timeline(blog.slug, { status: null, search: null });
    expect(rows.map((r) => r.title)).toEqual(["a", "b", "c"]);
  });
  it("puts a first publication at the top of the unpinned entries", async () => {
    const { api, blog } = await setup();
    const add = (title: string) => api.addEntry(blog.slug, { title, blocks: [], author: null, display_at: null, initial: "draft" });
    const old = await add("old");
    await add("new");
    await api.publishEntry(old.id);
    const rows = await api.timeline(blog.slug, { status: null, search: null });
    expect(rows[0]!.title).toBe("old");
  });
  it("reads local display times in the blog's zone and refuses skipped ones", async () => {
    const { api, blog } = await setup();
    const e = await api.addEntry(blog.slug, { title: "t", blocks: [], author: null, display_at: "2026-07-01 14:05", initial: "draft" });
    expect(e.display_at).toBe("2026-07-01T14:05:00+01:00");
    await expect(api.editEntry(e.id, { title: null, blocks: null, author: null, display_at: "2026-03-29 01:30", correction_note: null })).rejects.toMatchObject({ code: "invalid_time" });
  });
  it("refuses empty paragraphs and unsafe links, like the core's validate", async () => {
    const { api, blog } = await setup();
    const add = (blocks: Parameters<typeof api.addEntry>[1]["blocks"]) => api.addEntry(blog.slug, { title: "t", blocks, author: null, display_at: null, initial: "draft" });
    await expect(add([{ type: "paragraph", content: [{ text: " " }] }])).rejects.toMatchObject({ code: "invalid_input" });
    await expect(add([{ type: "paragraph", content: [{ text: "x", link: "javascript:alert(1)" }] }])).rejects.toMatchObject({ code: "invalid_input" });
  });
  it("keeps a revision per save and restores as a new one", async () => {
    const { api, blog } = await setup();
    const e = await api.addEntry(blog.slug, { title: "v1", blocks: [], author: null, display_at: null, initial: "draft" });
    await api.editEntry(e.id, { title: "v2", blocks: null, author: null, display_at: null, correction_note: null });
    const restored = await api.restoreRevision(e.id, 1);
    expect(restored.title).toBe("v1");
    const hist = await api.entryHistory(e.id);
    expect(hist.map((r) => [r.revision, r.action, r.restored_from])).toEqual([
      [1, "created", null],
      [2, "edited", null],
      [3, "restored", 1],
    ]);
  });
  it("filters and searches the timeline, and builds 10,000 rows", async () => {
    const api = new MockBackend();
    const blog = api.seedLarge(10_000);
    const all = await api.timeline(blog.slug, { status: null, search: null });
    expect(all).toHaveLength(10_000);
    expect(all[0]!.pinned).toBe(true);
    const ready = await api.timeline(blog.slug, { status: "ready", search: null });
    expect(ready.length).toBeGreaterThan(0);
    expect(ready.every((r) => r.status === "ready")).toBe(true);
    const found = await api.timeline(blog.slug, { status: null, search: "#1234)" });
    expect(found.map((r) => r.title)).toEqual([expect.stringContaining("(#1234)")]);
  });
  it("emits changed after writes", async () => {
    const { api, blog } = await setup();
    const seen: unknown[] = [];
    const off = api.on("changed", (c) => seen.push(c));
    const e = await api.addEntry(blog.slug, { title: "t", blocks: [], author: null, display_at: null, initial: "draft" });
    off();
    await api.submitEntry(e.id);
    expect(seen).toEqual([{ blog: blog.slug, entry: e.id }]);
  });
});

describe("toAppError", () => {
  it("keeps the core's code and message", () => {
    const e = toAppError({ code: "not_found", message: "no entry" });
    expect(e).toBeInstanceOf(AppError);
    expect([e.code, e.message]).toEqual(["not_found", "no entry"]);
  });
  it("reads JSON strings, plain strings and junk", () => {
    expect(toAppError('{"code":"io","message":"disk full"}').code).toBe("io");
    expect(toAppError("boom").message).toBe("boom");
    expect(toAppError(undefined).message).toBe("Something went wrong.");
    expect(toAppError({ code: "weird", message: "m" }).code).toBe("unknown");
  });
});
