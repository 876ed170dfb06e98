//! The entries of the catalog, in the order of the JSON contract.

use super::{BadgeSpec, Entry, GaugeSpec, HeadlineSpec, Sample, Tone, Unit, View, number, pct};
use crate::advisories::severity::Level;
use crate::documents::Report;
use crate::metrics::lifecycle::State;
use crate::metrics::report::Metrics;
use crate::metrics::truck_factor::Identities;
use crate::metrics::{Metric, security_response};

/// The view of one metric.
fn view<D>(m: &Metric<D>) -> View<'_> {
    View {
        value: m.value,
        text: None,
        reason: m.reason.as_deref(),
        definition: &m.definition,
    }
}

/// The reason a metric has no value, or nothing.
fn why(reason: &Option<String>) -> String {
    reason.clone().unwrap_or_default()
}

/// A factor's tone: a single point of failure at 1, a warning at 2.
fn factor_tone(value: Option<f64>) -> Tone {
    match value {
        None => Tone::Unknown,
        Some(x) if x <= 1.0 => Tone::Danger,
        Some(x) if x <= 2.0 => Tone::Warning,
        Some(_) => Tone::Good,
    }
}

/// A badge's message for a value: the number, or `unknown`.
fn shown(value: Option<f64>) -> String {
    value.map_or_else(|| "unknown".to_owned(), |x| number(Some(x)))
}

/// One sample without labels, when the value is known.
fn sample(value: Option<f64>) -> Vec<Sample> {
    value.map(|v| (Vec::new(), v)).into_iter().collect()
}

/// Time to first response to non-bot authors, in seconds, by item kind and quantile.
fn first_response_samples(report: &Report) -> Vec<Sample> {
    let fr = &report.metrics.first_response.details;
    let mut out = Vec::new();
    for (kind, split) in [("issue", &fr.issues), ("pull_request", &fr.pull_requests)] {
        for (quantile, hours) in [
            ("0.5", split.all.answered.median_hours),
            ("0.9", split.all.answered.p90_hours),
        ] {
            if let Some(h) = hours {
                out.push((
                    vec![("kind", kind.to_owned()), ("quantile", quantile.to_owned())],
                    h * 3600.0,
                ));
            }
        }
    }
    out
}

