//! `upkeep contributions` end to end: the community history of
//! `make_community.sh` with a local GitHub (GITHUB_API_URL) serving the
//! synthetic repository of the forge tests, "us" given by a roster and an
//! affiliation, every number derived by hand in the comments.
//!
//! Git (2020): alice commits 2020-01-01, 03-01 and 04-02, merges #12 on 04-03
//! (and v1.1 is a lightweight tag on that merge); bob's 2020-02-01 commit names
//! Eve (eve@users.noreply.github.com, login eve) as co-author; Dave tags v1.0.
//!
//! Forge (2023): pull requests 1–6 by user1…user6 (contributors) opened
//! 2023-01-01 01:00…06:00; issues 7 and 8 by user7, user8 at 07:00 and 08:00.
//! On each, maint labels after 1 h and comments twice after 2 h (as MEMBER);
//! on each pull request maint approves with a diff comment after 3 h and
//! merges after 4 h.

use crate::common;
use crate::support;

use common::{Env, stderr};
use serde_json::{Value, json};
use support::Server;

const CONFIG: &str = r#"
[organization]
name = "Acme"

[[organization.people]]
name = "Maint"
login = "maint"
from = "2023-01-01"

[[organization.people]]
name = "Eve"
login = "eve"

[[affiliations]]
email = "alice@example.com"
organization = "Acme"
from = "2020-03-01"

[[goals]]
kpi = "non_maintainer_prs_reviewed"
per = "month"
target = 5

[[goals]]
kpi = "issues_triaged"
per = "month"
target = 2
upstreams = ["o/r"]
"#;

fn run(
    env: &Env,
    server: &Server,
    config: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    let mut all = vec!["contributions", "--config", config.to_str().expect("utf-8")];
    all.extend_from_slice(args);
    env.command(&all)
        .env("GITHUB_API_URL", &server.base)
        .env("GITHUB_TOKEN", "ghp_secret")
        .env("UPKEEP_FORGE_BACKOFF_MS", "10")
        .output()
        .expect("runs")
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{}",
        stderr(out)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn kpi<'a>(ledger: &'a Value, id: &str) -> &'a Value {
    ledger["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .find(|k| k["id"] == id)
        .expect("the KPI")
}

