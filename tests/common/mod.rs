//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};

use polars::prelude::{DataFrame, ParquetReader, SerReader};
use torikumi::model::Extract;

/// The project folder (samples/, mappings/).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A Parquet file read back with polars.
pub fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap()).finish().unwrap()
}

/// The observations' content (no provenance), sorted: two extracts of the same
/// document must give equal keys whatever file or cell the values came from.
pub fn observation_key(x: &Extract) -> Vec<String> {
    let mut v: Vec<String> = x
        .observations
        .iter()
        .map(|o| {
            format!(
                "{}|{}|{:?}|{}|{:?}|{}|{:?}|{}|{:?}|{:?}|{}",
                o.plan, o.initiative_no, o.indicator_no, o.indicator, o.fiscal_year, o.period, o.as_of, o.kind, o.value, o.unit, o.status
            )
        })
        .collect();
    v.sort();
    v
}

/// The header block and indicator table of a minimal DX 個別取組票 (rows 1–7):
/// fixtures add their own progress table below it.
pub const DX_HEADER_ROWS: &[&[&str]] = &[
    &["改革", "1 改革"],
    &["実施項目", "(1) 項目"],
    &["取組の方向性", "方向性"],
    &["取組所属", "課"],
    &["指標項目", "R5目標値"],
    &["① 件数", "10件"],
    &[],
];

/// Writes `rows` of text from row `first` down, skipping empty strings.
pub fn write_text_rows(ws: &mut rust_xlsxwriter::Worksheet, first: u32, rows: &[&[&str]]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(first + r as u32, c as u16, *v).unwrap();
            }
        }
    }
}
