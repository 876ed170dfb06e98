//! GitHub's GraphQL API: pull requests and issues in bulk, each with its whole
//! timeline (comments, triage events) and a pull request's reviews with their
//! diff comments in the same page, newest update first, so a later run stops
//! at the first item it already has.
//!
//! **Points.** GitHub charges a query the requests its connections would
//! need, each assumed full, divided by 100: a connection inside another costs
//! one request per node its parents may return. Reviews are therefore asked
//! beside the timeline, not inside it (their diff comments under 20 reviews,
//! not under 100 timeline entries): a page of 100 pull requests costs 25
//! points instead of 104 (see [`points`]).
//!
//! **Actors.** GraphQL gives a bot's login without the `[bot]` suffix REST
//! shows (`dependabot`, `copilot-pull-request-reviewer`); every actor is
//! asked with its type, and a `Bot` gets its REST login back (see
//! [`actor_login`]), so the bot rules know it whatever it is called.

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

/// Reviews fetched with each pull request; more are fetched pull request by
/// pull request.
const REVIEWS_PAGE: u32 = 20;

/// Diff comments fetched with each review (a review's comments beyond them
/// are not counted).
const REVIEW_COMMENTS: u32 = 20;

/// An actor (`Actor` interface, or `Assignee` union): its type and login.
const ACTOR: &str = "{ __typename login }";

