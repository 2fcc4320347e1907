//! Mapping files: declarative layout descriptions (`mappings/*.toml`, one per
//! document family) and the shared vocabulary (`mappings/vocabulary.toml`).
//! Everything is compiled and checked before any input is read; every problem
//! in every file is reported at once with its file and key path.

pub mod display;
pub mod evaluation;
pub mod file;
pub mod files;
pub mod messages;
pub mod render;
pub mod spec;
pub mod text;
pub mod vocabulary;

use std::path::{Path, PathBuf};

use regex::Regex;

pub use files::{FileKind, MappingFiles};
use spec::*;
use text::{fold_ascii_width, fold_char};
use vocabulary::{InlineKpiSyntax, Vocabulary};

/// One problem in one mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingError {
    pub file: String,
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for MappingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.key, self.message)
        }
    }
}

/// All problems found in a mappings folder.
#[derive(Debug, thiserror::Error)]
#[error("{} problem(s) in the mapping files:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct MappingErrors(pub Vec<MappingError>);

/// Normalises a label for comparison: ASCII width folded, all white space removed
/// (PDF extraction writes `目 標` for `目標`).
pub fn norm_label(s: &str) -> String {
    fold_ascii_width(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// A set of literal labels, compared after [`norm_label`].
///
/// This is the one label matcher of the mapping engine: wherever a mapping
/// expects a label (recognition, item anchors, fields, table headers), a cell
/// either *is* the label ([`Labels::matches`]) or *starts* with it, followed by
/// a separator (spaces, a full-width space, `：` or `:`) and the label's value
/// in the same cell ([`Labels::match_cell`]): `実施項目　(11) ICTの活用…`.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    labels: Vec<String>,
    longest: usize,
    /// First characters of the labels: most cells start with none of them.
    first_chars: Vec<char>,
}

/// How a cell stands to a set of labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelHit {
    /// The (normalised) label the cell starts with.
    pub label: String,
    /// The value written after the label in the same cell; `None` when the cell is the label alone.
    pub value: Option<String>,
}

impl Labels {
    /// Labels from a mapping file's list (normalised; empty ones dropped).
    pub fn new(labels: &[String]) -> Self {
        let labels: Vec<String> = labels.iter().map(|l| norm_label(l)).filter(|l| !l.is_empty()).collect();
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let mut first_chars: Vec<char> = labels.iter().filter_map(|l| l.chars().next()).collect();
        first_chars.sort_unstable();
        first_chars.dedup();
        Labels {
            labels,
            longest,
            first_chars,
        }
    }

    /// True when the text equals one of the labels.
    pub fn matches(&self, text: &str) -> bool {
        let t = text.trim();
        // Folding keeps one char per non-space char: a longer text cannot match.
        if t.chars().filter(|c| !c.is_whitespace()).nth(self.longest).is_some() {
            return false;
        }
        // Most cells need no folding: compare without allocating.
        let plain = !t.chars().any(|c| c.is_whitespace() || ('\u{FF01}'..='\u{FF5E}').contains(&c));
        if plain {
            return self.labels.iter().any(|l| l == t);
        }
        self.labels.contains(&norm_label(t))
    }

    /// The label a cell is or starts with (the longest such label), and the
    /// value after it: a label followed by a separator and more text is the
    /// label with its value in one cell. Spaces inside the label are ignored
    /// (`目 標` is `目標`); a label glued to more text (`目標値`) is not `目標`.
    pub fn match_cell(&self, text: &str) -> Option<LabelHit> {
        let t = text.trim_start();
        let (end, label) = self.longest_prefix(t, first_folded(t)?)?;
        // The value keeps the cell's own characters (a title is not rewritten).
        let value = t[end..]
            .trim_start_matches(|c: char| c.is_whitespace() || fold_char(c) == ':')
            .trim();
        Some(LabelHit {
            label: label.clone(),
            value: (!value.is_empty()).then(|| value.to_string()),
        })
    }

