//! Truck factor (Avelino et al., ICPC 2016). Degree of authorship of a
//! developer d on file f: `DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)`,
//! FA = 1 if d created f, DL = d's changes to f (the creation included),
//! AC = others' changes to f. d is an author of f when DOA ≥ 3.293 and
//! DOA ≥ 0.75 × the highest DOA on f. The developer who authors the most
//! files is removed, again and again, until more than 50% of the files have no
//! author left; the truck factor is the number removed.
//!
//! Files are those of the tree at the end of the window, with their whole
//! history before it (renames followed, so a file keeps its history), leaving
//! out vendored, generated and documentation files by path rules like GitHub
//! Linguist's. Bots are left out.

use super::{Definition, Metric};
use crate::events::ChangeKind;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One change to one file, in history order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// The path after the change.
    pub path: String,
    /// For renames, the path before.
    pub old_path: Option<String>,
    /// What happened.
    pub kind: ChangeKind,
    /// The author's key.
    pub person: String,
    /// Whether the author is a bot.
    pub bot: bool,
}

/// Who was removed, and what was considered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Files considered.
    pub files: u64,
    /// Files left out, by reason.
    pub excluded: BTreeMap<&'static str, u64>,
    /// The people removed, in order, with the files each authored when removed.
    pub removed: Vec<(String, u64)>,
}

/// Why a path is left out, if it is: vendored, generated or documentation.
pub fn excluded(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').collect();
    let dirs = &parts[..parts.len() - 1];
    let name = parts.last().copied().unwrap_or_default();
    if dirs.iter().any(|d| {
        matches!(
            *d,
            "vendor"
                | "vendored"
                | "third_party"
                | "third-party"
                | "thirdparty"
                | "node_modules"
                | "bower_components"
                | "external"
                | "extern"
        )
    }) {
        return Some("vendored");
    }
    let generated_names = [
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "cargo.lock",
        "go.sum",
        "poetry.lock",
        "uv.lock",
        "composer.lock",
        "gemfile.lock",
    ];
    let generated_suffixes = [
        ".min.js",
        ".min.css",
        ".pb.go",
        "_pb2.py",
        ".pb.cc",
        ".pb.h",
        ".designer.cs",
        ".g.dart",
        ".map",
    ];
    if generated_names.contains(&name)
        || generated_suffixes.iter().any(|s| name.ends_with(s))
        || name.contains(".generated.")
        || dirs
            .iter()
            .any(|d| matches!(*d, "dist" | "generated" | "gen"))
    {
        return Some("generated");
    }
    let doc_dirs = dirs.first().is_some_and(|d| {
        matches!(
            *d,
            "doc" | "docs" | "documentation" | "man" | "examples" | "example"
        )
    });
    let doc_names = [
        "readme",
        "changelog",
        "changes",
        "news",
        "license",
        "licence",
        "copying",
        "authors",
        "contributors",
        "contributing",
        "code_of_conduct",
        "security",
        "governance",
        "maintainers",
        "codeowners",
    ];
    let stem = name.split('.').next().unwrap_or_default();
    let doc_ext = [
        ".md",
        ".markdown",
        ".rst",
        ".adoc",
        ".asciidoc",
        ".txt",
        ".html",
    ]
    .iter()
    .any(|e| name.ends_with(e));
    if doc_dirs || doc_ext || doc_names.contains(&stem) {
        return Some("documentation");
    }
    None
}

/// Initial DOA value and the author threshold.
const DOA_BASE: f64 = 3.293;
/// Relative threshold on the highest DOA of a file.
const DOA_RELATIVE: f64 = 0.75;

/// Computes the truck factor of a project: for each repository, the files of
/// its tree at the end of the window and its history before it, oldest first.
pub fn compute(repositories: &[(Vec<String>, Vec<FileChange>)]) -> Metric<Details> {
    let mut excluded_counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut authors_of: Vec<Vec<String>> = Vec::new();
    for (files, history) in repositories {
        authors_of.extend(authorship(files, history, &mut excluded_counts));
    }
    remove_until_orphaned(authors_of, excluded_counts)
}

