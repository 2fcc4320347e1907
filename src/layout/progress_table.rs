//! 目標の進捗度（実績）: indicators × (baseline, quarterly actuals, yearly targets).
//!
//! ```text
//!   指標項目   | 基準年(R1) 実績値 | 令和3年度 ───────── | 目標値 | 令和4年度 … | 目標値
//!              |                  | 1四半期 … 4四半期     |        | 1四半期 …   |
//!   ①電子化率  | 7.0%             | 8.3% 8.6% 13.5% 28.3% | 32.1%  | …
//! ```
//! Repairs what PDF extraction does to it: a header that lacks the last
//! 目標値 (inferred from the other years), and a last-year target that slid
//! into the empty Q4 cell (confirmed by the indicator table's final target).

use super::Sheet;
use super::columns::{self, ColumnModel, HeaderRules};
use super::fields::ItemContext;
use super::items::body_end;
use super::list_table::RowKind;
use crate::mapping::{Layout, ProgressTable};
use crate::model::Kind;
use crate::model::{Args, DiagCode, args};
use crate::normalize::{HeaderWord, Parsed, Period, PeriodSpec};
use crate::source::Cell;

/// Reads the table whose header is row `r`; returns its last row.
pub fn read(sheet: &mut Sheet, layout: &Layout, t: &ProgressTable, ctx: &mut ItemContext, r: u32, last: u32) -> u32 {
    let label_col = sheet.row(r)[0].col;
    let label = sheet.row(r)[0].clone();
    sheet.take(&label);
    let sub = r + 1;
    let has_sub =
        sub <= last && (sheet.row(sub).first().is_some_and(|c| c.col > label_col) || quarters_under_a_note(sheet, sub, label_col));
    let mut header_rows: Vec<u32> = if has_sub { vec![r, sub] } else { vec![r] };
    // A header line wrapped by extraction (`令和5年度 | 目標値` on a line of
    // their own, in their columns): the quarters line below it is header too.
    // Read as a body row, it left every quarter's value its year's only.
    if has_sub && sub < last && only_headers(sheet, sub + 1, label_col) {
        header_rows.push(sub + 1);
    }
    let skip = |_: &str| false;
    let rules = HeaderRules {
        baseline: Some(&t.baseline),
        target: Some(&t.target),
        skip: &skip,
    };
    let mut model = columns::build(sheet, &header_rows, label_col, &rules);
    let unit_col = labelled_column(sheet, &t.units, &header_rows, label_col);
    let mut kinds = labelled_column(sheet, &t.kinds, &header_rows, label_col).map(|col| KindColumn { col, last: None });
    inline_baseline(sheet, t, &label, &header_rows, &mut model);
    let body_start = header_rows[header_rows.len() - 1] + 1;
    let end = body_end(sheet, layout, body_start, last);
    let body: Vec<u32> = (body_start..=end).collect();
    columns::infer_missing_target(sheet, &mut model, &body, r);
    model.mark_slid_column(sheet, &body);
    let width = super::padded_text_width(sheet, &header_rows, body.iter().copied());
    for row in body {
        read_row(
            sheet,
            ctx,
            &model,
            (label_col, unit_col, &mut kinds),
            (&header_rows, width),
            (row, end),
        );
    }
    end.max(header_rows[header_rows.len() - 1])
}

/// A second header row with a note in the label column (`（単位：％、件）`
/// over the names): every other cell is a header (1四半期 …, which would
/// also read as the value 1 with the unit 四半期).
/// Read as an indicator, it made each year's Q1 figure the year's actual.
fn quarters_under_a_note(sheet: &Sheet, row: u32, label_col: u32) -> bool {
    let mut rest = sheet.row(row).iter().filter(|c| c.col > label_col).peekable();
    rest.peek().is_some()
        && rest.all(|c| {
            let m = sheet.vocab.decode_header(&c.raw);
            m.part.is_some() || m.word.is_some()
        })
}

/// A row with nothing in the label column and only header cells (years,
/// quarters, 目標値) right of it.
fn only_headers(sheet: &Sheet, row: u32, label_col: u32) -> bool {
    let cells = sheet.row(row);
    !cells.is_empty()
        && cells.iter().all(|c| {
            let m = sheet.vocab.decode_header(&c.raw);
            c.col > label_col && (m.part.is_some() || m.word.is_some() || m.fiscal_year.is_some())
        })
}

