//! `inspect --suggest-mapping`: a draft layout file for a KPI list no mapping
//! reads yet, from the sheet's header rows.
//!
//! ```text
//!   群馬県庁DXアクションプラン 指標の進捗一覧     ← title row: [layout] plan (CHECK)
//!   実施項目    | 指標       | 基準値（R1） | 令和3年度 ────── | 担当課   ← header row
//!              |           |             | 目標値 | 実績値   |          ← second band
//!   (1) 電子申請 | ①…電子化率 | 7.0%        | 32.1%  | 28.3%   | 課       ← data rows
//! ```
//!
//! Each header cell is classified: a label the vocabulary decodes into a
//! fiscal year (and kind) is a value column; the other labels are read from
//! their words and from the cells below them (`(1) …` / `No.1 …` → the item,
//! `①…` or long names → the indicator, 単位, 担当課 / 所属). The draft is a
//! complete layout file with a `[[tests]]` case taken from the first two data
//! rows; every guess it could not make surely carries a `# CHECK:` comment.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::LazyLock;

use super::list_table::Column as Holds;
use crate::mapping::{FieldKind, Layout, Mappings, compile_layout, norm_label};
use crate::normalize::{HeaderMeaning, HeaderWord, Vocabulary};
use crate::source::{Cell, CellValue, Grid, a1};

/// The item number printed as `(1)`: the same rule the shipped list uses.
const PAREN_NUMBER: &str = r"^\s*[(（]\s*([0-9０-９]+)\s*[)）]\s*";
/// The item number printed as `No.1`.
const NO_NUMBER: &str = r"^\s*[NnＮｎ][OoＯｏ][.．]?\s*([0-9０-９]+)\s*";

/// The label words the layouts in force already use: a draft recognises a
/// column by them (the code names no document label; they live in `mappings/`).
#[derive(Debug, Default)]
struct Known {
    item: Vec<String>,
    indicator: Vec<String>,
    unit: Vec<String>,
    division: Vec<String>,
    goal: Vec<String>,
    number: Vec<String>,
    /// How a shipped list splits a divisions cell into names.
    division_split: Option<String>,
    /// How a per-item layout splits its divisions field, when no list says.
    field_split: Option<String>,
    /// Labels of per-item layouts (recognition, anchors, fields): they stand
    /// down column A of a 取組票, label | value.
    per_item: Vec<String>,
}

impl Known {
    fn of(layouts: &[Layout]) -> Known {
        let mut k = Known::default();
        let add = |v: &mut Vec<String>, labels: &crate::mapping::Labels| {
            for l in labels.iter() {
                let l = norm_label(l);
                if !v.contains(&l) {
                    v.push(l);
                }
            }
        };
        for l in layouts {
            match &l.list_table {
                Some(t) => {
                    add(&mut k.item, &t.item);
                    add(&mut k.indicator, &t.indicator);
                    add(&mut k.unit, &t.unit);
                    add(&mut k.division, &t.division);
                    add(&mut k.goal, &t.goal);
                    add(&mut k.number, &t.number);
                    if k.division_split.is_none() {
                        k.division_split = t.division_split.as_ref().map(|r| r.as_str().to_string());
                    }
                }
                None => {
                    for group in &l.recognise_all {
                        add(&mut k.per_item, group);
                    }
                    add(&mut k.per_item, &l.recognise_any);
                    add(&mut k.per_item, &l.item.anchor_labels);
                    add(&mut k.item, &l.item.anchor_labels);
                    for f in &l.fields {
                        add(&mut k.per_item, &f.labels);
                        match f.kind {
                            FieldKind::Divisions => {
                                add(&mut k.division, &f.labels);
                                if k.field_split.is_none() {
                                    k.field_split = f.split.as_ref().map(|r| r.as_str().to_string());
                                }
                            }
                            FieldKind::Initiative => add(&mut k.item, &f.labels),
                            _ => {}
                        }
                    }
                    for t in [
                        l.indicator_table.as_ref().map(|t| &t.header),
                        l.plan_table.as_ref().map(|t| &t.header),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        add(&mut k.indicator, t);
                    }
                }
            }
        }
        k
    }
}

/// Whether a (normalised) label is or contains one of `known`.
fn names(known: &[String], label: &str) -> bool {
    known.iter().any(|k| !k.is_empty() && label.contains(k.as_str()))
}

/// Whether a label ends as one of `known` does (its last character), for a
/// guess: a division column worded differently (a label ending like 担当課).
fn ends_like(known: &[String], label: &str) -> bool {
    label.chars().last().is_some_and(|c| known.iter().any(|k| k.ends_with(c)))
}

