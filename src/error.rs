//! One error type for the whole core. Every error carries a stable `code`
//! (scripts and the desktop app match on it) and a one-line message written
//! for the person at the keyboard.

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

    #[error("database error: {0}")]
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
            Error::Database(_) => "database",
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
