//! `torikumi check`: the whole pipeline without writing; diagnostics grouped by file.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::Args;

use super::{inputs_or_default, load_mappings, print_summary, status_of};
use crate::mapping::messages::{Ui, run_ui};

/// Arguments of `check`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  torikumi check                    # samples/\n  torikumi check inbox/ --deny-warnings")]
pub struct CheckArgs {
    /// Files or folders to check. Default: samples/
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub mappings: super::MappingsArg,
    #[command(flatten)]
    pub limits: super::LimitArgs,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also list info-level diagnostics (unmapped cells, repairs).
    #[arg(long, short)]
    pub verbose: bool,
    /// Print the run summary as JSON on stdout instead of the listing.
    #[arg(long)]
    pub json: bool,
}

/// Runs `check`; returns the exit status.
pub fn run(args: &CheckArgs) -> u8 {
    let (mappings, files) = match load_mappings(&args.mappings) {
        Ok(m) => m,
        Err(code) => return code,
    };
    // The layouts' own [[tests]] cases: a drafted or edited mapping is checked
    // without cargo; a failure is an input-level error (exit 1), listed first.
    let failures: Vec<String> = mappings
        .layouts
        .iter()
        .flat_map(|l| crate::layout::run_mapping_tests(l, &mappings.vocabulary))
        .collect();
    for f in &failures {
        eprintln!("{}", run_ui(Ui::MappingTestFailed, &[("failure", f.clone())]));
    }
    let tested = |status: u8| {
        if failures.is_empty() {
            status
        } else {
            status.max(super::exit::INPUT_ERRORS)
        }
    };
    let mut x = crate::pipeline::ingest(&inputs_or_default(&args.paths), &mappings, &args.limits.limits());
    // Evaluation notes (a target that is text, units that disagree) are shown too.
    let (_, _, notes) = crate::evaluate::evaluate(&x, &mappings.evaluation);
    x.diagnostics.extend(notes);
    let summary = crate::consolidate::RunSummary::of(&x);
    if args.json {
        let status = tested(status_of(&summary, args.deny_warnings));
        println!("{}", super::summary_json(&summary, status, &files));
        return status;
    }
    // One block per file, in the order files first appear: the evaluation
    // notes appended above name files seen earlier, so neighbours alone
    // (`dedup`) would print a file's block twice.
    let mut blocks: Vec<(&str, Vec<&crate::model::Diagnostic>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for d in &x.diagnostics {
        if !args.verbose && d.severity == crate::model::Severity::Info {
            continue;
        }
        let file = d.at.source_file.as_str();
        let k = *index.entry(file).or_insert_with(|| {
            blocks.push((file, Vec::new()));
            blocks.len() - 1
        });
        blocks[k].1.push(d);
    }
    for (file, shown) in blocks {
        println!("{file}");
        for d in shown {
            let place = [d.at.sheet.as_str(), d.at.cell.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("!");
            let raw = d
                .raw
                .as_deref()
                .map(|r| format!(" «{}»", r.chars().take(60).collect::<String>()))
                .unwrap_or_default();
            let message = crate::mapping::messages::run_text(d);
            let severity = run_ui(Ui::Severity, &[("severity", d.severity.as_str().to_string())]);
            println!("  {severity:<7} {:<22} {:<14} {message}{raw}", d.code, place);
        }
    }
    print_summary(&summary);
    super::print_mappings(&files);
    let cases: usize = mappings.layouts.iter().map(|l| l.tests.len()).sum();
    if failures.is_empty() {
        eprintln!("{}", run_ui(Ui::MappingTestsPass, &[("cases", cases.to_string())]));
    } else {
        eprintln!("{}", run_ui(Ui::MappingTestsFailed, &[("count", failures.len().to_string())]));
    }
    tested(status_of(&summary, args.deny_warnings))
}
