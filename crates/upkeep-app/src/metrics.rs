//! Measuring one project (one or more mined repositories) over a window:
//! reading its events from the store, crediting people and organizations,
//! and computing every metric. `report` prints the result; `deps` measures
//! each upstream with it.

use crate::events::{Events, Work, read_events, read_work};
use crate::identities::Resolved;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use upkeep_core::catalog::card::{Tile, Trend, tiles};
use upkeep_core::events::{ChangeKind, Oid, RawText, RepoMeta, TipFileKind};
use upkeep_core::identities::people::Person;
use upkeep_core::identities::{Day, by_name};
use upkeep_core::metrics::file_kinds::{self, Verdict};
use upkeep_core::metrics::replacement_cost::Language;
use upkeep_core::metrics::report::{Inputs, Metrics, compute, over, series};
use upkeep_core::metrics::series::Series;
use upkeep_core::metrics::truck_factor::{FileChange, Identities, TreeFile};
use upkeep_core::metrics::{Contribution, Window, quarters_to};
use upkeep_store::{PathHistories, RepoId, Store};

/// A project's metrics, and the contributions they were computed from.
pub struct Measured {
    /// Every metric.
    pub metrics: Metrics,
    /// What the charts draw.
    pub series: Series,
    /// Non-merge commits authored, any time, credited to people.
    pub contributions: Vec<Contribution>,
    /// The health card (empty unless [`MeasureOptions::card`]).
    pub card: Vec<Tile>,
}

/// How many quarters a health card's sparklines show.
pub const CARD_QUARTERS: usize = 8;

/// How a project is measured, beyond its window.
#[derive(Clone, Copy, Debug, Default)]
pub struct MeasureOptions {
    /// Count bots as contributors (and truck-factor developers).
    pub include_bots: bool,
    /// Whose identities the truck factor's developers are.
    pub truck_factor_identities: Identities,
    /// Leave out what needs the trees and every file's history (the truck
    /// factor, the replacement cost, governance-file changes): for a
    /// document that shows none of them, such as the brief.
    pub without_trees: bool,
    /// Also measure the window a year before and each of the last
    /// [`CARD_QUARTERS`] quarters, for the health card of a page.
    pub card: bool,
}

/// Measures the repositories `ids` (mined, with their git directories
/// `git_dirs`) over `window`.
pub fn measure(
    store: &Store,
    resolved: &Resolved,
    ids: &[RepoId],
    git_dirs: &[PathBuf],
    window: Window,
    options: MeasureOptions,
) -> anyhow::Result<Measured> {
    // The trees (git only) are read on another thread while the store is read here.
    let targets = match options.without_trees {
        true => Vec::new(),
        false => targets(store, ids, git_dirs, window)?,
    };
    std::thread::scope(|scope| {
        let trees = scope.spawn(|| trees(&targets));
        measure_with(store, resolved, ids, &targets, window, options, || {
            trees
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("reading the trees failed")))
        })
    })
}

/// The commit at the end of the window of each repository that has one: (id, git directory, commit).
type Targets = Vec<(RepoId, PathBuf, Oid)>;

fn targets(
    store: &Store,
    ids: &[RepoId],
    git_dirs: &[PathBuf],
    window: Window,
) -> anyhow::Result<Targets> {
    let mut out = Vec::new();
    for (id, git_dir) in ids.iter().zip(git_dirs) {
        if let Some(commit) = store.latest_commit_before(*id, window.until)? {
            out.push((*id, git_dir.clone(), commit));
        }
    }
    Ok(out)
}

