//! The work queue of the fleet, in the shared PostgreSQL store (schema
//! version 2, see `migrations/postgres/0002.sql`): one job per target and
//! phase, claimed with `FOR UPDATE SKIP LOCKED` under a lease that a
//! heartbeat renews; every change of a running job is fenced on (job, worker,
//! attempt), so a worker whose lease was taken over changes nothing.

use crate::db::{Dialect, Param, Row, params};
use crate::{Store, StoreError};
use serde::Serialize;
use std::time::Duration;

/// What a job does to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Mine the git history.
    Git,
    /// Sync the forge and issue trackers (after the history is mined).
    Forge,
    /// Read a mailing list.
    List,
}

impl Phase {
    /// Its name in the jobs table.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Git => "git",
            Phase::Forge => "forge",
            Phase::List => "list",
        }
    }

    /// The phase named `name`.
    pub fn parse(name: &str) -> Option<Phase> {
        match name {
            "git" => Some(Phase::Git),
            "forge" => Some(Phase::Forge),
            "list" => Some(Phase::List),
            _ => None,
        }
    }
}

/// The lane of repositories this large or larger (stored commits): they get
/// their own, so a few of them never hold every worker.
pub const LARGE_COMMITS: i64 = 20_000;

/// A job to add (or to queue again if it is done or failed).
#[derive(Clone, Debug)]
pub struct NewJob {
    /// A repository's path or URL, or a list's source.
    pub target: String,
    /// What to do.
    pub phase: Phase,
    /// What the phase needs besides the target (forge and list options), as JSON.
    pub options: String,
    /// When done, queued again this long after (`--refresh`).
    pub refresh: Option<Duration>,
    /// Attempts before it is `failed`.
    pub max_attempts: u32,
    /// Not before this many seconds from now.
    pub delay: Duration,
}

/// A job claimed by a worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The job's id.
    pub id: i64,
    /// Its target.
    pub target: String,
    /// Its phase.
    pub phase: Phase,
    /// Its lane: `small` or `large`.
    pub lane: String,
    /// Its options, as JSON.
    pub options: String,
    /// This attempt's number (1 for the first).
    pub attempt: i64,
    /// Attempts allowed.
    pub max_attempts: i64,
    /// The worker holding it.
    pub worker: String,
}

/// A row of `upkeep queue`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JobStatus {
    /// The job's id.
    pub id: i64,
    /// Its target.
    pub target: String,
    /// Its phase.
    pub phase: String,
    /// Its lane.
    pub lane: String,
    /// `queued`, `scheduled` (queued for later), `running`, `done` or `failed`.
    pub state: String,
    /// Attempts made of this run.
    pub attempt: i64,
    /// Attempts allowed.
    pub max_attempts: i64,
    /// The worker holding it.
    pub worker: Option<String>,
    /// Seconds until it may run (queued) or its lease ends (running); negative: past.
    pub seconds: Option<i64>,
    /// The last error, if the last attempt failed.
    pub last_error: Option<String>,
}

/// How a queue call went wrong: the store is not PostgreSQL, or a statement failed.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The queue lives in a shared PostgreSQL store only.
    #[error(
        "the work queue needs the shared PostgreSQL store (--db postgres://… or UPKEEP_DB); {0} is a SQLite file"
    )]
    NotShared(String),
    /// A statement failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

const CLAIM_COLUMNS: &str = "id, target, phase, lane, options, attempt, max_attempts, worker";

fn claim(r: &Row<'_>) -> Result<Claim, crate::DbError> {
    Ok(Claim {
        id: r.get(0)?,
        target: r.get(1)?,
        phase: Phase::parse(&r.get::<String>(2)?).unwrap_or(Phase::Git),
        lane: r.get(3)?,
        options: r.get(4)?,
        attempt: r.get(5)?,
        max_attempts: r.get(6)?,
        worker: r.get(7)?,
    })
}

impl Store {
    pub(crate) fn shared(&self) -> Result<(), QueueError> {
        match self.conn.dialect() {
            Dialect::Postgres => Ok(()),
            Dialect::Sqlite => Err(QueueError::NotShared(self.location.to_string())),
        }
    }

