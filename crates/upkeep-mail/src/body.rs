//! Trailers in a message's body that name people: `Reviewed-by:`,
//! `Acked-by:`, `Tested-by:` at the start of a line (quoted lines, `> …`,
//! are someone else's words and do not count).

use crate::sender::sender;
use upkeep_core::events::{RawText, Trailer};

/// Keys whose line in a reply is a review or a test of the patch.
const KEYS: &[&str] = &["Reviewed-by", "Acked-by", "Tested-by"];

/// The trailers of `body`, in order.
pub fn trailers(body: &[u8]) -> Vec<Trailer> {
    let mut out = Vec::new();
    // Most bodies have none: look for the common part of the keys first.
    if memchr::memmem::find(body, b"-by:").is_none() {
        return out;
    }
    for line in body.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = memchr::memchr(b':', line) else {
            continue;
        };
        let key = &line[..colon];
        let Some(canonical) = KEYS.iter().find(|k| k.as_bytes().eq_ignore_ascii_case(key)) else {
            continue;
        };
        let value = String::from_utf8_lossy(line[colon + 1..].trim_ascii()).into_owned();
        let (name, email) = sender(&value);
        out.push(Trailer {
            key: (*canonical).to_owned(),
            value: RawText::from(value.as_bytes()),
            name: (!name.is_empty()).then(|| RawText::from(name.as_bytes())),
            email: (!email.is_empty()).then(|| RawText::from(email.as_bytes())),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviews_in_a_reply() {
        let body = b"> Reviewed-by: Quoted <q@x.org>\nLooks good.\n\nReviewed-by: Simon Riggs <simon@example.com>\r\nacked-by: Tom\n";
        let got: Vec<(String, Option<String>)> = trailers(body)
            .into_iter()
            .map(|t| (t.key, t.email.map(|e| e.to_string())))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Reviewed-by".to_owned(),
                    Some("simon@example.com".to_owned())
                ),
                ("Acked-by".to_owned(), None)
            ]
        );
    }
}
