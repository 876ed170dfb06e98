//! Truck factor, as published: Avelino, Passos, Hora and Valente, "A novel
//! approach for estimating truck factors" (ICPC 2016), following its reference
//! implementation (aserg-ufmg/Truck-Factor, v1.1: `DOACalculator`,
//! `AuthorshipInfo.isDOAAuthor`, `GreedyTruckFactor`, `config.properties`).
//!
//! - **Files**: the files of the tree at the end of the window that GitHub
//!   Linguist counts as code (see [`super::file_kinds`]: programming or markup,
//!   not vendored, documentation or generated), and that have history.
//! - **History of a file**: every change whose new path is the file's path,
//!   plus, for each rename into it, every change of the old path (again and
//!   again). Additions, modifications and renames count; deletions are ignored,
//!   so a path deleted and added again keeps its history.
//! - **Degree of authorship** of developer d on file f:
//!   `DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)`, where FA = 1 if d
//!   added f (the first addition, or a later addition of the same path by
//!   someone else: a secondary author), DL = d's modifications and renames of
//!   f (an addition is not a delivery), AC = everyone else's.
//! - **Authors** of f: those whose DOA, divided by the file's best, is above
//!   0.75, and whose DOA is at least 3.293 or who added the file.
//! - **Greedy removal**: while anyone authors a file, compute the coverage (the
//!   share of files with an author left); if it is below 50%, stop; otherwise
//!   remove the developer authoring the most files and count one. The truck
//!   factor is the count.
//!
//! Differences from the reference that remain, each stated in the definition:
//! ties between developers authoring as many files are broken by key (the
//! reference takes whichever its hash map yields first); developers are
//! upkeep's people (`.mailmap`, recorded decisions) unless the paper's rule is
//! asked for ([`Identities::Name`]: addresses joined by identical name); bots
//! are left out unless asked for; Linguist's data is today's, the generated
//! rules are those decided by name, `.gitattributes` overrides are not read,
//! and a file whose language Linguist's heuristics cannot settle counts when
//! any candidate is code (the reference ran Linguist's classifier); renames
//! are gitoxide's (50% similarity, as git, but at most 1000 candidates where
//! the reference raised git's limit to 999999); history is taken up to the end
//! of the window (the reference: all of it, at HEAD); a shallow clone's
//! boundary commit adds nothing (git shows every file as added there); and the
//! files of several repositories measured as one project are pooled.

use super::{Definition, Metric};
use crate::events::ChangeKind;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One change to one file, in history order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// The path after the change.
    pub path: String,
    /// For renames, the path before.
    pub old_path: Option<String>,
    /// What happened.
    pub kind: ChangeKind,
    /// The developer's key (a person's key, or a key of the paper's identity rule).
    pub person: String,
    /// Whether the author is a bot.
    pub bot: bool,
}

/// A file of the tree at the end of the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeFile {
    /// Its path.
    pub path: String,
    /// Why it is not code, if it is not (see [`super::file_kinds::classify`]).
    pub excluded: Option<&'static str>,
}

/// Which developers the degrees of authorship are computed for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Identities {
    /// upkeep's people: `.mailmap`, the same address in any case, recorded decisions.
    #[default]
    People,
    /// The paper's rule: addresses used under the same name (case-insensitive) are one developer.
    Name,
}

impl Identities {
    /// The rule in words.
    pub fn describe(self) -> &'static str {
        match self {
            Identities::People => {
                "upkeep's people (.mailmap, the same address in any case, recorded decisions)"
            }
            Identities::Name => {
                "the paper's rule: addresses used under the same name, in any case, are one developer"
            }
        }
    }
}

/// How the truck factor is computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Whose identities.
    pub identities: Identities,
    /// Whether bots are developers too (the reference counts everyone).
    pub include_bots: bool,
}

/// Who was removed, and what was considered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Files considered: code files of the tree with history.
    pub files: u64,
    /// Files left out, by reason (vendored, documentation, generated, data,
    /// prose, unknown language, no history).
    pub excluded: BTreeMap<&'static str, u64>,
    /// Files with no author from the start (no developer passes the author test).
    pub files_without_author: u64,
    /// The people removed, in order, with the files each authored when removed.
    pub removed: Vec<(String, u64)>,
    /// The share of files with an author left when the removal stopped, 0–1.
    pub coverage: f64,
    /// Which identities were used.
    pub identities: Identities,
}

