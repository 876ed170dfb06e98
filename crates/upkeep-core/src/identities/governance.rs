//! People named in governance files: CODEOWNERS, MAINTAINERS (text, or
//! Markdown tables such as OpenSearch's `| Maintainer | GitHub ID |
//! Affiliation |` with logins as links), OWNERS and OWNERS_ALIASES. People
//! under an `Emeritus` heading are former maintainers and not named.

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
    let tables = kind == TipFileKind::Maintainers;
    if tables {
        out.extend(
            maintainer_rows(text)
                .into_iter()
                .filter_map(|r| r.login.map(Named::Login)),
        );
    }
    let mut emeritus = false;
    for line in text.lines() {
        let line = line.trim();
        if tables && line.starts_with('#') {
            emeritus = line.to_lowercase().contains("emeritus");
            continue;
        }
        if line.is_empty() || line.starts_with('#') || emeritus {
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

/// A row of a maintainers table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaintainerRow {
    /// The name, as written.
    pub name: String,
    /// The GitHub login (lower-cased), from a link or the text.
    pub login: Option<String>,
    /// The organization the row says they work for.
    pub affiliation: Option<String>,
}

/// The rows of the Markdown tables of a MAINTAINERS file whose header names a
/// GitHub ID or login column, outside `Emeritus` sections.
pub fn maintainer_rows(text: &str) -> Vec<MaintainerRow> {
    let mut out = Vec::new();
    let mut emeritus = false;
    let mut columns: Option<(Option<usize>, usize, Option<usize>)> = None;
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') {
            emeritus = line.to_lowercase().contains("emeritus");
            columns = None;
            continue;
        }
        let Some(cells) = cells(line) else {
            columns = None;
            continue;
        };
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        {
            continue;
        }
        let Some((name, login, affiliation)) = columns else {
            let lower: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
            let find = |words: &[&str]| {
                lower
                    .iter()
                    .position(|c| words.iter().any(|w| c.contains(w)))
            };
            columns = find(&["github", "login", "handle"]).map(|login| {
                (
                    find(&["maintainer", "name"]),
                    login,
                    find(&["affiliation", "company", "organization", "employer"]),
                )
            });
            continue;
        };
        if emeritus {
            continue;
        }
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
        };
        out.push(MaintainerRow {
            name: cell(name).unwrap_or_default(),
            login: cell(Some(login)).and_then(|c| login_in(&c)),
            affiliation: cell(affiliation),
        });
    }
    out
}

/// The cells of a Markdown table line (`| a | b |`), if it is one.
fn cells(line: &str) -> Option<Vec<&str>> {
    let inner = line.strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(inner.split('|').map(str::trim).collect())
}

/// The login in a cell: `[reta](https://github.com/reta)`, `@reta` or `reta`.
fn login_in(cell: &str) -> Option<String> {
    let text = match (cell.find("github.com/"), cell.strip_prefix('[')) {
        (Some(at), _) => cell[at + "github.com/".len()..].trim_end_matches([')', '/']),
        (None, Some(rest)) => rest.split(']').next().unwrap_or(""),
        (None, None) => cell,
    };
    let login = text.trim().trim_start_matches('@');
    is_login(login).then(|| login.to_lowercase())
}

fn is_login(s: &str) -> bool {
    !s.is_empty() && s.len() <= 39 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opensearch_maintainers_table_without_emeritus() {
        let text = "# Overview\n\n## Current Maintainers\n\n| Maintainer | GitHub ID | Affiliation |\n| --- | --- | --- |\n| Andriy Redko | [reta](https://github.com/reta) | Aiven |\n| Jane Roe | @JaneR | Amazon |\n\n## Emeritus\n\n| Maintainer | GitHub ID | Affiliation |\n| --- | --- | --- |\n| Old Timer | [oldie](https://github.com/oldie) | Amazon |\n* also @gone\n";
        assert_eq!(
            maintainer_rows(text),
            vec![
                MaintainerRow {
                    name: "Andriy Redko".into(),
                    login: Some("reta".into()),
                    affiliation: Some("Aiven".into())
                },
                MaintainerRow {
                    name: "Jane Roe".into(),
                    login: Some("janer".into()),
                    affiliation: Some("Amazon".into())
                },
            ]
        );
        assert_eq!(
            named(TipFileKind::Maintainers, text),
            vec![Named::Login("janer".into()), Named::Login("reta".into())]
        );
    }

    #[test]
    fn owners_aliases() {
        let text = "aliases:\n  sig-leads:\n    - alice\n    - Bob\n";
        assert_eq!(
            named(TipFileKind::Owners, text),
            vec![Named::Login("alice".into()), Named::Login("bob".into())]
        );
    }

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
