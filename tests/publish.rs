//! Publishing through the core: a valid JSON Feed 1.1 (checked with the
//! official schema and a parser we did not write), nothing unpublished
//! leaks, sanitized HTML against XSS payloads, exact media, incremental and
//! atomic writes, refusals that write nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use liveline::blocks::{Block, Span};
use liveline::model::{EntryEdit, Initial, NewBlog, NewEntry, Placement};
use liveline::photos::{PhotoEdit, PhotoText};
use liveline::publish::{publish, PublishReport, PublishRequest};
use liveline::Store;
use serde_json::Value;
use uuid::Uuid;

const JSON_FEED_SCHEMA: &str = include_str!("../../shared/specs/jsonfeed-1.1.schema.json");

mod common;
use common::photo_path;

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
}

impl Fixture {
    fn new(zone: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("cov.db")).unwrap();
        store
            .create_blog(NewBlog {
                title: "Flood watch".into(),
                slug: Some("flood".into()),
                timezone: Some(zone.into()),
                summary: Some("Rivers rise across the valley.".into()),
                ..Default::default()
            })
            .unwrap();
        Fixture { dir, store }
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn entry(&mut self, title: &str, blocks: Vec<Block>, initial: Initial) -> Uuid {
        self.store
            .add_entry(
                "flood",
                NewEntry {
                    title: title.into(),
                    blocks,
                    author: Some("Ana Ruiz".into()),
                    initial,
                    ..Default::default()
                },
            )
            .unwrap()
            .id
    }

    fn text_entry(&mut self, title: &str, initial: Initial) -> Uuid {
        let body = vec![Block::paragraph(format!("Body of {title}."))];
        self.entry(title, body, initial)
    }

    fn photo(&mut self, entry: Uuid, name: &str, credit: &str) -> Uuid {
        let text = PhotoText {
            credit: Some(credit.into()),
            caption: Some(format!("Caption of {name}")),
            alt: Some(format!("Alt of {name}")),
        };
        self.store
            .add_photo(entry, &photo_path(name), text, &|_| {})
            .unwrap()
            .id
    }

    fn publish(&mut self, base_url: Option<&str>) -> liveline::Result<PublishReport> {
        let request = PublishRequest {
            out_dir: Some(self.out()),
            base_url: base_url.map(str::to_string),
            page_size: Some(3),
        };
        publish(&mut self.store, "flood", request, &|_| {})
    }

