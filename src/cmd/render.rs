//! `torikumi render`: the standard sheets, pre-filled, from a previous ingest's Parquet.

use std::path::PathBuf;

use clap::Args;

use super::{exit, print_error};
use crate::mapping::messages::{Ui, run_ui};
use crate::render::{self, Options};

/// Arguments of `render`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  torikumi ingest && torikumi render                 # output/ → output/rendered/\n  torikumi render --layout gunma_reform_plan\n  torikumi render --division NAME --out out/NAME      # only that division's items"
)]
pub struct RenderArgs {
    /// Folder of a previous ingest's output (reads FROM/parquet/*.parquet).
    #[arg(long, default_value = "output")]
    pub from: PathBuf,
    /// Output folder for the standard sheets.
    #[arg(long, default_value = "output/rendered")]
    pub out: PathBuf,
    /// Only this output layout (`[layout] name` of a render layout; `torikumi mappings list` shows them).
    #[arg(long)]
    pub layout: Option<String>,
    /// Only the items whose divisions include NAME; the file names carry it.
    #[arg(long)]
    pub division: Option<String>,
    /// Output layouts: the built-in ones, and a mappings folder's `render/*.toml` over them.
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

/// Runs `render`; returns the exit status.
pub fn run(args: &RenderArgs) -> u8 {
    // Render layouts are compiled with the other mapping files (their eras are the vocabulary's).
    let layouts = match super::load_mappings(&args.mappings) {
        Ok((m, _)) => m.render,
        Err(code) => return code,
    };
    // The lock guards the tables read; the workbooks written to OUT are each
    // written whole and renamed.
    let tables = match super::read_locked(&args.from, args.wait, args.quiet, render::read_tables) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let opts = Options {
        layout: args.layout.clone(),
        division: args.division.clone(),
    };
    let written = match render::render(&tables, &layouts, &args.out, &opts) {
        Ok(w) => w,
        Err(e) => {
            print_error(&e);
            return exit::FATAL;
        }
    };
    if written.is_empty() {
        let from = ("from", args.from.display().to_string());
        print_error(&match &args.division {
            Some(d) => run_ui(Ui::RenderNoDivision, &[from, ("division", d.clone())]),
            None => run_ui(Ui::RenderNoLayout, &[from]),
        });
        return exit::FATAL;
    }
    if !args.quiet {
        for w in &written {
            let said = [
                ("path", w.path.display().to_string()),
                ("layout", w.layout.clone()),
                ("sheets", w.sheets.len().to_string()),
            ];
            eprintln!("{}", run_ui(Ui::RenderWritten, &said));
            if w.unplaced > 0 {
                eprintln!("  {}", run_ui(Ui::RenderUnplaced, &[("count", w.unplaced.to_string())]));
            }
        }
    }
    exit::OK
}
