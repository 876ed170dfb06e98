//! The forge budget the fleet shares (PostgreSQL only, table `tokens`): per
//! token, where a worker finds its secret (never the secret), what the forge
//! last said is left and when it resets, a reserve never spent so the token's
//! owner is not locked out, one worker at a time spending a burst, and a
//! back-off every worker respects when the forge says `Retry-After`.

use crate::db::params;
use crate::queue::QueueError;
use crate::{Store, StoreError};
use serde::Serialize;
use std::time::Duration;

/// A token as the table holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    /// Its name.
    pub name: String,
    /// Its forge (`github`).
    pub forge: String,
    /// Where the secret is: `env:NAME` or `file:PATH`.
    pub secret_ref: String,
    /// Requests never spent.
    pub reserve: i64,
    /// Requests left as the forge last said.
    pub remaining: Option<i64>,
    /// When the limit resets, seconds since the epoch.
    pub reset_at: Option<i64>,
    /// The worker spending a burst now.
    pub leased_by: Option<String>,
    /// Until when every worker waits (a `Retry-After`), seconds since the epoch.
    pub backoff_until: Option<i64>,
}

/// A burst a worker may spend on one token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenLease {
    /// The token's name.
    pub name: String,
    /// Where its secret is.
    pub secret_ref: String,
    /// The worker holding the lease.
    pub worker: String,
    /// Requests it may make: at most the burst asked for and what is left
    /// above the reserve; 1 when nothing is known yet (the answer says).
    pub budget: u64,
}

/// What the forge said after a burst.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spent {
    /// Requests made.
    pub requests: u64,
    /// Requests left, and when the limit resets, as the last response said.
    pub rate: Option<(u64, Option<u64>)>,
    /// Until when the forge asked everyone to wait (seconds since the epoch).
    pub backoff_until: Option<i64>,
}

/// A leased row: name, secret reference, remaining, reserve, reset time.
type Leased = (String, String, Option<i64>, i64, Option<i64>);

impl Store {
    /// Adds or changes a token (`secret_ref`: `env:NAME` or `file:PATH`).
    pub fn add_token(
        &self,
        name: &str,
        forge: &str,
        secret_ref: &str,
        reserve: i64,
    ) -> Result<(), QueueError> {
        self.shared()?;
        self.conn
            .execute(
                "INSERT INTO tokens (name, forge, secret_ref, reserve) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET forge = excluded.forge, secret_ref = excluded.secret_ref,
                     reserve = excluded.reserve",
                params![name, forge, secret_ref, reserve],
            )
            .map_err(StoreError::while_doing("recording a token"))?;
        Ok(())
    }

    /// Every token, by name.
    pub fn tokens(&self) -> Result<Vec<TokenRecord>, QueueError> {
        self.shared()?;
        self.conn
            .query_map(
                "SELECT name, forge, secret_ref, reserve, remaining, reset_at,
                        CASE WHEN lease_until > now() THEN leased_by END, backoff_until
                 FROM tokens ORDER BY name",
                &[],
                |r| {
                    Ok(TokenRecord {
                        name: r.get(0)?,
                        forge: r.get(1)?,
                        secret_ref: r.get(2)?,
                        reserve: r.get(3)?,
                        remaining: r.get(4)?,
                        reset_at: r.get(5)?,
                        leased_by: r.get(6)?,
                        backoff_until: r.get(7)?,
                    })
                },
            )
            .map_err(|e| StoreError::while_doing("reading tokens")(e).into())
    }

    /// Whether any token of `forge` is recorded.
    pub fn has_tokens(&self, forge: &str) -> Result<bool, QueueError> {
        self.shared()?;
        self.conn
            .query_row(
                "SELECT count(*) > 0 FROM tokens WHERE forge = ?1",
                params![forge],
                |r| r.get(0),
            )
            .map_err(|e| StoreError::while_doing("reading tokens")(e).into())
    }

    /// Leases the token of `forge` with the most left above its reserve, for
    /// a burst of at most `burst` requests, to `worker` for `lease`. `Ok(Err(seconds))`:
    /// none can be spent now; the soonest frees in about that many seconds.
    pub fn lease_token(
        &self,
        worker: &str,
        forge: &str,
        burst: u64,
        lease: Duration,
        now: i64,
    ) -> Result<Result<TokenLease, u64>, QueueError> {
        self.shared()?;
        let leased: Option<Leased> = self
            .conn
            .query_opt(
                "UPDATE tokens SET leased_by = ?1, lease_until = now() + make_interval(secs => ?2)
                 WHERE name = (
                     SELECT name FROM tokens
                     WHERE forge = ?3 AND (lease_until IS NULL OR lease_until < now())
                       AND coalesce(backoff_until, 0) <= ?4
                       AND (remaining IS NULL OR remaining > reserve OR coalesce(reset_at, 0) <= ?4)
                     ORDER BY CASE WHEN remaining IS NULL OR coalesce(reset_at, 0) <= ?4 THEN 0 ELSE 1 END,
                              remaining - reserve DESC, name
                     FOR UPDATE SKIP LOCKED LIMIT 1)
                 RETURNING name, secret_ref, remaining, reserve, reset_at",
                params![worker, lease.as_secs_f64(), forge, now],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .map_err(StoreError::while_doing("leasing a token"))?;
        let Some((name, secret_ref, remaining, reserve, reset_at)) = leased else {
            return Ok(Err(self.token_wait(forge, now)?));
        };
        let known = remaining.filter(|_| reset_at.is_none_or(|r| r > now));
        let budget = match known {
            Some(left) => (left - reserve).max(0) as u64,
            None => 1,
        };
        Ok(Ok(TokenLease {
            name,
            secret_ref,
            worker: worker.to_owned(),
            budget: budget.min(burst),
        }))
    }

    /// Seconds until a token of `forge` may be spent again: its `Retry-After`,
    /// its reset when nothing is left above its reserve, or a moment when
    /// another worker's burst is under way.
    fn token_wait(&self, forge: &str, now: i64) -> Result<u64, QueueError> {
        let soonest: Option<i64> = self
            .conn
            .query_row(
                "SELECT min(CASE
                     WHEN coalesce(backoff_until, 0) > ?2 THEN backoff_until
                     WHEN remaining <= reserve AND reset_at > ?2 THEN reset_at
                     WHEN lease_until > now() THEN ?2 + 2
                     ELSE ?2 + 1 END)
                 FROM tokens WHERE forge = ?1",
                params![forge, now],
                |r| r.get(0),
            )
            .map_err(StoreError::while_doing("reading tokens"))?;
        Ok(soonest.map_or(60, |t| (t - now).clamp(1, 3600) as u64))
    }

    /// Gives a leased token back with what the burst spent and what the forge said.
    pub fn return_token(&self, lease: &TokenLease, spent: &Spent) -> Result<(), QueueError> {
        self.shared()?;
        let (remaining, reset) = match spent.rate {
            Some((left, reset)) => (Some(left as i64), reset.map(|r| r as i64)),
            None => (None, None),
        };
        self.conn
            .execute(
                "UPDATE tokens SET leased_by = NULL, lease_until = NULL,
                     remaining = coalesce(?3, remaining - ?4), reset_at = coalesce(?5, reset_at),
                     backoff_until = greatest(backoff_until, ?6)
                 WHERE name = ?1 AND leased_by = ?2",
                params![
                    lease.name,
                    lease.worker,
                    remaining,
                    spent.requests,
                    reset,
                    spent.backoff_until
                ],
            )
            .map_err(StoreError::while_doing("returning a token"))?;
        Ok(())
    }
}
