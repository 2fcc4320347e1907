//! The one header decoder: a table header cell, or the two cells of a two-row
//! header, → fiscal year, kind, period and point in time, through the
//! vocabulary's eras and header words.
//!
//! ```text
//!   基準値（R1）        → baseline, FY2019
//!   R5目標 / 目標値（R6） → target, FY2023 / FY2024
//!   2023年度 実績        → actual, FY2023
//!   令和5年度            → FY2023, kind from the cell below:
//!   実績値（12月末）      → actual, AS_OF 2023-12-31
//!   達成率               → a printed achievement
//! ```

use std::cell::RefCell;

use chrono::Datelike;

use super::*;
use crate::mapping::vocabulary::HeaderWord;
use crate::normalize::memo::{TextMemo, memoized};

/// What a header says about the values under it. Each part is `None` when the
/// header does not say it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeaderMeaning {
    pub fiscal_year: Option<i32>,
    pub word: Option<HeaderWord>,
    /// A quarter or half of the year (第3四半期実績).
    pub part: Option<Period>,
    /// The month whose end the value is as of (実績値（12月末）).
    pub as_of_month: Option<u32>,
    /// The header calls its values estimates (実績見込み, 速報値): status approx.
    pub estimate: bool,
    /// The header names a month it does not date (`実績値（12月）`: the month's
    /// own figure, or as of its end?), nor a part of the year: its values
    /// are no full-year figures, and are not read.
    pub undated_month: bool,
}

impl HeaderMeaning {
    /// This header completed by another cell of the same column (the year
    /// merged above, the kind below): what this one leaves open, `other` fills.
    ///
    /// A year label dated at its fiscal year's end (`令和3年度末` over
    /// `目標値 | 実績値`) names that year's figures, not a point in time: its
    /// month does not pass to the kinds below it.
    pub fn or(self, other: HeaderMeaning) -> HeaderMeaning {
        let other_month = other.as_of_month.filter(|_| !other.is_year_end_label());
        let as_of_month = self.as_of_month.or(other_month);
        let part = self.part.or(other.part);
        HeaderMeaning {
            fiscal_year: self.fiscal_year.or(other.fiscal_year),
            word: self.word.or(other.word),
            part,
            as_of_month,
            estimate: self.estimate || other.estimate,
            undated_month: (self.undated_month || other.undated_month) && as_of_month.is_none() && part.is_none(),
        }
    }

    /// A year alone, dated at its fiscal year's end (`令和3年度末`, `R3年度末`).
    fn is_year_end_label(&self) -> bool {
        self.fiscal_year.is_some() && self.word.is_none() && self.part.is_none() && self.as_of_month.is_some_and(ends_fiscal_year)
    }

    /// True when the header names no year, kind, part of the year or point
    /// in time (a month alone is none of these).
    pub fn is_empty(&self) -> bool {
        HeaderMeaning {
            undated_month: false,
            ..*self
        } == HeaderMeaning::default()
    }

    /// The period of a value under this header, once its year is known: the
    /// month's end for `as_of`, the quarter or half, else the fiscal year.
    pub fn period(&self) -> Option<PeriodSpec> {
        let fy = self.fiscal_year?;
        if let Some(m) = self.as_of_month {
            // Fiscal years start in April: 1月–3月 fall in the next calendar year.
            let year = if m < 4 { fy + 1 } else { fy };
            return Some(PeriodSpec {
                fiscal_year: Some(fy),
                period: Period::AsOf,
                as_of: end_of_month(year, m),
            });
        }
        Some(PeriodSpec {
            fiscal_year: Some(fy),
            period: self.part.unwrap_or(Period::FY),
            as_of: None,
        })
    }
}

impl Vocabulary {
    /// Decodes one header cell.
    /// Whether `text` dates the document itself (`更新日：令和6年1月15日`,
    /// `作成日 R6.1.15`), not the point in time of its figures.
    pub fn is_record_date(&self, text: &str) -> bool {
        let folded = fold_ascii_width(text);
        self.record_date_words.iter().any(|w| folded.contains(w.as_str()))
    }

