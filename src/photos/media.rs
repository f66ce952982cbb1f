//! The media folder beside a database: originals and renditions, each named
//! by the SHA-256 of its own bytes, written once and never modified. A
//! database and its photos move and back up together.
//!
//! Crash leftovers: an import writes its files before the database row that
//! names them, so a process killed in between leaves files nothing names.
//! Each import therefore leaves a mark in `.imports/` while it runs and holds
//! a shared lock on `.imports/lock`; when a database is opened and finds a
//! mark, and can take that lock exclusively (no import is running in any
//! process), the import that left it died, and [`MediaDir::sweep_after_crash`]
//! removes every media file the database does not name.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct MediaDir {
    root: PathBuf,
}

/// Where imports mark themselves, and the lock they share.
const IMPORTS: &str = ".imports";
const IMPORTS_LOCK: &str = "lock";

/// An import in progress: its mark goes, and its lock is released, on drop
/// (after the database row is committed, or on failure).
pub struct ImportMark {
    _lock: fs::File,
    mark: PathBuf,
}

impl Drop for ImportMark {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.mark);
    }
}

/// A file this import put in the folder (so a failed import can take it back).
#[derive(Debug, Clone)]
pub struct Written {
    pub file: String,
    pub created: bool,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl MediaDir {
    /// `coverage.db` keeps its media in `coverage.media/` beside it.
    pub fn for_database(db: &Path) -> MediaDir {
        let stem = db
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "liveline".into());
        let dir = db
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        MediaDir {
            root: dir.join(format!("{stem}.media")),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Absolute path of a file in the folder.
    pub fn path(&self, file: &str) -> PathBuf {
        self.root.join(file)
    }

    /// Store `bytes` as `<sha256>.<ext>`, atomically (temporary file, fsync,
    /// rename). Content already present is not written again.
    pub fn put(&self, bytes: &[u8], ext: &str) -> Result<Written> {
        let file = format!("{}.{ext}", sha256_hex(bytes));
        let target = self.path(&file);
        if target.exists() {
            return Ok(Written {
                file,
                created: false,
            });
        }
        fs::create_dir_all(&self.root).map_err(|e| {
            Error::io(
                format!("cannot create media folder {}", self.root.display()),
                e,
            )
        })?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".incoming-")
            .tempfile_in(&self.root)
            .map_err(|e| Error::io(format!("cannot write in {}", self.root.display()), e))?;
        tmp.write_all(bytes)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| Error::io(format!("cannot write {}", target.display()), e))?;
        tmp.persist(&target)
            .map_err(|e| Error::io(format!("cannot create {}", target.display()), e.error))?;
        Ok(Written {
            file,
            created: true,
        })
    }

    /// Mark an import as running until the returned value is dropped.
    pub fn begin_import(&self) -> Result<ImportMark> {
        let imports = self.root.join(IMPORTS);
        let io = |e| Error::io(format!("cannot write in {}", imports.display()), e);
        fs::create_dir_all(&imports).map_err(io)?;
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(imports.join(IMPORTS_LOCK))
            .map_err(io)?;
        // Waits only while a sweep runs (a directory listing and one query).
        lock.lock_shared().map_err(io)?;
        let mark = imports.join(uuid::Uuid::now_v7().to_string());
        fs::File::create(&mark).map_err(io)?;
        Ok(ImportMark { _lock: lock, mark })
    }

    /// After an import died mid-way: when a mark is left and no import runs
    /// anywhere, remove the media files `named` (the database's list) does
    /// not hold, and unfinished temporary files. Returns how many files went.
    /// Cheap when nothing crashed: one look for the `.imports` folder.
    pub fn sweep_after_crash(
        &self,
        named: impl FnOnce() -> Result<HashSet<String>>,
    ) -> Result<usize> {
        let imports = self.root.join(IMPORTS);
        let marks: Vec<PathBuf> = match fs::read_dir(&imports) {
            Ok(entries) => entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name() != IMPORTS_LOCK)
                .map(|e| e.path())
                .collect(),
            Err(_) => return Ok(0), // never imported, or unreadable: nothing to judge
        };
        if marks.is_empty() {
            return Ok(0);
        }
        let io = |e| Error::io(format!("cannot clean up {}", self.root.display()), e);
        let lock = fs::File::options()
            .write(true)
            .open(imports.join(IMPORTS_LOCK))
            .map_err(io)?;
        if lock.try_lock().is_err() {
            return Ok(0); // an import is running; a later open sweeps
        }
        let named = named()?;
        let mut removed = 0;
        for entry in fs::read_dir(&self.root).map_err(io)?.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let leftover =
                name.starts_with(".incoming-") || (is_media_name(&name) && !named.contains(&name));
            if leftover && entry.file_type().is_ok_and(|t| t.is_file()) {
                fs::remove_file(entry.path()).map_err(io)?;
                removed += 1;
            }
        }
        self.sync()?;
        for mark in marks {
            fs::remove_file(mark).map_err(io)?;
        }
        Ok(removed)
    }

    /// Copy every stored file into `other` (files it already has are kept:
    /// same name, same content). Returns the files and bytes copied.
    pub fn copy_into(&self, other: &MediaDir) -> Result<(u64, u64)> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
            Err(e) => return Err(Error::io(format!("cannot read {}", self.root.display()), e)),
        };
        let (mut files, mut bytes) = (0, 0);
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::io(format!("cannot read {}", self.root.display()), e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue; // an import in progress, or not ours
            }
            let data = fs::read(entry.path())
                .map_err(|e| Error::io(format!("cannot read {}", entry.path().display()), e))?;
            let ext = name.rsplit_once('.').map_or("bin", |(_, ext)| ext);
            if other.put(&data, ext)?.created {
                files += 1;
                bytes += data.len() as u64;
            }
        }
        other.sync()?;
        Ok((files, bytes))
    }

    /// Make renames in the folder durable.
    pub fn sync(&self) -> Result<()> {
        sync_dir(&self.root)
    }

    /// Take back files an import created before it failed.
    pub fn remove_created(&self, written: &[Written]) {
        for w in written.iter().filter(|w| w.created) {
            let _ = fs::remove_file(self.path(&w.file));
        }
    }
}

