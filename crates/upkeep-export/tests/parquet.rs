//! `export_parquet` on a store holding built events: every file read back
//! with the same crate's reader, values checked one by one.

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use std::collections::BTreeMap;
use upkeep_core::events::{
    ChangeKind, Commit, ListMessage, Oid, PatchTag, PathChange, RawText, Signature, Trailer,
};
use upkeep_store::{Part, Store};

fn signature(name: &[u8], email: &str, time: i64) -> Signature {
    Signature {
        name: RawText::from(name),
        email: RawText::from(email.as_bytes()),
        time,
        offset_minutes: 120,
    }
}

fn commit() -> Commit {
    Commit {
        id: Oid::from_bytes(&[0xab; 20]),
        parents: vec![],
        // Not UTF-8: exported lossily.
        author: signature(b"Ren\xe9", "rene@example.fr", 1_700_000_000),
        committer: signature(b"Tom Lane", "tgl@example.org", 1_700_000_100),
        subject: RawText::from(&b"Fix planner"[..]),
        trailers: vec![Trailer {
            key: "Author".into(),
            value: RawText::from(&b"Alexander Korotkov <ak@example.com>"[..]),
            name: Some(RawText::from(&b"Alexander Korotkov"[..])),
            email: Some(RawText::from(&b"ak@example.com"[..])),
        }],
        pr_number: None,
        issue_refs: vec![],
        changes: vec![PathChange {
            path: RawText::from(&b"src/b.c"[..]),
            kind: ChangeKind::Renamed,
            old_path: Some(RawText::from(&b"src/a.c"[..])),
            lines: Some((3, 1)),
            blob_missing: false,
        }],
    }
}

/// Every row of a file, as (column name → field) maps.
fn rows(path: &std::path::Path) -> Vec<BTreeMap<String, Field>> {
    let reader =
        SerializedFileReader::new(std::fs::File::open(path).expect("opens")).expect("parquet");
    reader
        .get_row_iter(None)
        .expect("rows")
        .map(|row| {
            row.expect("a row")
                .get_column_iter()
                .map(|(name, field)| (name.clone(), field.clone()))
                .collect()
        })
        .collect()
}

#[test]
fn every_table_written_and_read_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("u.db"), || {}).expect("opens");
    let repo = store
        .repository("/src/pg", "/src/pg/.git")
        .expect("a repository");
    store
        .commit_writer(repo.id)
        .write(&[commit()])
        .expect("writes");
    let list = store
        .list("/lists/hackers.mbox", Some(repo.id))
        .expect("a list");
    let message = ListMessage {
        message_id: "p1@x".into(),
        in_reply_to: None,
        references: vec![],
        from_name: "Alexander Korotkov".into(),
        from_email: "ak@example.com".into(),
        time: 1_699_000_000,
        offset_minutes: 180,
        subject: "[PATCH v2 1/3] planner".into(),
        patch: Some(PatchTag {
            version: 2,
            index: Some(1),
            total: Some(3),
        }),
        list_id: None,
        trailers: vec![],
    };
    store
        .store_list_part(
            list,
            &Part {
                name: "hackers.mbox",
                closed: false,
                stamp: None,
                messages: &[message],
                skipped: &BTreeMap::new(),
            },
            1_700_000_000,
        )
        .expect("stores");

    let out = dir.path().join("out");
    let mut seen = Vec::new();
    let written =
        upkeep_export::export_parquet(&store, &out, &mut |t| seen.push(t)).expect("exports");
    let names: Vec<&str> = written.iter().map(|w| w.table).collect();
    assert_eq!(
        names,
        [
            "repositories",
            "identities",
            "commits",
            "changes",
            "trailers",
            "forge_items",
            "forge_activities",
            "list_messages"
        ]
    );
    assert_eq!(seen, names);
    let counts: Vec<u64> = written.iter().map(|w| w.rows).collect();
    // Identities: René, Tom, Korotkov (the trailer's and the sender's are one pair).
    assert_eq!(counts, [1, 3, 1, 1, 1, 0, 0, 1]);

    let commits = rows(&out.join("commits.parquet"));
    let c = &commits[0];
    assert_eq!(c["repository"], Field::Str("/src/pg".into()));
    assert_eq!(c["commit"], Field::Str("ab".repeat(20)));
    // Times are TIMESTAMP(MILLIS, UTC); the offset is its own column.
    assert_eq!(c["author_time"], Field::TimestampMillis(1_700_000_000_000));
    assert_eq!(c["author_offset"], Field::Long(120));
    assert_eq!(c["pull_request"], Field::Null);
    let identities = rows(&out.join("identities.parquet"));
    let author = &identities[usize::try_from(match c["author"] {
        Field::Long(id) => id - 1,
        _ => panic!("an identity id"),
    })
    .expect("an index")];
    assert_eq!(author["name"], Field::Str("Ren\u{fffd}".into()));

    let changes = rows(&out.join("changes.parquet"));
    assert_eq!(changes[0]["kind"], Field::Str("R".into()));
    assert_eq!(changes[0]["old_path"], Field::Str("src/a.c".into()));
    assert_eq!(changes[0]["lines_added"], Field::Long(3));

    let trailers = rows(&out.join("trailers.parquet"));
    assert_eq!(trailers[0]["key"], Field::Str("Author".into()));

    let messages = rows(&out.join("list_messages.parquet"));
    assert_eq!(
        messages[0]["list"],
        Field::Str("/lists/hackers.mbox".into())
    );
    assert_eq!(messages[0]["repository"], Field::Str("/src/pg".into()));
    assert_eq!(messages[0]["patch_version"], Field::Long(2));
    assert_eq!(messages[0]["in_reply_to"], Field::Null);
    assert!(rows(&out.join("forge_items.parquet")).is_empty());

    // The columns' meanings travel with the file.
    let reader =
        SerializedFileReader::new(std::fs::File::open(out.join("commits.parquet")).expect("opens"))
            .expect("parquet");
    let metadata = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .expect("metadata");
    assert!(
        metadata
            .iter()
            .any(|kv| kv.key == "upkeep.column.author_offset"
                && kv.value.as_deref() == Some("the author's UTC offset, minutes east"))
    );
    // No partial file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("lists")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn the_documented_schema_lists_every_column() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/export-parquet.md"
    ))
    .expect("docs/export-parquet.md");
    for table in upkeep_store::export::TABLES {
        assert!(
            doc.contains(&format!("## `{}`", table.name)),
            "{} documented",
            table.name
        );
        for column in table.columns {
            assert!(
                doc.contains(&format!("| `{}` |", column.name)),
                "{}.{} documented",
                table.name,
                column.name
            );
        }
    }
}
