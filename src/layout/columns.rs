//! Header bands → a column model: which fiscal year, period and kind each
//! column holds.
//!
//! ```text
//!   指標項目 | 基準年(R1) | 令和3年度 ──────────────  | 目標値 | 令和4年度 …
//!            |            | 1四半期 2四半期 3四半期 4四半期 |        | 1四半期 …
//! ```
//! PDF extraction shifts header cells (the year label may sit one column off
//! its quarters), so quarters are grouped into runs (1..4) and the k-th run
//! takes the k-th year label; a 目標値 column belongs to the run before it.

use std::collections::BTreeMap;

use regex::Regex;

use super::Sheet;
use crate::model::{DiagCode, Kind, args};
use crate::normalize::HeaderWord;
use crate::normalize::Period;

/// One column of a table body.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    pub fiscal_year: Option<i32>,
    pub period: Period,
    pub kind: Kind,
    /// Set when the header lacked this column and the structure implied it.
    pub inferred: bool,
    /// The header calls the column's values estimates (R5見込): status approx.
    pub estimate: bool,
    /// A point in time (`6月末` under 令和3年度): the month whose end the
    /// values are as of; the period is then AS_OF.
    pub as_of_month: Option<u32>,
}

/// Label patterns a header band may use; `None` turns that kind off.
pub struct HeaderRules<'r> {
    pub baseline: Option<&'r Regex>,
    pub target: Option<&'r Regex>,
    /// Cells that are structure, not columns (e.g. the kind label 目標 実績).
    pub skip: &'r dyn Fn(&str) -> bool,
}

/// The model of a table's columns, keyed by column number.
#[derive(Debug, Clone, Default)]
pub struct ColumnModel {
    pub columns: BTreeMap<u32, ColumnSpec>,
    /// Q4 column of each year with quarters, in year order.
    pub q4_of_year: Vec<(i32, u32)>,
    pub target_of_year: BTreeMap<i32, u32>,
    /// The last year's Q4 (or 3月末) column when that year's target column
    /// is empty in every body row: the column the year's targets slid into
    /// (text from a PDF), see [`ColumnModel::mark_slid_column`].
    pub slid_column: Option<u32>,
}

impl ColumnModel {
    /// The spec of column `col`.
    pub fn get(&self, col: u32) -> Option<&ColumnSpec> {
        self.columns.get(&col)
    }

    /// Sets [`ColumnModel::slid_column`] from the table's body rows.
    pub fn mark_slid_column(&mut self, sheet: &Sheet, body_rows: &[u32]) {
        let Some(&(fy, q4)) = self.q4_of_year.last() else {
            return;
        };
        let Some(&target) = self.target_of_year.get(&fy) else {
            return;
        };
        let held = |col: u32| {
            body_rows
                .iter()
                .any(|&r| sheet.grid.get(r, col).is_some_and(|c| !c.raw.trim().is_empty()))
        };
        if !held(target) && held(q4) {
            self.slid_column = Some(q4);
        }
    }
}

