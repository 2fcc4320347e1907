//! `consolidated.xlsx` as a Japanese reform office reads it: `samples/`
//! ingested into a temporary folder by the real CLI, the workbook read back
//! with calamine and compared with the run's Parquet tables.

mod common;
use common::{read_parquet, root};

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use polars::prelude::*;

/// One ingest of `samples/` shared by the tests (the folder lives as long as the process).
fn output() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_torikumi"))
            .args(["ingest", "-q", "--out", out.to_str().unwrap(), "--mappings"])
            .arg(root().join("mappings"))
            // Run from the checkout, so the files are named samples/… as in the README.
            .arg("samples")
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        (dir, out)
    })
    .1
}

fn book() -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(output().join("consolidated.xlsx")).unwrap()
}

fn table(name: &str) -> DataFrame {
    read_parquet(&output().join("parquet").join(format!("{name}.parquet")))
}

fn header(range: &Range<Data>) -> Vec<String> {
    range.rows().next().unwrap().iter().map(|d| d.to_string()).collect()
}

/// The sheet's data rows as maps from header label to cell.
fn records(range: &Range<Data>) -> Vec<HashMap<String, Data>> {
    let head = header(range);
    range
        .rows()
        .skip(1)
        .map(|r| head.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

fn text(d: Option<&Data>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn num(d: Option<&Data>) -> Option<f64> {
    match d {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    }
}

/// The row of 概要 whose first cell is `label`, as (row index, cells).
fn overview_row<'r>(range: &'r Range<Data>, label: &str) -> (usize, &'r [Data]) {
    range
        .rows()
        .enumerate()
        .find(|(_, r)| r[0] == *label)
        .unwrap_or_else(|| panic!("no row {label} in 概要"))
}

#[test]
fn the_first_sheet_is_the_overview_with_the_runs_counts() {
    let mut book = book();
    assert_eq!(book.sheet_names()[..2], ["概要", "指標一覧"]);
    let range = book.worksheet_range("概要").unwrap();
    let sources = table("sources");
    let sum = |c: &str| {
        sources
            .column(c)
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .sum()
            .unwrap() as f64
    };
    let (read, mapped, unmapped) = (sum("cells_read"), sum("cells_mapped"), sum("cells_unmapped"));
    assert_eq!((read, mapped, unmapped), (4154.0, 3640.0, 514.0), "the samples' totals");
    assert_eq!(read, mapped + unmapped, "cells read = mapped + in diagnostics");
    assert_eq!(num(overview_row(&range, "読込セル数").1.get(1)), Some(read));
    assert_eq!(num(overview_row(&range, "取込セル数").1.get(1)), Some(mapped));
    assert_eq!(num(overview_row(&range, "診断に記載したセル数").1.get(1)), Some(unmapped));
    assert_eq!(num(overview_row(&range, "入力ファイル数").1.get(1)), Some(8.0));
    assert_eq!(num(overview_row(&range, "警告").1.get(1)), Some(25.0));
    assert_eq!(num(overview_row(&range, "エラー").1.get(1)), Some(0.0));
    let run_id = sources.column("run_id").unwrap().str().unwrap().get(0).unwrap().to_string();
    assert_eq!(text(overview_row(&range, "実行ID").1.get(1)), run_id);

    // One row per file: its counts as in sources, its warnings as in diagnostics.
    let diagnostics = table("diagnostics");
    let d_file = diagnostics.column("source_file").unwrap().str().unwrap();
    let d_sev = diagnostics.column("severity").unwrap().str().unwrap();
    let s_file = sources.column("source_file").unwrap().str().unwrap();
    let s_read = sources.column("cells_read").unwrap().cast(&DataType::Float64).unwrap();
    for (i, file) in s_file.iter().enumerate() {
        let file = file.unwrap();
        let (_, row) = overview_row(&range, file);
        let warnings = (0..diagnostics.height())
            .filter(|&k| d_file.get(k) == Some(file) && d_sev.get(k) == Some("warning"))
            .count();
        assert_eq!(num(row.get(8)), Some(warnings as f64), "{file}: warnings");
        assert_eq!(num(row.get(3)), s_read.f64().unwrap().get(i), "{file}: cells read");
    }
    let (_, dx) = overview_row(&range, "samples/gunma_dx_kobetsu.xlsx");
    assert_eq!(
        (text(dx.get(2)), num(dx.get(3)), num(dx.get(4)), num(dx.get(5)), num(dx.get(8))),
        ("警告あり".to_string(), Some(1077.0), Some(1018.0), Some(59.0), Some(10.0))
    );
    // The evaluation counts per plan and year, summed over the 評価集計 rows.
    let (head, _) = overview_row(&range, "計画");
    let dx_2022 = range
        .rows()
        .skip(head + 1)
        .find(|r| r[0] == *"群馬県庁DXアクションプラン" && num(r.get(1)) == Some(2022.0))
        .expect("DX FY2022 counts");
    let summary = table("evaluation_summary");
    let plan = summary.column("plan").unwrap().str().unwrap();
    let fy = summary.column("fiscal_year").unwrap().i32().unwrap();
    let count = |c: &str| -> Option<f64> {
        let v = summary.column(c).unwrap().cast(&DataType::Float64).unwrap();
        let v = v.f64().unwrap();
        Some(
            (0..summary.height())
                .filter(|&i| plan.get(i) == Some("群馬県庁DXアクションプラン") && fy.get(i) == Some(2022))
                .filter_map(|i| v.get(i))
                .sum(),
        )
    };
    let (achieved, not_achieved) = (count("achieved"), count("not_achieved"));
    assert_eq!((achieved, not_achieved), (Some(10.0), Some(5.0)), "as 評価集計 has it");
    assert_eq!((num(dx_2022.get(3)), num(dx_2022.get(4))), (achieved, not_achieved));
    assert_eq!(text(dx_2022.get(2)), "令和4年度");
}

#[test]
fn the_overviews_links_open_each_files_rows_in_diagnostics() {
    let mut book = book();
    let links = book.hyperlinks_by_sheet_name("概要").unwrap();
    let overview = book.worksheet_range("概要").unwrap();
    let diagnostics = book.worksheet_range("診断").unwrap();
    let head = header(&diagnostics);
    let file_col = head.iter().position(|h| h == "入力ファイル").unwrap();
    let files: Vec<String> = diagnostics.rows().map(|r| r[file_col].to_string()).collect();
    assert_eq!(links.len(), 8, "every sample has diagnostics (unmapped cells at least)");
    let mut seen = Vec::new();
    for link in &links {
        let (row, col) = link.range.start;
        let file = overview.get_value((row, 0)).unwrap().to_string();
        assert_eq!(overview.get_value((row, col)).unwrap().to_string(), "診断を見る");
        let location = link.location.clone().unwrap();
        let a1 = location.strip_prefix("'診断'!A").unwrap_or_else(|| panic!("{location}"));
        let target: usize = a1.parse::<usize>().unwrap() - 1;
        assert_eq!(files[target], file, "{location} is a row of {file}");
        assert_ne!(files[target - 1], file, "{location} is {file}'s first row");
        // The file's rows are contiguous: none after the run that starts there.
        let end = target + files[target..].iter().take_while(|f| **f == file).count();
        assert!(!files[end..].contains(&file), "{file} has rows after its run");
        seen.push(file);
    }
    let d = table("diagnostics");
    assert_eq!(diagnostics.height() - 1, d.height(), "every diagnostic in the sheet");
    assert_eq!(seen.len(), 8);
}

#[test]
fn observations_read_in_japanese_with_provenance_at_the_right() {
    let mut book = book();
    let range = book.worksheet_range("実績・目標値").unwrap();
    let head = header(&range);
    assert_eq!(head[..5], ["計画", "項目番号", "実施項目", "指標番号", "指標"]);
    assert_eq!(head[head.len() - 3..], ["入力ファイル", "シート", "セル"]);
    let rows = records(&range);
    // Cells of one indicator (a cell address recurs on every item's sheet).
    let at = |file: &str, cell: &str| {
        rows.iter()
            .find(|r| text(r.get("入力ファイル")) == file && text(r.get("セル")) == cell && text(r.get("指標")) == "tsulunos動画再生回数")
            .unwrap_or_else(|| panic!("{file} {cell}"))
    };
    let shown = |r: &HashMap<String, Data>| (text(r.get("区分")), text(r.get("期間")), text(r.get("状態")), num(r.get("値")));
    // tsulunos動画再生回数: the final target 1,500万回, the R5 Q3 actual, a blank baseline.
    let dx = "samples/gunma_dx_kobetsu.xlsx";
    assert_eq!(
        shown(at(dx, "P35")),
        ("目標値".into(), "年度".into(), "正常".into(), Some(15_000_000.0))
    );
    assert_eq!(
        shown(at(dx, "O35")),
        ("実績値".into(), "第3四半期".into(), "正常".into(), Some(20_074_375.0))
    );
    let txt = "samples/gunma_dx_kobetsu.sjis.txt";
    assert_eq!(shown(at(txt, "B281")), ("基準値".into(), "年度".into(), "空欄".into(), None));
    // The Parquet keeps the codes.
    let obs = table("observations");
    let kinds: Vec<&str> = obs.column("kind").unwrap().str().unwrap().iter().flatten().collect();
    assert!(kinds.contains(&"target") && !kinds.contains(&"目標値"));
}

#[test]
fn every_sheet_shows_words_for_codes() {
    let mut book = book();
    let mut words = |sheet: &str, column: &str| -> std::collections::BTreeSet<String> {
        let range = book.worksheet_range(sheet).unwrap();
        records(&range)
            .iter()
            .map(|r| text(r.get(column)))
            .filter(|t| !t.is_empty())
            .collect()
    };
    let set = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<std::collections::BTreeSet<_>>();
    assert!(words("評価", "評価の方向").is_subset(&set(&["高いほど良い", "低いほど良い"])));
    assert!(words("評価", "評価").is_subset(&set(&["達成", "未達成", "集計中", "評価不能"])));
    assert!(words("評価", "評価").contains("達成"));
    assert!(words("評価", "方向は推定").is_subset(&set(&["推定", "指定"])));
    assert_eq!(words("指標", "状態"), set(&["取組中", "削除"]));
    assert!(words("診断", "重要度").is_subset(&set(&["エラー", "警告", "情報"])));
    assert!(words("入力ファイル", "状態").is_subset(&set(&["正常", "警告あり", "エラーあり", "重複", "読み飛ばし"])));
    assert!(words("工程", "区分").is_subset(&set(&["目標値", "実績値", "目標・実績"])));
    // 入力ファイル keeps the file first: it is the row's subject there.
    let sources = book.worksheet_range("入力ファイル").unwrap();
    assert_eq!(header(&sources)[0], "入力ファイル");
    let diagnostics = book.worksheet_range("診断").unwrap();
    assert_eq!(
        header(&diagnostics),
        ["重要度", "コード", "内容説明", "原文", "入力ファイル", "シート", "セル"]
    );
}

#[test]
fn the_indicator_list_row_equals_the_evaluation() {
    let mut book = book();
    let range = book.worksheet_range("指標一覧").unwrap();
    let head = header(&range);
    assert_eq!(
        head[..9],
        [
            "計画",
            "項目番号",
            "実施項目",
            "指標番号",
            "指標",
            "単位",
            "状態",
            "基準年度",
            "基準値"
        ]
    );
    assert_eq!(head[9..12], ["令和2年度 目標値", "令和2年度 実績値", "令和2年度 達成率"]);
    let rows = records(&range);
    let row = |indicator: &str| {
        let found: Vec<_> = rows.iter().filter(|r| text(r.get("指標")) == indicator).collect();
        assert_eq!(found.len(), 1, "one row for {indicator}");
        found[0]
    };
    let r = row("優先度の高い行政手続電子化率");
    assert_eq!(
        (
            text(r.get("計画")),
            text(r.get("項目番号")),
            num(r.get("指標番号")),
            text(r.get("単位"))
        ),
        ("群馬県庁DXアクションプラン".into(), "1".into(), Some(1.0), "%".into())
    );
    assert_eq!((text(r.get("基準年度")), num(r.get("基準値"))), ("令和元年度".into(), Some(7.0)));
    // Every year of the evaluation table, cell for cell.
    let all = table("evaluation");
    let name = all.column("indicator").unwrap().str().unwrap();
    let mask: BooleanChunked = name.iter().map(|n| n == Some("優先度の高い行政手続電子化率")).collect();
    let ev = all.filter(&mask).unwrap();
    assert_eq!(ev.height(), 3, "FY2021–FY2023");
    let fy = ev.column("fiscal_year").unwrap().i32().unwrap();
    let get = |c: &str, i: usize| ev.column(c).unwrap().f64().unwrap().get(i);
    for i in 0..ev.height() {
        let year = match fy.get(i).unwrap() {
            2021 => "令和3年度",
            2022 => "令和4年度",
            2023 => "令和5年度",
            other => panic!("{other}"),
        };
        for (what, column) in [("目標値", "target"), ("実績値", "actual"), ("達成率", "achievement_rate")] {
            assert_eq!(num(r.get(&format!("{year} {what}"))), get(column, i), "{year} {what}");
        }
    }
    assert_eq!(num(r.get("令和3年度 目標値")), Some(32.1));
    assert_eq!(num(r.get("令和3年度 実績値")), Some(28.3));
    assert_eq!(num(r.get("令和5年度 目標値")), Some(100.0));
    // tsulunos動画再生回数: the final target 1,500万回.
    assert_eq!(num(row("tsulunos動画再生回数").get("令和5年度 目標値")), Some(15_000_000.0));
}

#[test]
fn the_indicator_list_marks_a_deleted_indicator() {
    // Two indicators of the DX plan end their progress rows with a deletion:
    // 県民向けICT入門講座の開催回数 「(目標達成のため削除)」 and 規制緩和実施数
    // 「(指標項目変更のため削除)」; their `indicators` rows say `deleted`.
    let indicators = table("indicators");
    let statuses: BTreeSet<(String, String)> = indicators
        .column("indicator")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .zip(indicators.column("status").unwrap().str().unwrap().iter())
        .map(|(i, s)| (i.unwrap_or("").to_string(), s.unwrap_or("").to_string()))
        .collect();
    assert!(statuses.contains(&("規制緩和実施数".into(), "deleted".into())), "{statuses:?}");
    assert!(statuses.contains(&("県民向けICT入門講座の開催回数".into(), "deleted".into())));
    assert!(statuses.contains(&("優先度の高い行政手続電子化率".into(), "active".into())));

    let mut book = book();
    let rows = records(&book.worksheet_range("指標一覧").unwrap());
    let status = |indicator: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| text(r.get("指標")) == indicator)
            .map(|r| text(r.get("状態")))
            .collect()
    };
    assert_eq!(status("規制緩和実施数"), ["削除"]);
    assert_eq!(status("県民向けICT入門講座の開催回数"), ["削除"]);
    assert_eq!(status("優先度の高い行政手続電子化率"), ["取組中"]);
    // Every row has a status, in the 指標 sheet's words.
    let words: BTreeSet<String> = rows.iter().map(|r| text(r.get("状態"))).collect();
    assert_eq!(words, BTreeSet::from(["取組中".to_string(), "削除".to_string()]));
    let sheet = records(&book.worksheet_range("指標").unwrap());
    let sheet_words: BTreeSet<String> = sheet.iter().map(|r| text(r.get("状態"))).collect();
    assert_eq!(sheet_words, words);
}

