//! `upkeep identities`: who is who, which organization they were with, and
//! the decisions that correct it.

use crate::settings::{ConfigArgs, Format, StoreArgs};
use anyhow::bail;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;
use upkeep_app::config::{self, Decision};
use upkeep_app::identities::{Resolved, resolve};
use upkeep_core::identities::organizations::{Stint, timeline};
use upkeep_core::identities::people::Person;
use upkeep_core::identities::suggest::suggest;
use upkeep_report::{Frame, listing, terminal};
use upkeep_store::Authored;

/// People, bots and organizations over time.
///
/// Everyone seen in the mined repositories (authors, committers, people named
/// in trailers) is grouped into people by `.mailmap`, the same address, the
/// GitHub login behind noreply addresses, and the decisions recorded in the
/// configuration file. People who only share a name are never merged
/// automatically: `suggest` lists them, `merge` and `split` record a decision.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Everyone, most active first, with their organization at their latest contribution.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Every name, address and login of a person, their organizations over time, and where each fact came from.
    Show {
        /// An address, a login (`login:NAME`), a name, or a person's key.
        person: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Likely duplicates the rules did not merge (same name, different address), with evidence.
    Suggest {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Record that two addresses belong to one person.
    Merge {
        /// An address of the person.
        a: String,
        /// Another address of the same person.
        b: String,
        /// Why (kept in the file for reviewers).
        #[arg(long)]
        note: Option<String>,
    },
    /// Record that two addresses belong to different people, whatever the rules say.
    Split {
        /// An address of one person.
        a: String,
        /// An address of another person.
        b: String,
        /// Why (kept in the file for reviewers).
        #[arg(long)]
        note: Option<String>,
    },
}

/// One row of `identities list`.
#[derive(Serialize)]
struct Row<'a> {
    key: &'a str,
    name: &'a str,
    emails: usize,
    logins: Vec<&'a str>,
    bot: bool,
    kind: &'static str,
    seen: u64,
    commits: usize,
    organization: Option<String>,
}

/// What `identities show` prints.
#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    person: &'a Person,
    organizations: Vec<Stint>,
}