/// The catalog.
pub static CATALOG: &[Entry] = &[
    Entry {
        id: "bus_factor",
        title: "Bus factor",
        headline: &[HeadlineSpec {
            label: "bus factor",
            unit: Unit::People,
            value: |m| m.bus_factor.value,
            note: |m| why(&m.bus_factor.reason),
        }],
        tables: &["Bus factor: the fewest people making at least half of the commits"],
        charts: &["chart-bus-factor"],
        badge: Some(BadgeSpec {
            name: "bus-factor",
            label: "bus factor",
            message: |m| shown(m.bus_factor.value),
            tone: |m| factor_tone(m.bus_factor.value),
        }),
        gauges: &[GaugeSpec {
            name: "upkeep_bus_factor",
            help: "Bus factor over the last 365 days",
            samples: |r| sample(r.metrics.bus_factor.value),
        }],
        view: |m| view(&m.bus_factor),
    },
    Entry {
        id: "elephant_factor",
        title: "Elephant factor",
        headline: &[HeadlineSpec {
            label: "elephant factor",
            unit: Unit::Organizations,
            value: |m| m.elephant_factor.value,
            note: |m| {
                m.elephant_factor.reason.clone().unwrap_or_else(|| {
                    if m.elephant_factor.details.confidence.note.is_some() {
                        return format!(
                            "{} by the affiliated commits alone: too few to say",
                            number(m.elephant_factor.value)
                        );
                    }
                    format!(
                        "{} of commits of known affiliation",
                        pct(m.elephant_factor.details.known_share)
                    )
                })
            },
        }],
        tables: &[
            "Elephant factor: the fewest organizations making at least half of the commits of known affiliation",
        ],
        charts: &[],
        badge: Some(BadgeSpec {
            name: "elephant-factor",
            label: "elephant factor",
            message: |m| match m.elephant_factor.details.confidence.enough {
                true => shown(m.elephant_factor.value),
                false if m.elephant_factor.value.is_some() => "not enough known".to_owned(),
                false => shown(None),
            },
            tone: |m| match m.elephant_factor.details.confidence.enough {
                true => factor_tone(m.elephant_factor.value),
                false => Tone::Unknown,
            },
        }),
        gauges: &[GaugeSpec {
            name: "upkeep_elephant_factor",
            help: "Elephant factor over the last 365 days",
            samples: |r| sample(r.metrics.elephant_factor.value),
        }],
        view: |m| View {
            text: m.elephant_factor.details.confidence.note.as_deref(),
            ..view(&m.elephant_factor)
        },
    },
    Entry {
        id: "truck_factor",
        title: "Truck factor",
        headline: &[HeadlineSpec {
            label: "truck factor",
            unit: Unit::People,
            value: |m| m.truck_factor.value,
            note: |m| {
                m.truck_factor.reason.clone().unwrap_or_else(|| {
                    format!(
                        "over {} code files; developers: {}",
                        m.truck_factor.details.files,
                        match m.truck_factor.details.identities {
                            Identities::People => "upkeep's people",
                            Identities::Name => "addresses joined by name (the paper's rule)",
                        }
                    )
                })
            },
        }],
        tables: &["Truck factor: the people whose loss leaves most code files without an author"],
        charts: &[],
        badge: Some(BadgeSpec {
            name: "truck-factor",
            label: "truck factor",
            message: |m| shown(m.truck_factor.value),
            tone: |m| factor_tone(m.truck_factor.value),
        }),
        gauges: &[GaugeSpec {
            name: "upkeep_truck_factor",
            help: "Truck factor at the window's end",
            samples: |r| sample(r.metrics.truck_factor.value),
        }],
        view: |m| view(&m.truck_factor),
    },
    Entry {
        id: "releases",
        title: "Releases",
        headline: &[
            HeadlineSpec {
                label: "release cadence (days)",
                unit: Unit::Days,
                value: |m| m.releases.value,
                note: |m| match (
                    &m.releases.details.last_release,
                    m.releases.details.days_since_last,
                ) {
                    (Some(name), Some(days)) => {
                        format!("last: {name}, {days:.0} days before the window's end")
                    }
                    _ => why(&m.releases.reason),
                },
            },
            HeadlineSpec {
                label: "release bus factor",
                unit: Unit::People,
                value: |m| Some(m.releases.details.release_bus_factor as f64),
                note: |m| {
                    format!(
                        "{} releases in the window ({} pre-releases not counted)",
                        m.releases.details.releases, m.releases.details.prereleases
                    )
                },
            },
        ],
        tables: &["Releases in the window"],
        charts: &["chart-releases"],
        badge: Some(BadgeSpec {
            name: "last-release",
            label: "last release",
            message: |m| match (
                &m.releases.details.last_release,
                m.releases.details.days_since_last,
            ) {
                (Some(name), Some(days)) => format!("{name}, {days:.0} days ago"),
                _ => "none in the window".to_owned(),
            },
            tone: |m| {
                if m.releases.details.overdue {
                    Tone::Warning
                } else {
                    Tone::Neutral
                }
            },
        }),
        gauges: &[GaugeSpec {
            name: "upkeep_last_release_timestamp_seconds",
            help: "When the last release in the window was made",
            samples: |r| sample(r.series.releases.last().map(|x| x.time as f64)),
        }],
        view: |m| view(&m.releases),
    },
    Entry {
        id: "time_zones",
        title: "Time zones",
        headline: &[HeadlineSpec {
            label: "hours of the day covered",
            unit: Unit::HoursOfDay,
            value: |m| m.time_zones.value,
            note: |_| {
                "UTC hours with an active maintainer between 08:00 and 20:00 local".to_owned()
            },
        }],
        tables: &["Time zones"],
        charts: &["chart-hours"],
        badge: None,
        gauges: &[],
        view: |m| view(&m.time_zones),
    },
    Entry {
        id: "activity",
        title: "Activity trend",
        headline: &[HeadlineSpec {
            label: "contributors vs a year before (%)",
            unit: Unit::Percent,
            value: |m| m.activity.value,
            note: |m| why(&m.activity.reason),
        }],
        tables: &["Activity per quarter"],
        charts: &["chart-activity"],
        badge: None,
        gauges: &[],
        view: |m| view(&m.activity),
    },
    Entry {
        id: "contributors",
        title: "Contributors",
        headline: &[HeadlineSpec {
            label: "active contributors",
            unit: Unit::People,
            value: |m| m.contributors.value,
            note: |m| {
                format!(
                    "{} inactive in the window's last 6 months",
                    m.contributors.details.inactive
                )
            },
        }],
        tables: &["Contributors per quarter"],
        charts: &[],
        badge: Some(BadgeSpec {
            name: "contributors",
            label: "active contributors",
            message: |m| shown(m.contributors.value),
            tone: |_| Tone::Neutral,
        }),
        gauges: &[GaugeSpec {
            name: "upkeep_contributors_active",
            help: "Contributors active in the window",
            samples: |r| sample(r.metrics.contributors.value),
        }],
        view: |m| view(&m.contributors),
    },
    Entry {
        id: "funnel",
        title: "Contributor funnel",
        headline: &[HeadlineSpec {
            label: "first-timers who came back",
            unit: Unit::Share,
            value: |m| m.funnel.value,
            note: |m| why(&m.funnel.reason),
        }],
        tables: &["Contributor funnel", "Contributions by kind"],
        charts: &["chart-funnel"],
        badge: None,
        gauges: &[],
        view: |m| view(&m.funnel),
    },
    Entry {
        id: "maintainers",
        title: "Maintainers",
        headline: &[HeadlineSpec {
            label: "maintainers",
            unit: Unit::People,
            value: |m| m.maintainers.value,
            note: |m| {
                format!(
                    "{} named in governance files",
                    m.maintainers.details.named.len()
                )
            },
        }],
        tables: &[
            "Maintainers at the end of the window",
            "Maintainers over time",
        ],
        charts: &["chart-maintainers"],
        badge: Some(BadgeSpec {
            name: "maintainers",
            label: "maintainers",
            message: |m| shown(m.maintainers.value),
            tone: |m| factor_tone(m.maintainers.value),
        }),
        gauges: &[GaugeSpec {
            name: "upkeep_maintainers",
            help: "Maintainers at the window's end",
            samples: |r| sample(r.metrics.maintainers.value),
        }],
        view: |m| view(&m.maintainers),
    },
    Entry {
        id: "reviews",
        title: "Patches reviewed",
        headline: &[HeadlineSpec {
            label: "reviewers",
            unit: Unit::People,
            value: |m| m.reviews.value,
            note: |m| {
                format!(
                    "{} reviews (trailers and forge reviews)",
                    m.reviews.details.reviews
                )
            },
        }],
        tables: &["Patches reviewed (trailers and forge reviews)"],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.reviews),
    },
    Entry {
        id: "first_response",
        title: "Time to first response",
        headline: &[HeadlineSpec {
            label: "first response to non-maintainers (hours)",
            unit: Unit::Hours,
            value: |m| m.first_response.value,
            note: |m| {
                m.first_response.reason.clone().unwrap_or_else(|| {
                    let g = &m.first_response.details.non_maintainers;
                    format!(
                        "median; 90th percentile {}; {} of {} issues and pull requests never answered",
                        number(g.answered.p90_hours),
                        g.never_answered,
                        g.items
                    )
                })
            },
        }],
        tables: &["Time to first response (forge)"],
        charts: &["chart-first-response"],
        badge: None,
        gauges: &[GaugeSpec {
            name: "upkeep_first_response_seconds",
            help: "Time to first response to non-bot authors, by item kind and quantile",
            samples: first_response_samples,
        }],
        view: |m| view(&m.first_response),
    },
    Entry {
        id: "non_maintainer_prs",
        title: "Non-maintainer pull requests",
        headline: &[HeadlineSpec {
            label: "non-maintainer pull requests answered",
            unit: Unit::Share,
            value: |m| m.non_maintainer_prs.value,
            note: |m| {
                m.non_maintainer_prs.reason.clone().unwrap_or_else(|| {
                    let d = &m.non_maintainer_prs.details;
                    format!(
                        "{} opened: {} merged, {} closed unmerged, {} open; {} of {} authors came back",
                        d.opened, d.merged, d.closed_unmerged, d.open, d.authors_returned, d.authors
                    )
                })
            },
        }],
        tables: &["Pull requests from non-maintainers (forge)"],
        charts: &["chart-outside-prs"],
        badge: None,
        gauges: &[],
        view: |m| view(&m.non_maintainer_prs),
    },
    Entry {
        id: "issue_triage",
        title: "Issue triage",
        headline: &[HeadlineSpec {
            label: "issue triage (hours)",
            unit: Unit::Hours,
            value: |m| m.issue_triage.value,
            note: |m| {
                m.issue_triage.reason.clone().unwrap_or_else(|| {
                    let d = &m.issue_triage.details;
                    let open: u64 = d.open_untriaged_by_age.iter().map(|(_, n)| n).sum();
                    format!(
                        "median to first label, assignment or maintainer comment; {} of {} never triaged; {open} open untriaged",
                        d.never_triaged, d.issues
                    )
                })
            },
        }],
        tables: &["Issue triage (forge)", "Open issues never triaged (forge)"],
        charts: &["chart-open-issues"],
        badge: None,
        gauges: &[],
        view: |m| view(&m.issue_triage),
    },
    Entry {
        id: "organizations",
        title: "Organizational concentration",
        headline: &[HeadlineSpec {
            label: "largest organization share",
            unit: Unit::Share,
            value: |m| m.organizations.value,
            note: |m| match &m.organizations.details.confidence.note {
                Some(note) => format!("{note}: shares of commits say little"),
                None => {
                    "of commits, maintainers, merges or releases (where mostly known)".to_owned()
                }
            },
        }],
        tables: &["Organizational concentration"],
        charts: &["chart-organizations"],
        badge: None,
        gauges: &[],
        view: |m| View {
            text: m.organizations.details.confidence.note.as_deref(),
            ..view(&m.organizations)
        },
    },
    Entry {
        id: "replacement_cost",
        title: "Replacement cost",
        headline: &[HeadlineSpec {
            label: "replacement cost (engineer-months)",
            unit: Unit::EngineerMonths,
            value: |m| m.replacement_cost.value,
            note: |m| match m.replacement_cost.details.files_missing {
                0 => format!(
                    "basic COCOMO over {:.1} thousand lines of code",
                    m.replacement_cost.details.kloc
                ),
                missing => format!(
                    "basic COCOMO over {:.1} thousand lines of code; {missing} files without content not counted",
                    m.replacement_cost.details.kloc
                ),
            },
        }],
        tables: &["Code by language (replacement cost)"],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.replacement_cost),
    },
    Entry {
        id: "mailing_lists",
        title: "Mailing lists",
        headline: &[HeadlineSpec {
            label: "mailing-list bus factor",
            unit: Unit::People,
            value: |m| m.mailing_lists.value,
            note: |m| {
                m.mailing_lists.reason.clone().unwrap_or_else(|| {
                    let d = &m.mailing_lists.details;
                    format!(
                        "{} posts by {} people in {} threads; {} of {} patches reviewed on the list",
                        d.posts, d.people, d.threads, d.patches_reviewed, d.patches_posted
                    )
                })
            },
        }],
        tables: &["Mailing lists", "Patches reviewed on the lists"],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.mailing_lists),
    },
    Entry {
        id: "security_response",
        title: "Security response",
        headline: &[HeadlineSpec {
            label: "median days to fix an advisory",
            unit: Unit::Days,
            value: |m| m.security_response.value,
            note: |m| security_note(&m.security_response),
        }],
        tables: &["Security response", "Advisories"],
        charts: &["chart-advisories"],
        badge: Some(BadgeSpec {
            name: "security-response",
            label: "days to fix",
            message: |m| security_message(&m.security_response),
            tone: |m| security_tone(&m.security_response),
        }),
        gauges: &[
            GaugeSpec {
                name: "upkeep_open_advisories",
                help: "Advisories affecting the project's packages without a fixed release, by severity",
                samples: open_advisory_samples,
            },
            GaugeSpec {
                name: "upkeep_advisory_fix_days",
                help: "Days from an advisory's publication to its fixed release (median, worst) over the last 365 days",
                samples: fix_day_samples,
            },
        ],
        view: |m| view(&m.security_response),
    },
    Entry {
        id: "lifecycle",
        title: "Lifecycle",
        headline: &[HeadlineSpec {
            label: "lifecycle state",
            unit: Unit::State,
            value: |m| lifecycle_state(m).map(State::ordinal),
            note: |m| {
                let d = &m.lifecycle.details;
                d.evidence
                    .iter()
                    .chain(&d.missing)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        }],
        tables: &["Lifecycle"],
        charts: &[],
        badge: Some(BadgeSpec {
            name: "lifecycle",
            label: "lifecycle",
            message: |m| {
                m.lifecycle
                    .value
                    .clone()
                    .unwrap_or_else(|| "unknown".into())
            },
            tone: |m| match lifecycle_state(m) {
                Some(State::Active | State::Stable) => Tone::Good,
                Some(State::Declining) => Tone::Warning,
                Some(_) => Tone::Danger,
                None => Tone::Unknown,
            },
        }),
        gauges: &[GaugeSpec {
            name: "upkeep_lifecycle_state",
            help: "The project's lifecycle state at the window's end: 1 for its state, 0 for the others",
            samples: |r| {
                let now = lifecycle_state(&r.metrics);
                State::ALL
                    .iter()
                    .map(|s| {
                        let on = if Some(*s) == now { 1.0 } else { 0.0 };
                        (vec![("state", s.name().to_owned())], on)
                    })
                    .collect()
            },
        }],
        view: |m| View {
            value: lifecycle_state(m).map(State::ordinal),
            text: m.lifecycle.value.as_deref(),
            reason: m.lifecycle.reason.as_deref(),
            definition: &m.lifecycle.definition,
        },
    },
    Entry {
        id: "account_kinds",
        title: "People, bots and AI agents",
        headline: &[HeadlineSpec {
            label: "commits by or with AI agents",
            unit: Unit::Share,
            value: |m| m.account_kinds.value,
            note: |m| {
                let w = &m.account_kinds.details.window;
                format!(
                    "{} by agents, {} AI-assisted, of {} by people; pull requests by agents {}, reviews by agents {}",
                    w.agent_commits,
                    w.ai_assisted_commits,
                    w.commits.people,
                    w.pull_requests.agents,
                    w.reviews.agents
                )
            },
        }],
        tables: &["Who does the work"],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.account_kinds),
    },
    Entry {
        id: "maintainer_load",
        title: "Maintainer load",
        headline: &[HeadlineSpec {
            label: "incoming work per active maintainer a month",
            unit: Unit::People,
            value: |m| m.maintainer_load.value,
            note: |m| {
                let d = &m.maintainer_load.details;
                let busiest = d.busiest.as_ref().map_or_else(String::new, |(_, share)| {
                    format!(
                        "; the busiest maintainer did {} of reviews and merges",
                        pct(*share)
                    )
                });
                format!(
                    "median over months; {} pull requests from others awaiting a maintainer{busiest}",
                    d.awaiting_first_response
                )
            },
        }],
        tables: &[
            "Maintainer load per month",
            "Off-hours commits by maintainer",
        ],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.maintainer_load),
    },
    Entry {
        id: "maintainer_departures",
        title: "Maintainers arriving and leaving",
        headline: &[HeadlineSpec {
            label: "maintainers who left",
            unit: Unit::People,
            value: |m| m.maintainer_departures.value,
            note: |m| {
                let d = &m.maintainer_departures.details;
                format!(
                    "{} days since the last new maintainer; {} listed but idle, {} acting but unlisted{}",
                    number(d.days_since_last_new_maintainer),
                    d.listed_idle.len(),
                    d.acting_unlisted.len(),
                    if d.volunteer_maintained {
                        "; volunteer-maintained"
                    } else {
                        ""
                    }
                )
            },
        }],
        tables: &["Maintainers who left", "Roster audit"],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.maintainer_departures),
    },
    Entry {
        id: "organization_exits",
        title: "Organizations that left",
        headline: &[HeadlineSpec {
            label: "organizations that left",
            unit: Unit::Organizations,
            value: |m| m.organization_exits.value,
            note: |m| {
                let names: Vec<&str> = m
                    .organization_exits
                    .details
                    .exits
                    .iter()
                    .map(|e| e.organization.as_str())
                    .collect();
                names.join(", ")
            },
        }],
        tables: &[],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.organization_exits),
    },
    Entry {
        id: "organizations_side_by_side",
        title: "Organizations side by side",
        headline: &[HeadlineSpec {
            label: "organizations contributing",
            unit: Unit::Organizations,
            value: |m| m.organizations_side_by_side.value,
            note: |m| {
                let d = &m.organizations_side_by_side.details;
                let kinds: Vec<String> = d
                    .kinds
                    .iter()
                    .map(|(k, _, share)| format!("{} {}", k.as_str(), pct(*share)))
                    .collect();
                match &d.confidence.note {
                    Some(note) => note.clone(),
                    None => format!("work by kind: {}", kinds.join(", ")),
                }
            },
        }],
        tables: &["Organizations side by side", "Stakeholder kinds"],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.organizations_side_by_side),
    },
    Entry {
        id: "conflicts_of_interest",
        title: "Conflict-of-interest signals",
        headline: &[HeadlineSpec {
            label: "same-organization merges",
            unit: Unit::Share,
            value: |m| m.conflicts_of_interest.value,
            note: |m| {
                let d = &m.conflicts_of_interest.details;
                m.conflicts_of_interest.reason.clone().unwrap_or_else(|| {
                    format!(
                        "of {} pull requests merged; {} self-merged without review",
                        d.merged, d.self_merges_without_review
                    )
                })
            },
        }],
        tables: &[
            "Merges by organization",
            "Releases and governance changes by organization",
        ],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.conflicts_of_interest),
    },
    Entry {
        id: "adoption",
        title: "Adoption",
        headline: &[HeadlineSpec {
            label: "stars",
            unit: Unit::Count,
            value: |m| m.adoption.value,
            note: |m| {
                m.adoption.reason.clone().unwrap_or_else(|| {
                    let d = &m.adoption.details;
                    let known = d.signals.iter().filter(|s| s.value.is_some()).count();
                    format!(
                        "{known} of {} adoption signals known; {} active forks",
                        d.signals.len(),
                        d.active_forks.len()
                    )
                })
            },
        }],
        tables: &["Adoption signals", "Active forks"],
        charts: &[],
        badge: None,
        gauges: &[GaugeSpec {
            name: "upkeep_adoption",
            help: "Adoption signals (stars, forks, watchers, downloads, dependents) by signal and source",
            samples: adoption_samples,
        }],
        view: |m| view(&m.adoption),
    },
    Entry {
        id: "user_journey",
        title: "Users becoming contributors",
        headline: &[HeadlineSpec {
            label: "new users who landed a contribution",
            unit: Unit::Share,
            value: |m| m.user_journey.value,
            note: |m| {
                m.user_journey.reason.clone().unwrap_or_else(|| {
                    let r = &m.user_journey.details.reached;
                    format!(
                        "{} users first seen in the window; {} opened, {} landed, {} came back",
                        r[0], r[1], r[2], r[3]
                    )
                })
            },
        }],
        tables: &["Users becoming contributors", "Good-first issues"],
        charts: &[],
        badge: None,
        gauges: &[],
        view: |m| view(&m.user_journey),
    },
];

