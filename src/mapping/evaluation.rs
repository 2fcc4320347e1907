//! Evaluation rules (`mappings/evaluation.toml`): which indicators are
//! lower-is-better (by name rule or declared), and how a year's result is
//! taken from quarterly values. Read with the other mapping files; the
//! judging itself is `evaluate`'s.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use super::file::{array_of, from_value, parse_table};
use super::{MappingError, norm_label};
pub use crate::model::Direction;

/// Name of the evaluation rules file inside a mappings folder.
pub const EVALUATION_FILE: &str = "evaluation.toml";

/// Serde mirror of the file's top level; its arrays of tables are read
/// element by element ([`NameRuleSpec`], [`IndicatorRuleSpec`]), so that
/// every element's problems are reported.
#[derive(Default, Deserialize)]
struct RulesFile {
    /// Direction of an indicator no rule names (default `higher`).
    #[serde(default)]
    default_direction: Option<Direction>,
    /// Name rules, first match wins.
    #[serde(default)]
    name_rules: Vec<toml::Value>,
    /// Explicit per-indicator declarations.
    #[serde(default)]
    indicator: Vec<toml::Value>,
}

/// How the year's result is taken when the sheet has no FY actual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    /// The latest reported sub-year value (quarterly values are year-to-date or current levels).
    #[default]
    Latest,
    /// The sum of the quarters (or halves) reported: quarterly values are flows.
    Sum,
    /// The mean of the quarters (or halves) reported.
    Mean,
}

/// One `[[name_rules]]` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct NameRuleSpec {
    /// Regular expression searched in the indicator name (spaces removed, ASCII width folded).
    pub pattern: String,
    pub direction: Direction,
    #[serde(default)]
    pub note: Option<String>,
}

/// One `[[indicator]]` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorRuleSpec {
    pub plan: String,
    #[serde(default)]
    pub initiative_no: Option<String>,
    pub indicator: String,
    #[serde(default)]
    pub direction: Option<Direction>,
    #[serde(default)]
    pub actual: Option<Aggregation>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
struct NameRule {
    pattern: Regex,
    direction: Direction,
}

#[derive(Debug, Clone)]
struct IndicatorRule {
    plan: String,
    initiative_no: Option<String>,
    indicator: String,
    direction: Option<Direction>,
    actual: Option<Aggregation>,
}

/// The compiled rules: direction declarations and per-indicator overrides.
#[derive(Debug, Clone)]
pub struct EvaluationRules {
    default_direction: Direction,
    name_rules: Vec<NameRule>,
    indicators: Vec<IndicatorRule>,
}

impl Default for EvaluationRules {
    /// No rules: every indicator is higher-is-better (inferred), latest value.
    fn default() -> Self {
        EvaluationRules {
            default_direction: Direction::Higher,
            name_rules: Vec::new(),
            indicators: Vec::new(),
        }
    }
}

