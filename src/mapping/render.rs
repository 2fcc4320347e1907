//! Render layouts (`mappings/render/*.toml`): the standard sheets `torikumi
//! render` writes. Which family of sheet (DX 個別取組票 with quarterly
//! progress, 実施計画 with yearly target/actual rows, or the Saitama
//! programme's goal with inline 〔KPI〕 lines), the header rows, the
//! labels of every block, the block order and the number format of each unit.
//! Every label printed comes from these files; the drawing code in `render`
//! knows only the structure. Year labels use the eras of the vocabulary
//! (`vocabulary.toml`), declared there once.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use super::MappingError;
use super::file::{from_value, parse_table};
use super::vocabulary::Vocabulary;

/// Folder of the render layouts inside a mappings folder.
pub const RENDER_DIR: &str = "render";

/// Which sheet structure the layout writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Indicator table, schedule with quarters, progress table (quarters + yearly target), achievement table.
    Progress,
    /// Plan table (target/actual rows, value | unit | achievement per year), schedule, no quarters required.
    Plan,
    /// Header rows whose goal carries its KPIs as text lines (`{kpis}`, see
    /// [`KpiLines`]) and a schedule with one column per year: the Saitama programme.
    InlineKpi,
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
    /// 年度ごとの実施結果評価: the evaluation counts per year.
    EvaluationBlock,
}

/// One render layout file.
#[derive(Debug, Clone, Deserialize)]
pub struct RenderLayout {
    pub layout: LayoutInfo,
    pub style: Style,
    /// The eras year labels are printed in, from the vocabulary (set on load).
    #[serde(skip)]
    pub eras: Vec<RenderEra>,
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
    pub evaluation_block: Option<EvaluationBlock>,
    /// How `{kpis}` in a header cell prints the item's indicators.
    pub kpi_lines: Option<KpiLines>,
    /// Number formats of units this layout prints otherwise than the
    /// shared list (`display.toml`'s `[[units]]`); usually none.
    #[serde(default)]
    pub units: Vec<UnitFormat>,
    /// Overrides the shared `default_unit_format` for this layout.
    #[serde(default)]
    pub default_unit_format: Option<UnitFormat>,
    /// The shared number formats (set on load).
    #[serde(skip)]
    pub shared_units: UnitFormats,
    /// Where the file came from (set on load).
    #[serde(skip)]
    pub path: PathBuf,
}

fn one() -> u32 {
    1
}

/// `[layout]`.
#[derive(Debug, Clone, Deserialize)]
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

/// One header row: cells written left to right, each over `span` columns.
#[derive(Debug, Clone, Deserialize)]
pub struct HeaderRow {
    #[serde(default)]
    pub cells: Vec<HeaderCell>,
    /// Skip the row when every placeholder in it is empty.
    #[serde(default)]
    pub optional: bool,
}

/// One header cell. `text` may hold placeholders: `{goal}`, `{reform}`,
/// `{no}`, `{title}`, `{item}` (the item title template), `{direction}`,
/// `{divisions}`, `{related_divisions}`, `{situation}`, `{issues}`, and
/// `{kpis}` (the indicators as `[kpi_lines]` prints them).
#[derive(Debug, Clone, Deserialize)]
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
pub struct IndicatorTable {
    pub label: String,
    /// `{abbr}{year}` of the final target's year: R5目標値.
    pub final_target_label: String,
}

/// `[schedule_table]`.
#[derive(Debug, Clone, Deserialize)]
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
    /// Q1..Q4 labels under each year; omitted, the table has one column per year.
    #[serde(default)]
    pub quarter_labels: Option<[String; 4]>,
    /// Leave the actual row's cells of the next year to report (the year after
    /// the item's latest actual) empty, unlocked and highlighted: the cells a
    /// division fills in where the sheet has no other input.
    #[serde(default)]
    pub fill_next_actual: bool,
}

/// `[progress_table]`.
#[derive(Debug, Clone, Deserialize)]
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
pub struct AchievementTable {
    #[serde(default)]
    pub section: Option<String>,
    pub label: String,
    pub year_label: String,
}

/// `[plan_table]`.
#[derive(Debug, Clone, Deserialize)]
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

