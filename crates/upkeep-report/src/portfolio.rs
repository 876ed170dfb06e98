//! The dependency portfolio (`upkeep deps`): its JSON shape and its
//! renderings. Scores, ranks and why-lines come from `upkeep_core::portfolio::rank`.

use crate::number;
use crate::text::csv_cell;
use crate::text::{markdown as escape, terminal};
use std::fmt::Write;
use upkeep_core::advisories::exposure::AdvisoryCheck;
use upkeep_core::documents::Portfolio;
use upkeep_core::portfolio::rank::Ranked;
use upkeep_core::portfolio::upstreams::Unmapped;

pub(crate) fn row(r: &Ranked) -> Vec<String> {
    let h = &r.health;
    let last_release = match (&h.last_release, h.days_since_last_release) {
        (Some(name), Some(days)) => format!("{name} ({days:.0} d)"),
        (Some(name), None) => name.clone(),
        (None, _) if h.mined => "never".to_owned(),
        (None, _) => "—".to_owned(),
    };
    vec![
        r.rank.to_string(),
        r.repository.clone(),
        format!("{:.3}", r.score),
        number(h.bus_factor),
        number(h.truck_factor),
        match &h.affiliation_note {
            Some(_) if h.elephant_factor.is_some() => "not enough known".to_owned(),
            _ => number(h.elephant_factor),
        },
        last_release,
        number(h.replacement_engineer_months),
        match (h.exposed.checked, h.exposed.worst) {
            (false, _) => "—".to_owned(),
            (true, Some(worst)) => format!("{} ({})", h.exposed.advisories, worst.name()),
            (true, None) => "0".to_owned(),
        },
        slow_to_fix(h),
        r.why.clone(),
    ]
}

/// The "slow to fix" cell: `—` when not checked, else the median days to
/// fix (or that none was published), marked slow when a risk line says so.
fn slow_to_fix(h: &upkeep_core::portfolio::health::Health) -> String {
    let s = &h.slow_to_fix;
    let median = match (s.median_days, s.advisories) {
        (Some(days), _) => format!("{} d", number(Some(days))),
        (None, 0) => "no advisories".to_owned(),
        (None, _) => "unfixed".to_owned(),
    };
    match (s.checked, s.lines.is_empty()) {
        (false, _) => "—".to_owned(),
        (true, true) => median,
        (true, false) => format!("slow ({median})"),
    }
}

pub(crate) const HEADER: [&str; 11] = [
    "rank",
    "upstream",
    "score",
    "bus",
    "truck",
    "elephant",
    "last release",
    "eng-months",
    "exposed",
    "slow to fix",
    "why",
];

pub(crate) fn unmapped_line(u: &Unmapped) -> String {
    let p = &u.package;
    format!(
        "{}{} — {}",
        p.purl.as_deref().unwrap_or(&p.name),
        if p.purl.is_none() {
            p.version
                .as_deref()
                .map_or_else(String::new, |v| format!("@{v}"))
        } else {
            String::new()
        },
        u.reason
    )
}

/// The columns of the exposed packages.
pub(crate) const EXPOSED_HEADER: [&str; 5] = ["package", "advisory", "severity", "fix", "summary"];

/// One row per advisory affecting a pinned package.
pub(crate) fn exposed_rows(check: &AdvisoryCheck) -> Vec<Vec<String>> {
    check
        .exposed
        .iter()
        .flat_map(|p| {
            p.advisories.iter().map(move |a| {
                let aliases = match a.aliases.len() {
                    0 => String::new(),
                    n => format!(" (+{n} alias{})", if n == 1 { "" } else { "es" }),
                };
                let severity = match a.severity.score {
                    Some(score) => format!("{} {score:.1}", a.severity.level.name()),
                    None => a.severity.level.name().to_owned(),
                };
                vec![
                    p.package.clone(),
                    format!("{}{aliases}", a.id),
                    severity,
                    a.remedy(),
                    a.summary.clone().unwrap_or_default(),
                ]
            })
        })
        .collect()
}

