//! Helpers shared by the integration tests.

use torikumi::model::Extract;

/// The observations' content (no provenance), sorted: two extracts of the same
/// document must give equal keys whatever file or cell the values came from.
pub fn observation_key(x: &Extract) -> Vec<String> {
    let mut v: Vec<String> = x
        .observations
        .iter()
        .map(|o| {
            format!(
                "{}|{}|{:?}|{}|{:?}|{}|{:?}|{}|{:?}|{:?}|{}",
                o.plan, o.initiative_no, o.indicator_no, o.indicator, o.fiscal_year, o.period, o.as_of, o.kind, o.value, o.unit, o.status
            )
        })
        .collect();
    v.sort();
    v
}
