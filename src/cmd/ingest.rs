//! `torikumi ingest`: read inputs, write the six tables as Parquet and the consolidated workbook.
//!
//! With `--shard K/N` it reads only its share of the inputs and writes its
//! per-file tables as parts (`OUT/parquet/<table>/part-K-of-N.parquet`) and
//! what `torikumi merge` needs of each file (`OUT/shards/part-K-of-N.bin`);
//! see [`Shard`] and `cmd::merge`.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{exit, inputs_or_default, load_mappings, print_summary, status_of};
use crate::cache::{Cache, mappings_key};
use crate::consolidate::{Consolidated, Consolidator, RunSummary, prepare};
use crate::evaluate::EvaluationRules;
use crate::lock::{LockError, OutputLock, RunStamp};
use crate::mapping::messages::{Ui, run_ui};
use crate::model::{Diagnostic, Extract};
use crate::pipeline::{Delivery, FileResult, RunOptions, RunStats};
use crate::sink::xlsx::{ChartData, WorkbookStyle};
use crate::sink::{self, SinkError};
use crate::table::EVALUATION_TABLES;

/// Arguments of `ingest`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  torikumi ingest                          # samples/ → output/\n  torikumi ingest inbox/ --mappings my-mappings/  # own layouts over the built-in ones\n  torikumi ingest inbox/2024Q1 --out out/  # a quarter's folder\n  torikumi ingest a.xlsx b.txt --formats parquet\n  torikumi ingest inbox/2024Q2 --wait      # queue behind a run already writing output/\n  torikumi ingest inbox/ --out out/ --shard 2/8   # one of 8 shards, then: torikumi merge --out out/\n\nOne run at a time per output folder: a second run into the same folder stops\nat once with exit status 2 and names the run holding it (OUT/.torikumi.lock),\nor with --wait waits for it to finish. Shards of one output folder run at the\nsame time (each locks its own OUT/.torikumi-shard-K-of-N/); `torikumi merge`\nthen builds the tables that combine files."
)]
pub struct IngestArgs {
    /// Files or folders to read (folders recursively). Default: samples/
    pub paths: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    #[command(flatten)]
    pub mappings: super::MappingsArg,
    #[command(flatten)]
    pub limits: super::LimitArgs,
    /// Outputs to write: parquet, xlsx, csv, html (comma-separated; html is OUT/report.html).
    #[arg(long, value_delimiter = ',', default_value = "parquet,xlsx")]
    pub formats: Vec<Format>,
    /// Print the run summary as JSON on stdout (for scripts).
    #[arg(long)]
    pub json: bool,
    /// Re-read every file, ignoring what the output folder remembers of earlier runs.
    #[arg(long)]
    pub full: bool,
    /// Write Hive-style partitioned Parquet for tables with these columns
    /// (e.g. plan,fiscal_year → observations/plan=…/fiscal_year=2023/part-0.parquet).
    #[arg(long, value_delimiter = ',')]
    pub partition_by: Vec<String>,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// When another run is writing the output folder, wait for it to finish
    /// instead of stopping with exit status 2.
    #[arg(long)]
    pub wait: bool,
    /// Read only share K of N of the inputs (by a hash of each file's path
    /// relative to the input folder it was found under) and write the
    /// per-file tables as parts, `OUT/parquet/<table>/part-K-of-N.parquet`;
    /// no workbook and no evaluation: `torikumi merge` builds those once
    /// every shard has finished.
    #[arg(long, value_name = "K/N", conflicts_with = "partition_by")]
    pub shard: Option<Shard>,
}

/// Share K of N of a run's inputs (`--shard K/N`, 1 ≤ K ≤ N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("expected K/N with 1 <= K <= N (e.g. 2/8), got '{text}'");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (k, n): (u32, u32) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl Shard {
    /// Whether the file at `relative` (see [`relative_to_root`]) is this shard's.
    pub fn owns(&self, relative: &str) -> bool {
        shard_of(relative, self.n) == self.k
    }

    /// The shard's own folder in the output folder: its lock, cache and staging.
    pub fn dir(&self, out: &Path) -> PathBuf {
        out.join(format!(".torikumi-shard-{}-of-{}", self.k, self.n))
    }
}

/// The shard (1 to `n`) of a file whose path relative to its input folder is
/// `relative` (`/`-separated): FNV-1a (64 bit) of its UTF-8 bytes, scaled
/// to 1..=n (`h × n / 2^64 + 1`). Fixed by this definition, so every machine, run and Rust version
/// splits a tree the same way wherever it is mounted.
pub fn shard_of(relative: &str, n: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in relative.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // The high bits, which FNV mixes best: h / 2^64 scaled to 0..n (below n, so it fits in u32).
    ((u128::from(h) * u128::from(n.max(1))) >> 64) as u32 + 1
}

