//! A local GitHub for tests and benchmarks: a tiny_http server in the test
//! process that answers the real client. It replays recorded responses
//! (routes to canned answers) and serves a synthetic repository through the
//! GraphQL API, with faults injected on demand.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};

use std::sync::{Arc, Mutex};

/// A recorded file from shared/data/forge-fixtures.
pub fn fixture(path: &str) -> String {
    let p = upkeep_testdata::path("forge-fixtures").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// An answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Announce this many more bytes than sent, then close: a cut-off page.
    pub cut_off: bool,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            cut_off: false,
        }
    }

    pub fn header(mut self, k: &str, v: impl Into<String>) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
}

/// A fault to answer the next request whose path contains `.0` with.
pub type Fault = (String, Reply);

/// One synthetic pull request or issue.
#[derive(Clone, Debug)]
pub struct Synthetic {
    pub number: u64,
    pub pull_request: bool,
    pub created: i64,
    pub updated: i64,
    pub comments: u32,
    /// OpenSearch's habit: `untriaged` put on when it opens, taken off by
    /// maint five hours later (and no other label, no comments).
    pub untriaged: bool,
    /// A pull request closed by maint after 4 hours without merging it.
    pub closed_unmerged: bool,
    /// Its author as GraphQL gives it (`{ __typename, login }`), instead of `userN`.
    pub author: Option<Value>,
    /// No one in the project touches it: no label by maint (its comments
    /// are `comments`, its acts `extra`).
    pub quiet: bool,
    /// More timeline entries (comments, labels, closes…).
    pub extra: Vec<Value>,
    /// A pull request's reviews, instead of maint's approval after 3 hours.
    pub reviews: Option<Vec<Value>>,
    /// When a pull request's first commit was authored (2 hours before it opened by default).
    pub first_commit: Option<i64>,
}

/// The server's state.
#[derive(Default)]
pub struct State {
    /// Canned answers by exact path (the last one repeats).
    pub routes: HashMap<String, VecDeque<Reply>>,
    /// Faults, matched in order by path substring.
    pub faults: Vec<Fault>,
    /// The synthetic repository.
    pub items: Vec<Synthetic>,
    /// Every request: method and path (and the GraphQL connection asked).
    pub log: Vec<String>,
    /// Authorization headers seen.
    pub authorization: Vec<String>,
    /// GraphQL points charged so far.
    pub points: u64,
    /// GitHub's rate limit, when set: requests left (one fewer per request,
    /// said in `X-RateLimit-Remaining`) and the reset time.
    pub rate: Option<(u64, i64)>,
}

/// The server.
pub struct Server {
    pub base: String,
    pub state: Arc<Mutex<State>>,
}

pub fn time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .expect("time")
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The first of 2023, when the synthetic repository starts.
pub const EPOCH: i64 = 1_672_531_200;

