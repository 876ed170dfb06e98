//! Badges: small SVG images in the flat shields.io style, with an "as of"
//! title, and the same as shields.io endpoint JSON; for a project's headline
//! metrics. Colors follow simple thresholds (red for a single point of
//! failure, orange for two, green above); the numbers are the report's.

use crate::Report;
use askama::Template;
use serde::Serialize;

/// A badge's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Badge {
    /// Its file stem and URL name (`bus-factor`).
    pub name: &'static str,
    /// The left text.
    pub label: &'static str,
    /// The right text.
    pub message: String,
    /// The right side's color (`#e05d44`).
    pub color: &'static str,
    /// The date its data is from.
    pub as_of: String,
}

#[derive(Template)]
#[template(path = "badge.svg", escape = "html")]
struct BadgeSvg<'a> {
    label: &'a str,
    message: &'a str,
    color: &'a str,
    as_of: &'a str,
    label_width: u32,
    message_width: u32,
    width: u32,
}

const RED: &str = "#e05d44";
const ORANGE: &str = "#fe7d37";
const GREEN: &str = "#44cc11";
const GREY: &str = "#9f9f9f";
const BLUE: &str = "#007ec6";

/// A factor's color: red at 1, orange at 2, green above, grey when unknown.
fn factor_color(v: Option<f64>) -> &'static str {
    match v {
        None => GREY,
        Some(x) if x <= 1.0 => RED,
        Some(x) if x <= 2.0 => ORANGE,
        Some(_) => GREEN,
    }
}

fn shown(v: Option<f64>) -> String {
    v.map_or_else(|| "unknown".to_owned(), |x| crate::number(Some(x)))
}

/// The badges of a report, as of `as_of` (a date).
pub fn badges(report: &Report, as_of: &str) -> Vec<Badge> {
    let m = &report.metrics;
    let badge = |name, label, message: String, color| Badge {
        name,
        label,
        message,
        color,
        as_of: as_of.to_owned(),
    };
    let last = match (
        &m.releases.details.last_release,
        m.releases.details.days_since_last,
    ) {
        (Some(name), Some(days)) => format!("{}, {days:.0} days ago", crate::text::terminal(name)),
        _ => "none in the window".to_owned(),
    };
    vec![
        badge(
            "bus-factor",
            "bus factor",
            shown(m.bus_factor.value),
            factor_color(m.bus_factor.value),
        ),
        badge(
            "truck-factor",
            "truck factor",
            shown(m.truck_factor.value),
            factor_color(m.truck_factor.value),
        ),
        badge(
            "elephant-factor",
            "elephant factor",
            shown(m.elephant_factor.value),
            factor_color(m.elephant_factor.value),
        ),
        badge(
            "maintainers",
            "maintainers",
            shown(m.maintainers.value),
            factor_color(m.maintainers.value),
        ),
        badge(
            "contributors",
            "active contributors",
            shown(m.contributors.value),
            BLUE,
        ),
        badge(
            "last-release",
            "last release",
            last,
            if m.releases.details.overdue {
                ORANGE
            } else {
                BLUE
            },
        ),
    ]
}

/// Text width in the badge font, roughly: 7 units a character, plus padding.
fn text_width(text: &str) -> u32 {
    text.chars().count() as u32 * 7 + 10
}

/// The badge as an SVG image.
pub fn badge_svg(b: &Badge) -> Result<String, askama::Error> {
    let (label_width, message_width) = (text_width(b.label), text_width(&b.message));
    BadgeSvg {
        label: b.label,
        message: &b.message,
        color: b.color,
        as_of: &b.as_of,
        label_width,
        message_width,
        width: label_width + message_width,
    }
    .render()
}

/// The badge as shields.io endpoint JSON (`https://img.shields.io/endpoint?url=…`).
pub fn badge_json(b: &Badge) -> serde_json::Value {
    serde_json::json!({
        "schemaVersion": 1,
        "label": b.label,
        "message": b.message,
        "color": b.color.trim_start_matches('#'),
    })
}
