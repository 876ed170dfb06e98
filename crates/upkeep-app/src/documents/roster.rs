//! A roster file: an organization's own list of its people, as CSV with the
//! columns `name,email,login,from,until`.

use crate::documents::csv_records::{self, Row};
use upkeep_store::RosterEntry;

/// The columns, in order.
pub const COLUMNS: [&str; 5] = ["name", "email", "login", "from", "until"];

/// A row's problem, if any: an email or a login is needed, an email has an
/// `@`, and `from` is before `until` (both YYYY-MM-DD, either may be empty).
pub fn check(row: &Row) -> Result<(), String> {
    if row.get(1).is_none() && row.get(2).is_none() {
        return Err("neither an email nor a login".into());
    }
    if row.get(1).is_some_and(|e| !e.contains('@')) {
        return Err(format!(
            "`{}` is not an email address",
            row.get(1).unwrap_or_default()
        ));
    }
    let from = csv_records::date(row, 3, "from")?;
    let until = csv_records::date(row, 4, "until")?;
    if let (Some(f), Some(u)) = (from, until)
        && f >= u
    {
        return Err(format!("from {f} is not before until {u}"));
    }
    Ok(())
}

/// The entries of checked `rows` of the file `shown`, for `organization`:
/// emails and logins in lower case, a login without its `@`.
pub fn entries(rows: &[Row], organization: &str, shown: &str) -> Vec<RosterEntry> {
    rows.iter()
        .map(|r| RosterEntry {
            organization: organization.to_owned(),
            name: r.get(0).unwrap_or_default().to_owned(),
            email: r.get(1).map(str::to_lowercase),
            login: r.get(2).map(|l| l.trim_start_matches('@').to_lowercase()),
            from: r.get(3).map(str::to_owned),
            until: r.get(4).map(str::to_owned),
            file: shown.to_owned(),
            line: r.line,
        })
        .collect()
}
