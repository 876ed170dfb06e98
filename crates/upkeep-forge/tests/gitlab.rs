//! The GitLab client against a local server replaying recorded GitLab v4
//! answers for fdroid/fdroiddata (../shared/data/forge-fixtures/perceval-gitlab/),
//! and the scenarios the recordings lack.

mod support;

use std::time::Duration;
use support::{Reply, Server, fixture};
use upkeep_core::events::{ActivityKind, ItemKind};
use upkeep_forge::client::{Client, Options};
use upkeep_forge::gitlab::GitLab;
use upkeep_forge::token::Token;
use upkeep_forge::{Forge, Memory, RepoRef};

const BASE: &str = "/projects/fdroid%2Ffdroiddata";
const LIST: &str = "?state=all&scope=all&order_by=updated_at&sort=asc&per_page=100";

fn gitlab(server: &Server, token: bool) -> GitLab {
    let mut options = Options::new(
        &server.base,
        token.then(|| Token::new("gl-secret", "GITLAB_TOKEN")),
    );
    options.backoff = Duration::from_millis(10);
    options.timeout = Duration::from_secs(2);
    GitLab::new(Client::new(options).expect("a client"))
}

fn repo() -> RepoRef {
    RepoRef::parse("fdroid/fdroiddata").expect("a path")
}

fn page(name: &str, next: Option<&str>, server: &Server) -> Reply {
    let reply = Reply::json(200, fixture(&format!("perceval-gitlab/{name}")));
    match next {
        Some(path) => reply.header("Link", format!("<{}{path}>; rel=\"next\"", server.base)),
        None => reply,
    }
}

