//! Saves consolidated.xlsx: rust_xlsxwriter writes the package with every
//! sheet's frame (header, table, widths, frozen pane, the small sheets
//! whole), then the table sheets' rows ([`super::sheet_xml`]) are put into
//! their parts, each sheet deflated on its own thread, and the package is
//! assembled again from raw copies of the compressed parts.
//!
//! rust_xlsxwriter 0.102 deflates every part on one thread when it saves and
//! offers no stored mode or parallel deflate; about 160 MB of sheet XML at
//! 1,000 division files made that the longest serial step of the run. Here
//! only the small frame goes through it.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rust_xlsxwriter::Workbook;
use zip::write::SimpleFileOptions;

use super::SinkError;

/// Rows (over all tables) from which the table sheets are deflated at the
/// fast level.
pub const FAST_FROM_ROWS: usize = 200_000;

/// Deflate level for a workbook holding `rows` table rows: 1 (zlib-rs's
/// "quick" strategy, about twice as fast as 3 for a third more bytes) for
/// large ones, 3, Excel's own choice, otherwise.
pub fn level_for(rows: usize) -> u8 {
    if rows >= FAST_FROM_ROWS { 1 } else { 3 }
}

/// Writes a sheet's rows: given where to write and the date style of each
/// column (the `style` of its `<col>` element).
pub type FillRows<'a> = Box<dyn FnOnce(&mut dyn Write, &[Option<u32>]) -> Result<(), SinkError> + Send + 'a>;

/// A sheet whose rows go into the saved package.
pub struct DeferredRows<'a> {
    /// Its position among the workbook's worksheets (0 = the first).
    pub index: usize,
    /// Its name, for messages.
    pub name: String,
    /// Data rows below the header.
    pub rows: usize,
    /// Columns of each row.
    pub columns: usize,
    pub fill: FillRows<'a>,
}

/// Saves `book` to `path` with `sheets`' rows in it, deflated at
/// [`level_for`]`(rows)`. With `TORIKUMI_TIMINGS` set, prints the two steps'
/// wall times on stderr.
///
/// # Errors
/// rust_xlsxwriter's save, a sheet's rows, or the package's files failing.
pub fn save(book: &mut Workbook, path: &Path, sheets: Vec<DeferredRows>, rows: usize) -> Result<(), SinkError> {
    let level = level_for(rows);
    let werr = |message: String| SinkError::Workbook {
        path: path.to_path_buf(),
        message,
    };
    let start = Instant::now();
    let temps = Temps::beside(path, sheets.len());
    book.set_zip_compression_level(level);
    book.save(&temps.frame).map_err(|e| werr(e.to_string()))?;
    let saved = start.elapsed().as_secs_f64();
    let mut frame = zip::ZipArchive::new(File::open(&temps.frame).map_err(|e| io(&temps.frame, e))?).map_err(|e| werr(e.to_string()))?;
    let mut parts = Vec::with_capacity(sheets.len());
    for (sheet, temp) in sheets.into_iter().zip(&temps.sheets) {
        let part = format!("xl/worksheets/sheet{}.xml", sheet.index + 1);
        let xml = read_part(&mut frame, &part).map_err(|e| werr(format!("{part} ({}): {e}", sheet.name)))?;
        let frame =
            Frame::split(&xml, sheet.rows, sheet.columns).ok_or_else(|| werr(format!("{part} ({}) has no sheetData", sheet.name)))?;
        parts.push(Part {
            name: part,
            frame,
            temp: temp.clone(),
            sheet,
        });
    }
    let spliced: Vec<(String, PathBuf)> = parts.iter().map(|p| (p.name.clone(), p.temp.clone())).collect();
    deflate_parts(parts_by_size(parts), level)?;
    let filled = start.elapsed().as_secs_f64();
    assemble(&mut frame, &spliced, path).map_err(|e| werr(e.to_string()))?;
    if std::env::var_os("TORIKUMI_TIMINGS").is_some() {
        eprintln!(
            "timing: consolidated.xlsx, of which the frame (rust_xlsxwriter, one thread) {saved:.2} s, the table sheets' rows (deflate level {level}, {rows} rows, in parallel) {:.2} s, the package {:.2} s",
            filled - saved,
            start.elapsed().as_secs_f64() - filled
        );
    }
    Ok(())
}

/// A table sheet's part: rust_xlsxwriter's XML around the rows to add.
struct Part<'a> {
    name: String,
    frame: Frame,
    temp: PathBuf,
    sheet: DeferredRows<'a>,
}

/// Longest first, so the longest sheet does not start last.
fn parts_by_size(mut parts: Vec<Part>) -> Vec<Part> {
    parts.sort_by_key(|p| std::cmp::Reverse(p.sheet.rows * p.sheet.columns));
    parts
}

