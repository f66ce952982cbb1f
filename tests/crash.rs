//! `kill -9` at random moments: the CLI is killed mid-way through entry
//! writes, moves, photo imports and publishes, trial after trial, and after
//! each one the database, its media folder and the publication are checked:
//!
//! - `PRAGMA integrity_check` is ok and no foreign key dangles;
//! - every write the CLI reported done is there, intact;
//! - every entry is in the editorial order exactly once;
//! - once the database is opened again, the media folder holds exactly the
//!   files the database names (a killed import's files are swept);
//! - `feed.json` is the old one, byte for byte, or a complete new one: every
//!   page of its chain there and whole, every photo it shows present. Every
//!   entry is on exactly one page, except after a kill inside a publish's
//!   rename phase (the older pages are renamed before `feed.json`, and the
//!   fixed page names cannot all be swapped at once): then the pages may be
//!   mixed until the next publish, which the harness runs and checks.
//!
//! Env: LIVELINE_CRASH_TRIALS (default 240, a quarter of each kind),
//! LIVELINE_CRASH_SEED (default: random, printed, to replay a failure).
//! Prints one summary line per kind for docs/reliability.md.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use liveline::model::{ListOrder, ListQuery};
use liveline::store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

const SLUG: &str = "crash";
const PAGE_SIZE: &str = "10";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    EntryAdd,
    Move,
    PhotoImport,
    Publish,
}
const KINDS: [Kind; 4] = [Kind::EntryAdd, Kind::Move, Kind::PhotoImport, Kind::Publish];

/// What the CLI said it had done: the state every later check holds it to.
#[derive(Default)]
struct Reported {
    /// Entry id -> (title, its blocks when added).
    entries: BTreeMap<String, (String, Value)>,
    /// Photo id -> (entry id, credit).
    photos: BTreeMap<String, (String, String)>,
}

#[derive(Default)]
struct Tally {
    trials: u32,
    killed: u32,
    completed: u32,
    swept_files: u32,
    old_feed_kept: u32,
    new_feed: u32,
    mixed_pages: u32,
}

struct Harness {
    _dir: tempfile::TempDir,
    root: PathBuf,
    db: PathBuf,
    out: PathBuf,
    photo: Vec<u8>,
    rng: StdRng,
    reported: Reported,
}

impl Harness {
    fn cli(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_liveline"));
        cmd.arg("--db").arg(&self.db).arg("--json").args(args);
        cmd.env("LIVELINE_USER", "crash-harness");
        cmd
    }

