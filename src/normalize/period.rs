//! Fiscal years and period labels: 令和5年度 / R5 / R元 / 2023年度 → 2023,
//! R4上期, R4.9末, R1～R3平均, 1四半期.

use std::cell::RefCell;

use regex::Captures;

use super::*;
use crate::normalize::memo::{TextMemo, memoized};

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

impl Vocabulary {
    /// All year tokens (era or western) in folded text, left to right.
    fn year_tokens(&self, s: &str) -> Vec<YearTok> {
        let mut out = Vec::new();
        // Every year token holds a digit or a first-year word (R元): most
        // labels and words have neither, and the captures search costs more.
        if !s.bytes().any(|b| b.is_ascii_digit()) && !self.first_year_words.iter().any(|w| s.contains(w.as_str())) {
            return out;
        }
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
        if let Some(w) = c.name("w3") {
            // A calendar date: its month makes it a point in time, as R4.9 is.
            let after = c.name("m3").or_else(|| c.name("m4"))?;
            if char_before(s, w.start()).is_some_and(|ch| ch.is_ascii_digit()) || char_at(s, end).is_some_and(|ch| ch.is_ascii_digit()) {
                return None;
            }
            let month = after.as_str().parse::<u32>().ok().filter(|mo| (1..=12).contains(mo));
            return Some(YearTok {
                end,
                year: w.as_str().parse().ok()?,
                month: Some(month?),
            });
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
    /// date (`R6.3末`) the fiscal year it falls in is returned.
    pub fn parse_fiscal_year(&self, s: &str) -> Option<i32> {
        let f = fold_ascii_width(s);
        // A date names the fiscal year it falls in (R6.3末 → FY2023).
        self.year_tokens(&f).first().map(YearTok::fiscal_year)
    }

    /// The quarter of the fiscal year (April to March) that a three-month
    /// range names: 4～6月 → 1, 7～9月 → 2, 10～12月 → 3, 1～3月 → 4.
    fn month_range_quarter(&self, t: &str) -> Option<u8> {
        let (a, b) = range_months(&self.month_range_re, t)?;
        quarter_of(a, b)
    }

    /// A month range inside a header (実績値（4～12月）, 実績（10～12月）): from
    /// the fiscal year's first month (April), the values are as of the last
    /// month's end; a three-month range is that quarter. None otherwise, and
    /// for 4～3月, the whole year.
    pub(crate) fn month_span(&self, t: &str) -> Option<Result<u32, u8>> {
        match range_months(&self.month_span_re, t)? {
            (4, 3) => None, // the whole year
            (4, b) => Some(Ok(b as u32)),
            (a, b) => quarter_of(a, b).map(Err),
        }
    }

    /// Whether a header names a month (`12月`, `2023.12`) other than as the
    /// whole fiscal year (`4～3月`); the caller has found no point in time
    /// or part of the year in it.
    pub(crate) fn names_undated_month(&self, t: &str) -> bool {
        self.month_mention_re.is_match(t) && range_months(&self.month_span_re, t) != Some((4, 3))
    }

    /// The fiscal years named in a label, left to right ("R5～R7" → 2023, 2025).
    pub fn fiscal_years_named(&self, s: &str) -> Vec<i32> {
        self.year_tokens(trim_ws(&fold_ascii_width(s)))
            .iter()
            .map(|t| t.fiscal_year())
            .collect()
    }

    /// Period spec of a short label ("R4上期", "R4.9末", "R1~R3平均", "1四半期").
    pub fn parse_period(&self, s: &str) -> Option<PeriodSpec> {
        thread_local!(static PERIODS: RefCell<TextMemo<Option<PeriodSpec>>> = RefCell::new(TextMemo::default()));
        memoized(&PERIODS, self.memo_id, s, || self.read_period(s))
    }

    fn read_period(&self, s: &str) -> Option<PeriodSpec> {
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
            // is_match first: most labels name no quarter, and captures cost more.
            if re.is_match(t)
                && let Some(c) = re.captures(t)
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
        if let Some(q) = self.month_range_quarter(t) {
            return Some(PeriodSpec {
                fiscal_year: first.map(|x| x.fiscal_year()),
                period: Period::Q(q),
                as_of: None,
            });
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

    /// The fiscal year a *header* cell names: an era or marked western year
    /// (令和5年度, R5, R元, 2023年度, 西暦2023), else a bare four-digit year, which
    /// only a header can hold (基準年(2019), 2023): in a value cell 2023 is a number.
    pub fn header_year(&self, s: &str) -> Option<i32> {
        thread_local!(static YEARS: RefCell<TextMemo<Option<i32>>> = RefCell::new(TextMemo::default()));
        memoized(&YEARS, self.memo_id, s, || {
            self.parse_fiscal_year(s).or_else(|| bare_year(&fold_ascii_width(s)))
        })
    }
}

/// The first and last month of a range `re` finds in `t` (named groups a, b).
fn range_months(re: &regex::Regex, t: &str) -> Option<(i32, i32)> {
    if !re.is_match(t) {
        return None;
    }
    let c = re.captures(t)?;
    let month = |k: &str| c.name(k)?.as_str().parse::<i32>().ok().filter(|m| (1..=12).contains(m));
    Some((month("a")?, month("b")?))
}

/// The fiscal-year quarter (April start) that months `a` to `b` make up, if any.
fn quarter_of(a: i32, b: i32) -> Option<u8> {
    let from_april = (a - 4).rem_euclid(12);
    (from_april % 3 == 0 && (b - a).rem_euclid(12) == 2).then(|| (from_april / 3 + 1) as u8)
}

/// The one run of exactly four digits in `s` that reads as a year (1900–2100).
fn bare_year(s: &str) -> Option<i32> {
    let mut years = Vec::new();
    let mut run = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        if run.len() == 4
            && let Ok(y) = run.parse::<i32>()
            && (1900..=2100).contains(&y)
        {
            years.push(y);
        }
        run.clear();
    }
    match years.as_slice() {
        [y] => Some(*y),
        _ => None,
    }
}
