// UI-side types for the command API (docs/app-api.md). The generated
// bindings live in ../bindings and are never edited by hand.
import type { AppInfo } from "../bindings/AppInfo";
import type { Blog } from "../bindings/Blog";
import type { BlogSummary } from "../bindings/BlogSummary";
import type { Changed } from "../bindings/Changed";
import type { Entry } from "../bindings/Entry";
import type { EntryEdit } from "../bindings/EntryEdit";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { NewBlog } from "../bindings/NewBlog";
import type { NewEntry } from "../bindings/NewEntry";
import type { Photo } from "../bindings/Photo";
import type { PhotoEdit } from "../bindings/PhotoEdit";
import type { PhotoText } from "../bindings/PhotoText";
import type { Placement } from "../bindings/Placement";
import type { PublishOptions } from "../bindings/PublishOptions";
import type { PublishProgress } from "../bindings/PublishProgress";
import type { PublishReport } from "../bindings/PublishReport";
import type { PublishSettings } from "../bindings/PublishSettings";
import type { Revision } from "../bindings/Revision";
import type { TimelineQuery } from "../bindings/TimelineQuery";
import type { TimelineRow } from "../bindings/TimelineRow";

export const ERROR_CODES = [
  "not_found",
  "invalid_transition",
  "invalid_input",
  "invalid_time",
  "conflict",
  "newer_database",
  "damaged_database",
  "disk_full",
  "database",
  "io",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number] | "unknown";

/** Every rejected command is normalised to this. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "AppError";
    this.code = code;
  }
}

/** Turn whatever a promise rejected with into an AppError. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e && typeof e === "object") {
    const o = e as { code?: unknown; message?: unknown };
    if (typeof o.message === "string") {
      const code =
        typeof o.code === "string" && (ERROR_CODES as readonly string[]).includes(o.code)
          ? (o.code as ErrorCode)
          : "unknown";
      return new AppError(code, o.message);
    }
  }
  if (typeof e === "string") {
    // A Tauri error may arrive as a JSON string.
    try {
      const parsed: unknown = JSON.parse(e);
      if (parsed && typeof parsed === "object" && "message" in parsed) return toAppError(parsed);
    } catch {
      /* plain text */
    }
    return new AppError("unknown", e);
  }
  return new AppError("unknown", "Something went wrong.");
}

export type ImportProgressEvent = { entry: string; progress: ImportProgress };
export type PublishProgressEvent = { blog: string; progress: PublishProgress };

export type EventMap = {
  changed: Changed;
  "import-progress": ImportProgressEvent;
  "publish-progress": PublishProgressEvent;
};
export type EventName = keyof EventMap;
export type Unsubscribe = () => void;

/** The whole command API, implemented by the Tauri shell and by the mock. */
export interface Api {
  readonly kind: "tauri" | "mock";
  appInfo(): Promise<AppInfo>;
  listBlogs(): Promise<BlogSummary[]>;
  createBlog(input: NewBlog): Promise<Blog>;
  endBlog(slug: string): Promise<Blog>;
  createDemoBlog(): Promise<Blog>;
  timeline(slug: string, query: TimelineQuery): Promise<TimelineRow[]>;
  /** One entry's row, to refresh a single line after an edit. */
  timelineRow(id: string): Promise<TimelineRow>;
  getEntry(id: string): Promise<Entry>;
  addEntry(slug: string, input: NewEntry): Promise<Entry>;
  /** An explicit save: always a new revision. */
  editEntry(id: string, edit: EntryEdit): Promise<Entry>;
  /** The editor's save while typing: may fold into the latest revision. */
  autosaveEntry(id: string, edit: EntryEdit): Promise<Entry>;
  entryHistory(id: string): Promise<Revision[]>;
  restoreRevision(id: string, revision: number): Promise<Entry>;
  submitEntry(id: string): Promise<Entry>;
  publishEntry(id: string): Promise<Entry>;
  retractEntry(id: string): Promise<Entry>;
  returnEntry(id: string, note: string): Promise<Entry>;
  deleteEntry(id: string): Promise<Entry>;
  setPinned(id: string, value: boolean): Promise<Entry>;
  setKeyEvent(id: string, value: boolean): Promise<Entry>;
  moveEntry(id: string, placement: Placement): Promise<Entry>;
  importPhoto(entryId: string, path: string, text: PhotoText): Promise<Photo>;
  importPhotoData(entryId: string, name: string, base64: string, text: PhotoText): Promise<Photo>;
  editPhoto(id: string, edit: PhotoEdit): Promise<Photo>;
  photoPreview(id: string, width: number): Promise<string>;
  publishSettings(slug: string): Promise<PublishSettings | null>;
  publishBlog(slug: string, options: PublishOptions): Promise<PublishReport>;
  /** Open the last publication's reader page (index.html) in the system browser. */
  openReader(slug: string): Promise<void>;
  /** Subscribe to a backend event; returns a synchronous unsubscribe. */
  on<K extends EventName>(event: K, handler: (payload: EventMap[K]) => void): Unsubscribe;
}
