//! The OSPO ledger (`upkeep contributions`) for a terminal, as Markdown and
//! as CSV. Like the report, these only format: every number, goal and flag is
//! computed by `upkeep_core::ledger`; people are shown by name.

use crate::text::{csv_cell, markdown as md, terminal};
use std::fmt::Write;
use upkeep_core::documents::Contributions;
use upkeep_core::ledger::context::UpstreamContext;

/// The periods shown in tables: the last 12, to keep them readable.
pub(crate) fn shown_periods(c: &Contributions) -> std::ops::Range<usize> {
    c.periods.len().saturating_sub(12)..c.periods.len()
}

pub(crate) fn header(c: &Contributions) -> Vec<String> {
    let mut h = vec!["KPI".to_owned(), "total".to_owned()];
    h.extend(c.periods[shown_periods(c)].iter().map(|p| {
        if p.complete {
            p.label.clone()
        } else {
            format!("{}*", p.label)
        }
    }));
    h
}

pub(crate) fn kpi_rows(c: &Contributions) -> Vec<Vec<String>> {
    c.kpis
        .iter()
        .map(|k| {
            let mut row = vec![k.id.replace('_', " "), k.counts.total.to_string()];
            row.extend(
                k.counts.by_period[shown_periods(c)]
                    .iter()
                    .map(u64::to_string),
            );
            row
        })
        .collect()
}

fn upstream_rows(c: &Contributions) -> Vec<Vec<String>> {
    let mut rows = vec![
        std::iter::once("KPI".to_owned())
            .chain(c.upstreams.iter().map(|u| u.name.clone()))
            .collect(),
    ];
    for k in &c.kpis {
        let mut row = vec![k.id.replace('_', " ")];
        row.extend(c.upstreams.iter().map(|u| {
            k.by_upstream
                .get(&u.name)
                .map_or(0, |c| c.total)
                .to_string()
        }));
        rows.push(row);
    }
    rows
}

pub(crate) fn goal_lines(c: &Contributions) -> Vec<String> {
    c.goals
        .iter()
        .map(|g| {
            let scope = if g.upstreams.is_empty() {
                "all upstreams".to_owned()
            } else {
                g.upstreams.join(", ")
            };
            let last: Vec<String> = g
                .periods
                .iter()
                .rev()
                .take(6)
                .rev()
                .map(|p| {
                    let mark = match (p.complete, p.met) {
                        (false, _) => "…",
                        (true, true) => "✓",
                        (true, false) => "✗",
                    };
                    format!("{} {}{mark}", p.label, p.value)
                })
                .collect();
            format!(
                "{} ≥ {} per {} ({scope}): {}; trend {} · {}",
                g.kpi.replace('_', " "),
                g.target,
                g.per,
                g.summary,
                g.trend,
                last.join(" · ")
            )
        })
        .collect()
}

