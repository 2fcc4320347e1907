//! Display labels (`mappings/display.toml`): the Japanese sheet names,
//! column headers, words for coded values (`target` → 目標値), column
//! descriptions and sheet words of `consolidated.xlsx`, and the number format
//! of each unit (shared with `torikumi render`). Parquet and CSV keep machine
//! names and codes.
//!
//! The file is read here with the other mapping files; whether it names
//! exactly the output schema's tables and columns is checked against the
//! schema by [`DisplayLabels::check_names`], called from `table` (the
//! schema's home, above this module).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::MappingError;
use super::file::{from_value, parse_table};
use crate::model::{Direction, EvalStatus, IndicatorStatus, Kind, Period, ScheduleKind, Severity, Status};

/// Name of the display labels file inside a mappings folder.
pub const DISPLAY_FILE: &str = "display.toml";

/// Columns the workbook adds beside the tables' own (the 和暦 fiscal year).
pub const DISPLAY_ONLY_COLUMNS: &[&str] = &["fiscal_year_label", "description", "dtype"];
/// Sheets the workbook adds beside the tables (the guide to the columns).
pub const DISPLAY_ONLY_TABLES: &[&str] = &["columns_guide", "trends", "overview", "indicator_list"];

/// The `sources.status` codes the pipeline writes (they have no enum).
pub const SOURCE_STATUSES: &[&str] = &["ok", "warnings", "errors", "skipped", "duplicate"];

/// The `[words]` the workbook's own sheets (概要, 指標一覧) use; each must be set.
pub const WORD_KEYS: &[&str] = &[
    "overview_title",
    "run_heading",
    "version",
    "files_count",
    "cells_in_diagnostics",
    "errors",
    "warnings",
    "files_heading",
    "diagnostics_link",
    "no_diagnostics",
    "evaluation_heading",
    "evaluated",
    "baseline_year",
    "year_column",
    "achievement",
    "period_note",
    "guide_sheet",
    "guide_name",
    "guide_label",
    "guide_dtype",
    "guide_description",
    "trend_period",
];

/// Keys of `[period_forms]`, all required when the section is given.
const PERIOD_FORM_KEYS: &[&str] = &["as_of", "sum", "mean", "separator"];

/// Per table and column, every code the model can write there: each needs a
/// word in `[values]` (or `[value_overrides]`) when the file is read.
fn coded_columns() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    let periods: Vec<&str> = Period::ALL.iter().map(|p| p.as_str()).collect();
    let eval: Vec<&str> = EvalStatus::ALL.iter().map(|s| s.as_str()).collect();
    vec![
        ("observations", "kind", Kind::ALL.iter().map(|k| k.as_str()).collect()),
        ("observations", "period", periods.clone()),
        ("observations", "status", Status::ALL.iter().map(|s| s.as_str()).collect()),
        ("indicators", "status", IndicatorStatus::ALL.iter().map(|s| s.as_str()).collect()),
        ("schedule", "kind", ScheduleKind::ALL.iter().map(|k| k.as_str()).collect()),
        ("schedule", "period", periods),
        ("sources", "status", SOURCE_STATUSES.to_vec()),
        (
            "diagnostics",
            "severity",
            [Severity::Error, Severity::Warning, Severity::Info]
                .iter()
                .map(|s| s.as_str())
                .collect(),
        ),
        (
            "evaluation",
            "direction",
            [Direction::Higher, Direction::Lower].iter().map(|d| d.as_str()).collect(),
        ),
        ("evaluation", "direction_inferred", vec!["true", "false"]),
        ("evaluation", "status", eval.clone()),
        ("evaluation", "printed_status", eval),
    ]
}

type Words = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
struct DisplaySpec {
    tables: Words,
    columns: Words,
    /// Per-table labels where a shared column name means something else there.
    #[serde(default)]
    overrides: BTreeMap<String, Words>,
    /// Column → code → word.
    #[serde(default)]
    values: BTreeMap<String, Words>,
    /// Table → column → code → word, where a table's codes differ.
    #[serde(default)]
    value_overrides: BTreeMap<String, BTreeMap<String, Words>>,
    #[serde(default)]
    period_forms: Words,
    #[serde(default)]
    dtypes: Words,
    #[serde(default)]
    descriptions: Words,
    #[serde(default)]
    descriptions_in: BTreeMap<String, Words>,
    #[serde(default)]
    words: Words,
    #[serde(default)]
    units: Vec<UnitFormat>,
    default_unit_format: Option<UnitFormat>,
}

