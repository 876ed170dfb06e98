//! The dependency portfolio, exactly as `upkeep deps --format json` prints
//! it (docs/deps-json.md).

use super::WindowDates;
use crate::advisories::exposure::AdvisoryCheck;
use crate::portfolio::rank::Ranked;
use crate::portfolio::upstreams::Unmapped;
use serde::Serialize;

/// The portfolio, exactly as `--format json` prints it (docs/deps-json.md).
#[derive(Clone, Debug, Serialize)]
pub struct Portfolio {
    /// The documents read (SBOMs, lockfiles), each with its format.
    pub inputs: Vec<(String, String)>,
    /// The window health figures are computed over.
    pub window: WindowDates,
    /// When it was made (RFC 3339).
    pub generated_at: String,
    /// Our organization, whose people count as ability to help.
    pub organization: Option<String>,
    /// How the score is computed, in words.
    pub formula: &'static str,
    /// Upstream repositories, ranked (all of them, or the top N asked for).
    pub upstreams: Vec<Ranked>,
    /// Upstreams left out by `--top`.
    pub more_upstreams: usize,
    /// Packages that could not be traced to a repository, with the reason.
    pub unmapped: Vec<Unmapped>,
    /// The pinned packages checked against known advisories (`None` with
    /// `--no-advisories`).
    pub advisories: Option<AdvisoryCheck>,
}
