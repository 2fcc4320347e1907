//! `DIR/consolidated.xlsx`: one sheet per table, typed cells (numbers as
//! numbers, dates as dates), a frozen header row, an autofilter and column
//! widths that fit. Input text is always written as text, never as a formula.

use std::path::Path;

use polars::prelude::*;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::{SinkError, atomic};

/// Writes all tables into one workbook.
///
/// # Errors
/// I/O or workbook failures, as [`SinkError`].
pub fn write(dir: &Path, frames: &[(&str, DataFrame)]) -> Result<(), SinkError> {
    let path = dir.join("consolidated.xlsx");
    atomic(&path, |tmp| {
        let werr = |e: rust_xlsxwriter::XlsxError| SinkError::Workbook {
            path: path.clone(),
            message: e.to_string(),
        };
        let mut book = Workbook::new();
        let header = Format::new().set_bold().set_font_name("Meiryo UI");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (name, df) in frames {
            let ws = book.add_worksheet();
            ws.set_name(*name).map_err(werr)?;
            write_frame(ws, df, &header, &date).map_err(werr)?;
        }
        book.save(tmp).map_err(werr)
    })
}

fn write_frame(ws: &mut Worksheet, df: &DataFrame, header: &Format, date: &Format) -> Result<(), rust_xlsxwriter::XlsxError> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    for (c, col) in df.columns().iter().enumerate() {
        let c16 = c as u16;
        ws.write_string_with_format(0, c16, col.name().as_str(), header)?;
        let mut width = col.name().chars().count().max(6);
        let series = col.as_materialized_series();
        for r in 0..df.height() {
            let row = r as u32 + 1;
            let Ok(v) = series.get(r) else { continue };
            match v {
                AnyValue::Null => {}
                AnyValue::Float64(f) => {
                    ws.write_number(row, c16, f)?;
                }
                AnyValue::Int32(i) => {
                    ws.write_number(row, c16, i as f64)?;
                }
                AnyValue::Int64(i) => {
                    ws.write_number(row, c16, i as f64)?;
                }
                AnyValue::Date(d) => {
                    let day = epoch + chrono::Duration::days(d as i64);
                    let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(
                        chrono::Datelike::year(&day) as u16,
                        chrono::Datelike::month(&day) as u8,
                        chrono::Datelike::day(&day) as u8,
                    )?;
                    ws.write_datetime_with_format(row, c16, &dt, date)?;
                    width = width.max(10);
                }
                AnyValue::List(s) => {
                    let parts: Vec<String> = s.iter().filter_map(|x| x.get_str().map(str::to_string)).collect();
                    let text = parts.join(", ");
                    width = width.max(display_width(&text));
                    ws.write_string(row, c16, text)?;
                }
                other => {
                    let text = match other.get_str() {
                        Some(s) => s.to_string(),
                        None => other.to_string(),
                    };
                    width = width.max(display_width(&text));
                    ws.write_string(row, c16, text)?;
                }
            }
        }
        ws.set_column_width(c16, (width.min(60) + 2) as f64)?;
    }
    if df.width() > 0 {
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, df.height() as u32, (df.width() - 1) as u16)?;
    }
    Ok(())
}

/// Display width: CJK characters take two columns.
fn display_width(s: &str) -> usize {
    s.lines()
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum()
}