/// The headline of the advisory check: how many pinned packages are
/// affected, or why the data is missing.
pub(crate) fn exposed_line(check: &AdvisoryCheck) -> String {
    let count = check.exposed.len();
    let advisories: usize = check.exposed.iter().map(|p| p.advisories.len()).sum();
    let mut line = format!(
        "{count} of {} pinned packages affected by known vulnerabilities ({advisories} advisories, OSV)",
        check.checked
    );
    if let Some(missing) = &check.missing {
        line = format!("advisories missing, not zero: {missing}");
    }
    if !check.skipped.is_empty() {
        let ids: Vec<&str> = check.skipped.iter().map(|(id, _)| id.as_str()).collect();
        let _ = write!(
            line,
            "; {} unreadable records skipped: {}",
            ids.len(),
            ids.join(", ")
        );
    }
    line
}

/// The portfolio for a terminal.
pub fn portfolio_table(p: &Portfolio) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "upkeep deps · health over {} … {} (until is exclusive)",
        p.window.since, p.window.until
    );
    for (path, format) in &p.inputs {
        let _ = writeln!(out, "  {} ({format})", terminal(path));
    }
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
    t.set_header(HEADER);
    for r in &p.upstreams {
        t.add_row(row(r).iter().map(|c| terminal(c)));
    }
    let _ = writeln!(out, "\n{t}");
    if p.more_upstreams > 0 {
        let _ = writeln!(out, "… and {} more upstreams (--top)", p.more_upstreams);
    }
    if !p.unmapped.is_empty() {
        let _ = writeln!(
            out,
            "\n{} packages not traced to a repository:",
            p.unmapped.len()
        );
        for u in &p.unmapped {
            let _ = writeln!(out, "  {}", terminal(&unmapped_line(u)));
        }
    }
    if let Some(check) = &p.advisories {
        let _ = writeln!(out, "\n{}", terminal(&exposed_line(check)));
        if !check.exposed.is_empty() {
            let mut t = comfy_table::Table::new();
            t.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
            t.set_header(EXPOSED_HEADER);
            for row in exposed_rows(check) {
                t.add_row(row.iter().map(|c| terminal(c)));
            }
            let _ = writeln!(out, "{t}");
        }
    }
    let _ = writeln!(out, "\nscore = {}", p.formula);
    out
}

/// The portfolio as Markdown (every cell escaped).
pub fn portfolio_markdown(p: &Portfolio) -> String {
    let mut out = String::from("# upkeep dependency portfolio\n\n");
    let _ = writeln!(
        out,
        "Health over {} … {} (until is exclusive). Generated {}.\n",
        p.window.since, p.window.until, p.generated_at
    );
    for (path, format) in &p.inputs {
        let _ = writeln!(out, "- `{}` ({format})", path.replace('`', "'"));
    }
    let _ = writeln!(
        out,
        "\n| {} |\n|{}",
        HEADER.join(" | "),
        "---|".repeat(HEADER.len())
    );
    for r in &p.upstreams {
        let cells: Vec<String> = row(r).iter().map(|c| escape(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    if p.more_upstreams > 0 {
        let _ = writeln!(out, "\n… and {} more upstreams.", p.more_upstreams);
    }
    if !p.unmapped.is_empty() {
        let _ = writeln!(out, "\n## Not traced to a repository\n");
        for u in &p.unmapped {
            let _ = writeln!(out, "- {}", escape(&unmapped_line(u)));
        }
    }
    if let Some(check) = &p.advisories {
        let _ = writeln!(
            out,
            "\n## Known vulnerabilities\n\n{}.",
            escape(&exposed_line(check))
        );
        if !check.exposed.is_empty() {
            let _ = writeln!(
                out,
                "\n| {} |\n|{}",
                EXPOSED_HEADER.join(" | "),
                "---|".repeat(EXPOSED_HEADER.len())
            );
            for row in exposed_rows(check) {
                let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
        }
    }
    let _ = writeln!(out, "\nScore = {}.", escape(p.formula));
    out
}

/// One line per upstream, then one per unmapped package (`rank` empty).
pub fn portfolio_csv(p: &Portfolio) -> String {
    let mut out = format!("{},reason\n", HEADER.join(","));
    for r in &p.upstreams {
        let cells: Vec<String> = row(r).iter().map(|c| csv_cell(c)).collect();
        let _ = writeln!(out, "{},", cells.join(","));
    }
    for u in &p.unmapped {
        let name = u.package.purl.as_deref().unwrap_or(&u.package.name);
        let _ = writeln!(out, ",{},,,,,,,,,{}", csv_cell(name), csv_cell(&u.reason));
    }
    out
}
