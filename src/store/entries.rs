//! Entries: writing, the workflow, revisions, ordering and listing.

use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use uuid::Uuid;

use super::blogs::{blog_id, blog_ref, ensure_blog};
use super::{photos, rows, Store};
use crate::blocks::{self, Block};
use crate::error::{Error, Result};
use crate::model::{
    Blog, Entry, EntryEdit, Initial, ListOrder, ListQuery, NewEntry, Placement, Revision, Status,
};
use crate::ordering;
use crate::photos::media::MediaDir;
use crate::text;
use crate::time::{self, to_millis};

/// Read an entry id as typed by a person or sent by the app.
pub fn parse_entry_id(raw: &str) -> Result<Uuid> {
    Uuid::parse_str(raw.trim()).map_err(|_| {
        Error::invalid(format!(
            "'{}' is not an entry id: ids look like 019ab9d2-7c4e-7a10-9c3b-5f2e8d1a4b60 (see `liveline entry list`)",
            raw.escape_debug()
        ))
    })
}

/// The content a revision records; equal contents mean nothing changed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Content {
    pub(super) title: String,
    pub(super) author: Option<String>,
    pub(super) display_at: i64,
    pub(super) display_at_set: bool,
    pub(super) correction_note: Option<String>,
    pub(super) body: String,
}

/// Read the content columns `title, author, display_at, display_at_set,
/// correction_note, body`, in that order from column `first` (entries and
/// revisions store content alike).
fn content_at(r: &rusqlite::Row, first: usize) -> rusqlite::Result<Content> {
    Ok(Content {
        title: r.get(first)?,
        author: r.get(first + 1)?,
        display_at: r.get(first + 2)?,
        display_at_set: r.get(first + 3)?,
        correction_note: r.get(first + 4)?,
        body: r.get(first + 5)?,
    })
}

/// The stored state of one entry, as write paths need it.
pub(super) struct Current {
    pub(super) id: String,
    pub(super) blog_id: String,
    pub(super) zone: Tz,
    pub(super) status: Status,
    pub(super) pinned: bool,
    pub(super) revision: u32,
    pub(super) position: Vec<u8>,
    pub(super) content: Content,
}

