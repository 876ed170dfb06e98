//! One message: the headers it needs (each decoded by mailparse, which
//! knows RFC 2047 words and declared charsets; the many others, `Received:`
//! and `X-…`, are skipped unread) and the trailers of its body.

use crate::{body, sender, subject};
use upkeep_core::events::ListMessage;

/// The headers read, lower-cased.
const WANTED: [&[u8]; 7] = [
    b"message-id",
    b"date",
    b"subject",
    b"in-reply-to",
    b"references",
    b"from",
    b"list-id",
];

/// The first of each wanted header of `raw` (decoded), and where the body starts.
fn headers(raw: &[u8]) -> Result<([Option<String>; 7], usize), &'static str> {
    let mut found: [Option<String>; 7] = Default::default();
    let mut at = 0;
    let mut any = false;
    while at < raw.len() {
        let end = memchr::memchr(b'\n', &raw[at..]).map_or(raw.len(), |i| at + i + 1);
        let line = &raw[at..end];
        if line == b"\n" || line == b"\r\n" {
            return Ok((found, end));
        }
        // A header and its continuation lines.
        let mut stop = end;
        while stop < raw.len() && matches!(raw[stop], b' ' | b'\t') {
            stop = memchr::memchr(b'\n', &raw[stop..]).map_or(raw.len(), |i| stop + i + 1);
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            if !any {
                return Err("malformed headers");
            }
            at = stop;
            continue;
        };
        any = true;
        let name = line[..colon].trim_ascii();
        if let Some(i) = WANTED.iter().position(|w| w.eq_ignore_ascii_case(name))
            && found[i].is_none()
            && let Ok((header, _)) = mailparse::parse_header(bounded(&raw[at..stop]))
        {
            found[i] = Some(header.get_value());
        }
        at = stop;
    }
    Ok((found, raw.len()))
}

/// The longest header decoded whole when it holds RFC 2047 encoded words
/// (their decoding grows with the square of their number): a longer one is
/// cut at this length, at a line break or a space.
pub const MAX_ENCODED_HEADER: usize = 16 * 1024;

/// `header`, cut to [`MAX_ENCODED_HEADER`] bytes when it holds encoded words.
fn bounded(header: &[u8]) -> &[u8] {
    if header.len() <= MAX_ENCODED_HEADER || memchr::memmem::find(header, b"=?").is_none() {
        return header;
    }
    let cut = &header[..MAX_ENCODED_HEADER];
    let at = cut
        .iter()
        .rposition(|b| matches!(b, b' ' | b'\t' | b'\n'))
        .unwrap_or(MAX_ENCODED_HEADER);
    &header[..at]
}

/// Reads the message `raw` (headers, an empty line, the body), or says why it
/// is left out.
pub fn parse(raw: &[u8]) -> Result<ListMessage, &'static str> {
    let (found, body_at) = headers(raw)?;
    let value = |name: &str| {
        let i = WANTED
            .iter()
            .position(|w| w.eq_ignore_ascii_case(name.as_bytes()))?;
        found[i].clone()
    };
    let message_id = value("Message-ID")
        .as_deref()
        .and_then(|v| ids(v).into_iter().next())
        .ok_or("no Message-ID")?;
    let date = value("Date")
        .filter(|d| !d.trim().is_empty())
        .ok_or("no Date")?;
    let time = date_time(&date)?;
    let subject = value("Subject").unwrap_or_default();
    let in_reply_to = value("In-Reply-To")
        .as_deref()
        .and_then(|v| ids(v).into_iter().next());
    let (from_name, from_email) = value("From")
        .as_deref()
        .map(sender::sender)
        .unwrap_or_default();
    let patch = subject::patch_tag(&subject);
    Ok(ListMessage {
        message_id,
        in_reply_to,
        references: value("References").as_deref().map(ids).unwrap_or_default(),
        from_name,
        from_email,
        time,
        offset_minutes: offset(&date),
        subject: subject.trim().to_owned(),
        patch,
        list_id: value("List-Id").as_deref().and_then(list_id),
        trailers: body::trailers(&raw[body_at.min(raw.len())..]),
    })
}

