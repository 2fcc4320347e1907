//! The shared vocabulary (`mappings/vocabulary.toml`): blank markers, status
//! words, units and multipliers, eras, period words. The serde structs mirror
//! the file; [`VocabularySpec::compile`] checks it whole and builds the
//! [`Vocabulary`] that `normalize` applies to cells.

use std::collections::{BTreeMap, HashMap};

use regex::Regex;
use serde::Deserialize;

use super::text::fold_ascii_width;
use crate::model::{Kind, Status};

/// The vocabulary shipped with the crate.
pub const BUILTIN_VOCABULARY_TOML: &str = include_str!("../../mappings/vocabulary.toml");

/// A rule name of the vocabulary's status words (`[[status]] name = "pending"`).
fn status_from_rule_name(s: &str) -> Option<Status> {
    match s {
        "pending" => Some(Status::Pending),
        "not_done" => Some(Status::NotDone),
        "deleted" => Some(Status::Deleted),
        "approx" => Some(Status::Approx),
        // A note beside the value: removed, the status left as it is.
        "note" => Some(Status::Ok),
        _ => None,
    }
}

/// Regex alternation of literal strings, longest first; never matches when
/// the list is empty.
pub(crate) fn alt(items: &[String]) -> String {
    let mut v: Vec<&String> = items.iter().filter(|s| !s.is_empty()).collect();
    v.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    v.dedup();
    if v.is_empty() {
        return r"[^\s\S]".to_string();
    }
    v.iter().map(|s| regex::escape(s)).collect::<Vec<_>>().join("|")
}

pub(crate) fn fold_all(items: &[String]) -> Vec<String> {
    items.iter().map(|s| fold_ascii_width(s)).collect()
}

// ---------------------------------------------------------------------------
// Vocabulary specification (TOML)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularySpec {
    #[serde(default)]
    pub blank_markers: Vec<String>,
    #[serde(default)]
    pub status: Vec<StatusRuleSpec>,
    #[serde(default)]
    pub qualifier_prefixes: Vec<String>,
    #[serde(default)]
    pub ellipses: Vec<String>,
    #[serde(default)]
    pub qualifier_suffixes: Vec<String>,
    /// Words after a value that reverse a target's direction (以下, 未満): they
    /// stay in the unit, so such a target is reported, never read as a plain one.
    #[serde(default)]
    pub reversing_suffixes: Vec<String>,
    #[serde(default)]
    pub footnote_marks: Vec<String>,
    #[serde(default)]
    pub negative_markers: Vec<String>,
    #[serde(default)]
    pub multipliers: Vec<MultiplierSpec>,
    #[serde(default)]
    pub units: Vec<UnitSpec>,
    #[serde(default)]
    pub no_split: Vec<String>,
    #[serde(default)]
    pub unit_aliases: BTreeMap<String, String>,
    #[serde(default)]
    pub eras: Vec<EraSpec>,
    #[serde(default)]
    pub first_year_words: Vec<String>,
    #[serde(default)]
    pub western_prefixes: Vec<String>,
    #[serde(default)]
    pub period: PeriodWordsSpec,
    #[serde(default)]
    pub header: HeaderWordsSpec,
    #[serde(default)]
    pub name_units: NameUnitsSpec,
    #[serde(default)]
    pub sequence_markers: Vec<String>,
    #[serde(default)]
    pub rows: RowWordsSpec,
}

/// `[rows]`: words that, as a table row's whole first cell, make it no indicator.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowWordsSpec {
    /// A row of totals or subtotals (合計, 小計).
    #[serde(default)]
    pub total_labels: Vec<String>,
    /// A row of notes (備考, （注）).
    #[serde(default)]
    pub note_labels: Vec<String>,
    /// Words that make a row, or a sheet by its name, a template's example
    /// (記入例), anywhere in the cell or name.
    #[serde(default)]
    pub example_words: Vec<String>,
    /// Words that make an example only set apart from other words (見本, not
    /// 見本市): a sheet's name holding one between non-letters, or a cell or
    /// title that starts or ends with one (`(例) ○○システムの導入`).
    #[serde(default)]
    pub example_marks: Vec<String>,
    /// A template's placeholder in a name (○○, △△): `○○申請件数` names no indicator.
    #[serde(default)]
    pub placeholder_marks: Vec<String>,
    /// A whole cell that is page furniture left by PDF extraction (a ruling
    /// line, a page number `- 4 -`): a row of nothing else is read as blank.
    #[serde(default)]
    pub furniture_pattern: Option<String>,
}

