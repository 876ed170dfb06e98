//! `upkeep report` end to end on the community history of `make_community.sh`.
//!
//! Non-merge commits: alice 2020-01-01 (+01:00), bob 2020-02-01 (−05:30,
//! co-authored by eve: both credited), alice 2020-03-01 (+00:00), rené 2020-04-01 (+02:00), alice 2020-04-02
//! (+00:00), frank 2020-05-01 (−07:00). Version tags: v1.0 (annotated by dave
//! 2020-03-02T07:00Z) and v1.1 (lightweight on the merge, committed by alice
//! 2020-04-03T00:00Z).

use crate::common;

use common::{Env, stderr};
use serde_json::{Value, json};

fn report(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    env.json(&all)
}

#[test]
fn the_year_2020_worked_out_by_hand() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let r = report(
        &env,
        &[
            repo.to_str().expect("utf-8"),
            "--since",
            "2020-01-01",
            "--until",
            "2021-01-01",
        ],
    );
    assert_eq!(
        r["window"],
        json!({"since": "2020-01-01", "until": "2021-01-01"})
    );
    let m = &r["metrics"];

    // 6 commits, 7 credits (bob's is eve's too); alice has 3 of 7 < 50%: bus factor 2.
    assert_eq!(m["bus_factor"]["value"], 2.0);
    assert_eq!(m["bus_factor"]["details"]["contributions"], 7);
    assert_eq!(
        m["bus_factor"]["details"]["people"][0]["key"],
        "alice@example.com"
    );
    assert_eq!(
        m["bus_factor"]["definition"]["parameters"]["threshold"],
        0.5
    );
    assert_eq!(
        m["bus_factor"]["definition"]["parameters"]["bots_included"],
        false
    );

    // example.com (alice 3 + frank 1 = 4 of the 6 known), example.org, example.fr; eve's
    // noreply address says nothing of an organization: 6 of 7 known.
    assert_eq!(m["elephant_factor"]["value"], 1.0);
    assert_eq!(m["elephant_factor"]["details"]["known_share"], 6.0 / 7.0);
    assert_eq!(
        m["elephant_factor"]["details"]["organizations"][0]["key"],
        "example.com"
    );

    // v1.0 → v1.1: 2,739,600 s = 31.708 days; 273 days from v1.1 to 2021-01-01 > 2 × 31.7: overdue.
    let rel = &m["releases"];
    assert!(
        (rel["value"].as_f64().unwrap_or_default() - 31.708_333).abs() < 1e-5,
        "{rel}"
    );
    assert_eq!(rel["details"]["days_since_last"], 273.0);
    assert_eq!(rel["details"]["overdue"], true);
    assert_eq!(rel["details"]["release_bus_factor"], 2);
    assert_eq!(
        rel["details"]["releasers"],
        json!([["alice@example.com", 1], ["dave@example.net", 1]])
    );

    // Most used offsets: alice +0 (two of three), bob and eve −5:30, rené +2, frank −7. Awake UTC hours of
    // contributors: alice 8–19, rené 6–17, bob 14–23 and 0–1, frank 15–23 and 0–2: all but 3, 4, 5.
    // Of the maintainers, only alice contributed (carol only committed): 8–19 UTC, 12 hours.
    assert_eq!(m["time_zones"]["value"], 12.0);
    assert_eq!(
        m["time_zones"]["details"]["contributors_by_offset"],
        json!({"-420": 1, "-330": 2, "0": 1, "120": 1})
    );
    let awake = m["time_zones"]["details"]["contributors_awake_by_utc_hour"]
        .as_array()
        .expect("24 hours");
    assert_eq!(awake.iter().filter(|n| n.as_u64() > Some(0)).count(), 21);
    assert_eq!(
        m["time_zones"]["details"]["maintainers_by_offset"],
        json!({"0": 1})
    );

    // 2020-Q1: alice, bob, eve (4 credits); Q2: alice, rené, frank (3); nothing in 2019 to compare with.
    let quarters = &m["activity"]["details"]["quarters"];
    assert_eq!(
        quarters[0],
        json!({"quarter": "2020-Q1", "contributors": 3, "contributions": 4, "contributors_change_pct": null, "contributions_change_pct": null})
    );
    assert_eq!(quarters[1]["contributors"], 3);
    assert_eq!(m["activity"]["value"], Value::Null);
    assert!(m["activity"]["reason"].is_string());

    // Truck factor on the tree of #34 (the last commit before 2021), with Linguist's filter:
    // README.md and LICENSE are documentation, .github/CODEOWNERS is vendored (.github/),
    // feature.txt is prose and .mailmap of no language: src/b.py alone is code. Its history
    // follows the rename back to src/a.py: alice added it (FA = 1) and renamed it (DL = 1),
    // bob modified it once: alice 3.293 + 1.098 + 0.164 − 0.321·ln 2 = 4.3325; bob
    // 3.293 + 0.164 − 0.321·ln 2 = 3.2345 < 3.293 and 3.2345 / 4.3325 = 0.747 ≤ 0.75: not an
    // author. Coverage 1/1: remove alice; then no author is left. TF = 1.
    assert_eq!(m["truck_factor"]["value"], 1.0);
    assert_eq!(
        m["truck_factor"]["details"]["removed"],
        json!([["alice@example.com", 1]])
    );
    assert_eq!(
        m["truck_factor"]["details"]["excluded"],
        json!({"documentation": 2, "prose": 1, "unknown language": 1, "vendored": 1})
    );
    assert_eq!(m["truck_factor"]["details"]["identities"], "people");
    assert_eq!(
        m["bus_factor"]["definition"]["parameters"]["authors"]["commits_credited_from_messages"],
        0
    );

    // Maintainers at 2021-01-01: carol committed bob's work (2020-02-02), alice merged #12
    // (2020-04-03); GitHub (committer of #34) is a bot. CODEOWNERS names @alice, a login
    // that git data alone cannot tie to alice@example.com (forge data will).
    assert_eq!(m["maintainers"]["value"], 3.0);
    assert_eq!(
        m["maintainers"]["details"]["maintainers"],
        json!(["alice@example.com", "carol@corp.example", "login:alice"])
    );
    assert_eq!(m["maintainers"]["details"]["named"], json!(["login:alice"]));

    // Reviewed-by dave (example.net); Reviewers: jun and ismael (example.com).
    assert_eq!(m["reviews"]["value"], 3.0);
    assert_eq!(
        m["reviews"]["details"]["by_organization"],
        json!([["example.com", 2], ["example.net", 1]])
    );

    // 5 active; none in the last 183 days of 2020, so all 5 count as inactive.
    assert_eq!(m["contributors"]["value"], 5.0);
    assert_eq!(m["contributors"]["details"]["inactive"], 5);
    // Cohort 2020: alice (Jan, Mar, Apr: came back, regular, maintainer), bob, eve, rené, frank.
    assert_eq!(m["funnel"]["value"], 0.2);
    let cohort = &m["funnel"]["details"]["cohorts"][0];
    assert_eq!(
        (
            cohort["people"].clone(),
            cohort["regular"].clone(),
            cohort["maintainers"].clone()
        ),
        (json!(5), json!(1), json!(1))
    );

    // Commits: example.com 4 of the 6 known (alice 3, frank 1) is dominant. Merges: carol (corp.example) and
    // alice (example.com), half each; releases: dave (example.net) and alice, half each; maintainers:
    // alice and carol known, login:alice unknown (2 of 3 known), half each: not dominant.
    let orgs = &m["organizations"];
    assert!((orgs["value"].as_f64().unwrap_or_default() - 4.0 / 6.0).abs() < 1e-12);
    assert_eq!(orgs["details"]["dominant"][0][0], "commits");
    assert_eq!(orgs["details"]["dominant"][0][1], "example.com");
    assert_eq!(
        orgs["details"]["dominant"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        m["organizations"]["details"]["maintainers"]["known_share"]
            .as_f64()
            .map(|s| (s * 3.0).round()),
        Some(2.0)
    );

    let flags = common::flag_texts(&r);
    // People are named by the name they use most; the keys stay in the details,
    // and `people` maps each key the metrics name to its name.
    assert_eq!(
        flags[..3],
        [
            "truck factor 1 (without Alice Liddell, fewer than half of 1 code files would have an author left; Alice Liddell authors 1)",
            "no release for 273 days; usual interval 32 days",
            "one organization (example.com) made 67% of commits (of the 86% whose organization is known)",
        ]
    );
    // Everything stops in May 2020: 182 idle days later, within 2020, the
    // maintainers (alice landed bob's work, carol committed it) have left,
    // and every organization with a tenth of the year before July 3 has too:
    // example.com 4 of the 7 contributions, example.fr and example.org 1 each.
    assert_eq!(
        flags[3..5],
        [
            "Alice Liddell left (last act 2020-04-03)",
            "Carol Committer left (last act 2020-02-02)",
        ]
    );
    assert_eq!(
        flags[5],
        "example.com left: 57% of a year's contributions, none in the last two quarters (Alice Liddell 2020-04-02, Frank Kafka 2020-05-01)"
    );
    assert!(flags[6].starts_with("example.fr left: 14% of a year's contributions"));
    assert_eq!(
        flags[7],
        "example.org left: 14% of a year's contributions, none in the last two quarters (Bob Builder 2020-02-01)"
    );
    assert_eq!(flags.len(), 8);
    assert_eq!(r["people"]["alice@example.com"], "Alice Liddell");
    assert_eq!(r["people"]["login:alice"], "@alice");
    assert_eq!(r["people"]["junrao@example.com"], "Jun Rao");
}