    /// Adds `job`, or queues it again when it is done or failed (a running job
    /// is left to its worker). Returns whether it was queued.
    pub fn enqueue(&self, job: &NewJob) -> Result<bool, QueueError> {
        self.shared()?;
        let lane = self.lane_of(&job.target)?;
        let n = self
            .conn
            .execute(
                "INSERT INTO jobs (target, phase, lane, options, refresh_secs, max_attempts, run_after)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, now() + make_interval(secs => ?7))
                 ON CONFLICT (target, phase) DO UPDATE SET options = excluded.options,
                     refresh_secs = excluded.refresh_secs, max_attempts = excluded.max_attempts,
                     lane = excluded.lane, state = 'queued', attempt = 0, last_error = NULL,
                     run_after = least(jobs.run_after, excluded.run_after)
                 WHERE jobs.state <> 'running'",
                params![
                    job.target,
                    job.phase.as_str(),
                    lane,
                    job.options,
                    job.refresh.map(|d| d.as_secs() as i64),
                    job.max_attempts,
                    job.delay.as_secs_f64(),
                ],
            )
            .map_err(StoreError::while_doing("queueing a job"))?;
        Ok(n > 0)
    }

    /// `large` for a repository stored with [`LARGE_COMMITS`] or more, else `small`.
    fn lane_of(&self, target: &str) -> Result<&'static str, QueueError> {
        let commits: Option<i64> = self
            .conn
            .query_opt(
                "SELECT count(*) FROM commits c JOIN repositories r ON r.id = c.repo_id WHERE r.location = ?1",
                params![target],
                |r| r.get(0),
            )
            .map_err(StoreError::while_doing("sizing a job"))?;
        Ok(match commits {
            Some(n) if n >= LARGE_COMMITS => "large",
            _ => "small",
        })
    }

    /// Claims the next job of `lane` whose time has come, or whose lease
    /// expired (its worker died), for `worker`, under a lease of `lease`.
    pub fn claim_job(
        &self,
        worker: &str,
        lane: &str,
        lease: Duration,
    ) -> Result<Option<Claim>, QueueError> {
        self.shared()?;
        self.conn
            .query_opt(
                &format!(
                    "UPDATE jobs SET state = 'running', worker = ?1, attempt = attempt + 1,
                         lease_until = now() + make_interval(secs => ?2), started_at = now()
                     WHERE id = (
                         SELECT id FROM jobs
                         WHERE lane = ?3 AND attempt < max_attempts
                           AND ((state = 'queued' AND run_after <= now())
                                OR (state = 'running' AND lease_until < now()))
                         ORDER BY priority, run_after, id
                         FOR UPDATE SKIP LOCKED LIMIT 1)
                     RETURNING {CLAIM_COLUMNS}"
                ),
                params![worker, lease.as_secs_f64(), lane],
                claim,
            )
            .map_err(|e| StoreError::while_doing("claiming a job")(e).into())
    }

    /// Jobs whose lease expired on their last attempt: `failed`, with why.
    pub fn fail_abandoned_jobs(&self) -> Result<u64, QueueError> {
        self.shared()?;
        self.conn
            .execute(
                "UPDATE jobs SET state = 'failed', worker = NULL, lease_until = NULL, finished_at = now(),
                     last_error = 'its worker stopped without finishing it, ' || attempt || ' times'
                         || coalesce(' (last error: ' || last_error || ')', '')
                 WHERE state = 'running' AND lease_until < now() AND attempt >= max_attempts",
                &[],
            )
            .map_err(|e| StoreError::while_doing("failing abandoned jobs")(e).into())
    }

    /// Renews the lease of `job` while `job`'s worker and attempt hold it;
    /// false when it lost it (it expired and another worker took the job).
    pub fn heartbeat(&self, job: &Claim, lease: Duration) -> Result<bool, QueueError> {
        self.fenced(
            "UPDATE jobs SET lease_until = now() + make_interval(secs => ?4)
             WHERE id = ?1 AND worker = ?2 AND attempt = ?3 AND state = 'running'",
            job,
            params![lease.as_secs_f64()],
        )
    }

    /// Records `job` done: queued again for the next refresh if it has one.
    /// False when the worker no longer held it (nothing is changed then).
    pub fn complete_job(&self, job: &Claim, lane: &str) -> Result<bool, QueueError> {
        self.fenced(
            "UPDATE jobs SET state = CASE WHEN refresh_secs IS NULL THEN 'done' ELSE 'queued' END,
                 run_after = now() + make_interval(secs => coalesce(refresh_secs, 0)),
                 attempt = 0, worker = NULL, lease_until = NULL, finished_at = now(), last_error = NULL,
                 lane = ?4
             WHERE id = ?1 AND worker = ?2 AND attempt = ?3 AND state = 'running'",
            job,
            params![lane],
        )
    }

    /// Records a failed attempt: queued again after `backoff` doubled per
    /// attempt, or `failed` with `error` once the attempts are used up.
    pub fn fail_job(
        &self,
        job: &Claim,
        error: &str,
        backoff: Duration,
    ) -> Result<bool, QueueError> {
        let wait = backoff.as_secs_f64() * 2f64.powi((job.attempt - 1).clamp(0, 16) as i32);
        self.fenced(
            "UPDATE jobs SET state = CASE WHEN attempt >= max_attempts THEN 'failed' ELSE 'queued' END,
                 run_after = now() + make_interval(secs => ?4), worker = NULL, lease_until = NULL,
                 finished_at = now(), last_error = ?5
             WHERE id = ?1 AND worker = ?2 AND attempt = ?3 AND state = 'running'",
            job,
            params![wait, error],
        )
    }

    /// Gives `job` back without spending an attempt (a worker stopping, or a
    /// job that must wait: a forge sync before its history is mined), to run
    /// again after `delay`.
    pub fn release_job(&self, job: &Claim, delay: Duration) -> Result<bool, QueueError> {
        self.fenced(
            "UPDATE jobs SET state = 'queued', attempt = attempt - 1, worker = NULL, lease_until = NULL,
                 run_after = now() + make_interval(secs => ?4)
             WHERE id = ?1 AND worker = ?2 AND attempt = ?3 AND state = 'running'",
            job,
            params![delay.as_secs_f64()],
        )
    }

    /// Runs `sql` on `job` (`?1` its id, `?2` its worker, `?3` its attempt,
    /// then `extra`): true when the worker still held the job.
    fn fenced(&self, sql: &str, job: &Claim, extra: &[Param<'_>]) -> Result<bool, QueueError> {
        self.shared()?;
        let mut all = params![job.id, job.worker, job.attempt].to_vec();
        all.extend_from_slice(extra);
        let n = self
            .conn
            .execute(sql, &all)
            .map_err(StoreError::while_doing("recording a job's state"))?;
        Ok(n == 1)
    }

    /// Every job, failed first, then running, queued and done.
    pub fn jobs(&self) -> Result<Vec<JobStatus>, QueueError> {
        self.shared()?;
        self.conn
            .query_map(
                "SELECT id, target, phase, lane,
                        CASE WHEN state = 'queued' AND run_after > now() THEN 'scheduled' ELSE state END,
                        attempt, max_attempts, worker,
                        CAST(extract(epoch FROM CASE WHEN state = 'running' THEN lease_until ELSE run_after END - now())
                             AS BIGINT),
                        last_error
                 FROM jobs
                 ORDER BY CASE state WHEN 'failed' THEN 0 WHEN 'running' THEN 1 WHEN 'queued' THEN 2 ELSE 3 END,
                          run_after, id",
                &[],
                |r| {
                    Ok(JobStatus {
                        id: r.get(0)?,
                        target: r.get(1)?,
                        phase: r.get(2)?,
                        lane: r.get(3)?,
                        state: r.get(4)?,
                        attempt: r.get(5)?,
                        max_attempts: r.get(6)?,
                        worker: r.get(7)?,
                        seconds: r.get(8)?,
                        last_error: r.get(9)?,
                    })
                },
            )
            .map_err(|e| StoreError::while_doing("listing jobs")(e).into())
    }

    /// The state and last error of the job of `target` in `phase`, if queued ever.
    pub fn job_state(
        &self,
        target: &str,
        phase: Phase,
    ) -> Result<Option<(String, Option<String>)>, QueueError> {
        self.shared()?;
        self.conn
            .query_opt(
                "SELECT state, last_error FROM jobs WHERE target = ?1 AND phase = ?2",
                params![target, phase.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| StoreError::while_doing("reading the queue")(e).into())
    }

    /// Whether any job is running or waits for its first success: queued
    /// (for now, deferred, or retried after a failure), but not a finished job
    /// queued again for its next refresh (a worker with `--until-idle` stops
    /// when none is).
    pub fn has_pending_jobs(&self) -> Result<bool, QueueError> {
        self.shared()?;
        self.conn
            .query_row(
                "SELECT count(*) > 0 FROM jobs
                 WHERE state = 'running'
                    OR (state = 'queued' AND attempt < max_attempts
                        AND (run_after <= now() OR finished_at IS NULL OR last_error IS NOT NULL))",
                &[],
                |r| r.get(0),
            )
            .map_err(|e| StoreError::while_doing("reading the queue")(e).into())
    }
}
