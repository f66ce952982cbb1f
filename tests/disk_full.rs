//! A full disk: on a small tmpfs filled to within a few kilobytes, entry
//! writes, photo imports and publishes fail with `disk_full` and a message
//! that says so, and leave the database, the media folder and the
//! publication exactly as they were; once space is freed, the same work
//! succeeds. Mounting needs root (or sudo without a password), which
//! `.ci/run` has; elsewhere the test says what it needs and fails.
#![cfg(target_os = "linux")]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const SLUG: &str = "storm";
const TMPFS_SIZE: &str = "24m";

/// A tmpfs mounted for the test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
    sudo: bool,
}

impl SmallDisk {
    fn mount() -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let root = unsafe_is_root();
        let mut cmd = if root {
            Command::new("mount")
        } else {
            sudo(&["-n", "mount"])
        };
        let out = cmd
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={TMPFS_SIZE},mode=0700"))
            .arg("tmpfs")
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "this test mounts a {TMPFS_SIZE} tmpfs to fill it, which needs root or \
             passwordless sudo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk { dir, sudo: !root }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fill the disk to within `leave` bytes with a file of its own.
    fn fill(&self, leave: u64) {
        let filler = self.path().join("filler");
        let mut file = fs::File::create(&filler).unwrap();
        let chunk = vec![0x55u8; 64 * 1024];
        // Whole chunks while they fit, then single kilobytes.
        for size in [chunk.len(), 1024] {
            while file.write_all(&chunk[..size]).is_ok() {}
        }
        file.sync_all().ok();
        drop(file);
        let len = fs::metadata(&filler).unwrap().len();
        fs::OpenOptions::new()
            .write(true)
            .open(&filler)
            .unwrap()
            .set_len(len.saturating_sub(leave))
            .unwrap();
    }

    fn free(&self) {
        fs::remove_file(self.path().join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let mut cmd = if self.sudo {
            sudo(&["-n", "umount"])
        } else {
            Command::new("umount")
        };
        let _ = cmd.arg(self.dir.path()).status();
    }
}

fn sudo(args: &[&str]) -> Command {
    let mut cmd = Command::new("sudo");
    cmd.args(args);
    cmd
}

fn unsafe_is_root() -> bool {
    // The uid of /proc/self is the process's: no libc call needed.
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

fn cli(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_liveline"))
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> Value {
    let out = cli(db, args);
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every file under `dir` with its bytes: the state that must not change
/// (but for the media folder's `.imports/lock`, an empty file imports lock).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_name() == ".imports" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// What the database holds, read through SQLite (the file's bytes may move
/// between the log and the file without any change to the data).
fn contents(db: &Path) -> (String, i64, i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let integrity = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get(0)).unwrap();
    (
        integrity,
        count("SELECT count(*) FROM entries"),
        count("SELECT count(*) FROM photos"),
        count("SELECT count(*) FROM revisions"),
    )
}

#[test]
fn a_full_disk_refuses_writes_imports_and_publishes_and_changes_nothing() {
    let disk = SmallDisk::mount();
    let db = disk.path().join("cov.db");
    let out_dir = disk.path().join("site");
    let out = out_dir.to_str().unwrap();
    ok(&db, &["blog", "create", "Storm", "--slug", SLUG]);
    let first = ok(
        &db,
        &["entry", "add", SLUG, "--title", "Before", "--publish"],
    );
    let first_id = first["id"].as_str().unwrap().to_string();
    ok(&db, &["publish", SLUG, "--out", out]);
    // Written while there was room: the publish below has something new.
    ok(
        &db,
        &["entry", "add", SLUG, "--title", "Waiting", "--publish"],
    );
    let photo = common::photo_path("cups.jpg");
    let photo = photo.to_str().unwrap();

    let attempts: [&[&str]; 3] = [
        &[
            "entry",
            "add",
            SLUG,
            "--title",
            "Lost?",
            "--body",
            &"A long paragraph. ".repeat(500),
        ],
        &["photo", "add", &first_id, photo, "--credit", "Council"],
        &["publish", SLUG, "--out", out],
    ];
    // From nothing left to a little room, where some writes get part way.
    for leave in [0, 8 * 1024, 64 * 1024] {
        for args in attempts {
            let data = contents(&db);
            let media = snapshot(&disk.path().join("cov.media"));
            let site = snapshot(&out_dir);
            disk.fill(leave);
            let result = cli(&db, args);
            // Compared with room to read again (a full disk stops even a
            // reader of a WAL database from making its shared-memory index).
            disk.free();
            assert_eq!(
                result.status.code(),
                Some(1),
                "{leave} B free, {args:?}: {result:?}"
            );
            let err: Value = serde_json::from_slice(&result.stderr).unwrap();
            assert_eq!(
                err["error"]["code"], "disk_full",
                "{leave} B free, {args:?}: {err}"
            );
            let message = err["error"]["message"].as_str().unwrap().to_lowercase();
            assert!(
                message.contains("full") || message.contains("no space"),
                "{args:?}: {message}"
            );
            assert_eq!(
                contents(&db),
                data,
                "{leave} B free, {args:?}: the database changed"
            );
            assert_eq!(
                snapshot(&disk.path().join("cov.media")),
                media,
                "{leave} B free, {args:?}: the media folder changed"
            );
            assert_eq!(
                snapshot(&out_dir),
                site,
                "{leave} B free, {args:?}: the publication changed"
            );
        }
    }

    // Space again: the same work goes through.
    for args in attempts {
        ok(&db, args);
    }
    let feed: Value =
        serde_json::from_slice(&fs::read(out_dir.join("feed.json")).unwrap()).unwrap();
    let titles: Vec<&str> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Waiting"), "{titles:?}");
    let (integrity, entries, photos, _) = contents(&db);
    assert_eq!((integrity.as_str(), entries, photos), ("ok", 3, 1));
}
