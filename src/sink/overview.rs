//! 概要, the workbook's first sheet: what the run read and what needs
//! attention, in the words of `display.toml` (`[words]`, the column labels).
//!
//! ```text
//!   取組票の読み取り結果
//!   実行開始日時 | 2026-11-30T10:34:04.123Z       (the run: id, version,
//!   …                                             files, cells, errors)
//!   入力ファイル | 様式 | 状態 | 読込セル数 | 取込セル数 | 診断に記載 | … | 警告 | 診断
//!   a.xlsx       | …    | 正常 | 1077       | 1018       | 59         | … | 10   | 診断を見る → 診断!A2
//!   計画 | 年度 | 年度（和暦） | 達成 | 未達成 | 集計中 | 評価不能 | 評価件数 | KPI達成率(%)
//! ```

use std::collections::BTreeMap;

use polars::prelude::*;
use rust_xlsxwriter::{Format, Table, TableColumn, TableStyle, Url, Worksheet, XlsxError};

use super::diagnostics_order::DiagnosticsOrder;
use super::{SinkError, TableFile};
use crate::mapping::display::DisplayLabels;
use crate::model::{RunStamp, SummaryRow};
use crate::normalize::Vocabulary;

/// What 概要 is written from.
pub struct Overview<'a> {
    pub labels: Option<&'a DisplayLabels>,
    pub vocabulary: Option<&'a Vocabulary>,
    pub run: Option<&'a RunStamp>,
    /// The `sources` table: one row per input file.
    pub sources: Option<&'a TableFile>,
    /// The 診断 sheet's order: each file's first row and counts.
    pub diagnostics: Option<&'a DiagnosticsOrder>,
    /// The 診断 sheet's names (more than one past Excel's last row).
    pub diagnostics_sheets: &'a [String],
    /// The evaluation summary (per plan, goal and year).
    pub summary: &'a [SummaryRow],
}

/// One input file's line.
#[derive(Debug, Default, Clone)]
struct FileLine {
    file: String,
    layout: Option<String>,
    status: Option<String>,
    read: i64,
    mapped: i64,
    unmapped: i64,
    value_unread: i64,
    errors: usize,
    warnings: usize,
    /// 診断 sheet and A1 cell of its first row, when it has any.
    link: Option<String>,
}

/// Rows of the 概要 sheet between blocks.
const GAP: u32 = 1;

