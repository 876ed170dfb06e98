//! Renderers of the documents (`upkeep_core::documents`: the report, the
//! ledger, the portfolio): terminal tables, Markdown, CSV, HTML pages and
//! badges. They only format; every number and flag is computed in core.
#![deny(missing_docs)]

mod badge;
pub mod html;
mod ledger;
mod portfolio;
mod text;

pub use badge::{Badge, badge_json, badge_svg, badges};
pub use html::{IndexEntry, contributions_html, index_html, portfolio_html, report_html};
pub use ledger::{contributions_csv, contributions_markdown, contributions_table};
pub use portfolio::{portfolio_csv, portfolio_markdown, portfolio_table};
use std::fmt::Write;
pub use text::{markdown as markdown_text, terminal};
use upkeep_core::documents::{Contributions, Portfolio, Report};
use upkeep_core::metrics::report::Metrics;

/// Said once instead of the forge sections when no repository has forge data.
pub(crate) const NO_FORGE: &str = "no forge data: response times, non-maintainer pull requests and issue triage need the repository's issues and pull requests; mine it with --forge OWNER/NAME (or from a GitHub URL or origin), with GITHUB_TOKEN set for the full history";

pub(crate) fn number(value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The headline lines: (metric id, label, value, note).
pub(crate) fn headline(m: &Metrics) -> Vec<(&'static str, &'static str, String, String)> {
    let why = |reason: &Option<String>| reason.clone().unwrap_or_default();
    vec![
        (
            "bus_factor",
            "bus factor",
            number(m.bus_factor.value),
            why(&m.bus_factor.reason),
        ),
        (
            "truck_factor",
            "truck factor",
            number(m.truck_factor.value),
            m.truck_factor.reason.clone().unwrap_or_else(|| {
                format!(
                    "over {} code files; developers: {}",
                    m.truck_factor.details.files,
                    match m.truck_factor.details.identities {
                        upkeep_core::metrics::truck_factor::Identities::People => "upkeep's people",
                        upkeep_core::metrics::truck_factor::Identities::Name => "addresses joined by name (the paper's rule)",
                    }
                )
            }),
        ),
        (
            "elephant_factor",
            "elephant factor",
            number(m.elephant_factor.value),
            m.elephant_factor.reason.clone().unwrap_or_else(|| {
                format!(
                    "{} of commits of known affiliation",
                    pct(m.elephant_factor.details.known_share)
                )
            }),
        ),
        (
            "releases",
            "release cadence (days)",
            number(m.releases.value),
            match (
                &m.releases.details.last_release,
                m.releases.details.days_since_last,
            ) {
                (Some(name), Some(days)) => {
                    format!("last: {name}, {days:.0} days before the window's end")
                }
                _ => why(&m.releases.reason),
            },
        ),
        (
            "releases",
            "release bus factor",
            m.releases.details.release_bus_factor.to_string(),
            format!(
                "{} releases in the window ({} pre-releases not counted)",
                m.releases.details.releases, m.releases.details.prereleases
            ),
        ),
        (
            "time_zones",
            "hours of the day covered",
            number(m.time_zones.value),
            "UTC hours with an active maintainer between 08:00 and 20:00 local".to_owned(),
        ),
        (
            "activity",
            "contributors vs a year before (%)",
            number(m.activity.value),
            why(&m.activity.reason),
        ),
        (
            "contributors",
            "active contributors",
            number(m.contributors.value),
            format!(
                "{} inactive in the window's last 6 months",
                m.contributors.details.inactive
            ),
        ),
        (
            "funnel",
            "first-timers who came back",
            m.funnel.value.map_or_else(|| "—".to_owned(), pct),
            why(&m.funnel.reason),
        ),
        (
            "maintainers",
            "maintainers",
            number(m.maintainers.value),
            format!(
                "{} named in governance files",
                m.maintainers.details.named.len()
            ),
        ),
        (
            "reviews",
            "reviewers",
            number(m.reviews.value),
            format!(
                "{} reviews (trailers and forge reviews)",
                m.reviews.details.reviews
            ),
        ),
        (
            "first_response",
            "first response to non-maintainers (hours)",
            number(m.first_response.value),
            m.first_response.reason.clone().unwrap_or_else(|| {
                let g = &m.first_response.details.non_maintainers;
                format!(
                    "median; 90th percentile {}; {} of {} issues and pull requests never answered",
                    number(g.answered.p90_hours),
                    g.never_answered,
                    g.items
                )
            }),
        ),
        (
            "non_maintainer_prs",
            "non-maintainer pull requests answered",
            m.non_maintainer_prs.value.map_or_else(|| "—".to_owned(), pct),
            m.non_maintainer_prs.reason.clone().unwrap_or_else(|| {
                let d = &m.non_maintainer_prs.details;
                format!(
                    "{} opened: {} merged, {} closed unmerged, {} open; {} of {} authors came back",
                    d.opened, d.merged, d.closed_unmerged, d.open, d.authors_returned, d.authors
                )
            }),
        ),
        (
            "issue_triage",
            "issue triage (hours)",
            number(m.issue_triage.value),
            m.issue_triage.reason.clone().unwrap_or_else(|| {
                let d = &m.issue_triage.details;
                let open: u64 = d.open_untriaged_by_age.iter().map(|(_, n)| n).sum();
                format!(
                    "median to first label, assignment or maintainer comment; {} of {} never triaged; {open} open untriaged",
                    d.never_triaged, d.issues
                )
            }),
        ),
        (
            "mailing_lists",
            "mailing-list bus factor",
            number(m.mailing_lists.value),
            m.mailing_lists.reason.clone().unwrap_or_else(|| {
                let d = &m.mailing_lists.details;
                format!(
                    "{} posts by {} people in {} threads; {} of {} patches reviewed on the list",
                    d.posts, d.people, d.threads, d.patches_reviewed, d.patches_posted
                )
            }),
        ),
        (
            "replacement_cost",
            "replacement cost (engineer-months)",
            number(m.replacement_cost.value),
            match m.replacement_cost.details.files_missing {
                0 => format!(
                    "basic COCOMO over {:.1} thousand lines of code",
                    m.replacement_cost.details.kloc
                ),
                missing => format!(
                    "basic COCOMO over {:.1} thousand lines of code; {missing} files without content not counted",
                    m.replacement_cost.details.kloc
                ),
            },
        ),
        (
            "organizations",
            "largest organization share",
            m.organizations.value.map_or_else(|| "—".to_owned(), pct),
            "of commits, maintainers, merges or releases (where mostly known)".to_owned(),
        ),
    ]
}

/// The report for a terminal: untrusted text made safe ([`terminal`]),
/// tables fitted to the terminal's width (100 columns when not a terminal).
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "upkeep report · {} … {} (until is exclusive)",
        report.window.since, report.window.until
    );
    for r in &report.repositories {
        let _ = writeln!(
            out,
            "  {} (mined {})",
            terminal(&r.location),
            r.mined_at.as_deref().unwrap_or("never")
        );
        for gap in r.gaps() {
            let _ = writeln!(out, "    ! {}", terminal(&gap));
        }
        for note in r.notes() {
            let _ = writeln!(out, "    · {}", terminal(&note));
        }
    }
    let mut head = fitted(comfy_table::presets::NOTHING);
    for (_, label, value, note) in headline(&report.metrics) {
        head.add_row([label.to_owned(), value, terminal(&note)]);
    }
    let _ = writeln!(out, "\n{head}");
    if !report.flags.is_empty() {
        let _ = writeln!(out, "\nflags");
        for flag in &report.flags {
            let _ = writeln!(out, "  ! {}", terminal(&flag.text));
        }
    }
    for (title, rows) in sections(report) {
        let mut t = fitted(comfy_table::presets::UTF8_BORDERS_ONLY);
        let mut rows = rows
            .into_iter()
            .map(|row| row.iter().map(|c| terminal(c)).collect::<Vec<_>>());
        if let Some(header) = rows.next() {
            t.set_header(header);
        }
        for row in rows {
            t.add_row(row);
        }
        let _ = writeln!(out, "\n{title}\n{t}");
    }
    if !report.has_forge() {
        let _ = writeln!(out, "\n{NO_FORGE}");
    }
    let _ = writeln!(out, "\nDefinitions");
    for (id, rule) in definitions(&report.metrics) {
        let _ = writeln!(out, "  {id}: {rule}");
    }
    out
}

