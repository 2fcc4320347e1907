//! The 診断 sheet in file order. A run's `diagnostics` table holds each file's
//! rows together as the file was read, and then the evaluation's notes, which
//! name files read earlier. The sheet shows each file's rows contiguously, so
//! 概要 can link to the first row of each file:
//!
//! ```text
//!   table (source rows)            sheet (output rows)
//!   a.xlsx  0..40   ─────────────  a.xlsx  0..40
//!   b.txt   40..55  ──┐            a.xlsx  (row 60)     ← a stray
//!   a.xlsx  60      ─┐└──────────  b.txt   40..55
//! ```
//!
//! Rows are streamed in source order except the strays (rows of a file whose
//! first run has ended). A large run has hundreds of thousands of them (the
//! evaluation's `evaluation_sources_disagree` notes: 350,000 at 10,000
//! files, over 200 MiB as a frame), so they are not held: the scan spills
//! them to staged chunk files of one batch each, chunk `j` holding the strays
//! `j·batch..(j+1)·batch` of the sheet's order. Each source batch with
//! strays is read once and its strays appended to their chunks; a chunk is
//! put in sheet order when the walk reads it back. A walk holds one source
//! batch and one chunk.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::*;

use super::{SinkError, TableFile};

/// Rows read per batch (one row group).
const BATCH_ROWS: usize = super::ROW_GROUP_ROWS;

/// One file's rows in the 診断 sheet and its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiagnostics {
    /// The `source_file` as in the table.
    pub file: String,
    /// Its first row among the sheet's data rows (0-based, header excluded).
    pub first_row: usize,
    pub rows: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// A piece of the output: source rows in order, or strays (their places
/// among all strays in sheet order).
enum Piece {
    Rows(Range<usize>),
    Strays(Range<usize>),
}

impl Piece {
    fn len(&self) -> usize {
        match self {
            Piece::Rows(r) | Piece::Strays(r) => r.len(),
        }
    }
}

/// The order of the 診断 sheet: files in order of first appearance, each file's rows together.
pub struct DiagnosticsOrder {
    /// Rows read per batch; also the strays per chunk.
    batch: usize,
    pieces: Vec<Piece>,
    strays: Strays,
    /// Per file, in sheet order.
    pub files: Vec<FileDiagnostics>,
}

/// One file while the table is scanned.
struct Scan {
    file: String,
    run: Range<usize>,
    strays: Vec<usize>,
    errors: usize,
    warnings: usize,
}

impl DiagnosticsOrder {
    /// Scans `table` (the diagnostics) for its files, their counts and order.
    ///
    /// # Errors
    /// The table cannot be read back, or its strays cannot be staged.
    pub fn of(table: &TableFile) -> Result<Self, SinkError> {
        Self::with_batches(table, BATCH_ROWS)
    }

    /// [`DiagnosticsOrder::of`], reading `batch` rows at a time (tests cross batch borders with small ones).
    ///
    /// # Errors
    /// The table cannot be read back, or its strays cannot be staged.
    pub fn with_batches(table: &TableFile, batch: usize) -> Result<Self, SinkError> {
        let batch = batch.max(1);
        let scans = scan(table, batch)?;
        let in_sheet_order: Vec<usize> = scans.iter().flat_map(|s| s.strays.iter().copied()).collect();
        let strays = Strays::spill(table, &in_sheet_order, batch)?;
        let mut pieces = Vec::new();
        let mut files = Vec::new();
        let (mut at, mut stray) = (0, 0);
        for s in scans {
            let rows = s.run.len() + s.strays.len();
            files.push(FileDiagnostics {
                file: s.file,
                first_row: at,
                rows,
                errors: s.errors,
                warnings: s.warnings,
            });
            at += rows;
            pieces.push(Piece::Rows(s.run));
            if !s.strays.is_empty() {
                pieces.push(Piece::Strays(stray..stray + s.strays.len()));
                stray += s.strays.len();
            }
        }
        Ok(DiagnosticsOrder {
            batch,
            pieces,
            strays,
            files,
        })
    }

