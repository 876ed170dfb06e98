//! Measuring one project (one or more mined repositories) over a window:
//! reading its events from the store, crediting people and organizations,
//! and computing every metric. `report` prints the result; `deps` measures
//! each upstream with it.

use crate::resolving::Resolved;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use upkeep_core::events::{ChangeKind, RawText, TipFileKind};
use upkeep_core::identities::governance::{self, Named};
use upkeep_core::identities::people::Person;
use upkeep_core::identities::{Day, by_name};
use upkeep_core::metrics::file_kinds::{self, Verdict};
use upkeep_core::metrics::maintainers::Landed;
use upkeep_core::metrics::releases::Release;
use upkeep_core::metrics::replacement_cost::Language;
use upkeep_core::metrics::report::{Inputs, Metrics, compute};
use upkeep_core::metrics::reviews::Review;
use upkeep_core::metrics::truck_factor::{FileChange, Identities, TreeFile};
use upkeep_core::metrics::{Contribution, Window};
use upkeep_store::{RepoId, Store};

/// A project's metrics, and the contributions they were computed from.
pub struct Measured {
    /// Every metric.
    pub metrics: Metrics,
    /// Non-merge commits authored, any time, credited to people.
    pub contributions: Vec<Contribution>,
}

/// How a project is measured, beyond its window.
#[derive(Clone, Copy, Debug, Default)]
pub struct MeasureOptions {
    /// Count bots as contributors (and truck-factor developers).
    pub include_bots: bool,
    /// Whose identities the truck factor's developers are.
    pub truck_factor_identities: Identities,
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
    // The person an identity belongs to, and their organization on a day.
    let person_of =
        |name: &RawText, email: &RawText| resolved.people.of(&name.to_string(), &email.to_string());
    let org_on = |person: &Person, email: &RawText, time: i64| {
        Day::from_unix_seconds(time).and_then(|day| {
            resolved
                .affiliations
                .credit(person, &email.to_string(), day)
                .organization
        })
    };
    let contributions: Vec<Contribution> = store
        .authored(Some(ids))?
        .into_iter()
        .filter_map(|a| {
            let person = person_of(&a.name, &a.email)?;
            Some(Contribution {
                person: person.key.clone(),
                organization: org_on(person, &a.email, a.time),
                time: a.time,
                offset_minutes: a.offset_minutes,
                bot: person.bot.is_some(),
            })
        })
        .collect();
    let mut releases = Vec::new();
    for id in ids {
        for tag in store.tagged_releases(*id)? {
            let by = tag
                .by
                .as_ref()
                .and_then(|(name, email)| Some((person_of(name, email)?, email)));
            let name = tag.name.to_string();
            releases.push(Release {
                prerelease: upkeep_core::events::is_prerelease(&name),
                name,
                time: tag.time,
                person: by.map(|(p, _)| p.key.clone()),
                organization: by.and_then(|(p, email)| org_on(p, email, tag.time)),
            });
        }
    }
    let reviews: Vec<Review> = store
        .review_trailers_in(ids)?
        .into_iter()
        .filter_map(|t| {
            let person = person_of(&t.reviewer.0, &t.reviewer.1)?;
            Some(Review {
                person: person.key.clone(),
                organization: org_on(person, &t.reviewer.1, t.time),
                time: t.time,
                bot: person.bot.is_some(),
            })
        })
        .collect();
    // Maintainers by behaviour: merging, or committing someone else's work.
    // Many commits, few identities: resolve each identity once.
    let mut by_ident: HashMap<i64, Option<&Person>> = HashMap::new();
    let landed: Vec<Landed> = store
        .landings_in(ids)?
        .into_iter()
        .filter_map(|l| {
            let committer = *by_ident
                .entry(l.committer_id)
                .or_insert_with(|| person_of(&l.committer.0, &l.committer.1));
            let committer = committer?;
            let author = *by_ident
                .entry(l.author_id)
                .or_insert_with(|| person_of(&l.author.0, &l.author.1));
            let others_work = author.is_none_or(|a| a.key != committer.key);
            (l.merge || others_work).then(|| Landed {
                person: committer.key.clone(),
                time: l.time,
                bot: committer.bot.is_some(),
                merge: l.merge,
                organization: org_on(committer, &l.committer.1, l.time),
            })
        })
        .collect();
    // Maintainers by name: CODEOWNERS, MAINTAINERS, OWNERS at the tips.
    let mut named = BTreeSet::new();
    for id in ids {
        for file in store.tip_files(*id)? {
            if !matches!(
                file.kind,
                TipFileKind::Codeowners | TipFileKind::Maintainers | TipFileKind::Owners
            ) {
                continue;
            }
            for who in governance::named(file.kind, &file.content.to_string()) {
                let key = match who {
                    Named::Email(email) => resolved
                        .people
                        .find(&email)
                        .first()
                        .map_or(email, |p| p.key.clone()),
                    Named::Login(login) => resolved
                        .people
                        .with_login(&login)
                        .map_or_else(|| format!("login:{login}"), |p| p.key.clone()),
                };
                named.insert(key);
            }
        }
    }
    let forge = crate::forge_inputs::read(store, resolved, ids)?;
    crate::forge_inputs::merge_releases(&mut releases, forge.releases);
    let mut reviews = reviews;
    reviews.extend(forge.reviews);
    let mut landed = landed;
    landed.extend(forge.merges);
    let latest_day = Day::from_unix_seconds(window.until - 1);
    let organization_of = |key: &str| {
        let person = resolved.people.find(key).into_iter().next()?;
        resolved
            .affiliations
            .credit(person, &person.key, latest_day?)
            .organization
    };
    let (files, code) = snapshots(store, resolved, ids, git_dirs, window, options)?;
    let metrics = compute(&Inputs {
        contributions: &contributions,
        releases: &releases,
        reviews: &reviews,
        landed: &landed,
        write_access: &forge.write_access,
        items: &forge.items,
        named_maintainers: &named,
        organization_of: &organization_of,
        files: &files,
        truck_factor_identities: options.truck_factor_identities,
        code: &code.languages,
        files_without_content: code.missing,
        window,
        include_bots: options.include_bots,
    });
    Ok(Measured {
        metrics,
        contributions,
    })
}

