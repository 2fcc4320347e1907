//! Charts in `consolidated.xlsx`: per goal, the evaluation status counts by
//! fiscal year (beside the evaluation summary); per indicator, quarterly
//! actuals against the yearly targets, on the 推移 sheet, one chart each,
//! titled with the indicator's own name.

use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use crate::evaluate::Trends;
use crate::model::SummaryRow;

/// Labels the charts use (from the display labels).
pub struct ChartLabels<'a> {
    pub actual: &'a str,
    pub target: &'a str,
    pub statuses: [&'a str; 4],
    /// A quarter as a chart category (`[words] trend_period` of display.toml):
    /// `{year}` the fiscal year in the era form the documents use (令和3年度,
    /// from the vocabulary's eras), `{fy}` its Western start year, `{q}` the
    /// quarter's number: `{year} {q}Q` → 令和3年度 1Q.
    pub period: &'a str,
    /// The eras `{year}` is written with; without them, `{year}` is the Western year.
    pub years: Option<&'a crate::normalize::Vocabulary>,
}

impl ChartLabels<'_> {
    /// A quarter of a fiscal year as a chart category.
    fn period(&self, fy: i32, quarter: u8) -> String {
        let mut text = self.period.replace("{fy}", &fy.to_string());
        if text.contains("{year}") {
            let year = self.years.and_then(|v| v.wareki_fiscal_year(fy)).unwrap_or_else(|| fy.to_string());
            text = text.replace("{year}", &year);
        }
        text.replace("{q}", &quarter.to_string())
    }
}

/// Adds goal status charts to `ws` (the evaluation summary sheet, whose table
/// starts at A1 with rows in `summary` order and the columns named in `cols`).
pub fn summary_charts(
    ws: &mut Worksheet,
    sheet: &str,
    summary: &[SummaryRow],
    cols: &[&str],
    labels: &ChartLabels,
) -> Result<(), XlsxError> {
    let col = |name: &str| cols.iter().position(|c| *c == name).map(|c| c as u16);
    let (Some(fy), Some(first_status)) = (col("fiscal_year"), col("achieved")) else {
        return Ok(());
    };
    let mut groups: Vec<(String, usize, usize)> = Vec::new();
    for (i, r) in summary.iter().enumerate() {
        let name = format!("{} {}", r.plan, r.goal.as_deref().unwrap_or(""));
        match groups.last_mut() {
            Some((g, _, last)) if *g == name => *last = i,
            _ => groups.push((name, i, i)),
        }
    }
    let anchor_col = cols.len() as u16 + 1;
    for (k, (title, first, last)) in groups.iter().enumerate() {
        let mut chart = Chart::new(ChartType::ColumnStacked);
        let (r0, r1) = (*first as u32 + 1, *last as u32 + 1);
        for (s, label) in labels.statuses.iter().enumerate() {
            let c = first_status + s as u16;
            chart
                .add_series()
                .set_name(*label)
                .set_categories((sheet, r0, fy, r1, fy))
                .set_values((sheet, r0, c, r1, c));
        }
        chart.title().set_name(title);
        chart.set_width(520).set_height(300);
        ws.insert_chart(k as u32 * 16, anchor_col, &chart)?;
    }
    Ok(())
}

/// Writes the 推移 sheet: per indicator a small data block (periods, actuals,
/// the year's target on each of its quarters) and a line chart over it.
pub fn trends_sheet(book: &mut Workbook, sheet: &str, trends: &Trends, labels: &ChartLabels) -> Result<(), XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    let mut row = 0u32;
    for (k, ((plan, no, indicator), points)) in trends.series().enumerate() {
        let periods: Vec<String> = points.keys().map(|(fy, q)| labels.period(*fy, *q)).collect();
        ws.write_string(row, 0, format!("{plan} {no}"))?;
        ws.write_string(row + 1, 0, labels.actual)?;
        ws.write_string(row + 2, 0, labels.target)?;
        for (i, ((_, _), (actual, target))) in points.iter().enumerate() {
            let c = i as u16 + 1;
            ws.write_string(row, c, &periods[i])?;
            if let Some(v) = actual {
                ws.write_number(row + 1, c, *v)?;
            }
            if let Some(v) = target {
                ws.write_number(row + 2, c, *v)?;
            }
        }
        let last = points.len() as u16;
        let mut chart = Chart::new(ChartType::Line);
        chart
            .add_series()
            .set_name(labels.actual)
            .set_categories((sheet, row, 1, row, last))
            .set_values((sheet, row + 1, 1, row + 1, last));
        chart
            .add_series()
            .set_name(labels.target)
            .set_categories((sheet, row, 1, row, last))
            .set_values((sheet, row + 2, 1, row + 2, last));
        chart.title().set_name(indicator);
        chart.set_width(560).set_height(300);
        let (chart_row, chart_col) = ((k / 2) as u32 * 16, 20 + (k % 2) as u16 * 9);
        ws.insert_chart(chart_row, chart_col, &chart)?;
        row += 4;
    }
    Ok(())
}
