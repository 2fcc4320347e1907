//! `DIR/consolidated.xlsx`, in the style of the Japanese rules for
//! machine-readable tables (総務省「統計表における機械判読可能なデータ作成に関する表記方法」):
//! one value per cell, no merged cells, numbers as numbers, units in their own
//! column, the fiscal year beside its 和暦 label. It opens with 概要 (the run,
//! per file what was read and a link to its rows in 診断, the evaluation
//! counts) and 指標一覧 (one row per indicator, targets and actuals per year
//! side by side); then one sheet per table. Each table sheet (up to 500,000
//! cells; larger ones get a bold header with filters) is an Excel table with
//! display labels in its header row (machine names in the 列の説明 sheet),
//! coded values as the words of `display.toml` (`target` → 目標値), data
//! columns first and provenance (file, sheet, cell, run) at the right, a
//! frozen header, filters and widths that fit. Input text is always written
//! as text, never as a formula. rust_xlsxwriter writes the sheets' frames;
//! the table rows go in through [`super::sheet_xml`] and
//! [`super::sheet_splice`], which also picks the deflate level.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use polars::prelude::*;
use rust_xlsxwriter::{DocProperties, Format, Table, TableColumn, TableStyle, Workbook, Worksheet, XlsxError};

use super::diagnostics_order::DiagnosticsOrder;
use super::{SinkError, TableFile, atomic};
use crate::evaluate::SummaryRow;
use crate::evaluate::Trends;
use crate::mapping::display::DisplayLabels;
use crate::model::RunStamp;
use crate::normalize::Vocabulary;
use crate::table::TableDef;

/// How the workbook labels what it writes.
#[derive(Clone, Copy, Default)]
pub struct WorkbookStyle<'a> {
    /// Sheet and header labels; machine names when `None`.
    pub labels: Option<&'a DisplayLabels>,
    /// Era table for the 和暦 column; no such column when `None`.
    pub vocabulary: Option<&'a Vocabulary>,
    /// Definitions of the tables written, for the columns guide.
    pub tables: &'a [&'a [TableDef]],
    /// The run whose tables these are, for the document properties.
    pub run: Option<&'a RunStamp>,
}

impl<'a> WorkbookStyle<'a> {
    fn table<'b>(&'b self, name: &'b str) -> &'b str {
        self.labels.map(|l| l.table(name)).unwrap_or(name)
    }
    fn column<'b>(&'b self, name: &'b str) -> &'b str {
        self.labels.map(|l| l.column(name)).unwrap_or(name)
    }
    fn column_in<'b>(&'b self, table: &str, name: &'b str) -> &'b str {
        self.labels.map(|l| l.column_in(table, name)).unwrap_or(name)
    }
}

/// What the workbook's charts are drawn from.
pub struct ChartData<'a> {
    pub summary: &'a [SummaryRow],
    pub trends: &'a Trends,
}

/// One sheet to fill: rows `rows` of `table` (in `order`, for 診断).
struct SheetJob<'t> {
    name: String,
    table: &'t TableFile,
    rows: std::ops::Range<usize>,
    order: Option<&'t DiagnosticsOrder>,
}

/// Sheets before the tables' (概要, 指標一覧).
const LEADING_SHEETS: usize = 2;

