//! OpenDocument spreadsheets (`.ods`): what calamine 0.38 does not give, read
//! from the package's XML once per file: each typed number cell's format
//! (translated into the equivalent Excel format code) and merged regions.
//!
//! ```text
//! <table:table-cell table:style-name="ce4" office:value-type="percentage" office:value="0.887">
//!        │ content.xml / styles.xml
//!        ▼
//! <style:style style:name="ce4" style:data-style-name="N145"/>
//!        ▼
//! <number:percentage-style style:name="N145">
//!   <number:number number:decimal-places="1" number:min-integer-digits="1"/>
//!   <number:text>%</number:text>                              →  0.0%
//! ```
//!
//! Anything that cannot be read (no `content.xml`, broken XML) gives no
//! formats and no merges: the cells still come from calamine, as before.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Limits;
use super::grid::Merge;
use super::workbook::{BookExtras, SheetExtras};

/// Reads the formats and merges of every sheet of the .ods whose content is
/// `bytes`. Never fails: what cannot be read is left out.
pub fn read_extras(bytes: &[u8], limits: &Limits) -> BookExtras {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return BookExtras::new();
    };
    let mut part = |name: &str| -> Option<Vec<u8>> {
        let f = zip.by_name(name).ok()?;
        // The expansion was checked against the limit before; this bound
        // only guards against a size the zip directory understated.
        let mut out = Vec::new();
        f.take(limits.max_uncompressed_bytes).read_to_end(&mut out).ok()?;
        Some(out)
    };
    let styles_xml = part("styles.xml");
    let Some(content_xml) = part("content.xml") else {
        return BookExtras::new();
    };
    let mut styles = Styles::default();
    if let Some(s) = &styles_xml {
        styles.collect(s, None, limits);
    }
    let mut sheets = SheetCollector::default();
    styles.collect(&content_xml, Some(&mut sheets), limits);
    sheets.finish(&styles)
}

/// A piece of an ODF number style, in document order.
#[derive(Debug, Clone)]
enum Part {
    Number {
        decimals: Option<u32>,
        min_decimals: Option<u32>,
        min_int: u32,
        grouping: bool,
        factor: f64,
    },
    Scientific {
        decimals: u32,
        min_int: u32,
        exp_digits: u32,
    },
    Fraction,
    Text(String),
    Currency(String),
    /// A date style's part as Excel's code for it (`yyyy`, `ggg`, `e`, `m`, …).
    Date(&'static str),
}

/// A `number:*-style` element.
#[derive(Debug, Clone, Default)]
struct NumberStyle {
    percentage: bool,
    /// A date style counting years by the Japanese era (`number:calendar="gengou"`).
    gengou: bool,
    parts: Vec<Part>,
    /// The style applied to values ≥ 0 (`style:map`), which is Excel's first section.
    positive: Option<String>,
}

/// `style:style`: its data style and parent.
#[derive(Debug, Clone, Default)]
struct CellStyle {
    data_style: Option<String>,
    parent: Option<String>,
}

#[derive(Debug, Default)]
struct Styles {
    number: HashMap<String, NumberStyle>,
    cell: HashMap<String, CellStyle>,
}

/// The attribute `name` of `e`, unescaped.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    Some(unescape(&a.value))
}

fn attr_u32(e: &BytesStart, name: &str) -> Option<u32> {
    attr(e, name)?.trim().parse().ok()
}

