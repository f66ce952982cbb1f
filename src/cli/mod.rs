//! The `liveline` command-line tool: parses arguments, calls the core, prints.
//! No business rule lives here.

pub mod args;
mod human;
mod run;

pub use run::run;
