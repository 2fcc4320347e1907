//! One mapping between a record type and its table, used both ways: records
//! → a DataFrame (the writers) and a DataFrame → records (`render` reading a
//! previous ingest's Parquet). Each table declares its columns once (in
//! `tables.rs`): name, type, description and the record field behind it.

use chrono::NaiveDate;
use polars::prelude::*;

use super::TableDef;

/// A column that cannot be read back into records: missing, or of a type or
/// value the record cannot hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct FrameError {
    /// The column's name.
    pub column: String,
    /// What is wrong with it.
    pub message: String,
}

/// How one column is taken from a record (the getter) and put back into one
/// (the setter); the variant is the column's type.
pub enum Field<R> {
    /// Text, never null.
    Str(fn(&R) -> &str, fn(&mut R, String)),
    /// Text made when written (a message rendered in the run's language), never null.
    Text(for<'a> fn(&'a R) -> std::borrow::Cow<'a, str>, fn(&mut R, String)),
    /// Text or null.
    OptStr(fn(&R) -> Option<&str>, fn(&mut R, Option<String>)),
    /// int32, never null.
    I32(fn(&R) -> i32, fn(&mut R, i32)),
    /// int32 or null.
    OptI32(fn(&R) -> Option<i32>, fn(&mut R, Option<i32>)),
    /// int64, never null (counts).
    I64(fn(&R) -> i64, fn(&mut R, i64)),
    /// float64 or null.
    OptF64(fn(&R) -> Option<f64>, fn(&mut R, Option<f64>)),
    /// boolean, never null.
    Bool(fn(&R) -> bool, fn(&mut R, bool)),
    /// Date32 or null.
    Date(fn(&R) -> Option<NaiveDate>, fn(&mut R, Option<NaiveDate>)),
    /// A list of text.
    List(fn(&R) -> &[String], fn(&mut R, Vec<String>)),
    /// A closed vocabulary written as its string; the setter says whether it knew the string.
    Enum(fn(&R) -> &'static str, fn(&mut R, &str) -> bool),
}

/// A record type with its table.
pub trait Record: Sized {
    /// Name, description and columns of the table.
    const TABLE: TableDef;
    /// How each column of [`Record::TABLE`] maps to the record, in the same order.
    fn fields() -> Vec<Field<Self>>;
    /// A record with every field empty, which reading fills column by column.
    fn blank() -> Self;
}

fn days_since_epoch(d: NaiveDate) -> i32 {
    (d - NaiveDate::default()).num_days() as i32
}

impl<R> Field<R> {
    /// This column of `rows`. Text is taken as borrowed `&str`: polars copies
    /// each string into its own buffers once, with no owned copy in between.
    fn column(&self, name: &str, rows: &[R]) -> PolarsResult<Column> {
        let name: PlSmallStr = name.into();
        Ok(match self {
            Field::Str(get, _) => Column::new(name, rows.iter().map(get).collect::<Vec<&str>>()),
            Field::OptStr(get, _) => Column::new(name, rows.iter().map(get).collect::<Vec<Option<&str>>>()),
            Field::Text(get, _) => {
                let texts: Vec<std::borrow::Cow<str>> = rows.iter().map(get).collect();
                Column::new(name, texts.iter().map(|t| t.as_ref()).collect::<Vec<&str>>())
            }
            Field::I32(get, _) => Column::new(name, rows.iter().map(get).collect::<Vec<i32>>()),
            Field::OptI32(get, _) => Column::new(name, rows.iter().map(get).collect::<Vec<Option<i32>>>()),
            Field::I64(get, _) => Column::new(name, rows.iter().map(get).collect::<Vec<i64>>()),
            Field::OptF64(get, _) => Column::new(name, rows.iter().map(get).collect::<Vec<Option<f64>>>()),
            Field::Bool(get, _) => Column::new(name, rows.iter().map(get).collect::<Vec<bool>>()),
            Field::Enum(get, _) => Column::new(name, rows.iter().map(get).collect::<Vec<&str>>()),
            Field::Date(get, _) => {
                let days: Vec<Option<i32>> = rows.iter().map(|r| get(r).map(days_since_epoch)).collect();
                Series::new(name, days).cast(&DataType::Date)?.into()
            }
            Field::List(get, _) => {
                // One builder for the column: a Series per row gave every row
                // its own buffers, about 300 MiB for a row group of initiatives.
                let values = rows.iter().map(|r| get(r).len()).sum();
                let mut lists = ListStringChunkedBuilder::new(name, rows.len(), values);
                for r in rows {
                    lists.append_values_iter(get(r).iter().map(String::as_str));
                }
                lists.finish().into_series().into()
            }
        })
    }

