//! KPI evaluation: each indicator's yearly target against the year's result.
//!
//! One `evaluation` row per indicator and fiscal year with a target
//! (`kind = target`, `period = FY`), computed from the ingest's records, and an
//! `evaluation_summary` row per plan, goal and fiscal year (the committee's
//! KPI達成率). Which indicators are lower-is-better, and how a year's result is
//! taken from quarterly values, comes from `mappings/evaluation.toml`: no
//! document word lives here.
//!
//! Rules, in order:
//! - the year's result is the FY actual where the sheet has one, otherwise the
//!   latest reported sub-year value of that fiscal year (Q1–Q4, H1/H2, AS_OF,
//!   ordered by the date each period ends); an `[[indicator]]` entry may ask for
//!   the `sum` or `mean` of the quarters instead;
//! - `pending` when there is no actual yet or the latest one is pending (集計中);
//! - `not_evaluable` (with a warning diagnostic) when the target is text, the
//!   target or actual has no value, or their units disagree; never a made-up number;
//! - deleted indicators, deleted targets and years from a deleted marker on are skipped;
//! - a blank target cell (— / -) means the year has no target: no row.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

pub use crate::mapping::evaluation::{Aggregation, Direction, EvaluationRules};
use crate::model::{DiagCode, Diagnostic, Extract, IndicatorStatus, Kind, Observation, Period, Provenance, Status};
pub use crate::model::{EvalStatus, EvaluationRow, SummaryRow};

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    plan: String,
    initiative_no: String,
    indicator_no: Option<i32>,
    indicator: String,
}

impl Key {
    fn of(o: &Observation) -> Key {
        Key {
            plan: o.plan.clone(),
            initiative_no: o.initiative_no.clone(),
            indicator_no: o.indicator_no,
            indicator: o.indicator.clone(),
        }
    }
}

fn has_number(o: &Observation) -> Option<f64> {
    if o.status == Status::Ok || o.status == Status::Approx {
        o.value
    } else {
        None
    }
}

/// The date a sub-year period of fiscal year `fy` ends (fiscal years start in April).
fn period_end(o: &Observation, fy: i32) -> Option<NaiveDate> {
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    match o.period {
        Period::Q(1) => ymd(fy, 6, 30),
        Period::Q(2) | Period::H(1) => ymd(fy, 9, 30),
        Period::Q(3) => ymd(fy, 12, 31),
        Period::Q(4) | Period::H(2) => ymd(fy + 1, 3, 31),
        Period::AsOf => o.as_of,
        _ => None,
    }
}

fn period_label(o: &Observation) -> String {
    match (o.period, o.as_of) {
        (Period::AsOf, Some(d)) => format!("AS_OF:{d}"),
        (p, _) => p.as_str().to_string(),
    }
}

