//! Photos end to end through the core: import with credits and EXIF,
//! renditions on disk, dedupe, the credit rule, refusals that change nothing,
//! history, backup. Uses the real photos in ../shared/photos.

use std::collections::BTreeSet;
use std::path::Path;

use liveline::blocks::Block;
use liveline::model::{EntryEdit, Initial, NewBlog, NewEntry, Status};
use liveline::photos::{PhotoEdit, PhotoText};
use liveline::Store;

mod common;
use common::photo_path;

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("cov.db")).unwrap();
        store
            .create_blog(NewBlog {
                title: "Quake".into(),
                slug: Some("quake".into()),
                timezone: Some("Asia/Baghdad".into()),
                ..Default::default()
            })
            .unwrap();
        Fixture { dir, store }
    }

    fn entry(&mut self, initial: Initial) -> uuid::Uuid {
        self.store
            .add_entry(
                "quake",
                NewEntry {
                    title: "Aftershock".into(),
                    blocks: vec![Block::paragraph("A strong aftershock.")],
                    initial,
                    ..Default::default()
                },
            )
            .unwrap()
            .id
    }

    fn add(
        &mut self,
        entry: uuid::Uuid,
        name: &str,
        credit: Option<&str>,
    ) -> liveline::Result<liveline::photos::Photo> {
        let text = PhotoText {
            credit: credit.map(Into::into),
            caption: Some("Rescue teams at work".into()),
            alt: None,
        };
        self.store
            .add_photo(entry, &photo_path(name), text, &|_| {})
    }

    /// The stored photos' files (not `.imports/`, where imports lock).
    fn media_files(&self) -> BTreeSet<String> {
        match std::fs::read_dir(self.dir.path().join("cov.media")) {
            Ok(rd) => rd
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name != ".imports")
                .collect(),
            Err(_) => BTreeSet::new(),
        }
    }

    fn db_state(&self) -> Vec<u8> {
        let conn = rusqlite::Connection::open(self.dir.path().join("cov.db")).unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(conn);
        std::fs::read(self.dir.path().join("cov.db")).unwrap()
    }
}

#[test]
fn import_reads_exif_makes_renditions_and_appends_a_photo_block() {
    let mut f = Fixture::new();
    let entry = f.entry(Initial::Draft);
    let photo = f.add(entry, "boats.jpg", Some("Ana Ruiz/Agency")).unwrap();
    assert_eq!((photo.width, photo.height), (2560, 1600));
    assert_eq!(photo.credit.as_deref(), Some("Ana Ruiz/Agency"));
    assert_eq!(photo.taken_at.as_deref(), Some("2014-09-17T14:32:05+03:00"));
    assert_eq!(photo.camera.as_deref(), Some("Canon EOS 5D Mark III"));
    assert!(photo.has_location);
    assert_eq!(
        photo.sha256,
        liveline::photos::media::sha256_hex(&std::fs::read(photo_path("boats.jpg")).unwrap())
    );
    let widths: Vec<(u32, &str)> = photo
        .renditions
        .iter()
        .map(|r| (r.width, r.mime.as_str()))
        .collect();
    for w in [2048, 1600, 1024, 640, 320] {
        assert!(
            widths.contains(&(w, "image/jpeg")) && widths.contains(&(w, "image/webp")),
            "{w}: {widths:?}"
        );
    }
    for r in &photo.renditions {
        assert!(
            Path::new(&r.path).is_absolute() && Path::new(&r.path).exists(),
            "{}",
            r.path
        );
    }
    assert!(!photo.placeholder.is_empty());
    assert_eq!(photo.warnings.len(), 1, "no alt text: {:?}", photo.warnings);

    let e = f.store.entry(entry).unwrap();
    assert_eq!(e.revision, 2, "adding a photo is a new revision");
    assert_eq!(
        e.blocks.last(),
        Some(&Block::Photo {
            photo_id: photo.id.to_string()
        })
    );
    assert_eq!(e.photos.len(), 1);
    assert!(
        e.warnings.iter().any(|w| w.contains("alt text")),
        "{:?}",
        e.warnings
    );
    // The original is kept, by content, beside the renditions.
    assert!(f.media_files().contains(&format!("{}.jpg", photo.sha256)));
}

