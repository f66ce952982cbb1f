// The composer / editor panel for one entry, with autosave and recovery.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from "react";
import { EditorContent, useEditor } from "@tiptap/react";
import type { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import Link from "@tiptap/extension-link";
import { useApi } from "../api";
import { toAppError } from "../api/types";
import type { Blog } from "../bindings/Blog";
import type { Entry } from "../bindings/Entry";
import type { EntryEdit } from "../bindings/EntryEdit";
import type { Photo } from "../bindings/Photo";
import type { PhotoEdit } from "../bindings/PhotoEdit";
import { StatusBadge } from "../components/StatusBadge";
import { useToasts } from "../components/Toasts";
import { MOD } from "../lib/keys";
import { warningKind } from "../lib/text";
import { runWorkflow } from "../lib/workflow";
import { formatDate, formatTime, fromLocalInput, instantInZone, toLocalInput } from "../lib/time";
import { EMBED, PHOTO, QUOTE, blocksToDoc, docToBlocks } from "./blocks";
import type { DocNode } from "./blocks";
import { EmbedNode, PhotoContext, PhotoNode, QuoteNode } from "./nodes";
import type { PhotoCtx } from "./nodes";
import type { Draft, Recovered } from "./recovery";
import { dropUnsaved, keepUnsaved, readUnsaved, recoveryKey } from "./recovery";

export const AUTOSAVE_MS = 800;

export type SaveState = "saved" | "saving" | "unsaved" | "error" | "new";

export type EditorHandle = {
  save: () => Promise<boolean>;
  submit: () => Promise<void>;
  publish: () => Promise<void>;
};

type Props = {
  blog: Blog;
  entryId: string | null;
  defaultAuthor?: string;
  onClose: () => void;
  onEntry?: (e: Entry) => void;
  onHistory?: (id: string) => void;
};

const IMAGE_EXT = ["jpg", "jpeg", "png", "webp"];

function draftOf(e: Entry): Draft {
  return {
    title: e.title,
    author: e.author ?? "",
    displayAt: e.display_at_set ? toLocalInput(e.display_at) : "",
    correctionNote: e.correction_note ?? "",
    blocks: e.blocks,
  };
}

function fileToBase64(f: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(",") + 1));
    };
    r.onerror = () => reject(new Error(`cannot read ${f.name}`));
    r.readAsDataURL(f);
  });
}

function progressPercent(p: { stage: string; done?: number; total?: number }): number {
  switch (p.stage) {
    case "reading":
      return 5;
    case "checking":
      return 12;
    case "rendering":
      return 12 + Math.round((80 * (p.done ?? 0)) / Math.max(1, p.total ?? 1));
    case "saving":
      return 95;
    default:
      return 100;
  }
}

