//! 実施計画 指標項目 table: indicators × years with 目標 and 実績 rows, each
//! value and its unit in separate cells and an achievement % after each year.
//!
//! ```text
//!   指標項目 |            | KGI | 年度 | 【基準年】R元 | R2          | R3 …
//!   取組目標 | ① 電子化率 | 1   |      | 目標 | —     | 14.1 | % | 0% | 32.1 | % | 0% …
//!            |            |     |      | 実績 | 11.3  | %
//! ```
//! Extraction dropped empty cells, so header positions do not line up with the
//! values: a row is read as a sequence after its 目標/実績 cell — baseline
//! value [unit], then per year value [unit] [achievement %] — in header year order.
//! Achievement cells are derived (実績 ÷ 目標) and go to diagnostics, not observations.

use super::Sheet;
use super::fields::ItemContext;
use super::items::body_end;
use crate::mapping::{Layout, PlanTable, norm_label};
use crate::model::{DiagCode, Kind, args};
use crate::normalize::{Parsed, Period, PeriodSpec, Status};
use crate::source::Cell;

/// Reads the table whose header is row `r`; returns its last row.
pub fn read(sheet: &mut Sheet, layout: &Layout, t: &PlanTable, ctx: &mut ItemContext, r: u32, last: u32) -> u32 {
    let header: Vec<Cell> = sheet.row(r).to_vec();
    let Some(first) = header.first() else { return r };
    let unit_col = super::progress_table::labelled_column(sheet, &t.units, &[r], first.col);
    let mut years = Years::default();
    for (i, c) in header.iter().enumerate() {
        let text = norm_label(&c.raw);
        if i == 0 || t.skip_header.matches(&text) {
            sheet.take(c);
        } else if t.notes.matches(&text) {
            years.note_cols.push(c.col);
            sheet.take(c);
        } else if let Some(fy) = sheet.vocab.header_year(&text) {
            if years.slots.is_empty() && !t.baseline.is_match(&text) {
                // No baseline column: slot 0 is still reserved so years keep their order.
                years.slots.push(i32::MIN);
                years.cols.push(None);
            }
            years.slots.push(fy);
            years.cols.push(Some(c.col));
            sheet.take(c);
        }
    }
    let end = body_end(sheet, layout, r + 1, last);
    let mut group: Option<String> = None;
    let mut current: Option<usize> = None;
    // The current indicator's unit from the unit column: its 実績 row (the cell
    // merged down, or left empty) has the same unit.
    let mut unit: Option<String> = None;
    // Where the current indicator's 目標 values stand: (column, year slot).
    let mut target_cols: Vec<(u32, usize)> = Vec::new();
    // The current indicator's values as read, 目標 and 実績 rows together.
    let mut seen: Vec<(Cell, Parsed)> = Vec::new();
    // The last cell of the row above, when that row was an indicator's 目標/実績.
    let mut above: Option<Cell> = None;
    // The name of a template's indicator set aside (①○○件数): its rows' cells are said, not read.
    let mut set_aside: Option<Cell> = None;
    for row in r + 1..=end {
        let cells: Vec<Cell> = sheet.row(row).to_vec();
        if !cells.is_empty() && cells.iter().all(|c| sheet.is_taken(c)) {
            continue; // the rest of a wrapped name, read with it
        }
        let last_above = above.take();
        let Some(kpos) = cells.iter().position(|c| t.target.matches(&c.raw) || t.actual.matches(&c.raw)) else {
            flag_unit_on_next_line(sheet, last_above, &cells, unit.as_deref());
            for c in &cells {
                sheet.diag_cell(DiagCode::AmbiguousRow, args!["case" => "plan-no-kind"], c);
            }
            continue;
        };
        if let Some(name) = cells[..kpos].iter().find(|c| template_name(sheet, c)) {
            flag_slips(sheet, &mut seen);
            current = None;
            sheet.not_an_indicator(name, &cells);
            set_aside = Some(name.clone());
            continue;
        }
        for c in &cells[..kpos] {
            if t.groups.matches(&c.raw) {
                group = Some(c.raw.trim().to_string());
                sheet.take(c);
            } else if let Some((no, name)) = sheet.vocab.parse_indicator_marker(&c.raw) {
                let deleted = sheet.vocab.is_deleted_indicator(&c.raw);
                let name = sheet.vocab.without_deletion_note(&name).unwrap_or(&name).to_string();
                let name = wrapped_name(sheet, t, name, c, end);
                let (name, name_unit) = sheet.vocab.split_name_unit(&name);
                flag_slips(sheet, &mut seen);
                set_aside = None;
                let idx = ctx.indicator(Some(no as i32), &name, deleted, sheet.at(c));
                ctx.indicators[idx].indicator_group = group.clone();
                current = Some(idx);
                unit = name_unit;
                target_cols.clear();
                sheet.take(c);
            } else if let Some(idx) = current.filter(|_| c.raw.trim().chars().all(|ch| ch.is_ascii_digit())) {
                ctx.indicators[idx].kgi = Some(c.raw.trim().to_string());
                sheet.take(c);
            } else if unit_col.is_some() && (Some(c.col) == unit_col || current.is_some() && is_unit_only(sheet, c)) {
                // Under 単位, or (cells packed by extraction) a unit alone before the kind.
                unit = Some(c.raw.trim().to_string());
                sheet.take(c);
            } else {
                sheet.diag_cell(DiagCode::AmbiguousCell, args!["case" => "plan-before-kind"], c);
            }
        }
        let kind_cell = &cells[kpos];
        let kind = if t.target.matches(&kind_cell.raw) {
            Kind::Target
        } else {
            Kind::Actual
        };
        let Some(idx) = current else {
            if let Some(name) = &set_aside {
                sheet.not_an_indicator(name, &cells);
                continue;
            }
            for c in &cells[kpos..] {
                sheet.diag_cell(DiagCode::RowWithoutIndicator, args!["case" => "plan"], c);
            }
            continue;
        };
        sheet.take(kind_cell);
        let values = after_kind_unit(sheet, &cells[kpos + 1..], unit_col, &years, &mut unit);
        let row = Row {
            kind,
            years: &years,
            unit: unit.as_deref(),
            bare: false,
        };
        let placed = read_values(sheet, ctx, (idx, &row), &values, &target_cols, &mut seen);
        if kind == Kind::Target {
            target_cols = placed;
        }
        above = cells.last().cloned();
    }
    flag_slips(sheet, &mut seen);
    end.max(r)
}

