-- Version 7: the commit a window ends at (the newest committed before a
-- time) found by an index rather than a scan.
CREATE INDEX commits_committed ON commits (repo_id, committer_time);
