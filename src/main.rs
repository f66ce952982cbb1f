//! `liveline`: the command-line face of the core. Exit status: 0 success,
//! 1 refused or failed operation, 2 usage error (from clap).

mod cli;

use clap::Parser;

fn main() {
    let args = cli::args::Cli::parse();
    let json = args.json;
    if let Err(err) = cli::run(args) {
        if json {
            let line =
                serde_json::json!({ "error": { "code": err.code(), "message": err.to_string() } });
            eprintln!("{line}");
        } else {
            eprintln!("error: {err}");
        }
        std::process::exit(1);
    }
}