/// An indicator's name wrapped onto the next row (`① 県税収入額（個人県民税・法人二税`
/// over `・地方消費税）`, alone in the name's column, a 目標/実績 row after it):
/// joined, its cell taken. Before, the name stayed cut and its rest was a
/// row that could not be placed.
fn wrapped_name(sheet: &mut Sheet, t: &PlanTable, mut name: String, at: &Cell, end: u32) -> String {
    let next = at.row + 1;
    let [cell] = sheet.row(next) else { return name };
    let kind_after = next < end
        && sheet
            .row(next + 1)
            .iter()
            .any(|c| t.target.matches(&c.raw) || t.actual.matches(&c.raw));
    if !kind_after || !sheet.wraps_name(cell, at.col) {
        return name;
    }
    let cell = cell.clone();
    sheet.take(&cell);
    super::join_wrapped(&mut name, cell.raw.trim());
    name
}

/// The cells after a row's 目標/実績 cell without the one under 単位 when
/// that column stands between the kind and the first year (`年度 | 単位 |
/// 【基準年】R3 …`): its unit becomes the indicator's (a 実績 row's empty or
/// merged unit cell keeps the 目標 row's), instead of the unit cell being read
/// as the baseline's value and every year after it shifted one slot.
fn after_kind_unit(sheet: &mut Sheet, cells: &[Cell], unit_col: Option<u32>, years: &Years, unit: &mut Option<String>) -> Vec<Cell> {
    let first_year = years.cols.iter().flatten().copied().min();
    let Some(col) = unit_col.filter(|&u| first_year.is_some_and(|y| u < y)) else {
        return cells.to_vec();
    };
    let mut rest = Vec::with_capacity(cells.len());
    for c in cells {
        if c.col == col && is_unit_only(sheet, c) {
            *unit = Some(c.raw.trim().to_string());
            sheet.take(c);
        } else {
            rest.push(c.clone());
        }
    }
    rest
}

