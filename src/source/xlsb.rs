//! Excel binary workbooks (`.xlsb`): what calamine 0.38 reads for date
//! detection but does not give out, each typed number cell's format, and the
//! merged regions it does not read at all.
//!
//! ```text
//! xl/workbook.bin   BrtBundleSh (name, relationship id) ─→ xl/_rels/workbook.bin.rels → part
//! xl/styles.bin     BrtFmt (ifmt → "0.0%")   BrtBeginCellXFs … BrtXF[i] (→ ifmt)
//! xl/worksheets/…   BrtRowHdr (row)  BrtCellRk/Real, BrtFmlaNum (col, iStyleRef)
//!                   BrtMergeCell (rows, columns)
//! ```
//!
//! Records are (type, size, payload) with both numbers in 7-bit groups.
//! Every read is bounds-checked: a damaged part gives fewer formats or
//! merges, never a panic.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Limits;
use super::biff::builtin_format;
use super::grid::Merge;
use super::workbook::{BookExtras, SheetExtras};

const BRT_ROW_HDR: u16 = 0x0000;
const BRT_CELL_RK: u16 = 0x0002;
const BRT_CELL_REAL: u16 = 0x0005;
const BRT_FMLA_NUM: u16 = 0x0009;
const BRT_FMT: u16 = 0x002C;
const BRT_XF: u16 = 0x002F;
const BRT_BUNDLE_SH: u16 = 0x009C;
const BRT_MERGE_CELL: u16 = 0x00B0;
const BRT_BEGIN_CELL_XFS: u16 = 0x0269;
const BRT_END_CELL_XFS: u16 = 0x026A;

/// Reads the formats and merges of every sheet of the .xlsb whose content is
/// `bytes`. Never fails: what cannot be read is left out.
pub fn read_extras(bytes: &[u8], limits: &Limits) -> BookExtras {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return BookExtras::new();
    };
    let mut part = |name: &str| -> Option<Vec<u8>> {
        // Part names are matched without case, as Excel does.
        let actual = zip
            .file_names()
            .filter_map(Result::ok)
            .find(|n| n.eq_ignore_ascii_case(name))?
            .to_string();
        let f = zip.by_name(&actual).ok()?;
        let mut out = Vec::new();
        f.take(limits.max_uncompressed_bytes).read_to_end(&mut out).ok()?;
        Some(out)
    };
    let rels = part("xl/_rels/workbook.bin.rels").map(|x| relationships(&x)).unwrap_or_default();
    let Some(workbook) = part("xl/workbook.bin") else {
        return BookExtras::new();
    };
    let by_xf = part("xl/styles.bin").map(|s| cell_xf_formats(&s)).unwrap_or_default();
    let mut book = BookExtras::new();
    for (name, rel) in sheets(&workbook) {
        let Some(target) = rels.get(&rel) else { continue };
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        if let Some(data) = part(&path) {
            book.insert(name, sheet_extras(&data, &by_xf, limits.max_cells_per_sheet));
        }
    }
    book
}

/// Iterates the records of a part.
struct Records<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Records<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        // Type: one or two bytes of 7 bits; size: up to four.
        let b = self.byte()?;
        let kind = if b & 0x80 != 0 {
            (b & 0x7F) as u16 | (((self.byte()? & 0x7F) as u16) << 7)
        } else {
            b as u16
        };
        let mut len = 0usize;
        for i in 0..4 {
            let b = self.byte()?;
            len |= ((b & 0x7F) as usize) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        let body = self.data.get(self.pos..self.pos.checked_add(len)?)?;
        self.pos += len;
        Some((kind, body))
    }
}

fn records(data: &[u8]) -> Records<'_> {
    Records { data, pos: 0 }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([*b.get(at)?, *b.get(at + 1)?, *b.get(at + 2)?, *b.get(at + 3)?]))
}

/// An XLWideString at `at` (u32 count of UTF-16 units, then the units) and
/// the offset after it; a count of 0xFFFFFFFF (a null string) reads as empty.
fn wide_str(b: &[u8], at: usize) -> Option<(String, usize)> {
    let cch = u32_at(b, at)?;
    if cch == u32::MAX {
        return Some((String::new(), at + 4));
    }
    let start = at + 4;
    let end = start.checked_add((cch as usize).checked_mul(2)?)?;
    let units: Vec<u16> = b
        .get(start..end)?
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    Some((String::from_utf16_lossy(&units), end))
}

