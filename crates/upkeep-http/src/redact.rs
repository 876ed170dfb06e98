//! Secrets out of everything shown: credentials inside URLs
//! (`https://user:password@host`, `?access_token=…`), the values of the tokens
//! in use, and strings shaped like GitHub or GitLab tokens, replaced by `***`
//! before a URL or a server's text reaches an error, a log or the store.

/// What stands in for a secret.
pub const MASK: &str = "***";

/// Query parameters whose values are credentials.
const SECRET_PARAMETERS: [&str; 8] = [
    "access_token",
    "private_token",
    "token",
    "api_key",
    "apikey",
    "password",
    "client_secret",
    "sig",
];

/// Prefixes of GitHub's and GitLab's token formats: a string starting with
/// one, followed by token characters, is a token whoever echoed it.
const TOKEN_PREFIXES: [&str; 7] = [
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
];

/// Tokens shorter than this are not searched for in text (they would mask
/// ordinary words); every real token is longer.
const MIN_SECRET_LEN: usize = 6;

/// `text` with the credentials of every URL in it masked: the user
/// information before `@` and the values of credential query parameters.
pub fn urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let end = after
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .unwrap_or(after.len());
        let (url, tail) = after.split_at(end);
        out.push_str(&url_credentials(url));
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// One URL (after its `scheme://`) with its credentials masked.
fn url_credentials(url: &str) -> String {
    let authority_end = url.find(['/', '?', '#']).unwrap_or(url.len());
    let (authority, path) = url.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => format!("{MASK}@{}", &authority[at + 1..]),
        None => authority.to_owned(),
    };
    let Some((path, query)) = path.split_once('?') else {
        return authority + path;
    };
    let (query, fragment) = query
        .split_once('#')
        .map_or((query, None), |(q, f)| (q, Some(f)));
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_PARAMETERS.contains(&name.to_ascii_lowercase().as_str()) => {
                format!("{name}={MASK}")
            }
            _ => pair.to_owned(),
        })
        .collect();
    let mut out = format!("{authority}{path}?{}", query.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// The secrets in use: their values are masked wherever they appear.
#[derive(Clone, Default)]
pub struct Secrets {
    values: Vec<String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} hidden)", self.values.len())
    }
}

impl Secrets {
    /// No secrets: only URL credentials and token-shaped strings are masked.
    pub fn none() -> Self {
        Secrets::default()
    }

    /// Adds `value` (and nothing when it is too short to search for safely).
    pub fn add(&mut self, value: &str) {
        let value = value.trim();
        if value.len() >= MIN_SECRET_LEN && !self.values.iter().any(|v| v == value) {
            self.values.push(value.to_owned());
            // The longest first, so a secret containing another is masked whole.
            self.values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        }
    }

    /// `text` with URL credentials, the secrets' values and token-shaped strings masked.
    pub fn redact(&self, text: &str) -> String {
        let mut out = urls(text);
        for value in &self.values {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), MASK);
            }
        }
        token_shapes(&out)
    }
}

/// `text` with every token-shaped string (GitHub's `ghp_…`, GitLab's `glpat-…`) masked.
fn token_shapes(text: &str) -> String {
    if !TOKEN_PREFIXES.iter().any(|p| text.contains(p)) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, prefix)) = TOKEN_PREFIXES
        .iter()
        .filter_map(|p| rest.find(p).map(|i| (i, *p)))
        .min()
    {
        let starts_word = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        let body = &rest[at + prefix.len()..];
        let len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(body.len());
        out.push_str(&rest[..at]);
        if starts_word && len >= 8 {
            out.push_str(MASK);
        } else {
            out.push_str(&rest[at..at + prefix.len() + len]);
        }
        rest = &body[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_masked() {
        assert_eq!(
            urls("cannot clone https://bob:hunter22@example.com/a/b.git: refused"),
            "cannot clone https://***@example.com/a/b.git: refused"
        );
        assert_eq!(
            urls("https://x-access-token:ghs_abc@github.com/o/r"),
            "https://***@github.com/o/r"
        );
        assert_eq!(
            urls("GET https://gitlab.example/api?private_token=s3cret&page=2#top"),
            "GET https://gitlab.example/api?private_token=***&page=2#top"
        );
        // Nothing to mask: unchanged, an `@` in the path included.
        let plain = "https://registry.npmjs.org/@scope%2fname/latest and mailto:a@b";
        assert_eq!(urls(plain), plain);
    }

    #[test]
    fn secrets_in_server_text_are_masked() {
        let mut s = Secrets::none();
        s.add("abc"); // too short to search for
        s.add("s3cr3t-value");
        assert_eq!(
            s.redact("Bad credentials for Bearer s3cr3t-value (abc)"),
            "Bad credentials for Bearer *** (abc)"
        );
        assert_eq!(
            s.redact("echo ghp_0123456789abcdefXYZ and glpat-xxxxxxxxxxxx, not ghp_short"),
            "echo *** and ***, not ghp_short"
        );
        assert!(!format!("{s:?}").contains("s3cr3t"));
    }
}
