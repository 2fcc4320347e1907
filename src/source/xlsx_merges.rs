//! Merged regions of .xlsx sheets without a second XML parse of each sheet.
//!
//! calamine 0.38 gives a sheet's merged regions only through a second pass
//! that inflates and parses the whole sheet XML again (its cell reader keeps
//! the parser private, so the `<mergeCells>` after `</sheetData>` cannot be
//! read on from the first pass). That pass cost as much as reading the cells.
//! Here the sheet part is inflated once more but not parsed: the schema puts
//! `<mergeCells>` after `<sheetData>`, so only the few bytes after the last
//! `sheetData` tag go through the XML parser.
//!
//! ```text
//! _rels/.rels ─officeDocument→ xl/workbook.xml <sheet name r:id>
//!                               xl/_rels/workbook.xml.rels  r:id → worksheets/sheet1.xml
//! xl/worksheets/sheet1.xml: <sheetData>…</sheetData><mergeCells><mergeCell ref="C1:F1"/>…
//!                                                  └─ only this tail is parsed
//! ```
//!
//! Whatever cannot be resolved here (a part missing, a reference that does not
//! parse) gives `None`, and the caller asks calamine as before.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::grid::Merge;
use super::ods::unescape;

/// The parts of an .xlsx needed to read merges: its zip directory and the
/// part of each sheet by name.
pub struct XlsxMerges<'a> {
    bytes: &'a [u8],
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// One inflater for every part: a fresh one per part (as `by_name`
    /// makes) cost more than inflating a small sheet.
    inflater: flate2::Decompress,
    /// Zip entry names by their lower-case, `/`-separated form (as calamine looks them up).
    entries: HashMap<String, String>,
    /// Sheet name → part path (`xl/worksheets/sheet1.xml`).
    sheets: HashMap<String, String>,
    /// Largest number of bytes one part may expand to.
    max_bytes: u64,
}

impl<'a> XlsxMerges<'a> {
    /// Opens the workbook's zip and maps sheet names to parts. None when the
    /// zip or the workbook part cannot be read.
    pub fn open(bytes: &'a [u8], max_bytes: u64) -> Option<Self> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let entries = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| (n.replace('\\', "/").to_ascii_lowercase(), n.to_string()))
            .collect();
        let mut book = XlsxMerges {
            bytes,
            zip,
            inflater: flate2::Decompress::new(false),
            entries,
            sheets: HashMap::new(),
            max_bytes,
        };
        book.sheets = book.sheet_parts()?;
        Some(book)
    }

    /// The merged regions of sheet `name`, in document order. None when the
    /// sheet's part or one of its references cannot be read.
    pub fn merges(&mut self, name: &str) -> Option<Vec<Merge>> {
        let path = self.sheets.get(name)?.clone();
        let xml = self.part(&path)?;
        merges_in_tail(sheet_tail(&xml)?)
    }

    /// A part's bytes, found without regard to case or slash direction.
    /// Deflated and stored parts are taken from the file's bytes directly;
    /// any other method through the zip reader.
    fn part(&mut self, path: &str) -> Option<Vec<u8>> {
        let actual = self.entries.get(&path.to_ascii_lowercase())?.clone();
        let index = self.zip.index_for_name(&actual)?;
        let (method, start, packed, size) = {
            let f = self.zip.by_index_raw(index).ok()?;
            (f.compression(), f.data_start()?, f.compressed_size(), f.size())
        };
        if size > self.max_bytes {
            return None;
        }
        let start = usize::try_from(start).ok()?;
        let data = self.bytes.get(start..start.checked_add(usize::try_from(packed).ok()?)?)?;
        match method {
            zip::CompressionMethod::Stored => Some(data.to_vec()),
            zip::CompressionMethod::Deflated => self.inflate(data, size),
            _ => self.read_part(&actual),
        }
    }

    /// Inflates `data`, a raw deflate stream of `size` bytes once inflated.
    fn inflate(&mut self, data: &[u8], size: u64) -> Option<Vec<u8>> {
        self.inflater.reset(false);
        let mut out = Vec::with_capacity(usize::try_from(size).ok()?.saturating_add(1));
        let status = self.inflater.decompress_vec(data, &mut out, flate2::FlushDecompress::Finish).ok()?;
        (status == flate2::Status::StreamEnd && out.len() as u64 == size).then_some(out)
    }

