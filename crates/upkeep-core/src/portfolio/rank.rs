//! Ranking upstreams: score = criticality × risk × ability. Pure: the health
//! figures come in, nothing is read or fetched here.
//!
//! - criticality = reach × breadth × size × world, where reach is 1 for a direct
//!   dependency, 1/depth for a transitive one (¼ when its depth is unknown),
//!   breadth = 1 + log2(1 + our components depending on it), and
//!   size = 1 + log10(1 + replacement cost in engineer-months) (1 if unknown),
//!   and world = 1 + log10(1 + packages depending on it in the world) / 4
//!   (deps.dev or crates.io, the largest; 1 if unknown);
//! - risk = 0.1 + the points of each risk present (see [`risks`]); an
//!   upstream not mined gets 0.5, "unknown";
//! - ability = 1 + 0.25 per person of ours active there (at most 4) + 0.5
//!   if one of them is a maintainer.

use super::health::Health;
use super::upstreams::Upstream;
use crate::advisories::severity::Level;
use serde::Serialize;

/// One reason an upstream is at risk.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Factor {
    /// A stable id, e.g. `bus_factor_1`.
    pub id: &'static str,
    /// Its weight in the risk score.
    pub points: f64,
    /// In words, for the why-line.
    pub text: String,
}

/// How much we depend on an upstream.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Criticality {
    /// Whether a package of it is a direct dependency.
    pub direct: bool,
    /// Its smallest depth, if known.
    pub depth: Option<usize>,
    /// Our components depending on it directly.
    pub dependents: usize,
    /// Its packages in our inventory.
    pub packages: usize,
    /// Replacement cost in engineer-months, if known.
    pub replacement_engineer_months: Option<f64>,
    /// Packages depending on it in the world and where that count comes from, if known.
    pub world_dependents: Option<(f64, String)>,
    /// reach × breadth × size × world.
    pub score: f64,
}

/// How fragile an upstream is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Risk {
    /// The risks present, heaviest first.
    pub factors: Vec<Factor>,
    /// 0.1 + their points (0.5 when not mined).
    pub score: f64,
}

/// How well placed we are to help.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ability {
    /// Our people active there.
    pub people: usize,
    /// Of them, maintainers.
    pub maintainers: usize,
    /// 1 + 0.25 × min(people, 4) + 0.5 if one is a maintainer.
    pub score: f64,
}

/// One ranked upstream.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    /// 1 for the upstream to look at first.
    pub rank: usize,
    /// The repository.
    pub repository: String,
    /// criticality × risk × ability.
    pub score: f64,
    /// The top factors, in words.
    pub why: String,
    /// Its packages.
    pub packages: Vec<super::upstreams::Listed>,
    /// See [`Criticality`].
    pub criticality: Criticality,
    /// See [`Risk`].
    pub risk: Risk,
    /// See [`Ability`].
    pub ability: Ability,
    /// See [`Health`].
    pub health: Health,
}

/// Days in an average month.
const MONTH_DAYS: f64 = 30.44;

