//! A worker: `jobs` slots, each with its own connection, claiming jobs of the
//! shared queue under a lease that a heartbeat renews, and logging one line
//! per job. A lost connection (the database restarted) is opened again; a
//! stop request finishes the jobs under way, a second one gives them back.

use super::job::{self, Outcome};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use upkeep_store::queue::Claim;
use upkeep_store::{Location, Store};

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// Its name in the queue (`host:pid` by default).
    pub name: String,
    /// Jobs at once.
    pub jobs: usize,
    /// How long a claim holds without a heartbeat.
    pub lease: Duration,
    /// How long an idle slot waits before asking again.
    pub poll: Duration,
    /// The wait after a first failure, doubled per attempt.
    pub backoff: Duration,
    /// Stop when nothing is queued for now and nothing runs.
    pub until_idle: bool,
    /// Where clones are kept.
    pub cache: std::path::PathBuf,
    /// Commits per transaction when mining.
    pub batch_size: usize,
}

/// Stop requests, shared with the signal handlers.
#[derive(Debug, Default)]
pub struct Stop {
    /// Claim nothing more; finish the jobs under way.
    pub finish: AtomicBool,
    /// Give the jobs under way back now.
    pub now: AtomicBool,
}

/// What a worker did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Jobs done.
    pub done: u64,
    /// Attempts failed.
    pub failed: u64,
    /// Jobs given back to run later.
    pub later: u64,
}

/// Runs slots until stopped (or idle, with `until_idle`); `log` gets one line per job.
pub fn run(
    location: &Location,
    options: &WorkerOptions,
    stop: &Arc<Stop>,
    log: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<Tally> {
    let running: Mutex<Vec<Claim>> = Mutex::new(Vec::new());
    let tally = Mutex::new(Tally::default());
    let slots_ended = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| give_back_on_stop(location, stop, &running, &slots_ended, log));
        let slots: Vec<_> = (0..options.jobs.max(1))
            .map(|index| {
                let (running, tally) = (&running, &tally);
                scope.spawn(move || {
                    let slot = Slot {
                        location,
                        options,
                        stop,
                        log,
                        running,
                        tally,
                        index,
                    };
                    slot.run();
                })
            })
            .collect();
        for slot in slots {
            // A slot that panicked has logged it; the others go on.
            let _ = slot.join();
        }
        slots_ended.store(true, Ordering::SeqCst);
    });
    Ok(*tally.lock().unwrap_or_else(|e| e.into_inner()))
}

