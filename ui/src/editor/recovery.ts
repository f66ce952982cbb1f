// Unsaved editor state kept in localStorage so a crash loses nothing.
import type { Block } from "../bindings/Block";

export type Draft = {
  title: string;
  author: string;
  displayAt: string;
  correctionNote: string;
  blocks: Block[];
};
export type Recovered = Draft & { savedAt: number; entryId: string | null };

const PREFIX = "liveline:unsaved:";

export function recoveryKey(slug: string, entryId: string | null): string {
  return `${PREFIX}${entryId ?? `new:${slug}`}`;
}

export function keepUnsaved(key: string, entryId: string | null, d: Draft): void {
  try {
    const r: Recovered = { ...d, entryId, savedAt: Date.now() };
    localStorage.setItem(key, JSON.stringify(r));
  } catch {
    /* storage full or unavailable: nothing more we can do */
  }
}

export function readUnsaved(key: string): Recovered | null {
  try {
    const s = localStorage.getItem(key);
    if (!s) return null;
    const r = JSON.parse(s) as Recovered;
    return r && typeof r.title === "string" && Array.isArray(r.blocks) ? r : null;
  } catch {
    return null;
  }
}

export function dropUnsaved(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    /* ignore */
  }
}
