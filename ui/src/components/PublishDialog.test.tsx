import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MockBackend } from "../api/mock";
import { AppError } from "../api/types";
import { renderWithApi } from "../test/render";
import { PublishDialog } from "./PublishDialog";

describe("publish dialog", () => {
  it("publishes with progress from publish-progress events and shows the report", async () => {
    const api = new MockBackend({ stepDelay: 15 });
    const blog = api.seedDemo();
    renderWithApi(<PublishDialog blog={blog} onClose={() => {}} />, api);
    await waitFor(() => expect(api.callsOf("publish_settings")).toEqual([[blog.slug]]));
    const run = screen.getByTestId("publish-run");
    expect(run).toBeDisabled(); // no folder yet
    fireEvent.change(screen.getByTestId("publish-out-dir"), { target: { value: "/srv/www/live" } });
    fireEvent.click(run);
    const bar = await screen.findByTestId("publish-progress");
    await waitFor(() => expect(bar).toHaveTextContent(/Rendering \d+ of 60 entries/));
    expect(Number(bar.getAttribute("aria-valuenow"))).toBeGreaterThan(0);
    const report = await screen.findByTestId("publish-result", {}, { timeout: 3000 });
    expect(within(report).getByTestId("report-entries")).toHaveTextContent("60");
    expect(report).toHaveTextContent("/srv/www/live/feed.json");
    expect(report).toHaveTextContent(/warning/); // a published photo without alt text
    expect(screen.queryByTestId("publish-progress")).toBeNull();
    expect(screen.getByTestId("open-reader")).toBeInTheDocument();
    expect(api.callsOf("publish_blog")).toEqual([[blog.slug, { out_dir: "/srv/www/live", base_url: null, page_size: 20 }]]);
  });

  it("starts from the saved settings and shows a refusal", async () => {
    const api = new MockBackend();
    const blog = api.seedDemo();
    await api.publishBlog(blog.slug, { out_dir: "/srv/out", base_url: "https://news.example/live/", page_size: 50 });
    renderWithApi(<PublishDialog blog={blog} onClose={() => {}} />, api);
    await waitFor(() => expect(screen.getByTestId("publish-out-dir")).toHaveValue("/srv/out"));
    expect(screen.getByDisplayValue("https://news.example/live/")).toBeInTheDocument();
    expect(screen.getByDisplayValue("50")).toBeInTheDocument();
    api.failNext("publish_blog", new AppError("io", "cannot write /srv/out/feed.json: permission denied"));
    fireEvent.click(screen.getByTestId("publish-run"));
    expect(await screen.findByRole("alert")).toHaveTextContent("permission denied");
    expect(screen.queryByTestId("publish-result")).toBeNull();
  });
});
