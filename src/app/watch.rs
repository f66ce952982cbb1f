//! Noticing writes made by other processes, such as the `liveline` CLI
//! writing to the database the app has open.

use std::path::Path;

use crate::error::Result;
use crate::Store;

/// Polls SQLite's `data_version`, which changes whenever another connection
/// commits to the database. Cheap enough to ask every second.
pub struct ExternalChanges {
    store: Store,
    last: i64,
}

impl ExternalChanges {
    pub fn open(db_path: &Path) -> Result<ExternalChanges> {
        let store = Store::open(db_path)?;
        let last = store.data_version()?;
        Ok(ExternalChanges { store, last })
    }

    /// True when anything else committed since the last call.
    pub fn poll(&mut self) -> Result<bool> {
        let now = self.store.data_version()?;
        let changed = now != self.last;
        self.last = now;
        Ok(changed)
    }
}
