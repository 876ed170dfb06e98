//! JIRA (REST API v2, as self-hosted JIRA and Apache's issues.apache.org
//! serve it) as an issue tracker beside a repository's forge.
//!
//! A sync asks `search` for the project's issues updated since the last
//! sync, oldest change first, `expand=changelog`, paging with the
//! `maxResults` the server answers with (it caps what is asked); an issue
//! with more comments than its page holds gets its comment pages too. Each
//! page is stored with the cursor that resumes after it, so an interrupted
//! sync loses nothing and an unchanged project costs one request. Items are
//! the project's issues (numbered by their key's number, tracker = the
//! project's key), activities their comments and changelog; users are
//! `jira:NAME` logins, joined to people by the address JIRA shows, if it does.

pub mod parse;

use crate::client::Client;
use crate::sink::save;
use crate::{Batch, Error, Forge, Progress, RepoRef, Sink, Summary};
use serde_json::Value;
use upkeep_core::events::Activity;

/// How far before the newest change seen the next sync starts: JQL reads
/// times in the server's time zone, which may be up to 14 hours from UTC.
const OVERLAP: i64 = 24 * 3600;

/// Issues asked per page (servers answer with at most their own limit).
const PAGE: u64 = 100;

/// A JIRA project.
pub struct Jira {
    client: Client,
    project: String,
}

impl Jira {
    /// The project `project` (its key, `KAFKA`) of the site the client's base is
    /// (`https://issues.apache.org/jira`).
    pub fn new(client: Client, project: &str) -> Self {
        Jira {
            client,
            project: project.to_ascii_uppercase(),
        }
    }

    fn cursor(&self, what: &str) -> String {
        format!("jira.{}.{what}", self.project)
    }

    /// GETs `path` as JSON.
    fn json(&mut self, path: &str, progress: &mut dyn FnMut(Progress)) -> Result<Value, Error> {
        let page = self.client.get(path, None, progress).map_err(|e| match e {
            Error::Http(upkeep_http::Error::Status {
                status: 400 | 401 | 403 | 404,
                ..
            }) => Error::NotFound(format!(
                "the JIRA project {} ({e}; a private project needs JIRA_TOKEN, and JIRA_USER on Atlassian Cloud)",
                self.project
            )),
            e => e,
        })?;
        serde_json::from_str(&page.body).map_err(|e| Error::Json {
            url: page.url,
            message: e.to_string(),
        })
    }

    /// The comments of `issue` beyond those its search page holds.
    fn more_comments(
        &mut self,
        key: &str,
        number: u64,
        held: u64,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Activity>, Error> {
        let mut out = Vec::new();
        let mut start = held;
        loop {
            let path = format!("/rest/api/2/issue/{key}/comment?startAt={start}&maxResults={PAGE}");
            let page = self.json(&path, progress)?;
            let comments = page["comments"].as_array().cloned().unwrap_or_default();
            for c in &comments {
                out.extend(parse::comment(c, number, &self.project).map_err(Error::json(&path))?);
            }
            start += comments.len() as u64;
            let total = page["total"].as_u64().unwrap_or(0);
            if comments.is_empty() || start >= total {
                return Ok(out);
            }
        }
    }

    /// One search page as a batch: its issues with their complete activity.
    fn page_batch(
        &mut self,
        page: &Value,
        url: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(Batch, i64), Error> {
        let mut batch = Batch {
            tracker: Some(self.project.clone()),
            ..Batch::default()
        };
        let mut newest = i64::MIN;
        for issue in page["issues"].as_array().into_iter().flatten() {
            let item = parse::item(issue, &self.project).map_err(Error::json(url))?;
            let number = item.number;
            newest = newest.max(item.updated);
            let comments = &issue["fields"]["comment"];
            let held = comments["comments"].as_array().map_or(0, Vec::len) as u64;
            for c in comments["comments"].as_array().into_iter().flatten() {
                batch
                    .activities
                    .extend(parse::comment(c, number, &self.project).map_err(Error::json(url))?);
            }
            if comments["total"].as_u64().unwrap_or(0) > held {
                let key = issue["key"].as_str().unwrap_or_default().to_owned();
                let more = self.more_comments(&key, number, held, progress)?;
                batch.activities.extend(more);
            }
            batch
                .activities
                .extend(parse::changelog(issue, number, &self.project).map_err(Error::json(url))?);
            batch.links.extend(parse::links(issue));
            batch.replace_activities_of.push(number);
            batch.items.push(item);
        }
        Ok((batch, newest))
    }

    fn sync_all(
        &mut self,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(Progress),
        summary: &mut Summary,
    ) -> Result<(), Error> {
        let since = sink.cursor(&self.cursor("updated"));
        let mut start: u64 = sink
            .cursor(&self.cursor("start"))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut newest: Option<i64> = sink
            .cursor(&self.cursor("newest"))
            .and_then(|s| s.parse().ok());
        loop {
            let path = search_path(&self.project, since.as_deref(), start);
            let page = self.json(&path, progress)?;
            let (mut batch, page_newest) = self.page_batch(&page, &path, progress)?;
            let count = batch.items.len() as u64;
            if count > 0 {
                newest = Some(newest.map_or(page_newest, |n| n.max(page_newest)));
            }
            start += count;
            let total = page["total"].as_u64().unwrap_or(0);
            let done = count == 0 || start >= total;
            summary.items += count;
            summary.activities += batch.activities.len() as u64;
            batch.cursors = if done {
                vec![
                    (
                        self.cursor("updated"),
                        newest.map(|n| minute(n - OVERLAP)).or(since.clone()),
                    ),
                    (self.cursor("start"), None),
                    (self.cursor("newest"), None),
                ]
            } else {
                vec![
                    (self.cursor("start"), Some(start.to_string())),
                    (self.cursor("newest"), newest.map(|n| n.to_string())),
                ]
            };
            save(sink, batch)?;
            progress(Progress::Page {
                what: "JIRA issues",
                items: summary.items,
            });
            if done {
                return Ok(());
            }
        }
    }
}

impl Forge for Jira {
    /// Syncs the project (the repository only names where it is stored).
    fn sync(
        &mut self,
        _repo: &RepoRef,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Summary, Error> {
        let mut summary = Summary::default();
        let result = self.sync_all(sink, progress, &mut summary);
        crate::finish(result, &self.client, summary)
    }
}

/// The search path for the issues of `project` updated since `since`
/// (`YYYY/MM/DD HH:mm`), from the `start`th.
pub fn search_path(project: &str, since: Option<&str>, start: u64) -> String {
    let mut jql = format!("project = \"{project}\"");
    if let Some(since) = since {
        jql.push_str(&format!(" AND updated >= \"{since}\""));
    }
    jql.push_str(" ORDER BY updated ASC, key ASC");
    format!(
        "/rest/api/2/search?jql={}&startAt={start}&maxResults={PAGE}&expand=changelog&fields=*all",
        url::form_urlencoded::byte_serialize(jql.as_bytes()).collect::<String>()
    )
}

/// A time as JQL writes it, to the minute (UTC): `2024/01/05 10:20`.
fn minute(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y/%m/%d %H:%M").to_string())
        .unwrap_or_default()
}