#[test]
fn the_indicator_list_formats_follow_the_units() {
    let mut book = book();
    let range = book.worksheet_range("指標一覧").unwrap();
    let styles = book.worksheet_style("指標一覧").unwrap();
    let head = header(&range);
    let col = |h: &str| head.iter().position(|x| x == h).unwrap();
    let format_at = |indicator: &str, column: &str| -> String {
        let (r, _) = range
            .rows()
            .enumerate()
            .find(|(_, r)| r[col("指標")] == *indicator)
            .unwrap_or_else(|| panic!("{indicator}"));
        let (r0, c0) = range.start().unwrap();
        styles
            .get((r as u32 + r0, col(column) as u32 + c0))
            .and_then(|s| s.number_format.as_ref())
            .map(|n| n.format_code.clone())
            .unwrap_or_default()
    };
    // A 件 indicator: 235件 baseline.
    let f = format_at("電子手続及びイベント申込の電子化数", "基準値");
    assert!(f.ends_with("\"件\""), "{f}");
    // A % indicator: percent points (88.7 → 88.7%), not Excel's ×100 percent.
    let f = format_at("優先度の高い行政手続電子化率", "令和4年度 実績値");
    assert_eq!(f, "0.0\"%\"");
    // The running year's latest actual carries its period.
    let f = format_at("優先度の高い行政手続電子化率", "令和5年度 実績値");
    assert_eq!(f, "0.0\"%（第3四半期）\"");
    let f = format_at("優先度の高い行政手続電子化率", "令和5年度 達成率");
    assert_eq!(f, "0.0\"%\"");
    // render reads the same formats.
    let m = torikumi::mapping::Mappings::load(&root().join("mappings")).unwrap();
    let dx = m.render.iter().find(|l| l.layout.name == "gunma_dx_kobetsu").unwrap();
    assert_eq!(dx.number_format(Some("%"), 0), m.display.units().number_format(Some("%"), 0));
    assert_eq!(dx.number_format(Some("件"), 0), "#,##0\"件\"");
}

