//! Real input folders are messy: every bad input gets one clear diagnostic
//! naming the file (and sheet and cell where there is one), the other files
//! are still processed, the exit status is 1, and nothing panics.

mod common;
use common::{DX_HEADER_ROWS, read_parquet, root, write_text_rows};

use std::path::Path;
use std::process::Output;

use polars::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn torikumi(args: &[&str]) -> Output {
    common::torikumi_command().args(args).output().unwrap()
}

/// (source_file, code, sheet, cell, message) of every diagnostic.
fn diagnostics(out: &Path) -> Vec<(String, String, String, String, String)> {
    let d = read_parquet(&out.join("parquet/diagnostics.parquet"));
    let col = |c: &str| d.column(c).unwrap().str().unwrap().clone();
    let (f, c, s, a, m) = (col("source_file"), col("code"), col("sheet"), col("cell"), col("message"));
    (0..d.height())
        .map(|i| {
            let g = |x: &StringChunked| x.get(i).unwrap_or("").to_string();
            (g(&f), g(&c), g(&s), g(&a), g(&m))
        })
        .collect()
}

/// A small DX-layout sheet whose first progress value is written by `value`.
fn dx_sheet_with(path: &Path, value: impl Fn(&mut rust_xlsxwriter::Worksheet, u32, u16)) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    write_text_rows(ws, 0, DX_HEADER_ROWS);
    let progress: &[&[&str]] = &[
        &["指標項目", "基準年(R1) 実績値", "令和3年度", "", "", "", "目標値"],
        &["", "", "1四半期", "2四半期", "3四半期", "4四半期"],
        &["①件数", "1件"],
    ];
    write_text_rows(ws, DX_HEADER_ROWS.len() as u32, progress);
    value(ws, 9, 2);
    book.save(path).unwrap();
}

