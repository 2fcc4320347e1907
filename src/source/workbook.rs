//! Workbooks (`.xlsx .xlsm .xls .xlsb .ods`) → one [`Grid`] per sheet through
//! calamine: cached values of formulas, number formats so a typed 0.883 in a
//! `0.0%` cell keeps its meaning, merged regions. calamine 0.38 gives formats
//! for xlsx only and merges for xlsx and xls: [`super::biff`] reads the
//! formats of .xls, [`super::ods`] and [`super::xlsb`] the formats and merges
//! of .ods and .xlsb, and [`super::xlsx_extras`] the merges of .xlsx without
//! calamine's second parse of each sheet, and its formulas saved without a result.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Sheets};

use super::grid::{Cell, CellValue, Grid, Merge};
use super::xlsx_extras::{PartExtras, XlsxExtras};
use super::year_label::{serial_date, year_label};
use super::{Limits, SourceError};

/// What calamine does not give for a sheet, read by this crate.
#[derive(Debug, Default)]
pub struct SheetExtras {
    /// (row, col) of a typed number cell → Excel format code (General is absent).
    pub formats: HashMap<(u32, u32), String>,
    /// Merged regions (used when calamine gives none for the format).
    pub merges: Vec<Merge>,
}

/// [`SheetExtras`] per sheet name.
pub type BookExtras = HashMap<String, SheetExtras>;

/// Reads every sheet of the workbook whose file content is `bytes`.
///
/// # Errors
/// [`SourceError::Workbook`] when calamine cannot open it (not a workbook,
/// truncated, password-protected), [`SourceError::TooLarge`] past the limits.
pub fn read(bytes: &[u8], ext: &str, limits: &Limits) -> Result<Vec<Grid>, SourceError> {
    check_zip_expansion(bytes, limits)?;
    // .xlsx: each sheet part inflated once, for calamine and for `xlsx_extras` (see there).
    let mut parts = matches!(ext, "xlsx" | "xlsm")
        .then(|| XlsxExtras::open(bytes, limits.max_uncompressed_bytes))
        .flatten();
    let repackaged = parts.as_mut().and_then(XlsxExtras::repackage);
    let mut book = match repackaged.as_deref().map(|b| open(b, ext)) {
        Some(Ok(book)) => book,
        _ => open(bytes, ext)?, // calamine's message is about the file as it is
    };
    let names = book.sheet_names().to_vec();
    let hidden: std::collections::HashSet<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let mut extras = match &book {
        Sheets::Xls(_) => super::biff::read_formats(bytes, limits.max_cells_per_sheet),
        Sheets::Ods(_) => super::ods::read_extras(bytes, limits),
        Sheets::Xlsb(_) => super::xlsb::read_extras(bytes, limits),
        _ => BookExtras::new(),
    };
    // Merges and uncomputed formulas of .xlsx sheets read beside calamine
    // (see `xlsx_extras`), also for an .xlsx under another extension.
    if parts.is_none() && matches!(book, Sheets::Xlsx(_)) {
        parts = XlsxExtras::open(bytes, limits.max_uncompressed_bytes);
    }
    let mut grids = Vec::with_capacity(names.len());
    for name in names {
        let grid = match &mut book {
            Sheets::Xlsx(x) => {
                let part = parts.as_mut().and_then(|p| p.sheet(&name)).unwrap_or_default();
                read_xlsx_sheet(x, &name, part, limits)?
            }
            other => read_range_sheet(other, &name, extras.remove(&name).unwrap_or_default(), limits)?,
        };
        let mut grid = grid;
        grid.hidden = hidden.contains(&name);
        grids.push(grid);
    }
    Ok(grids)
}

