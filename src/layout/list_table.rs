//! KPI lists: one row per indicator, the item written once (merged down or
//! left blank below), columns found by their header labels, every other
//! header decoded by the vocabulary into fiscal year, kind and period.
//!
//! ```text
//!   実施項目        | 指標            | 基準値（R1） | 令和3年度 ───────── | … | 担当課
//!                  |                 |             | 目標値 | 実績値     | … |
//!   (1) 電子申請…   | ①…電子化率       | 7.0%        | 32.1%  | 28.3%     | … | 業務プロセス改革課
//!   (merged down)  | ②…電子化数       | 235件       | 600件  | 809件     | … |
//! ```

use std::collections::BTreeMap;

use super::fields::{ItemContext, split_number};
use super::{Sheet, SheetReport};
use crate::mapping::{Labels, Layout, ListTable};
use crate::model::{DiagCode, Initiative, Kind, args};
use crate::normalize::{HeaderMeaning, HeaderWord, Parsed, Status};
use crate::source::{Cell, CellValue};

/// What a column of the list holds (also what `suggest` drafts a column as).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Column {
    Item,
    Number,
    Indicator,
    Unit,
    Division,
    Goal,
    /// Each row's kind (区分: 目標 | 実績), the header giving years only.
    Kind,
    Value(HeaderMeaning),
}

/// Reads the list of the sheet; returns the first body row, or `None` when
/// the sheet has no header row with the indicator label.
pub fn read(sheet: &mut Sheet, layout: &Layout, t: &ListTable, report: &mut SheetReport) -> Option<u32> {
    let header = find_header(sheet, t)?;
    let (columns, last_header) = columns(sheet, t, header);
    let mut bands = side_by_side(columns);
    let body = last_header + 1;
    let mut row_years: Vec<Vec<u32>> = bands.iter().map(|b| row_year_columns(sheet, b, body)).collect();
    let mut lists: Vec<ListState> = bands.iter().map(|_| ListState::new(layout)).collect();
    let mut width = text_width(sheet, t, header, last_header);
    let mut top = header;
    let title = title_point(sheet, header);
    let mut r = body;
    while r < sheet.grid.height() {
        // The header again (a page's repeated header, or a second list below
        // the first with other years): the rows below it are read by it.
        if is_header_row(sheet, t, r) {
            let (again, last) = self::columns(sheet, t, r);
            width = text_width(sheet, t, r, last);
            top = r;
            bands = side_by_side(again);
            row_years = bands.iter().map(|b| row_year_columns(sheet, b, last + 1)).collect();
            lists.resize_with(bands.len().max(lists.len()), || ListState::new(layout));
            r = last + 1;
            continue;
        }
        for (k, band) in bands.iter().enumerate() {
            let model = RowModel {
                columns: band,
                row_years: &row_years[k],
                width,
                header: top,
                title,
            };
            read_row(sheet, t, &model, &mut lists[k], r);
        }
        r += 1;
    }
    for list in &mut lists {
        list.finish(sheet);
    }
    report
        .blocks
        .push(("list_table".into(), header, sheet.grid.height().saturating_sub(1)));
    Some(body)
}

/// The first row holding the indicator label as a whole cell.
fn find_header(sheet: &Sheet, t: &ListTable) -> Option<u32> {
    (0..sheet.grid.height()).find(|&r| is_header_row(sheet, t, r))
}

fn is_header_row(sheet: &Sheet, t: &ListTable, r: u32) -> bool {
    sheet.row(r).iter().any(|c| t.indicator.matches(&c.raw))
}

/// The point in time a title above the list gives (`指標の進捗一覧
/// （令和5年12月末時点）`): its fiscal year and month, unless it is the
/// fiscal year's end (then the year's actuals are full-year ones).
fn title_point(sheet: &Sheet, header: u32) -> Option<(i32, u32)> {
    let dated = (0..header).flat_map(|r| sheet.row(r)).find_map(|c| {
        if sheet.vocab.is_record_date(&c.raw) {
            return None; // 更新日：…: the document's date, not its figures'
        }
        let m = sheet.vocab.decode_header(&c.raw);
        Some((m.fiscal_year?, m.as_of_month?))
    });
    dated.filter(|&(_, month)| !crate::normalize::ends_fiscal_year(month))
}

/// A column of the title year's actuals with no point in time of its own
/// (`令和5年度 | 実績値` under a title dated 令和5年12月末時点) is as of the
/// title's date: the year was still running. Said once, at its header cell.
fn dated_by_title(sheet: &mut Sheet, meaning: HeaderMeaning, title: Option<(i32, u32)>, at: Option<&Cell>) -> HeaderMeaning {
    let Some((fy, month)) = title else { return meaning };
    let undated_actual = meaning.word == Some(HeaderWord::Value(Kind::Actual))
        && meaning.fiscal_year == Some(fy)
        && meaning.as_of_month.is_none()
        && meaning.part.is_none()
        && !meaning.undated_month
        && !meaning.estimate; // 実績見込: the year's expected full-year figure
    if !undated_actual {
        return meaning;
    }
    let dated = HeaderMeaning {
        as_of_month: Some(month),
        ..meaning
    };
    if let (Some(cell), Some(date)) = (at, dated.period().and_then(|p| p.as_of)) {
        let message = args!["column" => crate::source::grid::col_letters(cell.col), "fy" => fy, "date" => date.to_string()];
        sheet.note(DiagCode::AsOfFromTitle, message, cell);
    }
    dated
}

