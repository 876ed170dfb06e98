//! Lifecycle state (DESIGN.md) at the window's end, with its evidence:
//! Archived (the forge says so, or the README does), Abandoned (others'
//! issues and pull requests ignored since the maintainers' last act, months
//! ago), Inert (no release and almost no change for a year, others mostly
//! unanswered), Declining (contributors falling against a year before),
//! Stable (little change, others still answered), or Active. Silence alone
//! is not abandonment; ignoring people is. Without forge data, whether
//! others are answered is unknown, and the state says so.

use super::items::Item;
use super::releases::Release;
use super::{Contribution, Definition, Metric, Window, day};
use serde::Serialize;

const DAY: i64 = 86_400;
/// The year looked back over.
const YEAR_DAYS: i64 = 365;
/// Maintainers silent this long, with others ignored: abandoned.
pub const SILENT_DAYS: i64 = 180;
/// An item this old without a response from someone else is unanswered.
pub const ANSWER_DAYS: i64 = 30;
/// At most this many commits in a year is almost no change.
pub const ALMOST_NONE: u64 = 4;
/// Fewer commits than this in a year is little change.
pub const LITTLE: u64 = 12;
/// Contributors down this much (%) against a year before: declining.
pub const DECLINE_PCT: f64 = -25.0;

/// A lifecycle state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum State {
    /// Changing, releasing, answering.
    Active,
    /// Little change, but others are still answered.
    Stable,
    /// Contributors falling against a year before.
    Declining,
    /// No release and almost no change for a year; others mostly unanswered.
    Inert,
    /// Others ignored for months; no maintainer activity.
    Abandoned,
    /// The forge or the README says it is archived.
    Archived,
}

impl State {
    /// Every state, healthiest first.
    pub const ALL: [State; 6] = [
        State::Active,
        State::Stable,
        State::Declining,
        State::Inert,
        State::Abandoned,
        State::Archived,
    ];

    /// Its name, as every output writes it.
    pub fn name(self) -> &'static str {
        match self {
            State::Active => "Active",
            State::Stable => "Stable",
            State::Declining => "Declining",
            State::Inert => "Inert",
            State::Abandoned => "Abandoned",
            State::Archived => "Archived",
        }
    }

    /// Its position in [`State::ALL`] (the catalog's number for it).
    pub fn ordinal(self) -> f64 {
        State::ALL.iter().position(|s| *s == self).unwrap_or(0) as f64
    }

    /// The state at `ordinal`.
    pub fn from_ordinal(ordinal: f64) -> Option<State> {
        State::ALL.get(ordinal as usize).copied()
    }
}

/// What the state is decided from.
pub struct Inputs<'a> {
    /// Contributions, any time.
    pub contributions: &'a [Contribution],
    /// Releases, any time.
    pub releases: &'a [Release],
    /// Issues and pull requests (empty without forge data).
    pub items: &'a [Item],
    /// Whether a person was a maintainer at a time.
    pub is_maintainer: &'a dyn Fn(&str, i64) -> bool,
    /// When maintainers last acted (landed work, acts with write access,
    /// commits, acts on issues and pull requests), if ever, before the end.
    pub last_maintainer_act: Option<i64>,
    /// Contributors' change against the same quarter a year before (%).
    pub activity_change_pct: Option<f64>,
    /// What says the project is archived, if anything does.
    pub archived: Option<&'a str>,
    /// Whether the project has forge data.
    pub has_forge: bool,
    /// The window.
    pub window: Window,
}

/// The figures behind the state.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Details {
    /// The evidence, one line each.
    pub evidence: Vec<String>,
    /// Evidence that could not be looked at, and why.
    pub missing: Vec<String>,
    /// The last commit by a person before the window's end (YYYY-MM-DD).
    pub last_commit: Option<String>,
    /// The last release before the window's end: name and day.
    pub last_release: Option<(String, String)>,
    /// Commits by people in the year before the window's end.
    pub commits_last_year: u64,
    /// When maintainers last acted (YYYY-MM-DD).
    pub last_maintainer_act: Option<String>,
    /// Issues and pull requests by others opened in the year before the
    /// window's end and at least 30 days old then.
    pub outside_last_year: u64,
    /// Of them, those someone else responded to.
    pub outside_answered: u64,
    /// Others' issues and pull requests opened since the maintainers' last
    /// act (at least 30 days old), and how many got a response.
    pub since_last_maintainer_act: (u64, u64),
}

/// The rule, as DESIGN.md states it.
const RULE: &str = "the state at the window's end, the first that holds: Archived (the forge says so, or the README states it); Abandoned (no maintainer act for 180 days, and none of the issues and pull requests others opened since, at least 30 days old, got a response); Inert (no release for a year, at most 4 commits in it, and fewer than half of others' issues and pull requests of the year answered, or no forge data to tell); Declining (contributors down 25% or more against a year before); Stable (fewer than 12 commits or no release in a year, others still answered); else Active";

/// The lifecycle state of the project at the end of `inputs.window`.
pub fn compute(inputs: &Inputs<'_>) -> Metric<Details, String> {
    let definition = Definition::over(RULE, inputs.window, false)
        .with("silent_days", serde_json::json!(SILENT_DAYS))
        .with("answer_days", serde_json::json!(ANSWER_DAYS))
        .with("almost_no_commits", serde_json::json!(ALMOST_NONE))
        .with("few_commits", serde_json::json!(LITTLE))
        .with("decline_pct", serde_json::json!(DECLINE_PCT));
    let details = figures(inputs);
    let state = decide(inputs, &details);
    let mut details = details;
    details.evidence = evidence(inputs, &details, state);
    if !inputs.has_forge {
        details.missing.push(
            "whether others' issues and pull requests are answered is unknown without forge data (mine with the forge)".into(),
        );
    }
    Metric {
        value: Some(state.name().to_owned()),
        reason: None,
        details,
        definition,
    }
}

