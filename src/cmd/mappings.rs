//! `torikumi mappings`: which mapping files are in force and from where
//! (`list`), and the built-in ones written out for editing (`export`).

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::{MappingsArg, exit};
use crate::mapping::files::{MappingFile, Origin};
use crate::mapping::{MappingFiles, Mappings};

/// Arguments of `mappings`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  torikumi mappings list                      # what is in force, and from where\n  torikumi mappings export my-mappings/       # the built-in files, to edit\n  torikumi ingest inbox/ --mappings my-mappings/\n\nThe shipped mappings are built into torikumi. A folder given with --mappings\n(or ./mappings, when it exists and --mappings is not given) is laid over them:\na file replaces the built-in of the same name, a layout also the built-in\nlayout of the same [layout] name; other files are added."
)]
pub struct MappingsArgs {
    #[command(subcommand)]
    pub action: Action,
}

/// What `mappings` does.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// List the mapping files in force: kind, name, file, origin, and what each user file overrides.
    List {
        #[command(flatten)]
        mappings: MappingsArg,
    },
    /// Write the built-in mapping files into DIR (its render/ folder too) for editing.
    Export {
        /// Folder to write (made when missing).
        dir: PathBuf,
        /// Overwrite files that exist already.
        #[arg(long)]
        force: bool,
    },
}

/// Why `mappings export` wrote nothing, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Files of the same names exist and `--force` was not given; nothing was written.
    #[error("{} file(s) exist already (pass --force to overwrite them): {}", .0.len(), .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    WouldOverwrite(Vec<PathBuf>),
    /// A folder or file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// Runs `mappings`; returns the exit status.
pub fn run(args: &MappingsArgs) -> u8 {
    match &args.action {
        Action::List { mappings } => list(mappings),
        Action::Export { dir, force } => match export(dir, *force) {
            Ok(n) => {
                eprintln!(
                    "wrote {n} built-in mapping files to {}; edit them, then pass --mappings {} (a file left as exported changes nothing)",
                    dir.display(),
                    dir.display()
                );
                exit::OK
            }
            Err(e) => {
                super::print_error(&e);
                exit::FATAL
            }
        },
    }
}

/// Prints the files in force, one a line; then checks that they compile.
fn list(arg: &MappingsArg) -> u8 {
    let files = match arg.files() {
        Ok(f) => f,
        Err(code) => return code,
    };
    println!("mappings: {}", files.summary());
    print!("{}", listing(&files));
    // Listed even when broken (so the user sees what is in force), then checked.
    match Mappings::from_files(&files) {
        Ok(_) => exit::OK,
        Err(e) => {
            super::print_error(&e);
            exit::FATAL
        }
    }
}

/// The table `mappings list` prints: kind, name, file, origin, one file a line,
/// sorted by kind then file.
pub fn listing(files: &MappingFiles) -> String {
    let mut rows: Vec<&MappingFile> = files.iter().collect();
    rows.sort_by(|a, b| (a.kind(), &a.path).cmp(&(b.kind(), &b.path)));
    let name = |f: &MappingFile| {
        f.name
            .clone()
            .unwrap_or_else(|| f.path.rsplit('/').next().unwrap_or(&f.path).trim_end_matches(".toml").to_string())
    };
    let origin = |f: &MappingFile| match &f.origin {
        Origin::BuiltIn => "built-in".to_string(),
        Origin::User(p) => match files.replaced_by(&f.path) {
            Some(r) if r.same_text => format!("{} (same as built-in {})", p.display(), r.built_in),
            Some(r) => format!("{} (overrides built-in {})", p.display(), r.built_in),
            None => format!("{} (added)", p.display()),
        },
    };
    let table: Vec<[String; 4]> = rows
        .iter()
        .map(|f| [f.kind().as_str().to_string(), name(f), f.path.clone(), origin(f)])
        .collect();
    let header = ["kind", "name", "file", "origin"].map(String::from);
    let width = |i: usize| {
        std::iter::once(&header)
            .chain(&table)
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    for r in std::iter::once(&header).chain(&table) {
        let pad = |i: usize| format!("{}{}", r[i], " ".repeat(widths[i] - r[i].chars().count()));
        out.push_str(&format!("{}  {}  {}  {}\n", pad(0), pad(1), pad(2), r[3]));
    }
    out
}

/// Writes every built-in mapping file under `dir`; returns how many.
///
/// # Errors
/// Existing files without `force` (nothing is written then), or a file or
/// folder that cannot be written.
pub fn export(dir: &Path, force: bool) -> Result<usize, ExportError> {
    let files = MappingFiles::built_in();
    let targets: Vec<(PathBuf, &str)> = files
        .iter()
        .map(|f| (f.path.split('/').fold(dir.to_path_buf(), |p, part| p.join(part)), f.text.as_str()))
        .collect();
    // Checked all first: a refused export writes nothing.
    let existing: Vec<PathBuf> = targets.iter().filter(|(p, _)| p.exists()).map(|(p, _)| p.clone()).collect();
    if !existing.is_empty() && !force {
        return Err(ExportError::WouldOverwrite(existing));
    }
    for (path, text) in &targets {
        let io = |source| ExportError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ExportError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // Written under a temporary name and renamed: an interrupted export
        // leaves no half-written mapping for the next run to choke on.
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)?;
    }
    Ok(targets.len())
}