/// Opens the workbook by its extension, as `calamine::open_workbook_auto`
/// does for a path: sniffing the bytes instead would take a password-protected
/// .xlsx (an OLE container) for an unknown format and lose calamine's
/// "password" message.
fn open<'a>(bytes: &'a [u8], ext: &str) -> Result<Sheets<Cursor<&'a [u8]>>, SourceError> {
    let err = |e: &dyn std::fmt::Display| SourceError::from_calamine(&e.to_string());
    let rs = Cursor::new(bytes);
    Ok(match ext {
        "xlsx" | "xlsm" => Sheets::Xlsx(calamine::open_workbook_from_rs(rs).map_err(|e: calamine::XlsxError| err(&e))?),
        "xls" => Sheets::Xls(calamine::open_workbook_from_rs(rs).map_err(|e: calamine::XlsError| err(&e))?),
        "xlsb" => Sheets::Xlsb(calamine::open_workbook_from_rs(rs).map_err(|e: calamine::XlsbError| err(&e))?),
        "ods" => Sheets::Ods(calamine::open_workbook_from_rs(rs).map_err(|e: calamine::OdsError| err(&e))?),
        _ => calamine::open_workbook_auto_from_rs(rs).map_err(|e| err(&e))?,
    })
}

/// Zip-based workbooks (xlsx, xlsm, xlsb, ods) are refused before opening
/// when their parts would expand past the limit: a zip bomb never reaches memory.
fn check_zip_expansion(bytes: &[u8], limits: &Limits) -> Result<(), SourceError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a zip (xls) or broken: calamine reports it
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(entry) = zip.by_index_raw(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > limits.max_uncompressed_bytes {
        return Err(SourceError::TooLarge(format!(
            "the workbook's parts expand to {total} bytes, more than the limit of {} (a damaged or malicious file?)",
            limits.max_uncompressed_bytes
        )));
    }
    Ok(())
}

/// xlsx: cells streamed one by one (a sheet whose declared dimension is huge
/// but holds little costs what it holds), with their number formats. Merges
/// as read by [`XlsxExtras`]; when it could not, calamine's own (slower) pass.
/// Formulas without a cached result, which calamine gives as empty, become
/// [`CellValue::Uncomputed`] cells so that they are reported, not lost.
fn read_xlsx_sheet<R: std::io::Read + std::io::Seek>(
    x: &mut calamine::Xlsx<R>,
    name: &str,
    part: PartExtras,
    limits: &Limits,
) -> Result<Grid, SourceError> {
    let merges = part.merges.unwrap_or_else(|| calamine_merges(x, name));
    let mut grid = Grid::new(name);
    let mut reader = x
        .worksheet_cells_reader(name)
        .map_err(|e| SourceError::from_calamine(&e.to_string()))?;
    let formats: Vec<Option<String>> = reader
        .styles()
        .iter()
        .map(|st| {
            st.number_format
                .as_ref()
                .map(|nf| nf.format_code.clone())
                .filter(|f| f != "General")
        })
        .collect();
    let struck_styles: Vec<bool> = reader
        .styles()
        .iter()
        .map(|st| st.font.as_ref().is_some_and(|f| f.has_strikethrough()))
        .collect();
    let mut count: u64 = 0;
    let mut render = Renderer::default();
    while let Some((cell, style)) = reader
        .next_cell_with_style_id()
        .map_err(|e| SourceError::from_calamine(&e.to_string()))?
    {
        let (row, col) = cell.get_position();
        let data: Data = cell.get_value().clone().into();
        if matches!(data, Data::Empty) {
            continue;
        }
        count += 1;
        if count > limits.max_cells_per_sheet {
            return Err(too_many(name, limits));
        }
        if let Some(c) = to_cell(row, col, data, formats.get(style).cloned().flatten(), &mut render) {
            if struck_styles.get(style).copied().unwrap_or(false) {
                grid.struck.push((row, col));
            }
            grid.push(c);
        }
    }
    drop(reader);
    for u in part.uncomputed {
        if grid.get(u.row, u.col).is_none() {
            grid.push(Cell {
                row: u.row,
                col: u.col,
                raw: format!("={}", u.formula),
                value: CellValue::Uncomputed,
                format: None,
            });
        }
    }
    grid.merges = merges;
    grid.hidden_rows = part.hidden_rows;
    grid.hidden_cols = part.hidden_cols;
    Ok(grid)
}

