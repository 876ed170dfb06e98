-- Version 2: imported affiliation data (CNCF gitdm): developer ranges by
-- address or `login:…`, domain rules, address aliases, company-name mapping.
CREATE TABLE affiliation_ranges (
    key TEXT NOT NULL,                  -- a lower-cased address, or login:<github login>
    organization TEXT NOT NULL,
    from_day TEXT,                      -- YYYY-MM-DD, inclusive
    until_day TEXT,                     -- YYYY-MM-DD, exclusive
    file TEXT NOT NULL,
    line INTEGER NOT NULL
);
CREATE INDEX affiliation_ranges_key ON affiliation_ranges (key);
CREATE TABLE affiliation_domains (
    domain TEXT NOT NULL,
    organization TEXT NOT NULL,
    until_day TEXT
);
CREATE TABLE email_aliases (
    alias TEXT PRIMARY KEY,
    canonical TEXT NOT NULL
);
CREATE TABLE organization_names (
    name TEXT PRIMARY KEY,              -- lower-cased
    canonical TEXT NOT NULL
);
