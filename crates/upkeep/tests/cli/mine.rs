//! `upkeep mine` end to end: the built binary on repositories made by the
//! fixture scripts of the git source, in temporary directories.

use crate::common;

use common::{Env, content, count_commits, git, stderr};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};
use upkeep_store::{Location, Store};

#[test]
fn first_run_then_nothing_changed() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let first = env.mine_json(&[repo.to_str().expect("utf-8")]);
    assert_eq!(first["unchanged"], false);
    assert_eq!(first["new_commits"], 7);
    assert_eq!(first["summary"]["commits"], 7);
    assert_eq!(first["summary"]["merges"], 1);
    // alice, bob, rene, frank (committers carol and GitHub are not authors).
    assert_eq!(first["summary"]["authors"], 4);
    assert_eq!(first["summary"]["tags"], 3);
    assert_eq!(first["summary"]["version_tags"], 2);
    // .mailmap, LICENSE, README.md and .github/CODEOWNERS.
    assert_eq!(first["summary"]["tip_files"], 4);
    assert_eq!(first["summary"]["head_ref"], "refs/heads/main");
    // 2020-01-01T09:00:00Z and 2020-05-01T07:00:00Z.
    assert_eq!(first["summary"]["first_commit"], 1_577_869_200);
    assert_eq!(first["summary"]["last_commit"], 1_588_316_400);

    let second = env.mine_json(&[repo.to_str().expect("utf-8")]);
    assert_eq!(second["unchanged"], true);
    assert_eq!(second["new_commits"], 0);
    assert_eq!(second["summary"], first["summary"]);

    let table = env.run(&["mine", repo.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("nothing changed since the last run (7 commits stored)"),
        "{text}"
    );
}

#[test]
fn stored_commits_round_trip_exactly() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    env.mine_json(&["--lines", repo.to_str().expect("utf-8")]);
    let store =
        Store::open_at(&Location::parse(&env.store()).expect("a store"), || {}).expect("opens");
    let record = store
        .find_repository(&repo.canonicalize().expect("exists").to_string_lossy())
        .expect("reads")
        .expect("mined");
    let commits = store.commits(record.id).expect("commits");
    let feature = commits
        .iter()
        .find(|c| c.subject.to_string() == "Add a feature")
        .expect("feature commit");
    assert_eq!(
        feature.author.name.as_bytes(),
        b"Ren\xe9 Latin",
        "non-UTF-8 bytes survive the store"
    );
    let tuned = commits
        .iter()
        .find(|c| c.subject.to_string() == "Tune b and add a guide")
        .expect("tuned commit");
    assert_eq!(tuned.trailers.len(), 4);
    assert_eq!(tuned.trailers[1].key, "Reviewed-by");
    assert_eq!(
        tuned.trailers[1]
            .email
            .as_ref()
            .map(|e| e.to_string())
            .as_deref(),
        Some("dave@example.net")
    );
    let lines: Vec<_> = tuned
        .changes
        .iter()
        .map(|c| (c.path.to_string(), c.lines))
        .collect();
    assert!(
        lines.contains(&("src/a.py".to_owned(), Some((2, 1)))),
        "{lines:?}"
    );
    let merge = commits.iter().find(|c| c.is_merge()).expect("merge");
    assert_eq!(merge.pr_number, Some(12));
    let tags = store.tags(record.id).expect("tags");
    assert_eq!(tags.len(), 3);
    assert_eq!(
        tags[1].tagger.as_ref().map(|t| (t.time, t.offset_minutes)),
        Some((1_583_132_400, 120))
    );
}

#[test]
fn force_push_drops_unreachable_commits() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    env.mine_json(&[arg]);
    let old_head = git(&repo, &["rev-parse", "HEAD"]).trim().to_owned();
    git(&repo, &["reset", "-q", "--hard", "HEAD~1"]);
    std::fs::write(repo.join("NEW.md"), "new\n").expect("writes");
    git(&repo, &["add", "NEW.md"]);
    git(&repo, &["commit", "-q", "-m", "Rewritten tip"]);
    let report = env.mine_json(&[arg]);
    assert_eq!(report["new_commits"], 1);
    assert_eq!(report["dropped_commits"], 1);
    assert_eq!(report["summary"]["commits"], 7);
    let commits = content(env.store(), &repo)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        !commits.contains(&old_head),
        "the force-pushed-away commit is gone"
    );
    assert!(commits.contains("Rewritten tip"));
}

