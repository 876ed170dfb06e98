-- Version 13: adoption and teams. Each reading of an adoption signal (stars,
-- forks, watchers, downloads, dependents) with its source and date, or why it
-- was unavailable; a repository's forks as last listed; when adoption was last
-- checked (at most once a day); and the team of a roster entry.
CREATE TABLE adoption_readings (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    signal TEXT NOT NULL,               -- stars, forks, watchers, downloads_total, dependents, ...
    subject TEXT NOT NULL,              -- the repository or package it is of
    read_at INTEGER NOT NULL,           -- seconds since the epoch
    value REAL,                         -- NULL when unavailable
    source TEXT NOT NULL,               -- github, gitlab, crates.io, npm downloads API, deps.dev, ...
    reason TEXT,                        -- why it is unavailable
    PRIMARY KEY (repo_id, signal, subject, read_at)
);
CREATE TABLE repo_forks (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    name TEXT NOT NULL,                 -- owner/name
    pushed INTEGER NOT NULL,            -- seconds since the epoch
    ahead_by INTEGER,                   -- commits the upstream does not have, if compared
    PRIMARY KEY (repo_id, name)
);
CREATE TABLE adoption_checks (
    repo_id INTEGER PRIMARY KEY REFERENCES repositories(id) ON DELETE CASCADE,
    checked_at INTEGER NOT NULL,        -- the last check
    forks_error TEXT                    -- why the forks could not be listed, if they could not
);
ALTER TABLE roster ADD COLUMN team TEXT;