/// The year's result as found in the records.
enum Actual<'a> {
    None,
    Pending(&'a Observation),
    NoValue(&'a Observation),
    Value {
        value: f64,
        unit: Option<String>,
        period: String,
        at: Provenance,
        raw: String,
    },
    UnitsDisagree(Vec<&'a Observation>),
}

fn single(o: &Observation, v: f64) -> Actual<'_> {
    Actual::Value {
        value: v,
        unit: o.unit.clone(),
        period: period_label(o),
        at: o.at.clone(),
        raw: o.raw.clone(),
    }
}

fn year_actual<'a>(group: &[&'a Observation], fy: i32, agg: Aggregation) -> Actual<'a> {
    let reported =
        |o: &&&Observation| o.kind == Kind::Actual && o.fiscal_year == Some(fy) && o.status != Status::Blank && o.status != Status::Deleted;
    if let Some(o) = group.iter().filter(reported).find(|o| o.period == Period::FY) {
        return match (o.status.as_str(), has_number(o)) {
            ("pending", _) => Actual::Pending(o),
            (_, Some(v)) => single(o, v),
            _ => Actual::NoValue(o),
        };
    }
    let mut sub: Vec<(NaiveDate, &Observation)> = group
        .iter()
        .filter(reported)
        .filter_map(|o| period_end(o, fy).map(|d| (d, *o)))
        .collect();
    sub.sort_by_key(|(d, _)| *d); // stable: equal dates keep sheet order
    let Some((_, latest)) = sub.last() else { return Actual::None };
    if latest.status == Status::Pending {
        return Actual::Pending(latest);
    }
    let valued: Vec<&Observation> = sub.iter().map(|(_, o)| *o).filter(|o| has_number(o).is_some()).collect();
    match agg {
        Aggregation::Latest => match valued.last() {
            Some(o) => single(o, has_number(o).unwrap_or_default()),
            None => Actual::NoValue(latest),
        },
        Aggregation::Sum | Aggregation::Mean => {
            let quarters: Vec<&Observation> = valued.iter().copied().filter(|o| o.period.quarter().is_some()).collect();
            let halves: Vec<&Observation> = valued.iter().copied().filter(|o| matches!(o.period, Period::H(_))).collect();
            let set = if !quarters.is_empty() { quarters } else { halves };
            let Some(first) = set.first() else {
                return match valued.last() {
                    Some(o) => single(o, has_number(o).unwrap_or_default()),
                    None => Actual::NoValue(latest),
                };
            };
            if set.iter().any(|o| o.unit != first.unit) {
                return Actual::UnitsDisagree(set);
            }
            let values: Vec<f64> = set.iter().filter_map(|o| has_number(o)).collect();
            let total: f64 = values.iter().sum();
            let periods: Vec<&str> = set.iter().map(|o| o.period.as_str()).collect();
            let (value, period) = if agg == Aggregation::Sum {
                (total, periods.join("+"))
            } else {
                (total / values.len() as f64, format!("mean({})", periods.join(",")))
            };
            Actual::Value {
                value,
                unit: first.unit.clone(),
                period,
                at: Provenance {
                    source_file: first.at.source_file.clone(),
                    sheet: first.at.sheet.clone(),
                    cell: set.iter().map(|o| o.at.cell.as_str()).collect::<Vec<_>>().join(","),
                },
                raw: set.iter().map(|o| o.raw.as_str()).collect::<Vec<_>>().join(" | "),
            }
        }
    }
}

/// The baseline for fiscal year `fy`: the latest numeric one not after it, in the target's unit.
fn baseline(group: &[&Observation], fy: i32, unit: Option<&str>) -> Option<f64> {
    group
        .iter()
        .filter(|o| o.kind == Kind::Baseline && o.fiscal_year.is_none_or(|y| y <= fy))
        .filter(|o| unit.is_none() || o.unit.is_none() || o.unit.as_deref() == unit)
        .filter_map(|o| has_number(o).map(|v| (o.fiscal_year.unwrap_or(i32::MIN), period_end(o, o.fiscal_year.unwrap_or(0)), v)))
        .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
        .map(|(_, _, v)| v)
}