/// The five predefined XML entities and numeric references.
pub(super) fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';') else { break };
        match entity(&rest[1..end]) {
            Some(c) => out.push(c),
            None => out.push_str(&rest[..=end]),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

/// Where a text run inside a number style goes.
enum TextTarget {
    None,
    Text,
    Currency,
}

impl Styles {
    /// Collects the styles of one XML part; with `sheets`, also walks its
    /// tables (content.xml). One pass over the part.
    fn collect(&mut self, xml: &[u8], mut sheets: Option<&mut SheetCollector>, limits: &Limits) {
        let mut reader = Reader::from_reader(xml);
        let mut buf = Vec::new();
        // The number style being read, with its name.
        let mut current: Option<(String, NumberStyle)> = None;
        let mut target = TextTarget::None;
        let mut text = String::new();
        loop {
            let ev = match reader.read_event_into(&mut buf) {
                Ok(Event::Eof) | Err(_) => break,
                Ok(ev) => ev,
            };
            match ev {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(ev, Event::Empty(_));
                    let name = e.name();
                    let name = name.as_ref();
                    match name {
                        "style:style" => {
                            if let Some(n) = attr(e, "style:name") {
                                self.cell.insert(
                                    n,
                                    CellStyle {
                                        data_style: attr(e, "style:data-style-name"),
                                        parent: attr(e, "style:parent-style-name"),
                                    },
                                );
                            }
                        }
                        "number:number-style" | "number:percentage-style" | "number:currency-style" | "number:date-style" => {
                            let style = NumberStyle {
                                percentage: name == "number:percentage-style",
                                ..Default::default()
                            };
                            current = attr(e, "style:name").map(|n| (n, style));
                            if empty {
                                self.end_style(&mut current);
                            }
                        }
                        "number:number" => {
                            if let Some((_, s)) = &mut current {
                                s.parts.push(Part::Number {
                                    decimals: attr_u32(e, "number:decimal-places"),
                                    min_decimals: attr_u32(e, "number:min-decimal-places"),
                                    min_int: attr_u32(e, "number:min-integer-digits").unwrap_or(0),
                                    grouping: attr(e, "number:grouping").as_deref() == Some("true"),
                                    factor: attr(e, "number:display-factor").and_then(|f| f.trim().parse().ok()).unwrap_or(1.0),
                                });
                            }
                        }
                        "number:scientific-number" => {
                            if let Some((_, s)) = &mut current {
                                s.parts.push(Part::Scientific {
                                    decimals: attr_u32(e, "number:decimal-places").unwrap_or(0),
                                    min_int: attr_u32(e, "number:min-integer-digits").unwrap_or(1),
                                    exp_digits: attr_u32(e, "number:min-exponent-digits").unwrap_or(2),
                                });
                            }
                        }
                        "number:fraction" => {
                            if let Some((_, s)) = &mut current {
                                s.parts.push(Part::Fraction);
                            }
                        }
                        "number:text" | "number:currency-symbol" if current.is_some() && !empty => {
                            target = if name == "number:text" {
                                TextTarget::Text
                            } else {
                                TextTarget::Currency
                            };
                            text.clear();
                        }
                        date_part if date_part.starts_with("number:") && current.is_some() => {
                            if let (Some((_, s)), Some(code)) = (&mut current, date_code(e)) {
                                s.gengou |= attr(e, "number:calendar").as_deref() == Some("gengou");
                                s.parts.push(Part::Date(code));
                            }
                        }
                        "style:map" => {
                            if let Some((_, s)) = &mut current {
                                let cond = attr(e, "style:condition").unwrap_or_default();
                                let cond: String = cond.chars().filter(|c| !c.is_whitespace()).collect();
                                if cond == "value()>=0" || cond == "value()>0" {
                                    s.positive = attr(e, "style:apply-style-name");
                                }
                            }
                        }
                        _ => {
                            if let Some(sc) = sheets.as_deref_mut() {
                                sc.start(e, empty, limits);
                            }
                        }
                    }
                }
                Event::Text(t) if !matches!(target, TextTarget::None) => text.push_str(&t),
                Event::GeneralRef(r) => {
                    if !matches!(target, TextTarget::None)
                        && let Some(c) = entity(&r)
                    {
                        text.push(c);
                    }
                }
                Event::End(e) => match e.name().as_ref() {
                    "number:number-style" | "number:percentage-style" | "number:currency-style" | "number:date-style" => {
                        self.end_style(&mut current);
                    }
                    "number:text" | "number:currency-symbol" => {
                        if let Some((_, s)) = &mut current {
                            match target {
                                TextTarget::Text => s.parts.push(Part::Text(std::mem::take(&mut text))),
                                TextTarget::Currency => s.parts.push(Part::Currency(std::mem::take(&mut text))),
                                TextTarget::None => {}
                            }
                        }
                        target = TextTarget::None;
                    }
                    other => {
                        if let Some(sc) = sheets.as_deref_mut() {
                            sc.end(other);
                        }
                    }
                },
                _ => {}
            }
            buf.clear();
        }
    }

    fn end_style(&mut self, current: &mut Option<(String, NumberStyle)>) {
        if let Some((name, style)) = current.take() {
            self.number.insert(name, style);
        }
    }

    /// The Excel format code of the cell style `name` (None for General or
    /// a style that is not a number style: dates, text, booleans).
    fn format_of_cell_style(&self, name: &str) -> Option<String> {
        let mut name = name;
        // Parents are followed a few levels only: a cycle in a damaged file ends here.
        for _ in 0..16 {
            let style = self.cell.get(name)?;
            if let Some(ds) = &style.data_style {
                return self.format_of_number_style(ds);
            }
            name = style.parent.as_deref()?;
        }
        None
    }

    fn format_of_number_style(&self, name: &str) -> Option<String> {
        let style = self.number.get(name)?;
        // LibreOffice writes a signed format as the negative section mapping
        // values ≥ 0 to a positive style: that one is Excel's first section.
        let (first, rest) = match style.positive.as_deref().and_then(|p| self.number.get(p)) {
            Some(pos) => (pos, Some(style)),
            None => (style, None),
        };
        let first = section_code(first)?;
        match rest.and_then(section_code) {
            Some(neg) => Some(format!("{first};{neg}")),
            None => Some(first),
        }
    }
}

