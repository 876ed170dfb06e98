//! One way to print any of the three documents (report, ledger, portfolio)
//! in any format: [`Format`] and the [`Render`] trait.

use upkeep_core::documents::{Comparison, Contributions, Portfolio, Report};

/// An output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// For a terminal: untrusted text made safe, tables fitted to its width.
    #[default]
    Table,
    /// The document's JSON contract (docs/*-json.md).
    Json,
    /// Markdown, to paste or publish.
    Markdown,
    /// Comma-separated values.
    Csv,
    /// One self-contained HTML page with inline SVG charts.
    Html,
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The HTML template failed.
    #[error("cannot render the page: {0}")]
    Html(#[from] askama::Error),
    /// The JSON could not be written.
    #[error("cannot write the JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// A document every format can print.
pub trait Render: serde::Serialize {
    /// For a terminal.
    fn table(&self) -> String;
    /// As Markdown.
    fn markdown(&self) -> String;
    /// As CSV.
    fn csv(&self) -> String;
    /// As one HTML page.
    fn html(&self) -> Result<String, askama::Error>;

    /// In `format`, ending with a newline.
    fn render(&self, format: Format) -> Result<String, RenderError> {
        Ok(match format {
            Format::Table => self.table(),
            Format::Markdown => self.markdown(),
            Format::Csv => self.csv(),
            Format::Html => self.html()?,
            Format::Json => serde_json::to_string_pretty(self)? + "\n",
        })
    }
}

impl Render for Report {
    fn table(&self) -> String {
        crate::table(self)
    }
    fn markdown(&self) -> String {
        crate::markdown(self)
    }
    fn csv(&self) -> String {
        crate::csv(self)
    }
    fn html(&self) -> Result<String, askama::Error> {
        crate::report_html(self)
    }
}

impl Render for Contributions {
    fn table(&self) -> String {
        crate::contributions_table(self)
    }
    fn markdown(&self) -> String {
        crate::contributions_markdown(self)
    }
    fn csv(&self) -> String {
        crate::contributions_csv(self)
    }
    fn html(&self) -> Result<String, askama::Error> {
        crate::contributions_html(self)
    }
}

impl Render for Portfolio {
    fn table(&self) -> String {
        crate::portfolio_table(self)
    }
    fn markdown(&self) -> String {
        crate::portfolio_markdown(self)
    }
    fn csv(&self) -> String {
        crate::portfolio_csv(self)
    }
    fn html(&self) -> Result<String, askama::Error> {
        crate::portfolio_html(self)
    }
}

impl Render for Comparison {
    fn table(&self) -> String {
        crate::comparison_table(self)
    }
    fn markdown(&self) -> String {
        crate::comparison_markdown(self)
    }
    fn csv(&self) -> String {
        crate::comparison_csv(self)
    }
    fn html(&self) -> Result<String, askama::Error> {
        crate::comparison_html(self)
    }
}