impl Overview<'_> {
    fn word<'b>(&'b self, key: &'b str) -> &'b str {
        self.labels.map_or(key, |l| l.word(key))
    }
    fn column<'b>(&'b self, table: &str, name: &'b str) -> &'b str {
        self.labels.map_or(name, |l| l.column_in(table, name))
    }

    /// Writes the sheet into `ws`.
    ///
    /// # Errors
    /// The sources cannot be read back, or the workbook rejects a cell.
    pub fn write(&self, ws: &mut Worksheet) -> Result<(), SinkError> {
        let files = self.files()?;
        let werr = |e: XlsxError| SinkError::Workbook {
            path: self.sources.map(|t| t.path.clone()).unwrap_or_default(),
            message: e.to_string(),
        };
        let mut row = self.run_block(ws, &files).map_err(werr)?;
        row = self.files_block(ws, row + GAP, &files).map_err(werr)?;
        self.evaluation_block(ws, row + GAP).map_err(werr)?;
        // The file names, then the layout names, then counts under long labels.
        for (c, w) in [(0u16, 44.0), (1, 24.0), (2, 12.0)] {
            ws.set_column_width(c, w).map_err(werr)?;
        }
        for c in 3..10u16 {
            ws.set_column_width(c, 14.0).map_err(werr)?;
        }
        ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
        Ok(())
    }

    /// Per input file: the sources row, its diagnostics counts and link; then
    /// any file named only in diagnostics (a missing input).
    fn files(&self) -> Result<Vec<FileLine>, SinkError> {
        let mut lines = Vec::new();
        if let Some(t) = self.sources {
            for batch in t.batches(super::ROW_GROUP_ROWS) {
                let df = batch?;
                let text = |name: &str| -> Vec<Option<String>> {
                    df.column(name)
                        .ok()
                        .and_then(|c| c.str().ok().map(|s| s.iter().map(|v| v.map(str::to_string)).collect()))
                        .unwrap_or_else(|| vec![None; df.height()])
                };
                let count = |name: &str| -> Vec<i64> {
                    df.column(name)
                        .ok()
                        .and_then(|c| c.cast(&DataType::Int64).ok())
                        .and_then(|c| c.i64().ok().map(|s| s.iter().map(|v| v.unwrap_or(0)).collect()))
                        .unwrap_or_else(|| vec![0; df.height()])
                };
                let (file, layout, status) = (text("source_file"), text("layout"), text("status"));
                let (read, mapped, unmapped, value_unread) = (
                    count("cells_read"),
                    count("cells_mapped"),
                    count("cells_unmapped"),
                    count("value_cells_unread"),
                );
                for r in 0..df.height() {
                    lines.push(FileLine {
                        file: file[r].clone().unwrap_or_default(),
                        layout: layout[r].clone(),
                        status: status[r].clone(),
                        read: read[r],
                        mapped: mapped[r],
                        unmapped: unmapped[r],
                        value_unread: value_unread[r],
                        ..FileLine::default()
                    });
                }
            }
        }
        let Some(order) = self.diagnostics else {
            return Ok(lines);
        };
        let index: std::collections::HashMap<String, usize> = lines.iter().enumerate().map(|(i, l)| (l.file.clone(), i)).collect();
        for d in &order.files {
            let at = match index.get(&d.file) {
                Some(&i) => i,
                None => {
                    lines.push(FileLine {
                        file: d.file.clone(),
                        ..FileLine::default()
                    });
                    lines.len() - 1
                }
            };
            let line = &mut lines[at];
            line.errors = d.errors;
            line.warnings = d.warnings;
            line.link = self.link(d.first_row);
        }
        Ok(lines)
    }

    /// The 診断 cell of sheet data row `row` (0-based), as an internal link target.
    fn link(&self, row: usize) -> Option<String> {
        let per_sheet = super::xlsx::MAX_DATA_ROWS;
        let sheet = self.diagnostics_sheets.get(row / per_sheet)?;
        // Row 1 is the header; data rows start at A2.
        Some(format!("internal:'{}'!A{}", sheet.replace('\'', "''"), row % per_sheet + 2))
    }

    /// The title and the run's figures; returns the next free row.
    fn run_block(&self, ws: &mut Worksheet, files: &[FileLine]) -> Result<u32, XlsxError> {
        let title = Format::new().set_bold().set_font_size(14);
        let bold = Format::new().set_bold();
        let number = Format::new().set_num_format("#,##0");
        ws.write_string_with_format(0, 0, self.word("overview_title"), &title)?;
        ws.write_string_with_format(2, 0, self.word("run_heading"), &bold)?;
        let sum = |f: fn(&FileLine) -> i64| files.iter().map(f).sum::<i64>() as f64;
        let texts = [
            (
                self.column("sources", "run_started"),
                self.run.map(|r| r.started.clone()).unwrap_or_default(),
            ),
            (self.column("sources", "run_id"), self.run.map(|r| r.id.clone()).unwrap_or_default()),
            (self.word("version"), env!("CARGO_PKG_VERSION").to_string()),
        ];
        let mut row = 3;
        for (label, value) in texts {
            ws.write_string(row, 0, label)?;
            ws.write_string(row, 1, value)?;
            row += 1;
        }
        let numbers = [
            (self.word("files_count"), files.iter().filter(|f| f.status.is_some()).count() as f64),
            (self.column("sources", "cells_read"), sum(|f| f.read)),
            (self.column("sources", "cells_mapped"), sum(|f| f.mapped)),
            (self.word("cells_in_diagnostics"), sum(|f| f.unmapped)),
            (self.column("sources", "value_cells_unread"), sum(|f| f.value_unread)),
            (self.word("errors"), sum(|f| f.errors as i64)),
            (self.word("warnings"), sum(|f| f.warnings as i64)),
        ];
        for (label, value) in numbers {
            ws.write_string(row, 0, label)?;
            ws.write_number_with_format(row, 1, value, &number)?;
            row += 1;
        }
        Ok(row)
    }

    /// One row per input file, as an Excel table; returns the next free row.
    fn files_block(&self, ws: &mut Worksheet, first: u32, files: &[FileLine]) -> Result<u32, XlsxError> {
        ws.write_string_with_format(first, 0, self.word("files_heading"), &Format::new().set_bold())?;
        let head = first + 1;
        let headers = [
            self.column("sources", "source_file"),
            self.column("sources", "layout"),
            self.column("sources", "status"),
            self.column("sources", "cells_read"),
            self.column("sources", "cells_mapped"),
            self.word("cells_in_diagnostics"),
            self.column("sources", "value_cells_unread"),
            self.word("errors"),
            self.word("warnings"),
            self.labels.map_or("diagnostics", |l| l.table("diagnostics")),
        ];
        let number = Format::new().set_num_format("#,##0");
        for (i, f) in files.iter().enumerate() {
            let r = head + 1 + i as u32;
            ws.write_string(r, 0, &f.file)?;
            if let Some(l) = &f.layout {
                ws.write_string(r, 1, l)?;
            }
            if let Some(s) = &f.status {
                let shown = self.labels.and_then(|l| l.value_word("sources", "status", s)).unwrap_or(s);
                ws.write_string(r, 2, shown)?;
            }
            let counts = [f.read, f.mapped, f.unmapped, f.value_unread, f.errors as i64, f.warnings as i64];
            for (k, v) in counts.iter().enumerate() {
                ws.write_number_with_format(r, 3 + k as u16, *v as f64, &number)?;
            }
            match &f.link {
                Some(link) => ws.write_url_with_text(r, 9, Url::new(link.as_str()), self.word("diagnostics_link"))?,
                None => ws.write_string(r, 9, self.word("no_diagnostics"))?,
            };
        }
        let last = table_under(ws, head, files.len(), &headers)?;
        Ok(last + 1)
    }

    /// The evaluation counts per plan and year (the 評価集計 rows summed over goals).
    fn evaluation_block(&self, ws: &mut Worksheet, first: u32) -> Result<(), XlsxError> {
        ws.write_string_with_format(first, 0, self.word("evaluation_heading"), &Format::new().set_bold())?;
        let head = first + 1;
        let mut totals: BTreeMap<(&str, i32), [i64; 4]> = BTreeMap::new();
        for s in self.summary {
            let t = totals.entry((s.plan.as_str(), s.fiscal_year)).or_default();
            for (k, v) in s.counts().into_iter().enumerate() {
                t[k] += i64::from(v);
            }
        }
        let t = "evaluation_summary";
        let headers = [
            self.column(t, "plan"),
            self.column(t, "fiscal_year"),
            self.column(t, "fiscal_year_label"),
            self.column(t, "achieved"),
            self.column(t, "not_achieved"),
            self.column(t, "pending"),
            self.column(t, "not_evaluable"),
            self.word("evaluated"),
            self.column(t, "kpi_achievement_rate"),
        ];
        let rate = Format::new().set_num_format(
            self.labels
                .map_or_else(|| "0.0".to_string(), |l| l.units().number_format(Some("%"), 1)),
        );
        for (i, ((plan, fy), c)) in totals.iter().enumerate() {
            let r = head + 1 + i as u32;
            ws.write_string(r, 0, *plan)?;
            ws.write_number(r, 1, f64::from(*fy))?;
            if let Some(w) = self.vocabulary.and_then(|v| v.wareki_fiscal_year(*fy)) {
                ws.write_string(r, 2, w)?;
            }
            for (k, v) in c.iter().enumerate() {
                ws.write_number(r, 3 + k as u16, *v as f64)?;
            }
            ws.write_number(r, 7, c.iter().sum::<i64>() as f64)?;
            let judged = c[0] + c[1];
            if judged > 0 {
                ws.write_number_with_format(r, 8, c[0] as f64 * 100.0 / judged as f64, &rate)?;
            }
        }
        table_under(ws, head, totals.len(), &headers)?;
        Ok(())
    }
}

/// An Excel table with its header on row `head`, over `rows` data rows (at
/// least one, so an empty block is still a table) from column A; returns its
/// last row. Headers are bold and wrapped (LibreOffice prints no table style)
/// on a row two lines high (LibreOffice does not grow the row).
fn table_under(ws: &mut Worksheet, head: u32, rows: usize, headers: &[&str]) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold().set_text_wrap();
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| TableColumn::new().set_header(*h).set_header_format(&bold))
        .collect();
    let last = head + rows.max(1) as u32;
    ws.set_row_height(head, 30)?;
    let last_col = headers.len().saturating_sub(1) as u16;
    ws.add_table(
        head,
        0,
        last,
        last_col,
        &Table::new().set_columns(&columns).set_style(TableStyle::Light9),
    )?;
    Ok(last)
}