/// What a sheet turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Suggestion {
    /// A list: the draft layout file (TOML).
    List(String),
    /// A per-item sheet: a note (TOML comments) naming the closest shipped layout.
    PerItem(String),
    /// No header row was found: a note saying so.
    NotFound(String),
}

impl Suggestion {
    /// The text to print.
    pub fn text(&self) -> &str {
        match self {
            Suggestion::List(t) | Suggestion::PerItem(t) | Suggestion::NotFound(t) => t,
        }
    }
}

/// What the drafted list table will read a column as; `None`: not read.
type Role = Option<Holds>;

/// One header column: its label (both bands joined), role and why.
#[derive(Debug, Clone)]
struct Column {
    col: u32,
    /// The key label as printed (the top cell); empty for value columns.
    label: String,
    /// The header as read, both bands (`令和3年度 目標値`).
    header: String,
    role: Role,
    /// A `# CHECK:` note when the role is a guess.
    check: Option<String>,
}

/// Drafts a layout for `grid`. `name` is the layout name (the file stem);
/// `mappings` are those in force: their vocabulary decodes the headers, and
/// their layouts say which one already reads the sheet (or, for a per-item
/// sheet, which is the closest).
pub fn suggest(grid: &Grid, mappings: &Mappings, name: &str) -> Suggestion {
    let vocab = &mappings.vocabulary;
    let known = Known::of(&mappings.layouts);
    if let Some(labels) = per_item_labels(grid, &known) {
        return Suggestion::PerItem(per_item_note(grid, &mappings.layouts, &labels));
    }
    let Some(header) = find_header(grid, vocab) else {
        return Suggestion::NotFound(format!(
            "# sheet '{}': no header row found (a row of three or more short labels with values below it).\n\
             # Look at the sheet with `torikumi inspect FILE --sheet NAME` and start from the closest shipped\n\
             # layout (`torikumi mappings export DIR`).\n",
            grid.name
        ));
    };
    let band = is_band(grid, vocab, header);
    let last_header = if band { header + 1 } else { header };
    let data_rows: Vec<u32> = (last_header + 1..grid.height()).filter(|&r| !grid.row(r).is_empty()).collect();
    let columns = classify(grid, vocab, &known, header, band, &data_rows);
    Suggestion::List(draft(grid, mappings, name, header, band, &data_rows, &columns))
}

/// The per-item labels standing in column A, when at least two do.
fn per_item_labels(grid: &Grid, known: &Known) -> Option<Vec<String>> {
    let mut found: Vec<String> = Vec::new();
    for r in 0..grid.height() {
        if let Some(c) = grid.get(r, 0) {
            let l = norm_label(&c.raw);
            if known.per_item.contains(&l) && !found.contains(&l) {
                found.push(l);
            }
        }
    }
    (found.len() >= 2).then_some(found)
}

fn per_item_note(grid: &Grid, layouts: &[Layout], labels: &[String]) -> String {
    // The closest per-item layout: the one missing the fewest of its recognition labels.
    let closest = layouts
        .iter()
        .filter(|l| l.list_table.is_none())
        .min_by_key(|l| super::missing_labels(grid, l).len());
    let mut out = format!(
        "# sheet '{}' is a per-item sheet (labels down column A: {}), not a list:\n\
         # --suggest-mapping drafts lists only.\n",
        grid.name,
        labels.join(", ")
    );
    if let Some(l) = closest {
        let _ = writeln!(
            out,
            "# The closest shipped layout is {} ({}): `torikumi mappings export DIR`, copy\n\
             # DIR/{}, give it a new [layout] name and edit it (README, \"Adding a layout\").",
            l.name,
            l.file.display(),
            l.file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
        );
    }
    out
}

/// A short label: text, not a value, at most 20 characters.
fn is_label(vocab: &Vocabulary, c: &Cell) -> bool {
    matches!(c.value, CellValue::Text)
        && c.raw.trim().chars().count() <= 20
        && (!vocab.decode_header(&c.raw).is_empty() || vocab.parse_value(&c.raw).value.is_none())
}

/// A value cell: a typed number, or text that reads as a number and is no header.
fn is_value(vocab: &Vocabulary, c: &Cell) -> bool {
    match c.value {
        CellValue::Number(_) => true,
        CellValue::Text => vocab.parse_value(&c.raw).value.is_some() && vocab.decode_header(&c.raw).is_empty(),
        _ => false,
    }
}

