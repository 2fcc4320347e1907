//! Records → DataFrames. The schema of every output table lives here, once:
//! the Parquet writer, the workbook writer and the README's schema come from it.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::model::{Diagnostic, EvaluationCount, Extract, Indicator, Initiative, Observation, Provenance, ScheduleEntry, SourceRecord};

/// A documented output column.
pub struct ColumnDef {
    pub name: &'static str,
    /// Logical type as readers see it.
    pub dtype: &'static str,
    pub description: &'static str,
}

/// A documented output table.
pub struct TableDef {
    pub name: &'static str,
    pub description: &'static str,
    pub columns: &'static [ColumnDef],
}

macro_rules! cols {
    ($(($n:literal, $t:literal, $d:literal)),* $(,)?) => { &[$(ColumnDef { name: $n, dtype: $t, description: $d }),*] };
}

/// Columns led by the provenance every table row carries.
macro_rules! cols_with_provenance {
    ($(($n:literal, $t:literal, $d:literal)),* $(,)?) => {
        cols![
            ("source_file", "string", "input file the row came from"),
            ("sheet", "string", "sheet name (text inputs: the file stem)"),
            ("cell", "string", "A1 address of the cell (text inputs: line N = row N, tab field K = column K)"),
            $(($n, $t, $d)),*
        ]
    };
}

const PROVENANCE: [&str; 3] = ["source_file", "sheet", "cell"];

/// Every table, in output order.
pub const TABLES: &[TableDef] = &[
    TableDef {
        name: "observations",
        description: "one row per value cell (tidy / long form)",
        columns: cols_with_provenance![
            ("plan", "string", "plan or programme"),
            (
                "initiative_no",
                "string",
                "item number as printed, normalised: (13) → 13, No.31 → 31"
            ),
            ("initiative", "string", "item title"),
            (
                "indicator_no",
                "int32",
                "circled number as an integer; null where the document has none"
            ),
            ("indicator", "string", "indicator name without its number marker"),
            (
                "fiscal_year",
                "int32",
                "Japanese fiscal year as its Gregorian start year (R5 → 2023)"
            ),
            ("period", "string", "FY, Q1–Q4, H1/H2, AS_OF (see as_of), AVG"),
            ("as_of", "date", "date of a point-in-time value (end of the month named)"),
            ("kind", "string", "baseline, target or actual"),
            ("value", "float64", "number in the base unit, multiplier applied; percent in points"),
            ("unit", "string", "base unit, multiplier folded into the value"),
            ("status", "string", "ok, blank, pending, not_done, deleted, approx, text"),
            ("raw", "string", "the cell's text as a reader of the sheet saw it"),
        ],
    },
    TableDef {
        name: "indicators",
        description: "one row per indicator (KPI)",
        columns: cols_with_provenance![
            ("plan", "string", "plan or programme"),
            ("initiative_no", "string", "item number"),
            ("initiative", "string", "item title"),
            ("indicator_no", "int32", "indicator number, null where none"),
            ("indicator", "string", "indicator name"),
            ("unit", "string", "base unit of its values"),
            ("final_target_value", "float64", "final target in the base unit"),
            ("final_target_fy", "int32", "fiscal year of the final target"),
            ("final_target_raw", "string", "final target as printed"),
            ("status", "string", "active or deleted"),
            ("indicator_group", "string", "group the sheet lists it under"),
            ("kgi", "string", "KGI it is linked to, as printed"),
        ],
    },
    TableDef {
        name: "initiatives",
        description: "one row per item (initiative)",
        columns: cols_with_provenance![
            ("plan", "string", "plan or programme"),
            ("goal", "string", "goal as printed"),
            ("reform", "string", "reform as printed"),
            ("initiative_no", "string", "item number"),
            ("initiative", "string", "item title"),
            ("direction", "string", "direction or content of the item"),
            ("divisions", "list<string>", "divisions in charge"),
            ("related_divisions", "list<string>", "divisions involved besides those in charge"),
            ("situation", "string", "current situation as printed"),
            ("issues", "string", "problems and issues as printed"),
        ],
    },
    TableDef {
        name: "schedule",
        description: "one row per schedule cell",
        columns: cols_with_provenance![
            ("plan", "string", "plan or programme"),
            ("initiative_no", "string", "item number"),
            ("task_group", "string", "numbered group the task stands under"),
            ("task", "string", "concrete task"),
            ("fiscal_year", "int32", "fiscal year"),
            ("period", "string", "FY or Q1–Q4"),
            (
                "kind",
                "string",
                "target, actual, or target_actual where extraction merged both rows"
            ),
            ("text", "string", "the cell's text"),
        ],
    },
    TableDef {
        name: "evaluation_counts",
        description: "one row per yearly evaluation count (achieved of total)",
        columns: cols_with_provenance![
            ("plan", "string", "plan or programme"),
            ("initiative_no", "string", "item number"),
            ("fiscal_year", "int32", "fiscal year evaluated"),
            ("label", "string", "row label as printed"),
            ("achieved", "int32", "indicators achieved"),
            ("total", "int32", "indicators evaluated"),
            ("raw", "string", "the cell's text"),
        ],
    },
    TableDef {
        name: "sources",
        description: "one row per input file",
        columns: cols![
            ("source_file", "string", "input file"),
            ("format", "string", "file type (xlsx, txt, ...)"),
            ("encoding", "string", "text encoding detected (text inputs)"),
            ("sha256", "string", "content hash"),
            ("sheets", "list<string>", "sheet names"),
            ("layout", "string", "mapping(s) that recognised it"),
            ("cells_read", "int64", "non-empty cells read"),
            ("cells_mapped", "int64", "cells held by a table"),
            ("cells_unmapped", "int64", "cells listed in diagnostics instead"),
            ("status", "string", "ok, warnings, errors, duplicate"),
        ],
    },
    TableDef {
        name: "diagnostics",
        description: "one row per problem or note; every cell no table holds is here",
        columns: cols![
            ("severity", "string", "error, warning or info"),
            ("code", "string", "stable code (unmapped, slid_target_repaired, ...)"),
            ("message", "string", "what happened and what to do"),
            ("source_file", "string", "input file"),
            ("sheet", "string", "sheet name, where there is one"),
            ("cell", "string", "A1 address, where there is one"),
            ("raw", "string", "the cell's text, where there is one"),
        ],
    },
];

