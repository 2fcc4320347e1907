//! Cell normalisation for torikumi.
//!
//! Turns the text (or typed Excel value) of one cell of an initiative/KPI
//! tracking sheet into a value, a unit and a status; reads Japanese fiscal
//! years and period labels; reads circled indicator markers; and parses the
//! inline KPI syntax used in goal cells.
//!
//! Every document-specific word (units, blank markers, status words, era
//! names, period words) comes from the vocabulary TOML
//! (`mappings/vocabulary.toml`); this file only contains generic logic.
//! Nothing here panics on any input.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use regex::{Captures, Regex};
use serde::Deserialize;

pub use crate::model::{Period, Status};

/// The vocabulary shipped with the crate.
pub const BUILTIN_VOCABULARY_TOML: &str = include_str!("../mappings/vocabulary.toml");

// ---------------------------------------------------------------------------
// Public value types
// ---------------------------------------------------------------------------

/// A rule name of the vocabulary's status words (`[[status]] name = "pending"`).
fn status_from_rule_name(s: &str) -> Option<Status> {
    match s {
        "pending" => Some(Status::Pending),
        "not_done" => Some(Status::NotDone),
        "deleted" => Some(Status::Deleted),
        "approx" => Some(Status::Approx),
        _ => None,
    }
}

/// A normalised cell value.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub status: Status,
}

impl Parsed {
    fn no_value(status: Status) -> Parsed {
        Parsed {
            value: None,
            unit: None,
            status,
        }
    }
}

/// A period: fiscal year (Gregorian start year), kind, and for point-in-time
/// values the date.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodSpec {
    pub fiscal_year: Option<i32>,
    pub period: Period,
    pub as_of: Option<NaiveDate>,
}

// ---------------------------------------------------------------------------
// Generic helpers
// ---------------------------------------------------------------------------

