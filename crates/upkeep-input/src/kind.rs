//! The kinds of input and the most bytes upkeep reads of one of each.

/// What a file is read as; each kind has its own size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An SBOM or a lockfile: the largest real SBOMs are a few megabytes.
    Inventory,
    /// One mbox file of a `--list` folder: a list's whole history can be
    /// one file of gigabytes, which is read whole.
    Mbox,
    /// `upkeep.toml` and its kind: a few kilobytes.
    Config,
    /// A roster, engagement or gitdm table.
    Table,
    /// A token's file: one line.
    Secret,
}

impl Kind {
    /// What the file is, in an error.
    pub fn what(self) -> &'static str {
        match self {
            Kind::Inventory => "SBOM or lockfile",
            Kind::Mbox => "mbox file",
            Kind::Config => "configuration file",
            Kind::Table => "table",
            Kind::Secret => "token file",
        }
    }

    /// The environment variable that raises the limit.
    pub fn variable(self) -> &'static str {
        match self {
            Kind::Inventory => "UPKEEP_MAX_INPUT_BYTES",
            Kind::Mbox => "UPKEEP_MAX_MBOX_BYTES",
            Kind::Config => "UPKEEP_MAX_CONFIG_BYTES",
            Kind::Table => "UPKEEP_MAX_TABLE_BYTES",
            Kind::Secret => "UPKEEP_MAX_SECRET_BYTES",
        }
    }

    /// The limit when its variable does not say.
    pub fn default_limit(self) -> u64 {
        match self {
            Kind::Inventory => 256 << 20,
            Kind::Mbox => 4 << 30,
            Kind::Config => 16 << 20,
            Kind::Table => 256 << 20,
            Kind::Secret => 64 << 10,
        }
    }

    /// The limit in force: the variable's value in bytes, else
    /// [`Kind::default_limit`].
    pub fn limit(self) -> u64 {
        std::env::var(self.variable())
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| self.default_limit())
    }
}
