//! Charts as data for the page template: marks (rectangles and dots) placed
//! in an SVG view box, axis ticks, a legend, and the same data as a table (the
//! accessible fallback and the export). Only layout happens here: every value
//! comes from the report's metrics and series.

/// The plot area inside the view box.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;
const RIGHT: f64 = 12.0;

/// One mark: a bar, a heat-map cell or a dot.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Corner radius (half the size for a dot).
    pub r: f64,
    /// The CSS class of its series (`s0`, `s1`, …).
    pub class: String,
    /// Fill opacity, 0–1 (heat maps).
    pub opacity: f64,
    /// The hover title.
    pub tip: String,
}

/// A filled area: a stacked series.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// The polygon's points (`x,y x,y …`).
    pub points: String,
    /// The CSS class of its series.
    pub class: String,
    /// The hover title.
    pub tip: String,
}

/// A tick on an axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Position along the axis, in view-box units.
    pub at: f64,
    /// Its label.
    pub label: String,
}

/// A chart and its data table.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Its anchor id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The metric definition it belongs to (an anchor on the page).
    pub definition: &'static str,
    /// The horizontal axis' label.
    pub x_label: String,
    /// The vertical axis' label.
    pub y_label: String,
    /// The marks.
    pub marks: Vec<Mark>,
    /// The filled areas (stacked series), drawn under the marks.
    pub areas: Vec<Area>,
    /// Ticks on the horizontal axis.
    pub x_ticks: Vec<Tick>,
    /// Ticks on the vertical axis.
    pub y_ticks: Vec<Tick>,
    /// `[class, label]` of each series.
    pub legend: Vec<(String, String)>,
    /// The data table: header, then rows.
    pub table: Vec<Vec<String>>,
    /// What is shown when there is nothing to draw.
    pub empty: Option<String>,
}

impl Chart {
    /// The chart with control and bidirectional characters in its text made
    /// visible (see [`crate::terminal`]): a name cannot reorder what follows it.
    pub fn cleaned(mut self) -> Chart {
        let c = |t: &mut String| *t = crate::text::terminal(t);
        c(&mut self.title);
        for m in &mut self.marks {
            c(&mut m.tip);
        }
        for a in &mut self.areas {
            c(&mut a.tip);
        }
        for t in self.x_ticks.iter_mut().chain(&mut self.y_ticks) {
            c(&mut t.label);
        }
        for (_, label) in &mut self.legend {
            c(label);
        }
        for cell in self.table.iter_mut().flatten() {
            c(cell);
        }
        self
    }

    /// The view box width.
    pub fn width(&self) -> f64 {
        WIDTH
    }

    /// The view box height.
    pub fn height(&self) -> f64 {
        HEIGHT
    }

    /// The plot area's left edge.
    pub fn left(&self) -> f64 {
        LEFT
    }

    /// The plot area's bottom edge.
    pub fn bottom(&self) -> f64 {
        HEIGHT - BOTTOM
    }

    /// The plot area's right edge.
    pub fn right(&self) -> f64 {
        WIDTH - RIGHT
    }

    /// Where the horizontal axis' label sits.
    pub fn x_label_y(&self) -> f64 {
        HEIGHT - 4.0
    }

    /// Where the vertical axis' label sits (rotated).
    pub fn y_label_x(&self) -> f64 {
        14.0
    }

    /// The middle of the plot area, vertically.
    pub fn middle(&self) -> f64 {
        TOP + (HEIGHT - BOTTOM - TOP) / 2.0
    }

    /// The data table's header.
    pub fn header(&self) -> &[String] {
        self.table.first().map_or(&[], Vec::as_slice)
    }

    /// The data table's rows.
    pub fn rows(&self) -> &[Vec<String>] {
        self.table.get(1..).unwrap_or_default()
    }
}

