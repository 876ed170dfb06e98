//! Recognizing bots: accounts ending in `[bot]`, well-known automation
//! accounts, bot-looking addresses, and accounts the configuration names.

/// Well-known automation accounts (names or logins, lower-case).
const KNOWN_BOTS: &[&str] = &[
    "all-contributors",
    "allcontributors",
    "codecov",
    "codecov-io",
    "copilot",
    "dependabot",
    "dependabot-preview",
    "deepsource-autofix",
    "github-actions",
    "gitter-badger",
    "greenkeeper",
    "greenkeeperio-bot",
    "imgbot",
    "k8s-ci-robot",
    "kodiakhq",
    "mergify",
    "netlify",
    "pre-commit-ci",
    "pyup-bot",
    "renovate",
    "renovate-bot",
    "semantic-release-bot",
    "snyk-bot",
    "sonarcloud",
    "stale",
    "travis-ci",
    "weblate",
    "whitesource-bolt",
    "github",
    "web-flow",
];

/// Bot rules: the built-in ones plus names, logins or addresses from the configuration.
#[derive(Clone, Debug, Default)]
pub struct BotRules {
    extra: Vec<String>,
}

impl BotRules {
    /// The built-in rules plus `extra` (names, logins or addresses, any case).
    pub fn new(extra: impl IntoIterator<Item = String>) -> Self {
        BotRules {
            extra: extra.into_iter().map(|e| e.trim().to_lowercase()).collect(),
        }
    }

    /// Why the account with this name, address and (if known) login is a bot, or `None`.
    pub fn reason(&self, name: &str, email: &str, login: Option<&str>) -> Option<&'static str> {
        let name = name.trim().to_lowercase();
        let email = super::email::normalize(email);
        let login = login.map(str::to_lowercase);
        let candidates = [Some(name.as_str()), login.as_deref(), Some(email.as_str())];
        if candidates
            .iter()
            .flatten()
            .any(|c| self.extra.iter().any(|e| e == c))
        {
            return Some("named a bot in the configuration");
        }
        let local = email.split('@').next().unwrap_or_default();
        if name.ends_with("[bot]")
            || login.as_deref().is_some_and(|l| l.ends_with("[bot]"))
            || local.ends_with("[bot]")
        {
            return Some("the account ends in [bot]");
        }
        let local_login = super::email::github_login(&email);
        if [
            Some(name.as_str()),
            login.as_deref(),
            local_login.as_deref(),
        ]
        .iter()
        .flatten()
        .any(|c| KNOWN_BOTS.contains(c))
            || email == "noreply@github.com"
        {
            return Some("a well-known automation account");
        }
        let words: Vec<&str> = local.split(['-', '_', '.', '+']).collect();
        if words
            .iter()
            .any(|w| *w == "bot" || *w == "robot" || *w == "buildbot")
        {
            return Some("the address looks like a bot's");
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::BotRules;

    #[test]
    fn recognizes_bots() {
        let rules = BotRules::new(["release-o-matic@example.com".to_owned()]);
        assert!(
            rules
                .reason(
                    "dependabot[bot]",
                    "49699333+dependabot[bot]@users.noreply.github.com",
                    None
                )
                .is_some()
        );
        assert!(
            rules
                .reason("Renovate Bot", "bot@renovateapp.com", None)
                .is_some()
        );
        assert!(rules.reason("renovate", "x@example.com", None).is_some());
        assert!(
            rules
                .reason(
                    "pre-commit-ci",
                    "66853113+pre-commit-ci@users.noreply.github.com",
                    None
                )
                .is_some()
        );
        assert!(rules.reason("CI", "ci-bot@example.org", None).is_some());
        assert!(
            rules
                .reason("Release", "release-o-matic@example.com", None)
                .is_some()
        );
        assert!(rules.reason("GitHub", "noreply@github.com", None).is_some());
        assert_eq!(rules.reason("Abbot Smith", "abbot@example.com", None), None);
        assert_eq!(
            rules.reason("Robert", "robot.ics@example.com", None),
            Some("the address looks like a bot's")
        );
        assert_eq!(
            rules.reason("Alice", "alice@example.com", Some("alice")),
            None
        );
    }
}
