//! Repository URLs as packages write them, normalized so that one repository is one key.

/// Hosts whose repositories are `host/owner/name`; anything after is a path inside.
const FORGES: &[&str] = &[
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "sr.ht",
    "git.sr.ht",
];

/// Repositories that are package indexes, not a package's source.
const INDEXES: &[&str] = &["github.com/rust-lang/crates.io-index"];

/// The normalized form `https://host/owner/name` of a repository URL, or `None`
/// if `url` does not name a repository.
///
/// Handles `git+https://`, `git://`, `ssh://`, `git@host:owner/name`, user
/// info, `.git`, `#fragment`, `?query`, trailing slashes, tree paths
/// (`/tree/main/sub`) and `github:owner/name` shorthands; hosts are lower-cased.
pub fn normalize(url: &str) -> Option<String> {
    let mut s = url.trim();
    for prefix in ["git+", "scm:git:", "scm:"] {
        s = s.strip_prefix(prefix).unwrap_or(s);
    }
    let s = s.split(['#', '?']).next()?;
    // A repository on this machine or a mounted share is its own key.
    if let Some(path) = s.strip_prefix("file://") {
        let path = path.trim_end_matches('/');
        return path.starts_with('/').then(|| format!("file://{path}"));
    }
    let (host, path) = if let Some(rest) = s.strip_prefix("github:") {
        ("github.com".to_owned(), rest.to_owned())
    } else if let Some((_, rest)) = s.split_once("://") {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?.split(':').next()?;
        (host.to_lowercase(), path.to_owned())
    } else if let Some((user_host, path)) = s.split_once(':') {
        // scp-like: git@host:owner/name
        let host = user_host.rsplit('@').next()?;
        if !host.contains('.') || path.starts_with("//") {
            return None;
        }
        (host.to_lowercase(), path.to_owned())
    } else {
        return None;
    };
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    let segments: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let keep = if FORGES.contains(&host.as_str()) {
        2
    } else {
        segments.len()
    };
    // Forges need owner/name; other hosts may serve a repository at one
    // segment (go.googlesource.com/text).
    let least = if FORGES.contains(&host.as_str()) {
        2
    } else {
        1
    };
    if segments.len() < least || keep < least {
        return None;
    }
    let mut parts: Vec<String> = segments[..keep].iter().map(|p| (*p).to_owned()).collect();
    if let Some(last) = parts.last_mut()
        && let Some(stripped) = last.strip_suffix(".git")
    {
        *last = stripped.to_owned();
    }
    if FORGES.contains(&host.as_str()) {
        for p in &mut parts {
            *p = p.to_lowercase();
        }
    }
    let key = format!("{host}/{}", parts.join("/"));
    if INDEXES.contains(&key.as_str()) {
        return None;
    }
    Some(format!("https://{key}"))
}

/// Like [`normalize`], but only for repositories on the well-known forges:
/// for URLs that may name a web site rather than a repository (homepages,
/// download locations).
pub fn normalize_forge(url: &str) -> Option<String> {
    let normalized = normalize(url)?;
    let host = normalized.strip_prefix("https://")?.split('/').next()?;
    FORGES.contains(&host).then_some(normalized)
}

#[cfg(test)]
mod tests {
    use super::{normalize, normalize_forge};

    #[test]
    fn homepages_count_only_on_forges() {
        assert_eq!(normalize_forge("https://docs.python.org/3/library"), None);
        assert_eq!(
            normalize_forge("https://github.com/psf/requests#readme").as_deref(),
            Some("https://github.com/psf/requests")
        );
    }

    #[test]
    fn one_repository_one_key() {
        let want = Some("https://github.com/babel/babel".to_owned());
        for url in [
            "git+https://github.com/babel/babel.git#packages/babel-helper-string-parser",
            "git://github.com/babel/babel.git",
            "git@github.com:babel/babel.git",
            "ssh://git@github.com/babel/babel",
            "https://user:token@github.com/Babel/Babel/",
            "https://github.com/babel/babel/tree/main/packages/x",
            "https://www.github.com/babel/babel?tab=readme",
            "github:babel/babel",
        ] {
            assert_eq!(normalize(url), want, "{url}");
        }
        assert_eq!(
            normalize("git+file:///srv/git/tool/").as_deref(),
            Some("file:///srv/git/tool")
        );
        assert_eq!(
            normalize("https://git.example.org/group/sub/project.git"),
            Some("https://git.example.org/group/sub/project".to_owned())
        );
    }

    #[test]
    fn not_repositories() {
        for url in [
            "NONE",
            "NOASSERTION",
            "",
            "https://github.com/babel",
            "https://github.com/rust-lang/crates.io-index",
        ] {
            assert_eq!(normalize(url), None, "{url}");
        }
    }
}
