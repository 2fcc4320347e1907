//! A mapping applied to a grid → records and diagnostics.
//!
//! A sheet is first *recognised* (which layout's labels it carries), then cut
//! into items (one 取組票 each, starting at the layout's anchor), and each item's
//! blocks are read: header fields, the indicator table, the progress table
//! (or plan table), the schedule. Every cell a block uses is marked; what no
//! block used ends in `diagnostics` as `unmapped`, with its address and text.

mod achievement_table;
mod columns;
mod evaluation_block;
mod fields;
mod indicator_table;
mod items;
mod list_header;
mod list_table;
mod plan_table;
mod progress_table;
mod schedule_table;
pub mod suggest;

use std::collections::{BTreeMap, HashSet};

use crate::mapping::{Labels, Layout, Mappings};
use crate::model::{Args, DiagCode, Diagnostic, Extract, Provenance, Status, args};
use crate::normalize::{Parsed, Vocabulary};
use crate::source::{Cell, CellValue, Grid};

pub use columns::ColumnSpec;

/// A set of (row, col) cells, hashed fast: a sheet asks it for every cell.
pub type CellSet = foldhash::HashSet<(u32, u32)>;

/// What a sheet's extraction reports besides its rows, for `inspect`.
#[derive(Debug, Clone, Default)]
pub struct SheetReport {
    pub layout: Option<String>,
    /// (block name, first row, last row), 0-based rows.
    pub blocks: Vec<(String, u32, u32)>,
    pub cells_read: u64,
    pub cells_mapped: u64,
    pub cells_unmapped: u64,
    /// Value-like cells no table took (`unmapped_value` warnings).
    pub value_cells_unread: u64,
    /// (row, col) of every cell a table or the layout's structure used.
    pub consumed: CellSet,
}

/// Picks the layout whose recognition labels all appear in the grid, as whole
/// cells or as the label part of a cell that also holds its value.
pub fn recognise<'m>(grid: &Grid, mappings: &'m Mappings) -> Option<&'m Layout> {
    let present = labels_present(grid, mappings);
    mappings
        .layouts
        .iter()
        .find(|l| {
            l.recognise_all.iter().all(|group| group.iter().any(|lab| present.contains(lab)))
                && (l.recognise_any.is_empty() || l.recognise_any.iter().any(|lab| present.contains(lab)))
        })
        .or_else(|| mappings.layouts.iter().find(|l| is_list_of(grid, l, &mappings.vocabulary)))
}

/// A list whose headers use the synonyms of its `[list_table]` rather than its
/// `[recognise]` labels (取組項目 | 指標名 | … | 担当所属): one row holds an item
/// label and an indicator label as whole cells, and that row or the next a
/// header the vocabulary reads as a fiscal year. Per-item sheets never have
/// their item and indicator labels in one row.
fn is_list_of(grid: &Grid, layout: &Layout, vocab: &Vocabulary) -> bool {
    let Some(t) = &layout.list_table else { return false };
    let has = |r: u32, labels: &Labels| grid.row(r).iter().any(|c| labels.matches(&c.raw));
    let dated = |r: u32| grid.row(r).iter().any(|c| vocab.decode_header(&c.raw).fiscal_year.is_some());
    (0..grid.height()).any(|r| has(r, &t.item) && has(r, &t.indicator) && (dated(r) || dated(r + 1)))
}

/// The recognition labels of any layout that the grid's cells are or start with.
fn labels_present(grid: &Grid, mappings: &Mappings) -> HashSet<String> {
    let sets: Vec<&Labels> = mappings
        .layouts
        .iter()
        .flat_map(|l| l.recognise_all.iter().chain([&l.recognise_any]))
        .collect();
    labels_found(grid, &sets)
}

/// The labels of `sets` that some cell of the grid is, or starts with.
fn labels_found(grid: &Grid, sets: &[&Labels]) -> HashSet<String> {
    let mut found = HashSet::new();
    for cell in grid.cells() {
        let Some(first) = crate::mapping::first_folded(&cell.raw) else {
            continue;
        };
        for labels in sets {
            if let Some(label) = labels.label_of(&cell.raw, first)
                && !found.contains(label)
            {
                found.insert(label.clone());
            }
        }
    }
    found
}

/// The recognition labels of `layout` that the grid lacks, for `sheet_not_recognised`.
pub fn missing_labels(grid: &Grid, layout: &Layout) -> Vec<String> {
    let sets: Vec<&Labels> = layout.recognise_all.iter().chain([&layout.recognise_any]).collect();
    let found = labels_found(grid, &sets);
    let mut missing: Vec<String> = layout
        .recognise_all
        .iter()
        .filter(|group| !group.iter().any(|l| found.contains(l)))
        .map(|group| group.iter().cloned().collect::<Vec<_>>().join(" / "))
        .collect();
    if !layout.recognise_any.is_empty() && !layout.recognise_any.iter().any(|l| found.contains(l)) {
        missing.push(layout.recognise_any.iter().cloned().collect::<Vec<_>>().join(" / "));
    }
    missing
}

