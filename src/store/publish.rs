//! What publishing reads from and keeps in the database: a blog's output
//! settings, the published entries in editorial order, and the state of the
//! last publish into a folder (so a republish can skip unchanged pages).

use rusqlite::{params, OptionalExtension};
use uuid::Uuid;

use super::blogs::blog_id;
use super::entries::attach_photos;
use super::{rows, Store};
use crate::error::{Error, Result};
use crate::model::Entry;
use crate::publish::PublishSettings;
use crate::time::{self, to_millis};

/// A published entry as far as page boundaries and fingerprints need it:
/// everything that changes what the entry looks like in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    pub id: Uuid,
    pub pinned: bool,
    pub key_event: bool,
    pub revision: u32,
    pub updated_at: i64,
    pub position: Vec<u8>,
}

impl Store {
    /// Run `read` in one read transaction: every query it makes sees the
    /// same state, however other processes write meanwhile.
    pub fn read_snapshot<T>(&self, read: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction()?;
        let value = read(self)?;
        tx.commit()?;
        Ok(value)
    }

    pub fn publish_settings(&self, slug: &str) -> Result<Option<PublishSettings>> {
        let blog = blog_id(&self.conn, slug)?;
        Ok(self
            .conn
            .query_row(
                "SELECT out_dir, base_url, page_size FROM publish_settings WHERE blog_id = ?1",
                [blog],
                |r| {
                    Ok(PublishSettings {
                        out_dir: r.get(0)?,
                        base_url: r.get(1)?,
                        page_size: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn save_publish_settings(&mut self, slug: &str, settings: &PublishSettings) -> Result<()> {
        settings.check()?;
        self.write(|tx| {
            let blog = blog_id(tx, slug)?;
            tx.execute(
                "INSERT INTO publish_settings (blog_id, out_dir, base_url, page_size, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (blog_id) DO UPDATE SET \
                 out_dir = excluded.out_dir, base_url = excluded.base_url, \
                 page_size = excluded.page_size, updated_at = excluded.updated_at",
                params![
                    blog,
                    settings.out_dir,
                    settings.base_url,
                    settings.page_size,
                    to_millis(time::now())
                ],
            )?;
            Ok(())
        })
    }

    /// Published entries of a blog in editorial order (pinned first).
    pub fn published_index(&self, blog: Uuid) -> Result<Vec<IndexRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, pinned, key_event, revision, updated_at, position FROM entries \
             WHERE blog_id = ?1 AND status = 'published' ORDER BY pinned DESC, position ASC",
        )?;
        let rows = stmt
            .query_map([blog.to_string()], |r| {
                let id: String = r.get(0)?;
                Ok(IndexRow {
                    id: Uuid::parse_str(&id).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            0,
                            rusqlite::types::Type::Text,
                            e.into(),
                        )
                    })?,
                    pinned: r.get(1)?,
                    key_event: r.get(2)?,
                    revision: r.get(3)?,
                    updated_at: r.get(4)?,
                    position: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Full entries (with photos) by id, in the order asked for.
    pub fn entries_by_id(&self, ids: &[Uuid]) -> Result<Vec<Entry>> {
        let wanted = serde_json::to_string(&ids).map_err(|e| Error::invalid(e.to_string()))?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM entries e JOIN blogs b ON b.id = e.blog_id \
             WHERE e.id IN (SELECT value FROM json_each(?1))",
            rows::ENTRY_COLUMNS
        ))?;
        let mut found: std::collections::HashMap<Uuid, Entry> = stmt
            .query_map([wanted], rows::entry)?
            .map(|e| e.map(|e| (e.id, e)))
            .collect::<rusqlite::Result<_>>()?;
        let mut entries = ids
            .iter()
            .map(|id| {
                found.remove(id).ok_or_else(|| Error::NotFound {
                    kind: "entry",
                    id: id.to_string(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        attach_photos(&self.conn, self.media.as_ref(), &mut entries)?;
        Ok(entries)
    }

    /// The newest `limit` published key events: (id, title, display time in ms).
    pub fn key_events(&self, blog: Uuid, limit: u32) -> Result<Vec<(Uuid, String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, display_at FROM entries INDEXED BY entries_key_events \
             WHERE blog_id = ?1 AND status = 'published' AND key_event = 1 \
             ORDER BY display_at DESC, id DESC LIMIT ?2",
        )?;
        let rows: Vec<(String, String, i64)> = stmt
            .query_map(params![blog.to_string(), limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, title, at)| {
                let id =
                    Uuid::parse_str(&id).map_err(|e| Error::invalid(format!("damaged id: {e}")))?;
                Ok((id, title, at))
            })
            .collect()
    }

    /// The media folder beside the database (none in memory).
    pub fn media_root(&self) -> Option<std::path::PathBuf> {
        self.media.as_ref().map(|m| m.root().to_path_buf())
    }

    /// Ids of the blog's retracted entries (tombstones for polling sites).
    pub fn retracted_ids(&self, blog: Uuid) -> Result<Vec<Uuid>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM entries WHERE blog_id = ?1 AND status = 'retracted' ORDER BY id",
        )?;
        let ids: Vec<String> = stmt
            .query_map([blog.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter()
            .map(|id| Uuid::parse_str(id).map_err(|e| Error::invalid(format!("damaged id: {e}"))))
            .collect()
    }

    pub fn publish_state(&self, blog: Uuid, out_dir: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT state FROM publish_state WHERE blog_id = ?1 AND out_dir = ?2",
                params![blog.to_string(), out_dir],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn save_publish_state(&mut self, blog: Uuid, out_dir: &str, state: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO publish_state (blog_id, out_dir, state, published_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (blog_id, out_dir) DO UPDATE SET \
                 state = excluded.state, published_at = excluded.published_at",
                params![blog.to_string(), out_dir, state, to_millis(time::now())],
            )?;
            Ok(())
        })
    }
}
