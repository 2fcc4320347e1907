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
