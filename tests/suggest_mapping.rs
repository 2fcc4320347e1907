//! `torikumi inspect FILE --suggest-mapping`: the draft of a KPI list, saved
//! into a mappings folder with only the built-in vocabulary, passes `check`
//! with its own `[[tests]]` case and reads the list as the shipped mapping does;
//! a list with other wording is read from the draft with the edits the README
//! tells the user to make.

mod common;
use common::{read_parquet, root};

use std::path::{Path, PathBuf};
use std::process::Output;

use polars::prelude::{DataFrame, SortMultipleOptions};

fn torikumi(args: &[&str], cwd: &Path) -> Output {
    common::torikumi_command()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("torikumi runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A folder with the built-in mappings exported and the shipped list mapping deleted.
fn mappings_without_list(tmp: &Path) -> PathBuf {
    let dir = tmp.join("mappings");
    let out = torikumi(&["mappings", "export", dir.to_str().unwrap()], tmp);
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::remove_file(dir.join("gunma_dx_kpi_list.toml")).unwrap();
    dir
}

/// The draft `inspect --suggest-mapping` prints for `file` with the mappings in `dir`.
fn draft(file: &Path, dir: &Path, cwd: &Path) -> String {
    let out = torikumi(
        &[
            "inspect",
            file.to_str().unwrap(),
            "--suggest-mapping",
            "--mappings",
            dir.to_str().unwrap(),
        ],
        cwd,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// `table` of an ingest, sorted by cell so two runs compare row by row.
fn table(out: &Path, name: &str, by: &[&str]) -> DataFrame {
    read_parquet(&out.join("parquet").join(format!("{name}.parquet")))
        .sort(by.to_vec(), SortMultipleOptions::default())
        .unwrap()
}

fn ingest(file: &Path, mappings: &[&str], out: &Path, cwd: &Path) {
    let mut args = vec!["ingest", file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--full", "-q"];
    args.extend_from_slice(mappings);
    let o = torikumi(&args, cwd);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

/// The draft of the sample list reads it exactly as the shipped mapping does.
fn draft_reads_the_list_like_the_shipped_mapping(sample: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = mappings_without_list(tmp.path());
    let file = root().join("samples").join(sample);
    let toml = draft(&file, &dir, tmp.path());
    // The draft says what it read: labels, value columns, plan from the title.
    for line in [
        "name = \"gunma_dx_kpi_list\"",
        "plan = \"群馬県庁DXアクションプラン\"",
        "all_labels = [\"実施項目\", \"指標\", \"担当課\"]",
        "item_labels = [\"実施項目\"]",
        "indicator_labels = [\"指標\"]",
        "division_labels = [\"担当課\"]",
        "#   D: 令和3年度 目標値 → target FY2021",
        "#   I: 令和5年度 実績値（12月末） → actual FY2023, as of the end of month 12",
        "number_pattern = '^\\s*[(（]\\s*([0-9０-９]+)\\s*[)）]\\s*'",
        "{ indicator = \"電子手続及びイベント申込の電子化数\", fiscal_year = 2022, period = \"FY\", kind = \"actual\", value = 1266.0, unit = \"件\" },",
    ] {
        assert!(toml.contains(line), "draft lacks {line:?}:\n{toml}");
    }
    // Saved under another file name, the draft replaces the built-in list by its [layout] name.
    std::fs::write(dir.join("my_list.toml"), &toml).unwrap();
    let list = torikumi(&["mappings", "list", "--mappings", dir.to_str().unwrap()], tmp.path());
    let listing = text(&list.stdout);
    let row = listing
        .lines()
        .find(|l| l.contains("gunma_dx_kpi_list"))
        .unwrap_or_default()
        .to_string();
    assert!(row.contains("my_list.toml"), "{listing}");

    let check = torikumi(&["check", file.to_str().unwrap(), "--mappings", dir.to_str().unwrap()], tmp.path());
    let err = text(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{err}");
    assert!(err.contains("mapping tests: all"), "{err}");
    assert!(err.contains("[gunma_dx_kpi_list]"), "{err}");
    assert!(
        err.contains("0 errors, 1 warnings") || err.contains("0 errors, 0 warnings"),
        "{err}"
    );

    let drafted = tmp.path().join("drafted");
    let shipped = tmp.path().join("shipped");
    ingest(&file, &["--mappings", dir.to_str().unwrap()], &drafted, tmp.path());
    ingest(&file, &["--built-in-mappings"], &shipped, tmp.path());
    let (a, b) = (
        table(&drafted, "observations", &["cell"]),
        table(&shipped, "observations", &["cell"]),
    );
    assert_eq!(a.height(), 133, "19 indicators × 7 columns");
    assert!(a.equals_missing(&b), "drafted:\n{a}\nshipped:\n{b}");
    for (name, by) in [
        ("indicators", ["initiative_no", "indicator"]),
        ("initiatives", ["initiative_no", "initiative"]),
    ] {
        let (a, b) = (table(&drafted, name, &by), table(&shipped, name, &by));
        assert!(a.equals_missing(&b), "{name}: drafted:\n{a}\nshipped:\n{b}");
    }
}

#[test]
fn draft_of_the_sample_list_workbook_passes_check_and_reads_like_the_shipped_mapping() {
    draft_reads_the_list_like_the_shipped_mapping("gunma_dx_kpi_list.xlsx");
}

#[test]
fn draft_of_the_sample_list_sjis_text_passes_check_and_reads_like_the_shipped_mapping() {
    draft_reads_the_list_like_the_shipped_mapping("gunma_dx_kpi_list.sjis.txt");
}

/// A list in other wording: one header row, `No.1` items, indicators with no
/// ①, a unit column, years as 2022年度目標 and R5実績, 主管課.
fn write_variant(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("成果指標").unwrap();
    common::write_text_rows(
        ws,
        0,
        &[
            &["テスト市行政改革プラン 成果指標一覧（令和6年3月末）"],
            &[],
            &[
                "取組項目",
                "成果指標",
                "単位",
                "2022年度目標",
                "2022年度実績",
                "R5目標",
                "R5実績",
                "主管課",
            ],
            &[
                "No.1 窓口のオンライン化",
                "オンライン申請件数",
                "件",
                "",
                "",
                "",
                "",
                "情報政策課、市民課",
            ],
            &["", "窓口平均待ち時間", "分"],
            &["No.2 ペーパーレス化", "コピー用紙購入枚数", "万枚", "", "", "", "", "総務課"],
        ],
    );
    let values: [[f64; 4]; 3] = [[120.0, 98.0, 150.0, 160.0], [20.0, 25.0, 15.0, 12.0], [300.0, 280.0, 250.0, 240.0]];
    for (i, row) in values.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            ws.write_number(3 + i as u32, 3 + j as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn draft_of_a_list_in_other_wording_reads_it_and_a_lower_is_better_rule_applies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = mappings_without_list(tmp.path());
    let file = tmp.path().join("tesuto_list.xlsx");
    write_variant(&file);
    let toml = draft(&file, &dir, tmp.path());
    for line in [
        "name = \"tesuto_list\"",
        "plan = \"テスト市行政改革プラン\"",
        "item_labels = [\"取組項目\"]",
        "indicator_labels = [\"成果指標\"]",
        "unit_labels = [\"単位\"]",
        "division_labels = [\"主管課\"]",
        "#   D: 2022年度目標 → target FY2022",
        "#   G: R5実績 → actual FY2023",
        "number_pattern = '^\\s*[NnＮｎ][OoＯｏ][.．]?\\s*([0-9０-９]+)\\s*'",
        // 主管課 is no division label a shipped layout uses: the draft guesses and says so.
        "CHECK: H: guessed as the divisions in charge",
        "{ indicator = \"窓口平均待ち時間\", fiscal_year = 2023, period = \"FY\", kind = \"actual\", value = 12.0, unit = \"分\" },",
    ] {
        assert!(toml.contains(line), "draft lacks {line:?}:\n{toml}");
    }
    assert!(!toml.contains("already reads this sheet"), "no mapping reads this list:\n{toml}");
    assert!(
        toml.contains("# With this draft the sheet gives 12 values of 3 indicators in 2 items"),
        "{toml}"
    );
    assert!(
        toml.contains("#   (1) 窓口平均待ち時間 → higher (by name rule or default)"),
        "{toml}"
    );
    std::fs::write(dir.join("tesuto_list.toml"), &toml).unwrap();
    // The README's step for a lower-is-better indicator: declare it in evaluation.toml.
    let mut rules = std::fs::read_to_string(dir.join("evaluation.toml")).unwrap();
    rules.push_str(
        "\n[[indicator]]\nplan = \"テスト市行政改革プラン\"\nindicator = \"窓口平均待ち時間\"\ndirection = \"lower\"\nnote = \"短いほど良い\"\n",
    );
    std::fs::write(dir.join("evaluation.toml"), rules).unwrap();
    // Drafted again, the list names the declared direction.
    let again = draft(&file, &dir, tmp.path());
    assert!(again.contains("#   (1) 窓口平均待ち時間 → lower (declared)"), "{again}");

    let check = torikumi(&["check", file.to_str().unwrap(), "--mappings", dir.to_str().unwrap()], tmp.path());
    let err = text(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{err}");
    assert!(err.contains("[tesuto_list]") && err.contains("mapping tests: all"), "{err}");

    let out = tmp.path().join("out");
    ingest(&file, &["--mappings", dir.to_str().unwrap()], &out, tmp.path());
    let obs = table(&out, "observations", &["cell"]);
    assert_eq!(obs.height(), 12, "3 indicators × 4 value columns:\n{obs}");
    let col = |df: &DataFrame, c: &str| -> Vec<String> {
        let s = df.column(c).unwrap().as_materialized_series().clone();
        (0..s.len())
            .map(|i| s.get(i).unwrap().to_string().trim_matches('"').to_string())
            .collect()
    };
    let rows: Vec<String> = (0..obs.height())
        .map(|i| {
            [
                "plan",
                "initiative_no",
                "initiative",
                "indicator",
                "fiscal_year",
                "kind",
                "value",
                "unit",
            ]
            .iter()
            .map(|c| col(&obs, c)[i].clone())
            .collect::<Vec<_>>()
            .join("|")
        })
        .collect();
    for want in [
        "テスト市行政改革プラン|1|窓口のオンライン化|オンライン申請件数|2022|target|120.0|件",
        "テスト市行政改革プラン|1|窓口のオンライン化|窓口平均待ち時間|2023|actual|12.0|分",
        "テスト市行政改革プラン|2|ペーパーレス化|コピー用紙購入枚数|2023|target|2.5e6|枚",
    ] {
        assert!(rows.contains(&want.to_string()), "no {want}:\n{}", rows.join("\n"));
    }
    let inits = table(&out, "initiatives", &["initiative_no"]);
    assert_eq!(col(&inits, "divisions")[0], "[\"情報政策課\", \"市民課\"]", "{inits}");

    // The lower-is-better rule: 目標 15 分, 実績 12 分 → achieved, 15 / 12 = 125 %.
    let ev = table(&out, "evaluation", &["indicator", "fiscal_year"]);
    let found: Vec<String> = (0..ev.height())
        .map(|i| {
            ["indicator", "fiscal_year", "direction", "achievement_rate", "status"]
                .iter()
                .map(|c| col(&ev, c)[i].clone())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert!(
        found.contains(&"窓口平均待ち時間|2023|lower|125.0|achieved".to_string()),
        "{}",
        found.join("\n")
    );
    assert!(
        found.contains(&"窓口平均待ち時間|2022|lower|80.0|not_achieved".to_string()),
        "{}",
        found.join("\n")
    );
}

#[test]
fn a_per_item_sheet_is_pointed_to_the_closest_shipped_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let file = root().join("samples/gunma_reform_plan_sheet.xlsx");
    let out = torikumi(
        &["inspect", file.to_str().unwrap(), "--suggest-mapping", "--built-in-mappings"],
        tmp.path(),
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "no list drafted: {stdout}");
    assert!(stdout.contains("is a per-item sheet"), "{stdout}");
    assert!(stdout.contains("The closest shipped layout is gunma_reform_plan"), "{stdout}");
    assert!(!stdout.contains("[list_table]"), "{stdout}");
}
