// Custom TipTap nodes: quote with attribution, embed, photo. Each is an atom
// whose fields are edited through its React node view.
import { createContext, useContext, useEffect, useRef, useState } from "react";
import { Node, mergeAttributes } from "@tiptap/core";
import { NodeViewWrapper, ReactNodeViewRenderer } from "@tiptap/react";
import type { ReactNodeViewProps } from "@tiptap/react";
import type { Photo } from "../bindings/Photo";
import type { PhotoEdit } from "../bindings/PhotoEdit";
import { Thumb } from "../components/Thumb";
import { EMBED, PHOTO, QUOTE } from "./blocks";

/** What the photo node view needs from the editor around it. */
export type PhotoCtx = {
  photos: Map<string, Photo>;
  editPhoto: (id: string, edit: PhotoEdit) => Promise<void>;
};
export const PhotoContext = createContext<PhotoCtx | null>(null);

function Remove({ onClick, what }: { onClick: () => void; what: string }) {
  return (
    <button type="button" className="icon-btn block-remove" aria-label={`Remove ${what}`} onClick={onClick}>
      ×
    </button>
  );
}

function QuoteView({ node, updateAttributes, deleteNode, selected }: ReactNodeViewProps) {
  const text = String(node.attrs.text ?? "");
  const attribution = String(node.attrs.attribution ?? "");
  return (
    <NodeViewWrapper className={`block block-quote${selected ? " block-selected" : ""}`} data-testid="quote-block" contentEditable={false}>
      <div className="block-head">
        <span className="block-kind">Quote</span>
        <Remove onClick={deleteNode} what="quote" />
      </div>
      <textarea
        className="quote-text"
        aria-label="Quote text"
        placeholder="What was said"
        rows={2}
        value={text}
        onChange={(e) => updateAttributes({ text: e.target.value })}
      />
      <label className="inline-field">
        <span>—</span>
        <input
          aria-label="Quote attribution"
          placeholder="Who said it (name, role)"
          value={attribution}
          onChange={(e) => updateAttributes({ attribution: e.target.value })}
        />
      </label>
    </NodeViewWrapper>
  );
}

function EmbedView({ node, updateAttributes, deleteNode, selected }: ReactNodeViewProps) {
  const url = String(node.attrs.url ?? "");
  const intro = String(node.attrs.intro ?? "");
  const bad = url !== "" && !/^https?:\/\/[^\s/]+/i.test(url);
  return (
    <NodeViewWrapper className={`block block-embed${selected ? " block-selected" : ""}`} data-testid="embed-block" contentEditable={false}>
      <div className="block-head">
        <span className="block-kind">Embed</span>
        <Remove onClick={deleteNode} what="embed" />
      </div>
      <input
        aria-label="Embed intro line"
        placeholder="Intro line, e.g. “Our correspondent reports:”"
        value={intro}
        onChange={(e) => updateAttributes({ intro: e.target.value })}
      />
      <input
        aria-label="Embed URL"
        placeholder="https://…"
        value={url}
        aria-invalid={bad}
        onChange={(e) => updateAttributes({ url: e.target.value })}
      />
      {bad && <div className="field-warning">Use an absolute http or https address.</div>}
    </NodeViewWrapper>
  );
}

export function PhotoField({
  label,
  value,
  onSave,
  required,
  warn,
}: {
  label: string;
  value: string;
  onSave: (v: string) => void;
  required?: string;
  warn?: string;
}) {
  const [v, setV] = useState(value);
  // A fresh value from the app (another save, a refresh) must not overwrite
  // what someone is typing: follow it only while the field is not in use.
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setV(value);
  }, [value]);
  const missing = v.trim() === "";
  return (
    <label className="photo-field">
      <span className="photo-field-label">
        {label}
        {required && <span className="req"> ({required})</span>}
      </span>
      <input
        aria-label={`Photo ${label.toLowerCase()}`}
        value={v}
        aria-invalid={!!required && missing}
        onFocus={() => {
          editing.current = true;
        }}
        onChange={(e) => setV(e.target.value)}
        onBlur={() => {
          editing.current = false;
          if (v !== value) onSave(v);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") (e.target as HTMLInputElement).blur();
        }}
      />
      {missing && required && <span className="field-warning error">⚠ Required to publish</span>}
      {missing && warn && <span className="field-warning">⚠ {warn}</span>}
    </label>
  );
}

function PhotoView({ node, deleteNode, selected }: ReactNodeViewProps) {
  const ctx = useContext(PhotoContext);
  const id = String(node.attrs.photoId ?? "");
  const photo = ctx?.photos.get(id);
  const save = (field: keyof PhotoEdit) => (v: string) => {
    const edit: PhotoEdit = { credit: null, caption: null, alt: null };
    edit[field] = v;
    void ctx?.editPhoto(id, edit);
  };
  return (
    <NodeViewWrapper className={`block block-photo${selected ? " block-selected" : ""}`} data-testid="photo-block" data-photo-id={id} contentEditable={false}>
      <div className="block-head">
        <span className="block-kind">
          Photo
          {photo && (
            <span className="block-file">
              {" "}
              · {photo.original_name} · {photo.width}×{photo.height}
            </span>
          )}
        </span>
        <Remove onClick={deleteNode} what="photo" />
      </div>
      {photo ? (
        <div className="photo-body">
          <Thumb id={photo.id} placeholder={photo.placeholder} width={640} alt={photo.alt ?? ""} className="photo-large" />
          <div className="photo-fields">
            <PhotoField label="Caption" value={photo.caption ?? ""} onSave={save("caption")} />
            <PhotoField label="Credit" value={photo.credit ?? ""} onSave={save("credit")} required="required" />
            <PhotoField label="Alt text" value={photo.alt ?? ""} onSave={save("alt")} warn="No alt text: add a description for readers who cannot see it" />
          </div>
        </div>
      ) : (
        <div className="muted">Loading photo…</div>
      )}
    </NodeViewWrapper>
  );
}

export const QuoteNode = Node.create({
  name: QUOTE,
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { text: { default: "" }, attribution: { default: "" } };
  },
  parseHTML() {
    return [{ tag: "figure[data-live-quote]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes, { "data-live-quote": "" })];
  },
  addNodeView() {
    return ReactNodeViewRenderer(QuoteView);
  },
});

export const EmbedNode = Node.create({
  name: EMBED,
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { url: { default: "" }, intro: { default: "" } };
  },
  parseHTML() {
    return [{ tag: "div[data-live-embed]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["div", mergeAttributes(HTMLAttributes, { "data-live-embed": "" })];
  },
  addNodeView() {
    return ReactNodeViewRenderer(EmbedView);
  },
});

export const PhotoNode = Node.create({
  name: PHOTO,
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,
  addAttributes() {
    return { photoId: { default: "" } };
  },
  parseHTML() {
    return [{ tag: "figure[data-live-photo]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes, { "data-live-photo": "" })];
  },
  addNodeView() {
    return ReactNodeViewRenderer(PhotoView);
  },
});
