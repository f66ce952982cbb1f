//! Markdown for entry bodies: [`parse`] reads what a journalist typed into
//! [`Block`]s, [`render`] writes blocks back as Markdown so they can be
//! edited as text again. For any valid body (see below), `parse(&render(b))`
//! gives `b` back, as long as the Markdown fits in [`MAX_MARKDOWN_BYTES`]
//! (a body needs thousands of links of thousands of characters to pass it).
//!
//! The subset, on top of CommonMark as read by pulldown-cmark:
//!
//! - Paragraphs with `**bold**`, `*italic*` (or `__`, `_`) and
//!   `[text](url)` links. A line break typed inside a paragraph is a space;
//!   a hard break (`\` or two spaces at the end of the line) is a `\n`.
//! - `> ` quotes. When the last line of a quote starts with a typed `—`,
//!   `–` or `--` (not `\--` nor `&#8212;`), that line is the attribution,
//!   without the dash. Quote text is plain: formatting is
//!   dropped, link text is kept (not its URL), paragraphs are joined with
//!   `\n`. A quote with only an attribution is refused.
//! - A paragraph that is just a URL, typed as is or as `<URL>`, is an embed.
//!   When the paragraph right before it is plain text on one line ending
//!   with a typed `:`, that paragraph becomes the embed's intro. A colon
//!   written `\:` or `&#58;` is text, not an intro marker. A bare URL
//!   leaves out trailing punctuation as GitHub-flavoured Markdown's
//!   autolinks do (`.,:;!?"'*_~`, and a `)` with no `(` to match);
//!   `<URL>` is taken as typed.
//! - `![photo](liveline:photo/ID)` alone in a paragraph is a photo block.
//!   `liveline:` is accepted nowhere else, and the placeholder carries no
//!   caption: anything but `photo` (or nothing) in the brackets is refused.
//!
//! Nothing the author typed is dropped: raw HTML is literal text; headings
//! become bold paragraphs; list items become paragraphs starting with `• `
//! (bullets) or `N. ` (numbered, counted from the list's first number);
//! code spans and blocks become plain text; images become a link to the
//! image with the alt text (or the URL when there is none); a thematic
//! break keeps its characters; a link title follows its link as ` (title)`;
//! link reference definitions stay as text. Blank spacer paragraphs
//! (whitespace only, such as `&nbsp;`) carry no words and are skipped.
//!
//! Link URLs must be absolute http, https or mailto; anything else is
//! refused with `invalid_input`.
//!
//! What `render` cannot write back exactly (the body is still valid): an
//! embed intro that does not end with `:` comes back as a paragraph before
//! the embed; leading or trailing spaces of an intro or attribution are
//! trimmed; an embed URL containing spaces, ASCII control characters or
//! angle brackets is written percent-encoded (the same address to a browser).

use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::blocks::{self, Block, Span};
use crate::error::{Error, Result};

/// The placeholder URL of a photo block, followed by the photo id.
const PHOTO_PREFIX: &str = "liveline:photo/";
/// Schemes a link may use (an embed is narrower: `blocks::validate` checks it).
const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];
/// What introduces an attribution line.
const DASHES: &[&str] = &["\u{2014}", "\u{2013}", "--"];

/// The largest Markdown body [`parse`] reads, in bytes (4 MiB). A body is
/// at most [`blocks::MAX_BODY_CHARS`] characters of text in at most
/// [`blocks::MAX_BLOCKS`] blocks; even with the longest links that is far
/// less than this. Larger input (a log or a whole page pasted by mistake)
/// is refused before it is parsed, so that its size cannot cost time or
/// memory: the refusal is `invalid_input` and names this limit.
pub const MAX_MARKDOWN_BYTES: usize = 4 * 1024 * 1024;

/// Read a body written in Markdown. Empty or blank input is an empty body;
/// input over [`MAX_MARKDOWN_BYTES`] is refused unread.
pub fn parse(markdown: &str) -> Result<Vec<Block>> {
    // Notepad and PowerShell 5 start UTF-8 files with a byte order mark; it is
    // not text, and left in it would hide a leading quote or embed.
    let markdown = markdown.strip_prefix('\u{feff}').unwrap_or(markdown);
    if markdown.len() > MAX_MARKDOWN_BYTES {
        return Err(Error::invalid(format!(
            "the body is {} bytes of Markdown; an entry's body is at most {} MiB ({MAX_MARKDOWN_BYTES} bytes)",
            markdown.len(),
            MAX_MARKDOWN_BYTES / (1024 * 1024)
        )));
    }
    if markdown.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut reader = Reader::new(markdown);
    // No extensions: tables, footnotes, strikethrough... are not in the subset
    // and stay plain text, which is what the author sees anyway.
    for (event, range) in Parser::new_ext(markdown, Options::empty()).into_offset_iter() {
        reader.event(event, range)?;
    }
    let blocks = reader.finish()?;
    blocks::validate(&blocks)?;
    Ok(blocks)
}

// ---------------------------------------------------------------------------
// Parsing: pulldown-cmark events to blocks
// ---------------------------------------------------------------------------

/// A piece of inline content, kept apart until we know what block it ends up in.
enum Piece {
    /// `source` tells whether the author typed this text as is: only a typed
    /// `:` or dash has a special meaning.
    Text { span: Span, source: Source },
    /// A line break: " " (soft) or "\n" (hard) once in a paragraph.
    Break { span: Span },
    /// A photo placeholder.
    Photo(String),
}

impl Piece {
    fn text(&self) -> &str {
        match self {
            Piece::Text { span, .. } | Piece::Break { span } => &span.text,
            Piece::Photo(_) => "",
        }
    }

    fn into_span(self) -> Option<Span> {
        match self {
            Piece::Text { span, .. } | Piece::Break { span } => Some(span),
            Piece::Photo(_) => None,
        }
    }
}

/// How a piece of text appears in the Markdown source.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Exactly as typed.
    Typed,
    /// As typed, but its first character was escaped with a backslash.
    Escaped,
    /// Written otherwise (a character reference, code) or added by us.
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LeafKind {
    Paragraph,
    Heading,
    Code,
    Html,
    /// The text of a tight list item, which has no paragraph of its own.
    ItemText,
    Rule,
}

/// A block of inline content being collected.
struct Leaf {
    kind: LeafKind,
    range: Range<usize>,
    pieces: Vec<Piece>,
    /// Starts with a list marker we added.
    prefixed: bool,
}

enum FrameKind {
    Link,
    Photo { alt: String },
}

/// An open link or image.
struct Frame {
    kind: FrameKind,
    /// The URL as the author wrote it, shown when the link has no text.
    shown: String,
    title: String,
    /// Number of pieces in the leaf when the link opened.
    start: usize,
    /// Whether this link set the current link (links cannot nest; the outer wins).
    sets_link: bool,
}

/// A top-level quote being collected: each inner block is one paragraph of text.
struct Quote {
    depth: usize,
    paragraphs: Vec<Vec<Piece>>,
}

struct Reader<'a> {
    src: &'a str,
    blocks: Vec<Block>,
    /// The last block may become the intro of an embed that follows it.
    last_is_intro: bool,
    /// Nesting of Start/End events, to find source no event covered.
    depth: usize,
    covered: usize,
    leaf: Option<Leaf>,
    strong: usize,
    emphasis: usize,
    link: Option<String>,
    frames: Vec<Frame>,
    /// Next number of each open list (None: bullets).
    lists: Vec<Option<u64>>,
    /// List markers waiting for the item's first text.
    prefix: String,
    quote: Option<Quote>,
}

