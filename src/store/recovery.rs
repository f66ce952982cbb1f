//! Damage and the way out: `check` finds a damaged database (SQLite's full
//! integrity check, dangling references, missing media files), `restore`
//! puts a copy made by `Store::backup` in its place. Restoring never
//! destroys: the file it replaces is renamed beside it, not deleted.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::{migrations, Store};
use crate::error::{Error, Result};
use crate::photos::media::{read_verified, sync_dir, MediaDir};

/// What `check` found. `ok` is false when anything is listed.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub path: String,
    pub ok: bool,
    pub schema_version: i64,
    /// SQLite's integrity check and foreign key check, one line each.
    pub problems: Vec<String>,
    pub media_files: u64,
    /// Files the database names that are not in its media folder.
    pub missing_media: Vec<String>,
    /// Files whose bytes do not match the SHA-256 their name carries
    /// (truncated, zeroed, replaced).
    pub damaged_media: Vec<String>,
}

/// What `restore` did.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    pub path: String,
    pub from: String,
    /// Where the database that was replaced now is (none if there was none).
    pub replaced: Option<String>,
    pub media_files: u64,
}

impl Store {
    /// Read every page (SQLite's `integrity_check`), every reference, and
    /// look for every media file the database names. Reads only.
    pub fn check(&self) -> Result<CheckReport> {
        self.check_with_progress(&|_, _| {})
    }

    /// [`Store::check`], calling `progress(done, total)` as media files are
    /// verified (each is read whole and hashed: seconds for a large folder).
    pub fn check_with_progress(&self, progress: &dyn Fn(u64, u64)) -> Result<CheckReport> {
        // Damage bad enough to stop a check is itself the finding.
        let as_finding = |result: Result<Vec<String>>| match result {
            Err(e) if e.code() == "damaged_database" => Ok(vec![e.to_string()]),
            other => other,
        };
        let mut problems = as_finding(problems_found(&self.conn, "integrity_check"))?;
        problems.extend(as_finding(self.dangling_references())?);
        // With damage found, the media list would come from damaged tables.
        let (mut missing_media, mut damaged_media) = (Vec::new(), Vec::new());
        let mut media_files = 0;
        if let Some(media) = self.media.as_ref().filter(|_| problems.is_empty()) {
            let names = self.media_file_names()?;
            media_files = names.len() as u64;
            for (done, name) in names.iter().enumerate() {
                let path = media.path(name);
                if !path.is_file() {
                    missing_media.push(name.clone());
                } else if read_verified(&path).is_err() {
                    damaged_media.push(name.clone());
                }
                progress(done as u64 + 1, media_files);
            }
            missing_media.sort();
            damaged_media.sort();
        }
        Ok(CheckReport {
            path: self.path.clone(),
            ok: problems.is_empty() && missing_media.is_empty() && damaged_media.is_empty(),
            schema_version: migrations::user_version(&self.conn)?,
            problems,
            media_files,
            missing_media,
            damaged_media,
        })
    }

    /// SQLite's quick check (every page read, indexes not cross-checked):
    /// tens of milliseconds for 10,000 entries, so the desktop app runs it
    /// once at start. An error names the damage and the way out.
    pub fn quick_check(&self) -> Result<()> {
        match problems_found(&self.conn, "quick_check")?
            .into_iter()
            .next()
        {
            None => Ok(()),
            Some(first) => Err(Error::Damaged {
                path: self.path.clone(),
                detail: first,
            }),
        }
    }

