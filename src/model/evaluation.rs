//! The records of the yearly review: one row per indicator and fiscal year
//! with a target, and the counts per plan, goal and year. `evaluate` makes
//! them; `table` maps them to their tables, like every other record.

use serde::{Deserialize, Serialize};

use super::Provenance;

/// Which way an indicator is better (`mappings/evaluation.toml` writes `higher` / `lower`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    /// Name as written to the tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }

    /// The direction whose table string is `s`.
    pub fn parse(s: &str) -> Option<Self> {
        [Direction::Higher, Direction::Lower].into_iter().find(|d| d.as_str() == s)
    }
}

/// Outcome of one indicator-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EvalStatus {
    Achieved,
    NotAchieved,
    Pending,
    NotEvaluable,
}

impl EvalStatus {
    /// Every status, in the order of the summary's count columns.
    pub const ALL: [EvalStatus; 4] = [
        EvalStatus::Achieved,
        EvalStatus::NotAchieved,
        EvalStatus::Pending,
        EvalStatus::NotEvaluable,
    ];

    /// Name as written to the tables.
    pub fn as_str(self) -> &'static str {
        match self {
            EvalStatus::Achieved => "achieved",
            EvalStatus::NotAchieved => "not_achieved",
            EvalStatus::Pending => "pending",
            EvalStatus::NotEvaluable => "not_evaluable",
        }
    }

    /// The status whose table string is `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One indicator and fiscal year with a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRow {
    pub plan: String,
    pub goal: Option<String>,
    pub initiative_no: String,
    pub initiative: String,
    pub indicator_no: Option<i32>,
    pub indicator: String,
    pub fiscal_year: i32,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    /// `FY`, `Q1`…`Q4`, `H1`/`H2`, `AS_OF:YYYY-MM-DD`, `Q1+Q2+…` (sum) or `mean(Q1,…)`.
    pub actual_period: Option<String>,
    pub unit: Option<String>,
    pub direction: Direction,
    pub direction_inferred: bool,
    /// Percent points.
    pub achievement_rate: Option<f64>,
    /// Percent points of the way from the baseline to the target.
    pub progress_rate: Option<f64>,
    pub status: EvalStatus,
    /// The achievement rate the sheet prints for this year, where it prints one.
    pub printed_achievement_rate: Option<f64>,
    /// The status the sheet prints (an achieved / not-achieved word, or pending), as a code.
    pub printed_status: Option<EvalStatus>,
    /// Where the printed achievement is (`sheet!A1` of the target's file).
    pub printed_cell: Option<String>,
    pub target_at: Provenance,
    /// Where the actual came from (cells joined by `,` for sum / mean).
    pub actual_at: Option<Provenance>,
}

/// Counts per plan, goal and fiscal year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub plan: String,
    pub goal: Option<String>,
    pub fiscal_year: i32,
    pub achieved: i32,
    pub not_achieved: i32,
    pub pending: i32,
    pub not_evaluable: i32,
    /// achieved ÷ (achieved + not_achieved) × 100; null when nothing was judged.
    pub kpi_achievement_rate: Option<f64>,
}

impl SummaryRow {
    /// The counts in the order of [`EvalStatus::ALL`].
    pub fn counts(&self) -> [i32; 4] {
        [self.achieved, self.not_achieved, self.pending, self.not_evaluable]
    }
}