/// Writes all tables into one workbook, reading each back from its Parquet
/// file in batches: rust_xlsxwriter writes each table sheet's frame (header,
/// table, widths), [`super::sheet_xml`] its rows, one sheet per thread, into
/// the saved package ([`super::sheet_splice`]).
///
/// # Errors
/// I/O or workbook failures, as [`SinkError`].
pub fn write(dir: &Path, tables: &[TableFile], style: &WorkbookStyle, charts: Option<&ChartData>) -> Result<(), SinkError> {
    let path = dir.join("consolidated.xlsx");
    atomic(&path, |tmp| {
        let werr = |e: XlsxError| SinkError::Workbook {
            path: path.clone(),
            message: e.to_string(),
        };
        let mut book = Workbook::new();
        book.set_properties(&properties(style.run));
        let order = match tables.iter().find(|t| t.name == "diagnostics") {
            Some(t) => Some(DiagnosticsOrder::of(t)?),
            None => None,
        };
        let mut used = HashSet::new();
        for name in ["overview", "indicator_list"] {
            let name = safe_sheet_name(style.table(name), &mut used);
            book.add_worksheet().set_name(&name).map_err(werr)?;
        }
        let mut jobs = Vec::new();
        let mut summary_sheet = None;
        let mut diagnostics_sheets = Vec::new();
        for t in tables {
            let first = safe_sheet_name(style.table(t.name), &mut used);
            let chunks = t.rows.div_ceil(MAX_DATA_ROWS).max(1);
            for chunk in 0..chunks {
                let name = if chunk == 0 {
                    first.clone()
                } else {
                    safe_sheet_name(&format!("{first}_{}", chunk + 1), &mut used)
                };
                let diagnostics = t.name == "diagnostics";
                book.add_worksheet().set_name(&name).map_err(werr)?;
                if diagnostics {
                    diagnostics_sheets.push(name.clone());
                }
                jobs.push(SheetJob {
                    name,
                    table: t,
                    rows: chunk * MAX_DATA_ROWS..((chunk + 1) * MAX_DATA_ROWS).min(t.rows),
                    order: order.as_ref().filter(|_| diagnostics),
                });
            }
            if t.name == "evaluation_summary" {
                summary_sheet = Some((jobs.len() - 1, first));
            }
        }
        let overview = super::overview::Overview {
            labels: style.labels,
            vocabulary: style.vocabulary,
            run: style.run,
            sources: tables.iter().find(|t| t.name == "sources"),
            diagnostics: order.as_ref(),
            diagnostics_sheets: &diagnostics_sheets,
            summary: charts.map(|c| c.summary).unwrap_or_default(),
        };
        // 概要 and 指標一覧 read their tables while the table sheets get their frames.
        let (leading, table_sheets) = book.worksheets_mut().split_at_mut(LEADING_SHEETS);
        let (leading, heads) = std::thread::scope(|scope| {
            let leading = scope.spawn(|| write_leading(leading, &overview, tables, style));
            let heads = head_sheets(table_sheets, &jobs, style);
            (leading.join(), heads)
        });
        let leading = leading.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        leading.map_err(|e| match e {
            SinkError::Workbook { message, .. } => SinkError::Workbook {
                path: path.clone(),
                message,
            },
            other => other,
        })?;
        let mut columns = Vec::new();
        let mut firsts = Vec::new();
        for head in heads {
            let (names, first) = head?;
            columns.push(names);
            firsts.push(first);
        }
        let deferred = deferred_rows(&jobs, &columns, firsts, style);
        if let (Some(c), Some((index, sheet))) = (charts, summary_sheet) {
            let ws = book.worksheet_from_index(index + LEADING_SHEETS).map_err(werr)?;
            super::charts::summary_charts(ws, &sheet, c.summary, &columns[index], &chart_labels(style)).map_err(werr)?;
        }
        if let Some(c) = charts {
            let sheet = safe_sheet_name(style.table("trends"), &mut used);
            super::charts::trends_sheet(&mut book, &sheet, c.trends, &chart_labels(style)).map_err(werr)?;
        }
        if !style.tables.is_empty() {
            let ws = book.add_worksheet();
            ws.set_name(safe_sheet_name(style.table("columns_guide"), &mut used))
                .map_err(werr)?;
            write_guide(ws, style).map_err(werr)?;
        }
        super::sheet_splice::save(&mut book, tmp, deferred, tables.iter().map(|t| t.rows).sum())
    })
}

/// Fills the sheets in front of the tables: 概要 (sheet 0) and 指標一覧 (sheet 1).
///
/// # Errors
/// A table cannot be read back, or the workbook rejects a cell.
fn write_leading(
    sheets: &mut [Worksheet],
    overview: &super::overview::Overview,
    tables: &[TableFile],
    style: &WorkbookStyle,
) -> Result<(), SinkError> {
    let werr = |e: XlsxError| SinkError::Workbook {
        path: std::path::PathBuf::new(),
        message: e.to_string(),
    };
    let [overview_sheet, list_sheet] = sheets else {
        return Err(werr(XlsxError::ParameterError("two leading sheets expected".into())));
    };
    overview.write(overview_sheet)?;
    let list = super::indicator_list::IndicatorList::read(tables)?;
    list.write(list_sheet, style.labels, style.vocabulary).map_err(werr)
}

