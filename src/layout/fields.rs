//! Item header fields (目標 / 改革 / 実施項目 / 取組の方向性 / 取組所属, or
//! `No.N title` / 担当課 / 取組内容 / 目標 with inline KPIs) and the per-item
//! context every block writes through.

use super::Sheet;
use super::items::Extent;
use crate::mapping::{Field, FieldKind, LabelHit, Layout};
use crate::model::{DiagCode, Indicator, IndicatorStatus, Initiative, Kind, Observation, Provenance, args};
use crate::normalize::{KpiKind, Parsed, PeriodSpec, has_unmarked_kpis, parse_inline_kpis};
use crate::source::Cell;

/// What blocks of one item share: its identity and the indicators seen so far.
pub struct ItemContext {
    pub plan: String,
    pub initiative_no: String,
    pub initiative: String,
    pub indicators: Vec<Indicator>,
    /// Parsed final target per indicator, same order as `indicators`, with
    /// its cell (of this item's sheet).
    pub final_targets: Vec<Option<(Parsed, Cell)>>,
}

/// Two tables of one sheet name an indicator alike up to spaces and width
/// (`優先度の高い 行政手続電子化率` / `優先度の高い行政手続電子化率`).
fn same_name(a: &str, b: &str) -> bool {
    a == b || crate::mapping::norm_label(a) == crate::mapping::norm_label(b)
}

impl ItemContext {
    /// Index of the indicator (number, name), added when new. A deleted
    /// indicator (printed in parentheses) never merges with an active one of the same number.
    pub fn indicator(&mut self, no: Option<i32>, name: &str, deleted: bool, at: Provenance) -> usize {
        match self.find(no, name, deleted) {
            Some(i) => i,
            None => self.push_indicator(no, name, deleted, at),
        }
    }

    /// The indicator numbered `no`, or named `name` when there is no number,
    /// in the same state (deleted or active).
    fn find(&self, no: Option<i32>, name: &str, deleted: bool) -> Option<usize> {
        self.indicators.iter().position(|i| {
            let same_state = (i.status == IndicatorStatus::Deleted) == deleted;
            match no {
                Some(n) => i.indicator_no == Some(n) && same_state,
                None => same_name(&i.indicator, name) && same_state,
            }
        })
    }

    /// The indicator numbered `no` whose name is not `name`, and the other
    /// indicator named exactly `name`, when there is one: a row whose number
    /// and name point at two indicators (rows reordered, numbers left).
    pub fn number_and_name_disagree(&self, no: Option<i32>, name: &str, deleted: bool) -> Option<(usize, Option<usize>)> {
        let by_no = self.find(Some(no?), name, deleted)?;
        if same_name(&self.indicators[by_no].indicator, name) {
            return None;
        }
        Some((by_no, self.find(None, name, deleted)))
    }

    fn push_indicator(&mut self, no: Option<i32>, name: &str, deleted: bool, at: Provenance) -> usize {
        self.indicators.push(Indicator {
            plan: self.plan.clone(),
            initiative_no: self.initiative_no.clone(),
            initiative: self.initiative.clone(),
            indicator_no: no,
            indicator: name.to_string(),
            unit: None,
            final_target_value: None,
            final_target_fy: None,
            final_target_raw: None,
            status: if deleted {
                IndicatorStatus::Deleted
            } else {
                IndicatorStatus::Active
            },
            indicator_group: None,
            kgi: None,
            at,
        });
        self.final_targets.push(None);
        self.indicators.len() - 1
    }

    /// A new context for an item: its identity, no indicators yet.
    pub fn new(plan: &str, initiative_no: &str, initiative: &str) -> Self {
        ItemContext {
            plan: plan.to_string(),
            initiative_no: initiative_no.to_string(),
            initiative: initiative.to_string(),
            indicators: Vec::new(),
            final_targets: Vec::new(),
        }
    }