/// The first row of three or more cells, mostly short labels, with a row of
/// values within the next four rows.
fn find_header(grid: &Grid, vocab: &Vocabulary) -> Option<u32> {
    (0..grid.height().min(60)).find(|&r| {
        let cells = grid.row(r);
        let labels = cells.iter().filter(|c| is_label(vocab, c)).count();
        cells.len() >= 3
            && labels * 10 >= cells.len() * 6
            && (r + 1..(r + 5).min(grid.height())).any(|n| grid.row(n).iter().filter(|c| is_value(vocab, c)).count() >= 2)
    })
}

/// Whether the row under the header is a second band: every cell a header the vocabulary decodes.
fn is_band(grid: &Grid, vocab: &Vocabulary, header: u32) -> bool {
    let second = grid.row(header + 1);
    !second.is_empty() && second.iter().all(|c| !vocab.decode_header(&c.raw).is_empty())
}

/// The year label to the left standing over a band column in text, where merges are lost
/// (the same reading `list_table` makes).
fn year_band_left<'g>(grid: &'g Grid, vocab: &Vocabulary, header: u32, col: u32, band: bool) -> Option<&'g Cell> {
    if !band || grid.get(header + 1, col).is_none() {
        return None;
    }
    let left = grid.row(header).iter().rev().find(|c| c.col < col)?;
    let m = vocab.decode_header(&left.raw);
    (m.fiscal_year.is_some() && m.word.is_none()).then_some(left)
}

fn classify(grid: &Grid, vocab: &Vocabulary, known: &Known, header: u32, band: bool, data: &[u32]) -> Vec<Column> {
    let mut cols: Vec<u32> = grid.row(header).iter().map(|c| c.col).collect();
    if band {
        cols.extend(grid.row(header + 1).iter().map(|c| c.col));
    }
    let width = cols.iter().max().copied().unwrap_or(0);
    let mut out = Vec::new();
    for col in 0..=width {
        let upper = grid
            .get_merged(header, col)
            .or_else(|| year_band_left(grid, vocab, header, col, band));
        let lower = if band { grid.get(header + 1, col) } else { None };
        if upper.is_none() && lower.is_none() {
            continue;
        }
        let decode = |c: Option<&Cell>| c.map(|c| vocab.decode_header(&c.raw)).unwrap_or_default();
        let meaning = decode(lower).or(decode(upper));
        let header_text = [upper, lower]
            .iter()
            .flatten()
            .map(|c| c.raw.trim().to_string())
            .collect::<Vec<_>>()
            .join(" ");
        let own_top = grid.get(header, col);
        if meaning.fiscal_year.is_some() || own_top.is_none() {
            let check = value_check(&meaning);
            out.push(Column {
                col,
                label: String::new(),
                header: header_text,
                role: Some(Holds::Value(meaning)),
                check,
            });
            continue;
        }
        let label = own_top.map(|c| c.raw.trim().to_string()).unwrap_or_default();
        let cells: Vec<&Cell> = data.iter().filter_map(|&r| grid.get(r, col)).collect();
        let (role, check) = key_role(vocab, known, &label, &cells, &meaning);
        out.push(Column {
            col,
            label,
            header: header_text,
            role,
            check,
        });
    }
    fill_missing_keys(grid, data, &mut out);
    out
}

/// What a value column is unsure of.
fn value_check(m: &HeaderMeaning) -> Option<String> {
    match (m.fiscal_year, m.word) {
        (None, _) => Some("no fiscal year read from this header: its cells will be a year_not_decoded diagnostic".into()),
        (Some(_), None) => Some(
            "a year but no kind word of vocabulary.toml [header] (target / actual / baseline words): its cells will be ambiguous_cell diagnostics; add the sheet's word there"
                .into(),
        ),
        _ => None,
    }
}

fn share(cells: &[&Cell], f: impl Fn(&str) -> bool) -> f64 {
    if cells.is_empty() {
        return 0.0;
    }
    cells.iter().filter(|c| f(&c.raw)).count() as f64 / cells.len() as f64
}

fn is_numbered_item(text: &str) -> bool {
    number_rule(text).is_some()
}

/// The number pattern an item title starts with.
fn number_rule(text: &str) -> Option<&'static str> {
    // Compiled once: every cell of every key column is tried.
    static RULES: LazyLock<Vec<(&'static str, regex::Regex)>> = LazyLock::new(|| {
        [PAREN_NUMBER, NO_NUMBER]
            .into_iter()
            .filter_map(|p| regex::Regex::new(p).ok().map(|re| (p, re)))
            .collect()
    });
    RULES.iter().find(|(_, re)| re.is_match(text)).map(|(p, _)| *p)
}

