-- Version 10: when a pull request's first commit was authored (its own
-- commits are no earlier contribution of its author), and a fresh GitHub
-- pass: items synced before carried bots' GraphQL logins without `[bot]`
-- and review comments at their draft time, so the next sync reads every
-- item again (the gate's ETag and the pass watermarks are forgotten).
ALTER TABLE forge_items ADD COLUMN first_commit INTEGER;
DELETE FROM forge_cursors
 WHERE key = 'github.gate.etag'
    OR key LIKE 'github.issue.%' OR key LIKE 'github.pull_request.%';