/// `Id` → `Target` of the workbook's relationships.
fn relationships(xml: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let get = |k: &str| e.try_get_attribute(k).ok().flatten().map(|a| a.value.to_string());
                if let (Some(id), Some(target)) = (get("Id"), get("Target")) {
                    out.insert(id, target);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// (sheet name, relationship id) of each BrtBundleSh, in workbook order.
fn sheets(workbook: &[u8]) -> Vec<(String, String)> {
    records(workbook)
        .filter(|(kind, _)| *kind == BRT_BUNDLE_SH)
        .filter_map(|(_, b)| {
            // hsState u32, iTabID u32, strRelID, strName.
            let (rel, next) = wide_str(b, 8)?;
            let (name, _) = wide_str(b, next)?;
            Some((name, rel))
        })
        .collect()
}

/// Cell XF index → format code (None for General).
fn cell_xf_formats(styles: &[u8]) -> Vec<Option<String>> {
    let mut custom: HashMap<u16, String> = HashMap::new();
    let mut xf_ifmt = Vec::new();
    // BrtXF also lists the cell-style XFs; cells index only those inside BrtBeginCellXFs.
    let mut in_cell_xfs = false;
    for (kind, b) in records(styles) {
        match kind {
            BRT_FMT => {
                if let (Some(ifmt), Some((code, _))) = (u16_at(b, 0), wide_str(b, 2)) {
                    custom.insert(ifmt, code);
                }
            }
            BRT_BEGIN_CELL_XFS => in_cell_xfs = true,
            BRT_END_CELL_XFS => in_cell_xfs = false,
            BRT_XF if in_cell_xfs => xf_ifmt.push(u16_at(b, 2).unwrap_or(0)),
            _ => {}
        }
    }
    xf_ifmt
        .into_iter()
        .map(|ifmt| {
            custom
                .get(&ifmt)
                .map(String::as_str)
                .or_else(|| builtin_format(ifmt))
                .filter(|c| !c.eq_ignore_ascii_case("general"))
                .map(str::to_string)
        })
        .collect()
}

/// The typed number cells' formats and the merges of one sheet part.
fn sheet_extras(data: &[u8], by_xf: &[Option<String>], max_cells: u64) -> SheetExtras {
    let mut sheet = SheetExtras::default();
    let mut row = 0u32;
    let mut budget = max_cells;
    for (kind, b) in records(data) {
        match kind {
            BRT_ROW_HDR => row = u32_at(b, 0).unwrap_or(row),
            BRT_CELL_RK | BRT_CELL_REAL | BRT_FMLA_NUM => {
                let (Some(col), Some(style)) = (u32_at(b, 0), u32_at(b, 4)) else {
                    continue;
                };
                // iStyleRef is the low 24 bits; the high byte holds flags.
                let xf = (style & 0x00FF_FFFF) as usize;
                if budget > 0
                    && let Some(Some(code)) = by_xf.get(xf)
                {
                    budget -= 1;
                    sheet.formats.insert((row, col), code.clone());
                }
            }
            BRT_MERGE_CELL => {
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) = (u32_at(b, 0), u32_at(b, 4), u32_at(b, 8), u32_at(b, 12))
                    && r0 <= r1
                    && c0 <= c1
                {
                    sheet.merges.push(Merge {
                        first_row: r0,
                        first_col: c0,
                        last_row: r1,
                        last_col: c1,
                    });
                }
            }
            _ => {}
        }
    }
    sheet
}

/// Builders of .xlsb records and parts for the tests (LibreOffice cannot
/// write .xlsb, so the fixture is written by these).
#[cfg(test)]
mod build {
    use std::io::Write;

    /// One record: type and size in 7-bit groups, then the payload.
    pub fn record(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        if kind < 0x80 {
            v.push(kind as u8);
        } else {
            v.push((kind & 0x7F) as u8 | 0x80);
            v.push((kind >> 7) as u8);
        }
        let mut len = body.len();
        loop {
            let b = (len & 0x7F) as u8;
            len >>= 7;
            if len == 0 {
                v.push(b);
                break;
            }
            v.push(b | 0x80);
        }
        v.extend(body);
        v
    }

    /// An XLWideString.
    pub fn wide(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut v = (units.len() as u32).to_le_bytes().to_vec();
        for u in units {
            v.extend(u.to_le_bytes());
        }
        v
    }

    /// A typed number cell: BrtCellReal at `col` with cell XF `xf`.
    pub fn real(col: u32, xf: u32, v: f64) -> Vec<u8> {
        let mut b = col.to_le_bytes().to_vec();
        b.extend(xf.to_le_bytes());
        b.extend(v.to_le_bytes());
        record(0x0005, &b)
    }

    /// A row header.
    pub fn row(r: u32) -> Vec<u8> {
        let mut b = r.to_le_bytes().to_vec();
        b.extend([0u8; 13]);
        record(0x0000, &b)
    }

    /// A text cell (BrtCellSt).
    pub fn text(col: u32, s: &str) -> Vec<u8> {
        let mut b = col.to_le_bytes().to_vec();
        b.extend(0u32.to_le_bytes());
        b.extend(wide(s));
        record(0x0006, &b)
    }

    /// A merged region (BrtMergeCell), 0-based inclusive.
    pub fn merge(r0: u32, r1: u32, c0: u32, c1: u32) -> Vec<u8> {
        let b: Vec<u8> = [r0, r1, c0, c1].iter().flat_map(|v| v.to_le_bytes()).collect();
        record(0x00B0, &b)
    }

    /// A sheet part: its used range (first row, last row, first column,
    /// last column), cell records (rows and cells) and merge records.
    pub fn sheet(dim: [u32; 4], cells: &[u8], merges: &[u8]) -> Vec<u8> {
        let mut ws = record(0x0081, &[]);
        let dim: Vec<u8> = dim.iter().flat_map(|v| v.to_le_bytes()).collect();
        ws.extend(record(0x0094, &dim));
        ws.extend(record(0x0091, &[]));
        ws.extend(cells);
        ws.extend(record(0x0092, &[]));
        ws.extend(merges);
        ws.extend(record(0x0082, &[]));
        ws
    }

    /// A minimal .xlsb of `sheets` (name, part), custom formats `formats`
    /// (id, code) and cell XFs pointing at the format ids `xfs`.
    pub fn workbook(sheets: &[(&str, Vec<u8>)], formats: &[(u16, &str)], xfs: &[u16]) -> Vec<u8> {
        let mut wb = Vec::new();
        let mut rels = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for (i, (name, _)) in sheets.iter().enumerate() {
            let mut sh = 0u32.to_le_bytes().to_vec();
            sh.extend((i as u32 + 1).to_le_bytes());
            sh.extend(wide(&format!("rId{}", i + 1)));
            sh.extend(wide(name));
            wb.extend(record(0x009C, &sh));
            rels.push_str(&format!(
                r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{}.bin"/>"#,
                i + 1,
                i + 1
            ));
        }
        rels.push_str("</Relationships>");
        wb.extend(record(0x0090, &[]));
        // BrtCalcProp: calamine stops reading the workbook part there.
        wb.extend(record(0x009D, &[0u8; 26]));
        // Styles as calamine expects them: BrtBeginFmts, the formats, BrtBeginCellXFs, the XFs.
        let mut st = record(0x0267, &(formats.len() as u32).to_le_bytes());
        for (id, code) in formats {
            let mut b = id.to_le_bytes().to_vec();
            b.extend(wide(code));
            st.extend(record(0x002C, &b));
        }
        st.extend(record(0x0269, &(xfs.len() as u32).to_le_bytes()));
        for f in xfs {
            let mut b = vec![0u8; 16];
            b[2..4].copy_from_slice(&f.to_le_bytes());
            st.extend(record(0x002F, &b));
        }
        st.extend(record(0x026A, &[]));
        let mut parts: Vec<(String, Vec<u8>)> = vec![
            ("xl/_rels/workbook.bin.rels".into(), rels.into_bytes()),
            ("xl/workbook.bin".into(), wb),
            ("xl/styles.bin".into(), st),
        ];
        for (i, (_, part)) in sheets.iter().enumerate() {
            parts.push((format!("xl/worksheets/sheet{}.bin", i + 1), part.clone()));
        }
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (path, data) in parts {
            zip.start_file(path, opts).expect("zip entry");
            zip.write_all(&data).expect("zip write");
        }
        zip.finish().expect("zip finish");
        out.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::build::*;
    use super::*;

    #[test]
    fn record_headers_round_trip() {
        for (kind, len) in [(0u16, 0usize), (0x2F, 16), (0xB0, 200), (0x0269, 20_000)] {
            let body = vec![7u8; len];
            let r = record(kind, &body);
            let got: Vec<_> = records(&r).collect();
            assert_eq!(got, vec![(kind, &body[..])]);
        }
    }

    #[test]
    fn cells_get_formats_and_merges() {
        let mut cells = row(2);
        cells.extend(real(1, 1, 0.887));
        cells.extend(real(2, 2, 1266.0));
        cells.extend(real(3, 0, 14.1)); // General
        cells.extend(row(3));
        cells.extend(real(1, 3, 0.5));
        cells.extend(text(2, "R3"));
        let xlsb = workbook(
            &[("S", sheet([0, 9, 0, 9], &cells, &merge(0, 0, 2, 5)))],
            &[(164, "#,##0\"件\""), (165, "0.0%")],
            &[0, 165, 164, 9],
        );
        let book = read_extras(&xlsb, &Limits::default());
        let s = &book["S"];
        let at = |r, c| s.formats.get(&(r, c)).map(String::as_str);
        assert_eq!(at(2, 1), Some("0.0%"));
        assert_eq!(at(2, 2), Some("#,##0\"件\""));
        assert_eq!(at(2, 3), None);
        assert_eq!(at(3, 1), Some("0%"), "built-in id 9");
        assert_eq!(s.formats.len(), 3);
        assert_eq!(
            s.merges,
            vec![Merge {
                first_row: 0,
                first_col: 2,
                last_row: 0,
                last_col: 5
            }]
        );
    }

    #[test]
    fn damaged_parts_do_not_panic() {
        let mut cells = row(0);
        cells.extend(real(0, 1, 1.0));
        let xlsb = workbook(
            &[("S", sheet([0, 9, 0, 9], &cells, &merge(0, 1, 0, 1)))],
            &[(164, "0\"人\"")],
            &[0, 164],
        );
        // Cut anywhere or flipped bytes: fewer formats, never a panic.
        for cut in (0..xlsb.len()).step_by(7) {
            let _ = read_extras(&xlsb[..cut], &Limits::default());
        }
        let ws = [row(0), real(0, 1, 1.0), merge(0, 1, 0, 1)].concat();
        for cut in 0..ws.len() {
            let _ = sheet_extras(&ws[..cut], &[None, Some("0".into())], u64::MAX);
        }
        let mut flipped = ws.clone();
        for i in 0..flipped.len() {
            flipped[i] ^= 0x5A;
            let _ = sheet_extras(&flipped, &[None, Some("0".into())], u64::MAX);
        }
        assert!(wide_str(&[5, 0, 0, 0, b'a'], 0).is_none());
        assert!(read_extras(b"garbage", &Limits::default()).is_empty());
    }

    /// Writes `tests/fixtures/converted/gunma_dx_kobetsu.xlsb` from the .xlsx
    /// sample (text, typed numbers with their formats, merges), since no tool
    /// at hand writes .xlsb: `cargo test --lib write_xlsb_fixture -- --ignored`.
    #[test]
    #[ignore]
    fn write_xlsb_fixture() {
        use crate::source::CellValue;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let doc = crate::source::read(&root.join("samples/gunma_dx_kobetsu.xlsx"), &Limits::default()).expect("sample");
        let mut codes: Vec<String> = Vec::new();
        let mut xfs: Vec<u16> = vec![0];
        let mut xf_of: HashMap<String, u32> = HashMap::new();
        let mut sheets = Vec::new();
        for g in &doc.grids {
            let mut cells = Vec::new();
            for r in 0..g.height() {
                if g.row(r).is_empty() {
                    continue;
                }
                cells.extend(row(r));
                for c in g.row(r) {
                    match (&c.value, &c.format) {
                        (CellValue::Number(v), None) => cells.extend(real(c.col, 0, *v)),
                        (CellValue::Number(v), Some(f)) => {
                            let xf = *xf_of.entry(f.clone()).or_insert_with(|| {
                                codes.push(f.clone());
                                xfs.push(163 + codes.len() as u16);
                                xfs.len() as u32 - 1
                            });
                            cells.extend(real(c.col, xf, *v));
                        }
                        (CellValue::Text, _) => cells.extend(text(c.col, &c.raw)),
                        (other, _) => panic!("the sample holds only text and numbers, not {other:?}"),
                    }
                }
            }
            let merges: Vec<u8> = g
                .merges
                .iter()
                .flat_map(|m| merge(m.first_row, m.last_row, m.first_col, m.last_col))
                .collect();
            let last_col = g.cells().map(|c| c.col).max().unwrap_or(0);
            let dim = [0, g.height().saturating_sub(1), 0, last_col];
            sheets.push((g.name.as_str(), sheet(dim, &cells, &merges)));
        }
        let formats: Vec<(u16, &str)> = codes.iter().enumerate().map(|(i, c)| (164 + i as u16, c.as_str())).collect();
        let xlsb = workbook(&sheets, &formats, &xfs);
        std::fs::write(root.join("tests/fixtures/converted/gunma_dx_kobetsu.xlsb"), xlsb).expect("write fixture");
    }
}
