//! How severe an advisory is: the CVSS base score of its vector (v4 first,
//! then v3, computed by RustSec's `cvss`), else the database's own rating
//! (GitHub's `LOW` … `CRITICAL`); unknown stays unknown.

use crate::advisories::osv::Record;
use serde::Serialize;

/// A severity level, in increasing order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Neither a score nor a rating.
    Unknown,
    /// CVSS below 4.
    Low,
    /// CVSS 4 to 6.9.
    Medium,
    /// CVSS 7 to 8.9.
    High,
    /// CVSS 9 and above.
    Critical,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 5] = [
        Level::Unknown,
        Level::Low,
        Level::Medium,
        Level::High,
        Level::Critical,
    ];

    /// The name, as written in every output.
    pub fn name(self) -> &'static str {
        match self {
            Level::Unknown => "unknown",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    fn of_score(score: f64) -> Level {
        match score {
            s if s >= 9.0 => Level::Critical,
            s if s >= 7.0 => Level::High,
            s if s >= 4.0 => Level::Medium,
            s if s > 0.0 => Level::Low,
            _ => Level::Unknown,
        }
    }
}

/// An advisory's severity: its level and, when a vector gave one, its base
/// score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Severity {
    /// The level.
    pub level: Level,
    /// The CVSS base score, 0–10.
    pub score: Option<f64>,
}

/// The severity of `record`.
pub fn of(record: &Record) -> Severity {
    for kind in ["CVSS_V4", "CVSS_V3"] {
        let scored = record
            .severity
            .iter()
            .filter(|s| s.kind == kind)
            .find_map(|s| s.score.parse::<cvss::Cvss>().ok());
        if let Some(cvss) = scored {
            let score = cvss.score();
            return Severity {
                level: Level::of_score(score),
                score: Some(score),
            };
        }
    }
    let rating = record.database_specific["severity"]
        .as_str()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let level = match rating.as_str() {
        "critical" => Level::Critical,
        "high" => Level::High,
        "moderate" | "medium" => Level::Medium,
        "low" => Level::Low,
        _ => Level::Unknown,
    };
    Severity { level, score: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisories::osv::Severity as Score;

    fn record(vectors: &[(&str, &str)], rating: &str) -> Record {
        Record {
            severity: vectors
                .iter()
                .map(|(kind, score)| Score {
                    kind: (*kind).into(),
                    score: (*score).into(),
                })
                .collect(),
            database_specific: serde_json::json!({ "severity": rating }),
            ..Record::default()
        }
    }

    #[test]
    fn vectors_first_then_the_database_rating() {
        // lodash's CVE-2021-23337: AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H is 7.2.
        let v3 = record(
            &[("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H")],
            "",
        );
        assert_eq!(
            of(&v3),
            Severity {
                level: Level::High,
                score: Some(7.2)
            }
        );
        // Everything network-reachable and total: 9.8, critical.
        let v3 = record(
            &[("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")],
            "low",
        );
        assert_eq!(of(&v3).level, Level::Critical);
        let rated = record(&[("CVSS_V3", "not a vector")], "MODERATE");
        assert_eq!(
            of(&rated),
            Severity {
                level: Level::Medium,
                score: None
            }
        );
        assert_eq!(of(&record(&[], "")).level, Level::Unknown);
    }
}