    pub fn decode_header(&self, text: &str) -> HeaderMeaning {
        thread_local!(static HEADERS: RefCell<TextMemo<HeaderMeaning>> = RefCell::new(TextMemo::default()));
        memoized(&HEADERS, self.memo_id, text, || self.read_header(text))
    }

    fn read_header(&self, text: &str) -> HeaderMeaning {
        let folded: String = fold_ascii_width(text).chars().filter(|c| !c.is_whitespace()).collect();
        let word = self.header_words.iter().find(|(w, _)| folded.contains(w.as_str())).map(|&(_, w)| w);
        let estimate = self.estimate_words.iter().any(|w| folded.contains(w.as_str()));
        let as_of_month = self
            .month_end_re
            .captures(&folded)
            .and_then(|c| c.name("m").or_else(|| c.name("md"))?.as_str().parse::<u32>().ok())
            .filter(|m| (1..=12).contains(m));
        // A month-end note is not a year: read the year from the rest; but a
        // calendar date (令和2年3月末: March 2020, the end of FY2019) is one.
        let whole = self.parse_period(&folded);
        let year_text = self.month_end_re.replace_all(&folded, "");
        let dated = whole.as_ref().is_some_and(|p| p.period == Period::AsOf && p.as_of.is_some());
        // With no month-end note removed, the rest is the text already parsed.
        let period = if dated || matches!(year_text, std::borrow::Cow::Borrowed(_)) {
            whole
        } else {
            self.parse_period(&year_text)
        };
        // R4.9末 / R3年度末: a point in time, in the fiscal year the period parser gives.
        if let Some(p) = period.as_ref().filter(|p| p.period == Period::AsOf)
            && let Some(date) = p.as_of
        {
            return HeaderMeaning {
                fiscal_year: p.fiscal_year,
                word,
                part: None,
                as_of_month: Some(date.month()).filter(|&m| !year_end_of_plan(word, m)),
                estimate,
                undated_month: false,
            };
        }
        let mut part = period.map(|p| p.period).filter(|p| p.is_part_of_year());
        let mut as_of_month = as_of_month;
        if part.is_none() && as_of_month.is_none() {
            match self.month_span(&folded) {
                Some(Ok(month)) => as_of_month = Some(month),
                Some(Err(q)) => part = Some(Period::Q(q)),
                None => {}
            }
        }
        let undated_month = part.is_none() && as_of_month.is_none() && self.names_undated_month(&folded);
        HeaderMeaning {
            fiscal_year: self.header_year(&year_text),
            word,
            part,
            as_of_month: as_of_month.filter(|&m| !year_end_of_plan(word, m)),
            estimate,
            undated_month,
        }
    }
}

/// The last month of the fiscal year (April to March).
const FISCAL_YEAR_LAST_MONTH: u32 = 3;

/// Whether a month's end is its fiscal year's end (3月末).
pub fn ends_fiscal_year(month: u32) -> bool {
    month == FISCAL_YEAR_LAST_MONTH
}

impl PeriodSpec {
    /// A target dated at its fiscal year's end (`令和5年度末：65%`, `R6.3末`) is
    /// that fiscal year's, as in a header.
    pub fn as_plan_figure(&self) -> PeriodSpec {
        let year_end = self.period == Period::AsOf && self.as_of.is_some_and(|d| ends_fiscal_year(d.month()));
        if !year_end {
            return self.clone();
        }
        PeriodSpec {
            fiscal_year: self.fiscal_year,
            period: Period::FY,
            as_of: None,
        }
    }
}

