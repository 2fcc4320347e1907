//! `torikumi merge`: after every `ingest --shard K/N` into one output folder,
//! builds the tables that combine files once, from the shards' parts.
//!
//! ```text
//!   OUT/shards/part-K-of-N.bin                 each file's evaluation candidates, chart series, counts
//!   OUT/parquet/<table>/part-K-of-N.parquet    each shard's per-file tables (read by DuckDB as one)
//!        │
//!        ▼  torikumi merge: the records of all shards in the single run's file order
//!   OUT/parquet/evaluation.parquet, evaluation_summary.parquet
//!   OUT/parquet/{sources,diagnostics}/merge.parquet   duplicates found across shards, the evaluation's notes
//!   OUT/consolidated.xlsx, OUT/csv/, OUT/report.html (as asked)
//! ```
//! A file whose content an earlier file of another shard holds is what the
//! single run makes of it: its rows are dropped from its shard's parts (each
//! such part rewritten), and the merge's own part holds its `duplicate`
//! source row and `duplicate_file` warning.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::path::{Path, PathBuf};

use clap::Args;

use super::ingest::{Format, SHARDS_DIR, Timings, lock_output, staging_dir, write_formats};
use super::{exit, load_mappings, print_summary, status_of};
use crate::consolidate::{Consolidated, HandoffReader, Merged, Merger, with_evaluation};
use crate::lock::RunStamp;
use crate::sink::xlsx::WorkbookStyle;
use crate::sink::{SinkError, TableFile};
use crate::table::parts::{MERGE_PART, parse_part, part_name};
use crate::table::{EVALUATION_TABLES, TABLES};

/// Arguments of `merge`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  parallel torikumi ingest inbox/ --out out/ --shard {}/8 ::: 1 2 3 4 5 6 7 8\n  torikumi merge --out out/                      # evaluation, workbook from the 8 shards\n  torikumi merge --out out/ --formats parquet    # national scale: no workbook\n\nEvery part 1..N of one N must be there (OUT/shards/part-K-of-N.bin and\nOUT/parquet/<table>/part-K-of-N.parquet); a missing or extra part stops the\nmerge with exit status 2 and names it."
)]
pub struct MergeArgs {
    /// The output folder the shards wrote into.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub mappings: super::MappingsArg,
    /// Outputs to write: parquet (the evaluation tables; always written),
    /// xlsx, csv, html, as `ingest --formats`.
    #[arg(long, value_delimiter = ',', default_value = "parquet,xlsx")]
    pub formats: Vec<Format>,
    /// Print the run summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// When a shard or another run is writing the output folder, wait for it.
    #[arg(long)]
    pub wait: bool,
}

/// Why the shards' parts cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("no shard parts in {0}: run `torikumi ingest --shard K/N --out OUT` for K = 1..N first")]
    NoParts(PathBuf),
    #[error("parts of {n} shards missing: {}; run those shards (or wait for them), then merge again", list(.missing))]
    Missing { n: u32, missing: Vec<PathBuf> },
    #[error("parts that are not of the {n} shards found: {}; remove them (left by a run with another N?), then merge again", list(.extra))]
    Extra { n: u32, extra: Vec<PathBuf> },
    #[error(
        "{first} and {other} were read with different mappings, limits or torikumi versions; run every shard with the same, then merge again"
    )]
    Mismatch { first: PathBuf, other: PathBuf },
    #[error("cannot list {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Handoff(#[from] crate::consolidate::HandoffError),
    #[error(transparent)]
    Sink(#[from] SinkError),
}

fn list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Runs `merge`; returns the exit status.
pub fn run(args: &MergeArgs) -> u8 {
    let (mappings, files) = match load_mappings(&args.mappings) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let phrases = match super::ingest::report_phrases(&args.formats, &files) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let fatal = |e: &dyn std::fmt::Display| {
        super::print_error(e);
        exit::FATAL
    };
    if !args.out.is_dir() {
        return fatal(&MergeError::NoParts(args.out.join(SHARDS_DIR)));
    }
    let run = RunStamp::now();
    let _lock = match lock_output(&args.out, &run, "merge", args.wait, args.quiet) {
        Ok(l) => l,
        Err(e) => return fatal(&e),
    };
    let staging = staging_dir(&args.out);
    let style = WorkbookStyle {
        labels: Some(&mappings.display),
        vocabulary: Some(&mappings.vocabulary),
        tables: &[TABLES, EVALUATION_TABLES],
        run: None,
    };
    let result = merge(&args.out, &staging, run, &args.formats, &style, &phrases);
    let _ = std::fs::remove_dir_all(&staging);
    let (summary, n) = match result {
        Ok(r) => r,
        Err(e) => return fatal(&e),
    };
    let status = status_of(&summary, false);
    if args.json {
        println!("{}", super::summary_json(&summary, status, &files));
    }
    if !args.quiet {
        print_summary(&summary);
        super::print_merged(n, &args.out);
    }
    status
}

