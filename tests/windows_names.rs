//! Liveline runs on Windows too: photos whose file names Windows reserves
//! (CON, NUL, LPT1, ...) or could not hold (`<`, `:`, a trailing dot) import
//! and publish, and every file Liveline itself writes, in the media folder
//! and the published site, has a name Windows accepts. The original name is
//! kept only as text.

use std::path::Path;

use liveline::blocks::Block;
use liveline::model::{Initial, NewBlog, NewEntry};
use liveline::photos::PhotoText;
use liveline::publish::{publish, PublishRequest};
use liveline::Store;

mod common;
use common::photo_path;

/// Device names Windows reserves, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Whether Windows can hold a file of this name.
fn windows_safe(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end();
    !name.is_empty()
        && name.len() <= 255
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem))
        && !name.ends_with(['.', ' '])
        && !name.chars().any(|c| {
            c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*')
        })
}

/// Every file and folder under `dir`, as paths relative to it.
fn names_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn the_check_knows_what_windows_refuses() {
    for bad in [
        "CON",
        "con.jpg",
        "Lpt1.tar.gz",
        "nul ",
        "a:b.jpg",
        "x?.png",
        "end.",
        "tab\t.jpg",
    ] {
        assert!(!windows_safe(bad), "{bad}");
    }
    for good in [
        "photo.jpg",
        "console.jpg",
        "com10.png",
        "a1b2c3-2048.webp",
        "feed-2.json",
    ] {
        assert!(windows_safe(good), "{good}");
    }
}

#[test]
fn photos_with_names_windows_reserves_import_and_publish_under_safe_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("cov.db")).unwrap();
    store
        .create_blog(NewBlog {
            title: "Con".into(),
            slug: Some("con".into()),
            timezone: Some("Europe/London".into()),
            ..Default::default()
        })
        .unwrap();
    let entry = store
        .add_entry(
            "con",
            NewEntry {
                title: "Floods".into(),
                blocks: vec![Block::paragraph("Water in the streets.")],
                initial: Initial::Draft,
                ..Default::default()
            },
        )
        .unwrap()
        .id;

    // Names a Linux or macOS laptop can hold but Windows cannot, given to
    // the import as files (as the file dialog and drop do) ...
    let originals = dir.path().join("from-camera");
    std::fs::create_dir(&originals).unwrap();
    let sources = [
        ("CON.jpg", "boats.jpg"),
        ("nul", "cups.jpg"),
        ("LPT1.png", "kay-portrait.png"),
        ("aux.webp", "wood.webp"),
        ("what?<now>.jpg", "forest-orient6.jpg"),
    ];
    let text = || PhotoText {
        credit: Some("Ana Ruiz/Liveline".into()),
        caption: Some("Floods".into()),
        alt: Some("Water in the streets".into()),
    };
    let mut photos = Vec::new();
    for (name, real) in sources {
        let file = originals.join(name);
        std::fs::copy(photo_path(real), &file).unwrap();
        let photo = store.add_photo(entry, &file, text(), &|_| {}).unwrap();
        assert_eq!(
            photo.original_name, name,
            "the original name is kept as text"
        );
        photos.push(photo);
    }
    // ... and as pasted bytes, whose name comes from another program: its
    // renditions land in the media folder like the others'.
    let pasted = store
        .add_pasted_photo_detached(
            entry,
            "COM1.jpg.",
            std::fs::read(photo_path("boats.jpg")).unwrap(),
            text(),
            &|_| {},
        )
        .unwrap();
    assert_eq!(
        pasted.original_name, "COM1.jpg",
        "a trailing dot is not kept"
    );
    store.publish(entry).unwrap();

    let site = dir.path().join("site");
    let request = PublishRequest {
        out_dir: Some(site.clone()),
        ..Default::default()
    };
    let report = publish(&mut store, "con", request, &|_| {}).unwrap();
    assert_eq!(report.entries, 1);

    let media = names_under(&dir.path().join("cov.media"));
    let published = names_under(&site);
    assert!(!media.is_empty() && published.iter().any(|p| p.starts_with("media")));
    for path in media.iter().chain(&published) {
        for part in Path::new(path).iter() {
            let part = part.to_string_lossy();
            assert!(
                windows_safe(&part),
                "{path}: '{part}' is not a name Windows accepts"
            );
        }
    }
    // Every photo the entry shows made it into the published site, under
    // content names (the pasted one is left to the editor to place).
    let feed = std::fs::read_to_string(site.join("feed.json")).unwrap();
    for photo in &photos {
        let shown = photo.renditions.iter().any(|r| {
            let file = Path::new(&r.path).file_name().unwrap().to_string_lossy();
            feed.contains(&*file) && site.join("media").join(&*file).is_file()
        });
        assert!(
            shown,
            "{} is not in the published site",
            photo.original_name
        );
    }
}
