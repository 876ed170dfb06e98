//! Upstreams that record who did what in their own way (`make_conventions.sh`):
//! PostgreSQL's `Author:` lines, Kafka's squash merges with `Reviewers:`,
//! Flink's `This closes #N`, measured over 2024 with figures worked out by hand.

use crate::common;

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

/// The names of the conventions `mine` detects in `repo`.
fn detected(env: &Env, repo: &std::path::Path) -> Vec<String> {
    let mined = env.mine_json(&[repo.to_str().expect("utf-8")]);
    mined["conventions"]
        .as_array()
        .expect("conventions")
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect()
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
    let names = detected(&env, &repo);
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
    let names = detected(&env, &repo);
    assert_eq!(names, ["this-closes", "tracker-keys"]);
    let m = &report(&env, &repo, &[])["metrics"];
    // Till applied Carol's pull request #301.
    assert_eq!(
        m["maintainers"]["details"]["maintainers"],
        json!(["trohrmann@apache.org"])
    );
    assert_eq!(m["contributors"]["value"], 2.0);
}

/// pgsql-hackers in miniature: two patches with their reviews (one of them
/// committed as #1 of `make_conventions.sh`'s postgres history, the other as
/// #2, by their `Discussion:` links), a newcomer's unanswered question, and a
/// message without a Message-ID.
const HACKERS: &str = "From aekorotkov@gmail.com Wed Jan  3 08:00:00 2024
From: Alexander Korotkov <aekorotkov@gmail.com>
Date: Wed, 3 Jan 2024 10:00:00 +0200
Subject: [PATCH v1] Fix planner bug
Message-ID: <CAPpHfd1@mail.gmail.com>

The patch.

From tgl@sss.pgh.pa.us Wed Jan  3 12:00:00 2024
From: Tom Lane <tgl@sss.pgh.pa.us>
Date: Wed, 3 Jan 2024 12:00:00 +0000
Subject: Re: [PATCH v1] Fix planner bug
Message-ID: <tom1@sss.pgh.pa.us>
In-Reply-To: <CAPpHfd1@mail.gmail.com>
References: <CAPpHfd1@mail.gmail.com>

> The patch.
Looks fine.

Reviewed-by: Tom Lane <tgl@sss.pgh.pa.us>

From newbie at example.net Mon Feb  5 09:00:00 2024
From: newbie at example.net (New Person)
Date: Mon, 5 Feb 2024 09:00:00 +0000
Subject: How do I run the tests?
Message-ID: <q1@example.net>

Anyone?

From jane@example.org Tue Feb  6 09:00:00 2024
From: \"Jane Doe\" <jane@example.org>
Date: Tue, 6 Feb 2024 09:00:00 +0000
Subject: [PATCH 1/2] Improve the guide
Message-ID: <abc@example.org>

A patch.

From aekorotkov@gmail.com Tue Feb  6 15:00:00 2024
From: Alexander Korotkov <aekorotkov@gmail.com>
Date: Tue, 6 Feb 2024 15:00:00 +0000
Subject: Re: [PATCH 1/2] Improve the guide
In-Reply-To: <abc@example.org>
Message-ID: <k2@mail.gmail.com>

Nice.

From peter@eisentraut.org Wed Feb  7 15:00:00 2024
From: Peter Eisentraut <peter@eisentraut.org>
Date: Wed, 7 Feb 2024 15:00:00 +0000
Subject: no id

This message has no Message-ID.
";

