-- Version 3 of the PostgreSQL store: as SQLite's version 10, when a pull
-- request's first commit was authored, and a fresh GitHub pass (items synced
-- before carried bots' GraphQL logins without `[bot]` and review comments at
-- their draft time).
ALTER TABLE forge_items ADD COLUMN first_commit BIGINT;
DELETE FROM forge_cursors
 WHERE key = 'github.gate.etag'
    OR key LIKE 'github.issue.%' OR key LIKE 'github.pull_request.%';
