//! The desktop app's core and three `liveline` CLI processes write one
//! database at once, 500 operations each (adds, edits, moves, pins): every
//! operation succeeds, none reports "database is locked" or busy, and every
//! write each writer was told was done is there at the end.
//!
//! Env: LIVELINE_CONCURRENCY_OPS (default 500 per writer).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::thread;

use liveline::app::App;
use liveline::model::{EntryEdit, Initial, ListQuery, NewBlog, NewEntry, Placement};
use liveline::store::Store;

const SLUG: &str = "busy";
const CLI_WRITERS: usize = 3;

/// Entry id -> the title its writer last saw saved.
type Written = BTreeMap<String, String>;

fn ops() -> usize {
    std::env::var("LIVELINE_CONCURRENCY_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
}

/// The app's core, as the desktop shell calls it.
fn app_writer(app: &App, ops: usize) -> Written {
    let mut written = Written::new();
    let mut last = None;
    for i in 0..ops {
        let fail = |e: liveline::error::Error| panic!("app op {i}: [{}] {e}", e.code());
        match (i % 4, last) {
            (0, _) | (_, None) => {
                let title = format!("app #{i}");
                let e = app
                    .add_entry(
                        SLUG,
                        NewEntry {
                            title: title.clone(),
                            initial: Initial::Published,
                            ..Default::default()
                        },
                    )
                    .unwrap_or_else(fail);
                written.insert(e.id.to_string(), title);
                last = Some(e.id);
            }
            (1, Some(id)) => {
                let title = format!("app #{i}, edited");
                let edit = EntryEdit {
                    title: Some(title.clone()),
                    ..Default::default()
                };
                app.autosave_entry(id, edit).unwrap_or_else(fail);
                written.insert(id.to_string(), title);
            }
            (2, Some(id)) => {
                app.move_entry(id, Placement::Top).unwrap_or_else(fail);
            }
            (_, Some(id)) => {
                let pinned = app.entry(id).unwrap_or_else(fail).pinned;
                app.set_pinned(id, !pinned).unwrap_or_else(fail);
            }
        }
    }
    written
}

/// One CLI process per operation, as a newsroom script would call it.
fn cli_writer(db: &Path, w: usize, ops: usize) -> Written {
    let run = |i: usize, args: &[&str]| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_liveline"))
            .arg("--db")
            .arg(db)
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "CLI writer {w}, op {i} ({args:?}) failed: {stderr}"
        );
        assert!(
            !stderr.contains("locked") && !stderr.contains("busy"),
            "CLI writer {w}, op {i}: {stderr}"
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let mut written = Written::new();
    let mut last: Option<String> = None;
    for i in 0..ops {
        match (i % 4, last.clone()) {
            (0, _) | (_, None) => {
                let title = format!("cli {w} #{i}");
                let e = run(i, &["entry", "add", SLUG, "--title", &title, "--publish"]);
                let id = e["id"].as_str().unwrap().to_string();
                written.insert(id.clone(), title);
                last = Some(id);
            }
            (1, Some(id)) => {
                let title = format!("cli {w} #{i}, edited");
                run(i, &["entry", "edit", &id, "--title", &title]);
                written.insert(id, title);
            }
            (2, Some(id)) => {
                run(i, &["entry", "move", &id, "--top"]);
            }
            (_, Some(id)) => {
                let shown = run(i, &["entry", "show", &id]);
                let pin = if shown["pinned"] == true {
                    "unpin"
                } else {
                    "pin"
                };
                run(i, &["entry", pin, &id]);
            }
        }
    }
    written
}

#[test]
fn the_app_and_three_cli_processes_write_at_once_and_nothing_is_lost() {
    let ops = ops();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let app = App::open(&db, |_| {}).unwrap();
    app.create_blog(NewBlog {
        title: "Busy".into(),
        slug: Some(SLUG.into()),
        ..Default::default()
    })
    .unwrap();

    let written: Vec<Written> = thread::scope(|s| {
        let mut writers = vec![s.spawn(|| app_writer(&app, ops))];
        for w in 0..CLI_WRITERS {
            let db = db.clone();
            writers.push(s.spawn(move || cli_writer(&db, w, ops)));
        }
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });

    let store = Store::open(&db).unwrap();
    let all = store
        .list_entries(
            SLUG,
            ListQuery {
                limit: 100_000,
                ..Default::default()
            },
        )
        .unwrap();
    let found: BTreeMap<String, String> = all
        .iter()
        .map(|e| (e.id.to_string(), e.title.clone()))
        .collect();
    let expected: BTreeMap<String, String> = written.into_iter().flatten().collect();
    let adds_per_writer = ops.div_ceil(4);
    assert_eq!(expected.len(), (CLI_WRITERS + 1) * adds_per_writer);
    assert_eq!(found, expected, "every write is there, with its last title");
    let mut positions: Vec<_> = all.iter().map(|e| e.position.clone()).collect();
    positions.sort();
    positions.dedup();
    assert_eq!(positions.len(), all.len(), "every entry has its own place");

    let conn = rusqlite::Connection::open(&db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    println!(
        "concurrency: 1 app core + {CLI_WRITERS} CLI writers x {ops} operations: {} entries, 0 lost, 0 locked",
        all.len()
    );
}