/// Builds the model from header rows `rows` (one or two), for columns right of `label_col`.
/// Header cells used are marked consumed; ones not understood are left for `unmapped`.
pub fn build(sheet: &mut Sheet, rows: &[u32], label_col: u32, rules: &HeaderRules) -> ColumnModel {
    let mut years: Vec<(u32, i32)> = Vec::new();
    // Year labels by (header row index, column): a label straight above a column names its year.
    let mut year_above: Vec<(usize, u32, i32)> = Vec::new();
    let mut quarters: Vec<(u32, u8)> = Vec::new();
    // `令和3年度 1四半期` in one cell (the two header rows flattened into one).
    // `R5年度上期` likewise: a year's half in one cell.
    let mut dated_periods: Vec<(u32, i32, Period)> = Vec::new();
    let mut targets: Vec<u32> = Vec::new();
    // (column, month) of headers that are a month's end alone (6月末).
    let mut month_ends: Vec<(u32, u32)> = Vec::new();
    let mut dated_targets: Vec<(u32, i32)> = Vec::new();
    // Year labels that call their values estimates (R5見込).
    let mut estimates: Vec<u32> = Vec::new();
    let mut model = ColumnModel::default();
    let mut used = Vec::new();
    // Columns whose lower header cell says something not understood (4～6月):
    // the year label above them does not make them the year's one value.
    let mut unread_below: Vec<u32> = Vec::new();
    for (i, &r) in rows.iter().enumerate() {
        for cell in sheet.row(r) {
            if cell.col <= label_col {
                continue;
            }
            let text = crate::mapping::norm_label(&cell.raw);
            if (rules.skip)(&text) {
                used.push(cell);
            } else if rules.baseline.is_some_and(|re| re.is_match(&text)) {
                // 基準値(R2.3末): as of March 2020, the end of FY2019, not FY2020.
                let fy = sheet
                    .vocab
                    .decode_header(&cell.raw)
                    .fiscal_year
                    .or_else(|| sheet.vocab.header_year(&text));
                model.columns.insert(
                    cell.col,
                    ColumnSpec {
                        fiscal_year: fy,
                        period: Period::FY,
                        kind: Kind::Baseline,
                        inferred: false,
                        estimate: false,
                        as_of_month: None,
                    },
                );
                used.push(cell);
            } else if rules
                .target
                .is_some_and(|re| re.is_match(&text) || without_note(sheet, &text).is_some_and(|t| re.is_match(t)))
            {
                targets.push(cell.col);
                used.push(cell);
            } else if let Some(Period::Q(q)) = sheet
                .vocab
                .parse_period(&text)
                .filter(|p| p.fiscal_year.is_none())
                .map(|p| p.period)
            {
                quarters.push((cell.col, q));
                used.push(cell);
            } else if i > 0 && sheet.vocab.year_end_words.contains(&text) {
                // `年度末` where `4四半期` stands: the year's last quarter.
                quarters.push((cell.col, 4));
                used.push(cell);
            } else if let Some(date) = (i > 0).then(|| date_only(sheet, &cell.raw)).flatten() {
                // `2023/12/31` (or a date cell) where a quarter stands: the
                // quarter it ends; a date inside a quarter is left unread.
                match fiscal_quarter_ending(date) {
                    Some(q) => {
                        quarters.push((cell.col, q));
                        used.push(cell);
                    }
                    None => unread_below.push(cell.col),
                }
            } else if let Some(m) = month_end_only(sheet, &cell.raw) {
                // `6月末 9月末 12月末 3月末` under a year: points in time, placed in
                // their year as quarters are (runs by the fiscal year's month order).
                quarters.push((cell.col, fiscal_month(m)));
                month_ends.push((cell.col, m));
                used.push(cell);
            } else if let Some((fy, q)) = sheet.vocab.parse_period(&text).and_then(|p| match p.period {
                Period::Q(q) => p.fiscal_year.map(|fy| (fy, q)),
                _ => None,
            }) {
                dated_periods.push((cell.col, fy, Period::Q(q)));
                used.push(cell);
            } else if let Some((fy, h)) = sheet
                .vocab
                .mentions_half(&text)
                .then(|| sheet.vocab.parse_period(&text))
                .flatten()
                .and_then(|p| match p.period {
                    Period::H(h) => p.fiscal_year.map(|fy| (fy, h)),
                    _ => None,
                })
            {
                dated_periods.push((cell.col, fy, Period::H(h)));
                used.push(cell);
            } else if let Some(fy) = sheet.vocab.header_year(&text) {
                // R3目標値 / 目標値（2021）: a target column that names its own year,
                // not a year label over quarters.
                let names_target =
                    rules.target.is_some() && sheet.vocab.decode_header(&cell.raw).word == Some(HeaderWord::Value(Kind::Target));
                if names_target {
                    dated_targets.push((cell.col, fy));
                } else {
                    years.push((cell.col, fy));
                    year_above.push((i, cell.col, fy));
                    if sheet.vocab.decode_header(&cell.raw).estimate {
                        estimates.push(cell.col);
                    }
                }
                used.push(cell);
            } else if i > 0 && !text.is_empty() {
                unread_below.push(cell.col);
            }
        }
    }
    for cell in used {
        sheet.take(cell);
    }
    years.sort();
    quarters.sort();
    targets.sort();
    let runs = quarter_runs(&quarters);
    let by_order = assign_years(&runs, &years);
    // A year label merged over its quarter columns (workbooks) names their year
    // outright; the order-based assignment serves text, where merges are lost.
    let run_years: Vec<Option<i32>> = runs
        .iter()
        .zip(by_order)
        .map(|(run, fallback)| {
            merged_year(sheet, rows, run)
                .or_else(|| year_above_run(&year_above, run))
                .or(fallback)
        })
        .collect();
    // Year labels with no quarter run under them (all of them, in a table
    // without quarters) hold one value per year.
    for &(col, fy) in years.iter().skip(runs.len()).filter(|(col, _)| !unread_below.contains(col)) {
        model.columns.entry(col).or_insert(ColumnSpec {
            fiscal_year: Some(fy),
            period: Period::FY,
            kind: Kind::Actual,
            inferred: false,
            estimate: estimates.contains(&col),
            as_of_month: None,
        });
    }
    for (run, fy) in runs.iter().zip(&run_years) {
        for &(col, q) in run {
            let month = month_ends.iter().find(|&&(c, _)| c == col).map(|&(_, m)| m);
            model.columns.insert(
                col,
                ColumnSpec {
                    fiscal_year: *fy,
                    period: if month.is_some() { Period::AsOf } else { Period::Q(q) },
                    kind: Kind::Actual,
                    inferred: false,
                    estimate: false,
                    as_of_month: month,
                },
            );
        }
        // A run of month ends ends its year at 3月末 as quarters end it at
        // Q4: a target slid into that column is the same slip.
        let month_run = run.iter().any(|&(c, _)| month_ends.iter().any(|&(m, _)| m == c));
        let year_end = |col: u32| month_ends.iter().any(|&(c, m)| c == col && crate::normalize::ends_fiscal_year(m));
        let last_of_year = match run.last() {
            Some(&(col, 4)) if !month_run => Some(col),
            Some(&(col, _)) if month_run && year_end(col) => Some(col),
            _ => None,
        };
        if let (Some(fy), Some(col)) = (fy, last_of_year) {
            model.q4_of_year.push((*fy, col));
        }
    }
    for &(col, fy, period) in &dated_periods {
        model.columns.insert(
            col,
            ColumnSpec {
                fiscal_year: Some(fy),
                period,
                kind: Kind::Actual,
                inferred: false,
                estimate: false,
                as_of_month: None,
            },
        );
        if period == Period::Q(4) {
            model.q4_of_year.push((fy, col));
        }
    }
    model.q4_of_year.sort();
    for &(col, fy) in &dated_targets {
        model.columns.insert(
            col,
            ColumnSpec {
                fiscal_year: Some(fy),
                period: Period::FY,
                kind: Kind::Target,
                inferred: false,
                estimate: false,
                as_of_month: None,
            },
        );
        model.target_of_year.insert(fy, col);
    }
    for &tcol in &targets {
        let above = year_over_target(sheet, rows, rules, &year_above, tcol);
        // Else the year of the last quarter run left of it; else the first year label.
        let fy = above.or_else(|| {
            runs.iter()
                .zip(&run_years)
                .rfind(|(run, _)| run.last().is_some_and(|&(c, _)| c < tcol))
                .and_then(|(_, fy)| *fy)
                .or_else(|| years.iter().rev().find(|&&(c, _)| c <= tcol).map(|&(_, fy)| fy))
        });
        model.columns.insert(
            tcol,
            ColumnSpec {
                fiscal_year: fy,
                period: Period::FY,
                kind: Kind::Target,
                inferred: false,
                estimate: false,
                as_of_month: None,
            },
        );
        if let Some(fy) = fy {
            model.target_of_year.insert(fy, tcol);
        }
    }
    model
}

