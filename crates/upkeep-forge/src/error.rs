//! Why a sync failed.

/// A forge error. None of them carries a token.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request could not be made, or timed out, after every retry.
    #[error("{url}: {message}")]
    Http {
        /// The URL asked (no credentials in it).
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The forge answered with an error status.
    #[error("{url}: HTTP {status}: {message}")]
    Status {
        /// The URL asked.
        url: String,
        /// The status code.
        status: u16,
        /// The forge's message.
        message: String,
    },
    /// The answer was not the JSON expected; nothing from it was stored.
    #[error(
        "{url}: the answer is not the JSON expected ({message}); nothing from this page was stored"
    )]
    Json {
        /// The URL asked.
        url: String,
        /// What the parser said.
        message: String,
    },
    /// The GraphQL API answered with errors.
    #[error("GraphQL: {0}")]
    GraphQl(String),
    /// The repository does not exist or is not visible with these credentials.
    #[error("{0} was not found on the forge (or is private and the token cannot see it)")]
    NotFound(String),
    /// The `--max-requests` cap was reached; the next run resumes.
    #[error(
        "stopped after {0} requests (--max-requests); the next run resumes where this one stopped"
    )]
    MaxRequests(u64),
    /// The sink could not store a page.
    #[error("cannot store forge data: {0}")]
    Sink(String),
}

impl Error {
    /// Turns a parser's message about the answer from `url` into [`Error::Json`].
    pub(crate) fn json(url: impl Into<String>) -> impl FnOnce(String) -> Error {
        let url = url.into();
        move |message| Error::Json { url, message }
    }
}