/// A table with `preset` that wraps its cells to the terminal's width, or to
/// 100 columns when the output is not a terminal.
fn fitted(preset: &str) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_preset(preset)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    if t.width().is_none() {
        t.set_width(100);
    }
    t
}

/// The report as Markdown.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# upkeep report\n");
    let _ = writeln!(
        out,
        "Window: {} … {} (until is exclusive). Generated {}.\n",
        report.window.since, report.window.until, report.generated_at
    );
    for r in &report.repositories {
        let _ = writeln!(
            out,
            "- {} (mined {})",
            markdown_text(&r.location),
            r.mined_at.as_deref().unwrap_or("never")
        );
        for line in r.gaps().into_iter().chain(r.notes()) {
            let _ = writeln!(out, "  - {}", markdown_text(&line));
        }
    }
    let _ = writeln!(out, "\n| metric | value | note |\n|---|---|---|");
    for (_, label, value, note) in headline(&report.metrics) {
        let _ = writeln!(out, "| {label} | {value} | {} |", markdown_text(&note));
    }
    if !report.flags.is_empty() {
        let _ = writeln!(out, "\n## Flags\n");
        for flag in &report.flags {
            let _ = writeln!(out, "- {}", markdown_text(&flag.text));
        }
    }
    for (title, rows) in sections(report) {
        let _ = writeln!(out, "\n## {title}\n");
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<String> = row.iter().map(|c| markdown_text(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
            if i == 0 {
                let _ = writeln!(out, "|{}", "---|".repeat(row.len()));
            }
        }
    }
    if !report.has_forge() {
        let _ = writeln!(out, "\n{NO_FORGE}");
    }
    let _ = writeln!(out, "\n## Definitions\n");
    for (id, rule) in definitions(&report.metrics) {
        let _ = writeln!(out, "- **{id}**: {}", markdown_text(rule));
    }
    out
}

