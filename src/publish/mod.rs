//! Publishing: the blog's published entries as a JSON Feed 1.1 (paged),
//! `liveblog.jsonld`, the renditions they use in `media/`, and a reader page
//! `index.html`, written atomically and incrementally into a folder.
//!
//! One publish: read a consistent snapshot of the database; work out page
//! boundaries (`pages`); skip older pages whose fingerprint (the inputs they
//! are made from) matches the last publish into this folder; render the rest
//! (`feed`, `html`, `jsonld`, `reader`); check every rendered photo has a
//! credit; then stage, rename and clean up (`output`). Nothing is written
//! before every check has passed.

pub mod feed;
pub mod html;
pub mod jsonld;
pub mod output;
pub mod pages;
pub mod reader;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::blocks::Block;
use crate::error::{Error, Result};
use crate::model::{Blog, Entry};
use crate::store::{IndexRow, Store};
use crate::time::{self, in_zone, rfc3339};
use feed::{
    Author, FeedBlock, FeedExtension, FeedPage, FeedPhoto, FeedRendition, Item, ItemExtension,
    KeyEvent, OlderPageExtension, PageExtension,
};
use output::{OutDir, Staged};
use pages::PagePlan;

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 500;
/// Key events listed on the first page (newest first): a box, not an archive.
pub const MAX_KEY_EVENTS: u32 = 50;
/// Bump when the output format changes: every page is then rewritten.
const FORMAT: u32 = 1;

/// Where and how a blog is published (saved per blog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishSettings {
    pub out_dir: String,
    pub base_url: Option<String>,
    pub page_size: u32,
}

impl PublishSettings {
    pub fn check(&self) -> Result<()> {
        if self.out_dir.trim().is_empty() {
            return Err(Error::invalid("the output folder is empty"));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(Error::invalid(format!(
                "page size {} is out of range: use 1 to {MAX_PAGE_SIZE}",
                self.page_size
            )));
        }
        if let Some(base) = &self.base_url {
            base_url(base)?;
        }
        Ok(())
    }
}

