//! `.mailmap` and the governance files at the tip of the default branch.

use crate::{GitError, Repository};
use gix::objs::{Find, FindExt};
use upkeep_core::events::{RawText, TipFile, TipFileKind};

/// Files larger than this are stored cut at this many bytes.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// The directories where community files are looked for, as GitHub does.
const DIRS: [&str; 3] = ["", ".github", "docs"];

/// Why the tip files could not be read.
#[derive(Debug, thiserror::Error)]
#[error("could not read the files at the tip ({what})")]
pub struct TipFilesError {
    what: String,
    #[source]
    source: GitError,
}

/// Reads `.mailmap`, CODEOWNERS, MAINTAINERS*, OWNERS, FUNDING.yml, SECURITY*,
/// security-insights.yml, GOVERNANCE*, CONTRIBUTING*, CODE_OF_CONDUCT* and
/// LICENSE* from the tree of `commit`, in the root, `.github/` and `docs/`;
/// the package manifests in the root, and those of a Cargo workspace's
/// members.
pub fn read(
    repo: &Repository,
    commit: &upkeep_core::events::Oid,
) -> Result<Vec<TipFile>, TipFilesError> {
    let local = repo.local();
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: gix::Error| TipFilesError {
            what,
            source: Box::new(e),
        }
    };
    let id = gix::ObjectId::try_from(commit.as_bytes()).map_err(|e| TipFilesError {
        what: "the tip commit id".into(),
        source: Box::new(e),
    })?;
    let mut buf = Vec::new();
    let root = local
        .objects
        .find_commit_iter(&id, &mut buf)
        .and_then(|mut c| c.tree_id())
        .map_err(fail("the tip commit"))?;
    let mut files = Vec::new();
    let mut tree_buf = Vec::new();
    let mut blob_buf = Vec::new();
    for dir in DIRS {
        let tree_id = if dir.is_empty() {
            root
        } else {
            let tree = local
                .objects
                .find_tree(&root, &mut tree_buf)
                .map_err(fail("the root tree"))?;
            match tree
                .entries
                .iter()
                .find(|e| e.filename == dir && e.mode.is_tree())
            {
                Some(entry) => entry.oid.to_owned(),
                None => continue,
            }
        };
        let tree = local
            .objects
            .find_tree(&tree_id, &mut tree_buf)
            .map_err(fail(dir))?;
        let entries: Vec<(String, gix::ObjectId)> = tree
            .entries
            .iter()
            .filter(|e| e.mode.is_blob())
            .map(|e| (e.filename.to_string(), e.oid.to_owned()))
            .collect();
        for (name, oid) in entries {
            let Some(kind) = TipFileKind::classify(dir, &name) else {
                continue;
            };
            // A governance file whose blob a partial clone lacks is not known.
            let Some(blob) = local
                .objects
                .try_find(&oid, &mut blob_buf)
                .map_err(fail(&name))?
            else {
                continue;
            };
            let content = &blob.data[..blob.data.len().min(MAX_FILE_BYTES)];
            let path = if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            };
            files.push(TipFile {
                path: RawText::from(path),
                kind,
                content: RawText::from(content),
            });
        }
    }
    let workspace = files.iter().any(|f| {
        f.kind == TipFileKind::Manifest
            && f.path.to_string() == "Cargo.toml"
            && f.content.to_string().contains("[workspace]")
    });
    if workspace {
        files.extend(member_manifests(&local, root).map_err(fail("the workspace's members"))?);
    }
    Ok(files)
}

/// The most member manifests read from a Cargo workspace.
const MAX_MEMBERS: usize = 500;

/// The `Cargo.toml` one and two directories below the root of a Cargo
/// workspace (`crates/NAME/Cargo.toml`, `NAME/Cargo.toml`): its members'
/// manifests, which ones are members is the workspace's `members` to say.
fn member_manifests(
    local: &gix::Repository,
    root: gix::ObjectId,
) -> Result<Vec<TipFile>, gix::Error> {
    let mut out = Vec::new();
    let mut queue = vec![(String::new(), root, 0)];
    let mut tree_buf = Vec::new();
    let mut blob_buf = Vec::new();
    while let Some((dir, tree_id, depth)) = queue.pop() {
        let tree = local.objects.find_tree(&tree_id, &mut tree_buf)?;
        let entries: Vec<(String, gix::ObjectId, bool)> = tree
            .entries
            .iter()
            .map(|e| (e.filename.to_string(), e.oid.to_owned(), e.mode.is_tree()))
            .collect();
        for (name, oid, is_tree) in entries {
            let path = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            if is_tree && depth < 2 && !name.starts_with('.') {
                queue.push((path, oid, depth + 1));
            } else if !is_tree
                && depth > 0
                && name == "Cargo.toml"
                && out.len() < MAX_MEMBERS
                && let Some(blob) = local.objects.try_find(&oid, &mut blob_buf)?
            {
                let content = &blob.data[..blob.data.len().min(MAX_FILE_BYTES)];
                out.push(TipFile {
                    path: RawText::from(path),
                    kind: TipFileKind::Manifest,
                    content: RawText::from(content),
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
