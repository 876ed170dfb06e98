//! Versioned schema migrations. `PRAGMA user_version` records how many have run;
//! `PRAGMA application_id` marks the file as upkeep's.

use crate::OpenError;
use rusqlite::Connection;
use std::path::Path;

/// `upkp` in ASCII: marks a SQLite file as an upkeep database.
pub const APPLICATION_ID: i64 = 0x7570_6b70;

/// The migrations, in order; the schema version is the number applied.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9];

/// Version 1: repositories, commits with parents, trailers and changed paths,
/// tags, mined references and tip files. Names, emails and paths are TEXT when
/// valid UTF-8 and BLOB otherwise, interned in `idents` and `paths`.
const V1: &str = r#"
CREATE TABLE repositories (
    id INTEGER PRIMARY KEY,
    location TEXT NOT NULL UNIQUE,      -- canonical local path, or the URL it was cloned from
    git_dir TEXT NOT NULL,
    head_ref TEXT,                      -- the default branch, e.g. refs/heads/main
    shallow INTEGER NOT NULL DEFAULT 0,
    options TEXT,                       -- the mining options the stored commits were mined with
    mined_at INTEGER,                   -- end of the last complete run, seconds since the epoch
    summary TEXT,                       -- counts over the stored data at that point, as JSON
    mining INTEGER NOT NULL DEFAULT 0   -- 1 while a run is storing commits: if still 1 at the next
                                        -- run, that run was cut off and stored commits may lack ancestors
);
CREATE TABLE idents (
    id INTEGER PRIMARY KEY,
    name NOT NULL,
    email NOT NULL,
    UNIQUE (email, name)
);
CREATE TABLE paths (
    id INTEGER PRIMARY KEY,
    path NOT NULL UNIQUE
);
CREATE TABLE commits (
    id INTEGER PRIMARY KEY,
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    oid BLOB NOT NULL,
    author_id INTEGER NOT NULL REFERENCES idents(id),
    author_time INTEGER NOT NULL,       -- seconds since the epoch, UTC
    author_offset INTEGER NOT NULL,     -- minutes east of UTC
    committer_id INTEGER NOT NULL REFERENCES idents(id),
    committer_time INTEGER NOT NULL,
    committer_offset INTEGER NOT NULL,
    parent_count INTEGER NOT NULL,
    subject NOT NULL,
    pr_number INTEGER,
    UNIQUE (repo_id, oid)
);
CREATE TABLE commit_parents (
    commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    parent_oid BLOB NOT NULL,
    PRIMARY KEY (commit_id, position)
) WITHOUT ROWID;
CREATE TABLE trailers (
    commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    value NOT NULL,
    ident_id INTEGER REFERENCES idents(id),   -- the person named, if any
    PRIMARY KEY (commit_id, position)
) WITHOUT ROWID;
CREATE TABLE changes (
    commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path_id INTEGER NOT NULL REFERENCES paths(id),
    kind TEXT NOT NULL,                 -- A, M, D or R
    old_path_id INTEGER REFERENCES paths(id),
    lines_added INTEGER,
    lines_removed INTEGER,
    PRIMARY KEY (commit_id, position)
) WITHOUT ROWID;
CREATE TABLE tags (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    name NOT NULL,
    target BLOB NOT NULL,               -- the commit, after peeling
    tagger_id INTEGER REFERENCES idents(id),
    tag_time INTEGER,
    tag_offset INTEGER,
    is_version INTEGER NOT NULL,
    PRIMARY KEY (repo_id, name)
);
CREATE TABLE refs (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    name NOT NULL,
    target BLOB NOT NULL,
    PRIMARY KEY (repo_id, name)
);
CREATE TABLE tip_files (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    path NOT NULL,
    kind TEXT NOT NULL,
    content NOT NULL,
    PRIMARY KEY (repo_id, path)
);
"#;

/// Version 2: imported affiliation data (CNCF gitdm): developer ranges by
/// address or `login:…`, domain rules, address aliases, company-name mapping.
const V2: &str = r#"
CREATE TABLE affiliation_ranges (
    key TEXT NOT NULL,                  -- a lower-cased address, or login:<github login>
    organization TEXT NOT NULL,
    from_day TEXT,                      -- YYYY-MM-DD, inclusive
    until_day TEXT,                     -- YYYY-MM-DD, exclusive
    file TEXT NOT NULL,
    line INTEGER NOT NULL
);
CREATE INDEX affiliation_ranges_key ON affiliation_ranges (key);
CREATE TABLE affiliation_domains (
    domain TEXT NOT NULL,
    organization TEXT NOT NULL,
    until_day TEXT
);
CREATE TABLE email_aliases (
    alias TEXT PRIMARY KEY,
    canonical TEXT NOT NULL
);
CREATE TABLE organization_names (
    name TEXT PRIMARY KEY,              -- lower-cased
    canonical TEXT NOT NULL
);
"#;

