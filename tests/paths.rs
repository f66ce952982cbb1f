//! Hostile names and paths: slugs and photo names made of `..`, slashes,
//! NUL, thousands of characters or Windows device names, and a publication
//! folder whose files are symlinks to elsewhere. Nothing is written outside
//! the database, its media folder and the publication folder.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;
use liveline::app::App;
use liveline::model::{Initial, NewBlog, NewEntry};
use liveline::photos::PhotoText;
use serde_json::Value;

fn cli(db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_liveline"))
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .output()
        .unwrap()
}

/// Every file and link under `dir` (links not followed) with its bytes or target.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let content = if meta.is_symlink() {
                fs::read_link(&path)
                    .unwrap()
                    .to_string_lossy()
                    .as_bytes()
                    .to_vec()
            } else if meta.is_dir() {
                stack.push(path.clone());
                b"<dir>".to_vec()
            } else {
                fs::read(&path).unwrap()
            };
            files.insert(path, content);
        }
    }
    files
}

/// What changed under `root` apart from the places Liveline owns there.
fn changed_outside(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
    owned: &[&Path],
) -> Vec<PathBuf> {
    let keys: std::collections::BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .filter(|p| !owned.iter().any(|o| p.starts_with(o)))
        .cloned()
        .collect()
}

#[test]
fn hostile_slugs_are_refused_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cov.db");
    let long = "a".repeat(5000);
    let cwd_before = tree(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .as_path(),
    );
    for slug in [
        "../evil", "a/b", "..", ".", "a\\b", "CON", "Storm", "-x", "a--b", &long,
    ] {
        let out = cli(&db, &["blog", "create", "Storm", &format!("--slug={slug}")]);
        assert_eq!(out.status.code(), Some(1), "slug {slug:?} was accepted");
        let err: Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"]["code"], "invalid_input", "{slug:?}: {err}");
    }
    // The app takes any string: NUL and control characters too.
    let app = App::open(&db, |_| {}).unwrap();
    for slug in ["a\0b", "nul\0", "a\nb", "é"] {
        let err = app
            .create_blog(NewBlog {
                title: "Storm".into(),
                slug: Some(slug.into()),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{slug:?}");
    }
    let nul_title = NewBlog {
        title: "Storm\0".into(),
        ..Default::default()
    };
    assert_eq!(
        app.create_blog(nul_title).unwrap_err().code(),
        "invalid_input"
    );
    // A hostile title makes a plain slug.
    let blog = app
        .create_blog(NewBlog {
            title: "../../etc/passwd CON".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(
        blog.slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{}",
        blog.slug
    );
    let files: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("cov.db"))
        .collect();
    assert!(files.is_empty(), "{files:?}");
    let cwd_after = tree(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .as_path(),
    );
    assert!(changed_outside(&cwd_before, &cwd_after, &[]).is_empty());
}

#[test]
fn hostile_photo_names_stay_names_and_nothing_lands_outside_the_media_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let nest = root.join("a/b/c");
    fs::create_dir_all(&nest).unwrap();
    let db = nest.join("cov.db");
    let app = App::open(&db, |_| {}).unwrap();
    let blog = app
        .create_blog(NewBlog {
            title: "Storm".into(),
            ..Default::default()
        })
        .unwrap();
    let entry = app
        .add_entry(
            &blog.slug,
            NewEntry {
                title: "Photos".into(),
                initial: Initial::Draft,
                ..Default::default()
            },
        )
        .unwrap();
    let photo = fs::read(common::photo_path("cups.jpg")).unwrap();
    let base64 = base64::engine::general_purpose::STANDARD.encode(&photo);
    let before = tree(root);
    let long = format!("{}.jpg", "x".repeat(10_000));
    let names = [
        "../../../outside.jpg",
        "..\\..\\..\\outside.jpg",
        "/etc/passwd",
        "C:\\Windows\\System32\\evil.jpg",
        "a\0b.jpg",
        "\0",
        "..",
        ".",
        "",
        "CON.jpg",
        "LPT1",
        "name\nwith\r\nbreaks.jpg",
        &long,
    ];
    for name in names {
        let text = PhotoText {
            credit: Some("Council".into()),
            ..Default::default()
        };
        let imported = app.import_photo_data(entry.id, name, &base64, text, &|_| {});
        let photo = imported.unwrap_or_else(|e| panic!("{name:?}: {e}"));
        let stored = &photo.original_name;
        assert!(!stored.is_empty(), "{name:?}");
        assert!(
            stored.chars().count() <= 255,
            "{name:?}: {} chars",
            stored.len()
        );
        assert!(
            !stored.contains(['/', '\\', '\0', '\n', '\r']) && stored != ".." && stored != ".",
            "{name:?} stored as {stored:?}"
        );
    }
    // Through the CLI, a path with `..` in it is a path to read, and only
    // its last component is kept.
    let roundabout = format!("{}/../photos/cups.jpg", common::photo_path("").display());
    let out = cli(&db, &["photo", "add", &entry.id.to_string(), &roundabout]);
    assert!(out.status.success(), "{out:?}");
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["original_name"], "cups.jpg");

    let after = tree(root);
    let owned = [nest.join("cov.media"), nest.join("cov.db")];
    let owned: Vec<&Path> = owned.iter().map(PathBuf::as_path).collect();
    let mut outside = changed_outside(&before, &after, &owned);
    // The database's own -wal and -shm beside it.
    outside.retain(|p| {
        !p.to_string_lossy()
            .starts_with(&*nest.join("cov.db").to_string_lossy())
    });
    assert!(outside.is_empty(), "written outside: {outside:?}");
}