/// The role of a key column, from its label (the label words the layouts in
/// force use) and the cells below it.
fn key_role(vocab: &Vocabulary, known: &Known, label: &str, cells: &[&Cell], meaning: &HeaderMeaning) -> (Role, Option<String>) {
    let l = norm_label(label);
    let text_share = share(cells, |t| vocab.parse_value(t).value.is_none());
    if names(&known.unit, &l) {
        return (Some(Holds::Unit), None);
    }
    if names(&known.division, &l) {
        return (Some(Holds::Division), None);
    }
    if share(cells, is_numbered_item) >= 0.5 {
        return (Some(Holds::Item), None);
    }
    if share(cells, |t| vocab.parse_indicator_marker(t).is_some()) >= 0.5 {
        return (Some(Holds::Indicator), None);
    }
    if known.goal.contains(&l) && text_share >= 0.5 {
        return (
            Some(Holds::Goal),
            Some("read as the goal written above its items (goal_labels); remove it if it is not".into()),
        );
    }
    if names(&known.number, &l)
        || (!cells.is_empty() && share(cells, |t| !t.trim().is_empty() && t.trim().chars().all(|c| c.is_ascii_digit())) == 1.0)
    {
        return (
            Some(Holds::Number),
            (!names(&known.number, &l)).then(|| "guessed as the item number (every cell a whole number)".into()),
        );
    }
    if names(&known.item, &l) && text_share >= 0.5 {
        return (Some(Holds::Item), None);
    }
    if names(&known.indicator, &l) && text_share >= 0.5 {
        return (Some(Holds::Indicator), None);
    }
    if ends_like(&known.division, &l) && text_share >= 0.5 {
        return (
            Some(Holds::Division),
            Some("guessed as the divisions in charge (its label ends as a known division label does)".into()),
        );
    }
    if meaning.word.is_some() {
        return (
            None,
            Some(format!(
                "{label} names a kind but no fiscal year; the list reads it as a value column and reports its cells as year_not_decoded"
            )),
        );
    }
    (None, None)
}

/// When no column was sure to be the item or the indicator: the indicator is
/// the text column with the most cells (one per row), the item a text column
/// left of it with fewer (written once, merged down).
fn fill_missing_keys(grid: &Grid, data: &[u32], cols: &mut [Column]) {
    let text_cells = |col: u32| -> Vec<&Cell> {
        data.iter()
            .filter_map(|&r| grid.get(r, col))
            .filter(|c| matches!(c.value, CellValue::Text) && c.raw.trim().chars().count() >= 4)
            .collect()
    };
    if !cols.iter().any(|c| c.role == Some(Holds::Indicator)) {
        let best = cols.iter_mut().filter(|c| c.role.is_none()).max_by_key(|c| text_cells(c.col).len());
        if let Some(c) = best
            && !text_cells(c.col).is_empty()
        {
            c.role = Some(Holds::Indicator);
            c.check = Some("guessed as the indicator column (its cells are the longest names, one per row)".into());
        }
    }
    let ind_col = cols.iter().find(|c| c.role == Some(Holds::Indicator)).map(|c| c.col);
    if !cols.iter().any(|c| c.role == Some(Holds::Item))
        && let Some(ind) = ind_col
    {
        let best = cols
            .iter_mut()
            .filter(|c| c.role.is_none() && c.col < ind)
            .max_by_key(|c| text_cells(c.col).len());
        if let Some(c) = best
            && !text_cells(c.col).is_empty()
        {
            c.role = Some(Holds::Item);
            c.check = Some("guessed as the item column (text left of the indicators, written once per item)".into());
        }
    }
}

/// `FY2021 target`, `FY2023 actual as of month 12`, …
fn meaning_text(m: &HeaderMeaning) -> String {
    let kind = match m.word {
        Some(HeaderWord::Value(k)) => k.as_str().to_string(),
        Some(HeaderWord::Achievement) => "printed achievement".into(),
        None => "kind not read".into(),
    };
    let year = m.fiscal_year.map(|y| format!(" FY{y}")).unwrap_or_else(|| " (no year)".into());
    let part = match (m.as_of_month, m.part) {
        (Some(mo), _) => format!(", as of the end of month {mo}"),
        (None, Some(p)) => format!(", {}", p.as_str()),
        _ => String::new(),
    };
    format!("{kind}{year}{part}")
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
}

