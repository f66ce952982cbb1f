import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MockBackend } from "../api/mock";
import { AppError } from "../api/types";
import type { Blog } from "../bindings/Blog";
import { renderWithApi } from "../test/render";
import { AUTOSAVE_MS, EntryEditor } from "./EntryEditor";
import { readUnsaved, recoveryKey } from "./recovery";

const sleep = (ms: number) => act(() => new Promise<void>((r) => setTimeout(r, ms)));

async function withEntry(initial: "draft" | "published" = "draft") {
  const api = new MockBackend();
  const blog: Blog = await api.createBlog({ title: "Desk", slug: null, timezone: "Europe/London", summary: null, language: null });
  const entry = await api.addEntry(blog.slug, {
    title: "Harbour wall breached",
    blocks: [
      { type: "paragraph", content: [{ text: "Water is " }, { text: "over the wall", bold: true }] },
      { type: "quote", text: "We have never seen this.", attribution: "Harbour master" },
    ],
    author: "Ana Ruiz",
    display_at: "2026-11-25 14:05",
    initial,
  });
  return { api, blog, entry };
}

describe("entry editor", () => {
  it("loads an entry into the fields and the rich editor", async () => {
    const { api, blog, entry } = await withEntry();
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    await waitFor(() => expect(screen.getByTestId("title-input")).toHaveValue("Harbour wall breached"));
    expect(screen.getByTestId("author-input")).toHaveValue("Ana Ruiz");
    expect(screen.getByTestId("display-time-input")).toHaveValue("2026-11-25T14:05");
    const body = screen.getByTestId("body-editor");
    expect(body.querySelector("strong")).toHaveTextContent("over the wall");
    expect(screen.getByLabelText("Quote attribution")).toHaveValue("Harbour master");
    expect(screen.getByTestId("save-status")).toHaveTextContent("Saved");
  });

  it("autosaves once, about 800 ms after typing stops", async () => {
    const { api, blog, entry } = await withEntry();
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    const title = screen.getByTestId("title-input");
    await waitFor(() => expect(title).toHaveValue("Harbour wall breached"));
    for (const t of ["Harbour wall", "Harbour wall breach", "Harbour wall breached again"]) {
      fireEvent.change(title, { target: { value: t } });
      await sleep(200);
    }
    expect(screen.getByTestId("save-status")).toHaveAttribute("data-state", "unsaved");
    expect(api.callsOf("autosave_entry")).toHaveLength(0);
    await sleep(AUTOSAVE_MS + 150);
    await waitFor(() => expect(screen.getByTestId("save-status")).toHaveAttribute("data-state", "saved"));
    expect(api.callsOf("autosave_entry")).toHaveLength(1);
    expect(api.callsOf("edit_entry")).toHaveLength(0);
    const [id, edit] = api.callsOf("autosave_entry")[0] as [string, Record<string, unknown>];
    expect(id).toBe(entry.id);
    expect(edit.title).toBe("Harbour wall breached again");
    // Unchanged display time and correction note are left alone.
    expect(edit.display_at).toBeNull();
    expect(edit.correction_note).toBeNull();
    expect(edit.blocks).toEqual(entry.blocks);
    expect((await api.getEntry(entry.id)).title).toBe("Harbour wall breached again");
  });

  it("saves at once with the Save button, then not again", async () => {
    const { api, blog, entry } = await withEntry();
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    await waitFor(() => expect(screen.getByTestId("title-input")).toHaveValue("Harbour wall breached"));
    fireEvent.change(screen.getByTestId("author-input"), { target: { value: "" } });
    fireEvent.click(screen.getByTestId("save-button"));
    await waitFor(() => expect(api.callsOf("edit_entry")).toHaveLength(1));
    // "" removes the byline.
    expect((api.callsOf("edit_entry")[0] as [string, { author: string }])[1].author).toBe("");
    await sleep(AUTOSAVE_MS + 100);
    expect(api.callsOf("edit_entry")).toHaveLength(1);
  });

  it("creates a new entry with add_entry once it has a title, then edits it", async () => {
    const api = new MockBackend();
    const blog = await api.createBlog({ title: "Desk", slug: null, timezone: "UTC", summary: null, language: null });
    renderWithApi(<EntryEditor blog={blog} entryId={null} defaultAuthor="Lea" onClose={() => {}} />, api);
    expect(screen.getByTestId("save-status")).toHaveAttribute("data-state", "new");
    fireEvent.change(screen.getByTestId("title-input"), { target: { value: "Road closed" } });
    await sleep(AUTOSAVE_MS + 150);
    await waitFor(() => expect(api.callsOf("add_entry")).toHaveLength(1));
    expect(api.callsOf("add_entry")[0]).toEqual([
      blog.slug,
      { title: "Road closed", blocks: [], author: "Lea", display_at: null, initial: "draft" },
    ]);
    await waitFor(() => expect(screen.getByTestId("save-status")).toHaveAttribute("data-state", "saved"));
    fireEvent.change(screen.getByTestId("title-input"), { target: { value: "Road closed at the bridge" } });
    await sleep(AUTOSAVE_MS + 150);
    await waitFor(() => expect(api.callsOf("autosave_entry")).toHaveLength(1));
    expect(api.callsOf("add_entry")).toHaveLength(1);
    const rows = await api.timeline(blog.slug, { status: null, search: null });
    expect(rows.map((r) => r.title)).toEqual(["Road closed at the bridge"]);
  });

  it("keeps a failed save in localStorage and offers it back on the next open", async () => {
    const { api, blog, entry } = await withEntry();
    const view = renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    await waitFor(() => expect(screen.getByTestId("title-input")).toHaveValue("Harbour wall breached"));
    api.failNext("autosave_entry", new AppError("database", "The database is busy."));
    fireEvent.change(screen.getByTestId("title-input"), { target: { value: "Not yet saved title" } });
    await sleep(AUTOSAVE_MS + 150);
    await waitFor(() => expect(screen.getByTestId("save-status")).toHaveAttribute("data-state", "error"));
    expect(screen.getAllByText(/The database is busy/).length).toBeGreaterThan(0);
    expect(readUnsaved(recoveryKey(blog.slug, entry.id))?.title).toBe("Not yet saved title");
    // Simulate a crash: the component goes away without another save.
    api.failNext("autosave_entry", new AppError("database", "Still busy."));
    view.unmount();
    await sleep(50);
    expect((await api.getEntry(entry.id)).title).toBe("Harbour wall breached");

    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    const banner = await screen.findByTestId("recovery-banner");
    expect(banner).toHaveTextContent("Recovered unsaved text");
    fireEvent.click(screen.getByTestId("recovery-restore"));
    expect(screen.getByTestId("title-input")).toHaveValue("Not yet saved title");
    await sleep(AUTOSAVE_MS + 150);
    await waitFor(() => expect(screen.getByTestId("save-status")).toHaveAttribute("data-state", "saved"));
    expect((await api.getEntry(entry.id)).title).toBe("Not yet saved title");
    expect(readUnsaved(recoveryKey(blog.slug, entry.id))).toBeNull();
  });

  it("keeps a new untitled entry's text locally until it can be created", async () => {
    const api = new MockBackend();
    const blog = await api.createBlog({ title: "Desk", slug: null, timezone: "UTC", summary: null, language: null });
    renderWithApi(<EntryEditor blog={blog} entryId={null} onClose={() => {}} />, api);
    fireEvent.change(screen.getByTestId("author-input"), { target: { value: "Kofi" } });
    await sleep(AUTOSAVE_MS + 100);
    expect(api.callsOf("add_entry")).toHaveLength(0);
    expect(readUnsaved(recoveryKey(blog.slug, null))?.author).toBe("Kofi");
  });

  it("folds autosaves into one revision and makes a checkpoint on an explicit save", async () => {
    const { api, blog, entry } = await withEntry();
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    const title = screen.getByTestId("title-input");
    await waitFor(() => expect(title).toHaveValue("Harbour wall breached"));
    fireEvent.change(title, { target: { value: "Harbour wall breached at noon" } });
    await sleep(AUTOSAVE_MS + 150);
    await waitFor(() => expect(api.callsOf("autosave_entry")).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId("save-status")).toHaveAttribute("data-state", "saved"));
    fireEvent.change(title, { target: { value: "Harbour wall breached at 12:05" } });
    await sleep(AUTOSAVE_MS + 150);
    await waitFor(() => expect(api.callsOf("autosave_entry")).toHaveLength(2));
    await waitFor(() => expect(screen.getByTestId("save-status")).toHaveAttribute("data-state", "saved"));
    expect((await api.entryHistory(entry.id)).map((r) => r.content.title)).toEqual(["Harbour wall breached", "Harbour wall breached at 12:05"]);
    // Nothing new to save: the explicit save seals the autosaved revision
    // (as the core does), so the next autosave starts a new one.
    fireEvent.click(screen.getByTestId("save-button"));
    await waitFor(() => expect(api.callsOf("edit_entry")).toHaveLength(1));
    expect(await api.entryHistory(entry.id)).toHaveLength(2);
    fireEvent.click(screen.getByTestId("save-button"));
    await sleep(100);
    expect(api.callsOf("edit_entry")).toHaveLength(1);
    fireEvent.change(title, { target: { value: "Harbour wall breached at 12:10" } });
    await sleep(AUTOSAVE_MS + 150);
    await waitFor(() => expect(api.callsOf("autosave_entry")).toHaveLength(3));
    await waitFor(async () =>
      expect((await api.entryHistory(entry.id)).map((r) => r.content.title)).toEqual([
        "Harbour wall breached",
        "Harbour wall breached at 12:05",
        "Harbour wall breached at 12:10",
      ]),
    );
  });

  it("shows the correction note for published entries and sends it", async () => {
    const { api, blog, entry } = await withEntry("published");
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    const note = await screen.findByTestId("correction-note");
    fireEvent.change(note, { target: { value: "An earlier version named the wrong street." } });
    fireEvent.click(screen.getByTestId("save-button"));
    await waitFor(() => expect(api.callsOf("edit_entry")).toHaveLength(1));
    expect((api.callsOf("edit_entry")[0] as [string, { correction_note: string }])[1].correction_note).toBe("An earlier version named the wrong street.");
    expect((await api.getEntry(entry.id)).correction_note).toBe("An earlier version named the wrong street.");
    expect(screen.getByTestId("retract-button")).toBeInTheDocument();
  });

  it("submits and returns with a required note", async () => {
    const { api, blog, entry } = await withEntry();
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    fireEvent.click(await screen.findByTestId("submit-button"));
    await waitFor(() => expect(screen.getByTestId("status-badge")).toHaveTextContent("Ready"));
    fireEvent.click(screen.getByTestId("return-button"));
    const submit = screen.getByRole("button", { name: "Return to draft" });
    expect(submit).toBeDisabled();
    fireEvent.change(screen.getByTestId("return-note"), { target: { value: "Confirm the gauge reading" } });
    fireEvent.click(submit);
    await waitFor(() => expect(screen.getByTestId("status-badge")).toHaveTextContent("Draft"));
    expect(api.callsOf("return_entry")).toEqual([[entry.id, "Confirm the gauge reading"]]);
  });

  it("imports a chosen photo with progress, shows its fields and refuses to publish without credit", async () => {
    const api = new MockBackend({ stepDelay: 10 });
    const blog = await api.createBlog({ title: "Desk", slug: null, timezone: "UTC", summary: null, language: null });
    const entry = await api.addEntry(blog.slug, { title: "Photo entry", blocks: [], author: null, display_at: null, initial: "draft" });
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    await waitFor(() => expect(screen.getByTestId("title-input")).toHaveValue("Photo entry"));
    const file = new File([new Uint8Array([1, 2, 3])], "quay.jpg", { type: "image/jpeg" });
    fireEvent.change(screen.getByTestId("photo-file-input"), { target: { files: [file] } });
    expect(await screen.findByTestId("import-progress")).toBeInTheDocument();
    const block = await screen.findByTestId("photo-block", {}, { timeout: 3000 });
    expect(api.callsOf("import_photo_data")[0]!.slice(0, 3)).toEqual([entry.id, "quay.jpg", "AQID"]);
    await waitFor(() => expect(block).toHaveTextContent("Required to publish"));
    fireEvent.click(screen.getByTestId("publish-entry-button"));
    const alert = await screen.findByTestId("toast-error");
    expect(alert).toHaveTextContent(/cannot be published with photo .*: the photo has no credit/);
    const credit = screen.getByLabelText("Photo credit");
    fireEvent.change(credit, { target: { value: "Ana Ruiz" } });
    fireEvent.blur(credit);
    await waitFor(() => expect(api.callsOf("edit_photo")).toHaveLength(1));
    fireEvent.click(screen.getByTestId("publish-entry-button"));
    await waitFor(() => expect(screen.getByTestId("status-badge")).toHaveTextContent("Published"));
    const saved = await api.getEntry(entry.id);
    expect(saved.blocks.filter((b) => b.type === "photo")).toHaveLength(1);
  });
});

