//! RFC 3339 timestamps (GitHub's `2020-04-07T11:21:12Z`, GitLab's
//! `2014-04-03T15:27:02.000Z`) as seconds since the epoch, and back.

/// Parses an RFC 3339 timestamp.
pub fn seconds(text: &str) -> Result<i64, String> {
    text.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|e| format!("bad timestamp {text:?}: {e}"))
}

/// Parses an optional timestamp.
pub fn seconds_opt(text: Option<&str>) -> Result<Option<i64>, String> {
    text.map(seconds).transpose()
}

/// Formats seconds since the epoch as GitHub writes them (and GitLab reads them).
pub fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}
