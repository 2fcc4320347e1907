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
    let mut slots: Vec<i32> = Vec::new();
    let mut last_year_col = 0;
    for (i, c) in header.iter().enumerate() {
        let text = norm_label(&c.raw);
        if i == 0 || t.skip_header.matches(&text) {
            sheet.take(c);
        } else if let Some(fy) = sheet.vocab.header_year(&text) {
            if slots.is_empty() && !t.baseline.is_match(&text) {
                // No baseline column: slot 0 is still reserved so years keep their order.
                slots.push(i32::MIN);
            }
            slots.push(fy);
            last_year_col = c.col;
            sheet.take(c);
        }
    }
    let end = body_end(sheet, layout, r + 1, last);
    let mut group: Option<String> = None;
    let mut current: Option<usize> = None;
    for row in r + 1..=end {
        let cells: Vec<Cell> = sheet.row(row).to_vec();
        let Some(kpos) = cells.iter().position(|c| t.target.matches(&c.raw) || t.actual.matches(&c.raw)) else {
            for c in &cells {
                sheet.diag_cell(DiagCode::AmbiguousRow, args!["case" => "plan-no-kind"], c);
            }
            continue;
        };
        for c in &cells[..kpos] {
            if t.groups.matches(&c.raw) {
                group = Some(c.raw.trim().to_string());
                sheet.take(c);
            } else if let Some((no, name)) = sheet.vocab.parse_indicator_marker(&c.raw) {
                let deleted = crate::normalize::is_parenthesised_indicator(&c.raw);
                let idx = ctx.indicator(Some(no as i32), &name, deleted, sheet.at(c));
                ctx.indicators[idx].indicator_group = group.clone();
                current = Some(idx);
                sheet.take(c);
            } else if let Some(idx) = current.filter(|_| c.raw.trim().chars().all(|ch| ch.is_ascii_digit())) {
                ctx.indicators[idx].kgi = Some(c.raw.trim().to_string());
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
            for c in &cells[kpos..] {
                sheet.diag_cell(DiagCode::RowWithoutIndicator, args!["case" => "plan"], c);
            }
            continue;
        };
        sheet.take(kind_cell);
        let row = Row {
            kind,
            slots: &slots,
            last_year_col,
        };
        read_sequence(sheet, ctx, idx, &row, &cells[kpos + 1..]);
    }
    end.max(r)
}

fn is_unit_only(sheet: &Sheet, c: &Cell) -> bool {
    let p = sheet.vocab.parse_value(&c.raw);
    p.status == Status::Text && !c.raw.chars().any(|ch| ch.is_ascii_digit()) && c.raw.trim().chars().count() <= 6
}

/// What a 目標 / 実績 row is read against: its kind and the header's years.
struct Row<'s> {
    kind: Kind,
    slots: &'s [i32],
    /// The column of the header's last year label.
    last_year_col: u32,
}

fn read_sequence(sheet: &mut Sheet, ctx: &mut ItemContext, idx: usize, row: &Row, cells: &[Cell]) {
    let (kind, slots) = (row.kind, row.slots);
    // Extraction packs a row's cells together; a cell two or more empty columns
    // away (a memo column) is not the next year's value. Under the years, such a
    // gap is a year's empty unit and achievement cells (a unit typed into its value):
    // the last year's value, unit and achievement reach up to three columns past its label.
    let run = cells
        .windows(2)
        .position(|w| w[1].col > w[0].col + 2 && w[1].col > row.last_year_col + 3)
        .map(|p| p + 1)
        .unwrap_or(cells.len());
    for c in &cells[run..] {
        sheet.diag_cell(DiagCode::UnplacedCell, args!["case" => "set-apart"], c);
    }
    let cells = &cells[..run];
    let mut i = 0;
    let mut prev_col: Option<u32> = None;
    for (slot, &fy) in slots.iter().enumerate() {
        let Some(value) = cells.get(i) else { return };
        // Three or more empty columns since the last cell read are a year whose
        // value, unit and achievement were all left empty: that year has no
        // cell, and the next value keeps its own year.
        if let Some(p) = prev_col
            && value.col > p + 3
        {
            prev_col = Some(p + 3);
            continue;
        }
        i += 1;
        let mut parsed = sheet.parse(value);
        let mut raw = value.raw.trim().to_string();
        let mut used = vec![value.clone()];
        if let Some(u) = cells
            .get(i)
            .filter(|u| parsed.value.is_some() && parsed.unit.is_none() && is_unit_only(sheet, u))
        {
            // Value and unit in separate cells: read them joined.
            raw = format!("{}{}", raw, u.raw.trim());
            parsed = sheet.vocab.parse_value(&raw);
            used.push(u.clone());
            i += 1;
        }
        // The achievement follows its value and unit cells; a percentage further
        // right (past an empty unit and achievement) is the next year's value.
        if slot > 0
            && let Some(a) = cells.get(i).filter(|a| a.col <= value.col + 2 && is_achievement(sheet, a)).cloned()
        {
            // The printed actual ÷ target: kept to be checked against the evaluation's.
            super::achievement_table::record(sheet, ctx, idx, fy, &a);
            i += 1;
        }
        prev_col = cells.get(i.saturating_sub(1)).map(|c| c.col);
        if fy == i32::MIN {
            for c in &used {
                sheet.diag_cell(DiagCode::UnplacedCell, args!["case" => "no-baseline"], c);
            }
            continue;
        }
        for c in &used {
            sheet.take(c);
        }
        // The base year's 実績 is the baseline; its 目標 (usually a dash) stays a target.
        let kind = if slot == 0 && kind == Kind::Actual { Kind::Baseline } else { kind };
        let spec = PeriodSpec {
            fiscal_year: Some(fy),
            period: Period::FY,
            as_of: None,
        };
        let at = sheet.at(value);
        ctx.observe(sheet, idx, &spec, kind, &parsed, &raw, at);
    }
    for c in &cells[i.min(cells.len())..] {
        sheet.diag_cell(DiagCode::UnplacedCell, args!["case" => "extra-cells"], c);
    }
}

fn is_achievement(sheet: &Sheet, c: &Cell) -> bool {
    let p: Parsed = sheet.parse(c);
    p.unit.as_deref() == Some("%") && p.value.is_some()
}
