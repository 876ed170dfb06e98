//! A worker's forge sync under the fleet's shared GitHub budget: bursts on
//! leased tokens, each within what the token has left above its reserve,
//! until the sync is complete or no token can be spent now.

use crate::sources::forge::{self, ForgeOptions};
use crate::sources::sync::Target;
use std::path::Path;
use std::time::Duration;
use upkeep_core::documents::ForgeReport;
use upkeep_forge::token::Token;
use upkeep_store::{RepoId, Spent, Store, TokenLease};

/// Requests of one burst at most; the lease is short, so other workers get turns.
const BURST: u64 = 100;

/// How a budgeted sync ended.
pub(super) enum Budgeted {
    /// Complete, with the requests made.
    Done(u64),
    /// Stopped for want of budget: go on after this long.
    Wait(Duration, u64),
}

/// Syncs `repo`'s GitHub data in bursts on the fleet's tokens.
pub(super) fn sync(
    store: &mut Store,
    worker: &str,
    target: &Target<'_>,
    options: &ForgeOptions,
) -> anyhow::Result<Budgeted> {
    let Target {
        id: repo,
        location,
        git_dir,
    } = *target;
    let mut requests = 0;
    loop {
        let now = jiff::Timestamp::now().as_second();
        let lease =
            match store.lease_token(worker, "github", BURST, Duration::from_secs(300), now)? {
                Ok(lease) => lease,
                Err(seconds) => return Ok(Budgeted::Wait(Duration::from_secs(seconds), requests)),
            };
        let burst = burst(store, &lease, repo, location, git_dir, options);
        let report = match burst {
            Ok(report) => report,
            Err(e) => {
                store.return_token(
                    &lease,
                    &Spent {
                        requests: lease.budget,
                        ..Spent::default()
                    },
                )?;
                return Err(e);
            }
        };
        let Some(report) = report else {
            store.return_token(&lease, &Spent::default())?;
            return Ok(Budgeted::Done(requests));
        };
        requests += report.sync.requests;
        store.return_token(
            &lease,
            &Spent {
                requests: report.sync.requests,
                rate: report.sync.rate,
                backoff_until: report.waited_until,
            },
        )?;
        if !report.sync.incomplete {
            return Ok(Budgeted::Done(requests));
        }
    }
}

/// The requests an adoption check makes of GitHub at most: the repository,
/// its forks, and the forks compared.
const ADOPTION_REQUESTS: u64 = 2 + upkeep_forge::github::adoption::COMPARED_FORKS as u64;

/// `repo`'s adoption check with GitHub asked on a leased token, within what
/// it has left above its reserve; with no budget left, the forge is not
/// asked (the registries still are).
pub(super) fn adoption(
    store: &mut Store,
    worker: &str,
    repo: RepoId,
    options: &ForgeOptions,
) -> anyhow::Result<Option<crate::sources::adoption::Checked>> {
    let now = jiff::Timestamp::now().as_second();
    let lease = store.lease_token(
        worker,
        "github",
        ADOPTION_REQUESTS,
        Duration::from_secs(300),
        now,
    )?;
    let Ok(lease) = lease else {
        let options = ForgeOptions {
            no_forge: true,
            ..options.clone()
        };
        return crate::sources::adoption::check(store, repo, &options, now);
    };
    let leased = ForgeOptions {
        max_requests: Some(lease.budget),
        token: Some(secret(&lease.secret_ref)?),
        ..options.clone()
    };
    let checked = crate::sources::adoption::check(store, repo, &leased, now);
    let requests = match &checked {
        Ok(done) => done.as_ref().map_or(0, |c| c.forge_requests),
        Err(_) => lease.budget,
    };
    store.return_token(
        &lease,
        &Spent {
            requests,
            ..Spent::default()
        },
    )?;
    checked
}

/// One burst: the sync capped at the lease's budget, with its token.
fn burst(
    store: &mut Store,
    lease: &TokenLease,
    repo: RepoId,
    location: &str,
    git_dir: &Path,
    options: &ForgeOptions,
) -> anyhow::Result<Option<ForgeReport>> {
    let token = secret(&lease.secret_ref)?;
    let options = ForgeOptions {
        max_requests: Some(lease.budget),
        token: Some(token),
        ..options.clone()
    };
    forge::sync(store, repo, location, git_dir, &options)
}

/// The secret `reference` points at: `env:NAME` or `file:PATH`. The value
/// is never shown; errors name the reference only.
fn secret(reference: &str) -> anyhow::Result<Token> {
    let value = match reference.split_once(':') {
        Some(("env", name)) => std::env::var(name).map_err(|_| {
            anyhow::anyhow!("the token's variable {name} is not set on this worker")
        })?,
        Some(("file", path)) => {
            upkeep_input::read_text(std::path::Path::new(path), upkeep_input::Kind::Secret)
                .map_err(|e| anyhow::anyhow!("cannot read the token's file: {e}"))?
                .trim()
                .to_owned()
        }
        _ => anyhow::bail!("the token reference {reference:?} is neither env:NAME nor file:PATH"),
    };
    if value.is_empty() {
        anyhow::bail!("the token at {reference} is empty");
    }
    Ok(Token::new(value, reference))
}