#[test]
fn our_work_in_git_and_on_the_forge_worked_out_by_hand() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    let server = Server::start();
    server.synthetic(6, 2);
    let config = env.path("upkeep.toml");
    std::fs::write(&config, CONFIG).expect("writes");

    // 2020, by month. Commits: alice's of 01-01 is before she joined; 03-01 and 04-02
    // count; bob's 02-01 counts for Eve, its co-author: Feb 1, Mar 1, Apr 1 = 3
    // (2 authored, 1 co-authored). v1.1 (04-03, alice) is a release by us; v1.0 (Dave) is not.
    // #34's KAFKA-1 is an issue worked on by frank, who is not ours: none.
    let window = [
        "--since",
        "2020-01-01",
        "--until",
        "2020-07-01",
        "--forge",
        "o/r",
    ];
    let mut args = vec![arg, "--format", "json"];
    args.extend(window);
    let ledger = json_of(&run(&env, &server, &config, &args));
    assert_eq!(ledger["organization"], "Acme");
    let commits = kpi(&ledger, "commits");
    assert_eq!(commits["total"], 3);
    assert_eq!(commits["by_period"], json!([0, 1, 1, 1, 0, 0]));
    assert_eq!(commits["extra"], json!({"authored": 2, "co_authored": 1}));
    let releases = kpi(&ledger, "releases_by_us");
    assert_eq!(releases["total"], 1);
    assert_eq!(releases["credits"][0]["what"], "released v1.1");
    assert_eq!(kpi(&ledger, "issues_worked_on")["total"], 0);
    let people: Vec<&str> = ledger["our_people"]
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(people, ["Alice Liddell", "Eve"]);

    // January and February 2023, by month: maint is ours (roster) and a maintainer
    // (merges, MEMBER). The six pull requests are by contributors: all reviewed by us,
    // our first act the label after 1 hour, all merged, ours the first response.
    let window = [
        "--since",
        "2023-01-01",
        "--until",
        "2023-03-01",
        "--forge",
        "o/r",
    ];
    let mut args = vec![arg, "--format", "json"];
    args.extend(window);
    let out = run(&env, &server, &config, &args);
    let ledger = json_of(&out);
    let prs = kpi(&ledger, "non_maintainer_prs_reviewed");
    assert_eq!(prs["by_period"], json!([6, 0]));
    assert_eq!(
        prs["extra"]["outcomes"],
        json!({"merged": 6, "closed": 0, "open": 0})
    );
    assert_eq!(prs["extra"]["hours_to_our_first_act"]["median_hours"], 1.0);
    assert_eq!(prs["extra"]["ours_first_response"], 6);
    // Reviews: one (pull request, maint) pair each, though each has a review and a diff comment.
    assert_eq!(kpi(&ledger, "patches_reviewed")["total"], 6);
    // Issues 7 and 8: labeled first by maint (triaged by us); acts: 2 labels + 4 comments
    // by a maintainer = 6. Worked on: both.
    let triaged = kpi(&ledger, "issues_triaged");
    assert_eq!(triaged["total"], 2);
    assert_eq!(triaged["extra"]["triage_acts"], 6);
    assert_eq!(kpi(&ledger, "issues_worked_on")["total"], 2);
    // Nobody came back in a later month; no release in 2023.
    assert_eq!(kpi(&ledger, "returning_contributors_reviewed")["total"], 0);
    assert_eq!(kpi(&ledger, "releases_by_us")["total"], 0);
    // Goals: 6 ≥ 5 in January, 0 in February: met in 1 of 2; triage 2 ≥ 2, then 0.
    let goals = ledger["goals"].as_array().expect("goals");
    assert_eq!(
        goals[0]["summary"],
        "met in 1 of 2 months; 6 of 10 in total"
    );
    assert_eq!(goals[0]["last_complete_met"], false);
    assert_eq!(goals[1]["summary"], "met in 1 of 2 months; 2 of 4 in total");
    // The context: maint (ours) and @alice (named in CODEOWNERS, a login git cannot tie to
    // alice@example.com) maintain it: half ours, no flag; every merge is ours: a flag.
    let context = &ledger["context"][0];
    assert_eq!(
        context["maintainers"]["keys"],
        json!(["login:alice", "login:maint"])
    );
    assert_eq!(context["our_share"]["maintainers"]["share"], 0.5);
    assert_eq!(context["our_share"]["merges"]["share"], 1.0);
    let flags: Vec<&str> = ledger["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert!(
        flags.contains(&"we hold 100% of o/r's merges (6 of 6): it depends on us"),
        "{flags:?}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("ghp_secret"));

    // --check: February missed both goals.
    let mut args = vec![arg, "--check"];
    args.extend(window);
    let out = run(&env, &server, &config, &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 goal(s) missed in their last complete period"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("goal missed: non_maintainer_prs_reviewed ≥ 5 per month"),
        "{text}"
    );
    // January alone met both: exit 0.
    let mut args = vec![
        arg,
        "--check",
        "--since",
        "2023-01-01",
        "--until",
        "2023-02-01",
        "--forge",
        "o/r",
    ];
    args.extend(["--format", "markdown"]);
    let out = run(&env, &server, &config, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("| non maintainer prs reviewed | 6 | 6 |")
    );
    // CSV: one line per KPI, upstream and period.
    let args = vec![
        arg,
        "--format",
        "csv",
        "--since",
        "2023-01-01",
        "--until",
        "2023-02-01",
        "--forge",
        "o/r",
    ];
    let out = run(&env, &server, &config, &args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("non_maintainer_prs_reviewed,\"o/r\",2023-01,6"),
        "{text}"
    );
    // HTML: one page, its chart with the data table.
    let args = [
        arg,
        "--format",
        "html",
        "--since",
        "2023-01-01",
        "--until",
        "2023-02-01",
        "--forge",
        "o/r",
    ];
    let out = run(&env, &server, &config, &args);
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<h1>Upstream contributions of Acme</h1>"));
    assert!(
        html.contains("<td>non maintainer prs reviewed</td><td>6</td>"),
        "{html}"
    );
}

#[test]
fn a_goal_naming_an_unknown_kpi_is_an_error_naming_its_line() {
    let env = Env::new();
    let server = Server::start();
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        "[organization]\nname = \"Acme\"\n\n[[goals]]\nkpi = \"prs_reviewd\"\nper = \"month\"\ntarget = 1\n",
    )
    .expect("writes");
    let out = run(&env, &server, &config, &["."]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("upkeep.toml:5: the goal names the KPI `prs_reviewd`"),
        "{err}"
    );
}

