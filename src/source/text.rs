//! PDF-derived text (one line per row, cells split by tab, or comma for `.csv`)
//! → one [`Grid`]. Detects UTF-8 (with or without BOM), UTF-16 with BOM,
//! Shift_JIS/CP932 and EUC-JP; undecodable bytes become diagnostics, never silent.

use std::borrow::Cow;

use super::SourceError;
use super::grid::{Cell, CellValue, Grid};

/// Text decoded from bytes, with the encoding that was used and the 1-based
/// lines that held bytes the encoding could not decode.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub bad_lines: Vec<u32>,
}

/// Decodes a text file's bytes, choosing the encoding that fits them.
///
/// # Errors
/// [`SourceError::Empty`] for no bytes, [`SourceError::Binary`] when NUL bytes
/// show the file is not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, SourceError> {
    if bytes.is_empty() {
        return Err(SourceError::Empty);
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let name = match enc.name() {
            "UTF-8" => "UTF-8 (BOM)",
            "UTF-16LE" => "UTF-16LE",
            _ => "UTF-16BE",
        };
        let text = text.into_owned();
        let bad_lines = if had_errors { replacement_lines(&text) } else { Vec::new() };
        return Ok(decoded(text, name, bad_lines));
    }
    if looks_binary(bytes) {
        return Err(SourceError::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(decoded(s.to_string(), "UTF-8", Vec::new()));
    }
    // Not valid UTF-8: Shift_JIS (WHATWG's Shift_JIS is CP932), unless it
    // reads as half-width katakana only.
    let (sjis, _, sjis_err) = encoding_rs::SHIFT_JIS.decode(bytes);
    let sjis_bad = if sjis_err { replacement_lines(&sjis) } else { Vec::new() };
    if sjis_bad.is_empty() && !has_halfwidth_kana(&sjis) {
        return Ok(decoded(sjis.into_owned(), "Shift_JIS", sjis_bad));
    }
    // EUC-JP (older Unix tools): its two-byte characters are bytes 0xA1-0xFE,
    // which Shift_JIS reads as half-width katakana or fails on. Shift_JIS
    // text with kanji or hiragana (lead bytes 0x81-0x9F) never decodes as
    // EUC-JP, so a clean EUC-JP decoding is the file's encoding.
    let (euc, euc_err) = encoding_rs::EUC_JP.decode_without_bom_handling(bytes);
    let euc_bad = if euc_err { replacement_lines(&euc) } else { Vec::new() };
    if euc_bad.is_empty() || sjis_bad.is_empty() {
        return Ok(if euc_bad.is_empty() {
            decoded(euc.into_owned(), "EUC-JP", euc_bad)
        } else {
            decoded(sjis.into_owned(), "Shift_JIS", sjis_bad)
        });
    }
    // Undecodable bytes either way: the decoding that loses the fewest lines,
    // its lost lines reported.
    let utf8 = String::from_utf8_lossy(bytes).into_owned();
    let utf8_bad = replacement_lines(&utf8);
    let fewest = [sjis_bad.len(), euc_bad.len(), utf8_bad.len()]
        .into_iter()
        .min()
        .unwrap_or_default();
    Ok(if sjis_bad.len() == fewest {
        decoded(sjis.into_owned(), "Shift_JIS", sjis_bad)
    } else if euc_bad.len() == fewest {
        decoded(euc.into_owned(), "EUC-JP", euc_bad)
    } else {
        decoded(utf8, "UTF-8", utf8_bad)
    })
}

fn decoded(text: String, encoding: &'static str, bad_lines: Vec<u32>) -> Decoded {
    Decoded { text, encoding, bad_lines }
}

/// Half-width katakana (U+FF61-U+FF9F): what EUC-JP's bytes become when read
/// as Shift_JIS.
fn has_halfwidth_kana(text: &str) -> bool {
    text.chars().any(|c| (0xFF61..=0xFF9F).contains(&u32::from(c)))
}

/// NUL bytes do not occur in text of the encodings we accept without a BOM.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(64 * 1024).any(|&b| b == 0)
}

fn replacement_lines(text: &str) -> Vec<u32> {
    lines(text)
        .enumerate()
        .filter(|(_, l)| l.contains('\u{FFFD}'))
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

/// A text's lines, ended by LF, CRLF or a lone CR: old Mac editors end
/// lines with CR alone, and read by LF such a file was one row that no
/// layout recognised. The grid's records end the same way.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split_terminator('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
}