    /// The indicator named exactly `name` (with number `no`), added when new.
    /// Lists can number two indicators of one item alike (two ① after a
    /// renumbering), so the name, not the number alone, tells them apart.
    pub fn named_indicator(&mut self, no: Option<i32>, name: &str, deleted: bool, at: Provenance) -> usize {
        match self
            .indicators
            .iter()
            .position(|i| i.indicator_no == no && same_name(&i.indicator, name))
        {
            Some(i) => i,
            None => self.push_indicator(no, name, deleted, at),
        }
    }

    /// An observation row for indicator `idx`.
    #[allow(clippy::too_many_arguments)]
    pub fn observe(&mut self, sheet: &mut Sheet, idx: usize, spec: &PeriodSpec, kind: Kind, parsed: &Parsed, raw: &str, at: Provenance) {
        if parsed.value == Some(0.0) && shows_no_figure(sheet, raw) {
            // A typed 0 whose number format shows a dash (会計: `"－"` for
            // zero): zero, or "none" to the reader? Kept as stored, and said.
            let message = args!["case" => "zero-shown-as-dash", "value" => raw.trim()];
            let d = crate::model::Diagnostic::new(DiagCode::AmbiguousCell, message, at.clone(), Some(raw.to_string()));
            sheet.out.diagnostics.push(d);
        }
        let ind = &mut self.indicators[idx];
        if ind.unit.is_none() {
            ind.unit = parsed.unit.clone();
        }
        sheet.out.observations.push(Observation {
            plan: self.plan.clone(),
            initiative_no: self.initiative_no.clone(),
            initiative: self.initiative.clone(),
            indicator_no: ind.indicator_no,
            indicator: ind.indicator.clone(),
            fiscal_year: spec.fiscal_year,
            period: spec.period,
            as_of: spec.as_of,
            kind,
            value: parsed.value,
            unit: parsed.unit.clone(),
            status: parsed.status,
            raw: raw.to_string(),
            at,
        });
    }

    /// Writes the item's indicators to the output.
    pub fn finish(self, sheet: &mut Sheet) {
        sheet.out.indicators.extend(self.indicators);
    }
}

/// What the reader sees of a value cell shows no figure: empty, or a dash.
fn shows_no_figure(sheet: &Sheet, raw: &str) -> bool {
    raw.trim().is_empty() || sheet.vocab.parse_value(raw).status == crate::model::Status::Blank
}

/// True when row `r` holds one of the layout's lead fields (they stand above the anchor).
pub fn is_lead_row(sheet: &Sheet, layout: &Layout, r: u32) -> bool {
    let Some(first) = sheet.row(r).first() else { return false };
    layout
        .fields
        .iter()
        .filter(|f| layout.item.lead_fields.contains(&f.kind))
        .any(|f| field_value_in_cell(f, first, sheet.row(r).len()).is_some())
}

/// The kind of field whose label (or pattern) starts row `r`, when that cell
/// was not read as a field: an item's fields where no item takes them.
pub fn unread_field_at(sheet: &Sheet, layout: &Layout, r: u32) -> Option<FieldKind> {
    let row = sheet.row(r);
    let first = row.first()?;
    if sheet.consumed.contains(&(first.row, first.col)) {
        return None;
    }
    layout
        .fields
        .iter()
        .find(|f| field_value_in_cell(f, first, row.len()).is_some())
        .map(|f| f.kind)
}

/// Whether the item already holds field `kind`.
pub fn has_field(item: &Initiative, kind: FieldKind) -> bool {
    match kind {
        FieldKind::Goal => item.goal.is_some(),
        FieldKind::Reform => item.reform.is_some(),
        FieldKind::Initiative => !item.initiative.is_empty() || !item.initiative_no.is_empty(),
        FieldKind::Direction => item.direction.is_some(),
        FieldKind::Divisions => !item.divisions.is_empty(),
        FieldKind::RelatedDivisions => !item.related_divisions.is_empty(),
        FieldKind::Situation => item.situation.is_some(),
        FieldKind::Issues => item.issues.is_some(),
    }
}

