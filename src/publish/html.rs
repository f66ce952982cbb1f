//! An entry's body as HTML and as plain text for the feed.
//!
//! The HTML is built from structured blocks with every piece of text
//! escaped, and then passed through ammonia with an allow-list anyway: the
//! feed is read by sites we do not control, so a bug in the builder must not
//! be able to put a script, a style, an event handler or a `javascript:` or
//! `data:` URL in front of their readers.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use super::feed::{FeedBlock, FeedPhoto};
use crate::blocks::Span;

/// Elements and attributes a feed's `content_html` may contain (docs/feed.md).
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "p",
            "strong",
            "em",
            "a",
            "blockquote",
            "footer",
            "cite",
            "figure",
            "figcaption",
            "picture",
            "source",
            "img",
            "span",
        ]
        .into();
        let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
        attributes.insert("a", ["href"].into());
        attributes.insert("source", ["srcset", "type", "sizes"].into());
        attributes.insert(
            "img",
            [
                "src", "srcset", "sizes", "width", "height", "alt", "loading", "decoding",
            ]
            .into(),
        );
        let mut builder = ammonia::Builder::default();
        builder
            .tags(tags)
            .tag_attributes(attributes)
            .generic_attributes(HashSet::new())
            .allowed_classes(
                [
                    ("p", ["liveline-embed-intro"].into()),
                    ("span", ["liveline-credit", "liveline-caption"].into()),
                    ("figure", ["liveline-photo"].into()),
                ]
                .into(),
            )
            .url_schemes(["http", "https", "mailto"].into())
            .url_relative(ammonia::UrlRelative::PassThrough)
            // ammonia checks the schemes of `href` and `src` but not of the
            // URLs inside a `srcset`.
            .attribute_filter(|_, attribute, value| {
                (attribute != "srcset" || srcset_is_safe(value)).then_some(value.into())
            })
            .link_rel(Some("noopener noreferrer nofollow"))
            .strip_comments(true);
        builder
    })
}

/// Every image candidate of a `srcset` is a relative or http(s) URL. A URL
/// holding a comma is split there, and the parts are checked on their own:
/// a false alarm only costs the attribute.
fn srcset_is_safe(srcset: &str) -> bool {
    srcset.split(',').all(|candidate| {
        let url = candidate.split_ascii_whitespace().next().unwrap_or("");
        match url::Url::parse(url) {
            Ok(url) => matches!(url.scheme(), "http" | "https"),
            Err(e) => e == url::ParseError::RelativeUrlWithoutBase,
        }
    })
}

/// Sanitized HTML for a body.
pub fn content_html(blocks: &[FeedBlock]) -> String {
    let mut html = String::new();
    for block in blocks {
        match block {
            FeedBlock::Paragraph { content } => {
                html.push_str("<p>");
                spans_html(&mut html, content);
                html.push_str("</p>");
            }
            FeedBlock::Quote { text, attribution } => {
                let _ = write!(html, "<blockquote><p>{}</p>", escape(text));
                if let Some(who) = attribution {
                    let _ = write!(html, "<footer>— <cite>{}</cite></footer>", escape(who));
                }
                html.push_str("</blockquote>");
            }
            FeedBlock::Embed { url, intro } => {
                if let Some(intro) = intro {
                    let _ = write!(
                        html,
                        "<p class=\"liveline-embed-intro\">{}</p>",
                        escape(intro)
                    );
                }
                let _ = write!(
                    html,
                    "<p><a href=\"{}\">{}</a></p>",
                    escape(url),
                    escape(url)
                );
            }
            FeedBlock::Photo(photo) => photo_html(&mut html, photo),
        }
    }
    sanitizer().clean(&html).to_string()
}

fn spans_html(html: &mut String, spans: &[Span]) {
    for span in spans {
        let mut text = escape(&span.text);
        if span.italic {
            text = format!("<em>{text}</em>");
        }
        if span.bold {
            text = format!("<strong>{text}</strong>");
        }
        match &span.link {
            Some(link) => {
                let _ = write!(html, "<a href=\"{}\">{text}</a>", escape(link));
            }
            None => html.push_str(&text),
        }
    }
}