/// Splits decoded text into a grid: line N is row N, field K is column K.
pub fn to_grid(name: &str, text: &str, comma_separated: bool) -> Grid {
    let mut grid = Grid::new(name);
    let mut line_fields = Vec::new();
    if comma_separated {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        for (r, record) in reader.records().enumerate() {
            // A malformed CSV record still has its line; fall back to a plain split.
            let fields: Vec<String> = match record {
                Ok(rec) => rec.iter().map(str::to_string).collect(),
                Err(_) => Vec::new(),
            };
            line_fields.push(fields.len() as u32);
            push_fields(&mut grid, r as u32, fields.iter().map(String::as_str));
        }
    } else {
        let records: Vec<Vec<Cow<'_, str>>> = tab_records(text).collect();
        let widest = records.iter().map(Vec::len).max().unwrap_or(0);
        for (r, mut fields) in records.into_iter().enumerate() {
            if let [line] = fields.as_slice()
                && let Some(split) = split_at_wide_gaps(line, widest)
            {
                grid.split_lines.push((r as u32, line.to_string()));
                fields = split;
            }
            line_fields.push(fields.len() as u32);
            push_fields(&mut grid, r as u32, fields.iter().map(|f| f.as_ref()));
        }
    }
    grid.line_fields = Some(line_fields);
    grid
}

/// Tab-separated records. PDF text has one record per line and no quoting,
/// but a sheet saved from Excel as tab-delimited text puts a cell holding a
/// line break, a tab or a double quote between double quotes (`"a` LF `b"`,
/// inner quotes doubled). Read line by line, such a cell split its row in two
/// and moved values to other indicators without a word. A field is read as
/// quoted only when it is exactly that form: it opens with `"`, every later
/// quote is doubled or closes the field right before a tab or a line end.
/// Anything else (`"ぐんま"ブランド`) is kept as typed. The csv crate, which
/// reads the comma form, would drop those quotes and let one stray `"` in a
/// PDF line swallow the lines after it, hence this strict reading.
fn tab_records(text: &str) -> impl Iterator<Item = Vec<Cow<'_, str>>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut fields = Vec::new();
        loop {
            if let Some((field, after)) = quoted_field(rest) {
                fields.push(Cow::Owned(field));
                rest = after;
            } else {
                let end = rest.find(['\t', '\n', '\r']).unwrap_or(rest.len());
                fields.push(Cow::Borrowed(&rest[..end]));
                rest = &rest[end..];
            }
            // `rest` now starts at a tab, a line end or the end of the text.
            match rest.as_bytes().first() {
                Some(b'\t') => rest = &rest[1..],
                Some(b'\r') => {
                    rest = rest[1..].strip_prefix('\n').unwrap_or(&rest[1..]);
                    return Some(fields);
                }
                Some(b'\n') => {
                    rest = &rest[1..];
                    return Some(fields);
                }
                _ => return Some(fields),
            }
        }
    })
}

/// The ideographic space, which PDF extractors write for a wide gap.
const WIDE_SPACE: char = '\u{3000}';

/// A line with no tab in a file of tab-separated lines, holding a label and
/// two or more figures set apart by runs of full-width spaces
/// (`\u{3000}③交付率\u{3000}13.0%\u{3000}67.7%`): a row whose tabs a PDF's
/// extraction wrote as wide gaps. Read as one cell, its figures were lost and
/// the line taken for a heading. Split at those runs, only when nothing else
/// reads: exactly one label first (a leading gap is an empty first field),
/// then figures and dashes only, no more fields than the file's widest line.
/// Prose spaced the same way holds words among its figures and stays whole.
/// The split is said (`split_at_spaces`): an empty cell may have left no gap.
fn split_at_wide_gaps(line: &str, widest: usize) -> Option<Vec<Cow<'static, str>>> {
    if widest < 3 || !line.contains(WIDE_SPACE) {
        return None;
    }
    let raw: Vec<&str> = line.split(WIDE_SPACE).map(|p| p.trim_matches(' ')).collect();
    // A run of gaps is one separator; a gap at either end is an empty field.
    let last = raw.len() - 1;
    let fields: Vec<&str> = raw
        .iter()
        .enumerate()
        .filter(|&(i, p)| !p.is_empty() || i == 0 || i == last)
        .map(|(_, p)| *p)
        .collect();
    let mut filled = fields.iter().filter(|p| !p.is_empty());
    let label = filled.next()?;
    let rest: Vec<&&str> = filled.collect();
    let figures = rest.iter().filter(|p| starts_with_digit(p)).count();
    let only_figures = rest.iter().all(|p| starts_with_digit(p) || is_mark(p));
    let fits = fields.len() <= widest;
    (!starts_with_digit(label) && !is_mark(label) && only_figures && figures >= 2 && fits)
        .then(|| fields.iter().map(|p| Cow::Owned(p.to_string())).collect())
}

