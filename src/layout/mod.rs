//! A mapping applied to a grid → records and diagnostics.
//!
//! A sheet is first *recognised* (which layout's labels it carries), then cut
//! into items (one 取組票 each, starting at the layout's anchor), and each item's
//! blocks are read: header fields, the indicator table, the progress table
//! (or plan table), the schedule. Every cell a block uses is marked; what no
//! block used ends in `diagnostics` as `unmapped`, with its address and text.

mod columns;
mod evaluation_block;
mod fields;
mod indicator_table;
mod items;
mod plan_table;
mod progress_table;
mod schedule_table;

use std::collections::HashSet;

use crate::mapping::{Labels, Layout, Mappings};
use crate::model::{DiagCode, Diagnostic, Extract, Provenance, Status};
use crate::normalize::{Parsed, Vocabulary};
use crate::source::{Cell, CellValue, Grid};

pub use columns::ColumnSpec;

/// What a sheet's extraction reports besides its rows, for `inspect`.
#[derive(Debug, Clone, Default)]
pub struct SheetReport {
    pub layout: Option<String>,
    /// (block name, first row, last row), 0-based rows.
    pub blocks: Vec<(String, u32, u32)>,
    pub cells_read: u64,
    pub cells_mapped: u64,
    pub cells_unmapped: u64,
    /// (row, col) of every cell a table or the layout's structure used.
    pub consumed: HashSet<(u32, u32)>,
}

/// Picks the layout whose recognition labels all appear in the grid, as whole
/// cells or as the label part of a cell that also holds its value.
pub fn recognise<'m>(grid: &Grid, mappings: &'m Mappings) -> Option<&'m Layout> {
    let present = labels_present(grid, mappings);
    mappings.layouts.iter().find(|l| {
        l.recognise_all.iter().all(|lab| present.contains(lab))
            && (l.recognise_any.is_empty() || l.recognise_any.iter().any(|lab| present.contains(lab)))
    })
}

/// The recognition labels of any layout that the grid's cells are or start with.
fn labels_present(grid: &Grid, mappings: &Mappings) -> HashSet<String> {
    let sets: Vec<&Labels> = mappings.layouts.iter().flat_map(|l| [&l.recognise_all, &l.recognise_any]).collect();
    let mut present = HashSet::new();
    for cell in grid.cells() {
        for labels in &sets {
            if let Some(hit) = labels.match_cell(&cell.raw) {
                present.insert(hit.label);
            }
        }
    }
    present
}

/// The recognition labels of `layout` that the grid lacks, for `sheet_not_recognised`.
pub fn missing_labels(grid: &Grid, layout: &Layout) -> Vec<String> {
    let mut found = HashSet::new();
    for cell in grid.cells() {
        for labels in [&layout.recognise_all, &layout.recognise_any] {
            if let Some(hit) = labels.match_cell(&cell.raw) {
                found.insert(hit.label);
            }
        }
    }
    let mut missing: Vec<String> = layout.recognise_all.iter().filter(|l| !found.contains(*l)).cloned().collect();
    if !layout.recognise_any.is_empty() && !layout.recognise_any.iter().any(|l| found.contains(l)) {
        missing.push(layout.recognise_any.iter().cloned().collect::<Vec<_>>().join(" / "));
    }
    missing
}

/// Reads one sheet with `layout` (or none), returning its rows, diagnostics and report.
pub fn extract_sheet(grid: &Grid, layout: Option<&Layout>, vocab: &Vocabulary, source_file: &str) -> (Extract, SheetReport) {
    let mut sheet = Sheet::new(grid, vocab, source_file);
    let mut report = SheetReport {
        layout: layout.map(|l| l.name.clone()),
        ..Default::default()
    };
    if let Some(layout) = layout {
        for extent in items::find(&mut sheet, layout) {
            items::read_item(&mut sheet, layout, extent, &mut report);
        }
    }
    sheet.account_unmapped();
    report.cells_read = grid.len() as u64;
    report.cells_mapped = sheet.consumed.len() as u64;
    report.cells_unmapped = report.cells_read - report.cells_mapped;
    report.consumed = sheet.consumed;
    (sheet.out, report)
}

/// Extraction state for one sheet: the grid, which cells are used, the output.
pub(crate) struct Sheet<'a> {
    pub grid: &'a Grid,
    pub vocab: &'a Vocabulary,
    pub source_file: &'a str,
    pub consumed: HashSet<(u32, u32)>,
    /// Cells already reported in a diagnostic (so `unmapped` does not repeat them).
    pub diagnosed: HashSet<(u32, u32)>,
    pub out: Extract,
}

