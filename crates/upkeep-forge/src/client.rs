//! The HTTP client every forge request goes through: rate limits read from
//! `X-RateLimit-*` (GitLab: `RateLimit-*`) headers and GraphQL's `rateLimit`, waits (reported as a
//! countdown) rather than failures, `Retry-After` and secondary-limit 403s
//! honoured, server errors and timeouts retried with backoff, `ETag`s sent
//! back as `If-None-Match`, and a cap on requests per run.

use crate::token::Token;
use crate::{Error, Progress};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How the client behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// The API base, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`.
    pub base: String,
    /// The token, or `None` for anonymous requests.
    pub token: Option<Token>,
    /// Stop (resumably) after this many requests.
    pub max_requests: Option<u64>,
    /// The first backoff after a server error or timeout; doubled on each retry.
    pub backoff: Duration,
    /// Retries after server errors and timeouts.
    pub retries: u32,
    /// How long to wait after a secondary-limit 403 that says nothing of when to retry.
    pub secondary_wait: Duration,
    /// Timeout of one request.
    pub timeout: Duration,
    /// Whether the server is GitHub's API (its media type and version
    /// headers); other servers (JIRA, list archives) are asked for plain JSON.
    pub github: bool,
}

impl Options {
    /// Defaults for `base` and `token`: 5 retries from 1 s, a minute after a secondary limit, 60 s timeout.
    pub fn new(base: &str, token: Option<Token>) -> Self {
        Options {
            base: base.trim_end_matches('/').to_owned(),
            token,
            max_requests: None,
            backoff: Duration::from_secs(1),
            retries: 5,
            secondary_wait: Duration::from_secs(60),
            timeout: Duration::from_secs(60),
            github: true,
        }
    }
}

/// An answer to a GET.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// `false` when the server answered 304 Not Modified to our `If-None-Match`.
    pub modified: bool,
    /// The body (empty for 304).
    pub body: String,
    /// The `ETag` to send next time.
    pub etag: Option<String>,
    /// The path of the next page (`Link: <…>; rel="next"`), relative to the base.
    pub next: Option<String>,
    /// The URL asked, for messages.
    pub url: String,
}

/// Waits on rate limits at most this many times for one request before giving up.
const MAX_LIMIT_WAITS: u32 = 10;

/// The client.
pub struct Client {
    http: reqwest::blocking::Client,
    options: Options,
    requests: u64,
    remaining: Option<u64>,
    reset: Option<u64>,
}

/// Seconds since the Unix epoch.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A reset time from a header: seconds since the epoch (some recordings write milliseconds).
fn epoch_seconds(text: &str) -> Option<u64> {
    let n: u64 = text.trim().parse().ok()?;
    Some(if n > 100_000_000_000 { n / 1000 } else { n })
}

