//! The forges' side of the one HTTP client ([`upkeep_http`]): its waits
//! reported as forge [`Progress`], and GraphQL (GitHub's `rateLimit` and
//! `RATE_LIMITED` errors) on top of its POST.

use crate::{Error, Progress};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
pub use upkeep_http::{Options, Page};

/// A client of one forge's API.
pub struct Client {
    http: upkeep_http::Client,
    /// GraphQL points spent so far (`rateLimit.cost` of each answer).
    points: AtomicU64,
}

/// Waits on GraphQL rate-limit errors at most this many times for one query.
const MAX_LIMIT_WAITS: u32 = 10;

/// `progress` as the HTTP client's wait callback.
fn waits(progress: &mut dyn FnMut(Progress)) -> impl FnMut(upkeep_http::Wait) + '_ {
    |w: upkeep_http::Wait| {
        progress(Progress::Waiting {
            seconds: w.seconds,
            reason: w.reason,
        });
    }
}

impl Client {
    /// A client with `options`.
    pub fn new(options: Options) -> Result<Self, Error> {
        Ok(Client {
            http: upkeep_http::Client::new(options)?,
            points: AtomicU64::new(0),
        })
    }

    /// GraphQL points spent so far, as the answers said.
    pub fn points(&self) -> u64 {
        self.points.load(Ordering::Relaxed)
    }

    /// Requests made so far.
    pub fn requests(&self) -> u64 {
        self.http.requests()
    }

    /// Requests left as the last response said, and when the limit resets.
    pub fn rate(&self) -> Option<(u64, Option<u64>)> {
        self.http.rate()
    }

    /// Whether requests carry a token.
    pub fn authenticated(&self) -> bool {
        self.http.authenticated()
    }

    /// GETs `path` (relative to the base), sending `etag` as `If-None-Match`.
    pub fn get(
        &self,
        path: &str,
        etag: Option<&str>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Page, Error> {
        Ok(self.http.get(path, etag, &mut waits(progress))?)
    }

    /// The GraphQL endpoint: `/graphql` beside a REST base (`/api/graphql` for GitHub Enterprise's `/api/v3`).
    fn graphql_url(&self) -> String {
        let base = self.http.base();
        match base.strip_suffix("/api/v3") {
            Some(root) => format!("{root}/api/graphql"),
            None => format!("{base}/graphql"),
        }
    }

    /// Runs a GraphQL query; returns its `data`. Reads `data.rateLimit` when the query asks for it.
    pub fn graphql(
        &self,
        query: &str,
        variables: Value,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Value, Error> {
        let url = self.graphql_url();
        let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
        let mut on_wait = waits(progress);
        for _ in 0..MAX_LIMIT_WAITS {
            let text = self
                .http
                .post(&url, "application/json", &body, &mut on_wait)?;
            let mut value: Value = serde_json::from_str(&text).map_err(|e| Error::Json {
                url: self.http.redact(&url),
                message: e.to_string(),
            })?;
            if let Some(errors) = value
                .get("errors")
                .and_then(Value::as_array)
                .filter(|e| !e.is_empty())
            {
                if errors
                    .iter()
                    .any(|e| e.get("type").and_then(Value::as_str) == Some("RATE_LIMITED"))
                {
                    self.http.note_exhausted();
                    self.http.wait_for_reset(&mut on_wait);
                    continue;
                }
                let messages: Vec<&str> = errors
                    .iter()
                    .filter_map(|e| e.get("message").and_then(Value::as_str))
                    .collect();
                return Err(Error::GraphQl(self.http.redact(&messages.join("; "))));
            }
            let data = value
                .get_mut("data")
                .map(Value::take)
                .unwrap_or(Value::Null);
            if let Some(limit) = data.get("rateLimit") {
                let cost = limit.get("cost").and_then(Value::as_u64).unwrap_or(0);
                self.points.fetch_add(cost, Ordering::Relaxed);
                self.http.note_rate(
                    limit.get("remaining").and_then(Value::as_u64),
                    limit
                        .get("resetAt")
                        .and_then(Value::as_str)
                        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                        .and_then(|t| u64::try_from(t.as_second()).ok()),
                );
            }
            return Ok(data);
        }
        Err(Error::GraphQl("rate limited again after every wait".into()))
    }
}
