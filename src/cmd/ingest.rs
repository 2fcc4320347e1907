//! `torikumi ingest`: read inputs, write the six tables as Parquet and the consolidated workbook.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{exit, inputs_or_default, load_mappings, print_summary, status_of};
use crate::model::Extract;
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
    /// Outputs to write: parquet, xlsx (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "parquet,xlsx")]
    pub formats: Vec<Format>,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Parquet,
    Xlsx,
}

/// Runs `ingest`; returns the exit status.
pub fn run(args: &IngestArgs) -> u8 {
    let mappings = match load_mappings(&args.mappings) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let extract = crate::pipeline::ingest(&inputs_or_default(&args.paths), &mappings, &args.limits.limits());
    if let Err(e) = write_outputs(&args.out, &extract, &args.formats) {
        eprintln!("error: {e}");
        return exit::FATAL;
    }
    if !args.quiet {
        print_summary(&extract);
        eprintln!("written to {}", args.out.display());
    }
    status_of(&extract, false)
}

/// Writes the requested outputs of `extract` into `dir`.
///
/// # Errors
/// The first output that cannot be written.
pub fn write_outputs(dir: &Path, extract: &Extract, formats: &[Format]) -> Result<(), SinkError> {
    let mut frames = crate::table::frames(extract).map_err(|e| SinkError::Frame {
        table: "all".into(),
        message: e.to_string(),
    })?;
    if formats.contains(&Format::Parquet) {
        for (name, df) in frames.iter_mut() {
            sink::parquet::write(dir, name, df)?;
        }
    }
    if formats.contains(&Format::Xlsx) {
        sink::xlsx::write(dir, &frames)?;
    }
    Ok(())
}