/// Reads one sheet with `layout` (or none), returning its rows, diagnostics and report.
/// With a layout, a value-like cell no table takes is an `unmapped_value`
/// warning, and a sheet in which no item starts is `sheet_not_recognised`.
pub fn extract_sheet(grid: &Grid, layout: Option<&Layout>, vocab: &Vocabulary, source_file: &str) -> (Extract, SheetReport) {
    let mut sheet = Sheet::new(grid, vocab, source_file, layout.is_some());
    sheet.kpi_syntaxes = layout.map(kpi_syntaxes).unwrap_or_default();
    let mut report = SheetReport {
        layout: layout.map(|l| l.name.clone()),
        ..Default::default()
    };
    if layout.is_some()
        && let Some(by) = example_by(grid, vocab)
    {
        return example_sheet(sheet, grid, report, by);
    }
    if layout.is_some() && grid.hidden && !grid.is_empty() {
        sheet.sheet_diag(DiagCode::HiddenSheet, args!["cells" => grid.len()]);
    }
    if let Some(layout) = layout {
        items::set_aside_furniture(&mut sheet, layout);
    }
    if let Some(layout) = layout
        && let Some(t) = &layout.list_table
    {
        sheet.first_item_row = list_table::read(&mut sheet, layout, t, &mut report);
        if sheet.first_item_row.is_none() {
            let labels: Vec<&str> = t.indicator.iter().map(String::as_str).collect();
            let message = args!["case" => "list", "layout" => layout.name, "labels" => labels.join(" / ")];
            sheet.sheet_diag(DiagCode::SheetNotRecognised, message);
        }
    } else if let Some(layout) = layout {
        sheet.numbering_col = sheet.numbering_column();
        let items = items::find(&mut sheet, layout);
        sheet.first_item_row = items.first().map(|e| e.first);
        if items.is_empty() && !grid.is_empty() {
            let message = args!["case" => "no-item", "layout" => layout.name, "anchor" => expected_anchor(layout)];
            sheet.sheet_diag(DiagCode::SheetNotRecognised, message);
        }
        if let Some(first) = sheet.first_item_row {
            items::flag_fields_before(&mut sheet, layout, first);
        }
        for extent in items {
            items::read_item(&mut sheet, layout, extent, &mut report);
        }
    }
    sheet.flag_placeholder_names();
    sheet.account_unmapped();
    finish(sheet, grid, report)
}

/// Reads a sheet that no layout recognised in a file where `expected` recognised
/// other sheets: a `sheet_not_recognised` warning names the labels it lacks, and
/// each value-like cell is an `unmapped_value` warning, since it is data that was not read.
pub fn extract_unrecognised(grid: &Grid, expected: &Layout, vocab: &Vocabulary, source_file: &str) -> (Extract, SheetReport) {
    let mut sheet = Sheet::new(grid, vocab, source_file, true);
    if let Some(by) = example_by(grid, vocab) {
        return example_sheet(sheet, grid, SheetReport::default(), by);
    }
    sheet.kpi_syntaxes = kpi_syntaxes(expected);
    let missing = missing_labels(grid, expected);
    sheet.sheet_diag(
        DiagCode::SheetNotRecognised,
        args!["case" => "other-sheets", "layout" => expected.name, "labels" => missing.join(", ")],
    );
    sheet.account_unmapped();
    finish(sheet, grid, SheetReport::default())
}

/// What calls a sheet a template's example.
enum ExampleBy<'g> {
    /// Its name (記入例, 見本, サンプル (2)).
    Name,
    /// A cell of its title (`記入例`, `【記入例】目標1 …`).
    Title(&'g Cell),
}

/// Whether a non-empty sheet is a template's example, and what says so:
/// its name ([`Vocabulary::is_example_name`]) or a cell of its title
/// ([`title_cells`], [`Vocabulary::is_example_title`]). A division's copy
/// of a template often keeps a filled example beside the live sheets; read
/// as data, its made-up ○○ figures were a silent extra item.
fn example_by<'g>(grid: &'g Grid, vocab: &Vocabulary) -> Option<ExampleBy<'g>> {
    if grid.is_empty() {
        return None;
    }
    if vocab.is_example_name(&grid.name) {
        return Some(ExampleBy::Name);
    }
    title_cells(grid).find(|c| vocab.is_example_title(&c.raw)).map(ExampleBy::Title)
}

/// A sheet's title: the cells of its first non-empty row, and of the rows
/// after it that hold one cell each, up to the first row of two or more (a
/// label and its value, a table's header). No table or item starts above it.
fn title_cells(grid: &Grid) -> impl Iterator<Item = &Cell> {
    let mut rows = (0..grid.height()).map(|r| grid.row(r)).filter(|cells| !cells.is_empty());
    let first = rows.next().unwrap_or(&[]);
    first.iter().chain(rows.take_while(|cells| cells.len() == 1).flatten())
}

/// A template's example sheet ([`example_by`]): one `example_sheet`
/// warning, at the title cell that says so, its cells listed as `unmapped`
/// (not value warnings each: the sheet's warning says it), none read.
fn example_sheet(mut sheet: Sheet, grid: &Grid, report: SheetReport, by: ExampleBy) -> (Extract, SheetReport) {
    match by {
        ExampleBy::Name => {
            let message = args!["case" => "name", "sheet" => grid.name.clone(), "cells" => grid.len()];
            sheet.sheet_diag(DiagCode::ExampleSheet, message);
        }
        ExampleBy::Title(cell) => {
            let message = args!["case" => "title", "label" => cell.raw.trim(), "cells" => grid.len()];
            sheet.diag_cell(DiagCode::ExampleSheet, message, cell);
        }
    }
    sheet.loud = false;
    sheet.account_unmapped();
    finish(sheet, grid, report)
}

/// The inline KPI syntaxes of a layout's fields.
fn kpi_syntaxes(layout: &Layout) -> Vec<&crate::normalize::InlineKpiSyntax> {
    layout.fields.iter().filter_map(|f| f.inline_kpi.as_ref()).collect()
}

fn finish(sheet: Sheet, grid: &Grid, mut report: SheetReport) -> (Extract, SheetReport) {
    report.cells_read = grid.len() as u64;
    report.cells_mapped = sheet.consumed.len() as u64;
    report.cells_unmapped = report.cells_read - report.cells_mapped;
    report.value_cells_unread = sheet.value_cells_unread;
    report.consumed = sheet.consumed;
    (sheet.out, report)
}

/// How an item of the layout starts, for messages: its anchor labels, and
/// the words describing its anchor pattern (never the pattern itself).
pub(crate) fn expected_anchor(layout: &Layout) -> String {
    let mut ways: Vec<&str> = layout.item.anchor_labels.iter().map(String::as_str).collect();
    ways.extend(layout.item.anchor_description.as_deref());
    ways.join(" / ")
}