#[test]
fn changed_options_mine_again() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    let first = env.mine_json(&["--no-renames", arg]);
    assert_eq!(first["remined"], false);
    let again = env.mine_json(&[arg]);
    assert_eq!(again["remined"], true);
    assert_eq!(again["new_commits"], 7);
    assert!(content(env.store(), &repo).contains("\"kind\":\"renamed\""));
}

#[test]
fn interrupted_run_resumes_to_the_same_content() {
    let env = Env::new();
    let repo = env.fixture("make_long.sh", "long");
    let arg = repo.to_str().expect("utf-8");

    // The reference: one uninterrupted run into its own database.
    let reference_db = env.path("reference.db");
    let out = env
        .command(&["mine", "--batch-size", "50", arg])
        .env("UPKEEP_DB", &reference_db)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));

    // A run killed (SIGKILL) after its third batch of 50 was committed.
    let mut child = env
        .command(&["mine", "--batch-size", "50", arg])
        .env("UPKEEP_DEBUG_STALL_AFTER_BATCHES", "3")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    // A generous deadline: the loop ends as soon as the batches are in, and
    // a loaded machine (the whole suite at once, on PostgreSQL) can be slow.
    let deadline = Instant::now() + Duration::from_secs(300);
    let stored = loop {
        let n = count_commits(env.store(), &repo);
        if n >= 150 || Instant::now() > deadline {
            break n;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    child.kill().expect("kills");
    child.wait().expect("reaped");
    assert_eq!(
        stored, 150,
        "exactly three batches were committed before the kill"
    );

    let resumed = env.mine_json(&["--batch-size", "50", arg]);
    assert_eq!(resumed["new_commits"], 350);
    assert_eq!(resumed["summary"]["commits"], 500);
    assert_eq!(content(env.store(), &repo), content(&reference_db, &repo));
}

#[test]
fn a_second_run_waits_for_the_first() {
    let env = Env::new();
    if env.on_postgres() {
        // A shared store has no lock: runs and workers write idempotently.
        return;
    }
    let repo = env.fixture("make_long.sh", "long");
    let arg = repo.to_str().expect("utf-8");
    let mut first = env
        .command(&["mine", "--batch-size", "50", arg])
        .env("UPKEEP_DEBUG_STALL_AFTER_BATCHES", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let deadline = Instant::now() + Duration::from_secs(60);
    while count_commits(env.store(), &repo) < 50 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut second = env
        .command(&["mine", "--format", "json", arg])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut line = String::new();
    BufReader::new(second.stderr.take().expect("stderr"))
        .read_line(&mut line)
        .expect("reads");
    assert!(
        line.starts_with("waiting for another upkeep run that is using"),
        "{line}"
    );
    first.kill().expect("kills");
    first.wait().expect("reaped");
    let out = second.wait_with_output().expect("finishes");
    assert!(out.status.success());
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(reports[0]["summary"]["commits"], 500);
}

#[test]
fn clone_urls_are_cached_and_fetched() {
    let env = Env::new();
    let origin = env.fixture("make_community.sh", "origin");
    let url = format!("file://{}", origin.display());
    let first = env.mine_json(&[&url]);
    assert_eq!(first["cloned"], true);
    assert_eq!(first["location"], url.as_str());
    assert_eq!(first["summary"]["commits"], 7);
    let second = env.mine_json(&[&url]);
    assert_eq!(second["cloned"], false);
    assert_eq!(second["unchanged"], true);
    std::fs::write(origin.join("LATER.md"), "later\n").expect("writes");
    git(&origin, &["add", "LATER.md"]);
    git(&origin, &["commit", "-q", "-m", "Later"]);
    let third = env.mine_json(&[&url]);
    assert_eq!(third["new_commits"], 1);
    assert_eq!(third["summary"]["commits"], 8);
}

#[test]
fn bad_repositories_get_one_clear_sentence() {
    let env = Env::new();
    let missing = env.run(&["mine", env.path("nope").to_str().expect("utf-8")]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("does not exist"),
        "{}",
        stderr(&missing)
    );

    std::fs::create_dir(env.path("plain")).expect("mkdir");
    let plain = env.run(&["mine", env.path("plain").to_str().expect("utf-8")]);
    assert_eq!(plain.status.code(), Some(1));
    assert!(
        stderr(&plain).contains("is not a git repository"),
        "{}",
        stderr(&plain)
    );

    git(env.dir.path(), &["init", "-q", "empty"]);
    let empty = env.run(&["mine", env.path("empty").to_str().expect("utf-8")]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(
        stderr(&empty).contains("no commits yet"),
        "{}",
        stderr(&empty)
    );

    let unreachable = env.run(&["mine", "https://127.0.0.1:9/nobody/nothing.git"]);
    assert_eq!(unreachable.status.code(), Some(1));
    assert!(
        stderr(&unreachable).contains("could not clone https://127.0.0.1:9/nobody/nothing.git"),
        "{}",
        stderr(&unreachable)
    );

    // In a batch, one failure is reported and the rest goes on.
    let repo = env.fixture("make_community.sh", "community");
    let batch = env.run(&[
        "mine",
        env.path("plain").to_str().expect("utf-8"),
        repo.to_str().expect("utf-8"),
    ]);
    assert_eq!(batch.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&batch.stdout).contains("7 new this run"));
    assert!(
        stderr(&batch).contains("1 of 2 repositories failed"),
        "{}",
        stderr(&batch)
    );
}

#[test]
fn a_corrupt_object_fails_without_damaging_the_store() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    env.mine_json(&[arg]);
    let before = content(env.store(), &repo);
    std::fs::write(repo.join("broken.txt"), "soon corrupt\n").expect("writes");
    git(&repo, &["add", "broken.txt"]);
    git(&repo, &["commit", "-q", "-m", "Broken"]);
    let tree = git(&repo, &["rev-parse", "HEAD^{tree}"]).trim().to_owned();
    let object = repo.join(".git/objects").join(&tree[..2]).join(&tree[2..]);
    let mut perms = std::fs::metadata(&object).expect("exists").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).expect("writable");
    std::fs::write(&object, b"not zlib at all").expect("corrupts");
    let out = env.run(&["mine", arg]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("mining") && err.contains("stopped"), "{err}");
    assert!(err.contains("could not mine commit"), "{err}");
    assert_eq!(
        content(env.store(), &repo),
        before,
        "nothing stored was damaged"
    );
}

