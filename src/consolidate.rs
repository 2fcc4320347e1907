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
//!
//! A shard (`ingest --shard K/N`) stops before the tables that combine files:
//! instead of merging each file's candidates and series it writes them, with
//! the file's summary counts, as one [`Handoff`] record per file; `torikumi
//! merge` feeds those records, in the single run's file order, to a
//! [`Merger`], which merges them as [`Consolidator`] would have.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::evaluate::{self, Candidates, EvaluationRules, Evaluator, SummaryRow, Trends};
use crate::lock::RunStamp;
use crate::model::{Diagnostic, EvaluationRow, Extract, Severity, SourceRecord};
use crate::pipeline::Delivery;
use crate::sink::{ROW_GROUP_ROWS, RowGroupWriter, SinkError, TableFile};
use crate::table::{Record, to_frame};

/// What a worker makes of one file's rows.
#[derive(serde::Serialize, serde::Deserialize)]
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

/// One table's row group to write.
type FlushJob<'a> = Box<dyn FnOnce() -> Result<(), SinkError> + Send + 'a>;

/// Adds the writing of `rows` to `jobs` when `ready` says they make a row group.
fn add_job<'a, T: Record + Send>(
    jobs: &mut Vec<FlushJob<'a>>,
    spool: &'a mut RowGroupWriter,
    rows: &'a mut Vec<T>,
    ready: impl Fn(usize) -> bool,
) {
    if ready(rows.len()) {
        jobs.push(Box::new(move || flush_table(spool, rows, |_| true)));
    }
}

/// Runs `jobs` on as many threads as the run has workers (rayon's count,
/// which `RAYON_NUM_THREADS` sets), this one included; the first error in
/// table order.
fn run_jobs(jobs: Vec<FlushJob<'_>>) -> Result<(), SinkError> {
    let threads = rayon::current_num_threads().clamp(1, jobs.len().max(1));
    if threads == 1 {
        return jobs.into_iter().try_for_each(|job| job());
    }
    let count = jobs.len();
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate().collect::<Vec<_>>());
    let results = std::sync::Mutex::new((0..count).map(|_| None).collect::<Vec<Option<Result<(), SinkError>>>>());
    // The queue's lock is let go before the job runs (a `while let` on the
    // lock would hold it through the body and run the jobs one at a time).
    let next = || queue.lock().unwrap_or_else(|p| p.into_inner()).pop();
    let work = || {
        loop {
            let Some((i, job)) = next() else { break };
            let r = job();
            results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(r);
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .try_for_each(|r| r.unwrap_or(Ok(())))
}

/// Where the evaluation's notes go as [`Evaluator::finish_with`] makes them
/// (hundreds of thousands in a large run, too many to collect first): counted
/// in the run summary, then written to the diagnostics table in row groups.
struct Notes<'a> {
    summary: &'a mut RunSummary,
    /// The diagnostics not yet written; the notes join them.
    pending: &'a mut Vec<Diagnostic>,
    spool: &'a mut RowGroupWriter,
    /// Rows per row group.
    group: usize,
}