pub(crate) fn context_lines(c: &Contributions, u: &UpstreamContext) -> Vec<String> {
    let orgs = |p: &upkeep_core::ledger::context::People| {
        let mut parts: Vec<String> = p
            .by_organization
            .iter()
            .take(4)
            .map(|(o, n)| format!("{o} {n}"))
            .collect();
        if p.unknown_organization > 0 {
            parts.push(format!("unknown {}", p.unknown_organization));
        }
        parts.join(", ")
    };
    let zones = |p: &upkeep_core::ledger::context::People| {
        p.by_utc_offset
            .iter()
            .map(|(o, n)| {
                let sign = if *o < 0 { '-' } else { '+' };
                format!("UTC{sign}{:02}:{:02} {n}", o.abs() / 60, o.abs() % 60)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let share = |what: &str| {
        u.our_share
            .get(what)
            .map_or("—".to_owned(), |s| match s.share {
                Some(x) => format!("{:.0}% ({} of {})", x * 100.0, s.ours, s.total),
                None => "none".to_owned(),
            })
    };
    let f = &u.focus;
    vec![
        format!(
            "committers (last 12 months): {} ({} ours) · by organization: {} · by time zone: {}",
            u.contributors.count,
            u.contributors.ours,
            orgs(&u.contributors),
            zones(&u.contributors)
        ),
        format!(
            "maintainers: {} ({} ours): {} · by organization: {} · by time zone: {}",
            u.maintainers.count,
            u.maintainers.ours,
            u.maintainers
                .keys
                .iter()
                .map(|k| c.name(k))
                .collect::<Vec<_>>()
                .join(", "),
            orgs(&u.maintainers),
            zones(&u.maintainers)
        ),
        format!(
            "our share: maintainers {}, merges {}, releases {}",
            share("maintainers"),
            share("merges"),
            share("releases")
        ),
        format!(
            "focus {:.2} = need {:.2} ({}) × ability {:.2} × dependence {}",
            f.score,
            f.need,
            if f.risks.is_empty() {
                "no risk found".to_owned()
            } else {
                f.risks.join(", ")
            },
            f.ability,
            f.dependence.map_or(
                "unknown (no portfolio given: --from-deps)".to_owned(),
                |d| format!("{d:.2}")
            )
        ),
    ]
}

pub(crate) fn people_rows(c: &Contributions) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "person".to_owned(),
        "credited in the window".to_owned(),
    ]];
    for p in &c.our_people {
        let credits: Vec<String> = c
            .kpis
            .iter()
            .filter_map(|k| {
                let n = p.credits.get(k.id).copied().unwrap_or(0);
                (n > 0).then(|| format!("{} {n}", k.id.replace('_', " ")))
            })
            .collect();
        rows.push(vec![p.name.clone(), credits.join(", ")]);
    }
    rows
}

/// The ledger for a terminal (untrusted text made safe).
pub fn contributions_table(c: &Contributions) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "upkeep contributions · {} · {} … {} (until is exclusive) · per {}",
        terminal(&c.organization),
        c.window.since,
        c.window.until,
        c.period
    );
    for u in &c.upstreams {
        let _ = writeln!(
            out,
            "  {} ({}; mined {}{})",
            terminal(&u.name),
            terminal(&u.repository.location),
            u.repository.mined_at.as_deref().unwrap_or("never"),
            if u.repository.forge.is_none() {
                "; no forge data"
            } else {
                ""
            }
        );
    }
    if !c.flags.is_empty() {
        let _ = writeln!(out, "\nflags");
        for f in &c.flags {
            let _ = writeln!(out, "  ! {}", terminal(f));
        }
    }
    let table = |rows: Vec<Vec<String>>| {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
        let mut rows = rows
            .into_iter()
            .map(|r| r.iter().map(|c| terminal(c)).collect::<Vec<_>>());
        if let Some(h) = rows.next() {
            t.set_header(h);
        }
        for r in rows {
            t.add_row(r);
        }
        t
    };
    let mut kpis = vec![header(c)];
    kpis.extend(kpi_rows(c));
    let _ = writeln!(
        out,
        "\nKPIs, whole portfolio (* = period not complete{})\n{}",
        if c.periods.len() > 12 {
            "; the last 12 periods shown"
        } else {
            ""
        },
        table(kpis)
    );
    if !c.goals.is_empty() {
        let _ = writeln!(out, "\ngoals");
        for line in goal_lines(c) {
            let _ = writeln!(out, "  {}", terminal(&line));
        }
    }
    if c.upstreams.len() > 1 {
        let _ = writeln!(
            out,
            "\nKPIs per upstream (totals)\n{}",
            table(upstream_rows(c))
        );
    }
    for u in &c.context {
        let _ = writeln!(out, "\n{}", terminal(&u.name));
        for line in context_lines(c, u) {
            let _ = writeln!(out, "  {}", terminal(&line));
        }
    }
    for (title, head, rows) in crate::ledger_outcomes::sections(c) {
        let mut all = vec![head];
        all.extend(rows);
        let _ = writeln!(out, "\n{title}\n{}", table(all));
    }
    if c.our_people.is_empty() {
        let _ = writeln!(
            out,
            "\nnone of our people has credits in the window (who is ours: --org, [[organization.people]], `upkeep roster import`)"
        );
    } else {
        let _ = writeln!(out, "\nour people\n{}", table(people_rows(c)));
    }
    let _ = writeln!(out, "\nDefinitions");
    for k in &c.kpis {
        let _ = writeln!(out, "  {}: {}", k.id, k.definition);
    }
    out
}

