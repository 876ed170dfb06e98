//! The JIRA client against a local server replaying recorded JIRA REST v2
//! answers (../shared/data/forge-fixtures/perceval-jira/ and
//! grimoirelab-elk/jira.json), and the faults the recordings lack.

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use support::{Reply, Server, fixture};
use upkeep_core::events::ActivityKind;
use upkeep_forge::client::{Client, Options};
use upkeep_forge::jira::{Jira, search_path};
use upkeep_forge::{Forge, Memory, RepoRef};

fn jira(server: &Server, project: &str) -> Jira {
    let mut options = Options::new(&server.base, None);
    options.backoff = Duration::from_millis(10);
    // A cut-off page ends when the connection times out.
    options.timeout = Duration::from_secs(2);
    Jira::new(Client::new(options).expect("a client"), project)
}

fn repo() -> RepoRef {
    RepoRef::parse("apache/kafka").expect("a name")
}

/// 2016-03-03T14:30:17Z.
const HELP_6042_RESOLVED: i64 = 1_457_015_417;

#[test]
fn a_project_in_pages_the_server_caps() {
    upkeep_testdata::needs_data!();
    let server = Server::start();
    // Asked for 100 a page, the server answers with 2 (its maxResults) of 3.
    server.route(
        &search_path("HELP", None, 0),
        vec![Reply::json(
            200,
            fixture("perceval-jira/jira_issues_page_1.json"),
        )],
    );
    server.route(
        &search_path("HELP", None, 2),
        vec![Reply::json(
            200,
            fixture("perceval-jira/jira_issues_page_2.json"),
        )],
    );
    let mut sink = Memory::default();
    let summary = jira(&server, "help")
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect("syncs");
    assert_eq!((summary.items, summary.requests), (3, 2));
    let numbers: Vec<u64> = sink.tracked.keys().map(|(_, n)| *n).collect();
    assert_eq!(numbers, [6041, 6042, 6043]);
    let open = &sink.tracked[&("HELP".to_owned(), 6043)];
    assert_eq!(open.tracker.as_deref(), Some("HELP"));
    assert_eq!(open.author.as_deref(), Some("jira:user2"));
    assert_eq!(open.assignees, ["jira:user1"]);
    assert_eq!(open.labels, ["component:FIWARE-LAB-HELP"]);
    assert_eq!((open.state.as_str(), open.closed), ("open", None));
    // 2016-03-03T13:40:01.000+0000.
    assert_eq!(open.created, 1_457_012_401);
    let done = &sink.tracked[&("HELP".to_owned(), 6042)];
    assert_eq!(
        (done.state.as_str(), done.closed),
        ("closed", Some(HELP_6042_RESOLVED))
    );
    // The next sync starts a day before the newest change seen (JQL reads the server's time zone).
    assert_eq!(
        sink.cursors.get("jira.HELP.updated").map(String::as_str),
        Some("2016/03/02 14:32")
    );
    assert!(!sink.cursors.contains_key("jira.HELP.start"));

    // Unchanged: one request, answered with the same three (nothing doubles).
    server.route(
        &search_path("HELP", Some("2016/03/02 14:32"), 0),
        vec![Reply::json(
            200,
            json!({"startAt": 0, "maxResults": 50, "total": 0, "issues": []}).to_string(),
        )],
    );
    server.clear_log();
    let again = jira(&server, "HELP")
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect("syncs");
    assert_eq!((again.items, again.requests), (0, 1));
    assert_eq!(sink.tracked.len(), 3);
}

/// grimoirelab-elk's five real issues with changelogs, as one search page; the
/// first one is given 3 comments (on two pages of their own: perceval's
/// recorded comment pages) beyond the none its search page holds.
fn elk_page() -> String {
    let items: Vec<Value> =
        serde_json::from_str(&fixture("grimoirelab-elk/jira.json")).expect("json");
    let mut issues: Vec<Value> = items
        .into_iter()
        .map(|i| i["data"].clone())
        .filter(|d| d.get("fields").is_some())
        .collect();
    issues[0]["fields"]["comment"] =
        json!({"startAt": 0, "maxResults": 0, "total": 3, "comments": []});
    json!({"startAt": 0, "maxResults": 50, "total": issues.len(), "issues": issues}).to_string()
}