#[test]
fn an_empty_window_gives_nulls_with_reasons() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let r = report(
        &env,
        &[
            repo.to_str().expect("utf-8"),
            "--since",
            "2010-01-01",
            "--until",
            "2011-01-01",
        ],
    );
    for id in [
        "bus_factor",
        "elephant_factor",
        "releases",
        "time_zones",
        "activity",
    ] {
        assert_eq!(r["metrics"][id]["value"], Value::Null, "{id}");
        assert!(r["metrics"][id]["reason"].is_string(), "{id} says why");
    }
    assert_eq!(r["flags"], json!([]));
}

#[test]
fn every_format_renders_and_bad_windows_are_refused() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    for (format, expect) in [
        ("table", "bus factor"),
        ("markdown", "| bus factor | 2 |"),
        (
            "csv",
            "metric,value,reason,definition\nbus_factor,2,\"\",\"the smallest number of people",
        ),
    ] {
        let out = env
            .command(&[
                "report",
                arg,
                "--since",
                "2020-01-01",
                "--until",
                "2021-01-01",
                "--format",
                format,
            ])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(expect), "{format}: {text}");
    }
    let bad = env.run(&[
        "report",
        arg,
        "--since",
        "2021-01-01",
        "--until",
        "2020-01-01",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("the window is empty"),
        "{}",
        stderr(&bad)
    );
    let garbage = env.run(&["report", arg, "--since", "last tuesday"]);
    assert!(
        stderr(&garbage).contains("--since last tuesday is not a YYYY-MM-DD date"),
        "{}",
        stderr(&garbage)
    );
}

