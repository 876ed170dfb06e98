//! Requests per 100 GitLab merge requests: the real client against a local
//! GitLab (the test server of `tests/support`) serving a synthetic project of
//! 2,000 merge requests (each with a comment and an approval note, merged)
//! and 500 issues (each with a comment and a label event), for a first run,
//! an unchanged run, and a run after 10 merge requests changed.
//! `cargo bench -p upkeep-forge --bench gitlab`

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::{Value, json};
use std::time::Instant;
use upkeep_forge::client::{Client, Options};
use upkeep_forge::gitlab::GitLab;
use upkeep_forge::{Forge, Memory, RepoRef};

const MRS: u64 = 2000;
const ISSUES: u64 = 500;
const BASE: &str = "/projects/o%2Fr";
const LIST: &str = "?state=all&scope=all&order_by=updated_at&sort=asc&per_page=100";
/// 2024-01-01T00:00:00Z.
const EPOCH: i64 = 1_704_067_200;

fn time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string())
        .unwrap_or_default()
}

fn item(n: u64, updated: i64, mr: bool) -> Value {
    let created = EPOCH + n as i64 * 3600;
    let mut v = json!({"iid": n, "title": format!("item {n}"), "author": {"username": format!("user{}", n % 40)},
        "created_at": time(created), "updated_at": time(updated), "labels": [], "assignees": []});
    if mr {
        v["state"] = "merged".into();
        v["merged_at"] = time(created + 7200).into();
        v["merge_user"] = json!({"username": "maint"});
    } else {
        v["state"] = "opened".into();
    }
    v
}

fn notes(n: u64, mr: bool) -> String {
    let created = EPOCH + n as i64 * 3600;
    let second = if mr {
        "approved this merge request"
    } else {
        "added ~bug label"
    };
    json!([
        {"id": n * 10 + 1, "body": "Looks good", "system": false, "author": {"username": "maint"}, "created_at": time(created + 600)},
        {"id": n * 10 + 2, "body": second, "system": true, "author": {"username": "maint"}, "created_at": time(created + 1200)}
    ])
    .to_string()
}

/// Routes the list of `items` (`kind`: merge_requests or issues) since `after`.
fn serve_list(server: &support::Server, kind: &str, after: Option<&str>, items: &[Value]) {
    let first = match after {
        Some(a) => format!("{BASE}/{kind}{LIST}&updated_after={a}"),
        None => format!("{BASE}/{kind}{LIST}"),
    };
    let pages: Vec<&[Value]> = if items.is_empty() {
        vec![&[]]
    } else {
        items.chunks(100).collect()
    };
    for (i, page) in pages.iter().enumerate() {
        let path = if i == 0 {
            first.clone()
        } else {
            format!("{first}&page={}", i + 1)
        };
        let mut reply = support::Reply::json(200, Value::Array(page.to_vec()).to_string());
        if i + 1 < pages.len() {
            reply = reply.header(
                "Link",
                format!("<{}{first}&page={}>; rel=\"next\"", server.base, i + 2),
            );
        }
        server.route(&path, vec![reply]);
    }
}

fn run(server: &support::Server, sink: &mut Memory) -> (u64, u64, f64) {
    let started = Instant::now();
    let options = Options::new(&server.base, None);
    let summary = GitLab::new(Client::new(options).expect("client"))
        .sync(&RepoRef::parse("o/r").expect("repo"), sink, &mut |_| {})
        .expect("sync");
    (
        summary.requests,
        summary.items,
        started.elapsed().as_secs_f64(),
    )
}

fn project(server: &support::Server, activity: i64) {
    server.route(
        &format!("{BASE}?license=true"),
        vec![support::Reply::json(200, json!({"archived": false, "default_branch": "main", "last_activity_at": time(activity)}).to_string())],
    );
}

fn main() {
    let server = support::Server::start();
    let newest = EPOCH + MRS as i64 * 3600 + 7200;
    project(&server, newest);
    server.route(
        &format!("{BASE}/members/all?per_page=100"),
        vec![support::Reply::json(200, "[]")],
    );
    server.route(
        &format!("{BASE}/releases?per_page=100"),
        vec![support::Reply::json(200, "[]")],
    );
    let mrs: Vec<Value> = (1..=MRS)
        .map(|n| item(n, EPOCH + n as i64 * 3600 + 7200, true))
        .collect();
    let issues: Vec<Value> = (1..=ISSUES)
        .map(|n| item(n, EPOCH + n as i64 * 3600 + 60, false))
        .collect();
    serve_list(&server, "merge_requests", None, &mrs);
    serve_list(&server, "issues", None, &issues);
    for n in 1..=MRS {
        server.route(
            &format!("{BASE}/merge_requests/{n}/notes?per_page=100&sort=asc"),
            vec![support::Reply::json(200, notes(n, true))],
        );
    }
    for n in 1..=ISSUES {
        server.route(
            &format!("{BASE}/issues/{n}/notes?per_page=100&sort=asc"),
            vec![support::Reply::json(200, notes(n, false))],
        );
        server.route(
            &format!("{BASE}/issues/{n}/resource_label_events?per_page=100"),
            vec![support::Reply::json(200, "[]")],
        );
    }
    let mut sink = Memory::default();
    let (requests, items, seconds) = run(&server, &mut sink);
    println!(
        "first run: {requests} requests for {items} items ({MRS} merge requests, {ISSUES} issues): {:.2} per 100 items, {} activities, {seconds:.2} s",
        requests as f64 * 100.0 / items as f64,
        sink.activities.len()
    );
    server.clear_log();
    let (requests, items, _) = run(&server, &mut sink);
    println!("unchanged: {requests} requests, {items} items");
    // 10 merge requests change an hour after the newest: the project's activity moves.
    project(&server, newest + 3600);
    let after = |kind: &str| {
        sink.cursors
            .get(&format!("gitlab.{kind}.updated_after"))
            .cloned()
            .expect("a cursor")
    };
    let changed: Vec<Value> = (1..=10).map(|n| item(n, newest + 3600, true)).collect();
    serve_list(
        &server,
        "merge_requests",
        Some(&after("merge_requests")),
        &changed,
    );
    serve_list(&server, "issues", Some(&after("issues")), &[]);
    let (requests, items, _) = run(&server, &mut sink);
    println!(
        "10 changed: {requests} requests, {items} items refetched ({} merge requests stored)",
        sink.items.len()
    );
}
