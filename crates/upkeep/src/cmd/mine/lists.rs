//! `upkeep mine --list`: mailing lists into the store, and what each run read.

use crate::settings::Format;
use std::io::Write;
use upkeep_app::sources::lists::{ListOptions, ListReport, mine_list};
use upkeep_store::{RepoId, Store};

/// Reads every list; returns the reports and how many lists failed (a list
/// with a part that could not be read counts: that part is read next run).
pub fn mine_all(
    store: &mut Store,
    lists: &[String],
    owner: Option<RepoId>,
    since: Option<i64>,
    format: Format,
) -> anyhow::Result<(Vec<ListReport>, usize)> {
    let now = jiff::Timestamp::now().as_second();
    let options = ListOptions::at(now, since);
    let mut reports = Vec::new();
    let mut failed = 0;
    for list in lists {
        match mine_list(store, list, owner, &options) {
            Ok(report) => {
                failed += usize::from(!report.failed.is_empty());
                if format == Format::Table {
                    print(&report)?;
                }
                reports.push(report);
            }
            Err(err) => {
                failed += 1;
                eprintln!("error: {list}: {err:#}");
            }
        }
    }
    Ok((reports, failed))
}

fn print(r: &ListReport) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", upkeep_report::terminal(&r.source))?;
    writeln!(
        out,
        "  list      {} parts read, {} unchanged · {} messages read, {} new{}",
        r.parts_read,
        r.parts_unchanged,
        r.messages_read,
        r.new_messages,
        if r.requests > 0 {
            format!(" · {} requests", r.requests)
        } else {
            String::new()
        }
    )?;
    if !r.skipped.is_empty() {
        let reasons: Vec<String> = r.skipped.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        writeln!(out, "  skipped   {}", reasons.join(", "))?;
    }
    for (part, why) in &r.failed {
        writeln!(
            out,
            "  failed    {}: {} (read again next run)",
            upkeep_report::terminal(part),
            upkeep_report::terminal(why)
        )?;
    }
    Ok(())
}
