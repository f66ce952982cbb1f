//! Human-readable output: short, aligned, times in the blog's zone.

use std::fmt::Write;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use liveline::markdown;
use liveline::model::{Blog, Entry, Revision};
use liveline::photos::{ImportProgress, Photo};
use liveline::publish::{PublishProgress, PublishReport};
use liveline::store::{CheckReport, DemoReport, EntryCounts, RestoreReport};

/// A time for people: to the minute, with the blog's offset.
fn at(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M %:z").to_string()
}

pub fn blog_created(b: &Blog) -> String {
    let state = match &b.coverage_end {
        Some(end) => format!("ended {}", at(end)),
        None => "live".into(),
    };
    format!(
        "{}  {}\n  slug {}  zone {}  language {}  {state}\n  id {}",
        b.slug, b.title, b.slug, b.timezone, b.language, b.id
    )
}

pub fn blog_list(blogs: &[Blog]) -> String {
    if blogs.is_empty() {
        return "No blogs yet. Create one: liveline blog create \"Title\" --timezone Europe/London"
            .into();
    }
    let width = blogs.iter().map(|b| b.slug.len()).max().unwrap_or(0);
    blogs
        .iter()
        .map(|b| {
            let state = if b.live { "live " } else { "ended" };
            format!("{:width$}  {state}  {:20}  {}", b.slug, b.timezone, b.title)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn blog_show(b: &Blog, c: &EntryCounts) -> String {
    let mut s = blog_created(b);
    if let Some(summary) = &b.summary {
        let _ = write!(s, "\n  {summary}");
    }
    let _ = write!(
        s,
        "\n  coverage from {}\n  entries: {} published, {} ready, {} draft, {} retracted",
        at(&b.coverage_start),
        c.published,
        c.ready,
        c.draft,
        c.retracted
    );
    s
}

fn flags(e: &Entry) -> String {
    let mut f = String::new();
    if e.pinned {
        f.push_str("[pinned] ");
    }
    if e.key_event {
        f.push_str("[key] ");
    }
    f
}

pub fn entry(e: &Entry) -> String {
    let mut s = format!(
        "{}  {}{}\n  {}  rev {}  {}  shown at {}",
        e.status,
        flags(e),
        e.title,
        e.id,
        e.revision,
        e.author
            .as_deref()
            .map(|a| format!("by {a}"))
            .unwrap_or_else(|| "no byline".into()),
        at(&e.display_at),
    );
    if let Some(note) = &e.review_note {
        let _ = write!(s, "\n  returned by the editor: {note}");
    }
    if let Some(note) = &e.correction_note {
        let _ = write!(s, "\n  correction: {note}");
    }
    for w in &e.warnings {
        let _ = write!(s, "\n  warning: {w}");
    }
    let body = markdown::render(&e.blocks);
    if !body.is_empty() {
        let _ = write!(s, "\n\n{body}");
    }
    s
}

pub fn photo(p: &Photo) -> String {
    let mut s = format!(
        "photo {}  {}x{}  {}  from {}\n  entry {}",
        p.id, p.width, p.height, p.format, p.original_name, p.entry
    );
    let field = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    let _ = write!(
        s,
        "\n  credit: {}\n  caption: {}\n  alt: {}",
        field(&p.credit),
        field(&p.caption),
        field(&p.alt)
    );
    if let Some(t) = &p.taken_at {
        let _ = write!(
            s,
            "\n  taken {t}{}",
            p.camera
                .as_deref()
                .map(|c| format!(" with {c}"))
                .unwrap_or_default()
        );
    }
    if p.has_location {
        s.push_str("\n  the original records where it was taken (never published)");
    }
    for r in &p.renditions {
        let _ = write!(
            s,
            "\n  {:>4}x{:<4} {:10} {}",
            r.width, r.height, r.mime, r.path
        );
    }
    for w in &p.warnings {
        let _ = write!(s, "\n  warning: {w}");
    }
    s
}

/// One line of import progress on the terminal.
pub fn progress(p: ImportProgress) {
    let line = match p {
        ImportProgress::Reading => "reading".to_string(),
        ImportProgress::Checking => "checking".to_string(),
        ImportProgress::Rendering { done, total } => format!("rendering {done}/{total}"),
        ImportProgress::Saving => "saving".to_string(),
        ImportProgress::Done => "done".to_string(),
    };
    eprint!("\r\x1b[2K{line}");
    if p == ImportProgress::Done {
        eprintln!();
    }
}

pub fn entry_list(entries: &[Entry]) -> String {
    if entries.is_empty() {
        return "No entries.".into();
    }
    entries
        .iter()
        .map(|e| {
            format!(
                "{}  {:9}  {}  {}{}{}",
                e.id,
                e.status.as_str(),
                at(&e.display_at),
                flags(e),
                e.title,
                if e.warnings.is_empty() {
                    String::new()
                } else {
                    format!(
                        "  ({})",
                        count(e.warnings.len() as u64, "warning", "warnings")
                    )
                }
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn history(revisions: &[Revision]) -> String {
    revisions
        .iter()
        .map(|r| {
            let from = r
                .restored_from
                .map(|n| format!(" from {n}"))
                .unwrap_or_default();
            format!(
                "rev {:3}  {}  {:9}{from}  by {}  \u{201c}{}\u{201d}",
                r.revision,
                at(&r.at),
                r.action,
                r.author,
                r.content.title
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// "1 page", "2 pages": every count a person reads goes through here.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn demo(r: &DemoReport, took: Duration) -> String {
    format!(
        "Added {} to {} in {:.2} s ({} in the blog).\nList them: liveline entry list {}",
        count(r.created, "published entry", "published entries"),
        r.blog.slug,
        took.as_secs_f64(),
        count(r.entries_in_blog, "entry", "entries"),
        r.blog.slug
    )
}

/// One line of publish progress on the terminal.
pub fn publish_progress(p: PublishProgress) {
    let line = match p {
        PublishProgress::Reading => "reading".to_string(),
        PublishProgress::Rendering { done, total } => format!("rendering page {done}/{total}"),
        PublishProgress::Writing { done, total } => format!("writing {done}/{total}"),
        PublishProgress::Done => "done".to_string(),
    };
    eprint!("\r\x1b[2K{line}");
    if p == PublishProgress::Done {
        eprintln!();
    }
}

pub fn published(r: &PublishReport) -> String {
    let mut text = format!(
        "Published {} of '{}' in {} to {}\n  {} written ({}), {} unchanged, {} removed; {}; {:.0} ms",
        count(r.entries, "entry", "entries"),
        r.blog,
        count(r.pages, "page", "pages"),
        r.feed,
        count(r.files_written, "file", "files"),
        count(r.bytes_written, "byte", "bytes"),
        r.files_unchanged,
        r.files_removed,
        count(r.media_files, "media file", "media files"),
        r.duration_ms
    );
    for warning in &r.warnings {
        text.push_str(&format!("\n  warning: {warning}"));
    }
    text
}

/// One line on stderr, rewritten in place, while media files are hashed;
/// only for folders large enough to take a moment.
pub fn check_progress(done: u64, total: u64) {
    if total < 200 {
        return;
    }
    if done == 1 || done.is_multiple_of(100) || done == total {
        eprint!("\r\x1b[2Kverifying media {done}/{total}");
    }
    if done == total {
        eprintln!();
    }
}

pub fn checked(r: &CheckReport) -> String {
    if r.ok {
        return format!(
            "{}: no damage found (schema version {}, {} media files present)",
            r.path, r.schema_version, r.media_files
        );
    }
    let mut text = format!("{}: DAMAGED", r.path);
    for problem in &r.problems {
        text.push_str(&format!("\n  {problem}"));
    }
    for file in &r.missing_media {
        text.push_str(&format!("\n  missing media file: {file}"));
    }
    for file in &r.damaged_media {
        text.push_str(&format!(
            "\n  damaged media file (bytes do not match its name): {file}"
        ));
    }
    text
}

pub fn restored(r: &RestoreReport) -> String {
    let mut text = format!("Restored {} from {}", r.path, r.from);
    if let Some(replaced) = &r.replaced {
        text.push_str(&format!(
            "\n  the database it replaced is kept as {replaced}"
        ));
    }
    text.push_str(&format!("\n  {} media files copied", r.media_files));
    text
}