/// `file`'s path relative to the first of `roots` it was found under, with
/// `/` between components: `inbox/a/b.xlsx` under `inbox` → `a/b.xlsx`; a
/// file given by itself → its name.
pub fn relative_to_root(file: &Path, roots: &[PathBuf]) -> String {
    let join = |p: &Path| {
        p.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    };
    for r in roots {
        if file == r.as_path() {
            return file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| join(file));
        }
        if let Ok(rel) = file.strip_prefix(r) {
            return join(rel);
        }
    }
    join(file)
}

/// The input files of share `shard`, and the notes about the inputs (files
/// skipped, folders not readable), which the first shard alone reports.
fn shard_inputs(roots: &[PathBuf], shard: Shard) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let (files, notes) = crate::pipeline::collect_inputs(roots);
    let mine = files.into_iter().filter(|f| shard.owns(&relative_to_root(f, roots))).collect();
    (mine, if shard.k == 1 { notes } else { Vec::new() })
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Parquet,
    Xlsx,
    Csv,
    /// `DIR/report.html`, as `torikumi report` writes it.
    Html,
}

/// The HTML report's words when `formats` asks for the report, checked
/// before any input is read, as the mappings are; else the exit status.
pub(super) fn report_phrases(formats: &[Format], files: &crate::mapping::MappingFiles) -> Result<crate::report::Phrases, u8> {
    if !formats.contains(&Format::Html) {
        return Ok(crate::report::Phrases::default());
    }
    crate::report::Phrases::from_files(files).map_err(|e| {
        super::print_error(&e);
        exit::FATAL
    })
}

/// The incremental cache kept in `dir`, and its key: the mappings in force
/// and the limits (a limit changes what a file gives: a refused file).
fn open_cache(dir: &Path, args: &IngestArgs, files: &crate::mapping::MappingFiles) -> (String, Cache) {
    let key = format!("{} {:?}", mappings_key(files), args.limits.limits());
    let cache = Cache::open(dir, &key, args.full);
    (key, cache)
}

/// How the pipeline reads this run's files.
fn run_options<'a>(args: &IngestArgs, cache: &'a Cache, progress: &'a (dyn Fn(usize, usize) + Sync)) -> RunOptions<'a> {
    RunOptions {
        limits: args.limits.limits(),
        cache: Some(cache),
        progress: Some(progress),
    }
}

/// Runs `ingest`; returns the exit status.
pub fn run(args: &IngestArgs) -> u8 {
    let (mappings, files) = match load_mappings(&args.mappings) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let phrases = match report_phrases(&args.formats, &files) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if let Some(shard) = args.shard {
        return run_shard(args, shard, &mappings, &files);
    }
    // Held to the end of the run, whatever path it leaves by (and by the OS
    // past a Ctrl-C or a kill): the cache, the tables and the workbook are
    // one run's.
    let run = RunStamp::now();
    let _lock = match lock_output(&args.out, &run, "ingest", args.wait, args.quiet) {
        Ok(l) => l,
        Err(e) => {
            super::print_error(&e);
            return exit::FATAL;
        }
    };
    let (_, cache) = open_cache(&args.out, args, &files);
    let progress = Progress::new(args.quiet);
    let report = |done: usize, total: usize| progress.tick(done, total);
    let opts = run_options(args, &cache, &report);
    let staging = staging_dir(&args.out);
    let timings = Timings::from_env();
    let result = Consolidator::for_run(&staging, &mappings.evaluation, run).and_then(|mut c| {
        let prepare = |r: &FileResult| prepare(&r.extract, &mappings.evaluation);
        let stats = crate::pipeline::ingest_stream(&inputs_or_default(&args.paths), &mappings, &opts, &prepare, |d| c.push(d));
        progress.finish();
        timings.mark("read, extract, stage the tables");
        let run = c.finish()?;
        timings.mark("merge the evaluation, last row groups");
        let style = WorkbookStyle {
            labels: Some(&mappings.display),
            vocabulary: Some(&mappings.vocabulary),
            tables: &[crate::table::TABLES, EVALUATION_TABLES],
            // write_formats sets the run its tables carry.
            run: None,
        };
        write_formats(&args.out, &run, &args.formats, &args.partition_by, &style, &phrases, &timings)?;
        if args.formats.contains(&Format::Parquet) {
            let removed = remove_shard_parts(&args.out);
            if removed > 0 && !args.quiet {
                eprintln!("{}", run_ui(Ui::ShardPartsRemoved, &[("count", removed.to_string())]));
            }
        }
        Ok((run.summary, stats))
    });
    let _ = std::fs::remove_dir_all(&staging);
    finish_run(args, result, &files)
}

