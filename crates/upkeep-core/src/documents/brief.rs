//! The quarterly brief: what changed in a quarter against the one before,
//! as sentences a person would write and then edit, each carrying its
//! numbers and the metrics it comes from. Composed from the two quarters'
//! reports; every number is a metric's (or the difference of two), nothing
//! is measured here. Templates order the sentences under the headings of an
//! Apache board report, a CNCF project's annual review, or a short summary.

use super::Report;
use crate::identities::Day;
use serde::Serialize;
use std::collections::BTreeSet;

/// How the brief is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// The sections of an Apache board report.
    Asf,
    /// The sections of a CNCF project's annual review.
    Cncf,
    /// One short section.
    Plain,
}

/// What a sentence is about; templates place topics under their headings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Flags raised and cleared.
    Flags,
    /// Maintainers who joined and left.
    Maintainers,
    /// Contributors: new, returning, lost.
    Contributors,
    /// Releases.
    Releases,
    /// Response times.
    Responses,
    /// Mailing-list traffic.
    Lists,
    /// Organization shares that moved.
    Organizations,
    /// Security advisories and their fixes.
    Security,
}

/// One sentence and the metrics its numbers come from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sentence {
    /// What it is about.
    pub topic: Topic,
    /// The sentence.
    pub text: String,
    /// The ids of the metrics it cites (their definitions end the brief).
    pub metrics: Vec<&'static str>,
}

/// A heading and its sentences.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    /// The heading.
    pub heading: &'static str,
    /// Its sentences.
    pub sentences: Vec<Sentence>,
}

/// The brief.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Brief {
    /// Its title.
    pub title: String,
    /// The quarter (`2026-Q3`).
    pub quarter: String,
    /// The quarter before.
    pub previous: String,
    /// The layout.
    pub template: Template,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// Every metric cited: id and rule.
    pub definitions: Vec<(&'static str, &'static str)>,
}

/// A share moves when it changes by at least this many percentage points.
pub const MOVED_POINTS: f64 = 5.0;

/// The brief of the quarter `now` (labelled `quarter`) against `before`
/// (labelled `previous`), for the project `name`.
pub fn compose(
    name: &str,
    (quarter, now): (&str, &Report),
    (previous, before): (&str, &Report),
    template: Template,
) -> Brief {
    let sentences = sentences(now, before, quarter, previous);
    let cited: BTreeSet<&'static str> = sentences.iter().flat_map(|s| s.metrics.clone()).collect();
    let definitions = crate::catalog::definitions(&now.metrics)
        .into_iter()
        .filter(|(id, _)| cited.contains(id))
        .collect();
    Brief {
        title: format!("{name}: {quarter}"),
        quarter: quarter.to_owned(),
        previous: previous.to_owned(),
        template,
        sections: layout(template, sentences),
        definitions,
    }
}

