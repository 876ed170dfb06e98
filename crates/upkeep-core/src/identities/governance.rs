//! People named in governance files: CODEOWNERS, MAINTAINERS and OWNERS.

use crate::events::TipFileKind;

/// Someone a governance file names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Named {
    /// By address (lower-cased).
    Email(String),
    /// By forge login (lower-cased, without `@`).
    Login(String),
}

/// The people a governance file of `kind` names: addresses anywhere, `@login`
/// mentions (not `@org/team`), and in OWNERS files the `- login` list items.
pub fn named(kind: TipFileKind, text: &str) -> Vec<Named> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        for token in line.split(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | ',' | '(' | ')' | '"' | '\'')
        }) {
            let token = token.trim_end_matches(['.', ';', ':']);
            if let Some(login) = token.strip_prefix('@') {
                if is_login(login) {
                    out.push(Named::Login(login.to_lowercase()));
                }
            } else if let Some((user, domain)) = token.split_once('@')
                && !user.is_empty()
                && domain.contains('.')
            {
                out.push(Named::Email(token.to_lowercase()));
            }
        }
        if kind == TipFileKind::Owners
            && let Some(item) = line.strip_prefix("- ")
            && is_login(item.trim())
        {
            out.push(Named::Login(item.trim().to_lowercase()));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn is_login(s: &str) -> bool {
    !s.is_empty() && s.len() <= 39 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codeowners_maintainers_owners() {
        let codeowners = "# comment\n* @alice @org/team\n/docs/ bob@example.com @Carol\n";
        assert_eq!(
            named(TipFileKind::Codeowners, codeowners),
            vec![
                Named::Email("bob@example.com".into()),
                Named::Login("alice".into()),
                Named::Login("carol".into()),
            ]
        );
        let maintainers = "GIT\nM:\tJunio C Hamano <gitster@pobox.com>\nR: Dan (@dan-x)\n";
        assert_eq!(
            named(TipFileKind::Maintainers, maintainers),
            vec![
                Named::Email("gitster@pobox.com".into()),
                Named::Login("dan-x".into())
            ]
        );
        let owners = "approvers:\n- alice\n- bob\nreviewers:\n- carol\nlabels:\n- area/foo\n";
        assert_eq!(
            named(TipFileKind::Owners, owners),
            vec![
                Named::Login("alice".into()),
                Named::Login("bob".into()),
                Named::Login("carol".into())
            ]
        );
    }
}
