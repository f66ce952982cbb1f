//! The media folder beside a database: originals and renditions, each named
//! by the SHA-256 of its own bytes, written once and never modified. A
//! database and its photos move and back up together.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct MediaDir {
    root: PathBuf,
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
}