    fn dangling_references(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")?;
        let lines = stmt.query_map([], |r| {
            Ok(format!(
                "a row of {} (rowid {}) refers to a missing row of {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                r.get::<_, String>(2)?
            ))
        })?;
        Ok(lines.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// What SQLite's `integrity_check` or `quick_check` reports: empty when
/// the file is sound.
fn problems_found(conn: &Connection, check: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {check}"))?;
    let lines = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let lines = lines.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

/// Put the backup `from` in the place of the database `db`, and its media
/// beside it. The backup is checked first and never modified; a database
/// already at `db` (damaged or not) is renamed to
/// `<name>.replaced-<UTC time>.db` with its write-ahead log, not deleted.
/// Quit the desktop app first: it would go on writing to the renamed file.
pub fn restore(db: &Path, from: &Path) -> Result<RestoreReport> {
    let shown = from.display().to_string();
    if !from.is_file() {
        return Err(Error::invalid(format!("{shown} is not a file")));
    }
    if db.exists() && fs::canonicalize(db).ok() == fs::canonicalize(from).ok() {
        return Err(Error::invalid(format!(
            "{shown} is the database itself; name a copy made by `liveline backup`"
        )));
    }
    check_backup(from)?;

    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create folder {}", dir.display()), e))?;
    // The copy is complete and synced before anything is moved.
    let tmp = tempfile::Builder::new()
        .prefix(".liveline-restore-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(format!("cannot write in {}", dir.display()), e))?;
    let copy = |e| Error::io(format!("cannot copy {shown}"), e);
    fs::copy(from, tmp.path()).map_err(copy)?;
    tmp.as_file().sync_all().map_err(copy)?;

    let replaced = if db.exists() {
        Some(move_aside(db)?)
    } else {
        None
    };
    if let Err(e) = tmp.persist_noclobber(db) {
        // Put the replaced file back rather than leave no database at all.
        if let Some(aside) = &replaced {
            let _ = fs::rename(aside, db);
        }
        return Err(Error::io(
            format!("cannot create {}", db.display()),
            e.error,
        ));
    }
    sync_dir(dir)?;
    let (media_files, _) = MediaDir::for_database(from).copy_into(&MediaDir::for_database(db))?;
    // Opening brings an older backup's schema up to date.
    let store = Store::open(db)?;
    Ok(RestoreReport {
        path: store.path().to_string(),
        from: shown,
        replaced: replaced.map(|p| p.display().to_string()),
        media_files,
    })
}

/// A backup worth restoring: ours, not from a newer Liveline, undamaged.
/// Opened read-only, so it is left exactly as it is.
fn check_backup(from: &Path) -> Result<()> {
    let shown = from.display().to_string();
    let damaged = |detail: String| Error::Damaged {
        path: shown.clone(),
        detail,
    };
    let conn = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| damaged(e.to_string()))?;
    let version = migrations::check_not_newer(&conn, &shown).map_err(|e| match e {
        Error::Database(err) => damaged(err.to_string()),
        other => other,
    })?;
    if version == 0 {
        return Err(Error::invalid(format!(
            "{shown} is an empty database, not a Liveline backup"
        )));
    }
    let problems = problems_found(&conn, "integrity_check").map_err(|e| damaged(e.to_string()))?;
    if let Some(first) = problems.first() {
        return Err(damaged(first.clone()));
    }
    Ok(())
}

/// Rename `db` (and its write-ahead log, which may hold its last commits)
/// to `<stem>.replaced-<time>.<ext>` beside it. Its shared-memory index is
/// only a cache of the log, rebuilt from it, so it goes.
fn move_aside(db: &Path) -> Result<PathBuf> {
    let stem = db
        .file_stem()
        .map_or("liveline".into(), |s| s.to_string_lossy());
    let ext = db.extension().map_or("db".into(), |e| e.to_string_lossy());
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let aside = db.with_file_name(format!("{stem}.replaced-{stamp}.{ext}"));
    if aside.exists() {
        return Err(Error::Conflict(format!(
            "{} already exists; try again in a second",
            aside.display()
        )));
    }
    let rename = |from: &Path, to: &Path| {
        fs::rename(from, to).map_err(|e| {
            Error::io(
                format!("cannot move {} to {}", from.display(), to.display()),
                e,
            )
        })
    };
    let sidecar = |p: &Path, suffix: &str| {
        let mut name = p.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    rename(db, &aside)?;
    if sidecar(db, "-wal").exists() {
        rename(&sidecar(db, "-wal"), &sidecar(&aside, "-wal"))?;
    }
    let _ = fs::remove_file(sidecar(db, "-shm"));
    Ok(aside)
}
