//! Parsers for CNCF gitdm affiliation data: `developers_affiliations*.txt`,
//! `domain-map`, `aliases` and `merged-company-names-mapping`.
//!
//! Each parser takes a file's text and returns what it could read plus one
//! [`LineIssue`] per malformed line (with its 1-based line number), so a
//! caller can report them all and decide not to apply a file at all.
//! E-mail addresses in gitdm files are written with `!` for `@`; the parsers
//! return them with `@`, lower-cased.

use super::Day;

/// A malformed line, skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIssue {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// One organization a developer belonged to, over `[from, until)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Affiliation {
    /// The organization as written.
    pub organization: String,
    /// First day, if bounded.
    pub from: Option<Day>,
    /// First day no longer there, if bounded.
    pub until: Option<Day>,
}

/// A developer entry of `developers_affiliations*.txt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Developer {
    /// The GitHub login the entry is for.
    pub login: String,
    /// The entry's e-mail addresses, with `@`, lower-cased.
    pub emails: Vec<String>,
    /// Affiliations in file order.
    pub affiliations: Vec<Affiliation>,
    /// The line of the `login: emails` header.
    pub line: usize,
}

/// A `domain-map` rule: addresses at `domain` (or its subdomains) belong to `organization`, until a day if given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainRule {
    /// The domain, lower-cased.
    pub domain: String,
    /// The organization.
    pub organization: String,
    /// First day the rule no longer holds, if bounded.
    pub until: Option<Day>,
}

/// What a parser read, and the lines it skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The entries read.
    pub entries: Vec<T>,
    /// Malformed lines, skipped.
    pub issues: Vec<LineIssue>,
}

/// The lines that carry data: numbered from 1, trimmed, without blanks and `#` comments.
fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

fn email(gitdm: &str) -> Option<String> {
    let email = gitdm.trim().replace('!', "@").to_lowercase();
    let (user, domain) = email.split_once('@')?;
    (!user.is_empty() && !domain.is_empty() && !email.contains(char::is_whitespace))
        .then_some(email)
}

/// Parses `developers_affiliations*.txt`: a `login: email!domain, …` line, then
/// tab-indented `Company`, `Company until YYYY-MM-DD`, `Company from YYYY-MM-DD`
/// or `Company from YYYY-MM-DD until YYYY-MM-DD` lines.
pub fn parse_developers(text: &str) -> Parsed<Developer> {
    let mut out = Parsed {
        entries: Vec::new(),
        issues: Vec::new(),
    };
    let mut issue = |line: usize, message: String| out.issues.push(LineIssue { line, message });
    let mut entries: Vec<Developer> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if raw.starts_with(['\t', ' ']) {
            let Some(current) = entries.last_mut() else {
                issue(line, "an affiliation line before any developer line".into());
                continue;
            };
            match parse_affiliation(raw.trim()) {
                Ok(affiliation) => current.affiliations.push(affiliation),
                Err(message) => issue(line, message),
            }
            continue;
        }
        let Some((login, emails)) = raw.split_once(':') else {
            issue(line, "expected `login: email!domain, …`".into());
            continue;
        };
        let login = login.trim().trim_end_matches('*').trim();
        if login.is_empty() {
            issue(line, "the developer line has no login".into());
            continue;
        }
        let mut parsed = Vec::new();
        for part in emails.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match email(part) {
                Some(e) => parsed.push(e),
                None => issue(line, format!("`{part}` is not an e-mail address")),
            }
        }
        entries.push(Developer {
            login: login.to_owned(),
            emails: parsed,
            affiliations: Vec::new(),
            line,
        });
    }
    out.entries = entries;
    out
}

fn parse_affiliation(text: &str) -> Result<Affiliation, String> {
    let mut rest = text;
    let mut until = None;
    let mut from = None;
    if let Some((head, date)) = rest.rsplit_once(" until ") {
        until = Some(
            Day::parse(date.trim())
                .ok_or_else(|| format!("`{}` is not a YYYY-MM-DD date", date.trim()))?,
        );
        rest = head;
    }
    if let Some((head, date)) = rest.rsplit_once(" from ") {
        let date = date.trim();
        // "Company from Elsewhere" is a name; "Company from 2020-13-01" is a bad date.
        if date.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            from =
                Some(Day::parse(date).ok_or_else(|| format!("`{date}` is not a YYYY-MM-DD date"))?);
            rest = head;
        }
    }
    let organization = rest.trim();
    if organization.is_empty() {
        return Err("the affiliation has no organization".into());
    }
    if let (Some(f), Some(u)) = (from, until)
        && f >= u
    {
        return Err(format!("the range from {f} until {u} is empty"));
    }
    Ok(Affiliation {
        organization: organization.to_owned(),
        from,
        until,
    })
}

