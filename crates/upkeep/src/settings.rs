//! Where upkeep keeps its files, and the arguments every verb shares.

use anyhow::Context;
use std::path::PathBuf;

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
