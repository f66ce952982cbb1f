//! The published feed's shape: JSON Feed 1.1 pages with Liveline's `_liveline`
//! extension objects. These types are the contract newsroom developers code
//! against (docs/feed.md); `docs/feed.schema.json` is generated from them.

use schemars::JsonSchema;
use serde::Serialize;

use crate::blocks::Span;

pub const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";

/// One page of the feed: `feed.json` (the newest entries) or an older page.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FeedPage {
    /// Always `https://jsonfeed.org/version/1.1`.
    pub version: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Absolute when the blog is published with a base URL, else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_page_url: Option<String>,
    /// This page's own URL (absolute with a base URL, else absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
    /// The next OLDER page; absent on the oldest. Relative (`feed-3.json`)
    /// without a base URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_url: Option<String>,
    pub language: String,
    /// True once the coverage has ended.
    pub expired: bool,
    /// Editorial order: pinned entries first, then top to bottom.
    pub items: Vec<Item>,
    #[serde(rename = "_liveline")]
    pub liveline: PageExtension,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum PageExtension {
    /// On `feed.json`.
    First(Box<FeedExtension>),
    /// On older pages: only what never changes as the blog grows, so that an
    /// older page keeps its bytes until one of its own entries changes.
    Older(OlderPageExtension),
}

/// Feed-level facts, on the first page only.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FeedExtension {
    pub blog_id: String,
    pub slug: String,
    /// IANA zone; every time in the feed carries this zone's offset.
    pub timezone: String,
    pub coverage_start: String,
    /// Null while the coverage is live.
    pub coverage_end: Option<String>,
    /// `live` or `ended`.
    pub status: String,
    /// When this publish ran.
    pub generated_at: String,
    /// Published entries in the whole feed (all pages).
    pub entry_count: u64,
    pub page_size: u32,
    /// Pages in the chain, this one included.
    pub page_count: u64,
    /// Ids of retracted entries: a page showing one must remove it.
    pub retracted: Vec<String>,
    /// Key events, newest first, for a "key events" box.
    pub key_events: Vec<KeyEvent>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OlderPageExtension {
    /// Counted from the oldest page (1), which is why it never changes.
    pub page: u64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct KeyEvent {
    pub id: String,
    pub title: String,
    pub date_published: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Item {
    /// The entry's id: stable across edits, moves and republishing.
    pub id: String,
    /// `<base>#entry-<id>` with a base URL, else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub title: String,
    /// Sanitized HTML (allow-list); see docs/feed.md for the elements used.
    pub content_html: String,
    pub content_text: String,
    /// The entry's display time, RFC 3339 with the blog's offset.
    pub date_published: String,
    pub date_modified: String,
    /// Absent when the entry has no byline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    /// The first photo (a mid-size JPEG rendition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(rename = "_liveline")]
    pub liveline: ItemExtension,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Author {
    pub name: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ItemExtension {
    pub pinned: bool,
    pub key_event: bool,
    /// Opaque editorial sort key: within the pinned and the unpinned group,
    /// entries sort by this string (byte order). Changes only when the entry
    /// is moved, never when others are added.
    pub position: String,
    /// Shown with the entry when it was corrected after publishing.
    pub correction_note: Option<String>,
    /// The body as structured blocks, for sites that render it themselves.
    pub blocks: Vec<FeedBlock>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FeedBlock {
    Paragraph {
        content: Vec<Span>,
    },
    Quote {
        text: String,
        attribution: Option<String>,
    },
    Embed {
        url: String,
        intro: Option<String>,
    },
    Photo(FeedPhoto),
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FeedPhoto {
    pub photo_id: String,
    pub caption: Option<String>,
    pub credit: String,
    pub alt: Option<String>,
    /// Upright size of the largest rendition's source.
    pub width: u32,
    pub height: u32,
    /// ThumbHash (base64) to paint while the image loads.
    pub placeholder: String,
    /// Every size in JPEG and WebP, largest first; no metadata in any file.
    pub renditions: Vec<FeedRendition>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FeedRendition {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub mime: String,
}

/// JSON Schema of a feed page, with the `_liveline` extensions (committed as
/// docs/feed.schema.json; a test keeps it fresh).
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(FeedPage);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}
