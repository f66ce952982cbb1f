//! One error type for the whole core. Every error carries a stable `code`
//! (scripts and the desktop app match on it) and a one-line message written
//! for the person at the keyboard.

use rusqlite::ErrorCode;

use crate::model::Status;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{kind} not found: {id}")]
    NotFound { kind: &'static str, id: String },

    #[error("entry {id} is {current}; it cannot become {requested}{hint}")]
    InvalidTransition {
        id: String,
        current: Status,
        requested: Status,
        hint: &'static str,
    },

    /// Input that can never be accepted as given (bad title, bad URL, bad slug...).
    #[error("{0}")]
    InvalidInput(String),

    /// A time that cannot be read, does not exist, or is ambiguous.
    #[error("{0}")]
    InvalidTime(String),

    /// The request clashes with what is stored (slug taken, entry retracted...).
    #[error("{0}")]
    Conflict(String),

    #[error(
        "database {path} was written by a newer Liveline (schema version {found}, this build knows up to {supported}); \
         it was left untouched: upgrade Liveline to open it"
    )]
    NewerDatabase {
        path: String,
        found: i64,
        supported: i64,
    },

    /// The file is a database, but a damaged one (found by `check`, or
    /// when it was opened).
    #[error(
        "database {path} is damaged ({detail}); Liveline left it as it is. \
         Restore your latest copy from `liveline backup` with `liveline restore BACKUP.db`"
    )]
    Damaged { path: String, detail: String },

    #[error("{}", database_message(.0))]
    Database(#[from] rusqlite::Error),

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Stable machine-readable code; part of the public contract.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::InvalidTransition { .. } => "invalid_transition",
            Error::InvalidInput(_) => "invalid_input",
            Error::InvalidTime(_) => "invalid_time",
            Error::Conflict(_) => "conflict",
            Error::NewerDatabase { .. } => "newer_database",
            Error::Damaged { .. } => "damaged_database",
            Error::Database(e) if is_damage(e) => "damaged_database",
            // Like a newer database: a newer Liveline wrote what this one cannot read.
            Error::Database(e) if unknown_zone(e).is_some() => "newer_database",
            Error::Database(e) if is_sqlite_disk_full(e) => "disk_full",
            Error::Database(_) => "database",
            Error::Io { source, .. } if is_disk_full(source) => "disk_full",
            Error::Io { .. } => "io",
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidInput(msg.into())
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

/// SQLite found the file is not a database, or a page of it is damaged.
fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// SQLite could not grow the database, its log, or its shared-memory index
/// (the last is how a full disk shows when a database is opened).
fn is_sqlite_disk_full(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => {
            f.code == ErrorCode::DiskFull || f.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE
        }
        _ => false,
    }
}

/// No space left, over quota, or over the process's file-size limit.
fn is_disk_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(e.kind(), StorageFull | QuotaExceeded | FileTooLarge)
}

/// A blog's time zone that this build's time-zone data does not have: a
/// newer Liveline (newer tzdata) wrote it. Only what needs the zone is
/// refused; listing blogs goes on (see `store::rows::blog`).
#[derive(Debug, thiserror::Error)]
#[error(
    "{} uses the time zone '{zone}', which this build of Liveline does not know \
     (a newer one wrote it); upgrade Liveline to work on it",
    blog.as_deref().map_or("the blog".to_string(), |slug| format!("blog '{slug}'"))
)]
pub struct UnknownZone {
    pub zone: String,
    pub blog: Option<String>,
}

fn unknown_zone(e: &rusqlite::Error) -> Option<&UnknownZone> {
    match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, source) => source.downcast_ref(),
        _ => None,
    }
}

/// What a person can do about each kind of database failure.
fn database_message(e: &rusqlite::Error) -> String {
    if let Some(zone) = unknown_zone(e) {
        zone.to_string()
    } else if is_damage(e) {
        format!(
            "the database file is damaged ({e}); Liveline left it as it is. \
             Run `liveline check` to see the damage, then `liveline restore BACKUP.db` \
             with your latest copy from `liveline backup`"
        )
    } else if is_sqlite_disk_full(e) {
        "the disk is full: nothing was saved; free some space and try again".to_string()
    } else {
        format!("database error: {e}")
    }
}
