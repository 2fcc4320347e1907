//! 指標一覧: one row per indicator with its baseline and, per fiscal year,
//! 目標値 | 実績値 | 達成率 side by side, the way offices keep their KPI lists.
//!
//! ```text
//!   計画 | 項目番号 | 実施項目 | 指標番号 | 指標 | 単位 | 状態   | 基準年度   | 基準値 | 令和3年度 目標値 | 令和3年度 実績値 | 令和3年度 達成率 | …
//!   …    | 1        | …        | 1        | …    | %    | 取組中 | 令和元年度 | 7.0%   | 20.0%            | 28.3%            | 141.5%           | …
//! ```
//!
//! 状態 is the `indicators` table's status in the 指標 sheet's words, so an
//! indicator the documents mark deleted (`(目標達成のため削除)`) shows 削除.
//!
//! Values stay numbers: the unit is in each row's number format (the formats
//! `render` uses, `display.toml`'s `[[units]]`), and an actual that is not the
//! year's final figure (`Q3`) carries its period in the format
//! (`0.0"%（第3四半期）"`). Read from the staged `evaluation` (targets,
//! actuals, achievement rates), `indicators` (which indicators, their units)
//! and `observations` (baselines) tables, in batches.

use std::collections::{BTreeSet, HashMap};

use polars::prelude::*;
use rust_xlsxwriter::{Format, Table, TableColumn, TableStyle, Worksheet, XlsxError};

use super::{SinkError, TableFile};
use crate::mapping::display::{DisplayLabels, decimals};
use crate::normalize::Vocabulary;

/// An indicator's identity, as the evaluation keys it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    plan: String,
    initiative_no: String,
    indicator_no: Option<i32>,
    indicator: String,
}

/// One fiscal year of an indicator.
#[derive(Debug, Clone, Default)]
struct Year {
    target: Option<f64>,
    actual: Option<f64>,
    actual_period: Option<String>,
    achievement_rate: Option<f64>,
}

/// One row of the sheet.
#[derive(Debug, Clone, Default)]
struct Row {
    initiative: String,
    unit: Option<String>,
    /// The indicator's status code (`active`, `deleted`): deleted when any
    /// document says so, as the office must see it.
    status: Option<String>,
    /// Fiscal year, period code and value of the latest baseline.
    baseline: Option<(i32, String, f64)>,
    years: HashMap<i32, Year>,
    /// Input order of first sight, the tie-break after the item number.
    seen: usize,
}

/// The `indicators` status of an indicator the documents deleted; it wins
/// over `active` from another file.
const DELETED: &str = "deleted";

/// The columns before the years: the indicator, its status and baseline.
const FIXED_COLUMNS: u16 = 9;

/// Periods that give a year's final figure: an actual of another period is marked with it.
const FINAL_PERIODS: &[&str] = &["FY", "Q4", "H2"];

/// The sheet's rows, read from a run's tables.
#[derive(Debug, Default)]
pub struct IndicatorList {
    rows: Vec<(Key, Row)>,
    years: Vec<i32>,
}