/// `[evaluation_block]`: 年度ごとの実施結果評価 | R2 | R3 …, then 達成件数 | 0 / 3 | ….
#[derive(Debug, Clone, Deserialize)]
pub struct EvaluationBlock {
    #[serde(default)]
    pub section: Option<String>,
    /// The block's header label (the first cell of its year row).
    pub label: String,
    /// `{era}`, `{abbr}`, `{year}`.
    pub year_label: String,
    /// The first cell of the count row, when a count has no label of its own.
    pub count_label: String,
    /// A count: `{achieved}`, `{total}` (`{achieved} / {total}` → `0 / 3`).
    pub count_text: String,
}

/// `[kpi_lines]`: the indicators of an item as the goal cell prints them,
/// one line each: `{marker} {name} {name_separator} {targets}{baselines}`,
/// e.g. `〔KPI〕 コピー使用量削減率 … R5：65% R6：78%（R4上期：54.7%）`.
#[derive(Debug, Clone, Deserialize)]
pub struct KpiLines {
    /// Starts every line: 〔KPI〕.
    pub marker: String,
    /// Between the name and the targets: ….
    pub name_separator: String,
    /// Between a period label and its value: ：.
    pub value_separator: String,
    /// Between entries: a space.
    #[serde(default = "space")]
    pub entry_separator: String,
    /// Printed for an indicator without a name, and alone for an item without indicators: -.
    pub none: String,
    /// Around the baselines: （ and ）.
    pub baseline_brackets: [String; 2],
    /// A fiscal year: `{era}`, `{abbr}`, `{year}` → R5.
    pub year_label: String,
    /// After the year label for the first and the second half: 上期, 下期.
    pub half_labels: [String; 2],
    /// A point in time, `{abbr}{year}.{month}末` → R4.9末 (`{year}` of the calendar year).
    pub as_of_label: String,
    /// An average whose printed range is unknown: `{abbr}{year}平均` (the last year).
    pub average_label: String,
}

fn space() -> String {
    " ".into()
}

pub use super::display::{UnitFormat, UnitFormats};

