//! Helpers shared by the CLI tests: a temporary environment with its own
//! database and clone cache, fixture repositories, and running the binary.
#![allow(dead_code)] // Each test file uses a different subset.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db(&self) -> PathBuf {
        self.path("upkeep.db")
    }

    /// Builds `tests/fixtures/<script>` of the git source as `name`.
    pub fn fixture(&self, script: &str, name: &str) -> PathBuf {
        let repo = self.path(name);
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../upkeep-git/tests/fixtures")
            .join(script);
        let status = Command::new("bash")
            .arg(script)
            .arg(&repo)
            .status()
            .expect("bash");
        assert!(status.success());
        repo
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_upkeep"));
        cmd.args(args)
            .env("UPKEEP_DB", self.db())
            .env("UPKEEP_CACHE", self.path("cache"))
            .env_remove("UPKEEP_DEBUG_STALL_AFTER_BATCHES")
            // Hermetic: no token or forge of the machine running the tests.
            .env_remove("GITHUB_TOKEN")
            .env_remove("GH_TOKEN")
            .env_remove("GITHUB_API_URL")
            .env("GH_CONFIG_DIR", self.path("gh"));
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("upkeep runs")
    }

    /// Runs `upkeep ARGS --format json` in the environment's directory, expecting success.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self
            .command(&all)
            .current_dir(self.dir.path())
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("json")
    }

    /// Runs `upkeep mine --format json ARGS`, expecting success, and returns the report of the one repository.
    pub fn mine_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["mine", "--format", "json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "mine failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        reports[0].clone()
    }
}

/// The KPI `id` of a `contributions --format json` ledger.
pub fn kpi(ledger: &serde_json::Value, id: &str) -> serde_json::Value {
    ledger["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .find(|k| k["id"] == id)
        .cloned()
        .expect("the KPI")
}

pub fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Zed")
        .env("GIT_AUTHOR_EMAIL", "zed@example.com")
        .env("GIT_COMMITTER_NAME", "Zed")
        .env("GIT_COMMITTER_EMAIL", "zed@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
