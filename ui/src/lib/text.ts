import type { Block } from "../bindings/Block";

/** The block's text without formatting (as the core's Block::plain_text). */
export function blockPlainText(b: Block): string {
  switch (b.type) {
    case "paragraph":
      return b.content.map((s) => s.text).join("");
    case "quote":
      return b.attribution ? `\u201c${b.text}\u201d \u2014 ${b.attribution}` : `\u201c${b.text}\u201d`;
    case "embed":
      return b.intro ? `${b.intro} ${b.url}` : b.url;
    case "photo":
      return "";
  }
}

export function plainText(blocks: Block[]): string {
  return blocks
    .map(blockPlainText)
    .filter((t) => t !== "")
    .join(" ");
}

export function excerpt(blocks: Block[], max = 160): string {
  const t = plainText(blocks).replace(/\s+/g, " ").trim();
  if (t.length <= max) return t;
  return t.slice(0, max - 1).trimEnd() + "\u2026";
}

export type WarningKind = "credit" | "alt" | "other";

/** Classify a core warning sentence into a chip. */
export function warningKind(w: string): WarningKind {
  if (/no credit/i.test(w)) return "credit";
  if (/no alt/i.test(w)) return "alt";
  return "other";
}

export function warningLabel(kind: WarningKind): string {
  return kind === "credit" ? "No credit" : kind === "alt" ? "No alt text" : "Warning";
}
