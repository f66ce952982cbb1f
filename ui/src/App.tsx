import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useApi } from "./api";
import type { AppInfo } from "./bindings/AppInfo";
import type { Blog } from "./bindings/Blog";
import type { BlogSummary } from "./bindings/BlogSummary";
import type { Changed } from "./bindings/Changed";
import type { Placement } from "./bindings/Placement";
import type { Status } from "./bindings/Status";
import type { TimelineRow } from "./bindings/TimelineRow";
import { ContextMenu } from "./components/ContextMenu";
import type { MenuAction } from "./components/ContextMenu";
import { CreateBlogDialog } from "./components/CreateBlogDialog";
import { EmptyState } from "./components/EmptyState";
import { HistoryPanel } from "./components/HistoryPanel";
import { Modal } from "./components/Modal";
import { PublishDialog } from "./components/PublishDialog";
import { ShortcutsOverlay } from "./components/ShortcutsOverlay";
import { Sidebar } from "./components/Sidebar";
import { Timeline } from "./components/Timeline";
import { useToasts } from "./components/Toasts";
import type { EditorHandle } from "./editor/EntryEditor";
import { MOD, isTyping, mod } from "./lib/keys";
import { applyMove, neighbour, placementToRestore } from "./lib/order";
import { runWorkflow } from "./lib/workflow";

// The editor (TipTap and ProseMirror, most of the script) loads when an entry
// is first opened: a window that only shows the timeline never parses it.
const EntryEditor = lazy(() => import("./editor/EntryEditor").then((m) => ({ default: m.EntryEditor })));

/** The byline last used for a new entry on this computer. */
function lastAuthor(): string | null {
  try {
    return localStorage.getItem("liveline:last-author");
  } catch {
    return null;
  }
}

type Undo = { label: string; run: () => Promise<unknown> };
type Confirm = { title: string; text: string; action: string; danger?: boolean; run: () => Promise<unknown> | void };