/// A number as a tick label: no decimals when whole, one otherwise.
pub fn short(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Grouped bars: one group per label, one bar per series; `values[s][g]`.
pub fn bars(
    id: &str,
    title: &str,
    definition: &'static str,
    axes: (&str, &str),
    labels: &[String],
    series: &[(&str, Vec<f64>)],
) -> Chart {
    let mut chart = frame(id, title, definition, axes, labels, series);
    let max = largest(series);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let group = plot_w / labels.len().max(1) as f64;
    let bar = (group * 0.8) / series.len().max(1) as f64;
    let scale = if max > 0.0 { plot_h / max } else { 0.0 };
    for (s, (name, values)) in series.iter().enumerate() {
        for (g, v) in values.iter().enumerate() {
            let h = v * scale;
            chart.marks.push(Mark {
                x: LEFT + g as f64 * group + group * 0.1 + s as f64 * bar,
                y: TOP + plot_h - h,
                w: bar.max(0.5),
                h,
                r: 0.0,
                class: format!("s{}", s % 10),
                opacity: 1.0,
                tip: format!("{}: {name} {}", labels[g], short(*v)),
            });
        }
    }
    chart.x_ticks = thinned(labels, group, LEFT + group / 2.0);
    chart.y_ticks = y_ticks(max, plot_h);
    chart
}

/// The largest value of any series.
fn largest(series: &[(&str, Vec<f64>)]) -> f64 {
    series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0, f64::max)
}

/// A chart of `series` over `labels` before anything is drawn: its legend,
/// its data table, and whether it is empty.
fn frame(
    id: &str,
    title: &str,
    definition: &'static str,
    (x_label, y_label): (&str, &str),
    labels: &[String],
    series: &[(&str, Vec<f64>)],
) -> Chart {
    let mut table = vec![
        std::iter::once(x_label.to_owned())
            .chain(series.iter().map(|(n, _)| (*n).to_owned()))
            .collect::<Vec<_>>(),
    ];
    for (g, l) in labels.iter().enumerate() {
        let mut row = vec![l.clone()];
        row.extend(
            series
                .iter()
                .map(|(_, v)| v.get(g).map_or(String::new(), |x| short(*x))),
        );
        table.push(row);
    }
    Chart {
        id: id.to_owned(),
        title: title.to_owned(),
        definition,
        x_label: x_label.to_owned(),
        y_label: y_label.to_owned(),
        marks: Vec::new(),
        areas: Vec::new(),
        x_ticks: Vec::new(),
        y_ticks: Vec::new(),
        legend: series
            .iter()
            .enumerate()
            .map(|(s, (n, _))| (format!("s{}", s % 10), (*n).to_owned()))
            .collect(),
        empty: (labels.is_empty() || largest(series) == 0.0)
            .then(|| "nothing in the window".to_owned()),
        table,
    }
}

fn y_ticks(max: f64, plot_h: f64) -> Vec<Tick> {
    if max <= 0.0 {
        return Vec::new();
    }
    (0..=4)
        .map(|i| {
            let v = max * f64::from(i) / 4.0;
            Tick {
                at: TOP + plot_h - plot_h * f64::from(i) / 4.0,
                label: if max >= 4.0 {
                    format!("{:.0}", v)
                } else {
                    short((v * 10.0).round() / 10.0)
                },
            }
        })
        .collect()
}

/// A heat map: `rows[r][c]` with row and column labels.
pub fn heatmap(
    id: &str,
    title: &str,
    definition: &'static str,
    (x_label, y_label): (&str, &str),
    row_labels: &[&str],
    col_labels: &[String],
    rows: &[Vec<u64>],
) -> Chart {
    let max = rows.iter().flatten().copied().max().unwrap_or(0);
    let cell_w = (WIDTH - LEFT - RIGHT) / col_labels.len().max(1) as f64;
    let cell_h = (HEIGHT - TOP - BOTTOM) / row_labels.len().max(1) as f64;
    let mut marks = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            marks.push(Mark {
                x: LEFT + c as f64 * cell_w,
                y: TOP + r as f64 * cell_h,
                w: cell_w - 1.0,
                h: cell_h - 1.0,
                r: 1.0,
                class: "s0".into(),
                opacity: if max == 0 {
                    0.0
                } else {
                    0.08 + 0.92 * *v as f64 / max as f64
                },
                tip: format!("{} {}: {v}", row_labels[r], col_labels[c]),
            });
        }
    }
    let mut table = vec![
        std::iter::once(y_label.to_owned())
            .chain(col_labels.iter().cloned())
            .collect::<Vec<_>>(),
    ];
    for (r, row) in rows.iter().enumerate() {
        table.push(
            std::iter::once(row_labels[r].to_owned())
                .chain(row.iter().map(u64::to_string))
                .collect(),
        );
    }
    Chart {
        id: id.to_owned(),
        title: title.to_owned(),
        definition,
        x_label: x_label.to_owned(),
        y_label: y_label.to_owned(),
        marks,
        areas: Vec::new(),
        x_ticks: col_labels
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 == 0)
            .map(|(i, l)| Tick {
                at: LEFT + i as f64 * cell_w + cell_w / 2.0,
                label: l.clone(),
            })
            .collect(),
        y_ticks: row_labels
            .iter()
            .enumerate()
            .map(|(i, l)| Tick {
                at: TOP + i as f64 * cell_h + cell_h / 2.0,
                label: (*l).to_owned(),
            })
            .collect(),
        legend: Vec::new(),
        empty: (max == 0).then(|| "nothing in the window".to_owned()),
        table,
    }
}