/// The value a field takes from a row starting with `first`, if it matches.
fn field_value_in_cell(f: &Field, first: &Cell, row_len: usize) -> Option<Option<String>> {
    let text = first.raw.trim();
    if let Some(re) = &f.pattern
        && let Some(caps) = re.captures(text)
    {
        let v = caps.name("value").map(|m| m.as_str()).unwrap_or(text);
        return Some(Some(v.trim().to_string()));
    }
    if let Some(v) = f.labels.strip_inline(text, &f.inline_separators) {
        return Some(Some(v));
    }
    match f.labels.match_cell(text)? {
        LabelHit { value: Some(v), .. } => Some(Some(v)),
        _ if row_len > 1 => Some(None), // the value is in the following cells
        _ => None,
    }
}

/// Reads the item's header fields into `item` and returns the item context.
pub fn read(sheet: &mut Sheet, layout: &Layout, ext: Extent, fields_end: u32, item: &mut Initiative) -> ItemContext {
    if let Some(re) = &layout.item.anchor_pattern
        && let Some(cell) = sheet.row(ext.anchor).first().cloned()
        && let Some(caps) = re.captures(cell.raw.trim())
    {
        item.initiative_no = caps.get(1).map(|m| item_number(m.as_str())).unwrap_or_default();
        item.initiative = caps.get(2).map(|m| m.as_str().trim().to_string()).unwrap_or_default();
        item.at = sheet.at(&cell);
        sheet.take(&cell);
    }
    let mut kpi_fields = Vec::new();
    for f in &layout.fields {
        let Some(field) = find_field(sheet, layout, f, ext, fields_end) else {
            continue;
        };
        if matches!(f.kind, FieldKind::Goal) && f.inline_kpi.is_some() {
            kpi_fields.push((f, field));
            continue;
        }
        let FieldValue { text: value, cell, .. } = field;
        if f.inline_kpi.is_none() && sheet.names_kpi_marker(&cell) && sheet.holds_kpis(&cell) {
            // A KPI block (〔KPI〕 …) moved into another field (取組内容): the
            // layout reads KPIs only from its KPI field, so they would be
            // prose, unread, unsaid. The marker is asked first: prose is long.
            sheet.note(
                DiagCode::AmbiguousCell,
                args!["case" => "kpi-in-field", "field" => f.kind.as_str()],
                &cell,
            );
        }
        match f.kind {
            FieldKind::Goal => item.goal = Some(value),
            FieldKind::Reform => item.reform = Some(value),
            FieldKind::Direction => item.direction = Some(value),
            FieldKind::Situation => item.situation = Some(value),
            FieldKind::Issues => item.issues = Some(value),
            FieldKind::RelatedDivisions => item.related_divisions = split_list(f, &value),
            FieldKind::Divisions => {
                item.divisions = match &f.split {
                    Some(re) => re
                        .split(&value)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                    None => vec![value],
                }
            }
            FieldKind::Initiative => {
                let (no, title) = split_number(layout, &value);
                say_unread_number(sheet, layout, &no, &title, &cell);
                item.initiative_no = no;
                item.initiative = title;
                item.at = sheet.at(&cell);
            }
        }
    }
    let mut ctx = ItemContext {
        plan: layout.plan.clone(),
        initiative_no: item.initiative_no.clone(),
        initiative: item.initiative.clone(),
        indicators: Vec::new(),
        final_targets: Vec::new(),
    };
    for (f, field) in kpi_fields {
        read_kpis(sheet, &mut ctx, item, f, &field);
    }
    ctx
}

/// Text of several lines as one, each line joined as a wrapped line is.
fn one_line(text: &str) -> String {
    let mut lines = text.lines().map(str::trim);
    let mut out = lines.next().unwrap_or_default().to_string();
    for line in lines {
        super::join_wrapped(&mut out, line);
    }
    out
}

/// The value cells of the rows under a goal whose text became part of KPI
/// `name` (a small table of years and figures typed under 目標): each said
/// at its own address, not only in the name's warning, and counted as not read.
fn flag_values_in_name(sheet: &mut Sheet, field: &FieldValue, name: &str, named: &Cell) {
    for c in &field.continued {
        let in_name = !c.raw.trim().is_empty() && name.contains(c.raw.trim());
        if in_name && (c.row, c.col) != (named.row, named.col) && sheet.parse(c).value.is_some() {
            sheet.diag_cell(DiagCode::AmbiguousCell, args!["case" => "kpi-name-holds-values", "name" => name], c);
        }
    }
}

