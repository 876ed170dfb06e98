//! Where upkeep keeps its files, and the arguments every verb shares.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
pub use upkeep_app::paths::{clone_cache, date};
use upkeep_core::identities::Day;
use upkeep_core::metrics::Window;

/// The store options shared by every verb that reads or writes the database.
#[derive(clap::Args, Debug, Clone)]
pub struct StoreArgs {
    /// The store: a SQLite file, or a shared PostgreSQL database as
    /// `postgres://USER@HOST[:PORT]/DATABASE[?schema=NAME&sslmode=MODE&sslrootcert=FILE]`
    /// (the password from the URL or PGPASSWORD; TLS `require` by default for
    /// a remote host, `verify-full` to check its certificate) [default:
    /// upkeep.db in the user's data directory].
    #[arg(long, env = "UPKEEP_DB", value_name = "PATH|URL", global = true)]
    pub db: Option<std::ffi::OsString>,
}

impl StoreArgs {
    /// The store's location: `--db`, `UPKEEP_DB`, or the default file in the user's data directory.
    pub fn location(&self) -> anyhow::Result<upkeep_store::Location> {
        match &self.db {
            Some(db) => Ok(upkeep_store::Location::parse(db)?),
            None => Ok(upkeep_store::Location::File(
                dirs::data_dir()
                    .context("cannot find the user's data directory; choose a database with --db or UPKEEP_DB")?
                    .join("upkeep")
                    .join("upkeep.db"),
            )),
        }
    }

    /// Opens the store, saying so if another run holds it.
    pub fn open(&self) -> anyhow::Result<upkeep_store::Store> {
        let location = self.location()?;
        let store = upkeep_store::Store::open_at(&location, || {
            eprintln!("waiting for another upkeep run that is using {location}…")
        })?;
        Ok(store)
    }

    /// Opens the store to read only, beside running writers.
    pub fn open_read_only(&self) -> anyhow::Result<upkeep_store::Store> {
        Ok(upkeep_store::Store::open_read_only_at(&self.location()?)?)
    }
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

/// How a document (report, ledger, portfolio) is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DocFormat {
    /// For a terminal.
    #[default]
    Table,
    /// The JSON contract (docs/report-json.md, contributions-json.md, deps-json.md).
    Json,
    /// Markdown, to paste or publish.
    Markdown,
    /// One line per metric, KPI, upstream or package.
    Csv,
    /// One self-contained HTML page with inline SVG charts (opens offline).
    Html,
}

impl From<DocFormat> for upkeep_report::Format {
    fn from(f: DocFormat) -> Self {
        match f {
            DocFormat::Table => upkeep_report::Format::Table,
            DocFormat::Json => upkeep_report::Format::Json,
            DocFormat::Markdown => upkeep_report::Format::Markdown,
            DocFormat::Csv => upkeep_report::Format::Csv,
            DocFormat::Html => upkeep_report::Format::Html,
        }
    }
}

