//! `upkeep export parquet DIR` on a mined history (built with `--features parquet`).
#![cfg(feature = "parquet")]

use crate::common;

use common::{Env, stderr};

#[test]
fn a_mined_history_exported_table_by_table() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    env.mine_json(&[repo.to_str().expect("utf-8")]);
    let out_dir = env.path("out");
    let out = env.run(&[
        "export",
        "parquet",
        out_dir.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = |table: &str| {
        files
            .as_array()
            .expect("files")
            .iter()
            .find(|f| f["table"] == table)
            .and_then(|f| f["rows"].as_u64())
            .expect("the table")
    };
    // 7 commits (6 non-merge and the merge of #12), one repository, no forge data.
    assert_eq!(rows("commits"), 7);
    assert_eq!(rows("repositories"), 1);
    assert_eq!(rows("forge_items"), 0);
    // Bob's commit: 2 Signed-off-by, Reviewed-by, Co-authored-by; #34: 2 Reviewers.
    assert_eq!(rows("trailers"), 6);
    for table in ["commits", "changes", "identities", "list_messages"] {
        let path = out_dir.join(format!("{table}.parquet"));
        let head = std::fs::read(&path).expect("written");
        assert_eq!(&head[..4], b"PAR1", "{table} is a Parquet file");
    }
}
