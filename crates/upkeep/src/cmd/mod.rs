//! The verbs, one file each.

mod affiliations;
mod brief;
mod contributions;
mod db;
mod deps;
mod engagement;
mod enqueue;
#[cfg(feature = "parquet")]
mod export;
mod identities;
mod mine;
mod publish;
mod queue;
mod report;
mod roster;
#[cfg(feature = "server")]
mod serve;
mod worker;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// upkeep measures the health and sustainability of open-source communities:
/// who keeps a project alive, where it is fragile, and whether help is working.
#[derive(Parser)]
#[command(name = "upkeep", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Mine git histories, their forges (GitHub, GitLab, JIRA) and mailing lists into the store (only what is new).
    Mine(mine::Args),
    /// Report on a project's health: bus, truck and elephant factors, maintainers, releases, and more.
    Report(report::Args),
    /// Write a project's quarterly brief: what changed this quarter, as prose to edit.
    Brief(brief::Args),
    /// Rank the upstreams behind an SBOM or lockfile: critical to us, fragile, and where we can help.
    Deps(deps::Args),
    /// Our organization's upstream work per period, against our goals (the OSPO ledger).
    Contributions(contributions::Args),
    /// Publish a static site of projects: pages, JSON, badges.
    Publish(publish::Args),
    /// Serve the pages, a JSON API, badges and Prometheus metrics (read-only).
    #[cfg(feature = "server")]
    Serve(serve::Args),
    /// Keep our organization's roster of its people (the strongest affiliation).
    Roster(roster::Args),
    /// Record engagement by hand: talks, blog posts, meetups.
    Engagement(engagement::Args),
    /// People, bots and organizations over time; record identity decisions.
    Identities(identities::Args),
    /// Import organization data (CNCF gitdm files).
    Affiliations(affiliations::Args),
    /// Create or upgrade the store's schema; copy one store into another.
    Db(db::Args),
    /// Queue repositories, projects and lists for the fleet's workers (PostgreSQL store).
    Enqueue(enqueue::Args),
    /// Run queued jobs until stopped (one per machine, `--jobs` at once).
    Worker(worker::Args),
    /// What the fleet's queue holds: waiting, running, failed and why; shared tokens.
    Queue(queue::Args),
    /// Export the store's events as Parquet files (for DuckDB, Spark, Trino).
    #[cfg(feature = "parquet")]
    Export(export::Args),
}

/// Runs the chosen verb.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Mine(args) => mine::run(args),
        Command::Report(args) => report::run(args),
        Command::Brief(args) => brief::run(args),
        Command::Deps(args) => deps::run(args),
        Command::Contributions(args) => contributions::run(args),
        Command::Roster(args) => roster::run(args),
        Command::Publish(args) => publish::run(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::run(args),
        Command::Engagement(args) => engagement::run(args),
        Command::Identities(args) => identities::run(args),
        Command::Affiliations(args) => affiliations::run(args),
        Command::Db(args) => db::run(args),
        Command::Enqueue(args) => enqueue::run(args),
        Command::Worker(args) => worker::run(args),
        Command::Queue(args) => queue::run(args),
        #[cfg(feature = "parquet")]
        Command::Export(args) => export::run(args),
    }
}
