//! Test helpers shared by the stakeholder metrics' tests: instants by date,
//! items and acts on them.

use super::Window;
use super::items::{Action, Item};
use crate::events::{ActivityKind, ItemKind};

/// 00:00 UTC of `date` (YYYY-MM-DD).
pub fn at(date: &str) -> i64 {
    super::on("x", date).time
}

/// The year 2025.
pub fn year_2025() -> Window {
    Window {
        since: at("2025-01-01"),
        until: at("2026-01-01"),
    }
}

/// `kind` by `person` on `date`.
pub fn act(kind: ActivityKind, person: &str, date: &str) -> Action {
    Action {
        time: at(date),
        ..super::items::act(kind, person, 0)
    }
}

/// An item `number` of `kind` opened by `author` on `date`, with `actions`.
pub fn item(number: u64, kind: ItemKind, author: &str, date: &str, actions: Vec<Action>) -> Item {
    Item {
        created: at(date),
        ..super::items::item(kind, number, author, 0, actions)
    }
}

/// A pull request by `author` opened on `date`, merged by `merger` on `merged`.
pub fn merged_pr(
    number: u64,
    author: &str,
    date: &str,
    merger: &str,
    merged: &str,
    actions: Vec<Action>,
) -> Item {
    Item {
        merged: Some(at(merged)),
        merged_by: Some(merger.into()),
        ..item(number, ItemKind::PullRequest, author, date, actions)
    }
}
