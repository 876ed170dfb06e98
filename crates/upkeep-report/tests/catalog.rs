//! Walks the metric catalog and checks that every metric appears in every
//! format it declares: its CSV row and JSON definition, its headline lines in
//! the terminal, Markdown and HTML, its tables in all three, its charts in the
//! HTML page, its badge among the badges and the publish index's columns.

use std::collections::BTreeMap;
use upkeep_core::advisories::osv::Record;
use upkeep_core::catalog::{CATALOG, tables::tables};
use upkeep_core::documents::{Report, Repository, WindowDates};
use upkeep_core::metrics::mailing_lists::Post;
use upkeep_core::metrics::report::{Inputs, compute, flags, series};
use upkeep_core::metrics::security_response::{Evidence, ProjectPackage, Shipped};
use upkeep_core::metrics::{Contribution, Window};

const DAY: i64 = 86_400;

/// Two people's commits, and a list thread with a reply: enough for every
/// table to be shown (the forge ones because the repository names a forge).
fn report() -> Report {
    let commit = |person: &str, time: i64| Contribution {
        person: person.into(),
        organization: Some("Org".into()),
        time,
        offset_minutes: 0,
        bot: false,
    };
    let contributions = vec![commit("ann", 10 * DAY), commit("bob", 20 * DAY)];
    let post = |id: &str, reply: Option<&str>, person: &str, time: i64| Post {
        id: id.into(),
        in_reply_to: reply.map(str::to_owned),
        first_reference: reply.map(str::to_owned),
        person: Some(person.into()),
        bot: false,
        time,
        subject: "[PATCH] x".into(),
        patch: reply.is_none(),
        reviewers: Vec::new(),
    };
    let posts = vec![
        post("<a@x>", None, "ann", 11 * DAY),
        post("<b@x>", Some("<a@x>"), "bob", 12 * DAY),
    ];
    let window = Window {
        since: 0,
        until: 100 * DAY,
    };
    let security = security();
    let inputs = Inputs {
        contributions: &contributions,
        posts: &posts,
        security: Some(&security),
        ..Inputs::empty(window)
    };
    let metrics = compute(&inputs);
    Report {
        repositories: vec![Repository {
            location: "/src/x".into(),
            mined_at: None,
            shallow: false,
            changes_with_missing_blobs: 0,
            commits_credited_from_messages: 0,
            forge: Some("github:o/x".into()),
        }],
        window: WindowDates {
            since: "1970-01-01".into(),
            until: "1970-04-11".into(),
        },
        generated_at: "1970-04-11T00:00:00Z".into(),
        flags: flags(&metrics, &|k| k.to_owned()),
        series: series(&inputs),
        card: Vec::new(),
        people: BTreeMap::new(),
        metrics,
    }
}

/// A package with an advisory published on day 5, fixed by a release on
/// day 8: enough for the security tables and chart.
fn security() -> Evidence {
    let record: Record = serde_json::from_value(serde_json::json!({
        "id": "GHSA-test", "modified": "1970-01-09T00:00:00Z", "published": "1970-01-06T00:00:00Z",
        "affected": [{"package": {"ecosystem": "npm", "name": "x"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0.1"}]}]}]
    }))
    .expect("a record");
    Evidence {
        records: vec![record],
        packages: vec![ProjectPackage {
            purl: "pkg:npm/x".into(),
            ecosystem: "npm".into(),
            name: "x".into(),
            source: "package.json".into(),
        }],
        shipped: vec![Shipped {
            ecosystem: "npm".into(),
            name: "x".into(),
            version: "1.0.1".into(),
            time: 8 * DAY,
            source: "npm".into(),
        }],
        ..Evidence::default()
    }
}

#[test]
fn every_metric_is_in_every_format_it_declares() {
    let r = report();
    let table = upkeep_report::table(&r);
    let markdown = upkeep_report::markdown(&r);
    let csv = upkeep_report::csv(&r);
    let html = upkeep_report::report_html(&r).expect("html");
    let json = serde_json::to_value(&r).expect("json");
    let badges = upkeep_report::badges(&r, "1970-04-11");
    let columns = upkeep_report::html::columns();
    let csv_ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(
        csv_ids,
        CATALOG.iter().map(|e| e.id).collect::<Vec<_>>(),
        "one CSV row per metric, in catalog order"
    );
    for e in CATALOG {
        let id = e.id;
        assert!(
            json["metrics"][id]["definition"]["rule"].is_string(),
            "{id}: JSON"
        );
        assert!(
            table.contains(&format!("  {id}: ")),
            "{id}: terminal definitions"
        );
        assert!(
            markdown.contains(&format!("- **{id}**: ")),
            "{id}: Markdown definitions"
        );
        assert!(
            html.contains(&format!("id=\"def-{id}\"")),
            "{id}: HTML definitions"
        );
        for h in e.headline {
            assert!(
                table.contains(h.label),
                "{id}: terminal headline {}",
                h.label
            );
            assert!(
                markdown.contains(&format!("| {} |", h.label)),
                "{id}: Markdown headline"
            );
            assert!(
                html.contains(&format!("href=\"#def-{id}\">{}<", h.label)),
                "{id}: HTML headline"
            );
        }
        for title in e.tables {
            assert!(table.contains(title), "{id}: terminal table {title}");
            assert!(
                markdown.contains(&format!("## {title}")),
                "{id}: Markdown table {title}"
            );
            assert!(
                html.contains(&format!("<h2>{title}</h2>")),
                "{id}: HTML table {title}"
            );
        }
        for chart in e.charts {
            assert!(
                html.contains(&format!("id=\"{chart}\"")),
                "{id}: chart {chart}"
            );
        }
        if let Some(b) = e.badge {
            assert!(badges.iter().any(|x| x.name == b.name), "{id}: badge");
            assert!(columns.contains(&b.label), "{id}: index column");
        }
    }
    // Every table shown belongs to a metric of the catalog.
    for t in tables(&r) {
        assert!(
            CATALOG
                .iter()
                .any(|e| e.id == t.metric && e.tables.contains(&t.title)),
            "{} is declared by no metric",
            t.title
        );
    }
}