    /// Sheet rows `range` (output order) in batches of at most a row group.
    pub fn batches<'a>(&'a self, table: &'a TableFile, range: Range<usize>) -> impl Iterator<Item = Result<DataFrame, SinkError>> + 'a {
        let mut state = Walk {
            order: self,
            table,
            at: range.start,
            end: range.end,
            piece: 0,
            piece_start: 0,
            cache: None,
            chunk: None,
            empty_sent: false,
        };
        std::iter::from_fn(move || state.next_batch())
    }
}

/// The files of `table` in order of first appearance: each one's first run
/// of rows, its strays (source rows, ascending) and its counts.
fn scan(table: &TableFile, batch: usize) -> Result<Vec<Scan>, SinkError> {
    let mut scans: Vec<Scan> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut row = 0usize;
    for df in projected(table, &["source_file", "severity"], batch) {
        let df = df?;
        let files = text_column(&df, "source_file");
        let severities = text_column(&df, "severity");
        for (file, severity) in files.iter().zip(&severities) {
            let file = file.as_deref().unwrap_or("");
            let k = match index.get(file) {
                Some(&k) => k,
                None => {
                    index.insert(file.to_string(), scans.len());
                    scans.push(Scan {
                        file: file.to_string(),
                        run: row..row,
                        strays: Vec::new(),
                        errors: 0,
                        warnings: 0,
                    });
                    scans.len() - 1
                }
            };
            let s = &mut scans[k];
            if s.run.end == row {
                s.run.end += 1;
            } else {
                s.strays.push(row);
            }
            match severity.as_deref() {
                Some("error") => s.errors += 1,
                Some("warning") => s.warnings += 1,
                _ => {}
            }
            row += 1;
        }
    }
    Ok(scans)
}

/// Where a walk over the output rows stands.
struct Walk<'a> {
    order: &'a DiagnosticsOrder,
    table: &'a TableFile,
    at: usize,
    end: usize,
    piece: usize,
    piece_start: usize,
    /// The source batch last read: its first row and rows.
    cache: Option<(usize, DataFrame)>,
    /// The chunk of strays last read, in sheet order: its number and rows.
    chunk: Option<(usize, DataFrame)>,
    /// An empty range still gives one (empty) batch, for the header.
    empty_sent: bool,
}

impl Walk<'_> {
    fn next_batch(&mut self) -> Option<Result<DataFrame, SinkError>> {
        if self.at >= self.end {
            if self.empty_sent || self.end > 0 {
                return None;
            }
            self.empty_sent = true;
            return self.table.batches_in(0..0, 1).next();
        }
        let size = self.order.batch;
        let mut out: Option<DataFrame> = None;
        while self.at < self.end && out.as_ref().map_or(0, DataFrame::height) < size {
            let room = size - out.as_ref().map_or(0, DataFrame::height);
            let part = match self.take(room) {
                Ok(p) => p,
                Err(e) => return Some(Err(e)),
            };
            match &mut out {
                None => out = Some(part),
                Some(o) => {
                    if let Err(e) = o.vstack_mut(&part) {
                        return Some(Err(SinkError::frame(self.table.name, e)));
                    }
                }
            }
        }
        out.map(Ok)
    }

    /// Up to `room` rows from the current output row on, within one piece
    /// and one source batch or chunk of strays.
    fn take(&mut self, room: usize) -> Result<DataFrame, SinkError> {
        let pieces = &self.order.pieces;
        while self.piece < pieces.len() && self.piece_start + pieces[self.piece].len() <= self.at {
            self.piece_start += pieces[self.piece].len();
            self.piece += 1;
        }
        let Some(piece) = pieces.get(self.piece) else {
            // The range runs past the rows: stop the walk.
            self.at = self.end;
            return self.table.batches_in(0..0, 1).next().unwrap_or_else(|| Ok(DataFrame::empty()));
        };
        let off = self.at - self.piece_start;
        let n = (piece.len() - off).min(self.end - self.at).min(room);
        let (frame, n) = match piece {
            Piece::Strays(s) => {
                let first = s.start + off;
                let size = self.order.batch;
                // Within one chunk.
                let n = n.min(size - first % size);
                (self.stray_rows(first, n)?, n)
            }
            Piece::Rows(r) => (self.source_rows(r.start + off, n)?, n),
        };
        // A source shorter than its row count must not stall the walk.
        self.at += match frame.height() {
            0 => n,
            got => got,
        };
        Ok(frame)
    }

    /// Source rows from `first`, at most `n`, from the cached batch (read when needed).
    fn source_rows(&mut self, first: usize, n: usize) -> Result<DataFrame, SinkError> {
        let cached = matches!(&self.cache, Some((start, df)) if *start <= first && first < start + df.height());
        if !cached {
            let size = self.order.batch;
            let start = first / size * size;
            let end = (start + size).min(self.table.rows);
            let df = self
                .table
                .batches_in(start..end, size)
                .next()
                .unwrap_or_else(|| Ok(DataFrame::empty()))?;
            self.cache = Some((start, df));
        }
        let Some((start, df)) = &self.cache else {
            return Ok(DataFrame::empty());
        };
        let local = first - start;
        let n = n.min(df.height().saturating_sub(local));
        Ok(df.slice(local as i64, n))
    }

    /// Strays `first..first + n` (sheet order, within one chunk), from the
    /// cached chunk (read when needed).
    fn stray_rows(&mut self, first: usize, n: usize) -> Result<DataFrame, SinkError> {
        let size = self.order.batch;
        let j = first / size;
        if !matches!(&self.chunk, Some((k, _)) if *k == j) {
            // The previous chunk goes before the next is read.
            self.chunk = None;
            self.chunk = Some((j, self.order.strays.read(j, self.table.name)?));
        }
        let Some((_, df)) = &self.chunk else {
            return Ok(DataFrame::empty());
        };
        let local = first - j * size;
        let n = n.min(df.height().saturating_sub(local));
        Ok(df.slice(local as i64, n))
    }
}