export const EntryEditor = forwardRef<EditorHandle, Props>(function EntryEditor(
  { blog, entryId, defaultAuthor, onClose, onEntry, onHistory },
  ref,
) {
  const api = useApi();
  const toasts = useToasts();
  const [entry, setEntry] = useState<Entry | null>(null);
  const [loading, setLoading] = useState(entryId !== null);
  const [fields, setFields] = useState<Omit<Draft, "blocks">>({
    title: "",
    author: defaultAuthor ?? "",
    displayAt: "",
    correctionNote: "",
  });
  const [saveState, setSaveState] = useState<SaveState>(entryId ? "saved" : "new");
  const [saveError, setSaveError] = useState<string | null>(null);
  const [recovered, setRecovered] = useState<Recovered | null>(null);
  const [photos, setPhotos] = useState<Map<string, Photo>>(new Map());
  const [importing, setImporting] = useState<number | null>(null);
  const [returning, setReturning] = useState(false);
  const [returnNote, setReturnNote] = useState("");
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkHref, setLinkHref] = useState("");
  const [, force] = useState(0);

  const idRef = useRef<string | null>(entryId);
  const draftRef = useRef<Draft>({ ...fields, blocks: [] });
  const lastSaved = useRef<string>(JSON.stringify(draftRef.current));
  const serverDraft = useRef<Draft | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const saving = useRef<Promise<boolean> | null>(null);
  const pending = useRef(false);
  const lastWasAutosave = useRef(false);
  const entryRef = useRef<Entry | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const importRef = useRef<(files: File[]) => void>(() => {});
  const keyRef = useRef(recoveryKey(blog.slug, entryId));

  const isDirty = () => JSON.stringify(draftRef.current) !== lastSaved.current;

  // ----- saving --------------------------------------------------------------

  /**
   * Save; true when what the editor holds is saved. An autosave (while
   * typing) may fold into the latest revision; an explicit save (Save,
   * Ctrl+S, before a workflow step) always makes a revision: after
   * autosaves it is a checkpoint even when nothing changed since. A flush
   * (before a workflow step) saves explicitly only what is not saved yet.
   */
  const doSave = useCallback(async (mode: "auto" | "explicit" | "flush" = "explicit"): Promise<boolean> => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    if (saving.current) {
      pending.current = true;
      const ok = await saving.current;
      if (mode === "auto" || !ok) return ok;
    }
    const d = structuredClone(draftRef.current);
    const snapshot = JSON.stringify(d);
    if (snapshot === lastSaved.current && !(mode === "explicit" && lastWasAutosave.current && idRef.current)) {
      return idRef.current !== null;
    }
    if (!idRef.current && d.title.trim() === "") {
      // Nothing can be created without a title: keep it locally meanwhile.
      keepUnsaved(keyRef.current, null, d);
      setSaveState("unsaved");
      return false;
    }
    const run = (async (): Promise<boolean> => {
      setSaveState("saving");
      try {
        let saved: Entry;
        if (!idRef.current) {
          saved = await api.addEntry(blog.slug, {
            title: d.title.trim(),
            blocks: d.blocks,
            author: d.author.trim() || null,
            display_at: fromLocalInput(d.displayAt),
            initial: "draft",
          });
          dropUnsaved(keyRef.current);
          try {
            if (d.author.trim()) localStorage.setItem("liveline:last-author", d.author.trim());
          } catch {
            /* not important */
          }
          idRef.current = saved.id;
          keyRef.current = recoveryKey(blog.slug, saved.id);
        } else {
          const server = serverDraft.current;
          const edit: EntryEdit = {
            title: d.title.trim() === "" ? null : d.title,
            blocks: d.blocks,
            author: d.author,
            // "" gives a set time up: the entry follows its publication again.
            display_at: server && d.displayAt !== server.displayAt ? (d.displayAt ? fromLocalInput(d.displayAt) : "") : null,
            correction_note:
              entryRef.current?.status === "published" && d.correctionNote !== (server?.correctionNote ?? "") ? d.correctionNote : null,
          };
          saved = mode === "auto" ? await api.autosaveEntry(idRef.current, edit) : await api.editEntry(idRef.current, edit);
        }
        lastWasAutosave.current = mode === "auto";
        entryRef.current = saved;
        serverDraft.current = draftOf(saved);
        setEntry(saved);
        lastSaved.current = snapshot;
        setSaveError(null);
        if (JSON.stringify(draftRef.current) === snapshot) {
          dropUnsaved(keyRef.current);
          setSaveState("saved");
        } else {
          keepUnsaved(keyRef.current, idRef.current, draftRef.current);
          setSaveState("unsaved");
          pending.current = true;
        }
        onEntry?.(saved);
        return true;
      } catch (e) {
        const err = toAppError(e);
        keepUnsaved(keyRef.current, idRef.current, d);
        setSaveState("error");
        setSaveError(err.message);
        toasts.push({ kind: "error", message: `Not saved: ${err.message}` });
        return false;
      }
    })();
    saving.current = run;
    let ok: boolean;
    try {
      ok = await run;
    } finally {
      saving.current = null;
    }
    if (pending.current) {
      pending.current = false;
      if (isDirty()) {
        // Typing went on during the save: save again soon.
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => void doSave("auto"), AUTOSAVE_MS);
      }
    }
    return ok;
  }, [api, blog.slug, onEntry, toasts]);

  const changed = useCallback(() => {
    if (!isDirty()) {
      if (timer.current) clearTimeout(timer.current);
      setSaveState(idRef.current ? "saved" : "new");
      return;
    }
    keepUnsaved(keyRef.current, idRef.current, draftRef.current);
    setSaveState("unsaved");
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void doSave("auto"), AUTOSAVE_MS);
  }, [doSave]);

  const setField = (name: keyof Omit<Draft, "blocks">, value: string) => {
    draftRef.current = { ...draftRef.current, [name]: value };
    setFields((f) => ({ ...f, [name]: value }));
    changed();
  };

  // ----- the rich text editor -------------------------------------------------

  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: false,
        bulletList: false,
        orderedList: false,
        listItem: false,
        listKeymap: false,
        code: false,
        codeBlock: false,
        blockquote: false,
        horizontalRule: false,
        strike: false,
        underline: false,
        hardBreak: false,
        link: false,
      }),
      Link.configure({ openOnClick: false, autolink: true, protocols: ["mailto"], defaultProtocol: "https" }),
      QuoteNode,
      EmbedNode,
      PhotoNode,
    ],
    content: blocksToDoc([]),
    editorProps: {
      attributes: {
        class: "prose",
        "aria-label": "Entry body",
        "aria-multiline": "true",
        role: "textbox",
        "data-testid": "body-editor",
      },
      handlePaste: (_view, event) => {
        const files = [...(event.clipboardData?.files ?? [])].filter((f) => f.type.startsWith("image/"));
        if (files.length === 0) return false;
        importRef.current(files);
        return true;
      },
      handleDrop: (_view, event, _slice, moved) => {
        if (moved) return false;
        const files = [...(event.dataTransfer?.files ?? [])].filter((f) => f.type.startsWith("image/"));
        if (files.length === 0) return false;
        event.preventDefault();
        importRef.current(files);
        return true;
      },
    },
    onUpdate: ({ editor: ed }) => {
      draftRef.current = { ...draftRef.current, blocks: docToBlocks(ed.getJSON() as DocNode) };
      changed();
    },
    onSelectionUpdate: () => force((n) => n + 1),
  });
  editorRef.current = editor;

  const applyDraft = useCallback(
    (d: Draft) => {
      draftRef.current = structuredClone(d);
      setFields({ title: d.title, author: d.author, displayAt: d.displayAt, correctionNote: d.correctionNote });
      editorRef.current?.commands.setContent(blocksToDoc(d.blocks), { emitUpdate: false });
      // What the editor holds, normalised, is the draft from now on.
      if (editorRef.current) draftRef.current.blocks = docToBlocks(editorRef.current.getJSON() as DocNode);
    },
    [],
  );

  // ----- loading --------------------------------------------------------------

  useEffect(() => {
    let live = true;
    const key = keyRef.current;
    if (entryId === null) {
      const r = readUnsaved(key);
      if (r && (r.title.trim() || r.blocks.length)) setRecovered(r);
      return;
    }
    setLoading(true);
    api
      .getEntry(entryId)
      .then((e) => {
        if (!live) return;
        const d = draftOf(e);
        entryRef.current = e;
        serverDraft.current = d;
        setEntry(e);
        setPhotos(new Map(e.photos.map((p) => [p.id, p])));
        applyDraft(d);
        lastSaved.current = JSON.stringify(draftRef.current);
        const r = readUnsaved(key);
        const rd: Draft | null = r
          ? { title: r.title, author: r.author, displayAt: r.displayAt, correctionNote: r.correctionNote, blocks: r.blocks }
          : null;
        if (r && JSON.stringify(rd) !== lastSaved.current) {
          setRecovered(r);
        } else if (r) dropUnsaved(key);
      })
      .catch((err) => {
        if (live) toasts.error(err);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entryId, editor]);

  // Keep in step with changes made elsewhere (history restore, the CLI).
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | null = null;
    const off = api.on("changed", (c) => {
      if (!idRef.current || c.entry !== idRef.current) return;
      if (t) clearTimeout(t);
      t = setTimeout(() => {
        const id = idRef.current;
        if (!id) return;
        api
          .getEntry(id)
          .then((e) => {
            entryRef.current = e;
            setEntry(e);
            setPhotos((m) => {
              const n = new Map(m);
              for (const p of e.photos) n.set(p.id, p);
              return n;
            });
            const d = draftOf(e);
            const theirs = JSON.stringify(d);
            if (!isDirty() && !saving.current && theirs !== JSON.stringify(serverDraft.current)) {
              serverDraft.current = d;
              applyDraft(d);
              lastSaved.current = JSON.stringify(draftRef.current);
            }
          })
          .catch(() => {
            /* deleted meanwhile: the timeline will say so */
          });
      }, 250);
    });
    return () => {
      off();
      if (t) clearTimeout(t);
    };
  }, [api, applyDraft]);

  useEffect(() => {
    return api.on("import-progress", (p) => {
      if (p.entry !== idRef.current) return;
      const pct = progressPercent(p.progress as { stage: string; done?: number; total?: number });
      setImporting(pct >= 100 ? null : pct);
    });
  }, [api]);

  // Save what is left when the panel closes.
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      if (isDirty()) void doSave("auto");
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  // ----- photos ---------------------------------------------------------------

  const ensureSaved = async (): Promise<string | null> => {
    if (!idRef.current && draftRef.current.title.trim() === "") {
      toasts.push({ kind: "error", message: "Give the entry a title first: it is saved as a draft, then photos can be added." });
      return null;
    }
    return (await doSave("auto")) ? idRef.current : null;
  };

  const insertPhoto = (p: Photo) => {
    setPhotos((m) => new Map(m).set(p.id, p));
    const ed = editorRef.current;
    // After the selection, never over it (a selected block stays).
    if (ed) ed.chain().focus().insertContentAt(ed.state.selection.to, { type: PHOTO, attrs: { photoId: p.id } }).run();
  };

  const importPaths = async (paths: string[]) => {
    const id = await ensureSaved();
    if (!id) return;
    for (const path of paths) {
      try {
        setImporting(1);
        insertPhoto(await api.importPhoto(id, path, { credit: null, caption: null, alt: null }));
      } catch (e) {
        toasts.error(e);
      } finally {
        setImporting(null);
      }
    }
  };

  const importFiles = async (files: File[]) => {
    const id = await ensureSaved();
    if (!id) return;
    for (const f of files) {
      try {
        setImporting(1);
        const b64 = await fileToBase64(f);
        const name = f.name && /\.[a-z]+$/i.test(f.name) ? f.name : `pasted-${Date.now()}.${f.type.split("/")[1] ?? "png"}`;
        insertPhoto(await api.importPhotoData(id, name, b64, { credit: null, caption: null, alt: null }));
      } catch (e) {
        toasts.error(e);
      } finally {
        setImporting(null);
      }
    }
  };
  importRef.current = (files) => void importFiles(files);

  // Files dropped from the file manager arrive as paths in Tauri.
  useEffect(() => {
    if (api.kind !== "tauri") return;
    let un: (() => void) | null = null;
    let cancelled = false;
    void import("@tauri-apps/api/webview").then(({ getCurrentWebview }) =>
      getCurrentWebview()
        .onDragDropEvent((ev) => {
          if (ev.payload.type !== "drop") return;
          const paths = ev.payload.paths.filter((p) => IMAGE_EXT.some((x) => p.toLowerCase().endsWith(`.${x}`)));
          if (paths.length) void importPathsRef.current(paths);
        })
        .then((f) => {
          if (cancelled) f();
          else un = f;
        }),
    );
    return () => {
      cancelled = true;
      un?.();
    };
  }, [api.kind]);
  const importPathsRef = useRef(importPaths);
  importPathsRef.current = importPaths;

  const pickPhotos = async () => {
    if (api.kind === "tauri") {
      try {
        const { open } = await import("@tauri-apps/plugin-dialog");
        const picked = await open({ multiple: true, directory: false, filters: [{ name: "Images", extensions: IMAGE_EXT }] });
        const paths = picked === null ? [] : Array.isArray(picked) ? picked : [picked];
        if (paths.length) await importPaths(paths);
      } catch (e) {
        toasts.error(e);
      }
    } else fileInput.current?.click();
  };

  const photoCtx = useMemo<PhotoCtx>(
    () => ({
      photos,
      editPhoto: async (id: string, edit: PhotoEdit) => {
        try {
          const p = await api.editPhoto(id, edit);
          setPhotos((m) => new Map(m).set(p.id, p));
        } catch (e) {
          toasts.error(e);
        }
      },
    }),
    [api, photos, toasts],
  );

  // ----- workflow -------------------------------------------------------------

  const act = async (what: "submit" | "publish" | "retract" | "return") => {
    const saved = await doSave("flush");
    const id = idRef.current;
    if (!id || !saved) {
      if (!id) toasts.push({ kind: "error", message: "Give the entry a title first." });
      return;
    }
    try {
      const e = await runWorkflow(api, id, what, returnNote);
      entryRef.current = e;
      serverDraft.current = draftOf(e);
      setEntry(e);
      onEntry?.(e);
      const label = { submit: "Submitted for review", publish: "Published", retract: "Retracted", return: "Returned to draft" }[what];
      toasts.push({ kind: "success", message: `${label}: ${e.title}` });
      if (what === "return") {
        setReturning(false);
        setReturnNote("");
      }
    } catch (err) {
      toasts.error(err);
    }
  };

  useImperativeHandle(ref, () => ({
    save: () => doSave("explicit"),
    submit: async () => {
      if (entryRef.current?.status === "draft" || !entryRef.current) await act("submit");
    },
    publish: async () => {
      if (!entryRef.current || entryRef.current.status === "draft" || entryRef.current.status === "ready") await act("publish");
    },
  }));

  // ----- render ---------------------------------------------------------------

  useEffect(() => {
    editor?.setEditable(entry?.status !== "retracted");
  }, [editor, entry?.status]);

  const status = entry?.status ?? "draft";
  const displayNow = fields.displayAt === "";
  const statusText: Record<SaveState, string> = {
    new: "Not saved yet — add a title",
    saved: "Saved",
    saving: "Saving…",
    unsaved: "Unsaved changes",
    error: "Not saved",
  };
  const warnings = entry?.warnings ?? [];
  const noCredit = warnings.some((w) => warningKind(w) === "credit");
  /** A quote block: made of the selected words when there are some. */
  const insertQuote = () => {
    if (!editor) return;
    const { from, to, empty } = editor.state.selection;
    const selected = empty ? "" : editor.state.doc.textBetween(from, to, " ").trim();
    if (selected) editor.chain().focus().insertContent({ type: QUOTE, attrs: { text: selected, attribution: "" } }).run();
    else editor.chain().focus().insertContentAt(to, { type: QUOTE, attrs: { text: "", attribution: "" } }).run();
  };
  const tb = (label: string, active: boolean, run: () => void, testId?: string, keys?: string) => (
    <button
      type="button"
      className={`tb-btn${active ? " tb-active" : ""}`}
      aria-pressed={active}
      aria-label={label}
      title={keys ? `${label} (${keys})` : label}
      data-testid={testId}
      onMouseDown={(e) => e.preventDefault()}
      onClick={run}
    >
      {label}
    </button>
  );

  return (
    <section className="editor" aria-label={entryId ? "Edit entry" : "New entry"} data-testid="entry-editor" data-entry-id={idRef.current ?? ""}>
      <header className="editor-head">
        <div className="editor-head-left">
          <StatusBadge status={status} />
          <span className={`save-status save-${saveState}`} data-testid="save-status" data-state={saveState} role="status" aria-live="polite" title={saveError ?? undefined}>
            {statusText[saveState]}
          </span>
          {entry && <span className="muted small">rev. {entry.revision}</span>}
        </div>
        <div className="editor-head-right">
          {entry && onHistory && (
            <button type="button" className="btn btn-small" onClick={() => onHistory(entry.id)} data-testid="history-button">
              History
            </button>
          )}
          <button type="button" className="icon-btn" aria-label="Close editor" onClick={onClose} data-testid="close-editor">
            ×
          </button>
        </div>
      </header>

      {recovered && (
        <div className="banner banner-warn" role="alert" data-testid="recovery-banner">
          <span>
            <strong>Recovered unsaved text</strong> from {new Date(recovered.savedAt).toLocaleString()}.
          </span>
          <button
            type="button"
            className="btn btn-small btn-primary"
            data-testid="recovery-restore"
            onClick={() => {
              applyDraft(recovered);
              setRecovered(null);
              changed();
            }}
          >
            Restore it
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              dropUnsaved(keyRef.current);
              setRecovered(null);
            }}
          >
            Discard
          </button>
        </div>
      )}
      {entry?.status === "retracted" && (
        <div className="banner banner-error" role="note" data-testid="retracted-banner">
          This entry is retracted: it can no longer be edited. Write a new entry instead.
        </div>
      )}
      {entry?.review_note && entry.status === "draft" && (
        <div className="banner banner-info" role="note">
          <strong>Returned by the editor:</strong> {entry.review_note}
        </div>
      )}
      {saveError && saveState === "error" && (
        <div className="banner banner-error" role="alert">
          Not saved: {saveError} Your text is kept on this computer until it saves.
        </div>
      )}

      {loading ? (
        <div className="editor-loading">Loading…</div>
      ) : null}
      <fieldset className="editor-body" hidden={loading} disabled={status === "retracted"}>
        <legend className="sr-only">Entry</legend>
        <label className="field">
          <span>Title</span>
          <input
            className="title-input"
            data-testid="title-input"
            value={fields.title}
            placeholder="What happened?"
            onChange={(e) => setField("title", e.target.value)}
            autoFocus={entryId === null}
          />
        </label>
        <div className="field-row">
          <label className="field">
            <span>Author</span>
            <input data-testid="author-input" value={fields.author} placeholder="Byline (optional)" onChange={(e) => setField("author", e.target.value)} />
          </label>
          <div className="field">
            <span id="display-time-label">Display time ({blog.timezone})</span>
            <div className="time-row">
              <label className="check">
                <input
                  type="checkbox"
                  checked={displayNow}
                  onChange={(e) =>
                    setField("displayAt", e.target.checked ? "" : toLocalInput(entry?.display_at ?? instantInZone(Date.now(), blog.timezone)))
                  }
                />
                Now
              </label>
              {!displayNow && (
                <input
                  type="datetime-local"
                  aria-labelledby="display-time-label"
                  data-testid="display-time-input"
                  value={fields.displayAt}
                  onChange={(e) => setField("displayAt", e.target.value)}
                />
              )}
              {displayNow && entry && (
                <span className="muted small">
                  {formatTime(entry.display_at)} · {formatDate(entry.display_at)}
                </span>
              )}
            </div>
          </div>
        </div>

        <div className="toolbar" role="toolbar" aria-label="Formatting">
          {tb("Bold", !!editor?.isActive("bold"), () => editor?.chain().focus().toggleBold().run(), "tb-bold", `${MOD}+B`)}
          {tb("Italic", !!editor?.isActive("italic"), () => editor?.chain().focus().toggleItalic().run(), "tb-italic", `${MOD}+I`)}
          {tb("Link", !!editor?.isActive("link"), () => {
            setLinkHref(String(editor?.getAttributes("link").href ?? "https://"));
            setLinkOpen((o) => !o);
          }, "tb-link")}
          <span className="tb-sep" />
          {tb("Quote", false, () => insertQuote(), "tb-quote")}
          {tb("Embed", false, () => editor?.chain().focus().insertContentAt(editor.state.selection.to, { type: EMBED, attrs: { url: "", intro: "" } }).run(), "tb-embed")}
          {tb("Photo…", false, () => void pickPhotos(), "tb-photo")}
          <input
            ref={fileInput}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            hidden
            aria-label="Choose photos"
            data-testid="photo-file-input"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = "";
              if (files.length) void importFiles(files);
            }}
          />
        </div>
        {linkOpen && (
          <form
            className="link-form"
            onSubmit={(e) => {
              e.preventDefault();
              const href = linkHref.trim();
              if (href && href !== "https://") editor?.chain().focus().extendMarkRange("link").setLink({ href }).run();
              setLinkOpen(false);
            }}
          >
            <input aria-label="Link address" value={linkHref} onChange={(e) => setLinkHref(e.target.value)} autoFocus />
            <button type="submit" className="btn btn-small btn-primary">
              Apply
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                editor?.chain().focus().extendMarkRange("link").unsetLink().run();
                setLinkOpen(false);
              }}
            >
              Remove link
            </button>
          </form>
        )}
        {importing !== null && (
          <div className="progress" role="progressbar" aria-label="Importing photo" aria-valuemin={0} aria-valuemax={100} aria-valuenow={importing} data-testid="import-progress">
            <div className="progress-bar" style={{ width: `${importing}%` }} />
            <span className="progress-label">Importing photo… {importing}%</span>
          </div>
        )}
        <PhotoContext.Provider value={photoCtx}>
          <EditorContent editor={editor} className="body-editor" />
        </PhotoContext.Provider>
        <p className="hint">Paste or drop images into the text to add photos. A photo needs a credit before the entry can be published.</p>

        {status === "published" && (
          <label className="field">
            <span>Correction note (shown to readers)</span>
            <textarea
              data-testid="correction-note"
              rows={2}
              value={fields.correctionNote}
              placeholder="e.g. An earlier version named the wrong street."
              onChange={(e) => setField("correctionNote", e.target.value)}
            />
          </label>
        )}
      </fieldset>

      <footer className="editor-foot">
        {noCredit && (status === "draft" || status === "ready") && <span className="chip chip-credit" data-testid="editor-credit-warning">⚠ Photo needs a credit</span>}
        <div className="spacer" />
        {returning ? (
          <form
            className="return-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (returnNote.trim()) void act("return");
            }}
          >
            <input aria-label="Note for the author" data-testid="return-note" placeholder="What should the author change? (required)" value={returnNote} onChange={(e) => setReturnNote(e.target.value)} autoFocus />
            <button type="submit" className="btn btn-small" disabled={!returnNote.trim()}>
              Return to draft
            </button>
            <button type="button" className="btn btn-small" onClick={() => setReturning(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            <button type="button" className="btn" onClick={() => void doSave("explicit")} title={`Save now (${MOD}+S)`} data-testid="save-button">
              Save
            </button>
            {status === "draft" && (
              <button type="button" className="btn" onClick={() => void act("submit")} title={`${MOD}+Enter`} data-testid="submit-button">
                Submit for review
              </button>
            )}
            {status === "ready" && (
              <button type="button" className="btn" onClick={() => setReturning(true)} data-testid="return-button">
                Return to draft…
              </button>
            )}
            {(status === "draft" || status === "ready") && (
              <button type="button" className="btn btn-primary" onClick={() => void act("publish")} title={`${MOD}+Shift+P`} data-testid="publish-entry-button">
                Publish
              </button>
            )}
            {status === "published" && (
              <button type="button" className="btn btn-danger" onClick={() => void act("retract")} data-testid="retract-button">
                Retract
              </button>
            )}
          </>
        )}
      </footer>
    </section>
  );
});