impl IndicatorList {
    /// Reads the indicators, their yearly evaluation and baselines from `tables`.
    ///
    /// # Errors
    /// A table cannot be read back.
    pub fn read(tables: &[TableFile]) -> Result<Self, SinkError> {
        let mut rows: HashMap<Key, Row> = HashMap::new();
        let find = |name: &str| tables.iter().find(|t| t.name == name);
        if let Some(t) = find("indicators") {
            each_row(t, &["unit", "status"], &[], |key, initiative, texts, _, _| {
                let row = row_of(&mut rows, key, initiative, &texts[0]);
                if row.status.is_none() || texts[1].as_deref() == Some(DELETED) {
                    row.status.clone_from(&texts[1]);
                }
            })?;
        }
        let mut years = BTreeSet::new();
        if let Some(t) = find("evaluation") {
            let nums = ["target", "actual", "achievement_rate"];
            each_row(t, &["unit", "actual_period"], &nums, |key, initiative, texts, fy, n| {
                let row = row_of(&mut rows, key, initiative, &texts[0]);
                if let Some(fy) = fy {
                    years.insert(fy);
                    row.years.insert(
                        fy,
                        Year {
                            target: n[0],
                            actual: n[1],
                            actual_period: texts[1].clone(),
                            achievement_rate: n[2],
                        },
                    );
                }
            })?;
        }
        if let Some(t) = find("observations") {
            each_row(t, &["kind", "period", "as_of"], &["value"], |key, _, texts, fy, n| {
                let (Some(fy), Some(v), Some("baseline")) = (fy, n[0], texts[0].as_deref()) else {
                    return;
                };
                if let Some(row) = rows.get_mut(&key) {
                    // The latest baseline; the first of a year wins.
                    if row.baseline.as_ref().is_none_or(|(y, _, _)| fy > *y) {
                        // A point in time as evaluation.actual_period writes it: AS_OF:2022-09-30.
                        let period = match (texts[1].as_deref(), &texts[2]) {
                            (Some("AS_OF"), Some(date)) => format!("AS_OF:{date}"),
                            (p, _) => p.unwrap_or_default().to_string(),
                        };
                        row.baseline = Some((fy, period, v));
                    }
                }
            })?;
        }
        let mut rows: Vec<(Key, Row)> = rows.into_iter().collect();
        // Plans in input order, items by number, indicators as first seen.
        let mut plans: HashMap<String, usize> = HashMap::new();
        for (k, r) in &rows {
            let seen = plans.entry(k.plan.clone()).or_insert(r.seen);
            *seen = (*seen).min(r.seen);
        }
        rows.sort_by(|(a, ra), (b, rb)| {
            let plan_seen = |k: &Key| plans.get(&k.plan).copied().unwrap_or(usize::MAX);
            plan_seen(a)
                .cmp(&plan_seen(b))
                .then_with(|| a.plan.cmp(&b.plan))
                .then_with(|| crate::evaluate::natural_order(&a.initiative_no, &b.initiative_no))
                .then_with(|| a.indicator_no.cmp(&b.indicator_no))
                .then_with(|| ra.seen.cmp(&rb.seen))
        });
        Ok(IndicatorList {
            rows,
            years: years.into_iter().collect(),
        })
    }

