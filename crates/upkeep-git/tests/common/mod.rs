//! Builds fixture repositories from the scripts in `tests/fixtures` and mines them.

use std::path::{Path, PathBuf};
use std::process::Command;
use upkeep_core::events::Commit;
use upkeep_git::mine::{MineOptions, Mined};
use upkeep_git::walk::WalkScope;

/// Runs `tests/fixtures/<script>` to build a repository in a new temporary directory.
pub fn fixture(script: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(script);
    let status = Command::new("bash")
        .arg(&script)
        .arg(&repo)
        .status()
        .expect("bash runs");
    assert!(status.success(), "{} failed", script.display());
    (dir, repo)
}

/// Runs git in `repo` and returns its output.
pub fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stages everything in `repo` and commits it as a test user.
pub fn commit_all(repo: &Path, message: &str) {
    git(repo, &["add", "-A"]);
    git(
        repo,
        &[
            "-c",
            "user.name=S",
            "-c",
            "user.email=s@x",
            "commit",
            "-q",
            "-m",
            message,
        ],
    );
}

/// Mines every commit of the default branch of `repo`, returning them in mining order.
pub fn mine_all(repo: &Path, options: MineOptions) -> (Vec<Commit>, Mined) {
    let repository = upkeep_git::open(repo).expect("opens");
    let tips = upkeep_git::refs::tips(&repository, false).expect("tips");
    let mut commits = Vec::new();
    let mined = upkeep_git::mine::mine(
        &repository,
        &tips,
        &|_| false,
        WalkScope::StopAtStored,
        &options,
        &|_| {},
        |batch| {
            commits.extend(batch);
            Ok::<_, std::io::Error>(())
        },
    )
    .expect("mines");
    (commits, mined)
}
