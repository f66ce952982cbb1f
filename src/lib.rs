//! Liveline's core: the model of live coverage, its SQLite store, editorial
//! ordering, time handling and body formats. It knows nothing of Tauri or of
//! any user interface; the CLI and the desktop app are thin layers over it.

pub mod app;
pub mod blocks;
pub mod demo;
pub mod error;
pub mod markdown;
pub mod model;
pub mod ordering;
pub mod photos;
pub mod publish;
pub mod store;
pub mod text;
pub mod time;

pub use error::{Error, Result};
pub use store::{default_db_path, parse_entry_id, parse_photo_id, Store};
pub use uuid::Uuid;
