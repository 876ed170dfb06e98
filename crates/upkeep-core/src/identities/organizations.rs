//! Which organization a person belonged to on a day, and how we know.
//!
//! Sources, strongest first: an organization's roster (its own list of its
//! people, `upkeep roster import` and `[[organization.people]]`), the
//! configuration (explicit ranges), imported
//! gitdm developer affiliations (by address, alias or GitHub login), the
//! address's domain (gitdm's domain map, walking up to the registered domain,
//! else the registered domain itself), and otherwise unknown. Free-mail,
//! relay and machine-local addresses never name an organization. Names are
//! normalized through the company-name mapping (aliases, acquisitions).

use super::Day;
use super::email;
use super::key::login_key;
use super::people::Person;
use serde::Serialize;
use std::collections::HashMap;

/// Where an organization fact comes from, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgSource {
    /// An organization's roster of its people.
    Roster,
    /// The configuration file.
    Config,
    /// Imported gitdm developer affiliations.
    Gitdm,
    /// The Affiliation column of a repository's MAINTAINERS table (what the
    /// file said at the tip): weaker than every source above.
    MaintainersFile,
    /// A domain map (gitdm's `domain-map`).
    DomainMap,
    /// The address's registered domain itself.
    EmailDomain,
}

/// A stretch of time at an organization: `[from, until)`, open where `None`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The organization as given.
    pub organization: String,
    /// First day.
    pub from: Option<Day>,
    /// First day no longer there.
    pub until: Option<Day>,
}

impl Span {
    fn covers(&self, day: Day) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day < u)
    }
}

/// The organization credited for a day, or why none is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Credit {
    /// The organization, normalized; `None` when unknown.
    pub organization: Option<String>,
    /// Where it comes from, when known.
    pub source: Option<OrgSource>,
    /// Why it is unknown, when it is.
    pub unknown_because: Option<String>,
}

/// Everything known about affiliations, indexed for lookups.
#[derive(Clone, Debug, Default)]
pub struct Affiliations {
    roster: HashMap<String, Vec<Span>>,
    config: HashMap<String, Vec<Span>>,
    developers: HashMap<String, Vec<Span>>,
    maintainers_files: HashMap<String, Vec<Span>>,
    domains: HashMap<String, Vec<(String, Option<Day>)>>,
    aliases: HashMap<String, String>,
    names: HashMap<String, String>,
}

impl Affiliations {
    /// Adds a roster range for `key` (an address or `login:…`): the strongest source.
    pub fn add_roster(&mut self, key: &str, span: Span) {
        self.roster
            .entry(email::normalize(key))
            .or_default()
            .push(span);
    }

    /// Adds an explicit range from the configuration for `key` (an address or `login:…`).
    pub fn add_config(&mut self, key: &str, span: Span) {
        self.config
            .entry(email::normalize(key))
            .or_default()
            .push(span);
    }

    /// Adds a gitdm developer range for `key` (an address or `login:…`).
    pub fn add_developer(&mut self, key: &str, span: Span) {
        self.developers
            .entry(email::normalize(key))
            .or_default()
            .push(span);
    }

    /// Adds what a MAINTAINERS table says of `key` (`login:…`): the weakest
    /// of the sources that name a person.
    pub fn add_maintainers_file(&mut self, key: &str, span: Span) {
        self.maintainers_files
            .entry(email::normalize(key))
            .or_default()
            .push(span);
    }