/// The document properties: the tool, and as custom properties the run the
/// tables came from (`torikumi.run_id`, `torikumi.run_started`, the same
/// keys as in each Parquet file), so a workbook can be matched to its tables.
fn properties(run: Option<&RunStamp>) -> DocProperties {
    let mut p = DocProperties::new()
        .set_comment(concat!("torikumi ", env!("CARGO_PKG_VERSION")))
        .set_custom_property("torikumi.version", env!("CARGO_PKG_VERSION"));
    if let Some(run) = run {
        p = p
            .set_custom_property("torikumi.run_id", run.id.as_str())
            .set_custom_property("torikumi.run_started", run.started.as_str());
    }
    p
}

/// Writes each of `sheets` its frame from `jobs` (one each), on plain
/// threads ([`super::on_plain_threads`]); the columns and first batch of
/// each, in the jobs' order.
fn head_sheets<'t>(sheets: &mut [Worksheet], jobs: &[SheetJob<'t>], style: &WorkbookStyle) -> Vec<Result<Head<'t>, SinkError>> {
    let items: Vec<(&mut Worksheet, &SheetJob<'t>)> = sheets.iter_mut().zip(jobs).collect();
    super::on_plain_threads(items, |(ws, job)| head_sheet(ws, job, style))
}

/// A job's table in batches from sheet row `from` (0 = its first data row):
/// 診断 in its order, the others as stored.
fn job_batches<'a>(job: &'a SheetJob, from: usize) -> Box<dyn Iterator<Item = Result<DataFrame, SinkError>> + 'a> {
    let rows = (job.rows.start + from).min(job.rows.end)..job.rows.end;
    match job.order {
        Some(order) => Box::new(order.batches(job.table, rows)),
        None => Box::new(job.table.batches_in(rows, BATCH_ROWS)),
    }
}

/// A sheet's columns (machine names, with the 和暦 column after
/// `fiscal_year`) and the first batch of its rows, kept for writing them.
type Head<'t> = (Vec<&'t str>, Option<DataFrame>);

/// Writes one sheet's frame (header or table, widths, frozen pane) from its
/// table's first batch.
fn head_sheet<'t>(ws: &mut Worksheet, job: &SheetJob<'t>, style: &WorkbookStyle) -> Result<Head<'t>, SinkError> {
    let werr = |e: XlsxError| SinkError::Workbook {
        path: job.table.path.clone(),
        message: e.to_string(),
    };
    let Some(batch) = job_batches(job, 0).next() else {
        return Ok((Vec::new(), None));
    };
    let batch = batch?;
    let cols = columns(&batch, job.table.name, style.labels, style.vocabulary);
    let names = cols.iter().map(|(n, _)| table_column(job.table.name, n)).collect();
    start_sheet(ws, job.table.name, &cols, job.rows.len(), style).map_err(werr)?;
    finish_sheet(ws).map_err(werr)?;
    Ok((names, Some(batch)))
}

/// The rows of each job with any (its first batch already read: `firsts`),
/// to be written into the saved package.
fn deferred_rows<'a>(
    jobs: &'a [SheetJob],
    columns: &[Vec<&str>],
    firsts: Vec<Option<DataFrame>>,
    style: &'a WorkbookStyle,
) -> Vec<super::sheet_splice::DeferredRows<'a>> {
    jobs.iter()
        .zip(columns)
        .zip(firsts)
        .enumerate()
        .filter(|(_, ((job, cols), _))| !job.rows.is_empty() && !cols.is_empty())
        .map(|(i, ((job, cols), first))| super::sheet_splice::DeferredRows {
            index: LEADING_SHEETS + i,
            name: job.name.clone(),
            rows: job.rows.len(),
            columns: cols.len(),
            fill: Box::new(move |out, date_styles| write_rows(out, job, first, style, date_styles)),
        })
        .collect()
}

