import { useEffect, useMemo, useState } from "react";
import { thumbHashToDataURL } from "thumbhash";
import { useApi } from "../api";

const previews = new Map<string, string>();
const placeholders = new Map<string, string>();

function placeholderURL(hash: string): string | null {
  if (!hash) return null;
  const hit = placeholders.get(hash);
  if (hit) return hit;
  try {
    const bin = atob(hash);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const url = thumbHashToDataURL(bytes);
    placeholders.set(hash, url);
    return url;
  } catch {
    return null;
  }
}

/** A photo: its ThumbHash placeholder at once, then the real preview. */
export function Thumb({
  id,
  placeholder,
  width = 320,
  alt,
  className,
}: {
  id: string;
  placeholder: string;
  width?: number;
  alt: string;
  className?: string;
}) {
  const api = useApi();
  const key = `${id}@${width}`;
  const [src, setSrc] = useState<string | null>(() => previews.get(key) ?? null);
  const ph = useMemo(() => placeholderURL(placeholder), [placeholder]);
  useEffect(() => {
    if (previews.has(key)) {
      setSrc(previews.get(key)!);
      return;
    }
    let live = true;
    api
      .photoPreview(id, width)
      .then((url) => {
        previews.set(key, url);
        if (live) setSrc(url);
      })
      .catch(() => {
        /* the placeholder stays */
      });
    return () => {
      live = false;
    };
  }, [api, id, key, width]);
  return (
    <span className={`thumb ${className ?? ""}`} style={ph ? { backgroundImage: `url("${ph}")` } : undefined}>
      {src && <img src={src} alt={alt} draggable={false} />}
    </span>
  );
}