/// The role of every column, from the header row and the header bands below
/// it (up to two rows of headers or their notes, none in a key column: 実績値
/// over （12月末）), each band completing what the rows above leave open.
fn columns(sheet: &mut Sheet, t: &ListTable, header: u32) -> (BTreeMap<u32, Column>, u32) {
    let keys: [(&Labels, Column); 7] = [
        (&t.item, Column::Item),
        (&t.number, Column::Number),
        (&t.indicator, Column::Indicator),
        (&t.unit, Column::Unit),
        (&t.division, Column::Division),
        (&t.goal, Column::Goal),
        (&t.kind, Column::Kind),
    ];
    let mut out = BTreeMap::new();
    let top: Vec<Cell> = sheet.row(header).to_vec();
    for c in &top {
        if let Some(&(_, role)) = keys.iter().find(|(labels, _)| labels.matches(&c.raw)) {
            out.insert(c.col, role);
            sheet.take(c);
        }
    }
    let title = title_point(sheet, header);
    let mut bands: Vec<Vec<Cell>> = Vec::new();
    while bands.len() < 2 {
        let row: Vec<Cell> = sheet.row(header + 1 + bands.len() as u32).to_vec();
        // Value headers, or notes beside them ((年度末) under 目標値 | 実績値): no
        // key column, no number, and something a header names.
        let is_band = row.iter().any(|c| !sheet.vocab.decode_header(&c.raw).is_empty())
            && row.iter().all(|c| !out.contains_key(&c.col) && sheet.parse(c).value.is_none());
        if !is_band {
            break;
        }
        bands.push(row);
    }
    let is_band = !bands.is_empty();
    let mut last = header + bands.len() as u32;
    if take_column_numbers(sheet, &top, &bands, last + 1) {
        last += 1;
    }
    let body = (last + 1..sheet.grid.height()).take_while(|&r| !is_header_row(sheet, t, r));
    let doubt = super::list_header::check(sheet, header, &bands, &out, body);
    if let Some(d) = &doubt {
        say_doubt(sheet, &mut out, d);
    }
    // Value columns: every column a header cell (or a merged one) covers.
    let cols: Vec<u32> = top.iter().chain(bands.iter().flatten()).map(|c| c.col).collect();
    let width = cols.iter().max().copied().unwrap_or(0);
    for col in 0..=width {
        if out.contains_key(&col) || doubt.as_ref().is_some_and(|d| col >= d.from_col) {
            continue;
        }
        let upper = sheet
            .grid
            .get_merged(header, col)
            .cloned()
            .or_else(|| year_band_left(sheet, header, col, is_band));
        // A band's cell, or the one merged over it (令和3年度 over 目標値 | 実績値
        // when the kinds stand above the years).
        let lower: Vec<Cell> = (0..bands.len() as u32)
            .filter_map(|i| sheet.grid.get_merged(header + 1 + i, col).cloned())
            .collect();
        let decode = |c: &Cell| sheet.vocab.decode_header(&c.raw);
        // The lowest band first: each row above fills what it leaves open.
        let meaning = lower
            .iter()
            .rev()
            .chain(upper.iter())
            .map(decode)
            .reduce(HeaderMeaning::or)
            .unwrap_or_default();
        if meaning.word.is_none() && meaning.fiscal_year.is_none() {
            continue; // not a value column (備考 …): its cells stay unmapped
        }
        let meaning = dated_by_title(sheet, meaning, title, lower.first().or(upper.as_ref()));
        out.insert(col, Column::Value(meaning));
        for c in upper.iter().chain(lower.iter()) {
            sheet.take(c);
        }
    }
    (out, last)
}

/// A row right under the header that numbers its columns (`(1) | (2) | 3 |
/// … | 10`, `1 2 3 …`, `① ② ③ …`, `ア イ ウ …`, as Japanese forms print):
/// no indicator, and none of its numbers a value. Taken as part of the
/// header, with a `column_number_row` note; the list's body starts below it.
fn take_column_numbers(sheet: &mut Sheet, top: &[Cell], bands: &[Vec<Cell>], r: u32) -> bool {
    let row: Vec<Cell> = sheet.row(r).to_vec();
    let header_cols = top.iter().chain(bands.iter().flatten()).map(|c| c.col).max().map_or(0, |c| c + 1);
    let numbers: Option<Vec<u32>> = row.iter().map(|c| column_number(sheet, c)).collect();
    let Some(numbers) = numbers else { return false };
    let consecutive = numbers.windows(2).all(|w| w[1] == w[0] + 1);
    // Most of the header's columns numbered, three at least: not a stray figure.
    if !consecutive || numbers.len() < 3 || (numbers.len() as u32) * 2 <= header_cols {
        return false;
    }
    for c in &row {
        sheet.take(c);
    }
    let (first, last) = (&row[0], &row[row.len() - 1]);
    let message = args!["first" => first.a1(), "last" => last.a1()];
    sheet.note(DiagCode::ColumnNumberRow, message, first);
    true
}

/// The number a cell gives its column: a whole number (`3`, full width too),
/// one in brackets (`(1)`), a circled one (`①`) or a letter of the
/// vocabulary's sequence markers (`ア` = 1).
fn column_number(sheet: &Sheet, cell: &Cell) -> Option<u32> {
    if let CellValue::Number(v) = cell.value {
        return (v.fract() == 0.0 && (1.0..=999.0).contains(&v)).then_some(v as u32);
    }
    let folded = crate::normalize::fold_ascii_width(cell.raw.trim());
    let inner = folded.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or(&folded).trim();
    if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) {
        return inner.parse().ok().filter(|&n| n > 0);
    }
    let mut chars = inner.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    let letter = crate::normalize::fold_char(c);
    crate::normalize::is_circled_number(c).or_else(|| {
        let k = sheet.vocab.sequence_markers.iter().position(|&m| m == letter)?;
        Some(k as u32 + 1)
    })
}

/// A header whose labels are out of line ([`super::list_header`]): one
/// `ambiguous_column` warning at the header, and no column from the doubt's
/// on is read by it (nor a key column there, when the key labels' line is
/// the one that slipped): each value is then listed as unread.
fn say_doubt(sheet: &mut Sheet, keys: &mut BTreeMap<u32, Column>, doubt: &super::list_header::Doubt) {
    if doubt.keys_off {
        keys.retain(|&col, role| col < doubt.from_col || matches!(role, Column::Item | Column::Number | Column::Indicator));
    }
    sheet.diag_cell(DiagCode::AmbiguousColumn, doubt.args.clone(), &doubt.at);
}

