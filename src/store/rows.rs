//! Mapping between SQLite rows and the model types.

use chrono_tz::Tz;
use rusqlite::Row;
use uuid::Uuid;

use crate::blocks::Block;
use crate::error::UnknownZone;
use crate::model::{Blog, Entry, Revision, RevisionContent, Status};
use crate::time::{from_millis, in_zone};

pub const BLOG_COLUMNS: &str = "b.id, b.slug, b.title, b.summary, b.language, b.timezone, \
     b.coverage_start, b.coverage_end, b.created_at, b.updated_at";

pub const ENTRY_COLUMNS: &str =
    "e.id, b.slug, b.timezone, e.title, e.status, e.pinned, e.key_event, \
     e.author, e.display_at, e.display_at_set, e.created_at, e.updated_at, e.published_at, \
     e.revision, e.correction_note, e.review_note, e.position, e.body";

pub const REVISION_COLUMNS: &str = "r.revision, r.at, r.saved_by, r.action, r.restored_from, \
     r.title, r.author, r.display_at, r.display_at_set, r.correction_note, r.body";

/// A stored value that cannot be read back means the file was damaged or
/// edited by hand: report it as a conversion error, never panic.
fn bad<E: std::error::Error + Send + Sync + 'static>(col: usize, e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
}

pub fn uuid_at(row: &Row, col: usize) -> rusqlite::Result<Uuid> {
    let s: String = row.get(col)?;
    Uuid::parse_str(&s).map_err(|e| bad(col, e))
}

pub fn zone_at(row: &Row, col: usize) -> rusqlite::Result<Tz> {
    parse_zone(&row.get::<_, String>(col)?, None, col)
}

/// The zone in column `zone_col` of a row whose column `slug_col` is the
/// blog's slug, so that a refusal names the blog.
pub fn blog_zone_at(row: &Row, slug_col: usize, zone_col: usize) -> rusqlite::Result<Tz> {
    let slug: String = row.get(slug_col)?;
    parse_zone(&row.get::<_, String>(zone_col)?, Some(&slug), zone_col)
}

pub fn parse_zone(name: &str, blog: Option<&str>, col: usize) -> rusqlite::Result<Tz> {
    name.parse::<Tz>().map_err(|_| {
        bad(
            col,
            UnknownZone {
                zone: name.to_string(),
                blog: blog.map(str::to_string),
            },
        )
    })
}

pub fn blocks_from_json(json: &str, col: usize) -> rusqlite::Result<Vec<Block>> {
    serde_json::from_str(json).map_err(|e| bad(col, e))
}

pub fn status_at(row: &Row, col: usize) -> rusqlite::Result<Status> {
    let s: String = row.get(col)?;
    s.parse::<Status>().map_err(|e| bad(col, e))
}

/// A blog whose zone this build does not know is still read, its times in
/// UTC (instants stay instants) and `timezone` as stored, so that one such
/// blog does not hide all the others; what needs the zone (entries, times
/// typed in it, publishing) is refused with [`UnknownZone`].
pub fn blog(row: &Row) -> rusqlite::Result<Blog> {
    let stored: String = row.get(5)?;
    let zone = stored.parse::<Tz>().unwrap_or(Tz::UTC);
    let at = |col: usize| -> rusqlite::Result<_> { Ok(in_zone(from_millis(row.get(col)?), zone)) };
    let coverage_end: Option<i64> = row.get(7)?;
    Ok(Blog {
        id: uuid_at(row, 0)?,
        slug: row.get(1)?,
        title: row.get(2)?,
        summary: row.get(3)?,
        language: row.get(4)?,
        timezone: stored,
        coverage_start: at(6)?,
        coverage_end: coverage_end.map(|ms| in_zone(from_millis(ms), zone)),
        live: coverage_end.is_none(),
        created_at: at(8)?,
        updated_at: at(9)?,
    })
}

pub fn entry(row: &Row) -> rusqlite::Result<Entry> {
    let zone = blog_zone_at(row, 1, 2)?;
    let at = |col: usize| -> rusqlite::Result<_> { Ok(in_zone(from_millis(row.get(col)?), zone)) };
    let published: Option<i64> = row.get(12)?;
    let position: Vec<u8> = row.get(16)?;
    let body: String = row.get(17)?;
    Ok(Entry {
        id: uuid_at(row, 0)?,
        blog: row.get(1)?,
        title: row.get(3)?,
        status: status_at(row, 4)?,
        pinned: row.get(5)?,
        key_event: row.get(6)?,
        author: row.get(7)?,
        display_at: at(8)?,
        display_at_set: row.get(9)?,
        created_at: at(10)?,
        updated_at: at(11)?,
        published_at: published.map(|ms| in_zone(from_millis(ms), zone)),
        revision: row.get(13)?,
        correction_note: row.get(14)?,
        review_note: row.get(15)?,
        position: hex(&position),
        blocks: blocks_from_json(&body, 17)?,
        photos: Vec::new(),
        warnings: Vec::new(),
    })
}

pub fn revision(row: &Row, zone: Tz) -> rusqlite::Result<Revision> {
    let at = |col: usize| -> rusqlite::Result<_> { Ok(in_zone(from_millis(row.get(col)?), zone)) };
    let action: String = row.get(3)?;
    let body: String = row.get(10)?;
    Ok(Revision {
        revision: row.get(0)?,
        at: at(1)?,
        author: row.get(2)?,
        action,
        restored_from: row.get(4)?,
        content: RevisionContent {
            title: row.get(5)?,
            author: row.get(6)?,
            display_at: at(7)?,
            display_at_set: row.get(8)?,
            correction_note: row.get(9)?,
            blocks: blocks_from_json(&body, 10)?,
        },
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