    /// The label a cell is or starts with, as [`Labels::match_cell`] finds
    /// it, without its value; `first` is the cell's [`first_folded`]
    /// character (recognition asks many sets about the same cell).
    pub fn label_of(&self, text: &str, first: char) -> Option<&String> {
        self.longest_prefix(text.trim_start(), first).map(|(_, l)| l)
    }

    /// (end of the label in `t`, the label) of the longest label `t` starts
    /// with; `first` is `t`'s first character, folded.
    fn longest_prefix(&self, t: &str, first: char) -> Option<(usize, &String)> {
        if self.first_chars.binary_search(&first).is_err() {
            return None;
        }
        let mut best: Option<(usize, &String)> = None;
        for l in &self.labels {
            if let Some(end) = label_prefix_end(t, l)
                && best.is_none_or(|(_, b)| l.len() > b.len())
            {
                best = Some((end, l));
            }
        }
        best
    }

    /// The remainder after a label and one of `separators` at the start of `text`.
    pub fn strip_inline(&self, text: &str, separators: &[String]) -> Option<String> {
        // Most cells start with no label's first character: no folding then.
        if self.first_chars.binary_search(&first_folded(text)?).is_err() {
            return None;
        }
        let t = fold_ascii_width(text.trim());
        for l in &self.labels {
            if let Some(rest) = t.strip_prefix(l.as_str()) {
                for sep in separators {
                    if let Some(v) = rest.trim_start().strip_prefix(fold_ascii_width(sep).as_str()) {
                        return Some(v.trim().to_string());
                    }
                }
            }
        }
        None
    }

    /// The normalised labels.
    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.labels.iter()
    }

    /// True when no label is set.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// A cell's first character after leading spaces, folded as labels are
/// (what [`Labels::label_of`] takes); None for a blank cell.
pub fn first_folded(text: &str) -> Option<char> {
    text.trim_start().chars().next().map(fold_char)
}

/// The byte offset in `text` where `label` ends when the text starts with it
/// (compared width-folded, white space inside the text skipped) and what
/// follows is the end, white space or a colon.
fn label_prefix_end(text: &str, label: &str) -> Option<usize> {
    let mut want = label.chars().peekable();
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let c = fold_char(c);
        if want.peek().is_none() {
            break;
        }
        if c.is_whitespace() {
            continue;
        }
        if Some(&c) != want.peek() {
            return None;
        }
        want.next();
        end = i + text[i..].chars().next().map_or(1, char::len_utf8);
    }
    if want.peek().is_some() {
        return None;
    }
    match text[end..].chars().next().map(fold_char) {
        None => Some(end),
        Some(c) if c.is_whitespace() || c == ':' => Some(end),
        Some(_) => None,
    }
}

/// The item-header fields a layout can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Goal,
    Reform,
    Initiative,
    Direction,
    Divisions,
    RelatedDivisions,
    Situation,
    Issues,
}

/// Each field kind by its name in a mapping file (`field = "direction"`).
const FIELD_KINDS: [(&str, FieldKind); 8] = [
    ("goal", FieldKind::Goal),
    ("reform", FieldKind::Reform),
    ("initiative", FieldKind::Initiative),
    ("direction", FieldKind::Direction),
    ("divisions", FieldKind::Divisions),
    ("related_divisions", FieldKind::RelatedDivisions),
    ("situation", FieldKind::Situation),
    ("issues", FieldKind::Issues),
];

impl FieldKind {
    fn parse(s: &str) -> Option<Self> {
        FIELD_KINDS.iter().find(|(name, _)| *name == s).map(|&(_, k)| k)
    }

    /// The field's name in a mapping file.
    pub fn as_str(self) -> &'static str {
        FIELD_KINDS.iter().find(|(_, k)| *k == self).map_or("", |&(name, _)| name)
    }
}

/// A compiled `[[fields]]` entry.
#[derive(Debug, Clone)]
pub struct Field {
    pub kind: FieldKind,
    pub labels: Labels,
    pub pattern: Option<Regex>,
    pub inline_separators: Vec<String>,
    pub continuation: bool,
    pub value_below: bool,
    pub split: Option<Regex>,
    pub inline_kpi: Option<InlineKpiSyntax>,
}

