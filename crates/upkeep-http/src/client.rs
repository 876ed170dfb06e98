//! The client: one base URL, requests sent one after another with a pause
//! between them, rate limits and `Retry-After` waited for (reported as a
//! countdown), server errors, timeouts and refused connections retried with
//! backoff, answers capped in size, and every text shown redacted.

use crate::redact::{self, Secrets};
use crate::{Error, Token};
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How the client behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// The base every path is relative to, e.g. `https://api.github.com`.
    pub base: String,
    /// The token, or `None` for anonymous requests.
    pub token: Option<Token>,
    /// Headers sent with every request (`Accept: application/json` by default).
    pub headers: Vec<(&'static str, &'static str)>,
    /// Stop (resumably) after this many requests.
    pub max_requests: Option<u64>,
    /// The first backoff after a server error or timeout; doubled on each retry.
    pub backoff: Duration,
    /// Retries after server errors and timeouts.
    pub retries: u32,
    /// Retries after a refused connection; then the host is not asked again by this client.
    pub connect_retries: u32,
    /// How long to wait after a rate-limit answer that says nothing of when to retry
    /// (doubled on each such answer, up to 16 times as long).
    pub secondary_wait: Duration,
    /// The longest wait for a rate limit honoured; a server asking for more
    /// fails the request instead. `None`: any wait (reported as a countdown).
    pub max_wait: Option<Duration>,
    /// The pause between two requests to the base's host.
    pub pause: Duration,
    /// Timeout of one request.
    pub timeout: Duration,
    /// The largest answer accepted, in bytes.
    pub max_body: u64,
}

/// GitHub's media type and API version, sent to its REST and GraphQL APIs.
pub const GITHUB_HEADERS: [(&str, &str); 2] = [
    ("Accept", "application/vnd.github+json"),
    ("X-GitHub-Api-Version", "2022-11-28"),
];

/// 256 MiB: the default cap on one answer (an API page or an archive file).
pub const DEFAULT_MAX_BODY: u64 = 256 << 20;

impl Options {
    /// Defaults for `base` and `token`: JSON, 5 retries from 1 s, one retry
    /// of a refused connection, a minute after an unexplained rate limit, any
    /// wait honoured, no pause, 60 s timeout, answers up to 256 MiB.
    pub fn new(base: &str, token: Option<Token>) -> Self {
        Options {
            base: base.trim_end_matches('/').to_owned(),
            token,
            headers: vec![("Accept", "application/json")],
            max_requests: None,
            backoff: Duration::from_secs(1),
            retries: 5,
            connect_retries: 1,
            secondary_wait: Duration::from_secs(60),
            max_wait: None,
            pause: Duration::ZERO,
            timeout: Duration::from_secs(60),
            max_body: DEFAULT_MAX_BODY,
        }
    }

    /// The same options with GitHub's media type and API version headers.
    pub fn github(mut self) -> Self {
        self.headers = GITHUB_HEADERS.to_vec();
        self
    }
}

/// A wait the client is in, for a countdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    /// Seconds left.
    pub seconds: u64,
    /// Why.
    pub reason: String,
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
    /// The URL asked, credentials masked, for messages.
    pub url: String,
}

/// Waits on rate limits at most this many times for one request before giving up.
const MAX_LIMIT_WAITS: u32 = 10;
/// A `Retry-After` of a server error longer than this is not waited for (backoff instead).
const MAX_SERVER_ERROR_WAIT: u64 = 300;

/// What the client learnt from earlier answers.
#[derive(Debug, Default)]
struct State {
    /// Requests left, as the last answer said.
    remaining: Option<u64>,
    /// When the limit resets, seconds since the epoch.
    reset: Option<u64>,
    /// When the next request may be sent (the pause).
    next_slot: Option<Instant>,
    /// Why the host could not be reached, once it could not.
    unreachable: Option<String>,
}

/// The client. Shareable between threads: requests to its host are paced one after another.
pub struct Client {
    http: reqwest::blocking::Client,
    options: Options,
    secrets: Secrets,
    state: Mutex<State>,
    requests: AtomicU64,
}