/// The head of row `row`'s name alone on the line above, with its number
/// (`②…` over `…name | 235件 …`: a name wrapped by extraction before its values).
fn name_head_above(sheet: &Sheet, row: u32, label_col: u32) -> Option<Cell> {
    let [head] = sheet.row(row.checked_sub(1)?) else { return None };
    let numbered = sheet.vocab.parse_numbered_indicator(&head.raw).is_some();
    (head.col == label_col && numbered).then(|| head.clone())
}

/// The split name joined, with the head's number, when the indicator of that
/// number already bears the joined name (the indicator table above); else
/// read as written, with an `ambiguous_row` warning (`name-split`): before,
/// the row's values went silently to an indicator named after the name's tail.
fn join_split_name(sheet: &mut Sheet, ctx: &ItemContext, head: &Cell, first: &Cell, tail: String) -> (Option<i32>, String, bool) {
    let parenthesised = crate::normalize::is_parenthesised_indicator(&head.raw);
    if let Some((n, mut joined)) = sheet.vocab.parse_numbered_indicator(&head.raw) {
        super::join_wrapped(&mut joined, &tail);
        let known = ctx
            .indicators
            .iter()
            .any(|i| i.indicator_no == Some(n as i32) && crate::mapping::norm_label(&i.indicator) == crate::mapping::norm_label(&joined));
        if known {
            sheet.take(head);
            return (Some(n as i32), joined, parenthesised);
        }
    }
    sheet.note(
        DiagCode::AmbiguousRow,
        args!["case" => "name-split", "above" => head.raw.trim()],
        first,
    );
    (None, tail, false)
}

/// `指標項目 基準年(R1) 実績値` in one cell: the label carries the header of the
/// column right of it (the baseline), when that column has no header of its own.
fn inline_baseline(sheet: &Sheet, t: &ProgressTable, label: &Cell, header_rows: &[u32], model: &mut ColumnModel) {
    let Some(inline) = t.header.match_cell(&label.raw).and_then(|hit| hit.value) else {
        return;
    };
    let col = label.col + 1;
    let free = header_rows.iter().all(|&r| sheet.grid.get(r, col).is_none()) && model.get(col).is_none();
    if free && t.baseline.is_match(&crate::mapping::norm_label(&inline)) {
        model.columns.insert(
            col,
            super::ColumnSpec {
                fiscal_year: sheet.vocab.header_year(&inline),
                period: Period::FY,
                kind: Kind::Baseline,
                inferred: false,
                estimate: false,
                as_of_month: None,
            },
        );
    }
}

/// The column headed by one of `labels`, its header cell consumed: a unit
/// column (単位) gives the unit of the row's values written without one (a
/// division that types 7.0 and keeps % beside it); a kind column (区分) each
/// row's kind.
pub(super) fn labelled_column(sheet: &mut Sheet, units: &crate::mapping::Labels, header_rows: &[u32], label_col: u32) -> Option<u32> {
    let cell = header_rows
        .iter()
        .flat_map(|&h| sheet.row(h))
        .find(|c| c.col > label_col && units.matches(&c.raw))?
        .clone();
    sheet.take(&cell);
    Some(cell.col)
}

/// Row `row`'s unit cell, consumed, and its text.
pub(super) fn row_unit(sheet: &mut Sheet, cells: &[Cell], unit_col: Option<u32>) -> Option<String> {
    let cell = cells.iter().find(|c| Some(c.col) == unit_col)?;
    sheet.take(cell);
    Some(cell.raw.trim().to_string())
}

/// The 区分 column of a table with a 目標 row and a 実績 row per indicator,
/// and the indicator its last named row read: a row with a kind and no name
/// (the name merged down, or left blank) is that indicator's.
struct KindColumn {
    col: u32,
    /// The last indicator read, with its unit.
    last: Option<(usize, Option<String>)>,
}

/// What row `cells`' cell under the kind column says.
fn row_kind(sheet: &Sheet, cells: &[Cell], kind_col: Option<u32>) -> RowKind {
    match cells.iter().find(|c| Some(c.col) == kind_col) {
        Some(c) => RowKind::of(sheet, c.clone()),
        None => RowKind::Unstated,
    }
}

