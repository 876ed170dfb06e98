-- Version 9: issue trackers beside a repository's forge (a JIRA project):
-- items are numbered per tracker (`''` is the repository's forge), and a
-- repository remembers the trackers it was given.
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
