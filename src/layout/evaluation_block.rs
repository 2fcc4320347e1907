//! 年度ごとの実施結果評価: per fiscal year, the count of indicators achieved
//! (達成件数 `0 / 3`), and note rows (要因分析, 次年度への課題).
//!
//! ```text
//!   年度ごとの実施結果評価 | R2    |  | R3 | …
//!                          | 達成件数 | 0 / 3 | …
//!   要因分析 (…)            | …
//! ```
//! Cells are placed by year in order: the k-th value of a count row belongs to
//! the k-th year label (extraction shifts the labels, not their order).

use super::Sheet;
use super::fields::ItemContext;
use super::items::body_end;
use crate::mapping::{EvaluationBlock, Layout};
use crate::model::{DiagCode, EvaluationCount, args};
use crate::source::Cell;

/// Reads the block whose header is row `r`; returns its last row.
pub fn read(sheet: &mut Sheet, layout: &Layout, t: &EvaluationBlock, ctx: &mut ItemContext, r: u32, last: u32) -> u32 {
    let header: Vec<Cell> = sheet.row(r).to_vec();
    let mut years = Vec::new();
    for (i, c) in header.iter().enumerate() {
        if i == 0 {
            sheet.take(c);
        } else if let Some(fy) = sheet.vocab.header_year(&c.raw) {
            years.push(fy);
            sheet.take(c);
        }
    }
    // Note rows carry long labels; the body runs on through them.
    let mut end = body_end(sheet, layout, r + 1, last);
    while end < last
        && sheet
            .row(end + 1)
            .first()
            .is_some_and(|c| t.note_labels.iter().any(|re| re.is_match(c.raw.trim())))
    {
        end += 1;
    }
    for row in r + 1..=end {
        let cells: Vec<Cell> = sheet.row(row).to_vec();
        let Some(label) = cells.first() else { continue };
        if t.count_labels.matches(&label.raw) {
            sheet.take(label);
            for (k, c) in cells[1..].iter().enumerate() {
                let Some(caps) = t.count_pattern.captures(c.raw.trim()) else {
                    sheet.diag_cell(DiagCode::UnreadableCount, args![], c);
                    continue;
                };
                sheet.take(c);
                let num = |i: usize| {
                    caps.get(i)
                        .and_then(|m| crate::normalize::fold_ascii_width(m.as_str()).parse().ok())
                };
                sheet.out.evaluation_counts.push(EvaluationCount {
                    plan: ctx.plan.clone(),
                    initiative_no: ctx.initiative_no.clone(),
                    fiscal_year: years.get(k).copied(),
                    label: label.raw.trim().to_string(),
                    achieved: num(1),
                    total: num(2),
                    raw: c.raw.clone(),
                    at: sheet.at(c),
                });
            }
        } else if t.note_labels.iter().any(|re| re.is_match(label.raw.trim())) {
            // A note row's label is structure; a filled note has no table yet and is listed as unmapped.
            sheet.take(label);
        }
    }
    end.max(r)
}
