//! GitLab's REST API v4 objects as forge items and activities: merge
//! requests (numbered by `iid`), issues (numbered apart, tracker `#`), notes
//! (a user's note is a comment, a diff note a review comment; system notes
//! are events: approvals, assignments, labels, closes, reopens, merges),
//! label events, releases and the project itself. People are usernames.

use serde_json::Value;
use upkeep_core::events::{Activity, ActivityKind, ForgeItem, ForgeRelease, ItemKind, RepoMeta};

/// The tracker of a project's issues (see [`upkeep_core::events::GITLAB_ISSUES`]).
pub const ISSUES: &str = upkeep_core::events::GITLAB_ISSUES;

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn time_at(v: &Value, key: &str) -> Result<Option<i64>, String> {
    crate::time::seconds_opt(v.get(key).and_then(Value::as_str))
}

fn usernames(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|u| str_at(u, &["username"]).map(str::to_owned))
        .collect()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// Whether a listed merge request lacks what a sync needs (old GitLab
/// versions list only ids and titles; the detail has the rest).
pub fn needs_detail(mr: &Value) -> bool {
    mr.get("author").is_none()
}

/// A merge request or an issue.
fn item(v: &Value, kind: ItemKind) -> Result<ForgeItem, String> {
    let number = v
        .get("iid")
        .and_then(Value::as_u64)
        .ok_or("an item without an iid")?;
    let created =
        time_at(v, "created_at")?.ok_or_else(|| format!("!{number} has no creation time"))?;
    let state = str_at(v, &["state"]).unwrap_or("opened");
    let updated = time_at(v, "updated_at")?.unwrap_or(created);
    // Old GitLab versions leave merged_at and closed_at out: the last update stands in.
    let merged = time_at(v, "merged_at")?.or((state == "merged").then_some(updated));
    let closed = time_at(v, "closed_at")?
        .or(merged)
        .or((state != "opened").then_some(updated));
    let mut assignees = usernames(v, "assignees");
    if assignees.is_empty()
        && let Some(one) = str_at(v, &["assignee", "username"])
    {
        assignees.push(one.to_owned());
    }
    Ok(ForgeItem {
        number,
        kind,
        author: str_at(v, &["author", "username"]).map(str::to_owned),
        author_association: None,
        title: str_at(v, &["title"]).unwrap_or_default().to_owned(),
        state: if state == "opened" { "open" } else { "closed" }.to_owned(),
        draft: v.get("draft").and_then(Value::as_bool).unwrap_or(false)
            || v.get("work_in_progress")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        created,
        updated,
        closed,
        merged,
        merged_by: merged.and(
            str_at(v, &["merge_user", "username"])
                .or_else(|| str_at(v, &["merged_by", "username"]))
                .map(str::to_owned),
        ),
        labels: strings(v, "labels"),
        assignees,
        tracker: (kind == ItemKind::Issue).then(|| ISSUES.to_owned()),
        first_commit: None,
    })
}

/// A merge request.
pub fn merge_request(v: &Value) -> Result<ForgeItem, String> {
    item(v, ItemKind::PullRequest)
}

/// An issue.
pub fn issue(v: &Value) -> Result<ForgeItem, String> {
    item(v, ItemKind::Issue)
}

/// What a system note's text says happened, if it is one upkeep counts.
fn system_event(body: &str) -> Option<(ActivityKind, Option<String>)> {
    let body = body.trim();
    let label = |rest: &str| {
        rest.split_whitespace()
            .find_map(|w| w.strip_prefix('~'))
            .map(|l| l.trim_matches('"').to_owned())
    };
    Some(match body {
        "closed" => (ActivityKind::Closed, None),
        "reopened" => (ActivityKind::Reopened, None),
        "approved this merge request" => (ActivityKind::Review, Some("APPROVED".into())),
        _ if body.starts_with("merged") => (ActivityKind::Merged, None),
        _ if body.starts_with("assigned to @") => (
            ActivityKind::Assigned,
            body["assigned to @".len()..]
                .split([' ', ','])
                .next()
                .map(str::to_owned),
        ),
        _ if body.starts_with("added ~") => (ActivityKind::Labeled, label(body)),
        _ if body.starts_with("removed ~") => (ActivityKind::Unlabeled, label(body)),
        _ if body.starts_with("marked this merge request as **ready**") => {
            (ActivityKind::ReadyForReview, None)
        }
        _ => return None,
    })
}