/// Extraction state for one sheet: the grid, which cells are used, the output.
pub(crate) struct Sheet<'a> {
    pub grid: &'a Grid,
    pub vocab: &'a Vocabulary,
    pub source_file: &'a str,
    pub consumed: CellSet,
    /// A layout is expected here: value-like cells left unread are warnings.
    loud: bool,
    /// Where the first item starts; cells above it are front matter.
    first_item_row: Option<u32>,
    value_cells_unread: u64,
    /// A column left of everything that only numbers rows (No. | 1 | 2 …):
    /// rows are read as if it were not there.
    numbering_col: Option<u32>,
    /// Rows of page furniture (a ruling line, a page number) already
    /// reported as decoration, sorted: read as blank, so a table that runs
    /// on past a page break is one table.
    furniture: Vec<u32>,
    /// Rows of items set aside as a template's example (first, last): their
    /// cells are listed as `unmapped`, not as values left unread.
    example_rows: Vec<(u32, u32)>,
    /// Cells already reported in a diagnostic (so `unmapped` does not repeat them).
    pub diagnosed: CellSet,
    /// The layout's inline KPI syntaxes: a cell left unread that holds KPIs
    /// in one (`〔KPI〕 … R5：65%` on a row of its own) is a value left unread.
    kpi_syntaxes: Vec<&'a crate::normalize::InlineKpiSyntax>,
    pub out: Extract,
}

impl<'a> Sheet<'a> {
    fn new(grid: &'a Grid, vocab: &'a Vocabulary, source_file: &'a str, loud: bool) -> Self {
        Sheet {
            grid,
            vocab,
            source_file,
            consumed: CellSet::default(),
            loud,
            first_item_row: None,
            value_cells_unread: 0,
            numbering_col: None,
            furniture: Vec::new(),
            example_rows: Vec::new(),
            diagnosed: CellSet::default(),
            kpi_syntaxes: Vec::new(),
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
        // A table that reads the cell as text must not hide that its formula gave no value.
        if let Some(args) = formula_problem(cell, false) {
            self.note(DiagCode::FormulaError, args, cell);
        }
    }

    /// Whether a table has taken the cell already.
    pub fn is_taken(&self, cell: &Cell) -> bool {
        self.consumed.contains(&(cell.row, cell.col))
    }

    /// Records a diagnostic about a cell; the cell counts as accounted for in diagnostics.
    pub fn diag_cell(&mut self, code: DiagCode, args: Args, cell: &Cell) {
        self.diagnosed.insert((cell.row, cell.col));
        let d = Diagnostic::new(code, args, self.at(cell), Some(cell.raw.clone()));
        self.out.diagnostics.push(d);
    }

    /// Records a diagnostic about the whole sheet.
    fn sheet_diag(&mut self, code: DiagCode, args: Args) {
        let at = Provenance {
            source_file: self.source_file.to_string(),
            sheet: self.grid.name.clone(),
            cell: String::new(),
        };
        self.out.diagnostics.push(Diagnostic::new(code, args, at, None));
    }

    /// Records a note about a cell that a table also holds (a repair, an inference).
    pub fn note(&mut self, code: DiagCode, args: Args, cell: &Cell) {
        let d = Diagnostic::new(code, args, self.at(cell), Some(cell.raw.clone()));
        self.out.diagnostics.push(d);
    }

    /// Non-empty cells of row `r`, without a numbering column's cell.
    pub fn row(&self, r: u32) -> &'a [Cell] {
        if !self.furniture.is_empty() && self.is_furniture(r) {
            return &[];
        }
        let cells = self.grid.row(r);
        match cells.first() {
            Some(first) if Some(first.col) == self.numbering_col => &cells[1..],
            _ => cells,
        }
    }

    /// Reports row `r`'s cells as decoration and reads the row as blank from here on.
    pub fn set_aside_as_furniture(&mut self, r: u32) {
        for c in self.row(r) {
            self.diag_cell(DiagCode::Decoration, args![], c);
        }
        if let Err(i) = self.furniture.binary_search(&r) {
            self.furniture.insert(i, r);
        }
    }

    /// True for a row set aside by [`Self::set_aside_as_furniture`].
    pub fn is_furniture(&self, r: u32) -> bool {
        self.furniture.binary_search(&r).is_ok()
    }

    /// True when row `r` holds no cell (a row number alone counts as none).
    pub fn is_blank(&self, r: u32) -> bool {
        self.row(r).is_empty()
    }

    /// The sheet's leftmost column when it holds nothing but row numbers and
    /// a `No.` heading, at least two numbers, each with a cell right of it:
    /// a column divisions add before the first. Its cells are taken as structure.
    fn numbering_column(&mut self) -> Option<u32> {
        let col = self.grid.cells().map(|c| c.col).min()?;
        let cells: Vec<&Cell> = self.grid.cells().filter(|c| c.col == col).collect();
        let folded = |c: &Cell| crate::mapping::text::fold_ascii_width(c.raw.trim()).to_ascii_lowercase();
        let number = |c: &Cell| {
            let t = folded(c);
            (1..=3).contains(&t.len()) && t.chars().all(|ch| ch.is_ascii_digit())
        };
        let heading = |c: &Cell| matches!(folded(c).as_str(), "no" | "no." | "#");
        let numbers: Vec<&Cell> = cells.iter().copied().filter(|c| number(c)).collect();
        let numbered_rows = numbers.iter().all(|c| self.grid.row(c.row).len() > 1);
        if numbers.len() < 2 || !numbered_rows || !cells.iter().all(|c| number(c) || heading(c)) {
            return None;
        }
        let taken: Vec<Cell> = cells.into_iter().cloned().collect();
        for c in &taken {
            self.take(c);
        }
        Some(col)
    }

