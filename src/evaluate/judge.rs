//! Judging one file's indicator-years: the year's result from its
//! observations (FY actual, else the latest sub-year value, or the sum or mean
//! the rules ask for), against the year's target, in the indicator's direction.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::{Aggregation, Direction, EvaluationRules};
use crate::model::{
    Args, DiagCode, Diagnostic, EvalStatus, EvaluationRow, Extract, IndicatorStatus, Kind, Observation, Period, PrintedAchievement,
    Provenance, Status, args,
};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub(super) struct Key {
    pub(super) plan: String,
    pub(super) initiative_no: String,
    pub(super) indicator_no: Option<i32>,
    pub(super) indicator: String,
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

/// A percentage target against an actual typed without a unit that reads as
/// a fraction (`0.887` beside `100%`): 88.7 % or 0.887 %? A General-format
/// cell holding a ratio looks like this. Judging it either way would be a
/// guess, so the year is not evaluated and the cell is named. Zero is zero
/// either way.
fn percent_as_fraction(target_unit: Option<&str>, target: f64, actual_unit: Option<&str>, actual: f64) -> bool {
    target_unit == Some("%") && actual_unit.is_none() && target.abs() > 1.0 && actual != 0.0 && actual.abs() <= 1.0
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

/// Puts the sheet's printed achievement beside the computed one, and a
/// `printed_achievement_differs` warning when they disagree beyond the
/// rounding of the printed figure (88.2% agrees with 88.24…, not with 88.7).
fn check_printed(row: &mut EvaluationRow, p: &PrintedAchievement) -> Option<Diagnostic> {
    row.printed_achievement_rate = p.rate;
    row.printed_status = p.status;
    row.printed_cell = Some(format!("{}!{}", p.at.sheet, p.at.cell));
    let rate_differs = match (p.rate, row.achievement_rate) {
        (Some(printed), Some(computed)) => (printed - computed).abs() > printed_tolerance(&p.raw),
        _ => false,
    };
    let judged = matches!(row.status, EvalStatus::Achieved | EvalStatus::NotAchieved);
    let status_differs = judged && p.status.is_some_and(|s| s != row.status);
    if !rate_differs && !status_differs {
        return None;
    }
    let mut args = args![
        "indicator" => row.indicator,
        "fy" => row.fiscal_year,
        "printed" => p.raw.trim(),
        "status" => row.status.as_str(),
        "actual" => opt_num(row.actual),
        "target" => opt_num(row.target),
    ];
    // The computed rate where there is one: `case` tells the catalogue which wording.
    match row.achievement_rate {
        Some(r) => args.extend(args!["case" => "rate", "rate" => fmt_rate(r)]),
        None => args.extend(args!["case" => "status"]),
    }
    Some(Diagnostic::new(
        DiagCode::PrintedAchievementDiffers,
        args,
        p.at.clone(),
        Some(p.raw.clone()),
    ))
}

/// Two printed achievements of one indicator and year: a rate and a status
/// word in two cells, or a rate printed in both the target and the actual
/// row. The rate's cell names the pair; a 0% beside another rate is the
/// template's formula left from before the actual was typed (the target row
/// prints 0% while the actual row prints 89%), so the other rate is kept.
fn merge_printed(held: &mut PrintedAchievement, p: &PrintedAchievement) {
    let placeholder = |r: Option<f64>| r == Some(0.0);
    let take_new = p.rate.is_some() && (held.rate.is_none() || placeholder(held.rate) && !placeholder(p.rate));
    if take_new {
        held.rate = p.rate;
        held.raw = format!("{} / {}", p.raw.trim(), held.raw.trim());
        held.at = p.at.clone();
    } else {
        held.raw = format!("{} / {}", held.raw.trim(), p.raw.trim());
    }
    held.status = held.status.or(p.status);
}

/// Half a unit of the last decimal the printed figure shows (88.2% → 0.05).
fn printed_tolerance(raw: &str) -> f64 {
    let folded = crate::mapping::text::fold_ascii_width(raw);
    let decimals = folded
        .split_once('.')
        .map(|(_, frac)| frac.chars().take_while(char::is_ascii_digit).count())
        .unwrap_or(0);
    0.5 * 10f64.powi(-(decimals as i32)) + 1e-9
}

fn fmt_rate(r: f64) -> String {
    format!("{:.1}%", r)
}

pub(super) fn opt_num(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_else(|| "none".into())
}

/// Direction, whether inferred, and aggregation of one indicator: asked once per indicator, not per year.
type Judging = (Direction, bool, Aggregation);

fn evaluate_one(judging: Judging, key: &Key, fy: i32, target: &Observation, group: &[&Observation]) -> (EvaluationRow, Option<Diagnostic>) {
    let (direction, direction_inferred, agg) = judging;
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
        printed_achievement_rate: None,
        printed_status: None,
        printed_cell: None,
        target_at: target.at.clone(),
        actual_at: None,
    };
    let not_evaluable = |row: &mut EvaluationRow, why: Args| {
        row.status = EvalStatus::NotEvaluable;
        let mut args = args!["indicator" => key.indicator, "fy" => fy];
        args.extend(why);
        Some(Diagnostic::new(
            DiagCode::NotEvaluable,
            args,
            target.at.clone(),
            Some(target.raw.clone()),
        ))
    };
    if target.status == Status::Text {
        let d = not_evaluable(&mut row, args!["case" => "text-target"]);
        return (row, d);
    }
    let Some(t) = row.target else {
        let d = not_evaluable(&mut row, args!["case" => "target-no-value", "status" => target.status]);
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
            let why = args![
                "case" => "actual-no-value",
                "sheet" => o.at.sheet,
                "cell" => o.at.cell,
                "status" => o.status,
                "raw" => format!("{:?}", o.raw),
            ];
            let d = not_evaluable(&mut row, why);
            (row, d)
        }
        Actual::UnitsDisagree(set) => {
            let units: Vec<String> = set
                .iter()
                .map(|o| format!("{} {}", o.at.cell, o.unit.as_deref().unwrap_or("(none)")))
                .collect();
            let d = not_evaluable(&mut row, args!["case" => "quarter-units", "units" => units.join(", ")]);
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
                let why = args![
                    "case" => "units",
                    "target" => fmt_num(t),
                    "target_unit" => tu,
                    "actual" => fmt_num(value),
                    "actual_unit" => au,
                    "sheet" => at.sheet,
                    "cell" => at.cell,
                    "raw" => format!("{raw:?}"),
                ];
                let d = not_evaluable(&mut row, why);
                return (row, d);
            }
            if percent_as_fraction(target.unit.as_deref(), t, unit.as_deref(), value) {
                let why = args![
                    "case" => "percent-as-fraction",
                    "target" => fmt_num(t),
                    "actual" => fmt_num(value),
                    "percent" => fmt_num(crate::normalize::percent_of(value)),
                    "sheet" => at.sheet,
                    "cell" => at.cell,
                    "raw" => format!("{raw:?}"),
                ];
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

/// One indicator-year as judged from one source file.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Candidate {
    pub(super) key: Key,
    pub(super) row: EvaluationRow,
    /// The row's notes: why it is not evaluable, a printed achievement that disagrees.
    pub(super) diagnostic: Vec<Diagnostic>,
    /// Whether the source is text extracted from a PDF (a workbook is preferred).
    pub(super) text_source: bool,
}

impl Candidate {
    /// Sort key among the candidates of one indicator-year: judged rows first,
    /// then workbooks before text, then the source file by name.
    pub(super) fn rank(&self) -> (u8, bool, &str) {
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
// Serialisable: a shard hands each file's candidates to `torikumi merge`.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Candidates {
    pub(super) rows: Vec<Candidate>,
    /// (plan, item number) → goal, in the file's order.
    pub(super) goals: Vec<((String, String), String)>,
    /// (plan, item number) → item title, in the file's order.
    pub(super) titles: Vec<((String, String), String)>,
}

/// Judges every indicator-year with a target in `x`, per source file. Goals
/// and item titles are filled in by [`Evaluator::finish`](super::Evaluator::finish) from the whole run.
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
    // The achievements the sheets print, by file, indicator and year; a rate
    // and a status word printed in two cells are one achievement (the rate's cell names it).
    let mut printed: HashMap<(&str, Key, i32), PrintedAchievement> = HashMap::new();
    for p in &x.printed_achievements {
        let Some(fy) = p.fiscal_year else { continue };
        let k = Key {
            plan: p.plan.clone(),
            initiative_no: p.initiative_no.clone(),
            indicator_no: p.indicator_no,
            indicator: p.indicator.clone(),
        };
        match printed.entry((p.at.source_file.as_str(), k, fy)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(p.clone());
            }
            std::collections::hash_map::Entry::Occupied(mut o) => merge_printed(o.get_mut(), p),
        }
    }
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
        let judging = rules.judging(&key.plan, &key.initiative_no, &key.indicator);
        for t in group.iter().filter(|o| o.kind == Kind::Target && o.period == Period::FY) {
            let Some(fy) = t.fiscal_year else { continue };
            if t.status == Status::Blank || t.status == Status::Deleted || deleted_from.is_some_and(|d| d <= fy) || !seen.insert(fy) {
                continue;
            }
            let (mut row, diagnostic) = evaluate_one(judging, key, fy, t, group);
            let mut diagnostic: Vec<Diagnostic> = diagnostic.into_iter().collect();
            if let Some(p) = printed.get(&(*source, key.clone(), fy)) {
                diagnostic.extend(check_printed(&mut row, p));
            }
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

    #[test]
    fn a_unitless_fraction_against_a_percentage_is_not_judged() {
        let pct = Some("%");
        assert!(percent_as_fraction(pct, 65.6, None, 0.841));
        assert!(percent_as_fraction(pct, 100.0, None, 1.0));
        // Zero is zero either way; a unit or a fraction target settles it.
        assert!(!percent_as_fraction(pct, 100.0, None, 0.0));
        assert!(!percent_as_fraction(pct, 65.6, pct, 0.841));
        assert!(!percent_as_fraction(pct, 65.6, None, 84.1));
        assert!(!percent_as_fraction(pct, 0.5, None, 0.4));
        assert!(!percent_as_fraction(Some("件"), 750.0, None, 0.5));
    }
}