/// `[name_units]`: a unit written in brackets at the end of an indicator's
/// name (`電子化率（％）`, `受講者数（単位：人）`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameUnitsSpec {
    /// Words that are units there (after a multiplier prefix, 万人 too).
    #[serde(default)]
    pub units: Vec<String>,
    /// Words that introduce a unit there (単位 in `（単位：件）`); any unit-like word may follow.
    #[serde(default)]
    pub prefixes: Vec<String>,
}

/// `[header]`: the words of table headers that name what a column holds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderWordsSpec {
    #[serde(default)]
    pub baseline_words: Vec<String>,
    #[serde(default)]
    pub target_words: Vec<String>,
    #[serde(default)]
    pub actual_words: Vec<String>,
    #[serde(default)]
    pub achievement_words: Vec<String>,
    /// A header word that makes its column's values estimates (実績見込み, 速報): status approx.
    #[serde(default)]
    pub estimate_words: Vec<String>,
    /// A printed status cell that says the target was met (達成).
    #[serde(default)]
    pub achieved_words: Vec<String>,
    /// A printed status cell that says it was not (未達成).
    #[serde(default)]
    pub not_achieved_words: Vec<String>,
    /// Words before a date that dates the document, not its figures
    /// (更新日：令和6年1月15日): never the point in time of a list's actuals.
    #[serde(default)]
    pub record_date_words: Vec<String>,
}

