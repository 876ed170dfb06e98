//! A repository whose issues live in JIRA: commits name `PROJ-12` keys, a
//! local server stands in for the JIRA site (`mine --jira URL --jira-project
//! PROJ`), and the issue metrics and the ledger count the JIRA issues,
//! worked out by hand.

use crate::common;
use crate::support;

use common::{Env, stderr};
use serde_json::{Value, json};
use support::{Reply, Server};
use upkeep_forge::jira::search_path;

fn user(name: &str, email: Option<&str>) -> Value {
    let mut u = json!({"name": name, "key": name, "displayName": name.to_uppercase()});
    if let Some(email) = email {
        u["emailAddress"] = email.into();
    }
    u
}

fn change(
    id: &str,
    who: &Value,
    at: &str,
    field: &str,
    from: &str,
    to: &str,
    to_id: &str,
) -> Value {
    json!({"id": id, "author": who, "created": at,
           "items": [{"field": field, "fromString": from, "toString": to, "to": to_id}]})
}

/// PROJ-12 (opened by carol 2024-03-01 00:00Z): dan comments after 1 h, ann
/// labels it after 2 h and takes it after 5 h. PROJ-13 (03-02): nothing.
/// PROJ-14 (03-03): tom assigns it after 4 h and closes it after 10 h.
fn project() -> String {
    let ann = user("ann", Some("ann@acme.example"));
    let carol = user("carol", None);
    let tom = user("tom", None);
    let issue = |key: &str,
                 created: &str,
                 status: &str,
                 comments: Vec<Value>,
                 histories: Vec<Value>| {
        json!({"key": key, "fields": {
            "summary": format!("issue {key}"), "created": created, "updated": created,
            "status": {"name": status}, "resolution": null, "resolutiondate": null,
            "reporter": carol, "assignee": null, "labels": [], "components": [],
            "comment": {"startAt": 0, "maxResults": 50, "total": comments.len(), "comments": comments}},
            "changelog": {"histories": histories}})
    };
    let issues = vec![
        issue(
            "PROJ-12",
            "2024-03-01T00:00:00.000+0000",
            "In Progress",
            vec![
                json!({"id": "100", "author": user("dan", None), "created": "2024-03-01T01:00:00.000+0000"}),
            ],
            vec![
                change(
                    "1",
                    &ann,
                    "2024-03-01T02:00:00.000+0000",
                    "labels",
                    "",
                    "triaged",
                    "",
                ),
                change(
                    "2",
                    &ann,
                    "2024-03-01T05:00:00.000+0000",
                    "assignee",
                    "",
                    "ANN",
                    "ann",
                ),
            ],
        ),
        issue(
            "PROJ-13",
            "2024-03-02T00:00:00.000+0000",
            "Open",
            vec![],
            vec![],
        ),
        issue(
            "PROJ-14",
            "2024-03-03T00:00:00.000+0000",
            "Closed",
            vec![],
            vec![
                change(
                    "3",
                    &tom,
                    "2024-03-03T04:00:00.000+0000",
                    "assignee",
                    "",
                    "TOM",
                    "tom",
                ),
                change(
                    "4",
                    &tom,
                    "2024-03-03T10:00:00.000+0000",
                    "status",
                    "Open",
                    "Closed",
                    "6",
                ),
            ],
        ),
    ];
    json!({"startAt": 0, "maxResults": 50, "total": 3, "issues": issues}).to_string()
}

fn history(env: &Env) -> std::path::PathBuf {
    let repo = env.path("proj");
    let status = std::process::Command::new("bash")
        .arg("-c")
        .arg(
            "set -e; export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null; git init -q -b main \"$0\"; cd \"$0\"; \
             c() { GIT_AUTHOR_NAME=\"$1\" GIT_AUTHOR_EMAIL=\"$2\" GIT_AUTHOR_DATE=\"$3\" GIT_COMMITTER_NAME=\"$1\" \
                   GIT_COMMITTER_EMAIL=\"$2\" GIT_COMMITTER_DATE=\"$3\" git commit -q --allow-empty -m \"$4\"; }; \
             c Ann ann@acme.example 2024-03-05T10:00:00Z 'PROJ-12: fix the parser'; \
             c Bob bob@example.org 2024-03-06T10:00:00Z 'PROJ-13: more'",
        )
        .arg(&repo)
        .status()
        .expect("bash");
    assert!(status.success());
    repo
}