    /// Writes the sheet into `ws`: an Excel table with a frozen header and the indicator names.
    ///
    /// # Errors
    /// The workbook rejects a cell or the table.
    pub fn write(&self, ws: &mut Worksheet, labels: Option<&DisplayLabels>, vocabulary: Option<&Vocabulary>) -> Result<(), XlsxError> {
        let column = |name: &'static str| labels.map_or(name, |l| l.column_in("indicators", name));
        let word = |key: &'static str| labels.map_or(key, |l| l.word(key));
        let mut headers: Vec<String> = ["plan", "initiative_no", "initiative", "indicator_no", "indicator", "unit"]
            .iter()
            .map(|c| column(c).to_string())
            .collect();
        headers.push(column("status").to_string());
        headers.push(word("baseline_year").to_string());
        headers.push(
            labels
                .and_then(|l| l.value_word("observations", "kind", "baseline"))
                .unwrap_or("baseline")
                .to_string(),
        );
        let year_label = |fy: i32| vocabulary.and_then(|v| v.wareki_fiscal_year(fy)).unwrap_or_else(|| fy.to_string());
        for fy in &self.years {
            for what in [column("target"), column("actual"), word("achievement")] {
                let label = labels.map_or_else(
                    || format!("{fy} {what}"),
                    |l| l.word("year_column").replace("{year}", &year_label(*fy)).replace("{what}", what),
                );
                headers.push(label);
            }
        }
        let mut formats = Formats::new(labels);
        for (i, (key, row)) in self.rows.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_string(r, 0, &key.plan)?;
            ws.write_string(r, 1, &key.initiative_no)?;
            ws.write_string(r, 2, &row.initiative)?;
            if let Some(n) = key.indicator_no {
                ws.write_number(r, 3, f64::from(n))?;
            }
            ws.write_string(r, 4, &key.indicator)?;
            if let Some(u) = &row.unit {
                ws.write_string(r, 5, u)?;
            }
            if let Some(s) = &row.status {
                ws.write_string(r, 6, labels.and_then(|l| l.value_word("indicators", "status", s)).unwrap_or(s))?;
            }
            let needed = self.decimals(row);
            let unit = row.unit.as_deref();
            if let Some((fy, period, v)) = &row.baseline {
                ws.write_string(r, 7, year_label(*fy))?;
                ws.write_number_with_format(r, 8, *v, formats.value(unit, needed, Some(period)))?;
            }
            for (k, fy) in self.years.iter().enumerate() {
                let c = FIXED_COLUMNS + 3 * k as u16;
                let Some(y) = row.years.get(fy) else { continue };
                if let Some(t) = y.target {
                    ws.write_number_with_format(r, c, t, formats.value(unit, needed, None))?;
                }
                if let Some(a) = y.actual {
                    ws.write_number_with_format(r, c + 1, a, formats.value(unit, needed, y.actual_period.as_deref()))?;
                }
                if let Some(rate) = y.achievement_rate {
                    ws.write_number_with_format(r, c + 2, rate, formats.value(Some("%"), 1, None))?;
                }
            }
        }
        let last_col = (headers.len() - 1) as u16;
        let bold = Format::new().set_bold().set_text_wrap();
        let columns: Vec<TableColumn> = headers
            .iter()
            .map(|h| TableColumn::new().set_header(h).set_header_format(&bold))
            .collect();
        let last_row = self.rows.len().max(1) as u32;
        ws.add_table(
            0,
            0,
            last_row,
            last_col,
            &Table::new().set_columns(&columns).set_style(TableStyle::Light9),
        )?;
        for (c, w) in [
            (0u16, 24.0),
            (1, 8.0),
            (2, 36.0),
            (3, 8.0),
            (4, 44.0),
            (5, 8.0),
            (6, 8.0),
            (7, 12.0),
            (8, 12.0),
        ] {
            ws.set_column_width(c, w)?;
        }
        for c in FIXED_COLUMNS..=last_col {
            ws.set_column_width(c, 14.0)?;
        }
        ws.set_freeze_panes(1, 5)?;
        ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0)?;
        Ok(())
    }

    /// Decimals the row's values need, so that the row shares one format.
    fn decimals(&self, row: &Row) -> u8 {
        let values = row
            .baseline
            .iter()
            .map(|b| b.2)
            .chain(row.years.values().flat_map(|y| [y.target, y.actual]).flatten());
        values.map(decimals).max().unwrap_or(0)
    }
}

/// Number formats by code, each made once.
struct Formats<'a> {
    labels: Option<&'a DisplayLabels>,
    made: HashMap<String, Format>,
}

impl<'a> Formats<'a> {
    fn new(labels: Option<&'a DisplayLabels>) -> Self {
        Formats {
            labels,
            made: HashMap::new(),
        }
    }

    /// The format of a value in `unit` needing `needed` decimals; a period
    /// other than the year's final one is appended as a literal (`（第3四半期）`).
    fn value(&mut self, unit: Option<&str>, needed: u8, period: Option<&str>) -> &Format {
        let mut code = match self.labels {
            Some(l) => l.units().number_format(unit, needed),
            None => "General".to_string(),
        };
        if let (Some(p), Some(l)) = (period.filter(|p| !FINAL_PERIODS.contains(p)), self.labels) {
            let note = l.word("period_note").replace("{period}", &l.period_text(p)).replace('"', "");
            // Into the unit's literal when the format ends in one: 0.0"%（第3四半期）".
            match code.strip_suffix('"') {
                Some(open) => code = format!("{open}{note}\""),
                None => code.push_str(&format!("\"{note}\"")),
            }
        }
        self.made.entry(code.clone()).or_insert_with(|| Format::new().set_num_format(&code))
    }
}