/// A figure's start: a digit (ASCII or full-width), after a sign.
fn starts_with_digit(text: &str) -> bool {
    let digit = |c: char| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c);
    text.trim_start_matches(['+', '-']).chars().next().is_some_and(digit)
}

/// One mark and nothing else (a dash for no value, `―`, `-`, `＊`).
fn is_mark(text: &str) -> bool {
    let mut chars = text.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if !c.is_alphanumeric())
}

/// Excel holds at most 32,767 characters in a cell: a quote still open past
/// that many bytes is not a cell's, and bounds the scan of a stray quote.
const MAX_CELL_BYTES: usize = 32_767 * 3;

/// A field in Excel's quoting at the start of `s`: its text (line ends made
/// LF, doubled quotes made one) and what follows the closing quote, which is
/// a tab, a line end or the end of the text. None when `s` does not start
/// with such a field.
fn quoted_field(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let mut text = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if i > MAX_CELL_BYTES {
            return None;
        }
        match c {
            '"' if chars.peek().map(|&(_, n)| n) == Some('"') => {
                chars.next();
                text.push('"');
            }
            '"' => {
                let after = &body[i + 1..];
                let closes = after.is_empty() || after.starts_with(['\t', '\r', '\n']);
                return closes.then_some((text, after));
            }
            '\r' => {
                if chars.peek().map(|&(_, n)| n) != Some('\n') {
                    text.push('\n');
                }
            }
            _ => text.push(c),
        }
    }
    None
}

