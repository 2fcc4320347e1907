//! Nothing read is lost without a sound: a sheet of a recognised workbook in
//! which no item is found, a value cell no table takes, and a column whose
//! year cannot be read are warnings that name the sheet or cell, count in
//! `sources`, and fail `check --deny-warnings`.

mod common;
use common::{DX_HEADER_ROWS, read_parquet, write_text_rows};

use std::path::Path;
use std::process::Output;

use polars::prelude::*;
use rust_xlsxwriter::Workbook;

fn torikumi(args: &[&str]) -> Output {
    common::torikumi_command().args(args).output().unwrap()
}

/// (code, sheet, cell, raw) of every diagnostic of a run.
fn diagnostics(out: &Path) -> Vec<(String, String, String, String)> {
    let d = read_parquet(&out.join("parquet/diagnostics.parquet"));
    let col = |c: &str| d.column(c).unwrap().str().unwrap().clone();
    let (c, s, a, r) = (col("code"), col("sheet"), col("cell"), col("raw"));
    (0..d.height())
        .map(|i| {
            let g = |x: &StringChunked| x.get(i).unwrap_or("").to_string();
            (g(&c), g(&s), g(&a), g(&r))
        })
        .collect()
}

/// Every diagnostic message of a run.
fn messages(out: &Path) -> Vec<String> {
    let d = read_parquet(&out.join("parquet/diagnostics.parquet"));
    let m = d.column("message").unwrap().str().unwrap().clone();
    (0..m.len()).filter_map(|i| m.get(i).map(String::from)).collect()
}

const PROGRESS: &[&[&str]] = &[
    &["指標項目", "基準年(R1) 実績値", "令和3年度", "", "", "", "目標値"],
    &["", "", "1四半期", "2四半期", "3四半期", "4四半期"],
    &["①件数", "1件", "2件", "3件", "4件", "5件", "6件"],
];

/// Sheet "(1)" is a DX item; sheet "(2)" is the same item with its labels
/// reworded (事業名 for 実施項目, 成果指標 for 指標項目), so no layout knows it.
fn workbook_with_a_reworded_sheet(path: &Path) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("(1)").unwrap();
    write_text_rows(ws, 0, DX_HEADER_ROWS);
    write_text_rows(ws, DX_HEADER_ROWS.len() as u32, PROGRESS);
    let ws = book.add_worksheet().set_name("(2)").unwrap();
    let reworded: Vec<Vec<&str>> = DX_HEADER_ROWS
        .iter()
        .chain(PROGRESS.iter())
        .map(|row| {
            row.iter()
                .map(|c| match *c {
                    "実施項目" => "事業名",
                    "指標項目" => "成果指標",
                    other => other,
                })
                .collect()
        })
        .collect();
    let rows: Vec<&[&str]> = reworded.iter().map(Vec::as_slice).collect();
    write_text_rows(ws, 0, &rows);
    book.save(path).unwrap();
}

#[test]
fn a_sheet_dropped_whole_is_reported_with_its_unread_values() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("division.xlsx");
    workbook_with_a_reworded_sheet(&input);
    let out = dir.path().join("out");
    let run = torikumi(&[
        "ingest",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--formats",
        "parquet",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("value cells NOT read"),
        "the summary line says values were left: {stderr}"
    );

    let diags = diagnostics(&out);
    let sheet_warning: Vec<_> = diags.iter().filter(|d| d.0 == "sheet_not_recognised").collect();
    assert_eq!(sheet_warning.len(), 1, "{diags:#?}");
    assert_eq!(sheet_warning[0].1, "(2)");
    let messages: Vec<String> = messages(&out).into_iter().filter(|m| m.contains("lacks its labels")).collect();
    // 実施項目 is the required label it lacks (指標項目 is not required: DX sheets reword it).
    assert!(messages[0].contains("実施項目"), "{messages:?}");

    // Every value cell of the dropped sheet is a warning with its address and text:
    // 10件 (the final target) and the six progress values 1件 … 6件.
    let unread: Vec<(String, String)> = diags
        .iter()
        .filter(|d| d.0 == "unmapped_value")
        .map(|d| (d.2.clone(), d.3.clone()))
        .collect();
    assert_eq!(unread.len(), 7, "{unread:?}");
    assert!(unread.contains(&("B6".to_string(), "10件".to_string())), "{unread:?}");
    assert!(unread.contains(&("G10".to_string(), "6件".to_string())), "{unread:?}");
    let sources = read_parquet(&out.join("parquet/sources.parquet"));
    let n = sources.column("value_cells_unread").unwrap().i64().unwrap().get(0);
    assert_eq!(n, Some(7));

    // The readable sheet still gives its values.
    let obs = read_parquet(&out.join("parquet/observations.parquet"));
    assert_eq!(obs.height(), 6, "baseline, four quarters, the target");

    let check = torikumi(&["check", input.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(check.status.code(), Some(1), "check --deny-warnings fails on unread values");
}

#[test]
fn a_year_that_cannot_be_read_is_a_warning_not_a_row_without_a_year() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("unknown_year.txt");
    let mut text = String::new();
    for row in DX_HEADER_ROWS {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    text.push_str("指標項目\t基準年(不明) 実績値\t令和3年度\t\t\t\t目標値\n");
    text.push_str("\t\t1四半期\t2四半期\t3四半期\t4四半期\n");
    text.push_str("①件数\t1件\t2件\t3件\t4件\t5件\t6件\n");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let run = torikumi(&[
        "ingest",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--formats",
        "parquet",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let obs = read_parquet(&out.join("parquet/observations.parquet"));
    assert_eq!(obs.height(), 5, "the four quarters and the target; not the baseline");
    assert_eq!(obs.column("fiscal_year").unwrap().null_count(), 0);
    let diags = diagnostics(&out);
    let year: Vec<_> = diags.iter().filter(|d| d.0 == "year_not_decoded").collect();
    assert_eq!(year.len(), 1, "{diags:#?}");
    assert_eq!((year[0].2.as_str(), year[0].3.as_str()), ("B10", "1件"));
    assert!(
        messages(&out).iter().any(|m| m.contains("B8 «基準年(不明) 実績値»")),
        "the message names the header cell"
    );
}
