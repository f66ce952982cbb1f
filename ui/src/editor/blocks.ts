// The pure mapping between the TipTap (ProseMirror JSON) document and the
// core's Block[] body model. No TipTap import here: it is tested alone.
import type { Block } from "../bindings/Block";
import type { Span } from "../bindings/Span";

export type Mark = { type: string; attrs?: Record<string, unknown> };
export type DocNode = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: DocNode[];
  marks?: Mark[];
  text?: string;
};

/** Node names of the custom TipTap nodes (see nodes.tsx). */
export const QUOTE = "liveQuote";
export const EMBED = "liveEmbed";
export const PHOTO = "livePhoto";

function sameFormat(a: Span, b: Span): boolean {
  return !!a.bold === !!b.bold && !!a.italic === !!b.italic && (a.link ?? null) === (b.link ?? null);
}

/** A span in canonical form: flags only when set, like the core's serde output. */
function canonical(s: Span): Span {
  const out: Span = { text: s.text };
  if (s.bold) out.bold = true;
  if (s.italic) out.italic = true;
  if (s.link !== undefined && s.link !== null && s.link !== "") out.link = s.link;
  return out;
}

/**
 * Merge adjacent spans with the same formatting and drop empty ones, as the
 * core's `normalize_spans` does, so equal content has one representation.
 */
export function normalizeSpans(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const raw of spans) {
    if (raw.text === "") continue;
    const s = canonical(raw);
    const last = out[out.length - 1];
    if (last && sameFormat(last, s)) last.text += s.text;
    else out.push(s);
  }
  return out;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function optional(v: unknown): string | null {
  const s = str(v).trim();
  return s === "" ? null : s;
}

function spansOf(node: DocNode): Span[] {
  const spans: Span[] = [];
  for (const child of node.content ?? []) {
    if (child.type === "text") {
      const marks = child.marks ?? [];
      const span: Span = { text: child.text ?? "" };
      if (marks.some((m) => m.type === "bold")) span.bold = true;
      if (marks.some((m) => m.type === "italic")) span.italic = true;
      const link = marks.find((m) => m.type === "link");
      const href = link ? str(link.attrs?.href) : "";
      if (href) span.link = href;
      spans.push(span);
    } else if (child.type === "hardBreak") {
      spans.push({ text: " " });
    }
  }
  return normalizeSpans(spans);
}

/**
 * Editor document → body blocks. Blocks the core would refuse as empty
 * (a blank paragraph, a quote without text, an embed without URL) are left
 * out: they are the editor's scaffolding, not content.
 */
export function docToBlocks(doc: DocNode): Block[] {
  const blocks: Block[] = [];
  for (const node of doc.content ?? []) {
    switch (node.type) {
      case "paragraph": {
        const content = spansOf(node);
        if (content.some((s) => s.text.trim() !== "")) blocks.push({ type: "paragraph", content });
        break;
      }
      case QUOTE: {
        const text = str(node.attrs?.text).trim();
        if (text) blocks.push({ type: "quote", text, attribution: optional(node.attrs?.attribution) });
        break;
      }
      case EMBED: {
        const url = str(node.attrs?.url).trim();
        if (url) blocks.push({ type: "embed", url, intro: optional(node.attrs?.intro) });
        break;
      }
      case PHOTO: {
        const id = str(node.attrs?.photoId);
        if (id) blocks.push({ type: "photo", photo_id: id });
        break;
      }
      default:
        // Anything else that holds text keeps its words as a paragraph.
        if (node.content) {
          const content = spansOf({ type: "paragraph", content: node.content });
          if (content.some((s) => s.text.trim() !== "")) blocks.push({ type: "paragraph", content });
        }
    }
  }
  return blocks;
}

function textNode(s: Span): DocNode {
  const marks: Mark[] = [];
  if (s.bold) marks.push({ type: "bold" });
  if (s.italic) marks.push({ type: "italic" });
  if (s.link) marks.push({ type: "link", attrs: { href: s.link } });
  const n: DocNode = { type: "text", text: s.text };
  if (marks.length) n.marks = marks;
  return n;
}

/** Body blocks → editor document (never empty: TipTap wants one block). */
export function blocksToDoc(blocks: Block[]): DocNode {
  const content: DocNode[] = blocks.map((b): DocNode => {
    switch (b.type) {
      case "paragraph": {
        const spans = normalizeSpans(b.content);
        return spans.length ? { type: "paragraph", content: spans.map(textNode) } : { type: "paragraph" };
      }
      case "quote":
        return { type: QUOTE, attrs: { text: b.text, attribution: b.attribution ?? "" } };
      case "embed":
        return { type: EMBED, attrs: { url: b.url, intro: b.intro ?? "" } };
      case "photo":
        return { type: PHOTO, attrs: { photoId: b.photo_id } };
    }
  });
  if (content.length === 0 || content[content.length - 1]!.type !== "paragraph") content.push({ type: "paragraph" });
  return { type: "doc", content };
}

/** Blocks as the core would store them (normalised), for comparisons. */
export function normalizeBlocks(blocks: Block[]): Block[] {
  return docToBlocks(blocksToDoc(blocks));
}

export function sameBlocks(a: Block[], b: Block[]): boolean {
  return JSON.stringify(normalizeBlocks(a)) === JSON.stringify(normalizeBlocks(b));
}
