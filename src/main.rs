//! `torikumi` command line: dispatches to one module per subcommand.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use torikumi::cmd;

// The pipeline allocates many small strings on several threads at once; glibc's
// allocator spent about a third of a run's cycles in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's option enum (the bindings name no
/// constant for it): how long freed memory waits before it is given back to
/// the OS, -1 for never.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Turns Japanese local governments' 取組票 (initiative and KPI sheets) into clean columnar data.
#[derive(Debug, Parser)]
#[command(name = "torikumi", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read workbooks and PDF-derived text; write Parquet tables and consolidated.xlsx.
    Ingest(cmd::ingest::IngestArgs),
    /// Ingest without writing; print diagnostics grouped by file.
    Check(cmd::check::CheckArgs),
    /// Show a file's cell grid and how its layout was recognised.
    Inspect(cmd::inspect::InspectArgs),
    /// Regenerate the standard Excel sheets from a previous ingest's Parquet.
    Render(cmd::render::RenderArgs),
    /// Print the output schema as Markdown (the source of schema.md).
    Schema {
        /// Folder of mapping files (for the workbook labels).
        #[arg(long, default_value = "mappings")]
        mappings: std::path::PathBuf,
    },
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    Completions { shell: clap_complete::Shell },
}

fn main() -> ExitCode {
    // A run frees and reallocates the same few hundred MiB window after window;
    // handing it back to the OS in between doubled the system time (the kernel
    // zeroes every page it hands out again). A CLI run keeps it until exit.
    // SAFETY: sets a plain integer option; no allocation is in flight yet.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { cmd::exit::FATAL } else { cmd::exit::OK });
        }
    };
    let code = match &cli.command {
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Render(a) => cmd::render::run(a),
        Command::Schema { mappings } => match cmd::load_mappings(mappings) {
            Ok(m) => {
                print!(
                    "{}",
                    torikumi::table::schema_markdown(&[torikumi::table::TABLES, torikumi::evaluate::EVALUATION_TABLES], &m.display)
                );
                cmd::exit::OK
            }
            Err(code) => code,
        },
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "torikumi", &mut std::io::stdout());
            cmd::exit::OK
        }
    };
    ExitCode::from(code)
}
