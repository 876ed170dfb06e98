//! Likely duplicates that the rules did not merge: people with the same
//! name but different addresses. Never merged automatically; listed with the
//! evidence and a confidence, for a person to decide.

use super::email;
use super::people::{People, Person};
use serde::Serialize;
use std::collections::BTreeMap;

/// Two people who may be one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Suggestion {
    /// The key of the more active person.
    pub keep: String,
    /// The key of the other.
    pub other: String,
    /// How likely they are one person, from 0 to 1.
    pub confidence: f64,
    /// What points to it (and what against).
    pub evidence: Vec<String>,
}

/// Pairs of people (bots excluded) who share a name, most likely first.
///
/// Confidence starts at 0.5 for an exact (case-insensitive) full-name match,
/// +0.2 when the addresses' local parts match, +0.15 when both are at the same
/// non-free-mail domain, +0.1 for names of three or more words; a one-word
/// name scores 0.3 less. Ties are ordered by keys.
pub fn suggest(people: &People) -> Vec<Suggestion> {
    let mut by_name: BTreeMap<String, Vec<&Person>> = BTreeMap::new();
    for person in people.all().iter().filter(|p| p.bot.is_none()) {
        for name in &person.names {
            let normalized = name
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            if !normalized.is_empty() {
                by_name.entry(normalized).or_default().push(person);
            }
        }
    }
    let mut out: Vec<Suggestion> = Vec::new();
    for (name, group) in by_name {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                if a.key == b.key || out.iter().any(|s| pair(s) == sorted(&a.key, &b.key)) {
                    continue;
                }
                let words = name.split(' ').count();
                let mut confidence: f64 = 0.5;
                let mut evidence = vec![format!("both use the name \"{name}\"")];
                let locals = |p: &Person| -> Vec<String> {
                    p.emails
                        .iter()
                        .filter_map(|e| e.split('@').next().map(str::to_owned))
                        .collect()
                };
                if locals(a).iter().any(|l| locals(b).contains(l)) {
                    confidence += 0.2;
                    evidence.push("their addresses share a local part".into());
                }
                let domains = |p: &Person| -> Vec<String> {
                    p.emails
                        .iter()
                        .filter_map(|e| email::domain(e))
                        .filter(|d| email::no_organization(d).is_none())
                        .collect()
                };
                if domains(a).iter().any(|d| domains(b).contains(d)) {
                    confidence += 0.15;
                    evidence.push("both have addresses at the same organization's domain".into());
                }
                if words >= 3 {
                    confidence += 0.1;
                    evidence.push("the name has three or more words".into());
                } else if words == 1 {
                    confidence -= 0.3;
                    evidence.push("a one-word name is weak evidence".into());
                }
                let (keep, other) = if a.count >= b.count { (a, b) } else { (b, a) };
                out.push(Suggestion {
                    keep: keep.key.clone(),
                    other: other.key.clone(),
                    confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
                    evidence,
                });
            }
        }
    }
    out.sort_by(|x, y| {
        y.confidence
            .total_cmp(&x.confidence)
            .then_with(|| x.keep.cmp(&y.keep))
            .then_with(|| x.other.cmp(&y.other))
    });
    out
}

fn sorted<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

fn pair(s: &Suggestion) -> (&str, &str) {
    sorted(&s.keep, &s.other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identities::bots::BotRules;
    use crate::identities::people::{Decisions, Seen};

    #[test]
    fn same_name_pairs_ranked_by_evidence() {
        let seen = |name: &str, email: &str, count| Seen {
            name: name.into(),
            email: email.into(),
            count,
            login: None,
        };
        let people = People::resolve(
            &[
                seen("John Smith", "jsmith@corp.example", 5),
                seen("John Smith", "jsmith@gmail.com", 2),
                seen("Mary Ann Lee", "mal@a.example", 3),
                seen("Mary Ann Lee", "mary@b.example", 1),
                seen("dev", "dev@a.example", 1),
                seen("dev", "dev@b.example", 1),
            ],
            &|n: &str, e: &str| (n.to_owned(), e.to_owned()),
            &Decisions::default(),
            &BotRules::default(),
        );
        let got: Vec<(String, String, f64)> = suggest(&people)
            .into_iter()
            .map(|s| (s.keep, s.other, s.confidence))
            .collect();
        // John: 0.5 + 0.2 (jsmith) = 0.7; Mary Ann Lee: 0.5 + 0.1 (three words) = 0.6;
        // dev: 0.5 + 0.2 (dev) - 0.3 (one word) = 0.4.
        assert_eq!(
            got,
            vec![
                ("jsmith@corp.example".into(), "jsmith@gmail.com".into(), 0.7),
                ("mal@a.example".into(), "mary@b.example".into(), 0.6),
                ("dev@a.example".into(), "dev@b.example".into(), 0.4),
            ]
        );
    }
}
