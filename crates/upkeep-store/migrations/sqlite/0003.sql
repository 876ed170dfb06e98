-- Version 3: which repository a registry says a package comes from, so a
-- later run asks the registry again only when the answer is old.
CREATE TABLE package_repositories (
    ecosystem TEXT NOT NULL,            -- package URL type: cargo, npm, pypi, golang
    name TEXT NOT NULL,                 -- the registry's name for the package
    repository TEXT,                    -- normalized URL; NULL when the registry names none
    source TEXT NOT NULL,               -- who answered, e.g. crates.io
    reason TEXT,                        -- why there is no repository
    looked_up_at INTEGER NOT NULL,      -- seconds since the epoch
    PRIMARY KEY (ecosystem, name)
);