/// Dots on a time line between `since` and `until` (seconds), one per `(label, time)`.
pub fn timeline(
    id: &str,
    title: &str,
    definition: &'static str,
    (since, until): (i64, i64),
    points: &[(String, i64)],
    note: &str,
) -> Chart {
    let span = (until - since).max(1) as f64;
    let plot_w = WIDTH - LEFT - RIGHT;
    let at = |t: i64| LEFT + plot_w * (t - since) as f64 / span;
    let marks = points
        .iter()
        .enumerate()
        .map(|(i, (label, t))| Mark {
            x: at(*t) - 4.0,
            y: TOP + 20.0 + (i % 5) as f64 * 28.0,
            w: 8.0,
            h: 8.0,
            r: 4.0,
            class: "s0".into(),
            opacity: 1.0,
            tip: format!("{label}: {}", day(*t)),
        })
        .collect();
    let ticks = date_ticks(since, until, &at);
    let mut table = vec![vec!["release".to_owned(), "date".to_owned()]];
    table.extend(points.iter().map(|(l, t)| vec![l.clone(), day(*t)]));
    Chart {
        id: id.to_owned(),
        title: title.to_owned(),
        definition,
        x_label: format!("date (UTC); {note}"),
        y_label: String::new(),
        marks,
        areas: Vec::new(),
        x_ticks: ticks,
        y_ticks: Vec::new(),
        legend: Vec::new(),
        empty: points
            .is_empty()
            .then(|| "no release in the window".to_owned()),
        table,
    }
}

/// One span of a [`spans`] chart: from `start` to `end` (seconds; `None`:
/// still open at the window's end), in the series of CSS class `class`.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// What it is (an advisory's id).
    pub label: String,
    /// When it starts.
    pub start: i64,
    /// When it ends, if it did.
    pub end: Option<i64>,
    /// Its series' CSS class (`s0`, `s1`, …).
    pub class: String,
    /// The data table's cells after the label.
    pub cells: Vec<String>,
}

