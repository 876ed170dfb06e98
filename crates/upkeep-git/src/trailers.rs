//! Trailer parsing: the `Key: value` block at the end of a commit message,
//! following the rules of `git interpret-trailers`.

use upkeep_core::events::{RawText, Trailer};

/// Trailer keys whose value names a person, in their canonical spelling.
const IDENTITY_KEYS: &[&str] = &[
    "Signed-off-by",
    "Reviewed-by",
    "Acked-by",
    "Tested-by",
    "Reported-by",
    "Suggested-by",
    "Co-authored-by",
    "Helped-by",
    "Reviewers",
    "Mentored-by",
    "Cc",
];

/// Keys git itself writes; one of them is enough to make a mixed paragraph a trailer block.
const GIT_KEYS: &[&str] = &["Signed-off-by", "(cherry picked from commit "];

/// The trailers of a full commit message (subject, body and trailer block).
///
/// The trailer block is the last paragraph of the message, never the subject
/// paragraph. It counts when every line in it is a trailer (or a continuation
/// line starting with white space), or, as git allows, when at least a quarter
/// of its lines are trailers and one of them is git-generated (`Signed-off-by`).
/// `Reviewers: A <a@x>, B <b@y>` (Kafka's style) yields one trailer per person.
pub fn parse(message: &[u8]) -> Vec<Trailer> {
    let Some(block) = trailer_block(message) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in block {
        let canonical = IDENTITY_KEYS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(&key))
            .copied();
        match canonical {
            Some("Reviewers") => {
                for part in split_list(&value) {
                    out.push(identity_trailer("Reviewers", part));
                }
            }
            Some(k) => out.push(identity_trailer(k, &value)),
            None => out.push(Trailer {
                key,
                value: RawText::from(value.trim_ascii()),
                name: None,
                email: None,
            }),
        }
    }
    out
}

/// Finds the last paragraph and returns its `(key, value)` pairs if it is a trailer block.
fn trailer_block(message: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let lines: Vec<&[u8]> = message
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.starts_with(b"#"))
        .collect();
    let end = lines.iter().rposition(|l| !l.trim_ascii().is_empty())? + 1;
    let start = lines[..end]
        .iter()
        .rposition(|l| l.trim_ascii().is_empty())
        .map_or(0, |i| i + 1);
    if start == 0 {
        // The only paragraph is the subject (and whatever is glued to it).
        return None;
    }
    let paragraph = &lines[start..end];
    let mut pairs: Vec<(String, Vec<u8>)> = Vec::new();
    let (mut trailer_lines, mut other_lines, mut has_git_key) = (0usize, 0usize, false);
    for line in paragraph {
        if line.first().is_some_and(|b| *b == b' ' || *b == b'\t')
            && let Some((_, value)) = pairs.last_mut()
        {
            value.push(b' ');
            value.extend_from_slice(line.trim_ascii());
            continue;
        }
        match split_trailer(line) {
            Some((key, value)) => {
                trailer_lines += 1;
                has_git_key |= GIT_KEYS.iter().any(|k| k.eq_ignore_ascii_case(&key));
                pairs.push((key, value.to_vec()));
            }
            None => {
                other_lines += 1;
                has_git_key |= line.starts_with(GIT_KEYS[1].as_bytes());
            }
        }
    }
    let all = other_lines == 0 && trailer_lines > 0;
    let mixed =
        has_git_key && trailer_lines > 0 && trailer_lines * 4 >= trailer_lines + other_lines;
    (all || mixed).then_some(pairs)
}

/// Splits `Key: value` where the key is letters, digits and dashes.
fn split_trailer(line: &[u8]) -> Option<(String, &[u8])> {
    let colon = line.iter().position(|b| *b == b':')?;
    let key = line[..colon].trim_ascii_end();
    let valid = !key.is_empty()
        && key[0].is_ascii_alphanumeric()
        && key.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-');
    if !valid {
        return None;
    }
    let key = std::str::from_utf8(key).ok()?.to_owned();
    Some((key, line[colon + 1..].trim_ascii()))
}