/// A publication folder whose files are links to files elsewhere: the
/// links are replaced, what they point to is never written.
#[cfg(unix)]
#[test]
fn symlinks_in_the_output_folder_never_lead_writes_elsewhere() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let db = root.join("cov.db");
    let ok = |args: &[&str]| {
        let out = cli(&db, args);
        assert!(out.status.success(), "{args:?}: {out:?}");
    };
    ok(&["demo", "storm", "--entries", "30"]);
    let victim = root.join("victim");
    fs::create_dir(&victim).unwrap();
    for name in ["feed.json", "index.html", "page.json", "secret"] {
        fs::write(victim.join(name), format!("victim's own {name}")).unwrap();
    }
    let site = root.join("site");
    fs::create_dir(&site).unwrap();
    for (link, target) in [
        ("feed.json", "feed.json"),
        ("index.html", "index.html"),
        ("feed-1.json", "page.json"),
        ("liveblog.jsonld", "not-there-yet"),
    ] {
        symlink(victim.join(target), site.join(link)).unwrap();
    }
    let victim_before = tree(&victim);
    let site_arg = site.to_str().unwrap();
    ok(&["publish", "storm", "--out", site_arg, "--page-size", "10"]);
    assert_eq!(
        tree(&victim),
        victim_before,
        "a file outside the folder was written"
    );
    for name in ["feed.json", "index.html", "feed-1.json", "liveblog.jsonld"] {
        let meta = fs::symlink_metadata(site.join(name)).unwrap();
        assert!(meta.is_file(), "{name} is still a link");
    }

    // A media folder or staging folder that is a link to elsewhere: refused.
    for link in ["media", ".liveline-staging"] {
        let site = root.join(format!("site-{}", link.trim_start_matches('.')));
        fs::create_dir(&site).unwrap();
        symlink(&victim, site.join(link)).unwrap();
        let before = tree(&site);
        let out = cli(&db, &["publish", "storm", "--out", site.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{link}: {out:?}");
        let err: Value = serde_json::from_slice(&out.stderr).unwrap();
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(link), "{link}: {message}");
        assert_eq!(
            tree(&victim),
            victim_before,
            "{link}: the link's target was written"
        );
        assert_eq!(tree(&site), before, "{link}: the folder changed");
    }
}