/// A base URL as pages join onto it: http(s), no query or fragment, ending in `/`.
fn base_url(raw: &str) -> Result<url::Url> {
    let bad = |why: &str| Error::invalid(format!("base URL '{raw}' {why}"));
    let mut url = url::Url::parse(raw.trim()).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must start with http:// or https://"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query (?) or fragment (#)"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// What the caller asks for; anything left out comes from the saved settings.
#[derive(Debug, Clone, Default)]
pub struct PublishRequest {
    pub out_dir: Option<PathBuf>,
    pub base_url: Option<String>,
    pub page_size: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum PublishProgress {
    Reading,
    Rendering { done: u64, total: u64 },
    Writing { done: u64, total: u64 },
    Done,
}

/// What a publish did (`liveline publish --json`).
#[derive(Debug, Clone, Serialize)]
pub struct PublishReport {
    pub blog: String,
    pub out_dir: String,
    pub feed: String,
    pub base_url: Option<String>,
    pub page_size: u32,
    pub entries: u64,
    pub pages: u64,
    pub retracted: u64,
    /// Files whose bytes changed (or were new) and were replaced.
    pub files_written: u64,
    /// Files left as they were (same bytes, same modification time).
    pub files_unchanged: u64,
    pub files_removed: u64,
    pub media_files: u64,
    pub bytes_written: u64,
    pub warnings: Vec<String>,
    pub duration_ms: f64,
}

/// What the last publish into a folder wrote (kept in the database).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct State {
    format: u32,
    files: BTreeMap<String, FileState>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FileState {
    fingerprint: String,
    bytes: u64,
    media: Vec<String>,
    warnings: Vec<String>,
}

/// A page made this time, ready to write.
struct RenderedPage {
    plan: PagePlan,
    fingerprint: String,
    page: FeedPage,
    media: Vec<String>,
    warnings: Vec<String>,
}

pub fn publish(
    store: &mut Store,
    slug: &str,
    request: PublishRequest,
    progress: &(dyn Fn(PublishProgress) + Sync),
) -> Result<PublishReport> {
    let started = Instant::now();
    progress(PublishProgress::Reading);
    let settings = resolve_settings(store, slug, &request)?;
    let out_path = std::path::absolute(&settings.out_dir)
        .map_err(|e| Error::io(format!("cannot use folder {}", settings.out_dir), e))?;
    let out_key = out_path.display().to_string();
    let base = settings.base_url.as_deref().map(base_url).transpose()?;
    let links = Links { base: base.clone() };

    let snapshot = store.read_snapshot(|store| read(store, slug, &out_key, &settings, &links))?;
    let Snapshot {
        blog,
        index,
        retracted,
        key_events,
        previous,
        plans,
        mut rendered,
        kept,
    } = snapshot;
    let total_pages = plans.len() as u64;

    // Everything is checked and rendered before the folder is touched.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let first = rendered.remove(0);
    let generated = rfc3339(&in_zone(time::now(), blog_zone(&blog)?));
    let first_page = finish_first_page(
        first.page.clone(),
        &blog,
        &settings,
        index.len(),
        total_pages,
        &retracted,
        key_events,
        &generated,
    );
    let feed_bytes = json_bytes(&first_page);
    let modified = index.iter().map(|r| r.updated_at).max().map(|ms| {
        rfc3339(&in_zone(
            time::from_millis(ms),
            blog_zone(&blog).unwrap_or(chrono_tz::UTC),
        ))
    });
    let jsonld = jsonld::live_blog_posting(&blog, &first_page, modified.as_deref());
    let jsonld_bytes = inline_safe_json_bytes(&jsonld);
    let index_html = reader::page(&blog, &feed_bytes);

    let mut state = State {
        format: FORMAT,
        files: BTreeMap::new(),
    };
    let mut warnings: Vec<String> = Vec::new();
    let mut media: BTreeSet<String> = BTreeSet::new();
    for (name, file) in &kept {
        media.extend(file.media.iter().cloned());
        warnings.extend(file.warnings.iter().cloned());
        state.files.insert(name.clone(), file.clone());
    }
    for page in rendered.iter().chain(std::iter::once(&first)) {
        media.extend(page.media.iter().cloned());
        warnings.extend(page.warnings.iter().cloned());
    }
    for (done, page) in rendered.iter().enumerate() {
        let bytes = json_bytes(&page.page);
        state.files.insert(
            page.plan.name.clone(),
            FileState {
                fingerprint: page.fingerprint.clone(),
                bytes: bytes.len() as u64,
                media: page.media.clone(),
                warnings: page.warnings.clone(),
            },
        );
        files.push((page.plan.name.clone(), bytes));
        progress(PublishProgress::Rendering {
            done: done as u64 + 1,
            total: rendered.len() as u64 + 1,
        });
    }
    state.files.insert(
        first.plan.name.clone(),
        FileState {
            fingerprint: first.fingerprint.clone(),
            bytes: feed_bytes.len() as u64,
            media: first.media.clone(),
            warnings: first.warnings.clone(),
        },
    );
    // Older pages oldest first, so each exists before the page linking to it.
    files.reverse();
    files.push((pages::FIRST_PAGE.to_string(), feed_bytes));
    files.push(("liveblog.jsonld".to_string(), jsonld_bytes));
    files.push(("index.html".to_string(), index_html.into_bytes()));

    // The folder, from here on.
    let out = OutDir::open(&out_path)?;
    let media_dir = store.media_root().ok_or_else(|| {
        Error::invalid("publishing needs a database file; this store is in memory")
    })?;
    let mut staged: Vec<Staged> = Vec::new();
    let mut bytes_written = 0u64;
    let media_list: Vec<String> = media.iter().cloned().collect();
    let media_to_copy: Vec<&String> = media_list
        .iter()
        .filter(|name| {
            let source = media_dir.join(name.trim_start_matches("media/"));
            let size = std::fs::metadata(&source).map(|m| m.len()).ok();
            size.is_none() || out.size_of(name) != size
        })
        .collect();
    let total_writes = (media_to_copy.len() + files.len()) as u64;
    for (done, name) in media_to_copy.iter().enumerate() {
        let source = media_dir.join(name.trim_start_matches("media/"));
        let file = out.stage_copy(name, &source)?;
        bytes_written += std::fs::metadata(&source).map(|m| m.len()).unwrap_or(0);
        staged.push(file);
        progress(PublishProgress::Writing {
            done: done as u64 + 1,
            total: total_writes,
        });
    }
    let files_considered = files.len();
    let changed: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(name, bytes)| !out.holds(name, bytes))
        .collect();
    let files_written = (changed.len() + media_to_copy.len()) as u64;
    let files_unchanged = (kept.len() + files_considered - changed.len() + media_list.len()
        - media_to_copy.len()) as u64;
    bytes_written += changed.iter().map(|(_, b)| b.len() as u64).sum::<u64>();
    staged.extend(out.stage_all(changed)?);
    out.commit(staged)?;
    progress(PublishProgress::Writing {
        done: total_writes,
        total: total_writes,
    });
    let page_names: Vec<String> = plans.iter().map(|p| p.name.clone()).collect();
    let files_removed = out.remove_unused(&page_names, &media_list)?;

    let state_json = serde_json::to_string(&state).map_err(|e| Error::invalid(e.to_string()))?;
    store.save_publish_state(blog.id, &out_key, &state_json)?;
    let saved = PublishSettings {
        out_dir: out_key.clone(),
        ..settings.clone()
    };
    if previous.settings.as_ref() != Some(&saved) {
        store.save_publish_settings(slug, &saved)?;
    }
    warnings.sort();
    warnings.dedup();
    progress(PublishProgress::Done);
    Ok(PublishReport {
        blog: blog.slug.clone(),
        out_dir: out_key,
        feed: out.path(pages::FIRST_PAGE).display().to_string(),
        base_url: base.map(|b| b.to_string()),
        page_size: settings.page_size,
        entries: index.len() as u64,
        pages: total_pages,
        retracted: retracted.len() as u64,
        files_written,
        files_unchanged,
        files_removed,
        media_files: media_list.len() as u64,
        bytes_written,
        warnings,
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

fn resolve_settings(
    store: &Store,
    slug: &str,
    request: &PublishRequest,
) -> Result<PublishSettings> {
    let saved = store.publish_settings(slug)?;
    let out_dir = match (&request.out_dir, &saved) {
        (Some(dir), _) => dir.display().to_string(),
        (None, Some(saved)) => saved.out_dir.clone(),
        (None, None) => {
            return Err(Error::invalid(format!(
                "blog '{slug}' has no output folder yet: give one with --out DIR"
            )))
        }
    };
    let settings = PublishSettings {
        out_dir,
        base_url: request
            .base_url
            .clone()
            .or_else(|| saved.as_ref().and_then(|s| s.base_url.clone())),
        page_size: request
            .page_size
            .or(saved.as_ref().map(|s| s.page_size))
            .unwrap_or(DEFAULT_PAGE_SIZE),
    };
    settings.check()?;
    Ok(settings)
}

struct Previous {
    settings: Option<PublishSettings>,
}

struct Snapshot {
    blog: Blog,
    index: Vec<IndexRow>,
    retracted: Vec<Uuid>,
    key_events: Vec<KeyEvent>,
    previous: Previous,
    plans: Vec<PagePlan>,
    /// Pages made this time, the first page first.
    rendered: Vec<RenderedPage>,
    /// Older pages left as they are, with what the last publish noted.
    kept: Vec<(String, FileState)>,
}

/// Everything read from the database, in one snapshot.
fn read(
    store: &Store,
    slug: &str,
    out_key: &str,
    settings: &PublishSettings,
    links: &Links,
) -> Result<Snapshot> {
    let blog = store.blog(slug)?;
    let zone = blog_zone(&blog)?;
    let index = store.published_index(blog.id)?;
    let retracted = store.retracted_ids(blog.id)?;
    let key_events = store
        .key_events(blog.id, MAX_KEY_EVENTS)?
        .into_iter()
        .map(|(id, title, at)| KeyEvent {
            id: id.to_string(),
            title,
            date_published: rfc3339(&in_zone(time::from_millis(at), zone)),
        })
        .collect();
    let previous_state: State = store
        .publish_state(blog.id, out_key)?
        .and_then(|json| serde_json::from_str(&json).ok())
        .filter(|s: &State| s.format == FORMAT)
        .unwrap_or_default();
    let plans = pages::plan(index.len(), settings.page_size as usize);
    let context = page_context(&blog, settings);
    let out = Path::new(out_key);

    let mut rendered = Vec::new();
    let mut kept = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        let next = plans.get(i + 1).map(|p| p.name.as_str());
        let fingerprint = fingerprint(&context, &plan.name, next, &index[plan.range.clone()]);
        let on_disk = std::fs::symlink_metadata(out.join(&plan.name))
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let unchanged = previous_state.files.get(&plan.name).filter(|f| {
            plan.number > 0 && f.fingerprint == fingerprint && Some(f.bytes) == on_disk
        });
        if let Some(file) = unchanged {
            kept.push((plan.name.clone(), file.clone()));
            continue;
        }
        let ids: Vec<Uuid> = index[plan.range.clone()].iter().map(|r| r.id).collect();
        let entries = store.entries_by_id(&ids)?;
        rendered.push(render_page(
            &blog,
            links,
            plan,
            next,
            fingerprint,
            &entries,
        )?);
    }
    Ok(Snapshot {
        blog,
        index,
        retracted,
        key_events,
        previous: Previous {
            settings: store.publish_settings(slug)?,
        },
        plans,
        rendered,
        kept,
    })
}

fn blog_zone(blog: &Blog) -> Result<chrono_tz::Tz> {
    time::parse_zone(&blog.timezone)
}

/// Everything outside its own entries that a page's bytes depend on.
fn page_context(blog: &Blog, settings: &PublishSettings) -> String {
    serde_json::json!({
        "format": FORMAT,
        "blog": blog,
        "base_url": settings.base_url,
        "page_size": settings.page_size,
    })
    .to_string()
}

fn fingerprint(context: &str, name: &str, next: Option<&str>, rows: &[IndexRow]) -> String {
    let mut hash = Sha256::new();
    hash.update(context.as_bytes());
    hash.update(name.as_bytes());
    hash.update([0]);
    hash.update(next.unwrap_or("").as_bytes());
    for row in rows {
        hash.update(row.id.as_bytes());
        hash.update([u8::from(row.pinned), u8::from(row.key_event)]);
        hash.update(row.revision.to_le_bytes());
        hash.update(row.updated_at.to_le_bytes());
        hash.update((row.position.len() as u64).to_le_bytes());
        hash.update(&row.position);
    }
    hex(&hash.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Turns names in the output folder into the URLs the feed uses.
struct Links {
    base: Option<url::Url>,
}

impl Links {
    fn url(&self, name: &str) -> String {
        match &self.base {
            Some(base) => base
                .join(name)
                .map(|u| u.to_string())
                .unwrap_or_else(|_| name.to_string()),
            None => name.to_string(),
        }
    }

    fn absolute(&self, name: &str) -> Option<String> {
        self.base.as_ref().map(|_| self.url(name))
    }
}

fn render_page(
    blog: &Blog,
    links: &Links,
    plan: &PagePlan,
    next: Option<&str>,
    fingerprint: String,
    entries: &[Entry],
) -> Result<RenderedPage> {
    let mut media = Vec::new();
    let mut warnings = Vec::new();
    let items = entries
        .iter()
        .map(|entry| item(entry, links, &mut media, &mut warnings))
        .collect::<Result<Vec<_>>>()?;
    let page = FeedPage {
        version: feed::JSON_FEED_VERSION.to_string(),
        title: blog.title.clone(),
        description: blog.summary.clone(),
        home_page_url: links.absolute(""),
        feed_url: links.absolute(&plan.name),
        next_url: next.map(|n| links.url(n)),
        language: blog.language.clone(),
        expired: !blog.live,
        items,
        liveline: PageExtension::Older(OlderPageExtension { page: plan.number }),
    };
    Ok(RenderedPage {
        plan: plan.clone(),
        fingerprint,
        page,
        media,
        warnings,
    })
}

#[allow(clippy::too_many_arguments)]
fn finish_first_page(
    mut page: FeedPage,
    blog: &Blog,
    settings: &PublishSettings,
    entry_count: usize,
    page_count: u64,
    retracted: &[Uuid],
    key_events: Vec<KeyEvent>,
    generated: &str,
) -> FeedPage {
    page.liveline = PageExtension::First(Box::new(FeedExtension {
        blog_id: blog.id.to_string(),
        slug: blog.slug.clone(),
        timezone: blog.timezone.clone(),
        coverage_start: rfc3339(&blog.coverage_start),
        coverage_end: blog.coverage_end.as_ref().map(rfc3339),
        status: if blog.live { "live" } else { "ended" }.to_string(),
        generated_at: generated.to_string(),
        entry_count: entry_count as u64,
        page_size: settings.page_size,
        page_count,
        retracted: retracted.iter().map(Uuid::to_string).collect(),
        key_events,
    }));
    page
}

fn item(
    entry: &Entry,
    links: &Links,
    media: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Result<Item> {
    let mut blocks = Vec::with_capacity(entry.blocks.len());
    for block in &entry.blocks {
        blocks.push(match block {
            Block::Paragraph { content } => FeedBlock::Paragraph {
                content: content.clone(),
            },
            Block::Quote { text, attribution } => FeedBlock::Quote {
                text: text.clone(),
                attribution: attribution.clone(),
            },
            Block::Embed { url, intro } => FeedBlock::Embed {
                url: url.clone(),
                intro: intro.clone(),
            },
            Block::Photo { photo_id } => {
                FeedBlock::Photo(feed_photo(entry, photo_id, links, media, warnings)?)
            }
        });
    }
    let image = blocks.iter().find_map(|b| match b {
        FeedBlock::Photo(photo) => html::fallback_jpeg(photo).map(|r| r.url.clone()),
        _ => None,
    });
    Ok(Item {
        id: entry.id.to_string(),
        url: links.absolute(&format!("#entry-{}", entry.id)),
        title: entry.title.clone(),
        content_html: html::content_html(&blocks),
        content_text: html::content_text(&blocks),
        date_published: rfc3339(&entry.display_at),
        date_modified: rfc3339(&entry.updated_at),
        authors: entry
            .author
            .iter()
            .map(|name| Author { name: name.clone() })
            .collect(),
        image,
        liveline: ItemExtension {
            pinned: entry.pinned,
            key_event: entry.key_event,
            position: entry.position.clone(),
            correction_note: entry.correction_note.clone(),
            blocks,
        },
    })
}

fn feed_photo(
    entry: &Entry,
    photo_id: &str,
    links: &Links,
    media: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Result<FeedPhoto> {
    let photo = entry
        .photos
        .iter()
        .find(|p| p.id.to_string() == photo_id)
        .ok_or_else(|| Error::NotFound {
            kind: "photo",
            id: format!("{photo_id} (shown by entry {})", entry.id),
        })?;
    let credit = photo.credit.clone().ok_or_else(|| {
        Error::Conflict(format!(
            "entry {} (\"{}\") shows photo {} without a credit; nothing was published. \
             Add one with `liveline photo edit {} --credit NAME`",
            entry.id, entry.title, photo.id, photo.id
        ))
    })?;
    if photo.alt.is_none() {
        warnings.push(format!(
            "entry {} (\"{}\"): photo {} has no alt text",
            entry.id, entry.title, photo.id
        ));
    }
    let mut renditions = Vec::with_capacity(photo.renditions.len());
    for rendition in &photo.renditions {
        let file = Path::new(&rendition.path)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Error::invalid(format!("photo {} has a damaged rendition path", photo.id))
            })?;
        let name = format!("{}/{file}", output::MEDIA);
        renditions.push(FeedRendition {
            url: links.url(&name),
            width: rendition.width,
            height: rendition.height,
            mime: rendition.mime.clone(),
        });
        media.push(name);
    }
    Ok(FeedPhoto {
        photo_id: photo.id.to_string(),
        caption: photo.caption.clone(),
        credit,
        alt: photo.alt.clone(),
        width: photo.width,
        height: photo.height,
        placeholder: photo.placeholder.clone(),
        renditions,
    })
}

fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("feed types serialize");
    bytes.push(b'\n');
    bytes
}

/// JSON with `<`, `>` and `&` escaped, for files that sites inline in a
/// <script> element (JSON-LD): their text can then never close the element.
fn inline_safe_json_bytes(value: &impl Serialize) -> Vec<u8> {
    let text = serde_json::to_string_pretty(value).expect("feed types serialize");
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(c),
        }
    }
    out.push('\n');
    out.into_bytes()
}
