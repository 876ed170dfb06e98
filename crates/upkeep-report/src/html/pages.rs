//! The dependency portfolio and the OSPO ledger as pages, on one generic
//! layout: an introduction, flags, charts, tables with their lines of text,
//! and the definitions.

use super::charts::{self, Chart};
use crate::{Contributions, Portfolio, ledger};
use askama::Template;
use upkeep_core::documents::Comparison;

/// A section of a generic page.
pub struct PageSection {
    /// Its title.
    pub title: String,
    /// Lines of text before its table.
    pub lines: Vec<String>,
    /// The table's header (none: no table).
    pub header: Vec<String>,
    /// The table's rows.
    pub rows: Vec<Vec<String>>,
}

/// Text made safe to show: control and bidirectional characters as escapes.
fn clean_all(lines: Vec<String>) -> Vec<String> {
    lines.iter().map(|l| crate::text::terminal(l)).collect()
}

impl Page {
    /// The page with every piece of untrusted text cleaned.
    fn cleaned(mut self) -> Page {
        self.intro = clean_all(self.intro);
        self.flags = clean_all(self.flags);
        self.charts = self.charts.into_iter().map(Chart::cleaned).collect();
        if let Some(heat) = &mut self.heat {
            for (name, cells) in &mut heat.rows {
                *name = crate::text::terminal(name);
                for (text, _) in cells {
                    *text = crate::text::terminal(text);
                }
            }
        }
        for s in &mut self.sections {
            s.title = crate::text::terminal(&s.title);
            s.lines = clean_all(std::mem::take(&mut s.lines));
            for row in &mut s.rows {
                *row = clean_all(std::mem::take(row));
            }
        }
        self
    }
}

