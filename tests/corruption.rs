//! A damaged database is found, named, and left as it is; `liveline
//! restore` puts the latest backup back without destroying anything.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use liveline::app::App;
use serde_json::Value;

const SLUG: &str = "storm";
const ENTRIES: usize = 300;

fn cli(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("liveline").unwrap();
    cmd.arg("--db").arg(db).arg("--json");
    cmd
}

/// The JSON error a failed command prints on stderr.
fn error_of(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let printed: Value =
        serde_json::from_slice(&out.stderr).unwrap_or_else(|e| panic!("{e}: {out:?}"));
    printed["error"].clone()
}

/// A database of `ENTRIES` published entries, and a backup of it.
fn coverage(dir: &Path) -> (PathBuf, PathBuf) {
    let db = dir.join("cov.db");
    cli(&db)
        .args(["demo", SLUG, "--entries"])
        .arg(ENTRIES.to_string())
        .assert()
        .success();
    let backup = dir.join("backup.db");
    cli(&db).arg("backup").arg(&backup).assert().success();
    // Fold the write-ahead log into the file, as a closed database is.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
    drop(conn);
    (db, backup)
}

/// Overwrite `len` bytes at `at` with a pattern no SQLite page has.
fn damage(db: &Path, at: usize, len: usize) {
    let mut bytes = fs::read(db).unwrap();
    for (i, b) in bytes[at..at + len].iter_mut().enumerate() {
        *b = (i * 37 % 251) as u8 ^ 0x5a;
    }
    fs::write(db, bytes).unwrap();
}

fn page_size(db: &Path) -> usize {
    let header = fs::read(db).unwrap();
    u16::from_be_bytes([header[16], header[17]]) as usize
}

/// Every way in refuses with `damaged_database` and the way out, and the
/// file's bytes are what they were.
fn assert_refused_untouched(db: &Path, commands: &[&[&str]]) {
    let before = fs::read(db).unwrap();
    for args in commands {
        let out = cli(db).args(*args).output().unwrap();
        let err = error_of(&out);
        assert_eq!(err["code"], "damaged_database", "{args:?}: {err}");
        let message = err["message"].as_str().unwrap();
        assert!(message.contains("liveline restore"), "{args:?}: {message}");
        assert_eq!(
            fs::read(db).unwrap(),
            before,
            "{args:?} changed the damaged file"
        );
    }
}

#[test]
fn a_damaged_header_is_refused_at_open_by_every_command_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = coverage(dir.path());
    damage(&db, 0, 100);
    assert_refused_untouched(
        &db,
        &[
            &["blog", "list"],
            &["entry", "add", SLUG, "--title", "After the damage"],
            &["check"],
            &["backup", "/dev/null/never"],
        ],
    );
    let err = App::open(&db, |_| {}).err().expect("the app refuses it");
    assert_eq!(err.code(), "damaged_database");
}

#[test]
fn a_damaged_page_is_found_by_check_and_by_the_app_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = coverage(dir.path());
    let page = page_size(&db);
    let pages = fs::metadata(&db).unwrap().len() as usize / page;
    // Pages in the middle of the file hold entries, not the schema.
    damage(&db, pages / 2 * page, 3 * page);
    let before = fs::read(&db).unwrap();

    let out = cli(&db).arg("check").output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert!(
        !report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );
    let err = error_of(&out);
    assert_eq!(err["code"], "damaged_database");

    let err = App::open(&db, |_| {})
        .err()
        .expect("the app finds it at open");
    assert_eq!(err.code(), "damaged_database");
    assert!(err.to_string().contains("liveline restore"), "{err}");
    // Reading all entries touches the damage: the same error, not a crash.
    let out = cli(&db)
        .args(["entry", "list", SLUG, "--limit", "100000"])
        .output()
        .unwrap();
    if !out.status.success() {
        assert_eq!(error_of(&out)["code"], "damaged_database");
    }
    assert_eq!(
        fs::read(&db).unwrap(),
        before,
        "nothing wrote to the damaged file"
    );
}

#[test]
fn a_truncated_file_is_found_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = coverage(dir.path());
    let bytes = fs::read(&db).unwrap();
    fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    let out = cli(&db).arg("check").output().unwrap();
    assert_eq!(error_of(&out)["code"], "damaged_database");
    assert_eq!(fs::read(&db).unwrap().len(), bytes.len() / 2);
}

/// A blog in `db` with one entry showing a credited photo; the entry's id.
fn entry_with_photo(db: &Path) -> String {
    cli(db)
        .args(["blog", "create", "Storm", "--slug", SLUG])
        .assert()
        .success();
    let added = cli(db)
        .args(["entry", "add", SLUG, "--title", "Photo"])
        .output()
        .unwrap();
    let entry: Value = serde_json::from_slice(&added.stdout).unwrap();
    let id = entry["id"].as_str().unwrap().to_string();
    let photo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/photos/cups.jpg");
    cli(db)
        .args(["photo", "add", &id, "--credit", "Council"])
        .arg(&photo)
        .assert()
        .success();
    id
}

