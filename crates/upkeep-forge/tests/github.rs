//! The real GitHub client against a local server: recorded responses from
//! shared/data/forge-fixtures replayed, a synthetic repository served through
//! GraphQL, and faults (304, rate limits, 502, cut-off pages, bad JSON,
//! interruptions).

mod support;

use serde_json::json;
use std::time::Duration;
use support::{Reply, Server, fixture};
use upkeep_core::events::{ActivityKind, ItemKind, LoginLink};
use upkeep_forge::client::{Client, Options};
use upkeep_forge::github::{GitHub, graphql, rest};
use upkeep_forge::token::Token;
use upkeep_forge::{Error, Forge, Memory, RepoRef, Sink};

fn t(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().expect("time").as_second()
}

fn options(server: &Server, token: bool) -> Options {
    let mut o = Options::new(
        &server.base,
        token.then(|| Token::new("secret-token", "GITHUB_TOKEN")),
    );
    o.backoff = Duration::from_millis(10);
    o.secondary_wait = Duration::from_secs(1);
    o
}

fn repo() -> RepoRef {
    RepoRef::parse("o/r").expect("repo")
}

fn sync(server: &Server, token: bool, sink: &mut Memory) -> Result<upkeep_forge::Summary, Error> {
    GitHub::new(options(server, token))?.sync(&repo(), sink, &mut |_| {})
}

#[test]
fn anonymous_sync_replays_recorded_rest_responses() {
    upkeep_testdata::needs_data!();
    let s = Server::start();
    let route = |path: &str, file: &str| s.route(path, vec![Reply::json(200, fixture(file))]);
    route("/repos/o/r", "perceval-github/github_repo");
    route(
        "/repos/o/r/releases?per_page=100",
        "octocrab/repos_releases_list.json",
    );
    route(
        "/repos/o/r/issues?state=all&sort=updated&direction=desc&per_page=1",
        "perceval-github/github_issue_1",
    );
    s.route(
        "/repos/o/r/issues?state=all&sort=updated&direction=asc&per_page=100",
        vec![
            Reply::json(200, fixture("perceval-github/github_issue_1")).header(
                "Link",
                "<https://api.github.com/repos/o/r/issues?state=all&page=2>; rel=\"next\"",
            ),
        ],
    );
    route(
        "/repos/o/r/issues?state=all&page=2",
        "perceval-github/github_issue_2",
    );
    route(
        "/repos/o/r/issues/comments?sort=updated&direction=asc&per_page=100",
        "perceval-github/github_issue_comments_1",
    );
    route(
        "/repos/o/r/pulls/comments?sort=updated&direction=asc&per_page=100",
        "perceval-github/github_request_pull_request_1_comments",
    );
    route(
        "/repos/o/r/issues/events?per_page=100",
        "perceval-github/github_empty_request",
    );
    route(
        "/repos/o/r/pulls/1/reviews?per_page=100",
        "perceval-github/github_request_pull_request_1_reviews",
    );
    route(
        "/repos/o/r/commits?per_page=100",
        "octocrab/pull_request_commits_empty_author_object.json",
    );
    let mut sink = Memory::default();
    let summary = sync(&s, false, &mut sink).expect("syncs");
    assert!(!summary.incomplete);
    // Kubernetes' repository object.
    let meta = sink.meta.clone().expect("meta");
    assert_eq!(
        (
            meta.archived,
            meta.default_branch.as_deref(),
            meta.license.as_deref()
        ),
        (false, Some("master"), Some("Apache-2.0"))
    );
    // Two releases by github-actions[bot].
    let v38 = &sink.releases["v0.38.0"];
    assert_eq!(
        (
            v38.author.as_deref(),
            v38.created,
            v38.published,
            v38.prerelease
        ),
        (
            Some("github-actions[bot]"),
            t("2024-04-09T10:50:07Z"),
            Some(t("2024-04-09T10:50:08Z")),
            false
        )
    );
    assert_eq!(sink.releases.len(), 2);
    // Pull request 1 (open, assigned) and issue 2 (closed), from two pages.
    let one = &sink.items[&1];
    assert_eq!(
        (
            one.kind,
            one.author.as_deref(),
            one.state.as_str(),
            one.created,
            one.closed
        ),
        (
            ItemKind::PullRequest,
            Some("zhquan_example"),
            "open",
            t("2016-02-17T17:33:46Z"),
            None
        )
    );
    assert_eq!(one.assignees, ["zhquan_example"]);
    let two = &sink.items[&2];
    assert_eq!(
        (two.kind, two.closed),
        (ItemKind::Issue, Some(t("2016-03-15T15:09:29Z")))
    );
    assert_eq!(two.labels, ["bug", "v1.1.0"]);
    // One issue comment, two review comments, two reviews (one by a deleted account).
    let comment = &sink.activities["IC1"];
    assert_eq!(
        (
            comment.number,
            comment.kind,
            comment.actor.as_deref(),
            comment.association.as_deref(),
            comment.time
        ),
        (
            1,
            ActivityKind::Comment,
            Some("zhquan_example"),
            Some("COLLABORATOR"),
            t("2016-11-26T11:34:39Z")
        )
    );
    assert_eq!(sink.activities["RC2"].kind, ActivityKind::ReviewComment);
    assert_eq!(sink.activities["RC2"].number, 1);
    let reviews: Vec<(Option<&str>, Option<&str>)> = sink
        .activities
        .values()
        .filter(|a| a.kind == ActivityKind::Review)
        .map(|a| (a.actor.as_deref(), a.detail.as_deref()))
        .collect();
    assert_eq!(
        reviews,
        [
            (None, Some("APPROVED")),
            (Some("zhquan_example"), Some("APPROVED"))
        ]
    );
    // 28 commits: 26 tied to one account (whose noreply address names its old login), 2 with an empty author object.
    assert_eq!(
        sink.links,
        [LoginLink {
            login: "humanbeingonearth".into(),
            name: "Tokernomics".into(),
            email: "88177870+tokernomics@users.noreply.github.com".into()
        }]
    );
    assert_eq!(
        sink.cursor("github.rest.issues.since").as_deref(),
        Some("2016-05-15T15:09:29Z")
    );
    assert_eq!(sink.cursor("github.rest.reviews.pending"), None);
    assert!(
        s.state.lock().expect("state").authorization.is_empty(),
        "anonymous"
    );
}

