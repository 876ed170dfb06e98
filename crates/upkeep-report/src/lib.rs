//! Renderers for the report: a terminal table, Markdown and CSV. They only
//! format; every number and flag is computed by `upkeep_core::metrics`.
#![deny(missing_docs)]

mod portfolio;

pub use portfolio::{Portfolio, portfolio_csv, portfolio_markdown, portfolio_table};
use serde::Serialize;
use std::fmt::Write;
use upkeep_core::metrics::report::{Flag, Metrics};

/// One repository the report covers.
#[derive(Clone, Debug, Serialize)]
pub struct Repository {
    /// Its location (path or URL).
    pub location: String,
    /// When its data was last mined (RFC 3339).
    pub mined_at: Option<String>,
}

/// The window as dates: `[since, until)`.
#[derive(Clone, Debug, Serialize)]
pub struct WindowDates {
    /// First day inside the window (YYYY-MM-DD).
    pub since: String,
    /// First day after the window (YYYY-MM-DD).
    pub until: String,
}

/// The whole report, exactly as `--format json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The repositories, as one project.
    pub repositories: Vec<Repository>,
    /// The window.
    pub window: WindowDates,
    /// When the report was made (RFC 3339).
    pub generated_at: String,
    /// Every metric, keyed by id.
    pub metrics: Metrics,
    /// The findings that matter.
    pub flags: Vec<Flag>,
}

pub(crate) fn number(value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The headline lines: (label, value, note).
fn headline(m: &Metrics) -> Vec<(&'static str, String, String)> {
    let why = |reason: &Option<String>| reason.clone().unwrap_or_default();
    vec![
        (
            "bus factor",
            number(m.bus_factor.value),
            why(&m.bus_factor.reason),
        ),
        (
            "elephant factor",
            number(m.elephant_factor.value),
            m.elephant_factor.reason.clone().unwrap_or_else(|| {
                format!(
                    "{} of commits of known affiliation",
                    pct(m.elephant_factor.details.known_share)
                )
            }),
        ),
        (
            "release cadence (days)",
            number(m.releases.value),
            match (
                &m.releases.details.last_release,
                m.releases.details.days_since_last,
            ) {
                (Some(name), Some(days)) => {
                    format!("last: {name}, {days:.0} days before the window's end")
                }
                _ => why(&m.releases.reason),
            },
        ),
        (
            "release bus factor",
            m.releases.details.release_bus_factor.to_string(),
            format!(
                "{} releases in the window ({} pre-releases not counted)",
                m.releases.details.releases, m.releases.details.prereleases
            ),
        ),
        (
            "hours of the day covered",
            number(m.time_zones.value),
            "UTC hours with an active maintainer between 08:00 and 20:00 local".to_owned(),
        ),
        (
            "contributors vs a year before (%)",
            number(m.activity.value),
            why(&m.activity.reason),
        ),
        (
            "active contributors",
            number(m.contributors.value),
            format!(
                "{} inactive in the window's last 6 months",
                m.contributors.details.inactive
            ),
        ),
        (
            "first-timers who came back",
            m.funnel.value.map_or_else(|| "—".to_owned(), pct),
            why(&m.funnel.reason),
        ),
        (
            "maintainers",
            number(m.maintainers.value),
            format!(
                "{} named in governance files",
                m.maintainers.details.named.len()
            ),
        ),
        (
            "reviewers",
            number(m.reviews.value),
            format!("{} reviews in trailers", m.reviews.details.reviews),
        ),
        (
            "replacement cost (engineer-months)",
            number(m.replacement_cost.value),
            format!(
                "basic COCOMO over {:.1} thousand lines of code",
                m.replacement_cost.details.kloc
            ),
        ),
        (
            "largest organization share",
            m.organizations.value.map_or_else(|| "—".to_owned(), pct),
            "of commits, maintainers, merges or releases (where mostly known)".to_owned(),
        ),
    ]
}

/// The report for a terminal.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "upkeep report · {} … {} (until is exclusive)",
        report.window.since, report.window.until
    );
    for r in &report.repositories {
        let _ = writeln!(
            out,
            "  {} (mined {})",
            r.location,
            r.mined_at.as_deref().unwrap_or("never")
        );
    }
    let mut head = comfy_table::Table::new();
    head.load_preset(comfy_table::presets::NOTHING);
    for (label, value, note) in headline(&report.metrics) {
        head.add_row([label.to_owned(), value, note]);
    }
    let _ = writeln!(out, "\n{head}");
    if !report.flags.is_empty() {
        let _ = writeln!(out, "\nflags");
        for flag in &report.flags {
            let _ = writeln!(out, "  ! {}", flag.text);
        }
    }
    for (title, rows) in sections(&report.metrics) {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
        let mut rows = rows.into_iter();
        if let Some(header) = rows.next() {
            t.set_header(header);
        }
        for row in rows {
            t.add_row(row);
        }
        let _ = writeln!(out, "\n{title}\n{t}");
    }
    out
}

