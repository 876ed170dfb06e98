//! The OSPO ledger's inputs, read from the store: each upstream's commits
//! with the people they credit, its forge items, releases and maintainer
//! evidence; who "we" are on each date; our mentees and engagement. The
//! rules live in `upkeep_core::ledger`.

use crate::config::Config;
use crate::events::{Events, Who, commit_people, conventions_of, landed_from, read_events};
use crate::identities::Resolved;
use crate::project::{MinedRepo, short_name};
use std::cell::RefCell;
use std::collections::HashMap;
use upkeep_core::events::conventions::pull_request_of;
use upkeep_core::identities::Day;
use upkeep_core::identities::key::{PersonKey, login_key};
use upkeep_core::ledger::{CommitAct, Engagement};
use upkeep_core::metrics::git_inputs::Someone;
use upkeep_core::metrics::mailing_lists::Post;
use upkeep_store::Store;

/// One upstream's acts, resolved.
pub struct UpstreamData {
    /// Its short name.
    pub name: String,
    /// Its commits.
    pub commits: Vec<CommitAct>,
    /// Its other events (items, releases, maintainer evidence).
    pub events: Events,
    /// Messages of its mailing lists.
    pub posts: Vec<Post>,
    /// Its vulnerabilities and their fix commits (empty when not checked).
    pub advisories: Vec<upkeep_core::ledger::security::Fixable>,
}

/// Reads one upstream's acts.
pub fn read_upstream(
    store: &Store,
    resolved: &Resolved,
    repo: &MinedRepo,
) -> anyhow::Result<UpstreamData> {
    let table = store.commit_credits(repo.id)?;
    let rules = conventions_of(store, resolved, repo.id)?;
    // Many commits, few identities: `Who` resolves each identity once.
    let mut who = Who::new(resolved, &table);
    let mut commits = Vec::with_capacity(table.commits.len());
    for c in &table.commits {
        let (people, _) = commit_people(c, &rules, &mut who);
        let author = people.ledger_author();
        let (pr_number, issue_refs) = pull_request_of(c.pr_number, &c.issue_refs, &rules);
        commits.push(CommitAct {
            id: c.id.to_hex(),
            author_bot: author.is_some_and(|a| a.bot()),
            author: author.map(|a| a.key().to_owned()),
            time: c.time,
            offset_minutes: c.offset_minutes,
            merge: c.merge,
            pr_number,
            co_authors: people.ledger_co_authors(),
            reviewers: people.ledger_reviewers(),
            issue_refs,
            subject: c.subject.to_string(),
        });
    }
    let mut events = read_events(store, resolved, &[repo.id])?;
    events.landed.extend(landed_from(resolved, &table, &rules));
    let posts = crate::events::lists::posts(store, resolved, &[repo.id])?;
    let records = crate::events::security::records(store, &[repo.id])?;
    Ok(UpstreamData {
        name: short_name(repo),
        commits,
        events,
        posts,
        advisories: upkeep_core::ledger::security::fixables(&records),
    })
}

/// Who "we" are: the people affiliated with one organization, on each day.
pub struct Us<'a> {
    resolved: &'a Resolved,
    organization: String,
    given: String,
    /// Per person: `None` when no day can make them ours, else the days asked.
    memo: RefCell<HashMap<String, Option<HashMap<Day, bool>>>>,
}

impl<'a> Us<'a> {
    /// The people of `organization` (compared after the company-name mapping, in any case).
    pub fn new(resolved: &'a Resolved, organization: &str) -> Self {
        Us {
            organization: resolved.affiliations.normalize(organization).to_lowercase(),
            given: organization.to_owned(),
            resolved,
            memo: RefCell::new(HashMap::new()),
        }
    }

    /// Whether the person `key` was ours at `time`.
    pub fn is(&self, key: &str, time: i64) -> bool {
        let Some(day) = Day::from_unix_seconds(time) else {
            return false;
        };
        match self.memo.borrow().get(key) {
            Some(None) => return false,
            Some(Some(days)) => {
                if let Some(&known) = days.get(&day) {
                    return known;
                }
            }
            None => {}
        }
        let mut memo = self.memo.borrow_mut();
        let days = memo.entry(key.to_owned()).or_insert_with(|| {
            let person = self.resolved.people.find(key).into_iter().next()?;
            self.resolved
                .affiliations
                .may_credit(person, &person.key, &self.given)
                .then(HashMap::new)
        });
        let Some(days) = days else {
            return false;
        };
        let ours = self.organization_of(key, time).is_some_and(|o| {
            self.resolved.affiliations.normalize(&o).to_lowercase() == self.organization
        });
        days.insert(day, ours);
        ours
    }

    /// The organization of the person `key` at `time`, if known.
    pub fn organization_of(&self, key: &str, time: i64) -> Option<String> {
        let person = self.resolved.people.find(key).into_iter().next()?;
        let day = Day::from_unix_seconds(time)?;
        self.resolved
            .affiliations
            .credit(person, &person.key, day)
            .organization
    }
}

/// The person key of `who` (an address, `login:NAME` or a name): the person
/// it finds, else `who` itself.
fn person_key(resolved: &Resolved, who: &str) -> String {
    let query = who.trim();
    let found = match PersonKey::parse(query).login() {
        Some(login) => resolved.people.with_login(login).map(|p| p.key.clone()),
        None => resolved.people.find(query).first().map(|p| p.key.clone()),
    };
    found.unwrap_or_else(|| query.to_lowercase())
}

/// 00:00 UTC of a `YYYY-MM-DD` day, in seconds since the epoch.
pub fn day_start(text: &str) -> Option<i64> {
    let day: jiff::civil::Date = text.parse().ok()?;
    Some(
        day.to_zoned(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp()
            .as_second(),
    )
}

/// Hand-recorded engagement: the store's imported entries and `[[engagement]]`.
pub fn engagement(
    store: &Store,
    config: &Config,
    resolved: &Resolved,
) -> anyhow::Result<Vec<Engagement>> {
    let stored = store
        .engagement()?
        .into_iter()
        .map(|e| (e.day, e.person, e.upstream, e.kind, e.url));
    let configured = config.engagement.iter().map(|e| {
        (
            e.date.clone(),
            e.person.clone(),
            e.upstream.clone(),
            e.kind.clone(),
            e.url.clone(),
        )
    });
    Ok(stored
        .chain(configured)
        .filter_map(|(day, person, upstream, kind, url)| {
            Some(Engagement {
                time: day_start(&day)?,
                person: person_key(resolved, &person),
                upstream,
                kind,
                url,
            })
        })
        .collect())
}

/// `[[organization.mentees]]` as (person key, from).
pub fn mentees(config: &Config, resolved: &Resolved) -> Vec<(String, i64)> {
    config
        .organization
        .mentees
        .iter()
        .filter_map(|m| {
            let who = match (&m.email, &m.login) {
                (Some(email), _) => email.clone(),
                (None, Some(login)) => login_key(login),
                (None, None) => return None,
            };
            Some((person_key(resolved, &who), day_start(&m.from)?))
        })
        .collect()
}
