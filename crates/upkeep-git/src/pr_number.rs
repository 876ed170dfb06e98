//! The pull-request number a commit message names.

/// The pull or merge request number named by a commit message, if any.
///
/// Recognizes GitHub merges (`Merge pull request #123 from …`), Bitbucket merges
/// (`Merged in branch (pull request #123)`), GitLab merges (`See merge request
/// group/project!123` in the body), squash merges whose subject ends in `(#123)`,
/// and Apache's `This closes #123.` lines (Flink: a pull request closed, not
/// merged, by the commit that applied it).
pub fn parse(message: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(message);
    let subject = text.lines().next().unwrap_or("").trim_end();
    if let Some(rest) = subject.strip_prefix("Merge pull request #") {
        return leading_number(rest);
    }
    if subject.starts_with("Merged in ")
        && let Some(at) = subject.find("(pull request #")
    {
        return leading_number(&subject[at + "(pull request #".len()..]);
    }
    if let Some(inner) = subject.strip_suffix(')')
        && let Some(at) = inner.rfind("(#")
    {
        let digits = &inner[at + 2..];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return digits.parse().ok();
        }
    }
    let merge_request = text.lines().rev().find_map(|line| {
        let at = line.find("See merge request ")?;
        let reference = &line[at + "See merge request ".len()..];
        leading_number(&reference[reference.rfind('!')? + 1..])
    });
    merge_request.or_else(|| {
        text.lines().skip(1).find_map(|line| {
            let rest = line.trim_start();
            let prefix = rest.get(..THIS_CLOSES.len())?;
            prefix
                .eq_ignore_ascii_case(THIS_CLOSES)
                .then(|| leading_number(&rest[THIS_CLOSES.len()..]))
                .flatten()
        })
    })
}

/// How Apache projects name the pull request a commit closes.
const THIS_CLOSES: &str = "This closes #";

fn leading_number(s: &str) -> Option<u64> {
    let end = s.bytes().take_while(u8::is_ascii_digit).count();
    s[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn recognized_forms() {
        assert_eq!(
            parse(b"Merge pull request #123 from alice/fix\n\nFix it"),
            Some(123)
        );
        assert_eq!(
            parse(b"Merged in feature/x (pull request #77)\n\nApproved-by: B"),
            Some(77)
        );
        assert_eq!(parse(b"KAFKA-123: speed up (#9876)"), Some(9876));
        assert_eq!(
            parse(b"Merge branch 'fix' into 'main'\n\nFix\n\nSee merge request group/proj!45"),
            Some(45)
        );
    }

    #[test]
    fn flink_this_closes() {
        assert_eq!(
            parse(b"[FLINK-1234][runtime] Fix leak\n\nMore text.\n\nThis closes #5678.\n"),
            Some(5678)
        );
        assert_eq!(parse(b"s\n\nthis closes #12\n"), Some(12));
        assert_eq!(
            parse(b"This closes #12"),
            None,
            "the subject is not a closing line"
        );
    }

    #[test]
    fn no_number() {
        assert_eq!(parse(b"Merge branch 'maint'"), None);
        assert_eq!(parse(b"Fix issue #12 in parser"), None);
        assert_eq!(parse(b"Bump (#abc)"), None);
        assert_eq!(parse(b""), None);
    }
}
