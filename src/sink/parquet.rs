//! `DIR/parquet/<table>.parquet`: zstd, statistics, an Arrow schema every
//! maintained reader accepts, and the tool version, the run's stamp and the
//! table's description in key-value metadata; written in row groups as files finish.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::*;
use polars_parquet::write::KeyValue;

use super::{SinkError, TableFile};
use crate::model::RunStamp;
use crate::table::table_def;

/// The key-value metadata of a table file: the Arrow schema readers rebuild
/// the columns from, the tool version, the run that wrote it, and the table's
/// and columns' descriptions (when `name` is a documented table).
///
/// The Arrow schema is polars' oldest form (strings `large_string`, lists
/// `large_list`): its own writer states the newest (`string_view`), which
/// pyarrow before 16 cannot parse and refuses the whole file for. The data
/// pages are the same either way (UTF-8 byte arrays); only this description
/// of them differs, and the writer keeps a schema given here.
fn metadata(name: &str, schema: &Schema, run: &RunStamp) -> KeyValueMetadata {
    let arrow = polars_parquet::write::schema_to_metadata_key(&schema.to_arrow(CompatLevel::oldest()));
    let mut meta = vec![
        arrow,
        kv("torikumi.version", env!("CARGO_PKG_VERSION")),
        kv("torikumi.run_id", &run.id),
        kv("torikumi.run_started", &run.started),
    ];
    if let Some(def) = table_def(name) {
        meta.push(kv("torikumi.table", &format!("{}: {}", def.name, def.description)));
        for c in def.columns {
            meta.push(kv(&format!("torikumi.column.{}", c.name), c.description));
        }
    }
    KeyValueMetadata::Static(meta)
}

fn kv(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.to_string(),
        value: Some(value.to_string()),
    }
}

/// A table file being written. Buffered: polars writes each page header and
/// page separately (27,000 `write` calls for the nine tables of a 1,000-file
/// run); the footer's write ends with a flush, so a failed write still fails
/// `finish`.
pub type FileSink = std::io::BufWriter<std::fs::File>;

/// The writer settings every table file shares: zstd, full statistics, and
/// the [`metadata`] of table `name` with columns `schema`.
fn writer(file: FileSink, name: &str, schema: &Schema, run: &RunStamp) -> ParquetWriter<FileSink> {
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::full())
        .with_key_value_metadata(Some(metadata(name, schema, run)))
}

