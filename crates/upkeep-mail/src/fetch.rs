//! Downloading a list's monthly archives through the one polite HTTP client
//! ([`upkeep_http`]): a pause between requests, `Retry-After` honoured, server errors
//! and timeouts retried with backoff; a month the archive does not have (404)
//! is empty, and a compressed file cut off in the middle is fetched again
//! before the month is given up (and left to the next run).

use crate::archive::{Month, Source, index_months};
use crate::{Parsed, parse_mbox};
use std::collections::HashMap;
use std::time::Duration;
use upkeep_http::{Client, Options, Wait};

/// One month's archive of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthFile {
    /// The month.
    pub month: Month,
    /// Where it is.
    pub url: String,
}

/// What one month's download gave.
#[derive(Debug)]
pub enum Got {
    /// Its messages.
    Messages(Parsed),
    /// The archive has no file for it (404): no messages that month.
    Missing,
}

/// Errors of the list source.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request failed after every retry.
    #[error(transparent)]
    Http(#[from] upkeep_http::Error),
    /// The file came whole but its content did not (a gzip stream cut off).
    #[error("{url}: the archive is cut off ({message}) after {attempts} downloads")]
    CutOff {
        /// The URL.
        url: String,
        /// What the decoder said.
        message: String,
        /// Downloads tried.
        attempts: u32,
    },
    /// The index page lists no monthly archive.
    #[error(
        "{0}: no monthly archives are linked from this page (is it a pipermail or mod_mbox index?)"
    )]
    EmptyIndex(String),
}

/// How downloads behave.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// The pause between two requests to one server (each server has its own client).
    pub pause: Duration,
    /// The first backoff after a server error; doubled each time.
    pub backoff: Duration,
    /// Retries after server errors and timeouts.
    pub retries: u32,
}

impl Default for FetchOptions {
    /// Half a second between requests, 5 retries from 1 s.
    fn default() -> Self {
        FetchOptions {
            pause: Duration::from_millis(500),
            backoff: Duration::from_secs(1),
            retries: 5,
        }
    }
}

/// Downloads files from list archives, one polite client per server.
pub struct Downloader {
    options: FetchOptions,
    clients: HashMap<String, Client>,
    requests: u64,
}

impl Downloader {
    /// A downloader with `options`.
    pub fn new(options: FetchOptions) -> Self {
        Downloader {
            options,
            clients: HashMap::new(),
            requests: 0,
        }
    }

    /// Requests made so far.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// The bytes at `url`; `None` when the server has no such file.
    pub fn get(
        &mut self,
        url: &str,
        progress: &mut dyn FnMut(Wait),
    ) -> Result<Option<Vec<u8>>, upkeep_http::Error> {
        let (origin, path) = split_url(url);
        let client = match self.clients.entry(origin.to_owned()) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let mut options = Options::new(origin, None);
                options.backoff = self.options.backoff;
                options.retries = self.options.retries;
                options.pause = self.options.pause;
                e.insert(Client::new(options)?)
            }
        };
        let before = client.requests();
        let got = client.get_bytes(path, progress);
        self.requests += client.requests() - before;
        got
    }

    /// The monthly archives of `source` to read, oldest first: the months its
    /// index links to, or every month from `since` to `now` for the sources
    /// read month by month. Local files have none.
    pub fn months(
        &mut self,
        source: &Source,
        since: Month,
        now: Month,
        progress: &mut dyn FnMut(Wait),
    ) -> Result<Vec<MonthFile>, Error> {
        match source {
            Source::Files(_) => Ok(Vec::new()),
            Source::Index(url) => {
                let page = self.get(url, progress)?.unwrap_or_default();
                let months = index_months(&String::from_utf8_lossy(&page));
                if months.is_empty() {
                    return Err(Error::EmptyIndex(url.clone()));
                }
                Ok(months
                    .into_iter()
                    .filter(|(m, _)| *m >= since)
                    .map(|(month, link)| MonthFile {
                        month,
                        url: join(url, &link),
                    })
                    .collect())
            }
            Source::HyperKitty { .. } | Source::Apache { .. } => Ok(since
                .through(now)
                .into_iter()
                .filter_map(|month| {
                    Some(MonthFile {
                        month,
                        url: source.month_url(month)?,
                    })
                })
                .collect()),
        }
    }

    /// Downloads and reads one month; a cut-off archive is downloaded again
    /// (twice at most) before it is an error.
    pub fn month(
        &mut self,
        file: &MonthFile,
        progress: &mut dyn FnMut(Wait),
    ) -> Result<Got, Error> {
        const ATTEMPTS: u32 = 3;
        let mut last = String::new();
        for _ in 0..ATTEMPTS {
            let Some(bytes) = self.get(&file.url, progress)? else {
                return Ok(Got::Missing);
            };
            match parse_mbox(&bytes) {
                Ok(parsed) => return Ok(Got::Messages(parsed)),
                Err(e) => last = e.to_string(),
            }
        }
        Err(Error::CutOff {
            url: file.url.clone(),
            message: last,
            attempts: ATTEMPTS,
        })
    }
}

/// `(scheme://host[:port], /path?query)`.
fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => url.split_at(after_scheme + i),
        None => (url, "/"),
    }
}

/// `link` resolved against the page `base` (ending in `/`).
fn join(base: &str, link: &str) -> String {
    if link.contains("://") {
        return link.to_owned();
    }
    if let Some(absolute) = link.strip_prefix('/') {
        return format!("{}/{absolute}", split_url(base).0);
    }
    let dir = &base[..base.rfind('/').map_or(base.len(), |i| i + 1)];
    format!("{dir}{link}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            split_url("http://127.0.0.1:8080/pipermail/dev/"),
            ("http://127.0.0.1:8080", "/pipermail/dev/")
        );
        assert_eq!(
            join("http://h/pipermail/dev/", "2016-April.txt"),
            "http://h/pipermail/dev/2016-April.txt"
        );
        assert_eq!(join("http://h/a/", "/b.mbox"), "http://h/b.mbox");
    }
}
