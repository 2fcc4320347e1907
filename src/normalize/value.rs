//! One cell's text or typed number → value, unit and status.

use std::cell::RefCell;

use super::*;
use crate::normalize::memo::{TextMemo, memoized};

/// Texts at least this long (about eight CJK characters) are memoised.
const MEMO_MIN_BYTES: usize = 24;

impl Vocabulary {
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

    /// The value without a footnote reference after it (`1,266件※1` → `1,266件`):
    /// a footnote mark, then digits or nothing, at the end of the text.
    fn strip_footnote<'s>(&self, s: &'s str) -> &'s str {
        for mark in &self.footnote_marks {
            if let Some(i) = s.rfind(mark.as_str())
                && i > 0
                && s[i + mark.len()..].chars().all(|c| c.is_ascii_digit())
            {
                return trim_ws(&s[..i]);
            }
        }
        s
    }

    /// A footnote's own text (`※ (4)①は令和4年度で終了`): it starts with a footnote mark.
    pub fn is_footnote(&self, text: &str) -> bool {
        let folded = fold_ascii_width(text);
        let t = trim_ws(&folded);
        self.footnote_marks.iter().any(|m| t.starts_with(m.as_str()))
    }

    /// A cell's text → value/unit/status.
    ///
    /// Trim, fold full-width ASCII, blank markers → `Blank`; status rules in
    /// order (pending / not_done / deleted → no value; approx words and notes
    /// removed and the number kept); then `[qualifier] [negative] number [unit]`
    /// must consume the whole cell, otherwise `Text` with no value.
    pub fn parse_value(&self, raw: &str) -> Parsed {
        // Long texts (labels, prose) recur in every item and every division's
        // copy of a template, and cost most to parse (each status rule scans
        // them); short ones (the values) are cheap and mostly distinct.
        if raw.len() >= MEMO_MIN_BYTES {
            thread_local!(static VALUES: RefCell<TextMemo<Parsed>> = RefCell::new(TextMemo::default()));
            return memoized(&VALUES, self.memo_id, raw, || self.read_value(raw));
        }
        self.read_value(raw)
    }

    fn read_value(&self, raw: &str) -> Parsed {
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
            match st {
                Status::Approx | Status::Ok => {
                    approx |= *st == Status::Approx;
                    body = trim_ws(&re.replace_all(&body, "")).to_string();
                }
                _ => return Parsed::no_value(*st),
            }
        }
        let body = self.strip_ellipses(self.strip_footnote(trim_ws(&body)));
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
        // `10件以上`; also `600以上件`, the value typed `600以上` with its unit
        // in a cell of its own (joined by the table): a lower bound either way.
        let rest = self
            .qualifier_suffixes
            .iter()
            .find_map(|q| rest.strip_suffix(q.as_str()).or_else(|| rest.strip_prefix(q.as_str())))
            .map_or(rest, trim_ws);
        if rest.is_empty() {
            return Some((v, None));
        }
        if !looks_like_unit(rest) {
            return self.place_words(v, rest);
        }
        let (v, unit) = self.fold_unit(v, rest);
        if !v.is_finite() {
            return None;
        }
        Some((v, unit))
    }

    /// A number written with place words (`1万2千人`, `12億5千万円`,
    /// `1億2,000万円`): the whole number `v` before a multiplier, then a
    /// smaller number with the unit; read as their sum in the tail's unit.
    /// A tail as large as the place (`1万20000人`) or not a number is no such form.
    fn place_words(&self, v: f64, rest: &str) -> Option<(f64, Option<String>)> {
        let (m, f) = self.multipliers.iter().find(|(m, _)| rest.starts_with(m.as_str()))?;
        let tail = trim_ws(&rest[m.len()..]);
        if v.fract() != 0.0 || !tail.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let (t, unit) = self.parse_number_unit(tail)?;
        if !(0.0..*f).contains(&t) {
            return None;
        }
        let head = round_sig(v.abs() * f);
        Some((v.signum() * round_sig(head + t), unit))
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
        let info = scan_format(fmt, v);
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
        if let Some(shown) = self.read_shown(x, &info) {
            return shown;
        }
        let lit = fold_ascii_width(trim_ws(&format!("{}{}", info.prefix, info.literal)));
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
}