/// `目標値(年度末)`, `目標値（累計）`: a label followed by a bracketed note that
/// names no year or date is that label; the year comes from above, as for the
/// bare label. A note with a digit (`(R6)`, `(12月末)`) is kept: it dates the column.
fn without_note<'t>(sheet: &Sheet, text: &'t str) -> Option<&'t str> {
    let inner_start = text.rfind('(')? + 1;
    let inner = text[inner_start..].strip_suffix(')')?;
    let label = &text[..inner_start - 1];
    let dated = inner.chars().any(|c| c.is_ascii_digit()) || sheet.vocab.header_year(inner).is_some();
    (!label.is_empty() && !dated).then_some(label)
}

/// The month of a header that is a month's end and nothing else (`6月末`,
/// `9月末時点`): no year, no kind word.
fn month_end_only(sheet: &Sheet, raw: &str) -> Option<u32> {
    // Most header cells name no month's end: skip the decoder for them.
    if !sheet.vocab.as_of_markers.iter().any(|m| raw.contains(m.as_str())) {
        return None;
    }
    let m = sheet.vocab.decode_header(raw);
    (m.fiscal_year.is_none() && m.word.is_none() && m.part.is_none()).then_some(m.as_of_month?)
}

/// A header that is a calendar date and nothing else: `2023/12/31`, or a date
/// cell, which reads `2023-12-31`.
fn date_only(sheet: &Sheet, raw: &str) -> Option<chrono::NaiveDate> {
    // Most header cells are no date: skip the decoder unless the cell starts with a year.
    if !raw.trim_start().chars().take(4).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let m = sheet.vocab.decode_header(raw);
    if m.word.is_some() || m.part.is_some() || m.estimate {
        return None;
    }
    sheet.vocab.parse_period(raw)?.as_of.filter(|_| m.as_of_month.is_some())
}

