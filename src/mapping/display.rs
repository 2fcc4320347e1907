//! Display labels (`mappings/display.toml`): the Japanese sheet names and
//! column headers of `consolidated.xlsx`. Parquet and CSV keep machine names.
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

/// Name of the display labels file inside a mappings folder.
pub const DISPLAY_FILE: &str = "display.toml";

/// Columns the workbook adds beside the tables' own (the 和暦 fiscal year).
pub const DISPLAY_ONLY_COLUMNS: &[&str] = &["fiscal_year_label", "description", "dtype"];
/// Sheets the workbook adds beside the tables (the guide to the columns).
pub const DISPLAY_ONLY_TABLES: &[&str] = &["columns_guide", "trends"];

#[derive(Debug, Deserialize)]
struct DisplaySpec {
    tables: BTreeMap<String, String>,
    columns: BTreeMap<String, String>,
    /// Per-table labels where a shared column name means something else there.
    #[serde(default)]
    overrides: BTreeMap<String, BTreeMap<String, String>>,
}

/// Machine name → display label, for tables and columns.
#[derive(Debug, Clone, Default)]
pub struct DisplayLabels {
    /// The file read, for the messages of [`DisplayLabels::check_names`].
    file: String,
    tables: BTreeMap<String, String>,
    columns: BTreeMap<String, String>,
    overrides: BTreeMap<String, BTreeMap<String, String>>,
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
            Some(spec) if errors.is_empty() => Ok(DisplayLabels {
                file,
                tables: spec.tables,
                columns: spec.columns,
                overrides: spec.overrides,
            }),
            _ => Err(errors),
        }
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
            }
        }
        for name in self.columns.keys() {
            let known = DISPLAY_ONLY_COLUMNS.contains(&name.as_str()) || tables.iter().any(|(_, cols)| cols.contains(&name.as_str()));
            if !known {
                errors.push(err(format!("columns.{name}"), "no table has this column".into()));
            }
        }
        for (table, cols) in &self.overrides {
            match tables.iter().find(|(t, _)| t == table) {
                None => errors.push(err(format!("overrides.{table}"), "no such table".into())),
                Some((_, columns)) => {
                    for name in cols.keys().filter(|n| !columns.contains(&n.as_str())) {
                        errors.push(err(format!("overrides.{table}.{name}"), "the table has no such column".into()));
                    }
                }
            }
        }
        errors
    }
}
