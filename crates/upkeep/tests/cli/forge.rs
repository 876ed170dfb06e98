//! `mine` and `report` with a forge: the real client against a local GitHub
//! (GITHUB_API_URL) serving a synthetic repository, then the forge metrics
//! in the report, computed by hand.

use crate::common;
use crate::support;

use common::{Env, stderr};
use serde_json::{Value, json};
use support::{EPOCH, Reply, Server, actor, time};

fn forge_env(env: &Env, server: &Server, args: &[&str], token: bool) -> std::process::Output {
    let mut cmd = env.command(args);
    cmd.env("GITHUB_API_URL", &server.base)
        .env("UPKEEP_FORGE_BACKOFF_MS", "10");
    if token {
        cmd.env("GITHUB_TOKEN", "ghp_very-secret");
    }
    cmd.output().expect("runs")
}

/// `upkeep report ARG --forge o/r` over 2023 and 2024, with a token, in `format`.
fn report_2023_2024(env: &Env, server: &Server, arg: &str, format: &str) -> std::process::Output {
    report_with(env, server, arg, format, &[])
}

/// The same, with more arguments.
fn report_with(
    env: &Env,
    server: &Server,
    arg: &str,
    format: &str,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "report",
        arg,
        "--forge",
        "o/r",
        "--since",
        "2023-01-01",
        "--until",
        "2025-01-01",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    forge_env(env, server, &args, true)
}

#[test]
fn mine_and_report_with_forge_data() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    let server = Server::start();
    // Pull requests 1–6 and issues 7–8, opened an hour apart from 2023-01-01.
    server.synthetic(6, 2);
    let out = forge_env(
        &env,
        &server,
        &["mine", arg, "--forge", "o/r", "--format", "json"],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mined: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let forge = &mined[0]["forge"];
    assert_eq!(forge["repository"], "github:o/r");
    assert_eq!(
        (forge["items"].as_u64(), forge["releases"].as_u64()),
        (Some(8), Some(2))
    );
    // Repo, its GraphQL extras, private reporting, security advisories,
    // releases, the gate, one page of pull requests, one of issues.
    assert_eq!(forge["requests"], 8);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("very-secret"));
    assert!(!stderr(&out).contains("very-secret"));

    let out = report_2023_2024(&env, &server, arg, "json");
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let m = &r["metrics"];
    // Every item is labeled by maint an hour after it opens: first response after 1 hour.
    let fr = &m["first_response"]["details"];
    assert_eq!(fr["pull_requests"]["all"]["items"], 6);
    assert_eq!(
        fr["pull_requests"]["by_author"]["first_timer"]["answered"]["median_hours"],
        1.0
    );
    assert_eq!(fr["issues"]["by_author"]["first_timer"]["items"], 2);
    assert_eq!(fr["non_maintainers"]["never_answered"], 0);
    assert_eq!(m["first_response"]["value"], 1.0);
    // Six first-timers' pull requests, all merged four hours after opening; none came back.
    let prs = &m["non_maintainer_prs"]["details"];
    assert_eq!(
        (
            prs["opened"].as_u64(),
            prs["merged"].as_u64(),
            prs["open"].as_u64()
        ),
        (Some(6), Some(6), Some(0))
    );
    assert_eq!(prs["time_to_merge"]["median_hours"], 4.0);
    assert_eq!(
        (prs["authors"].as_u64(), prs["authors_returned"].as_u64()),
        (Some(6), Some(0))
    );
    // Issues: labeled after 1 hour, a maintainer comment after 2; open, triaged.
    let triage = &m["issue_triage"]["details"];
    assert_eq!(triage["first_label"]["median_hours"], 1.0);
    assert_eq!(triage["first_maintainer_comment"]["median_hours"], 2.0);
    assert_eq!(triage["never_triaged"], 0);
    assert_eq!(m["issue_triage"]["value"], 1.0);
    // maint reviewed all six: a forge-only person, a maintainer (merges, MEMBER).
    assert_eq!(
        m["reviews"]["details"]["by_person"][0],
        serde_json::json!(["login:maint", 6])
    );
    // maint became a maintainer in 2023 (and, a year later, no longer is one at the window's end).
    assert_eq!(m["maintainers"]["details"]["new_by_year"]["2023"], 1);
    assert!(
        !m["maintainers"]["details"]["maintainers"]
            .as_array()
            .expect("list")
            .contains(&serde_json::json!("login:maint"))
    );
    let kinds: Vec<(String, u64, u64)> = m["funnel"]["details"]["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap_or_default().to_owned(),
                k["contributions"].as_u64().unwrap_or(0),
                k["contributors"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // No commit in the window (the history is from 2020); 16 conversation comments and 6 diff comments, all by maint.
    assert_eq!(
        kinds,
        [
            ("commit".to_owned(), 0, 0),
            ("pull_request".to_owned(), 6, 6),
            ("issue".to_owned(), 2, 2),
            ("review".to_owned(), 6, 1),
            ("comment".to_owned(), 22, 1),
        ]
    );
    // The two releases of the forge (by github-actions[bot], in 2024).
    assert_eq!(m["releases"]["details"]["releases"], 2);

    // Every format shows the forge metrics with their definitions.
    for (format, expect) in [
        ("table", "Time to first response (forge)"),
        (
            "markdown",
            "| first response to non-maintainers (hours) | 1 |",
        ),
        ("csv", "first_response,1,\"\",\"hours from creation"),
    ] {
        let out = report_2023_2024(&env, &server, arg, format);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(expect), "{format}: {text}");
        if format != "csv" {
            assert!(
                text.contains("hours from creation to the first comment"),
                "{format}"
            );
        }
    }
}

