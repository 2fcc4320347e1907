//! Output layouts, declared in `mappings/render/*.toml`: which family of
//! sheet (DX 個別取組票 with quarterly progress, or 実施計画 with yearly
//! target/actual rows), the header rows, the labels of every block, the
//! block order and the number format of each unit. Every label printed comes
//! from these files; the code knows only the structure.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::RenderError;

/// Which sheet structure the layout writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Indicator table, schedule with quarters, progress table (quarters + yearly target), achievement table.
    Progress,
    /// Plan table (target/actual rows, value | unit | achievement per year), schedule, no quarters required.
    Plan,
}

/// The blocks a layout may list in `blocks`, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Header,
    IndicatorTable,
    ScheduleTable,
    ProgressTable,
    AchievementTable,
    PlanTable,
}

/// One render layout file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderLayout {
    pub layout: LayoutInfo,
    pub style: Style,
    #[serde(default)]
    pub eras: Vec<Era>,
    /// Blocks in output order.
    pub blocks: Vec<BlockKind>,
    /// Blank rows between blocks.
    #[serde(default = "one")]
    pub gap: u32,
    #[serde(default)]
    pub header: Vec<HeaderRow>,
    pub indicator_table: Option<IndicatorTable>,
    pub schedule_table: Option<ScheduleTable>,
    pub progress_table: Option<ProgressTable>,
    pub achievement_table: Option<AchievementTable>,
    pub plan_table: Option<PlanTable>,
    /// Number formats per base unit.
    #[serde(default)]
    pub units: Vec<UnitFormat>,
    pub default_unit_format: UnitFormat,
    /// Where the file came from (set on load).
    #[serde(skip)]
    pub path: PathBuf,
}

fn one() -> u32 {
    1
}

/// `[layout]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayoutInfo {
    pub name: String,
    /// The plan (observations' `plan` column) this layout renders.
    pub plan: String,
    pub family: Family,
    #[serde(default)]
    pub description: String,
    /// File name template: `{plan}`; `_{division}` is appended when rendering per division.
    pub file_name: String,
    /// Sheet name template: `{no}`, `{title}`.
    pub sheet_name: String,
    /// The plan's fiscal years (first, last), widened by the data.
    #[serde(default)]
    pub fiscal_years: Option<[i32; 2]>,
    /// Printed for a blank value (status `blank`) and for cells with nothing to show.
    pub blank: String,
    /// Item title template: `{no}`, `{title}`.
    pub item_title: String,
    /// Separator for lists (divisions).
    #[serde(default = "default_sep")]
    pub list_separator: String,
}

fn default_sep() -> String {
    ", ".into()
}

/// `[style]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Style {
    pub font: String,
    #[serde(default = "default_font_size")]
    pub font_size: f64,
    /// Fill of header cells, `#RRGGBB`.
    pub header_fill: String,
    /// Fill of the cells a division must fill next.
    pub input_fill: String,
    /// Width (characters) of the first column: min and max; it fits its text in between.
    pub label_width: [f64; 2],
    /// Width of value columns: min and max.
    pub value_width: [f64; 2],
    /// Number format of achievement rates (a ratio: 0.887 → 88.7%).
    pub rate_format: String,
}

fn default_font_size() -> f64 {
    10.0
}

/// One era for year labels: `name` 令和, `abbr` R, first Gregorian year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Era {
    pub name: String,
    pub abbr: String,
    pub first_year: i32,
    /// How year 1 is printed (元).
    #[serde(default)]
    pub first_year_label: Option<String>,
}

/// One header row: cells written left to right, each over `span` columns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderRow {
    #[serde(default)]
    pub cells: Vec<HeaderCell>,
    /// Skip the row when every placeholder in it is empty.
    #[serde(default)]
    pub optional: bool,
}

/// One header cell. `text` may hold placeholders: `{goal}`, `{reform}`,
/// `{no}`, `{title}`, `{item}` (the item title template), `{direction}`,
/// `{divisions}`, `{related_divisions}`, `{situation}`, `{issues}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderCell {
    #[serde(default)]
    pub text: String,
    #[serde(default = "one_u16")]
    pub span: u16,
    /// `label` (bold, filled), `value` (bordered), `title` (bold, no border).
    #[serde(default = "value_style")]
    pub style: String,
    /// Wrap and grow the row to show the whole text.
    #[serde(default)]
    pub wrap: bool,
}

fn one_u16() -> u16 {
    1
}
fn value_style() -> String {
    "value".into()
}

/// `[indicator_table]`: 指標項目 | R5目標値.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorTable {
    pub label: String,
    /// `{abbr}{year}` of the final target's year: R5目標値.
    pub final_target_label: String,
}

/// `[schedule_table]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleTable {
    #[serde(default)]
    pub section: Option<String>,
    /// Header cells before the task column (関連目標); written empty in the body.
    #[serde(default)]
    pub lead_labels: Vec<String>,
    pub task_label: String,
    pub kind_header: String,
    pub target_label: String,
    pub actual_label: String,
    /// Year label: `{era}`, `{abbr}`, `{year}`.
    pub year_label: String,
    /// Q1..Q4 labels.
    pub quarter_labels: [String; 4],
}

/// `[progress_table]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressTable {
    #[serde(default)]
    pub section: Option<String>,
    pub label: String,
    /// `{abbr}{year}`: 基準年(R1) 実績値.
    pub baseline_label: String,
    pub year_label: String,
    pub quarter_labels: [String; 4],
    pub target_label: String,
}

