//! What crosses the boundary between the desktop UI and the core, beyond the
//! model types themselves. TypeScript copies are generated (ts-rs) into
//! `ui/src/bindings/`; `tests/bindings.rs` keeps them fresh.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Error;
use crate::model::Blog;
use crate::store::EntryCounts;

/// An error as the UI receives it: a stable code to match on and one
/// sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    pub code: String,
    pub message: String,
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

/// Something was written: the UI reloads what shows it. `None` means "could
/// be anything" (another process wrote to the database).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Changed {
    /// The blog's slug.
    pub blog: Option<String>,
    #[ts(type = "string | null")]
    pub entry: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    /// Who saves: recorded in every revision.
    pub user: String,
}

/// A blog with how many entries it has in each status.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BlogSummary {
    pub blog: Blog,
    pub counts: EntryCounts,
}

/// A publish as the app asks for it; what is left out comes from the
/// blog's saved settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PublishOptions {
    pub out_dir: Option<String>,
    pub base_url: Option<String>,
    pub page_size: Option<u32>,
}