/// The header's columns as one list per indicator column: two lists set side
/// by side (items (1)–(4) at A, (5)–(10) at L, each with its header) are read
/// as two, each row's values under its own list's indicator. Each list after
/// the first starts at its item or number column (else its indicator column).
fn side_by_side(columns: BTreeMap<u32, Column>) -> Vec<BTreeMap<u32, Column>> {
    let indicators: Vec<u32> = columns
        .iter()
        .filter(|(_, c)| **c == Column::Indicator)
        .map(|(&col, _)| col)
        .collect();
    if indicators.len() < 2 {
        return vec![columns];
    }
    let starts: Vec<u32> = indicators
        .windows(2)
        .map(|w| {
            columns
                .range(w[0] + 1..=w[1])
                .find(|(_, c)| matches!(c, Column::Item | Column::Number))
                .map_or(w[1], |(&col, _)| col)
        })
        .collect();
    let mut bands: Vec<BTreeMap<u32, Column>> = vec![BTreeMap::new(); starts.len() + 1];
    for (col, role) in columns {
        let k = starts.iter().filter(|&&s| col >= s).count();
        bands[k].insert(col, role);
    }
    bands
}

/// In text (merges lost) a label stands over the first column of its band
/// only: an empty top cell over a second-band header belongs to the nearest
/// label to its left that names a year but no kind (令和3年度 over 目標値 | 実績値)
/// or a kind but no year (目標値 over R3 | R4 | R5).
fn year_band_left(sheet: &Sheet, header: u32, col: u32, is_band: bool) -> Option<Cell> {
    if !is_band || sheet.grid.get(header + 1, col).is_none() {
        return None;
    }
    let left = sheet.row(header).iter().rev().find(|c| c.col < col)?;
    let m = sheet.vocab.decode_header(&left.raw);
    (m.fiscal_year.is_some() != m.word.is_some()).then(|| left.clone())
}

/// Columns that hold each row's year rather than a value (基準年度: R1,
/// 2019年度): the header names a kind but no year, and every non-blank cell
/// under it is a fiscal year written as text.
fn row_year_columns(sheet: &Sheet, columns: &BTreeMap<u32, Column>, body: u32) -> Vec<u32> {
    let is_year = |c: &Cell| !matches!(c.value, CellValue::Number(_)) && sheet.vocab.parse_fiscal_year(&c.raw).is_some();
    let is_blank = |c: &Cell| sheet.vocab.parse_value(&c.raw).status == crate::model::Status::Blank;
    columns
        .iter()
        .filter(|(_, role)| matches!(role, Column::Value(m) if m.fiscal_year.is_none() && m.word.is_some()))
        .map(|(&col, _)| col)
        .filter(|&col| {
            let cells: Vec<&Cell> = (body..sheet.grid.height())
                .filter_map(|r| sheet.grid.get(r, col))
                .filter(|c| !is_blank(c))
                .collect();
            !cells.is_empty() && cells.iter().all(|c| is_year(c))
        })
        .collect()
}

/// A value column whose header names a kind but no year (基準値) takes the
/// year its row writes in a year column of the same kind (基準年度), the
/// nearest to its left, else to its right; the year cells are structure,
/// taken. A year column of another kind says nothing of it: 目標年度 R7 is
/// the final target's year, not the baseline's.
fn with_row_year(sheet: &mut Sheet, values: Vec<(Cell, HeaderMeaning)>, year_cols: &[u32]) -> Vec<(Cell, HeaderMeaning)> {
    if year_cols.is_empty() {
        return values;
    }
    let years: Vec<(u32, Option<HeaderWord>, Option<i32>)> = values
        .iter()
        .filter(|(c, _)| year_cols.contains(&c.col))
        .map(|(c, m)| (c.col, m.word, sheet.vocab.parse_fiscal_year(&c.raw)))
        .collect();
    let mut out = Vec::new();
    for (c, mut m) in values {
        if year_cols.contains(&c.col) {
            sheet.take(&c);
            continue;
        }
        if m.fiscal_year.is_none() && m.word.is_some() {
            let same = || years.iter().filter(|y| y.1 == m.word);
            let left = same().filter(|y| y.0 < c.col).max_by_key(|y| y.0);
            let right = same().filter(|y| y.0 > c.col).min_by_key(|y| y.0);
            m.fiscal_year = left.or(right).and_then(|y| y.2);
        }
        out.push((c, m));
    }
    out
}

/// The items read so far and the one being read.
struct ListState<'l> {
    layout: &'l Layout,
    item: Option<(Initiative, ItemContext)>,
    goal: Option<String>,
    /// The heading that set `goal`, taken only once an item starts under it:
    /// a one-cell row after the last item (a note, a stray figure) is not a
    /// heading of anything, and is left for the diagnostics.
    heading: Option<Cell>,
    /// Where the item's observations start in the sheet's output: a title
    /// found to go on in the next row is mended in them too.
    first_observation: usize,
    /// The indicator the rows below continue, in a list with a kind column.
    kind_rows: Option<KindRows>,
    /// Columns whose title date has been said ([`dated_by_title`]).
    dated_cols: Vec<u32>,
}

/// The indicator of the last row with a name and a kind cell (区分: 目標):
/// the rows below it with a kind cell and no name (実績) are its.
struct KindRows {
    idx: usize,
    /// The indicator name's column.
    name_col: u32,
    /// The unit of its row (a 単位 cell, or the name's `（%）`).
    unit: Option<String>,
    /// The kinds its rows have given.
    kinds: Vec<HeaderWord>,
}

impl<'l> ListState<'l> {
    fn new(layout: &'l Layout) -> Self {
        ListState {
            layout,
            item: None,
            goal: None,
            heading: None,
            first_observation: 0,
            kind_rows: None,
            dated_cols: Vec::new(),
        }
    }

