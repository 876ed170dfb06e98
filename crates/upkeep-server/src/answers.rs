//! Computing answers from the store: a project's report, ledger, badges and
//! index, each remembered until the project's data changes (a new mining run
//! or forge sync changes its data version). Synchronous: the routes run these
//! on tokio's blocking threads.

use crate::state::{Answer, Project, State};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use upkeep_app::documents::contributions::{LedgerRequest, ledger};
use upkeep_app::documents::report;
use upkeep_app::documents::site::url_segment;
use upkeep_app::metrics::MeasureOptions;
use upkeep_app::project::{MinedRepo, stored_at};
use upkeep_core::documents::{Contributions, Report};
use upkeep_core::identities::Day;
use upkeep_core::ledger::periods::PeriodName;
use upkeep_core::metrics::Window;
use upkeep_report::IndexEntry;
use upkeep_store::Store;

/// Why a request has no answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// 404: no such project or metric.
    NotFound(String),
    /// 400: a bad parameter.
    BadRequest(String),
    /// 500: the store or a computation failed.
    Internal(String),
    /// 503: too many computations at once, or one too slow.
    Busy(String),
}

impl Failure {
    /// What a client is told: the message with every local path (a word
    /// starting with `/` or `~`, or a `file://` URL) replaced by `<path>`;
    /// the server's log keeps the whole message.
    pub(crate) fn public(&self) -> String {
        let message = match self {
            Failure::NotFound(m)
            | Failure::BadRequest(m)
            | Failure::Internal(m)
            | Failure::Busy(m) => m,
        };
        message
            .split(' ')
            .map(|word| {
                let bare = word.trim_start_matches(['(', '"', '\'', '`', '[']);
                let local =
                    bare.starts_with('/') || bare.starts_with('~') || bare.starts_with("file://");
                if local { "<path>" } else { word }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Internal(format!("{e:#}"))
    }
}

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The window of `since` and `until` (YYYY-MM-DD, optional): by default the
/// 365 days before the start of today (UTC), so answers stay the same all day.
pub(crate) fn window(since: Option<&str>, until: Option<&str>) -> Result<Window, Failure> {
    let parse = |text: &str, name: &str| {
        Day::parse(text)
            .and_then(|d| d.to_string().parse::<jiff::civil::Date>().ok())
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp().as_second())
            .ok_or_else(|| Failure::BadRequest(format!("{name}={text} is not a YYYY-MM-DD date")))
    };
    let now = jiff::Timestamp::now().as_second();
    let until = match until {
        Some(t) => parse(t, "until")?,
        None => now - now.rem_euclid(DAY),
    };
    let since = match since {
        Some(t) => parse(t, "since")?,
        None => until - 365 * DAY,
    };
    // Normalized: no earlier than 1970, no later than tomorrow, so that
    // windows asking for more than any data has share one answer.
    let tomorrow = now - now.rem_euclid(DAY) + DAY;
    let (since, until) = (since.max(0), until.min(tomorrow));
    if since >= until {
        return Err(Failure::BadRequest(
            "the window is empty: since is not before until".into(),
        ));
    }
    Ok(Window { since, until })
}

/// An ETag for `body`.
pub(crate) fn etag(body: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

fn open(state: &State) -> Result<Store, Failure> {
    Store::open_read_only_at(&state.db).map_err(|e| Failure::Internal(e.to_string()))
}

/// The project's repositories in the store, and their data version.
fn repos(store: &Store, project: &Project) -> Result<(Vec<MinedRepo>, String), Failure> {
    let mined = stored_at(store, &project.locations)?;
    let version: Vec<String> = mined
        .iter()
        .map(|m| Ok(format!("{}@{}", m.location, store.data_version(m.id)?)))
        .collect::<Result<_, upkeep_store::StoreError>>()
        .map_err(|e| Failure::Internal(e.to_string()))?;
    Ok((mined, version.join(",")))
}

/// The answer of `key` (a ledger) for data `version`, computed by `make` unless remembered.
fn remembered(
    state: &State,
    key: &str,
    version: &str,
    make: impl FnOnce() -> Result<(Vec<u8>, &'static str), Failure>,
) -> Result<Answer, Failure> {
    if let Some((v, answer)) = state
        .cache
        .lock()
        .map_err(|_| Failure::Internal("cache poisoned".into()))?
        .get(key)
        && v == version
    {
        return Ok(answer.clone());
    }
    let (body, content_type) = make()?;
    let made = answer(body, content_type);
    if let Ok(mut cache) = state.cache.lock() {
        // An answer larger than the whole cache is simply not remembered.
        let _ = cache.put_with_weight(key.to_owned(), (version.to_owned(), made.clone()));
    }
    Ok(made)
}

fn project<'s>(state: &'s State, name: &str) -> Result<&'s Project, Failure> {
    state
        .project(name)
        .ok_or_else(|| Failure::NotFound(format!("no project {name}")))
}

/// The report of project `name` over `window`, computed once per data version.
pub(crate) fn report(state: &State, name: &str, window: Window) -> Result<Arc<Report>, Failure> {
    let store = open(state)?;
    let (mined, version) = repos(&store, project(state, name)?)?;
    let key = format!("{name} {} {}", window.since, window.until);
    let poisoned = || Failure::Internal("cache poisoned".into());
    if let Some((v, r, _)) = state.reports.lock().map_err(|_| poisoned())?.get(&key)
        && *v == version
    {
        return Ok(Arc::clone(r));
    }
    let report = Arc::new(report::report(
        &store,
        &state.config,
        &mined,
        window,
        MeasureOptions {
            card: true,
            ..MeasureOptions::default()
        },
        window.until,
    )?);
    let bytes = serde_json::to_vec(&*report).map_or(0, |j| j.len());
    let _ = state
        .reports
        .lock()
        .map_err(|_| poisoned())?
        .put_with_weight(key, (version, Arc::clone(&report), bytes));
    Ok(report)
}

/// An answer of `body`, with its ETag.
fn answer(body: Vec<u8>, content_type: &'static str) -> Answer {
    Answer {
        etag: etag(&body),
        body,
        content_type,
    }
}

/// A report as `json` or `html` (the report is computed once per data version;
/// rendering it is cheap).
pub(crate) fn report_as(
    state: &State,
    name: &str,
    window: Window,
    html: bool,
) -> Result<Answer, Failure> {
    let r = report(state, name, window)?;
    Ok(if html {
        let page = upkeep_report::report_html(&r).map_err(|e| Failure::Internal(e.to_string()))?;
        answer(page.into_bytes(), "text/html; charset=utf-8")
    } else {
        answer(json(&*r)?, "application/json")
    })
}

/// The ledger of project `name`, remembered.
pub(crate) fn contributions_as(
    state: &State,
    name: &str,
    window: Window,
    period: &str,
    html: bool,
) -> Result<Answer, Failure> {
    let period = PeriodName::parse(period).ok_or_else(|| {
        Failure::BadRequest(format!("period={period}: sprint, month, quarter or year"))
    })?;
    let organization = state.config.organization.name.clone().ok_or_else(|| {
        Failure::NotFound("no ledger: upkeep.toml names no [organization]".into())
    })?;
    let store = open(state)?;
    let (mined, version) = repos(&store, project(state, name)?)?;
    let key = format!(
        "ledger {name} {} {} {period} {html}",
        window.since, window.until
    );
    remembered(state, &key, &version, || {
        let c: Contributions = ledger(
            &store,
            &state.config,
            &mined,
            &LedgerRequest {
                organization: &organization,
                window,
                period,
                now: jiff::Timestamp::now().as_second(),
                dependence: &Default::default(),
            },
        )?;
        Ok(if html {
            let page = upkeep_report::contributions_html(&c)
                .map_err(|e| Failure::Internal(e.to_string()))?;
            (page.into_bytes(), "text/html; charset=utf-8")
        } else {
            (json(&c)?, "application/json")
        })
    })
}

/// A badge of project `name`: `metric` like `bus-factor.svg` or `bus-factor.json`.
pub(crate) fn badge(state: &State, name: &str, metric: &str) -> Result<Answer, Failure> {
    let (stem, svg) = match (metric.strip_suffix(".svg"), metric.strip_suffix(".json")) {
        (Some(stem), _) => (stem, true),
        (_, Some(stem)) => (stem, false),
        _ => {
            return Err(Failure::NotFound(format!(
                "no badge {metric}: ask for NAME.svg or NAME.json"
            )));
        }
    };
    project(state, name)?;
    let r = match report(state, name, window(None, None)?) {
        Ok(r) => r,
        // A project that cannot be measured still has a badge, saying so.
        Err(_) => {
            let spec = upkeep_core::catalog::CATALOG
                .iter()
                .filter_map(|e| e.badge)
                .find(|b| b.name == stem)
                .ok_or_else(|| Failure::NotFound(format!("no badge {stem}")))?;
            let badge = upkeep_report::Badge {
                name: spec.name,
                label: spec.label,
                message: "not measured".into(),
                color: "#9f9f9f",
                as_of: "never".into(),
            };
            return badge_answer(&badge, svg);
        }
    };
    let as_of = r
        .repositories
        .iter()
        .filter_map(|repo| repo.mined_at.as_deref())
        .max()
        .map_or("never", |t| t.get(..10).unwrap_or(t))
        .to_owned();
    let badge = upkeep_report::badges(&r, &as_of)
        .into_iter()
        .find(|b| b.name == stem)
        .ok_or_else(|| Failure::NotFound(format!("no badge {stem}")))?;
    badge_answer(&badge, svg)
}

/// A badge as SVG or as shields.io's JSON.
fn badge_answer(badge: &upkeep_report::Badge, svg: bool) -> Result<Answer, Failure> {
    Ok(if svg {
        let image =
            upkeep_report::badge_svg(badge).map_err(|e| Failure::Internal(e.to_string()))?;
        answer(image.into_bytes(), "image/svg+xml")
    } else {
        answer(json(&upkeep_report::badge_json(badge))?, "application/json")
    })
}

/// The index of every project over `since … until` (by default the last
/// 365 days), sorted by `sort` (see `upkeep_report::html::sort_keys`; by
/// name when not given). Its links keep a window that was asked for.
pub(crate) fn index(
    state: &State,
    (since, until): (Option<&str>, Option<&str>),
    sort: Option<&str>,
) -> Result<Answer, Failure> {
    let keys = upkeep_report::html::sort_keys();
    let sort = sort.unwrap_or("name");
    if !keys.contains(&sort) {
        return Err(Failure::BadRequest(format!(
            "sort={sort:?}: expected one of {}",
            keys.join(", ")
        )));
    }
    let window = window(since, until)?;
    let keep = match since.is_some() || until.is_some() {
        true => format!(
            "&since={}&until={}",
            upkeep_app::paths::date(window.since),
            upkeep_app::paths::date(window.until)
        ),
        false => String::new(),
    };
    let mut entries = Vec::new();
    for p in &state.projects {
        let segment = url_segment(&p.name);
        let href = match keep.is_empty() {
            true => format!("/projects/{segment}/"),
            false => format!("/projects/{segment}/?{}", &keep[1..]),
        };
        // One project that cannot be measured shows why; the others are listed.
        let r = match report(state, &p.name, window) {
            Ok(r) => r,
            Err(failure) => {
                entries.push(IndexEntry::failed(&p.name, &href, &failure.public()));
                continue;
            }
        };
        let mut links = vec![(
            "JSON".to_owned(),
            format!("/api/v1/projects/{segment}/report"),
        )];
        if state.config.organization.name.is_some() {
            links.push((
                "our contributions".to_owned(),
                format!("/projects/{segment}/contributions"),
            ));
        }
        entries.push(IndexEntry::new(&p.name, &href, links, &r));
    }
    let now = upkeep_app::paths::rfc3339(jiff::Timestamp::now().as_second()).unwrap_or_default();
    let page = upkeep_report::index_html(
        &entries,
        &now,
        upkeep_report::html::Sort::Query {
            key: sort,
            keep: &keep,
        },
    )
    .map_err(|e| Failure::Internal(e.to_string()))?;
    let body = page.into_bytes();
    Ok(Answer {
        etag: etag(&body),
        body,
        content_type: "text/html; charset=utf-8",
    })
}

fn json(value: &impl serde::Serialize) -> Result<Vec<u8>, Failure> {
    serde_json::to_vec_pretty(value).map_err(|e| Failure::Internal(e.to_string()))
}