/// Looks a table definition up by name.
pub fn table_def(name: &str) -> Option<&'static TableDef> {
    all_tables().find(|t| t.name == name)
}

/// Every table an ingest writes: the extracted ones and the evaluation.
pub fn all_tables() -> impl Iterator<Item = &'static TableDef> {
    TABLES.iter().chain(crate::evaluate::EVALUATION_TABLES.iter())
}

/// Checks the workbook's display labels against this schema: every table and
/// column labelled, no label for one that does not exist.
///
/// # Errors
/// Every problem, with the display file and key (`columns.goal: missing label`).
pub fn check_display_labels(labels: &crate::mapping::display::DisplayLabels) -> Result<(), crate::mapping::MappingErrors> {
    let names: Vec<(&str, Vec<&str>)> = all_tables().map(|t| (t.name, t.columns.iter().map(|c| c.name).collect())).collect();
    let errors = labels.check_names(&names);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::mapping::MappingErrors(errors))
    }
}

// Text columns are built from borrowed `&str`: polars copies each string
// into its own buffers once, with no owned copy in between.
fn s<'a>(name: &str, v: impl Iterator<Item = &'a str>) -> Column {
    Column::new(name.into(), v.collect::<Vec<&str>>())
}
fn os<'a>(name: &str, v: impl Iterator<Item = Option<&'a str>>) -> Column {
    Column::new(name.into(), v.collect::<Vec<Option<&str>>>())
}
fn oi(name: &str, v: Vec<Option<i32>>) -> Column {
    Column::new(name.into(), v)
}
fn of(name: &str, v: Vec<Option<f64>>) -> Column {
    Column::new(name.into(), v)
}
fn list<'a>(name: &str, v: impl Iterator<Item = &'a Vec<String>>) -> Column {
    let series: Vec<Series> = v.map(|x| Series::new("".into(), x.as_slice())).collect();
    let mut c = Series::new(name.into(), series);
    if c.dtype() != &DataType::List(Box::new(DataType::String)) {
        c = c.cast(&DataType::List(Box::new(DataType::String))).unwrap_or(c);
    }
    c.into()
}
fn dates(name: &str, v: Vec<Option<NaiveDate>>) -> PolarsResult<Column> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    let days: Vec<Option<i32>> = v.into_iter().map(|d| d.map(|d| (d - epoch).num_days() as i32)).collect();
    Series::new(name.into(), days).cast(&DataType::Date).map(Into::into)
}

fn provenance<'a>(it: impl Iterator<Item = &'a Provenance> + Clone) -> Vec<Column> {
    vec![
        s(PROVENANCE[0], it.clone().map(|p| p.source_file.as_str())),
        s(PROVENANCE[1], it.clone().map(|p| p.sheet.as_str())),
        s(PROVENANCE[2], it.map(|p| p.cell.as_str())),
    ]
}

/// All tables as DataFrames, in [`TABLES`] order.
///
/// # Errors
/// Only if polars rejects a column (a bug: the lengths are equal by construction).
pub fn frames(x: &Extract) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
    Ok(vec![
        ("observations", observations(&x.observations)?),
        ("indicators", indicators(&x.indicators)?),
        ("initiatives", initiatives(&x.initiatives)?),
        ("schedule", schedule(&x.schedule)?),
        ("evaluation_counts", evaluation_counts(&x.evaluation_counts)?),
        ("sources", sources(&x.sources)?),
        ("diagnostics", diagnostics(&x.diagnostics)?),
    ])
}

