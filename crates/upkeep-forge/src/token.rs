//! Where the API token comes from: `GITHUB_TOKEN`, `GH_TOKEN`, or the gh
//! CLI's stored login (`hosts.yml`). A [`Token`] (the HTTP client's) never
//! shows its value: not in `Debug`, not in `Display`, not in errors.

use std::path::{Path, PathBuf};
pub use upkeep_http::Token;

/// The host whose gh login serves an API base: `api.github.com` → `github.com`,
/// `https://ghe.example.com/api/v3` → `ghe.example.com`.
pub fn host_of(api_base: &str) -> String {
    let without_scheme = api_base.split_once("://").map_or(api_base, |(_, r)| r);
    let host = without_scheme.split('/').next().unwrap_or(without_scheme);
    host.strip_prefix("api.").unwrap_or(host).to_owned()
}

/// The token to use against `api_base`: `GITHUB_TOKEN`, then `GH_TOKEN`
/// (`env` looks variables up), then the gh CLI's `hosts.yml` in `gh_config`
/// (or its default place). `None`: anonymous.
pub fn discover(
    api_base: &str,
    env: &dyn Fn(&str) -> Option<String>,
    gh_config: Option<&Path>,
) -> Option<Token> {
    for var in ["GITHUB_TOKEN", "GH_TOKEN"] {
        if let Some(value) = env(var).filter(|v| !v.trim().is_empty()) {
            return Some(Token::new(value, var));
        }
    }
    let dir = gh_config.map(Path::to_path_buf).or_else(|| {
        env("GH_CONFIG_DIR").map(PathBuf::from).or_else(|| {
            env("XDG_CONFIG_HOME")
                .map(|x| PathBuf::from(x).join("gh"))
                .or_else(|| dirs::home_dir().map(|h| h.join(".config").join("gh")))
        })
    })?;
    let hosts = dir.join("hosts.yml");
    let text = upkeep_input::read_text(&hosts, upkeep_input::Kind::Secret).ok()?;
    let value = gh_hosts_token(&text, &host_of(api_base))?;
    Some(Token::new(value, hosts.display().to_string()))
}

/// The `oauth_token` of `host` in a gh `hosts.yml` (the active user's, or the only one).
fn gh_hosts_token(text: &str, host: &str) -> Option<String> {
    let docs = yaml_rust2::YamlLoader::load_from_str(text).ok()?;
    let entry = &docs.first()?[host];
    if let Some(token) = entry["oauth_token"].as_str() {
        return Some(token.to_owned());
    }
    let users = entry["users"].as_hash()?;
    let user = entry["user"].as_str();
    users
        .iter()
        .find(|(name, _)| user.is_none() || name.as_str() == user)
        .and_then(|(_, u)| u["oauth_token"].as_str().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_of_sources_and_hidden_value() {
        let env = |k: &str| match k {
            "GH_TOKEN" => Some("gh-secret".to_owned()),
            _ => None,
        };
        let t = discover(
            "https://api.github.com",
            &env,
            Some(Path::new("/nonexistent")),
        )
        .expect("GH_TOKEN");
        assert_eq!(t.source(), "GH_TOKEN");
        assert!(!format!("{t:?} {t}").contains("gh-secret"));
        assert_eq!(t.header(), "Bearer gh-secret");
        let none = |_: &str| None;
        assert_eq!(
            discover(
                "https://api.github.com",
                &none,
                Some(Path::new("/nonexistent"))
            ),
            None
        );
    }

    #[test]
    fn gh_hosts_file_old_and_new_layouts() {
        let old = "github.com:\n    user: ann\n    oauth_token: gho_old\n    git_protocol: https\n";
        assert_eq!(
            gh_hosts_token(old, "github.com").as_deref(),
            Some("gho_old")
        );
        let new = "github.com:\n    git_protocol: https\n    users:\n        bob:\n            oauth_token: gho_bob\n        ann:\n            oauth_token: gho_ann\n    user: ann\n";
        assert_eq!(
            gh_hosts_token(new, "github.com").as_deref(),
            Some("gho_ann")
        );
        assert_eq!(gh_hosts_token(new, "ghe.example.com"), None);
        assert_eq!(host_of("https://ghe.example.com/api/v3"), "ghe.example.com");
        assert_eq!(host_of("https://api.github.com"), "github.com");
    }
}