    /// A part through the zip reader (a compression method other than deflate).
    fn read_part(&mut self, actual: &str) -> Option<Vec<u8>> {
        let f = self.zip.by_name(actual).ok()?;
        let mut out = Vec::with_capacity(f.size().min(self.max_bytes) as usize);
        f.take(self.max_bytes).read_to_end(&mut out).ok()?;
        Some(out)
    }

    /// Sheet name → part, as calamine resolves them: the office document named
    /// by `_rels/.rels`, its `<sheet>` elements, their relationship targets
    /// (absolute, or relative to the workbook's folder).
    fn sheet_parts(&mut self) -> Option<HashMap<String, String>> {
        let root = self.part("_rels/.rels")?;
        let document = relationships(&root)
            .into_iter()
            .find(|r| r.kind.ends_with("/relationships/officeDocument"))?
            .target;
        let document = document.strip_prefix('/').unwrap_or(&document).to_string();
        let (dir, file) = document.split_at(document.rfind('/').map(|i| i + 1).unwrap_or(0));
        let rels = self.part(&format!("{dir}_rels/{file}.rels"))?;
        let targets: HashMap<String, String> = relationships(&rels).into_iter().map(|r| (r.id, r.target)).collect();
        let workbook = self.part(&document)?;
        let mut parts = HashMap::new();
        for (name, rel) in sheets(&workbook) {
            let Some(target) = targets.get(&rel) else { continue };
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("{dir}{target}"),
            };
            parts.insert(name, path);
        }
        Some(parts)
    }
}

/// One `<Relationship>`.
struct Relationship {
    id: String,
    kind: String,
    target: String,
}

/// The `<Relationship>` elements of a `.rels` part.
fn relationships(xml: &[u8]) -> Vec<Relationship> {
    let mut out = Vec::new();
    each_element(xml, |name, e| {
        if name == "Relationship" {
            let id = attr(e, "Id");
            let kind = attr(e, "Type").unwrap_or_default();
            if let (Some(id), Some(target)) = (id, attr(e, "Target")) {
                out.push(Relationship { id, kind, target });
            }
        }
    });
    out
}

/// (name, relationship id) of each `<sheet>` of the workbook part, in order.
fn sheets(xml: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    each_element(xml, |name, e| {
        if name == "sheet" {
            // The id attribute is `r:id` under whatever prefix the producer chose.
            let rel = e
                .attributes()
                .flatten()
                .find(|a| a.key.local_name().as_ref() == "id")
                .map(|a| unescape(&a.value));
            if let (Some(name), Some(rel)) = (attr(e, "name"), rel) {
                out.push((name, rel));
            }
        }
    });
    out
}

