//! `security_fixes`: advisories of an upstream whose fix was authored or
//! reviewed by our people. A commit fixes an advisory when the advisory
//! names it (OSV `references` of type `FIX`, or a `GIT` range's `fixed`
//! commit) or when its subject names one of the advisory's ids (its CVE,
//! GHSA, …); reviewed means a `Reviewed-by`/`Acked-by` trailer of ours, or
//! a review of ours on the pull request the commit names.

use super::{CommitAct, Credit, Inputs, Produced, short};
use crate::advisories::osv::Record;
use crate::advisories::{groups, named};
use crate::events::ActivityKind;

/// The definition of `security_fixes`.
pub const DEFINITION: &str = "advisories (one per vulnerability, its records joined by aliases) whose fix commit — named by the advisory (OSV references of type FIX, a GIT range's fixed commit) or naming one of its ids in its subject — was authored, or reviewed (Reviewed-by/Acked-by, or a forge review of its pull request), by our people; credited at the commit's time";

/// A vulnerability of an upstream and what fixed it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fixable {
    /// Its id (as `report` shows it).
    pub id: String,
    /// Every id of its records (the id and its aliases).
    pub ids: Vec<String>,
    /// Commits the advisory names as its fix (hex, lower case, 7 to 40 digits).
    pub fix_commits: Vec<String>,
}

/// The vulnerabilities of `records` (withdrawn ones left out), each with its
/// fix commits.
pub fn fixables(records: &[Record]) -> Vec<Fixable> {
    let refs: Vec<&Record> = records.iter().collect();
    groups(&refs)
        .iter()
        .map(|group| {
            let (id, aliases) = named(group);
            let mut fix_commits: Vec<String> = group.iter().flat_map(|r| r.fix_commits()).collect();
            fix_commits.sort();
            fix_commits.dedup();
            let mut ids = aliases;
            ids.push(id.clone());
            Fixable {
                id,
                ids,
                fix_commits,
            }
        })
        .collect()
}

/// Whether `commit` fixes `advisory`.
fn fixes(commit: &CommitAct, advisory: &Fixable) -> bool {
    let id = commit.id.to_ascii_lowercase();
    advisory
        .fix_commits
        .iter()
        .any(|fix| id.starts_with(fix.as_str()))
        || advisory.ids.iter().any(|a| names(&commit.subject, a))
}

/// Whether `text` names `id` as a whole word, in any case.
fn names(text: &str, id: &str) -> bool {
    let text = text.to_ascii_uppercase();
    let id = id.to_ascii_uppercase();
    text.match_indices(&id).any(|(at, _)| {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-');
        !word(text[..at].chars().next_back()) && !word(text[at + id.len()..].chars().next())
    })
}

/// The credits of `security_fixes`.
pub fn security_fixes(inputs: &Inputs<'_>) -> Produced {
    let mut credits = Vec::new();
    for u in inputs.upstreams {
        for advisory in u.advisories {
            for c in u.commits.iter().filter(|c| fixes(c, advisory)) {
                let mut credit = |person: &str, what: String| {
                    credits.push(Credit {
                        key: format!("{} {}", u.name, advisory.id),
                        upstream: u.name.clone(),
                        person: person.to_owned(),
                        time: c.time,
                        what,
                    });
                };
                if let Some(a) = c
                    .author
                    .as_deref()
                    .filter(|a| !c.author_bot && (inputs.ours)(a, c.time))
                {
                    credit(a, format!("fixed {} ({})", advisory.id, short(&c.id)));
                }
                let forge_reviewers = u
                    .items
                    .iter()
                    .filter(|i| Some(i.number) == c.pr_number)
                    .flat_map(|i| &i.actions)
                    .filter(|a| a.kind == ActivityKind::Review && !a.bot)
                    .filter_map(|a| Some((a.person.as_deref()?, a.time)));
                let trailers = c.reviewers.iter().map(|r| (r.as_str(), c.time));
                for (reviewer, at) in trailers.chain(forge_reviewers) {
                    if Some(reviewer) != c.author.as_deref() && (inputs.ours)(reviewer, at) {
                        credit(
                            reviewer,
                            format!("reviewed the fix of {} ({})", advisory.id, short(&c.id)),
                        );
                    }
                }
            }
        }
    }
    Produced::credits(credits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::ItemKind::PullRequest;
    use crate::ledger::testing::*;

    fn record(id: &str, aliases: &[&str], fix: Option<&str>) -> Record {
        let references = fix
            .map(|c| {
                vec![crate::advisories::osv::Reference {
                    kind: "FIX".into(),
                    url: format!("https://github.com/o/r/commit/{c}"),
                }]
            })
            .unwrap_or_default();
        Record {
            id: id.into(),
            aliases: aliases.iter().map(|a| (*a).into()).collect(),
            references,
            ..Record::default()
        }
    }

    #[test]
    fn fixes_named_by_the_advisory_or_naming_it_authored_or_reviewed_by_us() {
        let mut w = World::new("2026-01-01", "2026-04-01");
        w.joins("ann", "2020-01-01");
        w.joins("bob", "2020-01-01");
        // ann authors the commit GHSA-a names as its fix (under two ids: once).
        let fix = w.commit("ann", "2026-01-10").id.clone();
        // carol's commit names CVE-2 in its subject; bob reviewed it (trailer).
        let c = w.commit("carol", "2026-02-10");
        c.subject = "Fix cve-2: bound the header size".into();
        c.reviewers = vec!["bob".into()];
        // dan's pull request #7 names GHSA-c; ann reviewed it on the forge.
        let d = w.commit("dan", "2026-03-10");
        d.subject = "Escape names (GHSA-c)".into();
        d.pr_number = Some(7);
        w.item(PullRequest, 7, "dan", "2026-03-01", 0).actions =
            vec![act(ActivityKind::Review, "ann", "2026-03-05", 1)];
        // CVE-20 is not CVE-2; eve is not ours.
        w.commit("carol", "2026-03-11").subject = "Mention CVE-20".into();
        w.commit("eve", "2026-03-12").subject = "Fix GHSA-e".into();
        w.advisories = fixables(&[
            record("GHSA-a", &["CVE-1"], Some(&fix[..12])),
            record("CVE-1", &[], None),
            record("GHSA-b", &["CVE-2"], None),
            record("GHSA-c", &[], None),
            record("GHSA-e", &[], None),
        ]);
        let k = w.kpi("security_fixes");
        let credited: Vec<(&str, &str)> = k
            .credits
            .iter()
            .map(|c| (c.person.as_str(), c.what.as_str()))
            .collect();
        assert_eq!(
            credited,
            [
                ("ann", &*format!("fixed CVE-1 ({})", &fix[..10])),
                ("bob", "reviewed the fix of CVE-2 (0000000001)"),
                ("ann", "reviewed the fix of GHSA-c (0000000002)"),
            ]
        );
        assert_eq!(
            (k.counts.total, k.counts.by_period.clone()),
            (3, vec![1, 1, 1])
        );
    }
}