/// The fiscal quarter `date` is the last day of (6/30 → 1 … 3/31 → 4).
fn fiscal_quarter_ending(date: chrono::NaiveDate) -> Option<u8> {
    use chrono::Datelike;
    let last_day = date.succ_opt().is_some_and(|next| next.month() != date.month());
    (last_day && date.month().is_multiple_of(3)).then(|| fiscal_month(date.month()) / 3)
}

/// A month's place in the fiscal year: April 1 … March 12.
fn fiscal_month(m: u32) -> u8 {
    (if m >= 4 { m - 3 } else { m + 9 }) as u8
}

/// The year of the merged header region that covers every column of `run`.
fn merged_year(sheet: &Sheet, rows: &[u32], run: &[(u32, u8)]) -> Option<i32> {
    let grid = sheet.grid;
    rows.iter().find_map(|&r| {
        let m = grid.merges.iter().find(|m| run.iter().all(|&(c, _)| m.contains(r, c)))?;
        let origin = grid.get(m.first_row, m.first_col)?;
        sheet.vocab.header_year(&origin.raw)
    })
}

/// The year over target column `tcol`: merged over it, or written in a header
/// row straight above its 目標値 label.
fn year_over_target(sheet: &Sheet, rows: &[u32], rules: &HeaderRules, year_above: &[(usize, u32, i32)], tcol: u32) -> Option<i32> {
    merged_year_of_col(sheet, rows, tcol).or_else(|| {
        let is_target = |r: u32| {
            let cell = sheet.grid.get(r, tcol);
            cell.is_some_and(|c| rules.target.is_some_and(|re| re.is_match(&crate::mapping::norm_label(&c.raw))))
        };
        let target_row = rows.iter().position(|&r| is_target(r))?;
        year_above
            .iter()
            .find(|&&(i, c, _)| c == tcol && i < target_row)
            .map(|&(_, _, fy)| fy)
    })
}

