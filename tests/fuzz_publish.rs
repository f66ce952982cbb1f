//! Fuzzing feed rendering and the HTML sanitizer with proptest.
//!
//! - `content_html_is_safe_for_any_blocks`: `publish::html::content_html`
//!   (the builder, then ammonia) on blocks that never went through
//!   validation (`javascript:` links and photo URLs, markup in every text):
//!   the HTML, parsed again by an HTML5 parser, holds only allow-listed
//!   elements, no `on*` or `style` attribute, no URL but http(s), mailto or
//!   relative, and every text as text.
//! - `published_entries_are_valid_json_and_safe_html`: a whole publish
//!   through the store of an entry with arbitrary title, byline, body and a
//!   photo with arbitrary credit, caption and alt text. What the store
//!   refuses is refused as `invalid_input` (or `conflict`) and leaves no
//!   entry behind; what it takes comes out in `feed.json` as valid JSON with
//!   the same texts, in `content_html` as above, in `index.html` as data in
//!   its one JSON script (no other script), and in `liveblog.jsonld` as
//!   JSON that is safe to inline.
//!
//! Case counts (defaults; see support.rs): content_html 3,000; publish
//! 200. About 15 s in a debug build on 2 cores (the publishes wait on
//! fsync).

use std::path::{Path, PathBuf};

use liveline::blocks::{Block, Span};
use liveline::model::{EntryEdit, Initial, NewBlog, NewEntry};
use liveline::photos::PhotoText;
use liveline::publish::feed::{FeedBlock, FeedPhoto, FeedRendition};
use liveline::publish::{html, publish, PublishRequest};
use liveline::Store;
use proptest::prelude::*;
use scraper::{ElementRef, Html, Node};
use serde_json::Value;

#[path = "fuzz/support.rs"]
mod support;

/// What `content_html` may contain (docs/feed.md), plus the wrappers an
/// HTML5 parser adds around a fragment.
const ALLOWED: &[&str] = &[
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
];

/// Pieces that attack HTML, JSON and URLs, and text that tends to break
/// escaping.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "</script>",
    "<script",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=//evil.example>",
    "<style>*{display:none}</style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<p>",
    "</p>",
    "</blockquote>",
    "&lt;",
    "&amp;",
    "&#x3C;script&#x3E;",
    "\\u003c",
    "\\",
    "\"",
    "'",
    "`",
    "{{TITLE}}",
    "{{FEED_JSON}}",
    "{{",
    "}}",
    "\u{2028}",
    "\u{2029}",
    "\u{202e}",
    "\u{feff}",
    "\u{0}",
    "\u{1b}[31m",
    "\r",
    "\n",
    "\t",
    " ",
    "é",
    "字",
    "🙂",
    "\u{fffd}",
    "\u{ffff}",
    "Ana Ruiz",
    "word",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(HOSTILE).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

/// Like [`hostile`] without the control characters the store refuses in
/// text (all but tab and newline): most of it gets as far as a publish.
fn printable() -> impl Strategy<Value = String> {
    hostile().prop_map(|s| s.replace(|c: char| c.is_control() && c != '\n' && c != '\t', ""))
}

/// Mostly [`printable`], sometimes [`hostile`].
fn text() -> impl Strategy<Value = String> {
    prop_oneof![12 => printable(), 1 => hostile()]
}

/// One line of [`text`], never blank.
fn line() -> impl Strategy<Value = String> {
    text().prop_map(|s| format!("x{}", s.replace(['\n', '\r', '\t'], " ")))
}

/// Mostly URLs the store takes, with hostile paths.
fn stored_url() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => printable().prop_map(|s| format!("https://example.org/{}", s.replace(['\n', '\t'], ""))),
        1 => url(),
    ]
}