/// The merge proper: checks the parts, merges the hand-offs, corrects the
/// parts for duplicates across shards, writes the outputs. Returns the run
/// summary and the number of shards.
fn merge(
    out: &Path,
    staging: &Path,
    run: RunStamp,
    formats: &[Format],
    style: &WorkbookStyle,
    phrases: &crate::report::Phrases,
) -> Result<(crate::consolidate::RunSummary, u32), MergeError> {
    let timings = Timings::from_env();
    let n = check_parts(out)?;
    let mut merger = Merger::new(run);
    // Where each file's rows are, in the single run's order, for the outputs read in that order.
    let mut order: Order = Vec::new();
    read_in_order(out, n, |shard, h| {
        let file = h.source.as_ref().map(|s| s.source_file.clone());
        let own = merger.push(shard, h);
        order.push((file, if own { n as usize } else { shard }));
    })?;
    let merged = merger.finish(staging)?;
    timings.mark("merge the shards' evaluation");
    drop_duplicates(out, n, &merged)?;
    let parquet = out.join("parquet");
    for t in &merged.own {
        let to = parquet.join(t.name).join(MERGE_PART);
        std::fs::rename(&t.path, &to).map_err(|source| SinkError::Io { path: to, source })?;
    }
    let others: Vec<Format> = formats.iter().copied().filter(|f| *f != Format::Parquet).collect();
    let mut tables = Vec::new();
    if !others.is_empty() {
        tables = combine(out, n, &order, staging, &merged.run)?;
    }
    let evaluation: Vec<(PathBuf, PathBuf)> = merged
        .evaluation
        .iter()
        .map(|t| (t.path.clone(), parquet.join(format!("{}.parquet", t.name))))
        .collect();
    with_evaluation(&mut tables, merged.evaluation);
    let consolidated = Consolidated {
        tables,
        summary_rows: merged.summary_rows,
        trends: merged.trends,
        summary: merged.summary,
        run: merged.run,
    };
    if !others.is_empty() {
        write_formats(out, &consolidated, &others, &[], style, phrases, &timings)?;
    }
    // Moved in last: the workbook and the report read the staged files.
    for (from, to) in evaluation {
        std::fs::rename(&from, &to).map_err(|source| SinkError::Io { path: to, source })?;
    }
    remove_single_run_tables(&parquet);
    Ok((consolidated.summary, n))
}

/// The number of shards whose parts are all present, hand-offs and tables.
///
/// # Errors
/// No hand-off at all; a part missing, or one of another N.
fn check_parts(out: &Path) -> Result<u32, MergeError> {
    let dir = out.join(SHARDS_DIR);
    let handoffs = parts_in(&dir, "bin")?;
    let Some(&n) = handoffs.iter().map(|((_, n), _)| n).max() else {
        return Err(MergeError::NoParts(dir));
    };
    let mut missing = Vec::new();
    let mut extra: Vec<PathBuf> = Vec::new();
    let mut check = |dir: &Path, found: Vec<Part>, ext: &str| {
        let have: BTreeSet<u32> = found.iter().filter(|((_, m), _)| *m == n).map(|((k, _), _)| *k).collect();
        missing.extend((1..=n).filter(|k| !have.contains(k)).map(|k| dir.join(part_name(k, n, ext))));
        extra.extend(found.into_iter().filter(|((_, m), _)| *m != n).map(|(_, p)| p));
    };
    check(&dir, handoffs, "bin");
    for t in TABLES {
        let tdir = out.join("parquet").join(t.name);
        check(&tdir, parts_in(&tdir, "parquet")?, "parquet");
    }
    if !missing.is_empty() {
        return Err(MergeError::Missing { n, missing });
    }
    if !extra.is_empty() {
        extra.sort();
        return Err(MergeError::Extra { n, extra });
    }
    Ok(n)
}

