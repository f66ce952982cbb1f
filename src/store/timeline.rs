//! The timeline: every entry of a blog in editorial order, as light rows
//! that a desktop view can hold ten thousand of at once.

use std::collections::HashMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::blogs::blog_id;
use super::Store;
use super::{entries, rows};
use crate::blocks::Block;
use crate::error::Result;
use crate::model::Status;
use crate::photos::warnings_for;
use crate::time::{from_millis, in_zone, rfc3339};

/// Characters of body text a row shows.
const EXCERPT_CHARS: usize = 160;

/// Which rows to show: all, or those of one status; and text to look for
/// (in title, byline and body, ignoring case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TimelineQuery {
    pub status: Option<Status>,
    pub search: Option<String>,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TimelineRow {
    #[ts(type = "string")]
    pub id: Uuid,
    pub title: String,
    pub status: Status,
    pub pinned: bool,
    pub key_event: bool,
    pub author: Option<String>,
    /// RFC 3339 in the blog's zone.
    pub display_at: String,
    pub updated_at: String,
    /// The start of the body's text.
    pub excerpt: String,
    /// The first photo the body shows.
    pub photo: Option<TimelinePhoto>,
    pub photo_count: u32,
    /// What an editor should fix (photo credit, alt text).
    pub warnings: Vec<String>,
    pub correction_note: Option<String>,
    pub review_note: Option<String>,
}

/// Enough of a photo to draw its placeholder at the right shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TimelinePhoto {
    #[ts(type = "string")]
    pub id: Uuid,
    /// ThumbHash, base64.
    pub placeholder: String,
    pub width: u32,
    pub height: u32,
}

struct PhotoFacts {
    placeholder: String,
    width: u32,
    height: u32,
    credit: Option<String>,
    alt: Option<String>,
}

impl Store {
    /// The blog's entries in editorial order (pinned first), filtered.
    pub fn timeline(&self, slug: &str, query: &TimelineQuery) -> Result<Vec<TimelineRow>> {
        let blog_id = blog_id(&self.conn, slug)?;
        let needle = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_lowercase);
        let status = query.status.map(|s| s.as_str());
        let photos = self.photo_facts("e.blog_id = ?1", &blog_id)?;
        self.timeline_rows(
            "e.blog_id = ?1 AND (?2 IS NULL OR e.status = ?2)",
            params![blog_id, status],
            &photos,
            needle.as_deref(),
        )
    }

    /// One entry's timeline row: what the app refreshes after an edit,
    /// instead of the whole timeline.
    pub fn timeline_row(&self, id: Uuid) -> Result<TimelineRow> {
        let key = id.to_string();
        let photos = self.photo_facts("p.entry_id = ?1", &key)?;
        let rows = self.timeline_rows("e.id = ?1", params![key], &photos, None)?;
        rows.into_iter()
            .next()
            .ok_or_else(|| entries::entry_not_found(id))
    }

    fn timeline_rows(
        &self,
        filter: &str,
        args: impl rusqlite::Params,
        photos: &HashMap<Uuid, PhotoFacts>,
        needle: Option<&str>,
    ) -> Result<Vec<TimelineRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT e.id, e.title, e.status, e.pinned, e.key_event, e.author, e.display_at, \
                    e.updated_at, e.body, e.correction_note, e.review_note, b.timezone \
               FROM entries e JOIN blogs b ON b.id = e.blog_id \
              WHERE {filter} ORDER BY e.pinned DESC, e.position ASC"
        ))?;
        let mut out = Vec::new();
        let mut found = stmt.query(args)?;
        while let Some(row) = found.next()? {
            let zone = rows::zone_at(row, 11)?;
            let at = |col: usize| -> rusqlite::Result<String> {
                Ok(rfc3339(&in_zone(from_millis(row.get(col)?), zone)))
            };
            let body: String = row.get(8)?;
            let blocks = rows::blocks_from_json(&body, 8)?;
            let text = body_text(&blocks);
            let title: String = row.get(1)?;
            let author: Option<String> = row.get(5)?;
            if let Some(needle) = needle {
                let hay = [title.as_str(), author.as_deref().unwrap_or(""), &text];
                if !hay.iter().any(|h| h.to_lowercase().contains(needle)) {
                    continue;
                }
            }
            let photo_ids: Vec<Uuid> = blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Photo { photo_id } => Uuid::parse_str(photo_id).ok(),
                    _ => None,
                })
                .collect();
            let mut warnings = Vec::new();
            for id in &photo_ids {
                if let Some(p) = photos.get(id) {
                    warnings.extend(warnings_for(*id, p.credit.as_deref(), p.alt.as_deref()));
                }
            }
            let photo = photo_ids.first().and_then(|id| {
                photos.get(id).map(|p| TimelinePhoto {
                    id: *id,
                    placeholder: p.placeholder.clone(),
                    width: p.width,
                    height: p.height,
                })
            });
            out.push(TimelineRow {
                id: rows::uuid_at(row, 0)?,
                title,
                status: rows::status_at(row, 2)?,
                pinned: row.get(3)?,
                key_event: row.get(4)?,
                author,
                display_at: at(6)?,
                updated_at: at(7)?,
                excerpt: excerpt(&text),
                photo,
                photo_count: photo_ids.len() as u32,
                warnings,
                correction_note: row.get(9)?,
                review_note: row.get(10)?,
            });
        }
        Ok(out)
    }

    /// Placeholder, size and editorial fields of the photos `filter`
    /// selects (over `photos p` and `entries e`): a blog's or one entry's.
    fn photo_facts(&self, filter: &str, arg: &str) -> Result<HashMap<Uuid, PhotoFacts>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT p.id, m.placeholder, m.width, m.height, p.credit, p.alt \
               FROM photos p JOIN media m ON m.sha256 = p.sha256 \
               JOIN entries e ON e.id = p.entry_id WHERE {filter}"
        ))?;
        let rows = stmt.query_map([arg], |r| {
            Ok((
                r.get::<_, String>(0)?,
                PhotoFacts {
                    placeholder: r.get(1)?,
                    width: r.get(2)?,
                    height: r.get(3)?,
                    credit: r.get(4)?,
                    alt: r.get(5)?,
                },
            ))
        })?;
        let mut facts = HashMap::new();
        for row in rows {
            let (id, f) = row?;
            if let Ok(id) = Uuid::parse_str(&id) {
                facts.insert(id, f);
            }
        }
        Ok(facts)
    }
}

/// The body's words, blocks separated by a space.
fn body_text(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks
        .iter()
        .map(Block::plain_text)
        .filter(|t| !t.is_empty())
        .collect();
    parts.join(" ")
}

/// The first characters of `text`, cut at a word and marked with an ellipsis.
fn excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > EXCERPT_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_at_a_word_and_short_text_stays_whole() {
        assert_eq!(excerpt("Short  text\nhere"), "Short text here");
        let long = "word ".repeat(100);
        let cut = excerpt(&long);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
        let unbroken = "x".repeat(400);
        assert_eq!(excerpt(&unbroken).chars().count(), EXCERPT_CHARS + 1);
    }
}
