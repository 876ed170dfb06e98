//! A worker under a PostgreSQL server that restarts (`UPKEEP_TEST_PG_RESTART`),
//! in a test binary of its own so that no other test sees the restart.

mod common;

use common::{Env, count_commits, queue, sigterm, stderr, wait_for, worker};

#[test]
fn workers_reconnect_after_the_database_restarts() {
    let Some(env) = Env::shared() else { return };
    let Ok(restart) = std::env::var("UPKEEP_TEST_PG_RESTART") else {
        assert!(
            std::env::var("UPKEEP_REQUIRE_POSTGRES").is_err(),
            "UPKEEP_TEST_PG_RESTART is not set"
        );
        return;
    };
    let first = env.fixture("make_community.sh", "community");
    let second = env.fixture("make_people.sh", "people");
    assert!(
        env.run(&["enqueue", "--no-forge", first.to_str().expect("utf-8")])
            .status
            .success()
    );
    let w = worker(&env, &["--jobs", "2"]);
    wait_for("the first job", || {
        queue(&env).iter().all(|j| j["state"] == "done")
    });
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(&restart)
        .status()
        .expect("restarts");
    assert!(status.success());
    assert!(
        env.run(&["enqueue", "--no-forge", second.to_str().expect("utf-8")])
            .status
            .success()
    );
    wait_for("the job queued after the restart", || {
        let jobs = queue(&env);
        jobs.len() == 2 && jobs.iter().all(|j| j["state"] == "done")
    });
    sigterm(&w);
    let out = w.wait_with_output().expect("stops");
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(
        log.contains("connecting again") || log.contains("cannot connect"),
        "{log}"
    );
    assert!(log.contains("stopped: 2 done"), "{log}");
    assert_eq!(count_commits(env.store(), &second), 20);
}
