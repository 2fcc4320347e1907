//! 具体的取組及び工程 / 工程: tasks × (fiscal year, period) with 目標/実績
//! (or 計画/結果) text.
//!
//! ```text
//!   具体的取組            | 目標 実績 | 令和3年度 ─────────────── | 令和4年度 …
//!                         |           | 1四半期 2四半期 3四半期 4四半期 | …
//!   1 申請件数が多く…        (a task group)
//!   電子申請化             | 目標 実績 | 通知発出 実施なし | …
//!
//!   工程 | 具体的方策         | R5年度 | R6年度 | R7年度      (years, no quarters)
//!        | 1. 庁内のペーパーレス化推進 | 調査・分析 … | 78% | 80%
//! ```
//! PDF extraction merged each task's 目標 and 実績 rows into one line
//! (`目標 実績`, `通知発出 実施なし`): a cell of exactly two words is split
//! into target and actual; any other cell keeps both as `target_actual`.

use super::Sheet;
use super::columns::{self, HeaderRules};
use super::fields::ItemContext;
use super::items::body_end;
use crate::mapping::text::fold_char;
use crate::mapping::{Labels, Layout, ScheduleTable, norm_label};
use crate::model::{DiagCode, ScheduleEntry, ScheduleKind, args};
use crate::source::Cell;

/// Which row(s) of the plan a kind cell names.
#[derive(Debug, Clone, Copy, PartialEq)]
enum KindLabel {
    Target,
    Actual,
    Both,
}

fn kind_label(t: &ScheduleTable, text: &str) -> Option<KindLabel> {
    // Called on every cell of the table: most cells start with no target
    // label's first character, and are answered before any allocation.
    let first = text.chars().find(|c| !c.is_whitespace()).map(fold_char)?;
    let may_start = |l: &Labels| l.iter().any(|x| x.starts_with(first));
    if !may_start(&t.target) && !may_start(&t.actual) {
        return None;
    }
    let mut words = text.split_whitespace();
    let is_t = |w: &str| t.target.matches(w);
    let is_a = |w: &str| t.actual.matches(w);
    match (words.next(), words.next(), words.next()) {
        (Some(w), None, _) if is_t(w) => Some(KindLabel::Target),
        (Some(w), None, _) if is_a(w) => Some(KindLabel::Actual),
        (Some(a), Some(b), None) if is_t(a) && is_a(b) => Some(KindLabel::Both),
        _ => {
            // 目標実績 written without a space.
            let n = norm_label(text);
            let both = t
                .target
                .iter()
                .any(|x| n.strip_prefix(x.as_str()).is_some_and(|rest| t.actual.iter().any(|y| rest == y)));
            both.then_some(KindLabel::Both)
        }
    }
}

