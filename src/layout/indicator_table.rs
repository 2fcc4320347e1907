//! 指標項目 table: indicator number, name and final target (R5目標値).
//!
//! ```text
//!   指標項目                         | R5目標値
//!   ① 優先度の高い行政手続電子化率    | 100%
//!   ①  | Wi-Fi整備済み県有施設数      | 31施設      ← number in its own cell
//! ```

use super::Sheet;
use super::fields::ItemContext;
use super::items::body_end;
use crate::mapping::{IndicatorTable, Layout, norm_label};
use crate::model::{DiagCode, args};

/// True when row `r` is this table's header: the label, then a final-target label.
pub fn is_header(sheet: &Sheet, t: &IndicatorTable, r: u32) -> bool {
    final_target_header(sheet, t, r).is_some()
}

/// The final-target label of header row `r` and the column its values stand
/// in: the text after the label in the first cell (`指標項目 R5目標値`, values in
/// the next column), or else the first header cell that names a year or kind.
/// Header cells that name neither (a 備考 or memo column divisions add, before
/// or after the target) are columns this table does not read.
fn final_target_header(sheet: &Sheet, t: &IndicatorTable, r: u32) -> Option<(String, u32)> {
    let row = sheet.row(r);
    let first = row.first()?;
    let is_target = |text: &str| t.final_target.is_match(&norm_label(text));
    if let Some(inline) = t.header.match_cell(&first.raw).and_then(|hit| hit.value)
        && is_target(&inline)
    {
        return Some((inline, first.col + 1));
    }
    let named = row[1..].iter().find(|c| !sheet.vocab.decode_header(&c.raw).is_empty())?;
    is_target(&named.raw).then(|| (named.raw.clone(), named.col))
}

/// Reads the table whose header is row `r`; returns its last row.
pub fn read(sheet: &mut Sheet, layout: &Layout, t: &IndicatorTable, ctx: &mut ItemContext, r: u32, last: u32) -> u32 {
    let (target_label, target_col) = final_target_header(sheet, t, r).unzip();
    let final_fy = target_label.and_then(|h| sheet.vocab.header_year(&h));
    let header: Vec<_> = sheet.row(r).to_vec();
    // When the header has columns besides the label and the target, a row's
    // target is the cell in the target's column; the others are not this table's.
    let only_col = target_col.filter(|tc| header.iter().skip(1).any(|c| c.col != *tc));
    let unit_col = super::progress_table::labelled_column(sheet, &t.units, &[r], header[0].col);
    for c in &header {
        sheet.take(c);
    }
    let mut end = body_end(sheet, layout, r + 1, last);
    let mut numbered = false;
    for row in r + 1..=end {
        let cells: Vec<_> = sheet.row(row).to_vec();
        let Some(first) = cells.first() else { continue };
        if sheet.is_taken(first) {
            continue; // the rest of the name above
        }
        if sheet.not_an_indicator(first, &cells) {
            continue;
        }
        let marker = sheet.vocab.parse_numbered_indicator(&first.raw);
        // A lone cell with no number under numbered indicators is the next
        // section's title (a sheet without blank rows), not an indicator.
        if marker.is_none() && numbered && cells.len() == 1 {
            end = row - 1;
            break;
        }
        numbered |= marker.is_some();
        let (no, mut name, deleted) = match marker {
            Some((n, rest)) => (Some(n as i32), rest, crate::normalize::is_parenthesised_indicator(&first.raw)),
            None => (None, first.raw.trim().to_string(), false),
        };
        let mut rest = &cells[1..];
        if name.is_empty() && !rest.is_empty() {
            name = rest[0].raw.trim().to_string();
            sheet.take(&rest[0]);
            rest = &rest[1..];
        }
        sheet.take(first);
        let at = sheet.at(first);
        let name = if no.is_some() {
            sheet.continued_name(name, (row, first.col), end)
        } else {
            name
        };
        let (name, name_unit) = sheet.vocab.split_name_unit(&name);
        let idx = ctx.indicator(no, &name, deleted, at);
        let unit = super::progress_table::row_unit(sheet, &cells, unit_col).or(name_unit);
        let in_target_col: Vec<_>;
        if let Some(tc) = only_col {
            in_target_col = rest.iter().filter(|c| c.col == tc).cloned().collect();
            rest = &in_target_col;
        }
        match rest {
            [] => {}
            [target] => {
                sheet.take(target);
                let parsed = super::list_table::with_unit(sheet, target, unit.as_deref());
                // `100%（R5）`: a final target kept as text, which nothing else reports.
                super::flag_number_as_text(sheet, crate::model::Kind::Target, &parsed, target);
                let ind = &mut ctx.indicators[idx];
                ind.final_target_raw = Some(target.raw.clone());
                ind.final_target_value = parsed.value;
                ind.final_target_fy = final_fy;
                if parsed.unit.is_some() {
                    ind.unit = parsed.unit.clone();
                }
                ctx.final_targets[idx] = Some((parsed, target.clone()));
            }
            more => {
                for c in more {
                    sheet.diag_cell(DiagCode::AmbiguousRow, args!["case" => "indicator-table"], c);
                }
            }
        }
    }
    end
}
