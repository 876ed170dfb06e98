//! `upkeep report`: is this project healthy, and where is it fragile?

use crate::mining::mine_repository;
use crate::resolving::resolve;
use crate::settings::{ConfigArgs, StoreArgs, clone_cache};
use anyhow::{Context, bail};
use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::process::ExitCode;
use upkeep_core::events::{ChangeKind, RawText, TipFileKind};
use upkeep_core::identities::Day;
use upkeep_core::identities::governance::{self, Named};
use upkeep_core::identities::people::Person;
use upkeep_core::metrics::maintainers::Landed;
use upkeep_core::metrics::releases::Release;
use upkeep_core::metrics::replacement_cost::Language;
use upkeep_core::metrics::report::{Inputs, compute, flags};
use upkeep_core::metrics::reviews::Review;
use upkeep_core::metrics::truck_factor::{self, FileChange};
use upkeep_core::metrics::{Contribution, Window};
use upkeep_git::mine::MineOptions;
use upkeep_report::{Report, Repository, WindowDates};

/// Report on the health of a project: one or more repositories, one window.
///
/// Mines first (incrementally, with the options each repository was last mined
/// with), then computes the metrics of DESIGN.md over the window [since, until),
/// by default the last 365 days. Bots are left out of contributor metrics
/// unless --include-bots.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project's repositories: local paths or clone URLs.
    #[arg(required = true, value_name = "REPOSITORY")]
    repositories: Vec<String>,
    /// First day of the window (YYYY-MM-DD, UTC) [default: 365 days before --until].
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// First day after the window (YYYY-MM-DD, UTC) [default: now].
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Count bots as contributors.
    #[arg(long)]
    include_bots: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: ReportFormat,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// How the report is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
enum ReportFormat {
    /// For a terminal.
    #[default]
    Table,
    /// The JSON contract (docs/report-json.md).
    Json,
    /// Markdown, to paste or publish.
    Markdown,
    /// One line per metric.
    Csv,
}

const DAY: i64 = 86_400;

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

fn date(seconds: i64) -> String {
    Day::from_unix_seconds(seconds).map_or_else(|| seconds.to_string(), |d| d.to_string())
}

fn rfc3339(seconds: i64) -> Option<String> {
    jiff::Timestamp::from_second(seconds)
        .ok()
        .map(|t| t.to_string())
}