/// The sentences under a template's headings.
fn layout(template: Template, sentences: Vec<Sentence>) -> Vec<Section> {
    use Topic::*;
    let headings: &[(&'static str, &[Topic])] = match template {
        Template::Plain => &[(
            "Summary",
            &[
                Flags,
                Maintainers,
                Contributors,
                Releases,
                Responses,
                Lists,
                Organizations,
                Security,
            ],
        )],
        Template::Asf => &[
            ("Project Status", &[Flags, Security]),
            ("Membership Data", &[Maintainers]),
            ("Project Activity", &[Releases, Lists]),
            (
                "Community Health",
                &[Contributors, Responses, Organizations],
            ),
        ],
        Template::Cncf => &[
            ("Project Health", &[Flags]),
            ("Maintainers", &[Maintainers]),
            (
                "Contributors and Organizations",
                &[Contributors, Organizations],
            ),
            ("Releases", &[Releases]),
            ("Responsiveness and Communication", &[Responses, Lists]),
            ("Security", &[Security]),
        ],
    };
    headings
        .iter()
        .map(|(heading, topics)| Section {
            heading,
            sentences: sentences
                .iter()
                .filter(|s| topics.contains(&s.topic))
                .cloned()
                .collect(),
        })
        .collect()
}

fn sentence(topic: Topic, text: String, metrics: &[&'static str]) -> Sentence {
    Sentence {
        topic,
        text,
        metrics: metrics.to_vec(),
    }
}

/// Every sentence, in topic order.
fn sentences(now: &Report, before: &Report, q: &str, p: &str) -> Vec<Sentence> {
    let mut out = flags(now, before, p);
    out.push(maintainers(now, before, q, p));
    out.push(contributors(now, before, q, p));
    out.push(releases(now, q));
    out.push(responses(now, before, p));
    out.push(lists(now, before, p));
    out.push(organizations(now, before, q, p));
    out.push(security(now, q));
    out
}

fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `n thing` or `n things`.
fn count(n: usize, thing: &str) -> String {
    match n {
        1 => format!("1 {thing}"),
        n => format!("{n} {thing}s"),
    }
}

fn number(x: f64) -> String {
    crate::catalog::number(Some(x))
}

/// Flags raised (a metric flagged now, not before) and cleared.
fn flags(now: &Report, before: &Report, p: &str) -> Vec<Sentence> {
    let metrics = |r: &Report| r.flags.iter().map(|f| f.metric).collect::<BTreeSet<_>>();
    let (was, is) = (metrics(before), metrics(now));
    let raised: Vec<String> = now
        .flags
        .iter()
        .filter(|f| !was.contains(f.metric))
        .map(|f| f.text.clone())
        .collect();
    let cleared: Vec<String> = before
        .flags
        .iter()
        .filter(|f| !is.contains(f.metric))
        .map(|f| f.text.clone())
        .collect();
    let still = now.flags.len() - raised.len();
    let cited: Vec<&'static str> = {
        let all: BTreeSet<&'static str> = was.union(&is).copied().collect();
        all.into_iter().collect()
    };
    let text = match (raised.is_empty(), cleared.is_empty()) {
        (true, true) if now.flags.is_empty() => "No flag is raised.".to_owned(),
        (true, true) => format!("No flag was raised or cleared; {still} still stand."),
        _ => {
            let mut parts = Vec::new();
            if !raised.is_empty() {
                parts.push(format!("Raised since {p}: {}.", raised.join("; ")));
            }
            if !cleared.is_empty() {
                parts.push(format!("Cleared since {p}: {}.", cleared.join("; ")));
            }
            if still > 0 {
                parts.push(format!("{still} flag(s) still stand."));
            }
            parts.join(" ")
        }
    };
    vec![sentence(Topic::Flags, text, &cited)]
}

fn maintainers(now: &Report, before: &Report, q: &str, p: &str) -> Sentence {
    let (n, b) = (
        &now.metrics.maintainers.details.maintainers,
        &before.metrics.maintainers.details.maintainers,
    );
    let new: Vec<String> = n
        .iter()
        .filter(|k| !b.contains(k))
        .map(|k| now.name(k))
        .collect();
    let left: Vec<String> = now
        .metrics
        .maintainer_departures
        .details
        .left
        .iter()
        .map(|l| format!("{} (last act {})", now.name(&l.key), l.last_act))
        .collect();
    let mut text = format!(
        "{} at the end of {q}, {} at the end of {p}.",
        count(n.len(), "maintainer"),
        b.len()
    );
    match new.is_empty() {
        true => text.push_str(" None joined."),
        false => text.push_str(&format!(" New: {}.", list(&new))),
    }
    match left.is_empty() {
        true => text.push_str(" None left."),
        false => text.push_str(&format!(" Left: {}.", list(&left))),
    }
    sentence(
        Topic::Maintainers,
        text,
        &["maintainers", "maintainer_departures"],
    )
}

fn contributors(now: &Report, before: &Report, q: &str, p: &str) -> Sentence {
    let row = |r: &Report, label: &str| {
        r.metrics
            .contributors
            .details
            .quarters
            .iter()
            .find(|x| x.quarter == label)
            .cloned()
    };
    let text = match (row(now, q), row(before, p)) {
        (Some(n), b) if n.active > 0 || n.lost > 0 => format!(
            "{} people contributed commits in {q} ({} in {p}): {} new, {} returning; {} who contributed in {p} did not in {q}.",
            n.active,
            b.map_or(0, |b| b.active),
            n.new,
            n.returning,
            n.lost
        ),
        _ => format!("Nobody contributed commits in {q} or {p}."),
    };
    sentence(Topic::Contributors, text, &["contributors"])
}

fn releases(now: &Report, q: &str) -> Sentence {
    let day = |t: i64| {
        Day::from_unix_seconds(t)
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let made: Vec<String> = now
        .series
        .releases
        .iter()
        .map(|r| format!("{} ({})", r.name, day(r.time)))
        .collect();
    let d = &now.metrics.releases.details;
    let by: Vec<String> = d
        .releasers
        .iter()
        .map(|(k, n)| format!("{} ({n})", now.name(k)))
        .collect();
    let mut text = match made.is_empty() {
        true => format!("No release in {q}."),
        false => format!(
            "{} in {q}: {}{}.",
            count(made.len(), "release"),
            list(&made),
            if by.is_empty() {
                String::new()
            } else {
                format!(", by {}", list(&by))
            }
        ),
    };
    if d.overdue
        && let (Some(last), Some(days), Some(usual)) =
            (&d.last_release, d.days_since_last, d.median_interval_days)
    {
        text.push_str(&format!(
            " The next is overdue: {} days since {last}, against a usual {} days.",
            number(days),
            number(usual)
        ));
    } else if made.is_empty()
        && let (Some(last), Some(days)) = (&d.last_release, d.days_since_last)
    {
        text.push_str(&format!(
            " The last was {last}, {} days before the quarter's end.",
            number(days)
        ));
    }
    sentence(Topic::Releases, text, &["releases"])
}

fn responses(now: &Report, before: &Report, p: &str) -> Sentence {
    let text = match (now.has_forge(), now.metrics.first_response.value) {
        (false, _) => "No forge data: response times are unknown.".to_owned(),
        (true, None) => format!(
            "No issue or pull request by a non-maintainer to answer ({}).",
            now.metrics
                .first_response
                .reason
                .clone()
                .unwrap_or_default()
        ),
        (true, Some(h)) => format!(
            "Non-maintainers' issues and pull requests got a first response in a median {} hours ({} in {p}).",
            number(h),
            before
                .metrics
                .first_response
                .value
                .map_or_else(|| "none".to_owned(), number)
        ),
    };
    sentence(Topic::Responses, text, &["first_response"])
}

fn lists(now: &Report, before: &Report, p: &str) -> Sentence {
    let (n, b) = (
        &now.metrics.mailing_lists.details,
        &before.metrics.mailing_lists.details,
    );
    let text = match now.metrics.mailing_lists.value.is_some() || n.posts > 0 {
        false => "No mailing-list traffic (or no list mined).".to_owned(),
        true => format!(
            "The mailing lists carried {} posts in {} new threads ({} posts, {} threads in {p}).",
            n.posts, n.threads, b.posts, b.threads
        ),
    };
    sentence(Topic::Lists, text, &["mailing_lists"])
}

/// Organizations whose share of the work moved by at least [`MOVED_POINTS`].
fn organizations(now: &Report, before: &Report, q: &str, p: &str) -> Sentence {
    let share = |r: &Report, org: &str| {
        r.metrics
            .organizations_side_by_side
            .details
            .rows
            .iter()
            .find(|x| x.organization == org)
            .map_or(0.0, |x| x.now.work_share)
    };
    let names: BTreeSet<&str> = now
        .metrics
        .organizations_side_by_side
        .details
        .rows
        .iter()
        .chain(&before.metrics.organizations_side_by_side.details.rows)
        .map(|r| r.organization.as_str())
        .collect();
    let mut moved: Vec<(f64, String)> = names
        .into_iter()
        .filter_map(|org| {
            let (a, b) = (share(before, org), share(now, org));
            let points = (b - a) * 100.0;
            (points.abs() >= MOVED_POINTS).then(|| {
                (
                    -points.abs(),
                    format!(
                        "{org} {} from {}% to {}%",
                        if points > 0.0 { "rose" } else { "fell" },
                        number((a * 100.0).round()),
                        number((b * 100.0).round())
                    ),
                )
            })
        })
        .collect();
    moved.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let moved: Vec<String> = moved.into_iter().take(3).map(|(_, t)| t).collect();
    let note = now
        .metrics
        .organizations_side_by_side
        .details
        .confidence
        .note
        .as_ref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    let text = match moved.is_empty() {
        true => format!(
            "No organization's share of the work moved by {} points or more between {p} and {q}{note}.",
            number(MOVED_POINTS)
        ),
        false => format!(
            "Shares of the work that moved since {p}: {}{note}.",
            list(&moved)
        ),
    };
    sentence(Topic::Organizations, text, &["organizations_side_by_side"])
}

fn security(now: &Report, q: &str) -> Sentence {
    let m = &now.metrics.security_response;
    let d = &m.details;
    let published: Vec<&crate::metrics::security_response::Advisory> =
        d.advisories.iter().filter(|a| a.in_window).collect();
    let text = match (m.value, published.is_empty()) {
        (_, true) => match &m.reason {
            Some(why) => format!("Security advisories in {q}: {why}."),
            None => format!("No advisory was published for its packages in {q}."),
        },
        (value, false) => {
            let fixed = published.iter().filter(|a| a.days_to_fix.is_some()).count();
            format!(
                "{} advisor{} published in {q}, {fixed} fixed{}.",
                published.len(),
                if published.len() == 1 { "y" } else { "ies" },
                value.map_or_else(String::new, |days| format!(
                    ", a median {} days from publication to the fixed release",
                    number(days)
                ))
            )
        }
    };
    sentence(Topic::Security, text, &["security_response"])
}

/// A calendar quarter: its label and window (its end clamped to now while
/// it is in progress).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarter {
    /// `2026-Q3`, with `(to YYYY-MM-DD)` while in progress.
    pub label: String,
    /// Its window.
    pub window: crate::metrics::Window,
}

/// The quarter `text` names (`2026-Q3`), or the last complete one before
/// `now`, and the quarter before it. A malformed name or a quarter that has
/// not begun is an error saying what is accepted.
pub fn quarters(text: Option<&str>, now: i64) -> Result<(Quarter, Quarter), String> {
    let today = Day::from_unix_seconds(now)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let (current_year, current_q) = crate::metrics::quarter(now);
    let (year, q) = match text {
        None if current_q == 1 => (current_year - 1, 4),
        None => (current_year, current_q - 1),
        Some(text) => {
            let parsed = text.trim().split_once(['-', ' ']).and_then(|(y, q)| {
                let q = q.strip_prefix(['Q', 'q'])?.parse::<u8>().ok()?;
                Some((y.parse::<i32>().ok()?, q))
            });
            match parsed {
                Some((y, q)) if (1..=4).contains(&q) && (1970..=9999).contains(&y) => (y, q),
                _ => {
                    return Err(format!(
                        "--quarter {text:?}: expected YEAR-Qn, such as 2026-Q3 (n from 1 to 4)"
                    ));
                }
            }
        }
    };
    let window = |y: i32, q: u8| -> Option<crate::metrics::Window> {
        let since = crate::metrics::quarter_start(y, q)?;
        let until = if q == 4 {
            crate::metrics::quarter_start(y + 1, 1)?
        } else {
            crate::metrics::quarter_start(y, q + 1)?
        };
        Some(crate::metrics::Window { since, until })
    };
    let w =
        window(year, q).ok_or_else(|| format!("{year}-Q{q} is not a quarter upkeep can read"))?;
    if w.since > now {
        return Err(format!(
            "{year}-Q{q} has not begun (today is {today}); give a quarter up to {current_year}-Q{current_q}"
        ));
    }
    let (py, pq) = if q == 1 { (year - 1, 4) } else { (year, q - 1) };
    let previous =
        window(py, pq).ok_or_else(|| format!("{py}-Q{pq} is not a quarter upkeep can read"))?;
    let label = match w.until > now {
        true => format!("{year}-Q{q} (to {today})"),
        false => format!("{year}-Q{q}"),
    };
    Ok((
        Quarter {
            label,
            window: crate::metrics::Window {
                since: w.since,
                until: w.until.min(now),
            },
        },
        Quarter {
            label: format!("{py}-Q{pq}"),
            window: previous,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str) -> i64 {
        crate::metrics::on("x", date).time
    }

    #[test]
    fn quarters_named_defaulted_and_refused() {
        let now = at("2026-12-02");
        let (q, p) = quarters(Some("2026-Q3"), now).expect("a quarter");
        assert_eq!((q.label.as_str(), p.label.as_str()), ("2026-Q3", "2026-Q2"));
        assert_eq!(q.window.since, at("2026-07-01"));
        assert_eq!(q.window.until, at("2026-10-01"));
        assert_eq!(
            (p.window.since, p.window.until),
            (at("2026-04-01"), at("2026-07-01"))
        );
        // By default, the last complete quarter; Q1's previous is last year's Q4.
        assert_eq!(quarters(None, now).expect("default").0.label, "2026-Q3");
        assert_eq!(
            quarters(None, at("2026-02-10")).expect("default").0.label,
            "2025-Q4"
        );
        assert_eq!(
            quarters(Some("2026-Q1"), now).expect("Q1").1.label,
            "2025-Q4"
        );
        // The quarter in progress ends now.
        let (q, _) = quarters(Some("2026-q4"), now).expect("in progress");
        assert_eq!(
            (q.label.as_str(), q.window.until),
            ("2026-Q4 (to 2026-12-02)", now)
        );
        assert_eq!(
            quarters(Some("2027-Q1"), now).expect_err("future"),
            "2027-Q1 has not begun (today is 2026-12-02); give a quarter up to 2026-Q4"
        );
        for bad in ["2026-Q5", "Q3-2026", "2026", "last quarter"] {
            assert!(
                quarters(Some(bad), now)
                    .expect_err(bad)
                    .contains("expected YEAR-Qn, such as 2026-Q3"),
                "{bad}"
            );
        }
    }
}
