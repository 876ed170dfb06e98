//! The index of many projects side by side: a row each with its lifecycle
//! state, its key figures (value, change against a year before, quarterly
//! sparkline) and its flags, sortable without a script; then the portfolio
//! as a heat map of projects × signals (the badges' tones).
//!
//! Sorting: a published index holds one table per sort key and shows the one
//! its address names (`#by-bus_factor`, CSS `:target`); `serve` sorts on the
//! server (`?sort=bus_factor`).

use super::card::{self, TileView};
use crate::Report;
use askama::Template;
use upkeep_core::catalog::card::{Better, TILES};
use upkeep_core::catalog::{CATALOG, Tone, Unit, headline};

/// One project on the index.
pub struct IndexEntry {
    /// Its name.
    pub name: String,
    /// Its page (relative: `NAME/index.html`, or `/projects/NAME/`).
    pub href: String,
    /// Further pages: `[label, href]` (the JSON, the ledger, …).
    pub links: Vec<(String, String)>,
    /// Its lifecycle state, in words.
    pub state: String,
    /// The state's position in `lifecycle::State::ALL` (later is worse).
    state_rank: Option<f64>,
    /// Its key figures, one per tile of the card (none when not measured).
    pub tiles: Vec<Option<TileView>>,
    /// The tiles' values, for sorting.
    values: Vec<Option<f64>>,
    /// Its signals for the heat map: (message, tone class), in the order of [`columns`].
    pub signals: Vec<(String, &'static str)>,
    /// How many flags it has, in words.
    pub flags: String,
    /// How many flags it has (a project not measured counts as most).
    flag_count: usize,
}

/// The heat map's columns: the labels of the catalog's badges.
pub fn columns() -> Vec<&'static str> {
    CATALOG
        .iter()
        .filter_map(|e| e.badge)
        .map(|b| b.label)
        .collect()
}

/// The keys the index sorts by: `name`, `state`, each tile's metric, `flags`.
pub fn sort_keys() -> Vec<&'static str> {
    ["name", "state"]
        .into_iter()
        .chain(TILES.iter().map(|t| t.metric))
        .chain(["flags"])
        .collect()
}

fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Danger => "danger",
        Tone::Warning => "warning",
        Tone::Good => "good",
        Tone::Neutral => "neutral",
        Tone::Unknown => "unknown",
    }
}

impl IndexEntry {
    /// The entry of `report`, whose page is at `href`.
    pub fn new(name: &str, href: &str, links: Vec<(String, String)>, report: &Report) -> Self {
        let state = headline(&report.metrics)
            .into_iter()
            .find(|l| l.unit == Unit::State);
        let found: Vec<Option<&upkeep_core::catalog::card::Tile>> = TILES
            .iter()
            .map(|spec| {
                report
                    .card
                    .iter()
                    .find(|t| t.metric == spec.metric && t.label == spec.label)
            })
            .collect();
        IndexEntry {
            name: crate::text::terminal(name),
            href: href.to_owned(),
            links,
            state: state
                .as_ref()
                .map_or_else(|| "—".to_owned(), |l| l.shown.clone()),
            state_rank: state.and_then(|l| l.value),
            values: found.iter().map(|t| t.and_then(|t| t.value)).collect(),
            tiles: found.iter().map(|t| t.map(card::tile)).collect(),
            signals: CATALOG
                .iter()
                .filter_map(|e| e.badge)
                .map(|b| {
                    (
                        crate::text::terminal(&(b.message)(&report.metrics)),
                        tone_class((b.tone)(&report.metrics)),
                    )
                })
                .collect(),
            flags: match report.flags.len() {
                0 => "none".to_owned(),
                1 => "1 flag".to_owned(),
                n => format!("{n} flags"),
            },
            flag_count: report.flags.len(),
        }
    }

    /// The entry of a project that could not be measured, saying why.
    pub fn failed(name: &str, href: &str, why: &str) -> Self {
        IndexEntry {
            name: crate::text::terminal(name),
            href: href.to_owned(),
            links: Vec::new(),
            state: "not measured".to_owned(),
            state_rank: None,
            tiles: TILES.iter().map(|_| None).collect(),
            values: TILES.iter().map(|_| None).collect(),
            signals: columns()
                .iter()
                .map(|_| ("—".to_owned(), "unknown"))
                .collect(),
            flags: format!("not measured: {}", crate::text::terminal(why)),
            flag_count: usize::MAX,
        }
    }
}

/// What an order sorts by: an entry's value.
type Pick = Box<dyn Fn(&IndexEntry) -> Option<f64>>;

