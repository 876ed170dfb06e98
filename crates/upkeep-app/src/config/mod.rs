//! `upkeep.toml`: decisions and facts people record by hand, meant to be kept
//! in git and reviewed. upkeep reads it on every run and writes to it only
//! when asked to record a decision (keeping its comments and layout).
//!
//! ```toml
//! [[identities.merge]]            # these addresses are one person
//! emails = ["jsmith@corp.example", "jsmith@gmail.com"]   # or "login:NAME", "jira:NAME"
//! note = "confirmed by John"
//!
//! [[identities.split]]            # never one person, whatever the rules say
//! emails = ["pat@x.example", "pat@y.example"]
//!
//! [[affiliations]]                # strongest source of organizations
//! email = "ann@gmail.com"         # or: login = "ann"
//! organization = "ACME"
//! from = "2020-01-01"             # optional, inclusive
//! until = "2021-06-01"            # optional, exclusive
//!
//! [bots]
//! accounts = ["release-robot@example.com"]
//!
//! [agents]                        # AI agents besides the built-in ones
//! accounts = ["our-review-ai", "ai@example.com"]
//!
//! [[conventions]]                 # see `conventions.rs`
//! repository = "*flink*"
//! closes_pull_request = true
//! ```

mod community;
mod conventions;
mod organization;

pub use conventions::{ConventionEntry, for_location};
pub use organization::{EngagementEntry, GoalEntry, Organization, Project, SiteProject};

use anyhow::{Context, bail};
use serde::Deserialize;
use std::path::Path;
use upkeep_core::identities::Day;
use upkeep_core::identities::key::login_key;
use upkeep_core::identities::organizations::{Affiliations, Span};
use upkeep_core::identities::people::Decisions;

/// The configuration file's content.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    identities: IdentityDecisions,
    #[serde(default)]
    affiliations: Vec<AffiliationEntry>,
    #[serde(default)]
    bots: Bots,
    #[serde(default)]
    agents: Bots,
    /// Who "we" are (the ledger).
    #[serde(default)]
    pub organization: Organization,
    /// Our goals.
    #[serde(default)]
    pub goals: Vec<GoalEntry>,
    /// Named portfolios of repositories.
    #[serde(default)]
    pub projects: Vec<Project>,
    /// Hand-recorded engagement.
    #[serde(default)]
    pub engagement: Vec<EngagementEntry>,
    /// How repositories record who did what, beyond the built-in rules.
    #[serde(default)]
    pub conventions: Vec<ConventionEntry>,
    /// What kind of stakeholder each organization is.
    #[serde(default)]
    organizations: Vec<community::OrganizationEntry>,
    /// Good-first labels and the partner threshold.
    #[serde(default)]
    community: community::CommunitySection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentityDecisions {
    #[serde(default)]
    merge: Vec<Pair>,
    #[serde(default)]
    split: Vec<Pair>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    emails: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)] // For the people reading the file; upkeep only writes it.
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AffiliationEntry {
    email: Option<String>,
    login: Option<String>,
    organization: String,
    from: Option<String>,
    until: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Bots {
    #[serde(default)]
    accounts: Vec<String>,
}

/// Which kind of decision to record.
#[derive(Clone, Copy, Debug)]
pub enum Decision {
    /// The two addresses are one person.
    Merge,
    /// The two addresses are never one person.
    Split,
}

impl Decision {
    /// The decision's name, as written in the file and said to the user.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Merge => "merge",
            Decision::Split => "split",
        }
    }
}

/// The longest project name: it names a folder and a URL segment.
const MAX_PROJECT_NAME: usize = 100;

/// Whether `name` can name a project: a slug that names one folder of a
/// published site and one URL segment, never a path (no `/` or `\`, no `..`,
/// no leading `.`, no control characters, at most 100 characters).
pub fn is_project_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= MAX_PROJECT_NAME
        && !name.starts_with('.')
        && !name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control())
}

/// An error naming the file and line of a `[[projects]]` name that is no slug.
fn check_project_name(path: &Path, text: &str, name: &str) -> anyhow::Result<()> {
    if is_project_name(name) {
        return Ok(());
    }
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("name") && l.contains(&format!("{name:?}")))
        .map_or(String::new(), |i| format!(":{}", i + 1));
    bail!(
        "{}{line}: the project name {name:?} cannot name a folder of a site: a project name is one folder, with no `/` or `\\`, no leading `.`, no control characters and at most {MAX_PROJECT_NAME} characters",
        path.display()
    )
}

