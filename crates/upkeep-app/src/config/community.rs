//! The parts of `upkeep.toml` about a project's community: what kind of
//! stakeholder each organization is, the partners a project expects to
//! contribute, and the labels that offer issues to newcomers.
//!
//! ```toml
//! [[organizations]]
//! name = "ACME"
//! kind = "company"          # company, non-profit (or foundation), academic, government, individual
//!
//! [community]
//! good_first_labels = ["good first issue", "help wanted"]
//! partner_threshold = 0.05  # a partner below this share of the work is flagged
//!
//! [[projects]]
//! name = "widget"
//! repositories = ["https://github.com/acme/widget"]
//! partners = ["ACME", "Initech"]
//! ```

use anyhow::bail;
use serde::Deserialize;
use std::path::Path;
use upkeep_core::identities::org_kinds::{OrgKind, OrgKinds};
use upkeep_core::metrics::journey::GOOD_FIRST_LABELS;
use upkeep_core::metrics::side_by_side::PARTNER_THRESHOLD;

/// One `[[organizations]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationEntry {
    /// Its name, as affiliations name it.
    pub name: String,
    /// Its kind, with where it is written.
    pub kind: toml::Spanned<String>,
}

/// `[community]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunitySection {
    /// Labels that offer an issue to newcomers.
    pub good_first_labels: Option<Vec<String>>,
    /// A partner below this share of the work is flagged.
    pub partner_threshold: Option<f64>,
}

/// The line (1-based) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Checks the kinds and the threshold of the configuration `path` (`text`).
pub fn validate(
    path: &Path,
    text: &str,
    organizations: &[OrganizationEntry],
    community: &CommunitySection,
) -> anyhow::Result<()> {
    for o in organizations {
        if OrgKind::parse(o.kind.get_ref()).is_none() {
            bail!(
                "{}:{}: the organization {:?} has the kind {:?}, which upkeep does not know; kinds are {}",
                path.display(),
                line_of(text, o.kind.span().start),
                o.name,
                o.kind.get_ref(),
                OrgKind::ACCEPTED
            );
        }
    }
    if let Some(t) = community.partner_threshold
        && !(0.0..=1.0).contains(&t)
    {
        bail!(
            "{}: [community] partner_threshold = {t}: a share of the work, from 0 to 1",
            path.display()
        );
    }
    Ok(())
}

/// The kinds named in `[[organizations]]` (validated when read).
pub fn org_kinds(organizations: &[OrganizationEntry]) -> OrgKinds {
    let mut kinds = OrgKinds::default();
    for o in organizations {
        if let Some(kind) = OrgKind::parse(o.kind.get_ref()) {
            kinds.name(&o.name, kind);
        }
    }
    kinds
}

/// The labels that offer an issue to newcomers, lower case.
pub fn good_first_labels(community: &CommunitySection) -> Vec<String> {
    match &community.good_first_labels {
        Some(labels) => labels.iter().map(|l| l.trim().to_lowercase()).collect(),
        None => GOOD_FIRST_LABELS.iter().map(|l| (*l).to_owned()).collect(),
    }
}

/// The share of the work below which a partner is flagged.
pub fn partner_threshold(community: &CommunitySection) -> f64 {
    community.partner_threshold.unwrap_or(PARTNER_THRESHOLD)
}
