//! A KPI list's header lines checked against each other and against the
//! body before a column is read by them. The column model places each value
//! by the labels above it; when the labels are out of line (a text line that
//! lost a field, a year label over the second column of its group of kinds),
//! every value after the slip would be read one column off, as another year
//! or kind, with no word. Such a header is said once, and its value columns
//! are not read: each value is then listed as unread, none is misplaced.
//!
//! ```text
//!   基準値（R1） |        | 令和3年度 |        | 令和4年度 …   year labels one column right
//!               | 目標値  | 実績値    | 目標値  | 実績値    …   of their groups of kinds
//! ```

use std::collections::BTreeMap;

use super::Sheet;
use super::list_table::Column;
use crate::model::{Args, Kind, args};
use crate::normalize::HeaderWord;
use crate::source::Cell;
use crate::source::grid::col_letters;

/// A header whose columns cannot be placed: from which column on, and what to say where.
pub(super) struct Doubt {
    /// The first column whose label may head another column.
    pub from_col: u32,
    /// The top line (which holds the key labels: 担当課 …) lost a field: the
    /// key columns right of `from_col` are off too.
    pub keys_off: bool,
    pub args: Args,
    /// The header cell the warning stands at.
    pub at: Cell,
}

/// The doubt about the list's header (top row `header`, `bands` below it,
/// key columns `keys`), its body being `body`: a header line of text with
/// fewer fields than its rows, else year labels off their groups of kinds.
pub(super) fn check(
    sheet: &Sheet,
    header: u32,
    bands: &[Vec<Cell>],
    keys: &BTreeMap<u32, Column>,
    body: impl Iterator<Item = u32>,
) -> Option<Doubt> {
    header_short(sheet, header, bands, keys, body).or_else(|| year_off_group(sheet, header, bands, keys))
}