/// Refuses an account of `[bots]` or `[agents]` that is neither a login, a
/// name nor an address: empty, with control characters, or an `@` that is
/// not an address's (`ann@`, `@x`, `a b@c.org`).
fn check_account(path: &Path, text: &str, table: &str, account: &str) -> anyhow::Result<()> {
    let trimmed = account.trim();
    let address = trimmed.split_once('@').map(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !trimmed.contains(char::is_whitespace)
    });
    if !trimmed.is_empty() && !trimmed.chars().any(char::is_control) && address != Some(false) {
        return Ok(());
    }
    let line = text
        .lines()
        .position(|l| l.contains(&format!("{account:?}")))
        .map_or(String::new(), |i| format!(":{}", i + 1));
    bail!(
        "{}{line}: [{table}] account {account:?} is neither a login, a name nor an address (e.g. \"renovate\", \"Release Robot\", \"robot@example.com\")",
        path.display()
    )
}

impl Config {
    /// Reads `path`; a missing file is an empty configuration.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = match upkeep_input::read_text(path, upkeep_input::Kind::Config) {
            Ok(text) => text,
            Err(e) if e.is_not_found() => return Ok(Config::default()),
            Err(e) => return Err(e).context("cannot read the configuration"),
        };
        Config::parse(&text, path)
    }

    /// Reads `text`, the configuration file `path`, and checks it: pairs of
    /// addresses, affiliations, project names, the organization's goals.
    pub fn parse(text: &str, path: &Path) -> anyhow::Result<Config> {
        let config: Config =
            toml::from_str(text).with_context(|| format!("{} is not valid", path.display()))?;
        for pair in config
            .identities
            .merge
            .iter()
            .chain(&config.identities.split)
        {
            if pair.emails.len() != 2 {
                bail!(
                    "{}: a merge or split names exactly two addresses, not {:?}",
                    path.display(),
                    pair.emails
                );
            }
        }
        for entry in &config.affiliations {
            if entry.email.is_none() == entry.login.is_none() {
                bail!(
                    "{}: the affiliation to {} needs exactly one of `email` or `login`",
                    path.display(),
                    entry.organization
                );
            }
            for date in [&entry.from, &entry.until].into_iter().flatten() {
                if Day::parse(date).is_none() {
                    bail!("{}: `{date}` is not a YYYY-MM-DD date", path.display());
                }
            }
        }
        for project in &config.projects {
            check_project_name(path, text, &project.name)?;
        }
        for (table, accounts) in [("bots", &config.bots), ("agents", &config.agents)] {
            for account in &accounts.accounts {
                check_account(path, text, table, account)?;
            }
        }
        organization::validate(
            path,
            text,
            &config.organization,
            &config.goals,
            &config.engagement,
        )?;
        community::validate(path, text, &config.organizations, &config.community)?;
        Ok(config)
    }

    /// The repositories of the project `name` in `[[projects]]`.
    pub fn project(&self, name: &str) -> anyhow::Result<&[String]> {
        match self.projects.iter().find(|p| p.name == name) {
            Some(p) => Ok(&p.repositories),
            None => {
                let known: Vec<&str> = self.projects.iter().map(|p| p.name.as_str()).collect();
                bail!(
                    "no project {name} in the configuration's [[projects]]{}",
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!(" (known: {})", known.join(", "))
                    }
                )
            }
        }
    }

    /// The JIRA and GitLab projects and the mailing lists `[[projects]]` name
    /// for their first repositories.
    pub fn pairings(&self) -> Vec<crate::sources::forge::Pairing> {
        let mut out = Vec::new();
        for p in &self.projects {
            let Some(repository) = p.repositories.first() else {
                continue;
            };
            for (kind, site) in [("jira", &p.jira), ("gitlab", &p.gitlab)] {
                if let Some(site) = site {
                    out.push(crate::sources::forge::Pairing {
                        repository: repository.clone(),
                        kind,
                        url: site.url.clone(),
                        project: site.project.clone(),
                    });
                }
            }
            out.extend(p.lists.iter().map(|list| crate::sources::forge::Pairing {
                repository: repository.clone(),
                kind: "list",
                url: list.clone(),
                project: String::new(),
            }));
            out.extend(
                p.packages
                    .iter()
                    .map(|purl| crate::sources::forge::Pairing {
                        repository: repository.clone(),
                        kind: "package",
                        url: purl.clone(),
                        project: String::new(),
                    }),
            );
        }
        out
    }

    /// What the report needs of the community: organization kinds,
    /// partners per repository, good-first labels.
    pub fn community(&self) -> crate::community::Community {
        crate::community::Community {
            org_kinds: community::org_kinds(&self.organizations),
            partners: self
                .projects
                .iter()
                .filter(|p| !p.partners.is_empty())
                .map(|p| (p.repositories.clone(), p.partners.clone()))
                .collect(),
            partner_threshold: community::partner_threshold(&self.community),
            good_first_labels: community::good_first_labels(&self.community),
        }
    }

    /// The recorded merge and split decisions.
    pub fn decisions(&self) -> Decisions {
        // A JIRA user (`jira:NAME`) is the login `jira:NAME` (see the JIRA source).
        let key = |k: &str| match k.strip_prefix("jira:") {
            Some(name) => login_key(&format!("jira:{name}")),
            None => k.to_owned(),
        };
        let pairs = |list: &[Pair]| {
            list.iter()
                .map(|p| (key(&p.emails[0]), key(&p.emails[1])))
                .collect()
        };
        Decisions {
            merges: pairs(&self.identities.merge),
            splits: pairs(&self.identities.split),
        }
    }

    /// Names, logins or addresses the configuration marks as AI agents.
    pub fn agents(&self) -> Vec<String> {
        self.agents.accounts.clone()
    }

    /// Names, logins or addresses the configuration marks as bots.
    pub fn bots(&self) -> Vec<String> {
        self.bots.accounts.clone()
    }

    /// Adds the roster of `[[organization.people]]` to `into`, as the
    /// strongest affiliations to `[organization] name`.
    pub fn add_roster(&self, into: &mut Affiliations) {
        let Some(organization) = &self.organization.name else {
            return;
        };
        for p in &self.organization.people {
            let span = Span {
                organization: organization.clone(),
                from: p.from.as_deref().and_then(Day::parse),
                until: p.until.as_deref().and_then(Day::parse),
            };
            let keys = p
                .email
                .iter()
                .cloned()
                .chain(p.login.iter().map(|l| login_key(&l.to_lowercase())));
            for key in keys {
                into.add_roster(&key, span.clone());
            }
        }
    }

    /// Adds the configuration's affiliations to `into`.
    pub fn add_affiliations(&self, into: &mut Affiliations) {
        for entry in &self.affiliations {
            let key = match (&entry.email, &entry.login) {
                (Some(email), _) => email.clone(),
                (None, Some(login)) => login_key(&login.to_lowercase()),
                (None, None) => continue,
            };
            into.add_config(
                &key,
                Span {
                    organization: entry.organization.clone(),
                    from: entry.from.as_deref().and_then(Day::parse),
                    until: entry.until.as_deref().and_then(Day::parse),
                },
            );
        }
    }
}

