//! The report's own words (`mappings/report/phrases.toml`): the headings and
//! sentences that are no table's or column's label. Table and column labels
//! come from `display.toml`; labels live in `mappings/`, not in code, so the
//! defaults here (for a mappings folder without the file) are plain English.
//!
//! `{name}` in a phrase is replaced: `fiscal_year = "{year}年度"`.

use std::path::Path;

use serde::Deserialize;

use super::ReportError;

/// Path of the phrases file inside a mappings folder.
pub const PHRASES_FILE: &str = "report/phrases.toml";

/// Every phrase the page uses. A file must give them all (a missing or
/// misspelt key is an error naming it), so nothing falls back silently.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Phrases {
    /// The page's title and top heading.
    pub title: String,
    /// Heading of the contents list.
    pub contents: String,
    /// The link that jumps past the contents to the main text.
    pub skip_to_main: String,
    /// Heading of the problems section.
    pub not_read: String,
    /// The sentence under it: who should do what.
    pub not_read_lead: String,
    /// In place of the problems when there are none.
    pub nothing_not_read: String,
    /// In place of the summary when nothing was evaluated.
    pub nothing_evaluated: String,
    /// The heading of a goal that is not printed.
    pub no_goal: String,
    /// In place of a chart when an indicator has no numeric observation.
    pub no_points: String,
    /// Before an indicator's latest judged year.
    pub latest: String,
    /// Name of the baseline marks (基準値).
    pub baseline: String,
    /// Column of the achievement printed on the sheet, until display.toml labels it.
    pub printed_rate: String,
    /// Column of the status printed on the sheet, until display.toml labels it.
    pub printed_status: String,
    /// What the ≠ mark says: printed and computed disagree.
    pub mismatch: String,
    /// A chart's title: `{name}` the indicator.
    pub chart_title: String,
    /// The sources' total row.
    pub total: String,
    /// After the problems left out of a very long list: `{n}` of them.
    pub more: String,
    /// A value that is not there.
    pub missing: String,
    /// A fiscal year: `{year}` its Gregorian start year.
    pub fiscal_year: String,
    /// Between the items of a chart's description.
    pub list_separator: String,
    /// After each sentence of a chart's description.
    pub sentence_end: String,
    /// Between a heading and what it is of, in captions and titles.
    pub caption_separator: String,
    /// A count of marks in a chart: `{n}`.
    pub points: String,
    /// The last actual in a chart's description: `{kind}` and `{what}`.
    pub latest_point: String,
    /// Severity `error`, in words.
    pub error: String,
    /// Severity `warning`, in words.
    pub warning: String,
    /// Axis units from the largest: `[[100000000.0, "億"], [10000.0, "万"]]`.
    pub axis_units: Vec<(f64, String)>,
}

impl Default for Phrases {
    fn default() -> Self {
        let s = |x: &str| x.to_string();
        Phrases {
            title: s("Initiative evaluation report"),
            contents: s("Contents"),
            skip_to_main: s("Skip to the report"),
            not_read: s("What could not be read"),
            not_read_lead: s("Cells that gave a warning or an error: check the raw text at each address and correct the sheet."),
            nothing_not_read: s("No warnings or errors."),
            nothing_evaluated: s("No indicator could be evaluated."),
            no_goal: s("(no goal printed)"),
            no_points: s("No numeric values to chart."),
            latest: s("Latest evaluation"),
            baseline: s("baseline"),
            printed_rate: s("printed achievement (%)"),
            printed_status: s("printed status"),
            mismatch: s("the printed achievement or status differs from the computed one"),
            chart_title: s("{name}: trend"),
            total: s("Total"),
            more: s("{n} more are not listed (the diagnostics table has them all)"),
            missing: s("-"),
            fiscal_year: s("FY{year}"),
            list_separator: s(", "),
            sentence_end: s(". "),
            caption_separator: s(": "),
            points: s("{n} points"),
            latest_point: s("latest {kind}: {what}"),
            error: s("error"),
            warning: s("warning"),
            axis_units: vec![(1e9, s("G")), (1e6, s("M")), (1e3, s("k"))],
        }
    }
}

impl Phrases {
    /// Loads `MAPPINGS/report/phrases.toml`; the English defaults when the
    /// file is absent.
    ///
    /// # Errors
    /// The file exists but cannot be read, is not TOML, lacks a phrase or
    /// has one this version does not know.
    pub fn load(mappings: &Path) -> Result<Phrases, ReportError> {
        let path = mappings.join(PHRASES_FILE);
        if !path.exists() {
            return Ok(Phrases::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| ReportError::Phrases {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Self::from_text(&path, &text)
    }

    /// The phrases of the mapping files in force (built-in, or a user's
    /// `report/phrases.toml`); English where there is none.
    ///
    /// # Errors
    /// The file does not parse or lacks a phrase.
    pub fn from_files(files: &crate::mapping::MappingFiles) -> Result<Phrases, ReportError> {
        match files.get(PHRASES_FILE) {
            Some(f) => Self::from_text(Path::new(&f.label()), &f.text),
            None => Ok(Phrases::default()),
        }
    }

    fn from_text(path: &Path, text: &str) -> Result<Phrases, ReportError> {
        toml::from_str(text).map_err(|e| ReportError::Phrases {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        })
    }

    /// A fiscal year in words, or the missing mark.
    pub fn fy(&self, fy: Option<i32>) -> String {
        fy.map_or_else(|| self.missing.clone(), |y| self.fiscal_year.replace("{year}", &y.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_gives_every_phrase() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings");
        let p = Phrases::load(&dir).unwrap();
        assert_eq!(p.fy(Some(2023)), "2023年度");
        assert_eq!(p.axis_units[0], (1e8, "億".to_string()));
        assert_ne!(p, Phrases::default());
    }

    #[test]
    fn a_missing_or_unknown_phrase_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("report")).unwrap();
        std::fs::write(dir.path().join(PHRASES_FILE), "title = \"x\"\ncolour = \"y\"\n").unwrap();
        let e = Phrases::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("phrases.toml") && e.contains("colour"), "{e}");
        // Without the file: English, and every phrase there.
        let none = tempfile::tempdir().unwrap();
        assert_eq!(Phrases::load(none.path()).unwrap().fy(Some(2021)), "FY2021");
    }
}
