//! A previous ingest's Parquet → the model records the report shows, through
//! the same table declarations the writers use (`crate::table`), as `render`
//! reads them. A missing file or column is a [`ReportError`] naming it, never
//! a panic.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::ReportError;
use crate::model::{Diagnostic, EvaluationRow, Indicator, Observation, SourceRecord, SummaryRow};
use crate::table::{ReadError, Record, from_frame};

/// The tables the report reads, row by row, in file order.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub summary: Vec<SummaryRow>,
    pub evaluation: Vec<EvaluationRow>,
    /// Whether any sheet printed its own achievement (rate or status): the
    /// report shows those columns only then.
    pub has_printed: bool,
    pub observations: Vec<Observation>,
    pub indicators: Vec<Indicator>,
    /// Warning and error diagnostics only: info lines are notes, not problems to fix.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Vec<SourceRecord>,
}

/// Reads the tables of `dir/parquet/<table>.parquet`.
///
/// # Errors
/// A missing or unreadable file, or a documented column missing or of a type
/// the record cannot hold.
pub fn read_dir(dir: &Path) -> Result<Tables, ReportError> {
    read_with(|name| dir.join("parquet").join(format!("{name}.parquet")))
}

/// Reads the tables from the files `path_of(table name)` names (`ingest`
/// passes its staged files when it writes no Parquet folder).
///
/// # Errors
/// As [`read_dir`].
pub fn read_with(path_of: impl Fn(&str) -> PathBuf) -> Result<Tables, ReportError> {
    let evaluation: Vec<EvaluationRow> = read(&path_of, Ok)?;
    let has_printed = evaluation
        .iter()
        .any(|e| e.printed_achievement_rate.is_some() || e.printed_status.is_some());
    Ok(Tables {
        summary: read(&path_of, Ok)?,
        evaluation,
        has_printed,
        observations: read(&path_of, Ok)?,
        indicators: read(&path_of, Ok)?,
        diagnostics: read(&path_of, problems_only)?,
        sources: read(&path_of, Ok)?,
    })
}

/// The records of table `R`, after `keep` has chosen the rows.
fn read<R: Record>(
    path_of: &impl Fn(&str) -> PathBuf,
    keep: impl FnOnce(DataFrame) -> PolarsResult<DataFrame>,
) -> Result<Vec<R>, ReportError> {
    let path = path_of(R::TABLE.name);
    // A file, or the folder of parts shards and a merge wrote.
    let df = crate::table::read_table(&path)?;
    let column_error = |column: &str, message: String| {
        ReportError::Read(ReadError::Column {
            path: path.clone(),
            column: column.to_string(),
            message,
        })
    };
    let df = keep(df).map_err(|e| column_error("severity", e.to_string()))?;
    from_frame(&df).map_err(|e| column_error(&e.column, e.message))
}

/// Warnings and errors: a national run has a million info notes, which the
/// page does not list, so they are dropped before they become records.
fn problems_only(df: DataFrame) -> PolarsResult<DataFrame> {
    let severity = df.column("severity")?.cast(&DataType::String)?;
    let keep: BooleanChunked = severity.str()?.iter().map(|s| matches!(s, Some("warning" | "error"))).collect();
    df.filter(&keep)
}