/// The project as recorded: two pages of merge requests (whose list entries
/// are bare: their details are asked), two of issues with their notes.
fn serve(server: &Server) {
    let route = |path: String, reply: Reply| server.route(&path, vec![reply]);
    route(
        format!("{BASE}?license=true"),
        page("project", None, server),
    );
    route(
        format!("{BASE}/members/all?per_page=100"),
        Reply::json(403, r#"{"message": "403 Forbidden"}"#),
    );
    route(
        format!("{BASE}/releases?per_page=100"),
        page("empty_response", None, server),
    );
    let mrs = format!("{BASE}/merge_requests{LIST}");
    route(
        mrs.clone(),
        page("merge_page_1", Some(&format!("{mrs}&page=2")), server),
    );
    route(format!("{mrs}&page=2"), page("merge_page_2", None, server));
    for n in 1..=3 {
        route(
            format!("{BASE}/merge_requests/{n}"),
            page(&format!("merge_{n}"), None, server),
        );
        route(
            format!("{BASE}/merge_requests/{n}/notes?per_page=100&sort=asc"),
            page("empty_response", None, server),
        );
    }
    let issues = format!("{BASE}/issues{LIST}");
    route(
        issues.clone(),
        page("issue_page_1", Some(&format!("{issues}&page=2")), server),
    );
    route(
        format!("{issues}&page=2"),
        page("issue_page_2", None, server),
    );
    for n in 1..=4 {
        route(
            format!("{BASE}/issues/{n}/notes?per_page=100&sort=asc"),
            page(&format!("notes_{n}"), None, server),
        );
    }
    // The merge requests' notes hold no approval: their approvals are asked (!1: one).
    route(
        format!("{BASE}/merge_requests/1/approvals"),
        Reply::json(
            200,
            r#"{"approved_by": [{"user": {"username": "ciaranG"}}]}"#,
        ),
    );
}

#[test]
fn a_project_with_merge_requests_issues_and_notes() {
    upkeep_testdata::needs_data!();
    let server = Server::start();
    serve(&server);
    let mut sink = Memory::default();
    let summary = gitlab(&server, false)
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect("syncs");
    // 3 merge requests and 4 issues, numbered apart (issues in tracker `#`).
    assert_eq!(summary.items, 7);
    assert!(sink.items.values().all(|i| i.kind == ItemKind::PullRequest));
    assert_eq!(sink.items.len(), 3);
    let issues: Vec<(String, u64)> = sink.tracked.keys().cloned().collect();
    assert_eq!(
        issues,
        [
            ("#".to_owned(), 1),
            ("#".to_owned(), 2),
            ("#".to_owned(), 3),
            ("#".to_owned(), 4)
        ]
    );
    let mr = &sink.items[&1];
    assert_eq!(mr.author.as_deref(), Some("redfish64"));
    // Merged (an old GitLab: no merged_at, the last update stands in), closed then too.
    assert_eq!(mr.merged, mr.closed);
    assert!(mr.merged.is_some());
    assert_eq!(mr.tracker, None);
    let review = sink
        .activities
        .values()
        .find(|a| a.kind == ActivityKind::Review)
        .expect("!1's approval");
    assert_eq!(
        (review.number, review.actor.as_deref(), Some(review.time)),
        (1, Some("ciaranG"), mr.merged)
    );
    let notes: Vec<(u64, ActivityKind, Option<&str>)> = sink
        .activities
        .values()
        .filter(|a| a.tracker.is_some())
        .map(|a| (a.number, a.kind, a.actor.as_deref()))
        .collect();
    // Issue 1: a system note ("moved to …": not counted) and a comment; issue 2: a
    // comment; issues 3 and 4: system "closed" notes.
    assert_eq!(
        notes,
        [
            (1, ActivityKind::Comment, Some("redfish64")),
            (2, ActivityKind::Comment, Some("redfish64")),
            (3, ActivityKind::Closed, Some("YoeriNijs")),
            (4, ActivityKind::Closed, Some("YoeriNijs")),
        ]
    );
    // Everything but the approval is the issues'.
    assert_eq!(
        sink.activities
            .values()
            .filter(|a| a.tracker.is_none())
            .count(),
        1
    );
    assert_eq!(
        sink.meta.as_ref().and_then(|m| m.default_branch.as_deref()),
        Some("master")
    );
    // Members cannot be read anonymously: no one has write access by the forge's word.
    assert!(
        sink.items
            .values()
            .chain(sink.tracked.values())
            .all(|i| i.author_association.as_deref() == Some("CONTRIBUTOR"))
    );
    let four = &sink.tracked[&("#".to_owned(), 4)];
    assert_eq!(four.labels, ["CI/CD", "Deliverable"]);
    assert_eq!(four.author.as_deref(), Some("YoeriNijs"));
    assert!(
        sink.cursors
            .contains_key("gitlab.merge_requests.updated_after")
    );
    assert!(sink.cursors.contains_key("gitlab.issues.updated_after"));

    // Unchanged (the project's last activity has not moved): one request.
    server.clear_log();
    let again = gitlab(&server, false)
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect("syncs");
    assert_eq!((again.requests, again.items), (1, 0));
    assert_eq!(server.log(), vec![format!("{BASE}?license=true")]);
}

#[test]
fn a_private_project_without_a_token_says_so_and_a_token_is_sent() {
    let server = Server::start();
    server.route(
        &format!("{BASE}?license=true"),
        vec![Reply::json(404, r#"{"message": "404 Project Not Found"}"#)],
    );
    let err = gitlab(&server, false)
        .sync(&repo(), &mut Memory::default(), &mut |_| {})
        .expect_err("private");
    assert!(err.to_string().contains("GITLAB_TOKEN"), "{err}");
    let _ = gitlab(&server, true).sync(&repo(), &mut Memory::default(), &mut |_| {});
    let seen = server.state.lock().expect("state").authorization.clone();
    assert!(seen.iter().any(|a| a == "Bearer gl-secret"), "{seen:?}");
}

#[test]
fn maintainers_are_the_members_with_maintainer_access() {
    upkeep_testdata::needs_data!();
    let server = Server::start();
    serve(&server);
    // With a token that can read them: redfish64 is a Maintainer (40), YoeriNijs a Developer (30).
    server.route(
        &format!("{BASE}/members/all?per_page=100"),
        vec![Reply::json(
            200,
            r#"[{"username": "redfish64", "access_level": 40}, {"username": "YoeriNijs", "access_level": 30}]"#,
        )],
    );
    let mut sink = Memory::default();
    gitlab(&server, true)
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect("syncs");
    assert_eq!(sink.items[&1].author_association.as_deref(), Some("MEMBER"));
    let three = &sink.tracked[&("#".to_owned(), 3)];
    assert_eq!(three.author_association.as_deref(), Some("CONTRIBUTOR"));
    let comment = sink
        .activities
        .values()
        .find(|a| a.number == 1 && a.tracker.as_deref() == Some("#"))
        .expect("issue 1's comment");
    assert_eq!(comment.association.as_deref(), Some("MEMBER"));
}