/// The KPIs of a goal field (`〔KPI〕 name R5：65% …`) as the item's
/// indicators and their values. Each KPI, and each of its entries, is placed
/// at the row of the field it stands in (a KPI typed on the lines under 目標
/// is that line's, not the goal's).
fn read_kpis(sheet: &mut Sheet, ctx: &mut ItemContext, item: &mut Initiative, f: &Field, field: &FieldValue) {
    let syntax = f.inline_kpi.as_ref().expect("filtered on inline_kpi");
    let (goal, kpis) = parse_inline_kpis(&field.text, syntax, sheet.vocab);
    if kpis.is_empty() && has_unmarked_kpis(&field.text, syntax, sheet.vocab) {
        // Kept as the goal's text, but said: these may be KPIs under another marker.
        sheet.note(
            DiagCode::AmbiguousCell,
            args!["case" => "kpi-without-marker", "marker" => syntax.marker.clone()],
            &field.cell,
        );
    }
    item.goal = Some(goal);
    for mut kpi in kpis {
        let (start, cell) = field.row_of(&kpi.name, 0).unwrap_or((0, &field.cell));
        let at = sheet.at(cell);
        // A name wrapped onto the goal's next line (`…オープンデー` | `タ公開…`): one line.
        if kpi.name.contains('\n') {
            kpi.name = one_line(&kpi.name);
        }
        take_name_unit(sheet.vocab, &mut kpi);
        if crate::normalize::name_holds_values(&kpi.name, syntax, sheet.vocab) {
            // Entries the syntax did not recognise: said, not left in the name silently.
            sheet.note(
                DiagCode::AmbiguousCell,
                args!["case" => "kpi-name-holds-values", "name" => kpi.name.clone()],
                cell,
            );
            flag_values_in_name(sheet, field, &kpi.name, cell);
        }
        if sheet.vocab.is_unit_word(&crate::normalize::fold_ascii_width(kpi.name.trim())) {
            // `R7：5 件 … R5：3件`: a unit word before a name separator,
            // the unit of the value before it or a KPI's name? Read as a name, said.
            let message = args!["case" => "kpi-name-is-unit", "name" => kpi.name.clone()];
            sheet.note(DiagCode::AmbiguousCell, message, cell);
        }
        let idx = ctx.indicator(None, &kpi.name, false, at.clone());
        let last_target = kpi
            .entries
            .iter()
            .filter(|e| e.kind == KpiKind::Target && e.readable())
            .max_by_key(|e| e.spec.fiscal_year);
        if let Some(t) = last_target {
            let ind = &mut ctx.indicators[idx];
            ind.final_target_value = t.parsed.value;
            ind.final_target_fy = t.spec.fiscal_year;
            ind.final_target_raw = Some(t.value_raw.clone());
            ind.unit = t.parsed.unit.clone();
        }
        flag_bracketed_kind(sheet, &kpi.entries, cell);
        // An entry on a row of its own (the KPI's line broken) is that row's.
        let entry_cell = |e: &crate::normalize::KpiEntry| field.row_of(&e.raw, start).map_or(cell, |(_, c)| c);
        for e in &kpi.entries {
            say_entry_doubts(sheet, e, entry_cell(e));
        }
        say_odd_units(sheet, &kpi, cell);
        say_fractions_among_percents(sheet, &kpi, cell);
        say_bare_among_units(sheet, &kpi, cell);
        // Its year or value in doubt, an entry is said above and not read.
        for e in kpi.entries.iter().filter(|e| e.readable()) {
            if e.spec.fiscal_year.is_none() {
                // A label the syntax took but no year it reads (令和五年度): never a row without a year.
                sheet.note(
                    DiagCode::YearNotDecoded,
                    args!["case" => "kpi", "entry" => e.raw.clone()],
                    entry_cell(e),
                );
                continue;
            }
            let kind = match e.kind {
                KpiKind::Target => Kind::Target,
                KpiKind::Baseline => Kind::Baseline,
                KpiKind::Actual => Kind::Actual,
            };
            // A target at the fiscal year's end is the year's; a past value
            // there (（R4.3末：78.6%）) stays a point in time.
            let spec = if kind == Kind::Target {
                e.spec.as_plan_figure()
            } else {
                e.spec.clone()
            };
            let at = sheet.at(entry_cell(e));
            ctx.observe(sheet, idx, &spec, kind, &e.parsed, &e.raw, at);
        }
    }
}

