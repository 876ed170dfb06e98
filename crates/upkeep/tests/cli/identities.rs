//! `upkeep affiliations import` and `upkeep identities` end to end, on the
//! real CNCF gitdm files in shared/data and the history of `make_people.sh`.

use crate::common;

use common::{Env, stderr};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

fn gitdm_files() -> Vec<String> {
    let dir = upkeep_testdata::path("affiliations/cncf-gitdm");
    let mut files: Vec<String> = (1..=7)
        .map(|i| format!("developers_affiliations{i}.txt"))
        .chain(["domain-map", "aliases", "merged-company-names-mapping"].map(String::from))
        .map(|f| dir.join(f).to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// A database with the real gitdm data imported and `make_people.sh` mined,
/// built once and copied for each test.
fn people() -> (Env, PathBuf) {
    static TEMPLATE: OnceLock<(Env, PathBuf)> = OnceLock::new();
    let (template, repo) = TEMPLATE.get_or_init(build_people);
    let env = Env::new();
    if env.on_postgres() {
        let mut copy = env.command(&["db", "copy", "--from"]);
        copy.arg(template.store()).arg("--to").arg(env.store());
        let out = copy.output().expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
    } else {
        std::fs::copy(template.db(), env.db()).expect("copies the database");
    }
    (env, repo.clone())
}

fn build_people() -> (Env, PathBuf) {
    let env = Env::new();
    let mut args = vec!["affiliations", "import"];
    let files = gitdm_files();
    args.extend(files.iter().map(String::as_str));
    let out = env.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("imported 45988 developers (290609 ranges), 772 domain rules, 203 aliases, 2859 company names"),
        "{stdout}"
    );
    let repo = env.fixture("make_people.sh", "people");
    env.mine_json(&[repo.to_str().expect("utf-8")]);
    (env, repo)
}

fn json(env: &Env, args: &[&str]) -> Value {
    env.json(args)
}

/// (first day, last day, organization, source, commits) of each stint.
fn stints(shown: &Value) -> Vec<(String, String, String, String, u64)> {
    shown[0]["organizations"]
        .as_array()
        .expect("organizations")
        .iter()
        .map(|s| {
            (
                s["first"].as_str().unwrap_or_default().to_owned(),
                s["last"].as_str().unwrap_or_default().to_owned(),
                s["organization"].as_str().unwrap_or("unknown").to_owned(),
                s["source"].as_str().unwrap_or("-").to_owned(),
                s["contributions"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn s(
    first: &str,
    last: &str,
    org: &str,
    source: &str,
    n: u64,
) -> (String, String, String, String, u64) {
    (first.into(), last.into(), org.into(), source.into(), n)
}

#[test]
fn gitdm_ranges_before_and_after_each_change() {
    upkeep_testdata::needs_data!();
    let (env, _repo) = people();
    // 00r2: PerkinElmer Inc. until 2014-08-01; Independent from 2014-08-01 until 2015-10-01;
    // PwC from 2015-10-01 until 2020-01-01; Simplebet Inc. from 2020-01-01.
    let ryan = json(
        &env,
        &["identities", "show", "00r2@users.noreply.github.com"],
    );
    assert_eq!(
        stints(&ryan),
        vec![
            s("2014-07-31", "2014-07-31", "PerkinElmer Inc.", "gitdm", 1),
            s("2014-08-01", "2014-08-01", "Independent", "gitdm", 1),
            s("2015-10-01", "2015-10-01", "PwC", "gitdm", 1),
            s("2020-01-01", "2020-01-01", "Simplebet Inc.", "gitdm", 1),
        ]
    );
    assert_eq!(ryan[0]["logins"], serde_json::json!(["00r2"]));

    // simonswine has eight addresses in gitdm; two of them committed here.
    let picsolve = json(&env, &["identities", "show", "cs@f03.eu"]);
    assert_eq!(
        stints(&picsolve),
        vec![
            s("2016-03-31", "2016-03-31", "Picsolve", "gitdm", 1),
            s("2016-04-01", "2016-04-01", "Jetstack Ltd", "gitdm", 1),
        ]
    );
    let grafana = json(&env, &["identities", "show", "christian.simon@grafana.com"]);
    assert_eq!(
        stints(&grafana),
        vec![
            s("2020-06-30", "2020-06-30", "Jetstack Ltd", "gitdm", 1),
            s("2020-07-01", "2020-07-01", "Grafana Labs", "gitdm", 1),
        ]
    );

    // jrnp7, found by the login in a noreply address; "Red Hat Inc." is an alias of "Red Hat".
    let jrn = json(&env, &["identities", "show", "login:jrnp7"]);
    assert_eq!(
        stints(&jrn),
        vec![
            s(
                "2020-02-29",
                "2020-02-29",
                "International Business Machines Corporation",
                "gitdm",
                1
            ),
            s("2020-03-01", "2020-03-01", "Red Hat", "gitdm", 1),
        ]
    );
}

#[test]
fn domains_free_mail_bots_and_trailers() {
    upkeep_testdata::needs_data!();
    let (env, _repo) = people();
    let iris = json(&env, &["identities", "show", "iris@us.ibm.com"]);
    assert_eq!(
        stints(&iris),
        vec![s("2021-01-01", "2021-01-01", "IBM", "domain_map", 1)]
    );
    // The Reviewed-by trailer names Iris by address: one person, both names.
    assert_eq!(iris[0]["names"], serde_json::json!(["I. Example", "Iris"]));
    assert_eq!(
        iris[0]["count"], 3,
        "authored, committed, and named in a trailer"
    );

    let gus = json(&env, &["identities", "show", "gus@gmail.com"]);
    assert_eq!(
        stints(&gus),
        vec![s("2021-01-02", "2021-05-01", "unknown", "-", 3)]
    );

    let list = json(&env, &["identities", "list"]);
    let bots: Vec<&str> = list
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["bot"] == true)
        .map(|r| r["key"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(bots, ["49699333+dependabot[bot]@users.noreply.github.com"]);
}

#[test]
fn mailmap_name_only_email_only_and_both() {
    upkeep_testdata::needs_data!();
    let (env, _repo) = people();
    let name_only = json(&env, &["identities", "show", "name.only@example.org"]);
    assert_eq!(name_only[0]["name"], "Name Only Proper");
    let email_only = json(&env, &["identities", "show", "old.address@example.org"]);
    assert_eq!(email_only[0]["key"], "new.address@example.org");
    assert_eq!(email_only[0]["name"], "Email Only");
    let both = json(&env, &["identities", "show", "both.old@example.org"]);
    assert_eq!(both[0]["key"], "both.new@example.org");
    assert_eq!(both[0]["name"], "Both Proper");
}

#[test]
fn same_name_is_suggested_then_merged_or_split_by_decision() {
    upkeep_testdata::needs_data!();
    let (env, _repo) = people();
    let suggestions = json(&env, &["identities", "suggest"]);
    let pairs: Vec<(String, String, f64)> = suggestions
        .as_array()
        .expect("list")
        .iter()
        .map(|x| {
            (
                x["keep"].as_str().unwrap_or_default().to_owned(),
                x["other"].as_str().unwrap_or_default().to_owned(),
                x["confidence"].as_f64().unwrap_or_default(),
            )
        })
        .collect();
    // Sam Lee: 0.5 + 0.2 (both "sam@") = 0.7; Christian Simon: 0.5 (different local parts and domains).
    assert_eq!(
        pairs,
        vec![
            ("sam@a.example".into(), "sam@b.example".into(), 0.7),
            (
                "christian.simon@grafana.com".into(),
                "cs@f03.eu".into(),
                0.5
            ),
        ]
    );
    assert_eq!(
        json(&env, &["identities", "show", "sam lee"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    let merge = env
        .command(&[
            "identities",
            "merge",
            "cs@f03.eu",
            "christian.simon@grafana.com",
            "--note",
            "same person",
        ])
        .current_dir(env.dir.path())
        .output()
        .expect("runs");
    assert!(merge.status.success(), "{}", stderr(&merge));
    let config = std::fs::read_to_string(env.path("upkeep.toml")).expect("written");
    assert_eq!(
        config,
        "[[identities.merge]]\nemails = [\"cs@f03.eu\", \"christian.simon@grafana.com\"]\nnote = \"same person\"\n"
    );
    let christian = json(&env, &["identities", "show", "cs@f03.eu"]);
    assert_eq!(christian.as_array().map(Vec::len), Some(1));
    assert_eq!(
        stints(&christian),
        vec![
            s("2016-03-31", "2016-03-31", "Picsolve", "gitdm", 1),
            s("2016-04-01", "2020-06-30", "Jetstack Ltd", "gitdm", 2),
            s("2020-07-01", "2020-07-01", "Grafana Labs", "gitdm", 1),
        ]
    );

    let unknown = env
        .command(&["identities", "merge", "nobody@nowhere.example", "cs@f03.eu"])
        .current_dir(env.dir.path())
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown)
            .contains("no mined identity has the address or login nobody@nowhere.example")
    );
}

#[test]
fn configuration_affiliations_are_strongest_and_change_mid_history() {
    upkeep_testdata::needs_data!();
    let (env, _repo) = people();
    std::fs::write(
        env.path("upkeep.toml"),
        "# Gus told us.\n[[affiliations]]\nemail = \"gus@gmail.com\"\norganization = \"ACME\"\nuntil = \"2021-03-01\"\n\n\
         [[affiliations]]\nemail = \"gus@gmail.com\"\norganization = \"Initech\"\nfrom = \"2021-03-01\"\n",
    )
    .expect("writes");
    let gus = json(&env, &["identities", "show", "gus@gmail.com"]);
    assert_eq!(
        stints(&gus),
        vec![
            s("2021-01-02", "2021-01-02", "ACME", "config", 1),
            s("2021-03-02", "2021-05-01", "Initech", "config", 2),
        ]
    );
    std::fs::write(
        env.path("upkeep.toml"),
        "[[affiliations]]\nemail = \"x@y.z\"\norganization = \"A\"\nfrom = \"2021-13-01\"\n",
    )
    .expect("writes");
    let bad = env
        .command(&["identities", "list"])
        .current_dir(env.dir.path())
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("`2021-13-01` is not a YYYY-MM-DD date"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn malformed_import_lines_are_reported_and_a_bad_file_imports_nothing() {
    let env = Env::new();
    let dev = env.path("developers_affiliations1.txt");
    std::fs::write(&dev, "alice: alice!example.com\n\tACME until 2020-01-01\nbroken line\n\tInitech from 2020-13-01\n")
        .expect("writes");
    let out = env.run(&["affiliations", "import", dev.to_str().expect("utf-8")]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("developers_affiliations1.txt:3: expected `login: email!domain, …`; skipped"),
        "{err}"
    );
    assert!(
        err.contains(
            "developers_affiliations1.txt:4: `2020-13-01` is not a YYYY-MM-DD date; skipped"
        ),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("imported 1 developers (2 ranges)"));

    let other = env.path("notes.txt");
    std::fs::write(&other, "hello\n").expect("writes");
    let out = env.run(&[
        "affiliations",
        "import",
        dev.to_str().expect("utf-8"),
        other.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a gitdm file upkeep knows"),
        "{}",
        stderr(&out)
    );
}
