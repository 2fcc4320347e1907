//! Merging the candidates of every file, in input order, into one row per
//! indicator-year (a workbook and its PDF text hold the same indicators), and
//! counting the rows per plan, goal and year.

use std::collections::{BTreeMap, HashMap};

use super::Evaluated;
use super::judge::{Candidate, Candidates, Key, opt_num};
use crate::model::{DiagCode, Diagnostic, EvaluationRow, SummaryRow, args};

/// Item numbers compare as numbers where both are (`2` before `10`).
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        _ => a.cmp(b),
    }
}

fn row_order(a: &EvaluationRow, b: &EvaluationRow) -> std::cmp::Ordering {
    a.plan
        .cmp(&b.plan)
        .then_with(|| natural_order(&a.initiative_no, &b.initiative_no))
        .then_with(|| a.indicator_no.cmp(&b.indicator_no))
        .then_with(|| a.indicator.cmp(&b.indicator))
        .then_with(|| a.fiscal_year.cmp(&b.fiscal_year))
}

/// What one losing candidate must keep to be compared with the winner: a
/// few numbers and the index of its source file in [`Evaluator::files`]
/// (a national run holds hundreds of thousands of these).
struct Brief {
    judged: u8,
    text_source: bool,
    file: u32,
    target: Option<f64>,
    actual: Option<f64>,
    actual_period: Option<Box<str>>,
}

/// The candidates of one indicator-year seen so far: the best in full, every
/// one in brief (the losers only matter for `evaluation_sources_disagree`).
struct Slot {
    best: Candidate,
    all: Vec<Brief>,
}

/// Merges [`Candidates`] file by file, in input order, holding one full row per
/// indicator-year and a few numbers per other source: memory grows with the
/// number of indicators, not of files.
#[derive(Default)]
pub struct Evaluator {
    slots: BTreeMap<(Key, i32), Slot>,
    goals: HashMap<(String, String), String>,
    titles: HashMap<(String, String), String>,
    /// Source files of the candidates, each once.
    files: Vec<String>,
    file_index: HashMap<String, u32>,
}

impl Evaluator {
    /// Adds one file's candidates (files must come in input order: the first
    /// goal and title of an item win).
    pub fn merge(&mut self, c: Candidates) {
        for (k, g) in c.goals {
            self.goals.entry(k).or_insert(g);
        }
        for (k, t) in c.titles {
            self.titles.entry(k).or_insert(t);
        }
        for cand in c.rows {
            let (judged, text_source, source) = cand.rank();
            let file = match self.file_index.get(source) {
                Some(&i) => i,
                None => {
                    let i = self.files.len() as u32;
                    self.files.push(source.to_string());
                    self.file_index.insert(source.to_string(), i);
                    i
                }
            };
            let brief = Brief {
                judged,
                text_source,
                file,
                target: cand.row.target,
                actual: cand.row.actual,
                actual_period: cand.row.actual_period.as_deref().map(Into::into),
            };
            match self.slots.entry((cand.key.clone(), cand.row.fiscal_year)) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(Slot {
                        best: cand,
                        all: vec![brief],
                    });
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    let slot = o.get_mut();
                    if cand.rank() < slot.best.rank() {
                        slot.best = cand;
                    }
                    slot.all.push(brief);
                }
            }
        }
    }

    /// The evaluation rows, the summary and the diagnostics of the whole run.
    pub fn finish(self) -> Evaluated {
        let mut diagnostics = Vec::new();
        let (rows, summary) = self.finish_with(|d| diagnostics.push(d));
        (rows, summary, diagnostics)
    }

    /// [`Evaluator::finish`] handing each diagnostic to `note` as it is made,
    /// in the same order: a large run has hundreds of thousands of them
    /// (`evaluation_sources_disagree`, with their arguments), too many to
    /// hold at once.
    pub fn finish_with(mut self, mut note: impl FnMut(Diagnostic)) -> (Vec<EvaluationRow>, Vec<SummaryRow>) {
        let mut rows = Vec::new();
        let mut diagnostics = Vec::new();
        for slot in std::mem::take(&mut self.slots).into_values() {
            rows.push(self.judge(slot, &mut diagnostics));
            diagnostics.drain(..).for_each(&mut note);
        }
        rows.sort_by(row_order);
        let summary = summarise(&rows);
        (rows, summary)
    }

    /// One indicator-year's row (with the run's goal and item title); its
    /// diagnostics go to `diagnostics`: every other source that gives other
    /// numbers, then the row's own.
    fn judge(&self, slot: Slot, diagnostics: &mut Vec<Diagnostic>) -> EvaluationRow {
        let Slot { best, mut all } = slot;
        let mut row = best.row;
        let files = &self.files;
        all.sort_by(|a, b| (a.judged, a.text_source, &files[a.file as usize]).cmp(&(b.judged, b.text_source, &files[b.file as usize])));
        for other in all.iter().skip(1) {
            let differs = |a: Option<f64>, b: Option<f64>| matches!((a, b), (Some(x), Some(y)) if x != y);
            if differs(row.target, other.target)
                || (row.actual_period.as_deref() == other.actual_period.as_deref() && differs(row.actual, other.actual))
            {
                diagnostics.push(Diagnostic::new(
                    DiagCode::EvaluationSourcesDisagree,
                    args![
                        "indicator" => row.indicator,
                        "fy" => row.fiscal_year,
                        "file" => row.target_at.source_file,
                        "target" => opt_num(row.target),
                        "actual" => opt_num(row.actual),
                        "other_file" => files[other.file as usize],
                        "other_target" => opt_num(other.target),
                        "other_actual" => opt_num(other.actual),
                    ],
                    row.target_at.clone(),
                    None,
                ));
            }
        }
        diagnostics.extend(best.diagnostic);
        let ik = (row.plan.clone(), row.initiative_no.clone());
        row.goal = self.goals.get(&ik).cloned();
        if let Some(t) = self.titles.get(&ik) {
            row.initiative = t.clone();
        }
        row
    }
}

/// Counts per plan, goal and fiscal year, sorted by them.
pub fn summarise(rows: &[EvaluationRow]) -> Vec<SummaryRow> {
    let mut by: BTreeMap<(String, Option<String>, i32), [i32; 4]> = BTreeMap::new();
    for r in rows {
        let c = by.entry((r.plan.clone(), r.goal.clone(), r.fiscal_year)).or_default();
        c[r.status as usize] += 1;
    }
    by.into_iter()
        .map(|((plan, goal, fiscal_year), [a, n, p, e])| SummaryRow {
            plan,
            goal,
            fiscal_year,
            achieved: a,
            not_achieved: n,
            pending: p,
            not_evaluable: e,
            kpi_achievement_rate: (a + n > 0).then(|| f64::from(a) / f64::from(a + n) * 100.0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_item_order() {
        let mut v = vec!["10", "2", "1", "b", "a"];
        v.sort_by(|a, b| natural_order(a, b));
        assert_eq!(v, ["1", "2", "10", "a", "b"]);
    }
}
