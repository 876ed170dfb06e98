//! A roster file: an organization's own list of its people, as CSV with the
//! columns `name,email,login,from,until` and, optionally, `team`.

use crate::documents::csv_records::{self, Row};
use upkeep_store::RosterEntry;

/// The columns required in every row (the team may be left out).
pub const REQUIRED: usize = 5;

/// The columns, in order; the last (`team`) may be left out.
pub const COLUMNS: [&str; 6] = ["name", "email", "login", "from", "until", "team"];

/// A row's problem, if any: an email or a login is needed, an email has an
/// `@`, `from` is before `until` (both YYYY-MM-DD, either may be empty), and
/// a team is one of `teams` (`[organization] teams` in upkeep.toml).
pub fn check(row: &Row, teams: &[String]) -> Result<(), String> {
    if let Some(team) = row.get(5)
        && !teams.iter().any(|t| t == team)
    {
        return Err(match teams.is_empty() {
            true => format!(
                "the team `{team}` is not declared: list the teams in upkeep.toml's [organization] teams"
            ),
            false => format!(
                "the team `{team}` is not one of [organization] teams ({})",
                teams.join(", ")
            ),
        });
    }
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
            team: r.get(5).map(str::to_owned),
        })
        .collect()
}
