//! `torikumi report`: one self-contained HTML page from a previous ingest's Parquet.

use std::path::PathBuf;

use clap::Args;

use super::{exit, load_mappings, print_error};
use crate::mapping::messages::{Ui, run_ui};
use crate::report;

/// Arguments of `report`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  torikumi ingest && torikumi report                # output/ → output/report.html\n  torikumi report --from out/2024Q1 --out q1.html\n  torikumi ingest --formats parquet,xlsx,html       # the same page in the same run\n\nThe page needs no server and fetches nothing: open it in any browser, print it on A4."
)]
pub struct ReportArgs {
    /// Folder of a previous ingest's output (reads FROM/parquet/*.parquet).
    #[arg(long, default_value = "output")]
    pub from: PathBuf,
    /// The HTML file to write. Default: FROM/report.html
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The mapping files in force (the labels of display.toml, the words of report/phrases.toml).
    #[command(flatten)]
    pub mappings: super::MappingsArg,
    /// No summary on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// When an ingest is writing FROM, wait for it to finish instead of
    /// stopping with exit status 2.
    #[arg(long)]
    pub wait: bool,
}

/// Runs `report`; returns the exit status.
pub fn run(args: &ReportArgs) -> u8 {
    let (mappings, files) = match load_mappings(&args.mappings) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let phrases = match report::Phrases::from_files(&files) {
        Ok(p) => p,
        Err(e) => {
            print_error(&e);
            return exit::FATAL;
        }
    };
    let tables = match super::read_locked(&args.from, args.wait, args.quiet, report::read_dir) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let out = args.out.clone().unwrap_or_else(|| args.from.join(report::REPORT_FILE));
    if let Err(e) = report::write(&out, &tables, &mappings.display, &phrases) {
        print_error(&e);
        return exit::FATAL;
    }
    if !args.quiet {
        let said = [
            ("out", out.display().to_string()),
            ("goals", tables.summary.len().to_string()),
            ("indicators", tables.evaluation.len().to_string()),
            ("diagnostics", tables.diagnostics.len().to_string()),
            ("files", tables.sources.len().to_string()),
        ];
        eprintln!("{}", run_ui(Ui::ReportWritten, &said));
    }
    exit::OK
}
