//! A secret token. Its value leaves only as an `Authorization` header: not in
//! `Debug`, not in `Display`, not in errors, and every text the client shows
//! has it masked ([`Token::secrets`]).

use crate::redact::Secrets;
use std::fmt;

/// A secret token and where it came from.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    value: String,
    source: String,
    /// For HTTP Basic (JIRA on Atlassian Cloud: the user's address and an API token).
    user: Option<String>,
}

impl Token {
    /// A token read from `source` (a variable or file name, shown to users instead of the value).
    pub fn new(value: impl Into<String>, source: impl Into<String>) -> Self {
        Token {
            value: value.into().trim().to_owned(),
            source: source.into(),
            user: None,
        }
    }

    /// A token sent with `user` as HTTP Basic credentials.
    pub fn basic(user: &str, value: impl Into<String>, source: impl Into<String>) -> Self {
        Token {
            user: Some(user.trim().to_owned()),
            ..Token::new(value, source)
        }
    }

    /// Where the token came from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The `Authorization` header value.
    pub fn header(&self) -> String {
        match &self.user {
            Some(_) => format!("Basic {}", self.basic_credentials()),
            None => format!("Bearer {}", self.value),
        }
    }

    /// `user:token` in Base64, as HTTP Basic sends it.
    fn basic_credentials(&self) -> String {
        use base64::Engine;
        let user = self.user.as_deref().unwrap_or_default();
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", self.value))
    }

    /// The forms this token can take in a server's answer (its value, and
    /// its Basic credentials), to be masked in anything shown.
    pub fn secrets(&self) -> Secrets {
        let mut secrets = Secrets::none();
        secrets.add(&self.value);
        if self.user.is_some() {
            secrets.add(&self.basic_credentials());
        }
        secrets
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token(from {}, value hidden)", self.source)
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a token from {}", self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_hidden_values() {
        let bearer = Token::new(" gh-secret \n", "GH_TOKEN");
        assert_eq!(bearer.header(), "Bearer gh-secret");
        assert!(!format!("{bearer:?} {bearer}").contains("gh-secret"));
        let basic = Token::basic("me@example.com", "api-token", "JIRA_TOKEN");
        assert_eq!(basic.header(), "Basic bWVAZXhhbXBsZS5jb206YXBpLXRva2Vu");
        assert!(!format!("{basic:?} {basic}").contains("api-token"));
        assert_eq!(
            basic
                .secrets()
                .redact("denied: Basic bWVAZXhhbXBsZS5jb206YXBpLXRva2Vu for api-token"),
            "denied: Basic *** for ***"
        );
    }
}
