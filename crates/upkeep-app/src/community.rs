//! What `upkeep.toml` says of a project's community, for measuring it:
//! organization kinds, the partners of each project, good-first labels.

use upkeep_core::identities::org_kinds::OrgKinds;

/// The community settings of the configuration.
#[derive(Clone, Debug, Default)]
pub struct Community {
    /// Kinds named in `[[organizations]]`, then the built-in rules.
    pub org_kinds: OrgKinds,
    /// Per `[[projects]]` with partners: its repositories and its partners.
    pub partners: Vec<(Vec<String>, Vec<String>)>,
    /// A partner below this share of the work is flagged.
    pub partner_threshold: f64,
    /// Labels that offer an issue to newcomers (lower case).
    pub good_first_labels: Vec<String>,
}

impl Community {
    /// The partners of the project made of the repositories at `locations`:
    /// those of every `[[projects]]` entry naming one of them.
    pub fn partners_of(&self, locations: &[String]) -> Vec<String> {
        let mut out: Vec<String> = self
            .partners
            .iter()
            .filter(|(repositories, _)| {
                repositories.iter().any(|r| {
                    crate::project::location(r)
                        .ok()
                        .is_some_and(|l| locations.contains(&l))
                })
            })
            .flat_map(|(_, partners)| partners.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
