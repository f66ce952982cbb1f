//! `index.html`: a self-contained reader page for the published folder.
//!
//! The page (template, CSS and JS in `reader/`) carries the first page of
//! the feed inline, renders it with DOM calls (never parsing feed text as
//! HTML), and fetches older pages from `next_url` for "Load more updates".
//! Its Content-Security-Policy allows exactly its own inline style and
//! script (by hash) and no other script at all.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::html::escape;
use crate::model::Blog;

const TEMPLATE: &str = include_str!("reader/template.html");
const CSS: &str = include_str!("reader/reader.css");
const JS: &str = include_str!("reader/reader.js");

/// The page for `blog`, with `feed_json` (the bytes of `feed.json`, whose
/// `<` are already escaped) inline.
pub fn page(blog: &Blog, feed_json: &[u8]) -> String {
    let feed = String::from_utf8_lossy(feed_json).replace('<', "\\u003c");
    let csp = format!(
        "default-src 'none'; img-src 'self' data: https: http:; style-src '{}'; \
         script-src '{}'; connect-src 'self' https: http:; base-uri 'none'; form-action 'none'",
        hash(CSS),
        hash(JS)
    );
    // Markers are replaced in one pass over the template, so text inserted
    // for one marker is never searched for another.
    let mut out = String::with_capacity(TEMPLATE.len() + CSS.len() + JS.len() + feed.len());
    let mut rest = TEMPLATE;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        match &after[..end] {
            "LANG" => out.push_str(&escape(&blog.language)),
            "TITLE" => out.push_str(&escape(&blog.title)),
            "DESCRIPTION" => out.push_str(&escape(blog.summary.as_deref().unwrap_or(""))),
            "CSS" => out.push_str(CSS),
            "JS" => out.push_str(JS),
            "FEED_JSON" => out.push_str(&feed),
            "CSP" => out.push_str(&escape(&csp)),
            other => {
                out.push_str("{{");
                out.push_str(other);
                out.push_str("}}");
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}