/// The state the figures say.
fn decide(inputs: &Inputs<'_>, d: &Details) -> State {
    let until = inputs.window.until;
    if inputs.archived.is_some() {
        return State::Archived;
    }
    let silent = inputs
        .last_maintainer_act
        .is_none_or(|t| until - t >= SILENT_DAYS * DAY);
    let (since, answered) = d.since_last_maintainer_act;
    if inputs.has_forge && silent && since > 0 && answered == 0 {
        return State::Abandoned;
    }
    let released_within = |days: i64| {
        inputs
            .releases
            .iter()
            .any(|r| !r.prerelease && r.time < until && until - r.time < days * DAY)
    };
    let mostly_unanswered = match inputs.has_forge {
        true => d.outside_last_year > 0 && d.outside_answered * 2 < d.outside_last_year,
        false => true,
    };
    if !released_within(YEAR_DAYS) && d.commits_last_year <= ALMOST_NONE && mostly_unanswered {
        return State::Inert;
    }
    if inputs.activity_change_pct.is_some_and(|c| c <= DECLINE_PCT) {
        return State::Declining;
    }
    if d.commits_last_year < LITTLE || !released_within(YEAR_DAYS) {
        return State::Stable;
    }
    State::Active
}

/// The figures: last commit, release and maintainer act, commits and
/// others' items of the last year.
fn figures(inputs: &Inputs<'_>) -> Details {
    let until = inputs.window.until;
    let year_ago = until - YEAR_DAYS * DAY;
    let people: Vec<&Contribution> = inputs
        .contributions
        .iter()
        .filter(|c| !c.bot && c.time < until)
        .collect();
    let last_release = inputs
        .releases
        .iter()
        .filter(|r| !r.prerelease && r.time < until)
        .max_by_key(|r| r.time);
    let outside = |from: i64| -> (u64, u64) {
        let asked: Vec<&Item> = inputs
            .items
            .iter()
            .filter(|i| i.created >= from && until - i.created >= ANSWER_DAYS * DAY)
            .filter(|i| is_outside(i, inputs.is_maintainer))
            .collect();
        let answered = asked.iter().filter(|i| answered(i, until)).count();
        (asked.len() as u64, answered as u64)
    };
    let (outside_last_year, outside_answered) = outside(year_ago);
    let since_act = inputs.last_maintainer_act.map_or(i64::MIN, |t| t + 1);
    Details {
        last_commit: people.iter().map(|c| c.time).max().map(day),
        last_release: last_release.map(|r| (r.name.clone(), day(r.time))),
        commits_last_year: people.iter().filter(|c| c.time >= year_ago).count() as u64,
        last_maintainer_act: inputs.last_maintainer_act.map(day),
        outside_last_year,
        outside_answered,
        since_last_maintainer_act: outside(since_act),
        ..Details::default()
    }
}

/// Whether `item` was opened by someone other than a maintainer or a bot.
fn is_outside(item: &Item, is_maintainer: &dyn Fn(&str, i64) -> bool) -> bool {
    !item.author_bot
        && !item.author_maintains
        && item
            .author
            .as_deref()
            .is_some_and(|a| !is_maintainer(a, item.created))
}

/// Whether someone other than its author (and not a bot) acted on `item`
/// before `until`.
fn answered(item: &Item, until: i64) -> bool {
    item.actions
        .iter()
        .any(|a| !a.bot && a.time < until && a.person.is_some() && a.person != item.author)
}

/// The evidence lines of `state`.
fn evidence(inputs: &Inputs<'_>, d: &Details, state: State) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(why) = inputs.archived {
        out.push(why.to_owned());
    }
    out.push(match &d.last_commit {
        Some(date) => format!(
            "last commit {date}; {} commits in the last year",
            d.commits_last_year
        ),
        None => "no commit by a person".into(),
    });
    out.push(match &d.last_release {
        Some((name, date)) => format!("last release {name} on {date}"),
        None => "no release".into(),
    });
    out.push(match &d.last_maintainer_act {
        Some(date) => format!("last maintainer act {date}"),
        None => "no maintainer act".into(),
    });
    if inputs.has_forge {
        let (since, answered) = d.since_last_maintainer_act;
        if state == State::Abandoned {
            out.push(format!(
                "{} of {since} issues and pull requests by others since then got no response",
                since - answered
            ));
        } else {
            out.push(format!(
                "{} of {} issues and pull requests by others in the last year got a response",
                d.outside_answered, d.outside_last_year
            ));
        }
    }
    if let Some(change) = inputs.activity_change_pct {
        out.push(format!("contributors {change:+}% against a year before"));
    }
    out
}

/// What a README says of the project being archived or unmaintained, if
/// its opening (the first 4,000 characters, where such notices stand) says so.
pub fn archived_notice(readme: &str) -> Option<String> {
    const PHRASES: [&str; 8] = [
        "this project is archived",
        "this repository is archived",
        "this repository has been archived",
        "this project has been archived",
        "no longer maintained",
        "not maintained anymore",
        "no longer actively maintained",
        "this project is unmaintained",
    ];
    // Markdown's quote and emphasis marks and line breaks are not words.
    let opening: String = readme
        .chars()
        .take(4_000)
        .map(|c| if "#>*_`|".contains(c) { ' ' } else { c })
        .collect::<String>()
        .to_lowercase();
    let opening = opening.split_whitespace().collect::<Vec<_>>().join(" ");
    PHRASES
        .iter()
        .find(|p| opening.contains(*p))
        .map(|p| format!("the README says \"{p}\""))
}

#[cfg(test)]
mod tests;
