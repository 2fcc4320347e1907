//! Number formats and merged regions of .xls, .ods and .xlsb workbooks: the
//! shipped samples saved by LibreOffice as .xls (BIFF8) and .ods
//! (`tests/fixtures/converted/`) give exactly the observations of their .xlsx.
//! LibreOffice cannot write .xlsb: `gunma_dx_kobetsu.xlsb` is written from
//! the .xlsx by `source::xlsb`'s ignored test `write_xlsb_fixture` (text,
//! typed numbers with their format codes, merges), so it checks the .xlsb
//! reading path, not another program's writer.

mod common;
use common::{observation_key, root};

use std::path::{Path, PathBuf};

use torikumi::mapping::Mappings;
use torikumi::model::Extract;
use torikumi::pipeline;
use torikumi::source::{self, CellValue, Grid, Limits};

fn mappings() -> Mappings {
    Mappings::load(&root().join("mappings")).expect("mappings load")
}

fn converted(file: &str) -> PathBuf {
    root().join("tests/fixtures/converted").join(file)
}

fn ingest(path: PathBuf, m: &Mappings) -> Extract {
    pipeline::ingest(&[path], m, &Limits::default())
}

fn grid<'a>(grids: &'a [Grid], name: &str) -> &'a Grid {
    grids.iter().find(|g| g.name == name).expect("sheet")
}

/// The cell's (raw text, format) as the reader gave it.
fn cell(path: &Path, sheet: &str, addr: (u32, u32)) -> (String, Option<String>) {
    let doc = source::read(path, &Limits::default()).expect("readable");
    let c = grid(&doc.grids, sheet).get(addr.0, addr.1).expect("cell").clone();
    (c.raw, c.format)
}

/// The converted copies of a sample.
fn exts(stem: &str) -> &'static [&'static str] {
    if stem == "gunma_dx_kobetsu" {
        &["xls", "ods", "xlsb"]
    } else {
        &["xls", "ods"]
    }
}

