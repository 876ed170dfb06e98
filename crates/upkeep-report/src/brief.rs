//! The quarterly brief as Markdown (to edit and paste into a board report)
//! and as one HTML page. Only layout: the sentences are composed by
//! `upkeep_core::documents::brief`.

use crate::text::{markdown as md, terminal};
use askama::Template;
use std::fmt::Write;
use upkeep_core::documents::brief::Brief;

/// The brief as Markdown: a heading per section, a paragraph per sentence
/// ending with links to the definitions of the metrics it cites.
pub fn brief_markdown(b: &Brief) -> String {
    let mut out = format!(
        "# {}\n\nWhat changed in {} against {}, from upkeep's metrics; edit freely.\n",
        md(&b.title),
        b.quarter,
        b.previous
    );
    for s in &b.sections {
        let _ = writeln!(out, "\n## {}\n", s.heading);
        if s.sentences.is_empty() {
            let _ = writeln!(out, "Nothing to report.");
        }
        for sentence in &s.sentences {
            let links: Vec<String> = sentence
                .metrics
                .iter()
                .map(|id| format!("[{id}](#{})", id.replace('_', "-")))
                .collect();
            let _ = writeln!(out, "{} ({})\n", md(&sentence.text), links.join(", "));
        }
    }
    let _ = writeln!(out, "\n## Definitions\n");
    for (id, rule) in &b.definitions {
        let _ = writeln!(out, "### {}\n\n{}\n", id.replace('_', "-"), md(rule));
    }
    out
}

/// A section's sentences, each with the ids of the metrics it cites.
type Sentences = Vec<(String, Vec<String>)>;

#[derive(Template)]
#[template(path = "brief.html")]
struct Page {
    title: String,
    intro: Vec<String>,
    sections: Vec<(String, Sentences)>,
    definitions: Vec<(String, String)>,
}

/// The brief as one self-contained HTML page (untrusted text cleaned, and
/// escaped by the template).
pub fn brief_html(b: &Brief) -> Result<String, askama::Error> {
    Page {
        title: terminal(&b.title),
        intro: vec![format!(
            "What changed in {} against {}, from upkeep's metrics.",
            b.quarter, b.previous
        )],
        sections: b
            .sections
            .iter()
            .map(|s| {
                (
                    s.heading.to_owned(),
                    s.sentences
                        .iter()
                        .map(|x| {
                            (
                                terminal(&x.text),
                                x.metrics.iter().map(|m| (*m).to_owned()).collect(),
                            )
                        })
                        .collect(),
                )
            })
            .collect(),
        definitions: b
            .definitions
            .iter()
            .map(|(id, rule)| ((*id).to_owned(), (*rule).to_owned()))
            .collect(),
    }
    .render()
    .map(crate::text::page)
}
