//! Patches reviewed: reviews given in the window `[since, until)`, per person
//! and per organization. In git-only mode a review is a `Reviewed-by`,
//! `Acked-by` or `Reviewers:` trailer naming the person (forge reviews join
//! with the forge source). Bots are left out.

use super::{Definition, Metric, Window, ranked};
use serde::Serialize;
use std::collections::HashSet;

/// A review given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// The reviewer's key.
    pub person: String,
    /// The reviewer's organization on that day, if known.
    pub organization: Option<String>,
    /// When (the reviewed commit's time), seconds since the epoch.
    pub time: i64,
    /// Whether the reviewer is a bot.
    pub bot: bool,
    /// The pull request reviewed, for a forge review: its reviews by one
    /// person count once within a window. `None` for a trailer (each counts).
    pub of: Option<String>,
}

/// Reviews per person and organization.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Reviews in the window.
    pub reviews: u64,
    /// `[key, reviews]`, most first.
    pub by_person: Vec<(String, u64)>,
    /// `[organization, reviews]` of known affiliation, most first.
    pub by_organization: Vec<(String, u64)>,
    /// Reviews whose reviewer's organization is unknown.
    pub unknown_organization: u64,
}

/// Counts reviews; the headline value is the number of distinct reviewers.
pub fn compute(reviews: &[Review], window: Window) -> Metric<Details> {
    // The window first, then each (pull request, reviewer) pair once: a
    // review before the window never hides one inside it.
    let mut pairs: HashSet<(&str, &str)> = HashSet::new();
    let counted: Vec<&Review> = reviews
        .iter()
        .filter(|r| !r.bot && window.contains(r.time))
        .filter(|r| match &r.of {
            Some(of) => pairs.insert((of, &r.person)),
            None => true,
        })
        .collect();
    let by_person = ranked(counted.iter().map(|r| r.person.as_str()));
    let by_organization = ranked(counted.iter().filter_map(|r| r.organization.as_deref()));
    let any = !counted.is_empty();
    Metric {
        value: any.then_some(by_person.len() as f64),
        reason: (!any).then(|| "no review trailers in the window".to_owned()),
        details: Details {
            reviews: counted.len() as u64,
            unknown_organization: counted.iter().filter(|r| r.organization.is_none()).count()
                as u64,
            by_person,
            by_organization,
        },
        definition: Definition::over(
            "reviews given (Reviewed-by, Acked-by and Reviewers: trailers) per person and organization; value = distinct reviewers",
            window,
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(person: &str, org: Option<&str>, time: i64) -> Review {
        Review {
            person: person.into(),
            organization: org.map(str::to_owned),
            time,
            bot: false,
            of: None,
        }
    }

    #[test]
    fn per_person_and_organization() {
        // dave 2 (ACME), erin 1 (unknown), one outside the window.
        let r = vec![
            review("dave", Some("ACME"), 1),
            review("dave", Some("ACME"), 2),
            review("erin", None, 3),
            review("erin", None, 99),
        ];
        let m = compute(
            &r,
            Window {
                since: 0,
                until: 10,
            },
        );
        assert_eq!(m.value, Some(2.0));
        assert_eq!(m.details.reviews, 3);
        assert_eq!(
            m.details.by_person,
            vec![("dave".into(), 2), ("erin".into(), 1)]
        );
        assert_eq!(m.details.by_organization, vec![("ACME".into(), 2)]);
        assert_eq!(m.details.unknown_organization, 1);
        // Forge reviews of one pull request: ann at 5 (before the window
        // [6, 10)), 7 and 8: the pair (PR 1, ann) counts once, at 7; ann's
        // review of PR 2 at 9 counts too. 2 reviews, 1 reviewer.
        let pr = |of: &str, time| Review {
            of: Some(of.into()),
            ..review("ann", None, time)
        };
        let forge = [pr("0#1", 5), pr("0#1", 7), pr("0#1", 8), pr("0#2", 9)];
        let m = compute(
            &forge,
            Window {
                since: 6,
                until: 10,
            },
        );
        assert_eq!((m.details.reviews, m.value), (2, Some(1.0)));
        assert_eq!(
            compute(
                &[],
                Window {
                    since: 0,
                    until: 10
                }
            )
            .value,
            None
        );
    }
}