/// `実施課所数（課所） … R5：60`: a unit bracketed at the end of a KPI's name
/// is the unit of its values printed without one, and leaves the name, as it
/// does a table's indicator name; so does a footnote reference (`※1`).
fn take_name_unit(vocab: &crate::normalize::Vocabulary, kpi: &mut crate::normalize::InlineKpi) {
    let (name, Some(unit)) = vocab.split_name_unit(&kpi.name) else {
        kpi.name = vocab.without_footnote_ref(&kpi.name).to_string();
        return;
    };
    kpi.name = name;
    for e in kpi
        .entries
        .iter_mut()
        .filter(|e| e.parsed.value.is_some() && e.parsed.unit.is_none())
    {
        let with = vocab.parse_value(&format!("{}{unit}", e.value_raw.trim()));
        if with.value.is_some() && with.unit.is_some() {
            e.parsed = with;
        }
    }
}

/// `R6：60課所/年` among a KPI's entries in 課所: words after the value read
/// into its unit, said (`unit-differs`) as in a table's row; kept as read.
fn say_odd_units(sheet: &mut Sheet, kpi: &crate::normalize::InlineKpi, cell: &Cell) {
    let readable = || kpi.entries.iter().filter(|e| e.readable());
    let Some(usual) = super::usual_unit(readable().map(|e| &e.parsed)) else {
        return;
    };
    for e in readable() {
        if let Some(unit) = super::odd_unit(&e.parsed, usual) {
            let message = args!["case" => "unit-differs", "value" => e.raw.trim(), "unit" => unit, "other" => usual];
            sheet.note(DiagCode::AmbiguousCell, message, cell);
        }
    }
}

/// `R5：0.65 R6：0.78 R7：0.8（R4上期：54.7%）`: a bare number between -1
/// and 1 among a KPI's entries in % (its baseline included) is a ratio typed
/// for a percentage, or that small a percentage? Kept as typed, each an
/// `ambiguous_cell` warning (`kpi-fraction-among-percents`), as a table's row
/// says it (`fraction-among-percents`). One entry in % is enough here: the
/// entries are one KPI's, and the ratios may be all of its targets.
fn say_fractions_among_percents(sheet: &mut Sheet, kpi: &crate::normalize::InlineKpi, cell: &Cell) {
    let readable = || kpi.entries.iter().filter(|e| e.readable());
    if !readable().any(|e| e.parsed.value.is_some() && e.parsed.unit.as_deref() == Some("%")) {
        return;
    }
    for e in readable() {
        if let (None, Some(v)) = (&e.parsed.unit, e.parsed.value)
            && v != 0.0
            && v.abs() < 1.0
        {
            let percent = crate::normalize::percent_of(v).to_string();
            let message = args![
                "case" => "kpi-fraction-among-percents",
                "entry" => e.raw.trim(),
                "value" => e.value_raw.trim(),
                "percent" => percent
            ];
            sheet.note(DiagCode::AmbiguousCell, message, cell);
        }
    }
}