/// The `observations` table of these rows.
///
/// # Errors
/// Only if polars rejects a column (a bug: the lengths are equal by construction).
pub fn observations(o: &[Observation]) -> PolarsResult<DataFrame> {
    let mut obs = provenance(o.iter().map(|r| &r.at));
    obs.extend([
        s("plan", o.iter().map(|r| r.plan.as_str())),
        s("initiative_no", o.iter().map(|r| r.initiative_no.as_str())),
        s("initiative", o.iter().map(|r| r.initiative.as_str())),
        oi("indicator_no", o.iter().map(|r| r.indicator_no).collect()),
        s("indicator", o.iter().map(|r| r.indicator.as_str())),
        oi("fiscal_year", o.iter().map(|r| r.fiscal_year).collect()),
        s("period", o.iter().map(|r| r.period.as_str())),
        dates("as_of", o.iter().map(|r| r.as_of).collect())?,
        s("kind", o.iter().map(|r| r.kind.as_str())),
        of("value", o.iter().map(|r| r.value).collect()),
        os("unit", o.iter().map(|r| r.unit.as_deref())),
        s("status", o.iter().map(|r| r.status.as_str())),
        s("raw", o.iter().map(|r| r.raw.as_str())),
    ]);
    DataFrame::new_infer_height(obs)
}

/// The `indicators` table of these rows.
///
/// # Errors
/// Only if polars rejects a column (a bug: the lengths are equal by construction).
pub fn indicators(i: &[Indicator]) -> PolarsResult<DataFrame> {
    let mut ind = provenance(i.iter().map(|r| &r.at));
    ind.extend([
        s("plan", i.iter().map(|r| r.plan.as_str())),
        s("initiative_no", i.iter().map(|r| r.initiative_no.as_str())),
        s("initiative", i.iter().map(|r| r.initiative.as_str())),
        oi("indicator_no", i.iter().map(|r| r.indicator_no).collect()),
        s("indicator", i.iter().map(|r| r.indicator.as_str())),
        os("unit", i.iter().map(|r| r.unit.as_deref())),
        of("final_target_value", i.iter().map(|r| r.final_target_value).collect()),
        oi("final_target_fy", i.iter().map(|r| r.final_target_fy).collect()),
        os("final_target_raw", i.iter().map(|r| r.final_target_raw.as_deref())),
        s("status", i.iter().map(|r| r.status.as_str())),
        os("indicator_group", i.iter().map(|r| r.indicator_group.as_deref())),
        os("kgi", i.iter().map(|r| r.kgi.as_deref())),
    ]);
    DataFrame::new_infer_height(ind)
}

/// The `initiatives` table of these rows.
///
/// # Errors
/// Only if polars rejects a column (a bug: the lengths are equal by construction).
pub fn initiatives(n: &[Initiative]) -> PolarsResult<DataFrame> {
    let mut ini = provenance(n.iter().map(|r| &r.at));
    ini.extend([
        s("plan", n.iter().map(|r| r.plan.as_str())),
        os("goal", n.iter().map(|r| r.goal.as_deref())),
        os("reform", n.iter().map(|r| r.reform.as_deref())),
        s("initiative_no", n.iter().map(|r| r.initiative_no.as_str())),
        s("initiative", n.iter().map(|r| r.initiative.as_str())),
        os("direction", n.iter().map(|r| r.direction.as_deref())),
        list("divisions", n.iter().map(|r| &r.divisions)),
        list("related_divisions", n.iter().map(|r| &r.related_divisions)),
        os("situation", n.iter().map(|r| r.situation.as_deref())),
        os("issues", n.iter().map(|r| r.issues.as_deref())),
    ]);
    DataFrame::new_infer_height(ini)
}

/// The `evaluation_counts` table of these rows.
///
/// # Errors
/// Only if polars rejects a column (a bug: the lengths are equal by construction).
pub fn evaluation_counts(e: &[EvaluationCount]) -> PolarsResult<DataFrame> {
    let mut eva = provenance(e.iter().map(|r| &r.at));
    eva.extend([
        s("plan", e.iter().map(|r| r.plan.as_str())),
        s("initiative_no", e.iter().map(|r| r.initiative_no.as_str())),
        oi("fiscal_year", e.iter().map(|r| r.fiscal_year).collect()),
        s("label", e.iter().map(|r| r.label.as_str())),
        oi("achieved", e.iter().map(|r| r.achieved).collect()),
        oi("total", e.iter().map(|r| r.total).collect()),
        s("raw", e.iter().map(|r| r.raw.as_str())),
    ]);
    DataFrame::new_infer_height(eva)
}