pub(super) fn load(tx: &Transaction, id: Uuid) -> Result<Current> {
    tx.query_row(
        "SELECT e.id, e.blog_id, b.timezone, e.status, e.pinned, e.revision, e.position, \
         e.title, e.author, e.display_at, e.display_at_set, e.correction_note, e.body \
         FROM entries e JOIN blogs b ON b.id = e.blog_id WHERE e.id = ?1",
        [id.to_string()],
        |r| {
            Ok(Current {
                id: r.get(0)?,
                blog_id: r.get(1)?,
                zone: rows::zone_at(r, 2)?,
                status: rows::status_at(r, 3)?,
                pinned: r.get(4)?,
                revision: r.get(5)?,
                position: r.get(6)?,
                content: content_at(r, 7)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| entry_not_found(id))
}

pub(super) fn entry_not_found(id: Uuid) -> Error {
    Error::NotFound {
        kind: "entry",
        id: id.to_string(),
    }
}

/// The blocks of a stored body.
fn stored_blocks(body: &str) -> Result<Vec<Block>> {
    serde_json::from_str(body).map_err(|e| Error::invalid(format!("damaged entry body: {e}")))
}

fn body_json(blocks: &[Block]) -> Result<String> {
    blocks::validate(blocks)?;
    serde_json::to_string(blocks).map_err(|e| Error::invalid(format!("body cannot be stored: {e}")))
}

/// Who saved a revision and why.
pub(super) struct Save<'a> {
    by: &'a str,
    action: &'static str,
    restored_from: Option<u32>,
    /// An autosave: may fold into the latest revision (see `AUTOSAVE_WINDOW`).
    autosave: bool,
}

impl<'a> Save<'a> {
    pub(super) fn new(by: &'a str, action: &'static str) -> Self {
        Save {
            by,
            action,
            restored_from: None,
            autosave: false,
        }
    }
}

/// Autosaves by the same person within this long of their latest autosave
/// fold into that revision, so typing for an hour leaves a readable history
/// rather than thousands of revisions.
pub const AUTOSAVE_WINDOW_MS: i64 = 5 * 60 * 1000;

/// The revision an autosave may overwrite: the latest, if it is an
/// autosave by the same person made within the window.
fn foldable_revision(tx: &Transaction, cur: &Current, by: &str, now: i64) -> Result<Option<u32>> {
    let latest: Option<(String, bool, i64)> = tx
        .query_row(
            "SELECT saved_by, autosaved, at FROM revisions WHERE entry_id = ?1 AND revision = ?2",
            params![cur.id, cur.revision],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(latest
        .filter(|(saved_by, autosaved, at)| {
            saved_by == by && *autosaved && (0..=AUTOSAVE_WINDOW_MS).contains(&(now - at))
        })
        .map(|_| cur.revision))
}

fn insert_revision(
    tx: &Transaction,
    entry_id: &str,
    revision: u32,
    at: i64,
    save: &Save,
    c: &Content,
) -> Result<()> {
    tx.execute(
        "INSERT INTO revisions (entry_id, revision, at, saved_by, action, restored_from, title, \
         author, display_at, display_at_set, correction_note, body, photos, autosaved) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            entry_id,
            revision,
            at,
            save.by,
            save.action,
            save.restored_from,
            c.title,
            c.author,
            c.display_at,
            c.display_at_set,
            c.correction_note,
            c.body,
            photos::snapshot(tx, entry_id)?,
            save.autosave
        ],
    )?;
    Ok(())
}

/// Save new content as the next revision of `cur`.
pub(super) fn save_content(
    tx: &Transaction,
    cur: &Current,
    content: &Content,
    save: &Save,
) -> Result<()> {
    // A display time nobody set follows the first publication, which is
    // not a content save: keep the current automatic value rather than one
    // recorded in an older revision.
    let mut content = content.clone();
    if !content.display_at_set {
        content.display_at = if cur.content.display_at_set {
            // A set time given up: back to the first publication (or now,
            // for an entry not published yet, as a new entry starts).
            tx.query_row(
                "SELECT coalesce(published_at, ?2) FROM entries WHERE id = ?1",
                params![cur.id, to_millis(time::now())],
                |r| r.get(0),
            )?
        } else {
            cur.content.display_at
        };
    }
    let content = &content;
    let now = to_millis(time::now());
    let folded = if save.autosave {
        foldable_revision(tx, cur, save.by, now)?
    } else {
        None
    };
    let revision = folded.unwrap_or(cur.revision + 1);
    tx.execute(
        "UPDATE entries SET title = ?1, author = ?2, display_at = ?3, display_at_set = ?4, \
         correction_note = ?5, body = ?6, revision = ?7, updated_at = ?8 WHERE id = ?9",
        params![
            content.title,
            content.author,
            content.display_at,
            content.display_at_set,
            content.correction_note,
            content.body,
            revision,
            now,
            cur.id
        ],
    )?;
    if folded.is_some() {
        tx.execute(
            "DELETE FROM revisions WHERE entry_id = ?1 AND revision = ?2",
            params![cur.id, revision],
        )?;
    }
    insert_revision(tx, &cur.id, revision, now, save, content)
}

/// Neighbour positions in the blog, ignoring the entry being placed.
enum Side {
    First,
    Last,
    Below(Vec<u8>),
    Above(Vec<u8>),
}

fn neighbour(
    tx: &Transaction,
    blog_id: &str,
    exclude: &str,
    side: Side,
) -> Result<Option<Vec<u8>>> {
    let (cond, order, pos) = match side {
        Side::First => ("", "ASC", None),
        Side::Last => ("", "DESC", None),
        Side::Below(p) => ("AND position < ?3", "DESC", Some(p)),
        Side::Above(p) => ("AND position > ?3", "ASC", Some(p)),
    };
    let sql = format!(
        "SELECT position FROM entries WHERE blog_id = ?1 AND id <> ?2 {cond} ORDER BY position {order} LIMIT 1"
    );
    let found = match pos {
        Some(p) => tx.query_row(&sql, params![blog_id, exclude, p], |r| r.get(0)),
        None => tx.query_row(&sql, params![blog_id, exclude], |r| r.get(0)),
    };
    Ok(found.optional()?)
}

/// A key above every other entry of the blog: where new and newly published entries go.
fn top_position(tx: &Transaction, blog_id: &str, exclude: &str) -> Result<Vec<u8>> {
    let first = neighbour(tx, blog_id, exclude, Side::First)?;
    ordering::between(None, first.as_deref())
}

fn parse_display(input: &str, zone: Tz) -> Result<i64> {
    Ok(to_millis(time::parse_time(input, zone, time::now())?))
}

/// Entries of a blog by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct EntryCounts {
    pub draft: u64,
    pub ready: u64,
    pub published: u64,
    pub retracted: u64,
}

/// What `liveline demo` did.
#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    pub blog: Blog,
    pub created: u64,
    pub entries_in_blog: u64,
}

