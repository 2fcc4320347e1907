//! The records the pipeline produces, one struct per output table. Everything
//! downstream (tables, sinks) reads these. The closed vocabularies (kind,
//! period, status, diagnostic code) are enums that serialise to the contract's strings.

mod codes;
mod evaluation;
mod run;
mod values;

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use codes::{DiagCode, codes_markdown};
pub use evaluation::{Direction, EvalStatus, EvaluationRow, SummaryRow};
pub use run::RunStamp;
pub use values::{IndicatorStatus, Kind, Period, ScheduleKind, Status};

/// Where a value came from: file, sheet and A1 cell.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Provenance {
    pub source_file: String,
    pub sheet: String,
    pub cell: String,
}

/// One value cell, tidy (long) form. See CONTRACT.md `observations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub plan: String,
    pub initiative_no: String,
    pub initiative: String,
    pub indicator_no: Option<i32>,
    pub indicator: String,
    pub fiscal_year: Option<i32>,
    pub period: Period,
    pub as_of: Option<NaiveDate>,
    pub kind: Kind,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub status: Status,
    pub raw: String,
    pub at: Provenance,
}

/// One indicator (KPI) of an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub plan: String,
    pub initiative_no: String,
    pub initiative: String,
    pub indicator_no: Option<i32>,
    pub indicator: String,
    pub unit: Option<String>,
    pub final_target_value: Option<f64>,
    pub final_target_fy: Option<i32>,
    pub final_target_raw: Option<String>,
    pub status: IndicatorStatus,
    /// The group the sheet lists it under (取組目標 / 参考指標), where it has one.
    pub indicator_group: Option<String>,
    /// The KGI it is linked to, as printed.
    pub kgi: Option<String>,
    pub at: Provenance,
}

/// One 実施項目 / 取組項目.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Initiative {
    pub plan: String,
    pub goal: Option<String>,
    pub reform: Option<String>,
    pub initiative_no: String,
    pub initiative: String,
    pub direction: Option<String>,
    pub divisions: Vec<String>,
    /// 関係所属: divisions involved besides those in charge.
    pub related_divisions: Vec<String>,
    /// 【現状】 as printed.
    pub situation: Option<String>,
    /// 【問題・課題】 as printed.
    pub issues: Option<String>,
    pub at: Provenance,
}

/// One 工程 cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleEntry {
    pub plan: String,
    pub initiative_no: String,
    pub task_group: Option<String>,
    pub task: String,
    pub fiscal_year: Option<i32>,
    pub period: Period,
    pub kind: ScheduleKind,
    pub text: String,
    pub at: Provenance,
}

/// One yearly evaluation count (達成件数 `0 / 3`: achieved of total).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationCount {
    pub plan: String,
    pub initiative_no: String,
    pub fiscal_year: Option<i32>,
    pub label: String,
    pub achieved: Option<i32>,
    pub total: Option<i32>,
    pub raw: String,
    pub at: Provenance,
}

/// An achievement a sheet prints (達成率 88.2%, or a word such as 達成), kept
/// to be checked against the one the evaluation computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedAchievement {
    pub plan: String,
    pub initiative_no: String,
    pub indicator_no: Option<i32>,
    pub indicator: String,
    pub fiscal_year: Option<i32>,
    /// The rate in percent points, where the cell holds a number.
    pub rate: Option<f64>,
    /// The status the cell prints (the vocabulary's achieved / not-achieved words, or pending).
    pub status: Option<EvalStatus>,
    /// The cell as printed.
    pub raw: String,
    pub at: Provenance,
}

/// One input file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SourceRecord {
    pub source_file: String,
    pub format: String,
    pub encoding: Option<String>,
    pub sha256: String,
    pub sheets: Vec<String>,
    pub layout: Option<String>,
    pub cells_read: u64,
    pub cells_mapped: u64,
    pub cells_unmapped: u64,
    /// Value-like cells no table took (each an `unmapped_value` warning).
    pub value_cells_unread: u64,
    /// `ok`, `warnings`, `errors`, `skipped` or `duplicate`.
    pub status: String,
    /// The run that wrote the table ([`RunStamp`]), set when the
    /// row is written. Not cached: a reused row belongs to the run reusing it,
    /// and the cache's entries keep their encoding.
    #[serde(skip)]
    pub run_id: String,
    /// When that run started (RFC 3339, UTC).
    #[serde(skip)]
    pub run_started: String,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// Lower-case name as written to the tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The named arguments of a diagnostic's message, in order: `(name, value)`.
/// Names are the `$name`s of the code's message in `mappings/messages/*.ftl`;
/// `case` picks the wording where one code has several.
pub type Args = Vec<(Cow<'static, str>, String)>;

/// Builds [`Args`] from `"name" => value` pairs (each value through `to_string`).
macro_rules! args {
    () => { ::std::vec::Vec::new() };
    ($($k:literal => $v:expr),+ $(,)?) => {
        vec![$((::std::borrow::Cow::Borrowed($k), ::std::string::ToString::to_string(&$v))),+]
    };
}
pub(crate) use args;

/// One problem or note about the input. It holds no text for people: its
/// message is rendered from `code` and `args` in the language of whoever
/// shows it (`mapping::messages`), so a cached diagnostic serves every language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: DiagCode,
    /// The message's named arguments (see [`Args`]).
    pub args: Args,
    pub at: Provenance,
    pub raw: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at `at`; its severity is the code's.
    pub fn new(code: DiagCode, args: Args, at: Provenance, raw: Option<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            args,
            at,
            raw,
        }
    }

    /// The argument `name`, if the diagnostic has it.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Everything extracted from one source (or a whole run, when merged).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extract {
    pub observations: Vec<Observation>,
    pub indicators: Vec<Indicator>,
    pub initiatives: Vec<Initiative>,
    pub schedule: Vec<ScheduleEntry>,
    pub evaluation_counts: Vec<EvaluationCount>,
    /// Achievements printed on the sheets (each cell also an `achievement_cell` note).
    pub printed_achievements: Vec<PrintedAchievement>,
    pub sources: Vec<SourceRecord>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Extract {
    /// Appends another extract's rows to this one, keeping order.
    pub fn append(&mut self, mut other: Extract) {
        self.observations.append(&mut other.observations);
        self.indicators.append(&mut other.indicators);
        self.initiatives.append(&mut other.initiatives);
        self.schedule.append(&mut other.schedule);
        self.evaluation_counts.append(&mut other.evaluation_counts);
        self.printed_achievements.append(&mut other.printed_achievements);
        self.sources.append(&mut other.sources);
        self.diagnostics.append(&mut other.diagnostics);
    }

    /// Highest severity among the diagnostics.
    pub fn worst(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }
}