/// A sheet's merged regions through calamine, which parses the sheet's XML again.
pub fn calamine_merges<R: std::io::Read + std::io::Seek>(x: &mut calamine::Xlsx<R>, name: &str) -> Vec<Merge> {
    let to_merge = |d: &calamine::Dimensions| Merge {
        first_row: d.start.0,
        first_col: d.start.1,
        last_row: d.end.0,
        last_col: d.end.1,
    };
    x.merge_cells_by_sheet_name(name)
        .map(|v| v.iter().map(to_merge).collect())
        .unwrap_or_default()
}

fn too_many(name: &str, limits: &Limits) -> SourceError {
    SourceError::TooLarge(format!("sheet '{name}' holds more than {} cells", limits.max_cells_per_sheet))
}

/// xls, xlsb, ods: through calamine's range (cached values of formulas), with
/// the formats and merges read beside calamine in `extras`.
fn read_range_sheet<R: std::io::Read + std::io::Seek>(
    book: &mut Sheets<R>,
    name: &str,
    mut extras: SheetExtras,
    limits: &Limits,
) -> Result<Grid, SourceError> {
    let range = book.worksheet_range(name).map_err(|e| SourceError::from_calamine(&e.to_string()))?;
    let used = range.used_cells().filter(|(_, _, d)| !matches!(d, Data::Empty)).count() as u64;
    if used > limits.max_cells_per_sheet {
        return Err(too_many(name, limits));
    }
    let mut grid = Grid::new(name);
    let start = range.start().unwrap_or((0, 0));
    let mut render = Renderer::default();
    for (r, c, data) in range.used_cells() {
        let (row, col) = (start.0 + r as u32, start.1 + c as u32);
        let format = extras.formats.remove(&(row, col));
        if let Some(cell) = to_cell(row, col, data.clone(), format, &mut render) {
            grid.push(cell);
        }
    }
    grid.merges = std::mem::take(&mut extras.merges);
    #[allow(deprecated)]
    if let Sheets::Xls(x) = book {
        let to_merge = |d: &calamine::Dimensions| Merge {
            first_row: d.start.0,
            first_col: d.start.1,
            last_row: d.end.0,
            last_col: d.end.1,
        };
        grid.merges = x
            .worksheet_merge_cells(name)
            .map(|v| v.iter().map(to_merge).collect())
            .unwrap_or_default();
    }
    Ok(grid)
}

/// One cell from calamine's value, taken by value so a text moves into the
/// grid instead of being copied (most cells are text).
fn to_cell(row: u32, col: u32, data: Data, format: Option<String>, render: &mut Renderer) -> Option<Cell> {
    let (value, raw) = match data {
        Data::Empty => return None,
        // An .ods formula's error result comes as its text (`#DIV/0!`); a
        // pasted error value is one too: both show a formula's error.
        Data::String(s) if is_error_literal(&s) => (CellValue::Error(s.clone()), s),
        Data::String(s) => (CellValue::Text, s),
        Data::Int(i) => (CellValue::Number(i as f64), render.display(i as f64, format.as_deref())),
        Data::Float(f) => (CellValue::Number(f), render.display(f, format.as_deref())),
        Data::Bool(b) => (CellValue::Bool(b), if b { "TRUE".into() } else { "FALSE".into() }),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) => (CellValue::Date(d), date_text(d, format.as_deref())),
            None => (CellValue::Number(dt.as_f64()), dt.as_f64().to_string()),
        },
        // .ods dates come as ISO text; read as the date an .xlsx gives.
        Data::DateTimeIso(s) => match iso_datetime(&s) {
            Some(d) => (CellValue::Date(d), date_text(d, format.as_deref())),
            None => (CellValue::Text, s),
        },
        Data::DurationIso(s) => (CellValue::Text, s),
        Data::Error(e) => (CellValue::Error(e.to_string()), e.to_string()),
    };
    Some(Cell {
        row,
        col,
        raw,
        value,
        format,
    })
}

