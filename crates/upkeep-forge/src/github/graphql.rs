//! GitHub's GraphQL API: pull requests and issues in bulk, each with its whole
//! timeline (comments, reviews with their diff comments, triage events) in
//! the same page, newest update first, so a later run stops at the first item
//! it already has.

use crate::client::Client;
use crate::sink::{Batch, Sink, save};
use crate::time::{rfc3339, seconds_opt};
use crate::{Error, Progress, RepoRef, Summary};
use serde_json::{Value, json};
use upkeep_core::events::{Activity, ActivityKind, ForgeItem, ItemKind, LoginLink, RepoMeta};

/// Items per page. With their timelines (100 entries, reviews with 20 diff
/// comments) a page stays under GitHub's 500,000-node limit; a page that times
/// out on the server is asked again at half the size.
pub const PAGE: u32 = 100;

/// The smallest page size tried after server errors.
const MIN_PAGE: u32 = 10;

/// Timeline entries fetched with each item; more are fetched item by item.
const TIMELINE_PAGE: u32 = 100;

/// The timeline entry types kept, and what each selects.
fn timeline_selection(kind: ItemKind) -> String {
    let actor = "id createdAt actor { login }";
    let mut s = format!(
        "eventType: __typename
        ... on IssueComment {{ id createdAt author {{ login }} authorAssociation }}
        ... on LabeledEvent {{ {actor} label {{ name }} }}
        ... on UnlabeledEvent {{ {actor} label {{ name }} }}
        ... on AssignedEvent {{ {actor} assignee {{ ... on User {{ login }} }} }}
        ... on ClosedEvent {{ {actor} }}
        ... on ReopenedEvent {{ {actor} }}"
    );
    if kind == ItemKind::PullRequest {
        s.push_str(&format!(
            "
        ... on PullRequestReview {{ id createdAt submittedAt state author {{ login }} authorAssociation
            comments(first: 20) {{ nodes {{ id createdAt author {{ login }} }} }} }}
        ... on MergedEvent {{ {actor} }}
        ... on ReadyForReviewEvent {{ {actor} }}"
        ));
    }
    s
}

fn item_types(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Issue => {
            "[ISSUE_COMMENT, LABELED_EVENT, UNLABELED_EVENT, ASSIGNED_EVENT, CLOSED_EVENT, REOPENED_EVENT]"
        }
        ItemKind::PullRequest => {
            "[ISSUE_COMMENT, PULL_REQUEST_REVIEW, LABELED_EVENT, UNLABELED_EVENT, ASSIGNED_EVENT, CLOSED_EVENT, REOPENED_EVENT, MERGED_EVENT, READY_FOR_REVIEW_EVENT]"
        }
    }
}

fn timeline(kind: ItemKind, first: u32, after: &str) -> String {
    format!(
        "timelineItems(first: {first}{after}, itemTypes: {}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {} }} }}",
        item_types(kind),
        timeline_selection(kind)
    )
}

/// The repository's connection listing items of `kind`.
fn connection(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Issue => "issues",
        ItemKind::PullRequest => "pullRequests",
    }
}

/// The repository's field holding one item of `kind` by number.
fn field(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Issue => "issue",
        ItemKind::PullRequest => "pullRequest",
    }
}

/// The cursor to ask for the next page of `connection`, when it has one.
fn next_cursor(connection: &Value) -> Option<String> {
    let info = connection.get("pageInfo")?;
    if info.get("hasNextPage").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    str_at(info, &["endCursor"]).map(str::to_owned)
}