/// The row of `key`, made in the order indicators are first seen; its unit
/// is the first one given.
fn row_of<'r>(rows: &'r mut HashMap<Key, Row>, key: Key, initiative: &str, unit: &Option<String>) -> &'r mut Row {
    let seen = rows.len();
    let row = rows.entry(key).or_insert_with(|| Row {
        initiative: initiative.to_string(),
        seen,
        ..Row::default()
    });
    if row.unit.is_none() {
        row.unit = unit.clone();
    }
    row
}

/// Calls `f` for every row of `table` with its key, item title, the `texts`
/// and `numbers` columns asked for and its fiscal year, reading only those
/// columns, batch by batch.
fn each_row(
    table: &TableFile,
    texts: &[&str],
    numbers: &[&str],
    mut f: impl FnMut(Key, &str, &[Option<String>], Option<i32>, &[Option<f64>]),
) -> Result<(), SinkError> {
    let mut wanted: Vec<String> = ["plan", "initiative_no", "initiative", "indicator_no", "indicator"]
        .iter()
        .chain(texts)
        .chain(numbers)
        .map(|c| c.to_string())
        .collect();
    let has_year = crate::table::table_def(table.name).is_some_and(|d| d.columns.iter().any(|c| c.name == "fiscal_year"));
    if has_year {
        wanted.push("fiscal_year".into());
    }
    let size = super::ROW_GROUP_ROWS;
    for k in 0..table.rows.div_ceil(size) {
        let file = std::fs::File::open(&table.path).map_err(|source| SinkError::Io {
            path: table.path.clone(),
            source,
        })?;
        let df = ParquetReader::new(file)
            .with_columns(Some(wanted.clone()))
            .with_slice(Some((k * size, size.min(table.rows - k * size))))
            .finish()
            .map_err(|e| SinkError::frame(table.name, e))?;
        // Dates (as_of) as their ISO text.
        let text = |name: &str| -> Vec<Option<String>> {
            df.column(name)
                .ok()
                .and_then(|c| c.cast(&DataType::String).ok())
                .and_then(|c| c.str().ok().map(|s| s.iter().map(|v| v.map(str::to_string)).collect()))
                .unwrap_or_else(|| vec![None; df.height()])
        };
        let int = |name: &str| -> Vec<Option<i32>> {
            df.column(name)
                .ok()
                .and_then(|c| c.i32().ok().map(|s| s.iter().collect()))
                .unwrap_or_else(|| vec![None; df.height()])
        };
        let num = |name: &str| -> Vec<Option<f64>> {
            df.column(name)
                .ok()
                .and_then(|c| c.f64().ok().map(|s| s.iter().collect()))
                .unwrap_or_else(|| vec![None; df.height()])
        };
        let (plan, no, title, ind_no, ind, fy) = (
            text("plan"),
            text("initiative_no"),
            text("initiative"),
            int("indicator_no"),
            text("indicator"),
            int("fiscal_year"),
        );
        let extra_texts: Vec<Vec<Option<String>>> = texts.iter().map(|c| text(c)).collect();
        let extra_nums: Vec<Vec<Option<f64>>> = numbers.iter().map(|c| num(c)).collect();
        for r in 0..df.height() {
            let key = Key {
                plan: plan[r].clone().unwrap_or_default(),
                initiative_no: no[r].clone().unwrap_or_default(),
                indicator_no: ind_no[r],
                indicator: ind[r].clone().unwrap_or_default(),
            };
            let t: Vec<Option<String>> = extra_texts.iter().map(|c| c[r].clone()).collect();
            let n: Vec<Option<f64>> = extra_nums.iter().map(|c| c[r]).collect();
            f(key, title[r].as_deref().unwrap_or(""), &t, fy[r], &n);
        }
    }
    Ok(())
}
