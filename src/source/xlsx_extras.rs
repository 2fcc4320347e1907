//! What calamine does not give for an .xlsx sheet, read from the sheet's part
//! without a second XML parse: its merged regions, and the cells whose
//! formula has no cached result.
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
//!
//! So that a sheet is inflated once for both readers, [`XlsxExtras::repackage`]
//! rebuilds the package for calamine with each sheet part *stored* as inflated
//! here (calamine then only copies it) and every other part copied still
//! compressed. The theme part is left out: calamine reads it only to resolve
//! colours, which nothing here uses, and falls back to the default theme.
//!
//! A formula saved by a program that does not calculate (openpyxl, many
//! report generators) has no `<v>`: calamine gives such a cell as empty, so
//! its value would vanish without a word. Those cells are found with a byte
//! scan for `<f` over the inflated part (text and attribute values cannot
//! hold a bare `<`), and the caller reports each one.
//!
//! ```text
//! <c r="Q32" s="2"><f>B9</f><v /></c>     → Uncomputed { Q32, "B9" }
//! <c r="Q33" t="str"><f>B9</f><v></v></c> → computed: an empty string result
//! ```

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Write};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::grid::Merge;
use super::ods::unescape;

/// A formula cell without a cached result, 0-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncomputed {
    pub row: u32,
    pub col: u32,
    /// The formula's text without `=`; empty for a shared formula's later cells.
    pub formula: String,
}

/// What one sheet's part gives.
#[derive(Debug, Default)]
pub struct PartExtras {
    /// Merged regions in document order; None when a reference does not parse.
    pub merges: Option<Vec<Merge>>,
    pub uncomputed: Vec<Uncomputed>,
    /// Rows the sheet hides (`<row r="43" hidden="1">`), 0-based.
    pub hidden_rows: Vec<u32>,
    /// Column ranges the sheet hides (`<col min="4" max="4" hidden="1">`),
    /// 0-based and inclusive.
    pub hidden_cols: Vec<(u32, u32)>,
}

/// The parts of an .xlsx needed to read merges: its zip directory and the
/// part of each sheet by name.
pub struct XlsxExtras<'a> {
    bytes: &'a [u8],
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// One inflater for every part: a fresh one per part (as `by_name`
    /// makes) cost more than inflating a small sheet.
    inflater: flate2::Decompress,
    /// Zip entry names by their lower-case, `/`-separated form (as calamine looks them up).
    entries: HashMap<String, String>,
    /// Sheet name → part path (`xl/worksheets/sheet1.xml`).
    sheets: HashMap<String, String>,
    /// The theme part's path, lower-case (`xl/theme/theme1.xml`), where calamine looks for it.
    theme: String,
    /// Sheet parts inflated by [`Self::repackage`], by lower-case path, until [`Self::sheet`] takes them.
    inflated: HashMap<String, Vec<u8>>,
    /// Largest number of bytes one part may expand to.
    max_bytes: u64,
}

