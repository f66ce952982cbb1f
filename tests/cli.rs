//! The `liveline` command line as scripts use it: arguments, JSON, exit
//! codes (0 ok, 1 refused, 2 usage), one-line errors, nothing changed on error.

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

struct Cli {
    dir: TempDir,
}

impl Cli {
    fn new() -> Self {
        Cli {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("cli.db")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("liveline").unwrap();
        cmd.env("LIVELINE_DB", self.db())
            .env("LIVELINE_USER", "cli-tester")
            .env_remove("RUST_BACKTRACE");
        cmd.args(args);
        cmd
    }

    /// Run with --json, expect success, parse stdout.
    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd(args).arg("--json").output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Expect exit code `code`; return stderr.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{err}"
        );
        err
    }

    fn blog(&self) -> &Self {
        self.json(&[
            "blog",
            "create",
            "Storm Elena: live",
            "--timezone",
            "Europe/London",
            "--slug",
            "storm",
        ]);
        self
    }

    fn add(&self, title: &str, extra: &[&str]) -> String {
        let mut args = vec!["entry", "add", "storm", "--title", title];
        args.extend_from_slice(extra);
        self.json(&args)["id"].as_str().unwrap().to_string()
    }

    fn titles(&self, extra: &[&str]) -> Vec<String> {
        let mut args = vec!["entry", "list", "storm"];
        args.extend_from_slice(extra);
        self.json(&args)
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap().to_string())
            .collect()
    }

    fn db_bytes(&self) -> Vec<u8> {
        // Fold the WAL in so the comparison sees every committed change.
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(conn);
        std::fs::read(self.db()).unwrap()
    }
}