/// A numbered indicator's name that a template left as it was: an example
/// (`①（記入例）…`) or a placeholder (`①○○件数`). Its rows are set aside as
/// other tables set aside such rows ([`Sheet::not_an_indicator`]).
fn template_name(sheet: &Sheet, c: &Cell) -> bool {
    use crate::normalize::RowLabel;
    sheet.vocab.parse_indicator_marker(&c.raw).is_some()
        && matches!(sheet.vocab.row_label(&c.raw), Some(RowLabel::Example | RowLabel::Placeholder))
}

/// Typing slips an indicator's other values give away (`235` among `450件`,
/// `600件`, …: its unit cell left empty; `未定` among numbers), said as in a
/// KPI list's row ([`super::flag_row_slips`],
/// [`super::flag_words_among_numbers`]); `seen` is emptied for the next indicator.
fn flag_slips(sheet: &mut Sheet, seen: &mut Vec<(Cell, Parsed)>) {
    super::flag_row_slips(sheet, seen.iter().map(|(c, p)| (c, p)));
    super::flag_words_among_numbers(sheet, seen.iter().map(|(c, p)| (c, p)));
    seen.clear();
}

/// `… 0% | 32.1` ending a 目標/実績 line, and the next line, with no kind of
/// its own, starting `% | 0% …`: a line broken in two by extraction, the
/// value's unit on the next line (whose cells are said, not read). The value
/// is read without it, so it is said too: before, it lost its unit silently.
fn flag_unit_on_next_line(sheet: &mut Sheet, above: Option<Cell>, cells: &[Cell], unit: Option<&str>) {
    let (Some(value), Some(first)) = (above, cells.first()) else {
        return;
    };
    let p = super::list_table::with_unit(sheet, &value, unit);
    if p.value.is_some() && p.unit.is_none() && is_unit_word(sheet, first) {
        let message = args!["case" => "unit-on-next-line", "value" => value.raw.trim(), "unit" => first.raw.trim()];
        sheet.note(DiagCode::AmbiguousCell, message, &value);
    }
}

/// `件 | 600` at the front of `cells`: a unit where a year's value goes, and
/// a bare number after it (the two typed the wrong way round).
fn unit_before_value(sheet: &Sheet, cells: &[Cell]) -> bool {
    let [unit, value, ..] = cells else { return false };
    let p = sheet.parse(value);
    is_unit_word(sheet, unit) && p.value.is_some() && p.unit.is_none()
}

/// A unit alone in its cell (件, %): it has a letter or is %, so a dash
/// drawn with a box line (─) is none.
fn is_unit_word(sheet: &Sheet, c: &Cell) -> bool {
    let unit_like = c.raw.trim().chars().any(|ch| ch.is_alphanumeric() || ch == '%' || ch == '\u{FF05}');
    unit_like && is_unit_only(sheet, c)
}

fn is_unit_only(sheet: &Sheet, c: &Cell) -> bool {
    let p = sheet.vocab.parse_value(&c.raw);
    p.status == Status::Text && !c.raw.chars().any(|ch| ch.is_ascii_digit()) && c.raw.trim().chars().count() <= 6
}

/// The header's years in order, slot 0 the baseline, each with the column of its label.
#[derive(Default)]
struct Years {
    slots: Vec<i32>,
    /// None for a baseline slot reserved without a column.
    cols: Vec<Option<u32>>,
    /// Columns headed as notes (備考).
    note_cols: Vec<u32>,
}

impl Years {
    /// The column of the header's last year label.
    fn last_col(&self) -> u32 {
        self.cols.iter().flatten().copied().max().unwrap_or(0)
    }
}

/// What a 目標 / 実績 row is read against: its kind, the header's years and
/// the unit column's unit.
#[derive(Clone, Copy)]
struct Row<'s> {
    kind: Kind,
    years: &'s Years,
    unit: Option<&'s str>,
    /// A bare number after value | unit may be the achievement (its `0%`
    /// format lost in a copy): see [`with_bare_achievements`].
    bare: bool,
}