/// Commits `file` as `name <email>` on `date` (noon UTC) in `repo`.
fn commit_as(repo: &std::path::Path, name: &str, email: &str, date: &str, file: &str) {
    std::fs::write(repo.join(file), format!("print({file:?})\n")).expect("writes");
    let stamp = format!("{date}T12:00:00+00:00");
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["add", "-A"])
        .output()
        .expect("git add");
    assert!(out.status.success());
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["commit", "-q", "-m", &format!("Add {file}")])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_COMMITTER_DATE", &stamp)
        .output()
        .expect("git commit");
    assert!(out.status.success(), "{}", stderr(&out));
}

fn new_repo(env: &Env, name: &str) -> std::path::PathBuf {
    let repo = env.path(name);
    common::git(env.dir.path(), &["init", "-q", "-b", "main", name]);
    repo
}

#[test]
fn the_truck_factor_can_join_addresses_by_name_as_the_paper_does() {
    // Ann commits from two addresses under one name; upkeep never merges on a name alone.
    //   ann@home: a.py, b.py   ann@work: c.py   bob: d.py, e.py   (each file added once: DOA 4.391)
    // people: ann@home 2, bob 2 (tie: the smaller key first), ann@work 1.
    //   5/5 covered: remove ann@home → 3/5: remove bob → 1/5 < 50%: TF = 2.
    // by name: Ann 3, bob 2. 5/5: remove Ann → 2/5 < 50%: TF = 1.
    let env = Env::new();
    let repo = new_repo(&env, "names");
    commit_as(&repo, "Ann Smith", "ann@home.example", "2024-01-01", "a.py");
    commit_as(&repo, "Ann Smith", "ann@home.example", "2024-01-02", "b.py");
    commit_as(&repo, "ann smith", "ann@work.example", "2024-01-03", "c.py");
    commit_as(&repo, "Bob", "bob@x.example", "2024-01-04", "d.py");
    commit_as(&repo, "Bob", "bob@x.example", "2024-01-05", "e.py");
    let arg = repo.to_str().expect("utf-8");
    let window = ["--since", "2024-01-01", "--until", "2025-01-01"];
    let mut people = vec![arg];
    people.extend(window);
    let r = report(&env, &people);
    let tf = &r["metrics"]["truck_factor"];
    assert_eq!(tf["value"], 2.0);
    assert_eq!(
        tf["details"]["removed"],
        json!([["ann@home.example", 2], ["bob@x.example", 2]])
    );
    assert_eq!(tf["details"]["identities"], "people");
    let mut by_name = people.clone();
    by_name.extend(["--truck-factor-identities", "name"]);
    let r = report(&env, &by_name);
    let tf = &r["metrics"]["truck_factor"];
    assert_eq!(tf["value"], 1.0);
    assert_eq!(tf["details"]["removed"], json!([["ann@home.example", 3]]));
    assert_eq!(tf["details"]["identities"], "name");
    assert!(
        tf["definition"]["parameters"]["identities"]
            .as_str()
            .is_some_and(|s| s.contains("same name"))
    );
}