#[test]
fn databases_that_are_not_ours_are_refused() {
    let env = Env::new();
    if env.on_postgres() {
        // Files only; the store's own tests refuse schemas of other programs.
        return;
    }
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");

    std::fs::write(env.db(), "just some text, not a database at all........").expect("writes");
    let text = env.run(&["mine", arg]);
    assert_eq!(text.status.code(), Some(1));
    assert!(
        stderr(&text).contains("is not an upkeep database (it is not a SQLite database)"),
        "{}",
        stderr(&text)
    );
    std::fs::remove_file(env.db()).expect("removes");

    let other = rusqlite::Connection::open(env.db()).expect("creates");
    other
        .execute_batch("CREATE TABLE invoices (id INTEGER)")
        .expect("creates");
    drop(other);
    let foreign = env.run(&["mine", arg]);
    assert_eq!(foreign.status.code(), Some(1));
    assert!(
        stderr(&foreign).contains("a SQLite database of another program"),
        "{}",
        stderr(&foreign)
    );
    std::fs::remove_file(env.db()).expect("removes");

    env.mine_json(&[arg]);
    let ours = rusqlite::Connection::open(env.db()).expect("opens");
    ours.execute_batch("PRAGMA user_version = 99")
        .expect("sets");
    drop(ours);
    let newer = env.run(&["mine", arg]);
    assert_eq!(newer.status.code(), Some(1));
    assert!(
        stderr(&newer).contains("was written by a newer upkeep (schema version 99"),
        "{}",
        stderr(&newer)
    );
}