    /// Adds a domain rule: addresses at `domain` (or below it) belong to `organization`, until a day if given.
    pub fn add_domain(&mut self, domain: &str, organization: &str, until: Option<Day>) {
        let rules = self.domains.entry(domain.to_lowercase()).or_default();
        rules.push((organization.to_owned(), until));
        // Dated rules first, earliest first; the open-ended one last.
        rules.sort_by(|a, b| match (a.1, b.1) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }

    /// Adds an address alias: `alias` is the same mailbox as `canonical`.
    pub fn add_alias(&mut self, alias: &str, canonical: &str) {
        self.aliases
            .insert(email::normalize(alias), email::normalize(canonical));
    }

    /// Adds a company-name normalization: `name` is known as `canonical`.
    pub fn add_name(&mut self, name: &str, canonical: &str) {
        self.names
            .insert(name.trim().to_lowercase(), canonical.trim().to_owned());
    }

    /// The normalized name of an organization (aliases and acquisitions followed).
    pub fn normalize(&self, organization: &str) -> String {
        let mut current = organization.trim().to_owned();
        for _ in 0..8 {
            match self.names.get(&current.to_lowercase()) {
                Some(next) if *next != current => current = next.clone(),
                _ => break,
            }
        }
        current
    }

    /// The tables of ranges by person, strongest first.
    fn person_tables(&self) -> [&HashMap<String, Vec<Span>>; 4] {
        [
            &self.roster,
            &self.config,
            &self.developers,
            &self.maintainers_files,
        ]
    }

    /// The keys under which ranges for `person` are filed: their addresses,
    /// the canonical addresses of those that are aliases, and `login:…`.
    pub fn keys(&self, person: &Person) -> Vec<String> {
        let mut keys: Vec<String> = person.emails.iter().cloned().collect();
        keys.extend(
            person
                .emails
                .iter()
                .filter_map(|e| self.aliases.get(e).cloned()),
        );
        keys.extend(person.logins.iter().map(|l| login_key(l)));
        keys
    }

    /// The organization `person` belonged to on `day`, for a contribution made
    /// with the address `used` (its domain is the last resort).
    pub fn credit(&self, person: &Person, used: &str, day: Day) -> Credit {
        let keys = self.keys(person);
        for (table, source) in [
            (&self.roster, OrgSource::Roster),
            (&self.config, OrgSource::Config),
            (&self.developers, OrgSource::Gitdm),
            (&self.maintainers_files, OrgSource::MaintainersFile),
        ] {
            let found = keys
                .iter()
                .filter_map(|k| table.get(k))
                .flatten()
                .find(|span| span.covers(day));
            if let Some(span) = found {
                return self.known(&span.organization, source);
            }
        }
        let Some(domain) = email::domain(used) else {
            return unknown("the address has no domain");
        };
        if let Some(reason) = email::no_organization(&domain) {
            return unknown(reason);
        }
        let registered = email::registered_domain(&domain).unwrap_or_else(|| domain.clone());
        let mut candidate = domain.as_str();
        loop {
            if let Some(rules) = self.domains.get(candidate)
                && let Some((organization, _)) = rules
                    .iter()
                    .find(|(_, until)| until.is_none_or(|u| day < u))
            {
                return self.known(organization, OrgSource::DomainMap);
            }
            if candidate == registered {
                break;
            }
            match candidate.split_once('.') {
                Some((_, parent)) => candidate = parent,
                None => break,
            }
        }
        self.known(&registered, OrgSource::EmailDomain)
    }

    /// Whether [`Affiliations::credit`] of `person` for acts made with `used`
    /// is the same on every day: no range of theirs, and no dated domain rule
    /// on the address's domains. Callers may then remember one answer.
    pub fn undated(&self, person: &Person, used: &str) -> bool {
        let keys = self.keys(person);
        let ranged = self
            .person_tables()
            .iter()
            .any(|table| keys.iter().any(|k| table.contains_key(k)));
        let dated_domain = email::domain(used).is_some_and(|domain| {
            let mut candidate = domain.as_str();
            loop {
                if self
                    .domains
                    .get(candidate)
                    .is_some_and(|rules| rules.iter().any(|(_, until)| until.is_some()))
                {
                    return true;
                }
                match candidate.split_once('.') {
                    Some((_, parent)) => candidate = parent,
                    None => return false,
                }
            }
        });
        !ranged && !dated_domain
    }

    /// Whether [`Affiliations::credit`] of `person`, for acts made with
    /// `used`, can name `organization` on any day: a range of theirs names
    /// it, or the address's domain does. A quick test before asking day by day.
    pub fn may_credit(&self, person: &Person, used: &str, organization: &str) -> bool {
        let wanted = self.normalize(organization).to_lowercase();
        let names = |o: &str| self.normalize(o).to_lowercase() == wanted;
        let keys = self.keys(person);
        let ranged = self.person_tables().iter().any(|table| {
            keys.iter()
                .filter_map(|k| table.get(k))
                .flatten()
                .any(|span| names(&span.organization))
        });
        if ranged {
            return true;
        }
        let Some(domain) = email::domain(used) else {
            return false;
        };
        if email::no_organization(&domain).is_some() {
            return false;
        }
        let registered = email::registered_domain(&domain).unwrap_or_else(|| domain.clone());
        let mut candidate = domain.as_str();
        loop {
            if self
                .domains
                .get(candidate)
                .is_some_and(|rules| rules.iter().any(|(o, _)| names(o)))
            {
                return true;
            }
            if candidate == registered {
                break;
            }
            match candidate.split_once('.') {
                Some((_, parent)) => candidate = parent,
                None => break,
            }
        }
        names(&registered)
    }

    fn known(&self, organization: &str, source: OrgSource) -> Credit {
        Credit {
            organization: Some(self.normalize(organization)),
            source: Some(source),
            unknown_because: None,
        }
    }
}

/// A stretch of consecutive activity credited to one organization (or to none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stint {
    /// The organization, or `None` when unknown.
    pub organization: Option<String>,
    /// Where that comes from.
    pub source: Option<OrgSource>,
    /// The first day of activity in the stretch.
    pub first: Day,
    /// The last day of activity in the stretch.
    pub last: Day,
    /// Contributions in the stretch.
    pub contributions: u64,
}