/// A part file's (K, N) and path.
type Part = ((u32, u32), PathBuf);

/// The `part-K-of-N.EXT` files in `dir` with their (K, N); none when `dir` does not exist.
fn parts_in(dir: &Path, ext: &str) -> Result<Vec<Part>, MergeError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(MergeError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut found: Vec<_> = entries
        .flatten()
        .filter_map(|e| Some((parse_part(e.file_name().to_str()?, ext)?, e.path())))
        .collect();
    found.sort();
    Ok(found)
}

/// Gives `take` every shard's hand-off records in the single run's order:
/// the notes first, then the files by path (each shard's are already in
/// that order, so a merge of the N sorted streams holds one record per shard).
fn read_in_order(out: &Path, n: u32, mut take: impl FnMut(usize, crate::consolidate::Handoff)) -> Result<(), MergeError> {
    let mut readers = Vec::new();
    for k in 1..=n {
        let path = out.join(SHARDS_DIR).join(part_name(k, n, "bin"));
        let r = HandoffReader::open(&path)?;
        // Shards are one run only when every file was read the same way.
        if readers.first().is_some_and(|f: &HandoffReader| f.key != r.key) {
            return Err(MergeError::Mismatch {
                first: out.join(SHARDS_DIR).join(part_name(1, n, "bin")),
                other: path,
            });
        }
        readers.push(r);
    }
    // Smallest path first; a record about no file (the notes) sorts before any.
    let mut heads = BinaryHeap::new();
    let mut held = BTreeMap::new();
    for (i, r) in readers.iter_mut().enumerate() {
        if let Some(h) = r.next_record()? {
            heads.push(std::cmp::Reverse((PathBuf::from(h.source_file()), i)));
            held.insert(i, h);
        }
    }
    while let Some(std::cmp::Reverse((_, i))) = heads.pop() {
        if let Some(h) = held.remove(&i) {
            take(i, h);
        }
        if let Some(h) = readers[i].next_record()? {
            heads.push(std::cmp::Reverse((PathBuf::from(h.source_file()), i)));
            held.insert(i, h);
        }
    }
    Ok(())
}

/// Drops, from each shard's parts, the rows of the files the merge found to
/// duplicate an earlier file of another shard.
fn drop_duplicates(out: &Path, n: u32, merged: &Merged) -> Result<(), MergeError> {
    for (&shard, files) in &merged.duplicates {
        let run = merged.shard_runs.get(&shard).cloned().unwrap_or_else(|| merged.run.clone());
        let k = u32::try_from(shard + 1).unwrap_or(u32::MAX);
        for t in TABLES {
            let path = out.join("parquet").join(t.name).join(part_name(k, n, "parquet"));
            crate::sink::parquet::drop_files(&path, t.name, files, &run)?;
        }
    }
    Ok(())
}

/// Each file of the run, in the single run's order, and the cursor holding
/// its rows: shard K's parts (K - 1), or N for the merge's own part (a
/// duplicate found across shards). `None` is the notes about the inputs.
type Order = Vec<(Option<String>, usize)>;

/// Each per-file table's parts written into one staged file in the single
/// run's row order (for the outputs that read a table from one file): every
/// file's rows taken from its shard's part in turn, the notes first, the
/// merge's evaluation notes last; read and written in row groups.
fn combine(out: &Path, n: u32, order: &Order, staging: &Path, run: &RunStamp) -> Result<Vec<TableFile>, MergeError> {
    let empty = crate::table::frames(&crate::model::Extract::default()).map_err(|e| SinkError::frame("all", e))?;
    // The notes are the rows of their shard's part before its first file.
    let mut until = vec![None; order.len()];
    let mut next: BTreeMap<usize, &str> = BTreeMap::new();
    for (i, (file, c)) in order.iter().enumerate().rev() {
        match file {
            Some(f) => {
                next.insert(*c, f);
            }
            None => until[i] = next.get(c).map(|f| f.to_string()),
        }
    }
    let mut tables = Vec::new();
    for (name, df) in empty {
        let dir = out.join("parquet").join(name);
        let mut cursors = Vec::new();
        for k in 1..=n {
            cursors.push(Cursor::open(&dir.join(part_name(k, n, "parquet")), name)?);
        }
        cursors.push(Cursor::open(&dir.join(MERGE_PART), name)?);
        let mut spool = Spool::create(&staging.join(format!("{name}.parquet")), name, df.schema(), run)?;
        for ((file, c), until) in order.iter().zip(&until) {
            match file {
                Some(f) => cursors[*c].take_while(|s| s == Some(f.as_str()), &mut spool)?,
                None => cursors[*c].take_while(|s| s != until.as_deref(), &mut spool)?,
            }
        }
        // Rows of no file in the order: the merge's evaluation notes.
        for c in &mut cursors {
            c.take_while(|_| true, &mut spool)?;
        }
        tables.push(spool.finish()?);
    }
    Ok(tables)
}