/// Read an entry as callers see it; inside a write transaction this is the
/// state that transaction is about to commit.
fn read_entry(conn: &Connection, media: Option<&MediaDir>, id: Uuid) -> Result<Entry> {
    let mut entry = conn
        .query_row(
            &format!(
                "SELECT {} FROM entries e JOIN blogs b ON b.id = e.blog_id WHERE e.id = ?1",
                rows::ENTRY_COLUMNS
            ),
            [id.to_string()],
            rows::entry,
        )
        .optional()?
        .ok_or_else(|| entry_not_found(id))?;
    attach_photos(conn, media, std::slice::from_mut(&mut entry))?;
    Ok(entry)
}

/// Give each entry the photos its body shows, in body order, and their warnings.
pub(super) fn attach_photos(
    conn: &Connection,
    media: Option<&MediaDir>,
    entries: &mut [Entry],
) -> Result<()> {
    let Some(media) = media else { return Ok(()) };
    let ids: Vec<Uuid> = entries
        .iter()
        .filter(|e| e.blocks.iter().any(|b| matches!(b, Block::Photo { .. })))
        .map(|e| e.id)
        .collect();
    let mut photos: std::collections::HashMap<String, crate::photos::Photo> =
        photos::photos_of(conn, media, &ids)?
            .into_iter()
            .map(|p| (p.id.to_string(), p))
            .collect();
    for entry in entries {
        for block in &entry.blocks {
            if let Block::Photo { photo_id } = block {
                if let Some(photo) = photos.remove(photo_id) {
                    entry.warnings.extend(photo.warnings.iter().cloned());
                    entry.photos.push(photo);
                }
            }
        }
    }
    Ok(())
}

impl Store {
    pub fn entry(&self, id: Uuid) -> Result<Entry> {
        read_entry(&self.conn, self.media.as_ref(), id)
    }

