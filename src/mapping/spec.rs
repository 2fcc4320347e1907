//! Serde structs that mirror a layout mapping file (`mappings/*.toml`) exactly.
//! They are compiled once into [`super::compiled`] types; extraction never
//! reads these.

use serde::Deserialize;

/// A whole layout file.
#[derive(Debug, Deserialize)]
pub struct LayoutSpec {
    pub layout: LayoutMeta,
    pub recognise: RecogniseSpec,
    /// Per-item sheets: where each item starts. A list layout has none.
    #[serde(default)]
    pub item: ItemSpec,
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
    pub indicator_table: Option<IndicatorTableSpec>,
    pub progress_table: Option<ProgressTableSpec>,
    pub plan_table: Option<PlanTableSpec>,
    pub schedule_table: Option<ScheduleTableSpec>,
    pub evaluation_block: Option<EvaluationBlockSpec>,
    pub list_table: Option<ListTableSpec>,
    pub achievement_table: Option<AchievementTableSpec>,
    #[serde(default)]
    pub tests: Vec<MappingTestSpec>,
}

/// `[layout]`: names.
#[derive(Debug, Deserialize)]
pub struct LayoutMeta {
    pub name: String,
    pub plan: String,
    #[serde(default)]
    pub description: String,
}

/// `[recognise]`: which sheets are this layout.
#[derive(Debug, Deserialize)]
pub struct RecogniseSpec {
    pub all_labels: Vec<LabelChoice>,
    #[serde(default)]
    pub any_labels: Vec<String>,
}

/// One entry of `all_labels`: a label, or a list of labels of which any one
/// will do (the ways divisions word the same heading).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum LabelChoice {
    One(String),
    AnyOf(Vec<String>),
}

impl LabelChoice {
    /// The label, or each of the alternatives.
    pub fn labels(&self) -> &[String] {
        match self {
            LabelChoice::One(l) => std::slice::from_ref(l),
            LabelChoice::AnyOf(ls) => ls,
        }
    }
}

/// `[item]`: where each 取組票 starts.
#[derive(Debug, Default, Deserialize)]
pub struct ItemSpec {
    #[serde(default)]
    pub anchor_labels: Vec<String>,
    pub anchor_pattern: Option<String>,
    /// `anchor_pattern` in words, for the messages that name it: a regular
    /// expression means nothing to the staff who read them.
    pub anchor_description: Option<String>,
    #[serde(default)]
    pub lead_fields: Vec<String>,
    pub number_pattern: Option<String>,
    pub decoration_pattern: Option<String>,
    /// Section titles (○具体的取組及び工程) that are structure, not data.
    #[serde(default)]
    pub section_labels: Vec<String>,
}

/// `[[fields]]`: a labelled value of the item header.
#[derive(Debug, Deserialize)]
pub struct FieldSpec {
    pub field: String,
    #[serde(default)]
    pub labels: Vec<String>,
    pub pattern: Option<String>,
    #[serde(default)]
    pub inline_separators: Vec<String>,
    #[serde(default)]
    pub continuation: bool,
    /// The value stands in the cell below the label (【現状】 blocks).
    #[serde(default)]
    pub value_below: bool,
    pub split: Option<String>,
    pub inline_kpi: Option<InlineKpiSpec>,
}

/// Inline KPI syntax inside a field's value.
#[derive(Debug, Deserialize)]
pub struct InlineKpiSpec {
    pub marker: String,
    /// Other spellings of the marker that divisions type (`【KPI】`); read as
    /// `marker`, which is what `render` writes.
    #[serde(default)]
    pub other_markers: Vec<String>,
    #[serde(default)]
    pub name_separators: Vec<String>,
    #[serde(default)]
    pub repeat_notes: Vec<String>,
    /// Words written between a year label and its separator (`R3実績：`,
    /// `R5目標：`): the entry is read as the label's.
    #[serde(default)]
    pub label_words: Vec<String>,
    /// Those of `label_words` that make the value an estimate (`R4見込：`): status approx.
    #[serde(default)]
    pub estimate_words: Vec<String>,
    /// Before a range's value (`R5～R7：各60課所`): it holds for each year.
    #[serde(default)]
    pub each_words: Vec<String>,
    /// Between listed years that share one value (`R5・R6・R7：60課所`): the
    /// value is each listed year's.
    #[serde(default)]
    pub year_joiners: Vec<String>,
    /// Bracket pairs, `[open, close]` of one character each, read as （）
    /// are: `【R4上期：54.7%】` is a past value as `（R4上期：54.7%）` is.
    #[serde(default)]
    pub other_brackets: Vec<[String; 2]>,
}

