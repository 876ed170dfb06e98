use super::*;
use crate::events::ActivityKind::*;
use crate::ledger::first_releases;
use crate::ledger::testing::*;
use std::collections::HashMap;

#[test]
fn our_pull_requests_rejected_merged_released_and_open() {
    let mut w = World::new("2026-01-01", "2026-04-01");
    w.joins("ann", "2020-01-01");
    // #1: ours, answered after 2 hours, merged after 10, released 20 days later.
    let pr = w.item(ItemKind::PullRequest, 1, "ann", "2026-01-05", 0);
    pr.actions = vec![act(Review, "max", "2026-01-05", 2)];
    pr.merged = Some(at("2026-01-05", 10));
    pr.closed = pr.merged;
    // #2: ours, closed unmerged after a day without an answer from anyone else.
    let pr = w.item(ItemKind::PullRequest, 2, "ann", "2026-02-01", 0);
    pr.actions = vec![act(Closed, "ann", "2026-02-02", 0)];
    pr.closed = Some(at("2026-02-02", 0));
    // #3: ours, still open, answered after 30 hours.
    let pr = w.item(ItemKind::PullRequest, 3, "ann", "2026-03-01", 0);
    pr.actions = vec![act(Comment, "max", "2026-03-01", 30)];
    // Others' pull requests, answered after 1 and 3 hours.
    w.item(ItemKind::PullRequest, 4, "bob", "2026-01-10", 0)
        .actions = vec![act(Comment, "max", "2026-01-10", 1)];
    w.item(ItemKind::PullRequest, 5, "cid", "2026-01-11", 0)
        .actions = vec![act(Comment, "max", "2026-01-11", 3)];
    // The merge commit of #1, and the release containing it 20 days after the merge.
    w.commit("max", "2026-01-05").pr_number = Some(1);
    let merge = w.commits[0].id.clone();
    let graph: HashMap<String, Vec<String>> = [
        ("tag".to_owned(), vec![merge.clone()]),
        (merge.clone(), vec![]),
    ]
    .into();
    w.released_in = first_releases(
        &[("v1.1".to_owned(), "tag".to_owned(), at("2026-01-25", 10))],
        &|c| graph.get(c).cloned().unwrap_or_default(),
    );
    let p = w.with_inputs(compute);
    let outcomes: Vec<(&str, Outcome)> = p
        .proposals
        .iter()
        .map(|x| (x.key.as_str(), x.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("o/r#1", Outcome::Merged),
            ("o/r#2", Outcome::Closed),
            ("o/r#3", Outcome::Open)
        ]
    );
    let first = &p.proposals[0];
    assert_eq!(
        (first.first_response_hours, first.merge_hours),
        (Some(2.0), Some(10.0))
    );
    assert_eq!(first.released, Some(("v1.1".to_owned(), 20.0)));
    let u = &p.upstreams[0];
    assert_eq!((u.opened, u.merged, u.closed, u.open), (3, 1, 1, 1));
    assert_eq!(u.acceptance_rate, Some(0.5));
    // Ours: 2, 30, and #2 never answered (1,416 hours to the window's end):
    // median 30; others' 1 and 3: median 2.
    assert_eq!(u.first_response_median_hours, Some(30.0));
    assert_eq!(u.others_first_response_median_hours, Some(2.0));
    assert_eq!(
        u.flag.as_deref(),
        Some(
            "o/r answers our proposals later than others' (median 30 hours to a first response against 2)"
        )
    );
    assert_eq!(u.release_median_days, Some(20.0));
    let months: Vec<(u64, u64, u64, u64)> = p
        .by_period
        .iter()
        .map(|m| (m.opened, m.merged, m.closed, m.open))
        .collect();
    assert_eq!(months, [(1, 1, 0, 0), (1, 0, 1, 0), (1, 0, 0, 1)]);
}

#[test]
fn a_list_patch_lands_by_its_subject() {
    let mut w = World::new("2026-01-01", "2026-04-01");
    w.joins("ann", "2020-01-01");
    w.post(
        "p1",
        None,
        "ann",
        "2026-01-05",
        "[PATCH v2 1/1] parse: accept tabs",
    );
    w.post(
        "r1",
        Some("p1"),
        "max",
        "2026-01-06",
        "Re: [PATCH v2 1/1] parse: accept tabs",
    );
    w.post("p2", None, "ann", "2026-02-05", "[PATCH] docs: typo");
    w.commit("ann", "2026-01-09").subject = "parse: accept tabs".into();
    let p = w.with_inputs(compute);
    let patches: Vec<(&str, Outcome, Option<f64>, Option<f64>)> = p
        .proposals
        .iter()
        .map(|x| {
            (
                x.key.as_str(),
                x.outcome,
                x.first_response_hours,
                x.merge_hours,
            )
        })
        .collect();
    assert_eq!(
        patches,
        [
            ("p1", Outcome::Merged, Some(24.0), Some(96.0)),
            ("p2", Outcome::Open, None, None)
        ]
    );
}

#[test]
fn a_commit_belongs_to_the_first_release_that_reaches_it() {
    // a ← b ← c (main), b ← d (a maintenance branch); v1 at b, v1.0.1 at d, v2 at c.
    let graph: HashMap<&str, Vec<&str>> = [
        ("a", vec![]),
        ("b", vec!["a"]),
        ("c", vec!["b"]),
        ("d", vec!["b"]),
    ]
    .into();
    let releases = [
        ("v2".to_owned(), "c", 30),
        ("v1".to_owned(), "b", 10),
        ("v1.0.1".to_owned(), "d", 20),
    ];
    let first = first_releases(&releases, &|c| graph.get(c).cloned().unwrap_or_default());
    let name = |c: &str| first.get(c).map(|(n, _)| n.as_str());
    assert_eq!(
        [name("a"), name("b"), name("c"), name("d")],
        [Some("v1"), Some("v1"), Some("v2"), Some("v1.0.1")]
    );
}
