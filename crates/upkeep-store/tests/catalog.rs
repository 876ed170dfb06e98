//! The table catalog against the tables a migrated store really has: a new
//! SQLite file, and a new schema of the test PostgreSQL server
//! (`UPKEEP_TEST_DATABASE_URL`; skipped without it unless
//! `UPKEEP_REQUIRE_POSTGRES=1`).

mod support;

use std::collections::BTreeSet;
use upkeep_store::catalog::{Key, OPERATIONAL, POSTGRES_ROW_IDS, TABLES};
use upkeep_store::{Location, Store};

/// Every data table of `store` is in the catalog with the same columns in
/// the same order, every catalog table is there, and keys name real columns.
fn matches_catalog(store: &Store, backend: &str) {
    let described = store.described_tables().expect("the schema");
    let data: BTreeSet<&str> = described
        .keys()
        .map(String::as_str)
        .filter(|t| !OPERATIONAL.contains(t))
        .collect();
    let declared: BTreeSet<&str> = TABLES.iter().map(|t| t.name).collect();
    assert_eq!(data, declared, "{backend}: tables");
    for table in TABLES {
        let row_id = POSTGRES_ROW_IDS
            .iter()
            .find(|(t, _)| *t == table.name && backend == "PostgreSQL")
            .map(|(_, c)| *c);
        let columns: Vec<&str> = described[table.name]
            .iter()
            .map(String::as_str)
            .filter(|c| Some(*c) != row_id)
            .collect();
        assert_eq!(
            columns, table.columns,
            "{backend}: columns of {}",
            table.name
        );
        let key = match table.key {
            Key::Id(k) | Key::Natural(k) | Key::Replace(k) => k,
        };
        for column in key.iter().chain(table.refs.iter().map(|(c, _)| c)) {
            assert!(table.columns.contains(column), "{}.{column}", table.name);
        }
        for (_, parent) in table.refs {
            assert!(
                declared.contains(parent),
                "{} refers to {parent}",
                table.name
            );
        }
        assert!(!table.doc.is_empty(), "{} has a description", table.name);
    }
    for exported in upkeep_store::export::TABLES {
        assert!(
            declared.contains(exported.source),
            "export {} flattens {}, which the catalog lacks",
            exported.name,
            exported.source
        );
    }
}

#[test]
fn a_new_sqlite_file_has_the_catalogs_tables() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("upkeep.db"), || {}).expect("opens");
    matches_catalog(&store, "SQLite");
}

#[test]
fn a_new_postgresql_schema_has_the_catalogs_tables() {
    let Some(url) = support::database_url() else {
        return;
    };
    let schema = format!("catalog_{}", std::process::id());
    let url = format!(
        "{url}{}schema={schema}",
        if url.contains('?') { '&' } else { '?' }
    );
    let store =
        Store::open_at(&Location::parse(url.as_ref()).expect("a URL"), || {}).expect("connects");
    matches_catalog(&store, "PostgreSQL");
}