#[test]
fn the_columns_guide_is_in_japanese_and_covers_every_column() {
    let mut book = book();
    let range = book.worksheet_range("列の説明").unwrap();
    assert_eq!(header(&range), ["シート", "列名（Parquet・CSV）", "見出し", "型", "説明"]);
    let columns: usize = torikumi::table::all_tables().map(|t| t.columns.len()).sum();
    assert_eq!(range.height() - 1, columns);
    for r in range.rows().skip(1) {
        let description = r[4].to_string();
        assert!(!description.is_ascii(), "{} {}: {description}", r[0], r[1]);
    }
    let value = range.rows().find(|r| r[0] == *"実績・目標値" && r[1] == *"value").unwrap();
    assert_eq!(value[3].to_string(), "数値");
}

/// A code the tool can write without a word in display.toml stops the run
/// before anything is read, naming the key.
#[test]
fn a_code_without_a_word_is_a_mapping_error() {
    let dir = tempfile::tempdir().unwrap();
    let mappings = dir.path().join("mappings");
    std::fs::create_dir(&mappings).unwrap();
    let text = std::fs::read_to_string(root().join("mappings/display.toml")).unwrap();
    let without = text.replace("not_done = \"実施なし\"\n", "");
    assert_ne!(without, text);
    std::fs::write(mappings.join("display.toml"), without).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_torikumi"))
        .args(["check", "samples/gunma_dx_kpi_list.xlsx", "--mappings"])
        .arg(&mappings)
        .current_dir(root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("values.status.not_done"), "{stderr}");
    assert!(stderr.contains("display.toml"), "{stderr}");
}