/// What to do after an answer that is not a success.
enum Next {
    /// Send the request again.
    Retry,
    /// Give up with this error.
    Fail(Error),
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
        crate::install_crypto_provider();
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!(
                "upkeep/",
                env!("CARGO_PKG_VERSION"),
                " (https://github.com/upkeep-dev/upkeep)"
            ))
            .timeout(options.timeout)
            .build()
            .map_err(|e| Error::Http {
                url: redact::urls(&options.base),
                message: e.to_string(),
            })?;
        let secrets = options
            .token
            .as_ref()
            .map(Token::secrets)
            .unwrap_or_default();
        Ok(Client {
            http,
            options,
            secrets,
            state: Mutex::new(State::default()),
            requests: AtomicU64::new(0),
        })
    }

    /// The base URL as given (it may hold credentials: show [`Client::shown_base`]).
    pub fn base(&self) -> &str {
        &self.options.base
    }

    /// The base URL with credentials masked.
    pub fn shown_base(&self) -> String {
        redact::urls(&self.options.base)
    }

    /// Requests made so far (retries included).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Whether requests carry a token.
    pub fn authenticated(&self) -> bool {
        self.options.token.is_some()
    }

    /// `text` with the credentials of URLs and the token's value masked.
    pub fn redact(&self, text: &str) -> String {
        self.secrets.redact(text)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Requests left as the last answer said, and when the limit resets.
    pub fn rate(&self) -> Option<(u64, Option<u64>)> {
        let state = self.state();
        state.remaining.map(|r| (r, state.reset))
    }

    /// Records a rate limit read from an answer's body (GraphQL's `rateLimit`).
    pub fn note_rate(&self, remaining: Option<u64>, reset: Option<u64>) {
        let mut state = self.state();
        state.remaining = remaining;
        if reset.is_some() {
            state.reset = reset;
        }
    }

    /// GETs `path` (relative to the base), sending `etag` as `If-None-Match`.
    pub fn get(
        &self,
        path: &str,
        etag: Option<&str>,
        on_wait: &mut dyn FnMut(Wait),
    ) -> Result<Page, Error> {
        let url = format!("{}{}", self.options.base, path);
        let response = self.send(&url, on_wait, &|http, url| {
            let r = http.get(url);
            match etag {
                Some(etag) => r.header("If-None-Match", etag),
                None => r,
            }
        })?;
        let etag = header(&response, "etag");
        let shown = redact::urls(&url);
        if response.status().as_u16() == 304 {
            return Ok(Page {
                modified: false,
                body: String::new(),
                etag,
                next: None,
                url: shown,
            });
        }
        let next = header(&response, "link").and_then(|l| self.next_link(&l));
        let body = self.read_body(response, &url)?;
        Ok(Page {
            modified: true,
            body: String::from_utf8(body)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            etag,
            next,
            url: shown,
        })
    }

    /// GETs `path` (relative to the base) as bytes, with the same waits and
    /// retries as [`Client::get`]: a file of an archive or a registry's
    /// document. `None` when the server has no such file (404 or 410).
    pub fn get_bytes(
        &self,
        path: &str,
        on_wait: &mut dyn FnMut(Wait),
    ) -> Result<Option<Vec<u8>>, Error> {
        let url = format!("{}{}", self.options.base, path);
        match self.send(&url, on_wait, &|http, url| http.get(url)) {
            Ok(response) => self.read_body(response, &url).map(Some),
            Err(Error::Status {
                status: 404 | 410, ..
            }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// POSTs `body` (of `content_type`) to `path` (relative to the base, or
    /// an absolute URL); returns the answer's body.
    pub fn post(
        &self,
        path: &str,
        content_type: &'static str,
        body: &str,
        on_wait: &mut dyn FnMut(Wait),
    ) -> Result<String, Error> {
        let url = if path.contains("://") {
            path.to_owned()
        } else {
            format!("{}{}", self.options.base, path)
        };
        let response = self.send(&url, on_wait, &|http, url| {
            http.post(url)
                .header("Content-Type", content_type)
                .body(body.to_owned())
        })?;
        let bytes = self.read_body(response, &url)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
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

    /// Sends a request built by `build`, waiting on rate limits and retrying
    /// server errors, until it succeeds (2xx or 304) or fails for good.
    fn send(
        &self,
        url: &str,
        on_wait: &mut dyn FnMut(Wait),
        build: &dyn Fn(&reqwest::blocking::Client, &str) -> reqwest::blocking::RequestBuilder,
    ) -> Result<reqwest::blocking::Response, Error> {
        let mut failures = 0;
        let mut refusals = 0;
        let mut limit_waits = 0;
        loop {
            self.may_send(url)?;
            self.wait_for_reset(on_wait);
            self.wait_for_slot();
            self.requests.fetch_add(1, Ordering::Relaxed);
            let mut request = build(&self.http, url);
            for (name, value) in &self.options.headers {
                request = request.header(*name, *value);
            }
            if let Some(token) = &self.options.token {
                request = request.header("Authorization", token.header());
            }
            let response = match request.send() {
                Ok(response) => response,
                Err(e) if e.is_connect() => {
                    if refusals >= self.options.connect_retries {
                        let message = format!("cannot connect: {}", self.redact(&e.to_string()));
                        self.state().unreachable = Some(message.clone());
                        return Err(self.http_error(url, message));
                    }
                    refusals += 1;
                    self.sleep_backoff(&mut failures);
                    continue;
                }
                Err(e) => {
                    self.back_off(url, &mut failures, &e.to_string())?;
                    continue;
                }
            };
            self.read_rate(&response);
            let status = response.status().as_u16();
            if status < 300 || status == 304 {
                return Ok(response);
            }
            let next = if status >= 500 {
                self.after_server_error(url, &response, &mut failures, on_wait)
            } else {
                self.after_refusal(url, response, &mut limit_waits, on_wait)
            };
            match next {
                Next::Retry => {}
                Next::Fail(e) => return Err(e),
            }
        }
    }

    /// Fails when the cap on requests was reached or the host was found unreachable.
    fn may_send(&self, url: &str) -> Result<(), Error> {
        if let Some(max) = self.options.max_requests
            && self.requests() >= max
        {
            return Err(Error::MaxRequests(max));
        }
        if let Some(why) = self.state().unreachable.clone() {
            return Err(self.http_error(
                url,
                format!("not asked: the host was unreachable earlier in this run ({why})"),
            ));
        }
        Ok(())
    }

    /// Sleeps the next backoff after failure `message`, or fails when the retries are spent.
    fn back_off(&self, url: &str, failures: &mut u32, message: &str) -> Result<(), Error> {
        let retries = self.options.retries;
        if *failures >= retries {
            return Err(self.http_error(
                url,
                format!("{} (after {retries} retries)", self.redact(message)),
            ));
        }
        self.sleep_backoff(failures);
        Ok(())
    }

    /// Sleeps the backoff after `failures` failures (doubling from the first), and counts one more.
    fn sleep_backoff(&self, failures: &mut u32) {
        std::thread::sleep(self.options.backoff * 2u32.pow((*failures).min(16)));
        *failures += 1;
    }

    /// A 5xx: waits as `Retry-After` says (when short), else backs off.
    fn after_server_error(
        &self,
        url: &str,
        response: &reqwest::blocking::Response,
        failures: &mut u32,
        on_wait: &mut dyn FnMut(Wait),
    ) -> Next {
        let status = response.status().as_u16();
        let limit = self.options.max_wait.map_or(MAX_SERVER_ERROR_WAIT, |w| {
            w.as_secs().min(MAX_SERVER_ERROR_WAIT)
        });
        if let Some(seconds) = retry_after(response).filter(|s| *s <= limit)
            && *failures < self.options.retries
        {
            *failures += 1;
            countdown(seconds, &format!("HTTP {status}"), on_wait);
            return Next::Retry;
        }
        match self.back_off(url, failures, &format!("HTTP {status}")) {
            Ok(()) => Next::Retry,
            Err(e) => Next::Fail(e),
        }
    }

    /// A 4xx: a rate limit is waited for (as long as allowed); anything else fails.
    fn after_refusal(
        &self,
        url: &str,
        response: reqwest::blocking::Response,
        limit_waits: &mut u32,
        on_wait: &mut dyn FnMut(Wait),
    ) -> Next {
        let status = response.status().as_u16();
        let retry_after = retry_after(&response);
        let mut text = String::new();
        // An error body is read for its message only: the first 64 KiB.
        let _ = response.take(64 << 10).read_to_string(&mut text);
        let message = self.redact(&server_message(&text));
        let remaining = self.state().remaining;
        let lower = message.to_lowercase();
        let limited = status == 429
            || (status == 403
                && (retry_after.is_some()
                    || remaining == Some(0)
                    || lower.contains("rate limit")
                    || lower.contains("abuse")));
        let fail = |message: String| {
            Next::Fail(Error::Status {
                url: redact::urls(url),
                status,
                message,
            })
        };
        if !limited || *limit_waits >= MAX_LIMIT_WAITS {
            return fail(message);
        }
        *limit_waits += 1;
        let seconds = match retry_after {
            Some(s) => s,
            None if remaining == Some(0) => self
                .state()
                .reset
                .map_or(60, |r| r.saturating_sub(now()) + 1),
            None => self.options.secondary_wait.as_secs().max(1) << (*limit_waits - 1).min(4),
        };
        if let Some(max) = self.options.max_wait
            && seconds > max.as_secs()
        {
            return fail(format!(
                "{message} (asked to wait {seconds} s, more than the {} s allowed)",
                max.as_secs()
            ));
        }
        self.state().remaining = None;
        countdown(seconds, &format!("rate limited ({message})"), on_wait);
        Next::Retry
    }

    /// Reads `X-RateLimit-*` (GitHub) or `RateLimit-*` (GitLab) headers.
    fn read_rate(&self, response: &reqwest::blocking::Response) {
        let remaining = header(response, "x-ratelimit-remaining")
            .or_else(|| header(response, "ratelimit-remaining"));
        let reset =
            header(response, "x-ratelimit-reset").or_else(|| header(response, "ratelimit-reset"));
        let mut state = self.state();
        if let Some(remaining) = remaining {
            state.remaining = remaining.trim().parse().ok();
        }
        if let Some(reset) = reset {
            state.reset = epoch_seconds(&reset);
        }
    }

    /// Waits, with a countdown, until the rate limit resets when none is left.
    pub fn wait_for_reset(&self, on_wait: &mut dyn FnMut(Wait)) {
        let reset = {
            let mut state = self.state();
            if state.remaining != Some(0) {
                return;
            }
            state.remaining = None;
            state.reset
        };
        if let Some(reset) = reset {
            countdown(
                reset.saturating_sub(now()) + 1,
                "rate limit used up",
                on_wait,
            );
        }
    }

    /// Marks the limit used up: the next request waits for the reset.
    pub fn note_exhausted(&self) {
        self.state().remaining = Some(0);
    }

    /// Blocks until the pause after the previous request is over.
    fn wait_for_slot(&self) {
        if self.options.pause.is_zero() {
            return;
        }
        let wait = {
            let mut state = self.state();
            let now = Instant::now();
            let slot = state.next_slot.unwrap_or(now).max(now);
            state.next_slot = Some(slot + self.options.pause);
            slot - now
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }

    /// The body of `response`, refused when over the size cap; a body that
    /// ends before its announced length is an error.
    fn read_body(
        &self,
        response: reqwest::blocking::Response,
        url: &str,
    ) -> Result<Vec<u8>, Error> {
        let limit = self.options.max_body;
        let too_large = || Error::TooLarge {
            url: redact::urls(url),
            limit,
        };
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        response
            .take(limit.saturating_add(1))
            .read_to_end(&mut body)
            .map_err(|e| {
                self.http_error(
                    url,
                    format!("the answer was cut off: {}", self.redact(&e.to_string())),
                )
            })?;
        if body.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(body)
    }

    /// An [`Error::Http`] for `url`, its credentials masked.
    fn http_error(&self, url: &str, message: String) -> Error {
        Error::Http {
            url: redact::urls(url),
            message,
        }
    }
}

/// The message of an error answer: its JSON `message` (or JIRA's
/// `errorMessages`), else its first 200 characters.
fn server_message(body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Answer {
        message: Option<String>,
        #[serde(rename = "errorMessages", default)]
        error_messages: Vec<String>,
    }
    match serde_json::from_str::<Answer>(body) {
        Ok(Answer {
            message: Some(m), ..
        }) => m,
        Ok(Answer { error_messages, .. }) if !error_messages.is_empty() => {
            error_messages.join("; ")
        }
        _ => body.chars().take(200).collect(),
    }
}

/// A `Retry-After` given in seconds.
fn retry_after(response: &reqwest::blocking::Response) -> Option<u64> {
    header(response, "retry-after").and_then(|s| s.trim().parse().ok())
}

/// Sleeps `seconds`, reporting the time left each second.
fn countdown(seconds: u64, reason: &str, on_wait: &mut dyn FnMut(Wait)) {
    for left in (1..=seconds).rev() {
        on_wait(Wait {
            seconds: left,
            reason: reason.to_owned(),
        });
        std::thread::sleep(Duration::from_secs(1));
    }
}

fn header(response: &reqwest::blocking::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
