//! A static site of many projects: for each, its report page, the report's
//! JSON, its badges (SVG and shields.io endpoint JSON), and its ledger and
//! portfolio pages when configured; an index of all of them. Files whose
//! content did not change are not rewritten, so a scheduled job publishing to
//! a static host uploads only what changed (the pages carry the data's date,
//! not the run's).

use crate::config::Config;
use crate::documents::contributions::{self, LedgerRequest};
use crate::documents::portfolio::{self, PortfolioOptions};
use crate::documents::report;
use crate::metrics::MeasureOptions;
use crate::paths::rfc3339;
use crate::project::{self, MinedRepo};
use crate::sources::forge::ForgeOptions;
use anyhow::{Context, bail};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use upkeep_core::documents::Report;
use upkeep_core::metrics::Window;
use upkeep_report::IndexEntry;
use upkeep_store::Store;

/// What to publish.
pub struct PublishOptions {
    /// The site's directory.
    pub dir: PathBuf,
    /// The projects: (name, repositories, SBOMs for a portfolio page).
    pub projects: Vec<(String, Vec<String>, Vec<PathBuf>)>,
    /// The window.
    pub window: Window,
    /// The ledger's period when `[organization]` names us.
    pub period: upkeep_core::ledger::periods::PeriodName,
    /// Forge options for mining.
    pub forge: ForgeOptions,
}

/// What a publication did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Published {
    /// Files written (new or changed), relative to the site's directory.
    pub written: Vec<String>,
    /// Files left as they were.
    pub unchanged: usize,
}

impl Published {
    fn write(&mut self, root: &Path, relative: &str, content: &[u8]) -> anyhow::Result<()> {
        // Every file stays inside the site's folder, whatever a name holds.
        let inside = Path::new(relative)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            bail!(
                "refusing to write {relative:?}: it is not a path inside {}",
                root.display()
            );
        }
        let path = root.join(relative);
        if std::fs::read(&path).is_ok_and(|old| old == content) {
            self.unchanged += 1;
            return Ok(());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        // Write beside, then rename: a reader never sees half a file.
        let tmp = path.with_extension("upkeep-tmp");
        std::fs::write(&tmp, content).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
        self.written.push(relative.to_owned());
        Ok(())
    }
}

/// The date of the newest data of `mined`, as RFC 3339: what the pages say they were made from.
fn data_date(mined: &[MinedRepo]) -> String {
    mined
        .iter()
        .filter_map(|m| m.mined_at)
        .max()
        .and_then(rfc3339)
        .unwrap_or_default()
}