/// Spans on a time line between `since` and `until`, one lane each (the
/// first 7), a dot at each start; `legend` names the series (class, label),
/// `header` the data table's columns.
pub fn spans(
    id: &str,
    title: &str,
    definition: &'static str,
    (since, until): (i64, i64),
    items: &[Span],
    legend: &[(String, String)],
    header: &[&str],
) -> Chart {
    let (from, to) = items.iter().fold((since, until), |(a, b), s| {
        let end = s.end.unwrap_or(until);
        (a.min(s.start).min(end), b.max(s.start).max(end))
    });
    let span = (to - from).max(1) as f64;
    let plot_w = WIDTH - LEFT - RIGHT;
    let at = |t: i64| LEFT + plot_w * (t - from) as f64 / span;
    let lane = (HEIGHT - TOP - BOTTOM) / 7.0;
    let mut marks = Vec::new();
    for (i, s) in items.iter().take(7).enumerate() {
        let y = TOP + lane * i as f64 + lane / 2.0 - 4.0;
        let end = s.end.unwrap_or(until);
        let (a, b) = (at(s.start.min(end)), at(s.start.max(end)));
        let class = s.class.clone();
        let tip = format!("{}: {}", s.label, s.cells.join(", "));
        marks.push(Mark {
            x: a,
            y: y + 2.0,
            w: (b - a).max(2.0),
            h: 4.0,
            r: 1.0,
            class: class.clone(),
            opacity: if s.end.is_some() { 0.6 } else { 0.3 },
            tip: tip.clone(),
        });
        marks.push(Mark {
            x: at(s.start) - 4.0,
            y,
            w: 8.0,
            h: 8.0,
            r: 4.0,
            class,
            opacity: 1.0,
            tip,
        });
    }
    let x_ticks = date_ticks(from, to, &at);
    let mut table = vec![header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
    table.extend(items.iter().map(|s| {
        std::iter::once(s.label.clone())
            .chain(s.cells.iter().cloned())
            .collect()
    }));
    Chart {
        id: id.to_owned(),
        title: title.to_owned(),
        definition,
        x_label: "date (UTC): a dot at publication, a line to the fixed release".into(),
        y_label: String::new(),
        marks,
        areas: Vec::new(),
        x_ticks,
        y_ticks: Vec::new(),
        legend: legend.to_vec(),
        empty: items
            .is_empty()
            .then(|| "no advisory in the window".to_owned()),
        table,
    }
}

/// Five ticks between `since` and `until` (at a tenth of the span from
/// each end, so that no label runs off the plot), placed by `at`, labelled
/// by month (`Mar 2026`).
fn date_ticks(since: i64, until: i64, at: &dyn Fn(i64) -> f64) -> Vec<Tick> {
    (0..=4)
        .map(|i| {
            let t = since + ((until - since) as f64 * (0.1 + 0.2 * f64::from(i))) as i64;
            Tick {
                at: at(t),
                label: jiff::Timestamp::from_second(t)
                    .map(|t| t.strftime("%b %Y").to_string())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The width of a tick label in view-box units (11 px text: about 6.6 per
/// character, wider than most).
fn text_width(label: &str) -> f64 {
    label.chars().count() as f64 * 6.6
}

/// A label as a tick: a month (`2026-03`) as `Mar 2026`, anything else cut
/// to 12 characters (the hover title and the table keep it whole).
fn tick_label(label: &str) -> String {
    let month = label
        .split_once('-')
        .filter(|(y, m)| y.len() == 4 && m.len() == 2)
        .and_then(|(y, m)| {
            let date = jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, 1).ok()?;
            Some(date.strftime("%b %Y").to_string())
        });
    month.unwrap_or_else(|| clip(label, 12))
}

/// Ticks for `labels` spaced `step` apart from `first`: every k-th label,
/// with k the smallest that keeps the widest label clear of its neighbours,
/// starting from the first label clear of the vertical axis' ticks, and none
/// past the view box's edge.
fn thinned(labels: &[String], step: f64, first: f64) -> Vec<Tick> {
    let shown: Vec<String> = labels.iter().map(|l| tick_label(l)).collect();
    let widest = shown.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let every = match step > 0.0 {
        true => ((widest + 8.0) / step).ceil().max(1.0) as usize,
        false => 1,
    };
    let at = |i: usize| first + i as f64 * step;
    let start = (0..shown.len())
        .find(|i| at(*i) - text_width(&shown[*i]) / 2.0 >= LEFT)
        .unwrap_or(shown.len());
    shown
        .into_iter()
        .enumerate()
        .skip(start)
        .filter(|(i, l)| (i - start) % every == 0 && at(*i) + text_width(l) / 2.0 <= WIDTH)
        .map(|(i, label)| Tick { at: at(i), label })
        .collect()
}

/// Stacked areas: one band per series over the labels, `values[s][g]`
/// stacked in series order (the first at the bottom), to `total` (100 for
/// shares); series `s` in the colour of class `s{classes[s]}`. The first and
/// last points sit half a label in from the plot's edges, so that every
/// label fits.
pub fn stacked(
    id: &str,
    title: &str,
    definition: &'static str,
    (x_label, y_label): (&str, &str),
    labels: &[String],
    (series, classes): (&[(&str, Vec<f64>)], &[usize]),
    total: f64,
) -> Chart {
    let mut chart = frame(id, title, definition, (x_label, y_label), labels, series);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let pad = labels
        .iter()
        .map(|l| text_width(&tick_label(l)) / 2.0 + 2.0)
        .fold(0.0, f64::max)
        .min(plot_w / 4.0);
    let step = match labels.len() {
        0 | 1 => plot_w,
        n => (plot_w - 2.0 * pad) / (n - 1) as f64,
    };
    let x = |g: usize| match labels.len() {
        1 => LEFT + plot_w / 2.0,
        _ => LEFT + pad + g as f64 * step,
    };
    let class = |s: usize| format!("s{}", classes.get(s).copied().unwrap_or(s) % 10);
    let y = |v: f64| TOP + plot_h - plot_h * (v / total).min(1.0);
    let mut below = vec![0.0; labels.len()];
    chart.areas = series
        .iter()
        .enumerate()
        .map(|(s, (name, values))| {
            let above: Vec<f64> = below
                .iter()
                .enumerate()
                .map(|(g, b)| b + values.get(g).copied().unwrap_or(0.0))
                .collect();
            let mut points: Vec<String> = (0..labels.len())
                .map(|g| format!("{:.1},{:.1}", x(g), y(above[g])))
                .collect();
            points.extend(
                (0..labels.len())
                    .rev()
                    .map(|g| format!("{:.1},{:.1}", x(g), y(below[g]))),
            );
            below = above;
            Area {
                points: points.join(" "),
                class: class(s),
                tip: format!(
                    "{name}: {}",
                    values
                        .iter()
                        .map(|v| short(*v))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        })
        .collect();
    chart.x_ticks = thinned(labels, step, x(0));
    chart.y_ticks = y_ticks(total, plot_h);
    for (s, entry) in chart.legend.iter_mut().enumerate() {
        entry.0 = class(s);
    }
    chart
}

/// `text` cut to `max` characters, with an ellipsis when cut (tick labels;
/// the hover title and the table keep the whole text).
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// A time as its UTC day.
pub fn day(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_areas_with_every_quarter_labelled_inside_the_plot() {
        let quarters: Vec<String> = ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
            .iter()
            .map(|q| (*q).to_owned())
            .collect();
        let c = stacked(
            "c",
            "Shares",
            "organizations",
            ("quarter", "%"),
            &quarters,
            (
                &[
                    ("ACME", vec![50.0, 25.0, 25.0, 0.0]),
                    ("unknown", vec![50.0, 75.0, 75.0, 100.0]),
                ],
                &[0, 9],
            ),
            100.0,
        );
        // "2025-Q4" is 46.2 wide: the points sit 25.1 in from each edge of
        // the 572-wide plot, 173.9 apart; the last label ends at 626 < 640.
        let ticks: Vec<(f64, &str)> = c
            .x_ticks
            .iter()
            .map(|t| ((t.at * 10.0).round() / 10.0, t.label.as_str()))
            .collect();
        assert_eq!(
            ticks,
            vec![
                (81.1, "2025-Q4"),
                (255.0, "2026-Q1"),
                (429.0, "2026-Q2"),
                (602.9, "2026-Q3")
            ]
        );
        // ACME on the bottom (at 180): half the 168 high plot (96), then a quarter (138).
        assert!(
            c.areas[0].points.starts_with("81.1,96.0 255.0,138.0"),
            "{}",
            c.areas[0].points
        );
        assert_eq!(c.areas[1].class, "s9");
        assert_eq!(c.legend[1], ("s9".to_owned(), "unknown".to_owned()));
        assert!(c.marks.is_empty());
    }

    #[test]
    fn ticks_thinned_to_what_fits_clear_of_the_axis() {
        let months: Vec<String> = (1..=12).map(|m| format!("2025-{m:02}")).collect();
        // 24 units apart, "Jan 2025" is 52.8 wide: every third label; the
        // first (centred at 60) would cross the axis' ticks, so from the second.
        let ticks = thinned(&months, 24.0, 60.0);
        let shown: Vec<(f64, &str)> = ticks.iter().map(|t| (t.at, t.label.as_str())).collect();
        assert_eq!(
            shown,
            vec![
                (84.0, "Feb 2025"),
                (156.0, "May 2025"),
                (228.0, "Aug 2025"),
                (300.0, "Nov 2025")
            ]
        );
        for pair in ticks.windows(2) {
            assert!(pair[1].at - pair[0].at >= text_width(&pair[0].label));
        }
        // Quarters as they are; a long name cut, whole in the table.
        assert_eq!(tick_label("2026-Q3"), "2026-Q3");
        assert_eq!(tick_label("Bartholomew Featherstonehaugh"), "Bartholomew…");
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let c = bars(
            "c",
            "Commits",
            "activity",
            ("month", "commits"),
            &["2026-01".into(), "2026-02".into()],
            &[("commits", vec![4.0, 2.0])],
        );
        // The tallest bar fills the plot's height (220 − 12 − 40 = 168); the other half.
        assert_eq!(c.marks[0].h, 168.0);
        assert_eq!(c.marks[1].h, 84.0);
        assert_eq!(c.marks[1].tip, "2026-02: commits 2");
        assert_eq!(
            c.table,
            vec![
                vec!["month", "commits"],
                vec!["2026-01", "4"],
                vec!["2026-02", "2"]
            ]
        );
        assert!(c.empty.is_none());
    }
}
