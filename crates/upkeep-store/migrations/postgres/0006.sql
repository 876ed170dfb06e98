-- Version 6 of the PostgreSQL store: as SQLite's version 13, adoption
-- readings, forks, adoption checks and roster teams.
CREATE TABLE adoption_readings (
    repo_id BIGINT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    signal TEXT NOT NULL,
    subject TEXT NOT NULL,
    read_at BIGINT NOT NULL,
    value DOUBLE PRECISION,
    source TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (repo_id, signal, subject, read_at)
);
CREATE TABLE repo_forks (
    repo_id BIGINT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    pushed BIGINT NOT NULL,
    ahead_by BIGINT,
    PRIMARY KEY (repo_id, name)
);
CREATE TABLE adoption_checks (
    repo_id BIGINT PRIMARY KEY REFERENCES repositories(id) ON DELETE CASCADE,
    checked_at BIGINT NOT NULL,
    forks_error TEXT
);
ALTER TABLE roster ADD COLUMN team TEXT;
