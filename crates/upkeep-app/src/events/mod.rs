//! A project's events read from the store with their people resolved: the
//! contributions, releases, reviews and maintainer evidence that `report`
//! measures and `contributions` credits. Like `sources::history`, it joins parts;
//! the rules live in `upkeep_core`.

pub mod adoption;
pub mod forge;
pub mod ledger;
pub mod lists;
pub mod security;

use crate::events::forge::ForgeInputs;
use crate::identities::Resolved;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use upkeep_core::events::conventions::{Conventions, credited_authors};
use upkeep_core::events::{RawText, TipFileKind};
use upkeep_core::identities::Day;
use upkeep_core::identities::bots::AccountKind;
use upkeep_core::identities::governance::{self, Named};
use upkeep_core::identities::key::login_key;
use upkeep_core::identities::people::Person;
use upkeep_core::metrics::Contribution;
use upkeep_core::metrics::git_inputs::{CommitPeople, Someone};
use upkeep_core::metrics::maintainers::Landed;
use upkeep_core::metrics::releases::Release;
use upkeep_core::metrics::reviews::Review;
use upkeep_store::{CommitCredits, CreditsTable, RepoId, Store};

/// Who authored, reviewed and landed commits, any time, credited to people and organizations.
pub struct Work {
    /// Non-merge commits authored: one per credited author (see
    /// [`conventions::credited_authors`]).
    pub contributions: Vec<Contribution>,
    /// Commits whose authors were taken from their messages (`Author:` lines).
    pub credited_from_messages: u64,
    /// Review trailers.
    pub reviews: Vec<Review>,
    /// Work landed in git: merge commits, and commits of someone else's work.
    pub landed: Vec<Landed>,
    /// Commits by people that name an AI agent (a co-author, `Assisted-by`,
    /// `Generated-by`): when each was authored.
    pub assisted: Vec<i64>,
    /// Commits an AI agent authored: when each was.
    pub agent_authored: Vec<i64>,
}

/// A project's releases, maintainer evidence and forge records, any time.
pub struct Events {
    /// Version tags and forge releases.
    pub releases: Vec<Release>,
    /// Pull requests merged on the forge (the landings git records come with
    /// the commits: see [`Work::landed`] and [`landed_from`]).
    pub landed: Vec<Landed>,
    /// People named in governance files at the tips.
    pub named: BTreeSet<String>,
    /// People governance files name: those, and the people GOVERNANCE files
    /// name (listed for the roster audit, not maintainers by that alone).
    pub listed: BTreeSet<String>,
    /// What the forge adds (items, write access, reviews); its merges and
    /// releases are already in the lists above.
    pub forge: ForgeInputs,
}

/// The person an identity belongs to.
fn person_of<'r>(resolved: &'r Resolved, name: &RawText, email: &RawText) -> Option<&'r Person> {
    resolved.people.of(&name.to_string(), &email.to_string())
}

/// Organizations of people's acts, remembered for people whose organization
/// does not depend on the day (see `Affiliations::undated`).
struct Orgs<'r> {
    resolved: &'r Resolved,
    undated: RefCell<HashMap<(String, RawText), Option<String>>>,
}

impl<'r> Orgs<'r> {
    fn new(resolved: &'r Resolved) -> Self {
        Orgs {
            resolved,
            undated: RefCell::new(HashMap::new()),
        }
    }

    /// The organization `person` belonged to at `time`, for an act made with `email`.
    fn on(&self, person: &Person, email: &RawText, time: i64) -> Option<String> {
        let key = (person.key.clone(), email.clone());
        if let Some(known) = self.undated.borrow().get(&key) {
            return known.clone();
        }
        let used = email.to_string();
        let org = Day::from_unix_seconds(time).and_then(|day| {
            self.resolved
                .affiliations
                .credit(person, &used, day)
                .organization
        });
        if self.resolved.affiliations.undated(person, &used) {
            self.undated.borrow_mut().insert(key, org.clone());
        }
        org
    }
}

