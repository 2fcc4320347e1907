//! A run is consolidated file by file (`src/consolidate.rs`): rows are written
//! as Parquet row groups (`sink::RowGroupWriter`) as files finish and the
//! evaluation is merged from per-file candidates. These tests check that none of that changes what the
//! tables hold, on the real samples (workbooks and their Shift_JIS text, so
//! the same indicators come from several files).

mod common;
use common::{read_parquet, root};

use std::sync::OnceLock;

use polars::prelude::*;
use torikumi::consolidate::{Consolidator, prepare};
use torikumi::evaluate::{self, EvaluationRules, Evaluator};
use torikumi::mapping::Mappings;
use torikumi::model::Extract;
use torikumi::pipeline::{self, Delivery};
use torikumi::source::Limits;

fn mappings() -> &'static Mappings {
    static M: OnceLock<Mappings> = OnceLock::new();
    M.get_or_init(|| Mappings::load(&root().join("mappings")).expect("mappings load"))
}

fn samples() -> &'static Extract {
    static X: OnceLock<Extract> = OnceLock::new();
    X.get_or_init(|| pipeline::ingest(&[root().join("samples")], mappings(), &Limits::default()))
}

/// The rows of `x` that came from `file` (its source row first).
fn rows_of(x: &Extract, file: &str) -> Extract {
    let mine = |f: &str| f == file;
    Extract {
        observations: x.observations.iter().filter(|r| mine(&r.at.source_file)).cloned().collect(),
        indicators: x.indicators.iter().filter(|r| mine(&r.at.source_file)).cloned().collect(),
        initiatives: x.initiatives.iter().filter(|r| mine(&r.at.source_file)).cloned().collect(),
        schedule: x.schedule.iter().filter(|r| mine(&r.at.source_file)).cloned().collect(),
        evaluation_counts: x.evaluation_counts.iter().filter(|r| mine(&r.at.source_file)).cloned().collect(),
        printed_achievements: x.printed_achievements.iter().filter(|r| mine(&r.at.source_file)).cloned().collect(),
        sources: x.sources.iter().filter(|r| mine(&r.source_file)).cloned().collect(),
        diagnostics: x.diagnostics.iter().filter(|r| mine(&r.at.source_file)).cloned().collect(),
    }
}

#[test]
fn evaluation_merged_file_by_file_equals_the_whole_run() {
    let rules = &mappings().evaluation;
    let x = samples();
    let whole = evaluate::evaluate(x, rules);
    let mut merged = Evaluator::default();
    for s in &x.sources {
        merged.merge(evaluate::candidates(&rows_of(x, &s.source_file), rules));
    }
    let merged = merged.finish();
    assert!(!whole.0.is_empty(), "the samples have indicators to evaluate");
    assert_eq!(merged.0, whole.0, "evaluation rows");
    assert_eq!(merged.1, whole.1, "summary rows");
    assert_eq!(merged.2, whole.2, "evaluation diagnostics");
    // The same document read as a workbook and as text: the workbook's row is
    // kept (② 電子化数 FY2022: 1,266 件 actual against 750).
    let row = whole
        .0
        .iter()
        .find(|r| r.plan == "群馬県庁DXアクションプラン" && r.indicator.contains("電子化数") && r.fiscal_year == 2022)
        .expect("② FY2022 evaluated");
    assert!(row.target_at.source_file.ends_with(".xlsx"), "{:?}", row.target_at);
    assert_eq!((row.target, row.actual), (Some(750.0), Some(1266.0)));
}

