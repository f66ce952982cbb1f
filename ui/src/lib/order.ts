// Pure helpers for reordering timeline rows the way the core does.
import type { Placement } from "../bindings/Placement";

type Orderable = { id: string; pinned: boolean };

/** The rows after `id` is moved by `placement` (within its own group). */
export function applyMove<T extends Orderable>(rows: T[], id: string, placement: Placement): T[] {
  const from = rows.findIndex((r) => r.id === id);
  if (from < 0) return rows;
  const row = rows[from]!;
  const rest = rows.slice(0, from).concat(rows.slice(from + 1));
  let at: number;
  switch (placement.to) {
    case "top":
      at = row.pinned ? 0 : rest.findIndex((r) => !r.pinned);
      if (at < 0) at = rest.length;
      break;
    case "bottom": {
      if (row.pinned) {
        at = rest.findIndex((r) => !r.pinned);
        if (at < 0) at = rest.length;
      } else at = rest.length;
      break;
    }
    case "before":
    case "after": {
      const anchor = rest.findIndex((r) => r.id === placement.id);
      if (anchor < 0) return rows;
      at = placement.to === "before" ? anchor : anchor + 1;
      break;
    }
  }
  return [...rest.slice(0, at), row, ...rest.slice(at)];
}

/** The neighbour in the same group at `offset` (-1 above, +1 below), if any. */
export function neighbour<T extends Orderable>(rows: T[], id: string, offset: -1 | 1): T | null {
  const i = rows.findIndex((r) => r.id === id);
  if (i < 0) return null;
  const n = rows[i + offset];
  return n && n.pinned === rows[i]!.pinned ? n : null;
}

/** One placement that puts `id` back where it is now (for undo). */
export function placementToRestore<T extends Orderable>(rows: T[], id: string): Placement {
  const below = neighbour(rows, id, 1);
  if (below) return { to: "before", id: below.id };
  const above = neighbour(rows, id, -1);
  if (above) return { to: "after", id: above.id };
  return { to: "top" };
}

/** The placement for a drag from index `from` to index `to` (same group). */
export function placementForDrop<T extends Orderable>(rows: T[], from: number, to: number): Placement | null {
  if (from === to) return null;
  const over = rows[to];
  const moving = rows[from];
  if (!over || !moving || over.pinned !== moving.pinned) return null;
  return from < to ? { to: "after", id: over.id } : { to: "before", id: over.id };
}
