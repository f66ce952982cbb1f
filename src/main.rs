//! `liveline`: the command-line face of the core. Exit status: 0 success,
//! 1 refused or failed operation, 2 usage error. Every error is one line on
//! stderr (one JSON line with `--json`).

mod cli;

use clap::error::ErrorKind;
use clap::Parser;

fn main() {
    let wants_json = std::env::args_os().any(|a| a == "--json");
    let args = match cli::args::Cli::try_parse() {
        Ok(args) => args,
        Err(err) => usage_error(err, wants_json),
    };
    if let Err(err) = cli::run(args) {
        report(err.code(), &err.to_string(), wants_json);
        std::process::exit(1);
    }
}

/// Help and version go to stdout as usual; a real usage error becomes one
/// line, exit status 2.
fn usage_error(err: clap::Error, json: bool) -> ! {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit();
    }
    let rendered = err.render().to_string();
    let message = rendered
        .lines()
        .take_while(|l| !l.starts_with("Usage:"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    report("usage", &format!("{message} (see liveline --help)"), json);
    std::process::exit(2);
}

fn report(code: &str, message: &str, json: bool) {
    if json {
        let line = serde_json::json!({ "error": { "code": code, "message": message } });
        eprintln!("{line}");
    } else {
        eprintln!("error: {message}");
    }
}
