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
//!
//! `judge` makes each file's candidate rows where the file was read, `merge`
//! keeps one per indicator-year across files, `series` the chart series.

mod judge;
mod merge;
mod series;

pub use crate::mapping::evaluation::{Aggregation, Direction, EvaluationRules};
use crate::model::{Diagnostic, Extract};
pub use crate::model::{EvalStatus, EvaluationRow, SummaryRow};
pub use judge::{Candidate, Candidates, candidates};
pub use merge::{Evaluator, natural_order, summarise};
pub use series::Trends;

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

/// A run's evaluation: its rows, the summary per goal and year, and its diagnostics.
pub type Evaluated = (Vec<EvaluationRow>, Vec<SummaryRow>, Vec<Diagnostic>);

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Kind, Observation, Period, Provenance, Status};

    /// An observation of indicator K in item 1 of plan P, in file `f.xlsx`
    /// sheet `s` at `cell` (whose text is `cell` too).
    pub(crate) fn obs(kind: &str, fy: i32, period: &str, value: Option<f64>, status: &str, cell: &str) -> Observation {
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
}
