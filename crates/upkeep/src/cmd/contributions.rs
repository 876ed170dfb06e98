//! `upkeep contributions`: what our organization's people did upstream, per
//! period, against our goals — the OSPO ledger.

use crate::settings::ForgeArgs;
use crate::settings::{ConfigArgs, StoreArgs, WindowArgs, date};
use anyhow::Context;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::process::ExitCode;
use upkeep_app::ledgering::{self, UpstreamData, Us, day_start};
use upkeep_app::portfolio::PortfolioOptions;
use upkeep_app::project::MinedRepo;
use upkeep_app::resolving::{Resolved, resolve};
use upkeep_core::identities::names::Names;
use upkeep_core::ledger::goals::{self, Goal};
use upkeep_core::ledger::periods::{PeriodKind, split};
use upkeep_core::ledger::{self, Inputs, Kpi, MentoringRule, Upstream, context};
use upkeep_report::{
    Contributions, LedgerParameters, LedgerUpstream, OurPerson, Repository, WindowDates,
};

/// What our organization's people did upstream, per period, against our goals.
///
/// Mines the upstreams first (incrementally, git and forge, like `report`),
/// then counts, per period and in total, per upstream and for the whole
/// portfolio: commits, issues worked on, patches reviewed, pull requests of
/// non-maintainers reviewed (with outcomes), returning contributors whose pull
/// requests we reviewed, issues triaged, releases by us and by people we
/// mentored, maintainers grown, and engagement — each with its definition and
/// the people behind it — and how each goal of upkeep.toml's [[goals]] went.
/// Beside them, per upstream: its committers and maintainers by organization
/// and time zone, our share of its maintainers, merges and releases, and its
/// focus (need × our ability × our dependence). An act counts for us only if
/// its author belonged to us on its date (affiliations, a roster:
/// `upkeep roster import`, [[organization.people]]).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The upstreams: local paths or clone URLs.
    #[arg(value_name = "REPOSITORY")]
    repositories: Vec<String>,
    /// A portfolio named in upkeep.toml's [[projects]] (its repositories are added).
    #[arg(long, value_name = "NAME")]
    project: Vec<String>,
    /// SBOMs or lockfiles of ours: their highest-ranked upstreams (see `upkeep
    /// deps`) join the portfolio, and their criticality is our dependence in the focus.
    #[arg(long, value_name = "FILE")]
    from_deps: Vec<std::path::PathBuf>,
    /// With --from-deps, how many of the highest-ranked upstreams.
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// Our organization, as affiliations name it [default: [organization] name in upkeep.toml].
    #[arg(long, env = "UPKEEP_ORG", value_name = "NAME")]
    org: Option<String>,
    /// The period KPIs and tables are counted in; sprints are [organization]
    /// sprint_days long (default 14) from sprint_start (default: --since).
    #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
    period: PeriodArg,
    /// Exit 1 when the last complete period of any goal missed its target (for CI or a scheduled job).
    #[arg(long)]
    check: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: LedgerFormat,
    #[command(flatten)]
    window: WindowArgs,
    #[command(flatten)]
    forge: ForgeArgs,
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// How the window is cut.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum PeriodArg {
    /// Sprints.
    Sprint,
    /// Calendar months.
    Month,
    /// Calendar quarters.
    Quarter,
    /// Calendar years.
    Year,
}

/// How the ledger is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
enum LedgerFormat {
    /// For a terminal.
    #[default]
    Table,
    /// The JSON contract (docs/contributions-json.md).
    Json,
    /// Markdown, to paste or publish.
    Markdown,
    /// One line per KPI, upstream and period.
    Csv,
}

/// The kind of period named `name`, with sprints from `sprint`.
fn kind(name: &str, sprint: PeriodKind) -> PeriodKind {
    match name {
        "sprint" => sprint,
        "quarter" => PeriodKind::Quarter,
        "year" => PeriodKind::Year,
        _ => PeriodKind::Month,
    }
}