/// A part read forward in row-group batches (empty when the file does not exist).
struct Cursor {
    part: Option<TableFile>,
    loaded: usize,
    batch: polars::prelude::DataFrame,
    at: usize,
}

impl Cursor {
    fn open(path: &Path, name: &'static str) -> Result<Cursor, SinkError> {
        let part = match path.is_file() {
            true => Some(crate::sink::parquet::table_file(path, name)?),
            false => None,
        };
        Ok(Cursor {
            part,
            loaded: 0,
            batch: polars::prelude::DataFrame::empty(),
            at: 0,
        })
    }

    /// Whether a row is at hand, reading the next batch when needed.
    fn refill(&mut self) -> Result<bool, SinkError> {
        if self.at < self.batch.height() {
            return Ok(true);
        }
        let Some(part) = &self.part else { return Ok(false) };
        let len = crate::sink::ROW_GROUP_ROWS.min(part.rows - self.loaded);
        if len == 0 {
            return Ok(false);
        }
        let range = self.loaded..self.loaded + len;
        self.batch = part.batches_in(range, len).next().transpose()?.unwrap_or_default();
        self.loaded += len;
        self.at = 0;
        Ok(self.batch.height() > 0)
    }

    /// Moves the rows from here on whose `source_file` satisfies `keep` into `spool`.
    fn take_while(&mut self, keep: impl Fn(Option<&str>) -> bool, spool: &mut Spool) -> Result<(), SinkError> {
        while self.refill()? {
            let name = spool.name;
            let files = self
                .batch
                .column("source_file")
                .and_then(|c| c.str().cloned())
                .map_err(|e| SinkError::frame(name, e))?;
            let (start, mut end) = (self.at, self.at);
            while end < files.len() && keep(files.get(end)) {
                end += 1;
            }
            if end > start {
                spool.push(self.batch.slice(start as i64, end - start))?;
            }
            self.at = end;
            if end < files.len() {
                break;
            }
        }
        Ok(())
    }
}

/// Rows gathered into row groups of [`crate::sink::ROW_GROUP_ROWS`].
struct Spool {
    name: &'static str,
    writer: crate::sink::RowGroupWriter,
    pending: Option<polars::prelude::DataFrame>,
}

impl Spool {
    fn create(path: &Path, name: &'static str, schema: &polars::prelude::Schema, run: &RunStamp) -> Result<Spool, SinkError> {
        Ok(Spool {
            name,
            writer: crate::sink::RowGroupWriter::create(path, name, schema, run)?,
            pending: None,
        })
    }

    fn push(&mut self, rows: polars::prelude::DataFrame) -> Result<(), SinkError> {
        match &mut self.pending {
            None => self.pending = Some(rows),
            Some(p) => {
                p.vstack_mut(&rows).map_err(|e| SinkError::frame(self.name, e))?;
            }
        }
        if self.pending.as_ref().is_some_and(|p| p.height() >= crate::sink::ROW_GROUP_ROWS) {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), SinkError> {
        if let Some(mut p) = self.pending.take() {
            p.rechunk_mut();
            self.writer.write(&p)?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<TableFile, SinkError> {
        self.flush()?;
        self.writer.finish()
    }
}

/// Removes a single run's per-file table files left in `parquet`: beside
/// the parts they would be read in their place (`render --from`).
fn remove_single_run_tables(parquet: &Path) {
    for t in TABLES {
        let stale = parquet.join(format!("{}.parquet", t.name));
        if stale.is_file() && std::fs::remove_file(&stale).is_ok() {
            eprintln!(
                "note: removed {} (an earlier single run's; the shards' parts replace it)",
                stale.display()
            );
        }
    }
}