/// Compiled `[item]`.
#[derive(Debug, Clone)]
pub struct ItemRule {
    pub anchor_labels: Labels,
    pub anchor_pattern: Option<Regex>,
    /// `anchor_pattern` in words (`No.1 … のような番号と…`), for messages.
    pub anchor_description: Option<String>,
    pub lead_fields: Vec<FieldKind>,
    pub number_pattern: Option<Regex>,
    pub decoration: Option<Regex>,
}

/// Compiled `[indicator_table]`.
#[derive(Debug, Clone)]
pub struct IndicatorTable {
    pub header: Labels,
    pub final_target: Regex,
    pub units: Labels,
}

/// Compiled `[progress_table]`.
#[derive(Debug, Clone)]
pub struct ProgressTable {
    pub header: Labels,
    pub baseline: Regex,
    pub target: Regex,
    pub units: Labels,
    pub kinds: Labels,
}

/// Compiled `[plan_table]`.
#[derive(Debug, Clone)]
pub struct PlanTable {
    pub header: Labels,
    pub baseline: Regex,
    pub groups: Labels,
    pub target: Labels,
    pub actual: Labels,
    pub skip_header: Labels,
    pub units: Labels,
    pub notes: Labels,
}

/// Compiled `[evaluation_block]`.
#[derive(Debug, Clone)]
pub struct EvaluationBlock {
    pub header: Labels,
    pub count_labels: Labels,
    pub note_labels: Vec<Regex>,
    pub count_pattern: Regex,
}

/// Compiled `[achievement_table]`.
#[derive(Debug, Clone)]
pub struct AchievementTable {
    pub header: Labels,
}

/// Compiled `[list_table]`.
#[derive(Debug, Clone)]
pub struct ListTable {
    pub item: Labels,
    pub indicator: Labels,
    pub unit: Labels,
    pub division: Labels,
    pub division_split: Option<Regex>,
    pub goal: Labels,
    pub number: Labels,
    pub kind: Labels,
}

/// Compiled `[schedule_table]`.
#[derive(Debug, Clone)]
pub struct ScheduleTable {
    pub header: Labels,
    pub task: Labels,
    pub target: Labels,
    pub actual: Labels,
    pub default_kind: Option<String>,
    pub group: Option<Regex>,
    pub skip_header: Labels,
}

/// A layout ready to apply.
#[derive(Debug, Clone)]
pub struct Layout {
    pub name: String,
    pub plan: String,
    pub description: String,
    pub file: PathBuf,
    /// Every group must be present, each by any one of its labels.
    pub recognise_all: Vec<Labels>,
    pub recognise_any: Labels,
    pub section_labels: Labels,
    pub item: ItemRule,
    pub fields: Vec<Field>,
    pub indicator_table: Option<IndicatorTable>,
    pub progress_table: Option<ProgressTable>,
    pub plan_table: Option<PlanTable>,
    pub schedule_table: Option<ScheduleTable>,
    pub evaluation_block: Option<EvaluationBlock>,
    pub list_table: Option<ListTable>,
    pub achievement_table: Option<AchievementTable>,
    pub tests: Vec<MappingTestSpec>,
}

/// Everything in a mappings folder.
#[derive(Debug)]
pub struct Mappings {
    pub vocabulary: Vocabulary,
    pub layouts: Vec<Layout>,
    /// Workbook sheet and column labels; machine names where the file is absent.
    pub display: display::DisplayLabels,
    /// Indicator directions and yearly-result rules; all higher-is-better (inferred) when absent.
    pub evaluation: evaluation::EvaluationRules,
    /// The standard sheets `render` writes (`render/*.toml`); none when the folder is absent.
    pub render: Vec<render::RenderLayout>,
    /// The catalogues of messages for people (`messages/*.ftl`), every language checked.
    pub messages: Option<messages::Messages>,
}

/// Name of the shared vocabulary file inside a mappings folder.
pub const VOCABULARY_FILE: &str = "vocabulary.toml";
pub use evaluation::EVALUATION_FILE;

