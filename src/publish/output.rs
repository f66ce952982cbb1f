//! The output folder: staged, atomic, incremental writes.
//!
//! Every file is written to a temporary file in `.liveline-staging/` inside
//! the folder (the same file system), fsynced, and renamed over its name, so
//! a reader never sees a partial file. A
//! publish stages every changed file first; only then are they renamed, in
//! an order where each file exists before anything links to it (media, then
//! older pages, then `feed.json`, then the files made from it). Files no
//! longer used are removed last. Killed before the renames, a publish leaves
//! the previous publication untouched (its staging folder is emptied by the
//! next publish). Staging apart from the published files also keeps each
//! publish from listing a folder that grows with the blog.
//!
//! Renaming replaces a symlink rather than writing through it, and a `media`
//! that is not a real folder is refused, so nothing is written outside the
//! folder Liveline was given.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::photos::media::sync_dir;

const STAGING: &str = ".liveline-staging";
pub const MEDIA: &str = "media";

pub struct OutDir {
    root: PathBuf,
}

fn not_a_real_folder(path: &Path) -> Error {
    Error::invalid(format!(
        "{} is not a folder (a link or a file): Liveline writes only into a real folder",
        path.display()
    ))
}

/// Published files are for a web server to read: readable by everyone (as
/// the user's umask allows), not the private mode temporary files get.
fn published_file() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    builder
}

/// A file made ready to be renamed into place.
pub struct Staged {
    temp: tempfile::TempPath,
    target: PathBuf,
}

impl OutDir {
    /// Create (if needed) and check the folder before anything is written
    /// to it: a folder that cannot be written is refused here, untouched.
    pub fn open(root: &Path) -> Result<OutDir> {
        let io = |what: &str, e| Error::io(format!("{what} {}", root.display()), e);
        fs::create_dir_all(root).map_err(|e| io("cannot create output folder", e))?;
        let meta = fs::metadata(root).map_err(|e| io("cannot read output folder", e))?;
        if !meta.is_dir() {
            return Err(Error::invalid(format!(
                "{} is not a folder",
                root.display()
            )));
        }
        // Leftovers of a killed publish go; then probe that we can write.
        let staging = root.join(STAGING);
        match fs::symlink_metadata(&staging) {
            Ok(m) if m.is_dir() => {
                fs::remove_dir_all(&staging)
                    .map_err(|e| io("cannot clear staging folder in", e))?;
            }
            Ok(_) => return Err(not_a_real_folder(&staging)),
            Err(_) => {}
        }
        fs::create_dir(&staging)
            .and_then(|()| fs::remove_dir(&staging))
            .map_err(|e| io("cannot write in output folder", e))?;
        let media = root.join(MEDIA);
        match fs::symlink_metadata(&media) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(not_a_real_folder(&media)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                fs::create_dir(&media).map_err(|e| io("cannot create media folder in", e))?;
            }
            Err(e) => return Err(io("cannot read media folder in", e)),
        }
        Ok(OutDir {
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Size of a file we wrote before, if it is still there as a file.
    pub fn size_of(&self, name: &str) -> Option<u64> {
        fs::symlink_metadata(self.path(name))
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }

    /// True when `name` already holds exactly `bytes`.
    pub fn holds(&self, name: &str, bytes: &[u8]) -> bool {
        self.size_of(name) == Some(bytes.len() as u64)
            && fs::read(self.path(name)).is_ok_and(|old| old == bytes)
    }

    /// Write `bytes` to a fsynced temporary file in the staging folder.
    pub fn stage(&self, name: &str, bytes: &[u8]) -> Result<Staged> {
        let target = self.path(name);
        let staging = self.root.join(STAGING);
        fs::create_dir_all(&staging)
            .map_err(|e| Error::io(format!("cannot write in {}", self.root.display()), e))?;
        let mut temp = published_file()
            .tempfile_in(&staging)
            .map_err(|e| Error::io(format!("cannot write in {}", staging.display()), e))?;
        temp.write_all(bytes)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| Error::io(format!("cannot write {}", target.display()), e))?;
        Ok(Staged {
            temp: temp.into_temp_path(),
            target,
        })
    }

    /// Stage many files on every core (each fsync waits on the disk).
    pub fn stage_all(&self, files: Vec<(String, Vec<u8>)>) -> Result<Vec<Staged>> {
        files
            .into_par_iter()
            .map(|(name, bytes)| self.stage(&name, &bytes))
            .collect()
    }

    /// Rename staged files into place, in the order given, and make the
    /// renames durable.
    pub fn commit(&self, staged: Vec<Staged>) -> Result<()> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for file in staged {
            if let Some(dir) = file.target.parent() {
                if !dirs.iter().any(|d| d == dir) {
                    dirs.push(dir.to_path_buf());
                }
            }
            file.temp.persist(&file.target).map_err(|e| {
                Error::io(format!("cannot replace {}", file.target.display()), e.error)
            })?;
        }
        for dir in dirs {
            sync_dir(&dir)?;
        }
        // Empty now (the next stage makes it again); a folder that is not
        // there cannot confuse anyone browsing the publication.
        let _ = fs::remove_dir(self.root.join(STAGING));
        Ok(())
    }

