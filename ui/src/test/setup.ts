import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// Generous waits: CI machines may be busy compiling Rust at the same time.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
});

// jsdom lacks these; the virtualizer and TipTap touch them.
class RO {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as unknown as { ResizeObserver: typeof RO }).ResizeObserver ??= RO;
if (!document.elementFromPoint) document.elementFromPoint = () => null;
if (!Range.prototype.getClientRects) {
  Range.prototype.getClientRects = () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
}
if (!Range.prototype.getBoundingClientRect) {
  Range.prototype.getBoundingClientRect = () => new DOMRect(0, 0, 0, 0);
}
Element.prototype.scrollIntoView ??= function () {};

// Give the timeline's scroll container a size, so the virtualizer renders a
// window of rows as it does in a real window.
const clientSize = (size: number) => ({
  configurable: true,
  get(this: HTMLElement) {
    return this.classList?.contains("timeline-scroll") ? size : 0;
  },
});
Object.defineProperty(HTMLElement.prototype, "clientHeight", clientSize(800));
Object.defineProperty(HTMLElement.prototype, "clientWidth", clientSize(1000));