#[test]
fn jira_issues_in_the_report_and_the_ledger() {
    let env = Env::new();
    let repo = history(&env);
    let arg = repo.to_str().expect("utf-8");
    let server = Server::start();
    server.route(
        &search_path("PROJ", None, 0),
        vec![Reply::json(200, project())],
    );
    let run = |args: &[&str]| {
        let out = env
            .command(args)
            .env("UPKEEP_FORGE_BACKOFF_MS", "10")
            .env("JIRA_TOKEN", "jira-secret")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!String::from_utf8_lossy(&out.stdout).contains("jira-secret"));
        assert!(!stderr(&out).contains("jira-secret"));
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    let mined = run(&[
        "mine",
        arg,
        "--jira",
        &server.base,
        "--jira-project",
        "proj",
        "--format",
        "json",
    ]);
    let tracker = &mined[0]["trackers"][0];
    assert_eq!(tracker["repository"], "jira:PROJ");
    assert_eq!(
        (tracker["items"].as_u64(), tracker["requests"].as_u64()),
        (Some(3), Some(1))
    );
    // The token went as a bearer token, never into the store.
    assert!(
        server
            .state
            .lock()
            .expect("state")
            .authorization
            .iter()
            .any(|a| a == "Bearer jira-secret")
    );
    let db = env.store_bytes();
    assert!(!db.windows(11).any(|w| w == b"jira-secret"));

    // Remembered: the next run syncs PROJ without being told.
    server.route(
        &search_path("PROJ", Some("2024/03/02 00:00"), 0),
        vec![Reply::json(
            200,
            json!({"startAt": 0, "maxResults": 50, "total": 0, "issues": []}).to_string(),
        )],
    );
    let again = run(&["mine", arg, "--format", "json"]);
    assert_eq!(again[0]["trackers"][0]["requests"], 1);

    let r = run(&[
        "report",
        arg,
        "--since",
        "2024-01-01",
        "--until",
        "2025-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(r["repositories"][0]["forge"], "jira:PROJ");
    let triage = &r["metrics"]["issue_triage"]["details"];
    // Three issues; PROJ-12 labeled after 2 h, PROJ-14 assigned after 4 h, PROJ-13 never.
    assert_eq!(triage["issues"], 3);
    assert_eq!(triage["triaged"]["median_hours"], 3.0);
    assert_eq!(triage["never_triaged"], 1);

    let config = env.path("upkeep.toml");
    // Dan, whom JIRA shows without an address, is Bob by a recorded decision.
    std::fs::write(
        &config,
        "[organization]\nname = \"Acme\"\n\n[[organization.people]]\nname = \"Ann\"\nemail = \"ann@acme.example\"\n\n[[identities.merge]]\nemails = [\"jira:dan\", \"bob@example.org\"]\n",
    )
    .expect("writes");
    let ledger = run(&[
        "contributions",
        arg,
        "--org",
        "Acme",
        "--period",
        "year",
        "--since",
        "2024-01-01",
        "--until",
        "2025-01-01",
        "--format",
        "json",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    let kpi = |id: &str| common::kpi(&ledger, id);
    // Ann (JIRA's ann@acme.example is her commits' address) labeled and took
    // PROJ-12 and named it in a commit: one issue worked on; she triaged it first.
    assert_eq!(kpi("issues_worked_on")["total"], 1);
    assert_eq!(kpi("issues_triaged")["total"], 1);

    let people = run(&[
        "identities",
        "list",
        "--format",
        "json",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    let bob = people
        .as_array()
        .expect("people")
        .iter()
        .find(|p| p["key"] == "bob@example.org")
        .cloned()
        .expect("bob");
    assert!(bob["logins"].to_string().contains("jira:dan"), "{bob}");
}

#[test]
fn a_project_of_upkeep_toml_names_its_jira_project() {
    let env = Env::new();
    let repo = history(&env);
    let server = Server::start();
    server.route(
        &search_path("PROJ", None, 0),
        vec![Reply::json(200, project())],
    );
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        format!(
            "[[projects]]\nname = \"proj\"\nrepositories = [{:?}]\njira = {{ url = {:?}, project = \"proj\" }}\n",
            repo.display().to_string(),
            server.base
        ),
    )
    .expect("writes");
    let out = env
        .command(&[
            "report",
            "--project",
            "proj",
            "--since",
            "2024-01-01",
            "--until",
            "2025-01-01",
            "--format",
            "json",
            "--config",
            config.to_str().expect("utf-8"),
        ])
        .env("UPKEEP_FORGE_BACKOFF_MS", "10")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let r: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["repositories"][0]["forge"], "jira:PROJ");
    assert_eq!(r["metrics"]["issue_triage"]["details"]["issues"], 3);
}
