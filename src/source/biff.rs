//! Legacy Excel (`.xls`: BIFF8, and Excel 95's BIFF5, in an OLE compound
//! file): the number format of each typed number cell, which calamine 0.38
//! reads for date detection but does not give out.
//!
//! ```text
//! Workbook stream
//!   globals:  FORMAT (ifmt → "0.0%")   XF[i] (→ ifmt)   BOUNDSHEET (name, offset)
//!   sheet:    NUMBER / RK / MULRK / FORMULA (row, col, ixfe)
//!             (row, col) → XF[ixfe] → ifmt → FORMAT or built-in → "0.0%"
//! ```
//!
//! Every read is bounds-checked: a truncated or garbage stream gives fewer
//! formats (a cell without one reads as General), never a panic.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::workbook::{BookExtras, SheetExtras};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUNDSHEET: u16 = 0x0085;
const FILEPASS: u16 = 0x002F;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;
const CODEPAGE: u16 = 0x0042;
/// BIFF8's and BIFF5's version numbers in BOF.
const BIFF8: u16 = 0x0600;
const BIFF5: u16 = 0x0500;

/// Reads the number formats of every sheet of the .xls whose content is
/// `bytes`; a sheet maps typed number cells to their format code (General
/// cells are absent). Never fails: what cannot be read is left out.
pub fn read_formats(bytes: &[u8], max_cells: u64) -> BookExtras {
    let Some(stream) = workbook_stream(bytes) else {
        return BookExtras::new();
    };
    formats_of_stream(&stream, max_cells)
}

/// The `Workbook` stream (`Book` in files from before Excel 97).
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let mut out = Vec::new();
    let mut stream = cf.open_stream("/Workbook").or_else(|_| cf.open_stream("/Book")).ok()?;
    stream.read_to_end(&mut out).ok()?;
    Some(out)
}

/// One record: type and payload.
struct Records<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        let header = self.data.get(self.pos..self.pos.checked_add(4)?)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = u16::from_le_bytes([header[2], header[3]]) as usize;
        let start = self.pos + 4;
        // A record running past the stream's end ends the walk.
        let body = self.data.get(start..start.checked_add(len)?)?;
        self.pos = start + len;
        Some((kind, body))
    }
}

fn records(data: &[u8], pos: usize) -> Records<'_> {
    Records { data, pos }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([*b.get(at)?, *b.get(at + 1)?, *b.get(at + 2)?, *b.get(at + 3)?]))
}

/// An XLUnicodeString's characters after its count: a flags byte (bit 0: two
/// bytes per character), then `cch` characters. None when the record ends
/// early (a string continued in a CONTINUE record is not joined: a number
/// format is far shorter than a record).
fn unicode_chars(b: &[u8], cch: usize) -> Option<String> {
    let flags = *b.first()?;
    let chars = b.get(1..)?;
    if flags & 0x01 == 0 {
        // "Compressed": the low bytes of UTF-16 code units, that is Latin-1.
        Some(chars.get(..cch)?.iter().map(|&c| c as char).collect())
    } else {
        let raw = chars.get(..cch.checked_mul(2)?)?;
        let units: Vec<u16> = raw.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
        Some(String::from_utf16_lossy(&units))
    }
}

/// How the globals spell strings.
#[derive(Clone, Copy)]
enum Strings {
    /// BIFF8: UTF-16 with a flags byte.
    Biff8,
    /// BIFF5: bytes in the workbook's code page (CODEPAGE record).
    Biff5(&'static encoding_rs::Encoding),
}

impl Strings {
    /// `cch` characters (BIFF8) or bytes (BIFF5) at the start of `b`.
    fn read(self, b: &[u8], cch: usize) -> Option<String> {
        match self {
            Strings::Biff8 => unicode_chars(b, cch),
            Strings::Biff5(enc) => {
                let bytes = b.get(..cch)?;
                // As calamine decodes them (its sheet names are the keys):
                // a UTF-16 code page means one byte per character.
                if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    Some(bytes.iter().map(|&c| c as char).collect())
                } else {
                    Some(enc.decode_without_bom_handling(bytes).0.into_owned())
                }
            }
        }
    }
}

/// A BOUNDSHEET record → (stream offset of the sheet's BOF, name).
fn boundsheet(b: &[u8], strings: Strings) -> Option<(usize, String)> {
    let pos = u32_at(b, 0)? as usize;
    let cch = *b.get(6)? as usize;
    let mut name = strings.read(b.get(7..)?, cch)?;
    name.retain(|c| c != '\0');
    Some((pos, name))
}