/// A value's kind under its row's kind cell: a year column (actual unless
/// headed otherwise) takes the row's kind, a baseline column stays one; a
/// 目標値 column under a 実績 row, or any under a word that is no kind, is
/// said, not read (before, a 目標 row's values were read as actuals, silently).
fn under_row_kind(row: &RowKind, kind: Kind, cell: &Cell) -> Result<Kind, Args> {
    match row {
        RowKind::Unstated => Ok(kind),
        _ if kind == Kind::Baseline => Ok(kind),
        RowKind::Unknown(k) => Err(args!["case" => "row-kind-unknown", "kind" => k.raw.trim()]),
        RowKind::Of(m, k) => match m.word {
            Some(HeaderWord::Value(Kind::Target)) => Ok(Kind::Target),
            Some(HeaderWord::Value(Kind::Actual)) if kind == Kind::Actual => Ok(kind),
            _ => Err(args![
                "case" => "row-kind-conflict",
                "kind" => k.raw.trim(),
                "column" => crate::source::grid::col_letters(cell.col)
            ]),
        },
    }
}

/// Reads body row `row` of a table that ends at `end`.
fn read_row(
    sheet: &mut Sheet,
    ctx: &mut ItemContext,
    model: &ColumnModel,
    cols: (u32, Option<u32>, &mut Option<KindColumn>),
    (header_rows, width): (&[u32], Option<u32>),
    (row, end): (u32, u32),
) {
    let (label_col, unit_col, kinds) = cols;
    let cells: Vec<Cell> = sheet.row(row).to_vec();
    let kind_col = kinds.as_ref().map(|k| k.col);
    let row_kind = row_kind(sheet, &cells, kind_col);
    let rows = RowRead {
        model,
        header_rows,
        label_col,
        kind: &row_kind,
    };
    // The row's cells but its kind cell: its name (or none) and its values.
    let values: Vec<Cell> = cells.iter().filter(|c| Some(c.col) != kind_col).cloned().collect();
    let unnamed = values.first().is_none_or(|c| c.col > label_col);
    if let Some((idx, unit)) = kinds.as_ref().and_then(|k| k.last.clone()).filter(|_| unnamed)
        && !matches!(row_kind, RowKind::Unstated)
    {
        // The 実績 row under its indicator's 目標 row.
        row_kind.settle(sheet);
        let parsed = parse_values(sheet, &values, unit_col, unit.as_deref());
        let among_numbers = has_a_number(ctx, idx, &parsed);
        read_values(sheet, ctx, &rows, (idx, &parsed), (None, among_numbers));
        return;
    }
    // A row not read as an indicator's says its kind cell with the rest.
    let Some(first) = cells.first() else { return };
    if sheet.is_taken(first) {
        return; // the rest of the name above
    }
    if first.col > label_col {
        for c in &cells {
            sheet.diag_cell(DiagCode::RowWithoutIndicator, args!["case" => "progress"], c);
        }
        return;
    }
    if sheet.not_an_indicator(first, &cells) {
        return;
    }
    let (no, name, parenthesised) = match sheet.vocab.parse_numbered_indicator(&first.raw) {
        Some((n, rest)) => (Some(n as i32), rest, crate::normalize::is_parenthesised_indicator(&first.raw)),
        None => (None, first.raw.trim().to_string(), false),
    };
    let numbered_above = ctx.indicators.iter().any(|i| i.indicator_no.is_some());
    if no.is_none() && sheet.name_only_row(first, numbered_above) {
        return;
    }
    let (no, name, parenthesised) = match name_head_above(sheet, row, label_col) {
        Some(head) if no.is_none() && cells.len() > 1 => join_split_name(sheet, ctx, &head, first, name),
        _ => (no, name, parenthesised),
    };
    let disagree = ctx.number_and_name_disagree(no, &name, parenthesised);
    if cells.len() == 1 && disagree.is_some() {
        return; // `③の出典：…` under the table: a note, not ③'s row; left for the diagnostics
    }
    if no.is_none()
        && sheet.parse(first).value.is_some()
        && let Some(misaligned) = misaligned_line(sheet, header_rows, width, row)
    {
        // The rest of a line broken in two (`1,266件 | 750件 …`): values, no indicator.
        for c in &cells {
            sheet.diag_cell(DiagCode::AmbiguousCell, misaligned.args(), c);
        }
        return;
    }
    sheet.take(first);
    let name = if no.is_some() {
        sheet.continued_name(name, (row, first.col), end)
    } else {
        name
    };
    let (name, name_unit) = sheet.vocab.split_name_unit(&name);
    let unit = row_unit(sheet, &cells, unit_col).or(name_unit);
    row_kind.settle(sheet);
    let parsed = parse_values(sheet, &values[1..], unit_col, unit.as_deref());
    let deleted = parenthesised || parsed.iter().any(|(_, p)| super::is_deleted(p));
    let idx = match disagree {
        Some((by_no, Some(by_name))) => {
            let message = args![
                "case" => "number-name",
                "number" => no.unwrap_or_default(),
                "by_number" => ctx.indicators[by_no].indicator.clone(),
                "by_name" => ctx.indicators[by_name].indicator.clone()
            ];
            sheet.diag_cell(DiagCode::AmbiguousRow, message, first);
            by_name
        }
        _ => ctx.indicator(no, &name, deleted, sheet.at(first)),
    };
    if let Some(k) = kinds.as_mut() {
        k.last = Some((idx, unit.clone()));
    }
    let slid = slid_target(ctx, idx, model, &parsed);
    if let Some(misaligned) = misaligned_row(sheet, (header_rows, width), row, (&parsed, slid)) {
        for (cell, _) in &parsed {
            sheet.diag_cell(DiagCode::AmbiguousCell, misaligned.args(), cell);
        }
        return;
    }
    let among_numbers = has_a_number(ctx, idx, &parsed);
    if among_numbers {
        flag_word_final_target(sheet, ctx, idx);
    }
    read_values(sheet, ctx, &rows, (idx, &parsed), (slid, among_numbers));
}