/// One number style → one section of an Excel format code; None for General.
fn section_code(style: &NumberStyle) -> Option<String> {
    let mut out = String::new();
    let mut general = true;
    for part in &style.parts {
        match part {
            Part::Number {
                decimals,
                min_decimals,
                min_int,
                grouping,
                factor,
            } => {
                let Some(decimals) = *decimals else {
                    // No decimal places: LibreOffice's "Standard", Excel's General.
                    out.push_str("General");
                    continue;
                };
                general = false;
                out.push_str(&integer_digits(*min_int, *grouping));
                if decimals > 0 {
                    let min = min_decimals.unwrap_or(decimals).min(decimals);
                    out.push('.');
                    out.extend(std::iter::repeat_n('0', min as usize));
                    out.extend(std::iter::repeat_n('#', (decimals - min) as usize));
                }
                // A display factor of 1000 is Excel's trailing comma.
                let mut f = *factor;
                while f >= 1000.0 && out.len() < 64 {
                    out.push(',');
                    f /= 1000.0;
                }
            }
            Part::Scientific {
                decimals,
                min_int,
                exp_digits,
            } => {
                general = false;
                out.push_str(&"0".repeat((*min_int).clamp(1, 16) as usize));
                if *decimals > 0 {
                    out.push('.');
                    out.push_str(&"0".repeat((*decimals).min(30) as usize));
                }
                out.push_str("E+");
                out.push_str(&"0".repeat((*exp_digits).clamp(1, 4) as usize));
            }
            Part::Fraction => {
                general = false;
                out.push_str("# ?/?");
            }
            Part::Text(t) => {
                general = false;
                push_literal(&mut out, t, style.percentage);
            }
            Part::Currency(sym) => {
                general = false;
                push_literal(&mut out, sym, false);
            }
            Part::Date(code) => {
                general = false;
                out.push_str(code);
            }
        }
    }
    if style.gengou {
        out.insert_str(0, "[$-411]");
    }
    if general || out.is_empty() || out == "General" {
        return None;
    }
    Some(out)
}

/// A date style's part (`<number:year number:style="long"/>`) as Excel's
/// code (`yyyy`); None for an element that is no date part.
fn date_code(e: &BytesStart) -> Option<&'static str> {
    let long = attr(e, "number:style").as_deref() == Some("long");
    let textual = attr(e, "number:textual").as_deref() == Some("true");
    let gengou = attr(e, "number:calendar").as_deref() == Some("gengou");
    let pick = |long_code, short_code| Some(if long { long_code } else { short_code });
    match e.name().as_ref() {
        "number:era" => pick("ggg", "g"),
        "number:year" if gengou => pick("ee", "e"),
        "number:year" => pick("yyyy", "yy"),
        "number:month" if textual => pick("mmmm", "mmm"),
        "number:month" => pick("mm", "m"),
        "number:day" => pick("dd", "d"),
        "number:day-of-week" => pick("dddd", "ddd"),
        "number:hours" => pick("hh", "h"),
        "number:minutes" => pick("mm", "m"),
        "number:seconds" => pick("ss", "s"),
        "number:am-pm" => Some("AM/PM"),
        // No Excel code: a letter no year label has.
        "number:quarter" | "number:week-of-year" => Some("q"),
        _ => None,
    }
}

