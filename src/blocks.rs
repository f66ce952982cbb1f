//! The body of an entry: an ordered list of blocks. This is the structure
//! stored, published and edited; Markdown is only one way to write it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Most blocks one entry may hold. A live update is short; this bounds memory
/// and keeps a pasted monster from freezing the timeline.
pub const MAX_BLOCKS: usize = 1_000;
/// Most characters of text one entry's body may hold (about 100 long paragraphs... times ten).
pub const MAX_BODY_CHARS: usize = 200_000;
/// Longest URL accepted in a link or an embed.
pub const MAX_URL_LEN: usize = 2_048;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// A paragraph of inline text runs.
    Paragraph { content: Vec<Span> },
    /// A quotation and, optionally, who said it ("Jane Doe, mayor").
    Quote {
        text: String,
        /// Always present in JSON (`null` when unknown), as the contract lists it.
        #[serde(default)]
        attribution: Option<String>,
    },
    /// A video, map or social post by URL, with an optional intro line
    /// ("Our correspondent reports:").
    Embed {
        url: String,
        #[serde(default)]
        intro: Option<String>,
    },
    /// A photo, by id. Photo import arrives with the photo work; until then
    /// the store refuses photo blocks it cannot resolve.
    Photo { photo_id: String },
}

/// A run of text with the same formatting. Adjacent runs never share the
/// same formatting (they are merged), so equal content has one representation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, TS)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub bold: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub italic: bool,
    /// Target of a link (http, https or mailto only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Self {
        Span {
            text: text.into(),
            bold: false,
            italic: false,
            link: None,
        }
    }

    fn same_format(&self, other: &Span) -> bool {
        self.bold == other.bold && self.italic == other.italic && self.link == other.link
    }
}

impl Block {
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block::Paragraph {
            content: vec![Span::plain(text)],
        }
    }

    /// The block's text without formatting, for search and plain-text output.
    pub fn plain_text(&self) -> String {
        match self {
            Block::Paragraph { content } => content.iter().map(|s| s.text.as_str()).collect(),
            Block::Quote { text, attribution } => match attribution {
                Some(a) => format!("\u{201c}{text}\u{201d} \u{2014} {a}"),
                None => format!("\u{201c}{text}\u{201d}"),
            },
            Block::Embed { url, intro } => match intro {
                Some(i) => format!("{i} {url}"),
                None => url.clone(),
            },
            Block::Photo { .. } => String::new(),
        }
    }
}

/// Merge adjacent spans with the same formatting and drop empty ones, so that
/// equal content always has the same representation.
pub fn normalize_spans(spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans.into_iter().filter(|s| !s.text.is_empty()) {
        match out.last_mut() {
            Some(last) if last.same_format(&span) => last.text.push_str(&span.text),
            _ => out.push(span),
        }
    }
    out
}

/// Check a body before it is stored. Refuses, with the block's number, what
/// could break a page: empty blocks, unsafe or relative URLs, control
/// characters, sizes past the limits.
pub fn validate(blocks: &[Block]) -> Result<()> {
    if blocks.len() > MAX_BLOCKS {
        return Err(Error::invalid(format!(
            "body has {} blocks; an entry holds at most {MAX_BLOCKS}",
            blocks.len()
        )));
    }
    let mut chars = 0usize;
    for (i, block) in blocks.iter().enumerate() {
        let n = i + 1;
        let fail = |what: String| Error::invalid(format!("block {n}: {what}"));
        match block {
            Block::Paragraph { content } => {
                if content.iter().all(|s| s.text.trim().is_empty()) {
                    return Err(fail("paragraph is empty".into()));
                }
                for span in content {
                    check_text(&span.text).map_err(fail)?;
                    chars += span.text.chars().count();
                    if let Some(link) = &span.link {
                        check_url(link, &["http", "https", "mailto"]).map_err(fail)?;
                    }
                }
            }
            Block::Quote { text, attribution } => {
                if text.trim().is_empty() {
                    return Err(fail("quote is empty".into()));
                }
                check_text(text).map_err(fail)?;
                chars += text.chars().count();
                if let Some(a) = attribution {
                    check_line(a, "attribution").map_err(fail)?;
                }
            }
            Block::Embed { url, intro } => {
                check_url(url, &["http", "https"]).map_err(fail)?;
                if let Some(i) = intro {
                    check_line(i, "intro").map_err(fail)?;
                }
            }
            Block::Photo { photo_id } => {
                if photo_id.trim().is_empty() {
                    return Err(fail("photo block has no photo_id".into()));
                }
            }
        }
    }
    if chars > MAX_BODY_CHARS {
        return Err(Error::invalid(format!(
            "body has {chars} characters of text; an entry holds at most {MAX_BODY_CHARS}"
        )));
    }
    Ok(())
}

