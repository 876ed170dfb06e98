//! Forge sources: issues, pull requests, their comments, reviews and triage
//! events, releases and repository metadata, turned into
//! [`upkeep_core::events`] forge records.
//!
//! A [`Forge`] syncs one repository into a [`Sink`] page by page: each page is
//! handed over with the cursor that resumes after it, so a run cut off at any
//! point loses nothing and counts nothing twice, and a later run fetches only
//! what changed. The forges: GitHub ([`github::GitHub`]), GitLab
//! ([`gitlab::GitLab`]), and JIRA ([`jira::Jira`]), an issue tracker whose
//! items keep their own numbers beside a forge's (`ForgeItem::tracker`).

pub mod client;
mod error;
pub mod github;
pub mod gitlab;
pub mod jira;
mod remote;
mod sink;
mod time;
pub mod token;

pub use error::Error;
pub use remote::{RepoRef, github_repo, gitlab_repo};
pub use sink::{Batch, Memory, Sink};

/// What one sync did: the document `mine` shows, defined with it in core.
pub use upkeep_core::documents::ForgeSync as Summary;

/// Progress of a sync, for a progress bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A page of `what` was saved; `items` so far in this run.
    Page {
        /// `pull requests`, `issues`, `releases`, …
        what: &'static str,
        /// Items saved so far in this run.
        items: u64,
    },
    /// Waiting for a rate limit to reset.
    Waiting {
        /// Seconds left.
        seconds: u64,
        /// Why.
        reason: String,
    },
}

/// The summary of a sync that ended with `result` after `requests`: a stop
/// at the `--max-requests` cap is an incomplete summary, not an error.
pub(crate) fn finish(
    result: Result<(), Error>,
    client: &client::Client,
    mut summary: Summary,
) -> Result<Summary, Error> {
    summary.requests = client.requests();
    summary.points = client.points();
    summary.rate = client.rate();
    match result {
        Ok(()) => Ok(summary),
        Err(Error::Http(upkeep_http::Error::MaxRequests(_))) => {
            summary.incomplete = true;
            Ok(summary)
        }
        Err(e) => Err(e),
    }
}

/// A forge that can sync one repository.
pub trait Forge {
    /// Fetches what changed in `repo` since the cursors `sink` holds, page by page into `sink`.
    fn sync(
        &mut self,
        repo: &RepoRef,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Summary, Error>;
}
