//! Files read from the tip of the default branch for later stages (identities, maintainers, funding).

use super::RawText;
use serde::Serialize;

/// Which kind of community file a [`TipFile`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TipFileKind {
    /// `.mailmap`
    Mailmap,
    /// `CODEOWNERS` (root, `.github/` or `docs/`)
    Codeowners,
    /// `MAINTAINERS*`
    Maintainers,
    /// `OWNERS`
    Owners,
    /// `FUNDING.yml`
    Funding,
    /// `SECURITY*`
    Security,
    /// `GOVERNANCE*`
    Governance,
    /// `CONTRIBUTING*`
    Contributing,
    /// `CODE_OF_CONDUCT*`
    CodeOfConduct,
    /// `LICENSE*` / `LICENCE*` / `COPYING*`
    License,
    /// `security-insights.yml` (OpenSSF Security Insights)
    SecurityInsights,
    /// A package manifest: `Cargo.toml`, `package.json`, `pyproject.toml`,
    /// `setup.cfg` or `go.mod` in the root, and the `Cargo.toml` of a Cargo
    /// workspace's members
    Manifest,
    /// `README*` in the root
    Readme,
}

impl TipFileKind {
    /// Every kind, in a fixed order.
    pub const ALL: [TipFileKind; 13] = [
        TipFileKind::Mailmap,
        TipFileKind::Codeowners,
        TipFileKind::Maintainers,
        TipFileKind::Owners,
        TipFileKind::Funding,
        TipFileKind::Security,
        TipFileKind::Governance,
        TipFileKind::Contributing,
        TipFileKind::CodeOfConduct,
        TipFileKind::License,
        TipFileKind::SecurityInsights,
        TipFileKind::Manifest,
        TipFileKind::Readme,
    ];

    /// A stable name, used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            TipFileKind::Mailmap => "mailmap",
            TipFileKind::Codeowners => "codeowners",
            TipFileKind::Maintainers => "maintainers",
            TipFileKind::Owners => "owners",
            TipFileKind::Funding => "funding",
            TipFileKind::Security => "security",
            TipFileKind::Governance => "governance",
            TipFileKind::Contributing => "contributing",
            TipFileKind::CodeOfConduct => "code_of_conduct",
            TipFileKind::License => "license",
            TipFileKind::SecurityInsights => "security_insights",
            TipFileKind::Manifest => "manifest",
            TipFileKind::Readme => "readme",
        }
    }

    /// The kind for a name written by [`TipFileKind::as_str`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Which kind a file is, from its directory (`""`, `.github` or `docs`) and file name.
    pub fn classify(dir: &str, file_name: &str) -> Option<Self> {
        let upper = file_name.to_ascii_uppercase();
        let starts = |p: &str| upper.starts_with(p);
        if dir.is_empty() && MANIFESTS.contains(&file_name) {
            return Some(TipFileKind::Manifest);
        }
        let kind = match upper.as_str() {
            ".MAILMAP" if dir.is_empty() => TipFileKind::Mailmap,
            _ if dir.is_empty() && starts("README") => TipFileKind::Readme,
            "SECURITY-INSIGHTS.YML" | "SECURITY-INSIGHTS.YAML" => TipFileKind::SecurityInsights,
            "CODEOWNERS" => TipFileKind::Codeowners,
            "OWNERS" | "OWNERS_ALIASES" => TipFileKind::Owners,
            "FUNDING.YML" | "FUNDING.YAML" => TipFileKind::Funding,
            _ if starts("MAINTAINERS") => TipFileKind::Maintainers,
            _ if starts("SECURITY") => TipFileKind::Security,
            _ if starts("GOVERNANCE") => TipFileKind::Governance,
            _ if starts("CONTRIBUTING") => TipFileKind::Contributing,
            _ if starts("CODE_OF_CONDUCT") || starts("CODE-OF-CONDUCT") => {
                TipFileKind::CodeOfConduct
            }
            _ if starts("LICENSE") || starts("LICENCE") || starts("COPYING") => {
                TipFileKind::License
            }
            _ => return None,
        };
        Some(kind)
    }
}

/// The package manifests read in the root.
pub const MANIFESTS: [&str; 5] = [
    "Cargo.toml",
    "package.json",
    "pyproject.toml",
    "setup.cfg",
    "go.mod",
];

/// A community file as found at the tip of the default branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TipFile {
    /// Its path in the repository.
    pub path: RawText,
    /// What it is.
    pub kind: TipFileKind,
    /// Its content (files over the size limit are cut at it).
    pub content: RawText,
}

#[cfg(test)]
mod tests {
    use super::TipFileKind::{self, *};

    #[test]
    fn classifies_governance_files() {
        assert_eq!(TipFileKind::classify("", ".mailmap"), Some(Mailmap));
        assert_eq!(TipFileKind::classify(".github", ".mailmap"), None);
        assert_eq!(
            TipFileKind::classify(".github", "CODEOWNERS"),
            Some(Codeowners)
        );
        assert_eq!(
            TipFileKind::classify("", "MAINTAINERS.md"),
            Some(Maintainers)
        );
        assert_eq!(TipFileKind::classify("", "LICENSE-APACHE"), Some(License));
        assert_eq!(TipFileKind::classify("", "COPYING"), Some(License));
        assert_eq!(
            TipFileKind::classify(".github", "FUNDING.yml"),
            Some(Funding)
        );
        assert_eq!(
            TipFileKind::classify("docs", "code_of_conduct.md"),
            Some(CodeOfConduct)
        );
        assert_eq!(TipFileKind::classify("", "README.md"), Some(Readme));
        assert_eq!(TipFileKind::classify("docs", "README.md"), None);
        assert_eq!(TipFileKind::classify("", "SECURITY.md"), Some(Security));
        assert_eq!(
            TipFileKind::classify(".github", "security-insights.yml"),
            Some(SecurityInsights)
        );
        assert_eq!(TipFileKind::classify("", "Cargo.toml"), Some(Manifest));
        assert_eq!(TipFileKind::classify("docs", "package.json"), None);
        for kind in TipFileKind::ALL {
            assert_eq!(TipFileKind::from_name(kind.as_str()), Some(kind));
        }
    }
}