fn stored_block() -> impl Strategy<Value = Block> {
    let span = (
        text(),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(stored_url()),
    )
        .prop_map(|(text, bold, italic, link)| Span {
            text: format!("x{text}"),
            bold,
            italic,
            link,
        });
    prop_oneof![
        4 => prop::collection::vec(span, 1..4).prop_map(|content| Block::Paragraph { content }),
        2 => (line(), prop::option::of(line()))
            .prop_map(|(text, attribution)| Block::Quote { text, attribution }),
        2 => (stored_url(), prop::option::of(line()))
            .prop_map(|(url, intro)| Block::Embed { url, intro }),
        1 => block(),
    ]
}

const URLS: &[&str] = &[
    "https://example.org/",
    "http://a.example/?q=\"><script>alert(1)</script>",
    "https://b.example/a'b\"c<d>e",
    "mailto:desk@example.org",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\nscript:alert(1)",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "/relative",
    "//evil.example/x",
    "media/photo-1.jpg",
    "https://",
    "",
];

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(URLS).prop_map(str::to_string),
        1 => hostile().prop_map(|s| format!("https://example.org/{s}")),
        1 => hostile(),
    ]
}

fn span() -> impl Strategy<Value = Span> {
    (
        hostile(),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(url()),
    )
        .prop_map(|(text, bold, italic, link)| Span {
            text,
            bold,
            italic,
            link,
        })
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        4 => prop::collection::vec(span(), 1..4).prop_map(|content| Block::Paragraph { content }),
        2 => (hostile(), prop::option::of(hostile()))
            .prop_map(|(text, attribution)| Block::Quote { text, attribution }),
        2 => (url(), prop::option::of(hostile())).prop_map(|(url, intro)| Block::Embed { url, intro }),
        1 => hostile().prop_map(|photo_id| Block::Photo { photo_id }),
    ]
}

fn feed_photo() -> impl Strategy<Value = FeedPhoto> {
    (
        hostile(),
        prop::option::of(hostile()),
        hostile(),
        prop::option::of(hostile()),
        prop::collection::vec(
            (
                url(),
                1u32..3000,
                prop::sample::select(&["image/jpeg", "image/webp"][..]),
            ),
            0..4,
        ),
    )
        .prop_map(|(photo_id, caption, credit, alt, renditions)| FeedPhoto {
            photo_id,
            caption,
            credit,
            alt,
            width: 640,
            height: 400,
            placeholder: String::new(),
            renditions: renditions
                .into_iter()
                .map(|(url, width, mime)| FeedRendition {
                    url,
                    width,
                    height: width / 2 + 1,
                    mime: mime.to_string(),
                })
                .collect(),
        })
}

