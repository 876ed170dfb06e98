//! The plain tables and figures of the CLI's own listings (`mine`'s summary,
//! `identities`, `queue`, `roster`): every cell escaped for a terminal here,
//! so no verb draws a table or escapes text itself.

use crate::text::terminal;
use comfy_table::{Table, presets};

/// How a listing's table is framed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// Lines around the table and under the header.
    Borders,
    /// Aligned columns only (wide listings such as the job queue).
    None,
}

/// A table of `header` and `rows`, each cell stripped of control characters.
pub fn listing<R, C>(frame: Frame, header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut table = Table::new();
    table.load_preset(match frame {
        Frame::Borders => presets::UTF8_BORDERS_ONLY,
        Frame::None => presets::NOTHING,
    });
    table.set_header(header.iter().copied());
    for row in rows {
        table.add_row(row.into_iter().map(|cell| terminal(&cell)));
    }
    table.to_string()
}

/// A count with thousands separated by commas (`81,966`).
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The UTC day of `seconds` since the epoch, as `YYYY-MM-DD`.
pub fn day(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped_and_counts_grouped() {
        let table = listing(
            Frame::None,
            &["who", "commits"],
            [vec!["ann\u{1b}[31m".to_owned(), thousands(81_966)]],
        );
        assert!(table.contains("ann\\x1b[31m"), "{table}");
        assert!(!table.contains('\u{1b}'));
        assert!(table.contains("81,966"));
        assert_eq!(thousands(-1_234_567), "-1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(day(1_700_000_000), "2023-11-14");
    }
}
