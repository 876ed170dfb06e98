//! Why a request failed. No error carries a secret: URLs and server texts are
//! redacted before they are put in one.

/// An HTTP error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request could not be made, or timed out, after every retry.
    #[error("{url}: {message}")]
    Http {
        /// The URL asked (credentials masked).
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The server answered with an error status.
    #[error("{url}: HTTP {status}: {message}")]
    Status {
        /// The URL asked (credentials masked).
        url: String,
        /// The status code.
        status: u16,
        /// The server's message (secrets masked, at most 200 characters).
        message: String,
    },
    /// The answer is larger than the client accepts.
    #[error("{url}: the answer is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The URL asked (credentials masked).
        url: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The cap on requests per run was reached; the next run resumes.
    #[error(
        "stopped after {0} requests (--max-requests); the next run resumes where this one stopped"
    )]
    MaxRequests(u64),
}

impl Error {
    /// The HTTP status, when the server answered with an error status.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}
