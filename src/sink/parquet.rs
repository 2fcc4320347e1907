//! `DIR/parquet/<table>.parquet`: zstd, statistics, and the tool and table
//! description in key-value metadata.

use std::path::Path;

use polars::prelude::*;

use super::{SinkError, atomic};
use crate::table::table_def;

/// Writes one table.
///
/// # Errors
/// I/O or polars failures, as [`SinkError`].
pub fn write(dir: &Path, name: &str, df: &mut DataFrame) -> Result<(), SinkError> {
    let path = dir.join("parquet").join(format!("{name}.parquet"));
    atomic(&path, |tmp| {
        let file = std::fs::File::create(tmp).map_err(|source| SinkError::Io {
            path: tmp.to_path_buf(),
            source,
        })?;
        let mut meta = vec![("torikumi.version".to_string(), env!("CARGO_PKG_VERSION").to_string())];
        if let Some(def) = table_def(name) {
            meta.push(("torikumi.table".into(), format!("{}: {}", def.name, def.description)));
            for c in def.columns {
                meta.push((format!("torikumi.column.{}", c.name), c.description.to_string()));
            }
        }
        let kv = KeyValueMetadata::from_static(meta);
        ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::full())
            .with_key_value_metadata(Some(kv))
            .finish(df)
            .map(|_| ())
            .map_err(|e| SinkError::Frame {
                table: name.to_string(),
                message: e.to_string(),
            })
    })
}
