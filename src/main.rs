//! `torikumi` command line: dispatches to one module per subcommand.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use torikumi::cmd;

// The pipeline allocates many small strings on several threads at once; glibc's
// allocator spent about a third of a run's cycles in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Options of mimalloc 3 by their place in its `mi_option_t` enum (the Rust
/// bindings name no constants for them), read from the header of
/// libmimalloc-sys 0.1.49, which Cargo.toml pins for that reason.
mod mi_option {
    use libmimalloc_sys::mi_option_t;
    /// Commit a new arena whole when it is reserved (default: on overcommit systems).
    pub const ARENA_EAGER_COMMIT: mi_option_t = 4;
    /// How long freed memory waits before it is given back to the OS; -1: never.
    pub const PURGE_DELAY: mi_option_t = 15;
    /// Whether transparent huge pages may back the heap.
    pub const ALLOW_THP: mi_option_t = 43;
}

/// Tunes the allocator for a run that frees and reallocates the same few
/// hundred MiB window after window, mostly on another thread than the one
/// that allocated it. Handing memory back to the OS between windows doubled
/// the system time (every page comes back zeroed); an eagerly committed second
/// arena backed by huge pages added over 500 MiB of resident memory at 10,000
/// files (200 MiB without them).
/// Runs before `main` (and before the Rust runtime allocates): options set
/// later no longer shape the arena mimalloc has already reserved.
#[ctor::ctor(unsafe)]
fn configure_allocator() {
    // SAFETY: sets plain integer options; touches nothing else.
    unsafe {
        libmimalloc_sys::mi_option_set(mi_option::PURGE_DELAY, -1);
        libmimalloc_sys::mi_option_set(mi_option::ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(mi_option::ALLOW_THP, 0);
    }
}

/// Turns Japanese local governments' 取組票 (initiative and KPI sheets) into clean columnar data.
#[derive(Debug, Parser)]
#[command(name = "torikumi", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages (ja or en). Default: from LC_ALL, LC_MESSAGES or
    /// LANG (ja_JP… → ja), else en; the workbook and the HTML report default to ja.
    #[arg(long, global = true, value_name = "ja|en")]
    lang: Option<torikumi::mapping::messages::Lang>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read workbooks and PDF-derived text; write Parquet tables and consolidated.xlsx.
    Ingest(cmd::ingest::IngestArgs),
    /// After `ingest --shard K/N` runs: build the evaluation and the workbook from the shards' parts.
    Merge(cmd::merge::MergeArgs),
    /// Ingest without writing; print diagnostics grouped by file.
    Check(cmd::check::CheckArgs),
    /// Show a file's cell grid and how its layout was recognised.
    Inspect(cmd::inspect::InspectArgs),
    /// Regenerate the standard Excel sheets from a previous ingest's Parquet.
    Render(cmd::render::RenderArgs),
    /// Write one self-contained HTML page (summary, charts, what could not be read) from a previous ingest's Parquet.
    Report(cmd::report::ReportArgs),
    /// Print the output schema as Markdown (the source of schema.md).
    Schema {
        /// Mapping files (for the workbook labels).
        #[command(flatten)]
        mappings: cmd::MappingsArg,
    },
    /// List the mapping files in force, or export the built-in ones for editing.
    Mappings(cmd::mappings::MappingsArgs),
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    Completions { shell: clap_complete::Shell },
}

/// Output piped into a reader that stops early (`torikumi inspect … | head`)
/// ends the process quietly, as other command-line tools do, instead of
/// `println!` panicking on the broken pipe.
#[cfg(unix)]
fn quiet_on_closed_pipe() {
    // SAFETY: restores the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn quiet_on_closed_pipe() {}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { cmd::exit::FATAL } else { cmd::exit::OK });
        }
    };
    cmd::set_language(cli.lang);
    let code = match &cli.command {
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Merge(a) => cmd::merge::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Render(a) => cmd::render::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Schema { mappings } => match cmd::load_mappings(mappings) {
            Ok((m, _)) => {
                print!(
                    "{}",
                    torikumi::table::schema_markdown(&[torikumi::table::TABLES, torikumi::table::EVALUATION_TABLES], &m.display)
                );
                cmd::exit::OK
            }
            Err(code) => code,
        },
        Command::Mappings(a) => cmd::mappings::run(a),
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "torikumi", &mut std::io::stdout());
            cmd::exit::OK
        }
    };
    ExitCode::from(code)
}