    /// Puts this column of `df` into `rows` (as many as the frame has).
    fn fill(&self, name: &str, col: &Column, rows: &mut [R]) -> Result<(), FrameError> {
        let err = |e: &dyn std::fmt::Display| FrameError {
            column: name.to_string(),
            message: e.to_string(),
        };
        let strings = |col: &Column| -> Result<Vec<Option<String>>, FrameError> {
            let c = col.cast(&DataType::String).map_err(|e| err(&e))?;
            let ca = c.str().map_err(|e| err(&e))?;
            Ok(ca.iter().map(|s| s.map(str::to_string)).collect())
        };
        let cast = |col: &Column, t: DataType| -> Result<Column, FrameError> { col.cast(&t).map_err(|e| err(&e)) };
        match self {
            Field::Str(_, set) | Field::Text(_, set) => {
                for (r, v) in rows.iter_mut().zip(strings(col)?) {
                    set(r, v.unwrap_or_default());
                }
            }
            Field::OptStr(_, set) => {
                for (r, v) in rows.iter_mut().zip(strings(col)?) {
                    set(r, v);
                }
            }
            Field::Enum(_, set) => {
                for (r, v) in rows.iter_mut().zip(strings(col)?) {
                    let v = v.unwrap_or_default();
                    if !set(r, &v) {
                        return Err(err(&format!("unknown value '{v}'")));
                    }
                }
            }
            Field::I32(_, set) => {
                let c = cast(col, DataType::Int32)?;
                for (r, v) in rows.iter_mut().zip(c.i32().map_err(|e| err(&e))?.iter()) {
                    set(r, v.unwrap_or_default());
                }
            }
            Field::OptI32(_, set) => {
                let c = cast(col, DataType::Int32)?;
                for (r, v) in rows.iter_mut().zip(c.i32().map_err(|e| err(&e))?.iter()) {
                    set(r, v);
                }
            }
            Field::I64(_, set) => {
                let c = cast(col, DataType::Int64)?;
                for (r, v) in rows.iter_mut().zip(c.i64().map_err(|e| err(&e))?.iter()) {
                    set(r, v.unwrap_or_default());
                }
            }
            Field::OptF64(_, set) => {
                let c = cast(col, DataType::Float64)?;
                for (r, v) in rows.iter_mut().zip(c.f64().map_err(|e| err(&e))?.iter()) {
                    set(r, v);
                }
            }
            Field::Bool(_, set) => {
                let c = cast(col, DataType::Boolean)?;
                for (r, v) in rows.iter_mut().zip(c.bool().map_err(|e| err(&e))?.iter()) {
                    set(r, v.unwrap_or_default());
                }
            }
            Field::Date(_, set) => {
                let c = cast(col, DataType::Date)?;
                let c = cast(&c, DataType::Int32)?;
                let epoch = NaiveDate::default();
                for (r, v) in rows.iter_mut().zip(c.i32().map_err(|e| err(&e))?.iter()) {
                    set(r, v.and_then(|d| epoch.checked_add_signed(chrono::Duration::days(d.into()))));
                }
            }
            Field::List(_, set) => {
                let ca = col.list().map_err(|e| err(&e))?;
                for (i, r) in rows.iter_mut().enumerate() {
                    let items = match ca.get_as_series(i) {
                        None => Vec::new(),
                        Some(s) => {
                            let s = s.cast(&DataType::String).map_err(|e| err(&e))?;
                            let s = s.str().map_err(|e| err(&e))?;
                            s.iter().flatten().map(str::to_string).collect()
                        }
                    };
                    set(r, items);
                }
            }
        }
        Ok(())
    }
}

/// The table of `rows`, its columns in [`Record::TABLE`] order.
///
/// # Errors
/// Only if polars rejects a column (a bug: the lengths are equal by construction).
pub fn to_frame<R: Record>(rows: &[R]) -> PolarsResult<DataFrame> {
    let columns = R::fields()
        .iter()
        .zip(R::TABLE.columns)
        .map(|(f, c)| f.column(c.name, rows))
        .collect::<PolarsResult<Vec<Column>>>()?;
    DataFrame::new_infer_height(columns)
}

/// The records of a frame that holds the table's columns (others are ignored).
///
/// # Errors
/// A column missing, of a type the record cannot hold, or a value outside
/// its closed vocabulary.
pub fn from_frame<R: Record>(df: &DataFrame) -> Result<Vec<R>, FrameError> {
    let mut rows: Vec<R> = (0..df.height()).map(|_| R::blank()).collect();
    for (f, c) in R::fields().iter().zip(R::TABLE.columns) {
        let col = df.column(c.name).map_err(|_| FrameError {
            column: c.name.to_string(),
            message: "column missing".into(),
        })?;
        f.fill(c.name, col, &mut rows)?;
    }
    Ok(rows)
}

/// The type a column kind is documented as.
macro_rules! dtype {
    (Str) => {
        "string"
    };
    (OptStr) => {
        "string"
    };
    (Text) => {
        "string"
    };
    (Enum) => {
        "string"
    };
    (I32) => {
        "int32"
    };
    (OptI32) => {
        "int32"
    };
    (U64) => {
        "int64"
    };
    (OptF64) => {
        "float64"
    };
    (Bool) => {
        "boolean"
    };
    (Date) => {
        "date"
    };
    (List) => {
        "list<string>"
    };
}

/// The [`Field`] of a column: a field path (`at.source_file`), or `get = …, set = …`.
macro_rules! field {
    ($r:ty, $kind:ident, get = $g:expr, set = $s:expr) => {
        Field::<$r>::$kind($g, $s)
    };
    ($r:ty, Str, $($p:ident).+) => {
        Field::<$r>::Str(|x| x.$($p).+.as_str(), |x, v| x.$($p).+ = v)
    };
    ($r:ty, OptStr, $($p:ident).+) => {
        Field::<$r>::OptStr(|x| x.$($p).+.as_deref(), |x, v| x.$($p).+ = v)
    };
    ($r:ty, Enum, $t:ident, $($p:ident).+) => {
        Field::<$r>::Enum(|x| x.$($p).+.as_str(), |x, v| $t::parse(v).map(|e| x.$($p).+ = e).is_some())
    };
    ($r:ty, U64, $($p:ident).+) => {
        Field::<$r>::I64(|x| x.$($p).+ as i64, |x, v| x.$($p).+ = u64::try_from(v).unwrap_or_default())
    };
    ($r:ty, List, $($p:ident).+) => {
        Field::<$r>::List(|x| x.$($p).+.as_slice(), |x, v| x.$($p).+ = v)
    };
    ($r:ty, $kind:ident, $($p:ident).+) => {
        Field::<$r>::$kind(|x| x.$($p).+, |x, v| x.$($p).+ = v)
    };
}

/// Declares a record's table once: `impl Record` with its [`TableDef`] and
/// the [`Field`] of each column. A column is
/// `"name": Kind(field.path), "description";`, `Enum` names its type
/// (`"kind": Enum(Kind, kind), …`), and any kind may give `get = …, set = …`.
macro_rules! record_table {
    ($rec:ty, $name:literal, $desc:literal, blank = $blank:expr, {
        $($col:literal : $kind:ident ( $($acc:tt)+ ), $doc:literal;)*
    }) => {
        impl Record for $rec {
            const TABLE: TableDef = TableDef {
                name: $name,
                description: $desc,
                columns: &[$(ColumnDef { name: $col, dtype: dtype!($kind), description: $doc }),*],
            };
            fn fields() -> Vec<Field<Self>> {
                vec![$(field!($rec, $kind, $($acc)+)),*]
            }
            fn blank() -> Self {
                $blank
            }
        }
    };
}

pub(crate) use {dtype, field, record_table};