/// Initial DOA value and the absolute author threshold (`absoluteDOA`).
const DOA_BASE: f64 = 3.293;
/// Threshold on the DOA divided by the file's best (`normalizedDOA`); strictly above.
const DOA_RELATIVE: f64 = 0.75;
/// The coverage below which removal stops (`tfCoverage`).
const COVERAGE: f64 = 0.5;

/// Computes the truck factor of a project: for each repository, the files of
/// its tree at the end of the window and its history before it.
pub fn compute(
    repositories: &[(Vec<TreeFile>, Vec<FileChange>)],
    options: Options,
) -> Metric<Details> {
    let mut excluded: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut authors_of: Vec<Vec<String>> = Vec::new();
    for (files, history) in repositories {
        authors_of.extend(authorship(files, history, options, &mut excluded));
    }
    remove_until_uncovered(authors_of, excluded, options)
}

/// A developer's part in one file's history.
#[derive(Default)]
struct Part {
    added: bool,
    deliveries: u64,
}

/// The authors of each code file of `files`, from `history`; files left out
/// are counted in `excluded` by reason.
fn authorship(
    files: &[TreeFile],
    history: &[FileChange],
    options: Options,
    excluded: &mut BTreeMap<&'static str, u64>,
) -> Vec<Vec<String>> {
    let mut at_path: HashMap<&str, Vec<&FileChange>> = HashMap::new();
    for change in history
        .iter()
        .filter(|c| c.kind != ChangeKind::Deleted && (options.include_bots || !c.bot))
    {
        at_path.entry(&change.path).or_default().push(change);
    }
    let mut out = Vec::new();
    for file in files {
        if let Some(reason) = file.excluded {
            *excluded.entry(reason).or_default() += 1;
            continue;
        }
        let changes = file_history(&file.path, &at_path);
        if changes.is_empty() {
            *excluded.entry("no history").or_default() += 1;
            continue;
        }
        out.push(authors(&changes));
    }
    out
}

/// The changes of `path`, following renames back through the old paths'
/// changes (all of them, as the reference does).
fn file_history<'a>(
    path: &'a str,
    at_path: &HashMap<&str, Vec<&'a FileChange>>,
) -> Vec<&'a FileChange> {
    let mut seen: HashSet<&str> = HashSet::from([path]);
    let mut queue = vec![path];
    let mut out = Vec::new();
    while let Some(p) = queue.pop() {
        for &change in at_path.get(p).into_iter().flatten() {
            out.push(change);
            if let (ChangeKind::Renamed, Some(old)) = (change.kind, change.old_path.as_deref())
                && seen.insert(old)
            {
                queue.push(old);
            }
        }
    }
    out
}

/// The authors of one file from its changes, sorted by key.
fn authors(changes: &[&FileChange]) -> Vec<String> {
    let mut parts: BTreeMap<&str, Part> = BTreeMap::new();
    for change in changes {
        let part = parts.entry(&change.person).or_default();
        match change.kind {
            ChangeKind::Added => part.added = true,
            _ => part.deliveries += 1,
        }
    }
    let total: u64 = parts.values().map(|p| p.deliveries).sum();
    let doa: Vec<(&str, bool, f64)> = parts
        .iter()
        .map(|(person, p)| {
            let fa = if p.added { 1.0 } else { 0.0 };
            let ac = (total - p.deliveries) as f64;
            let value =
                DOA_BASE + 1.098 * fa + 0.164 * p.deliveries as f64 - 0.321 * (1.0 + ac).ln();
            (*person, p.added, value)
        })
        .collect();
    let best = doa.iter().map(|d| d.2).fold(0.0, f64::max);
    if best <= 0.0 {
        return Vec::new();
    }
    doa.into_iter()
        .filter(|(_, added, value)| value / best > DOA_RELATIVE && (*value >= DOA_BASE || *added))
        .map(|(person, _, _)| person.to_owned())
        .collect()
}