#[test]
fn every_bad_input_is_diagnosed_and_the_good_files_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    // Good files.
    for f in ["gunma_dx_kobetsu.sjis.txt", "saitama_program.xlsx"] {
        std::fs::copy(root().join("samples").join(f), inbox.join(f)).unwrap();
    }
    // Truncated workbook.
    let bytes = std::fs::read(root().join("samples/gunma_dx_kobetsu.xlsx")).unwrap();
    std::fs::write(inbox.join("truncated.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    // Password-protected workbook (encrypted with msoffcrypto-tool).
    std::fs::copy(
        root().join("tests/fixtures/password_protected.xlsx"),
        inbox.join("password_protected.xlsx"),
    )
    .unwrap();
    // A workbook with only an empty sheet.
    let mut empty = Workbook::new();
    empty.add_worksheet();
    empty.save(inbox.join("only_empty_sheets.xlsx")).unwrap();
    // Declared dimension A1:XFD1048576, two cells.
    let mut huge = Workbook::new();
    let ws = huge.add_worksheet();
    ws.write_string(0, 0, "メモ").unwrap();
    ws.write_string(1_048_575, 16_383, "最後のセル").unwrap();
    huge.save(inbox.join("huge_dimension.xlsx")).unwrap();
    // A formula error where a value belongs, and a date where a number belongs.
    dx_sheet_with(&inbox.join("formula_error.xlsx"), |ws, r, c| {
        ws.write_formula(r, c, Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
    });
    dx_sheet_with(&inbox.join("date_value.xlsx"), |ws, r, c| {
        let d = ExcelDateTime::from_ymd(2023, 4, 1).unwrap();
        ws.write_datetime_with_format(r, c, &d, &Format::new().set_num_format("yyyy-mm-dd"))
            .unwrap();
    });
    // A .txt that is binary, one that mixes encodings, an empty one.
    std::fs::write(inbox.join("binary.txt"), [0x89, b'P', b'N', b'G', 0, 0, 0, 13]).unwrap();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("実施項目\t(1) 項目\n");
    let mut mixed = sjis.into_owned();
    mixed.extend_from_slice("指標項目\tR5目標値\n".as_bytes());
    std::fs::write(inbox.join("mixed_encodings.txt"), mixed).unwrap();
    std::fs::write(inbox.join("empty.csv"), b"").unwrap();
    // Not a workbook, a document with no 取組票, a duplicate, an Excel lock file.
    std::fs::write(inbox.join("not_a_workbook.xlsx"), "<html>oops</html>").unwrap();
    std::fs::copy(
        root().join("tests/fixtures/no_torikumi_meeting_minutes.txt"),
        inbox.join("minutes.txt"),
    )
    .unwrap();
    std::fs::copy(root().join("samples/saitama_program.xlsx"), inbox.join("saitama_copy.xlsx")).unwrap();
    std::fs::write(inbox.join("~$saitama_program.xlsx"), b"lock").unwrap();

    let out = dir.path().join("out");
    let o = torikumi(&[
        "ingest",
        inbox.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--mappings",
        root().join("mappings").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("stack backtrace"), "{stderr}");

    let d = diagnostics(&out);
    let find = |file: &str, code: &str| d.iter().find(|x| x.0.ends_with(file) && x.1 == code).cloned();
    let expect = |file: &str, code: &str, says: &str| {
        let hit = find(file, code).unwrap_or_else(|| panic!("{file}: no {code} diagnostic in {d:#?}"));
        assert!(hit.4.contains(says), "{file}: {code}: message «{}» should say «{says}»", hit.4);
        hit
    };
    expect("truncated.xlsx", "unreadable_file", "save it again");
    expect("password_protected.xlsx", "unreadable_file", "password");
    expect("only_empty_sheets.xlsx", "empty_workbook", "no sheet");
    expect("binary.txt", "unreadable_file", "binary");
    expect("empty.csv", "unreadable_file", "empty");
    expect("not_a_workbook.xlsx", "unreadable_file", "not a readable workbook");
    expect("minutes.txt", "no_layout", "no layout");
    expect("~$saitama_program.xlsx", "lock_file_skipped", "lock file");
    let mixed = expect("mixed_encodings.txt", "undecodable_bytes", "line 2");
    assert_eq!(mixed.3, "A2");
    let fe = expect("formula_error.xlsx", "formula_error", "formula");
    assert_eq!((fe.2.as_str(), fe.3.as_str()), ("Sheet1", "C10"));
    let dv = expect("date_value.xlsx", "date_in_value_cell", "date");
    assert_eq!(dv.3, "C10");
    assert!(find("saitama_copy.xlsx", "duplicate_file").is_some() || find("saitama_program.xlsx", "duplicate_file").is_some());
    // The huge-dimension sheet costs its two cells, both accounted for.
    let huge: Vec<_> = d
        .iter()
        .filter(|x| x.0.ends_with("huge_dimension.xlsx") && x.1 == "unmapped")
        .map(|x| x.3.clone())
        .collect();
    assert_eq!(huge, vec!["A1".to_string(), "XFD1048576".to_string()]);

    // Every good file's rows are present.
    let obs = read_parquet(&out.join("parquet/observations.parquet"));
    let files = obs.column("source_file").unwrap().str().unwrap().clone();
    let count = |name: &str| {
        (0..files.len())
            .filter(|&i| files.get(i).is_some_and(|f| f.ends_with(name)))
            .count()
    };
    assert_eq!(count("gunma_dx_kobetsu.sjis.txt"), 279);
    assert_eq!(
        count("saitama_copy.xlsx") + count("saitama_program.xlsx"),
        87,
        "the duplicate counted once"
    );
    let sources = read_parquet(&out.join("parquet/sources.parquet"));
    assert_eq!(
        sources.height(),
        14,
        "every input file has a sources row (the lock file is skipped)"
    );
}

#[test]
fn resource_limits_refuse_before_memory_runs_out() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    // A workbook that expands to several MiB: refused at --max-expanded-mb 1.
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for r in 0..40_000u32 {
        ws.write_string(r, 0, "同じ文字列の繰り返し").unwrap();
        ws.write_number(r, 1, r as f64).unwrap();
    }
    book.save(inbox.join("expands.xlsx")).unwrap();
    std::fs::copy(root().join("samples/gunma_dx_kobetsu.xlsx"), inbox.join("gunma.xlsx")).unwrap();
    let out = dir.path().join("out");
    let m = root().join("mappings");
    let args = [
        "ingest",
        inbox.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--mappings",
        m.to_str().unwrap(),
    ];
    let o = torikumi(&[&args[..], &["--max-expanded-mb", "1"]].concat());
    assert_eq!(o.status.code(), Some(1));
    let d = diagnostics(&out);
    assert!(
        d.iter().any(|x| x.0.ends_with("expands.xlsx") && x.4.contains("expand to")),
        "{d:#?}"
    );
    // Too many cells in one sheet: refused with the sheet named.
    let o = torikumi(&[&args[..], &["--max-cells", "1000"]].concat());
    assert_eq!(o.status.code(), Some(1));
    let d = diagnostics(&out);
    assert!(
        d.iter()
            .any(|x| x.0.ends_with("expands.xlsx") && x.4.contains("more than 1000 cells")),
        "{d:#?}"
    );
    assert!(
        d.iter().all(|x| !x.0.ends_with("gunma.xlsx") || x.1 != "unreadable_file"),
        "the sample is within the limit"
    );
}

#[test]
fn text_that_looks_like_a_formula_is_written_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("formula_like.txt");
    std::fs::write(&input, "=SUM(A1:A9)\t+81 3\n-1\t@user\n").unwrap();
    let out = dir.path().join("out");
    let o = torikumi(&[
        "ingest",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--mappings",
        root().join("mappings").to_str().unwrap(),
    ]);
    assert!(o.status.code().is_some());
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("consolidated.xlsx")).unwrap();
    use calamine::Reader;
    let formulas = book.worksheet_formula("診断").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in the workbook");
    let values = book.worksheet_range("診断").unwrap();
    let texts: Vec<String> = values.used_cells().map(|(_, _, v)| v.to_string()).collect();
    for t in ["=SUM(A1:A9)", "+81 3", "-1", "@user"] {
        assert!(texts.iter().any(|x| x == t), "{t} missing in {texts:?}");
    }
}

