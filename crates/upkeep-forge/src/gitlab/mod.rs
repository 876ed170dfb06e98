//! GitLab (REST API v4: gitlab.com, GNOME, freedesktop, self-hosted) as a
//! repository's forge.
//!
//! A sync reads the project (a wrong or private path fails first, saying
//! so), its members with Maintainer or Owner access (their acts are acts with
//! write access, GitLab having no `author_association`), its releases, then
//! merge requests and issues updated since the last sync, oldest change
//! first, page by page (`Link` headers), each with its notes and label
//! events; every page is stored with the cursor that resumes after it.
//! Rate limits (`RateLimit-*`, `Retry-After`) are the client's.

pub mod parse;

use crate::client::Client;
use crate::sink::save;
use crate::{Batch, Error, Forge, Progress, RepoRef, Sink, Summary};
use serde_json::Value;
use std::collections::BTreeSet;
use upkeep_core::events::{Activity, ForgeItem};

/// The cursor of the project's last activity at the last complete sync.
const ACTIVITY: &str = "gitlab.project.last_activity_at";

/// gitlab.com's API.
pub const API: &str = "https://gitlab.com/api/v4";

/// A GitLab project.
pub struct GitLab {
    client: Client,
}

/// Merge requests or issues.
#[derive(Clone, Copy)]
enum Kind {
    MergeRequests,
    Issues,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::MergeRequests => "merge_requests",
            Kind::Issues => "issues",
        }
    }

    fn tracker(self) -> Option<&'static str> {
        match self {
            Kind::MergeRequests => None,
            Kind::Issues => Some(parse::ISSUES),
        }
    }
}

impl GitLab {
    /// A GitLab whose API is the client's base (`https://gitlab.com/api/v4`).
    pub fn new(client: Client) -> Self {
        GitLab { client }
    }

    fn json(
        &mut self,
        path: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(Value, Option<String>), Error> {
        let page = self.client.get(path, None, progress)?;
        let value = serde_json::from_str(&page.body).map_err(|e| Error::Json {
            url: page.url.clone(),
            message: e.to_string(),
        })?;
        Ok((value, page.next))
    }

    /// Every page of a list, followed by `Link: rel="next"`.
    fn all(&mut self, path: &str, progress: &mut dyn FnMut(Progress)) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        let mut next = Some(path.to_owned());
        while let Some(path) = next {
            let (page, more) = self.json(&path, progress)?;
            out.extend(page.as_array().cloned().unwrap_or_default());
            next = more;
        }
        Ok(out)
    }

