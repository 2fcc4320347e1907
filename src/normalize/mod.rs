//! Cell normalisation for torikumi.
//!
//! Turns the text (or typed Excel value) of one cell of an initiative/KPI
//! tracking sheet into a value, a unit and a status; reads Japanese fiscal
//! years and period labels; reads circled indicator markers; and parses the
//! inline KPI syntax used in goal cells.
//!
//! Every document-specific word (units, blank markers, status words, era
//! names, period words) comes from the vocabulary TOML
//! (`mappings/vocabulary.toml`, compiled in `mapping::vocabulary`); this
//! module only holds generic logic: values and number formats (`value`),
//! years and periods (`period`), indicator markers (`marker`), units at the
//! end of indicator names (`name_unit`) and the inline KPI syntax (`inline_kpi`).
//! Nothing here panics on any input.

mod header;
mod inline_kpi;
mod marker;
pub(crate) mod memo;
pub use marker::RowLabel;
mod name_unit;
mod period;
mod value;
pub use value::percent_of;

use chrono::NaiveDate;

pub use crate::mapping::text::{fold_ascii_width, fold_char};
pub use crate::mapping::vocabulary::HeaderWord;
pub use crate::mapping::vocabulary::{BUILTIN_VOCABULARY_TOML, InlineKpiSyntax, Vocabulary, VocabularySpec};
pub use crate::model::{Period, Status};
pub use header::{HeaderMeaning, ends_fiscal_year};
pub use inline_kpi::{InlineKpi, KpiEntry, KpiKind, has_unmarked_kpis, name_holds_values, parse_inline_kpis};
pub use marker::is_parenthesised_indicator;

// ---------------------------------------------------------------------------
// Public value types
// ---------------------------------------------------------------------------

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

/// Round to 10 significant digits (removes binary float noise such as
/// 0.6559999999999999 * 100).
pub(crate) fn round_sig(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{:.9e}", v).parse().unwrap_or(v)
}

pub(crate) fn char_before(s: &str, at: usize) -> Option<char> {
    s.get(..at).and_then(|p| p.chars().next_back())
}

pub(crate) fn char_at(s: &str, at: usize) -> Option<char> {
    s.get(at..).and_then(|p| p.chars().next())
}

/// Next char boundary strictly after `at`.
pub(crate) fn next_boundary(s: &str, at: usize) -> usize {
    match char_at(s, at) {
        Some(c) => at + c.len_utf8(),
        None => s.len() + 1,
    }
}

pub(crate) fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year.checked_add(1)?, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// ① … ㊿, and the other one-character numbers a marker is typed with:
/// ⑴ … ⒇ (parenthesised) and ⒈ … ⒛ (with a full stop). Before, ⑴ stayed
/// in the name and the indicator had no number, without a word.
pub(crate) fn is_circled_number(c: char) -> Option<u32> {
    let u = c as u32;
    match u {
        0x2460..=0x2473 => Some(u - 0x2460 + 1),
        0x2474..=0x2487 => Some(u - 0x2474 + 1),
        0x2488..=0x249B => Some(u - 0x2488 + 1),
        0x3251..=0x325F => Some(u - 0x3251 + 21),
        0x32B1..=0x32BF => Some(u - 0x32B1 + 36),
        _ => None,
    }
}

pub(crate) fn is_open_paren(c: char) -> bool {
    c == '(' || c == '\u{FF08}'
}

pub(crate) fn is_close_paren(c: char) -> bool {
    c == ')' || c == '\u{FF09}'
}

/// Whitespace including the ideographic space.
pub(crate) fn trim_ws(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}