/// Killing `ingest` halfway leaves the previous outputs readable.
#[test]
fn an_interrupted_run_leaves_the_previous_outputs_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let m = root().join("mappings");
    let samples = root().join("samples");
    let o = torikumi(&[
        "ingest",
        samples.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--mappings",
        m.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let before = read_parquet(&out.join("parquet/observations.parquet")).height();
    // A bigger input, so the second run is still busy when it is killed.
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let bytes = std::fs::read(samples.join("gunma_dx_kobetsu.sjis.txt")).unwrap();
    for i in 0..300 {
        let mut copy = bytes.clone();
        copy.extend_from_slice(format!("\n{i}\n").as_bytes());
        std::fs::write(inbox.join(format!("copy{i:03}.txt")), copy).unwrap();
    }
    for delay_ms in [50u64, 200, 400] {
        let mut child = common::torikumi_command()
            .args([
                "ingest",
                inbox.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--mappings",
                m.to_str().unwrap(),
                "-q",
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever moment it died, every output file is complete and readable.
        for t in ["observations", "indicators", "initiatives", "schedule", "sources", "diagnostics"] {
            let df = read_parquet(&out.join(format!("parquet/{t}.parquet")));
            if t == "observations" {
                assert!(df.height() == before || df.height() > before, "observations readable");
            }
        }
        let _: calamine::Xlsx<_> = calamine::open_workbook(out.join("consolidated.xlsx")).unwrap();
    }
}