#[test]
fn help_explains_every_option() {
    let env = Env::new();
    let out = env.run(&["mine", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--all-refs",
        "--no-renames",
        "--lines",
        "--threads",
        "--batch-size",
        "--format",
        "--db",
        "UPKEEP_DB",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn line_counts_survive_missing_blobs() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    // As in a partial clone: the content of feature.txt (added once, never renamed) is gone.
    let blob = git(&repo, &["rev-parse", "feature:feature.txt"])
        .trim()
        .to_owned();
    std::fs::remove_file(repo.join(".git/objects").join(&blob[..2]).join(&blob[2..]))
        .expect("removes");
    let report = env.mine_json(&["--lines", repo.to_str().expect("utf-8")]);
    assert_eq!(report["summary"]["commits"], 7);
    assert_eq!(report["files_without_line_counts"], 1);
    assert_eq!(report["summary"]["changes_with_missing_blobs"], 1);
    let stored = content(env.store(), &repo);
    assert!(
        stored.contains(r#"{"path":"feature.txt","kind":"added","old_path":null,"lines":null,"blob_missing":true}"#),
        "{stored}"
    );
    assert!(
        stored.contains(r#"{"path":"README.md","kind":"modified","old_path":null,"lines":[1,0],"blob_missing":false}"#),
        "{stored}"
    );
}

#[test]
fn a_directory_inside_the_repository_is_the_same_repository() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let first = env.mine_json(&[repo.to_str().expect("utf-8")]);
    let inside = env.mine_json(&[repo.join("src").to_str().expect("utf-8")]);
    assert_eq!(inside["location"], first["location"]);
    assert_eq!(inside["unchanged"], true);
}

#[test]
fn shallow_clones_say_so() {
    let env = Env::new();
    let origin = env.fixture("make_community.sh", "origin");
    let shallow = env.path("shallow");
    let url = format!("file://{}", origin.display());
    git(
        env.dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "2",
            &url,
            shallow.to_str().expect("utf-8"),
        ],
    );
    let report = env.mine_json(&[shallow.to_str().expect("utf-8")]);
    assert_eq!(report["summary"]["shallow"], true);
    // The tip and its parent, the merge; the merge's parents are beyond the boundary.
    assert_eq!(report["summary"]["commits"], 2);
    let table = env.run(&["mine", shallow.to_str().expect("utf-8")]);
    assert!(table.status.success());
}

#[test]
fn contradictions_and_missing_files_are_errors_that_say_what_to_do() {
    let env = Env::new();
    let repo = env.fixture("make_community.sh", "community");
    let arg = repo.to_str().expect("utf-8");
    // A configuration file named but absent.
    let out = env.run(&[
        "report",
        arg,
        "--no-forge",
        "--config",
        "/nowhere/upkeep.toml",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("the configuration file /nowhere/upkeep.toml does not exist"),
        "{}",
        stderr(&out)
    );
    // --jira or --gitlab with --no-forge: contradictory.
    let jira = [
        "mine",
        arg,
        "--no-forge",
        "--jira",
        "https://issues.example.org",
        "--jira-project",
        "X",
    ];
    let out = env.run(&jira);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
    let gitlab = [
        "mine",
        arg,
        "--no-forge",
        "--gitlab",
        "https://gitlab.example.org",
        "g/p",
    ];
    assert!(!env.run(&gitlab).status.success());
    // An invalid --forge is refused before anything is mined.
    let out = env.run(&["mine", arg, "--forge", "not a repo"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("is not OWNER/NAME") && !err.contains("mined and stored"),
        "{err}"
    );
    // An empty organization for a roster.
    let roster = env.path("roster.csv");
    std::fs::write(
        &roster,
        "name,email,login,from,until\nAnn,ann@example.org,,,\n",
    )
    .expect("writes");
    let out = env.run(&[
        "roster",
        "import",
        roster.to_str().expect("utf-8"),
        "--org",
        " ",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("organization name is empty"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn commits_with_damaged_headers_are_mined_as_far_as_they_can_be_read() {
    // A history git itself reads (`git log` shows it): one commit whose
    // author has no <address>, one whose author's time zone is +99x9.
    let env = Env::new();
    let repo = env.path("damaged");
    let script = r#"set -e; export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
        git init -q -b main "$0"; cd "$0"; echo a > a; git add a
        GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@x GIT_AUTHOR_DATE=2023-11-14T00:00:00Z \
        GIT_COMMITTER_NAME=A GIT_COMMITTER_EMAIL=a@x GIT_COMMITTER_DATE=2023-11-14T00:00:00Z git commit -qm first
        tree=$(git rev-parse HEAD^{tree}); parent=$(git rev-parse HEAD)
        printf 'tree %s\nparent %s\nauthor Broken Person broken.example.com 1700000000 +0000\ncommitter A <a@x> 1700000000 +0000\n\nno address\n' $tree $parent > c1
        c1=$(git hash-object --literally -t commit -w c1)
        printf 'tree %s\nparent %s\nauthor B <b@x> 1700000100 +99x9\ncommitter A <a@x> 1700000100 +0000\n\nbad zone\n' $tree $c1 > c2
        c2=$(git hash-object --literally -t commit -w c2)
        git update-ref refs/heads/main $c2; rm c1 c2; echo $c1 $c2"#;
    let made = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(&repo)
        .output()
        .expect("bash");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let ids = String::from_utf8_lossy(&made.stdout).trim().to_owned();
    let arg = repo.to_str().expect("utf-8");
    let out = env.run(&["mine", arg, "--no-forge", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mined: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(mined[0]["new_commits"], 3);
    let mut repaired: Vec<&str> = mined[0]["repaired_commits"]
        .as_array()
        .expect("repaired")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    repaired.sort();
    let mut expected: Vec<&str> = ids.split(' ').collect();
    expected.sort();
    assert_eq!(repaired, expected);
    // The report counts the three authors, the broken one by its name.
    let out = env.run(&[
        "report",
        arg,
        "--no-forge",
        "--format",
        "json",
        "--since",
        "2023-01-01",
        "--until",
        "2024-01-01",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        report["metrics"]["contributors"]["details"]["quarters"][3]["active"],
        3
    );
}

#[test]
fn errors_say_each_thing_once_and_quote_long_lines_as_an_excerpt() {
    let env = Env::new();
    // A malformed SBOM: its position and message once, not again as a cause.
    let bom = env.path("bad.json");
    std::fs::write(&bom, r#"{"bomFormat": "CycloneDX", "components": ["#).expect("writes");
    let out = env.run(&["deps", bom.to_str().expect("utf-8"), "--offline"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.matches("not valid JSON").count(), 1, "{err}");
    // A configuration with a 200,000-character line: quoted as an excerpt.
    let config = env.path("long.toml");
    let line = "x".repeat(200_000);
    std::fs::write(&config, format!("[organization]\nname = \"{line}\n")).expect("writes");
    let repo = env.fixture("make_community.sh", "community");
    let out = env.run(&[
        "report",
        repo.to_str().expect("utf-8"),
        "--no-forge",
        "--config",
        config.to_str().expect("utf-8"),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.len() < 5_000, "{} bytes of error", err.len());
    assert!(err.contains("more characters)"), "{err}");
}

/// Three commits in `env`'s folder `name`, loose objects.
fn three_commits(env: &Env, name: &str) -> std::path::PathBuf {
    let repo = env.path(name);
    git(env.dir.path(), &["init", "-q", name]);
    for i in 1..=3 {
        std::fs::write(repo.join(format!("f{i}")), format!("{i}\n")).expect("writes");
        git(&repo, &["add", "."]);
        let message = format!("c{i}");
        let who = ["-c", "user.name=A", "-c", "user.email=a@x"];
        git(&repo, &[&who[..], &["commit", "-qm", &message]].concat());
    }
    repo
}

/// Three commits, packed, in `env`'s folder `name`.
fn packed_history(env: &Env, name: &str) -> std::path::PathBuf {
    let repo = three_commits(env, name);
    git(&repo, &["gc", "-q"]);
    repo
}

/// The only file of `repo`'s pack folder that ends in `ext`.
fn pack_file(repo: &std::path::Path, ext: &str) -> std::path::PathBuf {
    let dir = repo.join(".git/objects/pack");
    let found = std::fs::read_dir(&dir)
        .expect("a pack folder")
        .filter_map(Result::ok);
    let path = found
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == ext));
    let path = path.expect("a pack file");
    let mut perms = std::fs::metadata(&path).expect("stat").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).expect("writable");
    path
}

#[test]
fn damaged_repositories_name_the_object_and_say_a_rerun_will_not_help() {
    let env = Env::new();
    let mine = |repo: &std::path::Path| {
        let out = env.run(&["mine", repo.to_str().expect("utf-8"), "--no-forge"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        stderr(&out)
    };
    // A pack index whose fan-out table goes down.
    let idx = packed_history(&env, "idx");
    let head = git(&idx, &["rev-parse", "HEAD"]);
    let mut bytes = std::fs::read(pack_file(&idx, "idx")).expect("reads");
    bytes[8..16].copy_from_slice(&[0xff; 8]);
    std::fs::write(pack_file(&idx, "idx"), bytes).expect("writes");
    let said = mine(&idx);
    assert!(
        said.contains(&format!("points at {}, which cannot be read", head.trim())),
        "{said}"
    );
    assert!(
        said.contains("fan-out table is not monotonic (a corrupt index)"),
        "{said}"
    );
    assert!(said.contains("re-running will not help"), "{said}");
    // A pack cut off after 100 bytes.
    let cut = packed_history(&env, "cut");
    let pack = std::fs::OpenOptions::new()
        .write(true)
        .open(pack_file(&cut, "pack"));
    pack.expect("opens").set_len(100).expect("truncates");
    let said = mine(&cut);
    assert!(
        said.contains("its pack is 100 bytes, shorter than the index says (a truncated pack)"),
        "{said}"
    );
    // A branch pointing at an object that is not there.
    let missing = packed_history(&env, "missing");
    let nowhere = "1234567890123456789012345678901234567890";
    std::fs::write(missing.join(".git/packed-refs"), "").expect("writes");
    std::fs::write(missing.join(".git/refs/heads/main"), format!("{nowhere}\n")).expect("writes");
    git(&missing, &["symbolic-ref", "HEAD", "refs/heads/main"]);
    let said = mine(&missing);
    assert!(
        said.contains(&format!(
            "refs/heads/main points at {nowhere}, which is not in the repository (a missing object)"
        )),
        "{said}"
    );
    // Two branches that point at each other.
    let lost = packed_history(&env, "loop");
    std::fs::write(lost.join(".git/packed-refs"), "").expect("writes");
    std::fs::write(lost.join(".git/refs/heads/a"), "ref: refs/heads/b\n").expect("writes");
    std::fs::write(lost.join(".git/refs/heads/b"), "ref: refs/heads/a\n").expect("writes");
    git(&lost, &["symbolic-ref", "HEAD", "refs/heads/a"]);
    let said = mine(&lost);
    assert!(
        said.contains(
            "HEAD cannot be followed to a commit (a damaged reference, or references in a loop"
        ),
        "{said}"
    );
    assert!(!said.contains("no commits yet"), "{said}");
    // A parent commit lost in the middle of the history: named, and the
    // run says a rerun will not help.
    let middle = three_commits(&env, "middle");
    let parent = git(&middle, &["rev-parse", "HEAD~1"]);
    let parent = parent.trim();
    std::fs::remove_file(
        middle
            .join(".git/objects")
            .join(&parent[..2])
            .join(&parent[2..]),
    )
    .expect("removes");
    let said = mine(&middle);
    assert!(
        said.contains(&format!("parent commit {parent} is missing")),
        "{said}"
    );
    assert!(said.contains("stopped on a damaged repository"), "{said}");
}
