//! The fleet's queue and token budget against a real PostgreSQL server
//! (`UPKEEP_TEST_DATABASE_URL`; each test in a schema of its own).

mod support;

use std::time::Duration;
use upkeep_store::queue::{NewJob, Phase, QueueError};
use upkeep_store::{Location, Spent, Store};

/// A store in a new schema of the test server; `None` (the test is skipped)
/// without one, unless `UPKEEP_REQUIRE_POSTGRES=1` says it must run.
fn shared(name: &str) -> Option<Store> {
    let url = support::database_url()?;
    let schema = format!("q_{name}_{}", std::process::id());
    let url = format!(
        "{url}{}schema={schema}",
        if url.contains('?') { '&' } else { '?' }
    );
    let location = Location::parse(url.as_ref()).expect("a URL");
    let store = Store::open_at(&location, || {}).expect("connects");
    store
        .jobs()
        .expect("reads")
        .is_empty()
        .then_some(())
        .expect("a fresh schema");
    Some(store)
}

fn job(target: &str, phase: Phase, max_attempts: u32) -> NewJob {
    NewJob {
        target: target.into(),
        phase,
        options: "{}".into(),
        refresh: None,
        max_attempts,
        delay: Duration::ZERO,
    }
}

const LEASE: Duration = Duration::from_secs(60);

#[test]
fn claims_are_exclusive_and_completion_is_fenced() {
    let Some(store) = shared("fence") else { return };
    assert!(
        store
            .enqueue(&job("https://example.com/a", Phase::Git, 3))
            .expect("queues")
    );
    let a = store
        .claim_job("a", "small", Duration::from_millis(500))
        .expect("claims")
        .expect("a job");
    assert_eq!((a.attempt, a.target.as_str()), (1, "https://example.com/a"));
    // Nothing else to claim while a holds it.
    assert_eq!(store.claim_job("b", "small", LEASE).expect("claims"), None);
    // Queued again while running: left to its worker.
    assert!(
        !store
            .enqueue(&job("https://example.com/a", Phase::Git, 3))
            .expect("queues")
    );
    std::thread::sleep(Duration::from_millis(700));
    // a's lease expired: b takes the job over as attempt 2.
    let b = store
        .claim_job("b", "small", LEASE)
        .expect("claims")
        .expect("reclaimed");
    assert_eq!((b.id, b.attempt, b.worker.as_str()), (a.id, 2, "b"));
    // a, back from the dead, changes nothing; b's heartbeat and completion hold.
    assert!(!store.heartbeat(&a, LEASE).expect("beats"));
    assert!(!store.complete_job(&a, "small").expect("records"));
    assert!(!store.fail_job(&a, "late", Duration::ZERO).expect("records"));
    assert!(store.heartbeat(&b, LEASE).expect("beats"));
    assert!(store.complete_job(&b, "small").expect("records"));
    let jobs = store.jobs().expect("lists");
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        (jobs[0].state.as_str(), jobs[0].last_error.as_deref()),
        ("done", None)
    );
    assert!(!store.has_pending_jobs().expect("reads"));
}

#[test]
fn failures_back_off_then_fail_with_the_last_error() {
    let Some(store) = shared("fail") else { return };
    store
        .enqueue(&job("/no/such/repo", Phase::Git, 2))
        .expect("queues");
    let first = store
        .claim_job("w", "small", LEASE)
        .expect("claims")
        .expect("a job");
    assert!(
        store
            .fail_job(&first, "boom 1", Duration::from_secs(3600))
            .expect("records")
    );
    // Backed off: not claimable for an hour, but still pending.
    assert_eq!(store.claim_job("w", "small", LEASE).expect("claims"), None);
    assert!(store.has_pending_jobs().expect("reads"));
    let status = &store.jobs().expect("lists")[0];
    assert_eq!((status.state.as_str(), status.attempt), ("scheduled", 1));
    assert!(status.seconds.expect("a time") > 3500);

    store
        .enqueue(&job("/no/such/repo", Phase::Git, 2))
        .expect("queues again now");
    let first = store
        .claim_job("w", "small", LEASE)
        .expect("claims")
        .expect("a job");
    assert!(
        store
            .fail_job(&first, "boom 1", Duration::ZERO)
            .expect("records")
    );
    let second = store
        .claim_job("w", "small", LEASE)
        .expect("claims")
        .expect("a job");
    assert_eq!(second.attempt, 2);
    assert!(
        store
            .fail_job(&second, "boom 2", Duration::ZERO)
            .expect("records")
    );
    let status = &store.jobs().expect("lists")[0];
    assert_eq!(
        (
            status.state.as_str(),
            status.attempt,
            status.last_error.as_deref()
        ),
        ("failed", 2, Some("boom 2"))
    );
    assert_eq!(store.claim_job("w", "small", LEASE).expect("claims"), None);
    assert!(!store.has_pending_jobs().expect("reads"));
}

