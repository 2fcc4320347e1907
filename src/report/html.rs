//! The page: fixed shapes filled with escaped text, in four sections (see the
//! module drawing in `mod.rs`). Headings and column labels come from
//! `mappings/display.toml` (table and column labels); the few phrases it has
//! no key for are the constants below.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::read::Tables;
use super::svg::{self, Bar, Point, PointKind, trim};
use super::{Phrases, STATUSES, esc};
use crate::mapping::display::DisplayLabels;
use crate::mapping::messages::{document_language_of_run, messages};
use crate::model::{
    Diagnostic, EvalStatus, EvaluationRow, Indicator, IndicatorStatus, Kind, Observation, Period, Severity, SourceRecord, SummaryRow,
};

const GENERATED_BY: &str = "torikumi";

/// Most diagnostics listed: a national run can have hundreds of thousands;
/// the page stays openable and the rest are in the diagnostics table.
const MAX_DIAGNOSTICS: usize = 5000;
/// A printed rate within this many points of the computed one agrees with
/// it (sheets print whole or one-decimal percentages).
const PRINTED_TOLERANCE: f64 = 0.5;

/// The display labels (tables, columns) and the report's own phrases.
struct Labels<'a> {
    d: &'a DisplayLabels,
    p: &'a Phrases,
}

impl Labels<'_> {
    fn table(&self, t: &str) -> String {
        esc(self.d.table(t))
    }
    fn col(&self, table: &str, c: &str) -> String {
        esc(self.d.column_in(table, c))
    }
    /// A fiscal year in words (escaped: the phrase is a mapping file's).
    fn fy(&self, fy: Option<i32>) -> String {
        esc(&self.p.fy(fy))
    }
    /// A rate in percent points, or the missing mark.
    fn rate(&self, v: Option<f64>) -> String {
        v.map_or_else(|| esc(&self.p.missing), |v| format!("{v:.1}%"))
    }
    /// A value in its unit, or the missing mark (not escaped: the unit is input).
    fn value(&self, v: Option<f64>, unit: Option<&str>) -> String {
        v.map_or_else(|| self.p.missing.clone(), |v| value(v, unit))
    }
    /// A phrase, escaped.
    fn ph(&self, text: &str) -> String {
        esc(text)
    }
    /// An evaluation status in words (the summary's count labels).
    fn status(&self, s: &str) -> String {
        if STATUSES.contains(&s) {
            self.col("evaluation_summary", s)
        } else {
            esc(s)
        }
    }
    /// A label for a column the lead may not have labelled yet: the fixed phrase then.
    fn col_or(&self, table: &str, c: &str, fallback: &str) -> String {
        let l = self.d.column_in(table, c);
        esc(if l == c { fallback } else { l })
    }
}

