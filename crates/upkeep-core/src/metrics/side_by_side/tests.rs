use super::*;
use crate::identities::org_kinds::{INDEPENDENT, UNKNOWN};
use crate::metrics::fixtures::{act, at, item, year_2025};
use crate::metrics::on;

fn commit(person: &str, org: Option<&str>, date: &str) -> Contribution {
    Contribution {
        organization: org.map(str::to_owned),
        ..on(person, date)
    }
}

fn stakeholder(person: &str) -> String {
    match person {
        "ann" | "dan" => "ACME".into(),
        "carl" => "Initech".into(),
        "bob" => INDEPENDENT.into(),
        _ => UNKNOWN.into(),
    }
}

fn kind_of(name: &str) -> OrgKind {
    match name {
        "ACME" => OrgKind::Company,
        INDEPENDENT => OrgKind::Individual,
        _ => OrgKind::Unknown,
    }
}

#[test]
fn every_organization_side_by_side_with_partners_and_a_year_before() {
    let contributions = vec![
        commit("ann", Some("ACME"), "2025-02-01"),
        commit("ann", Some("ACME"), "2025-03-01"),
        commit("ann", Some("ACME"), "2025-04-01"),
        commit("bob", None, "2025-05-01"),
        commit("carl", Some("Initech"), "2025-06-01"),
        commit("carl", Some("Initech"), "2024-03-01"),
        commit("carl", Some("Initech"), "2024-04-01"),
    ];
    let reviews: Vec<Review> = ["2025-02-02", "2025-03-02"]
        .iter()
        .map(|d| Review {
            person: "dan".into(),
            organization: None,
            time: at(d),
            bot: false,
            of: None,
        })
        .collect();
    let landed: Vec<Landed> = ["2025-02-03", "2025-03-03"]
        .iter()
        .map(|d| Landed {
            person: "ann".into(),
            time: at(d),
            bot: false,
            merge: true,
            organization: Some("ACME".into()),
        })
        .collect();
    let releases = vec![Release {
        name: "1.0".into(),
        time: at("2025-07-01"),
        person: Some("ann".into()),
        prerelease: false,
        organization: Some("ACME".into()),
    }];
    // Bob's issue: dan labels it (triage, and the first response).
    let items = vec![item(
        1,
        ItemKind::Issue,
        "bob",
        "2025-05-02",
        vec![act(ActivityKind::Labeled, "dan", "2025-05-03")],
    )];
    let maintainers = vec!["ann".to_owned(), "dan".to_owned()];
    let partners = vec!["Initech".to_owned(), "Globex".to_owned()];
    let m = compute(&Inputs {
        contributions: &contributions,
        reviews: &reviews,
        landed: &landed,
        releases: &releases,
        items: &items,
        maintainers: &maintainers,
        stakeholder: &stakeholder,
        kind_of: &kind_of,
        partners: &partners,
        partner_threshold: 0.2,
        window: year_2025(),
    });
    // ACME and Initech are named; "independent" is not an organization.
    assert_eq!(m.value, Some(2.0));
    let d = &m.details;
    let names: Vec<&str> = d.rows.iter().map(|r| r.organization.as_str()).collect();
    // By work in the window (ACME 10; independent 1 and Initech 1, then by the year before).
    assert_eq!(names, ["ACME", "Initech", INDEPENDENT]);
    let acme = &d.rows[0];
    let counts: Vec<u64> = DIMENSIONS.iter().map(|x| acme.now.counts[x]).collect();
    // people, commits, reviews, merges, releases, triage, responses, maintainers
    assert_eq!(counts, [2, 3, 2, 2, 1, 1, 1, 2]);
    assert_eq!(acme.now.work_share, 0.833);
    assert_eq!(acme.now.shares["commits"], 0.6);
    assert_eq!(acme.kind, OrgKind::Company);
    let initech = &d.rows[1];
    assert!(initech.partner);
    assert_eq!(initech.now.work_share, 0.083);
    assert_eq!(initech.year_before.work_share, 1.0);
    assert_eq!(initech.work_share_change_pts, -91.7);
    assert_eq!(
        d.kinds,
        vec![
            (OrgKind::Company, 1, 0.833),
            (OrgKind::Individual, 0, 0.083),
            (OrgKind::Unknown, 1, 0.083),
        ]
    );
    let flags: Vec<&str> = d
        .partners
        .iter()
        .filter_map(|p| p.flag.as_deref())
        .collect();
    assert_eq!(
        flags,
        [
            "partner Initech did 8.3% of the work, below 20% (a year before: 100%)",
            "partner Globex did none of the work (a year before: 0%)",
        ]
    );
    // 4 of the window's 5 commits have a named organization.
    assert!(d.confidence.enough);
    assert_eq!(d.confidence.known_share, 0.8);
}

#[test]
fn too_little_known_says_so() {
    let contributions: Vec<Contribution> = (0..17)
        .map(|i| commit(&format!("p{i}"), None, "2025-03-01"))
        .chain([commit("ann", Some("ACME"), "2025-03-01")])
        .collect();
    let m = compute(&Inputs {
        contributions: &contributions,
        reviews: &[],
        landed: &[],
        releases: &[],
        items: &[],
        maintainers: &[],
        stakeholder: &stakeholder,
        kind_of: &kind_of,
        partners: &[],
        partner_threshold: 0.05,
        window: year_2025(),
    });
    assert!(!m.details.confidence.enough);
    assert_eq!(
        m.details.confidence.note.as_deref(),
        Some("not enough known (6% of commits affiliated)")
    );
}
