//! `releases_by_us` and `releases_by_mentees`: version tags and forge
//! releases (pre-releases left out) made — tagged, or published on the forge —
//! by one of ours, or by someone not ours whom we mentored at that moment
//! (see [`super::mentoring`]).

use super::{Context, Credit, Inputs, Produced};

/// The definition of `releases_by_us`.
pub const BY_US: &str = "releases (version tags and forge releases, not pre-releases) made by our people: the tagger, or the forge release's author, affiliated with us on the release's date";

/// The definition of `releases_by_mentees`, before the mentoring parameters.
pub const BY_MENTEES: &str = "releases (not pre-releases) made by people who were not ours but whom we mentored at the release's date; credited to their main mentor";

/// The credits of `releases_by_us`.
pub fn by_us(inputs: &Inputs<'_>) -> Produced {
    let mut credits = Vec::new();
    for u in inputs.upstreams {
        for r in u.releases.iter().filter(|r| !r.prerelease) {
            if let Some(p) = r.person.as_deref().filter(|p| (inputs.ours)(p, r.time)) {
                credits.push(Credit {
                    key: format!("{} {}", u.name, r.name),
                    upstream: u.name.clone(),
                    person: p.to_owned(),
                    time: r.time,
                    what: format!("released {}", r.name),
                });
            }
        }
    }
    Produced::credits(credits)
}

/// The credits of `releases_by_mentees`.
pub fn by_mentees(inputs: &Inputs<'_>, context: &Context<'_>) -> Produced {
    let mut credits = Vec::new();
    for u in inputs.upstreams {
        for r in u.releases.iter().filter(|r| !r.prerelease) {
            let Some(p) = r.person.as_deref().filter(|p| !(inputs.ours)(p, r.time)) else {
                continue;
            };
            if let Some(evidence) = context.mentoring.at(p, r.time) {
                credits.push(Credit {
                    key: format!("{} {}", u.name, r.name),
                    upstream: u.name.clone(),
                    person: evidence.mentor.unwrap_or_else(|| p.to_owned()),
                    time: r.time,
                    what: format!("{p}, whom we mentored, released {}", r.name),
                });
            }
        }
    }
    Produced::credits(credits)
}

#[cfg(test)]
mod tests {
    use crate::events::{ActivityKind::*, ItemKind::*};
    use crate::ledger::testing::*;

    #[test]
    fn releases_by_us_and_by_a_mentee() {
        // ann (ours) releases v1 in January; bob, whose three pull requests ann reviewed
        // in December, releases v2 in February; carol (no reviews) releases v3.
        let mut w = World::new("2026-01-01", "2026-04-01");
        w.joins("ann", "2020-01-01");
        for n in 1..=3 {
            w.item(PullRequest, n, "bob", "2025-12-01", 0).actions =
                vec![act(Review, "ann", "2025-12-02", n as i64)];
        }
        w.release("v1", "ann", "2026-01-10");
        w.release("v2", "bob", "2026-02-10");
        w.release("v3", "carol", "2026-03-10");
        let us = w.kpi("releases_by_us");
        assert_eq!(
            (us.counts.total, us.counts.by_period.clone()),
            (1, vec![1, 0, 0])
        );
        let mentees = w.kpi("releases_by_mentees");
        assert_eq!(mentees.counts.by_period, vec![0, 1, 0]);
        assert_eq!(mentees.credits[0].person, "ann");
        assert_eq!(
            mentees.credits[0].what,
            "bob, whom we mentored, released v2"
        );
    }
}