/// The plan's name from the title row above the header: its text up to the first space or bracket.
fn plan_from_title(grid: &Grid, header: u32) -> Option<(String, String)> {
    let title = (0..header)
        .flat_map(|r| grid.row(r).iter())
        .find(|c| matches!(c.value, CellValue::Text))?;
    let text = title.raw.trim();
    let plan: String = text
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '(' | '（' | '['))
        .collect();
    let plan = if plan.is_empty() { text.to_string() } else { plan };
    Some((plan, format!("{}: {}", title.a1(), text)))
}

/// One row of the test input: its cells tab-separated, as PDF-derived text.
fn tsv_line(grid: &Grid, r: u32, width: u32) -> String {
    (0..=width)
        .map(|c| {
            grid.get(r, c)
                .map(|cell| cell.raw.replace(['\t', '\n', '\r'], " ").trim().to_string())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("\t")
}

/// Escapes a test input line for a TOML multi-line basic string.
fn escape_multiline(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

#[allow(clippy::too_many_arguments)]
fn draft(grid: &Grid, mappings: &Mappings, name: &str, header: u32, band: bool, data: &[u32], cols: &[Column]) -> String {
    let labels_of = |role: Role| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for c in cols.iter().filter(|c| c.role == role) {
            if !v.contains(&c.label) {
                v.push(c.label.clone());
            }
        }
        v
    };
    let item = labels_of(Some(Holds::Item));
    let indicator = labels_of(Some(Holds::Indicator));
    let unit = labels_of(Some(Holds::Unit));
    let division = labels_of(Some(Holds::Division));
    let goal = labels_of(Some(Holds::Goal));
    let number = labels_of(Some(Holds::Number));
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Draft layout for sheet '{}', written by `torikumi inspect --suggest-mapping`.",
        grid.name
    );
    let _ = writeln!(
        o,
        "# Read every comment, fix what a `# CHECK:` line names, then run `torikumi check FILE`."
    );
    if let Some(l) = super::recognise(grid, mappings) {
        let _ = writeln!(
            o,
            "# NOTE: layout {} ({}) already reads this sheet; keep [layout] name = {} to replace it,\n\
             # or give the draft another name and make its [recognise] labels tell the two apart.",
            l.name,
            l.file.display(),
            q(&l.name)
        );
    }
    let _ = writeln!(o, "#");
    let _ = writeln!(
        o,
        "# Header row {}{} (from {}):",
        header + 1,
        if band {
            format!(" with a second band in row {}", header + 2)
        } else {
            String::new()
        },
        a1(header, 0)
    );
    for c in cols {
        let letter = crate::source::grid::col_letters(c.col);
        let what = match c.role {
            Some(Holds::Item) => format!("{} → the item (item_labels)", c.header),
            Some(Holds::Number) => format!("{} → the item number (number_labels)", c.header),
            Some(Holds::Indicator) => format!("{} → the indicator (indicator_labels)", c.header),
            Some(Holds::Unit) => format!("{} → the unit of values written without one (unit_labels)", c.header),
            Some(Holds::Division) => format!("{} → the divisions in charge (division_labels)", c.header),
            Some(Holds::Goal) => format!("{} → the goal (goal_labels)", c.header),
            Some(Holds::Kind) => format!("{} → each row's kind, target or actual (kind_labels)", c.header),
            Some(Holds::Value(m)) => format!("{} → {}", c.header, meaning_text(&m)),
            None => format!("not read: {} (its cells will be listed as unmapped)", c.header),
        };
        let _ = writeln!(o, "#   {letter}: {what}");
        if let Some(check) = &c.check {
            let _ = writeln!(o, "#   CHECK: {letter}: {check}");
        }
    }
    if !cols
        .iter()
        .any(|c| matches!(c.role, Some(Holds::Value(m)) if m.fiscal_year.is_some()))
    {
        let _ = writeln!(
            o,
            "# CHECK: no header reads as a fiscal year: this may not be a KPI list (see README, \"Adding a layout\")."
        );
    }
    if item.is_empty() {
        let _ = writeln!(
            o,
            "# CHECK: no item column found: name the column holding the items' titles in item_labels."
        );
    }
    if indicator.is_empty() {
        let _ = writeln!(
            o,
            "# CHECK: no indicator column found: name the column holding the indicators in indicator_labels."
        );
    }
    let _ = writeln!(o);
    let (plan, plan_note) = match plan_from_title(grid, header) {
        Some((plan, title)) => (plan, format!("# CHECK: the plan name, read from the title ({title})")),
        None => (
            name.to_string(),
            "# CHECK: no title row: write the plan's name (it is the `plan` column of every table)".into(),
        ),
    };
    let head_len = o.len();
    let _ = writeln!(o, "[layout]");
    let _ = writeln!(o, "name = {}", q(name));
    let _ = writeln!(o, "{plan_note}");
    let _ = writeln!(o, "plan = {}", q(&plan));
    let _ = writeln!(o, "description = {}", q(&format!("{} (one row per indicator)", grid.name)));
    let _ = writeln!(o);
    let _ = writeln!(o, "[recognise]");
    let _ = writeln!(o, "# A sheet is this layout when it has all of these cells.");
    let mut recognise: Vec<String> = Vec::new();
    for l in [&item, &indicator, &unit, &division].into_iter().flatten() {
        if !recognise.contains(l) {
            recognise.push(l.clone());
        }
    }
    if recognise.is_empty() {
        recognise.push("EDIT ME: a label only this sheet has".into());
        let _ = writeln!(o, "# CHECK: no key label found: name cells only this kind of sheet carries");
    }
    let _ = writeln!(o, "all_labels = {}", list(&recognise));
    let _ = writeln!(o);
    let item_cells: Vec<&Cell> = cols
        .iter()
        .filter(|c| c.role == Some(Holds::Item))
        .flat_map(|c| data.iter().filter_map(move |&r| grid.get(r, c.col)))
        .collect();
    let rule = item_cells.iter().find_map(|c| number_rule(&c.raw));
    let _ = writeln!(o, "[item]");
    match rule {
        Some(p) => {
            let example = item_cells
                .first()
                .map(|c| c.raw.trim().chars().take(20).collect::<String>())
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "# The number before the item's title: \"{}\" → its number",
                example.replace('"', "'")
            );
            let _ = writeln!(o, "number_pattern = '{p}'");
        }
        None if number.is_empty() => {
            let _ = writeln!(
                o,
                "# CHECK: the item titles carry no (1) / No.1 number: initiative_no stays empty unless\n\
                 # you add number_pattern = '<regex, group 1 = the number>'"
            );
        }
        None => {
            let _ = writeln!(o, "# The item number has its own column (number_labels below).");
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "[list_table]");
    let _ = writeln!(
        o,
        "# Columns found by their header labels; every other header is read through vocabulary.toml's\n\
         # [header] words and eras (the value columns listed above)."
    );
    // A key the draft could not find keeps a placeholder: the file still
    // compiles, and `check` names the label it looked for.
    let or_placeholder = |v: &[String], what: &str| {
        if v.is_empty() {
            format!(
                "[{}]  # CHECK: write the header label of the {what} column",
                q(&format!("EDIT ME: {what}"))
            )
        } else {
            list(v)
        }
    };
    let _ = writeln!(o, "item_labels = {}", or_placeholder(&item, "item"));
    let _ = writeln!(o, "indicator_labels = {}", or_placeholder(&indicator, "indicator"));
    if !unit.is_empty() {
        let _ = writeln!(o, "unit_labels = {}", list(&unit));
    }
    if !division.is_empty() {
        let _ = writeln!(o, "division_labels = {}", list(&division));
        let known = Known::of(&mappings.layouts);
        match known.division_split.or(known.field_split) {
            // A literal TOML string cannot hold a single quote: fall back then.
            Some(re) if !re.contains('\'') && !re.contains('\n') => {
                let _ = writeln!(o, "division_split = '{re}'");
            }
            _ => {
                let _ = writeln!(
                    o,
                    "# CHECK: how several divisions in one cell are separated (a regex)\ndivision_split = '[,，]+'"
                );
            }
        }
    }
    if !goal.is_empty() {
        let _ = writeln!(o, "goal_labels = {}", list(&goal));
    }
    if !number.is_empty() {
        let _ = writeln!(o, "number_labels = {}", list(&number));
    }
    let summary = read_with_draft(grid, mappings, name, &o);
    o.insert_str(head_len, &summary);
    o.push_str(&test_case(grid, &mappings.vocabulary, name, header, band, data, cols, &o));
    o
}

/// What the draft reads from the whole sheet, and the direction each
/// indicator will be judged in: a lower-is-better one needs a declaration.
fn read_with_draft(grid: &Grid, mappings: &Mappings, name: &str, draft: &str) -> String {
    let Ok(layout) = compile_layout(Path::new(&format!("{name}.toml")), draft) else {
        return "# CHECK: the draft does not compile; run `torikumi check` to see why.\n\n".into();
    };
    let (x, report) = super::extract_sheet(grid, Some(&layout), &mappings.vocabulary, "draft");
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# With this draft the sheet gives {} values of {} indicators in {} items; {} of {} cells\n\
         # are left in diagnostics (`torikumi check -v FILE` lists them).",
        x.observations.len(),
        x.indicators.len(),
        x.initiatives.len(),
        report.cells_unmapped,
        report.cells_read
    );
    if report.value_cells_unread > 0 {
        let _ = writeln!(
            o,
            "# CHECK: {} value cells are read by no column: look for a header the draft lists as not read.",
            report.value_cells_unread
        );
    }
    if !x.indicators.is_empty() {
        let _ = writeln!(
            o,
            "#\n# How each indicator will be judged (mappings/evaluation.toml; lower = target / actual):"
        );
        for ind in &x.indicators {
            let (d, inferred) = mappings.evaluation.direction(&ind.plan, &ind.initiative_no, &ind.indicator);
            let how = if inferred { "by name rule or default" } else { "declared" };
            let _ = writeln!(o, "#   ({}) {} → {} ({how})", ind.initiative_no, ind.indicator, d.as_str());
        }
        let _ = writeln!(
            o,
            "# CHECK: an indicator where lower is better (a waiting time, incidents, paper used) that\n\
             # reads higher here needs an [[indicator]] entry in evaluation.toml with direction = \"lower\"\n\
             # (README, \"Adding a layout\", step 6)."
        );
    }
    o.push('\n');
    o
}

