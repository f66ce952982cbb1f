import { memo, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { CSSProperties, KeyboardEvent as ReactKeyboardEvent } from "react";
import {
  DndContext,
  DragOverlay,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import type { CollisionDetection, DragEndEvent, DragStartEvent } from "@dnd-kit/core";
import { SortableContext, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { defaultRangeExtractor, useVirtualizer } from "@tanstack/react-virtual";
import type { Range } from "@tanstack/react-virtual";
import type { Placement } from "../bindings/Placement";
import type { TimelineRow } from "../bindings/TimelineRow";
import { neighbour, placementForDrop } from "../lib/order";
import { warningKind, warningLabel } from "../lib/text";
import { formatDate, formatTime, relativeTime } from "../lib/time";
import { StatusBadge } from "./StatusBadge";
import { Thumb } from "./Thumb";

export const ROW_HEIGHT = 84;

export type TimelineProps = {
  rows: TimelineRow[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
  onMove: (id: string, placement: Placement) => void;
  onMenu: (id: string, x: number, y: number) => void;
  review?: { onPublish: (id: string) => void; onReturn: (id: string) => void };
  now?: number;
  emptyText?: string;
};

/** Only entries of the same group (pinned or not) are drop targets. */
const sameGroup: CollisionDetection = (args) => {
  const pinned = args.active.data.current?.pinned as boolean | undefined;
  return closestCenter({
    ...args,
    droppableContainers: args.droppableContainers.filter((c) => c.data.current?.pinned === pinned),
  });
};

export function Timeline({ rows, selectedId, onSelect, onOpen, onMove, onMenu, review, now, emptyText }: TimelineProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const ids = useMemo(() => rows.map((r) => r.id), [rows]);
  const indexOf = useMemo(() => {
    const m = new Map<string, number>();
    rows.forEach((r, i) => m.set(r.id, i));
    return m;
  }, [rows]);
  const activeIndex = activeId ? (indexOf.get(activeId) ?? -1) : -1;
  const selectedIndex = selectedId ? (indexOf.get(selectedId) ?? -1) : -1;

  const rangeExtractor = useCallback(
    (range: Range) => {
      // Keep the dragged row mounted even when it scrolls out of view.
      const base = defaultRangeExtractor(range);
      if (activeIndex >= 0 && !base.includes(activeIndex)) return [...base, activeIndex].sort((a, b) => a - b);
      return base;
    },
    [activeIndex],
  );

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (i) => rows[i]?.id ?? i,
    rangeExtractor,
  });

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: "auto" });
  }, [selectedIndex, virtualizer]);

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }));

  const onDragStart = (e: DragStartEvent) => {
    setActiveId(String(e.active.id));
    onSelect(String(e.active.id));
  };
  const onDragEnd = (e: DragEndEvent) => {
    setActiveId(null);
    if (!e.over) return;
    const from = indexOf.get(String(e.active.id));
    const to = indexOf.get(String(e.over.id));
    if (from === undefined || to === undefined) return;
    const placement = placementForDrop(rows, from, to);
    if (placement) onMove(String(e.active.id), placement);
  };

  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    if (rows.length === 0) return;
    const cur = selectedIndex;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const down = e.key === "ArrowDown";
      if (e.altKey) {
        if (!selectedId) return;
        const n = neighbour(rows, selectedId, down ? 1 : -1);
        if (n) onMove(selectedId, down ? { to: "after", id: n.id } : { to: "before", id: n.id });
        return;
      }
      const next = cur < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, cur + (down ? 1 : -1)));
      onSelect(rows[next]!.id);
    } else if (e.key === "Home") {
      e.preventDefault();
      onSelect(rows[0]!.id);
    } else if (e.key === "End") {
      e.preventDefault();
      onSelect(rows[rows.length - 1]!.id);
    } else if (e.key === "PageDown" || e.key === "PageUp") {
      e.preventDefault();
      const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
      const next = Math.max(0, Math.min(rows.length - 1, (cur < 0 ? 0 : cur) + (e.key === "PageDown" ? page : -page)));
      onSelect(rows[next]!.id);
    } else if (e.key === "Enter" && selectedId) {
      e.preventDefault();
      onOpen(selectedId);
    } else if ((e.key === "ContextMenu" || (e.shiftKey && e.key === "F10")) && selectedId) {
      e.preventDefault();
      const el = document.getElementById(`row-${selectedId}`);
      const r = el?.getBoundingClientRect();
      onMenu(selectedId, r ? r.right - 220 : 200, r ? r.top + 30 : 200);
    }
  };

  const activeRow = activeIndex >= 0 ? rows[activeIndex] : undefined;
  const items = virtualizer.getVirtualItems();

  return (
    <DndContext sensors={sensors} collisionDetection={sameGroup} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setActiveId(null)}>
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <div
          ref={scrollRef}
          className="timeline-scroll"
          role="listbox"
          tabIndex={0}
          aria-label="Entries in editorial order"
          aria-activedescendant={selectedId ? `row-${selectedId}` : undefined}
          data-testid="timeline"
          data-count={rows.length}
          onKeyDown={onKeyDown}
        >
          {rows.length === 0 ? (
            <div className="timeline-empty" role="presentation">
              {emptyText ?? "No entries."}
            </div>
          ) : (
            <div className="timeline-inner" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((v) => {
                const row = rows[v.index]!;
                return (
                  <SortableRow
                    key={row.id}
                    row={row}
                    index={v.index}
                    count={rows.length}
                    top={v.start}
                    selected={row.id === selectedId}
                    onSelect={onSelect}
                    onOpen={onOpen}
                    onMenu={onMenu}
                    review={review}
                    now={now}
                  />
                );
              })}
            </div>
          )}
        </div>
      </SortableContext>
      <DragOverlay dropAnimation={null}>
        {activeRow ? (
          <div className="row row-overlay">
            <RowContent row={activeRow} now={now} />
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

type RowProps = {
  row: TimelineRow;
  index: number;
  count: number;
  top: number;
  selected: boolean;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
  onMenu: (id: string, x: number, y: number) => void;
  review?: TimelineProps["review"];
  now?: number;
};

const SortableRow = memo(function SortableRow({ row, index, count, top, selected, onSelect, onOpen, onMenu, review, now }: RowProps) {
  const { setNodeRef, attributes, listeners, transform, transition, isDragging } = useSortable({
    id: row.id,
    data: { pinned: row.pinned },
  });
  const style: CSSProperties = {
    top,
    height: ROW_HEIGHT,
    transform: CSS.Translate.toString(transform),
    transition,
    opacity: isDragging ? 0.35 : undefined,
  };
  // dnd-kit's own a11y attributes would turn the row into a button; the
  // listbox semantics are ours, so only its listeners are spread.
  void attributes;
  return (
    <div
      ref={setNodeRef}
      id={`row-${row.id}`}
      role="option"
      aria-selected={selected}
      aria-setsize={count}
      aria-posinset={index + 1}
      aria-label={`${row.title}, ${row.status}${row.pinned ? ", pinned" : ""}${row.key_event ? ", key event" : ""}`}
      className={`row${selected ? " row-selected" : ""}${row.pinned ? " row-pinned" : ""} row-${row.status}`}
      style={style}
      data-testid="timeline-row"
      data-entry-id={row.id}
      data-index={index}
      onClick={() => onSelect(row.id)}
      onDoubleClick={() => onOpen(row.id)}
      onContextMenu={(e) => {
        e.preventDefault();
        onSelect(row.id);
        onMenu(row.id, e.clientX, e.clientY);
      }}
      {...listeners}
    >
      <RowContent row={row} now={now} />
      <div className="row-actions">
        {review && (
          <>
            <button
              type="button"
              className="btn btn-small btn-primary"
              onPointerDown={(e) => e.stopPropagation()}
              onClick={(e) => {
                e.stopPropagation();
                review.onPublish(row.id);
              }}
            >
              Publish
            </button>
            <button
              type="button"
              className="btn btn-small"
              onPointerDown={(e) => e.stopPropagation()}
              onClick={(e) => {
                e.stopPropagation();
                review.onReturn(row.id);
              }}
            >
              Return…
            </button>
          </>
        )}
        <button
          type="button"
          className="icon-btn row-menu-btn"
          aria-label={`Actions for ${row.title}`}
          data-testid="row-menu-button"
          onPointerDown={(e) => e.stopPropagation()}
          onClick={(e) => {
            e.stopPropagation();
            onSelect(row.id);
            const r = e.currentTarget.getBoundingClientRect();
            onMenu(row.id, r.right - 220, r.bottom + 4);
          }}
        >
          ⋯
        </button>
      </div>
    </div>
  );
});

function RowContent({ row, now }: { row: TimelineRow; now?: number }) {
  const kinds = [...new Set(row.warnings.map(warningKind))];
  return (
    <>
      <div className="row-time" title={row.display_at}>
        <span className="row-clock">{formatTime(row.display_at)}</span>
        <span className="row-date">{formatDate(row.display_at)}</span>
        <span className="row-rel">{relativeTime(row.display_at, now)}</span>
      </div>
      <div className="row-main">
        <div className="row-line">
          <StatusBadge status={row.status} />
          {row.pinned && (
            <span className="marker marker-pin" title="Pinned" aria-label="Pinned" data-testid="pinned-marker">
              <PinIcon /> Pinned
            </span>
          )}
          {row.key_event && (
            <span className="marker marker-key" title="Key event" aria-label="Key event" data-testid="key-marker">
              <StarIcon /> Key event
            </span>
          )}
          <span className="row-title">{row.title}</span>
        </div>
        <div className="row-excerpt">{row.excerpt || <em className="muted">No text yet</em>}</div>
        <div className="row-meta">
          {row.author && <span className="row-author">{row.author}</span>}
          {kinds.map((k) => (
            <span key={k} className={`chip chip-${k}`} data-testid={`warning-${k}`} title={row.warnings.filter((w) => warningKind(w) === k).join("\n")}>
              ⚠ {warningLabel(k)}
            </span>
          ))}
          {row.review_note && row.status === "draft" && (
            <span className="chip chip-note" title={row.review_note}>
              Returned: {row.review_note}
            </span>
          )}
          {row.correction_note && <span className="chip chip-correction" title={row.correction_note}>Corrected</span>}
        </div>
      </div>
      {row.photo && (
        <div className="row-photo">
          <Thumb id={row.photo.id} placeholder={row.photo.placeholder} alt="" width={320} />
          {row.photo_count > 1 && <span className="photo-count">+{row.photo_count - 1}</span>}
        </div>
      )}
    </>
  );
}

function PinIcon() {
  return (
    <svg width="11" height="11" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M10.5 1 15 5.5l-1.4 1.4-1-1-3 3 .5 3.6-1.4 1.4L5.4 10.6 1.7 14.3 1 14.3v-.7l3.7-3.7-3.3-3.3 1.4-1.4 3.6.5 3-3-1-1z" />
    </svg>
  );
}

function StarIcon() {
  return (
    <svg width="11" height="11" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M8 .8l2.2 4.6 5 .7-3.6 3.5.9 5L8 12.2l-4.5 2.4.9-5L.8 6.1l5-.7z" />
    </svg>
  );
}
