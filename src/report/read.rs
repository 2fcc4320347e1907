//! A previous ingest's Parquet → the rows the report shows. Only the
//! documented columns of `docs/schema.md` are read, each by name and type; a
//! missing file or column is a [`ReportError`] naming it, never a panic.
//! Optional columns (the printed achievement of `evaluation`) are read when
//! they exist and left empty when they do not.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::ReportError;

/// The tables the report reads, row by row, in file order.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub summary: Vec<SummaryRow>,
    pub evaluation: Vec<EvaluationRow>,
    /// Whether `evaluation` carries the printed achievement columns.
    pub has_printed: bool,
    pub observations: Vec<ObservationRow>,
    pub indicators: Vec<IndicatorRow>,
    /// Warning and error diagnostics only: info lines are notes, not problems to fix.
    pub diagnostics: Vec<DiagnosticRow>,
    pub sources: Vec<SourceRow>,
}

/// One row of `evaluation_summary`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub plan: String,
    pub goal: Option<String>,
    pub fiscal_year: Option<i32>,
    /// achieved, not_achieved, pending, not_evaluable (the order of [`super::STATUSES`]).
    pub counts: [i64; 4],
    pub kpi_achievement_rate: Option<f64>,
}

/// One row of `evaluation`.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationRow {
    pub plan: String,
    pub goal: Option<String>,
    pub initiative_no: String,
    pub initiative: String,
    pub indicator_no: Option<i32>,
    pub indicator: String,
    pub fiscal_year: Option<i32>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub actual_period: Option<String>,
    pub unit: Option<String>,
    pub achievement_rate: Option<f64>,
    pub status: String,
    pub printed_achievement_rate: Option<f64>,
    pub printed_status: Option<String>,
}

/// One row of `observations`.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationRow {
    pub source_file: String,
    pub plan: String,
    pub initiative_no: String,
    pub initiative: String,
    pub indicator_no: Option<i32>,
    pub indicator: String,
    pub fiscal_year: Option<i32>,
    pub period: String,
    /// Days since 1970-01-01 (Parquet's Date32).
    pub as_of: Option<i32>,
    pub kind: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub status: String,
    pub raw: String,
}

/// One row of `indicators`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    pub plan: String,
    pub initiative_no: String,
    pub initiative: String,
    pub indicator_no: Option<i32>,
    pub indicator: String,
    pub unit: Option<String>,
    pub final_target_raw: Option<String>,
    pub final_target_fy: Option<i32>,
    pub status: String,
    pub indicator_group: Option<String>,
    pub kgi: Option<String>,
}

/// One warning or error of `diagnostics`.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticRow {
    pub severity: String,
    pub code: String,
    pub message: String,
    pub source_file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
    pub raw: Option<String>,
}

/// One row of `sources`.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    pub source_file: String,
    pub format: String,
    pub encoding: Option<String>,
    pub sheets: usize,
    pub layout: Option<String>,
    pub cells_read: i64,
    pub cells_mapped: i64,
    pub cells_unmapped: i64,
    pub status: String,
    pub run_id: Option<String>,
    pub run_started: Option<String>,
}

/// Reads the tables of `dir/parquet/<table>.parquet`.
///
/// # Errors
/// A missing or unreadable file, or a documented column missing or of a type
/// that does not cast to the documented one.
pub fn read_dir(dir: &Path) -> Result<Tables, ReportError> {
    read_with(|name| dir.join("parquet").join(format!("{name}.parquet")))
}

/// Reads the tables from the files `path_of(table name)` names (`ingest`
/// passes its staged files when it writes no Parquet folder).
///
/// # Errors
/// As [`read_dir`].
pub fn read_with(path_of: impl Fn(&str) -> PathBuf) -> Result<Tables, ReportError> {
    let evaluation = Frame::open(path_of("evaluation"))?;
    let (evaluation, has_printed) = evaluation_rows(&evaluation)?;
    Ok(Tables {
        summary: summary_rows(&Frame::open(path_of("evaluation_summary"))?)?,
        evaluation,
        has_printed,
        observations: observation_rows(&Frame::open(path_of("observations"))?)?,
        indicators: indicator_rows(&Frame::open(path_of("indicators"))?)?,
        diagnostics: diagnostic_rows(&Frame::open(path_of("diagnostics"))?)?,
        sources: source_rows(&Frame::open(path_of("sources"))?)?,
    })
}

