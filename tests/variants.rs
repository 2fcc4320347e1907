//! A division's copy of a standard sheet is never quite the standard: columns
//! shifted, headers reworded, a memo column added, sheets reordered. Those
//! variants must give the same observations.

mod common;
use common::{DX_HEADER_ROWS, root, write_text_rows};

use rust_xlsxwriter::{Format, Workbook};
use torikumi::mapping::Mappings;
use torikumi::pipeline;
use torikumi::source::{self, CellValue, Limits};

/// Rewrites a workbook: every cell one column right, 目標値 headers renamed 目標,
/// a memo column beside each table, sheets in reverse order.
fn write_variant(src: &std::path::Path, dst: &std::path::Path) {
    let doc = source::read(src, &Limits::default()).unwrap();
    let mut book = Workbook::new();
    for grid in doc.grids.iter().rev() {
        let ws = book.add_worksheet();
        ws.set_name(&grid.name).unwrap();
        let mut max_col = 0;
        for cell in grid.cells() {
            max_col = max_col.max(cell.col);
        }
        for cell in grid.cells() {
            let (r, c) = (cell.row, (cell.col + 1) as u16);
            match (&cell.value, &cell.format) {
                (CellValue::Number(v), Some(f)) => {
                    ws.write_number_with_format(r, c, *v, &Format::new().set_num_format(f)).unwrap();
                }
                (CellValue::Number(v), None) => {
                    ws.write_number(r, c, *v).unwrap();
                }
                _ => {
                    let text = if cell.raw.trim() == "目標値" {
                        "目標".to_string()
                    } else {
                        cell.raw.clone()
                    };
                    ws.write_string(r, c, text).unwrap();
                }
            }
        }
        for m in &grid.merges {
            let text = grid.get(m.first_row, m.first_col).map(|c| c.raw.clone()).unwrap_or_default();
            ws.merge_range(
                m.first_row,
                (m.first_col + 1) as u16,
                m.last_row,
                (m.last_col + 1) as u16,
                &text,
                &Format::new(),
            )
            .unwrap();
        }
        // A memo column two columns right of everything, on rows that hold data.
        for r in 0..grid.height() {
            if grid.row(r).len() > 3 {
                ws.write_string(r, (max_col + 4) as u16, "メモ: 確認済み").unwrap();
            }
        }
    }
    book.save(dst).unwrap();
}

#[test]
fn shifted_renamed_memo_and_reordered_workbook_gives_same_observations() {
    let m = Mappings::load(&root().join("mappings")).unwrap();
    for name in ["gunma_dx_kobetsu.xlsx", "saitama_program.xlsx", "gunma_reform_plan_sheet.xlsx"] {
        let src = root().join("samples").join(name);
        let dir = tempfile::tempdir().unwrap();
        let dst = dir.path().join(name);
        write_variant(&src, &dst);
        let a = pipeline::ingest(&[src], &m, &Limits::default());
        let b = pipeline::ingest(&[dst], &m, &Limits::default());
        assert!(!a.observations.is_empty());
        assert_eq!(common::observation_key(&a), common::observation_key(&b), "{name}");
        // The memo cells are not lost: each is in diagnostics.
        let memos = b.diagnostics.iter().filter(|d| d.raw.as_deref() == Some("メモ: 確認済み")).count();
        assert!(memos > 0, "{name}: memo cells missing from diagnostics");
    }
}

/// A merged year header names its quarters' year even where the order of year
/// labels would say otherwise (here a stray year label precedes the real ones).
#[test]
fn merged_year_header_applies_to_all_its_quarter_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged_year_header.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    write_text_rows(ws, 0, DX_HEADER_ROWS);
    // Header: 指標項目 | 基準年(R1) | (R4 merged over C..F) | 目標値 ; quarters under C..F.
    ws.write_string(7, 0, "指標項目").unwrap();
    ws.write_string(7, 1, "基準年(R1) 実績値").unwrap();
    ws.merge_range(7, 2, 7, 5, "令和4年度", &Format::new()).unwrap();
    ws.write_string(7, 6, "目標値").unwrap();
    // A stray year label left of the quarters: by order alone the quarters would be FY2021.
    ws.write_string(8, 1, "令和3年度").unwrap();
    for (i, q) in ["1四半期", "2四半期", "3四半期", "4四半期"].iter().enumerate() {
        ws.write_string(8, 2 + i as u16, *q).unwrap();
    }
    let pct = Format::new().set_num_format("0\"件\"");
    ws.write_string(9, 0, "①件数").unwrap();
    for (i, v) in [1.0, 2.0, 3.0, 4.0, 5.0].iter().enumerate() {
        ws.write_number_with_format(9, 2 + i as u16, *v, &pct).unwrap();
    }
    book.save(&path).unwrap();
    let m = Mappings::load(&root().join("mappings")).unwrap();
    let x = pipeline::ingest(&[path], &m, &Limits::default());
    let q3 = x.observations.iter().find(|o| o.period == "Q3").expect("Q3");
    assert_eq!((q3.fiscal_year, q3.value, q3.unit.as_deref()), (Some(2022), Some(3.0), Some("件")));
    let t = x.observations.iter().find(|o| o.kind == "target").expect("target");
    assert_eq!((t.fiscal_year, t.value), (Some(2022), Some(5.0)));
}