/// Writes a job's rows (sheet row 2 on) as worksheet XML to `out`: `first`,
/// then the batches after it.
fn write_rows(
    out: &mut dyn std::io::Write,
    job: &SheetJob,
    first: Option<DataFrame>,
    style: &WorkbookStyle,
    date_styles: &[Option<u32>],
) -> Result<(), SinkError> {
    let err = |e: super::sheet_xml::RowError| SinkError::Workbook {
        path: job.table.path.clone(),
        message: format!("{} ({}): {e}", job.name, job.table.name),
    };
    let mut writer: Option<super::sheet_xml::RowWriter> = None;
    let mut row = 2u32;
    let read = first.as_ref().map_or(0, DataFrame::height);
    let rest = (read < job.rows.len()).then(|| job_batches(job, read)).into_iter().flatten();
    for batch in first.map(Ok).into_iter().chain(rest) {
        let batch = batch?;
        let cols = columns(&batch, job.table.name, style.labels, style.vocabulary);
        let w = writer.get_or_insert_with(|| super::sheet_xml::RowWriter::new(cols.len(), date_styles.to_vec()));
        for r in 0..batch.height() {
            w.row(out, row, cols.iter().map(|(_, v)| v.cell(r))).map_err(err)?;
            row += 1;
        }
    }
    match writer {
        Some(mut w) => w.flush(out).map_err(|e| err(e.into())),
        None => Ok(()),
    }
}

/// The static name of a column of `table` (the 和暦 column has its own).
fn table_column(table: &str, name: &str) -> &'static str {
    crate::table::table_def(table)
        .and_then(|t| t.columns.iter().find(|c| c.name == name))
        .map(|c| c.name)
        .unwrap_or("fiscal_year_label")
}

/// Rows read from Parquet per batch while filling a sheet: one row group, so
/// no group is decoded twice.
const BATCH_ROWS: usize = super::ROW_GROUP_ROWS;

/// Sheets of up to this many cells (rows × columns) are Excel tables; larger
/// ones get a header with filters instead. rust_xlsxwriter records every cell
/// of a table's range in a hash map to check overlaps: a million cells
/// (100,000 rows of 10 columns) cost 52 MiB and 0.17 s before a value is
/// written (measured alone with rust_xlsxwriter 0.102).
const TABLE_MAX_CELLS: usize = 500_000;

fn chart_labels<'a>(style: &'a WorkbookStyle) -> super::charts::ChartLabels<'a> {
    super::charts::ChartLabels {
        actual: style.column("actual"),
        target: style.column("target"),
        statuses: [
            style.column_in("evaluation_summary", "achieved"),
            style.column("not_achieved"),
            style.column("pending"),
            style.column("not_evaluable"),
        ],
        period: style.labels.map_or("{fy} Q{q}", |l| l.word("trend_period")),
        years: style.vocabulary,
    }
}

/// A worksheet name by Excel's rules, for every workbook torikumi writes:
/// none of `/\:*?[]` or control characters (each becomes `_`), not starting
/// or ending with `'`, not `History` (reserved) or empty (`SheetN`), at most 31
/// characters, and unique case-insensitively among `used`, which it joins
/// (`name_2`, `name_3`, … shortened to fit).
pub fn safe_sheet_name(name: &str, used: &mut HashSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "/\\:*?[]".contains(c) || c.is_control() { '_' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim().to_string();
    let clean = if clean.is_empty() || clean.eq_ignore_ascii_case("history") {
        format!("Sheet{}", used.len() + 1)
    } else {
        clean
    };
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { format!("_{n}") };
        let room = 31 - suffix.chars().count();
        let base: String = clean.chars().take(room).collect();
        let name = format!("{}{suffix}", base.trim_end());
        if used.insert(name.to_lowercase()) {
            return name;
        }
        n += 1;
    }
}

/// Excel's last row: tables longer than this continue on further sheets.
pub(super) const MAX_DATA_ROWS: usize = 1_048_575;

