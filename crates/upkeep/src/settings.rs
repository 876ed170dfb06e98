//! Where upkeep keeps its files, and the arguments every verb shares.

use anyhow::{Context, bail};
use std::path::PathBuf;
use upkeep_core::identities::Day;
use upkeep_core::metrics::Window;

/// The store options shared by every verb that reads or writes the database.
#[derive(clap::Args, Debug, Clone)]
pub struct StoreArgs {
    /// The database file [default: upkeep.db in the user's data directory].
    #[arg(long, env = "UPKEEP_DB", value_name = "PATH", global = true)]
    pub db: Option<PathBuf>,
}

impl StoreArgs {
    /// The database path: `--db`, `UPKEEP_DB`, or the default in the user's data directory.
    pub fn db_path(&self) -> anyhow::Result<PathBuf> {
        match &self.db {
            Some(path) => Ok(path.clone()),
            None => Ok(dirs::data_dir()
                .context("cannot find the user's data directory; choose a database with --db or UPKEEP_DB")?
                .join("upkeep")
                .join("upkeep.db")),
        }
    }

    /// Opens the store, saying so if another run holds it.
    pub fn open(&self) -> anyhow::Result<upkeep_store::Store> {
        let path = self.db_path()?;
        let store = upkeep_store::Store::open(&path, || {
            eprintln!(
                "waiting for another upkeep run that is using {}…",
                path.display()
            )
        })?;
        Ok(store)
    }
}

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

/// How results are printed on stdout.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// One JSON document.
    Json,
}

/// The configuration file option shared by the verbs that read or record decisions.
#[derive(clap::Args, Debug, Clone)]
pub struct ConfigArgs {
    /// The configuration file with recorded identity decisions, affiliations and bots.
    #[arg(
        long,
        env = "UPKEEP_CONFIG",
        value_name = "PATH",
        default_value = "upkeep.toml",
        global = true
    )]
    pub config: PathBuf,
}

impl ConfigArgs {
    /// Reads the configuration (a missing file is an empty one).
    pub fn load(&self) -> anyhow::Result<crate::config::Config> {
        crate::config::Config::load(&self.config)
    }
}

/// The time window shared by the verbs that compute metrics.
#[derive(clap::Args, Debug, Clone)]
pub struct WindowArgs {
    /// First day of the window (YYYY-MM-DD, UTC) [default: 365 days before --until].
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// First day after the window (YYYY-MM-DD, UTC) [default: now].
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
}

const DAY: i64 = 86_400;

impl WindowArgs {
    /// The window `[since, until)`; `now` in seconds since the epoch.
    pub fn window(&self, now: i64) -> anyhow::Result<Window> {
        let until = match &self.until {
            Some(text) => day_start(text, "--until")?,
            None => now,
        };
        let since = match &self.since {
            Some(text) => day_start(text, "--since")?,
            None => until - 365 * DAY,
        };
        if since >= until {
            bail!(
                "the window is empty: --since {} is not before --until {}",
                date(since),
                date(until)
            );
        }
        Ok(Window { since, until })
    }
}

fn day_start(text: &str, flag: &str) -> anyhow::Result<i64> {
    let day =
        Day::parse(text).with_context(|| format!("{flag} {text} is not a YYYY-MM-DD date"))?;
    day.to_string()
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp().as_second())
        .with_context(|| format!("{flag} {text} is out of range"))
}

/// A time (seconds since the epoch) as its UTC day, YYYY-MM-DD.
pub fn date(seconds: i64) -> String {
    Day::from_unix_seconds(seconds).map_or_else(|| seconds.to_string(), |d| d.to_string())
}