/// Fold full-width ASCII (U+FF01..U+FF5E) to half-width and the ideographic
/// space U+3000 to a plain space. Nothing else is changed (no NFKC).
pub fn fold_ascii_width(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Round to 10 significant digits (removes binary float noise such as
/// 0.6559999999999999 * 100).
fn round_sig(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{:.9e}", v).parse().unwrap_or(v)
}

/// Regex alternation of literal strings, longest first; never matches when
/// the list is empty.
fn alt(items: &[String]) -> String {
    let mut v: Vec<&String> = items.iter().filter(|s| !s.is_empty()).collect();
    v.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    v.dedup();
    if v.is_empty() {
        return r"[^\s\S]".to_string();
    }
    v.iter().map(|s| regex::escape(s)).collect::<Vec<_>>().join("|")
}

fn fold_all(items: &[String]) -> Vec<String> {
    items.iter().map(|s| fold_ascii_width(s)).collect()
}

fn char_before(s: &str, at: usize) -> Option<char> {
    s.get(..at).and_then(|p| p.chars().next_back())
}

fn char_at(s: &str, at: usize) -> Option<char> {
    s.get(at..).and_then(|p| p.chars().next())
}

/// Next char boundary strictly after `at`.
fn next_boundary(s: &str, at: usize) -> usize {
    match char_at(s, at) {
        Some(c) => at + c.len_utf8(),
        None => s.len() + 1,
    }
}

fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year.checked_add(1)?, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

fn is_circled_number(c: char) -> Option<u32> {
    let u = c as u32;
    match u {
        0x2460..=0x2473 => Some(u - 0x2460 + 1),
        0x3251..=0x325F => Some(u - 0x3251 + 21),
        0x32B1..=0x32BF => Some(u - 0x32B1 + 36),
        _ => None,
    }
}

fn is_open_paren(c: char) -> bool {
    c == '(' || c == '\u{FF08}'
}

fn is_close_paren(c: char) -> bool {
    c == ')' || c == '\u{FF09}'
}

/// Whitespace including the ideographic space.
fn trim_ws(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
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
    blank_markers: Vec<String>,
    status_rules: Vec<(Regex, Status)>,
    ellipses: Vec<String>,
    number_re: Regex,
    multipliers: Vec<(String, f64)>,
    units: HashMap<String, (String, f64)>,
    no_split: Vec<String>,
    aliases: HashMap<String, String>,
    era_starts: HashMap<String, i32>,
    first_year_words: Vec<String>,
    year_re: Regex,
    year_suffixes: Vec<String>,
    month_end_markers: Vec<String>,
    quarter_res: Vec<Regex>,
    halves: Vec<(String, u8)>,
    average_words: Vec<String>,
    label_pattern: String,
}

#[derive(Debug, Clone, Copy)]
struct YearTok {
    end: usize,
    /// The printed (calendar / fiscal) year.
    year: i32,
    month: Option<u32>,
}

impl YearTok {
    fn fiscal_year(&self) -> i32 {
        match self.month {
            Some(m) if m < 4 => self.year - 1,
            _ => self.year,
        }
    }
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
        check_strings(&mut errs, "negative_markers", &self.negative_markers);
        check_strings(&mut errs, "no_split", &self.no_split);
        check_strings(&mut errs, "first_year_words", &self.first_year_words);
        check_strings(&mut errs, "western_prefixes", &self.western_prefixes);
        check_strings(&mut errs, "period.year_suffixes", &p.year_suffixes);
        check_strings(&mut errs, "period.calendar_year_words", &p.calendar_year_words);
        check_strings(&mut errs, "period.month_words", &p.month_words);
        check_strings(&mut errs, "period.month_end_markers", &p.month_end_markers);
        check_strings(&mut errs, "period.average_words", &p.average_words);
        check_strings(&mut errs, "period.range_separators", &p.range_separators);

        // status rules
        let mut status_rules = Vec::new();
        for (i, r) in self.status.iter().enumerate() {
            let st = status_from_rule_name(r.status.trim());
            if st.is_none() {
                errs.push(format!(
                    "status[{i}].status: unknown status {:?} (expected pending, not_done, deleted or approx)",
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
        let year_src = format!(
            r"(?P<era>{era_alt})\s*(?P<n>[0-9]{{1,2}}|{first_alt})(?:\.(?P<m1>[0-9]{{1,2}})|(?:{caly_alt})(?P<m2>[0-9]{{1,2}})(?:{month_alt}))?|(?:{wpre_alt})\s*(?P<w1>[0-9]{{4}})|(?P<w2>[0-9]{{4}})\s*(?:{ysuf_alt})"
        );
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

        if !errs.is_empty() {
            return Err(errs);
        }
        let (Ok(number_re), Ok(year_re)) = (number_re, year_re) else {
            return Err(vec!["internal: regex compilation failed".to_string()]);
        };
        let mut ellipses = fold_all(&self.ellipses);
        ellipses.sort_by_key(|e| std::cmp::Reverse(e.len()));
        Ok(Vocabulary {
            blank_markers: fold_all(&self.blank_markers).into_iter().map(|s| s.trim().to_string()).collect(),
            status_rules,
            ellipses,
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
            quarter_res,
            halves,
            average_words: fold_all(&p.average_words),
            label_pattern,
        })
    }
}

impl Vocabulary {
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

    fn is_blank_marker(&self, folded_trimmed: &str) -> bool {
        self.blank_markers.iter().any(|m| m == folded_trimmed)
    }

    fn strip_ellipses<'s>(&self, mut s: &'s str) -> &'s str {
        loop {
            let before = s;
            for e in &self.ellipses {
                if let Some(r) = s.strip_prefix(e.as_str()) {
                    s = trim_ws(r);
                }
                if let Some(r) = s.strip_suffix(e.as_str()) {
                    s = trim_ws(r);
                }
            }
            if s.len() == before.len() {
                return s;
            }
        }
    }

    /// A cell's text → value/unit/status.
    ///
    /// Trim, fold full-width ASCII, blank markers → `Blank`; status rules in
    /// order (pending / not_done / deleted → no value; approx words removed
    /// and the number kept); then `[qualifier] [negative] number [unit]`
    /// must consume the whole cell, otherwise `Text` with no value.
    pub fn parse_value(&self, raw: &str) -> Parsed {
        let folded = fold_ascii_width(raw);
        let s = trim_ws(&folded);
        if s.is_empty() || self.is_blank_marker(s) {
            return Parsed::no_value(Status::Blank);
        }
        let mut body = s.to_string();
        let mut approx = false;
        for (re, st) in &self.status_rules {
            if !re.is_match(&body) {
                continue;
            }
            if *st == Status::Approx {
                approx = true;
                body = trim_ws(&re.replace_all(&body, "")).to_string();
            } else {
                return Parsed::no_value(*st);
            }
        }
        let body = self.strip_ellipses(trim_ws(&body));
        match self.parse_number_unit(body) {
            Some((v, unit)) => Parsed {
                value: Some(v),
                unit,
                status: if approx { Status::Approx } else { Status::Ok },
            },
            None => Parsed::no_value(Status::Text),
        }
    }

    fn parse_number_unit(&self, s: &str) -> Option<(f64, Option<String>)> {
        let c = self.number_re.captures(s)?;
        let num: f64 = c.name("num")?.as_str().replace(',', "").parse().ok()?;
        if !num.is_finite() {
            return None;
        }
        let neg = c.name("neg").is_some_and(|m| m.as_str() != "+");
        let v = if neg { -num } else { num };
        let rest = trim_ws(c.name("rest").map_or("", |m| m.as_str()));
        let rest = self.strip_ellipses(rest);
        if rest.is_empty() {
            return Some((v, None));
        }
        if !looks_like_unit(rest) {
            return None;
        }
        let (v, unit) = self.fold_unit(v, rest);
        if !v.is_finite() {
            return None;
        }
        Some((v, unit))
    }

    fn alias<'s>(&'s self, u: &'s str) -> &'s str {
        self.aliases.get(u).map_or(u, |s| s.as_str())
    }

    /// Apply aliases, explicit units and multiplier prefixes.
    fn fold_unit(&self, v: f64, unit: &str) -> (f64, Option<String>) {
        let u = self.alias(unit);
        if let Some((base, f)) = self.units.get(u) {
            return (round_sig(v * f), Some(base.clone()));
        }
        if self.no_split.iter().any(|n| n == u) {
            return (v, Some(u.to_string()));
        }
        for (m, f) in &self.multipliers {
            if let Some(rest) = u.strip_prefix(m.as_str()) {
                let rest = trim_ws(rest);
                if rest.is_empty() {
                    return (round_sig(v * f), None);
                }
                let rest = self.alias(rest);
                if let Some((base, f2)) = self.units.get(rest) {
                    return (round_sig(v * f * f2), Some(base.clone()));
                }
                return (round_sig(v * f), Some(rest.to_string()));
            }
        }
        (v, Some(u.to_string()))
    }

    /// A typed numeric cell with its Excel number format.
    pub fn parse_typed(&self, v: f64, number_format: Option<&str>) -> Parsed {
        if !v.is_finite() {
            return Parsed::no_value(Status::Text);
        }
        let fmt = number_format.map(str::trim).unwrap_or("");
        if fmt.is_empty() || fmt.eq_ignore_ascii_case("general") {
            return Parsed {
                value: Some(v),
                unit: None,
                status: Status::Ok,
            };
        }
        let info = scan_format(fmt);
        if info.date_like {
            return Parsed {
                value: Some(v),
                unit: None,
                status: Status::Ok,
            };
        }
        let mut x = v;
        for _ in 0..info.scale_commas.min(8) {
            x /= 1000.0;
        }
        if info.percent {
            x *= 100.0;
        }
        x = round_sig(x);
        let lit = fold_ascii_width(trim_ws(&info.literal));
        let lit = trim_ws(&lit);
        let (x, unit) = if info.percent {
            (x, Some("%".to_string()))
        } else if lit.is_empty() {
            (x, None)
        } else {
            self.fold_unit(x, lit)
        };
        if !x.is_finite() {
            return Parsed::no_value(Status::Text);
        }
        Parsed {
            value: Some(x),
            unit,
            status: Status::Ok,
        }
    }

    /// All year tokens (era or western) in folded text, left to right.
    fn year_tokens(&self, s: &str) -> Vec<YearTok> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos <= s.len() {
            let Some(c) = self.year_re.captures_at(s, pos) else {
                break;
            };
            let Some(m) = c.get(0) else { break };
            match self.year_tok_from(s, &c) {
                Some(t) => {
                    out.push(t);
                    pos = if m.end() > m.start() {
                        m.end()
                    } else {
                        next_boundary(s, m.start())
                    };
                }
                None => pos = next_boundary(s, m.start()),
            }
        }
        out
    }

    fn year_tok_from(&self, s: &str, c: &Captures) -> Option<YearTok> {
        let m = c.get(0)?;
        let (start, end) = (m.start(), m.end());
        if let Some(era) = c.name("era") {
            let name = era.as_str();
            if name.chars().last().is_some_and(|ch| ch.is_ascii_alphabetic())
                && char_before(s, start).is_some_and(|ch| ch.is_ascii_alphanumeric())
            {
                return None;
            }
            let era_start = *self.era_starts.get(name)?;
            let n_txt = c.name("n")?.as_str();
            let n: i32 = if self.first_year_words.iter().any(|w| w == n_txt) {
                1
            } else {
                n_txt.parse().ok()?
            };
            if n < 1 {
                return None;
            }
            let month_m = c.name("m1").or_else(|| c.name("m2"));
            // reject a longer digit run ("R123", "R4.123")
            let tail_end = month_m.map_or(c.name("n")?.end(), |mm| mm.end());
            if char_at(s, tail_end).is_some_and(|ch| ch.is_ascii_digit()) && month_m.is_none() {
                return None;
            }
            let year = era_start.checked_add(n - 1)?;
            let month = month_m
                .and_then(|mm| mm.as_str().parse::<u32>().ok())
                .filter(|mo| (1..=12).contains(mo));
            let end = if month_m.is_some() && month.is_none() {
                // not a month: the token is only the year
                c.name("n")?.end()
            } else {
                end
            };
            return Some(YearTok { end, year, month });
        }
        let w = c.name("w1").or_else(|| c.name("w2"))?;
        if char_before(s, w.start()).is_some_and(|ch| ch.is_ascii_digit()) || char_at(s, w.end()).is_some_and(|ch| ch.is_ascii_digit()) {
            return None;
        }
        let year: i32 = w.as_str().parse().ok()?;
        Some(YearTok { end, year, month: None })
    }

    /// The Japanese label of a fiscal year, from the vocabulary's eras: the era
    /// with the latest start not after `fy`, its first non-ASCII name (令和, not R),
    /// the first-year word for year 1, and the first year suffix: 2023 → 令和5年度.
    pub fn wareki_fiscal_year(&self, fy: i32) -> Option<String> {
        let (name, start) = self
            .era_starts
            .iter()
            .filter(|(name, start)| **start <= fy && !name.is_ascii())
            .max_by_key(|(name, start)| (**start, name.chars().count()))?;
        let n = fy - start + 1;
        let number = match self.first_year_words.first() {
            Some(word) if n == 1 => word.clone(),
            _ => n.to_string(),
        };
        Some(format!(
            "{name}{number}{}",
            self.year_suffixes.first().map(String::as_str).unwrap_or("")
        ))
    }

    /// Japanese (or western) fiscal year → Gregorian start year. The first
    /// year found anywhere in the text ("R5目標値" → 2023). For a
    /// "year.month" token the printed year is returned.
    pub fn parse_fiscal_year(&self, s: &str) -> Option<i32> {
        let f = fold_ascii_width(s);
        self.year_tokens(&f).first().map(|t| t.year)
    }

    /// Period spec of a short label ("R4上期", "R4.9末", "R1~R3平均", "1四半期").
    pub fn parse_period(&self, s: &str) -> Option<PeriodSpec> {
        let f = fold_ascii_width(s);
        let t = trim_ws(&f);
        let toks = self.year_tokens(t);
        let first = toks.first();
        let last = toks.last();
        let contains_any = |words: &[String]| words.iter().any(|w| t.contains(w.as_str()));

        if contains_any(&self.average_words) {
            return Some(PeriodSpec {
                fiscal_year: last.map(|x| x.fiscal_year()),
                period: Period::Avg,
                as_of: None,
            });
        }
        for re in &self.quarter_res {
            if let Some(c) = re.captures(t)
                && let Some(n) = c.name("n").and_then(|m| m.as_str().parse::<u8>().ok())
                && (1..=4).contains(&n)
            {
                return Some(PeriodSpec {
                    fiscal_year: first.map(|x| x.fiscal_year()),
                    period: Period::Q(n),
                    as_of: None,
                });
            }
        }
        for (w, h) in &self.halves {
            if t.contains(w.as_str()) {
                return Some(PeriodSpec {
                    fiscal_year: first.map(|x| x.fiscal_year()),
                    period: Period::H(*h),
                    as_of: None,
                });
            }
        }
        let tok = if toks.len() > 1 { last? } else { first? };
        if let Some(m) = tok.month {
            return Some(PeriodSpec {
                fiscal_year: Some(tok.fiscal_year()),
                period: Period::AsOf,
                as_of: end_of_month(tok.year, m),
            });
        }
        // "R3末" / "R3年度末": end of the fiscal year
        let mut rest = trim_ws(t.get(tok.end..).unwrap_or(""));
        for suf in &self.year_suffixes {
            if let Some(r) = rest.strip_prefix(suf.as_str()) {
                rest = trim_ws(r);
                break;
            }
        }
        if self.month_end_markers.iter().any(|m| rest.starts_with(m.as_str())) {
            return Some(PeriodSpec {
                fiscal_year: Some(tok.year),
                period: Period::AsOf,
                as_of: tok.year.checked_add(1).and_then(|y| NaiveDate::from_ymd_opt(y, 3, 31)),
            });
        }
        Some(PeriodSpec {
            fiscal_year: Some(tok.year),
            period: Period::FY,
            as_of: None,
        })
    }

    /// Leading circled indicator marker: "①名前" → (1, "名前");
    /// "(②名前)" → (2, "名前") with the closing paren removed.
    #[allow(clippy::needless_lifetimes)]
    pub fn parse_indicator_marker<'a>(&self, s: &'a str) -> Option<(u32, String)> {
        let t = trim_ws(s);
        let mut chars = t.char_indices();
        let (_, c0) = chars.next()?;
        let (paren, body) = if is_open_paren(c0) {
            (true, trim_ws(&t[c0.len_utf8()..]))
        } else {
            (false, t)
        };
        let c = body.chars().next()?;
        let n = is_circled_number(c)?;
        let mut name = trim_ws(&body[c.len_utf8()..]);
        if paren
            && let Some(last) = name.chars().last()
            && is_close_paren(last)
        {
            name = trim_ws(&name[..name.len() - last.len_utf8()]);
        }
        Some((n, name.to_string()))
    }

    /// Same as the free function [`is_parenthesised_indicator`].
    pub fn is_parenthesised_indicator(&self, s: &str) -> bool {
        is_parenthesised_indicator(s)
    }

    /// All circled indicator numbers in a cell ("①② ③④" → [1, 2, 3, 4]),
    /// in order of appearance, without duplicates.
    pub fn indicator_numbers(&self, s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for n in s.chars().filter_map(is_circled_number) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
}

/// True for the "(②…)" / "（②…）" form (used to flag deleted indicators).
pub fn is_parenthesised_indicator(s: &str) -> bool {
    let t = trim_ws(s);
    let mut it = t.chars();
    match it.next() {
        Some(c) if is_open_paren(c) => {}
        _ => return false,
    }
    it.as_str().trim_start().chars().next().and_then(is_circled_number).is_some()
}

/// A run of 1..=6 non-digit, non-space, non-bracket characters.
fn looks_like_unit(s: &str) -> bool {
    let n = s.chars().count();
    if n == 0 || n > 6 {
        return false;
    }
    s.chars().all(|c| {
        if c.is_whitespace() || c.is_numeric() || c.is_control() {
            return false;
        }
        if c.is_ascii_punctuation() {
            return matches!(c, '%' | '/' | '.' | '\'' | '"' | '&' | '-');
        }
        let u = c as u32;
        // CJK symbols & punctuation (brackets, commas) except the iteration mark U+3005;
        // general punctuation (dashes, ellipses); full-width forms left after folding.
        if (0x3000..=0x303F).contains(&u) && u != 0x3005 {
            return false;
        }
        if (0x2010..=0x206F).contains(&u) {
            return false;
        }
        if (0xFF00..=0xFF65).contains(&u) {
            return false;
        }
        is_circled_number(c).is_none()
    })
}

struct FormatInfo {
    percent: bool,
    literal: String,
    scale_commas: u32,
    date_like: bool,
}

fn scan_format(fmt: &str) -> FormatInfo {
    // first section only
    let mut section: Vec<char> = Vec::new();
    let mut in_q = false;
    let mut esc = false;
    for c in fmt.chars() {
        if esc {
            esc = false;
        } else if c == '\\' && !in_q {
            esc = true;
        } else if c == '"' {
            in_q = !in_q;
        } else if c == ';' && !in_q {
            break;
        }
        section.push(c);
    }
    let mut info = FormatInfo {
        percent: false,
        literal: String::new(),
        scale_commas: 0,
        date_like: false,
    };
    let is_dp = |c: char| matches!(c, '0' | '#' | '?');
    let mut i = 0;
    let mut in_q = false;
    while i < section.len() {
        let c = section[i];
        if in_q {
            if c == '"' {
                in_q = false;
            } else {
                info.literal.push(c);
            }
            i += 1;
            continue;
        }
        match c {
            '"' => in_q = true,
            '\\' => {
                if let Some(&n) = section.get(i + 1) {
                    info.literal.push(n);
                    i += 1;
                }
            }
            '[' => {
                while i < section.len() && section[i] != ']' {
                    i += 1;
                }
            }
            '_' | '*' => i += 1,
            '%' => info.percent = true,
            ',' => {
                let prev = i > 0 && (is_dp(section[i - 1]) || section[i - 1] == ',');
                let next = section.get(i + 1).is_some_and(|&n| is_dp(n));
                if prev && !next {
                    info.scale_commas += 1;
                }
            }
            'y' | 'Y' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' => info.date_like = true,
            c if !c.is_ascii() => info.literal.push(c),
            _ => {}
        }
        i += 1;
    }
    info
}

// ---------------------------------------------------------------------------
// Inline KPI syntax ("... 〔KPI〕 name … R5：65% R6：78%（R4上期：54.7%）")
// ---------------------------------------------------------------------------

/// The marker strings of the inline KPI syntax (from a mapping file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlineKpiSyntax {
    /// Starts a KPI block.
    pub marker: String,
    /// Between a KPI name and its values, and between a year label and a value.
    pub name_separators: Vec<String>,
    /// Parenthesised notes that are kept as `InlineKpi::note`.
    pub repeat_note: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KpiKind {
    Target,
    Baseline,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KpiEntry {
    pub spec: PeriodSpec,
    pub kind: KpiKind,
    /// The entry as printed, e.g. "R5：65%".
    pub raw: String,
    /// The value part as printed, e.g. "65%".
    pub value_raw: String,
    pub parsed: Parsed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InlineKpi {
    pub name: String,
    pub entries: Vec<KpiEntry>,
    pub note: Option<String>,
}

/// Folded text with a map back to byte offsets of the original.
struct FoldMap<'a> {
    orig: &'a str,
    text: String,
    /// (folded offset, original offset) at every char boundary.
    map: Vec<(usize, usize)>,
}

impl<'a> FoldMap<'a> {
    fn new(orig: &'a str) -> FoldMap<'a> {
        let mut text = String::with_capacity(orig.len());
        let mut map = Vec::with_capacity(orig.len() + 1);
        for (ob, c) in orig.char_indices() {
            map.push((text.len(), ob));
            text.push(fold_char(c));
        }
        map.push((text.len(), orig.len()));
        FoldMap { orig, text, map }
    }

    fn to_orig(&self, f: usize) -> usize {
        match self.map.binary_search_by(|(fo, _)| fo.cmp(&f)) {
            Ok(i) => self.map[i].1,
            Err(i) => self.map.get(i).map_or(self.orig.len(), |x| x.1),
        }
    }

    fn orig_slice(&self, a: usize, b: usize) -> &'a str {
        let (oa, ob) = (self.to_orig(a), self.to_orig(b));
        self.orig.get(oa..ob.max(oa)).unwrap_or("")
    }
}

enum EventKind {
    Target(KpiEntry),
    Baseline(Vec<KpiEntry>),
    Note(String),
}

struct Event {
    start: usize,
    end: usize,
    kind: EventKind,
}

struct InlineCtx<'v> {
    vocab: &'v Vocabulary,
    entry_re: std::sync::Arc<Regex>,
    seps: Vec<String>,
    notes: Vec<String>,
}

impl InlineCtx<'_> {
    /// Entries "label sep value" in `fm.text[a..b]`, with folded offsets.
    fn entries_in(&self, fm: &FoldMap, a: usize, b: usize, kind: KpiKind) -> Vec<(usize, usize, KpiEntry)> {
        let mut out = Vec::new();
        let Some(hay) = fm.text.get(..b) else {
            return out;
        };
        let mut pos = a;
        while pos <= hay.len() {
            let Some(c) = self.entry_re.captures_at(hay, pos) else {
                break;
            };
            let (Some(m), Some(lab), Some(val)) = (c.get(0), c.name("label"), c.name("value")) else {
                break;
            };
            if char_before(hay, m.start()).is_some_and(|ch| ch.is_ascii_alphanumeric()) {
                pos = next_boundary(hay, m.start());
                continue;
            }
            let spec = self.vocab.parse_period(lab.as_str()).unwrap_or(PeriodSpec {
                fiscal_year: None,
                period: Period::FY,
                as_of: None,
            });
            let value_raw = fm.orig_slice(val.start(), val.end()).to_string();
            let entry = KpiEntry {
                spec,
                kind,
                raw: fm.orig_slice(m.start(), m.end()).to_string(),
                parsed: self.vocab.parse_value(&value_raw),
                value_raw,
            };
            out.push((m.start(), m.end(), entry));
            pos = if m.end() > m.start() {
                m.end()
            } else {
                next_boundary(hay, m.start())
            };
        }
        out
    }

    /// Strip whitespace and separators from both ends.
    fn clean<'s>(&self, mut s: &'s str) -> &'s str {
        loop {
            let before = s.len();
            s = trim_ws(s);
            for sep in &self.seps {
                if let Some(r) = s.strip_prefix(sep.as_str()) {
                    s = r;
                }
                if let Some(r) = s.strip_suffix(sep.as_str()) {
                    s = r;
                }
            }
            if s.len() == before {
                return s;
            }
        }
    }

    /// A gap between events → (name, label-less value entry).
    fn split_gap(&self, fm: &FoldMap, a: usize, b: usize) -> (Option<String>, Option<KpiEntry>) {
        let folded = fm.text.get(a..b).unwrap_or("");
        if trim_ws(self.clean(folded)).is_empty() {
            return (None, None);
        }
        // label-less value after the last separator ("点検施設数 … 計137施設")
        let mut best: Option<(usize, usize)> = None;
        for sep in &self.seps {
            if let Some(i) = folded.rfind(sep.as_str())
                && best.is_none_or(|(bi, _)| i > bi)
            {
                best = Some((i, i + sep.len()));
            }
        }
        if let Some((si, se)) = best {
            let cand_f = folded.get(se..).unwrap_or("");
            let lead = cand_f.len() - cand_f.trim_start().len();
            let cand_f = trim_ws(cand_f);
            if !cand_f.is_empty() {
                let cand_orig = fm.orig_slice(a + se + lead, a + se + lead + cand_f.len());
                let parsed = self.vocab.parse_value(cand_orig);
                if parsed.value.is_some() {
                    let name = trim_ws(self.clean(fm.orig_slice(a, a + si))).to_string();
                    let entry = KpiEntry {
                        spec: PeriodSpec {
                            fiscal_year: None,
                            period: Period::FY,
                            as_of: None,
                        },
                        kind: KpiKind::Target,
                        raw: cand_orig.to_string(),
                        value_raw: cand_orig.to_string(),
                        parsed,
                    };
                    return (Some(name), Some(entry));
                }
            }
        }
        let name = trim_ws(self.clean(fm.orig_slice(a, b)));
        if self.vocab.parse_value(name).status == Status::Blank {
            return (Some(String::new()), None);
        }
        (Some(name.to_string()), None)
    }

    fn parse_block(&self, block: &str) -> Vec<InlineKpi> {
        let fm = FoldMap::new(block);
        let text = fm.text.as_str();
        let mut events: Vec<Event> = Vec::new();
        // parenthesised groups (non-nested)
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut open: Option<usize> = None;
        for (i, c) in text.char_indices() {
            match c {
                '(' => open = Some(i),
                ')' => {
                    if let Some(o) = open.take() {
                        groups.push((o, i + 1));
                    }
                }
                _ => {}
            }
        }
        for &(gs, ge) in &groups {
            let inner = text.get(gs + 1..ge - 1).unwrap_or("");
            if self.notes.iter().any(|n| inner.contains(n.as_str())) {
                let note = trim_ws(fm.orig_slice(gs + 1, ge - 1)).to_string();
                events.push(Event {
                    start: gs,
                    end: ge,
                    kind: EventKind::Note(note),
                });
                continue;
            }
            let es = self.entries_in(&fm, gs + 1, ge - 1, KpiKind::Baseline);
            if !es.is_empty() {
                events.push(Event {
                    start: gs,
                    end: ge,
                    kind: EventKind::Baseline(es.into_iter().map(|e| e.2).collect()),
                });
            }
        }
        for (s, e, entry) in self.entries_in(&fm, 0, text.len(), KpiKind::Target) {
            if groups.iter().any(|&(gs, ge)| s >= gs && s < ge) {
                continue;
            }
            events.push(Event {
                start: s,
                end: e,
                kind: EventKind::Target(entry),
            });
        }
        events.sort_by_key(|e| e.start);

        let mut kpis: Vec<InlineKpi> = Vec::new();
        let mut cur: Option<InlineKpi> = None;
        let mut prev = 0;
        let new_kpi = |name: String| InlineKpi {
            name,
            entries: Vec::new(),
            note: None,
        };
        let handle_gap = |cur: &mut Option<InlineKpi>, kpis: &mut Vec<InlineKpi>, a: usize, b: usize| {
            let (name, entry) = self.split_gap(&fm, a, b);
            if let Some(name) = name {
                if let Some(k) = cur.take() {
                    kpis.push(k);
                }
                *cur = Some(new_kpi(name));
            }
            if let Some(e) = entry {
                cur.get_or_insert_with(|| new_kpi(String::new())).entries.push(e);
            }
        };
        for ev in events {
            if ev.start < prev {
                continue; // overlapping (should not happen)
            }
            handle_gap(&mut cur, &mut kpis, prev, ev.start);
            let k = cur.get_or_insert_with(|| new_kpi(String::new()));
            match ev.kind {
                EventKind::Target(e) => k.entries.push(e),
                EventKind::Baseline(es) => k.entries.extend(es),
                EventKind::Note(n) => k.note = Some(n),
            }
            prev = ev.end;
        }
        handle_gap(&mut cur, &mut kpis, prev, text.len());
        if let Some(k) = cur.take() {
            kpis.push(k);
        }
        kpis.retain(|k| !(k.name.is_empty() && k.entries.is_empty() && k.note.is_none()));
        kpis
    }
}