/// Prints a finished run's summary (or its error) and gives its exit status.
fn finish_run(args: &IngestArgs, result: Result<(RunSummary, RunStats), SinkError>, files: &crate::mapping::MappingFiles) -> u8 {
    let (summary, stats) = match result {
        Ok(r) => r,
        Err(e) => {
            super::print_error(&e);
            return exit::FATAL;
        }
    };
    let status = status_of(&summary, false);
    if args.json {
        println!("{}", super::summary_json(&summary, status, files));
    }
    if !args.quiet {
        print_summary(&summary);
        super::print_ingest_end(files, stats.reread, stats.reused, &args.out);
    }
    status
}

/// `ingest --shard K/N`: this share's per-file tables as parts of the
/// output folder, and its hand-off for `torikumi merge`. Shards of one
/// folder run at once: each takes the folder's lock shared (no single run or
/// merge meanwhile) and its own folder's exclusively, and keeps its cache
/// and staging there.
fn run_shard(args: &IngestArgs, shard: Shard, mappings: &crate::mapping::Mappings, files: &crate::mapping::MappingFiles) -> u8 {
    let run = RunStamp::now();
    let own = shard.dir(&args.out);
    let _locks = match lock_shard(args, &own, &run) {
        Ok(l) => l,
        Err(e) => {
            super::print_error(&e);
            return exit::FATAL;
        }
    };
    if !args.quiet {
        let part = crate::table::parts::part_name(shard.k, shard.n, "parquet");
        let said = [
            ("shard", shard.to_string()),
            ("part", part),
            ("out", args.out.display().to_string()),
            ("count", shard.n.to_string()),
        ];
        eprintln!("{}", run_ui(Ui::ShardStart, &said));
    }
    let (key, cache) = open_cache(&own, args, files);
    let progress = Progress::new(args.quiet);
    let report = |done: usize, total: usize| progress.tick(done, total);
    let opts = run_options(args, &cache, &report);
    let staging = staging_dir(&own);
    let (inputs, notes) = shard_inputs(&inputs_or_default(&args.paths), shard);
    let result = Consolidator::for_shard(&staging, &mappings.evaluation, run, &key).and_then(|mut c| {
        c.push(Delivery {
            extract: Extract {
                diagnostics: notes,
                ..Default::default()
            },
            prepared: None,
        });
        let prepare = |r: &FileResult| prepare(&r.extract, &mappings.evaluation);
        let stats = crate::pipeline::ingest_stream(&inputs, mappings, &opts, &prepare, |d| c.push(d));
        progress.finish();
        let parts = c.finish_parts()?;
        place_parts(&args.out, shard, &parts)?;
        Ok((parts.summary, stats))
    });
    let _ = std::fs::remove_dir_all(&staging);
    finish_run(args, result, files)
}

/// A shard's locks: the output folder's shared (other shards and readers
/// run beside it; a single run or a merge waits) and its own folder's `own`
/// exclusively (the same shard twice does not).
///
/// # Errors
/// Either is held and `--wait` is off, or a folder or lock file cannot be made.
fn lock_shard(args: &IngestArgs, own: &Path, run: &RunStamp) -> Result<(Option<OutputLock>, OutputLock), String> {
    std::fs::create_dir_all(&args.out).map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let shared = OutputLock::shared(&args.out, args.wait, |holder| {
        if !args.quiet {
            super::print_waiting(&args.out, holder);
        }
    })
    .map_err(|e| e.to_string())?;
    let own = lock_output(own, run, "ingest --shard", args.wait, args.quiet).map_err(|e| e.to_string())?;
    Ok((shared, own))
}

/// Moves a shard's staged parts into the output folder, the hand-off last:
/// its presence tells `torikumi merge` the shard finished.
fn place_parts(out: &Path, shard: Shard, parts: &crate::consolidate::Parts) -> Result<(), SinkError> {
    let place = |from: &Path, dir: PathBuf, name: String| {
        std::fs::create_dir_all(&dir).map_err(|source| SinkError::Io { path: dir.clone(), source })?;
        let to = dir.join(name);
        std::fs::rename(from, &to).map_err(|source| SinkError::Io { path: to, source })
    };
    let name = crate::table::parts::part_name(shard.k, shard.n, "parquet");
    for t in &parts.tables {
        place(&t.path, out.join("parquet").join(t.name), name.clone())?;
    }
    place(
        &parts.handoff,
        out.join(SHARDS_DIR),
        crate::table::parts::part_name(shard.k, shard.n, "bin"),
    )
}

