//! The Tauri commands: each one forwards to the core's `App` (src/app/) and
//! nothing more. Ids arrive as strings and are parsed by the core, so a bad
//! id is an `invalid_input` error like any other. Commands are `async` so
//! that they run off the window's main thread; long work (photo import,
//! publish) moves to a blocking thread and reports progress as events.

use std::path::PathBuf;
use std::sync::Arc;

use liveline::app::{App, AppError, AppInfo, BlogSummary, PublishOptions};
use liveline::model::{Blog, Entry, EntryEdit, NewBlog, NewEntry, Placement, Revision};
use liveline::photos::{ImportProgress, Photo, PhotoEdit, PhotoText};
use liveline::publish::{PublishReport, PublishSettings};
use liveline::store::{TimelineQuery, TimelineRow};
use liveline::{parse_entry_id, parse_photo_id, Uuid};
use serde_json::json;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_opener::OpenerExt;

/// The core, shared by every command and the long-work threads.
pub struct Core(pub Arc<App>);

type Answer<T> = Result<T, AppError>;

fn entry_id(id: &str) -> Answer<Uuid> {
    Ok(parse_entry_id(id)?)
}

/// Run long work on a blocking thread.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> liveline::Result<T> + Send + 'static,
) -> Answer<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| AppError {
            code: "internal".into(),
            message: format!("the work stopped unexpectedly: {e}"),
        })?
        .map_err(AppError::from)
}

#[tauri::command]
pub async fn app_info(core: State<'_, Core>) -> Answer<AppInfo> {
    Ok(core.0.info())
}

#[tauri::command]
pub async fn list_blogs(core: State<'_, Core>) -> Answer<Vec<BlogSummary>> {
    Ok(core.0.list_blogs()?)
}

#[tauri::command]
pub async fn create_blog(core: State<'_, Core>, input: NewBlog) -> Answer<Blog> {
    Ok(core.0.create_blog(input)?)
}

#[tauri::command]
pub async fn end_blog(core: State<'_, Core>, slug: String) -> Answer<Blog> {
    Ok(core.0.end_blog(&slug)?)
}

#[tauri::command]
pub async fn create_demo_blog(core: State<'_, Core>) -> Answer<Blog> {
    let app = core.0.clone();
    off_thread(move || app.create_demo_blog()).await
}

#[tauri::command]
pub async fn timeline(
    core: State<'_, Core>,
    slug: String,
    query: TimelineQuery,
) -> Answer<Vec<TimelineRow>> {
    Ok(core.0.timeline(&slug, &query)?)
}

#[tauri::command]
pub async fn timeline_row(core: State<'_, Core>, id: String) -> Answer<TimelineRow> {
    Ok(core.0.timeline_row(entry_id(&id)?)?)
}

#[tauri::command]
pub async fn get_entry(core: State<'_, Core>, id: String) -> Answer<Entry> {
    Ok(core.0.entry(entry_id(&id)?)?)
}

#[tauri::command]
pub async fn add_entry(core: State<'_, Core>, slug: String, input: NewEntry) -> Answer<Entry> {
    Ok(core.0.add_entry(&slug, input)?)
}

#[tauri::command]
pub async fn edit_entry(core: State<'_, Core>, id: String, edit: EntryEdit) -> Answer<Entry> {
    Ok(core.0.edit_entry(entry_id(&id)?, edit)?)
}

#[tauri::command]
pub async fn autosave_entry(core: State<'_, Core>, id: String, edit: EntryEdit) -> Answer<Entry> {
    Ok(core.0.autosave_entry(entry_id(&id)?, edit)?)
}

#[tauri::command]
pub async fn entry_history(core: State<'_, Core>, id: String) -> Answer<Vec<Revision>> {
    Ok(core.0.history(entry_id(&id)?)?)
}

#[tauri::command]
pub async fn restore_revision(core: State<'_, Core>, id: String, revision: u32) -> Answer<Entry> {
    Ok(core.0.restore(entry_id(&id)?, revision)?)
}

#[tauri::command]
pub async fn submit_entry(core: State<'_, Core>, id: String) -> Answer<Entry> {
    Ok(core.0.submit(entry_id(&id)?)?)
}

