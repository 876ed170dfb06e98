//! Bringing one repository's history into the store: resolving the argument
//! (path or URL), finding what is new, dropping what a force-push made
//! unreachable, mining the rest in batches, and recording the end of the run.
//!
//! This is where the git source and the store meet; it holds no git or SQL
//! of its own. `mine` uses it, and so will every verb that mines first.

use crate::progress;
use anyhow::{Context, bail};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;
use upkeep_core::documents::MineReport;
use upkeep_core::events::conventions;
use upkeep_core::events::{Oid, RawText};
use upkeep_git::mine::MineOptions;
use upkeep_git::walk::WalkScope;

use upkeep_store::{FinishedRun, Store};

/// Mines `arg` (a path or a URL) into `store` with `options`; with
/// `reuse_stored_options`, a repository mined before keeps the options it was
/// mined with (so a report does not mine again what `mine --lines` stored).
/// A URL's clone is fetched first, unless `fetch` is false and a clone exists
/// (the caller fetched it already).
pub fn mine_repository(
    store: &mut Store,
    arg: &str,
    options: &MineOptions,
    all_refs: bool,
    clone_cache: &Path,
    reuse_stored_options: bool,
    fetch: bool,
) -> anyhow::Result<MineReport> {
    let started = Instant::now();
    let (url, path, cloned) = resolve(arg, clone_cache, fetch)?;
    let repo = upkeep_git::open(&path)?;
    let location = url.unwrap_or_else(|| local_location(&repo));
    let tips = upkeep_git::refs::tips(&repo, all_refs)
        .with_context(|| format!("cannot mine {location}"))?;
    let tag_refs = upkeep_git::refs::tag_refs(&repo)?;
    let mut current: Vec<(RawText, Oid)> = tips
        .iter()
        .chain(&tag_refs)
        .map(|r| (r.name.clone(), r.target.clone()))
        .collect();
    current.sort();
    current.dedup();

    let git_dir = repo.git_dir().to_owned();
    let record = store.repository(&location, &git_dir.to_string_lossy())?;
    let stored = record
        .options
        .as_deref()
        .filter(|_| reuse_stored_options)
        .map(parse_options);
    let (options, all_refs) = match &stored {
        Some((stored, stored_all_refs)) => (
            &MineOptions {
                threads: options.threads,
                batch_size: options.batch_size,
                ..stored.clone()
            },
            *stored_all_refs,
        ),
        None => (options, all_refs),
    };
    // `refs=true`: commit messages' issue references are stored (schema v6);
    // `trailers=2`: lists of people and trailer paragraphs (`Author:`,
    // `Discussion:`) are read. A repository mined before them is mined again once.
    let options_text = format!(
        "renames={} lines={} all_refs={all_refs} refs=true trailers=2",
        options.renames, options.lines
    );
    let mut remined = false;
    if record.options.as_ref().is_some_and(|o| *o != options_text) {
        store.clear_commits(record.id)?;
        remined = true;
    } else if record.mined_at.is_some() && store.refs(record.id)? == current {
        let summary = store.summary(record.id)?;
        return Ok(MineReport {
            location,
            git_dir,
            unchanged: true,
            new_commits: 0,
            dropped_commits: 0,
            remined,
            cloned,
            files_without_line_counts: 0,
            repaired_commits: Vec::new(),
            conventions: conventions::detect(&summary.conventions),
            summary,
            seconds: started.elapsed().as_secs_f64(),
            forge: None,
            trackers: Vec::new(),
            advisories: None,
            adoption: None,
        });
    }

    let stored = store.commit_ids(record.id)?;
    // After a cut-off run, stored commits may lack ancestors: walk everything.
    let scope = if record.interrupted {
        WalkScope::Full
    } else {
        WalkScope::StopAtStored
    };
    store.begin_run(record.id)?;
    let bar = progress::commits(&short_name(&location));
    let stall_after = debug_stall_after();
    let mut batches = 0;
    let mut writer = store.commit_writer(record.id);
    let mined = upkeep_git::mine::mine(
        &repo,
        &tips,
        &|id| stored.contains(id),
        scope,
        options,
        &|p| progress::update(&bar, p),
        |batch| {
            writer.write(&batch)?;
            batches += 1;
            if stall_after == Some(batches) {
                stall();
            }
            Ok::<_, upkeep_store::StoreError>(())
        },
    )
    .map_err(|e| {
        let stopped = match e.retry_helps() {
            true => format!(
                "mining {location} stopped; what was stored so far is kept and the next run continues"
            ),
            false => damaged(&location, repo.git_dir()),
        };
        anyhow::Error::new(e).context(stopped)
    })?;
    bar.finish_and_clear();
    let unreachable = if stored.is_empty() {
        Vec::new()
    } else {
        unreachable_commits(&store.commit_graph(record.id)?, &mined.anchors, &stored)
    };
    if !unreachable.is_empty() {
        store.delete_commits(record.id, &unreachable)?;
    }

    let tags = upkeep_git::refs::tags(&repo, &tag_refs);
    let head = &tips[0].target;
    let tip_files = upkeep_git::tip_files::read(&repo, head)?;
    let head_ref = upkeep_git::refs::default_branch(&repo);
    store.finish_run(
        record.id,
        &FinishedRun {
            refs: &current,
            tags: &tags,
            tip_files: &tip_files,
            head_ref: head_ref.as_deref(),
            shallow: repo.is_shallow(),
            options: &options_text,
            mined_at: jiff::Timestamp::now().as_second(),
        },
    )?;
    let summary = store.summary(record.id)?;
    Ok(MineReport {
        location,
        git_dir,
        unchanged: false,
        new_commits: mined.commits,
        dropped_commits: unreachable.len(),
        remined,
        cloned,
        files_without_line_counts: mined.unreadable_blobs,
        repaired_commits: mined.repaired.iter().map(|id| id.to_hex()).collect(),
        conventions: conventions::detect(&summary.conventions),
        summary,
        seconds: started.elapsed().as_secs_f64(),
        forge: None,
        trackers: Vec::new(),
        advisories: None,
        adoption: None,
    })
}