#[test]
fn a_mailing_list_beside_its_repository() {
    let env = Env::new();
    let repo = env.fixture("make_conventions.sh", "postgres");
    let mbox = env.path("pgsql-hackers.mbox");
    std::fs::write(&mbox, HACKERS).expect("writes");
    let args = [
        "mine",
        repo.to_str().expect("utf-8"),
        "--list",
        mbox.to_str().expect("utf-8"),
    ];
    let mined = env.json(&args);
    let list = &mined["lists"][0];
    assert_eq!(list["new_messages"], 5);
    assert_eq!(list["skipped"], json!({"no Message-ID": 1}));
    // Unchanged: read no more.
    let again = env.json(&args);
    assert_eq!(again["lists"][0]["parts_read"], 0);
    assert_eq!(again["lists"][0]["parts_unchanged"], 1);

    let r = report(&env, &repo, &[]);
    let l = &r["metrics"]["mailing_lists"];
    let d = &l["details"];
    assert_eq!(
        (
            d["posts"].clone(),
            d["threads"].clone(),
            d["people"].clone()
        ),
        (json!(5), json!(3), json!(4))
    );
    // Korotkov 2 of 5, then Jane (ties by key): 3 of 5.
    assert_eq!(l["value"], 2.0);
    assert_eq!(
        d["top_posters"],
        json!([["aekorotkov@gmail.com", 2], ["jane@example.org", 1]])
    );
    // Threads by non-maintainers: Korotkov's patch (Tom after 4 h), the question (never),
    // Jane's patch (Korotkov after 6 h).
    assert_eq!(d["non_maintainer_threads"], 3);
    assert_eq!(d["never_answered"], 1);
    assert_eq!(d["first_reply"]["median_hours"], 5.0);
    // Both patches reviewed on the list, both committed (their Discussion: links).
    assert_eq!(
        (
            d["patches_posted"].clone(),
            d["patches_reviewed"].clone(),
            d["patches_committed"].clone()
        ),
        (json!(2), json!(2), json!(2))
    );
    assert_eq!(
        d["reviewers"],
        json!([["aekorotkov@gmail.com", 1], ["tgl@sss.pgh.pa.us", 1]])
    );
    // The list's senders are the people of the commits (by address): the newcomer
    // `newbie at example.net` is a person of their own.
    assert_eq!(r["people"]["aekorotkov@gmail.com"], "Alexander Korotkov");
    // The funnel counts list posts: the newcomer is in the 2024 cohort.
    let kinds = &r["metrics"]["funnel"]["details"];
    assert!(kinds.to_string().contains("list_post"), "{kinds}");

    // Korotkov works for us: his two list posts are engagement, his review of
    // Jane's patch on the list is a patch reviewed.
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        "[organization]\nname = \"Acme\"\n\n[[organization.people]]\nname = \"Alexander Korotkov\"\nemail = \"aekorotkov@gmail.com\"\n",
    )
    .expect("writes");
    let ledger = env.json(&[
        "contributions",
        repo.to_str().expect("utf-8"),
        "--org",
        "Acme",
        "--period",
        "year",
        "--since",
        "2024-01-01",
        "--until",
        "2025-01-01",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    let kpi = |id: &str| common::kpi(&ledger, id);
    assert_eq!(kpi("engagement")["total"], 2);
    assert_eq!(kpi("engagement")["extra"]["list_posts"], 2);
    assert_eq!(kpi("patches_reviewed")["total"], 1);
    // His three commits by Author: lines are ours too.
    assert_eq!(kpi("commits")["total"], 3);
}

#[test]
fn opensearch_maintainers_table_with_affiliations_and_emeritus() {
    let env = Env::new();
    let repo = env.fixture("make_conventions.sh", "opensearch");
    let m = &report(&env, &repo, &[])["metrics"];
    // The table names reta and janer (their noreply addresses tie the logins to
    // their commits); oldie is under Emeritus.
    let named = json!([
        "12345+reta@users.noreply.github.com",
        "janer@users.noreply.github.com"
    ]);
    assert_eq!(m["maintainers"]["details"]["named"], named);
    assert_eq!(m["maintainers"]["details"]["maintainers"], named);
    // The Affiliation column is the only source of organizations here: Aiven and
    // Amazon one commit each; oldie's (Emeritus) stays unknown: 2 of 3 known.
    assert_eq!(
        m["organizations"]["details"]["commits"]["shares"],
        json!([["Aiven", 1, 0.5], ["Amazon", 1, 0.5]])
    );
    assert_eq!(m["elephant_factor"]["details"]["known_share"], 2.0 / 3.0);
}

#[test]
fn a_project_of_upkeep_toml_names_its_mailing_list() {
    let env = Env::new();
    let repo = env.fixture("make_conventions.sh", "postgres");
    let mbox = env.path("pgsql-hackers.mbox");
    std::fs::write(&mbox, HACKERS).expect("writes");
    let config = env.path("upkeep.toml");
    std::fs::write(
        &config,
        format!(
            "[[projects]]\nname = \"pg\"\nrepositories = [{:?}]\nlists = [{:?}]\n",
            repo.display().to_string(),
            mbox.display().to_string()
        ),
    )
    .expect("writes");
    let r = env.json(&[
        "report",
        "--project",
        "pg",
        "--since",
        "2024-01-01",
        "--until",
        "2025-01-01",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    let d = &r["metrics"]["mailing_lists"]["details"];
    assert_eq!(
        (d["posts"].clone(), d["patches_committed"].clone()),
        (json!(5), json!(2))
    );
}
