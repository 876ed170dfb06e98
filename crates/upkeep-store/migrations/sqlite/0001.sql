-- Version 1: repositories, commits with parents, trailers and changed paths,
-- tags, mined references and tip files. Names, emails and paths are TEXT when
-- valid UTF-8 and BLOB otherwise, interned in `idents` and `paths`.
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
