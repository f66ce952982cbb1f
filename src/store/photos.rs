//! Photos in the store: import (check, render, write files, attach to the
//! entry as a new revision), look up, edit; and the rules that tie photos to
//! entries (a photo block names a photo of its own entry; no published entry
//! shows an uncredited photo).

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entries::{load, save_content, Save};
use super::Store;
use crate::blocks::Block;
use crate::error::{Error, Result};
use crate::model::Status;
use crate::photos::media::{sha256_hex, MediaDir, Written};
use crate::photos::pipeline::{self, Inspected};
use crate::photos::{warnings_for, ImportProgress, Photo, PhotoEdit, PhotoText, Rendition};
use crate::text;
use crate::time::{self, from_millis, in_zone, to_millis};

const MAX_CREDIT: usize = 300;
const MAX_CAPTION: usize = 2_000;
const MAX_ALT: usize = 2_000;

/// Read a photo id as typed by a person or sent by the app.
pub fn parse_photo_id(raw: &str) -> Result<Uuid> {
    Uuid::parse_str(raw.trim()).map_err(|_| {
        Error::invalid(format!(
            "'{}' is not a photo id (see the photos of `liveline entry show ID --json`)",
            raw.escape_debug()
        ))
    })
}

/// A rendition as stored in `media.renditions` (file name only: the folder
/// moves with the database).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredRendition {
    file: String,
    width: u32,
    height: u32,
    mime: String,
}

/// Everything `media` holds about one original.
struct MediaRow {
    sha256: String,
    format: String,
    bytes: u64,
    width: u32,
    height: u32,
    taken_at: Option<String>,
    camera: Option<String>,
    has_location: bool,
    artist: Option<String>,
    copyright: Option<String>,
    placeholder: String,
    renditions: Vec<StoredRendition>,
}

const PHOTO_COLUMNS: &str = "p.id, p.entry_id, p.credit, p.caption, p.alt, p.original_name, \
     p.created_at, p.updated_at, m.sha256, m.format, m.bytes, m.width, m.height, m.taken_at, \
     m.camera, m.has_location, m.placeholder, m.renditions, b.timezone";

const PHOTO_FROM: &str = "photos p JOIN media m ON m.sha256 = p.sha256 \
     JOIN entries e ON e.id = p.entry_id JOIN blogs b ON b.id = e.blog_id";

fn photo_row(row: &rusqlite::Row, media: &MediaDir) -> rusqlite::Result<Photo> {
    let bad = |col: usize, e: String| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, e.into())
    };
    let id: String = row.get(0)?;
    let id = Uuid::parse_str(&id).map_err(|e| bad(0, e.to_string()))?;
    let entry: String = row.get(1)?;
    let entry = Uuid::parse_str(&entry).map_err(|e| bad(1, e.to_string()))?;
    let zone = super::rows::zone_at(row, 18)?;
    let at = |col: usize| -> rusqlite::Result<_> { Ok(in_zone(from_millis(row.get(col)?), zone)) };
    let credit: Option<String> = row.get(2)?;
    let alt: Option<String> = row.get(4)?;
    let renditions: String = row.get(17)?;
    let renditions: Vec<StoredRendition> =
        serde_json::from_str(&renditions).map_err(|e| bad(17, e.to_string()))?;
    Ok(Photo {
        id,
        entry,
        warnings: warnings_for(id, credit.as_deref(), alt.as_deref()),
        credit,
        caption: row.get(3)?,
        alt,
        original_name: row.get(5)?,
        created_at: at(6)?,
        updated_at: at(7)?,
        sha256: row.get(8)?,
        format: row.get(9)?,
        bytes: row.get::<_, i64>(10)?.max(0) as u64,
        width: row.get(11)?,
        height: row.get(12)?,
        taken_at: row.get(13)?,
        camera: row.get(14)?,
        has_location: row.get(15)?,
        placeholder: row.get(16)?,
        renditions: renditions
            .into_iter()
            .map(|r| Rendition {
                path: media.path(&r.file).display().to_string(),
                width: r.width,
                height: r.height,
                mime: r.mime,
            })
            .collect(),
    })
}