#[test]
fn exif_artist_and_copyright_prefill_an_empty_credit() {
    let mut f = Fixture::new();
    let entry = f.entry(Initial::Draft);
    let photo = f.add(entry, "boats.jpg", None).unwrap();
    assert_eq!(
        photo.credit.as_deref(),
        Some("Field Photographer/Example Agency")
    );
}

#[test]
fn orientation_6_comes_out_upright_and_nothing_is_upscaled() {
    let mut f = Fixture::new();
    let entry = f.entry(Initial::Draft);
    let forest = f.add(entry, "forest-orient6.jpg", Some("x")).unwrap();
    assert_eq!((forest.width, forest.height), (2560, 1600));
    assert!(forest
        .renditions
        .iter()
        .any(|r| (r.width, r.height) == (2048, 1280)));
    let kay = f.add(entry, "kay-portrait.png", Some("x")).unwrap();
    let widths: BTreeSet<u32> = kay.renditions.iter().map(|r| r.width).collect();
    assert_eq!(
        widths,
        BTreeSet::from([320, 640, 1024]),
        "never wider than the 1080-wide original"
    );
}

#[test]
fn the_same_file_twice_is_stored_once() {
    let mut f = Fixture::new();
    let a = f.entry(Initial::Draft);
    let b = f.entry(Initial::Draft);
    let first = f.add(a, "cups.jpg", Some("x")).unwrap();
    let files = f.media_files();
    let second = f.add(b, "cups.jpg", Some("y")).unwrap();
    assert_ne!(first.id, second.id, "two uses, two photos");
    assert_eq!(first.sha256, second.sha256);
    assert_eq!(f.media_files(), files, "no file written twice");
    assert_eq!(
        first.renditions.iter().map(|r| &r.path).collect::<Vec<_>>(),
        second
            .renditions
            .iter()
            .map(|r| &r.path)
            .collect::<Vec<_>>()
    );
}

