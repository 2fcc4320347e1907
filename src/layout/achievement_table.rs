//! A printed achievement table: per indicator and fiscal year, the 達成率 the
//! sheet shows (often formulas whose cached results are the numbers).
//!
//! ```text
//!   達成率                    | 令和3年度 | 令和4年度 | 令和5年度
//!   ① 優先度の高い行政手続電子化率 | 88.2%    | 128.2%   | 88.7%
//! ```
//! Each cell becomes a [`PrintedAchievement`] (checked against the computed
//! achievement by the evaluation) and an `achievement_cell` note.

use super::Sheet;
use super::fields::ItemContext;
use super::items::body_end;
use crate::mapping::Layout;
use crate::model::{DiagCode, EvalStatus, PrintedAchievement, Status, args};
use crate::source::Cell;

/// Reads the table whose header is row `r`; returns its last row.
pub fn read(sheet: &mut Sheet, layout: &Layout, ctx: &mut ItemContext, r: u32, last: u32) -> u32 {
    let header: Vec<Cell> = sheet.row(r).to_vec();
    let mut years = std::collections::BTreeMap::new();
    for (i, c) in header.iter().enumerate() {
        let fy = sheet.vocab.header_year(&c.raw);
        if i == 0 || fy.is_some() {
            sheet.take(c);
        }
        if let (Some(fy), true) = (fy, i > 0) {
            years.insert(c.col, fy);
        }
    }
    let end = body_end(sheet, layout, r + 1, last);
    for row in r + 1..=end {
        let cells: Vec<Cell> = sheet.row(row).to_vec();
        let Some(first) = cells.first() else { continue };
        let Some((no, name)) = sheet.vocab.parse_indicator_marker(&first.raw) else {
            continue; // not an indicator row: its cells stay unmapped
        };
        sheet.take(first);
        let deleted = sheet.vocab.is_deleted_indicator(&first.raw);
        let idx = ctx.indicator(Some(no as i32), &name, deleted, sheet.at(first));
        for c in &cells[1..] {
            let Some(&fy) = years.get(&c.col) else {
                sheet.diag_cell(DiagCode::UnplacedCell, args!["case" => "achievement"], c);
                continue;
            };
            record(sheet, ctx, idx, fy, c);
        }
    }
    end
}

/// Keeps one printed achievement and notes its cell. A formula error
/// (`#REF!` after a row was deleted, `#DIV/0!`) or a formula saved without its
/// result prints none: a `formula_error` warning, as where a value belongs.
pub fn record(sheet: &mut Sheet, ctx: &ItemContext, idx: usize, fy: i32, c: &Cell) {
    if let Some(problem) = super::formula_problem(c, false) {
        sheet.diag_cell(DiagCode::FormulaError, problem, c);
        return;
    }
    let p = sheet.parse(c);
    let rate = p.value.filter(|_| p.unit.as_deref() == Some("%"));
    let status = match sheet.vocab.achieved_word(&c.raw) {
        Some(true) => Some(EvalStatus::Achieved),
        Some(false) => Some(EvalStatus::NotAchieved),
        None => (p.status == Status::Pending).then_some(EvalStatus::Pending),
    };
    let ind = &ctx.indicators[idx];
    sheet.out.printed_achievements.push(PrintedAchievement {
        plan: ctx.plan.clone(),
        initiative_no: ctx.initiative_no.clone(),
        indicator_no: ind.indicator_no,
        indicator: ind.indicator.clone(),
        fiscal_year: Some(fy),
        rate,
        status,
        raw: c.raw.clone(),
        at: sheet.at(c),
    });
    let message = args!["indicator" => ind.indicator, "fy" => fy, "printed" => c.raw.trim()];
    sheet.diag_cell(DiagCode::AchievementCell, message, c);
}