/// A column's values, pulled out of the frame once (per-cell `AnyValue`
/// access is far slower than typed iteration).
enum Values<'d> {
    Num(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    /// Excel serial dates; the ISO text of a date Excel cannot hold (before 1900).
    Date(Vec<Option<Result<f64, String>>>),
    /// Borrowed from the batch; owned where the text is made here (lists, 和暦).
    Text(Vec<Option<std::borrow::Cow<'d, str>>>),
}

impl<'d> Values<'d> {
    fn of(col: &'d Column) -> Values<'d> {
        let s = col.as_materialized_series();
        match s.dtype() {
            DataType::Float64 => Values::Num(s.f64().map(|c| c.iter().collect()).unwrap_or_default()),
            DataType::Int32 => Values::Num(s.i32().map(|c| c.iter().map(|v| v.map(f64::from)).collect()).unwrap_or_default()),
            DataType::Int64 => Values::Num(s.i64().map(|c| c.iter().map(|v| v.map(|v| v as f64)).collect()).unwrap_or_default()),
            DataType::Boolean => Values::Bool(s.bool().map(|c| c.iter().collect()).unwrap_or_default()),
            DataType::Date => Values::Date(
                s.cast(&DataType::Int32)
                    .ok()
                    .and_then(|c| c.i32().ok().map(|c| c.iter().map(|d| d.map(excel_date)).collect()))
                    .unwrap_or_default(),
            ),
            DataType::String => Values::Text(s.str().map(|c| c.iter().map(|v| v.map(Into::into)).collect()).unwrap_or_default()),
            _ => Values::Text(
                (0..s.len())
                    .map(|r| s.get(r).ok().and_then(|v| list_text(&v)).map(Into::into))
                    .collect(),
            ),
        }
    }

    /// The 和暦 label of each fiscal year.
    fn wareki(col: &Column, vocab: &Vocabulary) -> Values<'d> {
        let s = col.as_materialized_series();
        Values::Text(
            s.i32()
                .map(|c| {
                    c.iter()
                        .map(|v| v.and_then(|fy| vocab.wareki_fiscal_year(fy)).map(Into::into))
                        .collect()
                })
                .unwrap_or_default(),
        )
    }

    /// Row `r`'s cell; `None` for a null.
    fn cell(&self, r: usize) -> Option<super::sheet_xml::Cell<'_>> {
        use super::sheet_xml::Cell;
        match self {
            Values::Num(v) => v[r].map(Cell::Num),
            Values::Bool(v) => v[r].map(Cell::Bool),
            Values::Date(v) => v[r].as_ref().map(|d| match d {
                Ok(serial) => Cell::Date(*serial),
                Err(text) => Cell::Text(text),
            }),
            Values::Text(v) => v[r].as_deref().map(Cell::Text),
        }
    }

    fn width(&self) -> usize {
        match self {
            Values::Text(v) => v.iter().take(5000).flatten().map(|t| display_width(t)).max().unwrap_or(0),
            Values::Date(_) => 10,
            _ => 8,
        }
    }
}

/// Excel's serial number of the date `days` after 1970-01-01, or its ISO
/// text before 1900, where Excel has no dates.
fn excel_date(days: i32) -> Result<f64, String> {
    // Excel counts a 29 February 1900 that never was: serials from 1 March
    // 1900 on are the days since 30 December 1899, earlier ones one fewer.
    let serial = i64::from(days) + 25_569;
    match serial {
        61.. => Ok(serial as f64),
        2..=60 => Ok((serial - 1) as f64),
        _ => Err(chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|e| e.checked_add_signed(chrono::Duration::days(i64::from(days))))
            .map_or_else(|| format!("{days} days after 1970-01-01"), |d| d.format("%Y-%m-%d").to_string())),
    }
}

