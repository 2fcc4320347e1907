//! One run's tables, built file by file as the pipeline delivers them, so a
//! run holds a few windows of rows at a time whatever the number of files.
//!
//! ```text
//!   worker threads                     consumer (one thread, input order)
//!   file → rows ─ prepare() ┬ candidates → Evaluator (one row per indicator-year)
//!               │           └ series ───→ Trends (the 推移 charts)
//!               └ rows ─────────────────→ pending rows ─ 64k per table → a frame → a Parquet row group
//!                                         RunSummary (per-file lines, totals)
//! ```
//! The tables land in a staging folder; [`Consolidated`] lists them so the
//! workbook, CSV and partitioned writers read them back in batches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::evaluate::{self, Candidates, EvaluationRules, Evaluator, SummaryRow, Trends};
use crate::lock::RunStamp;
use crate::model::{Diagnostic, Extract, Severity, SourceRecord};
use crate::pipeline::Delivery;
use crate::sink::{ROW_GROUP_ROWS, RowGroupWriter, SinkError, TableFile};
use crate::table::{Record, to_frame};

/// What a worker makes of one file's rows.
pub struct Prepared {
    candidates: Candidates,
    trends: Trends,
}

/// Runs on the worker that read the file: its evaluation candidates and its chart series.
pub fn prepare(x: &Extract, rules: &EvaluationRules) -> Prepared {
    Prepared {
        candidates: evaluate::candidates(x, rules),
        trends: Trends::of(x),
    }
}

/// Gives each pending table room for a row group at once: growing by
/// doubling copied tens of MiB of rows and faulted in fresh pages each time.
fn reserve(x: &mut Extract, rows: usize) {
    fn room<T>(v: &mut Vec<T>, rows: usize) {
        if v.capacity() == 0 {
            v.reserve(rows);
        }
    }
    room(&mut x.observations, rows);
    room(&mut x.indicators, rows);
    room(&mut x.initiatives, rows);
    room(&mut x.schedule, rows);
    room(&mut x.diagnostics, rows);
}

/// When a table's pending rows make a row group: `group` rows, or any at the end.
fn ready(group: usize, all: bool) -> impl Fn(usize) -> bool + Copy {
    move |n| n > 0 && (all || n >= group)
}

/// Writes `rows` as one row group of `spool` when `ready` says so, and empties them.
fn flush_table<T: Record>(spool: &mut RowGroupWriter, rows: &mut Vec<T>, ready: impl Fn(usize) -> bool) -> Result<(), SinkError> {
    if ready(rows.len()) {
        let df = to_frame(rows).map_err(|e| SinkError::frame(spool.name(), e))?;
        spool.write(&df)?;
        rows.clear();
    }
    Ok(())
}

/// Per-file lines and totals of a run, for the summary on stderr and `--json`.
#[derive(Debug, Default)]
pub struct RunSummary {
    /// One per input file, in input order.
    pub files: Vec<FileLine>,
    index: HashMap<String, usize>,
    pub observations: usize,
    pub indicators: usize,
    pub initiatives: usize,
    pub schedule: usize,
    pub errors: usize,
    pub warnings: usize,
}

/// One input file's source row and its error and warning counts.
#[derive(Debug)]
pub struct FileLine {
    pub source: SourceRecord,
    pub errors: usize,
    pub warnings: usize,
}

impl RunSummary {
    /// The summary of a whole extract.
    pub fn of(x: &Extract) -> RunSummary {
        let mut s = RunSummary::default();
        s.add(x);
        s
    }

    /// Counts one delivery (its source row first, so its diagnostics find it).
    pub fn add(&mut self, x: &Extract) {
        for src in &x.sources {
            self.index.insert(src.source_file.clone(), self.files.len());
            self.files.push(FileLine {
                source: SourceRecord {
                    sheets: Vec::new(),
                    ..src.clone()
                },
                errors: 0,
                warnings: 0,
            });
        }
        self.observations += x.observations.len();
        self.indicators += x.indicators.len();
        self.initiatives += x.initiatives.len();
        self.schedule += x.schedule.len();
        self.add_diagnostics(&x.diagnostics);
    }

    /// Counts diagnostics, each against its file when the file is known.
    pub fn add_diagnostics(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            let line = self.index.get(&d.at.source_file).map(|&i| &mut self.files[i]);
            match d.severity {
                Severity::Error => {
                    self.errors += 1;
                    if let Some(l) = line {
                        l.errors += 1;
                    }
                }
                Severity::Warning => {
                    self.warnings += 1;
                    if let Some(l) = line {
                        l.warnings += 1;
                    }
                }
                Severity::Info => {}
            }
        }
    }

    /// Highest severity that decides the exit status.
    pub fn worst(&self) -> Option<Severity> {
        if self.errors > 0 {
            Some(Severity::Error)
        } else if self.warnings > 0 {
            Some(Severity::Warning)
        } else {
            None
        }
    }
}

/// Builds a run's tables from its deliveries.
pub struct Consolidator<'r> {
    staging: PathBuf,
    /// Rows not yet written; a table is written when it has a row group's worth.
    pending: Extract,
    /// One per table, in [`crate::table::TABLES`] order.
    spools: Vec<RowGroupWriter>,
    row_group_rows: usize,
    rules: &'r EvaluationRules,
    evaluator: Evaluator,
    trends: Trends,
    summary: RunSummary,
    /// The first write error; later deliveries are ignored.
    error: Option<SinkError>,
    /// Stamped on every table file and `sources` row.
    run: RunStamp,
}

