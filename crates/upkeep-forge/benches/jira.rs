//! Requests per 100 JIRA issues: the real client against a local JIRA
//! (the test server of `tests/support`) serving a synthetic project of 5,000
//! issues, each with two comments and a changelog (assigned, labeled,
//! closed), in pages capped at 50 as JIRA servers cap `maxResults`; for a
//! first run, an unchanged run, and a run after 10 issues changed.
//! `cargo bench -p upkeep-forge --bench jira`

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::{Value, json};
use std::time::Instant;
use upkeep_forge::client::{Client, Options};
use upkeep_forge::jira::{Jira, search_path};
use upkeep_forge::{Forge, Memory, RepoRef};

const ISSUES: u64 = 5000;
const CAP: u64 = 50;
/// 2024-01-01T00:00:00Z.
const EPOCH: i64 = 1_704_067_200;

fn time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S.000+0000").to_string())
        .unwrap_or_default()
}

fn issue(n: u64, updated: i64) -> Value {
    let created = EPOCH + n as i64 * 3600;
    let who = json!({"name": format!("user{}", n % 40)});
    json!({"key": format!("BIG-{n}"), "fields": {
        "summary": format!("issue {n}"), "created": time(created), "updated": time(updated),
        "status": {"name": "Closed"}, "resolutiondate": time(created + 7200), "reporter": who,
        "assignee": {"name": "maint"}, "labels": ["bug"], "components": [],
        "comment": {"startAt": 0, "maxResults": 50, "total": 2, "comments": [
            {"id": format!("{n}1"), "author": {"name": "maint"}, "created": time(created + 600)},
            {"id": format!("{n}2"), "author": who, "created": time(created + 1200)}]}},
        "changelog": {"histories": [
            {"id": format!("{n}a"), "author": {"name": "maint"}, "created": time(created + 1800),
             "items": [{"field": "assignee", "fromString": "", "toString": "Maint", "to": "maint"},
                       {"field": "labels", "fromString": "", "toString": "bug"}]},
            {"id": format!("{n}b"), "author": {"name": "maint"}, "created": time(created + 7200),
             "items": [{"field": "status", "fromString": "Open", "toString": "Closed"}]}]}})
}

/// Routes the pages of `issues` for the query since `since`.
fn serve(server: &support::Server, since: Option<&str>, issues: &[Value]) {
    let total = issues.len() as u64;
    let mut start = 0;
    loop {
        let page: Vec<Value> = issues
            .iter()
            .skip(start as usize)
            .take(CAP as usize)
            .cloned()
            .collect();
        let body = json!({"startAt": start, "maxResults": CAP, "total": total, "issues": page});
        server.route(
            &search_path("BIG", since, start),
            vec![support::Reply::json(200, body.to_string())],
        );
        start += CAP;
        if start >= total {
            return;
        }
    }
}

fn run(server: &support::Server, sink: &mut Memory) -> (u64, u64, f64) {
    let started = Instant::now();
    let options = Options::new(&server.base, None);
    let summary = Jira::new(Client::new(options).expect("client"), "BIG")
        .sync(&RepoRef::parse("o/r").expect("repo"), sink, &mut |_| {})
        .expect("sync");
    (
        summary.requests,
        summary.items,
        started.elapsed().as_secs_f64(),
    )
}

fn main() {
    let server = support::Server::start();
    let issues: Vec<Value> = (1..=ISSUES)
        .map(|n| issue(n, EPOCH + n as i64 * 3600 + 7200))
        .collect();
    serve(&server, None, &issues);
    let mut sink = Memory::default();
    let per_100 = |requests: u64, items: u64| requests as f64 * 100.0 / items.max(1) as f64;
    let (requests, items, seconds) = run(&server, &mut sink);
    println!(
        "first run: {requests} requests for {items} issues ({:.2} per 100; {} activities) in {seconds:.2} s",
        per_100(requests, items),
        sink.activities.len()
    );
    let since = sink
        .cursors
        .get("jira.BIG.updated")
        .cloned()
        .expect("a cursor");
    // Unchanged: the overlap of a day before the newest change holds the last 24 issues.
    let overlap: Vec<Value> = issues[issues.len() - 24..].to_vec();
    serve(&server, Some(&since), &overlap);
    server.clear_log();
    let (requests, items, _) = run(&server, &mut sink);
    println!("unchanged: {requests} requests, {items} issues refetched");
    // 10 issues change an hour after the newest: the overlap and the 10.
    let newest = EPOCH + ISSUES as i64 * 3600 + 7200;
    let since = sink
        .cursors
        .get("jira.BIG.updated")
        .cloned()
        .expect("a cursor");
    let mut changed = overlap.clone();
    changed.extend((1..=10).map(|n| issue(n, newest + 3600)));
    serve(&server, Some(&since), &changed);
    let (requests, items, _) = run(&server, &mut sink);
    println!(
        "10 changed: {requests} requests, {items} issues refetched ({} stored, nothing doubled)",
        sink.tracked.len()
    );
}