/// Mines, computes and prints the report.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let now = jiff::Timestamp::now().as_second();
    let until = match &args.until {
        Some(text) => day_start(text, "--until")?,
        None => now,
    };
    let since = match &args.since {
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
    let config = args.config.load()?;
    let mut store = args.store.open()?;
    let cache = clone_cache()?;
    let mut repositories = Vec::new();
    let mut ids = Vec::new();
    let mut git_dirs = Vec::new();
    for arg in &args.repositories {
        let mined = mine_repository(
            &mut store,
            arg,
            &MineOptions::default(),
            false,
            &cache,
            true,
        )
        .with_context(|| format!("cannot report on {arg}"))?;
        let record = store
            .find_repository(&mined.location)?
            .with_context(|| format!("{} was mined but is not in the store", mined.location))?;
        ids.push(record.id);
        git_dirs.push(mined.git_dir.clone());
        repositories.push(Repository {
            location: mined.location,
            mined_at: record.mined_at.and_then(rfc3339),
        });
    }
    let resolved = resolve(&store, &config)?;
    // The person an identity belongs to, and their organization on a day.
    let person_of =
        |name: &RawText, email: &RawText| resolved.people.of(&name.to_string(), &email.to_string());
    let org_on = |person: &Person, email: &RawText, time: i64| {
        Day::from_unix_seconds(time).and_then(|day| {
            resolved
                .affiliations
                .credit(person, &email.to_string(), day)
                .organization
        })
    };
    let contributions: Vec<Contribution> = store
        .authored(Some(&ids))?
        .into_iter()
        .filter_map(|a| {
            let person = person_of(&a.name, &a.email)?;
            Some(Contribution {
                person: person.key.clone(),
                organization: org_on(person, &a.email, a.time),
                time: a.time,
                offset_minutes: a.offset_minutes,
                bot: person.bot.is_some(),
            })
        })
        .collect();
    let mut releases = Vec::new();
    for id in &ids {
        for tag in store.tagged_releases(*id)? {
            let by = tag
                .by
                .as_ref()
                .and_then(|(name, email)| Some((person_of(name, email)?, email)));
            let name = tag.name.to_string();
            releases.push(Release {
                prerelease: upkeep_core::events::is_prerelease(&name),
                name,
                time: tag.time,
                person: by.map(|(p, _)| p.key.clone()),
                organization: by.and_then(|(p, email)| org_on(p, email, tag.time)),
            });
        }
    }
    let reviews: Vec<Review> = store
        .review_trailers_in(&ids)?
        .into_iter()
        .filter_map(|t| {
            let person = person_of(&t.reviewer.0, &t.reviewer.1)?;
            Some(Review {
                person: person.key.clone(),
                organization: org_on(person, &t.reviewer.1, t.time),
                time: t.time,
                bot: person.bot.is_some(),
            })
        })
        .collect();
    // Maintainers by behaviour: merging, or committing someone else's work.
    // Many commits, few identities: resolve each identity once.
    let mut by_ident: HashMap<i64, Option<&Person>> = HashMap::new();
    let landed: Vec<Landed> = store
        .landings_in(&ids)?
        .into_iter()
        .filter_map(|l| {
            let committer = *by_ident
                .entry(l.committer_id)
                .or_insert_with(|| person_of(&l.committer.0, &l.committer.1));
            let committer = committer?;
            let author = *by_ident
                .entry(l.author_id)
                .or_insert_with(|| person_of(&l.author.0, &l.author.1));
            let others_work = author.is_none_or(|a| a.key != committer.key);
            (l.merge || others_work).then(|| Landed {
                person: committer.key.clone(),
                time: l.time,
                bot: committer.bot.is_some(),
                merge: l.merge,
                organization: org_on(committer, &l.committer.1, l.time),
            })
        })
        .collect();
    // Maintainers by name: CODEOWNERS, MAINTAINERS, OWNERS at the tips.
    let mut named = BTreeSet::new();
    for id in &ids {
        for file in store.tip_files(*id)? {
            if !matches!(
                file.kind,
                TipFileKind::Codeowners | TipFileKind::Maintainers | TipFileKind::Owners
            ) {
                continue;
            }
            for who in governance::named(file.kind, &file.content.to_string()) {
                let key = match who {
                    Named::Email(email) => resolved
                        .people
                        .find(&email)
                        .first()
                        .map_or(email, |p| p.key.clone()),
                    Named::Login(login) => {
                        let key = format!("login:{login}");
                        resolved
                            .people
                            .find(&key)
                            .first()
                            .map_or(key, |p| p.key.clone())
                    }
                };
                named.insert(key);
            }
        }
    }
    let latest_day = Day::from_unix_seconds(until - 1);
    let organization_of = |key: &str| {
        let person = resolved.people.find(key).into_iter().next()?;
        resolved
            .affiliations
            .credit(person, &person.key, latest_day?)
            .organization
    };
    // Truck factor and replacement cost: each repository's tree at the end of the
    // window, its file histories, and its lines of code.
    let mut files = Vec::new();
    let mut code: Vec<Language> = Vec::new();
    for (id, git_dir) in ids.iter().zip(&git_dirs) {
        let Some(commit) = store.latest_commit_before(*id, until)? else {
            continue;
        };
        let repo = upkeep_git::open(git_dir)?;
        for lines in
            upkeep_git::tree::code_lines(&repo, &commit, |p| truck_factor::excluded(p).is_some())?
        {
            match code.iter_mut().find(|l| l.language == lines.language) {
                Some(l) => {
                    l.files += lines.files;
                    l.code += lines.code;
                }
                None => code.push(Language {
                    language: lines.language,
                    files: lines.files,
                    code: lines.code,
                }),
            }
        }
        let paths: Vec<String> = upkeep_git::tree::files(&repo, &commit)?
            .iter()
            .map(|p| p.to_string())
            .collect();
        let histories = store.path_history(*id, until)?;
        let authors: Vec<Option<(String, bool)>> = histories
            .authors
            .iter()
            .map(|(name, email)| person_of(name, email).map(|p| (p.key.clone(), p.bot.is_some())))
            .collect();
        let history: Vec<FileChange> = histories
            .changes
            .iter()
            .filter_map(|h| {
                let (key, bot) = authors[h.author].clone()?;
                Some(FileChange {
                    path: histories.paths[h.path].to_string(),
                    old_path: h.old_path.map(|p| histories.paths[p].to_string()),
                    kind: ChangeKind::from_code(&h.kind)?,
                    person: key,
                    bot,
                })
            })
            .collect();
        files.push((paths, history));
    }
    let metrics = compute(&Inputs {
        contributions: &contributions,
        releases: &releases,
        reviews: &reviews,
        landed: &landed,
        named_maintainers: &named,
        organization_of: &organization_of,
        files: &files,
        code: &code,
        window: Window { since, until },
        include_bots: args.include_bots,
    });
    let report = Report {
        repositories,
        window: WindowDates {
            since: date(since),
            until: date(until),
        },
        generated_at: rfc3339(now).unwrap_or_default(),
        flags: flags(&metrics),
        metrics,
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        ReportFormat::Table => write!(out, "{}", upkeep_report::table(&report))?,
        ReportFormat::Markdown => write!(out, "{}", upkeep_report::markdown(&report))?,
        ReportFormat::Csv => write!(out, "{}", upkeep_report::csv(&report))?,
    }
    Ok(ExitCode::SUCCESS)
}
