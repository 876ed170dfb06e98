//! Badges: small SVG images in the flat shields.io style, with an "as of"
//! title, and the same as shields.io endpoint JSON; for a project's headline
//! metrics, as the metric catalog declares them (`upkeep_core::catalog`):
//! which metrics have one, their text and their tone (red for a single point
//! of failure, orange for two or overdue, green above, blue for counts).

use crate::Report;
use askama::Template;
use serde::Serialize;
use upkeep_core::catalog::{CATALOG, Tone};

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

/// The colour of a tone.
fn color(tone: Tone) -> &'static str {
    match tone {
        Tone::Danger => RED,
        Tone::Warning => ORANGE,
        Tone::Good => GREEN,
        Tone::Neutral => BLUE,
        Tone::Unknown => GREY,
    }
}

/// The badges of a report, as of `as_of` (a date): one per catalog entry that has one.
pub fn badges(report: &Report, as_of: &str) -> Vec<Badge> {
    CATALOG
        .iter()
        .filter_map(|e| e.badge)
        .map(|b| Badge {
            name: b.name,
            label: b.label,
            message: crate::text::terminal(&(b.message)(&report.metrics)),
            color: color((b.tone)(&report.metrics)),
            as_of: as_of.to_owned(),
        })
        .collect()
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
    .map(crate::text::page)
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