    /// The slug of the blog an entry belongs to (without reading the entry).
    pub fn entry_blog(&self, id: Uuid) -> Result<String> {
        self.conn
            .query_row(
                "SELECT b.slug FROM entries e JOIN blogs b ON b.id = e.blog_id WHERE e.id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| entry_not_found(id))
    }

    pub fn add_entry(&mut self, slug: &str, new: NewEntry) -> Result<Entry> {
        let media = self.media.clone();
        let title = text::required_line(&new.title, "title", text::MAX_TITLE)?;
        let author = text::optional_line(new.author.as_deref(), "author", text::MAX_NAME)?;
        let body = body_json(&new.blocks)?;
        let id = Uuid::now_v7();
        let user = self.user.clone();
        self.write(|tx| {
            let blog = blog_ref(tx, slug)?;
            let now = to_millis(time::now());
            let (display_at, display_at_set) = match new.display_at.as_deref() {
                Some(input) => (parse_display(input, blog.zone)?, true),
                None => (now, false),
            };
            let status = match new.initial {
                Initial::Draft => Status::Draft,
                Initial::Ready => Status::Ready,
                Initial::Published => Status::Published,
            };
            let published_at = (status == Status::Published).then_some(now);
            photos::check_photo_blocks(tx, &id.to_string(), &new.blocks)?;
            let position = top_position(tx, &blog.id, "")?;
            tx.execute(
                "INSERT INTO entries (id, blog_id, title, body, author, status, position, display_at, \
                 display_at_set, created_at, updated_at, published_at, revision) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, 1)",
                params![
                    id.to_string(),
                    blog.id,
                    title,
                    body,
                    author,
                    status.as_str(),
                    position,
                    display_at,
                    display_at_set,
                    now,
                    published_at
                ],
            )?;
            let content = Content {
                title,
                author,
                display_at,
                display_at_set,
                correction_note: None,
                body,
            };
            insert_revision(tx, &id.to_string(), 1, now, &Save::new(&user, "created"), &content)?;
            read_entry(tx, media.as_ref(), id)
        })
    }

    /// Change an entry's content. A published entry stays published and may
    /// carry a public correction note. Saving identical content is a no-op.
    /// Save a change as a new revision.
    pub fn edit_entry(&mut self, id: Uuid, edit: EntryEdit) -> Result<Entry> {
        self.save_edit(id, edit, false)
    }

    /// Save a change as the desktop editor does while someone types: into
    /// their latest revision when they made it within `AUTOSAVE_WINDOW_MS`,
    /// else as a new one. Every keystroke saved is on disk either way.
    pub fn autosave_entry(&mut self, id: Uuid, edit: EntryEdit) -> Result<Entry> {
        self.save_edit(id, edit, true)
    }

    fn save_edit(&mut self, id: Uuid, edit: EntryEdit, autosave: bool) -> Result<Entry> {
        let media = self.media.clone();
        let title = edit
            .title
            .as_deref()
            .map(|t| text::required_line(t, "title", text::MAX_TITLE))
            .transpose()?;
        let author = match &edit.author {
            Some(a) => Some(text::optional_line(a.as_deref(), "author", text::MAX_NAME)?),
            None => None,
        };
        let body = edit.blocks.as_deref().map(body_json).transpose()?;
        let note = text::optional_text(
            edit.correction_note.as_deref(),
            "correction note",
            text::MAX_NOTE,
        )?;
        let user = self.user.clone();
        self.write(|tx| {
            let cur = load(tx, id)?;
            refuse_retracted(&cur, id, "edited")?;
            if note.is_some() && cur.status != Status::Published {
                return Err(Error::invalid(format!(
                    "entry {id} is {}: a correction note is only for published entries",
                    cur.status
                )));
            }
            let mut next = cur.content.clone();
            if let Some(t) = title {
                next.title = t;
            }
            if let Some(a) = author {
                next.author = a;
            }
            if let (Some(b), Some(blocks)) = (body, edit.blocks.as_deref()) {
                photos::check_photo_blocks(tx, &cur.id, blocks)?;
                if cur.status == Status::Published {
                    photos::require_credits(tx, &cur.id, blocks)?;
                }
                next.body = b;
            }
            match edit.display_at.as_deref().map(str::trim) {
                // Empty: the display time follows publication again.
                Some("") => next.display_at_set = false,
                Some(input) => {
                    next.display_at = parse_display(input, cur.zone)?;
                    next.display_at_set = true;
                }
                None => {}
            }
            if note.is_some() {
                next.correction_note = note;
            }
            if next != cur.content {
                let save = Save {
                    autosave,
                    ..Save::new(&user, "edited")
                };
                save_content(tx, &cur, &next, &save)?;
            } else if !autosave {
                // An explicit save of what autosave already stored: that
                // revision becomes a checkpoint later autosaves keep.
                tx.execute(
                    "UPDATE revisions SET autosaved = 0 WHERE entry_id = ?1 AND revision = ?2",
                    params![cur.id, cur.revision],
                )?;
            }
            read_entry(tx, media.as_ref(), id)
        })
    }

    /// Every saved revision of an entry, oldest first.
    pub fn history(&self, id: Uuid) -> Result<Vec<Revision>> {
        let zone: Tz = self
            .conn
            .query_row(
                "SELECT b.timezone FROM entries e JOIN blogs b ON b.id = e.blog_id WHERE e.id = ?1",
                [id.to_string()],
                |r| rows::zone_at(r, 0),
            )
            .optional()?
            .ok_or_else(|| entry_not_found(id))?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM revisions r WHERE r.entry_id = ?1 ORDER BY r.revision",
            rows::REVISION_COLUMNS
        ))?;
        let revisions = stmt
            .query_map([id.to_string()], |r| rows::revision(r, zone))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(revisions)
    }

    /// Bring back the content of an earlier revision, as a new revision.
    pub fn restore(&mut self, id: Uuid, revision: u32) -> Result<Entry> {
        let media = self.media.clone();
        let user = self.user.clone();
        self.write(|tx| {
            let cur = load(tx, id)?;
            refuse_retracted(&cur, id, "restored")?;
            let content = tx
                .query_row(
                    "SELECT title, author, display_at, display_at_set, correction_note, body, photos \
                     FROM revisions WHERE entry_id = ?1 AND revision = ?2",
                    params![cur.id, revision],
                    |r| Ok((content_at(r, 0)?, r.get::<_, Option<String>>(6)?)),
                )
                .optional()?
                .ok_or_else(|| Error::NotFound {
                    kind: "revision",
                    id: format!("{revision} of entry {id} (it has 1 to {})", cur.revision),
                })?;
            let (content, photo_fields) = content;
            if let Some(json) = photo_fields {
                photos::apply_snapshot(tx, &cur.id, &json)?;
            }
            if cur.status == Status::Published {
                photos::require_credits(tx, &cur.id, &stored_blocks(&content.body)?)?;
            }
            save_content(
                tx,
                &cur,
                &content,
                &Save {
                    restored_from: Some(revision),
                    ..Save::new(&user, "restored")
                },
            )?;
            read_entry(tx, media.as_ref(), id)
        })
    }

    /// Submit a draft for review.
    pub fn submit(&mut self, id: Uuid) -> Result<Entry> {
        self.transition(id, Status::Ready, |tx, cur| {
            tx.execute(
                "UPDATE entries SET status = 'ready', review_note = NULL, updated_at = ?1 WHERE id = ?2",
                params![to_millis(time::now()), cur.id],
            )?;
            Ok(())
        })
    }

    /// An editor sends a ready entry back to its author, saying why.
    pub fn return_to_draft(&mut self, id: Uuid, note: &str) -> Result<Entry> {
        let note = text::optional_text(Some(note), "note", text::MAX_NOTE)?.ok_or_else(|| {
            Error::invalid(
                "a note is required to return an entry to draft: tell the author what to change",
            )
        })?;
        self.transition(id, Status::Draft, |tx, cur| {
            tx.execute(
                "UPDATE entries SET status = 'draft', review_note = ?1, updated_at = ?2 WHERE id = ?3",
                params![note, to_millis(time::now()), cur.id],
            )?;
            Ok(())
        })
    }

    /// Publish. Only drafts and ready entries can be published, so this is
    /// always the first publication: the entry goes to the top and, unless a
    /// person set it, its display time becomes the publication time.
    pub fn publish(&mut self, id: Uuid) -> Result<Entry> {
        self.transition(id, Status::Published, |tx, cur| {
            photos::require_credits(tx, &cur.id, &stored_blocks(&cur.content.body)?)?;
            let now = to_millis(time::now());
            let position = top_position(tx, &cur.blog_id, &cur.id)?;
            let display_at = if cur.content.display_at_set {
                cur.content.display_at
            } else {
                now
            };
            tx.execute(
                "UPDATE entries SET status = 'published', published_at = ?1, position = ?2, \
                 display_at = ?3, review_note = NULL, updated_at = ?1 WHERE id = ?4",
                params![now, position, display_at, cur.id],
            )?;
            Ok(())
        })
    }

    /// Take a published entry down. Final: its id is never reused.
    pub fn retract(&mut self, id: Uuid) -> Result<Entry> {
        self.transition(id, Status::Retracted, |tx, cur| {
            tx.execute(
                "UPDATE entries SET status = 'retracted', updated_at = ?1 WHERE id = ?2",
                params![to_millis(time::now()), cur.id],
            )?;
            Ok(())
        })
    }

    fn transition(
        &mut self,
        id: Uuid,
        to: Status,
        apply: impl FnOnce(&Transaction, &Current) -> Result<()>,
    ) -> Result<Entry> {
        let media = self.media.clone();
        self.write(|tx| {
            let cur = load(tx, id)?;
            cur.status.check_transition(to, id)?;
            apply(tx, &cur)?;
            read_entry(tx, media.as_ref(), id)
        })
    }

    pub fn set_pinned(&mut self, id: Uuid, pinned: bool) -> Result<Entry> {
        self.set_flag(id, "pinned", pinned)
    }

    pub fn set_key_event(&mut self, id: Uuid, key_event: bool) -> Result<Entry> {
        self.set_flag(id, "key_event", key_event)
    }

    fn set_flag(&mut self, id: Uuid, column: &'static str, value: bool) -> Result<Entry> {
        let media = self.media.clone();
        self.write(|tx| {
            let cur = load(tx, id)?;
            tx.execute(
                &format!("UPDATE entries SET {column} = ?1 WHERE id = ?2"),
                params![value, cur.id],
            )?;
            read_entry(tx, media.as_ref(), id)
        })
    }

    /// Delete a draft or ready entry with its revisions. A published entry
    /// is refused: it must be retracted, so that readers' pages learn it is gone.
    pub fn delete_entry(&mut self, id: Uuid) -> Result<Entry> {
        let media = self.media.clone();
        self.write(|tx| {
            let entry = read_entry(tx, media.as_ref(), id)?;
            if !matches!(entry.status, Status::Draft | Status::Ready) {
                let hint = if entry.status == Status::Published {
                    " (retract it instead: liveline entry retract ID)"
                } else {
                    ""
                };
                return Err(Error::Conflict(format!(
                    "entry {id} is {}; only draft and ready entries can be deleted{hint}",
                    entry.status
                )));
            }
            tx.execute("DELETE FROM entries WHERE id = ?1", [id.to_string()])?;
            Ok(entry)
        })
    }

    /// Move an entry in the editorial order. Writes only that entry's row.
    pub fn move_entry(&mut self, id: Uuid, placement: Placement) -> Result<Entry> {
        let media = self.media.clone();
        self.write(|tx| {
            let cur = load(tx, id)?;
            let (lower, upper) = match placement {
                Placement::Top => (None, neighbour(tx, &cur.blog_id, &cur.id, Side::First)?),
                Placement::Bottom => (neighbour(tx, &cur.blog_id, &cur.id, Side::Last)?, None),
                Placement::Before(other) => {
                    let anchor = anchor_position(tx, &cur, other)?;
                    let below = neighbour(tx, &cur.blog_id, &cur.id, Side::Below(anchor.clone()))?;
                    (below, Some(anchor))
                }
                Placement::After(other) => {
                    let anchor = anchor_position(tx, &cur, other)?;
                    let above = neighbour(tx, &cur.blog_id, &cur.id, Side::Above(anchor.clone()))?;
                    (Some(anchor), above)
                }
            };
            let already_there = lower.as_ref().is_none_or(|l| *l < cur.position)
                && upper.as_ref().is_none_or(|u| cur.position < *u);
            if !already_there {
                let key = ordering::between(lower.as_deref(), upper.as_deref())?;
                tx.execute(
                    "UPDATE entries SET position = ?1 WHERE id = ?2",
                    params![key, cur.id],
                )?;
            }
            read_entry(tx, media.as_ref(), id)
        })
    }

    pub fn list_entries(&self, slug: &str, query: ListQuery) -> Result<Vec<Entry>> {
        let blog_id = blog_id(&self.conn, slug)?;
        let order = match query.order {
            ListOrder::Editorial => "e.pinned DESC, e.position ASC",
            ListOrder::Newest => "e.display_at DESC, e.id DESC",
            ListOrder::Oldest => "e.display_at ASC, e.id ASC",
        };
        let status_filter = if query.status.is_some() {
            "AND e.status = ?4"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {} FROM entries e JOIN blogs b ON b.id = e.blog_id \
             WHERE e.blog_id = ?1 {status_filter} ORDER BY {order} LIMIT ?2 OFFSET ?3",
            rows::ENTRY_COLUMNS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
        let mut entries: Vec<Entry> = match query.status {
            Some(s) => stmt
                .query_map(
                    params![blog_id, query.limit, offset, s.as_str()],
                    rows::entry,
                )?
                .collect::<rusqlite::Result<_>>()?,
            None => stmt
                .query_map(params![blog_id, query.limit, offset], rows::entry)?
                .collect::<rusqlite::Result<_>>()?,
        };
        attach_photos(&self.conn, self.media.as_ref(), &mut entries)?;
        Ok(entries)
    }

    /// How many entries the blog has in each status.
    pub fn entry_counts(&self, slug: &str) -> Result<EntryCounts> {
        let blog_id = blog_id(&self.conn, slug)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT status, count(*) FROM entries WHERE blog_id = ?1 GROUP BY status",
        )?;
        let mut counts = EntryCounts::default();
        for row in stmt.query_map([blog_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })? {
            let (status, n) = row?;
            let n = n.max(0) as u64;
            match status.parse::<Status>()? {
                Status::Draft => counts.draft = n,
                Status::Ready => counts.ready = n,
                Status::Published => counts.published = n,
                Status::Retracted => counts.retracted = n,
            }
        }
        Ok(counts)
    }

    /// Add `count` realistic published entries to blog `slug` (created if
    /// missing) in one transaction: for demos and benchmarks.
    pub fn demo(&mut self, slug: &str, count: u64) -> Result<DemoReport> {
        // About 8 s of write lock at most, well inside other writers' busy timeout.
        const MAX_DEMO: u64 = 200_000;
        if count > MAX_DEMO {
            return Err(Error::invalid(format!(
                "a demo adds at most {MAX_DEMO} entries at once"
            )));
        }
        let slug = text::valid_slug(slug)?;
        self.write(|tx| {
            let blog = ensure_blog(tx, &slug, demo_blog())?;
            let mut top = neighbour(tx, &blog.id, "", Side::First)?;
            let times: Vec<i64> = demo_times(tx, &blog.id, count)?.collect();
            // The coverage began no later than its first update.
            if let Some(first) = times.first() {
                tx.execute(
                    "UPDATE blogs SET coverage_start = min(coverage_start, ?1) WHERE id = ?2",
                    params![first - 5 * 60 * 1000, blog.id],
                )?;
            }
            let mut insert_entry = tx.prepare_cached(
                "INSERT INTO entries (id, blog_id, title, body, author, status, key_event, position, \
                 display_at, display_at_set, created_at, updated_at, published_at, revision) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 'published', ?6, ?7, ?8, 0, ?9, ?8, ?8, 1)",
            )?;
            let mut insert_rev = tx.prepare_cached(
                "INSERT INTO revisions (entry_id, revision, at, saved_by, action, title, author, \
                 display_at, display_at_set, body) VALUES (?1, 1, ?2, ?3, 'created', ?4, ?5, ?6, 0, ?7)",
            )?;
            // Oldest first, each published on top of the last.
            for (published, item) in times.into_iter().zip(crate::demo::entries(count ^ 0x11fe)) {
                let created = published - 5 * 60 * 1000;
                let position = ordering::between(None, top.as_deref())?;
                let id = Uuid::now_v7().to_string();
                let body = body_json(&item.blocks)?;
                insert_entry.execute(params![
                    id,
                    blog.id,
                    item.title,
                    body,
                    item.author,
                    item.key_event,
                    position,
                    published,
                    created
                ])?;
                // The correspondent wrote it: their byline saved revision 1.
                insert_rev.execute(params![
                    id,
                    created,
                    item.author,
                    item.title,
                    item.author,
                    published,
                    body
                ])?;
                top = Some(position);
            }
            let total: i64 = tx.query_row(
                "SELECT count(*) FROM entries WHERE blog_id = ?1",
                [&blog.id],
                |r| r.get(0),
            )?;
            Ok(DemoReport {
                blog: super::blogs::read_blog(tx, &slug)?,
                created: count,
                entries_in_blog: total.max(0) as u64,
            })
        })
    }
}