#[tauri::command]
pub async fn publish_entry(core: State<'_, Core>, id: String) -> Answer<Entry> {
    Ok(core.0.publish_entry(entry_id(&id)?)?)
}

#[tauri::command]
pub async fn retract_entry(core: State<'_, Core>, id: String) -> Answer<Entry> {
    Ok(core.0.retract(entry_id(&id)?)?)
}

#[tauri::command]
pub async fn return_entry(core: State<'_, Core>, id: String, note: String) -> Answer<Entry> {
    Ok(core.0.return_to_draft(entry_id(&id)?, &note)?)
}

#[tauri::command]
pub async fn delete_entry(core: State<'_, Core>, id: String) -> Answer<Entry> {
    Ok(core.0.delete(entry_id(&id)?)?)
}

#[tauri::command]
pub async fn set_pinned(core: State<'_, Core>, id: String, value: bool) -> Answer<Entry> {
    Ok(core.0.set_pinned(entry_id(&id)?, value)?)
}

#[tauri::command]
pub async fn set_key_event(core: State<'_, Core>, id: String, value: bool) -> Answer<Entry> {
    Ok(core.0.set_key_event(entry_id(&id)?, value)?)
}

#[tauri::command]
pub async fn move_entry(core: State<'_, Core>, id: String, placement: Placement) -> Answer<Entry> {
    Ok(core.0.move_entry(entry_id(&id)?, placement)?)
}

/// Reports an import's stages to the window as `import-progress` events.
fn import_progress(window: &AppHandle, entry: Uuid) -> impl Fn(ImportProgress) + Sync + '_ {
    move |p| {
        let _ = window.emit("import-progress", json!({ "entry": entry, "progress": p }));
    }
}

#[tauri::command]
pub async fn import_photo(
    core: State<'_, Core>,
    window: AppHandle,
    entry_id: String,
    path: String,
    text: PhotoText,
) -> Answer<Photo> {
    let (app, entry) = (core.0.clone(), parse_entry_id(&entry_id)?);
    off_thread(move || {
        let progress = import_progress(&window, entry);
        app.import_photo(entry, &PathBuf::from(path), text, &progress)
    })
    .await
}

#[tauri::command]
pub async fn import_photo_data(
    core: State<'_, Core>,
    window: AppHandle,
    entry_id: String,
    name: String,
    base64: String,
    text: PhotoText,
) -> Answer<Photo> {
    let (app, entry) = (core.0.clone(), parse_entry_id(&entry_id)?);
    off_thread(move || {
        let progress = import_progress(&window, entry);
        app.import_photo_data(entry, &name, &base64, text, &progress)
    })
    .await
}

#[tauri::command]
pub async fn edit_photo(core: State<'_, Core>, id: String, edit: PhotoEdit) -> Answer<Photo> {
    Ok(core.0.edit_photo(parse_photo_id(&id)?, edit)?)
}

#[tauri::command]
pub async fn photo_preview(core: State<'_, Core>, id: String, width: u32) -> Answer<String> {
    Ok(core.0.photo_preview(parse_photo_id(&id)?, width)?)
}

#[tauri::command]
pub async fn publish_settings(
    core: State<'_, Core>,
    slug: String,
) -> Answer<Option<PublishSettings>> {
    Ok(core.0.publish_settings(&slug)?)
}

/// Open the blog's published reader page in the system's browser. The path
/// comes from the core (the saved output folder), not from the UI, so the
/// window needs no permission to open arbitrary files.
#[tauri::command]
pub async fn open_reader(core: State<'_, Core>, window: AppHandle, slug: String) -> Answer<()> {
    let page = core.0.reader_page(&slug)?;
    window
        .opener()
        .open_path(page.display().to_string(), None::<&str>)
        .map_err(|e| AppError {
            code: "io".into(),
            message: format!("cannot open {}: {e}", page.display()),
        })
}

#[tauri::command]
pub async fn publish_blog(
    core: State<'_, Core>,
    window: AppHandle,
    slug: String,
    options: PublishOptions,
) -> Answer<PublishReport> {
    let app = core.0.clone();
    off_thread(move || {
        let progress = |p| {
            let _ = window.emit("publish-progress", json!({ "blog": slug, "progress": p }));
        };
        app.publish_blog(&slug, options, &progress)
    })
    .await
}