#[test]
fn a_worker_that_died_on_its_last_attempt_leaves_a_failed_job() {
    let Some(store) = shared("dead") else { return };
    store
        .enqueue(&job("https://example.com/x", Phase::Forge, 1))
        .expect("queues");
    let claim = store
        .claim_job("w", "small", Duration::from_millis(200))
        .expect("claims")
        .expect("a job");
    assert!(
        store
            .release_job(&claim, Duration::ZERO)
            .expect("gives back")
    );
    // Given back: the attempt is not spent.
    let again = store
        .claim_job("w", "small", Duration::from_millis(200))
        .expect("claims")
        .expect("a job");
    assert_eq!(again.attempt, 1);
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(store.claim_job("v", "small", LEASE).expect("claims"), None);
    assert_eq!(store.fail_abandoned_jobs().expect("sweeps"), 1);
    let status = &store.jobs().expect("lists")[0];
    assert_eq!(status.state, "failed");
    assert!(
        status
            .last_error
            .as_deref()
            .expect("why")
            .contains("worker stopped without finishing it, 1 times")
    );
}

#[test]
fn large_repositories_have_their_own_lane_and_done_jobs_come_back_to_refresh() {
    let Some(store) = shared("lane") else { return };
    let mut refreshed = job("https://example.com/big", Phase::Git, 3);
    refreshed.refresh = Some(Duration::from_secs(86_400));
    store.enqueue(&refreshed).expect("queues");
    store
        .enqueue(&job("https://example.com/small", Phase::Git, 3))
        .expect("queues");
    let big = store
        .claim_job("w", "small", LEASE)
        .expect("claims")
        .expect("a job");
    assert_eq!(big.target, "https://example.com/big");
    // Mined: it is large now, and queued again for tomorrow in the large lane.
    assert!(store.complete_job(&big, "large").expect("records"));
    let status = store.jobs().expect("lists");
    let big_status = status
        .iter()
        .find(|j| j.target.ends_with("big"))
        .expect("listed");
    assert_eq!(
        (big_status.state.as_str(), big_status.lane.as_str()),
        ("scheduled", "large")
    );
    assert!(big_status.seconds.expect("a time") > 86_000);
    // A refresh to come is not pending work; the small one is.
    assert_eq!(store.claim_job("w", "large", LEASE).expect("claims"), None);
    let small = store
        .claim_job("w", "small", LEASE)
        .expect("claims")
        .expect("a job");
    assert!(store.complete_job(&small, "small").expect("records"));
    assert!(!store.has_pending_jobs().expect("reads"));
}

#[test]
fn two_workers_sharing_a_token_never_spend_its_reserve() {
    let Some(store) = shared("budget") else {
        return;
    };
    store
        .add_token("ci", "github", "env:UPKEEP_TEST_TOKEN", 500)
        .expect("adds");
    let now = 1_700_000_000;
    let reset = now + 3600;
    // Nothing known yet: a one-request probe learns what is left.
    let probe = store
        .lease_token("a", "github", 100, LEASE, now)
        .expect("leases")
        .expect("a token");
    assert_eq!(probe.budget, 1);
    // Exclusive: the other worker waits while a burst runs.
    assert!(
        store
            .lease_token("b", "github", 100, LEASE, now)
            .expect("leases")
            .is_err()
    );
    let mut left = 650u64;
    left -= 1;
    store
        .return_token(
            &probe,
            &Spent {
                requests: 1,
                rate: Some((left, Some(reset as u64))),
                backoff_until: None,
            },
        )
        .expect("returns");
    let mut spent = 0;
    for turn in 0..10 {
        let worker = ["a", "b"][turn % 2];
        let Ok(lease) = store
            .lease_token(worker, "github", 100, LEASE, now)
            .expect("leases")
        else {
            break;
        };
        assert!(lease.budget <= 100);
        spent += lease.budget;
        left -= lease.budget;
        store
            .return_token(
                &lease,
                &Spent {
                    requests: lease.budget,
                    rate: Some((left, Some(reset as u64))),
                    backoff_until: None,
                },
            )
            .expect("returns");
    }
    // 649 left after the probe, 500 kept: 149 spent, then no budget until the reset.
    assert_eq!((spent, left), (149, 500));
    let wait = store
        .lease_token("a", "github", 100, LEASE, now)
        .expect("leases")
        .expect_err("no budget");
    assert_eq!(wait, 3600);
    // After the reset, a probe again.
    let probe = store
        .lease_token("a", "github", 100, LEASE, reset + 1)
        .expect("leases")
        .expect("a token");
    assert_eq!(probe.budget, 1);
    // A Retry-After holds every worker back.
    store
        .return_token(
            &probe,
            &Spent {
                requests: 1,
                rate: None,
                backoff_until: Some(reset + 60),
            },
        )
        .expect("returns");
    let wait = store
        .lease_token("b", "github", 100, LEASE, reset + 1)
        .expect("leases")
        .expect_err("backing off");
    assert_eq!(wait, 59);
    let tokens = store.tokens().expect("lists");
    assert_eq!(
        (tokens[0].secret_ref.as_str(), tokens[0].remaining),
        ("env:UPKEEP_TEST_TOKEN", Some(499))
    );
}

#[test]
fn the_queue_is_refused_on_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("u.db"), || {}).expect("opens");
    let err = store
        .enqueue(&job("x", Phase::Git, 1))
        .expect_err("refused");
    assert!(matches!(err, QueueError::NotShared(_)));
    assert!(
        err.to_string()
            .contains("needs the shared PostgreSQL store")
    );
}