    /// A numbered indicator's `name`, in the cell at `(r, col)`, with what was
    /// wrapped onto the rows below it (a PDF line break, a name typed in two
    /// rows): one or two rows that each hold one cell, in the name's column,
    /// with no indicator number and nothing a value reads as, at or above
    /// `last`. They wrap the name only when the next numbered indicator
    /// follows them in that column: after the last indicator they may as well
    /// be the title of what comes next. Takes those cells. Without this the
    /// wrapped part became an indicator of its own, with no values, and the
    /// real one kept half its name.
    pub fn continued_name(&mut self, mut name: String, (r, col): (u32, u32), last: u32) -> String {
        let mut wrapped: Vec<Cell> = Vec::new();
        let mut row = r + 1;
        while row <= last.min(r + 2) {
            match self.row(row) {
                [cell] if self.wraps_name(cell, col) => wrapped.push(cell.clone()),
                _ => break,
            }
            row += 1;
        }
        let numbered_next = || {
            self.grid
                .get(row, col)
                .is_some_and(|c| self.vocab.parse_numbered_indicator(&c.raw).is_some())
        };
        if wrapped.is_empty() || !numbered_next() {
            return name;
        }
        for cell in &wrapped {
            self.take(cell);
            join_wrapped(&mut name, cell.raw.trim());
        }
        name
    }

    /// A table row whose first cell `label` says it is no indicator: a
    /// totals row (合計), whose cells are `row_without_indicator` warnings,
    /// or a notes row (備考), whose cells are left for the diagnostics as
    /// cells no table holds. Without this a sum became a KPI of its own and
    /// was counted in the evaluation. True when the row is one of them.
    pub fn not_an_indicator(&mut self, label: &Cell, cells: &[Cell]) -> bool {
        match self.vocab.row_label(&label.raw) {
            Some(crate::normalize::RowLabel::Total) => {
                for c in cells {
                    let message = args!["case" => "total", "label" => label.raw.trim()];
                    self.diag_cell(DiagCode::RowWithoutIndicator, message, c);
                }
                true
            }
            Some(crate::normalize::RowLabel::Note) => true,
            Some(crate::normalize::RowLabel::Example) => {
                self.set_aside_row(args!["case" => "example", "label" => label.raw.trim()], cells);
                true
            }
            Some(crate::normalize::RowLabel::Placeholder) => {
                self.set_aside_row(args!["case" => "placeholder", "label" => label.raw.trim()], cells);
                true
            }
            None => false,
        }
    }

    /// An item whose title `mark` calls it a template's example (`(例)
    /// ○○システムの導入`): one `example_sheet` warning (`item`) at that cell,
    /// and none of the item's rows `first..=last` read; their cells are
    /// listed as `unmapped`, as an example sheet's are.
    pub fn set_aside_example_item(&mut self, mark: &Cell, (first, last): (u32, u32)) {
        let cells: usize = (first..=last).map(|r| self.grid.row(r).len()).sum();
        let message = args!["case" => "item", "label" => mark.raw.trim(), "cells" => cells];
        self.diag_cell(DiagCode::ExampleSheet, message, mark);
        self.example_rows.push((first, last));
    }

    /// Indicators read with values under a template's placeholder name that
    /// no table set aside (a KPI in a Saitama 目標 cell: `〔KPI〕○○率 R5：60%`):
    /// one `ambiguous_cell` warning (`placeholder-name`) each, at its name's
    /// cell, as the values may be a template's example.
    fn flag_placeholder_names(&mut self) {
        let out = &self.out;
        let named: Vec<(String, Provenance)> = out
            .indicators
            .iter()
            .filter(|i| self.vocab.is_placeholder(&i.indicator))
            .filter(|i| {
                out.observations
                    .iter()
                    .any(|o| o.initiative_no == i.initiative_no && o.indicator == i.indicator && o.at.sheet == i.at.sheet)
            })
            .map(|i| (i.indicator.clone(), i.at.clone()))
            .collect();
        for (name, at) in named {
            let raw = self.grid.cells().find(|c| c.a1() == at.cell).map(|c| c.raw.clone());
            let d = Diagnostic::new(
                DiagCode::AmbiguousCell,
                args!["case" => "placeholder-name", "name" => name],
                at,
                raw,
            );
            self.out.diagnostics.push(d);
        }
    }

    /// Whether row `r` is in an item set aside as an example.
    fn in_example_item(&self, r: u32) -> bool {
        self.example_rows.iter().any(|&(first, last)| (first..=last).contains(&r))
    }

    /// A template's row (an example, a ○○ placeholder name) set aside: each
    /// cell a `row_without_indicator` warning with `message`.
    pub fn set_aside_row(&mut self, message: Args, cells: &[Cell]) {
        for c in cells {
            self.diag_cell(DiagCode::RowWithoutIndicator, message.clone(), c);
        }
    }

    /// A row that holds only a name without a number, under numbered
    /// indicators, with no value: the rest of the name above it (after the
    /// last indicator, where that cannot be told) or a title. An
    /// `ambiguous_row` warning, and no indicator is made of it.
    pub fn name_only_row(&mut self, cell: &Cell, numbered_above: bool) -> bool {
        let lone = self.row(cell.row).len() == 1;
        if !(lone && numbered_above && self.wraps_name(cell, cell.col)) {
            return false;
        }
        self.diag_cell(DiagCode::AmbiguousRow, args!["case" => "name-only"], cell);
        true
    }

    /// A cell that may be the rest of a name above it: text in `col` that is
    /// no indicator number, value, status word or footnote.
    fn wraps_name(&self, cell: &Cell, col: u32) -> bool {
        let raw = cell.raw.trim();
        cell.col == col
            && matches!(cell.value, CellValue::Text)
            && self.vocab.parse_numbered_indicator(raw).is_none()
            && self.vocab.parse_value(raw).status == Status::Text
            && !self.vocab.is_footnote(raw)
            && self.vocab.row_label(raw).is_none()
    }

    /// A cell's value, unit and status, using its type and number format where typed.
    pub fn parse(&self, cell: &Cell) -> Parsed {
        match &cell.value {
            CellValue::Number(v) => self.vocab.parse_typed(*v, cell.format.as_deref()),
            _ => self.vocab.parse_value(&cell.raw),
        }
    }

