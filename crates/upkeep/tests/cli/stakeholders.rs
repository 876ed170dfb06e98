//! Stakeholders end to end: organizations side by side with their kinds and
//! partners, conflict-of-interest signals and the users' journey on the
//! local GitHub (GITHUB_API_URL), adoption read from it (and a fork more
//! active than a stalled upstream), "not enough known" when few commits are
//! affiliated, and an unknown organization kind refused with its line.

use crate::common;
use crate::support;

use common::{Env, commit_as, git, stderr};
use serde_json::{Value, json};
use std::path::Path;
use support::{EPOCH, Reply, Server, actor};

fn forge_env(env: &Env, server: &Server, args: &[&str]) -> std::process::Output {
    env.command(args)
        .env("GITHUB_API_URL", &server.base)
        .env("UPKEEP_FORGE_BACKOFF_MS", "10")
        .env("GITHUB_TOKEN", "ghp_very-secret")
        .output()
        .expect("runs")
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The forge of the test: six pull requests and two issues from 2023-01-01
/// (see `support::Server::synthetic`), maint merging each four hours after it
/// opens; pull request 3 is maint's own, merged without review; pull request
/// 6 is by a reporter whose first act was issue 7. Adoption: GitHub's example
/// repository (80 stars, 9 forks, 42 watchers) and PyGithub's recorded forks.
fn server() -> Server {
    let server = Server::start();
    server.synthetic(6, 2);
    server.edit(3, |pr| {
        pr.author = Some(actor("maint"));
        pr.reviews = Some(Vec::new());
    });
    server.edit(6, |pr| {
        pr.author = Some(actor("reporter"));
        pr.created = EPOCH + 10 * 3600;
        pr.updated = pr.created + 7200;
    });
    server.edit(7, |issue| issue.author = Some(actor("reporter")));
    let forks = upkeep_testdata::path("adoption/pygithub-replaydata/Repository.testGetForks.txt");
    let recorded = std::fs::read_to_string(forks).expect("recording");
    // PyGithub's replay format: the response body is the record's 10th line.
    let body = recorded.lines().nth(9).expect("a body").to_owned();
    server.route(
        "/repos/o/r/forks?sort=newest&per_page=100",
        vec![Reply::json(200, body)],
    );
    // GitHub's compare answer, as its documentation shapes it.
    server.route(
        "/repos/o/r/compare/master...abersager:main",
        vec![Reply::json(
            200,
            json!({"status": "ahead", "ahead_by": 3, "behind_by": 0}).to_string(),
        )],
    );
    server
}

fn config(env: &Env, repo: &Path) -> std::path::PathBuf {
    let path = env.path("upkeep.toml");
    std::fs::write(
        &path,
        format!(
            r#"[[affiliations]]
login = "maint"
organization = "ACME"

[[affiliations]]
login = "user1"
organization = "ACME"

[[affiliations]]
login = "user2"
organization = "Initech"

[[organizations]]
name = "ACME"
kind = "company"

[community]
good_first_labels = ["bug"]

[[projects]]
name = "widget"
repositories = ["{}"]
partners = ["Initech", "Globex"]
"#,
            repo.display()
        ),
    )
    .expect("config");
    path
}

#[test]
fn organizations_conflicts_journey_and_adoption_on_a_forge() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    let server = server();
    let config = config(&env, &repo);
    let config = config.to_str().expect("utf-8");
    let mined = json_of(&forge_env(
        &env,
        &server,
        &["mine", arg, "--forge", "o/r", "--format", "json"],
    ));
    // Stars, forks and watchers; one fork listed and compared: three requests.
    assert_eq!(
        mined[0]["adoption"],
        json!({"known": 3, "unavailable": 0, "forks": 1, "forge_requests": 3})
    );
    let report = |since: &str, until: &str| {
        json_of(&forge_env(
            &env,
            &server,
            &[
                "report", arg, "--forge", "o/r", "--config", config, "--since", since, "--until",
                until, "--format", "json",
            ],
        ))
    };
    let r = report("2023-01-01", "2024-01-01");
    let m = &r["metrics"];

    // Conflicts: maint (ACME) merged all six; user1's and maint's own are
    // same-organization, neither reviewed from outside ACME; maint merged his
    // own without anyone's review.
    let c = &m["conflicts_of_interest"];
    assert_eq!(c["value"], json!(0.333));
    assert_eq!(c["details"]["merged"], 6);
    let acme = &c["details"]["organizations"][0];
    assert_eq!(acme["organization"], "ACME");
    assert_eq!(
        (
            &acme["merged"],
            &acme["same_organization"],
            &acme["own_merged"]
        ),
        (&json!(6), &json!(2), &json!(2))
    );
    assert_eq!(acme["own_without_outside_review_share"], json!(1.0));
    assert_eq!(c["details"]["self_merged"], json!([["login:maint", 3]]));
    let flags = common::flag_texts(&r);
    assert!(
        flags.contains(
            &"ACME merged 100% of its own pull requests without review from outside ACME"
        ),
        "{flags:?}"
    );

    // Side by side: ACME did the reviews, merges, triage and responses;
    // Initech, a partner, did nothing in 2023; Globex is never seen.
    let s = &m["organizations_side_by_side"]["details"];
    let acme = &s["rows"][0];
    assert_eq!(
        (&acme["organization"], &acme["kind"]),
        (&json!("ACME"), &json!("company"))
    );
    assert_eq!(acme["now"]["counts"]["merges"], 6);
    assert_eq!(acme["now"]["counts"]["reviews"], 5);
    assert!(flags.contains(&"partner Initech did none of the work (a year before: 0%)"));
    assert!(flags.contains(&"partner Globex did none of the work (a year before: 0%)"));

    // The journey: the reporter (issue 7, then pull request 6, merged) and
    // user8 (issue 8, nothing more) first appeared as users.
    let j = &m["user_journey"]["details"];
    assert_eq!(j["reached"], json!([2, 1, 1, 0]));
    assert_eq!(j["drop_off"], json!([0.5, 0.0, 1.0]));
    assert_eq!(
        j["good_first"],
        json!({"labels": ["bug"], "offered": 2, "taken": 0, "taken_by_newcomers": 0})
    );

    // Adoption: GitHub's counts, each with its source and date.
    let a = &m["adoption"];
    assert_eq!(a["value"], 80.0);
    let signals: Vec<(String, f64, String)> = a["details"]["signals"]
        .as_array()
        .expect("signals")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_owned(),
                s["value"].as_f64().unwrap_or(-1.0),
                s["source"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        signals,
        [
            ("forks".into(), 9.0, "github".into()),
            ("stars".into(), 80.0, "github".into()),
            ("watchers".into(), 42.0, "github".into()),
        ]
    );
    // The fork was pushed 2012-03-26, 3 commits ahead: over a window ending
    // 2012-06-01 with no upstream commit yet, it is more active than the upstream.
    let old = report("2011-06-01", "2012-06-01");
    let forks = &old["metrics"]["adoption"]["details"];
    assert_eq!(forks["active_forks"][0]["name"], "abersager/PyGithub");
    assert_eq!(
        forks["flags"][0],
        "fork abersager/PyGithub is more active than the stalled upstream (3 commits ahead, pushed 2012-03-26; upstream's last commit never)"
    );
    // Read at most once a day: a second mine asks nothing of adoption.
    let again = json_of(&forge_env(
        &env,
        &server,
        &["mine", arg, "--forge", "o/r", "--format", "json"],
    ));
    assert_eq!(again[0]["adoption"], Value::Null);
}