/// How a part is looked up: writers differ in case and slash direction
/// (`xl\worksheets\Sheet1.xml`), which Excel ignores.
fn entry_key(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

impl<'a> XlsxExtras<'a> {
    /// Opens the workbook's zip and maps sheet names to parts. None when the
    /// zip or the workbook part cannot be read.
    pub fn open(bytes: &'a [u8], max_bytes: u64) -> Option<Self> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let entries = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| (entry_key(&n), n.to_string()))
            .collect();
        let mut book = XlsxExtras {
            bytes,
            zip,
            inflater: flate2::Decompress::new(false),
            entries,
            sheets: HashMap::new(),
            theme: String::new(),
            inflated: HashMap::new(),
            max_bytes,
        };
        book.sheets = book.sheet_parts()?;
        Some(book)
    }

    /// The package rebuilt for calamine: sheet parts stored as inflated here
    /// (and kept for [`Self::sheet`]), the theme left out, every other part
    /// copied as it is. None when a part cannot be read or written: the
    /// caller then gives calamine the file as it is.
    pub fn repackage(&mut self) -> Option<Vec<u8>> {
        let sheet_parts: HashSet<String> = self.sheets.values().map(|p| p.to_ascii_lowercase()).collect();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(self.bytes.len().saturating_mul(4))));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(zip::DateTime::default());
        for i in 0..self.zip.len() {
            let name = self.zip.by_index_raw(i).ok()?.name().ok()?.to_string();
            let key = entry_key(&name);
            if key == self.theme {
                continue;
            }
            if sheet_parts.contains(&key) && !self.inflated.contains_key(&key) {
                let xml = self.part(&key)?;
                let large = xml.len() as u64 >= u64::from(u32::MAX);
                out.start_file(name, stored.large_file(large)).ok()?;
                out.write_all(&xml).ok()?;
                self.inflated.insert(key, xml);
            } else {
                out.raw_copy_file(self.zip.by_index_raw(i).ok()?).ok()?;
            }
        }
        Some(out.finish().ok()?.into_inner())
    }

    /// The merged regions of sheet `name`, in document order, and its
    /// formulas without a result. None when the sheet's part cannot be read.
    pub fn sheet(&mut self, name: &str) -> Option<PartExtras> {
        let path = self.sheets.get(name)?.clone();
        let xml = match self.inflated.remove(&path.to_ascii_lowercase()) {
            Some(xml) => xml,
            None => self.part(&path)?,
        };
        let prefix = element_prefix(&xml);
        let (hidden_rows, hidden_cols) = hidden_lines(&xml, &prefix);
        Some(PartExtras {
            merges: sheet_tail(&xml).and_then(merges_in_tail),
            uncomputed: uncomputed_formulas(&xml, &prefix),
            hidden_rows,
            hidden_cols,
        })
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
        self.theme = format!("{dir}theme/theme1.xml").to_ascii_lowercase();
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

/// The namespace prefix of the sheet's elements with its colon (`x:`), or
/// empty: read from the `sheetData` tag.
fn element_prefix(xml: &[u8]) -> String {
    let Some(at) = memchr::memmem::find(xml, b"sheetData>").or_else(|| memchr::memmem::find(xml, b"sheetData/")) else {
        return String::new();
    };
    if at == 0 || xml[at - 1] != b':' {
        return String::new();
    }
    let start = xml[..at - 1].iter().rposition(|&b| b == b'<' || b == b'/').map_or(0, |i| i + 1);
    String::from_utf8_lossy(&xml[start..at]).into_owned()
}

/// Cells whose formula (`<f>`) has no cached value: no `<v>`, or an empty
/// one in a cell not typed as a string result (Excel writes `t="str"` with
/// an empty `<v>` for a formula giving ""). Cells without an `r` address
/// cannot be placed and are left to calamine.
fn uncomputed_formulas(xml: &[u8], prefix: &str) -> Vec<Uncomputed> {
    let tags = Tags::new(prefix);
    let cell_end = memchr::memmem::Finder::new(tags.c_end.as_bytes());
    let mut out = Vec::new();
    let mut done = 0;
    for at in memchr::memmem::find_iter(xml, tags.f.as_bytes()) {
        if at < done || !is_name_end(xml.get(at + tags.f.len())) {
            continue;
        }
        let Some(end) = cell_end.find(&xml[at..]).map(|e| at + e) else {
            break;
        };
        done = end;
        let content = &xml[at..end];
        let cached = cached_value(content, &tags);
        if cached == Some(true) {
            continue;
        }
        // The cell's own tag is looked up only for the rare formula without a result.
        let Some(start) = last_tag(&xml[..at], &tags.c) else { continue };
        let cell_tag = &xml[start..at];
        if cached == Some(false) && tag_attr(cell_tag, "t").as_deref() == Some("str") {
            continue;
        }
        let Some((row, col)) = tag_attr(cell_tag, "r").and_then(|r| parse_cell(&r)) else {
            continue;
        };
        out.push(Uncomputed {
            row,
            col,
            formula: formula_text(content, &tags.f_end),
        });
    }
    out
}

/// Rows whose `<row>` tag and column ranges whose `<col>` tag say
/// `hidden="1"` (or `"true"`), found with one byte scan for the attribute:
/// most sheets hide none, and then nothing is parsed. The schema puts `<cols>`
/// before `<sheetData>`, so a hit before the `sheetData` tag can only be a
/// column's, and one after it only a row's (or a later element's, skipped).
fn hidden_lines(xml: &[u8], prefix: &str) -> (Vec<u32>, Vec<(u32, u32)>) {
    let (mut rows, mut cols) = (Vec::new(), Vec::new());
    let mut hits = memchr::memmem::find_iter(xml, b" hidden=").peekable();
    if hits.peek().is_none() {
        return (rows, cols);
    }
    // Found once, and only in a sheet that hides something.
    let data = memchr::memmem::find(xml, format!("<{prefix}sheetData").as_bytes()).unwrap_or(0);
    let (row_tag, col_tag) = (format!("<{prefix}row"), format!("<{prefix}col"));
    for at in hits {
        if at < data {
            cols.extend(hidden_tag(xml, at, &col_tag).and_then(col_range));
        } else if let Some(tag) = hidden_tag(xml, at, &row_tag) {
            rows.extend(tag_attr(tag, "r").and_then(|r| r.parse::<u32>().ok()).map(|r| r.saturating_sub(1)));
        }
    }
    (rows, cols)
}

/// The `open` tag (`<row …>`) holding the ` hidden=` attribute at `at`, when
/// its value says hidden; None when the attribute is a later element's.
fn hidden_tag<'x>(xml: &'x [u8], at: usize, open: &str) -> Option<&'x [u8]> {
    // The space before `hidden` stays in the slice: it ends the name of a
    // tag whose first attribute is `hidden` (`<col hidden="1" min="4"…`).
    let start = last_tag(&xml[..=at], open)?;
    let tag_end = memchr::memchr(b'>', &xml[start..]).map_or(xml.len(), |e| start + e);
    let tag = xml.get(start..tag_end).filter(|_| tag_end >= at)?;
    tag_attr(tag, "hidden").is_some_and(|v| v == "1" || v == "true").then_some(tag)
}

