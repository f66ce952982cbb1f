//! Schema migrations, embedded in the binary and applied in one transaction.
//!
//! `PRAGMA user_version` holds the number of migrations applied. A database
//! with a higher number was written by a newer Liveline: it is refused before
//! anything (not even the journal mode) is changed in it.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_photos.sql"),
    include_str!("migrations/0003_publish.sql"),
    include_str!("migrations/0004_autosave.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// `PRAGMA application_id` of a Liveline database ("LVLN"): tells our files
/// from any other SQLite file.
pub const APPLICATION_ID: i64 = 0x4C56_4C4E;

/// Refuse a database from the future, or one that is not ours, without touching it.
pub fn check_not_newer(conn: &Connection, path: &str) -> Result<i64> {
    let found = user_version(conn)?;
    if found > LATEST {
        return Err(Error::NewerDatabase {
            path: path.to_string(),
            found,
            supported: LATEST,
        });
    }
    let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let has_tables: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
        [],
        |r| r.get(0),
    )?;
    let foreign = found < 0 || (app != 0 && app != APPLICATION_ID) || (found == 0 && has_tables);
    if foreign {
        return Err(Error::Conflict(format!(
            "{path} is an SQLite database of another program (or a damaged one); Liveline left it untouched. \
             Choose another file with --db"
        )));
    }
    Ok(found)
}

/// Bring the schema to `LATEST`. All pending migrations and the version bump
/// commit together or not at all; the version is read again inside the write
/// transaction because another process may have migrated meanwhile.
pub fn migrate(conn: &mut Connection, path: &str) -> Result<()> {
    if check_not_newer(conn, path)? == LATEST {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current = check_not_newer(&tx, path)?;
    // `current` is within 0..=LATEST here (checked above).
    for sql in &MIGRATIONS[current as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}