/// Appends a decision to the file at `path` (creating it), keeping everything else as it was.
pub fn record(
    path: &Path,
    decision: Decision,
    a: &str,
    b: &str,
    note: Option<&str>,
) -> anyhow::Result<()> {
    let text = match upkeep_input::read_text(path, upkeep_input::Kind::Config) {
        Ok(text) => text,
        Err(e) if e.is_not_found() => String::new(),
        Err(e) => return Err(e).context("cannot read the configuration"),
    };
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    let identities = doc
        .entry("identities")
        .or_insert_with(|| {
            let mut table = toml_edit::Table::new();
            table.set_implicit(true);
            toml_edit::Item::Table(table)
        })
        .as_table_mut()
        .with_context(|| format!("{}: `identities` is not a table", path.display()))?;
    let key = decision.name();
    let list = identities
        .entry(key)
        .or_insert_with(|| toml_edit::Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .with_context(|| {
            format!(
                "{}: `identities.{key}` is not a list of tables",
                path.display()
            )
        })?;
    let mut entry = toml_edit::Table::new();
    let mut emails = toml_edit::Array::new();
    emails.push(a);
    emails.push(b);
    entry.insert("emails", toml_edit::value(emails));
    if let Some(note) = note {
        entry.insert("note", toml_edit::value(note));
    }
    list.push(entry);
    std::fs::write(path, doc.to_string())
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::Config;
    use std::path::Path;

    #[test]
    fn agents_and_bots_of_a_known_form_or_an_error_naming_the_line() {
        let good = "[agents]\naccounts = [\"our-ai\", \"ai@example.com\", \"Review Helper\"]\n";
        let config = Config::parse(good, Path::new("upkeep.toml")).expect("parses");
        assert_eq!(
            config.agents(),
            ["our-ai", "ai@example.com", "Review Helper"]
        );
        let bad = "[bots]\naccounts = [\"renovate\"]\n[agents]\naccounts = [\n  \"ann@\",\n]\n";
        let err = Config::parse(bad, Path::new("upkeep.toml")).expect_err("refused");
        let text = format!("{err:#}");
        assert!(
            text.starts_with("upkeep.toml:5: [agents] account \"ann@\""),
            "{text}"
        );
    }
}
