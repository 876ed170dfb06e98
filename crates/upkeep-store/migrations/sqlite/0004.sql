-- Version 4: what a forge knows about a mined repository (issues, pull
-- requests, their activity, releases, metadata), the cursors that make its
-- sync incremental and resumable, and the logins it tied to commit identities.
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