/// Machine name → display label, for tables and columns.
#[derive(Debug, Clone, Default)]
pub struct DisplayLabels {
    /// The file read, for the messages of [`DisplayLabels::check_names`].
    file: String,
    tables: Words,
    columns: Words,
    overrides: BTreeMap<String, Words>,
    values: BTreeMap<String, Words>,
    value_overrides: BTreeMap<String, BTreeMap<String, Words>>,
    period_forms: Words,
    dtypes: Words,
    descriptions: Words,
    descriptions_in: BTreeMap<String, Words>,
    words: Words,
    units: UnitFormats,
}

impl DisplayLabels {
    /// The sheet label of a table (its machine name when none is set).
    pub fn table<'a>(&'a self, name: &'a str) -> &'a str {
        self.tables.get(name).map(String::as_str).unwrap_or(name)
    }

    /// The header label of a column (its machine name when none is set).
    pub fn column<'a>(&'a self, name: &'a str) -> &'a str {
        self.columns.get(name).map(String::as_str).unwrap_or(name)
    }

    /// The header label of a column in a given table (a per-table override first).
    pub fn column_in<'a>(&'a self, table: &str, name: &'a str) -> &'a str {
        self.overrides
            .get(table)
            .and_then(|o| o.get(name))
            .map(String::as_str)
            .unwrap_or_else(|| self.column(name))
    }

