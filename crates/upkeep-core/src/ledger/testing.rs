//! Test helper: one upstream (`o/r`) built act by act, with dates as
//! `YYYY-MM-DD` (00:00 UTC) and hours after them, people by short keys, and
//! "ours" decided by join dates.

use super::periods::{Period, PeriodKind, split};
use super::*;
use crate::events::{ActivityKind, ItemKind};
use crate::metrics::items::Action;
use std::collections::HashMap;

/// 00:00 UTC of `date`.
pub fn day(date: &str) -> i64 {
    date.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map_or(0, |z| z.timestamp().as_second())
}

/// `hours` after 00:00 UTC of `date`.
pub fn at(date: &str, hours: i64) -> i64 {
    day(date) + hours * 3600
}

/// A world of acts on one upstream.
pub struct World {
    pub window: Window,
    pub joined: HashMap<String, i64>,
    pub commits: Vec<CommitAct>,
    pub items: Vec<Item>,
    pub releases: Vec<Release>,
    pub landed: Vec<Landed>,
    pub named: BTreeSet<String>,
    pub engagement: Vec<Engagement>,
    pub posts: Vec<crate::metrics::mailing_lists::Post>,
    pub mentees: Vec<(String, i64)>,
    pub kind: PeriodKind,
    pub advisories: Vec<super::security::Fixable>,
    /// Commit id → the first release containing it.
    pub released_in: HashMap<String, (String, i64)>,
    /// Person → team.
    pub teams: HashMap<String, String>,
}

impl World {
    pub fn new(since: &str, until: &str) -> World {
        World {
            window: Window {
                since: day(since),
                until: day(until),
            },
            joined: HashMap::new(),
            commits: Vec::new(),
            items: Vec::new(),
            releases: Vec::new(),
            landed: Vec::new(),
            named: BTreeSet::new(),
            engagement: Vec::new(),
            posts: Vec::new(),
            mentees: Vec::new(),
            kind: PeriodKind::Month,
            advisories: Vec::new(),
            released_in: HashMap::new(),
            teams: HashMap::new(),
        }
    }

    /// `person` is ours from `date` on.
    pub fn joins(&mut self, person: &str, date: &str) {
        self.joined.insert(person.into(), day(date));
    }

    /// A non-merge commit by `author` on `date`.
    pub fn commit(&mut self, author: &str, date: &str) -> &mut CommitAct {
        let n = self.commits.len();
        self.commits.push(CommitAct {
            id: format!("{n:010x}{}", "0".repeat(30)),
            author: Some(author.into()),
            time: day(date),
            ..CommitAct::default()
        });
        &mut self.commits[n]
    }

    /// An item opened by `author` at `hours` after `date`.
    pub fn item(
        &mut self,
        kind: ItemKind,
        number: u64,
        author: &str,
        date: &str,
        hours: i64,
    ) -> &mut Item {
        self.items.push(Item {
            number,
            kind,
            author: Some(author.into()),
            author_bot: false,
            author_maintains: false,
            assignees: Vec::new(),
            created: at(date, hours),
            closed: None,
            merged: None,
            key: None,
            first_commit: None,
            merged_by: None,
            labels: Vec::new(),
            actions: Vec::new(),
        });
        self.items.last_mut().expect("just pushed")
    }

    /// A release by `person` on `date`.
    pub fn release(&mut self, name: &str, person: &str, date: &str) {
        self.releases.push(Release {
            name: name.into(),
            time: day(date),
            person: Some(person.into()),
            prerelease: false,
            organization: None,
        });
    }

    /// A list message `id` by `person` on `date`, answering `parent`.
    pub fn post(
        &mut self,
        id: &str,
        parent: Option<&str>,
        person: &str,
        date: &str,
        subject: &str,
    ) {
        self.posts.push(crate::metrics::mailing_lists::Post {
            id: id.into(),
            in_reply_to: parent.map(str::to_owned),
            first_reference: None,
            person: Some(person.into()),
            bot: false,
            time: day(date),
            subject: subject.into(),
            patch: subject.starts_with("[PATCH"),
            reviewers: Vec::new(),
        });
    }

    /// `person` landed someone's work on `date` (maintainer evidence).
    pub fn lands(&mut self, person: &str, date: &str) {
        self.landed.push(Landed {
            person: person.into(),
            time: day(date),
            bot: false,
            merge: true,
            organization: None,
        });
    }

    /// Computes every KPI over monthly periods (or `self.kind`).
    pub fn ledger(&self) -> (Vec<Kpi>, Vec<Period>) {
        self.with_inputs(|inputs| (compute(inputs), inputs.periods.to_vec()))
    }

    /// Calls `f` with the ledger's inputs over monthly periods (or `self.kind`).
    pub fn with_inputs<R>(&self, f: impl FnOnce(&Inputs<'_>) -> R) -> R {
        let periods = split(
            self.kind,
            self.window.since,
            self.window.until,
            self.window.until,
        );
        let upstreams = [Upstream {
            name: "o/r".into(),
            commits: &self.commits,
            items: &self.items,
            releases: &self.releases,
            landed: &self.landed,
            named_maintainers: &self.named,
            posts: &self.posts,
            advisories: &self.advisories,
            released_in: &self.released_in,
        }];
        let ours = |p: &str, t: i64| self.joined.get(p).is_some_and(|&from| from <= t);
        let team_of = |p: &str, _: i64| self.teams.get(p).cloned();
        f(&Inputs {
            upstreams: &upstreams,
            engagement: &self.engagement,
            ours: &ours,
            mentees: &self.mentees,
            mentoring: MentoringRule::default(),
            organization_of: &|p: &str, t: i64| ours(p, t).then(|| "Us".to_owned()),
            team_of: &team_of,
            window: self.window,
            periods: &periods,
        })
    }

    /// The KPI `id`.
    pub fn kpi(&self, id: &str) -> Kpi {
        self.ledger()
            .0
            .into_iter()
            .find(|k| k.id == id)
            .expect("a known KPI")
    }
}

/// An act by `person` of `kind` at `hours` after `date`.
pub fn act(kind: ActivityKind, person: &str, date: &str, hours: i64) -> Action {
    Action {
        kind,
        person: Some(person.into()),
        bot: false,
        time: at(date, hours),
    }
}