impl<'a> Reader<'a> {
    fn new(src: &'a str) -> Self {
        Reader {
            src,
            blocks: Vec::new(),
            last_is_intro: false,
            depth: 0,
            covered: 0,
            leaf: None,
            strong: 0,
            emphasis: 0,
            link: None,
            frames: Vec::new(),
            lists: Vec::new(),
            prefix: String::new(),
            quote: None,
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) -> Result<()> {
        self.track_coverage(&event, &range);
        match event {
            Event::Start(tag) => self.start(tag, range)?,
            Event::End(end) => self.end(end)?,
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                let source = self.source_of(&text, &range);
                self.push_text(&text, source, range);
            }
            Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.push_text(&text, Source::Other, range);
            }
            Event::FootnoteReference(label) => {
                self.push_text(&format!("[^{label}]"), Source::Other, range)
            }
            Event::TaskListMarker(done) => {
                self.push_text(if done { "[x] " } else { "[ ] " }, Source::Other, range);
            }
            Event::SoftBreak => self.push_break(" ", range),
            Event::HardBreak => self.push_break("\n", range),
            Event::Rule => {
                let typed = self.src.get(range.clone()).unwrap_or("").trim().to_string();
                self.open_leaf(LeafKind::Rule, range.clone())?;
                self.push_text(&typed, Source::Other, range);
                self.finish_leaf()?;
            }
        }
        Ok(())
    }

    /// pulldown-cmark emits nothing for link reference definitions; keep any
    /// such skipped source between top-level blocks as a paragraph of text.
    fn track_coverage(&mut self, event: &Event<'_>, range: &Range<usize>) {
        match event {
            Event::Start(_) => {
                if self.depth == 0 {
                    self.keep_skipped(range.start);
                }
                self.depth += 1;
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.covered = range.end;
                }
            }
            _ if self.depth == 0 => {
                self.keep_skipped(range.start);
                self.covered = range.end;
            }
            _ => {}
        }
    }

    fn keep_skipped(&mut self, until: usize) {
        let skipped = self.src.get(self.covered..until).unwrap_or("").trim();
        if !skipped.is_empty() {
            self.push_block(Block::paragraph(skipped), false);
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) -> Result<()> {
        match tag {
            Tag::Paragraph => self.open_leaf(LeafKind::Paragraph, range)?,
            Tag::Heading { .. } => {
                self.open_leaf(LeafKind::Heading, range)?;
                self.strong += 1;
            }
            Tag::CodeBlock(_) => self.open_leaf(LeafKind::Code, range)?,
            Tag::HtmlBlock => self.open_leaf(LeafKind::Html, range)?,
            Tag::BlockQuote(_) => {
                self.close_item_text()?;
                match &mut self.quote {
                    Some(quote) => quote.depth += 1,
                    None => {
                        self.quote = Some(Quote {
                            depth: 1,
                            paragraphs: Vec::new(),
                        })
                    }
                }
            }
            Tag::List(first) => {
                self.close_item_text()?;
                self.lists.push(first);
            }
            Tag::Item => {
                self.close_item_text()?;
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = format!("{n}. ");
                        *n = n.saturating_add(1);
                        marker
                    }
                    _ => "\u{2022} ".to_string(),
                };
                self.prefix.push_str(&marker);
            }
            Tag::Emphasis => self.emphasis += 1,
            Tag::Strong => self.strong += 1,
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.open_link(false, link_type, &dest_url, &title, range)?,
            Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            } => self.open_link(true, link_type, &dest_url, &title, range)?,
            // Not enabled (tables, footnotes, strikethrough...): their text
            // still arrives as text.
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, end: TagEnd) -> Result<()> {
        match end {
            TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::HtmlBlock => self.finish_leaf()?,
            TagEnd::Heading(_) => {
                self.finish_leaf()?;
                self.strong = self.strong.saturating_sub(1);
            }
            TagEnd::BlockQuote(_) => {
                self.close_item_text()?;
                self.end_quote()?;
            }
            TagEnd::List(_) => {
                self.close_item_text()?;
                self.lists.pop();
            }
            TagEnd::Item => {
                self.close_item_text()?;
                if !self.prefix.is_empty() {
                    // An empty item: keep its marker rather than drop it.
                    let marker = std::mem::take(&mut self.prefix);
                    self.push_text(marker.trim_end(), Source::Other, 0..0);
                    self.finish_leaf()?;
                }
            }
            TagEnd::Emphasis => self.emphasis = self.emphasis.saturating_sub(1),
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Link | TagEnd::Image => self.close_link()?,
            _ => {}
        }
        Ok(())
    }

    fn open_leaf(&mut self, kind: LeafKind, range: Range<usize>) -> Result<()> {
        self.finish_leaf()?;
        let mut leaf = Leaf {
            kind,
            range,
            pieces: Vec::new(),
            prefixed: !self.prefix.is_empty(),
        };
        if leaf.prefixed {
            let marker = std::mem::take(&mut self.prefix);
            leaf.pieces.push(Piece::Text {
                span: Span::plain(marker),
                source: Source::Other,
            });
        }
        self.leaf = Some(leaf);
        Ok(())
    }

    /// Inline content outside any block belongs to a tight list item.
    fn ensure_leaf(&mut self, range: &Range<usize>) {
        if self.leaf.is_none() {
            // Cannot fail: there is no leaf to finish.
            let _ = self.open_leaf(LeafKind::ItemText, range.clone());
        }
    }

    fn close_item_text(&mut self) -> Result<()> {
        if self
            .leaf
            .as_ref()
            .is_some_and(|l| l.kind == LeafKind::ItemText)
        {
            self.finish_leaf()?;
        }
        Ok(())
    }

    fn span(&self, text: &str) -> Span {
        Span {
            text: text.to_string(),
            bold: self.strong > 0,
            italic: self.emphasis > 0,
            link: self.link.clone(),
        }
    }

    /// The alt text of an open photo placeholder, which collects text instead of the leaf.
    fn photo_alt(&mut self) -> Option<&mut String> {
        self.frames.iter_mut().find_map(|f| match &mut f.kind {
            FrameKind::Photo { alt } => Some(alt),
            FrameKind::Link => None,
        })
    }

    /// pulldown-cmark starts a new text event at each escaped character, and
    /// its range then leaves the backslash out.
    fn source_of(&self, text: &str, range: &Range<usize>) -> Source {
        if self.src.get(range.clone()) != Some(text) {
            Source::Other
        } else if range.start > 0 && self.src.as_bytes().get(range.start - 1) == Some(&b'\\') {
            Source::Escaped
        } else {
            Source::Typed
        }
    }

    fn push_text(&mut self, text: &str, source: Source, range: Range<usize>) {
        if let Some(alt) = self.photo_alt() {
            alt.push_str(text);
            return;
        }
        self.ensure_leaf(&range);
        let span = self.span(text);
        if let Some(leaf) = &mut self.leaf {
            leaf.pieces.push(Piece::Text { span, source });
        }
    }

    fn push_break(&mut self, text: &str, range: Range<usize>) {
        if let Some(alt) = self.photo_alt() {
            alt.push(' ');
            return;
        }
        self.ensure_leaf(&range);
        let span = self.span(text);
        if let Some(leaf) = &mut self.leaf {
            leaf.pieces.push(Piece::Break { span });
        }
    }

    fn open_link(
        &mut self,
        image: bool,
        link_type: LinkType,
        dest: &str,
        title: &str,
        range: Range<usize>,
    ) -> Result<()> {
        self.ensure_leaf(&range);
        let start = self.leaf.as_ref().map_or(0, |l| l.pieces.len());
        if image && dest.starts_with(PHOTO_PREFIX) {
            if !title.is_empty() {
                return Err(photo_caption(dest));
            }
            self.frames.push(Frame {
                kind: FrameKind::Photo { alt: String::new() },
                shown: dest.to_string(),
                title: String::new(),
                start,
                sets_link: false,
            });
            return Ok(());
        }
        // An email autolink gives the bare address.
        let url = if link_type == LinkType::Email && !dest.contains(':') {
            format!("mailto:{dest}")
        } else {
            dest.to_string()
        };
        check_link(&url)?;
        let sets_link = self.link.is_none();
        if sets_link {
            self.link = Some(url);
        }
        self.frames.push(Frame {
            kind: FrameKind::Link,
            shown: dest.to_string(),
            title: title.to_string(),
            start,
            sets_link,
        });
        Ok(())
    }

    fn close_link(&mut self) -> Result<()> {
        let Some(frame) = self.frames.pop() else {
            return Ok(());
        };
        match frame.kind {
            FrameKind::Photo { alt } => {
                let alt = alt.trim();
                if !(alt.is_empty() || alt.eq_ignore_ascii_case("photo")) {
                    return Err(photo_caption(&frame.shown));
                }
                let id = frame
                    .shown
                    .strip_prefix(PHOTO_PREFIX)
                    .unwrap_or_default()
                    .to_string();
                if let Some(alt) = self.photo_alt() {
                    // A placeholder inside another image's text: keep its words.
                    alt.push_str(&frame.shown);
                } else if let Some(leaf) = &mut self.leaf {
                    leaf.pieces.push(Piece::Photo(id));
                }
            }
            FrameKind::Link => {
                let empty = self.leaf.as_ref().is_none_or(|l| {
                    l.pieces
                        .get(frame.start..)
                        .unwrap_or_default()
                        .iter()
                        .all(|p| p.text().is_empty())
                });
                // A link or image without text would lose its URL: show the URL.
                if empty {
                    let shown = frame.shown.clone();
                    self.push_text(&shown, Source::Other, 0..0);
                }
                if frame.sets_link {
                    self.link = None;
                }
                if !frame.title.is_empty() {
                    self.push_text(&format!(" ({})", frame.title), Source::Other, 0..0);
                }
            }
        }
        Ok(())
    }

    fn finish_leaf(&mut self) -> Result<()> {
        let Some(mut leaf) = self.leaf.take() else {
            return Ok(());
        };
        if matches!(leaf.kind, LeafKind::Code | LeafKind::Html) {
            leaf.pieces = literal_block(&leaf.pieces);
        }
        let has_photo = leaf.pieces.iter().any(|p| matches!(p, Piece::Photo(_)));
        if let Some(quote) = &mut self.quote {
            if has_photo {
                return Err(photo_not_alone());
            }
            if !plain_text(&leaf.pieces).trim().is_empty() {
                quote.paragraphs.push(leaf.pieces);
            }
            return Ok(());
        }
        let own_paragraph =
            leaf.kind == LeafKind::Paragraph && !leaf.prefixed && self.lists.is_empty();
        if has_photo {
            return match leaf.pieces.as_slice() {
                [Piece::Photo(id)] if own_paragraph => {
                    let photo_id = id.clone();
                    self.push_block(Block::Photo { photo_id }, false);
                    Ok(())
                }
                _ => Err(photo_not_alone()),
            };
        }
        if own_paragraph {
            if let Some(url) = self.embed_url(&leaf) {
                let intro = if self.last_is_intro {
                    self.blocks.pop().map(|b| b.plain_text().trim().to_string())
                } else {
                    None
                };
                self.push_block(Block::Embed { url, intro }, false);
                return Ok(());
            }
        }
        let intro = own_paragraph && is_intro(&leaf.pieces);
        self.push_paragraph(leaf.pieces, intro);
        Ok(())
    }

    /// The URL of a paragraph typed as exactly `URL` or `<URL>`.
    fn embed_url(&self, leaf: &Leaf) -> Option<String> {
        let typed = self.src.get(leaf.range.clone())?.trim();
        if let [Piece::Text { span, .. }] = leaf.pieces.as_slice() {
            let autolink = span.link.as_deref() == Some(span.text.as_str())
                && !span.bold
                && !span.italic
                && typed.strip_prefix('<').and_then(|t| t.strip_suffix('>')) == Some(&span.text);
            if autolink && has_web_scheme(&span.text) {
                return Some(span.text.clone());
            }
        }
        let as_typed = leaf
            .pieces
            .iter()
            .all(|p| matches!(p, Piece::Text { span, source: Source::Typed } if is_plain(span)));
        let text = plain_text(&leaf.pieces);
        (as_typed && text == typed && is_bare_url(&text)).then(|| trim_url_end(&text).to_string())
    }

    fn push_paragraph(&mut self, pieces: Vec<Piece>, intro: bool) {
        let content =
            blocks::normalize_spans(pieces.into_iter().filter_map(Piece::into_span).collect());
        // Whitespace-only paragraphs (spacers) carry no words.
        if content.iter().all(|s| s.text.trim().is_empty()) {
            return;
        }
        self.push_block(Block::Paragraph { content }, intro);
    }

    fn push_block(&mut self, block: Block, intro: bool) {
        self.blocks.push(block);
        self.last_is_intro = intro;
    }

    fn end_quote(&mut self) -> Result<()> {
        let Some(quote) = &mut self.quote else {
            return Ok(());
        };
        quote.depth -= 1;
        if quote.depth > 0 {
            return Ok(());
        }
        let paragraphs = self.quote.take().map(|q| q.paragraphs).unwrap_or_default();
        if let Some(block) = quote_block(paragraphs)? {
            self.push_block(block, false);
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<Block>> {
        self.finish_leaf()?;
        self.keep_skipped(self.src.len());
        Ok(self.blocks)
    }
}

/// Code and HTML blocks keep their text as typed, without the final newline.
fn literal_block(pieces: &[Piece]) -> Vec<Piece> {
    let text = plain_text(pieces);
    let text = text.trim_end().trim_start_matches('\n');
    vec![Piece::Text {
        span: Span::plain(text),
        source: Source::Other,
    }]
}

fn plain_text(pieces: &[Piece]) -> String {
    pieces.iter().map(Piece::text).collect()
}

fn is_plain(span: &Span) -> bool {
    !span.bold && !span.italic && span.link.is_none()
}

/// A plain one-line paragraph whose last character is a typed `:` (not
/// `\:` nor `&#58;`).
fn is_intro(pieces: &[Piece]) -> bool {
    let plain = pieces.iter().all(|p| match p {
        Piece::Text { span, .. } | Piece::Break { span } => {
            is_plain(span) && !span.text.contains('\n')
        }
        Piece::Photo(_) => false,
    });
    let Some(Piece::Text { span, source }) =
        pieces.iter().rev().find(|p| !p.text().trim().is_empty())
    else {
        return false;
    };
    let text = span.text.trim_end();
    let typed = match source {
        Source::Typed => true,
        // Only the first character of an escaped piece is escaped.
        Source::Escaped => text != ":",
        Source::Other => false,
    };
    plain && typed && text.ends_with(':')
}

/// Build a quote from its paragraphs, taking the attribution off the last line.
fn quote_block(mut paragraphs: Vec<Vec<Piece>>) -> Result<Option<Block>> {
    let attribution = paragraphs.last_mut().and_then(take_attribution);
    if paragraphs
        .last()
        .is_some_and(|p| plain_text(p).trim().is_empty())
    {
        paragraphs.pop();
    }
    let text = paragraphs
        .iter()
        .map(|p| plain_text(p))
        .collect::<Vec<_>>()
        .join("\n");
    if text.trim().is_empty() {
        return match attribution {
            Some(name) => Err(Error::invalid(format!(
                "quote attributed to '{name}' has no quoted text"
            ))),
            None => Ok(None),
        };
    }
    Ok(Some(Block::Quote { text, attribution }))
}

/// If the last line starts with a typed dash, remove it and return the name after it.
fn take_attribution(pieces: &mut Vec<Piece>) -> Option<String> {
    let line_start = pieces
        .iter()
        .rposition(|p| matches!(p, Piece::Break { .. }))
        .map_or(0, |i| i + 1);
    let line = pieces.get(line_start..)?;
    // The dash must be typed: `&#8212;` or `\--` keeps a line as quoted text.
    let first = line.iter().find(|p| !p.text().trim().is_empty())?;
    let Piece::Text {
        span,
        source: Source::Typed,
    } = first
    else {
        return None;
    };
    strip_dash(span.text.trim_start())?;
    let text = plain_text(line);
    let name = strip_dash(text.trim())?.trim().to_string();
    // An attribution is one line; anything else stays quoted text.
    if name.is_empty() || name.contains('\n') {
        return None;
    }
    pieces.truncate(line_start.saturating_sub(1));
    Some(name)
}

fn strip_dash(line: &str) -> Option<&str> {
    DASHES.iter().find_map(|dash| line.strip_prefix(dash))
}

fn has_web_scheme(url: &str) -> bool {
    let starts = |scheme: &str| {
        url.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
    };
    starts("http://") || starts("https://")
}

/// Text that is one http(s) URL and nothing else. Angle brackets cannot be
/// part of a URL (and could not be written back inside `<...>`).
fn is_bare_url(text: &str) -> bool {
    has_web_scheme(text) && !text.contains(|c: char| c.is_whitespace() || c == '<' || c == '>')
}

/// A bare URL without the punctuation that ends the sentence around it, as
/// GitHub-flavoured Markdown's autolinks read it: trailing `.,:;!?"'*_~`,
/// and a trailing `)` that has no `(` to match in the URL.
fn trim_url_end(url: &str) -> &str {
    let mut url = url;
    loop {
        let trimmed = url.trim_end_matches(|c| ".,:;!?\"'*_~".contains(c));
        let unbalanced =
            trimmed.ends_with(')') && trimmed.matches(')').count() > trimmed.matches('(').count();
        let trimmed = if unbalanced {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            return url;
        }
        url = trimmed;
    }
}

fn check_link(url: &str) -> Result<()> {
    blocks::check_url(url, LINK_SCHEMES).map_err(|e| {
        if e.contains("allowed:") {
            Error::invalid(format!("link refused: {e}"))
        } else {
            Error::invalid(format!(
                "link refused: {e}; links must be absolute http, https or mailto URLs"
            ))
        }
    })
}

fn photo_not_alone() -> Error {
    Error::invalid(format!(
        "a photo placeholder ![photo]({PHOTO_PREFIX}ID) must stand alone in its own paragraph"
    ))
}

fn photo_caption(dest: &str) -> Error {
    let dest = dest.escape_debug();
    Error::invalid(format!(
        "photo placeholder '{dest}' must be written ![photo]({dest}); a caption belongs to the photo, not the placeholder"
    ))
}

// ---------------------------------------------------------------------------
// Rendering: blocks to Markdown
// ---------------------------------------------------------------------------

/// Write blocks as Markdown in the subset [`parse`] reads, one blank line
/// between blocks.
pub fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        // A plain paragraph ending with ':' would become the intro of an
        // embed right after it.
        let before_bare_embed = matches!(blocks.get(i + 1), Some(Block::Embed { intro: None, .. }));
        match block {
            Block::Paragraph { content } => {
                out.push_str(&render_paragraph(content, before_bare_embed))
            }
            Block::Quote { text, attribution } => {
                out.push_str(&render_quote(text, attribution.as_deref()))
            }
            Block::Embed { url, intro } => {
                if let Some(intro) = intro {
                    out.push_str(&render_paragraph(&[Span::plain(intro.as_str())], false));
                    out.push_str("\n\n");
                }
                out.push_str(&render_embed_url(url));
            }
            Block::Photo { photo_id } => {
                let dest = escape_destination(&format!("{PHOTO_PREFIX}{photo_id}"));
                let _ = write!(out, "![photo]({dest})");
            }
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    // `parse` drops a byte order mark at the very start, so text that
    // really begins with U+FEFF is written as a character reference.
    if let Some(rest) = out.strip_prefix('\u{feff}') {
        out = format!("&#65279;{rest}");
    }
    out
}

/// How one character of text is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Enc {
    /// As is.
    Lit,
    /// After a backslash (ASCII punctuation only).
    Esc,
    /// As a numeric character reference, `&#N;`: works for any character
    /// and, to CommonMark, looks like punctuation on both ends.
    Ent,
}