    fn read_json(&self, name: &str) -> Value {
        let text = std::fs::read_to_string(self.out().join(name)).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// Every file under the output folder: name -> (bytes, modified).
    fn files(&self) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
        let mut files = BTreeMap::new();
        let root = self.out();
        for dir in [root.clone(), root.join("media")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_file() {
                    let path = entry.path();
                    let name = path.strip_prefix(&root).unwrap().display().to_string();
                    let modified = entry.metadata().unwrap().modified().unwrap();
                    files.insert(name, (std::fs::read(&path).unwrap(), modified));
                }
            }
        }
        files
    }

    /// Items of every page, following next_url from feed.json.
    fn all_items(&self) -> Vec<Value> {
        let mut items = Vec::new();
        let mut page = Some("feed.json".to_string());
        while let Some(name) = page {
            let feed = self.read_json(&name);
            items.extend(feed["items"].as_array().unwrap().iter().cloned());
            page = feed["next_url"]
                .as_str()
                .map(|u| u.rsplit('/').next().unwrap().to_string());
        }
        items
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_feed_is_valid_json_feed_for_the_schema_and_an_independent_parser() {
    let mut f = Fixture::new("Asia/Kolkata");
    let with_photo = f.text_entry("Levee breached", Initial::Published);
    f.photo(with_photo, "boats.jpg", "Ana Ruiz/Agency");
    for i in 0..7 {
        f.text_entry(&format!("Update {i}"), Initial::Published);
    }
    let report = f.publish(Some("https://news.example/live/flood")).unwrap();
    assert_eq!((report.entries, report.pages), (8, 2));

    let schema: Value = serde_json::from_str(JSON_FEED_SCHEMA).unwrap();
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    for name in ["feed.json", "feed-1.json"] {
        let page = f.read_json(name);
        let errors: Vec<String> = validator
            .iter_errors(&page)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert_eq!(page["version"], "https://jsonfeed.org/version/1.1");
        // feed-rs: a JSON Feed parser we did not write.
        let bytes = std::fs::read(f.out().join(name)).unwrap();
        let parsed = feed_rs::parser::parse(&bytes[..]).expect("feed-rs parses the page");
        assert_eq!(
            parsed.entries.len(),
            page["items"].as_array().unwrap().len()
        );
        assert_eq!(parsed.title.unwrap().content, "Flood watch");
    }
    let first = f.read_json("feed.json");
    assert_eq!(first["home_page_url"], "https://news.example/live/flood/");
    assert_eq!(
        first["feed_url"],
        "https://news.example/live/flood/feed.json"
    );
    assert_eq!(
        first["next_url"],
        "https://news.example/live/flood/feed-1.json"
    );
    // Times carry the blog's offset, never the machine's.
    let published = first["items"][0]["date_published"].as_str().unwrap();
    assert!(published.ends_with("+05:30"), "{published}");
    assert_eq!(first["_liveline"]["timezone"], "Asia/Kolkata");
    assert_eq!(first["_liveline"]["entry_count"], 8);
    // The photo entry: image, figure with credit, every rendition absolute.
    let item = f
        .all_items()
        .into_iter()
        .find(|i| i["id"] == with_photo.to_string())
        .unwrap();
    let html = item["content_html"].as_str().unwrap();
    assert!(
        html.contains("<figure") && html.contains("Credit: Ana Ruiz/Agency"),
        "{html}"
    );
    let block = &item["_liveline"]["blocks"][1];
    assert_eq!(block["type"], "photo");
    assert_eq!(block["credit"], "Ana Ruiz/Agency");
    assert_eq!(block["renditions"].as_array().unwrap().len(), 10);
    for r in block["renditions"].as_array().unwrap() {
        let url = r["url"].as_str().unwrap();
        assert!(
            url.starts_with("https://news.example/live/flood/media/"),
            "{url}"
        );
        let file = f
            .out()
            .join(url.trim_start_matches("https://news.example/live/flood/"));
        assert!(file.is_file(), "{}", file.display());
    }
    assert!(item["image"].as_str().unwrap().ends_with(".jpg"));
}

#[test]
fn without_a_base_url_links_are_relative_and_pages_chain() {
    let mut f = Fixture::new("Europe/London");
    for i in 0..10 {
        f.text_entry(&format!("Update {i}"), Initial::Published);
    }
    let report = f.publish(None).unwrap();
    // Such a feed is a local preview, not valid JSON Feed 1.1: the report says so.
    assert!(
        report.warnings[0].starts_with("no base URL: links are relative"),
        "{:?}",
        report.warnings
    );
    let first = f.read_json("feed.json");
    assert!(first.get("home_page_url").is_none() && first.get("feed_url").is_none());
    let with_base = f.publish(Some("https://news.example/live/")).unwrap();
    assert!(
        !with_base.warnings.iter().any(|w| w.contains("base URL")),
        "{:?}",
        with_base.warnings
    );
    f.publish(Some("")).unwrap();
    assert_eq!(first["next_url"], "feed-2.json");
    let items = f.all_items();
    assert_eq!(items.len(), 10);
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    let expected: Vec<String> = (0..10).rev().map(|i| format!("Update {i}")).collect();
    assert_eq!(titles, expected, "editorial order, newest on top");
}

#[test]
fn nothing_unpublished_leaks_into_any_file() {
    let mut f = Fixture::new("UTC");
    let public = f.text_entry("PUBLIC-TITLE", Initial::Published);
    let draft = f.text_entry("DRAFT-SECRET", Initial::Draft);
    let ready = f.text_entry("READY-SECRET", Initial::Ready);
    let gone = f.text_entry("RETRACTED-SECRET", Initial::Published);
    let draft_photo = f.photo(draft, "cups.jpg", "Draft Credit");
    f.store.retract(gone).unwrap();
    f.publish(None).unwrap();

    let draft_files: BTreeSet<String> = f
        .store
        .photo(draft_photo)
        .unwrap()
        .renditions
        .iter()
        .map(|r| {
            Path::new(&r.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let files = f.files();
    for (name, (bytes, _)) in &files {
        let text = String::from_utf8_lossy(bytes);
        for secret in [
            "DRAFT-SECRET",
            "READY-SECRET",
            "RETRACTED-SECRET",
            "Draft Credit",
        ] {
            assert!(!text.contains(secret), "{secret} leaked into {name}");
        }
        for id in [draft, ready, draft_photo] {
            assert!(!text.contains(&id.to_string()), "{id} leaked into {name}");
        }
        assert!(
            !draft_files.iter().any(|d| name.ends_with(d.as_str())),
            "{name}"
        );
    }
    let feed = f.read_json("feed.json");
    assert_eq!(ids(feed["items"].as_array().unwrap()), [public.to_string()]);
    // The retracted id appears once: in the tombstones, for polling sites.
    assert_eq!(
        feed["_liveline"]["retracted"],
        serde_json::json!([gone.to_string()])
    );
    assert!(
        files.keys().all(|n| !n.starts_with("media/")),
        "no published photo, no media"
    );
}

/// Payloads from the XSS filter evasion lists, in every text field.
const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<style>body{display:none}</style>",
    "\"><script>alert(1)</script>",
    "'';!--\"<XSS>=&{()}",
    "<body onload=alert(1)>",
    "<math><mi xlink:href=\"data:x,<script>alert(1)</script>\">",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "</p><div onclick=alert(1)>x</div>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "javascript:alert(1)",
];

#[test]
fn xss_payloads_never_reach_content_html_as_markup() {
    let mut f = Fixture::new("UTC");
    let mut made = Vec::new();
    for payload in XSS {
        let blocks = vec![
            Block::Paragraph {
                content: vec![
                    Span::plain(*payload),
                    Span {
                        text: (*payload).into(),
                        bold: true,
                        italic: true,
                        link: Some("https://example.org/?q=\"><script>".into()),
                    },
                ],
            },
            Block::Quote {
                text: (*payload).into(),
                attribution: Some((*payload).into()),
            },
            Block::Embed {
                url: "https://example.org/video".into(),
                intro: Some((*payload).into()),
            },
        ];
        let id = f.entry(payload, blocks, Initial::Draft);
        let photo = f.photo(id, "boats.jpg", payload);
        f.store
            .edit_photo(
                photo,
                PhotoEdit {
                    caption: Some((*payload).into()),
                    alt: Some((*payload).into()),
                    ..Default::default()
                },
            )
            .unwrap();
        f.store.publish(id).unwrap();
        made.push(id);
    }
    f.publish(None).unwrap();
    let items = f.all_items();
    assert_eq!(items.len(), XSS.len());
    let allowed: BTreeSet<&str> = [
        "p",
        "strong",
        "em",
        "a",
        "blockquote",
        "footer",
        "cite",
        "figure",
        "figcaption",
        "picture",
        "source",
        "img",
        "span",
        "html",
        "head",
        "body",
    ]
    .into();
    for item in &items {
        let html = item["content_html"].as_str().unwrap();
        let doc = scraper::Html::parse_fragment(html);
        for node in doc.tree.nodes() {
            if let Some(element) = node.value().as_element() {
                assert!(
                    allowed.contains(element.name()),
                    "<{}> in {html}",
                    element.name()
                );
                for (name, value) in element.attrs() {
                    assert!(!name.starts_with("on"), "{name}= in {html}");
                    assert_ne!(name, "style", "{html}");
                    if !matches!(name, "href" | "src" | "srcset") {
                        continue; // other attributes are text (alt may say anything)
                    }
                    let value = value.trim().to_ascii_lowercase();
                    assert!(
                        !value.starts_with("javascript:") && !value.starts_with("data:"),
                        "{name}={value} in {html}"
                    );
                }
            }
        }
        // The text survives as text.
        assert!(item["content_text"]
            .as_str()
            .unwrap()
            .contains(item["title"].as_str().unwrap()));
    }
}

/// A web server reads the publication as another user: every file is
/// readable by all (as far as the umask lets), not private like a temp file.
#[cfg(target_os = "linux")]
#[test]
fn published_files_are_readable_by_the_web_server() {
    use std::os::unix::fs::PermissionsExt;
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let umask = status
        .lines()
        .find_map(|l| l.strip_prefix("Umask:"))
        .map(|m| u32::from_str_radix(m.trim(), 8).unwrap())
        .unwrap();
    let mut f = Fixture::new("UTC");
    let a = f.text_entry("With boats", Initial::Published);
    f.photo(a, "boats.jpg", "Credit A");
    f.publish(None).unwrap();
    let names: Vec<String> = f.files().into_keys().collect();
    assert!(names.iter().any(|n| n.starts_with("media/")), "{names:?}");
    for name in names {
        let mode = std::fs::metadata(f.out().join(&name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644 & !umask, "{name}");
    }
}

#[test]
fn media_holds_exactly_the_renditions_published_entries_use() {
    let mut f = Fixture::new("UTC");
    let a = f.text_entry("With boats", Initial::Published);
    let boats = f.photo(a, "boats.jpg", "Credit A");
    let b = f.text_entry("With cups", Initial::Published);
    f.photo(b, "cups.jpg", "Credit B");
    f.publish(None).unwrap();
    let expected = |f: &Fixture, photos: &[Uuid]| -> BTreeSet<String> {
        photos
            .iter()
            .flat_map(|p| f.store.photo(*p).unwrap().renditions)
            .map(|r| {
                format!(
                    "media/{}",
                    Path::new(&r.path).file_name().unwrap().to_string_lossy()
                )
            })
            .collect()
    };
    let cups = f.store.entry(b).unwrap().photos[0].id;
    let media = |f: &Fixture| -> BTreeSet<String> {
        f.files()
            .into_keys()
            .filter(|n| n.starts_with("media/"))
            .collect()
    };
    assert_eq!(media(&f), expected(&f, &[boats, cups]));
    assert_eq!(media(&f).len(), 20);
    // Remove the cups photo from its entry: its renditions leave media/.
    f.store
        .edit_entry(
            b,
            EntryEdit {
                blocks: Some(vec![Block::paragraph("No photo now.")]),
                ..Default::default()
            },
        )
        .unwrap();
    let report = f.publish(None).unwrap();
    assert_eq!(report.files_removed, 10);
    assert_eq!(media(&f), expected(&f, &[boats]));
}

#[test]
fn republishing_after_one_edit_rewrites_only_what_changed() {
    let mut f = Fixture::new("UTC");
    let mut entries = Vec::new();
    for i in 0..12 {
        entries.push(f.text_entry(&format!("Update {i}"), Initial::Published));
    }
    let first = f.publish(None).unwrap();
    assert_eq!(first.pages, 4); // 3 + 3 + 3 + first page of 3
    let before = f.files();

    // Nothing changed: only the files that carry the generation time.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = f.publish(None).unwrap();
    let after = f.files();
    let changed = |before: &BTreeMap<_, (Vec<u8>, SystemTime)>,
                   after: &BTreeMap<String, (Vec<u8>, SystemTime)>| {
        after
            .iter()
            .filter(|(n, v)| before.get(*n) != Some(*v))
            .map(|(n, _)| n.clone())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        changed(&before, &after),
        ["feed.json", "index.html"].map(String::from).into()
    );
    assert_eq!(again.files_written, 2);

    // Edit the oldest entry (on feed-1.json): that page changes, others keep bytes and mtimes.
    std::thread::sleep(std::time::Duration::from_millis(20));
    f.store
        .edit_entry(
            entries[0],
            EntryEdit {
                title: Some("Update 0, corrected".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let report = f.publish(None).unwrap();
    assert!(report.incremental, "an edit in place needs no full pass");
    let edited = f.files();
    assert_eq!(
        changed(&after, &edited),
        ["feed-1.json", "feed.json", "index.html", "liveblog.jsonld"]
            .map(String::from)
            .into()
    );

    // A new entry on top changes only the first page (and what is made from it).
    std::thread::sleep(std::time::Duration::from_millis(20));
    f.text_entry("Breaking", Initial::Published);
    assert!(
        !f.publish(None).unwrap().incremental,
        "a new entry enters the feed"
    );
    let topped = f.files();
    let diff = changed(&edited, &topped);
    assert!(!diff.iter().any(|n| n.starts_with("feed-")), "{diff:?}");
    assert!(diff.contains("feed.json") && diff.contains("liveblog.jsonld"));
    assert_eq!(f.all_items().len(), 13);
}

#[test]
fn moves_pins_and_retractions_reach_the_feed() {
    let mut f = Fixture::new("UTC");
    let a = f.text_entry("A", Initial::Published);
    let b = f.text_entry("B", Initial::Published);
    let c = f.text_entry("C", Initial::Published);
    f.store.set_pinned(a, true).unwrap();
    f.store.set_key_event(b, true).unwrap();
    f.store.move_entry(b, Placement::Bottom).unwrap();
    f.publish(None).unwrap();
    let items = f.all_items();
    assert_eq!(ids(&items), [a, c, b].map(|i| i.to_string()));
    assert_eq!(items[0]["_liveline"]["pinned"], true);
    let feed = f.read_json("feed.json");
    assert_eq!(feed["_liveline"]["key_events"][0]["id"], b.to_string());
    f.store.retract(c).unwrap();
    f.publish(None).unwrap();
    assert_eq!(ids(&f.all_items()), [a, b].map(|i| i.to_string()));
    assert_eq!(
        f.read_json("feed.json")["_liveline"]["retracted"][0],
        c.to_string()
    );
}

#[test]
fn liveblog_jsonld_is_a_live_blog_posting() {
    let mut f = Fixture::new("Europe/Berlin");
    let id = f.text_entry("Dam holds", Initial::Published);
    f.photo(id, "boats.jpg", "Ana Ruiz");
    f.publish(Some("https://news.example/flood/")).unwrap();
    let ld = f.read_json("liveblog.jsonld");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "LiveBlogPosting");
    assert_eq!(ld["headline"], "Flood watch");
    assert_eq!(ld["description"], "Rivers rise across the valley.");
    assert!(ld["coverageStartTime"].as_str().unwrap().len() > 20);
    assert!(ld.get("coverageEndTime").is_none());
    let update = &ld["liveBlogUpdate"][0];
    assert_eq!(update["@type"], "BlogPosting");
    assert_eq!(update["headline"], "Dam holds");
    assert_eq!(update["author"][0]["name"], "Ana Ruiz");
    assert!(update["image"]
        .as_str()
        .unwrap()
        .starts_with("https://news.example/flood/media/"));
    assert!(update["articleBody"]
        .as_str()
        .unwrap()
        .contains("Body of Dam holds."));
    f.store.end_blog("flood").unwrap();
    f.publish(None).unwrap();
    assert!(f.read_json("liveblog.jsonld")["coverageEndTime"].is_string());
    let feed = f.read_json("feed.json");
    assert_eq!(feed["expired"], true);
    assert_eq!(feed["_liveline"]["status"], "ended");
}

#[test]
fn refusals_write_nothing() {
    let mut f = Fixture::new("UTC");
    let id = f.text_entry("With photo", Initial::Published);
    let photo = f.photo(id, "boats.jpg", "Ana Ruiz");
    f.publish(None).unwrap();
    let before = f.files();

    // An uncredited photo on a published entry (only a damaged or hand-edited
    // database can have one: the store refuses to make it).
    let conn = rusqlite::Connection::open(f.dir.path().join("cov.db")).unwrap();
    conn.execute(
        "UPDATE photos SET credit = NULL WHERE id = ?1",
        [photo.to_string()],
    )
    .unwrap();
    conn.execute(
        "UPDATE entries SET revision = revision + 1 WHERE id = ?1",
        [id.to_string()],
    )
    .unwrap();
    drop(conn);
    let err = f.publish(None).unwrap_err();
    let message = err.to_string();
    assert_eq!(err.code(), "conflict");
    assert!(
        message.contains(&id.to_string()) && message.contains(&photo.to_string()),
        "{message}"
    );
    assert_eq!(f.files(), before, "nothing written");
    let conn = rusqlite::Connection::open(f.dir.path().join("cov.db")).unwrap();
    conn.execute(
        "UPDATE photos SET credit = 'Ana Ruiz' WHERE id = ?1",
        [photo.to_string()],
    )
    .unwrap();
    drop(conn);

    // An output folder that cannot be made.
    let blocker = f.dir.path().join("a-file");
    std::fs::write(&blocker, b"x").unwrap();
    let request = PublishRequest {
        out_dir: Some(blocker.join("site")),
        ..Default::default()
    };
    let err = publish(&mut f.store, "flood", request, &|_| {}).unwrap_err();
    assert_eq!(err.code(), "io", "{err}");
    assert_eq!(std::fs::read(&blocker).unwrap(), b"x");

    // Unknown blog; bad page size; bad base URL.
    let request = PublishRequest {
        out_dir: Some(f.out()),
        ..Default::default()
    };
    assert_eq!(
        publish(&mut f.store, "nope", request.clone(), &|_| {})
            .unwrap_err()
            .code(),
        "not_found"
    );
    for (page_size, base) in [
        (Some(0), None),
        (Some(501), None),
        (None, Some("ftp://x/")),
        (None, Some("not a url")),
        (None, Some("http://\"onmouseover=\"alert(1)/")),
        (None, Some("https://news.example<script>/live/")),
        (None, Some("https://editor:secret@news.example/live/")),
    ] {
        let request = PublishRequest {
            page_size,
            base_url: base.map(String::from),
            ..request.clone()
        };
        let err = publish(&mut f.store, "flood", request, &|_| {}).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{err}");
    }
    assert_eq!(f.files(), before, "nothing written");
}

#[test]
fn a_media_link_pointing_elsewhere_is_refused() {
    let mut f = Fixture::new("UTC");
    f.text_entry("One", Initial::Published);
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(f.out()).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(elsewhere.path(), f.out().join("media")).unwrap();
        let err = f.publish(None).unwrap_err();
        assert!(err.to_string().contains("not a folder"), "{err}");
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
}

#[test]
fn settings_are_saved_and_reused() {
    let mut f = Fixture::new("UTC");
    f.text_entry("One", Initial::Published);
    f.publish(Some("https://news.example/x")).unwrap();
    let saved = f.store.publish_settings("flood").unwrap().unwrap();
    assert_eq!(saved.page_size, 3);
    assert_eq!(saved.base_url.as_deref(), Some("https://news.example/x"));
    assert_eq!(
        Path::new(&saved.out_dir),
        std::path::absolute(f.out()).unwrap()
    );
    // No flags: the saved settings.
    let report = publish(&mut f.store, "flood", PublishRequest::default(), &|_| {}).unwrap();
    assert_eq!(report.page_size, 3);
    assert_eq!(report.base_url.as_deref(), Some("https://news.example/x/"));
}

#[test]
fn the_committed_feed_schema_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/feed.schema.json");
    let fresh = liveline::publish::feed::schema_json();
    if std::env::var_os("LIVELINE_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/feed.schema.json is stale: run `LIVELINE_WRITE_SCHEMA=1 cargo test --test publish the_committed_feed_schema_is_fresh` and commit it"
    );
}

#[test]
fn every_published_page_validates_against_the_committed_liveline_schema() {
    let mut f = Fixture::new("UTC");
    let id = f.text_entry("With photo", Initial::Published);
    f.photo(id, "boats.jpg", "Ana Ruiz");
    for i in 0..8 {
        f.text_entry(&format!("Update {i}"), Initial::Published);
    }
    // An entry without a byline has no `authors`: the schema must allow it.
    f.store
        .add_entry(
            "flood",
            NewEntry {
                title: "No byline".into(),
                blocks: vec![Block::paragraph("Agency copy.")],
                initial: Initial::Published,
                ..Default::default()
            },
        )
        .unwrap();
    f.publish(None).unwrap();
    assert!(f.read_json("feed.json")["items"][0]
        .get("authors")
        .is_none());
    let schema: Value = serde_json::from_str(&liveline::publish::feed::schema_json()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for name in ["feed.json", "feed-1.json", "feed-2.json"] {
        let page = f.read_json(name);
        let errors: Vec<String> = validator
            .iter_errors(&page)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn a_reader_polling_during_publishes_always_sees_a_whole_feed() {
    let mut f = Fixture::new("UTC");
    for i in 0..30 {
        f.text_entry(&format!("Update {i}"), Initial::Published);
    }
    f.publish(None).unwrap();
    let feed = f.out().join("feed.json");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let (mut reads, mut titles) = (0u32, BTreeSet::new());
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let bytes = std::fs::read(&feed).expect("feed.json is always there");
                let page: Value = serde_json::from_slice(&bytes)
                    .unwrap_or_else(|e| panic!("partial feed.json ({e}): {} bytes", bytes.len()));
                titles.insert(page["items"][0]["title"].as_str().unwrap().to_string());
                reads += 1;
            }
            (reads, titles)
        })
    };
    for i in 0..25 {
        f.text_entry(&format!("Breaking {i}"), Initial::Published);
        f.publish(None).unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (reads, titles) = reader.join().expect("the reader saw only whole feeds");
    assert!(reads > 25, "the reader polled {reads} times");
    assert!(
        titles.len() > 1,
        "the reader saw the feed change: {titles:?}"
    );
}

/// One change to a blog, between two publishes.
type Step = Box<dyn Fn(&mut Fixture, &mut Vec<Uuid>)>;

/// Incremental publishes must give exactly what a fresh full publish gives.
#[test]
fn incremental_publishes_match_a_fresh_full_publish() {
    let mut f = Fixture::new("America/New_York");
    let mut ids: Vec<Uuid> = (0..14)
        .map(|i| f.text_entry(&format!("Update {i}"), Initial::Published))
        .collect();
    let with_photo = ids[2];
    f.photo(with_photo, "boats.jpg", "Ana Ruiz");
    f.publish(None).unwrap();
    let draft = f.text_entry("Draft", Initial::Draft);
    let steps: Vec<Step> = vec![
        Box::new(|f, ids| {
            let edit = EntryEdit {
                title: Some("Edited deep".into()),
                ..Default::default()
            };
            f.store.edit_entry(ids[1], edit).unwrap();
        }),
        Box::new(move |f, _| {
            let edit = EntryEdit {
                title: Some("Draft edit".into()),
                ..Default::default()
            };
            f.store.edit_entry(draft, edit).unwrap();
        }),
        Box::new(|f, ids| ids.push(f.text_entry("On top", Initial::Published))),
        Box::new(|f, ids| {
            f.store.set_pinned(ids[5], true).unwrap();
        }),
        Box::new(|f, ids| {
            f.store.set_key_event(ids[7], true).unwrap();
        }),
        Box::new(|f, ids| {
            f.store.move_entry(ids[0], Placement::Top).unwrap();
        }),
        Box::new(|f, ids| {
            f.store.retract(ids[9]).unwrap();
        }),
        Box::new(move |f, _| {
            let blocks = vec![Block::paragraph("Photo removed.")];
            let edit = EntryEdit {
                blocks: Some(blocks),
                ..Default::default()
            };
            f.store.edit_entry(with_photo, edit).unwrap();
        }),
        Box::new(move |f, _| {
            f.store.publish(draft).unwrap();
        }),
    ];
    let masked = |bytes: &[u8]| -> String {
        let text = String::from_utf8_lossy(bytes).into_owned();
        // The generation time is the one thing that differs between runs.
        let re = |t: &str| t.split("\"generated_at\"").next().unwrap().to_string();
        if text.contains("\"generated_at\"") {
            let tail = text.split("\"generated_at\"").nth(1).unwrap();
            let after = &tail[tail.find(',').unwrap()..];
            format!("{}{after}", re(&text))
        } else {
            text
        }
    };
    for (n, step) in steps.iter().enumerate() {
        step(&mut f, &mut ids);
        f.publish(None).unwrap();
        let fresh_dir = f.dir.path().join(format!("fresh-{n}"));
        let request = PublishRequest {
            out_dir: Some(fresh_dir.clone()),
            page_size: Some(3),
            ..Default::default()
        };
        publish(&mut f.store, "flood", request, &|_| {}).unwrap();
        let incremental = f.files();
        let fresh_fixture_root = fresh_dir;
        let mut fresh = BTreeMap::new();
        for dir in [fresh_fixture_root.clone(), fresh_fixture_root.join("media")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_file() {
                    let name = entry
                        .path()
                        .strip_prefix(&fresh_fixture_root)
                        .unwrap()
                        .display()
                        .to_string();
                    fresh.insert(name, std::fs::read(entry.path()).unwrap());
                }
            }
        }
        let names: Vec<&String> = incremental.keys().collect();
        assert_eq!(
            names,
            fresh.keys().collect::<Vec<_>>(),
            "step {n}: same files"
        );
        for (name, (bytes, _)) in &incremental {
            if name == "index.html" {
                continue; // carries feed.json inline, generation time included
            }
            assert_eq!(
                masked(bytes),
                masked(&fresh[name]),
                "step {n}: {name} differs"
            );
        }
    }
}

/// Names (and sizes) of everything under `dir`, recursively.
fn tree(dir: &Path) -> BTreeSet<(String, u64)> {
    let mut found = BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let meta = std::fs::symlink_metadata(entry.path()).unwrap();
            if meta.is_dir() {
                todo.push(entry.path());
            }
            let name = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .display()
                .to_string();
            found.insert((name, if meta.is_file() { meta.len() } else { 0 }));
        }
    }
    found
}

#[test]
fn the_database_folder_and_the_media_folder_are_refused_as_output() {
    let mut f = Fixture::new("UTC");
    let id = f.entry("One", vec![], Initial::Published);
    f.photo(id, "boats.jpg", "Ana Ruiz");
    let root = f.dir.path().to_path_buf();
    let media = root.join("cov.media");
    assert!(media.is_dir());
    let mut refused = vec![
        root.clone(),
        root.join("."),
        media.clone(),
        media.join("renditions-to-be"),
        root.join("not-yet")
            .join("..")
            .join("cov.media")
            .join("deep"),
        root.parent().unwrap().to_path_buf(),
    ];
    let links = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        let link = links.path().join("to-db");
        std::os::unix::fs::symlink(&root, &link).unwrap();
        refused.push(link.join("cov.media"));
        refused.push(link);
    }
    let before = tree(&root);
    for out in refused {
        let request = PublishRequest {
            out_dir: Some(out.clone()),
            ..Default::default()
        };
        let err = publish(&mut f.store, "flood", request, &|_| {}).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{}: {err}", out.display());
        assert!(err.to_string().contains("cannot publish into"), "{err}");
        assert_eq!(tree(&root), before, "{}: nothing written", out.display());
    }
    assert!(f.store.publish_settings("flood").unwrap().is_none());
    // A folder of its own beside the database is fine.
    f.publish(None).unwrap();
}