fn feed_block() -> impl Strategy<Value = FeedBlock> {
    prop_oneof![
        4 => prop::collection::vec(span(), 0..4).prop_map(|content| FeedBlock::Paragraph { content }),
        2 => (hostile(), prop::option::of(hostile()))
            .prop_map(|(text, attribution)| FeedBlock::Quote { text, attribution }),
        2 => (url(), prop::option::of(hostile())).prop_map(|(url, intro)| FeedBlock::Embed { url, intro }),
        2 => feed_photo().prop_map(FeedBlock::Photo),
    ]
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/// A URL is safe in a feed when it is relative or http(s)/mailto. Browsers
/// drop ASCII tabs and newlines and leading spaces and controls before
/// reading a scheme, so this does too.
fn safe_url(raw: &str) -> bool {
    let cleaned: String = raw
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    let Some(colon) = lower.find(':') else {
        return true;
    };
    let before = &lower[..colon];
    // Only a letter then letters, digits, `+`, `-` or `.` make a scheme
    // (the URL standard); before any other colon the URL is relative.
    let is_scheme = before.starts_with(|c: char| c.is_ascii_alphabetic())
        && before
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !is_scheme || matches!(before, "http" | "https" | "mailto")
}

/// The HTML promises that hold whatever went in.
fn check_safe_html(html: &str) -> Result<Html, TestCaseError> {
    let doc = Html::parse_fragment(html);
    for node in doc.tree.nodes() {
        if let Node::Element(element) = node.value() {
            let name = element.name();
            prop_assert!(ALLOWED.contains(&name), "<{}> in {}", name, html);
            for (attr, value) in element.attrs() {
                prop_assert!(
                    !attr.to_ascii_lowercase().starts_with("on"),
                    "{}= in {}",
                    attr,
                    html
                );
                prop_assert!(attr != "style", "style= in {}", html);
                match attr {
                    "href" | "src" => {
                        prop_assert!(safe_url(value), "{}={:?} in {}", attr, value, html)
                    }
                    "srcset" => {
                        for candidate in value.split(',') {
                            // Browsers split a srcset on ASCII whitespace only.
                            let url = candidate.split_ascii_whitespace().next().unwrap_or("");
                            prop_assert!(safe_url(url), "srcset {:?} in {}", value, html);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(doc)
}

fn text_of(element: ElementRef) -> String {
    element.text().collect()
}

/// The top-level elements of a parsed fragment, in order.
fn top_elements(doc: &Html) -> Vec<ElementRef<'_>> {
    let root = doc.root_element();
    root.children().filter_map(ElementRef::wrap).collect()
}

/// What a text looks like after HTML parsing: the same characters, but an
/// HTML parser turns CRLF and a lone CR into LF and drops NUL (such text is
/// refused by the store anyway).
fn as_parsed(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "")
}

/// The text of spans as an HTML parser reads it. Plain spans are written
/// one after the other with no tag between, so a CR ending one and an LF
/// starting the next are one CRLF; a formatted span is text of its own.
fn spans_as_parsed(spans: &[Span]) -> String {
    let mut text = String::new();
    let mut run = String::new();
    for span in spans {
        if span.bold || span.italic || span.link.is_some() {
            text.push_str(&as_parsed(&std::mem::take(&mut run)));
            text.push_str(&as_parsed(&span.text));
        } else {
            run.push_str(&span.text);
        }
    }
    text.push_str(&as_parsed(&run));
    text
}

/// The same for an attribute value, where NUL becomes U+FFFD.
fn as_parsed_attr(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "\u{fffd}")
}

/// Every text of every block is in `content_html` as text, block by block.
fn check_texts(doc: &Html, blocks: &[FeedBlock]) -> Result<(), TestCaseError> {
    let elements = top_elements(doc);
    let mut at = 0;
    let mut next = |what: &str| -> Result<ElementRef<'_>, TestCaseError> {
        let e = elements.get(at).copied();
        at += 1;
        e.ok_or_else(|| TestCaseError::fail(format!("no element for {what}")))
    };
    for block in blocks {
        match block {
            FeedBlock::Paragraph { content } => {
                let p = next("a paragraph")?;
                prop_assert_eq!(p.value().name(), "p");
                prop_assert_eq!(text_of(p), spans_as_parsed(content));
            }
            FeedBlock::Quote { text, attribution } => {
                let q = next("a quote")?;
                prop_assert_eq!(q.value().name(), "blockquote");
                let mut expected = as_parsed(text);
                if let Some(who) = attribution {
                    expected.push_str(&format!("— {}", as_parsed(who)));
                }
                prop_assert_eq!(text_of(q), expected);
            }
            FeedBlock::Embed { url, intro } => {
                if let Some(intro) = intro {
                    prop_assert_eq!(text_of(next("an intro")?), as_parsed(intro));
                }
                prop_assert_eq!(text_of(next("an embed")?), as_parsed(url));
            }
            FeedBlock::Photo(photo) => {
                let figure = next("a photo")?;
                prop_assert_eq!(figure.value().name(), "figure");
                let mut expected = String::new();
                if let Some(caption) = &photo.caption {
                    expected.push_str(&as_parsed(caption));
                    expected.push(' ');
                }
                expected.push_str(&format!("Credit: {}", as_parsed(&photo.credit)));
                prop_assert_eq!(text_of(figure), expected);
                let img = figure
                    .descendants()
                    .filter_map(ElementRef::wrap)
                    .find(|e| e.value().name() == "img");
                if let Some(img) = img {
                    let alt = img.value().attr("alt").unwrap_or("");
                    prop_assert_eq!(alt, as_parsed_attr(photo.alt.as_deref().unwrap_or("")));
                }
            }
        }
    }
    prop_assert_eq!(at, elements.len(), "elements no block made");
    Ok(())
}

proptest! {
    #![proptest_config(support::config(3_000))]

    #[test]
    fn content_html_is_safe_for_any_blocks(blocks in prop::collection::vec(feed_block(), 0..5)) {
        let _case = support::case(format!("content_html({blocks:?})"));
        let html = html::content_html(&blocks);
        let doc = check_safe_html(&html)?;
        check_texts(&doc, &blocks)?;
        // The plain-text version carries every text as is.
        let text = html::content_text(&blocks);
        for block in &blocks {
            if let FeedBlock::Paragraph { content } = block {
                for span in content {
                    prop_assert!(text.contains(&span.text));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Whole publishes
// ---------------------------------------------------------------------------

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
    photo: PathBuf,
    blogs: u32,
    /// Cases that ended refused (entry or photo), and that were published.
    refused: u32,
    published: u32,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("fuzz.db")).unwrap();
        // A small real photo: a crop of one of the shared test photos, so
        // that imports after the first are found by their hash and cost
        // nothing.
        let photo = dir.path().join("small.png");
        let source = image::open(support_photo("kay-portrait.png")).unwrap();
        source.crop_imm(400, 700, 96, 64).save(&photo).unwrap();
        Fixture {
            dir,
            store,
            photo,
            blogs: 0,
            refused: 0,
            published: 0,
        }
    }

    fn count(&self, table: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.dir.path().join("fuzz.db")).unwrap();
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }
}

fn support_photo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/photos")
        .join(name)
}

#[derive(Debug, Clone)]
struct EntryCase {
    blog_title: String,
    summary: Option<String>,
    title: String,
    author: Option<String>,
    blocks: Vec<Block>,
    credit: Option<String>,
    caption: Option<String>,
    alt: Option<String>,
}

fn entry_case() -> impl Strategy<Value = EntryCase> {
    (
        prop_oneof![1 => hostile(), 3 => line()],
        prop::option::of(text()),
        prop_oneof![1 => hostile(), 10 => line()],
        prop::option::of(prop_oneof![1 => hostile(), 10 => line()]),
        prop::collection::vec(stored_block(), 0..4),
        prop_oneof![1 => Just(None), 4 => prop_oneof![1 => text(), 3 => line()].prop_map(Some)],
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(
            |(blog_title, summary, title, author, blocks, credit, caption, alt)| EntryCase {
                blog_title,
                summary,
                title,
                author,
                blocks,
                credit,
                caption,
                alt,
            },
        )
}

fn refused_clearly(e: &liveline::Error, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(e.code(), "invalid_input" | "conflict" | "not_found"),
        "{}: {} ({})",
        what,
        e,
        e.code()
    );
    prop_assert!(!e.to_string().trim().is_empty());
    Ok(())
}

fn run_entry_case(f: &mut Fixture, case: EntryCase) -> Result<(), TestCaseError> {
    f.blogs += 1;
    let slug = format!("blog-{}", f.blogs);
    let blog = f.store.create_blog(NewBlog {
        title: case.blog_title.clone(),
        slug: Some(slug.clone()),
        timezone: Some("Europe/London".into()),
        summary: case.summary.clone(),
        ..Default::default()
    });
    let blog = match blog {
        Ok(blog) => blog,
        Err(e) => {
            refused_clearly(&e, "blog")?;
            f.store
                .create_blog(NewBlog {
                    title: "Fallback".into(),
                    slug: Some(slug.clone()),
                    timezone: Some("Europe/London".into()),
                    ..Default::default()
                })
                .unwrap()
        }
    };

    let entries_before = f.count("entries");
    let added = f.store.add_entry(
        &slug,
        NewEntry {
            title: case.title.clone(),
            blocks: case.blocks.clone(),
            author: case.author.clone(),
            initial: Initial::Draft,
            ..Default::default()
        },
    );
    let entry = match added {
        Ok(entry) => entry,
        Err(e) => {
            refused_clearly(&e, "entry")?;
            prop_assert_eq!(
                f.count("entries"),
                entries_before,
                "a refused entry was stored"
            );
            f.refused += 1;
            return Ok(());
        }
    };
    prop_assert_eq!(&entry.blocks, &case.blocks, "stored as given");

    let text = PhotoText {
        credit: case.credit.clone(),
        caption: case.caption.clone(),
        alt: case.alt.clone(),
    };
    let photos_before = f.count("photos");
    let mut blocks = case.blocks.clone();
    match f
        .store
        .add_photo_detached(entry.id, &f.photo, text, &|_| {})
    {
        Ok(photo) => blocks.push(Block::Photo {
            photo_id: photo.id.to_string(),
        }),
        Err(e) => {
            refused_clearly(&e, "photo")?;
            prop_assert_eq!(
                f.count("photos"),
                photos_before,
                "a refused photo was stored"
            );
        }
    }
    if blocks.len() > case.blocks.len() {
        f.store
            .edit_entry(
                entry.id,
                EntryEdit {
                    blocks: Some(blocks.clone()),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    if let Err(e) = f.store.publish(entry.id) {
        // Only a photo without credit stops a valid entry.
        prop_assert_eq!(e.code(), "conflict", "{}", e);
        prop_assert!(e.to_string().contains("credit"), "{}", e);
        f.refused += 1;
        return Ok(());
    }

    let out = f.dir.path().join(&slug);
    let request = PublishRequest {
        out_dir: Some(out.clone()),
        ..Default::default()
    };
    publish(&mut f.store, &slug, request, &|_| {}).unwrap();
    f.published += 1;

    // feed.json: valid JSON, the same texts.
    let feed_text = std::fs::read_to_string(out.join("feed.json")).unwrap();
    let feed: Value = serde_json::from_str(&feed_text).unwrap();
    prop_assert_eq!(feed["title"].as_str(), Some(blog.title.as_str()));
    let items = feed["items"].as_array().unwrap();
    prop_assert_eq!(items.len(), 1);
    let item = &items[0];
    let id = entry.id.to_string();
    prop_assert_eq!(item["id"].as_str(), Some(id.as_str()));
    prop_assert_eq!(item["title"].as_str(), Some(entry.title.as_str()));
    match &entry.author {
        Some(name) => prop_assert_eq!(&item["authors"], &serde_json::json!([{ "name": name }])),
        None => prop_assert!(item.get("authors").is_none()),
    }
    let feed_blocks = item["_liveline"]["blocks"].as_array().unwrap();
    prop_assert_eq!(feed_blocks.len(), blocks.len());
    for (got, block) in feed_blocks.iter().zip(&blocks) {
        match block {
            Block::Photo { .. } => {
                prop_assert_eq!(got["type"].as_str(), Some("photo"));
                let stored = f.store.entry(entry.id).unwrap();
                let photo = stored.photos.first().expect("the photo");
                prop_assert_eq!(got["credit"].as_str(), photo.credit.as_deref());
                prop_assert_eq!(got["caption"].as_str(), photo.caption.as_deref());
                prop_assert_eq!(got["alt"].as_str(), photo.alt.as_deref());
            }
            _ => prop_assert_eq!(got, &serde_json::to_value(block).unwrap()),
        }
    }

    // content_html: safe, and the texts are text.
    let content_html = item["content_html"].as_str().unwrap();
    let doc = check_safe_html(content_html)?;
    let feed_blocks: Vec<FeedBlock> = blocks
        .iter()
        .zip(item["_liveline"]["blocks"].as_array().unwrap())
        .map(|(block, json)| match block {
            Block::Paragraph { content } => FeedBlock::Paragraph {
                content: content.clone(),
            },
            Block::Quote { text, attribution } => FeedBlock::Quote {
                text: text.clone(),
                attribution: attribution.clone(),
            },
            Block::Embed { url, intro } => FeedBlock::Embed {
                url: url.clone(),
                intro: intro.clone(),
            },
            Block::Photo { photo_id } => FeedBlock::Photo(FeedPhoto {
                photo_id: photo_id.clone(),
                caption: json["caption"].as_str().map(str::to_string),
                credit: json["credit"].as_str().unwrap_or("").to_string(),
                alt: json["alt"].as_str().map(str::to_string),
                width: 0,
                height: 0,
                placeholder: String::new(),
                renditions: Vec::new(),
            }),
        })
        .collect();
    check_texts(&doc, &feed_blocks)?;
    // The sanitizer keeps what the publisher made: a photo's picture has
    // its WebP and JPEG srcsets, pointing into media/.
    if blocks.iter().any(|b| matches!(b, Block::Photo { .. })) {
        for element in ["source", "img"] {
            let srcset = doc
                .tree
                .nodes()
                .filter_map(ElementRef::wrap)
                .find(|e| e.value().name() == element)
                .and_then(|e| e.value().attr("srcset"));
            prop_assert!(
                srcset.is_some_and(|s| s.starts_with("media/")),
                "<{}> lost its srcset: {}",
                element,
                content_html
            );
        }
    }

    // index.html: the feed is data in its one JSON script; the only other
    // script is the reader's own.
    let page = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let scripts: Vec<ElementRef> = page
        .tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "script")
        .collect();
    prop_assert_eq!(scripts.len(), 2, "scripts in index.html");
    prop_assert_eq!(scripts[0].value().attr("type"), Some("application/json"));
    let inline: Value = serde_json::from_str(&text_of(scripts[0])).unwrap();
    prop_assert_eq!(&inline, &feed, "the inline feed is feed.json");
    prop_assert_eq!(scripts[1].value().attrs().count(), 0);
    for node in page.tree.nodes() {
        if let Node::Element(e) = node.value() {
            prop_assert!(
                e.attrs().all(|(a, _)| !a.starts_with("on")),
                "<{}> in index.html",
                e.name()
            );
        }
    }
    let title: Vec<String> = page
        .tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "title")
        .map(text_of)
        .collect();
    prop_assert_eq!(title, vec![blog.title.clone()]);

    // liveblog.jsonld: JSON that can be inlined in a <script>.
    let jsonld = std::fs::read_to_string(out.join("liveblog.jsonld")).unwrap();
    prop_assert!(
        !jsonld.contains(['<', '>']),
        "raw < or > in liveblog.jsonld"
    );
    let jsonld: Value = serde_json::from_str(&jsonld).unwrap();
    prop_assert_eq!(jsonld["headline"].as_str(), Some(blog.title.as_str()));
    Ok(())
}

#[test]
fn published_entries_are_valid_json_and_safe_html() {
    let f = std::cell::RefCell::new(Fixture::new());
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        source_file: Some(file!()),
        test_name: Some("published_entries_are_valid_json_and_safe_html"),
        ..support::config(200)
    });
    let result = runner.run(&entry_case(), |case| {
        let _case = support::case(format!("publish {case:?}"));
        run_entry_case(&mut f.borrow_mut(), case)
    });
    let f = f.into_inner();
    if let Err(e) = result {
        panic!("{e}");
    }
    // The cases reached every stage: refusals and publishes both happened.
    println!(
        "{} cases: {} refused, {} published",
        f.blogs, f.refused, f.published
    );
    assert!(
        f.published >= f.blogs / 4,
        "too few cases got as far as a publish"
    );
    assert!(f.refused > 0, "no case was refused");
    assert!(f.count("photos") > 0, "no photo was ever accepted");
}