/// The time a `Date` header says, in seconds since the epoch: RFC 2822 with
/// its obsolete forms (two-digit years, zone names, comments), else a
/// lenient reading of a damaged header (`RANDOM_Wed, 21 Sep 2016 …`) when
/// the day it reads is the day the header writes. A date that does not
/// exist (`29 Feb 2023`, which a lenient reader takes for 1 March) or before
/// 1971 (`-1`, `1e308`, read as 0) is no date: the message is skipped and
/// counted.
fn date_time(date: &str) -> Result<i64, &'static str> {
    let time = match jiff::fmt::rfc2822::parse(date.trim()) {
        Ok(zoned) => zoned.timestamp().as_second(),
        Err(_) => {
            let time = mailparse::dateparse(date).map_err(|_| "no readable Date")?;
            let local = time + i64::from(offset(date)) * 60;
            let day = jiff::Timestamp::from_second(local)
                .map_err(|_| "no readable Date")?
                .to_zoned(jiff::tz::TimeZone::UTC)
                .day()
                .to_string();
            let written = date
                .split(|c: char| !c.is_ascii_digit())
                .any(|token| token.trim_start_matches('0') == day);
            if !written {
                return Err("an impossible Date");
            }
            time
        }
    };
    if time < FIRST_DATE {
        return Err("a Date before 1971");
    }
    Ok(time)
}

/// 1971-01-01: no list message is older.
const FIRST_DATE: i64 = 31_536_000;

/// The ids of a header that lists message ids (`<a@x> <b@y>`); a bare id
/// without brackets counts as one.
fn ids(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let id = rest[open + 1..open + close].trim();
        if !id.is_empty() {
            out.push(id.to_owned());
        }
        rest = &rest[open + close + 1..];
    }
    if out.is_empty() {
        let bare = value.split_whitespace().next().unwrap_or("");
        if !bare.is_empty() {
            out.push(bare.to_owned());
        }
    }
    out
}

/// The UTC offset a Date header states (`+0200`, `-0700 (PDT)`), in minutes; 0 when none.
fn offset(date: &str) -> i32 {
    date.split_whitespace()
        .rev()
        .find_map(|word| {
            let (sign, digits) = match word.as_bytes().first()? {
                b'+' => (1, &word[1..]),
                b'-' => (-1, &word[1..]),
                _ => return None,
            };
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let hours: i32 = digits[..2].parse().ok()?;
            let minutes: i32 = digits[2..].parse().ok()?;
            Some(sign * (hours * 60 + minutes))
        })
        .unwrap_or(0)
}

/// The list's id from a List-Id header (`Name <dev.kafka.apache.org>`).
fn list_id(value: &str) -> Option<String> {
    ids(value).pop().filter(|id| id.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_of_many_encoded_words_is_decoded_in_bounded_time() {
        // 100,000 encoded words (2.1 MB): cut to 16 KB at a space, then
        // decoded; the subject keeps its first words.
        let words = "=?UTF-8?Q?caf=C3=A9?= ".repeat(100_000);
        let raw = format!(
            "Message-ID: <a@x>\nDate: Thu, 1 Dec 2005 14:56:53 -0800\nSubject: {words}\n\nbody\n"
        );
        let m = parse(raw.as_bytes()).expect("parses");
        assert!(m.subject.starts_with("café"), "{}", &m.subject[..40]);
        assert!(m.subject.len() < MAX_ENCODED_HEADER);
    }

    #[test]
    fn impossible_and_broken_dates_are_no_dates() {
        assert_eq!(date_time("-1"), Err("a Date before 1971"));
        assert_eq!(date_time("1e308"), Err("a Date before 1971"));
        assert_eq!(
            date_time("Wed, 29 Feb 2023 10:00:00 +0000"),
            Err("an impossible Date")
        );
        // 2024 is a leap year.
        assert_eq!(
            date_time("Thu, 29 Feb 2024 10:00:00 +0000"),
            Ok(1_709_200_800)
        );
        assert_eq!(date_time("1 Jan 01 10:00 GMT"), Ok(978_343_200));
        // Junk before a readable date: read leniently (21 Sep 2016 19:42:07Z).
        assert_eq!(
            date_time("RANDOM_Wed, 21 Sep 2016 22:42:07 +0300"),
            Ok(1_474_486_927)
        );
    }

    #[test]
    fn offsets() {
        assert_eq!(offset("Wed, 22 Sep 2004 02:03:40 -0700"), -420);
        assert_eq!(offset("Sat, 24 Aug 2002 01:24:49 +0800 (CST)"), 480);
        assert_eq!(offset("Thu, 14 Apr 2016 11:06:56 +0530"), 330);
        assert_eq!(offset("Thu, 14 Apr 2016 11:06:56 GMT"), 0);
    }

    #[test]
    fn id_lists() {
        assert_eq!(ids("<a@x> <b@y>"), ["a@x", "b@y"]);
        assert_eq!(ids("<a@x> (Bob's message of Monday)"), ["a@x"]);
        assert_eq!(ids("bare@id"), ["bare@id"]);
        assert!(ids("  ").is_empty());
    }
}
