//! The store's events as flat tables, for `upkeep export`: each table's
//! columns (name, type, meaning) and its rows in a stable order. Text that is
//! not UTF-8 is given lossily (U+FFFD); the store keeps the exact bytes.

use crate::db::{DbError, Dialect};
use crate::{Store, StoreError};
use upkeep_core::events::RawText;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Text, always present.
    Text,
    /// Text or null.
    OptionalText,
    /// A 64-bit integer, always present.
    Int,
    /// A 64-bit integer or null.
    OptionalInt,
    /// A moment, seconds since the epoch (UTC); its offset, where known, is a column of its own.
    Time,
    /// A moment or null.
    OptionalTime,
}

impl ColumnType {
    /// Whether the column may be null.
    pub fn optional(self) -> bool {
        matches!(self, OptionalText | OptionalInt | OptionalTime)
    }
}

/// A column of an exported table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// Its name.
    pub name: &'static str,
    /// Its type.
    pub kind: ColumnType,
    /// What it means.
    pub doc: &'static str,
}

/// A table `upkeep export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportTable {
    /// Its name (the file's stem).
    pub name: &'static str,
    /// The table of the store's catalog ([`crate::catalog`]) it flattens.
    pub source: &'static str,
    /// What one row is.
    pub doc: &'static str,
    /// Its columns, in order.
    pub columns: &'static [Column],
    /// The query giving the columns in order.
    sql: &'static str,
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// An integer.
    Int(i64),
    /// Nothing.
    Null,
}

const fn col(name: &'static str, kind: ColumnType, doc: &'static str) -> Column {
    Column { name, kind, doc }
}

use ColumnType::{Int, OptionalInt, OptionalText, OptionalTime, Text, Time};

/// Every exported table.
pub const TABLES: &[ExportTable] = &[
    ExportTable {
        name: "repositories",
        source: "repositories",
        doc: "a mined repository",
        columns: &[
            col("repository", Text, "where it came from: a canonical path or a URL"),
            col("head_ref", OptionalText, "its default branch"),
            col("shallow", Int, "1 for a shallow clone"),
            col("mined_at", OptionalTime, "end of the last complete run, a moment in UTC"),
        ],
        sql: "SELECT location, head_ref, shallow, mined_at FROM repositories ORDER BY location",
    },
    ExportTable {
        name: "identities",
        source: "idents",
        doc: "a (name, address) pair as written in commits, trailers or list messages",
        columns: &[
            col("identity", Int, "its id, which the other tables refer to"),
            col("name", Text, "the name as written"),
            col("email", Text, "the address as written"),
        ],
        sql: "SELECT id, name, email FROM idents ORDER BY id",
    },
    ExportTable {
        name: "commits",
        source: "commits",
        doc: "a commit of a repository",
        columns: &[
            col("repository", Text, "its repository"),
            col("commit", Text, "its id, hex"),
            col("author", Int, "the author's identity"),
            col("author_time", Time, "author time (UTC; author_offset is its offset)"),
            col("author_offset", Int, "the author's UTC offset, minutes east"),
            col("committer", Int, "the committer's identity"),
            col("committer_time", Time, "commit time (UTC; committer_offset is its offset)"),
            col("committer_offset", Int, "the committer's UTC offset, minutes east"),
            col("parents", Int, "how many parents (2 or more: a merge)"),
            col("subject", Text, "the first line of the message"),
            col("pull_request", OptionalInt, "the pull request the message names"),
        ],
        sql: "SELECT r.location, lower(hex(c.oid)), c.author_id, c.author_time, c.author_offset,
                     c.committer_id, c.committer_time, c.committer_offset, c.parent_count, c.subject, c.pr_number
              FROM commits c JOIN repositories r ON r.id = c.repo_id ORDER BY r.location, c.committer_time, c.id",
    },
    ExportTable {
        name: "changes",
        source: "changes",
        doc: "a path a non-merge commit changed against its first parent",
        columns: &[
            col("repository", Text, "its repository"),
            col("commit", Text, "the commit, hex"),
            col("position", Int, "its place in the commit's list"),
            col("path", Text, "the path after the change"),
            col("kind", Text, "A, M, D or R (added, modified, deleted, renamed)"),
            col("old_path", OptionalText, "for renames, where it came from"),
            col("lines_added", OptionalInt, "lines added, when counted (mine --lines)"),
            col("lines_removed", OptionalInt, "lines removed, when counted"),
            col("blob_missing", Int, "1 when a partial clone lacked its content"),
        ],
        sql: "SELECT r.location, lower(hex(c.oid)), ch.position, p.path, ch.kind, op.path,
                     ch.lines_added, ch.lines_removed, ch.blob_missing
              FROM changes ch JOIN commits c ON c.id = ch.commit_id JOIN repositories r ON r.id = c.repo_id
              JOIN paths p ON p.id = ch.path_id LEFT JOIN paths op ON op.id = ch.old_path_id
              ORDER BY r.location, c.committer_time, c.id, ch.position",
    },
    ExportTable {
        name: "trailers",
        source: "trailers",
        doc: "a `Key: value` line of a commit's trailer block (one per person of a list)",
        columns: &[
            col("repository", Text, "its repository"),
            col("commit", Text, "the commit, hex"),
            col("position", Int, "its place in the message"),
            col("key", Text, "the key (Signed-off-by, Reviewed-by, Author, Discussion, …)"),
            col("value", Text, "the value as written"),
            col("identity", OptionalInt, "the identity it names, if any"),
        ],
        sql: "SELECT r.location, lower(hex(c.oid)), t.position, t.key, t.value, t.ident_id
              FROM trailers t JOIN commits c ON c.id = t.commit_id JOIN repositories r ON r.id = c.repo_id
              ORDER BY r.location, c.committer_time, c.id, t.position",
    },
    ExportTable {
        name: "forge_items",
        source: "forge_items",
        doc: "an issue or pull request of a repository's forge",
        columns: &[
            col("repository", Text, "its repository"),
            col("number", Int, "its number"),
            col("kind", Text, "issue or pull_request"),
            col("author", OptionalText, "the author's login"),
            col("association", OptionalText, "the author's association (OWNER, MEMBER, …)"),
            col("title", Text, "its title"),
            col("state", Text, "open or closed"),
            col("draft", Int, "1 for a draft pull request"),
            col("created", Time, "a moment in UTC"),
            col("updated", Time, "a moment in UTC"),
            col("closed", OptionalTime, "a moment in UTC"),
            col("merged", OptionalTime, "a moment in UTC"),
            col("merged_by", OptionalText, "who merged it"),
            col("labels", Text, "label names, a JSON array"),
            col("assignees", Text, "assignee logins, a JSON array"),
            col("first_commit", OptionalTime, "when a pull request's first commit was authored"),
        ],
        sql: "SELECT r.location, i.number, i.kind, i.author, i.association, i.title, i.state, i.draft,
                     i.created, i.updated, i.closed, i.merged, i.merged_by, i.labels, i.assignees,
                     i.first_commit
              FROM forge_items i JOIN repositories r ON r.id = i.repo_id ORDER BY r.location, i.number",
    },
    ExportTable {
        name: "forge_activities",
        source: "forge_activities",
        doc: "a comment, review or triage event on a forge item",
        columns: &[
            col("repository", Text, "its repository"),
            col("id", Text, "the forge's id of the act"),
            col("number", Int, "the item's number"),
            col("kind", Text, "comment, review, review_comment, labeled, unlabeled, assigned, closed, reopened, merged, ready_for_review"),
            col("actor", OptionalText, "who (login)"),
            col("association", OptionalText, "their association"),
            col("time", Time, "a moment in UTC"),
            col("detail", OptionalText, "the label, the assignee or the review's state"),
        ],
        sql: "SELECT r.location, a.id, a.number, a.kind, a.actor, a.association, a.time, a.detail
              FROM forge_activities a JOIN repositories r ON r.id = a.repo_id ORDER BY r.location, a.number, a.time, a.id",
    },
    ExportTable {
        name: "list_messages",
        source: "list_messages",
        doc: "a message of a mailing list",
        columns: &[
            col("list", Text, "the list: a path, an archive URL or apache:LIST"),
            col("repository", OptionalText, "the repository it belongs to"),
            col("message_id", Text, "its Message-ID"),
            col("in_reply_to", OptionalText, "the message it answers"),
            col("first_reference", OptionalText, "its thread's oldest reference"),
            col("sender", Int, "the sender's identity"),
            col("time", Time, "a moment in UTC"),
            col("offset_minutes", Int, "the sender's UTC offset"),
            col("subject", Text, "its subject"),
            col("patch_version", OptionalInt, "[PATCH vN …]: N"),
            col("patch_index", OptionalInt, "[PATCH m/t]: m"),
            col("patch_total", OptionalInt, "[PATCH m/t]: t"),
        ],
        sql: "SELECT l.source, r.location, m.message_id, m.in_reply_to, m.first_reference, m.from_id, m.time,
                     m.offset_minutes, m.subject, m.patch_version, m.patch_index, m.patch_total
              FROM list_messages m JOIN lists l ON l.id = m.list_id LEFT JOIN repositories r ON r.id = l.repo_id
              ORDER BY l.source, m.time, m.id",
    },
];