/// The header cells of rows `rows` at or right of `from`, as `D3 «令和3年度»`.
fn named(sheet: &Sheet, rows: &[u32], from: u32) -> String {
    rows.iter()
        .flat_map(|&r| sheet.row(r))
        .filter(|c| c.col >= from)
        .map(|c| format!("{} «{}»", c.a1(), c.raw.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first column of a header line (top or band) that is no key column:
/// where the value labels start.
fn first_value_label(sheet: &Sheet, rows: &[u32], keys: &BTreeMap<u32, Column>) -> Option<u32> {
    rows.iter()
        .flat_map(|&r| sheet.row(r))
        .filter(|c| !keys.contains_key(&c.col))
        .map(|c| c.col)
        .min()
}

/// Text from a PDF keeps every field of a table's lines, empty ones too
/// ([`body_width`]): a header line with fewer fields than its rows lost one
/// (the empty fields between year labels dropped, a tab lost), and which of
/// its labels moved cannot be told. Not repaired: the labels after the loss
/// would head the wrong columns (a value under 担当課 read as a division).
fn header_short(
    sheet: &Sheet,
    header: u32,
    bands: &[Vec<Cell>],
    keys: &BTreeMap<u32, Column>,
    body: impl Iterator<Item = u32>,
) -> Option<Doubt> {
    let width = body_width(sheet, body)?;
    let rows: Vec<u32> = (header..=header + bands.len() as u32).collect();
    let (short, fields) = rows
        .iter()
        .filter_map(|&r| Some((r, sheet.grid.fields_on_line(r)?)))
        .find(|&(_, f)| f < width)?;
    let from_col = first_value_label(sheet, &rows, keys)?;
    let at = sheet.row(short).iter().find(|c| c.col >= from_col)?.clone();
    let message = args![
        "case" => "header-short",
        "line" => short + 1,
        "fields" => fields,
        "width" => width,
        "headers" => named(sheet, &[short], from_col),
        "from" => col_letters(from_col)
    ];
    Some(Doubt {
        from_col,
        keys_off: short == header,
        args: message,
        at,
    })
}

/// The field count of the body's text lines when the text keeps empty
/// fields: at least half the lines have it, and one of them ends in an empty
/// field. Text typed by hand drops trailing empty fields, and has none.
fn body_width(sheet: &Sheet, body: impl Iterator<Item = u32>) -> Option<u32> {
    let lines: Vec<(u32, u32)> = body
        .filter(|&r| !sheet.is_blank(r))
        .filter_map(|r| Some((r, sheet.grid.fields_on_line(r)?)))
        .collect();
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for &(_, f) in &lines {
        *counts.entry(f).or_default() += 1;
    }
    let (&width, &n) = counts.iter().max_by_key(|&(_, n)| *n)?;
    let ends_empty = |r: u32| sheet.grid.row(r).last().is_some_and(|c| c.col + 1 < width);
    let kept = lines.iter().any(|&(r, f)| f == width && ends_empty(r));
    (kept && n * 2 >= lines.len()).then_some(width)
}

/// The kinds of a header band that name no year of their own (目標値, 実績値
/// （12月末）), by column.
fn kinds_of(sheet: &Sheet, band: &[Cell], keys: &BTreeMap<u32, Column>) -> Vec<(u32, Kind)> {
    band.iter()
        .filter(|c| !keys.contains_key(&c.col))
        .filter_map(|c| {
            let m = sheet.vocab.decode_header(&c.raw);
            match m.word {
                Some(HeaderWord::Value(kind)) if m.fiscal_year.is_none() => Some((c.col, kind)),
                _ => None,
            }
        })
        .collect()
}

/// Year labels over kinds (令和3年度 over 目標値 | 実績値) stand over the first
/// column of their group. One that stands over the second (a merged label
/// unmerged into its right-hand cell, a text line that shifted it) leaves
/// the column before it a kind with no year over it, one the labelled groups
/// hold, while every later column takes the year before its own: said, and
/// the kinds' columns are not read. A kind beside the groups that they do
/// not hold (a 基準値 with no year) is no sign of it.
fn year_off_group(sheet: &Sheet, header: u32, bands: &[Vec<Cell>], keys: &BTreeMap<u32, Column>) -> Option<Doubt> {
    let (band, kinds) = bands.iter().map(|b| (b, kinds_of(sheet, b, keys))).max_by_key(|(_, k)| k.len())?;
    let kind_row = band.first()?.row;
    let is_kind = |col: u32| kinds.iter().any(|&(c, _)| c == col);
    let labels: Vec<&Cell> = (header..kind_row)
        .flat_map(|r| sheet.row(r))
        .filter(|c| is_kind(c.col) && is_year_label(sheet, c))
        .collect();
    let first_label = labels.iter().map(|c| c.col).min()?;
    let &(orphan, kind) = kinds.iter().find(|&&(c, _)| c + 1 == first_label)?;
    let held = kinds.iter().any(|&(c, k)| c >= first_label && k == kind);
    if !held || year_over(sheet, header, kind_row, orphan) {
        return None;
    }
    // The group as the kinds repeat it: from the yearless column to the next of its kind.
    let next = kinds.iter().find(|&&(c, k)| c > orphan && k == kind).map_or(u32::MAX, |&(c, _)| c);
    let group: Vec<String> = band
        .iter()
        .filter(|c| (orphan..next).contains(&c.col))
        .map(|c| format!("{} «{}»", c.a1(), c.raw.trim()))
        .collect();
    let message = args![
        "case" => "year-off-group",
        "labels" => labels.iter().map(|c| format!("{} «{}»", c.a1(), c.raw.trim())).collect::<Vec<_>>().join(", "),
        "group" => group.join(", "),
        "from" => col_letters(orphan)
    ];
    Some(Doubt {
        from_col: orphan,
        keys_off: false,
        args: message,
        at: (*labels.iter().min_by_key(|c| c.col)?).clone(),
    })
}

/// A header cell that names a year and no kind (令和3年度).
fn is_year_label(sheet: &Sheet, cell: &Cell) -> bool {
    let m = sheet.vocab.decode_header(&cell.raw);
    m.fiscal_year.is_some() && m.word.is_none()
}

/// Whether a header row above the kinds gives column `col` a year: a label
/// over it or merged over it, or (text, merges lost) the nearest label to
/// its left in the top row being a year label that heads a band.
fn year_over(sheet: &Sheet, header: u32, kind_row: u32, col: u32) -> bool {
    let over = (header..kind_row).any(|r| {
        sheet
            .grid
            .get_merged(r, col)
            .is_some_and(|c| sheet.vocab.decode_header(&c.raw).fiscal_year.is_some())
    });
    let left = sheet.row(header).iter().rev().find(|c| c.col < col);
    over || left.is_some_and(|c| is_year_label(sheet, c))
}