/// A `<col>` tag's `min`..`max` (1-based, inclusive) as 0-based columns.
fn col_range(tag: &[u8]) -> Option<(u32, u32)> {
    let min = tag_attr(tag, "min")?.parse::<u32>().ok()?.checked_sub(1)?;
    let max = tag_attr(tag, "max")?.parse::<u32>().ok()?.checked_sub(1)?;
    (min <= max).then_some((min, max))
}

/// A sheet part's element tags under its namespace prefix, built once per part.
struct Tags {
    f: String,
    f_end: String,
    c: String,
    c_end: String,
    v: String,
    v_end: String,
}

impl Tags {
    fn new(prefix: &str) -> Self {
        Tags {
            f: format!("<{prefix}f"),
            f_end: format!("</{prefix}f>"),
            c: format!("<{prefix}c"),
            c_end: format!("</{prefix}c>"),
            v: format!("<{prefix}v"),
            v_end: format!("</{prefix}v>"),
        }
    }
}

/// Whether the byte after an element's name ends the name.
fn is_name_end(b: Option<&u8>) -> bool {
    matches!(b, Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n'))
}

/// Where the last `open` tag (`<c` followed by the end of its name) starts in `xml`.
fn last_tag(xml: &[u8], open: &str) -> Option<usize> {
    let mut end = xml.len();
    loop {
        let at = memchr::memmem::rfind(&xml[..end], open.as_bytes())?;
        if is_name_end(xml.get(at + open.len())) {
            return Some(at);
        }
        end = at;
    }
}

/// The cell content after its `<f`: None without a `<v>`, else whether the
/// `<v>` holds something.
fn cached_value(content: &[u8], tags: &Tags) -> Option<bool> {
    let v = memchr::memmem::find_iter(content, tags.v.as_bytes()).find(|&i| is_name_end(content.get(i + tags.v.len())))?;
    let rest = &content[v + tags.v.len()..];
    let gt = memchr::memchr(b'>', rest)?;
    let empty = gt > 0 && rest[gt - 1] == b'/'
        || memchr::memmem::find(&rest[gt + 1..], tags.v_end.as_bytes())
            .is_some_and(|e| rest[gt + 1..gt + 1 + e].iter().all(u8::is_ascii_whitespace));
    Some(!empty)
}

/// An attribute's value in a start tag's bytes (`r="Q32"` or `r='Q32'`).
fn tag_attr(tag: &[u8], name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&tag[from..], name.as_bytes()).map(|i| from + i) {
        from = i + name.len();
        let before_ok = i > 0 && tag[i - 1].is_ascii_whitespace();
        let rest = &tag[from..];
        let eq = rest.iter().position(|&b| !b.is_ascii_whitespace());
        if !before_ok || eq.is_none_or(|e| rest[e] != b'=') {
            continue;
        }
        let rest = &rest[eq? + 1..];
        let q = rest.iter().position(|&b| !b.is_ascii_whitespace())?;
        let quote = rest[q];
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value = &rest[q + 1..];
        let close = memchr::memchr(quote, value)?;
        return Some(unescape(std::str::from_utf8(&value[..close]).ok()?));
    }
    None
}

