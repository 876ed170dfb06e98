//! Reading the CSV files people keep by hand (a roster, engagement entries):
//! fixed columns, an optional header row, every malformed line reported as
//! `file:line: what is wrong`, and nothing returned unless every line is good,
//! so an import is never half-applied.

use anyhow::{Context, bail};
use std::path::Path;
use upkeep_core::identities::Day;

/// One data row: its line number and its cells (trimmed; empty cells are `None`).
pub struct Row {
    /// The 1-based line.
    pub line: usize,
    /// The cells, one per column.
    pub cells: Vec<Option<String>>,
}

impl Row {
    /// The cell of column `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.cells.get(i).and_then(|c| c.as_deref())
    }
}

/// Reads `path` as CSV with `columns` (see [`parse`]); every problem is
/// reported on standard error, and any problem fails the whole read.
pub fn read(
    path: &Path,
    columns: Columns<'_>,
    check: impl Fn(&Row) -> Result<(), String>,
) -> anyhow::Result<Vec<Row>> {
    let text = upkeep_input::read_text(path, upkeep_input::Kind::Table)
        .context("cannot read the table; nothing was imported")?;
    let shown = path.display().to_string();
    parse(&text, &shown, columns, check).or_else(|problems| {
        for p in &problems {
            eprintln!("{p}");
        }
        bail!(
            "{} malformed line{} in {shown}; nothing was imported",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
        )
    })
}

/// The columns of a table: their names in order, and how many of the first
/// are required (the others may be left out of a row, at its end).
#[derive(Clone, Copy, Debug)]
pub struct Columns<'a> {
    /// Every column's name.
    pub names: &'a [&'a str],
    /// How many of the first must be in every row.
    pub required: usize,
}

impl<'a> Columns<'a> {
    /// Every column required.
    pub fn all(names: &'a [&'a str]) -> Self {
        Columns {
            names,
            required: names.len(),
        }
    }
}

/// Reads `text` (the file `shown`) as CSV with `columns` (a first row
/// naming them is a header and skipped), checking each row with `check`:
/// the rows (optional cells left out read as empty), or every problem as
/// `FILE:LINE: what`.
pub fn parse(
    text: &str,
    shown: &str,
    columns: Columns<'_>,
    check: impl Fn(&Row) -> Result<(), String>,
) -> Result<Vec<Row>, Vec<String>> {
    let (required, columns) = (columns.required, columns.names);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(i + 1, |p| p.line() as usize);
                problems.push(format!("{shown}:{line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        let cells: Vec<Option<String>> = record
            .iter()
            .map(|c| (!c.is_empty()).then(|| c.to_owned()))
            .collect();
        let is_header = i == 0
            && cells
                .iter()
                .zip(columns)
                .all(|(c, name)| c.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(name)));
        if is_header {
            continue;
        }
        if !(required..=columns.len()).contains(&cells.len()) {
            let expected = match required == columns.len() {
                true => columns.len().to_string(),
                false => format!("{} to {}", required, columns.len()),
            };
            problems.push(format!(
                "{shown}:{line}: {} columns, expected {expected} ({})",
                cells.len(),
                columns.join(",")
            ));
            continue;
        }
        let mut cells = cells;
        cells.resize(columns.len(), None);
        let row = Row { line, cells };
        match check(&row) {
            Ok(()) => rows.push(row),
            Err(why) => problems.push(format!("{shown}:{line}: {why}")),
        }
    }
    match problems.is_empty() {
        true => Ok(rows),
        false => Err(problems),
    }
}

/// An optional date cell: `None`, or a valid `YYYY-MM-DD`.
pub fn date(row: &Row, i: usize, name: &str) -> Result<Option<Day>, String> {
    match row.get(i) {
        None => Ok(None),
        Some(text) => Day::parse(text)
            .map(Some)
            .ok_or_else(|| format!("{name} `{text}` is not a YYYY-MM-DD date")),
    }
}