/// The report as Markdown.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# upkeep report\n");
    let _ = writeln!(
        out,
        "Window: {} … {} (until is exclusive). Generated {}.\n",
        report.window.since, report.window.until, report.generated_at
    );
    for r in &report.repositories {
        let _ = writeln!(
            out,
            "- `{}` (mined {})",
            r.location,
            r.mined_at.as_deref().unwrap_or("never")
        );
    }
    let _ = writeln!(out, "\n| metric | value | note |\n|---|---|---|");
    for (label, value, note) in headline(&report.metrics) {
        let _ = writeln!(out, "| {label} | {value} | {} |", escape(&note));
    }
    if !report.flags.is_empty() {
        let _ = writeln!(out, "\n## Flags\n");
        for flag in &report.flags {
            let _ = writeln!(out, "- {}", escape(&flag.text));
        }
    }
    for (title, rows) in sections(&report.metrics) {
        let _ = writeln!(out, "\n## {title}\n");
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
            if i == 0 {
                let _ = writeln!(out, "|{}", "---|".repeat(row.len()));
            }
        }
    }
    out
}

/// One line per metric: `metric,value,reason`.
pub fn csv(report: &Report) -> String {
    let m = &report.metrics;
    let rows = [
        ("bus_factor", m.bus_factor.value, &m.bus_factor.reason),
        (
            "elephant_factor",
            m.elephant_factor.value,
            &m.elephant_factor.reason,
        ),
        ("releases", m.releases.value, &m.releases.reason),
        ("time_zones", m.time_zones.value, &m.time_zones.reason),
        ("activity", m.activity.value, &m.activity.reason),
        (
            "replacement_cost",
            m.replacement_cost.value,
            &m.replacement_cost.reason,
        ),
    ];
    let mut out = String::from("metric,value,reason\n");
    for (id, value, reason) in rows {
        let value = value.map(|v| v.to_string()).unwrap_or_default();
        let reason = reason.as_deref().unwrap_or_default().replace('"', "\"\"");
        let _ = writeln!(out, "{id},{value},\"{reason}\"");
    }
    out
}

/// Markdown table cells must not break the table or inject markup from
/// commit authors (untrusted text).
pub(crate) fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

