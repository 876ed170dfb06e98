//! Self-contained HTML pages: one file each, styles and SVG charts inline,
//! nothing fetched from anywhere (a Content-Security-Policy forbids it),
//! light or dark as the reader prefers, printable. Every piece of text is
//! printed by askama templates, which escape it; nothing is concatenated into
//! HTML. Control and bidirectional characters in untrusted text are shown as
//! escapes (`\u{202e}`), as in a terminal, so a name cannot reorder or hide
//! the text around it. People are shown by name.

pub(crate) mod card;
pub mod charts;
mod index;
mod pages;

pub use index::{IndexEntry, Sort, columns, index_html, sort_keys, sorted};
pub use pages::{comparison_html, contributions_html, portfolio_html};

use crate::text::terminal as clean;
use crate::{Report, number};
use askama::Template;
use charts::Chart;
use upkeep_core::catalog::tables::{EMPTY_TABLE, NO_FORGE, tables};
use upkeep_core::catalog::{Entry, Unit, definitions, headline};
use upkeep_core::metrics::items::AuthorKind;

/// A repository in a page's header.
pub struct RepoLine {
    /// Where it is.
    pub location: String,
    /// When it was mined.
    pub mined: String,
    /// Its forge, if it has forge data.
    pub forge: Option<String>,
    /// What is missing from its data.
    pub gaps: Vec<String>,
}

/// A flag, with the evidence it links to.
pub struct FlagLine {
    /// The anchor of its evidence: the metric's chart, else its table, else its definition.
    pub href: String,
    /// What to say.
    pub text: String,
}

/// A headline number.
#[derive(Clone)]
pub struct Headline {
    /// The metric id it links to.
    pub id: &'static str,
    /// Its label.
    pub label: &'static str,
    /// The value.
    pub value: String,
    /// The note beside it.
    pub note: String,
}

/// A detail table.
pub struct Section {
    /// Its anchor.
    pub id: String,
    /// Its title.
    pub title: &'static str,
    /// The header row.
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    title: String,
    since: String,
    until: String,
    generated_at: String,
    repositories: Vec<RepoLine>,
    verdict: Option<Headline>,
    tiles: Vec<card::TileView>,
    contents: Vec<(String, String)>,
    flags: Vec<FlagLine>,
    headline: Vec<Headline>,
    no_forge: Option<&'static str>,
    empty_table: &'static str,
    charts: Vec<Chart>,
    sections: Vec<Section>,
    definitions: Vec<(&'static str, &'static str)>,
}

