//! How versions of an ecosystem compare: semantic versions for npm,
//! crates.io and Go modules (`v` prefix and pseudo-versions included),
//! PEP 440 for PyPI. Other ecosystems have no order here: their ranges are
//! not evaluated (said, not guessed).

use std::cmp::Ordering;

/// A version parsed in its ecosystem's semantics.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// npm, crates.io, Go (and OSV's `SEMVER` ranges).
    Semver(semver::Version),
    /// PyPI.
    Pep440(pep440_rs::Version),
}

/// Parses `text` as a version of `ecosystem` (OSV's name); `None` when the
/// ecosystem has no order here or the text is not a version of it.
pub fn parse(ecosystem: &str, text: &str) -> Option<Version> {
    let text = text.trim();
    match ecosystem {
        "PyPI" => text.parse().ok().map(Version::Pep440),
        "npm" | "crates.io" | "Go" | "SEMVER" => {
            let text = text.strip_prefix('v').unwrap_or(text);
            semver::Version::parse(text)
                .or_else(|_| semver::Version::parse(&pad(text)))
                .ok()
                .map(Version::Semver)
        }
        _ => None,
    }
}

/// `1` → `1.0.0`, `1.2` → `1.2.0` (OSV's `introduced: "0"` and short
/// versions some databases write).
fn pad(text: &str) -> String {
    let (core, rest) = text
        .find(['-', '+'])
        .map_or((text, ""), |i| text.split_at(i));
    let parts = core.split('.').count();
    let zeros = ".0".repeat(3usize.saturating_sub(parts));
    format!("{core}{zeros}{rest}")
}

/// Compares two versions of `ecosystem`; `None` when either is not one.
pub fn compare(ecosystem: &str, a: &str, b: &str) -> Option<Ordering> {
    match (parse(ecosystem, a)?, parse(ecosystem, b)?) {
        (Version::Semver(a), Version::Semver(b)) => Some(a.cmp(&b)),
        (Version::Pep440(a), Version::Pep440(b)) => Some(a.cmp(&b)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::{Equal, Greater, Less};

    #[test]
    fn each_ecosystem_in_its_own_order() {
        assert_eq!(compare("npm", "4.17.4", "4.17.21"), Some(Less));
        assert_eq!(compare("npm", "1.0.0-beta.2", "1.0.0"), Some(Less));
        assert_eq!(compare("crates.io", "0", "0.1.0"), Some(Less));
        assert_eq!(
            compare("Go", "v0.0.0-20220906165146-f3363e06e74c", "v0.1.0"),
            Some(Less)
        );
        assert_eq!(compare("Go", "v1.2", "1.2.0"), Some(Equal));
        // PEP 440: pre-releases before the release, post after, epochs first.
        assert_eq!(compare("PyPI", "2.0.0rc1", "2.0.0"), Some(Less));
        assert_eq!(compare("PyPI", "1.26.18", "1.26.18.post1"), Some(Less));
        assert_eq!(compare("PyPI", "1!0.1", "2.0"), Some(Greater));
        assert_eq!(compare("PyPI", "1.0", "1.0.0"), Some(Equal));
        assert_eq!(compare("Maven", "1.0", "2.0"), None);
        assert_eq!(compare("npm", "latest", "1.0.0"), None);
    }
}
