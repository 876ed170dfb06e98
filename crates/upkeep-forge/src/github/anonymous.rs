//! The REST passes used without a token (GitHub's GraphQL API needs one):
//! issues and pull requests, comments and review comments changed since the
//! last run (`since`), issue events down to the newest one already stored,
//! the reviews of each pull request that changed, and the logins behind
//! commit authors. Every page is saved with the cursor after it.

use super::rest;
use crate::client::Client;
use crate::sink::{Batch, Sink, save};
use crate::time::{rfc3339, seconds};
use crate::{Error, Progress, Summary};
use std::collections::BTreeSet;
use upkeep_core::events::ItemKind;

const PENDING: &str = "github.rest.reviews.pending";
const EVENTS_MAX: &str = "github.rest.events.max_id";
const EVENTS_TOP: &str = "github.rest.events.top";

/// Whether a REST pass was cut off with work left.
pub fn unfinished(sink: &dyn Sink) -> bool {
    sink.cursor(PENDING).is_some_and(|p| !p.is_empty()) || sink.cursor(EVENTS_TOP).is_some()
}

/// The latest `updated_at` on a page, as written.
fn max_updated(json: &str) -> Option<String> {
    let list: Vec<serde_json::Value> = serde_json::from_str(json).ok()?;
    list.iter()
        .filter_map(|v| v.get("updated_at")?.as_str().map(str::to_owned))
        .max_by_key(|t| seconds(t).unwrap_or(i64::MIN))
}

fn pending(sink: &dyn Sink) -> BTreeSet<u64> {
    sink.cursor(PENDING)
        .unwrap_or_default()
        .split(',')
        .filter_map(|n| n.parse().ok())
        .collect()
}

fn pending_text(set: &BTreeSet<u64>) -> Option<String> {
    (!set.is_empty()).then(|| set.iter().map(u64::to_string).collect::<Vec<_>>().join(","))
}

/// Turns a page (its URL and body) into a batch, knowing the cursors so far.
type PageToBatch<'a> = dyn FnMut(&str, &str, &dyn Sink) -> Result<Batch, Error> + 'a;

/// Walks a list sorted by update, oldest first, from the `since` cursor `key`;
/// `each` turns a page into a batch.
fn since_pass(
    client: &mut Client,
    path: &str,
    key: &str,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(Progress),
    each: &mut PageToBatch<'_>,
) -> Result<(), Error> {
    let since = sink.cursor(key);
    let mut next = Some(match &since {
        Some(s) => format!("{path}&since={s}"),
        None => path.to_owned(),
    });
    while let Some(p) = next {
        let page = client.get(&p, None, progress)?;
        let mut batch = each(&page.url, &page.body, sink)?;
        if let Some(latest) = max_updated(&page.body) {
            batch.cursors.push((key.to_owned(), Some(latest)));
        }
        save(sink, batch)?;
        next = page.next;
    }
    Ok(())
}

/// Runs every REST pass for the repository at `base` (`/repos/{o}/{r}`).
pub fn sync(
    client: &mut Client,
    base: &str,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(Progress),
    summary: &mut Summary,
) -> Result<(), Error> {
    let started = rfc3339(jiff::Timestamp::now().as_second());
    since_pass(
        client,
        &format!("{base}/issues?state=all&sort=updated&direction=asc&per_page=100"),
        "github.rest.issues.since",
        sink,
        progress,
        &mut |url, body, sink| {
            let items = rest::items(body).map_err(Error::json(url))?;
            let mut todo = pending(sink);
            todo.extend(
                items
                    .iter()
                    .filter(|i| i.kind == ItemKind::PullRequest)
                    .map(|i| i.number),
            );
            summary.items += items.len() as u64;
            Ok(Batch {
                items,
                cursors: vec![(PENDING.to_owned(), pending_text(&todo))],
                ..Batch::default()
            })
        },
    )?;
    for (list, key) in [
        ("issues/comments", "github.rest.comments.since"),
        ("pulls/comments", "github.rest.review_comments.since"),
    ] {
        since_pass(
            client,
            &format!("{base}/{list}?sort=updated&direction=asc&per_page=100"),
            key,
            sink,
            progress,
            &mut |url, body, _| {
                let activities = rest::comments(body).map_err(Error::json(url))?;
                summary.activities += activities.len() as u64;
                Ok(Batch {
                    activities,
                    ..Batch::default()
                })
            },
        )?;
    }
    // Issue events, newest first, down to the newest one a complete pass stored.
    let known: u64 = sink
        .cursor(EVENTS_MAX)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut top = sink.cursor(EVENTS_TOP).and_then(|v| v.parse::<u64>().ok());
    let mut next = Some(format!("{base}/issues/events?per_page=100"));
    while let Some(p) = next {
        let page = client.get(&p, None, progress)?;
        let rest::Events { activities, ids } =
            rest::events(&page.body).map_err(Error::json(&page.url))?;
        top = top.max(ids.map(|(_, highest)| highest));
        // Stop at a page that is empty or reaches an event already stored.
        let reached = ids.is_none_or(|(lowest, _)| lowest <= known);
        next = page.next.filter(|_| !reached);
        summary.activities += activities.len() as u64;
        let cursors = if next.is_none() {
            vec![
                (EVENTS_MAX.to_owned(), top.map(|t| t.to_string())),
                (EVENTS_TOP.to_owned(), None),
            ]
        } else {
            vec![(EVENTS_TOP.to_owned(), top.map(|t| t.to_string()))]
        };
        save(
            sink,
            Batch {
                activities,
                cursors,
                ..Batch::default()
            },
        )?;
    }
    // Reviews of every pull request that changed.
    let mut todo = pending(sink);
    while let Some(number) = todo.pop_first() {
        let mut activities = Vec::new();
        let mut next = Some(format!("{base}/pulls/{number}/reviews?per_page=100"));
        while let Some(p) = next {
            let page = client.get(&p, None, progress)?;
            activities.extend(rest::reviews(&page.body, number).map_err(Error::json(&page.url))?);
            next = page.next;
        }
        summary.activities += activities.len() as u64;
        save(
            sink,
            Batch {
                activities,
                cursors: vec![(PENDING.to_owned(), pending_text(&todo))],
                ..Batch::default()
            },
        )?;
        progress(Progress::Page {
            what: "reviews",
            items: summary.items,
        });
    }
    // The logins behind commit authors.
    let key = "github.rest.commits.since";
    let mut next = Some(match sink.cursor(key) {
        Some(since) => format!("{base}/commits?per_page=100&since={since}"),
        None => format!("{base}/commits?per_page=100"),
    });
    while let Some(p) = next {
        let page = match client.get(&p, None, progress) {
            // An empty repository has no commits to list.
            Err(Error::Http(upkeep_http::Error::Status { status: 409, .. })) => break,
            page => page?,
        };
        let links = rest::commit_links(&page.body).map_err(Error::json(&page.url))?;
        next = page.next;
        let mut batch = Batch {
            links,
            ..Batch::default()
        };
        if next.is_none() {
            batch.cursors.push((key.to_owned(), Some(started.clone())));
        }
        save(sink, batch)?;
    }
    Ok(())
}
