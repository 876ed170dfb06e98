//! References: the tips to mine and the tags (releases).

use crate::{GitError, Repository, signature};
use gix::objs::FindExt;
use upkeep_core::events::{Oid, RawText, Tag, looks_like_version};

/// A reference and the object it points at directly (for annotated tags, the tag object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefTip {
    /// The full name, such as `refs/heads/main` or `refs/tags/v1.0`.
    pub name: RawText,
    /// The object id it points at.
    pub target: Oid,
}

/// Why references could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RefsError {
    /// The repository has no commits on its default branch.
    #[error("the repository has no commits yet (HEAD points to an unborn branch)")]
    Empty,
    /// `HEAD` cannot be followed to a commit: a damaged reference, or
    /// symbolic references in a loop.
    #[error(
        "HEAD cannot be followed to a commit (a damaged reference, or references in a loop; re-running will not help: point HEAD at a branch, e.g. `git symbolic-ref HEAD refs/heads/main`)"
    )]
    Head {
        /// What gitoxide said.
        source: GitError,
    },
    /// A reference points at an object that cannot be found or read.
    #[error(
        "{name} points at {id}, which {problem}; re-running will not help, a fresh clone will (`git fsck` shows what is wrong)"
    )]
    Damaged {
        /// The reference.
        name: String,
        /// The object.
        id: String,
        /// What is wrong: the object missing, or the packs damaged, each named.
        problem: String,
        /// What gitoxide said, if it said more.
        source: Option<GitError>,
    },
    /// Reading a reference or an object failed.
    #[error("could not read {what}")]
    Read {
        /// What was being read.
        what: String,
        /// What gitoxide said.
        #[source]
        source: GitError,
    },
}

fn read_error(what: impl Into<String>) -> impl FnOnce(gix::Error) -> RefsError {
    let what = what.into();
    move |e| RefsError::Read {
        what,
        source: Box::new(e),
    }
}

/// The name of the default branch (`HEAD`'s target), if HEAD is a symbolic reference.
pub fn default_branch(repo: &Repository) -> Option<String> {
    let repo = repo.local();
    let name = repo.head_name().ok().flatten()?;
    Some(name.as_bstr().to_string())
}

/// The commits to mine from: `HEAD` (the default branch), or with `all_refs` every
/// local and remote-tracking branch too. Each is peeled to a commit.
pub fn tips(repo: &Repository, all_refs: bool) -> Result<Vec<RefTip>, RefsError> {
    let local = repo.local();
    let mut tips = Vec::new();
    let head_id = head_commit(repo, &local)?;
    tips.push(RefTip {
        name: RawText::from("HEAD"),
        target: Oid::from_bytes(head_id.as_bytes()),
    });
    if all_refs {
        let platform = local.references().map_err(read_error("references"))?;
        let branches = platform.local_branches().map_err(read_error("branches"))?;
        let remotes = platform
            .remote_branches()
            .map_err(read_error("remote branches"))?;
        for reference in branches.chain(remotes) {
            let mut reference = reference.map_err(|e| RefsError::Read {
                what: "a branch".into(),
                source: Box::new(e),
            })?;
            let name = RawText::from(reference.name().as_bstr().as_ref() as &[u8]);
            if matches!(reference.target(), gix::refs::TargetRef::Symbolic(_)) {
                continue;
            }
            let Ok(commit) = reference.peel_to_commit() else {
                continue;
            };
            tips.push(RefTip {
                name,
                target: Oid::from_bytes(commit.id.as_bytes()),
            });
        }
    }
    Ok(tips)
}

/// What `HEAD` leads to, peeled through tags; why not, named, when it
/// cannot be followed (unborn, a loop, a missing or unreadable object).
fn head_commit(repo: &Repository, local: &gix::Repository) -> Result<gix::ObjectId, RefsError> {
    let head = local.head().map_err(|e| RefsError::Head {
        source: Box::new(e),
    })?;
    if head.is_unborn() {
        return Err(RefsError::Empty);
    }
    let name = head
        .referent_name()
        .map_or("HEAD".to_owned(), |n| n.as_bstr().to_string());
    let target = head.id().map(|id| id.detach());
    let error = match head.try_into_peeled_id() {
        Ok(Some(id)) => return Ok(id.detach()),
        Ok(None) => return Err(RefsError::Empty),
        Err(e) => e,
    };
    let Some(target) = target else {
        // A symbolic branch that leads nowhere: a loop, or a chain too long.
        return Err(RefsError::Head {
            source: Box::new(error),
        });
    };
    let damaged = crate::integrity::damaged_packs(repo.git_dir());
    let problem = match (local.has_object(target), damaged.is_empty()) {
        (false, true) => "is not in the repository (a missing object)".to_owned(),
        (true, true) => "cannot be read".to_owned(),
        (_, false) => format!("cannot be read: {}", damaged.join("; ")),
    };
    Err(RefsError::Damaged {
        name,
        id: target.to_string(),
        problem,
        source: Some(Box::new(error)),
    })
}

/// Every tag reference with the object it points at directly (a tag object for
/// annotated tags), without reading any object: cheap enough to compare on
/// every run.
pub fn tag_refs(repo: &Repository) -> Result<Vec<RefTip>, RefsError> {
    let local = repo.local();
    let platform = local.references().map_err(read_error("references"))?;
    let iter = platform.tags().map_err(read_error("tags"))?;
    let mut refs = Vec::new();
    for reference in iter {
        let reference = reference.map_err(|e| RefsError::Read {
            what: "a tag".into(),
            source: Box::new(e),
        })?;
        if let gix::refs::TargetRef::Object(direct) = reference.target() {
            refs.push(RefTip {
                name: RawText::from(reference.name().as_bstr().as_ref() as &[u8]),
                target: Oid::from_bytes(direct.as_bytes()),
            });
        }
    }
    Ok(refs)
}

/// The tags among `refs` (from [`tag_refs`]) that lead to a commit, with the
/// tagger of annotated tags.
///
/// Tags of trees or blobs are skipped; chains of tags are followed to the
/// commit, taking the tagger of the outermost tag object.
pub fn tags(repo: &Repository, refs: &[RefTip]) -> Vec<Tag> {
    let local = repo.local();
    let mut tags = Vec::new();
    let mut buf = Vec::new();
    for tag_ref in refs {
        let Ok(mut id) = gix::ObjectId::try_from(tag_ref.target.as_bytes()) else {
            continue;
        };
        let mut tagger = None;
        let mut first = true;
        let target = loop {
            let Ok(data) = local.objects.find(&id, &mut buf) else {
                break None;
            };
            match data.kind {
                gix::objs::Kind::Commit => break Some(id),
                gix::objs::Kind::Tag => {
                    let Some(tag) = data.decode().ok().and_then(|o| o.into_tag()) else {
                        break None;
                    };
                    if first {
                        tagger = tag.tagger().ok().flatten().map(signature::from_gix);
                        first = false;
                    }
                    id = tag.target();
                }
                _ => break None,
            }
        };
        let Some(target) = target else { continue };
        let full = tag_ref.name.as_bytes();
        let name = RawText::from(full.strip_prefix(b"refs/tags/").unwrap_or(full));
        tags.push(Tag {
            is_version: name.as_str().is_some_and(looks_like_version),
            name,
            target: Oid::from_bytes(target.as_bytes()),
            tagger,
        });
    }
    tags
}