/// The strays, staged in chunk files (see the module's comment); the folder
/// is removed when dropped.
struct Strays {
    /// None when there are no strays.
    dir: Option<PathBuf>,
    chunks: Vec<Chunk>,
}

/// One chunk file: the strays `j·batch..(j+1)·batch` of the sheet's order,
/// stored in source order.
struct Chunk {
    path: PathBuf,
    /// For each stray of the chunk in sheet order, its row in the file.
    order: Vec<IdxSize>,
}

/// Distinguishes the staging folders of several orders in one process.
static SPILLS: AtomicUsize = AtomicUsize::new(0);

impl Strays {
    /// Stages the rows `in_sheet_order` (source rows of `table`) in chunks of
    /// `size`, reading only the source batches that hold any.
    fn spill(table: &TableFile, in_sheet_order: &[usize], size: usize) -> Result<Strays, SinkError> {
        if in_sheet_order.is_empty() {
            return Ok(Strays {
                dir: None,
                chunks: Vec::new(),
            });
        }
        let parent = table.path.parent().unwrap_or(Path::new("."));
        let n = SPILLS.fetch_add(1, Ordering::Relaxed);
        let dir = parent.join(format!(".{}.strays-{}-{n}", table.name, std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|source| SinkError::Io { path: dir.clone(), source })?;
        // Owned from here: an error below removes the folder.
        let mut strays = Strays {
            dir: Some(dir.clone()),
            chunks: Vec::new(),
        };
        let count = in_sheet_order.len().div_ceil(size);
        // (source row, place in sheet order), in source order.
        let mut by_source: Vec<(usize, usize)> = in_sheet_order.iter().enumerate().map(|(o, &r)| (r, o)).collect();
        by_source.sort_unstable();
        let mut writers: Vec<Option<BatchedWriter<super::parquet::FileSink>>> = (0..count).map(|_| None).collect();
        let mut placed = vec![0 as IdxSize; count];
        strays.chunks = (0..count)
            .map(|j| Chunk {
                path: dir.join(format!("chunk-{j}.parquet")),
                order: vec![0; size.min(in_sheet_order.len() - j * size)],
            })
            .collect();
        for group in by_source.chunk_by(|a, b| a.0 / size == b.0 / size) {
            let start = group[0].0 / size * size;
            let df = table
                .batches_in(start..(start + size).min(table.rows), size)
                .next()
                .unwrap_or_else(|| Ok(DataFrame::empty()))?;
            let mut picks: Vec<Vec<IdxSize>> = vec![Vec::new(); count];
            for &(row, o) in group {
                let j = o / size;
                picks[j].push((row - start) as IdxSize);
                strays.chunks[j].order[o - j * size] = placed[j];
                placed[j] += 1;
            }
            for (j, idx) in picks.into_iter().enumerate().filter(|(_, idx)| !idx.is_empty()) {
                let part = df
                    .take(&IdxCa::from_vec("idx".into(), idx))
                    .map_err(|e| SinkError::frame(table.name, e))?;
                let writer = match &mut writers[j] {
                    Some(w) => w,
                    None => writers[j].insert(chunk_writer(&strays.chunks[j].path, part.schema(), table.name)?),
                };
                writer.write_batch(&part).map_err(|e| SinkError::frame(table.name, e))?;
            }
        }
        for w in writers.into_iter().flatten() {
            w.finish().map_err(|e| SinkError::frame(table.name, e))?;
        }
        Ok(strays)
    }

    /// Chunk `j` in sheet order.
    fn read(&self, j: usize, name: &str) -> Result<DataFrame, SinkError> {
        let Some(chunk) = self.chunks.get(j) else {
            return Ok(DataFrame::empty());
        };
        let file = std::fs::File::open(&chunk.path).map_err(|source| SinkError::Io {
            path: chunk.path.clone(),
            source,
        })?;
        let df = ParquetReader::new(file).finish().map_err(|e| SinkError::frame(name, e))?;
        df.take(&IdxCa::from_vec("idx".into(), chunk.order.clone()))
            .map_err(|e| SinkError::frame(name, e))
    }
}

impl Drop for Strays {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            // Staged rows only; a folder left behind is removed with the staging.
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A chunk file's writer: uncompressed, no statistics (read back once, soon).
fn chunk_writer(path: &Path, schema: &Schema, name: &str) -> Result<BatchedWriter<super::parquet::FileSink>, SinkError> {
    ParquetWriter::new(super::parquet::create(path)?)
        .with_compression(ParquetCompression::Uncompressed)
        .with_statistics(StatisticsOptions::empty())
        .batched(schema)
        .map_err(|e| SinkError::frame(name, e))
}

/// The table's batches with only `columns` read.
fn projected<'a>(table: &'a TableFile, columns: &'a [&'a str], size: usize) -> impl Iterator<Item = Result<DataFrame, SinkError>> + 'a {
    let count = table.rows.div_ceil(size);
    (0..count).map(move |k| {
        let file = std::fs::File::open(&table.path).map_err(|source| SinkError::Io {
            path: table.path.clone(),
            source,
        })?;
        ParquetReader::new(file)
            .with_columns(Some(columns.iter().map(|c| c.to_string()).collect()))
            .with_slice(Some((k * size, size.min(table.rows - k * size))))
            .finish()
            .map_err(|e| SinkError::frame(table.name, e))
    })
}