/// Publishes every project of `options` into its directory.
pub fn publish(
    store: &mut Store,
    config: &Config,
    options: &PublishOptions,
) -> anyhow::Result<Published> {
    let mut out = Published::default();
    let mut entries = Vec::new();
    let mut newest: Option<String> = None;
    for (name, repositories, sboms) in &options.projects {
        if !crate::config::is_project_name(name) {
            bail!("the project name {name:?} cannot name a folder of a site");
        }
        // Links to the project's pages: its name as one URL segment.
        let href = |page: &str| format!("{}/{page}", url_segment(name));
        let mined = project::mine(store, repositories, &options.forge)?;
        let as_of = data_date(&mined);
        if newest.as_ref().is_none_or(|n| *n < as_of) {
            newest = Some(as_of.clone());
        }
        let mut report = report::report(
            store,
            config,
            &mined,
            options.window,
            MeasureOptions {
                card: true,
                ..MeasureOptions::default()
            },
            options.window.until,
        )?;
        report.generated_at = as_of.clone();
        let mut links = vec![("JSON".to_owned(), href("report.json"))];
        write_report(&mut out, &options.dir, name, &report, &as_of)?;
        write_brief(
            &mut out,
            store,
            config,
            &mined,
            (&options.dir, name),
            options.window.until,
        )?;
        links.push(("quarterly brief".to_owned(), href("brief.html")));
        if let Some(organization) = &config.organization.name {
            let mut ledger = contributions::ledger(
                store,
                config,
                &mined,
                &LedgerRequest {
                    organization,
                    window: options.window,
                    period: options.period,
                    now: options.window.until,
                    dependence: &HashMap::new(),
                },
            )?;
            ledger.generated_at = as_of.clone();
            out.write(
                &options.dir,
                &format!("{name}/contributions.html"),
                upkeep_report::contributions_html(&ledger)?.as_bytes(),
            )?;
            out.write(
                &options.dir,
                &format!("{name}/contributions.json"),
                &json(&ledger)?,
            )?;
            links.push(("our contributions".to_owned(), href("contributions.html")));
        }
        if !sboms.is_empty() {
            let (mut portfolio, _) = portfolio::trace(
                store,
                config,
                &PortfolioOptions {
                    inputs: sboms.clone(),
                    top: None,
                    org: config.organization.name.clone(),
                    offline: false,
                    no_mine: false,
                    allow_local: false,
                    advisories: true,
                    adoption: false,
                    jobs: 4,
                    window: options.window,
                    now: options.window.until,
                },
            )?;
            portfolio.generated_at = as_of.clone();
            out.write(
                &options.dir,
                &format!("{name}/deps.html"),
                upkeep_report::portfolio_html(&portfolio)?.as_bytes(),
            )?;
            out.write(
                &options.dir,
                &format!("{name}/deps.json"),
                &json(&portfolio)?,
            )?;
            links.push(("dependencies".to_owned(), href("deps.html")));
        }
        entries.push(IndexEntry::new(name, &href("index.html"), links, &report));
    }
    let generated = newest.unwrap_or_default();
    out.write(
        &options.dir,
        "index.html",
        upkeep_report::index_html(&entries, &generated, upkeep_report::html::Sort::Anchored)?
            .as_bytes(),
    )?;
    Ok(out)
}

/// `text` as one URL path segment: every byte but letters, digits and
/// `-._~` percent-encoded.
pub fn url_segment(text: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, KEEP).to_string()
}

fn json(value: &impl serde::Serialize) -> anyhow::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The brief of the last complete quarter before `until`, as Markdown and HTML.
fn write_brief(
    out: &mut Published,
    store: &Store,
    config: &Config,
    mined: &[MinedRepo],
    (dir, name): (&Path, &str),
    until: i64,
) -> anyhow::Result<()> {
    let (q, previous) =
        upkeep_core::documents::brief::quarters(None, until).map_err(anyhow::Error::msg)?;
    let brief = super::brief::brief(
        store,
        config,
        mined,
        name,
        (&q, &previous),
        upkeep_core::documents::brief::Template::Plain,
        until,
    )?;
    out.write(
        dir,
        &format!("{name}/brief.md"),
        upkeep_report::brief_markdown(&brief).as_bytes(),
    )?;
    out.write(
        dir,
        &format!("{name}/brief.html"),
        upkeep_report::brief_html(&brief)?.as_bytes(),
    )
}

/// A project's report page, its JSON and its badges.
fn write_report(
    out: &mut Published,
    dir: &Path,
    name: &str,
    report: &Report,
    as_of: &str,
) -> anyhow::Result<()> {
    out.write(
        dir,
        &format!("{name}/index.html"),
        upkeep_report::report_html(report)?.as_bytes(),
    )?;
    out.write(dir, &format!("{name}/report.json"), &json(report)?)?;
    let day = as_of.get(..10).unwrap_or(as_of);
    for badge in upkeep_report::badges(report, day) {
        out.write(
            dir,
            &format!("{name}/badges/{}.svg", badge.name),
            upkeep_report::badge_svg(&badge)?.as_bytes(),
        )?;
        out.write(
            dir,
            &format!("{name}/badges/{}.json", badge.name),
            &json(&upkeep_report::badge_json(&badge))?,
        )?;
    }
    Ok(())
}