fn check_text(text: &str) -> Result<(), String> {
    match text
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        Some(c) => Err(format!(
            "text contains the control character U+{:04X}",
            c as u32
        )),
        None => Ok(()),
    }
}

fn check_line(text: &str, what: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{what} is empty"));
    }
    if text.contains('\n') {
        return Err(format!("{what} must be a single line"));
    }
    check_text(text).map_err(|e| format!("{what}: {e}"))
}

/// Only absolute URLs with an allowed scheme: a relative or `javascript:` URL
/// would either break on the news site or attack its readers.
pub fn check_url(raw: &str, schemes: &[&str]) -> Result<(), String> {
    if raw.len() > MAX_URL_LEN {
        return Err(format!("URL is longer than {MAX_URL_LEN} characters"));
    }
    // The URL parser would skip or encode them, but the URL is stored and
    // shown as typed: the same rule as for text.
    if let Some(c) = raw
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        return Err(format!(
            "URL contains the control character U+{:04X}",
            c as u32
        ));
    }
    // Messages are one line: a newline or tab in the URL is shown escaped.
    let shown = raw.escape_debug();
    let parsed =
        url::Url::parse(raw).map_err(|e| format!("'{shown}' is not an absolute URL ({e})"))?;
    if !schemes.contains(&parsed.scheme()) {
        return Err(format!(
            "URL '{shown}' uses the scheme '{}'; allowed: {}",
            parsed.scheme(),
            schemes.join(", ")
        ));
    }
    if matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("URL '{shown}' has no host"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_the_documented_contract() {
        let blocks = vec![
            Block::Paragraph {
                content: vec![
                    Span::plain("Hello "),
                    Span {
                        text: "world".into(),
                        bold: true,
                        italic: false,
                        link: Some("https://example.org/".into()),
                    },
                ],
            },
            Block::Quote {
                text: "We stay.".into(),
                attribution: Some("The mayor".into()),
            },
            Block::Embed {
                url: "https://video.example/1".into(),
                intro: None,
            },
            Block::Photo {
                photo_id: "p1".into(),
            },
        ];
        let json = serde_json::to_value(&blocks).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"type": "paragraph", "content": [
                    {"text": "Hello "},
                    {"text": "world", "bold": true, "link": "https://example.org/"}
                ]},
                {"type": "quote", "text": "We stay.", "attribution": "The mayor"},
                {"type": "embed", "url": "https://video.example/1", "intro": null},
                {"type": "photo", "photo_id": "p1"}
            ])
        );
        let back: Vec<Block> = serde_json::from_value(json).unwrap();
        assert_eq!(back, blocks);
    }

    #[test]
    fn normalize_merges_runs_and_drops_empty_ones() {
        let spans = vec![Span::plain("a"), Span::plain(""), Span::plain("b")];
        assert_eq!(normalize_spans(spans), vec![Span::plain("ab")]);
    }

    #[test]
    fn unsafe_and_relative_urls_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,hi",
            "/relative",
            "https://",
        ] {
            let err = validate(&[Block::Embed {
                url: bad.into(),
                intro: None,
            }])
            .unwrap_err();
            assert_eq!(err.code(), "invalid_input", "{bad}");
            assert!(err.to_string().starts_with("block 1:"), "{err}");
        }
        let link = Block::Paragraph {
            content: vec![Span {
                link: Some("javascript:alert(1)".into()),
                ..Span::plain("x")
            }],
        };
        assert!(validate(&[link]).is_err());
    }

    #[test]
    fn empty_blocks_control_characters_and_oversize_bodies_are_refused() {
        assert!(validate(&[Block::paragraph("  ")]).is_err());
        assert!(validate(&[Block::paragraph("bell\u{7}")]).is_err());
        let many = vec![Block::paragraph("x"); MAX_BLOCKS + 1];
        assert!(validate(&many).unwrap_err().to_string().contains("at most"));
        let long = vec![Block::paragraph("y".repeat(MAX_BODY_CHARS + 1))];
        assert!(validate(&long).is_err());
        assert!(validate(&[Block::paragraph("fine"), Block::paragraph("also fine")]).is_ok());
    }
}