/// Achievement rate (percent points) and whether the target is met.
fn achievement(direction: Direction, target: f64, actual: f64) -> (Option<f64>, bool) {
    match direction {
        Direction::Higher => ((target != 0.0).then(|| actual / target * 100.0), actual >= target),
        Direction::Lower => {
            let rate = if actual != 0.0 {
                Some(target / actual * 100.0)
            } else if target == 0.0 {
                Some(100.0)
            } else {
                None
            };
            (rate, actual <= target)
        }
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Input formats that are text (usually extracted from PDFs): a workbook of the
/// same document is preferred over them.
const TEXT_FORMATS: &[&str] = &["txt", "tsv", "csv"];

fn opt_num(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_else(|| "none".into())
}

fn evaluate_one(
    rules: &EvaluationRules,
    key: &Key,
    fy: i32,
    target: &Observation,
    group: &[&Observation],
) -> (EvaluationRow, Option<Diagnostic>) {
    let (direction, direction_inferred) = rules.direction(&key.plan, &key.initiative_no, &key.indicator);
    let agg = rules.aggregation(&key.plan, &key.initiative_no, &key.indicator);
    // Goal and item title come from the whole run, in Evaluator::finish.
    let mut row = EvaluationRow {
        plan: key.plan.clone(),
        goal: None,
        initiative_no: key.initiative_no.clone(),
        initiative: target.initiative.clone(),
        indicator_no: key.indicator_no,
        indicator: key.indicator.clone(),
        fiscal_year: fy,
        target: has_number(target),
        actual: None,
        actual_period: None,
        unit: target.unit.clone(),
        direction,
        direction_inferred,
        achievement_rate: None,
        progress_rate: None,
        status: EvalStatus::Pending,
        target_at: target.at.clone(),
        actual_at: None,
    };
    let what = format!("KPI {} FY{fy}", key.indicator);
    let not_evaluable = |row: &mut EvaluationRow, why: String| {
        row.status = EvalStatus::NotEvaluable;
        Some(Diagnostic::new(
            DiagCode::NotEvaluable,
            format!("{what} is not evaluable: {why}"),
            target.at.clone(),
            Some(target.raw.clone()),
        ))
    };
    if target.status == Status::Text {
        let d = not_evaluable(&mut row, "the target is text, not a number".into());
        return (row, d);
    }
    let Some(t) = row.target else {
        let d = not_evaluable(&mut row, format!("the target has no value (status {})", target.status));
        return (row, d);
    };
    match year_actual(group, fy, agg) {
        Actual::None => (row, None),
        Actual::Pending(o) => {
            row.actual_period = Some(period_label(o));
            row.actual_at = Some(o.at.clone());
            (row, None)
        }
        Actual::NoValue(o) => {
            row.actual_period = Some(period_label(o));
            row.actual_at = Some(o.at.clone());
            let why = format!(
                "the actual in {} {} has no value (status {}, {:?})",
                o.at.sheet, o.at.cell, o.status, o.raw
            );
            let d = not_evaluable(&mut row, why);
            (row, d)
        }
        Actual::UnitsDisagree(set) => {
            let units: Vec<String> = set
                .iter()
                .map(|o| format!("{} {}", o.at.cell, o.unit.as_deref().unwrap_or("(none)")))
                .collect();
            let d = not_evaluable(&mut row, format!("the quarterly values' units disagree: {}", units.join(", ")));
            (row, d)
        }
        Actual::Value {
            value,
            unit,
            period,
            at,
            raw,
        } => {
            row.actual = Some(value);
            row.actual_period = Some(period);
            row.actual_at = Some(at.clone());
            if let (Some(tu), Some(au)) = (&target.unit, &unit)
                && tu != au
            {
                let why = format!(
                    "the units disagree: target {} {tu}, actual {} {au} ({} {}, {raw:?})",
                    fmt_num(t),
                    fmt_num(value),
                    at.sheet,
                    at.cell
                );
                let d = not_evaluable(&mut row, why);
                return (row, d);
            }
            if row.unit.is_none() {
                row.unit = unit;
            }
            let (rate, achieved) = achievement(direction, t, value);
            row.achievement_rate = rate;
            row.status = if achieved { EvalStatus::Achieved } else { EvalStatus::NotAchieved };
            row.progress_rate = baseline(group, fy, row.unit.as_deref())
                .filter(|b| *b != t)
                .map(|b| (value - b) / (t - b) * 100.0);
            (row, None)
        }
    }
}

/// Item numbers compare as numbers where both are (`2` before `10`).
fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        _ => a.cmp(b),
    }
}

fn row_order(a: &EvaluationRow, b: &EvaluationRow) -> std::cmp::Ordering {
    a.plan
        .cmp(&b.plan)
        .then_with(|| natural(&a.initiative_no, &b.initiative_no))
        .then_with(|| a.indicator_no.cmp(&b.indicator_no))
        .then_with(|| a.indicator.cmp(&b.indicator))
        .then_with(|| a.fiscal_year.cmp(&b.fiscal_year))
}

/// Evaluates every indicator-year with a target. Rows are sorted by plan,
/// item number (numerically), indicator number, indicator and fiscal year;
/// summary rows by plan, goal and fiscal year. When several input files hold
/// the same indicator (a workbook and its PDF text), one row is kept: the one
/// judged (achieved / not achieved) before pending before not evaluable, then
/// a workbook before a text file, then the first source file by name;
/// differing numbers between them are reported (`evaluation_sources_disagree`).
///
/// The same as [`candidates`] of `x` merged by an [`Evaluator`]; a streaming
/// run computes the candidates file by file and merges them as files finish.
pub fn evaluate(x: &Extract, rules: &EvaluationRules) -> Evaluated {
    let mut ev = Evaluator::default();
    ev.merge(candidates(x, rules));
    ev.finish()
}

