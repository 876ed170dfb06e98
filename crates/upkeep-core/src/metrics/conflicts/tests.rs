use super::*;
use crate::identities::org_kinds::UNKNOWN;
use crate::metrics::fixtures::{act, at, item, merged_pr, year_2025};
use crate::metrics::on;

fn stakeholder(person: &str) -> String {
    match person {
        "ann" | "dan" => "ACME".into(),
        "erin" => "Initech".into(),
        _ => UNKNOWN.into(),
    }
}

#[test]
fn same_organization_merges_self_merges_and_outside_review() {
    use ActivityKind::Review as R;
    let items = vec![
        // ACME by ACME, reviewed by Initech: outside review.
        merged_pr(
            1,
            "ann",
            "2025-02-01",
            "dan",
            "2025-02-03",
            vec![act(R, "erin", "2025-02-02")],
        ),
        // Ann merges her own, unreviewed.
        merged_pr(2, "ann", "2025-03-01", "ann", "2025-03-02", vec![]),
        // ACME by ACME, reviewed inside ACME only.
        merged_pr(
            3,
            "dan",
            "2025-04-01",
            "ann",
            "2025-04-03",
            vec![act(R, "ann", "2025-04-02")],
        ),
        // Initech's merged by ACME.
        merged_pr(4, "erin", "2025-05-01", "dan", "2025-05-02", vec![]),
        // A bot's, and one merged before the window: not counted.
        merged_pr(5, "deps[bot]", "2025-06-01", "ann", "2025-06-02", vec![]),
        merged_pr(6, "ann", "2024-06-01", "ann", "2024-06-02", vec![]),
        // An open one.
        item(7, ItemKind::PullRequest, "ann", "2025-07-01", vec![]),
    ];
    let releases: Vec<Release> = ["2025-03-01", "2025-09-01"]
        .iter()
        .map(|d| Release {
            name: (*d).into(),
            time: at(d),
            person: Some("ann".into()),
            prerelease: false,
            organization: Some("ACME".into()),
        })
        .collect();
    let governance = vec![on("dan", "2025-02-10"), on("erin", "2025-02-11")];
    let maintainers = vec!["ann".to_owned(), "dan".to_owned(), "erin".to_owned()];
    let m = compute(&Inputs {
        items: &items,
        releases: &releases,
        governance_changes: &governance,
        maintainers: &maintainers,
        stakeholder: &stakeholder,
        window: year_2025(),
    });
    let d = &m.details;
    assert_eq!(d.merged, 4);
    // 3 of 4 merged pull requests were merged inside the author's organization.
    assert_eq!(m.value, Some(0.75));
    let acme = &d.organizations[0];
    assert_eq!(
        (
            acme.organization.as_str(),
            acme.merged,
            acme.same_organization
        ),
        ("ACME", 4, 3)
    );
    assert_eq!(acme.same_organization_share, 0.75);
    assert_eq!(acme.expected_share, 0.667);
    assert_eq!((acme.own_merged, acme.own_without_outside_review), (3, 2));
    assert_eq!(acme.own_without_outside_review_share, 0.667);
    assert_eq!(d.flagged, vec![("ACME".to_owned(), 0.667)]);
    assert_eq!(d.self_merged, vec![("ann".to_owned(), 2)]);
    assert_eq!(d.releases.one_organization.as_deref(), Some("ACME"));
    assert_eq!(d.releases.total, 2);
    assert_eq!(
        d.governance_changes.by,
        vec![("ACME".to_owned(), 1), ("Initech".to_owned(), 1)]
    );
    assert_eq!(d.governance_changes.one_organization, None);
}

#[test]
fn nothing_merged_is_no_value() {
    let m = compute(&Inputs {
        items: &[],
        releases: &[],
        governance_changes: &[],
        maintainers: &[],
        stakeholder: &stakeholder,
        window: year_2025(),
    });
    assert_eq!(m.value, None);
    assert!(m.reason.is_some());
}