/// One line per metric: `metric,value,reason,definition`.
pub fn csv(report: &Report) -> String {
    let m = &report.metrics;
    let rows = [
        ("bus_factor", m.bus_factor.value, &m.bus_factor.reason),
        (
            "elephant_factor",
            m.elephant_factor.value,
            &m.elephant_factor.reason,
        ),
        ("releases", m.releases.value, &m.releases.reason),
        ("time_zones", m.time_zones.value, &m.time_zones.reason),
        ("activity", m.activity.value, &m.activity.reason),
        ("truck_factor", m.truck_factor.value, &m.truck_factor.reason),
        ("contributors", m.contributors.value, &m.contributors.reason),
        ("funnel", m.funnel.value, &m.funnel.reason),
        ("maintainers", m.maintainers.value, &m.maintainers.reason),
        ("reviews", m.reviews.value, &m.reviews.reason),
        (
            "first_response",
            m.first_response.value,
            &m.first_response.reason,
        ),
        (
            "non_maintainer_prs",
            m.non_maintainer_prs.value,
            &m.non_maintainer_prs.reason,
        ),
        ("issue_triage", m.issue_triage.value, &m.issue_triage.reason),
        (
            "organizations",
            m.organizations.value,
            &m.organizations.reason,
        ),
        (
            "replacement_cost",
            m.replacement_cost.value,
            &m.replacement_cost.reason,
        ),
    ];
    let rules: std::collections::HashMap<&str, &str> = definitions(m).into_iter().collect();
    let quoted = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let mut out = String::from("metric,value,reason,definition\n");
    for (id, value, reason) in rows {
        let value = value.map(|v| v.to_string()).unwrap_or_default();
        let _ = writeln!(
            out,
            "{id},{value},{},{}",
            quoted(reason.as_deref().unwrap_or_default()),
            quoted(rules.get(id).copied().unwrap_or_default())
        );
    }
    out
}

/// The detail sections: a title and rows (the first row is the header);
/// people are shown by name.
pub(crate) fn sections(report: &Report) -> Vec<(&'static str, Vec<Vec<String>>)> {
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

/// Every metric's id and rule, in the order of the JSON contract.
pub(crate) fn definitions(m: &Metrics) -> Vec<(&'static str, &'static str)> {
    vec![
        ("bus_factor", m.bus_factor.definition.rule),
        ("elephant_factor", m.elephant_factor.definition.rule),
        ("truck_factor", m.truck_factor.definition.rule),
        ("releases", m.releases.definition.rule),
        ("time_zones", m.time_zones.definition.rule),
        ("activity", m.activity.definition.rule),
        ("contributors", m.contributors.definition.rule),
        ("funnel", m.funnel.definition.rule),
        ("maintainers", m.maintainers.definition.rule),
        ("reviews", m.reviews.definition.rule),
        ("first_response", m.first_response.definition.rule),
        ("non_maintainer_prs", m.non_maintainer_prs.definition.rule),
        ("issue_triage", m.issue_triage.definition.rule),
        ("organizations", m.organizations.definition.rule),
        ("replacement_cost", m.replacement_cost.definition.rule),
        ("mailing_lists", m.mailing_lists.definition.rule),
    ]
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
        let kinds = upkeep_core::metrics::items::AuthorKind::ALL
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
