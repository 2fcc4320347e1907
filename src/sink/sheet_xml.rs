//! The `<row>` elements of a table sheet in consolidated.xlsx, written here
//! rather than cell by cell through rust_xlsxwriter.
//!
//! rust_xlsxwriter's per-cell path (a cell map per row, the shared-string
//! table, `write!` for every reference) was about two thirds of the
//! workbook's time and more than the Parquet tables cost. A table sheet's
//! cells are plain (numbers, booleans, text, a date column), so they are
//! written straight to XML: text inline (`t="inlineStr"`), escaped exactly as
//! rust_xlsxwriter escapes it, numbers as Rust prints them (as it does
//! without its `ryu` feature). [`super::sheet_splice`] puts the rows into the
//! sheet rust_xlsxwriter wrote with the header, widths and table.

use std::borrow::Cow;
use std::io::Write;

/// The longest text Excel holds in a cell, in UTF-16 code units.
const MAX_TEXT: usize = 32_767;

/// One cell's value, as a table sheet shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Num(f64),
    Bool(bool),
    /// An Excel serial date, shown in the column's date style.
    Date(f64),
    Text(&'a str),
}

/// Why a row could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RowError {
    #[error("a text of {0} characters is longer than Excel's limit of 32,767 (row {1}, column {2})")]
    TextTooLong(usize, u32, String),
    #[error("column {0} holds dates but the sheet has no date style for it")]
    NoDateStyle(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Writes rows of one sheet: its column letters and the style index of each
/// column's dates, set once.
pub struct RowWriter {
    letters: Vec<String>,
    date_styles: Vec<Option<u32>>,
    buf: Vec<u8>,
}

impl RowWriter {
    /// A writer for `columns` columns; `date_styles[c]` is the cell style
    /// (`s`) of column `c`'s dates, where it has one.
    pub fn new(columns: usize, date_styles: Vec<Option<u32>>) -> RowWriter {
        RowWriter {
            letters: (0..columns).map(column_letters).collect(),
            date_styles,
            buf: Vec::with_capacity(1 << 16),
        }
    }

    /// Writes sheet row `row` (1-based) of `cells` (`None`: no cell) to `out`.
    ///
    /// # Errors
    /// A text longer than Excel allows, a date in a column without a date
    /// style, or `out` failing.
    pub fn row<'a>(
        &mut self,
        out: &mut (impl Write + ?Sized),
        row: u32,
        cells: impl Iterator<Item = Option<Cell<'a>>>,
    ) -> Result<(), RowError> {
        let b = &mut self.buf;
        b.extend_from_slice(b"<row r=\"");
        push_u32(b, row);
        b.extend_from_slice(b"\">");
        for (c, cell) in cells.enumerate() {
            // An empty text is no cell, as rust_xlsxwriter writes it.
            let Some(cell) = cell.filter(|c| *c != Cell::Text("")) else {
                continue;
            };
            let letters = self.letters.get(c).map(String::as_bytes).unwrap_or(b"A");
            b.extend_from_slice(b"<c r=\"");
            b.extend_from_slice(letters);
            push_u32(b, row);
            match cell {
                Cell::Num(x) if x.is_finite() => {
                    b.extend_from_slice(b"\"><v>");
                    push_f64(b, x);
                    b.extend_from_slice(b"</v></c>");
                }
                // Excel has no NaN or infinity; rust_xlsxwriter writes these words.
                Cell::Num(x) => push_inline(b, non_finite_word(x)),
                Cell::Bool(v) => b.extend_from_slice(if v {
                    b"\" t=\"b\"><v>1</v></c>"
                } else {
                    b"\" t=\"b\"><v>0</v></c>"
                }),
                Cell::Date(serial) => {
                    let Some(style) = self.date_styles.get(c).copied().flatten() else {
                        return Err(RowError::NoDateStyle(String::from_utf8_lossy(letters).into_owned()));
                    };
                    b.extend_from_slice(b"\" s=\"");
                    push_u32(b, style);
                    b.extend_from_slice(b"\"><v>");
                    push_f64(b, serial);
                    b.extend_from_slice(b"</v></c>");
                }
                Cell::Text(t) => {
                    if t.len() > MAX_TEXT && t.encode_utf16().count() > MAX_TEXT {
                        let col = String::from_utf8_lossy(letters).into_owned();
                        return Err(RowError::TextTooLong(t.chars().count(), row, col));
                    }
                    push_inline(b, t);
                }
            }
        }
        b.extend_from_slice(b"</row>");
        if b.len() >= 1 << 16 {
            out.write_all(b)?;
            b.clear();
        }
        Ok(())
    }

    /// Writes what is buffered to `out`.
    ///
    /// # Errors
    /// `out` failing.
    pub fn flush(&mut self, out: &mut (impl Write + ?Sized)) -> std::io::Result<()> {
        out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

fn non_finite_word(x: f64) -> &'static str {
    match x {
        x if x.is_nan() => "NAN",
        x if x > 0.0 => "INF",
        _ => "-INF",
    }
}

/// The rest of an inline-text cell after its reference: `" t="inlineStr">…</c>`.
fn push_inline(b: &mut Vec<u8>, t: &str) {
    let preserve = t.starts_with(['\t', '\n', ' ']) || t.ends_with(['\t', '\n', ' ']);
    b.extend_from_slice(match preserve {
        true => b"\" t=\"inlineStr\"><is><t xml:space=\"preserve\">",
        false => b"\" t=\"inlineStr\"><is><t>",
    });
    push_escaped(b, t);
    b.extend_from_slice(b"</t></is></c>");
}

/// `t` as cell text: what rust_xlsxwriter writes for it (its
/// `escape_xml_escapes`, then `escape_xml_data`).
fn push_escaped(b: &mut Vec<u8>, t: &str) {
    // Most texts need nothing: no markup character, control character,
    // underscore (for `_xHHHH_`) or 0xEF lead byte (U+FFFE, U+FFFF).
    let plain = t
        .bytes()
        .all(|x| !matches!(x, b'&' | b'<' | b'>' | b'_' | 0xEF) && (x >= 0x20 || x == b'\t' || x == b'\n'));
    if plain {
        b.extend_from_slice(t.as_bytes());
        return;
    }
    let t = escape_literal_escapes(t);
    for ch in t.chars() {
        match ch {
            '&' => b.extend_from_slice(b"&amp;"),
            '<' => b.extend_from_slice(b"&lt;"),
            '>' => b.extend_from_slice(b"&gt;"),
            '\t' | '\n' => b.push(ch as u8),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {
                let _ = write!(b, "_x{:04X}_", ch as u32);
            }
            _ => {
                let mut tmp = [0u8; 4];
                b.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
            }
        }
    }
}

/// A literal `_xHHHH_` in a text would read as an escaped character, so its
/// underscore is escaped: `_x005F_xHHHH_` (as Excel and rust_xlsxwriter do).
fn escape_literal_escapes(t: &str) -> Cow<'_, str> {
    let bytes = t.as_bytes();
    let is_escape = |i: usize| {
        bytes.len() >= i + 7
            && bytes[i] == b'_'
            && bytes[i + 1] == b'x'
            && bytes[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit)
            && bytes[i + 6] == b'_'
    };
    if !(0..bytes.len()).any(is_escape) {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len() + 12);
    let mut from = 0;
    for i in (0..bytes.len()).filter(|&i| is_escape(i)) {
        out.push_str(&t[from..i]);
        out.push_str("_x005F");
        from = i;
    }
    out.push_str(&t[from..]);
    Cow::Owned(out)
}