#[test]
fn a_missing_media_file_is_found_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cov.db");
    entry_with_photo(&db);
    let out = cli(&db).arg("check").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let media = dir.path().join("cov.media");
    let victim = fs::read_dir(&media)
        .unwrap()
        .map(|e| e.unwrap())
        .find(|e| e.file_name().to_string_lossy().ends_with(".webp"))
        .unwrap();
    fs::remove_file(victim.path()).unwrap();
    let out = cli(&db).arg("check").output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let missing = report["missing_media"].as_array().unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0], victim.file_name().to_string_lossy().as_ref());
    assert_eq!(error_of(&out)["code"], "damaged_database");
}

/// Media files are named by their SHA-256: a truncated or zeroed rendition
/// is found by `check` and never shipped by a publish.
#[test]
fn a_damaged_media_file_is_found_by_check_and_never_published() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cov.db");
    let id = entry_with_photo(&db);
    cli(&db).args(["entry", "publish", &id]).assert().success();
    let media = dir.path().join("cov.media");
    let renditions: Vec<_> = fs::read_dir(&media)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "webp" || x == "jpg"))
        .collect();
    // Same length, other bytes: a size comparison cannot see it.
    let zeroed = renditions
        .iter()
        .find(|p| p.to_string_lossy().ends_with(".webp"))
        .unwrap();
    let len = fs::metadata(zeroed).unwrap().len() as usize;
    fs::write(zeroed, vec![0u8; len]).unwrap();
    let truncated = renditions
        .iter()
        .find(|p| p.to_string_lossy().ends_with(".jpg"))
        .unwrap();
    let bytes = fs::read(truncated).unwrap();
    fs::write(truncated, &bytes[..bytes.len() / 2]).unwrap();

    let out = cli(&db).arg("check").output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert!(report["missing_media"].as_array().unwrap().is_empty());
    let damaged: Vec<&str> = (report["damaged_media"].as_array().unwrap().iter())
        .map(|v| v.as_str().unwrap())
        .collect();
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    assert!(damaged.contains(&name(zeroed).as_str()), "{damaged:?}");
    assert!(damaged.contains(&name(truncated).as_str()), "{damaged:?}");
    assert_eq!(error_of(&out)["code"], "damaged_database");

    let site = dir.path().join("site");
    let out = cli(&db)
        .args(["publish", SLUG, "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged") && err.contains("SHA-256"), "{err}");
    assert!(!site.join("feed.json").exists(), "nothing is published");
}

#[test]
fn restore_puts_the_backup_in_place_and_keeps_the_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let (db, backup) = coverage(dir.path());
    damage(&db, 0, 100);
    let damaged = fs::read(&db).unwrap();
    let backup_bytes = fs::read(&backup).unwrap();

    let out = cli(&db).arg("restore").arg(&backup).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kept = PathBuf::from(report["replaced"].as_str().unwrap());
    assert!(kept
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("cov.replaced-"));
    assert_eq!(
        fs::read(&kept).unwrap(),
        damaged,
        "the damaged file is kept, as it was"
    );
    assert_eq!(
        fs::read(&backup).unwrap(),
        backup_bytes,
        "the backup is not modified"
    );

    cli(&db).arg("check").assert().success();
    let out = cli(&db)
        .args(["entry", "list", SLUG, "--limit", "100000"])
        .output()
        .unwrap();
    let entries: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), ENTRIES);
    cli(&db)
        .args(["entry", "add", SLUG, "--title", "Back at work"])
        .assert()
        .success();
}

#[test]
fn restore_refuses_a_bad_backup_and_moves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, backup) = coverage(dir.path());
    let before = fs::read(&db).unwrap();
    let files_before = fs::read_dir(dir.path()).unwrap().count();

    let damaged_backup = dir.path().join("damaged-backup.db");
    fs::copy(&backup, &damaged_backup).unwrap();
    let page = page_size(&damaged_backup);
    damage(&damaged_backup, 2 * page, 4 * page);
    let not_ours = dir.path().join("notes.db");
    rusqlite::Connection::open(&not_ours)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    let jpeg = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/photos/cups.jpg");

    for (from, code) in [
        (&damaged_backup, "damaged_database"),
        (&not_ours, "conflict"),
        (&jpeg, "damaged_database"),
        (&db, "invalid_input"),
        (&dir.path().join("missing.db"), "invalid_input"),
    ] {
        let out = cli(&db).arg("restore").arg(from).output().unwrap();
        assert_eq!(error_of(&out)["code"], code, "{}", from.display());
        assert_eq!(fs::read(&db).unwrap(), before, "{}", from.display());
    }
    let files_after: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files_after.len(), files_before + 2, "{files_after:?}");
}
