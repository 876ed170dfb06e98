//! JIRA's REST API v2 issues (a `search` page, with `expand=changelog`) as
//! forge items and activities: the reporter opens the issue; comments; and
//! from the changelog, who changed the status (to a closed one, or back),
//! the assignee, labels and components, and when.

use serde_json::Value;
use upkeep_core::events::{Activity, ActivityKind, ForgeItem, ItemKind, LoginLink};

/// Statuses that close an issue (a resolution set closes it too).
const CLOSED: &[&str] = &["closed", "resolved", "done"];

/// JIRA's timestamps (`2016-03-03T13:40:01.000+0000`) as seconds since the epoch.
pub fn seconds(text: &str) -> Result<i64, String> {
    jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%.f%z", text)
        .or_else(|_| text.parse::<jiff::Timestamp>())
        .map(|t| t.as_second())
        .map_err(|e| format!("bad JIRA time {text:?}: {e}"))
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

/// A user as a login of its own namespace: `jira:` and their stable name
/// (`name` on a server, else `accountId` on Atlassian Cloud, else the key), so
/// a JIRA user is never taken for the GitHub user of the same name.
pub fn user(v: &Value) -> Option<String> {
    ["name", "accountId", "key"]
        .iter()
        .find_map(|k| v.get(k).and_then(Value::as_str))
        .map(|name| format!("jira:{name}"))
}

/// The users of an issue whose address JIRA shows, as login links (their
/// address joins them to the person of their commits).
pub fn links(issue: &Value) -> Vec<LoginLink> {
    let mut out: Vec<LoginLink> = Vec::new();
    let mut visit = |u: &Value| {
        if let (Some(login), Some(email)) = (user(u), str_at(u, &["emailAddress"])) {
            let link = LoginLink {
                login,
                name: str_at(u, &["displayName"]).unwrap_or_default().to_owned(),
                email: email.to_owned(),
            };
            if !out.contains(&link) {
                out.push(link);
            }
        }
    };
    let f = &issue["fields"];
    for u in [&f["reporter"], &f["assignee"], &f["creator"]] {
        visit(u);
    }
    for c in f["comment"]["comments"].as_array().into_iter().flatten() {
        visit(&c["author"]);
    }
    for h in issue["changelog"]["histories"]
        .as_array()
        .into_iter()
        .flatten()
    {
        visit(&h["author"]);
    }
    out
}

/// The number of an issue key (`KAFKA-1234` → 1234).
pub fn number(key: &str) -> Option<u64> {
    key.rsplit_once('-')?.1.parse().ok()
}

/// An issue of a search page as an item (its tracker is the project's key).
pub fn item(issue: &Value, project: &str) -> Result<ForgeItem, String> {
    let key = issue
        .get("key")
        .and_then(Value::as_str)
        .ok_or("an issue without a key")?;
    let number = number(key).ok_or_else(|| format!("{key} is not an issue key"))?;
    let f = issue
        .get("fields")
        .ok_or_else(|| format!("{key} has no fields"))?;
    let time = |name: &str| -> Result<Option<i64>, String> {
        f.get(name).and_then(Value::as_str).map(seconds).transpose()
    };
    let created = time("created")?.ok_or_else(|| format!("{key} has no creation time"))?;
    let status = str_at(f, &["status", "name"]).unwrap_or("").to_lowercase();
    let closed = time("resolutiondate")?.or_else(|| {
        CLOSED
            .contains(&status.as_str())
            .then(|| time("updated").ok().flatten())
            .flatten()
    });
    let mut labels: Vec<String> = f
        .get("labels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().map(str::to_owned))
        .collect();
    for (field, prefix) in [("components", "component"), ("fixVersions", "fix-version")] {
        labels.extend(
            f.get(field)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|c| str_at(c, &["name"]).map(|n| format!("{prefix}:{n}"))),
        );
    }
    Ok(ForgeItem {
        number,
        kind: ItemKind::Issue,
        author: f.get("reporter").and_then(user),
        author_association: None,
        title: str_at(f, &["summary"]).unwrap_or_default().to_owned(),
        state: if closed.is_some() { "closed" } else { "open" }.to_owned(),
        draft: false,
        created,
        updated: time("updated")?.unwrap_or(created),
        closed,
        merged: None,
        merged_by: None,
        labels,
        assignees: f.get("assignee").and_then(user).into_iter().collect(),
        tracker: Some(project.to_owned()),
        first_commit: None,
    })
}

/// A comment of issue `number` as an activity.
pub fn comment(c: &Value, number: u64, project: &str) -> Result<Option<Activity>, String> {
    let Some(id) = c.get("id").and_then(Value::as_str) else {
        return Ok(None);
    };
    let time = str_at(c, &["created"]).map(seconds).transpose()?;
    Ok(time.map(|time| Activity {
        id: format!("jira:{project}:comment:{id}"),
        number,
        kind: ActivityKind::Comment,
        actor: c.get("author").and_then(user),
        association: None,
        time,
        detail: None,
        tracker: Some(project.to_owned()),
    }))
}

/// The changelog of an issue as activities: status changes to and from a
/// closed status, assignments, labels and components put on and taken off.
pub fn changelog(issue: &Value, number: u64, project: &str) -> Result<Vec<Activity>, String> {
    let mut out = Vec::new();
    let histories = issue
        .get("changelog")
        .and_then(|c| c.get("histories"))
        .and_then(Value::as_array);
    for h in histories.into_iter().flatten() {
        let id = h.get("id").and_then(Value::as_str).unwrap_or_default();
        let time = seconds(str_at(h, &["created"]).ok_or("a change without a time")?)?;
        let actor = h.get("author").and_then(user);
        let items = h.get("items").and_then(Value::as_array);
        for (i, change) in items.into_iter().flatten().enumerate() {
            let field = str_at(change, &["field"]).unwrap_or("").to_lowercase();
            let from = str_at(change, &["fromString"]).unwrap_or("");
            let to = str_at(change, &["toString"]).unwrap_or("");
            let acts: Vec<(ActivityKind, Option<String>)> = match field.as_str() {
                "status" => {
                    let (was, is) = (
                        CLOSED.contains(&from.to_lowercase().as_str()),
                        CLOSED.contains(&to.to_lowercase().as_str()),
                    );
                    match (was, is) {
                        (false, true) => vec![(ActivityKind::Closed, Some(to.to_owned()))],
                        (true, false) => vec![(ActivityKind::Reopened, Some(to.to_owned()))],
                        _ => Vec::new(),
                    }
                }
                "assignee" if !to.is_empty() => vec![(
                    ActivityKind::Assigned,
                    str_at(change, &["to"]).map(str::to_owned),
                )],
                "labels" | "component" | "fix version" => label_changes(&field, from, to),
                // A resolution set closes an issue whose workflow has no closing status.
                "resolution" if !to.is_empty() && !closes_in(h) => {
                    vec![(ActivityKind::Closed, Some(to.to_owned()))]
                }
                _ => Vec::new(),
            };
            for (j, (kind, detail)) in acts.into_iter().enumerate() {
                out.push(Activity {
                    id: format!("jira:{project}:change:{id}:{i}:{j}"),
                    number,
                    kind,
                    actor: actor.clone(),
                    association: None,
                    time,
                    detail,
                    tracker: Some(project.to_owned()),
                });
            }
        }
    }
    Ok(out)
}

/// Whether a changelog entry moves the status to a closed one.
fn closes_in(history: &Value) -> bool {
    history["items"].as_array().into_iter().flatten().any(|i| {
        str_at(i, &["field"]).is_some_and(|f| f.eq_ignore_ascii_case("status"))
            && CLOSED.contains(
                &str_at(i, &["toString"])
                    .unwrap_or("")
                    .to_lowercase()
                    .as_str(),
            )
    })
}

/// Labels (space-separated), a component or a fix version put on and taken
/// off; components and versions are labels named `component:…`, `fix-version:…`.
fn label_changes(field: &str, from: &str, to: &str) -> Vec<(ActivityKind, Option<String>)> {
    let prefix = match field {
        "component" => Some("component"),
        "fix version" => Some("fix-version"),
        _ => None,
    };
    let name = |l: &str| match prefix {
        Some(p) => format!("{p}:{l}"),
        None => l.to_owned(),
    };
    let split = |s: &str| -> Vec<String> {
        if prefix.is_some() {
            (!s.is_empty()).then(|| s.to_owned()).into_iter().collect()
        } else {
            s.split_whitespace().map(str::to_owned).collect()
        }
    };
    let (before, after) = (split(from), split(to));
    let added = after
        .iter()
        .filter(|l| !before.contains(l))
        .map(|l| (ActivityKind::Labeled, Some(name(l))));
    let removed = before
        .iter()
        .filter(|l| !after.contains(l))
        .map(|l| (ActivityKind::Unlabeled, Some(name(l))));
    added.chain(removed).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_components_labels_and_resolutions() {
        let issue = json!({"changelog": {"histories": [
            {"id": "1", "author": {"name": "ann"}, "created": "2024-01-01T10:00:00.000+0000", "items": [
                {"field": "Fix Version", "fromString": null, "toString": "3.7.0"},
                {"field": "labels", "fromString": "a b", "toString": "b c"},
                {"field": "Component", "fromString": "core", "toString": ""}]},
            {"id": "2", "author": {"name": "bob"}, "created": "2024-01-02T10:00:00.000+0000", "items": [
                {"field": "resolution", "fromString": null, "toString": "Fixed"}]},
            {"id": "3", "author": {"name": "bob"}, "created": "2024-01-03T10:00:00.000+0000", "items": [
                {"field": "resolution", "fromString": null, "toString": "Fixed"},
                {"field": "status", "fromString": "Open", "toString": "Resolved"}]}]}});
        let acts: Vec<(ActivityKind, Option<String>, Option<String>)> = changelog(&issue, 7, "K")
            .expect("parses")
            .into_iter()
            .map(|a| (a.kind, a.detail, a.actor))
            .collect();
        let ann = Some("jira:ann".to_owned());
        let bob = Some("jira:bob".to_owned());
        assert_eq!(
            acts,
            [
                (
                    ActivityKind::Labeled,
                    Some("fix-version:3.7.0".into()),
                    ann.clone()
                ),
                (ActivityKind::Labeled, Some("c".into()), ann.clone()),
                (ActivityKind::Unlabeled, Some("a".into()), ann.clone()),
                (ActivityKind::Unlabeled, Some("component:core".into()), ann),
                (ActivityKind::Closed, Some("Fixed".into()), bob.clone()),
                (ActivityKind::Closed, Some("Resolved".into()), bob),
            ]
        );
    }
}
