//! One module per subcommand, each with its argument struct and `run()`.

pub mod check;
pub mod ingest;
pub mod inspect;
pub mod mappings;
pub mod merge;
pub mod render;
pub mod report;

use std::path::{Path, PathBuf};

use crate::consolidate::RunSummary;
use crate::mapping::messages::{self, Lang, Ui, run_ui};
use crate::mapping::{MappingErrors, MappingFiles, Mappings};
use crate::model::Severity;

/// Exit statuses of the CONTRACT.
pub mod exit {
    /// Everything understood.
    pub const OK: u8 = 0;
    /// Finished, but some input produced error-level diagnostics.
    pub const INPUT_ERRORS: u8 = 1;
    /// Nothing written: bad arguments, unreadable mapping, unwritable output.
    pub const FATAL: u8 = 2;
}

/// Which mapping files a command uses (the same flags on every command that reads them).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MappingsArg {
    /// Folder of mapping files laid over the built-in ones: a file replaces the
    /// built-in of the same name (a layout also the one of the same
    /// `[layout] name`), others are added. Default: ./mappings when that
    /// folder exists, else the built-in mappings alone.
    #[arg(long, value_name = "DIR")]
    pub mappings: Option<PathBuf>,
    /// The built-in mappings alone, even when ./mappings exists.
    #[arg(long, conflicts_with = "mappings")]
    pub built_in_mappings: bool,
}

impl MappingsArg {
    /// The mapping files these flags put in force.
    ///
    /// # Errors
    /// The folder or a file in it cannot be read (every problem printed).
    pub fn files(&self) -> Result<MappingFiles, u8> {
        let found = if self.built_in_mappings {
            Ok(MappingFiles::built_in())
        } else {
            MappingFiles::in_force(self.mappings.as_deref())
        };
        found.map_err(|e| {
            print_error(&MappingErrors(e));
            exit::FATAL
        })
    }
}

/// Loads the mappings in force or prints every problem and returns the fatal status.
pub fn load_mappings(arg: &MappingsArg) -> Result<(Mappings, MappingFiles), u8> {
    let files = arg.files()?;
    // The display labels are checked against the schema, which lives above `mapping`.
    let mut mappings = Mappings::from_files_checked(&files, crate::table::display_label_problems).map_err(|e| {
        print_error(&e);
        exit::FATAL
    })?;
    // The catalogues in force serve every message of the run from here on.
    if let Some(m) = mappings.messages.take() {
        messages::install(m);
    }
    Ok((mappings, files))
}

/// Reads a previous ingest's tables from `from` under the folder's lock taken
/// shared: with other readers, never with an ingest replacing the tables one
/// by one, so what is read is one run's (`wait` queues behind such an ingest).
/// The lock is released once `read` returns.
///
/// # Errors
/// The fatal status, with the problem printed: the folder is busy, cannot be
/// locked, or `read` fails.
pub fn read_locked<T, E: std::fmt::Display>(
    from: &Path,
    wait: bool,
    quiet: bool,
    read: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, u8> {
    let fatal = |e: &dyn std::fmt::Display| {
        print_error(e);
        exit::FATAL
    };
    let _lock = crate::lock::OutputLock::shared(from, wait, |holder| {
        if !quiet {
            print_waiting(from, holder);
        }
    })
    .map_err(|e| fatal(&e))?;
    read(from).map_err(|e| fatal(&e))
}

/// Prints `error: TEXT` on stderr, the prefix in the run's language; the
/// text (an error's own, from its `Display`) is printed as it is.
pub fn print_error(e: &dyn std::fmt::Display) {
    eprintln!("{}", run_ui(Ui::Error, &[("error", e.to_string())]));
}

/// Says on stderr that `dir` is held by `holder` and this run waits for it.
pub fn print_waiting(dir: &Path, holder: Option<&crate::lock::Holder>) {
    eprintln!(
        "{}",
        run_ui(
            Ui::Waiting,
            &[("dir", dir.display().to_string()), ("holder", crate::lock::in_use_by(holder))]
        )
    );
}

/// Says on stderr that `merge` put `n` shards together into `out`.
pub fn print_merged(n: u32, out: &Path) {
    eprintln!(
        "{}",
        run_ui(Ui::Merged, &[("count", n.to_string()), ("out", out.display().to_string())])
    );
}

/// Resource limits a run accepts (defaults documented in the README).
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Largest input file read, in MiB.
    #[arg(long, default_value_t = 256)]
    pub max_file_mb: u64,
    /// Most non-empty cells accepted in one sheet.
    #[arg(long, default_value_t = 2_000_000)]
    pub max_cells: u64,
    /// Most MiB a zip-based workbook's parts may expand to (zip-bomb guard).
    #[arg(long, default_value_t = 1024)]
    pub max_expanded_mb: u64,
}