/// Compiles `src` once per process: the inline-KPI pattern depends only on the
/// mapping's syntax, but the parser is called once per goal cell. Shared, not
/// cloned: a cloned `Regex` starts with an empty lazy-DFA cache and rebuilds
/// its states on every search, which cost a tenth of the whole run.
fn cached_regex(src: &str) -> Option<std::sync::Arc<Regex>> {
    type Compiled = std::collections::HashMap<String, Option<std::sync::Arc<Regex>>>;
    static CACHE: std::sync::OnceLock<std::sync::Mutex<Compiled>> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().ok()?;
    map.entry(src.to_string())
        .or_insert_with(|| Regex::new(src).ok().map(std::sync::Arc::new))
        .clone()
}

/// Split a goal cell into (goal text before the marker, KPIs).
///
/// HTML-like tags (`<p>`, `</p>`, `<br>`) are removed first. Each marker
/// starts a block holding one or more KPIs: `name [sep] label sep value ...`
/// where parenthesised `(label sep value)` groups are baselines and a
/// parenthesised repeat note becomes `note`. A value after the name
/// separator without a year label ("計137施設") is a target with no year.
pub fn parse_inline_kpis(text: &str, syntax: &InlineKpiSyntax, vocab: &Vocabulary) -> (String, Vec<InlineKpi>) {
    static TAG_RE: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    let tag_re = TAG_RE.get_or_init(|| Regex::new(r"</?[A-Za-z][A-Za-z0-9]*[^<>]*>").ok());
    let cleaned = match tag_re {
        Some(re) => re.replace_all(text, " ").into_owned(),
        None => text.to_string(),
    };
    let marker = syntax.marker.as_str();
    if marker.is_empty() || !cleaned.contains(marker) {
        return (trim_ws(&cleaned).to_string(), Vec::new());
    }
    let mut parts = cleaned.split(marker);
    let goal = trim_ws(parts.next().unwrap_or("")).to_string();

    let mut seps: Vec<String> = Vec::new();
    for s in &syntax.name_separators {
        if s.is_empty() {
            continue;
        }
        seps.push(s.clone());
        seps.push(fold_ascii_width(s));
    }
    seps.sort_by_key(|s| std::cmp::Reverse(s.len()));
    seps.dedup();
    let sep_alt = alt(&seps.iter().map(|s| fold_ascii_width(s)).collect::<Vec<_>>());
    let entry_src = format!(r"(?P<label>{})\s*(?:{sep_alt})\s*(?P<value>[^\s()]+)", vocab.period_label_pattern());
    let Some(entry_re) = cached_regex(&entry_src) else {
        return (goal, Vec::new());
    };
    let ctx = InlineCtx {
        vocab,
        entry_re,
        seps,
        notes: syntax
            .repeat_note
            .iter()
            .filter(|n| !n.is_empty())
            .map(|n| fold_ascii_width(n))
            .collect(),
    };
    let mut kpis = Vec::new();
    for block in parts {
        kpis.extend(ctx.parse_block(block));
    }
    (goal, kpis)
}
