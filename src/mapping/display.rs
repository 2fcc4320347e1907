//! Display labels (`mappings/display.toml`): the Japanese sheet names and
//! column headers of `consolidated.xlsx`. Parquet and CSV keep machine names.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::MappingError;
use crate::table::TableDef;

/// Name of the display labels file inside a mappings folder.
pub const DISPLAY_FILE: &str = "display.toml";

/// Columns the workbook adds beside the tables' own (the 和暦 fiscal year).
pub const DISPLAY_ONLY_COLUMNS: &[&str] = &["fiscal_year_label", "description", "dtype"];
/// Sheets the workbook adds beside the tables (the guide to the columns).
pub const DISPLAY_ONLY_TABLES: &[&str] = &["columns_guide", "trends"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
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

    /// Loads `display.toml` and checks it covers exactly the columns of `tables`.
    ///
    /// # Errors
    /// Every problem at once: syntax, unknown tables or columns, missing labels.
    pub fn load(path: &Path, tables: &[&[TableDef]]) -> Result<Self, Vec<MappingError>> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![MappingError {
                file: file.clone(),
                key: String::new(),
                message: format!("cannot read: {e}"),
            }]
        })?;
        Self::from_text(&file, &text, tables)
    }

    /// [`DisplayLabels::load`] from the file's text; `file` names it in the messages.
    ///
    /// # Errors
    /// As [`DisplayLabels::load`].
    pub fn from_text(file: &str, text: &str, tables: &[&[TableDef]]) -> Result<Self, Vec<MappingError>> {
        let err = |key: String, message: String| MappingError {
            file: file.to_string(),
            key,
            message,
        };
        let spec: DisplaySpec = toml::from_str(text).map_err(|e| vec![err(String::new(), e.message().to_string())])?;
        let mut errors = Vec::new();
        let all: Vec<&TableDef> = tables.iter().flat_map(|t| t.iter()).collect();
        for name in spec.tables.keys() {
            if !all.iter().any(|t| t.name == name) && !DISPLAY_ONLY_TABLES.contains(&name.as_str()) {
                errors.push(err(format!("tables.{name}"), "no such table".into()));
            }
        }
        for t in &all {
            if !spec.tables.contains_key(t.name) {
                errors.push(err(format!("tables.{}", t.name), "missing label".into()));
            }
            for c in t.columns {
                if !spec.columns.contains_key(c.name) {
                    errors.push(err(
                        format!("columns.{}", c.name),
                        format!("missing label (a column of {})", t.name),
                    ));
                }
            }
        }
        for name in spec.columns.keys() {
            let known = DISPLAY_ONLY_COLUMNS.contains(&name.as_str()) || all.iter().any(|t| t.columns.iter().any(|c| c.name == name));
            if !known {
                errors.push(err(format!("columns.{name}"), "no table has this column".into()));
            }
        }
        for (table, cols) in &spec.overrides {
            match all.iter().find(|t| t.name == table) {
                None => errors.push(err(format!("overrides.{table}"), "no such table".into())),
                Some(t) => {
                    for name in cols.keys().filter(|n| !t.columns.iter().any(|c| c.name == n.as_str())) {
                        errors.push(err(format!("overrides.{table}.{name}"), "the table has no such column".into()));
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(DisplayLabels {
                tables: spec.tables,
                columns: spec.columns,
                overrides: spec.overrides,
            })
        } else {
            Err(errors)
        }
    }
}
