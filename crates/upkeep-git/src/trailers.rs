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
    "Author",
    "Assisted-by",
    "Generated-by",
];

/// Spellings of identity keys that stand for a canonical one (Kafka writes both).
const ALIASES: &[(&str, &str)] = &[("Reviewer", "Reviewers")];

/// Identity keys whose value may list several people (`Reviewed-by: Simon
/// Riggs, Alvaro Herrera`, PostgreSQL's `Author:` lines, Kafka's `Reviewers:`).
const LIST_KEYS: &[&str] = &[
    "Author",
    "Co-authored-by",
    "Reviewed-by",
    "Reported-by",
    "Reviewers",
    "Tested-by",
    "Acked-by",
    "Suggested-by",
];

/// Keys git itself writes; one of them is enough to make a mixed paragraph a trailer block.
const GIT_KEYS: &[&str] = &["Signed-off-by", "(cherry picked from commit "];

/// The trailers of a full commit message (subject, body and trailer block).
///
/// The trailer block is the last paragraph of the message, never the subject
/// paragraph. It counts when every line in it is a trailer (or a continuation
/// line starting with white space), or, as git allows, when at least a quarter
/// of its lines are trailers and one of them is git-generated (`Signed-off-by`).
/// Paragraphs right before it made of trailers only belong to it (PostgreSQL
/// writes `Author:`/`Reviewed-by:` and then, apart, `Discussion:`).
/// A list (`Reviewers: A <a@x>, B <b@y>`, `Reviewed-by: Simon Riggs and
/// Alvaro Herrera`) yields one trailer per person.
pub fn parse(message: &[u8]) -> Vec<Trailer> {
    let lines: Vec<&[u8]> = message
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.starts_with(b"#"))
        .collect();
    let mut out = Vec::new();
    for (key, value) in trailer_paragraphs(&lines) {
        let canonical = ALIASES
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(&key))
            .map(|(_, k)| *k)
            .or_else(|| {
                IDENTITY_KEYS
                    .iter()
                    .find(|k| k.eq_ignore_ascii_case(&key))
                    .copied()
            });
        match canonical {
            Some(k) if LIST_KEYS.contains(&k) => {
                for part in split_list(&value) {
                    out.push(identity_trailer(k, part));
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

/// The `(key, value)` pairs of the trailer block and of the trailer-only
/// paragraphs right before it, in message order.
fn trailer_paragraphs(lines: &[&[u8]]) -> Vec<(String, Vec<u8>)> {
    let mut blocks: Vec<Vec<(String, Vec<u8>)>> = Vec::new();
    let mut end = lines.len();
    while let Some((start, stop)) = last_paragraph(&lines[..end]) {
        match trailer_block(&lines[start..stop], blocks.is_empty()) {
            Some(pairs) if blocks.is_empty() || pairs.iter().any(|(k, _)| names_people(k)) => {
                blocks.push(pairs);
            }
            _ => break,
        }
        end = start;
    }
    blocks.into_iter().rev().flatten().collect()
}

/// Whether `key` is one whose value names people.
fn names_people(key: &str) -> bool {
    IDENTITY_KEYS
        .iter()
        .chain(ALIASES.iter().map(|(alias, _)| alias))
        .any(|k| k.eq_ignore_ascii_case(key))
}

/// The bounds of the last paragraph of `lines`, unless it is the subject's.
fn last_paragraph(lines: &[&[u8]]) -> Option<(usize, usize)> {
    let end = lines.iter().rposition(|l| !l.trim_ascii().is_empty())? + 1;
    let start = lines[..end]
        .iter()
        .rposition(|l| l.trim_ascii().is_empty())
        .map_or(0, |i| i + 1);
    // The first paragraph is the subject (and whatever is glued to it).
    (start > 0).then_some((start, end))
}

/// The `(key, value)` pairs of `paragraph` if it is a trailer block; `last`
/// allows git's mixed blocks, which only the last paragraph may be.
fn trailer_block(paragraph: &[&[u8]], last: bool) -> Option<Vec<(String, Vec<u8>)>> {
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
    let mixed = last
        && has_git_key
        && trailer_lines > 0
        && trailer_lines * 4 >= trailer_lines + other_lines;
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

/// Splits a list of people on commas and on the word `and` outside `<…>`.
fn split_list(value: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut i) = (0i32, 0usize, 0usize);
    while i < value.len() {
        match value[i] {
            b'<' => depth += 1,
            b'>' => depth -= 1,
            b',' if depth <= 0 => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            b' ' if depth <= 0 && value[i..].starts_with(b" and ") => {
                parts.push(&value[start..i]);
                start = i + 5;
                i += 4;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&value[start..]);
    parts
        .into_iter()
        .map(<[u8]>::trim_ascii)
        .filter(|part| !part.is_empty())
        .collect()
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
    fn postgres_lists_across_paragraphs() {
        let msg = "Fix btree split\n\nProse: that is not a trailer block here.\nmore prose\n\nAuthor: Alexander Korotkov <aekorotkov@gmail.com>\nReviewed-by: Simon Riggs, Alvaro Herrera and\n  Tom Lane\nReported-by: Jane Doe <jane@example.org>\n\nDiscussion: https://postgr.es/m/CAPpHfdt@mail.gmail.com\n";
        let got = keys_and_people(msg);
        let names: Vec<(&str, Option<&str>)> = got
            .iter()
            .map(|(k, n, _)| (k.as_str(), n.as_deref()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Author", Some("Alexander Korotkov")),
                ("Reviewed-by", Some("Simon Riggs")),
                ("Reviewed-by", Some("Alvaro Herrera")),
                ("Reviewed-by", Some("Tom Lane")),
                ("Reported-by", Some("Jane Doe")),
                ("Discussion", None),
            ]
        );
        assert_eq!(got[0].2.as_deref(), Some("aekorotkov@gmail.com"));
        let trailers = parse(msg.as_bytes());
        assert_eq!(
            trailers[5].value.to_string(),
            "https://postgr.es/m/CAPpHfdt@mail.gmail.com"
        );
    }

    #[test]
    fn reviewer_is_spelled_reviewers() {
        let got = keys_and_people("s\n\nReviewer: Jun Rao <jun@x.org>, Colin\n");
        assert_eq!(got[0].0, "Reviewers");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].1.as_deref(), Some("Colin"));
    }

    #[test]
    fn a_paragraph_of_other_keys_before_the_block_is_not_joined() {
        let got = keys_and_people("s\n\nNote: prose\n\nSigned-off-by: A <a@x.org>\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "Signed-off-by");
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
