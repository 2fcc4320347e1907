//! Writers of the output files. Each writes to a temporary name in the output
//! folder and renames it into place when complete, so an interrupted run
//! leaves the previous outputs intact.

pub mod charts;
pub mod csv;
pub mod parquet;
pub mod xlsx;

use std::path::{Path, PathBuf};

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

impl SinkError {
    /// A table that polars could not build, write or read back.
    pub fn frame(table: &str, e: impl std::fmt::Display) -> SinkError {
        SinkError::Frame {
            table: table.to_string(),
            message: e.to_string(),
        }
    }
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

/// A table written to a Parquet file, read back in batches by the writers of
/// the other formats (the workbook, CSV, partitions).
#[derive(Debug, Clone)]
pub struct TableFile {
    pub name: &'static str,
    pub path: PathBuf,
    pub rows: usize,
}

impl TableFile {
    /// The table in slices of at most `size` rows (one slice, possibly empty,
    /// for an empty table), each read from the file when asked for.
    pub fn batches(&self, size: usize) -> impl Iterator<Item = Result<polars::prelude::DataFrame, SinkError>> + '_ {
        self.batches_in(0..self.rows, size)
    }

    /// Rows `range` of the table in slices of at most `size` rows (one slice,
    /// possibly empty, for an empty range).
    pub fn batches_in(
        &self,
        range: std::ops::Range<usize>,
        size: usize,
    ) -> impl Iterator<Item = Result<polars::prelude::DataFrame, SinkError>> + '_ {
        use polars::prelude::*;
        let size = size.max(1);
        let count = range.len().div_ceil(size).max(1);
        (0..count).map(move |k| {
            let first = range.start + k * size;
            let len = size.min(range.end.saturating_sub(first));
            let file = std::fs::File::open(&self.path).map_err(|source| SinkError::Io {
                path: self.path.clone(),
                source,
            })?;
            ParquetReader::new(file)
                .with_slice(Some((first, len)))
                .finish()
                .map_err(|e| SinkError::frame(self.name, e))
        })
    }
}