/// The risks present in `health`, heaviest first:
/// bus factor 1 (0.30) or 2 (0.15); truck factor 1 (0.20) or 2 (0.10); a
/// lifecycle state of Inert (0.30), Abandoned (0.40) or Archived (0.50),
/// else no commit for a year or more (0.30), else contributors down 25% or
/// more (0.10);
/// one organization above half of known commits (0.15); no release for two
/// years or more, or never (0.15); an overdue release (0.10); half or more
/// of newcomers' pull requests unanswered (0.15); known vulnerabilities in
/// our pinned versions (0.20 high or critical, else 0.10); slow to fix its
/// own advisories (0.15: a median above 90 days, or a high or critical one
/// unfixed for more than 90 days).
pub fn risks(h: &Health) -> Vec<Factor> {
    let mut out = Vec::new();
    let mut add = |id, points, text: String| out.push(Factor { id, points, text });
    match h.bus_factor {
        Some(b) if b <= 1.0 => add("bus_factor_1", 0.30, "bus factor 1".into()),
        Some(b) if b <= 2.0 => add("bus_factor_2", 0.15, "bus factor 2".into()),
        _ => {}
    }
    match h.truck_factor {
        Some(t) if t <= 1.0 => add("truck_factor_1", 0.20, "truck factor 1".into()),
        Some(t) if t <= 2.0 => add("truck_factor_2", 0.10, "truck factor 2".into()),
        _ => {}
    }
    if let Some(factor) = lifecycle(h) {
        add(factor.id, factor.points, factor.text);
    } else if let Some(days) = h.days_since_last_commit.filter(|d| *d >= 365.0) {
        add(
            "inactive",
            0.30,
            format!("no commit in {} months", months(days)),
        );
    } else if let Some(change) = h.activity_change_pct.filter(|c| *c <= -25.0) {
        add(
            "declining",
            0.10,
            format!("contributors down {}%", -change.round()),
        );
    }
    if let Some((org, share)) = h.top_organization.as_ref().filter(|(_, s)| *s > 0.5) {
        add(
            "one_organization",
            0.15,
            format!("{org} makes {}% of known commits", (share * 100.0).round()),
        );
    }
    // An unmaintained state already says the releases stopped.
    let unmaintained = lifecycle(h).is_some();
    match (
        h.mined && !unmaintained,
        &h.last_release,
        h.days_since_last_release,
    ) {
        (true, None, _) => add("never_released", 0.15, "no release ever tagged".into()),
        (true, Some(_), Some(days)) if days >= 730.0 => {
            add(
                "no_recent_release",
                0.15,
                format!("no release in {} months", months(days)),
            );
        }
        (true, _, _) if h.release_overdue => add("release_overdue", 0.10, "release overdue".into()),
        _ => {}
    }
    if let Some(factor) = exposed(h) {
        add(factor.id, factor.points, factor.text);
    }
    if !h.slow_to_fix.lines.is_empty() {
        add(
            "slow_to_fix",
            0.15,
            format!("slow to fix: {}", h.slow_to_fix.lines.join("; ")),
        );
    }
    if let Some(share) = h.unanswered_newcomers.filter(|s| *s >= 0.5) {
        add(
            "unanswered_newcomers",
            0.15,
            format!(
                "{}% of newcomers' pull requests unanswered",
                (share * 100.0).round()
            ),
        );
    }
    out.sort_by(|a, b| b.points.total_cmp(&a.points));
    out
}

/// The portfolio's signals, as the columns of its heat map: a label and the
/// risk factors (by id) that fall under it.
pub const SIGNALS: [(&str, &[&str]); 8] = [
    ("bus factor", &["bus_factor_1", "bus_factor_2"]),
    ("truck factor", &["truck_factor_1", "truck_factor_2"]),
    ("maintained", &["lifecycle", "inactive", "declining"]),
    ("one organization", &["one_organization"]),
    (
        "releases",
        &["never_released", "no_recent_release", "release_overdue"],
    ),
    ("our vulnerabilities", &["exposed"]),
    ("fixing its own", &["slow_to_fix"]),
    ("newcomers answered", &["unanswered_newcomers"]),
];

/// How an upstream stands on each of [`SIGNALS`]: the factor found under it,
/// if any (`None` for every signal when it was not mined: nothing is known).
pub fn signals(r: &Ranked) -> Vec<Option<&Factor>> {
    SIGNALS
        .iter()
        .map(|(_, ids)| r.risk.factors.iter().find(|f| ids.contains(&f.id)))
        .collect()
}

/// A lifecycle state that says the upstream is not maintained: Inert
/// (0.30, as long silence), Abandoned (0.40), Archived (0.50); it stands
/// for silence and decline, which it includes.
fn lifecycle(h: &Health) -> Option<Factor> {
    let points = match h.lifecycle.as_deref()? {
        "Inert" => 0.30,
        "Abandoned" => 0.40,
        "Archived" => 0.50,
        _ => return None,
    };
    let state = h.lifecycle.clone().unwrap_or_default();
    let why = h.lifecycle_evidence.first().cloned().unwrap_or_default();
    Some(Factor {
        id: "lifecycle",
        points,
        text: format!("{state}: {why}"),
    })
}

/// Known vulnerabilities in our pinned versions: 0.20 when one is high or
/// critical, else 0.10.
fn exposed(h: &Health) -> Option<Factor> {
    let e = &h.exposed;
    (e.advisories > 0).then(|| Factor {
        id: "exposed",
        points: match e.worst {
            Some(level) if level >= Level::High => 0.20,
            _ => 0.10,
        },
        text: format!(
            "{} known vulnerabilit{} in our pinned versions (worst {})",
            e.advisories,
            if e.advisories == 1 { "y" } else { "ies" },
            e.worst.unwrap_or(Level::Unknown).name()
        ),
    })
}