/// A target or baseline dated at its fiscal year's end (`目標値（R6.3末）`,
/// `基準値（R2.3末）`) is that fiscal year's: a plan's figures are yearly.
fn year_end_of_plan(word: Option<HeaderWord>, month: u32) -> bool {
    ends_fiscal_year(month)
        && matches!(
            word,
            Some(HeaderWord::Value(crate::model::Kind::Target | crate::model::Kind::Baseline))
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn v() -> Vocabulary {
        Vocabulary::builtin().unwrap()
    }

    /// A date cell typed into a header reads `2023-12-31`: a point in time,
    /// not a year label for FY2023.
    #[test]
    fn a_date_cell_in_a_header_is_a_point_in_time() {
        let m = v().decode_header("2023-12-31");
        assert_eq!((m.fiscal_year, m.as_of_month), (Some(2023), Some(12)));
    }

    /// `令和3年度末` over `目標値 | 実績値`: FY2021's target and actual, not
    /// figures as of 2022-03-31; a kind's own month still counts.
    #[test]
    fn a_year_label_at_its_years_end_names_the_years_figures() {
        let v = v();
        for year in ["令和3年度末", "R3年度末", "令和4年3月末"] {
            for kind in ["目標値", "実績値"] {
                let p = v.decode_header(kind).or(v.decode_header(year)).period().unwrap();
                assert_eq!((p.fiscal_year, p.period, p.as_of), (Some(2021), Period::FY, None), "{year} {kind}");
            }
        }
        let p = v
            .decode_header("実績値（12月末）")
            .or(v.decode_header("令和5年度末"))
            .period()
            .unwrap();
        assert_eq!(
            (p.period, p.as_of.map(|d| d.to_string())),
            (Period::AsOf, Some("2023-12-31".into()))
        );
        // A point in time of its own, not a year's end, still dates the kinds below it.
        let p = v.decode_header("実績値").or(v.decode_header("令和5年12月末")).period().unwrap();
        assert_eq!(
            (p.period, p.as_of.map(|d| d.to_string())),
            (Period::AsOf, Some("2023-12-31".into()))
        );
    }

    /// A header dated with a calendar date is a point in time in the fiscal
    /// year that date falls in, never that calendar year's full-year value.
    #[test]
    fn a_dated_header_is_a_point_in_time() {
        let v = v();
        for (header, fy, date) in [
            ("実績値（2023.12.31）", 2023, "2023-12-31"),
            ("実績値(2023/12/31)", 2023, "2023-12-31"),
            ("実績値（2024年3月31日）", 2023, "2024-03-31"),
            ("実績（2023年9月）", 2023, "2023-09-30"),
            ("実績値（R5.12.31）", 2023, "2023-12-31"),
            ("実績値（2023-12-31）", 2023, "2023-12-31"),
        ] {
            let m = v.decode_header(header);
            let p = m.period().unwrap_or_else(|| panic!("{header}: no period"));
            assert_eq!(
                (m.word, p.fiscal_year, p.period, p.as_of.map(|d| d.to_string())),
                (
                    Some(HeaderWord::Value(Kind::Actual)),
                    Some(fy),
                    Period::AsOf,
                    Some(date.to_string())
                ),
                "{header}"
            );
        }
        // A western year and month with a month-end marker, and a range from
        // April: as of that month's end.
        for header in ["実績値（2023/12末）", "実績値（2023.12末）"] {
            let p = v.decode_header(header).period().unwrap_or_else(|| panic!("{header}"));
            assert_eq!(
                (p.fiscal_year, p.as_of.map(|d| d.to_string())),
                (Some(2023), Some("2023-12-31".into())),
                "{header}"
            );
        }
        let p = v
            .decode_header("実績値（4～12月）")
            .or(v.decode_header("令和5年度"))
            .period()
            .unwrap();
        assert_eq!(
            (p.period, p.as_of.map(|d| d.to_string())),
            (Period::AsOf, Some("2023-12-31".into()))
        );
        let p = v.decode_header("実績（4月～1月）").or(v.decode_header("R5")).period().unwrap();
        assert_eq!(p.as_of.map(|d| d.to_string()), Some("2024-01-31".into()));
        let p = v.decode_header("実績（4月～3月）").or(v.decode_header("R5")).period().unwrap();
        assert_eq!((p.period, p.as_of), (Period::FY, None));
        let p = v
            .decode_header("実績値（10～12月）")
            .or(v.decode_header("令和5年度"))
            .period()
            .unwrap();
        assert_eq!(p.period, Period::Q(3));
        // A month and day under the year: as 12月末 is.
        let m = v.decode_header("実績値（12/31時点）").or(v.decode_header("令和5年度"));
        let p = m.period().unwrap();
        assert_eq!(
            (p.period, p.as_of.map(|d| d.to_string())),
            (Period::AsOf, Some("2023-12-31".into()))
        );
        // A year alone, or with 年度, is still the fiscal year.
        assert_eq!(v.decode_header("2023年度 実績").period().map(|p| p.period), Some(Period::FY));
        assert_eq!(v.decode_header("基準年(2019)").period().map(|p| p.period), Some(Period::FY));
    }

    #[test]
    fn every_header_form_decodes_to_year_kind_and_period() {
        let v = v();
        let d = |s: &str| v.decode_header(s);
        assert_eq!(
            (d("基準値（R1）").fiscal_year, d("基準値（R1）").word),
            (Some(2019), Some(HeaderWord::Value(Kind::Baseline)))
        );
        assert_eq!(
            (d("目標値（R6）").fiscal_year, d("目標値（R6）").word),
            (Some(2024), Some(HeaderWord::Value(Kind::Target)))
        );
        assert_eq!(
            (d("R5目標").fiscal_year, d("R5目標").word),
            (Some(2023), Some(HeaderWord::Value(Kind::Target)))
        );
        assert_eq!(
            (d("2023年度 実績").fiscal_year, d("2023年度 実績").word),
            (Some(2023), Some(HeaderWord::Value(Kind::Actual)))
        );
        assert_eq!(d("基準年(2019)").fiscal_year, Some(2019));
        assert_eq!(d("基準値（令和元年度）").fiscal_year, Some(2019));
        assert_eq!(d("R元").fiscal_year, Some(2019));
        assert_eq!(d("2023").fiscal_year, Some(2023));
        assert_eq!(d("達成率").word, Some(HeaderWord::Achievement));
        // 実績値（12月末） under 令和5年度: AS_OF 2023-12-31.
        let m = d("実績値（12月末）").or(d("令和5年度"));
        let p = m.period().unwrap();
        assert_eq!(
            (p.fiscal_year, p.period, p.as_of.map(|d| d.to_string())),
            (Some(2023), Period::AsOf, Some("2023-12-31".into()))
        );
        // 3月末 of FY2023 is in calendar 2024.
        let p = d("実績（3月末）").or(d("R5")).period().unwrap();
        assert_eq!(p.as_of.map(|d| d.to_string()), Some("2024-03-31".into()));
        assert_eq!(d("第3四半期実績").or(d("R4")).period().unwrap().period, Period::Q(3));
        assert!(d("担当課").is_empty());
        // Year.month and year-end points: R4.9末 → 2022-09-30, R5.3末 → 2023-03-31 (FY2022).
        let at = |s: &str| d(s).period().map(|p| (p.fiscal_year, p.as_of.map(|d| d.to_string())));
        assert_eq!(at("実績（R4.9末）"), Some((Some(2022), Some("2022-09-30".into()))));
        assert_eq!(at("実績(R5.3末)"), Some((Some(2022), Some("2023-03-31".into()))));
        // A baseline or target at the fiscal year's end is that year's.
        assert_eq!(at("現状値（R3末）"), Some((Some(2021), None)));
        assert_eq!(at("目標値（R6.3末）"), Some((Some(2023), None)));
        assert_eq!(d("R4上期実績").period().unwrap().period, Period::H(1));
    }
}