/// Removes the parts and hand-offs shards and a merge left in `out`, once a
/// single run's tables are in place: a glob over the parts (DuckDB's
/// `parquet/observations/*.parquet`) would otherwise read an older run.
/// Partition folders stay. Returns the number of files removed.
fn remove_shard_parts(out: &Path) -> usize {
    use crate::table::parts::{MERGE_PART, parse_part};
    let mut removed = 0;
    let mut remove = |dir: PathBuf, ext: &str| {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let part = parse_part(&name, ext).is_some() || (ext == "parquet" && name == MERGE_PART);
            if part && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
    };
    for t in crate::table::TABLES {
        remove(out.join("parquet").join(t.name), "parquet");
    }
    remove(out.join(SHARDS_DIR), "bin");
    removed
}

/// The folder of the shards' hand-off files in an output folder.
pub const SHARDS_DIR: &str = "shards";

/// Takes `out`'s lock for `run` (see [`crate::lock`]), saying on stderr
/// what it waits for and which unfinished run's lock it takes over.
///
/// # Errors
/// The folder is held and `wait` is off, or the lock file cannot be made.
pub(super) fn lock_output(out: &Path, run: &RunStamp, command: &str, wait: bool, quiet: bool) -> Result<OutputLock, LockError> {
    let lock = OutputLock::exclusive(out, run, command, wait, |holder| {
        if !quiet {
            super::print_waiting(out, holder);
        }
    })?;
    if let (Some(h), false) = (&lock.stale, quiet) {
        let said = [("holder", h.to_string()), ("dir", out.display().to_string())];
        eprintln!("{}", run_ui(Ui::LockTakenOver, &said));
    }
    Ok(lock)
}

/// Where a run's tables are written before they are moved into place: inside
/// the output folder (so the move is a rename), named after this process.
pub(super) fn staging_dir(out: &Path) -> PathBuf {
    out.join(format!(".torikumi-staging-{}", std::process::id()))
}

/// Writes the requested outputs of `extract` into `dir`, the workbook with
/// machine names, holding `dir`'s lock as `ingest` does.
///
/// # Errors
/// The first output that cannot be written; another run holding `dir`.
pub fn write_outputs(dir: &Path, extract: &Extract, formats: &[Format]) -> Result<(), SinkError> {
    let rules = EvaluationRules::default();
    let run = RunStamp::now();
    let _lock = OutputLock::exclusive(dir, &run, "write_outputs", false, |_| {}).map_err(|e| SinkError::Io {
        path: dir.join(crate::lock::LOCK_FILE),
        source: std::io::Error::new(std::io::ErrorKind::WouldBlock, e.to_string()),
    })?;
    let staging = staging_dir(dir);
    let result = Consolidator::for_run(&staging, &rules, run).and_then(|mut c| {
        c.push(Delivery {
            extract: extract.clone(),
            prepared: None,
        });
        let run = c.finish()?;
        let phrases = crate::report::Phrases::default();
        write_formats(dir, &run, formats, &[], &WorkbookStyle::default(), &phrases, &Timings::default())
    });
    let _ = std::fs::remove_dir_all(&staging);
    result
}

/// Turns a finished run's staged tables into the requested outputs: the
/// Parquet files moved into `DIR/parquet/`, partitioned copies, CSV, and the
/// workbook, each read back from the staged Parquet in batches.
///
/// # Errors
/// The first output that cannot be written.
pub(super) fn write_formats(
    dir: &Path,
    run: &Consolidated,
    formats: &[Format],
    partition_by: &[String],
    style: &WorkbookStyle,
    phrases: &crate::report::Phrases,
    timings: &Timings,
) -> Result<(), SinkError> {
    // The workbook carries the run its tables came from.
    let style = WorkbookStyle {
        run: Some(&run.run),
        ..*style
    };
    if formats.contains(&Format::Xlsx) {
        let charts = ChartData {
            summary: &run.summary_rows,
            trends: &run.trends,
        };
        sink::xlsx::write(dir, &run.tables, &style, Some(&charts))?;
        timings.mark("consolidated.xlsx");
    }
    if formats.contains(&Format::Csv) {
        for t in &run.tables {
            sink::csv::write(dir, t)?;
        }
        timings.mark("csv");
    }
    if formats.contains(&Format::Parquet) {
        if !partition_by.is_empty() {
            for t in &run.tables {
                sink::parquet::write_partitions(dir, t, partition_by, &run.run)?;
            }
        }
        // Each staged file is complete: a rename puts it in place whole.
        let parquet = dir.join("parquet");
        std::fs::create_dir_all(&parquet).map_err(|source| SinkError::Io {
            path: parquet.clone(),
            source,
        })?;
        for t in &run.tables {
            let to = parquet.join(format!("{}.parquet", t.name));
            std::fs::rename(&t.path, &to).map_err(|source| SinkError::Io { path: to, source })?;
        }
    }
    if formats.contains(&Format::Html) {
        // From the tables just written: in DIR/parquet/, or still staged without parquet.
        let path_of = |name: &str| match run.tables.iter().find(|t| t.name == name) {
            Some(t) if !formats.contains(&Format::Parquet) => t.path.clone(),
            _ => dir.join("parquet").join(format!("{name}.parquet")),
        };
        let labels = style.labels.cloned().unwrap_or_default();
        crate::report::read_with(path_of)
            .and_then(|t| crate::report::write(&dir.join(crate::report::REPORT_FILE), &t, &labels, phrases))
            .map_err(|e| SinkError::frame(crate::report::REPORT_FILE, e))?;
        timings.mark("report.html");
    }
    Ok(())
}

