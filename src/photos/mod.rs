//! Photos: what an imported photo is, the media folder that holds its files,
//! and the pipeline that reads and renders it. The store (`store/photos.rs`)
//! ties them to entries.

mod libjpeg;
pub mod media;
pub mod pipeline;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::time::serde_rfc3339;

/// A photo as an entry uses it, with its file's facts and renditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Photo {
    #[ts(type = "string")]
    pub id: Uuid,
    /// The entry it was added to.
    #[ts(type = "string")]
    pub entry: Uuid,
    pub credit: Option<String>,
    pub caption: Option<String>,
    pub alt: Option<String>,
    /// Upright size (EXIF orientation applied).
    pub width: u32,
    pub height: u32,
    /// `jpeg`, `png` or `webp`: the original's format.
    pub format: String,
    pub original_name: String,
    /// SHA-256 of the original file (hex).
    pub sha256: String,
    pub bytes: u64,
    /// When the picture was taken, as the camera recorded it (RFC 3339 with
    /// offset, or a local time without one).
    pub taken_at: Option<String>,
    pub camera: Option<String>,
    /// True when the original carries a GPS position (never published).
    pub has_location: bool,
    /// ThumbHash (base64) to show while renditions load.
    pub placeholder: String,
    pub renditions: Vec<Rendition>,
    /// What an editor should fix: no credit (blocks publishing), no alt text.
    pub warnings: Vec<String>,
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub created_at: DateTime<FixedOffset>,
    #[serde(with = "serde_rfc3339")]
    #[ts(type = "string")]
    pub updated_at: DateTime<FixedOffset>,
}

/// One web rendition: metadata-free, sRGB, made once at import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Rendition {
    /// Absolute local path of the file.
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub mime: String,
}

/// Editorial fields of a new photo; blank means none.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct PhotoText {
    pub credit: Option<String>,
    pub caption: Option<String>,
    pub alt: Option<String>,
}

/// A change to a photo's editorial fields: `None` leaves a field as it is,
/// `Some("")` clears it.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct PhotoEdit {
    pub credit: Option<String>,
    pub caption: Option<String>,
    pub alt: Option<String>,
}

/// Progress of an import, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum ImportProgress {
    Reading,
    Checking,
    Rendering { done: u32, total: u32 },
    Saving,
    Done,
}

/// The warnings a photo's editorial fields call for.
pub fn warnings_for(id: Uuid, credit: Option<&str>, alt: Option<&str>) -> Vec<String> {
    let mut warnings = Vec::new();
    if credit.is_none() {
        warnings.push(format!(
            "photo {id} has no credit: it is required to publish"
        ));
    }
    if alt.is_none() {
        warnings.push(format!(
            "photo {id} has no alt text for readers who cannot see it"
        ));
    }
    warnings
}