/// Splits a `Reviewers:` list on commas that are outside `<…>`.
fn split_list(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut depth = 0i32;
    value
        .split(move |b| {
            match b {
                b'<' => depth += 1,
                b'>' => depth -= 1,
                _ => {}
            }
            *b == b',' && depth <= 0
        })
        .map(<[u8]>::trim_ascii)
        .filter(|part| !part.is_empty())
}

/// A trailer whose value names a person: `Name <email>`, `<email>`, a bare email, or a bare name.
fn identity_trailer(key: &str, value: &[u8]) -> Trailer {
    let value = value.trim_ascii();
    let (name, email) = match (
        value.iter().position(|b| *b == b'<'),
        value.iter().rposition(|b| *b == b'>'),
    ) {
        (Some(open), Some(close)) if open < close => {
            let name = value[..open].trim_ascii();
            let email = value[open + 1..close].trim_ascii();
            (
                (!name.is_empty()).then(|| RawText::from(name)),
                (!email.is_empty()).then(|| RawText::from(email)),
            )
        }
        _ if value.contains(&b'@') && !value.contains(&b' ') => (None, Some(RawText::from(value))),
        _ if !value.is_empty() => (Some(RawText::from(value)), None),
        _ => (None, None),
    };
    Trailer {
        key: key.to_owned(),
        value: RawText::from(value),
        name,
        email,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_and_people(message: &str) -> Vec<(String, Option<String>, Option<String>)> {
        parse(message.as_bytes())
            .into_iter()
            .map(|t| {
                (
                    t.key,
                    t.name.map(|n| n.to_string()),
                    t.email.map(|e| e.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn git_style_block() {
        let msg = "subject\n\nbody text\n\nSigned-off-by: Alice A <alice@example.com>\nreviewed-by: Bob <bob@example.org>\nAcked-by: carol@example.net\n";
        assert_eq!(
            keys_and_people(msg),
            vec![
                (
                    "Signed-off-by".into(),
                    Some("Alice A".into()),
                    Some("alice@example.com".into())
                ),
                (
                    "Reviewed-by".into(),
                    Some("Bob".into()),
                    Some("bob@example.org".into())
                ),
                ("Acked-by".into(), None, Some("carol@example.net".into())),
            ]
        );
    }

    #[test]
    fn kafka_reviewers_list() {
        let msg = "KAFKA-1: fix (#42)\n\nReviewers: Jun Rao <junrao@gmail.com>, Ismael Juma <ismael@juma.me.uk>, Colin\n";
        assert_eq!(
            keys_and_people(msg),
            vec![
                (
                    "Reviewers".into(),
                    Some("Jun Rao".into()),
                    Some("junrao@gmail.com".into())
                ),
                (
                    "Reviewers".into(),
                    Some("Ismael Juma".into()),
                    Some("ismael@juma.me.uk".into())
                ),
                ("Reviewers".into(), Some("Colin".into()), None),
            ]
        );
    }

    #[test]
    fn subject_alone_is_never_a_block() {
        assert!(parse(b"Fixes: the build").is_empty());
        assert!(parse(b"").is_empty());
    }

    #[test]
    fn prose_paragraph_is_not_a_block() {
        let msg = "subject\n\nThis explains: things\nand more prose here\n";
        assert!(parse(msg.as_bytes()).is_empty());
    }

    #[test]
    fn mixed_block_with_signed_off_by_counts() {
        // 2 trailers of 3 lines (>= 25%) and a git-generated key: git accepts it.
        let msg = "subject\n\n[ fixed a typo while applying ]\nSigned-off-by: A <a@x.org>\nCo-authored-by: B <b@y.org>\n";
        let got = keys_and_people(msg);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].0, "Co-authored-by");
    }

    #[test]
    fn continuation_lines_join() {
        let msg = "s\n\nLink: https://example.com/a\n  /b\nSigned-off-by: A <a@x.org>\n";
        let trailers = parse(msg.as_bytes());
        assert_eq!(trailers[0].value.to_string(), "https://example.com/a /b");
        assert_eq!(trailers[0].name, None);
    }
}