/// Markdown to write, before it becomes a string: the escaping of each
/// character depends on its neighbours, so it is decided on the whole list.
#[derive(Debug)]
enum Tok<'a> {
    /// A character of text, and the index of its span. A `'\n'` left `Lit`
    /// is written as a line break.
    Char {
        c: char,
        enc: Enc,
        span: usize,
    },
    /// A run of emphasis markers.
    Delim {
        mark: char,
        len: usize,
        opens: bool,
    },
    LinkOpen,
    LinkClose(&'a str),
}

/// How a line break in the text is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A hard break (`\` at the end of the line).
    Paragraph,
    /// A new paragraph of the quote, every line starting with `> `.
    Quote,
}

fn render_paragraph(content: &[Span], before_bare_embed: bool) -> String {
    let mut toks = span_tokens(content);
    fix_up(&mut toks, Mode::Paragraph);
    let text: String = content.iter().map(|s| s.text.as_str()).collect();
    if content.iter().all(is_plain) && is_bare_url(text.trim()) {
        // Written as is, it would come back as an embed.
        if let Some(colon) = toks
            .iter_mut()
            .find(|t| matches!(t, Tok::Char { c: ':', .. }))
        {
            set_enc(colon, Enc::Ent);
        }
    }
    if before_bare_embed {
        let last = toks
            .iter_mut()
            .rev()
            .find(|t| !matches!(t, Tok::Char { c, .. } if c.is_whitespace()));
        if let Some(colon @ Tok::Char { c: ':', .. }) = last {
            set_enc(colon, Enc::Ent);
        }
    }
    emit(&toks, Mode::Paragraph)
}