/// A row's value cells (all but the unit column's), each read with the row's unit.
fn parse_values(sheet: &Sheet, cells: &[Cell], unit_col: Option<u32>, unit: Option<&str>) -> Vec<(Cell, Parsed)> {
    cells
        .iter()
        .filter(|c| Some(c.col) != unit_col)
        .map(|c| (c.clone(), super::list_table::with_unit(sheet, c, unit)))
        .collect()
}

/// What a body row's values are read against.
struct RowRead<'r> {
    model: &'r ColumnModel,
    header_rows: &'r [u32],
    label_col: u32,
    kind: &'r RowKind,
}

/// Reads indicator `idx`'s values `parsed` of one row, each by its column; `slid`
/// is the column of a last target repaired out of the Q4 cell.
fn read_values(
    sheet: &mut Sheet,
    ctx: &mut ItemContext,
    rows: &RowRead,
    (idx, parsed): (usize, &[(Cell, Parsed)]),
    (slid, among_numbers): (Option<u32>, bool),
) {
    let RowRead {
        model,
        header_rows,
        label_col,
        ..
    } = *rows;
    super::flag_row_slips(sheet, parsed.iter().map(|(c, p)| (c, p)));
    let maybe_slid = maybe_slid_targets(model, parsed);
    for (cell, p) in parsed {
        // Unrepaired, a value where the table's last targets slid to: a
        // target that is not the final one (revised, or a KPI the indicator
        // table lacks), or a Q4 actual? Said, not read either way.
        let in_slid_column = model.slid_column == Some(cell.col) && p.value.is_some();
        if slid != Some(cell.col) && (maybe_slid.contains(&cell.col) || in_slid_column) {
            let fy = model.get(cell.col).and_then(|s| s.fiscal_year).unwrap_or_default();
            let message = if maybe_slid.contains(&cell.col) {
                args!["case" => "slid-target", "fy" => fy]
            } else {
                args!["case" => "slid-column", "fy" => fy]
            };
            sheet.diag_cell(DiagCode::AmbiguousCell, message, cell);
            continue;
        }
        let Some(spec) = model.get(cell.col) else {
            sheet.diag_cell(DiagCode::UnplacedCell, args!["case" => "progress"], cell);
            continue;
        };
        let (fy, period, kind) = if slid == Some(cell.col) {
            sheet.note(
                DiagCode::SlidTargetRepaired,
                args!["fy" => spec.fiscal_year.unwrap_or_default()],
                cell,
            );
            (spec.fiscal_year, Period::FY, Kind::Target)
        } else {
            match under_row_kind(rows.kind, spec.kind, cell) {
                Ok(kind) => (spec.fiscal_year, spec.period, kind),
                Err(message) => {
                    sheet.diag_cell(DiagCode::AmbiguousCell, message, cell);
                    continue;
                }
            }
        };
        if fy.is_none() {
            let message = undecoded_year_message(sheet, header_rows, cell.col);
            sheet.diag_cell(DiagCode::YearNotDecoded, message, cell);
            continue;
        }
        if let Some(args) = super::formula_problem(cell, false) {
            sheet.diag_cell(DiagCode::FormulaError, args, cell);
            continue;
        }
        if matches!(cell.value, crate::source::CellValue::Date(_)) {
            sheet.note(DiagCode::DateInValueCell, args![], cell);
        }
        sheet.take(cell);
        // A month-end column (6月末): the day, in the calendar year of its
        // fiscal year's month; not for a target repaired out of one.
        let as_of = spec.as_of_month.filter(|_| period == Period::AsOf).and_then(|m| {
            let meaning = crate::normalize::HeaderMeaning {
                fiscal_year: fy,
                as_of_month: Some(m),
                ..Default::default()
            };
            meaning.period()?.as_of
        });
        let period_spec = PeriodSpec {
            fiscal_year: fy,
            period,
            as_of,
        };
        let p = &super::estimated(p, spec.estimate);
        super::flag_number_as_text(sheet, kind, p, cell);
        if among_numbers {
            super::flag_word_as_value(sheet, p, cell);
        }
        if kind == Kind::Target {
            flag_other_final_target(sheet, ctx, idx, fy, p, cell);
        }
        super::flag_merged_value(sheet, cell, p, |c| model.get(c).is_some(), label_col);
        ctx.observe(sheet, idx, &period_spec, kind, p, &cell.raw, sheet.at(cell));
    }
}

