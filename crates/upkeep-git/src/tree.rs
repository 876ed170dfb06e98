//! The files of a commit's tree, for metrics computed on a snapshot (truck factor).

use crate::{GitError, Repository};
use upkeep_core::events::{Oid, RawText};

/// Why a tree could not be listed.
#[derive(Debug, thiserror::Error)]
#[error("could not list the files of commit {commit}")]
pub struct TreeError {
    commit: String,
    #[source]
    source: GitError,
}

/// Every entry below the tree of `commit`.
fn entries(
    repo: &Repository,
    commit: &Oid,
) -> Result<Vec<gix::traverse::tree::recorder::Entry>, TreeError> {
    let fail = |source: GitError| TreeError {
        commit: commit.to_hex(),
        source,
    };
    let local = repo.local();
    let id = gix::ObjectId::try_from(commit.as_bytes()).map_err(|e| fail(Box::new(e)))?;
    let tree = local
        .find_commit(id)
        .map_err(|e| fail(Box::new(e)))?
        .tree()
        .map_err(|e| fail(Box::new(e)))?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse()
        .breadthfirst(&mut recorder)
        .map_err(|e| fail(Box::new(e)))?;
    Ok(recorder.records)
}

/// How much of a file's content [`files`] reads when asked to: enough for
/// Linguist's heuristics, which look at the start of a file.
pub const CONTENT_BYTES: usize = 64 * 1024;

/// A file of a tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEntry {
    /// Its path.
    pub path: RawText,
    /// The start of its content (up to [`CONTENT_BYTES`]), when asked for and readable.
    pub content: Option<Vec<u8>>,
}

/// Every file (blob or symlink; not submodules) in the tree of `commit`, by
/// path, with the start of the content of those for which `want_content` says
/// so (none for a blob missing from a partial clone).
pub fn files(
    repo: &Repository,
    commit: &Oid,
    want_content: impl Fn(&str) -> bool,
) -> Result<Vec<TreeEntry>, TreeError> {
    use gix::objs::Find;
    let local = repo.local();
    let mut buf = Vec::new();
    let mut out = Vec::new();
    for e in entries(repo, commit)?
        .into_iter()
        .filter(|e| e.mode.is_blob() || e.mode.is_link())
    {
        let path = RawText::from(e.filepath.as_slice());
        let content = match want_content(&path.to_string()) {
            true => local
                .objects
                .try_find(&e.oid, &mut buf)
                .map_err(|source| TreeError {
                    commit: commit.to_hex(),
                    source: Box::new(source),
                })?
                .map(|blob| blob.data[..blob.data.len().min(CONTENT_BYTES)].to_vec()),
            false => None,
        };
        out.push(TreeEntry { path, content });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Lines of one language in a tree, counted by tokei.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageLines {
    /// The language's name, as tokei calls it.
    pub language: String,
    /// Files.
    pub files: u64,
    /// Lines of code (not comments or blanks).
    pub code: u64,
}

/// Data and prose formats tokei counts but that are not code to replace
/// (translations, configuration data, markup, text).
const NOT_CODE: &[&str] = &[
    "PO File",
    "JSON",
    "YAML",
    "XML",
    "SVG",
    "CSV",
    "TSV",
    "Plain Text",
    "Markdown",
    "ReStructuredText",
    "AsciiDoc",
    "Org",
    "TeX",
    "Jupyter Notebooks",
    "Autoconf",
];

/// Files without an extension that tokei knows by name.
const NAMED_FILES: &[&str] = &[
    "build",
    "workspace",
    "module",
    "dockerfile",
    "justfile",
    "gnumakefile",
    "makefile",
    "pkgbuild",
    "rakefile",
    "sconstruct",
    "sconscript",
    "snakefile",
];

/// The lines of code in a tree, and the files that could not be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeLines {
    /// By language.
    pub languages: Vec<LanguageLines>,
    /// Files whose blob is missing from the repository (a partial clone): not counted.
    pub missing: u64,
}

/// Lines of code by language in the tree of `commit`, with tokei, leaving out
/// the paths for which `skip` says so. Files tokei does not recognize by name
/// or extension are not counted; files whose blob is missing are counted apart.
pub fn code_lines(
    repo: &Repository,
    commit: &Oid,
    skip: impl Fn(&str) -> bool,
) -> Result<CodeLines, TreeError> {
    let fail = |source: GitError| TreeError {
        commit: commit.to_hex(),
        source,
    };
    let records = entries(repo, commit)?;
    let config = tokei::Config::default();
    let candidates: Vec<(tokei::LanguageType, gix::ObjectId)> = records
        .iter()
        .filter(|e| e.mode.is_blob())
        .filter_map(|entry| {
            let path = entry.filepath.to_string();
            if skip(&path) {
                return None;
            }
            let as_path = std::path::Path::new(&path);
            let by_name = as_path.file_name().is_some_and(|n| {
                NAMED_FILES.contains(&n.to_string_lossy().to_lowercase().as_str())
            });
            if as_path.extension().is_none() && !by_name {
                return None;
            }
            let language = tokei::LanguageType::from_path(as_path, &config)?;
            (!NOT_CODE.contains(&language.name())).then_some((language, entry.oid))
        })
        .collect();
    // Reading and parsing every blob is the slow part: split it over the cores.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = candidates.len().div_ceil(threads).max(1);
    type Counted = Option<(&'static str, u64)>;
    let partials: Vec<Result<Vec<Counted>, GitError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| {
                let config = &config;
                scope.spawn(move || {
                    use gix::objs::Find;
                    let local = repo.local();
                    let mut buf = Vec::new();
                    part.iter()
                        .map(|(language, oid)| {
                            // A blob missing from a partial clone is counted apart, not fatal.
                            let Some(blob) = local.objects.try_find(oid, &mut buf)? else {
                                return Ok(None);
                            };
                            Ok(Some((
                                language.name(),
                                language.parse_from_slice(blob.data, config).code as u64,
                            )))
                        })
                        .collect::<Result<Vec<_>, GitError>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a line-counting thread panicked".into()))
            })
            .collect()
    });
    let mut totals: std::collections::BTreeMap<&'static str, (u64, u64)> =
        std::collections::BTreeMap::new();
    let mut missing = 0;
    for partial in partials {
        for counted in partial.map_err(fail)? {
            let Some((language, code)) = counted else {
                missing += 1;
                continue;
            };
            let total = totals.entry(language).or_default();
            total.0 += 1;
            total.1 += code;
        }
    }
    Ok(CodeLines {
        languages: totals
            .into_iter()
            .map(|(language, (files, code))| LanguageLines {
                language: language.to_owned(),
                files,
                code,
            })
            .collect(),
        missing,
    })
}
