//! `torikumi ingest`: read inputs, write the six tables as Parquet and the consolidated workbook.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{exit, inputs_or_default, load_mappings, print_summary, status_of};
use crate::cache::{Cache, mappings_key};
use crate::consolidate::{Consolidated, Consolidator, prepare};
use crate::evaluate::EvaluationRules;
use crate::lock::{LockError, OutputLock, RunStamp};
use crate::model::Extract;
use crate::pipeline::{Delivery, FileResult, RunOptions};
use crate::sink::xlsx::{ChartData, WorkbookStyle};
use crate::sink::{self, SinkError};
use crate::table::EVALUATION_TABLES;

/// Arguments of `ingest`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  torikumi ingest                          # samples/ → output/\n  torikumi ingest inbox/ --mappings my-mappings/  # own layouts over the built-in ones\n  torikumi ingest inbox/2024Q1 --out out/  # a quarter's folder\n  torikumi ingest a.xlsx b.txt --formats parquet\n  torikumi ingest inbox/2024Q2 --wait      # queue behind a run already writing output/\n\nOne run at a time per output folder: a second run into the same folder stops\nat once with exit status 2 and names the run holding it (OUT/.torikumi.lock),\nor with --wait waits for it to finish."
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

/// Runs `ingest`; returns the exit status.
pub fn run(args: &IngestArgs) -> u8 {
    let (mappings, files) = match load_mappings(&args.mappings) {
        Ok(m) => m,
        Err(code) => return code,
    };
    // The report's words, checked before any input is read, as the mappings are.
    let phrases = match args.formats.contains(&Format::Html) {
        true => crate::report::Phrases::from_files(&files),
        false => Ok(crate::report::Phrases::default()),
    };
    let phrases = match phrases {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FATAL;
        }
    };
    // Held to the end of the run, whatever path it leaves by (and by the OS
    // past a Ctrl-C or a kill): the cache, the tables and the workbook are
    // one run's.
    let run = RunStamp::now();
    let _lock = match lock_output(&args.out, &run, args.wait, args.quiet) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FATAL;
        }
    };
    // Limits change what a file gives (a refused file), so they are part of the key.
    let key = format!("{} {:?}", mappings_key(&files), args.limits.limits());
    let cache = Cache::open(&args.out, &key, args.full);
    let progress = Progress::new(args.quiet);
    let report = |done: usize, total: usize| progress.tick(done, total);
    let opts = RunOptions {
        limits: args.limits.limits(),
        cache: Some(&cache),
        progress: Some(&report),
    };
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
        Ok((run.summary, stats))
    });
    let _ = std::fs::remove_dir_all(&staging);
    let (summary, stats) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FATAL;
        }
    };
    let status = status_of(&summary, false);
    if args.json {
        println!("{}", super::summary_json(&summary, status, &files));
    }
    if !args.quiet {
        print_summary(&summary);
        super::print_ingest_end(&files, stats.reread, stats.reused, &args.out);
    }
    status
}

/// Takes `out`'s lock for `run` (see [`crate::lock`]), saying on stderr
/// what it waits for and which unfinished run's lock it takes over.
///
/// # Errors
/// The folder is held and `wait` is off, or the lock file cannot be made.
fn lock_output(out: &Path, run: &RunStamp, wait: bool, quiet: bool) -> Result<OutputLock, LockError> {
    let lock = OutputLock::exclusive(out, run, "ingest", wait, |holder| {
        if !quiet {
            eprintln!("waiting: {} is in use by {}", out.display(), crate::lock::in_use_by(holder));
        }
    })?;
    if let (Some(h), false) = (&lock.stale, quiet) {
        eprintln!(
            "note: {h} did not finish (its lock on {} was left behind); taking it over",
            out.display()
        );
    }
    Ok(lock)
}

/// Where a run's tables are written before they are moved into place: inside
/// the output folder (so the move is a rename), named after this process.
fn staging_dir(out: &Path) -> PathBuf {
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
fn write_formats(
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
struct Timings(Option<std::sync::Mutex<std::time::Instant>>);

impl Timings {
    fn from_env() -> Self {
        Timings(std::env::var_os("TORIKUMI_TIMINGS").map(|_| std::sync::Mutex::new(std::time::Instant::now())))
    }

    fn mark(&self, phase: &str) {
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
                indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} files ({per_sec})")
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
            eprintln!("progress: {done}/{total} files");
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
