/** True when a keystroke goes to a text field or the rich editor. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  const tag = el.tagName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return true;
  return el.isContentEditable || !!el.closest?.("[contenteditable=true]");
}

export const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
/** Ctrl, or Cmd on macOS. */
export function mod(e: KeyboardEvent | React.KeyboardEvent): boolean {
  return isMac ? e.metaKey : e.ctrlKey;
}
export const MOD = isMac ? "\u2318" : "Ctrl";

export const SHORTCUTS: [string, string][] = [
  ["N", "New entry"],
  [`${MOD}+S`, "Save now"],
  [`${MOD}+Enter`, "Submit for review"],
  [`${MOD}+Shift+P`, "Publish the entry"],
  [`${MOD}+Shift+E`, "Publish the blog"],
  [`/ or ${MOD}+F`, "Search"],
  ["\u2191 / \u2193", "Select previous / next entry"],
  ["Enter", "Open the selected entry"],
  ["Alt+\u2191 / Alt+\u2193", "Move the selected entry up / down"],
  [`${MOD}+Z`, "Undo the last timeline action"],
  ["Escape", "Close panels"],
  [`${MOD}+/`, "Show this list"],
];