fn months(days: f64) -> i64 {
    (days / MONTH_DAYS).floor() as i64
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Scores and orders `upstreams` (each with its health), highest score first;
/// ties by repository.
pub fn rank(upstreams: Vec<(Upstream, Health)>) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = upstreams
        .into_iter()
        .map(|(u, health)| {
            let months = health.replacement_engineer_months;
            let reach = if u.direct {
                1.0
            } else {
                u.depth.map_or(0.25, |d| 1.0 / d.max(1) as f64)
            };
            let breadth = 1.0 + (1.0 + u.dependents as f64).log2();
            let size = 1.0 + months.map_or(0.0, |m| (1.0 + m).log10());
            let world_dependents = health.world_dependents.as_ref().map(|w| {
                (
                    w.count,
                    format!("{} {}", w.source, w.signal.replace('_', " ")),
                )
            });
            let world = 1.0
                + world_dependents
                    .as_ref()
                    .map_or(0.0, |(n, _)| (1.0 + n).log10() / 4.0);
            let criticality = Criticality {
                direct: u.direct,
                depth: u.depth,
                dependents: u.dependents,
                packages: u.packages.len(),
                replacement_engineer_months: months,
                world_dependents,
                score: round3(reach * breadth * size * world),
            };
            // Not mined: 0.5 for what is not known, plus what is.
            let (base, factors) = match health.mined {
                true => (0.1, risks(&health)),
                false => (0.5, exposed(&health).into_iter().collect()),
            };
            let risk = Risk {
                score: round3(base + factors.iter().map(|f: &Factor| f.points).sum::<f64>()),
                factors,
            };
            let people = health.our_people.len();
            let maintainers = health.our_maintainers.len();
            let ability = Ability {
                people,
                maintainers,
                score: 1.0 + 0.25 * people.min(4) as f64 + if maintainers > 0 { 0.5 } else { 0.0 },
            };
            Ranked {
                rank: 0,
                score: round3(criticality.score * risk.score * ability.score),
                why: why(&criticality, &risk, &ability, &health),
                repository: u.repository,
                packages: u.packages,
                criticality,
                risk,
                ability,
                health,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.repository.cmp(&b.repository))
    });
    for (i, r) in out.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    out
}

