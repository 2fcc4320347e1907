//! A previous ingest's Parquet → model records (`DIR/parquet/<table>.parquet`),
//! through the same table declarations the writers use (`crate::table`). A
//! missing file or column is a typed error naming it, never a panic.

use std::path::Path;

use super::RenderError;
use crate::model::{EvaluationCount, Indicator, Initiative, Observation, ScheduleEntry};
use crate::table::{Record, from_frame};

/// The tables `render` reads.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub observations: Vec<Observation>,
    pub indicators: Vec<Indicator>,
    pub initiatives: Vec<Initiative>,
    pub schedule: Vec<ScheduleEntry>,
    pub evaluation_counts: Vec<EvaluationCount>,
}

/// Reads `dir/parquet/{observations,indicators,initiatives,schedule,evaluation_counts}.parquet`.
///
/// # Errors
/// A missing or unreadable file, or a column missing or of the wrong type.
pub fn read_tables(dir: &Path) -> Result<Tables, RenderError> {
    Ok(Tables {
        observations: read(dir)?,
        indicators: read(dir)?,
        initiatives: read(dir)?,
        schedule: read(dir)?,
        evaluation_counts: read(dir)?,
    })
}

/// The records of one table's Parquet file.
fn read<R: Record>(dir: &Path) -> Result<Vec<R>, RenderError> {
    let path = dir.join("parquet").join(format!("{}.parquet", R::TABLE.name));
    // A file, or the folder of parts shards and a merge wrote.
    let df = crate::table::read_table(&path)?;
    from_frame(&df).map_err(|e| {
        RenderError::Read(crate::table::ReadError::Column {
            path,
            column: e.column,
            message: e.message,
        })
    })
}