/// A row's cells after its kind: by the columns of the year labels when every
/// year's cells start under its label (a sheet as divisions retype it, where an
/// empty year is plainly empty), else as a sequence (text whose extraction
/// dropped empty cells, so positions do not line up with the header).
/// Returns where each year's value stood: (column, year slot).
/// Each value read is added to `seen` with its reading.
fn read_values(
    sheet: &mut Sheet,
    ctx: &mut ItemContext,
    (idx, row): (usize, &Row),
    cells: &[Cell],
    target_cols: &[(u32, usize)],
    seen: &mut Vec<(Cell, Parsed)>,
) -> Vec<(u32, usize)> {
    // Words under a notes column are left unmapped; a value there (cells packed
    // by extraction under the label by chance) stays in the sequence.
    let is_note = |c: &Cell| row.years.note_cols.contains(&c.col) && sheet.parse(c).value.is_none();
    let cells: Vec<Cell> = cells.iter().filter(|c| !is_note(c)).cloned().collect();
    let cells = &cells[..];
    // Extraction packs a row's cells together; a cell two or more empty columns
    // away (a memo column) is not the next year's value. Under the years, such a
    // gap is a year's empty unit and achievement cells (a unit typed into its value):
    // the last year's value, unit and achievement reach up to three columns past its label.
    let last_year_col = row.years.last_col();
    let run = cells
        .windows(2)
        .position(|w| w[1].col > w[0].col + 2 && w[1].col > last_year_col + 3)
        .map(|p| p + 1)
        .unwrap_or(cells.len());
    for c in &cells[run..] {
        sheet.diag_cell(DiagCode::UnplacedCell, args!["case" => "set-apart"], c);
    }
    let cells = &cells[..run];
    match under_their_years(sheet, row, cells) {
        Some(groups) => {
            let placed = groups.iter().map(|(slot, group, _)| (group[0].col, *slot)).collect();
            for (slot, group, shape) in groups {
                seen.extend(read_year(sheet, ctx, idx, row, (slot, shape), group));
            }
            placed
        }
        None => read_sequence(sheet, ctx, (idx, row), cells, target_cols, seen),
    }
}

/// Each year's cells (value, then a unit and an achievement), when every
/// year's first cell stands in its label's column, holds a value or a blank
/// mark, and is followed by nothing but its unit and achievement; None when
/// any cell falls elsewhere (packed cells can sit under a label by chance, but
/// not year after year in that shape).
fn under_their_years<'c>(sheet: &Sheet, row: &Row, cells: &'c [Cell]) -> Option<Vec<(usize, &'c [Cell], YearCells)>> {
    let cols = &row.years.cols;
    let mut groups = Vec::new();
    let mut i = 0;
    for (slot, col) in cols.iter().enumerate() {
        let Some(col) = *col else { continue };
        let next = cols[slot + 1..].iter().flatten().next().copied().unwrap_or(col + 3);
        let n = cells[i..].iter().take_while(|c| c.col < next).count();
        let group = &cells[i..i + n];
        if let Some(first) = group.first() {
            let p = sheet.parse(first);
            let shape = YearCells::of(sheet, row, slot, group)?;
            if first.col != col || (p.value.is_none() && p.status == Status::Text) || shape.len() != n {
                return None;
            }
            groups.push((slot, group, shape));
        }
        i += n;
    }
    // Cells before the first year's column, or past the last, are not placed by it.
    (i == cells.len() && cells.first().is_none_or(|c| Some(c.col) >= cols.iter().flatten().next().copied())).then_some(groups)
}

