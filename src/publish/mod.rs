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
use crate::store::{IndexRow, PageState, PublishRun, Store};
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
/// The self-contained reader page in the output folder.
pub const READER_PAGE: &str = "index.html";
/// Bump when the output format changes: every page is then rewritten.
const FORMAT: u32 = 1;

/// Where and how a blog is published (saved per blog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
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

/// A base URL as pages join onto it: http(s), a plain host, no credentials,
/// no query or fragment, ending in `/`.
fn base_url(raw: &str) -> Result<url::Url> {
    let bad = |why: &str| Error::invalid(format!("base URL '{raw}' {why}"));
    let mut url = url::Url::parse(raw.trim()).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must start with http:// or https://"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query (?) or fragment (#)"));
    }
    // The URL standard lets quotes and the like into a host; sites paste
    // these URLs into their own HTML, so only plain host names pass.
    match url.host() {
        Some(url::Host::Domain(name))
            if name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') => {}
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => {}
        _ => return Err(bad("must name a host of letters, digits, dots and hyphens")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "must not carry a user name or password: it would be published",
        ));
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum PublishProgress {
    Reading,
    Rendering { done: u64, total: u64 },
    Writing { done: u64, total: u64 },
    Done,
}

/// The report's first warning when no base URL is set.
pub const NO_BASE_URL: &str = "no base URL: links are relative; feed readers need --base-url \
     (the public address of the folder, e.g. https://news.example/live/storm/)";

