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
//! first run has ended), which are few and held in memory.

use std::collections::HashMap;
use std::ops::Range;

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

/// A piece of the output: source rows in order, or strays (positions in the stray frame).
enum Piece {
    Rows(Range<usize>),
    Strays(Vec<IdxSize>),
}

impl Piece {
    fn len(&self) -> usize {
        match self {
            Piece::Rows(r) => r.len(),
            Piece::Strays(s) => s.len(),
        }
    }
}

/// The order of the 診断 sheet: files in order of first appearance, each file's rows together.
pub struct DiagnosticsOrder {
    pieces: Vec<Piece>,
    strays: DataFrame,
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
    /// The table cannot be read back.
    pub fn of(table: &TableFile) -> Result<Self, SinkError> {
        let mut scans: Vec<Scan> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut row = 0usize;
        for batch in projected(table, &["source_file", "severity"]) {
            let batch = batch?;
            let files = text_column(&batch, "source_file");
            let severities = text_column(&batch, "severity");
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
        let mut all_strays: Vec<usize> = scans.iter().flat_map(|s| s.strays.iter().copied()).collect();
        all_strays.sort_unstable();
        let strays = load_rows(table, &all_strays)?;
        let mut pieces = Vec::new();
        let mut files = Vec::new();
        let mut at = 0;
        for s in scans {
            let positions: Vec<IdxSize> = s
                .strays
                .iter()
                .filter_map(|r| all_strays.binary_search(r).ok().map(|p| p as IdxSize))
                .collect();
            let rows = s.run.len() + positions.len();
            files.push(FileDiagnostics {
                file: s.file,
                first_row: at,
                rows,
                errors: s.errors,
                warnings: s.warnings,
            });
            at += rows;
            pieces.push(Piece::Rows(s.run));
            if !positions.is_empty() {
                pieces.push(Piece::Strays(positions));
            }
        }
        Ok(DiagnosticsOrder { pieces, strays, files })
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
            empty_sent: false,
        };
        std::iter::from_fn(move || state.next_batch())
    }
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
        let mut out: Option<DataFrame> = None;
        while self.at < self.end && out.as_ref().map_or(0, DataFrame::height) < BATCH_ROWS {
            let room = BATCH_ROWS - out.as_ref().map_or(0, DataFrame::height);
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

    /// Up to `room` rows from the current output row on, within one piece and one source batch.
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
        let frame = match piece {
            Piece::Strays(p) => {
                let idx = IdxCa::from_vec("idx".into(), p[off..off + n].to_vec());
                self.order.strays.take(&idx).map_err(|e| SinkError::frame(self.table.name, e))?
            }
            Piece::Rows(r) => self.source_rows(r.start + off, n)?,
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
            let start = first / BATCH_ROWS * BATCH_ROWS;
            let end = (start + BATCH_ROWS).min(self.table.rows);
            let df = self
                .table
                .batches_in(start..end, BATCH_ROWS)
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
}

/// The table's batches with only `columns` read.
fn projected<'a>(table: &'a TableFile, columns: &'a [&'a str]) -> impl Iterator<Item = Result<DataFrame, SinkError>> + 'a {
    let count = table.rows.div_ceil(BATCH_ROWS);
    (0..count).map(move |k| {
        let file = std::fs::File::open(&table.path).map_err(|source| SinkError::Io {
            path: table.path.clone(),
            source,
        })?;
        ParquetReader::new(file)
            .with_columns(Some(columns.iter().map(|c| c.to_string()).collect()))
            .with_slice(Some((k * BATCH_ROWS, BATCH_ROWS.min(table.rows - k * BATCH_ROWS))))
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

/// Rows `rows` (sorted source positions) of the table, read batch by batch.
fn load_rows(table: &TableFile, rows: &[usize]) -> Result<DataFrame, SinkError> {
    let mut out: Option<DataFrame> = None;
    let mut from = 0;
    for (k, batch) in table.batches(BATCH_ROWS).enumerate() {
        if from >= rows.len() {
            break;
        }
        let batch = batch?;
        let start = k * BATCH_ROWS;
        let end = start + batch.height();
        let upto = from + rows[from..].partition_point(|&r| r < end);
        let local: Vec<IdxSize> = rows[from..upto].iter().map(|&r| (r - start) as IdxSize).collect();
        from = upto;
        let part = batch
            .take(&IdxCa::from_vec("idx".into(), local))
            .map_err(|e| SinkError::frame(table.name, e))?;
        match &mut out {
            None => out = Some(part),
            Some(o) => o.vstack_mut(&part).map(|_| ()).map_err(|e| SinkError::frame(table.name, e))?,
        }
    }
    Ok(out.unwrap_or_else(DataFrame::empty))
}
