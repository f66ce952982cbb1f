//! The database file: schema versions, refusing what it must not touch,
//! concurrent writers, backups.

use std::path::Path;

use liveline::model::{Initial, ListQuery, NewBlog, NewEntry};
use liveline::store::SCHEMA_VERSION;
use liveline::Store;
use rusqlite::Connection;

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn new_store(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap();
    store
        .create_blog(NewBlog {
            title: "Live".into(),
            slug: Some("live".into()),
            timezone: Some("UTC".into()),
            ..Default::default()
        })
        .unwrap();
    store
}

#[test]
fn a_new_database_gets_the_latest_schema_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/new.db");
    drop(new_store(&path));
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // Reopening is idempotent.
    drop(Store::open(&path).unwrap());
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (1);")
            .unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = file_bytes(&path);
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), "newer_database");
    let msg = err.to_string();
    assert!(
        msg.contains("newer Liveline") && msg.contains("untouched"),
        "{msg}"
    );
    assert_eq!(file_bytes(&path), before, "the file was not altered");
    let journal: String = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "delete", "not even the journal mode changed");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(
        &path,
        "these are my notes, not a database, and they are long enough to matter".repeat(20),
    )
    .unwrap();
    let before = file_bytes(&path);
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), "damaged_database");
    let message = err.to_string();
    assert!(message.contains("not a database"), "{message}");
    assert!(
        message.contains("liveline restore"),
        "the way out: {message}"
    );
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn a_failed_migration_leaves_the_old_version_in_place() {
    // A database at version 0 whose name clash makes migration 1 fail: the
    // whole migration rolls back, version and data unchanged.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clash.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE entries (mine TEXT); INSERT INTO entries VALUES ('keep me');",
        )
        .unwrap();
    }
    assert!(Store::open(&path).is_err());
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 0);
    let blogs: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'blogs'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(blogs, 0, "migration 1 was rolled back whole");
    let kept: String = conn
        .query_row("SELECT mine FROM entries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "keep me");
}

#[test]
fn concurrent_writers_never_see_database_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.db");
    drop(new_store(&path));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                for i in 0..100 {
                    let e = store
                        .add_entry(
                            "live",
                            NewEntry {
                                title: format!("w{w} #{i}"),
                                initial: Initial::Published,
                                ..Default::default()
                            },
                        )
                        .unwrap_or_else(|e| panic!("writer {w} op {i}: {e}"));
                    if i % 10 == 0 {
                        store.set_pinned(e.id, true).unwrap();
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a writer failed");
    }
    let store = Store::open(&path).unwrap();
    let all = store
        .list_entries(
            "live",
            ListQuery {
                limit: 1_000,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(all.len(), 400, "no write was lost");
    let mut positions: Vec<_> = all.iter().map(|e| e.position.clone()).collect();
    positions.sort();
    positions.dedup();
    assert_eq!(
        positions.len(),
        400,
        "positions stay unique under concurrency"
    );
}

#[test]
fn backup_is_a_complete_snapshot_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.db");
    let mut store = new_store(&path);
    for i in 0..50 {
        store
            .add_entry(
                "live",
                NewEntry {
                    title: format!("entry {i}"),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    let out = dir.path().join("copy.db");
    let report = store.backup(&out).unwrap();
    assert!(report.bytes > 0);
    let copy = Store::open(&out).unwrap();
    assert_eq!(
        copy.list_entries(
            "live",
            ListQuery {
                limit: 100,
                ..Default::default()
            }
        )
        .unwrap()
        .len(),
        50
    );
    let ok: String = Connection::open(&out)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");

    let before = file_bytes(&out);
    let err = store.backup(&out).unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(file_bytes(&out), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "no partial file left behind");
}

#[test]
fn sqlite_files_of_other_programs_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 3] = [
        ("negative.db", "PRAGMA user_version = -1;"),
        (
            "other-app.db",
            "PRAGMA application_id = 1234; PRAGMA user_version = 1;",
        ),
        (
            "has-tables.db",
            "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ana');",
        ),
    ];
    for (name, sql) in cases {
        let path = dir.path().join(name);
        Connection::open(&path).unwrap().execute_batch(sql).unwrap();
        let before = file_bytes(&path);
        let err = Store::open(&path).err().expect("refused");
        assert!(err.to_string().contains("another program"), "{name}: {err}");
        assert_eq!(file_bytes(&path), before, "{name} untouched");
    }
}

#[test]
fn a_liveline_database_is_marked_as_ours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ours.db");
    drop(new_store(&path));
    let app: i64 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, 0x4C56_4C4E);
}

#[test]
fn a_version_1_database_upgrades_with_its_data_intact() {
    // Build a database exactly as schema version 1 left it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../src/store/migrations/0001_initial.sql"))
            .unwrap();
        conn.execute_batch(
            "INSERT INTO blogs VALUES ('01a21000-0000-7000-8000-000000000001', 'old', 'Old coverage', NULL, 'en', \
               'Europe/London', 1700000000000, NULL, 1700000000000, 1700000000000);
             INSERT INTO entries (id, blog_id, title, body, status, position, display_at, created_at, updated_at, \
               published_at, revision) VALUES ('01a21000-0000-7000-8000-000000000002', \
               '01a21000-0000-7000-8000-000000000001', 'Kept', '[{\"type\":\"paragraph\",\"content\":[{\"text\":\"Still here\"}]}]', \
               'published', x'8000000000000000', 1700000000000, 1700000000000, 1700000000000, 1700000000000, 1);
             INSERT INTO revisions (entry_id, revision, at, saved_by, action, title, display_at, display_at_set, body) \
               VALUES ('01a21000-0000-7000-8000-000000000002', 1, 1700000000000, 'ana', 'created', 'Kept', \
               1700000000000, 0, '[]');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let entries = store.list_entries("old", ListQuery::default()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].title, "Kept");
    assert_eq!(
        entries[0].display_at.to_rfc3339(),
        "2023-11-14T22:13:20+00:00"
    );
    assert_eq!(store.history(entries[0].id).unwrap().len(), 1);
    let version: i64 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}