    /// Remove files of ours that the new publication no longer uses:
    /// `feed-N.json` pages not in `pages`, and media files not in `media`.
    /// Returns how many were removed.
    pub fn remove_unused(&self, pages: &[String], media: &[String]) -> Result<u64> {
        let mut removed = 0;
        for entry in read_dir(&self.root)? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_page = name.starts_with("feed-") && name.ends_with(".json");
            if is_page && !pages.contains(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
                remove(&entry.path())?;
                removed += 1;
            }
        }
        for entry in read_dir(&self.root.join(MEDIA))? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let wanted = media
                .iter()
                .any(|m| m.strip_prefix("media/") == Some(name.as_str()));
            if !wanted
                && entry
                    .file_type()
                    .is_ok_and(|t| t.is_file() || t.is_symlink())
            {
                remove(&entry.path())?;
                removed += 1;
            }
        }
        sync_dir(&self.root)?;
        sync_dir(&self.root.join(MEDIA))?;
        Ok(removed)
    }

    /// Remove the given `media/<file>` names (files only; missing is fine).
    pub fn remove_media(&self, names: &[String]) -> Result<u64> {
        let mut removed = 0;
        for name in names {
            let Some(file) = name.strip_prefix("media/") else {
                continue;
            };
            let path = self.root.join(MEDIA).join(file);
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                remove(&path)?;
                removed += 1;
            }
        }
        if removed > 0 {
            sync_dir(&self.root.join(MEDIA))?;
        }
        Ok(removed)
    }
}

/// `path` with every link resolved, for a folder that may not exist yet: its
/// nearest existing ancestor is canonicalised and the rest, which cannot hold
/// links, is applied to it by name.
pub fn resolved(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut existing = path;
    let mut base = loop {
        match fs::canonicalize(existing) {
            Ok(base) => break base,
            Err(_) => match (existing.parent(), existing.components().next_back()) {
                (Some(parent), Some(last)) => {
                    rest.push(last);
                    existing = parent;
                }
                // Nothing of it exists (a relative path in a removed folder).
                _ => break PathBuf::new(),
            },
        }
    };
    for part in rest.into_iter().rev() {
        match part {
            std::path::Component::ParentDir => {
                base.pop();
            }
            std::path::Component::Normal(name) => base.push(name),
            _ => {}
        }
    }
    base
}

fn read_dir(dir: &Path) -> Result<Vec<fs::DirEntry>> {
    fs::read_dir(dir)
        .and_then(|entries| entries.collect::<std::io::Result<Vec<_>>>())
        .map_err(|e| Error::io(format!("cannot list {}", dir.display()), e))
}

fn remove(path: &Path) -> Result<()> {
    fs::remove_file(path).map_err(|e| Error::io(format!("cannot remove {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_change_nothing_until_committed() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::open(dir.path()).unwrap();
        out.commit(vec![out.stage("feed.json", b"old").unwrap()])
            .unwrap();
        // A publish killed after staging: the staged file is dropped (or
        // left behind by a killed process) and never renamed.
        let out = OutDir::open(dir.path()).unwrap();
        let staged = out.stage("feed.json", b"new").unwrap();
        let left_behind = staged.temp.keep().unwrap();
        assert_eq!(fs::read(dir.path().join("feed.json")).unwrap(), b"old");
        assert!(left_behind.exists());
        // The next publish clears the leftovers.
        OutDir::open(dir.path()).unwrap();
        assert!(!left_behind.exists());
        assert_eq!(fs::read(dir.path().join("feed.json")).unwrap(), b"old");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}"); // feed.json and media/
    }

    #[test]
    fn unused_pages_and_media_go_and_others_stay() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::open(dir.path()).unwrap();
        for name in [
            "feed.json",
            "feed-1.json",
            "feed-2.json",
            "media/a.jpg",
            "media/b.jpg",
            "notes.txt",
        ] {
            out.commit(vec![out.stage(name, b"x").unwrap()]).unwrap();
        }
        let removed = out
            .remove_unused(
                &["feed.json".into(), "feed-1.json".into()],
                &["media/a.jpg".into()],
            )
            .unwrap();
        assert_eq!(removed, 2);
        for (name, kept) in [
            ("feed-2.json", false),
            ("media/b.jpg", false),
            ("feed-1.json", true),
            ("media/a.jpg", true),
            ("notes.txt", true),
        ] {
            assert_eq!(dir.path().join(name).exists(), kept, "{name}");
        }
    }
}