impl Mappings {
    /// Loads and compiles the mapping files of `dir` alone (its `*.toml` and
    /// `render/*.toml`), without the built-ins.
    ///
    /// # Errors
    /// All problems in all files at once, each with file and key path.
    pub fn load(dir: &Path) -> Result<Mappings, MappingErrors> {
        Self::from_files(&MappingFiles::folder(dir).map_err(MappingErrors)?)
    }

    /// [`Mappings::load`] with the display labels checked by `check_display`
    /// (see [`Mappings::from_files_checked`]).
    ///
    /// # Errors
    /// All problems in all files at once, each with file and key path.
    pub fn load_checked(
        dir: &Path,
        check_display: impl Fn(&display::DisplayLabels) -> Vec<MappingError>,
    ) -> Result<Mappings, MappingErrors> {
        Self::from_files_checked(&MappingFiles::folder(dir).map_err(MappingErrors)?, check_display)
    }

    /// Compiles a set of mapping files: the built-ins, a folder, or the
    /// built-ins with a user folder laid over them ([`MappingFiles`]).
    ///
    /// # Errors
    /// All problems in all files at once, each with file (the user's path or
    /// `built-in:NAME`) and key path.
    pub fn from_files(files: &MappingFiles) -> Result<Mappings, MappingErrors> {
        Self::from_files_checked(files, |_| Vec::new())
    }