/// A FORMAT record → (ifmt, format code).
fn format_record(b: &[u8], strings: Strings) -> Option<(u16, String)> {
    let ifmt = u16_at(b, 0)?;
    match strings {
        Strings::Biff8 => Some((ifmt, strings.read(b.get(4..)?, u16_at(b, 2)? as usize)?)),
        Strings::Biff5(_) => Some((ifmt, strings.read(b.get(3..)?, *b.get(2)? as usize)?)),
    }
}

fn formats_of_stream(stream: &[u8], max_cells: u64) -> BookExtras {
    let mut custom: HashMap<u16, String> = HashMap::new();
    let mut xf_ifmt: Vec<u16> = Vec::new();
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut it = records(stream, 0);
    let mut strings = match it.next() {
        Some((BOF, b)) if u16_at(b, 0) == Some(BIFF8) => Strings::Biff8,
        // calamine's default code page until a CODEPAGE record says otherwise.
        Some((BOF, b)) if u16_at(b, 0) == Some(BIFF5) => Strings::Biff5(encoding_rs::UTF_16LE),
        // BIFF2–4 (before Excel 5) hold one sheet without BOUNDSHEET and
        // other XF layouts; their formats are left out.
        _ => return BookExtras::new(),
    };
    for (kind, b) in it {
        match kind {
            EOF => break,
            // Encrypted records cannot be read; calamine reports such a file.
            FILEPASS => return BookExtras::new(),
            CODEPAGE => {
                if let (Strings::Biff5(_), Some(enc)) = (strings, u16_at(b, 0).and_then(codepage::to_encoding)) {
                    strings = Strings::Biff5(enc);
                }
            }
            FORMAT => {
                if let Some((ifmt, code)) = format_record(b, strings) {
                    custom.insert(ifmt, code);
                }
            }
            XF => xf_ifmt.push(u16_at(b, 2).unwrap_or(0)),
            BOUNDSHEET => sheets.extend(boundsheet(b, strings)),
            _ => {}
        }
    }
    // XF index → format code (None for General), resolved once.
    let by_xf: Vec<Option<String>> = xf_ifmt
        .iter()
        .map(|&ifmt| {
            custom
                .get(&ifmt)
                .map(String::as_str)
                .or_else(|| builtin_format(ifmt))
                .filter(|c| !c.eq_ignore_ascii_case("general"))
                .map(str::to_string)
        })
        .collect();
    let mut book = BookExtras::new();
    for (pos, name) in sheets {
        let mut sheet = SheetExtras::default();
        let mut budget = max_cells;
        let mut put = |row: u16, col: u16, ixfe: u16, sheet: &mut SheetExtras| {
            if budget == 0 {
                return;
            }
            if let Some(Some(code)) = by_xf.get(ixfe as usize) {
                budget -= 1;
                sheet.formats.insert((row as u32, col as u32), code.clone());
            }
        };
        let mut it = records(stream, pos);
        if !matches!(it.next(), Some((BOF, _))) {
            continue;
        }
        // Embedded substreams (a chart on the sheet) nest their own BOF … EOF.
        let mut depth = 1u32;
        for (kind, b) in it {
            match kind {
                BOF => depth += 1,
                EOF => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                NUMBER | RK | FORMULA if depth == 1 => {
                    if let (Some(r), Some(c), Some(x)) = (u16_at(b, 0), u16_at(b, 2), u16_at(b, 4)) {
                        put(r, c, x, &mut sheet);
                    }
                }
                MULRK if depth == 1 => {
                    // row, first column, then (ixfe, RK value) pairs of 6 bytes, then the last column.
                    let (Some(r), Some(first)) = (u16_at(b, 0), u16_at(b, 2)) else {
                        continue;
                    };
                    let n = b.len().saturating_sub(6) / 6;
                    for i in 0..n {
                        if let Some(x) = u16_at(b, 4 + 6 * i) {
                            put(r, first.saturating_add(i as u16), x, &mut sheet);
                        }
                    }
                }
                _ => {}
            }
        }
        book.insert(name, sheet);
    }
    book
}