    /// An item cell with no number under a numbered item, in a row whose
    /// indicator carries on that item's numbering (② after ①): the rest of
    /// the item's title, wrapped into the next row's cell
    /// (`(1) 電子申請受付システム、` | `マイナンバーカード活用`), not an item of its
    /// own. Joined to the title, with an `ambiguous_row` note (`title-wrapped`).
    fn continues_title(&mut self, sheet: &mut Sheet, cell: &Cell, indicator_no: Option<i32>) -> bool {
        let Some((_, ctx)) = self.item.as_ref() else { return false };
        let last_no = ctx.indicators.last().and_then(|i| i.indicator_no);
        let carries_on = matches!((last_no, indicator_no), (Some(a), Some(b)) if b == a + 1);
        carries_on && self.join_title(sheet, cell)
    }

    /// A lone cell in the item column right under the item's own cell
    /// (`(1) 電子申請受付システム、マイナンバ` | `ーカード活用`, a line break in PDF
    /// text): the rest of its title, joined as [`Self::continues_title`] joins
    /// it, the cell taken. Read as a heading, it became the next item's goal.
    fn title_goes_on(&mut self, sheet: &mut Sheet, columns: &BTreeMap<u32, Column>, cell: &Cell) -> bool {
        let Some((item, _)) = self.item.as_ref() else { return false };
        let under = cell.row > 0 && item.at.cell == crate::source::a1(cell.row - 1, cell.col);
        if !under || !matches!(columns.get(&cell.col), Some(Column::Item)) || !self.join_title(sheet, cell) {
            return false;
        }
        sheet.take(cell);
        true
    }

    /// Joins `cell`'s text to the item's title, when it has no number of its
    /// own and the item has one; said as an `ambiguous_row` note (`title-wrapped`).
    fn join_title(&mut self, sheet: &mut Sheet, cell: &Cell) -> bool {
        let Some((item, ctx)) = self.item.as_mut() else { return false };
        let (no, rest) = split_number(self.layout, cell.raw.trim());
        if !no.is_empty() || item.initiative_no.is_empty() {
            return false;
        }
        let old = std::mem::take(&mut item.initiative);
        item.initiative = format!("{old}{rest}");
        ctx.initiative.clone_from(&item.initiative);
        for i in &mut ctx.indicators {
            i.initiative.clone_from(&item.initiative);
        }
        for o in sheet.out.observations.iter_mut().skip(self.first_observation) {
            if o.initiative == old && o.initiative_no == item.initiative_no {
                o.initiative.clone_from(&item.initiative);
            }
        }
        let message = args!["case" => "title-wrapped", "title" => item.initiative.as_str()];
        sheet.note(DiagCode::AmbiguousRow, message, cell);
        true
    }

    /// Starts the item whose cell is `cell` (`(1) 電子申請…`).
    /// The item written again on each of its rows (a list unmerged to be
    /// filtered) goes on: only a different number or title starts another.
    fn start(&mut self, sheet: &mut Sheet, cell: &Cell, number: Option<(Cell, String)>) {
        let (split_no, title) = split_number(self.layout, cell.raw.trim());
        // A No. column that counts rows (1, 2, 3 …) beside titles carrying
        // their own number (`(2) 県への…`): the title's number is the item's,
        // the one its per-item sheet has.
        let differs = number.as_ref().filter(|(_, n)| !split_no.is_empty() && *n != split_no);
        let no = match &number {
            Some((_, n)) if differs.is_none() => n.clone(),
            _ => split_no.clone(),
        };
        if self
            .item
            .as_ref()
            .is_some_and(|(item, _)| item.initiative_no == no && item.initiative == title)
        {
            return;
        }
        if let Some((no_cell, n)) = differs {
            let message = args!["case" => "item-number", "column" => n.as_str(), "title" => split_no.as_str()];
            sheet.note(DiagCode::AmbiguousRow, message, no_cell);
        }
        if number.is_none() {
            super::fields::say_unread_number(sheet, self.layout, &split_no, &title, cell);
        }
        self.finish(sheet);
        if let Some(heading) = self.heading.take() {
            sheet.take(&heading);
        }
        let item = Initiative {
            plan: self.layout.plan.clone(),
            goal: self.goal.clone(),
            initiative_no: no.clone(),
            initiative: title.clone(),
            at: sheet.at(cell),
            ..Default::default()
        };
        let ctx = ItemContext::new(&self.layout.plan, &no, &title);
        self.item = Some((item, ctx));
        self.first_observation = sheet.out.observations.len();
    }

    fn finish(&mut self, sheet: &mut Sheet) {
        self.kind_rows = None;
        if let Some((item, ctx)) = self.item.take() {
            ctx.finish(sheet);
            sheet.out.initiatives.push(item);
        }
    }
}

/// The cell of column `role` in row `r`, or the origin of a merged region covering it.
fn key_cell(sheet: &Sheet, columns: &BTreeMap<u32, Column>, role: Column, r: u32) -> Option<(Cell, bool)> {
    let (&col, _) = columns.iter().find(|(_, c)| **c == role)?;
    if let Some(c) = sheet.grid.get(r, col) {
        return Some((c.clone(), true));
    }
    sheet.grid.get_merged(r, col).map(|c| (c.clone(), false))
}

/// How a row of a list is read.
struct RowModel<'m> {
    columns: &'m BTreeMap<u32, Column>,
    /// Columns holding each row's year ([`row_year_columns`]).
    row_years: &'m [u32],
    /// The field count of the list's text lines ([`text_width`]).
    width: Option<u32>,
    /// The header's top row.
    header: u32,
    /// The point in time the title gives ([`title_point`]).
    title: Option<(i32, u32)>,
}

