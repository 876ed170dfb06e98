//! `upkeep mine`: bring git histories (and mailing lists) into the store.

mod lists;

use crate::settings::ForgeArgs;
use crate::settings::{Format, StoreArgs, clone_cache};
use std::io::Write;
use std::process::ExitCode;
use upkeep_app::sources::sync::{Sources, SyncRequest, sync};
use upkeep_git::mine::MineOptions;

/// Mine git histories, their forges and mailing lists into the store.
///
/// Each REPOSITORY is a local path (a work tree or a bare repository) or a
/// clone URL; URLs are cloned into a cache once and fetched on later runs.
/// Only commits not yet stored are mined, so a second run on an unchanged
/// repository returns at once. A run that is interrupted keeps everything it
/// stored and the next run finishes the job.
///
/// A repository on GitHub (by its URL, its `origin` remote, or --forge) also
/// gets its issues, pull requests, reviews, triage events and releases, with a
/// token from GITHUB_TOKEN, GH_TOKEN or the gh CLI's login (anonymous
/// otherwise); later runs fetch only what changed. A repository on GitLab (by
/// its URL, its `origin`, or --gitlab URL GROUP/PROJECT; GITLAB_TOKEN) gets its
/// merge requests, issues, notes, approvals and releases; --jira URL
/// --jira-project KEY adds a JIRA project's issues (JIRA_TOKEN, JIRA_USER).
/// Both are remembered for later runs.
///
/// Mailing lists (--list) are read into the store too, and belong to the
/// repository when one is given with them:
///
///   upkeep mine ~/src/postgres --list pgsql-hackers.mbox      (a file or a folder, .gz too)
///   upkeep mine --list https://mail.example.org/pipermail/dev/ (pipermail or mod_mbox index)
///   upkeep mine --list https://lists.example.org/hyperkitty/list/dev@example.org/
///   upkeep mine --list apache:dev@kafka.apache.org --since 2024-01-01
///
/// A month of an archive is downloaded once it is over and never again; the
/// current month is read again on each run.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Repositories to mine: local paths or clone URLs.
    #[arg(value_name = "REPOSITORY", required_unless_present = "lists")]
    repositories: Vec<String>,
    /// A mailing list to read: an mbox file or folder, an archive URL, or apache:LIST@DOMAIN.
    #[arg(long = "list", value_name = "SOURCE")]
    lists: Vec<String>,
    /// For archives read month by month: the first day to read (YYYY-MM-DD) [default: 24 months ago].
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Mine every branch, not only the default branch.
    #[arg(long)]
    all_refs: bool,
    /// Do not detect renames (faster; a renamed file shows as deleted and added).
    #[arg(long)]
    no_renames: bool,
    /// Count added and removed lines per file (slower).
    #[arg(long)]
    lines: bool,
    /// Worker threads for decoding and diffing [default: one per core].
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Commits per store transaction: what an interrupted run can lose and redo.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    batch_size: u32,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    forge: ForgeArgs,
    #[command(flatten)]
    store: StoreArgs,
}

/// Mines every repository and list; one that fails is reported and the rest go on.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.repositories.is_empty() {
        args.forge.options().check(args.repositories.len())?;
    }
    let since = args
        .since
        .as_deref()
        .map(|d| crate::settings::day_start(d, "--since"))
        .transpose()?;
    let mut store = args.store.open()?;
    let cache = clone_cache()?;
    let options = MineOptions {
        renames: !args.no_renames,
        lines: args.lines,
        threads: args.threads.unwrap_or(0),
        batch_size: args.batch_size as usize,
    };
    let forge = args.forge.options();
    let mut reports = Vec::new();
    let mut failed = 0;
    for repo in &args.repositories {
        let request = SyncRequest {
            repository: repo,
            mine: options.clone(),
            all_refs: args.all_refs,
            reuse_stored_options: false,
            fetch: true,
            clone_cache: &cache,
            sources: Sources::ALL,
            forge: &forge,
        };
        match sync(&mut store, &request) {
            Ok(synced) => {
                if args.format == Format::Table {
                    print!("{}", upkeep_report::mine_summary(&synced.mined));
                }
                for failure in &synced.failures {
                    failed += 1;
                    eprintln!(
                        "error: {repo}: {}: {} (the git history was mined and stored)",
                        failure.source, failure.error
                    );
                }
                reports.push(synced.mined);
            }
            Err(err) => {
                failed += 1;
                eprintln!("error: {repo}: {err}");
                for cause in err.chain().skip(1) {
                    eprintln!("  caused by: {cause}");
                }
            }
        }
    }
    let owner = match (args.repositories.len(), reports.first()) {
        (1, Some(report)) => store.find_repository(&report.location)?.map(|r| r.id),
        _ => None,
    };
    let (lists, list_failures) =
        lists::mine_all(&mut store, &args.lists, owner, since, args.format)?;
    failed += list_failures;
    if args.format == Format::Json {
        let mut out = std::io::stdout().lock();
        if args.lists.is_empty() {
            serde_json::to_writer_pretty(&mut out, &reports)?;
        } else {
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({"repositories": reports, "lists": lists}),
            )?;
        }
        writeln!(out)?;
    }
    let total = args.repositories.len() + args.lists.len();
    if failed > 0 && total > 1 {
        let what = if args.lists.is_empty() {
            "repositories"
        } else {
            "repositories and lists"
        };
        eprintln!("{failed} of {total} {what} failed");
    }
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
