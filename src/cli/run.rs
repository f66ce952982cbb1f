//! Dispatch each command to one core call and print its result.

use std::io::{Read, Write};
use std::path::Path;

use serde::Serialize;

use super::args::{
    BlogCommand, BodyArgs, Cli, Command, EntryCommand, OrderArg, PhotoCommand, StatusArg,
};
use super::human;
use liveline::blocks::Block;
use liveline::error::{Error, Result};
use liveline::model::{
    EntryEdit, Initial, ListOrder, ListQuery, NewBlog, NewEntry, Placement, Status,
};
use liveline::photos::{PhotoEdit, PhotoText};
use liveline::publish::{publish, PublishRequest};
use liveline::{markdown, parse_entry_id, parse_photo_id, Store};

/// Bodies larger than this are refused before they are read whole: a
/// Markdown body of an entry is never near it, a pasted file by mistake is.
const MAX_BODY_INPUT: u64 = markdown::MAX_MARKDOWN_BYTES as u64;

pub fn run(cli: Cli) -> Result<()> {
    let path = cli
        .db
        .clone()
        .or_else(|| {
            std::env::var_os("LIVELINE_DB")
                .filter(|v| !v.is_empty())
                .map(Into::into)
        })
        .unwrap_or_else(liveline::default_db_path);
    let out = Printer { json: cli.json };
    // Restoring works without opening the database: it may be damaged.
    if let Command::Restore { from } = &cli.command {
        let report = liveline::store::restore(&path, from)?;
        return out.print(&report, || human::restored(&report));
    }
    let mut store = Store::open(&path)?;
    if let Some(user) = &cli.user {
        store.set_user(user);
    }
    match cli.command {
        Command::Blog(cmd) => blog(&mut store, cmd, &out),
        Command::Entry(cmd) => entry(&mut store, cmd, &out),
        Command::Photo(cmd) => photo(&mut store, cmd, &out),
        Command::Demo { slug, entries } => {
            let started = std::time::Instant::now();
            let report = store.demo(&slug, entries)?;
            out.print(&report, || human::demo(&report, started.elapsed()))
        }
        Command::Publish {
            slug,
            out: dir,
            base_url,
            page_size,
        } => {
            let request = PublishRequest {
                out_dir: dir,
                base_url,
                page_size,
            };
            let show = std::io::IsTerminal::is_terminal(&std::io::stderr()) && !out.json;
            let report = publish(&mut store, &slug, request, &|p| {
                if show {
                    human::publish_progress(p)
                }
            })?;
            out.print(&report, || human::published(&report))
        }
        Command::Check => {
            let report = store.check_with_progress(&human::check_progress)?;
            out.print(&report, || human::checked(&report))?;
            let first = (report.problems.iter())
                .chain(&report.missing_media)
                .chain(&report.damaged_media)
                .next();
            match first {
                None => Ok(()),
                Some(first) => Err(Error::Damaged {
                    path: report.path.clone(),
                    detail: format!(
                        "{} problems, {} media files missing, {} damaged; first: {first}",
                        report.problems.len(),
                        report.missing_media.len(),
                        report.damaged_media.len()
                    ),
                }),
            }
        }
        Command::Restore { .. } => unreachable!("handled before the database is opened"),
        Command::Backup { out: target } => {
            let report = store.backup(&target)?;
            out.print(&report, || {
                format!(
                    "Backed up {} to {} ({}) and {} ({}) to {}",
                    store.path(),
                    report.path,
                    human::count(report.bytes, "byte", "bytes"),
                    human::count(report.media_files, "media file", "media files"),
                    human::count(report.media_bytes, "byte", "bytes"),
                    report.media_path
                )
            })
        }
    }
}

struct Printer {
    json: bool,
}

impl Printer {
    /// Print `value` as JSON or as text. A reader that went away (`| head`)
    /// is not an error: the command's work is done.
    fn print<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) -> Result<()> {
        let mut out = std::io::stdout().lock();
        let written = if self.json {
            serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)
        } else {
            out.write_all(text().as_bytes())
        };
        match written
            .and_then(|()| writeln!(out))
            .and_then(|()| out.flush())
        {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(Error::io("cannot write the output", e))
            }
            _ => Ok(()),
        }
    }
}

fn blog(store: &mut Store, cmd: BlogCommand, out: &Printer) -> Result<()> {
    match cmd {
        BlogCommand::Create {
            title,
            slug,
            timezone,
            summary,
            language,
        } => {
            let blog = store.create_blog(NewBlog {
                title,
                slug,
                timezone,
                summary,
                language,
            })?;
            out.print(&blog, || human::blog_created(&blog))
        }
        BlogCommand::List => {
            let blogs = store.blogs()?;
            out.print(&blogs, || human::blog_list(&blogs))
        }
        BlogCommand::Show { slug } => {
            let blog = store.blog(&slug)?;
            let counts = store.entry_counts(&slug)?;
            #[derive(Serialize)]
            struct BlogWithCounts<'a> {
                #[serde(flatten)]
                blog: &'a liveline::model::Blog,
                entries: liveline::store::EntryCounts,
            }
            let value = BlogWithCounts {
                blog: &blog,
                entries: counts,
            };
            out.print(&value, || human::blog_show(&blog, &counts))
        }
        BlogCommand::End { slug } => {
            let blog = store.end_blog(&slug)?;
            out.print(&blog, || human::blog_created(&blog))
        }
    }
}

