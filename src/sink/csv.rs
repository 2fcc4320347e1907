//! `DIR/csv/<table>.csv`: UTF-8 with a byte-order mark (so Japanese Excel opens
//! it correctly by double-click), RFC 4180 quoting, machine names in the header.

use std::io::Write;
use std::path::Path;

use polars::prelude::*;

use super::{SinkError, TableFile, atomic};

/// Writes one table, reading it back from its Parquet file in batches.
///
/// # Errors
/// I/O failures, as [`SinkError`].
pub fn write(dir: &Path, table: &TableFile) -> Result<(), SinkError> {
    let path = dir.join("csv").join(format!("{}.csv", table.name));
    atomic(&path, |tmp| {
        let io = |source: std::io::Error| SinkError::Io {
            path: tmp.to_path_buf(),
            source,
        };
        let mut file = std::io::BufWriter::new(std::fs::File::create(tmp).map_err(io)?);
        file.write_all(b"\xEF\xBB\xBF").map_err(io)?;
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(file);
        let csv_err = |e: csv::Error| SinkError::Io {
            path: tmp.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        };
        for (k, df) in table.batches(super::ROW_GROUP_ROWS).enumerate() {
            let df = df?;
            if k == 0 {
                w.write_record(df.get_column_names().iter().map(|n| n.as_str())).map_err(csv_err)?;
            }
            let series: Vec<&Series> = df.columns().iter().map(|c| c.as_materialized_series()).collect();
            for r in 0..df.height() {
                let record: Vec<String> = series.iter().map(|s| s.get(r).map(cell_text).unwrap_or_default()).collect();
                w.write_record(&record).map_err(csv_err)?;
            }
        }
        w.flush().map_err(io)
    })
}

fn cell_text(v: AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::List(s) => s
            .iter()
            .filter_map(|x| x.get_str().map(str::to_string))
            .collect::<Vec<_>>()
            .join("; "),
        AnyValue::Float64(f) => format!("{f}"),
        other => other.get_str().map(str::to_string).unwrap_or_else(|| other.to_string()),
    }
}