impl Vocabulary {
    /// A number format's words read the way a typed cell's would be: `"約"#,##0"件"`
    /// is an approximate 件, `#,##0"件以上"` a lower bound in 件, not the units
    /// `約件` and `件以上`. None when the format adds no words or the text they
    /// make is no value (`"第"0"回"`); the caller then keeps the words as the unit.
    fn read_shown(&self, x: f64, info: &FormatInfo) -> Option<Parsed> {
        // No words, or a unit word alone (`#,##0"件"`, most formats): the
        // unit as it stands, without reading a text again.
        let words = fold_ascii_width(trim_ws(&info.literal));
        if info.prefix.trim().is_empty() && (words.is_empty() || self.is_unit_word(trim_ws(&words))) {
            return None;
        }
        let percent = if info.percent { "%" } else { "" };
        let shown = format!("{}{x}{percent}{}", info.prefix, info.literal);
        Some(self.parse_value(&shown)).filter(|p| p.value.is_some())
    }
}

/// A run of 1..=6 non-digit, non-space, non-bracket characters.
pub(super) fn looks_like_unit(s: &str) -> bool {
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
    /// The section has a digit placeholder (`"－"` alone has none).
    digits: bool,
    percent: bool,
    /// Words before the first digit placeholder (`"約"` in `"約"#,##0"件"`).
    prefix: String,
    /// Words after it.
    literal: String,
    scale_commas: u32,
    date_like: bool,
}

impl FormatInfo {
    fn push_word(&mut self, after_digits: bool, c: char) {
        if after_digits { &mut self.literal } else { &mut self.prefix }.push(c);
    }
}

/// What the number format shows for `v`: the section Excel uses for it
/// ([`section_for`]); when that section shows only words (a zero section
/// `"－"`, a condition's `[=0]"－"`), the unit and scale of the first section
/// that shows digits, as the value is the same number.
fn scan_format(fmt: &str, v: f64) -> FormatInfo {
    let sections = split_sections(fmt);
    let info = scan_section(section_for(&sections, v));
    if info.digits {
        return info;
    }
    match sections.iter().map(|s| scan_section(s)).find(|i| i.digits) {
        Some(shown) => shown,
        None => info,
    }
}

/// A format's sections, split at each `;` outside quotes and escapes.
fn split_sections(fmt: &str) -> Vec<Vec<char>> {
    let mut sections = vec![Vec::new()];
    let (mut in_q, mut esc) = (false, false);
    for c in fmt.chars() {
        if esc {
            esc = false;
        } else if c == '\\' && !in_q {
            esc = true;
        } else if c == '"' {
            in_q = !in_q;
        } else if c == ';' && !in_q {
            sections.push(Vec::new());
            continue;
        }
        if let Some(last) = sections.last_mut() {
            last.push(c);
        }
    }
    sections
}

/// The section Excel formats `v` with: with conditions (`[=0]"－";#,##0"件"`),
/// the first whose condition holds, a section without one taking the rest;
/// else the zero section (the third) for 0. A negative keeps the first
/// section, read with its sign as before.
fn section_for(sections: &[Vec<char>], v: f64) -> &[char] {
    let conditional = sections.iter().any(|s| condition(s).is_some());
    if conditional {
        for s in sections.iter().take(3) {
            match condition(s) {
                Some(holds) if !holds(v) => continue,
                _ => return s,
            }
        }
    } else if v == 0.0
        && let Some(zero) = sections.get(2)
    {
        return zero;
    }
    &sections[0]
}

/// A section's condition (`[=0]`, `[>=10000]`, `[<>1]`) as a test of the value.
fn condition(section: &[char]) -> Option<impl Fn(f64) -> bool> {
    // Most sections have no bracket: no text built for them.
    if !section.contains(&'[') {
        return None;
    }
    let text: String = section.iter().collect();
    let open = text.find('[')?;
    let close = open + text[open..].find(']')?;
    let inner = text[open + 1..close].trim();
    let (op, num) = ["<=", ">=", "<>", "<", ">", "="]
        .iter()
        .find_map(|op| inner.strip_prefix(op).map(|rest| (*op, rest)))?;
    let n: f64 = num.trim().parse().ok()?;
    Some(move |v: f64| match op {
        "<=" => v <= n,
        ">=" => v >= n,
        "<>" => v != n,
        "<" => v < n,
        ">" => v > n,
        _ => v == n,
    })
}