fn demo_blog() -> crate::model::NewBlog {
    crate::model::NewBlog {
        title: crate::demo::BLOG_TITLE.into(),
        slug: None,
        timezone: Some(crate::demo::BLOG_TIMEZONE.into()),
        summary: Some(crate::demo::BLOG_SUMMARY.into()),
        language: Some("en-GB".into()),
    }
}

/// Publication times for `count` demo entries, oldest first: two minutes
/// apart and ending now, squeezed in after what the blog already shows so
/// that a second run continues the story instead of interleaving with it.
fn demo_times(tx: &Transaction, blog_id: &str, count: u64) -> Result<impl Iterator<Item = i64>> {
    const SPACING: i64 = 120_000;
    let now = to_millis(time::now());
    let n = count as i64; // bounded by the caller
    let latest: Option<i64> = tx.query_row(
        "SELECT max(display_at) FROM entries WHERE blog_id = ?1",
        [blog_id],
        |r| r.get(0),
    )?;
    let (start, spacing) = match latest {
        Some(latest) if latest >= now - n * SPACING => {
            let room = (now - latest).max(0);
            let spacing = (room / (n + 1)).clamp(1, SPACING);
            (latest + spacing, spacing)
        }
        _ => (now - (n - 1).max(0) * SPACING, SPACING),
    };
    Ok((0..n).map(move |i| start + i * spacing))
}