/// The integer part: `0`, `#,##0`, `#` (no minimum digit), `00` …
fn integer_digits(min_int: u32, grouping: bool) -> String {
    let min = min_int.min(30) as usize;
    if grouping {
        // Always at least four places so the comma sits between hundreds and thousands.
        let width = min.max(4);
        let digits: String = (0..width).map(|i| if width - i <= min { '0' } else { '#' }).collect();
        let (a, b) = digits.split_at(width - 3);
        return format!("{a},{b}");
    }
    if min == 0 { "#".to_string() } else { "0".repeat(min) }
}

/// Text of a number style as Excel literals: quoted, except the `%` of a
/// percentage style, which is the percent sign itself.
fn push_literal(out: &mut String, text: &str, percentage: bool) {
    let mut quoted = String::new();
    let flush = |out: &mut String, q: &mut String| {
        if !q.is_empty() {
            out.push('"');
            out.push_str(&q.replace('"', ""));
            out.push('"');
            q.clear();
        }
    };
    for c in text.chars() {
        if percentage && c == '%' {
            flush(out, &mut quoted);
            out.push('%');
        } else {
            quoted.push(c);
        }
    }
    flush(out, &mut quoted);
}

/// Positions of the cells and merges of the tables in content.xml.
#[derive(Debug, Default)]
struct SheetCollector {
    done: Vec<(String, RawSheet)>,
    sheet: Option<(String, RawSheet)>,
    row: u32,
    col: u32,
    /// Rows the current row element stands for.
    rows_repeated: u32,
    row_style: Option<u32>,
    /// Column default styles: (first column, count, style id).
    columns: Vec<(u32, u32, Option<u32>)>,
    next_column: u32,
    /// Depth of table-cell elements open: a table nested in a cell is not a sheet.
    cell_depth: u32,
    /// Style names, interned: cells hold their index.
    style_names: Vec<String>,
    style_ids: HashMap<String, u32>,
    /// Typed cells recorded so far in this sheet (bounded by the cell limit).
    recorded: u64,
}

#[derive(Debug, Default)]
struct RawSheet {
    cells: HashMap<(u32, u32), u32>,
    merges: Vec<Merge>,
}

/// Typed number and date cells: the only ones whose format matters (a
/// date's, when it shows the year alone: see `year_label`).
fn is_number_type(t: &str) -> bool {
    matches!(t, "float" | "percentage" | "currency" | "date")
}

impl SheetCollector {
    fn intern(&mut self, name: String) -> u32 {
        if let Some(&id) = self.style_ids.get(&name) {
            return id;
        }
        let id = self.style_names.len() as u32;
        self.style_ids.insert(name.clone(), id);
        self.style_names.push(name);
        id
    }

    fn column_style(&self, col: u32) -> Option<u32> {
        // Columns are pushed left to right: the last one starting at or before `col`.
        let i = self.columns.partition_point(|(first, _, _)| *first <= col);
        let (first, n, style) = *self.columns.get(i.checked_sub(1)?)?;
        if col - first < n { style } else { None }
    }

    fn start(&mut self, e: &BytesStart, empty: bool, limits: &Limits) {
        let name = e.name();
        match name.as_ref() {
            "table:table" if self.cell_depth == 0 && !empty => {
                self.sheet = Some((attr(e, "table:name").unwrap_or_default(), RawSheet::default()));
                self.row = 0;
                self.recorded = 0;
                self.columns.clear();
                self.next_column = 0;
            }
            "table:table-column" if self.sheet.is_some() && self.cell_depth == 0 => {
                let n = attr_u32(e, "table:number-columns-repeated").unwrap_or(1).max(1);
                let style = attr(e, "table:default-cell-style-name").map(|s| self.intern(s));
                self.columns.push((self.next_column, n, style));
                self.next_column = self.next_column.saturating_add(n);
            }
            "table:table-row" if self.sheet.is_some() && self.cell_depth == 0 => {
                self.rows_repeated = attr_u32(e, "table:number-rows-repeated").unwrap_or(1).max(1);
                self.row_style = attr(e, "table:default-cell-style-name").map(|s| self.intern(s));
                self.col = 0;
                if empty {
                    self.end_row();
                }
            }
            "table:table-cell" | "table:covered-table-cell" if self.sheet.is_some() && self.cell_depth == 0 => {
                let repeated = attr_u32(e, "table:number-columns-repeated").unwrap_or(1).max(1);
                if name.as_ref() == "table:table-cell" {
                    self.cell(e, repeated, limits);
                }
                self.col = self.col.saturating_add(repeated);
                if !empty {
                    self.cell_depth += 1;
                }
            }
            "table:table-cell" | "table:covered-table-cell" if !empty => self.cell_depth += 1,
            _ => {}
        }
    }