    /// Loads `display.toml`.
    ///
    /// # Errors
    /// Every problem at once: syntax, unknown keys, values that are not text.
    pub fn load(path: &Path) -> Result<Self, Vec<MappingError>> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![MappingError {
                file: file.clone(),
                key: String::new(),
                message: format!("cannot read: {e}"),
            }]
        })?;
        Self::from_text(&file, &text)
    }

    /// [`DisplayLabels::load`] from the file's text; `file` names it in the messages.
    ///
    /// # Errors
    /// As [`DisplayLabels::load`].
    pub fn from_text(file: &str, text: &str) -> Result<Self, Vec<MappingError>> {
        let file = file.to_string();
        let table = parse_table(&file, text).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let spec = from_value::<DisplaySpec>(&file, "", &toml::Value::Table(table), &mut errors);
        match spec {
            Some(spec) if errors.is_empty() => {
                let labels = DisplayLabels {
                    tables: spec.tables,
                    columns: spec.columns,
                    overrides: spec.overrides,
                    values: spec.values,
                    value_overrides: spec.value_overrides,
                    period_forms: spec.period_forms,
                    dtypes: spec.dtypes,
                    descriptions: spec.descriptions,
                    descriptions_in: spec.descriptions_in,
                    words: spec.words,
                    units: UnitFormats {
                        units: spec.units,
                        default: spec.default_unit_format.unwrap_or_default(),
                    },
                    file,
                };
                let errors = labels.missing_words();
                if errors.is_empty() { Ok(labels) } else { Err(errors) }
            }
            _ => Err(errors),
        }
    }

    /// Every code the model can write without a word, every `[words]` and
    /// `[period_forms]` key unset, and unit formats whose decimals are reversed.
    fn missing_words(&self) -> Vec<MappingError> {
        let err = |key: String, message: &str| MappingError {
            file: self.file.clone(),
            key,
            message: message.to_string(),
        };
        let mut errors = Vec::new();
        for (table, column, codes) in coded_columns() {
            for code in codes {
                if self.value_word(table, column, code).is_none() {
                    errors.push(err(
                        format!("values.{column}.{code}"),
                        &format!("missing word (a code of {table}.{column})"),
                    ));
                }
            }
        }
        for key in WORD_KEYS.iter().filter(|k| !self.words.contains_key(**k)) {
            errors.push(err(format!("words.{key}"), "missing"));
        }
        for key in PERIOD_FORM_KEYS.iter().filter(|k| !self.period_forms.contains_key(**k)) {
            errors.push(err(format!("period_forms.{key}"), "missing"));
        }
        for key in self.words.keys().filter(|k| !WORD_KEYS.contains(&k.as_str())) {
            errors.push(err(format!("words.{key}"), "unknown key"));
        }
        for (i, u) in self.units.units.iter().enumerate() {
            if u.min_decimals > u.max_decimals {
                errors.push(err(format!("units[{i}]"), "min_decimals is above max_decimals"));
            }
        }
        errors
    }

    /// The word shown for `code` in `table.column` (a per-table entry first);
    /// `None` when the column is not coded or the code has no word.
    pub fn value_word(&self, table: &str, column: &str, code: &str) -> Option<&str> {
        self.value_words(table, column)?.get(code).map(String::as_str)
    }

    /// Code → word of `table.column` (a per-table entry first), looked up
    /// once per column rather than per cell; `None` when it is not coded.
    pub fn value_words(&self, table: &str, column: &str) -> Option<&BTreeMap<String, String>> {
        self.value_overrides
            .get(table)
            .and_then(|t| t.get(column))
            .or_else(|| self.values.get(column))
    }

    /// An `evaluation.actual_period` as words: a single period (`Q3` → 第3四半期),
    /// a point in time (`AS_OF:2023-12-31` → 2023-12-31時点), a sum
    /// (`Q1+Q2`) or a mean (`mean(Q1,Q2)`); the code itself when it fits none.
    pub fn period_text(&self, code: &str) -> String {
        let word = |p: &str| self.value_word("observations", "period", p).unwrap_or(p).to_string();
        let form = |k: &str| self.period_forms.get(k).map(String::as_str);
        let periods = |list: &str, sep: char| -> String {
            let sep_word = form("separator").unwrap_or(",");
            list.split(sep).map(|p| word(p.trim())).collect::<Vec<_>>().join(sep_word)
        };
        if let (Some(date), Some(f)) = (code.strip_prefix("AS_OF:"), form("as_of")) {
            return f.replace("{date}", date);
        }
        if let (Some(inner), Some(f)) = (code.strip_prefix("mean(").and_then(|c| c.strip_suffix(')')), form("mean")) {
            return f.replace("{periods}", &periods(inner, ','));
        }
        if let (true, Some(f)) = (code.contains('+'), form("sum")) {
            return f.replace("{periods}", &periods(code, '+'));
        }
        word(code)
    }

    /// A type name (`float64`) as the columns guide shows it.
    pub fn dtype<'a>(&'a self, dtype: &'a str) -> &'a str {
        self.dtypes.get(dtype).map(String::as_str).unwrap_or(dtype)
    }

    /// What column `column` of `table` holds, in the file's words (a per-table
    /// entry first); `None` when the file has none.
    pub fn description(&self, table: &str, column: &str) -> Option<&str> {
        self.descriptions_in
            .get(table)
            .and_then(|d| d.get(column))
            .or_else(|| self.descriptions.get(column))
            .map(String::as_str)
    }

    /// A word of the workbook's own sheets (`[words]`); the key itself when unset.
    pub fn word<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The number formats per unit, shared by the workbook and `render`.
    pub fn units(&self) -> &UnitFormats {
        &self.units
    }

    /// Checks the labels cover exactly the output tables and their columns,
    /// given as (table name, column names); labels of sheets and columns the
    /// workbook adds are allowed besides. Nothing to check when no file was read.
    pub fn check_names(&self, tables: &[(&str, Vec<&str>)]) -> Vec<MappingError> {
        if self.file.is_empty() {
            return Vec::new();
        }
        let err = |key: String, message: String| MappingError {
            file: self.file.clone(),
            key,
            message,
        };
        let mut errors = Vec::new();
        for name in self.tables.keys() {
            if !tables.iter().any(|(t, _)| t == name) && !DISPLAY_ONLY_TABLES.contains(&name.as_str()) {
                errors.push(err(format!("tables.{name}"), "no such table".into()));
            }
        }
        for (t, columns) in tables {
            if !self.tables.contains_key(*t) {
                errors.push(err(format!("tables.{t}"), "missing label".into()));
            }
            for c in columns {
                if !self.columns.contains_key(*c) {
                    errors.push(err(format!("columns.{c}"), format!("missing label (a column of {t})")));
                }
                if self.description(t, c).is_none() {
                    errors.push(err(format!("descriptions.{c}"), format!("missing description (a column of {t})")));
                }
            }
        }
        for name in self.columns.keys() {
            let known = DISPLAY_ONLY_COLUMNS.contains(&name.as_str()) || tables.iter().any(|(_, cols)| cols.contains(&name.as_str()));
            if !known {
                errors.push(err(format!("columns.{name}"), "no table has this column".into()));
            }
        }
        for (table, cols) in self.overrides.iter().chain(&self.descriptions_in) {
            match tables.iter().find(|(t, _)| t == table) {
                None => errors.push(err(table.clone(), "no such table".into())),
                Some((_, columns)) => {
                    for name in cols.keys().filter(|n| !columns.contains(&n.as_str())) {
                        errors.push(err(format!("{table}.{name}"), "the table has no such column".into()));
                    }
                }
            }
        }
        errors
    }
}

/// Number format of one base unit. `format` holds `{.}` where the decimals go
/// (`#,##0{.}"件"` → `#,##0"件"` or `#,##0.0"件"`); `{unit}` is the unit itself.
#[derive(Debug, Clone, Deserialize)]
pub struct UnitFormat {
    #[serde(default)]
    pub unit: String,
    pub format: String,
    #[serde(default)]
    pub min_decimals: u8,
    #[serde(default = "max_dec")]
    pub max_decimals: u8,
}

