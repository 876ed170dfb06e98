-- Version 5 of the PostgreSQL store: as SQLite's version 12, what the
-- security response is computed from.
CREATE TABLE repo_packages (
    repo_id BIGINT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    purl TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (repo_id, purl)
);
CREATE TABLE repo_advisories (
    repo_id BIGINT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    advisory_id TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (repo_id, advisory_id)
);
CREATE TABLE package_versions (
    purl TEXT NOT NULL,
    version TEXT NOT NULL,
    published BIGINT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (purl, version)
);
CREATE TABLE advisory_checks (
    repo_id BIGINT PRIMARY KEY REFERENCES repositories(id) ON DELETE CASCADE,
    checked_at BIGINT,
    error TEXT,
    skipped TEXT NOT NULL
);
ALTER TABLE forge_meta ADD COLUMN private_reporting BOOLEAN;
