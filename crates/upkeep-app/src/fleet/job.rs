//! Running one claimed job with the CLI's own mining, forge and list code.

use super::JobOptions;
use super::budget::{self, Budgeted};
use crate::sources::forge::ForgeOptions;
use crate::sources::lists::{ListOptions, mine_list};
use crate::sources::sync::{
    Source, SourceFailure, Sources, SyncRequest, Target, sync, sync_sources,
};
use std::path::Path;
use std::time::Duration;
use upkeep_git::mine::MineOptions;
use upkeep_store::Store;
use upkeep_store::queue::{Claim, LARGE_COMMITS, Phase};

/// How a job ended.
pub(super) enum Outcome {
    /// Done: its lane for the next refresh, and a line for the log.
    Done { lane: &'static str, said: String },
    /// Not yet possible (a forge sync before its history is mined, no
    /// budget left): run again after this long, without spending an attempt.
    Later(Duration, String),
}

/// Runs `job` against `store`.
pub(super) fn run(
    store: &mut Store,
    job: &Claim,
    cache: &Path,
    batch_size: usize,
) -> anyhow::Result<Outcome> {
    let options: JobOptions = serde_json::from_str(&job.options).unwrap_or_default();
    match job.phase {
        Phase::Git => git(store, job, cache, batch_size),
        Phase::Forge => forge(store, job, &options),
        Phase::List => list(store, job, &options),
    }
}

fn git(store: &mut Store, job: &Claim, cache: &Path, batch_size: usize) -> anyhow::Result<Outcome> {
    let request = SyncRequest {
        repository: &job.target,
        mine: MineOptions {
            batch_size,
            ..MineOptions::default()
        },
        all_refs: false,
        reuse_stored_options: true,
        fetch: true,
        clone_cache: cache,
        // The forge and the lists are jobs of their own.
        sources: Sources::GIT,
        forge: &ForgeOptions::default(),
    };
    let report = sync(store, &request)?.mined;
    let lane = match report.summary.commits >= LARGE_COMMITS {
        true => "large",
        false => "small",
    };
    Ok(Outcome::Done {
        lane,
        said: format!(
            "{} new commits, {} stored",
            report.new_commits, report.summary.commits
        ),
    })
}

fn forge(store: &mut Store, job: &Claim, options: &JobOptions) -> anyhow::Result<Outcome> {
    let location = crate::project::location(&job.target).unwrap_or_else(|_| job.target.clone());
    let record = store
        .find_repository(&location)?
        .filter(|r| r.mined_at.is_some());
    let Some(record) = record else {
        return match store.job_state(&job.target, Phase::Git)? {
            Some((state, error)) if state == "failed" => anyhow::bail!(
                "its history could not be mined: {}",
                error.unwrap_or_default()
            ),
            Some(_) => Ok(Outcome::Later(
                Duration::from_secs(2),
                "its history is not mined yet".into(),
            )),
            None => anyhow::bail!(
                "its history is not mined and not queued (upkeep enqueue {})",
                job.target
            ),
        };
    };
    let git_dir = std::path::PathBuf::from(&record.git_dir);
    let forge_options = options.forge_options();
    let target = Target {
        id: record.id,
        location: &location,
        git_dir: &git_dir,
    };
    // With tokens in the store, the forge is synced under their shared
    // budget; the trackers (and, without tokens, the forge) by the one sync
    // policy: every source runs, and a failure fails the job after them.
    let mut said = Vec::new();
    let mut failures = Vec::new();
    let budgeted = store.has_tokens("github")?;
    if budgeted {
        match budget::sync(store, &job.worker, &target, &forge_options) {
            Ok(Budgeted::Done(requests)) => said.push(format!("{requests} forge requests")),
            Err(error) => failures.push(SourceFailure {
                source: Source::Forge,
                error: format!("{error:#}"),
            }),
            Ok(Budgeted::Wait(wait, requests)) => {
                return Ok(Outcome::Later(
                    wait,
                    format!(
                        "{requests} forge requests, then no token had budget left above its reserve"
                    ),
                ));
            }
        }
    }
    let sources = Sources {
        forge: !budgeted,
        trackers: true,
        lists: false,
        advisories: true,
        // Under the shared budget, adoption asks GitHub on a leased token (below).
        adoption: !budgeted,
    };
    let mut after = sync_sources(store, &target, sources, &forge_options);
    failures.append(&mut after.failures);
    if budgeted && let Err(error) = budget::adoption(store, &job.worker, record.id, &forge_options)
    {
        failures.push(SourceFailure {
            source: Source::Adoption,
            error: format!("{error:#}"),
        });
    }
    if let Some(report) = &after.forge {
        let requests = report.as_ref().map_or(0, |r| r.sync.requests);
        said.push(format!("{requests} forge requests"));
    }
    let tracked: u64 = after
        .trackers
        .iter()
        .flatten()
        .map(|t| t.sync.requests)
        .sum();
    said.push(format!("{tracked} tracker requests"));
    if let Some(failure) = failures.first() {
        anyhow::bail!(
            "{}: {} ({} of its sources failed; {})",
            failure.source,
            failure.error,
            failures.len(),
            said.join(", ")
        );
    }
    Ok(Outcome::Done {
        lane: lane_of(job),
        said: said.join(", "),
    })
}

fn list(store: &mut Store, job: &Claim, options: &JobOptions) -> anyhow::Result<Outcome> {
    let repo = match &options.repository {
        Some(r) => {
            let location = crate::project::location(r).unwrap_or_else(|_| r.clone());
            store.find_repository(&location)?.map(|r| r.id)
        }
        None => None,
    };
    let read = mine_list(
        store,
        &job.target,
        repo,
        &ListOptions::at(jiff::Timestamp::now().as_second(), None),
    )?;
    if let Some((part, why)) = read.failed.first() {
        anyhow::bail!(
            "{part}: {why} ({} parts failed; read again next attempt)",
            read.failed.len()
        );
    }
    Ok(Outcome::Done {
        lane: lane_of(job),
        said: format!("{} new messages", read.new_messages),
    })
}

fn lane_of(job: &Claim) -> &'static str {
    match job.lane.as_str() {
        "large" => "large",
        _ => "small",
    }
}
