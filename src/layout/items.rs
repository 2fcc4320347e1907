//! Cutting a sheet into items (one 取組票 each) and reading each item's blocks.
//!
//! An item starts at a row whose first cell is an anchor label (実施項目) or
//! matches the anchor pattern (`No.1 …`), widened upwards over the lead fields
//! (目標N, 改革) that stand just above it; it ends where the next item starts.

use super::{Sheet, SheetReport, fields, indicator_table, plan_table, progress_table, schedule_table};
use crate::mapping::{Layout, norm_label};
use crate::model::{Initiative, Severity};

/// Rows [first, last] of one item, and its anchor row.
#[derive(Debug, Clone, Copy)]
pub struct Extent {
    pub first: u32,
    pub last: u32,
    pub anchor: u32,
}

/// Finds every item of the sheet.
pub fn find(sheet: &mut Sheet, layout: &Layout) -> Vec<Extent> {
    let height = sheet.grid.height();
    let anchors: Vec<u32> = (0..height).filter(|&r| is_anchor(sheet, layout, r)).collect();
    let mut starts = Vec::with_capacity(anchors.len());
    for (i, &a) in anchors.iter().enumerate() {
        let floor = if i == 0 { 0 } else { anchors[i - 1] + 1 };
        let mut start = a;
        let mut r = a;
        while r > floor {
            r -= 1;
            if sheet.is_blank(r) || is_decoration_row(sheet, layout, r) {
                continue;
            }
            if fields::is_lead_row(sheet, layout, r) {
                start = r;
            } else {
                break;
            }
        }
        starts.push(start);
    }
    let mut out = Vec::new();
    for (i, &first) in starts.iter().enumerate() {
        let last = starts.get(i + 1).map(|&n| n.saturating_sub(1)).unwrap_or(height.saturating_sub(1));
        out.push(Extent {
            first,
            last,
            anchor: anchors[i],
        });
    }
    out
}

fn is_anchor(sheet: &Sheet, layout: &Layout, r: u32) -> bool {
    let Some(first) = sheet.row(r).first() else { return false };
    let has_value = sheet.row(r).len() > 1;
    (layout.item.anchor_labels.matches(&first.raw) && has_value)
        || layout.item.anchor_pattern.as_ref().is_some_and(|re| re.is_match(first.raw.trim()))
}

/// True when every cell of the row is a ruling line left by PDF extraction.
pub fn is_decoration_row(sheet: &Sheet, layout: &Layout, r: u32) -> bool {
    let Some(re) = &layout.item.decoration else { return false };
    let cells = sheet.row(r);
    !cells.is_empty() && cells.iter().all(|c| re.is_match(c.raw.trim()))
}

/// Reads one item: blocks first (their rows are theirs), then header fields in the rest.
pub fn read_item(sheet: &mut Sheet, layout: &Layout, ext: Extent, report: &mut SheetReport) {
    let mut block_rows = Vec::new();
    let mut item = Initiative {
        plan: layout.plan.clone(),
        ..Default::default()
    };
    // The initiative's identity is needed by every block, so fields come first.
    let mut ctx = fields::read(sheet, layout, ext, &mut item);
    if item.initiative_no.is_empty() && item.initiative.is_empty() {
        if let Some(cell) = sheet.row(ext.anchor).first().cloned() {
            sheet.note(
                Severity::Warning,
                "item_without_title",
                "this item has no readable number or title; its rows carry empty initiative columns",
                &cell,
            );
        }
    }
    let mut r = ext.first;
    while r <= ext.last {
        if let Some(end) = read_block_at(sheet, layout, &mut ctx, r, ext.last, &mut block_rows) {
            r = end + 1;
        } else {
            if is_decoration_row(sheet, layout, r) {
                let cells: Vec<_> = sheet.row(r).to_vec();
                for c in &cells {
                    sheet.diag_cell(
                        Severity::Info,
                        "decoration",
                        "a ruling line from PDF extraction; it holds no data",
                        c,
                    );
                }
            } else if let Some(first) = sheet.row(r).first().cloned() {
                if layout.section_labels.matches(&first.raw) && sheet.row(r).len() == 1 {
                    sheet.take(&first);
                }
            }
            r += 1;
        }
    }
    report.blocks.extend(block_rows);
    report.blocks.push((format!("item {}", item.initiative_no), ext.first, ext.last));
    ctx.finish(sheet);
    sheet.out.initiatives.push(item);
}

/// Reads the block starting at row `r`, if one does; returns its last row.
fn read_block_at(
    sheet: &mut Sheet,
    layout: &Layout,
    ctx: &mut fields::ItemContext,
    r: u32,
    last: u32,
    blocks: &mut Vec<(String, u32, u32)>,
) -> Option<u32> {
    let first = sheet.row(r).first()?.clone();
    let label = norm_label(&first.raw);
    let others = sheet.row(r).len() - 1;
    if let Some(t) = &layout.indicator_table {
        if t.header.matches(&label) && indicator_table::is_header(sheet, t, r) {
            let end = indicator_table::read(sheet, layout, t, ctx, r, last);
            blocks.push(("indicator_table".into(), r, end));
            return Some(end);
        }
    }
    if let Some(t) = &layout.progress_table {
        if t.header.matches(&label) && others >= 2 {
            let end = progress_table::read(sheet, layout, t, ctx, r, last);
            blocks.push(("progress_table".into(), r, end));
            return Some(end);
        }
    }
    if let Some(t) = &layout.plan_table {
        if t.header.matches(&label) && others >= 2 {
            let end = plan_table::read(sheet, layout, t, ctx, r, last);
            blocks.push(("plan_table".into(), r, end));
            return Some(end);
        }
    }
    if let Some(t) = &layout.schedule_table {
        if t.header.matches(&label) && others >= 1 {
            let end = schedule_table::read(sheet, layout, t, ctx, r, last);
            blocks.push(("schedule_table".into(), r, end));
            return Some(end);
        }
    }
    None
}

/// The last row of a table body that starts at `from`: it runs until a blank
/// row, a row that starts another block or item label, or the item's end.
pub fn body_end(sheet: &Sheet, layout: &Layout, from: u32, last: u32) -> u32 {
    let mut r = from;
    let mut end = from.saturating_sub(1);
    while r <= last {
        if sheet.is_blank(r) || starts_something(sheet, layout, r) {
            break;
        }
        end = r;
        r += 1;
    }
    end
}

fn starts_something(sheet: &Sheet, layout: &Layout, r: u32) -> bool {
    let Some(first) = sheet.row(r).first() else { return false };
    let l = &first.raw;
    layout.section_labels.matches(l)
        || layout.indicator_table.as_ref().is_some_and(|t| t.header.matches(l))
        || layout.progress_table.as_ref().is_some_and(|t| t.header.matches(l))
        || layout.plan_table.as_ref().is_some_and(|t| t.header.matches(l))
        || layout.schedule_table.as_ref().is_some_and(|t| t.header.matches(l))
        || layout.fields.iter().any(|f| f.labels.matches(l))
}
