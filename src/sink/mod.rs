//! Writers of the output files. Each writes to a temporary name in the output
//! folder and renames it into place when complete, so an interrupted run
//! leaves the previous outputs intact.

pub mod charts;
pub mod csv;
pub mod diagnostics_order;
pub mod indicator_list;
pub mod overview;
pub mod parquet;
pub mod sheet_splice;
pub mod sheet_xml;
pub mod xlsx;

use std::path::{Path, PathBuf};

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::{DataFrame, Schema};

/// Rows per Parquet row group, and per batch the other formats read back.
pub const ROW_GROUP_ROWS: usize = 65_536;

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

/// Runs `work` on every item, first to last, on as many plain threads as
/// rayon has workers; the results in the items' order.
///
/// Not on rayon's pool: the workbook's jobs read tables back, which waits for
/// polars' own pool, and a rayon worker waiting there starts another job
/// meanwhile and finishes it before resuming, so jobs ran nested inside each
/// other and the longest one waited for the rest (a second thread hardly helped).
pub(crate) fn on_plain_threads<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = rayon::current_num_threads().clamp(1, items.len().max(1));
    let count = items.len();
    // Popped from the end: reversed, so the first item starts first.
    let queue = std::sync::Mutex::new(items.into_iter().enumerate().rev().collect::<Vec<_>>());
    let done = std::sync::Mutex::new(Vec::with_capacity(count));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                // A poisoned lock means another thread panicked; the scope re-raises it.
                while let Some((i, item)) = queue.lock().ok().and_then(|mut q| q.pop()) {
                    let result = work(item);
                    if let Ok(mut d) = done.lock() {
                        d.push((i, result));
                    }
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
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

/// A table being written as Parquet, one row group per frame given: a run's
/// tables grow file by file without being held whole.
pub struct RowGroupWriter {
    name: &'static str,
    path: PathBuf,
    writer: BatchedWriter<parquet::FileSink>,
    rows: usize,
}

impl RowGroupWriter {
    /// Starts table `name` with columns `schema` at `path`, stamped with `run`.
    ///
    /// # Errors
    /// The file cannot be created.
    pub fn create(path: &Path, name: &'static str, schema: &Schema, run: &crate::model::RunStamp) -> Result<Self, SinkError> {
        Ok(RowGroupWriter {
            name,
            path: path.to_path_buf(),
            writer: parquet::batched(path, name, schema, run)?,
            rows: 0,
        })
    }

    /// The table's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Writes `df` as the next row group.
    ///
    /// # Errors
    /// polars failing to encode or write it.
    pub fn write(&mut self, df: &DataFrame) -> Result<(), SinkError> {
        self.writer.write_batch(df).map_err(|e| SinkError::frame(self.name, e))?;
        self.rows += df.height();
        Ok(())
    }

    /// Closes the file (its footer written): the table, ready to be read back.
    ///
    /// # Errors
    /// polars failing to write the footer.
    pub fn finish(self) -> Result<TableFile, SinkError> {
        self.writer.finish().map_err(|e| SinkError::frame(self.name, e))?;
        Ok(TableFile {
            name: self.name,
            path: self.path,
            rows: self.rows,
        })
    }
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