impl Notes<'_> {
    /// Merges `evaluator`: its rows and summary; its notes written as they
    /// come, a remainder short of a row group left in `pending`.
    ///
    /// # Errors
    /// The first row group that could not be written.
    fn evaluate(self, evaluator: Evaluator) -> Result<(Vec<EvaluationRow>, Vec<SummaryRow>), SinkError> {
        let Notes {
            summary,
            pending,
            spool,
            group,
        } = self;
        let mut failed = None;
        let merged = evaluator.finish_with(|d| {
            // After a failure the run stops; later notes need not pile up.
            if failed.is_some() {
                return;
            }
            summary.add_diagnostics(std::slice::from_ref(&d));
            pending.push(d);
            failed = flush_table(spool, pending, ready(group, false)).err();
        });
        match failed {
            Some(e) => Err(e),
            None => Ok(merged),
        }
    }
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

    /// Counts one file (or the notes) as a shard handed it over: its source
    /// row, its rows and its errors and warnings, without the rows themselves.
    pub fn add_handoff(&mut self, h: &Handoff) {
        if let Some(src) = &h.source {
            self.index.insert(src.source_file.clone(), self.files.len());
            self.files.push(FileLine {
                source: SourceRecord {
                    sheets: Vec::new(),
                    ..src.clone()
                },
                errors: h.errors,
                warnings: h.warnings,
            });
        }
        let [obs, ind, ini, sch] = h.rows;
        self.observations += obs;
        self.indicators += ind;
        self.initiatives += ini;
        self.schedule += sch;
        self.errors += h.errors;
        self.warnings += h.warnings;
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
    /// A shard's records for `torikumi merge`, in place of the evaluation.
    handoff: Option<HandoffWriter>,
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
            handoff: None,
        })
    }

    /// [`Consolidator::for_run`] for a shard: each file's candidates, series
    /// and counts go to a [`Handoff`] file in `staging` instead of being
    /// merged; [`finish_parts`](Self::finish_parts) ends it. `key` names what decides a file's rows (the tool version, the
    /// mappings, the limits): the merge refuses shards whose keys differ.
    ///
    /// # Errors
    /// The folder or a file in it cannot be created.
    pub fn for_shard(staging: &Path, rules: &'r EvaluationRules, run: RunStamp, key: &str) -> Result<Self, SinkError> {
        let mut c = Self::for_run(staging, rules, run)?;
        c.handoff = Some(HandoffWriter::create(&staging.join(HANDOFF_FILE), key)?);
        Ok(c)
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
        match &mut self.handoff {
            // The notes delivery of a shard other than the first holds nothing.
            Some(h) if !d.extract.sources.is_empty() || !d.extract.diagnostics.is_empty() => {
                h.append(&Handoff::of(&d.extract, p))?;
            }
            Some(_) => {}
            None => {
                self.evaluator.merge(p.candidates);
                self.trends.merge(p.trends);
            }
        }
        // Printed achievements went into the candidates; no table holds them.
        d.extract.printed_achievements = Vec::new();
        reserve(&mut self.pending, self.row_group_rows);
        self.pending.append(d.extract);
        self.flush(false)
    }

    /// Writes each table that has a row group's worth of rows. Tables ready
    /// together (all of them at the end of a run) are written on the run's
    /// worker threads: each goes to its own file, and at the end the workers
    /// that read the inputs are idle (the last row groups were 0.34 s of one
    /// thread at 1,000 files).
    fn flush(&mut self, all: bool) -> Result<(), SinkError> {
        let ready = ready(self.row_group_rows, all);
        let p = &mut self.pending;
        let [obs, ind, ini, sch, evc, src, dia] = &mut self.spools[..] else {
            return Err(SinkError::frame("all", PolarsError::NoData("table writers".into())));
        };
        let mut jobs: Vec<FlushJob<'_>> = Vec::new();
        add_job(&mut jobs, obs, &mut p.observations, ready);
        add_job(&mut jobs, ind, &mut p.indicators, ready);
        add_job(&mut jobs, ini, &mut p.initiatives, ready);
        add_job(&mut jobs, sch, &mut p.schedule, ready);
        add_job(&mut jobs, evc, &mut p.evaluation_counts, ready);
        add_job(&mut jobs, src, &mut p.sources, ready);
        add_job(&mut jobs, dia, &mut p.diagnostics, ready);
        run_jobs(jobs)
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
        let Some(dia) = self.spools.iter_mut().find(|s| s.name() == "diagnostics") else {
            return Err(SinkError::frame("diagnostics", "no table writer"));
        };
        let notes = Notes {
            summary: &mut self.summary,
            pending: &mut self.pending.diagnostics,
            spool: dia,
            group: self.row_group_rows,
        };
        let (rows, summary_rows) = notes.evaluate(std::mem::take(&mut self.evaluator))?;
        self.flush(true)?;
        let mut tables = Vec::new();
        for spool in self.spools {
            tables.push(spool.finish()?);
        }
        let evaluation = write_evaluation(&self.staging, &rows, &summary_rows, &self.run)?;
        with_evaluation(&mut tables, evaluation);
        self.trends.finish();
        Ok(Consolidated {
            tables,
            summary_rows,
            trends: self.trends,
            summary: self.summary,
            run: self.run,
        })
    }

    /// Ends a shard ([`Consolidator::for_shard`]): its per-file tables and
    /// its hand-off file, complete in the staging folder.
    ///
    /// # Errors
    /// The first table or record that could not be written.
    pub fn finish_parts(mut self) -> Result<Parts, SinkError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.flush(true)?;
        let mut tables = Vec::new();
        for spool in self.spools {
            tables.push(spool.finish()?);
        }
        let handoff = match self.handoff {
            Some(h) => h.finish()?,
            None => return Err(SinkError::frame(HANDOFF_FILE, "not a shard run")),
        };
        Ok(Parts {
            tables,
            handoff,
            summary: self.summary,
            run: self.run,
        })
    }
}

