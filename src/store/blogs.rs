//! Blogs: create, look up, list, end coverage.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;

use super::{rows, Store};
use crate::error::{Error, Result};
use crate::model::{Blog, NewBlog};
use crate::text;
use crate::time::{self, to_millis};

/// What write paths need to know about a blog.
pub(super) struct BlogRef {
    pub id: String,
    pub zone: chrono_tz::Tz,
}

pub(super) fn blog_ref(tx: &Transaction, slug: &str) -> Result<BlogRef> {
    tx.query_row(
        "SELECT id, timezone FROM blogs WHERE slug = ?1",
        [slug],
        |r| {
            Ok(BlogRef {
                id: r.get(0)?,
                zone: rows::parse_zone(&r.get::<_, String>(1)?, Some(slug), 1)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| blog_not_found(slug))
}

pub(super) fn blog_not_found(slug: &str) -> Error {
    Error::NotFound {
        kind: "blog",
        // Escaped: a slug typed with a line break must not break the one-line error.
        id: slug.escape_debug().to_string(),
    }
}

/// The id of the blog `slug`.
pub(super) fn blog_id(conn: &Connection, slug: &str) -> Result<String> {
    conn.query_row("SELECT id FROM blogs WHERE slug = ?1", [slug], |r| r.get(0))
        .optional()?
        .ok_or_else(|| blog_not_found(slug))
}

/// A new blog, checked and with its defaults filled in.
struct CheckedBlog {
    title: String,
    summary: Option<String>,
    zone: chrono_tz::Tz,
    language: String,
    slug: Option<String>,
}

fn check_new_blog(new: NewBlog) -> Result<CheckedBlog> {
    let title = text::required_line(&new.title, "title", text::MAX_TITLE)?;
    let summary = text::optional_text(new.summary.as_deref(), "summary", text::MAX_SUMMARY)?;
    let zone = match new.timezone.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => time::parse_zone(name)?,
        _ => time::system_zone(),
    };
    let language = match new.language.as_deref().map(str::trim) {
        Some(tag) if !tag.is_empty() => text::language_tag(tag)?,
        _ => "en".to_string(),
    };
    let slug = match new.slug.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => Some(text::valid_slug(s)?),
        _ => None,
    };
    Ok(CheckedBlog {
        title,
        summary,
        zone,
        language,
        slug,
    })
}

/// Insert a checked blog; returns its slug. A given slug must be free; a
/// derived one gets a number if taken.
fn insert_blog(tx: &Transaction, blog: CheckedBlog) -> Result<String> {
    let slug = match blog.slug {
        Some(slug) => {
            if slug_taken(tx, &slug)? {
                return Err(Error::Conflict(format!(
                    "a blog with the slug '{slug}' already exists; choose another with --slug"
                )));
            }
            slug
        }
        None => free_slug(tx, &text::slug_from_title(&blog.title))?,
    };
    let now = to_millis(time::now());
    tx.execute(
        "INSERT INTO blogs (id, slug, title, summary, language, timezone, coverage_start, \
         coverage_end, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, ?7, ?7)",
        params![
            Uuid::now_v7().to_string(),
            slug,
            blog.title,
            blog.summary,
            blog.language,
            blog.zone.name(),
            now
        ],
    )?;
    Ok(slug)
}

/// The blog `slug`, created from `new` if it does not exist yet.
pub(super) fn ensure_blog(tx: &Transaction, slug: &str, new: NewBlog) -> Result<BlogRef> {
    match blog_ref(tx, slug) {
        Err(Error::NotFound { .. }) => {
            insert_blog(
                tx,
                check_new_blog(NewBlog {
                    slug: Some(slug.into()),
                    ..new
                })?,
            )?;
            blog_ref(tx, slug)
        }
        found => found,
    }
}

pub(super) fn read_blog(conn: &Connection, slug: &str) -> Result<Blog> {
    conn.query_row(
        &format!(
            "SELECT {} FROM blogs b WHERE b.slug = ?1",
            rows::BLOG_COLUMNS
        ),
        [slug],
        rows::blog,
    )
    .optional()?
    .ok_or_else(|| blog_not_found(slug))
}

impl Store {
    pub fn create_blog(&mut self, new: NewBlog) -> Result<Blog> {
        let checked = check_new_blog(new)?;
        self.write(|tx| {
            let slug = insert_blog(tx, checked)?;
            read_blog(tx, &slug)
        })
    }

    pub fn blog(&self, slug: &str) -> Result<Blog> {
        read_blog(&self.conn, slug)
    }

    /// All blogs, live ones first, newest first.
    pub fn blogs(&self) -> Result<Vec<Blog>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM blogs b ORDER BY b.coverage_end IS NOT NULL, b.created_at DESC",
            rows::BLOG_COLUMNS
        ))?;
        let blogs = stmt
            .query_map([], rows::blog)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(blogs)
    }

    /// End the coverage now. Entries stay editable (corrections go on).
    pub fn end_blog(&mut self, slug: &str) -> Result<Blog> {
        self.write(|tx| {
            let blog = blog_ref(tx, slug)?;
            let ended: Option<i64> = tx.query_row(
                "SELECT coverage_end FROM blogs WHERE id = ?1",
                [&blog.id],
                |r| r.get(0),
            )?;
            if let Some(ms) = ended {
                let when = time::rfc3339(&time::in_zone(time::from_millis(ms), blog.zone));
                return Err(Error::Conflict(format!(
                    "blog '{slug}' already ended at {when}"
                )));
            }
            let now = to_millis(time::now());
            tx.execute(
                "UPDATE blogs SET coverage_end = ?1, updated_at = ?1 WHERE id = ?2",
                params![now, blog.id],
            )?;
            read_blog(tx, slug)
        })
    }
}

fn slug_taken(tx: &Transaction, slug: &str) -> Result<bool> {
    Ok(tx
        .query_row("SELECT 1 FROM blogs WHERE slug = ?1", [slug], |_| Ok(()))
        .optional()?
        .is_some())
}

/// `base`, or `base-2`, `base-3`... whichever is free first.
fn free_slug(tx: &Transaction, base: &str) -> Result<String> {
    let mut candidate = base.to_string();
    let mut n = 2;
    while slug_taken(tx, &candidate)? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}
