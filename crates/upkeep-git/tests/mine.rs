//! The git source on histories built for it, with values worked out by hand.

mod common;

use common::{commit_all, fixture, git, mine_all};
use upkeep_core::events::{ChangeKind, Commit, Oid, TipFileKind};
use upkeep_git::mine::MineOptions;

/// History of `make_community.sh` (newest first):
///
/// ```text
/// * Frank Kafka  2020-05-01T00:00:00-07:00 | GitHub | KAFKA-1: add community files (#34)   [nightly]
/// *   Alice      2020-04-03T00:00:00Z      | Merge pull request #12 from rene/feature       [v1.1]
/// |\
/// | * René       2020-04-01T12:00:00+02:00 | Add a feature
/// * | Alice      2020-04-02T00:00:00Z      | Say more
/// |/
/// * Alice        2020-03-01T00:00:00Z      | Rename a to b, drop the guide                  [v1.0, annotated by Dave]
/// * Bob          2020-02-01T08:30:00-05:30 | Carol 2020-02-02T12:00:00Z | Tune b and add a guide
/// * Alice        2020-01-01T10:00:00+01:00 | Initial import
/// ```
fn community() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, repo) = fixture("make_community.sh");
    let graph = git(&repo, &["log", "--graph", "--format=%ae|%s"]);
    assert_eq!(
        graph,
        "* frank@example.com|KAFKA-1: add community files (#34)\n\
         *   alice@example.com|Merge pull request #12 from rene/feature\n\
         |\\  \n\
         | * rene@example.fr|Add a feature\n\
         * | alice@example.com|Say more\n\
         |/  \n\
         * alice@example.com|Rename a to b, drop the guide\n\
         * bob@example.org|Tune b and add a guide\n\
         * alice@example.com|Initial import\n"
    );
    (dir, repo)
}

fn by_subject<'a>(commits: &'a [Commit], subject: &str) -> &'a Commit {
    commits
        .iter()
        .find(|c| c.subject.to_string() == subject)
        .unwrap_or_else(|| panic!("no commit {subject:?}"))
}