/// A finished shard: its per-file tables and hand-off file, staged.
pub struct Parts {
    /// One per table of [`crate::table::TABLES`], in that order.
    pub tables: Vec<TableFile>,
    pub handoff: PathBuf,
    pub summary: RunSummary,
    pub run: RunStamp,
}

/// Writes the two evaluation tables into `staging`.
fn write_evaluation(
    staging: &Path,
    rows: &[crate::model::EvaluationRow],
    summary_rows: &[SummaryRow],
    run: &RunStamp,
) -> Result<Vec<TableFile>, SinkError> {
    let frames = crate::table::evaluation_frames(rows, summary_rows).map_err(|e| SinkError::frame("evaluation", e))?;
    let mut out = Vec::new();
    for (name, mut df) in frames {
        let path = staging.join(format!("{name}.parquet"));
        crate::sink::parquet::write_file(&path, name, &mut df, run)?;
        out.push(TableFile {
            name,
            path,
            rows: df.height(),
        });
    }
    Ok(out)
}

/// Puts the evaluation tables where the outputs show them: before sources and diagnostics.
pub fn with_evaluation(tables: &mut Vec<TableFile>, evaluation: Vec<TableFile>) {
    let at = tables.iter().position(|t| t.name == "sources").unwrap_or(tables.len());
    for (i, t) in evaluation.into_iter().enumerate() {
        tables.insert(at + i, t);
    }
}

/// The hand-off file's name in a shard's staging folder.
pub const HANDOFF_FILE: &str = "handoff.bin";

/// What a shard hands `torikumi merge` for one delivery (a file, or the notes
/// about the input folders): what the evaluation, the charts and the run
/// summary need of it. Its rows are in the shard's part tables.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Handoff {
    /// The file's `sources` row (none for the notes).
    pub source: Option<SourceRecord>,
    /// Rows of observations, indicators, initiatives and schedule.
    pub rows: [usize; 4],
    pub errors: usize,
    pub warnings: usize,
    /// Its evaluation candidates and chart series; none for a duplicate.
    pub prepared: Option<Prepared>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").finish_non_exhaustive()
    }
}

impl Handoff {
    fn of(x: &Extract, prepared: Prepared) -> Handoff {
        let count = |s: Severity| x.diagnostics.iter().filter(|d| d.severity == s).count();
        let duplicate = x.sources.first().is_some_and(|s| s.status == "duplicate");
        Handoff {
            source: x.sources.first().cloned(),
            rows: [x.observations.len(), x.indicators.len(), x.initiatives.len(), x.schedule.len()],
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            prepared: (!duplicate && !x.sources.is_empty()).then_some(prepared),
        }
    }

    /// The file it is about, for ordering the shards' records as the single
    /// run orders its files (the notes, with none, first).
    pub fn source_file(&self) -> &str {
        self.source.as_ref().map(|s| s.source_file.as_str()).unwrap_or("")
    }
}

/// A hand-off file being written: records of a length (u64, little-endian)
/// and a postcard body: the shard's key, then a [`Handoff`] per delivery.
struct HandoffWriter {
    path: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
}