impl Server {
    pub fn start() -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("binds");
        let base = format!("http://{}", server.server_addr().to_ip().expect("ip"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for mut request in server.incoming_requests() {
                let url = request.url().to_owned();
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let auth = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Authorization"))
                    .map(|h| h.value.to_string());
                let if_none_match = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("If-None-Match"))
                    .map(|h| h.value.to_string());
                let reply = {
                    let mut s = shared.lock().expect("state");
                    s.authorization.extend(auth);
                    let reply = answer(&mut s, &url, &body, if_none_match.as_deref());
                    match &mut s.rate {
                        Some((left, reset)) => {
                            *left = left.saturating_sub(1);
                            // GraphQL's `rateLimit` says the same as the headers.
                            let mut reply = reply;
                            reply.body = reply
                                .body
                                .replace("\"remaining\":4999", &format!("\"remaining\":{left}"));
                            reply
                                .header("X-RateLimit-Remaining", left.to_string())
                                .header("X-RateLimit-Reset", reset.to_string())
                        }
                        None => reply,
                    }
                };
                let mut response = tiny_http::Response::new(
                    tiny_http::StatusCode(reply.status),
                    reply
                        .headers
                        .iter()
                        .map(|(k, v)| {
                            tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes())
                                .expect("header")
                        })
                        .collect(),
                    std::io::Cursor::new(reply.body.clone().into_bytes()),
                    Some(reply.body.len() + if reply.cut_off { 1000 } else { 0 }),
                    None,
                );
                if reply.cut_off {
                    response.add_header(
                        tiny_http::Header::from_bytes("Connection", "close").expect("header"),
                    );
                }
                let _ = request.respond(response);
            }
        });
        Server { base, state }
    }

    /// Serves `reply` at exactly `path` (several: in turn, the last repeating).
    pub fn route(&self, path: &str, replies: Vec<Reply>) {
        self.state
            .lock()
            .expect("state")
            .routes
            .insert(path.into(), replies.into());
    }

    /// Answers the next request whose path (or GraphQL connection) contains `what` with `reply`.
    pub fn fault(&self, what: &str, reply: Reply) {
        self.state
            .lock()
            .expect("state")
            .faults
            .push((what.into(), reply));
    }

    /// A synthetic repository of `prs` pull requests and `issues` issues, one an hour.
    pub fn synthetic(&self, prs: u64, issues: u64) {
        let mut s = self.state.lock().expect("state");
        s.items = (1..=prs + issues)
            .map(|n| Synthetic {
                number: n,
                pull_request: n <= prs,
                created: EPOCH + n as i64 * 3600,
                updated: EPOCH + n as i64 * 3600 + 7200,
                comments: 2,
                untriaged: false,
                closed_unmerged: false,
                author: None,
                quiet: false,
                extra: Vec::new(),
                reviews: None,
                first_commit: None,
            })
            .collect();
        s.routes.insert(
            "/repos/o/r".into(),
            [
                Reply::json(200, fixture("github-openapi-examples/repos-get.json"))
                    .header("ETag", "\"repo-1\""),
            ]
            .into(),
        );
        s.routes.insert(
            "/repos/o/r/releases?per_page=100".into(),
            [
                Reply::json(200, fixture("octocrab/repos_releases_list.json"))
                    .header("ETag", "\"rel-1\""),
            ]
            .into(),
        );
    }

    /// Every issue triaged the OpenSearch way (see [`Synthetic::untriaged`]).
    pub fn untriaged(&self) {
        let mut s = self.state.lock().expect("state");
        for i in s.items.iter_mut().filter(|i| !i.pull_request) {
            i.untriaged = true;
            i.comments = 0;
        }
    }

    /// Pull request `number` closed without a merge (see [`Synthetic::closed_unmerged`]).
    pub fn close_unmerged(&self, number: u64) {
        let mut s = self.state.lock().expect("state");
        if let Some(i) = s.items.iter_mut().find(|i| i.number == number) {
            i.closed_unmerged = true;
        }
    }

    /// Changes item `number` as `change` says.
    pub fn edit(&self, number: u64, change: impl FnOnce(&mut Synthetic)) {
        let mut s = self.state.lock().expect("state");
        let item = s.items.iter_mut().find(|i| i.number == number);
        change(item.expect("a synthetic item of that number"));
    }

    /// GraphQL points spent so far, by GitHub's rule (see `graphql::points`).
    pub fn points(&self) -> u64 {
        self.state.lock().expect("state").points
    }

    /// A change to item `number` at `at`: one more comment.
    pub fn touch(&self, number: u64, at: i64) {
        let mut s = self.state.lock().expect("state");
        if let Some(i) = s.items.iter_mut().find(|i| i.number == number) {
            i.updated = at;
            i.comments += 1;
        }
    }

    pub fn log(&self) -> Vec<String> {
        self.state.lock().expect("state").log.clone()
    }

    pub fn clear_log(&self) {
        self.state.lock().expect("state").log.clear();
    }
}

/// The answer to a request; a GraphQL answer charges the query's points (by
/// GitHub's rule) and says so in its `rateLimit.cost`.
fn answer(s: &mut State, url: &str, body: &str, if_none_match: Option<&str>) -> Reply {
    let graphql: Option<Value> =
        (url == "/graphql").then(|| serde_json::from_str(body).unwrap_or(Value::Null));
    let charged = graphql.as_ref().map(|g| {
        let query = g["query"].as_str().unwrap_or("");
        upkeep_forge::github::graphql::points(query, &g["variables"])
    });
    let mut reply = answer_without_cost(s, url, graphql.as_ref(), if_none_match);
    if let Some(points) = charged {
        s.points += points;
        reply.body = reply
            .body
            .replace("\"cost\":1,", &format!("\"cost\":{points},"));
    }
    reply
}