/// Reads one section: its words before and after the digits, `%`, scaling commas.
fn scan_section(section: &[char]) -> FormatInfo {
    let mut info = FormatInfo {
        digits: false,
        percent: false,
        prefix: String::new(),
        literal: String::new(),
        scale_commas: 0,
        date_like: false,
    };
    let is_dp = |c: char| matches!(c, '0' | '#' | '?');
    let mut i = 0;
    let mut in_q = false;
    let mut seen_digit = false;
    while i < section.len() {
        let c = section[i];
        if in_q {
            if c == '"' {
                in_q = false;
            } else {
                info.push_word(seen_digit, c);
            }
            i += 1;
            continue;
        }
        match c {
            '"' => in_q = true,
            '\\' => {
                if let Some(&n) = section.get(i + 1) {
                    info.push_word(seen_digit, n);
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
            c if is_dp(c) => seen_digit = true,
            c if !c.is_ascii() => info.push_word(seen_digit, c),
            _ => {}
        }
        i += 1;
    }
    info.digits = seen_digit;
    info
}

/// `value` (a ratio) as a percentage, without the float's noise: 0.283 →
/// 28.3, not 28.299999999999997.
pub fn percent_of(value: f64) -> f64 {
    (value * 100.0 * 1e9).round() / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 以上 after a value is a lower bound in the same direction: the value and
    /// its unit. 以下 reverses the direction, so it stays in the unit (the year
    /// is then not evaluable, never judged the wrong way round).
    #[test]
    fn at_least_is_the_value_and_at_most_stays_in_the_unit() {
        let v = Vocabulary::builtin().unwrap();
        let p = v.parse_value("10件以上");
        assert_eq!((p.value, p.unit.as_deref(), p.status), (Some(10.0), Some("件"), Status::Ok));
        let p = v.parse_value("１００％以上");
        assert_eq!((p.value, p.unit.as_deref()), (Some(100.0), Some("%")));
        let p = v.parse_value("5%以下");
        assert_eq!((p.value, p.unit.as_deref()), (Some(5.0), Some("%以下")));
        // `600以上` with its unit in the next cell, joined by a table.
        let p = v.parse_value("600以上件");
        assert_eq!((p.value, p.unit.as_deref()), (Some(600.0), Some("件")));
        let p = v.parse_value("5以下%");
        assert_eq!((p.value, p.unit.as_deref()), (Some(5.0), Some("以下%")));
    }

    #[test]
    fn a_footnote_mark_after_a_value_is_not_part_of_it() {
        let v = Vocabulary::builtin().unwrap();
        let p = v.parse_value("20,074,375回※");
        assert_eq!((p.value, p.unit.as_deref(), p.status), (Some(20_074_375.0), Some("回"), Status::Ok));
        let p = v.parse_value("1,266件※1");
        assert_eq!((p.value, p.unit.as_deref()), (Some(1266.0), Some("件")));
        let p = v.parse_value("88.7％＊2");
        assert_eq!((p.value, p.unit.as_deref()), (Some(88.7), Some("%")));
        // A mark alone, or text after the mark, is no value.
        assert_eq!(v.parse_value("※").value, None);
        assert_eq!(v.parse_value("5件※R4から変更").value, None);
    }

    /// The section Excel shows is the one read: a condition's (`[=0]"－";…`)
    /// or the zero section for 0; a section of words alone takes the unit of
    /// the first that shows digits. A negative keeps the first section's reading.
    #[test]
    fn a_typed_number_is_read_through_the_section_shown() {
        let v = Vocabulary::builtin().unwrap();
        let read = |x: f64, f: &str| {
            let p = v.parse_typed(x, Some(f));
            (p.value, p.unit)
        };
        let cond = "[=0]\"\u{ff0d}\";#,##0\"\u{4ef6}\"";
        assert_eq!(read(235.0, cond), (Some(235.0), Some("\u{4ef6}".into())));
        assert_eq!(read(0.0, cond), (Some(0.0), Some("\u{4ef6}".into())));
        let zero = "#,##0\"\u{4ef6}\";\u{25b2}#,##0\"\u{4ef6}\";\"\u{ff0d}\"";
        assert_eq!(read(0.0, zero), (Some(0.0), Some("\u{4ef6}".into())));
        assert_eq!(read(1266.0, zero), (Some(1266.0), Some("\u{4ef6}".into())));
        assert_eq!(read(-5.0, zero), (Some(-5.0), Some("\u{4ef6}".into())));
        assert_eq!(read(0.0, "0.0%;\u{25b2}0.0%;\"-\""), (Some(0.0), Some("%".into())));
        let kaikei = "_ * #,##0_ ;_ * \\-#,##0_ ;_ * \"-\"_ ;_ @_ ";
        assert_eq!(read(0.0, kaikei), (Some(0.0), None));
        assert_eq!(read(1266.0, kaikei), (Some(1266.0), None));
        let big = "[>=10000]#,##0,\"\u{5343}\u{4ef6}\";#,##0\"\u{4ef6}\"";
        assert_eq!(read(24.0, big), (Some(24.0), Some("\u{4ef6}".into())));
        assert_eq!(read(12000.0, big), (Some(12000.0), Some("\u{4ef6}".into())));
    }

    /// A note's number after the value (`(注1)`, `（注）`, ` 注2`) is a note,
    /// as `※1` is: the value and unit are read, the status kept. A word
    /// ending in 注 (受注) is not one.
    #[test]
    fn a_note_number_after_a_value_is_not_part_of_it() {
        let v = Vocabulary::builtin().unwrap();
        for raw in [
            "1,266件(注1)",
            "1,266件（注１）",
            "1,266件（注）",
            "1,266件 注2",
            "1,266件\u{3000}注2",
        ] {
            let p = v.parse_value(raw);
            assert_eq!(
                (p.value, p.unit.as_deref(), p.status),
                (Some(1266.0), Some("件"), Status::Ok),
                "{raw}"
            );
        }
        let p = v.parse_value("約50件(注3)");
        assert_eq!((p.value, p.status), (Some(50.0), Status::Approx));
        assert_ne!(v.parse_value("5件受注").unit.as_deref(), Some("件"));
        assert_eq!(v.parse_value("注1").value, None);
    }

    /// A number format's words read as a typed cell's: `"約"#,##0"件"` shows
    /// 約1,360件, an approximate 1,360 件, not the unit `約件`; `#,##0"件以上"`
    /// a lower bound in 件. Words that make no value stay the unit, as before.
    #[test]
    fn a_number_formats_words_read_as_typed() {
        let v = Vocabulary::builtin().unwrap();
        let p = v.parse_typed(1360.0, Some("\"約\"#,##0\"件\""));
        assert_eq!((p.value, p.unit.as_deref(), p.status), (Some(1360.0), Some("件"), Status::Approx));
        let p = v.parse_typed(1360.0, Some("#,##0\"件以上\""));
        assert_eq!((p.value, p.unit.as_deref(), p.status), (Some(1360.0), Some("件"), Status::Ok));
        let p = v.parse_typed(0.862, Some("0.0%\"見込み\""));
        assert_eq!((p.value, p.unit.as_deref(), p.status), (Some(86.2), Some("%"), Status::Approx));
        let p = v.parse_typed(5.0, Some("\"第\"0\"回\""));
        assert_eq!((p.value, p.unit.as_deref()), (Some(5.0), Some("第回")));
    }

    /// 百 multiplies like 千 and 万: `13百件` is 1,300 件, not 13 in the unit 百件.
    #[test]
    fn hundreds_multiply() {
        let v = Vocabulary::builtin().unwrap();
        let p = v.parse_value("13百件");
        assert_eq!((p.value, p.unit.as_deref()), (Some(1300.0), Some("件")));
        let p = v.parse_value("3百万円");
        assert_eq!((p.value, p.unit.as_deref()), (Some(3_000_000.0), Some("円")));
    }
}
