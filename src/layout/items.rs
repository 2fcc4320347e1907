//! Cutting a sheet into items (one 取組票 each) and reading each item's blocks.
//!
//! An item starts at a row whose first cell is an anchor label (実施項目) or
//! matches the anchor pattern (`No.1 …`), widened upwards over the lead fields
//! (目標N, 改革) that stand just above it; it ends where the next item starts.

use super::{Sheet, SheetReport, achievement_table, evaluation_block, fields, indicator_table, plan_table, progress_table, schedule_table};
use crate::mapping::{FieldKind, LabelHit, Labels, Layout};
use crate::model::{DiagCode, Initiative, args};
use crate::source::Cell;

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
            if sheet.is_blank(r) {
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
    // The label with its value beside it, or in the same cell.
    let has_value = |hit: &LabelHit| hit.value.is_some() || sheet.row(r).len() > 1;
    layout.item.anchor_labels.match_cell(&first.raw).is_some_and(|hit| has_value(&hit))
        || layout.item.anchor_pattern.as_ref().is_some_and(|re| re.is_match(first.raw.trim()))
}

/// Sets aside every row of page furniture (a ruling line, `- 4 -` at a page
/// break): reported once and read as blank, so a table split by a page break
/// reads on.
pub fn set_aside_furniture(sheet: &mut Sheet, layout: &Layout) {
    for r in 0..sheet.grid.height() {
        if is_decoration_row(sheet, layout, r) || layout.list_table.is_some() && is_page_head(sheet, r) {
            sheet.set_aside_as_furniture(r);
        }
    }
}

/// In a list, a row holding only, in the first column, a page's number as
/// `2／4` (page 2 of 4) or the sheet's title again (the words before its
/// brackets the same as the sheet's first cell): what a PDF's extraction
/// leaves after a page break. Read as a heading, the title became the goal of
/// the items below it (its other date lost, unsaid). Not in the item layouts,
/// where a goal line (目標1 …) rightly recurs above each item.
fn is_page_head(sheet: &Sheet, r: u32) -> bool {
    let [cell] = sheet.grid.row(r) else { return false };
    if cell.col != 0 {
        return false;
    }
    let folded = crate::normalize::fold_ascii_width(cell.raw.trim());
    let page_of = folded.split_once('/').is_some_and(|(n, m)| {
        let num = |s: &str| s.trim().parse::<u32>().ok();
        matches!((num(n), num(m)), (Some(n), Some(m)) if 0 < n && n <= m && m < 1000)
    });
    page_of || is_title_again(sheet, cell, &folded)
}

fn is_title_again(sheet: &Sheet, cell: &Cell, folded: &str) -> bool {
    let stem = |t: &str| t.split(['(', '（']).next().unwrap_or_default().trim().to_string();
    let Some(title) = (0..cell.row).flat_map(|r| sheet.grid.row(r)).next() else {
        return false;
    };
    let own = stem(folded);
    own.chars().count() >= 6 && own == stem(&crate::normalize::fold_ascii_width(title.raw.trim()))
}

/// True when every cell of the row is page furniture left by PDF extraction
/// (the vocabulary's ruling lines and page numbers, or the layout's own
/// `decoration_pattern`).
fn is_decoration_row(sheet: &Sheet, layout: &Layout, r: u32) -> bool {
    let own = layout.item.decoration.as_ref();
    let is_decoration = |t: &str| sheet.vocab.is_furniture(t) || own.is_some_and(|re| re.is_match(t.trim()));
    let cells = sheet.row(r);
    !cells.is_empty() && cells.iter().all(|c| is_decoration(&c.raw))
}

/// The kinds of block an item holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Indicators,
    Progress,
    Plan,
    Schedule,
    Evaluation,
    Achievement,
}

impl Block {
    fn name(self) -> &'static str {
        match self {
            Block::Indicators => "indicator_table",
            Block::Progress => "progress_table",
            Block::Plan => "plan_table",
            Block::Schedule => "schedule_table",
            Block::Evaluation => "evaluation_block",
            Block::Achievement => "achievement_table",
        }
    }
}

/// The block whose header is row `r`, if any.
fn block_at(sheet: &Sheet, layout: &Layout, r: u32) -> Option<Block> {
    let first = sheet.row(r).first()?;
    // A header label may carry its first column's header in the same cell
    // (`指標項目 R5目標値`): that counts as one more header cell.
    let header = |labels: &Labels| labels.match_cell(&first.raw).map(|hit| hit.value.is_some() as usize);
    let others = sheet.row(r).len() - 1;
    if let Some(t) = &layout.indicator_table
        && header(&t.header).is_some()
        && indicator_table::is_header(sheet, t, r)
    {
        return Some(Block::Indicators);
    }
    if let Some(inline) = layout.progress_table.as_ref().and_then(|t| header(&t.header))
        && others + inline >= 2
    {
        return Some(Block::Progress);
    }
    if let Some(inline) = layout.plan_table.as_ref().and_then(|t| header(&t.header))
        && others + inline >= 2
    {
        return Some(Block::Plan);
    }
    if let Some(inline) = layout.schedule_table.as_ref().and_then(|t| header(&t.header))
        && others + inline >= 1
    {
        return Some(Block::Schedule);
    }
    if layout.evaluation_block.as_ref().is_some_and(|t| header(&t.header).is_some()) {
        return Some(Block::Evaluation);
    }
    if layout.achievement_table.as_ref().is_some_and(|t| t.header.matches(&first.raw)) && others >= 1 {
        return Some(Block::Achievement);
    }
    None
}

