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

/// The last publish of a blog into a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishRun {
    /// The change clock when it read the database.
    pub seq: i64,
    /// Hash of everything outside the entries that pages depend on.
    pub context: String,
    pub entry_count: usize,
    /// Latest `updated_at` of a published entry (ms), for liveblog.jsonld.
    pub last_modified: Option<i64>,
}

/// A page as the last publish wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageState {
    pub name: String,
    pub fingerprint: String,
    pub bytes: u64,
    /// Output-folder names (`media/<file>`) of the renditions it shows.
    pub media: Vec<String>,
    pub warnings: Vec<String>,
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
        self.index_rows(
            "WHERE blog_id = ?1 AND status = 'published' ORDER BY pinned DESC, position ASC",
            [blog.to_string()],
        )
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

    /// The change clock's current tick (see migration 0003).
    pub fn change_clock(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT seq FROM change_clock", [], |r| r.get(0))?)
    }

    /// True if any entry of the blog may have changed its place in the
    /// published feed (status, pin or position) after tick `seq`.
    pub fn layout_changed_since(&self, blog: Uuid, seq: i64) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM entries WHERE blog_id = ?1 AND layout_seq > ?2)",
            params![blog.to_string(), seq],
            |r| r.get(0),
        )?)
    }

    /// Published entries changed after tick `seq`.
    pub fn published_changed_since(&self, blog: Uuid, seq: i64) -> Result<Vec<IndexRow>> {
        self.index_rows(
            "WHERE blog_id = ?1 AND change_seq > ?2 AND status = 'published'",
            params![blog.to_string(), seq],
        )
    }

    /// How many published entries come before one at (pinned, position).
    pub fn published_rank(&self, blog: Uuid, pinned: bool, position: &[u8]) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM entries INDEXED BY entries_publish_index \
             WHERE blog_id = ?1 AND status = 'published' \
             AND (pinned > ?2 OR (pinned = ?2 AND position < ?3))",
            params![blog.to_string(), pinned, position],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as usize)
    }

    /// `limit` published entries from `offset` in editorial order.
    pub fn published_range(
        &self,
        blog: Uuid,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<IndexRow>> {
        self.index_rows(
            "WHERE blog_id = ?1 AND status = 'published' \
             ORDER BY pinned DESC, position ASC LIMIT ?2 OFFSET ?3",
            params![blog.to_string(), limit as i64, offset as i64],
        )
    }

    pub fn publish_run(&self, blog: Uuid, out_dir: &str) -> Result<Option<PublishRun>> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, context, entry_count, last_modified FROM publish_runs \
                 WHERE blog_id = ?1 AND out_dir = ?2",
                params![blog.to_string(), out_dir],
                |r| {
                    Ok(PublishRun {
                        seq: r.get(0)?,
                        context: r.get(1)?,
                        entry_count: r.get::<_, i64>(2)?.max(0) as usize,
                        last_modified: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Pages the last publish into `out_dir` wrote; with `with_data_only`,
    /// only those that carry media or warnings.
    pub fn published_pages(
        &self,
        blog: Uuid,
        out_dir: &str,
        with_data_only: bool,
    ) -> Result<Vec<PageState>> {
        let filter = if with_data_only {
            "AND (media <> '[]' OR warnings <> '[]')"
        } else {
            ""
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT name, fingerprint, bytes, media, warnings FROM publish_pages \
             WHERE blog_id = ?1 AND out_dir = ?2 {filter}"
        ))?;
        let rows: Vec<(String, String, i64, String, String)> = stmt
            .query_map(params![blog.to_string(), out_dir], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(name, fingerprint, bytes, media, warnings)| {
                let list = |json: &str| -> Result<Vec<String>> {
                    serde_json::from_str(json)
                        .map_err(|e| Error::invalid(format!("damaged publish state: {e}")))
                };
                Ok(PageState {
                    name,
                    fingerprint,
                    bytes: bytes.max(0) as u64,
                    media: list(&media)?,
                    warnings: list(&warnings)?,
                })
            })
            .collect()
    }

    /// Record a publish: the run, and the pages written or confirmed. With
    /// `replace_all`, pages not in `pages` are forgotten.
    pub fn save_publish(
        &mut self,
        blog: Uuid,
        out_dir: &str,
        run: &PublishRun,
        pages: &[PageState],
        replace_all: bool,
    ) -> Result<()> {
        self.write(|tx| {
            let blog = blog.to_string();
            tx.execute(
                "INSERT INTO publish_runs (blog_id, out_dir, seq, context, entry_count, last_modified, published_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (blog_id, out_dir) DO UPDATE SET \
                 seq = excluded.seq, context = excluded.context, entry_count = excluded.entry_count, \
                 last_modified = excluded.last_modified, published_at = excluded.published_at",
                params![
                    blog,
                    out_dir,
                    run.seq,
                    run.context,
                    run.entry_count as i64,
                    run.last_modified,
                    to_millis(time::now())
                ],
            )?;
            if replace_all {
                tx.execute(
                    "DELETE FROM publish_pages WHERE blog_id = ?1 AND out_dir = ?2",
                    params![blog, out_dir],
                )?;
            }
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO publish_pages (blog_id, out_dir, name, fingerprint, bytes, media, warnings) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for page in pages {
                let json = |list: &Vec<String>| serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
                insert.execute(params![
                    blog,
                    out_dir,
                    page.name,
                    page.fingerprint,
                    page.bytes as i64,
                    json(&page.media),
                    json(&page.warnings)
                ])?;
            }
            Ok(())
        })
    }

    /// `IndexRow`s of the entries `where_order` (a WHERE and ORDER BY) selects.
    fn index_rows(
        &self,
        where_order: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<IndexRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, pinned, key_event, revision, updated_at, position FROM entries {where_order}"
        ))?;
        let found = stmt
            .query_map(params, |r| {
                Ok(IndexRow {
                    id: rows::uuid_at(r, 0)?,
                    pinned: r.get(1)?,
                    key_event: r.get(2)?,
                    revision: r.get(3)?,
                    updated_at: r.get(4)?,
                    position: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(found)
    }
}
