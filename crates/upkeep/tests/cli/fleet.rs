//! The fleet end to end: `upkeep enqueue`, `worker` and `queue` against the
//! PostgreSQL test server (`UPKEEP_TEST_DATABASE_URL`), with workers killed,
//! the server restarted and repositories that always fail; and `db copy`.

use crate::common;
use crate::support;

use common::{Env, content, count_commits, queue, sigterm, stderr, wait_for, worker};
use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;
use support::Server;

#[test]
fn a_killed_worker_loses_its_job_to_another_and_nothing_doubles() {
    let Some(env) = Env::shared() else { return };
    let repo = env.fixture("make_long.sh", "long");
    let arg = repo.to_str().expect("utf-8");
    let reference = env.path("reference.db");
    let out = env
        .command(&["mine", "--batch-size", "50", "--no-forge", arg])
        .env("UPKEEP_DB", &reference)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));

    let out = env.run(&["enqueue", "--no-forge", arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Worker A stops for good after three batches of 50, holding the job; then it is killed.
    let mut a = env
        .command(&[
            "worker",
            "--lease",
            "2s",
            "--poll",
            "100ms",
            "--batch-size",
            "50",
        ])
        .env("UPKEEP_DEBUG_STALL_AFTER_BATCHES", "3")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    wait_for("three batches", || count_commits(env.store(), &repo) >= 150);
    a.kill().expect("SIGKILL");
    a.wait().expect("reaped");
    let running = queue(&env);
    assert_eq!(
        (running[0]["state"].as_str(), running[0]["attempt"].as_i64()),
        (Some("running"), Some(1))
    );

    // Worker B takes the job over once A's lease expires, and finishes it.
    let b = worker(&env, &["--until-idle", "--batch-size", "50"])
        .wait_with_output()
        .expect("runs");
    assert!(b.status.success(), "{}", stderr(&b));
    let log = stderr(&b);
    assert!(
        log.contains("git ") && log.contains("(attempt 2): done"),
        "{log}"
    );
    assert!(log.contains("350 new commits, 500 stored"), "{log}");
    let done = queue(&env);
    assert_eq!(done[0]["state"], "done");
    assert_eq!(content(env.store(), &repo), content(&reference, &repo));
}

#[test]
fn a_repository_that_always_fails_ends_failed_with_its_error() {
    let Some(env) = Env::shared() else { return };
    let missing = env.path("gone");
    let out = env.run(&[
        "enqueue",
        "--max-attempts",
        "3",
        missing.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let run = worker(&env, &["--until-idle", "--jobs", "2"])
        .wait_with_output()
        .expect("runs");
    assert!(run.status.success(), "{}", stderr(&run));
    let jobs = queue(&env);
    assert_eq!(jobs.len(), 2);
    for job in &jobs {
        assert_eq!(
            (job["state"].as_str(), job["attempt"].as_i64()),
            (Some("failed"), Some(3)),
            "{job}"
        );
    }
    let git = jobs
        .iter()
        .find(|j| j["phase"] == "git")
        .expect("the git job");
    assert!(
        git["last_error"]
            .as_str()
            .expect("why")
            .contains("does not exist")
    );
    let forge = jobs
        .iter()
        .find(|j| j["phase"] == "forge")
        .expect("the forge job");
    assert!(
        forge["last_error"]
            .as_str()
            .expect("why")
            .starts_with("its history could not be mined")
    );
    let table = env.run(&["queue"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("2 jobs: 0 queued, 0 scheduled, 0 running, 0 done, 2 failed"),
        "{text}"
    );
    assert!(text.contains("does not exist"), "{text}");
}

#[test]
fn a_store_copied_to_postgres_and_back_is_the_same_and_copying_twice_changes_nothing() {
    let Some(env) = Env::shared() else { return };
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    let (laptop, back) = (env.path("laptop.db"), env.path("back.db"));
    let out = env
        .command(&["mine", "--no-forge", arg])
        .env("UPKEEP_DB", &laptop)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let copy = |from: &std::ffi::OsStr, to: &std::ffi::OsStr| {
        let out = env
            .command(&["db", "copy", "--from"])
            .arg(from)
            .arg("--to")
            .arg(to)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let said = copy(laptop.as_os_str(), &env.store());
    assert!(
        said.contains("commits                         7 rows"),
        "{said}"
    );
    copy(laptop.as_os_str(), &env.store());
    copy(&env.store(), back.as_os_str());
    let original = content(&laptop, &repo);
    assert_eq!(content(env.store(), &repo), original);
    assert_eq!(content(&back, &repo), original);
    let report = |db: &std::ffi::OsStr| {
        let out = env
            .command(&[
                "report",
                "--no-forge",
                arg,
                "--until",
                "2021-01-01",
                "--format",
                "json",
            ])
            .env("UPKEEP_DB", db)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        let mut v: Value = serde_json::from_slice(&out.stdout).expect("json");
        v.as_object_mut().expect("object").remove("generated_at");
        v
    };
    assert_eq!(report(&env.store()), report(laptop.as_os_str()));
}

#[test]
fn two_workers_sharing_a_token_never_spend_its_reserve() {
    let Some(env) = Env::shared() else { return };
    let server = Server::start();
    server.synthetic(6, 2);
    let reset = jiff::Timestamp::now().as_second() + 3600;
    // 510 left, 500 kept in reserve: 10 requests for both workers together.
    server.state.lock().expect("state").rate = Some((510, reset));
    for name in ["a", "b"] {
        let repo = env.fixture("make_community.sh", name);
        let out = env.run(&["enqueue", "--forge", "o/r", repo.to_str().expect("utf-8")]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = env.run(&[
        "queue",
        "token",
        "ci",
        "--env",
        "UPKEEP_TEST_SECRET",
        "--reserve",
        "500",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let start = || {
        env.command(&["worker", "--lease", "5s", "--poll", "100ms"])
            .env("GITHUB_API_URL", &server.base)
            .env("UPKEEP_FORGE_BACKOFF_MS", "10")
            .env("UPKEEP_TEST_SECRET", "ghp_shared-secret")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns")
    };
    let workers = [start(), start()];
    let forge_done = || {
        queue(&env)
            .iter()
            .filter(|j| j["phase"] == "forge" && j["state"] == "done")
            .count()
    };
    wait_for("the budget to run out", || {
        server.state.lock().expect("state").rate.expect("set").0 <= 500 || forge_done() == 2
    });
    std::thread::sleep(Duration::from_millis(500));
    let (left, seen, auth) = {
        let s = server.state.lock().expect("state");
        (s.rate.expect("set").0, s.log.len(), s.authorization.clone())
    };
    assert_eq!(left, 500, "the reserve is never spent");
    assert_eq!(seen, 10);
    assert!(forge_done() < 2, "two syncs need more than 10 requests");
    assert!(
        auth.iter().all(|a| a == "Bearer ghp_shared-secret"),
        "{auth:?}"
    );
    let v: Value =
        serde_json::from_slice(&env.run(&["queue", "--format", "json"]).stdout).expect("json");
    assert_eq!(
        (
            v["tokens"][0]["remaining"].as_i64(),
            v["tokens"][0]["secret_ref"].as_str()
        ),
        (Some(500), Some("env:UPKEEP_TEST_SECRET"))
    );
    assert!(!env.store_bytes().windows(13).any(|w| w == b"shared-secret"));
    for w in workers {
        sigterm(&w);
        let out = w.wait_with_output().expect("stops");
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!stderr(&out).contains("shared-secret"));
    }
}

#[test]
fn a_second_stop_request_gives_the_job_under_way_back() {
    let Some(env) = Env::shared() else { return };
    let repo = env.fixture("make_long.sh", "long");
    let arg = repo.to_str().expect("utf-8");
    assert!(env.run(&["enqueue", "--no-forge", arg]).status.success());
    let w = env
        .command(&[
            "worker",
            "--lease",
            "60s",
            "--poll",
            "100ms",
            "--batch-size",
            "50",
        ])
        .env("UPKEEP_DEBUG_STALL_AFTER_BATCHES", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    wait_for("a batch", || count_commits(env.store(), &repo) >= 50);
    for _ in 0..2 {
        sigterm(&w);
        std::thread::sleep(Duration::from_millis(300));
    }
    let out = w.wait_with_output().expect("stops");
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(stderr(&out).contains("given back"), "{}", stderr(&out));
    // Back in the queue at once, its attempt not spent: the next worker finishes it.
    let jobs = queue(&env);
    assert_eq!(
        (jobs[0]["state"].as_str(), jobs[0]["attempt"].as_i64()),
        (Some("queued"), Some(0))
    );
    let next = worker(&env, &["--until-idle"])
        .wait_with_output()
        .expect("runs");
    assert!(
        stderr(&next).contains("(attempt 1): done"),
        "{}",
        stderr(&next)
    );
    assert_eq!(count_commits(env.store(), &repo), 500);
}

const LIST: &str = "From ann@example.org Wed Jan  3 08:00:00 2024
From: Ann <ann@example.org>
Date: Wed, 3 Jan 2024 10:00:00 +0200
Subject: [PATCH] Fix it
Message-ID: <a1@example.org>

A patch.

From bob@example.org Wed Jan  3 09:00:00 2024
From: Bob <bob@example.org>
Date: Wed, 3 Jan 2024 11:00:00 +0200
Subject: Re: [PATCH] Fix it
Message-ID: <b1@example.org>
In-Reply-To: <a1@example.org>

Looks good.
";

#[test]
fn a_project_and_an_sbom_become_jobs_and_the_report_reads_what_workers_stored() {
    let Some(env) = Env::shared() else { return };
    let repo = env.fixture("make_community.sh", "community");
    let mbox = env.path("list.mbox");
    std::fs::write(&mbox, LIST).expect("writes");
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        format!(
            "[[projects]]\nname = \"p\"\nrepositories = [{:?}]\nlists = [{:?}]\n",
            repo.display().to_string(),
            mbox.display().to_string()
        ),
    )
    .expect("writes");
    let upstreams = env.fixture("make_upstreams.sh", "upstreams");
    let bom = env.path("bom.json");
    let vcs = |name: &str| serde_json::json!([{"type": "vcs", "url": format!("git+file://{}/{name}", upstreams.display())}]);
    let doc = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.5",
        "metadata": {"component": {"bom-ref": "app", "name": "app"}},
        "components": [{"bom-ref": "solo", "name": "solo", "version": "0.1.0", "externalReferences": vcs("solo")}],
        "dependencies": [{"ref": "app", "dependsOn": ["solo"]}]
    });
    std::fs::write(&bom, doc.to_string()).expect("writes");
    let out = env.run(&[
        "enqueue",
        "--project",
        "p",
        "--from-deps",
        bom.to_str().expect("utf-8"),
        "--allow-local-repositories",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let jobs = queue(&env);
    let mut kinds: Vec<String> = jobs
        .iter()
        .map(|j| {
            format!(
                "{} {}",
                j["phase"].as_str().expect("phase"),
                j["target"]
                    .as_str()
                    .expect("target")
                    .rsplit('/')
                    .next()
                    .expect("name")
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "forge community",
            "forge solo",
            "git community",
            "git solo",
            "list list.mbox"
        ]
    );
    let run = worker(&env, &["--until-idle", "--jobs", "2"])
        .wait_with_output()
        .expect("runs");
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        queue(&env).iter().all(|j| j["state"] == "done"),
        "{}",
        stderr(&run)
    );
    let r = env.json(&[
        "report",
        "--project",
        "p",
        "--no-forge",
        "--since",
        "2024-01-01",
        "--until",
        "2025-01-01",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert_eq!(r["metrics"]["mailing_lists"]["details"]["posts"], 2);
}