/// Version 3: which repository a registry says a package comes from, so a
/// later run asks the registry again only when the answer is old.
const V3: &str = r#"
CREATE TABLE package_repositories (
    ecosystem TEXT NOT NULL,            -- package URL type: cargo, npm, pypi, golang
    name TEXT NOT NULL,                 -- the registry's name for the package
    repository TEXT,                    -- normalized URL; NULL when the registry names none
    source TEXT NOT NULL,               -- who answered, e.g. crates.io
    reason TEXT,                        -- why there is no repository
    looked_up_at INTEGER NOT NULL,      -- seconds since the epoch
    PRIMARY KEY (ecosystem, name)
);
"#;

/// Version 4: what a forge knows about a mined repository (issues, pull
/// requests, their activity, releases, metadata), the cursors that make its
/// sync incremental and resumable, and the logins it tied to commit identities.
const V4: &str = r#"
CREATE TABLE forge_cursors (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (repo_id, key)
);
CREATE TABLE forge_items (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,                 -- issue | pull_request
    author TEXT,                        -- login; NULL for deleted accounts
    association TEXT,                   -- OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, ...
    title TEXT NOT NULL,
    state TEXT NOT NULL,                -- open | closed
    draft INTEGER NOT NULL,
    created INTEGER NOT NULL,           -- seconds since the epoch
    updated INTEGER NOT NULL,
    closed INTEGER,
    merged INTEGER,
    merged_by TEXT,
    labels TEXT NOT NULL,               -- JSON array of names
    assignees TEXT NOT NULL,            -- JSON array of logins
    PRIMARY KEY (repo_id, number)
);
CREATE TABLE forge_activities (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    id TEXT NOT NULL,                   -- the forge's id: a refetch replaces, never doubles
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,                 -- comment, review, review_comment, labeled, assigned, ...
    actor TEXT,
    association TEXT,
    time INTEGER NOT NULL,
    detail TEXT,
    PRIMARY KEY (repo_id, id)
);
CREATE INDEX forge_activities_number ON forge_activities (repo_id, number);
CREATE TABLE forge_releases (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    name TEXT NOT NULL,
    author TEXT,
    created INTEGER NOT NULL,
    published INTEGER,
    prerelease INTEGER NOT NULL,
    draft INTEGER NOT NULL,
    PRIMARY KEY (repo_id, tag)
);
CREATE TABLE forge_meta (
    repo_id INTEGER PRIMARY KEY REFERENCES repositories(id) ON DELETE CASCADE,
    forge TEXT NOT NULL,                -- e.g. github:owner/name
    archived INTEGER NOT NULL,
    default_branch TEXT,
    license TEXT,
    security_policy INTEGER,
    funding TEXT NOT NULL,              -- JSON array of "platform: url"
    synced_at INTEGER
);
CREATE TABLE forge_logins (
    login TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    PRIMARY KEY (login, email, name)
);
"#;

/// Version 5: changes whose blobs were missing from the repository (a partial
/// clone), so their renames could only be found when exact and their lines are unknown.
const V5: &str = r#"
ALTER TABLE changes ADD COLUMN blob_missing INTEGER NOT NULL DEFAULT 0;
"#;

/// Version 6: what the OSPO ledger needs beyond events: the issues commit
/// messages refer to, an organization's roster (its people, strongest of
/// affiliations) and hand-recorded engagement (talks, posts, meetups).
const V6: &str = r#"
CREATE TABLE commit_refs (
    commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    reference TEXT NOT NULL,            -- #N (an issue the message closes) or KEY-N (a tracker key)
    PRIMARY KEY (commit_id, position)
) WITHOUT ROWID;
CREATE TABLE roster (
    organization TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,                         -- lower-cased
    login TEXT,                         -- lower-cased
    from_day TEXT,                      -- YYYY-MM-DD, inclusive
    until_day TEXT,                     -- YYYY-MM-DD, exclusive
    file TEXT NOT NULL,
    line INTEGER NOT NULL
);
CREATE TABLE engagement (
    day TEXT NOT NULL,                  -- YYYY-MM-DD
    person TEXT NOT NULL,               -- an address, login:NAME or a name
    upstream TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- talk, blog post, meetup, office hours, ...
    url TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    UNIQUE (day, person, upstream, kind, url)
);
"#;

/// Version 7: the commit a window ends at (the newest committed before a
/// time) found by an index rather than a scan.
const V7: &str = r#"
CREATE INDEX commits_committed ON commits (repo_id, committer_time);
"#;