/// `R5：65 R6：78% R7：80%`, `R5：60 R6：60課所`: an entry with no unit among
/// a KPI's entries that all carry one (for %, a number of their size: a
/// ratio below 1 is [`say_fractions_among_percents`]'s). The unit left off?
/// Kept as typed, an `ambiguous_cell` warning (`kpi-bare-among-units`), as a
/// table's row says it (`bare-among-units`, `bare-among-percents`).
fn say_bare_among_units(sheet: &mut Sheet, kpi: &crate::normalize::InlineKpi, cell: &Cell) {
    let readable = || kpi.entries.iter().filter(|e| e.readable() && e.parsed.value.is_some());
    let mut units = readable().filter_map(|e| e.parsed.unit.as_deref());
    let Some(unit) = units.next() else { return };
    if units.any(|u| u != unit) {
        return;
    }
    let sized: Vec<f64> = readable()
        .filter(|e| e.parsed.unit.is_some())
        .filter_map(|e| e.parsed.value)
        .collect();
    for e in readable().filter(|e| e.parsed.unit.is_none()) {
        let Some(v) = e.parsed.value.filter(|&v| v != 0.0) else { continue };
        let of_their_size = sized.iter().any(|&o| v.abs() <= o.abs() * 10.0 && v.abs() * 10.0 >= o.abs());
        if unit == "%" && (v.abs() < 1.0 || !of_their_size) {
            continue;
        }
        let message = args![
            "case" => "kpi-bare-among-units",
            "entry" => e.raw.trim(),
            "value" => e.value_raw.trim(),
            "unit" => unit
        ];
        sheet.note(DiagCode::AmbiguousCell, message, cell);
    }
}

/// What one KPI entry leaves in doubt, as ambiguous_cell warnings naming the
/// cell: a value after it the syntax cannot date (`kpi-entry-note`), one value
/// for a range of years (`year-range`), an era and a Western year that
/// disagree (`kpi-year-disagrees`), a value in brackets
/// (`kpi-bracketed-value`), a bracket beside it that closes or opens no
/// group (`kpi-stray-bracket`); the entry is not read in those last three.
fn say_entry_doubts(sheet: &mut Sheet, e: &crate::normalize::KpiEntry, cell: &Cell) {
    if let Some(note) = &e.unread_note {
        let message = args!["case" => "kpi-entry-note", "entry" => e.raw.clone(), "note" => note.clone()];
        sheet.note(DiagCode::AmbiguousCell, message, cell);
    }
    if let (Some(from), Some(to)) = (e.range_from, e.spec.fiscal_year) {
        let message = args!["case" => "year-range", "entry" => e.raw.clone(), "from" => from, "to" => to];
        sheet.note(DiagCode::AmbiguousCell, message, cell);
    }
    if let (Some(western), Some(fy)) = (e.year_conflict, e.spec.fiscal_year) {
        let message = args!["case" => "kpi-year-disagrees", "entry" => e.raw.clone(), "fy" => fy, "western" => western];
        sheet.note(DiagCode::AmbiguousCell, message, cell);
    }
    if e.in_brackets {
        let message = args!["case" => "kpi-bracketed-value", "entry" => e.raw.clone()];
        sheet.note(DiagCode::AmbiguousCell, message, cell);
    }
    if let Some(bracket) = e.stray_bracket {
        let message = args!["case" => "kpi-stray-bracket", "entry" => e.raw.clone(), "bracket" => bracket.to_string()];
        sheet.note(DiagCode::AmbiguousCell, message, cell);
    }
}

/// Bracketed KPI values with no word saying their kind, read as baselines,
/// that may as well be interim targets: more than one of them
/// (`R7：80%（R5：65%、R6：78%）`), or one dated at or after a target year.
/// One `ambiguous_cell` warning (`bracketed-kind`) naming them; the sample's
/// single earlier value (`（R4上期：54.7%）`) is a baseline without a word.
fn flag_bracketed_kind(sheet: &mut Sheet, entries: &[crate::normalize::KpiEntry], cell: &Cell) {
    let unsaid: Vec<&crate::normalize::KpiEntry> = entries.iter().filter(|e| e.kind_unsaid).collect();
    let first_target = entries
        .iter()
        .filter(|e| e.kind == KpiKind::Target)
        .filter_map(|e| e.spec.fiscal_year)
        .min();
    let late = unsaid
        .iter()
        .any(|e| e.spec.fiscal_year.zip(first_target).is_some_and(|(y, t)| y >= t));
    if unsaid.len() > 1 || late {
        let raw: Vec<&str> = unsaid.iter().map(|e| e.raw.as_str()).collect();
        let message = args!["case" => "bracketed-kind", "entries" => raw.join(", ")];
        sheet.note(DiagCode::AmbiguousCell, message, cell);
    }
}

