//! Schema migrations, embedded in the binary and applied in one transaction.
//!
//! `PRAGMA user_version` holds the number of migrations applied. A database
//! with a higher number was written by a newer Liveline: it is refused before
//! anything (not even the journal mode) is changed in it.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Error, Result};

/// Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_initial.sql")];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuse a database from the future without touching it.
pub fn check_not_newer(conn: &Connection, path: &str) -> Result<i64> {
    let found = user_version(conn)?;
    if found > LATEST {
        return Err(Error::NewerDatabase {
            path: path.to_string(),
            found,
            supported: LATEST,
        });
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
    for sql in &MIGRATIONS[current as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}
