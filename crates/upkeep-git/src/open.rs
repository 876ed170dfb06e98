//! Opening a local repository, bare or not.

use std::path::{Path, PathBuf};

/// A git repository opened for mining, shareable across threads.
pub struct Repository {
    pub(crate) inner: gix::ThreadSafeRepository,
    git_dir: PathBuf,
    root: PathBuf,
    shallow: bool,
}

impl Repository {
    /// Where the repository is: its work tree, or the git directory of a bare repository.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The repository's git directory (`.git` of a work tree, or the bare repository itself).
    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    /// Whether this is a shallow clone, whose history stops at its shallow boundary.
    pub fn is_shallow(&self) -> bool {
        self.shallow
    }

    /// A handle for use on the current thread.
    pub(crate) fn local(&self) -> gix::Repository {
        self.inner.to_thread_local()
    }
}

/// Why a repository could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The path does not exist.
    #[error("{} does not exist", path.display())]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// The path exists but is not a git repository.
    #[error("{} is not a git repository (no .git directory or bare repository found there)", path.display())]
    NotARepository {
        /// The path given.
        path: PathBuf,
        /// What gitoxide said.
        #[source]
        source: crate::GitError,
    },
}

/// Opens the repository at `path` (a work tree or any directory in it, a
/// `.git` directory, or a bare repository), looking upwards as git does.
///
/// The user's global and system git configuration are not read, so results do
/// not depend on who runs upkeep; the repository's own configuration is.
pub fn open(path: &Path) -> Result<Repository, OpenError> {
    if !path.exists() {
        return Err(OpenError::NotFound {
            path: path.to_owned(),
        });
    }
    let not_a_repo = |source: crate::GitError| OpenError::NotARepository {
        path: path.to_owned(),
        source,
    };
    // Object reads outside the hot path (walk, tags, tip files) get git's
    // default delta base cache and a small object cache.
    let options = gix::open::Options::isolated().config_overrides([
        "core.deltaBaseCacheLimit=96m",
        "gitoxide.objects.cacheLimit=16m",
    ]);
    let trust = gix::sec::trust::Mapping {
        full: options.clone(),
        reduced: options,
    };
    let inner = gix::ThreadSafeRepository::discover_opts(path, Default::default(), trust)
        .map_err(|e| not_a_repo(Box::new(e)))?;
    let local = inner.to_thread_local();
    let shallow = local.is_shallow().unwrap_or(false);
    let git_dir = local.git_dir().to_owned();
    let root = local.workdir().unwrap_or(&git_dir).to_owned();
    Ok(Repository {
        inner,
        git_dir,
        root,
        shallow,
    })
}