    /// One listed item with its notes and label events.
    fn item_with_activity(
        &mut self,
        base: &str,
        kind: Kind,
        listed: &Value,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(ForgeItem, Vec<Activity>), Error> {
        let number = listed
            .get("iid")
            .and_then(Value::as_u64)
            .unwrap_or_default();
        let item_path = format!("{base}/{}/{number}", kind.path());
        let detail;
        let v = if matches!(kind, Kind::MergeRequests) && parse::needs_detail(listed) {
            detail = self.json(&item_path, progress)?.0;
            &detail
        } else {
            listed
        };
        let item = match kind {
            Kind::MergeRequests => parse::merge_request(v),
            Kind::Issues => parse::issue(v),
        }
        .map_err(Error::json(&item_path))?;
        let notes_path = format!("{item_path}/notes?per_page=100&sort=asc");
        let notes = Value::Array(self.all(&notes_path, progress)?);
        let mut acts =
            parse::notes(&notes, number, kind.tracker()).map_err(Error::json(&notes_path))?;
        if matches!(kind, Kind::MergeRequests) {
            acts.extend(self.approvals(&item_path, &item, &acts, progress)?);
        }
        // Label events matter for triage: every issue's; a merge request's only
        // when it carries labels (a request each is the cost).
        if matches!(kind, Kind::MergeRequests) && item.labels.is_empty() {
            return Ok((item, acts));
        }
        let events_path = format!("{item_path}/resource_label_events?per_page=100");
        // GitLab before 11.3 has no label events (its system notes say it).
        let events = match self.all(&events_path, progress) {
            Ok(events) => Value::Array(events),
            Err(Error::Http(upkeep_http::Error::Status { status: 404, .. })) => {
                Value::Array(Vec::new())
            }
            Err(e) => return Err(e),
        };
        acts.extend(
            parse::label_events(&events, number, kind.tracker())
                .map_err(Error::json(&events_path))?,
        );
        Ok((item, acts))
    }

    /// Approvals of a merged merge request whose notes name none (older
    /// GitLab, or notes removed): `/approvals`, each approval a review, dated
    /// by the merge (the endpoint gives no time). Approval notes, which carry
    /// the time, are the usual source and cost no request.
    fn approvals(
        &mut self,
        item_path: &str,
        item: &ForgeItem,
        acts: &[Activity],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Activity>, Error> {
        let approved_in_notes = acts
            .iter()
            .any(|a| a.kind == upkeep_core::events::ActivityKind::Review);
        let Some(merged) = item.merged.filter(|_| !approved_in_notes) else {
            return Ok(Vec::new());
        };
        let path = format!("{item_path}/approvals");
        let answer = match self.json(&path, progress) {
            Ok((answer, _)) => answer,
            // Approvals are a paid feature on some GitLab versions.
            Err(Error::Http(upkeep_http::Error::Status {
                status: 403 | 404, ..
            })) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(parse::approvals(&answer, item.number, merged))
    }

    /// Merge requests or issues updated since the last sync, page by page.
    fn sync_items(
        &mut self,
        base: &str,
        kind: Kind,
        maintainers: &BTreeSet<String>,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(Progress),
        summary: &mut Summary,
    ) -> Result<(), Error> {
        let after_key = format!("gitlab.{}.updated_after", kind.path());
        let next_key = format!("gitlab.{}.next", kind.path());
        let newest_key = format!("gitlab.{}.newest", kind.path());
        let first = match sink.cursor(&after_key) {
            Some(after) => format!(
                "{base}/{}?state=all&scope=all&order_by=updated_at&sort=asc&per_page=100&updated_after={after}",
                kind.path()
            ),
            None => format!(
                "{base}/{}?state=all&scope=all&order_by=updated_at&sort=asc&per_page=100",
                kind.path()
            ),
        };
        let mut path = sink.cursor(&next_key).unwrap_or(first);
        let mut newest: Option<i64> = sink.cursor(&newest_key).and_then(|n| n.parse().ok());
        loop {
            let (page, next) = self.json(&path, progress)?;
            let mut batch = Batch {
                tracker: kind.tracker().map(str::to_owned),
                ..Batch::default()
            };
            for listed in page.as_array().into_iter().flatten() {
                let (mut item, mut acts) = self.item_with_activity(base, kind, listed, progress)?;
                newest = Some(newest.map_or(item.updated, |n| n.max(item.updated)));
                let maintains =
                    |who: &Option<String>| who.as_ref().is_some_and(|w| maintainers.contains(w));
                item.author_association = Some(
                    if maintains(&item.author) {
                        "MEMBER"
                    } else {
                        "CONTRIBUTOR"
                    }
                    .to_owned(),
                );
                for a in &mut acts {
                    if maintains(&a.actor) {
                        a.association = Some("MEMBER".into());
                    }
                }
                batch.replace_activities_of.push(item.number);
                batch.activities.extend(acts);
                batch.items.push(item);
            }
            summary.items += batch.items.len() as u64;
            summary.activities += batch.activities.len() as u64;
            let done = next.is_none();
            batch.cursors = if done {
                vec![
                    (
                        after_key.clone(),
                        newest
                            .map(|n| crate::time::rfc3339(n + 1))
                            .or(sink.cursor(&after_key)),
                    ),
                    (next_key.clone(), None),
                    (newest_key.clone(), None),
                ]
            } else {
                vec![
                    (next_key.clone(), next.clone()),
                    (newest_key.clone(), newest.map(|n| n.to_string())),
                ]
            };
            save(sink, batch)?;
            progress(Progress::Page {
                what: kind.path(),
                items: summary.items,
            });
            match next {
                Some(n) => path = n,
                None => return Ok(()),
            }
        }
    }

    fn sync_all(
        &mut self,
        repo: &RepoRef,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(Progress),
        summary: &mut Summary,
    ) -> Result<(), Error> {
        let base = format!("/projects/{}", encode(&repo.to_string()));
        let (project, _) = self
            .json(&format!("{base}?license=true"), progress)
            .map_err(|e| match e {
                Error::Http(upkeep_http::Error::Status {
                    status: 401 | 403 | 404,
                    ..
                }) => Error::NotFound(format!(
                    "the GitLab project {repo} (a private project needs GITLAB_TOKEN)"
                )),
                e => e,
            })?;
        // Any push, issue or merge-request change moves the project's last
        // activity: unchanged since the last complete sync, one request is enough.
        let activity = project
            .get("last_activity_at")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let pending = ["merge_requests", "issues"]
            .iter()
            .any(|k| sink.cursor(&format!("gitlab.{k}.next")).is_some());
        if activity.is_some() && activity == sink.cursor(ACTIVITY) && !pending {
            return Ok(());
        }
        let mut batch = Batch {
            meta: Some(parse::project(&project)),
            ..Batch::default()
        };
        // Members need a token that can read them; without one, merges still tell.
        let maintainers: BTreeSet<String> =
            match self.all(&format!("{base}/members/all?per_page=100"), progress) {
                Ok(members) => parse::maintainers(&Value::Array(members))
                    .into_iter()
                    .collect(),
                Err(Error::Http(upkeep_http::Error::Status {
                    status: 401 | 403 | 404,
                    ..
                })) => BTreeSet::new(),
                Err(e) => return Err(e),
            };
        let releases_path = format!("{base}/releases?per_page=100");
        let releases = Value::Array(self.all(&releases_path, progress)?);
        batch.releases = parse::releases(&releases).map_err(Error::json(&releases_path))?;
        summary.releases += batch.releases.len() as u64;
        save(sink, batch)?;
        self.sync_items(
            &base,
            Kind::MergeRequests,
            &maintainers,
            sink,
            progress,
            summary,
        )?;
        self.sync_items(&base, Kind::Issues, &maintainers, sink, progress, summary)?;
        save(sink, Batch::cursors(vec![(ACTIVITY.to_owned(), activity)]))
    }
}

impl Forge for GitLab {
    fn sync(
        &mut self,
        repo: &RepoRef,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Summary, Error> {
        let mut summary = Summary::default();
        let result = self.sync_all(repo, sink, progress, &mut summary);
        crate::finish(result, &self.client, summary)
    }
}

/// A project path as GitLab's API names it: `group%2Fproject`.
fn encode(path: &str) -> String {
    path.replace('/', "%2F")
}
