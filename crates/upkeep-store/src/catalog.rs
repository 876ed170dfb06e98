//! The store's tables, declared once: each table's columns, natural key,
//! references and meaning. `upkeep db copy` copies them by this catalog,
//! `upkeep export` names the table each exported file flattens, and a test
//! compares it with the tables a migrated SQLite file and PostgreSQL schema
//! really have.

/// How a table's rows are told apart across stores (`db copy` matches them so).
pub enum Key {
    /// An id column renumbered through the natural key (its columns).
    Id(&'static [&'static str]),
    /// The natural key (its columns): rows already there are left as they are.
    Natural(&'static [&'static str]),
    /// No key: the target's rows of the same `scope` columns are replaced.
    Replace(&'static [&'static str]),
}

/// A table of the store.
pub struct Table {
    /// Its name.
    pub name: &'static str,
    /// What one row is.
    pub doc: &'static str,
    /// Its columns, in order (an id first for [`Key::Id`]).
    pub columns: &'static [&'static str],
    /// How its rows are told apart across stores.
    pub key: Key,
    /// The columns holding ids of other tables, with those tables.
    pub refs: &'static [(&'static str, &'static str)],
}

/// Every table that holds data, parents before children.
pub const TABLES: &[Table] = &[
    Table {
        name: "repositories",
        doc: "a mined repository: where it is, its git directory, how and when it was mined",
        columns: &[
            "id", "location", "git_dir", "head_ref", "shallow", "options", "mined_at", "summary",
            "mining",
        ],
        key: Key::Id(&["location"]),
        refs: &[],
    },
    Table {
        name: "idents",
        doc: "a (name, address) pair as written in commits, trailers or list messages",
        columns: &["id", "name", "email"],
        key: Key::Id(&["email", "name"]),
        refs: &[],
    },
    Table {
        name: "paths",
        doc: "a file path (bytes) changed by some commit",
        columns: &["id", "path"],
        key: Key::Id(&["path"]),
        refs: &[],
    },
    Table {
        name: "commits",
        doc: "a commit of a repository: author, committer, times with their offsets, subject, pull request named",
        columns: &[
            "id",
            "repo_id",
            "oid",
            "author_id",
            "author_time",
            "author_offset",
            "committer_id",
            "committer_time",
            "committer_offset",
            "parent_count",
            "subject",
            "pr_number",
        ],
        key: Key::Id(&["repo_id", "oid"]),
        refs: &[
            ("repo_id", "repositories"),
            ("author_id", "idents"),
            ("committer_id", "idents"),
        ],
    },
    Table {
        name: "commit_parents",
        doc: "a parent of a commit, in order",
        columns: &["commit_id", "position", "parent_oid"],
        key: Key::Natural(&["commit_id", "position"]),
        refs: &[("commit_id", "commits")],
    },
    Table {
        name: "trailers",
        doc: "a `Key: value` line of a commit's trailer block (one per person of a list)",
        columns: &["commit_id", "position", "key", "value", "ident_id"],
        key: Key::Natural(&["commit_id", "position"]),
        refs: &[("commit_id", "commits"), ("ident_id", "idents")],
    },
    Table {
        name: "changes",
        doc: "a path a non-merge commit changed against its first parent",
        columns: &[
            "commit_id",
            "position",
            "path_id",
            "kind",
            "old_path_id",
            "lines_added",
            "lines_removed",
            "blob_missing",
        ],
        key: Key::Natural(&["commit_id", "position"]),
        refs: &[
            ("commit_id", "commits"),
            ("path_id", "paths"),
            ("old_path_id", "paths"),
        ],
    },
    Table {
        name: "commit_refs",
        doc: "an issue or pull request a commit names",
        columns: &["commit_id", "position", "reference"],
        key: Key::Natural(&["commit_id", "position"]),
        refs: &[("commit_id", "commits")],
    },
    Table {
        name: "tags",
        doc: "a tag of a repository: target, tagger and time, whether it looks like a version",
        columns: &[
            "repo_id",
            "name",
            "target",
            "tagger_id",
            "tag_time",
            "tag_offset",
            "is_version",
        ],
        key: Key::Natural(&["repo_id", "name"]),
        refs: &[("repo_id", "repositories"), ("tagger_id", "idents")],
    },
    Table {
        name: "refs",
        doc: "a branch tip as last mined (to find what is new)",
        columns: &["repo_id", "name", "target"],
        key: Key::Natural(&["repo_id", "name"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "tip_files",
        doc: "a governance file or .mailmap at the tip",
        columns: &["repo_id", "path", "kind", "content"],
        key: Key::Natural(&["repo_id", "path"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "affiliation_ranges",
        doc: "a person's organization over a date range (affiliations files, gitdm)",
        columns: &[
            "key",
            "organization",
            "from_day",
            "until_day",
            "file",
            "line",
        ],
        key: Key::Replace(&[]),
        refs: &[],
    },
    Table {
        name: "affiliation_domains",
        doc: "an e-mail domain's organization, until a day (gitdm)",
        columns: &["domain", "organization", "until_day"],
        key: Key::Replace(&[]),
        refs: &[],
    },
    Table {
        name: "email_aliases",
        doc: "an address that is another's (gitdm aliases)",
        columns: &["alias", "canonical"],
        key: Key::Natural(&["alias"]),
        refs: &[],
    },
    Table {
        name: "organization_names",
        doc: "a company name and its canonical spelling (gitdm)",
        columns: &["name", "canonical"],
        key: Key::Natural(&["name"]),
        refs: &[],
    },
    Table {
        name: "package_repositories",
        doc: "the repository a registry names for a package, or why none",
        columns: &[
            "ecosystem",
            "name",
            "repository",
            "source",
            "reason",
            "looked_up_at",
        ],
        key: Key::Natural(&["ecosystem", "name"]),
        refs: &[],
    },
    Table {
        name: "advisories",
        doc: "a vulnerability advisory as OSV published it (its JSON record), by id",
        columns: &["id", "modified", "record", "fetched_at"],
        key: Key::Natural(&["id"]),
        refs: &[],
    },
    Table {
        name: "repo_packages",
        doc: "a package a repository publishes (package URL), and where that was seen",
        columns: &["repo_id", "purl", "source"],
        key: Key::Natural(&["repo_id", "purl"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "repo_advisories",
        doc: "an advisory (by id; its record in advisories) naming a repository's packages, or its forge's own",
        columns: &["repo_id", "advisory_id", "source"],
        key: Key::Natural(&["repo_id", "advisory_id"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "package_versions",
        doc: "when a version of a package was published, as its registry says",
        columns: &["purl", "version", "published", "source"],
        key: Key::Natural(&["purl", "version"]),
        refs: &[],
    },
    Table {
        name: "advisory_checks",
        doc: "a repository's last advisory check: when it completed, why the last attempt could not ask OSV, records skipped",
        columns: &["repo_id", "checked_at", "error", "skipped"],
        key: Key::Natural(&["repo_id"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "adoption_readings",
        doc: "a reading of an adoption signal (stars, downloads, dependents…) of a repository or package, with its source, or why it was unavailable",
        columns: &[
            "repo_id", "signal", "subject", "read_at", "value", "source", "reason",
        ],
        key: Key::Natural(&["repo_id", "signal", "subject", "read_at"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "repo_forks",
        doc: "a fork of a repository as last listed: when it was pushed, commits ahead",
        columns: &["repo_id", "name", "pushed", "ahead_by"],
        key: Key::Natural(&["repo_id", "name"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "adoption_checks",
        doc: "a repository's last adoption check, and why its forks could not be listed",
        columns: &["repo_id", "checked_at", "forks_error"],
        key: Key::Natural(&["repo_id"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "forge_cursors",
        doc: "where a forge sync resumes (ETags, cursors, watermarks)",
        columns: &["repo_id", "key", "value"],
        key: Key::Natural(&["repo_id", "key"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "forge_items",
        doc: "an issue or pull request (merge request, JIRA issue) of a forge or tracker",
        columns: &[
            "repo_id",
            "tracker",
            "number",
            "kind",
            "author",
            "association",
            "title",
            "state",
            "draft",
            "created",
            "updated",
            "closed",
            "merged",
            "merged_by",
            "labels",
            "assignees",
            "first_commit",
        ],
        key: Key::Natural(&["repo_id", "tracker", "number"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "forge_activities",
        doc: "a comment, review, label, assignment, close or merge on an item",
        columns: &[
            "repo_id",
            "id",
            "number",
            "kind",
            "actor",
            "association",
            "time",
            "detail",
            "tracker",
        ],
        key: Key::Natural(&["repo_id", "id"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "forge_releases",
        doc: "a release published on the forge",
        columns: &[
            "repo_id",
            "tag",
            "name",
            "author",
            "created",
            "published",
            "prerelease",
            "draft",
        ],
        key: Key::Natural(&["repo_id", "tag"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "forge_meta",
        doc: "a repository's forge metadata (archived, license, security policy, funding, private vulnerability reporting)",
        columns: &[
            "repo_id",
            "forge",
            "archived",
            "default_branch",
            "license",
            "security_policy",
            "funding",
            "synced_at",
            "private_reporting",
        ],
        key: Key::Natural(&["repo_id"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "forge_logins",
        doc: "a forge login seen with a commit author's name and address",
        columns: &["login", "name", "email"],
        key: Key::Natural(&["login", "email", "name"]),
        refs: &[],
    },
    Table {
        name: "roster",
        doc: "a person of an organization over a date range (roster import)",
        columns: &[
            "organization",
            "name",
            "email",
            "login",
            "from_day",
            "until_day",
            "file",
            "line",
            "team",
        ],
        key: Key::Replace(&["organization", "file"]),
        refs: &[],
    },
    Table {
        name: "engagement",
        doc: "a hand-recorded talk, post or meeting (engagement import)",
        columns: &["day", "person", "upstream", "kind", "url", "file", "line"],
        key: Key::Natural(&["day", "person", "upstream", "kind", "url"]),
        refs: &[],
    },
    Table {
        name: "lists",
        doc: "a mailing list read (a file, folder or archive URL)",
        columns: &["id", "source", "repo_id", "synced_at"],
        key: Key::Id(&["source"]),
        refs: &[("repo_id", "repositories")],
    },
    Table {
        name: "list_messages",
        doc: "a message of a mailing list",
        columns: &[
            "id",
            "list_id",
            "message_id",
            "in_reply_to",
            "first_reference",
            "from_id",
            "time",
            "offset_minutes",
            "subject",
            "patch_version",
            "patch_index",
            "patch_total",
        ],
        key: Key::Id(&["list_id", "message_id"]),
        refs: &[("list_id", "lists"), ("from_id", "idents")],
    },
    Table {
        name: "list_trailers",
        doc: "a `Reviewed-by:`-style line in a list message's body",
        columns: &["message", "position", "key", "ident_id"],
        key: Key::Natural(&["message", "position"]),
        refs: &[("message", "list_messages"), ("ident_id", "idents")],
    },
    Table {
        name: "list_parts",
        doc: "a part of a list read (a month's archive, a file) and when",
        columns: &[
            "list_id", "part", "closed", "stamp", "messages", "skipped", "read_at",
        ],
        key: Key::Natural(&["list_id", "part"]),
        refs: &[("list_id", "lists")],
    },
    Table {
        name: "trackers",
        doc: "a JIRA or GitLab project that belongs to a repository",
        columns: &["repo_id", "kind", "url", "project"],
        key: Key::Natural(&["repo_id", "kind", "project"]),
        refs: &[("repo_id", "repositories")],
    },
];

/// Tables that are not data: the fleet's queue and token budget (which
/// belong to one shared store) and the schema's version.
pub const OPERATIONAL: &[&str] = &["jobs", "tokens", "upkeep_schema"];

/// Row ids PostgreSQL's schema gives tables whose rows SQLite numbers by
/// its implicit rowid: not data, never copied, not in [`Table::columns`].
pub const POSTGRES_ROW_IDS: &[(&str, &str)] = &[("affiliation_ranges", "id"), ("engagement", "id")];

impl crate::Store {
    /// The tables and their columns (in order) as the database itself
    /// describes them: `sqlite_master` and `pragma_table_info` for a file,
    /// `information_schema.columns` of the schema in use for PostgreSQL.
    pub fn described_tables(
        &self,
    ) -> Result<std::collections::BTreeMap<String, Vec<String>>, crate::StoreError> {
        let sql = self.conn.pick(
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid",
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
        );
        let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        self.conn
            .for_each(sql, &[], |r| {
                out.entry(r.get::<String>(0)?)
                    .or_default()
                    .push(r.get::<String>(1)?);
                Ok(())
            })
            .map_err(crate::StoreError::while_doing("reading the schema"))?;
        Ok(out)
    }
}
