//! Writing one workbook: one sheet per item, blocks in the layout's order.
//!
//! Column grids:
//! - progress family: A label | B kind / baseline | per year Q1..Q4 and its target
//!   (the schedule uses the same start column, four quarters per year);
//! - plan family: A group | B indicator | C KGI | D kind | E-F baseline value, unit |
//!   per year value, unit, achievement (the schedule: lead labels | task | kind | quarters);
//! - inline-KPI family (Saitama): header rows, the goal cell carrying the
//!   〔KPI〕 lines, and the schedule: lead labels | task | kind | one column per year.
//!
//! The evaluation block (達成件数) puts each year's count under that year's
//! columns of the family's grid.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError, utility::row_col_to_cell};

use super::{IndicatorView, Item, RenderError};
use crate::mapping::render::{BlockKind, Family, KpiLines, RenderLayout, ScheduleTable};
use crate::mapping::text::fold_ascii_width;
use crate::model::{EvaluationCount, Kind, Observation, Period, ScheduleKind, Status};
use crate::sink::xlsx::safe_sheet_name;

type Res<T> = Result<T, XlsxError>;

/// Writes `items` into the workbook at `path`; returns the sheet names and
/// the number of observations no cell of the layout could hold.
pub fn write_workbook(layout: &RenderLayout, items: &[Item], path: &Path) -> Result<(Vec<String>, usize), RenderError> {
    let base = baseline_year(items);
    let years = plan_years(layout, items, base);
    let base_fy = base.unwrap_or(years[0] - 1);
    let mut book = Workbook::new();
    let mut used = HashSet::new();
    let mut names = Vec::new();
    let mut unplaced = 0;
    let werr = |e: XlsxError| RenderError::Workbook {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    for item in items {
        let ini = item.initiative;
        let wanted = layout
            .layout
            .sheet_name
            .replace("{no}", &ini.initiative_no)
            .replace("{title}", &ini.initiative);
        let name = safe_sheet_name(&wanted, &mut used);
        let ws = book.add_worksheet();
        ws.set_name(&name).map_err(werr)?;
        let mut p = Painter::new(ws, layout, &years, base_fy);
        unplaced += p.item(item).map_err(werr)?;
        p.finish().map_err(werr)?;
        names.push(name);
    }
    crate::sink::atomic(path, |tmp| {
        book.save(tmp).map_err(|e| crate::sink::SinkError::Workbook {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    })
    .map_err(|e| RenderError::Workbook {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok((names, unplaced))
}

/// The plan's fiscal years: the layout's range widened by every non-baseline value and schedule cell.
fn plan_years(layout: &RenderLayout, items: &[Item], base: Option<i32>) -> Vec<i32> {
    let mut ys: Vec<i32> = Vec::new();
    if let Some([a, b]) = layout.layout.fiscal_years {
        ys.extend(a.min(b)..=b.max(a));
    }
    for it in items {
        for v in &it.indicators {
            ys.extend(
                v.observations
                    .iter()
                    .filter(|o| o.kind != Kind::Baseline)
                    .filter_map(|o| o.fiscal_year),
            );
        }
        ys.extend(it.schedule.iter().filter_map(|s| s.fiscal_year));
    }
    // The baseline year has its own column.
    if let Some(b) = base
        && ys.iter().any(|&y| y > b)
    {
        ys.retain(|&y| y > b);
    }
    if let (Some(&lo), Some(&hi)) = (ys.iter().min(), ys.iter().max()) {
        // Contiguous, and never absurdly wide (a stray year in the data).
        return (lo..=hi.min(lo + 15)).collect();
    }
    vec![2023]
}

/// The most frequent baseline year.
fn baseline_year(items: &[Item]) -> Option<i32> {
    let mut count: BTreeMap<i32, usize> = BTreeMap::new();
    for it in items {
        for v in &it.indicators {
            for o in v.observations.iter().filter(|o| o.kind == Kind::Baseline) {
                if let Some(fy) = o.fiscal_year {
                    *count.entry(fy).or_default() += 1;
                }
            }
        }
    }
    count.into_iter().max_by_key(|&(fy, n)| (n, -fy)).map(|(fy, _)| fy)
}

/// Decimals a value needs to be shown exactly (up to 6).
fn decimals(v: f64) -> u8 {
    let s = format!("{:.6}", v.abs());
    let frac = s.split('.').nth(1).unwrap_or("").trim_end_matches('0');
    frac.len() as u8
}

/// Display width of a line: CJK characters take two columns.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn circled(n: i32) -> Option<char> {
    let u = match n {
        1..=20 => 0x2460 + n as u32 - 1,
        21..=35 => 0x3251 + n as u32 - 21,
        36..=50 => 0x32B1 + n as u32 - 36,
        _ => return None,
    };
    char::from_u32(u)
}

/// The indicator as the input mappings read it: `① name`, deleted ones `(② name)`.
fn indicator_label(v: &IndicatorView) -> String {
    let marker = v.no.and_then(circled).map(String::from);
    let body = match &marker {
        Some(m) if v.deleted => format!("{m}{}", v.name),
        Some(m) => format!("{m} {}", v.name),
        None => v.name.clone(),
    };
    if v.deleted { format!("({body})") } else { body }
}

fn is_numeric(o: &Observation) -> bool {
    o.status == Status::Ok && o.value.is_some_and(f64::is_finite)
}

/// Reported: an actual with something in it other than a dash or 集計中.
fn is_reported(o: &Observation) -> bool {
    !matches!(o.status.as_str(), "blank" | "pending")
}

fn color(hex: &str) -> Color {
    u32::from_str_radix(hex.trim_start_matches('#'), 16)
        .map(Color::RGB)
        .unwrap_or(Color::RGB(0xFFFFFF))
}

/// How a cell looks.
#[derive(Clone, Copy, PartialEq)]
enum Look {
    Label,
    Title,
    Value,
    Plain,
}

struct Painter<'a, 'w> {
    ws: &'w mut Worksheet,
    l: &'a RenderLayout,
    years: &'a [i32],
    base_fy: i32,
    ncols: u16,
    row: u32,
    /// Widest single-column text per column.
    widths: BTreeMap<u16, usize>,
    /// Wrapped cells: (row, first col, last col, text) for row heights.
    wraps: Vec<(u32, u16, u16, String)>,
    /// Last row repeated on every printed page.
    title_last: u32,
    /// The schedule table's columns.
    sched: ScheduleCols,
}

/// Columns of the progress family's tables (進捗度 and 達成率):
/// `label | baseline | year 1: Q1 Q2 Q3 Q4 target | year 2: … `.
struct ProgressCols;

impl ProgressCols {
    const LABEL: u16 = 0;
    const BASELINE: u16 = 1;
    const FIRST_YEAR: u16 = 2;
    /// Four quarters and the year's target.
    const PER_YEAR: u16 = 5;

    /// First column (Q1) of the `yi`-th year.
    fn year(yi: usize) -> u16 {
        Self::FIRST_YEAR + Self::PER_YEAR * yi as u16
    }
    /// Quarter `q` (1–4) of the `yi`-th year.
    fn quarter(yi: usize, q: u16) -> u16 {
        Self::year(yi) + q - 1
    }
    /// The `yi`-th year's target.
    fn target(yi: usize) -> u16 {
        Self::year(yi) + 4
    }
    /// Columns for `years` years.
    fn width(years: usize) -> u16 {
        Self::year(years)
    }
}

/// Columns of the plan family's table (実施計画):
/// `group | indicator | KGI | 目標/実績 | baseline: value unit | year 1: value unit rate | …`;
/// a slot is the baseline (0) or a year (1…).
struct PlanCols;

impl PlanCols {
    const GROUP: u16 = 0;
    const INDICATOR: u16 = 1;
    const KGI: u16 = 2;
    const KIND: u16 = 3;
    const BASELINE: u16 = 4;
    const FIRST_YEAR: u16 = 6;
    /// Value, unit and achievement rate.
    const PER_YEAR: u16 = 3;

    /// The value column of `slot`; its unit follows, then (for a year) the rate.
    fn value(slot: usize) -> u16 {
        if slot == 0 { Self::BASELINE } else { Self::year(slot - 1) }
    }
    /// First column of the `yi`-th year.
    fn year(yi: usize) -> u16 {
        Self::FIRST_YEAR + Self::PER_YEAR * yi as u16
    }
    /// Columns for `years` years.
    fn width(years: usize) -> u16 {
        Self::year(years)
    }
}

/// Columns of the schedule table: `lead labels… | task | 目標 実績 | year 1: Q1–Q4 | …`,
/// or one column per year when the layout declares no quarter labels.
#[derive(Clone, Copy)]
struct ScheduleCols {
    /// Columns before the task (関連目標).
    lead: u16,
    /// Four quarters, or the year alone.
    per_year: u16,
}

impl ScheduleCols {
    fn of(t: Option<&ScheduleTable>) -> Self {
        ScheduleCols {
            lead: t.map_or(0, |t| t.lead_labels.len() as u16),
            per_year: if t.is_some_and(|t| t.quarter_labels.is_none()) { 1 } else { 4 },
        }
    }
    fn task(self) -> u16 {
        self.lead
    }
    fn kind(self) -> u16 {
        self.lead + 1
    }
    /// First column (Q1) of the `yi`-th year.
    fn year(self, yi: usize) -> u16 {
        self.lead + 2 + self.per_year * yi as u16
    }
    /// Columns for `years` years.
    fn width(self, years: usize) -> u16 {
        self.year(years)
    }
}

impl<'a, 'w> Painter<'a, 'w> {
    fn new(ws: &'w mut Worksheet, l: &'a RenderLayout, years: &'a [i32], base_fy: i32) -> Self {
        let n = years.len();
        let sched = ScheduleCols::of(l.schedule_table.as_ref());
        let ncols = match l.layout.family {
            Family::Progress => ProgressCols::width(n).max(sched.width(n)),
            Family::Plan => PlanCols::width(n).max(sched.width(n)),
            Family::InlineKpi => sched.width(n),
        };
        Painter {
            ws,
            l,
            years,
            base_fy,
            ncols,
            row: 0,
            widths: BTreeMap::new(),
            wraps: Vec::new(),
            title_last: 0,
            sched,
        }
    }

    /// First and last column of the `yi`-th year in the family's grid.
    fn year_span(&self, yi: usize) -> (u16, u16) {
        match self.l.layout.family {
            Family::Progress => (ProgressCols::year(yi), ProgressCols::target(yi)),
            Family::Plan => (PlanCols::year(yi), PlanCols::year(yi) + PlanCols::PER_YEAR - 1),
            Family::InlineKpi => {
                let c = self.sched.year(yi);
                (c, c + self.sched.per_year - 1)
            }
        }
    }

    fn base(&self) -> Format {
        Format::new()
            .set_font_name(self.l.style.font.as_str())
            .set_font_size(self.l.style.font_size)
            .set_align(FormatAlign::VerticalCenter)
    }

    fn look(&self, look: Look, wrap: bool) -> Format {
        let mut f = self.base();
        if look != Look::Title && look != Look::Plain {
            f = f.set_border(FormatBorder::Thin);
        }
        match look {
            Look::Label => {
                f = f
                    .set_bold()
                    .set_background_color(color(&self.l.style.header_fill))
                    .set_align(FormatAlign::Center)
                    .set_text_wrap();
            }
            Look::Title => f = f.set_bold().set_font_size(self.l.style.font_size + 2.0),
            Look::Value | Look::Plain => {}
        }
        if wrap {
            f = f.set_text_wrap();
        }
        f
    }

    fn input(&self, fmt: &str) -> Format {
        self.look(Look::Value, false)
            .set_background_color(color(&self.l.style.input_fill))
            .set_unlocked()
            .set_num_format(fmt)
    }

    /// Text over rows r1..=r2, columns c1..=c2 (merged when more than one cell).
    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, text: &str, fmt: &Format, wrap: bool) -> Res<()> {
        if r1 == r2 && c1 == c2 {
            if text.is_empty() {
                self.ws.write_blank(r1, c1, fmt)?;
            } else {
                self.ws.write_string_with_format(r1, c1, text, fmt)?;
            }
        } else {
            self.ws.merge_range(r1, c1, r2, c2, text, fmt)?;
        }
        if wrap {
            self.wraps.push((r1, c1, c2, text.to_string()));
        }
        if c1 == c2 {
            let w = text.lines().map(display_width).max().unwrap_or(0);
            let e = self.widths.entry(c1).or_default();
            *e = (*e).max(w);
        }
        Ok(())
    }

    fn cell(&mut self, r: u32, c: u16, text: &str, look: Look) -> Res<()> {
        let wrap = look == Look::Value;
        let f = self.look(look, wrap);
        self.text(r, c, r, c, text, &f, wrap)
    }

    fn number(&mut self, r: u32, c: u16, v: f64, fmt: &str, extra: Option<Format>) -> Res<()> {
        let f = extra.unwrap_or_else(|| self.look(Look::Value, false).set_num_format(fmt));
        self.ws.write_number_with_format(r, c, v, &f)?;
        let shown = shown_number(v, fmt);
        let e = self.widths.entry(c).or_default();
        *e = (*e).max(display_width(&shown));
        Ok(())
    }

    /// One observation: a typed number with its unit format (`unit_in_format`)
    /// or plain, or its text for any status but `ok`.
    fn observation(&mut self, r: u32, c: u16, o: &Observation, unit_in_format: bool, fill: bool) -> Res<()> {
        let unit = if unit_in_format { o.unit.as_deref() } else { None };
        if is_numeric(o) {
            let v = o.value.unwrap_or_default();
            let fmt = self.l.number_format(unit, decimals(v));
            let extra = fill.then(|| self.input(&fmt));
            return self.number(r, c, v, &fmt, extra);
        }
        let text = if o.status == Status::Blank || o.raw.trim().is_empty() {
            self.l.layout.blank.clone()
        } else {
            o.raw.trim().to_string()
        };
        let f = if fill {
            self.input("@").set_text_wrap()
        } else {
            self.look(Look::Value, true)
        };
        self.text(r, c, r, c, &text, &f, true)
    }

    fn blank(&mut self, r: u32, c: u16) -> Res<()> {
        let f = self.look(Look::Value, false);
        self.ws.write_blank(r, c, &f)?;
        Ok(())
    }

    /// An empty cell the division fills in: unlocked, highlighted, with the indicator's unit format.
    fn next_to_fill(&mut self, r: u32, c: u16, v: &IndicatorView) -> Res<()> {
        let unit = v
            .observations
            .iter()
            .find_map(|o| o.unit.as_deref())
            .or(v.info.and_then(|i| i.unit.as_deref()));
        let dec = v
            .observations
            .iter()
            .filter(|o| is_numeric(o))
            .map(|o| decimals(o.value.unwrap_or_default()))
            .max()
            .unwrap_or(0);
        let f = self.input(&self.l.number_format(unit, dec));
        self.ws.write_blank(r, c, &f)?;
        Ok(())
    }

    fn section(&mut self, title: &Option<String>) -> Res<()> {
        if let Some(t) = title {
            let f = self.look(Look::Plain, false).set_bold();
            self.ws.write_string_with_format(self.row, 0, t.as_str(), &f)?;
            self.row += 2;
        }
        Ok(())
    }

    fn item(&mut self, item: &Item) -> Res<usize> {
        let mut unplaced = 0;
        let mut progress_rows: Vec<(usize, u32)> = Vec::new();
        for (i, block) in self.l.blocks.iter().enumerate() {
            if i > 0 {
                self.row += self.l.gap;
            }
            match block {
                BlockKind::Header => unplaced += self.header(item)?,
                BlockKind::IndicatorTable => self.indicator_table(item)?,
                BlockKind::ScheduleTable => unplaced += self.schedule_table(item)?,
                BlockKind::EvaluationBlock => unplaced += self.evaluation_block(item)?,
                BlockKind::ProgressTable => {
                    let (rows, n) = self.progress_table(item)?;
                    progress_rows = rows;
                    unplaced += n;
                }
                BlockKind::AchievementTable => self.achievement_table(item, &progress_rows)?,
                BlockKind::PlanTable => unplaced += self.plan_table(item)?,
            }
        }
        Ok(unplaced)
    }

    /// The header rows; returns the observations `{kpis}` could not print.
    fn header(&mut self, item: &Item) -> Res<usize> {
        let ini = item.initiative;
        let sep = &self.l.layout.list_separator;
        let item_title = self
            .l
            .layout
            .item_title
            .replace("{no}", &ini.initiative_no)
            .replace("{title}", &ini.initiative);
        // The KPI lines only when a cell prints them: their observations are placed there.
        let uses_kpis = self.l.header.iter().any(|r| r.cells.iter().any(|c| c.text.contains("{kpis}")));
        let (kpis, unplaced) = match &self.l.kpi_lines {
            Some(k) if uses_kpis => kpi_lines(self.l, k, item),
            _ => (String::new(), 0),
        };
        let values: [(&str, String); 11] = [
            ("{goal}", ini.goal.clone().unwrap_or_default()),
            ("{reform}", ini.reform.clone().unwrap_or_default()),
            ("{no}", ini.initiative_no.clone()),
            ("{title}", ini.initiative.clone()),
            ("{item}", item_title),
            ("{direction}", ini.direction.clone().unwrap_or_default()),
            ("{divisions}", ini.divisions.join(sep)),
            ("{related_divisions}", ini.related_divisions.join(sep)),
            ("{situation}", ini.situation.clone().unwrap_or_default()),
            ("{issues}", ini.issues.clone().unwrap_or_default()),
            ("{kpis}", kpis),
        ];
        let fill = |t: &str| {
            let mut s = t.to_string();
            let mut any_placeholder = false;
            let mut all_empty = true;
            for (k, v) in &values {
                if s.contains(k) {
                    any_placeholder = true;
                    all_empty &= v.trim().is_empty();
                    s = s.replace(k, v.trim());
                }
            }
            // An empty placeholder leaves no blank line behind (`{goal}\n{kpis}`).
            (s.trim().to_string(), any_placeholder, all_empty)
        };
        let rows = self.l.header.clone();
        for hr in &rows {
            let filled: Vec<_> = hr.cells.iter().map(|c| fill(&c.text)).collect();
            if hr.optional && filled.iter().filter(|f| f.1).all(|f| f.2) {
                continue;
            }
            let mut col: u16 = 0;
            for (c, (text, _, _)) in hr.cells.iter().zip(filled) {
                if col >= self.ncols {
                    break;
                }
                let span = if c.span == 0 {
                    self.ncols - col
                } else {
                    c.span.min(self.ncols - col)
                };
                let look = match c.style.as_str() {
                    "label" => Look::Label,
                    "title" => Look::Title,
                    _ => Look::Value,
                };
                let f = self.look(look, c.wrap);
                let last = col + span - 1;
                self.text(self.row, col, self.row, last, &text, &f, c.wrap)?;
                if c.text.contains("{item}") {
                    self.title_last = self.row;
                }
                col += span;
            }
            self.row += 1;
        }
        Ok(unplaced)
    }

    fn indicator_table(&mut self, item: &Item) -> Res<()> {
        let Some(t) = self.l.indicator_table.clone() else { return Ok(()) };
        let fy = item
            .indicators
            .iter()
            .filter_map(|v| v.info.and_then(|i| i.final_target_fy))
            .max()
            .unwrap_or(*self.years.last().unwrap_or(&self.base_fy));
        let r = self.row;
        self.cell(r, 0, &t.label, Look::Label)?;
        let label = self.l.year_label(&t.final_target_label, fy);
        self.cell(r, 1, &label, Look::Label)?;
        self.row += 1;
        for v in item.indicators.iter().filter(|v| !v.deleted) {
            let r = self.row;
            self.cell(r, 0, &indicator_label(v), Look::Value)?;
            let info = v.info;
            match (
                info.and_then(|i| i.final_target_value),
                info.and_then(|i| i.final_target_raw.clone()),
            ) {
                (Some(x), _) if x.is_finite() => {
                    let unit = info.and_then(|i| i.unit.as_deref());
                    let fmt = self.l.number_format(unit, decimals(x));
                    self.number(r, 1, x, &fmt, None)?;
                }
                (_, Some(raw)) if !raw.trim().is_empty() => self.cell(r, 1, raw.trim(), Look::Value)?,
                _ => self.blank(r, 1)?,
            }
            self.row += 1;
        }
        Ok(())
    }

    /// The schedule (工程): a target and an actual row per task, its text per
    /// year (merged over the year's quarters) or per quarter; returns the
    /// entries no cell could hold (a quarter in a table of years, a year
    /// outside the sheet, a second text for one cell).
    fn schedule_table(&mut self, item: &Item) -> Res<usize> {
        let Some(t) = self.l.schedule_table.clone() else { return Ok(0) };
        self.section(&t.section)?;
        let sc = self.sched;
        let (task_col, kind_col, first) = (sc.task(), sc.kind(), sc.year(0));
        // Quarters take a second header row under each year.
        let r0 = self.row;
        let r1 = if t.quarter_labels.is_some() { r0 + 1 } else { r0 };
        let f = self.look(Look::Label, true);
        for (i, lab) in t.lead_labels.iter().enumerate() {
            self.text(r0, i as u16, r1, i as u16, lab, &f, false)?;
        }
        self.text(r0, task_col, r1, task_col, &t.task_label, &f, false)?;
        self.text(r0, kind_col, r1, kind_col, &t.kind_header, &f, false)?;
        for (yi, &fy) in self.years.iter().enumerate() {
            let c = sc.year(yi);
            let label = self.l.year_label(&t.year_label, fy);
            self.text(r0, c, r0, c + sc.per_year - 1, &label, &f, false)?;
            if let Some(quarters) = &t.quarter_labels {
                for (q, ql) in quarters.iter().enumerate() {
                    self.cell(r1, c + q as u16, ql, Look::Label)?;
                }
            }
        }
        self.row = r1 + 1;
        // Tasks in the order met, under their groups.
        let mut tasks: Vec<(Option<&str>, &str)> = Vec::new();
        for s in &item.schedule {
            let key = (s.task_group.as_deref(), s.task.as_str());
            if !tasks.contains(&key) {
                tasks.push(key);
            }
        }
        // The year to report next: the one after the item's latest actual.
        let fill_year = t
            .fill_next_actual
            .then(|| {
                let latest = item
                    .schedule
                    .iter()
                    .filter(|s| s.kind == ScheduleKind::Actual)
                    .filter_map(|s| s.fiscal_year.and_then(|fy| self.years.iter().position(|&y| y == fy)))
                    .max();
                latest.map_or(0, |yi| yi + 1)
            })
            .filter(|&yi| yi < self.years.len());
        let mut unplaced = 0;
        let mut group: Option<&str> = None;
        let last_col = self.ncols.max(sc.width(self.years.len())) - 1;
        for (g, task) in tasks {
            if g.is_some() && g != group {
                let f = self.look(Look::Value, false);
                self.text(self.row, task_col, self.row, last_col, g.unwrap_or_default(), &f, false)?;
                self.row += 1;
            }
            group = g;
            let (rt, ra) = (self.row, self.row + 1);
            for i in 0..sc.lead {
                self.blank(rt, i)?;
                self.blank(ra, i)?;
            }
            let f = self.look(Look::Value, true);
            self.text(rt, task_col, ra, task_col, task, &f, true)?;
            self.cell(rt, kind_col, &t.target_label, Look::Value)?;
            self.cell(ra, kind_col, &t.actual_label, Look::Value)?;
            let mut filled: HashSet<(u32, u16)> = HashSet::new();
            for s in item.schedule.iter().filter(|s| s.task_group.as_deref() == g && s.task == task) {
                let Some(yi) = s.fiscal_year.and_then(|fy| self.years.iter().position(|&y| y == fy)) else {
                    unplaced += 1;
                    continue;
                };
                let r = if s.kind == ScheduleKind::Actual { ra } else { rt };
                let c0 = sc.year(yi);
                let f = self.look(Look::Value, true);
                let quarter = s.period.quarter().map(u16::from).filter(|q| (1..=4).contains(q));
                match quarter {
                    Some(q) if sc.per_year == 4 && filled.insert((r, c0 + q - 1)) => {
                        self.text(r, c0 + q - 1, r, c0 + q - 1, &s.text, &f, true)?;
                    }
                    None if (0..sc.per_year).all(|q| !filled.contains(&(r, c0 + q))) => {
                        for q in 0..sc.per_year {
                            filled.insert((r, c0 + q));
                        }
                        let c1 = c0 + sc.per_year - 1;
                        self.text(r, c0, r, c1, &s.text, &f, true)?;
                    }
                    _ => unplaced += 1,
                }
            }
            for r in [rt, ra] {
                for c in first..sc.width(self.years.len()) {
                    if filled.contains(&(r, c)) {
                        continue;
                    }
                    let to_fill = r == ra && fill_year.is_some_and(|yi| (sc.year(yi)..sc.year(yi + 1)).contains(&c));
                    if to_fill {
                        let f = self.input("@").set_text_wrap();
                        self.ws.write_blank(r, c, &f)?;
                    } else {
                        self.blank(r, c)?;
                    }
                }
            }
            self.row += 2;
        }
        Ok(unplaced)
    }

    /// 年度ごとの実施結果評価: the year labels over the family's year columns,
    /// then the count row (達成件数 `0 / 3`). The reader takes the k-th count
    /// for the k-th year, so a year without a count before the last one
    /// holds the blank marker, never nothing; the year after the last count
    /// is left to fill. Returns the counts no year column could hold.
    fn evaluation_block(&mut self, item: &Item) -> Res<usize> {
        let Some(t) = self.l.evaluation_block.clone() else { return Ok(0) };
        self.section(&t.section)?;
        let (r0, r1) = (self.row, self.row + 1);
        let label_last = self.year_span(0).0.saturating_sub(1);
        let f = self.look(Look::Label, true);
        self.text(r0, 0, r0, label_last, &t.label, &f, true)?;
        self.text(r1, 0, r1, label_last, &t.count_label, &f, false)?;
        let mut unplaced = 0;
        let mut by_year: BTreeMap<usize, &EvaluationCount> = BTreeMap::new();
        for c in &item.evaluation_counts {
            match c.fiscal_year.and_then(|fy| self.years.iter().position(|&y| y == fy)) {
                Some(yi) if !by_year.contains_key(&yi) => {
                    by_year.insert(yi, c);
                }
                _ => unplaced += 1,
            }
        }
        let last = by_year.keys().next_back().copied();
        let next = last.map_or(0, |yi| yi + 1);
        for (yi, &fy) in self.years.iter().enumerate() {
            let (c0, c1) = self.year_span(yi);
            let label = self.l.year_label(&t.year_label, fy);
            self.text(r0, c0, r0, c1, &label, &f, false)?;
            let fv = self.look(Look::Value, false).set_align(FormatAlign::Center);
            match by_year.get(&yi) {
                Some(c) => {
                    let text = match (c.achieved, c.total) {
                        (Some(a), Some(n)) => t
                            .count_text
                            .replace("{achieved}", &a.to_string())
                            .replace("{total}", &n.to_string()),
                        _ => c.raw.trim().to_string(),
                    };
                    self.text(r1, c0, r1, c1, &text, &fv, false)?;
                }
                None if last.is_some_and(|l| yi < l) => {
                    let blank = self.l.layout.blank.clone();
                    self.text(r1, c0, r1, c1, &blank, &fv, false)?;
                }
                None if yi == next => {
                    let fi = self.input("@").set_align(FormatAlign::Center);
                    self.text(r1, c0, r1, c1, "", &fi, false)?;
                }
                None => self.text(r1, c0, r1, c1, "", &fv, false)?,
            }
        }
        self.row = r1 + 1;
        Ok(unplaced)
    }

    /// Progress family: returns (indicator index, row) of each body row and the unplaced count.
    fn progress_table(&mut self, item: &Item) -> Res<(Vec<(usize, u32)>, usize)> {
        let Some(t) = self.l.progress_table.clone() else {
            return Ok((Vec::new(), 0));
        };
        self.section(&t.section)?;
        let (r0, r1) = (self.row, self.row + 1);
        let f = self.look(Look::Label, true);
        self.text(r0, ProgressCols::LABEL, r1, ProgressCols::LABEL, &t.label, &f, false)?;
        let base = self.l.year_label(&t.baseline_label, self.base_fy);
        self.text(r0, ProgressCols::BASELINE, r1, ProgressCols::BASELINE, &base, &f, true)?;
        for (yi, &fy) in self.years.iter().enumerate() {
            let c = ProgressCols::year(yi);
            let label = self.l.year_label(&t.year_label, fy);
            self.text(r0, c, r0, c + 3, &label, &f, false)?;
            for q in 0..4u16 {
                self.cell(r1, c + q, &t.quarter_labels[q as usize], Look::Label)?;
            }
            let tc = ProgressCols::target(yi);
            self.text(r0, tc, r1, tc, &t.target_label, &f, false)?;
        }
        self.row += 2;
        let mut rows = Vec::new();
        let mut unplaced = 0;
        let ncells = ProgressCols::width(self.years.len());
        for (idx, v) in item.indicators.iter().enumerate() {
            let r = self.row;
            rows.push((idx, r));
            self.cell(r, 0, &indicator_label(v), Look::Value)?;
            let mut cells: BTreeMap<u16, &Observation> = BTreeMap::new();
            for o in &v.observations {
                let yi = o.fiscal_year.and_then(|fy| self.years.iter().position(|&y| y == fy));
                let q = o.period.quarter().map(u16::from).filter(|q| (1..=4).contains(q));
                let col = match (o.kind, yi, q, o.period) {
                    (Kind::Baseline, _, _, _) => Some(ProgressCols::BASELINE),
                    (Kind::Actual, Some(yi), Some(q), _) => Some(ProgressCols::quarter(yi, q)),
                    (Kind::Target, Some(yi), None, Period::FY) => Some(ProgressCols::target(yi)),
                    _ => None,
                };
                match col {
                    Some(c) if !cells.contains_key(&c) => {
                        cells.insert(c, o);
                    }
                    _ => unplaced += 1,
                }
            }
            // The next quarter after the latest reported actual, and 集計中 cells, are to be filled.
            let mut fill: HashSet<u16> = HashSet::new();
            if !v.deleted {
                let latest = cells
                    .iter()
                    .filter(|(c, o)| **c >= 2 && (**c - 2) % 5 != 4 && is_reported(o) && o.kind == Kind::Actual)
                    .map(|(c, _)| *c)
                    .max();
                let next = match latest {
                    Some(c) if (c - 2) % 5 == 3 => c + 2,
                    Some(c) => c + 1,
                    None => 2,
                };
                if next < ncells {
                    fill.insert(next);
                }
                for (c, o) in &cells {
                    if o.status == Status::Pending && o.kind == Kind::Actual {
                        fill.insert(*c);
                    }
                }
            }
            for c in 1..ncells {
                match cells.get(&c) {
                    Some(o) => self.observation(r, c, o, true, fill.contains(&c))?,
                    None if fill.contains(&c) => self.next_to_fill(r, c, v)?,
                    None => self.blank(r, c)?,
                }
            }
            self.row += 1;
        }
        Ok((rows, unplaced))
    }

    /// 達成率: per active indicator and year, the latest reported quarter ÷ the year's target, as a formula.
    fn achievement_table(&mut self, item: &Item, rows: &[(usize, u32)]) -> Res<()> {
        let Some(t) = self.l.achievement_table.clone() else { return Ok(()) };
        self.section(&t.section)?;
        let r0 = self.row;
        self.cell(r0, 0, &t.label, Look::Label)?;
        for (yi, &fy) in self.years.iter().enumerate() {
            let label = self.l.year_label(&t.year_label, fy);
            self.cell(r0, 1 + yi as u16, &label, Look::Label)?;
        }
        self.row += 1;
        for &(idx, pr) in rows {
            let v = &item.indicators[idx];
            if v.deleted {
                continue;
            }
            let r = self.row;
            self.cell(r, 0, &indicator_label(v), Look::Value)?;
            for (yi, _) in self.years.iter().enumerate() {
                let c = 1 + yi as u16;
                let q1 = ProgressCols::quarter(yi, 1);
                let tc = ProgressCols::target(yi);
                let num = |col: u16| -> Option<f64> {
                    v.observations
                        .iter()
                        .find(|o| {
                            let want = if col == tc {
                                (Kind::Target, Period::FY)
                            } else {
                                (Kind::Actual, Period::Q((col - q1 + 1) as u8))
                            };
                            o.kind == want.0 && o.period == want.1 && o.fiscal_year == Some(self.years[yi]) && is_numeric(o)
                        })
                        .and_then(|o| o.value)
                };
                let target = num(tc).filter(|x| *x != 0.0);
                if target.is_none() {
                    self.cell(r, c, &self.l.layout.blank.clone(), Look::Value)?;
                    continue;
                }
                let a = |k: u16| row_col_to_cell(pr, q1 + k);
                let formula = format!(
                    "IF(COUNT({}:{})=0,\"\",IF(ISNUMBER({}),{},IF(ISNUMBER({}),{},IF(ISNUMBER({}),{},{})))/{})",
                    a(0),
                    a(3),
                    a(3),
                    a(3),
                    a(2),
                    a(2),
                    a(1),
                    a(1),
                    a(0),
                    row_col_to_cell(pr, tc)
                );
                let latest = (0..4).rev().find_map(|k| num(q1 + k));
                let result = match (latest, target) {
                    (Some(x), Some(t)) => format!("{}", x / t),
                    _ => String::new(),
                };
                let f = self.look(Look::Value, false).set_num_format(self.l.style.rate_format.as_str());
                self.ws
                    .write_formula_with_format(r, c, Formula::new(formula).set_result(result), &f)?;
            }
            self.row += 1;
        }
        Ok(())
    }

    /// Plan family: returns the unplaced count.
    fn plan_table(&mut self, item: &Item) -> Res<usize> {
        let Some(t) = self.l.plan_table.clone() else { return Ok(0) };
        let r0 = self.row;
        let f = self.look(Look::Label, true);
        self.text(r0, 0, r0, 1, &t.label, &f, false)?;
        self.cell(r0, PlanCols::KGI, &t.kgi_label, Look::Label)?;
        self.cell(r0, PlanCols::KIND, &t.year_header, Look::Label)?;
        let base = self.l.year_label(&t.baseline_label, self.base_fy);
        self.text(r0, PlanCols::BASELINE, r0, PlanCols::BASELINE + 1, &base, &f, false)?;
        for (yi, &fy) in self.years.iter().enumerate() {
            let c = PlanCols::year(yi);
            let label = self.l.year_label(&t.year_label, fy);
            self.text(r0, c, r0, c + 2, &label, &f, false)?;
        }
        self.row += 1;
        let nslots = self.years.len() + 1;
        let mut unplaced = 0;
        let mut group: Option<&str> = None;
        for v in &item.indicators {
            let mut target: BTreeMap<usize, &Observation> = BTreeMap::new();
            let mut actual: BTreeMap<usize, &Observation> = BTreeMap::new();
            for o in &v.observations {
                let slot = if o.period != Period::FY {
                    None
                } else if o.kind == Kind::Baseline || o.fiscal_year == Some(self.base_fy) {
                    Some(0)
                } else {
                    o.fiscal_year.and_then(|fy| self.years.iter().position(|&y| y == fy)).map(|i| i + 1)
                };
                let map = if o.kind == Kind::Target { &mut target } else { &mut actual };
                match slot {
                    Some(s) if !map.contains_key(&s) => {
                        map.insert(s, o);
                    }
                    _ => unplaced += 1,
                }
            }
            let with_target = !target.is_empty();
            let with_actual = !actual.is_empty() || !v.deleted || !with_target;
            let nrows = with_target as u32 + with_actual as u32;
            let (first, last) = (self.row, self.row + nrows - 1);
            let g = v.info.and_then(|i| i.indicator_group.as_deref());
            if g.is_some() && g != group {
                self.cell(first, PlanCols::GROUP, g.unwrap_or_default(), Look::Value)?;
            } else {
                self.blank(first, PlanCols::GROUP)?;
            }
            group = g.or(group);
            if last > first {
                self.blank(last, PlanCols::GROUP)?;
            }
            let fv = self.look(Look::Value, true);
            self.text(
                first,
                PlanCols::INDICATOR,
                last,
                PlanCols::INDICATOR,
                &indicator_label(v),
                &fv,
                true,
            )?;
            let kgi = v.info.and_then(|i| i.kgi.clone()).unwrap_or_default();
            let fk = self.look(Look::Value, false).set_align(FormatAlign::Center);
            self.text(first, PlanCols::KGI, last, PlanCols::KGI, &kgi, &fk, false)?;
            let tr = with_target.then_some(first);
            let ar = with_actual.then_some(last);
            if let Some(r) = tr {
                self.cell(r, PlanCols::KIND, &t.target_label, Look::Value)?;
            }
            if let Some(r) = ar {
                self.cell(r, PlanCols::KIND, &t.actual_label, Look::Value)?;
            }
            // The actual to fill next.
            let fill_slot = if v.deleted || ar.is_none() {
                None
            } else {
                let latest = actual.iter().filter(|(_, o)| is_reported(o)).map(|(s, _)| *s).max();
                Some(latest.map(|s| s + 1).unwrap_or(0)).filter(|&s| s < nslots)
            };
            for slot in 0..nslots {
                let vc = PlanCols::value(slot);
                for (row, map, is_actual) in [(tr, &target, false), (ar, &actual, true)] {
                    let Some(r) = row else { continue };
                    let fill = is_actual && (fill_slot == Some(slot) || map.get(&slot).is_some_and(|o| o.status == Status::Pending));
                    let o = map.get(&slot).copied();
                    match o {
                        Some(o) => {
                            self.observation(r, vc, o, false, fill)?;
                            match (&o.unit, is_numeric(o)) {
                                (Some(u), true) => self.cell(r, vc + 1, u, Look::Value)?,
                                _ => self.blank(r, vc + 1)?,
                            }
                        }
                        None if fill => {
                            self.next_to_fill(r, vc, v)?;
                            self.blank(r, vc + 1)?;
                        }
                        None => {
                            self.blank(r, vc)?;
                            self.blank(r, vc + 1)?;
                        }
                    }
                    if slot == 0 {
                        continue;
                    }
                    // Achievement after each year: on the target row; on the actual row only
                    // where a value without unit would otherwise leave a gap the reader takes
                    // for the end of the row.
                    let later = map.keys().any(|&s| s > slot);
                    let bridge = is_actual && later && o.is_some_and(|o| !(is_numeric(o) && o.unit.is_some()));
                    let need = (!is_actual && (o.is_some() || later)) || bridge;
                    if need && let (Some(tr), Some(ar)) = (tr, ar.or(tr)) {
                        self.achievement(r, vc + 2, ar, tr, vc, target.get(&slot).copied(), actual.get(&slot).copied())?;
                    } else {
                        self.blank(r, vc + 2)?;
                    }
                }
            }
            self.row = last + 1;
        }
        Ok(unplaced)
    }

    /// `actual ÷ target` of one year in the plan table, with its cached result (0 until both are numbers).
    #[allow(clippy::too_many_arguments)]
    fn achievement(&mut self, r: u32, c: u16, ar: u32, tr: u32, vc: u16, t: Option<&Observation>, a: Option<&Observation>) -> Res<()> {
        let (av, tv) = (row_col_to_cell(ar, vc), row_col_to_cell(tr, vc));
        let formula = format!("IF(AND(ISNUMBER({av}),ISNUMBER({tv})),IF({tv}=0,0,{av}/{tv}),0)");
        let tn = t.filter(|o| is_numeric(o)).and_then(|o| o.value);
        let an = a.filter(|o| is_numeric(o)).and_then(|o| o.value);
        let result = match (an, tn) {
            (Some(x), Some(y)) if y != 0.0 => x / y,
            _ => 0.0,
        };
        let f = self.look(Look::Value, false).set_num_format(self.l.style.rate_format.as_str());
        self.ws
            .write_formula_with_format(r, c, Formula::new(formula).set_result(format!("{result}")), &f)?;
        Ok(())
    }

    /// Column widths that fit, row heights that show wrapped text, protection and print setup.
    fn finish(self) -> Res<()> {
        let wide = match self.l.layout.family {
            Family::Progress => 0,
            Family::Plan => 1,
            Family::InlineKpi => self.sched.task(),
        };
        let mut width_of: Vec<f64> = Vec::new();
        for c in 0..self.ncols {
            let [lo, hi] = if c == wide {
                self.l.style.label_width
            } else {
                self.l.style.value_width
            };
            let w = self.widths.get(&c).map(|&w| w as f64 + 1.5).unwrap_or(lo).clamp(lo, hi);
            width_of.push(w);
        }
        // Years of text (the Saitama 工程) read as a timeline: one width for all.
        if self.l.layout.family == Family::InlineKpi {
            let first = self.sched.year(0) as usize;
            let widest = width_of.iter().skip(first).copied().fold(0.0, f64::max);
            for w in width_of.iter_mut().skip(first) {
                *w = widest;
            }
        }
        for (c, w) in width_of.iter().enumerate() {
            self.ws.set_column_width(c as u16, *w)?;
        }
        let line_h = self.l.style.font_size * 1.4 + 1.0;
        let mut heights: BTreeMap<u32, f64> = BTreeMap::new();
        for (r, c1, c2, text) in &self.wraps {
            let w: f64 = (*c1..=*c2)
                .map(|c| width_of.get(c as usize).copied().unwrap_or(8.0))
                .sum::<f64>()
                .max(1.0);
            let lines: f64 = text
                .lines()
                .map(|l| ((display_width(l) as f64) / w).ceil().max(1.0))
                .sum::<f64>()
                .max(1.0);
            let h = heights.entry(*r).or_insert(0.0);
            *h = h.max(lines * line_h + 4.0);
        }
        for (r, h) in heights {
            if h > line_h + 6.0 {
                self.ws.set_row_height(r, h.min(409.0))?;
            }
        }
        self.ws.protect();
        self.ws.set_paper_size(9);
        self.ws.set_landscape();
        self.ws.set_print_fit_to_pages(1, 0);
        self.ws.set_repeat_rows(0, self.title_last)?;
        Ok(())
    }
}

/// The item's indicators as the goal cell prints them, one line each
/// (`〔KPI〕 name … R5：65% R6：78%（R4上期：54.7%）`), and the number of
/// observations no line can show (actuals, quarters). An item without
/// indicators prints the marker and the `none` text (`〔KPI〕 -`).
fn kpi_lines(l: &RenderLayout, k: &KpiLines, item: &Item) -> (String, usize) {
    if item.indicators.is_empty() {
        return (format!("{} {}", k.marker, k.none), 0);
    }
    let mut unplaced = 0;
    let mut lines = Vec::new();
    for v in &item.indicators {
        let mut targets: Vec<&Observation> = Vec::new();
        let mut baselines: Vec<&Observation> = Vec::new();
        for o in &v.observations {
            match o.kind {
                Kind::Target => targets.push(o),
                Kind::Baseline => baselines.push(o),
                // The programme sheet has no place for actuals.
                Kind::Actual => unplaced += 1,
            }
        }
        let order = |o: &&Observation| {
            let p = Period::ALL.iter().position(|p| *p == o.period).unwrap_or(usize::MAX);
            (o.fiscal_year.unwrap_or(i32::MIN), p, o.as_of)
        };
        targets.sort_by_key(order);
        baselines.sort_by_key(order);
        let mut entries = |obs: Vec<&Observation>, need_label: bool| -> Vec<String> {
            let mut out = Vec::new();
            for o in obs {
                match period_label(l, k, o) {
                    // A target without a year follows the name separator alone ("… 137施設").
                    Some(label) if label.is_empty() && !need_label => out.push(kpi_value(l, k, o)),
                    Some(label) if !label.is_empty() => out.push(format!("{label}{}{}", k.value_separator, kpi_value(l, k, o))),
                    _ => unplaced += 1,
                }
            }
            out
        };
        let targets = entries(targets, false);
        let baselines = entries(baselines, true);
        let name = if v.name.trim().is_empty() { k.none.as_str() } else { v.name.trim() };
        let mut line = format!("{} {name}", k.marker);
        if !targets.is_empty() {
            line.push_str(&format!(" {} {}", k.name_separator, targets.join(&k.entry_separator)));
        }
        if !baselines.is_empty() {
            let [open, close] = &k.baseline_brackets;
            // Brackets follow the last target, or stand apart from the name.
            let gap = if targets.is_empty() { k.entry_separator.as_str() } else { "" };
            line.push_str(&format!("{gap}{open}{}{close}", baselines.join(&k.entry_separator)));
        }
        lines.push(line);
    }
    (lines.join("\n"), unplaced)
}

/// The period label of an inline KPI entry in the vocabulary's eras: R5,
/// R4上期, R4.9末; an average keeps its printed range (R1～R3平均: the tables
/// hold only its last year). Empty for a target without a year; None where
/// the syntax has no label for the period (quarters).
fn period_label(l: &RenderLayout, k: &KpiLines, o: &Observation) -> Option<String> {
    use chrono::Datelike;
    match (o.period, o.fiscal_year) {
        (Period::FY, None) => Some(String::new()),
        (Period::FY, Some(fy)) => Some(l.year_label(&k.year_label, fy)),
        (Period::H(h @ 1..=2), Some(fy)) => Some(format!("{}{}", l.year_label(&k.year_label, fy), k.half_labels[h as usize - 1])),
        (Period::AsOf, _) => {
            let d = o.as_of?;
            Some(l.year_label(&k.as_of_label.replace("{month}", &d.month().to_string()), d.year()))
        }
        (Period::Avg, fy) => printed_label(k, &o.raw)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .or_else(|| fy.map(|fy| l.year_label(&k.average_label, fy))),
        _ => None,
    }
}

/// The label part of an entry as printed (`R2～R4平均` of `R2～R4平均：122件`).
fn printed_label<'r>(k: &KpiLines, raw: &'r str) -> Option<&'r str> {
    let folded = fold_ascii_width(&k.value_separator);
    let (label, _) = raw
        .rsplit_once(k.value_separator.as_str())
        .or_else(|| raw.rsplit_once(folded.as_str()))?;
    Some(label.trim())
}

/// The value of an inline KPI entry: a number with its base unit (`3,000人`,
/// `54.7%`), or for any other status the value as printed (`集計中`).
fn kpi_value(l: &RenderLayout, k: &KpiLines, o: &Observation) -> String {
    if is_numeric(o) {
        let v = o.value.unwrap_or_default();
        return format!("{}{}", grouped(v), o.unit.as_deref().unwrap_or(""));
    }
    let folded = fold_ascii_width(&k.value_separator);
    let printed = o
        .raw
        .rsplit_once(k.value_separator.as_str())
        .or_else(|| o.raw.rsplit_once(folded.as_str()))
        .map_or(o.raw.as_str(), |(_, v)| v)
        .trim();
    if printed.is_empty() || o.status == Status::Blank {
        l.layout.blank.clone()
    } else {
        printed.to_string()
    }
}

/// A number with thousands separators and the decimals it needs: 3000 → `3,000`, 54.7 → `54.7`.
fn grouped(v: f64) -> String {
    let s = format!("{:.*}", decimals(v) as usize, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if v < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// Roughly how a number shows in `fmt` (for column widths): digits, grouping and literal text.
fn shown_number(v: f64, fmt: &str) -> String {
    let dec = fmt
        .split('.')
        .nth(1)
        .map(|d| d.chars().take_while(|c| *c == '0').count())
        .unwrap_or(0);
    let digits = format!("{:.*}", dec, v);
    let int_len = digits.split('.').next().unwrap_or("").trim_start_matches('-').len();
    let commas = if fmt.contains("#,##") { int_len.saturating_sub(1) / 3 } else { 0 };
    let literal: String = fmt.split('"').skip(1).step_by(2).collect();
    format!("{digits}{}{literal}", ",".repeat(commas))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_kpi_numbers_are_grouped_with_the_decimals_they_need() {
        assert_eq!(grouped(3000.0), "3,000");
        assert_eq!(grouped(85_000_000.0), "85,000,000");
        assert_eq!(grouped(54.7), "54.7");
        assert_eq!(grouped(999.0), "999");
        assert_eq!(grouped(0.0), "0");
        assert_eq!(grouped(-1234.5), "-1,234.5");
        // A float sum that is not exact prints as the value read: 28.3, not 28.299999.
        assert_eq!(grouped(28.3 + 1e-12), "28.3");
    }
}