    /// Run to the end; the parsed JSON it printed.
    fn run(&self, args: &[&str]) -> Value {
        let out = self.cli(args).output().unwrap();
        assert!(
            out.status.success(),
            "liveline {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Start it, and `kill -9` it at `delay` unless it has finished by then.
    /// Its JSON when it finished and reported success; None when killed.
    fn run_until_killed(&self, args: &[&str], delay: Duration) -> Option<Value> {
        let mut child = self
            .cli(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let out = child.wait_with_output().unwrap();
                assert!(
                    status.success(),
                    "liveline {args:?} failed on its own: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                return Some(serde_json::from_slice(&out.stdout).unwrap());
            }
            if start.elapsed() >= delay {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                return None;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    fn entry_ids(&self) -> Vec<String> {
        let store = Store::open(&self.db).unwrap();
        let query = ListQuery {
            order: ListOrder::Editorial,
            limit: 100_000,
            ..ListQuery::default()
        };
        let entries = store.list_entries(SLUG, query).unwrap();
        entries.iter().map(|e| e.id.to_string()).collect()
    }

    fn pick<'a>(&mut self, ids: &'a [String]) -> &'a str {
        &ids[self.rng.random_range(0..ids.len())]
    }

    fn add_args(&mut self, n: u32) -> Vec<String> {
        let words = [
            "harbour",
            "wall",
            "council",
            "evacuation",
            "storm",
            "ferry",
            "road",
        ];
        let w = |rng: &mut StdRng| words[rng.random_range(0..words.len())];
        let title = format!("Update {n}: {} {}", w(&mut self.rng), w(&mut self.rng));
        let body = format!(
            "The **{}** was closed at {n} past.\n\n- {}\n- {}\n\n> \"We are ready,\" said a {}.",
            w(&mut self.rng),
            w(&mut self.rng),
            w(&mut self.rng),
            w(&mut self.rng)
        );
        [
            "entry",
            "add",
            SLUG,
            "--title",
            &title,
            "--body",
            &body,
            "--publish",
        ]
        .map(String::from)
        .to_vec()
    }

    /// A photo no earlier trial imported: the same JPEG with the trial's
    /// number after its end marker (decoders stop at the marker), so every
    /// import renders and writes its own files.
    fn new_photo_file(&self, n: u32) -> PathBuf {
        let path = self.root.join(format!("photo-{n}.jpg"));
        let mut bytes = self.photo.clone();
        bytes.extend_from_slice(format!("trial {n}").as_bytes());
        fs::write(&path, bytes).unwrap();
        path
    }

    fn record_entry(&mut self, reported: &Value) {
        let id = reported["id"].as_str().unwrap().to_string();
        let title = reported["title"].as_str().unwrap().to_string();
        self.reported
            .entries
            .insert(id, (title, reported["blocks"].clone()));
    }
}

fn as_refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// One trial: an operation killed at a random moment (or finishing first),
/// then every check.
fn trial(h: &mut Harness, kind: Kind, n: u32, typical: Duration) -> Outcome {
    // Half the kills land anywhere, half near the end, where files are
    // renamed into place and the transaction commits.
    let factor = if h.rng.random_bool(0.5) {
        h.rng.random_range(0.0..1.3)
    } else {
        h.rng.random_range(0.8..1.1)
    };
    let delay = typical.mul_f64(factor);
    let feed_before = fs::read(h.out.join("feed.json")).unwrap();
    let mut must_be_in_new_feed = None;
    let done = match kind {
        Kind::EntryAdd => {
            let args = h.add_args(n);
            let done = h.run_until_killed(&as_refs(&args), delay);
            if let Some(entry) = &done {
                h.record_entry(entry);
            }
            done
        }
        Kind::Move => {
            let ids = h.entry_ids();
            let (a, b) = (h.pick(&ids).to_string(), h.pick(&ids).to_string());
            let done = if a == b {
                h.run_until_killed(&["entry", "move", &a, "--top"], delay)
            } else {
                h.run_until_killed(&["entry", "move", &a, "--before", &b], delay)
            };
            if done.is_some() {
                let ids = h.entry_ids();
                let at = ids.iter().position(|id| *id == a).unwrap();
                if a == b {
                    assert_eq!(at, 0, "trial {n}: a reported move to the top did not hold");
                } else {
                    assert_eq!(ids[at + 1], b, "trial {n}: a reported move did not hold");
                }
            }
            done
        }
        Kind::PhotoImport => {
            let ids: Vec<String> = h.reported.entries.keys().cloned().collect();
            let entry = h.pick(&ids).to_string();
            let file = h.new_photo_file(n);
            let credit = format!("Photographer {n}/Liveline");
            let args = [
                "photo",
                "add",
                &entry,
                file.to_str().unwrap(),
                "--credit",
                &credit,
            ];
            let done = h.run_until_killed(&args, delay);
            if let Some(photo) = &done {
                let id = photo["id"].as_str().unwrap().to_string();
                h.reported.photos.insert(id, (entry, credit));
            }
            done
        }
        Kind::Publish => {
            // Something new to publish, written without a kill.
            let args = h.add_args(n);
            let added = h.run(&as_refs(&args));
            h.record_entry(&added);
            must_be_in_new_feed = added["id"].as_str().map(String::from);
            let out = h.out.to_str().unwrap().to_string();
            let args = ["publish", SLUG, "--out", &out, "--page-size", PAGE_SIZE];
            h.run_until_killed(&args, delay)
        }
    };
    let swept = check_database(h, n);
    let reported = done.is_some();
    let publication = check_publication(h, n, &feed_before, must_be_in_new_feed.clone(), reported);
    if publication.mixed {
        // The next publish puts every page right.
        let out = h.out.to_str().unwrap().to_string();
        h.run(&["publish", SLUG, "--out", &out, "--page-size", PAGE_SIZE]);
        let repaired = check_publication(h, n, &[], must_be_in_new_feed, true);
        assert!(
            !repaired.mixed,
            "trial {n}: the next publish left the pages mixed"
        );
    }
    Outcome {
        killed: !reported,
        swept,
        kept: publication.kept,
        mixed: publication.mixed,
    }
}

struct Outcome {
    killed: bool,
    swept: u32,
    kept: bool,
    mixed: bool,
}

/// Integrity, every reported write, the order, and the media folder.
/// Returns how many leftover files opening the database swept.
fn check_database(h: &Harness, n: u32) -> u32 {
    let conn = rusqlite::Connection::open(&h.db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "trial {n}");
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0, "trial {n}: foreign keys dangle");
    let media_dir = h.root.join("cov.media");
    let before = media_files(&media_dir);

    // Opening again is what sweeps a killed import's files.
    let store = Store::open(&h.db).unwrap();
    let after = media_files(&media_dir);
    let named = names_in_media_table(&conn);
    assert_eq!(
        after, named,
        "trial {n}: the media folder and the database disagree (left: files, right: named)"
    );
    let marks: Vec<_> = fs::read_dir(media_dir.join(".imports"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(marks.len() <= 1, "trial {n}: import marks left: {marks:?}");

    for (id, (title, blocks)) in &h.reported.entries {
        let entry = store.entry(id.parse().unwrap()).unwrap();
        assert_eq!(&entry.title, title, "trial {n}: entry {id}'s title");
        let now = serde_json::to_value(&entry).unwrap()["blocks"].clone();
        let (now, then) = (now.as_array().unwrap(), blocks.as_array().unwrap());
        assert!(now.len() >= then.len(), "trial {n}: entry {id} lost blocks");
        // Photo imports append photo blocks; nothing else may change.
        assert_eq!(
            &now[..then.len()],
            &then[..],
            "trial {n}: entry {id}'s text"
        );
        for extra in &now[then.len()..] {
            assert_eq!(
                extra["type"], "photo",
                "trial {n}: entry {id} gained {extra}"
            );
        }
    }
    for (id, (entry, credit)) in &h.reported.photos {
        let photo = store.photo(id.parse().unwrap()).unwrap();
        assert_eq!(photo.credit.as_deref(), Some(credit.as_str()), "trial {n}");
        let blocks = serde_json::to_value(store.entry(entry.parse().unwrap()).unwrap()).unwrap();
        assert!(
            blocks["blocks"].to_string().contains(id.as_str()),
            "trial {n}: reported photo {id} is not in its entry"
        );
    }
    let in_order = h.entry_ids();
    let unique: HashSet<_> = in_order.iter().collect();
    let count: i64 = conn
        .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        unique.len(),
        in_order.len(),
        "trial {n}: an entry is listed twice"
    );
    assert_eq!(
        in_order.len() as i64,
        count,
        "trial {n}: an entry is missing from the order"
    );
    before.difference(&after).count() as u32
}

/// Every file in the media folder (not its dot-files: the import marks).
fn media_files(dir: &Path) -> HashSet<String> {
    fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name != ".imports")
                .collect()
        })
        .unwrap_or_default()
}

