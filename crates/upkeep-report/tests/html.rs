//! The HTML report, structurally: it parses as HTML5, forbids fetching
//! anything, every chart has a title and its data table, every number links
//! to its definition, and hostile names are text, never markup.

use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use upkeep_core::documents::{Report, Repository, WindowDates};
use upkeep_core::metrics::report::{Inputs, compute, flags, series};
use upkeep_core::metrics::{Contribution, Window};
use upkeep_report::report_html;

const HOSTILE: &str = "<script>alert(1)</script>\"' onload=x \u{202e}evil\u{1b}[31m";

fn day(date: &str) -> i64 {
    date.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(0, |z| z.timestamp().as_second())
}

fn report() -> Report {
    // eve (the hostile name) makes 3 of 4 commits in 2026: bus factor 1.
    let commit = |person: &str, date: &str| Contribution {
        person: person.into(),
        organization: Some("<b>Org</b>".into()),
        time: day(date),
        offset_minutes: 60,
        bot: false,
    };
    let contributions = vec![
        commit("eve", "2026-01-05"),
        commit("eve", "2026-02-05"),
        commit("eve", "2026-03-05"),
        commit("ann", "2026-03-06"),
    ];
    let window = Window {
        since: day("2026-01-01"),
        until: day("2026-07-01"),
    };
    let inputs = Inputs {
        contributions: &contributions,
        ..Inputs::empty(window)
    };
    let metrics = compute(&inputs);
    let people: BTreeMap<String, String> = [
        ("eve".to_owned(), HOSTILE.to_owned()),
        ("ann".to_owned(), "Ann".to_owned()),
    ]
    .into();
    let name = |k: &str| people.get(k).cloned().unwrap_or_default();
    Report {
        repositories: vec![Repository {
            location: "/src/<img src=x>".into(),
            mined_at: Some("2026-07-01T00:00:00Z".into()),
            shallow: true,
            changes_with_missing_blobs: 2,
            commits_credited_from_messages: 0,
            forge: None,
        }],
        window: WindowDates {
            since: "2026-01-01".into(),
            until: "2026-07-01".into(),
        },
        generated_at: "2026-07-01T00:00:00Z".into(),
        flags: flags(&metrics, &name),
        series: series(&inputs),
        card: Vec::new(),
        metrics,
        people,
    }
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("selector");
    doc.select(&selector).collect()
}

#[test]
fn the_page_is_self_contained_and_escapes_what_it_prints() {
    let html = report_html(&report()).expect("renders");
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    // Nothing may be fetched: a strict policy, and no src or external href anywhere.
    let csp = select(&doc, "meta[http-equiv='Content-Security-Policy']");
    let policy = csp[0].value().attr("content").expect("content");
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    assert!(select(&doc, "script").is_empty());
    assert!(select(&doc, "[src]").is_empty());
    for a in select(&doc, "[href]") {
        let href = a.value().attr("href").unwrap_or_default();
        assert!(href.starts_with('#'), "{href}");
    }
    // The hostile name and location are text.
    let text: String = doc.root_element().text().collect();
    // The name is shown as written, its control and bidirectional characters as escapes.
    assert!(text.contains(&upkeep_report::terminal(HOSTILE)), "{text}");
    assert!(!text.contains('\u{202e}') && !text.contains('\u{1b}'));
    assert!(text.contains("/src/<img src=x>"));
    assert!(select(&doc, "img").is_empty());
    assert!(!html.contains("<script>alert"));
    // Flags first, linking to their evidence; every headline number to its definition.
    let flags = select(&doc, ".flags a");
    assert!(
        flags[0]
            .text()
            .collect::<String>()
            .starts_with("bus factor 1 (")
    );
    let anchors: BTreeSet<String> = select(&doc, "[id]")
        .iter()
        .filter_map(|d| d.value().attr("id").map(str::to_owned))
        .collect();
    // The bus factor's evidence is its chart.
    assert_eq!(flags[0].value().attr("href"), Some("#chart-bus-factor"));
    for a in select(&doc, ".headline a, .flags a, figcaption a, nav a") {
        let target = a
            .value()
            .attr("href")
            .unwrap_or_default()
            .trim_start_matches('#');
        assert!(anchors.contains(target), "{target} has a definition");
    }
    // Every chart: a title in the SVG, and its data as a table; a chart
    // with nothing to draw is one line saying so.
    let figures = select(&doc, "figure");
    assert_eq!(figures.len(), 11);
    let mut empty = Vec::new();
    for f in &figures {
        let inner = Html::parse_fragment(&f.html());
        if f.value().attr("class") == Some("empty") {
            assert_eq!(select(&inner, "svg, table").len(), 0, "{}", f.html());
            empty.push(f.value().attr("id").unwrap_or_default().to_owned());
            continue;
        }
        assert_eq!(select(&inner, "svg > title").len(), 1, "{}", f.html());
        assert_eq!(select(&inner, "table").len(), 1);
    }
    // No forge, no advisory, no release: those charts are one line each.
    assert_eq!(
        empty,
        [
            "chart-first-response",
            "chart-outside-prs",
            "chart-open-issues",
            "chart-releases",
            "chart-maintainers",
            "chart-advisories"
        ]
    );
    // The header says what is missing.
    assert!(text.contains("shallow clone"));
    assert!(text.contains("partial clone: 2 changed files"));
    assert!(text.contains("no forge data"));
}

#[test]
fn the_activity_chart_draws_the_months() {
    let html = report_html(&report()).expect("renders");
    let doc = Html::parse_document(&html);
    let rows = select(&doc, "#chart-activity table tbody tr");
    // January to June: 1, 1, 2 commits, then nothing.
    let cells: Vec<String> = rows
        .iter()
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .collect();
    assert_eq!(
        cells,
        [
            "2026-01|1|1",
            "2026-02|1|1",
            "2026-03|2|2",
            "2026-04|0|0",
            "2026-05|0|0",
            "2026-06|0|0"
        ]
    );
    let bars = select(&doc, "#chart-activity rect title");
    assert_eq!(bars[2].text().collect::<String>(), "2026-03: commits 2");
}