struct Frame {
    path: PathBuf,
    df: DataFrame,
}

impl Frame {
    fn open(path: PathBuf) -> Result<Frame, ReportError> {
        // A file, or the folder of parts shards and a merge wrote.
        let df = crate::table::read_table(&path)?;
        Ok(Frame { path, df })
    }

    fn err(&self, column: &str, message: impl Into<String>) -> ReportError {
        ReportError::Read(crate::table::ReadError::Column {
            path: self.path.clone(),
            column: column.to_string(),
            message: message.into(),
        })
    }

    fn has(&self, name: &str) -> bool {
        self.df.column(name).is_ok()
    }

    fn col(&self, name: &str) -> Result<&Column, ReportError> {
        self.df.column(name).map_err(|_| self.err(name, "column missing"))
    }

    fn opt_str(&self, name: &str) -> Result<Vec<Option<String>>, ReportError> {
        let c = self.col(name)?;
        // Only text-like columns: casting a number to text would hide a schema change.
        if !matches!(
            c.dtype(),
            DataType::String | DataType::Null | DataType::Categorical(..) | DataType::Enum(..)
        ) {
            return Err(self.err(name, format!("expected string, found {}", c.dtype())));
        }
        let c = c.cast(&DataType::String).map_err(|e| self.err(name, e.to_string()))?;
        let ca = c.str().map_err(|e| self.err(name, e.to_string()))?;
        Ok((0..ca.len()).map(|i| ca.get(i).map(str::to_string)).collect())
    }

    fn str(&self, name: &str) -> Result<Vec<String>, ReportError> {
        Ok(self.opt_str(name)?.into_iter().map(Option::unwrap_or_default).collect())
    }

    fn numeric(&self, name: &str, to: &DataType) -> Result<Column, ReportError> {
        let c = self.col(name)?;
        if !(c.dtype().is_primitive_numeric() || c.dtype() == &DataType::Null || (to == &DataType::Int32 && c.dtype() == &DataType::Date)) {
            return Err(self.err(name, format!("expected a number, found {}", c.dtype())));
        }
        c.cast(to).map_err(|e| self.err(name, e.to_string()))
    }

    fn i32(&self, name: &str) -> Result<Vec<Option<i32>>, ReportError> {
        let c = self.numeric(name, &DataType::Int32)?;
        let ca = c.i32().map_err(|e| self.err(name, e.to_string()))?;
        Ok((0..ca.len()).map(|i| ca.get(i)).collect())
    }

    fn i64(&self, name: &str) -> Result<Vec<i64>, ReportError> {
        let c = self.numeric(name, &DataType::Int64)?;
        let ca = c.i64().map_err(|e| self.err(name, e.to_string()))?;
        Ok((0..ca.len()).map(|i| ca.get(i).unwrap_or_default()).collect())
    }

    fn f64(&self, name: &str) -> Result<Vec<Option<f64>>, ReportError> {
        let c = self.numeric(name, &DataType::Float64)?;
        let ca = c.f64().map_err(|e| self.err(name, e.to_string()))?;
        // NaN is not a number anyone printed: shown and charted as missing.
        Ok((0..ca.len()).map(|i| ca.get(i).filter(|x| x.is_finite())).collect())
    }

    /// A number column, or text holding numbers as printed (`88.2`, `88.2%`):
    /// the printed achievement is new and its type not yet fixed. Text that
    /// is no number is shown as nothing, not guessed.
    fn f64_or_text(&self, name: &str) -> Result<Vec<Option<f64>>, ReportError> {
        if !matches!(self.col(name)?.dtype(), DataType::String) {
            return self.f64(name);
        }
        Ok(self
            .opt_str(name)?
            .into_iter()
            .map(|v| {
                v.and_then(|t| t.trim().trim_end_matches('%').trim().parse::<f64>().ok())
                    .filter(|x| x.is_finite())
            })
            .collect())
    }

    /// Date32 as days since the epoch.
    fn days(&self, name: &str) -> Result<Vec<Option<i32>>, ReportError> {
        self.i32(name)
    }

    fn list_len(&self, name: &str) -> Result<Vec<usize>, ReportError> {
        let c = self.col(name)?;
        let ca = c.list().map_err(|e| self.err(name, e.to_string()))?;
        Ok((0..ca.len()).map(|i| ca.get_as_series(i).map_or(0, |s| s.len())).collect())
    }
}