#[test]
fn too_few_affiliated_commits_say_not_enough_known() {
    let env = Env::new();
    let repo = env.path("few");
    std::fs::create_dir_all(&repo).expect("dir");
    git(&repo, &["init", "-q", "-b", "main"]);
    commit_as(&repo, "2025-01-10T10:00:00Z", "Ann <ann@gmail.com>", "a");
    commit_as(&repo, "2025-02-10T10:00:00Z", "Bob <bob@gmail.com>", "b");
    commit_as(&repo, "2025-03-10T10:00:00Z", "Cid <cid@hotmail.com>", "c");
    commit_as(&repo, "2025-04-10T10:00:00Z", "Dee <dee@acme.example>", "d");
    let arg = repo.to_str().expect("utf-8");
    let window = ["--since", "2025-01-01", "--until", "2026-01-01"];
    let mut args = vec!["report", arg];
    args.extend(window);
    let r = env.json(&args);
    let e = &r["metrics"]["elephant_factor"];
    // The value is kept; the confidence says it means little.
    assert_eq!(e["value"], 1.0);
    assert_eq!(
        e["details"]["confidence"],
        json!({"known_share": 0.25, "enough": false, "note": "not enough known (25% of commits affiliated)"})
    );
    // Three free-mail writers are independent, not unknown (the committer,
    // Zed of example.com, landed the four commits).
    let rows = r["metrics"]["organizations_side_by_side"]["details"]["rows"]
        .as_array()
        .expect("rows")
        .clone();
    let row = |name: &str| rows.iter().find(|r| r["organization"] == name).cloned();
    let independent = row("independent").expect("an independent row");
    assert_eq!(independent["kind"], "individual");
    assert_eq!(independent["now"]["counts"]["commits"], 3);
    let zed = row("example.com").expect("the committer's row");
    assert_eq!(zed["now"]["counts"]["merges"], 4);
    for format in ["table", "markdown", "csv"] {
        let mut args = vec!["report", arg, "--format", format];
        args.extend(window);
        let out = env.run(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        // The terminal's table wraps the words in its column.
        let shown = match format {
            "table" => "not enough known (25% of",
            _ => "not enough known (25% of commits affiliated)",
        };
        assert!(text.contains(shown), "{format}: {text}");
    }
}

#[test]
fn an_unknown_organization_kind_names_its_line() {
    let env = Env::new();
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        "[[organizations]]\nname = \"ACME\"\nkind = \"vendor\"\n",
    )
    .expect("config");
    let out = env.run(&[
        "identities",
        "list",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("upkeep.toml:3: the organization \"ACME\" has the kind \"vendor\", which upkeep does not know; kinds are company, non-profit (or foundation), academic, government, individual"),
        "{}",
        stderr(&out)
    );
}