/// Reads one item: header fields (above the first block), then each block.
/// An item whose heading calls it an example is set aside unread.
pub fn read_item(sheet: &mut Sheet, layout: &Layout, ext: Extent, report: &mut SheetReport) {
    if let Some(mark) = example_heading(sheet, ext) {
        sheet.set_aside_example_item(&mark, (ext.first, ext.last));
        return;
    }
    let mut item = Initiative {
        plan: layout.plan.clone(),
        ..Default::default()
    };
    let first_block = (ext.first..=ext.last)
        .find(|&r| block_at(sheet, layout, r).is_some())
        .unwrap_or(ext.last + 1);
    // The initiative's identity is needed by every block, so fields come first.
    let mut ctx = fields::read(sheet, layout, ext, first_block.saturating_sub(1), &mut item);
    if item.initiative_no.is_empty()
        && item.initiative.is_empty()
        && let Some(cell) = sheet.row(ext.anchor).first().cloned()
    {
        sheet.note(DiagCode::ItemWithoutTitle, args![], &cell);
    }
    let mut r = ext.first;
    while r <= ext.last {
        if let Some(field) = restarts_at(sheet, layout, &item, r, ext.last) {
            // Another item's fields under a heading the layout does not know:
            // reading on would credit its tables to this item.
            let message = args![
                "case" => "inside",
                "label" => field.raw.trim(),
                "item" => item.initiative_no,
                "from" => ext.first + 1,
                "anchor" => super::expected_anchor(layout)
            ];
            sheet.note(DiagCode::ItemHeadingMissing, message, &field);
            break;
        }
        if let Some(block) = block_at(sheet, layout, r) {
            let end = read_block(sheet, layout, &mut ctx, block, r, ext.last);
            report.blocks.push((block.name().to_string(), r, end));
            r = end + 1;
            continue;
        }
        if let Some(first) = sheet.row(r).first().cloned()
            && layout.section_labels.matches(&first.raw)
            && sheet.row(r).len() == 1
        {
            sheet.take(&first);
        }
        r += 1;
    }
    report.blocks.push((format!("item {}", item.initiative_no), ext.first, ext.last));
    ctx.finish(sheet);
    sheet.out.initiatives.push(item);
}

/// The cell of an item's heading (its anchor row and the lead rows above
/// it) that calls the item a template's example: an example word or mark
/// (`実施項目 | (例) ○○システムの導入`, [`crate::normalize::Vocabulary::is_example`]),
/// or a title that is a placeholder (`実施項目 | (11) ○○の推進`). Only the
/// anchor row's title counts for a placeholder: a lead row's other fields
/// (関係所属 ○○) may be left unfilled on a live sheet.
fn example_heading(sheet: &Sheet, ext: Extent) -> Option<Cell> {
    let vocab = sheet.vocab;
    let marked = (ext.first..=ext.anchor)
        .flat_map(|r| sheet.row(r))
        .find(|c| vocab.is_example(&c.raw));
    let placeholder = || sheet.row(ext.anchor).iter().find(|c| vocab.is_placeholder(&c.raw));
    marked.or_else(placeholder).cloned()
}

/// Field rows of an item (its 担当課 and 取組内容, say) not read as fields:
/// at least two kinds among the rows from `r` to the next table. When the
/// item already holds those fields, they are a second item's whose heading
/// was not recognised. The first such cell, when so.
fn restarts_at(sheet: &Sheet, layout: &Layout, item: &Initiative, r: u32, last: u32) -> Option<Cell> {
    let first = fields::unread_field_at(sheet, layout, r)?;
    if !fields::has_field(item, first) {
        return None;
    }
    let kinds = unread_fields_until_block(sheet, layout, r, last);
    (kinds.len() >= 2 && kinds.iter().all(|&(_, k)| fields::has_field(item, k))).then(|| sheet.row(r)[0].clone())
}