    /// [`Mappings::from_files`], with `check_display` run on the display labels
    /// and its problems reported with the rest: the schema the labels must cover
    /// lives above this module (`table::display_label_problems`).
    ///
    /// # Errors
    /// All problems in all files at once, each with file and key path.
    pub fn from_files_checked(
        files: &MappingFiles,
        check_display: impl Fn(&display::DisplayLabels) -> Vec<MappingError>,
    ) -> Result<Mappings, MappingErrors> {
        let mut errors = Vec::new();
        let vocabulary = match files.get(VOCABULARY_FILE) {
            Some(f) => match Vocabulary::from_toml_str(&f.text) {
                Ok(v) => Some(v),
                Err(list) => {
                    errors.extend(list.into_iter().map(|m| split_key(&f.label(), &m)));
                    None
                }
            },
            None => {
                errors.push(MappingError {
                    file: format!("{}/{VOCABULARY_FILE}", files.describe()),
                    key: String::new(),
                    message: "cannot read the shared vocabulary: no such file".into(),
                });
                None
            }
        };
        let mut layouts = Vec::new();
        for f in files.of_kind(FileKind::Layout) {
            match compile_layout(Path::new(&f.label()), &f.text) {
                Ok(l) => layouts.push(l),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if layouts.is_empty() && errors.is_empty() {
            errors.push(MappingError {
                file: files.describe(),
                key: String::new(),
                message: "no layout mapping (*.toml besides vocabulary.toml) found".into(),
            });
        }
        let mut names: Vec<&str> = layouts.iter().map(|l| l.name.as_str()).collect();
        names.sort();
        for w in names.windows(2) {
            if w[0] == w[1] {
                errors.push(MappingError {
                    file: files.describe(),
                    key: "layout.name".into(),
                    message: format!("two layouts are named '{}'", w[0]),
                });
            }
        }
        let display = match files.get(display::DISPLAY_FILE) {
            Some(f) => display::DisplayLabels::from_text(&f.label(), &f.text).unwrap_or_else(|mut e| {
                errors.append(&mut e);
                display::DisplayLabels::default()
            }),
            None => display::DisplayLabels::default(),
        };
        errors.extend(check_display(&display));
        let evaluation = match files.get(EVALUATION_FILE) {
            Some(f) => evaluation::EvaluationRules::parse(&f.text, &f.label()).unwrap_or_else(|mut e| {
                errors.append(&mut e);
                evaluation::EvaluationRules::default()
            }),
            None => evaluation::EvaluationRules::default(),
        };
        // Year labels of the standard sheets use the eras the vocabulary declares.
        let render_eras = vocabulary.as_ref().map(render::eras_of).unwrap_or_default();
        let render = render::from_files(files, &render_eras, display.units()).unwrap_or_else(|mut e| {
            errors.append(&mut e);
            Vec::new()
        });
        // A complete folder without catalogues (a test's) speaks through the built-in ones.
        let messages = if files.of_kind(FileKind::Messages).next().is_none() {
            None
        } else {
            messages::Messages::from_files(files).map_err(|mut e| errors.append(&mut e)).ok()
        };
        match vocabulary {
            Some(vocabulary) if errors.is_empty() => Ok(Mappings {
                vocabulary,
                layouts,
                display,
                evaluation,
                render,
                messages,
            }),
            _ => Err(MappingErrors(errors)),
        }
    }
}

fn split_key(file: &str, message: &str) -> MappingError {
    let (key, msg) = message
        .split_once(": ")
        .map(|(k, m)| (k.to_string(), m.to_string()))
        .unwrap_or((String::new(), message.to_string()));
    MappingError {
        file: file.to_string(),
        key,
        message: msg,
    }
}

/// `[["【", "】"], …]` → (open, close) chars; a pair that is not one
/// character each, or opens with what it closes, is `bad(index, message)`.
fn bracket_pairs(pairs: &[[String; 2]], mut bad: impl FnMut(usize, String)) -> Vec<(char, char)> {
    let one = |s: &str| {
        let mut cs = s.chars();
        cs.next().filter(|_| cs.next().is_none())
    };
    let mut out = Vec::new();
    for (j, [open, close]) in pairs.iter().enumerate() {
        match (one(open), one(close)) {
            (Some(o), Some(c)) if o != c => out.push((o, c)),
            _ => bad(j, format!("'{open}', '{close}' is no pair of two different single characters")),
        }
    }
    out
}

/// Parses and compiles one layout file, collecting every problem.
///
/// # Errors
/// Unknown keys, TOML syntax, bad regexes, unknown field names, missing blocks.
pub fn compile_layout(path: &Path, text: &str) -> Result<Layout, Vec<MappingError>> {
    let file = path.display().to_string();
    let mut errors = Vec::new();
    let err = |key: &str, message: String| MappingError {
        file: file.clone(),
        key: key.to_string(),
        message,
    };
    let de = toml::Deserializer::new(text);
    let mut unknown = Vec::new();
    let spec: LayoutSpec = match serde_ignored::deserialize(de, |p| unknown.push(p.to_string())) {
        Ok(s) => s,
        Err(e) => {
            let mut out: Vec<MappingError> = unknown.iter().map(|k| err(k, "unknown key".into())).collect();
            out.push(err("", e.message().to_string()));
            return Err(out);
        }
    };
    errors.extend(
        unknown
            .iter()
            .map(|k| err(k, "unknown key (check the spelling against the README's mapping guide)".into())),
    );
    // Regex problems are collected apart so the closure does not hold `errors`.
    let regex_errors = std::cell::RefCell::new(Vec::new());
    let re = |key: &str, pat: &str| -> Option<Regex> {
        match Regex::new(pat) {
            Ok(r) => Some(r),
            Err(e) => {
                regex_errors.borrow_mut().push(err(key, format!("bad regular expression: {e}")));
                None
            }
        }
    };
    let anchor_pattern = spec.item.anchor_pattern.as_deref().and_then(|p| re("item.anchor_pattern", p));
    let number_pattern = spec.item.number_pattern.as_deref().and_then(|p| re("item.number_pattern", p));
    let decoration = spec
        .item
        .decoration_pattern
        .as_deref()
        .and_then(|p| re("item.decoration_pattern", p));
    let mut fields = Vec::new();
    for (i, f) in spec.fields.iter().enumerate() {
        let pattern = f.pattern.as_deref().and_then(|p| re(&format!("fields[{i}].pattern"), p));
        let split = f.split.as_deref().and_then(|p| re(&format!("fields[{i}].split"), p));
        let kind = FieldKind::parse(&f.field);
        if kind.is_none() {
            errors.push(err(
                &format!("fields[{i}].field"),
                format!(
                    "'{}' is not one of goal, reform, initiative, direction, divisions, related_divisions, situation, issues",
                    f.field
                ),
            ));
        }
        if f.labels.is_empty() && f.pattern.is_none() {
            errors.push(err(&format!("fields[{i}]"), "needs labels or a pattern".into()));
        }
        if let Some(kind) = kind {
            fields.push(Field {
                kind,
                labels: Labels::new(&f.labels),
                pattern,
                inline_separators: f.inline_separators.clone(),
                continuation: f.continuation,
                value_below: f.value_below,
                split,
                inline_kpi: f.inline_kpi.as_ref().map(|k| InlineKpiSyntax {
                    marker: k.marker.clone(),
                    other_markers: k.other_markers.iter().filter(|m| !m.is_empty()).cloned().collect(),
                    name_separators: k.name_separators.clone(),
                    repeat_note: k.repeat_notes.clone(),
                    label_words: k.label_words.clone(),
                    estimate_words: k.estimate_words.clone(),
                    each_words: k.each_words.clone(),
                    year_joiners: k.year_joiners.iter().filter(|j| !j.is_empty()).cloned().collect(),
                    other_brackets: bracket_pairs(&k.other_brackets, |j, m| {
                        errors.push(err(&format!("fields[{i}].inline_kpi.other_brackets[{j}]"), m));
                    }),
                }),
            });
        }
    }
    let mut lead_fields = Vec::new();
    for (i, name) in spec.item.lead_fields.iter().enumerate() {
        match FieldKind::parse(name) {
            Some(k) => lead_fields.push(k),
            None => errors.push(err(&format!("item.lead_fields[{i}]"), format!("'{name}' is not a field name"))),
        }
    }
    let is_list = spec.list_table.is_some();
    if !is_list && spec.item.anchor_labels.is_empty() && spec.item.anchor_pattern.is_none() {
        errors.push(err(
            "item",
            "needs anchor_labels or anchor_pattern: where does each item start?".into(),
        ));
    }
    let described = spec.item.anchor_description.as_deref().is_some_and(|d| !d.trim().is_empty());
    if spec.item.anchor_pattern.is_some() && !described {
        errors.push(err(
            "item.anchor_description",
            "needs words saying how an item heading is written: messages name those, not anchor_pattern".into(),
        ));
    }
    if spec.recognise.all_labels.is_empty() || spec.recognise.all_labels.iter().any(|c| c.labels().is_empty()) {
        errors.push(err(
            "recognise.all_labels",
            "needs at least one label, and each list of alternatives one".into(),
        ));
    }
    if !is_list && !fields.iter().any(|f| f.kind == FieldKind::Initiative) && spec.item.anchor_pattern.is_none() {
        errors.push(err(
            "fields",
            "no field gives the initiative title and item.anchor_pattern is not set".into(),
        ));
    }
    if !is_list
        && spec.indicator_table.is_none()
        && spec.progress_table.is_none()
        && spec.plan_table.is_none()
        && !fields.iter().any(|f| f.inline_kpi.is_some())
    {
        errors.push(err(
            "",
            "missing block: a layout needs a list_table, indicator_table, progress_table, plan_table or an inline_kpi field".into(),
        ));
    }
    let indicator_table = spec.indicator_table.as_ref().and_then(|t| {
        Some(IndicatorTable {
            header: Labels::new(&t.header_labels),
            final_target: re("indicator_table.final_target_pattern", &t.final_target_pattern)?,
            units: Labels::new(&t.unit_labels),
        })
    });
    let progress_table = spec.progress_table.as_ref().and_then(|t| {
        let baseline = re("progress_table.baseline_pattern", &t.baseline_pattern);
        let target = re("progress_table.target_pattern", &t.target_pattern);
        Some(ProgressTable {
            header: Labels::new(&t.header_labels),
            baseline: baseline?,
            target: target?,
            units: Labels::new(&t.unit_labels),
            kinds: Labels::new(&t.kind_labels),
        })
    });
    let plan_table = spec.plan_table.as_ref().and_then(|t| {
        Some(PlanTable {
            header: Labels::new(&t.header_labels),
            baseline: re("plan_table.baseline_pattern", &t.baseline_pattern)?,
            groups: Labels::new(&t.group_labels),
            target: Labels::new(&t.target_labels),
            actual: Labels::new(&t.actual_labels),
            skip_header: Labels::new(&t.skip_header_labels),
            units: Labels::new(&t.unit_labels),
            notes: Labels::new(&t.note_labels),
        })
    });
    let schedule_table = spec.schedule_table.as_ref().map(|t| ScheduleTable {
        header: Labels::new(&t.header_labels),
        task: Labels::new(&t.task_labels),
        target: Labels::new(&t.target_labels),
        actual: Labels::new(&t.actual_labels),
        default_kind: t.default_kind.clone(),
        group: t.group_pattern.as_deref().and_then(|p| re("schedule_table.group_pattern", p)),
        skip_header: Labels::new(&t.skip_header_labels),
    });
    let evaluation_block = spec.evaluation_block.as_ref().and_then(|e| {
        let notes: Vec<Option<Regex>> = e
            .note_patterns
            .iter()
            .enumerate()
            .map(|(i, p)| re(&format!("evaluation_block.note_patterns[{i}]"), p))
            .collect();
        Some(EvaluationBlock {
            header: Labels::new(&e.header_labels),
            count_labels: Labels::new(&e.count_labels),
            note_labels: notes.into_iter().collect::<Option<Vec<_>>>()?,
            count_pattern: re("evaluation_block.count_pattern", &e.count_pattern)?,
        })
    });
    let list_table = spec.list_table.as_ref().map(|t| {
        for (key, labels) in [
            ("list_table.item_labels", &t.item_labels),
            ("list_table.indicator_labels", &t.indicator_labels),
        ] {
            if labels.is_empty() {
                errors.push(err(key, "needs at least one label".into()));
            }
        }
        ListTable {
            item: Labels::new(&t.item_labels),
            indicator: Labels::new(&t.indicator_labels),
            unit: Labels::new(&t.unit_labels),
            division: Labels::new(&t.division_labels),
            division_split: t.division_split.as_deref().and_then(|p| re("list_table.division_split", p)),
            goal: Labels::new(&t.goal_labels),
            number: Labels::new(&t.number_labels),
            kind: Labels::new(&t.kind_labels),
        }
    });
    if is_list && (spec.indicator_table.is_some() || spec.progress_table.is_some() || spec.plan_table.is_some()) {
        errors.push(err(
            "list_table",
            "a list layout reads the whole sheet as one list: put per-item tables in a layout of their own".into(),
        ));
    }
    if let Some(k) = spec.schedule_table.as_ref().and_then(|t| t.default_kind.as_deref())
        && k != "target"
        && k != "actual"
    {
        errors.push(err("schedule_table.default_kind", format!("'{k}' is not target or actual")));
    }
    errors.extend(regex_errors.into_inner());
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Layout {
        name: spec.layout.name,
        plan: spec.layout.plan,
        description: spec.layout.description,
        file: path.to_path_buf(),
        recognise_all: spec.recognise.all_labels.iter().map(|c| Labels::new(c.labels())).collect(),
        recognise_any: Labels::new(&spec.recognise.any_labels),
        section_labels: Labels::new(&spec.item.section_labels),
        item: ItemRule {
            anchor_labels: Labels::new(&spec.item.anchor_labels),
            anchor_pattern,
            anchor_description: spec.item.anchor_description.clone(),
            lead_fields,
            number_pattern,
            decoration,
        },
        fields,
        indicator_table,
        progress_table,
        plan_table,
        schedule_table,
        evaluation_block,
        list_table,
        achievement_table: spec.achievement_table.as_ref().map(|t| AchievementTable {
            header: Labels::new(&t.header_labels),
        }),
        tests: spec.tests,
    })
}
