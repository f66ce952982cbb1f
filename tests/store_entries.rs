//! The entry lifecycle through the core API: workflow, revisions, display
//! times, ordering writes and listing.

use liveline::blocks::Block;
use liveline::model::{
    EntryEdit, Initial, ListOrder, ListQuery, NewBlog, NewEntry, Placement, Status,
};
use liveline::Store;
use rusqlite::Connection;

fn store_with_blog(zone: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("t.db")).unwrap();
    store.set_user("tester");
    store
        .create_blog(NewBlog {
            title: "Budget day".into(),
            slug: Some("budget".into()),
            timezone: Some(zone.into()),
            ..Default::default()
        })
        .unwrap();
    (dir, store)
}

fn add(store: &mut Store, title: &str, initial: Initial) -> liveline::model::Entry {
    store
        .add_entry(
            "budget",
            NewEntry {
                title: title.into(),
                blocks: vec![Block::paragraph(title)],
                initial,
                ..Default::default()
            },
        )
        .unwrap()
}

fn ids(entries: &[liveline::model::Entry]) -> Vec<String> {
    entries.iter().map(|e| e.title.clone()).collect()
}

#[test]
fn workflow_draft_ready_published_retracted() {
    let (_d, mut store) = store_with_blog("Europe/London");
    let e = add(&mut store, "Chancellor stands up", Initial::Draft);
    assert_eq!(
        (e.status, e.revision, e.published_at),
        (Status::Draft, 1, None)
    );

    let e = store.submit(e.id).unwrap();
    assert_eq!(e.status, Status::Ready);
    let e = store
        .return_to_draft(e.id, "Check the growth figure")
        .unwrap();
    assert_eq!(e.status, Status::Draft);
    assert_eq!(e.review_note.as_deref(), Some("Check the growth figure"));
    let e = store.submit(e.id).unwrap();
    assert_eq!(e.review_note, None, "resubmitting clears the editor's note");

    let e = store.publish(e.id).unwrap();
    assert_eq!(e.status, Status::Published);
    assert!(e.published_at.is_some());
    assert_eq!(
        Some(e.display_at),
        e.published_at,
        "display time defaults to first publication"
    );

    let err = store.submit(e.id).unwrap_err();
    assert_eq!(err.code(), "invalid_transition");
    assert!(
        err.to_string().contains("is published") && err.to_string().contains("cannot become ready")
    );

    let e = store.retract(e.id).unwrap();
    assert_eq!(e.status, Status::Retracted);
    for err in [
        store.publish(e.id).unwrap_err(),
        store.retract(e.id).unwrap_err(),
    ] {
        assert_eq!(err.code(), "invalid_transition");
        assert!(err.to_string().contains("is retracted"), "{err}");
    }
    let err = store
        .edit_entry(
            e.id,
            EntryEdit {
                title: Some("x".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
}

#[test]
fn draft_publishes_directly_and_returning_needs_a_note() {
    let (_d, mut store) = store_with_blog("UTC");
    let e = add(&mut store, "Breaking", Initial::Draft);
    assert_eq!(store.publish(e.id).unwrap().status, Status::Published);
    let r = add(&mut store, "Ready one", Initial::Ready);
    assert_eq!(
        store.return_to_draft(r.id, "  ").unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(
        store.entry(r.id).unwrap().status,
        Status::Ready,
        "refusal changed nothing"
    );
    let d = add(&mut store, "Draft", Initial::Draft);
    assert_eq!(
        store.return_to_draft(d.id, "why").unwrap_err().code(),
        "invalid_transition"
    );
}

#[test]
fn every_save_is_a_revision_and_restore_is_one_too() {
    let (_d, mut store) = store_with_blog("UTC");
    let e = add(&mut store, "Version one", Initial::Draft);
    store.set_user("editor");
    let edit = |title: &str| EntryEdit {
        title: Some(title.into()),
        blocks: Some(vec![Block::paragraph(format!("{title} body"))]),
        ..Default::default()
    };
    store.edit_entry(e.id, edit("Version two")).unwrap();
    let e3 = store.edit_entry(e.id, edit("Version three")).unwrap();
    assert_eq!(e3.revision, 3);
    // Saving identical content records nothing.
    assert_eq!(
        store
            .edit_entry(e.id, edit("Version three"))
            .unwrap()
            .revision,
        3
    );

    let restored = store.restore(e.id, 1).unwrap();
    assert_eq!(restored.revision, 4);
    assert_eq!(restored.title, "Version one");
    assert_eq!(restored.blocks, vec![Block::paragraph("Version one")]);

    let history = store.history(e.id).unwrap();
    let summary: Vec<_> = history
        .iter()
        .map(|r| {
            (
                r.revision,
                r.action.as_str(),
                r.author.as_str(),
                r.content.title.as_str(),
                r.restored_from,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, "created", "tester", "Version one", None),
            (2, "edited", "editor", "Version two", None),
            (3, "edited", "editor", "Version three", None),
            (4, "restored", "editor", "Version one", Some(1)),
        ]
    );
    assert_eq!(
        history[2].content.blocks,
        vec![Block::paragraph("Version three body")]
    );
    let err = store.restore(e.id, 9).unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("it has 1 to 4"), "{err}");
}

#[test]
fn editing_a_published_entry_keeps_it_published_with_a_correction_note() {
    let (_d, mut store) = store_with_blog("UTC");
    let e = add(&mut store, "Figures", Initial::Published);
    let note_on_draft = add(&mut store, "Draft", Initial::Draft);
    let err = store
        .edit_entry(
            note_on_draft.id,
            EntryEdit {
                correction_note: Some("x".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("only for published entries"),
        "{err}"
    );

    let edited = store
        .edit_entry(
            e.id,
            EntryEdit {
                blocks: Some(vec![Block::paragraph("Growth is 1.2%, not 2.1%.")]),
                correction_note: Some("An earlier version gave the wrong growth figure.".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.status, Status::Published);
    assert_eq!(edited.revision, 2);
    assert_eq!(
        edited.published_at, e.published_at,
        "first publication time is kept"
    );
    assert_eq!(
        edited.correction_note.as_deref(),
        Some("An earlier version gave the wrong growth figure.")
    );
    assert_eq!(
        store.history(e.id).unwrap()[1].content.correction_note,
        edited.correction_note
    );
}

#[test]
fn display_time_is_read_in_the_blog_zone_and_kept_on_publish() {
    let (_d, mut store) = store_with_blog("America/New_York");
    let e = store
        .add_entry(
            "budget",
            NewEntry {
                title: "Earlier".into(),
                display_at: Some("2026-07-04 09:15".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(e.display_at.to_rfc3339(), "2026-07-04T09:15:00-04:00");
    assert!(e.display_at_set);
    let e = store.publish(e.id).unwrap();
    assert_eq!(
        e.display_at.to_rfc3339(),
        "2026-07-04T09:15:00-04:00",
        "a set time survives publication"
    );
    // An empty time gives the set one up: the first publication shows again.
    let published_at = e.published_at.unwrap();
    let unset = EntryEdit {
        display_at: Some(String::new()),
        ..Default::default()
    };
    let e = store.edit_entry(e.id, unset.clone()).unwrap();
    assert!(!e.display_at_set);
    assert_eq!(e.display_at, published_at);
    assert_eq!(e.revision, 2);
    assert_eq!(
        store.edit_entry(e.id, unset).unwrap().revision,
        2,
        "already automatic: no change, no revision"
    );

    let err = store
        .add_entry(
            "budget",
            NewEntry {
                title: "Gap".into(),
                display_at: Some("2026-03-08 02:30".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_time");
    assert_eq!(
        store.entry_counts("budget").unwrap().draft,
        0,
        "nothing was stored"
    );
}

#[test]
fn publishing_for_the_first_time_goes_to_the_top_of_unpinned_entries() {
    let (_d, mut store) = store_with_blog("UTC");
    let old = add(&mut store, "old draft", Initial::Draft);
    let pinned = add(&mut store, "pinned", Initial::Published);
    store.set_pinned(pinned.id, true).unwrap();
    add(&mut store, "newer", Initial::Published);
    store.publish(old.id).unwrap();
    let list = store.list_entries("budget", ListQuery::default()).unwrap();
    assert_eq!(ids(&list), ["pinned", "old draft", "newer"]);

    // A correction does not move it; a retraction does not either.
    store
        .edit_entry(
            old.id,
            EntryEdit {
                title: Some("old draft, fixed".into()),
                ..Default::default()
            },
        )
        .unwrap();
    store.retract(old.id).unwrap();
    let list = store.list_entries("budget", ListQuery::default()).unwrap();
    assert_eq!(ids(&list), ["pinned", "old draft, fixed", "newer"]);
}

/// Every column of every entry row, keyed by id, to prove what a write touched.
fn snapshot(path: &std::path::Path) -> Vec<(String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT * FROM entries ORDER BY id").unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        let cols: Vec<String> = (0..n)
            .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
            .collect::<Result<_, _>>()?;
        Ok((r.get(0)?, cols.join("|")))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn a_move_writes_only_the_moved_entry_row() {
    let (dir, mut store) = store_with_blog("UTC");
    let path = dir.path().join("t.db");
    let entries: Vec<_> = (0..20)
        .map(|i| add(&mut store, &format!("e{i}"), Initial::Published))
        .collect();
    let placements = [
        Placement::Before(entries[3].id),
        Placement::After(entries[17].id),
        Placement::Top,
        Placement::Bottom,
        Placement::Before(entries[4].id),
    ];
    for placement in placements {
        let before = snapshot(&path);
        store.move_entry(entries[10].id, placement).unwrap();
        let after = snapshot(&path);
        let changed: Vec<_> = before
            .iter()
            .zip(&after)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.0.clone())
            .collect();
        assert_eq!(changed, vec![entries[10].id.to_string()], "{placement:?}");
    }
    let list = ids(&store.list_entries("budget", ListQuery::default()).unwrap());
    let at = |t: &str| list.iter().position(|x| x == t).unwrap();
    assert_eq!(at("e10") + 1, at("e4"));
}

#[test]
fn moves_across_blogs_or_onto_itself_are_refused_unchanged() {
    let (_d, mut store) = store_with_blog("UTC");
    let a = add(&mut store, "a", Initial::Draft);
    store
        .create_blog(NewBlog {
            title: "Other".into(),
            ..Default::default()
        })
        .unwrap();
    let other = store
        .add_entry(
            "other",
            NewEntry {
                title: "x".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let err = store
        .move_entry(a.id, Placement::Before(other.id))
        .unwrap_err();
    assert!(err.to_string().contains("another blog"), "{err}");
    let err = store.move_entry(a.id, Placement::After(a.id)).unwrap_err();
    assert!(err.to_string().contains("itself"), "{err}");
    assert_eq!(store.entry(a.id).unwrap().position, a.position);
}

#[test]
fn delete_only_drafts_and_ready_entries() {
    let (_d, mut store) = store_with_blog("UTC");
    let d = add(&mut store, "draft", Initial::Draft);
    let p = add(&mut store, "published", Initial::Published);
    store.delete_entry(d.id).unwrap();
    assert_eq!(store.entry(d.id).unwrap_err().code(), "not_found");
    assert_eq!(store.history(d.id).unwrap_err().code(), "not_found");
    let err = store.delete_entry(p.id).unwrap_err();
    assert!(err.to_string().contains("retract it instead"), "{err}");
    assert_eq!(store.entry(p.id).unwrap().status, Status::Published);
}

#[test]
fn list_filters_by_status_orders_by_display_time_and_pages() {
    let (_d, mut store) = store_with_blog("Asia/Kolkata");
    for (title, at) in [
        ("b", "2026-01-02 10:00"),
        ("a", "2026-01-01 10:00"),
        ("c", "2026-01-03 10:00"),
    ] {
        store
            .add_entry(
                "budget",
                NewEntry {
                    title: title.into(),
                    display_at: Some(at.into()),
                    initial: Initial::Published,
                    ..Default::default()
                },
            )
            .unwrap();
    }
    add(&mut store, "draft", Initial::Draft);
    let q = |order, status| ListQuery {
        order,
        status,
        ..Default::default()
    };
    let newest = store
        .list_entries("budget", q(ListOrder::Newest, Some(Status::Published)))
        .unwrap();
    assert_eq!(ids(&newest), ["c", "b", "a"]);
    assert_eq!(
        newest[0].display_at.to_rfc3339(),
        "2026-01-03T10:00:00+05:30"
    );
    let oldest = store
        .list_entries("budget", q(ListOrder::Oldest, Some(Status::Published)))
        .unwrap();
    assert_eq!(ids(&oldest), ["a", "b", "c"]);
    let drafts = store
        .list_entries("budget", q(ListOrder::Editorial, Some(Status::Draft)))
        .unwrap();
    assert_eq!(ids(&drafts), ["draft"]);
    let page = store
        .list_entries(
            "budget",
            ListQuery {
                limit: 2,
                offset: 1,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        ids(&page),
        ["c", "a"],
        "editorial order: newest created on top"
    );
    assert_eq!(
        store
            .list_entries("nope", ListQuery::default())
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[test]
fn bad_bodies_are_refused_and_store_nothing() {
    let (_d, mut store) = store_with_blog("UTC");
    let bad = vec![Block::Embed {
        url: "javascript:alert(1)".into(),
        intro: None,
    }];
    let err = store
        .add_entry(
            "budget",
            NewEntry {
                title: "x".into(),
                blocks: bad,
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let photo = vec![Block::Photo {
        photo_id: "no-such-photo".into(),
    }];
    let err = store
        .add_entry(
            "budget",
            NewEntry {
                title: "x".into(),
                blocks: photo,
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "photo not found: no-such-photo");
    let err = store
        .add_entry(
            "budget",
            NewEntry {
                title: " \n ".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(
        store
            .list_entries("budget", ListQuery::default())
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn blogs_get_unique_derived_slugs_and_end_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("b.db")).unwrap();
    let new = |title: &str| NewBlog {
        title: title.into(),
        timezone: Some("Europe/London".into()),
        ..Default::default()
    };
    let a = store.create_blog(new("Election night: live")).unwrap();
    let b = store.create_blog(new("Election night: live")).unwrap();
    assert_eq!(
        (a.slug.as_str(), b.slug.as_str()),
        ("election-night-live", "election-night-live-2")
    );
    let taken = store
        .create_blog(NewBlog {
            slug: Some(a.slug.clone()),
            ..new("x")
        })
        .unwrap_err();
    assert_eq!(taken.code(), "conflict");
    let bad_zone = store
        .create_blog(NewBlog {
            timezone: Some("Europe/Londn".into()),
            ..new("x")
        })
        .unwrap_err();
    assert!(bad_zone.to_string().contains("unknown time zone"));
    assert!(a.live && a.coverage_end.is_none());
    let ended = store.end_blog(&a.slug).unwrap();
    assert!(!ended.live && ended.coverage_end.is_some());
    assert!(store
        .end_blog(&a.slug)
        .unwrap_err()
        .to_string()
        .contains("already ended"));
    assert_eq!(store.blogs().unwrap().len(), 2);
}

#[test]
fn demo_creates_published_entries_in_editorial_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("d.db")).unwrap();
    let report = store.demo("storm", 300).unwrap();
    assert_eq!((report.created, report.entries_in_blog), (300, 300));
    let report = store.demo("storm", 20).unwrap();
    assert_eq!(report.entries_in_blog, 320);
    let all = store
        .list_entries(
            "storm",
            ListQuery {
                limit: 1_000,
                ..Default::default()
            },
        )
        .unwrap();
    assert!(all.iter().all(|e| e.status == Status::Published));
    let newest = store
        .list_entries(
            "storm",
            ListQuery {
                limit: 1_000,
                order: ListOrder::Newest,
                ..Default::default()
            },
        )
        .unwrap();
    let editorial: Vec<_> = all.iter().map(|e| e.id).collect();
    let by_time: Vec<_> = newest.iter().map(|e| e.id).collect();
    assert!(
        editorial == by_time,
        "demo entries are on top in publication order"
    );
    assert!(all.iter().any(|e| e.key_event));
}

#[test]
fn restoring_an_old_revision_keeps_the_automatic_display_time() {
    let (_d, mut store) = store_with_blog("UTC");
    let e = add(&mut store, "First words", Initial::Draft);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let published = store.publish(e.id).unwrap();
    assert_ne!(
        published.display_at, e.display_at,
        "publication set the display time"
    );
    store
        .edit_entry(
            e.id,
            EntryEdit {
                title: Some("Second words".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let restored = store.restore(e.id, 1).unwrap();
    assert_eq!(restored.title, "First words");
    assert_eq!(
        restored.display_at, published.display_at,
        "still the publication time"
    );
    let history = store.history(e.id).unwrap();
    assert_eq!(
        history.last().unwrap().content.display_at,
        restored.display_at
    );
}

#[test]
fn moves_next_to_an_entry_of_the_other_pin_group_are_refused() {
    let (_d, mut store) = store_with_blog("UTC");
    let a = add(&mut store, "a", Initial::Published);
    let p = add(&mut store, "p", Initial::Published);
    store.set_pinned(p.id, true).unwrap();
    for placement in [Placement::Before(p.id), Placement::After(p.id)] {
        let err = store.move_entry(a.id, placement).unwrap_err();
        assert!(err.to_string().contains("is pinned and entry"), "{err}");
    }
    let err = store.move_entry(p.id, Placement::Before(a.id)).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(store.entry(a.id).unwrap().position, a.position);
    // Top and bottom stay within the entry's own group.
    store.move_entry(a.id, Placement::Top).unwrap();
    let list = store.list_entries("budget", ListQuery::default()).unwrap();
    assert_eq!(ids(&list), ["p", "a"]);
}

#[test]
fn autosaves_fold_into_the_same_persons_recent_autosave_only() {
    let (dir, mut store) = store_with_blog("Europe/London");
    let id = add(&mut store, "Typing", Initial::Draft).id;
    let title = |t: &str| EntryEdit {
        title: Some(t.into()),
        ..Default::default()
    };
    let autosave =
        |store: &mut Store, t: &str| store.autosave_entry(id, title(t)).unwrap().revision;
    store.set_user("ana");
    assert_eq!(autosave(&mut store, "Typing a"), 2);
    assert_eq!(autosave(&mut store, "Typing ab"), 2);
    assert_eq!(
        autosave(&mut store, "Typing abc"),
        2,
        "three autosaves, one revision"
    );
    // Saving what autosave stored already seals it: no new revision, and
    // the next autosave starts a new one.
    assert_eq!(
        store.edit_entry(id, title("Typing abc")).unwrap().revision,
        2
    );
    assert_eq!(autosave(&mut store, "Typing abcd"), 3);
    // An explicit save with changes is a checkpoint too.
    assert_eq!(store.edit_entry(id, title("Saved")).unwrap().revision, 4);
    assert_eq!(autosave(&mut store, "Saved, more"), 5);
    // Another person's autosave never overwrites Ana's.
    store.set_user("ben");
    assert_eq!(autosave(&mut store, "Ben's"), 6);
    // An old autosave is kept: push Ben's revision back past the window.
    let conn = Connection::open(dir.path().join("t.db")).unwrap();
    conn.execute(
        "UPDATE revisions SET at = at - ?1 WHERE revision = 6",
        [liveline::store::AUTOSAVE_WINDOW_MS + 1000],
    )
    .unwrap();
    assert_eq!(autosave(&mut store, "Ben, later"), 7);
    let titles: Vec<String> = store
        .history(id)
        .unwrap()
        .into_iter()
        .map(|r| r.content.title)
        .collect();
    assert_eq!(
        titles,
        [
            "Typing",
            "Typing abc",
            "Typing abcd",
            "Saved",
            "Saved, more",
            "Ben's",
            "Ben, later"
        ]
    );
}