/// Reads row `r` by its list's columns, row-year columns and text width.
fn read_row(sheet: &mut Sheet, t: &ListTable, model: &RowModel, list: &mut ListState, r: u32) {
    let RowModel {
        columns, row_years, width, ..
    } = *model;
    if sheet.is_blank(r) || sheet.row(r).iter().all(|c| sheet.is_taken(c)) {
        return; // blank, or the rest of the indicator name above
    }
    if let [cell] = sheet.row(r)
        && sheet.vocab.is_footnote(&cell.raw)
    {
        return; // a note under or inside the list (※ …): left unmapped, not a heading or an item
    }
    if let Some(label) = example_cell(sheet, columns, r) {
        // A template's example row (（記入例）| ①○○件数 | 10件 …): no item, no indicator.
        let row: Vec<Cell> = sheet.row(r).iter().filter(|c| !sheet.is_taken(c)).cloned().collect();
        sheet.not_an_indicator(&label, &row);
        if matches!(columns.get(&label.col), Some(Column::Item)) {
            // An example item ends the item above: rows below it with no
            // item cell of their own are the example's, not that item's.
            list.finish(sheet);
        }
        return;
    }
    if let Some(heading) = heading(sheet, list.layout, columns, r) {
        if list.title_goes_on(sheet, columns, &heading) {
            return;
        }
        // 目標1 … / Ⅰ … written across the list above its items: a group, not an item.
        list.goal = Some(heading.raw.trim().to_string());
        list.heading = Some(heading);
        return;
    }
    if let Some((goal, own)) = key_cell(sheet, columns, Column::Goal, r)
        && own
    {
        sheet.take(&goal);
        list.goal = Some(goal.raw.trim().to_string());
    }
    let number = key_cell(sheet, columns, Column::Number, r).filter(|(_, own)| *own).map(|(c, _)| {
        sheet.take(&c);
        let n = super::fields::item_number(&c.raw);
        (c, n)
    });
    let (number, own_marker) = indicator_number_cell(sheet, number);
    // A new item where the item column has a cell of its own; merged or blank below it, the same item.
    // A figure there with no indicator beside it (1,234件 under the list) is
    // no item: left for the diagnostics as a value no table read.
    let indicator_in_row = key_cell(sheet, columns, Column::Indicator, r).is_some_and(|(_, own)| own);
    if let Some((cell, true)) = key_cell(sheet, columns, Column::Item, r)
        && (indicator_in_row || !is_figure(sheet, &cell))
    {
        sheet.take(&cell);
        let indicator_no = key_cell(sheet, columns, Column::Indicator, r)
            .filter(|(_, own)| *own)
            .and_then(|(c, _)| sheet.vocab.parse_indicator_marker(&c.raw))
            .map(|(n, _)| n as i32)
            .or(own_marker);
        if number.is_some() || !list.continues_title(sheet, &cell, indicator_no) {
            list.start(sheet, &cell, number);
        }
    }
    let misaligned = misaligned(sheet, columns, width, r);
    if misaligned.is_none()
        && let Some((div, true)) = key_cell(sheet, columns, Column::Division, r)
        && !not_a_division(sheet, &div)
        && let Some((item, _)) = list.item.as_mut()
    {
        sheet.take(&div);
        let names: Vec<String> = match &t.division_split {
            Some(re) => re
                .split(div.raw.trim())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            None => vec![div.raw.trim().to_string()],
        };
        for n in names {
            if !item.divisions.contains(&n) {
                item.divisions.push(n);
            }
        }
    }
    let values: Vec<(Cell, HeaderMeaning)> = sheet
        .row(r)
        .iter()
        .filter_map(|c| match columns.get(&c.col) {
            Some(Column::Value(m)) => Some((c.clone(), *m)),
            _ => None,
        })
        .collect();
    let values = with_row_year(sheet, values, row_years);
    let indicator = key_cell(sheet, columns, Column::Indicator, r)
        .filter(|(_, own)| *own)
        .map(|(c, _)| c);
    let kind = row_kind(sheet, columns, r);
    let Some(ind_cell) = indicator else {
        read_kind_row(sheet, model, list, (values, kind, misaligned), r);
        return;
    };
    // A row with a name of its own: no later row continues the indicator above.
    list.kind_rows = None;
    // The row's cells are copied only for a row that is no indicator (合計).
    if sheet.vocab.row_label(&ind_cell.raw).is_some() {
        let row: Vec<Cell> = sheet.row(r).iter().filter(|c| !sheet.is_taken(c)).cloned().collect();
        sheet.not_an_indicator(&ind_cell, &row);
        return;
    }
    let Some((_, ctx)) = list.item.as_mut() else {
        say_unplaced(sheet, &values);
        return;
    };
    let (no, name, parenthesised) = match sheet.vocab.parse_indicator_marker(&ind_cell.raw) {
        Some((n, rest)) => {
            // `②…（削除）`: deleted, its name without the note (joins its other files).
            let deleted = sheet.vocab.is_deleted_indicator(&ind_cell.raw);
            let rest = sheet.vocab.without_deletion_note(&rest).map_or(rest.clone(), str::to_string);
            (Some(n as i32), rest, deleted)
        }
        None => (own_marker, ind_cell.raw.trim().to_string(), false),
    };
    let numbered_above = ctx.indicators.iter().any(|i| i.indicator_no.is_some());
    if no.is_none() && sheet.name_only_row(&ind_cell, numbered_above) {
        return;
    }
    if no.is_none()
        && !values.is_empty()
        && let Some(above) = numbered_name_without_values(sheet, columns, r)
    {
        // `②オープンデータ` | (nothing) above `公開数` | 90件 …: the rest of
        // ②'s name with ②'s values, or an indicator of its own? Read as
        // written, and said.
        let message = args!["case" => "name-split", "above" => above.raw.trim()];
        sheet.note(DiagCode::AmbiguousRow, message, &ind_cell);
    }
    sheet.take(&ind_cell);
    let last = sheet.grid.height().saturating_sub(1);
    let name = if no.is_some() {
        sheet.continued_name(name, (r, ind_cell.col), last)
    } else {
        name
    };
    let (name, name_unit) = sheet.vocab.split_name_unit(&name);
    let unit = row_unit(sheet, columns, r).or(name_unit);
    let parsed = parse_with_unit(sheet, values, unit.as_deref());
    // Printed in parentheses, or marked deleted with no value left.
    let deleted =
        parenthesised || (parsed.iter().any(|(_, _, p)| super::is_deleted(p)) && parsed.iter().all(|(_, _, p)| p.value.is_none()));
    super::flag_row_slips(sheet, parsed.iter().map(|(c, _, p)| (c, p)));
    let idx = ctx.named_indicator(no, &name, deleted, sheet.at(&ind_cell));
    if let Some(misaligned) = misaligned {
        for (cell, _, _) in &parsed {
            sheet.diag_cell(DiagCode::AmbiguousCell, misaligned.args(), cell);
        }
        return;
    }
    kind.settle(sheet);
    if let Some(kinds) = kind.words() {
        list.kind_rows = Some(KindRows {
            idx,
            name_col: ind_cell.col,
            unit,
            kinds,
        });
    }
    let row = (ctx, idx, ind_cell.col);
    read_values(sheet, model, &mut list.dated_cols, row, parsed, &kind);
}

