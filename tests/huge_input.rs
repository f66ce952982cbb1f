//! Huge and empty input, through the core and the CLI: a 50 MB body,
//! 10,000 blocks, a 100-megapixel image (and one just over the limit), a
//! 0-byte photo and a 0-byte body file. Each is either handled correctly or
//! refused with `invalid_input` and a message that names the limit, and a
//! refusal writes nothing (rows and media files are counted before and
//! after).
//!
//! Memory is the contract here, not speed: the work whose memory matters
//! runs in a child process (this test binary again, see support.rs) whose
//! peak RSS (`VmHWM`) is read when it ends, or for the CLI from `wait4`.
//! Each bound is justified where it is asserted. The children also cap
//! their address space (`RLIMIT_AS`), so a runaway allocation fails fast.
//!
//! Limits this relies on (all in the core):
//! - `markdown::MAX_MARKDOWN_BYTES` (4 MiB): larger Markdown is refused
//!   before it is parsed; the CLI reads at most that much of a body file;
//! - `blocks::MAX_BODY_CHARS` (200,000) and `blocks::MAX_BLOCKS` (1,000):
//!   a body of blocks past either is refused before anything is written;
//! - `photos::pipeline::MAX_PIXELS` (100 MP) and `MAX_FILE_BYTES` (100 MiB).
//!
//! Decision: a 50 MB body is refused. A live update is a few paragraphs; 50
//! MB of text is a log or a database dump pasted by mistake, and storing
//! it would put it in every revision, every publish and every reader's
//! feed. 10,000 blocks in one entry are refused for the same reason; 10,000
//! blocks across ten entries of 1,000 (the limit) are stored and published.
//!
//! About 40 s in a debug build on 2 cores (most of it making and importing
//! the 100 MP images).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use liveline::blocks::{self, Block};
use liveline::markdown::{self, MAX_MARKDOWN_BYTES};
use liveline::model::{EntryEdit, Initial, NewBlog, NewEntry};
use liveline::photos::pipeline::MAX_PIXELS;
use liveline::photos::PhotoText;
use liveline::publish::{publish, PublishRequest};
use liveline::Store;
use serde_json::Value;

#[path = "fuzz/support.rs"]
mod support;

const MB: usize = 1024 * 1024;
/// The 50 MB body of the contract.
const HUGE_BODY: usize = 50 * MB;

/// A store in a temporary folder, with one blog.
struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("huge.db")).unwrap();
        store
            .create_blog(NewBlog {
                title: "Huge input".into(),
                slug: Some("huge".into()),
                timezone: Some("Europe/London".into()),
                ..Default::default()
            })
            .unwrap();
        Fixture { dir, store }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("huge.db")
    }

    fn entry(&mut self, blocks: Vec<Block>) -> liveline::Result<liveline::model::Entry> {
        self.store.add_entry(
            "huge",
            NewEntry {
                title: "Update".into(),
                blocks,
                ..Default::default()
            },
        )
    }

    /// Rows of every table that holds content, and the media files.
    fn state(&self) -> State {
        state_of(&self.db())
    }
}

