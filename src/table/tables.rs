//! Every output table, declared once per record type: the documented schema,
//! the writer's columns and the reader's, from the same lines.

use super::record::{Field, Record, dtype, field, record_table};
use super::{ColumnDef, TableDef};
use crate::model::{
    DiagCode, Diagnostic, Direction, EvalStatus, EvaluationCount, EvaluationRow, Indicator, IndicatorStatus, Initiative, Kind, Observation,
    Period, Provenance, ScheduleEntry, ScheduleKind, Severity, SourceRecord, Status, SummaryRow,
};

record_table!(Observation, "observations", "one row per value cell (tidy / long form)", blank = Observation {
    plan: String::new(),
    initiative_no: String::new(),
    initiative: String::new(),
    indicator_no: None,
    indicator: String::new(),
    fiscal_year: None,
    period: Period::FY,
    as_of: None,
    kind: Kind::Target,
    value: None,
    unit: None,
    status: Status::Ok,
    raw: String::new(),
    at: Provenance::default(),
}, {
    "source_file": Str(at.source_file), "input file the row came from";
    "sheet": Str(at.sheet), "sheet name (text inputs: the file stem)";
    "cell": Str(at.cell), "A1 address of the cell (text inputs: line N = row N, tab field K = column K)";
    "plan": Str(plan), "plan or programme";
    "initiative_no": Str(initiative_no), "item number as printed, normalised: (13) → 13, No.31 → 31";
    "initiative": Str(initiative), "item title";
    "indicator_no": OptI32(indicator_no), "circled number as an integer; null where the document has none";
    "indicator": Str(indicator), "indicator name without its number marker";
    "fiscal_year": OptI32(fiscal_year), "Japanese fiscal year as its Gregorian start year (R5 → 2023)";
    "period": Enum(Period, period), "FY, Q1–Q4, H1/H2, AS_OF (see as_of), AVG";
    "as_of": Date(as_of), "date of a point-in-time value (end of the month named)";
    "kind": Enum(Kind, kind), "baseline, target or actual";
    "value": OptF64(value), "number in the base unit, multiplier applied; percent in points";
    "unit": OptStr(unit), "base unit, multiplier folded into the value";
    "status": Enum(Status, status), "ok, blank, pending, not_done, deleted, approx, text";
    "raw": Str(raw), "the cell's text as a reader of the sheet saw it";
});

record_table!(Indicator, "indicators", "one row per indicator (KPI)", blank = Indicator {
    plan: String::new(),
    initiative_no: String::new(),
    initiative: String::new(),
    indicator_no: None,
    indicator: String::new(),
    unit: None,
    final_target_value: None,
    final_target_fy: None,
    final_target_raw: None,
    status: IndicatorStatus::Active,
    indicator_group: None,
    kgi: None,
    at: Provenance::default(),
}, {
    "source_file": Str(at.source_file), "input file the row came from";
    "sheet": Str(at.sheet), "sheet name (text inputs: the file stem)";
    "cell": Str(at.cell), "A1 address of the cell (text inputs: line N = row N, tab field K = column K)";
    "plan": Str(plan), "plan or programme";
    "initiative_no": Str(initiative_no), "item number";
    "initiative": Str(initiative), "item title";
    "indicator_no": OptI32(indicator_no), "indicator number, null where none";
    "indicator": Str(indicator), "indicator name";
    "unit": OptStr(unit), "base unit of its values";
    "final_target_value": OptF64(final_target_value), "final target in the base unit";
    "final_target_fy": OptI32(final_target_fy), "fiscal year of the final target";
    "final_target_raw": OptStr(final_target_raw), "final target as printed";
    "status": Enum(IndicatorStatus, status), "active or deleted";
    "indicator_group": OptStr(indicator_group), "group the sheet lists it under";
    "kgi": OptStr(kgi), "KGI it is linked to, as printed";
});

record_table!(Initiative, "initiatives", "one row per item (initiative)", blank = Initiative::default(), {
    "source_file": Str(at.source_file), "input file the row came from";
    "sheet": Str(at.sheet), "sheet name (text inputs: the file stem)";
    "cell": Str(at.cell), "A1 address of the cell (text inputs: line N = row N, tab field K = column K)";
    "plan": Str(plan), "plan or programme";
    "goal": OptStr(goal), "goal as printed";
    "reform": OptStr(reform), "reform as printed";
    "initiative_no": Str(initiative_no), "item number";
    "initiative": Str(initiative), "item title";
    "direction": OptStr(direction), "direction or content of the item";
    "divisions": List(divisions), "divisions in charge";
    "related_divisions": List(related_divisions), "divisions involved besides those in charge";
    "situation": OptStr(situation), "current situation as printed";
    "issues": OptStr(issues), "problems and issues as printed";
});

