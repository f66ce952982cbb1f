//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// A real photo from the shared test set (../shared/photos, whose README
/// states each file's EXIF and orientation).
pub fn photo_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/photos")
        .join(name)
}