/// The cells of one row as a sequence, year by year in header order.
///
/// A 目標 row whose cells run out before the header's last year, with no empty
/// columns to show which year was left empty (extraction dropped them), is
/// ambiguous: `目標 ― 14.1 % 0% … 100.0 % 0%` under R元 R2 … R6 holds four
/// targets for five years, and may lack R6 or any year between. It is read in
/// order from the first year, as a 実績 row (filled year by year) is, and says
/// so in a `fewer_years_than_header` warning naming the years it assumed.
///
/// A 実績 row whose every value stands under one of its 目標 row's values,
/// some of another year than the order gives (`30.2 %` typed under R3's
/// `32.1`, R2 left empty), is read by where it stands, with an
/// `ambiguous_row` warning (`plan-actual-aligned`); before, 30.2 % was R2's.
fn read_sequence(
    sheet: &mut Sheet,
    ctx: &mut ItemContext,
    (idx, row): (usize, &Row),
    cells: &[Cell],
    target_cols: &[(u32, usize)],
    seen: &mut Vec<(Cell, Parsed)>,
) -> Vec<(u32, usize)> {
    let (mut groups, mut reached) = sequence_groups(sheet, row, cells);
    if let Some((bare_groups, bare_reached)) = with_bare_achievements(sheet, row, cells, &groups) {
        (groups, reached) = (bare_groups, bare_reached);
    }
    if row.kind == Kind::Actual
        && let Some((aligned, (at, fy, fy_order))) = under_targets(row, cells, &groups, target_cols)
    {
        let message = args!["case" => "plan-actual-aligned", "fy" => fy, "fy_order" => fy_order];
        sheet.note(DiagCode::AmbiguousRow, message, &cells[at]);
        groups = aligned;
    }
    for &(slot, start, shape) in &groups {
        seen.extend(read_year(sheet, ctx, idx, row, (slot, shape), &cells[start..start + shape.len()]));
    }
    let years: Vec<(usize, usize)> = groups.iter().filter(|g| g.0 > 0).map(|g| (g.0, g.1)).collect();
    if let (Kind::Target, Some(&(first, at)), Some(&(last, _))) = (row.kind, years.first(), years.last())
        && reached < row.years.slots.len()
    {
        let slots = &row.years.slots;
        let fy = |slot: usize| slots[slot].to_string();
        let args = args![
            "found" => years.len().to_string(),
            "years" => (slots.len() - 1).to_string(),
            "fy" => fy(first),
            "fy_to" => fy(last),
            "fy_last" => fy(slots.len() - 1)
        ];
        sheet.note(DiagCode::FewerYearsThanHeader, args, &cells[at]);
    }
    let read_to = read_to(&groups);
    let swapped = unit_before_value(sheet, &cells[read_to..]);
    for c in &cells[read_to..] {
        let message = if swapped {
            args!["case" => "unit-before-value"]
        } else {
            args!["case" => "extra-cells"]
        };
        sheet.diag_cell(DiagCode::UnplacedCell, message, c);
    }
    groups.iter().map(|&(slot, start, _)| (cells[start].col, slot)).collect()
}

/// The row re-read with a bare number after a value and its unit cell taken
/// as that year's achievement (a `0%` cell copied without its format reads
/// `0`), when the row shows the value | unit | achievement shape elsewhere
/// or its plain reading overflows the header's years. Read as a value, it
/// would move every later year one year on. The guess is said in one
/// `ambiguous_row` warning (`plan-bare-achievement`) naming those cells.
#[allow(clippy::type_complexity)]
fn with_bare_achievements(
    sheet: &mut Sheet,
    row: &Row,
    cells: &[Cell],
    plain: &[(usize, usize, YearCells)],
) -> Option<(Vec<(usize, usize, YearCells)>, usize)> {
    let shaped = plain.iter().any(|g| g.2.achievement) || read_to(plain) < cells.len();
    if row.bare || !shaped {
        return None;
    }
    let (groups, reached) = sequence_groups(sheet, &Row { bare: true, ..*row }, cells);
    let bare: Vec<&Cell> = groups.iter().filter(|g| g.2.bare).map(|g| &cells[g.1 + g.2.len() - 1]).collect();
    let first = *bare.first()?;
    let names: Vec<String> = bare.iter().map(|c| sheet.at(c).cell).collect();
    sheet.note(
        DiagCode::AmbiguousRow,
        args!["case" => "plan-bare-achievement", "cells" => names.join(", ")],
        first,
    );
    Some((groups, reached))
}

/// How many of the row's cells its year groups take.
fn read_to(groups: &[(usize, usize, YearCells)]) -> usize {
    groups.last().map(|&(_, start, shape)| start + shape.len()).unwrap_or(0)
}