fn render_quote(text: &str, attribution: Option<&str>) -> String {
    let mut toks: Vec<Tok> = text
        .chars()
        .map(|c| Tok::Char {
            c,
            enc: Enc::Lit,
            span: 0,
        })
        .collect();
    fix_up(&mut toks, Mode::Quote);
    let mut out = emit(&toks, Mode::Quote);
    if let Some(name) = attribution {
        out.push_str("\n> \u{2014} ");
        out.push_str(&render_paragraph(&[Span::plain(name)], false));
    }
    out
}

/// Bare when nothing in the URL is markup, else `<URL>`, which takes
/// everything but spaces, controls and angle brackets (percent-encoded:
/// the same address to a browser).
fn render_embed_url(url: &str) -> String {
    const MARKUP: &[char] = &['\\', '&', '*', '_', '`', '[', ']', '<', '>', '!'];
    if is_bare_url(url)
        && trim_url_end(url) == url
        && !url.chars().any(|c| c.is_control() || MARKUP.contains(&c))
    {
        return url.to_string();
    }
    let mut out = String::from("<");
    for c in url.chars() {
        if c <= ' ' || c == '<' || c == '>' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out.push('>');
    out
}

/// A link destination: backslash before what would end or confuse it,
/// character references for spaces and controls.
fn escape_destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for (i, c) in url.char_indices() {
        match c {
            '\\' | '(' | ')' | '<' | '>' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '&' if looks_like_entity(&url[i + 1..]) => out.push_str("\\&"),
            c if c.is_whitespace() || c.is_control() => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether text after a `&` would be read as a character reference.
fn looks_like_entity(rest: &str) -> bool {
    let body = rest.strip_prefix('#').unwrap_or(rest);
    let name = body
        .bytes()
        .take(33)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    (1..=32).contains(&name) && body.as_bytes().get(name) == Some(&b';')
}

/// Spans to tokens: links group consecutive spans with the same URL,
/// emphasis wraps each span on its own.
fn span_tokens(content: &[Span]) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut link: Option<&str> = None;
    for (i, span) in content
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.text.is_empty())
    {
        if span.link.as_deref() != link {
            if let Some(url) = link {
                toks.push(Tok::LinkClose(url));
            }
            if span.link.is_some() {
                toks.push(Tok::LinkOpen);
            }
            link = span.link.as_deref();
        }
        let len = usize::from(span.bold) * 2 + usize::from(span.italic);
        // Two touching runs of the same character would merge into one;
        // the other marker keeps them apart.
        let mark = match toks.last() {
            Some(Tok::Delim { mark: '*', .. }) => '_',
            _ => '*',
        };
        if len > 0 {
            toks.push(Tok::Delim {
                mark,
                len,
                opens: true,
            });
        }
        toks.extend(span.text.chars().map(|c| Tok::Char {
            c,
            enc: Enc::Lit,
            span: i,
        }));
        if len > 0 {
            toks.push(Tok::Delim {
                mark,
                len,
                opens: false,
            });
        }
    }
    if let Some(url) = link {
        toks.push(Tok::LinkClose(url));
    }
    toks
}

fn fix_up(toks: &mut [Tok], mode: Mode) {
    mark_line_breaks(toks, mode);
    guard_line_edges(toks, mode);
    escape_markup(toks);
    guard_emphasis(toks);
}

fn char_at(toks: &[Tok], i: usize) -> Option<(char, Enc, usize)> {
    match toks.get(i) {
        Some(&Tok::Char { c, enc, span }) => Some((c, enc, span)),
        _ => None,
    }
}

fn set_enc(tok: &mut Tok, to: Enc) {
    if let Tok::Char { c, enc, .. } = tok {
        // A backslash escapes ASCII punctuation only.
        *enc = if to == Enc::Esc && !c.is_ascii_punctuation() {
            Enc::Ent
        } else {
            to
        };
    }
}

fn is_line_break(tok: &Tok) -> bool {
    matches!(
        tok,
        Tok::Char {
            c: '\n',
            enc: Enc::Lit,
            ..
        }
    )
}

/// Decide which newlines are written as line breaks. The rest (at the edge
/// of a span, next to another newline, or, in a quote, next to a blank
/// line, where CommonMark would not keep them) become `&#10;`.
fn mark_line_breaks(toks: &mut [Tok], mode: Mode) {
    let blank_lines: Vec<bool> = match mode {
        Mode::Paragraph => Vec::new(),
        Mode::Quote => {
            let mut lines = vec![true];
            for tok in toks.iter() {
                match *tok {
                    Tok::Char { c: '\n', .. } => lines.push(true),
                    Tok::Char { c, .. } if !c.is_whitespace() => {
                        if let Some(blank) = lines.last_mut() {
                            *blank = false;
                        }
                    }
                    _ => {}
                }
            }
            lines
        }
    };
    let mut newline = 0;
    for i in 0..toks.len() {
        let Some(('\n', _, span)) = char_at(toks, i) else {
            continue;
        };
        let breaks = match mode {
            Mode::Paragraph => {
                let inside = |j: Option<usize>| {
                    j.and_then(|j| char_at(toks, j))
                        .is_some_and(|(c, _, s)| s == span && c != '\n')
                };
                inside(i.checked_sub(1)) && inside(i.checked_add(1))
            }
            Mode::Quote => {
                blank_lines.get(newline) == Some(&false)
                    && blank_lines.get(newline + 1) == Some(&false)
            }
        };
        newline += 1;
        set_enc(&mut toks[i], if breaks { Enc::Lit } else { Enc::Ent });
    }
}

/// What CommonMark reads at the start and end of a line: whitespace there is
/// stripped, and a line start may open a heading, list, quote, code block...
fn guard_line_edges(toks: &mut [Tok], mode: Mode) {
    let mut start = 0;
    for i in 0..=toks.len() {
        if i == toks.len() || is_line_break(&toks[i]) {
            if start < i {
                guard_line(&mut toks[start..i], mode);
            }
            start = i + 1;
        }
    }
}

fn guard_line(line: &mut [Tok], mode: Mode) {
    let last = line.len() - 1;
    for i in [0, last] {
        if char_at(line, i).is_some_and(|(c, _, _)| c.is_whitespace()) {
            set_enc(&mut line[i], Enc::Ent);
        }
    }
    match char_at(line, 0) {
        Some(('#' | '>' | '+' | '-' | '=' | '~' | '<' | '|', Enc::Lit, _)) => {
            set_enc(&mut line[0], Enc::Esc)
        }
        Some((c, Enc::Lit, _)) if c.is_ascii_digit() => {
            // "1." or "1)" would start a numbered list.
            let digits = line
                .iter()
                .take_while(|t| matches!(t, Tok::Char { c, .. } if c.is_ascii_digit()))
                .count();
            if let Some(('.' | ')', _, _)) = char_at(line, digits) {
                set_enc(&mut line[digits], Enc::Esc);
            }
        }
        _ => {}
    }
    if mode == Mode::Quote {
        // A line starting with a dash would be read as the attribution.
        let first = line
            .iter()
            .position(|t| !matches!(t, Tok::Char { c, .. } if c.is_whitespace()));
        if let Some(i) = first {
            let dash = match char_at(line, i) {
                Some(('\u{2014}' | '\u{2013}', _, _)) => true,
                Some(('-', _, _)) => matches!(char_at(line, i + 1), Some(('-', _, _))),
                _ => false,
            };
            if dash {
                set_enc(&mut line[i], Enc::Ent);
            }
        }
    }
}

/// Backslash-escape characters that would be read as inline markup.
fn escape_markup(toks: &mut [Tok]) {
    for i in 0..toks.len() {
        let Some((c, Enc::Lit, _)) = char_at(toks, i) else {
            continue;
        };
        let escape = match c {
            '\\' | '*' | '_' | '`' | '[' | ']' => true,
            // Inline HTML and autolinks need a character right after the '<'.
            '<' => !matches!(char_at(toks, i + 1), Some((' ' | '\t', Enc::Lit, _))),
            '&' => {
                let rest: String = toks[i + 1..]
                    .iter()
                    .take(34)
                    .map_while(|t| match t {
                        Tok::Char { c, .. } => Some(*c),
                        _ => None,
                    })
                    .collect();
                looks_like_entity(&rest)
            }
            // "![" would make the link that follows an image.
            '!' => matches!(toks.get(i + 1), Some(Tok::LinkOpen)),
            _ => false,
        };
        if escape {
            set_enc(&mut toks[i], Enc::Esc);
        }
    }
}

/// Make every emphasis run open or close where it stands. CommonMark decides
/// by the characters on each side of a run: inside it must not be
/// whitespace; outside it must be whitespace or punctuation, except for `*`
/// with a letter or digit inside, which works within a word. A character
/// written `&#N;` counts as punctuation, so it settles every case.
fn guard_emphasis(toks: &mut [Tok]) {
    for i in 0..toks.len() {
        let Tok::Delim { mark, opens, .. } = toks[i] else {
            continue;
        };
        let (inner, outer) = if opens {
            (i.checked_add(1), i.checked_sub(1))
        } else {
            (i.checked_sub(1), i.checked_add(1))
        };
        let Some(inner) = inner else { continue };
        if char_at(toks, inner).is_some_and(|(c, _, _)| c.is_whitespace()) {
            set_enc(&mut toks[inner], Enc::Ent);
        }
        let inner_word =
            matches!(char_at(toks, inner), Some((c, Enc::Lit, _)) if c.is_alphanumeric());
        if mark == '*' && inner_word {
            continue;
        }
        let Some(outer) = outer else { continue };
        if let Some((c, Enc::Lit, _)) = char_at(toks, outer) {
            if !(c == ' ' || c == '\t' || c.is_ascii_punctuation()) {
                set_enc(&mut toks[outer], Enc::Ent);
            }
        }
    }
}

fn emit(toks: &[Tok], mode: Mode) -> String {
    let (start, line_break) = match mode {
        Mode::Paragraph => ("", "\\\n"),
        Mode::Quote => ("> ", "\n>\n> "),
    };
    let mut out = String::from(start);
    for tok in toks {
        match *tok {
            Tok::Char {
                c: '\n',
                enc: Enc::Lit,
                ..
            } => out.push_str(line_break),
            Tok::Char {
                c, enc: Enc::Lit, ..
            } => out.push(c),
            Tok::Char {
                c, enc: Enc::Esc, ..
            } if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            Tok::Char { c, .. } => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            Tok::Delim { mark, len, .. } => out.extend(std::iter::repeat_n(mark, len)),
            Tok::LinkOpen => out.push('['),
            Tok::LinkClose(url) => {
                out.push_str("](");
                out.push_str(&escape_destination(url));
                out.push(')');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn span(text: &str, bold: bool, italic: bool, link: Option<&str>) -> Span {
        Span {
            text: text.into(),
            bold,
            italic,
            link: link.map(str::to_string),
        }
    }

    fn quote(text: &str, attribution: Option<&str>) -> Block {
        Block::Quote {
            text: text.into(),
            attribution: attribution.map(str::to_string),
        }
    }

    fn embed(url: &str, intro: Option<&str>) -> Block {
        Block::Embed {
            url: url.into(),
            intro: intro.map(str::to_string),
        }
    }

    fn ok(markdown: &str) -> Vec<Block> {
        parse(markdown).unwrap_or_else(|e| panic!("{markdown:?}: {e}"))
    }

    fn refused(markdown: &str) -> String {
        let err = parse(markdown).expect_err(markdown);
        assert_eq!(err.code(), "invalid_input", "{err}");
        err.to_string()
    }

    #[test]
    fn a_leading_byte_order_mark_is_not_text() {
        assert_eq!(
            ok("\u{feff}> Hello\n> — Jane"),
            vec![quote("Hello", Some("Jane"))]
        );
        assert_eq!(
            ok("\u{feff}https://example.com/a"),
            vec![embed("https://example.com/a", None)]
        );
        assert_eq!(ok("\u{feff}Hi"), vec![Block::paragraph("Hi")]);
        // Only the first character is a byte order mark; text that starts
        // with U+FEFF later on survives a render and a parse.
        let body = ok("\n\u{feff}Hi");
        assert_eq!(body, vec![Block::paragraph("\u{feff}Hi")]);
        assert_eq!(ok(&render(&body)), body);
    }

    #[test]
    fn empty_and_blank_input_is_an_empty_body() {
        for input in ["", "   ", "\n\n\t\n"] {
            assert_eq!(ok(input), vec![]);
        }
        assert_eq!(render(&[]), "");
    }

    #[test]
    fn inline_formatting_becomes_spans() {
        let blocks = ok("Hi **bold**, *it* __b2__ _i2_ ***both*** [site](https://example.org/) **[x](https://a.example/)**");
        let Block::Paragraph { content } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(
            content,
            &vec![
                span("Hi ", false, false, None),
                span("bold", true, false, None),
                span(", ", false, false, None),
                span("it", false, true, None),
                span(" ", false, false, None),
                span("b2", true, false, None),
                span(" ", false, false, None),
                span("i2", false, true, None),
                span(" ", false, false, None),
                span("both", true, true, None),
                span(" ", false, false, None),
                span("site", false, false, Some("https://example.org/")),
                span(" ", false, false, None),
                span("x", true, false, Some("https://a.example/")),
            ]
        );
    }

    #[test]
    fn soft_breaks_are_spaces_and_hard_breaks_newlines() {
        assert_eq!(
            ok("one\ntwo  \nthree\\\nfour"),
            vec![Block::paragraph("one two\nthree\nfour")]
        );
        assert_eq!(render(&[Block::paragraph("a\nb")]), "a\\\nb\n");
    }

    #[test]
    fn escapes_and_entities_follow_commonmark() {
        assert_eq!(
            ok(r"\*not italic\* a\_b &amp; &copy;"),
            vec![Block::paragraph("*not italic* a_b & ©")]
        );
    }

    #[test]
    fn quote_attribution_after_each_kind_of_dash() {
        for dash in ["\u{2014}", "\u{2013}", "--"] {
            let md = format!("> We stay.\n> {dash} The mayor");
            assert_eq!(
                ok(&md),
                vec![quote("We stay.", Some("The mayor"))],
                "{dash}"
            );
        }
        // On its own paragraph, and with formatting, which a quote drops.
        assert_eq!(
            ok("> We *stay*.\n>\n>   \u{2014} **Jane** [Doe](https://doe.example/)"),
            vec![quote("We stay.", Some("Jane Doe"))]
        );
    }

    #[test]
    fn quote_without_attribution_joins_paragraphs() {
        assert_eq!(
            ok("> first line\n> same paragraph\n>\n> second - not a dash line"),
            vec![quote(
                "first line same paragraph\nsecond - not a dash line",
                None
            )]
        );
        // A dash that is not at the start of the last line is text.
        assert_eq!(ok("> a \u{2014} b"), vec![quote("a \u{2014} b", None)]);
        // An escaped or encoded dash is text too.
        assert_eq!(ok("> a\n> &#8212; b"), vec![quote("a \u{2014} b", None)]);
        assert_eq!(ok("> a\n> \\-- b"), vec![quote("a -- b", None)]);
    }

    #[test]
    fn quote_with_only_an_attribution_is_refused() {
        let msg = refused("> \u{2014} Someone");
        assert!(msg.contains("Someone"), "{msg}");
    }

    #[test]
    fn a_bare_embed_url_leaves_trailing_punctuation_out() {
        for typed in [
            "https://example.com/a),",
            "https://example.com/a.",
            "https://example.com/a!?\"'*_~:;",
            "https://example.com/a))",
        ] {
            assert_eq!(
                ok(typed),
                vec![embed("https://example.com/a", None)],
                "{typed}"
            );
        }
        // A balanced `)` is part of the URL; `<...>` is taken as typed.
        assert_eq!(
            ok("https://en.wikipedia.org/wiki/Rust_(language)."),
            vec![embed("https://en.wikipedia.org/wiki/Rust_(language)", None)]
        );
        assert_eq!(
            ok("<https://example.com/a.>"),
            vec![embed("https://example.com/a.", None)]
        );
        // Such a URL is written back in angle brackets, so it reads the same.
        let body = vec![embed("https://example.com/a).", None)];
        assert_eq!(render(&body), "<https://example.com/a).>\n");
        assert_eq!(ok(&render(&body)), body);
    }

    #[test]
    fn a_url_paragraph_is_an_embed() {
        assert_eq!(
            ok("https://video.example/1"),
            vec![embed("https://video.example/1", None)]
        );
        assert_eq!(
            ok("<https://video.example/a_b*c>"),
            vec![embed("https://video.example/a_b*c", None)]
        );
        // A URL inside a sentence stays a paragraph.
        assert_eq!(
            ok("see https://video.example/1"),
            vec![Block::paragraph("see https://video.example/1")]
        );
    }

    #[test]
    fn embed_takes_the_paragraph_before_as_intro_only_when_it_ends_with_a_colon() {
        assert_eq!(
            ok("Our correspondent reports:\n\nhttps://video.example/1"),
            vec![embed(
                "https://video.example/1",
                Some("Our correspondent reports:")
            )]
        );
        assert_eq!(
            ok("No colon here\n\nhttps://video.example/1"),
            vec![
                Block::paragraph("No colon here"),
                embed("https://video.example/1", None)
            ]
        );
        // A formatted paragraph, a list item or an escaped colon is not an intro.
        for md in [
            "**Watch:**",
            "- Watch:",
            "Watch&#58;",
            "Watch\\:",
            "Two\\\nlines:",
        ] {
            let blocks = ok(&format!("{md}\n\nhttps://video.example/1"));
            assert_eq!(blocks.len(), 2, "{md}: {blocks:?}");
        }
    }

    #[test]
    fn raw_html_is_text() {
        assert_eq!(ok("say <b>hi</b>"), vec![Block::paragraph("say <b>hi</b>")]);
        assert_eq!(
            ok("<script>alert(1)</script>"),
            vec![Block::paragraph("<script>alert(1)</script>")]
        );
        assert_eq!(
            ok("<div>\n  hello\n</div>\n\n<!-- note -->"),
            vec![
                Block::paragraph("<div>\n  hello\n</div>"),
                Block::paragraph("<!-- note -->")
            ]
        );
        let blocks = vec![Block::paragraph("<script>alert(1)</script>")];
        assert_eq!(ok(&render(&blocks)), blocks);
    }

    #[test]
    fn unsafe_or_relative_links_are_refused() {
        let msg = refused("[x](javascript:alert(1))");
        assert!(
            msg.contains("javascript:alert(1)") && msg.contains("http, https, mailto"),
            "{msg}"
        );
        for md in [
            "[x](data:text/html,hi)",
            "[x](/relative)",
            "![x](ftp://a.example/i.png)",
        ] {
            let msg = refused(md);
            assert!(msg.contains("http"), "{md}: {msg}");
        }
        assert_eq!(
            ok("[write](mailto:desk@example.org)"),
            vec![Block::Paragraph {
                content: vec![span("write", false, false, Some("mailto:desk@example.org"))]
            }]
        );
    }

    #[test]
    fn other_commonmark_keeps_the_words() {
        let md = "# Title\n\n- one\n- two\n  - nested\n\n3. three\n4. four\n\nuse `code` here\n\n```\nfn x()\n```\n\n---\n\n![a map](https://maps.example/m.png)\n\n[r]: https://ref.example/";
        assert_eq!(
            ok(md),
            vec![
                Block::Paragraph {
                    content: vec![span("Title", true, false, None)]
                },
                Block::paragraph("\u{2022} one"),
                Block::paragraph("\u{2022} two"),
                Block::paragraph("\u{2022} nested"),
                Block::paragraph("3. three"),
                Block::paragraph("4. four"),
                Block::paragraph("use code here"),
                Block::paragraph("fn x()"),
                Block::paragraph("---"),
                Block::Paragraph {
                    content: vec![span(
                        "a map",
                        false,
                        false,
                        Some("https://maps.example/m.png")
                    )]
                },
                Block::paragraph("[r]: https://ref.example/"),
            ]
        );
        // A link without text shows its URL; a title follows the link.
        assert_eq!(
            ok("[](https://a.example/) [b](https://b.example/ \"Bee\")"),
            vec![Block::Paragraph {
                content: vec![
                    span(
                        "https://a.example/",
                        false,
                        false,
                        Some("https://a.example/")
                    ),
                    span(" ", false, false, None),
                    span("b", false, false, Some("https://b.example/")),
                    span(" (Bee)", false, false, None),
                ]
            }]
        );
    }

    #[test]
    fn photo_placeholder_round_trips_and_stands_alone() {
        let blocks = vec![Block::Photo {
            photo_id: "p 1(x)".into(),
        }];
        let md = render(&blocks);
        assert_eq!(md, "![photo](liveline:photo/p&#32;1\\(x\\))\n");
        assert_eq!(ok(&md), blocks);
        refused("Look ![photo](liveline:photo/p1)");
        refused("> ![photo](liveline:photo/p1)");
        refused("![the mayor](liveline:photo/p1)");
        refused("[x](liveline:photo/p1)");
    }

    #[test]
    fn render_escapes_what_would_be_markup() {
        let blocks = vec![
            Block::paragraph("# not a heading"),
            Block::paragraph("1. not a list"),
            Block::paragraph("- nor this"),
            Block::paragraph("> nor a quote"),
            Block::paragraph("*a* _b_ [c](d) `e` \\ <f> &amp; AT&T x < y"),
            Block::paragraph("https://not.an/embed"),
        ];
        let md = render(&blocks);
        assert_eq!(
            md,
            "\\# not a heading\n\n1\\. not a list\n\n\\- nor this\n\n\\> nor a quote\n\n\
             \\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\\\ \\<f> \\&amp; AT&T x < y\n\n\
             https&#58;//not.an/embed\n"
        );
        assert_eq!(ok(&md), blocks);
    }

    #[test]
    fn render_writes_quotes_embeds_and_separates_blocks() {
        let blocks = vec![
            quote("We stay.\nAll of us.", Some("The mayor")),
            quote("\u{2014} not an attribution", None),
            embed("https://video.example/1", Some("Watch:")),
            Block::paragraph("Not an intro:"),
            embed("https://video.example/a_b", None),
        ];
        let md = render(&blocks);
        assert_eq!(
            md,
            "> We stay.\n>\n> All of us.\n> \u{2014} The mayor\n\n\
             > &#8212; not an attribution\n\n\
             Watch:\n\nhttps://video.example/1\n\n\
             Not an intro&#58;\n\n<https://video.example/a_b>\n"
        );
        assert_eq!(ok(&md), blocks);
    }

    #[test]
    fn emphasis_next_to_words_and_punctuation_round_trips() {
        let blocks = vec![Block::Paragraph {
            content: vec![
                span("word", false, false, None),
                span("(bold)", true, false, None),
                span("tail", false, false, None),
                span(" x", false, true, None),
                span("y ", true, false, None),
            ],
        }];
        assert_eq!(ok(&render(&blocks)), blocks);
    }

    #[test]
    fn megabyte_inputs_end_in_blocks_or_a_clear_refusal() {
        // Adversarial shapes (deep nesting, unclosed delimiters) of about
        // 1 MB: the parser must finish with a result, never panic. Their
        // speed is a matter for benchmarks, not for this test.
        let patterns = [
            "word **bold** *it* [l](https://a.example/) ",
            "[[[[((((<<<<****____",
            "> > > - 1. ",
            "*a **b ",
            "\n",
        ];
        for pattern in patterns {
            let input = pattern.repeat(1_000_000 / pattern.len());
            match parse(&input) {
                Ok(blocks) => assert!(blocks.len() <= crate::blocks::MAX_BLOCKS),
                Err(e) => assert_eq!(e.code(), "invalid_input", "{pattern:?}: {e}"),
            }
        }
    }

    // --- properties -------------------------------------------------------

    /// Characters that stress the escaping: markup, whitespace, dashes,
    /// digits, non-ASCII letters and symbols.
    const CHARS: &[char] = &[
        'a', 'b', 'Z', '7', '0', 'é', '字', ' ', ' ', '\t', '\n', '\u{a0}', '*', '_', '[', ']',
        '(', ')', '<', '>', '#', '`', '\\', '!', '&', ';', ':', '-', '+', '.', '=', '~', '|', '\'',
        '"', '\u{2014}', '\u{2013}', '🙂', '/', '@',
    ];

    fn text(max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(CHARS), 1..max).prop_map(String::from_iter)
    }

    fn line(max: usize) -> impl Strategy<Value = String> {
        text(max).prop_map(|t| t.replace('\n', " ").trim().to_string())
    }

    fn url() -> impl Strategy<Value = String> {
        let path = prop::collection::vec(
            prop::sample::select(
                &[
                    'a', 'Z', '9', '/', '_', '*', '&', '(', ')', '[', ']', '!', '~', '%', '-', '.',
                    '?', '=', '#', '\\', ';',
                ][..],
            ),
            0..12,
        );
        (
            prop::sample::select(
                &[
                    "https://example.org/",
                    "http://a.example/x",
                    "HTTPS://B.EXAMPLE",
                ][..],
            ),
            path,
        )
            .prop_map(|(base, path)| format!("{base}{}", String::from_iter(path)))
    }

    fn link() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            2 => Just(None),
            1 => url().prop_map(Some),
            1 => Just(Some("mailto:desk@example.org".to_string())),
            1 => Just(Some("https://example.org/a b\t<c>".to_string())),
        ]
    }

    fn span_strategy() -> impl Strategy<Value = Span> {
        (text(8), any::<bool>(), any::<bool>(), link()).prop_map(|(text, bold, italic, link)| {
            Span {
                text,
                bold,
                italic,
                link,
            }
        })
    }

    fn block() -> impl Strategy<Value = Block> {
        prop_oneof![
            4 => prop::collection::vec(span_strategy(), 1..6)
                .prop_map(|spans| Block::Paragraph { content: blocks::normalize_spans(spans) }),
            2 => (text(30), prop::option::of(line(12)))
                .prop_map(|(text, attribution)| Block::Quote { text, attribution }),
            2 => (url(), prop::option::of(line(12)))
                .prop_map(|(url, intro)| Block::Embed { url, intro: intro.map(|i| format!("{i}:")) }),
            1 => "[a-zA-Z0-9_() -]{1,8}".prop_map(|photo_id| Block::Photo { photo_id }),
        ]
    }

    /// Bits of Markdown, for inputs made mostly of markup.
    const MARKUP_PIECES: &[&str] = &[
        "*",
        "**",
        "_",
        "__",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "> ",
        "\n",
        "\n\n",
        " ",
        "  \n",
        "\\\n",
        "    ",
        "#",
        "# ",
        "-",
        "- ",
        "1.",
        "1. ",
        "`",
        "```",
        "\\",
        "!",
        "&amp;",
        "&#10;",
        "&#58;",
        "https://a.example/",
        "<https://a.example/>",
        "liveline:photo/",
        "![photo](liveline:photo/x)",
        "\u{2014}",
        "\u{2013}",
        "--",
        ":",
        "Watch:",
        "<div>",
        "<b>",
        "x",
        "word",
        "é",
        "\t",
        "\u{a0}",
        "[r]: https://r.example/",
        "[a](https://a.example/)",
        "![i](https://a.example/i.png)",
        "javascript:",
        "|",
        "~~~",
        "===",
        "---",
        "***",
        "`x`",
    ];

    /// Whatever parse reads is valid, and render writes it back to the same body.
    fn reads_back(input: &str) -> Result<(), TestCaseError> {
        if let Ok(body) = parse(input) {
            prop_assert!(blocks::validate(&body).is_ok());
            let markdown = render(&body);
            let again = parse(&markdown);
            prop_assert!(again.is_ok(), "{:?} -> {:?}: {:?}", input, markdown, again);
            prop_assert_eq!(again.unwrap(), body, "{:?} -> {:?}", input, markdown);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn render_then_parse_gives_the_blocks_back(
            body in prop::collection::vec(block(), 0..6)
                .prop_filter("valid body", |b| blocks::validate(b).is_ok())
        ) {
            let markdown = render(&body);
            let back = parse(&markdown);
            prop_assert!(back.is_ok(), "{:?}\n{}", back, markdown);
            prop_assert_eq!(back.unwrap(), body, "{}", markdown);
        }

        #[test]
        fn parse_never_panics(input in ".{0,200}") {
            reads_back(&input)?;
        }

        #[test]
        fn parse_never_panics_on_markup(input in prop::collection::vec(
            prop::sample::select(MARKUP_PIECES),
            0..40,
        )) {
            reads_back(&input.concat())?;
        }
    }
}
