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
    /// Per commit (hex id): the first release containing it, and when.
    pub released_in: HashMap<String, (String, i64)>,
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
    let released_in = released_in(store, repo, &events)?;
    Ok(UpstreamData {
        released_in,
        name: short_name(repo),
        commits,
        events,
        posts,
        advisories: upkeep_core::ledger::security::fixables(&records),
    })
}

/// The first release (version tag or forge release of a version tag, not a
/// pre-release) containing each commit of `repo`.
fn released_in(
    store: &Store,
    repo: &MinedRepo,
    events: &Events,
) -> anyhow::Result<HashMap<String, (String, i64)>> {
    let targets: HashMap<String, upkeep_core::events::Oid> = store
        .version_tag_targets(repo.id)?
        .into_iter()
        .map(|(name, oid)| (name.to_string(), oid))
        .collect();
    let releases: Vec<(String, upkeep_core::events::Oid, i64)> = events
        .releases
        .iter()
        .filter(|r| !r.prerelease)
        .filter_map(|r| Some((r.name.clone(), targets.get(&r.name)?.clone(), r.time)))
        .collect();
    if releases.is_empty() {
        return Ok(HashMap::new());
    }
    let graph = store.commit_graph(repo.id)?;
    let first = upkeep_core::ledger::first_releases(&releases, &|c| {
        graph.get(c).cloned().unwrap_or_default()
    });
    Ok(first
        .into_iter()
        .map(|(oid, r)| (oid.to_hex(), r))
        .collect())
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

/// The teams of our people: roster entries of `organization` with a team
/// (`upkeep roster import`, and `[[organization.people]] team`), matched by
/// address or login over their dates.
pub struct Teams<'a> {
    resolved: &'a Resolved,
    /// (team, address or `login:…`, from, until).
    entries: Vec<(String, String, Option<Day>, Option<Day>)>,
}

impl<'a> Teams<'a> {
    /// The teams the store's roster and `config` give `organization`'s people.
    pub fn new(
        store: &Store,
        config: &Config,
        resolved: &'a Resolved,
        organization: &str,
    ) -> anyhow::Result<Self> {
        let day = |d: &Option<String>| d.as_deref().and_then(Day::parse);
        let mut entries = Vec::new();
        for e in store.roster()? {
            let Some(team) = e
                .team
                .filter(|_| e.organization.eq_ignore_ascii_case(organization))
            else {
                continue;
            };
            let keys = e
                .email
                .iter()
                .cloned()
                .chain(e.login.iter().map(|l| login_key(l)));
            for key in keys {
                entries.push((team.clone(), key, day(&e.from), day(&e.until)));
            }
        }
        if config
            .organization
            .name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(organization))
        {
            for p in &config.organization.people {
                let Some(team) = &p.team else { continue };
                let keys = p
                    .email
                    .iter()
                    .map(|e| e.to_lowercase())
                    .chain(p.login.iter().map(|l| login_key(&l.to_lowercase())));
                for key in keys {
                    entries.push((team.get_ref().clone(), key, day(&p.from), day(&p.until)));
                }
            }
        }
        Ok(Teams { resolved, entries })
    }

    /// The team of the person `key` at `time`, if one is recorded.
    pub fn of(&self, key: &str, time: i64) -> Option<String> {
        if self.entries.is_empty() {
            return None;
        }
        let day = Day::from_unix_seconds(time)?;
        let person = self.resolved.people.find(key).into_iter().next()?;
        let owns = |k: &str| {
            person.emails.contains(k)
                || k.strip_prefix("login:")
                    .is_some_and(|l| person.logins.contains(l))
        };
        self.entries
            .iter()
            .find(|(_, k, from, until)| {
                owns(k) && from.is_none_or(|f| f <= day) && until.is_none_or(|u| day < u)
            })
            .map(|(team, ..)| team.clone())
    }
}
