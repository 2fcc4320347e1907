//! A table written by shards: a folder of part files where a single run
//! writes one file, read as one table wherever a table file is expected.
//!
//! ```text
//!   OUT/parquet/observations.parquet              a single run
//!   OUT/parquet/observations/part-1-of-3.parquet  `ingest --shard 1/3`
//!   OUT/parquet/observations/part-2-of-3.parquet  `ingest --shard 2/3`
//!   OUT/parquet/observations/part-3-of-3.parquet  `ingest --shard 3/3`
//!   OUT/parquet/sources/merge.parquet             `torikumi merge` (duplicates found across shards)
//! ```
//! DuckDB's `read_parquet('OUT/parquet/observations/*.parquet')` and Spark's
//! `read.parquet('OUT/parquet/observations')` read the same union.

use std::path::{Path, PathBuf};

use polars::prelude::*;

/// The part a merge adds to `sources` and `diagnostics`.
pub const MERGE_PART: &str = "merge.parquet";

/// `part-K-of-N.EXT`, the name of shard K of N's part.
pub fn part_name(k: u32, n: u32, ext: &str) -> String {
    format!("part-{k}-of-{n}.{ext}")
}

/// (K, N) of a `part-K-of-N.EXT` name; `None` for any other name.
pub fn parse_part(name: &str, ext: &str) -> Option<(u32, u32)> {
    let stem = name.strip_prefix("part-")?.strip_suffix(ext)?.strip_suffix('.')?;
    let (k, n) = stem.split_once("-of-")?;
    let (k, n) = (k.parse().ok()?, n.parse().ok()?);
    (k >= 1 && k <= n).then_some((k, n))
}

/// Why a previous run's table could not be read (by `render` and `report`).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Neither the file nor a folder of parts exists, or one cannot be opened.
    #[error("cannot read {path}: {source} (run `torikumi ingest` first, or pass --from)")]
    Missing { path: PathBuf, source: std::io::Error },
    /// polars could not read a file, or the parts' columns differ.
    #[error("cannot read Parquet file {path}: {message}")]
    Parquet { path: PathBuf, message: String },
    /// A documented column is missing or of another type.
    #[error("{path}: column {column}: {message}")]
    Column { path: PathBuf, column: String, message: String },
}

/// The Parquet files of the table at `path` (`DIR/parquet/<table>.parquet`):
/// that file, or else, when `DIR/parquet/<table>/` holds parts, those in
/// order (part 1 to N, then the merge's); an empty list when there is neither.
pub fn table_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    part_files(&path.with_extension(""))
}

/// The parts in `folder` (`DIR/parquet/<table>/`), in order: part 1 to N,
/// then the merge's; temporary files and partition folders are not parts.
pub fn part_files(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut parts: Vec<((u32, u32), PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let order = match parse_part(&name, "parquet") {
                Some((k, _)) => (0, k),
                None if name == MERGE_PART => (1, 0),
                None => return None,
            };
            Some((order, e.path()))
        })
        .collect();
    parts.sort();
    parts.into_iter().map(|(_, p)| p).collect()
}

/// The table at `path`, a file or a folder of parts (see [`table_files`]), whole.
///
/// # Errors
/// [`ReadError::Missing`] when there is neither; a file polars cannot read,
/// or parts whose columns differ, as [`ReadError::Parquet`].
pub fn read_table(path: &Path) -> Result<DataFrame, ReadError> {
    let files = table_files(path);
    if files.is_empty() {
        return Err(ReadError::Missing {
            path: path.to_path_buf(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    let mut all: Option<DataFrame> = None;
    for f in files {
        let file = std::fs::File::open(&f).map_err(|source| ReadError::Missing { path: f.clone(), source })?;
        let parquet = |e: PolarsError| ReadError::Parquet {
            path: f.clone(),
            message: e.to_string(),
        };
        let df = ParquetReader::new(file).finish().map_err(parquet)?;
        match &mut all {
            None => all = Some(df),
            Some(a) => {
                a.vstack_mut(&df).map_err(parquet)?;
            }
        }
    }
    Ok(all.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_read_back() {
        assert_eq!(part_name(2, 8, "parquet"), "part-2-of-8.parquet");
        assert_eq!(parse_part("part-2-of-8.parquet", "parquet"), Some((2, 8)));
        assert_eq!(parse_part("part-12-of-16.bin", "bin"), Some((12, 16)));
        for bad in [
            "part-0-of-3.parquet",
            "part-4-of-3.parquet",
            "part-1-of-3.bin",
            "part-x-of-3.parquet",
            "merge.parquet",
        ] {
            assert_eq!(parse_part(bad, "parquet"), None, "{bad}");
        }
    }
}