/// Excel's error values as a cell shows them.
const ERROR_LITERALS: [&str; 10] = [
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
];

/// The whole text is one of Excel's error values.
fn is_error_literal(text: &str) -> bool {
    ERROR_LITERALS.contains(&text.trim())
}

/// A date cell's text: the year label its format shows when the format
/// shows the year alone (`2023年度`: a header typed as a date), else the
/// ISO date, a day.
fn date_text(d: chrono::NaiveDateTime, format: Option<&str>) -> String {
    format
        .and_then(|f| year_label(d.date(), f))
        .unwrap_or_else(|| d.format("%Y-%m-%d").to_string())
}

/// `2023-04-01` or `2023-04-01T10:30:00[.fff]` (ODF's office:date-value).
fn iso_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0))
}

/// Renders typed numbers the way Excel shows them, through `ssfmt` (which
/// follows Excel's rules: sections, quoted and `\`-escaped literals,
/// thousands scaling); each format is parsed once per sheet.
#[derive(Default)]
struct Renderer {
    /// Each format parsed, with its whole-number scaling ([`whole_scaling`]).
    parsed: HashMap<String, Option<(ssfmt::NumberFormat, f64)>>,
}

impl Renderer {
    fn display(&mut self, v: f64, format: Option<&str>) -> String {
        let Some(fmt) = format else { return plain(v) };
        // ssfmt renders integer parts through u64: past 1e15 (and for NaN or
        // infinity) the plain number is the honest text.
        if !v.is_finite() || v.abs() >= 1e15 {
            return plain(v);
        }
        // A date format calamine took for a number's (`[$-411]ggge"年度"`:
        // ssfmt knows no era) that shows the year alone: its year label.
        if let Some(label) = serial_date(v).and_then(|d| year_label(d, fmt)) {
            return label;
        }
        if !self.parsed.contains_key(fmt) {
            let nf = ssfmt::NumberFormat::parse(fmt).ok().map(|nf| {
                let unit = whole_scaling(&nf);
                (nf, unit)
            });
            self.parsed.insert(fmt.to_string(), nf);
        }
        match self.parsed.get(fmt) {
            Some(Some((nf, unit))) => match nf.try_format(rounded_for_scaling(v, *unit), &ssfmt::FormatOptions::default()) {
                Ok(s) => s,
                Err(_) => plain(v),
            },
            // A format ssfmt cannot parse: the plain number rather than a guess.
            _ => plain(v),
        }
    }
}

/// `v` rounded half away from zero to the thousands a scaling format shows
/// (`#,##0,"千円"`: 52,345,678 shows as 52,346千円), when it is a whole number
/// and `unit` (from [`whole_scaling`]) is more than 1. ssfmt 0.1.2 divides
/// whole numbers by 1,000 with integer division there, so 52,345,678 came out
/// as 52,345千円; its other path rounds as Excel does.
fn rounded_for_scaling(v: f64, unit: f64) -> f64 {
    if unit <= 1.0 || v.fract() != 0.0 || v.abs() >= 9e15 {
        return v;
    }
    (v / unit).round() * unit
}

