//! Recognizing accounts that are not people: AI agents (coding and review
//! agents, and the identities their tools write in trailers), automation
//! bots (accounts ending in `[bot]`, well-known automation accounts,
//! bot-looking addresses), and accounts the configuration names as either.

use serde::Serialize;

/// What kind of account an identity is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A person.
    #[default]
    Person,
    /// An automation bot: dependency updates, CI, releases.
    Bot,
    /// An AI agent: a coding or review agent, or the AI a trailer names.
    Agent,
}

impl AccountKind {
    /// Its name, as outputs write it.
    pub fn name(self) -> &'static str {
        match self {
            AccountKind::Person => "person",
            AccountKind::Bot => "bot",
            AccountKind::Agent => "agent",
        }
    }
}

/// Well-known AI agents: GitHub logins (without `[bot]`), names, or the
/// addresses their tools write (lower-case). Sources:
/// - GitHub's Copilot coding agent commits as `Copilot` (login `Copilot`,
///   `198982749+Copilot@users.noreply.github.com`) and works as the app
///   `copilot-swe-agent[bot]`; Copilot code review posts as
///   `copilot-pull-request-reviewer[bot]` (docs.github.com, "About Copilot
///   coding agent", "Using Copilot code review");
/// - Claude Code writes `Co-Authored-By: Claude <noreply@anthropic.com>`,
///   and its GitHub app is `claude[bot]` (docs.anthropic.com, Claude Code);
/// - Cursor's background agent commits as `cursoragent@cursor.com`
///   (`Cursor Agent`), its app is `cursor[bot]` (docs.cursor.com);
/// - aider writes `aider (MODEL) <noreply@aider.chat>` (aider.chat/docs/git.html);
/// - OpenHands commits as `openhands@all-hands.dev` (docs.all-hands.dev);
/// - the GitHub apps of Devin (`devin-ai-integration`), OpenAI Codex
///   (`chatgpt-codex-connector`), Google's Jules (`google-labs-jules`) and
///   Gemini Code Assist (`gemini-code-assist`), Amazon Q Developer
///   (`amazon-q-developer`), CodeRabbit (`coderabbitai`), Sourcery
///   (`sourcery-ai`), Sweep (`sweep-ai`), Qodo (`qodo-merge-pro`), Ellipsis
///   (`ellipsis-dev`) and Greptile (`greptile-apps`), as their accounts
///   appear on github.com.
const KNOWN_AGENTS: &[&str] = &[
    "copilot",
    "copilot-swe-agent",
    "copilot-pull-request-reviewer",
    "github copilot",
    "claude",
    "claude code",
    "noreply@anthropic.com",
    "cursor agent",
    "cursoragent",
    "cursoragent@cursor.com",
    "noreply@aider.chat",
    "openhands",
    "openhands@all-hands.dev",
    "devin-ai-integration",
    "devin ai",
    "chatgpt-codex-connector",
    "google-labs-jules",
    "gemini-code-assist",
    "amazon-q-developer",
    "coderabbitai",
    "sourcery-ai",
    "sweep-ai",
    "qodo-merge-pro",
    "ellipsis-dev",
    "greptile-apps",
];

/// Well-known automation accounts (names or logins, lower-case).
const KNOWN_BOTS: &[&str] = &[
    "all-contributors",
    "allcontributors",
    "codecov",
    "codecov-io",
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

/// Account rules: the built-in ones plus names, logins or addresses from
/// the configuration's `[bots]` and `[agents]`.
#[derive(Clone, Debug, Default)]
pub struct BotRules {
    extra: Vec<String>,
    agents: Vec<String>,
}

impl BotRules {
    /// The built-in rules plus `extra` bots (names, logins or addresses, any case).
    pub fn new(extra: impl IntoIterator<Item = String>) -> Self {
        BotRules {
            extra: extra.into_iter().map(|e| e.trim().to_lowercase()).collect(),
            agents: Vec::new(),
        }
    }

    /// These rules plus `agents` (names, logins or addresses, any case).
    pub fn with_agents(mut self, agents: impl IntoIterator<Item = String>) -> Self {
        self.agents = agents
            .into_iter()
            .map(|e| e.trim().to_lowercase())
            .collect();
        self
    }

    /// Why the account with this name, address and (if known) login is not
    /// a person (a bot or an agent), or `None`.
    pub fn reason(&self, name: &str, email: &str, login: Option<&str>) -> Option<&'static str> {
        self.kind(name, email, login).map(|(_, why)| why)
    }

    /// What the account is when not a person, and why.
    pub fn kind(
        &self,
        name: &str,
        email: &str,
        login: Option<&str>,
    ) -> Option<(AccountKind, &'static str)> {
        if let Some(why) = self.agent(name, email, login) {
            return Some((AccountKind::Agent, why));
        }
        self.bot(name, email, login)
            .map(|why| (AccountKind::Bot, why))
    }

    /// Why the account is an AI agent, if it is one.
    fn agent(&self, name: &str, email: &str, login: Option<&str>) -> Option<&'static str> {
        let bare = |s: &str| s.trim().to_lowercase().trim_end_matches("[bot]").to_owned();
        let email = super::email::normalize(email);
        let noreply = super::email::github_login(&email).map(|l| bare(&l));
        let candidates = [
            Some(bare(name)),
            login.map(bare),
            noreply,
            Some(email.clone()),
        ];
        let known = |list: &[String]| {
            candidates
                .iter()
                .flatten()
                .any(|c| list.iter().any(|e| bare(e) == *c || *e == *c))
        };
        if known(&self.agents) {
            return Some("named an agent in the configuration");
        }
        // aider names its model: `aider (gpt-4o)`.
        let builtin: Vec<String> = KNOWN_AGENTS.iter().map(|s| (*s).to_owned()).collect();
        (known(&builtin) || bare(name).starts_with("aider (")).then_some("a well-known AI agent")
    }

    /// Why the account is an automation bot, if it is one.
    fn bot(&self, name: &str, email: &str, login: Option<&str>) -> Option<&'static str> {
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
    use super::{AccountKind, BotRules};

    #[test]
    fn agents_apart_from_bots_and_people() {
        let rules = BotRules::default().with_agents(["helper-ai@example.org".to_owned()]);
        let kind = |name: &str, email: &str, login: Option<&str>| {
            rules.kind(name, email, login).map(|(k, _)| k)
        };
        let agent = Some(AccountKind::Agent);
        assert_eq!(
            kind(
                "Copilot",
                "198982749+Copilot@users.noreply.github.com",
                None
            ),
            agent
        );
        assert_eq!(
            kind("copilot-swe-agent[bot]", "", Some("copilot-swe-agent[bot]")),
            agent
        );
        assert_eq!(kind("Claude", "noreply@anthropic.com", None), agent);
        assert_eq!(kind("aider (gpt-4o)", "noreply@aider.chat", None), agent);
        assert_eq!(kind("Cursor Agent", "cursoragent@cursor.com", None), agent);
        assert_eq!(
            kind("coderabbitai[bot]", "", Some("coderabbitai[bot]")),
            agent
        );
        assert_eq!(kind("Helper", "helper-ai@example.org", None), agent);
        assert_eq!(
            kind(
                "dependabot[bot]",
                "49699333+dependabot[bot]@users.noreply.github.com",
                None
            ),
            Some(AccountKind::Bot)
        );
        assert_eq!(kind("Claudia", "claudia@example.org", None), None);
        assert_eq!(
            rules.reason("Claude", "noreply@anthropic.com", None),
            Some("a well-known AI agent")
        );
    }

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