/// The distinct kinds of the unread field labels that start rows `from..=last`,
/// up to the first table header, each with the first row holding it (so the
/// first entry's row is the first such row).
fn unread_fields_until_block(sheet: &Sheet, layout: &Layout, from: u32, last: u32) -> Vec<(u32, FieldKind)> {
    let mut kinds: Vec<(u32, FieldKind)> = Vec::new();
    for r in from..=last {
        if block_at(sheet, layout, r).is_some() {
            break;
        }
        if let Some(k) = fields::unread_field_at(sheet, layout, r)
            && !kinds.iter().any(|&(_, seen)| seen == k)
        {
            kinds.push((r, k));
        }
    }
    kinds
}

/// Rows before the first item that hold an item's fields (two kinds or more):
/// an item whose heading is in a form the layout does not know. One
/// `item_heading_missing` warning at the first; the rows stay unread.
pub fn flag_fields_before(sheet: &mut Sheet, layout: &Layout, first_item: u32) {
    let Some(end) = first_item.checked_sub(1) else { return };
    let kinds = unread_fields_until_block(sheet, layout, 0, end);
    let (true, Some(&(first_row, _))) = (kinds.len() >= 2, kinds.first()) else {
        return;
    };
    let cell = sheet.row(first_row)[0].clone();
    let message = args!["case" => "before-first", "label" => cell.raw.trim(), "anchor" => super::expected_anchor(layout)];
    sheet.note(DiagCode::ItemHeadingMissing, message, &cell);
}

fn read_block(sheet: &mut Sheet, layout: &Layout, ctx: &mut fields::ItemContext, block: Block, r: u32, last: u32) -> u32 {
    match block {
        Block::Indicators => indicator_table::read(sheet, layout, layout.indicator_table.as_ref().expect("matched"), ctx, r, last),
        Block::Progress => progress_table::read(sheet, layout, layout.progress_table.as_ref().expect("matched"), ctx, r, last),
        Block::Plan => plan_table::read(sheet, layout, layout.plan_table.as_ref().expect("matched"), ctx, r, last),
        Block::Schedule => schedule_table::read(sheet, layout, layout.schedule_table.as_ref().expect("matched"), ctx, r, last),
        Block::Evaluation => evaluation_block::read(sheet, layout, layout.evaluation_block.as_ref().expect("matched"), ctx, r, last),
        Block::Achievement => achievement_table::read(sheet, layout, ctx, r, last),
    }
}

/// The last row of a table body that starts at `from`: it runs until a blank
/// row, a row that starts another block or item label, or the item's end.
/// One or two blank rows followed by a numbered indicator (`②…`) are inside
/// the table (a row left empty after the header or between indicators), not its end.
pub fn body_end(sheet: &Sheet, layout: &Layout, from: u32, last: u32) -> u32 {
    let mut r = from;
    let mut end = from.saturating_sub(1);
    while r <= last {
        if sheet.is_blank(r) {
            match numbered_after_blanks(sheet, layout, r, last) {
                Some(next) => {
                    r = next;
                    continue;
                }
                None => break,
            }
        }
        if starts_something(sheet, layout, r) {
            break;
        }
        end = r;
        r += 1;
    }
    end
}

/// The row after the blank rows from `r` (two at most, not counting page
/// furniture) when it starts no other block and either a page number or
/// ruling line stood among the blanks (a page break inside the table: the
/// row may be an indicator's second row) or a numbered indicator is among
/// its first two cells (a group label may come first, as 取組目標 does in
/// the plan table).
fn numbered_after_blanks(sheet: &Sheet, layout: &Layout, r: u32, last: u32) -> Option<u32> {
    let mut blanks = 0;
    let mut page_break = false;
    let mut next = r;
    while sheet.is_blank(next) {
        let furniture = sheet.is_furniture(next);
        page_break |= furniture;
        blanks += usize::from(!furniture);
        if blanks > 2 || next >= last {
            return None;
        }
        next += 1;
    }
    let numbered = || {
        sheet
            .row(next)
            .iter()
            .take(2)
            .any(|c| sheet.vocab.parse_numbered_indicator(&c.raw).is_some())
    };
    ((page_break || numbered()) && !starts_something(sheet, layout, next)).then_some(next)
}

fn starts_something(sheet: &Sheet, layout: &Layout, r: u32) -> bool {
    let Some(first) = sheet.row(r).first() else { return false };
    let l = &first.raw;
    let starts = |labels: &Labels| labels.match_cell(l).is_some();
    layout.section_labels.matches(l)
        || layout.evaluation_block.as_ref().is_some_and(|t| starts(&t.header))
        || layout.indicator_table.as_ref().is_some_and(|t| starts(&t.header))
        || layout.progress_table.as_ref().is_some_and(|t| starts(&t.header))
        || layout.plan_table.as_ref().is_some_and(|t| starts(&t.header))
        || layout.schedule_table.as_ref().is_some_and(|t| starts(&t.header))
        || layout.achievement_table.as_ref().is_some_and(|t| t.header.matches(l))
        || layout.fields.iter().any(|f| starts(&f.labels))
}