/// A number as Rust's `Display` prints it (whole numbers without a point).
fn push_f64(b: &mut Vec<u8>, x: f64) {
    // Whole numbers are most of a table's numbers; print them without fmt.
    if x.fract() == 0.0 && x.abs() < 1e15 && !(x == 0.0 && x.is_sign_negative()) {
        if x < 0.0 {
            b.push(b'-');
        }
        push_u64(b, x.abs() as u64);
    } else {
        let _ = write!(b, "{x}");
    }
}

fn push_u32(b: &mut Vec<u8>, n: u32) {
    push_u64(b, u64::from(n));
}

fn push_u64(b: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    b.extend_from_slice(&digits[i..]);
}

/// Excel's letters for 0-based column `c`: A, …, Z, AA, ….
pub fn column_letters(c: usize) -> String {
    let mut n = c + 1;
    let mut out = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        out.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_xml(cells: &[Option<Cell>], styles: Vec<Option<u32>>) -> String {
        let mut w = RowWriter::new(cells.len(), styles);
        let mut out = Vec::new();
        w.row(&mut out, 7, cells.iter().copied()).unwrap();
        w.flush(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn cells_as_rust_xlsxwriter_writes_them() {
        let xml = row_xml(
            &[
                Some(Cell::Num(1266.0)),
                None,
                Some(Cell::Num(-0.5)),
                Some(Cell::Bool(true)),
                Some(Cell::Text("達成 & <未達>")),
                Some(Cell::Text("")),
                Some(Cell::Date(45199.0)),
            ],
            vec![None, None, None, None, None, None, Some(3)],
        );
        assert_eq!(
            xml,
            concat!(
                r#"<row r="7"><c r="A7"><v>1266</v></c><c r="C7"><v>-0.5</v></c><c r="D7" t="b"><v>1</v></c>"#,
                r#"<c r="E7" t="inlineStr"><is><t>達成 &amp; &lt;未達&gt;</t></is></c><c r="G7" s="3"><v>45199</v></c></row>"#
            )
        );
    }

    #[test]
    fn escapes_match_rust_xlsxwriter() {
        let mut b = Vec::new();
        push_escaped(&mut b, "a_x0041_b\u{1}c\u{FFFE}_x12_ ok_x00AF_");
        assert_eq!(String::from_utf8(b).unwrap(), "a_x005F_x0041_b_x0001_c_xFFFE__x12_ ok_x005F_x00AF_");
        assert!(row_xml(&[Some(Cell::Text(" lead"))], vec![None]).contains(r#"<t xml:space="preserve"> lead</t>"#));
    }

    #[test]
    fn numbers_print_as_display_does() {
        for x in [0.0, -0.0, 1.0, 12.5, 1e15, 123456789012345.0, -3.0, 0.1 + 0.2, 1e300, 5e-324] {
            let mut b = Vec::new();
            push_f64(&mut b, x);
            assert_eq!(String::from_utf8(b).unwrap(), format!("{x}"));
        }
        assert!(row_xml(&[Some(Cell::Num(f64::NAN))], vec![None]).contains("<t>NAN</t>"));
    }

    #[test]
    fn long_texts_and_unstyled_dates_are_errors() {
        let long = "あ".repeat(MAX_TEXT + 1);
        let mut w = RowWriter::new(2, vec![None, None]);
        let e = w.row(&mut Vec::new(), 2, [Some(Cell::Text(&long))].into_iter()).unwrap_err();
        assert!(e.to_string().contains("32,767"), "{e}");
        let e = w.row(&mut Vec::new(), 2, [None, Some(Cell::Date(1.0))].into_iter()).unwrap_err();
        assert!(matches!(e, RowError::NoDateStyle(ref c) if c == "B"), "{e}");
    }

    #[test]
    fn column_letters_run_past_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
    }
}