/// Built-in number formats by id (ECMA-376 18.8.30, as calamine gives them
/// for .xlsx), so a cell reads the same whichever format the workbook was saved in.
pub fn builtin_format(id: u16) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut v = kind.to_le_bytes().to_vec();
        v.extend((body.len() as u16).to_le_bytes());
        v.extend(body);
        v
    }

    fn xf(ifmt: u16) -> Vec<u8> {
        let mut b = vec![0u8; 20];
        b[2..4].copy_from_slice(&ifmt.to_le_bytes());
        rec(XF, &b)
    }

    fn format(ifmt: u16, code: &str) -> Vec<u8> {
        let units: Vec<u16> = code.encode_utf16().collect();
        let mut b = ifmt.to_le_bytes().to_vec();
        b.extend((units.len() as u16).to_le_bytes());
        b.push(1); // two bytes per character
        for u in units {
            b.extend(u.to_le_bytes());
        }
        rec(FORMAT, &b)
    }

    fn cell(kind: u16, row: u16, col: u16, ixfe: u16) -> Vec<u8> {
        let mut b = Vec::new();
        for v in [row, col, ixfe] {
            b.extend(v.to_le_bytes());
        }
        b.extend([0u8; 8]);
        rec(kind, &b)
    }

    /// Globals with FORMAT 164 = 0"人", XF 0 General, XF 1 → 0.0% custom,
    /// XF 2 → built-in 9 (0%), XF 3 → 164, XF 4 → built-in 3, and one sheet "S".
    fn stream() -> Vec<u8> {
        let mut globals = rec(BOF, &[0x00, 0x06, 0x05, 0x00]);
        globals.extend(format(165, "0.0%"));
        globals.extend(format(164, "0\"人\""));
        for f in [0, 165, 9, 164, 3] {
            globals.extend(xf(f));
        }
        let boundsheet_at = globals.len();
        globals.extend(rec(BOUNDSHEET, &[0, 0, 0, 0, 0, 0, 1, 0, b'S']));
        globals.extend(rec(EOF, &[]));
        let sheet_pos = globals.len() as u32;
        globals[boundsheet_at + 4..boundsheet_at + 8].copy_from_slice(&sheet_pos.to_le_bytes());
        let mut s = globals;
        s.extend(rec(BOF, &[0x00, 0x06, 0x10, 0x00]));
        s.extend(cell(NUMBER, 0, 0, 1));
        s.extend(cell(RK, 1, 0, 2));
        s.extend(cell(FORMULA, 2, 3, 3));
        s.extend(cell(NUMBER, 3, 0, 0)); // General: absent
        // MULRK row 4, columns 1..=2 with XF 4 and 1.
        let mut m = vec![4, 0, 1, 0];
        for x in [4u16, 1] {
            m.extend(x.to_le_bytes());
            m.extend([0u8; 4]);
        }
        m.extend(2u16.to_le_bytes());
        s.extend(rec(MULRK, &m));
        s.extend(rec(EOF, &[]));
        s
    }

    #[test]
    fn cells_get_custom_and_builtin_formats() {
        let book = formats_of_stream(&stream(), u64::MAX);
        let f = &book["S"].formats;
        let at = |r, c| f.get(&(r, c)).map(String::as_str);
        assert_eq!(at(0, 0), Some("0.0%"));
        assert_eq!(at(1, 0), Some("0%"));
        assert_eq!(at(2, 3), Some("0\"人\""));
        assert_eq!(at(3, 0), None, "General is no format");
        assert_eq!(at(4, 1), Some("#,##0"));
        assert_eq!(at(4, 2), Some("0.0%"));
        assert_eq!(f.len(), 5);
    }

    #[test]
    fn builtin_ids() {
        assert_eq!(builtin_format(9), Some("0%"));
        assert_eq!(builtin_format(10), Some("0.00%"));
        assert_eq!(builtin_format(3), Some("#,##0"));
        assert_eq!(builtin_format(4), Some("#,##0.00"));
        assert_eq!(builtin_format(164), None);
    }

    #[test]
    fn compressed_strings_and_short_records() {
        let b8 = Strings::Biff8;
        assert_eq!(format_record(&[164, 0, 2, 0, 0, b'0', b'%'], b8), Some((164, "0%".to_string())));
        assert_eq!(format_record(&[164, 0, 9, 0, 0, b'0'], b8), None, "string runs past the record");
        assert_eq!(format_record(&[164], b8), None);
        assert_eq!(boundsheet(&[1, 2], b8), None);
    }

    #[test]
    fn truncated_or_garbage_streams_do_not_panic() {
        let s = stream();
        for cut in 0..s.len() {
            let _ = formats_of_stream(&s[..cut], u64::MAX);
        }
        let mut flipped = s.clone();
        for i in (0..flipped.len()).step_by(3) {
            flipped[i] ^= 0xA5;
            let _ = formats_of_stream(&flipped, u64::MAX);
        }
        assert!(read_formats(b"not an OLE file", u64::MAX).is_empty());
        // The cell budget bounds what is recorded.
        assert_eq!(formats_of_stream(&s, 2)["S"].formats.len(), 2);
    }

    /// The LibreOffice-written fixture, cut short or with bytes flipped all
    /// over (the compound file's headers and FAT included): never a panic.
    #[test]
    fn damaged_compound_files_do_not_panic() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/converted/gunma_dx_kobetsu.xls");
        let xls = std::fs::read(path).expect("fixture");
        let whole = read_formats(&xls, u64::MAX);
        assert_eq!(whole["(1)"].formats.get(&(39, 14)).map(String::as_str), Some("0.0%"));
        for cut in (0..xls.len()).step_by(509) {
            let _ = read_formats(&xls[..cut], u64::MAX);
        }
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..300 {
            let mut bad = xls.clone();
            for _ in 0..8 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Half the flips land in the first 2 KiB: header, FAT, directory.
                let at = if seed & 1 == 0 {
                    (seed >> 8) as usize % 2048
                } else {
                    (seed >> 8) as usize % bad.len()
                };
                bad[at] ^= (seed >> 40) as u8 | 1;
            }
            let _ = read_formats(&bad, u64::MAX);
        }
    }

    /// An Excel 95 (BIFF5) workbook in Shift_JIS, written into a compound
    /// file and read through calamine: sheet names and format codes are code
    /// page bytes, and the cells get their formats.
    #[test]
    fn biff5_workbook_in_shift_jis() {
        use std::io::Write;
        let sjis = |s: &str| encoding_rs::SHIFT_JIS.encode(s).0.into_owned();
        let mut globals = rec(BOF, &[0x00, 0x05, 0x05, 0x00]);
        globals.extend(rec(CODEPAGE, &932u16.to_le_bytes()));
        let code = sjis("0\"人\"");
        let mut f = vec![164, 0, code.len() as u8];
        f.extend(&code);
        globals.extend(rec(FORMAT, &f));
        for ifmt in [0u16, 164, 9] {
            globals.extend(xf(ifmt));
        }
        let name = sjis("様式1");
        let boundsheet_at = globals.len();
        let mut bs = vec![0, 0, 0, 0, 0, 0, name.len() as u8];
        bs.extend(&name);
        globals.extend(rec(BOUNDSHEET, &bs));
        globals.extend(rec(EOF, &[]));
        let sheet_pos = globals.len() as u32;
        globals[boundsheet_at + 4..boundsheet_at + 8].copy_from_slice(&sheet_pos.to_le_bytes());
        let mut s = globals;
        s.extend(rec(BOF, &[0x00, 0x05, 0x10, 0x00]));
        let number = |row: u16, col: u16, ixfe: u16, v: f64| {
            let mut b = Vec::new();
            for x in [row, col, ixfe] {
                b.extend(x.to_le_bytes());
            }
            b.extend(v.to_le_bytes());
            rec(NUMBER, &b)
        };
        s.extend(number(0, 0, 1, 29.0));
        s.extend(number(1, 0, 2, 0.5));
        s.extend(number(2, 0, 0, 14.1));
        s.extend(rec(EOF, &[]));
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
        cf.create_stream("/Book").expect("stream").write_all(&s).expect("write");
        cf.flush().expect("flush");
        let xls = cf.into_inner().into_inner();

        let book = read_formats(&xls, u64::MAX);
        assert_eq!(book["様式1"].formats.get(&(0, 0)).map(String::as_str), Some("0\"人\""));
        let grids = crate::source::workbook::read(&xls, "xls", &crate::source::Limits::default()).expect("calamine reads BIFF5");
        assert_eq!(grids[0].name, "様式1");
        let cell = |r| grids[0].get(r, 0).map(|c| (c.raw.clone(), c.format.clone()));
        assert_eq!(cell(0), Some(("29人".to_string(), Some("0\"人\"".to_string()))));
        assert_eq!(cell(1), Some(("50%".to_string(), Some("0%".to_string()))));
        assert_eq!(cell(2), Some(("14.1".to_string(), None)));
    }
}