/// Writes each part, rows and all, deflated, to its own one-entry zip file,
/// on plain threads ([`super::on_plain_threads`]: the rows are read back
/// from Parquet); the first failure, if any.
fn deflate_parts(parts: Vec<Part>, level: u8) -> Result<(), SinkError> {
    super::on_plain_threads(parts, |part| deflate_part(part, level))
        .into_iter()
        .collect()
}

fn deflate_part(part: Part, level: u8) -> Result<(), SinkError> {
    let werr = |e: &dyn std::fmt::Display| SinkError::Workbook {
        path: part.temp.clone(),
        message: format!("{} ({}): {e}", part.name, part.sheet.name),
    };
    let file = File::create(&part.temp).map_err(|e| io(&part.temp, e))?;
    let mut zip = zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, file));
    zip.start_file(&part.name, part_options(level)).map_err(|e| werr(&e))?;
    zip.write_all(&part.frame.head).map_err(|e| werr(&e))?;
    (part.sheet.fill)(&mut zip, &part.frame.date_styles)?;
    zip.write_all(&part.frame.tail).map_err(|e| werr(&e))?;
    let mut out = zip.finish().map_err(|e| werr(&e))?;
    out.flush().map_err(|e| io(&part.temp, e))
}

/// The options rust_xlsxwriter 0.102 writes its parts with.
fn part_options(level: u8) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(i64::from(level)))
        .unix_permissions(0o600)
        .last_modified_time(zip::DateTime::default())
}

/// The package in the frame's order of parts: the table sheets (`spliced`:
/// part name, its one-entry zip file) from their own files, every other part
/// copied as it was compressed.
fn assemble(frame: &mut zip::ZipArchive<File>, spliced: &[(String, PathBuf)], path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut out = zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, File::create(path)?));
    for i in 0..frame.len() {
        let name = frame.by_index_raw(i)?.name()?.to_string();
        match spliced.iter().find(|(n, _)| *n == name) {
            Some((_, one)) => {
                let mut one = zip::ZipArchive::new(File::open(one)?)?;
                out.raw_copy_file(one.by_index_raw(0)?)?;
            }
            None => out.raw_copy_file(frame.by_index_raw(i)?)?,
        }
    }
    out.finish()?.flush()?;
    Ok(())
}

/// A sheet part cut where its rows go: everything up to the end of the rows
/// rust_xlsxwriter wrote (the header), with the dimension widened to the
/// table's rows, and everything after; and the date style of each column.
struct Frame {
    head: Vec<u8>,
    tail: Vec<u8>,
    date_styles: Vec<Option<u32>>,
}

impl Frame {
    fn split(xml: &str, rows: usize, columns: usize) -> Option<Frame> {
        let (head, tail) = match xml.find("</sheetData>") {
            Some(at) => (xml[..at].to_string(), xml[at..].to_string()),
            None => {
                let at = xml.find("<sheetData/>")?;
                (
                    format!("{}<sheetData>", &xml[..at]),
                    format!("</sheetData>{}", &xml[at + "<sheetData/>".len()..]),
                )
            }
        };
        let last = super::sheet_xml::column_letters(columns.saturating_sub(1));
        let head = widen_dimension(&head, &format!("A1:{last}{}", rows + 1));
        Some(Frame {
            date_styles: column_styles(&head, columns),
            head: head.into_bytes(),
            tail: tail.into_bytes(),
        })
    }
}

/// `head` with its `<dimension ref="…"/>` set to `range`.
fn widen_dimension(head: &str, range: &str) -> String {
    const OPEN: &str = "<dimension ref=\"";
    let Some(at) = head.find(OPEN) else { return head.to_string() };
    let from = at + OPEN.len();
    let Some(len) = head[from..].find('"') else {
        return head.to_string();
    };
    format!("{}{range}{}", &head[..from], &head[from + len..])
}