pub(super) fn page(t: &Tables, labels: &DisplayLabels, phrases: &Phrases) -> String {
    let l = Labels { d: labels, p: phrases };
    let mut body = String::new();
    let plans = plan_order(t);
    let run = t
        .sources
        .iter()
        .find(|s| !s.run_id.is_empty())
        .map(|s| (s.run_id.clone(), s.run_started.clone()));
    let (title, contents) = (l.ph(&phrases.title), l.ph(&phrases.contents));
    let _ = write!(
        body,
        r##"<a class="skip" href="#main">{}</a><header><h1>{title}</h1>"##,
        l.ph(&phrases.skip_to_main)
    );
    if let Some((id, started)) = &run {
        let _ = write!(
            body,
            r#"<p class="run">{}: <span class="mono">{}</span> · {}: {}</p>"#,
            l.col("sources", "run_id"),
            esc(id),
            l.col("sources", "run_started"),
            esc(started)
        );
    }
    body.push_str("</header>");
    // Contents: the sections and, in the two long ones, each plan.
    let _ = write!(body, r#"<nav aria-label="{contents}"><h2 class="nav-title">{contents}</h2><ol>"#);
    let _ = write!(body, r##"<li><a href="#summary">{}</a><ol>"##, l.table("evaluation_summary"));
    for (k, p) in plans.iter().enumerate() {
        let _ = write!(body, r##"<li><a href="#plan-{k}">{}</a></li>"##, esc(p));
    }
    let _ = write!(body, r##"</ol></li><li><a href="#indicators">{}</a><ol>"##, l.table("evaluation"));
    for (k, p) in plans.iter().enumerate() {
        let _ = write!(body, r##"<li><a href="#ind-plan-{k}">{}</a></li>"##, esc(p));
    }
    let _ = write!(
        body,
        r##"</ol></li><li><a href="#diagnostics">{}</a> ({})</li><li><a href="#sources">{}</a></li></ol></nav>"##,
        l.ph(&phrases.not_read),
        t.diagnostics.len(),
        l.table("sources")
    );
    body.push_str(r#"<main id="main">"#);
    summary_section(&mut body, t, &l, &plans);
    indicator_section(&mut body, t, &l, &plans);
    diagnostics_section(&mut body, &t.diagnostics, &l);
    sources_section(&mut body, &t.sources, &l);
    let _ = write!(body, "</main><footer>{GENERATED_BY} {}</footer>", env!("CARGO_PKG_VERSION"));
    format!(
        r#"<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="torikumi {}">
<title>{title}</title>
<style>{CSS}</style>
</head>
<body>
{body}
</body>
</html>
"#,
        env!("CARGO_PKG_VERSION")
    )
}

/// Plans in the order the summary lists them, then any only the other tables name.
fn plan_order(t: &Tables) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let names = t
        .summary
        .iter()
        .map(|r| &r.plan)
        .chain(t.evaluation.iter().map(|r| &r.plan))
        .chain(t.indicators.iter().map(|r| &r.plan))
        .chain(t.observations.iter().map(|r| &r.plan));
    for p in names {
        if !out.contains(p) {
            out.push(p.clone());
        }
    }
    out
}

/// A value in its unit: 15000000 回 → 15,000,000回, 88.7 % → 88.7%.
fn value(v: f64, unit: Option<&str>) -> String {
    let s = trim(v, 2);
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
    format!("{sign}{grouped}{frac}{}", unit.unwrap_or(""))
}

/// A summary row's counts in the order of [`STATUSES`].
fn counts(r: &SummaryRow) -> [i64; 4] {
    r.counts().map(i64::from)
}

/// A diagnostic's cell, none for one about a whole sheet or file.
fn cell_of(d: &Diagnostic) -> Option<&str> {
    Some(d.at.cell.as_str()).filter(|c| !c.is_empty())
}

/// ① for 1…20, (n) beyond.
fn marker(no: Option<i32>) -> String {
    match no {
        Some(n @ 1..=20) => char::from_u32(0x2460 + n as u32 - 1).map_or_else(|| format!("({n})"), String::from),
        Some(n) => format!("({n})"),
        None => String::new(),
    }
}

fn summary_section(s: &mut String, t: &Tables, l: &Labels, plans: &[String]) {
    let table = "evaluation_summary";
    let _ = write!(
        s,
        r#"<section id="summary" aria-labelledby="h-summary"><h2 id="h-summary">{}</h2>"#,
        l.table(table)
    );
    let status_labels: [String; 4] = STATUSES.map(|st| l.d.column_in(table, st).to_string());
    let mut goal_no = 0;
    for (k, plan) in plans.iter().enumerate() {
        let rows: Vec<&SummaryRow> = t.summary.iter().filter(|r| &r.plan == plan).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            r#"<section id="plan-{k}" class="plan"><h3>{}</h3><div class="cards goals">"#,
            esc(plan)
        );
        // Goals in the table's order, each with its years.
        let mut goals: Vec<(&Option<String>, Vec<&SummaryRow>)> = Vec::new();
        for r in rows {
            match goals.iter_mut().find(|(g, _)| *g == &r.goal) {
                Some((_, v)) => v.push(r),
                None => goals.push((&r.goal, vec![r])),
            }
        }
        for (goal, years) in goals {
            goal_no += 1;
            let id = format!("goal-{goal_no}");
            let name = goal.as_deref().unwrap_or(&l.p.no_goal);
            let _ = write!(
                s,
                r#"<article class="card goal" id="{id}" data-plan="{}" data-goal="{}" aria-labelledby="{id}-h"><h4 id="{id}-h">{}</h4>"#,
                esc(plan),
                esc(goal.as_deref().unwrap_or("")),
                esc(name)
            );
            // The latest year anything was judged in: the committee's headline.
            if let Some(r) = years.iter().rev().find(|r| r.kpi_achievement_rate.is_some()) {
                let _ = write!(
                    s,
                    r#"<p class="headline">{} <strong>{}</strong> <span class="muted">({})</span></p>"#,
                    l.col(table, "kpi_achievement_rate"),
                    l.rate(r.kpi_achievement_rate),
                    l.fy(Some(r.fiscal_year))
                );
            }
            let bars: Vec<Bar> = years
                .iter()
                .map(|r| Bar {
                    label: l.fy(Some(r.fiscal_year)),
                    counts: counts(r),
                })
                .collect();
            let desc: Vec<String> = years
                .iter()
                .map(|r| {
                    let counts: Vec<String> = (0..4).map(|i| format!("{} {}", status_labels[i], counts(r)[i])).collect();
                    format!("{}: {}", l.p.fy(Some(r.fiscal_year)), counts.join(&l.p.list_separator))
                })
                .collect();
            let _ = write!(
                s,
                "<figure>{}</figure>",
                svg::stacked_bars(
                    &id,
                    &format!("{name}{}{}", l.p.caption_separator, l.d.table(table)),
                    &(desc.join(&l.p.sentence_end) + &l.p.sentence_end),
                    &bars,
                    &status_labels
                )
            );
            let _ = write!(
                s,
                r#"<div class="scroll" role="region" tabindex="0" aria-labelledby="{id}-c"><table class="counts"><caption id="{id}-c" class="vh">{}{}{}</caption><thead><tr><th scope="col">{}</th>"#,
                esc(name),
                l.ph(&l.p.caption_separator),
                l.table(table),
                l.col(table, "fiscal_year")
            );
            for st in STATUSES {
                let _ = write!(s, r#"<th scope="col" class="num">{}</th>"#, l.col(table, st));
            }
            let _ = write!(
                s,
                r#"<th scope="col" class="num">{}</th></tr></thead><tbody>"#,
                l.col(table, "kpi_achievement_rate")
            );
            for r in &years {
                let _ = write!(
                    s,
                    r#"<tr data-fy="{}"><th scope="row">{}</th>"#,
                    r.fiscal_year,
                    l.fy(Some(r.fiscal_year))
                );
                for (i, st) in STATUSES.iter().enumerate() {
                    let _ = write!(s, r#"<td class="num" data-status="{st}">{}</td>"#, counts(r)[i]);
                }
                let _ = write!(s, r#"<td class="num" data-rate>{}</td></tr>"#, l.rate(r.kpi_achievement_rate));
            }
            s.push_str("</tbody></table></div></article>");
        }
        s.push_str("</div></section>");
    }
    if t.summary.is_empty() {
        let _ = write!(s, "<p>{}</p>", l.ph(&l.p.nothing_evaluated));
    }
    s.push_str("</section>");
}

type Key = (String, String, String);

/// One indicator and what the page shows of it.
struct View<'a> {
    key: Key,
    initiative: String,
    no: Option<i32>,
    info: Option<&'a Indicator>,
    /// The file its chart is drawn from: the first that has it (the same
    /// document as a workbook and as PDF text is charted once).
    source: Option<&'a str>,
    points: Vec<&'a Observation>,
    evaluation: Vec<&'a EvaluationRow>,
    first_seen: usize,
}

/// Leading digits first, so item 10 follows item 9.
fn natural(no: &str) -> (u64, String) {
    let digits: String = no.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u64::MAX), no.to_string())
}

fn views<'a>(t: &'a Tables, plans: &[String]) -> Vec<View<'a>> {
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut out: Vec<View<'a>> = Vec::new();
    let mut add = |key: Key, initiative: &str, no: Option<i32>| -> usize {
        let n = out.len();
        let i = *index.entry(key.clone()).or_insert(n);
        if i == n {
            out.push(View {
                key,
                initiative: initiative.to_string(),
                no,
                info: None,
                source: None,
                points: Vec::new(),
                evaluation: Vec::new(),
                first_seen: n,
            });
        }
        i
    };
    let mut info_of = Vec::new();
    for r in &t.indicators {
        info_of.push((
            add(
                (r.plan.clone(), r.initiative_no.clone(), r.indicator.clone()),
                &r.initiative,
                r.indicator_no,
            ),
            r,
        ));
    }
    let mut obs_of = Vec::new();
    for r in &t.observations {
        obs_of.push((
            add(
                (r.plan.clone(), r.initiative_no.clone(), r.indicator.clone()),
                &r.initiative,
                r.indicator_no,
            ),
            r,
        ));
    }
    let mut eval_of = Vec::new();
    for r in &t.evaluation {
        eval_of.push((
            add(
                (r.plan.clone(), r.initiative_no.clone(), r.indicator.clone()),
                &r.initiative,
                r.indicator_no,
            ),
            r,
        ));
    }
    for (i, r) in info_of {
        out[i].info.get_or_insert(r);
    }
    for (i, r) in obs_of {
        let v = &mut out[i];
        let source = *v.source.get_or_insert(r.at.source_file.as_str());
        if r.at.source_file == source && r.value.is_some() && r.fiscal_year.is_some() {
            v.points.push(r);
        }
    }
    for (i, r) in eval_of {
        out[i].evaluation.push(r);
    }
    let plan_rank = |p: &str| plans.iter().position(|x| x == p).unwrap_or(usize::MAX);
    out.sort_by(|a, b| {
        (plan_rank(&a.key.0), natural(&a.key.1), a.no.unwrap_or(i32::MAX), a.first_seen).cmp(&(
            plan_rank(&b.key.0),
            natural(&b.key.1),
            b.no.unwrap_or(i32::MAX),
            b.first_seen,
        ))
    });
    out
}

/// April 1 of `fy` (the fiscal year's start).
fn fy_start(fy: i32) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(fy, 4, 1)
}

/// Where an observation stands on the time axis, in fiscal years.
fn position(o: &Observation) -> f64 {
    let fy = o.fiscal_year.unwrap_or_default();
    let within = match o.period {
        Period::Q(1) => 0.25,
        Period::Q(2) | Period::H(1) => 0.5,
        Period::Q(3) => 0.75,
        Period::AsOf => match (o.as_of, fy_start(fy)) {
            (Some(d), Some(start)) => ((d - start).num_days() as f64 / 365.0).clamp(0.0, 1.0),
            _ => 1.0,
        },
        _ => 1.0,
    };
    fy as f64 + within
}

fn period_label(o: &Observation) -> String {
    match o.period {
        Period::FY => String::new(),
        Period::AsOf => o
            .as_of
            .map_or_else(|| o.period.as_str().to_string(), |d| d.format("%Y-%m-%d").to_string()),
        p => p.as_str().to_string(),
    }
}

fn indicator_section(s: &mut String, t: &Tables, l: &Labels, plans: &[String]) {
    let table = "evaluation";
    let _ = write!(
        s,
        r#"<section id="indicators" aria-labelledby="h-indicators"><h2 id="h-indicators">{}</h2>"#,
        l.table(table)
    );
    let all = views(t, plans);
    let (actual_l, target_l) = (l.d.column_in(table, "actual"), l.d.column_in(table, "target"));
    let mut n = 0;
    for (k, plan) in plans.iter().enumerate() {
        let in_plan: Vec<&View> = all.iter().filter(|v| &v.key.0 == plan).collect();
        if in_plan.is_empty() {
            continue;
        }
        let _ = write!(s, r#"<section id="ind-plan-{k}" class="plan"><h3>{}</h3>"#, esc(plan));
        let mut current: Option<&str> = None;
        for v in in_plan {
            if current != Some(v.key.1.as_str()) {
                if current.is_some() {
                    s.push_str("</div></section>");
                }
                current = Some(v.key.1.as_str());
                let _ = write!(
                    s,
                    r#"<section class="initiative"><h4><span class="no">{}</span> {}</h4><div class="cards">"#,
                    esc(&v.key.1),
                    esc(&v.initiative)
                );
            }
            n += 1;
            indicator_card(s, v, n, t.has_printed, l, actual_l, target_l);
        }
        if current.is_some() {
            s.push_str("</div></section>");
        }
        s.push_str("</section>");
    }
    s.push_str("</section>");
}

/// The ≠ beside a printed achievement that disagrees, said in words to a screen reader.
fn mismatch_mark(l: &Labels) -> String {
    let m = l.ph(&l.p.mismatch);
    format!(r#" <span class="mismatch" title="{m}">≠<span class="vh">{m}</span></span>"#)
}

/// Whether a printed rate or status disagrees with the computed one.
fn disagrees(e: &EvaluationRow) -> bool {
    let rate = matches!((e.printed_achievement_rate, e.achievement_rate), (Some(p), Some(c)) if (p - c).abs() > PRINTED_TOLERANCE);
    let status = e.printed_status.is_some_and(|p| p != e.status);
    rate || status
}

fn indicator_card(s: &mut String, v: &View, n: usize, has_printed: bool, l: &Labels, actual_l: &str, target_l: &str) {
    let table = "evaluation";
    let id = format!("ind-{n}");
    let name = format!("{}{}", marker(v.no), v.key.2);
    let deleted = v.info.is_some_and(|i| i.status == IndicatorStatus::Deleted);
    let _ = write!(
        s,
        r#"<article class="card indicator{}" id="{id}" data-plan="{}" data-initiative-no="{}" data-indicator="{}" data-source="{}" aria-labelledby="{id}-h"><h5 id="{id}-h">{}</h5>"#,
        if deleted { " deleted" } else { "" },
        esc(&v.key.0),
        esc(&v.key.1),
        esc(&v.key.2),
        esc(v.source.unwrap_or("")),
        esc(&name)
    );
    if let Some(info) = v.info {
        let mut meta = Vec::new();
        if let Some(g) = &info.indicator_group {
            meta.push(format!("{}: {}", l.col("indicators", "indicator_group"), esc(g)));
        }
        if let Some(k) = &info.kgi {
            meta.push(format!("{}: {}", l.col("indicators", "kgi"), esc(k)));
        }
        if let Some(f) = &info.final_target_raw {
            meta.push(format!(
                "{}: {} ({})",
                l.col("indicators", "final_target_raw"),
                esc(f),
                l.fy(info.final_target_fy)
            ));
        }
        if deleted {
            meta.push(format!("{}: {}", l.col("indicators", "status"), esc(info.status.as_str())));
        }
        if !meta.is_empty() {
            let _ = write!(s, r#"<p class="meta">{}</p>"#, meta.join(" · "));
        }
    }
    // The latest year that was judged, else the latest year listed.
    let latest = v
        .evaluation
        .iter()
        .filter(|e| matches!(e.status, EvalStatus::Achieved | EvalStatus::NotAchieved))
        .max_by_key(|e| e.fiscal_year)
        .or_else(|| v.evaluation.iter().max_by_key(|e| e.fiscal_year));
    if let Some(e) = latest {
        let unit = e.unit.as_deref();
        let _ = write!(
            s,
            r#"<p class="latest" data-fy="{}" data-status="{}">{}: {} <span class="badge st-{}">{}</span> {} <strong>{}</strong> <span class="muted">({} {} / {} {})</span>"#,
            e.fiscal_year,
            e.status.as_str(),
            l.ph(&l.p.latest),
            l.fy(Some(e.fiscal_year)),
            e.status.as_str(),
            l.status(e.status.as_str()),
            l.col(table, "achievement_rate"),
            l.rate(e.achievement_rate),
            esc(actual_l),
            esc(&l.value(e.actual, unit)),
            esc(target_l),
            esc(&l.value(e.target, unit)),
        );
        if has_printed && (e.printed_achievement_rate.is_some() || e.printed_status.is_some()) {
            let _ = write!(
                s,
                r#" <span class="printed">{} {}</span>"#,
                l.col_or(table, "printed_achievement_rate", &l.p.printed_rate),
                l.rate(e.printed_achievement_rate)
            );
            if disagrees(e) {
                s.push_str(&mismatch_mark(l));
            }
        }
        s.push_str("</p>");
    }
    // The chart: every numeric observation of the charted file.
    let points: Vec<Point> = v
        .points
        .iter()
        .map(|o| {
            let kind = match o.kind {
                Kind::Target => PointKind::Target,
                Kind::Baseline => PointKind::Baseline,
                Kind::Actual => PointKind::Actual,
            };
            let kind_label = match kind {
                PointKind::Actual => actual_l,
                PointKind::Target => target_l,
                PointKind::Baseline => &l.p.baseline,
            };
            Point {
                x: position(o),
                y: o.value.unwrap_or_default(),
                kind,
                label: format!("{} {} {kind_label} {}", l.p.fy(o.fiscal_year), period_label(o), o.raw)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })
        .collect();
    if points.is_empty() {
        let _ = write!(s, r#"<p class="muted no-chart">{}</p>"#, l.ph(&l.p.no_points));
    } else {
        let count = |k: PointKind| points.iter().filter(|p| p.kind == k).count();
        let last_actual = v
            .points
            .iter()
            .filter(|o| o.kind == Kind::Actual)
            .max_by(|a, b| position(a).total_cmp(&position(b)));
        let p = l.p;
        let n = |k: PointKind| p.points.replace("{n}", &count(k).to_string());
        let mut desc = [
            format!("{actual_l} {}", n(PointKind::Actual)),
            format!("{target_l} {}", n(PointKind::Target)),
            format!("{} {}", p.baseline, n(PointKind::Baseline)),
        ]
        .join(&p.list_separator)
            + &p.sentence_end;
        if let Some(o) = last_actual {
            let what = format!("{} {} {}", p.fy(o.fiscal_year), period_label(o), o.raw);
            desc += &p.latest_point.replace("{kind}", actual_l).replace("{what}", &what);
            desc += &p.sentence_end;
        }
        let title = p.chart_title.replace("{name}", &name);
        let _ = write!(
            s,
            r#"<figure>{}<figcaption><span class="key k-actual">{}</span> <span class="key k-target">{}</span> <span class="key k-baseline">{}</span></figcaption></figure>"#,
            svg::line_chart(&id, &title, desc.trim_end(), &points, &p.axis_units),
            esc(actual_l),
            esc(target_l),
            esc(&p.baseline)
        );
    }
    if !v.evaluation.is_empty() {
        let mut years: Vec<&&EvaluationRow> = v.evaluation.iter().collect();
        years.sort_by_key(|e| e.fiscal_year);
        let _ = write!(
            s,
            r#"<div class="scroll" role="region" tabindex="0" aria-labelledby="{id}-c"><table class="evaluation"><caption id="{id}-c" class="vh">{}{}{}</caption><thead><tr><th scope="col">{}</th><th scope="col" class="num">{}</th><th scope="col" class="num">{}</th><th scope="col">{}</th><th scope="col" class="num">{}</th><th scope="col">{}</th>"#,
            esc(&name),
            l.ph(&l.p.caption_separator),
            l.table(table),
            l.col(table, "fiscal_year"),
            l.col(table, "target"),
            l.col(table, "actual"),
            l.col(table, "actual_period"),
            l.col(table, "achievement_rate"),
            l.col(table, "status"),
        );
        if has_printed {
            let _ = write!(
                s,
                r#"<th scope="col" class="num">{}</th><th scope="col">{}</th>"#,
                l.col_or(table, "printed_achievement_rate", &l.p.printed_rate),
                l.col_or(table, "printed_status", &l.p.printed_status)
            );
        }
        s.push_str("</tr></thead><tbody>");
        for e in years {
            let unit = e.unit.as_deref();
            let _ = write!(
                s,
                r#"<tr data-fy="{}"><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td>{}</td><td class="num">{}</td><td><span class="badge st-{}">{}</span></td>"#,
                e.fiscal_year,
                l.fy(Some(e.fiscal_year)),
                esc(&l.value(e.target, unit)),
                esc(&l.value(e.actual, unit)),
                esc(e.actual_period.as_deref().unwrap_or(&l.p.missing)),
                l.rate(e.achievement_rate),
                e.status.as_str(),
                l.status(e.status.as_str())
            );
            if has_printed {
                let mark = if disagrees(e) { mismatch_mark(l) } else { String::new() };
                let _ = write!(
                    s,
                    r#"<td class="num printed">{}{mark}</td><td>{}</td>"#,
                    if e.printed_achievement_rate.is_some() {
                        l.rate(e.printed_achievement_rate)
                    } else {
                        String::new()
                    },
                    e.printed_status.map(|p| l.status(p.as_str())).unwrap_or_default()
                );
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table></div>");
    }
    s.push_str("</article>");
}

/// A1 → (row, column) for sorting cells down the sheet; text inputs use the same scheme.
fn cell_order(cell: Option<&str>) -> (u64, u64) {
    let Some(cell) = cell else { return (u64::MAX, u64::MAX) };
    let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
    let col = letters.chars().fold(0u64, |acc, c| {
        acc.saturating_mul(26)
            .saturating_add(u64::from(c.to_ascii_uppercase() as u8 - b'A' + 1))
    });
    let row = cell[letters.len()..].parse().unwrap_or(u64::MAX);
    (row, col)
}

fn severity_label(p: &Phrases, s: Severity) -> &str {
    match s {
        Severity::Error => &p.error,
        Severity::Warning => &p.warning,
        Severity::Info => s.as_str(),
    }
}

/// A sheet's name (none for a file-level problem) and its problems.
type SheetProblems<'a> = (Option<&'a str>, Vec<&'a Diagnostic>);

fn diagnostics_section(s: &mut String, diags: &[Diagnostic], l: &Labels) {
    let table = "diagnostics";
    let _ = write!(
        s,
        r#"<section id="diagnostics" aria-labelledby="h-diagnostics"><h2 id="h-diagnostics">{} <span class="muted">({} · {})</span></h2>"#,
        l.ph(&l.p.not_read),
        l.table(table),
        diags.len()
    );
    if diags.is_empty() {
        let _ = write!(s, "<p>{}</p></section>", l.ph(&l.p.nothing_not_read));
        return;
    }
    let _ = write!(s, "<p>{}</p>", l.ph(&l.p.not_read_lead));
    // By file, then sheet, in first-seen order; cells down each sheet.
    let mut files: Vec<(&str, Vec<SheetProblems>)> = Vec::new();
    for d in diags.iter().take(MAX_DIAGNOSTICS) {
        let fi = match files.iter().position(|(f, _)| *f == d.at.source_file) {
            Some(i) => i,
            None => {
                files.push((&d.at.source_file, Vec::new()));
                files.len() - 1
            }
        };
        let sheets = &mut files[fi].1;
        let sheet = Some(d.at.sheet.as_str()).filter(|s| !s.is_empty());
        match sheets.iter_mut().find(|(sh, _)| *sh == sheet) {
            Some((_, v)) => v.push(d),
            None => sheets.push((sheet, vec![d])),
        }
    }
    for (k, (file, sheets)) in files.iter_mut().enumerate() {
        let count: usize = sheets.iter().map(|(_, v)| v.len()).sum();
        let _ = write!(
            s,
            r#"<section class="diag-file" data-file="{}" aria-labelledby="df-{k}"><h3 id="df-{k}"><span class="mono">{}</span> <span class="muted">({count})</span></h3>"#,
            esc(file),
            esc(file)
        );
        for (j, (sheet, rows)) in sheets.iter_mut().enumerate() {
            rows.sort_by_key(|d| cell_order(cell_of(d)));
            let sheet_name = sheet.unwrap_or(&l.p.missing);
            let _ = write!(
                s,
                r#"<div class="scroll" role="region" tabindex="0" aria-labelledby="df-{k}-{j}"><table class="diag"><caption id="df-{k}-{j}">{}: {}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
                l.col(table, "sheet"),
                esc(sheet_name),
                l.col(table, "cell"),
                l.col(table, "raw"),
                l.col(table, "severity"),
                l.col(table, "code"),
                l.col(table, "message"),
            );
            for d in rows.iter() {
                let message = messages().render(document_language_of_run(), d.code, &d.args);
                let _ = write!(
                    s,
                    r#"<tr class="diag-row sev-{}" data-file="{}" data-sheet="{}" data-cell="{}" data-code="{}" data-severity="{}"><th scope="row" class="mono">{}</th><td class="raw">{}</td><td>{}</td><td class="mono">{}</td><td>{}</td></tr>"#,
                    d.severity.as_str(),
                    esc(&d.at.source_file),
                    esc(sheet.unwrap_or("")),
                    esc(cell_of(d).unwrap_or("")),
                    d.code.as_str(),
                    d.severity.as_str(),
                    esc(cell_of(d).unwrap_or(&l.p.missing)),
                    esc(d.raw.as_deref().unwrap_or("")),
                    esc(severity_label(l.p, d.severity)),
                    d.code.as_str(),
                    esc(&message),
                );
            }
            s.push_str("</tbody></table></div>");
        }
        s.push_str("</section>");
    }
    if diags.len() > MAX_DIAGNOSTICS {
        let more = l.p.more.replace("{n}", &(diags.len() - MAX_DIAGNOSTICS).to_string());
        let _ = write!(s, r#"<p class="more">{}</p>"#, esc(&more));
    }
    s.push_str("</section>");
}

fn sources_section(s: &mut String, sources: &[SourceRecord], l: &Labels) {
    let table = "sources";
    let c = |name: &str| l.col(table, name);
    let _ = write!(
        s,
        r#"<section id="sources" aria-labelledby="h-sources"><h2 id="h-sources">{}</h2><div class="scroll" role="region" tabindex="0" aria-labelledby="h-sources"><table class="sources"><caption>{} = {} + {}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col" class="num">{}</th><th scope="col" class="num">{}</th><th scope="col" class="num">{}</th><th scope="col" class="num">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        l.table(table),
        c("cells_read"),
        c("cells_mapped"),
        c("cells_unmapped"),
        c("source_file"),
        c("format"),
        c("encoding"),
        c("layout"),
        c("sheets"),
        c("cells_read"),
        c("cells_mapped"),
        c("cells_unmapped"),
        c("status"),
    );
    for r in sources {
        let _ = write!(
            s,
            r#"<tr class="source st-{}" data-file="{}"><th scope="row" class="mono">{}</th><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num" data-k="read">{}</td><td class="num" data-k="mapped">{}</td><td class="num" data-k="unmapped">{}</td><td>{}</td></tr>"#,
            esc(&r.status),
            esc(&r.source_file),
            esc(&r.source_file),
            esc(&r.format),
            esc(r.encoding.as_deref().unwrap_or(&l.p.missing)),
            esc(r.layout.as_deref().unwrap_or(&l.p.missing)),
            r.sheets.len(),
            value(r.cells_read as f64, None),
            value(r.cells_mapped as f64, None),
            value(r.cells_unmapped as f64, None),
            esc(&r.status),
        );
    }
    let sum = |f: fn(&SourceRecord) -> u64| value(sources.iter().map(f).sum::<u64>() as f64, None);
    let _ = write!(
        s,
        r#"</tbody><tfoot><tr><th scope="row">{} ({})</th><td></td><td></td><td></td><td></td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td></td></tr></tfoot></table></div></section>"#,
        l.ph(&l.p.total),
        sources.len(),
        sum(|r| r.cells_read),
        sum(|r| r.cells_mapped),
        sum(|r| r.cells_unmapped),
    );
}

/// Screen, phone and print in one sheet: cards flow into as many columns as
/// fit (one on a phone), wide tables scroll inside their own region, and on
/// A4 the navigation goes, colours stay and no card is split across pages.
const CSS: &str = r#"
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--card:#f6f8fa;--accent:#0b5cad;
--achieved:#009e73;--not_achieved:#d55e00;--pending:#56b4e9;--not_evaluable:#8c8c8c}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic UI","Meiryo",sans-serif;color:var(--fg);background:var(--bg);line-height:1.5;font-size:15px}
header,nav,main,footer{max-width:1200px;margin:0 auto;padding:0 16px}
h1{font-size:1.6rem;margin:16px 0 4px}h2{font-size:1.3rem;border-bottom:2px solid var(--accent);padding-bottom:4px;margin-top:32px}
h3{font-size:1.1rem;margin:20px 0 8px}h4{font-size:1rem;margin:0 0 6px}h5{font-size:.95rem;margin:0 0 4px}
.initiative>h4{margin:16px 0 8px}.no{display:inline-block;min-width:2em;color:var(--muted)}
a{color:var(--accent)}a:focus,[tabindex]:focus{outline:3px solid #ffbf47;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:1}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.run,.muted,.meta{color:var(--muted)}.meta{font-size:.85rem;margin:0 0 4px}.mono{font-family:ui-monospace,Consolas,monospace}
nav ol{margin:4px 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px}nav ol ol{display:inline-flex;gap:4px 10px;font-size:.85rem;margin:0 0 0 8px}nav ol ol{padding-left:6px;border-left:1px solid var(--line)}
nav .nav-title{font-size:.9rem;border:0;margin:12px 0 0;color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,340px),1fr));gap:12px}
.cards.goals{grid-template-columns:repeat(auto-fill,minmax(min(100%,430px),1fr))}
table.counts th,table.counts td,th[scope=row],table.evaluation thead th,table.diag thead th{white-space:nowrap}table.evaluation{font-size:.78rem}table.evaluation th,table.evaluation td{padding:2px 4px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 12px;min-width:0}
.card.deleted{opacity:.7}.headline{margin:0 0 4px}.headline strong{font-size:1.3rem}
.latest{margin:4px 0;font-size:.9rem}
figure{margin:6px 0}svg.chart{width:100%;height:auto;display:block}figcaption{font-size:.8rem;color:var(--muted)}
svg text{font-size:10px;fill:var(--fg)}svg text.n{fill:#fff;font-weight:bold;text-anchor:middle}svg text.legend{font-size:10px}
.seg-achieved{fill:var(--achieved)}.seg-not_achieved{fill:var(--not_achieved)}.seg-pending{fill:var(--pending)}.seg-not_evaluable{fill:var(--not_evaluable)}
.band{fill:#fff}.grid{stroke:var(--line);stroke-width:.6;stroke-dasharray:2 2}.band.alt{fill:#eef1f4}.base{stroke:var(--muted);stroke-width:1}
.actual-line{fill:none;stroke:var(--accent);stroke-width:1.6}.target-line{stroke:var(--not_achieved);stroke-width:1.2;stroke-dasharray:4 3}
.pt-actual{fill:var(--accent)}.pt-target{fill:#fff;stroke:var(--not_achieved);stroke-width:1.5}.pt-baseline{fill:#fff;stroke:var(--muted);stroke-width:1.5}
.key::before{content:"";display:inline-block;width:14px;height:3px;margin-right:4px;vertical-align:middle;background:var(--accent)}
.k-target::before{background:var(--not_achieved)}.k-baseline::before{background:var(--muted)}
.badge{white-space:nowrap;display:inline-block;padding:0 6px;border-radius:8px;font-size:.8rem;color:#fff;background:var(--not_evaluable)}
.st-achieved{background:var(--achieved)}.st-not_achieved{background:var(--not_achieved)}.st-pending{background:#2a7fb8}
.mismatch{color:#b00020;font-weight:bold;margin-left:2px}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:6px 0;background:#fff}
caption{text-align:left;font-size:.8rem;color:var(--muted);padding:2px 0}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}thead th{background:#eaeef2}
.num{text-align:right;white-space:nowrap}td.raw{white-space:pre-wrap;word-break:break-all;font-weight:600}
tr.sev-error th{border-left:4px solid #b00020}tr.sev-warning th{border-left:4px solid #d4a017}
footer{color:var(--muted);font-size:.8rem;margin:32px auto 16px}
@media (max-width:600px){body{font-size:14px}header,nav,main,footer{padding:0 8px}.card{padding:8px}}
@page{size:A4;margin:12mm}
@media print{body{font-size:9pt}nav,.skip{display:none}h2{break-after:avoid}h3,h4,h5{break-after:avoid}
.card,tr,figure{break-inside:avoid}.scroll{overflow:visible}.cards{grid-template-columns:repeat(2,1fr)}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}a{color:inherit;text-decoration:none}}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_carry_their_unit_and_group_digits() {
        assert_eq!(value(15_000_000.0, Some("回")), "15,000,000回");
        assert_eq!(value(88.7, Some("%")), "88.7%");
        assert_eq!(value(-1234.5, None), "-1,234.5");
    }

    #[test]
    fn cells_sort_down_the_sheet() {
        let mut cells = vec![Some("O21"), Some("B3"), None, Some("AA2"), Some("O9")];
        cells.sort_by_key(|c| cell_order(*c));
        assert_eq!(cells, vec![Some("AA2"), Some("B3"), Some("O9"), Some("O21"), None]);
        assert_eq!(cell_order(Some("é1")), (u64::MAX, 0));
    }

    #[test]
    fn markers_and_natural_order() {
        assert_eq!(marker(Some(1)), "①");
        assert_eq!(marker(Some(20)), "⑳");
        assert_eq!(marker(Some(21)), "(21)");
        assert!(natural("9") < natural("10"));
    }
}