fn photo_html(html: &mut String, photo: &FeedPhoto) {
    let srcset = |mime: &str| {
        photo
            .renditions
            .iter()
            .rev()
            .filter(|r| r.mime == mime)
            .map(|r| format!("{} {}w", r.url, r.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sizes = "(min-width: 760px) 720px, 100vw";
    html.push_str("<figure class=\"liveline-photo\"><picture>");
    let webp = srcset("image/webp");
    if !webp.is_empty() {
        let _ = write!(
            html,
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
            escape(&webp)
        );
    }
    if let Some(fallback) = fallback_jpeg(photo) {
        let _ = write!(
            html,
            "<img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
            escape(&fallback.url),
            escape(&srcset("image/jpeg")),
            fallback.width,
            fallback.height,
            escape(photo.alt.as_deref().unwrap_or(""))
        );
    }
    html.push_str("</picture><figcaption>");
    if let Some(caption) = &photo.caption {
        let _ = write!(
            html,
            "<span class=\"liveline-caption\">{}</span> ",
            escape(caption)
        );
    }
    let _ = write!(
        html,
        "<span class=\"liveline-credit\">Credit: {}</span></figcaption></figure>",
        escape(&photo.credit)
    );
}

/// The JPEG a page shows before `srcset` is read: 1024 wide, or the largest
/// there is when the photo is smaller.
pub fn fallback_jpeg(photo: &FeedPhoto) -> Option<&super::feed::FeedRendition> {
    let jpegs = || photo.renditions.iter().filter(|r| r.mime == "image/jpeg");
    jpegs()
        .filter(|r| r.width <= 1024)
        .max_by_key(|r| r.width)
        .or_else(|| jpegs().min_by_key(|r| r.width))
}

/// The body as plain text: paragraphs separated by blank lines.
pub fn content_text(blocks: &[FeedBlock]) -> String {
    let parts: Vec<String> = blocks
        .iter()
        .map(|block| match block {
            FeedBlock::Paragraph { content } => content.iter().map(|s| s.text.as_str()).collect(),
            FeedBlock::Quote { text, attribution } => match attribution {
                Some(who) => format!("“{text}” — {who}"),
                None => format!("“{text}”"),
            },
            FeedBlock::Embed { url, intro } => match intro {
                Some(intro) => format!("{intro} {url}"),
                None => url.clone(),
            },
            FeedBlock::Photo(photo) => {
                let mut text = String::from("[Photo");
                if let Some(caption) = &photo.caption {
                    let _ = write!(text, ": {caption}");
                }
                let _ = write!(text, " (Credit: {})]", photo.credit);
                text
            }
        })
        .collect();
    parts.join("\n\n")
}

/// HTML-escape text for element content and quoted attributes.
pub fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_strips_markup_that_could_run() {
        let hostile = "<p onclick=\"x()\">Hi<script>alert(1)</script></p>\
            <a href=\"javascript:alert(1)\">a</a><a href=\"data:text/html,x\">b</a>\
            <iframe src=\"https://evil.example\"></iframe><style>p{}</style>\
            <img src=\"x\" onerror=\"alert(1)\"><p style=\"color:red\" class=\"evil\">c</p>";
        let clean = sanitizer().clean(hostile).to_string();
        for bad in [
            "<script",
            "onclick",
            "onerror",
            "javascript:",
            "data:",
            "<iframe",
            "<style",
            "style=",
            "evil",
        ] {
            assert!(!clean.contains(bad), "{bad} survived: {clean}");
        }
        assert!(clean.contains("<p>Hi</p>"), "{clean}");
    }

    #[test]
    fn text_is_escaped_not_interpreted() {
        let blocks = vec![FeedBlock::Quote {
            text: "<b>\"quoted\" & 'single'</b>".into(),
            attribution: None,
        }];
        let html = content_html(&blocks);
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert_eq!(content_text(&blocks), "“<b>\"quoted\" & 'single'</b>”");
    }
}
