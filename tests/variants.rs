//! A division's copy of a standard sheet is never quite the standard: columns
//! shifted, headers reworded, a memo column added, sheets reordered. Those
//! variants must give the same observations.

mod common;

use std::path::PathBuf;

use rust_xlsxwriter::{Format, Workbook};
use torikumi::mapping::Mappings;
use torikumi::pipeline;
use torikumi::source::{self, CellValue, Limits};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

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
