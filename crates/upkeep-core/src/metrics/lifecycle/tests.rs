use super::*;
use crate::events::{ActivityKind, ItemKind};
use crate::metrics::items::Action;
use crate::metrics::on;

fn at(date: &str) -> i64 {
    on("x", date).time
}

fn window() -> Window {
    Window {
        since: at("2025-01-01"),
        until: at("2026-01-01"),
    }
}

/// `n` commits by `who`, one a fortnight from `from`.
fn commits(who: &str, from: &str, n: i64) -> Vec<Contribution> {
    (0..n)
        .map(|i| {
            let mut c = on(who, from);
            c.time += i * 14 * DAY;
            c
        })
        .collect()
}

fn release(name: &str, date: &str) -> Release {
    Release {
        name: name.into(),
        time: at(date),
        person: None,
        prerelease: false,
        organization: None,
    }
}

/// An issue opened by `author` on `date`, answered by `by` a day later if given.
fn issue(number: u64, author: &str, date: &str, by: Option<&str>) -> Item {
    Item {
        number,
        kind: ItemKind::Issue,
        author: Some(author.into()),
        author_bot: false,
        author_maintains: false,
        assignees: Vec::new(),
        created: at(date),
        closed: None,
        merged: None,
        key: None,
        first_commit: None,
        merged_by: None,
        labels: Vec::new(),
        actions: by
            .map(|p| Action {
                kind: ActivityKind::Comment,
                person: Some(p.into()),
                bot: false,
                time: at(date) + DAY,
            })
            .into_iter()
            .collect(),
    }
}

struct Case {
    contributions: Vec<Contribution>,
    releases: Vec<Release>,
    items: Vec<Item>,
    last_act: Option<&'static str>,
    change: Option<f64>,
    archived: Option<&'static str>,
    forge: bool,
}

impl Case {
    fn quiet() -> Case {
        Case {
            contributions: Vec::new(),
            releases: Vec::new(),
            items: Vec::new(),
            last_act: None,
            change: None,
            archived: None,
            forge: true,
        }
    }

    fn run(&self) -> Metric<Details, String> {
        let maint = |p: &str, _: i64| p == "maint";
        compute(&Inputs {
            contributions: &self.contributions,
            releases: &self.releases,
            items: &self.items,
            is_maintainer: &maint,
            last_maintainer_act: self.last_act.map(at),
            activity_change_pct: self.change,
            archived: self.archived,
            has_forge: self.forge,
            window: window(),
        })
    }
}

#[test]
fn each_state_from_its_own_history() {
    // Active: 20 commits through 2025, a release in June, others answered.
    let active = Case {
        contributions: commits("maint", "2025-01-05", 20),
        releases: vec![release("v2.0", "2025-06-01")],
        items: vec![issue(1, "ann", "2025-05-01", Some("maint"))],
        last_act: Some("2025-10-01"),
        ..Case::quiet()
    };
    assert_eq!(active.run().value.as_deref(), Some("Active"));

    // Declining: the same, with contributors down 40%.
    let declining = Case {
        change: Some(-40.0),
        ..active
    };
    assert_eq!(declining.run().value.as_deref(), Some("Declining"));

    // Stable: 3 commits and no release in 2025; ann's issue answered by bob,
    // though the maintainer has been silent since March.
    let stable = Case {
        contributions: commits("maint", "2025-02-01", 3),
        releases: vec![release("v1.0", "2023-06-01")],
        items: vec![issue(1, "ann", "2025-05-01", Some("bob"))],
        last_act: Some("2025-03-01"),
        ..Case::quiet()
    };
    let m = stable.run();
    assert_eq!(m.value.as_deref(), Some("Stable"), "{:?}", m.details);

    // Abandoned: the same silence, and nobody answered ann or carl.
    let abandoned = Case {
        items: vec![
            issue(1, "ann", "2025-05-01", None),
            issue(2, "carl", "2025-08-01", None),
            // Opened after the maintainer's last act, but too young to count.
            issue(3, "dan", "2025-12-20", None),
        ],
        ..stable
    };
    let m = abandoned.run();
    assert_eq!(m.value.as_deref(), Some("Abandoned"));
    assert_eq!(
        m.details.evidence,
        [
            "last commit 2025-03-01; 3 commits in the last year",
            "last release v1.0 on 2023-06-01",
            "last maintainer act 2025-03-01",
            "2 of 2 issues and pull requests by others since then got no response",
        ]
    );

    // Inert: the maintainer still commits now and then (November), but no
    // release for two years, 2 commits, others unanswered.
    let inert = Case {
        contributions: vec![on("maint", "2025-04-01"), on("maint", "2025-11-01")],
        releases: vec![release("v1.0", "2023-06-01")],
        items: vec![
            issue(1, "ann", "2025-05-01", None),
            issue(2, "carl", "2025-06-01", None),
        ],
        last_act: Some("2025-11-01"),
        ..Case::quiet()
    };
    assert_eq!(inert.run().value.as_deref(), Some("Inert"));

    // Archived, whatever else.
    let archived = Case {
        archived: Some("the forge says the repository is archived"),
        ..Case::quiet()
    };
    let m = archived.run();
    assert_eq!(m.value.as_deref(), Some("Archived"));
    assert_eq!(
        m.details.evidence[0],
        "the forge says the repository is archived"
    );
}

#[test]
fn without_forge_data_or_maintainers_a_state_and_what_was_missing() {
    // No forge, no maintainer ever, two commits long ago: Inert, and it says
    // what it could not look at.
    let none = Case {
        contributions: vec![on("ann", "2019-01-01"), on("bob", "2019-02-01")],
        forge: false,
        ..Case::quiet()
    };
    let m = none.run();
    assert_eq!(m.value.as_deref(), Some("Inert"));
    assert_eq!(m.details.missing.len(), 1);
    assert!(m.details.missing[0].contains("unknown without forge data"));
    assert_eq!(m.details.last_commit.as_deref(), Some("2019-02-01"));
    // Nothing at all: still a state.
    assert_eq!(Case::quiet().run().value.as_deref(), Some("Stable"));
    assert_eq!(
        State::from_ordinal(State::Inert.ordinal()),
        Some(State::Inert)
    );
}

#[test]
fn a_readme_that_says_it_is_unmaintained() {
    let notice = "# x\n\n> **Note**\n> This project is no longer\n> maintained; see y.\n";
    assert_eq!(
        archived_notice(notice).as_deref(),
        Some("the README says \"no longer maintained\"")
    );
    assert_eq!(archived_notice("# x\nA maintained library."), None);
}
