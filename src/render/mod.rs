//! Standard sheets regenerated from a previous ingest's Parquet: per plan
//! (and per division when asked) one workbook with one sheet per 実施項目, in
//! the output layout declared for the plan's family in `mappings/render/`.
//!
//! The sheets are written so that the input mappings read them back into the
//! same observations: labels come from the render layout (which repeats the
//! input mapping's labels), values are typed numbers with unit number formats,
//! statuses other than `ok` are written as their original text.

pub mod read;
mod sheet;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use crate::mapping::render::{Family, RenderLayout};
use crate::model::{EvaluationCount, Indicator, IndicatorStatus, Initiative, Observation, ScheduleEntry, Status};
pub use read::{Tables, read_tables};

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Read(#[from] crate::table::ReadError),
    #[error("no render layout named {0}")]
    UnknownLayout(String),
    #[error("cannot read or write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cannot write workbook {path}: {message}")]
    Workbook { path: PathBuf, message: String },
}

/// What to render.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only this layout (by `[layout] name`).
    pub layout: Option<String>,
    /// Only initiatives whose divisions contain this name; one file per plan for it.
    pub division: Option<String>,
}

/// One workbook written.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub path: PathBuf,
    pub layout: String,
    pub plan: String,
    /// Sheet names, in order.
    pub sheets: Vec<String>,
    /// Values with no cell in the layout: observations (e.g. AS_OF values in a
    /// quarterly table), schedule cells (a quarter in a table of years) and counts.
    pub unplaced: usize,
}

/// One 実施項目 with everything its sheet shows.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub initiative: &'a Initiative,
    pub indicators: Vec<IndicatorView<'a>>,
    pub schedule: Vec<&'a ScheduleEntry>,
    /// 達成件数 per year.
    pub evaluation_counts: Vec<&'a EvaluationCount>,
}

/// An indicator and its observations.
#[derive(Debug, Clone)]
pub struct IndicatorView<'a> {
    pub no: Option<i32>,
    pub name: String,
    pub deleted: bool,
    pub info: Option<&'a Indicator>,
    pub observations: Vec<&'a Observation>,
}

/// Renders every plan a layout covers into `out`; returns the files written.
///
/// # Errors
/// Unknown layout name, unwritable output.
pub fn render(tables: &Tables, layouts: &[RenderLayout], out: &Path, opts: &Options) -> Result<Vec<Rendered>, RenderError> {
    if let Some(name) = &opts.layout
        && !layouts.iter().any(|l| &l.layout.name == name)
    {
        return Err(RenderError::UnknownLayout(name.clone()));
    }
    let mut written = Vec::new();
    let mut used_files: HashSet<String> = HashSet::new();
    for layout in layouts {
        if opts.layout.as_ref().is_some_and(|n| n != &layout.layout.name) {
            continue;
        }
        let items = items_of(tables, &layout.layout.plan, opts.division.as_deref());
        if items.is_empty() {
            continue;
        }
        let mut stem = layout.layout.file_name.replace("{plan}", &layout.layout.plan);
        if let Some(d) = &opts.division {
            stem = format!("{stem}_{d}");
        }
        let mut stem = safe_file_stem(&stem);
        let mut n = 2;
        let base = stem.clone();
        while !used_files.insert(stem.to_lowercase()) {
            stem = format!("{base}_{n}");
            n += 1;
        }
        let path = out.join(format!("{stem}.xlsx"));
        let (sheets, unplaced) = sheet::write_workbook(layout, &items, &path)?;
        written.push(Rendered {
            path,
            layout: layout.layout.name.clone(),
            plan: layout.layout.plan.clone(),
            sheets,
            unplaced,
        });
    }
    Ok(written)
}

/// The items of `plan`, in the order the ingest met them. An item read from
/// several files (the same sheet as xlsx and as extracted text) is taken from
/// the first file only, so no cell receives two values.
pub fn items_of<'a>(tables: &'a Tables, plan: &str, division: Option<&str>) -> Vec<Item<'a>> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for ini in tables.initiatives.iter().filter(|i| i.plan == plan) {
        if !seen.insert(ini.initiative_no.as_str()) {
            continue;
        }
        if let Some(d) = division
            && !ini.divisions.iter().any(|x| x.trim() == d.trim())
        {
            continue;
        }
        let src = ini.at.source_file.as_str();
        let same = |p: &str, no: &str, file: &str| p == plan && no == ini.initiative_no && file == src;
        let mut indicators: Vec<IndicatorView> = Vec::new();
        for ind in tables
            .indicators
            .iter()
            .filter(|i| same(&i.plan, &i.initiative_no, &i.at.source_file))
        {
            let deleted = ind.status == IndicatorStatus::Deleted;
            if indicators
                .iter()
                .any(|v| v.no == ind.indicator_no && v.name == ind.indicator && v.deleted == deleted)
            {
                continue;
            }
            indicators.push(IndicatorView {
                no: ind.indicator_no,
                name: ind.indicator.clone(),
                deleted,
                info: Some(ind),
                observations: Vec::new(),
            });
        }
        for o in tables
            .observations
            .iter()
            .filter(|o| same(&o.plan, &o.initiative_no, &o.at.source_file))
        {
            let pos = indicators.iter().position(|v| v.no == o.indicator_no && v.name == o.indicator);
            let idx = match pos {
                Some(i) => i,
                None => {
                    indicators.push(IndicatorView {
                        no: o.indicator_no,
                        name: o.indicator.clone(),
                        deleted: o.status == Status::Deleted,
                        info: None,
                        observations: Vec::new(),
                    });
                    indicators.len() - 1
                }
            };
            indicators[idx].observations.push(o);
        }
        let schedule = tables
            .schedule
            .iter()
            .filter(|s| same(&s.plan, &s.initiative_no, &s.at.source_file))
            .collect();
        let evaluation_counts = tables
            .evaluation_counts
            .iter()
            .filter(|c| same(&c.plan, &c.initiative_no, &c.at.source_file))
            .collect();
        out.push(Item {
            initiative: ini,
            indicators,
            schedule,
            evaluation_counts,
        });
    }
    out
}

/// A file name stem safe on every OS: no `/\:*?"<>|` or control characters,
/// no trailing dots or spaces, not a reserved DOS device name, at most 80 characters.
pub fn safe_file_stem(s: &str) -> String {
    let mut t: String = s
        .chars()
        .map(|c| if "/\\:*?\"<>|".contains(c) || c.is_control() { '_' } else { c })
        .collect();
    t = t.chars().take(80).collect();
    let t = t.trim().trim_end_matches(['.', ' ']).to_string();
    let t = if t.is_empty() { "rendered".to_string() } else { t };
    let upper = t.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT")) && upper.len() == 4 && upper.as_bytes()[3].is_ascii_digit());
    if reserved { format!("_{t}") } else { t }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(safe_file_stem("a/b\\c:d"), "a_b_c_d");
        assert_eq!(safe_file_stem("con"), "_con");
        assert_eq!(safe_file_stem("x. "), "x");
        assert_eq!(
            safe_file_stem("群馬県庁DXアクションプラン_個別取組票"),
            "群馬県庁DXアクションプラン_個別取組票"
        );
    }
}
