//! The command line, as newsroom scripts depend on it. Extend; never rename.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "liveline",
    version,
    about = "Live news coverage, offline: write, order and publish live-blog entries.",
    after_help = "The database is --db, else $LIVELINE_DB, else the desktop app's own database."
)]
pub struct Cli {
    /// Database file, created if missing [default: $LIVELINE_DB, else the desktop app's database]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Machine-readable JSON on stdout (errors as one JSON line on stderr)
    #[arg(long, global = true)]
    pub json: bool,

    /// Who is making the change, recorded in revision history [default: $LIVELINE_USER or the login name]
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, list, show and end blogs (one blog = one coverage)
    #[command(subcommand)]
    Blog(BlogCommand),
    /// Write, review, order and publish entries
    #[command(subcommand)]
    Entry(EntryCommand),
    /// Add photos to entries, edit their credit, caption and alt text
    #[command(subcommand)]
    Photo(PhotoCommand),
    /// Add N realistic published entries to blog SLUG (created if missing), in one transaction
    Demo {
        slug: String,
        #[arg(long, value_name = "N", default_value_t = 50)]
        entries: u64,
    },
    /// Publish blog SLUG's published entries into DIR: feed.json (JSON Feed 1.1,
    /// paged), liveblog.jsonld, media/ and index.html; atomic and incremental.
    /// Flags left out come from the blog's saved settings (saved by each publish)
    Publish {
        slug: String,
        /// Output folder (created if missing)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Public URL of DIR (makes feed, page and item URLs absolute); "" clears a saved one
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Entries per older page; the first page holds up to twice as many [default: 20]
        #[arg(long, value_name = "N")]
        page_size: Option<u32>,
    },
    /// Copy a consistent snapshot of the database to a new file
    Backup {
        #[arg(value_name = "OUT.db")]
        out: PathBuf,
    },
    /// Look for damage: read every page of the database, every reference,
    /// and every media file it names (exit 1 when anything is wrong)
    Check,
    /// Replace the database with a copy made by `liveline backup` (checked
    /// first); the file it replaces is kept beside it, renamed. Quit the app first
    Restore {
        #[arg(value_name = "BACKUP.db")]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum BlogCommand {
    /// Create a blog; its slug is derived from the title unless given
    Create {
        title: String,
        #[arg(long)]
        slug: Option<String>,
        /// IANA zone in which times are shown and read [default: this computer's zone]
        #[arg(long, value_name = "ZONE")]
        timezone: Option<String>,
        /// Standfirst shown under the headline
        #[arg(long, value_name = "TEXT")]
        summary: Option<String>,
        /// BCP 47 language tag [default: en]
        #[arg(long, value_name = "TAG")]
        language: Option<String>,
    },
    /// List blogs, live ones first
    List,
    /// Show one blog with its entry counts
    Show { slug: String },
    /// End the coverage (entries stay editable)
    End { slug: String },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("body_source").args(["body", "body_file"])))]
pub struct BodyArgs {
    /// Body in Markdown: paragraphs, **bold**, *italic*, [links](https://...), > quotes, bare URLs as embeds
    #[arg(long, value_name = "MARKDOWN")]
    pub body: Option<String>,
    /// Read the body from a file, or from standard input with -
    #[arg(long, value_name = "PATH|-")]
    pub body_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum EntryCommand {
    /// Write a new entry (a draft unless --ready or --publish)
    #[command(group(ArgGroup::new("initial").args(["ready", "publish"])))]
    Add {
        slug: String,
        #[arg(long)]
        title: String,
        #[command(flatten)]
        body: BodyArgs,
        /// Byline
        #[arg(long, value_name = "NAME")]
        author: Option<String>,
        /// Display time: RFC 3339 with offset, or local YYYY-MM-DD HH:MM in the blog's zone [default: publication time]
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Submit for review at once
        #[arg(long)]
        ready: bool,
        /// Publish at once
        #[arg(long)]
        publish: bool,
    },
    /// Change an entry's content (a published entry stays published)
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        body: BodyArgs,
        /// Byline (empty to remove)
        #[arg(long, value_name = "NAME")]
        author: Option<String>,
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Public correction note (published entries only)
        #[arg(long, value_name = "CORRECTION")]
        note: Option<String>,
    },
    /// Show one entry
    Show {
        id: String,
    },
    /// List every saved revision of an entry
    History {
        id: String,
    },
    /// Bring back an earlier revision (saved as a new revision)
    Restore {
        id: String,
        revision: u32,
    },
    /// List a blog's entries
    List {
        slug: String,
        #[arg(long, value_name = "S")]
        status: Option<StatusArg>,
        #[arg(long, value_enum, default_value_t = OrderArg::Editorial)]
        order: OrderArg,
        #[arg(long, value_name = "N", default_value_t = 50)]
        limit: u32,
        #[arg(long, value_name = "N", default_value_t = 0)]
        offset: u64,
    },
    /// Submit a draft for review
    Submit {
        id: String,
    },
    /// Return a ready entry to draft, with a note for its author
    Return {
        id: String,
        #[arg(long, value_name = "TEXT")]
        note: String,
    },
    /// Publish a draft or ready entry
    Publish {
        id: String,
    },
    /// Take a published entry down
    Retract {
        id: String,
    },
    /// Pin an entry above the others
    Pin {
        id: String,
    },
    Unpin {
        id: String,
    },
    /// Mark an entry as a key event
    Key {
        id: String,
    },
    Unkey {
        id: String,
    },
    /// Delete a draft or ready entry (a published entry is refused: retract it)
    Delete {
        id: String,
    },
    /// Move an entry in the editorial order
    #[command(group(ArgGroup::new("place").required(true).args(["before", "after", "top", "bottom"])))]
    Move {
        id: String,
        #[arg(long, value_name = "ID")]
        before: Option<String>,
        #[arg(long, value_name = "ID")]
        after: Option<String>,
        #[arg(long)]
        top: bool,
        #[arg(long)]
        bottom: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PhotoCommand {
    /// Import a JPEG, PNG or WebP file and append it to an entry
    Add {
        entry_id: String,
        file: PathBuf,
        /// Who took it (required to publish; else the file's Artist/Copyright)
        #[arg(long, value_name = "TEXT")]
        credit: Option<String>,
        #[arg(long, value_name = "TEXT")]
        caption: Option<String>,
        /// Text for readers who cannot see the picture
        #[arg(long, value_name = "TEXT")]
        alt: Option<String>,
    },
    /// Change a photo's credit, caption or alt text (empty to clear)
    Edit {
        photo_id: String,
        #[arg(long, value_name = "TEXT")]
        credit: Option<String>,
        #[arg(long, value_name = "TEXT")]
        caption: Option<String>,
        #[arg(long, value_name = "TEXT")]
        alt: Option<String>,
    },
    /// Show a photo with its renditions
    Show { photo_id: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Draft,
    Ready,
    Published,
    Retracted,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OrderArg {
    Editorial,
    Newest,
    Oldest,
}
