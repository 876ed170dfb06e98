-- Version 8: mailing lists. A list is a source (files, an archive URL,
-- `apache:LIST`), optionally of a repository; its messages are kept once per
-- Message-ID; each part read (a month of an archive, a file) is recorded
-- with what it held, so a closed month is not downloaded again.
CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,        -- a canonical path, an archive URL, or apache:LIST@DOMAIN
    repo_id INTEGER REFERENCES repositories(id) ON DELETE SET NULL,
    synced_at INTEGER
);
CREATE TABLE list_messages (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    in_reply_to TEXT,
    first_reference TEXT,               -- the oldest message of References, the thread's root
    from_id INTEGER NOT NULL REFERENCES idents(id),
    time INTEGER NOT NULL,
    offset_minutes INTEGER NOT NULL,
    subject TEXT NOT NULL,
    patch_version INTEGER,              -- [PATCH vN m/t]
    patch_index INTEGER,
    patch_total INTEGER,
    UNIQUE (list_id, message_id)
);
CREATE TABLE list_trailers (
    message INTEGER NOT NULL REFERENCES list_messages(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,                  -- Reviewed-by, Acked-by, Tested-by
    ident_id INTEGER NOT NULL REFERENCES idents(id),
    PRIMARY KEY (message, position)
) WITHOUT ROWID;
CREATE TABLE list_parts (
    list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    part TEXT NOT NULL,                 -- YYYY-MM, or a file's path
    closed INTEGER NOT NULL,            -- a month over when read: never read again
    stamp TEXT,                         -- a file's size and modification time when read
    messages INTEGER NOT NULL,
    skipped TEXT NOT NULL,              -- reason: count, as JSON
    read_at INTEGER NOT NULL,
    PRIMARY KEY (list_id, part)
) WITHOUT ROWID;
