//! The UI's TypeScript types (`ui/src/bindings/`) are generated from the Rust
//! types with ts-rs. This test regenerates them and fails when the committed
//! files differ, so the UI can never compile against stale shapes.
//! `LIVELINE_WRITE_BINDINGS=1 cargo test --test bindings` rewrites them.

use std::collections::BTreeMap;
use std::path::Path;

use liveline::app::{AppError, AppInfo, BlogSummary, Changed, PublishOptions};
use liveline::model::{EntryEdit, NewBlog, NewEntry, Placement, Revision};
use liveline::photos::{ImportProgress, PhotoEdit, PhotoText};
use liveline::publish::{PublishProgress, PublishReport, PublishSettings};
use liveline::store::{TimelineQuery, TimelineRow};
use ts_rs::{Config, TS};

fn generate(dir: &Path) {
    let cfg = Config::new().with_large_int("number").with_out_dir(dir);
    // Every type a command takes or returns; their dependencies come along.
    macro_rules! export {
        ($($t:ty),* $(,)?) => { $( <$t>::export_all(&cfg).unwrap(); )* };
    }
    export!(
        AppError,
        AppInfo,
        BlogSummary,
        Changed,
        PublishOptions,
        TimelineRow,
        TimelineQuery,
        liveline::model::Entry,
        Revision,
        NewBlog,
        NewEntry,
        EntryEdit,
        Placement,
        PhotoText,
        PhotoEdit,
        ImportProgress,
        PublishSettings,
        PublishProgress,
        PublishReport,
    );
}

fn read_all(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".ts") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                files.insert(name, text.replace("\r\n", "\n"));
            }
        }
    }
    files
}

#[test]
fn the_committed_ui_bindings_are_fresh() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
    let fresh_dir = tempfile::tempdir().unwrap();
    generate(fresh_dir.path());
    let fresh = read_all(fresh_dir.path());
    assert!(fresh.contains_key("Entry.ts") && fresh.contains_key("Block.ts"));
    if std::env::var_os("LIVELINE_WRITE_BINDINGS").is_some() {
        std::fs::create_dir_all(&committed).unwrap();
        for old in read_all(&committed).keys() {
            std::fs::remove_file(committed.join(old)).unwrap();
        }
        for (name, text) in &fresh {
            std::fs::write(committed.join(name), text).unwrap();
        }
    }
    let current = read_all(&committed);
    let stale: Vec<&String> = fresh
        .keys()
        .chain(current.keys())
        .filter(|name| fresh.get(*name) != current.get(*name))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/bindings is stale ({stale:?}): run \
         `LIVELINE_WRITE_BINDINGS=1 cargo test --test bindings` and commit the result"
    );
}

/// Every `code` the core can return (the arms of `Error::code` in
/// src/error.rs) is one the UI knows (`ERROR_CODES` in ui/src/api/types.ts),
/// and the UI lists none the core never sends: the list is written by hand.
#[test]
fn the_ui_knows_every_error_code_the_core_returns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rust = std::fs::read_to_string(root.join("src/error.rs")).unwrap();
    let body = rust.split("pub fn code(&self)").nth(1).unwrap();
    let body = &body[..body.find("\n    }\n").unwrap()];
    let quoted = |text: &str| -> std::collections::BTreeSet<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .collect()
    };
    let core = quoted(body);
    let ts = std::fs::read_to_string(root.join("ui/src/api/types.ts")).unwrap();
    let list = ts.split("ERROR_CODES = [").nth(1).unwrap();
    let ui = quoted(&list[..list.find(']').unwrap()]);
    assert!(
        core.len() >= 10,
        "read the codes from src/error.rs: {core:?}"
    );
    assert_eq!(core, ui);
}