/// The text of the `<f>` element at the start of `content`; empty when it
/// is an empty element (a shared formula's later cell).
fn formula_text(content: &[u8], close_f: &str) -> String {
    let Some(gt) = memchr::memchr(b'>', content) else {
        return String::new();
    };
    if gt > 0 && content[gt - 1] == b'/' {
        return String::new();
    }
    let body = &content[gt + 1..];
    let end = memchr::memmem::find(body, close_f.as_bytes()).unwrap_or(0);
    std::str::from_utf8(&body[..end]).map(unescape).unwrap_or_default()
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

    #[test]
    fn hidden_rows_and_columns_are_found_apart() {
        let xml = br#"<worksheet><cols><col min="1" max="1" width="9"/><col min="2" max="2" hidden="1"/><col hidden="true" min="5" max="7"/><col min="8" max="8" hidden="0"/></cols><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="43" spans="1:3" hidden="1" customHeight="1"><c r="A43"><v>2</v></c></row><row r="44" hidden="0"/><row r="45" hidden="true"/><row hidden="1" r="46"/></sheetData></worksheet>"#;
        assert_eq!(hidden_lines(xml, ""), (vec![42, 44, 45], vec![(1, 1), (4, 6)]));
        let prefixed = br#"<x:worksheet><x:cols><x:col min="3" max="3" hidden="1"/></x:cols><x:sheetData><x:row r="2" hidden="1"/></x:sheetData></x:worksheet>"#;
        assert_eq!(hidden_lines(prefixed, "x:"), (vec![1], vec![(2, 2)]));
        assert_eq!(hidden_lines(b"<worksheet><sheetData/></worksheet>", ""), (vec![], vec![]));
    }

    #[test]
    fn formulas_without_a_cached_value_are_found() {
        // openpyxl's form, Excel's empty-string result, a cached number, a shared formula's later cell.
        let xml = br#"<worksheet><sheetData><row r="32"><c r="Q32" s="2"><f>B9&amp;"x"</f><v /></c><c r="R32" t="str"><f>IF(A1="","",A1)</f><v></v></c><c r="S32"><f>B9</f><v>0.5</v></c><c r="T32"><f t="shared" si="0"/></c><c r="U32" t="s"><v>3</v></c></row></sheetData></worksheet>"#;
        let found = uncomputed_formulas(xml, &element_prefix(xml));
        let at: Vec<_> = found.iter().map(|u| (u.row, u.col, u.formula.as_str())).collect();
        assert_eq!(at, [(31, 16, r#"B9&"x""#), (31, 19, "")]);
        let prefixed = br#"<x:worksheet><x:sheetData><x:row><x:c r="B2"><x:f>A1*2</x:f></x:c><x:c r="C2"><x:f>A1</x:f><x:v>4</x:v></x:c></x:row></x:sheetData></x:worksheet>"#;
        assert_eq!(element_prefix(prefixed), "x:");
        let found = uncomputed_formulas(prefixed, "x:");
        assert_eq!(
            found,
            [Uncomputed {
                row: 1,
                col: 1,
                formula: "A1*2".into()
            }]
        );
    }

    /// Every .xlsx of the repository (and of ../shared when present).
    fn repository_workbooks() -> Vec<std::path::PathBuf> {
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
        files
    }

    /// calamine reads the same cells, formats and fonts from the repackaged
    /// workbook as from the file, sheet for sheet, and the sheet parts kept
    /// for the extras are the ones it read.
    #[test]
    fn repackaged_workbooks_read_as_the_files_do() {
        use calamine::Reader;
        let files = repository_workbooks();
        let mut cells = 0;
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            let mut ours = XlsxExtras::open(&bytes, u64::MAX).unwrap();
            let repackaged = ours.repackage().unwrap_or_else(|| panic!("{}", f.display()));
            assert!(ours.inflated.len() == ours.sheets.len(), "{}", f.display());
            let mut before: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(&bytes[..])).unwrap();
            let mut after: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(&repackaged[..])).unwrap();
            assert_eq!(before.sheet_names(), after.sheet_names());
            for name in before.sheet_names().to_vec() {
                let read = |book: &mut calamine::Xlsx<_>| {
                    let mut reader = book.worksheet_cells_reader(&name).unwrap();
                    // What the reader uses of a style; colours, which the theme resolves, are not.
                    let styles: Vec<String> = reader
                        .styles()
                        .iter()
                        .map(|s| {
                            let format = s.number_format.as_ref().map(|n| &n.format_code);
                            format!("{format:?} {:?}", s.font.as_ref().map(|f| f.has_strikethrough()))
                        })
                        .collect();
                    let mut out = Vec::new();
                    while let Ok(Some((cell, style))) = reader.next_cell_with_style_id() {
                        out.push(format!("{:?} {:?} {:?}", cell.get_position(), cell.get_value(), style));
                    }
                    (styles, out)
                };
                let (theirs, ours_now) = (read(&mut before), read(&mut after));
                assert_eq!(theirs.1, ours_now.1, "{} sheet {name}", f.display());
                assert_eq!(theirs.0, ours_now.0, "{} sheet {name}", f.display());
                cells += theirs.1.len();
            }
        }
        assert!(files.len() >= 8 && cells > 5_000, "{} files, {cells} cells", files.len());
    }

    /// Every .xlsx of the repository (and of ../shared when present) gives
    /// the merges calamine's own pass gives, sheet for sheet.
    #[test]
    fn same_merges_as_calamine_on_real_workbooks() {
        let files = repository_workbooks();
        let (mut sheets, mut regions) = (0, 0);
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            let mut ours = XlsxExtras::open(&bytes, u64::MAX).unwrap_or_else(|| panic!("{}", f.display()));
            let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(&bytes[..])).unwrap();
            use calamine::Reader;
            for name in book.sheet_names().to_vec() {
                let theirs = crate::source::workbook::calamine_merges(&mut book, &name);
                let part = ours.sheet(&name).unwrap_or_else(|| panic!("{} sheet {name}", f.display()));
                assert_eq!(part.merges.as_ref(), Some(&theirs), "{} sheet {name}", f.display());
                sheets += 1;
                regions += theirs.len();
            }
        }
        // samples/: the DX plan's 9 sheets, Saitama's 31, the reform sheet, the KPI list.
        assert!(files.len() >= 8 && sheets >= 42, "{} files, {sheets} sheets", files.len());
        assert!(regions > 100, "{regions} merged regions");
    }
}
