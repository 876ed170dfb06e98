//! Imported affiliation data: written in one transaction, read back as the
//! pure [`Affiliations`] index of `upkeep-core`.

use crate::{Store, StoreError};
use rusqlite::params;
use upkeep_core::identities::Day;
use upkeep_core::identities::gitdm::{Developer, DomainRule};
use upkeep_core::identities::organizations::{Affiliations, Span};

/// Affiliation data to import. Each kind that is `Some` replaces what the
/// store held of that kind; kinds that are `None` are left as they are.
#[derive(Debug, Default)]
pub struct AffiliationImport {
    /// Developer entries, each with the file it came from.
    pub developers: Option<Vec<(String, Developer)>>,
    /// Domain rules.
    pub domains: Option<Vec<DomainRule>>,
    /// Address aliases: (alias, canonical).
    pub aliases: Option<Vec<(String, String)>>,
    /// Company names: (name, canonical).
    pub names: Option<Vec<(String, String)>>,
}

/// How many rows an import wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    /// Developer entries.
    pub developers: usize,
    /// Ranges stored (one per address or login and affiliation line).
    pub ranges: usize,
    /// Domain rules.
    pub domains: usize,
    /// Address aliases.
    pub aliases: usize,
    /// Company names.
    pub names: usize,
}

impl Store {
    /// Imports affiliation data in one transaction: either all of it is applied or none.
    pub fn import_affiliations(
        &mut self,
        import: &AffiliationImport,
    ) -> Result<ImportCounts, StoreError> {
        let err = || StoreError::while_doing("importing affiliations");
        let tx = self.conn.transaction().map_err(err())?;
        let mut counts = ImportCounts::default();
        if let Some(developers) = &import.developers {
            tx.execute("DELETE FROM affiliation_ranges", [])
                .map_err(err())?;
            let mut stmt = tx
                .prepare(
                    "INSERT INTO affiliation_ranges (key, organization, from_day, until_day, file, line)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(err())?;
            for (file, dev) in developers {
                counts.developers += 1;
                let keys = dev
                    .emails
                    .iter()
                    .cloned()
                    .chain([format!("login:{}", dev.login.to_lowercase())]);
                for key in keys {
                    for a in &dev.affiliations {
                        stmt.execute(params![
                            key,
                            a.organization,
                            a.from.map(|d| d.to_string()),
                            a.until.map(|d| d.to_string()),
                            file,
                            dev.line as i64,
                        ])
                        .map_err(err())?;
                        counts.ranges += 1;
                    }
                }
            }
        }
        if let Some(domains) = &import.domains {
            tx.execute("DELETE FROM affiliation_domains", [])
                .map_err(err())?;
            let mut stmt = tx
                .prepare("INSERT INTO affiliation_domains (domain, organization, until_day) VALUES (?1, ?2, ?3)")
                .map_err(err())?;
            for rule in domains {
                stmt.execute(params![
                    rule.domain,
                    rule.organization,
                    rule.until.map(|d| d.to_string())
                ])
                .map_err(err())?;
                counts.domains += 1;
            }
        }
        if let Some(aliases) = &import.aliases {
            tx.execute("DELETE FROM email_aliases", []).map_err(err())?;
            let mut stmt = tx
                .prepare("INSERT OR REPLACE INTO email_aliases (alias, canonical) VALUES (?1, ?2)")
                .map_err(err())?;
            for (alias, canonical) in aliases {
                stmt.execute(params![alias, canonical]).map_err(err())?;
                counts.aliases += 1;
            }
        }
        if let Some(names) = &import.names {
            tx.execute("DELETE FROM organization_names", [])
                .map_err(err())?;
            let mut stmt = tx
                .prepare(
                    "INSERT OR REPLACE INTO organization_names (name, canonical) VALUES (?1, ?2)",
                )
                .map_err(err())?;
            for (name, canonical) in names {
                stmt.execute(params![name.trim().to_lowercase(), canonical])
                    .map_err(err())?;
                counts.names += 1;
            }
        }
        tx.commit().map_err(err())?;
        Ok(counts)
    }

    /// Adds the imported domain rules, address aliases and company names to `into`.
    pub fn load_affiliation_rules(&self, into: &mut Affiliations) -> Result<(), StoreError> {
        let err = || StoreError::while_doing("reading affiliations");
        let day = |text: Option<String>| text.as_deref().and_then(Day::parse);
        let mut stmt = self
            .conn
            .prepare("SELECT domain, organization, until_day FROM affiliation_domains")
            .map_err(err())?;
        let mut rows = stmt.query([]).map_err(err())?;
        while let Some(r) = rows.next().map_err(err())? {
            let domain: String = r.get(0).map_err(err())?;
            let organization: String = r.get(1).map_err(err())?;
            into.add_domain(&domain, &organization, day(r.get(2).map_err(err())?));
        }
        for (table, alias) in [("email_aliases", true), ("organization_names", false)] {
            let sql = match alias {
                true => format!("SELECT alias, canonical FROM {table}"),
                false => format!("SELECT name, canonical FROM {table}"),
            };
            let mut stmt = self.conn.prepare(&sql).map_err(err())?;
            let mut rows = stmt.query([]).map_err(err())?;
            while let Some(r) = rows.next().map_err(err())? {
                let (a, b): (String, String) = (r.get(0).map_err(err())?, r.get(1).map_err(err())?);
                if alias {
                    into.add_alias(&a, &b);
                } else {
                    into.add_name(&a, &b);
                }
            }
        }
        Ok(())
    }

    /// Adds to `into` the imported developer ranges filed under any of `keys`
    /// (addresses and `login:…`, see [`Affiliations::keys`]).
    pub fn load_affiliation_ranges<'k>(
        &self,
        into: &mut Affiliations,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Result<(), StoreError> {
        let err = || StoreError::while_doing("reading affiliation ranges");
        let day = |text: Option<String>| text.as_deref().and_then(Day::parse);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT organization, from_day, until_day FROM affiliation_ranges WHERE key = ?1 ORDER BY rowid",
            )
            .map_err(err())?;
        for key in keys {
            let mut rows = stmt.query([key]).map_err(err())?;
            while let Some(r) = rows.next().map_err(err())? {
                into.add_developer(
                    key,
                    Span {
                        organization: r.get(0).map_err(err())?,
                        from: day(r.get(1).map_err(err())?),
                        until: day(r.get(2).map_err(err())?),
                    },
                );
            }
        }
        Ok(())
    }
}