/// The greedy removal: while anyone authors a file and at least half of the
/// files have an author, remove the developer authoring the most files (ties:
/// the smallest key).
fn remove_until_uncovered(
    mut authors_of: Vec<Vec<String>>,
    excluded: BTreeMap<&'static str, u64>,
    options: Options,
) -> Metric<Details> {
    let total = authors_of.len();
    let files_without_author = authors_of.iter().filter(|a| a.is_empty()).count() as u64;
    let covered = |authors_of: &[Vec<String>]| authors_of.iter().filter(|a| !a.is_empty()).count();
    let mut removed: Vec<(String, u64)> = Vec::new();
    let mut coverage = if total == 0 {
        0.0
    } else {
        covered(&authors_of) as f64 / total as f64
    };
    loop {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for a in authors_of.iter().flatten() {
            *counts.entry(a).or_default() += 1;
        }
        let Some((top, n)) = counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(k, n)| ((*k).to_owned(), *n))
        else {
            break;
        };
        coverage = covered(&authors_of) as f64 / total as f64;
        if coverage < COVERAGE {
            break;
        }
        for authors in &mut authors_of {
            authors.retain(|a| *a != top);
        }
        removed.push((top, n));
    }
    if total > 0 && authors_of.iter().all(Vec::is_empty) {
        coverage = 0.0;
    }
    let any = total > 0;
    Metric {
        value: any.then_some(removed.len() as f64),
        reason: (!any)
            .then(|| "no code files with history in the tree at the end of the window".to_owned()),
        details: Details {
            files: total as u64,
            excluded,
            files_without_author,
            removed,
            coverage,
            identities: options.identities,
        },
        definition: definition(options),
    }
}