#[test]
fn changelogs_and_comment_pages() {
    upkeep_testdata::needs_data!();
    let server = Server::start();
    server.route(
        &search_path("CONTRIB", None, 0),
        vec![Reply::json(200, elk_page())],
    );
    server.route(
        "/rest/api/2/issue/CONTRIB-5/comment?startAt=0&maxResults=100",
        vec![Reply::json(
            200,
            fixture("perceval-jira/jira_comments_issue_page_1.json"),
        )],
    );
    server.route(
        "/rest/api/2/issue/CONTRIB-5/comment?startAt=2&maxResults=100",
        vec![Reply::json(
            200,
            fixture("perceval-jira/jira_comments_issue_page_2.json"),
        )],
    );
    let mut sink = Memory::default();
    jira(&server, "CONTRIB")
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect("syncs");
    assert_eq!(sink.tracked.len(), 4);
    // CONTRIB-10: reported by peter, assigned by peter to aaron at 2018-05-22T01:31:30.536+0200.
    let assigned: Vec<(u64, Option<&str>, i64, Option<&str>)> = sink
        .activities
        .values()
        .filter(|a| a.kind == ActivityKind::Assigned)
        .map(|a| (a.number, a.actor.as_deref(), a.time, a.detail.as_deref()))
        .collect();
    assert_eq!(assigned.len(), 2);
    assert!(
        assigned.contains(&(10, Some("jira:peter"), 1_526_945_490, Some("aaron"))),
        "{assigned:?}"
    );
    // No status of these workflows closes an issue.
    assert!(
        !sink
            .activities
            .values()
            .any(|a| a.kind == ActivityKind::Closed)
    );
    // Comments 10022 and 10024 (the second page repeats both): two, not four.
    let comments: Vec<&str> = sink
        .activities
        .values()
        .filter(|a| a.kind == ActivityKind::Comment)
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(
        comments,
        ["jira:CONTRIB:comment:10022", "jira:CONTRIB:comment:10024"]
    );
    assert_eq!(
        sink.tracked[&("CONTRIB".to_owned(), 5)].author.as_deref(),
        Some("jira:maoo")
    );
}

#[test]
fn rate_limits_server_errors_and_an_interrupted_run() {
    upkeep_testdata::needs_data!();
    let server = Server::start();
    server.route(
        &search_path("HELP", None, 0),
        vec![
            Reply::json(429, r#"{"message": "Rate limit exceeded"}"#).header("Retry-After", "1"),
            Reply::json(200, fixture("perceval-jira/jira_issues_page_1.json")),
        ],
    );
    server.route(
        &search_path("HELP", None, 2),
        vec![
            Reply::json(502, "bad gateway"),
            Reply::json(200, fixture("perceval-jira/jira_issues_page_2.json")),
        ],
    );
    // The second page cannot be stored: the run stops after the first.
    let mut sink = Memory {
        fail_at: Some(1),
        ..Memory::default()
    };
    let err = jira(&server, "HELP").sync(&repo(), &mut sink, &mut |_| {});
    assert!(err.is_err());
    assert_eq!(sink.tracked.len(), 2);
    assert_eq!(
        sink.cursors.get("jira.HELP.start").map(String::as_str),
        Some("2")
    );
    // Resumed: only the rest is asked for, nothing doubles.
    sink.fail_at = None;
    server.clear_log();
    let summary = jira(&server, "HELP")
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect("resumes");
    assert_eq!(summary.items, 1);
    assert_eq!(sink.tracked.len(), 3);
    assert_eq!(server.log(), vec![search_path("HELP", None, 2)]);
}

#[test]
fn a_cut_off_page_stores_nothing_and_a_private_project_says_what_to_do() {
    upkeep_testdata::needs_data!();
    let server = Server::start();
    let mut cut = Reply::json(200, fixture("perceval-jira/jira_issues_page_1.json"));
    cut.cut_off = true;
    server.route(&search_path("HELP", None, 0), vec![cut]);
    let mut sink = Memory::default();
    assert!(
        jira(&server, "HELP")
            .sync(&repo(), &mut sink, &mut |_| {})
            .is_err()
    );
    assert!(sink.tracked.is_empty() && sink.cursors.is_empty());

    server.route(
        &search_path("SECRET", None, 0),
        vec![Reply::json(
            400,
            r#"{"errorMessages": ["The value 'SECRET' does not exist for the field 'project'."], "errors": {}}"#,
        )],
    );
    let err = jira(&server, "SECRET")
        .sync(&repo(), &mut Memory::default(), &mut |_| {})
        .expect_err("no such project");
    let text = err.to_string();
    assert!(
        text.contains("JIRA project SECRET") && text.contains("JIRA_TOKEN"),
        "{text}"
    );
}
