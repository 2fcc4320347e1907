//! The real CLI in a temporary folder; outputs compared by content (Parquet
//! read back with polars, the workbook with calamine), never by bytes.

mod common;
use common::{read_parquet, root};

use std::path::Path;
use std::process::Output;

use calamine::{Data, Reader};
use polars::prelude::*;

fn torikumi(args: &[&str], cwd: &Path) -> Output {
    common::torikumi_command().args(args).current_dir(cwd).output().unwrap()
}

#[test]
fn ingest_samples_writes_every_table_and_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = torikumi(
        &[
            "ingest",
            root().join("samples").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--mappings",
            root().join("mappings").to_str().unwrap(),
        ],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("total: 8 files"), "{stderr}");
    for t in torikumi::table::all_tables().map(|t| t.name) {
        assert!(out.join("parquet").join(format!("{t}.parquet")).exists(), "{t}");
    }
    let obs = read_parquet(&out.join("parquet/observations.parquet"));
    assert_eq!(obs.column("fiscal_year").unwrap().dtype(), &DataType::Int32);
    assert_eq!(obs.column("as_of").unwrap().dtype(), &DataType::Date);
    assert_eq!(obs.column("value").unwrap().dtype(), &DataType::Float64);
    let raw = obs.column("raw").unwrap().str().unwrap();
    let kind = obs.column("kind").unwrap().str().unwrap();
    let value = obs.column("value").unwrap().f64().unwrap();
    let hits: Vec<Option<f64>> = (0..obs.height())
        .filter(|&i| raw.get(i) == Some("1,266件") && kind.get(i) == Some("actual"))
        .map(|i| value.get(i))
        .collect();
    assert_eq!(hits, vec![Some(1266.0); 4], "workbook and text, per-item sheets and KPI list");
    let ini = read_parquet(&out.join("parquet/initiatives.parquet"));
    assert!(matches!(ini.column("divisions").unwrap().dtype(), DataType::List(_)));
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());

    let mut book = calamine::open_workbook_auto(out.join("consolidated.xlsx")).unwrap();
    let names = book.sheet_names().to_vec();
    // Sheet names and headers are the display labels of mappings/display.toml.
    assert_eq!(
        names,
        [
            "概要",
            "指標一覧",
            "実績・目標値",
            "指標",
            "実施項目",
            "工程",
            "評価件数",
            "評価",
            "評価集計",
            "入力ファイル",
            "診断",
            "推移",
            "列の説明"
        ]
    );
    let range = book.worksheet_range("実績・目標値").unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|d| d.to_string()).collect();
    let vcol = header.iter().position(|h| h == "値").unwrap();
    let rcol = header.iter().position(|h| h == "原文").unwrap();
    let wcol = header.iter().position(|h| h == "年度（和暦）").unwrap();
    let fcol = header.iter().position(|h| h == "年度").unwrap();
    assert_eq!(wcol, fcol + 1, "the 和暦 label stands beside the fiscal year");
    let row = range.rows().find(|r| r[rcol] == "1,266件").expect("row");
    assert_eq!(row[vcol], Data::Float(1266.0), "numbers are written as numbers");
    assert_eq!(
        (row[fcol].clone(), row[wcol].to_string()),
        (Data::Float(2022.0), "令和4年度".to_string())
    );
    // The guide maps machine names to labels.
    let guide = book.worksheet_range("列の説明").unwrap();
    assert!(guide.rows().any(|r| r[1] == "fiscal_year" && r[2] == "年度"));
}

#[test]
fn csv_has_a_bom_and_json_summarises_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = torikumi(
        &[
            "ingest",
            root().join("samples/saitama_program.xlsx").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--mappings",
            root().join("mappings").to_str().unwrap(),
            "--formats",
            "csv",
            "--json",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["totals"]["observations"], 87);
    assert_eq!(json["files"][0]["layout"], "saitama_program");
    assert_eq!(json["exit_status"], 0);
    let bytes = std::fs::read(out.join("csv/observations.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("source_file,sheet,cell,plan,"), "machine names in the header");
    // RFC 4180: CRLF line ends, and a field holding a comma is quoted (No.6's
    // target `R5：3,000人`), so the file parses back to the rows written.
    assert!(text.contains(",target,3000,人,ok,\"R5：3,000人\"\r\n"), "quoted raw field missing");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), 87, "one record per observation, none split by a comma");
    let no6: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| &r[col("sheet")] == "No.6" && &r[col("kind")] == "target")
        .map(|r| (&r[col("fiscal_year")], &r[col("value")], &r[col("raw")]))
        .collect();
    assert_eq!(
        no6,
        [
            ("2023", "3000", "R5：3,000人"),
            ("2024", "3300", "R6：3,300人"),
            ("2025", "3600", "R7：3,600人")
        ]
    );
    assert!(!out.join("parquet").exists(), "only the formats asked for");
}