/// Consolidates the samples' extract with `rows` per row group into `dir`.
fn consolidate(dir: &std::path::Path, rows: usize) -> Vec<(String, DataFrame, usize)> {
    let rules = EvaluationRules::default();
    // One stamp for both runs: the tables compared must differ in nothing else.
    let run = torikumi::lock::RunStamp {
        id: "run-1".into(),
        started: "2026-01-01T00:00:00.000Z".into(),
    };
    let mut c = Consolidator::for_run(dir, &rules, run).unwrap().with_row_group_rows(rows);
    let x = samples();
    for s in &x.sources {
        let part = rows_of(x, &s.source_file);
        let prepared = prepare(&part, &rules);
        c.push(Delivery {
            extract: part,
            prepared: Some(prepared),
        });
    }
    let run = c.finish().unwrap();
    run.tables
        .iter()
        .map(|t| {
            let groups = ParquetReader::new(std::fs::File::open(&t.path).unwrap())
                .get_metadata()
                .unwrap()
                .row_groups
                .len();
            (t.name.to_string(), read_parquet(&t.path), groups)
        })
        .collect()
}

#[test]
fn row_groups_do_not_change_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let small = consolidate(&dir.path().join("small"), 37);
    let large = consolidate(&dir.path().join("large"), 1_000_000);
    assert_eq!(small.len(), large.len());
    for ((name, a, groups), (_, b, one)) in small.iter().zip(&large) {
        assert!(a.equals_missing(b), "{name} differs with 37-row groups");
        assert!(*one <= 1, "{name}: {one} row groups with room for all rows");
        // The extracted tables are spooled as files come; the evaluation
        // tables are computed at the end and written whole.
        let spooled = torikumi::table::TABLES.iter().any(|t| t.name == name);
        if spooled && a.height() > 37 {
            assert!(*groups > 1, "{name}: {} rows in {groups} row group(s)", a.height());
        }
    }
    let obs = &small.iter().find(|(n, _, _)| n == "observations").unwrap().1;
    assert_eq!(obs.height(), samples().observations.len());
    // The consolidated observations keep input order: the first row is the
    // first value cell of the first file.
    let first = &samples().observations[0];
    let cell = obs.column("cell").unwrap().str().unwrap().get(0).unwrap().to_string();
    assert_eq!(cell, first.at.cell);
}

/// The Parquet tables read back through the same declarations that wrote
/// them (`table::from_frame`, what `render` reads with) give the records of
/// the run, row for row: one mapping serves both ways.
#[test]
fn tables_read_back_as_the_records_of_the_run() {
    use torikumi::model::{Diagnostic, EvaluationCount, Indicator, Initiative, Observation, ScheduleEntry, SourceRecord};
    use torikumi::table::from_frame;
    let dir = tempfile::tempdir().unwrap();
    let tables = consolidate(dir.path(), 100);
    let df = |name: &str| &tables.iter().find(|(n, _, _)| n == name).unwrap().1;
    let x = samples();
    assert_eq!(from_frame::<Observation>(df("observations")).unwrap(), x.observations);
    assert_eq!(from_frame::<Indicator>(df("indicators")).unwrap(), x.indicators);
    assert_eq!(from_frame::<Initiative>(df("initiatives")).unwrap(), x.initiatives);
    assert_eq!(from_frame::<ScheduleEntry>(df("schedule")).unwrap(), x.schedule);
    assert_eq!(from_frame::<EvaluationCount>(df("evaluation_counts")).unwrap(), x.evaluation_counts);
    let sources = from_frame::<SourceRecord>(df("sources")).unwrap();
    assert!(sources.iter().all(|s| s.run_id == "run-1"), "every source row carries the run");
    let stamped: Vec<SourceRecord> = x
        .sources
        .iter()
        .map(|s| SourceRecord {
            run_id: "run-1".into(),
            run_started: "2026-01-01T00:00:00.000Z".into(),
            ..s.clone()
        })
        .collect();
    assert_eq!(sources, stamped);
    // The run's own diagnostics first, then the evaluation's notes.
    let diagnostics = from_frame::<Diagnostic>(df("diagnostics")).unwrap();
    assert_eq!(diagnostics[..x.diagnostics.len()], x.diagnostics[..]);
    let evaluation = from_frame::<torikumi::model::EvaluationRow>(df("evaluation")).unwrap();
    assert_eq!(evaluation.len(), df("evaluation").height());
    assert!(evaluation.iter().any(|r| r.actual_at.is_some()) && evaluation.iter().any(|r| r.actual_at.is_none()));
}