/// The 推移 sheet names its periods as the office does, in the era form of
/// the documents (令和3年度 1Q), not `2021 Q1` or `2021年度 1Q`.
#[test]
fn trend_periods_read_in_japanese() {
    let mut book = book();
    let range = book.worksheet_range("推移").unwrap();
    let first: Vec<String> = range.rows().next().unwrap().iter().map(|d| d.to_string()).collect();
    assert_eq!(first[..3], ["群馬県庁DXアクションプラン 1", "令和3年度 1Q", "令和3年度 2Q"]);
    let actual: Vec<Option<f64>> = range.rows().nth(1).unwrap()[1..4].iter().map(|d| num(Some(d))).collect();
    assert_eq!(
        actual,
        [Some(28.2), Some(32.4), Some(34.5)],
        "マイナンバーカード交付率, FY2021 Q1–Q3"
    );
}

#[test]
fn diagnostics_read_in_japanese_whatever_the_terminal_language() {
    // The run above is an English one (the test harness pins LANG=C); the
    // workbook renders each message again from its code and arguments.
    let mut book = book();
    let range = book.worksheet_range("診断").unwrap();
    let rows = records(&range);
    let slid: Vec<_> = rows.iter().filter(|r| text(r.get("コード")) == "slid_target_repaired").collect();
    assert!(!slid.is_empty());
    for r in slid {
        let message = text(r.get("内容説明"));
        assert!(message.contains("年度の目標値として読みました"), "{message}");
    }
    let parquet = table("diagnostics");
    let english = parquet.column("message").unwrap().str().unwrap();
    assert!(english.iter().flatten().any(|m| m.starts_with("read as the FY")));
}

