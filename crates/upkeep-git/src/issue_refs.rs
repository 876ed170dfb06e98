//! The issues a commit message refers to: forge issues it closes
//! (`Fixes #12`, `closes #3, #4`, anywhere in the message) and issue-tracker
//! keys in its subject (`KAFKA-1234: …`, `[FLINK-1234] …`), for projects
//! whose issues live in JIRA. Keys are looked for in the subject only, where
//! those projects write them, so version strings and acronyms in bodies
//! (`UTF-8`, `SHA-256`) are not taken for issues; prefixes that are common
//! acronyms rather than projects are left out in the subject too.

/// Prefixes of `WORD-123` that name standards and encodings, not issue trackers.
const NOT_PROJECTS: &[&str] = &[
    "AES", "ASCII", "BASE", "CP", "CVE", "CWE", "GHSA", "GPL", "AGPL", "LGPL", "HTTP", "IEC",
    "IPV", "ISO", "JSR", "MD", "RFC", "SHA", "SSL", "TLS", "UCS", "UTF", "WIN", "X",
];

/// The references of `message`: `#N` for a closed forge issue, `KEY-N` for a
/// tracker key; each once, in order of appearance.
pub fn parse(message: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(message);
    let subject = text.lines().next().unwrap_or("");
    let mut out: Vec<String> = Vec::new();
    let mut push = |r: String| {
        if !out.contains(&r) {
            out.push(r);
        }
    };
    for key in tracker_keys(subject) {
        push(key);
    }
    for number in closed_numbers(&text) {
        push(format!("#{number}"));
    }
    out
}

/// `KEY-123` words: an uppercase letter, then uppercase letters or digits, a
/// dash and a number without a leading zero.
fn tracker_keys(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !(starts_word && bytes[i].is_ascii_uppercase()) {
            i += 1;
            continue;
        }
        let prefix_end = i + bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'_')
            .count();
        let digits = bytes
            .get(prefix_end + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = prefix_end + 1 + digits;
        let is_key = prefix_end - i >= 2
            && bytes.get(prefix_end) == Some(&b'-')
            && digits > 0
            && bytes[prefix_end + 1] != b'0'
            && bytes.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
        if is_key && !NOT_PROJECTS.contains(&&text[i..prefix_end]) {
            out.push(text[i..end].to_owned());
        }
        i = prefix_end.max(i + 1);
    }
    out
}

/// Issue numbers after GitHub's closing keywords (`close`, `closes`,
/// `closed`, `fix`, `fixes`, `fixed`, `resolve`, `resolves`, `resolved`, in
/// any case, an optional colon), with lists such as `#1, #2 and #3`.
fn closed_numbers(text: &str) -> Vec<u64> {
    const KEYWORDS: &[&str] = &[
        "closes", "closed", "close", "fixes", "fixed", "fix", "resolves", "resolved", "resolve",
    ];
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while from < lower.len() {
        let Some((at, keyword)) = KEYWORDS
            .iter()
            .filter_map(|k| lower[from..].find(k).map(|p| (from + p, *k)))
            .min_by_key(|(p, k)| (*p, usize::MAX - k.len()))
        else {
            break;
        };
        from = at + keyword.len();
        let word_start = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        if !word_start {
            continue;
        }
        let mut rest = lower[from..].strip_prefix(':').unwrap_or(&lower[from..]);
        loop {
            let trimmed = rest.trim_start_matches([' ', '\t']);
            let Some(after_hash) = trimmed.strip_prefix('#') else {
                break;
            };
            let digits = after_hash.bytes().take_while(u8::is_ascii_digit).count();
            let Ok(number) = after_hash[..digits].parse::<u64>() else {
                break;
            };
            out.push(number);
            rest = &after_hash[digits..];
            rest = rest
                .strip_prefix(',')
                .or_else(|| rest.trim_start().strip_prefix("and "))
                .unwrap_or("");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn tracker_keys_in_the_subject() {
        assert_eq!(
            parse(b"KAFKA-1234: speed up the fetcher (#9876)"),
            vec!["KAFKA-1234"]
        );
        assert_eq!(
            parse(b"[FLINK-12][FLINK-13] Fix the planner\n\nThis closes #4321."),
            vec!["FLINK-12", "FLINK-13", "#4321"]
        );
        // Acronyms, versions and keys only in the body are not issues.
        assert_eq!(
            parse(b"Read UTF-8 and SHA-256 names\n\nSee also HBASE-1."),
            Vec::<String>::new()
        );
        assert_eq!(
            parse(b"Bump to 2.0-1 and A-1 and PROJ-0"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn closing_keywords_with_lists() {
        assert_eq!(
            parse(b"Handle empty input\n\nFixes #12, #13 and #14.\nresolves: #2\n"),
            vec!["#12", "#13", "#14", "#2"]
        );
        assert_eq!(parse(b"Prefix fixes#1 and suffixes #2"), vec!["#1"]);
        assert_eq!(parse(b"Closes #7\nCloses #7"), vec!["#7"]);
    }
}