/// Wall time per phase on stderr when `TORIKUMI_TIMINGS` is set (for
/// profiling; the benchmark's README quotes it).
#[derive(Default)]
pub(super) struct Timings(Option<std::sync::Mutex<std::time::Instant>>);

impl Timings {
    pub(super) fn from_env() -> Self {
        Timings(std::env::var_os("TORIKUMI_TIMINGS").map(|_| std::sync::Mutex::new(std::time::Instant::now())))
    }

    pub(super) fn mark(&self, phase: &str) {
        if let Some(Ok(mut last)) = self.0.as_ref().map(|m| m.lock()) {
            eprintln!("timing: {phase}: {:.2} s", last.elapsed().as_secs_f64());
            *last = std::time::Instant::now();
        }
    }
}

/// Progress on stderr: a bar when stderr is a terminal, plain lines (at most
/// one every two seconds, after the first two) otherwise, nothing with --quiet.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    started: std::time::Instant,
    last_line: std::sync::Mutex<std::time::Instant>,
}

impl Progress {
    fn new(quiet: bool) -> Self {
        use std::io::IsTerminal;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(&format!(
                    "{{elapsed_precise}} [{{bar:30}}] {{pos}}/{{len}} {} ({{per_sec}})",
                    run_ui(Ui::ProgressBarFiles, &[])
                ))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        let now = std::time::Instant::now();
        Progress {
            bar,
            quiet,
            started: now,
            last_line: std::sync::Mutex::new(now),
        }
    }

    fn tick(&self, done: usize, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            return;
        }
        if self.quiet || self.started.elapsed().as_secs() < 2 {
            return;
        }
        if let Ok(mut last) = self.last_line.lock()
            && (last.elapsed().as_secs() >= 2 || done == total)
        {
            *last = std::time::Instant::now();
            eprintln!(
                "{}",
                run_ui(Ui::Progress, &[("done", done.to_string()), ("total", total.to_string())])
            );
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split is part of the output's contract: a change of hash would
    /// move files between shards of runs already made.
    #[test]
    fn the_shard_of_a_path_is_fixed() {
        // Also computed by hand (Python) from the definition.
        assert_eq!(shard_of("", 8), 7);
        assert_eq!(shard_of("gunma_dx_kobetsu.xlsx", 3), 1);
        assert_eq!(shard_of("2024Q1/Zürich/sheet.xlsx", 16), 13);
        assert_eq!(shard_of("anything", 1), 1);
        let counts = (0..3000).fold([0; 4], |mut c, i| {
            c[shard_of(&format!("div{i}/sheet.xlsx"), 4) as usize - 1] += 1;
            c
        });
        assert!(counts.iter().all(|&c| (650..850).contains(&c)), "{counts:?}");
    }

    #[test]
    fn paths_are_hashed_relative_to_their_input_folder() {
        let roots = [PathBuf::from("/mnt/a/inbox"), PathBuf::from("one.xlsx")];
        assert_eq!(relative_to_root(Path::new("/mnt/a/inbox/x/y.xlsx"), &roots), "x/y.xlsx");
        assert_eq!(relative_to_root(Path::new("one.xlsx"), &roots), "one.xlsx");
        let elsewhere = [PathBuf::from("/srv/inbox")];
        assert_eq!(relative_to_root(Path::new("/srv/inbox/x/y.xlsx"), &elsewhere), "x/y.xlsx");
    }

    #[test]
    fn shard_values_are_checked() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { k: 2, n: 8 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/3"] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains("1 <= K <= N") && e.contains(bad), "{e}");
        }
    }
}
