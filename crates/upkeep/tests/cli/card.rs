//! The health card of `report`: each key figure against the same window a
//! year before and quarter by quarter, worked out by hand.
//!
//! Ann commits on 2024-08-10 and 2025-03-10; in 2025-Q3 Ann (08-10) and Bob
//! (08-20); in 2025-Q4 Cid (11-10). The window is 2025-07-01 … 2026-01-01,
//! so the year before is 2024-07-01 … 2025-01-01 (365 days earlier).

use crate::common;

use common::{Env, commit_as, git, stderr};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn history(env: &Env) -> PathBuf {
    let repo = env.path("gadget");
    std::fs::create_dir_all(&repo).expect("dir");
    git(&repo, &["init", "-q", "-b", "main"]);
    let ann = "Ann <ann@acme.example>";
    commit_as(&repo, "2024-08-10T10:00:00Z", ann, "a");
    commit_as(&repo, "2025-03-10T10:00:00Z", ann, "b");
    commit_as(&repo, "2025-08-10T10:00:00Z", ann, "c");
    commit_as(
        &repo,
        "2025-08-20T10:00:00Z",
        "Bob <bob@globex.example>",
        "d",
    );
    commit_as(
        &repo,
        "2025-11-10T10:00:00Z",
        "Cid <cid@initech.example>",
        "e",
    );
    repo
}

const WINDOW: [&str; 4] = ["--since", "2025-07-01", "--until", "2026-01-01"];

fn report(env: &Env, repo: &Path, format: &str) -> String {
    let mut args = vec!["report", repo.to_str().expect("utf-8"), "--format", format];
    args.extend(WINDOW);
    let out = env.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn each_key_figure_against_a_year_before_and_by_quarter() {
    let env = Env::new();
    let repo = history(&env);
    let json: Value = serde_json::from_str(&report(&env, &repo, "json")).expect("json");
    let tile = |metric: &str| {
        json["card"]
            .as_array()
            .expect("a card")
            .iter()
            .find(|t| t["metric"] == metric)
            .cloned()
            .expect("a tile")
    };
    // Ann, Bob and Cid now; Ann alone a year before: three times as many.
    let contributors = tile("contributors");
    assert_eq!(contributors["value"], 3.0);
    assert_eq!(contributors["year_before"], 1.0);
    assert_eq!(contributors["change"], 200.0);
    assert_eq!(contributors["good"], true);
    let by_quarter: Vec<(String, Value)> = contributors["quarters"]
        .as_array()
        .expect("quarters")
        .iter()
        .map(|q| {
            (
                q["quarter"].as_str().unwrap_or_default().to_owned(),
                q["value"].clone(),
            )
        })
        .collect();
    // A quarter without a commit has no value (nothing to count from).
    let expected: Vec<(String, Value)> = [
        ("2024-Q1", None),
        ("2024-Q2", None),
        ("2024-Q3", Some(1.0)),
        ("2024-Q4", None),
        ("2025-Q1", Some(1.0)),
        ("2025-Q2", None),
        ("2025-Q3", Some(2.0)),
        ("2025-Q4", Some(1.0)),
    ]
    .into_iter()
    .map(|(q, v)| (q.to_owned(), v.map_or(Value::Null, Value::from)))
    .collect();
    assert_eq!(by_quarter, expected);
    // One commit each: two of three people make half; a year before, Ann alone.
    let bus = tile("bus_factor");
    assert_eq!(
        (bus["value"].clone(), bus["year_before"].clone()),
        (2.0.into(), 1.0.into())
    );
    assert_eq!(
        (bus["change"].clone(), bus["good"].clone()),
        (100.0.into(), true.into())
    );

    // The page leads with the tiles, the change coloured by whether it is good.
    let html = report(&env, &repo, "html");
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).expect("selector");
    let tile = doc
        .select(&sel(".tile"))
        .find(|t| t.text().any(|x| x == "active contributors"))
        .expect("the contributors tile");
    let change = tile.select(&sel(".change")).next().expect("a change");
    assert_eq!(change.value().attr("class"), Some("change good"));
    assert_eq!(change.text().collect::<String>(), "▲ 200%");
    let bars: Vec<String> = tile
        .select(&sel("svg.spark rect title"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(
        bars,
        ["2024-Q3: 1", "2025-Q1: 1", "2025-Q3: 2", "2025-Q4: 1"]
    );
    // The health card comes before the charts and the tables.
    let health = html.find("id=\"health\"").expect("the card");
    assert!(health < html.find("id=\"charts\"").expect("the charts"));

    // The terminal says it beside the headline.
    let text = report(&env, &repo, "table");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("active contributors"))
        .expect("the headline line");
    assert!(line.contains("▲ 200% vs a year before"), "{line}");
}

#[test]
fn projects_side_by_side_over_the_same_window() {
    let env = Env::new();
    let gadget = history(&env);
    let widget = env.path("widget");
    std::fs::create_dir_all(&widget).expect("dir");
    git(&widget, &["init", "-q", "-b", "main"]);
    commit_as(
        &widget,
        "2025-09-01T10:00:00Z",
        "Dan <dan@hooli.example>",
        "x",
    );
    let run = |format: &str| {
        let mut args = vec![
            "report",
            gadget.to_str().expect("utf-8"),
            widget.to_str().expect("utf-8"),
            "--compare",
            "--format",
            format,
        ];
        args.extend(WINDOW);
        let out = env.run(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // gadget: Ann, Bob and Cid, a year before Ann alone; widget: Dan, nothing a year before.
    let csv = run("csv");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("metric,label,\"gadget\",\"widget\""));
    let row = |id: &str, label: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("{id},\"{label}\",")))
            .map(str::to_owned)
            .expect("a row")
    };
    assert_eq!(
        row("bus_factor", "bus factor"),
        "bus_factor,\"bus factor\",\"2 (▲ 100%)\",\"1\""
    );
    assert_eq!(
        row("contributors", "active contributors"),
        "contributors,\"active contributors\",\"3 (▲ 200%)\",\"1\""
    );
    let json: Value = serde_json::from_str(&run("json")).expect("json");
    assert_eq!(json["window"]["since"], "2025-07-01");
    assert_eq!(json["projects"][1]["name"], "widget");
    assert_eq!(json["projects"][1]["headline"][0]["value"], 1.0);
    let html = run("html");
    assert!(
        html.contains("<h1>upkeep: 2 projects side by side</h1>"),
        "{html}"
    );
    assert!(html.contains("<td>2 (▲ 100%)</td>"), "{html}");
    // One project is not a comparison.
    let out = env.run(&["report", gadget.to_str().expect("utf-8"), "--compare"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--compare needs at least two projects"),
        "{}",
        stderr(&out)
    );
}
