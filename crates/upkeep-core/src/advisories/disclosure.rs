//! How a vulnerability can be reported to a project: a security policy
//! (`SECURITY*` at the tip, or the forge's word that one is published),
//! private vulnerability reporting on the forge, a `security-insights.yml`,
//! and the contacts (addresses, report pages) those files name. Reported
//! apart from the advisory count, so that "no advisories" and "no way to
//! report one" are never the same thing.

use crate::events::{TipFile, TipFileKind};
use serde::Serialize;

/// The most contacts kept from a project's files.
const MAX_CONTACTS: usize = 10;

/// A project's disclosure channel, and where each part was seen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Disclosure {
    /// Whether there is any way to report a vulnerability privately.
    pub channel: bool,
    /// Where a security policy was seen: a file's path, or the forge.
    pub policy: Vec<String>,
    /// Whether the forge's private vulnerability reporting is enabled
    /// (`None`: the forge was not asked, or does not say).
    pub private_reporting: Option<bool>,
    /// The `security-insights.yml` file, when there is one.
    pub insights: Option<String>,
    /// Addresses and report pages named in those files.
    pub contacts: Vec<String>,
}

/// The disclosure channel of a project from its files at the tip (`files`,
/// of every kind) and what its forge says: whether a security policy is
/// published, and whether private reporting is enabled.
pub fn disclosure(
    files: &[TipFile],
    forge_policy: Option<bool>,
    private_reporting: Option<bool>,
) -> Disclosure {
    let mut out = Disclosure {
        private_reporting,
        ..Disclosure::default()
    };
    for file in files {
        let path = file.path.to_string();
        match file.kind {
            TipFileKind::Security => out.policy.push(path),
            TipFileKind::SecurityInsights => out.insights = Some(path),
            _ => continue,
        }
        for contact in contacts(&file.content.to_string()) {
            if out.contacts.len() < MAX_CONTACTS && !out.contacts.contains(&contact) {
                out.contacts.push(contact);
            }
        }
    }
    if out.policy.is_empty() && forge_policy == Some(true) {
        out.policy
            .push("the forge (a security policy is published)".into());
    }
    out.channel = !out.policy.is_empty()
        || out.private_reporting == Some(true)
        || out.insights.is_some()
        || !out.contacts.is_empty();
    out
}

/// The addresses and report pages a text names: e-mail addresses (also as
/// `mailto:`), and links to a forge's private report form or a bug-bounty
/// platform.
fn contacts(text: &str) -> Vec<String> {
    let separators = |c: char| c.is_whitespace() || "<>()[]{}\"'`,;|*".contains(c);
    text.split(separators)
        .filter_map(|token| {
            let token = token.trim_end_matches(['.', ':']);
            let token = token.strip_prefix("mailto:").unwrap_or(token);
            (is_address(token) || is_report_page(token)).then(|| token.to_owned())
        })
        .collect()
}

/// `local@domain.tld`, nothing else around it.
fn is_address(token: &str) -> bool {
    let Some((local, domain)) = token.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains('/')
        && domain.contains('.')
        && !domain.starts_with('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// A link to a private report form: GitHub's `security/advisories/new`, a
/// bug-bounty platform, or Tidelift's security contact.
fn is_report_page(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    lower.starts_with("https://")
        && (lower.contains("/security/advisories/new")
            || [
                "hackerone.com/",
                "huntr.com/",
                "huntr.dev/",
                "bugcrowd.com/",
                "intigriti.com/",
                "tidelift.com/security",
            ]
            .iter()
            .any(|p| lower.contains(p)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::RawText;

    fn file(path: &str, kind: TipFileKind, content: &str) -> TipFile {
        TipFile {
            path: RawText::from(path),
            kind,
            content: RawText::from(content),
        }
    }

    #[test]
    fn a_policy_with_contacts_and_the_forge_flags() {
        let files = [
            file(
                "SECURITY.md",
                TipFileKind::Security,
                "Report to <security@example.org>, or (mailto:sec-team@example.org).\n\
                 Or https://github.com/o/r/security/advisories/new. See https://example.org/docs.\n\
                 Or the [Tidelift security contact](https://tidelift.com/security).",
            ),
            file("README.md", TipFileKind::Contributing, "me@example.org"),
            file(
                "security-insights.yml",
                TipFileKind::SecurityInsights,
                "vulnerability-reporting:\n  email-contact: security@example.org\n",
            ),
        ];
        let d = disclosure(&files, Some(true), Some(false));
        assert!(d.channel);
        assert_eq!(d.policy, ["SECURITY.md"]);
        assert_eq!(d.insights.as_deref(), Some("security-insights.yml"));
        assert_eq!(d.private_reporting, Some(false));
        assert_eq!(
            d.contacts,
            [
                "security@example.org",
                "sec-team@example.org",
                "https://github.com/o/r/security/advisories/new",
                "https://tidelift.com/security"
            ]
        );
    }

    #[test]
    fn nothing_is_no_channel_and_the_forge_alone_is_one() {
        let none = disclosure(&[], None, None);
        assert!(!none.channel);
        assert!(none.policy.is_empty() && none.contacts.is_empty());
        assert!(!disclosure(&[], Some(false), Some(false)).channel);
        let forge = disclosure(&[], Some(true), None);
        assert!(forge.channel);
        assert_eq!(forge.policy, ["the forge (a security policy is published)"]);
        assert!(disclosure(&[], None, Some(true)).channel);
    }
}