/// What the tree at the end of the window holds, per repository: its files
/// (classified for the truck factor, with their histories) and its lines of code.
type Snapshots = (Vec<(Vec<TreeFile>, Vec<FileChange>)>, Code);

/// Lines of code by language, and the files whose content is missing.
#[derive(Default)]
struct Code {
    languages: Vec<Language>,
    missing: u64,
}

/// The truck factor's files and histories and the replacement cost's lines of
/// code, from each repository's tree at the end of the window.
fn snapshots(
    store: &Store,
    resolved: &Resolved,
    ids: &[RepoId],
    git_dirs: &[PathBuf],
    window: Window,
    options: MeasureOptions,
) -> anyhow::Result<Snapshots> {
    let mut files = Vec::new();
    let mut code = Code::default();
    for (id, git_dir) in ids.iter().zip(git_dirs) {
        let Some(commit) = store.latest_commit_before(*id, window.until)? else {
            continue;
        };
        let repo = upkeep_git::open(git_dir)?;
        let lines =
            upkeep_git::tree::code_lines(&repo, &commit, |p| file_kinds::excluded(p).is_some())?;
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
        let tree: Vec<TreeFile> = upkeep_git::tree::files(&repo, &commit, |p| {
            file_kinds::classify(p, None) == Verdict::NeedsContent
        })?
        .into_iter()
        .map(|entry| {
            let path = entry.path.to_string();
            let content = entry
                .content
                .map(|c| String::from_utf8_lossy(&c).into_owned());
            let excluded = match file_kinds::classify(&path, content.as_deref()) {
                Verdict::Excluded(reason) => Some(reason),
                Verdict::Code | Verdict::NeedsContent => None,
            };
            TreeFile { path, excluded }
        })
        .collect();
        let histories = store.path_history(*id, window.until)?;
        let developers = developers(
            resolved,
            &histories.authors,
            options.truck_factor_identities,
        );
        let history: Vec<FileChange> = histories
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
            .collect();
        files.push((tree, history));
    }
    Ok((files, code))
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