/// Parses `domain-map`: `domain Organization name [< YYYY-MM-DD]` lines.
pub fn parse_domain_map(text: &str) -> Parsed<DomainRule> {
    let mut out = Parsed {
        entries: Vec::new(),
        issues: Vec::new(),
    };
    for (line, raw) in content_lines(text) {
        let Some((domain, rest)) = raw.split_once(char::is_whitespace) else {
            out.issues.push(LineIssue {
                line,
                message: "expected `domain Organization [< YYYY-MM-DD]`".into(),
            });
            continue;
        };
        let (organization, until) = match rest.rsplit_once('<') {
            Some((org, date)) => match Day::parse(date.trim()) {
                Some(day) => (org.trim(), Some(day)),
                None => {
                    out.issues.push(LineIssue {
                        line,
                        message: format!("`{}` is not a YYYY-MM-DD date", date.trim()),
                    });
                    continue;
                }
            },
            None => (rest.trim(), None),
        };
        if organization.is_empty() || !domain.contains('.') {
            out.issues.push(LineIssue {
                line,
                message: "expected `domain Organization [< YYYY-MM-DD]`".into(),
            });
            continue;
        }
        out.entries.push(DomainRule {
            domain: domain.to_lowercase(),
            organization: organization.to_owned(),
            until,
        });
    }
    out
}

/// Parses `aliases`: `secondary!address canonical!address` lines.
pub fn parse_aliases(text: &str) -> Parsed<(String, String)> {
    let mut out = Parsed {
        entries: Vec::new(),
        issues: Vec::new(),
    };
    for (line, raw) in content_lines(text) {
        let mut parts = raw.split_whitespace();
        match (
            parts.next().and_then(email),
            parts.next().and_then(email),
            parts.next(),
        ) {
            (Some(alias), Some(canonical), None) => out.entries.push((alias, canonical)),
            _ => out.issues.push(LineIssue {
                line,
                message: "expected `alias!domain canonical!domain`".into(),
            }),
        }
    }
    out
}

/// Parses `merged-company-names-mapping`: `Name -> Canonical name` lines.
pub fn parse_company_names(text: &str) -> Parsed<(String, String)> {
    let mut out = Parsed {
        entries: Vec::new(),
        issues: Vec::new(),
    };
    for (line, raw) in content_lines(text) {
        match raw.split_once("->") {
            Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => {
                out.entries.push((
                    from.trim().trim_start_matches('*').to_owned(),
                    to.trim().to_owned(),
                ))
            }
            _ => out.issues.push(LineIssue {
                line,
                message: "expected `Name -> Canonical name`".into(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn developer_blocks() {
        let text = "# header\n00r2: 00r2!users.noreply.github.com\n\tPerkinElmer Inc. until 2014-08-01\n\tIndependent from 2014-08-01 until 2015-10-01\n\tSimplebet Inc. from 2020-01-01\nbad line\n\tAcme from 2020-13-01\n";
        let parsed = parse_developers(text);
        assert_eq!(parsed.entries.len(), 1);
        let dev = &parsed.entries[0];
        assert_eq!(dev.login, "00r2");
        assert_eq!(dev.emails, vec!["00r2@users.noreply.github.com"]);
        assert_eq!(dev.line, 2);
        assert_eq!(
            dev.affiliations,
            vec![
                Affiliation {
                    organization: "PerkinElmer Inc.".into(),
                    from: None,
                    until: Day::parse("2014-08-01"),
                },
                Affiliation {
                    organization: "Independent".into(),
                    from: Day::parse("2014-08-01"),
                    until: Day::parse("2015-10-01"),
                },
                Affiliation {
                    organization: "Simplebet Inc.".into(),
                    from: Day::parse("2020-01-01"),
                    until: None,
                },
            ]
        );
        // "bad line" has no colon; month 13 is not a date.
        let lines: Vec<usize> = parsed.issues.iter().map(|i| i.line).collect();
        assert_eq!(lines, vec![6, 7]);
    }

    #[test]
    fn domain_map_and_aliases() {
        let map = parse_domain_map(
            "# c\nansolabs.com Rackspace < 2012-07-20\n3ds.com Dassault Systèmes\nnodot Foo\n",
        );
        assert_eq!(
            map.entries,
            vec![
                DomainRule {
                    domain: "ansolabs.com".into(),
                    organization: "Rackspace".into(),
                    until: Day::parse("2012-07-20"),
                },
                DomainRule {
                    domain: "3ds.com".into(),
                    organization: "Dassault Systèmes".into(),
                    until: None,
                },
            ]
        );
        assert_eq!(map.issues[0].line, 4);
        let aliases = parse_aliases("apevec!gmail.com apevec!redhat.com\nonly-one\n");
        assert_eq!(
            aliases.entries,
            vec![("apevec@gmail.com".into(), "apevec@redhat.com".into())]
        );
        assert_eq!(aliases.issues[0].line, 2);
        let names = parse_company_names("*Independent -> Independent\n8x8 -> 8x8 Inc.\nbroken\n");
        assert_eq!(
            names.entries[0],
            ("Independent".into(), "Independent".into())
        );
        assert_eq!(names.issues.len(), 1);
    }
}