/// Indicator `idx` has a number: in this row, or as its final target.
/// Its words are then slips (未定 for a figure); an indicator of words only
/// (a phase: 方針の検討) is text by design.
fn has_a_number(ctx: &ItemContext, idx: usize, cells: &[(Cell, Parsed)]) -> bool {
    let final_target = ctx.final_targets.get(idx).and_then(Option::as_ref);
    cells.iter().any(|(_, p)| p.value.is_some()) || final_target.is_some_and(|(p, _)| p.value.is_some())
}

/// The indicator table's final target of an indicator with numbers, when it
/// is a word (検討中): said, as [`super::flag_word_as_value`] says a value's.
fn flag_word_final_target(sheet: &mut Sheet, ctx: &ItemContext, idx: usize) {
    if let Some((p, cell)) = ctx.final_targets.get(idx).and_then(Option::as_ref) {
        super::flag_word_as_value(sheet, p, cell);
    }
}

/// A target for the final year that differs from the indicator table's
/// final target (`100%` there, `95%` here): a `conflicting_values` warning
/// naming both cells; this row is kept, as the evaluation uses it.
fn flag_other_final_target(sheet: &mut Sheet, ctx: &ItemContext, idx: usize, fy: Option<i32>, p: &Parsed, cell: &Cell) {
    let Some((ft, ft_cell)) = ctx.final_targets.get(idx).and_then(Option::as_ref) else {
        return;
    };
    let ind = &ctx.indicators[idx];
    let same_year = fy.is_some() && ind.final_target_fy == fy;
    let differ =
        p.value.is_some() && ft.value.is_some() && (p.value != ft.value || (p.unit.is_some() && ft.unit.is_some() && p.unit != ft.unit));
    if same_year && differ {
        let message = args![
            "indicator" => ind.indicator.clone(),
            "raw" => cell.raw.clone(),
            "other_cell" => format!("{}!{}", sheet.grid.name, ft_cell.a1()),
            "other_raw" => ind.final_target_raw.clone().unwrap_or_default()
        ];
        sheet.note(DiagCode::ConflictingValues, message, cell);
    }
}

