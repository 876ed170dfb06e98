//! GitHub (github.com and GitHub Enterprise Server) as a forge.
//!
//! With a token, issues and pull requests come from the GraphQL API in bulk
//! ([`graphql`]); without one (GraphQL needs a token) from the REST API
//! ([`anonymous`]). Both check first, with `If-None-Match`, whether anything
//! changed since the last run: an unchanged repository costs three requests
//! that the rate limit does not count (304 answers), and one for its
//! security advisories ([`advisories`]).

pub mod adoption;
pub mod advisories;
mod anonymous;
pub mod graphql;
pub mod rest;

use crate::client::{Client, Options};
use crate::sink::{Batch, Sink, save};
use crate::{Error, Forge, Progress, RepoRef, Summary};
use upkeep_core::events::ItemKind;

/// The public API base.
pub const API: &str = "https://api.github.com";

/// Every page of a list (URL and body), and the ETag of its first.
type Pages = (Vec<(String, String)>, Option<String>);

/// The GitHub forge.
pub struct GitHub {
    client: Client,
}

impl GitHub {
    /// A GitHub forge with client `options` (GitHub's media type and API version added).
    pub fn new(options: Options) -> Result<Self, Error> {
        Ok(GitHub {
            client: Client::new(options.github())?,
        })
    }

    /// GETs `path` with the ETag saved under `cursor`; `None` when unchanged (304),
    /// else every page's body (following `Link: rel="next"`) and the new ETag.
    fn changed(
        &mut self,
        path: &str,
        cursor: &str,
        sink: &dyn Sink,
        progress: &mut dyn FnMut(Progress),
        repo: &RepoRef,
    ) -> Result<Option<Pages>, Error> {
        let etag = sink.cursor(cursor);
        let first = self
            .client
            .get(path, etag.as_deref(), progress)
            .map_err(|e| not_found(e, repo))?;
        if !first.modified {
            return Ok(None);
        }
        let etag = first.etag;
        let mut next = first.next;
        let mut pages = vec![(first.url, first.body)];
        while let Some(path) = next {
            let page = self.client.get(&path, None, progress)?;
            next = page.next;
            pages.push((page.url, page.body));
        }
        Ok(Some((pages, etag)))
    }

    /// GETs `path`: its body, or `None` when the forge says it is not there
    /// or not for this token (404, 403).
    fn optional(
        &mut self,
        path: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Option<String>, Error> {
        match self.client.get(path, None, progress) {
            Ok(page) => Ok(Some(page.body)),
            Err(Error::Http(upkeep_http::Error::Status {
                status: 403 | 404, ..
            })) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The repository's published security advisories, when they changed
    /// since the last run (none, when the forge does not show them).
    fn sync_advisories(
        &mut self,
        base: &str,
        repo: &RepoRef,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), Error> {
        let path = format!("{base}/security-advisories?state=published&per_page=100");
        let changed = match self.changed(&path, "github.advisories.etag", sink, progress, repo) {
            Err(
                Error::NotFound(_) | Error::Http(upkeep_http::Error::Status { status: 403, .. }),
            ) => return Ok(()),
            other => other?,
        };
        let Some((pages, etag)) = changed else {
            return Ok(());
        };
        let mut batch = Batch::cursors(vec![("github.advisories.etag".into(), etag)]);
        for (url, body) in &pages {
            batch
                .advisories
                .extend(advisories::repository_advisories(body).map_err(Error::json(url))?);
        }
        save(sink, batch)
    }

    fn sync_all(
        &mut self,
        repo: &RepoRef,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(Progress),
        summary: &mut Summary,
    ) -> Result<(), Error> {
        let base = format!("/repos/{}/{}", repo.owner, repo.name);
        // Repository metadata: first, so a wrong name fails before anything else.
        if let Some((pages, etag)) =
            self.changed(&base, "github.repo.etag", sink, progress, repo)?
        {
            let (url, body) = &pages[0];
            let mut meta = rest::repo(body).map_err(Error::json(url))?;
            if self.client.authenticated() {
                graphql::meta_extras(&mut self.client, repo, &mut meta, progress)?;
            }
            meta.private_reporting = self
                .optional(&format!("{base}/private-vulnerability-reporting"), progress)?
                .as_deref()
                .and_then(advisories::private_reporting);
            let mut batch = Batch::cursors(vec![("github.repo.etag".into(), etag)]);
            batch.meta = Some(meta);
            save(sink, batch)?;
        }
        self.sync_advisories(&base, repo, sink, progress)?;
        let releases_path = format!("{base}/releases?per_page=100");
        if let Some((pages, etag)) =
            self.changed(&releases_path, "github.releases.etag", sink, progress, repo)?
        {
            let mut batch = Batch::cursors(vec![("github.releases.etag".into(), etag)]);
            for (url, body) in &pages {
                batch
                    .releases
                    .extend(rest::releases(body).map_err(Error::json(url))?);
            }
            summary.releases += batch.releases.len() as u64;
            save(sink, batch)?;
            progress(Progress::Page {
                what: "releases",
                items: summary.items,
            });
        }
        // Has any issue or pull request changed? (The issues list holds both, newest update first.)
        let gate_path = format!("{base}/issues?state=all&sort=updated&direction=desc&per_page=1");
        let gate = self.client.get(
            &gate_path,
            sink.cursor("github.gate.etag").as_deref(),
            progress,
        )?;
        let unfinished = [ItemKind::Issue, ItemKind::PullRequest]
            .iter()
            .any(|k| graphql::unfinished(sink, *k))
            || anonymous::unfinished(sink);
        if !gate.modified && !unfinished {
            return Ok(());
        }
        if self.client.authenticated() {
            for kind in [ItemKind::PullRequest, ItemKind::Issue] {
                graphql::pass(&mut self.client, repo, kind, sink, progress, summary)?;
            }
        } else {
            anonymous::sync(&mut self.client, &base, sink, progress, summary)?;
        }
        save(
            sink,
            Batch::cursors(vec![("github.gate.etag".into(), gate.etag)]),
        )
    }
}

/// A 404 on the repository itself: it does not exist, or the token cannot see it.
fn not_found(e: Error, repo: &RepoRef) -> Error {
    match e {
        Error::Http(upkeep_http::Error::Status { status: 404, .. }) => {
            Error::NotFound(repo.to_string())
        }
        e => e,
    }
}

impl Forge for GitHub {
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
