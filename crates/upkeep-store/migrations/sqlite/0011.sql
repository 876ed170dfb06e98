-- Version 11: advisories as OSV published them, cached by id and refreshed
-- when OSV lists a newer `modified` time (`--offline` reads only these).
CREATE TABLE advisories (
    id TEXT PRIMARY KEY,
    modified TEXT NOT NULL,
    record TEXT NOT NULL,
    fetched_at INTEGER NOT NULL
);