/// In text from a PDF, a line with fewer or more fields than the table's
/// ([`misaligned_line`]); not the slid last target, which is repaired. A
/// row of status words only (削除) holds nothing to misplace.
fn misaligned_row(
    sheet: &Sheet,
    (header_rows, width): (&[u32], Option<u32>),
    row: u32,
    (cells, slid): (&[(Cell, Parsed)], Option<u32>),
) -> Option<super::Misaligned> {
    if slid.is_some() || cells.iter().all(|(_, p)| p.value.is_none()) {
        return None;
    }
    misaligned_line(sheet, header_rows, width, row)
}

/// A text line with fewer fields than the header's longest line lost one,
/// whatever the text (this table was held to that before the KPI list was);
/// one with more than a padded table's `width` ([`super::Misaligned`]) gained one.
fn misaligned_line(sheet: &Sheet, header_rows: &[u32], width: Option<u32>, row: u32) -> Option<super::Misaligned> {
    let fields = sheet.grid.fields_on_line(row)?;
    let header = header_rows.iter().filter_map(|&h| sheet.grid.fields_on_line(h)).max()?;
    if fields < header {
        return Some(super::Misaligned::Short(header));
    }
    super::Misaligned::of(sheet, width, row).filter(|m| matches!(m, super::Misaligned::Long(_)))
}

/// Names the header cells of a column whose fiscal year cannot be read.
fn undecoded_year_message(sheet: &Sheet, header_rows: &[u32], col: u32) -> Args {
    let headers: Vec<String> = header_rows
        .iter()
        .filter_map(|&r| sheet.grid.get_merged(r, col))
        .map(|c| format!("{} «{}»", c.a1(), c.raw.trim()))
        .collect();
    let column = crate::source::grid::col_letters(col);
    if headers.is_empty() {
        args!["case" => "progress-no-header", "column" => column]
    } else {
        args!["case" => "progress", "column" => column, "headers" => headers.join(", ")]
    }
}

/// Q4 values that may be their year's target slid one column left (the
/// target column right beside Q4), where
/// [`slid_target`] cannot tell: the year's target cell is empty while the row
/// fills another year's target, so the row does keep targets. The value is
/// not the indicator table's final target for the year (revised, the plan
/// runs on, or there is none). Read as a Q4 actual it makes a year's result
/// out of its target, so it is reported, not read.
fn maybe_slid_targets(model: &ColumnModel, cells: &[(Cell, Parsed)]) -> Vec<u32> {
    let filled = |col: u32| cells.iter().any(|(c, p)| c.col == col && p.value.is_some());
    let empty = |col: u32| !cells.iter().any(|(c, _)| c.col == col);
    model
        .q4_of_year
        .iter()
        .filter(|&&(fy, q4)| {
            // Slid one column: the target column is right of Q4.
            let Some(&target) = model.target_of_year.get(&fy).filter(|&&t| t == q4 + 1) else {
                return false;
            };
            let other_target = model.target_of_year.iter().any(|(&y, &col)| y != fy && filled(col));
            other_target && empty(target) && filled(q4)
        })
        .map(|&(_, q4)| q4)
        .collect()
}

/// The column of a last-year Q4 value that is really the year's target: the
/// row's target cell for that year is empty and the Q4 value equals the
/// indicator's final target from the indicator table.
fn slid_target(ctx: &ItemContext, idx: usize, model: &ColumnModel, cells: &[(Cell, Parsed)]) -> Option<u32> {
    let &(fy, q4) = model.q4_of_year.last()?;
    let target_col = model.target_of_year.get(&fy);
    if target_col.is_some_and(|tc| cells.iter().any(|(c, _)| c.col == *tc)) {
        return None;
    }
    let (_, q4_value) = cells.iter().find(|(c, _)| c.col == q4)?;
    let (final_target, _) = ctx.final_targets.get(idx)?.as_ref()?;
    let ft_fy = ctx.indicators[idx].final_target_fy;
    let same = q4_value.value.is_some()
        && q4_value.value == final_target.value
        && q4_value.unit == final_target.unit
        && ft_fy.is_none_or(|f| f == fy);
    same.then_some(q4)
}