fn push_fields<'a>(grid: &mut Grid, row: u32, fields: impl Iterator<Item = &'a str>) {
    for (c, field) in fields.enumerate() {
        let raw = field.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        grid.push(Cell {
            row,
            col: c as u32,
            raw: raw.to_string(),
            value: CellValue::Text,
            format: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sjis_tab_text_decodes_and_splits() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("指標項目\tR5目標値\n①電子化率\t100%\n");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "Shift_JIS");
        assert!(d.bad_lines.is_empty());
        let g = to_grid("t", &d.text, false);
        assert_eq!(g.text(1, 1), "100%");
        assert_eq!(g.get(1, 0).unwrap().a1(), "A2");
    }

    /// LF, CRLF and a lone CR each end a line, for the grid and for the
    /// line numbers of undecodable bytes alike.
    #[test]
    fn every_line_end_ends_a_line() {
        assert_eq!(lines("a\nb\r\nc\rd\r").collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        let mut bytes = b"ok\rstill ok\r".to_vec();
        bytes.extend_from_slice(&[0x82, 0xA0, 0xFF, b'\r']); // あ, then a byte no encoding reads
        assert_eq!(decode(&bytes).unwrap().bad_lines, [3]);
    }

    #[test]
    fn utf8_bom_and_utf16_are_detected() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("目標".as_bytes());
        assert_eq!(decode(&b).unwrap().encoding, "UTF-8 (BOM)");
        let mut u16 = vec![0xFF, 0xFE];
        for unit in "目標\t1".encode_utf16() {
            u16.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(&u16).unwrap();
        assert_eq!(d.encoding, "UTF-16LE");
        assert_eq!(d.text, "目標\t1");
    }

    #[test]
    fn euc_jp_is_told_from_shift_jis() {
        let text = "指標項目\tR5目標値\n①電子化率\t100%\nﾃﾞｰﾀ連携\t5件\n";
        let (euc, _, _) = encoding_rs::EUC_JP.encode(text);
        let d = decode(&euc).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), ("EUC-JP", text));
        // Shift_JIS with half-width katakana is still Shift_JIS.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let d = decode(&sjis).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), ("Shift_JIS", text));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(decode(b""), Err(SourceError::Empty)));
        assert!(matches!(decode(b"PK\x03\x04\x00\x00"), Err(SourceError::Binary)));
    }

    #[test]
    fn undecodable_bytes_are_reported_by_line() {
        let (encoded, _, _) = encoding_rs::SHIFT_JIS.encode("目標\n実績\n");
        let mut bytes = encoded.into_owned();
        bytes.extend_from_slice(&[0x82, 0xFF, b'\n']);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.bad_lines, vec![3]);
    }

    #[test]
    fn csv_fields_keep_quoted_commas() {
        let g = to_grid("c", "a,\"1,266件\",b\n", true);
        assert_eq!(g.text(0, 1), "1,266件");
        assert_eq!(g.text(0, 2), "b");
    }

    /// A sheet saved from Excel as tab-delimited text quotes a cell with a
    /// line break or a quote; the record goes on to the closing quote.
    #[test]
    fn excel_quoted_cells_stay_one_cell() {
        let text = "\"実績値\r\n（12月末）\"\tb\r\n\"(2) \"\"支払\"\"\"\t\"1,266件\"\r\nlast";
        let g = to_grid("q", text, false);
        assert_eq!(g.text(0, 0), "実績値\n（12月末）");
        assert_eq!(g.text(0, 1), "b");
        assert_eq!(g.text(1, 0), "(2) \"支払\"");
        assert_eq!(g.text(1, 1), "1,266件");
        assert_eq!(g.text(2, 0), "last");
        assert_eq!(g.line_fields, Some(vec![2, 2, 1]));
    }

    /// A line whose tabs a PDF's extraction wrote as full-width spaces, in a
    /// tab-separated file: split at its gaps when it is a label and figures
    /// only (a run of gaps is one; a leading gap an empty first field), and
    /// kept whole when it is prose, has no label, or the file has no tabs.
    #[test]
    fn a_line_of_figures_set_apart_by_wide_spaces_is_split() {
        let head = "a\tb\tc\td\te\n";
        let g = to_grid(
            "w",
            &format!("{head}\u{3000}③率\u{3000}\u{3000}13.0%\u{3000}―\u{3000}67.7%\n"),
            false,
        );
        assert_eq!(
            (g.text(1, 1), g.text(1, 2), g.text(1, 3), g.text(1, 4)),
            ("③率", "13.0%", "―", "67.7%")
        );
        assert_eq!(g.line_fields, Some(vec![5, 5]));
        assert_eq!(g.split_lines.iter().map(|(r, _)| *r).collect::<Vec<_>>(), [1]);
        for kept in [
            "目標は\u{3000}100%\u{3000}です\u{3000}200%",       // words among the figures
            "13.0%\u{3000}67.7%\u{3000}80%",                    // no label
            "③\u{3000}交付率\u{3000}13.0%\u{3000}67.7%",        // two labels: which gap is a tab?
            "③率\u{3000}13.0%",                                 // one figure
            "③率\u{3000}1\u{3000}2\u{3000}3\u{3000}4\u{3000}5", // more fields than any line
        ] {
            let g = to_grid("w", &format!("{head}{kept}\n"), false);
            assert_eq!((g.text(1, 0), g.split_lines.len()), (kept, 0), "{kept}");
        }
        let g = to_grid("w", "x\n③率\u{3000}13.0%\u{3000}67.7%\n", false);
        assert!(g.split_lines.is_empty(), "a file with no tabs is not split");
    }

    /// PDF text is not quoted: a quote that is not Excel's form is kept as typed.
    #[test]
    fn stray_quotes_are_kept_as_typed() {
        let text = "\"ぐんま\"ブランド\t1\n\"open\t2\nx\"y\t\"\"\n";
        let g = to_grid("s", text, false);
        assert_eq!(g.text(0, 0), "\"ぐんま\"ブランド");
        assert_eq!(g.text(1, 0), "\"open");
        assert_eq!(g.text(1, 1), "2");
        assert_eq!(g.text(2, 0), "x\"y");
        assert_eq!(g.line_fields, Some(vec![2, 2, 2]));
    }
}
