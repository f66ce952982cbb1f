//! The desktop app's API (src/app/), driven as the Tauri commands drive it,
//! without a window: every command's effect, the change notices the UI
//! refreshes from, errors as {code, message}, and the CLI writing to the same
//! database while the app has it open.

use std::sync::{Arc, Mutex};

use liveline::app::{App, AppError, Changed, PublishOptions};
use liveline::blocks::Block;
use liveline::model::{EntryEdit, Initial, NewBlog, NewEntry, Placement, Status};
use liveline::photos::PhotoText;
use liveline::store::TimelineQuery;

mod common;
use common::photo_path;

struct Fixture {
    dir: tempfile::TempDir,
    app: App,
    heard: Arc<Mutex<Vec<Changed>>>,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let heard = Arc::new(Mutex::new(Vec::new()));
        let sink = heard.clone();
        let mut app = App::open(dir.path().join("app.db"), move |c| {
            sink.lock().unwrap().push(c)
        })
        .unwrap();
        app.set_user("Desk Editor");
        Fixture { dir, app, heard }
    }

    fn blog(&self) -> String {
        self.app
            .create_blog(NewBlog {
                title: "Floods in Valencia".into(),
                timezone: Some("Europe/Madrid".into()),
                ..Default::default()
            })
            .unwrap()
            .slug
    }

    fn entry(&self, slug: &str, title: &str, initial: Initial) -> uuid::Uuid {
        self.app
            .add_entry(
                slug,
                NewEntry {
                    title: title.into(),
                    blocks: vec![Block::paragraph(format!("Body of {title}."))],
                    initial,
                    ..Default::default()
                },
            )
            .unwrap()
            .id
    }

    fn titles(&self, slug: &str) -> Vec<String> {
        self.app
            .timeline(slug, &TimelineQuery::default())
            .unwrap()
            .into_iter()
            .map(|r| r.title)
            .collect()
    }

    fn take_heard(&self) -> Vec<Changed> {
        std::mem::take(&mut *self.heard.lock().unwrap())
    }
}

#[test]
fn writes_are_announced_with_their_blog_and_entry() {
    let f = Fixture::new();
    let slug = f.blog();
    assert_eq!(
        f.take_heard(),
        vec![Changed {
            blog: Some(slug.clone()),
            entry: None
        }]
    );
    let id = f.entry(&slug, "Rain gauge record", Initial::Draft);
    f.app.submit(id).unwrap();
    f.app.publish_entry(id).unwrap();
    f.app.set_pinned(id, true).unwrap();
    let heard = f.take_heard();
    assert_eq!(heard.len(), 4);
    assert!(heard
        .iter()
        .all(|c| c.blog.as_deref() == Some(slug.as_str()) && c.entry == Some(id)));
    // Reads announce nothing.
    f.app.timeline(&slug, &TimelineQuery::default()).unwrap();
    f.app.entry(id).unwrap();
    f.app.history(id).unwrap();
    assert!(f.take_heard().is_empty());
    // A refused write announces nothing either.
    assert!(f.app.delete(id).is_err());
    assert!(f.take_heard().is_empty());
}