/// Each known adoption signal, labelled by signal, source and package.
fn adoption_samples(report: &Report) -> Vec<Sample> {
    report
        .metrics
        .adoption
        .details
        .signals
        .iter()
        .filter_map(|s| {
            Some((
                vec![
                    ("signal", s.name.clone()),
                    ("source", s.source.clone()),
                    ("of", s.of.clone()),
                ],
                s.value?,
            ))
        })
        .collect()
}

/// The lifecycle state of `m`.
fn lifecycle_state(m: &Metrics) -> Option<State> {
    let name = m.lifecycle.value.as_deref()?;
    State::ALL.into_iter().find(|s| s.name() == name)
}

/// The security headline's note: the advisories in the window, the unfixed
/// ones, and the disclosure channel (said apart from the count).
fn security_note(m: &Metric<security_response::Details>) -> String {
    let d = &m.details;
    let channel = match (d.disclosure.channel, d.disclosure.policy.first()) {
        (_, Some(policy)) => format!("security policy: {policy}"),
        (true, None) => "a disclosure channel exists".to_owned(),
        (false, None) => "no disclosure channel found".to_owned(),
    };
    match &m.reason {
        Some(reason) if d.published_in_window == 0 => format!("{reason}; {channel}"),
        _ => format!(
            "{} advisories in the window, {} unfixed; {channel}",
            d.published_in_window, d.unfixed
        ),
    }
}