    /// Records a table-cell's format (typed numbers) and merge.
    fn cell(&mut self, e: &BytesStart, repeated: u32, limits: &Limits) {
        let (row, col) = (self.row, self.col);
        let spans = (
            attr_u32(e, "table:number-rows-spanned").unwrap_or(1),
            attr_u32(e, "table:number-columns-spanned").unwrap_or(1),
        );
        let is_number = attr(e, "office:value-type").is_some_and(|t| is_number_type(&t));
        let style = if is_number {
            // ODF: the cell's own style, else its row's default, else its column's.
            match attr(e, "table:style-name") {
                Some(s) => Some(self.intern(s)),
                None => self.row_style.or_else(|| self.column_style(col)),
            }
        } else {
            None
        };
        let rows_repeated = self.rows_repeated;
        let Some((_, sheet)) = &mut self.sheet else { return };
        if spans.0 > 1 || spans.1 > 1 {
            sheet.merges.push(Merge {
                first_row: row,
                first_col: col,
                last_row: row.saturating_add(spans.0 - 1),
                last_col: col.saturating_add(spans.1 - 1),
            });
        }
        if let Some(style) = style {
            // A repeated typed value is that many cells, as calamine reads it;
            // bounded by the cell limit so a crafted repeat count costs nothing.
            for r in 0..rows_repeated {
                for c in 0..repeated {
                    if self.recorded >= limits.max_cells_per_sheet {
                        return;
                    }
                    self.recorded += 1;
                    sheet.cells.insert((row.saturating_add(r), col.saturating_add(c)), style);
                }
            }
        }
    }

    fn end_row(&mut self) {
        self.row = self.row.saturating_add(self.rows_repeated);
        self.rows_repeated = 1;
        self.row_style = None;
    }

    fn end(&mut self, name: &str) {
        match name {
            "table:table-cell" | "table:covered-table-cell" => self.cell_depth = self.cell_depth.saturating_sub(1),
            "table:table-row" if self.cell_depth == 0 => self.end_row(),
            "table:table" if self.cell_depth == 0 => {
                if let Some(s) = self.sheet.take() {
                    self.done.push(s);
                }
            }
            _ => {}
        }
    }