record_table!(ScheduleEntry, "schedule", "one row per schedule cell", blank = ScheduleEntry {
    plan: String::new(),
    initiative_no: String::new(),
    task_group: None,
    task: String::new(),
    fiscal_year: None,
    period: Period::FY,
    kind: ScheduleKind::Target,
    text: String::new(),
    at: Provenance::default(),
}, {
    "source_file": Str(at.source_file), "input file the row came from";
    "sheet": Str(at.sheet), "sheet name (text inputs: the file stem)";
    "cell": Str(at.cell), "A1 address of the cell (text inputs: line N = row N, tab field K = column K)";
    "plan": Str(plan), "plan or programme";
    "initiative_no": Str(initiative_no), "item number";
    "task_group": OptStr(task_group), "numbered group the task stands under";
    "task": Str(task), "concrete task";
    "fiscal_year": OptI32(fiscal_year), "fiscal year";
    "period": Enum(Period, period), "FY or Q1–Q4";
    "kind": Enum(ScheduleKind, kind), "target, actual, or target_actual where extraction merged both rows";
    "text": Str(text), "the cell's text";
});

record_table!(EvaluationCount, "evaluation_counts", "one row per yearly evaluation count (achieved of total)", blank = EvaluationCount {
    plan: String::new(),
    initiative_no: String::new(),
    fiscal_year: None,
    label: String::new(),
    achieved: None,
    total: None,
    raw: String::new(),
    at: Provenance::default(),
}, {
    "source_file": Str(at.source_file), "input file the row came from";
    "sheet": Str(at.sheet), "sheet name (text inputs: the file stem)";
    "cell": Str(at.cell), "A1 address of the cell (text inputs: line N = row N, tab field K = column K)";
    "plan": Str(plan), "plan or programme";
    "initiative_no": Str(initiative_no), "item number";
    "fiscal_year": OptI32(fiscal_year), "fiscal year evaluated";
    "label": Str(label), "row label as printed";
    "achieved": OptI32(achieved), "indicators achieved";
    "total": OptI32(total), "indicators evaluated";
    "raw": Str(raw), "the cell's text";
});

record_table!(SourceRecord, "sources", "one row per input file", blank = SourceRecord::default(), {
    "source_file": Str(source_file), "input file";
    "format": Str(format), "file type (xlsx, txt, ...)";
    "encoding": OptStr(encoding), "text encoding detected (text inputs)";
    "sha256": Str(sha256), "content hash";
    "sheets": List(sheets), "sheet names";
    "layout": OptStr(layout), "mapping(s) that recognised it";
    "cells_read": U64(cells_read), "non-empty cells read";
    "cells_mapped": U64(cells_mapped), "cells held by a table";
    "cells_unmapped": U64(cells_unmapped), "cells listed in diagnostics instead";
    "value_cells_unread": U64(value_cells_unread), "of those, value-like cells (numbers, percentages, status words) no table took: each is an unmapped_value warning";
    "status": Str(status), "ok, warnings, errors, duplicate";
    "run_id": Str(run_id), "the run that wrote these tables; every table file and the workbook carry it in their metadata (torikumi.run_id)";
    "run_started": Str(run_started), "when that run started, UTC (RFC 3339)";
});

/// The severity of a table string (it always follows from the code; kept as written).
fn set_severity(d: &mut Diagnostic, s: &str) -> bool {
    let found = [Severity::Info, Severity::Warning, Severity::Error]
        .into_iter()
        .find(|x| x.as_str() == s);
    found.map(|x| d.severity = x).is_some()
}

/// The arguments of a `message_args` JSON object; the message itself is rendered from them.
fn set_args(d: &mut Diagnostic, json: String) {
    d.args = crate::mapping::messages::args_from_json(&json)
        .into_iter()
        .map(|(k, v)| (k.into(), v))
        .collect();
}

/// An empty sheet or cell is written as null: the diagnostic is about the whole file.
fn none_if_empty(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.is_empty())
}

record_table!(Diagnostic, "diagnostics", "one row per problem or note; every cell no table holds is here", blank = Diagnostic {
    severity: Severity::Info,
    code: DiagCode::Unmapped,
    args: Vec::new(),
    at: Provenance::default(),
    raw: None,
}, {
    "severity": Enum(get = |x| x.severity.as_str(), set = set_severity), "error, warning or info";
    "code": Enum(DiagCode, code), "stable code (unmapped, slid_target_repaired, ...)";
    "message": Text(get = crate::mapping::messages::run_text, set = |_, _| {}), "what happened and what to do, in the language of the run (--lang, else the locale)";
    "message_args": Text(get = |x| crate::mapping::messages::args_json(&x.args).into(), set = set_args), "the message's named arguments as a JSON object (case picks the wording), to render it again in another language";
    "source_file": Str(at.source_file), "input file";
    "sheet": OptStr(get = |x| none_if_empty(&x.at.sheet), set = |x, v| x.at.sheet = v.unwrap_or_default()), "sheet name, where there is one";
    "cell": OptStr(get = |x| none_if_empty(&x.at.cell), set = |x, v| x.at.cell = v.unwrap_or_default()), "A1 address, where there is one";
    "raw": OptStr(raw), "the cell's text, where there is one";
});