/// On a second stop request, gives the running jobs back (their next
/// worker starts at once), then ends the process.
fn give_back_on_stop(
    location: &Location,
    stop: &Stop,
    running: &Mutex<Vec<Claim>>,
    slots_ended: &AtomicBool,
    log: &(dyn Fn(&str) + Sync),
) {
    while !slots_ended.load(Ordering::SeqCst) {
        if stop.now.load(Ordering::SeqCst) {
            let claims = running.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Ok(store) = Store::open_at(location, || {}) {
                for claim in &claims {
                    if store.release_job(claim, Duration::ZERO).unwrap_or(false) {
                        log(&format!(
                            "{} {} {}: given back",
                            claim.worker,
                            claim.phase.as_str(),
                            claim.target
                        ));
                    }
                }
            }
            std::process::exit(130);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Slot<'a> {
    location: &'a Location,
    options: &'a WorkerOptions,
    stop: &'a Stop,
    log: &'a (dyn Fn(&str) + Sync),
    running: &'a Mutex<Vec<Claim>>,
    tally: &'a Mutex<Tally>,
    index: usize,
}

impl Slot<'_> {
    fn run(&self) {
        let mut store = None;
        let name = format!("{}/{}", self.options.name, self.index);
        // Slot 0 of a worker with several prefers large repositories; the
        // others prefer small ones, so neither lane starves the other.
        let lanes = match (self.index, self.options.jobs) {
            (0, n) if n > 1 => ["large", "small"],
            _ => ["small", "large"],
        };
        while !self.stop.finish.load(Ordering::SeqCst) {
            let Some(db) = self.connected(&mut store) else {
                continue;
            };
            match self.next(db, &name, &lanes) {
                Ok(Some(claim)) => self.work(&mut store, claim),
                Ok(None) if self.options.until_idle && !db.has_pending_jobs().unwrap_or(true) => {
                    return;
                }
                Ok(None) => std::thread::sleep(self.options.poll),
                Err(e) => {
                    (self.log)(&format!(
                        "{name}: the queue cannot be read ({e:#}); connecting again"
                    ));
                    store = None;
                }
            }
        }
    }

    /// The slot's connection, opened (again) if needed; `None` after a failed
    /// attempt (waited for), so the caller checks for a stop request.
    fn connected<'s>(&self, store: &'s mut Option<Store>) -> Option<&'s mut Store> {
        if store.is_none() {
            match Store::open_at(self.location, || {}) {
                Ok(s) => *store = Some(s),
                Err(e) => {
                    (self.log)(&format!(
                        "{}: cannot connect ({e}); trying again",
                        self.options.name
                    ));
                    std::thread::sleep(self.options.poll.max(Duration::from_millis(500)));
                    return None;
                }
            }
        }
        store.as_mut()
    }

    fn next(&self, db: &Store, name: &str, lanes: &[&str]) -> anyhow::Result<Option<Claim>> {
        db.fail_abandoned_jobs()?;
        for lane in lanes {
            if let Some(claim) = db.claim_job(name, lane, self.options.lease)? {
                return Ok(Some(claim));
            }
        }
        Ok(None)
    }

    /// Runs `claim` with a heartbeat beside it, then records how it ended.
    fn work(&self, store: &mut Option<Store>, claim: Claim) {
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(claim.clone());
        let started = Instant::now();
        let (done, beats) = channel::<()>();
        let lost = AtomicBool::new(false);
        let result = std::thread::scope(|scope| {
            let (claim, lost) = (&claim, &lost);
            scope.spawn(move || self.heartbeat(claim, &beats, lost));
            let result = match store.as_mut() {
                Some(db) => job::run(db, claim, &self.options.cache, self.options.batch_size),
                None => Err(anyhow::anyhow!("no connection")),
            };
            drop(done);
            result
        });
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|c| c.id != claim.id);
        let took = started.elapsed().as_secs_f64();
        let what = format!(
            "{} {} {} (attempt {})",
            claim.worker,
            claim.phase.as_str(),
            claim.target,
            claim.attempt
        );
        if lost.load(Ordering::SeqCst) {
            (self.log)(&format!(
                "{what}: lost its lease after {took:.1} s; another worker has it"
            ));
            return;
        }
        let recorded = self.record(store, &claim, result, &what, took);
        if let Err(e) = recorded {
            (self.log)(&format!(
                "{what}: cannot record its end ({e:#}); its lease will expire"
            ));
            *store = None;
        }
    }

    fn record(
        &self,
        store: &mut Option<Store>,
        claim: &Claim,
        result: anyhow::Result<Outcome>,
        what: &str,
        took: f64,
    ) -> anyhow::Result<()> {
        // A job that failed because the database went away is given back, not failed.
        let lost_db =
            result.is_err() && store.as_ref().is_none_or(|db| db.schema_version().is_err());
        if lost_db {
            *store = Store::open_at(self.location, || {}).ok();
        }
        let db = store
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("no connection"))?;
        let mut tally = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        match result {
            Ok(Outcome::Done { lane, said }) => {
                db.complete_job(claim, lane)?;
                tally.done += 1;
                (self.log)(&format!("{what}: done in {took:.1} s, {said}"));
            }
            Ok(Outcome::Later(wait, why)) => {
                db.release_job(claim, wait)?;
                tally.later += 1;
                (self.log)(&format!(
                    "{what}: later ({why}); again in {} s",
                    wait.as_secs()
                ));
            }
            Err(e) if lost_db => {
                db.release_job(claim, Duration::ZERO)?;
                tally.later += 1;
                (self.log)(&format!(
                    "{what}: the database connection was lost ({e:#}); given back"
                ));
            }
            Err(e) => {
                let error = format!("{e:#}");
                db.fail_job(claim, &error, self.options.backoff)?;
                tally.failed += 1;
                let end = match claim.attempt >= claim.max_attempts {
                    true => "failed for good".to_owned(),
                    false => format!(
                        "failed, attempt {} of {}",
                        claim.attempt, claim.max_attempts
                    ),
                };
                (self.log)(&format!("{what}: {end} after {took:.1} s: {error}"));
            }
        }
        Ok(())
    }

    /// Renews the lease at a third of its length until the job ends; sets
    /// `lost` when another worker has taken the job.
    fn heartbeat(&self, claim: &Claim, ended: &std::sync::mpsc::Receiver<()>, lost: &AtomicBool) {
        let every = self.options.lease / 3;
        let mut db: Option<Store> = None;
        loop {
            match ended.recv_timeout(every) {
                Err(RecvTimeoutError::Timeout) => {}
                _ => return,
            }
            if db.is_none() {
                db = Store::open_at(self.location, || {}).ok();
            }
            match db.as_ref().map(|d| d.heartbeat(claim, self.options.lease)) {
                Some(Ok(true)) => {}
                Some(Ok(false)) => {
                    lost.store(true, Ordering::SeqCst);
                    return;
                }
                _ => db = None,
            }
        }
    }
}