/// A string column's values (nulls for a missing column).
fn text_column(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    df.column(name)
        .ok()
        .and_then(|c| c.str().ok().map(|s| s.iter().map(|v| v.map(str::to_string)).collect()))
        .unwrap_or_else(|| vec![None; df.height()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DiagCode, Diagnostic, Extract, Provenance, RunStamp};

    /// A diagnostics table of files `files` (one row each, in this order),
    /// written in row groups of `group` rows.
    fn table(dir: &std::path::Path, files: &[&str], group: usize) -> TableFile {
        let diagnostics: Vec<Diagnostic> = files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let at = Provenance {
                    source_file: f.to_string(),
                    sheet: String::new(),
                    cell: format!("A{i}"),
                };
                let code = if i % 3 == 0 { DiagCode::UnmappedValue } else { DiagCode::Unmapped };
                Diagnostic::new(code, crate::model::args!["row" => i], at, None)
            })
            .collect();
        let x = Extract {
            diagnostics,
            ..Extract::default()
        };
        let (_, df) = crate::table::frames(&x)
            .unwrap()
            .into_iter()
            .find(|(n, _)| *n == "diagnostics")
            .unwrap();
        let path = dir.join("diagnostics.parquet");
        let mut w = super::super::RowGroupWriter::create(&path, "diagnostics", df.schema(), &RunStamp::now()).unwrap();
        for k in 0..df.height().div_ceil(group) {
            w.write(&df.slice((k * group) as i64, group)).unwrap();
        }
        w.finish().unwrap()
    }

    /// The cells of the sheet's rows `range`, batch by batch.
    fn cells(order: &DiagnosticsOrder, t: &TableFile, range: Range<usize>) -> Vec<String> {
        order
            .batches(t, range)
            .flat_map(|b| {
                let b = b.unwrap();
                let c = b.column("cell").unwrap().str().unwrap().clone();
                c.iter().map(|v| v.unwrap().to_string()).collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn late_rows_join_their_file_across_batch_borders() {
        let dir = tempfile::tempdir().unwrap();
        // a a b b b c a b a: a's and b's late rows (the evaluation's notes) come last.
        let t = table(dir.path(), &["a", "a", "b", "b", "b", "c", "a", "b", "a"], 2);
        for batch in [1, 2, 3, 4, 100] {
            let order = DiagnosticsOrder::with_batches(&t, batch).unwrap();
            let got = cells(&order, &t, 0..9);
            assert_eq!(got, ["A0", "A1", "A6", "A8", "A2", "A3", "A4", "A7", "A5"], "batch {batch}");
            let firsts: Vec<(&str, usize, usize)> = order.files.iter().map(|f| (f.file.as_str(), f.first_row, f.rows)).collect();
            assert_eq!(firsts, [("a", 0, 4), ("b", 4, 4), ("c", 8, 1)]);
            // Warnings (unmapped_value, every third row) counted per file: rows 0, 3, 6.
            let warnings: Vec<usize> = order.files.iter().map(|f| f.warnings).collect();
            assert_eq!(warnings, [2, 1, 0]);
            // A part of the sheet (a continuation sheet) gives the same rows.
            assert_eq!(cells(&order, &t, 3..7), got[3..7]);
        }
    }

    /// Many strays of several files in an order unlike the files' (as the
    /// evaluation's notes come), spilled in chunks of every size: the sheet is
    /// each file's rows in order, as a stable sort by the file's first
    /// appearance gives it, and the staged chunks are gone afterwards.
    #[test]
    fn spilled_strays_come_back_in_sheet_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut files: Vec<&str> = vec!["a", "a", "b", "c", "c", "c", "d", "e"];
        let late = ["c", "a", "e", "b", "a", "c", "d", "a", "e", "e", "b", "c", "a", "d", "c"];
        for k in 0..4 {
            files.extend(late.iter().skip(k).step_by(2));
        }
        let t = table(dir.path(), &files, 3);
        let rank = |f: &str| files.iter().position(|x| *x == f).unwrap();
        let mut expected: Vec<usize> = (0..files.len()).collect();
        expected.sort_by_key(|&r| rank(files[r]));
        let expected: Vec<String> = expected.iter().map(|r| format!("A{r}")).collect();
        for batch in [1, 2, 5, 7, 16, 1000] {
            let order = DiagnosticsOrder::with_batches(&t, batch).unwrap();
            assert_eq!(cells(&order, &t, 0..files.len()), expected, "batch {batch}");
            assert_eq!(cells(&order, &t, 9..20), expected[9..20], "batch {batch}");
            let staged = || {
                std::fs::read_dir(dir.path())
                    .unwrap()
                    .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains("strays"))
                    .count()
            };
            assert_eq!(staged(), 1, "batch {batch}");
            drop(order);
            assert_eq!(staged(), 0, "batch {batch}");
        }
    }

    #[test]
    fn an_empty_table_gives_one_empty_batch() {
        let dir = tempfile::tempdir().unwrap();
        let t = table(dir.path(), &[], 2);
        let order = DiagnosticsOrder::of(&t).unwrap();
        let batches: Vec<DataFrame> = order.batches(&t, 0..0).map(Result::unwrap).collect();
        assert_eq!(batches.len(), 1);
        assert_eq!(batches[0].height(), 0);
        assert!(order.files.is_empty());
    }
}