/// What a format divides whole numbers by (1,000 per comma after its last
/// digit placeholder), when every section with digits scales alike and shows
/// no decimals; else 1 (nothing to round).
fn whole_scaling(nf: &ssfmt::NumberFormat) -> f64 {
    use ssfmt::ast::FormatPart as P;
    let scale = |parts: &[P]| {
        let tail = parts.iter().rev().take_while(|p| !matches!(p, P::Digit(_) | P::DecimalPoint));
        tail.filter(|p| matches!(p, P::ThousandsSeparator)).count()
    };
    let numeric: Vec<&[P]> = nf
        .sections()
        .iter()
        .map(|s| s.parts.as_slice())
        .filter(|parts| parts.iter().any(|p| matches!(p, P::Digit(_))))
        .collect();
    let Some(k) = numeric.first().map(|parts| scale(parts)) else {
        return 1.0;
    };
    let alike = numeric
        .iter()
        .all(|parts| scale(parts) == k && !parts.iter().any(|p| matches!(p, P::DecimalPoint)));
    if alike { 1000_f64.powi(k as i32) } else { 1.0 }
}

/// Renders a typed number the way Excel shows it in `format` (an Excel
/// format code; None is General).
pub fn display_number(v: f64, format: Option<&str>) -> String {
    Renderer::default().display(v, format)
}

/// General: the shortest text that reads back as the same number.
fn plain(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::{display_number, iso_datetime};

    #[test]
    fn ods_iso_dates_parse() {
        let d = |s: &str| iso_datetime(s).map(|d| d.to_string());
        assert_eq!(d("2023-04-01").as_deref(), Some("2023-04-01 00:00:00"));
        assert_eq!(d("2023-04-01T10:30:00").as_deref(), Some("2023-04-01 10:30:00"));
        assert_eq!(d("2023-04-01T10:30:00.5").as_deref(), Some("2023-04-01 10:30:00.500"));
        assert_eq!(d("R5.4.1"), None);
    }

    #[test]
    fn typed_numbers_display_as_formatted() {
        assert_eq!(display_number(0.883, Some("0.0%")), "88.3%");
        assert_eq!(display_number(0.6559999999999999, Some("0.0%")), "65.6%");
        assert_eq!(display_number(1.0, Some("0%")), "100%");
        assert_eq!(display_number(1266.0, Some("#,##0\"件\"")), "1,266件");
        assert_eq!(display_number(130.0, Some("0\"人\"")), "130人");
        assert_eq!(display_number(14.1, None), "14.1");
        assert_eq!(display_number(88.7, Some("0.0\"%\"")), "88.7%");
        // LibreOffice's .xls escapes literals with a backslash.
        assert_eq!(display_number(1266.0, Some("#,##0\\件")), "1,266件");
        assert_eq!(display_number(900.0, Some("0\\件")), "900件");
        // Sections, scaling, a prefix literal.
        assert_eq!(display_number(-5.0, Some("0\"件\";\"▲\"0\"件\"")), "▲5件");
        assert_eq!(display_number(15_000_000.0, Some("#,##0,\"千回\"")), "15,000千回");
        // Scaling rounds as Excel does (ssfmt alone truncates whole numbers).
        assert_eq!(display_number(52_345_678.0, Some("#,##0,\"千円\"")), "52,346千円");
        assert_eq!(display_number(-52_345_678.0, Some("#,##0,;\"▲\"#,##0,")), "▲52,346");
        assert_eq!(display_number(1_234_567_890.0, Some("0,,\"百万\"")), "1235百万");
        assert_eq!(display_number(52_345_678.0, Some("#,##0.0,")), "52,345.7");
        assert_eq!(display_number(52_345_499.0, Some("#,##0,")), "52,345");
        assert_eq!(display_number(3.0, Some("\"第\"0\"回\"")), "第3回");
        // A date format calamine gives as a number's (an era): its year label.
        assert_eq!(display_number(44652.0, Some("[$-411]ggge\"年度\"")), "R4年度");
        // Past ssfmt's range, and non-numbers: the plain number.
        assert_eq!(display_number(1e20, Some("0")), "100000000000000000000");
        assert_eq!(display_number(f64::NAN, Some("0.0%")), "NaN");
        assert_eq!(display_number(0.5, Some("[[[")), "0.5");
    }
}
