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
    let head_id = match local.head_id() {
        Ok(id) => id.detach(),
        Err(_) => return Err(RefsError::Empty),
    };
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

/// Every tag that leads to a commit, with the tagger of annotated tags.
///
/// Tags of trees or blobs are skipped; chains of tags are followed to the
/// commit, taking the tagger of the outermost tag object.
pub fn tags(repo: &Repository) -> Result<(Vec<Tag>, Vec<RefTip>), RefsError> {
    let local = repo.local();
    let platform = local.references().map_err(read_error("references"))?;
    let iter = platform.tags().map_err(read_error("tags"))?;
    let mut tags = Vec::new();
    let mut refs = Vec::new();
    let mut buf = Vec::new();
    for reference in iter {
        let reference = reference.map_err(|e| RefsError::Read {
            what: "a tag".into(),
            source: Box::new(e),
        })?;
        let full = reference.name().as_bstr().to_owned();
        let gix::refs::TargetRef::Object(direct) = reference.target() else {
            continue;
        };
        let direct = direct.to_owned();
        refs.push(RefTip {
            name: RawText::from(full.as_slice()),
            target: Oid::from_bytes(direct.as_bytes()),
        });
        let short = full.strip_prefix(b"refs/tags/").unwrap_or(&full);
        let mut id = direct;
        let mut tagger = None;
        let mut first = true;
        let target = loop {
            let Ok(data) = local.objects.find(&id, &mut buf) else {
                break None;
            };
            match data.kind {
                gix::objs::Kind::Commit => break Some(id),
                gix::objs::Kind::Tag => {
                    let Ok(tag) = data.decode().map(|o| o.into_tag()) else {
                        break None;
                    };
                    let Some(tag) = tag else { break None };
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
        let name = RawText::from(short);
        tags.push(Tag {
            is_version: name.as_str().is_some_and(looks_like_version),
            name,
            target: Oid::from_bytes(target.as_bytes()),
            tagger,
        });
    }
    Ok((tags, refs))
}
