//! The detail tables of the report: each belongs to the metric whose
//! catalog entry names its title, and is rows of cells as every format shows
//! them (people by name, shares as percentages). Renderers only lay them out.

use super::{CATALOG, number, pct};
use crate::documents::Report;
use crate::metrics::report::Metrics;
use serde::Serialize;

/// One detail table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The metric it shows (its catalog entry names the title).
    pub metric: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Its header row.
    pub header: Vec<String>,
    /// Its rows.
    pub rows: Vec<Vec<String>>,
}

/// Said instead of a table that has no row.
pub const EMPTY_TABLE: &str = "none in the window";

/// Said once instead of the forge tables when no repository has forge data.
pub const NO_FORGE: &str = "no forge data: response times, non-maintainer pull requests and issue triage need the repository's issues and pull requests; mine it with --forge OWNER/NAME (or from a GitHub URL or origin), with GITHUB_TOKEN set for the full history";

/// Every detail table of `report`, in the order the report shows them; the
/// forge tables only when a repository has forge data, the list tables only
/// when a list was mined.
pub fn tables(report: &Report) -> Vec<Table> {
    sections(report)
        .into_iter()
        .map(|(title, mut rows)| {
            let metric = CATALOG
                .iter()
                .find(|e| e.tables.contains(&title))
                .map_or("", |e| e.id);
            let header = if rows.is_empty() {
                Vec::new()
            } else {
                rows.remove(0)
            };
            Table {
                metric,
                title,
                header,
                rows,
            }
        })
        .collect()
}