/// The timeline entry types kept, and what each selects.
fn timeline_selection(kind: ItemKind) -> String {
    let actor = format!("id createdAt actor {ACTOR}");
    let mut s = format!(
        "eventType: __typename
        ... on IssueComment {{ id createdAt author {ACTOR} authorAssociation }}
        ... on LabeledEvent {{ {actor} label {{ name }} }}
        ... on UnlabeledEvent {{ {actor} label {{ name }} }}
        ... on AssignedEvent {{ {actor} assignee {{ __typename ... on User {{ login }} ... on Bot {{ login }} ... on Mannequin {{ login }} }} }}
        ... on ClosedEvent {{ {actor} }}
        ... on ReopenedEvent {{ {actor} }}"
    );
    if kind == ItemKind::PullRequest {
        s.push_str(&format!(
            "
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
            "[ISSUE_COMMENT, LABELED_EVENT, UNLABELED_EVENT, ASSIGNED_EVENT, CLOSED_EVENT, REOPENED_EVENT, MERGED_EVENT, READY_FOR_REVIEW_EVENT]"
        }
    }
}

/// A pull request's reviews connection: each review with its diff comments
/// (their time is the review's submission: comments written in a pending
/// review carry their draft time as `createdAt`).
fn reviews(first: u32, after: &str) -> String {
    format!(
        "reviews(first: {first}{after}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{
            eventType: __typename id createdAt submittedAt state author {ACTOR} authorAssociation
            comments(first: {REVIEW_COMMENTS}) {{ nodes {{ id createdAt publishedAt author {ACTOR} }} }} }} }}"
    )
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
        ItemKind::PullRequest => (
            format!(
                "isDraft mergedAt mergedBy {ACTOR}
             commits(first: 1) {{ nodes {{ commit {{ authoredDate author {{ name email user {{ login }} }} }} }} }}
             {}",
                reviews(REVIEWS_PAGE, "")
            ),
            "",
        ),
        ItemKind::Issue => (String::new(), ", filterBy: { since: $since }"),
    };
    let connection = connection(kind);
    format!(
        "query($owner: String!, $name: String!, $first: Int!, $after: String{since_var}) {{
  rateLimit {{ cost remaining resetAt }}
  repository(owner: $owner, name: $name) {{
    {connection}(first: $first, after: $after, orderBy: {{ field: UPDATED_AT, direction: DESC }}{filter}) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{
        number title state createdAt updatedAt closedAt author {ACTOR} authorAssociation
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

/// The query for more of one pull request's reviews.
fn reviews_query() -> String {
    format!(
        "query($owner: String!, $name: String!, $number: Int!, $after: String) {{
  rateLimit {{ cost remaining resetAt }}
  repository(owner: $owner, name: $name) {{ pullRequest(number: $number) {{ {} }} }}
}}",
        reviews(100, ", after: $after")
    )
}

/// The metadata only GraphQL has: security policy and funding links.
pub const META_QUERY: &str = "query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { isSecurityPolicyEnabled fundingLinks { platform url } }
}";

/// The points GitHub charges `query` with `variables`, by its published
/// rule: each connection (a field with `first` or `last`) needs one request
/// per node its enclosing connections may return, all of them assumed full;
/// the sum divided by 100, rounded, and at least 1.
pub fn points(query: &str, variables: &Value) -> u64 {
    let size = |args: &str| -> Option<u64> {
        let bytes = args.as_bytes();
        ["first:", "last:"].iter().find_map(|name| {
            let at = args.match_indices(name).find(|(i, _)| {
                *i == 0 || !matches!(bytes[i - 1], b'$' | b'_' | b'a'..=b'z' | b'A'..=b'Z')
            })?;
            let value = args[at.0 + name.len()..].trim_start();
            let end = value
                .find(|c: char| !(c.is_alphanumeric() || c == '$' || c == '_'))
                .unwrap_or(value.len());
            match value[..end].strip_prefix('$') {
                Some(var) => variables.get(var)?.as_u64(),
                None => value[..end].parse().ok(),
            }
        })
    };
    // The product of the enclosing connections' sizes, per open selection set.
    let mut nesting: Vec<u64> = vec![1];
    let mut pending: Option<u64> = None;
    let mut requests = 0u64;
    let mut chars = query.char_indices();
    while let Some((i, c)) = chars.next() {
        let outer = *nesting.last().unwrap_or(&1);
        match c {
            '(' => {
                let mut depth = 1;
                let mut end = i + 1;
                for (j, d) in chars.by_ref() {
                    depth += match d {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                pending = size(&query[i + 1..end]);
                if pending.is_some() {
                    requests += outer;
                }
            }
            '{' => nesting.push(outer.saturating_mul(pending.take().unwrap_or(1))),
            '}' => {
                nesting.pop();
            }
            _ => {}
        }
    }
    ((requests as f64 / 100.0).round() as u64).max(1)
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

/// The login of the actor `v` (`{ __typename login }`), as REST writes it:
/// a `Bot`'s login gains the `[bot]` suffix GraphQL leaves off.
pub fn actor_login(v: &Value) -> Option<String> {
    let login = str_at(v, &["login"]).filter(|l| !l.is_empty())?;
    let bot = str_at(v, &["__typename"]) == Some("Bot");
    Some(match bot && !login.ends_with("[bot]") {
        true => format!("{login}[bot]"),
        false => login.to_owned(),
    })
}

/// The login of the actor at `key` of `v`.
fn login_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(actor_login)
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
        let actor = login_at(node, "actor").or_else(|| login_at(node, "author"));
        let submitted = time_at(node, "submittedAt")?;
        let time = submitted
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
            ActivityKind::Labeled | ActivityKind::Unlabeled => {
                str_at(node, &["label", "name"]).map(str::to_owned)
            }
            ActivityKind::Assigned => login_at(node, "assignee"),
            ActivityKind::Review => str_at(node, &["state"]).map(str::to_owned),
            _ => None,
        };
        if let Some(comments) = node.get("comments").and_then(|c| c.get("nodes")) {
            for c in comments.as_array().into_iter().flatten() {
                let Some(id) = str_at(c, &["id"]) else {
                    continue;
                };
                // A comment counts when its review was submitted (or, lacking
                // that, published), never at its draft time.
                let published = submitted.or(time_at(c, "publishedAt")?);
                out.push(Activity {
                    id: id.to_owned(),
                    number,
                    kind: ActivityKind::ReviewComment,
                    actor: login_at(c, "author"),
                    association: None,
                    time: published.or(time_at(c, "createdAt")?).unwrap_or(time),
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
    /// The cursor after which more of a pull request's reviews wait.
    pub more_reviews_after: Option<String>,
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
        let first_commit = n.pointer("/commits/nodes/0/commit");
        let item = ForgeItem {
            number,
            kind,
            author: login_at(n, "author"),
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
            merged_by: merged.and(login_at(n, "mergedBy")),
            labels: names("labels", "name"),
            assignees: names("assignees", "login"),
            tracker: None,
            first_commit: match first_commit {
                Some(c) => time_at(c, "authoredDate")?,
                None => None,
            },
        };
        let timeline = n
            .get("timelineItems")
            .ok_or("an item has no timelineItems")?;
        let more_after = next_cursor(timeline);
        let link = first_commit.and_then(|c| c.get("author")).and_then(|a| {
            Some(LoginLink {
                login: str_at(a, &["user", "login"])?.to_owned(),
                name: str_at(a, &["name"]).unwrap_or_default().to_owned(),
                email: str_at(a, &["email"])?.to_owned(),
            })
        });
        let mut activities =
            timeline_activities(timeline.get("nodes").unwrap_or(&Value::Null), number)?;
        let reviews = n.get("reviews");
        if let Some(reviews) = reviews {
            let nodes = reviews.get("nodes").unwrap_or(&Value::Null);
            activities.extend(timeline_activities(nodes, number)?);
        }
        out.push(Entry {
            activities,
            item,
            more_after,
            more_reviews_after: reviews.and_then(next_cursor),
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
                Rest::timeline(kind).fetch(client, repo, &mut entry, cursor, progress)?;
            }
            if let Some(cursor) = entry.more_reviews_after.take() {
                Rest::reviews().fetch(client, repo, &mut entry, cursor, progress)?;
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

/// One of an item's connections fetched item by item when it was longer
/// than a page: its timeline or a pull request's reviews.
struct Rest<'a> {
    /// The query, with `$number` and `$after`.
    query: String,
    /// Where the connection is in the answer.
    pointer: String,
    /// What it is, for errors.
    what: &'a str,
}

impl Rest<'_> {
    /// An item's timeline.
    fn timeline(kind: ItemKind) -> Self {
        Rest {
            query: timeline_query(kind),
            pointer: format!("/repository/{}/timelineItems", field(kind)),
            what: "timeline",
        }
    }

    /// A pull request's reviews.
    fn reviews() -> Self {
        Rest {
            query: reviews_query(),
            pointer: "/repository/pullRequest/reviews".into(),
            what: "reviews",
        }
    }

    /// Fetches the connection of `entry` after `cursor` to its end.
    fn fetch(
        &self,
        client: &mut Client,
        repo: &RepoRef,
        entry: &mut Entry,
        cursor: String,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), Error> {
        let number = entry.item.number;
        let mut more = Some(cursor);
        while let Some(cursor) = more {
            let vars = json!({ "owner": repo.owner, "name": repo.name, "number": number, "after": cursor });
            let data = client.graphql(&self.query, vars, progress)?;
            let what = self.what;
            let connection = data
                .pointer(&self.pointer)
                .ok_or_else(|| Error::GraphQl(format!("no {what} for #{number}")))?;
            let nodes = connection.get("nodes").unwrap_or(&Value::Null);
            let activities = timeline_activities(nodes, number)
                .map_err(Error::json(format!("GraphQL {what} of {repo}#{number}")))?;
            entry.activities.extend(activities);
            more = next_cursor(connection);
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_follow_githubs_published_rule() {
        // GitHub's own example: 1 request for the repositories, 100 for their
        // issues, 100 × 50 for the issues' labels = 5,101 → 51 points.
        let example = "query { viewer { login repositories(first: 100) { edges { node { id
            issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }";
        assert_eq!(points(example, &Value::Null), 51);
        // A page of 100 pull requests: the connection itself, then labels,
        // assignees, the first commit, the timeline and the reviews (100
        // each), and the reviews' diff comments (100 × 20) = 2,501 → 25.
        let vars = json!({ "first": 100 });
        assert_eq!(points(&items_query(ItemKind::PullRequest), &vars), 25);
        // Issues: 1 + labels, assignees and timeline (100 each) = 301 → 3.
        assert_eq!(points(&items_query(ItemKind::Issue), &vars), 3);
        // More of one pull request's reviews: 1 + their comments (100) → 1.
        assert_eq!(points(&reviews_query(), &Value::Null), 1);
        // Review comments inside the timeline, as before: 1 + 4 × 100 for
        // labels, assignees, the first commit and the timeline, and 100 ×
        // 100 for the comments of reviews in it = 10,401 → 104.
        let nested = "query($first: Int!) { repository { pullRequests(first: $first) { nodes {
            labels(first: 20) { nodes { name } } assignees(first: 10) { nodes { login } }
            commits(first: 1) { nodes { id } }
            timelineItems(first: 100) { nodes { ... on PullRequestReview { comments(first: 20) { nodes { id } } } } } } } } }";
        assert_eq!(points(nested, &vars), 104);
    }

    #[test]
    fn a_bot_gets_its_rest_login_back() {
        let login = |v: Value| actor_login(&v);
        let bot = json!({ "__typename": "Bot", "login": "copilot-pull-request-reviewer" });
        assert_eq!(
            login(bot).as_deref(),
            Some("copilot-pull-request-reviewer[bot]")
        );
        let already = json!({ "__typename": "Bot", "login": "dependabot[bot]" });
        assert_eq!(login(already).as_deref(), Some("dependabot[bot]"));
        let user = json!({ "__typename": "User", "login": "copilot" });
        assert_eq!(login(user).as_deref(), Some("copilot"));
        assert_eq!(login(json!({ "login": "" })), None);
    }
}