/// The values of a read row, each by its column's meaning and the row's
/// kind, for indicator `idx` of `ctx` named in column `name_col`.
fn read_values(
    sheet: &mut Sheet,
    model: &RowModel,
    dated_cols: &mut Vec<u32>,
    (ctx, idx, name_col): (&mut ItemContext, usize, u32),
    parsed: Vec<(Cell, HeaderMeaning, Parsed)>,
    kind: &RowKind,
) {
    let mut read = Vec::with_capacity(parsed.len());
    for (cell, meaning, p) in parsed {
        let is_value_col = |c: u32| matches!(model.columns.get(&c), Some(Column::Value(_)));
        super::flag_merged_value(sheet, &cell, &p, is_value_col, name_col);
        let Some(meaning) = of_row_kind(sheet, model, dated_cols, &cell, meaning, kind) else {
            continue;
        };
        read_value(sheet, ctx, idx, &cell, meaning, &p);
        // Only targets, actuals and baselines read: an achievement column's
        // words (達成) are its own, a cell not read is said already.
        if matches!(meaning.word, Some(HeaderWord::Value(_))) && sheet.is_taken(&cell) {
            read.push((cell, p));
        }
    }
    super::flag_words_among_numbers(sheet, read.iter().map(|(c, p)| (c, p)));
}

/// The unit in row `r`'s own 単位 cell (taken), if it has one.
fn row_unit(sheet: &mut Sheet, columns: &BTreeMap<u32, Column>, r: u32) -> Option<String> {
    key_cell(sheet, columns, Column::Unit, r).filter(|(_, own)| *own).map(|(c, _)| {
        sheet.take(&c);
        c.raw.trim().to_string()
    })
}

/// Each value read with `unit` for those typed without one.
fn parse_with_unit(sheet: &Sheet, values: Vec<(Cell, HeaderMeaning)>, unit: Option<&str>) -> Vec<(Cell, HeaderMeaning, Parsed)> {
    values
        .into_iter()
        .map(|(c, m)| {
            let p = with_unit(sheet, &c, unit);
            (c, m, p)
        })
        .collect()
}

/// Values in a row no table places (no indicator, or before any item).
fn say_unplaced(sheet: &mut Sheet, values: &[(Cell, HeaderMeaning)]) {
    for (c, _) in values {
        sheet.diag_cell(DiagCode::RowWithoutIndicator, args!["case" => "list"], c);
    }
}

/// What a row's kind cell (区分) says its values are.
pub(super) enum RowKind {
    /// No kind column, or no cell in it: the header alone gives the kind.
    Unstated,
    /// A kind word of the vocabulary's header words (目標, 実績, 実績見込).
    Of(HeaderMeaning, Cell),
    /// A word that names no kind, or names a year too (見込, R3目標): not guessed.
    Unknown(Cell),
}

impl RowKind {
    /// What kind cell `cell` says: a kind word (目標, 実績) naming no year, or not.
    pub(super) fn of(sheet: &Sheet, cell: Cell) -> RowKind {
        let m = sheet.vocab.decode_header(&cell.raw);
        if m.word.is_some() && m.fiscal_year.is_none() && !m.undated_month {
            RowKind::Of(m, cell)
        } else {
            RowKind::Unknown(cell)
        }
    }

    /// The kind cell read (taken) or said.
    pub(super) fn settle(&self, sheet: &mut Sheet) {
        match self {
            RowKind::Unstated => {}
            RowKind::Of(_, cell) => sheet.take(cell),
            RowKind::Unknown(cell) => {
                let message = args!["case" => "row-kind-unknown", "kind" => cell.raw.trim()];
                sheet.diag_cell(DiagCode::AmbiguousCell, message, cell);
            }
        }
    }

    /// The kinds the row gives its indicator (none for a word that is no
    /// kind); `None` when the row has no kind cell.
    fn words(&self) -> Option<Vec<HeaderWord>> {
        match self {
            RowKind::Unstated => None,
            RowKind::Of(m, _) => Some(m.word.into_iter().collect()),
            RowKind::Unknown(_) => Some(Vec::new()),
        }
    }
}

/// The kind row `r`'s kind cell gives its values: the cell decoded as a
/// header is (目標 → target, 実績 → actual), when it names a kind and no year.
fn row_kind(sheet: &Sheet, columns: &BTreeMap<u32, Column>, r: u32) -> RowKind {
    let Some((cell, true)) = key_cell(sheet, columns, Column::Kind, r) else {
        return RowKind::Unstated;
    };
    RowKind::of(sheet, cell)
}

