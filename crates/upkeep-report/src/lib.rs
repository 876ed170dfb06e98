//! Renderers of the documents (`upkeep_core::documents`: the report, the
//! ledger, the portfolio): terminal tables, Markdown, CSV, HTML pages and
//! badges. They only format; every number and flag is computed in core.
#![deny(missing_docs)]

mod badge;
mod brief;
mod comparison;
pub mod html;
mod ledger;
mod ledger_outcomes;
mod listing;
mod mine;
mod portfolio;
mod render;
mod text;

pub use badge::{Badge, badge_json, badge_svg, badges};
pub use brief::{brief_html, brief_markdown};
pub use comparison::{comparison_csv, comparison_markdown, comparison_table};
pub use html::{
    IndexEntry, comparison_html, contributions_html, index_html, portfolio_html, report_html,
};
pub use ledger::{contributions_csv, contributions_markdown, contributions_table};
pub use listing::{Frame, day, listing, thousands};
pub use mine::mine_summary;
pub use portfolio::{portfolio_csv, portfolio_markdown, portfolio_table};
pub use render::{Format, Render, RenderError};
use std::fmt::Write;
pub use text::{markdown as markdown_text, terminal};
use upkeep_core::catalog::tables::{EMPTY_TABLE, NO_FORGE, tables};
use upkeep_core::catalog::{CATALOG, definitions, headline};
pub use upkeep_core::catalog::{number, pct};
use upkeep_core::documents::{Contributions, Portfolio, Report};

/// The report for a terminal: untrusted text made safe ([`terminal`]),
/// tables fitted to the terminal's width (100 columns when not a terminal).
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
            terminal(&r.location),
            r.mined_at.as_deref().unwrap_or("never")
        );
        for gap in r.gaps() {
            let _ = writeln!(out, "    ! {}", terminal(&gap));
        }
        for note in r.notes() {
            let _ = writeln!(out, "    · {}", terminal(&note));
        }
    }
    let mut head = fitted(comfy_table::presets::NOTHING);
    for line in headline(&report.metrics) {
        let versus = report
            .card
            .iter()
            .find(|t| t.metric == line.id && t.label == line.label)
            .and_then(|t| {
                t.change_in_words()
                    .or_else(|| t.value.map(|_| "no comparison".to_owned()))
            })
            .map(|c| format!("{c} vs a year before"))
            .unwrap_or_default();
        head.add_row([
            line.label.to_owned(),
            line.shown,
            versus,
            terminal(&line.note),
        ]);
    }
    let _ = writeln!(out, "\n{head}");
    if !report.flags.is_empty() {
        let _ = writeln!(out, "\nflags");
        for flag in &report.flags {
            let _ = writeln!(out, "  ! {}", terminal(&flag.text));
        }
    }
    for table in tables(report) {
        if table.rows.is_empty() {
            let _ = writeln!(out, "\n{}: {EMPTY_TABLE}", table.title);
            continue;
        }
        let mut t = fitted(comfy_table::presets::UTF8_BORDERS_ONLY);
        t.set_header(table.header.iter().map(|c| terminal(c)));
        for row in &table.rows {
            t.add_row(row.iter().map(|c| terminal(c)));
        }
        let _ = writeln!(out, "\n{}\n{t}", table.title);
    }
    if !report.has_forge() {
        let _ = writeln!(out, "\n{NO_FORGE}");
    }
    let _ = writeln!(out, "\nDefinitions");
    for (id, rule) in definitions(&report.metrics) {
        let _ = writeln!(out, "  {id}: {rule}");
    }
    out
}

/// A table with `preset` that wraps its cells to the terminal's width, or to
/// 100 columns when the output is not a terminal.
fn fitted(preset: &str) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_preset(preset)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    if t.width().is_none() {
        t.set_width(100);
    }
    t
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
            "- {} (mined {})",
            markdown_text(&r.location),
            r.mined_at.as_deref().unwrap_or("never")
        );
        for line in r.gaps().into_iter().chain(r.notes()) {
            let _ = writeln!(out, "  - {}", markdown_text(&line));
        }
    }
    let _ = writeln!(out, "\n| metric | value | note |\n|---|---|---|");
    for line in headline(&report.metrics) {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            line.label,
            line.shown,
            markdown_text(&line.note)
        );
    }
    if !report.flags.is_empty() {
        let _ = writeln!(out, "\n## Flags\n");
        for flag in &report.flags {
            let _ = writeln!(out, "- {}", markdown_text(&flag.text));
        }
    }
    for table in tables(report) {
        let _ = writeln!(out, "\n## {}\n", table.title);
        if table.rows.is_empty() {
            let _ = writeln!(out, "{EMPTY_TABLE}");
            continue;
        }
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| markdown_text(c)).collect();
            format!("| {} |", cells.join(" | "))
        };
        let _ = writeln!(out, "{}", line(&table.header));
        let _ = writeln!(out, "|{}", "---|".repeat(table.header.len()));
        for row in &table.rows {
            let _ = writeln!(out, "{}", line(row));
        }
    }
    if !report.has_forge() {
        let _ = writeln!(out, "\n{NO_FORGE}");
    }
    let _ = writeln!(out, "\n## Definitions\n");
    for (id, rule) in definitions(&report.metrics) {
        let _ = writeln!(out, "- **{id}**: {}", markdown_text(rule));
    }
    out
}

/// One line per metric of the catalog: `metric,value,reason,definition`.
pub fn csv(report: &Report) -> String {
    let mut out = String::from("metric,value,reason,definition\n");
    for entry in CATALOG {
        let view = (entry.view)(&report.metrics);
        let value = match view.text {
            Some(text) => text.to_owned(),
            None => view.value.map(|v| v.to_string()).unwrap_or_default(),
        };
        let _ = writeln!(
            out,
            "{},{value},{},{}",
            entry.id,
            text::csv_cell(view.reason.unwrap_or_default()),
            text::csv_cell(view.definition.rule)
        );
    }
    out
}
