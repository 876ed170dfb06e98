//! Which files of a tree are code, as GitHub Linguist decides for its
//! language statistics (the filter of the truck factor's reference
//! implementation): not vendored (Linguist's `vendor.yml`), not documentation
//! (`documentation.yml`), not generated (a subset of `generated.rb`, by name),
//! and of a language whose type is *programming* or *markup* (`languages.yml`;
//! data, prose and unknown types are left out).
//!
//! Languages come from Linguist's own data through the `linguist` crate: the
//! file name, then the extension, then, for an extension several languages
//! share, the heuristics on the file's content. When the content cannot settle
//! it, the file counts if any remaining candidate is programming or markup.

use linguist_types::LanguageType;

/// Why a file is not counted as code, if it is not.
pub fn excluded(path: &str) -> Option<&'static str> {
    if is_vendored(path) {
        Some("vendored")
    } else if is_documentation(path) {
        Some("documentation")
    } else if is_generated(path) {
        Some("generated")
    } else {
        None
    }
}

/// What Linguist's language data says of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Code: its language is of type programming or markup.
    Code,
    /// Left out, for this reason (`data`, `prose`, `unknown language`, or a path rule).
    Excluded(&'static str),
    /// The candidates disagree; the file's content decides (see [`classify`]).
    NeedsContent,
}

/// Classifies `path`, with its `content` when known. Without content, a file
/// whose extension several languages of different types share is
/// [`Verdict::NeedsContent`].
pub fn classify(path: &str, content: Option<&str>) -> Verdict {
    if let Some(reason) = excluded(path) {
        return Verdict::Excluded(reason);
    }
    let Ok(candidates) = linguist::detect_language(path, content) else {
        return Verdict::Excluded("unknown language");
    };
    let counted = |t: &LanguageType| matches!(t, LanguageType::Programming | LanguageType::Markup);
    let types: Vec<&LanguageType> = candidates
        .iter()
        .map(|c| &c.definition.language_type)
        .collect();
    match types.as_slice() {
        [] => Verdict::Excluded("unknown language"),
        all if all.iter().all(|t| counted(t)) => Verdict::Code,
        all if all.iter().any(|t| counted(t)) => match content {
            None => Verdict::NeedsContent,
            Some(_) => Verdict::Code,
        },
        all if all.iter().any(|t| matches!(t, LanguageType::Prose)) => Verdict::Excluded("prose"),
        _ => Verdict::Excluded("data"),
    }
}

/// Linguist's `vendor.yml`, as the `linguist` crate carries it.
fn is_vendored(path: &str) -> bool {
    linguist::is_vendored(path).unwrap_or(false)
}

/// Linguist's `documentation.yml`.
fn is_documentation(path: &str) -> bool {
    let first_dir = |names: &[&str]| {
        path.split_once('/')
            .is_some_and(|(dir, _)| names.contains(&dir))
    };
    let any_dir = |names: &[&str]| {
        let mut parts: Vec<&str> = path.split('/').collect();
        parts.pop();
        parts.iter().any(|d| names.contains(d))
    };
    let name = path.rsplit('/').next().unwrap_or(path);
    // `(^|/)NAME(\.|$)`: the name itself, or the name followed by a dot.
    let named = |stems: &[&str]| {
        stems.iter().any(|stem| {
            name.strip_prefix(stem)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    };
    first_dir(&[
        "doc", "docs", "Doc", "Docs", "man", "Man", "examples", "Examples", "demo", "demos",
        "Demo", "Demos", "sample", "samples", "Sample", "Samples",
    ]) || any_dir(&[
        "documentation",
        "Documentation",
        "groovydoc",
        "Groovydoc",
        "javadoc",
        "Javadoc",
    ]) || path.contains("inst/doc/")
        || named(&[
            "CHANGE",
            "CHANGES",
            "CHANGELOG",
            "CONTRIBUTING",
            "COPYING",
            "INSTALL",
            "LICENSE",
            "LICENCE",
            "License",
            "Licence",
            "license",
            "licence",
            "README",
            "Readme",
            "readme",
        ])
        || name.starts_with("CITATION")
}

/// The part of Linguist's `generated.rb` decided by the name alone: lockfiles,
/// minified files and source maps, protocol-buffer and other generated sources.
fn is_generated(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    const NAMES: &[&str] = &[
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "cargo.lock",
        "go.sum",
        "poetry.lock",
        "uv.lock",
        "composer.lock",
        "gemfile.lock",
        "pipfile.lock",
        "flake.lock",
        "deno.lock",
    ];
    const SUFFIXES: &[&str] = &[
        ".min.js",
        ".min.css",
        ".js.map",
        ".css.map",
        ".pb.go",
        "_pb2.py",
        "_pb2_grpc.py",
        ".pb.cc",
        ".pb.h",
        ".designer.cs",
        ".g.dart",
        ".freezed.dart",
    ];
    NAMES.contains(&name.as_str())
        || SUFFIXES.iter().any(|s| name.ends_with(s))
        || name.contains(".generated.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_rules_follow_linguist() {
        assert_eq!(excluded("vendor/github.com/x/y.go"), Some("vendored"));
        assert_eq!(excluded("web/node_modules/a/index.js"), Some("vendored"));
        assert_eq!(excluded("static/app.min.js"), Some("vendored"));
        assert_eq!(excluded("third_party/zlib/inflate.c"), Some("vendored"));
        assert_eq!(excluded("Cargo.lock"), Some("generated"));
        assert_eq!(excluded("api/v1/service.pb.go"), Some("generated"));
        assert_eq!(excluded("Documentation/git.txt"), Some("documentation"));
        assert_eq!(excluded("docs/conf.py"), Some("documentation"));
        assert_eq!(excluded("README.md"), Some("documentation"));
        assert_eq!(excluded("LICENSE"), Some("documentation"));
        assert_eq!(excluded("src/main.rs"), None);
        assert_eq!(excluded("src/docs/parser.rs"), None);
    }

    #[test]
    fn languages_decide_by_type() {
        assert_eq!(classify("src/lib.py", None), Verdict::Code);
        assert_eq!(classify("web/index.html", None), Verdict::Code);
        assert_eq!(classify("Makefile", None), Verdict::Code);
        assert_eq!(
            classify("config/settings.json", None),
            Verdict::Excluded("data")
        );
        assert_eq!(classify("ci.yaml", None), Verdict::Excluded("data"));
        assert_eq!(classify("data/train.csv", None), Verdict::Excluded("data"));
        assert_eq!(classify("notes.txt", None), Verdict::Excluded("prose"));
        assert_eq!(
            classify("logo.png", None),
            Verdict::Excluded("unknown language")
        );
        // `.rs` is Rust, RenderScript (programming) or XML (data): the content decides.
        assert_eq!(classify("src/main.rs", None), Verdict::NeedsContent);
        assert_eq!(
            classify("src/main.rs", Some("fn main() {}\n")),
            Verdict::Code
        );
        // `.md` is Markdown (prose) or GCC machine description (programming).
        assert_eq!(classify("notes/plan.md", None), Verdict::NeedsContent);
        assert_eq!(
            classify("notes/plan.md", Some("# Plan\n\nSome text.\n")),
            Verdict::Excluded("prose")
        );
    }
}
