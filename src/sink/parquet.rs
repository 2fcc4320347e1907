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

/// Writes Hive-style partitioned copies of the tables that have every column
/// of `keys` (`DIR/parquet/<table>/<key>=<value>/…/part-0.parquet`), which
/// DuckDB, Spark and Trino read as one dataset. Values are percent-encoded
/// where a path cannot hold them; nulls go to `__HIVE_DEFAULT_PARTITION__`.
/// The tree is built beside the old one and swapped in when complete.
///
/// # Errors
/// I/O or polars failures, as [`SinkError`].
pub fn write_partitions(dir: &Path, x: &crate::model::Extract, keys: &[String], enabled: bool) -> Result<(), SinkError> {
    if keys.is_empty() || !enabled {
        return Ok(());
    }
    let frames = crate::table::frames(x).map_err(|e| SinkError::Frame {
        table: "all".into(),
        message: e.to_string(),
    })?;
    for (name, df) in frames {
        let names: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
        if !keys.iter().all(|k| names.contains(&k.as_str())) {
            continue;
        }
        let root = dir.join("parquet").join(name);
        let staging = dir.join("parquet").join(format!(".{name}.partitions-{}", std::process::id()));
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source: std::io::Error| SinkError::Io { path, source }
        };
        let parts = df
            .partition_by_stable(keys.iter().map(String::as_str), true)
            .map_err(|e| SinkError::Frame {
                table: name.into(),
                message: e.to_string(),
            })?;
        for mut part in parts {
            let mut sub = staging.clone();
            for k in keys {
                let v = part
                    .column(k)
                    .ok()
                    .and_then(|c| c.get(0).ok())
                    .map(|v| hive_value(&v))
                    .unwrap_or_default();
                sub.push(format!("{k}={v}"));
            }
            std::fs::create_dir_all(&sub).map_err(io(&sub))?;
            let file = sub.join("part-0.parquet");
            let f = std::fs::File::create(&file).map_err(io(&file))?;
            // The key columns live in the path, as Hive readers expect.
            part = part.drop_many(keys.iter().map(String::as_str));
            ParquetWriter::new(f)
                .with_compression(ParquetCompression::Zstd(None))
                .with_statistics(StatisticsOptions::full())
                .finish(&mut part)
                .map_err(|e| SinkError::Frame {
                    table: name.into(),
                    message: e.to_string(),
                })?;
        }
        let old = dir.join("parquet").join(format!(".{name}.old-{}", std::process::id()));
        if root.exists() {
            std::fs::rename(&root, &old).map_err(io(&root))?;
        }
        std::fs::rename(&staging, &root).map_err(io(&root))?;
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// A partition value as a path segment.
fn hive_value(v: &AnyValue) -> String {
    let text = match v {
        AnyValue::Null => return "__HIVE_DEFAULT_PARTITION__".into(),
        other => other.get_str().map(str::to_string).unwrap_or_else(|| other.to_string()),
    };
    text.chars()
        .flat_map(|c| {
            if c.is_control() || "/\\:*?\"<>|=%#".contains(c) {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect::<Vec<_>>()
            } else {
                vec![c.to_string()]
            }
        })
        .collect()
}