#[test]
fn bad_inputs_are_diagnosed_and_the_rest_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    for f in ["gunma_dx_kobetsu.xlsx", "saitama_program.sjis.txt"] {
        std::fs::copy(root().join("samples").join(f), inbox.join(f)).unwrap();
    }
    std::fs::copy(root().join("samples/gunma_dx_kobetsu.xlsx"), inbox.join("copy_of_gunma.xlsx")).unwrap();
    std::fs::write(inbox.join("not_a_workbook.xlsx"), "this is text, not a zip").unwrap();
    std::fs::write(inbox.join("empty.txt"), "").unwrap();
    std::fs::write(inbox.join("~$gunma_dx_kobetsu.xlsx"), [0u8; 10]).unwrap();
    std::fs::write(inbox.join("binary.txt"), [0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff]).unwrap();
    let minutes = root().join("../shared/documents/prefecture_dx_meeting_minutes.txt");
    if minutes.exists() {
        std::fs::copy(&minutes, inbox.join("minutes.txt")).unwrap();
    }
    let out = dir.path().join("out");
    let o = torikumi(
        &[
            "ingest",
            inbox.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--mappings",
            root().join("mappings").to_str().unwrap(),
        ],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let diags = read_parquet(&out.join("parquet/diagnostics.parquet"));
    let codes: Vec<(String, String)> = (0..diags.height())
        .map(|i| {
            let get = |c: &str| diags.column(c).unwrap().str().unwrap().get(i).unwrap_or("").to_string();
            (get("source_file"), get("code"))
        })
        .collect();
    let has = |file: &str, code: &str| codes.iter().any(|(f, c)| f.ends_with(file) && c == code);
    assert!(has("not_a_workbook.xlsx", "unreadable_file"));
    assert!(has("empty.txt", "unreadable_file"));
    assert!(has("binary.txt", "unreadable_file"));
    assert!(has("~$gunma_dx_kobetsu.xlsx", "lock_file_skipped"));
    // copy_of_gunma.xlsx sorts first: the later file is the duplicate.
    assert!(has("/gunma_dx_kobetsu.xlsx", "duplicate_file"));
    assert!(!has("copy_of_gunma.xlsx", "duplicate_file"));
    if minutes.exists() {
        assert!(has("minutes.txt", "no_layout"));
    }
    // The good files' rows are all there, and the duplicate is counted once.
    let obs = read_parquet(&out.join("parquet/observations.parquet"));
    let files = obs.column("source_file").unwrap().str().unwrap();
    let n = |name: &str| {
        (0..files.len())
            .filter(|&i| files.get(i).is_some_and(|f| f.ends_with(name)))
            .count()
    };
    // As many as each file gives on its own (tests/golden/observations.csv).
    assert_eq!(n("saitama_program.sjis.txt"), 87);
    assert_eq!(n("copy_of_gunma.xlsx"), 279);
    assert_eq!(
        n("/gunma_dx_kobetsu.xlsx"),
        0,
        "same content as copy_of_gunma.xlsx, which sorts first"
    );
}

#[test]
fn check_and_inspect_explain_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let m = root().join("mappings");
    let o = torikumi(
        &[
            "check",
            root().join("samples/gunma_dx_kobetsu.sjis.txt").to_str().unwrap(),
            "--mappings",
            m.to_str().unwrap(),
        ],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout.contains("unplaced_cell"), "{stdout}");
    let o = torikumi(
        &[
            "check",
            "--deny-warnings",
            root().join("samples/gunma_dx_kobetsu.sjis.txt").to_str().unwrap(),
            "--mappings",
            m.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let o = torikumi(
        &[
            "inspect",
            root().join("samples/gunma_dx_kobetsu.xlsx").to_str().unwrap(),
            "--sheet",
            "(1)",
            "--mappings",
            m.to_str().unwrap(),
        ],
        dir.path(),
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("layout gunma_dx_kobetsu"), "{stdout}");
    assert!(stdout.contains("block progress_table"), "{stdout}");
    assert!(stdout.contains("merged C38:F38"), "{stdout}");
    assert!(stdout.contains("[0.0%]"), "number formats shown: {stdout}");
}

#[test]
fn check_prints_each_files_block_once() {
    // The evaluation's notes come after every file's own diagnostics and name
    // the DX workbook again (its text target): its block must not repeat.
    let blocks = |verbose: bool| {
        let mut args = vec!["check", "samples", "--mappings", "mappings"];
        if verbose {
            args.push("-v");
        }
        let o = torikumi(&args, &root());
        assert_eq!(o.status.code(), Some(0));
        let stdout = String::from_utf8_lossy(&o.stdout).to_string();
        let heads: Vec<String> = stdout
            .lines()
            .filter(|l| l.starts_with("samples/") && !l.contains(": "))
            .map(str::to_string)
            .collect();
        let not_evaluable = stdout.lines().filter(|l| l.contains("not_evaluable")).count();
        (heads, not_evaluable)
    };
    let (heads, notes) = blocks(false);
    // saitama_program.xlsx: its cover sheet (an index of the items) is sheet_not_recognised;
    // the reform plan's 目標 rows hold four targets for five years (fewer_years_than_header).
    assert_eq!(
        heads,
        [
            "samples/gunma_dx_kobetsu.sjis.txt",
            "samples/gunma_dx_kobetsu.xlsx",
            "samples/gunma_reform_plan_sheet.sjis.txt",
            "samples/gunma_reform_plan_sheet.xlsx",
            "samples/saitama_program.xlsx"
        ]
    );
    assert_eq!(notes, 1, "the evaluation note is still shown, under its file");
    let (heads, _) = blocks(true);
    assert_eq!(
        heads,
        [
            "samples/gunma_dx_kobetsu.sjis.txt",
            "samples/gunma_dx_kobetsu.xlsx",
            "samples/gunma_dx_kpi_list.sjis.txt",
            "samples/gunma_dx_kpi_list.xlsx",
            "samples/gunma_reform_plan_sheet.sjis.txt",
            "samples/gunma_reform_plan_sheet.xlsx",
            "samples/saitama_program.sjis.txt",
            "samples/saitama_program.xlsx"
        ]
    );
}