/// The `[[tests]]` case: the header rows and the first two rows with an
/// indicator, and the observations the draft reads from them.
#[allow(clippy::too_many_arguments)]
fn test_case(grid: &Grid, vocab: &Vocabulary, name: &str, header: u32, band: bool, data: &[u32], cols: &[Column], draft: &str) -> String {
    let ind_col = cols.iter().find(|c| c.role == Some(Holds::Indicator)).map(|c| c.col);
    let rows: Vec<u32> = data
        .iter()
        .copied()
        .filter(|&r| ind_col.is_some_and(|c| grid.get(r, c).is_some()))
        .take(2)
        .collect();
    if rows.is_empty() {
        return "\n# CHECK: no data row with an indicator: add a [[tests]] case by hand (README, \"Adding a layout\").\n".into();
    }
    let width = cols.iter().map(|c| c.col).max().unwrap_or(0);
    let mut lines = vec![tsv_line(grid, header, width)];
    if band {
        lines.push(tsv_line(grid, header + 1, width));
    }
    lines.extend(rows.iter().map(|&r| tsv_line(grid, r, width)));
    let input = lines.join("\n");
    // The expectations are what the draft itself reads from the input: the
    // user compares them with the sheet (the CHECK below), and `check` keeps them true.
    let expect = match compile_layout(Path::new(&format!("{name}.toml")), draft) {
        Ok(layout) => {
            let test_grid = crate::source::text::to_grid("test", &input, false);
            let (x, _) = super::extract_sheet(&test_grid, Some(&layout), vocab, "test");
            x.observations
                .iter()
                .filter(|o| o.value.is_some())
                .map(|o| {
                    let mut fields = vec![format!("indicator = {}", q(&o.indicator))];
                    if let Some(y) = o.fiscal_year {
                        fields.push(format!("fiscal_year = {y}"));
                    }
                    fields.push(format!("period = {}", q(o.period.as_str())));
                    fields.push(format!("kind = {}", q(o.kind.as_str())));
                    if let Some(v) = o.value {
                        fields.push(format!("value = {v:?}"));
                    }
                    if let Some(u) = &o.unit {
                        fields.push(format!("unit = {}", q(u)));
                    }
                    format!("  {{ {} }},", fields.join(", "))
                })
                .collect::<Vec<_>>()
        }
        Err(_) => Vec::new(),
    };
    let mut o = String::new();
    let _ = writeln!(o);
    let _ = writeln!(o, "[[tests]]");
    let _ = writeln!(
        o,
        "# CHECK: the rows below are the sheet's header and first two data rows, and `expect` is what\n\
         # this draft reads from them: compare each value with the sheet before you trust the draft."
    );
    let _ = writeln!(o, "name = \"header and the first two rows of {}\"", escape_multiline(&grid.name));
    let _ = writeln!(o, "input = \"\"\"\n{}\n\"\"\"", escape_multiline(&input));
    if expect.is_empty() {
        let _ = writeln!(o, "# CHECK: the draft reads no value from these rows: fix the labels above.");
        let _ = writeln!(o, "expect = []");
    } else {
        let _ = writeln!(o, "expect = [\n{}\n]", expect.join("\n"));
    }
    o
}

