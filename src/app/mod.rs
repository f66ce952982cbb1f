//! The desktop app's API: one method per command the UI can call
//! (docs/app-api.md). The Tauri shell (`src-tauri/`) only forwards to these
//! methods and turns [`Changed`] notices into events, so everything the app
//! does is tested here, headless, without a window.
//!
//! Quick commands share one connection behind a mutex. Long work (photo
//! import, publish) opens a connection of its own, so the timeline stays
//! responsive while it runs; SQLite's write lock orders the writes.

mod types;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use base64::Engine;
use uuid::Uuid;

pub use types::{AppError, AppInfo, BlogSummary, Changed, PublishOptions};
pub use watch::ExternalChanges;

use crate::error::{Error, Result};
use crate::model::{Blog, Entry, EntryEdit, NewBlog, NewEntry, Placement, Revision};
use crate::photos::{ImportProgress, Photo, PhotoEdit, PhotoText};
use crate::publish::{self, PublishProgress, PublishReport, PublishRequest, PublishSettings};
use crate::store::{TimelineQuery, TimelineRow};
use crate::Store;

/// Entries in the demo blog the first-run screen offers.
pub const DEMO_ENTRIES: u64 = 60;
/// Largest pasted image accepted (the same bound as a file import).
const MAX_PASTE_BYTES: usize = 100 * 1024 * 1024;

type Notify = Box<dyn Fn(Changed) + Send + Sync>;

pub struct App {
    db_path: PathBuf,
    user: Option<String>,
    store: Mutex<Store>,
    notify: Notify,
}

impl App {
    /// Open the database at `db_path` (created and migrated if needed).
    /// `notify` hears of every write the app makes.
    pub fn open(
        db_path: impl AsRef<Path>,
        notify: impl Fn(Changed) + Send + Sync + 'static,
    ) -> Result<App> {
        let db_path = db_path.as_ref().to_path_buf();
        let store = Store::open(&db_path)?;
        // Damage found now, with the way out, rather than mid-session.
        store.quick_check()?;
        Ok(App {
            db_path,
            user: None,
            store: Mutex::new(store),
            notify: Box::new(notify),
        })
    }

    /// Record `user` as who saves, instead of the login name.
    pub fn set_user(&mut self, user: &str) {
        self.user = Some(user.to_string());
        self.store().set_user(user);
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave a half-written row
        // (every write is one transaction), so the store is still good.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A connection of its own for long work.
    fn own_store(&self) -> Result<Store> {
        let mut store = Store::open(&self.db_path)?;
        if let Some(user) = &self.user {
            store.set_user(user.as_str());
        }
        Ok(store)
    }

    fn changed(&self, blog: Option<&str>, entry: Option<Uuid>) {
        (self.notify)(Changed {
            blog: blog.map(str::to_string),
            entry,
        });
    }

    fn entry_changed(&self, entry: &Entry) {
        self.changed(Some(&entry.blog), Some(entry.id));
    }

    /// Watches for writes by other processes (the CLI) to this database.
    pub fn watch_external(&self) -> Result<ExternalChanges> {
        ExternalChanges::open(&self.db_path)
    }

    pub fn info(&self) -> AppInfo {
        let store = self.store();
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            db_path: self.db_path.display().to_string(),
            user: store.user().to_string(),
        }
    }

    /// Every blog, newest first, with its counts.
    pub fn list_blogs(&self) -> Result<Vec<BlogSummary>> {
        let store = self.store();
        let mut blogs = store.blogs()?;
        blogs.sort_by_key(|b| std::cmp::Reverse(b.created_at));
        blogs
            .into_iter()
            .map(|blog| {
                let counts = store.entry_counts(&blog.slug)?;
                Ok(BlogSummary { blog, counts })
            })
            .collect()
    }

    pub fn create_blog(&self, input: NewBlog) -> Result<Blog> {
        let blog = self.store().create_blog(input)?;
        self.changed(Some(&blog.slug), None);
        Ok(blog)
    }

    pub fn end_blog(&self, slug: &str) -> Result<Blog> {
        let blog = self.store().end_blog(slug)?;
        self.changed(Some(&blog.slug), None);
        Ok(blog)
    }

    /// A fictional coverage to look around in, under a slug not yet taken.
    pub fn create_demo_blog(&self) -> Result<Blog> {
        let mut store = self.store();
        let taken: Vec<String> = store.blogs()?.into_iter().map(|b| b.slug).collect();
        let slug = (1..)
            .map(|n| match n {
                1 => "demo".to_string(),
                n => format!("demo-{n}"),
            })
            .find(|s| !taken.contains(s))
            .unwrap_or_else(|| "demo".to_string());
        let report = store.demo(&slug, DEMO_ENTRIES)?;
        drop(store);
        self.changed(Some(&report.blog.slug), None);
        Ok(report.blog)
    }

    pub fn timeline(&self, slug: &str, query: &TimelineQuery) -> Result<Vec<TimelineRow>> {
        self.store().timeline(slug, query)
    }

    /// One entry's timeline row, to refresh a single line after an edit.
    pub fn timeline_row(&self, id: Uuid) -> Result<TimelineRow> {
        self.store().timeline_row(id)
    }

    pub fn entry(&self, id: Uuid) -> Result<Entry> {
        self.store().entry(id)
    }

    pub fn add_entry(&self, slug: &str, input: NewEntry) -> Result<Entry> {
        let entry = self.store().add_entry(slug, input)?;
        self.entry_changed(&entry);
        Ok(entry)
    }