fn summary_rows(f: &Frame) -> Result<Vec<SummaryRow>, ReportError> {
    let plan = f.str("plan")?;
    let goal = f.opt_str("goal")?;
    let fy = f.i32("fiscal_year")?;
    let counts: Vec<Vec<i64>> = super::STATUSES.iter().map(|s| f.i64(s)).collect::<Result<_, _>>()?;
    let rate = f.f64("kpi_achievement_rate")?;
    Ok((0..plan.len())
        .map(|i| SummaryRow {
            plan: plan[i].clone(),
            goal: goal[i].clone(),
            fiscal_year: fy[i],
            counts: [counts[0][i], counts[1][i], counts[2][i], counts[3][i]],
            kpi_achievement_rate: rate[i],
        })
        .collect())
}

fn evaluation_rows(f: &Frame) -> Result<(Vec<EvaluationRow>, bool), ReportError> {
    let plan = f.str("plan")?;
    let goal = f.opt_str("goal")?;
    let no = f.str("initiative_no")?;
    let ini = f.str("initiative")?;
    let ind_no = f.i32("indicator_no")?;
    let ind = f.str("indicator")?;
    let fy = f.i32("fiscal_year")?;
    let target = f.f64("target")?;
    let actual = f.f64("actual")?;
    let period = f.opt_str("actual_period")?;
    let unit = f.opt_str("unit")?;
    let rate = f.f64("achievement_rate")?;
    let status = f.str("status")?;
    // The printed achievement is being added to the table: read when present.
    let has_printed = f.has("printed_achievement_rate") || f.has("printed_status");
    let printed_rate = if f.has("printed_achievement_rate") {
        f.f64_or_text("printed_achievement_rate")?
    } else {
        vec![None; plan.len()]
    };
    let printed_status = if f.has("printed_status") {
        f.opt_str("printed_status")?
    } else {
        vec![None; plan.len()]
    };
    let rows = (0..plan.len())
        .map(|i| EvaluationRow {
            plan: plan[i].clone(),
            goal: goal[i].clone(),
            initiative_no: no[i].clone(),
            initiative: ini[i].clone(),
            indicator_no: ind_no[i],
            indicator: ind[i].clone(),
            fiscal_year: fy[i],
            target: target[i],
            actual: actual[i],
            actual_period: period[i].clone(),
            unit: unit[i].clone(),
            achievement_rate: rate[i],
            status: status[i].clone(),
            printed_achievement_rate: printed_rate[i],
            printed_status: printed_status[i].clone(),
        })
        .collect();
    Ok((rows, has_printed))
}

fn observation_rows(f: &Frame) -> Result<Vec<ObservationRow>, ReportError> {
    let file = f.str("source_file")?;
    let plan = f.str("plan")?;
    let no = f.str("initiative_no")?;
    let ini = f.str("initiative")?;
    let ind_no = f.i32("indicator_no")?;
    let ind = f.str("indicator")?;
    let fy = f.i32("fiscal_year")?;
    let period = f.str("period")?;
    let as_of = f.days("as_of")?;
    let kind = f.str("kind")?;
    let value = f.f64("value")?;
    let unit = f.opt_str("unit")?;
    let status = f.str("status")?;
    let raw = f.str("raw")?;
    Ok((0..plan.len())
        .map(|i| ObservationRow {
            source_file: file[i].clone(),
            plan: plan[i].clone(),
            initiative_no: no[i].clone(),
            initiative: ini[i].clone(),
            indicator_no: ind_no[i],
            indicator: ind[i].clone(),
            fiscal_year: fy[i],
            period: period[i].clone(),
            as_of: as_of[i],
            kind: kind[i].clone(),
            value: value[i],
            unit: unit[i].clone(),
            status: status[i].clone(),
            raw: raw[i].clone(),
        })
        .collect())
}

