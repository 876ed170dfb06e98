//! Per team, and how evenly: every KPI counted for each team of ours (the
//! roster's `team`, on the credit's date; "no team" for the rest), and per
//! period how our credits spread among our people — the busiest person's
//! share and how few people made 80% of them — so that the goal that
//! everyone takes part can be checked.

use super::periods::Period;
use super::{Counts, Inputs, Kpi, tally};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Credits of people without a team, when any person has one.
pub const NO_TEAM: &str = "no team";
/// The share of credits the fewest people are counted for.
pub const COVER: f64 = 0.8;

/// One team's KPIs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamKpis {
    /// The team.
    pub team: String,
    /// Its people credited in the window.
    pub people: Vec<String>,
    /// Per KPI id, its counts.
    pub kpis: BTreeMap<&'static str, Counts>,
}

/// How credits spread among our people over one period.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Spread {
    /// The period's label (`total` for the window).
    pub period: String,
    /// Credits (one per KPI and thing counted, per person).
    pub credits: u64,
    /// People credited.
    pub people: u64,
    /// Who made the most.
    pub busiest: Option<String>,
    /// Their share, 0–1.
    pub busiest_share: Option<f64>,
    /// The fewest people making 80% of the credits.
    pub people_for_80_pct: u64,
}

/// Evenness over the window and per period.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Evenness {
    /// What is counted.
    pub definition: &'static str,
    /// Over the window.
    pub total: Spread,
    /// Per period.
    pub by_period: Vec<Spread>,
}

/// The definition of evenness.
pub const DEFINITION: &str = "per period, our credits (one per KPI, thing counted and person) by person: the busiest person's share, and the fewest people making 80% of them";

/// Every team's KPIs; empty when nobody has a team.
pub fn teams(inputs: &Inputs<'_>, kpis: &[Kpi]) -> Vec<TeamKpis> {
    let team = |person: &str, time: i64| (inputs.team_of)(person, time);
    let any = kpis
        .iter()
        .flat_map(|k| &k.credits)
        .any(|c| team(&c.person, c.time).is_some());
    if !any {
        return Vec::new();
    }
    let mut people: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in kpis.iter().flat_map(|k| &k.credits) {
        let t = team(&c.person, c.time).unwrap_or_else(|| NO_TEAM.to_owned());
        people.entry(t).or_default().insert(c.person.clone());
    }
    people
        .into_iter()
        .map(|(name, members)| {
            let counts = kpis
                .iter()
                .map(|k| {
                    let mine: Vec<&super::Credit> = k
                        .credits
                        .iter()
                        .filter(|c| team(&c.person, c.time).as_deref().unwrap_or(NO_TEAM) == name)
                        .collect();
                    (k.id, tally(&mine, inputs.periods))
                })
                .collect();
            TeamKpis {
                team: name,
                people: members.into_iter().collect(),
                kpis: counts,
            }
        })
        .collect()
}

/// How our credits spread, over the window and per period.
pub fn evenness(periods: &[Period], kpis: &[Kpi]) -> Evenness {
    let credited: Vec<(&str, i64, (&str, &str))> = kpis
        .iter()
        .flat_map(|k| {
            k.credits
                .iter()
                .map(move |c| (c.person.as_str(), c.time, (k.id, c.key.as_str())))
        })
        .collect();
    let spread = |label: &str, inside: &dyn Fn(i64) -> bool| {
        let mut by_person: HashMap<&str, BTreeSet<(&str, &str)>> = HashMap::new();
        for (person, time, what) in &credited {
            if inside(*time) {
                by_person.entry(person).or_default().insert(*what);
            }
        }
        let mut counts: Vec<(&str, u64)> = by_person
            .into_iter()
            .map(|(p, set)| (p, set.len() as u64))
            .collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let total: u64 = counts.iter().map(|(_, n)| n).sum();
        let mut sum = 0;
        let cover = counts
            .iter()
            .take_while(|(_, n)| {
                let before = sum;
                sum += n;
                (before as f64) < COVER * total as f64
            })
            .count() as u64;
        Spread {
            period: label.to_owned(),
            credits: total,
            people: counts.len() as u64,
            busiest: counts.first().map(|(p, _)| (*p).to_owned()),
            busiest_share: counts
                .first()
                .map(|(_, n)| (*n as f64 / total as f64 * 1000.0).round() / 1000.0),
            people_for_80_pct: cover,
        }
    };
    Evenness {
        definition: DEFINITION,
        total: spread("total", &|_| true),
        by_period: periods
            .iter()
            .map(|p| spread(&p.label, &|t| p.start <= t && t < p.end))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::events::{ActivityKind::*, ItemKind::*};
    use crate::ledger::testing::*;

    #[test]
    fn teams_and_how_evenly_our_people_work() {
        let mut w = World::new("2026-01-01", "2026-03-01");
        for p in ["ann", "bob", "cid"] {
            w.joins(p, "2020-01-01");
        }
        w.teams.insert("ann".into(), "platform".into());
        w.teams.insert("bob".into(), "platform".into());
        // January: ann 3 commits, bob 1; February: ann 1, cid reviews one pull request.
        for d in ["2026-01-05", "2026-01-06", "2026-01-07", "2026-02-03"] {
            w.commit("ann", d);
        }
        w.commit("bob", "2026-01-08");
        w.item(PullRequest, 9, "zed", "2026-02-10", 0).actions =
            vec![act(Review, "cid", "2026-02-10", 2)];
        let (kpis, periods) = w.ledger();
        let (teams, spread) = w.with_inputs(|inputs| {
            (
                super::teams(inputs, &kpis),
                super::evenness(&periods, &kpis),
            )
        });
        let names: Vec<&str> = teams.iter().map(|t| t.team.as_str()).collect();
        assert_eq!(names, ["no team", "platform"]);
        assert_eq!(teams[1].people, ["ann", "bob"]);
        assert_eq!(teams[1].kpis["commits"].total, 5);
        assert_eq!(teams[1].kpis["commits"].by_period, [4, 1]);
        assert_eq!(teams[0].people, ["cid"]);
        assert_eq!(teams[0].kpis["commits"].total, 0);
        // January: 4 credits, ann 3 of them: 75%; ann and bob make 80%.
        let jan = &spread.by_period[0];
        assert_eq!((jan.credits, jan.people), (4, 2));
        assert_eq!(
            (
                jan.busiest.as_deref(),
                jan.busiest_share,
                jan.people_for_80_pct
            ),
            (Some("ann"), Some(0.75), 2)
        );
        // Over the window ann made 4 of the credits, bob 1 and cid 2 or more
        // (a review counts in several KPIs): ann is still the busiest.
        assert_eq!(spread.total.busiest.as_deref(), Some("ann"));
    }
}