/// A value's meaning once its row's kind is known: a column of years alone
/// takes the row's kind (and the title's date, for the running year's
/// actuals); a column with its own kind keeps it. A 基準値 or 達成率 column
/// is that whatever the row; a target or actual column under a row of
/// another kind, or any under a word that is no kind, is said, not read.
fn of_row_kind(
    sheet: &mut Sheet,
    model: &RowModel,
    dated_cols: &mut Vec<u32>,
    cell: &Cell,
    meaning: HeaderMeaning,
    kind: &RowKind,
) -> Option<HeaderMeaning> {
    let own = matches!(meaning.word, Some(HeaderWord::Value(Kind::Baseline) | HeaderWord::Achievement));
    let row = match kind {
        RowKind::Unstated => return Some(meaning),
        _ if own => return Some(meaning),
        RowKind::Unknown(k) => {
            let message = args!["case" => "row-kind-unknown", "kind" => k.raw.trim()];
            sheet.diag_cell(DiagCode::AmbiguousCell, message, cell);
            return None;
        }
        RowKind::Of(row, k) if meaning.word.is_some_and(|w| Some(w) != row.word) => {
            let column = crate::source::grid::col_letters(cell.col);
            let message = args!["case" => "row-kind-conflict", "kind" => k.raw.trim(), "column" => column];
            sheet.diag_cell(DiagCode::AmbiguousCell, message, cell);
            return None;
        }
        RowKind::Of(row, _) => *row,
    };
    if meaning.word.is_some() {
        return Some(meaning.or(row)); // the header's kind, dated by the title already
    }
    // The title's date, said once per column, at its header cell (else its first value).
    let header = sheet.grid.get_merged(model.header, cell.col).cloned();
    let at = (!dated_cols.contains(&cell.col)).then(|| header.unwrap_or_else(|| cell.clone()));
    let combined = meaning.or(row);
    let dated = dated_by_title(sheet, combined, model.title, at.as_ref());
    if dated != combined && !dated_cols.contains(&cell.col) {
        dated_cols.push(cell.col);
    }
    Some(dated)
}

/// A row with no indicator of its own in a list with a kind column (区分):
/// the 実績 row under its indicator's 目標 row (the same item) is that
/// indicator's, read with its unit. A second row of a kind the indicator
/// has already is said, not placed; so is any such row with no kind cell
/// (as in a list without a kind column).
fn read_kind_row(
    sheet: &mut Sheet,
    model: &RowModel,
    list: &mut ListState,
    (values, kind, misaligned): (Vec<(Cell, HeaderMeaning)>, RowKind, Option<super::Misaligned>),
    r: u32,
) {
    let (Some(rows), Some((_, ctx)), Some(words)) = (list.kind_rows.as_mut(), list.item.as_mut(), kind.words()) else {
        say_unplaced(sheet, &values);
        return;
    };
    if let RowKind::Of(_, k) = &kind
        && words.iter().any(|w| rows.kinds.contains(w))
    {
        let name = ctx.indicators[rows.idx].indicator.clone();
        for (c, _) in &values {
            let message = args!["case" => "list-kind-again", "kind" => k.raw.trim(), "indicator" => name.as_str()];
            sheet.diag_cell(DiagCode::RowWithoutIndicator, message, c);
        }
        return;
    }
    let unit = row_unit(sheet, model.columns, r).or_else(|| rows.unit.clone());
    let parsed = parse_with_unit(sheet, values, unit.as_deref());
    super::flag_row_slips(sheet, parsed.iter().map(|(c, _, p)| (c, p)));
    if let Some(misaligned) = misaligned {
        for (cell, _, _) in &parsed {
            sheet.diag_cell(DiagCode::AmbiguousCell, misaligned.args(), cell);
        }
        return;
    }
    kind.settle(sheet);
    rows.kinds.extend(words);
    let row = (ctx, rows.idx, rows.name_col);
    read_values(sheet, model, &mut list.dated_cols, row, parsed, &kind);
}

/// A number-column cell that is a circled number alone (`①` under `No.`,
/// the indicator's name in the next column): the row's indicator number in
/// a column of its own, not its item's number (the item's title carries
/// that). Returned apart: (the item number, the indicator number).
fn indicator_number_cell(sheet: &Sheet, number: Option<(Cell, String)>) -> (Option<(Cell, String)>, Option<i32>) {
    let marker = number
        .as_ref()
        .and_then(|(c, _)| sheet.vocab.parse_indicator_marker(&c.raw))
        .filter(|(_, rest)| rest.is_empty());
    match marker {
        Some((n, _)) => (None, Some(n as i32)),
        None => (number, None),
    }
}

/// The indicator cell of the row above `r` when it is numbered (②…) and
/// that row holds no value: a name an extraction may have broken in two.
fn numbered_name_without_values(sheet: &Sheet, columns: &BTreeMap<u32, Column>, r: u32) -> Option<Cell> {
    let above = r.checked_sub(1)?;
    let (cell, true) = key_cell(sheet, columns, Column::Indicator, above)? else {
        return None;
    };
    sheet.vocab.parse_indicator_marker(&cell.raw)?;
    let has_value = sheet
        .row(above)
        .iter()
        .any(|c| matches!(columns.get(&c.col), Some(Column::Value(_))) && sheet.parse(c).status != crate::model::Status::Blank);
    (!has_value).then_some(cell)
}

/// The item or indicator cell of row `r` that calls the row an example (記入例).
fn example_cell(sheet: &Sheet, columns: &BTreeMap<u32, Column>, r: u32) -> Option<Cell> {
    sheet
        .row(r)
        .iter()
        .filter(|c| matches!(columns.get(&c.col), Some(Column::Item | Column::Indicator)))
        .find(|c| sheet.vocab.is_example(&c.raw))
        .cloned()
}

/// The field count of the list's lines when its text is padded
/// ([`super::padded_text_width`]): the body runs to the header's next repeat.
fn text_width(sheet: &Sheet, t: &ListTable, header: u32, last_header: u32) -> Option<u32> {
    sheet.grid.fields_on_line(header)?;
    let body = (last_header + 1..sheet.grid.height()).take_while(|&r| !is_header_row(sheet, t, r));
    let header_rows: Vec<u32> = (header..=last_header).collect();
    super::padded_text_width(sheet, &header_rows, body)
}