#[test]
fn recorded_pagination_headers_and_errors() {
    upkeep_testdata::needs_data!();
    let s = Server::start();
    let pages: Vec<serde_json::Value> = serde_json::from_str(&fixture(
        "octokit-fixtures/paginate-issues/normalized-fixture.json",
    ))
    .expect("json");
    for p in &pages {
        let mut reply = Reply::json(200, p["response"].to_string());
        for (k, v) in p["headers"].as_object().expect("headers") {
            if matches!(
                k.as_str(),
                "link" | "etag" | "x-ratelimit-remaining" | "x-ratelimit-reset"
            ) {
                reply = reply.header(k, v.as_str().map_or_else(|| v.to_string(), str::to_owned));
            }
        }
        let path = p["path"].as_str().expect("path");
        // The first page was asked under the repository's name, the others by its id.
        s.route(path, vec![reply]);
    }
    let client = Client::new(options(&s, true)).expect("client");
    let mut numbers = Vec::new();
    let mut next = Some("/repos/octokit-fixture-org/paginate-issues/issues?per_page=3".to_owned());
    while let Some(path) = next {
        let page = client.get(&path, None, &mut |_| {}).expect("page");
        numbers.extend(
            rest::items(&page.body)
                .expect("issues")
                .into_iter()
                .map(|i| i.number),
        );
        next = page.next;
    }
    assert_eq!(numbers, (1..=13).rev().collect::<Vec<u64>>());
    assert_eq!(client.requests(), 5);
    let errors: Vec<serde_json::Value> =
        serde_json::from_str(&fixture("octokit-fixtures/errors/normalized-fixture.json"))
            .expect("json");
    s.route(
        "/repos/octokit-fixture-org/errors/labels",
        vec![Reply::json(422, errors[0]["response"].to_string())],
    );
    match client.get(
        "/repos/octokit-fixture-org/errors/labels",
        None,
        &mut |_| {},
    ) {
        Err(Error::Http(upkeep_http::Error::Status {
            status: 422,
            message,
            ..
        })) => assert_eq!(message, "Validation Failed"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn recorded_graphql_timelines() {
    upkeep_testdata::needs_data!();
    let page = |f: &str, field: &str| -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_str(&fixture(f)).expect("json");
        v["data"]["repository"][field]["timelineItems"]["nodes"].clone()
    };
    let labeled =
        graphql::timeline_activities(&page("perceval-github/github_events_page_1", "issue"), 1)
            .expect("page 1");
    let summary: Vec<(ActivityKind, Option<&str>, i64, Option<&str>)> = labeled
        .iter()
        .map(|a| (a.kind, a.actor.as_deref(), a.time, a.detail.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                ActivityKind::Labeled,
                Some("valeriocos"),
                t("2020-04-07T11:21:12Z"),
                Some("bug")
            ),
            (
                ActivityKind::Labeled,
                Some("valeriocos"),
                t("2020-04-07T11:21:19Z"),
                Some("duplicate")
            ),
        ]
    );
    assert_eq!(labeled[0].id, "MDEyOkxhYmVsZWRFdmVudDMyMDkzOTI3NzU=");
    // Moved-column and cross-reference events are not triage.
    assert!(
        graphql::timeline_activities(&page("perceval-github/github_events_page_2", "issue"), 1)
            .expect("page 2")
            .is_empty()
    );
    let merged = graphql::timeline_activities(
        &page("perceval-github/github_events_page_3", "pullRequest"),
        387,
    )
    .expect("page 3");
    assert_eq!(
        (merged[0].kind, merged[0].actor.as_deref(), merged[0].time),
        (
            ActivityKind::Merged,
            Some("zhquan"),
            t("2020-10-07T18:08:10Z")
        )
    );
    let reviews = graphql::timeline_activities(
        &page(
            "perceval-github/github_events_pull_request_review",
            "pullRequest",
        ),
        387,
    )
    .expect("reviews");
    let states: Vec<Option<&str>> = reviews.iter().map(|a| a.detail.as_deref()).collect();
    assert_eq!(
        states,
        [
            Some("CHANGES_REQUESTED"),
            Some("COMMENTED"),
            Some("APPROVED")
        ]
    );
    assert_eq!(reviews[2].time, t("2020-10-07T18:06:51Z"));
    // A recorded GraphQL error, through the client.
    let s = Server::start();
    s.fault(
        "graphql:pullRequests",
        Reply::json(200, fixture("perceval-github/github_events_error")),
    );
    s.route(
        "/repos/o/r",
        vec![Reply::json(200, fixture("perceval-github/github_repo"))],
    );
    s.route(
        "/repos/o/r/releases?per_page=100",
        vec![Reply::json(200, "[]")],
    );
    s.route(
        "/repos/o/r/issues?state=all&sort=updated&direction=desc&per_page=1",
        vec![Reply::json(200, "[]")],
    );
    s.fault(
        "graphql:meta",
        Reply::json(
            200,
            r#"{"data": {"repository": {"isSecurityPolicyEnabled": false, "fundingLinks": []}}}"#,
        ),
    );
    let err = sync(&s, true, &mut Memory::default()).expect_err("GraphQL error");
    assert_eq!(
        err.to_string(),
        "GraphQL: Parse error on \"=\" (EQUALS) at [7, 80]"
    );
}

#[test]
fn first_run_then_only_what_changed() {
    upkeep_testdata::needs_data!();
    let s = Server::start();
    s.synthetic(120, 30);
    let mut sink = Memory::default();
    let first = sync(&s, true, &mut sink).expect("first run");
    // Repo, its GraphQL extras, private reporting, security advisories,
    // releases, the gate, 2 pages of pull requests, 1 of issues.
    assert_eq!(first.requests, 9);
    assert_eq!((first.items, sink.items.len()), (150, 150));
    // Each pull request: 2 comments, a label, a review with a diff comment, a merge; each issue: 2 comments, a label.
    assert_eq!(sink.activities.len(), 120 * 6 + 30 * 3);
    let pr = &sink.items[&7];
    assert_eq!(
        (
            pr.merged_by.as_deref(),
            pr.author.as_deref(),
            pr.author_association.as_deref()
        ),
        (Some("maint"), Some("user7"), Some("CONTRIBUTOR"))
    );
    assert_eq!(
        sink.meta.as_ref().map(|m| m.funding.clone()),
        Some(vec!["github: https://github.com/sponsors/o".to_owned()])
    );
    assert_eq!(
        s.state.lock().expect("state").authorization[0],
        "Bearer secret-token"
    );
    // Unchanged: three 304s, and the advisories asked again (this server
    // has none: a 404 carries no ETag; GitHub's list answers 304).
    s.clear_log();
    let again = sync(&s, true, &mut sink).expect("second run");
    assert_eq!((again.requests, again.items), (4, 0));
    // Two pull requests and an issue change: one page each.
    s.touch(5, support::EPOCH + 10_000_000);
    s.touch(6, support::EPOCH + 10_000_100);
    s.touch(130, support::EPOCH + 10_000_200);
    let third = sync(&s, true, &mut sink).expect("third run");
    assert_eq!(third.requests, 6);
    // The watermark item is fetched again with the changed ones.
    assert!(third.items <= 5 && third.items >= 3, "{third:?}");
    assert_eq!(
        sink.activities.len(),
        120 * 6 + 30 * 3 + 3,
        "one new comment each, nothing doubled"
    );
}

#[test]
fn rate_limits_server_errors_and_cut_off_pages_are_survived() {
    upkeep_testdata::needs_data!();
    let s = Server::start();
    s.synthetic(60, 0);
    let reset = (jiff::Timestamp::now().as_second() + 1).to_string();
    s.fault(
        "graphql:pullRequests",
        Reply::json(403, r#"{"message": "API rate limit exceeded"}"#)
            .header("X-RateLimit-Remaining", "0")
            .header("X-RateLimit-Reset", reset),
    );
    s.fault("/repos/o/r/releases", Reply::json(502, "bad gateway"));
    s.fault(
        "graphql:issues",
        Reply::json(403, fixture("perceval-github/abuse_rate_limit")).header("Retry-After", "1"),
    );
    let mut waits = Vec::new();
    let mut sink = Memory::default();
    let summary = GitHub::new(options(&s, true))
        .expect("client")
        .sync(&repo(), &mut sink, &mut |p| {
            if let upkeep_forge::Progress::Waiting { seconds, reason } = p {
                waits.push((seconds, reason));
            }
        })
        .expect("survives");
    assert_eq!(sink.items.len(), 60);
    assert_eq!(summary.requests, 8 + 3, "three requests answered again");
    assert!(
        waits
            .iter()
            .any(|(_, r)| r.contains("API rate limit exceeded")),
        "{waits:?}"
    );
    assert!(
        waits.iter().any(|(_, r)| r.contains("abuse detection")),
        "{waits:?}"
    );
    // A page cut off mid-way: an error naming it, nothing stored from it; the next run completes.
    let s = Server::start();
    s.synthetic(60, 0);
    let mut cut = Reply::json(200, r#"[{"tag_name": "v1", "name": "#);
    cut.cut_off = true;
    s.fault("/repos/o/r/releases", cut.clone());
    let mut opts = options(&s, true);
    opts.retries = 0;
    opts.timeout = Duration::from_secs(2);
    let mut sink = Memory::default();
    let err = GitHub::new(opts.clone())
        .expect("client")
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect_err("cut off");
    assert!(err.to_string().contains("/repos/o/r/releases"), "{err}");
    assert!(sink.releases.is_empty() && sink.items.is_empty());
    assert!(sink.meta.is_some(), "the page before was kept");
    // A GraphQL page cut off is asked again at half the size: the sync goes on.
    s.fault("graphql:pullRequests", cut);
    s.clear_log();
    GitHub::new(opts)
        .expect("client")
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect("resumes");
    assert_eq!((sink.items.len(), sink.releases.len()), (60, 2));
    let pages = s
        .log()
        .iter()
        .filter(|l| *l == "graphql:pullRequests")
        .count();
    assert_eq!(pages, 3, "100 (cut off), then 50 and 10");
}

#[test]
fn malformed_json_stores_nothing_from_the_page() {
    upkeep_testdata::needs_data!();
    let s = Server::start();
    s.synthetic(150, 0);
    let mut sink = Memory::default();
    let mut client = GitHub::new(options(&s, true)).expect("client");
    let first_page_then_garbage = {
        let mut opts = options(&s, true);
        opts.max_requests = Some(7);
        opts
    };
    let summary = GitHub::new(first_page_then_garbage)
        .expect("client")
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect("capped");
    assert!(summary.incomplete);
    assert_eq!(sink.items.len(), 100, "one page of 100 before the cap");
    // The next page of pull requests is not the JSON expected.
    s.fault(
        "graphql:pullRequests",
        Reply::json(
            200,
            "{\"data\": {\"repository\": {\"pullRequests\": {\"nodes\": [}",
        ),
    );
    let err = client
        .sync(&repo(), &mut sink, &mut |_| {})
        .expect_err("malformed");
    assert!(matches!(err, Error::Json { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("nothing from this page was stored"),
        "{err}"
    );
    assert_eq!(sink.items.len(), 100);
    // The run after resumes from the cursor of the last page stored.
    sync(&s, true, &mut sink).expect("resumes");
    assert_eq!(sink.items.len(), 150);
}

#[test]
fn an_interrupted_run_resumes_without_loss_or_doubles() {
    upkeep_testdata::needs_data!();
    let s = Server::start();
    s.synthetic(180, 70);
    let mut whole = Memory::default();
    sync(&s, true, &mut whole).expect("whole");
    // Batches: metadata, releases, pull-request pages 1 and 2 (this one fails), …
    let mut cut = Memory {
        fail_at: Some(3),
        ..Memory::default()
    };
    let err = sync(&s, true, &mut cut).expect_err("interrupted");
    assert!(matches!(err, Error::Sink(_)));
    let stored = cut.items.len();
    assert_eq!(stored, 100);
    cut.fail_at = None;
    s.clear_log();
    sync(&s, true, &mut cut).expect("resumed");
    assert_eq!(cut.items, whole.items);
    assert_eq!(cut.activities, whole.activities);
    // The resumed run did not start over: fewer pull-request pages than the 4 of a whole run.
    let pages = s
        .log()
        .iter()
        .filter(|l| *l == "graphql:pullRequests")
        .count();
    assert!(pages < 4, "{pages}");
}

#[test]
fn a_missing_repository_and_a_hidden_token() {
    let s = Server::start();
    let err = sync(&s, true, &mut Memory::default()).expect_err("404");
    assert_eq!(
        err.to_string(),
        "o/r was not found on the forge (or is private and the token cannot see it)"
    );
    let o = options(&s, true);
    assert!(!format!("{o:?}").contains("secret-token"));
}

#[test]
fn a_timeline_longer_than_a_page_is_fetched_to_its_end() {
    upkeep_testdata::needs_data!();
    let s = Server::start();
    s.synthetic(3, 0);
    // Pull request 2 has 250 comments: its timeline (254 entries) takes three pages.
    s.state.lock().expect("state").items[1].comments = 250;
    let mut sink = Memory::default();
    sync(&s, true, &mut sink).expect("syncs");
    let of_two = sink.activities.values().filter(|a| a.number == 2).count();
    // 250 comments, a label, a review, its diff comment and the merge.
    assert_eq!(of_two, 254);
    let more = s.log().iter().filter(|l| *l == "graphql:timeline").count();
    assert_eq!(more, 2, "two more pages of one timeline");
}

#[test]
fn reviews_beyond_the_first_page_are_fetched_and_cost_points_not_requests() {
    upkeep_testdata::needs_data!();
    let s = Server::start();
    s.synthetic(3, 0);
    // Pull request 2 has 25 reviews by maint (an hour apart), each with one
    // diff comment: 20 come with the page, 5 in one more query.
    let at = support::EPOCH + 2 * 3600;
    let reviews = (0..25)
        .map(|k| {
            let time = support::time(at + k * 3600);
            json!({"eventType": "PullRequestReview", "id": format!("R2-{k}"), "createdAt": time, "submittedAt": time,
                   "state": "COMMENTED", "author": support::actor("maint"), "authorAssociation": "MEMBER",
                   "comments": {"nodes": [{"id": format!("R2-{k}-c"), "createdAt": time, "publishedAt": time, "author": support::actor("maint")}]}})
        })
        .collect();
    s.edit(2, |pr| pr.reviews = Some(reviews));
    let mut sink = Memory::default();
    let summary = sync(&s, true, &mut sink).expect("syncs");
    let of_two = sink.activities.values().filter(|a| a.number == 2).count();
    // 2 comments, a label, 25 reviews with 25 diff comments, the merge.
    assert_eq!(of_two, 54);
    let more = s.log().iter().filter(|l| *l == "graphql:reviews").count();
    assert_eq!(more, 1, "one more page of one pull request's reviews");
    // Points: the page of pull requests 25 (1 + 5 × 100 + 100 × 20 = 2,501
    // → 25), the page of issues 3, the reviews' second page 1 (1 + 100).
    assert_eq!(summary.points, 29);
}
