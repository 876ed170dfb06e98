//! Repositories given as URLs: cloned (bare) into a cache once, fetched on later runs.

use crate::GitError;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// The fetch URL of the `origin` remote of the repository at `git_dir`, if it has one.
pub fn origin_url(git_dir: &Path) -> Option<String> {
    let repo = gix::open(git_dir).ok()?;
    let remote = repo.find_remote("origin").ok()?;
    let url = remote.url(gix::remote::Direction::Fetch)?;
    Some(url.to_bstring().to_string())
}

/// Why a remote repository could not be cloned or fetched.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The URL could not be parsed.
    #[error("{url} is not a git URL")]
    BadUrl {
        /// The URL given.
        url: String,
        /// What the parser said.
        #[source]
        source: GitError,
    },
    /// Cloning failed (unreachable host, no such repository, authentication).
    #[error("could not clone {url}")]
    Clone {
        /// The URL given.
        url: String,
        /// What gitoxide said.
        #[source]
        source: GitError,
    },
    /// Fetching into the cached clone failed.
    #[error("could not fetch {url} into {}", path.display())]
    Fetch {
        /// The URL given.
        url: String,
        /// The cached clone.
        path: PathBuf,
        /// What gitoxide said.
        #[source]
        source: GitError,
    },
}

/// Whether `arg` is a URL (`https://…`, `ssh://…`, `file://…`, `git@host:path`) rather than a local path.
pub fn is_url(arg: &str) -> bool {
    if arg.contains("://") {
        return true;
    }
    // scp-like syntax: user@host:path, with no slash before the colon.
    match (arg.find('@'), arg.find(':')) {
        (Some(at), Some(colon)) => at < colon && !arg[..colon].contains('/'),
        _ => false,
    }
}

/// Where the clone of `url` lives under `cache_dir`: `host/path.git`.
pub fn cache_path(cache_dir: &Path, url: &str) -> Result<PathBuf, RemoteError> {
    let parsed = gix::url::parse(gix::bstr::BStr::new(url)).map_err(|e| RemoteError::BadUrl {
        url: url.to_owned(),
        source: Box::new(e),
    })?;
    let host = parsed.host().unwrap_or("local");
    let path = parsed.path.to_string();
    let trimmed = path.trim_matches('/');
    let trimmed = trimmed.strip_suffix(".git").unwrap_or(trimmed);
    let mut out = cache_dir.join(sanitize(host));
    for part in trimmed
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
    {
        out.push(sanitize(part));
    }
    out.set_extension("git");
    Ok(out)
}

fn sanitize(part: &str) -> String {
    part.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Clones `url` as a bare repository at `path`, or fetches into it if it is already there.
/// Returns whether it was a new clone.
pub fn clone_or_fetch(url: &str, path: &Path) -> Result<bool, RemoteError> {
    // gitoxide's HTTP transport is our reqwest, which takes the process's TLS provider.
    upkeep_http::install_crypto_provider();
    let shown = upkeep_http::redact::urls(url);
    let interrupt = AtomicBool::new(false);
    if path.exists() {
        let fetch_error = |source: GitError| RemoteError::Fetch {
            url: shown.clone(),
            path: path.to_owned(),
            source,
        };
        let repo = gix::open(path).map_err(|e| fetch_error(Box::new(e)))?;
        let remote = repo
            .find_default_remote(gix::remote::Direction::Fetch)
            .ok_or_else(|| fetch_error("the cached clone has no remote".into()))?
            .map_err(|e| fetch_error(Box::new(e)))?;
        remote
            .connect(gix::remote::Direction::Fetch)
            .map_err(|e| fetch_error(Box::new(e)))?
            .prepare_fetch(gix::progress::Discard, Default::default())
            .map_err(|e| fetch_error(Box::new(e)))?
            .receive(gix::progress::Discard, &interrupt)
            .map_err(|e| fetch_error(Box::new(e)))?;
        return Ok(false);
    }
    let clone_error = |source: GitError| RemoteError::Clone {
        url: shown.clone(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| clone_error(Box::new(e)))?;
    }
    // Mirror branches and tags, so later fetches update them (force-pushes included).
    let mut prepare = gix::prepare_clone_bare(url, path)
        .map_err(|e| clone_error(Box::new(e)))?
        .configure_remote(|remote| {
            remote.with_refspecs(
                ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
                gix::remote::Direction::Fetch,
            )
        });
    prepare
        .fetch_only(gix::progress::Discard, &interrupt)
        .map_err(|e| clone_error(Box::new(e)))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_urls() {
        assert!(is_url("https://github.com/jupyterhub/jupyterhub"));
        assert!(is_url("git@github.com:apache/kafka.git"));
        assert!(is_url("file:///tmp/x"));
        assert!(!is_url("."));
        assert!(!is_url("/home/me/src/postgres"));
        assert!(!is_url("./a@b:c/d"));
    }

    #[test]
    fn cache_layout() {
        let dir = Path::new("/cache");
        assert_eq!(
            cache_path(dir, "https://github.com/jupyterhub/jupyterhub").expect("valid"),
            Path::new("/cache/github.com/jupyterhub/jupyterhub.git")
        );
        assert_eq!(
            cache_path(dir, "git@github.com:apache/kafka.git").expect("valid"),
            Path::new("/cache/github.com/apache/kafka.git")
        );
    }
}