#[test]
fn hostile_names_are_shown_as_text_and_json_keeps_them() {
    // An author whose name carries an ANSI colour sequence, a BEL and a right-to-left override.
    let hostile = "Eve \u{1b}[31mRed\u{1b}[0m\u{7} \u{202e}evil";
    let env = Env::new();
    let repo = new_repo(&env, "hostile");
    commit_as(&repo, hostile, "eve@example.com", "2024-01-01", "a.py");
    commit_as(&repo, hostile, "eve@example.com", "2024-01-02", "b.py");
    let arg = repo.to_str().expect("utf-8");
    let window = ["--since", "2024-01-01", "--until", "2025-01-01"];
    for format in ["table", "markdown"] {
        let out = env
            .command(&[
                "report", arg, window[0], window[1], window[2], window[3], "--format", format,
            ])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{format}: {text}"
        );
        assert!(!text.contains('\u{202e}'), "{format}: {text}");
        assert!(text.contains("x1b[31mRed"), "{format}: {text}");
        assert!(text.contains("u{202e}evil"), "{format}: {text}");
        // Without forge data: one line instead of the forge sections.
        assert_eq!(text.matches("no forge data:").count(), 1, "{format}");
        assert!(!text.contains("Time to first response"), "{format}");
    }
    let r = report(&env, &[arg, window[0], window[1], window[2], window[3]]);
    assert_eq!(r["people"]["eve@example.com"], hostile);
    let out = env.run(&["identities", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text}"
    );
    assert!(text.contains("Eve \\x1b[31mRed"), "{text}");
}
