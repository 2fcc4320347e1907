//! `torikumi ingest`: read inputs, write the six tables as Parquet and the consolidated workbook.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{exit, inputs_or_default, load_mappings, print_summary, status_of};
use crate::model::Extract;
use crate::sink::xlsx::WorkbookStyle;
use crate::sink::{self, SinkError};

/// Arguments of `ingest`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  torikumi ingest                          # samples/ → output/\n  torikumi ingest inbox/2024Q1 --out out/  # a quarter's folder\n  torikumi ingest a.xlsx b.txt --formats parquet"
)]
pub struct IngestArgs {
    /// Files or folders to read (folders recursively). Default: samples/
    pub paths: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Folder of mapping files.
    #[arg(long, default_value = "mappings")]
    pub mappings: PathBuf,
    #[command(flatten)]
    pub limits: super::LimitArgs,
    /// Outputs to write: parquet, xlsx, csv (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "parquet,xlsx")]
    pub formats: Vec<Format>,
    /// Print the run summary as JSON on stdout (for scripts).
    #[arg(long)]
    pub json: bool,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Parquet,
    Xlsx,
    Csv,
}

/// Runs `ingest`; returns the exit status.
pub fn run(args: &IngestArgs) -> u8 {
    let mappings = match load_mappings(&args.mappings) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let extract = crate::pipeline::ingest(&inputs_or_default(&args.paths), &mappings, &args.limits.limits());
    let style = WorkbookStyle {
        labels: Some(&mappings.display),
        vocabulary: Some(&mappings.vocabulary),
        tables: &[crate::table::TABLES],
    };
    if let Err(e) = write_outputs_styled(&args.out, &extract, &args.formats, &style) {
        eprintln!("error: {e}");
        return exit::FATAL;
    }
    let status = status_of(&extract, false);
    if args.json {
        println!("{}", super::summary_json(&extract, status));
    }
    if !args.quiet {
        print_summary(&extract);
        eprintln!("written to {}", args.out.display());
    }
    status
}

/// Writes the requested outputs of `extract` into `dir`, the workbook with
/// machine names (see [`write_outputs_styled`] for display labels).
///
/// # Errors
/// The first output that cannot be written.
pub fn write_outputs(dir: &Path, extract: &Extract, formats: &[Format]) -> Result<(), SinkError> {
    write_outputs_styled(dir, extract, formats, &WorkbookStyle::default())
}

/// Writes the requested outputs of `extract` into `dir`.
///
/// # Errors
/// The first output that cannot be written.
pub fn write_outputs_styled(dir: &Path, extract: &Extract, formats: &[Format], style: &WorkbookStyle) -> Result<(), SinkError> {
    let mut frames = crate::table::frames(extract).map_err(|e| SinkError::Frame {
        table: "all".into(),
        message: e.to_string(),
    })?;
    if formats.contains(&Format::Parquet) {
        for (name, df) in frames.iter_mut() {
            sink::parquet::write(dir, name, df)?;
        }
    }
    if formats.contains(&Format::Csv) {
        for (name, df) in frames.iter() {
            sink::csv::write(dir, name, df)?;
        }
    }
    if formats.contains(&Format::Xlsx) {
        sink::xlsx::write(dir, &frames, style)?;
    }
    Ok(())
}
