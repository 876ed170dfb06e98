//! Mining: decoding and diffing commits on all cores, handed over in order.

use crate::{GitError, Repository, pr_number, signature, trailers, walk::Plan};
use gix::objs::{Find, FindExt};
use std::collections::BTreeMap;
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
    /// A commit or one of its trees could not be read.
    #[error("could not mine commit {commit}")]
    Commit {
        /// The commit's id.
        commit: String,
        /// What went wrong.
        #[source]
        source: GitError,
    },
    /// The sink refused a batch.
    #[error(transparent)]
    Sink(E),
}

/// How many batches may be decoded ahead of the one the sink is waiting for;
/// this bounds memory whatever the speed of the sink.
const WINDOW: usize = 4;

/// Mines the commits of `plan`, calling `sink` with batches in plan order
/// (parents before children) on the calling thread, while worker threads decode
/// and diff the next batches. `progress` is called with the number of commits
/// handed to the sink so far.
pub fn mine<E: std::error::Error + Send + Sync + 'static>(
    repo: &Repository,
    plan: &Plan,
    options: &MineOptions,
    progress: &dyn Fn(usize),
    mut sink: impl FnMut(Vec<Commit>) -> Result<(), E>,
) -> Result<(), MineError<E>> {
    let chunks: Vec<&[gix::ObjectId]> = plan.commits.chunks(options.batch_size.max(1)).collect();
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(chunks.len().max(1));
    let next = AtomicUsize::new(0);
    let abort = AtomicBool::new(false);
    let written = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = crossbeam_channel::bounded::<(usize, Result<Vec<Commit>, MineError<E>>)>(WINDOW);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (chunks, next, abort, written) = (&chunks, &next, &abort, &written);
            scope.spawn(move || {
                let mut worker = match Worker::new(repo, options) {
                    Ok(w) => w,
                    Err(e) => {
                        let _ = tx.send((next.fetch_add(1, Ordering::SeqCst), Err(e)));
                        return;
                    }
                };
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= chunks.len() {
                        return;
                    }
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
                    let result = worker.batch(chunks[i]);
                    if tx.send((i, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut expected = 0usize;
        let mut handed = 0usize;
        let mut outcome = Ok(());
        'receive: for (i, result) in rx {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&expected) {
                let step = result.and_then(|commits| {
                    let n = commits.len();
                    sink(commits).map_err(MineError::Sink).map(|()| n)
                });
                match step {
                    Ok(n) => {
                        handed += n;
                        progress(handed);
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
        outcome
    })
}

/// One thread's decoder and differ, with buffers and caches reused across commits.
struct Worker {
    repo: gix::Repository,
    state: gix::diff::tree::State,
    cache: gix::diff::blob::Platform,
    commit_buf: Vec<u8>,
    parent_buf: Vec<u8>,
    lhs_buf: Vec<u8>,
    rhs_buf: Vec<u8>,
    rewrites: Option<gix::diff::Rewrites>,
    lines: bool,
    shallow: bool,
}

impl Worker {
    fn new<E: std::error::Error + 'static>(repo: &Repository, options: &MineOptions) -> Result<Self, MineError<E>> {
        let mut local = repo.local();
        local.object_cache_size_if_unset(32 * 1024 * 1024);
        let mut cache = local
            .diff_resource_cache_for_tree_diff()
            .map_err(|e| MineError::Commit {
                commit: "(setting up the diff)".into(),
                source: Box::new(e),
            })?;
        cache.options.skip_internal_diff_if_external_is_configured = false;
        Ok(Worker {
            repo: local,
            state: Default::default(),
            cache,
            commit_buf: Vec::new(),
            parent_buf: Vec::new(),
            lhs_buf: Vec::new(),
            rhs_buf: Vec::new(),
            rewrites: options.renames.then(gix::diff::Rewrites::default),
            lines: options.lines,
            shallow: repo.is_shallow(),
        })
    }

    fn batch<E: std::error::Error + 'static>(&mut self, ids: &[gix::ObjectId]) -> Result<Vec<Commit>, MineError<E>> {
        let out = ids
            .iter()
            .map(|id| {
                self.commit(id).map_err(|source| MineError::Commit {
                    commit: id.to_string(),
                    source,
                })
            })
            .collect();
        self.cache.clear_resource_cache_keep_allocation();
        out
    }

    fn commit(&mut self, id: &gix::oid) -> Result<Commit, GitError> {
        let commit = self.repo.objects.find_commit(id, &mut self.commit_buf)?;
        let parents: Vec<gix::ObjectId> = commit.parents().collect();
        let tree = commit.tree();
        let message: &[u8] = commit.message.as_ref();
        let subject = message.split(|b| *b == b'\n').next().unwrap_or_default();
        let mut event = Commit {
            id: Oid::from_bytes(id.as_bytes()),
            parents: parents.iter().map(|p| Oid::from_bytes(p.as_bytes())).collect(),
            author: signature::from_gix(commit.author()?),
            committer: signature::from_gix(commit.committer()?),
            subject: RawText::from(subject.trim_ascii_end()),
            trailers: trailers::parse(message),
            pr_number: pr_number::parse(message),
            changes: Vec::new(),
        };
        // The decoded commit borrows `commit_buf`; release it before diffing.
        drop(commit);
        if parents.len() <= 1 {
            event.changes = self.changes(parents.first(), tree)?;
        }
        Ok(event)
    }

    /// The paths changed from `parent`'s tree (the empty tree for a root commit) to `tree`.
    fn changes(&mut self, parent: Option<&gix::ObjectId>, tree: gix::ObjectId) -> Result<Vec<PathChange>, GitError> {
        let parent_tree = match parent {
            None => None,
            Some(p) => match self.repo.objects.try_find(p, &mut self.parent_buf)? {
                Some(data) => Some(
                    data.try_into_commit_iter()
                        .ok_or_else(|| format!("parent {p} is not a commit"))?
                        .tree_id()?,
                ),
                // Beyond a shallow clone's boundary: what changed cannot be known.
                None if self.shallow => return Ok(Vec::new()),
                None => return Err(format!("parent commit {p} is missing from the object database").into()),
            },
        };
        let kind = tree.kind();
        let lhs = match parent_tree {
            Some(ref t) => self.repo.objects.find_tree_iter(t, &mut self.lhs_buf)?,
            None => gix::objs::TreeRefIter::from_bytes(&[], kind),
        };
        let rhs = self.repo.objects.find_tree_iter(&tree, &mut self.rhs_buf)?;
        let mut raw = Vec::new();
        gix::diff::tree_with_rewrites(
            lhs,
            rhs,
            &mut self.cache,
            &mut self.state,
            &self.repo.objects,
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
        )?;
        raw.into_iter().map(|change| self.path_change(change)).collect()
    }

    fn path_change(&mut self, change: gix::diff::tree_with_rewrites::Change) -> Result<PathChange, GitError> {
        use gix::diff::tree_with_rewrites::Change::*;
        let lines = if self.lines && change.entry_mode().is_blob() {
            self.line_counts(&change)?
        } else {
            None
        };
        let text = |b: &gix::bstr::BString| RawText::from(b.as_slice());
        Ok(match &change {
            Addition { location, .. } => PathChange {
                path: text(location),
                kind: ChangeKind::Added,
                old_path: None,
                lines,
            },
            Deletion { location, .. } => PathChange {
                path: text(location),
                kind: ChangeKind::Deleted,
                old_path: None,
                lines,
            },
            Modification { location, .. } => PathChange {
                path: text(location),
                kind: ChangeKind::Modified,
                old_path: None,
                lines,
            },
            Rewrite {
                location,
                source_location,
                copy,
                ..
            } => PathChange {
                path: text(location),
                kind: if *copy { ChangeKind::Added } else { ChangeKind::Renamed },
                old_path: Some(text(source_location)),
                lines,
            },
        })
    }

    /// Lines (added, removed) for a blob change, or `None` for binary content.
    fn line_counts(&mut self, change: &gix::diff::tree_with_rewrites::Change) -> Result<Option<(u32, u32)>, GitError> {
        use gix::diff::blob::platform::prepare_diff::Operation;
        self.cache.set_resource_by_change(change.to_ref(), &self.repo.objects)?;
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