impl HandoffWriter {
    fn create(path: &Path, key: &str) -> Result<Self, SinkError> {
        let file = std::fs::File::create(path).map_err(|source| SinkError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut w = HandoffWriter {
            path: path.to_path_buf(),
            file: std::io::BufWriter::new(file),
        };
        w.record(&key)?;
        Ok(w)
    }

    fn append(&mut self, h: &Handoff) -> Result<(), SinkError> {
        self.record(h)
    }

    fn record(&mut self, value: &impl serde::Serialize) -> Result<(), SinkError> {
        let bytes = postcard::to_allocvec(value).map_err(|e| SinkError::frame(HANDOFF_FILE, e))?;
        let io = |source| SinkError::Io {
            path: self.path.clone(),
            source,
        };
        self.file.write_all(&(bytes.len() as u64).to_le_bytes()).map_err(io)?;
        self.file.write_all(&bytes).map_err(io)
    }

    fn finish(self) -> Result<PathBuf, SinkError> {
        let path = self.path;
        let io = |source| SinkError::Io {
            path: path.clone(),
            source,
        };
        let file = self.file.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        Ok(path)
    }
}

/// Why a hand-off file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum HandoffError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// Cut short or not written by this version of torikumi.
    #[error("{path} is damaged or was written by another version of torikumi (record {record}); run its shard again")]
    Damaged { path: PathBuf, record: usize },
}

/// The records of one hand-off file, read one at a time.
pub struct HandoffReader {
    path: PathBuf,
    file: std::io::BufReader<std::fs::File>,
    read: usize,
    /// What decided the shard's rows (see [`Consolidator::for_shard`]).
    pub key: String,
}