/// The sequence's year groups moved to the slots of the 目標 values they
/// stand under, when every value stands under one (in increasing years, the
/// first in its own) and one at least is not its order's year; with the first such cell, its year
/// where it stands and its year in order.
#[allow(clippy::type_complexity)]
fn under_targets(
    row: &Row,
    cells: &[Cell],
    groups: &[(usize, usize, YearCells)],
    target_cols: &[(u32, usize)],
) -> Option<(Vec<(usize, usize, YearCells)>, (usize, i32, i32))> {
    let slot_under = |start: usize| target_cols.iter().find(|&&(c, _)| c == cells[start].col).map(|&(_, s)| s);
    let aligned: Vec<(usize, usize, YearCells)> = groups
        .iter()
        .map(|&(_, start, shape)| slot_under(start).map(|s| (s, start, shape)))
        .collect::<Option<_>>()?;
    // The first value keeps its year: a packed 目標 row (its cells shifted
    // left by extraction) puts R2's target over the baseline's actual by
    // chance, and a baseline is not moved.
    let increasing = aligned.windows(2).all(|w| w[0].0 < w[1].0) && aligned.first().map(|a| a.0) == groups.first().map(|g| g.0);
    let (&(slot, at, _), &(order, _, _)) = aligned.iter().zip(groups).find(|(a, g)| a.0 != g.0)?;
    let slots = &row.years.slots;
    (increasing && slots[slot] != i32::MIN && slots[order] != i32::MIN).then(|| (aligned.clone(), (at, slots[slot], slots[order])))
}

/// The row's years in sequence: (slot, first cell, cells taken) of each year
/// read, and how many of the header's slots the row reached (read, or passed
/// over as a visible gap).
fn sequence_groups(sheet: &Sheet, row: &Row, cells: &[Cell]) -> (Vec<(usize, usize, YearCells)>, usize) {
    let mut groups = Vec::new();
    let mut i = 0;
    let mut prev_col: Option<u32> = None;
    for slot in 0..row.years.slots.len() {
        let Some(value) = cells.get(i) else { return (groups, slot) };
        // Three or more empty columns since the last cell read are a year whose
        // value, unit and achievement were all left empty: that year has no
        // cell, and the next value keeps its own year.
        if let Some(p) = prev_col
            && value.col > p + 3
        {
            prev_col = Some(p + 3);
            continue;
        }
        // `件 | 600`: a unit where the value goes and the value after it. In
        // order, every later value would be read a year late; where the row
        // went wrong cannot be told, so its cells from here on are not read.
        let shape = YearCells::of(sheet, row, slot, &cells[i..]).filter(|_| !unit_before_value(sheet, &cells[i..]));
        let Some(shape) = shape else {
            return (groups, slot);
        };
        groups.push((slot, i, shape));
        i += shape.len();
        prev_col = cells.get(i.saturating_sub(1)).map(|c| c.col);
    }
    (groups, row.years.slots.len())
}

/// The cells one year takes from the front of a row: its value, a unit cell
/// when the value was written without one, then the printed achievement.
#[derive(Clone, Copy)]
struct YearCells {
    unit: bool,
    achievement: bool,
    /// The achievement is a bare number (see [`Row::bare`]).
    bare: bool,
}

impl YearCells {
    fn of(sheet: &Sheet, row: &Row, slot: usize, cells: &[Cell]) -> Option<YearCells> {
        let value = cells.first()?;
        let parsed = super::list_table::with_unit(sheet, value, row.unit);
        // A unit cell beside a value: joined to a value written without one;
        // beside a value that has one (0.141 in a 0.0% cell), still its own.
        // A word or a dash where the value goes (調査中, 未定, ―) keeps its
        // unit cell too: read as the next year's value, the printed unit
        // would move every later year.
        let word = parsed.value.is_none() && matches!(parsed.status, Status::Pending | Status::NotDone | Status::Text | Status::Blank);
        let unit = (parsed.value.is_some() || word) && cells.get(1).is_some_and(|u| is_unit_only(sheet, u));
        // The achievement follows its value and unit cells; a percentage further
        // right (past an empty unit and achievement) is the next year's value.
        // After value | unit, the achievement's place may hold a dash, a word
        // (達成) or a formula with no result saved (a file written by a
        // program that does not calculate): in the document's three-cell
        // shape it cannot be a target.
        let next = 1 + usize::from(unit);
        let achievement = slot > 0
            && cells.get(next).is_some_and(|a| {
                a.col <= value.col + 2
                    && (is_achievement(sheet, a)
                        || sheet.vocab.achieved_word(&a.raw).is_some()
                        || unit && (is_blank_mark(sheet, a) || is_mark(sheet, a) || super::formula_problem(a, false).is_some()))
            });
        let bare = !achievement && slot > 0 && unit && row.bare && is_bare_achievement(sheet, value, &cells[next..]);
        Some(YearCells {
            unit,
            achievement: achievement || bare,
            bare,
        })
    }

