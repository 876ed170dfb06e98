//! Mining: decoding and diffing commits on all cores, handed over in plan order.

use crate::missing::Tolerant;
use crate::packs::{PackReader, Packs};
use crate::refs::RefTip;
use crate::tree_diff::TreeDiffer;
use crate::walk::{WalkError, WalkScope, walk};
use crate::{GitError, Repository, issue_refs, pr_number, signature, trailers};
use gix::objs::{Find, FindExt};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use upkeep_core::events::{ChangeKind, Commit, Oid, PathChange, RawText};

/// What to mine besides the commits themselves.
#[derive(Clone, Debug)]
pub struct MineOptions {
    /// Detect renames (exact and similarity-based at 50%, as git does).
    pub renames: bool,
    /// Count added and removed lines per file (slower: every changed blob is diffed).
    pub lines: bool,
    /// Worker threads for decoding and diffing; 0 means one per core.
    pub threads: usize,
    /// Commits per batch handed to the sink; each batch is meant to be one store transaction.
    pub batch_size: usize,
}

impl Default for MineOptions {
    fn default() -> Self {
        MineOptions {
            renames: true,
            lines: false,
            threads: 0,
            batch_size: 1000,
        }
    }
}

/// Why mining stopped.
#[derive(Debug, thiserror::Error)]
pub enum MineError<E: std::error::Error + 'static> {
    /// The history could not be walked.
    #[error(transparent)]
    Walk(#[from] WalkError),
    /// A commit or one of its trees could not be read.
    #[error("could not mine commit {commit}")]
    Commit {
        /// The commit's id.
        commit: String,
        /// What went wrong.
        #[source]
        source: GitError,
    },
    /// The diff machinery could not be set up for this repository.
    #[error("could not prepare diffing")]
    Setup(#[source] GitError),
    /// The history walk stopped without reporting why (its thread panicked).
    #[error("the history walk ended early")]
    WalkEnded,
    /// The sink refused a batch.
    #[error(transparent)]
    Sink(E),
}

impl<E: std::error::Error + 'static> MineError<E> {
    /// Whether running again can help: not when an object of the history
    /// is missing or unreadable (the repository itself is damaged), only
    /// when the sink failed or the walk ended without a reason.
    pub fn retry_helps(&self) -> bool {
        matches!(self, MineError::Sink(_) | MineError::WalkEnded)
    }
}

/// What a mining run found.
#[derive(Debug, Default)]
pub struct Mined {
    /// Commits handed to the sink.
    pub commits: usize,
    /// Stored commits the history still reaches, see [`walk`].
    pub anchors: Vec<Oid>,
    /// With line counting, changed files whose content could not be read (as in
    /// a partial clone that lacks some blobs): their line counts are unknown.
    pub unreadable_blobs: usize,
    /// Commits whose headers git's decoder refused (an identity without
    /// `<…>`, an impossible time zone), mined as far as they could be read.
    pub repaired: Vec<Oid>,
}

/// How far mining has got: commits found by the walk so far, and commits handed to the sink.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// New commits the walk has found (the walk may still be going).
    pub found: usize,
    /// Commits decoded, diffed and handed to the sink.
    pub mined: usize,
    /// Whether the walk is over, so `found` is the total.
    pub walk_done: bool,
}

/// How many batches may be decoded ahead of the one the sink is waiting for;
/// this bounds memory whatever the speed of the sink.
const WINDOW: usize = 4;