fn split_list(f: &Field, value: &str) -> Vec<String> {
    match &f.split {
        Some(re) => re.split(value).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
        None => vec![value.to_string()],
    }
}

/// `(13) 名前` → ("13", "名前") with the layout's number pattern.
/// An item number as the output writes it: full-width digits folded, and a
/// number written with leading zeros (`No.01`) the same item as without (`No.1`).
/// A sub-item's number (`1-1`, `(1)-2`, `2-①`, `①-1`) is its parts joined by `-`.
pub(crate) fn item_number(text: &str) -> String {
    let folded = crate::normalize::fold_ascii_width(text.trim());
    let sub = folded.contains('-');
    let parts: Option<Vec<String>> = folded
        .split('-')
        .map(|p| number_part(p.trim_matches(|c: char| c.is_whitespace() || c == '(' || c == ')'), sub))
        .collect();
    parts.map_or(folded, |p| p.join("-"))
}

/// One part of an item number: digits without leading zeros, or in a
/// number with a sub-number a circled number as its digits (`①` of `No.2-①`
/// is the 1 of `No.2-1`, `①-1` is `1-1`); a circled number alone is an
/// indicator's mark, not an item's.
fn number_part(p: &str, sub: bool) -> Option<String> {
    if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
        return Some(without_leading_zeros(p).to_string());
    }
    let mut chars = p.chars();
    match (chars.next().and_then(crate::normalize::is_circled_number), chars.next()) {
        (Some(n), None) if sub => Some(n.to_string()),
        _ => None,
    }
}

fn without_leading_zeros(digits: &str) -> &str {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }
}

/// Whether an item's title, its number not read, still starts with one
/// (`1-1 電子申請…`, `(1)-2…` under a pattern that knows `(1)` only).
pub(crate) fn starts_with_number(title: &str) -> bool {
    let folded = crate::normalize::fold_ascii_width(title.trim_start());
    let rest = folded.trim_start_matches('(');
    let mut chars = rest.chars();
    let circled_sub = chars.next().and_then(crate::normalize::is_circled_number).is_some() && chars.as_str().trim_start().starts_with('-');
    rest.starts_with(|c: char| c.is_ascii_digit()) || circled_sub
}

/// An `ambiguous_cell` warning (`item-number-unread`) for an item whose
/// number the layout's pattern did not read from a title that starts with
/// one: its rows would carry no item number, and no join with the item's
/// other sheets, unsaid.
pub(crate) fn say_unread_number(sheet: &mut Sheet, layout: &Layout, no: &str, title: &str, cell: &Cell) {
    if no.is_empty() && layout.item.number_pattern.is_some() && starts_with_number(title) {
        sheet.note(
            DiagCode::AmbiguousCell,
            args!["case" => "item-number-unread", "title" => title],
            cell,
        );
    }
}

pub(crate) fn split_number(layout: &Layout, value: &str) -> (String, String) {
    if let Some(re) = &layout.item.number_pattern
        && let Some(caps) = re.captures(value)
    {
        let whole = caps.get(0).map(|m| m.end()).unwrap_or(0);
        // The first group that took part: a pattern may offer forms ((1) or 1.).
        let no = caps
            .iter()
            .skip(1)
            .flatten()
            .next()
            .map(|m| item_number(m.as_str()))
            .unwrap_or_default();
        return (no, value[whole..].trim().to_string());
    }
    (String::new(), value.trim().to_string())
}