/// A changed path as (path, kind code, old path, lines).
type Change = (String, &'static str, Option<String>, Option<(u32, u32)>);

fn changes(commit: &Commit) -> Vec<Change> {
    sorted_changes(commit, |c| c.lines)
}

/// The changes of a commit as (path, kind code, old path, `extra` of each), sorted.
fn sorted_changes<T: Ord>(
    commit: &Commit,
    extra: impl Fn(&upkeep_core::events::PathChange) -> T,
) -> Vec<(String, &'static str, Option<String>, T)> {
    let mut out: Vec<_> = commit
        .changes
        .iter()
        .map(|c| {
            (
                c.path.to_string(),
                c.kind.code(),
                c.old_path.as_ref().map(|p| p.to_string()),
                extra(c),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn commits_signatures_and_order() {
    let (_dir, repo) = community();
    let (commits, mined) = mine_all(&repo, MineOptions::default());
    assert_eq!(mined.commits, 7);
    assert!(mined.anchors.is_empty());
    let subjects: Vec<String> = commits.iter().map(|c| c.subject.to_string()).collect();
    // Newest first by committer time.
    assert_eq!(
        subjects,
        [
            "KAFKA-1: add community files (#34)",
            "Merge pull request #12 from rene/feature",
            "Say more",
            "Add a feature",
            "Rename a to b, drop the guide",
            "Tune b and add a guide",
            "Initial import",
        ]
    );

    let first = by_subject(&commits, "Initial import");
    assert!(first.parents.is_empty());
    assert_eq!(first.author.name.to_string(), "Alice Liddell");
    // 2020-01-01T10:00:00+01:00 = 2020-01-01T09:00:00Z = 1577836800 + 9 h.
    assert_eq!(
        (first.author.time, first.author.offset_minutes),
        (1_577_869_200, 60)
    );

    let tuned = by_subject(&commits, "Tune b and add a guide");
    assert_eq!(tuned.author.email.to_string(), "bob@example.org");
    // 2020-02-01T08:30:00-05:30 = 14:00Z; 2020-02-01T00:00Z is 1580515200.
    assert_eq!(
        (tuned.author.time, tuned.author.offset_minutes),
        (1_580_565_600, -330)
    );
    assert_eq!(tuned.committer.name.to_string(), "Carol Committer");
    // 2020-02-02T12:00:00Z = 1580515200 + 1 day + 12 h.
    assert_eq!(
        (tuned.committer.time, tuned.committer.offset_minutes),
        (1_580_644_800, 0)
    );
    assert_eq!(tuned.parents, vec![first.id.clone()]);

    let squash = by_subject(&commits, "KAFKA-1: add community files (#34)");
    // 2020-05-01T00:00:00-07:00 = 07:00Z; 2020-05-01T00:00Z is 1588291200.
    assert_eq!(
        (squash.author.time, squash.author.offset_minutes),
        (1_588_316_400, -420)
    );
    assert_eq!(squash.committer.email.to_string(), "noreply@github.com");
}

#[test]
fn non_utf8_author_is_kept_byte_for_byte() {
    let (_dir, repo) = community();
    let (commits, _) = mine_all(&repo, MineOptions::default());
    let feature = by_subject(&commits, "Add a feature");
    assert_eq!(feature.author.name.as_bytes(), b"Ren\xe9 Latin");
    assert_eq!(feature.author.name.to_string(), "Ren\u{fffd} Latin");
    // 2020-04-01T12:00:00+02:00 = 10:00Z; 2020-04-01T00:00Z is 1585699200.
    assert_eq!(
        (feature.author.time, feature.author.offset_minutes),
        (1_585_735_200, 120)
    );
}

#[test]
fn trailers_with_identities() {
    let (_dir, repo) = community();
    let (commits, _) = mine_all(&repo, MineOptions::default());
    let people = |c: &Commit| -> Vec<(String, String, String)> {
        c.trailers
            .iter()
            .map(|t| {
                (
                    t.key.clone(),
                    t.name.as_ref().map(|n| n.to_string()).unwrap_or_default(),
                    t.email.as_ref().map(|e| e.to_string()).unwrap_or_default(),
                )
            })
            .collect()
    };
    let tuned = by_subject(&commits, "Tune b and add a guide");
    let s = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    assert_eq!(
        people(tuned),
        vec![
            s("Signed-off-by", "Bob Builder", "bob@example.org"),
            s("Reviewed-by", "Dave Reviewer", "dave@example.net"),
            s("Co-authored-by", "Eve", "eve@users.noreply.github.com"),
            s("Signed-off-by", "Carol Committer", "carol@corp.example"),
        ]
    );
    let squash = by_subject(&commits, "KAFKA-1: add community files (#34)");
    assert_eq!(
        people(squash),
        vec![
            s("Reviewers", "Jun Rao", "junrao@example.com"),
            s("Reviewers", "Ismael Juma", "ismael@example.com"),
        ]
    );
    assert!(by_subject(&commits, "Initial import").trailers.is_empty());
}

#[test]
fn merges_and_pull_request_numbers() {
    let (_dir, repo) = community();
    let (commits, _) = mine_all(&repo, MineOptions::default());
    let merge = by_subject(&commits, "Merge pull request #12 from rene/feature");
    assert!(merge.is_merge());
    assert_eq!(merge.parents.len(), 2);
    assert_eq!(merge.pr_number, Some(12));
    assert!(
        merge.changes.is_empty(),
        "merge commits carry no changed paths"
    );
    assert_eq!(
        by_subject(&commits, "KAFKA-1: add community files (#34)").pr_number,
        Some(34)
    );
    assert_eq!(by_subject(&commits, "Say more").pr_number, None);
    // The tracker key in #34's subject is an issue it works on; "(#34)" is its pull request.
    assert_eq!(
        by_subject(&commits, "KAFKA-1: add community files (#34)").issue_refs,
        vec!["KAFKA-1"]
    );
    assert!(merge.issue_refs.is_empty());
}

#[test]
fn changed_paths_with_renames() {
    let (_dir, repo) = community();
    let (commits, _) = mine_all(&repo, MineOptions::default());
    let p = |path: &str, kind: &'static str, old: Option<&str>| {
        (path.to_owned(), kind, old.map(str::to_owned), None)
    };
    assert_eq!(
        changes(by_subject(&commits, "Initial import")),
        vec![p("README.md", "A", None), p("src/a.py", "A", None)]
    );
    assert_eq!(
        changes(by_subject(&commits, "Tune b and add a guide")),
        vec![p("docs/guide.md", "A", None), p("src/a.py", "M", None)]
    );
    assert_eq!(
        changes(by_subject(&commits, "Rename a to b, drop the guide")),
        vec![
            p("docs/guide.md", "D", None),
            p("src/b.py", "R", Some("src/a.py"))
        ]
    );
    assert_eq!(
        changes(by_subject(&commits, "KAFKA-1: add community files (#34)")),
        vec![
            p(".github/CODEOWNERS", "A", None),
            p(".mailmap", "A", None),
            p("LICENSE", "A", None)
        ]
    );
}

#[test]
fn changed_paths_without_renames_match_git() {
    let (_dir, repo) = community();
    let options = MineOptions {
        renames: false,
        ..MineOptions::default()
    };
    let (commits, _) = mine_all(&repo, options);
    let rename = by_subject(&commits, "Rename a to b, drop the guide");
    let p = |path: &str, kind: &'static str| (path.to_owned(), kind, None, None);
    assert_eq!(
        changes(rename),
        vec![
            p("docs/guide.md", "D"),
            p("src/a.py", "D"),
            p("src/b.py", "A")
        ]
    );
    // Every commit's paths, exactly as `git log --name-status --no-renames` prints them.
    let expected = git(
        &repo,
        &[
            "log",
            "--no-merges",
            "--no-renames",
            "--name-status",
            "--format=@%H",
        ],
    );
    let mut from_git: Vec<(String, String, String)> = Vec::new();
    let mut current = String::new();
    for line in expected.lines() {
        if let Some(id) = line.strip_prefix('@') {
            current = id.to_owned();
        } else if let Some((kind, path)) = line.split_once('\t') {
            from_git.push((current.clone(), kind.to_owned(), path.to_owned()));
        }
    }
    let mut ours: Vec<(String, String, String)> = commits
        .iter()
        .flat_map(|c| {
            c.changes.iter().map(|ch| {
                (
                    c.id.to_hex(),
                    ch.kind.code().to_owned(),
                    ch.path.to_string(),
                )
            })
        })
        .collect();
    from_git.sort();
    ours.sort();
    assert_eq!(ours, from_git);
}

#[test]
fn line_counts_match_git_numstat() {
    let (_dir, repo) = community();
    let options = MineOptions {
        lines: true,
        ..MineOptions::default()
    };
    let (commits, _) = mine_all(&repo, options);
    let tuned = by_subject(&commits, "Tune b and add a guide");
    // src/a.py: "b = 2" became "b = 20" and "d = 4" was appended: 2 added, 1 removed.
    assert_eq!(
        changes(tuned),
        vec![
            ("docs/guide.md".to_owned(), "A", None, Some((1, 0))),
            ("src/a.py".to_owned(), "M", None, Some((2, 1))),
        ]
    );
    let rename = by_subject(&commits, "Rename a to b, drop the guide");
    assert_eq!(
        changes(rename),
        vec![
            ("docs/guide.md".to_owned(), "D", None, Some((0, 1))),
            (
                "src/b.py".to_owned(),
                "R",
                Some("src/a.py".to_owned()),
                Some((0, 0))
            ),
        ]
    );
    let numstat = git(
        &repo,
        &[
            "log",
            "--no-merges",
            "--no-renames",
            "--numstat",
            "--format=@%H",
        ],
    );
    let mut total = (0u32, 0u32);
    for line in numstat
        .lines()
        .filter(|l| !l.starts_with('@') && !l.is_empty())
    {
        let mut parts = line.split('\t');
        let added: u32 = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let removed: u32 = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        total = (total.0 + added, total.1 + removed);
    }
    // With renames the moved file counts 0/0 instead of 4 added + 4 removed.
    let ours = commits
        .iter()
        .flat_map(|c| c.changes.iter())
        .filter_map(|c| c.lines)
        .fold((0, 0), |acc, (a, r)| (acc.0 + a, acc.1 + r));
    assert_eq!((ours.0 + 4, ours.1 + 4), total);
}

#[test]
fn tags_annotated_and_lightweight() {
    let (_dir, repo) = community();
    let repository = upkeep_git::open(&repo).expect("opens");
    let refs = upkeep_git::refs::tag_refs(&repository).expect("tag refs");
    let tags = upkeep_git::refs::tags(&repository, &refs);
    let hex = |rev: &str| Oid::from_hex(git(&repo, &["rev-parse", rev]).trim()).expect("hex");
    let summary: Vec<_> = tags
        .iter()
        .map(|t| {
            (
                t.name.to_string(),
                t.target.clone(),
                t.is_version,
                t.tagger.is_some(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("nightly".to_owned(), hex("HEAD"), false, false),
            ("v1.0".to_owned(), hex("v1.0^{commit}"), true, true),
            ("v1.1".to_owned(), hex("HEAD~1"), true, false),
        ]
    );
    let tagger = tags[1].tagger.as_ref().expect("annotated");
    assert_eq!(tagger.name.to_string(), "Dave Reviewer");
    // 2020-03-02T09:00:00+02:00 = 07:00Z; 2020-03-02T00:00Z is 1583107200.
    assert_eq!((tagger.time, tagger.offset_minutes), (1_583_132_400, 120));
}

#[test]
fn governance_files_at_the_tip() {
    let (_dir, repo) = community();
    let repository = upkeep_git::open(&repo).expect("opens");
    let tips = upkeep_git::refs::tips(&repository, false).expect("tips");
    let files = upkeep_git::tip_files::read(&repository, &tips[0].target).expect("reads");
    let found: Vec<_> = files
        .iter()
        .map(|f| (f.path.to_string(), f.kind, f.content.to_string()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                ".mailmap".to_owned(),
                TipFileKind::Mailmap,
                "Alice Liddell <alice@example.com> <alice@old.example.com>\n".to_owned()
            ),
            (
                "LICENSE".to_owned(),
                TipFileKind::License,
                "MIT License\n".to_owned()
            ),
            (
                "README.md".to_owned(),
                TipFileKind::Readme,
                "hello\nmore\n".to_owned()
            ),
            (
                ".github/CODEOWNERS".to_owned(),
                TipFileKind::Codeowners,
                "* @alice\n".to_owned()
            ),
        ]
    );
}

#[test]
fn shallow_clone_mines_what_it_has() {
    let (dir, repo) = community();
    let shallow = dir.path().join("shallow");
    let url = format!("file://{}", repo.display());
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().expect("utf-8 path"),
        ],
    );
    let repository = upkeep_git::open(&shallow).expect("opens");
    assert!(repository.is_shallow());
    let (commits, _) = mine_all(&shallow, MineOptions::default());
    assert_eq!(commits.len(), 1);
    assert_eq!(
        commits[0].subject.to_string(),
        "KAFKA-1: add community files (#34)"
    );
    assert_eq!(
        commits[0].parents.len(),
        1,
        "the parent is recorded even if absent"
    );
    assert!(
        commits[0].changes.is_empty(),
        "what changed past the boundary is unknown"
    );
}

#[test]
fn all_refs_includes_other_branches() {
    let (_dir, repo) = community();
    git(&repo, &["branch", "side", "HEAD~2"]);
    git(&repo, &["checkout", "-q", "side"]);
    std::fs::write(repo.join("side.txt"), "side\n").expect("writes");
    commit_all(&repo, "Side work");
    git(&repo, &["checkout", "-q", "main"]);
    let repository = upkeep_git::open(&repo).expect("opens");
    assert_eq!(
        upkeep_git::refs::tips(&repository, false)
            .expect("tips")
            .len(),
        1
    );
    let tips = upkeep_git::refs::tips(&repository, true).expect("tips");
    let names: Vec<String> = tips.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(
        names,
        [
            "HEAD",
            "refs/heads/feature",
            "refs/heads/main",
            "refs/heads/side"
        ]
    );
}

#[test]
fn change_kinds_cover_files_turning_into_directories() {
    let (_dir, repo) = community();
    git(&repo, &["rm", "-q", "README.md"]);
    std::fs::create_dir(repo.join("README.md")).expect("mkdir");
    std::fs::write(repo.join("README.md/index.md"), "x\n").expect("writes");
    commit_all(&repo, "File to dir");
    let options = MineOptions {
        renames: false,
        ..MineOptions::default()
    };
    let (commits, _) = mine_all(&repo, options);
    let p = |path: &str, kind: &'static str| (path.to_owned(), kind, None, None);
    assert_eq!(
        changes(by_subject(&commits, "File to dir")),
        vec![p("README.md", "D"), p("README.md/index.md", "A")]
    );
    assert_eq!(ChangeKind::from_code("D"), Some(ChangeKind::Deleted));
}

/// History of `make_large_files.sh` (newest first), as git shows it with renames:
///
/// ```text
/// Carol  2021-03-01  Greet properly             M src/app.py
/// Bob    2021-02-01  Move the data              R100 assets/model.txt → data/model.txt
///                                               R099 assets/train.txt → data/train.txt
/// Alice  2021-01-01  Add the app and its data   A assets/model.txt, assets/train.txt, src/app.py
/// ```
///
/// The two data files are about 40 KB; everything else is under 100 bytes.
fn large_files() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, repo) = fixture("make_large_files.sh");
    let log = git(&repo, &["log", "--name-status", "-M", "--format=%s"]);
    assert_eq!(
        log,
        "Greet properly\n\nM\tsrc/app.py\n\
         Move the data\n\nR100\tassets/model.txt\tdata/model.txt\nR099\tassets/train.txt\tdata/train.txt\n\
         Add the app and its data\n\nA\tassets/model.txt\nA\tassets/train.txt\nA\tsrc/app.py\n"
    );
    (dir, repo)
}

/// The changes of a commit as (path, kind, old path, blob missing).
fn with_missing(commit: &Commit) -> Vec<(String, &'static str, Option<String>, bool)> {
    sorted_changes(commit, |c| c.blob_missing)
}

#[test]
fn a_partial_clone_mines_with_renames_found_only_when_exact() {
    let (dir, repo) = large_files();
    // A clone without the blobs over 10 KB: every version of the two data files.
    let partial = dir.path().join("partial.git");
    let source = format!("file://{}", repo.display());
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--bare",
            "--no-local",
            "--filter=blob:limit=10k",
            &source,
            partial.to_str().expect("utf-8"),
        ],
    );
    let missing = git(
        &partial,
        &["rev-list", "--objects", "--missing=print", "--all"],
    );
    assert_eq!(missing.lines().filter(|l| l.starts_with('?')).count(), 3);
    let (commits, mined) = mine_all(&partial, MineOptions::default());
    assert_eq!(mined.commits, 3);
    // The exact rename needs no content; the edited one cannot be compared:
    // it stands as a deletion and an addition, both marked.
    assert_eq!(
        with_missing(by_subject(&commits, "Move the data")),
        vec![
            ("assets/train.txt".into(), "D", None, true),
            (
                "data/model.txt".into(),
                "R",
                Some("assets/model.txt".into()),
                false
            ),
            ("data/train.txt".into(), "A", None, true),
        ]
    );
    assert_eq!(
        with_missing(by_subject(&commits, "Greet properly")),
        vec![("src/app.py".into(), "M", None, false)]
    );
    // With line counts, every change of a data file is unknown.
    let lines = MineOptions {
        lines: true,
        ..MineOptions::default()
    };
    let (commits, mined) = mine_all(&partial, lines);
    assert_eq!(mined.unreadable_blobs, 5);
    let first = by_subject(&commits, "Add the app and its data");
    assert_eq!(
        changes(first),
        vec![
            ("assets/model.txt".into(), "A", None, None),
            ("assets/train.txt".into(), "A", None, None),
            ("src/app.py".into(), "A", None, Some((2, 0))),
        ]
    );
}