/// One indicator-year as judged from one source file.
pub struct Candidate {
    key: Key,
    row: EvaluationRow,
    diagnostic: Option<Diagnostic>,
    /// Whether the source is text extracted from a PDF (a workbook is preferred).
    text_source: bool,
}

impl Candidate {
    /// Sort key among the candidates of one indicator-year: judged rows first,
    /// then workbooks before text, then the source file by name.
    fn rank(&self) -> (u8, bool, &str) {
        let judged = match self.row.status {
            EvalStatus::Achieved | EvalStatus::NotAchieved => 0,
            EvalStatus::Pending => 1,
            EvalStatus::NotEvaluable => 2,
        };
        (judged, self.text_source, self.row.target_at.source_file.as_str())
    }
}

/// What the evaluation needs from one file (or any extract): its candidate
/// rows and the goal and title of each item, computed where the file was read.
#[derive(Default)]
pub struct Candidates {
    rows: Vec<Candidate>,
    /// (plan, item number) → goal, in the file's order.
    goals: Vec<((String, String), String)>,
    /// (plan, item number) → item title, in the file's order.
    titles: Vec<((String, String), String)>,
}

/// Judges every indicator-year with a target in `x`, per source file. Goals
/// and item titles are filled in by [`Evaluator::finish`] from the whole run.
pub fn candidates(x: &Extract, rules: &EvaluationRules) -> Candidates {
    let mut out = Candidates::default();
    for i in &x.initiatives {
        let k = (i.plan.clone(), i.initiative_no.clone());
        if let Some(g) = &i.goal {
            out.goals.push((k.clone(), g.clone()));
        }
        if !i.initiative.is_empty() {
            out.titles.push((k, i.initiative.clone()));
        }
    }
    let deleted: HashSet<(&str, Key)> = x
        .indicators
        .iter()
        .filter(|i| i.status == IndicatorStatus::Deleted)
        .map(|i| {
            let k = Key {
                plan: i.plan.clone(),
                initiative_no: i.initiative_no.clone(),
                indicator_no: i.indicator_no,
                indicator: i.indicator.clone(),
            };
            (i.at.source_file.as_str(), k)
        })
        .collect();
    let text_sources: HashSet<&str> = x
        .sources
        .iter()
        .filter(|s| TEXT_FORMATS.contains(&s.format.to_ascii_lowercase().as_str()))
        .map(|s| s.source_file.as_str())
        .collect();
    let mut groups: BTreeMap<(&str, Key), Vec<&Observation>> = BTreeMap::new();
    for o in &x.observations {
        groups.entry((o.at.source_file.as_str(), Key::of(o))).or_default().push(o);
    }
    for ((source, key), group) in &groups {
        if deleted.contains(&(*source, key.clone())) {
            continue;
        }
        let deleted_from = group
            .iter()
            .filter(|o| o.status == Status::Deleted)
            .filter_map(|o| o.fiscal_year)
            .min();
        let mut seen = HashSet::new();
        for t in group.iter().filter(|o| o.kind == Kind::Target && o.period == Period::FY) {
            let Some(fy) = t.fiscal_year else { continue };
            if t.status == Status::Blank || t.status == Status::Deleted || deleted_from.is_some_and(|d| d <= fy) || !seen.insert(fy) {
                continue;
            }
            let (row, diagnostic) = evaluate_one(rules, key, fy, t, group);
            out.rows.push(Candidate {
                key: key.clone(),
                row,
                diagnostic,
                text_source: text_sources.contains(source),
            });
        }
    }
    out
}

/// A run's evaluation: its rows, the summary per goal and year, and its diagnostics.
pub type Evaluated = (Vec<EvaluationRow>, Vec<SummaryRow>, Vec<Diagnostic>);

/// What one losing candidate must keep to be compared with the winner: a
/// few numbers and the index of its source file in [`Evaluator::files`]
/// (a national run holds hundreds of thousands of these).
struct Brief {
    judged: u8,
    text_source: bool,
    file: u32,
    target: Option<f64>,
    actual: Option<f64>,
    actual_period: Option<Box<str>>,
}

/// The candidates of one indicator-year seen so far: the best in full, every
/// one in brief (the losers only matter for `evaluation_sources_disagree`).
struct Slot {
    best: Candidate,
    all: Vec<Brief>,
}