/// The why-line: how we depend on it, its top three risks, its size, our people.
fn why(c: &Criticality, r: &Risk, a: &Ability, h: &Health) -> String {
    let mut parts = vec![match (c.direct, c.depth) {
        (true, _) => "direct".to_owned(),
        (false, Some(d)) => format!("transitive (depth {d})"),
        (false, None) => "transitive".to_owned(),
    }];
    if c.dependents > 1 {
        parts.push(format!("used by {} of our components", c.dependents));
    }
    if !h.mined {
        parts.push(format!(
            "not mined{}",
            h.not_mined_reason
                .as_deref()
                .map_or_else(String::new, |why| format!(" ({why})"))
        ));
    }
    parts.extend(r.factors.iter().take(3).map(|f| f.text.clone()));
    if let Some(m) = c.replacement_engineer_months {
        parts.push(format!("replacement ≈ {} engineer-months", m.round()));
    }
    if let Some((n, source)) = &c.world_dependents {
        parts.push(match n.round() as i64 {
            1 => format!("1 package depends on it ({source})"),
            n => format!("{n} packages depend on it ({source})"),
        });
    }
    match (a.people, a.maintainers) {
        (0, _) => {}
        (p, 0) => parts.push(format!("{p} of our people contribute")),
        (p, m) => parts.push(format!("{p} of our people contribute, {m} maintain")),
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_depending_on_it_in_the_world_raise_criticality() {
        // 9,999 dependents on deps.dev: world = 1 + log10(10,000) / 4 = 2;
        // direct, one of our components: criticality 1 × 2 × 1 × 2 = 4.
        let health = Health {
            mined: true,
            world_dependents: Some(crate::portfolio::health::WorldDependents {
                count: 9_999.0,
                signal: "dependents".into(),
                source: "deps.dev".into(),
                as_of: "2026-12-01".into(),
            }),
            ..Health::default()
        };
        let ranked = rank(vec![(upstream("used", true, 1, 1), health)]);
        assert_eq!(ranked[0].criticality.score, 4.0);
        assert!(
            ranked[0]
                .why
                .contains("9999 packages depend on it (deps.dev dependents)"),
            "{}",
            ranked[0].why
        );
    }

    #[test]
    fn each_risk_under_its_signal() {
        // Bus factor 2, never released, 60% of newcomers unanswered.
        let health = Health {
            mined: true,
            bus_factor: Some(2.0),
            unanswered_newcomers: Some(0.6),
            ..Health::default()
        };
        let ranked = rank(vec![(upstream("x", true, 1, 1), health)]);
        let cells: Vec<Option<&str>> = signals(&ranked[0])
            .into_iter()
            .map(|f| f.map(|f| f.id))
            .collect();
        assert_eq!(
            cells,
            [
                Some("bus_factor_2"),
                None,
                None,
                None,
                Some("never_released"),
                None,
                None,
                Some("unanswered_newcomers")
            ]
        );
    }

    fn upstream(name: &str, direct: bool, depth: usize, dependents: usize) -> Upstream {
        Upstream {
            repository: format!("https://github.com/x/{name}"),
            packages: Vec::new(),
            direct,
            depth: Some(depth),
            dependents,
        }
    }

    #[test]
    fn criticality_times_risk_times_ability() {
        // fragile: direct, 1 dependent, 40 engineer-months, bus factor 1, no release for 800 days.
        //   criticality = 1 × (1 + log2 2) × (1 + log10 41) = 2 × 2.6128 = 5.226
        //   risk = 0.1 + 0.30 + 0.15 = 0.55; ability 1 → score 5.226 × 0.55 = 2.874
        let fragile = Health {
            mined: true,
            bus_factor: Some(1.0),
            truck_factor: Some(3.0),
            last_release: Some("v1.0".into()),
            days_since_last_release: Some(800.0),
            replacement_engineer_months: Some(40.0),
            ..Health::default()
        };
        // healthy: transitive at depth 2, 3 dependents, unknown size, no risk, 2 of ours, one maintaining.
        //   criticality = ½ × (1 + log2 4) × 1 = 1.5; risk 0.1; ability 1 + 0.5 + 0.5 = 2 → 0.3
        let healthy = Health {
            mined: true,
            bus_factor: Some(4.0),
            last_release: Some("v2".into()),
            days_since_last_release: Some(20.0),
            our_people: vec!["a".into(), "b".into()],
            our_maintainers: vec!["a".into()],
            ..Health::default()
        };
        // unknown: direct, not mined: criticality 2 × 1 = 2, risk 0.5 → 1.0
        let unknown = Health {
            not_mined_reason: Some("--offline".into()),
            ..Health::default()
        };
        let ranked = rank(vec![
            (upstream("healthy", false, 2, 3), healthy),
            (upstream("unknown", true, 1, 1), unknown),
            (upstream("fragile", true, 1, 1), fragile),
        ]);
        let order: Vec<(&str, f64)> = ranked
            .iter()
            .map(|r| (r.repository.as_str(), r.score))
            .collect();
        assert_eq!(
            order,
            [
                ("https://github.com/x/fragile", 2.874),
                ("https://github.com/x/unknown", 1.0),
                ("https://github.com/x/healthy", 0.3),
            ]
        );
        assert_eq!(
            ranked[0].why,
            "direct; bus factor 1; no release in 26 months; replacement ≈ 40 engineer-months"
        );
        assert_eq!(ranked[1].why, "direct; not mined (--offline)");
        assert_eq!(
            ranked[2].why,
            "transitive (depth 2); used by 3 of our components; 2 of our people contribute, 1 maintain"
        );
    }

    #[test]
    fn known_vulnerabilities_in_our_pinned_versions_add_risk() {
        use crate::advisories::exposure::{AdvisoryCheck, ExposedPackage, Exposure};
        use crate::advisories::severity::Severity;
        use crate::portfolio::health::Exposed;
        use crate::portfolio::upstreams::Listed;
        let exposure = |id: &str, level| Exposure {
            id: id.into(),
            aliases: Vec::new(),
            severity: Severity { level, score: None },
            summary: None,
            fixed_version: Some("4.17.21".into()),
        };
        let check = AdvisoryCheck {
            checked: 2,
            exposed: vec![ExposedPackage {
                package: "pkg:npm/lodash@4.17.20".into(),
                ecosystem: "npm".into(),
                name: "lodash".into(),
                version: "4.17.20".into(),
                advisories: vec![
                    exposure("CVE-2", Level::High),
                    exposure("CVE-1", Level::Low),
                ],
            }],
            ..AdvisoryCheck::default()
        };
        let listed = |purl: &str| Listed {
            name: "lodash".into(),
            version: None,
            purl: Some(purl.into()),
            depth: Some(1),
            source: None,
        };
        // Our pinned lodash 4.17.20 (not 4.17.21) has two advisories, one high.
        let exposed = Exposed::of(
            &check,
            &[
                listed("pkg:npm/lodash@4.17.20"),
                listed("pkg:npm/lodash@4.17.21"),
            ],
        );
        assert_eq!(exposed.advisories, 2);
        assert_eq!(exposed.worst, Some(Level::High));
        assert_eq!(
            exposed.lines[0],
            "lodash@4.17.20: CVE-2 (high), upgrade to 4.17.21"
        );
        // Mined, otherwise healthy: risk 0.1 + 0.20 = 0.3; criticality 2, so 0.6.
        // Not mined: 0.5 + 0.20 = 0.7, criticality 2, so 1.4.
        let mined = Health {
            mined: true,
            bus_factor: Some(5.0),
            last_release: Some("v1".into()),
            days_since_last_release: Some(10.0),
            exposed: exposed.clone(),
            ..Health::default()
        };
        let unknown = Health {
            not_mined_reason: Some("--no-mine".into()),
            exposed,
            ..Health::default()
        };
        let ranked = rank(vec![
            (upstream("a", true, 1, 1), mined),
            (upstream("b", true, 1, 1), unknown),
        ]);
        let scores: Vec<(f64, f64)> = ranked.iter().map(|r| (r.risk.score, r.score)).collect();
        assert_eq!(scores, [(0.7, 1.4), (0.3, 0.6)]);
        assert_eq!(
            ranked[1].why,
            "direct; 2 known vulnerabilities in our pinned versions (worst high)"
        );
    }

    #[test]
    fn an_upstream_slow_to_fix_its_own_advisories_is_a_risk() {
        use crate::metrics::security_response::{self, Evidence, ProjectPackage};
        // One high advisory of its package, published 2023-06-01 and never
        // fixed: 214 days open at the window's end, more than 90.
        let record: crate::advisories::osv::Record = serde_json::from_value(serde_json::json!({
            "id": "GHSA-slow", "published": "2023-06-01T00:00:00Z",
            "database_specific": {"severity": "HIGH"},
            "affected": [{"package": {"ecosystem": "npm", "name": "x"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]
        }))
        .expect("a record");
        let evidence = Evidence {
            records: vec![record],
            packages: vec![ProjectPackage {
                purl: "pkg:npm/x".into(),
                ecosystem: "npm".into(),
                name: "x".into(),
                source: "package.json".into(),
            }],
            ..Evidence::default()
        };
        let window = crate::metrics::Window {
            since: 1_672_531_200,
            until: 1_704_067_200,
        };
        let metric = security_response::compute(Some(&evidence), &[], window);
        let slow = crate::portfolio::health::SlowToFix::of(&metric);
        assert!(slow.checked);
        assert_eq!(slow.lines, ["GHSA-slow (high) unfixed for 214 days"]);
        // Mined, otherwise healthy: 0.1 + 0.15.
        let health = Health {
            mined: true,
            bus_factor: Some(5.0),
            last_release: Some("v1".into()),
            days_since_last_release: Some(10.0),
            slow_to_fix: slow,
            ..Health::default()
        };
        let ranked = rank(vec![(upstream("a", true, 1, 1), health)]);
        assert_eq!(ranked[0].risk.score, 0.25);
        assert_eq!(
            ranked[0].why,
            "direct; slow to fix: GHSA-slow (high) unfixed for 214 days"
        );
        let unchecked =
            crate::portfolio::health::SlowToFix::of(&security_response::compute(None, &[], window));
        assert!(!unchecked.checked && unchecked.lines.is_empty());
    }
}