/// What a publish did (`liveline publish --json`).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PublishReport {
    pub blog: String,
    pub out_dir: String,
    pub feed: String,
    pub base_url: Option<String>,
    pub page_size: u32,
    pub entries: u64,
    pub pages: u64,
    pub retracted: u64,
    /// True when only the pages of changed entries were looked at (nothing
    /// entered, left or moved in the feed since the last publish here).
    pub incremental: bool,
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
    refuse_private_folder(store, &out_path)?;
    let out_key = out_path.display().to_string();
    let base = settings.base_url.as_deref().map(base_url).transpose()?;
    let links = Links { base: base.clone() };

    let Snapshot {
        blog,
        entry_count,
        retracted,
        key_events,
        saved_settings,
        plans,
        mut rendered,
        kept,
        old_media,
        run,
        full,
    } = store.read_snapshot(|store| read(store, slug, &out_path, &settings, &links))?;
    let total_pages = plans.len() as u64;
    let zone = blog_zone(&blog)?;

    // Everything is checked and rendered before the folder is touched.
    let first = rendered.remove(0);
    let generated = rfc3339(&in_zone(time::now(), zone));
    let first_page = finish_first_page(
        first.page.clone(),
        &blog,
        &settings,
        entry_count,
        total_pages,
        &retracted,
        key_events,
        &generated,
    );
    let feed_bytes = json_bytes(&first_page);
    let modified = run
        .last_modified
        .map(|ms| rfc3339(&in_zone(time::from_millis(ms), zone)));
    let jsonld = jsonld::live_blog_posting(&blog, &first_page, modified.as_deref());
    let jsonld_bytes = inline_safe_json_bytes(&jsonld);
    let index_html = reader::page(&blog, &feed_bytes);

    let mut warnings: Vec<String> = Vec::new();
    let mut media: BTreeSet<String> = BTreeSet::new();
    for page in kept.iter() {
        media.extend(page.media.iter().cloned());
        warnings.extend(page.warnings.iter().cloned());
    }
    let mut states: Vec<PageState> = if full { kept.clone() } else { Vec::new() };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let rendering = rendered.len() as u64 + 1;
    for (done, page) in rendered.iter().chain(std::iter::once(&first)).enumerate() {
        media.extend(page.media.iter().cloned());
        warnings.extend(page.warnings.iter().cloned());
        let bytes = if page.plan.number == 0 {
            feed_bytes.clone()
        } else {
            json_bytes(&page.page)
        };
        states.push(PageState {
            name: page.plan.name.clone(),
            fingerprint: page.fingerprint.clone(),
            bytes: bytes.len() as u64,
            media: page.media.clone(),
            warnings: page.warnings.clone(),
        });
        files.push((page.plan.name.clone(), bytes));
        progress(PublishProgress::Rendering {
            done: done as u64 + 1,
            total: rendering,
        });
    }
    // Older pages oldest first (each exists before the page linking to it),
    // feed.json after them, then what is made from it.
    files.sort_by_key(|(name, _)| page_order(name));
    files.push(("liveblog.jsonld".to_string(), jsonld_bytes));
    files.push((READER_PAGE.to_string(), index_html.into_bytes()));

    // The folder, from here on.
    let out = OutDir::open(&out_path)?;
    let media_dir = store.media_root().ok_or_else(|| {
        Error::invalid("publishing needs a database file; this store is in memory")
    })?;
    let media_list: Vec<String> = media.iter().cloned().collect();
    // A full publish checks every file; an incremental one only what its
    // pages brought (the rest was checked when it was written).
    let media_to_check: Vec<&String> = if full {
        media_list.iter().collect()
    } else {
        let fresh: BTreeSet<&String> = rendered
            .iter()
            .chain(std::iter::once(&first))
            .flat_map(|p| p.media.iter())
            .collect();
        fresh.into_iter().collect()
    };
    let source_of = |name: &str| media_dir.join(name.trim_start_matches("media/"));
    let media_to_copy: Vec<&String> = media_to_check
        .into_iter()
        .filter(|name| {
            let size = std::fs::metadata(source_of(name)).map(|m| m.len()).ok();
            size.is_none() || out.size_of(name) != size
        })
        .collect();
    let total_writes = (media_to_copy.len() + files.len()) as u64;
    let mut staged: Vec<Staged> = Vec::new();
    let mut bytes_written = 0u64;
    for (done, name) in media_to_copy.iter().enumerate() {
        // Checked against its name: a damaged rendition is never shipped.
        let bytes = crate::photos::media::read_verified(&source_of(name))?;
        bytes_written += bytes.len() as u64;
        let file = out.stage(name, &bytes)?;
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
    let files_unchanged = (plans.len() - (rendered.len() + 1) + files_considered - changed.len()
        + media_list.len()
        - media_to_copy.len()) as u64;
    bytes_written += changed.iter().map(|(_, b)| b.len() as u64).sum::<u64>();
    staged.extend(out.stage_all(changed)?);
    out.commit(staged)?;
    progress(PublishProgress::Writing {
        done: total_writes,
        total: total_writes,
    });
    let files_removed = if full {
        let page_names: Vec<String> = plans.iter().map(|p| p.name.clone()).collect();
        out.remove_unused(&page_names, &media_list)?
    } else {
        let unused: Vec<String> = old_media
            .into_iter()
            .filter(|m| !media.contains(m))
            .collect();
        out.remove_media(&unused)?
    };

    store.save_publish(blog.id, &out_key, &run, &states, full)?;
    let saved = PublishSettings {
        out_dir: out_key.clone(),
        ..settings.clone()
    };
    if saved_settings.as_ref() != Some(&saved) {
        store.save_publish_settings(slug, &saved)?;
    }
    warnings.sort();
    warnings.dedup();
    if base.is_none() {
        // Fine for a local preview, but JSON Feed 1.1 needs absolute
        // `next_url`, `image` and item links, and outside readers get none.
        warnings.insert(0, NO_BASE_URL.to_string());
    }
    progress(PublishProgress::Done);
    Ok(PublishReport {
        blog: blog.slug.clone(),
        out_dir: out_key,
        feed: out.path(pages::FIRST_PAGE).display().to_string(),
        base_url: base.map(|b| b.to_string()),
        page_size: settings.page_size,
        entries: entry_count as u64,
        pages: total_pages,
        retracted: retracted.len() as u64,
        incremental: !full,
        files_written,
        files_unchanged,
        files_removed,
        media_files: media_list.len() as u64,
        bytes_written,
        warnings,
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// The reader page of the blog's last publication (from its saved output
/// folder), to open in a browser.
pub fn reader_page(store: &Store, slug: &str) -> Result<PathBuf> {
    store.blog(slug)?;
    let settings = store
        .publish_settings(slug)?
        .ok_or_else(|| Error::invalid(format!("blog '{slug}' has not been published yet")))?;
    let page = Path::new(&settings.out_dir).join(READER_PAGE);
    if !page.is_file() {
        return Err(Error::invalid(format!(
            "{} is not there any more: publish again",
            page.display()
        )));
    }
    Ok(page)
}

/// A web server serves the output folder and everything under it: the
/// database's folder (or one above it) would serve the database itself, with
/// drafts and revisions, and the media folder (or one inside it) the
/// originals with their GPS. Both are refused before anything is created.
/// A folder beside the database, or below its folder, serves only itself.
fn refuse_private_folder(store: &Store, out: &Path) -> Result<()> {
    let Some(media) = store.media_root() else {
        return Ok(()); // in memory: no database folder
    };
    let out = output::resolved(out);
    let db = output::resolved(Path::new(store.path()));
    let db_dir = db.parent().unwrap_or(&db);
    let media = output::resolved(&media);
    let why = if db_dir.starts_with(&out) {
        format!("it holds the database {}", db.display())
    } else if out.starts_with(&media) {
        format!("it is in the media folder {}", media.display())
    } else {
        return Ok(());
    };
    Err(Error::invalid(format!(
        "cannot publish into {}: {why}, and a web server serving it would serve drafts, \
         revisions and photo originals; nothing was written. Choose a folder of its own, \
         outside the database's folder and the media folder",
        out.display()
    )))
}

/// Write order of pages: older pages from the oldest, then feed.json.
fn page_order(name: &str) -> u64 {
    name.strip_prefix("feed-")
        .and_then(|n| n.strip_suffix(".json"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX)
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
        // An empty base URL clears the saved one (relative links again).
        base_url: match request.base_url.as_deref().map(str::trim) {
            Some("") => None,
            Some(url) => Some(url.to_string()),
            None => saved.as_ref().and_then(|s| s.base_url.clone()),
        },
        page_size: request
            .page_size
            .or(saved.as_ref().map(|s| s.page_size))
            .unwrap_or(DEFAULT_PAGE_SIZE),
    };
    settings.check()?;
    Ok(settings)
}

struct Snapshot {
    blog: Blog,
    entry_count: usize,
    retracted: Vec<Uuid>,
    key_events: Vec<KeyEvent>,
    saved_settings: Option<PublishSettings>,
    plans: Vec<PagePlan>,
    /// Pages made this time, the first page first.
    rendered: Vec<RenderedPage>,
    /// Pages left as they are: on a full publish every one; on an
    /// incremental one those that carry media or warnings.
    kept: Vec<PageState>,
    /// Media the re-rendered pages showed before (incremental only).
    old_media: Vec<String>,
    run: PublishRun,
    /// Whether every page was looked at (first publish, blog or settings
    /// changed, entries published, retracted, pinned or moved).
    full: bool,
}

/// Everything read from the database, in one snapshot.
fn read(
    store: &Store,
    slug: &str,
    out: &Path,
    settings: &PublishSettings,
    links: &Links,
) -> Result<Snapshot> {
    let blog = store.blog(slug)?;
    let zone = blog_zone(&blog)?;
    let out_key = out.display().to_string();
    let seq = store.change_clock()?;
    let context = hex(&Sha256::digest(page_context(&blog, settings).as_bytes()));
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
    let saved_settings = store.publish_settings(slug)?;
    let previous = store.publish_run(blog.id, &out_key)?;
    let size = settings.page_size as usize;

    // Incremental: nothing moved in or out of the feed since the last
    // publish into this folder, and its pages are still there.
    let incremental = match previous {
        Some(run)
            if run.context == context
                && !store.layout_changed_since(blog.id, run.seq)?
                && pages_present(out, &pages::plan(run.entry_count, size)) =>
        {
            Some(run)
        }
        _ => None,
    };
    let (plans, targets, kept, old_media, last_modified, index) = match incremental {
        Some(run) => {
            let plans = pages::plan(run.entry_count, size);
            let mut targets: BTreeSet<usize> = BTreeSet::from([0]);
            let mut last_modified = run.last_modified;
            for row in store.published_changed_since(blog.id, run.seq)? {
                let rank = store.published_rank(blog.id, row.pinned, &row.position)?;
                if let Some(page) = plans.iter().position(|p| p.range.contains(&rank)) {
                    targets.insert(page);
                }
                last_modified = last_modified.max(Some(row.updated_at));
            }
            let with_data = store.published_pages(blog.id, &out_key, true)?;
            let target_names: BTreeSet<&str> =
                targets.iter().map(|&i| plans[i].name.as_str()).collect();
            let (old, kept): (Vec<PageState>, Vec<PageState>) = with_data
                .into_iter()
                .partition(|p| target_names.contains(p.name.as_str()));
            let old_media = old.into_iter().flat_map(|p| p.media).collect();
            (plans, targets, kept, old_media, last_modified, None)
        }
        None => {
            let index = store.published_index(blog.id)?;
            let plans = pages::plan(index.len(), size);
            let before: BTreeMap<String, PageState> = store
                .published_pages(blog.id, &out_key, false)?
                .into_iter()
                .map(|p| (p.name.clone(), p))
                .collect();
            let mut targets = BTreeSet::new();
            let mut kept = Vec::new();
            for (i, plan) in plans.iter().enumerate() {
                let next = plans.get(i + 1).map(|p| p.name.as_str());
                let print = fingerprint(&context, &plan.name, next, &index[plan.range.clone()]);
                let on_disk = std::fs::symlink_metadata(out.join(&plan.name))
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len());
                match before.get(&plan.name) {
                    Some(page)
                        if plan.number > 0
                            && page.fingerprint == print
                            && Some(page.bytes) == on_disk =>
                    {
                        kept.push(page.clone())
                    }
                    _ => {
                        targets.insert(i);
                    }
                }
            }
            let last_modified = index.iter().map(|r| r.updated_at).max();
            (plans, targets, kept, Vec::new(), last_modified, Some(index))
        }
    };

    let mut rendered = Vec::new();
    for &i in &targets {
        let plan = &plans[i];
        let next = plans.get(i + 1).map(|p| p.name.as_str());
        let rows = match &index {
            Some(index) => index[plan.range.clone()].to_vec(),
            None => store.published_range(blog.id, plan.range.start, plan.range.len())?,
        };
        let print = fingerprint(&context, &plan.name, next, &rows);
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let entries = store.entries_by_id(&ids)?;
        rendered.push(render_page(&blog, links, plan, next, print, &entries)?);
    }
    let entry_count = plans.last().map_or(0, |p| p.range.end);
    let full = index.is_some();
    Ok(Snapshot {
        blog,
        entry_count,
        retracted,
        key_events,
        saved_settings,
        run: PublishRun {
            seq,
            context,
            entry_count,
            last_modified,
        },
        plans,
        rendered,
        kept,
        old_media,
        full,
    })
}

/// Whether every page of `plans` is in the folder (one listing, no stat each).
fn pages_present(out: &Path, plans: &[PagePlan]) -> bool {
    let Ok(listing) = std::fs::read_dir(out) else {
        return false;
    };
    let names: BTreeSet<String> = listing
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    plans.iter().all(|p| names.contains(&p.name))
        && [READER_PAGE, "liveblog.jsonld", output::MEDIA]
            .iter()
            .all(|n| names.contains(*n))
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
