-- Version 12: what the security response is computed from. The packages a
-- repository publishes (with where each was seen), the advisories naming
-- them (their records are in `advisories`), when each version of a package
-- was published (as its registry says), the last advisory check of each
-- repository, and whether its forge has private vulnerability reporting.
CREATE TABLE repo_packages (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    purl TEXT NOT NULL,                 -- package URL without a version
    source TEXT NOT NULL,               -- a manifest's path, a registry, or upkeep.toml
    PRIMARY KEY (repo_id, purl)
);
CREATE TABLE repo_advisories (
    repo_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    advisory_id TEXT NOT NULL,
    source TEXT NOT NULL,               -- OSV, or the forge (repository advisories)
    PRIMARY KEY (repo_id, advisory_id)
);
CREATE TABLE package_versions (
    purl TEXT NOT NULL,                 -- package URL without a version
    version TEXT NOT NULL,
    published INTEGER NOT NULL,         -- seconds since the epoch
    source TEXT NOT NULL,               -- the registry
    PRIMARY KEY (purl, version)
);
CREATE TABLE advisory_checks (
    repo_id INTEGER PRIMARY KEY REFERENCES repositories(id) ON DELETE CASCADE,
    checked_at INTEGER,                 -- the last complete check; NULL if none yet
    error TEXT,                         -- why the last attempt could not ask OSV, if it could not
    skipped TEXT NOT NULL               -- JSON: [[id, reason]] of records that could not be read
);
ALTER TABLE forge_meta ADD COLUMN private_reporting INTEGER;