fn same_observations_as_xlsx(stem: &str) {
    let m = mappings();
    let xlsx = ingest(root().join("samples").join(format!("{stem}.xlsx")), &m);
    let want = observation_key(&xlsx);
    assert!(!want.is_empty());
    for ext in exts(stem) {
        let other = ingest(converted(&format!("{stem}.{ext}")), &m);
        let got = observation_key(&other);
        let missing: Vec<_> = want.iter().filter(|k| !got.contains(k)).collect();
        let extra: Vec<_> = got.iter().filter(|k| !want.contains(k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{stem}.{ext}: {} observations, xlsx {}; missing {missing:#?}, extra {extra:#?}",
            got.len(),
            want.len()
        );
        assert_eq!(got, want);
    }
}

#[test]
fn gunma_dx_xls_ods_and_xlsb_match_xlsx() {
    same_observations_as_xlsx("gunma_dx_kobetsu");
}

#[test]
fn saitama_program_xls_and_ods_match_xlsx() {
    same_observations_as_xlsx("saitama_program");
}

#[test]
fn gunma_reform_plan_xls_and_ods_match_xlsx() {
    same_observations_as_xlsx("gunma_reform_plan_sheet");
}

#[test]
fn kpi_list_xls_and_ods_match_xlsx() {
    // Its merged two-row header and typed 0.0% / #,##0"件" cells, through LibreOffice's formats.
    same_observations_as_xlsx("gunma_dx_kpi_list");
}

#[test]
fn typed_percent_and_count_cells_keep_their_formats() {
    // LibreOffice writes a quoted literal as a backslash escape in BIFF
    // (`#,##0\件`), as a number:text in ODF (read back as `#,##0"件"`).
    for (ext, count, count_grouped) in [
        ("xls", "0\\件", "#,##0\\件"),
        ("ods", "0\"件\"", "#,##0\"件\""),
        ("xlsb", "0\"件\"", "#,##0\"件\""),
    ] {
        let path = converted(&format!("gunma_dx_kobetsu.{ext}"));
        let at = |r, c| {
            let (raw, format) = cell(&path, "(1)", (r, c));
            (raw, format.unwrap_or_default())
        };
        // O40: 0.887 formatted 0.0%; K41: 1266 formatted #,##0"件"; B10: 900 formatted 0"件"; B9: 1 formatted 0%.
        assert_eq!(at(39, 14), ("88.7%".to_string(), "0.0%".to_string()), "{ext}");
        assert_eq!(at(40, 10).1, count_grouped, "{ext}");
        assert_eq!(at(9, 1).1, count, "{ext}");
        assert_eq!(at(8, 1), ("100%".to_string(), "0%".to_string()), "{ext}");
    }
}

#[test]
fn typed_values_become_observations_with_units() {
    let m = mappings();
    for ext in exts("gunma_dx_kobetsu") {
        let x = ingest(converted(&format!("gunma_dx_kobetsu.{ext}")), &m);
        let find = |indicator: &str, fy: i32, period: &str| {
            x.observations
                .iter()
                .find(|o| {
                    o.initiative_no == "1"
                        && o.indicator.contains(indicator)
                        && o.fiscal_year == Some(fy)
                        && o.period == period
                        && o.kind == "actual"
                })
                .unwrap_or_else(|| panic!("{ext}: {indicator} {fy} {period}"))
        };
        let rate = find("優先度の高い行政手続電子化率", 2021, "Q4");
        assert_eq!((rate.value, rate.unit.as_deref()), (Some(28.3), Some("%")), "{ext}");
        let count = find("電子手続及びイベント申込の電子化数", 2022, "Q4");
        assert_eq!((count.value, count.unit.as_deref()), (Some(1266.0), Some("件")), "{ext}");
    }
}

#[test]
fn ods_and_xlsb_merged_year_headers_are_read() {
    for ext in ["ods", "xlsb"] {
        let doc = source::read(&converted(&format!("gunma_dx_kobetsu.{ext}")), &Limits::default()).expect("readable");
        let g = grid(&doc.grids, "(1)");
        // K15:O15 and C38:F38 are merged year headers in the .xlsx.
        for (r0, c0, r1, c1) in [(14, 10, 14, 14), (37, 2, 37, 5)] {
            assert!(
                g.merges
                    .iter()
                    .any(|m| (m.first_row, m.first_col, m.last_row, m.last_col) == (r0, c0, r1, c1)),
                "{ext}: {:?} not in {:?}",
                (r0, c0, r1, c1),
                g.merges
            );
        }
    }
}

/// A sheet's name, its cells as "A1 raw value" and its merges, sorted.
type SheetKey = (String, Vec<String>, Vec<(u32, u32, u32, u32)>);

/// Sorted (A1, raw, value) of every cell and sorted merges of each sheet.
fn sheets_of(path: &Path) -> Vec<SheetKey> {
    let doc = source::read(path, &Limits::default()).expect("readable");
    doc.grids
        .iter()
        .map(|g| {
            // ODS stores numbers to 15 significant digits (0.656 for 0.6559999999999999).
            let value = |v: &CellValue| match v {
                CellValue::Number(n) => format!("Number({n:.12e})"),
                other => format!("{other:?}"),
            };
            let cells = g.cells().map(|c| format!("{} {:?} {}", c.a1(), c.raw, value(&c.value))).collect();
            let mut merges: Vec<_> = g
                .merges
                .iter()
                .map(|m| (m.first_row, m.first_col, m.last_row, m.last_col))
                .collect();
            merges.sort();
            (g.name.clone(), cells, merges)
        })
        .collect()
}

#[test]
fn every_cell_and_merge_reads_as_in_the_xlsx() {
    for stem in [
        "gunma_dx_kobetsu",
        "saitama_program",
        "gunma_reform_plan_sheet",
        "gunma_dx_kpi_list",
    ] {
        let want = sheets_of(&root().join("samples").join(format!("{stem}.xlsx")));
        if stem == "gunma_dx_kobetsu" {
            assert!(want.iter().filter(|(_, _, m)| !m.is_empty()).count() >= 8, "merged year headers");
        }
        for ext in exts(stem) {
            let got = sheets_of(&converted(&format!("{stem}.{ext}")));
            assert_eq!(got.len(), want.len(), "{stem}.{ext}: sheets");
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g.0, w.0, "{stem}.{ext}: sheet names");
                let diff: Vec<_> = g.1.iter().zip(&w.1).filter(|(a, b)| a != b).take(5).collect();
                assert!(diff.is_empty(), "{stem}.{ext} '{}': cells differ (got, xlsx): {diff:#?}", g.0);
                assert_eq!(g.1.len(), w.1.len(), "{stem}.{ext} '{}': cell count", g.0);
                assert_eq!(g.2, w.2, "{stem}.{ext} '{}': merges", g.0);
            }
        }
    }
}

/// A date typed in LibreOffice (CSV import of `2023-04-01`): .xlsx and .xls
/// give a date cell, and so must .ods (calamine gives its ISO text).
#[test]
fn ods_dates_are_dates_as_in_xlsx_and_xls() {
    let want = sheets_of(&converted("date_cells.xlsx"));
    assert!(
        want[0].1.contains(&"B1 \"2023-04-01\" Date(2023-04-01T00:00:00)".to_string()),
        "{want:?}"
    );
    for ext in ["xls", "ods"] {
        assert_eq!(sheets_of(&converted(&format!("date_cells.{ext}"))), want, "{ext}");
    }
}
