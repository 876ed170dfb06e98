//! `[[conventions]]`: how a repository records who did what, when the
//! built-in rules (see [`Conventions::default`]) are not right for it.
//!
//! ```toml
//! [[conventions]]
//! repository = "*flink*"            # a location pattern (`*` is any text); every repository if left out
//! closes_pull_request = true        # `Closes #N` names the pull request, not an issue
//!
//! [[conventions]]
//! repository = "https://github.com/example/legacy"
//! message_authors = false           # ignore `Author:` lines
//! untriaged_label = "needs-triage"  # or "" for none
//! ```

use serde::Deserialize;
use upkeep_core::events::conventions::Conventions;

/// One `[[conventions]]` entry: the rules it sets for the repositories it matches.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConventionEntry {
    /// The repositories it applies to: a location with `*` wildcards.
    #[serde(default)]
    pub repository: Option<String>,
    /// See [`Conventions::message_authors`].
    #[serde(default)]
    pub message_authors: Option<bool>,
    /// See [`Conventions::closes_pull_request`].
    #[serde(default)]
    pub closes_pull_request: Option<bool>,
    /// See [`Conventions::untriaged_label`]; empty for none.
    #[serde(default)]
    pub untriaged_label: Option<String>,
}

/// The rules for the repository at `location`: the built-in ones, changed by
/// every entry that matches it, in file order.
pub fn for_location(entries: &[ConventionEntry], location: &str) -> Conventions {
    let mut rules = Conventions::default();
    for entry in entries {
        if !entry
            .repository
            .as_deref()
            .is_none_or(|pattern| matches(pattern, location))
        {
            continue;
        }
        if let Some(on) = entry.message_authors {
            rules.message_authors = on;
        }
        if let Some(on) = entry.closes_pull_request {
            rules.closes_pull_request = on;
        }
        if let Some(label) = &entry.untriaged_label {
            rules.untriaged_label = (!label.is_empty()).then(|| label.clone());
        }
    }
    rules
}

/// Whether `text` matches `pattern`, where `*` stands for any text, `/` included
/// (case-insensitive); a pattern that is not a glob matches only itself.
fn matches(pattern: &str, text: &str) -> bool {
    match globset::GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(false)
        .build()
    {
        Ok(glob) => glob.compile_matcher().is_match(text),
        Err(_) => pattern.eq_ignore_ascii_case(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(matches("*flink*", "https://github.com/apache/Flink"));
        assert!(matches("/src/pg", "/src/PG"));
        assert!(!matches("/src/pg", "/src/pg2"));
        assert!(matches(
            "https://*/kafka",
            "https://github.com/apache/kafka"
        ));
        assert!(!matches(
            "https://*/kafka",
            "https://github.com/apache/kafka-site"
        ));
        assert!(matches("*", "anything"));
    }

    #[test]
    fn entries_apply_in_order() {
        let entries = vec![
            ConventionEntry {
                closes_pull_request: Some(true),
                ..ConventionEntry::default()
            },
            ConventionEntry {
                repository: Some("*legacy".into()),
                message_authors: Some(false),
                untriaged_label: Some(String::new()),
                ..ConventionEntry::default()
            },
        ];
        let legacy = for_location(&entries, "/src/legacy");
        assert!(!legacy.message_authors && legacy.closes_pull_request);
        assert_eq!(legacy.untriaged_label, None);
        let other = for_location(&entries, "/src/other");
        assert!(other.message_authors && other.closes_pull_request);
        assert_eq!(other.untriaged_label.as_deref(), Some("untriaged"));
    }
}