/// `[indicator_table]`: 指標項目 with a final target.
#[derive(Debug, Deserialize)]
pub struct IndicatorTableSpec {
    pub header_labels: Vec<String>,
    pub final_target_pattern: String,
    /// A unit column, for targets written without their unit.
    #[serde(default)]
    pub unit_labels: Vec<String>,
}

/// `[progress_table]`: indicators × (year, period) values.
#[derive(Debug, Deserialize)]
pub struct ProgressTableSpec {
    pub header_labels: Vec<String>,
    pub baseline_pattern: String,
    pub target_pattern: String,
    /// A unit column, for values written without their unit.
    #[serde(default)]
    pub unit_labels: Vec<String>,
    /// A column naming each row's kind (区分: 目標 / 実績 rows per indicator).
    #[serde(default)]
    pub kind_labels: Vec<String>,
}

/// `[plan_table]`: indicators × years with 目標/実績 rows and value and unit in separate cells.
#[derive(Debug, Deserialize)]
pub struct PlanTableSpec {
    pub header_labels: Vec<String>,
    pub baseline_pattern: String,
    #[serde(default)]
    pub group_labels: Vec<String>,
    pub target_labels: Vec<String>,
    pub actual_labels: Vec<String>,
    #[serde(default)]
    pub skip_header_labels: Vec<String>,
    /// A unit column, for values written without their unit.
    #[serde(default)]
    pub unit_labels: Vec<String>,
    /// A notes column (備考): its words are not a year's value.
    #[serde(default)]
    pub note_labels: Vec<String>,
}

/// `[schedule_table]`: 工程.
#[derive(Debug, Deserialize)]
pub struct ScheduleTableSpec {
    pub header_labels: Vec<String>,
    #[serde(default)]
    pub task_labels: Vec<String>,
    #[serde(default)]
    pub target_labels: Vec<String>,
    #[serde(default)]
    pub actual_labels: Vec<String>,
    pub default_kind: Option<String>,
    pub group_pattern: Option<String>,
    #[serde(default)]
    pub skip_header_labels: Vec<String>,
}

/// `[evaluation_block]`: yearly evaluation (達成件数 `0 / 3` per year).
#[derive(Debug, Deserialize)]
pub struct EvaluationBlockSpec {
    pub header_labels: Vec<String>,
    pub count_labels: Vec<String>,
    /// Rows whose label matches are per-year notes (要因分析, 次年度への課題).
    #[serde(default)]
    pub note_patterns: Vec<String>,
    /// Achieved and total in a count cell: groups 1 and 2.
    pub count_pattern: String,
}

/// `[achievement_table]`: printed achievements, indicators × fiscal years.
#[derive(Debug, Deserialize)]
pub struct AchievementTableSpec {
    pub header_labels: Vec<String>,
}

/// `[list_table]`: a KPI list, one row per indicator. Columns are found by
/// their header labels; every other header is decoded by the vocabulary into
/// fiscal year and kind (基準値（R1）, 令和3年度 over 目標値 | 実績値, R5目標, …).
#[derive(Debug, Deserialize)]
pub struct ListTableSpec {
    /// The item column: its cells hold the item's number and title, `(1) 電子申請…`.
    pub item_labels: Vec<String>,
    /// The indicator column (`①優先度の高い…`).
    pub indicator_labels: Vec<String>,
    /// A unit column, for values written without their unit.
    #[serde(default)]
    pub unit_labels: Vec<String>,
    /// The divisions in charge.
    #[serde(default)]
    pub division_labels: Vec<String>,
    /// Splits a divisions cell into names.
    pub division_split: Option<String>,
    /// A goal or group column (目標, 施策), written once above its items.
    #[serde(default)]
    pub goal_labels: Vec<String>,
    /// A column holding only the item number (No.), when the title has its own column.
    #[serde(default)]
    pub number_labels: Vec<String>,
    /// A column naming each row's kind (区分: 目標 | 実績), when the header
    /// gives the years only: a row's values are of the kind its cell says.
    #[serde(default)]
    pub kind_labels: Vec<String>,
}

/// `[[tests]]`: a small case the mapping carries; `cargo test` runs it.
#[derive(Debug, Clone, Deserialize)]
pub struct MappingTestSpec {
    pub name: String,
    /// Tab-separated lines, as PDF-derived text.
    pub input: String,
    #[serde(default)]
    pub expect: Vec<ExpectSpec>,
}

/// One expected observation of a mapping test.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectSpec {
    pub indicator: String,
    pub fiscal_year: Option<i32>,
    pub period: String,
    pub kind: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
}
