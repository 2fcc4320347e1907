//! Writers of the output files. Each writes to a temporary name in the output
//! folder and renames it into place when complete, so an interrupted run
//! leaves the previous outputs intact.

pub mod charts;
pub mod csv;
pub mod parquet;
pub mod xlsx;

use std::path::{Path, PathBuf};

use crate::evaluate::{EvaluationRow, SummaryRow};
use crate::model::Extract;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot build table {table}: {message}")]
    Frame { table: String, message: String },
    #[error("cannot write workbook {path}: {message}")]
    Workbook { path: PathBuf, message: String },
}

/// Writes `final_path` through `write`, which receives a temporary path beside it.
///
/// # Errors
/// Whatever `write` returns, or the rename failing.
pub fn atomic<F>(final_path: &Path, write: F) -> Result<(), SinkError>
where
    F: FnOnce(&Path) -> Result<(), SinkError>,
{
    let dir = final_path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| SinkError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let name = final_path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = write(&tmp);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    std::fs::rename(&tmp, final_path).map_err(|source| SinkError::Io {
        path: final_path.to_path_buf(),
        source,
    })
}

/// Everything an ingest writes: the extracted rows and their evaluation.
pub struct Outputs<'a> {
    pub extract: &'a Extract,
    pub evaluation: &'a [EvaluationRow],
    pub summary: &'a [SummaryRow],
}

impl Outputs<'_> {
    /// All tables as DataFrames, the evaluation tables before sources and diagnostics.
    ///
    /// # Errors
    /// Only if polars rejects a column.
    pub fn frames(&self) -> polars::prelude::PolarsResult<Vec<(&'static str, polars::prelude::DataFrame)>> {
        let mut frames = crate::table::frames(self.extract)?;
        let at = frames.iter().position(|(n, _)| *n == "sources").unwrap_or(frames.len());
        for (i, f) in crate::evaluate::frames(self.evaluation, self.summary)?.into_iter().enumerate() {
            frames.insert(at + i, f);
        }
        Ok(frames)
    }
}
