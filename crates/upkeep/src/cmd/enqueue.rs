//! `upkeep enqueue`: jobs for the fleet's workers, in the shared store.

use crate::settings::{ConfigArgs, StoreArgs, parse_duration};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use upkeep_app::documents::portfolio::is_local;
use upkeep_app::fleet::{JobOptions, enqueue, jobs_for};

/// Queue repositories, projects and mailing lists for `upkeep worker`.
///
/// Each repository gets two jobs (its git history, then its forge and issue
/// trackers), each list one. Any worker on any machine connected to the
/// same PostgreSQL store (`--db postgres://…`) runs them; `upkeep queue`
/// shows them. A repository queued again while a worker runs it is left to
/// that worker.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Repositories: URLs (cloned by the workers) or paths every worker can read.
    #[arg(value_name = "REPOSITORY")]
    repositories: Vec<String>,
    /// A `[[projects]]` of upkeep.toml: its repositories, lists, JIRA and GitLab projects.
    #[arg(long = "project", value_name = "NAME")]
    projects: Vec<String>,
    /// A mailing list (as `mine --list` takes it).
    #[arg(long = "list", value_name = "SOURCE")]
    lists: Vec<String>,
    /// The upstreams an SBOM or lockfile depends on (traced through the package registries).
    #[arg(long = "from-deps", value_name = "FILE")]
    from_deps: Vec<PathBuf>,
    /// Mine (or queue) repositories on this machine (`file://` URLs) that
    /// the --from-deps inputs name; off by default.
    #[arg(long)]
    allow_local_repositories: bool,
    /// Queue each job again this long after it is done (`1d`, `12h`, `30m`).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    refresh: Option<Duration>,
    /// Attempts before a job is `failed` (with its last error).
    #[arg(long, default_value_t = 5, value_name = "N")]
    max_attempts: u32,
    /// Mine the histories only; no forge sync.
    #[arg(long)]
    no_forge: bool,
    /// The repository on GitHub (`OWNER/NAME`), when neither its URL nor its
    /// `origin` remote says (one repository only).
    #[arg(long, value_name = "OWNER/NAME")]
    forge: Option<String>,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Queues the jobs and says how many.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = args.config.load()?;
    let mut store = args.store.open()?;
    if args.forge.is_some() && args.repositories.len() + args.projects.len() != 1 {
        anyhow::bail!("--forge names the GitHub repository of one repository; give only one");
    }
    let plain = JobOptions {
        no_forge: args.no_forge,
        forge: args.forge.clone(),
        ..JobOptions::default()
    };
    let mut jobs = Vec::new();
    let mut add = |target: &str, list: bool, options: &JobOptions| {
        jobs.extend(jobs_for(
            &absolute(target),
            list,
            options,
            args.refresh,
            args.max_attempts,
        ));
    };
    for repository in &args.repositories {
        add(repository, false, &plain);
    }
    for list in &args.lists {
        add(list, true, &plain);
    }
    for name in &args.projects {
        let project = config
            .projects
            .iter()
            .find(|p| &p.name == name)
            .with_context(|| format!("upkeep.toml has no [[projects]] named {name:?}"))?;
        for (i, repository) in project.repositories.iter().enumerate() {
            let site = |s: &Option<upkeep_app::config::SiteProject>| {
                s.as_ref()
                    .filter(|_| i == 0)
                    .map(|s| (s.url.clone(), s.project.clone()))
            };
            let options = JobOptions {
                jira: site(&project.jira),
                gitlab: site(&project.gitlab),
                ..plain.clone()
            };
            add(repository, false, &options);
        }
        for list in &project.lists {
            let options = JobOptions {
                repository: project.repositories.first().cloned(),
                ..plain.clone()
            };
            add(list, true, &options);
        }
    }
    for repository in upstreams(&mut store, &config, &args.from_deps)? {
        if !args.allow_local_repositories && is_local(&repository) {
            eprintln!(
                "skipped {}: a repository on this machine (queue it with --allow-local-repositories)",
                upkeep_report::terminal(&repository)
            );
            continue;
        }
        add(&repository, false, &plain);
    }
    if jobs.is_empty() {
        anyhow::bail!("nothing to queue: name repositories, --project, --list or --from-deps");
    }
    let queued = enqueue(&store, &jobs)?;
    let left = jobs.len() - queued;
    let running = if left > 0 {
        format!(" ({left} running, left to their workers)")
    } else {
        String::new()
    };
    println!("queued {queued} jobs{running} in {}", store.location());
    Ok(ExitCode::SUCCESS)
}

/// A local path as an absolute one (workers run elsewhere); URLs and
/// sources such as `apache:LIST@DOMAIN` as given.
fn absolute(target: &str) -> String {
    let path = std::path::Path::new(target);
    match path.exists() {
        true => path
            .canonicalize()
            .map_or_else(|_| target.to_owned(), |p| p.to_string_lossy().into_owned()),
        false => target.to_owned(),
    }
}

/// The upstream repositories the SBOMs and lockfiles `inputs` depend on.
fn upstreams(
    store: &mut upkeep_store::Store,
    config: &upkeep_app::config::Config,
    inputs: &[PathBuf],
) -> anyhow::Result<Vec<String>> {
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let now = jiff::Timestamp::now().as_second();
    let options = upkeep_app::documents::portfolio::PortfolioOptions {
        inputs: inputs.to_vec(),
        top: None,
        org: None,
        offline: false,
        no_mine: true,
        allow_local: true,
        // Only the upstreams are queued.
        advisories: false,
        adoption: false,
        jobs: 4,
        window: upkeep_core::metrics::Window {
            since: now - 365 * 86_400,
            until: now,
        },
        now,
    };
    let (portfolio, _) = upkeep_app::documents::portfolio::trace(store, config, &options)?;
    Ok(portfolio
        .upstreams
        .into_iter()
        .map(|u| u.repository)
        .collect())
}
