//! Databases written by every released schema version (the committed
//! fixtures in tests/fixtures/schema-vN/, made by the CLI of that version:
//! make-schema-fixtures.sh) open with today's Liveline, upgrade to the
//! latest schema in place and keep every entry, revision, correction, pin,
//! position and photo; the upgraded database then takes new work.

use std::path::{Path, PathBuf};

use liveline::blocks::Block;
use liveline::model::{EntryEdit, Initial, ListQuery, NewEntry, Status};
use liveline::publish::{publish, PublishRequest};
use liveline::store::SCHEMA_VERSION;
use liveline::Store;
use rusqlite::Connection;

/// A copy of fixture `schema-v{version}` (database and media) in a fresh
/// folder: the committed files are never opened for writing.
fn copy_of(version: u32) -> (tempfile::TempDir, PathBuf) {
    let from =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/schema-v{version}"));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&from, dir.path());
    let db = dir.path().join("liveline.db");
    (dir, db)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn user_version(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn upgrades_with_its_data_intact(version: u32) {
    let (_dir, db) = copy_of(version);
    assert_eq!(
        user_version(&db),
        i64::from(version),
        "the fixture is of schema {version}"
    );

    let mut store = Store::open(&db).unwrap();
    assert_eq!(user_version(&db), SCHEMA_VERSION);

    let blog = store.blog("quake").unwrap();
    assert_eq!(blog.title, "Séisme au Maroc");
    assert_eq!(blog.timezone, "Africa/Casablanca");
    assert_eq!(
        blog.summary.as_deref(),
        Some("Live coverage of the earthquake")
    );

    // Editorial order: the pinned entry first, then the one moved to the top.
    let entries = store.list_entries("quake", ListQuery::default()).unwrap();
    let titles: Vec<&str> = entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Rescue teams arrive",
            "Casualty figures awaited",
            "First tremor felt"
        ]
    );
    let statuses: Vec<Status> = entries.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [Status::Ready, Status::Draft, Status::Published]);
    assert!(entries[0].pinned && !entries[1].pinned && !entries[2].pinned);

    let first = &entries[2];
    assert_eq!(first.author.as_deref(), Some("Ana Ruiz"));
    assert_eq!(first.display_at.to_rfc3339(), "2023-09-08T23:11:00+01:00");
    assert_eq!(
        first.correction_note.as_deref(),
        Some("An earlier version said the shaking lasted 20 seconds exactly.")
    );
    let text = liveline::markdown::render(&first.blocks);
    assert!(
        text.starts_with("The ground **shook** for about 20 seconds in *Marrakech*."),
        "{text}"
    );
    assert!(liveline::markdown::render(&entries[0].blocks).contains("We are digging by hand."));
    // Added, edited, and from version 2 a photo appended: every revision kept.
    let history = store.history(first.id).unwrap();
    assert_eq!(history.len(), if version >= 2 { 3 } else { 2 });
    assert!(history.iter().all(|r| r.author == "Ana Ruiz"));

    let photos: Vec<&str> = first
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Photo { photo_id } => Some(photo_id.as_str()),
            _ => None,
        })
        .collect();
    if version >= 2 {
        assert_eq!(photos.len(), 1);
        let photo = store.photo(photos[0].parse().unwrap()).unwrap();
        assert_eq!(photo.credit.as_deref(), Some("Ana Ruiz/Liveline"));
        assert_eq!(photo.original_name, "cups.jpg");
        assert!(!photo.renditions.is_empty());
        for r in &photo.renditions {
            assert!(Path::new(&r.path).is_file(), "{} is missing", r.path);
        }
    } else {
        assert!(photos.is_empty());
    }

    // The upgraded database takes new work: a new entry, an autosave
    // (schema 4), and a publish of what is published.
    let added = store
        .add_entry(
            "quake",
            NewEntry {
                title: "Aftershock".into(),
                blocks: vec![Block::paragraph("A second tremor at 02:00.")],
                initial: Initial::Published,
                ..Default::default()
            },
        )
        .unwrap();
    let edit = EntryEdit {
        title: Some("Casualty figures due at noon".into()),
        ..Default::default()
    };
    store.autosave_entry(entries[1].id, edit).unwrap();
    let out = tempfile::tempdir().unwrap();
    let request = PublishRequest {
        out_dir: Some(out.path().join("site")),
        ..Default::default()
    };
    let report = publish(&mut store, "quake", request, &|_| {}).unwrap();
    assert_eq!(report.entries, 2);
    let feed = std::fs::read_to_string(out.path().join("site/feed.json")).unwrap();
    assert!(feed.contains(&added.id.to_string()) && feed.contains(&first.id.to_string()));
    drop(store);

    // And opens again as it is.
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store
            .list_entries("quake", ListQuery::default())
            .unwrap()
            .len(),
        4
    );
}

#[test]
fn a_schema_1_database_upgrades_with_its_data_intact() {
    upgrades_with_its_data_intact(1);
}

#[test]
fn a_schema_2_database_upgrades_with_its_data_intact() {
    upgrades_with_its_data_intact(2);
}

#[test]
fn a_schema_3_database_upgrades_with_its_data_intact() {
    upgrades_with_its_data_intact(3);
}

#[test]
fn every_released_schema_version_has_a_fixture() {
    for version in 1..SCHEMA_VERSION {
        let db = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/schema-v{version}/liveline.db"));
        assert!(
            db.is_file(),
            "no fixture for schema {version}: run tests/fixtures/make-schema-fixtures.sh"
        );
    }
}
