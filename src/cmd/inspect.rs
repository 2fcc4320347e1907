//! `torikumi inspect`: the cell grid with A1 addresses, merged regions and
//! number formats, which layout matched, which blocks it found where, and
//! which cells went unmapped — what a user needs to write or fix a mapping.

use std::path::PathBuf;

use clap::Args;

use super::{exit, load_mappings, print_error};
use crate::mapping::messages::{Ui, run_ui};
use crate::source::{self, Limits};

/// Arguments of `inspect`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  torikumi inspect samples/gunma_dx_kobetsu.xlsx --sheet '(1)'\n  torikumi inspect samples/saitama_program.sjis.txt\n  torikumi inspect new_list.xlsx --suggest-mapping > mappings/new_list.toml"
)]
pub struct InspectArgs {
    /// The file to show.
    pub file: PathBuf,
    /// Only this sheet.
    #[arg(long)]
    pub sheet: Option<String>,
    /// Print a draft layout file (TOML) for a KPI list instead of the cells:
    /// its labels, each value column's year and kind, a [[tests]] case, and
    /// `# CHECK:` comments where it is unsure. Edit it, then run `check`.
    #[arg(long)]
    pub suggest_mapping: bool,
    #[command(flatten)]
    pub mappings: super::MappingsArg,
}

/// Runs `inspect`; returns the exit status.
pub fn run(args: &InspectArgs) -> u8 {
    let (mappings, _) = match load_mappings(&args.mappings) {
        Ok(m) => m,
        // `inspect F --suggest-mapping > mappings/new.toml` creates the empty
        // file before torikumi starts: a draft needs only words, so it falls
        // back to the built-in mappings (the errors above say why).
        Err(_) if args.suggest_mapping => {
            eprintln!("{}", run_ui(Ui::InspectBuiltInFallback, &[]));
            match load_mappings(&super::MappingsArg {
                mappings: None,
                built_in_mappings: true,
            }) {
                Ok(m) => m,
                Err(code) => return code,
            }
        }
        Err(code) => return code,
    };
    let doc = match source::read(&args.file, &Limits::default()) {
        Ok(d) => d,
        Err(e) => {
            print_error(&format!("{}: {e}", args.file.display()));
            return exit::INPUT_ERRORS;
        }
    };
    if args.suggest_mapping {
        return suggest(args, &doc, &mappings);
    }
    if let Some(enc) = &doc.encoding {
        println!("encoding: {enc}");
    }
    let name = args.file.display().to_string();
    let mut found = false;
    for grid in doc.grids.iter().filter(|g| args.sheet.as_ref().is_none_or(|s| *s == g.name)) {
        found = true;
        let layout = crate::layout::recognise(grid, &mappings);
        let (x, report) = crate::layout::extract_sheet(grid, layout, &mappings.vocabulary, &name);
        println!(
            "== sheet '{}': layout {}",
            grid.name,
            layout.map(|l| l.name.as_str()).unwrap_or("(none recognised)")
        );
        for m in &grid.merges {
            println!(
                "   merged {}:{}",
                source::a1(m.first_row, m.first_col),
                source::a1(m.last_row, m.last_col)
            );
        }
        for (block, first, last) in &report.blocks {
            println!("   block {block}: rows {}-{}", first + 1, last + 1);
        }
        let unmapped: std::collections::HashSet<String> = x
            .diagnostics
            .iter()
            .filter(|d| d.at.sheet == grid.name && !d.at.cell.is_empty())
            .map(|d| d.at.cell.clone())
            .collect();
        for r in 0..grid.height() {
            for c in grid.row(r) {
                let mark = if unmapped.contains(&c.a1()) { "!" } else { " " };
                let fmt = c.format.as_deref().map(|f| format!("  [{f}]")).unwrap_or_default();
                let text: String = c.raw.chars().take(50).collect();
                println!(" {mark}{:<6} {text}{fmt}", c.a1());
            }
        }
        println!(
            "   {} cells read, {} mapped, {} in diagnostics (marked !)",
            report.cells_read, report.cells_mapped, report.cells_unmapped
        );
        for d in &x.diagnostics {
            if d.code != crate::model::DiagCode::Unmapped {
                println!(
                    "   {} {} {}: {}",
                    d.severity.as_str(),
                    d.code,
                    d.at.cell,
                    crate::mapping::messages::run_text(d)
                );
            }
        }
    }
    if !found {
        print_error(&no_sheet(args.sheet.as_deref(), &name));
        return exit::FATAL;
    }
    exit::OK
}

/// `--sheet NAME` names no sheet of `file`, in the run's language.
fn no_sheet(sheet: Option<&str>, file: &str) -> String {
    let sheet = format!("{:?}", sheet.unwrap_or(""));
    run_ui(Ui::InspectNoSheet, &[("sheet", sheet), ("file", file.to_string())])
}

/// `--suggest-mapping`: the draft of the first sheet that reads as a list (or
/// of `--sheet`), on stdout; what the other sheets are, on stderr.
fn suggest(args: &InspectArgs, doc: &source::SourceDoc, mappings: &crate::mapping::Mappings) -> u8 {
    use crate::layout::suggest::{Suggestion, name_for, suggest};
    let name = name_for(&args.file);
    let grids: Vec<_> = doc
        .grids
        .iter()
        .filter(|g| args.sheet.as_ref().is_none_or(|s| *s == g.name))
        .collect();
    if grids.is_empty() {
        print_error(&no_sheet(args.sheet.as_deref(), &args.file.display().to_string()));
        return exit::FATAL;
    }
    let mut drafted = false;
    let mut notes = Vec::new();
    for grid in grids {
        match suggest(grid, mappings, &name) {
            Suggestion::List(text) if !drafted => {
                // A closed pipe (`| head`) ends the output, not the program.
                let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
                drafted = true;
            }
            Suggestion::List(_) => notes.push(format!(
                "# sheet '{}' is a list too: draft it with --sheet '{}'\n",
                grid.name, grid.name
            )),
            other => notes.push(other.text().to_string()),
        }
    }
    for n in &notes {
        if drafted {
            eprint!("{n}");
        } else {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), n.as_bytes());
        }
    }
    if drafted { exit::OK } else { exit::INPUT_ERRORS }
}
