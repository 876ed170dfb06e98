//! `upkeep queue`: the fleet's jobs and tokens, and adding tokens.

use crate::settings::{Format, StoreArgs};
use std::process::ExitCode;
use upkeep_report::terminal;

/// What is waiting, running, failed and why; the shared GitHub tokens.
///
/// `upkeep queue token NAME --env VAR` records a token the workers share:
/// only where each worker finds the secret (a variable or a file) is stored,
/// never the secret. Workers spend a token in short exclusive bursts, never
/// below its reserve, and all wait when GitHub says `Retry-After`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    what: Option<What>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(clap::Subcommand, Debug)]
enum What {
    /// Add or change a shared GitHub token.
    Token {
        /// Its name (how the queue shows it).
        name: String,
        /// The environment variable holding the secret on each worker.
        #[arg(
            long,
            value_name = "VAR",
            conflicts_with = "file",
            required_unless_present = "file"
        )]
        env: Option<String>,
        /// The file holding the secret on each worker.
        #[arg(long, value_name = "PATH")]
        file: Option<String>,
        /// Requests never spent, so the token's owner is not locked out.
        #[arg(long, default_value_t = 500, value_name = "N")]
        reserve: i64,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Shows the queue, or records a token.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(What::Token {
        name,
        env,
        file,
        reserve,
        store,
    }) = args.what
    {
        let secret_ref = match (env, file) {
            (Some(var), _) => format!("env:{var}"),
            (None, Some(path)) => format!("file:{path}"),
            (None, None) => anyhow::bail!("say where the secret is: --env VAR or --file PATH"),
        };
        store
            .open()?
            .add_token(&name, "github", &secret_ref, reserve)?;
        println!(
            "token {name}: the workers read it from {secret_ref}, keeping {reserve} requests in reserve"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let store = args.store.open_read_only()?;
    let jobs = store.jobs()?;
    let tokens = store.tokens()?;
    if args.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"jobs": jobs, "tokens": tokens}))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let table = upkeep_report::listing(
        upkeep_report::Frame::None,
        &[
            "job",
            "phase",
            "target",
            "lane",
            "state",
            "attempt",
            "worker",
            "when",
            "last error",
        ],
        jobs.iter().map(|j| {
            let when = j.seconds.map(|s| match (j.state.as_str(), s >= 0) {
                ("running", true) => format!("lease {s} s"),
                ("running", false) => format!("lease expired {} s ago", -s),
                ("scheduled", _) => format!("in {s} s"),
                _ => String::new(),
            });
            [
                j.id.to_string(),
                j.phase.clone(),
                j.target.clone(),
                j.lane.clone(),
                j.state.clone(),
                format!("{}/{}", j.attempt, j.max_attempts),
                j.worker.clone().unwrap_or_default(),
                when.unwrap_or_default(),
                j.last_error.clone().unwrap_or_default(),
            ]
        }),
    );
    let count = |state: &str| jobs.iter().filter(|j| j.state == state).count();
    println!(
        "{} jobs: {} queued, {} scheduled, {} running, {} done, {} failed",
        jobs.len(),
        count("queued"),
        count("scheduled"),
        count("running"),
        count("done"),
        count("failed")
    );
    if !jobs.is_empty() {
        println!("{table}");
    }
    for t in &tokens {
        println!(
            "token {}: {} left (reserve {}){}{}",
            terminal(&t.name),
            t.remaining.map_or("unknown".into(), |r| r.to_string()),
            t.reserve,
            t.leased_by
                .as_ref()
                .map_or(String::new(), |w| format!(", in use by {}", terminal(w))),
            t.backoff_until
                .map_or(String::new(), |b| format!(", everyone waits until {b}")),
        );
    }
    Ok(ExitCode::SUCCESS)
}
