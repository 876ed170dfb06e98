//! `mine`'s terminal summary of one repository's sync.

use crate::listing::{day, thousands};
use crate::text::terminal;
use std::fmt::{self, Write};
use upkeep_core::documents::MineReport;

/// The terminal summary of one repository's sync (`mine`), every text from
/// the repository or the forge escaped.
pub fn mine_summary(r: &MineReport) -> String {
    let mut out = String::new();
    write_summary(&mut out, r).expect("writing to a String");
    out
}

fn write_summary(out: &mut String, r: &MineReport) -> fmt::Result {
    let s = &r.summary;
    writeln!(out, "{}", terminal(&r.location))?;
    if r.unchanged {
        writeln!(
            out,
            "  nothing changed since the last run ({} commits stored) · {:.2} s",
            thousands(s.commits),
            r.seconds
        )?;
        print_conventions(out, r)?;
        return print_forge(out, r);
    }
    let mut new = format!("{} new this run", thousands(r.new_commits as i64));
    if r.dropped_commits > 0 {
        new.push_str(&format!(
            ", {} dropped (history was rewritten)",
            thousands(r.dropped_commits as i64)
        ));
    }
    if r.remined {
        new.push_str(", mined again because the options changed");
    }
    writeln!(
        out,
        "  commits   {} ({} merges); {new}",
        thousands(s.commits),
        thousands(s.merges)
    )?;
    writeln!(out, "  authors   {}", thousands(s.authors))?;
    writeln!(
        out,
        "  tags      {} ({} look like versions)",
        thousands(s.tags),
        thousands(s.version_tags)
    )?;
    if let (Some(first), Some(last)) = (s.first_commit, s.last_commit) {
        writeln!(out, "  history   {} … {}", day(first), day(last))?;
    }
    if s.changes_with_missing_blobs > 0 {
        writeln!(
            out,
            "  partial   {} changed files whose content is missing (a partial clone): renames to or from them found only when exact",
            thousands(s.changes_with_missing_blobs)
        )?;
    }
    if !r.repaired_commits.is_empty() {
        writeln!(
            out,
            "  damaged   {} commits whose headers git's decoder refuses, mined as far as they could be read: {}",
            r.repaired_commits.len(),
            r.repaired_commits.join(", ")
        )?;
    }
    if r.files_without_line_counts > 0 {
        writeln!(
            out,
            "  warning   line counts unknown for {} changed files whose content is missing (a partial clone?)",
            thousands(r.files_without_line_counts as i64)
        )?;
    }
    if s.shallow {
        writeln!(
            out,
            "  shallow   yes: history stops at the clone's boundary"
        )?;
    }
    writeln!(
        out,
        "  files     {} governance files and .mailmap at the tip",
        s.tip_files
    )?;
    print_conventions(out, r)?;
    print_forge(out, r)?;
    writeln!(out, "  took      {:.2} s", r.seconds)
}

/// The conventions detected, each with its commits and what it changes.
fn print_conventions(out: &mut String, r: &MineReport) -> fmt::Result {
    for (i, c) in r.conventions.iter().enumerate() {
        let label = if i == 0 { "messages" } else { "" };
        writeln!(
            out,
            "  {label:<10}{} in {} commit{}: {}",
            c.name,
            thousands(c.commits as i64),
            if c.commits == 1 { "" } else { "s" },
            c.effect
        )?;
    }
    Ok(())
}

fn print_forge(out: &mut String, r: &MineReport) -> fmt::Result {
    for f in r.forge.iter().chain(&r.trackers) {
        writeln!(
            out,
            "  forge     {}: {} issues and pull requests, {} comments, reviews and events, {} releases changed · {} requests{}{}",
            terminal(&f.repository),
            thousands(f.sync.items as i64),
            thousands(f.sync.activities as i64),
            f.sync.releases,
            f.sync.requests,
            match f.sync.points {
                0 => String::new(),
                points => format!(", {points} GraphQL points"),
            },
            if f.sync.incomplete {
                " (stopped by --max-requests; run again to resume)"
            } else {
                ""
            }
        )?;
    }
    if let Some(a) = &r.adoption {
        writeln!(
            out,
            "  adoption: {} signals read, {} unavailable, {} forks listed",
            a.known, a.unavailable, a.forks
        )?;
    }
    if let Some(a) = r.advisories.as_ref().filter(|a| a.packages > 0) {
        match &a.missing {
            Some(why) => writeln!(out, "  advisories missing: {}", terminal(why))?,
            None => writeln!(
                out,
                "  advisories {} for the {} package{} it publishes",
                thousands(a.advisories as i64),
                a.packages,
                if a.packages == 1 { "" } else { "s" }
            )?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use upkeep_core::documents::{ForgeReport, ForgeSync, Summary};

    #[test]
    fn a_sync_in_a_few_escaped_lines() {
        let report = MineReport {
            location: "https://example.com/r\u{1b}[2J".into(),
            git_dir: "/tmp/r".into(),
            unchanged: false,
            new_commits: 1234,
            dropped_commits: 0,
            remined: false,
            cloned: true,
            files_without_line_counts: 0,
            repaired_commits: Vec::new(),
            summary: Summary {
                commits: 81_966,
                merges: 9_000,
                authors: 2_000,
                first_commit: Some(1_112_911_993),
                last_commit: Some(1_700_000_000),
                ..Summary::default()
            },
            conventions: Vec::new(),
            seconds: 8.4,
            forge: Some(ForgeReport {
                repository: "github:o/r".into(),
                sync: ForgeSync {
                    requests: 25,
                    points: 503,
                    items: 2000,
                    activities: 12_000,
                    releases: 2,
                    incomplete: false,
                    rate: None,
                },
                waited_until: None,
            }),
            trackers: Vec::new(),
            advisories: None,
            adoption: None,
        };
        let text = mine_summary(&report);
        assert!(
            text.starts_with("https://example.com/r\\x1b[2J\n"),
            "{text}"
        );
        assert!(text.contains("  commits   81,966 (9,000 merges); 1,234 new this run\n"));
        assert!(text.contains("  history   2005-04-07 … 2023-11-14\n"));
        assert!(
            text.contains("· 25 requests, 503 GraphQL points\n"),
            "{text}"
        );
        assert!(text.ends_with("  took      8.40 s\n"));
    }
}