fn max_dec() -> u8 {
    4
}

impl Default for UnitFormat {
    /// `#,##0"{unit}"`, as many decimals as needed up to four.
    fn default() -> Self {
        UnitFormat {
            unit: String::new(),
            format: "#,##0{.}\"{unit}\"".into(),
            min_decimals: 0,
            max_decimals: max_dec(),
        }
    }
}

impl UnitFormat {
    /// The format for a value needing `decimals` decimals.
    pub fn code(&self, unit: &str, needed: u8) -> String {
        let d = needed.clamp(self.min_decimals, self.max_decimals.max(self.min_decimals));
        let dec = if d == 0 {
            String::new()
        } else {
            format!(".{}", "0".repeat(d as usize))
        };
        self.format.replace("{.}", &dec).replace("{unit}", &unit.replace('"', ""))
    }
}

/// The number formats of every unit: `[[units]]` and `default_unit_format`
/// of `display.toml`, read by the workbook and by `render`.
#[derive(Debug, Clone, Default)]
pub struct UnitFormats {
    pub units: Vec<UnitFormat>,
    /// For a unit without an entry.
    pub default: UnitFormat,
}

impl UnitFormats {
    /// The entry for `unit`, if it has its own.
    pub fn get(&self, unit: &str) -> Option<&UnitFormat> {
        self.units.iter().find(|f| f.unit == unit)
    }

    /// Format for `unit` (None: unit-less, a plain number with up to six
    /// decimals) and a value needing `needed` decimals.
    pub fn number_format(&self, unit: Option<&str>, needed: u8) -> String {
        let u = unit.unwrap_or("");
        match self.get(u) {
            Some(f) => f.code(u, needed),
            None if u.is_empty() => UnitFormat {
                unit: String::new(),
                format: "#,##0{.}".into(),
                min_decimals: 0,
                max_decimals: 6,
            }
            .code(u, needed),
            None => self.default.code(u, needed),
        }
    }
}

/// Decimals `v` needs to print exactly (at most six): 88.75 → 2.
pub fn decimals(v: f64) -> u8 {
    let s = format!("{:.6}", v.abs());
    let frac = s.split('.').nth(1).unwrap_or("").trim_end_matches('0');
    frac.len() as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> DisplayLabels {
        let text = include_str!("../../mappings/display.toml");
        DisplayLabels::from_text("display.toml", text).expect("the shipped labels load")
    }

    #[test]
    fn every_code_the_model_writes_has_a_word() {
        let d = shipped();
        assert_eq!(d.value_word("observations", "kind", "target"), Some("目標値"));
        assert_eq!(d.value_word("observations", "period", "Q3"), Some("第3四半期"));
        assert_eq!(d.value_word("indicators", "status", "deleted"), Some("削除"));
        assert_eq!(d.value_word("evaluation", "status", "not_evaluable"), Some("評価不能"));
        assert_eq!(d.value_word("diagnostics", "severity", "warning"), Some("警告"));
    }

    #[test]
    fn a_missing_word_names_its_key() {
        let text = include_str!("../../mappings/display.toml").replace("not_done = \"実施なし\"\n", "");
        let errs = DisplayLabels::from_text("display.toml", &text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].key, "values.status.not_done");
        let text = include_str!("../../mappings/display.toml").replace("period_note = ", "period_notes = ");
        let keys: Vec<String> = DisplayLabels::from_text("display.toml", &text)
            .unwrap_err()
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert_eq!(keys, ["words.period_note", "words.period_notes"]);
    }

    #[test]
    fn compound_periods_read_as_words() {
        let d = shipped();
        assert_eq!(d.period_text("Q3"), "第3四半期");
        assert_eq!(d.period_text("AS_OF:2023-12-31"), "2023-12-31時点");
        assert_eq!(d.period_text("Q1+Q2"), "第1四半期・第2四半期の合計");
        assert_eq!(d.period_text("mean(Q1,Q2)"), "第1四半期・第2四半期の平均");
    }

    #[test]
    fn unit_formats_are_shared_and_percent_stays_points() {
        let u = shipped().units().clone();
        assert_eq!(u.number_format(Some("%"), 0), "0.0\"%\"");
        assert_eq!(u.number_format(Some("件"), 0), "#,##0\"件\"");
        assert_eq!(u.number_format(Some("回"), 2), "#,##0.00\"回\"");
        assert_eq!(u.number_format(None, 1), "#,##0.0");
        assert_eq!(decimals(88.75), 2);
        assert_eq!(decimals(1500.0), 0);
    }
}