fn indicator_rows(f: &Frame) -> Result<Vec<IndicatorRow>, ReportError> {
    let plan = f.str("plan")?;
    let no = f.str("initiative_no")?;
    let ini = f.str("initiative")?;
    let ind_no = f.i32("indicator_no")?;
    let ind = f.str("indicator")?;
    let unit = f.opt_str("unit")?;
    let ftr = f.opt_str("final_target_raw")?;
    let ftf = f.i32("final_target_fy")?;
    let status = f.str("status")?;
    let group = f.opt_str("indicator_group")?;
    let kgi = f.opt_str("kgi")?;
    Ok((0..plan.len())
        .map(|i| IndicatorRow {
            plan: plan[i].clone(),
            initiative_no: no[i].clone(),
            initiative: ini[i].clone(),
            indicator_no: ind_no[i],
            indicator: ind[i].clone(),
            unit: unit[i].clone(),
            final_target_raw: ftr[i].clone(),
            final_target_fy: ftf[i],
            status: status[i].clone(),
            indicator_group: group[i].clone(),
            kgi: kgi[i].clone(),
        })
        .collect())
}

fn diagnostic_rows(f: &Frame) -> Result<Vec<DiagnosticRow>, ReportError> {
    let severity = f.str("severity")?;
    let code = f.str("code")?;
    let mut message = f.str("message")?;
    // The run's messages are in its language; the report shows them in its own
    // (Japanese unless --lang says otherwise), rendered again from their arguments.
    if f.has("message_args") {
        let args = f.str("message_args")?;
        for (i, m) in message.iter_mut().enumerate() {
            if let Some(text) = crate::mapping::messages::document_text(&code[i], &args[i]) {
                *m = text;
            }
        }
    }
    let file = f.str("source_file")?;
    let sheet = f.opt_str("sheet")?;
    let cell = f.opt_str("cell")?;
    let raw = f.opt_str("raw")?;
    Ok((0..severity.len())
        .filter(|&i| severity[i] == "warning" || severity[i] == "error")
        .map(|i| DiagnosticRow {
            severity: severity[i].clone(),
            code: code[i].clone(),
            message: message[i].clone(),
            source_file: file[i].clone(),
            sheet: sheet[i].clone(),
            cell: cell[i].clone(),
            raw: raw[i].clone(),
        })
        .collect())
}

fn source_rows(f: &Frame) -> Result<Vec<SourceRow>, ReportError> {
    let file = f.str("source_file")?;
    let format = f.str("format")?;
    let encoding = f.opt_str("encoding")?;
    let sheets = f.list_len("sheets")?;
    let layout = f.opt_str("layout")?;
    let read = f.i64("cells_read")?;
    let mapped = f.i64("cells_mapped")?;
    let unmapped = f.i64("cells_unmapped")?;
    let status = f.str("status")?;
    let n = file.len();
    let run_id = if f.has("run_id") { f.opt_str("run_id")? } else { vec![None; n] };
    let run_started = if f.has("run_started") {
        f.opt_str("run_started")?
    } else {
        vec![None; n]
    };
    Ok((0..n)
        .map(|i| SourceRow {
            source_file: file[i].clone(),
            format: format[i].clone(),
            encoding: encoding[i].clone(),
            sheets: sheets[i],
            layout: layout[i].clone(),
            cells_read: read[i],
            cells_mapped: mapped[i],
            cells_unmapped: unmapped[i],
            status: status[i].clone(),
            run_id: run_id[i].clone(),
            run_started: run_started[i].clone(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(df: DataFrame) -> Frame {
        Frame {
            path: PathBuf::from("evaluation.parquet"),
            df,
        }
    }

    #[test]
    fn printed_rates_are_read_as_numbers_or_as_printed_text() {
        let f = frame(df!("a" => [Some(88.2), None], "b" => [Some("88.2%"), Some("n/a")]).unwrap());
        assert_eq!(f.f64_or_text("a").unwrap(), [Some(88.2), None]);
        assert_eq!(f.f64_or_text("b").unwrap(), [Some(88.2), None]);
    }

    #[test]
    fn a_column_of_another_type_is_an_error_naming_file_and_column() {
        let f = frame(df!("plan" => [1i32, 2], "value" => ["x", "y"]).unwrap());
        let e = f.opt_str("plan").unwrap_err().to_string();
        assert!(
            e.contains("evaluation.parquet") && e.contains("plan") && e.contains("expected string"),
            "{e}"
        );
        let e = f.f64("value").unwrap_err().to_string();
        assert!(e.contains("value") && e.contains("expected a number"), "{e}");
        assert!(f.col("missing").unwrap_err().to_string().contains("column missing"));
    }
}