/// A text line of the list with another field count than its lines
/// ([`super::Misaligned`]) that holds a value: its values are one column
/// off from somewhere, so none is read.
fn misaligned(sheet: &Sheet, columns: &BTreeMap<u32, Column>, width: Option<u32>, r: u32) -> Option<super::Misaligned> {
    let case = super::Misaligned::of(sheet, width, r)?;
    let holds_value = sheet
        .row(r)
        .iter()
        .filter(|c| {
            !matches!(
                columns.get(&c.col),
                Some(Column::Item | Column::Indicator | Column::Number | Column::Goal)
            )
        })
        .any(|c| sheet.parse(c).value.is_some());
    holds_value.then_some(case)
}

/// A row of one cell, in the item or number column, that is no item number
/// or numbered title, with no indicator and no value: a heading that groups the
/// items below it.
fn heading(sheet: &Sheet, layout: &Layout, columns: &BTreeMap<u32, Column>, r: u32) -> Option<Cell> {
    let [cell] = sheet.row(r) else { return None };
    if !matches!(columns.get(&cell.col), Some(Column::Item | Column::Number | Column::Goal)) {
        return None;
    }
    let text = cell.raw.trim();
    let numbered = layout.item.number_pattern.as_ref().is_some_and(|re| re.is_match(text));
    let number_only = crate::normalize::fold_ascii_width(text)
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.');
    (!numbered && !number_only && !is_figure(sheet, cell)).then(|| cell.clone())
}

/// A cell under 担当課 that is no division's name, said as an
/// `ambiguous_cell` warning and not read: a figure (`84.1%`, `1,266件`: a
/// value column's cell, the header one column off; a comma would even split
/// it, `1; 266件`), case `division-figure`; or a value's word
/// ([`is_value_word`]: the row's fields shifted), case `division-word`.
fn not_a_division(sheet: &mut Sheet, cell: &Cell) -> bool {
    let message = if is_figure(sheet, cell) {
        args!["case" => "division-figure"]
    } else if is_value_word(sheet, cell) {
        args!["case" => "division-word", "value" => cell.raw.trim()]
    } else {
        return false;
    };
    sheet.diag_cell(DiagCode::AmbiguousCell, message, cell);
    true
}

/// Text the vocabulary reads as a value's, never a division's name: a
/// status or a dash (集計中, 削除, ―), an achievement word (達成, ×), or a
/// year or figure in words (R5：65%, 令和元年度). A division is named with
/// none of them; a word the vocabulary does not know (未定) may be one.
fn is_value_word(sheet: &Sheet, cell: &Cell) -> bool {
    let raw = cell.raw.trim();
    sheet.parse(cell).status != Status::Text
        || sheet.vocab.achieved_word(raw).is_some()
        || sheet.vocab.header_year(raw).is_some()
        || super::has_digit(raw)
}

/// A cell that reads as a value with a number (1,234件, 45%), or holds a
/// row of them set apart by spaces (`Sheet::spaced_figures`): never a
/// heading or an item's title.
fn is_figure(sheet: &Sheet, cell: &Cell) -> bool {
    sheet.parse(cell).value.is_some() || sheet.spaced_figures(cell).is_some()
}

/// A value cell's value; a unit column supplies the unit a value was written without.
pub(super) fn with_unit(sheet: &Sheet, cell: &Cell, unit: Option<&str>) -> Parsed {
    let p = sheet.parse(cell);
    match unit {
        Some(u) if p.unit.is_none() && p.value.is_some() && !u.is_empty() => {
            let text = match cell.value {
                CellValue::Number(v) => format!("{v}{u}"),
                _ => format!("{}{u}", cell.raw.trim()),
            };
            let q = sheet.vocab.parse_value(&text);
            if q.value.is_some() { q } else { p }
        }
        _ => p,
    }
}

fn read_value(sheet: &mut Sheet, ctx: &mut ItemContext, idx: usize, cell: &Cell, meaning: HeaderMeaning, p: &Parsed) {
    if let Some(args) = super::formula_problem(cell, false) {
        sheet.diag_cell(DiagCode::FormulaError, args, cell);
        return;
    }
    if meaning.undated_month {
        let message = args!["case" => "undated-month", "column" => crate::source::grid::col_letters(cell.col)];
        sheet.diag_cell(DiagCode::AmbiguousCell, message, cell);
        return;
    }
    let Some(spec) = meaning.period() else {
        // A printed achievement with no year (`達成率`): the latest year's, most
        // likely, but which year the header does not say.
        let column = crate::source::grid::col_letters(cell.col);
        let message = if meaning.word == Some(HeaderWord::Achievement) {
            args!["case" => "list-achievement", "column" => column]
        } else {
            args!["case" => "list", "column" => column]
        };
        sheet.diag_cell(DiagCode::YearNotDecoded, message, cell);
        return;
    };
    match meaning.word {
        Some(HeaderWord::Value(kind)) => {
            sheet.take(cell);
            let p = &super::estimated(p, meaning.estimate);
            super::flag_number_as_text(sheet, kind, p, cell);
            ctx.observe(sheet, idx, &spec, kind, p, &cell.raw, sheet.at(cell));
            // The final target is the target of the latest fiscal year (the later
            // cell on a tie). A word or range there (検討中, 31～33施設) is that
            // target, with no value: an earlier year's number is not the final one.
            let ind = &mut ctx.indicators[idx];
            let stated = p.value.is_some() || p.status == crate::model::Status::Text;
            if kind == Kind::Target && stated && ind.final_target_fy <= spec.fiscal_year {
                ind.final_target_value = p.value;
                ind.final_target_fy = spec.fiscal_year;
                ind.final_target_raw = Some(cell.raw.clone());
            }
        }
        Some(HeaderWord::Achievement) => {
            super::achievement_table::record(sheet, ctx, idx, spec.fiscal_year.unwrap_or_default(), cell);
        }
        None => sheet.diag_cell(DiagCode::AmbiguousCell, args!["case" => "list-no-kind"], cell),
    }
}