pub(super) fn read_photo(conn: &Connection, media: &MediaDir, id: Uuid) -> Result<Photo> {
    conn.query_row(
        &format!("SELECT {PHOTO_COLUMNS} FROM {PHOTO_FROM} WHERE p.id = ?1"),
        [id.to_string()],
        |r| photo_row(r, media),
    )
    .optional()?
    .ok_or_else(|| photo_not_found(&id.to_string()))
}

/// The photos of the given entries, in the order they were added.
pub(super) fn photos_of(
    conn: &Connection,
    media: &MediaDir,
    entry_ids: &[Uuid],
) -> Result<Vec<Photo>> {
    if entry_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(&entry_ids).map_err(|e| Error::invalid(e.to_string()))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PHOTO_COLUMNS} FROM {PHOTO_FROM} \
         WHERE p.entry_id IN (SELECT value FROM json_each(?1)) ORDER BY p.id"
    ))?;
    let photos = stmt
        .query_map([ids], |r| photo_row(r, media))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(photos)
}

fn photo_not_found(id: &str) -> Error {
    Error::NotFound {
        kind: "photo",
        id: id.to_string(),
    }
}

/// The photo ids a body shows.
fn shown_photos(blocks: &[Block]) -> impl Iterator<Item = &str> {
    blocks.iter().filter_map(|b| match b {
        Block::Photo { photo_id } => Some(photo_id.as_str()),
        _ => None,
    })
}

