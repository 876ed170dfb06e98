//! Turning what a user names (repositories, `[[projects]]`, lists) into jobs.

use crate::sources::forge::ForgeOptions;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use upkeep_store::Store;
use upkeep_store::queue::{NewJob, Phase};

/// What a job needs besides its target, kept with it as JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobOptions {
    /// The GitHub repository, when the target's URL does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forge: Option<String>,
    /// A JIRA project beside the forge: site and key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jira: Option<(String, String)>,
    /// The GitLab project, when the target's URL does not say: site and path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gitlab: Option<(String, String)>,
    /// For a list: the repository it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// No forge sync for this repository.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_forge: bool,
}

impl JobOptions {
    /// The forge options of the mining code.
    pub fn forge_options(&self) -> ForgeOptions {
        ForgeOptions {
            forge: self.forge.clone(),
            no_forge: self.no_forge,
            jira: self.jira.clone(),
            gitlab: self.gitlab.clone(),
            ..ForgeOptions::default()
        }
    }
}

/// The jobs of one repository (its history, then its forge) or one list.
pub fn jobs_for(
    target: &str,
    phase_list: bool,
    options: &JobOptions,
    refresh: Option<Duration>,
    max_attempts: u32,
) -> Vec<NewJob> {
    let json = serde_json::to_string(options).unwrap_or_else(|_| "{}".into());
    let job = |phase| NewJob {
        target: target.to_owned(),
        phase,
        options: json.clone(),
        refresh,
        max_attempts,
        delay: Duration::ZERO,
    };
    match phase_list {
        true => vec![job(Phase::List)],
        false if options.no_forge => vec![job(Phase::Git)],
        false => vec![job(Phase::Git), job(Phase::Forge)],
    }
}

/// Queues `jobs`; returns how many were queued (a running job is left alone).
pub fn enqueue(store: &Store, jobs: &[NewJob]) -> anyhow::Result<usize> {
    let mut queued = 0;
    for job in jobs {
        if store.enqueue(job)? {
            queued += 1;
        }
    }
    Ok(queued)
}