export function App() {
  const api = useApi();
  const toasts = useToasts();
  const [blogs, setBlogs] = useState<BlogSummary[] | null>(null);
  const [slug, setSlug] = useState<string | null>(null);
  const [rows, setRows] = useState<TimelineRow[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  const [search, setSearch] = useState("");
  const [view, setView] = useState<"timeline" | "review">("timeline");
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editor, setEditor] = useState<{ id: string | null; key: number } | null>(null);
  const [createOpen, setCreateOpen] = useState(false);
  const [publishOpen, setPublishOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [historyId, setHistoryId] = useState<string | null>(null);
  const [menu, setMenu] = useState<{ id: string; x: number; y: number } | null>(null);
  const [returnFor, setReturnFor] = useState<string | null>(null);
  const [returnNote, setReturnNote] = useState("");
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [info, setInfo] = useState<AppInfo | null>(null);

  const searchRef = useRef<HTMLInputElement>(null);
  const editorRef = useRef<EditorHandle>(null);
  const undoStack = useRef<Undo[]>([]);
  const movesInFlight = useRef(0);
  const editorKey = useRef(1);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  const blog: Blog | null = useMemo(() => blogs?.find((b) => b.blog.slug === slug)?.blog ?? null, [blogs, slug]);
  const effectiveStatus: Status | null = view === "review" ? "ready" : status;
  const readyCount = blogs?.find((b) => b.blog.slug === slug)?.counts.ready ?? 0;

  // ----- loading ---------------------------------------------------------------

  const loadBlogs = useCallback(async () => {
    try {
      const list = await api.listBlogs();
      setBlogs(list);
      setSlug((s) => (s && list.some((b) => b.blog.slug === s) ? s : (list[0]?.blog.slug ?? null)));
    } catch (e) {
      toasts.error(e);
      setBlogs((b) => b ?? []);
    }
  }, [api, toasts]);

  const [query, setQuery] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQuery(search.trim()), 200);
    return () => clearTimeout(t);
  }, [search]);

  const loadSeq = useRef(0);
  const loadTimeline = useCallback(async () => {
    if (!slug) {
      setRows([]);
      return;
    }
    const seq = ++loadSeq.current;
    try {
      const r = await api.timeline(slug, { status: effectiveStatus, search: query || null });
      if (seq === loadSeq.current && movesInFlight.current === 0) setRows(r);
    } catch (e) {
      toasts.error(e);
    }
  }, [api, slug, effectiveStatus, query, toasts]);

  useEffect(() => {
    void loadBlogs();
    api
      .appInfo()
      .then(setInfo)
      .catch(() => {});
  }, [api, loadBlogs]);

  useEffect(() => {
    void loadTimeline();
  }, [loadTimeline]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30000);
    return () => clearInterval(t);
  }, []);

  // Live refresh from `changed` (this window, other windows, the CLI).
  // Edits of entries already shown refresh just their rows (an autosave in
  // a 10,000-entry blog must not reload the whole timeline); anything that
  // can move rows or change which rows show reloads the timeline.
  const reloadRef = useRef(async (_changes: Changed[]) => {});
  reloadRef.current = async (changes: Changed[]) => {
    void loadBlogs();
    const shown = new Map(rowsRef.current.map((r) => [r.id, r]));
    const ids = [...new Set(changes.map((c) => c.entry))];
    const local = !query && changes.every((c) => c.blog === slug && c.entry !== null && shown.has(c.entry));
    if (local) {
      const seq = loadSeq.current;
      try {
        const fresh = await Promise.all(ids.map((id) => api.timelineRow(id!)));
        const inPlace = fresh.every((f) => {
          const old = shown.get(f.id)!;
          return f.status === old.status && f.pinned === old.pinned;
        });
        if (inPlace) {
          const byId = new Map(fresh.map((f) => [f.id, f]));
          if (seq === loadSeq.current) setRows((current) => current.map((r) => byId.get(r.id) ?? r));
          return;
        }
      } catch {
        // Gone or unreadable: the full reload below shows what is there.
      }
    }
    await loadTimeline();
  };
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | null = null;
    let pending: Changed[] = [];
    const off = api.on("changed", (change) => {
      pending.push(change);
      if (t) clearTimeout(t);
      t = setTimeout(() => {
        if (movesInFlight.current > 0) return;
        const changes = pending;
        pending = [];
        void reloadRef.current(changes);
      }, 250);
    });
    return () => {
      off();
      if (t) clearTimeout(t);
    };
  }, [api]);

  // ----- timeline actions ------------------------------------------------------

  const pushUndo = useCallback(
    (u: Undo) => {
      undoStack.current.push(u);
      if (undoStack.current.length > 50) undoStack.current.shift();
      toasts.push({
        kind: "info",
        message: u.label,
        action: { label: "Undo", run: () => void undoLast() },
      });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [toasts],
  );

  const move = useCallback(
    async (id: string, placement: Placement, record = true) => {
      const before = rowsRef.current;
      const restore = placementToRestore(before, id);
      setRows(applyMove(before, id, placement));
      movesInFlight.current += 1;
      try {
        await api.moveEntry(id, placement);
        if (record) pushUndo({ label: "Entry moved", run: () => move(id, restore, false) });
      } catch (e) {
        setRows(before);
        toasts.error(e);
      } finally {
        movesInFlight.current -= 1;
      }
    },
    [api, pushUndo, toasts],
  );

  const setPinned = useCallback(
    async (id: string, value: boolean, record = true) => {
      try {
        await api.setPinned(id, value);
        if (record) pushUndo({ label: value ? "Entry pinned" : "Entry unpinned", run: () => setPinned(id, !value, false) });
        await loadTimeline();
      } catch (e) {
        toasts.error(e);
      }
    },
    [api, loadTimeline, pushUndo, toasts],
  );

  const setKey = useCallback(
    async (id: string, value: boolean, record = true) => {
      const before = rowsRef.current;
      setRows(before.map((r) => (r.id === id ? { ...r, key_event: value } : r)));
      try {
        await api.setKeyEvent(id, value);
        if (record) pushUndo({ label: value ? "Marked as key event" : "Key event removed", run: () => setKey(id, !value, false) });
      } catch (e) {
        setRows(before);
        toasts.error(e);
      }
    },
    [api, pushUndo, toasts],
  );

  const undoLast = useCallback(async () => {
    const u = undoStack.current.pop();
    if (!u) {
      toasts.push({ kind: "info", message: "Nothing to undo." });
      return;
    }
    try {
      await u.run();
    } catch (e) {
      toasts.error(e);
    }
  }, [toasts]);

  const workflow = useCallback(
    async (id: string, what: "submit" | "publish" | "retract" | "delete") => {
      try {
        const e = await runWorkflow(api, id, what);
        const label = { submit: "Submitted for review", publish: "Published", retract: "Retracted", delete: "Deleted" }[what];
        toasts.push({ kind: "success", message: `${label}: ${e.title}` });
        if (what === "delete" && editor?.id === id) setEditor(null);
        await loadTimeline();
      } catch (e) {
        toasts.error(e);
      }
    },
    [api, editor?.id, loadTimeline, toasts],
  );

  const openEditor = useCallback((id: string | null) => {
    editorKey.current += 1;
    setEditor({ id, key: editorKey.current });
    if (id) setSelectedId(id);
  }, []);

  const onMenuAction = (id: string, a: MenuAction) => {
    const row = rows.find((r) => r.id === id);
    if (!row) return;
    switch (a) {
      case "open":
        return openEditor(id);
      case "pin":
        return void setPinned(id, !row.pinned);
      case "key":
        return void setKey(id, !row.key_event);
      case "top":
        return void move(id, { to: "top" });
      case "submit":
      case "publish":
      case "retract":
        if (a === "retract") {
          return setConfirm({
            title: "Retract entry",
            text: `Retract “${row.title}”? Readers' pages will drop it at the next publish. It cannot be published again.`,
            action: "Retract",
            danger: true,
            run: () => workflow(id, "retract"),
          });
        }
        return void workflow(id, a);
      case "delete":
        return setConfirm({
          title: "Delete entry",
          text: `Delete “${row.title}” and its revision history? This cannot be undone.`,
          action: "Delete",
          danger: true,
          run: () => workflow(id, "delete"),
        });
      case "history":
        return setHistoryId(id);
    }
  };

  const onMove = useCallback((id: string, p: Placement) => void move(id, p), [move]);
  const onMenu = useCallback((id: string, x: number, y: number) => setMenu({ id, x, y }), []);
  const review = useMemo(
    () => ({
      onPublish: (id: string) => void workflow(id, "publish"),
      onReturn: (id: string) => {
        setReturnNote("");
        setReturnFor(id);
      },
    }),
    [workflow],
  );

  // ----- keyboard ----------------------------------------------------------------

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = isTyping(e.target);
      const m = mod(e);
      const k = e.key.toLowerCase();
      if (m && (k === "/" || e.code === "Slash")) {
        e.preventDefault();
        setShortcutsOpen((o) => !o);
      } else if (m && !e.shiftKey && k === "s") {
        e.preventDefault();
        void editorRef.current?.save();
      } else if (m && k === "enter") {
        if (!editorRef.current) return;
        e.preventDefault();
        void editorRef.current.submit();
      } else if (m && e.shiftKey && k === "p") {
        e.preventDefault();
        if (editorRef.current) void editorRef.current.publish();
        else if (selectedId) void workflow(selectedId, "publish");
      } else if (m && e.shiftKey && k === "e") {
        e.preventDefault();
        if (blog) setPublishOpen(true);
      } else if (m && !e.shiftKey && k === "f") {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (m && !e.shiftKey && k === "z" && !typing) {
        e.preventDefault();
        void undoLast();
      } else if (e.key === "Escape") {
        if (menu) setMenu(null);
        else if (editor && !typing) setEditor(null);
        else if (typing && e.target === searchRef.current) searchRef.current?.blur();
        else if (editor) setEditor(null);
      } else if (
        !typing &&
        !m &&
        (e.key === "ArrowDown" || e.key === "ArrowUp") &&
        !(e.target as HTMLElement | null)?.closest?.("[role=listbox], [role=menu], [role=dialog], [role=toolbar]")
      ) {
        // Arrows anywhere else act on the timeline too.
        const list = rowsRef.current;
        if (list.length === 0) return;
        e.preventDefault();
        const down = e.key === "ArrowDown";
        document.querySelector<HTMLElement>('[data-testid="timeline"]')?.focus();
        if (e.altKey) {
          if (!selectedId) return;
          const n = neighbour(list, selectedId, down ? 1 : -1);
          if (n) void move(selectedId, down ? { to: "after", id: n.id } : { to: "before", id: n.id });
        } else {
          const i = selectedId ? list.findIndex((r) => r.id === selectedId) : -1;
          const next = i < 0 ? 0 : Math.max(0, Math.min(list.length - 1, i + (down ? 1 : -1)));
          setSelectedId(list[next]!.id);
        }
      } else if (!typing && !m && !e.altKey) {
        if (k === "n" && blog) {
          e.preventDefault();
          openEditor(null);
        } else if (e.key === "/") {
          e.preventDefault();
          searchRef.current?.focus();
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [blog, editor, menu, move, openEditor, selectedId, undoLast, workflow]);

  // ----- render ------------------------------------------------------------------

  if (blogs === null) return <div className="app-loading">Loading…</div>;

  const createDemo = async () => {
    try {
      const b = await api.createDemoBlog();
      await loadBlogs();
      setSlug(b.slug);
      toasts.push({ kind: "success", message: `Demo blog created: ${b.title}` });
    } catch (e) {
      toasts.error(e);
    }
  };

  const menuRow = menu ? rows.find((r) => r.id === menu.id) : undefined;

  return (
    <div className={`app${editor ? " with-editor" : ""}`}>
      {blogs.length === 0 ? (
        <main className="main main-empty">
          <EmptyState onCreate={() => setCreateOpen(true)} onDemo={() => void createDemo()} />
        </main>
      ) : (
        <>
          <Sidebar
            blogs={blogs}
            selected={slug}
            onSelect={(s) => {
              setSlug(s);
              setSelectedId(null);
              setEditor(null);
            }}
            onNew={() => setCreateOpen(true)}
            info={info}
          />
          <main className="main" aria-label="Timeline">
            {blog && (
              <header className="topbar">
                <div className="topbar-title">
                  <h1 data-testid="blog-title">{blog.title}</h1>
                  <div className="topbar-sub">
                    {blog.live ? <span className="live-pill">● Live</span> : <span className="ended-pill">Ended</span>}
                    <span className="muted" title="Entry times are in this zone">
                      {blog.timezone}
                    </span>
                    {blog.live && (
                      <button
                        type="button"
                        className="link-btn"
                        data-testid="end-coverage"
                        onClick={() =>
                          setConfirm({
                            title: "End coverage",
                            text: `End the live coverage of “${blog.title}”? The page will no longer be shown as live. Entries can still be corrected.`,
                            action: "End coverage",
                            danger: true,
                            run: async () => {
                              try {
                                await api.endBlog(blog.slug);
                                await loadBlogs();
                              } catch (e) {
                                toasts.error(e);
                              }
                            },
                          })
                        }
                      >
                        End coverage…
                      </button>
                    )}
                  </div>
                </div>
                <div className="topbar-actions">
                  <button type="button" className="btn btn-primary" onClick={() => openEditor(null)} data-testid="new-entry-button" title="New entry (N)">
                    + New entry
                  </button>
                  <button type="button" className="btn btn-publish" onClick={() => setPublishOpen(true)} data-testid="publish-button" title={`Publish the blog (${MOD}+Shift+E)`}>
                    Publish…
                  </button>
                  <button type="button" className="icon-btn" aria-label="Keyboard shortcuts" title={`Keyboard shortcuts (${MOD}+/)`} onClick={() => setShortcutsOpen(true)}>
                    ?
                  </button>
                </div>
              </header>
            )}
            <div className="filterbar">
              <div className="tabs" role="tablist" aria-label="View">
                <button type="button" role="tab" aria-selected={view === "timeline"} className={`tab${view === "timeline" ? " tab-active" : ""}`} onClick={() => setView("timeline")} data-testid="tab-timeline">
                  Timeline
                </button>
                <button type="button" role="tab" aria-selected={view === "review"} className={`tab${view === "review" ? " tab-active" : ""}`} onClick={() => setView("review")} data-testid="tab-review">
                  Review queue{readyCount > 0 && <span className="tab-count">{readyCount}</span>}
                </button>
              </div>
              <label className="filter">
                <span className="sr-only">Filter by status</span>
                <select
                  aria-label="Filter by status"
                  data-testid="status-filter"
                  value={effectiveStatus ?? ""}
                  disabled={view === "review"}
                  onChange={(e) => setStatus((e.target.value || null) as Status | null)}
                >
                  <option value="">All statuses</option>
                  <option value="draft">Drafts</option>
                  <option value="ready">Ready</option>
                  <option value="published">Published</option>
                  <option value="retracted">Retracted</option>
                </select>
              </label>
              <input
                ref={searchRef}
                type="search"
                className="search"
                aria-label="Search entries"
                placeholder="Search  ( / )"
                data-testid="search-input"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
              <span className="muted small count" aria-live="polite" data-testid="row-count">
                {rows.length.toLocaleString()} {rows.length === 1 ? "entry" : "entries"}
              </span>
            </div>
            <Timeline
              rows={rows}
              selectedId={selectedId}
              onSelect={setSelectedId}
              onOpen={openEditor}
              onMove={onMove}
              onMenu={onMenu}
              now={now}
              emptyText={
                view === "review"
                  ? "Nothing waiting for review."
                  : query || status
                    ? "No entries match."
                    : "No entries yet. Press N or “New entry” to write the first update."
              }
              review={view === "review" ? review : undefined}
            />
          </main>
          {editor && blog && (
            <aside className="editor-panel" aria-label="Editor">
              <Suspense fallback={<p className="editor-loading">Opening the editor…</p>}>
                <EntryEditor
                  key={editor.key}
                  ref={editorRef}
                  blog={blog}
                  entryId={editor.id}
                  defaultAuthor={lastAuthor() ?? ""}
                  onClose={() => setEditor(null)}
                  onEntry={(e) => setSelectedId(e.id)}
                  onHistory={(id) => setHistoryId(id)}
                />
              </Suspense>
            </aside>
          )}
        </>
      )}

      {menu && menuRow && <ContextMenu row={menuRow} x={menu.x} y={menu.y} onClose={() => setMenu(null)} onAction={(a) => onMenuAction(menu.id, a)} />}
      {createOpen && (
        <CreateBlogDialog
          onClose={() => setCreateOpen(false)}
          onCreated={async (b) => {
            setCreateOpen(false);
            await loadBlogs();
            setSlug(b.slug);
            setEditor(null);
          }}
        />
      )}
      {publishOpen && blog && <PublishDialog blog={blog} onClose={() => setPublishOpen(false)} />}
      {shortcutsOpen && <ShortcutsOverlay onClose={() => setShortcutsOpen(false)} />}
      {historyId && (
        <HistoryPanel
          entryId={historyId}
          onClose={() => setHistoryId(null)}
          onRestored={() => {
            void loadTimeline();
          }}
        />
      )}
      {returnFor && (
        <Modal title="Return to draft" onClose={() => setReturnFor(null)} testId="return-dialog">
          <form
            className="form"
            onSubmit={async (e) => {
              e.preventDefault();
              try {
                const en = await api.returnEntry(returnFor, returnNote.trim());
                toasts.push({ kind: "success", message: `Returned to draft: ${en.title}` });
                setReturnFor(null);
                await loadTimeline();
              } catch (err) {
                toasts.error(err);
              }
            }}
          >
            <label className="field">
              <span>Note for the author (required)</span>
              <textarea rows={3} value={returnNote} onChange={(e) => setReturnNote(e.target.value)} data-testid="return-note-dialog" placeholder="What should be changed before this can be published?" />
            </label>
            <div className="form-actions">
              <button type="button" className="btn" onClick={() => setReturnFor(null)}>
                Cancel
              </button>
              <button type="submit" className="btn btn-primary" disabled={!returnNote.trim()}>
                Return to draft
              </button>
            </div>
          </form>
        </Modal>
      )}
      {confirm && (
        <Modal title={confirm.title} onClose={() => setConfirm(null)} testId="confirm-dialog">
          <p className="confirm-text">{confirm.text}</p>
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setConfirm(null)}>
              Cancel
            </button>
            <button
              type="button"
              className={`btn ${confirm.danger ? "btn-danger" : "btn-primary"}`}
              data-testid="confirm-ok"
              onClick={async () => {
                const c = confirm;
                setConfirm(null);
                await c.run();
              }}
            >
              {confirm.action}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