/// The detail sections: a title and rows (the first row is the header).
fn sections(m: &Metrics) -> Vec<(&'static str, Vec<Vec<String>>)> {
    let mut out = Vec::new();
    let people = std::iter::once(vec!["person".into(), "commits".into(), "share".into()])
        .chain(
            m.bus_factor
                .details
                .people
                .iter()
                .map(|s| vec![s.key.clone(), s.contributions.to_string(), pct(s.share)]),
        )
        .collect();
    out.push((
        "Bus factor: the fewest people making at least half of the commits",
        people,
    ));
    let orgs = std::iter::once(vec![
        "organization".into(),
        "commits".into(),
        "share of known".into(),
    ])
    .chain(
        m.elephant_factor
            .details
            .organizations
            .iter()
            .map(|s| vec![s.key.clone(), s.contributions.to_string(), pct(s.share)]),
    )
    .collect();
    out.push(("Elephant factor: the fewest organizations making at least half of the commits of known affiliation", orgs));
    let releasers = std::iter::once(vec!["released by".into(), "releases".into()])
        .chain(
            m.releases
                .details
                .releasers
                .iter()
                .map(|(k, n)| vec![k.clone(), n.to_string()]),
        )
        .collect();
    out.push(("Releases in the window", releasers));
    let maintainers = std::iter::once(vec![
        "maintainer".into(),
        "named in a governance file".into(),
    ])
    .chain(m.maintainers.details.maintainers.iter().map(|p| {
        let named = if m.maintainers.details.named.contains(p) {
            "yes"
        } else {
            ""
        };
        vec![p.clone(), named.into()]
    }))
    .collect();
    out.push(("Maintainers at the end of the window", maintainers));
    let years = std::iter::once(vec![
        "year".into(),
        "maintainers at its end".into(),
        "new maintainers".into(),
    ])
    .chain(m.maintainers.details.count_by_year.iter().map(|(year, n)| {
        let new = m
            .maintainers
            .details
            .new_by_year
            .get(year)
            .copied()
            .unwrap_or(0);
        vec![year.to_string(), n.to_string(), new.to_string()]
    }))
    .collect();
    out.push(("Maintainers over time", years));
    let quarters = std::iter::once(vec![
        "quarter".into(),
        "active".into(),
        "new".into(),
        "returning".into(),
        "regular".into(),
    ])
    .chain(m.contributors.details.quarters.iter().map(|q| {
        vec![
            q.quarter.clone(),
            q.active.to_string(),
            q.new.to_string(),
            q.returning.to_string(),
            q.regular.to_string(),
        ]
    }))
    .collect();
    out.push(("Contributors per quarter", quarters));
    let reviewers = std::iter::once(vec!["reviewer".into(), "reviews".into()])
        .chain(
            m.reviews
                .details
                .by_person
                .iter()
                .map(|(k, n)| vec![k.clone(), n.to_string()]),
        )
        .collect();
    out.push(("Patches reviewed (trailers)", reviewers));
    let cohorts = std::iter::once(vec![
        "first contribution in".into(),
        "people".into(),
        "came back".into(),
        "became regular".into(),
        "became maintainers".into(),
    ])
    .chain(m.funnel.details.cohorts.iter().map(|c| {
        vec![
            c.year.to_string(),
            c.people.to_string(),
            pct(c.returning_rate),
            pct(c.regular_rate),
            pct(c.maintainer_rate),
        ]
    }))
    .collect();
    out.push(("Contributor funnel", cohorts));
    let dims = &m.organizations.details;
    let org_rows = std::iter::once(vec![
        "of".into(),
        "top organization".into(),
        "share of known".into(),
        "known".into(),
    ])
    .chain(
        [
            ("commits", &dims.commits),
            ("maintainers", &dims.maintainers),
            ("merges", &dims.merges),
            ("releases", &dims.releases),
        ]
        .into_iter()
        .map(|(label, d)| {
            let (org, share) = d
                .shares
                .first()
                .map_or(("—".to_owned(), "—".to_owned()), |(o, _, s)| {
                    (o.clone(), pct(*s))
                });
            vec![label.to_owned(), org, share, pct(d.known_share)]
        }),
    )
    .collect();
    out.push(("Organizational concentration", org_rows));
    let languages = std::iter::once(vec![
        "language".into(),
        "files".into(),
        "lines of code".into(),
    ])
    .chain(
        m.replacement_cost
            .details
            .languages
            .iter()
            .map(|l| vec![l.language.clone(), l.files.to_string(), l.code.to_string()]),
    )
    .collect();
    out.push(("Code by language (replacement cost)", languages));
    let zones = std::iter::once(vec!["UTC offset".into(), "contributors".into()])
        .chain(
            m.time_zones
                .details
                .contributors_by_offset
                .iter()
                .map(|(offset, n)| {
                    let sign = if *offset < 0 { '-' } else { '+' };
                    vec![
                        format!("UTC{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60),
                        n.to_string(),
                    ]
                }),
        )
        .collect();
    out.push(("Time zones", zones));
    let change = |v: Option<f64>| v.map(|c| format!("{c:+.1}%")).unwrap_or_else(|| "—".into());
    let quarters = std::iter::once(vec![
        "quarter".into(),
        "contributors".into(),
        "vs a year before".into(),
        "commits".into(),
        "vs a year before".into(),
    ])
    .chain(m.activity.details.quarters.iter().map(|q| {
        vec![
            q.quarter.clone(),
            q.contributors.to_string(),
            change(q.contributors_change_pct),
            q.contributions.to_string(),
            change(q.contributions_change_pct),
        ]
    }))
    .collect();
    out.push(("Activity per quarter", quarters));
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn untrusted_text_cannot_break_markdown() {
        assert_eq!(escape("Eve <script>|x\ny"), "Eve &lt;script&gt;\\|x y");
    }
}