/// Reads who authored and reviewed the commits of the repositories `ids`.
pub fn read_work(store: &Store, resolved: &Resolved, ids: &[RepoId]) -> anyhow::Result<Work> {
    let orgs = Orgs::new(resolved);
    let mut contributions: Vec<Contribution> = Vec::new();
    let mut reviews: Vec<Review> = Vec::new();
    let mut landed: Vec<Landed> = Vec::new();
    let mut credited_from_messages = 0;
    let mut assisted = Vec::new();
    let mut agent_authored = Vec::new();
    for id in ids {
        let table = store.commit_credits(*id)?;
        let rules = conventions_of(store, resolved, *id)?;
        let mut who = Who::new(resolved, &table);
        for c in &table.commits {
            let (people, from_message) = commit_people(c, &rules, &mut who);
            credited_from_messages += u64::from(from_message && !c.merge);
            for author in people.contributors() {
                contributions.push(Contribution {
                    person: author.person.key.clone(),
                    organization: orgs.on(author.person, author.email, c.time),
                    time: c.time,
                    offset_minutes: c.offset_minutes,
                    bot: author.bot(),
                });
            }
            if !c.merge {
                for r in people.known_reviewers() {
                    reviews.push(Review {
                        person: r.person.key.clone(),
                        organization: orgs.on(r.person, r.email, c.time),
                        time: c.time,
                        bot: r.bot(),
                        of: None,
                    });
                }
            }
            landed.extend(landing(c, &people, &orgs));
            if ai_assisted(c, &people, &mut who) {
                assisted.push(c.time);
            }
            if !c.merge && people.authors.iter().flatten().any(Credit::agent) {
                agent_authored.push(c.time);
            }
        }
    }
    contributions.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.person.cmp(&b.person)));
    reviews.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.person.cmp(&b.person)));
    Ok(Work {
        contributions,
        credited_from_messages,
        reviews,
        landed,
        assisted,
        agent_authored,
    })
}

/// Whether a commit by a person names an AI agent as a co-author or in an
/// `Assisted-by`/`Generated-by` trailer.
fn ai_assisted(
    c: &CommitCredits,
    people: &CommitPeople<Credit<'_, '_>>,
    who: &mut Who<'_, '_>,
) -> bool {
    let by_a_person = people.authors.iter().flatten().any(|a| !a.bot());
    let named = people.co_authors.iter().flatten().any(Credit::agent)
        || c.assistants
            .iter()
            .filter_map(|id| who.get(*id))
            .any(|p| p.agent());
    !c.merge && by_a_person && named
}

/// A person a commit names, and the address it names them by.
#[derive(Clone, Copy)]
pub struct Credit<'r, 't> {
    /// The person.
    pub person: &'r Person,
    /// The address used.
    pub email: &'t RawText,
}

impl Credit<'_, '_> {
    /// Whether the person is an AI agent.
    fn agent(&self) -> bool {
        self.person.kind == AccountKind::Agent
    }
}

impl Someone for Credit<'_, '_> {
    fn key(&self) -> &str {
        &self.person.key
    }
    fn bot(&self) -> bool {
        self.person.bot.is_some()
    }
}

/// The people of a table's identities, each resolved once.
pub(crate) struct Who<'r, 't> {
    resolved: &'r Resolved,
    table: &'t CreditsTable,
    people: HashMap<i64, Option<&'r Person>>,
}

impl<'r, 't> Who<'r, 't> {
    /// No identity resolved yet.
    pub(crate) fn new(resolved: &'r Resolved, table: &'t CreditsTable) -> Self {
        Who {
            resolved,
            table,
            people: HashMap::new(),
        }
    }

    /// The person of identity `ident`, and the address it used.
    fn get(&mut self, ident: i64) -> Option<Credit<'r, 't>> {
        let (name, email) = self.table.idents.get(&ident)?;
        let resolved = self.resolved;
        let person = *self
            .people
            .entry(ident)
            .or_insert_with(|| person_of(resolved, name, email));
        Some(Credit {
            person: person?,
            email,
        })
    }
}

/// A commit's people under `rules`, and whether its message named its authors.
pub(crate) fn commit_people<'r, 't>(
    c: &CommitCredits,
    rules: &Conventions,
    who: &mut Who<'r, 't>,
) -> (CommitPeople<Credit<'r, 't>>, bool) {
    let (authors, from_message) = credited_authors(c.author, &c.message_authors, &[], rules);
    let mut people = |ids: &[i64]| -> Vec<Option<Credit<'r, 't>>> {
        ids.iter().map(|id| who.get(*id)).collect()
    };
    let commit = CommitPeople {
        merge: c.merge,
        authors: people(&authors),
        co_authors: people(&c.co_authors),
        reviewers: people(&c.reviewers),
        committer: who.get(c.committer),
    };
    (commit, from_message)
}