impl HandoffReader {
    /// Opens a shard's hand-off file and reads its key.
    ///
    /// # Errors
    /// The file cannot be opened, or its key cannot be read.
    pub fn open(path: &Path) -> Result<Self, HandoffError> {
        let file = std::fs::File::open(path).map_err(|source| HandoffError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut r = HandoffReader {
            path: path.to_path_buf(),
            file: std::io::BufReader::new(file),
            read: 0,
            key: String::new(),
        };
        r.key = r.next()?.ok_or_else(|| HandoffError::Damaged {
            path: path.to_path_buf(),
            record: 0,
        })?;
        Ok(r)
    }

    /// The next record; `None` at the end of the file.
    ///
    /// # Errors
    /// A record cut short or not readable.
    pub fn next_record(&mut self) -> Result<Option<Handoff>, HandoffError> {
        self.next()
    }

    fn next<T: serde::de::DeserializeOwned>(&mut self) -> Result<Option<T>, HandoffError> {
        let damaged = |r: usize| HandoffError::Damaged {
            path: self.path.clone(),
            record: r + 1,
        };
        let mut len = [0u8; 8];
        match self.file.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(source) => {
                return Err(HandoffError::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        }
        // A bounded read: a damaged length must not ask for gigabytes.
        let len = u64::from_le_bytes(len);
        let mut body = Vec::new();
        let got = (&mut self.file).take(len).read_to_end(&mut body).map_err(|_| damaged(self.read))?;
        if got as u64 != len {
            return Err(damaged(self.read));
        }
        let h = postcard::from_bytes(&body).map_err(|_| damaged(self.read))?;
        self.read += 1;
        Ok(Some(h))
    }
}

/// The tables that combine files, built from the shards' hand-offs given in
/// the single run's file order: the same evaluation, series and summary as
/// one run over every file, with a file whose content an earlier file (of
/// any shard) has turned into a duplicate as the single run does.
pub struct Merger {
    evaluator: Evaluator,
    trends: Trends,
    summary: RunSummary,
    /// Content hash → the first file with it.
    seen: HashMap<String, String>,
    /// The merge's own rows: the `duplicate` source rows and their warnings.
    own: Extract,
    /// Per shard (0-based), the files whose rows its parts must drop.
    duplicates: BTreeMap<usize, BTreeSet<String>>,
    /// Per shard, the run that wrote it (to stamp its rewritten parts).
    shard_runs: BTreeMap<usize, RunStamp>,
    run: RunStamp,
}

/// What [`Merger::finish`] gives: the evaluation tables and the merge's own
/// part of `sources` and `diagnostics`, staged, and what the outputs need.
pub struct Merged {
    /// `evaluation`, `evaluation_summary`.
    pub evaluation: Vec<TableFile>,
    /// The merge's part of `sources` and of `diagnostics`.
    pub own: Vec<TableFile>,
    pub summary_rows: Vec<SummaryRow>,
    pub trends: Trends,
    pub summary: RunSummary,
    /// Per shard (0-based), the files whose rows its parts must drop.
    pub duplicates: BTreeMap<usize, BTreeSet<String>>,
    pub shard_runs: BTreeMap<usize, RunStamp>,
    pub run: RunStamp,
}

impl Merger {
    /// A merge stamped with `run`.
    pub fn new(run: RunStamp) -> Merger {
        Merger {
            evaluator: Evaluator::default(),
            trends: Trends::default(),
            summary: RunSummary::default(),
            seen: HashMap::new(),
            own: Extract::default(),
            duplicates: BTreeMap::new(),
            shard_runs: BTreeMap::new(),
            run,
        }
    }

    /// Takes shard `shard`'s (0-based) next record; records must come in the
    /// single run's order (see [`Handoff::source_file`]). True when the file
    /// turned out to duplicate an earlier file of another shard (its rows are
    /// then the merge's own part's).
    pub fn push(&mut self, shard: usize, h: Handoff) -> bool {
        let Some(src) = &h.source else {
            self.summary.add_handoff(&h);
            return false;
        };
        self.shard_runs.entry(shard).or_insert_with(|| RunStamp {
            id: src.run_id.clone(),
            started: src.run_started.clone(),
        });
        // A duplicate within its shard was found there; across shards, here.
        if src.status != "duplicate" && !src.sha256.is_empty() {
            if let Some(first) = self.seen.get(&src.sha256) {
                let x = duplicate(src.clone(), first, &self.run);
                self.duplicates.entry(shard).or_default().insert(src.source_file.clone());
                self.summary.add(&x);
                self.own.append(x);
                return true;
            }
            self.seen.insert(src.sha256.clone(), src.source_file.clone());
        }
        self.summary.add_handoff(&h);
        if let Some(p) = h.prepared {
            self.evaluator.merge(p.candidates);
            self.trends.merge(p.trends);
        }
        false
    }

    /// Merges the evaluation and writes its tables and the merge's own part
    /// of `sources` and `diagnostics` into `staging` (created).
    ///
    /// # Errors
    /// The first table that could not be written.
    pub fn finish(mut self, staging: &Path) -> Result<Merged, SinkError> {
        std::fs::create_dir_all(staging).map_err(|source| SinkError::Io {
            path: staging.to_path_buf(),
            source,
        })?;
        let mut own = Vec::new();
        let name = "sources";
        let mut df = to_frame(&self.own.sources).map_err(|e| SinkError::frame(name, e))?;
        let path = staging.join(format!("{name}.merge.parquet"));
        crate::sink::parquet::write_file(&path, name, &mut df, &self.run)?;
        own.push(TableFile {
            name,
            path,
            rows: df.height(),
        });
        // After the duplicates' warnings, the evaluation's notes in row groups as they are made.
        let name = "diagnostics";
        let schema = to_frame::<Diagnostic>(&[]).map_err(|e| SinkError::frame(name, e))?.schema().clone();
        let mut spool = RowGroupWriter::create(&staging.join(format!("{name}.merge.parquet")), name, &schema, &self.run)?;
        let notes = Notes {
            summary: &mut self.summary,
            pending: &mut self.own.diagnostics,
            spool: &mut spool,
            group: ROW_GROUP_ROWS,
        };
        let (rows, summary_rows) = notes.evaluate(self.evaluator)?;
        flush_table(&mut spool, &mut self.own.diagnostics, ready(ROW_GROUP_ROWS, true))?;
        own.push(spool.finish()?);
        let evaluation = write_evaluation(staging, &rows, &summary_rows, &self.run)?;
        self.trends.finish();
        Ok(Merged {
            evaluation,
            own,
            summary_rows,
            trends: self.trends,
            summary: self.summary,
            duplicates: self.duplicates,
            shard_runs: self.shard_runs,
            run: self.run,
        })
    }
}

/// A file found, across shards, to repeat an earlier file's content: its
/// `duplicate` source row and warning, as the single run delivers it, with
/// the merge's run.
fn duplicate(src: SourceRecord, first: &str, run: &RunStamp) -> Extract {
    let mut x = crate::pipeline::duplicate_of(src, first);
    for s in &mut x.sources {
        s.run_id = run.id.clone();
        s.run_started = run.started.clone();
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two jobs that each wait for the other to have started: they succeed
    /// only when run_jobs runs them at once (on a run with two workers), and
    /// one times out when they run one after the other.
    #[test]
    fn tables_ready_together_are_written_at_once() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let (to_a, from_b) = std::sync::mpsc::channel::<()>();
        let (to_b, from_a) = std::sync::mpsc::channel::<()>();
        let wait = std::time::Duration::from_secs(20);
        let alone = |name: &'static str| move |_| SinkError::frame(name, "ran alone: the other job never started");
        let a: FlushJob<'_> = Box::new(move || {
            to_b.send(()).ok();
            from_b.recv_timeout(wait).map_err(alone("a"))
        });
        let b: FlushJob<'_> = Box::new(move || {
            to_a.send(()).ok();
            from_a.recv_timeout(wait).map_err(alone("b"))
        });
        let result = pool.install(|| run_jobs(vec![a, b]));
        assert!(result.is_ok(), "{result:?}");
    }

    fn source(name: &str, sha256: &str) -> SourceRecord {
        SourceRecord {
            source_file: name.into(),
            sha256: sha256.into(),
            status: "ok".into(),
            cells_read: 5,
            ..Default::default()
        }
    }

    fn handoff(name: &str, sha256: &str) -> Handoff {
        let x = Extract {
            sources: vec![source(name, sha256)],
            ..Default::default()
        };
        Handoff::of(&x, prepare(&x, &EvaluationRules::default()))
    }

    /// A file giving indicator K's FY2021 and FY2022 targets as `target`.
    fn with_target(name: &str, target: f64) -> Extract {
        let obs = |fy: i32| {
            let mut o = crate::evaluate::tests::obs("target", fy, "FY", Some(target), "ok", &format!("T{fy}"));
            o.raw = target.to_string();
            o.at.source_file = name.into();
            o
        };
        Extract {
            sources: vec![source(name, name)],
            observations: vec![obs(2021), obs(2022)],
            ..Default::default()
        }
    }

    /// The evaluation of five files that disagree: its notes, as collected at once.
    fn disagreeing() -> (Vec<Extract>, Vec<Diagnostic>) {
        let files: Vec<Extract> = (0..5).map(|k| with_target(&format!("f{k}.xlsx"), 10.0 + k as f64)).collect();
        let mut ev = Evaluator::default();
        for x in &files {
            ev.merge(prepare(x, &EvaluationRules::default()).candidates);
        }
        let (_, _, notes) = ev.finish();
        assert_eq!(notes.len(), 8, "each year: four other files give other targets");
        (files, notes)
    }

    /// The (code, file, message) of a diagnostics frame's rows.
    fn triples_of(df: &DataFrame) -> Vec<(String, String, String)> {
        let col = |n: &str| df.column(n).unwrap().str().unwrap().clone();
        let (code, file, message) = (col("code"), col("source_file"), col("message"));
        let s = |c: &StringChunked, i: usize| c.get(i).unwrap_or("").to_string();
        (0..df.height()).map(|i| (s(&code, i), s(&file, i), s(&message, i))).collect()
    }

    fn diagnostics_of(t: &TableFile) -> Vec<(String, String, String)> {
        triples_of(&t.batches(usize::MAX).next().unwrap().unwrap())
    }

    fn triples(d: &[Diagnostic]) -> Vec<(String, String, String)> {
        triples_of(&to_frame(d).unwrap())
    }

    #[test]
    fn the_evaluations_notes_go_out_in_row_groups_as_made() {
        let (files, expected) = disagreeing();
        let mut ev = Evaluator::default();
        for x in &files {
            ev.merge(prepare(x, &EvaluationRules::default()).candidates);
        }
        let dir = tempfile::tempdir().unwrap();
        let schema = to_frame::<Diagnostic>(&[]).unwrap().schema().clone();
        let mut spool = RowGroupWriter::create(&dir.path().join("d.parquet"), "diagnostics", &schema, &RunStamp::now()).unwrap();
        let mut summary = RunSummary::default();
        let mut pending = Vec::new();
        let notes = Notes {
            summary: &mut summary,
            pending: &mut pending,
            spool: &mut spool,
            group: 3,
        };
        let (rows, _) = notes.evaluate(ev).unwrap();
        assert_eq!(rows.len(), 2);
        // Six of the eight written in two row groups of three; two wait for the last.
        assert_eq!(pending.len(), 2);
        assert_eq!(summary.warnings, 8);
        flush_table(&mut spool, &mut pending, ready(3, true)).unwrap();
        let t = spool.finish().unwrap();
        assert_eq!(diagnostics_of(&t), triples(&expected));
    }

    #[test]
    fn the_merge_writes_the_duplicates_warnings_then_the_evaluations_notes() {
        let (files, notes) = disagreeing();
        let mut m = Merger::new(RunStamp::now());
        for (k, x) in files.iter().enumerate() {
            assert!(!m.push(k % 2, Handoff::of(x, prepare(x, &EvaluationRules::default()))));
        }
        let copy = with_target("g.xlsx", 99.0);
        let mut h = Handoff::of(&copy, prepare(&copy, &EvaluationRules::default()));
        h.source = Some(source("g.xlsx", "f0.xlsx"));
        assert!(m.push(1, h), "same content as f0.xlsx");
        let dir = tempfile::tempdir().unwrap();
        let merged = m.finish(dir.path()).unwrap();
        let got = diagnostics_of(&merged.own[1]);
        assert_eq!(merged.own[1].rows, 9);
        assert_eq!((got[0].0.as_str(), got[0].1.as_str()), ("duplicate_file", "g.xlsx"));
        assert_eq!(got[1..], triples(&notes));
        assert_eq!(merged.summary.warnings, 9);
    }

    #[test]
    fn a_hand_off_reads_back_and_a_cut_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(HANDOFF_FILE);
        let mut w = HandoffWriter::create(&path, "key-1").unwrap();
        w.append(&handoff("a.xlsx", "aa")).unwrap();
        w.append(&handoff("b.xlsx", "bb")).unwrap();
        w.finish().unwrap();
        let mut r = HandoffReader::open(&path).unwrap();
        assert_eq!(r.key, "key-1");
        assert_eq!(r.next_record().unwrap().unwrap().source_file(), "a.xlsx");
        assert_eq!(r.next_record().unwrap().unwrap().source_file(), "b.xlsx");
        assert!(r.next_record().unwrap().is_none());
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        let mut r = HandoffReader::open(&path).unwrap();
        r.next_record().unwrap();
        // The third record of the file (after the key and the first file) is cut.
        let e = r.next_record().unwrap_err().to_string();
        assert!(
            e.contains("record 3") && e.contains(HANDOFF_FILE) && e.contains("run its shard again"),
            "{e}"
        );
    }

    #[test]
    fn a_file_repeating_another_shards_file_becomes_a_duplicate() {
        let run = RunStamp::now();
        let mut m = Merger::new(run.clone());
        assert!(!m.push(0, handoff("a.xlsx", "same")));
        assert!(!m.push(2, handoff("b.xlsx", "other")));
        assert!(m.push(1, handoff("c.xlsx", "same")));
        let dir = tempfile::tempdir().unwrap();
        let merged = m.finish(dir.path()).unwrap();
        assert_eq!(
            merged.duplicates.get(&1).map(|f| f.iter().cloned().collect::<Vec<_>>()),
            Some(vec!["c.xlsx".to_string()])
        );
        let lines: Vec<(&str, &str, u64, usize)> = merged
            .summary
            .files
            .iter()
            .map(|l| {
                (
                    l.source.source_file.as_str(),
                    l.source.status.as_str(),
                    l.source.cells_read,
                    l.warnings,
                )
            })
            .collect();
        assert_eq!(
            lines,
            [("a.xlsx", "ok", 5, 0), ("b.xlsx", "ok", 5, 0), ("c.xlsx", "duplicate", 0, 1)]
        );
        let own: Vec<(&str, usize)> = merged.own.iter().map(|t| (t.name, t.rows)).collect();
        assert_eq!(own, [("sources", 1), ("diagnostics", 1)]);
    }
}