/// The files the media table names: each original and its renditions.
fn names_in_media_table(conn: &rusqlite::Connection) -> HashSet<String> {
    let mut stmt = conn
        .prepare("SELECT sha256, format, renditions FROM media")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .unwrap();
    let mut names = HashSet::new();
    for row in rows {
        let (sha, format, renditions) = row.unwrap();
        let ext = if format == "jpeg" { "jpg" } else { &format };
        names.insert(format!("{sha}.{ext}"));
        let renditions: Vec<Value> = serde_json::from_str(&renditions).unwrap();
        names.extend(
            renditions
                .iter()
                .map(|r| r["file"].as_str().unwrap().to_string()),
        );
    }
    names
}

/// What the publication folder held after a trial.
struct Publication {
    /// `feed.json` is the one from before, byte for byte.
    kept: bool,
    /// Some older page was renamed into place and `feed.json` was not (the
    /// kill landed inside the rename phase): an entry on two pages or on
    /// none, until the next publish. Only a killed publish may leave this.
    mixed: bool,
}

/// `feed.json` is the one from before, byte for byte, or a complete new
/// one; every page of its chain and every photo it shows is there, whole.
fn check_publication(
    h: &Harness,
    n: u32,
    before: &[u8],
    newest: Option<String>,
    reported: bool,
) -> Publication {
    let feed = fs::read(h.out.join("feed.json")).unwrap();
    let kept = feed == before;
    // Complete either way: its chain of pages, every entry once, its photos.
    let first: Value = serde_json::from_slice(&feed)
        .unwrap_or_else(|e| panic!("trial {n}: feed.json is not JSON: {e}"));
    let mut ids = HashSet::new();
    let mut twice = 0;
    let mut page = first.clone();
    let mut pages = 1;
    loop {
        for item in page["items"].as_array().unwrap() {
            let id = item["id"].as_str().unwrap().to_string();
            twice += !ids.insert(id) as u32;
            let html = item["content_html"].as_str().unwrap_or_default();
            for file in html.split("media/").skip(1) {
                let name: String = file
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                    .collect();
                let name = name.trim_end_matches('.');
                assert!(
                    h.out.join("media").join(name).is_file(),
                    "trial {n}: the feed shows media/{name}, which is not there"
                );
            }
        }
        let Some(next) = page["next_url"].as_str() else {
            break;
        };
        let name = next.rsplit('/').next().unwrap();
        let bytes = fs::read(h.out.join(name))
            .unwrap_or_else(|e| panic!("trial {n}: page {name} of the chain: {e}"));
        page = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("trial {n}: page {name} is not JSON: {e}"));
        pages += 1;
        assert!(pages < 10_000, "trial {n}: the page chain loops");
    }
    let count = first["_liveline"]["entry_count"].as_u64().unwrap();
    let mixed = twice > 0 || ids.len() as u64 != count;
    let killed_publish = newest.is_some() && !reported;
    assert!(
        !mixed || killed_publish,
        "trial {n}: {twice} entries on two pages, {} listed for {count}, and no publish was killed",
        ids.len()
    );
    match newest {
        // A publish that reported done, or got as far as its feed, shows the
        // entry written just before it.
        Some(newest) if reported || !kept => {
            assert!(
                ids.contains(&newest),
                "trial {n}: the new feed lacks the newest entry"
            );
        }
        Some(_) => {}
        None => assert!(kept, "trial {n}: the feed changed without a publish"),
    }
    Publication { kept, mixed }
}

