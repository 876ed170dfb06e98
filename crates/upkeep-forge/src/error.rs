//! Why a sync failed.

/// A forge error. None of them carries a token.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request failed (after every retry), the server refused it, or
    /// the `--max-requests` cap was reached.
    #[error(transparent)]
    Http(#[from] upkeep_http::Error),
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
    /// The sink could not store a page.
    #[error("cannot store forge data: {0}")]
    Sink(String),
}

impl Error {
    /// The HTTP status, when the server answered with an error status.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http(e) => e.status(),
            _ => None,
        }
    }

    /// Turns a parser's message about the answer from `url` into [`Error::Json`].
    pub(crate) fn json(url: impl Into<String>) -> impl FnOnce(String) -> Error {
        let url = url.into();
        move |message| Error::Json { url, message }
    }
}