fn refuse_retracted(cur: &Current, id: Uuid, what: &str) -> Result<()> {
    if cur.status == Status::Retracted {
        return Err(Error::Conflict(format!(
            "entry {id} is retracted and cannot be {what}; write a new entry instead"
        )));
    }
    Ok(())
}

/// The position of the entry to move next to; it must be another entry of the same blog.
fn anchor_position(tx: &Transaction, cur: &Current, other: Uuid) -> Result<Vec<u8>> {
    if other.to_string() == cur.id {
        return Err(Error::invalid(format!(
            "cannot move entry {other} before or after itself"
        )));
    }
    let anchor = load(tx, other)?;
    if anchor.blog_id != cur.blog_id {
        return Err(Error::invalid(format!(
            "entry {other} belongs to another blog; an entry moves only within its own blog"
        )));
    }
    // Pinned entries are shown above all others: an entry placed next to
    // one of the other group would not appear where it was put.
    if anchor.pinned != cur.pinned {
        let (pinned, unpinned) = if anchor.pinned {
            (other.to_string(), cur.id.clone())
        } else {
            (cur.id.clone(), other.to_string())
        };
        return Err(Error::invalid(format!(
            "entry {pinned} is pinned and entry {unpinned} is not; move an entry among entries of its own kind, or pin or unpin it first"
        )));
    }
    Ok(anchor.position)
}