/// Every photo block must name a photo added to this entry.
pub(super) fn check_photo_blocks(tx: &Transaction, entry_id: &str, blocks: &[Block]) -> Result<()> {
    for photo_id in shown_photos(blocks) {
        let owner: Option<String> = tx
            .query_row(
                "SELECT entry_id FROM photos WHERE id = ?1",
                [photo_id],
                |r| r.get(0),
            )
            .optional()?;
        match owner {
            None => return Err(photo_not_found(&photo_id.escape_debug().to_string())),
            Some(owner) if owner != entry_id => {
                return Err(Error::invalid(format!(
                    "photo {photo_id} belongs to entry {owner}; add the file to this entry with `liveline photo add`"
                )))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Refuse to let entry `entry_id` be (or stay) published while its body
/// shows a photo without a credit.
pub(super) fn require_credits(tx: &Transaction, entry_id: &str, blocks: &[Block]) -> Result<()> {
    for photo_id in shown_photos(blocks) {
        let credit: Option<Option<String>> = tx
            .query_row("SELECT credit FROM photos WHERE id = ?1", [photo_id], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(None) = credit {
            return Err(Error::Conflict(format!(
                "entry {entry_id} cannot be published with photo {photo_id}: the photo has no credit \
                 (add one: liveline photo edit {photo_id} --credit NAME)"
            )));
        }
    }
    Ok(())
}

/// The editorial fields of an entry's photos, kept with each revision.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct PhotoSnapshot {
    id: String,
    credit: Option<String>,
    caption: Option<String>,
    alt: Option<String>,
}

pub(super) fn snapshot(tx: &Transaction, entry_id: &str) -> Result<String> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, credit, caption, alt FROM photos WHERE entry_id = ?1 ORDER BY id",
    )?;
    let rows: Vec<PhotoSnapshot> = stmt
        .query_map([entry_id], |r| {
            Ok(PhotoSnapshot {
                id: r.get(0)?,
                credit: r.get(1)?,
                caption: r.get(2)?,
                alt: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    serde_json::to_string(&rows).map_err(|e| Error::invalid(e.to_string()))
}

/// Bring back the photos' editorial fields recorded with a revision.
pub(super) fn apply_snapshot(tx: &Transaction, entry_id: &str, json: &str) -> Result<()> {
    let rows: Vec<PhotoSnapshot> = serde_json::from_str(json)
        .map_err(|e| Error::invalid(format!("damaged photo history: {e}")))?;
    let now = to_millis(time::now());
    for p in rows {
        tx.execute(
            "UPDATE photos SET credit = ?1, caption = ?2, alt = ?3, updated_at = ?4 WHERE id = ?5 AND entry_id = ?6",
            params![p.credit, p.caption, p.alt, now, p.id, entry_id],
        )?;
    }
    Ok(())
}

/// Credit to offer when none was given: the file's own Artist / Copyright.
fn credit_from_exif(inspected: &Inspected) -> Option<String> {
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match (
        clean(&inspected.exif.artist),
        clean(&inspected.exif.copyright),
    ) {
        (Some(a), Some(c)) if a == c => Some(a),
        (Some(a), Some(c)) => Some(format!("{a}/{c}")),
        (a, c) => a.or(c),
    }
}

fn taken_at(inspected: &Inspected) -> Option<String> {
    let exif = &inspected.exif;
    exif.taken_at.map(|t| time::rfc3339(&t)).or_else(|| {
        exif.taken_at_local
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
    })
}

fn format_name(f: pipeline::Format) -> &'static str {
    match f {
        pipeline::Format::Jpeg => "jpeg",
        pipeline::Format::Png => "png",
        pipeline::Format::WebP => "webp",
    }
}

/// The original's file extension for a `media.format` value.
fn stored_extension(format: &str) -> Result<&'static str> {
    use pipeline::Format::*;
    [Jpeg, Png, WebP]
        .into_iter()
        .find(|f| format_name(*f) == format)
        .map(|f| f.extension())
        .ok_or_else(|| Error::invalid(format!("damaged media row: format {format}")))
}

fn extension_of(mime: &str) -> &'static str {
    match mime {
        "image/webp" => "webp",
        "image/png" => "png",
        _ => "jpg",
    }
}

/// Where an imported photo comes from: a file, or bytes pasted into the
/// app under the name they came with.
enum PhotoSource<'a> {
    File(&'a Path),
    Pasted { name: &'a str, bytes: Vec<u8> },
}

impl PhotoSource<'_> {
    /// How errors name it.
    fn label(&self) -> String {
        match self {
            PhotoSource::File(file) => file.display().to_string(),
            PhotoSource::Pasted { name, .. } => format!("the pasted image '{name}'"),
        }
    }

    /// The original's name as stored (the last component only).
    fn original_name(&self) -> String {
        match self {
            PhotoSource::File(file) => file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "photo".into()),
            PhotoSource::Pasted { name, .. } => safe_file_name(name),
        }
    }

    fn into_bytes(self) -> Result<Vec<u8>> {
        let label = self.label();
        match self {
            PhotoSource::File(file) => read_photo_file(file),
            PhotoSource::Pasted { bytes, .. } => {
                check_size(&label, bytes.len() as u64)?;
                Ok(bytes)
            }
        }
    }
}

/// The last component of a name another program gave, without anything
/// that could make a path of it; never empty.
fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .take(120)
        .collect();
    let clean = clean.trim_matches(['.', ' ']).to_string();
    if clean.is_empty() {
        "pasted-image".to_string()
    } else {
        clean
    }
}

/// Refuse an empty original or one over the size limit.
fn check_size(label: &str, len: u64) -> Result<()> {
    if len == 0 {
        return Err(Error::invalid(format!("{label}: the file is empty")));
    }
    if len > pipeline::MAX_FILE_BYTES {
        return Err(too_big(label, len));
    }
    Ok(())
}

fn too_big(label: &str, len: u64) -> Error {
    Error::invalid(format!(
        "{label}: the file is {:.1} MB; at most {} MB are accepted",
        len as f64 / 1_048_576.0,
        pipeline::MAX_FILE_BYTES / 1_048_576
    ))
}

/// Read the file with its size checked first: a 10 GB file is refused, not loaded.
fn read_photo_file(file: &Path) -> Result<Vec<u8>> {
    let label = file.display().to_string();
    let meta = std::fs::metadata(file).map_err(|e| Error::io(format!("cannot read {label}"), e))?;
    if !meta.is_file() {
        return Err(Error::invalid(format!("{label}: not a file")));
    }
    check_size(&label, meta.len())?;
    // Read at most one byte past the limit: the file may still be growing
    // (a camera or sync tool writing it) after the size was looked at.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(file)
        .and_then(|f| f.take(pipeline::MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io(format!("cannot read {label}"), e))?;
    if bytes.len() as u64 > pipeline::MAX_FILE_BYTES {
        return Err(too_big(&label, bytes.len() as u64));
    }
    Ok(bytes)
}

impl Store {
    fn media(&self) -> Result<&MediaDir> {
        self.media
            .as_ref()
            .ok_or_else(|| Error::invalid("photos need a database file; this store is in memory"))
    }

    pub fn photo(&self, id: Uuid) -> Result<Photo> {
        read_photo(&self.conn, self.media()?, id)
    }

    /// The smallest WebP rendition of a photo at least `width` wide (else
    /// the largest): its MIME type and bytes, for a preview in the app.
    pub fn photo_preview(&self, id: Uuid, width: u32) -> Result<(String, Vec<u8>)> {
        let photo = self.photo(id)?;
        let mut renditions: Vec<_> = photo
            .renditions
            .iter()
            .filter(|r| r.mime == "image/webp")
            .collect();
        renditions.sort_by_key(|r| r.width);
        let chosen = renditions
            .iter()
            .find(|r| r.width >= width)
            .or(renditions.last())
            .ok_or_else(|| Error::invalid(format!("photo {id} has no rendition to show")))?;
        let bytes = std::fs::read(&chosen.path)
            .map_err(|e| Error::io(format!("cannot read {}", chosen.path), e))?;
        Ok((chosen.mime.clone(), bytes))
    }

    /// Import `file` and append it to entry `entry` as a photo block (a new
    /// revision). The file is checked before anything is written; a refusal
    /// leaves the database and the media folder as they were.
    pub fn add_photo(
        &mut self,
        entry: Uuid,
        file: &Path,
        text_in: PhotoText,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> Result<Photo> {
        self.import_photo(entry, PhotoSource::File(file), text_in, progress, true)
    }

    /// Import `file` as a photo of entry `entry` without touching its body:
    /// for an editor that owns the body and inserts the photo block itself
    /// (appending here would race with the editor's own saves).
    pub fn add_photo_detached(
        &mut self,
        entry: Uuid,
        file: &Path,
        text_in: PhotoText,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> Result<Photo> {
        self.import_photo(entry, PhotoSource::File(file), text_in, progress, false)
    }

    /// Import image bytes pasted into the app, detached as above; `name` is
    /// the name they came with (only its last component is kept).
    pub fn add_pasted_photo_detached(
        &mut self,
        entry: Uuid,
        name: &str,
        bytes: Vec<u8>,
        text_in: PhotoText,
        progress: &(dyn Fn(ImportProgress) + Sync),
    ) -> Result<Photo> {
        let source = PhotoSource::Pasted { name, bytes };
        self.import_photo(entry, source, text_in, progress, false)
    }

    fn import_photo(
        &mut self,
        entry: Uuid,
        source: PhotoSource,
        text_in: PhotoText,
        progress: &(dyn Fn(ImportProgress) + Sync),
        append: bool,
    ) -> Result<Photo> {
        let media = self.media()?.clone();
        let label = source.label();
        let name = source.original_name();
        let current = self.entry(entry)?;
        if current.status == Status::Retracted {
            return Err(Error::Conflict(format!(
                "entry {entry} is retracted; photos cannot be added to it"
            )));
        }
        let caption = text::optional_text(text_in.caption.as_deref(), "caption", MAX_CAPTION)?;
        let alt = text::optional_text(text_in.alt.as_deref(), "alt text", MAX_ALT)?;
        let credit = text::optional_line(text_in.credit.as_deref(), "credit", MAX_CREDIT)?;

        progress(ImportProgress::Reading);
        let bytes = source.into_bytes()?;
        progress(ImportProgress::Checking);
        let inspected = pipeline::inspect(&bytes)
            .map_err(|reason| Error::invalid(format!("{label}: {reason}")))?;
        let credit = credit.or_else(|| credit_from_exif(&inspected));
        if current.status == Status::Published && credit.is_none() {
            return Err(Error::Conflict(format!(
                "entry {entry} is published: a photo added to it needs a credit (--credit NAME)"
            )));
        }
        let sha = sha256_hex(&bytes);
        // Held until the row naming the files is committed (or the import
        // fails): a crash in between leaves a mark the next open sweeps.
        let _running = media.begin_import()?;
        let known = self.media_known(&media, &sha, inspected.format)?;
        let mut written: Vec<Written> = Vec::new();
        let row = match known {
            Some(row) => row,
            None => {
                let result = self.render_and_store(
                    &media,
                    &bytes,
                    &inspected,
                    &sha,
                    &label,
                    progress,
                    &mut written,
                );
                match result {
                    Ok(row) => row,
                    Err(e) => {
                        media.remove_created(&written);
                        return Err(e);
                    }
                }
            }
        };
        progress(ImportProgress::Saving);
        let user = self.user.clone();
        let id = Uuid::now_v7();
        let result = self.write(|tx| {
            insert_media(tx, &row)?;
            let cur = load(tx, entry)?;
            let now = to_millis(time::now());
            tx.execute(
                "INSERT INTO photos (id, entry_id, sha256, original_name, credit, caption, alt, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![id.to_string(), cur.id, row.sha256, name, credit, caption, alt, now],
            )?;
            if cur.status == Status::Retracted {
                return Err(Error::Conflict(format!("entry {entry} is retracted; photos cannot be added to it")));
            }
            if !append {
                return read_photo(tx, &media, id);
            }
            let mut blocks: Vec<Block> = serde_json::from_str(&cur.content.body)
                .map_err(|e| Error::invalid(format!("damaged entry body: {e}")))?;
            blocks.push(Block::Photo { photo_id: id.to_string() });
            crate::blocks::validate(&blocks)?;
            if cur.status == Status::Published {
                require_credits(tx, &cur.id, &blocks)?;
            }
            let mut next = cur.content.clone();
            next.body = serde_json::to_string(&blocks).map_err(|e| Error::invalid(e.to_string()))?;
            save_content(tx, &cur, &next, &Save::new(&user, "edited"))?;
            read_photo(tx, &media, id)
        });
        if result.is_err()
            && !written.is_empty()
            && self.media_known(&media, &sha, inspected.format)?.is_none()
        {
            media.remove_created(&written);
        }
        if result.is_ok() {
            progress(ImportProgress::Done);
        }
        result
    }

    /// Every file name the media table holds: originals and renditions.
    pub(super) fn media_file_names(&self) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT sha256, format, renditions FROM media")?;
        let mut rows = stmt.query([])?;
        let mut names = HashSet::new();
        while let Some(r) = rows.next()? {
            let (sha, format, renditions): (String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?);
            names.insert(format!("{sha}.{}", stored_extension(&format)?));
            let renditions: Vec<StoredRendition> = serde_json::from_str(&renditions)
                .map_err(|e| Error::invalid(format!("damaged media row: {e}")))?;
            names.extend(renditions.into_iter().map(|r| r.file));
        }
        Ok(names)
    }

    /// The stored facts of an original whose files are all present.
    /// The stored media row for `sha`, if its original and every rendition
    /// are still on disk (otherwise the import renders them again).
    fn media_known(
        &self,
        media: &MediaDir,
        sha: &str,
        format: pipeline::Format,
    ) -> Result<Option<MediaRow>> {
        let row = self
            .conn
            .query_row(
                "SELECT sha256, format, bytes, width, height, taken_at, camera, has_location, artist, \
                 copyright, placeholder, renditions FROM media WHERE sha256 = ?1",
                [sha],
                |r| {
                    let renditions: String = r.get(11)?;
                    Ok((renditions, MediaRow {
                        sha256: r.get(0)?,
                        format: r.get(1)?,
                        bytes: r.get::<_, i64>(2)?.max(0) as u64,
                        width: r.get(3)?,
                        height: r.get(4)?,
                        taken_at: r.get(5)?,
                        camera: r.get(6)?,
                        has_location: r.get(7)?,
                        artist: r.get(8)?,
                        copyright: r.get(9)?,
                        placeholder: r.get(10)?,
                        renditions: Vec::new(),
                    }))
                },
            )
            .optional()?;
        let Some((renditions, mut row)) = row else {
            return Ok(None);
        };
        row.renditions = serde_json::from_str(&renditions)
            .map_err(|e| Error::invalid(format!("damaged media row: {e}")))?;
        let original = format!("{sha}.{}", format.extension());
        let complete = media.path(&original).exists()
            && row.renditions.iter().all(|r| media.path(&r.file).exists());
        Ok(complete.then_some(row))
    }

    #[allow(clippy::too_many_arguments)]
    fn render_and_store(
        &self,
        media: &MediaDir,
        bytes: &[u8],
        inspected: &Inspected,
        sha: &str,
        label: &str,
        progress: &(dyn Fn(ImportProgress) + Sync),
        written: &mut Vec<Written>,
    ) -> Result<MediaRow> {
        let total = (2 * pipeline::WIDTHS
            .iter()
            .filter(|w| **w <= inspected.width)
            .count()
            .max(1)) as u32;
        let done = AtomicU32::new(0);
        progress(ImportProgress::Rendering { done: 0, total });
        let rendered = pipeline::render(bytes, inspected, &|step| {
            if let pipeline::Step::Encoded { .. } = step {
                let done = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(ImportProgress::Rendering { done, total });
            }
        })
        .map_err(|reason| Error::invalid(format!("{label}: {reason}")))?;
        written.push(media.put(bytes, inspected.format.extension())?);
        let mut renditions = Vec::with_capacity(rendered.renditions.len());
        for r in &rendered.renditions {
            let w = media.put(&r.bytes, extension_of(r.mime))?;
            renditions.push(StoredRendition {
                file: w.file.clone(),
                width: r.width,
                height: r.height,
                mime: r.mime.to_string(),
            });
            written.push(w);
        }
        media.sync()?;
        Ok(MediaRow {
            sha256: sha.to_string(),
            format: format_name(inspected.format).to_string(),
            bytes: bytes.len() as u64,
            width: inspected.width,
            height: inspected.height,
            taken_at: taken_at(inspected),
            camera: inspected.exif.camera.clone(),
            has_location: inspected.has_location(),
            artist: inspected.exif.artist.clone(),
            copyright: inspected.exif.copyright.clone(),
            placeholder: rendered.thumbhash,
            renditions,
        })
    }

    /// Change a photo's credit, caption or alt text (a new revision of its entry).
    pub fn edit_photo(&mut self, id: Uuid, edit: PhotoEdit) -> Result<Photo> {
        let media = self.media()?.clone();
        let credit = edit
            .credit
            .as_deref()
            .map(|c| text::optional_line(Some(c), "credit", MAX_CREDIT))
            .transpose()?;
        let caption = edit
            .caption
            .as_deref()
            .map(|c| text::optional_text(Some(c), "caption", MAX_CAPTION))
            .transpose()?;
        let alt = edit
            .alt
            .as_deref()
            .map(|a| text::optional_text(Some(a), "alt text", MAX_ALT))
            .transpose()?;
        let user = self.user.clone();
        self.write(|tx| {
            let before = read_photo(tx, &media, id)?;
            let cur = load(tx, before.entry)?;
            let next = (
                credit.unwrap_or(before.credit.clone()),
                caption.unwrap_or(before.caption.clone()),
                alt.unwrap_or(before.alt.clone()),
            );
            if next == (before.credit.clone(), before.caption.clone(), before.alt.clone()) {
                return Ok(before);
            }
            if cur.status == Status::Retracted {
                return Err(Error::Conflict(format!("entry {} is retracted; its photos cannot be edited", before.entry)));
            }
            tx.execute(
                "UPDATE photos SET credit = ?1, caption = ?2, alt = ?3, updated_at = ?4 WHERE id = ?5",
                params![next.0, next.1, next.2, to_millis(time::now()), id.to_string()],
            )?;
            if cur.status == Status::Published {
                let blocks: Vec<Block> = serde_json::from_str(&cur.content.body)
                    .map_err(|e| Error::invalid(format!("damaged entry body: {e}")))?;
                require_credits(tx, &cur.id, &blocks)?;
            }
            save_content(tx, &cur, &cur.content, &Save::new(&user, "edited"))?;
            read_photo(tx, &media, id)
        })
    }
}

fn insert_media(tx: &Transaction, row: &MediaRow) -> Result<()> {
    let renditions =
        serde_json::to_string(&row.renditions).map_err(|e| Error::invalid(e.to_string()))?;
    tx.execute(
        "INSERT OR IGNORE INTO media (sha256, format, bytes, width, height, taken_at, camera, has_location, \
         artist, copyright, placeholder, renditions, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            row.sha256,
            row.format,
            row.bytes as i64,
            row.width,
            row.height,
            row.taken_at,
            row.camera,
            row.has_location,
            row.artist,
            row.copyright,
            row.placeholder,
            renditions,
            to_millis(time::now())
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_names_cannot_make_paths() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\Users\\ana\\photo.jpg"), "photo.jpg");
        assert_eq!(safe_file_name(".."), "pasted-image");
        assert_eq!(safe_file_name("a\u{0}b?.png"), "ab.png");
        assert_eq!(safe_file_name(""), "pasted-image");
    }
}
