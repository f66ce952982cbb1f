// The real backend: one invoke per command, errors normalised to AppError.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { Api, EventMap, EventName, Unsubscribe } from "./types";
import { toAppError } from "./types";

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toAppError(e);
  }
}

function on<K extends EventName>(event: K, handler: (payload: EventMap[K]) => void): Unsubscribe {
  let stop: (() => void) | null = null;
  let cancelled = false;
  listen<EventMap[K]>(event, (e) => handler(e.payload))
    .then((un) => {
      if (cancelled) un();
      else stop = un;
    })
    .catch(() => {
      /* not inside Tauri: no events */
    });
  return () => {
    cancelled = true;
    if (stop) stop();
  };
}

export const tauriApi: Api = {
  kind: "tauri",
  appInfo: () => call("app_info"),
  listBlogs: () => call("list_blogs"),
  createBlog: (input) => call("create_blog", { input }),
  endBlog: (slug) => call("end_blog", { slug }),
  createDemoBlog: () => call("create_demo_blog"),
  timeline: (slug, query) => call("timeline", { slug, query }),
  timelineRow: (id) => call("timeline_row", { id }),
  getEntry: (id) => call("get_entry", { id }),
  addEntry: (slug, input) => call("add_entry", { slug, input }),
  editEntry: (id, edit) => call("edit_entry", { id, edit }),
  autosaveEntry: (id, edit) => call("autosave_entry", { id, edit }),
  entryHistory: (id) => call("entry_history", { id }),
  restoreRevision: (id, revision) => call("restore_revision", { id, revision }),
  submitEntry: (id) => call("submit_entry", { id }),
  publishEntry: (id) => call("publish_entry", { id }),
  retractEntry: (id) => call("retract_entry", { id }),
  returnEntry: (id, note) => call("return_entry", { id, note }),
  deleteEntry: (id) => call("delete_entry", { id }),
  setPinned: (id, value) => call("set_pinned", { id, value }),
  setKeyEvent: (id, value) => call("set_key_event", { id, value }),
  moveEntry: (id, placement) => call("move_entry", { id, placement }),
  importPhoto: (entryId, path, text) => call("import_photo", { entryId, path, text }),
  importPhotoData: (entryId, name, base64, text) =>
    call("import_photo_data", { entryId, name, base64, text }),
  editPhoto: (id, edit) => call("edit_photo", { id, edit }),
  photoPreview: (id, width) => call("photo_preview", { id, width }),
  publishSettings: (slug) => call("publish_settings", { slug }),
  publishBlog: (slug, options) => call("publish_blog", { slug, options }),
  openReader: (slug) => call("open_reader", { slug }),
  on,
};

export function insideTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}
