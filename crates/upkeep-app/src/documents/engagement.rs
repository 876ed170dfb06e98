//! An engagement file: talks, posts, meetups our people gave for upstreams,
//! as CSV with the columns `date,person,upstream,kind,url`.

use crate::documents::csv_records::{self, Row};
use upkeep_store::EngagementRecord;

/// The columns, in order.
pub const COLUMNS: [&str; 5] = ["date", "person", "upstream", "kind", "url"];

/// A row's problem, if any: a YYYY-MM-DD date, a person, an upstream and a
/// kind are needed.
pub fn check(row: &Row) -> Result<(), String> {
    if csv_records::date(row, 0, "date")?.is_none() {
        return Err("no date".into());
    }
    for (i, name) in [(1, "person"), (2, "upstream"), (3, "kind")] {
        if row.get(i).is_none() {
            return Err(format!("no {name}"));
        }
    }
    Ok(())
}

/// The records of checked `rows` of the file `shown`.
pub fn records(rows: &[Row], shown: &str) -> Vec<EngagementRecord> {
    rows.iter()
        .map(|r| {
            let cell = |i: usize| r.get(i).unwrap_or_default().to_owned();
            EngagementRecord {
                day: cell(0),
                person: cell(1),
                upstream: cell(2),
                kind: cell(3),
                url: cell(4),
                file: shown.to_owned(),
                line: r.line,
            }
        })
        .collect()
}