/// Merges [`Candidates`] file by file, in input order, holding one full row per
/// indicator-year and a few numbers per other source: memory grows with the
/// number of indicators, not of files.
#[derive(Default)]
pub struct Evaluator {
    slots: BTreeMap<(Key, i32), Slot>,
    goals: HashMap<(String, String), String>,
    titles: HashMap<(String, String), String>,
    /// Source files of the candidates, each once.
    files: Vec<String>,
    file_index: HashMap<String, u32>,
}

impl Evaluator {
    /// Adds one file's candidates (files must come in input order: the first
    /// goal and title of an item win).
    pub fn merge(&mut self, c: Candidates) {
        for (k, g) in c.goals {
            self.goals.entry(k).or_insert(g);
        }
        for (k, t) in c.titles {
            self.titles.entry(k).or_insert(t);
        }
        for cand in c.rows {
            let (judged, text_source, source) = cand.rank();
            let file = match self.file_index.get(source) {
                Some(&i) => i,
                None => {
                    let i = self.files.len() as u32;
                    self.files.push(source.to_string());
                    self.file_index.insert(source.to_string(), i);
                    i
                }
            };
            let brief = Brief {
                judged,
                text_source,
                file,
                target: cand.row.target,
                actual: cand.row.actual,
                actual_period: cand.row.actual_period.as_deref().map(Into::into),
            };
            match self.slots.entry((cand.key.clone(), cand.row.fiscal_year)) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(Slot {
                        best: cand,
                        all: vec![brief],
                    });
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    let slot = o.get_mut();
                    if cand.rank() < slot.best.rank() {
                        slot.best = cand;
                    }
                    slot.all.push(brief);
                }
            }
        }
    }

    /// The evaluation rows, the summary and the diagnostics of the whole run.
    pub fn finish(mut self) -> Evaluated {
        let mut rows = Vec::new();
        let mut diagnostics = Vec::new();
        for slot in std::mem::take(&mut self.slots).into_values() {
            rows.push(self.judge(slot, &mut diagnostics));
        }
        rows.sort_by(row_order);
        let summary = summarise(&rows);
        (rows, summary, diagnostics)
    }

    /// One indicator-year's row (with the run's goal and item title); its
    /// diagnostics go to `diagnostics`: every other source that gives other
    /// numbers, then the row's own.
    fn judge(&self, slot: Slot, diagnostics: &mut Vec<Diagnostic>) -> EvaluationRow {
        let Slot { best, mut all } = slot;
        let mut row = best.row;
        let files = &self.files;
        all.sort_by(|a, b| (a.judged, a.text_source, &files[a.file as usize]).cmp(&(b.judged, b.text_source, &files[b.file as usize])));
        for other in all.iter().skip(1) {
            let differs = |a: Option<f64>, b: Option<f64>| matches!((a, b), (Some(x), Some(y)) if x != y);
            if differs(row.target, other.target)
                || (row.actual_period.as_deref() == other.actual_period.as_deref() && differs(row.actual, other.actual))
            {
                diagnostics.push(Diagnostic::new(
                    DiagCode::EvaluationSourcesDisagree,
                    format!(
                        "KPI {} FY{}: {} gives target {} / actual {}, {} gives {} / {}; the first is used",
                        row.indicator,
                        row.fiscal_year,
                        row.target_at.source_file,
                        opt_num(row.target),
                        opt_num(row.actual),
                        files[other.file as usize],
                        opt_num(other.target),
                        opt_num(other.actual)
                    ),
                    row.target_at.clone(),
                    None,
                ));
            }
        }
        diagnostics.extend(best.diagnostic);
        let ik = (row.plan.clone(), row.initiative_no.clone());
        row.goal = self.goals.get(&ik).cloned();
        if let Some(t) = self.titles.get(&ik) {
            row.initiative = t.clone();
        }
        row
    }
}