#[test]
fn blog_create_list_show_end() {
    let cli = Cli::new();
    let blog = cli.json(&[
        "blog",
        "create",
        "Election night",
        "--timezone",
        "America/New_York",
        "--summary",
        "Results as they come",
        "--language",
        "en-US",
    ]);
    for key in ["id", "slug", "title", "timezone"] {
        assert!(blog.get(key).is_some(), "blog JSON has {key}");
    }
    assert_eq!(blog["slug"], "election-night");
    assert_eq!(blog["timezone"], "America/New_York");
    assert_eq!(blog["live"], true);
    let list = cli.json(&["blog", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let shown = cli.json(&["blog", "show", "election-night"]);
    assert_eq!(shown["entries"]["published"], 0);
    let ended = cli.json(&["blog", "end", "election-night"]);
    assert_eq!(ended["live"], false);
    assert!(
        ended["coverage_end"].as_str().unwrap().ends_with("-05:00")
            || ended["coverage_end"].as_str().unwrap().ends_with("-04:00")
    );
    let err = cli.fails(&["blog", "end", "election-night"], 1);
    assert!(
        err.starts_with("error: blog 'election-night' already ended"),
        "{err}"
    );
    let human = cli.cmd(&["blog", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&human.stdout).contains("election-night"));
}

#[test]
fn entry_add_with_markdown_body_and_the_json_contract() {
    let cli = Cli::new();
    cli.blog();
    let e = cli.json(&[
        "entry",
        "add",
        "storm",
        "--title",
        "Harbour wall breached",
        "--author",
        "Ana Ruiz",
        "--body",
        "Water is **over the wall**.\n\n> We have never seen this.\n> — Harbour master",
        "--at",
        "2026-07-01 14:05",
    ]);
    for key in [
        "id",
        "blog",
        "title",
        "status",
        "pinned",
        "key_event",
        "author",
        "display_at",
        "created_at",
        "updated_at",
        "published_at",
        "revision",
        "blocks",
    ] {
        assert!(e.get(key).is_some(), "entry JSON has {key}");
    }
    assert_eq!(e["blog"], "storm");
    assert_eq!(e["status"], "draft");
    assert_eq!(e["display_at"], "2026-07-01T14:05:00+01:00");
    assert_eq!(e["published_at"], Value::Null);
    assert_eq!(e["revision"], 1);
    assert_eq!(e["blocks"][0]["type"], "paragraph");
    assert_eq!(e["blocks"][1]["type"], "quote");
    assert_eq!(e["blocks"][1]["attribution"], "Harbour master");
}

#[test]
fn body_from_a_file_and_from_stdin() {
    let cli = Cli::new();
    cli.blog();
    let file = cli.dir.path().join("body.md");
    std::fs::write(&file, "From a file.").unwrap();
    let e = cli.json(&[
        "entry",
        "add",
        "storm",
        "--title",
        "f",
        "--body-file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(e["blocks"][0]["content"][0]["text"], "From a file.");
    let out = cli
        .cmd(&[
            "entry",
            "add",
            "storm",
            "--title",
            "s",
            "--body-file",
            "-",
            "--json",
        ])
        .write_stdin("From standard input.")
        .output()
        .unwrap();
    assert!(out.status.success());
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["blocks"][0]["content"][0]["text"], "From standard input.");
    let err = cli.fails(
        &[
            "entry",
            "add",
            "storm",
            "--title",
            "x",
            "--body-file",
            "/no/such/file.md",
        ],
        1,
    );
    assert!(err.contains("/no/such/file.md"), "{err}");
}

#[test]
fn workflow_through_the_cli() {
    let cli = Cli::new();
    cli.blog();
    let id = cli.add("Update", &[]);
    assert_eq!(cli.json(&["entry", "submit", &id])["status"], "ready");
    let back = cli.json(&["entry", "return", &id, "--note", "Source?"]);
    assert_eq!(
        (back["status"].as_str(), back["review_note"].as_str()),
        (Some("draft"), Some("Source?"))
    );
    cli.json(&["entry", "submit", &id]);
    let published = cli.json(&["entry", "publish", &id]);
    assert_eq!(published["status"], "published");
    assert_eq!(published["display_at"], published["published_at"]);

    let err = cli.fails(&["entry", "submit", &id], 1);
    assert!(
        err.contains("is published") && err.contains("cannot become ready"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");

    let edited = cli.json(&[
        "entry",
        "edit",
        &id,
        "--body",
        "Corrected text.",
        "--note",
        "Fixed a name.",
    ]);
    assert_eq!(
        (edited["status"].as_str(), edited["revision"].as_u64()),
        (Some("published"), Some(2))
    );
    assert_eq!(edited["correction_note"], "Fixed a name.");

    let history = cli.json(&["entry", "history", &id]);
    let revs = history.as_array().unwrap();
    assert_eq!(revs.len(), 2);
    for key in ["revision", "at", "author", "content"] {
        assert!(revs[1].get(key).is_some(), "revision JSON has {key}");
    }
    assert_eq!(revs[1]["author"], "cli-tester");
    let restored = cli.json(&["entry", "restore", &id, "1"]);
    assert_eq!(restored["revision"], 3);
    assert_eq!(restored["blocks"], revs[0]["content"]["blocks"]);

    assert_eq!(cli.json(&["entry", "pin", &id])["pinned"], true);
    assert_eq!(cli.json(&["entry", "unpin", &id])["pinned"], false);
    assert_eq!(cli.json(&["entry", "key", &id])["key_event"], true);
    assert_eq!(cli.json(&["entry", "unkey", &id])["key_event"], false);
    assert_eq!(cli.json(&["entry", "retract", &id])["status"], "retracted");
    assert!(cli
        .fails(&["entry", "delete", &id], 1)
        .contains("only draft and ready"));
}

#[test]
fn ordering_moves_and_list_orders() {
    let cli = Cli::new();
    cli.blog();
    let a = cli.add("A", &["--publish", "--at", "2026-01-01 10:00"]);
    let b = cli.add("B", &["--publish", "--at", "2026-01-01 12:00"]);
    let c = cli.add("C", &["--publish", "--at", "2026-01-01 11:00"]);
    assert_eq!(cli.titles(&[]), ["C", "B", "A"]);
    cli.json(&["entry", "move", &a, "--top"]);
    assert_eq!(cli.titles(&[]), ["A", "C", "B"]);
    cli.json(&["entry", "move", &a, "--after", &b]);
    assert_eq!(cli.titles(&[]), ["C", "B", "A"]);
    cli.json(&["entry", "move", &c, "--before", &a]);
    assert_eq!(cli.titles(&[]), ["B", "C", "A"]);
    cli.json(&["entry", "move", &b, "--bottom"]);
    assert_eq!(cli.titles(&[]), ["C", "A", "B"]);
    cli.json(&["entry", "pin", &b]);
    assert_eq!(cli.titles(&[]), ["B", "C", "A"]);
    assert_eq!(cli.titles(&["--order", "newest"]), ["B", "C", "A"]);
    assert_eq!(cli.titles(&["--order", "oldest"]), ["A", "C", "B"]);
    assert_eq!(
        cli.titles(&["--order", "oldest", "--limit", "1", "--offset", "1"]),
        ["C"]
    );
    let d = cli.add("D", &[]);
    assert_eq!(cli.titles(&["--status", "draft"]), ["D"]);
    cli.json(&["entry", "delete", &d]);
    assert!(cli.titles(&["--status", "draft"]).is_empty());
}

#[test]
fn refused_operations_exit_1_with_one_line_and_change_nothing() {
    let cli = Cli::new();
    cli.blog();
    let id = cli.add("Keep", &["--publish"]);
    let before = cli.db_bytes();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["entry", "show", "019ab9d2-7c4e-7a10-9c3b-5f2e8d1a4b60"],
            "entry not found",
        ),
        (vec!["entry", "show", "not-an-id"], "is not an entry id"),
        (vec!["entry", "publish", &id], "cannot become published"),
        (
            vec!["entry", "edit", &id, "--at", "2026-03-29 01:30"],
            "does not exist in Europe/London",
        ),
        (
            vec!["entry", "edit", &id, "--at", "2026-10-25 01:30"],
            "happens twice",
        ),
        (
            vec!["entry", "edit", &id, "--at", "soon"],
            "cannot read the time",
        ),
        (
            vec!["entry", "add", "nope", "--title", "x"],
            "blog not found: nope",
        ),
        (
            vec!["entry", "add", "storm", "--title", ""],
            "title is empty",
        ),
        (
            vec![
                "entry",
                "add",
                "storm",
                "--title",
                "x",
                "--body",
                "[x](javascript:alert(1))",
            ],
            "javascript",
        ),
        (vec!["entry", "restore", &id, "7"], "revision not found"),
        (
            vec!["blog", "create", "Dup", "--slug", "storm"],
            "already exists",
        ),
        (
            vec!["blog", "create", "Zone", "--timezone", "Moon/Base"],
            "unknown time zone",
        ),
        (vec!["entry", "move", &id, "--before", &id], "itself"),
    ];
    for (args, expected) in cases {
        let err = cli.fails(&args, 1);
        assert!(
            err.starts_with("error: ") && err.contains(expected),
            "{args:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    assert_eq!(
        cli.db_bytes(),
        before,
        "no refused operation changed the database"
    );
}

#[test]
fn json_errors_carry_a_code() {
    let cli = Cli::new();
    cli.blog();
    let out = cli
        .cmd(&[
            "entry",
            "show",
            "019ab9d2-7c4e-7a10-9c3b-5f2e8d1a4b60",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "not_found");
}

#[test]
fn usage_errors_exit_2() {
    let cli = Cli::new();
    cli.fails(&["entry", "move", "x"], 2);
    cli.fails(&["entry", "move", "x", "--top", "--bottom"], 2);
    cli.fails(
        &[
            "entry",
            "add",
            "storm",
            "--title",
            "t",
            "--ready",
            "--publish",
        ],
        2,
    );
    cli.fails(
        &[
            "entry",
            "add",
            "storm",
            "--title",
            "t",
            "--body",
            "a",
            "--body-file",
            "b",
        ],
        2,
    );
    cli.fails(&["entry", "list", "storm", "--order", "random"], 2);
    cli.fails(&["entry", "list", "storm", "--status", "lost"], 2);
    cli.fails(&["entry", "list", "storm", "--limit", "-1"], 2);
    cli.fails(&["frobnicate"], 2);
    cli.fails(&[], 2);
}

#[test]
fn a_newer_database_is_refused_with_exit_1() {
    let cli = Cli::new();
    {
        let conn = rusqlite::Connection::open(cli.db()).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(cli.db()).unwrap();
    let err = cli.fails(&["blog", "list"], 1);
    assert!(err.contains("newer Liveline"), "{err}");
    assert_eq!(std::fs::read(cli.db()).unwrap(), before);
}

#[test]
fn demo_and_backup() {
    let cli = Cli::new();
    let report = cli.json(&["demo", "harbour-storm", "--entries", "120"]);
    assert_eq!(report["created"], 120);
    assert_eq!(report["blog"]["slug"], "harbour-storm");
    let page = cli.json(&["entry", "list", "harbour-storm", "--limit", "50"]);
    assert_eq!(page.as_array().unwrap().len(), 50);
    let out = cli.dir.path().join("backup.db");
    let b = cli.json(&["backup", out.to_str().unwrap()]);
    assert!(b["bytes"].as_u64().unwrap() > 0);
    let copy = liveline::Store::open(&out).unwrap();
    assert_eq!(copy.entry_counts("harbour-storm").unwrap().published, 120);
    assert!(cli
        .fails(&["backup", out.to_str().unwrap()], 1)
        .contains("already exists"));
}

#[test]
fn several_cli_processes_write_one_database_at_once() {
    let cli = Cli::new();
    cli.blog();
    let bin = assert_cmd::cargo::cargo_bin("liveline");
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (bin, db) = (bin.clone(), cli.db());
            std::thread::spawn(move || {
                for i in 0..15 {
                    let out = std::process::Command::new(&bin)
                        .env("LIVELINE_DB", &db)
                        .args([
                            "entry",
                            "add",
                            "storm",
                            "--title",
                            &format!("w{w}-{i}"),
                            "--publish",
                        ])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "writer {w} #{i}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a CLI writer failed");
    }
    assert_eq!(
        cli.titles(&["--limit", "100"]).len(),
        60,
        "every reported write is there"
    );
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    let cli = Cli::new();
    cli.json(&["demo", "storm", "--entries", "400"]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("liveline"))
        .env("LIVELINE_DB", cli.db())
        .args(["entry", "list", "storm", "--limit", "400", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `| head -0`
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn usage_errors_are_one_line_and_json_when_asked() {
    let cli = Cli::new();
    let err = cli.fails(&["entry", "move", "x"], 2);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("error: ") && err.contains("--top"), "{err}");
    let out = cli
        .cmd(&["entry", "list", "storm", "--order", "random", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(json["error"]["code"], "usage");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("random"));
    let help = cli.cmd(&["--help"]).output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("entry"));
}

#[test]
fn more_of_the_contract_rfc3339_ready_byline_removal_unknown_blog() {
    let cli = Cli::new();
    cli.blog();
    let e = cli.json(&[
        "entry",
        "add",
        "storm",
        "--title",
        "t",
        "--ready",
        "--author",
        "Ana",
        "--at",
        "2026-07-01T09:00:00-04:00",
    ]);
    assert_eq!(e["status"], "ready");
    assert_eq!(
        e["display_at"], "2026-07-01T14:00:00+01:00",
        "shown in the blog's zone"
    );
    let id = e["id"].as_str().unwrap();
    let e = cli.json(&["entry", "edit", id, "--author", ""]);
    assert_eq!(e["author"], Value::Null);
    assert_eq!(e["revision"], 2);
    let err = cli.fails(&["entry", "list", "nope"], 1);
    assert!(err.contains("blog not found: nope"), "{err}");
    let err = cli.fails(&["demo", "Not A Slug", "--entries", "5"], 1);
    assert!(err.contains("invalid slug"), "{err}");
    assert_eq!(
        cli.json(&["blog", "list"]).as_array().unwrap().len(),
        1,
        "a refused demo created nothing"
    );
}

#[test]
fn an_empty_liveline_db_falls_back_to_the_default_database() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("liveline")
        .unwrap()
        .env("LIVELINE_DB", "")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .args(["blog", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if cfg!(target_os = "linux") {
        assert!(home.path().join("data/liveline/liveline.db").exists());
    }
}

#[test]
fn photo_add_show_edit_through_the_cli() {
    let cli = Cli::new();
    cli.blog();
    let id = cli.add("With a photo", &[]);
    let boats = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/photos/boats.jpg");
    let photo = cli.json(&[
        "photo",
        "add",
        &id,
        boats,
        "--credit",
        "Ana Ruiz",
        "--caption",
        "Boats at dusk",
        "--alt",
        "Boats",
    ]);
    for key in [
        "id",
        "width",
        "height",
        "credit",
        "caption",
        "alt",
        "taken_at",
        "sha256",
        "renditions",
        "has_location",
    ] {
        assert!(photo.get(key).is_some(), "photo JSON has {key}");
    }
    let r = &photo["renditions"][0];
    for key in ["path", "width", "height", "mime"] {
        assert!(r.get(key).is_some(), "rendition JSON has {key}");
    }
    let pid = photo["id"].as_str().unwrap();
    assert_eq!(
        cli.json(&["photo", "show", pid])["caption"],
        "Boats at dusk"
    );
    assert_eq!(
        cli.json(&["photo", "edit", pid, "--caption", "Boats, evening"])["caption"],
        "Boats, evening"
    );
    let entry = cli.json(&["entry", "show", &id]);
    assert_eq!(entry["blocks"][0]["type"], "photo");
    assert_eq!(entry["blocks"][0]["photo_id"], pid);

    let text = cli.dir.path().join("readme.jpg");
    std::fs::write(&text, "not an image").unwrap();
    let err = cli.fails(&["photo", "add", &id, text.to_str().unwrap()], 1);
    assert!(
        err.contains("readme.jpg") && err.lines().count() == 1,
        "{err}"
    );
    let err = cli.fails(
        &["photo", "show", "019ab9d2-7c4e-7a10-9c3b-5f2e8d1a4b60"],
        1,
    );
    assert!(err.contains("photo not found"), "{err}");
}

#[test]
fn publish_writes_the_folder_and_reports_in_json() {
    let cli = Cli::new();
    cli.json(&["demo", "coast", "--entries", "45"]);
    let out = cli.dir.path().join("site");
    let out_arg = out.to_str().unwrap();
    let report = cli.json(&[
        "publish",
        "coast",
        "--out",
        out_arg,
        "--base-url",
        "https://news.example/coast",
        "--page-size",
        "10",
    ]);
    assert_eq!(report["entries"], 45);
    assert_eq!(report["pages"], 4); // 15 on the first page, then 3 x 10
    assert_eq!(report["page_size"], 10);
    assert_eq!(report["files_written"], 6);
    assert!(report["bytes_written"].as_u64().unwrap() > 10_000);
    assert!(report["duration_ms"].as_f64().unwrap() > 0.0);
    assert!(report["warnings"].as_array().unwrap().is_empty());
    for name in [
        "feed.json",
        "feed-1.json",
        "feed-3.json",
        "liveblog.jsonld",
        "index.html",
    ] {
        assert!(out.join(name).is_file(), "{name}");
    }
    // Saved settings: a bare `publish SLUG` goes to the same place.
    let again = cli.json(&["publish", "coast"]);
    assert_eq!(again["out_dir"], report["out_dir"]);
    assert_eq!(again["base_url"], "https://news.example/coast/");
    assert_eq!(again["files_written"], 2); // feed.json and index.html carry the time

    let text = cli.cmd(&["publish", "coast"]).output().unwrap();
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout)
        .starts_with("Published 45 entries of 'coast' in 4 pages"));

    // An empty base URL clears the saved one: links are relative again.
    let cleared = cli.json(&["publish", "coast", "--base-url", ""]);
    assert!(cleared["base_url"].is_null(), "{cleared}");
    let feed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("feed.json")).unwrap()).unwrap();
    assert!(
        feed.get("feed_url").is_none(),
        "no absolute URLs: {}",
        feed["feed_url"]
    );
    assert!(
        cli.json(&["publish", "coast"])["base_url"].is_null(),
        "and it stays cleared"
    );
}

#[test]
fn publish_refusals_exit_1_and_usage_errors_exit_2() {
    let cli = Cli::new();
    cli.blog();
    let out = cli.dir.path().join("x");
    let x = out.to_str().unwrap();
    let err = cli.fails(&["publish", "nope", "--out", x], 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("nope"), "{err}");
    let err = cli.fails(&["publish", "storm"], 1);
    assert!(err.contains("--out"), "{err}");
    let err = cli.fails(&["publish", "storm", "--out", x, "--page-size", "0"], 1);
    assert!(err.contains("page size"), "{err}");
    let err = cli.fails(
        &["publish", "storm", "--out", x, "--base-url", "ftp://x"],
        1,
    );
    assert!(err.contains("http"), "{err}");
    cli.fails(&["publish", "storm", "--page-size", "many"], 2);
    cli.fails(&["publish"], 2);
    assert!(!out.exists(), "nothing written on refusal");
}

/// A zone written by a newer build (newer tzdata) that this one does not
/// know must not hide the other blogs: the blog is still listed, its times
/// in UTC; only what needs the zone is refused, naming the blog and zone.
#[test]
fn a_blog_in_an_unknown_zone_is_listed_and_only_zone_work_is_refused() {
    let cli = Cli::new();
    cli.blog();
    let id = cli.add("Harbour wall breached", &[]);
    cli.json(&["blog", "create", "Mars landing", "--slug", "mars"]);
    cli.json(&["entry", "add", "mars", "--title", "Touchdown"]);
    let conn = rusqlite::Connection::open(cli.db()).unwrap();
    conn.execute(
        "UPDATE blogs SET timezone = 'Mars/Olympus_Mons' WHERE slug = 'mars'",
        [],
    )
    .unwrap();
    drop(conn);

    let blogs = cli.json(&["blog", "list"]);
    let blogs = blogs.as_array().unwrap();
    assert_eq!(blogs.len(), 2, "{blogs:?}");
    let mars = blogs.iter().find(|b| b["slug"] == "mars").unwrap();
    assert_eq!(mars["timezone"], "Mars/Olympus_Mons");
    assert!(
        mars["coverage_start"].as_str().unwrap().ends_with("+00:00"),
        "{mars}"
    );
    cli.json(&["blog", "show", "mars"]);

    let before = cli.db_bytes();
    let err = cli.fails(&["entry", "list", "mars"], 1);
    assert!(
        err.contains("blog 'mars'") && err.contains("'Mars/Olympus_Mons'"),
        "{err}"
    );
    assert!(!err.contains("Conversion error"), "{err}");
    let err = cli.fails(&["entry", "add", "mars", "--title", "Rover out"], 1);
    assert!(err.contains("'Mars/Olympus_Mons'"), "{err}");
    let out = cli
        .cmd(&["--json", "entry", "list", "mars"])
        .output()
        .unwrap();
    let line: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(line["error"]["code"], "newer_database");
    assert_eq!(cli.db_bytes(), before);

    // The other blog is untouched by its neighbour's zone.
    assert_eq!(cli.titles(&[]), vec!["Harbour wall breached"]);
    cli.json(&["entry", "show", &id]);
}

/// Counts a person reads agree with their number: "1 page", not "1 pages".
#[test]
fn human_output_says_one_entry_and_one_page() {
    let cli = Cli::new();
    cli.blog();
    cli.add("Harbour wall breached", &["--publish"]);
    let site = cli.dir.path().join("site");
    let out = cli
        .cmd(&["publish", "storm", "--out", site.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Published 1 entry of 'storm' in 1 page to "),
        "{text}"
    );
    assert!(
        !text.contains(" 1 files") && !text.contains(" 1 pages"),
        "{text}"
    );
    let backup = cli.dir.path().join("copy.db");
    let out = cli
        .cmd(&["backup", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("and 0 media files (0 bytes)"), "{text}");
}