/// The table sheets' rows are written by torikumi itself (`sink/sheet_xml.rs`,
/// spliced into rust_xlsxwriter's package): 実績・目標値 holds every
/// observation in the table's order, its value a number and its date a date.
#[test]
fn observation_rows_match_the_table_cell_for_cell() {
    use calamine::DataType as _;
    let mut book = book();
    let range = book.worksheet_range("実績・目標値").unwrap();
    let rows = records(&range);
    let obs = table("observations");
    assert_eq!(rows.len(), obs.height());
    let values = obs.column("value").unwrap().f64().unwrap();
    let cells = obs.column("cell").unwrap().str().unwrap();
    let as_of = obs.column("as_of").unwrap().cast(&DataType::String).unwrap();
    let as_of = as_of.str().unwrap();
    let mut dated = 0;
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(num(r.get("値")), values.get(i), "row {i}");
        assert_eq!(text(r.get("セル")), cells.get(i).unwrap_or_default(), "row {i}");
        let shown = r.get("時点").filter(|d| !d.is_empty());
        match as_of.get(i) {
            Some(day) => {
                dated += 1;
                let d = shown.unwrap_or_else(|| panic!("row {i}: no date"));
                assert!(matches!(d, Data::DateTime(_)), "row {i}: {d:?} is not a date cell");
                assert_eq!(d.as_date().map(|d| d.to_string()).as_deref(), Some(day), "row {i}");
            }
            None => assert_eq!(shown, None, "row {i}"),
        }
    }
    // The KPI list's values as of 令和5年12月末.
    assert!(dated >= 40, "{dated} dated rows");
}