fn definition(options: Options) -> Definition {
    Definition {
        rule: "Avelino et al. (ICPC 2016), as its reference implementation computes it: DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC) over each code file's history (renames followed, deletions ignored, FA = 1 for anyone who added the path, additions not counted in DL); authors have DOA / the file's best > 0.75 and DOA ≥ 3.293 or added the file; while coverage (files with an author left) is at least 50%, remove the developer authoring the most files; the truck factor is the number removed",
        parameters: [
            ("doa_absolute", serde_json::json!(DOA_BASE)),
            ("doa_relative", serde_json::json!(DOA_RELATIVE)),
            ("coverage_below", serde_json::json!(COVERAGE)),
            ("files", serde_json::json!("GitHub Linguist's programming and markup languages; vendored, documentation and generated paths left out")),
            ("identities", serde_json::json!(options.identities.describe())),
            ("bots_included", serde_json::json!(options.include_bots)),
            ("ties", serde_json::json!("between developers authoring as many files, the smallest key is removed first (the reference: hash-map order)")),
            ("differences", serde_json::json!([
                "ties broken by key, not hash-map order",
                "developers are upkeep's people unless identities = name",
                "bots left out unless included",
                "today's Linguist data; generated files decided by name; .gitattributes overrides not read; files Linguist's heuristics cannot settle count when any candidate language is code",
                "gitoxide's rename detection (50% similarity, at most 1000 candidates; the reference raised git's limit to 999999); in a partial clone, renames of missing blobs found only when exact",
                "history up to the end of the window, at the tree of that time",
                "a shallow clone's boundary commit adds nothing",
                "several repositories of one project are pooled",
            ])),
        ]
        .into_iter()
        .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::file_kinds::{Verdict, classify};

    fn change(kind: ChangeKind, path: &str, person: &str) -> FileChange {
        FileChange {
            path: path.into(),
            old_path: None,
            kind,
            person: person.into(),
            bot: false,
        }
    }

    fn renamed(from: &str, to: &str, person: &str) -> FileChange {
        FileChange {
            old_path: Some(from.into()),
            ..change(ChangeKind::Renamed, to, person)
        }
    }

    /// The tree's files, classified as measuring does (these names need no content).
    fn tree(paths: &[&str]) -> Vec<TreeFile> {
        paths
            .iter()
            .map(|p| TreeFile {
                path: (*p).into(),
                excluded: match classify(p, None) {
                    Verdict::Excluded(reason) => Some(reason),
                    _ => None,
                },
            })
            .collect()
    }

    fn tf(paths: &[&str], history: Vec<FileChange>) -> Metric<Details> {
        compute(&[(tree(paths), history)], Options::default())
    }

    use ChangeKind::{Added as A, Deleted as D, Modified as M};

    #[test]
    fn one_author_per_file_gives_the_expected_removals() {
        // a.py, b.py by alice; c.py by bob; d.py by carol; only additions, so each
        // adder has DOA 3.293 + 1.098 = 4.391, the best of the file: an author.
        // Coverage 4/4: remove alice (2 files) → 2/4 = 50%, not below: remove bob
        // (1 file, tied with carol, the smaller key first) → 1/4 < 50%: stop. TF = 2.
        let h = vec![
            change(A, "a.py", "alice"),
            change(A, "b.py", "alice"),
            change(A, "c.py", "bob"),
            change(A, "d.py", "carol"),
        ];
        let m = tf(&["a.py", "b.py", "c.py", "d.py"], h);
        assert_eq!(m.value, Some(2.0));
        assert_eq!(
            m.details.removed,
            vec![("alice".into(), 2), ("bob".into(), 1)]
        );
        assert_eq!(m.details.coverage, 0.25);
    }

    #[test]
    fn the_creation_is_not_a_delivery() {
        // alice adds x.py, bob modifies it 5 times.
        // alice: FA = 1, DL = 0, AC = 5: 3.293 + 1.098 − 0.321·ln 6 = 3.8158
        // bob:   FA = 0, DL = 5, AC = 0: 3.293 + 0.164·5 = 4.1130 (the best)
        // alice / best = 0.928 > 0.75: both author it; removing alice leaves bob: TF = 2.
        let mut h = vec![change(A, "x.py", "alice")];
        h.extend((0..5).map(|_| change(M, "x.py", "bob")));
        let m = tf(&["x.py"], h);
        assert_eq!(m.value, Some(2.0));
        // With 12 by bob: alice 4.391 − 0.321·ln 13 = 3.5677, bob 3.293 + 1.968 = 5.2610;
        // 3.5677 / 5.2610 = 0.678 ≤ 0.75: bob alone. TF = 1.
        let mut h = vec![change(A, "x.py", "alice")];
        h.extend((0..12).map(|_| change(M, "x.py", "bob")));
        let m = tf(&["x.py"], h);
        assert_eq!(m.details.removed, vec![("bob".into(), 1)]);
    }

    #[test]
    fn a_creator_below_the_absolute_threshold_stays_an_author() {
        // alice adds x.py; 30 others modify it once each.
        // alice: 4.391 − 0.321·ln 31 = 3.2887 < 3.293, but she added it and is the best: an author.
        // each other: 3.293 + 0.164 − 0.321·ln 30 = 2.3652; / 3.2887 = 0.719 ≤ 0.75: not authors.
        let mut h = vec![change(A, "x.py", "alice")];
        h.extend((0..30).map(|i| change(M, "x.py", &format!("dev{i:02}"))));
        let m = tf(&["x.py"], h);
        assert_eq!(m.value, Some(1.0));
        assert_eq!(m.details.files_without_author, 0);
        assert_eq!(m.details.removed, vec![("alice".into(), 1)]);
    }

    #[test]
    fn a_later_addition_by_someone_else_makes_a_secondary_author() {
        // alice adds d.py and deletes it; bob adds it again. Deletions are ignored
        // and the path keeps its history: both added it (FA = 1, DOA 4.391 each),
        // both author it. Remove alice (tie: smaller key), then bob: TF = 2.
        let h = vec![
            change(A, "d.py", "alice"),
            change(D, "d.py", "alice"),
            change(A, "d.py", "bob"),
        ];
        let m = tf(&["d.py"], h);
        assert_eq!(m.value, Some(2.0));
        assert_eq!(
            m.details.removed,
            vec![("alice".into(), 1), ("bob".into(), 1)]
        );
    }

    #[test]
    fn ties_go_to_the_smaller_key() {
        // One file each for carol, alice and bob: coverage 3/3, remove alice; 2/3,
        // remove bob; 1/3 < 50%: stop. TF = 2, carol is left.
        let h = vec![
            change(A, "c.py", "carol"),
            change(A, "a.py", "alice"),
            change(A, "b.py", "bob"),
        ];
        let m = tf(&["a.py", "b.py", "c.py"], h);
        assert_eq!(
            m.details.removed,
            vec![("alice".into(), 1), ("bob".into(), 1)]
        );
    }

    #[test]
    fn renames_bring_the_old_paths_history() {
        // alice adds a.py; bob renames it to b.py, then to c.py. c.py's history is
        // the two renames and the addition:
        // alice: FA = 1, DL = 0, AC = 2: 4.391 − 0.321·ln 3 = 4.0383 (the best)
        // bob: DL = 2, AC = 0: 3.293 + 0.328 = 3.6210; / 4.0383 = 0.897 > 0.75 and ≥ 3.293.
        // Both author it: TF = 2.
        let h = vec![
            change(A, "a.py", "alice"),
            renamed("a.py", "b.py", "bob"),
            renamed("b.py", "c.py", "bob"),
        ];
        let m = tf(&["c.py"], h);
        assert_eq!(m.value, Some(2.0));
    }

    #[test]
    fn data_prose_and_documentation_are_left_out() {
        // main.py by alice; settings.json by bob (data), notes.txt by carol (prose),
        // README.md by dave (documentation): one file counts, alice authors it. TF = 1.
        // Counting every file would give 4 files, one author each, and TF = 2.
        let h = vec![
            change(A, "main.py", "alice"),
            change(A, "settings.json", "bob"),
            change(A, "notes.txt", "carol"),
            change(A, "README.md", "dave"),
        ];
        let m = tf(&["README.md", "main.py", "notes.txt", "settings.json"], h);
        assert_eq!(m.value, Some(1.0));
        assert_eq!(m.details.files, 1);
        let excluded: Vec<(&str, u64)> = m.details.excluded.into_iter().collect();
        assert_eq!(
            excluded,
            vec![("data", 1), ("documentation", 1), ("prose", 1)]
        );
    }

    #[test]
    fn bots_are_left_out_unless_included() {
        // x.py added by a bot, modified once by alice. Without bots: alice alone
        // (DL 1, DOA 3.457): TF 1. With bots: the bot added it (4.391 − 0.321·ln 2 = 4.1685),
        // alice 3.457 / 4.1685 = 0.829: both authors, TF 2.
        let mut bot = change(A, "x.py", "ci-bot");
        bot.bot = true;
        let h = vec![bot, change(M, "x.py", "alice")];
        let files = tree(&["x.py"]);
        let m = compute(&[(files.clone(), h.clone())], Options::default());
        assert_eq!(m.value, Some(1.0));
        let with_bots = Options {
            include_bots: true,
            ..Options::default()
        };
        assert_eq!(compute(&[(files, h)], with_bots).value, Some(2.0));
    }

    #[test]
    fn a_shallow_boundary_adds_nothing() {
        // A shallow clone's boundary commit is stored without changes, so x.py has
        // no addition: alice's two modifications give DL = 2, FA = 0:
        // 3.293 + 0.328 = 3.621 ≥ 3.293, an author. (git, and the reference, would
        // show the boundary as adding every file, making its author a creator.)
        let h = vec![change(M, "x.py", "alice"), change(M, "x.py", "alice")];
        let m = tf(&["x.py"], h);
        assert_eq!(m.details.removed, vec![("alice".into(), 1)]);
        assert_eq!(m.details.files_without_author, 0);
        // One modification by bob after 40 by others: 3.293 + 0.164 − 0.321·ln 41 = 2.2650,
        // below 3.293 and not a creator: on a file where nobody added, nobody may pass.
        let mut h: Vec<FileChange> = (0..40)
            .map(|i| change(M, "y.py", &format!("d{i:02}")))
            .collect();
        h.push(change(M, "y.py", "bob"));
        let m = tf(&["y.py"], h);
        assert_eq!(m.details.files_without_author, 1);
        assert_eq!(m.value, Some(0.0));
    }

    #[test]
    fn repositories_of_one_project_are_pooled() {
        // Two repositories, one file each, one author each: pooled, 2 files; remove
        // alice → 1/2 = 50%, go on; remove bob → 0: TF = 2. Alone, each would be 1.
        let a = (tree(&["a.py"]), vec![change(A, "a.py", "alice")]);
        let b = (tree(&["b.py"]), vec![change(A, "b.py", "bob")]);
        let m = compute(&[a.clone(), b], Options::default());
        assert_eq!(m.value, Some(2.0));
        assert_eq!(compute(&[a], Options::default()).value, Some(1.0));
    }

    #[test]
    fn no_code_no_value() {
        let m = tf(&["README.md"], vec![change(A, "README.md", "alice")]);
        assert_eq!(m.value, None);
        assert_eq!(m.details.excluded.get("documentation"), Some(&1));
    }
}