/// Prints `document` in `format` on standard output.
pub fn print_document(
    document: &impl upkeep_report::Render,
    format: DocFormat,
) -> anyhow::Result<()> {
    use std::io::Write;
    let text = document.render(format.into())?;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// The configuration file option shared by the verbs that read or record decisions.
#[derive(clap::Args, Debug, Clone)]
pub struct ConfigArgs {
    /// The configuration file with recorded identity decisions, affiliations
    /// and bots [default: upkeep.toml, when it exists].
    #[arg(long, env = "UPKEEP_CONFIG", value_name = "PATH", global = true)]
    config: Option<PathBuf>,
}

/// The configuration file read when none is named.
const DEFAULT_CONFIG: &str = "upkeep.toml";

impl ConfigArgs {
    /// The configuration file: the one named, else `upkeep.toml`.
    pub fn path(&self) -> &Path {
        self.config.as_deref().unwrap_or(Path::new(DEFAULT_CONFIG))
    }

    /// Reads the configuration: a file named with `--config` (or
    /// `UPKEEP_CONFIG`) must exist; a missing `upkeep.toml` is an empty one.
    pub fn load(&self) -> anyhow::Result<upkeep_app::config::Config> {
        if let Some(path) = &self.config
            && !path.exists()
        {
            anyhow::bail!(
                "the configuration file {} does not exist (check --config or UPKEEP_CONFIG)",
                path.display()
            );
        }
        upkeep_app::config::Config::load(self.path())
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

/// The start (UTC) of the day `text` (YYYY-MM-DD), given as `flag`.
pub fn day_start(text: &str, flag: &str) -> anyhow::Result<i64> {
    let day =
        Day::parse(text).with_context(|| format!("{flag} {text} is not a YYYY-MM-DD date"))?;
    day.to_string()
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp().as_second())
        .with_context(|| format!("{flag} {text} is out of range"))
}

/// Forge options shared by the verbs that mine.
#[derive(clap::Args, Debug, Clone)]
pub struct ForgeArgs {
    /// The repository on GitHub, when neither its URL nor its `origin` remote says
    /// [default: from the URL or the origin remote]. Set GITHUB_API_URL for GitHub Enterprise Server.
    #[arg(long, value_name = "OWNER/NAME", conflicts_with = "no_forge")]
    forge: Option<String>,
    /// Do not fetch issues, pull requests, reviews and releases from the forge.
    #[arg(long)]
    no_forge: bool,
    /// Stop the forge sync after N requests; the next run resumes where it stopped.
    #[arg(long, value_name = "N")]
    max_requests: Option<u64>,
    /// A JIRA site whose project (--jira-project) holds the repository's issues,
    /// e.g. https://issues.apache.org/jira; remembered for later runs. JIRA_TOKEN
    /// (with JIRA_USER on Atlassian Cloud) for sites that need one.
    #[arg(
        long,
        value_name = "URL",
        requires = "jira_project",
        conflicts_with = "no_forge"
    )]
    jira: Option<String>,
    /// The JIRA project's key, e.g. KAFKA.
    #[arg(long, value_name = "KEY", requires = "jira")]
    jira_project: Option<String>,
    /// The repository's GitLab site and project, when neither its URL nor its
    /// `origin` remote says, e.g. `--gitlab https://gitlab.gnome.org GNOME/gnome-shell`;
    /// remembered for later runs. GITLAB_TOKEN for private projects and members.
    #[arg(
        long,
        num_args = 2,
        value_names = ["URL", "GROUP/PROJECT"],
        conflicts_with = "no_forge"
    )]
    gitlab: Option<Vec<String>>,
    /// Do not check the project's packages against known vulnerabilities. By
    /// default the packages a repository publishes (its manifests at the tip,
    /// the registries naming it, or upkeep.toml's `[[projects]] packages`) are
    /// looked up on OSV (UPKEEP_OSV_URL, else https://api.osv.dev), and the
    /// registries say when each fixed version shipped.
    #[arg(long)]
    no_advisories: bool,
    /// Ask neither OSV nor the registries: the advisories already stored are used.
    #[arg(long, conflicts_with = "no_advisories")]
    offline: bool,
    /// Do not read adoption signals. By default, at most once a day per
    /// repository: stars, forks and watchers from its forge, its most
    /// recently pushed forks compared with it, and its packages' downloads
    /// (crates.io, npm's downloads API at UPKEEP_NPM_DOWNLOADS_URL) and
    /// dependents (crates.io, deps.dev at UPKEEP_DEPSDEV_URL).
    #[arg(long)]
    no_adoption: bool,
}

impl ForgeArgs {
    /// The library's options.
    pub fn options(&self) -> upkeep_app::sources::forge::ForgeOptions {
        upkeep_app::sources::forge::ForgeOptions {
            forge: self.forge.clone(),
            no_forge: self.no_forge,
            max_requests: self.max_requests,
            jira: self.jira.clone().zip(self.jira_project.clone()),
            gitlab: self
                .gitlab
                .as_ref()
                .and_then(|v| Some((v.first()?.clone(), v.get(1)?.clone()))),
            pairings: Vec::new(),
            token: None,
            no_advisories: self.no_advisories,
            offline: self.offline,
            no_adoption: self.no_adoption,
        }
    }
}

/// A duration as `500ms`, `90s`, `30m`, `12h`, `1d` or a number of seconds.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?}: expected a number and a unit, e.g. 30s, 15m, 12h, 1d"))?;
    let millis = match unit.trim() {
        "ms" => 1,
        "" | "s" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        other => {
            return Err(format!(
                "{text:?}: unknown unit {other:?} (ms, s, m, h, d, w)"
            ));
        }
    };
    Ok(std::time::Duration::from_millis(n * millis))
}

/// The exit code after measuring `mined`: failure when a source of one of
/// them failed in this run (each was reported as a warning; the report used
/// what was stored before).
pub fn sources_exit(mined: &[upkeep_app::project::MinedRepo]) -> std::process::ExitCode {
    let failed: usize = mined.iter().map(|m| m.failed_sources).sum();
    if failed == 0 {
        return std::process::ExitCode::SUCCESS;
    }
    eprintln!("{failed} source(s) could not be synced; the data stored before was used");
    std::process::ExitCode::FAILURE
}