/// The page's title: the repositories' short names.
fn title(report: &Report) -> String {
    let names: Vec<String> = report
        .repositories
        .iter()
        .map(|r| {
            let t = r.location.trim_end_matches('/').trim_end_matches(".git");
            t.rsplit(['/', '\\'])
                .take(2)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    names.join(" + ")
}

/// The report as one HTML page.
pub fn report_html(report: &Report) -> Result<String, askama::Error> {
    let charts: Vec<Chart> = report_charts(report)
        .into_iter()
        .map(Chart::cleaned)
        .collect();
    let sections: Vec<Section> = tables(report)
        .into_iter()
        .map(|t| Section {
            id: anchor(t.title),
            title: t.title,
            header: t.header.iter().map(|c| clean(c)).collect(),
            rows: t
                .rows
                .iter()
                .map(|row| row.iter().map(|c| clean(c)).collect())
                .collect(),
        })
        .collect();
    let on_page: Vec<&str> = charts
        .iter()
        .map(|c| c.id.as_str())
        .chain(sections.iter().map(|s| s.id.as_str()))
        .collect();
    let lines = headline(&report.metrics);
    let headlines: Vec<Headline> = lines
        .iter()
        .map(|line| Headline {
            id: line.id,
            label: line.label,
            value: line.shown.clone(),
            note: clean(&line.note),
        })
        .collect();
    let page = ReportPage {
        title: title(report),
        since: report.window.since.clone(),
        until: report.window.until.clone(),
        generated_at: report.generated_at.clone(),
        repositories: report
            .repositories
            .iter()
            .map(|r| RepoLine {
                location: clean(&r.location),
                mined: r.mined_at.clone().unwrap_or_else(|| "never".into()),
                forge: r.forge.as_deref().map(clean),
                gaps: r.gaps().into_iter().chain(r.notes()).collect(),
            })
            .collect(),
        verdict: lines
            .iter()
            .position(|l| l.unit == Unit::State)
            .map(|i| headlines[i].clone()),
        tiles: card::tiles(&report.card),
        flags: report
            .flags
            .iter()
            .map(|f| FlagLine {
                href: evidence(f.metric, &on_page),
                text: clean(&f.text),
            })
            .collect(),
        headline: headlines,
        no_forge: (!report.has_forge()).then_some(NO_FORGE),
        empty_table: EMPTY_TABLE,
        contents: contents(&sections),
        charts,
        sections,
        definitions: definitions(&report.metrics),
    };
    page.render().map(crate::text::page)
}

/// The table of contents of the tables: (anchor, title) of each.
fn contents(sections: &[Section]) -> Vec<(String, String)> {
    sections
        .iter()
        .map(|s| (s.id.clone(), s.title.to_owned()))
        .collect()
}

/// A table title as an anchor: lower case, runs of anything but letters and
/// digits as one `-`.
fn anchor(title: &str) -> String {
    let mut out = String::from("table-");
    for c in title.chars() {
        match c.is_ascii_alphanumeric() {
            true => out.push(c.to_ascii_lowercase()),
            false if !out.ends_with('-') => out.push('-'),
            false => {}
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Where a flag's evidence is on the page: the metric's first chart, else its
/// first table, else its definition.
fn evidence(metric: &str, on_page: &[&str]) -> String {
    let entry = Entry::get(metric);
    let charts = entry
        .into_iter()
        .flat_map(|e| e.charts.iter().map(|c| (*c).to_owned()));
    let tables = entry
        .into_iter()
        .flat_map(|e| e.tables.iter().map(|t| anchor(t)));
    match charts
        .chain(tables)
        .find(|id| on_page.contains(&id.as_str()))
    {
        Some(id) => format!("#{id}"),
        None => format!("#def-{metric}"),
    }
}

/// Every chart of the report.
fn report_charts(report: &Report) -> Vec<Chart> {
    let m = &report.metrics;
    let s = &report.series;
    let mut out = Vec::new();
    let months: Vec<String> = s.months.iter().map(|x| x.month.clone()).collect();
    out.push(charts::bars(
        "chart-activity",
        "Commits and contributors per month",
        "activity",
        ("month", "count"),
        &months,
        &[
            (
                "commits",
                s.months.iter().map(|x| x.commits as f64).collect(),
            ),
            (
                "contributors",
                s.months.iter().map(|x| x.contributors as f64).collect(),
            ),
        ],
    ));
    let people: Vec<String> = s.top_people.iter().map(|p| report.name(&p.key)).collect();
    out.push(charts::bars(
        "chart-bus-factor",
        "Cumulative share of commits, most active people first",
        "bus_factor",
        ("person", "% of commits"),
        &people,
        &[(
            "cumulative share (%)",
            s.top_people
                .iter()
                .map(|p| (p.cumulative_share * 1000.0).round() / 10.0)
                .collect(),
        )],
    ));
    let cohorts: Vec<String> = m
        .funnel
        .details
        .cohorts
        .iter()
        .map(|c| c.year.to_string())
        .collect();
    let rate = |f: &dyn Fn(&upkeep_core::metrics::funnel::Cohort) -> f64| -> Vec<f64> {
        m.funnel
            .details
            .cohorts
            .iter()
            .map(|c| (f(c) * 1000.0).round() / 10.0)
            .collect()
    };
    out.push(charts::bars(
        "chart-funnel",
        "Contributor funnel by cohort (year of first contribution)",
        "funnel",
        ("cohort", "% of the cohort"),
        &cohorts,
        &[
            ("came back", rate(&|c| c.returning_rate)),
            ("became regular", rate(&|c| c.regular_rate)),
            ("became maintainers", rate(&|c| c.maintainer_rate)),
        ],
    ));
    out.push(organizations_chart(report));
    out.push(responses_chart(report));
    let d = &m.non_maintainer_prs.details;
    out.push(charts::bars(
        "chart-outside-prs",
        "Pull requests from non-maintainers: outcomes",
        "non_maintainer_prs",
        ("outcome", "pull requests"),
        &[
            "merged".into(),
            "closed unmerged".into(),
            "still open".into(),
        ],
        &[(
            "pull requests",
            vec![d.merged as f64, d.closed_unmerged as f64, d.open as f64],
        )],
    ));
    let ages = &m.issue_triage.details.open_untriaged_by_age;
    out.push(charts::bars(
        "chart-open-issues",
        "Open issues never triaged, by age",
        "issue_triage",
        ("age", "issues"),
        &ages
            .iter()
            .map(|(a, _)| (*a).to_owned())
            .collect::<Vec<_>>(),
        &[("issues", ages.iter().map(|(_, n)| *n as f64).collect())],
    ));
    let r = &m.releases.details;
    let cadence = match r.median_interval_days {
        Some(days) => format!(
            "cadence: a release every {} days (median)",
            number(Some(days))
        ),
        None => "no cadence: fewer than two releases".to_owned(),
    };
    out.push(charts::timeline(
        "chart-releases",
        "Releases over time",
        "releases",
        (window_start(report), window_end(report)),
        &s.releases
            .iter()
            .map(|p| (p.name.clone(), p.time))
            .collect::<Vec<_>>(),
        &cadence,
    ));
    let years: Vec<String> = m
        .maintainers
        .details
        .count_by_year
        .keys()
        .map(|y| y.to_string())
        .collect();
    out.push(charts::bars(
        "chart-maintainers",
        "Maintainers per year",
        "maintainers",
        ("year", "people"),
        &years,
        &[
            (
                "maintainers at the year's end",
                m.maintainers
                    .details
                    .count_by_year
                    .values()
                    .map(|n| *n as f64)
                    .collect(),
            ),
            (
                "new maintainers",
                m.maintainers
                    .details
                    .count_by_year
                    .keys()
                    .map(|y| {
                        m.maintainers
                            .details
                            .new_by_year
                            .get(y)
                            .copied()
                            .unwrap_or(0) as f64
                    })
                    .collect(),
            ),
        ],
    ));
    out.push(advisories_chart(report));
    let hours: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
    out.push(charts::heatmap(
        "chart-hours",
        "Commits by hour of the day and day of the week (UTC)",
        "time_zones",
        ("hour (UTC)", "day"),
        &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        &hours,
        &s.hour_by_weekday,
    ));
    out
}

/// The advisories on a time line, one lane each: published, then fixed (or
/// still open), coloured by severity; the legend is the severity mix.
fn advisories_chart(report: &Report) -> Chart {
    use upkeep_core::advisories::severity::Level;
    let d = &report.metrics.security_response.details;
    // Critical in the flag's hue, then warmer to cooler; unknown grey.
    let class = |level: Level| match level {
        Level::Critical => "s3",
        Level::High => "s1",
        Level::Medium => "s6",
        Level::Low => "s2",
        Level::Unknown => "s5",
    };
    let legend: Vec<(String, String)> = Level::ALL
        .iter()
        .rev()
        .map(|level| {
            let n = d.advisories.iter().filter(|a| a.severity == *level).count();
            (class(*level).to_owned(), format!("{} ({n})", level.name()))
        })
        .collect();
    let seconds = |t: &str| t.parse::<jiff::Timestamp>().map_or(0, |t| t.as_second());
    let items: Vec<charts::Span> = d
        .advisories
        .iter()
        .map(|a| charts::Span {
            label: a.id.clone(),
            start: seconds(&a.published),
            end: a.fix_released.as_deref().map(seconds),
            class: class(a.severity).to_owned(),
            cells: vec![
                a.severity.name().to_owned(),
                charts::day(seconds(&a.published)),
                a.fix_released
                    .as_deref()
                    .map_or_else(|| "not yet".to_owned(), |t| charts::day(seconds(t))),
                number(a.days_to_fix.or(a.unfixed_days)),
            ],
        })
        .collect();
    charts::spans(
        "chart-advisories",
        "Advisories: published, and when a fixed version shipped",
        "security_response",
        (window_start(report), window_end(report)),
        &items,
        &legend,
        &[
            "advisory",
            "severity",
            "published",
            "fix shipped",
            "days (to fix, or open)",
        ],
    )
}

fn organizations_chart(report: &Report) -> Chart {
    let s = &report.series;
    let quarters: Vec<String> = s.organizations.iter().map(|q| q.quarter.clone()).collect();
    // The organizations by their share over the window, largest first (at
    // the bottom), then other and unknown in their own greys.
    let mut totals: Vec<(String, f64)> = Vec::new();
    for q in &s.organizations {
        for (o, share) in &q.shares {
            match totals.iter_mut().find(|(n, _)| n == o) {
                Some((_, t)) => *t += share,
                None => totals.push((o.clone(), *share)),
            }
        }
    }
    let last = |o: &str| match o {
        "other" => 1,
        "unknown" => 2,
        _ => 0,
    };
    totals.sort_by(|a, b| last(&a.0).cmp(&last(&b.0)).then(b.1.total_cmp(&a.1)));
    let names: Vec<String> = totals.into_iter().map(|(o, _)| o).collect();
    let classes: Vec<usize> = names
        .iter()
        .enumerate()
        .map(|(i, o)| match last(o) {
            // The palette's grey (s5) last among the organizations.
            0 => [0, 1, 2, 3, 4, 6, 7, 5].get(i).copied().unwrap_or(5),
            n => 7 + n,
        })
        .collect();
    let series: Vec<(&str, Vec<f64>)> = names
        .iter()
        .map(|o| {
            (
                o.as_str(),
                s.organizations
                    .iter()
                    .map(|q| {
                        q.shares
                            .iter()
                            .find(|(n, _)| n == o)
                            .map_or(0.0, |(_, share)| (share * 1000.0).round() / 10.0)
                    })
                    .collect(),
            )
        })
        .collect();
    charts::stacked(
        "chart-organizations",
        "Organizations' shares of commits per quarter (the 8 largest, then other and unknown)",
        "organizations",
        ("quarter", "% of commits"),
        &quarters,
        (&series, &classes),
        100.0,
    )
}

fn responses_chart(report: &Report) -> Chart {
    let s = &report.series;
    let mut quarters: Vec<String> = s.first_response.iter().map(|r| r.quarter.clone()).collect();
    quarters.dedup();
    let kinds = [
        AuthorKind::Maintainer,
        AuthorKind::Returning,
        AuthorKind::FirstTimer,
    ];
    let mut series: Vec<(String, Vec<f64>)> = Vec::new();
    for kind in kinds {
        for (what, pick) in [("median", true), ("p90", false)] {
            let values: Vec<f64> = quarters
                .iter()
                .map(|q| {
                    s.first_response
                        .iter()
                        .find(|r| r.quarter == *q && r.author == kind.as_str())
                        .and_then(|r| {
                            if pick {
                                r.answered.median_hours
                            } else {
                                r.answered.p90_hours
                            }
                        })
                        .map_or(0.0, |h| (h * 10.0).round() / 10.0)
                })
                .collect();
            series.push((
                format!("{} {what}", kind.as_str().replace('_', "-")),
                values,
            ));
        }
    }
    let refs: Vec<(&str, Vec<f64>)> = series
        .iter()
        .map(|(n, v)| (n.as_str(), v.clone()))
        .collect();
    charts::bars(
        "chart-first-response",
        "Time to first response per quarter, by author (hours)",
        "first_response",
        ("quarter opened", "hours"),
        &quarters,
        &refs,
    )
}

fn window_start(report: &Report) -> i64 {
    day_seconds(&report.window.since)
}

fn window_end(report: &Report) -> i64 {
    day_seconds(&report.window.until)
}

fn day_seconds(day: &str) -> i64 {
    day.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(0, |z| z.timestamp().as_second())
}
