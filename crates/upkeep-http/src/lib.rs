//! The one polite HTTP client of upkeep, shared by every source that talks to
//! a server: forges (GitHub, GitLab, JIRA), mailing-list archives, package
//! registries, advisory and adoption services.
//!
//! A [`Client`] serves one base URL: it paces requests to that host, reads
//! rate limits (`X-RateLimit-*`, `RateLimit-*`) and waits for them with a
//! countdown ([`Wait`]) rather than failing, honours `Retry-After`, retries
//! server errors, timeouts and refused connections with backoff (and stops
//! asking a host that cannot be reached), sends `If-None-Match`, follows
//! `Link: rel="next"`, caps the requests of a run and the size of an answer,
//! and never lets a secret out: every URL and server text in an error is
//! passed through [`redact`].

#![deny(missing_docs)]

mod client;
mod error;
pub mod redact;
mod token;

pub use client::{Client, DEFAULT_MAX_BODY, GITHUB_HEADERS, Options, Page, Wait};
pub use error::Error;
pub use token::Token;

/// Makes ring the process's TLS crypto provider (reqwest and gitoxide's HTTP
/// transport are built without one, which keeps the C build of aws-lc out).
/// Calling it again does nothing.
pub fn install_crypto_provider() {
    // An error means a provider is installed already, which is all we need.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