    /// The figures a text cell ends in, set apart by wide gaps, when they are
    /// two or more (`③交付率　13.0%　67.7%`, `13.0%  67.7%`): a row of values
    /// in one cell, its tabs made spaces by a PDF's extraction. Never a
    /// heading, a title or prose, and no table reads it: said as such.
    pub(crate) fn spaced_figures(&self, cell: &Cell) -> Option<usize> {
        if !matches!(cell.value, CellValue::Text) {
            return None;
        }
        let pieces = wide_gap_pieces(cell.raw.trim());
        let figures = pieces
            .iter()
            .rev()
            .map(|p| (self.vocab.parse_value(p), self.vocab.parse_period(p).is_some()))
            .take_while(|(p, period)| (p.value.is_some() && !period) || p.status == Status::Blank)
            .filter(|(p, _)| p.value.is_some())
            .count();
        (figures >= 2).then_some(figures)
    }

    /// A number, a number with a unit, a percentage or a status word (集計中,
    /// 実施なし, …削除): what a value cell holds, unlike headings and prose.
    /// Above the first item (front matter: a cover, an index of items) a bare
    /// integer is list numbering, not a value.
    fn is_value_like(&self, cell: &Cell) -> bool {
        if self.holds_kpis(cell) {
            return true;
        }
        let p = self.parse(cell);
        if matches!(p.status, Status::Pending | Status::NotDone | Status::Deleted) {
            return true;
        }
        let Some(v) = p.value else { return false };
        // A period label (1四半期, R5) is a header; a number, a space and words
        // (1 改革の名前) is a numbered heading.
        let text = cell.raw.trim();
        if matches!(cell.value, CellValue::Text)
            && (self.vocab.parse_period(text).is_some() || (p.unit.is_some() && text.contains(char::is_whitespace)))
        {
            return false;
        }
        let in_item = self.first_item_row.is_some_and(|first| cell.row >= first);
        let bare_integer = p.unit.is_none() && v.fract() == 0.0 && !cell.raw.contains('.');
        in_item || !bare_integer
    }

    /// Whether the cell's text holds one of the layout's KPI markers
    /// (`〔KPI〕`, `【KPI】`): the cheap question before [`Self::holds_kpis`]
    /// for prose that is no KPI field.
    pub(crate) fn names_kpi_marker(&self, cell: &Cell) -> bool {
        self.kpi_syntaxes.iter().any(|s| {
            std::iter::once(&s.marker)
                .chain(&s.other_markers)
                .any(|m| !m.is_empty() && cell.raw.contains(m.as_str()))
        })
    }

    /// Whether the cell's text holds KPIs with values in one of the layout's
    /// syntaxes, with their marker or without it (`R5：65%` after a marker cell).
    pub(crate) fn holds_kpis(&self, cell: &Cell) -> bool {
        self.kpi_syntaxes.iter().any(|syntax| {
            let (_, kpis) = crate::normalize::parse_inline_kpis(&cell.raw, syntax, self.vocab);
            kpis.iter().any(|k| !k.entries.is_empty()) || crate::normalize::has_unmarked_kpis(&cell.raw, syntax, self.vocab)
        })
    }

    /// Struck-through cells a table read as values: an `ambiguous_cell`
    /// warning (`struck`) each, since a division strikes a figure out to void
    /// it as often as for any other reason; the value stays in the tables.
    fn flag_struck(&mut self) {
        let grid = self.grid;
        for &(row, col) in &grid.struck {
            let Some(cell) = grid.get(row, col) else { continue };
            let read = self.consumed.contains(&(row, col)) && !self.diagnosed.contains(&(row, col));
            if read && self.parse(cell).value.is_some() {
                self.note(DiagCode::AmbiguousCell, args!["case" => "struck"], cell);
            }
        }
    }

    /// Hidden rows a table read values from: one `ambiguous_row` warning
    /// (`hidden`) each, at the row's first cell, since a division hides an
    /// old row (`④旧：…`) as often as it hides one for layout; the values
    /// stay in the tables.
    fn flag_hidden_rows(&mut self) {
        let grid = self.grid;
        for &r in &grid.hidden_rows {
            let values = grid
                .row(r)
                .iter()
                .filter(|c| self.consumed.contains(&(c.row, c.col)) && !self.diagnosed.contains(&(c.row, c.col)))
                .filter(|c| self.parse(c).value.is_some())
                .count();
            if let (true, Some(first)) = (values > 0, grid.row(r).first()) {
                self.note(DiagCode::AmbiguousRow, args!["case" => "hidden", "cells" => values], first);
            }
        }
    }

    /// Hidden columns a table read values from: one `ambiguous_column`
    /// warning (`hidden`) each, at the column's top cell, naming the first
    /// and last cell read, since a division hides an earlier year or a first
    /// target (`目標値（当初）`) as often as a helper column; the values stay
    /// in the tables, as those of hidden rows do. A cell counts when an
    /// output row was read from it: the column's own header (`4四半期`)
    /// parses as a number, so the hidden-row test would count it.
    fn flag_hidden_cols(&mut self) {
        let grid = self.grid;
        if grid.hidden_cols.is_empty() {
            return;
        }
        let hidden = |c: u32| grid.hidden_cols.iter().any(|&(first, last)| (first..=last).contains(&c));
        let read = self.cells_read_into_rows();
        // Column → (top cell, the cells read), row-major order.
        let mut cols: BTreeMap<u32, (&Cell, Vec<&Cell>)> = BTreeMap::new();
        for cell in grid.cells().filter(|c| hidden(c.col)) {
            let (_, cells) = cols.entry(cell.col).or_insert((cell, Vec::new()));
            if read.contains(cell.a1().as_str()) {
                cells.push(cell);
            }
        }
        for (top, cells) in cols.into_values() {
            let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
                continue;
            };
            let column = crate::source::grid::col_letters(top.col);
            let args = args!["case" => "hidden", "cells" => cells.len(), "column" => column, "first" => first.a1(), "last" => last.a1()];
            self.note(DiagCode::AmbiguousColumn, args, top);
        }
    }

    /// The cells (A1) this sheet's observations, schedule rows, printed
    /// achievements and evaluation counts were read from.
    fn cells_read_into_rows(&self) -> HashSet<String> {
        let out = &self.out;
        let at = out.observations.iter().map(|o| &o.at);
        let at = at.chain(out.schedule.iter().map(|s| &s.at));
        let at = at.chain(out.printed_achievements.iter().map(|p| &p.at));
        let at = at.chain(out.evaluation_counts.iter().map(|e| &e.at));
        at.map(|p| p.cell.clone()).collect()
    }

    /// Cells no table used and no diagnostic named become `unmapped` diagnostics.
    fn account_unmapped(&mut self) {
        self.flag_struck();
        self.flag_hidden_rows();
        self.flag_hidden_cols();
        let grid = self.grid;
        for cell in grid.cells() {
            let key = (cell.row, cell.col);
            if self.consumed.contains(&key) || self.diagnosed.contains(&key) {
                continue;
            }
            let spaced = self.loud.then(|| self.spaced_figures(cell)).flatten();
            let (code, message) = match (formula_problem(cell, true), spaced) {
                (Some(args), _) => (DiagCode::FormulaError, args),
                (None, Some(n)) => (DiagCode::AmbiguousCell, args!["case" => "spaced-figures", "figures" => n]),
                _ if self.loud && !self.in_example_item(cell.row) && self.is_value_like(cell) => {
                    self.value_cells_unread += 1;
                    (DiagCode::UnmappedValue, args![])
                }
                _ => (DiagCode::Unmapped, args![]),
            };
            let d = Diagnostic::new(code, message, self.at(cell), Some(cell.raw.clone()));
            self.out.diagnostics.push(d);
        }
    }
}