/// A finished run: its tables on disk (in output order) and what the
/// workbook's charts and the summary need.
pub struct Consolidated {
    pub tables: Vec<TableFile>,
    pub summary_rows: Vec<SummaryRow>,
    pub trends: Trends,
    pub summary: RunSummary,
    /// The run the tables carry, for the other formats to carry too.
    pub run: RunStamp,
}

impl<'r> Consolidator<'r> {
    /// Starts a run, stamped now, whose tables are written into `staging` (created).
    ///
    /// # Errors
    /// The folder or a file in it cannot be created.
    pub fn new(staging: &Path, rules: &'r EvaluationRules) -> Result<Self, SinkError> {
        Self::for_run(staging, rules, RunStamp::now())
    }

    /// [`Consolidator::new`] for the run `run` (the one holding the output folder's lock).
    ///
    /// # Errors
    /// The folder or a file in it cannot be created.
    pub fn for_run(staging: &Path, rules: &'r EvaluationRules, run: RunStamp) -> Result<Self, SinkError> {
        std::fs::create_dir_all(staging).map_err(|source| SinkError::Io {
            path: staging.to_path_buf(),
            source,
        })?;
        let empty = crate::table::frames(&Extract::default()).map_err(|e| SinkError::frame("all", e))?;
        let mut spools = Vec::new();
        for (name, df) in empty {
            spools.push(RowGroupWriter::create(
                &staging.join(format!("{name}.parquet")),
                name,
                df.schema(),
                &run,
            )?);
        }
        Ok(Consolidator {
            staging: staging.to_path_buf(),
            pending: Extract::default(),
            spools,
            row_group_rows: ROW_GROUP_ROWS,
            rules,
            evaluator: Evaluator::default(),
            trends: Trends::default(),
            summary: RunSummary::default(),
            error: None,
            run,
        })
    }

    /// Rows per Parquet row group (default [`ROW_GROUP_ROWS`]); what the
    /// tables hold does not depend on it.
    pub fn with_row_group_rows(mut self, rows: usize) -> Self {
        self.row_group_rows = rows.max(1);
        self
    }

    /// Takes one delivery; the first write error is kept and returned by [`finish`](Self::finish).
    pub fn push(&mut self, d: Delivery<Prepared>) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.take(d) {
            self.error = Some(e);
        }
    }

    fn take(&mut self, mut d: Delivery<Prepared>) -> Result<(), SinkError> {
        for src in &mut d.extract.sources {
            src.run_id.clone_from(&self.run.id);
            src.run_started.clone_from(&self.run.started);
        }
        self.summary.add(&d.extract);
        // Notes and duplicates come unprepared: a few rows, prepared here.
        let p = d.prepared.unwrap_or_else(|| prepare(&d.extract, self.rules));
        self.evaluator.merge(p.candidates);
        self.trends.merge(p.trends);
        // Printed achievements went into the candidates; no table holds them.
        d.extract.printed_achievements = Vec::new();
        reserve(&mut self.pending, self.row_group_rows);
        self.pending.append(d.extract);
        self.flush(false)
    }

    /// Writes each table that has a row group's worth of rows.
    fn flush(&mut self, all: bool) -> Result<(), SinkError> {
        let ready = ready(self.row_group_rows, all);
        let p = &mut self.pending;
        let [obs, ind, ini, sch, evc, src, dia] = &mut self.spools[..] else {
            return Err(SinkError::frame("all", PolarsError::NoData("table writers".into())));
        };
        flush_table(obs, &mut p.observations, ready)?;
        flush_table(ind, &mut p.indicators, ready)?;
        flush_table(ini, &mut p.initiatives, ready)?;
        flush_table(sch, &mut p.schedule, ready)?;
        flush_table(evc, &mut p.evaluation_counts, ready)?;
        flush_table(src, &mut p.sources, ready)?;
        flush_table(dia, &mut p.diagnostics, ready)
    }

    /// Writes the evaluation tables and its diagnostics, closes every table.
    ///
    /// # Errors
    /// The first table that could not be written.
    pub fn finish(mut self) -> Result<Consolidated, SinkError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        // One thing at a time: merging the evaluation beside the last row
        // groups, or building those all at once, saved a tenth of a second at
        // 1,000 files and added up to 180 MiB to the peak at 10,000.
        let (rows, summary_rows, notes) = std::mem::take(&mut self.evaluator).finish();
        self.summary.add_diagnostics(&notes);
        self.pending.diagnostics.extend(notes);
        self.flush(true)?;
        let mut tables = Vec::new();
        for spool in self.spools {
            tables.push(spool.finish()?);
        }
        // The evaluation tables stand before sources and diagnostics.
        let at = tables.iter().position(|t| t.name == "sources").unwrap_or(tables.len());
        let frames = crate::table::evaluation_frames(&rows, &summary_rows).map_err(|e| SinkError::frame("evaluation", e))?;
        for (i, (name, mut df)) in frames.into_iter().enumerate() {
            let path = self.staging.join(format!("{name}.parquet"));
            crate::sink::parquet::write_file(&path, name, &mut df, &self.run)?;
            tables.insert(
                at + i,
                TableFile {
                    name,
                    path,
                    rows: df.height(),
                },
            );
        }
        self.trends.finish();
        Ok(Consolidated {
            tables,
            summary_rows,
            trends: self.trends,
            summary: self.summary,
            run: self.run,
        })
    }
}
