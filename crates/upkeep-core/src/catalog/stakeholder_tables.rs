//! The detail tables of organizations side by side, conflict-of-interest
//! signals, adoption and the users' journey.

use super::{number, pct};
use crate::metrics::report::Metrics;
use crate::metrics::side_by_side::{DIMENSIONS, Figures};

/// Rows of a table: the first is the header.
type Rows = Vec<Vec<String>>;

fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// The tables, in the order the report shows them.
pub(super) fn sections(m: &Metrics) -> Vec<(&'static str, Rows)> {
    let mut out = organizations(m);
    out.extend(conflicts(m));
    out.extend(adoption(m));
    out.extend(journey(m));
    out
}

/// Rows of the side-by-side table shown; the JSON has every one.
const SHOWN_ORGANIZATIONS: usize = 15;

fn count(f: &Figures, dimension: &str) -> String {
    f.counts.get(dimension).copied().unwrap_or(0).to_string()
}

fn organizations(m: &Metrics) -> Vec<(&'static str, Rows)> {
    let d = &m.organizations_side_by_side.details;
    let columns: Vec<&str> = ["organization", "kind", "partner"]
        .into_iter()
        .chain(DIMENSIONS)
        .chain(["work", "year before", "± points"])
        .collect();
    let mut side = vec![header(&columns)];
    side.extend(d.rows.iter().take(SHOWN_ORGANIZATIONS).map(|r| {
        let mut row = vec![
            r.organization.clone(),
            r.kind.as_str().to_owned(),
            if r.partner { "yes" } else { "" }.to_owned(),
        ];
        row.extend(DIMENSIONS.iter().map(|dim| count(&r.now, dim)));
        row.push(pct(r.now.work_share));
        row.push(pct(r.year_before.work_share));
        row.push(format!("{:+}", r.work_share_change_pts));
        row
    }));
    if d.rows.len() > SHOWN_ORGANIZATIONS {
        let mut more = vec![format!(
            "… {} more (in the JSON)",
            d.rows.len() - SHOWN_ORGANIZATIONS
        )];
        more.resize(side[0].len(), String::new());
        side.push(more);
    }
    let mut kinds = vec![header(&["kind", "organizations", "work share"])];
    kinds.extend(
        d.kinds
            .iter()
            .map(|(k, n, share)| vec![k.as_str().to_owned(), n.to_string(), pct(*share)]),
    );
    vec![
        ("Organizations side by side", side),
        ("Stakeholder kinds", kinds),
    ]
}

fn conflicts(m: &Metrics) -> Vec<(&'static str, Rows)> {
    let d = &m.conflicts_of_interest.details;
    let mut merges = vec![header(&[
        "organization",
        "pull requests merged",
        "same organization",
        "share",
        "expected (maintainers)",
        "own merged",
        "without outside review",
        "share without",
    ])];
    merges.extend(d.organizations.iter().map(|o| {
        vec![
            o.organization.clone(),
            o.merged.to_string(),
            o.same_organization.to_string(),
            pct(o.same_organization_share),
            pct(o.expected_share),
            o.own_merged.to_string(),
            o.own_without_outside_review.to_string(),
            pct(o.own_without_outside_review_share),
        ]
    }));
    let mut made = vec![header(&["what", "organization", "count"])];
    for (what, by) in [
        ("releases", &d.releases),
        ("governance-file changes", &d.governance_changes),
    ] {
        made.extend(
            by.by
                .iter()
                .map(|(org, n)| vec![what.to_owned(), org.clone(), n.to_string()]),
        );
    }
    vec![
        ("Merges by organization", merges),
        ("Releases and governance changes by organization", made),
    ]
}

fn adoption(m: &Metrics) -> Vec<(&'static str, Rows)> {
    let d = &m.adoption.details;
    let mut signals = vec![header(&[
        "signal",
        "of",
        "value",
        "source",
        "as of",
        "a year before",
        "change",
        "why unknown",
    ])];
    signals.extend(d.signals.iter().map(|s| {
        vec![
            s.name.clone(),
            s.of.clone(),
            number(s.value),
            s.source.clone(),
            s.as_of.clone(),
            s.year_before
                .as_ref()
                .map(|(day, v)| format!("{} ({day})", number(Some(*v))))
                .unwrap_or_default(),
            s.change_pct.map(|c| format!("{c:+}%")).unwrap_or_default(),
            s.reason.clone().unwrap_or_default(),
        ]
    }));
    let mut forks = vec![header(&["fork", "commits ahead", "last pushed"])];
    forks.extend(d.active_forks.iter().map(|f| {
        vec![
            f.name.clone(),
            f.ahead_by.map(|n| n.to_string()).unwrap_or_default(),
            crate::identities::Day::from_unix_seconds(f.pushed)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ]
    }));
    vec![("Adoption signals", signals), ("Active forks", forks)]
}

fn journey(m: &Metrics) -> Vec<(&'static str, Rows)> {
    let d = &m.user_journey.details;
    let mut cohorts = vec![header(&[
        "first seen",
        "users",
        "opened a contribution",
        "had one land",
        "came back",
        "lost before opening",
        "lost before landing",
        "lost before coming back",
    ])];
    let row = |name: String, reached: &[u64], drop: &[f64]| {
        let mut r = vec![name];
        r.extend(reached.iter().map(u64::to_string));
        r.extend(drop.iter().map(|x| pct(*x)));
        r
    };
    cohorts.extend(
        d.cohorts
            .iter()
            .map(|c| row(c.quarter.clone(), &c.reached, &c.drop_off)),
    );
    if !d.cohorts.is_empty() {
        cohorts.push(row("all".into(), &d.reached, &d.drop_off));
    }
    let g = &d.good_first;
    let good = vec![
        header(&["labels", "offered", "taken", "taken by newcomers"]),
        vec![
            g.labels.join(", "),
            g.offered.to_string(),
            g.taken.to_string(),
            g.taken_by_newcomers.to_string(),
        ],
    ];
    vec![
        ("Users becoming contributors", cohorts),
        ("Good-first issues", good),
    ]
}