#[test]
fn kill_9_at_random_moments_loses_nothing_reported_and_leaves_no_partial_state() {
    let trials: u32 = std::env::var("LIVELINE_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(240);
    let seed: u64 = std::env::var("LIVELINE_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.unwrap().as_nanos() as u64
        });
    println!("crash harness: {trials} trials, LIVELINE_CRASH_SEED={seed}");

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let mut h = Harness {
        db: root.join("cov.db"),
        out: root.join("site"),
        photo: fs::read(common::photo_path("cups.jpg")).unwrap(),
        rng: StdRng::seed_from_u64(seed),
        root,
        _dir: dir,
        reported: Reported::default(),
    };
    h.run(&[
        "blog",
        "create",
        "Crash",
        "--slug",
        SLUG,
        "--timezone",
        "Europe/London",
    ]);

    for k in 0..12 {
        let args = h.add_args(1000 + k);
        let added = h.run(&as_refs(&args));
        h.record_entry(&added);
    }
    let out = h.out.to_str().unwrap().to_string();
    let publish = ["publish", SLUG, "--out", &out, "--page-size", PAGE_SIZE];
    h.run(&publish);

    // How long each operation takes when left alone (the median of three):
    // kills land anywhere from its start to a little past its usual end.
    let mut typical = HashMap::new();
    for kind in KINDS {
        let mut took: Vec<Duration> = (0..3)
            .map(|k| {
                let ids = h.entry_ids();
                let args = h.add_args(2000 + k);
                let file = h.new_photo_file(2000 + k);
                let start = Instant::now();
                match kind {
                    Kind::EntryAdd => {
                        let added = h.run(&as_refs(&args));
                        h.record_entry(&added);
                    }
                    Kind::Move => {
                        h.run(&["entry", "move", &ids[3], "--before", &ids[1]]);
                    }
                    Kind::PhotoImport => {
                        h.run(&[
                            "photo",
                            "add",
                            &ids[0],
                            file.to_str().unwrap(),
                            "--credit",
                            "Setup",
                        ]);
                    }
                    Kind::Publish => {
                        h.run(&publish);
                    }
                }
                start.elapsed()
            })
            .collect();
        took.sort();
        typical.insert(kind, took[1]);
    }
    println!("typical durations: {typical:?}");

    let mut tally: BTreeMap<Kind, Tally> = BTreeMap::new();
    for n in 0..trials {
        let kind = KINDS[n as usize % KINDS.len()];
        let outcome = trial(&mut h, kind, n, typical[&kind]);
        let t = tally.entry(kind).or_default();
        t.trials += 1;
        t.killed += outcome.killed as u32;
        t.completed += !outcome.killed as u32;
        t.swept_files += outcome.swept;
        t.old_feed_kept += (kind == Kind::Publish && outcome.kept) as u32;
        t.new_feed += !outcome.kept as u32;
        t.mixed_pages += outcome.mixed as u32;
    }
    for (kind, t) in &tally {
        println!(
            "kill -9 during {kind:?}: {} trials, {} killed, {} completed, {} leftover media files swept, \
             feed.json: {} old kept, {} new complete, 0 partial; older pages mixed until the next publish: {}; \
             0 lost writes, integrity ok",
            t.trials, t.killed, t.completed, t.swept_files, t.old_feed_kept, t.new_feed, t.mixed_pages
        );
    }
    let killed: u32 = tally.values().map(|t| t.killed).sum();
    assert!(
        killed >= trials / 4,
        "too few trials were killed mid-way ({killed}): the timing is off"
    );
}