/// Where the actual came from, created when a column of it is read.
fn actual_at(r: &mut EvaluationRow) -> &mut Provenance {
    r.actual_at.get_or_insert_with(Provenance::default)
}

record_table!(EvaluationRow, "evaluation", "one row per indicator and fiscal year with a target: the year's result against it", blank = EvaluationRow {
    plan: String::new(),
    goal: None,
    initiative_no: String::new(),
    initiative: String::new(),
    indicator_no: None,
    indicator: String::new(),
    fiscal_year: 0,
    target: None,
    actual: None,
    actual_period: None,
    unit: None,
    direction: Direction::Higher,
    direction_inferred: true,
    achievement_rate: None,
    progress_rate: None,
    status: EvalStatus::Pending,
    printed_achievement_rate: None,
    printed_status: None,
    printed_cell: None,
    target_at: Provenance::default(),
    actual_at: None,
}, {
    "plan": Str(plan), "plan or programme";
    "goal": OptStr(goal), "goal of the item, as printed";
    "initiative_no": Str(initiative_no), "item number";
    "initiative": Str(initiative), "item title";
    "indicator_no": OptI32(indicator_no), "indicator number, null where none";
    "indicator": Str(indicator), "indicator name";
    "fiscal_year": I32(fiscal_year), "fiscal year evaluated (Gregorian start year)";
    "target": OptF64(target), "the year's target in the base unit; null when it is not a number";
    "actual": OptF64(actual), "the year's result in the base unit: the FY actual, else the latest reported quarter (or the sum / mean the rules ask for); null when there is none";
    "actual_period": OptStr(actual_period), "period that stands for the year: FY, Q1-Q4, H1/H2, AS_OF:date, Q1+Q2+... (sum) or mean(...)";
    "unit": OptStr(unit), "base unit of target and actual";
    "direction": Enum(Direction, direction), "higher or lower (which way is better)";
    "direction_inferred": Bool(direction_inferred), "true when the direction comes from a name rule or the default, false when declared for this indicator";
    "achievement_rate": OptF64(achievement_rate), "percent points: actual / target x 100 (higher is better) or target / actual x 100 (lower is better); null when undefined";
    "progress_rate": OptF64(progress_rate), "percent points of the way from the baseline to the target: (actual - baseline) / (target - baseline) x 100; null without a baseline or when target equals baseline";
    "status": Enum(EvalStatus, status), "achieved, not_achieved, pending (no result yet) or not_evaluable (see diagnostics)";
    "printed_achievement_rate": OptF64(printed_achievement_rate), "the achievement rate the sheet itself prints for this year (percent points); a printed_achievement_differs warning when it disagrees with achievement_rate";
    "printed_status": OptStr(
        get = |x| x.printed_status.map(EvalStatus::as_str),
        set = |x, v| x.printed_status = v.as_deref().and_then(EvalStatus::parse)
    ), "the status the sheet prints (the vocabulary's achieved / not-achieved words, or pending), as a status code; null where it prints none";
    "printed_cell": OptStr(printed_cell), "sheet!A1 of the printed achievement, in the target's file";
    "target_source_file": Str(target_at.source_file), "input file of the target";
    "target_sheet": Str(target_at.sheet), "sheet of the target";
    "target_cell": Str(target_at.cell), "A1 address of the target";
    "actual_source_file": OptStr(
        get = |x| x.actual_at.as_ref().map(|p| p.source_file.as_str()),
        set = |x, v| if let Some(v) = v { actual_at(x).source_file = v }
    ), "input file of the actual; null when there is none";
    "actual_sheet": OptStr(
        get = |x| x.actual_at.as_ref().map(|p| p.sheet.as_str()),
        set = |x, v| if let Some(v) = v { actual_at(x).sheet = v }
    ), "sheet of the actual; null when there is none";
    "actual_cell": OptStr(
        get = |x| x.actual_at.as_ref().map(|p| p.cell.as_str()),
        set = |x, v| if let Some(v) = v { actual_at(x).cell = v }
    ), "A1 address of the actual (several joined by commas for a sum or mean); null when there is none";
});

record_table!(SummaryRow, "evaluation_summary", "one row per plan, goal and fiscal year: KPI counts and the KPI achievement rate", blank = SummaryRow {
    plan: String::new(),
    goal: None,
    fiscal_year: 0,
    achieved: 0,
    not_achieved: 0,
    pending: 0,
    not_evaluable: 0,
    kpi_achievement_rate: None,
}, {
    "plan": Str(plan), "plan or programme";
    "goal": OptStr(goal), "goal as printed; null for items without one";
    "fiscal_year": I32(fiscal_year), "fiscal year evaluated";
    "achieved": I32(achieved), "indicators achieved";
    "not_achieved": I32(not_achieved), "indicators not achieved";
    "pending": I32(pending), "indicators without a result yet";
    "not_evaluable": I32(not_evaluable), "indicators that cannot be judged (text target, no value, units disagree)";
    "kpi_achievement_rate": OptF64(kpi_achievement_rate), "percent points: achieved / (achieved + not_achieved) x 100; null when nothing was judged";
});