/// Creates `path` for writing, buffered.
pub fn create(path: &Path) -> Result<FileSink, SinkError> {
    std::fs::File::create(path)
        .map(|f| std::io::BufWriter::with_capacity(1 << 16, f))
        .map_err(|source| SinkError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// A writer of table `name` at `path` that takes one row group per batch.
///
/// # Errors
/// I/O or polars failures, as [`SinkError`].
pub fn batched(path: &Path, name: &str, schema: &Schema, run: &RunStamp) -> Result<BatchedWriter<FileSink>, SinkError> {
    writer(create(path)?, name, schema, run)
        .batched(schema)
        .map_err(|e| SinkError::frame(name, e))
}

/// Writes table `name` whole to `path`.
///
/// # Errors
/// I/O or polars failures, as [`SinkError`].
pub fn write_file(path: &Path, name: &str, df: &mut DataFrame, run: &RunStamp) -> Result<(), SinkError> {
    writer(create(path)?, name, df.schema(), run)
        .finish(df)
        .map(|_| ())
        .map_err(|e| SinkError::frame(name, e))
}

/// Writes Hive-style partitioned copies of `table` when it has every column
/// of `keys` (`DIR/parquet/<table>/<key>=<value>/…/part-0.parquet`), which
/// DuckDB, Spark and Trino read as one dataset. Values are percent-encoded
/// where a path cannot hold them; nulls go to `__HIVE_DEFAULT_PARTITION__`.
/// The table is read in batches and each partition gets a row group per
/// batch; the tree is built beside the old one and swapped in when complete.
/// Each file carries the table's metadata and `run`'s stamp.
///
/// # Errors
/// I/O or polars failures, as [`SinkError`].
pub fn write_partitions(dir: &Path, table: &TableFile, keys: &[String], run: &RunStamp) -> Result<(), SinkError> {
    let name = table.name;
    let root = dir.join("parquet").join(name);
    let staging = dir.join("parquet").join(format!(".{name}.partitions-{}", std::process::id()));
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source: std::io::Error| SinkError::Io { path, source }
    };
    let mut writers: BTreeMap<PathBuf, BatchedWriter<FileSink>> = BTreeMap::new();
    for batch in table.batches(super::ROW_GROUP_ROWS) {
        let batch = batch?;
        let names: Vec<&str> = batch.get_column_names().iter().map(|c| c.as_str()).collect();
        if !keys.iter().all(|k| names.contains(&k.as_str())) {
            return Ok(());
        }
        let parts = batch
            .partition_by_stable(keys.iter().map(String::as_str), true)
            .map_err(|e| SinkError::frame(name, e))?;
        for part in parts {
            let mut sub = staging.clone();
            for k in keys {
                let v = part
                    .column(k)
                    .ok()
                    .and_then(|c| c.get(0).ok())
                    .map(|v| hive_value(&v))
                    .unwrap_or_default();
                sub.push(format!("{k}={v}"));
            }
            // The key columns live in the path, as Hive readers expect.
            let part = part.drop_many(keys.iter().map(String::as_str));
            let w = match writers.entry(sub) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => {
                    std::fs::create_dir_all(v.key()).map_err(io(v.key()))?;
                    let file = create(&v.key().join("part-0.parquet"))?;
                    let w = writer(file, name, part.schema(), run)
                        .batched(part.schema())
                        .map_err(|e| SinkError::frame(name, e))?;
                    v.insert(w)
                }
            };
            w.write_batch(&part).map_err(|e| SinkError::frame(name, e))?;
        }
    }
    for w in writers.values() {
        w.finish().map_err(|e| SinkError::frame(name, e))?;
    }
    if !staging.exists() {
        std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    }
    let old = dir.join("parquet").join(format!(".{name}.old-{}", std::process::id()));
    if root.exists() {
        std::fs::rename(&root, &old).map_err(io(&root))?;
    }
    std::fs::rename(&staging, &root).map_err(io(&root))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// A partition value as a path segment.
fn hive_value(v: &AnyValue) -> String {
    let text = match v {
        AnyValue::Null => return "__HIVE_DEFAULT_PARTITION__".into(),
        other => other.get_str().map(str::to_string).unwrap_or_else(|| other.to_string()),
    };
    text.chars()
        .flat_map(|c| {
            if c.is_control() || "/\\:*?\"<>|=%#".contains(c) {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect::<Vec<_>>()
            } else {
                vec![c.to_string()]
            }
        })
        .collect()
}

/// The number of rows of the Parquet file at `path` (from its footer).
///
/// # Errors
/// The file cannot be opened or is not Parquet.
pub fn row_count(path: &Path, name: &str) -> Result<usize, SinkError> {
    let file = std::fs::File::open(path).map_err(|source| SinkError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    ParquetReader::new(file).num_rows().map_err(|e| SinkError::frame(name, e))
}

/// The table file at `path` for reading back in batches.
///
/// # Errors
/// As [`row_count`].
pub fn table_file(path: &Path, name: &'static str) -> Result<TableFile, SinkError> {
    Ok(TableFile {
        name,
        path: path.to_path_buf(),
        rows: row_count(path, name)?,
    })
}

/// Rewrites the part of table `name` at `path` without the rows whose
/// `source_file` is in `files` (a merge dropping a duplicate a shard could
/// not know of), read and written in row groups, stamped with `run` (the
/// shard's); replaced by a rename, and left as it is when it has no such row.
/// Returns the number of rows dropped.
///
/// # Errors
/// I/O or polars failures, as [`SinkError`].
pub fn drop_files(path: &Path, name: &'static str, files: &std::collections::BTreeSet<String>, run: &RunStamp) -> Result<usize, SinkError> {
    let table = table_file(path, name)?;
    let tmp = path.with_extension(format!("parquet.tmp-{}", std::process::id()));
    let mut out: Option<super::RowGroupWriter> = None;
    let mut dropped = 0;
    for batch in table.batches(super::ROW_GROUP_ROWS) {
        let batch = batch?;
        let keep: BooleanChunked = batch
            .column("source_file")
            .and_then(|c| c.str().cloned())
            .map_err(|e| SinkError::frame(name, e))?
            .iter()
            .map(|f| !f.is_some_and(|f| files.contains(f)))
            .collect();
        let kept = batch.filter(&keep).map_err(|e| SinkError::frame(name, e))?;
        dropped += batch.height() - kept.height();
        let w = match &mut out {
            Some(w) => w,
            None => out.insert(super::RowGroupWriter::create(&tmp, name, batch.schema(), run)?),
        };
        if kept.height() > 0 {
            w.write(&kept)?;
        }
    }
    let Some(w) = out else { return Ok(0) };
    w.finish()?;
    if dropped == 0 {
        let _ = std::fs::remove_file(&tmp);
        return Ok(0);
    }
    std::fs::rename(&tmp, path).map_err(|source| SinkError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(dropped)
}