/// Version 8: mailing lists. A list is a source (files, an archive URL,
/// `apache:LIST`), optionally of a repository; its messages are kept once per
/// Message-ID; each part read (a month of an archive, a file) is recorded
/// with what it held, so a closed month is not downloaded again.
const V8: &str = r#"
CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,        -- a canonical path, an archive URL, or apache:LIST@DOMAIN
    repo_id INTEGER REFERENCES repositories(id) ON DELETE SET NULL,
    synced_at INTEGER
);
CREATE TABLE list_messages (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    in_reply_to TEXT,
    first_reference TEXT,               -- the oldest message of References, the thread's root
    from_id INTEGER NOT NULL REFERENCES idents(id),
    time INTEGER NOT NULL,
    offset_minutes INTEGER NOT NULL,
    subject TEXT NOT NULL,
    patch_version INTEGER,              -- [PATCH vN m/t]
    patch_index INTEGER,
    patch_total INTEGER,
    UNIQUE (list_id, message_id)
);
CREATE TABLE list_trailers (
    message INTEGER NOT NULL REFERENCES list_messages(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,                  -- Reviewed-by, Acked-by, Tested-by
    ident_id INTEGER NOT NULL REFERENCES idents(id),
    PRIMARY KEY (message, position)
) WITHOUT ROWID;
CREATE TABLE list_parts (
    list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    part TEXT NOT NULL,                 -- YYYY-MM, or a file's path
    closed INTEGER NOT NULL,            -- a month over when read: never read again
    stamp TEXT,                         -- a file's size and modification time when read
    messages INTEGER NOT NULL,
    skipped TEXT NOT NULL,              -- reason: count, as JSON
    read_at INTEGER NOT NULL,
    PRIMARY KEY (list_id, part)
) WITHOUT ROWID;
"#;

/// Version 9: issue trackers beside a repository's forge (a JIRA project):
/// items are numbered per tracker (`''` is the repository's forge), and a
/// repository remembers the trackers it was given.
const V9: &str = r#"
CREATE TABLE forge_items_v9 (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    tracker TEXT NOT NULL DEFAULT '',   -- '' for the repository's forge, else a JIRA project's key
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    author TEXT,
    association TEXT,
    title TEXT NOT NULL,
    state TEXT NOT NULL,
    draft INTEGER NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    closed INTEGER,
    merged INTEGER,
    merged_by TEXT,
    labels TEXT NOT NULL,
    assignees TEXT NOT NULL,
    PRIMARY KEY (repo_id, tracker, number)
);
INSERT INTO forge_items_v9 (repo_id, number, kind, author, association, title, state, draft, created,
    updated, closed, merged, merged_by, labels, assignees)
SELECT repo_id, number, kind, author, association, title, state, draft, created, updated, closed, merged,
    merged_by, labels, assignees FROM forge_items;
DROP TABLE forge_items;
ALTER TABLE forge_items_v9 RENAME TO forge_items;
ALTER TABLE forge_activities ADD COLUMN tracker TEXT NOT NULL DEFAULT '';
DROP INDEX forge_activities_number;
CREATE INDEX forge_activities_number ON forge_activities (repo_id, tracker, number);
CREATE TABLE trackers (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                 -- jira
    url TEXT NOT NULL,                  -- the site, e.g. https://issues.apache.org/jira
    project TEXT NOT NULL,              -- the project's key, e.g. KAFKA
    PRIMARY KEY (repo_id, kind, project)
);
"#;

/// For a reader: checks that the file is ours and of exactly this build's
/// schema, and sets the connection up for reading.
pub(crate) fn check_read_only(conn: &Connection, path: &Path) -> Result<(), OpenError> {
    let sqlite = |source| OpenError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(sqlite)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sqlite)?;
    if app_id != APPLICATION_ID {
        return Err(OpenError::NotOurs {
            path: path.to_owned(),
            what: "not upkeep's (run `upkeep mine` to create one)".into(),
        });
    }
    let known = MIGRATIONS.len() as i64;
    if version != known {
        return Err(OpenError::OtherSchema {
            path: path.to_owned(),
            found: version,
            known,
        });
    }
    conn.execute_batch(
        "PRAGMA busy_timeout = 30000; PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824;",
    )
    .map_err(sqlite)
}

/// Checks that the file is ours and not newer than this build, sets the
/// connection up (WAL, foreign keys, busy timeout) and runs pending migrations,
/// each in its own transaction.
pub(crate) fn prepare(conn: &Connection, path: &Path) -> Result<(), OpenError> {
    let sqlite = |source| OpenError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let not_ours = |what: &str| OpenError::NotOurs {
        path: path.to_owned(),
        what: what.to_owned(),
    };
    let app_id: i64 = match conn.query_row("PRAGMA application_id", [], |r| r.get(0)) {
        Ok(id) => id,
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::NotADatabase =>
        {
            return Err(not_ours("not a SQLite database"));
        }
        Err(e) => return Err(sqlite(e)),
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sqlite)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(sqlite)?;
    if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
        return Err(not_ours("a SQLite database of another program"));
    }
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(OpenError::TooNew {
            path: path.to_owned(),
            found: version,
            known,
        });
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 30000;
         PRAGMA cache_size = -65536;
         PRAGMA mmap_size = 1073741824;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(sqlite)?;
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let sql = format!(
            "BEGIN IMMEDIATE; {migration}\nPRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {}; COMMIT;",
            i + 1
        );
        conn.execute_batch(&sql).map_err(sqlite)?;
    }
    Ok(())
}