fn entry(store: &mut Store, cmd: EntryCommand, out: &Printer) -> Result<()> {
    use EntryCommand as E;
    let entry = match cmd {
        E::Add {
            slug,
            title,
            body,
            author,
            at,
            ready,
            publish,
        } => {
            let initial = match (ready, publish) {
                (_, true) => Initial::Published,
                (true, _) => Initial::Ready,
                _ => Initial::Draft,
            };
            let blocks = read_body(&body)?.unwrap_or_default();
            store.add_entry(
                &slug,
                NewEntry {
                    title,
                    blocks,
                    author,
                    display_at: at,
                    initial,
                },
            )?
        }
        E::Edit {
            id,
            title,
            body,
            author,
            at,
            note,
        } => {
            let edit = EntryEdit {
                title,
                blocks: read_body(&body)?,
                author: author.map(Some),
                display_at: at,
                correction_note: note,
            };
            store.edit_entry(parse_entry_id(&id)?, edit)?
        }
        E::Show { id } => store.entry(parse_entry_id(&id)?)?,
        E::History { id } => {
            let revisions = store.history(parse_entry_id(&id)?)?;
            return out.print(&revisions, || human::history(&revisions));
        }
        E::Restore { id, revision } => store.restore(parse_entry_id(&id)?, revision)?,
        E::List {
            slug,
            status,
            order,
            limit,
            offset,
        } => {
            let query = ListQuery {
                status: status.map(status_of),
                order: order_of(order),
                limit,
                offset,
            };
            let entries = store.list_entries(&slug, query)?;
            return out.print(&entries, || human::entry_list(&entries));
        }
        E::Submit { id } => store.submit(parse_entry_id(&id)?)?,
        E::Return { id, note } => store.return_to_draft(parse_entry_id(&id)?, &note)?,
        E::Publish { id } => store.publish(parse_entry_id(&id)?)?,
        E::Retract { id } => store.retract(parse_entry_id(&id)?)?,
        E::Pin { id } => store.set_pinned(parse_entry_id(&id)?, true)?,
        E::Unpin { id } => store.set_pinned(parse_entry_id(&id)?, false)?,
        E::Key { id } => store.set_key_event(parse_entry_id(&id)?, true)?,
        E::Unkey { id } => store.set_key_event(parse_entry_id(&id)?, false)?,
        E::Delete { id } => {
            let gone = store.delete_entry(parse_entry_id(&id)?)?;
            return out.print(&gone, || {
                format!("Deleted {} \u{201c}{}\u{201d}", gone.id, gone.title)
            });
        }
        E::Move {
            id,
            before,
            after,
            top,
            bottom: _,
        } => {
            let placement = match (before, after, top) {
                (Some(other), _, _) => Placement::Before(parse_entry_id(&other)?),
                (_, Some(other), _) => Placement::After(parse_entry_id(&other)?),
                (_, _, true) => Placement::Top,
                _ => Placement::Bottom,
            };
            store.move_entry(parse_entry_id(&id)?, placement)?
        }
    };
    out.print(&entry, || human::entry(&entry))
}

fn photo(store: &mut Store, cmd: PhotoCommand, out: &Printer) -> Result<()> {
    let photo = match cmd {
        PhotoCommand::Add {
            entry_id,
            file,
            credit,
            caption,
            alt,
        } => {
            let text = PhotoText {
                credit,
                caption,
                alt,
            };
            let show = std::io::IsTerminal::is_terminal(&std::io::stderr()) && !out.json;
            store.add_photo(parse_entry_id(&entry_id)?, &file, text, &|p| {
                if show {
                    human::progress(p)
                }
            })?
        }
        PhotoCommand::Edit {
            photo_id,
            credit,
            caption,
            alt,
        } => store.edit_photo(
            parse_photo_id(&photo_id)?,
            PhotoEdit {
                credit,
                caption,
                alt,
            },
        )?,
        PhotoCommand::Show { photo_id } => store.photo(parse_photo_id(&photo_id)?)?,
    };
    out.print(&photo, || human::photo(&photo))
}

fn status_of(s: StatusArg) -> Status {
    match s {
        StatusArg::Draft => Status::Draft,
        StatusArg::Ready => Status::Ready,
        StatusArg::Published => Status::Published,
        StatusArg::Retracted => Status::Retracted,
    }
}

fn order_of(o: OrderArg) -> ListOrder {
    match o {
        OrderArg::Editorial => ListOrder::Editorial,
        OrderArg::Newest => ListOrder::Newest,
        OrderArg::Oldest => ListOrder::Oldest,
    }
}

/// The body from --body or --body-file (`-` is standard input), as blocks.
/// An empty or blank file is refused: it is far more often a failed export
/// or an unsaved editor than a wish to clear the body, which `--body ""`
/// says explicitly.
fn read_body(args: &BodyArgs) -> Result<Option<Vec<Block>>> {
    let (text, name) = match (&args.body, &args.body_file) {
        (Some(text), _) => return markdown::parse(text).map(Some),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let name = Path::new("standard input");
            (read_limited(std::io::stdin().lock(), name)?, name)
        }
        (None, Some(path)) => {
            let file = std::fs::File::open(path)
                .map_err(|e| Error::io(format!("cannot read body file {}", path.display()), e))?;
            (read_limited(file, path)?, path.as_path())
        }
        (None, None) => return Ok(None),
    };
    if text.trim().is_empty() {
        return Err(Error::invalid(format!(
            "the body from {} is empty; nothing was changed (to clear a body, use --body \"\")",
            name.display()
        )));
    }
    markdown::parse(&text).map(Some)
}

fn read_limited(reader: impl Read, name: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_BODY_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("cannot read body from {}", name.display()), e))?;
    if bytes.len() as u64 > MAX_BODY_INPUT {
        return Err(Error::invalid(format!(
            "body from {} is larger than {} MiB; an entry's body is far smaller",
            name.display(),
            MAX_BODY_INPUT / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| Error::invalid(format!("body from {} is not UTF-8 text", name.display())))
}