    fn len(self) -> usize {
        1 + usize::from(self.unit) + usize::from(self.achievement)
    }
}

/// Reads one year from the front of `cells`: the [`YearCells`] the planner
/// (by column or in sequence) found there for `slot`. Returns the value's
/// cell and its reading (with its unit cell's unit), when a year took it.
fn read_year(
    sheet: &mut Sheet,
    ctx: &mut ItemContext,
    idx: usize,
    row: &Row,
    (slot, shape): (usize, YearCells),
    cells: &[Cell],
) -> Option<(Cell, Parsed)> {
    let value = &cells[0];
    let fy = row.years.slots[slot];
    let used = &cells[..1 + usize::from(shape.unit)];
    let own_unit = super::list_table::with_unit(sheet, value, row.unit);
    let (raw, parsed) = if shape.unit && own_unit.unit.is_none() && own_unit.value.is_some() {
        // Value and unit in separate cells: read them joined.
        let raw = format!("{}{}", value.raw.trim(), cells[1].raw.trim());
        let parsed = sheet.vocab.parse_value(&raw);
        (raw, parsed)
    } else {
        if shape.unit && own_unit.value.is_some() && sheet.vocab.parse_value(&format!("1{}", cells[1].raw.trim())).unit != own_unit.unit {
            sheet.note(
                DiagCode::AmbiguousCell,
                args!["case" => "plan-unit-differs", "unit" => own_unit.unit.as_deref().unwrap_or("")],
                &cells[1],
            );
        }
        (value.raw.trim().to_string(), own_unit)
    };
    if let Some(a) = cells.get(used.len()).filter(|_| shape.achievement) {
        match is_blank_mark(sheet, a) {
            // A dash where the achievement goes: none printed.
            true => sheet.take(a),
            // The printed actual ÷ target, kept to be checked against the
            // evaluation's (a formula error or no result: said, none printed).
            false => super::achievement_table::record(sheet, ctx, idx, fy, a),
        }
    }
    if fy == i32::MIN {
        for c in used {
            sheet.diag_cell(DiagCode::UnplacedCell, args!["case" => "no-baseline"], c);
        }
        return None;
    }
    for c in used {
        sheet.take(c);
    }
    // The base year's 実績 is the baseline; its 目標 (usually a dash) stays a target.
    let kind = if slot == 0 && row.kind == Kind::Actual {
        Kind::Baseline
    } else {
        row.kind
    };
    let spec = PeriodSpec {
        fiscal_year: Some(fy),
        period: Period::FY,
        as_of: None,
    };
    // `21, 001` (a space from extraction), `11.3⏎(R2.3末)`: kept as text, said.
    super::flag_number_as_text(sheet, kind, &parsed, value);
    let at = sheet.at(value);
    ctx.observe(sheet, idx, &spec, kind, &parsed, &raw, at);
    Some((value.clone(), parsed))
}

/// A number without a unit right after a value's unit cell, not itself
/// followed by a unit cell (then it would be the next value | unit).
fn is_bare_achievement(sheet: &Sheet, value: &Cell, cells: &[Cell]) -> bool {
    let Some(a) = cells.first() else { return false };
    let p = sheet.parse(a);
    let next_is_unit = cells.get(1).is_some_and(|u| is_unit_only(sheet, u));
    a.col <= value.col + 2 && p.value.is_some() && p.unit.is_none() && p.status == Status::Ok && !next_is_unit
}

fn is_blank_mark(sheet: &Sheet, c: &Cell) -> bool {
    sheet.parse(c).status == Status::Blank
}

/// A lone symbol (△, ◎) where a year's achievement goes: a printed mark,
/// never the next year's value.
fn is_mark(sheet: &Sheet, c: &Cell) -> bool {
    let t = c.raw.trim();
    let mut chars = t.chars();
    let lone = chars.next().is_some_and(|ch| !ch.is_alphanumeric()) && chars.next().is_none();
    lone && sheet.parse(c).value.is_none()
}

fn is_achievement(sheet: &Sheet, c: &Cell) -> bool {
    let p: Parsed = sheet.parse(c);
    p.unit.as_deref() == Some("%") && p.value.is_some()
}
