//! Building people and affiliations from what is stored and what the
//! configuration records. Like `sources::history`, this joins parts; the rules live
//! in `upkeep_core::identities`.

use crate::config::{Config, ConventionEntry};
use std::collections::HashMap;
use upkeep_core::events::TipFileKind;
use upkeep_core::identities::Day;
use upkeep_core::identities::bots::BotRules;
use upkeep_core::identities::governance;
use upkeep_core::identities::key::login_key;
use upkeep_core::identities::organizations::{Affiliations, Span};
use upkeep_core::identities::people::{People, Seen};
use upkeep_git::mailmap::Mailmap;
use upkeep_store::{Authored, Store};

/// Everyone in the store, with the affiliation data to credit their work.
pub struct Resolved {
    /// The people.
    pub people: People,
    /// Configuration, imported data and domain rules.
    pub affiliations: Affiliations,
    /// `[[conventions]]`: how repositories record who did what.
    pub conventions: Vec<ConventionEntry>,
    /// Organization kinds, partners and good-first labels.
    pub community: crate::community::Community,
}

/// The `[bots]` and `[agents]` accounts of `config` that match nobody seen
/// (by name, address or login, any case): (table, account).
pub fn unmatched_accounts(people: &People, config: &Config) -> Vec<(&'static str, String)> {
    let bare = |s: &str| s.trim().to_lowercase().trim_end_matches("[bot]").to_owned();
    let seen: std::collections::HashSet<String> = people
        .all()
        .iter()
        .flat_map(|p| p.names.iter().chain(&p.emails).chain(&p.logins))
        .map(|s| bare(s))
        .collect();
    [("bots", config.bots()), ("agents", config.agents())]
        .into_iter()
        .flat_map(|(table, accounts)| accounts.into_iter().map(move |a| (table, a)))
        .filter(|(_, account)| !seen.contains(&bare(account)))
        .collect()
}

/// Resolves everyone seen in any mined repository.
pub fn resolve(store: &Store, config: &Config) -> anyhow::Result<Resolved> {
    let mut mailmap = Mailmap::default();
    for content in store.mailmaps()? {
        mailmap.add(content.as_bytes());
    }
    let seen: Vec<Seen> = store
        .seen_identities()?
        .into_iter()
        .map(|s| Seen {
            name: s.name.to_string(),
            email: s.email.to_string(),
            count: s.count,
            login: None,
        })
        .chain(store.forge_logins()?.into_iter().map(|l| {
            if l.email.is_empty() {
                Seen::forge_only(&l.login)
            } else {
                Seen {
                    name: l.name,
                    email: l.email,
                    count: 0,
                    login: Some(l.login),
                }
            }
        }))
        .collect();
    let people = People::resolve(
        &seen,
        &|name: &str, email: &str| mailmap.canonical(name, email),
        &config.decisions(),
        &BotRules::new(config.bots()).with_agents(config.agents()),
    );
    let mut affiliations = Affiliations::default();
    config.add_affiliations(&mut affiliations);
    config.add_roster(&mut affiliations);
    for entry in store.roster()? {
        let span = Span {
            organization: entry.organization.clone(),
            from: entry.from.as_deref().and_then(Day::parse),
            until: entry.until.as_deref().and_then(Day::parse),
        };
        for key in entry
            .email
            .iter()
            .cloned()
            .chain(entry.login.iter().map(|l| login_key(l)))
        {
            affiliations.add_roster(&key, span.clone());
        }
    }
    add_maintainer_tables(store, &mut affiliations)?;
    store.load_affiliation_rules(&mut affiliations)?;
    let keys: std::collections::BTreeSet<String> = people
        .all()
        .iter()
        .flat_map(|p| affiliations.keys(p))
        .collect();
    store.load_affiliation_ranges(&mut affiliations, keys.iter().map(String::as_str))?;
    Ok(Resolved {
        conventions: config.conventions.clone(),
        community: config.community(),
        people,
        affiliations,
    })
}

/// What the Affiliation columns of the repositories' MAINTAINERS tables say.
fn add_maintainer_tables(store: &Store, affiliations: &mut Affiliations) -> anyhow::Result<()> {
    for repo in store.repositories()? {
        for file in store.tip_files(repo.id)? {
            if file.kind != TipFileKind::Maintainers {
                continue;
            }
            for row in governance::maintainer_rows(&file.content.to_string()) {
                if let (Some(login), Some(organization)) = (row.login, row.affiliation) {
                    let span = Span {
                        organization,
                        from: None,
                        until: None,
                    };
                    affiliations.add_maintainers_file(&login_key(&login), span);
                }
            }
        }
    }
    Ok(())
}

impl Resolved {
    /// For every person (by key), the day and address of each commit of
    /// `authored` (oldest first) they authored.
    pub fn activities(&self, authored: &[Authored]) -> HashMap<String, Vec<(Day, String)>> {
        let mut out: HashMap<String, Vec<(Day, String)>> = HashMap::new();
        for a in authored {
            let (name, email) = (a.name.to_string(), a.email.to_string());
            if let (Some(person), Some(day)) = (
                self.people.of(&name, &email),
                Day::from_unix_seconds(a.time),
            ) {
                out.entry(person.key.clone())
                    .or_default()
                    .push((day, email));
            }
        }
        out
    }
}