    pub fn edit_entry(&self, id: Uuid, edit: EntryEdit) -> Result<Entry> {
        let entry = self.store().edit_entry(id, edit)?;
        self.entry_changed(&entry);
        Ok(entry)
    }

    /// The editor's save while someone types (see `Store::autosave_entry`).
    pub fn autosave_entry(&self, id: Uuid, edit: EntryEdit) -> Result<Entry> {
        let entry = self.store().autosave_entry(id, edit)?;
        self.entry_changed(&entry);
        Ok(entry)
    }

    pub fn history(&self, id: Uuid) -> Result<Vec<Revision>> {
        self.store().history(id)
    }

    pub fn restore(&self, id: Uuid, revision: u32) -> Result<Entry> {
        let entry = self.store().restore(id, revision)?;
        self.entry_changed(&entry);
        Ok(entry)
    }

    /// Run one write on an entry and announce it.
    fn entry_write(&self, write: impl FnOnce(&mut Store) -> Result<Entry>) -> Result<Entry> {
        let entry = write(&mut self.store())?;
        self.entry_changed(&entry);
        Ok(entry)
    }

    pub fn submit(&self, id: Uuid) -> Result<Entry> {
        self.entry_write(|s| s.submit(id))
    }

    pub fn publish_entry(&self, id: Uuid) -> Result<Entry> {
        self.entry_write(|s| s.publish(id))
    }

    pub fn retract(&self, id: Uuid) -> Result<Entry> {
        self.entry_write(|s| s.retract(id))
    }

    pub fn return_to_draft(&self, id: Uuid, note: &str) -> Result<Entry> {
        self.entry_write(|s| s.return_to_draft(id, note))
    }

    pub fn delete(&self, id: Uuid) -> Result<Entry> {
        self.entry_write(|s| s.delete_entry(id))
    }

    pub fn set_pinned(&self, id: Uuid, value: bool) -> Result<Entry> {
        self.entry_write(|s| s.set_pinned(id, value))
    }

    pub fn set_key_event(&self, id: Uuid, value: bool) -> Result<Entry> {
        self.entry_write(|s| s.set_key_event(id, value))
    }

    pub fn move_entry(&self, id: Uuid, placement: Placement) -> Result<Entry> {
        self.entry_write(|s| s.move_entry(id, placement))
    }

    /// Import a photo file for the entry. The editor owns the body: it
    /// inserts the photo block where the cursor is and saves it, so the
    /// import leaves the body alone (see `Store::add_photo_detached`).
    pub fn import_photo(
        &self,
        entry: Uuid,
        path: &Path,
        text: PhotoText,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> Result<Photo> {
        let photo = self
            .own_store()?
            .add_photo_detached(entry, path, text, progress)?;
        self.photo_changed(&photo)?;
        Ok(photo)
    }

    /// Import a pasted image (base64 bytes) under the name it came with.
    pub fn import_photo_data(
        &self,
        entry: Uuid,
        name: &str,
        base64: &str,
        text: PhotoText,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> Result<Photo> {
        if base64.len() / 4 * 3 > MAX_PASTE_BYTES {
            return Err(Error::invalid(format!(
                "the pasted image '{name}' is over 100 MB"
            )));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(base64.trim())
            .map_err(|e| {
                Error::invalid(format!("the pasted image '{name}' is not base64 ({e})"))
            })?;
        let photo = self
            .own_store()?
            .add_pasted_photo_detached(entry, name, bytes, text, progress)?;
        self.photo_changed(&photo)?;
        Ok(photo)
    }

    pub fn edit_photo(&self, id: Uuid, edit: PhotoEdit) -> Result<Photo> {
        let photo = self.store().edit_photo(id, edit)?;
        self.photo_changed(&photo)?;
        Ok(photo)
    }

    /// Announce a change to a photo as a change to its entry.
    fn photo_changed(&self, photo: &Photo) -> Result<()> {
        let blog = self.store().entry_blog(photo.entry)?;
        self.changed(Some(&blog), Some(photo.entry));
        Ok(())
    }

    /// The smallest rendition at least `width` wide (else the largest), as
    /// a `data:` URL: the UI shows photos without any file access of its own.
    pub fn photo_preview(&self, id: Uuid, width: u32) -> Result<String> {
        let (mime, bytes) = self.store().photo_preview(id, width)?;
        Ok(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }

    pub fn publish_settings(&self, slug: &str) -> Result<Option<PublishSettings>> {
        let store = self.store();
        store.blog(slug)?;
        store.publish_settings(slug)
    }

    /// The reader page of the blog's last publication, to open in a browser.
    pub fn reader_page(&self, slug: &str) -> Result<PathBuf> {
        publish::reader_page(&self.store(), slug)
    }

    /// Publish the blog's feed, reader page and media into its output folder.
    pub fn publish_blog(
        &self,
        slug: &str,
        options: PublishOptions,
        progress: &(dyn Fn(PublishProgress) + Sync),
    ) -> Result<PublishReport> {
        let request = PublishRequest {
            out_dir: options
                .out_dir
                .filter(|d| !d.trim().is_empty())
                .map(PathBuf::from),
            // `None` keeps the saved base URL; `Some("")` clears it.
            base_url: options.base_url,
            page_size: options.page_size,
        };
        let report = publish::publish(&mut self.own_store()?, slug, request, progress)?;
        self.changed(Some(slug), None);
        Ok(report)
    }
}
