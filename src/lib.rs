//! torikumi: Japanese local governments' 取組票 (initiative and KPI tracking
//! sheets) → clean columnar data.
//!
//! Data flows one way:
//! `source` (file → cell grid) → `layout` (mapping applied to a grid → records
//! and diagnostics, values through `normalize`) → `table` (records →
//! DataFrames, the schema in one place) → `sink` (Parquet, workbook).
//! `mapping` holds the declarative layout descriptions; `pipeline` runs the
//! job over many files and `consolidate` builds the run's tables as they finish; `cmd` holds one module per subcommand; `lock` keeps
//! one run at a time per output folder.

pub mod cache;
pub mod cmd;
pub mod consolidate;
pub mod evaluate;
pub mod layout;
pub mod lock;
pub mod mapping;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod sink;
pub mod source;
pub mod table;