/// The `schedule` table of these rows.
///
/// # Errors
/// Only if polars rejects a column (a bug: the lengths are equal by construction).
pub fn schedule(c: &[ScheduleEntry]) -> PolarsResult<DataFrame> {
    let mut sch = provenance(c.iter().map(|r| &r.at));
    sch.extend([
        s("plan", c.iter().map(|r| r.plan.as_str())),
        s("initiative_no", c.iter().map(|r| r.initiative_no.as_str())),
        os("task_group", c.iter().map(|r| r.task_group.as_deref())),
        s("task", c.iter().map(|r| r.task.as_str())),
        oi("fiscal_year", c.iter().map(|r| r.fiscal_year).collect()),
        s("period", c.iter().map(|r| r.period.as_str())),
        s("kind", c.iter().map(|r| r.kind.as_str())),
        s("text", c.iter().map(|r| r.text.as_str())),
    ]);
    DataFrame::new_infer_height(sch)
}

/// The `sources` table of these rows.
///
/// # Errors
/// Only if polars rejects a column (a bug: the lengths are equal by construction).
pub fn sources(r: &[SourceRecord]) -> PolarsResult<DataFrame> {
    let src = vec![
        s("source_file", r.iter().map(|r| r.source_file.as_str())),
        s("format", r.iter().map(|r| r.format.as_str())),
        os("encoding", r.iter().map(|r| r.encoding.as_deref())),
        s("sha256", r.iter().map(|r| r.sha256.as_str())),
        list("sheets", r.iter().map(|r| &r.sheets)),
        os("layout", r.iter().map(|r| r.layout.as_deref())),
        Column::new("cells_read".into(), r.iter().map(|r| r.cells_read as i64).collect::<Vec<_>>()),
        Column::new("cells_mapped".into(), r.iter().map(|r| r.cells_mapped as i64).collect::<Vec<_>>()),
        Column::new(
            "cells_unmapped".into(),
            r.iter().map(|r| r.cells_unmapped as i64).collect::<Vec<_>>(),
        ),
        s("status", r.iter().map(|r| r.status.as_str())),
    ];
    DataFrame::new_infer_height(src)
}

/// The `diagnostics` table of these rows.
///
/// # Errors
/// Only if polars rejects a column (a bug: the lengths are equal by construction).
pub fn diagnostics(d: &[Diagnostic]) -> PolarsResult<DataFrame> {
    let dia = vec![
        s("severity", d.iter().map(|r| r.severity.as_str())),
        s("code", d.iter().map(|r| r.code.as_str())),
        s("message", d.iter().map(|r| r.message.as_str())),
        s("source_file", d.iter().map(|r| r.at.source_file.as_str())),
        os("sheet", d.iter().map(|r| Some(r.at.sheet.as_str()).filter(|s| !s.is_empty()))),
        os("cell", d.iter().map(|r| Some(r.at.cell.as_str()).filter(|s| !s.is_empty()))),
        os("raw", d.iter().map(|r| r.raw.as_deref())),
    ];
    DataFrame::new_infer_height(dia)
}

/// `schema.md`: every table and column with its type, meaning and workbook label,
/// generated from the definitions the writers use so the two never disagree.
pub fn schema_markdown(tables: &[&[TableDef]], labels: &crate::mapping::display::DisplayLabels) -> String {
    let mut md = String::from(
        "# Output schema\n\nGenerated by `torikumi schema` from the definitions the writers use (`src/table.rs`) and the \
         workbook labels of `mappings/display.toml`. Parquet and CSV use the machine names; `consolidated.xlsx` shows the labels.\n",
    );
    for t in tables.iter().flat_map(|t| t.iter()) {
        md.push_str(&format!("\n## {} ({})\n\n{}\n\n", t.name, labels.table(t.name), t.description));
        md.push_str("| column | type | label | meaning |\n| --- | --- | --- | --- |\n");
        for c in t.columns {
            md.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.name,
                c.dtype,
                labels.column_in(t.name, c.name),
                c.description
            ));
        }
    }
    md.push_str("\n## Diagnostic codes\n\nEvery `diagnostics.code`, with the severity it always has (`src/model/codes.rs`).\n\n");
    md.push_str(&crate::model::codes_markdown());
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_follow_the_documented_schema() {
        let frames = frames(&Extract::default()).unwrap();
        assert_eq!(frames.len(), TABLES.len());
        for ((name, df), def) in frames.iter().zip(TABLES) {
            assert_eq!(*name, def.name);
            let got: Vec<&str> = df.get_column_names().iter().map(|s| s.as_str()).collect();
            let want: Vec<&str> = def.columns.iter().map(|c| c.name).collect();
            assert_eq!(got, want, "table {name}");
        }
    }
}