/// The query for a page of items of `kind`, newest update first.
pub fn items_query(kind: ItemKind) -> String {
    let (extra, filter) = match kind {
        ItemKind::Issue => ("", ", filterBy: { since: $since }"),
        ItemKind::PullRequest => (
            "isDraft mergedAt mergedBy { login }
             commits(first: 1) { nodes { commit { author { name email user { login } } } } }",
            "",
        ),
    };
    let connection = connection(kind);
    format!(
        "query($owner: String!, $name: String!, $first: Int!, $after: String{since_var}) {{
  rateLimit {{ cost remaining resetAt }}
  repository(owner: $owner, name: $name) {{
    {connection}(first: $first, after: $after, orderBy: {{ field: UPDATED_AT, direction: DESC }}{filter}) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{
        number title state createdAt updatedAt closedAt author {{ login }} authorAssociation
        labels(first: 20) {{ nodes {{ name }} }}
        assignees(first: 10) {{ nodes {{ login }} }}
        {extra}
        {timeline}
      }}
    }}
  }}
}}",
        since_var = if kind == ItemKind::Issue { ", $since: DateTime" } else { "" },
        timeline = timeline(kind, TIMELINE_PAGE, ""),
    )
}

/// The query for more of one item's timeline.
fn timeline_query(kind: ItemKind) -> String {
    let field = field(kind);
    format!(
        "query($owner: String!, $name: String!, $number: Int!, $after: String) {{
  rateLimit {{ cost remaining resetAt }}
  repository(owner: $owner, name: $name) {{ {field}(number: $number) {{ {} }} }}
}}",
        timeline(kind, TIMELINE_PAGE, ", after: $after")
    )
}

/// The metadata only GraphQL has: security policy and funding links.
pub const META_QUERY: &str = "query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { isSecurityPolicyEnabled fundingLinks { platform url } }
}";

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn time_at(v: &Value, key: &str) -> Result<Option<i64>, String> {
    seconds_opt(v.get(key).and_then(Value::as_str))
}

/// The activities of timeline `nodes` of item `number`. Entry types not kept are skipped.
pub fn timeline_activities(nodes: &Value, number: u64) -> Result<Vec<Activity>, String> {
    let mut out = Vec::new();
    for node in nodes.as_array().into_iter().flatten() {
        let Some(kind) = (match node.get("eventType").and_then(Value::as_str) {
            Some("IssueComment") => Some(ActivityKind::Comment),
            Some("PullRequestReview") => Some(ActivityKind::Review),
            Some("LabeledEvent") => Some(ActivityKind::Labeled),
            Some("UnlabeledEvent") => Some(ActivityKind::Unlabeled),
            Some("AssignedEvent") => Some(ActivityKind::Assigned),
            Some("ClosedEvent") => Some(ActivityKind::Closed),
            Some("ReopenedEvent") => Some(ActivityKind::Reopened),
            Some("MergedEvent") => Some(ActivityKind::Merged),
            Some("ReadyForReviewEvent") => Some(ActivityKind::ReadyForReview),
            _ => None,
        }) else {
            continue;
        };
        let actor = str_at(node, &["actor", "login"])
            .or_else(|| str_at(node, &["author", "login"]))
            .map(str::to_owned);
        let time = time_at(node, "submittedAt")?
            .or(time_at(node, "createdAt")?)
            .ok_or_else(|| format!("a {} on #{number} has no time", kind.as_str()))?;
        let id = str_at(node, &["id"])
            .or_else(|| str_at(node, &["url"]))
            .map_or_else(
                || {
                    format!(
                        "{}:{number}:{time}:{}",
                        kind.as_str(),
                        actor.as_deref().unwrap_or("")
                    )
                },
                str::to_owned,
            );
        let detail = match kind {
            ActivityKind::Labeled | ActivityKind::Unlabeled => str_at(node, &["label", "name"]),
            ActivityKind::Assigned => str_at(node, &["assignee", "login"]),
            ActivityKind::Review => str_at(node, &["state"]),
            _ => None,
        }
        .map(str::to_owned);
        if let Some(comments) = node.get("comments").and_then(|c| c.get("nodes")) {
            for c in comments.as_array().into_iter().flatten() {
                let Some(id) = str_at(c, &["id"]) else {
                    continue;
                };
                out.push(Activity {
                    id: id.to_owned(),
                    number,
                    kind: ActivityKind::ReviewComment,
                    actor: str_at(c, &["author", "login"]).map(str::to_owned),
                    association: None,
                    time: time_at(c, "createdAt")?.unwrap_or(time),
                    detail: None,
                    tracker: None,
                });
            }
        }
        out.push(Activity {
            id,
            number,
            kind,
            actor,
            association: str_at(node, &["authorAssociation"]).map(str::to_owned),
            time,
            detail,
            tracker: None,
        });
    }
    Ok(out)
}