#[test]
fn publishing_needs_a_credit_for_every_photo() {
    let mut f = Fixture::new();
    let entry = f.entry(Initial::Draft);
    let photo = f.add(entry, "cups.jpg", None).unwrap();
    assert_eq!(photo.credit, None, "cups.jpg has no EXIF to offer a credit");
    let err = f.store.publish(entry).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(&entry.to_string())
            && msg.contains(&photo.id.to_string())
            && msg.contains("no credit"),
        "{msg}"
    );
    assert_eq!(f.store.entry(entry).unwrap().status, Status::Draft);

    f.store
        .edit_photo(
            photo.id,
            PhotoEdit {
                credit: Some("Lena Ortiz".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(f.store.publish(entry).unwrap().status, Status::Published);
    // A published entry keeps its credits.
    let err = f
        .store
        .edit_photo(
            photo.id,
            PhotoEdit {
                credit: Some("".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("no credit"), "{err}");
    assert_eq!(
        f.store.photo(photo.id).unwrap().credit.as_deref(),
        Some("Lena Ortiz")
    );
    let err = f.add(entry, "wood.webp", None).unwrap_err();
    assert!(err.to_string().contains("needs a credit"), "{err}");
}

#[test]
fn photo_edits_are_revisions_and_restore_brings_captions_back() {
    let mut f = Fixture::new();
    let entry = f.entry(Initial::Draft);
    let photo = f.add(entry, "cups.jpg", Some("Lena Ortiz")).unwrap();
    let edited = f
        .store
        .edit_photo(
            photo.id,
            PhotoEdit {
                caption: Some("Cups, corrected".into()),
                alt: Some("Coloured cups".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.caption.as_deref(), Some("Cups, corrected"));
    assert!(edited.warnings.is_empty());
    assert_eq!(f.store.entry(entry).unwrap().revision, 3);
    f.store.restore(entry, 2).unwrap();
    let back = f.store.photo(photo.id).unwrap();
    assert_eq!(back.caption.as_deref(), Some("Rescue teams at work"));
    assert_eq!(back.alt, None);
}

#[test]
fn photo_blocks_may_only_name_photos_of_their_own_entry() {
    let mut f = Fixture::new();
    let a = f.entry(Initial::Draft);
    let b = f.entry(Initial::Draft);
    let photo = f.add(a, "cups.jpg", Some("x")).unwrap();
    let err = f
        .store
        .edit_entry(
            b,
            EntryEdit {
                blocks: Some(vec![Block::Photo {
                    photo_id: photo.id.to_string(),
                }]),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("belongs to entry"), "{err}");
    // Moving a photo within its entry goes through the body, like any block.
    let moved = f
        .store
        .edit_entry(
            a,
            EntryEdit {
                blocks: Some(vec![
                    Block::Photo {
                        photo_id: photo.id.to_string(),
                    },
                    Block::paragraph("After the photo."),
                ]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        moved.blocks[0],
        Block::Photo {
            photo_id: photo.id.to_string()
        }
    );
}

#[test]
fn refused_files_change_neither_database_nor_media_folder() {
    let mut f = Fixture::new();
    let entry = f.entry(Initial::Draft);
    f.add(entry, "cups.jpg", Some("x")).unwrap();
    let (db, media) = (f.db_state(), f.media_files());

    let junk = f.dir.path().join("junk");
    std::fs::create_dir(&junk).unwrap();
    let boats = std::fs::read(photo_path("boats.jpg")).unwrap();
    // A valid PNG header claiming 20000 x 20000 pixels (400 MP), no pixel data.
    let mut bomb = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bomb, 20_000, 20_000);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        drop(encoder.write_header().unwrap());
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "notes.jpg",
            b"just some text, not a picture".to_vec(),
            "notes.jpg",
        ),
        (
            "anim.gif",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            "anim.gif",
        ),
        ("empty.png", Vec::new(), "empty"),
        ("half.jpg", boats[..boats.len() / 2].to_vec(), "half.jpg"),
        ("bomb.png", bomb, "megapixels"),
    ];
    for (name, bytes, expected) in cases {
        let path = junk.join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = f
            .store
            .add_photo(entry, &path, PhotoText::default(), &|_| {})
            .unwrap_err();
        assert!(err.to_string().contains(expected), "{name}: {err}");
        assert!(err.to_string().contains(name), "names the file: {err}");
    }
    let err = f
        .store
        .add_photo(
            entry,
            &junk.join("missing.jpg"),
            PhotoText::default(),
            &|_| {},
        )
        .unwrap_err();
    assert!(err.to_string().contains("missing.jpg"), "{err}");
    assert_eq!(f.media_files(), media, "media folder unchanged");
    assert_eq!(f.db_state(), db, "database unchanged");
}

#[test]
fn backup_carries_the_media_folder() {
    let mut f = Fixture::new();
    let entry = f.entry(Initial::Draft);
    let photo = f.add(entry, "cups.jpg", Some("x")).unwrap();
    let out = f.dir.path().join("copy/backup.db");
    std::fs::create_dir(out.parent().unwrap()).unwrap();
    let report = f.store.backup(&out).unwrap();
    assert_eq!(report.media_files as usize, f.media_files().len());
    let copy = Store::open(&out).unwrap();
    let restored = copy.photo(photo.id).unwrap();
    for r in &restored.renditions {
        assert!(
            r.path.contains("backup.media") && Path::new(&r.path).exists(),
            "{}",
            r.path
        );
    }
}

#[test]
fn a_photo_whose_position_is_only_in_xmp_records_a_location() {
    let mut f = Fixture::new();
    let entry = f.entry(Initial::Draft);
    let cups = std::fs::read(photo_path("cups.jpg")).unwrap();
    let xmp = "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\
        <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\
        <rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" \
        exif:GPSLatitude=\"51,30.4440N\" exif:GPSLongitude=\"0,7.6980W\"/>\
        </rdf:RDF></x:xmpmeta>";
    let length = u16::try_from(xmp.len() + 2).unwrap().to_be_bytes();
    let located = [
        &cups[..2],
        &[0xFF, 0xE1],
        &length,
        xmp.as_bytes(),
        &cups[2..],
    ]
    .concat();
    let path = f.dir.path().join("cups-xmp-gps.jpg");
    std::fs::write(&path, located).unwrap();
    let text = PhotoText {
        credit: Some("Ana Ruiz".into()),
        ..Default::default()
    };
    let photo = f.store.add_photo(entry, &path, text, &|_| {}).unwrap();
    assert!(photo.has_location, "the XMP position is reported");
    let plain = f.add(entry, "cups.jpg", Some("Ana Ruiz")).unwrap();
    assert!(!plain.has_location);
}