impl EvaluationRules {
    /// Reads and compiles a rules file. Every problem is reported at once, each
    /// with the file and key path (`evaluation.toml: indicator[2].direction: …`).
    ///
    /// # Errors
    /// Every problem when the file is unreadable or invalid.
    pub fn load(path: &Path) -> Result<EvaluationRules, Vec<MappingError>> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![MappingError {
                file: file.clone(),
                key: String::new(),
                message: format!("cannot read: {e}"),
            }]
        })?;
        Self::parse(&text, &file)
    }

    /// Compiles rules from TOML text; `file` names it in the messages.
    ///
    /// # Errors
    /// Every problem, each with its key path.
    pub fn parse(text: &str, file: &str) -> Result<EvaluationRules, Vec<MappingError>> {
        let table = parse_table(file, text).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        // The arrays are read element by element, so each element's problems are reported.
        let top = from_value::<RulesFile>(file, "", &toml::Value::Table(table), &mut errors);
        let top = top.unwrap_or_default();
        let name_rules = array_of::<NameRuleSpec>(file, "name_rules", &top.name_rules, &mut errors);
        let indicators = array_of::<IndicatorRuleSpec>(file, "indicator", &top.indicator, &mut errors);
        let mut problems = Vec::new();
        let compiled = Self::compile(
            top.default_direction.unwrap_or(Direction::Higher),
            &name_rules,
            &indicators,
            &mut problems,
        );
        errors.extend(problems.into_iter().map(|(key, message)| MappingError {
            file: file.to_string(),
            key,
            message,
        }));
        if errors.is_empty() { Ok(compiled) } else { Err(errors) }
    }

    fn compile(
        default_direction: Direction,
        name_rule_specs: &[(usize, NameRuleSpec)],
        indicator_specs: &[(usize, IndicatorRuleSpec)],
        errors: &mut Vec<(String, String)>,
    ) -> EvaluationRules {
        let mut name_rules = Vec::new();
        for (i, r) in name_rule_specs {
            if r.pattern.trim().is_empty() {
                errors.push((
                    format!("name_rules[{i}].pattern"),
                    "empty pattern (it would match every indicator)".into(),
                ));
                continue;
            }
            match Regex::new(&r.pattern) {
                Ok(pattern) => name_rules.push(NameRule {
                    pattern,
                    direction: r.direction,
                }),
                Err(e) => {
                    let why = e.to_string().lines().last().unwrap_or_default().trim().to_string();
                    errors.push((
                        format!("name_rules[{i}].pattern"),
                        format!("invalid regular expression {:?}: {why}", r.pattern),
                    ));
                }
            }
        }
        let mut indicators: Vec<(usize, IndicatorRule)> = Vec::new();
        for (i, r) in indicator_specs {
            let rule = IndicatorRule {
                plan: norm_label(&r.plan),
                initiative_no: r.initiative_no.as_deref().map(norm_label),
                indicator: norm_label(&r.indicator),
                direction: r.direction,
                actual: r.actual,
            };
            let mut ok = true;
            if rule.plan.is_empty() {
                errors.push((format!("indicator[{i}].plan"), "empty".into()));
                ok = false;
            }
            if rule.indicator.is_empty() {
                errors.push((format!("indicator[{i}].indicator"), "empty".into()));
                ok = false;
            }
            if rule.direction.is_none() && rule.actual.is_none() {
                errors.push((format!("indicator[{i}]"), "declares nothing: set direction and/or actual".into()));
                ok = false;
            }
            if let Some((j, _)) = indicators
                .iter()
                .find(|(_, o)| o.plan == rule.plan && o.indicator == rule.indicator && o.initiative_no == rule.initiative_no)
            {
                errors.push((format!("indicator[{i}]"), format!("the same indicator as indicator[{j}]")));
                ok = false;
            }
            if ok {
                indicators.push((*i, rule));
            }
        }
        EvaluationRules {
            default_direction,
            name_rules,
            indicators: indicators.into_iter().map(|(_, r)| r).collect(),
        }
    }

    /// The entry declared for an indicator whose name is already normalised
    /// (`name`); the plan and item are normalised only when an entry names it.
    fn declaration(&self, plan: &str, initiative_no: &str, name: &str) -> Option<&IndicatorRule> {
        let mut named = self.indicators.iter().filter(|r| r.indicator == name).peekable();
        named.peek()?;
        let (p, n) = (norm_label(plan), norm_label(initiative_no));
        // An entry naming the item wins over one for the whole plan.
        named
            .filter(|r| r.plan == p)
            .filter(|r| r.initiative_no.as_ref().is_none_or(|x| *x == n))
            .max_by_key(|r| r.initiative_no.is_some())
    }

    /// Direction of an indicator and whether it was inferred (name rule or
    /// default) rather than declared for it.
    pub fn direction(&self, plan: &str, initiative_no: &str, indicator: &str) -> (Direction, bool) {
        let (direction, inferred, _) = self.judging(plan, initiative_no, indicator);
        (direction, inferred)
    }

    /// [`direction`](Self::direction) and [`aggregation`](Self::aggregation)
    /// at once: the names are normalised once, not once per question (this ran
    /// for every indicator-year judged).
    pub fn judging(&self, plan: &str, initiative_no: &str, indicator: &str) -> (Direction, bool, Aggregation) {
        let name = norm_label(indicator);
        let declared = self.declaration(plan, initiative_no, &name);
        let aggregation = declared.and_then(|r| r.actual).unwrap_or_default();
        if let Some(d) = declared.and_then(|r| r.direction) {
            return (d, false, aggregation);
        }
        let d = self
            .name_rules
            .iter()
            .find(|r| r.pattern.is_match(&name))
            .map(|r| r.direction)
            .unwrap_or(self.default_direction);
        (d, true, aggregation)
    }

    /// How the year's result is taken for an indicator.
    pub fn aggregation(&self, plan: &str, initiative_no: &str, indicator: &str) -> Aggregation {
        self.judging(plan, initiative_no, indicator).2
    }
}
