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

/// True when row `r` is this table's header: the label, then exactly one final-target label.
pub fn is_header(sheet: &Sheet, t: &IndicatorTable, r: u32) -> bool {
    final_target_header(sheet, t, r).is_some()
}

/// The final-target label of header row `r`: its second cell, or the text after
/// the label in the first cell (`指標項目 R5目標値`).
fn final_target_header(sheet: &Sheet, t: &IndicatorTable, r: u32) -> Option<String> {
    let row = sheet.row(r);
    let text = match row {
        [first] => t.header.match_cell(&first.raw)?.value?,
        [_, second] => second.raw.clone(),
        _ => return None,
    };
    t.final_target.is_match(&norm_label(&text)).then_some(text)
}

/// Reads the table whose header is row `r`; returns its last row.
pub fn read(sheet: &mut Sheet, layout: &Layout, t: &IndicatorTable, ctx: &mut ItemContext, r: u32, last: u32) -> u32 {
    let final_fy = final_target_header(sheet, t, r).and_then(|h| sheet.vocab.header_year(&h));
    let header: Vec<_> = sheet.row(r).to_vec();
    for c in &header {
        sheet.take(c);
    }
    let end = body_end(sheet, layout, r + 1, last);
    for row in r + 1..=end {
        let cells: Vec<_> = sheet.row(row).to_vec();
        let Some(first) = cells.first() else { continue };
        let (no, mut name, deleted) = match sheet.vocab.parse_indicator_marker(&first.raw) {
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
        let idx = ctx.indicator(no, &name, deleted, at);
        match rest {
            [] => {}
            [target] => {
                sheet.take(target);
                let parsed = sheet.parse(target);
                let ind = &mut ctx.indicators[idx];
                ind.final_target_raw = Some(target.raw.clone());
                ind.final_target_value = parsed.value;
                ind.final_target_fy = final_fy;
                if parsed.unit.is_some() {
                    ind.unit = parsed.unit.clone();
                }
                ctx.final_targets[idx] = Some(parsed);
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