/// The authors of each file of `files`, from `history`; left-out files are counted in `excluded_counts`.
fn authorship(
    files: &[String],
    history: &[FileChange],
    excluded_counts: &mut BTreeMap<&'static str, u64>,
) -> Vec<Vec<String>> {
    // Follow files through history: a path maps to a file identity; renames move it.
    struct File {
        creator: Option<String>,
        changes: HashMap<String, u64>,
    }
    let mut identities: Vec<File> = Vec::new();
    let mut at_path: HashMap<&str, usize> = HashMap::new();
    for change in history.iter().filter(|c| !c.bot) {
        let id = match change.kind {
            ChangeKind::Added => {
                identities.push(File {
                    creator: Some(change.person.clone()),
                    changes: HashMap::new(),
                });
                let id = identities.len() - 1;
                at_path.insert(&change.path, id);
                id
            }
            ChangeKind::Renamed => {
                let from = change.old_path.as_deref().and_then(|p| at_path.remove(p));
                let id = from.unwrap_or_else(|| {
                    identities.push(File {
                        creator: Some(change.person.clone()),
                        changes: HashMap::new(),
                    });
                    identities.len() - 1
                });
                at_path.insert(&change.path, id);
                id
            }
            ChangeKind::Modified => match at_path.get(change.path.as_str()) {
                Some(&id) => id,
                None => {
                    // History before a shallow boundary: nobody is known to have created it.
                    identities.push(File {
                        creator: None,
                        changes: HashMap::new(),
                    });
                    let id = identities.len() - 1;
                    at_path.insert(&change.path, id);
                    id
                }
            },
            ChangeKind::Deleted => {
                at_path.remove(change.path.as_str());
                continue;
            }
        };
        *identities[id]
            .changes
            .entry(change.person.clone())
            .or_default() += 1;
    }

    let mut authors_of: Vec<Vec<String>> = Vec::new();
    for path in files {
        if let Some(reason) = excluded(path) {
            *excluded_counts.entry(reason).or_default() += 1;
            continue;
        }
        let Some(&id) = at_path.get(path.as_str()) else {
            *excluded_counts.entry("no history").or_default() += 1;
            continue;
        };
        let file = &identities[id];
        let total: u64 = file.changes.values().sum();
        let doa: Vec<(&String, f64)> = file
            .changes
            .iter()
            .map(|(person, &dl)| {
                let fa = if file.creator.as_ref() == Some(person) {
                    1.0
                } else {
                    0.0
                };
                let ac = (total - dl) as f64;
                (
                    person,
                    DOA_BASE + 1.098 * fa + 0.164 * dl as f64 - 0.321 * (1.0 + ac).ln(),
                )
            })
            .collect();
        let max = doa.iter().map(|(_, d)| *d).fold(f64::MIN, f64::max);
        let mut authors: Vec<String> = doa
            .iter()
            .filter(|(_, d)| *d >= DOA_BASE && *d >= DOA_RELATIVE * max)
            .map(|(p, _)| (*p).clone())
            .collect();
        authors.sort();
        authors_of.push(authors);
    }
    authors_of
}