#[derive(Debug, PartialEq)]
struct State {
    rows: Vec<(&'static str, i64)>,
    media: BTreeSet<String>,
}

fn state_of(db: &Path) -> State {
    let conn = rusqlite::Connection::open(db).unwrap();
    let rows = ["blogs", "entries", "revisions", "photos", "media"]
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect();
    let media_dir = db.with_extension("media");
    let media = match std::fs::read_dir(media_dir) {
        // `.imports/` is the store's own bookkeeping (see media.rs).
        Ok(dir) => dir
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect(),
        Err(_) => BTreeSet::new(),
    };
    State { rows, media }
}

fn paragraphs(n: usize) -> Vec<Block> {
    (0..n)
        .map(|i| Block::paragraph(format!("Paragraph {i} of the update.")))
        .collect()
}

// ---------------------------------------------------------------------------
// A 50 MB body
// ---------------------------------------------------------------------------

#[test]
fn a_50_mb_markdown_body_is_refused_unread_in_bounded_memory() {
    const TEST: &str = "a_50_mb_markdown_body_is_refused_unread_in_bounded_memory";
    if !support::is_child(TEST) {
        let run = support::run_child(TEST, &[]);
        run.assert_passed(TEST);
        for line in run
            .stdout
            .lines()
            .filter_map(|l| l.find("50 MB Markdown").map(|at| &l[at..]))
        {
            println!("{line}; peak RSS {:.0} MiB", run.peak_mib());
        }
        return;
    }
    support::limit_address_space(2 << 30);
    let body = "A line of a log pasted by mistake.\n".repeat(HUGE_BODY / 35);
    assert!(body.len() > 49 * MB);
    let before = support::peak_rss_kib();
    let err = markdown::parse(&body).unwrap_err();
    let grew = support::peak_rss_kib() - before;
    assert_eq!(err.code(), "invalid_input");
    let msg = err.to_string();
    assert!(
        msg.contains(&body.len().to_string()) && msg.contains("at most 4 MiB"),
        "{msg}"
    );
    // Refused before parsing: not one more page resident than the caller's
    // own 50 MB string (1 MiB of slack for the message and the allocator).
    assert!(
        grew < 1024,
        "parsing the refused body grew the peak RSS by {grew} KiB"
    );
    println!("50 MB Markdown refused; peak RSS grew by {grew} KiB");
    support::report_peak();
}

#[test]
fn markdown_at_the_size_limit_is_read_and_one_byte_more_is_refused() {
    // Exactly MAX_MARKDOWN_BYTES: two paragraphs far apart.
    let mut at_limit = String::with_capacity(MAX_MARKDOWN_BYTES);
    at_limit.push('a');
    at_limit.push_str(&"\n".repeat(MAX_MARKDOWN_BYTES - 2));
    at_limit.push('b');
    assert_eq!(at_limit.len(), MAX_MARKDOWN_BYTES);
    assert_eq!(
        markdown::parse(&at_limit).unwrap(),
        vec![Block::paragraph("a"), Block::paragraph("b")]
    );
    at_limit.push('c');
    let err = markdown::parse(&at_limit).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(
        err.to_string().contains("at most 4 MiB (4194304 bytes)"),
        "{err}"
    );
}

#[test]
fn a_50_mb_body_of_blocks_is_refused_by_the_store_and_nothing_is_written() {
    let mut f = Fixture::new();
    let kept = f.entry(paragraphs(2)).unwrap();
    let before = f.state();
    let huge = vec![Block::paragraph("x".repeat(HUGE_BODY))];

    let err = f.entry(huge.clone()).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let msg = err.to_string();
    assert!(
        msg.contains("52428800 characters") && msg.contains("at most 200000"),
        "{msg}"
    );
    let err = f
        .store
        .edit_entry(
            kept.id,
            EntryEdit {
                blocks: Some(huge),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert_eq!(f.state(), before, "nothing written");
    assert_eq!(f.store.entry(kept.id).unwrap().blocks, paragraphs(2));
}

#[test]
fn a_body_at_the_character_limit_is_stored_and_one_character_more_is_refused() {
    let mut f = Fixture::new();
    let at_limit = vec![
        Block::paragraph("é".repeat(blocks::MAX_BODY_CHARS / 2)),
        Block::paragraph("z".repeat(blocks::MAX_BODY_CHARS / 2)),
    ];
    let stored = f.entry(at_limit.clone()).unwrap();
    assert_eq!(f.store.entry(stored.id).unwrap().blocks, at_limit);
    let before = f.state();
    let mut over = at_limit;
    over.push(Block::paragraph("!"));
    let err = f.entry(over).unwrap_err();
    assert!(err.to_string().contains("200001 characters"), "{err}");
    assert_eq!(f.state(), before);
}

// ---------------------------------------------------------------------------
// The CLI
// ---------------------------------------------------------------------------

struct Cli {
    /// Removed with the test (absent in a child, which uses its parent's).
    _dir: Option<tempfile::TempDir>,
    root: PathBuf,
}

impl Cli {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let cli = Cli {
            root: dir.path().to_path_buf(),
            _dir: Some(dir),
        };
        let out = cli.run(
            &[
                "blog",
                "create",
                "Huge",
                "--slug",
                "huge",
                "--timezone",
                "UTC",
            ],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        cli
    }

    /// The CLI set up by the parent test, in its child.
    fn of_parent() -> Self {
        Cli {
            _dir: None,
            root: PathBuf::from(std::env::var("LIVELINE_HUGE_DIR").unwrap()),
        }
    }

    fn db(&self) -> PathBuf {
        self.root.join("cli.db")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("liveline"));
        cmd.env("LIVELINE_DB", self.db())
            .env("LIVELINE_USER", "huge-tester")
            .env_remove("RUST_BACKTRACE")
            .args(args)
            .arg("--json");
        cmd
    }

    /// Runs the CLI, with the file `stdin` as standard input.
    fn run(&self, args: &[&str], stdin: Option<&str>) -> support::Measured {
        let stdin = stdin.map(|path| std::fs::File::open(path).unwrap());
        support::run_measured(self.command(args), stdin)
    }

    /// Expect a refusal: exit 1, one JSON line with code `invalid_input`.
    /// Returns the message and the CLI's peak RSS (KiB).
    fn refused(&self, args: &[&str], stdin: Option<&str>) -> (String, u64) {
        let out = self.run(args, stdin);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        let err: Value = serde_json::from_str(&stderr).unwrap();
        assert_eq!(err["error"]["code"], "invalid_input", "{stderr}");
        let msg = err["error"]["message"].as_str().unwrap().to_string();
        (msg, out.max_rss_kib)
    }

    fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(args, None);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.root.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    }
}

/// The CLI never holds more than MAX_MARKDOWN_BYTES + 1 bytes of a body it
/// refuses, so its peak RSS stays under 64 MiB: the binary and SQLite
/// (about 10 MiB) plus four times the 4 MiB it may read (the read buffer
/// and its growth), with room to spare. Reading the whole 50 MB file would
/// alone take more than that.
const CLI_REFUSAL_RSS_KIB: u64 = 64 * 1024;

#[test]
fn the_cli_refuses_a_50_mb_body_file_or_stdin_in_bounded_memory() {
    const TEST: &str = "the_cli_refuses_a_50_mb_body_file_or_stdin_in_bounded_memory";
    if support::is_child(TEST) {
        // A small process, so that the CLI's peak RSS is its own (see
        // support::run_measured).
        let cli = Cli::of_parent();
        let file = cli.root.join("huge.md").to_str().unwrap().to_string();
        let id = std::env::var("LIVELINE_HUGE_ENTRY").unwrap();
        let cases: Vec<(Vec<&str>, Option<&str>)> = vec![
            (
                vec!["entry", "add", "huge", "--title", "x", "--body-file", &file],
                None,
            ),
            (vec!["entry", "edit", &id, "--body-file", &file], None),
            (
                vec!["entry", "add", "huge", "--title", "x", "--body-file", "-"],
                Some(&file),
            ),
        ];
        for (args, stdin) in cases {
            let (msg, rss) = cli.refused(&args, stdin);
            assert!(msg.contains("larger than 4 MiB"), "{args:?}: {msg}");
            assert!(
                msg.contains("huge.md") || msg.contains("standard input"),
                "names the source: {msg}"
            );
            assert!(
                rss < CLI_REFUSAL_RSS_KIB,
                "{args:?}: peak RSS {rss} KiB (bound {CLI_REFUSAL_RSS_KIB} KiB)"
            );
            println!(
                "CLI refused a 50 MB body ({} {}) with a peak RSS of {rss} KiB",
                args[1],
                if stdin.is_some() {
                    "from stdin"
                } else {
                    "from a file"
                }
            );
        }
        support::report_peak();
        return;
    }
    let cli = Cli::new();
    let id = cli.ok(&[
        "entry",
        "add",
        "huge",
        "--title",
        "Kept",
        "--body",
        "Kept body.",
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = state_of(&cli.db());
    let huge = "A line of a log pasted by mistake.\n".repeat(HUGE_BODY / 35);
    cli.file("huge.md", huge.as_bytes());
    drop(huge);
    let run = support::run_child(
        TEST,
        &[
            ("LIVELINE_HUGE_DIR", cli.root.to_str().unwrap()),
            ("LIVELINE_HUGE_ENTRY", &id),
        ],
    );
    run.assert_passed(TEST);
    for line in run
        .stdout
        .lines()
        .filter_map(|l| l.find("CLI refused").map(|at| &l[at..]))
    {
        println!("{line}");
    }
    assert_eq!(state_of(&cli.db()), before, "nothing written");
    let kept = cli.ok(&["entry", "show", &id]);
    assert_eq!(kept["blocks"][0]["content"][0]["text"], "Kept body.");

    // Both sides of the limit through the CLI too.
    let mut at_limit = String::from("a");
    at_limit.push_str(&"\n".repeat(MAX_MARKDOWN_BYTES - 2));
    at_limit.push('b');
    let file = cli.file("at-limit.md", at_limit.as_bytes());
    let e = cli.ok(&[
        "entry",
        "add",
        "huge",
        "--title",
        "Limit",
        "--body-file",
        &file,
    ]);
    assert_eq!(e["blocks"].as_array().unwrap().len(), 2);
    at_limit.push('c');
    let file = cli.file("over-limit.md", at_limit.as_bytes());
    let (msg, _) = cli.refused(
        &[
            "entry",
            "add",
            "huge",
            "--title",
            "Over",
            "--body-file",
            &file,
        ],
        None,
    );
    assert!(msg.contains("larger than 4 MiB"), "{msg}");
}

#[test]
fn a_0_byte_body_file_is_refused_and_never_empties_an_entry() {
    let cli = Cli::new();
    let id = cli.ok(&[
        "entry",
        "add",
        "huge",
        "--title",
        "Kept",
        "--body",
        "Kept body.",
    ])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = state_of(&cli.db());
    let empty = cli.file("empty.md", b"");
    let blank = cli.file("blank.md", b" \n\t\n");
    for (args, stdin) in [
        (
            vec![
                "entry",
                "add",
                "huge",
                "--title",
                "x",
                "--body-file",
                empty.as_str(),
            ],
            None,
        ),
        (
            vec!["entry", "edit", id.as_str(), "--body-file", empty.as_str()],
            None,
        ),
        (
            vec!["entry", "edit", id.as_str(), "--body-file", blank.as_str()],
            None,
        ),
        (
            vec!["entry", "edit", id.as_str(), "--body-file", "-"],
            Some(empty.as_str()),
        ),
    ] {
        let (msg, _) = cli.refused(&args, stdin);
        assert!(
            msg.contains("is empty") && msg.contains("nothing was changed"),
            "{msg}"
        );
        assert!(
            msg.contains("empty.md") || msg.contains("blank.md") || msg.contains("standard input"),
            "{msg}"
        );
    }
    assert_eq!(state_of(&cli.db()), before, "nothing written");
    let kept = cli.ok(&["entry", "show", &id]);
    assert_eq!(kept["blocks"][0]["content"][0]["text"], "Kept body.");
    // Clearing a body stays possible, explicitly.
    let cleared = cli.ok(&["entry", "edit", &id, "--body", ""]);
    assert_eq!(cleared["blocks"], serde_json::json!([]));
}

#[test]
fn a_0_byte_photo_is_refused_by_core_and_cli_and_nothing_is_written() {
    let mut f = Fixture::new();
    let entry = f.entry(paragraphs(1)).unwrap().id;
    let empty = f.dir.path().join("empty.jpg");
    std::fs::write(&empty, b"").unwrap();
    let before = f.state();
    let err = f
        .store
        .add_photo(entry, &empty, PhotoText::default(), &|_| {})
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(
        err.to_string().contains("empty.jpg") && err.to_string().contains("the file is empty"),
        "{err}"
    );
    let err = f
        .store
        .add_pasted_photo_detached(
            entry,
            "pasted.png",
            Vec::new(),
            PhotoText::default(),
            &|_| {},
        )
        .unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    assert_eq!(f.state(), before, "nothing written");
    assert_eq!(f.store.entry(entry).unwrap().revision, 1);

    let cli = Cli::new();
    let id = cli.ok(&["entry", "add", "huge", "--title", "Photo"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = state_of(&cli.db());
    let empty = cli.file("empty.png", b"");
    let (msg, _) = cli.refused(&["photo", "add", &id, &empty, "--credit", "X"], None);
    assert!(
        msg.contains("empty.png") && msg.contains("the file is empty"),
        "{msg}"
    );
    assert_eq!(state_of(&cli.db()), before, "nothing written");
}

// ---------------------------------------------------------------------------
// 10,000 blocks
// ---------------------------------------------------------------------------

#[test]
fn ten_thousand_blocks_in_one_entry_are_refused_everywhere_and_nothing_is_written() {
    let mut f = Fixture::new();
    let before = f.state();
    let err = f.entry(paragraphs(10_000)).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(
        err.to_string()
            .contains("10000 blocks; an entry holds at most 1000"),
        "{err}"
    );
    // One over the limit is refused too; the limit itself is stored (below).
    let err = f.entry(paragraphs(blocks::MAX_BLOCKS + 1)).unwrap_err();
    assert!(err.to_string().contains("1001 blocks"), "{err}");
    assert_eq!(f.state(), before, "nothing written");

    // The same as Markdown (about 300 KB, well under the size limit).
    let md: String = (0..10_000).map(|i| format!("Paragraph {i}.\n\n")).collect();
    let err = markdown::parse(&md).unwrap_err();
    assert!(err.to_string().contains("10000 blocks"), "{err}");

    let cli = Cli::new();
    let before = state_of(&cli.db());
    let file = cli.file("ten-thousand.md", md.as_bytes());
    let (msg, _) = cli.refused(
        &["entry", "add", "huge", "--title", "x", "--body-file", &file],
        None,
    );
    assert!(
        msg.contains("10000 blocks; an entry holds at most 1000"),
        "{msg}"
    );
    assert_eq!(state_of(&cli.db()), before, "nothing written");
}

#[test]
fn ten_thousand_blocks_in_ten_entries_of_1000_are_stored_and_published_correctly() {
    let mut f = Fixture::new();
    let mut ids = Vec::new();
    for e in 0..10 {
        let body: Vec<Block> = (0..blocks::MAX_BLOCKS)
            .map(|i| Block::paragraph(format!("Entry {e}, paragraph {i} <b>&amp;</b>.")))
            .collect();
        let entry = f
            .store
            .add_entry(
                "huge",
                NewEntry {
                    title: format!("Update {e}"),
                    blocks: body.clone(),
                    initial: Initial::Published,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(
            f.store.entry(entry.id).unwrap().blocks,
            body,
            "stored as given"
        );
        ids.push(entry.id.to_string());
    }
    let out = f.dir.path().join("site");
    let report = publish(
        &mut f.store,
        "huge",
        PublishRequest {
            out_dir: Some(out.clone()),
            page_size: Some(3),
            ..Default::default()
        },
        &|_| {},
    )
    .unwrap();
    assert_eq!(report.entries, 10);

    // Every page, every item: 1,000 paragraphs each, in order, as text.
    let mut items = Vec::new();
    let mut page = "feed.json".to_string();
    loop {
        let feed: Value = serde_json::from_slice(&std::fs::read(out.join(&page)).unwrap()).unwrap();
        items.extend(feed["items"].as_array().unwrap().iter().cloned());
        match feed["next_url"].as_str() {
            Some(next) => page = next.to_string(),
            None => break,
        }
    }
    assert_eq!(items.len(), 10);
    let mut total = 0;
    for item in &items {
        let title = item["title"].as_str().unwrap();
        let e: usize = title.strip_prefix("Update ").unwrap().parse().unwrap();
        let blocks = item["_liveline"]["blocks"].as_array().unwrap();
        assert_eq!(blocks.len(), blocks::MAX_BLOCKS);
        total += blocks.len();
        let html = scraper::Html::parse_fragment(item["content_html"].as_str().unwrap());
        let selector = scraper::Selector::parse("p").unwrap();
        let texts: Vec<String> = html.select(&selector).map(|p| p.text().collect()).collect();
        let expected: Vec<String> = (0..blocks::MAX_BLOCKS)
            .map(|i| format!("Entry {e}, paragraph {i} <b>&amp;</b>."))
            .collect();
        assert_eq!(texts, expected, "{title}");
        let text = item["content_text"].as_str().unwrap();
        assert_eq!(text.split("\n\n").count(), blocks::MAX_BLOCKS);
    }
    assert_eq!(total, 10_000);
    let ids_in_feed: BTreeSet<String> = items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids_in_feed, ids.into_iter().collect());
}

// ---------------------------------------------------------------------------
// 100-megapixel images
// ---------------------------------------------------------------------------

/// A smooth picture with some detail, for the JPEG.
fn pixel(x: u32, y: u32) -> [u8; 3] {
    [
        (x / 40) as u8,
        (y / 40) as u8,
        ((x ^ y) & 0x3F) as u8 + ((x + y) / 160) as u8,
    ]
}

/// A width x height RGB PNG, written row by row (no full image in memory).
/// Smooth (gradients only), so that 100 MP compresses to a few MB.
fn write_png(path: &Path, width: u32, height: u32) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut encoder = png::Encoder::new(file, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let mut row = vec![0u8; width as usize * 3];
    for y in 0..height {
        for (x, px) in row.chunks_exact_mut(3).enumerate() {
            let x = x as u32;
            px.copy_from_slice(&[(x / 40) as u8, (y / 40) as u8, ((x + y) / 80) as u8]);
        }
        stream.write_all(&row).unwrap();
    }
    stream.finish().unwrap();
}

/// A width x height baseline JPEG, its rows made on demand.
fn write_jpeg(path: &Path, width: u16, height: u16) {
    struct Picture(u16, u16);
    impl jpeg_encoder::ImageBuffer for Picture {
        fn get_jpeg_color_type(&self) -> jpeg_encoder::JpegColorType {
            jpeg_encoder::JpegColorType::Ycbcr
        }
        fn width(&self) -> u16 {
            self.0
        }
        fn height(&self) -> u16 {
            self.1
        }
        fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
            for x in 0..u32::from(self.0) {
                let [r, g, b] = pixel(x, y.into());
                let (yy, cb, cr) = jpeg_encoder::rgb_to_ycbcr(r, g, b);
                buffers[0].push(yy);
                buffers[1].push(cb);
                buffers[2].push(cr);
            }
        }
    }
    let mut bytes = Vec::new();
    jpeg_encoder::Encoder::new(&mut bytes, 85)
        .encode_image(Picture(width, height))
        .unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Imports the file named by LIVELINE_HUGE_IMAGE into entry
/// LIVELINE_HUGE_ENTRY of the store in LIVELINE_HUGE_DIR (in the child);
/// prints the outcome and the peak RSS.
fn import_in_child() {
    support::limit_address_space(3 << 30);
    let dir = PathBuf::from(std::env::var("LIVELINE_HUGE_DIR").unwrap());
    let image = PathBuf::from(std::env::var("LIVELINE_HUGE_IMAGE").unwrap());
    let entry = liveline::parse_entry_id(&std::env::var("LIVELINE_HUGE_ENTRY").unwrap()).unwrap();
    let mut store = Store::open(dir.join("huge.db")).unwrap();
    match store.add_photo(entry, &image, PhotoText::default(), &|_| {}) {
        Ok(photo) => {
            let widths: Vec<(u32, u32, &str)> = photo
                .renditions
                .iter()
                .map(|r| (r.width, r.height, r.mime.as_str()))
                .collect();
            println!("imported {}x{} {:?}", photo.width, photo.height, widths);
        }
        Err(e) => println!("refused {}: {}", e.code(), e),
    }
    support::report_peak();
}

/// Makes the image with `make` in a fresh store's folder, imports it in a
/// child process, and returns the child's output line, its peak RSS (MiB),
/// the state before and after.
fn import_measured(
    test: &str,
    name: &str,
    make: impl FnOnce(&Path),
) -> (String, f64, State, State) {
    let mut f = Fixture::new();
    let entry = f.entry(paragraphs(1)).unwrap().id.to_string();
    let image = f.dir.path().join(name);
    make(&image);
    let bytes = std::fs::metadata(&image).unwrap().len();
    let before = f.state();
    let dir = f.dir.path().to_str().unwrap().to_string();
    drop(f.store);
    let run = support::run_child(
        test,
        &[
            ("LIVELINE_HUGE_DIR", dir.as_str()),
            ("LIVELINE_HUGE_ENTRY", entry.as_str()),
            ("LIVELINE_HUGE_IMAGE", image.to_str().unwrap()),
        ],
    );
    run.assert_passed(test);
    let line = run
        .stdout
        .lines()
        .find_map(|l| {
            ["imported ", "refused "]
                .iter()
                .find_map(|w| l.find(w).map(|at| l[at..].to_string()))
        })
        .expect("the child's outcome");
    let after = state_of(&f.dir.path().join("huge.db"));
    println!(
        "{name} ({:.1} MB): {line}; peak RSS {:.0} MiB",
        bytes as f64 / 1e6,
        run.peak_mib()
    );
    (line, run.peak_mib(), before, after)
}

const RENDITIONS: &str = "[(2048, 2048, \"image/jpeg\"), (2048, 2048, \"image/webp\"), \
     (1600, 1600, \"image/jpeg\"), (1600, 1600, \"image/webp\"), (1024, 1024, \"image/jpeg\"), \
     (1024, 1024, \"image/webp\"), (640, 640, \"image/jpeg\"), (640, 640, \"image/webp\"), \
     (320, 320, \"image/jpeg\"), (320, 320, \"image/webp\")]";

#[test]
fn a_100_megapixel_png_is_imported_in_bounded_memory() {
    const TEST: &str = "a_100_megapixel_png_is_imported_in_bounded_memory";
    if support::is_child(TEST) {
        return import_in_child();
    }
    let (line, peak, before, after) =
        import_measured(TEST, "100mp.png", |p| write_png(p, 10_000, 10_000));
    assert_eq!(line, format!("imported 10000x10000 {RENDITIONS}"));
    assert_eq!(
        u64::from(10_000u32 * 10_000),
        MAX_PIXELS,
        "exactly at the limit"
    );
    assert_eq!(
        after.media.len(),
        before.media.len() + 11,
        "the original and 10 renditions"
    );
    // PNG has no reduced-size decoding: one full-size 8-bit RGB raster
    // (10000 x 10000 x 3 = 286 MiB) must exist. Everything else (the file,
    // a few MB, the decoder's rows, the 2048 x 2048 rendition and its
    // smaller copies, the encoders, the test binary and SQLite) is under
    // 128 MiB. A second full-size copy (RGBA, 16-bit or a clone: 286 MiB
    // or more) would break this.
    let bound = 10_000.0 * 10_000.0 * 3.0 / MB as f64 + 128.0;
    assert!(peak < bound, "peak RSS {peak:.0} MiB, bound {bound:.0} MiB");
}

#[test]
fn a_100_megapixel_jpeg_is_imported_without_a_full_size_raster() {
    const TEST: &str = "a_100_megapixel_jpeg_is_imported_without_a_full_size_raster";
    if support::is_child(TEST) {
        return import_in_child();
    }
    let (line, peak, before, after) =
        import_measured(TEST, "100mp.jpg", |p| write_jpeg(p, 10_000, 10_000));
    assert_eq!(line, format!("imported 10000x10000 {RENDITIONS}"));
    assert_eq!(after.media.len(), before.media.len() + 11);
    // A JPEG is decoded straight to 2/8 of its size (2500 x 2500 x 3 =
    // 18 MiB) in the DCT domain: no full-size raster (286 MiB) exists.
    // The file itself, libjpeg's buffers, the renditions, the binary and
    // SQLite fit in 160 MiB.
    assert!(peak < 160.0, "peak RSS {peak:.0} MiB, bound 160 MiB");
}

#[test]
fn an_image_just_over_100_megapixels_is_refused_from_its_header() {
    const TEST: &str = "an_image_just_over_100_megapixels_is_refused_from_its_header";
    if support::is_child(TEST) {
        return import_in_child();
    }
    let (line, peak, before, after) =
        import_measured(TEST, "over.png", |p| write_png(p, 10_001, 10_000));
    assert!(
        line.starts_with("refused invalid_input: ")
            && line.contains("over.png")
            && line.contains(
                "10001x10000 pixels (100.0 megapixels), more than the 100 megapixel limit"
            ),
        "{line}"
    );
    assert_eq!(after, before, "nothing written");
    // Refused from the header: only the file (a few MB here; the store
    // reads at most MAX_FILE_BYTES) was read, and no pixel buffer was made
    // (the full-size one would be 286 MiB).
    assert!(peak < 64.0, "peak RSS {peak:.0} MiB, bound 64 MiB");
}
