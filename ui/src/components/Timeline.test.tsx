import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import { MockBackend } from "../api/mock";
import { AppError } from "../api/types";
import { renderWithApi } from "../test/render";

const rowIds = () => screen.queryAllByTestId("timeline-row").map((r) => r.getAttribute("data-entry-id"));

async function demoApp(opts: ConstructorParameters<typeof MockBackend>[0] = {}) {
  const api = new MockBackend(opts);
  const blog = api.seedDemo();
  renderWithApi(<App />, api);
  await screen.findAllByTestId("timeline-row");
  const all = await api.timeline(blog.slug, { status: null, search: null });
  return { api, blog, all };
}

describe("timeline", () => {
  it("renders the blog and its rows from the backend, pinned first", async () => {
    const { all } = await demoApp();
    expect(screen.getByTestId("blog-title")).toHaveTextContent("River Vell floods Coldmere");
    expect(screen.getAllByTestId("blog-list-item")).toHaveLength(1);
    const rows = screen.getAllByTestId("timeline-row");
    expect(rows[0]).toHaveAttribute("data-entry-id", all[0]!.id);
    expect(within(rows[0]!).getByTestId("pinned-marker")).toBeInTheDocument();
    expect(within(rows[0]!).getByTestId("status-badge")).toHaveTextContent("Published");
    expect(screen.getByRole("listbox", { name: /entries/i })).toHaveAttribute("data-count", String(all.length));
    // Times are shown as written in the blog's zone.
    const first = all[0]!.display_at.slice(11, 16);
    expect(rows[0]).toHaveTextContent(first);
  });

  it("shows warning chips for photos without credit or alt text", async () => {
    await demoApp();
    const row = screen.getAllByTestId("timeline-row").find((r) => r.textContent?.includes("Drone footage"))!;
    expect(within(row).getByTestId("warning-credit")).toHaveTextContent("No credit");
    expect(within(row).getByTestId("warning-alt")).toHaveTextContent("No alt text");
  });

  it("filters by status and searches through the backend", async () => {
    const { api, blog } = await demoApp();
    fireEvent.change(screen.getByTestId("status-filter"), { target: { value: "ready" } });
    await waitFor(() => expect(screen.getAllByTestId("timeline-row")).toHaveLength(2));
    for (const r of screen.getAllByTestId("timeline-row")) expect(within(r).getByTestId("status-badge")).toHaveTextContent("Ready");
    expect(api.callsOf("timeline").at(-1)).toEqual([blog.slug, { status: "ready", search: null }]);

    fireEvent.change(screen.getByTestId("status-filter"), { target: { value: "" } });
    fireEvent.change(screen.getByTestId("search-input"), { target: { value: "sandbags" } });
    await waitFor(() => expect(api.callsOf("timeline").at(-1)).toEqual([blog.slug, { status: null, search: "sandbags" }]));
    await waitFor(() => {
      const rows = screen.getAllByTestId("timeline-row");
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.textContent!.toLowerCase()).toContain("sandbags");
    });
  });

  it("renders only a window of a 10,000-entry timeline", async () => {
    const api = new MockBackend();
    api.seedLarge(10_000);
    renderWithApi(<App />, api);
    await screen.findAllByTestId("timeline-row");
    const list = screen.getByRole("listbox", { name: /entries/i });
    expect(list).toHaveAttribute("data-count", "10000");
    const rendered = screen.getAllByTestId("timeline-row");
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(40);
    expect(rendered[0]).toHaveAttribute("aria-setsize", "10000");
    expect(screen.getByTestId("row-count")).toHaveTextContent("10,000 entries");
  });

  it("moves the selected row with Alt+Down in one move_entry call, optimistically", async () => {
    const { api, all, blog } = await demoApp({ latency: 30 });
    const [, a, b] = all; // all[0] is pinned; a and b are the first unpinned rows
    fireEvent.click(screen.getAllByTestId("timeline-row").find((r) => r.getAttribute("data-entry-id") === a!.id)!);
    const list = screen.getByRole("listbox", { name: /entries/i });
    expect(list).toHaveAttribute("aria-activedescendant", `row-${a!.id}`);
    const before = api.callsOf("move_entry").length;
    fireEvent.keyDown(list, { key: "ArrowDown", altKey: true });
    // The view changes at once, before the backend answers.
    expect(rowIds().slice(1, 3)).toEqual([b!.id, a!.id]);
    await waitFor(() => expect(api.callsOf("move_entry")).toHaveLength(before + 1));
    expect(api.callsOf("move_entry").at(-1)).toEqual([a!.id, { to: "after", id: b!.id }]);
    const after = await api.timeline(blog.slug, { status: null, search: null });
    expect(after.slice(1, 3).map((r) => r.id)).toEqual([b!.id, a!.id]);
  });

  it("does not move across the pinned group with Alt+Up", async () => {
    const { api, all } = await demoApp();
    fireEvent.click(screen.getAllByTestId("timeline-row").find((r) => r.getAttribute("data-entry-id") === all[1]!.id)!);
    fireEvent.keyDown(screen.getByRole("listbox", { name: /entries/i }), { key: "ArrowUp", altKey: true });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(api.callsOf("move_entry")).toHaveLength(0);
  });

  it("rolls back a refused move and says why", async () => {
    const { api, all } = await demoApp({ latency: 30 });
    const original = rowIds();
    api.failNext("move_entry", new AppError("conflict", "The entry was moved by someone else."));
    fireEvent.click(screen.getAllByTestId("timeline-row").find((r) => r.getAttribute("data-entry-id") === all[2]!.id)!);
    fireEvent.keyDown(screen.getByRole("listbox", { name: /entries/i }), { key: "ArrowUp", altKey: true });
    expect(rowIds()).not.toEqual(original);
    expect(await screen.findByText("The entry was moved by someone else.")).toBeInTheDocument();
    expect(rowIds()).toEqual(original);
  });

  it("undoes a move with Ctrl+Z by issuing the inverse move", async () => {
    const { api, all } = await demoApp();
    const [, a, b] = all;
    fireEvent.click(screen.getAllByTestId("timeline-row").find((r) => r.getAttribute("data-entry-id") === a!.id)!);
    fireEvent.keyDown(screen.getByRole("listbox", { name: /entries/i }), { key: "ArrowDown", altKey: true });
    await waitFor(() => expect(api.callsOf("move_entry")).toHaveLength(1));
    await screen.findByText("Entry moved");
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true, metaKey: true });
    await waitFor(() => expect(api.callsOf("move_entry")).toHaveLength(2));
    expect(api.callsOf("move_entry")[1]).toEqual([a!.id, { to: "before", id: b!.id }]);
    await waitFor(() => expect(rowIds().slice(1, 3)).toEqual([a!.id, b!.id]));
  });

  it("selects with arrow keys and opens the editor with Enter", async () => {
    const { all } = await demoApp();
    const list = screen.getByRole("listbox", { name: /entries/i });
    fireEvent.keyDown(list, { key: "ArrowDown" });
    fireEvent.keyDown(list, { key: "ArrowDown" });
    expect(list).toHaveAttribute("aria-activedescendant", `row-${all[1]!.id}`);
    fireEvent.keyDown(list, { key: "Enter" });
    const title = await screen.findByTestId("title-input");
    await waitFor(() => expect(title).toHaveValue(all[1]!.title));
  });

  it("offers workflow actions in the context menu and pins through it", async () => {
    const { api, all } = await demoApp();
    const row = screen.getAllByTestId("timeline-row").find((r) => r.getAttribute("data-entry-id") === all[3]!.id)!;
    fireEvent.click(within(row).getByTestId("row-menu-button"));
    const menu = await screen.findByTestId("context-menu");
    expect(within(menu).getByTestId("menu-pin")).toHaveTextContent("Pin to top");
    fireEvent.click(within(menu).getByTestId("menu-pin"));
    await waitFor(() => expect(api.callsOf("set_pinned")).toEqual([[all[3]!.id, true]]));
    await waitFor(() => expect(rowIds().slice(0, 2)).toContain(all[3]!.id));
  });
});
