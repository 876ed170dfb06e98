//! Upstreams that record who did what in their own way (`make_conventions.sh`):
//! PostgreSQL's `Author:` lines, Kafka's squash merges with `Reviewers:`,
//! Flink's `This closes #N`, measured over 2024 with figures worked out by hand.

mod common;

use common::Env;
use serde_json::{Value, json};

fn report(env: &Env, repo: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "report",
        repo.to_str().expect("utf-8"),
        "--since",
        "2024-01-01",
        "--until",
        "2025-01-01",
    ];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn keys(list: &Value) -> Vec<(String, u64)> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            (
                p["key"].as_str().unwrap_or_default().to_owned(),
                p["contributions"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn postgres_authors_come_from_author_lines() {
    let env = Env::new();
    let repo = env.fixture("make_conventions.sh", "postgres");
    let mined = env.mine_json(&[repo.to_str().expect("utf-8")]);
    let found: Vec<(&str, u64)> = mined["conventions"]
        .as_array()
        .expect("conventions")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or_default(),
                c["commits"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("author-lines", 4),
            ("reviewed-by", 3),
            ("discussion-links", 2)
        ]
    );

    let r = report(&env, &repo, &[]);
    let m = &r["metrics"];
    // Credits: Korotkov (#1, #2, and #4 by his bare name, the one person of that name),
    // Jane (#2, #5), Peter (#3, his own), "Nobody Known" (#5, a person of his own by name).
    assert_eq!(m["bus_factor"]["details"]["contributions"], 7);
    assert_eq!(
        keys(&m["bus_factor"]["details"]["people"]),
        [
            ("aekorotkov@gmail.com".to_owned(), 3),
            ("jane@example.org".to_owned(), 2)
        ]
    );
    // 3 of 7 < 50%, 5 of 7 ≥ 50%.
    assert_eq!(m["bus_factor"]["value"], 2.0);
    assert_eq!(m["contributors"]["value"], 4.0);
    assert_eq!(
        m["bus_factor"]["definition"]["parameters"]["authors"]["commits_credited_from_messages"],
        4
    );
    assert_eq!(r["repositories"][0]["commits_credited_from_messages"], 4);
    // Reviews: Simon Riggs and Alvaro Herrera (names only), Tom, Peter.
    assert_eq!(
        m["reviews"]["details"]["by_person"],
        json!([
            ["name:Alvaro Herrera", 1],
            ["name:Simon Riggs", 1],
            ["peter@eisentraut.org", 1],
            ["tgl@sss.pgh.pa.us", 1]
        ])
    );
    // Tom applied #1, #2 and #5 for others, Peter #4: both maintainers.
    assert_eq!(
        m["maintainers"]["details"]["maintainers"],
        json!(["peter@eisentraut.org", "tgl@sss.pgh.pa.us"])
    );
    // Code files: planner.c (Korotkov added and changed it), own.c (Peter),
    // feature.c (Nobody Known, the first Author: line); guide.md is documentation.
    // Removing Korotkov orphans 1 of 3, then Nobody Known (ties by key) 2 of 3.
    assert_eq!(m["truck_factor"]["value"], 2.0);
    assert_eq!(
        m["truck_factor"]["details"]["removed"],
        json!([["aekorotkov@gmail.com", 1], ["name:Nobody Known", 1]])
    );
    assert_eq!(r["people"]["name:Nobody Known"], "Nobody Known");

    // The table says how the commits were credited.
    let out = env.run(&[
        "report",
        repo.to_str().expect("utf-8"),
        "--since",
        "2024-01-01",
        "--until",
        "2025-01-01",
    ]);
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("4 commits credited to the people of their Author: lines"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_convention_turned_off_in_the_configuration() {
    let env = Env::new();
    let repo = env.fixture("make_conventions.sh", "postgres");
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        "[[conventions]]\nrepository = \"*/postgres\"\nmessage_authors = false\n",
    )
    .expect("writes");
    let r = report(&env, &repo, &["--config", config.to_str().expect("utf-8")]);
    let m = &r["metrics"];
    // Git authors only: Tom 3 of 5 commits, Peter 2.
    assert_eq!(m["bus_factor"]["value"], 1.0);
    assert_eq!(m["contributors"]["value"], 2.0);
    // Nobody committed someone else's work now.
    assert_eq!(m["maintainers"]["details"]["maintainers"], json!([]));
    assert_eq!(r["repositories"][0]["commits_credited_from_messages"], 0);
}

#[test]
fn kafka_squash_merges_and_reviewers_lines() {
    let env = Env::new();
    let repo = env.fixture("make_conventions.sh", "kafka");
    let mined = env.mine_json(&[repo.to_str().expect("utf-8")]);
    let names: Vec<&str> = mined["conventions"]
        .as_array()
        .expect("conventions")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["reviewers-lines", "github-squash-merges", "tracker-keys"]
    );
    let m = &report(&env, &repo, &[])["metrics"];
    // Alice, Bob (squash-merged by GitHub, a bot) and Jun: one commit each.
    assert_eq!(m["bus_factor"]["value"], 2.0);
    assert_eq!(m["contributors"]["value"], 3.0);
    // `Reviewers:` Jun and Ismael, `Reviewer:` Jun.
    assert_eq!(
        m["reviews"]["details"]["by_person"],
        json!([["junrao@gmail.com", 2], ["ismael@juma.me.uk", 1]])
    );
    // GitHub merged, and it is a bot; Jun pushed his own work: no maintainer by git alone.
    assert_eq!(m["maintainers"]["details"]["maintainers"], json!([]));
}

#[test]
fn flink_this_closes_lands_a_pull_request() {
    let env = Env::new();
    let repo = env.fixture("make_conventions.sh", "flink");
    let mined = env.mine_json(&[repo.to_str().expect("utf-8")]);
    let names: Vec<&str> = mined["conventions"]
        .as_array()
        .expect("conventions")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["this-closes", "tracker-keys"]);
    let m = &report(&env, &repo, &[])["metrics"];
    // Till applied Carol's pull request #301.
    assert_eq!(
        m["maintainers"]["details"]["maintainers"],
        json!(["trohrmann@apache.org"])
    );
    assert_eq!(m["contributors"]["value"], 2.0);
}