/// The sheet's layout name for a file: its stem up to the first dot, spaces as `_`.
pub fn name_for(path: &Path) -> String {
    let stem = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = stem.split('.').next().unwrap_or_default().trim();
    let name: String = stem.chars().map(|c| if c.is_whitespace() { '_' } else { c }).collect();
    if name.is_empty() { "my_list".into() } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::MappingFiles;

    /// The built-in mappings without any list layout: the draft must find the
    /// list's columns from the cells and the per-item layouts' words alone.
    fn without_lists() -> Mappings {
        let mut m = Mappings::from_files(&MappingFiles::built_in()).unwrap();
        m.layouts.retain(|l| l.list_table.is_none());
        m
    }

    fn sample_grid(file: &str) -> Grid {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(file);
        let doc = crate::source::read(&path, &crate::source::Limits::default()).unwrap();
        doc.grids.into_iter().next().unwrap()
    }

    #[test]
    fn the_sample_list_is_drafted_with_no_list_layout_in_force() {
        let m = without_lists();
        for file in ["gunma_dx_kpi_list.xlsx", "gunma_dx_kpi_list.sjis.txt"] {
            let Suggestion::List(toml) = suggest(&sample_grid(file), &m, "my_list") else {
                panic!("{file}: not drafted as a list");
            };
            for line in [
                "item_labels = [\"実施項目\"]",
                "indicator_labels = [\"指標\"]",
                "division_labels = [\"担当課\"]",
                "plan = \"群馬県庁DXアクションプラン\"",
                "#   C: 基準値（R1） → baseline FY2019",
                "{ indicator = \"優先度の高い行政手続電子化率\", fiscal_year = 2021, period = \"FY\", kind = \"target\", value = 32.1, unit = \"%\" },",
            ] {
                assert!(toml.contains(line), "{file}: draft lacks {line:?}:\n{toml}");
            }
            assert!(!toml.contains("already reads this sheet"), "{toml}");
            // The draft compiles and passes its own case.
            let layout = compile_layout(Path::new("my_list.toml"), &toml).unwrap();
            assert_eq!(layout.tests.len(), 1);
            assert!(super::super::run_mapping_tests(&layout, &m.vocabulary).is_empty());
        }
    }

    #[test]
    fn a_sheet_with_no_header_row_says_so() {
        let m = without_lists();
        let grid = crate::source::text::to_grid("memo", "議事録\n出席者 5名\n", false);
        assert!(matches!(suggest(&grid, &m, "memo"), Suggestion::NotFound(t) if t.contains("no header row found")));
        let empty = Grid::new("empty");
        assert!(matches!(suggest(&empty, &m, "empty"), Suggestion::NotFound(_)));
    }

    #[test]
    fn every_sample_sheet_and_odd_grids_give_a_note_or_a_draft_that_compiles() {
        let m = Mappings::from_files(&MappingFiles::built_in()).unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut grids: Vec<Grid> = Vec::new();
        for e in std::fs::read_dir(&dir).unwrap() {
            let doc = crate::source::read(&e.unwrap().path(), &crate::source::Limits::default()).unwrap();
            grids.extend(doc.grids);
        }
        for text in [
            "a\tb\tc\n",
            "a\tb\tc\n1\t2\t3\n",
            "指標\tR5目標\tR5実績\n1\t2\t3\n",
            "\"\\\"\"\"\"\tR5目標\t\\\n(1) x\"\"\"\t5\t6\n",
            "見出し\n\n\n\n\n項目\t指標\t令和5年度\n\t\t目標\n(1) a\t①b\t5\n",
        ] {
            grids.push(crate::source::text::to_grid("odd", text, false));
        }
        let mut lists = 0;
        for g in &grids {
            if let Suggestion::List(toml) = suggest(g, &m, "x") {
                lists += 1;
                let layout = compile_layout(Path::new("x.toml"), &toml).unwrap_or_else(|e| panic!("{e:?}\n{toml}"));
                assert!(
                    super::super::run_mapping_tests(&layout, &m.vocabulary).is_empty(),
                    "{}: {toml}",
                    g.name
                );
            }
        }
        assert!(lists >= 3, "the two sample lists and some odd grids are lists");
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(q("a\"b\\c\td"), "\"a\\\"b\\\\c d\"");
        assert_eq!(name_for(Path::new("dir/my list.sjis.txt")), "my_list");
    }
}