/// `[achievement_table]`: 達成率 per indicator and year, as formulas.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AchievementTable {
    #[serde(default)]
    pub section: Option<String>,
    pub label: String,
    pub year_label: String,
}

/// `[plan_table]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTable {
    pub label: String,
    pub kgi_label: String,
    pub year_header: String,
    /// `{abbr}{year}`: 【基準年】R元.
    pub baseline_label: String,
    /// `{abbr}{year}`: R2.
    pub year_label: String,
    pub target_label: String,
    pub actual_label: String,
}

/// Number format of one base unit. `format` holds `{.}` where the decimals go
/// (`#,##0{.}"件"` → `#,##0"件"` or `#,##0.0"件"`); `{unit}` is the unit itself.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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

impl UnitFormat {
    /// The format for a value needing `decimals` decimals.
    pub fn code(&self, unit: &str, needed: u8) -> String {
        let d = needed.clamp(self.min_decimals, self.max_decimals.max(self.min_decimals));
        let dec = if d == 0 {
            String::new()
        } else {
            format!(".{}", "0".repeat(d as usize))
        };
        self.format.replace("{.}", &dec).replace("{unit}", &escape_literal(unit))
    }
}

fn escape_literal(s: &str) -> String {
    s.replace('"', "")
}

impl RenderLayout {
    /// Format for `unit` (None: unit-less) and a value needing `needed` decimals.
    pub fn number_format(&self, unit: Option<&str>, needed: u8) -> String {
        let u = unit.unwrap_or("");
        match self.units.iter().find(|f| f.unit == u) {
            Some(f) => f.code(u, needed),
            None if u.is_empty() => UnitFormat {
                unit: String::new(),
                format: "#,##0{.}".into(),
                min_decimals: 0,
                max_decimals: 6,
            }
            .code(u, needed),
            None => self.default_unit_format.code(u, needed),
        }
    }

    /// A fiscal year as `template` (`{era}`, `{abbr}`, `{year}`) with the era it falls in.
    pub fn year_label(&self, template: &str, fy: i32) -> String {
        let era = self.eras.iter().filter(|e| e.first_year <= fy).max_by_key(|e| e.first_year);
        let (name, abbr, year) = match era {
            Some(e) => {
                let n = fy - e.first_year + 1;
                let y = match (&e.first_year_label, n) {
                    (Some(l), 1) => l.clone(),
                    _ => n.to_string(),
                };
                (e.name.clone(), e.abbr.clone(), y)
            }
            None => (String::new(), String::new(), fy.to_string()),
        };
        template.replace("{era}", &name).replace("{abbr}", &abbr).replace("{year}", &year)
    }
}

/// Loads every `*.toml` in `dir` (the render layouts folder, `mappings/render`).
///
/// # Errors
/// The folder unreadable, or a file that does not parse (all such files are named).
pub fn load(dir: &Path) -> Result<Vec<RenderLayout>, RenderError> {
    let rd = std::fs::read_dir(dir).map_err(|source| RenderError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        match std::fs::read_to_string(&path) {
            Err(e) => problems.push(format!("{}: {e}", path.display())),
            Ok(text) => match parse(&text) {
                Ok(mut l) => {
                    l.path = path.clone();
                    out.push(l);
                }
                Err(e) => problems.push(format!("{}: {e}", path.display())),
            },
        }
    }
    if !problems.is_empty() {
        return Err(RenderError::Layout(problems.join("\n")));
    }
    Ok(out)
}

/// The render layouts (`render/*.toml`) of a set of mapping files in force;
/// each layout's `path` is its file as messages name it (`built-in:render/…`).
///
/// # Errors
/// A file that does not parse (all such files are named).
pub fn load_files(files: &crate::mapping::MappingFiles) -> Result<Vec<RenderLayout>, RenderError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for f in files.of_kind(crate::mapping::FileKind::Render) {
        match parse(&f.text) {
            Ok(mut l) => {
                l.path = PathBuf::from(f.label());
                out.push(l);
            }
            Err(e) => problems.push(format!("{}: {e}", f.label())),
        }
    }
    if !problems.is_empty() {
        return Err(RenderError::Layout(problems.join("\n")));
    }
    Ok(out)
}

/// Parses one render layout and checks that the blocks it lists are configured.
///
/// # Errors
/// TOML or structure problems, as text.
pub fn parse(text: &str) -> Result<RenderLayout, String> {
    let l: RenderLayout = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut missing = Vec::new();
    for b in &l.blocks {
        let ok = match b {
            BlockKind::Header => true,
            BlockKind::IndicatorTable => l.indicator_table.is_some(),
            BlockKind::ScheduleTable => l.schedule_table.is_some(),
            BlockKind::ProgressTable => l.progress_table.is_some(),
            BlockKind::AchievementTable => l.achievement_table.is_some() && l.progress_table.is_some(),
            BlockKind::PlanTable => l.plan_table.is_some(),
        };
        if !ok {
            missing.push(format!("blocks lists {b:?} but its table is not configured"));
        }
    }
    let fam_ok = match l.layout.family {
        Family::Progress => !l.blocks.contains(&BlockKind::PlanTable),
        Family::Plan => !l.blocks.contains(&BlockKind::ProgressTable) && !l.blocks.contains(&BlockKind::AchievementTable),
    };
    if !fam_ok {
        missing.push("blocks do not fit the layout family".into());
    }
    if missing.is_empty() { Ok(l) } else { Err(missing.join("; ")) }
}
