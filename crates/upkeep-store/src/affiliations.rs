//! Imported affiliation data: written in one transaction, read back as the
//! pure [`Affiliations`] index of `upkeep-core`.

use crate::db::{DbError, Param, ToParam, params};
use crate::{Store, StoreError};
use upkeep_core::identities::Day;
use upkeep_core::identities::gitdm::{Developer, DomainRule};
use upkeep_core::identities::key::login_key;
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
        self.conn
            .transaction(|tx| replace(tx, import))
            .map_err(StoreError::while_doing("importing affiliations"))
    }

    /// Adds the imported domain rules, address aliases and company names to `into`.
    pub fn load_affiliation_rules(&self, into: &mut Affiliations) -> Result<(), StoreError> {
        let err = || StoreError::while_doing("reading affiliations");
        let day = |text: Option<String>| text.as_deref().and_then(Day::parse);
        self.conn
            .for_each(
                "SELECT domain, organization, until_day FROM affiliation_domains",
                &[],
                |r| {
                    let domain: String = r.get(0)?;
                    let organization: String = r.get(1)?;
                    into.add_domain(&domain, &organization, day(r.get(2)?));
                    Ok(())
                },
            )
            .map_err(err())?;
        self.conn
            .for_each("SELECT alias, canonical FROM email_aliases", &[], |r| {
                into.add_alias(&r.get::<String>(0)?, &r.get::<String>(1)?);
                Ok(())
            })
            .map_err(err())?;
        self.conn
            .for_each("SELECT name, canonical FROM organization_names", &[], |r| {
                into.add_name(&r.get::<String>(0)?, &r.get::<String>(1)?);
                Ok(())
            })
            .map_err(err())?;
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
        let sql = self.conn.pick(
            "SELECT organization, from_day, until_day FROM affiliation_ranges WHERE key = ?1 ORDER BY rowid",
            "SELECT organization, from_day, until_day FROM affiliation_ranges WHERE key = ?1 ORDER BY id",
        );
        for key in keys {
            self.conn
                .for_each(sql, params![key], |r| {
                    into.add_developer(
                        key,
                        Span {
                            organization: r.get(0)?,
                            from: day(r.get(1)?),
                            until: day(r.get(2)?),
                        },
                    );
                    Ok(())
                })
                .map_err(err())?;
        }
        Ok(())
    }
}

/// A developer range as stored: key, organization, from, until, file, line.
type RangeRow<'a> = (
    String,
    &'a str,
    Option<String>,
    Option<String>,
    &'a str,
    usize,
);

/// Replaces each part `import` holds, counting what it wrote.
fn replace(tx: &crate::db::Db, import: &AffiliationImport) -> Result<ImportCounts, DbError> {
    let mut counts = ImportCounts::default();
    if let Some(developers) = &import.developers {
        tx.execute("DELETE FROM affiliation_ranges", &[])?;
        let mut rows: Vec<RangeRow<'_>> = Vec::new();
        for (file, dev) in developers {
            counts.developers += 1;
            let keys = dev
                .emails
                .iter()
                .cloned()
                .chain([login_key(&dev.login.to_lowercase())]);
            for key in keys {
                for a in &dev.affiliations {
                    rows.push((
                        key.clone(),
                        &a.organization,
                        a.from.map(|d| d.to_string()),
                        a.until.map(|d| d.to_string()),
                        file,
                        dev.line,
                    ));
                }
            }
        }
        let params: Vec<Param<'_>> = rows
            .iter()
            .flat_map(|(key, organization, from, until, file, line)| {
                [
                    key.to_param(),
                    organization.to_param(),
                    from.to_param(),
                    until.to_param(),
                    file.to_param(),
                    line.to_param(),
                ]
            })
            .collect();
        counts.ranges = tx.insert_many(
            "affiliation_ranges (key, organization, from_day, until_day, file, line)",
            6,
            &params,
            "",
        )? as usize;
    }
    if let Some(domains) = &import.domains {
        tx.execute("DELETE FROM affiliation_domains", &[])?;
        for rule in domains {
            tx.execute(
                "INSERT INTO affiliation_domains (domain, organization, until_day) VALUES (?1, ?2, ?3)",
                params![rule.domain, rule.organization, rule.until.map(|d| d.to_string())],
            )?;
            counts.domains += 1;
        }
    }
    if let Some(aliases) = &import.aliases {
        tx.execute("DELETE FROM email_aliases", &[])?;
        for (alias, canonical) in aliases {
            tx.execute(
                "INSERT INTO email_aliases (alias, canonical) VALUES (?1, ?2)
                 ON CONFLICT (alias) DO UPDATE SET canonical = excluded.canonical",
                params![alias, canonical],
            )?;
            counts.aliases += 1;
        }
    }
    if let Some(names) = &import.names {
        tx.execute("DELETE FROM organization_names", &[])?;
        for (name, canonical) in names {
            tx.execute(
                "INSERT INTO organization_names (name, canonical) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET canonical = excluded.canonical",
                params![name.trim().to_lowercase(), canonical],
            )?;
            counts.names += 1;
        }
    }
    Ok(counts)
}