/// The detail sections: a title and rows (the first row is the header);
/// people are shown by name.
fn sections(report: &Report) -> Vec<(&'static str, Vec<Vec<String>>)> {
    let m = &report.metrics;
    let name = |key: &str| report.name(key);
    let mut out = Vec::new();
    let people = std::iter::once(vec!["person".into(), "commits".into(), "share".into()])
        .chain(
            m.bus_factor
                .details
                .people
                .iter()
                .map(|s| vec![name(&s.key), s.contributions.to_string(), pct(s.share)]),
        )
        .collect();
    out.push((
        "Bus factor: the fewest people making at least half of the commits",
        people,
    ));
    let removed = std::iter::once(vec!["removed".into(), "code files authored".into()])
        .chain(
            m.truck_factor
                .details
                .removed
                .iter()
                .map(|(k, n)| vec![name(k), n.to_string()]),
        )
        .collect();
    out.push((
        "Truck factor: the people whose loss leaves most code files without an author",
        removed,
    ));
    let orgs = std::iter::once(vec![
        "organization".into(),
        "commits".into(),
        "share of known".into(),
    ])
    .chain(
        m.elephant_factor
            .details
            .organizations
            .iter()
            .map(|s| vec![s.key.clone(), s.contributions.to_string(), pct(s.share)]),
    )
    .collect();
    out.push(("Elephant factor: the fewest organizations making at least half of the commits of known affiliation", orgs));
    let releasers = std::iter::once(vec!["released by".into(), "releases".into()])
        .chain(
            m.releases
                .details
                .releasers
                .iter()
                .map(|(k, n)| vec![name(k), n.to_string()]),
        )
        .collect();
    out.push(("Releases in the window", releasers));
    let maintainers = std::iter::once(vec![
        "maintainer".into(),
        "named in a governance file".into(),
    ])
    .chain(m.maintainers.details.maintainers.iter().map(|p| {
        let named = if m.maintainers.details.named.contains(p) {
            "yes"
        } else {
            ""
        };
        vec![name(p), named.into()]
    }))
    .collect();
    out.push(("Maintainers at the end of the window", maintainers));
    let years = std::iter::once(vec![
        "year".into(),
        "maintainers at its end".into(),
        "new maintainers".into(),
    ])
    .chain(m.maintainers.details.count_by_year.iter().map(|(year, n)| {
        let new = m
            .maintainers
            .details
            .new_by_year
            .get(year)
            .copied()
            .unwrap_or(0);
        vec![year.to_string(), n.to_string(), new.to_string()]
    }))
    .collect();
    out.push(("Maintainers over time", years));
    let quarters = std::iter::once(vec![
        "quarter".into(),
        "active".into(),
        "new".into(),
        "returning".into(),
        "regular".into(),
    ])
    .chain(m.contributors.details.quarters.iter().map(|q| {
        vec![
            q.quarter.clone(),
            q.active.to_string(),
            q.new.to_string(),
            q.returning.to_string(),
            q.regular.to_string(),
        ]
    }))
    .collect();
    out.push(("Contributors per quarter", quarters));
    let reviewers = std::iter::once(vec!["reviewer".into(), "reviews".into()])
        .chain(
            m.reviews
                .details
                .by_person
                .iter()
                .map(|(k, n)| vec![name(k), n.to_string()]),
        )
        .collect();
    out.push(("Patches reviewed (trailers and forge reviews)", reviewers));
    if report.has_forge() {
        out.extend(forge_sections(m));
    }
    out.extend(list_sections(report));
    out.extend(security_sections(report));
    out.extend(super::stakeholder_tables::sections(m));
    let load = &m.maintainer_load.details;
    out.push((
        "Maintainer load per month",
        std::iter::once(
            [
                "month",
                "active maintainers",
                "incoming",
                "per maintainer",
                "reviews",
                "triage",
                "merges",
            ]
            .map(String::from)
            .to_vec(),
        )
        .chain(load.months.iter().map(|x| {
            vec![
                x.month.clone(),
                x.active_maintainers.to_string(),
                x.incoming.to_string(),
                number(x.incoming_per_maintainer),
                x.reviews.to_string(),
                x.triage.to_string(),
                x.merges.to_string(),
            ]
        }))
        .collect(),
    ));
    out.push((
        "Off-hours commits by maintainer",
        std::iter::once(vec![
            "maintainer".into(),
            "commits".into(),
            "outside 08:00-20:00 local or at weekends (a pattern, not a diagnosis)".into(),
        ])
        .chain(
            load.off_hours
                .iter()
                .map(|o| vec![name(&o.key), o.commits.to_string(), pct(o.share)]),
        )
        .collect(),
    ));
    let d = &m.maintainer_departures.details;
    out.push((
        "Maintainers who left",
        std::iter::once(vec!["maintainer".into(), "last act".into()])
            .chain(
                d.left
                    .iter()
                    .map(|l| vec![name(&l.key), l.last_act.clone()]),
            )
            .collect(),
    ));
    out.push((
        "Roster audit",
        std::iter::once(vec!["person".into(), "finding".into()])
            .chain(d.listed_idle.iter().map(|p| {
                vec![
                    name(p),
                    "listed in a governance file, nothing in the window".into(),
                ]
            }))
            .chain(d.acting_unlisted.iter().map(|p| {
                vec![
                    name(p),
                    "acting as a maintainer, listed in no governance file".into(),
                ]
            }))
            .collect(),
    ));
    let kinds = &m.account_kinds.details;
    out.push((
        "Who does the work",
        std::iter::once(
            [
                "quarter",
                "commits: people / bots / agents",
                "by agents",
                "AI-assisted",
                "pull requests: people / bots / agents",
                "reviews: people / bots / agents",
            ]
            .map(String::from)
            .to_vec(),
        )
        .chain(kinds.quarters.iter().chain([&kinds.window]).map(|q| {
            let three = |k: &crate::metrics::account_kinds::ByKind| {
                format!("{} / {} / {}", k.people, k.bots, k.agents)
            };
            vec![
                q.quarter.clone(),
                three(&q.commits),
                q.agent_commits.to_string(),
                q.ai_assisted_commits.to_string(),
                three(&q.pull_requests),
                three(&q.reviews),
            ]
        }))
        .collect(),
    ));
    let lifecycle = &m.lifecycle.details;
    out.push((
        "Lifecycle",
        std::iter::once(vec![format!(
            "lifecycle: {}",
            m.lifecycle.value.as_deref().unwrap_or("unknown")
        )])
        .chain(lifecycle.evidence.iter().map(|line| vec![line.clone()]))
        .chain(
            lifecycle
                .missing
                .iter()
                .map(|line| vec![format!("missing: {line}")]),
        )
        .collect(),
    ));
    let cohorts = std::iter::once(vec![
        "first contribution in".into(),
        "people".into(),
        "came back".into(),
        "became regular".into(),
        "became maintainers".into(),
    ])
    .chain(m.funnel.details.cohorts.iter().map(|c| {
        vec![
            c.year.to_string(),
            c.people.to_string(),
            pct(c.returning_rate),
            pct(c.regular_rate),
            pct(c.maintainer_rate),
        ]
    }))
    .collect();
    out.push(("Contributor funnel", cohorts));
    let kinds = std::iter::once(vec![
        "contribution".into(),
        "in the window".into(),
        "people".into(),
        "of them first of this kind".into(),
    ])
    .chain(m.funnel.details.kinds.iter().map(|k| {
        vec![
            k.kind.replace('_', " "),
            k.contributions.to_string(),
            k.contributors.to_string(),
            k.newcomers.to_string(),
        ]
    }))
    .collect();
    out.push(("Contributions by kind", kinds));
    let dims = &m.organizations.details;
    let org_rows = std::iter::once(vec![
        "of".into(),
        "top organization".into(),
        "share of known".into(),
        "known".into(),
    ])
    .chain(
        [
            ("commits", &dims.commits),
            ("maintainers", &dims.maintainers),
            ("merges", &dims.merges),
            ("releases", &dims.releases),
        ]
        .into_iter()
        .map(|(label, d)| {
            let (org, share) = d
                .shares
                .first()
                .map_or(("—".to_owned(), "—".to_owned()), |(o, _, s)| {
                    (o.clone(), pct(*s))
                });
            vec![label.to_owned(), org, share, pct(d.known_share)]
        }),
    )
    .collect();
    out.push(("Organizational concentration", org_rows));
    let languages = std::iter::once(vec![
        "language".into(),
        "files".into(),
        "lines of code".into(),
    ])
    .chain(
        m.replacement_cost
            .details
            .languages
            .iter()
            .map(|l| vec![l.language.clone(), l.files.to_string(), l.code.to_string()]),
    )
    .collect();
    out.push(("Code by language (replacement cost)", languages));
    let zones = std::iter::once(vec!["UTC offset".into(), "contributors".into()])
        .chain(
            m.time_zones
                .details
                .contributors_by_offset
                .iter()
                .map(|(offset, n)| {
                    let sign = if *offset < 0 { '-' } else { '+' };
                    vec![
                        format!("UTC{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60),
                        n.to_string(),
                    ]
                }),
        )
        .collect();
    out.push(("Time zones", zones));
    let change = |v: Option<f64>| v.map(|c| format!("{c:+.1}%")).unwrap_or_else(|| "—".into());
    let quarters = std::iter::once(vec![
        "quarter".into(),
        "contributors".into(),
        "vs a year before".into(),
        "commits".into(),
        "vs a year before".into(),
    ])
    .chain(m.activity.details.quarters.iter().map(|q| {
        vec![
            q.quarter.clone(),
            q.contributors.to_string(),
            change(q.contributors_change_pct),
            q.contributions.to_string(),
            change(q.contributions_change_pct),
        ]
    }))
    .collect();
    out.push(("Activity per quarter", quarters));
    out
}

/// The mailing-list section: posts, threads, replies to non-maintainers,
/// patches and their reviewers (only when a list was mined).
fn list_sections(report: &Report) -> Vec<(&'static str, Vec<Vec<String>>)> {
    let d = &report.metrics.mailing_lists.details;
    if d.posts == 0 {
        return Vec::new();
    }
    let figures = vec![
        vec!["mailing lists".into(), "".into()],
        vec!["posts".into(), d.posts.to_string()],
        vec!["threads started".into(), d.threads.to_string()],
        vec!["people posting".into(), d.people.to_string()],
        vec![
            "threads by non-maintainers never answered".into(),
            format!("{} of {}", d.never_answered, d.non_maintainer_threads),
        ],
        vec![
            "hours to first reply (median / p90)".into(),
            format!(
                "{} / {}",
                number(d.first_reply.median_hours),
                number(d.first_reply.p90_hours)
            ),
        ],
        vec!["patches posted".into(), d.patches_posted.to_string()],
        vec![
            "patches reviewed on the list".into(),
            d.patches_reviewed.to_string(),
        ],
        vec![
            "patches that reached a commit".into(),
            d.patches_committed.to_string(),
        ],
    ];
    let reviewers = std::iter::once(vec!["list reviewer".into(), "patches reviewed".into()])
        .chain(
            d.reviewers
                .iter()
                .take(10)
                .map(|(k, n)| vec![report.name(k), n.to_string()]),
        )
        .collect();
    vec![
        ("Mailing lists", figures),
        ("Patches reviewed on the lists", reviewers),
    ]
}

/// The forge sections: response times by kind of author, non-maintainer pull requests, triage.
fn forge_sections(m: &Metrics) -> Vec<(&'static str, Vec<Vec<String>>)> {
    let fr = &m.first_response.details;
    let mut responses = vec![vec![
        "items".into(),
        "opened by".into(),
        "opened".into(),
        "median hours".into(),
        "90th percentile".into(),
        "never answered".into(),
    ]];
    for (label, split) in [("issues", &fr.issues), ("pull requests", &fr.pull_requests)] {
        let all = std::iter::once(("anyone", &split.all));
        let kinds = crate::metrics::items::AuthorKind::ALL
            .iter()
            .filter_map(|k| split.by_author.get(k.as_str()).map(|g| (k.as_str(), g)));
        for (who, g) in all.chain(kinds) {
            responses.push(vec![
                label.into(),
                who.replace('_', "-"),
                g.items.to_string(),
                number(g.answered.median_hours),
                number(g.answered.p90_hours),
                g.never_answered.to_string(),
            ]);
        }
    }
    let d = &m.non_maintainer_prs.details;
    let prs = vec![
        vec!["non-maintainer pull requests".into(), "".into()],
        vec!["opened".into(), d.opened.to_string()],
        vec!["answered".into(), d.answered.to_string()],
        vec!["merged".into(), d.merged.to_string()],
        vec!["closed unmerged".into(), d.closed_unmerged.to_string()],
        vec!["still open".into(), d.open.to_string()],
        vec![
            "hours to first response (median / p90)".into(),
            format!(
                "{} / {}",
                number(d.first_response.median_hours),
                number(d.first_response.p90_hours)
            ),
        ],
        vec![
            "hours to merge (median / p90)".into(),
            format!(
                "{} / {}",
                number(d.time_to_merge.median_hours),
                number(d.time_to_merge.p90_hours)
            ),
        ],
        vec![
            "authors who came back".into(),
            format!("{} of {}", d.authors_returned, d.authors),
        ],
    ];
    let t = &m.issue_triage.details;
    let mut triage = vec![vec![
        "issues opened in the window: hours to".into(),
        "median".into(),
        "90th percentile".into(),
        "issues".into(),
    ]];
    for (label, durations) in [
        ("first label", &t.first_label),
        ("first assignment", &t.first_assignment),
        ("first maintainer comment", &t.first_maintainer_comment),
        ("triage (the first of these)", &t.triaged),
    ] {
        triage.push(vec![
            label.into(),
            number(durations.median_hours),
            number(durations.p90_hours),
            durations.count.to_string(),
        ]);
    }
    let untriaged = std::iter::once(vec![
        "open and never triaged, by age".into(),
        "issues".into(),
    ])
    .chain(
        t.open_untriaged_by_age
            .iter()
            .map(|(age, n)| vec![(*age).to_owned(), n.to_string()]),
    )
    .collect();
    vec![
        ("Time to first response (forge)", responses),
        ("Pull requests from non-maintainers (forge)", prs),
        ("Issue triage (forge)", triage),
        ("Open issues never triaged (forge)", untriaged),
    ]
}

/// The security sections: the figures and the disclosure channel, then
/// each advisory (only once advisories were checked).
fn security_sections(report: &Report) -> Vec<(&'static str, Vec<Vec<String>>)> {
    let m = &report.metrics.security_response;
    let d = &m.details;
    if m.reason
        .as_deref()
        .is_some_and(|r| r.contains("not checked"))
    {
        return Vec::new();
    }
    let list = |items: &[String]| match items {
        [] => "none found".to_owned(),
        items => items.join(", "),
    };
    let reporting = match d.disclosure.private_reporting {
        Some(true) => "enabled",
        Some(false) => "disabled",
        None => "unknown",
    };
    let packages: Vec<String> = d
        .packages
        .iter()
        .map(|p| format!("{} ({})", p.purl, p.source))
        .collect();
    let mut figures = vec![
        vec!["security response".into(), "".into()],
        vec!["packages".into(), list(&packages)],
        vec![
            "advisories published in the window".into(),
            d.published_in_window.to_string(),
        ],
        vec![
            "by severity".into(),
            crate::advisories::severity::Level::ALL
                .iter()
                .rev()
                .filter_map(|level| {
                    let n = d.by_severity.get(level.name())?;
                    Some(format!("{} {n}", level.name()))
                })
                .collect::<Vec<_>>()
                .join(", "),
        ],
        vec![
            "days to fix (median / worst)".into(),
            format!("{} / {}", number(m.value), number(d.worst_days_to_fix)),
        ],
        vec![
            "unfixed at the window's end (oldest, days)".into(),
            format!("{} ({})", d.unfixed, number(d.oldest_unfixed_days)),
        ],
        vec!["security policy".into(), list(&d.disclosure.policy)],
        vec!["private vulnerability reporting".into(), reporting.into()],
        vec!["security contacts".into(), list(&d.disclosure.contacts)],
    ];
    if let Some(missing) = &d.missing {
        figures.push(vec!["advisories missing".into(), missing.clone()]);
    }
    if !d.skipped.is_empty() {
        let skipped: Vec<String> = d
            .skipped
            .iter()
            .map(|s| format!("{} ({})", s.id, s.reason))
            .collect();
        figures.push(vec!["records skipped".into(), skipped.join("; ")]);
    }
    let advisories = std::iter::once(
        [
            "advisory",
            "severity",
            "published",
            "fixed in",
            "released",
            "days to fix",
        ]
        .map(String::from)
        .to_vec(),
    )
    .chain(d.advisories.iter().map(|a| {
        let days = match (a.days_to_fix, a.unfixed_days) {
            (Some(days), _) => number(Some(days)),
            (None, Some(age)) => format!("unfixed for {}", number(Some(age))),
            (None, None) => "fix date unknown".into(),
        };
        vec![
            a.id.clone(),
            a.severity.name().to_owned(),
            a.published.get(..10).unwrap_or_default().to_owned(),
            a.fixed_version.clone().unwrap_or_default(),
            a.fix_released
                .as_deref()
                .and_then(|t| t.get(..10))
                .unwrap_or_default()
                .to_owned(),
            days,
        ]
    }))
    .collect();
    vec![("Security response", figures), ("Advisories", advisories)]
}

/// The metrics of no data at all, for tests.
#[cfg(test)]
pub(crate) fn empty_metrics() -> Metrics {
    use crate::metrics::Window;
    use crate::metrics::report::{Inputs, compute};
    compute(&Inputs::empty(Window {
        since: 0,
        until: 86_400,
    }))
}