/// The year of the merged header region over column `col`, when it holds a year label.
fn merged_year_of_col(sheet: &Sheet, rows: &[u32], col: u32) -> Option<i32> {
    let grid = sheet.grid;
    rows.iter().find_map(|&r| {
        let m = grid.merges.iter().find(|m| m.contains(r, col) && m.first_col < m.last_col)?;
        sheet.vocab.header_year(&grid.get(m.first_row, m.first_col)?.raw)
    })
}

/// The year written in an upper header row straight above the run's first
/// quarter, when no other year stands above the run's other quarters (a label
/// repeated over each quarter, as when a merged header is unmerged and filled).
/// Text whose extraction shifted the labels has none straight above, and is
/// assigned in order instead.
fn year_above_run(year_above: &[(usize, u32, i32)], run: &[(u32, u8)]) -> Option<i32> {
    let &(first, _) = run.first()?;
    let fy = year_above.iter().find(|&&(_, c, _)| c == first).map(|&(_, _, fy)| fy)?;
    let others_agree = run
        .iter()
        .all(|&(c, _)| year_above.iter().filter(|&&(_, yc, _)| yc == c).all(|&(_, _, y)| y == fy));
    others_agree.then_some(fy)
}

/// Splits quarter cells into runs: a new run starts when the quarter number does not increase.
fn quarter_runs(quarters: &[(u32, u8)]) -> Vec<Vec<(u32, u8)>> {
    let mut runs: Vec<Vec<(u32, u8)>> = Vec::new();
    for &(col, q) in quarters {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|&(_, pq)| q > pq) => run.push((col, q)),
            _ => runs.push(vec![(col, q)]),
        }
    }
    runs
}

/// The k-th run takes the k-th year label, in order, while labels last; otherwise the
/// year label at or left of the run's first column.
fn assign_years(runs: &[Vec<(u32, u8)>], years: &[(u32, i32)]) -> Vec<Option<i32>> {
    if runs.len() <= years.len() && !runs.is_empty() {
        // In order: PDF extraction shifts labels, it does not reorder them.
        return years.iter().take(runs.len()).map(|&(_, fy)| Some(fy)).collect();
    }
    runs.iter()
        .map(|run| {
            let first = run.first().map(|&(c, _)| c).unwrap_or(0);
            years.iter().rev().find(|&&(c, _)| c <= first).map(|&(_, fy)| fy)
        })
        .collect()
}

/// When every year but the last has a 目標値 column right after its Q4 and the
/// last year has none, body cells in the column after the last Q4 are that
/// year's target: the header lost the label, not the structure.
pub fn infer_missing_target(sheet: &mut Sheet, model: &mut ColumnModel, body_rows: &[u32], header_cell_row: u32) {
    let Some(&(last_fy, last_q4)) = model.q4_of_year.last() else {
        return;
    };
    if model.target_of_year.contains_key(&last_fy) || model.q4_of_year.len() < 2 {
        return;
    }
    let earlier_follow = model.q4_of_year[..model.q4_of_year.len() - 1]
        .iter()
        .all(|(fy, q4)| model.target_of_year.get(fy) == Some(&(q4 + 1)));
    let col = last_q4 + 1;
    let used = body_rows.iter().any(|&r| sheet.grid.get(r, col).is_some());
    if !earlier_follow || !used || model.columns.contains_key(&col) {
        return;
    }
    model.columns.insert(
        col,
        ColumnSpec {
            fiscal_year: Some(last_fy),
            period: Period::FY,
            kind: Kind::Target,
            inferred: true,
            estimate: false,
            as_of_month: None,
        },
    );
    model.target_of_year.insert(last_fy, col);
    let anchor = sheet.row(header_cell_row).first().cloned();
    if let Some(cell) = anchor {
        sheet.note(
            DiagCode::HeaderTargetInferred,
            args!["fy" => last_fy, "column" => crate::source::grid::col_letters(col)],
            &cell,
        );
    }
}