/// The bytes of the media file at `path`, checked against the SHA-256 its
/// name carries: a truncated, zeroed or swapped file is refused, never
/// published.
pub fn read_verified(path: &Path) -> Result<Vec<u8>> {
    let bytes =
        fs::read(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if !name_matches(&name, &bytes) {
        return Err(Error::io(
            format!("media file {} is damaged", path.display()),
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "its bytes do not match the SHA-256 in its name; \
                 restore the media folder from a backup or import the photo again",
            ),
        ));
    }
    Ok(bytes)
}

/// Whether `bytes` are what a file named `<sha-256>.<ext>` must hold.
pub fn name_matches(file: &str, bytes: &[u8]) -> bool {
    file.split('.').next() == Some(sha256_hex(bytes).as_str())
}

/// `<sha-256 in hex>.<extension>`: the only names this folder's own files have.
fn is_media_name(name: &str) -> bool {
    name.split_once('.').is_some_and(|(hash, ext)| {
        hash.len() == 64
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
            && !ext.is_empty()
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(format!("cannot sync folder {}", dir.display()), e))
}

/// Windows has no directory handles to sync; NTFS journals renames.
#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_stored_once_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaDir::for_database(&dir.path().join("cov.db"));
        let a = media.put(b"pixels", "jpg").unwrap();
        let b = media.put(b"pixels", "jpg").unwrap();
        assert_eq!(a.file, b.file);
        assert!(a.created && !b.created);
        assert_eq!(a.file, format!("{}.jpg", sha256_hex(b"pixels")));
        assert_eq!(fs::read(media.path(&a.file)).unwrap(), b"pixels");
        assert!(media.root().ends_with("cov.media"));
        media.remove_created(&[a, b]);
        assert_eq!(fs::read_dir(media.root()).unwrap().count(), 0);
    }

    fn names_in(media: &MediaDir) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(media.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The mark a killed import leaves: its file, without its lock.
    fn leave_dead_mark(media: &MediaDir) {
        drop(media.begin_import().unwrap());
        fs::write(media.root().join(IMPORTS).join("killed-import"), b"").unwrap();
    }

    #[test]
    fn nothing_is_swept_while_an_import_runs() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaDir::for_database(&dir.path().join("cov.db"));
        leave_dead_mark(&media);
        let running = media.begin_import().unwrap();
        let its_file = media
            .put(b"written, not yet committed", "webp")
            .unwrap()
            .file;
        let removed = media.sweep_after_crash(|| Ok(HashSet::new())).unwrap();
        assert_eq!(removed, 0);
        assert!(media.path(&its_file).exists());
        drop(running);
    }

    #[test]
    fn a_finished_import_leaves_no_mark_and_the_sweep_leaves_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaDir::for_database(&dir.path().join("cov.db"));
        let mark = media.begin_import().unwrap();
        let file = media.put(b"pixels", "jpg").unwrap().file;
        drop(mark);
        let removed = media.sweep_after_crash(|| Ok(HashSet::new())).unwrap();
        assert_eq!(removed, 0, "no mark: no sweep, even of a file no row names");
        assert!(media.path(&file).exists());
    }

    #[test]
    fn a_killed_imports_leftovers_go_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaDir::for_database(&dir.path().join("cov.db"));
        let kept = media.put(b"named by a row", "jpg").unwrap().file;
        leave_dead_mark(&media);
        let orphan = media.put(b"written, never committed", "webp").unwrap().file;
        fs::write(media.path(".incoming-x1"), b"half a file").unwrap();
        fs::write(media.path("notes.txt"), b"not ours to judge").unwrap();
        let removed = media
            .sweep_after_crash(|| Ok(HashSet::from([kept.clone()])))
            .unwrap();
        assert_eq!(removed, 2, "the orphan and the temporary file");
        assert!(!media.path(&orphan).exists());
        let names = names_in(&media);
        assert_eq!(
            names,
            vec![".imports".to_string(), kept, "notes.txt".into()]
        );
        let marks = fs::read_dir(media.root().join(IMPORTS)).unwrap().count();
        assert_eq!(marks, 1, "only the shared lock file is left");
    }
}
