//! The report's charts as inline SVG, generated here: a stacked bar per goal
//! and a small line chart per indicator. Hand-written SVG rather than a
//! vendored charting library: two chart kinds need a few hundred lines, the
//! page stays free of JavaScript (nothing runs or is fetched at view time),
//! prints as sharp vectors, and every mark is a DOM element a test can count.
//!
//! Every text that comes from the inputs goes through [`esc`].

use std::fmt::Write as _;

use super::esc;

/// What a point of an indicator's chart stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    Actual,
    Target,
    Baseline,
}

impl PointKind {
    /// CSS class suffix (and the `data-kind` value).
    pub fn name(self) -> &'static str {
        match self {
            PointKind::Actual => "actual",
            PointKind::Target => "target",
            PointKind::Baseline => "baseline",
        }
    }
}

/// One plotted observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Position on the time axis in fiscal years: 2021.25 is the end of Q1 of FY2021.
    pub x: f64,
    pub y: f64,
    pub kind: PointKind,
    /// Its tooltip and spoken text: period, kind and value as printed.
    pub label: String,
}

/// One bar of a stacked chart: its label and the four status counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub counts: [i64; 4],
}

/// A horizontal stacked bar per fiscal year, the statuses in the order of
/// [`super::STATUSES`], scaled to the largest total so years compare.
/// `title` and `desc` are the chart's accessible name and description.
pub fn stacked_bars(id: &str, title: &str, desc: &str, bars: &[Bar], status_labels: &[String; 4]) -> String {
    const W: f64 = 360.0;
    const LABEL: f64 = 64.0;
    const ROW: f64 = 22.0;
    const LEGEND: f64 = 22.0;
    let h = LEGEND + ROW * bars.len() as f64 + 4.0;
    let max = bars
        .iter()
        .map(|b| b.counts.iter().map(|c| (*c).max(0)).sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let scale = (W - LABEL - 8.0) / max;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart bars" viewBox="0 0 {W} {h}" role="img" aria-labelledby="{id}-t {id}-d" preserveAspectRatio="xMinYMin meet"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    // Legend: a swatch and the label of each status.
    let mut x = 0.0;
    for (k, name) in super::STATUSES.iter().enumerate() {
        let label = &status_labels[k];
        let _ = write!(
            s,
            r#"<rect class="seg-{name}" x="{x}" y="4" width="10" height="10"/><text class="legend" x="{}" y="13">{}</text>"#,
            x + 13.0,
            esc(label)
        );
        x += 16.0 + 12.0 * label.chars().count() as f64;
    }
    for (r, bar) in bars.iter().enumerate() {
        let y = LEGEND + ROW * r as f64;
        let _ = write!(
            s,
            r#"<g class="bar"><text class="axis" x="0" y="{}">{}</text>"#,
            y + 14.0,
            esc(&bar.label)
        );
        let mut x = LABEL;
        for (k, name) in super::STATUSES.iter().enumerate() {
            let n = bar.counts[k].max(0);
            let w = n as f64 * scale;
            let _ = write!(
                s,
                r#"<rect class="seg seg-{name}" data-status="{name}" data-n="{n}" x="{x:.1}" y="{y}" width="{w:.1}" height="{}"><title>{} {n}</title></rect>"#,
                ROW - 6.0,
                esc(&status_labels[k])
            );
            // The count inside its segment when it fits; the table beside has them all.
            if n > 0 && w >= 14.0 {
                let _ = write!(
                    s,
                    r#"<text class="n" x="{:.1}" y="{}" aria-hidden="true">{n}</text>"#,
                    x + w / 2.0,
                    y + 12.0
                );
            }
            x += w;
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// Compact axis number in the largest of `units` (size, suffix; largest
/// first) it reaches: 15000000 with 万 at 10⁴ → 1500万; 0.5 → 0.5.
pub fn axis_number(v: f64, units: &[(f64, String)]) -> String {
    match units.iter().find(|(size, _)| *size > 0.0 && v.abs() >= *size) {
        Some((size, suffix)) => format!("{}{suffix}", trim(v / size, 1)),
        None => trim(v, 1),
    }
}

/// `v` with at most `decimals` decimals, trailing zeros dropped.
pub fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// An indicator's chart: every numeric observation a mark (actuals filled
/// circles joined by a line, yearly targets hollow diamonds with a dashed
/// line across their year, baselines hollow circles), fiscal years as bands.
/// `units` label the value axis (see [`axis_number`]).
pub fn line_chart(id: &str, title: &str, desc: &str, points: &[Point], units: &[(f64, String)]) -> String {
    const W: f64 = 320.0;
    const H: f64 = 130.0;
    const L: f64 = 40.0;
    const R: f64 = 8.0;
    const T: f64 = 8.0;
    const B: f64 = 18.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart line" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" data-points="{}"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        points.len(),
        esc(title),
        esc(desc)
    );
    let finite = points.iter().filter(|p| p.x.is_finite() && p.y.is_finite());
    let (mut x0, mut x1, mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64, f64::NEG_INFINITY);
    for p in finite {
        x0 = x0.min((p.x - 1e-9).floor());
        x1 = x1.max(p.x.ceil());
        lo = lo.min(p.y);
        hi = hi.max(p.y);
    }
    if !x0.is_finite() || !x1.is_finite() {
        // Nothing plottable: an empty frame, marks (if any) at its corner.
        (x0, x1, hi) = (0.0, 1.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    // The axis is labelled at the largest value, the headroom above it left bare.
    let top = hi;
    hi += (hi - lo) * 0.08;
    let px = |x: f64| L + (x - x0) / (x1 - x0) * (W - L - R);
    let py = |y: f64| T + (hi - y) / (hi - lo) * (H - T - B);
    // Year bands, labelled under the axis.
    let years = (x1 - x0).round() as i64;
    for k in 0..years.clamp(0, 200) {
        let fy = x0 as i64 + k;
        let (a, b) = (px(fy as f64), px(fy as f64 + 1.0));
        let _ = write!(
            s,
            r#"<rect class="band{}" x="{a:.1}" y="{T}" width="{:.1}" height="{:.1}"/><text class="axis" x="{:.1}" y="{}" text-anchor="middle">{fy}</text>"#,
            if k % 2 == 0 { "" } else { " alt" },
            b - a,
            H - T - B,
            (a + b) / 2.0,
            H - 5.0
        );
    }
    let _ = write!(
        s,
        r#"<line class="grid" x1="{L}" x2="{}" y1="{:.1}" y2="{:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text><line class="base" x1="{L}" x2="{}" y1="{:.1}" y2="{:.1}"/>"#,
        W - R,
        py(top),
        py(top),
        L - 3.0,
        py(top) + 4.0,
        esc(&axis_number(top, units)),
        L - 3.0,
        py(lo),
        esc(&axis_number(lo, units)),
        W - R,
        py(lo),
        py(lo)
    );
    // Target lines: a yearly target holds over its whole year.
    for p in points
        .iter()
        .filter(|p| p.kind == PointKind::Target && p.x.is_finite() && p.y.is_finite())
    {
        let end = p.x.ceil();
        let _ = write!(
            s,
            r#"<line class="target-line" x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}"/>"#,
            px(end - 1.0),
            px(end),
            py(p.y),
            py(p.y)
        );
    }
    let mut actuals: Vec<&Point> = points
        .iter()
        .filter(|p| p.kind == PointKind::Actual && p.x.is_finite() && p.y.is_finite())
        .collect();
    actuals.sort_by(|a, b| a.x.total_cmp(&b.x));
    if actuals.len() > 1 {
        let path: Vec<String> = actuals.iter().map(|p| format!("{:.1},{:.1}", px(p.x), py(p.y))).collect();
        let _ = write!(s, r#"<polyline class="actual-line" points="{}"/>"#, path.join(" "));
    }
    for p in points {
        // A point off the axes (never from the reader, which drops NaN) still counts as a mark.
        let (cx, cy) = if p.x.is_finite() && p.y.is_finite() {
            (px(p.x), py(p.y))
        } else {
            (L, H - B)
        };
        let kind = p.kind.name();
        let title = esc(&p.label);
        match p.kind {
            PointKind::Target => {
                let _ = write!(
                    s,
                    r#"<rect class="pt pt-{kind}" data-kind="{kind}" x="{:.1}" y="{:.1}" width="6" height="6" transform="rotate(45 {cx:.1} {cy:.1})"><title>{title}</title></rect>"#,
                    cx - 3.0,
                    cy - 3.0
                );
            }
            _ => {
                let _ = write!(
                    s,
                    r#"<circle class="pt pt-{kind}" data-kind="{kind}" cx="{cx:.1}" cy="{cy:.1}" r="3"><title>{title}</title></circle>"#
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> [String; 4] {
        ["達成".into(), "未達成".into(), "集計中".into(), "評価不能".into()]
    }

    #[test]
    fn bars_carry_every_count_and_escape_their_text() {
        let bars = [Bar {
            label: "<b>2021".into(),
            counts: [9, 5, 0, 1],
        }];
        let svg = stacked_bars("g1", "目標 & <script>", "d", &bars, &labels());
        assert!(svg.contains(r#"data-status="achieved" data-n="9""#));
        assert!(svg.contains(r#"data-status="not_achieved" data-n="5""#));
        assert!(svg.contains(r#"data-status="not_evaluable" data-n="1""#));
        assert!(svg.contains("目標 &amp; &lt;script&gt;"));
        assert!(svg.contains("&lt;b&gt;2021"));
        assert!(!svg.contains("<script>"));
    }

    #[test]
    fn line_chart_draws_one_mark_per_point() {
        let pts = vec![
            Point {
                x: 2021.25,
                y: 10.0,
                kind: PointKind::Actual,
                label: "Q1".into(),
            },
            Point {
                x: 2021.5,
                y: 20.0,
                kind: PointKind::Actual,
                label: "Q2".into(),
            },
            Point {
                x: 2022.0,
                y: 50.0,
                kind: PointKind::Target,
                label: "FY".into(),
            },
            Point {
                x: 2020.0,
                y: 5.0,
                kind: PointKind::Baseline,
                label: "base".into(),
            },
        ];
        let svg = line_chart("i1", "t", "d", &pts, &[]);
        assert_eq!(svg.matches(r#"class="pt "#).count(), 4);
        assert_eq!(svg.matches("pt-actual").count(), 2);
        assert!(svg.contains(r#"data-points="4""#));
        // FY2019 (the baseline's year) to FY2021: three bands.
        assert_eq!(svg.matches(r#"<rect class="band"#).count(), 3);
    }

    #[test]
    fn line_chart_survives_degenerate_input() {
        assert!(line_chart("i", "t", "d", &[], &[]).ends_with("</svg>"));
        let one = [Point {
            x: f64::NAN,
            y: f64::INFINITY,
            kind: PointKind::Actual,
            label: String::new(),
        }];
        assert_eq!(line_chart("i", "t", "d", &one, &[]).matches(r#"class="pt "#).count(), 1);
    }

    #[test]
    fn axis_numbers_are_compact() {
        let units = [(1e8, "億".to_string()), (1e4, "万".to_string())];
        assert_eq!(axis_number(15_000_000.0, &units), "1500万");
        assert_eq!(axis_number(250_000_000.0, &units), "2.5億");
        assert_eq!(axis_number(88.75, &units), "88.8");
        assert_eq!(axis_number(0.0, &units), "0");
        assert_eq!(axis_number(-20_000.0, &units), "-2万");
        assert_eq!(trim(-0.01, 1), "0");
    }
}