/// Text split at its wide gaps: runs of spaces that hold a full-width space
/// or are two long, as PDF extraction leaves between cells. `text` is trimmed.
fn wide_gap_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    // The open run of spaces: where it starts, its length, a full-width one in it.
    let mut gap: Option<(usize, usize, bool)> = None;
    for (i, c) in text.char_indices() {
        if c == ' ' || c == '\u{3000}' {
            let g = gap.get_or_insert((i, 0, false));
            g.1 += 1;
            g.2 |= c != ' ';
        } else if let Some((at, len, wide)) = gap.take()
            && (wide || len >= 2)
        {
            pieces.push(&text[start..at]);
            start = i;
        }
    }
    pieces.push(&text[start..]);
    pieces
}

/// The `formula_error` arguments for a cell whose formula gave no value (an
/// error such as `#DIV/0!`, or no result saved); `unread` when no table reads it.
pub fn formula_problem(cell: &Cell, unread: bool) -> Option<Args> {
    match &cell.value {
        CellValue::Uncomputed => Some(args!["case" => "uncomputed"]),
        CellValue::Error(e) if unread => Some(args!["case" => "unread", "error" => e]),
        CellValue::Error(_) => Some(args!["case" => "value"]),
        _ => None,
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
                    "{}: test '{}': no observation {} FY{} {} {} = {} {}",
                    layout.file.display(),
                    case.name,
                    e.indicator,
                    e.fiscal_year.map_or_else(|| "(none)".to_string(), |y| y.to_string()),
                    e.period,
                    e.kind,
                    e.value.map_or_else(|| "(no value)".to_string(), |v| v.to_string()),
                    e.unit.as_deref().unwrap_or("")
                ));
            }
        }
    }
    failures
}

/// Text from a PDF gives every line of a table as many fields as its header
/// lines, empty cells included. The field count of such a table: its header
/// lines have one count and at least half its body lines have it too (a line
/// broken in two leaves two of four), and one of its lines of that count ends
/// in an empty field. Text typed by hand or saved without trailing empty
/// fields varies line by line, and has none.
pub(crate) fn padded_text_width(sheet: &Sheet, header_rows: &[u32], body: impl Iterator<Item = u32>) -> Option<u32> {
    let mut counts = header_rows.iter().map(|&h| sheet.grid.fields_on_line(h));
    let width = counts.next()??;
    if !counts.all(|c| c == Some(width)) {
        return None;
    }
    // A line that ends in an empty field shows that the text keeps them.
    let ends_empty = |r: u32| sheet.grid.row(r).last().is_some_and(|c| c.col + 1 < width);
    let (mut same, mut lines, mut kept) = (0, 0, header_rows.iter().any(|&h| ends_empty(h)));
    for r in body.filter(|&r| !sheet.is_blank(r)) {
        lines += 1;
        if sheet.grid.fields_on_line(r) == Some(width) {
            same += 1;
            kept |= ends_empty(r);
        }
    }
    (kept && same * 2 >= lines).then_some(width)
}

/// A line of a padded text table ([`padded_text_width`]) with fewer fields
/// lost an empty cell; one with more gained one (a value split from its unit,
/// an empty field added). Either way the values after it sit one column off,
/// and where cannot be told.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Misaligned {
    Short(u32),
    Long(u32),
}

impl Misaligned {
    /// Line `row` of a table whose lines have `width` fields, when it has another count.
    pub fn of(sheet: &Sheet, width: Option<u32>, row: u32) -> Option<Self> {
        let (width, fields) = (width?, sheet.grid.fields_on_line(row)?);
        match fields.cmp(&width) {
            std::cmp::Ordering::Less => Some(Misaligned::Short(width)),
            std::cmp::Ordering::Greater => Some(Misaligned::Long(width)),
            std::cmp::Ordering::Equal => None,
        }
    }

    /// The `ambiguous_cell` arguments for each value of the line.
    pub fn args(self) -> Args {
        match self {
            Misaligned::Short(w) => args!["case" => "row-short", "fields" => w],
            Misaligned::Long(w) => args!["case" => "row-long", "fields" => w],
        }
    }
}

/// A value cell that holds a number but was read as text, kept as text and
/// said, since no evaluation notices a baseline or a quarter's actual: a
/// baseline with any digit (`7.0%（R2）`, `R2:235件`), any value that starts
/// with one (`３４、５%`, a decimal typed with 、), any other holding one.
pub(crate) fn flag_number_as_text(sheet: &mut Sheet, kind: crate::model::Kind, p: &Parsed, cell: &Cell) {
    if p.status != crate::normalize::Status::Text || !has_digit(&cell.raw) {
        return;
    }
    let folded = crate::normalize::fold_ascii_width(&cell.raw);
    if kind == crate::model::Kind::Baseline {
        sheet.note(DiagCode::AmbiguousCell, args!["case" => "baseline-as-text"], cell);
    } else if folded.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        sheet.note(DiagCode::AmbiguousCell, args!["case" => "number-as-text"], cell);
    } else {
        // `R5.12末時点 88.7%`: a figure behind words; an evaluation would
        // otherwise take an earlier quarter's number without a word.
        sheet.note(DiagCode::AmbiguousCell, args!["case" => "number-in-text"], cell);
    }
}

