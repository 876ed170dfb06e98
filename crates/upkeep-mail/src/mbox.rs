//! Splitting an mbox into messages: each starts with a `From ` line at the
//! start of the file or after an empty line (mboxo, mboxrd and pipermail's
//! archives all write one) that carries a time (`From a@x  Wed Sep 22
//! 05:05:28 2004`), so a body's unescaped "From here on" stays in its
//! message; and reading each.

use crate::message;
use std::collections::BTreeMap;
use upkeep_core::events::ListMessage;

/// What an mbox held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The messages read, in file order.
    pub messages: Vec<ListMessage>,
    /// Messages left out, by reason (`no Message-ID`, `no readable Date`, …).
    pub skipped: BTreeMap<&'static str, u64>,
}

impl Parsed {
    /// Adds what another file held.
    pub fn extend(&mut self, other: Parsed) {
        self.messages.extend(other.messages);
        for (reason, n) in other.skipped {
            *self.skipped.entry(reason).or_default() += n;
        }
    }
}

/// The gzip magic number.
const GZIP: &[u8] = &[0x1f, 0x8b];

/// The most bytes a compressed archive may inflate to.
pub const MAX_INFLATED: u64 = 1 << 30;

/// The most a compressed archive may grow when inflated: mail compresses
/// about tenfold; a thousandfold is a bomb.
pub const MAX_RATIO: u64 = 100;

/// Reads every message of `data`, an mbox, gunzipped first when it is
/// gzip-compressed (inflating at most [`MAX_RATIO`] times its size and
/// [`MAX_INFLATED`] bytes). A compressed stream cut off in the middle is an
/// error (the archive is incomplete), and so is data with no message in it
/// (not an mbox); everything else is read or skipped.
pub fn parse_mbox(data: &[u8]) -> std::io::Result<Parsed> {
    let invalid = |message: String| std::io::Error::new(std::io::ErrorKind::InvalidData, message);
    let parsed = if data.starts_with(GZIP) {
        let plain = upkeep_input::gunzip(data, MAX_RATIO, MAX_INFLATED).map_err(|e| match e {
            upkeep_input::Inflate::Io(e) => e,
            bomb => invalid(bomb.to_string()),
        })?;
        parse_plain(&plain)
    } else {
        parse_plain(data)
    };
    let blank = data.iter().all(u8::is_ascii_whitespace);
    if parsed.messages.is_empty() && parsed.skipped.is_empty() && !blank {
        return Err(invalid(
            "not an mbox: no line `From SENDER DATE` starts a message".into(),
        ));
    }
    Ok(parsed)
}

/// Messages parsed per task: large enough that scheduling costs nothing.
const CHUNK: usize = 512;

/// Reads the messages of `data` on every core, keeping file order.
fn parse_plain(data: &[u8]) -> Parsed {
    use rayon::prelude::*;
    let raws = split(data);
    let results: Vec<Result<ListMessage, &'static str>> = raws
        .par_chunks(CHUNK)
        .flat_map_iter(|chunk| chunk.iter().map(|raw| message::parse(raw)))
        .collect();
    let mut out = Parsed::default();
    out.messages.reserve(results.len());
    for result in results {
        match result {
            Ok(m) => out.messages.push(m),
            Err(reason) => *out.skipped.entry(reason).or_default() += 1,
        }
    }
    out
}

/// The messages of `data`, each without its `From ` line.
fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut starts: Vec<usize> = Vec::new();
    if data.starts_with(b"From ") {
        starts.push(0);
    }
    for at in memchr::memmem::find_iter(data, b"\nFrom ") {
        let before = &data[..at];
        if (before.ends_with(b"\n") || before.ends_with(b"\n\r")) && has_time(&data[at + 1..]) {
            starts.push(at + 1);
        }
    }
    let mut out = Vec::with_capacity(starts.len());
    for (i, start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(data.len());
        let chunk = &data[*start..end];
        let body =
            memchr::memchr(b'\n', chunk).map_or(&chunk[chunk.len()..], |nl| &chunk[nl + 1..]);
        out.push(body);
    }
    out
}

/// Whether the first line of `line` has a `HH:MM` time in it.
fn has_time(line: &[u8]) -> bool {
    let end = memchr::memchr(b'\n', line).unwrap_or(line.len());
    line[..end].windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == b':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_lines_start_messages_only_after_an_empty_line() {
        let data = b"From a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nFrom here on, prose.\n\nFrom b@x Mon Jan  1 00:00:00 2024\nSubject: two\n\nbody\n";
        let parts = split(data);
        assert_eq!(parts.len(), 2);
        assert!(parts[0].starts_with(b"Subject: one"));
        assert!(parts[1].starts_with(b"Subject: two"));
    }
}