#[test]
fn the_timeline_lists_editorial_order_filters_and_searches() {
    let f = Fixture::new();
    let slug = f.blog();
    let a = f.entry(&slug, "Bridge closed", Initial::Published);
    let b = f.entry(&slug, "Schools shut", Initial::Published);
    let c = f.entry(&slug, "Draft on evacuations", Initial::Draft);
    // Drafts sit at the top of the unpinned entries; publication puts an entry on top.
    assert_eq!(
        f.titles(&slug),
        ["Draft on evacuations", "Schools shut", "Bridge closed"]
    );
    f.app.move_entry(a, Placement::Before(b)).unwrap();
    assert_eq!(
        f.titles(&slug),
        ["Draft on evacuations", "Bridge closed", "Schools shut"]
    );
    f.app.set_pinned(b, true).unwrap();
    assert_eq!(f.titles(&slug)[0], "Schools shut");

    let published = TimelineQuery {
        status: Some(Status::Published),
        search: None,
    };
    let rows = f.app.timeline(&slug, &published).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.status == Status::Published));

    let search = |text: &str| {
        let query = TimelineQuery {
            status: None,
            search: Some(text.into()),
        };
        let rows = f.app.timeline(&slug, &query).unwrap();
        rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
    };
    assert_eq!(search("EVACUATIONS"), vec![c], "title, any case");
    assert_eq!(search("body of bridge"), vec![a], "body text");
    assert_eq!(search("   ").len(), 3, "blank search shows all");
    assert!(search("no such words").is_empty());

    let row = &f.app.timeline(&slug, &TimelineQuery::default()).unwrap()[0];
    assert!(row.pinned);
    assert_eq!(row.excerpt, "Body of Schools shut.");
    assert_eq!(
        &f.app.timeline_row(b).unwrap(),
        row,
        "one row, as the timeline has it"
    );
    let missing = liveline::Uuid::now_v7();
    assert_eq!(f.app.timeline_row(missing).unwrap_err().code(), "not_found");
    assert!(row.display_at.ends_with("+01:00") || row.display_at.ends_with("+02:00"));
}

#[test]
fn errors_cross_the_boundary_as_code_and_message() {
    let f = Fixture::new();
    let slug = f.blog();
    let id = f.entry(&slug, "Published", Initial::Published);
    let err = AppError::from(f.app.delete(id).unwrap_err());
    assert_eq!(err.code, "conflict");
    assert!(err.message.contains("retract"), "{}", err.message);
    let err = AppError::from(
        f.app
            .timeline("nope", &TimelineQuery::default())
            .unwrap_err(),
    );
    assert_eq!(err.code, "not_found");
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["code"], "not_found");
    assert!(json["message"].as_str().unwrap().contains("nope"));
    let bad_time = EntryEdit {
        display_at: Some("yesterday-ish".into()),
        ..Default::default()
    };
    let err = AppError::from(f.app.edit_entry(id, bad_time).unwrap_err());
    assert_eq!(err.code, "invalid_time");
}

#[test]
fn the_demo_blog_takes_a_free_slug_each_time() {
    let f = Fixture::new();
    let first = f.app.create_demo_blog().unwrap();
    let second = f.app.create_demo_blog().unwrap();
    assert_eq!(first.slug, "demo");
    assert_eq!(second.slug, "demo-2");
    let blogs = f.app.list_blogs().unwrap();
    assert_eq!(blogs.len(), 2);
    assert!(blogs
        .iter()
        .all(|b| b.counts.published == liveline::app::DEMO_ENTRIES));
}

