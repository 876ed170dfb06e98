//! The parts of `upkeep.toml` the OSPO ledger reads: who "we" are, our goals,
//! our portfolios of upstreams and hand-recorded engagement.
//!
//! ```toml
//! [organization]
//! name = "2i2c"
//! sprint_start = "2026-01-05"     # sprints count from here (default: the window's start)
//! sprint_days = 14
//! mentoring_reviews = 3            # reviews that make someone mentored …
//! mentoring_months = 12            # … within this many months before
//!
//! [[organization.people]]          # the roster: strongest of affiliations
//! name = "Ann Smith"
//! email = "ann@gmail.com"          # and/or login = "annsmith"
//! from = "2024-03-01"              # optional, inclusive
//! until = "2026-01-01"             # optional, exclusive
//!
//! [[organization.mentees]]         # mentored by us from a date on
//! login = "newcomer"               # or email = "…"
//! from = "2025-06-01"
//!
//! [[goals]]
//! kpi = "non_maintainer_prs_reviewed"
//! per = "sprint"                   # sprint, month, quarter or year
//! target = 5
//! upstreams = ["jupyterhub/jupyterhub"]   # optional; default the whole portfolio
//!
//! [[projects]]
//! name = "jupyterhub"
//! repositories = ["https://github.com/jupyterhub/jupyterhub"]
//!
//! [[engagement]]
//! date = "2026-03-14"
//! person = "ann@gmail.com"         # an address, login:NAME or a name
//! upstream = "jupyterhub/jupyterhub"
//! kind = "talk"
//! url = "https://example.org/talk"
//! ```

use anyhow::bail;
use serde::Deserialize;
use std::path::Path;
use upkeep_core::identities::Day;
use upkeep_core::ledger::KPI_IDS;

/// `[organization]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Its name, as affiliations name it.
    pub name: Option<String>,
    /// The first day of a sprint (YYYY-MM-DD).
    pub sprint_start: Option<String>,
    /// A sprint's length in days.
    pub sprint_days: Option<u32>,
    /// Reviews that make someone mentored.
    pub mentoring_reviews: Option<u64>,
    /// The look-back of mentoring, in months.
    pub mentoring_months: Option<u32>,
    /// The teams our people belong to (a roster's `team` names one).
    #[serde(default)]
    pub teams: Vec<String>,
    /// The roster.
    #[serde(default)]
    pub people: Vec<RosterPerson>,
    /// People mentored by us from a date on.
    #[serde(default)]
    pub mentees: Vec<Mentee>,
}

/// One `[[organization.people]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterPerson {
    /// Their name.
    #[allow(dead_code)] // For the people reading the file; the address or login decides.
    pub name: Option<String>,
    /// An address of theirs.
    pub email: Option<String>,
    /// Their forge login.
    pub login: Option<String>,
    /// First day with us.
    pub from: Option<String>,
    /// First day no longer with us.
    pub until: Option<String>,
    /// Their team (one of `[organization] teams`), with where it is written.
    pub team: Option<toml::Spanned<String>>,
}

/// One `[[organization.mentees]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mentee {
    /// An address of theirs.
    pub email: Option<String>,
    /// Their forge login.
    pub login: Option<String>,
    /// Mentored from this day on.
    pub from: String,
}

/// One `[[goals]]` entry, with the line it starts on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalEntry {
    /// The KPI id.
    pub kpi: toml::Spanned<String>,
    /// `sprint`, `month`, `quarter` or `year`.
    pub per: toml::Spanned<String>,
    /// The target per period.
    pub target: u64,
    /// The upstreams it is for.
    #[serde(default)]
    pub upstreams: Vec<String>,
}

/// One `[[projects]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Its name, as `--project` names it.
    pub name: String,
    /// Its repositories: paths or clone URLs.
    pub repositories: Vec<String>,
    /// SBOMs or lockfiles of it: `publish` adds a dependency-portfolio page.
    #[serde(default)]
    pub sboms: Vec<String>,
    /// The JIRA project holding the issues of its first repository.
    #[serde(default)]
    pub jira: Option<SiteProject>,
    /// The GitLab project of its first repository, when its URL does not say.
    #[serde(default)]
    pub gitlab: Option<SiteProject>,
    /// Mailing lists of its first repository (as `mine --list` takes them).
    #[serde(default)]
    pub lists: Vec<String>,
    /// The packages its first repository publishes (`pkg:pypi/urllib3`),
    /// instead of those its manifests and the registries name.
    #[serde(default)]
    pub packages: Vec<String>,
    /// The organizations it expects to contribute.
    #[serde(default)]
    pub partners: Vec<String>,
}

/// A project on a site: `{ url = "https://issues.apache.org/jira", project = "KAFKA" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteProject {
    /// The site.
    pub url: String,
    /// The project's key (JIRA) or path (GitLab).
    pub project: String,
}

/// One `[[engagement]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngagementEntry {
    /// Its day (YYYY-MM-DD).
    pub date: String,
    /// Who: an address, `login:NAME` or a name.
    pub person: String,
    /// For which upstream.
    pub upstream: String,
    /// A talk, a blog post, a meetup, office hours, …
    pub kind: String,
    /// Where it can be seen.
    #[serde(default)]
    pub url: String,
}

/// The line (1-based) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Checks the ledger's parts of the configuration read from `path` (`text`).
pub fn validate(
    path: &Path,
    text: &str,
    organization: &Organization,
    goals: &[GoalEntry],
    engagement: &[EngagementEntry],
) -> anyhow::Result<()> {
    let at = |offset: usize| format!("{}:{}", path.display(), line_of(text, offset));
    for goal in goals {
        if !KPI_IDS.contains(&goal.kpi.get_ref().as_str()) {
            bail!(
                "{}: the goal names the KPI `{}`, which does not exist; KPIs are {}",
                at(goal.kpi.span().start),
                goal.kpi.get_ref(),
                KPI_IDS.join(", ")
            );
        }
        if !["sprint", "month", "quarter", "year"].contains(&goal.per.get_ref().as_str()) {
            bail!(
                "{}: `per = \"{}\"`: a goal is per sprint, month, quarter or year",
                at(goal.per.span().start),
                goal.per.get_ref()
            );
        }
    }
    let dates = organization
        .people
        .iter()
        .flat_map(|p| [&p.from, &p.until])
        .flatten()
        .chain(organization.mentees.iter().map(|m| &m.from))
        .chain(organization.sprint_start.iter())
        .chain(engagement.iter().map(|e| &e.date));
    for date in dates {
        if Day::parse(date).is_none() {
            bail!("{}: `{date}` is not a YYYY-MM-DD date", path.display());
        }
    }
    if !organization.people.is_empty() && organization.name.is_none() {
        bail!(
            "{}: [[organization.people]] needs [organization] name: whose people are they?",
            path.display()
        );
    }
    for p in &organization.people {
        if let Some(team) = &p.team
            && !organization.teams.contains(team.get_ref())
        {
            bail!(
                "{}: the team `{}` is not one of [organization] teams ({})",
                at(team.span().start),
                team.get_ref(),
                organization.teams.join(", ")
            );
        }
        if p.email.is_none() && p.login.is_none() {
            bail!(
                "{}: an [[organization.people]] entry needs an `email` or a `login`",
                path.display()
            );
        }
    }
    for m in &organization.mentees {
        if m.email.is_none() == m.login.is_none() {
            bail!(
                "{}: an [[organization.mentees]] entry needs exactly one of `email` or `login`",
                path.display()
            );
        }
    }
    if organization.sprint_days == Some(0) {
        bail!("{}: `sprint_days` must be at least 1", path.display());
    }
    Ok(())
}
