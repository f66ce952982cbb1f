//! The SQLite store: the only place that knows SQL or the database file.
//!
//! Durability: WAL with `synchronous=FULL`, so a write this store reported as
//! done has been fsynced and survives `kill -9` and power loss. Concurrency:
//! every write runs in a `BEGIN IMMEDIATE` transaction under a generous busy
//! timeout, so the desktop app and CLI processes queue for the write lock
//! instead of failing with "database is locked" (a deferred transaction that
//! upgrades from read to write gets SQLITE_BUSY without waiting).

mod blogs;
mod entries;
mod migrations;
mod photos;
mod publish;
mod recovery;
mod rows;
mod timeline;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crate::photos::media::{sync_dir, MediaDir};

pub use entries::{parse_entry_id, DemoReport, EntryCounts, AUTOSAVE_WINDOW_MS};
pub use migrations::LATEST as SCHEMA_VERSION;
pub use photos::parse_photo_id;
pub use publish::{IndexRow, PageState, PublishRun};
pub use recovery::{restore, CheckReport, RestoreReport};
pub use timeline::{TimelinePhoto, TimelineQuery, TimelineRow};

/// How long a write waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Store {
    conn: Connection,
    path: String,
    /// Who is saving: recorded with every revision.
    user: String,
    /// The media folder beside the database file (none in memory).
    media: Option<MediaDir>,
}

impl Store {
    /// Open (creating if needed) the database at `path` and bring its schema
    /// up to date. A database from a newer Liveline is refused untouched.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("cannot create folder {}", dir.display()), e))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(path, e))?;
        let mut store = Self::setup(conn, path.display().to_string())?;
        let media = MediaDir::for_database(path);
        // Files of an import killed before its row was committed. Best
        // effort: leftovers are harmless and a later open tries again, but
        // a database that will not open stops the reporter's work.
        let _ = media.sweep_after_crash(|| store.media_file_names());
        store.media = Some(media);
        Ok(store)
    }

    /// A private in-memory database, for tests and previews.
    pub fn open_in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?, ":memory:".into())
    }

    fn setup(mut conn: Connection, path: String) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Before anything that writes (journal mode included).
        migrations::check_not_newer(&conn, &path).map_err(|e| match e {
            Error::Database(err) => not_a_database(&path, err),
            other => other,
        })?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrate(&mut conn, &path)?;
        Ok(Store {
            conn,
            path,
            user: default_user(),
            media: None,
        })
    }

    /// Record `user` as the author of the revisions this store saves.
    pub fn set_user(&mut self, user: impl Into<String>) {
        let user = user.into();
        if !user.trim().is_empty() {
            self.user = user.trim().to_string();
        }
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// A number that changes whenever another connection commits to this
    /// database (SQLite's `data_version`): how the app notices the CLI.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Run `f` in a write transaction that takes the write lock up front.
    fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Copy a consistent snapshot to `out` with SQLite's online backup. The
    /// copy is written beside `out` and renamed into place, so `out` is
    /// either absent or complete. An existing file is never overwritten.
    pub fn backup(&self, out: impl AsRef<Path>) -> Result<BackupReport> {
        let out = out.as_ref();
        if out.exists() {
            return Err(Error::Conflict(format!(
                "{} already exists; choose a new file name for the backup",
                out.display()
            )));
        }
        let dir = out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".liveline-backup-")
            .suffix(".partial")
            .tempfile_in(dir)
            .map_err(|e| Error::io(format!("cannot write in {}", dir.display()), e))?;
        {
            // One step copies every page under a single read transaction: a
            // consistent snapshot even while the app or another CLI writes.
            let mut dst = Connection::open(tmp.path())?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut dst)?;
            if backup.step(-1)? != rusqlite::backup::StepResult::Done {
                return Err(Error::Conflict(
                    "the database was busy during the backup; try again".into(),
                ));
            }
            drop(backup);
            // One self-contained file (no write-ahead log beside it), ready
            // to be copied anywhere and read without writing next to it.
            dst.pragma_update(None, "journal_mode", "DELETE")?;
        }
        let file = tmp.as_file();
        file.sync_all()
            .map_err(|e| Error::io(format!("cannot sync {}", tmp.path().display()), e))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        tmp.persist_noclobber(out)
            .map_err(|e| Error::io(format!("cannot create {}", out.display()), e.error))?;
        sync_dir(dir)?;
        // The media folder goes beside the copy. Its files never change once
        // written, so copying after the snapshot gives every file it names.
        let (media_files, media_bytes) = match &self.media {
            Some(media) => media.copy_into(&MediaDir::for_database(out))?,
            None => (0, 0),
        };
        Ok(BackupReport {
            path: out.display().to_string(),
            bytes: size,
            media_path: MediaDir::for_database(out).root().display().to_string(),
            media_files,
            media_bytes,
        })
    }
}

/// What `backup` wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BackupReport {
    pub path: String,
    pub bytes: u64,
    pub media_path: String,
    pub media_files: u64,
    pub media_bytes: u64,
}

/// The database the CLI and the desktop app share unless told otherwise.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("org", "Liveline", "Liveline")
        .map(|d| d.data_dir().join("liveline.db"))
        .unwrap_or_else(|| PathBuf::from("liveline.db"))
}

fn default_user() -> String {
    ["LIVELINE_USER", "USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "unknown".into())
}

fn open_error(path: &Path, err: rusqlite::Error) -> Error {
    Error::Io {
        context: format!("cannot open database {}", path.display()),
        source: std::io::Error::other(err),
    }
}

fn not_a_database(path: &str, err: rusqlite::Error) -> Error {
    match err.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            Error::Damaged {
                path: path.to_string(),
                detail: err.to_string(),
            }
        }
        _ => Error::Database(err),
    }
}