/// The rules of `[[conventions]]` for the repository `id`.
pub fn conventions_of(
    store: &Store,
    resolved: &Resolved,
    id: RepoId,
) -> anyhow::Result<Conventions> {
    let location = store.location_of(id)?.unwrap_or_default();
    Ok(crate::config::for_location(
        &resolved.conventions,
        &location,
    ))
}

/// The landing a commit shows, if any (see [`CommitPeople::landed_by`]).
fn landing(
    c: &CommitCredits,
    people: &CommitPeople<Credit<'_, '_>>,
    orgs: &Orgs<'_>,
) -> Option<Landed> {
    let committer = people.landed_by()?;
    Some(Landed {
        person: committer.person.key.clone(),
        time: c.committed,
        bot: committer.bot(),
        merge: c.merge,
        organization: orgs.on(committer.person, committer.email, c.committed),
    })
}

/// The git landings of a repository whose commits were read as `table`, under `rules`.
pub fn landed_from(resolved: &Resolved, table: &CreditsTable, rules: &Conventions) -> Vec<Landed> {
    let mut who = Who::new(resolved, table);
    let orgs = Orgs::new(resolved);
    table
        .commits
        .iter()
        .filter_map(|c| landing(c, &commit_people(c, rules, &mut who).0, &orgs))
        .collect()
}

/// Reads the releases, maintainer evidence and forge records of the repositories `ids`.
pub fn read_events(store: &Store, resolved: &Resolved, ids: &[RepoId]) -> anyhow::Result<Events> {
    let person_of = |name: &RawText, email: &RawText| person_of(resolved, name, email);
    let orgs = Orgs::new(resolved);
    let org_on = |person: &Person, email: &RawText, time: i64| orgs.on(person, email, time);
    let mut releases = Vec::new();
    for id in ids {
        for tag in store.tagged_releases(*id)? {
            let by = tag
                .by
                .as_ref()
                .and_then(|(name, email)| Some((person_of(name, email)?, email)));
            let name = tag.name.to_string();
            releases.push(Release {
                prerelease: upkeep_core::events::is_prerelease(&name),
                name,
                time: tag.time,
                person: by.map(|(p, _)| p.key.clone()),
                organization: by.and_then(|(p, email)| org_on(p, email, tag.time)),
            });
        }
    }
    // Maintainers by name: CODEOWNERS, MAINTAINERS, OWNERS at the tips;
    // GOVERNANCE files only list people (the roster audit).
    let mut named = BTreeSet::new();
    let mut governance_named = BTreeSet::new();
    let governance = [
        TipFileKind::Codeowners,
        TipFileKind::Maintainers,
        TipFileKind::Owners,
        TipFileKind::Governance,
    ];
    for id in ids {
        for file in store.tip_files_of(*id, &governance)? {
            let into = match file.kind {
                TipFileKind::Codeowners | TipFileKind::Maintainers | TipFileKind::Owners => {
                    &mut named
                }
                TipFileKind::Governance => &mut governance_named,
                _ => continue,
            };
            for who in governance::named(file.kind, &file.content.to_string()) {
                let key = match who {
                    Named::Email(email) => resolved
                        .people
                        .find(&email)
                        .first()
                        .map_or(email, |p| p.key.clone()),
                    Named::Login(login) => resolved
                        .people
                        .with_login(&login)
                        .map_or_else(|| login_key(&login), |p| p.key.clone()),
                };
                into.insert(key);
            }
        }
    }
    let mut listed = named.clone();
    listed.extend(governance_named);
    let mut forge = crate::events::forge::read(store, resolved, ids)?;
    crate::events::forge::merge_releases(&mut releases, std::mem::take(&mut forge.releases));
    let landed = std::mem::take(&mut forge.merges);
    Ok(Events {
        releases,
        landed,
        named,
        listed,
        forge,
    })
}
