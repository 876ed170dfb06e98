//! Tags: the git form of releases.

use super::{Oid, RawText, Signature};
use serde::Serialize;

/// A tag pointing (possibly through annotated tag objects) at a commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tag {
    /// The short name (`v1.2.3`, not `refs/tags/v1.2.3`).
    pub name: RawText,
    /// The commit it points at.
    pub target: Oid,
    /// For annotated tags, who tagged and when; `None` for lightweight tags.
    pub tagger: Option<Signature>,
    /// Whether the name looks like a version, see [`looks_like_version`].
    pub is_version: bool,
}

/// Whether a tag name looks like a release version.
///
/// Accepts an optional alphabetic prefix joined by `-`, `_` or `/` (`release-`,
/// `REL_`, `kafka-`), an optional `v`, then at least two numeric components
/// separated by `.` or `_` (`1.2`, `16_1`), and an optional suffix starting with
/// `-`, `.`, `+` or a letter (`-rc1`, `b2`). `v7` alone (a `v` and one number) is
/// also a version. Names like `latest`, `2024-cleanup` or `nightly` are not.
pub fn looks_like_version(name: &str) -> bool {
    let rest = strip_prefix(name);
    let (rest, had_v) = match rest.strip_prefix(['v', 'V']) {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let first = digits(rest);
    if first == 0 {
        return false;
    }
    let mut rest = &rest[first..];
    let mut components = 1;
    while let Some(sep) = rest.chars().next().filter(|c| *c == '.' || *c == '_') {
        let after = &rest[sep.len_utf8()..];
        let n = digits(after);
        if n == 0 {
            break;
        }
        components += 1;
        rest = &after[n..];
    }
    if components < 2 && !(had_v && rest.is_empty()) {
        return false;
    }
    match rest.chars().next() {
        None => true,
        Some(c) => matches!(c, '-' | '.' | '+' | '~') || c.is_ascii_alphabetic(),
    }
}

/// Whether a version name is a pre-release: a suffix like `-rc1`, `.rc2`,
/// `rc3`, `-alpha`, `b2`, `-beta.1`, `-pre`, `-preview`, `-dev` or `-snapshot`.
pub fn is_prerelease(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let digits_end = lower.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == '_');
    [
        "rc", "alpha", "beta", "pre", "preview", "dev", "snapshot", "nightly",
    ]
    .iter()
    .any(|marker| {
        lower.match_indices(marker).any(|(at, _)| {
            // The marker must follow the version numbers, not be part of a prefix word.
            at > 0 && lower[..at].bytes().any(|b| b.is_ascii_digit())
        })
    }) || digits_end.is_some_and(|end| {
        // `1.0b2`, `2.0a1`: a single letter between numbers.
        let tail = &lower[..=end];
        tail.len() >= 3 && {
            let bytes = tail.as_bytes();
            bytes.windows(3).any(|w| {
                w[0].is_ascii_digit() && (w[1] == b'a' || w[1] == b'b') && w[2].is_ascii_digit()
            })
        }
    })
}

/// Strips a word prefix like `release-`, `REL_`, `kafka-` or `foo/`.
fn strip_prefix(name: &str) -> &str {
    let word = name.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
    if word == 0 {
        return name;
    }
    match name[word..].chars().next() {
        Some('-' | '_' | '/') => &name[word + 1..],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_version;

    #[test]
    fn versions() {
        for name in [
            "v1.2.3",
            "1.2",
            "REL_16_1",
            "release-1.0",
            "v2.0.0-rc1",
            "1.0b2",
            "kafka-0.8.0",
            "v7",
            "2.45.0",
            "jupyterhub/1.2.3",
            "V1.0",
        ] {
            assert!(looks_like_version(name), "{name} should be a version");
        }
    }

    #[test]
    fn prereleases() {
        for name in [
            "v2.52.0-rc0",
            "1.0rc1",
            "v3.0.0-beta.1",
            "2.0.0-alpha",
            "1.0b2",
            "v1.2-preview",
            "4.0.0-SNAPSHOT",
        ] {
            assert!(super::is_prerelease(name), "{name} is a pre-release");
        }
        for name in [
            "v2.52.0",
            "REL_16_1",
            "release-1.0",
            "kafka-3.8.0",
            "v1.0.1",
        ] {
            assert!(!super::is_prerelease(name), "{name} is a release");
        }
    }

    #[test]
    fn not_versions() {
        for name in [
            "latest", "nightly", "2024", "v", "release", "gitgui-0", "foo-bar", "1.", "v1x2",
        ] {
            assert!(!looks_like_version(name), "{name} should not be a version");
        }
    }
}
