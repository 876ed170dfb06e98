//! The ledger's sections on what became of our work: our proposals per
//! upstream and per period, each team's KPIs, and how evenly our people
//! work. Rows of cells, as every format shows them; nothing computed here.

use crate::ledger::{header, shown_periods};
use upkeep_core::catalog::{number, pct};
use upkeep_core::documents::Contributions;

/// A section: its title, header and rows.
pub(crate) type Section = (String, Vec<String>, Vec<Vec<String>>);

fn cells(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Every section, in order: the KPIs per team first when `--by team`.
pub(crate) fn sections(c: &Contributions) -> Vec<Section> {
    let mut out = Vec::new();
    if c.by_team {
        out.extend(per_team(c));
    }
    out.extend(proposals(c));
    if !c.teams.is_empty() {
        out.push(teams(c));
    }
    out.push(evenness(c));
    out
}

/// Each team's KPIs per period.
fn per_team(c: &Contributions) -> Vec<Section> {
    c.teams
        .iter()
        .map(|t| {
            let rows = c
                .kpis
                .iter()
                .map(|k| {
                    let counts = t.kpis.get(k.id).cloned().unwrap_or_default();
                    let mut row = vec![k.id.replace('_', " "), counts.total.to_string()];
                    row.extend(
                        counts
                            .by_period
                            .get(shown_periods(c))
                            .unwrap_or_default()
                            .iter()
                            .map(u64::to_string),
                    );
                    row
                })
                .collect();
            (
                format!("KPIs of team {} ({})", t.team, t.people.join(", ")),
                header(c),
                rows,
            )
        })
        .collect()
}

fn proposals(c: &Contributions) -> Vec<Section> {
    let p = &c.our_proposals;
    let upstreams = p
        .upstreams
        .iter()
        .map(|u| {
            vec![
                u.upstream.clone(),
                u.opened.to_string(),
                u.merged.to_string(),
                u.closed.to_string(),
                u.open.to_string(),
                u.acceptance_rate.map(pct).unwrap_or_else(|| "—".into()),
                number(u.first_response_median_hours),
                number(u.others_first_response_median_hours),
                number(u.merge_median_hours),
                number(u.release_median_days),
                u.unreleased.to_string(),
            ]
        })
        .collect();
    let periods = p
        .by_period
        .iter()
        .map(|x| {
            vec![
                x.period.clone(),
                x.opened.to_string(),
                x.merged.to_string(),
                x.closed.to_string(),
                x.open.to_string(),
            ]
        })
        .collect();
    vec![
        (
            "Our proposals per upstream".into(),
            cells(&[
                "upstream",
                "opened",
                "merged",
                "closed",
                "open",
                "accepted",
                "first response, ours (h)",
                "others' (h)",
                "to merge (h)",
                "merge to release (days)",
                "merged, not released",
            ]),
            upstreams,
        ),
        (
            format!("Our proposals per {}", c.period),
            cells(&["period", "opened", "merged", "closed", "open"]),
            periods,
        ),
    ]
}

/// Each team's KPI totals side by side.
fn teams(c: &Contributions) -> Section {
    let mut head = vec!["KPI".to_owned()];
    head.extend(c.teams.iter().map(|t| t.team.clone()));
    let rows = c
        .kpis
        .iter()
        .map(|k| {
            let mut row = vec![k.id.replace('_', " ")];
            row.extend(
                c.teams
                    .iter()
                    .map(|t| t.kpis.get(k.id).map_or(0, |n| n.total).to_string()),
            );
            row
        })
        .collect();
    ("KPIs per team (totals)".into(), head, rows)
}

fn evenness(c: &Contributions) -> Section {
    let e = &c.evenness;
    let rows = e
        .by_period
        .iter()
        .chain(std::iter::once(&e.total))
        .map(|s| {
            vec![
                s.period.clone(),
                s.credits.to_string(),
                s.people.to_string(),
                s.busiest.as_deref().map(|k| c.name(k)).unwrap_or_default(),
                s.busiest_share.map(pct).unwrap_or_default(),
                s.people_for_80_pct.to_string(),
            ]
        })
        .collect();
    (
        "How evenly our people work".into(),
        cells(&[
            "period",
            "credits",
            "people",
            "busiest",
            "their share",
            "people making 80%",
        ]),
        rows,
    )
}