/// The answer to a request, `graphql` its body when it is a GraphQL query.
fn answer_without_cost(
    s: &mut State,
    url: &str,
    graphql: Option<&Value>,
    if_none_match: Option<&str>,
) -> Reply {
    let query = graphql.and_then(|g| g["query"].as_str()).unwrap_or("");
    let what = if query.contains("pullRequests(") {
        "graphql:pullRequests"
    } else if query.contains("issues(") {
        "graphql:issues"
    } else if query.contains("fundingLinks") {
        "graphql:meta"
    } else if query.contains("reviews(") {
        "graphql:reviews"
    } else if graphql.is_some() {
        "graphql:timeline"
    } else {
        url
    };
    s.log.push(what.to_owned());
    if let Some(i) = s.faults.iter().position(|(f, _)| what.contains(f.as_str())) {
        return s.faults.remove(i).1;
    }
    if let Some(replies) = s.routes.get_mut(url) {
        let reply = if replies.len() > 1 {
            replies.pop_front().expect("reply")
        } else {
            replies[0].clone()
        };
        let etag = reply
            .headers
            .iter()
            .find(|(k, _)| k == "ETag")
            .map(|(_, v)| v.clone());
        if etag.is_some() && etag.as_deref() == if_none_match {
            return Reply::json(304, "");
        }
        return reply;
    }
    if url.starts_with("/repos/o/r/issues?state=all&sort=updated&direction=desc&per_page=1") {
        let latest = s.items.iter().map(|i| i.updated).max().unwrap_or(0);
        let etag = format!("\"gate-{latest}\"");
        if if_none_match == Some(etag.as_str()) {
            return Reply::json(304, "");
        }
        return Reply::json(200, "[]").header("ETag", etag);
    }
    match (what, graphql) {
        ("graphql:pullRequests", Some(g)) => connection(s, g, true),
        ("graphql:issues", Some(g)) => connection(s, g, false),
        ("graphql:timeline", Some(g)) => more_timeline(s, g),
        ("graphql:reviews", Some(g)) => more_reviews(s, g),
        ("graphql:meta", _) => Reply::json(
            200,
            json!({"data": {"repository": {"isSecurityPolicyEnabled": true, "fundingLinks": [{"platform": "GITHUB", "url": "https://github.com/sponsors/o"}]}}}).to_string(),
        ),
        _ => Reply::json(404, r#"{"message": "Not Found"}"#),
    }
}

pub fn actor(login: &str) -> Value {
    json!({ "__typename": "User", "login": login })
}

/// The reviews of a synthetic pull request: maint's approval after 3 hours
/// with one diff comment, unless the item says otherwise.
fn reviews(i: &Synthetic) -> Vec<Value> {
    let n = i.number;
    let at = time(i.created + 3 * 3600);
    i.reviews.clone().unwrap_or_else(|| {
        vec![json!({"eventType": "PullRequestReview", "id": format!("R{n}"), "createdAt": at, "submittedAt": at, "state": "APPROVED", "author": actor("maint"), "authorAssociation": "MEMBER", "comments": {"nodes": [{"id": format!("RC{n}"), "createdAt": at, "publishedAt": at, "author": actor("maint")}]}})]
    })
}

/// Up to `size` entries of `list` from `offset`, as a GraphQL connection.
fn page_of(list: &[Value], offset: usize, size: usize) -> Value {
    let end = (offset + size).min(list.len());
    json!({"pageInfo": {"hasNextPage": end < list.len(), "endCursor": end.to_string()}, "nodes": list[offset.min(end)..end]})
}

/// The item a follow-up query asks more of (`variables.number`), and from
/// where (`variables.after`).
fn asked_item<'a>(s: &'a State, g: &Value) -> Option<(&'a Synthetic, usize)> {
    let vars = &g["variables"];
    let number = vars["number"].as_u64().unwrap_or(0);
    let offset = vars["after"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let item = s.items.iter().find(|i| i.number == number)?;
    Some((item, offset))
}

/// More of one pull request's reviews.
fn more_reviews(s: &State, g: &Value) -> Reply {
    let Some((i, offset)) = asked_item(s, g) else {
        return Reply::json(200, r#"{"data": {"repository": null}}"#);
    };
    let page = page_of(&reviews(i), offset, 100);
    Reply::json(
        200,
        json!({"data": {"rateLimit": {"cost": 1, "remaining": 4999, "resetAt": "2030-01-01T00:00:00Z"}, "repository": {"pullRequest": {"reviews": page}}}}).to_string(),
    )
}

/// The timeline of a synthetic item: its comments by maint, a label an hour
/// after it opens, its extra entries, and for a pull request the merge after
/// 4 hours (its reviews are a connection of their own).
fn timeline(i: &Synthetic, prs: bool) -> Vec<Value> {
    let n = i.number;
    let mut timeline: Vec<Value> = (0..i.comments)
        .map(|c| json!({"eventType": "IssueComment", "id": format!("IC{n}-{c}"), "createdAt": time(i.created + 7200 + i64::from(c) * 60), "author": actor("maint"), "authorAssociation": "MEMBER"}))
        .collect();
    if i.untriaged {
        timeline.push(json!({"eventType": "LabeledEvent", "id": format!("U{n}"), "createdAt": time(i.created + 1800), "actor": actor("triage-helper"), "label": {"name": "untriaged"}}));
        timeline.push(json!({"eventType": "UnlabeledEvent", "id": format!("T{n}"), "createdAt": time(i.created + 5 * 3600), "actor": actor("maint"), "label": {"name": "untriaged"}}));
    } else if !i.quiet {
        timeline.push(json!({"eventType": "LabeledEvent", "id": format!("L{n}"), "createdAt": time(i.created + 3600), "actor": actor("maint"), "label": {"name": "bug"}}));
    }
    timeline.extend(i.extra.iter().cloned());
    if prs {
        let (kind, id) = if i.closed_unmerged {
            ("ClosedEvent", "C")
        } else {
            ("MergedEvent", "M")
        };
        timeline.push(json!({"eventType": kind, "id": format!("{id}{n}"), "createdAt": time(i.created + 4 * 3600), "actor": actor("maint")}));
    }
    timeline
}

/// Up to 100 timeline entries from `offset`, as a GraphQL connection.
fn timeline_page(timeline: &[Value], offset: usize) -> Value {
    page_of(timeline, offset, 100)
}

/// More of one item's timeline.
fn more_timeline(s: &State, g: &Value) -> Reply {
    let Some((i, offset)) = asked_item(s, g) else {
        return Reply::json(200, r#"{"data": {"repository": null}}"#);
    };
    let field = if i.pull_request {
        "pullRequest"
    } else {
        "issue"
    };
    let page = timeline_page(&timeline(i, i.pull_request), offset);
    Reply::json(
        200,
        json!({"data": {"repository": {field: {"timelineItems": page}}}}).to_string(),
    )
}

/// A page of the synthetic pull requests or issues, newest update first.
fn connection(s: &State, g: &Value, prs: bool) -> Reply {
    let vars = &g["variables"];
    let offset: usize = vars["after"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let first = vars["first"].as_u64().unwrap_or(100) as usize;
    let since = vars["since"]
        .as_str()
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_second());
    let mut items: Vec<&Synthetic> = s
        .items
        .iter()
        .filter(|i| i.pull_request == prs && since.is_none_or(|t| i.updated >= t))
        .collect();
    items.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.number.cmp(&a.number)));
    let page: Vec<Value> = items
        .iter()
        .skip(offset)
        .take(first)
        .map(|i| {
            let n = i.number;
            let author = format!("user{}", n % 40);
            let author_node = i.author.clone().unwrap_or_else(|| actor(&author));
            let mut node = json!({
                "number": n, "title": format!("item {n}"),
                "state": match (prs, i.closed_unmerged) { (true, false) => "MERGED", (true, true) => "CLOSED", _ => "OPEN" },
                "createdAt": time(i.created), "updatedAt": time(i.updated), "closedAt": if prs { Value::from(time(i.created + 4 * 3600)) } else { Value::Null },
                "author": author_node, "authorAssociation": "CONTRIBUTOR",
                "labels": {"nodes": [{"name": "bug"}]}, "assignees": {"nodes": []},
            });
            if prs {
                node["isDraft"] = false.into();
                if !i.closed_unmerged {
                    node["mergedAt"] = time(i.created + 4 * 3600).into();
                    node["mergedBy"] = actor("maint");
                }
                let authored = time(i.first_commit.unwrap_or(i.created - 7200));
                node["commits"] = json!({"nodes": [{"commit": {"authoredDate": authored, "author": {"name": format!("User {}", n % 40), "email": format!("user{}@example.com", n % 40), "user": actor(&author)}}}]});
                node["reviews"] = page_of(&reviews(i), 0, 20);
            }
            node["timelineItems"] = timeline_page(&timeline(i, prs), 0);
            node
        })
        .collect();
    let end = offset + page.len();
    let conn = json!({"pageInfo": {"hasNextPage": end < items.len(), "endCursor": end.to_string()}, "nodes": page});
    let key = if prs { "pullRequests" } else { "issues" };
    let mut repo = serde_json::Map::new();
    repo.insert(key.into(), conn);
    Reply::json(
        200,
        json!({"data": {"rateLimit": {"cost": 1, "remaining": 4999, "resetAt": "2030-01-01T00:00:00Z"}, "repository": repo}}).to_string(),
    )
}
