//! The series of the 推移 charts: per indicator, the quarterly actuals against
//! the yearly target. Computed where each file is read, like the evaluation
//! candidates, and merged in input order; the workbook sink only draws them.

use std::collections::BTreeMap;

use crate::model::{Extract, Kind, Observation, Period, Status};

/// Per (fiscal year, quarter): the quarter's actual and the year's target.
pub type Points = BTreeMap<(i32, u8), (Option<f64>, Option<f64>)>;

/// Numeric quarterly actuals and yearly targets per indicator, from the first
/// source that has the indicator (the same document read twice is charted once).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Trends(BTreeMap<(String, String, String), Points>);

impl Trends {
    /// The series of one file (or of several: each indicator from the first file that has it).
    pub fn of(x: &Extract) -> Trends {
        let mut owner: BTreeMap<(String, String, String), &str> = BTreeMap::new();
        let mut out: BTreeMap<(String, String, String), Points> = BTreeMap::new();
        let numeric = |o: &Observation| o.value.is_some() && (o.status == Status::Ok || o.status == Status::Approx);
        for o in x.observations.iter().filter(|o| numeric(o) && o.fiscal_year.is_some()) {
            let key = (o.plan.clone(), o.initiative_no.clone(), o.indicator.clone());
            let src = owner.entry(key.clone()).or_insert(o.at.source_file.as_str());
            if *src != o.at.source_file {
                continue;
            }
            let fy = o.fiscal_year.unwrap_or_default();
            let points = out.entry(key).or_default();
            match (o.kind, o.period) {
                (Kind::Actual, Period::Q(q)) => {
                    points.entry((fy, q)).or_default().0 = o.value;
                }
                (Kind::Target, Period::FY) => {
                    for q in 1..=4 {
                        points.entry((fy, q)).or_default().1 = o.value;
                    }
                }
                _ => {}
            }
        }
        Trends(out)
    }

    /// Adds a later file's series: indicators already charted keep theirs.
    pub fn merge(&mut self, later: Trends) {
        for (k, p) in later.0 {
            self.0.entry(k).or_insert(p);
        }
    }

    /// Each indicator's series, by plan, item number and indicator name.
    pub fn series(&self) -> impl Iterator<Item = (&(String, String, String), &Points)> {
        self.0.iter()
    }

    /// Drops indicators with no quarterly actuals: they have no trend to draw.
    pub fn finish(&mut self) {
        self.0.retain(|_, p| p.values().any(|(a, _)| a.is_some()));
    }
}