/// Reads the table whose header is row `r`; returns its last row.
pub fn read(sheet: &mut Sheet, layout: &Layout, t: &ScheduleTable, ctx: &mut ItemContext, r: u32, last: u32) -> u32 {
    let header: Vec<Cell> = sheet.row(r).to_vec();
    sheet.take(&header[0]);
    let task_col = header
        .iter()
        .find(|c| t.task.matches(&c.raw))
        .map(|c| c.col)
        .unwrap_or(header[0].col);
    for c in header.iter().filter(|c| t.task.matches(&c.raw)) {
        sheet.take(c);
    }
    let sub = r + 1;
    let is_period_row = |s: &Sheet| {
        s.row(sub)
            .iter()
            .any(|c| matches!(s.vocab.parse_period(&c.raw).map(|p| p.period), Some(crate::normalize::Period::Q(_))))
    };
    let has_sub = sub <= last && is_period_row(sheet);
    let header_rows: Vec<u32> = if has_sub { vec![r, sub] } else { vec![r] };
    let skip = |text: &str| kind_label(t, text).is_some() || t.skip_header.matches(text);
    let rules = HeaderRules {
        baseline: None,
        target: None,
        skip: &skip,
    };
    let model = columns::build(sheet, &header_rows, task_col, &rules);
    let body_start = header_rows[header_rows.len() - 1] + 1;
    let end = body_end(sheet, layout, body_start, last);
    let mut group: Option<String> = None;
    let mut last_task: Option<String> = None;
    let mut split_noted = false;
    for row in body_start..=end {
        let cells: Vec<Cell> = sheet.row(row).to_vec();
        if cells.is_empty() {
            continue;
        }
        let kind_cell = cells.iter().find(|c| kind_label(t, &c.raw).is_some()).cloned();
        let task_cell = cells
            .iter()
            .find(|c| c.col == task_col && Some(c.col) != kind_cell.as_ref().map(|k| k.col))
            .cloned();
        if cells.len() == 1
            && kind_cell.is_none()
            && let Some(tc) = &task_cell
            && t.group.as_ref().is_none_or(|re| re.is_match(tc.raw.trim()))
        {
            sheet.take(tc);
            group = Some(tc.raw.trim().to_string());
            last_task = None;
            continue;
        }
        let task = match &task_cell {
            Some(tc) => {
                sheet.take(tc);
                last_task = Some(tc.raw.trim().to_string());
                last_task.clone()
            }
            None => last_task.clone(),
        };
        let kind = match &kind_cell {
            Some(k) => {
                sheet.take(k);
                kind_label(t, &k.raw)
            }
            None => match t.default_kind.as_deref() {
                Some("actual") => Some(KindLabel::Actual),
                _ => Some(KindLabel::Target),
            },
        };
        let skip_cols = [task_cell.as_ref().map(|c| c.col), kind_cell.as_ref().map(|c| c.col)];
        for cell in cells.iter().filter(|c| !skip_cols.contains(&Some(c.col))) {
            if cell.col < task_col {
                // 関連目標 (①② ③④) beside the task: a reference, not a schedule entry.
                sheet.diag_cell(DiagCode::ScheduleReference, args![], cell);
                continue;
            }
            let (Some(spec), Some(task)) = (model.get(cell.col).cloned(), task.clone()) else {
                sheet.diag_cell(DiagCode::UnplacedCell, args!["case" => "schedule"], cell);
                continue;
            };
            sheet.take(cell);
            let entries: Vec<(ScheduleKind, String)> = match kind {
                Some(KindLabel::Both) => {
                    let words: Vec<&str> = cell.raw.split_whitespace().collect();
                    if words.len() == 2 {
                        if !split_noted {
                            split_noted = true;
                            sheet.note(DiagCode::ScheduleCellSplit, args![], cell);
                        }
                        vec![
                            (ScheduleKind::Target, words[0].to_string()),
                            (ScheduleKind::Actual, words[1].to_string()),
                        ]
                    } else {
                        vec![(ScheduleKind::TargetActual, cell.raw.trim().to_string())]
                    }
                }
                Some(KindLabel::Actual) => vec![(ScheduleKind::Actual, cell.raw.trim().to_string())],
                _ => vec![(ScheduleKind::Target, cell.raw.trim().to_string())],
            };
            // A task drawn over several periods (a cell merged across them, a
            // Gantt bar) is scheduled in each, as the sheet shows it.
            let mut specs = vec![spec];
            specs.extend(merged_columns(sheet, cell).filter_map(|c| model.get(c).cloned()));
            for spec in &specs {
                for (k, text) in &entries {
                    sheet.out.schedule.push(ScheduleEntry {
                        plan: ctx.plan.clone(),
                        initiative_no: ctx.initiative_no.clone(),
                        task_group: group.clone(),
                        task: task.clone(),
                        fiscal_year: spec.fiscal_year,
                        period: spec.period,
                        kind: *k,
                        text: text.clone(),
                        at: sheet.at(cell),
                    });
                }
            }
        }
    }
    end.max(header_rows[header_rows.len() - 1])
}

/// The columns right of `cell` that a merge starting at it covers, in its row.
fn merged_columns(sheet: &Sheet, cell: &Cell) -> impl Iterator<Item = u32> {
    let last = sheet.grid.merge_at(cell.row, cell.col).map_or(cell.col, |m| m.last_col);
    cell.col + 1..=last
}