/// The organizations `person` was credited with over their `activity` (the
/// day and address of each contribution, in time order), as consecutive stints.
pub fn timeline(
    affiliations: &Affiliations,
    person: &Person,
    activity: &[(Day, String)],
) -> Vec<Stint> {
    let mut stints: Vec<Stint> = Vec::new();
    for (day, used) in activity {
        let credit = affiliations.credit(person, used, *day);
        match stints.last_mut() {
            Some(s) if s.organization == credit.organization && s.source == credit.source => {
                s.last = *day;
                s.contributions += 1;
            }
            _ => stints.push(Stint {
                organization: credit.organization,
                source: credit.source,
                first: *day,
                last: *day,
                contributions: 1,
            }),
        }
    }
    stints
}

fn unknown(reason: &str) -> Credit {
    Credit {
        organization: None,
        source: None,
        unknown_because: Some(reason.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identities::bots::BotRules;
    use crate::identities::people::{Decisions, People, Seen};

    fn person(emails: &[&str]) -> Person {
        let seen: Vec<Seen> = emails
            .iter()
            .map(|e| Seen {
                name: "P".into(),
                email: (*e).into(),
                count: 1,
                login: None,
            })
            .collect();
        let merges = emails
            .windows(2)
            .map(|w| (w[0].to_owned(), w[1].to_owned()))
            .collect();
        let people = People::resolve(
            &seen,
            &|n: &str, e: &str| (n.to_owned(), e.to_owned()),
            &Decisions {
                merges,
                splits: Vec::new(),
            },
            &BotRules::default(),
        );
        people.all()[0].clone()
    }

    fn day(d: &str) -> Day {
        Day::parse(d).expect("valid day")
    }

    fn org(credit: Credit) -> (Option<String>, Option<OrgSource>) {
        (credit.organization, credit.source)
    }

    #[test]
    fn strongest_source_wins_and_changes_over_time() {
        let mut aff = Affiliations::default();
        aff.add_developer(
            "ann@gmail.com",
            Span {
                organization: "Red Hat".into(),
                from: None,
                until: Some(day("2019-01-01")),
            },
        );
        aff.add_developer(
            "ann@gmail.com",
            Span {
                organization: "IBM".into(),
                from: Some(day("2019-01-01")),
                until: None,
            },
        );
        aff.add_config(
            "ann@gmail.com",
            Span {
                organization: "ACME".into(),
                from: Some(day("2021-01-01")),
                until: Some(day("2022-01-01")),
            },
        );
        aff.add_name("International Business Machines", "IBM");
        let ann = person(&["ann@gmail.com"]);
        assert_eq!(
            org(aff.credit(&ann, "ann@gmail.com", day("2018-12-31"))),
            (Some("Red Hat".into()), Some(OrgSource::Gitdm))
        );
        assert_eq!(
            org(aff.credit(&ann, "ann@gmail.com", day("2019-01-01"))),
            (Some("IBM".into()), Some(OrgSource::Gitdm))
        );
        assert_eq!(
            org(aff.credit(&ann, "ann@gmail.com", day("2021-06-01"))),
            (Some("ACME".into()), Some(OrgSource::Config))
        );
        assert_eq!(
            org(aff.credit(&ann, "ann@gmail.com", day("2022-01-01"))),
            (Some("IBM".into()), Some(OrgSource::Gitdm))
        );
        // A roster beats everything, for its dates only.
        aff.add_roster(
            "Ann@Gmail.com",
            Span {
                organization: "2i2c".into(),
                from: Some(day("2021-03-01")),
                until: None,
            },
        );
        assert_eq!(
            org(aff.credit(&ann, "ann@gmail.com", day("2021-06-01"))),
            (Some("2i2c".into()), Some(OrgSource::Roster))
        );
        assert_eq!(
            org(aff.credit(&ann, "ann@gmail.com", day("2021-02-01"))),
            (Some("ACME".into()), Some(OrgSource::Config))
        );
        // Whether any day could name an organization: her ranges name 2i2c, ACME, IBM
        // (through the name mapping) and Red Hat; gmail.com names nobody.
        for org in ["2i2c", "acme", "International Business Machines", "Red Hat"] {
            assert!(aff.may_credit(&ann, "ann@gmail.com", org), "{org}");
        }
        assert!(!aff.may_credit(&ann, "ann@gmail.com", "gmail.com"));
        let bob = person(&["bob@corp.example"]);
        assert!(aff.may_credit(&bob, "bob@corp.example", "corp.example"));
        assert!(!aff.may_credit(&bob, "bob@corp.example", "ACME"));
        assert!(!aff.undated(&ann, "ann@gmail.com"));
        assert!(aff.undated(&bob, "bob@corp.example"));
    }

    #[test]
    fn domains_collapse_and_free_mail_is_unknown() {
        let mut aff = Affiliations::default();
        aff.add_domain("ibm.com", "International Business Machines", None);
        aff.add_name("International Business Machines", "IBM");
        aff.add_domain("ansolabs.com", "Rackspace", Some(day("2012-07-20")));
        let p = person(&["x@us.ibm.com"]);
        assert_eq!(
            org(aff.credit(&p, "x@us.ibm.com", day("2020-01-01"))),
            (Some("IBM".into()), Some(OrgSource::DomainMap))
        );
        assert_eq!(
            org(aff.credit(&p, "x@ansolabs.com", day("2012-07-19"))),
            (Some("Rackspace".into()), Some(OrgSource::DomainMap))
        );
        // After the rule's end the domain is its own answer.
        assert_eq!(
            org(aff.credit(&p, "x@ansolabs.com", day("2012-07-20"))),
            (Some("ansolabs.com".into()), Some(OrgSource::EmailDomain))
        );
        assert_eq!(
            org(aff.credit(&p, "x@dev.example.co.uk", day("2020-01-01"))),
            (Some("example.co.uk".into()), Some(OrgSource::EmailDomain))
        );
        let free = aff.credit(&p, "x@gmail.com", day("2020-01-01"));
        assert_eq!(free.organization, None);
        assert_eq!(
            free.unknown_because.as_deref(),
            Some("the address is at a free-mail or relay provider")
        );
        assert_eq!(
            aff.credit(&p, "root@localhost", day("2020-01-01"))
                .organization,
            None
        );
    }

    #[test]
    fn timelines_follow_employer_changes() {
        let mut aff = Affiliations::default();
        aff.add_config(
            "ann@gmail.com",
            Span {
                organization: "ACME".into(),
                from: None,
                until: Some(day("2021-01-01")),
            },
        );
        let ann = person(&["ann@gmail.com"]);
        let activity = [
            (day("2020-05-01"), "ann@gmail.com".to_owned()),
            (day("2020-12-31"), "ann@gmail.com".to_owned()),
            (day("2021-01-01"), "ann@gmail.com".to_owned()),
            (day("2021-02-01"), "ann@corp.example".to_owned()),
        ];
        let stints: Vec<(Option<String>, String, String, u64)> = timeline(&aff, &ann, &activity)
            .into_iter()
            .map(|s| {
                (
                    s.organization,
                    s.first.to_string(),
                    s.last.to_string(),
                    s.contributions,
                )
            })
            .collect();
        assert_eq!(
            stints,
            vec![
                (
                    Some("ACME".into()),
                    "2020-05-01".into(),
                    "2020-12-31".into(),
                    2
                ),
                (None, "2021-01-01".into(), "2021-01-01".into(), 1),
                (
                    Some("corp.example".into()),
                    "2021-02-01".into(),
                    "2021-02-01".into(),
                    1
                ),
            ]
        );
    }

    #[test]
    fn aliases_and_logins_reach_gitdm_entries() {
        let mut aff = Affiliations::default();
        aff.add_alias("apevec@gmail.com", "apevec@redhat.com");
        aff.add_developer(
            "apevec@redhat.com",
            Span {
                organization: "Red Hat".into(),
                from: None,
                until: None,
            },
        );
        aff.add_developer(
            "login:octo",
            Span {
                organization: "GitHub".into(),
                from: None,
                until: None,
            },
        );
        let p = person(&["apevec@gmail.com"]);
        assert_eq!(
            aff.credit(&p, "apevec@gmail.com", day("2015-01-01"))
                .organization
                .as_deref(),
            Some("Red Hat")
        );
        let octo = person(&["1+octo@users.noreply.github.com"]);
        assert_eq!(
            aff.credit(&octo, "1+octo@users.noreply.github.com", day("2015-01-01"))
                .organization
                .as_deref(),
            Some("GitHub")
        );
    }
}