/// Runs the chosen subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = args.config.load()?;
    let store = args.store.open()?;
    let resolved = resolve(&store, &config)?;
    for (table, account) in upkeep_app::identities::unmatched_accounts(&resolved.people, &config) {
        eprintln!(
            "warning: [{table}] account {:?} matches nobody seen (no name, address or login of a mined repository)",
            terminal(&account)
        );
    }
    let mut out = std::io::stdout().lock();
    match args.command {
        Command::List { format } => list(&resolved, &store.authored(None)?, format, &mut out)?,
        Command::Show { person, format } => {
            let found = resolved.people.find(&person);
            if found.is_empty() {
                bail!(
                    "no person matches {person}; try an address, a login (login:NAME) or a name from `upkeep identities list`"
                );
            }
            show(&resolved, &store.authored(None)?, &found, format, &mut out)?;
        }
        Command::Suggest { format } => {
            let suggestions = suggest(&resolved.people);
            if format == Format::Json {
                serde_json::to_writer_pretty(&mut out, &suggestions)?;
                writeln!(out)?;
            } else if suggestions.is_empty() {
                writeln!(out, "no likely duplicates")?;
            } else {
                let table = listing(
                    Frame::Borders,
                    &["confidence", "person", "maybe also", "evidence"],
                    suggestions.iter().map(|s| {
                        [
                            format!("{:.2}", s.confidence),
                            s.keep.clone(),
                            s.other.clone(),
                            s.evidence.join("; "),
                        ]
                    }),
                );
                writeln!(out, "{table}")?;
                writeln!(
                    out,
                    "record a decision with: upkeep identities merge A B  (or split A B)"
                )?;
            }
        }
        Command::Merge { a, b, note } => {
            record(&args.config, &resolved, Decision::Merge, &a, &b, note)?
        }
        Command::Split { a, b, note } => {
            record(&args.config, &resolved, Decision::Split, &a, &b, note)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Records a merge or split of two mined addresses in the configuration file.
fn record(
    config: &ConfigArgs,
    resolved: &Resolved,
    decision: Decision,
    a: &str,
    b: &str,
    note: Option<String>,
) -> anyhow::Result<()> {
    for address in [a, b] {
        if resolved.people.find(address).is_empty() {
            bail!(
                "no mined identity has the address or login {address}; check the spelling with `upkeep identities list`"
            );
        }
    }
    config::record(config.path(), decision, a, b, note.as_deref())?;
    println!(
        "recorded in {}: {} {a} {b}",
        config.path().display(),
        decision.name()
    );
    Ok(())
}

fn list(
    resolved: &Resolved,
    authored: &[Authored],
    format: Format,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let activities = resolved.activities(authored);
    let rows: Vec<Row<'_>> = resolved
        .people
        .all()
        .iter()
        .map(|p| {
            let activity = activities.get(&p.key);
            let organization = activity
                .and_then(|a| a.last())
                .and_then(|(day, email)| resolved.affiliations.credit(p, email, *day).organization);
            Row {
                key: &p.key,
                name: &p.name,
                emails: p.emails.len(),
                logins: p.logins.iter().map(String::as_str).collect(),
                bot: p.bot.is_some(),
                kind: p.kind.name(),
                seen: p.count,
                commits: activity.map_or(0, Vec::len),
                organization,
            }
        })
        .collect();
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
        return Ok(());
    }
    let table = listing(
        Frame::Borders,
        &[
            "person",
            "name",
            "addresses",
            "commits",
            "organization (latest)",
            "kind",
        ],
        rows.iter().map(|r| {
            [
                r.key.to_owned(),
                r.name.to_owned(),
                r.emails.to_string(),
                r.commits.to_string(),
                r.organization.clone().unwrap_or_else(|| "unknown".into()),
                if r.bot { r.kind.into() } else { String::new() },
            ]
        }),
    );
    let bots = rows.iter().filter(|r| r.bot).count();
    let unknown = rows
        .iter()
        .filter(|r| !r.bot && r.organization.is_none())
        .count();
    writeln!(out, "{table}")?;
    writeln!(
        out,
        "{} people ({bots} bots); organization unknown for {unknown} of {} people",
        rows.len(),
        rows.len() - bots
    )?;
    Ok(())
}

fn show(
    resolved: &Resolved,
    authored: &[Authored],
    found: &[&Person],
    format: Format,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let activities = resolved.activities(authored);
    let shown: Vec<Shown<'_>> = found
        .iter()
        .map(|p| Shown {
            person: p,
            organizations: timeline(
                &resolved.affiliations,
                p,
                activities.get(&p.key).map_or(&[][..], Vec::as_slice),
            ),
        })
        .collect();
    if format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, &shown)?;
        writeln!(out)?;
        return Ok(());
    }
    for s in &shown {
        let p = s.person;
        let joined = |set: &std::collections::BTreeSet<String>| {
            terminal(&set.iter().cloned().collect::<Vec<_>>().join(", "))
        };
        writeln!(out, "{} ({})", terminal(&p.name), terminal(&p.key))?;
        writeln!(out, "  names      {}", joined(&p.names))?;
        writeln!(out, "  addresses  {}", joined(&p.emails))?;
        if !p.logins.is_empty() {
            writeln!(out, "  logins     {}", joined(&p.logins))?;
        }
        if let Some(reason) = &p.bot {
            writeln!(out, "  bot        yes: {}", terminal(reason))?;
        }
        writeln!(out, "  organizations")?;
        if s.organizations.is_empty() {
            writeln!(out, "    no authored commits")?;
        }
        for stint in &s.organizations {
            let source = stint
                .source
                .map(|src| format!("{src:?}").to_lowercase())
                .unwrap_or_else(|| "no source".into());
            writeln!(
                out,
                "    {} … {}  {}  ({} commits; {source})",
                stint.first,
                stint.last,
                terminal(stint.organization.as_deref().unwrap_or("unknown")),
                stint.contributions
            )?;
        }
        writeln!(out, "  facts")?;
        for fact in &p.facts {
            writeln!(out, "    {} [{:?}]", terminal(&fact.text), fact.source)?;
        }
    }
    Ok(())
}