/// Mines, computes and prints the ledger.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let now = jiff::Timestamp::now().as_second();
    let window = args.window.window(now)?;
    let config = args.config.load()?;
    let organization = args
        .org
        .clone()
        .or(config.organization.name.clone())
        .context("who are we? give --org NAME or set [organization] name in upkeep.toml")?;
    let mut wanted = args.repositories.clone();
    for name in &args.project {
        wanted.extend(config.project(name)?.iter().cloned());
    }
    let mut store = args.store.open()?;
    let mut dependence: HashMap<String, f64> = HashMap::new();
    if !args.from_deps.is_empty() {
        let options = PortfolioOptions {
            inputs: args.from_deps.clone(),
            top: Some(args.top),
            org: Some(organization.clone()),
            offline: false,
            no_mine: false,
            jobs: 4,
            window,
            now,
        };
        let (portfolio, _) = upkeep_app::portfolio::trace(&mut store, &config, &options)?;
        for u in portfolio.upstreams {
            if let Some(why) = &u.health.not_mined_reason {
                eprintln!("warning: {} is left out: not mined ({why})", u.repository);
                continue;
            }
            dependence.insert(u.repository.clone(), u.criticality.score);
            wanted.push(u.repository);
        }
    }
    if wanted.is_empty() {
        anyhow::bail!(
            "name the upstreams: REPOSITORY arguments, --project NAME from upkeep.toml's [[projects]], or --from-deps FILE"
        );
    }
    args.forge.options().check(wanted.len())?;
    let mined = upkeep_app::project::mine(&mut store, &wanted, &args.forge.options())?;
    let resolved = resolve(&store, &config)?;
    let data: Vec<UpstreamData> = mined
        .iter()
        .map(|m| ledgering::read_upstream(&store, &resolved, m))
        .collect::<anyhow::Result<_>>()?;
    let sprint = PeriodKind::Sprint {
        start: config
            .organization
            .sprint_start
            .as_deref()
            .and_then(day_start)
            .unwrap_or(window.since),
        days: config.organization.sprint_days.unwrap_or(14),
    };
    let period_name = match args.period {
        PeriodArg::Sprint => "sprint",
        PeriodArg::Month => "month",
        PeriodArg::Quarter => "quarter",
        PeriodArg::Year => "year",
    };
    let periods = split(kind(period_name, sprint), window.since, window.until, now);
    let mentoring = MentoringRule {
        reviews: config.organization.mentoring_reviews.unwrap_or(3),
        lookback_seconds: i64::from(config.organization.mentoring_months.unwrap_or(12))
            * 365
            * 86_400
            / 12,
    };
    let us = Us::new(&resolved, &organization);
    let ours = |key: &str, time: i64| us.is(key, time);
    let organization_of = |key: &str, time: i64| us.organization_of(key, time);
    let engagement = ledgering::engagement(&store, &config, &resolved)?;
    let mentees = ledgering::mentees(&config, &resolved);
    let upstreams: Vec<Upstream<'_>> = data
        .iter()
        .map(|d| Upstream {
            name: d.name.clone(),
            commits: &d.commits,
            items: &d.events.forge.items,
            releases: &d.events.releases,
            landed: &d.events.landed,
            named_maintainers: &d.events.named,
        })
        .collect();
    let inputs = Inputs {
        upstreams: &upstreams,
        engagement: &engagement,
        ours: &ours,
        mentees: &mentees,
        mentoring,
        organization_of: &organization_of,
        window,
        periods: &periods,
    };
    // Our dependence on an upstream: its criticality in the portfolio, by short name.
    let by_name: HashMap<&str, f64> = mined
        .iter()
        .zip(&data)
        .filter_map(|(m, d)| Some((d.name.as_str(), *dependence.get(&m.location)?)))
        .collect();
    let (kpis, contexts) =
        ledger::compute_with_context(&inputs, &|name| by_name.get(name).copied());
    let goals: Vec<_> = config
        .goals
        .iter()
        .filter_map(|g| {
            let goal = Goal {
                kpi: g.kpi.get_ref().clone(),
                per: kind(g.per.get_ref(), sprint),
                target: g.target,
                upstreams: g.upstreams.clone(),
            };
            let kpi = kpis.iter().find(|k| k.id == goal.kpi)?;
            Some(goals::evaluate(&goal, kpi, window, now))
        })
        .collect();
    let ledger = assemble(
        &organization,
        &resolved,
        &mined,
        &data,
        (kpis, contexts, goals),
        (window, now, period_name, periods),
        (mentoring, sprint),
    );
    let missed = ledger
        .goals
        .iter()
        .filter(|g| g.last_complete_met == Some(false))
        .count();
    print(&ledger, args.format)?;
    if args.check && missed > 0 {
        eprintln!("{missed} goal(s) missed in their last complete period");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

type Computed = (
    Vec<Kpi>,
    Vec<context::UpstreamContext>,
    Vec<goals::GoalResult>,
);
type Timing = (
    upkeep_core::metrics::Window,
    i64,
    &'static str,
    Vec<upkeep_core::ledger::periods::Period>,
);

/// The ledger as printed: the computed parts, our people, names and flags.
fn assemble(
    organization: &str,
    resolved: &Resolved,
    mined: &[MinedRepo],
    data: &[UpstreamData],
    (kpis, context, goals): Computed,
    (window, now, period, periods): Timing,
    (mentoring, sprint): (MentoringRule, PeriodKind),
) -> Contributions {
    let names = Names::new(resolved.people.all());
    let mut credited: BTreeMap<&str, BTreeMap<&'static str, std::collections::BTreeSet<&str>>> =
        BTreeMap::new();
    for k in &kpis {
        for c in &k.credits {
            credited
                .entry(&c.person)
                .or_default()
                .entry(k.id)
                .or_default()
                .insert(&c.key);
        }
    }
    let mut our_people: Vec<OurPerson> = credited
        .iter()
        .map(|(key, by)| OurPerson {
            key: (*key).to_owned(),
            name: names.of(key),
            credits: by.iter().map(|(id, set)| (*id, set.len() as u64)).collect(),
        })
        .collect();
    our_people.sort_by(|a, b| {
        let total = |p: &OurPerson| p.credits.values().sum::<u64>();
        total(b).cmp(&total(a)).then_with(|| a.key.cmp(&b.key))
    });
    let mut people: BTreeMap<String, String> = our_people
        .iter()
        .map(|p| (p.key.clone(), p.name.clone()))
        .collect();
    for c in &context {
        for k in c.maintainers.keys.iter().chain(&c.contributors.keys) {
            people.insert(k.clone(), names.of(k));
        }
    }
    let mut flags: Vec<String> = goals
        .iter()
        .filter(|g| g.last_complete_met == Some(false))
        .map(|g| {
            format!(
                "goal missed: {} ≥ {} per {} in the last complete {} ({})",
                g.kpi, g.target, g.per, g.per, g.summary
            )
        })
        .collect();
    flags.extend(context.iter().flat_map(|c| c.flags.iter().cloned()));
    let upstreams = mined
        .iter()
        .zip(data)
        .map(|(m, d)| LedgerUpstream {
            name: d.name.clone(),
            repository: Repository {
                location: m.location.clone(),
                mined_at: m.mined_at.and_then(rfc3339),
                shallow: m.summary.shallow,
                changes_with_missing_blobs: m.summary.changes_with_missing_blobs,
                forge: m.forge.clone(),
            },
        })
        .collect();
    let (sprint_start, sprint_days) = match sprint {
        PeriodKind::Sprint { start, days } => (date(start), days),
        _ => (date(window.since), 14),
    };
    Contributions {
        organization: organization.to_owned(),
        window: WindowDates {
            since: date(window.since),
            until: date(window.until),
        },
        generated_at: rfc3339(now).unwrap_or_default(),
        period,
        periods,
        upstreams,
        kpis,
        goals,
        context,
        our_people,
        people,
        parameters: LedgerParameters {
            mentoring_reviews: mentoring.reviews,
            mentoring_days: mentoring.lookback_seconds / 86_400,
            sprint_start,
            sprint_days,
        },
        flags,
    }
}

fn rfc3339(seconds: i64) -> Option<String> {
    jiff::Timestamp::from_second(seconds)
        .ok()
        .map(|t| t.to_string())
}

fn print(ledger: &Contributions, format: LedgerFormat) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        LedgerFormat::Json => {
            serde_json::to_writer_pretty(&mut out, ledger)?;
            writeln!(out)?;
        }
        LedgerFormat::Table => write!(out, "{}", upkeep_report::contributions_table(ledger))?,
        LedgerFormat::Markdown => write!(out, "{}", upkeep_report::contributions_markdown(ledger))?,
        LedgerFormat::Csv => write!(out, "{}", upkeep_report::contributions_csv(ledger))?,
    }
    Ok(())
}
