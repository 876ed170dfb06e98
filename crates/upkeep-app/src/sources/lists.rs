//! Reading a mailing list into the store: local mbox files (each read again
//! only when it changed) or an archive month by month (a month over when it
//! was read is never downloaded again; the current one is refreshed). Each
//! part is stored in one transaction, so a run cut off loses nothing and the
//! next one goes on; a part that fails is reported and the rest go on.

use crate::progress;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use upkeep_mail::archive::{Month, Source};
use upkeep_mail::fetch::{Downloader, FetchOptions, Got};
use upkeep_mail::{Parsed, parse_mbox};
use upkeep_store::{ListId, Part, RepoId, Store};

/// How a list is read.
#[derive(Clone, Debug, Default)]
pub struct ListOptions {
    /// The first month read from archives read month by month (HyperKitty,
    /// Apache) and from indexes; seconds since the epoch.
    pub since: Option<i64>,
    /// Now, seconds since the epoch: months before this one are over.
    pub now: i64,
    /// How downloads behave.
    pub fetch: FetchOptions,
}

/// What reading one list did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ListReport {
    /// The list, as stored.
    pub source: String,
    /// Parts (months, files) read in this run.
    pub parts_read: usize,
    /// Parts left alone: read before and over, or unchanged.
    pub parts_unchanged: usize,
    /// Messages new in the store.
    pub new_messages: usize,
    /// Messages read in this run, new or not.
    pub messages_read: usize,
    /// Messages left out, by reason.
    pub skipped: BTreeMap<&'static str, u64>,
    /// Parts that could not be read, with why (they are read again next run).
    pub failed: Vec<(String, String)>,
    /// HTTP requests made.
    pub requests: u64,
}

impl ListOptions {
    /// Defaults at `now`, with the pause between requests from
    /// `UPKEEP_LIST_PAUSE_MS` and the first backoff from
    /// `UPKEEP_FORGE_BACKOFF_MS` when set (tests, mirrors of one's own).
    pub fn at(now: i64, since: Option<i64>) -> Self {
        let mut fetch = FetchOptions::default();
        let ms = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        if let Some(ms) = ms("UPKEEP_LIST_PAUSE_MS") {
            fetch.pause = std::time::Duration::from_millis(ms);
        }
        if let Some(ms) = ms("UPKEEP_FORGE_BACKOFF_MS") {
            fetch.backoff = std::time::Duration::from_millis(ms);
        }
        ListOptions { since, now, fetch }
    }
}

/// Two years of months, when `--since` does not say.
const DEFAULT_MONTHS: i64 = 24;

/// Reads the list `arg` (see [`Source::parse`]) into `store`, tied to `repo` when given.
pub fn mine_list(
    store: &mut Store,
    arg: &str,
    repo: Option<RepoId>,
    options: &ListOptions,
) -> anyhow::Result<ListReport> {
    let source = Source::parse(arg).map_err(anyhow::Error::msg)?;
    let list = store.list(&source.key(), repo)?;
    let mut report = ListReport {
        source: source.key(),
        ..ListReport::default()
    };
    let mut target = Target {
        store,
        list,
        now: options.now,
        report: &mut report,
    };
    match &source {
        Source::Files(path) => read_files(&mut target, path)?,
        _ => read_months(&mut target, &source, options)?,
    }
    Ok(report)
}

fn read_files(target: &mut Target<'_>, path: &Path) -> anyhow::Result<()> {
    let files = upkeep_input::files_under(path)?;
    let bar = progress::counter(files.len(), "mbox files read");
    for file in files {
        bar.inc(1);
        let name = file.display().to_string();
        let meta = match std::fs::metadata(&file) {
            Ok(meta) => meta,
            Err(e) => {
                target.report.failed.push((name, e.to_string()));
                continue;
            }
        };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let stamp = format!("{}:{modified}", meta.len());
        if target
            .store
            .list_part(target.list, &name)?
            .is_some_and(|p| p.stamp.as_deref() == Some(&stamp))
        {
            target.report.parts_unchanged += 1;
            continue;
        }
        let parsed = upkeep_input::read(&file, upkeep_input::Kind::Mbox)
            .map_err(|e| e.reason.to_string())
            .and_then(|bytes| parse_mbox(&bytes).map_err(|e| e.to_string()));
        match parsed {
            Ok(parsed) => target.store(&name, false, Some(&stamp), parsed)?,
            Err(e) => target.report.failed.push((name, e)),
        }
    }
    bar.finish_and_clear();
    Ok(())
}

fn read_months(
    target: &mut Target<'_>,
    source: &Source,
    options: &ListOptions,
) -> anyhow::Result<()> {
    let current = Month::of(options.now).ok_or_else(|| anyhow::anyhow!("the clock is wrong"))?;
    let since = options
        .since
        .and_then(Month::of)
        .or_else(|| Month::of(options.now - DEFAULT_MONTHS * 30 * 86_400))
        .unwrap_or(current);
    let mut downloader = Downloader::new(options.fetch.clone());
    let spinner = progress::spinner(format!("reading the archive of {}", target.report.source));
    let months = downloader.months(source, since, current, &mut |_| {});
    spinner.finish_and_clear();
    let months = months?;
    let bar = progress::counter(months.len(), "months of the list read");
    for file in &months {
        bar.inc(1);
        let name = file.month.label();
        if target
            .store
            .list_part(target.list, &name)?
            .is_some_and(|p| p.closed)
        {
            target.report.parts_unchanged += 1;
            continue;
        }
        let closed = file.month < current;
        match downloader.month(file, &mut |_| {}) {
            Ok(Got::Messages(parsed)) => target.store(&name, closed, None, parsed)?,
            Ok(Got::Missing) => target.store(&name, closed, None, Parsed::default())?,
            Err(e) => target.report.failed.push((name, e.to_string())),
        }
    }
    bar.finish_and_clear();
    target.report.requests = downloader.requests();
    Ok(())
}

/// Where a part read goes: the store's list, and the run's report.
struct Target<'a> {
    store: &'a mut Store,
    list: ListId,
    now: i64,
    report: &'a mut ListReport,
}

impl Target<'_> {
    /// Stores the part `name` (`closed` when over; `stamp` for a file) with what it held.
    fn store(
        &mut self,
        name: &str,
        closed: bool,
        stamp: Option<&str>,
        parsed: Parsed,
    ) -> anyhow::Result<()> {
        let part = Part {
            name,
            closed,
            stamp,
            messages: &parsed.messages,
            skipped: &parsed.skipped,
        };
        let report = &mut *self.report;
        report.new_messages += self.store.store_list_part(self.list, &part, self.now)?;
        report.parts_read += 1;
        report.messages_read += parsed.messages.len();
        for (reason, n) in parsed.skipped {
            *report.skipped.entry(reason).or_default() += n;
        }
        Ok(())
    }
}