fn list_text(v: &AnyValue) -> Option<String> {
    match v {
        AnyValue::Null => None,
        AnyValue::List(s) => Some(
            s.iter()
                .filter_map(|x| x.get_str().map(str::to_string))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        other => Some(other.get_str().map(str::to_string).unwrap_or_else(|| other.to_string())),
    }
}

/// A batch's columns as the sheet shows them: coded values as words, the
/// 和暦 label after `fiscal_year` when there are eras, data columns first and
/// provenance at the right.
fn columns<'d>(
    df: &'d DataFrame,
    table: &str,
    labels: Option<&'d DisplayLabels>,
    vocabulary: Option<&Vocabulary>,
) -> Vec<(&'d str, Values<'d>)> {
    let mut data = Vec::new();
    let mut provenance = Vec::new();
    for col in df.columns() {
        let name = col.name().as_str();
        // The arguments are for programs (the message is rendered from them).
        if table == "diagnostics" && name == "message_args" && labels.is_some() {
            continue;
        }
        let values = match labels {
            Some(l) => shown(Values::of(col), table, name, l),
            None => Values::of(col),
        };
        let values = match (table, name, values, labels) {
            ("diagnostics", "message", Values::Text(v), Some(_)) => Values::Text(diagnostic_messages(df, v)),
            (_, _, v, _) => v,
        };
        let side = if is_provenance(table, name) { &mut provenance } else { &mut data };
        side.push((name, values));
        if let (true, Some(vocab)) = (name == "fiscal_year", vocabulary) {
            data.push(("fiscal_year_label", Values::wareki(col, vocab)));
        }
    }
    provenance.sort_by_key(|(n, _)| PROVENANCE.iter().position(|p| p == n));
    data.extend(provenance);
    data
}

/// Columns that say where a row came from, moved to the right end of every
/// sheet (in this order) so the first screen shows the data.
const PROVENANCE: &[&str] = &["source_file", "sheet", "cell", "run_id", "run_started"];

/// True for a provenance column of `table`; in 入力ファイル the file is the
/// row's subject and stays first.
fn is_provenance(table: &str, column: &str) -> bool {
    PROVENANCE.contains(&column) && !(table == "sources" && column == "source_file")
}

/// A column's values as the workbook shows them: codes as the words of
/// `display.toml` (a code without a word stays as it is), `actual_period`'s
/// compound forms spelled out, booleans of a coded column as words.
fn shown<'d>(values: Values<'d>, table: &str, column: &str, labels: &'d DisplayLabels) -> Values<'d> {
    use std::borrow::Cow;
    let words = labels.value_words(table, column);
    match (values, words) {
        (Values::Text(v), _) if column == "actual_period" => {
            Values::Text(v.into_iter().map(|t| t.map(|t| Cow::Owned(labels.period_text(&t)))).collect())
        }
        (Values::Text(v), Some(words)) => Values::Text(
            v.into_iter()
                .map(|t| {
                    t.map(|t| match words.get(t.as_ref()) {
                        Some(w) => Cow::Borrowed(w.as_str()),
                        None => t,
                    })
                })
                .collect(),
        ),
        (Values::Bool(v), Some(words)) => Values::Text(
            v.into_iter()
                .map(|b| {
                    b.map(|b| {
                        let code = if b { "true" } else { "false" };
                        words.get(code).map_or(Cow::Borrowed(code), |w| Cow::Borrowed(w.as_str()))
                    })
                })
                .collect(),
        ),
        (other, _) => other,
    }
}

/// The 診断 messages in the workbook's language (`--lang`, else Japanese),
/// rendered again from each row's `code` and `message_args`; a row without
/// arguments (a table written before they existed) keeps its stored text.
fn diagnostic_messages<'d>(df: &'d DataFrame, stored: Vec<Option<Cow<'d, str>>>) -> Vec<Option<Cow<'d, str>>> {
    let text = |name: &str| df.column(name).ok().and_then(|c| c.str().ok());
    let (Some(codes), Some(args)) = (text("code"), text("message_args")) else {
        return stored;
    };
    stored
        .into_iter()
        .zip(codes.iter().zip(args.iter()))
        .map(|(m, (code, args))| match (code, args) {
            (Some(code), Some(args)) => crate::mapping::messages::document_text(code, args).map(Cow::Owned).or(m),
            _ => m,
        })
        .collect()
}

