//! The index of many projects: their headline numbers and links to their pages.

use crate::{Report, badges};
use askama::Template;
use upkeep_core::catalog::CATALOG;

/// One project on the index.
pub struct IndexEntry {
    /// Its name.
    pub name: String,
    /// Its page (relative: `NAME/index.html`, or `/projects/NAME/`).
    pub href: String,
    /// Further pages: `[label, href]` (the JSON, the ledger, …).
    pub links: Vec<(String, String)>,
    /// The headline values, in the order of [`columns`].
    pub values: Vec<String>,
    /// How many flags it has.
    pub flags: String,
}

/// The headline columns of the index: the labels of the catalog's badges.
pub fn columns() -> Vec<&'static str> {
    CATALOG
        .iter()
        .filter_map(|e| e.badge)
        .map(|b| b.label)
        .collect()
}

impl IndexEntry {
    /// The entry of `report`, whose page is at `href`.
    pub fn new(name: &str, href: &str, links: Vec<(String, String)>, report: &Report) -> Self {
        IndexEntry {
            name: name.to_owned(),
            href: href.to_owned(),
            links,
            values: badges(report, "").into_iter().map(|b| b.message).collect(),
            flags: match report.flags.len() {
                0 => "none".to_owned(),
                1 => "1 flag".to_owned(),
                n => format!("{n} flags"),
            },
        }
    }

    /// The entry of a project that could not be measured, saying why.
    pub fn failed(name: &str, href: &str, why: &str) -> Self {
        IndexEntry {
            name: name.to_owned(),
            href: href.to_owned(),
            links: Vec::new(),
            values: columns().iter().map(|_| "—".to_owned()).collect(),
            flags: format!("not measured: {why}"),
        }
    }
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    generated_at: &'a str,
    columns: Vec<&'static str>,
    projects: &'a [IndexEntry],
}

/// The index page.
pub fn index_html(projects: &[IndexEntry], generated_at: &str) -> Result<String, askama::Error> {
    IndexPage {
        generated_at,
        columns: columns(),
        projects,
    }
    .render()
    .map(crate::text::page)
}