#[test]
fn a_blob_deleted_from_the_store_breaks_only_its_own_pair() {
    let (_dir, repo) = large_files();
    // The first version of train.txt is lost; its second version and model.txt are there.
    let blob = git(&repo, &["rev-parse", "HEAD~2:assets/train.txt"]);
    let blob = blob.trim();
    std::fs::remove_file(repo.join(".git/objects").join(&blob[..2]).join(&blob[2..]))
        .expect("removes the loose blob");
    let (commits, _) = mine_all(&repo, MineOptions::default());
    assert_eq!(
        with_missing(by_subject(&commits, "Move the data")),
        vec![
            ("assets/train.txt".into(), "D", None, true),
            (
                "data/model.txt".into(),
                "R",
                Some("assets/model.txt".into()),
                false
            ),
            ("data/train.txt".into(), "A", None, false),
        ]
    );
}

#[test]
fn a_missing_tree_is_an_error_naming_it() {
    let (_dir, repo) = large_files();
    let tree = git(&repo, &["rev-parse", "HEAD~1:data"]);
    let tree = tree.trim().to_owned();
    std::fs::remove_file(repo.join(".git/objects").join(&tree[..2]).join(&tree[2..]))
        .expect("removes the loose tree");
    for options in [
        MineOptions::default(),
        MineOptions {
            renames: false,
            ..MineOptions::default()
        },
    ] {
        let repository = upkeep_git::open(&repo).expect("opens");
        let tips = upkeep_git::refs::tips(&repository, false).expect("tips");
        let err = upkeep_git::mine::mine(
            &repository,
            &tips,
            &|_| false,
            upkeep_git::walk::WalkScope::StopAtStored,
            &options,
            &|_| {},
            |_| Ok::<_, std::io::Error>(()),
        )
        .expect_err("a missing tree stops mining");
        let chain: Vec<String> =
            std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
                .map(|e| e.to_string())
                .collect();
        let text = chain.join(": ");
        assert!(text.contains("could not mine commit"), "{text}");
        assert!(text.contains(&tree), "{text}");
    }
}