/// Column widths from the first batch, a date format on date columns, and
/// the header: an Excel table over `height` data rows, or a bold header with
/// filters when there are none or the sheet has more than [`TABLE_MAX_CELLS`].
fn start_sheet(ws: &mut Worksheet, table: &str, cols: &[(&str, Values)], height: usize, style: &WorkbookStyle) -> Result<(), XlsxError> {
    let mut headers = Vec::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, (name, values)) in cols.iter().enumerate() {
        let label = style.column_in(table, name);
        headers.push(TableColumn::new().set_header(label));
        let width = values.width().max(display_width(label)).max(6);
        ws.set_column_width(c as u16, (width.min(60) + 2) as f64)?;
        // The rows' dates take the column's style (sheet_splice reads it back).
        if let Values::Date(_) = values {
            ws.set_column_format(c as u16, &date)?;
        }
    }
    if !cols.is_empty() {
        let last_col = (cols.len() - 1) as u16;
        if height > 0 && (height + 1) * cols.len() <= TABLE_MAX_CELLS {
            let table = Table::new().set_columns(&headers).set_style(TableStyle::Light9);
            ws.add_table(0, 0, height as u32, last_col, &table)?;
        } else {
            let bold = Format::new().set_bold();
            for (c, (name, _)) in cols.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, style.column_in(table, name), &bold)?;
            }
            ws.autofilter(0, 0, height as u32, last_col)?;
        }
    }
    Ok(())
}

/// Frozen header; printed, each table is A4 landscape, one page wide, header repeated.
fn finish_sheet(ws: &mut Worksheet) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// The 列の説明 sheet: every table's machine names beside their labels,
/// types and meanings (in the words of `display.toml` when it has them).
fn write_guide(ws: &mut Worksheet, style: &WorkbookStyle) -> Result<(), XlsxError> {
    let word = |k: &'static str| style.labels.map_or(k, |l| l.word(k));
    let mut row = 0u32;
    let headers = [
        word("guide_sheet"),
        word("guide_name"),
        word("guide_label"),
        word("guide_dtype"),
        word("guide_description"),
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for defs in style.tables {
        for t in defs.iter() {
            for c in t.columns {
                row += 1;
                let dtype = style.labels.map_or(c.dtype, |l| l.dtype(c.dtype));
                let description = style.labels.and_then(|l| l.description(t.name, c.name)).unwrap_or(c.description);
                ws.write_string(row, 0, style.table(t.name))?;
                ws.write_string(row, 1, c.name)?;
                ws.write_string(row, 2, style.column_in(t.name, c.name))?;
                ws.write_string(row, 3, dtype)?;
                ws.write_string(row, 4, description)?;
            }
        }
    }
    let cols: Vec<TableColumn> = headers.iter().map(|h| TableColumn::new().set_header(*h)).collect();
    ws.add_table(0, 0, row.max(1), 4, &Table::new().set_columns(&cols).set_style(TableStyle::Light9))?;
    for (c, w) in [(0u16, 16.0), (1, 24.0), (2, 20.0), (3, 12.0), (4, 90.0)] {
        ws.set_column_width(c, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Display width: CJK characters take two columns.
fn display_width(s: &str) -> usize {
    s.lines()
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::safe_sheet_name;
    use std::collections::HashSet;

    #[test]
    fn sheet_names_are_safe_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(safe_sheet_name("a/b:c*d?[e]", &mut used), "a_b_c_d__e_");
        let long = "あ".repeat(40);
        assert_eq!(safe_sheet_name(&long, &mut used).chars().count(), 31);
        let again = safe_sheet_name(&long, &mut used);
        assert!(again.ends_with("_2") && again.chars().count() == 31);
        assert_eq!(safe_sheet_name("'x'", &mut used), "x");
        assert_eq!(safe_sheet_name("X", &mut used), "X_2", "unique whatever the case");
        assert_eq!(safe_sheet_name("History", &mut used), "Sheet6");
        assert_eq!(safe_sheet_name(" \u{7} ", &mut used), "_");
    }
}