/// Walks the history from `tips` (see [`walk`]) and mines every commit not
/// stored yet, calling `sink` with batches in walk order (newest first) on the
/// calling thread.
///
/// Three kinds of thread work at once: one walks the history and cuts it into
/// batches of consecutive commits, workers decode and diff whole batches (so
/// the trees a worker reads overlap and its caches work), and the calling
/// thread hands finished batches to `sink` in order. `progress` is called on
/// the calling thread after each batch.
pub fn mine<E: std::error::Error + Send + Sync + 'static>(
    repo: &Repository,
    tips: &[RefTip],
    is_stored: &(dyn Fn(&[u8]) -> bool + Sync),
    scope: WalkScope,
    options: &MineOptions,
    progress: &dyn Fn(Progress),
    mut sink: impl FnMut(Vec<Commit>) -> Result<(), E>,
) -> Result<Mined, MineError<E>> {
    let batch_size = options.batch_size.max(1);
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let found = AtomicUsize::new(0);
    let walk_done = AtomicBool::new(false);
    let abort = AtomicBool::new(false);
    let written = (Mutex::new(0usize), Condvar::new());
    let packs = Packs::open(repo.git_dir(), repo.local().object_hash());
    // Bounded, so the walk (which carries each commit's bytes) stays a few batches ahead.
    let (batch_tx, batch_rx) =
        crossbeam_channel::bounded::<(usize, Vec<(gix::ObjectId, Vec<u8>)>)>(threads + WINDOW);
    let (tx, rx) =
        crossbeam_channel::bounded::<(usize, Result<(Vec<Commit>, usize), MineError<E>>)>(WINDOW);
    std::thread::scope(|scope_| {
        let walker = {
            let (found, walk_done, abort, tx, packs) =
                (&found, &walk_done, &abort, tx.clone(), &packs);
            scope_.spawn(move || {
                let objects = PackReader::new(packs, repo.local().objects.clone());
                let mut batch = Vec::with_capacity(batch_size);
                let mut index = 0;
                let result = walk(repo, &objects, tips, is_stored, scope, |id, data| {
                    batch.push((id, data));
                    found.fetch_add(1, Ordering::Relaxed);
                    if batch.len() == batch_size && !abort.load(Ordering::Relaxed) {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                        let _ = batch_tx.send((index, full));
                        index += 1;
                    }
                });
                if !batch.is_empty() {
                    let _ = batch_tx.send((index, batch));
                    index += 1;
                }
                walk_done.store(true, Ordering::SeqCst);
                drop(batch_tx);
                match result {
                    Ok((anchors, repaired)) => Some((anchors, repaired, index)),
                    Err(e) => {
                        let _ = tx.send((index, Err(MineError::Walk(e))));
                        None
                    }
                }
            })
        };
        for _ in 0..threads {
            let tx = tx.clone();
            let batch_rx = batch_rx.clone();
            let (abort, written, packs) = (&abort, &written, &packs);
            scope_.spawn(move || {
                let mut worker: Option<Worker<'_>> = None;
                for (i, ids) in batch_rx {
                    {
                        let (lock, cvar) = written;
                        let mut done = lock.lock().unwrap_or_else(|p| p.into_inner());
                        while i >= *done + WINDOW && !abort.load(Ordering::SeqCst) {
                            done = cvar.wait(done).unwrap_or_else(|p| p.into_inner());
                        }
                    }
                    if abort.load(Ordering::SeqCst) {
                        return;
                    }
                    let result = match &mut worker {
                        Some(w) => w.batch(&ids),
                        None => match Worker::new(repo, packs, options) {
                            Ok(w) => worker.insert(w).batch(&ids),
                            Err(e) => Err(e),
                        },
                    };
                    if tx.send((i, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        drop(batch_rx);
        let mut pending = BTreeMap::new();
        let mut expected = 0usize;
        let mut mined = 0usize;
        let mut unreadable_blobs = 0usize;
        let mut outcome = Ok(());
        'receive: for (i, result) in rx {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&expected) {
                let step = result.and_then(|(commits, unreadable)| {
                    let n = commits.len();
                    unreadable_blobs += unreadable;
                    sink(commits).map_err(MineError::Sink).map(|()| n)
                });
                match step {
                    Ok(n) => {
                        mined += n;
                        progress(Progress {
                            found: found.load(Ordering::Relaxed),
                            mined,
                            walk_done: walk_done.load(Ordering::SeqCst),
                        });
                    }
                    Err(e) => {
                        outcome = Err(e);
                        break 'receive;
                    }
                }
                expected += 1;
                let (lock, cvar) = &written;
                *lock.lock().unwrap_or_else(|p| p.into_inner()) = expected;
                cvar.notify_all();
            }
        }
        abort.store(true, Ordering::SeqCst);
        written.1.notify_all();
        let walked = walker.join().ok().flatten();
        outcome?;
        match walked {
            Some((anchors, repaired, batches)) if batches == expected => Ok(Mined {
                commits: mined,
                anchors,
                unreadable_blobs,
                repaired,
            }),
            // A walk error was delivered above; this is a walk that panicked.
            _ => Err(MineError::WalkEnded),
        }
    })
}

/// Whether `change` involves one of the `missing` blobs.
fn touches(
    change: &gix::diff::tree_with_rewrites::Change,
    missing: &HashSet<gix::ObjectId>,
) -> bool {
    use gix::diff::tree_with_rewrites::Change::*;
    !missing.is_empty()
        && match change {
            Addition { id, .. } | Deletion { id, .. } => missing.contains(id),
            Modification {
                previous_id, id, ..
            } => missing.contains(previous_id) || missing.contains(id),
            Rewrite { source_id, id, .. } => missing.contains(source_id) || missing.contains(id),
        }
}

/// The commit `id` with raw object `data` as an event without its changes, its
/// tree, and its parent if it has exactly one.
fn decode(
    id: &gix::oid,
    data: &[u8],
) -> Result<(Commit, gix::ObjectId, Option<gix::ObjectId>), GitError> {
    let commit = gix::objs::CommitRef::from_bytes(data, id.kind())?;
    let parents: Vec<gix::ObjectId> = commit.parents().collect();
    let message: &[u8] = commit.message.as_ref();
    let subject = message.split(|b| *b == b'\n').next().unwrap_or_default();
    let pr_number = pr_number::parse(message);
    // `This closes #N` names the pull request, not an issue.
    let mut issue_refs = issue_refs::parse(message);
    if let Some(n) = pr_number {
        issue_refs.retain(|r| *r != format!("#{n}"));
    }
    let event = Commit {
        id: Oid::from_bytes(id.as_bytes()),
        parents: parents
            .iter()
            .map(|p| Oid::from_bytes(p.as_bytes()))
            .collect(),
        author: signature::from_gix(commit.author()?),
        committer: signature::from_gix(commit.committer()?),
        subject: RawText::from(subject.trim_ascii_end()),
        trailers: trailers::parse(message),
        pr_number,
        issue_refs,
        changes: Vec::new(),
    };
    let single_parent = if parents.len() == 1 {
        Some(parents[0])
    } else {
        None
    };
    Ok((event, commit.tree(), single_parent))
}

/// One thread's decoder and differ, with buffers and caches reused across commits.
struct Worker<'p> {
    objects: PackReader<'p>,
    tree_diff: TreeDiffer,
    state: gix::diff::tree::State,
    cache: gix::diff::blob::Platform,
    parent_buf: Vec<u8>,
    lhs_buf: Vec<u8>,
    rhs_buf: Vec<u8>,
    rewrites: Option<gix::diff::Rewrites>,
    lines: bool,
    shallow: bool,
    unreadable_blobs: usize,
}

impl<'p> Worker<'p> {
    fn new<E: std::error::Error + 'static>(
        repo: &Repository,
        packs: &'p Packs,
        options: &MineOptions,
    ) -> Result<Self, MineError<E>> {
        let local = repo.local();
        let mut cache = local
            .diff_resource_cache_for_tree_diff()
            .map_err(|e| MineError::Setup(Box::new(e)))?;
        cache.options.skip_internal_diff_if_external_is_configured = false;
        Ok(Worker {
            objects: PackReader::new(packs, local.objects.clone()),
            tree_diff: TreeDiffer::new(),
            state: Default::default(),
            cache,
            parent_buf: Vec::new(),
            lhs_buf: Vec::new(),
            rhs_buf: Vec::new(),
            rewrites: options.renames.then(gix::diff::Rewrites::default),
            lines: options.lines,
            shallow: repo.is_shallow(),
            unreadable_blobs: 0,
        })
    }

    /// The commits `ids`, and how many of their blobs could not be read for line counts.
    fn batch<E: std::error::Error + 'static>(
        &mut self,
        commits: &[(gix::ObjectId, Vec<u8>)],
    ) -> Result<(Vec<Commit>, usize), MineError<E>> {
        self.unreadable_blobs = 0;
        let failed = |id: &gix::ObjectId| {
            let commit = id.to_string();
            move |source| MineError::Commit { commit, source }
        };
        // Decode every commit first: most parents are in the same batch, so
        // their trees are known without reading the parent commit again.
        let mut decoded = Vec::with_capacity(commits.len());
        let mut trees = HashMap::with_capacity(commits.len());
        for (id, data) in commits {
            let (event, tree, first_parent) = decode(id, data).map_err(failed(id))?;
            trees.insert(*id, tree);
            decoded.push((event, tree, first_parent));
        }
        let out = decoded
            .into_iter()
            .zip(commits.iter().map(|(id, _)| id))
            .map(|((mut event, tree, first_parent), id)| {
                if let Some(parent) = first_parent {
                    let parent_tree = trees.get(&parent).copied();
                    event.changes = self
                        .changes(Some((parent, parent_tree)), tree)
                        .map_err(failed(id))?;
                } else if event.parents.is_empty() {
                    event.changes = self.changes(None, tree).map_err(failed(id))?;
                }
                Ok(event)
            })
            .collect::<Result<Vec<_>, MineError<E>>>()?;
        Ok((out, self.unreadable_blobs))
    }

    /// The paths changed from `parent`'s tree (the empty tree for a root commit) to `tree`.
    /// The parent's tree is read from the parent commit unless it is already known.
    fn changes(
        &mut self,
        parent: Option<(gix::ObjectId, Option<gix::ObjectId>)>,
        tree: gix::ObjectId,
    ) -> Result<Vec<PathChange>, GitError> {
        let parent_tree = match parent {
            None => None,
            Some((_, Some(known))) => Some(known),
            Some((p, None)) => match self.objects.try_find(&p, &mut self.parent_buf)? {
                Some(data) => Some(
                    data.try_into_commit_iter()
                        .ok_or_else(|| format!("parent {p} is not a commit"))?
                        .tree_id()?,
                ),
                // Beyond a shallow clone's boundary: what changed cannot be known.
                None if self.shallow => return Ok(Vec::new()),
                None => {
                    return Err(
                        format!("parent commit {p} is missing from the object database").into(),
                    );
                }
            },
        };
        if self.rewrites.is_none() && !self.lines {
            let mut out = Vec::new();
            self.tree_diff.diff(
                parent_tree.as_deref(),
                Some(&tree),
                &self.objects,
                &mut Vec::new(),
                &mut out,
            )?;
            return Ok(out);
        }
        let kind = tree.kind();
        let lhs = match parent_tree {
            Some(ref t) => self.objects.find_tree_iter(t, &mut self.lhs_buf)?,
            None => gix::objs::TreeRefIter::from_bytes(&[], kind),
        };
        let rhs = self.objects.find_tree_iter(&tree, &mut self.rhs_buf)?;
        let mut raw = Vec::new();
        // Rename detection reads blobs; one missing (a partial clone) stands in as empty.
        let tolerant = Tolerant::new(&self.objects);
        let diffed = gix::diff::tree_with_rewrites(
            lhs,
            rhs,
            &mut self.cache,
            &mut self.state,
            &tolerant,
            |change| {
                if !change.entry_mode().is_tree() {
                    raw.push(change.into_owned());
                }
                Ok(ControlFlow::Continue(()))
            },
            gix::diff::tree_with_rewrites::Options {
                location: Some(gix::diff::tree::recorder::Location::Path),
                rewrites: self.rewrites,
            },
        );
        let missing = tolerant.into_missing();
        match diffed {
            Err(e) if !missing.is_empty() => {
                return Err(Tolerant::missing_tree_error(&missing, Box::new(e)));
            }
            other => other?,
        };
        if !missing.is_empty() {
            // The stand-ins must not be taken for content when lines are counted.
            self.cache.clear_resource_cache_keep_allocation();
        }
        let changes = raw
            .into_iter()
            .map(|change| {
                let blob_missing = touches(&change, &missing);
                let mut out = self.path_change(change);
                out.blob_missing |= blob_missing;
                out
            })
            .collect();
        // The blobs of this commit are not needed again: keep memory flat.
        self.cache.clear_resource_cache_keep_allocation();
        Ok(changes)
    }

    fn path_change(&mut self, change: gix::diff::tree_with_rewrites::Change) -> PathChange {
        use gix::diff::tree_with_rewrites::Change::*;
        let mut blob_missing = false;
        let lines = if self.lines && change.entry_mode().is_blob() {
            // A blob missing from a partial clone leaves its line counts unknown, not the run failed.
            self.line_counts(&change).unwrap_or_else(|_| {
                self.unreadable_blobs += 1;
                blob_missing = true;
                None
            })
        } else {
            None
        };
        let (kind, old_path) = match &change {
            Addition { .. } => (ChangeKind::Added, None),
            Deletion { .. } => (ChangeKind::Deleted, None),
            Modification { .. } => (ChangeKind::Modified, None),
            Rewrite { copy: true, .. } => (ChangeKind::Added, Some(change.source_location())),
            Rewrite { .. } => (ChangeKind::Renamed, Some(change.source_location())),
        };
        PathChange {
            path: RawText::from(change.location().as_ref() as &[u8]),
            kind,
            old_path: old_path.map(|p| RawText::from(p.as_ref() as &[u8])),
            lines,
            blob_missing,
        }
    }

    /// Lines (added, removed) for a blob change, or `None` for binary content.
    fn line_counts(
        &mut self,
        change: &gix::diff::tree_with_rewrites::Change,
    ) -> Result<Option<(u32, u32)>, GitError> {
        use gix::diff::blob::platform::prepare_diff::Operation;
        self.cache
            .set_resource_by_change(change.to_ref(), &self.objects)?;
        let prep = self.cache.prepare_diff()?;
        Ok(match prep.operation {
            Operation::InternalDiff { algorithm } => {
                let input = prep.interned_input();
                let diff = gix::diff::blob::Diff::compute(algorithm, &input);
                Some((diff.count_additions(), diff.count_removals()))
            }
            Operation::ExternalCommand { .. } | Operation::SourceOrDestinationIsBinary => None,
        })
    }
}