/// How the store knows a local repository: by its root, canonical, whichever
/// directory in it was named.
pub fn local_location(repo: &upkeep_git::Repository) -> String {
    repo.root()
        .canonicalize()
        .unwrap_or_else(|_| repo.root().to_owned())
        .to_string_lossy()
        .into_owned()
}

/// The options recorded by [`mine_repository`] (`renames=… lines=… all_refs=…`).
fn parse_options(text: &str) -> (MineOptions, bool) {
    let flag = |name: &str| {
        text.split_whitespace()
            .any(|kv| kv == format!("{name}=true"))
    };
    (
        MineOptions {
            renames: flag("renames"),
            lines: flag("lines"),
            ..MineOptions::default()
        },
        flag("all_refs"),
    )
}

/// Commits stored before this run (`before`) that cannot be reached from
/// `anchors` (the stored commits the current history still builds on) through
/// stored parents. Commits mined in this run are all reachable.
fn unreachable_commits(
    graph: &HashMap<Oid, Vec<Oid>>,
    anchors: &[Oid],
    before: &HashSet<Oid>,
) -> Vec<Oid> {
    let mut seen: HashSet<&Oid> = HashSet::with_capacity(graph.len());
    let mut stack: Vec<&Oid> = anchors.iter().filter(|a| graph.contains_key(*a)).collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(parents) = graph.get(id) {
            stack.extend(
                parents
                    .iter()
                    .filter(|p| graph.contains_key(*p) && !seen.contains(p)),
            );
        }
    }
    before
        .iter()
        .filter(|id| !seen.contains(id))
        .cloned()
        .collect()
}

/// For tests of interruption only: `UPKEEP_DEBUG_STALL_AFTER_BATCHES=N` makes a
/// run stop, with its store lock held, once N batches are committed, so a
/// test can kill it at a known point.
fn debug_stall_after() -> Option<usize> {
    std::env::var("UPKEEP_DEBUG_STALL_AFTER_BATCHES")
        .ok()?
        .parse()
        .ok()
}

fn stall() -> ! {
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

/// Resolves a user's argument into (the URL it names, a local path, cloned now?).
fn resolve(
    arg: &str,
    clone_cache: &Path,
    fetch: bool,
) -> anyhow::Result<(Option<String>, PathBuf, bool)> {
    if upkeep_git::remote::is_url(arg) && !Path::new(arg).exists() {
        let path = upkeep_git::remote::cache_path(clone_cache, arg)?;
        if !fetch && path.exists() {
            return Ok((Some(arg.to_owned()), path, false));
        }
        let spinner = progress::spinner(format!(
            "{} {arg}",
            if path.exists() { "fetching" } else { "cloning" }
        ));
        let cloned = upkeep_git::remote::clone_or_fetch(arg, &path)?;
        spinner.finish_and_clear();
        return Ok((Some(arg.to_owned()), path, cloned));
    }
    let path = Path::new(arg);
    if !path.exists() {
        bail!("{arg} does not exist; give the path of a git repository or a clone URL");
    }
    let canonical = path
        .canonicalize()
        .with_context(|| format!("cannot resolve the path {arg}"))?;
    Ok((None, canonical, false))
}

/// The last one or two path components of a location, for progress labels.
fn short_name(location: &str) -> String {
    let trimmed = location.trim_end_matches('/').trim_end_matches(".git");
    let parts: Vec<&str> = trimmed.rsplit(['/', '\\']).take(2).collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// What is said when mining stopped on a damaged object: re-running will
/// not help; the damaged packs, if that is what is wrong, by name.
fn damaged(location: &str, git_dir: &std::path::Path) -> String {
    let packs = upkeep_git::integrity::damaged_packs(git_dir);
    let found = match packs.is_empty() {
        true => String::new(),
        false => format!(" ({})", packs.join("; ")),
    };
    format!(
        "mining {location} stopped on a damaged repository{found}; what was stored so far is kept, but re-running will not help: a fresh clone will (`git fsck` shows what is wrong)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20])
    }

    #[test]
    fn rewritten_history_drops_only_what_is_unreachable() {
        // 1 ← 2 ← 3 (old tip, force-pushed away); 1 ← 2 ← 4 is the new history,
        // whose new commits build on stored commit 2.
        let graph: HashMap<Oid, Vec<Oid>> = [
            (oid(1), vec![]),
            (oid(2), vec![oid(1)]),
            (oid(3), vec![oid(2)]),
        ]
        .into_iter()
        .collect();
        let before: HashSet<Oid> = graph.keys().cloned().collect();
        assert_eq!(
            unreachable_commits(&graph, &[oid(2)], &before),
            vec![oid(3)]
        );
        assert!(unreachable_commits(&graph, &[oid(3)], &before).is_empty());
        let mut all = unreachable_commits(&graph, &[], &before);
        all.sort();
        assert_eq!(all, vec![oid(1), oid(2), oid(3)]);
    }

    #[test]
    fn stored_options_round_trip() {
        let (options, all_refs) = parse_options("renames=false lines=true all_refs=true");
        assert_eq!(
            (options.renames, options.lines, all_refs),
            (false, true, true)
        );
    }

    #[test]
    fn short_names() {
        assert_eq!(
            short_name("https://github.com/apache/kafka.git"),
            "apache/kafka"
        );
        assert_eq!(short_name("/home/me/src/postgres"), "src/postgres");
    }
}
