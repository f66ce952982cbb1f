import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import { MockBackend } from "./api/mock";
import { renderWithApi } from "./test/render";

describe("app", () => {
  it("explains itself on first run and creates a demo blog", async () => {
    const api = new MockBackend();
    renderWithApi(<App />, api);
    expect(await screen.findByTestId("empty-state")).toHaveTextContent("Create a blog");
    fireEvent.click(screen.getByTestId("create-demo-blog"));
    await waitFor(() => expect(screen.getAllByTestId("timeline-row").length).toBeGreaterThan(5));
    expect(screen.getByTestId("blog-list-item")).toHaveTextContent("River Vell floods Coldmere");
  });

  it("creates a blog in the chosen zone", async () => {
    const api = new MockBackend();
    renderWithApi(<App />, api);
    fireEvent.click(await screen.findByTestId("empty-create-blog"));
    fireEvent.change(screen.getByTestId("blog-title-input"), { target: { value: "Election night" } });
    fireEvent.change(screen.getByTestId("blog-timezone"), { target: { value: "Asia/Tokyo" } });
    fireEvent.click(screen.getByTestId("create-blog-submit"));
    await waitFor(() => expect(screen.getByTestId("blog-title")).toHaveTextContent("Election night"));
    expect(api.callsOf("create_blog")[0]).toEqual([{ title: "Election night", slug: null, timezone: "Asia/Tokyo", summary: null, language: expect.any(String) }]);
    expect(screen.getByText("Asia/Tokyo")).toBeInTheDocument();
  });

  it("opens a new entry with N (not while typing) and saves it at once with Ctrl+S", async () => {
    const api = new MockBackend();
    api.seedDemo();
    renderWithApi(<App />, api);
    await screen.findAllByTestId("timeline-row");
    fireEvent.keyDown(screen.getByTestId("search-input"), { key: "n" });
    expect(screen.queryByTestId("entry-editor")).toBeNull();
    fireEvent.keyDown(document.body, { key: "n" });
    const title = await screen.findByTestId("title-input");
    fireEvent.change(title, { target: { value: "Bridge reopens" } });
    fireEvent.keyDown(title, { key: "s", ctrlKey: true, metaKey: true });
    await waitFor(() => expect(api.callsOf("add_entry")).toHaveLength(1));
    await waitFor(() => expect(screen.getAllByTestId("timeline-row").some((r) => r.textContent?.includes("Bridge reopens"))).toBe(true));
  });

  it("lists ready entries in the review queue and publishes from it", async () => {
    const api = new MockBackend();
    api.seedDemo();
    renderWithApi(<App />, api);
    await screen.findAllByTestId("timeline-row");
    fireEvent.click(screen.getByTestId("tab-review"));
    await waitFor(() => expect(screen.getAllByTestId("timeline-row")).toHaveLength(2));
    const rest = screen.getAllByTestId("timeline-row").find((r) => r.textContent?.includes("Rest centre"))!;
    fireEvent.click(rest.querySelector("button.btn-primary")!);
    await waitFor(() => expect(screen.getAllByTestId("timeline-row")).toHaveLength(1));
    expect(api.callsOf("publish_entry")).toHaveLength(1);
  });

  it("shows the shortcut list with Ctrl+/ and closes it with Escape", async () => {
    const api = new MockBackend();
    api.seedDemo();
    renderWithApi(<App />, api);
    await screen.findAllByTestId("timeline-row");
    fireEvent.keyDown(document.body, { key: "/", ctrlKey: true, metaKey: true });
    const overlay = await screen.findByTestId("shortcuts-overlay");
    expect(overlay).toHaveTextContent("Publish the blog");
    fireEvent.keyDown(overlay, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("shortcuts-overlay")).toBeNull());
  });

  it("refreshes the timeline on changed events from elsewhere", async () => {
    const api = new MockBackend();
    const blog = api.seedDemo();
    renderWithApi(<App />, api);
    await screen.findAllByTestId("timeline-row");
    // A write the UI did not make (the CLI, another window).
    await api.addEntry(blog.slug, { title: "From the command line", blocks: [], author: null, display_at: null, initial: "draft" });
    await waitFor(() => expect(screen.getAllByTestId("timeline-row").some((r) => r.textContent?.includes("From the command line"))).toBe(true));
  });

  it("refreshes only the edited row when an edit leaves the order alone", async () => {
    const api = new MockBackend();
    const blog = api.seedDemo();
    renderWithApi(<App />, api);
    const rows = await screen.findAllByTestId("timeline-row");
    const id = rows[1]!.getAttribute("data-entry-id")!;
    const timelineLoads = api.callsOf("timeline").length;
    await api.autosaveEntry(id, { title: "Retitled while typing", blocks: null, author: null, display_at: null, correction_note: null });
    await waitFor(() => expect(screen.getAllByTestId("timeline-row")[1]).toHaveTextContent("Retitled while typing"));
    expect(api.callsOf("timeline_row")).toEqual([[id]]);
    expect(api.callsOf("timeline")).toHaveLength(timelineLoads);
    // Pinning moves the row: the whole timeline reloads.
    await api.setPinned(id, true);
    await waitFor(() => expect(api.callsOf("timeline").length).toBeGreaterThan(timelineLoads));
    expect(blog.slug).toBeTruthy();
  });
});