/// What a header word says a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderWord {
    Value(Kind),
    /// A printed achievement (達成率, 達成状況).
    Achievement,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRuleSpec {
    pub pattern: String,
    /// "pending" | "not_done" | "deleted" | "approx"
    pub status: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiplierSpec {
    pub text: String,
    pub factor: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitSpec {
    pub text: String,
    pub base: String,
    #[serde(default = "one")]
    pub factor: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EraSpec {
    pub names: Vec<String>,
    pub start: i32,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodWordsSpec {
    #[serde(default)]
    pub year_suffixes: Vec<String>,
    #[serde(default)]
    pub calendar_year_words: Vec<String>,
    #[serde(default)]
    pub month_words: Vec<String>,
    #[serde(default)]
    pub month_end_markers: Vec<String>,
    /// Words that make a month a point in time as a month-end marker does
    /// (`12月時点`, `12月現在`), after a month only.
    #[serde(default)]
    pub as_of_words: Vec<String>,
    /// A quarter column's header that names the fiscal year's end instead
    /// (`年度末` where `4四半期` goes): the year's last quarter.
    #[serde(default)]
    pub year_end_words: Vec<String>,
    #[serde(default)]
    pub quarter_patterns: Vec<String>,
    #[serde(default)]
    pub half_years: Vec<HalfYearSpec>,
    #[serde(default)]
    pub average_words: Vec<String>,
    #[serde(default)]
    pub range_separators: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HalfYearSpec {
    pub words: Vec<String>,
    pub half: u8,
}

// ---------------------------------------------------------------------------
// Compiled vocabulary
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Vocabulary {
    pub(crate) blank_markers: Vec<String>,
    pub(crate) status_rules: Vec<(Regex, Status)>,
    pub(crate) ellipses: Vec<String>,
    /// Words after a value that make it a lower bound (以上), folded.
    pub(crate) qualifier_suffixes: Vec<String>,
    /// `reversing_suffixes`, folded.
    pub(crate) reversing_suffixes: Vec<String>,
    /// Marks of a footnote after a value (`1,266件※1`), folded.
    pub(crate) footnote_marks: Vec<String>,
    pub(crate) number_re: Regex,
    pub(crate) multipliers: Vec<(String, f64)>,
    pub(crate) units: HashMap<String, (String, f64)>,
    pub(crate) no_split: Vec<String>,
    pub(crate) aliases: HashMap<String, String>,
    pub(crate) era_starts: HashMap<String, i32>,
    pub(crate) first_year_words: Vec<String>,
    pub(crate) year_re: Regex,
    pub(crate) year_suffixes: Vec<String>,
    pub(crate) month_end_markers: Vec<String>,
    /// Quarter headers naming the fiscal year's end (年度末), folded.
    pub(crate) year_end_words: Vec<String>,
    /// The month-end markers and the as-of words (末, 時点), folded: a header
    /// holding none of them names no month's end.
    pub(crate) as_of_markers: Vec<String>,
    /// A month named in a header (`12月`, `2023.12`), dated or not.
    pub(crate) month_mention_re: Regex,
    pub(crate) quarter_res: Vec<Regex>,
    pub(crate) halves: Vec<(String, u8)>,
    pub(crate) average_words: Vec<String>,
    pub(crate) label_pattern: String,
    /// Regex source of one year label alone (`R5`, `令和5年度`, `2023年度`).
    pub(crate) year_label: String,
    /// Header words, longest first.
    pub(crate) header_words: Vec<(String, HeaderWord)>,
    /// Header words that make a column's values estimates (folded).
    pub(crate) estimate_words: Vec<String>,
    /// Words before a document's own date (更新日, 作成日; folded).
    pub(crate) record_date_words: Vec<String>,
    /// Printed status words: (word, achieved?).
    pub(crate) status_words: Vec<(String, bool)>,
    /// "12月末" in a header: the month whose end a value is as of.
    pub(crate) month_end_re: Regex,
    /// "4～6月" in a header: a quarter named by its first and last month.
    pub(crate) month_range_re: Regex,
    /// A month range anywhere in a header (実績値（4～12月）).
    pub(crate) month_span_re: Regex,
    /// Units an indicator's name may end with, in brackets (folded).
    pub(crate) name_units: Vec<String>,
    /// Words that introduce such a unit (`単位：`), folded.
    pub(crate) name_unit_prefixes: Vec<String>,
    /// Letters that number indicators in order, as ① … do (ア, イ, …): the
    /// k-th is number k.
    pub(crate) sequence_markers: Vec<char>,
    /// `[rows]` words, as [`crate::mapping::norm_label`] leaves them.
    pub(crate) total_labels: Vec<String>,
    pub(crate) note_labels: Vec<String>,
    pub(crate) example_words: Vec<String>,
    /// `[rows] example_marks` and `placeholder_marks`, width folded.
    pub(crate) example_marks: Vec<String>,
    pub(crate) placeholder_marks: Vec<String>,
    /// `[rows] furniture_pattern`, matched against a trimmed cell.
    pub(crate) furniture: Option<Regex>,
    /// Tags this vocabulary's results in the per-thread parse memos
    /// (`normalize::memo`); a clone shares them, as nothing changes once built.
    pub(crate) memo_id: u64,
}

fn check_strings(errs: &mut Vec<String>, path: &str, items: &[String]) {
    for (i, s) in items.iter().enumerate() {
        if s.trim().is_empty() {
            errs.push(format!("{path}[{i}]: must not be empty"));
        }
    }
}

impl VocabularySpec {
    /// Validate and compile. Returns every problem found, each prefixed with
    /// its key path (e.g. `status[2].pattern: regex parse error ...`).
    pub fn compile(self) -> Result<Vocabulary, Vec<String>> {
        let mut errs: Vec<String> = Vec::new();
        let p = &self.period;

        check_strings(&mut errs, "blank_markers", &self.blank_markers);
        check_strings(&mut errs, "qualifier_prefixes", &self.qualifier_prefixes);
        check_strings(&mut errs, "ellipses", &self.ellipses);
        check_strings(&mut errs, "qualifier_suffixes", &self.qualifier_suffixes);
        check_strings(&mut errs, "reversing_suffixes", &self.reversing_suffixes);
        check_strings(&mut errs, "footnote_marks", &self.footnote_marks);
        check_strings(&mut errs, "negative_markers", &self.negative_markers);
        check_strings(&mut errs, "no_split", &self.no_split);
        check_strings(&mut errs, "name_units.units", &self.name_units.units);
        check_strings(&mut errs, "name_units.prefixes", &self.name_units.prefixes);
        check_strings(&mut errs, "rows.total_labels", &self.rows.total_labels);
        check_strings(&mut errs, "rows.note_labels", &self.rows.note_labels);
        check_strings(&mut errs, "rows.example_words", &self.rows.example_words);
        check_strings(&mut errs, "rows.example_marks", &self.rows.example_marks);
        check_strings(&mut errs, "rows.placeholder_marks", &self.rows.placeholder_marks);
        for (i, m) in self.sequence_markers.iter().enumerate() {
            if m.chars().count() != 1 {
                errs.push(format!("sequence_markers[{i}]: must be one character, not {m:?}"));
            }
        }
        check_strings(&mut errs, "first_year_words", &self.first_year_words);
        check_strings(&mut errs, "western_prefixes", &self.western_prefixes);
        check_strings(&mut errs, "period.year_suffixes", &p.year_suffixes);
        check_strings(&mut errs, "period.calendar_year_words", &p.calendar_year_words);
        check_strings(&mut errs, "period.month_words", &p.month_words);
        check_strings(&mut errs, "period.month_end_markers", &p.month_end_markers);
        check_strings(&mut errs, "period.year_end_words", &p.year_end_words);
        check_strings(&mut errs, "period.average_words", &p.average_words);
        check_strings(&mut errs, "period.range_separators", &p.range_separators);

        // status rules
        let mut status_rules = Vec::new();
        for (i, r) in self.status.iter().enumerate() {
            let st = status_from_rule_name(r.status.trim());
            if st.is_none() {
                errs.push(format!(
                    "status[{i}].status: unknown status {:?} (expected pending, not_done, deleted, approx or note)",
                    r.status
                ));
            }
            if r.pattern.is_empty() {
                errs.push(format!("status[{i}].pattern: must not be empty"));
                continue;
            }
            match Regex::new(&fold_ascii_width(&r.pattern)) {
                Ok(re) => {
                    if let Some(st) = st {
                        status_rules.push((re, st));
                    }
                }
                Err(e) => errs.push(format!("status[{i}].pattern: {e}")),
            }
        }

        // multipliers and units
        let mut multipliers = Vec::new();
        for (i, m) in self.multipliers.iter().enumerate() {
            if m.text.trim().is_empty() {
                errs.push(format!("multipliers[{i}].text: must not be empty"));
            }
            if !(m.factor.is_finite() && m.factor > 0.0) {
                errs.push(format!("multipliers[{i}].factor: must be a positive number"));
            }
            multipliers.push((fold_ascii_width(&m.text), m.factor));
        }
        multipliers.sort_by_key(|m| std::cmp::Reverse(m.0.chars().count()));
        let mut units = HashMap::new();
        for (i, u) in self.units.iter().enumerate() {
            if u.text.trim().is_empty() {
                errs.push(format!("units[{i}].text: must not be empty"));
            }
            if u.base.trim().is_empty() {
                errs.push(format!("units[{i}].base: must not be empty"));
            }
            if !(u.factor.is_finite() && u.factor > 0.0) {
                errs.push(format!("units[{i}].factor: must be a positive number"));
            }
            let key = fold_ascii_width(&u.text);
            if units.contains_key(&key) {
                errs.push(format!("units[{i}].text: duplicate unit {:?}", u.text));
            }
            units.insert(key, (fold_ascii_width(&u.base), u.factor));
        }
        let mut aliases = HashMap::new();
        for (k, v) in &self.unit_aliases {
            if k.trim().is_empty() || v.trim().is_empty() {
                errs.push(format!("unit_aliases.{k:?}: key and value must not be empty"));
            }
            aliases.insert(fold_ascii_width(k), fold_ascii_width(v));
        }

        // eras
        let mut era_starts = HashMap::new();
        let mut era_names = Vec::new();
        for (i, e) in self.eras.iter().enumerate() {
            if e.names.is_empty() {
                errs.push(format!("eras[{i}].names: must not be empty"));
            }
            for (j, n) in e.names.iter().enumerate() {
                let f = fold_ascii_width(n);
                if f.trim().is_empty() {
                    errs.push(format!("eras[{i}].names[{j}]: must not be empty"));
                    continue;
                }
                if era_starts.insert(f.clone(), e.start).is_some() {
                    errs.push(format!("eras[{i}].names[{j}]: duplicate era name {n:?}"));
                }
                era_names.push(f);
            }
        }

        // half years
        let mut halves = Vec::new();
        for (i, h) in p.half_years.iter().enumerate() {
            if h.half != 1 && h.half != 2 {
                errs.push(format!("period.half_years[{i}].half: must be 1 or 2"));
            }
            check_strings(&mut errs, &format!("period.half_years[{i}].words"), &h.words);
            for w in &h.words {
                halves.push((fold_ascii_width(w), h.half));
            }
        }
        halves.sort_by_key(|h| std::cmp::Reverse(h.0.chars().count()));

        // quarter patterns
        let mut quarter_res = Vec::new();
        let mut quarter_plain = Vec::new();
        for (i, q) in p.quarter_patterns.iter().enumerate() {
            let f = fold_ascii_width(q);
            match Regex::new(&f) {
                Ok(re) => {
                    if re.capture_names().flatten().any(|n| n == "n") {
                        quarter_res.push(re);
                        quarter_plain.push(f.replace("(?P<n>", "(?:").replace("(?<n>", "(?:"));
                    } else {
                        errs.push(format!(
                            "period.quarter_patterns[{i}]: must capture the quarter number in a group named n, e.g. (?P<n>[1-4])"
                        ));
                    }
                }
                Err(e) => errs.push(format!("period.quarter_patterns[{i}]: {e}")),
            }
        }

        // header words, longest first so 目標値 wins over 目標
        let h = &self.header;
        let mut header_words: Vec<(String, HeaderWord)> = Vec::new();
        for (key, words, word) in [
            ("header.baseline_words", &h.baseline_words, HeaderWord::Value(Kind::Baseline)),
            ("header.target_words", &h.target_words, HeaderWord::Value(Kind::Target)),
            ("header.actual_words", &h.actual_words, HeaderWord::Value(Kind::Actual)),
            ("header.achievement_words", &h.achievement_words, HeaderWord::Achievement),
        ] {
            check_strings(&mut errs, key, words);
            header_words.extend(
                fold_all(words)
                    .into_iter()
                    .map(|w| (w.chars().filter(|c| !c.is_whitespace()).collect(), word)),
            );
        }
        header_words.sort_by_key(|w| std::cmp::Reverse(w.0.chars().count()));
        check_strings(&mut errs, "header.estimate_words", &h.estimate_words);
        check_strings(&mut errs, "header.record_date_words", &h.record_date_words);
        check_strings(&mut errs, "header.achieved_words", &h.achieved_words);
        check_strings(&mut errs, "header.not_achieved_words", &h.not_achieved_words);
        let mut status_words: Vec<(String, bool)> = fold_all(&h.achieved_words).into_iter().map(|w| (w, true)).collect();
        status_words.extend(fold_all(&h.not_achieved_words).into_iter().map(|w| (w, false)));
        check_strings(&mut errs, "period.as_of_words", &p.as_of_words);
        let mut as_of_markers = fold_all(&p.month_end_markers);
        as_of_markers.extend(fold_all(&p.as_of_words));
        // 12月末, 12月時点, or a month and day without a year (12/31時点): the point a column is as of.
        let month_end_src = format!(
            r"(?P<m>[0-9]{{1,2}})\s*(?:{})\s*(?:{})|(?:^|[^0-9./])(?P<md>[0-9]{{1,2}})/[0-9]{{1,2}}(?:[^0-9./]|$)",
            alt(&fold_all(&p.month_words)),
            alt(&as_of_markers)
        );
        let month_end_re = Regex::new(&month_end_src);
        if let Err(e) = &month_end_re {
            errs.push(format!("period.month_words/month_end_markers/as_of_words: {e}"));
        }
        // Any month: 12月, or a western year and month (2023.12, 2023/12).
        let month_mention_re = Regex::new(&format!(
            r"[0-9]{{1,2}}\s*(?:{})|(?:^|[^0-9])[0-9]{{4}}[./][0-9]{{1,2}}(?:[^0-9]|$)",
            alt(&fold_all(&p.month_words))
        ));
        if let Err(e) = &month_mention_re {
            errs.push(format!("period.month_words: {e}"));
        }
        // A month range, "4～6月". A header that is one is a quarter; one inside
        // a header (実績値（4～12月）) is a quarter, or from the fiscal year's
        // start to a month's end. Both are read in period.rs.
        let month_range = format!(
            r"(?P<a>[0-9]{{1,2}})\s*(?:{m})?\s*(?:{sep})\s*(?P<b>[0-9]{{1,2}})\s*(?:{m})",
            m = alt(&fold_all(&p.month_words)),
            sep = alt(&fold_all(&p.range_separators))
        );
        let month_range_re = Regex::new(&format!("^{month_range}$"));
        let month_span_re = Regex::new(&format!("(?:^|[^0-9]){month_range}"));
        for re in [&month_range_re, &month_span_re] {
            if let Err(e) = re {
                errs.push(format!("period.month_words/range_separators: {e}"));
            }
        }

        let quals = alt(&fold_all(&self.qualifier_prefixes));
        let negs = alt(&fold_all(&self.negative_markers));
        let number_src = format!(
            r"(?s)^(?:(?P<q>{quals})\s*)?(?P<neg>{negs}|[-+])?\s*(?P<num>[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(?P<rest>.*)$"
        );
        let number_re = Regex::new(&number_src);
        if let Err(e) = &number_re {
            errs.push(format!("qualifier_prefixes/negative_markers: {e}"));
        }

        let era_alt = alt(&era_names);
        let first_alt = alt(&fold_all(&self.first_year_words));
        let wpre_alt = alt(&fold_all(&self.western_prefixes));
        let ysuf_alt = alt(&fold_all(&p.year_suffixes));
        let caly_alt = alt(&fold_all(&p.calendar_year_words));
        let month_alt = alt(&fold_all(&p.month_words));
        let end_alt = alt(&fold_all(&p.month_end_markers));
        let year_src = format!(
            r"(?P<era>{era_alt})\s*(?P<n>[0-9]{{1,2}}|{first_alt})(?:\.(?P<m1>[0-9]{{1,2}})|(?:{caly_alt})(?P<m2>[0-9]{{1,2}})(?:{month_alt}))?|(?:{wpre_alt})\s*(?P<w1>[0-9]{{4}})|(?P<w3>[0-9]{{4}})(?:[./-](?P<m3>[0-9]{{1,2}})(?:[./-][0-9]{{1,2}}|\s*(?:{end_alt}))|(?:{caly_alt})(?P<m4>[0-9]{{1,2}})(?:{month_alt})(?:[0-9]{{1,2}})?)|(?P<w2>[0-9]{{4}})\s*(?:{ysuf_alt})"
        );
        // w3: a western calendar date (2023.12.31, 2023/12/31, 2023年12月, 2023/12末): a point in time;
        // also 2023-12-31, as a date cell typed into a header reads.
        let year_re = Regex::new(&year_src);
        if let Err(e) = &year_re {
            errs.push(format!("eras/first_year_words/western_prefixes/period: {e}"));
        }

        // Pattern of a period label such as "R4上期", "R2~R4平均", "R4.9末".
        let year_plain = format!(
            r"(?:(?:{era_alt})\s*(?:[0-9]{{1,2}}|{first_alt})(?:\.[0-9]{{1,2}}|(?:{caly_alt})[0-9]{{1,2}}(?:{month_alt}))?(?:\s*(?:{ysuf_alt}))?|(?:{wpre_alt})\s*[0-9]{{4}}(?:\s*(?:{ysuf_alt}))?|[0-9]{{4}}\s*(?:{ysuf_alt}))"
        );
        let rsep_alt = alt(&fold_all(&p.range_separators));
        let mut pwords: Vec<String> = Vec::new();
        pwords.extend(halves.iter().map(|h| h.0.clone()));
        pwords.extend(fold_all(&p.average_words));
        pwords.extend(fold_all(&p.month_end_markers));
        let mut pword_alt = alt(&pwords);
        for q in &quarter_plain {
            pword_alt.push_str(&format!("|(?:{q})"));
        }
        let label_pattern = format!(r"(?:{year_plain}(?:\s*(?:{rsep_alt})\s*{year_plain})?(?:\s*(?:{pword_alt}))*)");
        if let Err(e) = Regex::new(&label_pattern) {
            errs.push(format!("period: {e}"));
        }

        let furniture = match self.rows.furniture_pattern.as_deref().map(Regex::new) {
            Some(Err(e)) => {
                errs.push(format!("rows.furniture_pattern: {e}"));
                None
            }
            other => other.and_then(Result::ok),
        };

        if !errs.is_empty() {
            return Err(errs);
        }
        let (Ok(number_re), Ok(year_re), Ok(month_end_re), Ok(month_range_re), Ok(month_span_re), Ok(month_mention_re)) =
            (number_re, year_re, month_end_re, month_range_re, month_span_re, month_mention_re)
        else {
            return Err(vec!["internal: regex compilation failed".to_string()]);
        };
        let mut ellipses = fold_all(&self.ellipses);
        ellipses.sort_by_key(|e| std::cmp::Reverse(e.len()));
        Ok(Vocabulary {
            blank_markers: fold_all(&self.blank_markers).into_iter().map(|s| s.trim().to_string()).collect(),
            status_rules,
            ellipses,
            qualifier_suffixes: fold_all(&self.qualifier_suffixes),
            reversing_suffixes: fold_all(&self.reversing_suffixes),
            footnote_marks: fold_all(&self.footnote_marks),
            number_re,
            multipliers,
            units,
            no_split: fold_all(&self.no_split),
            aliases,
            era_starts,
            first_year_words: fold_all(&self.first_year_words),
            year_re,
            year_suffixes: fold_all(&p.year_suffixes),
            month_end_markers: fold_all(&p.month_end_markers),
            year_end_words: fold_all(&p.year_end_words),
            as_of_markers,
            month_mention_re,
            quarter_res,
            halves,
            average_words: fold_all(&p.average_words),
            label_pattern,
            year_label: year_plain,
            header_words,
            estimate_words: fold_all(&self.header.estimate_words),
            record_date_words: fold_all(&self.header.record_date_words),
            status_words,
            month_end_re,
            month_range_re,
            month_span_re,
            name_units: fold_all(&self.name_units.units),
            name_unit_prefixes: fold_all(&self.name_units.prefixes),
            sequence_markers: fold_all(&self.sequence_markers).iter().filter_map(|m| m.chars().next()).collect(),
            total_labels: self.rows.total_labels.iter().map(|l| crate::mapping::norm_label(l)).collect(),
            note_labels: self.rows.note_labels.iter().map(|l| crate::mapping::norm_label(l)).collect(),
            example_words: self.rows.example_words.iter().map(|l| crate::mapping::norm_label(l)).collect(),
            example_marks: self.rows.example_marks.iter().map(|l| crate::mapping::norm_label(l)).collect(),
            placeholder_marks: self.rows.placeholder_marks.iter().map(|l| crate::mapping::norm_label(l)).collect(),
            furniture,
            memo_id: next_memo_id(),
        })
    }
}

/// A new vocabulary's tag in the parse memos: never 0 (an empty memo's), never reused.
fn next_memo_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Vocabulary {
    /// What a printed achievement-status cell says: `Some(true)` for 達成,
    /// `Some(false)` for 未達成 (the whole cell, width-folded, spaces removed).
    pub fn achieved_word(&self, text: &str) -> Option<bool> {
        let t: String = fold_ascii_width(text).chars().filter(|c| !c.is_whitespace()).collect();
        self.status_words.iter().find(|(w, _)| *w == t).map(|&(_, a)| a)
    }

    /// Parse and compile a vocabulary TOML document.
    pub fn from_toml_str(s: &str) -> Result<Vocabulary, Vec<String>> {
        let spec: VocabularySpec = toml::from_str(s).map_err(|e| vec![format!("toml: {}", e.to_string().trim())])?;
        spec.compile()
    }

    /// The vocabulary shipped in `mappings/vocabulary.toml`.
    pub fn builtin() -> Result<Vocabulary, Vec<String>> {
        Self::from_toml_str(BUILTIN_VOCABULARY_TOML)
    }

    /// Regex source (no capture groups) matching a period label such as
    /// "R5", "R4上期", "R2~R4平均", "R4.9末" in width-folded text.
    pub fn period_label_pattern(&self) -> &str {
        &self.label_pattern
    }

    /// Regex source (no capture groups) matching one year label alone
    /// ("R5", "令和5年度", "2023年度") in width-folded text: the items of a
    /// list of years (`R5・R6・R7：60課所`).
    pub fn year_label_pattern(&self) -> &str {
        &self.year_label
    }
}

/// The marker strings of the inline KPI syntax (from a mapping file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlineKpiSyntax {
    /// Starts a KPI block.
    pub marker: String,
    /// Other spellings of `marker`, read as it.
    pub other_markers: Vec<String>,
    /// Between a KPI name and its values, and between a year label and a value.
    pub name_separators: Vec<String>,
    /// Parenthesised notes that are kept as `InlineKpi::note`.
    pub repeat_note: Vec<String>,
    /// Words allowed between a year label and its separator (`R3実績：`).
    pub label_words: Vec<String>,
    /// Label words that make the value an estimate (`R4見込：`).
    pub estimate_words: Vec<String>,
    /// A range's value holds for each year when it starts with one (`各60課所`).
    pub each_words: Vec<String>,
    /// Between the years of a list that share one value (`R5・R6・R7：60課所`):
    /// the value is each listed year's.
    pub year_joiners: Vec<String>,
    /// (open, close) pairs read as `(` and `)` are (`【R4上期：54.7%】`).
    #[serde(default)]
    pub other_brackets: Vec<(char, char)>,
}