/// A heat map: rows × signals, each cell its text and tone (`danger`,
/// `warning`, `good`, `unknown`).
pub struct Heat {
    /// Its title.
    pub title: String,
    /// What the colours say.
    pub lines: Vec<String>,
    /// The signals.
    pub columns: Vec<String>,
    /// Each row: its name, then its cells.
    pub rows: Vec<(String, Vec<(String, &'static str)>)>,
}

#[derive(Template)]
#[template(path = "page.html")]
struct Page {
    title: String,
    intro: Vec<String>,
    flags: Vec<String>,
    charts: Vec<Chart>,
    heat: Option<Heat>,
    sections: Vec<PageSection>,
    definitions: Vec<(String, String)>,
}

/// A repository as its last two path segments (`owner/name`).
fn short_name(repository: &str) -> String {
    let mut parts: Vec<&str> = repository.rsplit('/').take(2).collect();
    parts.reverse();
    parts.join("/")
}

/// The portfolio as a heat map: each upstream (in rank order) × each of its
/// signals, a cell in the tone of the risk found under it (by its points:
/// 0.3 or more danger, else warning), `ok` where none was found, unknown
/// where it was not mined.
fn heat(p: &Portfolio) -> Heat {
    use upkeep_core::portfolio::rank::{SIGNALS, signals};
    Heat {
        title: "Signals".into(),
        lines: vec![
            "Each upstream, in rank order, against each signal: red a heavy risk (0.3 points or more), amber a lighter one, green none found, grey not known (not mined).".into(),
        ],
        columns: SIGNALS.iter().map(|(label, _)| (*label).to_owned()).collect(),
        rows: p
            .upstreams
            .iter()
            .map(|u| {
                let cells = signals(u)
                    .into_iter()
                    .map(|factor| match (factor, u.health.mined) {
                        (Some(f), _) if f.points >= 0.3 => (f.text.clone(), "danger"),
                        (Some(f), _) => (f.text.clone(), "warning"),
                        (None, true) => ("ok".to_owned(), "good"),
                        (None, false) => ("—".to_owned(), "unknown"),
                    })
                    .collect();
                (short_name(&u.repository), cells)
            })
            .collect(),
    }
}

/// The portfolio as one HTML page: the ranked upstreams with their why-lines.
pub fn portfolio_html(p: &Portfolio) -> Result<String, askama::Error> {
    let names: Vec<String> = p
        .upstreams
        .iter()
        .map(|u| short_name(&u.repository))
        .collect();
    let chart = charts::bars(
        "chart-portfolio",
        "Upstreams ranked by criticality × risk × ability",
        "score",
        ("upstream", "score"),
        &names,
        &[(
            "score",
            p.upstreams
                .iter()
                .map(|u| (u.score * 1000.0).round() / 1000.0)
                .collect(),
        )],
    );
    let mut intro = vec![format!(
        "Health over {} … {} (until is exclusive). Generated {}.",
        p.window.since, p.window.until, p.generated_at
    )];
    intro.extend(
        p.inputs
            .iter()
            .map(|(path, format)| format!("{path} ({format})")),
    );
    let ranked = PageSection {
        title: "Upstreams".into(),
        lines: (p.more_upstreams > 0)
            .then(|| format!("… and {} more upstreams (--top)", p.more_upstreams))
            .into_iter()
            .collect(),
        header: crate::portfolio::HEADER
            .iter()
            .map(|h| (*h).to_owned())
            .collect(),
        rows: p.upstreams.iter().map(crate::portfolio::row).collect(),
    };
    let unmapped = PageSection {
        title: format!("{} packages not traced to a repository", p.unmapped.len()),
        lines: p
            .unmapped
            .iter()
            .map(crate::portfolio::unmapped_line)
            .collect(),
        header: Vec::new(),
        rows: Vec::new(),
    };
    let mut sections = vec![ranked, unmapped];
    if let Some(check) = &p.advisories {
        sections.insert(
            1,
            PageSection {
                title: "Known vulnerabilities".into(),
                lines: vec![crate::portfolio::exposed_line(check)],
                header: crate::portfolio::EXPOSED_HEADER
                    .iter()
                    .map(|h| (*h).to_owned())
                    .collect(),
                rows: crate::portfolio::exposed_rows(check),
            },
        );
    }
    Page {
        title: "upkeep dependency portfolio".into(),
        intro,
        flags: Vec::new(),
        charts: vec![chart],
        heat: Some(heat(p)),
        sections,
        definitions: vec![("score".into(), p.formula.to_owned())],
    }
    .cleaned()
    .render()
    .map(crate::text::page)
}

/// The ledger as one HTML page.
pub fn contributions_html(c: &Contributions) -> Result<String, askama::Error> {
    let labels: Vec<String> = c.periods.iter().map(|p| p.label.clone()).collect();
    let picked = [
        "commits",
        "patches_reviewed",
        "non_maintainer_prs_reviewed",
        "issues_triaged",
    ];
    let series: Vec<(&str, Vec<f64>)> = c
        .kpis
        .iter()
        .filter(|k| picked.contains(&k.id))
        .map(|k| (k.id, k.counts.by_period.iter().map(|v| *v as f64).collect()))
        .collect();
    let chart = charts::bars(
        "chart-kpis",
        &format!("KPIs per {}", c.period),
        "commits",
        (c.period.as_str(), "count"),
        &labels,
        &series,
    );
    let mut kpis = vec![ledger::header(c)];
    kpis.extend(ledger::kpi_rows(c));
    let mut sections = vec![PageSection {
        title: "KPIs, whole portfolio".into(),
        lines: vec!["* = period not complete".into()],
        header: kpis.remove(0),
        rows: kpis,
    }];
    if !c.goals.is_empty() {
        sections.push(PageSection {
            title: "Goals".into(),
            lines: ledger::goal_lines(c),
            header: Vec::new(),
            rows: Vec::new(),
        });
    }
    for u in &c.context {
        sections.push(PageSection {
            title: u.name.clone(),
            lines: ledger::context_lines(c, u),
            header: Vec::new(),
            rows: Vec::new(),
        });
    }
    for (title, header, rows) in crate::ledger_outcomes::sections(c) {
        sections.push(PageSection {
            title,
            lines: Vec::new(),
            header,
            rows,
        });
    }
    let mut people = ledger::people_rows(c);
    sections.push(PageSection {
        title: "Our people".into(),
        lines: Vec::new(),
        header: people.remove(0),
        rows: people,
    });
    let mut intro = vec![format!(
        "{} … {} (until is exclusive), per {}. Generated {}.",
        c.window.since, c.window.until, c.period, c.generated_at
    )];
    intro.extend(
        c.upstreams
            .iter()
            .map(|u| format!("{} ({})", u.name, u.repository.location)),
    );
    Page {
        title: format!("Upstream contributions of {}", c.organization),
        intro,
        flags: c.flags.clone(),
        charts: vec![chart],
        heat: None,
        sections,
        definitions: c
            .kpis
            .iter()
            .map(|k| (k.id.to_owned(), k.definition.clone()))
            .collect(),
    }
    .render()
    .map(crate::text::page)
}

/// Projects side by side as one page: the table of every headline figure,
/// then each project's flags.
pub fn comparison_html(c: &Comparison) -> Result<String, askama::Error> {
    let names: Vec<String> = c.projects.iter().map(|p| p.name.clone()).collect();
    let table = PageSection {
        title: "Side by side".into(),
        lines: vec![
            "Each figure over the same window; in brackets, its change against the same window a year before.".into(),
        ],
        header: std::iter::once("metric".to_owned()).chain(names).collect(),
        rows: c
            .rows()
            .into_iter()
            .map(|row| std::iter::once(row.label.to_owned()).chain(row.values).collect())
            .collect(),
    };
    let flags = c.projects.iter().map(|p| PageSection {
        title: format!("Flags of {}", p.name),
        lines: match p.flags.is_empty() {
            true => vec!["None.".to_owned()],
            false => p.flags.iter().map(|f| f.text.clone()).collect(),
        },
        header: Vec::new(),
        rows: Vec::new(),
    });
    let mut intro = vec![format!(
        "Health over {} … {} (until is exclusive). Generated {}.",
        c.window.since, c.window.until, c.generated_at
    )];
    intro.extend(
        c.projects
            .iter()
            .map(|p| format!("{}: {}", p.name, p.repositories.join(", "))),
    );
    Page {
        title: format!("upkeep: {} projects side by side", c.projects.len()),
        intro,
        flags: Vec::new(),
        charts: Vec::new(),
        heat: None,
        sections: std::iter::once(table).chain(flags).collect(),
        definitions: c
            .definitions
            .iter()
            .map(|(id, rule)| ((*id).to_owned(), (*rule).to_owned()))
            .collect(),
    }
    .cleaned()
    .render()
    .map(crate::text::page)
}