    /// Resolves the interned style names to format codes.
    fn finish(self, styles: &Styles) -> BookExtras {
        let codes: Vec<Option<String>> = self.style_names.iter().map(|n| styles.format_of_cell_style(n)).collect();
        self.done
            .into_iter()
            .map(|(name, raw)| {
                let formats = raw
                    .cells
                    .into_iter()
                    .filter_map(|(pos, id)| Some((pos, codes.get(id as usize)?.clone()?)))
                    .collect();
                (
                    name,
                    SheetExtras {
                        formats,
                        merges: raw.merges,
                    },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(decimals: Option<u32>, min_int: u32, grouping: bool) -> Part {
        Part::Number {
            decimals,
            min_decimals: decimals,
            min_int,
            grouping,
            factor: 1.0,
        }
    }

    fn code(percentage: bool, parts: Vec<Part>) -> Option<String> {
        section_code(&NumberStyle {
            percentage,
            parts,
            positive: None,
            gengou: false,
        })
    }

    #[test]
    fn number_styles_become_excel_codes() {
        assert_eq!(
            code(true, vec![number(Some(1), 1, false), Part::Text("%".into())]).as_deref(),
            Some("0.0%")
        );
        assert_eq!(
            code(true, vec![number(Some(0), 1, false), Part::Text("%".into())]).as_deref(),
            Some("0%")
        );
        assert_eq!(
            code(false, vec![number(Some(0), 1, true), Part::Text("件".into())]).as_deref(),
            Some("#,##0\"件\"")
        );
        assert_eq!(
            code(false, vec![number(Some(0), 1, false), Part::Text("人".into())]).as_deref(),
            Some("0\"人\"")
        );
        // A % in a number style is a literal unit, quoted.
        assert_eq!(
            code(false, vec![number(Some(1), 1, false), Part::Text("%".into())]).as_deref(),
            Some("0.0\"%\"")
        );
        assert_eq!(code(false, vec![number(Some(2), 1, true)]).as_deref(), Some("#,##0.00"));
        assert_eq!(code(false, vec![number(Some(0), 0, false)]).as_deref(), Some("#"));
        assert_eq!(code(false, vec![number(None, 1, false)]), None, "LibreOffice Standard = General");
        assert_eq!(
            code(false, vec![Part::Currency("¥".into()), number(Some(0), 1, true)]).as_deref(),
            Some("\"¥\"#,##0")
        );
    }

    #[test]
    fn positive_section_comes_first() {
        let xml = r#"<office:document-styles><office:styles>
            <number:number-style style:name="N5P0"><number:number number:decimal-places="0" number:min-integer-digits="1" number:grouping="true"/><number:text>件</number:text></number:number-style>
            <number:number-style style:name="N5"><number:text>-</number:text><number:number number:decimal-places="0" number:min-integer-digits="1" number:grouping="true"/><style:map style:condition="value()&gt;=0" style:apply-style-name="N5P0"/></number:number-style>
            <style:style style:name="Base" style:family="table-cell" style:data-style-name="N5"/>
            <style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Base"/>
            </office:styles></office:document-styles>"#.as_bytes();
        let mut s = Styles::default();
        s.collect(xml, None, &Limits::default());
        assert_eq!(s.format_of_cell_style("ce1").as_deref(), Some("#,##0\"件\";\"-\"#,##0"));
        assert_eq!(s.format_of_cell_style("missing"), None);
    }

    /// Date styles, as LibreOffice writes a year label typed as a date
    /// (`2023年度`, `令和4年度`), become Excel's date codes, and date cells keep them.
    #[test]
    fn date_styles_become_excel_codes() {
        let xml = r#"<office:document-content><office:automatic-styles>
            <number:date-style style:name="N1"><number:year number:style="long"/><number:text>年度</number:text></number:date-style>
            <number:date-style style:name="N2" number:language="ja" number:country="JP"><number:era number:calendar="gengou" number:style="long"/><number:year number:calendar="gengou"/><number:text>年度</number:text></number:date-style>
            <number:date-style style:name="N3"><number:year number:style="long"/><number:text>/</number:text><number:month/><number:text>/</number:text><number:day/></number:date-style>
            <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
            <style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>
            <style:style style:name="ce3" style:family="table-cell" style:data-style-name="N3"/>
            </office:automatic-styles><office:body><office:spreadsheet>
            <table:table table:name="S"><table:table-row>
              <table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="2023-04-01"><text:p>2023年度</text:p></table:table-cell>
              <table:table-cell table:style-name="ce2" office:value-type="date" office:date-value="2022-04-01"><text:p>令和4年度</text:p></table:table-cell>
              <table:table-cell table:style-name="ce3" office:value-type="date" office:date-value="2023-12-31"><text:p>2023/12/31</text:p></table:table-cell>
            </table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#.as_bytes();
        let mut styles = Styles::default();
        let mut sheets = SheetCollector::default();
        styles.collect(xml, Some(&mut sheets), &Limits::default());
        let s = &sheets.finish(&styles)["S"];
        let at = |c: u32| s.formats.get(&(0, c)).map(String::as_str);
        assert_eq!(at(0), Some("yyyy\"年度\""));
        assert_eq!(at(1), Some("[$-411]ggge\"年度\""));
        assert_eq!(at(2), Some("yyyy\"/\"m\"/\"d"));
    }

    #[test]
    fn cells_rows_repeats_and_spans_are_placed() {
        let xml = r#"<office:document-content><office:automatic-styles>
            <number:percentage-style style:name="N1"><number:number number:decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
            <number:number-style style:name="N2"><number:number number:decimal-places="0" number:min-integer-digits="1"/><number:text>人</number:text></number:number-style>
            <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
            <style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>
            </office:automatic-styles><office:body><office:spreadsheet>
            <table:table table:name="S">
              <table:table-column table:number-columns-repeated="2"/>
              <table:table-column table:default-cell-style-name="ce2"/>
              <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
              <table:table-row>
                <table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>R3</text:p></table:table-cell>
                <table:covered-table-cell/>
                <table:table-cell office:value-type="float" office:value="29"><text:p>29人</text:p></table:table-cell>
              </table:table-row>
              <table:table-row>
                <table:table-cell table:number-columns-repeated="2" table:style-name="ce1" office:value-type="percentage" office:value="0.887"/>
              </table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#.as_bytes();
        let mut styles = Styles::default();
        let mut sheets = SheetCollector::default();
        styles.collect(xml, Some(&mut sheets), &Limits::default());
        let book = sheets.finish(&styles);
        let s = &book["S"];
        assert_eq!(s.formats.get(&(2, 2)).map(String::as_str), Some("0\"人\""), "column default style");
        assert_eq!(s.formats.get(&(3, 0)).map(String::as_str), Some("0.0%"));
        assert_eq!(s.formats.get(&(3, 1)).map(String::as_str), Some("0.0%"));
        assert_eq!(s.formats.len(), 3, "text cells get no format");
        assert_eq!(
            s.merges,
            vec![Merge {
                first_row: 2,
                first_col: 0,
                last_row: 2,
                last_col: 1
            }]
        );
    }

    #[test]
    fn repeated_typed_cells_are_bounded_by_the_cell_limit() {
        let xml = r#"<office:document-content><office:automatic-styles>
            <number:number-style style:name="N1"><number:number number:decimal-places="0" number:min-integer-digits="1"/></number:number-style>
            <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
            </office:automatic-styles><office:body><office:spreadsheet>
            <table:table table:name="A"><table:table-row table:number-rows-repeated="1000000">
              <table:table-cell table:number-columns-repeated="16384" table:style-name="ce1" office:value-type="float" office:value="1"/>
            </table:table-row></table:table>
            <table:table table:name="B"><table:table-row>
              <table:table-cell table:style-name="ce1" office:value-type="float" office:value="2"/>
            </table:table-row></table:table>
            </office:spreadsheet></office:body></office:document-content>"#
            .as_bytes();
        let limits = Limits {
            max_cells_per_sheet: 1000,
            ..Limits::default()
        };
        let mut styles = Styles::default();
        let mut sheets = SheetCollector::default();
        styles.collect(xml, Some(&mut sheets), &limits);
        let book = sheets.finish(&styles);
        assert_eq!(book["A"].formats.len(), 1000);
        assert_eq!(
            book["B"].formats.get(&(0, 0)).map(String::as_str),
            Some("0"),
            "the limit is per sheet"
        );
    }

    #[test]
    fn garbage_gives_nothing() {
        assert!(read_extras(b"not a zip", &Limits::default()).is_empty());
        let mut styles = Styles::default();
        let mut sheets = SheetCollector::default();
        styles.collect(
            b"<a><table:table table:name=\"x\"><table:table-row><<<",
            Some(&mut sheets),
            &Limits::default(),
        );
        assert!(sheets.finish(&styles).is_empty());
    }

    /// The LibreOffice-written fixture's content.xml with bytes flipped or
    /// cut: never a panic, and the intact part still reads.
    #[test]
    fn damaged_content_xml_does_not_panic() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/converted/gunma_dx_kobetsu.ods");
        let ods = std::fs::read(path).expect("fixture");
        let whole = read_extras(&ods, &Limits::default());
        assert_eq!(whole["(1)"].formats.get(&(40, 10)).map(String::as_str), Some("#,##0\"件\""));
        let mut zip = zip::ZipArchive::new(Cursor::new(&ods[..])).expect("zip");
        let mut xml = Vec::new();
        zip.by_name("content.xml")
            .expect("content.xml")
            .read_to_end(&mut xml)
            .expect("read");
        let run = |x: &[u8]| {
            let mut styles = Styles::default();
            let mut sheets = SheetCollector::default();
            styles.collect(x, Some(&mut sheets), &Limits::default());
            sheets.finish(&styles)
        };
        for cut in (0..xml.len()).step_by(4999) {
            let _ = run(&xml[..cut]);
        }
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20 {
            let mut bad = xml.clone();
            for _ in 0..32 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed >> 8) as usize % bad.len();
                bad[at] = b"<>\"=/ 9-"[(seed >> 40) as usize % 8];
            }
            let _ = run(&bad);
        }
        for i in (0..ods.len()).step_by(1009) {
            let mut bad = ods.clone();
            bad[i] ^= 0xFF;
            let _ = read_extras(&bad, &Limits::default());
        }
    }
}