/// Why an export stopped: the store could not be read, or the rows' taker failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError<E: std::error::Error + 'static> {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Taking a row failed.
    #[error(transparent)]
    Sink(E),
}

impl Store {
    /// Hands each row of `table` to `each`, in order; returns how many there were.
    /// `each` may stop the export by returning an error.
    pub fn export_rows<E: std::error::Error + 'static>(
        &self,
        table: &ExportTable,
        each: &mut dyn FnMut(Vec<Cell>) -> Result<(), E>,
    ) -> Result<u64, ExportError<E>> {
        let sql = match self.conn.dialect() {
            Dialect::Sqlite => table.sql.to_owned(),
            Dialect::Postgres => table
                .sql
                .replace("lower(hex(c.oid))", "encode(c.oid, 'hex')"),
        };
        let mut stopped = None;
        let mut n = 0;
        let read = self.conn.for_each(&sql, &[], |r| {
            let mut cells = Vec::with_capacity(table.columns.len());
            for (i, column) in table.columns.iter().enumerate() {
                cells.push(match column.kind {
                    Int | OptionalInt | Time | OptionalTime => {
                        r.get::<Option<i64>>(i)?.map_or(Cell::Null, Cell::Int)
                    }
                    Text | OptionalText => match r.is_null(i)? {
                        true => Cell::Null,
                        false => Cell::Text(r.get::<RawText>(i)?.to_lossy().into_owned()),
                    },
                });
            }
            n += 1;
            each(cells).map_err(|e| {
                stopped = Some(e);
                DbError::Stopped
            })
        });
        match (read, stopped) {
            (_, Some(e)) => return Err(ExportError::Sink(e)),
            (result, None) => {
                result.map_err(StoreError::while_doing("reading a table to export"))?
            }
        }
        Ok(n)
    }
}
