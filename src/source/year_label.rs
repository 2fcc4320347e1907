//! A date shown as a year alone: a number format whose only date parts are
//! the year and the era (`yyyy"年度"`, `[$-411]ggge"年度"`, `"R"e`) makes a
//! date cell a year label, as staff see it (`2023年度`, `R4年度`), not a day.
//! A header typed as 2023-04-01 and formatted to show `2023年度` names the
//! fiscal year 2023: read as its ISO date it was a point in time, April 2023.
//!
//! Only such formats are rendered here; a format that shows a month, a day
//! or a time leaves the cell its ISO date (a point in time, as before).

use chrono::{Datelike, NaiveDate};

/// One piece of a year-only date format.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(String),
    /// `yy` / `yyyy`: the Gregorian year, in 2 or 4 digits.
    Year(usize),
    /// `e` / `ee`: the year of the Japanese era (the Gregorian year outside a
    /// Japanese format, as Excel outside Japan shows it).
    EraYear(usize),
    /// `g`, `gg`, `ggg`: the era's name.
    Era,
}

/// First days of the Japanese eras Excel's `g` and `e` count from, latest
/// first, with the Latin initial Excel's `g` shows. Calendar facts, not
/// document words: `gg`/`ggg` (the era's name in kanji) is shown by the same
/// initial, which the vocabulary's eras read as the same year (令和 / R).
const ERAS: [(i32, u32, u32, char); 5] = [
    (2019, 5, 1, 'R'),
    (1989, 1, 8, 'H'),
    (1926, 12, 25, 'S'),
    (1912, 7, 30, 'T'),
    (1868, 1, 1, 'M'),
];

/// The text `date` shows under `format` when the format shows its year
/// alone (with literals and the era); None for any other format.
pub fn year_label(date: NaiveDate, format: &str) -> Option<String> {
    let (tokens, japanese) = year_tokens(format)?;
    let japanese = japanese || tokens.contains(&Token::Era);
    let era = ERAS
        .iter()
        .find(|&&(y, m, d, _)| NaiveDate::from_ymd_opt(y, m, d).is_some_and(|start| date >= start));
    let mut out = String::new();
    for t in tokens {
        match t {
            Token::Literal(s) => out.push_str(&s),
            Token::Year(2) => out.push_str(&format!("{:02}", date.year().rem_euclid(100))),
            Token::Year(_) => out.push_str(&date.year().to_string()),
            Token::EraYear(n) if japanese => {
                let &(start, ..) = era?;
                let year = date.year() - start + 1;
                out.push_str(&if n >= 2 { format!("{year:02}") } else { year.to_string() });
            }
            Token::EraYear(_) => out.push_str(&date.year().to_string()),
            Token::Era => out.push(era?.3),
        }
    }
    Some(out)
}

/// A Gregorian day number of Excel's 1900 date system (serial 1 is
/// 1900-01-01; Excel counts a 1900-02-29 that never was, serial 60).
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

/// The first section of `format` as tokens, and whether a locale tag makes it
/// Japanese (`[$-411]`, `[$-ja-JP]`); None when it shows anything but a
/// year, an era and literals, or shows no year.
fn year_tokens(format: &str) -> Option<(Vec<Token>, bool)> {
    let mut tokens = Vec::new();
    let mut japanese = false;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' => break, // the first section: a date is never negative
            '"' => tokens.push(Token::Literal(chars.by_ref().take_while(|&q| q != '"').collect())),
            '\\' => tokens.push(Token::Literal(chars.next()?.to_string())),
            '[' => {
                let tag: String = chars.by_ref().take_while(|&q| q != ']').collect();
                let tag = tag.to_ascii_lowercase();
                if tag.trim_start_matches(['h', 'm', 's']).is_empty() {
                    return None; // elapsed time, [h] [mm] [ss]
                }
                japanese |= tag.starts_with('$') && (tag.ends_with("411") || tag.contains("ja"));
            }
            '_' => {
                chars.next();
                tokens.push(Token::Literal(" ".into()));
            }
            '*' => {
                chars.next();
            }
            'y' | 'Y' | 'e' | 'g' | 'G' => {
                let mut n = 1;
                while chars.next_if(|&q| q.eq_ignore_ascii_case(&c)).is_some() {
                    n += 1;
                }
                tokens.push(match c.to_ascii_lowercase() {
                    'y' => Token::Year(if n <= 2 { 2 } else { 4 }),
                    'e' => Token::EraYear(n),
                    _ => Token::Era,
                });
            }
            // Any other letter is a month, day or time part, General, AM/PM or
            // an exponent; digit placeholders and `@` a number's or a text's.
            c if c.is_ascii_alphabetic() || matches!(c, '0' | '#' | '?' | '@' | '%') => return None,
            c => tokens.push(Token::Literal(c.to_string())),
        }
    }
    tokens
        .iter()
        .any(|t| matches!(t, Token::Year(_) | Token::EraYear(_)))
        .then_some((tokens, japanese))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(y: i32, m: u32, d: u32, format: &str) -> Option<String> {
        year_label(NaiveDate::from_ymd_opt(y, m, d).unwrap(), format)
    }

    #[test]
    fn a_year_only_format_shows_the_year_label() {
        assert_eq!(label(2023, 4, 1, "yyyy\"年度\"").as_deref(), Some("2023年度"));
        assert_eq!(label(2022, 4, 1, "[$-411]ggge\"年度\"").as_deref(), Some("R4年度"));
        assert_eq!(label(2022, 4, 1, "[$-411]ge").as_deref(), Some("R4"));
        assert_eq!(label(2022, 4, 1, "\"R\"e").as_deref(), Some("R2022"), "no era: Excel's western e");
        assert_eq!(label(2019, 4, 1, "[$-411]ggge\"年度\"").as_deref(), Some("H31年度"));
        assert_eq!(label(2023, 4, 1, "yy\"年度\"").as_deref(), Some("23年度"));
        assert_eq!(label(2023, 4, 1, "yyyy\\年").as_deref(), Some("2023年"));
        assert_eq!(label(2023, 4, 1, "[$-ja-JP]ggge").as_deref(), Some("R5"));
    }

    #[test]
    fn a_format_that_shows_more_than_the_year_is_no_year_label() {
        for f in [
            "yyyy/m/d",
            "yyyy\"年\"m\"月\"",
            "[$-411]ge.m.d",
            "m\"月末\"",
            "General",
            "0",
            "#,##0\"年度\"",
            "\"実績値（\"m\"月末）\"",
            "[h]:mm",
            "ggg",
            "0.0E+00",
        ] {
            assert_eq!(label(2023, 12, 31, f), None, "{f}");
        }
    }

    #[test]
    fn serial_numbers_are_days_of_the_1900_system() {
        assert_eq!(serial_date(45017.0), NaiveDate::from_ymd_opt(2023, 4, 1));
        assert_eq!(serial_date(44652.0), NaiveDate::from_ymd_opt(2022, 4, 1));
        assert_eq!(serial_date(12.0), None);
    }
}