/// Counts per plan, goal and fiscal year, sorted by them.
pub fn summarise(rows: &[EvaluationRow]) -> Vec<SummaryRow> {
    let mut by: BTreeMap<(String, Option<String>, i32), [i32; 4]> = BTreeMap::new();
    for r in rows {
        let c = by.entry((r.plan.clone(), r.goal.clone(), r.fiscal_year)).or_default();
        c[r.status as usize] += 1;
    }
    by.into_iter()
        .map(|((plan, goal, fiscal_year), [a, n, p, e])| SummaryRow {
            plan,
            goal,
            fiscal_year,
            achieved: a,
            not_achieved: n,
            pending: p,
            not_evaluable: e,
            kpi_achievement_rate: (a + n > 0).then(|| f64::from(a) / f64::from(a + n) * 100.0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn achievement_edge_cases() {
        assert!(achievement(Direction::Higher, 750.0, 1266.0).1);
        assert_eq!(achievement(Direction::Lower, 0.0, 0.0), (Some(100.0), true));
        assert_eq!(achievement(Direction::Lower, 5.0, 0.0), (None, true));
        assert_eq!(achievement(Direction::Lower, 0.0, 3.0), (Some(0.0), false));
        assert_eq!(achievement(Direction::Higher, 0.0, 0.0), (None, true));
    }

    fn obs(kind: &str, fy: i32, period: &str, value: Option<f64>, status: &str, cell: &str) -> Observation {
        Observation {
            plan: "P".into(),
            initiative_no: "1".into(),
            initiative: "I".into(),
            indicator_no: Some(1),
            indicator: "K".into(),
            fiscal_year: Some(fy),
            period: Period::parse(period).unwrap(),
            as_of: None,
            kind: Kind::parse(kind).unwrap(),
            value,
            unit: value.map(|_| "u".to_string()),
            status: Status::parse(status).unwrap(),
            raw: cell.into(),
            at: Provenance {
                source_file: "f.xlsx".into(),
                sheet: "s".into(),
                cell: cell.into(),
            },
        }
    }

    fn run(observations: Vec<Observation>) -> (Vec<EvaluationRow>, Vec<Diagnostic>) {
        let x = Extract {
            observations,
            ..Default::default()
        };
        let (rows, _, diags) = evaluate(&x, &EvaluationRules::default());
        (rows, diags)
    }

    #[test]
    fn fy_actual_wins_over_quarters_and_approx_counts() {
        let (rows, _) = run(vec![
            obs("target", 2021, "FY", Some(10.0), "ok", "T1"),
            obs("actual", 2021, "Q4", Some(12.0), "ok", "A4"),
            obs("actual", 2021, "FY", Some(9.0), "approx", "AF"),
        ]);
        assert_eq!((rows[0].actual, rows[0].actual_period.as_deref()), (Some(9.0), Some("FY")));
        assert_eq!(rows[0].status, EvalStatus::NotAchieved);
    }

    #[test]
    fn pending_fy_not_done_and_deleted_markers() {
        let (rows, diags) = run(vec![
            obs("target", 2021, "FY", Some(10.0), "ok", "T1"),
            obs("actual", 2021, "FY", None, "pending", "AF"),
            obs("target", 2022, "FY", Some(10.0), "ok", "T2"),
            obs("actual", 2022, "Q1", None, "not_done", "B1"),
            obs("target", 2023, "FY", Some(10.0), "ok", "T3"),
            obs("actual", 2023, "Q1", None, "deleted", "C1"),
            obs("target", 2024, "FY", Some(10.0), "ok", "T4"),
        ]);
        let st: Vec<(i32, EvalStatus)> = rows.iter().map(|r| (r.fiscal_year, r.status)).collect();
        assert_eq!(st, [(2021, EvalStatus::Pending), (2022, EvalStatus::NotEvaluable)]);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].at.cell, "T2");
    }

    #[test]
    fn later_quarter_without_value_falls_back_to_the_latest_number() {
        let (rows, _) = run(vec![
            obs("target", 2021, "FY", Some(10.0), "ok", "T1"),
            obs("actual", 2021, "Q2", Some(11.0), "ok", "A2"),
            obs("actual", 2021, "Q3", None, "blank", "A3"),
        ]);
        assert_eq!((rows[0].actual, rows[0].actual_period.as_deref()), (Some(11.0), Some("Q2")));
        assert_eq!(rows[0].status, EvalStatus::Achieved);
    }

    #[test]
    fn natural_item_order() {
        let mut v = vec!["10", "2", "1", "b", "a"];
        v.sort_by(|a, b| natural(a, b));
        assert_eq!(v, ["1", "2", "10", "a", "b"]);
    }
}
