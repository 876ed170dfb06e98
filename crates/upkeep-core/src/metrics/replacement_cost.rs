//! Replacement cost: lines of code (counted by tokei) in the tree at the end of
//! the window, leaving out vendored, generated and documentation files, turned
//! into basic COCOMO organic effort: `2.4 × KLOC^1.05` engineer-months.

use super::{Definition, Metric};
use serde::Serialize;

/// COCOMO organic-mode coefficient.
pub const A: f64 = 2.4;
/// COCOMO organic-mode exponent.
pub const B: f64 = 1.05;

/// Lines of code of one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Language {
    /// The language, as tokei names it.
    pub language: String,
    /// Files.
    pub files: u64,
    /// Lines of code.
    pub code: u64,
}

/// What the cost is made of.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Details {
    /// Thousands of lines of code.
    pub kloc: f64,
    /// By language, most code first.
    pub languages: Vec<Language>,
    /// Code files whose content is missing from the repository (a partial clone): not counted.
    pub files_missing: u64,
}

/// Computes the effort in engineer-months from lines of code by language;
/// `files_missing` code files could not be read.
pub fn compute(mut languages: Vec<Language>, files_missing: u64) -> Metric<Details> {
    languages.sort_by(|a, b| {
        b.code
            .cmp(&a.code)
            .then_with(|| a.language.cmp(&b.language))
    });
    let kloc = languages.iter().map(|l| l.code).sum::<u64>() as f64 / 1000.0;
    let any = kloc > 0.0;
    Metric {
        value: any.then(|| (A * kloc.powf(B) * 10.0).round() / 10.0),
        reason: (!any).then(|| {
            "no code that tokei recognizes in the tree at the end of the window".to_owned()
        }),
        details: Details {
            kloc,
            languages,
            files_missing,
        },
        definition: Definition {
            rule: "basic COCOMO, organic mode: effort = 2.4 × KLOC^1.05 engineer-months, KLOC counted by tokei without vendored, generated and documentation files",
            parameters: [("a", serde_json::json!(A)), ("b", serde_json::json!(B))]
                .into_iter()
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cocomo_organic() {
        // 10,000 lines: 2.4 × 10^1.05 = 2.4 × 11.2202 = 26.93 → 26.9 engineer-months.
        let m = compute(
            vec![
                Language {
                    language: "Rust".into(),
                    files: 3,
                    code: 6_000,
                },
                Language {
                    language: "C".into(),
                    files: 1,
                    code: 4_000,
                },
            ],
            2,
        );
        assert_eq!(m.value, Some(26.9));
        assert_eq!(m.details.kloc, 10.0);
        assert_eq!(m.details.languages[0].language, "Rust");
        assert_eq!(m.details.files_missing, 2);
        let none = compute(Vec::new(), 0);
        assert_eq!(none.value, None);
        assert!(none.reason.is_some());
    }
}