#[test]
fn anonymous_runs_say_so_once_and_failures_keep_the_git_data() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    let server = Server::start();
    // Nothing at /repos/o/r: the repository does not exist.
    let out = forge_env(&env, &server, &["mine", arg, "--forge", "o/r"], false);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.matches("no GitHub token").count(), 1, "{err}");
    assert!(err.contains("o/r was not found on the forge"), "{err}");
    assert!(
        err.contains("the git history was mined and stored"),
        "{err}"
    );
    // --no-forge: git only, and the commits were kept.
    let out = forge_env(
        &env,
        &server,
        &["mine", arg, "--forge", "o/r", "--no-forge"],
        false,
    );
    assert!(!out.status.success(), "--forge and --no-forge conflict");
    let out = forge_env(&env, &server, &["mine", arg, "--no-forge"], false);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing changed since the last run"));
    // A report is still made, with a warning, from what is stored; the exit
    // code says a source failed.
    server.fault("/repos/o/r", Reply::json(500, "oops"));
    let out = forge_env(
        &env,
        &server,
        &["report", arg, "--forge", "o/r", "--format", "json"],
        false,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the report");
    assert!(report["metrics"]["bus_factor"].is_object());
    assert!(
        stderr(&out).contains(": forge: forge data of o/r"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("1 source(s) could not be synced"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn max_requests_stops_and_the_next_run_resumes() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    let server = Server::start();
    server.synthetic(120, 0);
    let out = forge_env(
        &env,
        &server,
        &[
            "mine",
            arg,
            "--forge",
            "o/r",
            "--max-requests",
            "7",
            "--format",
            "json",
        ],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("stopped after 7 requests (--max-requests); the next run resumes")
    );
    let first: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (
            first[0]["forge"]["items"].as_u64(),
            first[0]["forge"]["incomplete"].as_bool()
        ),
        (Some(100), Some(true))
    );
    server.clear_log();
    let out = forge_env(
        &env,
        &server,
        &["mine", arg, "--forge", "o/r", "--format", "json"],
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let second: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // The resumed run fetched the remaining page, not the first again.
    assert_eq!(second[0]["forge"]["items"], 20);
    assert_eq!(
        server
            .log()
            .iter()
            .filter(|l| *l == "graphql:pullRequests")
            .count(),
        1
    );
}

#[test]
fn the_removal_of_untriaged_is_triage_and_putting_it_on_is_not() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    let server = Server::start();
    // Issues 1 and 2: `untriaged` put on by a person after 30 minutes, taken off
    // by maint after 5 hours.
    server.synthetic(0, 2);
    server.untriaged();
    let out = report_2023_2024(&env, &server, arg, "json");
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let triage = &r["metrics"]["issue_triage"]["details"];
    assert_eq!(triage["first_label"]["median_hours"], 5.0);
    assert_eq!(triage["never_triaged"], 0);
    assert_eq!(r["metrics"]["issue_triage"]["value"], 5.0);

    // With the convention off, the label put on after 30 minutes is the triage.
    let config = env.path("upkeep.toml");
    std::fs::write(&config, "[[conventions]]\nuntriaged_label = \"\"\n").expect("writes");
    let out = report_with(
        &env,
        &server,
        arg,
        "json",
        &["--config", config.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["metrics"]["issue_triage"]["value"], 0.5);
}

#[test]
fn a_pull_request_closed_by_a_commit_that_applied_it_was_merged() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = env.path("flink");
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(
            "set -e; export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null; git init -q -b main \"$0\"; cd \"$0\"; \
             echo a > a; git add a; \
             GIT_AUTHOR_NAME=Carol GIT_AUTHOR_EMAIL=carol@example.com GIT_AUTHOR_DATE=2023-01-01T02:00:00Z \
             GIT_COMMITTER_NAME=Till GIT_COMMITTER_EMAIL=till@apache.org GIT_COMMITTER_DATE=2023-01-01T09:00:00Z \
             git commit -q -m '[FLINK-1] Fix it' -m 'This closes #1.'",
        )
        .arg(&repo)
        .status()
        .expect("bash");
    assert!(status.success());
    let server = Server::start();
    // Pull request #1, opened 2023-01-01T01:00Z, closed by maint after 4 hours, not merged.
    server.synthetic(1, 0);
    server.close_unmerged(1);
    let out = report_2023_2024(&env, &server, repo.to_str().expect("utf-8"), "json");
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let prs = &r["metrics"]["non_maintainer_prs"]["details"];
    // Applied by Till's commit 8 hours after it opened: merged, not closed unmerged.
    assert_eq!(
        (prs["merged"].as_u64(), prs["closed_unmerged"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(prs["time_to_merge"]["median_hours"], 8.0);
}

/// A repository at `name` whose commits are `(author, email, date)`, one file each.
fn history(env: &Env, name: &str, commits: &[(&str, &str, &str)]) -> String {
    let repo = env.path(name);
    let mut script = String::from(
        "set -e; export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null; git init -q -b main \"$0\"; cd \"$0\";",
    );
    for (i, (who, email, date)) in commits.iter().enumerate() {
        script.push_str(&format!(
            " echo {i} > f{i}; git add f{i}; GIT_AUTHOR_NAME='{who}' GIT_AUTHOR_EMAIL={email} GIT_AUTHOR_DATE={date} \
             GIT_COMMITTER_NAME='{who}' GIT_COMMITTER_EMAIL={email} GIT_COMMITTER_DATE={date} git commit -q -m 'change {i}';"
        ));
    }
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(&repo)
        .status()
        .expect("bash");
    assert!(status.success());
    repo.to_str().expect("utf-8").to_owned()
}

/// A history of one commit by maint (June 2022) at `name`, and a local GitHub.
fn maintained(env: &Env, name: &str) -> (String, Server) {
    let maint = ("Maint", "maint@example.com", "2022-06-01T00:00:00Z");
    (history(env, name, &[maint]), Server::start())
}

/// `report --format json` of `arg` with the local forge over `[since, until)`.
fn report_json(env: &Env, server: &Server, arg: &str, since: &str, until: &str) -> Value {
    let args = [
        "report", arg, "--forge", "o/r", "--since", since, "--until", until, "--format", "json",
    ];
    let out = forge_env(env, server, &args, true);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// A review as GraphQL gives it: by `author` (an actor), submitted at `at`,
/// with diff comments written (drafted) at `drafted`.
fn review(id: &str, author: Value, at: i64, drafted: &[i64]) -> Value {
    let comments: Vec<Value> = drafted
        .iter()
        .enumerate()
        .map(|(k, d)| {
            json!({"id": format!("{id}-c{k}"), "createdAt": time(*d), "publishedAt": time(at), "author": author.clone()})
        })
        .collect();
    json!({"eventType": "PullRequestReview", "id": id, "createdAt": time(at), "submittedAt": time(at),
           "state": "COMMENTED", "author": author, "authorAssociation": "MEMBER", "comments": {"nodes": comments}})
}

fn bot(login: &str) -> Value {
    json!({"__typename": "Bot", "login": login})
}

#[test]
fn bots_under_their_graphql_logins_are_bots() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let (repo, server) = maintained(&env, "bots");
    // PR 1 by user1, opened 2023-01-01T01:00Z; nobody labels or comments.
    // Copilot's reviewer (a `Bot`, login without `[bot]`) reviews after 10
    // minutes, maint after 3 hours. PR 2 is opened by the coding agent.
    server.synthetic(2, 0);
    let opened = EPOCH + 3600;
    server.edit(1, |pr| {
        pr.quiet = true;
        pr.comments = 0;
        pr.reviews = Some(vec![
            review(
                "R1a",
                bot("copilot-pull-request-reviewer"),
                opened + 600,
                &[opened + 600],
            ),
            review("R1b", actor("maint"), opened + 3 * 3600, &[]),
        ]);
    });
    server.edit(2, |pr| pr.author = Some(bot("copilot-swe-agent")));
    let r = report_json(&env, &server, &repo, "2023-01-01", "2025-01-01");
    let m = &r["metrics"];
    let prs = &m["first_response"]["details"]["pull_requests"]["by_author"];
    // PR 1: the bot's review at 10 minutes is no response; maint's at 3 h is.
    assert_eq!(prs["first_timer"]["items"], 1);
    assert_eq!(prs["first_timer"]["answered"]["median_hours"], 3.0);
    // PR 2: a bot's pull request, not a non-maintainer's.
    assert_eq!(prs["bot"]["items"], 1);
    assert_eq!(m["non_maintainer_prs"]["details"]["opened"], 1);
    // Reviews: maint's of PR 1 and PR 2 (the synthetic approval); the bot's never.
    let reviewers = m["reviews"]["details"]["by_person"].to_string();
    assert!(!reviewers.contains("copilot"), "{reviewers}");
    // Both Copilot accounts are AI agents: the reviewer answered PR 1 first
    // (10 minutes, before maint), reported as its own figure; PR 2 is an
    // agent's pull request, merged, and maint's approval is the maintainer
    // time it drew.
    let agents = &m["first_response"]["details"]["by_agents"];
    assert_eq!(
        (agents["items"].as_u64(), agents["agent_first"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        agents["first_agent_act"]["median_hours"]
            .as_f64()
            .map(|h| (h * 60.0).round()),
        Some(10.0)
    );
    let kinds = &m["account_kinds"]["details"];
    assert_eq!(
        kinds["window"]["pull_requests"],
        json!({"people": 1, "bots": 0, "agents": 1})
    );
    assert_eq!(kinds["window"]["reviews"]["agents"], 1);
    let load = &kinds["agent_pull_requests"];
    assert_eq!(
        (load["opened"].as_u64(), load["merged"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn a_merged_first_timers_own_commits_do_not_make_them_returning() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    // user1's commit of PR 1 (authored 00:30, after the PR's first commit at
    // 2022-12-31T23:00, before the PR opened at 01:00): their own, so user1
    // is a first-timer. user2 committed in June 2022, long before PR 2's
    // first commit (2023-01-01T00:00): returning.
    let repo = history(
        &env,
        "first-timers",
        &[
            ("User 2", "user2@example.com", "2022-06-01T00:00:00Z"),
            ("User 1", "user1@example.com", "2023-01-01T00:30:00Z"),
        ],
    );
    let server = Server::start();
    server.synthetic(2, 0);
    let r = report_json(&env, &server, &repo, "2023-01-01", "2025-01-01");
    let prs = &r["metrics"]["first_response"]["details"]["pull_requests"]["by_author"];
    assert_eq!(prs["first_timer"]["items"], 1);
    assert_eq!(prs["returning"]["items"], 1);
}

#[test]
fn labels_an_issue_form_puts_on_are_no_triage() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let (repo, server) = maintained(&env, "forms");
    // Issues 1 and 2 (opened 01:00 and 02:00) carry the form's label, put on
    // by their authors as they open them; user1 also assigns themselves.
    // Nobody touches issue 1 again; maint relabels issue 2 after 5 hours.
    server.synthetic(0, 2);
    for n in [1, 2] {
        let opened = EPOCH + n as i64 * 3600;
        let author = actor(&format!("user{n}"));
        server.edit(n, |issue| {
            issue.quiet = true;
            issue.comments = 0;
            issue.extra = vec![
                json!({"eventType": "LabeledEvent", "id": format!("F{n}"), "createdAt": time(opened), "actor": author.clone(), "label": {"name": "bug"}}),
                json!({"eventType": "AssignedEvent", "id": format!("A{n}"), "createdAt": time(opened), "actor": author.clone(), "assignee": author.clone()}),
            ];
            if n == 2 {
                issue.extra.push(json!({"eventType": "LabeledEvent", "id": "M2", "createdAt": time(opened + 5 * 3600), "actor": actor("maint"), "label": {"name": "confirmed"}}));
            }
        });
    }
    let r = report_json(&env, &server, &repo, "2023-01-01", "2025-01-01");
    let triage = &r["metrics"]["issue_triage"];
    // Issue 1 never triaged (its author's acts are not triage); issue 2 at 5 h.
    assert_eq!(triage["details"]["never_triaged"], 1);
    assert_eq!(triage["details"]["first_assignment"]["count"], 0);
    assert_eq!(triage["value"], 5.0);
}

#[test]
fn review_comments_count_when_their_review_is_submitted() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let (repo, server) = maintained(&env, "drafts");
    // PR 1 (opened 01:00): maint drafts two diff comments after 1 and 2
    // hours in a pending review and submits it after 3: the response came
    // at 3 h, not 1 h.
    server.synthetic(1, 0);
    let opened = EPOCH + 3600;
    server.edit(1, |pr| {
        pr.quiet = true;
        pr.comments = 0;
        pr.reviews = Some(vec![review(
            "R1",
            actor("maint"),
            opened + 3 * 3600,
            &[opened + 3600, opened + 2 * 3600],
        )]);
    });
    let r = report_json(&env, &server, &repo, "2023-01-01", "2025-01-01");
    assert_eq!(r["metrics"]["first_response"]["value"], 3.0);
}

#[test]
fn a_review_before_the_window_hides_none_inside_it() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let (repo, server) = maintained(&env, "window");
    // PR 1 (opened 2023-01-01T01:00): reviewed by rev at 04:00 that day,
    // before the window [2023-01-02, 2025-01-01), and by rev again on
    // 2023-01-03 and 2023-01-04, inside it: one review of PR 1 by rev counts.
    server.synthetic(1, 0);
    let opened = EPOCH + 3600;
    server.edit(1, |pr| {
        pr.reviews = Some(vec![
            review("R1", actor("rev"), opened + 3 * 3600, &[]),
            review("R2", actor("rev"), EPOCH + 2 * 86_400, &[]),
            review("R3", actor("rev"), EPOCH + 3 * 86_400, &[]),
        ]);
    });
    let r = report_json(&env, &server, &repo, "2023-01-02", "2025-01-01");
    let reviews = &r["metrics"]["reviews"]["details"];
    assert_eq!(reviews["by_person"], json!([["login:rev", 1]]));
    assert_eq!(reviews["reviews"], 1);
}
