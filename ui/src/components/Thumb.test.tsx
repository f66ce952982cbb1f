import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MockBackend } from "../api/mock";
import { renderWithApi } from "../test/render";
import { Thumb } from "./Thumb";

describe("photo thumbnails", () => {
  it("draws the ThumbHash placeholder first, then the preview from photo_preview", async () => {
    const api = new MockBackend({ latency: 30 });
    const blog = api.seedDemo();
    const rows = await api.timeline(blog.slug, { status: null, search: null });
    const photo = rows.find((r) => r.photo)!.photo!;
    const { container } = renderWithApi(<Thumb id={photo.id} placeholder={photo.placeholder} alt="Flood" />, api);
    const span = container.querySelector(".thumb") as HTMLElement;
    expect(span.style.backgroundImage).toMatch(/^url\("data:image\/png;base64,/);
    expect(container.querySelector("img")).toBeNull();
    const img = await screen.findByAltText("Flood");
    expect(img.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    await waitFor(() => expect(api.callsOf("photo_preview")).toEqual([[photo.id, 320]]));
  });
});
