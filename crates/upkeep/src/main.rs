//! `upkeep`: measure the health and sustainability of open-source communities.
//!
//! The binary is thin: it parses the command line, dispatches to one file per
//! verb under `cmd/`, and turns errors into one readable message and an exit code.

mod cmd;
mod settings;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", shown(&err.to_string()));
            // A cause whose text the message above already says is not repeated.
            let mut said = err.to_string();
            for cause in err.chain().skip(1) {
                let text = cause.to_string();
                if !said.contains(&text) {
                    eprintln!("  caused by: {}", shown(&text));
                }
                said = text;
            }
            ExitCode::FAILURE
        }
    }
}

/// The longest line of an error shown whole (a TOML or JSON error quotes the
/// offending input line, which may be megabytes).
const MAX_ERROR_LINE: usize = 300;

/// `message` for the terminal: control characters made visible, each line
/// cut to [`MAX_ERROR_LINE`] characters with what was left out counted.
fn shown(message: &str) -> String {
    message
        .lines()
        .map(|line| {
            let line = upkeep_report::terminal(line);
            let count = line.chars().count();
            if count <= MAX_ERROR_LINE {
                return line;
            }
            let kept: String = line.chars().take(MAX_ERROR_LINE).collect();
            format!("{kept}… ({} more characters)", count - MAX_ERROR_LINE)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A closed pipe (`upkeep … | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind);
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}