impl LimitArgs {
    /// The limits these flags set.
    pub fn limits(&self) -> crate::source::Limits {
        crate::source::Limits {
            max_file_bytes: self.max_file_mb.saturating_mul(1024 * 1024),
            max_cells_per_sheet: self.max_cells,
            max_uncompressed_bytes: self.max_expanded_mb.saturating_mul(1024 * 1024),
        }
    }
}

/// The inputs, defaulting to `samples/`.
pub fn inputs_or_default(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("samples")]
    } else {
        paths.to_vec()
    }
}

/// Prints one line per source and a total, to stderr.
pub fn print_summary(x: &RunSummary) {
    for f in &x.files {
        let s = &f.source;
        let layout = s.layout.clone().unwrap_or_else(|| run_ui(Ui::SummaryNoLayout, &[]));
        let line = run_ui(
            Ui::SummaryFile,
            &[
                ("file", s.source_file.clone()),
                ("status", s.status.clone()),
                ("layout", layout),
                ("read", s.cells_read.to_string()),
                ("mapped", s.cells_mapped.to_string()),
                ("unmapped", s.cells_unmapped.to_string()),
                ("errors", f.errors.to_string()),
                ("warnings", f.warnings.to_string()),
                ("unread", unread(s.value_cells_unread)),
            ],
        );
        eprintln!("{line}");
    }
    let total = |f: fn(&crate::model::SourceRecord) -> u64| x.files.iter().map(|l| f(&l.source)).sum::<u64>();
    let line = run_ui(
        Ui::SummaryTotal,
        &[
            ("files", x.files.len().to_string()),
            ("read", total(|s| s.cells_read).to_string()),
            ("mapped", total(|s| s.cells_mapped).to_string()),
            ("unmapped", total(|s| s.cells_unmapped).to_string()),
            ("observations", x.observations.to_string()),
            ("indicators", x.indicators.to_string()),
            ("initiatives", x.initiatives.to_string()),
            ("schedule", x.schedule.to_string()),
            ("errors", x.errors.to_string()),
            ("warnings", x.warnings.to_string()),
            ("unread", unread(total(|s| s.value_cells_unread))),
        ],
    );
    eprintln!("{line}");
}

/// ", N value cells NOT read" when some were left unread: the loudest part of a summary line.
fn unread(n: u64) -> String {
    if n == 0 {
        String::new()
    } else {
        run_ui(Ui::SummaryUnread, &[("count", n.to_string())])
    }
}

/// The mappings in force, as the run summary's line says it.
pub fn print_mappings(files: &MappingFiles) {
    let said = messages::messages().mappings_summary(messages::run_language(), files);
    eprintln!("{}", run_ui(Ui::MappingsInForce, &[("mappings", said)]));
}

/// The end of `ingest`'s summary: the mappings in force, what was re-read and
/// reused, and where the outputs are.
pub fn print_ingest_end(files: &MappingFiles, reread: usize, reused: usize, out: &Path) {
    print_mappings(files);
    eprintln!(
        "{}",
        run_ui(Ui::IngestReread, &[("reread", reread.to_string()), ("reused", reused.to_string())])
    );
    eprintln!("{}", run_ui(Ui::IngestWritten, &[("out", out.display().to_string())]));
}

/// Sets the run's language: `--lang` when given, else the locale's (see
/// [`messages::terminal_language`]) for the terminal and the tables; the
/// workbook and the HTML report take `--lang` or Japanese.
pub fn set_language(explicit: Option<Lang>) {
    let terminal = messages::terminal_language(explicit, |k| std::env::var(k).ok());
    messages::set_language(explicit, terminal);
}

/// The run summary as JSON: per-file counts, totals, the mappings in force and the exit status.
pub fn summary_json(x: &RunSummary, status: u8, mappings: &MappingFiles) -> String {
    let files: Vec<serde_json::Value> = x
        .files
        .iter()
        .map(|f| {
            let s = &f.source;
            serde_json::json!({
                "source_file": s.source_file,
                "status": s.status,
                "layout": s.layout,
                "encoding": s.encoding,
                "cells_read": s.cells_read,
                "cells_mapped": s.cells_mapped,
                "cells_unmapped": s.cells_unmapped,
                "value_cells_unread": s.value_cells_unread,
                "errors": f.errors,
                "warnings": f.warnings,
            })
        })
        .collect();
    serde_json::json!({
        "files": files,
        "totals": {
            "files": x.files.len(),
            "observations": x.observations,
            "indicators": x.indicators,
            "initiatives": x.initiatives,
            "schedule": x.schedule,
            "errors": x.errors,
            "warnings": x.warnings,
        },
        "mappings": mappings.summary(),
        "exit_status": status,
    })
    .to_string()
}

/// Exit status for a finished run.
pub fn status_of(x: &RunSummary, deny_warnings: bool) -> u8 {
    match x.worst() {
        Some(Severity::Error) => exit::INPUT_ERRORS,
        Some(Severity::Warning) if deny_warnings => exit::INPUT_ERRORS,
        _ => exit::OK,
    }
}
