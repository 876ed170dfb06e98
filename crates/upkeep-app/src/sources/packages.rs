//! Tracing packages to their repositories, in DESIGN.md's order, recording
//! which source answered: the document itself, the package URL, metadata on
//! this machine, the registry cache in the store, then the registries (not
//! with `--offline`). Registry answers are cached; failed lookups are not.

use crate::{parallel, progress};
use std::collections::{BTreeMap, HashMap, HashSet};
use upkeep_core::portfolio::inventory::{Inventory, Mapping, Package};
use upkeep_core::portfolio::purl::Purl;
use upkeep_deps::local::LocalMetadata;
use upkeep_deps::registry::{Answer, RegistryClient};
use upkeep_store::{Lookup, Store};

/// How long a registry's answer is trusted, in seconds (30 days).
const CACHE_TTL: i64 = 30 * 86_400;

/// A package's repository, or why it has none; keyed by package URL (or id).
pub type Traced = HashMap<String, Result<Mapping, String>>;

/// How packages may be traced.
pub struct Tracing<'a> {
    /// Where metadata on this machine is.
    pub local: &'a LocalMetadata,
    /// The registry client, or `None` offline.
    pub registries: Option<&'a RegistryClient>,
    /// Lookups at once.
    pub jobs: usize,
    /// Now, in seconds since the epoch.
    pub now: i64,
}

/// A registry lookup to make: one per (ecosystem, name), serving every
/// package (each version) traced under `keys`.
struct Question {
    ecosystem: String,
    purl: Purl,
    keys: Vec<String>,
}

/// The key a package is traced under.
pub fn key(p: &Package) -> String {
    p.purl.clone().unwrap_or_else(|| p.id.clone())
}

/// Traces every package of `inventories`.
pub fn trace(
    store: &Store,
    inventories: &[Inventory],
    how: &Tracing<'_>,
) -> anyhow::Result<Traced> {
    let mut traced = Traced::new();
    // Packages left for the registries, by (ecosystem, name): one lookup serves every version.
    let mut ask: BTreeMap<(String, String), Question> = BTreeMap::new();
    let mut seen = HashSet::new();
    for p in inventories.iter().flat_map(|i| &i.packages) {
        let key = key(p);
        if !seen.insert(key.clone()) {
            continue;
        }
        if let Some(m) = &p.repository {
            traced.insert(key, Ok(m.clone()));
            continue;
        }
        let Some(purl) = p.registry_name() else {
            traced.insert(key, Err("no package URL to look it up by".into()));
            continue;
        };
        if let Some(repository) = purl.repository() {
            traced.insert(
                key,
                Ok(Mapping {
                    repository,
                    source: "package URL".into(),
                }),
            );
            continue;
        }
        if let Some(m) = how.local.find(&purl) {
            traced.insert(key, Ok(m));
            continue;
        }
        let Some(_) = RegistryClient::source_name(&purl.ecosystem) else {
            traced.insert(
                key,
                Err(format!(
                    "no registry lookup for pkg:{} packages",
                    purl.ecosystem
                )),
            );
            continue;
        };
        let ecosystem = purl.ecosystem.purl_type().to_owned();
        if let Some(cached) = store
            .cached_lookup(&ecosystem, &purl.name)?
            .filter(|c| how.registries.is_none() || how.now - c.looked_up_at < CACHE_TTL)
        {
            traced.insert(key, from_lookup(cached));
            continue;
        }
        ask.entry((ecosystem.clone(), purl.name.clone()))
            .or_insert_with(|| Question {
                ecosystem,
                purl,
                keys: Vec::new(),
            })
            .keys
            .push(key);
    }
    let Some(client) = how.registries else {
        for question in ask.into_values() {
            for key in question.keys {
                traced.insert(
                    key,
                    Err(
                        "not named by the document, on this machine or in the cache (--offline)"
                            .into(),
                    ),
                );
            }
        }
        return Ok(traced);
    };
    let questions: Vec<Question> = ask.into_values().collect();
    let answers = ask_registries(client, &questions, how.jobs);
    for (
        Question {
            ecosystem,
            purl,
            keys,
        },
        answer,
    ) in questions.iter().zip(answers)
    {
        let name = &purl.name;
        let result = match answer {
            Ok(answer) => {
                let lookup = Lookup {
                    repository: match &answer {
                        Answer::Found(m) => Some(m.repository.clone()),
                        Answer::Nothing(_) => None,
                    },
                    source: match &answer {
                        Answer::Found(m) => m.source.clone(),
                        Answer::Nothing(_) => ecosystem.clone(),
                    },
                    reason: match &answer {
                        Answer::Found(_) => None,
                        Answer::Nothing(why) => Some(why.clone()),
                    },
                    looked_up_at: how.now,
                };
                store.cache_lookup(ecosystem, name, &lookup)?;
                from_lookup(lookup)
            }
            Err(e) => Err(format!("registry lookup failed: {e}")),
        };
        for key in keys {
            traced.insert(key.clone(), result.clone());
        }
    }
    Ok(traced)
}

fn from_lookup(l: Lookup) -> Result<Mapping, String> {
    match l.repository {
        Some(repository) => Ok(Mapping {
            repository,
            source: l.source,
        }),
        None => Err(l
            .reason
            .unwrap_or_else(|| format!("{} names no source repository", l.source))),
    }
}

/// Asks the registries with `jobs` workers; answers in the order of `questions`.
fn ask_registries(
    client: &RegistryClient,
    questions: &[Question],
    jobs: usize,
) -> Vec<Result<Answer, upkeep_deps::registry::RegistryError>> {
    let bar = progress::counter(questions.len(), "packages looked up in registries");
    parallel::map(questions, jobs, &bar, |q| {
        client
            .lookup(&q.purl)
            .unwrap_or_else(|| Ok(Answer::Nothing("no registry for it".into())))
    })
}