describe("retracted entries", () => {
  it("are shown read-only", async () => {
    const { api, blog, entry } = await withEntry("published");
    await api.retractEntry(entry.id);
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    expect(await screen.findByTestId("retracted-banner")).toHaveTextContent("can no longer be edited");
    expect(screen.getByTestId("title-input")).toBeDisabled();
    await waitFor(() => expect(screen.getByTestId("body-editor")).toHaveAttribute("contenteditable", "false"));
    expect(screen.queryByTestId("publish-entry-button")).toBeNull();
  });
});

describe("body blocks", () => {
  it("adds a quote with attribution and an embed from the toolbar, and saves them as blocks", async () => {
    const api = new MockBackend();
    const blog = await api.createBlog({ title: "Desk", slug: null, timezone: "UTC", summary: null, language: null });
    const entry = await api.addEntry(blog.slug, {
      title: "Quotes",
      blocks: [{ type: "paragraph", content: [{ text: "Intro." }] }],
      author: null,
      display_at: null,
      initial: "draft",
    });
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    await waitFor(() => expect(screen.getByTestId("title-input")).toHaveValue("Quotes"));
    fireEvent.click(screen.getByTestId("tb-quote"));
    fireEvent.change(await screen.findByLabelText("Quote text"), { target: { value: "Everyone is safe." } });
    fireEvent.change(screen.getByLabelText("Quote attribution"), { target: { value: "Fire service" } });
    fireEvent.click(screen.getByTestId("tb-embed"));
    fireEvent.change(await screen.findByLabelText("Embed URL"), { target: { value: "https://video.example/1" } });
    fireEvent.change(screen.getByLabelText("Embed intro line"), { target: { value: "Our reporter:" } });
    fireEvent.click(screen.getByTestId("save-button"));
    await waitFor(() => expect(api.callsOf("edit_entry").length).toBeGreaterThan(0));
    const saved = await api.getEntry(entry.id);
    expect(saved.blocks).toEqual([
      { type: "paragraph", content: [{ text: "Intro." }] },
      { type: "quote", text: "Everyone is safe.", attribution: "Fire service" },
      { type: "embed", url: "https://video.example/1", intro: "Our reporter:" },
    ]);
  });

  it("warns about an embed address that is not absolute http(s)", async () => {
    const { api, blog, entry } = await withEntry();
    renderWithApi(<EntryEditor blog={blog} entryId={entry.id} onClose={() => {}} />, api);
    await waitFor(() => expect(screen.getByTestId("title-input")).toHaveValue("Harbour wall breached"));
    fireEvent.click(screen.getByTestId("tb-embed"));
    fireEvent.change(await screen.findByLabelText("Embed URL"), { target: { value: "video.example/1" } });
    expect(await screen.findByText("Use an absolute http or https address.")).toBeInTheDocument();
  });
});