/// Removes the developer authoring the most files (ties: by key) until more
/// than half of the files have no author left.
fn remove_until_orphaned(
    mut authors_of: Vec<Vec<String>>,
    excluded_counts: BTreeMap<&'static str, u64>,
) -> Metric<Details> {
    let total_files = authors_of.len();
    let mut removed: Vec<(String, u64)> = Vec::new();
    let orphaned = |authors_of: &[Vec<String>]| authors_of.iter().filter(|a| a.is_empty()).count();
    while total_files > 0 && orphaned(&authors_of) * 2 <= total_files {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for authors in &authors_of {
            for a in authors {
                *counts.entry(a).or_default() += 1;
            }
        }
        let Some((top, n)) = counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(k, n)| ((*k).to_owned(), *n))
        else {
            break;
        };
        for authors in &mut authors_of {
            authors.retain(|a| *a != top);
        }
        removed.push((top, n));
    }
    let any = total_files > 0;
    Metric {
        value: any.then_some(removed.len() as f64),
        reason: (!any)
            .then(|| "no files with history in the tree at the end of the window".to_owned()),
        details: Details {
            files: total_files as u64,
            excluded: excluded_counts,
            removed,
        },
        definition: Definition {
            rule: "Avelino et al. (ICPC 2016): remove the developer authoring the most files (DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC) ≥ 3.293 and ≥ 0.75 × the file's highest) until more than 50% of files have no author",
            parameters: [
                ("doa_absolute", serde_json::json!(DOA_BASE)),
                ("doa_relative", serde_json::json!(DOA_RELATIVE)),
                ("orphaned_files_above", serde_json::json!(0.5)),
                (
                    "excluded",
                    serde_json::json!("vendored, generated and documentation paths"),
                ),
                ("bots_included", serde_json::json!(false)),
            ]
            .into_iter()
            .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    use ChangeKind::{Added as A, Deleted as D, Modified as M};

    #[test]
    fn one_author_per_file_gives_the_expected_removals() {
        // a.rs, b.rs by alice; c.rs by bob; d.rs by carol. Four files.
        // Remove alice (2 files): 2 of 4 orphaned = 50%, not more: go on.
        // Remove bob (1 file; ties with carol broken by key): 3 of 4 orphaned > 50%: stop. TF = 2.
        let h = vec![
            change(A, "a.rs", "alice"),
            change(A, "b.rs", "alice"),
            change(A, "c.rs", "bob"),
            change(A, "d.rs", "carol"),
        ];
        let files: Vec<String> = ["a.rs", "b.rs", "c.rs", "d.rs"].map(String::from).to_vec();
        let m = compute(&[(files, h)]);
        assert_eq!(m.value, Some(2.0));
        assert_eq!(
            m.details.removed,
            vec![("alice".into(), 2), ("bob".into(), 1)]
        );
    }

    #[test]
    fn doa_thresholds_decide_co_authorship() {
        // x.rs: created by alice, then bob changes it 5 times.
        // alice: 3.293 + 1.098 + 0.164·1 − 0.321·ln(6) = 4.5550 − 0.5752 = 3.9798
        // bob:   3.293 + 0 + 0.164·5 − 0.321·ln(2)    = 4.1130 − 0.2225 = 3.8905
        // max 3.9798; 0.75 × max = 2.985: both are authors. Removing one leaves the file authored: TF = 2.
        let mut h = vec![change(A, "x.rs", "alice")];
        h.extend((0..5).map(|_| change(M, "x.rs", "bob")));
        let m = compute(&[(vec!["x.rs".into()], h)]);
        assert_eq!(m.value, Some(2.0));
        // With 12 changes by bob, alice's DOA = 4.555 − 0.321·ln(13) = 3.7317 and bob's
        // 3.293 + 1.968 − 0.321·ln(2) = 5.0385; 0.75 × 5.0385 = 3.779 > 3.7317: bob alone. TF = 1.
        let mut h = vec![change(A, "x.rs", "alice")];
        h.extend((0..12).map(|_| change(M, "x.rs", "bob")));
        let m = compute(&[(vec!["x.rs".into()], h)]);
        assert_eq!(m.details.removed, vec![("bob".into(), 1)]);
    }

    #[test]
    fn rename_chains_keep_history_and_deletions_forget_it() {
        // alice creates a.rs; bob renames it to b.rs, then to c.rs. c.rs keeps the history:
        // alice FA = 1, DL = 1, AC = 2: 3.293 + 1.098 + 0.164 − 0.321·ln(3) = 4.2024;
        // bob DL = 2, AC = 1: 3.293 + 0.328 − 0.321·ln(2) = 3.3985 ≥ 0.75 × 4.2024 = 3.1518.
        // Both author it, so TF = 2.
        let h = vec![
            change(A, "a.rs", "alice"),
            renamed("a.rs", "b.rs", "bob"),
            renamed("b.rs", "c.rs", "bob"),
        ];
        let m = compute(&[(vec!["c.rs".into()], h)]);
        assert_eq!(m.value, Some(2.0));
        // A file deleted and added again starts a new history.
        let h = vec![
            change(A, "d.rs", "alice"),
            change(D, "d.rs", "alice"),
            change(A, "d.rs", "bob"),
        ];
        let m = compute(&[(vec!["d.rs".into()], h)]);
        assert_eq!(m.details.removed, vec![("bob".into(), 1)]);
    }

    #[test]
    fn excluded_paths_and_empty_trees() {
        assert_eq!(excluded("vendor/github.com/x/y.go"), Some("vendored"));
        assert_eq!(excluded("web/node_modules/a/index.js"), Some("vendored"));
        assert_eq!(excluded("static/app.min.js"), Some("generated"));
        assert_eq!(excluded("Cargo.lock"), Some("generated"));
        assert_eq!(excluded("Documentation/git.txt"), Some("documentation"));
        assert_eq!(excluded("README.md"), Some("documentation"));
        assert_eq!(excluded("src/main.rs"), None);
        let m = compute(&[(
            vec!["README.md".into()],
            vec![change(A, "README.md", "alice")],
        )]);
        assert_eq!(m.value, None);
        assert_eq!(m.details.excluded.get("documentation"), Some(&1));
    }
}
