//! Which forge repository a clone URL or remote names.

use std::fmt;

/// A repository on a forge: `owner/name`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RepoRef {
    /// The owner (user or organization).
    pub owner: String,
    /// The repository's name.
    pub name: String,
}

impl RepoRef {
    /// Parses `owner/name`.
    pub fn parse(text: &str) -> Option<Self> {
        let (owner, name) = text.trim().trim_matches('/').split_once('/')?;
        let name = name.strip_suffix(".git").unwrap_or(name);
        let valid = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        (valid(owner) && valid(name)).then(|| RepoRef {
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }
}

impl fmt::Display for RepoRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// The host (without port or user) and the path of a clone URL:
/// `https://user@host:8443/a/b`, `ssh://git@host/a/b`, `git@host:a/b`.
fn host_and_path(url: &str) -> Option<(&str, &str)> {
    let url = url.trim();
    let (authority, path) = match url.strip_prefix("git@") {
        Some(rest) if !rest.contains("://") => rest.split_once(':')?,
        _ => {
            let without_scheme = url.split_once("://").map(|(_, r)| r)?;
            let after_user = without_scheme
                .split_once('@')
                .filter(|(user, _)| !user.contains('/'))
                .map_or(without_scheme, |(_, r)| r);
            after_user.split_once('/')?
        }
    };
    Some((authority.split(':').next().unwrap_or(authority), path))
}

/// The GitHub repository a clone URL names (`https://github.com/o/n(.git)`,
/// `git@github.com:o/n.git`, `ssh://git@github.com/o/n`), if it names one on `host`.
pub fn github_repo(url: &str, host: &str) -> Option<RepoRef> {
    let (url_host, rest) = host_and_path(url)?;
    if !url_host.eq_ignore_ascii_case(host) {
        return None;
    }
    let mut parts = rest.trim_end_matches('/').splitn(3, '/');
    let (owner, name) = (parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    RepoRef::parse(&format!("{owner}/{name}"))
}

/// The GitLab site and project a clone URL names, when its host is
/// `gitlab.com` or a `gitlab.` host (`https://gitlab.gnome.org/GNOME/gnome-shell.git`,
/// `git@gitlab.com:fdroid/fdroiddata.git`): `(https://host, group[/subgroup]/project)`.
pub fn gitlab_repo(url: &str) -> Option<(String, String)> {
    let (host, path) = host_and_path(url)?;
    let host = host.to_ascii_lowercase();
    if host != "gitlab.com" && !host.starts_with("gitlab.") {
        return None;
    }
    let path = path.trim_end_matches('/').trim_end_matches(".git");
    let valid = path.split('/').count() >= 2
        && path.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    valid.then(|| (format!("https://{host}"), path.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitlab_urls() {
        assert_eq!(
            gitlab_repo("https://gitlab.gnome.org/GNOME/gnome-shell.git"),
            Some((
                "https://gitlab.gnome.org".into(),
                "GNOME/gnome-shell".into()
            ))
        );
        assert_eq!(
            gitlab_repo("git@gitlab.com:fdroid/fdroiddata.git"),
            Some(("https://gitlab.com".into(), "fdroid/fdroiddata".into()))
        );
        assert_eq!(
            gitlab_repo("https://gitlab.freedesktop.org/mesa/drivers/mesa"),
            Some((
                "https://gitlab.freedesktop.org".into(),
                "mesa/drivers/mesa".into()
            ))
        );
        assert_eq!(gitlab_repo("https://github.com/a/b"), None);
        assert_eq!(gitlab_repo("https://gitlab.com/solo"), None);
    }

    #[test]
    fn clone_urls_name_repositories() {
        let jh = RepoRef::parse("jupyterhub/jupyterhub");
        for url in [
            "https://github.com/jupyterhub/jupyterhub",
            "https://github.com/jupyterhub/jupyterhub.git",
            "git@github.com:jupyterhub/jupyterhub.git",
            "ssh://git@github.com/jupyterhub/jupyterhub",
            "https://token@github.com/jupyterhub/jupyterhub/",
        ] {
            assert_eq!(github_repo(url, "github.com"), jh, "{url}");
        }
        assert_eq!(github_repo("https://gitlab.com/a/b", "github.com"), None);
        assert_eq!(
            github_repo("https://github.com/a/b/tree/main", "github.com"),
            None
        );
        assert_eq!(github_repo("/home/me/repo", "github.com"), None);
        assert_eq!(RepoRef::parse("a/b/c"), None);
        assert_eq!(RepoRef::parse("nope"), None);
    }
}