#[test]
fn a_roster_with_a_malformed_line_imports_nothing() {
    let env = Env::new();
    let csv = env.path("people.csv");
    std::fs::write(
        &csv,
        "name,email,login,from,until\nAnn,ann@gmail.com,,2024-01-01,\nBob,,,2024-01-01,\nCy,cy@x.org,cy,2025-13-01,\n",
    )
    .expect("writes");
    let out = env.run(&[
        "roster",
        "import",
        csv.to_str().expect("utf-8"),
        "--org",
        "Acme",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("people.csv:3: neither an email nor a login"),
        "{err}"
    );
    assert!(
        err.contains("people.csv:4: from `2025-13-01` is not a YYYY-MM-DD date"),
        "{err}"
    );
    assert!(err.contains("2 malformed lines"), "{err}");
    let list = env.run(&["roster", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("0 entries"));
    // Mended, it imports, and a second import of the same file replaces the first.
    std::fs::write(
        &csv,
        "Ann,ann@gmail.com,,2024-01-01,\nAnn,ann@gmail.com,,2020-01-01,2021-01-01\n",
    )
    .expect("writes");
    for _ in 0..2 {
        let out = env.run(&[
            "roster",
            "import",
            csv.to_str().expect("utf-8"),
            "--org",
            "Acme",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("imported 2 roster entries of Acme"));
    }
    let list = env.run(&["roster", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("2 entries"));
}

#[test]
fn engagement_sprints_and_projects() {
    // Sprints of 14 days from 2020-03-02; the window 2020-03-02 … 2020-04-13 holds three.
    // alice (ours from 2020-03-01) commits on 03-01 (the day before the first sprint:
    // outside the window), 04-02 (sprint 3, from 03-30). Engagement: her talk on 03-10
    // (sprint 1), frank's post (not ours). The project `hub` names the repository.
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let server = Server::start();
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        format!(
            "[organization]\nname = \"Acme\"\nsprint_start = \"2020-03-02\"\n\n[[affiliations]]\nemail = \"alice@example.com\"\norganization = \"Acme\"\nfrom = \"2020-03-01\"\n\n[[projects]]\nname = \"hub\"\nrepositories = [{:?}]\n",
            repo.display().to_string()
        ),
    )
    .expect("writes");
    let csv = env.path("talks.csv");
    std::fs::write(&csv, "date,person,upstream,kind,url\n2020-03-10,alice@example.com,community,talk,https://example.org/t\n2020-03-11,frank@example.com,community,blog post,https://example.org/p\n2020-13-01,alice@example.com,community,talk,\n").expect("writes");
    let out = env.run(&["engagement", "import", csv.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("talks.csv:4: date `2020-13-01` is not a YYYY-MM-DD date"),
        "{}",
        stderr(&out)
    );
    let good: String = std::fs::read_to_string(&csv)
        .expect("reads")
        .lines()
        .take(3)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&csv, good).expect("writes");
    let out = env.run(&["engagement", "import", csv.to_str().expect("utf-8")]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("imported 2 new engagement entries"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &env,
        &server,
        &config,
        &[
            "--project",
            "hub",
            "--period",
            "sprint",
            "--since",
            "2020-03-02",
            "--until",
            "2020-04-13",
            "--no-forge",
            "--format",
            "json",
        ],
    );
    let ledger = json_of(&out);
    let labels: Vec<&str> = ledger["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .filter_map(|p| p["label"].as_str())
        .collect();
    assert_eq!(labels, ["2020-03-02", "2020-03-16", "2020-03-30"]);
    assert_eq!(kpi(&ledger, "commits")["by_period"], json!([0, 0, 1]));
    let engagement = kpi(&ledger, "engagement");
    assert_eq!(engagement["by_period"], json!([1, 0, 0]));
    assert_eq!(engagement["extra"]["by_kind"], json!({"talk": 1}));
    assert_eq!(ledger["parameters"]["sprint_start"], "2020-03-02");
}

#[test]
fn an_organization_name_carries_no_raw_control_character_into_the_page() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let out = env.run(&[
        "contributions",
        repo.to_str().expect("utf-8"),
        "--org",
        "Acme\u{1b}[2J\u{202e}",
        "--no-forge",
        "--format",
        "html",
        "--since",
        "2020-01-01",
        "--until",
        "2021-01-01",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        !html.contains('\u{1b}') && !html.contains('\u{202e}'),
        "{html}"
    );
    assert!(html.contains("Acme\\x1b[2J\\u{202e}"), "{html}");
}

/// A history whose merge of our pull request #1 (2023-01-01 05:00, as the
/// synthetic forge merges it) is released as v1.0 twenty days later.
fn released_history(env: &Env) -> std::path::PathBuf {
    use common::{git, git_at};
    let repo = env.path("released");
    std::fs::create_dir_all(&repo).expect("dir");
    git(&repo, &["init", "-q", "-b", "main"]);
    let commit = |date: &str, file: &str, message: &str| {
        std::fs::write(repo.join(file), message).expect("writes");
        git(&repo, &["add", file]);
        git_at(
            &repo,
            date,
            &[
                "commit",
                "-q",
                "--author",
                "User 1 <user1@example.com>",
                "-m",
                message,
            ],
        );
    };
    commit("2022-12-01T00:00:00Z", "a", "Start");
    commit("2023-01-01T05:00:00Z", "b", "Parse tabs (#1)");
    commit("2023-01-21T05:00:00Z", "c", "Prepare 1.0");
    git(&repo, &["tag", "v1.0"]);
    repo
}

#[test]
fn our_proposals_teams_and_evenness() {
    upkeep_testdata::needs_data!();
    let env = Env::new();
    let repo = released_history(&env);
    let arg = repo.to_str().expect("utf-8");
    let server = Server::start();
    server.synthetic(6, 2);
    server.close_unmerged(2);
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        "[organization]\nname = \"Acme\"\nteams = [\"platform\", \"data\"]\n",
    )
    .expect("writes");
    let roster = env.path("people.csv");
    let import = |text: &str| {
        std::fs::write(&roster, text).expect("writes");
        env.run(&[
            "roster",
            "import",
            roster.to_str().expect("utf-8"),
            "--config",
            config.to_str().expect("utf-8"),
        ])
    };
    // A team upkeep.toml does not declare is refused with its line.
    let out = import("name,email,login,from,until,team\nOne,,user1,,,platform\nTwo,,user2,,,ops\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "people.csv:3: the team `ops` is not one of [organization] teams (platform, data)"
        ),
        "{}",
        stderr(&out)
    );
    // The team column is optional.
    let out = import("One,,user1,,,platform\nTwo,,user2,,\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let window = [
        "--since",
        "2023-01-01",
        "--until",
        "2023-03-01",
        "--forge",
        "o/r",
    ];
    let mut args = vec![arg, "--format", "json", "--by", "team"];
    args.extend(window);
    let ledger = json_of(&run(&env, &server, &config, &args));

    // Ours: user1's #1, merged 4 hours after it opened and released in v1.0
    // twenty days after the merge; user2's #2, closed unmerged. maint
    // labels every pull request an hour after it opens, ours and others'.
    let p = &ledger["our_proposals"];
    let outcomes: Vec<(&str, &str)> = p["proposals"]
        .as_array()
        .expect("proposals")
        .iter()
        .map(|x| {
            (
                x["key"].as_str().unwrap_or(""),
                x["outcome"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(outcomes, [("o/r#1", "merged"), ("o/r#2", "closed")]);
    assert_eq!(p["proposals"][0]["merge_hours"], 4.0);
    assert_eq!(p["proposals"][0]["released"], json!(["v1.0", 20.0]));
    let u = &p["upstreams"][0];
    assert_eq!(
        (&u["opened"], &u["merged"], &u["closed"], &u["open"]),
        (&json!(2), &json!(1), &json!(1), &json!(0))
    );
    assert_eq!(u["acceptance_rate"], 0.5);
    assert_eq!(u["first_response_median_hours"], 1.0);
    assert_eq!(u["others_first_response_median_hours"], 1.0);
    assert_eq!(u["flag"], Value::Null);
    assert_eq!(p["by_period"][0]["opened"], 2);

    // Teams: user1's two commits of the window ("Parse tabs (#1)", "Prepare
    // 1.0") are platform's; user2 has no team.
    let teams = ledger["teams"].as_array().expect("teams");
    let platform = teams
        .iter()
        .find(|t| t["team"] == "platform")
        .expect("platform");
    assert_eq!(platform["kpis"]["commits"]["total"], 2);
    let e = &ledger["evenness"]["total"];
    assert_eq!(e["busiest"], "user1@example.com");

    // The table shows each team's KPIs with --by team.
    let mut args = vec![arg, "--by", "team"];
    args.extend(window);
    let out = run(&env, &server, &config, &args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("KPIs of team platform"), "{text}");
    assert!(text.contains("Our proposals per upstream"), "{text}");
}
