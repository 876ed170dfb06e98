//! People, bots and AI agents end to end: a history built here where an
//! agent authors a commit, a person's commit names Claude as its co-author
//! and another an `Assisted-by:` tool, and dependabot updates a file. The
//! people-only metrics count the two people; the agents' and assisted work
//! is reported beside them; `identities` says why each account is what it is.

use crate::common;

use common::{Env, git, git_at, stderr};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// A commit of `file` by `name <email>` on `date`, saying `message`.
fn commit(repo: &Path, date: &str, who: (&str, &str), file: &str, message: &str) {
    std::fs::write(repo.join(file), format!("{message}\n")).expect("writes");
    git(repo, &["add", file]);
    let author = format!("{} <{}>", who.0, who.1);
    git_at(
        repo,
        date,
        &["commit", "-q", "--author", &author, "-m", message],
    );
}

fn history(env: &Env) -> PathBuf {
    let repo = env.path("agents");
    std::fs::create_dir_all(&repo).expect("dir");
    git(&repo, &["init", "-q", "-b", "main"]);
    let ann = ("Ann", "ann@example.org");
    let bob = ("Bob", "bob@example.org");
    commit(&repo, "2025-01-10T10:00:00Z", ann, "a", "Start");
    commit(
        &repo,
        "2025-02-10T10:00:00Z",
        ann,
        "b",
        "Parse headers\n\nCo-authored-by: Claude <noreply@anthropic.com>",
    );
    commit(
        &repo,
        "2025-03-10T10:00:00Z",
        bob,
        "c",
        "Fix a typo\n\nAssisted-by: aider (gpt-4o) <noreply@aider.chat>",
    );
    commit(
        &repo,
        "2025-04-10T10:00:00Z",
        ("Copilot", "198982749+Copilot@users.noreply.github.com"),
        "d",
        "Add tests\n\nCo-authored-by: Ann <ann@example.org>",
    );
    commit(
        &repo,
        "2025-05-10T10:00:00Z",
        (
            "dependabot[bot]",
            "49699333+dependabot[bot]@users.noreply.github.com",
        ),
        "e",
        "Bump x from 1 to 2",
    );
    repo
}

#[test]
fn agents_and_ai_assisted_work_beside_the_people() {
    let env = Env::new();
    let repo = history(&env);
    // A GOVERNANCE file lists carl, who never did anything: the roster audit
    // says so (the file lists people, it does not make them maintainers).
    std::fs::write(
        repo.join("GOVERNANCE.md"),
        "Steering: Carl <carl@example.org>\n",
    )
    .expect("writes");
    git(&repo, &["add", "GOVERNANCE.md"]);
    git_at(
        &repo,
        "2025-05-10T10:00:00Z",
        &["commit", "-q", "--amend", "--no-edit"],
    );
    let arg = repo.to_str().expect("utf-8");
    let r: Value = env.json(&[
        "report",
        arg,
        "--since",
        "2025-01-01",
        "--until",
        "2026-01-01",
    ]);
    let m = &r["metrics"];
    let departures = &m["maintainer_departures"]["details"];
    assert_eq!(departures["listed_idle"], json!(["carl@example.org"]));
    // Zed committed everyone's work: the one maintainer; carl is not one.
    assert_eq!(
        m["maintainers"]["details"]["maintainers"],
        json!(["zed@example.com"])
    );
    // Ann and Bob: Claude, aider, Copilot and dependabot are not people.
    assert_eq!(m["contributors"]["value"], 2.0);
    assert_eq!(
        m["bus_factor"]["details"]["contributions"], 4,
        "ann 3 (one co-authored), bob 1"
    );
    let w = &m["account_kinds"]["details"]["window"];
    // Contributions: ann 3 (her co-authorship of Copilot's commit among
    // them), bob 1; Claude co-authored one, Copilot authored one; dependabot one.
    assert_eq!(w["commits"], json!({"people": 4, "bots": 1, "agents": 2}));
    assert_eq!(
        (
            w["agent_commits"].as_u64(),
            w["ai_assisted_commits"].as_u64()
        ),
        (Some(1), Some(2))
    );
    // (1 by Copilot + 2 assisted) of (4 by people + 1 by Copilot).
    assert_eq!(m["account_kinds"]["value"], 0.6);

    let out = env.run(&[
        "identities",
        "show",
        "noreply@anthropic.com",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(shown[0]["kind"], "agent");
    let facts = shown[0]["facts"].to_string();
    assert!(
        facts.contains("an AI agent: a well-known AI agent"),
        "{facts}"
    );

    let out = env.run(&["identities", "list", "--format", "json"]);
    let listed: Value = serde_json::from_slice(&out.stdout).expect("json");
    let kind_of = |key: &str| {
        listed
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["key"] == key)
            .map(|r| r["kind"].clone())
    };
    assert_eq!(kind_of("noreply@anthropic.com"), Some(json!("agent")));
    assert_eq!(kind_of("ann@example.org"), Some(json!("person")));
    assert_eq!(
        kind_of("49699333+dependabot[bot]@users.noreply.github.com"),
        Some(json!("bot"))
    );

    // An [agents] account that matches nobody is reported; one of no known
    // form is refused with its line.
    let config = env.path("upkeep.toml");
    std::fs::write(&config, "[agents]\naccounts = [\"our-review-ai\"]\n").expect("config");
    let out = env.run(&[
        "identities",
        "list",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: [agents] account \"our-review-ai\" matches nobody"),
        "{}",
        stderr(&out)
    );
    std::fs::write(&config, "[agents]\naccounts = [\n  \"@nobody\",\n]\n").expect("config");
    let out = env.run(&[
        "identities",
        "list",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("upkeep.toml:3: [agents] account \"@nobody\""),
        "{}",
        stderr(&out)
    );
}
