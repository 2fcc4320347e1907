//! A previous ingest's Parquet → model records (`DIR/parquet/<table>.parquet`,
//! schema in `crate::table`). Only the columns rendering needs are read; a
//! missing file or column is a typed error naming it, never a panic.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::RenderError;
use crate::model::{Indicator, IndicatorStatus, Initiative, Kind, Observation, Period, Provenance, ScheduleEntry, ScheduleKind, Status};

/// The tables `render` reads.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub observations: Vec<Observation>,
    pub indicators: Vec<Indicator>,
    pub initiatives: Vec<Initiative>,
    pub schedule: Vec<ScheduleEntry>,
}

/// Reads `dir/parquet/{observations,indicators,initiatives,schedule}.parquet`.
///
/// # Errors
/// A missing or unreadable file, or a column missing or of the wrong type.
pub fn read_tables(dir: &Path) -> Result<Tables, RenderError> {
    let obs = Frame::open(dir, "observations")?;
    let ind = Frame::open(dir, "indicators")?;
    let ini = Frame::open(dir, "initiatives")?;
    let sch = Frame::open(dir, "schedule")?;
    Ok(Tables {
        observations: observations(&obs)?,
        indicators: indicators(&ind)?,
        initiatives: initiatives(&ini)?,
        schedule: schedule(&sch)?,
    })
}

struct Frame {
    path: PathBuf,
    df: DataFrame,
}