/// A digit in the text, full-width ones included (`２３５件`): a figure,
/// read or not.
pub(crate) fn has_digit(text: &str) -> bool {
    crate::normalize::fold_ascii_width(text).chars().any(|c| c.is_ascii_digit())
}

/// A word where an indicator's numbers go (未定, 検討中, ○), not a status
/// word of the vocabulary (集計中, —): kept as typed, and said, as no
/// evaluation notices a baseline's or a quarter's. A number in the text is
/// [`flag_number_as_text`]'s.
pub(crate) fn flag_word_as_value(sheet: &mut Sheet, p: &Parsed, cell: &Cell) {
    if p.status == Status::Text && !has_digit(&cell.raw) {
        sheet.note(
            DiagCode::AmbiguousCell,
            args!["case" => "word-as-value", "value" => cell.raw.trim()],
            cell,
        );
    }
}

/// Each word (未定, TRUE, ／) among values of one indicator of which at
/// least one is a number, said as [`flag_word_as_value`] says a DX table's;
/// an indicator of words only (a phase: 方針の検討) is text by design.
pub(crate) fn flag_words_among_numbers<'c>(sheet: &mut Sheet, values: impl Iterator<Item = (&'c Cell, &'c Parsed)> + Clone) {
    if values.clone().any(|(_, p)| p.value.is_some()) {
        for (cell, p) in values {
            flag_word_as_value(sheet, p, cell);
        }
    }
}

/// Typing slips a row's other values give away, each kept as read with an
/// `ambiguous_cell` warning: [`flag_fractions_among_percents`],
/// [`flag_bare_among_units`], [`flag_unit_differs`] and [`flag_period_for_comma`].
pub(crate) fn flag_row_slips<'c>(sheet: &mut Sheet, row: impl Iterator<Item = (&'c Cell, &'c Parsed)> + Clone) {
    flag_fractions_among_percents(sheet, row.clone());
    flag_bare_among_units(sheet, row.clone());
    flag_unit_differs(sheet, row.clone());
    flag_period_for_comma(sheet, row);
}

/// `1,360件件`, `1,360件/年` in a row whose other values mostly carry one
/// unit (600件, 1,266件), or `86.2件` among percentages: words the vocabulary
/// does not know after the value, or a slip, read as part of its unit. Kept as read, with an `ambiguous_cell` warning
/// (`unit-differs`): an evaluation compares only a target and an actual of
/// one year, so a quarter's actual or a baseline would pass unnoticed.
fn flag_unit_differs<'c>(sheet: &mut Sheet, row: impl Iterator<Item = (&'c Cell, &'c Parsed)> + Clone) {
    let Some(usual) = usual_unit(row.clone().map(|(_, p)| p)) else {
        return;
    };
    for (cell, p) in row {
        if let Some(unit) = odd_unit(p, usual) {
            let message = args!["case" => "unit-differs", "value" => cell.raw.trim(), "unit" => unit, "other" => usual];
            sheet.note(DiagCode::AmbiguousCell, message, cell);
        }
    }
}

/// The unit most of the values carry: at least two, and more than carry any
/// other. A % is never odd (a row of counts may print an achievement rate),
/// but a count among percentages is.
pub(crate) fn usual_unit<'p>(values: impl Iterator<Item = &'p Parsed>) -> Option<&'p str> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    let units = values.filter(|p| p.value.is_some()).filter_map(|p| p.unit.as_deref());
    for u in units {
        match counts.iter_mut().find(|(seen, _)| *seen == u) {
            Some((_, n)) => *n += 1,
            None => counts.push((u, 1)),
        }
    }
    counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    match counts[..] {
        [(usual, most)] if most >= 2 => Some(usual),
        [(usual, most), (_, next), ..] if most >= 2 && next < most => Some(usual),
        _ => None,
    }
}

/// A value's unit when it is neither `usual` nor %.
pub(crate) fn odd_unit<'p>(p: &'p Parsed, usual: &str) -> Option<&'p str> {
    p.value?;
    p.unit.as_deref().filter(|&u| u != usual && u != "%")
}

/// `809` with no unit (typed as text, or stored as text in a `#,##0"件"`
/// cell) in a row whose values other than percentages mostly carry one unit
/// (600件, 1,266件; [`usual_unit`]): that unit left off? Kept as read, with an
/// `ambiguous_cell` warning (`bare-among-units`). The row's achievement rates
/// (a DX progress row prints one per quarter) and a slip elsewhere in it
/// (`目標600件`) do not hide it; a row of percentages has its own checks.
fn flag_bare_among_units<'c>(sheet: &mut Sheet, row: impl Iterator<Item = (&'c Cell, &'c Parsed)> + Clone) {
    let counts = row.clone().map(|(_, p)| p).filter(|p| p.unit.as_deref() != Some("%"));
    let Some(unit) = usual_unit(counts) else { return };
    for (cell, p) in row {
        if p.unit.is_none() && p.value.is_some_and(|v| v != 0.0) {
            let message = args!["case" => "bare-among-units", "value" => cell.raw.trim(), "unit" => unit];
            sheet.note(DiagCode::AmbiguousCell, message, cell);
        }
    }
}