/// The ledger as Markdown.
pub fn contributions_markdown(c: &Contributions) -> String {
    let mut out = format!(
        "# Upstream contributions of {}\n\nWindow: {} … {} (until is exclusive), per {}. Generated {}.\n\n",
        md(&c.organization),
        c.window.since,
        c.window.until,
        c.period,
        c.generated_at
    );
    for u in &c.upstreams {
        let _ = writeln!(
            out,
            "- {} ({}; mined {})",
            md(&u.name),
            md(&u.repository.location),
            u.repository.mined_at.as_deref().unwrap_or("never")
        );
    }
    let table = |out: &mut String, rows: Vec<Vec<String>>| {
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
            if i == 0 {
                let _ = writeln!(out, "|{}", "---|".repeat(row.len()));
            }
        }
    };
    if !c.flags.is_empty() {
        let _ = writeln!(out, "\n## Flags\n");
        for f in &c.flags {
            let _ = writeln!(out, "- {}", md(f));
        }
    }
    let _ = writeln!(out, "\n## KPIs\n");
    let mut kpis = vec![header(c)];
    kpis.extend(kpi_rows(c));
    table(&mut out, kpis);
    if !c.goals.is_empty() {
        let _ = writeln!(out, "\n## Goals\n");
        for line in goal_lines(c) {
            let _ = writeln!(out, "- {}", md(&line));
        }
    }
    if c.upstreams.len() > 1 {
        let _ = writeln!(out, "\n## Per upstream\n");
        table(&mut out, upstream_rows(c));
    }
    for u in &c.context {
        let _ = writeln!(out, "\n## {}\n", md(&u.name));
        for line in context_lines(c, u) {
            let _ = writeln!(out, "- {}", md(&line));
        }
    }
    for (title, head, rows) in crate::ledger_outcomes::sections(c) {
        let _ = writeln!(out, "\n## {}\n", md(&title));
        let mut all = vec![head];
        all.extend(rows);
        table(&mut out, all);
    }
    if !c.our_people.is_empty() {
        let _ = writeln!(out, "\n## Our people\n");
        table(&mut out, people_rows(c));
    }
    let _ = writeln!(out, "\n## Definitions\n");
    for k in &c.kpis {
        let _ = writeln!(out, "- **{}**: {}", k.id, md(&k.definition));
    }
    out
}

/// One line per KPI, upstream (or `all`, or `team:NAME` for a team's) and
/// period (or `total`): `kpi,upstream,period,value`.
pub fn contributions_csv(c: &Contributions) -> String {
    let mut out = String::from("kpi,upstream,period,value\n");
    for k in &c.kpis {
        let mut all = vec![("all".to_owned(), &k.counts)];
        all.extend(k.by_upstream.iter().map(|(u, counts)| (u.clone(), counts)));
        all.extend(
            c.teams
                .iter()
                .filter_map(|t| Some((format!("team:{}", t.team), t.kpis.get(k.id)?))),
        );
        for (upstream, counts) in all {
            let _ = writeln!(
                out,
                "{},{},total,{}",
                k.id,
                csv_cell(&upstream),
                counts.total
            );
            for (p, v) in c.periods.iter().zip(&counts.by_period) {
                let _ = writeln!(out, "{},{},{},{v}", k.id, csv_cell(&upstream), p.label);
            }
        }
    }
    out
}
