-- Version 4 of the PostgreSQL store: as SQLite's version 11, advisories as
-- OSV published them, cached by id.
CREATE TABLE advisories (
    id TEXT PRIMARY KEY,
    modified TEXT NOT NULL,
    record TEXT NOT NULL,
    fetched_at BIGINT NOT NULL
);