impl<'a> Sheet<'a> {
    fn new(grid: &'a Grid, vocab: &'a Vocabulary, source_file: &'a str) -> Self {
        Sheet {
            grid,
            vocab,
            source_file,
            consumed: HashSet::new(),
            diagnosed: HashSet::new(),
            out: Extract::default(),
        }
    }

    /// Provenance of `cell`.
    pub fn at(&self, cell: &Cell) -> Provenance {
        Provenance {
            source_file: self.source_file.to_string(),
            sheet: self.grid.name.clone(),
            cell: cell.a1(),
        }
    }

    /// Marks a cell as held by a table.
    pub fn take(&mut self, cell: &Cell) {
        self.consumed.insert((cell.row, cell.col));
    }

    /// Records a diagnostic about a cell; the cell counts as accounted for in diagnostics.
    pub fn diag_cell(&mut self, code: DiagCode, message: impl Into<String>, cell: &Cell) {
        self.diagnosed.insert((cell.row, cell.col));
        let d = Diagnostic::new(code, message, self.at(cell), Some(cell.raw.clone()));
        self.out.diagnostics.push(d);
    }

    /// Records a note about a cell that a table also holds (a repair, an inference).
    pub fn note(&mut self, code: DiagCode, message: impl Into<String>, cell: &Cell) {
        let d = Diagnostic::new(code, message, self.at(cell), Some(cell.raw.clone()));
        self.out.diagnostics.push(d);
    }

    /// Non-empty cells of row `r`.
    pub fn row(&self, r: u32) -> &'a [Cell] {
        self.grid.row(r)
    }

    /// True when row `r` holds no cell.
    pub fn is_blank(&self, r: u32) -> bool {
        self.grid.row(r).is_empty()
    }

    /// A cell's value, unit and status, using its type and number format where typed.
    pub fn parse(&self, cell: &Cell) -> Parsed {
        match &cell.value {
            CellValue::Number(v) => self.vocab.parse_typed(*v, cell.format.as_deref()),
            _ => self.vocab.parse_value(&cell.raw),
        }
    }

    /// Cells no table used and no diagnostic named become `unmapped` diagnostics.
    fn account_unmapped(&mut self) {
        let grid = self.grid;
        for cell in grid.cells() {
            let key = (cell.row, cell.col);
            if self.consumed.contains(&key) || self.diagnosed.contains(&key) {
                continue;
            }
            let (code, message) = match &cell.value {
                CellValue::Error(e) => (DiagCode::FormulaError, format!("formula error {e} in a cell no table reads")),
                _ => (DiagCode::Unmapped, "no table of this layout holds this cell".to_string()),
            };
            let d = Diagnostic::new(code, message, self.at(cell), Some(cell.raw.clone()));
            self.out.diagnostics.push(d);
        }
    }
}

/// Runs the small cases a layout file carries (`[[tests]]`): each input is
/// read as tab-separated text with this layout and must give the expected
/// observations. Returns one message per failed expectation.
pub fn run_mapping_tests(layout: &Layout, vocabulary: &Vocabulary) -> Vec<String> {
    let mut failures = Vec::new();
    for case in &layout.tests {
        let grid = crate::source::text::to_grid(&case.name, case.input.trim_start_matches('\n'), false);
        let (x, _) = extract_sheet(&grid, Some(layout), vocabulary, &layout.file.display().to_string());
        for e in &case.expect {
            let hit = x.observations.iter().any(|o| {
                o.indicator == e.indicator
                    && o.fiscal_year == e.fiscal_year
                    && o.period.as_str() == e.period
                    && o.kind.as_str() == e.kind
                    && o.value == e.value
                    && o.unit == e.unit
            });
            if !hit {
                failures.push(format!(
                    "{}: test '{}': no observation {} FY{:?} {} {} = {:?} {:?}",
                    layout.file.display(),
                    case.name,
                    e.indicator,
                    e.fiscal_year,
                    e.period,
                    e.kind,
                    e.value,
                    e.unit
                ));
            }
        }
    }
    failures
}

/// True when the parsed status says the indicator was removed.
pub(crate) fn is_deleted(p: &Parsed) -> bool {
    matches!(p.status, Status::Deleted)
}
