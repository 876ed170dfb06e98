//! Goals: a target for one KPI per period (`[[goals]]` in upkeep.toml),
//! optionally for some upstreams only. Each period of the goal's kind gets
//! its value, the target and whether it was met; the summary counts complete
//! periods only (a period still running cannot have missed yet), and the
//! trend compares the last complete period with the one before it.

use super::periods::{Period, PeriodKind, split};
use super::{Credit, Kpi, tally};
use crate::metrics::Window;
use serde::Serialize;

/// A goal, as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goal {
    /// The KPI id.
    pub kpi: String,
    /// The period the target is per.
    pub per: PeriodKind,
    /// The target per period.
    pub target: u64,
    /// The upstreams it is for (short names or locations); empty: the whole portfolio.
    pub upstreams: Vec<String>,
}

/// One period of a goal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoalPeriod {
    /// The period's label.
    pub label: String,
    /// The KPI's value in it.
    pub value: u64,
    /// Whether the value reached the target.
    pub met: bool,
    /// Whether the period is complete.
    pub complete: bool,
}

/// How a goal went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoalResult {
    /// The KPI id.
    pub kpi: String,
    /// `sprint`, `month`, `quarter` or `year`.
    pub per: &'static str,
    /// The target per period.
    pub target: u64,
    /// The upstreams it is for; empty: all.
    pub upstreams: Vec<String>,
    /// Every period of the goal's kind in the window.
    pub periods: Vec<GoalPeriod>,
    /// Complete periods in which the target was met.
    pub met: u64,
    /// Complete periods.
    pub complete: u64,
    /// The KPI's value summed over the complete periods.
    pub total: u64,
    /// The target summed over the complete periods.
    pub total_target: u64,
    /// `up`, `down` or `flat` (last complete period against the one before), or `n/a`.
    pub trend: &'static str,
    /// Whether the last complete period met the target (`None`: no complete period).
    pub last_complete_met: Option<bool>,
    /// In words: "met in 4 of 6 sprints; 31 of 30 in total".
    pub summary: String,
}

/// Evaluates `goal` against `kpi` (the KPI it names) over `window`, with
/// periods complete by `now`.
pub fn evaluate(goal: &Goal, kpi: &Kpi, window: Window, now: i64) -> GoalResult {
    let periods: Vec<Period> = split(goal.per, window.since, window.until, now);
    let credits: Vec<&Credit> = kpi
        .credits
        .iter()
        .filter(|c| goal.upstreams.is_empty() || goal.upstreams.contains(&c.upstream))
        .collect();
    let values = tally(&credits, &periods).by_period;
    let rows: Vec<GoalPeriod> = periods
        .iter()
        .zip(values)
        .map(|(p, value)| GoalPeriod {
            label: p.label.clone(),
            value,
            met: value >= goal.target,
            complete: p.complete,
        })
        .collect();
    let complete: Vec<&GoalPeriod> = rows.iter().filter(|r| r.complete).collect();
    let met = complete.iter().filter(|r| r.met).count() as u64;
    let total: u64 = complete.iter().map(|r| r.value).sum();
    let total_target = goal.target * complete.len() as u64;
    let trend = match complete.as_slice() {
        [.., before, last] if last.value > before.value => "up",
        [.., before, last] if last.value < before.value => "down",
        [_, _, ..] => "flat",
        _ => "n/a",
    };
    let plural = if complete.len() == 1 { "" } else { "s" };
    GoalResult {
        kpi: goal.kpi.clone(),
        per: goal.per.name(),
        target: goal.target,
        upstreams: goal.upstreams.clone(),
        met,
        complete: complete.len() as u64,
        total,
        total_target,
        trend,
        last_complete_met: complete.last().map(|r| r.met),
        summary: format!(
            "met in {met} of {} {}{plural}; {total} of {total_target} in total",
            complete.len(),
            goal.per.name()
        ),
        periods: rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{ActivityKind::*, ItemKind::*};
    use crate::ledger::testing::*;

    #[test]
    fn a_goal_met_and_missed() {
        // Target 2 triaged issues a month, January to March, "now" 2026-03-15 (March
        // still running). January: 2 (met), February: 1 (missed), March: 3 (not complete).
        let mut w = World::new("2026-01-01", "2026-04-01");
        w.joins("ann", "2020-01-01");
        let dates = [
            "2026-01-05",
            "2026-01-06",
            "2026-02-05",
            "2026-03-02",
            "2026-03-03",
            "2026-03-04",
        ];
        for (n, d) in dates.iter().enumerate() {
            w.item(Issue, n as u64 + 1, "bob", d, 0).actions = vec![act(Labeled, "ann", d, 1)];
        }
        let kpi = w.kpi("issues_triaged");
        let goal = Goal {
            kpi: "issues_triaged".into(),
            per: PeriodKind::Month,
            target: 2,
            upstreams: Vec::new(),
        };
        let r = evaluate(&goal, &kpi, w.window, day("2026-03-15"));
        let values: Vec<(u64, bool, bool)> = r
            .periods
            .iter()
            .map(|p| (p.value, p.met, p.complete))
            .collect();
        assert_eq!(
            values,
            [(2, true, true), (1, false, true), (3, true, false)]
        );
        assert_eq!(r.summary, "met in 1 of 2 months; 3 of 4 in total");
        assert_eq!((r.trend, r.last_complete_met), ("down", Some(false)));
        // For another upstream only, nothing counts.
        let elsewhere = Goal {
            upstreams: vec!["x/y".into()],
            ..goal
        };
        assert_eq!(
            evaluate(&elsewhere, &kpi, w.window, day("2026-03-15")).total,
            0
        );
    }

    #[test]
    fn periods_without_acts_are_zero_not_missing() {
        let w = World::new("2026-01-01", "2026-04-01");
        let kpi = w.kpi("commits");
        assert_eq!(kpi.counts.by_period, vec![0, 0, 0]);
        let goal = Goal {
            kpi: "commits".into(),
            per: PeriodKind::Month,
            target: 1,
            upstreams: Vec::new(),
        };
        let r = evaluate(&goal, &kpi, w.window, day("2026-05-01"));
        assert_eq!(r.summary, "met in 0 of 3 months; 0 of 3 in total");
        assert_eq!(r.trend, "flat");
    }
}