/// `1.360件` among whole numbers of the same unit in the hundreds or more
/// (696件, 1,081件): a period typed for the thousands comma, or a decimal?
/// Kept as written (1.36), with an `ambiguous_cell` warning
/// (`period-for-comma`); `88,7%`, the opposite slip, is already not a number.
fn flag_period_for_comma<'c>(sheet: &mut Sheet, row: impl Iterator<Item = (&'c Cell, &'c Parsed)> + Clone) {
    for (cell, p) in row.clone() {
        let (Some(v), Some(unit)) = (p.value, p.unit.as_deref()) else {
            continue;
        };
        if unit == "%" || !matches!(cell.value, CellValue::Text) || !period_then_three_digits(&cell.raw) {
            continue;
        }
        let others: Vec<f64> = row
            .clone()
            .filter(|(c, o)| !std::ptr::eq(*c, cell) && o.unit.as_deref() == Some(unit))
            .filter_map(|(_, o)| o.value)
            .collect();
        let whole = others.iter().all(|o| o.fract() == 0.0);
        let max = others.iter().copied().fold(0.0, f64::max);
        if others.len() >= 2 && whole && max >= 100.0 && v < 1000.0 {
            let thousands = crate::normalize::fold_ascii_width(cell.raw.trim()).replacen('.', ",", 1);
            let message = args!["case" => "period-for-comma", "value" => cell.raw.trim(), "thousands" => thousands];
            sheet.note(DiagCode::AmbiguousCell, message, cell);
        }
    }
}

/// `1.360`, `１．３６０件`: one to three digits, a period, then exactly three.
fn period_then_three_digits(raw: &str) -> bool {
    let folded = crate::normalize::fold_ascii_width(raw);
    let t = folded.trim();
    let int = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &t.as_bytes()[int..];
    let frac = rest.iter().skip(1).take_while(|b| b.is_ascii_digit()).count();
    (1..=3).contains(&int) && rest.first() == Some(&b'.') && frac == 3
}

/// A bare number between -1 and 1 (no unit) in a row whose other values
/// are percentages: 0.457 beside 34.3 % and 48.6 % is a ratio pasted as a
/// value, or 0.457 %? Kept as read, with an `ambiguous_cell` warning
/// (`fraction-among-percents`): only the evaluation asked before, and only
/// of the cells it uses. A bare number of the percentages' size (88.2 beside
/// 86.2 % and 88.7 %) left its percent off (`bare-among-percents`). And the
/// opposite slip: a number of 10 or more typed into a percent-formatted cell
/// (77.4 shows as 7740.0 %) among percentages a tenth of it or less
/// (`whole-in-percent-cell`), kept as the sheet shows it.
fn flag_fractions_among_percents<'c>(sheet: &mut Sheet, row: impl Iterator<Item = (&'c Cell, &'c Parsed)> + Clone) {
    let percents: Vec<f64> = row
        .clone()
        .filter(|(_, p)| p.unit.as_deref() == Some("%"))
        .filter_map(|(_, p)| p.value)
        .collect();
    if percents.len() < 2 {
        return;
    }
    for (cell, p) in row {
        if let (None, Some(v)) = (&p.unit, p.value)
            && v != 0.0
            && v.abs() < 1.0
        {
            let percent = crate::normalize::percent_of(v).to_string();
            let message = args!["case" => "fraction-among-percents", "value" => cell.raw.trim(), "percent" => percent];
            sheet.note(DiagCode::AmbiguousCell, message, cell);
        } else if let (None, Some(v)) = (&p.unit, p.value)
            && v.abs() >= 1.0
            && percents.iter().any(|&o| v <= o * 10.0 && v * 10.0 >= o)
        {
            // `88.2` typed General among `86.2%` and `88.7%`: the percent left off.
            let message = args!["case" => "bare-among-percents", "value" => cell.raw.trim()];
            sheet.note(DiagCode::AmbiguousCell, message, cell);
        } else if let (Some("%"), Some(v), CellValue::Number(typed)) = (p.unit.as_deref(), p.value, &cell.value)
            && v >= 1000.0
            && percents.iter().filter(|&&o| o != v).all(|&o| o * 10.0 < v)
        {
            // The opposite slip: 77.4 typed into a 0.0% cell shows 7740.0%.
            let message = args!["case" => "whole-in-percent-cell", "value" => v, "typed" => *typed];
            sheet.note(DiagCode::AmbiguousCell, message, cell);
        }
    }
}

/// A value merged over cells the table also reads as values (another year or
/// kind to its right, another indicator's row below it): the same target for
/// both years, or one for the two together? It is read for its own cell
/// only, and an `ambiguous_cell` warning (`merged-across`) names the region.
/// A merge over columns or rows the table does not read (a column drawn two
/// cells wide, an indicator two rows high) is one cell's width, not this.
pub(crate) fn flag_merged_value(sheet: &mut Sheet, cell: &Cell, p: &Parsed, is_value_col: impl Fn(u32) -> bool, label_col: u32) {
    if p.status == crate::normalize::Status::Blank {
        return;
    }
    let Some(m) = sheet.grid.merge_at(cell.row, cell.col) else {
        return;
    };
    let across = (m.first_col + 1..=m.last_col).any(&is_value_col);
    let down = (m.first_row + 1..=m.last_row).any(|r| sheet.grid.get(r, label_col).is_some());
    if across || down {
        let region = format!(
            "{}:{}",
            crate::source::a1(m.first_row, m.first_col),
            crate::source::a1(m.last_row, m.last_col)
        );
        sheet.note(DiagCode::AmbiguousCell, args!["case" => "merged-across", "region" => region], cell);
    }
}

/// `p` as an estimate when its column's header says so (実績見込み): a value
/// read cleanly becomes status approx; other statuses (集計中) stand.
pub(crate) fn estimated(p: &Parsed, estimate: bool) -> std::borrow::Cow<'_, Parsed> {
    use crate::normalize::Status;
    if !estimate || p.status != Status::Ok {
        return std::borrow::Cow::Borrowed(p);
    }
    std::borrow::Cow::Owned(Parsed {
        status: Status::Approx,
        ..p.clone()
    })
}

/// True when the parsed status says the indicator was removed.
pub(crate) fn is_deleted(p: &Parsed) -> bool {
    matches!(p.status, Status::Deleted)
}

/// Appends a wrapped line to text: Japanese runs on without a space, two
/// Latin words keep one between them.
fn join_wrapped(text: &mut String, more: &str) {
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if latin(text.chars().last()) && latin(more.chars().next()) {
        text.push(' ');
    }
    text.push_str(more);
}
