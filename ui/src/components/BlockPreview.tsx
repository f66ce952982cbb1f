import type { Block } from "../bindings/Block";
import { Thumb } from "./Thumb";

/** A read-only rendering of a body, for history previews. */
export function BlockPreview({ blocks }: { blocks: Block[] }) {
  return (
    <div className="block-preview">
      {blocks.map((b, i) => {
        switch (b.type) {
          case "paragraph":
            return (
              <p key={i}>
                {b.content.map((s, j) => {
                  let node: React.ReactNode = s.text;
                  if (s.bold) node = <strong>{node}</strong>;
                  if (s.italic) node = <em>{node}</em>;
                  if (s.link) node = <a href={s.link} onClick={(e) => e.preventDefault()}>{node}</a>;
                  return <span key={j}>{node}</span>;
                })}
              </p>
            );
          case "quote":
            return (
              <blockquote key={i}>
                <p>{b.text}</p>
                {b.attribution && <footer>– {b.attribution}</footer>}
              </blockquote>
            );
          case "embed":
            return (
              <div key={i} className="preview-embed">
                {b.intro && <p>{b.intro}</p>}
                <span className="mono">{b.url}</span>
              </div>
            );
          case "photo":
            return (
              <div key={i} className="preview-photo">
                <Thumb id={b.photo_id} placeholder="" width={320} alt="Photo" className="preview-thumb" />
              </div>
            );
        }
      })}
    </div>
  );
}