/// The measurement once the trees are read (`trees` waits for them).
fn measure_with(
    store: &Store,
    resolved: &Resolved,
    ids: &[RepoId],
    targets: &Targets,
    window: Window,
    options: MeasureOptions,
    trees: impl FnOnce() -> anyhow::Result<(Vec<Vec<TreeFile>>, Code)>,
) -> anyhow::Result<Measured> {
    let Events {
        releases,
        landed,
        named,
        listed,
        forge,
    } = read_events(store, resolved, ids)?;
    let Work {
        contributions,
        credited_from_messages,
        mut reviews,
        landed: git_landed,
        assisted,
        agent_authored,
    } = read_work(store, resolved, ids)?;
    reviews.extend(forge.reviews.iter().cloned());
    let (posts, landings) = crate::events::lists::read(store, resolved, ids)?;
    let mut landed = landed;
    landed.extend(git_landed);
    let latest_day = Day::from_unix_seconds(window.until - 1);
    let organization_of = |key: &str| {
        let person = resolved.people.find(key).into_iter().next()?;
        resolved
            .affiliations
            .credit(person, &person.key, latest_day?)
            .organization
    };
    // Each repository's forge metadata, read once for the lifecycle and the
    // disclosure channel.
    let mut metas: Vec<(String, RepoMeta)> = Vec::new();
    for id in ids {
        metas.extend(store.forge_meta(*id)?);
    }
    let security = crate::events::security::read(store, ids, &metas)?;
    let community = &resolved.community;
    let mut locations = Vec::new();
    for id in ids {
        locations.extend(store.location_of(*id)?);
    }
    let partners = community.partners_of(&locations);
    let org_kind = |name: &str| community.org_kinds.of(name);
    let independent = |key: &str| {
        resolved
            .people
            .find(key)
            .first()
            .is_some_and(|p| upkeep_core::identities::email::only_free_mail(&p.emails))
    };
    let adoption = crate::events::adoption::read(store, ids)?;
    let archived = archived(store, ids, &metas)?;
    let kind_of = |key: &str| {
        resolved
            .people
            .find(key)
            .first()
            .map_or(Default::default(), |p| p.kind)
    };
    let (histories, governance_changes) = histories(store, resolved, targets, window, options)?;
    let (trees, code) = trees()?;
    let files: Vec<(Vec<TreeFile>, Vec<FileChange>)> = trees.into_iter().zip(histories).collect();
    let inputs = Inputs {
        contributions: &contributions,
        releases: &releases,
        reviews: &reviews,
        landed: &landed,
        write_access: &forge.write_access,
        items: &forge.items,
        posts: &posts,
        landings: &landings,
        named_maintainers: &named,
        listed: &listed,
        organization_of: &organization_of,
        files: &files,
        truck_factor_identities: options.truck_factor_identities,
        code: &code.languages,
        files_without_content: code.missing,
        commits_credited_from_messages: credited_from_messages,
        window,
        include_bots: options.include_bots,
        security: security.as_ref(),
        archived: archived.as_deref(),
        // A tracker (JIRA) gives issues without forge metadata.
        has_forge: !metas.is_empty() || !forge.items.is_empty(),
        assisted: &assisted,
        agent_commits: &agent_authored,
        kind_of: &kind_of,
        independent: &independent,
        org_kind: &org_kind,
        partners: (&partners, community.partner_threshold),
        governance_changes: &governance_changes,
        good_first_labels: &community.good_first_labels,
        adoption: adoption.as_ref(),
    };
    let metrics = compute(&inputs);
    let series = series(&inputs);
    let card = match options.card {
        true => card(&inputs, &metrics),
        false => Vec::new(),
    };
    Ok(Measured {
        metrics,
        series,
        contributions,
        card,
    })
}

/// The health card of `metrics`: against the same window a year before, and
/// over each of the last quarters.
fn card(inputs: &Inputs<'_>, metrics: &Metrics) -> Vec<Tile> {
    const YEAR: i64 = 365 * 86_400;
    let w = inputs.window;
    let quarters = quarters_to(w.until, CARD_QUARTERS);
    let mut windows = vec![Window {
        since: w.since - YEAR,
        until: w.until - YEAR,
    }];
    windows.extend(quarters.iter().map(|(_, q)| *q));
    // Each window on its own core: the card's nine measurements cost what
    // two or three do.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let hidden = indicatif::ProgressBar::hidden();
    let mut measured =
        crate::parallel::map(&windows, cores, &hidden, |w| over(inputs, *w)).into_iter();
    let year_before = measured.next().expect("the year before is measured");
    let quarters: Vec<(String, Metrics)> = quarters
        .into_iter()
        .map(|(label, _)| label)
        .zip(measured)
        .collect();
    tiles(&Trend {
        now: metrics,
        year_before: &year_before,
        quarters: &quarters,
    })
}

/// What says the project is archived: a repository's forge (its metadata
/// among `metas`), or its README.
fn archived(
    store: &Store,
    ids: &[RepoId],
    metas: &[(String, RepoMeta)],
) -> anyhow::Result<Option<String>> {
    if let Some((forge, _)) = metas.iter().find(|(_, m)| m.archived) {
        return Ok(Some(format!("{forge} is archived on its forge")));
    }
    for id in ids {
        let readme = store
            .tip_files_of(*id, &[TipFileKind::Readme])?
            .into_iter()
            .find_map(|f| upkeep_core::metrics::lifecycle::archived_notice(&f.content.to_string()));
        if readme.is_some() {
            return Ok(readme);
        }
    }
    Ok(None)
}

/// Lines of code by language, and the files whose content is missing.
#[derive(Default)]
struct Code {
    languages: Vec<Language>,
    missing: u64,
}