/// The first cell of the item's header rows holding field `f`, with its value;
/// the cells used are marked. A label may stand anywhere in a row (a header
/// block can hold 目標 … 取組所属 … on one line); its value is the cells after
/// it up to the next field label, or the cell below it for `value_below`.
fn find_field(sheet: &mut Sheet, layout: &Layout, f: &Field, ext: Extent, fields_end: u32) -> Option<FieldValue> {
    for r in ext.first..=fields_end.min(ext.last) {
        let cells: Vec<Cell> = sheet.row(r).to_vec();
        for (i, cell) in cells.iter().enumerate() {
            if sheet.consumed.contains(&(cell.row, cell.col)) {
                continue;
            }
            let following = cells.len() - i;
            let Some(inline) = field_value_in_cell(f, cell, following.max(if f.value_below { 2 } else { 0 })) else {
                continue;
            };
            sheet.take(cell);
            if f.value_below {
                let below = sheet.grid.get(r + 1, cell.col).cloned()?;
                sheet.take(&below);
                return Some(FieldValue::one(below.raw.trim().to_string(), below));
            }
            if let Some(v) = inline {
                let mut value = FieldValue::one(v, cell.clone());
                if f.continuation {
                    value.continue_with(sheet, r + 1, ext.last);
                }
                return Some(value);
            }
            let mut parts = Vec::new();
            // The value runs over contiguous cells up to the next label; a gap ends it
            // (a flag such as "…対応 ◎" further right is not part of the title).
            for (expected_col, c) in (cell.col + 1..).zip(cells[i + 1..].iter().take_while(|c| !is_any_label(layout, c))) {
                if c.col != expected_col {
                    break;
                }
                sheet.take(c);
                parts.push(c.raw.trim().to_string());
            }
            let value_cell = cells.get(i + 1).cloned().unwrap_or_else(|| cell.clone());
            let mut value = FieldValue::one(parts.join(" "), value_cell);
            if f.continuation {
                value.label_col = cell.col;
                value.continue_with(sheet, r + 1, ext.last);
            }
            return Some(value);
        }
    }
    None
}

/// A field's value and where it stands: its cell, and the rows that
/// continue it (a KPI typed on the lines under 目標), each with its text and
/// first cell, so that what is read from one of them is placed there.
struct FieldValue {
    text: String,
    cell: Cell,
    /// The column of the field's label: rows starting right of it continue the value.
    label_col: u32,
    /// (byte offset in `text` where the row's text starts, its first cell).
    rows: Vec<(usize, Cell)>,
    /// Every cell of the rows that continue it.
    continued: Vec<Cell>,
}

impl FieldValue {
    fn one(text: String, cell: Cell) -> FieldValue {
        FieldValue {
            text,
            label_col: cell.col,
            cell,
            rows: Vec::new(),
            continued: Vec::new(),
        }
    }

    /// Rows from `from` (to `last`) below the label that start right of it
    /// continue its value.
    fn continue_with(&mut self, sheet: &mut Sheet, from: u32, last: u32) {
        let mut rr = from;
        while rr <= last {
            let row: Vec<Cell> = sheet.row(rr).to_vec();
            match row.first() {
                Some(c) if c.col > self.label_col => {
                    for c in &row {
                        sheet.take(c);
                    }
                    self.continued.extend(row.iter().cloned());
                    self.text.push('\n');
                    self.rows.push((self.text.len(), c.clone()));
                    self.text.push_str(&row.iter().map(|c| c.raw.trim()).collect::<Vec<_>>().join(" "));
                    rr += 1;
                }
                _ => break,
            }
        }
    }

    /// The first of the value's rows, from the one offset `after` falls in,
    /// whose text holds `needle`: its start in `text` and its first cell.
    fn row_of(&self, needle: &str, after: usize) -> Option<(usize, &Cell)> {
        let rows: Vec<(usize, &Cell)> = std::iter::once((0, &self.cell))
            .chain(self.rows.iter().map(|(at, c)| (*at, c)))
            .collect();
        let end = |i: usize| rows.get(i + 1).map_or(self.text.len(), |n| n.0);
        let first = rows.iter().rposition(|r| r.0 <= after).unwrap_or(0);
        (first..rows.len())
            .find(|&i| !needle.is_empty() && self.text[rows[i].0..end(i)].contains(needle))
            .map(|i| rows[i])
    }
}

/// True when the cell is the label of any field of the layout.
fn is_any_label(layout: &Layout, c: &Cell) -> bool {
    layout
        .fields
        .iter()
        .any(|f| f.labels.match_cell(&c.raw).is_some() || f.pattern.as_ref().is_some_and(|re| re.is_match(c.raw.trim())))
}