/// The badge's text: the median days, `none` without advisories, or `unknown`.
fn security_message(m: &Metric<security_response::Details>) -> String {
    match (m.value, m.details.published_in_window, &m.details.missing) {
        (Some(days), _, _) => format!("{} days", number(Some(days))),
        (None, 0, None) if !m.details.packages.is_empty() => "no advisories".to_owned(),
        _ => "unknown".to_owned(),
    }
}

/// Good within a week, a warning within 90 days, danger beyond or with a
/// high or critical advisory unfixed for longer.
fn security_tone(m: &Metric<security_response::Details>) -> Tone {
    let overdue = m.details.advisories.iter().any(|a| {
        a.severity >= Level::High
            && a.unfixed_days
                .is_some_and(|d| d > security_response::UNFIXED_FLAG_DAYS)
    });
    match m.value {
        _ if overdue => Tone::Danger,
        Some(days) if days <= 7.0 => Tone::Good,
        Some(days) if days <= security_response::UNFIXED_FLAG_DAYS => Tone::Warning,
        Some(_) => Tone::Danger,
        None if m.details.published_in_window == 0 && m.details.missing.is_none() => Tone::Neutral,
        None => Tone::Unknown,
    }
}

/// Unfixed advisories by severity (every level, zeros included, once checked).
fn open_advisory_samples(report: &Report) -> Vec<Sample> {
    let m = &report.metrics.security_response;
    if m.details.packages.is_empty() || m.details.missing.is_some() {
        return Vec::new();
    }
    Level::ALL
        .iter()
        .map(|level| {
            let open = m
                .details
                .advisories
                .iter()
                .filter(|a| a.severity == *level && a.unfixed_days.is_some())
                .count();
            (vec![("severity", level.name().to_owned())], open as f64)
        })
        .collect()
}

/// Median and worst days to fix.
fn fix_day_samples(report: &Report) -> Vec<Sample> {
    let m = &report.metrics.security_response;
    [("0.5", m.value), ("1", m.details.worst_days_to_fix)]
        .into_iter()
        .filter_map(|(q, days)| Some((vec![("quantile", q.to_owned())], days?)))
        .collect()
}
