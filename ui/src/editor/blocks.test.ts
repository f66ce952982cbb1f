import { describe, expect, it } from "vitest";
import type { Block } from "../bindings/Block";
import type { Span } from "../bindings/Span";
import { EMBED, PHOTO, QUOTE, blocksToDoc, docToBlocks, normalizeBlocks, normalizeSpans, sameBlocks } from "./blocks";
import type { DocNode } from "./blocks";

const para = (...content: Span[]): Block => ({ type: "paragraph", content });
const text = (t: string, marks?: DocNode["marks"]): DocNode => (marks ? { type: "text", text: t, marks } : { type: "text", text: t });
const doc = (...content: DocNode[]): DocNode => ({ type: "doc", content });

describe("normalizeSpans (as the core's normalize_spans)", () => {
  it("merges adjacent plain runs", () => {
    expect(normalizeSpans([{ text: "a" }, { text: "b" }])).toEqual([{ text: "ab" }]);
  });
  it("drops empty runs", () => {
    expect(normalizeSpans([{ text: "" }, { text: "x" }, { text: "", bold: true }])).toEqual([{ text: "x" }]);
  });
  it("merges runs across a dropped empty run of another format", () => {
    expect(normalizeSpans([{ text: "a" }, { text: "", bold: true }, { text: "b" }])).toEqual([{ text: "ab" }]);
  });
  it("keeps runs with different formatting apart", () => {
    expect(normalizeSpans([{ text: "a" }, { text: "b", bold: true }, { text: "c", italic: true }])).toEqual([
      { text: "a" },
      { text: "b", bold: true },
      { text: "c", italic: true },
    ]);
  });
  it("merges bold runs and bold+italic runs separately", () => {
    expect(
      normalizeSpans([
        { text: "a", bold: true },
        { text: "b", bold: true },
        { text: "c", bold: true, italic: true },
        { text: "d", italic: true, bold: true },
      ]),
    ).toEqual([
      { text: "ab", bold: true },
      { text: "cd", bold: true, italic: true },
    ]);
  });
  it("treats bold: false like no bold", () => {
    expect(normalizeSpans([{ text: "a", bold: false }, { text: "b" }])).toEqual([{ text: "ab" }]);
  });
  it("merges runs with the same link, not with different links", () => {
    expect(
      normalizeSpans([
        { text: "a", link: "https://x.example" },
        { text: "b", link: "https://x.example" },
        { text: "c", link: "https://y.example" },
      ]),
    ).toEqual([
      { text: "ab", link: "https://x.example" },
      { text: "c", link: "https://y.example" },
    ]);
  });
  it("does not merge a linked run with an unlinked one", () => {
    expect(normalizeSpans([{ text: "a", link: "https://x.example" }, { text: "b" }])).toHaveLength(2);
  });
  it("keeps whitespace-only runs (they are not empty)", () => {
    expect(normalizeSpans([{ text: "a", bold: true }, { text: " " }, { text: "b", bold: true }])).toEqual([
      { text: "a", bold: true },
      { text: " " },
      { text: "b", bold: true },
    ]);
  });
  it("does not mutate its input", () => {
    const input = [{ text: "a" }, { text: "b" }];
    normalizeSpans(input);
    expect(input).toEqual([{ text: "a" }, { text: "b" }]);
  });
  it("returns nothing for nothing", () => {
    expect(normalizeSpans([])).toEqual([]);
  });
});

describe("docToBlocks", () => {
  it("reads paragraphs with bold, italic and link marks", () => {
    const d = doc({
      type: "paragraph",
      content: [
        text("Water is "),
        text("over the wall", [{ type: "bold" }]),
        text(", see "),
        text("map", [{ type: "link", attrs: { href: "https://map.example/1", target: "_blank" } }]),
        text(" now", [{ type: "italic" }]),
      ],
    });
    expect(docToBlocks(d)).toEqual([
      para(
        { text: "Water is " },
        { text: "over the wall", bold: true },
        { text: ", see " },
        { text: "map", link: "https://map.example/1" },
        { text: " now", italic: true },
      ),
    ]);
  });
  it("merges adjacent text nodes with the same marks", () => {
    const d = doc({ type: "paragraph", content: [text("a", [{ type: "bold" }]), text("b", [{ type: "bold" }]), text("c")] });
    expect(docToBlocks(d)).toEqual([para({ text: "ab", bold: true }, { text: "c" })]);
  });
  it("ignores mark order", () => {
    const d = doc({
      type: "paragraph",
      content: [text("a", [{ type: "bold" }, { type: "italic" }]), text("b", [{ type: "italic" }, { type: "bold" }])],
    });
    expect(docToBlocks(d)).toEqual([para({ text: "ab", bold: true, italic: true })]);
  });
  it("drops empty and blank paragraphs, which the core refuses", () => {
    const d = doc({ type: "paragraph" }, { type: "paragraph", content: [text("   ")] }, { type: "paragraph", content: [text("x")] }, { type: "paragraph" });
    expect(docToBlocks(d)).toEqual([para({ text: "x" })]);
  });
  it("reads a quote with attribution, and null when it has none", () => {
    const d = doc(
      { type: QUOTE, attrs: { text: " We have never seen this. ", attribution: "Harbour master" } },
      { type: QUOTE, attrs: { text: "Unattributed", attribution: "  " } },
    );
    expect(docToBlocks(d)).toEqual([
      { type: "quote", text: "We have never seen this.", attribution: "Harbour master" },
      { type: "quote", text: "Unattributed", attribution: null },
    ]);
  });
  it("drops a quote without text", () => {
    expect(docToBlocks(doc({ type: QUOTE, attrs: { text: " ", attribution: "Someone" } }))).toEqual([]);
  });
  it("reads an embed with intro, null intro when blank, and drops one without URL", () => {
    const d = doc(
      { type: EMBED, attrs: { url: "https://video.example/1", intro: "Our correspondent reports:" } },
      { type: EMBED, attrs: { url: " https://video.example/2 ", intro: "" } },
      { type: EMBED, attrs: { url: "", intro: "dangling intro" } },
    );
    expect(docToBlocks(d)).toEqual([
      { type: "embed", url: "https://video.example/1", intro: "Our correspondent reports:" },
      { type: "embed", url: "https://video.example/2", intro: null },
    ]);
  });
  it("reads photos by id and drops photo nodes without one", () => {
    expect(docToBlocks(doc({ type: PHOTO, attrs: { photoId: "p1" } }, { type: PHOTO, attrs: {} }))).toEqual([{ type: "photo", photo_id: "p1" }]);
  });
  it("keeps the words of unknown nodes as a paragraph", () => {
    expect(docToBlocks(doc({ type: "heading", content: [text("Title")] }))).toEqual([para({ text: "Title" })]);
  });
  it("turns a hard break into a space", () => {
    expect(docToBlocks(doc({ type: "paragraph", content: [text("a"), { type: "hardBreak" }, text("b")] }))).toEqual([para({ text: "a b" })]);
  });
  it("keeps block order", () => {
    const d = doc(
      { type: "paragraph", content: [text("one")] },
      { type: PHOTO, attrs: { photoId: "p" } },
      { type: QUOTE, attrs: { text: "q", attribution: "" } },
      { type: "paragraph", content: [text("two")] },
    );
    expect(docToBlocks(d).map((b) => b.type)).toEqual(["paragraph", "photo", "quote", "paragraph"]);
  });
  it("reads an empty document as no blocks", () => {
    expect(docToBlocks({ type: "doc" })).toEqual([]);
  });
});