impl Frame {
    fn open(dir: &Path, name: &str) -> Result<Frame, RenderError> {
        let path = dir.join("parquet").join(format!("{name}.parquet"));
        let file = std::fs::File::open(&path).map_err(|source| RenderError::MissingTable {
            path: path.clone(),
            source,
        })?;
        let df = ParquetReader::new(file).finish().map_err(|e| RenderError::Parquet {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Ok(Frame { path, df })
    }

    fn err(&self, column: &str, message: impl Into<String>) -> RenderError {
        RenderError::Column {
            path: self.path.clone(),
            column: column.to_string(),
            message: message.into(),
        }
    }

    fn col(&self, name: &str) -> Result<&Column, RenderError> {
        self.df.column(name).map_err(|_| self.err(name, "column missing"))
    }

    fn opt_str(&self, name: &str) -> Result<Vec<Option<String>>, RenderError> {
        let c = self.col(name)?;
        let c = c.cast(&DataType::String).map_err(|e| self.err(name, e.to_string()))?;
        let ca = c.str().map_err(|e| self.err(name, e.to_string()))?;
        Ok((0..ca.len()).map(|i| ca.get(i).map(str::to_string)).collect())
    }

    fn str(&self, name: &str) -> Result<Vec<String>, RenderError> {
        Ok(self.opt_str(name)?.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// A column of a closed vocabulary (kind, period, status): an unknown value is an error.
    fn parsed<T>(&self, name: &str, parse: fn(&str) -> Option<T>) -> Result<Vec<T>, RenderError> {
        self.str(name)?
            .iter()
            .map(|v| parse(v).ok_or_else(|| self.err(name, format!("unknown value '{v}'"))))
            .collect()
    }

    fn i32(&self, name: &str) -> Result<Vec<Option<i32>>, RenderError> {
        let c = self.col(name)?;
        let c = c.cast(&DataType::Int32).map_err(|e| self.err(name, e.to_string()))?;
        let ca = c.i32().map_err(|e| self.err(name, e.to_string()))?;
        Ok((0..ca.len()).map(|i| ca.get(i)).collect())
    }

    fn f64(&self, name: &str) -> Result<Vec<Option<f64>>, RenderError> {
        let c = self.col(name)?;
        let c = c.cast(&DataType::Float64).map_err(|e| self.err(name, e.to_string()))?;
        let ca = c.f64().map_err(|e| self.err(name, e.to_string()))?;
        Ok((0..ca.len()).map(|i| ca.get(i)).collect())
    }

    fn date(&self, name: &str) -> Result<Vec<Option<chrono::NaiveDate>>, RenderError> {
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).ok_or_else(|| self.err(name, "epoch"))?;
        Ok(self
            .i32(name)?
            .into_iter()
            .map(|d| d.and_then(|d| epoch.checked_add_signed(chrono::Duration::days(d as i64))))
            .collect())
    }

    fn list(&self, name: &str) -> Result<Vec<Vec<String>>, RenderError> {
        let c = self.col(name)?;
        let ca = c.list().map_err(|e| self.err(name, e.to_string()))?;
        let mut out = Vec::with_capacity(ca.len());
        for s in (0..ca.len()).map(|i| ca.get_as_series(i)) {
            let items = match s {
                None => Vec::new(),
                Some(s) => {
                    let s = s.cast(&DataType::String).map_err(|e| self.err(name, e.to_string()))?;
                    let s = s.str().map_err(|e| self.err(name, e.to_string()))?;
                    (0..s.len()).filter_map(|i| s.get(i)).map(str::to_string).collect()
                }
            };
            out.push(items);
        }
        Ok(out)
    }

    fn provenance(&self) -> Result<Vec<Provenance>, RenderError> {
        let (f, s, c) = (self.str("source_file")?, self.str("sheet")?, self.str("cell")?);
        Ok(f.into_iter()
            .zip(s)
            .zip(c)
            .map(|((source_file, sheet), cell)| Provenance { source_file, sheet, cell })
            .collect())
    }
}

fn observations(f: &Frame) -> Result<Vec<Observation>, RenderError> {
    let at = f.provenance()?;
    let plan = f.str("plan")?;
    let no = f.str("initiative_no")?;
    let ini = f.str("initiative")?;
    let ind_no = f.i32("indicator_no")?;
    let ind = f.str("indicator")?;
    let fy = f.i32("fiscal_year")?;
    let period = f.parsed("period", Period::parse)?;
    let as_of = f.date("as_of")?;
    let kind = f.parsed("kind", Kind::parse)?;
    let value = f.f64("value")?;
    let unit = f.opt_str("unit")?;
    let status = f.parsed("status", Status::parse)?;
    let raw = f.str("raw")?;
    Ok((0..plan.len())
        .map(|i| Observation {
            plan: plan[i].clone(),
            initiative_no: no[i].clone(),
            initiative: ini[i].clone(),
            indicator_no: ind_no[i],
            indicator: ind[i].clone(),
            fiscal_year: fy[i],
            period: period[i],
            as_of: as_of[i],
            kind: kind[i],
            value: value[i],
            unit: unit[i].clone(),
            status: status[i],
            raw: raw[i].clone(),
            at: at[i].clone(),
        })
        .collect())
}

fn indicators(f: &Frame) -> Result<Vec<Indicator>, RenderError> {
    let at = f.provenance()?;
    let plan = f.str("plan")?;
    let no = f.str("initiative_no")?;
    let ini = f.str("initiative")?;
    let ind_no = f.i32("indicator_no")?;
    let ind = f.str("indicator")?;
    let unit = f.opt_str("unit")?;
    let ftv = f.f64("final_target_value")?;
    let ftf = f.i32("final_target_fy")?;
    let ftr = f.opt_str("final_target_raw")?;
    let status = f.parsed("status", IndicatorStatus::parse)?;
    let group = f.opt_str("indicator_group")?;
    let kgi = f.opt_str("kgi")?;
    Ok((0..plan.len())
        .map(|i| Indicator {
            plan: plan[i].clone(),
            initiative_no: no[i].clone(),
            initiative: ini[i].clone(),
            indicator_no: ind_no[i],
            indicator: ind[i].clone(),
            unit: unit[i].clone(),
            final_target_value: ftv[i],
            final_target_fy: ftf[i],
            final_target_raw: ftr[i].clone(),
            status: status[i],
            indicator_group: group[i].clone(),
            kgi: kgi[i].clone(),
            at: at[i].clone(),
        })
        .collect())
}

fn initiatives(f: &Frame) -> Result<Vec<Initiative>, RenderError> {
    let at = f.provenance()?;
    let plan = f.str("plan")?;
    let goal = f.opt_str("goal")?;
    let reform = f.opt_str("reform")?;
    let no = f.str("initiative_no")?;
    let ini = f.str("initiative")?;
    let direction = f.opt_str("direction")?;
    let divisions = f.list("divisions")?;
    let related = f.list("related_divisions")?;
    let situation = f.opt_str("situation")?;
    let issues = f.opt_str("issues")?;
    Ok((0..plan.len())
        .map(|i| Initiative {
            plan: plan[i].clone(),
            goal: goal[i].clone(),
            reform: reform[i].clone(),
            initiative_no: no[i].clone(),
            initiative: ini[i].clone(),
            direction: direction[i].clone(),
            divisions: divisions[i].clone(),
            related_divisions: related[i].clone(),
            situation: situation[i].clone(),
            issues: issues[i].clone(),
            at: at[i].clone(),
        })
        .collect())
}

fn schedule(f: &Frame) -> Result<Vec<ScheduleEntry>, RenderError> {
    let at = f.provenance()?;
    let plan = f.str("plan")?;
    let no = f.str("initiative_no")?;
    let group = f.opt_str("task_group")?;
    let task = f.str("task")?;
    let fy = f.i32("fiscal_year")?;
    let period = f.parsed("period", Period::parse)?;
    let kind = f.parsed("kind", ScheduleKind::parse)?;
    let text = f.str("text")?;
    Ok((0..plan.len())
        .map(|i| ScheduleEntry {
            plan: plan[i].clone(),
            initiative_no: no[i].clone(),
            task_group: group[i].clone(),
            task: task[i].clone(),
            fiscal_year: fy[i],
            period: period[i],
            kind: kind[i],
            text: text[i].clone(),
            at: at[i].clone(),
        })
        .collect())
}