/// The notes of item `number` (of `tracker`) as activities.
pub fn notes(list: &Value, number: u64, tracker: Option<&str>) -> Result<Vec<Activity>, String> {
    let mut out = Vec::new();
    for n in list.as_array().into_iter().flatten() {
        let Some(id) = n.get("id").and_then(Value::as_u64) else {
            continue;
        };
        let time = time_at(n, "created_at")?.ok_or("a note without a time")?;
        let body = str_at(n, &["body"]).unwrap_or("");
        let system = n.get("system").and_then(Value::as_bool).unwrap_or(false);
        let (kind, detail) = if system {
            match system_event(body) {
                Some(event) => event,
                None => continue,
            }
        } else if str_at(n, &["type"]) == Some("DiffNote") {
            (ActivityKind::ReviewComment, None)
        } else {
            (ActivityKind::Comment, None)
        };
        out.push(Activity {
            id: format!("gitlab:{}{number}:note:{id}", tracker.unwrap_or("!")),
            number,
            kind,
            actor: str_at(n, &["author", "username"]).map(str::to_owned),
            association: None,
            time,
            detail,
            tracker: tracker.map(str::to_owned),
        });
    }
    Ok(out)
}

/// The approvals of merge request `number` (`/approvals`) as reviews dated
/// `time` (the endpoint gives none).
pub fn approvals(answer: &Value, number: u64, time: i64) -> Vec<Activity> {
    answer
        .get("approved_by")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| str_at(a, &["user", "username"]))
        .map(|user| Activity {
            id: format!("gitlab:!{number}:approval:{user}"),
            number,
            kind: ActivityKind::Review,
            actor: Some(user.to_owned()),
            association: None,
            time,
            detail: Some("APPROVED".into()),
            tracker: None,
        })
        .collect()
}

/// `resource_label_events` of item `number`: labels put on and taken off.
pub fn label_events(
    list: &Value,
    number: u64,
    tracker: Option<&str>,
) -> Result<Vec<Activity>, String> {
    let mut out = Vec::new();
    for e in list.as_array().into_iter().flatten() {
        let (Some(id), Some(action)) =
            (e.get("id").and_then(Value::as_u64), str_at(e, &["action"]))
        else {
            continue;
        };
        let kind = match action {
            "add" => ActivityKind::Labeled,
            "remove" => ActivityKind::Unlabeled,
            _ => continue,
        };
        out.push(Activity {
            id: format!("gitlab:{}{number}:label:{id}", tracker.unwrap_or("!")),
            number,
            kind,
            actor: str_at(e, &["user", "username"]).map(str::to_owned),
            association: None,
            time: time_at(e, "created_at")?.ok_or("a label event without a time")?,
            detail: str_at(e, &["label", "name"]).map(str::to_owned),
            tracker: tracker.map(str::to_owned),
        });
    }
    Ok(out)
}

/// A page of releases.
pub fn releases(list: &Value) -> Result<Vec<ForgeRelease>, String> {
    let mut out = Vec::new();
    for r in list.as_array().into_iter().flatten() {
        let Some(tag) = str_at(r, &["tag_name"]) else {
            continue;
        };
        let created = time_at(r, "created_at")?.ok_or("a release without a time")?;
        out.push(ForgeRelease {
            tag: tag.to_owned(),
            name: str_at(r, &["name"]).unwrap_or(tag).to_owned(),
            author: str_at(r, &["author", "username"]).map(str::to_owned),
            created,
            published: Some(time_at(r, "released_at")?.unwrap_or(created)),
            prerelease: r
                .get("upcoming_release")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            draft: false,
        });
    }
    Ok(out)
}

/// The project's metadata.
pub fn project(v: &Value) -> RepoMeta {
    RepoMeta {
        archived: v.get("archived").and_then(Value::as_bool).unwrap_or(false),
        default_branch: str_at(v, &["default_branch"]).map(str::to_owned),
        license: str_at(v, &["license", "name"]).map(str::to_owned),
        ..RepoMeta::default()
    }
}

/// Members with Maintainer (40) or Owner (50) access: usernames.
pub fn maintainers(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter(|m| m.get("access_level").and_then(Value::as_u64).unwrap_or(0) >= 40)
        .filter_map(|m| str_at(m, &["username"]).map(str::to_owned))
        .collect()
}
