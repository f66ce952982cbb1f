import { useEffect, useRef } from "react";
import type { TimelineRow } from "../bindings/TimelineRow";

export type MenuAction = "open" | "pin" | "key" | "top" | "submit" | "publish" | "retract" | "delete" | "history";

export function ContextMenu({
  row,
  x,
  y,
  onAction,
  onClose,
}: {
  row: TimelineRow;
  x: number;
  y: number;
  onAction: (a: MenuAction) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>("button")?.focus();
    const down = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    window.addEventListener("mousedown", down);
    return () => window.removeEventListener("mousedown", down);
  }, [onClose]);
  const items: [MenuAction, string, boolean][] = [
    ["open", "Open in editor", true],
    ["pin", row.pinned ? "Unpin" : "Pin to top", true],
    ["key", row.key_event ? "Unmark key event" : "Mark as key event", true],
    ["top", row.pinned ? "Move to top of pinned" : "Move to top", true],
    ["submit", "Submit for review", row.status === "draft"],
    ["publish", "Publish", row.status === "draft" || row.status === "ready"],
    ["retract", "Retract", row.status === "published"],
    ["history", "History…", true],
    ["delete", "Delete…", row.status === "draft" || row.status === "ready"],
  ];
  const left = Math.max(8, Math.min(x, window.innerWidth - 232));
  const top = Math.max(8, Math.min(y, window.innerHeight - 360));
  return (
    <div
      ref={ref}
      className="menu"
      role="menu"
      aria-label={`Actions for ${row.title}`}
      style={{ left, top }}
      data-testid="context-menu"
      onKeyDown={(e) => {
        const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
        const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        } else if (e.key === "ArrowDown") {
          e.preventDefault();
          buttons[(i + 1) % buttons.length]?.focus();
        } else if (e.key === "ArrowUp") {
          e.preventDefault();
          buttons[(i - 1 + buttons.length) % buttons.length]?.focus();
        }
      }}
    >
      {items
        .filter(([, , show]) => show)
        .map(([a, label]) => (
          <button
            key={a}
            type="button"
            role="menuitem"
            className={`menu-item${a === "delete" || a === "retract" ? " menu-danger" : ""}`}
            data-testid={`menu-${a}`}
            onClick={() => {
              onClose();
              onAction(a);
            }}
          >
            {label}
          </button>
        ))}
    </div>
  );
}
