//! Where a sync puts what it fetched: pages with the cursors that resume after them.

use crate::Error;
use std::collections::BTreeMap;
use upkeep_core::advisories::osv::Record;
use upkeep_core::events::{Activity, ForgeItem, ForgeRelease, LoginLink, RepoMeta};

/// One page of forge data, stored atomically with the cursors that follow it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    /// Issues and pull requests, new or changed (replace any stored copy).
    pub items: Vec<ForgeItem>,
    /// Items whose stored activities are replaced by the ones in this batch (complete timelines).
    pub replace_activities_of: Vec<u64>,
    /// The tracker of those items (`None`: the repository's forge; see `ForgeItem::tracker`).
    pub tracker: Option<String>,
    /// Comments, reviews and triage events (a stored one with the same id is replaced).
    pub activities: Vec<Activity>,
    /// Releases (replace any stored one with the same tag).
    pub releases: Vec<ForgeRelease>,
    /// Repository metadata, when fetched.
    pub meta: Option<RepoMeta>,
    /// Logins the forge tied to commit identities.
    pub links: Vec<LoginLink>,
    /// Cursor values to set (`None` removes one).
    pub cursors: Vec<(String, Option<String>)>,
    /// The repository's own security advisories (published), as OSV records.
    pub advisories: Vec<Record>,
}

impl Batch {
    /// A batch that only moves cursors.
    pub fn cursors(cursors: Vec<(String, Option<String>)>) -> Self {
        Batch {
            cursors,
            ..Batch::default()
        }
    }
}

/// Storage for one repository's forge data.
pub trait Sink {
    /// The value of a cursor saved by an earlier batch.
    fn cursor(&self, key: &str) -> Option<String>;
    /// Stores `batch`, all or nothing.
    fn save(&mut self, batch: Batch) -> Result<(), String>;
}

/// Stores `batch` in `sink`, a refusal becoming [`Error::Sink`].
pub(crate) fn save(sink: &mut dyn Sink, batch: Batch) -> Result<(), Error> {
    sink.save(batch).map_err(Error::Sink)
}

/// A sink in memory: what tests and benchmarks use to look at a sync.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    /// The forge's own items, by number.
    pub items: BTreeMap<u64, ForgeItem>,
    /// Items of trackers (`ForgeItem::tracker`), by tracker and number.
    pub tracked: BTreeMap<(String, u64), ForgeItem>,
    /// Activities by id.
    pub activities: BTreeMap<String, Activity>,
    /// Releases by tag.
    pub releases: BTreeMap<String, ForgeRelease>,
    /// The latest metadata.
    pub meta: Option<RepoMeta>,
    /// Login links.
    pub links: Vec<LoginLink>,
    /// Cursors.
    pub cursors: BTreeMap<String, String>,
    /// Batches saved.
    pub batches: u64,
    /// Fail on the batch with this index (0-based), to simulate a crash.
    pub fail_at: Option<u64>,
}

impl Sink for Memory {
    fn cursor(&self, key: &str) -> Option<String> {
        self.cursors.get(key).cloned()
    }

    fn save(&mut self, batch: Batch) -> Result<(), String> {
        if self.fail_at == Some(self.batches) {
            return Err("simulated failure".into());
        }
        self.batches += 1;
        for item in batch.items {
            match item.tracker.clone() {
                Some(tracker) => self.tracked.insert((tracker, item.number), item),
                None => self.items.insert(item.number, item),
            };
        }
        let replaced: std::collections::BTreeSet<u64> =
            batch.replace_activities_of.into_iter().collect();
        self.activities
            .retain(|_, a| a.tracker != batch.tracker || !replaced.contains(&a.number));
        for a in batch.activities {
            self.activities.insert(a.id.clone(), a);
        }
        for r in batch.releases {
            self.releases.insert(r.tag.clone(), r);
        }
        if batch.meta.is_some() {
            self.meta = batch.meta;
        }
        for link in batch.links {
            if !self.links.contains(&link) {
                self.links.push(link);
            }
        }
        for (k, v) in batch.cursors {
            match v {
                Some(v) => self.cursors.insert(k, v),
                None => self.cursors.remove(&k),
            };
        }
        Ok(())
    }
}