impl Client {
    /// A client with `options`.
    pub fn new(options: Options) -> Result<Self, Error> {
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("upkeep/", env!("CARGO_PKG_VERSION")))
            .timeout(options.timeout)
            .build()
            .map_err(|e| Error::Http {
                url: options.base.clone(),
                message: e.to_string(),
            })?;
        Ok(Client {
            http,
            options,
            requests: 0,
            remaining: None,
            reset: None,
        })
    }

    /// Requests made so far.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Requests left as the last response said, and when the limit resets.
    pub fn rate(&self) -> Option<(u64, Option<u64>)> {
        self.remaining.map(|r| (r, self.reset))
    }

    /// Whether requests carry a token.
    pub fn authenticated(&self) -> bool {
        self.options.token.is_some()
    }

    /// The GraphQL endpoint: `/graphql` beside a REST base (`/api/graphql` for GitHub Enterprise's `/api/v3`).
    fn graphql_url(&self) -> String {
        match self.options.base.strip_suffix("/api/v3") {
            Some(root) => format!("{root}/api/graphql"),
            None => format!("{}/graphql", self.options.base),
        }
    }

    /// GETs `path` (relative to the base), sending `etag` as `If-None-Match`.
    pub fn get(
        &mut self,
        path: &str,
        etag: Option<&str>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Page, Error> {
        let url = format!("{}{}", self.options.base, path);
        let response = self.send(&url, progress, &|http, url| {
            let mut r = http.get(url);
            if let Some(etag) = etag {
                r = r.header("If-None-Match", etag);
            }
            r
        })?;
        let etag = header(&response, "etag");
        let next = header(&response, "link").and_then(|l| self.next_link(&l));
        if response.status().as_u16() == 304 {
            return Ok(Page {
                modified: false,
                body: String::new(),
                etag,
                next: None,
                url,
            });
        }
        let body = read_body(response, &url)?;
        Ok(Page {
            modified: true,
            body,
            etag,
            next,
            url,
        })
    }

    /// GETs `path` (relative to the base) as bytes, with the same waits and
    /// retries as [`Client::get`]: a file of an archive rather than an API
    /// page. `None` when the server has no such file (404 or 410).
    pub fn get_bytes(
        &mut self,
        path: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Option<Vec<u8>>, Error> {
        let url = format!("{}{}", self.options.base, path);
        let response = match self.send(&url, progress, &|http, url| http.get(url)) {
            Ok(response) => response,
            Err(Error::Status {
                status: 404 | 410, ..
            }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let bytes = response.bytes().map_err(|e| Error::Http {
            url: url.clone(),
            message: format!("the answer was cut off: {e}"),
        })?;
        Ok(Some(bytes.to_vec()))
    }

    /// Runs a GraphQL query; returns its `data`. Reads `data.rateLimit` when the query asks for it.
    pub fn graphql(
        &mut self,
        query: &str,
        variables: Value,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Value, Error> {
        let url = self.graphql_url();
        let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
        for _ in 0..MAX_LIMIT_WAITS {
            let response = self.send(&url, progress, &|http, url| {
                http.post(url)
                    .header("Content-Type", "application/json")
                    .body(body.clone())
            })?;
            let text = read_body(response, &url)?;
            let mut value: Value = serde_json::from_str(&text).map_err(|e| Error::Json {
                url: url.clone(),
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
                    self.remaining = Some(0);
                    self.wait_for_reset(progress);
                    continue;
                }
                let messages: Vec<&str> = errors
                    .iter()
                    .filter_map(|e| e.get("message").and_then(Value::as_str))
                    .collect();
                return Err(Error::GraphQl(messages.join("; ")));
            }
            let data = value
                .get_mut("data")
                .map(Value::take)
                .unwrap_or(Value::Null);
            if let Some(limit) = data.get("rateLimit") {
                self.remaining = limit.get("remaining").and_then(Value::as_u64);
                self.reset = limit
                    .get("resetAt")
                    .and_then(Value::as_str)
                    .and_then(|t| t.parse::<jiff::Timestamp>().ok())
                    .and_then(|t| u64::try_from(t.as_second()).ok());
            }
            return Ok(data);
        }
        Err(Error::GraphQl("rate limited again after every wait".into()))
    }

    /// The path of a `rel="next"` link, relative to the base.
    fn next_link(&self, link: &str) -> Option<String> {
        let target = link.split(',').find_map(|part| {
            let (url, params) = part.trim().split_once(';')?;
            params
                .split(';')
                .any(|p| p.trim() == "rel=\"next\"")
                .then(|| url.trim().trim_start_matches('<').trim_end_matches('>'))
        })?;
        if let Some(path) = target.strip_prefix(&self.options.base) {
            return Some(path.to_owned());
        }
        // Another origin (a recording, a proxy): keep the path and query, under our base.
        let after_scheme = target.split_once("://").map_or(target, |(_, r)| r);
        let path = &after_scheme[after_scheme.find('/')?..];
        let base_path = self
            .options
            .base
            .split_once("://")
            .and_then(|(_, r)| r.find('/').map(|i| &r[i..]))
            .unwrap_or("");
        Some(path.strip_prefix(base_path).unwrap_or(path).to_owned())
    }

    /// Sends a request built by `build`, waiting on rate limits and retrying server errors.
    fn send(
        &mut self,
        url: &str,
        progress: &mut dyn FnMut(Progress),
        build: &dyn Fn(&reqwest::blocking::Client, &str) -> reqwest::blocking::RequestBuilder,
    ) -> Result<reqwest::blocking::Response, Error> {
        let mut failures = 0;
        let mut limit_waits = 0;
        loop {
            if let Some(max) = self.options.max_requests
                && self.requests >= max
            {
                return Err(Error::MaxRequests(max));
            }
            self.wait_for_reset(progress);
            self.requests += 1;
            let mut request = build(&self.http, url);
            request = if self.options.github {
                request
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
            } else {
                request.header("Accept", "application/json")
            };
            if let Some(token) = &self.options.token {
                request = request.header("Authorization", token.header());
            }
            let retry = |failures: &mut u32, message: String| -> Result<(), Error> {
                if *failures >= self.options.retries {
                    return Err(Error::Http {
                        url: url.to_owned(),
                        message: format!("{message} (after {} retries)", self.options.retries),
                    });
                }
                std::thread::sleep(self.options.backoff * 2u32.pow(*failures));
                *failures += 1;
                Ok(())
            };
            let response = match request.send() {
                Ok(r) => r,
                // A host that cannot be reached at all gets one more try, not the whole backoff.
                Err(e) if e.is_connect() && failures >= 1 => {
                    return Err(Error::Http {
                        url: url.to_owned(),
                        message: format!("cannot connect: {e}"),
                    });
                }
                Err(e) => {
                    retry(&mut failures, e.to_string())?;
                    continue;
                }
            };
            // GitHub writes `X-RateLimit-*`, GitLab `RateLimit-*`.
            if let Some(remaining) = header(&response, "x-ratelimit-remaining")
                .or_else(|| header(&response, "ratelimit-remaining"))
            {
                self.remaining = remaining.trim().parse().ok();
            }
            if let Some(reset) = header(&response, "x-ratelimit-reset")
                .or_else(|| header(&response, "ratelimit-reset"))
            {
                self.reset = epoch_seconds(&reset);
            }
            let status = response.status().as_u16();
            if status < 300 || status == 304 {
                return Ok(response);
            }
            if status >= 500 {
                // A server that says when to come back (503 + Retry-After) is waited for.
                if let Some(seconds) = header(&response, "retry-after")
                    .and_then(|s| s.trim().parse::<u64>().ok())
                    .filter(|s| *s <= 300 && failures < self.options.retries)
                {
                    failures += 1;
                    countdown(seconds, &format!("HTTP {status}"), progress);
                    continue;
                }
                retry(&mut failures, format!("HTTP {status}"))?;
                continue;
            }
            let retry_after = header(&response, "retry-after").and_then(|s| s.trim().parse().ok());
            let body = response.text().unwrap_or_default();
            let message = serde_json::from_str::<Value>(&body)
                .ok()
                .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| body.chars().take(200).collect());
            let limited = matches!(status, 403 | 429)
                && (retry_after.is_some()
                    || self.remaining == Some(0)
                    || message.to_lowercase().contains("rate limit")
                    || message.to_lowercase().contains("abuse"));
            if limited && limit_waits < MAX_LIMIT_WAITS {
                limit_waits += 1;
                let seconds = match retry_after {
                    Some(s) => s,
                    None if self.remaining == Some(0) => {
                        self.reset.map_or(60, |r| r.saturating_sub(now()) + 1)
                    }
                    None => self.options.secondary_wait.as_secs() << (limit_waits - 1).min(4),
                };
                self.remaining = None;
                countdown(seconds, &format!("rate limited ({message})"), progress);
                continue;
            }
            return Err(Error::Status {
                url: url.to_owned(),
                status,
                message,
            });
        }
    }

    /// Waits, with a countdown, until the rate limit resets when none is left.
    fn wait_for_reset(&mut self, progress: &mut dyn FnMut(Progress)) {
        if self.remaining != Some(0) {
            return;
        }
        if let Some(reset) = self.reset {
            let seconds = reset.saturating_sub(now()) + 1;
            countdown(seconds, "rate limit used up", progress);
        }
        self.remaining = None;
    }
}

/// Sleeps `seconds`, reporting the time left each second.
fn countdown(seconds: u64, reason: &str, progress: &mut dyn FnMut(Progress)) {
    for left in (1..=seconds).rev() {
        progress(Progress::Waiting {
            seconds: left,
            reason: reason.to_owned(),
        });
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// The whole body of `response`; a body that ends before its announced length is an error.
fn read_body(response: reqwest::blocking::Response, url: &str) -> Result<String, Error> {
    response.text().map_err(|e| Error::Http {
        url: url.to_owned(),
        message: format!("the answer was cut off: {e}"),
    })
}

fn header(response: &reqwest::blocking::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
