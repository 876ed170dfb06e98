//! The OSPO ledger of a portfolio: its mined upstreams' acts read with people
//! resolved, every KPI counted per period, the goals of upkeep.toml evaluated,
//! each upstream's context, our people and their names — the object
//! `contributions` prints and `publish` and `serve` show.

use crate::config::Config;
use crate::documents::report::repository;
use crate::events::ledger::{self as ledger_inputs, UpstreamData, Us, day_start};
use crate::identities::{Resolved, resolve};
use crate::paths::{date, rfc3339};
use crate::project::MinedRepo;
use std::collections::{BTreeMap, HashMap};
use upkeep_core::documents::{
    Contributions, LedgerParameters, LedgerUpstream, OurPerson, WindowDates,
};
use upkeep_core::identities::names::Names;
use upkeep_core::ledger::goals::{self, Goal};
use upkeep_core::ledger::periods::{PeriodKind, PeriodName, split};
use upkeep_core::ledger::{self, Inputs, Kpi, MentoringRule, Upstream, context};
use upkeep_core::metrics::Window;
use upkeep_store::Store;

/// What ledger to make.
pub struct LedgerRequest<'a> {
    /// Who "we" are, as affiliations name the organization.
    pub organization: &'a str,
    /// The window.
    pub window: Window,
    /// The periods KPIs are counted in.
    pub period: PeriodName,
    /// Now, seconds since the epoch (which periods are complete).
    pub now: i64,
    /// Our dependence on upstreams (their criticality in a portfolio), by location.
    pub dependence: &'a HashMap<String, f64>,
}

/// The ledger of the upstreams `mined` (already in the store).
pub fn ledger(
    store: &Store,
    config: &Config,
    mined: &[MinedRepo],
    request: &LedgerRequest<'_>,
) -> anyhow::Result<Contributions> {
    let (window, now) = (request.window, request.now);
    let resolved = resolve(store, config)?;
    let data: Vec<UpstreamData> = mined
        .iter()
        .map(|m| ledger_inputs::read_upstream(store, &resolved, m))
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
    let period_name = request.period;
    let periods = split(period_name.kind(sprint), window.since, window.until, now);
    let mentoring = MentoringRule {
        reviews: config.organization.mentoring_reviews.unwrap_or(3),
        lookback_seconds: i64::from(config.organization.mentoring_months.unwrap_or(12))
            * 365
            * 86_400
            / 12,
    };
    let us = Us::new(&resolved, request.organization);
    let ours = |key: &str, time: i64| us.is(key, time);
    let organization_of = |key: &str, time: i64| us.organization_of(key, time);
    let teams = ledger_inputs::Teams::new(store, config, &resolved, request.organization)?;
    let team_of = |key: &str, time: i64| teams.of(key, time);
    let engagement = ledger_inputs::engagement(store, config, &resolved)?;
    let mentees = ledger_inputs::mentees(config, &resolved);
    let upstreams: Vec<Upstream<'_>> = data
        .iter()
        .map(|d| Upstream {
            name: d.name.clone(),
            commits: &d.commits,
            items: &d.events.forge.items,
            releases: &d.events.releases,
            landed: &d.events.landed,
            named_maintainers: &d.events.named,
            posts: &d.posts,
            advisories: &d.advisories,
            released_in: &d.released_in,
        })
        .collect();
    let inputs = Inputs {
        upstreams: &upstreams,
        engagement: &engagement,
        ours: &ours,
        mentees: &mentees,
        mentoring,
        organization_of: &organization_of,
        team_of: &team_of,
        window,
        periods: &periods,
    };
    // Our dependence on an upstream: its criticality in the portfolio, by short name.
    let by_name: HashMap<&str, f64> = mined
        .iter()
        .zip(&data)
        .filter_map(|(m, d)| Some((d.name.as_str(), *request.dependence.get(&m.location)?)))
        .collect();
    let (kpis, contexts) =
        ledger::compute_with_context(&inputs, &|name| by_name.get(name).copied());
    let outcomes = Outcomes {
        our_proposals: ledger::proposals::compute(&inputs),
        teams: ledger::evenness::teams(&inputs, &kpis),
        evenness: ledger::evenness::evenness(&periods, &kpis),
    };
    let goals: Vec<_> = config
        .goals
        .iter()
        .filter_map(|g| {
            let goal = Goal {
                kpi: g.kpi.get_ref().clone(),
                // Validated when upkeep.toml was read.
                per: PeriodName::parse(g.per.get_ref())
                    .unwrap_or_default()
                    .kind(sprint),
                target: g.target,
                upstreams: g.upstreams.clone(),
            };
            let kpi = kpis.iter().find(|k| k.id == goal.kpi)?;
            Some(goals::evaluate(&goal, kpi, window, now))
        })
        .collect();
    let repositories = mined
        .iter()
        .map(|m| repository(store, &resolved, m))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(assemble(
        request.organization,
        &resolved,
        repositories,
        &data,
        (kpis, contexts, goals, outcomes),
        (window, now, period_name, periods),
        (mentoring, sprint),
    ))
}

/// What became of our work: our proposals, each team's KPIs, how evenly we work.
struct Outcomes {
    our_proposals: ledger::proposals::OurProposals,
    teams: Vec<ledger::evenness::TeamKpis>,
    evenness: ledger::evenness::Evenness,
}

type Computed = (
    Vec<Kpi>,
    Vec<context::UpstreamContext>,
    Vec<goals::GoalResult>,
    Outcomes,
);
type Timing = (
    upkeep_core::metrics::Window,
    i64,
    PeriodName,
    Vec<upkeep_core::ledger::periods::Period>,
);

/// The ledger as printed: the computed parts, our people, names and flags.
fn assemble(
    organization: &str,
    resolved: &Resolved,
    repositories: Vec<upkeep_core::documents::Repository>,
    data: &[UpstreamData],
    (kpis, context, goals, outcomes): Computed,
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
    flags.extend(
        outcomes
            .our_proposals
            .upstreams
            .iter()
            .filter_map(|u| u.flag.clone()),
    );
    let upstreams = repositories
        .into_iter()
        .zip(data)
        .map(|(repository, d)| LedgerUpstream {
            name: d.name.clone(),
            repository,
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
        our_proposals: outcomes.our_proposals,
        teams: outcomes.teams,
        evenness: outcomes.evenness,
        by_team: false,
    }
}