/// The `style` of each column's `<col>` element (rust_xlsxwriter writes one
/// for a column given a format: the table sheets' date columns).
fn column_styles(head: &str, columns: usize) -> Vec<Option<u32>> {
    use quick_xml::events::Event;
    let mut styles = vec![None; columns];
    let Some(cols) = head.find("<cols>").and_then(|a| head[a..].find("</cols>").map(|b| &head[a..a + b])) else {
        return styles;
    };
    let mut reader = quick_xml::Reader::from_str(cols);
    let attr = |e: &quick_xml::events::BytesStart, k: &str| -> Option<u32> {
        let a = e.try_get_attribute(k).ok()??;
        a.value.parse().ok()
    };
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == "col" => {
                if let (Some(min), Some(max), Some(style)) = (attr(&e, "min"), attr(&e, "max"), attr(&e, "style")) {
                    for c in min.max(1)..=max.min(columns as u32) {
                        styles[c as usize - 1] = Some(style);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    styles
}

fn read_part(zip: &mut zip::ZipArchive<File>, name: &str) -> Result<String, Box<dyn std::error::Error>> {
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name)?, &mut xml)?;
    Ok(xml)
}

fn io(path: &Path, source: std::io::Error) -> SinkError {
    SinkError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The temporary files beside the workbook (the frame, one per table sheet),
/// removed when dropped.
struct Temps {
    frame: PathBuf,
    sheets: Vec<PathBuf>,
}

impl Temps {
    fn beside(path: &Path, sheets: usize) -> Temps {
        let with = |suffix: &str| {
            let mut name = path.as_os_str().to_os_string();
            name.push(suffix);
            PathBuf::from(name)
        };
        Temps {
            frame: with(".frame"),
            sheets: (0..sheets).map(|i| with(&format!(".sheet{i}"))).collect(),
        }
    }
}

impl Drop for Temps {
    fn drop(&mut self) {
        for p in std::iter::once(&self.frame).chain(&self.sheets) {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_workbooks_take_the_fast_level() {
        assert_eq!(level_for(0), 3);
        assert_eq!(level_for(FAST_FROM_ROWS - 1), 3);
        assert_eq!(level_for(FAST_FROM_ROWS), 1);
    }

    #[test]
    fn frame_is_cut_at_the_end_of_the_header_rows() {
        let xml = concat!(
            r#"<worksheet><dimension ref="A1:C1"/><cols><col min="1" max="1" width="9"/>"#,
            r#"<col min="2" max="2" width="12" style="4" customWidth="1"/></cols>"#,
            r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData><tableParts count="1"/></worksheet>"#
        );
        let f = Frame::split(xml, 10, 3).unwrap();
        let head = String::from_utf8(f.head).unwrap();
        assert!(head.contains(r#"<dimension ref="A1:C11"/>"#), "{head}");
        assert!(head.ends_with("</row>"));
        assert_eq!(
            String::from_utf8(f.tail).unwrap(),
            r#"</sheetData><tableParts count="1"/></worksheet>"#
        );
        assert_eq!(f.date_styles, vec![None, Some(4), None]);
        let empty = Frame::split(r#"<worksheet><sheetData/><x/></worksheet>"#, 1, 1).unwrap();
        assert_eq!(String::from_utf8(empty.head).unwrap(), "<worksheet><sheetData>");
        assert_eq!(String::from_utf8(empty.tail).unwrap(), "</sheetData><x/></worksheet>");
    }

    /// Rows put into a saved package read back cell for cell, at both levels.
    #[test]
    fn spliced_rows_read_back() {
        use calamine::{Data, Reader};
        for rows in [3, FAST_FROM_ROWS] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("book.xlsx");
            let mut book = Workbook::new();
            book.add_worksheet().set_name("first").unwrap().write_string(0, 0, "kept").unwrap();
            let ws = book.add_worksheet().set_name("table").unwrap();
            ws.write_string(0, 0, "name").unwrap();
            ws.write_string(0, 1, "value").unwrap();
            let fill: FillRows = Box::new(|out, styles| {
                let mut w = super::super::sheet_xml::RowWriter::new(2, styles.to_vec());
                for r in 0..2000u32 {
                    let text = format!("indicator {r}");
                    let cells = [
                        Some(super::super::sheet_xml::Cell::Text(&text)),
                        Some(super::super::sheet_xml::Cell::Num(f64::from(r) * 0.5)),
                    ];
                    w.row(out, r + 2, cells.into_iter()).map_err(|e| SinkError::frame("t", e))?;
                }
                w.flush(out).map_err(|e| SinkError::frame("t", e))
            });
            let sheet = DeferredRows {
                index: 1,
                name: "table".into(),
                rows: 2000,
                columns: 2,
                fill,
            };
            save(&mut book, &path, vec![sheet], rows).unwrap();
            let mut back: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
            assert_eq!(
                back.worksheet_range("first").unwrap().get_value((0, 0)),
                Some(&Data::String("kept".into()))
            );
            let range = back.worksheet_range("table").unwrap();
            assert_eq!(range.get_size(), (2001, 2));
            assert_eq!(range.get_value((0, 1)), Some(&Data::String("value".into())));
            assert_eq!(range.get_value((2000, 0)), Some(&Data::String("indicator 1999".into())));
            assert_eq!(range.get_value((2000, 1)), Some(&Data::Float(999.5)));
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
            assert_eq!(left.len(), 1, "temporary files removed: {left:?}");
        }
    }
}
