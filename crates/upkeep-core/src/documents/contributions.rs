//! The OSPO ledger, exactly as `upkeep contributions --format json` prints
//! it (docs/contributions-json.md).

use super::{Repository, WindowDates};
use crate::ledger::Kpi;
use crate::ledger::context::UpstreamContext;
use crate::ledger::goals::GoalResult;
use crate::ledger::periods::{Period, PeriodName};
use serde::Serialize;
use std::collections::BTreeMap;

/// One upstream of the portfolio.
#[derive(Clone, Debug, Serialize)]
pub struct LedgerUpstream {
    /// Its short name, as goals and KPIs name it.
    pub name: String,
    /// Where it is and how fresh its data is.
    #[serde(flatten)]
    pub repository: Repository,
}

/// One of our people, and what is credited to them.
#[derive(Clone, Debug, Serialize)]
pub struct OurPerson {
    /// Their key.
    pub key: String,
    /// Their name.
    pub name: String,
    /// Per KPI id, the distinct things credited to them in the window.
    pub credits: BTreeMap<&'static str, u64>,
}

/// The ledger's parameters.
#[derive(Clone, Debug, Serialize)]
pub struct LedgerParameters {
    /// Reviews that make someone mentored.
    pub mentoring_reviews: u64,
    /// The look-back of mentoring, in days.
    pub mentoring_days: i64,
    /// A sprint's first day (for `--period sprint`).
    pub sprint_start: String,
    /// A sprint's length in days.
    pub sprint_days: u32,
}

/// The whole ledger, exactly as `--format json` prints it (docs/contributions-json.md).
#[derive(Clone, Debug, Serialize)]
pub struct Contributions {
    /// The organization: who "we" are.
    pub organization: String,
    /// The window.
    pub window: WindowDates,
    /// When it was made (RFC 3339).
    pub generated_at: String,
    /// `sprint`, `month`, `quarter` or `year`.
    pub period: PeriodName,
    /// The periods the KPIs are counted in.
    pub periods: Vec<Period>,
    /// The upstreams.
    pub upstreams: Vec<LedgerUpstream>,
    /// Every KPI, in a fixed order.
    pub kpis: Vec<Kpi>,
    /// How each goal went.
    pub goals: Vec<GoalResult>,
    /// Per upstream: committers, maintainers, our share, focus.
    pub context: Vec<UpstreamContext>,
    /// Our people with credits, most credited first.
    pub our_people: Vec<OurPerson>,
    /// The name to show for every person key named here.
    pub people: BTreeMap<String, String>,
    /// The parameters of the definitions.
    pub parameters: LedgerParameters,
    /// Findings that matter: goals missed in the last complete period, our shares above half.
    pub flags: Vec<String>,
    /// Our pull requests and list patches, and what became of them.
    pub our_proposals: crate::ledger::proposals::OurProposals,
    /// Each team's KPIs (empty when nobody has a team).
    pub teams: Vec<crate::ledger::evenness::TeamKpis>,
    /// How evenly our credits spread among our people.
    pub evenness: crate::ledger::evenness::Evenness,
    /// Whether the tables show the KPIs per team (`--by team`) rather than per period.
    #[serde(skip)]
    pub by_team: bool,
}

impl Contributions {
    /// The name to show for a person's key.
    pub fn name(&self, key: &str) -> String {
        self.people
            .get(key)
            .cloned()
            .unwrap_or_else(|| crate::identities::names::handle(key))
    }
}
