-- Version 6: what the OSPO ledger needs beyond events: the issues commit
-- messages refer to, an organization's roster (its people, strongest of
-- affiliations) and hand-recorded engagement (talks, posts, meetups).
CREATE TABLE commit_refs (
    commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    reference TEXT NOT NULL,            -- #N (an issue the message closes) or KEY-N (a tracker key)
    PRIMARY KEY (commit_id, position)
) WITHOUT ROWID;
CREATE TABLE roster (
    organization TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,                         -- lower-cased
    login TEXT,                         -- lower-cased
    from_day TEXT,                      -- YYYY-MM-DD, inclusive
    until_day TEXT,                     -- YYYY-MM-DD, exclusive
    file TEXT NOT NULL,
    line INTEGER NOT NULL
);
CREATE TABLE engagement (
    day TEXT NOT NULL,                  -- YYYY-MM-DD
    person TEXT NOT NULL,               -- an address, login:NAME or a name
    upstream TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- talk, blog post, meetup, office hours, ...
    url TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    UNIQUE (day, person, upstream, kind, url)
);