/// `entries` in the order of `key` (see [`sort_keys`]), the most worrying
/// first: the latest lifecycle state, the weakest figure, the most flags;
/// unknown values last, ties by name.
pub fn sorted<'a>(entries: &'a [IndexEntry], key: &str) -> Vec<&'a IndexEntry> {
    let mut out: Vec<&IndexEntry> = entries.iter().collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    let pick: Option<(Pick, bool)> = match key {
        "state" => Some((Box::new(|e| e.state_rank), true)),
        "flags" => Some((Box::new(|e| Some(e.flag_count as f64)), true)),
        _ => TILES.iter().position(|t| t.metric == key).map(|i| {
            let pick: Pick = Box::new(move |e| e.values[i]);
            (pick, TILES[i].better == Better::Lower)
        }),
    };
    if let Some((pick, worst_high)) = pick {
        out.sort_by(|a, b| match (pick(a), pick(b)) {
            (Some(x), Some(y)) if worst_high => y.total_cmp(&x),
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    out
}

/// A sorted table of the index.
struct SortedTable<'a> {
    /// Its anchor (`by-KEY`).
    id: String,
    /// What it is sorted by, in words.
    by: String,
    /// Its rows.
    rows: Vec<&'a IndexEntry>,
}

/// How the index's header links sort.
pub enum Sort<'a> {
    /// Every order as its own table in the page, each header linking to its
    /// table's anchor (a published, static index).
    Anchored,
    /// One table in the order `key`, each header linking to `?sort=KEY`
    /// followed by `keep` (`&since=…&until=…`, or nothing) (`serve`).
    Query {
        /// The order shown.
        key: &'a str,
        /// What the header links keep of the address.
        keep: &'a str,
    },
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    generated_at: &'a str,
    count: usize,
    headers: Vec<Header>,
    tables: Vec<SortedTable<'a>>,
    columns: Vec<&'static str>,
    projects: &'a [IndexEntry],
}

/// What a sort key is called in the header: (short, in full).
fn header(key: &str) -> (String, String) {
    match TILES.iter().find(|t| t.metric == key) {
        Some(t) => (t.short.to_owned(), t.label.to_owned()),
        None => {
            let name = if key == "name" { "project" } else { key };
            (name.to_owned(), name.to_owned())
        }
    }
}

/// A header of the index: its text, its link, its text in full.
type Header = (String, String, String);

/// The index page.
pub fn index_html(
    projects: &[IndexEntry],
    generated_at: &str,
    sort: Sort<'_>,
) -> Result<String, askama::Error> {
    let table = |key: &str| SortedTable {
        id: format!("by-{key}"),
        by: header(key).1,
        rows: sorted(projects, key),
    };
    let (headers, tables) = match sort {
        Sort::Anchored => (
            sort_keys()
                .into_iter()
                .map(|k| {
                    let (short, full) = header(k);
                    (short, format!("#by-{k}"), full)
                })
                .collect(),
            sort_keys().into_iter().map(table).collect(),
        ),
        Sort::Query { key, keep } => (
            sort_keys()
                .into_iter()
                .map(|k| {
                    let (short, full) = header(k);
                    (short, format!("?sort={k}{keep}"), full)
                })
                .collect(),
            vec![table(key)],
        ),
    };
    IndexPage {
        generated_at,
        count: projects.len(),
        headers,
        tables,
        columns: columns(),
        projects,
    }
    .render()
    .map(crate::text::page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        name: &str,
        state: Option<f64>,
        bus: Option<f64>,
        response: Option<f64>,
    ) -> IndexEntry {
        let mut e = IndexEntry::failed(name, "", "");
        e.state_rank = state;
        e.flag_count = name.len();
        let at = |m: &str| TILES.iter().position(|t| t.metric == m).expect("a tile");
        e.values[at("bus_factor")] = bus;
        e.values[at("first_response")] = response;
        e
    }

    #[test]
    fn sorted_most_worrying_first_unknown_last() {
        let entries = [
            entry("beta", Some(0.0), Some(3.0), Some(10.0)),
            entry("alpha", Some(2.0), None, Some(40.0)),
            entry("gamma", None, Some(1.0), None),
            entry("delta", Some(2.0), Some(1.0), Some(5.0)),
        ];
        let names = |key: &str| -> Vec<String> {
            sorted(&entries, key)
                .iter()
                .map(|e| e.name.clone())
                .collect()
        };
        assert_eq!(names("name"), ["alpha", "beta", "delta", "gamma"]);
        // A later state is worse; ties by name; unknown last.
        assert_eq!(names("state"), ["alpha", "delta", "beta", "gamma"]);
        // The smallest bus factor first.
        assert_eq!(names("bus_factor"), ["delta", "gamma", "beta", "alpha"]);
        // The slowest first response first.
        assert_eq!(names("first_response"), ["alpha", "beta", "delta", "gamma"]);
        assert_eq!(names("flags"), ["alpha", "delta", "gamma", "beta"]);
        assert_eq!(sort_keys().len(), TILES.len() + 3);
    }
}
