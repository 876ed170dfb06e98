//! Projects side by side (`report --compare`) for a terminal, as Markdown
//! and as CSV: one row per headline figure, one column per project, then
//! each project's flags.

use crate::text::{csv_cell, markdown, terminal};
use std::fmt::Write;
use upkeep_core::documents::Comparison;

fn header(c: &Comparison) -> Vec<String> {
    std::iter::once("metric".to_owned())
        .chain(c.projects.iter().map(|p| terminal(&p.name)))
        .collect()
}

/// The comparison for a terminal.
pub fn comparison_table(c: &Comparison) -> String {
    let mut out = format!(
        "upkeep report · {} projects side by side · {} … {} (until is exclusive)\n",
        c.projects.len(),
        c.window.since,
        c.window.until
    );
    let mut t = crate::fitted(comfy_table::presets::UTF8_BORDERS_ONLY);
    t.set_header(header(c));
    for row in c.rows() {
        t.add_row(std::iter::once(row.label.to_owned()).chain(row.values));
    }
    let _ = writeln!(out, "{t}");
    for p in &c.projects {
        let _ = writeln!(out, "\n{}: {} flag(s)", terminal(&p.name), p.flags.len());
        for f in &p.flags {
            let _ = writeln!(out, "  ! {}", terminal(&f.text));
        }
    }
    out
}

/// The comparison as Markdown.
pub fn comparison_markdown(c: &Comparison) -> String {
    let mut out = format!(
        "# upkeep: {} projects side by side\n\nWindow: {} … {} (until is exclusive). Generated {}.\n\n",
        c.projects.len(),
        c.window.since,
        c.window.until,
        c.generated_at
    );
    let cells = |cells: Vec<String>| {
        let cells: Vec<String> = cells.iter().map(|x| markdown(x)).collect();
        format!("| {} |", cells.join(" | "))
    };
    let _ = writeln!(out, "{}", cells(header(c)));
    let _ = writeln!(out, "|{}", "---|".repeat(c.projects.len() + 1));
    for row in c.rows() {
        let _ = writeln!(
            out,
            "{}",
            cells(
                std::iter::once(row.label.to_owned())
                    .chain(row.values)
                    .collect()
            )
        );
    }
    for p in &c.projects {
        let _ = writeln!(out, "\n## Flags of {}\n", markdown(&p.name));
        if p.flags.is_empty() {
            let _ = writeln!(out, "None.");
        }
        for f in &p.flags {
            let _ = writeln!(out, "- {}", markdown(&f.text));
        }
    }
    out
}

/// The comparison as CSV: `metric,label,PROJECT…`, values as shown.
pub fn comparison_csv(c: &Comparison) -> String {
    let mut out = std::iter::once("metric".to_owned())
        .chain(std::iter::once("label".to_owned()))
        .chain(c.projects.iter().map(|p| csv_cell(&p.name)))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for row in c.rows() {
        let line: Vec<String> = [row.id.to_owned(), csv_cell(row.label)]
            .into_iter()
            .chain(row.values.iter().map(|v| csv_cell(v)))
            .collect();
        let _ = writeln!(out, "{}", line.join(","));
    }
    out
}