describe("blocksToDoc", () => {
  it("always gives the editor a trailing paragraph to type in", () => {
    expect(blocksToDoc([])).toEqual({ type: "doc", content: [{ type: "paragraph" }] });
    const d = blocksToDoc([{ type: "photo", photo_id: "p" }]);
    expect(d.content?.map((n) => n.type)).toEqual([PHOTO, "paragraph"]);
  });
  it("writes marks for formatted spans", () => {
    const d = blocksToDoc([para({ text: "a", bold: true, italic: true, link: "https://x.example" })]);
    expect(d.content?.[0]?.content?.[0]).toEqual({
      type: "text",
      text: "a",
      marks: [{ type: "bold" }, { type: "italic" }, { type: "link", attrs: { href: "https://x.example" } }],
    });
  });
  it("writes null attribution and intro as empty fields", () => {
    const d = blocksToDoc([
      { type: "quote", text: "q", attribution: null },
      { type: "embed", url: "https://e.example", intro: null },
    ]);
    expect(d.content?.[0]?.attrs).toEqual({ text: "q", attribution: "" });
    expect(d.content?.[1]?.attrs).toEqual({ url: "https://e.example", intro: "" });
  });
});

describe("round trip", () => {
  const cases: [string, Block[]][] = [
    ["empty", []],
    ["one plain paragraph", [para({ text: "Hello" })]],
    [
      "mixed formatting",
      [para({ text: "a " }, { text: "bold", bold: true }, { text: " and " }, { text: "both", bold: true, italic: true }, { text: " end", italic: true })],
    ],
    ["links", [para({ text: "See " }, { text: "this", link: "https://a.example/x?y=1" }, { text: " and " }, { text: "mail", link: "mailto:desk@news.example" })]],
    ["bold link", [para({ text: "x", bold: true, link: "https://a.example" })]],
    ["quote with attribution", [{ type: "quote", text: "We have never seen this.", attribution: "Harbour master" }]],
    ["quote without attribution", [{ type: "quote", text: "Hm.", attribution: null }]],
    ["embed with intro", [{ type: "embed", url: "https://video.example/watch/1", intro: "Our correspondent reports:" }]],
    ["embed without intro", [{ type: "embed", url: "https://video.example/watch/1", intro: null }]],
    ["photo", [{ type: "photo", photo_id: "019ab9d2-0000-7000-8000-000000000001" }]],
    [
      "everything",
      [
        para({ text: "Water is " }, { text: "over the wall", bold: true }),
        { type: "quote", text: "We have never seen this.", attribution: "Harbour master" },
        { type: "embed", url: "https://video.example/watch/1", intro: "Our correspondent reports:" },
        { type: "photo", photo_id: "p1" },
        { type: "photo", photo_id: "p2" },
        para({ text: "Unicode: \u00e9\u00e8 \u4e2d\u6587 \ud83c\udf0a" }),
      ],
    ],
  ];
  for (const [name, blocks] of cases) {
    it(`keeps ${name}`, () => {
      expect(docToBlocks(blocksToDoc(blocks))).toEqual(blocks);
      // And the document is stable too.
      expect(blocksToDoc(docToBlocks(blocksToDoc(blocks)))).toEqual(blocksToDoc(blocks));
    });
  }
  it("normalises unmerged spans from elsewhere", () => {
    const raw = [para({ text: "a" }, { text: "b" }, { text: "" }, { text: "c", bold: false })];
    expect(normalizeBlocks(raw)).toEqual([para({ text: "abc" })]);
    expect(sameBlocks(raw, [para({ text: "abc" })])).toBe(true);
    expect(sameBlocks(raw, [para({ text: "abd" })])).toBe(false);
  });
});