impl RenderLayout {
    /// Format for `unit` (None: unit-less) and a value needing `needed`
    /// decimals: the layout's own entry, else the shared formats.
    pub fn number_format(&self, unit: Option<&str>, needed: u8) -> String {
        let u = unit.unwrap_or("");
        match (self.units.iter().find(|f| f.unit == u), &self.default_unit_format) {
            (Some(f), _) => f.code(u, needed),
            (None, Some(d)) if !u.is_empty() && self.shared_units.get(u).is_none() => d.code(u, needed),
            _ => self.shared_units.number_format(unit, needed),
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

/// One era as year labels print it: `name` 令和, `abbr` R, its first
/// Gregorian year, and how its year 1 is printed (元).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderEra {
    /// `{era}`: 令和.
    pub name: String,
    /// `{abbr}`: R.
    pub abbr: String,
    /// Gregorian year of its year 1.
    pub first_year: i32,
    /// `{year}` of year 1 (元); the number 1 when none.
    pub first_year_label: Option<String>,
}

/// The eras of the compiled vocabulary as year labels print them: per era
/// (names sharing a start year), its longest non-ASCII name (令和, the one
/// `wareki_fiscal_year` prints), its shortest ASCII name (R), and the first
/// first-year word (元) for year 1. Ordered by start year.
pub fn eras_of(vocabulary: &Vocabulary) -> Vec<RenderEra> {
    let mut by_start: BTreeMap<i32, Vec<&str>> = BTreeMap::new();
    for (name, start) in &vocabulary.era_starts {
        by_start.entry(*start).or_default().push(name.as_str());
    }
    let first_year_label = vocabulary.first_year_words.first().cloned();
    by_start
        .into_iter()
        .filter_map(|(first_year, mut names)| {
            // A fixed order whatever the map's: longest first, then by text.
            names.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then_with(|| a.cmp(b)));
            let name = names.iter().find(|n| !n.is_ascii()).or(names.first())?.to_string();
            let abbr = names
                .iter()
                .rev()
                .find(|n| n.is_ascii())
                .map_or_else(|| name.clone(), |n| n.to_string());
            Some(RenderEra {
                name,
                abbr,
                first_year,
                first_year_label: first_year_label.clone(),
            })
        })
        .collect()
}

/// The render layouts (`render/*.toml`) of a set of mapping files in force;
/// each layout's `path` is its file as messages name it (`built-in:render/…`).
///
/// # Errors
/// Every problem in every file at once, each with file and key path.
pub fn from_files(
    files: &crate::mapping::MappingFiles,
    eras: &[RenderEra],
    units: &UnitFormats,
) -> Result<Vec<RenderLayout>, Vec<MappingError>> {
    let mut errors = Vec::new();
    let mut out: Vec<RenderLayout> = Vec::new();
    for f in files.of_kind(crate::mapping::FileKind::Render) {
        let file = f.label();
        match compile(&file, &f.text, eras) {
            Ok(mut l) => {
                if let Some(other) = out.iter().find(|o| o.layout.name == l.layout.name) {
                    errors.push(MappingError {
                        file: file.clone(),
                        key: "layout.name".into(),
                        message: format!("'{}' is also the name of {}", l.layout.name, other.path.display()),
                    });
                }
                l.path = PathBuf::from(file);
                l.shared_units = units.clone();
                out.push(l);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Reads and checks one render layout; `file` names it in the messages.
///
/// # Errors
/// Every problem at once: syntax, unknown keys, wrong types, blocks listed but
/// not configured or not of the family, bad colours, widths, cell styles.
pub fn compile(file: &str, text: &str, eras: &[RenderEra]) -> Result<RenderLayout, Vec<MappingError>> {
    let table = parse_table(file, text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    // The checks below run on what could be read, so one run reports everything.
    let Some(mut l) = from_value::<RenderLayout>(file, "", &toml::Value::Table(table), &mut errors) else {
        return Err(errors);
    };
    let mut err = |key: &str, message: String| {
        errors.push(MappingError {
            file: file.to_string(),
            key: key.to_string(),
            message,
        })
    };
    for (i, b) in l.blocks.iter().enumerate() {
        let configured = match b {
            BlockKind::Header => true,
            BlockKind::IndicatorTable => l.indicator_table.is_some(),
            BlockKind::ScheduleTable => l.schedule_table.is_some(),
            BlockKind::ProgressTable => l.progress_table.is_some(),
            BlockKind::AchievementTable => l.achievement_table.is_some() && l.progress_table.is_some(),
            BlockKind::PlanTable => l.plan_table.is_some(),
            BlockKind::EvaluationBlock => l.evaluation_block.is_some(),
        };
        if !configured {
            err(&format!("blocks[{i}]"), format!("lists {b:?} but its table is not configured"));
        }
        let fits = match l.layout.family {
            Family::Progress => *b != BlockKind::PlanTable,
            Family::Plan => *b != BlockKind::ProgressTable && *b != BlockKind::AchievementTable,
            // The goal cell holds the indicators: no table of them, no quarters.
            Family::InlineKpi => matches!(b, BlockKind::Header | BlockKind::ScheduleTable | BlockKind::EvaluationBlock),
        };
        if !fits {
            err(
                &format!("blocks[{i}]"),
                format!("{b:?} does not fit the layout family {:?}", l.layout.family),
            );
        }
    }
    for (key, c) in [
        ("style.header_fill", &l.style.header_fill),
        ("style.input_fill", &l.style.input_fill),
    ] {
        let hex = c.strip_prefix('#').unwrap_or("");
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            err(key, format!("'{c}' is not a colour as #RRGGBB"));
        }
    }
    for (key, [lo, hi]) in [
        ("style.label_width", l.style.label_width),
        ("style.value_width", l.style.value_width),
    ] {
        if !(lo > 0.0 && lo <= hi && hi <= 255.0) {
            err(key, format!("[{lo}, {hi}] is not a width range (0 < min <= max <= 255)"));
        }
    }
    if !(l.style.font_size > 0.0 && l.style.font_size <= 409.0) {
        err("style.font_size", format!("{} is not a font size", l.style.font_size));
    }
    for (r, row) in l.header.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            if !["label", "value", "title"].contains(&cell.style.as_str()) {
                err(
                    &format!("header[{r}].cells[{c}].style"),
                    format!("'{}' is not label, value or title", cell.style),
                );
            }
            if cell.text.contains("{kpis}") && l.kpi_lines.is_none() {
                err(
                    &format!("header[{r}].cells[{c}].text"),
                    "uses {kpis} but [kpi_lines] is not configured".into(),
                );
            }
        }
    }
    for (i, u) in l.units.iter().enumerate() {
        if u.min_decimals > u.max_decimals {
            err(&format!("units[{i}]"), "min_decimals is above max_decimals".into());
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    l.eras = eras.to_vec();
    Ok(l)
}