/// Calls `f` with the local name and the tag of every start or empty element.
fn each_element(xml: &[u8], mut f: impl FnMut(&str, &quick_xml::events::BytesStart)) {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => f(e.local_name().as_ref(), &e),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

/// An attribute's unescaped value, by its full name.
fn attr(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    let a = e.try_get_attribute(key).ok()??;
    Some(unescape(&a.value))
}

/// The bytes after the last `sheetData` tag (`</sheetData>`, `</x:sheetData>`
/// or an empty `<sheetData/>`), where `<mergeCells>` lives. None when the part
/// has no such tag (not a worksheet).
fn sheet_tail(xml: &[u8]) -> Option<&[u8]> {
    const TAG: &[u8] = b"sheetData";
    let mut end = xml.len();
    loop {
        let at = xml[..end].windows(TAG.len()).rposition(|w| w == TAG)?;
        if is_tag_name(xml, at) {
            let close = xml[at..].iter().position(|&b| b == b'>')?;
            return Some(&xml[at + close + 1..]);
        }
        end = at;
    }
}

/// Whether the name at `at` is an element's name (`<sheetData`, `</sheetData`,
/// `</x:sheetData`), not text containing the word: text and attribute values
/// cannot hold a bare `<`.
fn is_tag_name(xml: &[u8], at: usize) -> bool {
    let mut i = at;
    if i > 0 && xml[i - 1] == b':' {
        i -= 1;
        while i > 0 && (xml[i - 1].is_ascii_alphanumeric() || matches!(xml[i - 1], b'_' | b'-' | b'.')) {
            i -= 1;
        }
    }
    if i > 0 && xml[i - 1] == b'/' {
        i -= 1;
    }
    i > 0 && xml[i - 1] == b'<'
}

/// The `ref` of every `<mergeCell>` in `tail`. None when a reference does not parse.
fn merges_in_tail(tail: &[u8]) -> Option<Vec<Merge>> {
    let mut out = Vec::new();
    let mut bad = false;
    each_element(tail, |name, e| {
        if name == "mergeCell" {
            match attr(e, "ref").as_deref().and_then(parse_range) {
                Some(m) => out.push(m),
                None => bad = true,
            }
        }
    });
    (!bad).then_some(out)
}

/// `C1:F1` or `C1` → a region, 0-based; None unless both corners are cells
/// and the first is above and left of the last.
fn parse_range(s: &str) -> Option<Merge> {
    let (a, b) = s.split_once(':').unwrap_or((s, s));
    let (first_row, first_col) = parse_cell(a)?;
    let (last_row, last_col) = parse_cell(b)?;
    (first_row <= last_row && first_col <= last_col).then_some(Merge {
        first_row,
        first_col,
        last_row,
        last_col,
    })
}

/// `AB12` → (11, 27).
fn parse_cell(s: &str) -> Option<(u32, u32)> {
    let digits = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, row) = s.split_at(digits);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1);
    let row: u32 = row.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_like_calamine() {
        let m = parse_range("C1:F2").unwrap();
        assert_eq!((m.first_row, m.first_col, m.last_row, m.last_col), (0, 2, 1, 5));
        let m = parse_range("ab12").unwrap();
        assert_eq!((m.first_row, m.first_col, m.last_row, m.last_col), (11, 27, 11, 27));
        assert!(parse_range("F2:C1").is_none());
        assert!(parse_range("A0").is_none());
        assert!(parse_range("$A$1:B2").is_none());
        assert!(parse_range("12").is_none());
    }

    #[test]
    fn only_the_tail_after_sheet_data_is_read() {
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCell sheetData</t></is></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C3:C5"/></mergeCells></worksheet>"#;
        let merges = merges_in_tail(sheet_tail(xml).unwrap()).unwrap();
        assert_eq!(merges.len(), 2);
        assert_eq!((merges[1].first_row, merges[1].first_col, merges[1].last_row), (2, 2, 4));
        let prefixed = br#"<x:worksheet><x:sheetData/><x:mergeCells><x:mergeCell ref="A1:A2"/></x:mergeCells></x:worksheet>"#;
        assert_eq!(merges_in_tail(sheet_tail(prefixed).unwrap()).unwrap().len(), 1);
        assert!(sheet_tail(b"<chartsheet/>").is_none());
        // The word in a header after the merges is text, not the tag.
        let footer = br#"<worksheet><sheetData></sheetData><mergeCells><mergeCell ref="A1:A2"/></mergeCells><headerFooter><oddFooter>&amp;L/sheetData x:sheetData</oddFooter></headerFooter></worksheet>"#;
        assert_eq!(merges_in_tail(sheet_tail(footer).unwrap()).unwrap().len(), 1);
    }

    /// Every .xlsx of the repository (and of ../shared when present) gives
    /// the merges calamine's own pass gives, sheet for sheet.
    #[test]
    fn same_merges_as_calamine_on_real_workbooks() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["samples", "tests/fixtures/variants", "../shared/samples", "../shared/documents"] {
            let Ok(rd) = std::fs::read_dir(root.join(dir)) else { continue };
            files.extend(
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "xlsx")),
            );
        }
        let (mut sheets, mut regions) = (0, 0);
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            let mut ours = XlsxMerges::open(&bytes, u64::MAX).unwrap_or_else(|| panic!("{}", f.display()));
            let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(&bytes[..])).unwrap();
            use calamine::Reader;
            for name in book.sheet_names().to_vec() {
                let theirs = crate::source::workbook::calamine_merges(&mut book, &name);
                assert_eq!(ours.merges(&name).as_ref(), Some(&theirs), "{} sheet {name}", f.display());
                sheets += 1;
                regions += theirs.len();
            }
        }
        // samples/: the DX plan's 9 sheets, Saitama's 31, the reform sheet, the KPI list.
        assert!(files.len() >= 8 && sheets >= 42, "{} files, {sheets} sheets", files.len());
        assert!(regions > 100, "{regions} merged regions");
    }
}
