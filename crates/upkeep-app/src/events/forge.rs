//! The forge's records of the measured repositories, read from the store
//! with their logins resolved to people. The rules that turn them into the
//! metrics' inputs are core's ([`upkeep_core::metrics::forge_inputs`]).

use crate::identities::Resolved;
use upkeep_core::identities::Day;
use upkeep_core::metrics::forge_inputs::{self, Actor, ForgeRecords, People};
pub use upkeep_core::metrics::forge_inputs::{ForgeInputs, merge_releases};
use upkeep_store::{RepoId, Store};

/// People as the resolved identities know them.
struct Resolver<'a>(&'a Resolved);

impl People for Resolver<'_> {
    fn actor(&self, login: &str) -> Option<Actor<'_>> {
        self.0.people.with_login(login).map(|p| Actor {
            key: &p.key,
            bot: p.bot.is_some(),
        })
    }

    fn organization(&self, key: &str, time: i64) -> Option<String> {
        let day = Day::from_unix_seconds(time)?;
        let p = self.0.people.with_key(key)?;
        self.0.affiliations.credit(p, &p.key, day).organization
    }
}

/// Reads and resolves the forge data of `ids`.
pub fn read(store: &Store, resolved: &Resolved, ids: &[RepoId]) -> anyhow::Result<ForgeInputs> {
    let mut out = ForgeInputs::default();
    for id in ids {
        let data = store.forge_data(*id)?;
        let untriaged = crate::events::conventions_of(store, resolved, *id)?.untriaged_label;
        let applied = store.pull_request_commits(*id)?;
        forge_inputs::add(
            &mut out,
            &ForgeRecords {
                items: &data.items,
                activities: &data.activities,
                releases: &data.releases,
                applied: &applied,
                untriaged_label: untriaged.as_deref(),
            },
            &Resolver(resolved),
        );
    }
    Ok(out)
}