/// One item of a page, its timeline so far, and where the rest of it starts.
pub struct Entry {
    /// The item.
    pub item: ForgeItem,
    /// Its timeline as fetched.
    pub activities: Vec<Activity>,
    /// The cursor after which more of the timeline waits.
    pub more_after: Option<String>,
    /// The login tied to its first commit's author.
    pub link: Option<LoginLink>,
}

/// The items of a connection page (`pullRequests` or `issues`), and the cursor of the next page.
pub fn items_page(
    connection: &Value,
    kind: ItemKind,
) -> Result<(Vec<Entry>, Option<String>), String> {
    if connection.get("pageInfo").is_none() {
        return Err("the page has no pageInfo".into());
    }
    let nodes = connection
        .get("nodes")
        .and_then(Value::as_array)
        .ok_or("the page has no nodes")?;
    let mut out = Vec::new();
    for n in nodes {
        let number = n
            .get("number")
            .and_then(Value::as_u64)
            .ok_or("an item has no number")?;
        let created = time_at(n, "createdAt")?.ok_or("an item has no createdAt")?;
        let names = |conn: &str, field: &str| -> Vec<String> {
            n.get(conn)
                .and_then(|c| c.get("nodes"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|x| x.get(field).and_then(Value::as_str).map(str::to_owned))
                .collect()
        };
        let merged = time_at(n, "mergedAt")?;
        let item = ForgeItem {
            number,
            kind,
            author: str_at(n, &["author", "login"]).map(str::to_owned),
            author_association: str_at(n, &["authorAssociation"]).map(str::to_owned),
            title: str_at(n, &["title"]).unwrap_or_default().to_owned(),
            state: str_at(n, &["state"])
                .unwrap_or("OPEN")
                .to_lowercase()
                .replace("merged", "closed"),
            draft: n.get("isDraft").and_then(Value::as_bool).unwrap_or(false),
            created,
            updated: time_at(n, "updatedAt")?.unwrap_or(created),
            closed: time_at(n, "closedAt")?,
            merged,
            merged_by: merged.and(str_at(n, &["mergedBy", "login"]).map(str::to_owned)),
            labels: names("labels", "name"),
            assignees: names("assignees", "login"),
            tracker: None,
        };
        let timeline = n
            .get("timelineItems")
            .ok_or("an item has no timelineItems")?;
        let more_after = next_cursor(timeline);
        let link = n
            .get("commits")
            .and_then(|c| c.get("nodes"))
            .and_then(|c| c.get(0))
            .and_then(|c| c.pointer("/commit/author"))
            .and_then(|a| {
                Some(LoginLink {
                    login: str_at(a, &["user", "login"])?.to_owned(),
                    name: str_at(a, &["name"]).unwrap_or_default().to_owned(),
                    email: str_at(a, &["email"])?.to_owned(),
                })
            });
        out.push(Entry {
            activities: timeline_activities(timeline.get("nodes").unwrap_or(&Value::Null), number)?,
            item,
            more_after,
            link,
        });
    }
    Ok((out, next_cursor(connection)))
}

/// Cursor keys of the pass over items of `kind`.
fn key(kind: ItemKind, what: &str) -> String {
    format!("github.{}.{what}", kind.as_str())
}

/// Whether a pass over `kind` was cut off and has a place to resume.
pub fn unfinished(sink: &dyn Sink, kind: ItemKind) -> bool {
    sink.cursor(&key(kind, "after")).is_some()
}

/// Syncs items of `kind`: pages newest update first until an item older than
/// the last complete pass, each page saved with the cursor after it.
pub fn pass(
    client: &mut Client,
    repo: &RepoRef,
    kind: ItemKind,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(Progress),
    summary: &mut Summary,
) -> Result<(), Error> {
    let number = |k: &str| {
        sink.cursor(&key(kind, k))
            .and_then(|v| v.parse::<i64>().ok())
    };
    let watermark = number("watermark");
    let mut top = number("top");
    let mut after = sink.cursor(&key(kind, "after"));
    let query = items_query(kind);
    let connection = connection(kind);
    let mut first = PAGE;
    loop {
        let mut vars =
            json!({ "owner": repo.owner, "name": repo.name, "first": first, "after": after });
        if kind == ItemKind::Issue {
            vars["since"] = watermark.map(rfc3339).into();
        }
        let data = match client.graphql(&query, vars, progress) {
            // Big pages of busy items can time out on GitHub's side: ask for less.
            Err(
                Error::Http(upkeep_http::Error::Http { .. })
                | Error::Http(upkeep_http::Error::Status { status: 500.., .. }),
            ) if first > MIN_PAGE => {
                first /= 2;
                continue;
            }
            result => result?,
        };
        let page = data
            .get("repository")
            .filter(|r| !r.is_null())
            .ok_or_else(|| Error::NotFound(repo.to_string()))?
            .get(connection)
            .ok_or_else(|| Error::GraphQl(format!("the answer has no {connection}")))?;
        let (entries, next) = items_page(page, kind)
            .map_err(Error::json(format!("GraphQL {connection} of {repo}")))?;
        if after.is_none() {
            top = entries.iter().map(|e| e.item.updated).max().or(top);
        }
        let mut done = next.is_none();
        let mut batch = Batch::default();
        for mut entry in entries {
            if watermark.is_some_and(|w| entry.item.updated < w) {
                done = true;
                continue;
            }
            if let Some(cursor) = entry.more_after.take() {
                rest_of_timeline(client, repo, kind, &mut entry, cursor, progress)?;
            }
            batch.replace_activities_of.push(entry.item.number);
            batch.activities.extend(entry.activities);
            batch.links.extend(entry.link);
            batch.items.push(entry.item);
        }
        summary.items += batch.items.len() as u64;
        summary.activities += batch.activities.len() as u64;
        batch.cursors = if done {
            vec![
                (
                    key(kind, "watermark"),
                    top.or(watermark).map(|t| t.to_string()),
                ),
                (key(kind, "top"), None),
                (key(kind, "after"), None),
            ]
        } else {
            vec![
                (key(kind, "after"), next.clone()),
                (key(kind, "top"), top.map(|t| t.to_string())),
            ]
        };
        save(sink, batch)?;
        progress(Progress::Page {
            what: connection,
            items: summary.items,
        });
        if done {
            return Ok(());
        }
        after = next;
    }
}

/// Fetches the timeline of `entry` after `cursor`, when it was longer than one page.
fn rest_of_timeline(
    client: &mut Client,
    repo: &RepoRef,
    kind: ItemKind,
    entry: &mut Entry,
    cursor: String,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), Error> {
    let number = entry.item.number;
    let query = timeline_query(kind);
    let mut more = Some(cursor);
    while let Some(cursor) = more {
        let data = client.graphql(
            &query,
            json!({ "owner": repo.owner, "name": repo.name, "number": number, "after": cursor }),
            progress,
        )?;
        let timeline = data
            .pointer(&format!("/repository/{}/timelineItems", field(kind)))
            .ok_or_else(|| Error::GraphQl(format!("no timeline for #{number}")))?;
        let activities = timeline_activities(timeline.get("nodes").unwrap_or(&Value::Null), number)
            .map_err(Error::json(format!("GraphQL timeline of {repo}#{number}")))?;
        entry.activities.extend(activities);
        more = next_cursor(timeline);
    }
    Ok(())
}

/// Security policy and funding links, added to `meta`.
pub fn meta_extras(
    client: &mut Client,
    repo: &RepoRef,
    meta: &mut RepoMeta,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), Error> {
    let data = client.graphql(
        META_QUERY,
        json!({ "owner": repo.owner, "name": repo.name }),
        progress,
    )?;
    let r = &data["repository"];
    meta.security_policy = r.get("isSecurityPolicyEnabled").and_then(Value::as_bool);
    meta.funding = r["fundingLinks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| {
            Some(format!(
                "{}: {}",
                str_at(l, &["platform"])?.to_lowercase(),
                str_at(l, &["url"])?
            ))
        })
        .collect();
    Ok(())
}
