use super::*;
use crate::metrics::fixtures::at;

fn window() -> Window {
    Window {
        since: at("2024-07-01"),
        until: at("2025-07-01"),
    }
}

fn signal(name: &str, value: Option<f64>) -> Signal {
    Signal {
        name: name.into(),
        of: "acme/widget".into(),
        value,
        source: "github".into(),
        as_of: "2025-06-30".into(),
        reason: value
            .is_none()
            .then(|| "PyPI's JSON API gives no download counts".into()),
        change_pct: None,
        year_before: None,
    }
}

fn fork(name: &str, pushed: &str, ahead: u64) -> Fork {
    Fork {
        name: name.into(),
        pushed: at(pushed),
        ahead_by: Some(ahead),
    }
}

#[test]
fn a_fork_more_active_than_a_stalled_upstream() {
    let signals = with_history(
        vec![signal("stars", Some(120.0)), signal("downloads", None)],
        &[
            ("stars".into(), "acme/widget".into(), at("2024-01-01"), 80.0),
            (
                "stars".into(),
                "acme/widget".into(),
                at("2024-06-20"),
                100.0,
            ),
            // Less than a year before: not the comparison.
            (
                "stars".into(),
                "acme/widget".into(),
                at("2025-01-01"),
                110.0,
            ),
        ],
        at("2025-06-30"),
    );
    assert_eq!(signals[0].change_pct, Some(20.0));
    assert_eq!(signals[0].year_before, Some(("2024-06-20".into(), 100.0)));
    assert_eq!(signals[1].change_pct, None);
    let evidence = Evidence {
        signals,
        forks: Ok(vec![
            fork("ann/widget", "2025-06-01", 4),
            fork("bob/widget", "2025-05-01", 0),
            fork("cid/widget", "2025-01-01", 9),
        ]),
    };
    // The last commit 212 days before the window's end: stalled.
    let m = compute(
        Some(&evidence),
        Some("Stable"),
        Some(at("2024-12-01")),
        window(),
    );
    assert_eq!(m.value, Some(120.0));
    let d = &m.details;
    assert!(d.upstream_stalled);
    assert_eq!(d.active_forks, vec![fork("ann/widget", "2025-06-01", 4)]);
    assert_eq!(
        d.flags,
        [
            "fork ann/widget is more active than the stalled upstream (4 commits ahead, pushed 2025-06-01; upstream's last commit 2024-12-01)"
        ]
    );
    // The downloads figure stays null, with its reason.
    assert_eq!(d.signals[1].value, None);
    assert!(d.signals[1].reason.is_some());
    // An active upstream raises no flag for the same fork.
    let m = compute(
        Some(&evidence),
        Some("Active"),
        Some(at("2025-06-15")),
        window(),
    );
    assert!(m.details.flags.is_empty());
    assert_eq!(m.details.active_forks.len(), 1);
}

#[test]
fn not_checked_is_no_value_with_the_reason() {
    let m = compute(None, None, None, window());
    assert_eq!(m.value, None);
    assert!(m.reason.is_some_and(|r| r.contains("not checked")));
    let m = compute(
        Some(&Evidence {
            signals: vec![],
            forks: Err("the forge answered 403".into()),
        }),
        None,
        None,
        window(),
    );
    assert_eq!(
        m.details.forks_unchecked.as_deref(),
        Some("the forge answered 403")
    );
}
