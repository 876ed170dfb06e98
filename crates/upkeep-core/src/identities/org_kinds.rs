//! What kind of stakeholder an organization is: a company, a non-profit or
//! foundation, an academic or government body, or an individual. Named in
//! upkeep.toml's `[[organizations]]` first; otherwise built-in rules on a
//! domain-named organization (`mit.edu`, `ox.ac.uk`, `nasa.gov`); the
//! "independent" row (people at free-mail addresses) is individual;
//! anything else stays unknown.

use serde::Serialize;
use std::collections::HashMap;

/// A stakeholder kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// A company.
    Company,
    /// A non-profit or a foundation.
    NonProfit,
    /// A university or research institute.
    Academic,
    /// A government body.
    Government,
    /// People on their own.
    Individual,
    /// Not known.
    Unknown,
}

/// The row of people whose organization is unknown because they write from
/// free-mail addresses: individuals.
pub const INDEPENDENT: &str = "independent";
/// The row of people whose organization is not known at all.
pub const UNKNOWN: &str = "unknown";

impl OrgKind {
    /// Every kind, in the order reports show them.
    pub const ALL: [OrgKind; 6] = [
        OrgKind::Company,
        OrgKind::NonProfit,
        OrgKind::Academic,
        OrgKind::Government,
        OrgKind::Individual,
        OrgKind::Unknown,
    ];

    /// The words upkeep.toml accepts for each kind.
    pub const ACCEPTED: &'static str =
        "company, non-profit (or foundation), academic, government, individual";

    /// The kind `text` names in upkeep.toml, if any (case-insensitive).
    pub fn parse(text: &str) -> Option<OrgKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "company" => Some(OrgKind::Company),
            "non-profit" | "nonprofit" | "foundation" => Some(OrgKind::NonProfit),
            "academic" => Some(OrgKind::Academic),
            "government" => Some(OrgKind::Government),
            "individual" => Some(OrgKind::Individual),
            _ => None,
        }
    }

    /// Its name as shown and in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Company => "company",
            OrgKind::NonProfit => "non_profit",
            OrgKind::Academic => "academic",
            OrgKind::Government => "government",
            OrgKind::Individual => "individual",
            OrgKind::Unknown => "unknown",
        }
    }
}

/// Academic suffixes of domains (`.edu`, `.ac.uk`, `.edu.au`, …).
const ACADEMIC: &[&str] = &[".edu", ".ac."];
/// Government suffixes of domains.
const GOVERNMENT: &[&str] = &[".gov", ".gov.", ".mil", ".gouv.", ".gob.", ".go."];

/// The kind built-in rules give an organization named `name`: a domain
/// name under `.edu` or `.ac.*` is academic, under `.gov`, `.gov.*`,
/// `.mil`, `.gouv.*`, `.gob.*` or `.go.*` government; the independent row is
/// individual. Anything else is not known from its name.
pub fn built_in(name: &str) -> Option<OrgKind> {
    if name == INDEPENDENT {
        return Some(OrgKind::Individual);
    }
    let lower = format!(".{}", name.to_ascii_lowercase());
    let domain_like = !lower.contains(' ') && lower[1..].contains('.');
    if !domain_like {
        return None;
    }
    let has = |suffixes: &[&str]| {
        suffixes.iter().any(|s| {
            if s.ends_with('.') {
                lower.contains(s)
            } else {
                lower.ends_with(s)
            }
        })
    };
    if has(ACADEMIC) {
        Some(OrgKind::Academic)
    } else if has(GOVERNMENT) {
        Some(OrgKind::Government)
    } else {
        None
    }
}

/// Kinds named in the configuration (by organization name, case-insensitive), then the built-in rules.
#[derive(Clone, Debug, Default)]
pub struct OrgKinds {
    named: HashMap<String, OrgKind>,
}

impl OrgKinds {
    /// Names `organization` as of `kind`.
    pub fn name(&mut self, organization: &str, kind: OrgKind) {
        self.named.insert(organization.to_lowercase(), kind);
    }

    /// The kind of `organization`: as named, else by the built-in rules, else unknown.
    pub fn of(&self, organization: &str) -> OrgKind {
        self.named
            .get(&organization.to_lowercase())
            .copied()
            .or_else(|| built_in(organization))
            .unwrap_or(OrgKind::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_first_then_domains_then_unknown() {
        let mut kinds = OrgKinds::default();
        kinds.name("ACME", OrgKind::Company);
        kinds.name("mit.edu", OrgKind::NonProfit);
        assert_eq!(kinds.of("acme"), OrgKind::Company);
        assert_eq!(kinds.of("mit.edu"), OrgKind::NonProfit);
        assert_eq!(kinds.of("stanford.edu"), OrgKind::Academic);
        assert_eq!(kinds.of("ox.ac.uk"), OrgKind::Academic);
        assert_eq!(kinds.of("nasa.gov"), OrgKind::Government);
        assert_eq!(kinds.of("service.gov.uk"), OrgKind::Government);
        assert_eq!(kinds.of(INDEPENDENT), OrgKind::Individual);
        assert_eq!(kinds.of("Initech"), OrgKind::Unknown);
        assert_eq!(kinds.of("example.com"), OrgKind::Unknown);
        // Words that contain the suffixes are not domains.
        assert_eq!(kinds.of("The Education Co"), OrgKind::Unknown);
        assert_eq!(kinds.of(UNKNOWN), OrgKind::Unknown);
    }

    #[test]
    fn parses_what_upkeep_toml_accepts() {
        assert_eq!(OrgKind::parse("Foundation"), Some(OrgKind::NonProfit));
        assert_eq!(OrgKind::parse("non-profit"), Some(OrgKind::NonProfit));
        assert_eq!(OrgKind::parse("government"), Some(OrgKind::Government));
        assert_eq!(OrgKind::parse("vendor"), None);
    }
}