/// Each target's files classified for the truck factor (Linguist), and the
/// lines of code of all of them: git only, no store.
fn trees(targets: &Targets) -> anyhow::Result<(Vec<Vec<TreeFile>>, Code)> {
    let mut code = Code::default();
    let mut out = Vec::new();
    for (_, git_dir, commit) in targets {
        let repo = upkeep_git::open(git_dir)?;
        // Classify each path once (Linguist's vendor rules are many regular
        // expressions); read the content only of those whose extension is ambiguous.
        let verdicts: RefCell<HashMap<String, Verdict>> = RefCell::new(HashMap::new());
        let entries = upkeep_git::tree::files(&repo, commit, |p| {
            let verdict = file_kinds::classify(p, None);
            verdicts.borrow_mut().insert(p.to_owned(), verdict);
            verdict == Verdict::NeedsContent
        })?;
        let verdicts = verdicts.into_inner();
        let path_rule = |p: &str| match verdicts.get(p) {
            Some(Verdict::Excluded(reason)) => {
                matches!(*reason, "vendored" | "documentation" | "generated")
            }
            Some(_) => false,
            None => file_kinds::excluded(p).is_some(),
        };
        let lines = upkeep_git::tree::code_lines(&repo, commit, path_rule)?;
        code.missing += lines.missing;
        for lines in lines.languages {
            match code
                .languages
                .iter_mut()
                .find(|l| l.language == lines.language)
            {
                Some(l) => {
                    l.files += lines.files;
                    l.code += lines.code;
                }
                None => code.languages.push(Language {
                    language: lines.language,
                    files: lines.files,
                    code: lines.code,
                }),
            }
        }
        out.push(
            entries
                .into_iter()
                .map(|entry| {
                    let path = entry.path.to_string();
                    let verdict = match (entry.content, verdicts.get(&path)) {
                        (Some(content), _) => {
                            file_kinds::classify(&path, Some(&String::from_utf8_lossy(&content)))
                        }
                        (None, Some(known)) => *known,
                        (None, None) => file_kinds::classify(&path, None),
                    };
                    let excluded = match verdict {
                        Verdict::Excluded(reason) => Some(reason),
                        Verdict::Code | Verdict::NeedsContent => None,
                    };
                    TreeFile { path, excluded }
                })
                .collect(),
        );
    }
    Ok((out, code))
}

/// Each target's file histories before the window's end, with developers
/// keyed by the truck factor's identity rule.
fn histories(
    store: &Store,
    resolved: &Resolved,
    targets: &Targets,
    window: Window,
    options: MeasureOptions,
) -> anyhow::Result<(Vec<Vec<FileChange>>, Vec<Contribution>)> {
    let mut out = Vec::new();
    let mut governance = Vec::new();
    for (id, _, _) in targets {
        let rules = crate::events::conventions_of(store, resolved, *id)?;
        let histories = store.path_history(*id, window.until, rules.message_authors)?;
        governance.extend(governance_changes(resolved, &histories));
        let developers = developers(
            resolved,
            &histories.authors,
            options.truck_factor_identities,
        );
        out.push(
            histories
                .changes
                .iter()
                .filter_map(|h| {
                    let (key, bot) = developers[h.author].clone()?;
                    Some(FileChange {
                        path: histories.paths[h.path].to_string(),
                        old_path: h.old_path.map(|p| histories.paths[p].to_string()),
                        kind: ChangeKind::from_code(&h.kind)?,
                        person: key,
                        bot,
                    })
                })
                .collect(),
        );
    }
    Ok((out, governance))
}

/// The changes of `histories` to governance files (CODEOWNERS, MAINTAINERS,
/// OWNERS, GOVERNANCE in the root, `.github/` or `docs/`), as contributions
/// of their authors with the organization of their day.
fn governance_changes(resolved: &Resolved, histories: &PathHistories) -> Vec<Contribution> {
    let governs = |path: &str| {
        let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
        matches!(
            TipFileKind::classify(dir, file),
            Some(
                TipFileKind::Codeowners
                    | TipFileKind::Maintainers
                    | TipFileKind::Owners
                    | TipFileKind::Governance
            )
        ) && matches!(dir, "" | ".github" | "docs")
    };
    let governing: Vec<bool> = histories
        .paths
        .iter()
        .map(|p| governs(&p.to_string()))
        .collect();
    histories
        .changes
        .iter()
        .filter(|h| governing[h.path])
        .filter_map(|h| {
            let (name, email) = &histories.authors[h.author];
            let person = resolved.people.of(&name.to_string(), &email.to_string())?;
            let organization = Day::from_unix_seconds(h.time).and_then(|day| {
                resolved
                    .affiliations
                    .credit(person, &email.to_string(), day)
                    .organization
            });
            Some(Contribution {
                person: person.key.clone(),
                organization,
                time: h.time,
                offset_minutes: 0,
                bot: person.bot.is_some(),
            })
        })
        .collect()
}

/// The truck-factor developer (key, bot?) of each author identity, under `rule`.
fn developers(
    resolved: &Resolved,
    authors: &[(RawText, RawText)],
    rule: Identities,
) -> Vec<Option<(String, bool)>> {
    let people: Vec<Option<&Person>> = authors
        .iter()
        .map(|(name, email)| resolved.people.of(&name.to_string(), &email.to_string()))
        .collect();
    match rule {
        Identities::People => people
            .iter()
            .map(|p| p.map(|p| (p.key.clone(), p.bot.is_some())))
            .collect(),
        Identities::Name => {
            let pairs: Vec<(String, String)> = authors
                .iter()
                .map(|(name, email)| (name.to_string(), email.to_string()))
                .collect();
            by_name::developers(&pairs)
                .into_iter()
                .zip(&people)
                .map(|(key, p)| Some((key, p.is_some_and(|p| p.bot.is_some()))))
                .collect()
        }
    }
}
