//! Where upkeep keeps its clones, and how dates are written.

use anyhow::Context;
use std::path::PathBuf;
use upkeep_core::identities::Day;

/// Where clones of repositories given by URL are kept: `UPKEEP_CACHE`, or the user's cache directory.
pub fn clone_cache() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("UPKEEP_CACHE") {
        return Ok(PathBuf::from(dir));
    }
    Ok(dirs::cache_dir()
        .context("cannot find the user's cache directory; set UPKEEP_CACHE")?
        .join("upkeep")
        .join("repos"))
}

/// A time (seconds since the epoch) as its UTC day, YYYY-MM-DD.
pub fn date(seconds: i64) -> String {
    Day::from_unix_seconds(seconds).map_or_else(|| seconds.to_string(), |d| d.to_string())
}

/// A time (seconds since the epoch) as RFC 3339.
pub fn rfc3339(seconds: i64) -> Option<String> {
    jiff::Timestamp::from_second(seconds)
        .ok()
        .map(|t| t.to_string())
}