#[test]
fn photos_import_with_progress_and_preview_as_data_urls() {
    let f = Fixture::new();
    let slug = f.blog();
    let id = f.entry(&slug, "Flooded street", Initial::Draft);
    let stages = Mutex::new(Vec::new());
    let photo = f
        .app
        .import_photo(
            id,
            &photo_path("boats.jpg"),
            PhotoText {
                credit: Some("Ana Ruiz".into()),
                ..Default::default()
            },
            &|p| stages.lock().unwrap().push(p),
        )
        .unwrap();
    assert!(stages.lock().unwrap().len() >= 3, "progress was reported");
    // The import leaves the body to the editor (no race with its saves)...
    let entry = f.app.entry(id).unwrap();
    assert_eq!(entry.revision, 1, "the body was not touched");
    assert!(entry.photos.is_empty());
    // ...which inserts the block and saves it, as a body of its own photos.
    let mut blocks = entry.blocks.clone();
    blocks.push(Block::Photo {
        photo_id: photo.id.to_string(),
    });
    let with_photo = EntryEdit {
        blocks: Some(blocks.clone()),
        ..Default::default()
    };
    f.app.autosave_entry(id, with_photo).unwrap();
    let row = &f.app.timeline(&slug, &TimelineQuery::default()).unwrap()[0];
    assert_eq!(row.photo.as_ref().unwrap().id, photo.id);
    assert_eq!(row.photo_count, 1);
    assert_eq!(row.warnings.len(), 1, "no alt text: {:?}", row.warnings);

    let preview = f.app.photo_preview(photo.id, 300).unwrap();
    assert!(preview.starts_with("data:image/webp;base64,"));
    let bytes = base64_decode(preview.split(',').nth(1).unwrap());
    let small = image_width(&bytes);
    assert_eq!(small, 320, "the smallest rendition at least 300 wide");
    let big = f.app.photo_preview(photo.id, 10_000).unwrap();
    assert_eq!(
        image_width(&base64_decode(big.split(',').nth(1).unwrap())),
        2048
    );

    // A pasted image: bytes and a name that must not become a path.
    let data = base64_encode(&std::fs::read(photo_path("wood.webp")).unwrap());
    let pasted = f
        .app
        .import_photo_data(
            id,
            "../../evil/wood.webp",
            &data,
            PhotoText::default(),
            &|_| {},
        )
        .unwrap();
    assert_eq!(pasted.original_name, "wood.webp");
    blocks.push(Block::Photo {
        photo_id: pasted.id.to_string(),
    });
    let edit = EntryEdit {
        blocks: Some(blocks),
        ..Default::default()
    };
    f.app.autosave_entry(id, edit).unwrap();
    let err = f
        .app
        .import_photo_data(id, "x.png", "not base64!!", PhotoText::default(), &|_| {})
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(f.app.entry(id).unwrap().photos.len(), 2);
}

#[test]
fn publishing_from_the_app_uses_and_saves_the_blog_settings() {
    let f = Fixture::new();
    let slug = f.blog();
    f.entry(&slug, "First", Initial::Published);
    assert_eq!(f.app.publish_settings(&slug).unwrap(), None);
    let err = f.app.reader_page(&slug).unwrap_err();
    assert!(err.to_string().contains("not been published"), "{err}");
    let out = f.dir.path().join("site");
    let stages = Mutex::new(0u32);
    let report = f
        .app
        .publish_blog(
            &slug,
            PublishOptions {
                out_dir: Some(out.display().to_string()),
                base_url: Some("".into()),
                page_size: Some(5),
            },
            &|_| *stages.lock().unwrap() += 1,
        )
        .unwrap();
    assert_eq!(report.entries, 1);
    assert!(*stages.lock().unwrap() > 0);
    assert!(out.join("feed.json").is_file());
    let saved = f.app.publish_settings(&slug).unwrap().unwrap();
    assert_eq!(saved.page_size, 5);
    // The Publish button: no options, the saved ones apply.
    f.entry(&slug, "Second", Initial::Published);
    let again = f
        .app
        .publish_blog(&slug, PublishOptions::default(), &|_| {})
        .unwrap();
    assert_eq!(again.entries, 2);
    assert_eq!(again.out_dir, saved.out_dir);
    assert_eq!(f.app.reader_page(&slug).unwrap(), out.join("index.html"));
    assert_eq!(
        f.app.publish_settings("missing").unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn the_app_notices_what_the_cli_writes_to_its_database() {
    let f = Fixture::new();
    let slug = f.blog();
    let mut watch = f.app.watch_external().unwrap();
    assert!(!watch.poll().unwrap(), "nothing written yet");
    let db = f.dir.path().join("app.db");
    let out = assert_cmd::Command::cargo_bin("liveline")
        .unwrap()
        .args([
            "--db",
            db.to_str().unwrap(),
            "--json",
            "entry",
            "add",
            &slug,
        ])
        .args(["--title", "From the CLI", "--publish"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(watch.poll().unwrap(), "the CLI's commit is seen");
    assert!(!watch.poll().unwrap(), "and only once");
    assert_eq!(f.titles(&slug), ["From the CLI"]);
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn image_width(bytes: &[u8]) -> u32 {
    image::load_from_memory(bytes).unwrap().width()
}
