//! The DX 個別取組票 in the forms real inputs take, each as text and as a
//! workbook, must give exactly the observations of the plain form: labels and
//! values in one cell (`実施項目　(1) …`), Western years (`2021年度`,
//! `基準年(2019)`). Fixtures: `tests/fixtures/variants/make_variants.py`.

mod common;
use common::{assert_same, observation_key, root};

use std::sync::OnceLock;

use torikumi::mapping::Mappings;
use torikumi::model::Extract;
use torikumi::pipeline;
use torikumi::source::Limits;

fn mappings() -> &'static Mappings {
    static M: OnceLock<Mappings> = OnceLock::new();
    M.get_or_init(|| Mappings::load(&root().join("mappings")).expect("mappings load"))
}

fn ingest(file: &str) -> Extract {
    let path = root().join("tests/fixtures/variants").join(file);
    pipeline::ingest(&[path], mappings(), &Limits::default())
}

/// Initiatives as (number, title, direction, divisions), sorted.
fn initiative_key(x: &Extract) -> Vec<String> {
    let mut v: Vec<String> = x
        .initiatives
        .iter()
        .map(|i| {
            format!(
                "{}|{}|{:?}|{:?}|{:?}",
                i.initiative_no, i.initiative, i.reform, i.direction, i.divisions
            )
        })
        .collect();
    v.sort();
    v
}

fn assert_same_as_base(variant: &str, base: &str) {
    let (v, b) = (ingest(variant), ingest(base));
    assert!(
        b.observations.len() > 250,
        "the base form reads ({} observations)",
        b.observations.len()
    );
    assert_same(
        &observation_key(&v),
        &observation_key(&b),
        &format!("{variant} vs {base}: observations"),
    );
    assert_same(
        &initiative_key(&v),
        &initiative_key(&b),
        &format!("{variant} vs {base}: initiatives"),
    );
    assert!(
        v.observations.iter().all(|o| o.fiscal_year.is_some()),
        "{variant}: a row without a year"
    );
}

#[test]
fn text_and_workbook_of_the_plain_form_agree() {
    assert_same_as_base("dx_base.xlsx", "dx_base.sjis.txt");
}

#[test]
fn label_and_value_in_one_cell_text() {
    assert_same_as_base("dx_one_cell.sjis.txt", "dx_base.sjis.txt");
}

#[test]
fn label_and_value_in_one_cell_workbook() {
    assert_same_as_base("dx_one_cell.xlsx", "dx_base.xlsx");
}

#[test]
fn table_header_label_and_first_column_in_one_cell_text() {
    assert_same_as_base("dx_one_cell_headers.sjis.txt", "dx_base.sjis.txt");
}

#[test]
fn table_header_label_and_first_column_in_one_cell_workbook() {
    assert_same_as_base("dx_one_cell_headers.xlsx", "dx_base.xlsx");
}

#[test]
fn western_years_text() {
    assert_same_as_base("dx_western_years.sjis.txt", "dx_base.sjis.txt");
}

#[test]
fn western_years_workbook() {
    assert_same_as_base("dx_western_years.xlsx", "dx_base.xlsx");
}

#[test]
fn western_baseline_and_one_cell_title_give_real_values() {
    let w = ingest("dx_western_years.xlsx");
    let base = w
        .observations
        .iter()
        .find(|o| o.initiative_no == "1" && o.indicator.contains("電子化率") && o.kind == "baseline")
        .expect("baseline of ① in item (1)");
    assert_eq!(
        (base.fiscal_year, base.value, base.unit.as_deref()),
        (Some(2019), Some(7.0), Some("%"))
    );
    let one = ingest("dx_one_cell.sjis.txt");
    let item = one.initiatives.iter().find(|i| i.initiative_no == "7").expect("item (7)");
    assert!(item.initiative.starts_with("日本最先鋭のコンテンツ創出力"), "{}", item.initiative);
    assert_eq!(item.divisions, vec!["メディアプロモーション課".to_string()]);
    let ind = one.indicators.iter().find(|i| i.indicator.contains("tsulunos")).expect("tsulunos");
    assert_eq!((ind.final_target_value, ind.final_target_fy), (Some(15_000_000.0), Some(2023)));
}

/// The Saitama programme with 取組内容 and 目標 written in one cell with their
/// text (a full-width space between), as PDF extraction often leaves them.
#[test]
fn saitama_labels_and_values_in_one_cell() {
    let path = root().join("samples/saitama_program.sjis.txt");
    let bytes = std::fs::read(&path).unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    let joined: String = text
        .lines()
        .map(|l| match l.split_once('\t') {
            Some((label @ ("取組内容" | "目標"), rest)) => format!("{label}\u{3000}{rest}\n"),
            _ => format!("{l}\n"),
        })
        .collect();
    assert_ne!(joined, text.replace("\r\n", "\n"), "the variant differs from the sample");
    let dir = tempfile::tempdir().unwrap();
    let variant = dir.path().join("saitama_one_cell.txt");
    std::fs::write(&variant, joined).unwrap();
    let v = pipeline::ingest(&[variant], mappings(), &Limits::default());
    let b = pipeline::ingest(&[path], mappings(), &Limits::default());
    assert_eq!(b.observations.len(), 87);
    assert_same(&observation_key(&v), &observation_key(&b), "saitama one-cell: observations");
    assert_same(&initiative_key(&v), &initiative_key(&b), "saitama one-cell: initiatives");
}

/// Progress-table target headers that name their own year (R3目標値, R4目標値,
/// R5目標値 instead of 目標値 after each year's quarters) read the same.
#[test]
fn target_headers_that_name_their_year() {
    let path = root().join("tests/fixtures/variants/dx_base.sjis.txt");
    let bytes = std::fs::read(&path).unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    let mut changed = 0;
    let dated: String = text
        .lines()
        .map(|l| {
            if !l.starts_with("指標項目\t基準年") && !l.starts_with("\t\t1四半期") {
                return format!("{l}\n");
            }
            // The k-th 目標値 of the header band is R(3+k)目標値.
            let mut k = 0;
            let cells: Vec<String> = l
                .split('\t')
                .map(|c| {
                    if c == "目標値" {
                        k += 1;
                        changed += 1;
                        format!("R{}目標値", 2 + k)
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            format!("{}\n", cells.join("\t"))
        })
        .collect();
    assert!(changed >= 8, "the fixture's headers changed ({changed})");
    let dir = tempfile::tempdir().unwrap();
    let variant = dir.path().join("dated_targets.txt");
    std::fs::write(&variant, dated).unwrap();
    let v = pipeline::ingest(&[variant], mappings(), &Limits::default());
    let b = pipeline::ingest(&[path], mappings(), &Limits::default());
    assert_same(&observation_key(&v), &observation_key(&b), "dated target headers: observations");
}

// ----------------------------------------------------------------------------- Saitama KPI entries

const SAITAMA_TXT: &str = "samples/saitama_program.sjis.txt";
/// No.1's KPI entries as the sample prints them.
const NO1_ENTRIES: &str = "R5：65% R6：78% R7：80%（R4上期：54.7%）";
const NO1: &str = "コピー使用量削減率（R元年度比）";

/// The Saitama sample's text with No.1's `from` (printed once) made `to`, ingested.
fn saitama_edited(from: &str, to: &str) -> Extract {
    let bytes = std::fs::read(root().join(SAITAMA_TXT)).unwrap();
    let text = encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned();
    assert_eq!(text.matches(from).count(), 1, "{from} is printed once");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saitama_edited.txt");
    std::fs::write(&path, encoding_rs::SHIFT_JIS.encode(&text.replacen(from, to, 1)).0).unwrap();
    pipeline::ingest(&[path], mappings(), &Limits::default())
}

/// No.1's observation of `kind` for `fy`, FY.
fn no1<'x>(x: &'x Extract, fy: i32, kind: &str) -> &'x torikumi::model::Observation {
    x.observations
        .iter()
        .find(|o| o.initiative_no == "1" && o.indicator == NO1 && o.fiscal_year == Some(fy) && o.kind == kind && o.period == "FY")
        .unwrap_or_else(|| panic!("no {kind} FY{fy} of No.1"))
}

/// (cell, note) of each ambiguous_cell warning of `case`.
fn said(x: &Extract, case: &str) -> Vec<(String, String)> {
    x.diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some(case))
        .map(|d| (d.at.cell.clone(), d.arg("note").unwrap_or_default().to_string()))
        .collect()
}

/// An indicator as (name, unit, final target, its year).
type IndicatorRow = (String, Option<String>, Option<f64>, Option<i32>);

/// No.1's indicators.
fn no1_indicators(x: &Extract) -> Vec<IndicatorRow> {
    x.indicators
        .iter()
        .filter(|i| i.initiative_no == "1")
        .map(|i| (i.indicator.clone(), i.unit.clone(), i.final_target_value, i.final_target_fy))
        .collect()
}

fn no1_as_printed() -> Vec<IndicatorRow> {
    vec![(NO1.to_string(), Some("%".to_string()), Some(80.0), Some(2025))]
}

/// `R7：80%（R4上期実績54.7%）`: a bracket whose value has no separator. Before,
/// 54.7 % was lost with nothing said (kept only in R7's raw text); now the
/// bracket is a `kpi-entry-note` warning naming the cell.
#[test]
fn saitama_bracket_with_a_value_and_no_separator_is_said() {
    let v = saitama_edited(NO1_ENTRIES, "R5：65% R6：78% R7：80%（R4上期実績54.7%）");
    let r7 = no1(&v, 2025, "target");
    assert_eq!((r7.value, r7.unit.as_deref()), (Some(80.0), Some("%")));
    assert_eq!(
        said(&v, "kpi-entry-note"),
        [(r7.at.cell.clone(), "（R4上期実績54.7%）".to_string())]
    );
    assert_eq!(no1_indicators(&v), no1_as_printed());
}

/// `R7：80% ※R4上期実績54.7%`: a note after the entries. Before, it became an
/// indicator `※R4上期実績54.7%` with no values and 54.7 % was lost silently.
#[test]
fn saitama_note_after_the_entries_is_no_indicator_and_is_said() {
    let v = saitama_edited(NO1_ENTRIES, "R5：65% R6：78% R7：80% ※R4上期実績54.7%");
    assert_eq!(no1_indicators(&v), no1_as_printed());
    let r7 = no1(&v, 2025, "target");
    assert_eq!((r7.value, r7.unit.as_deref()), (Some(80.0), Some("%")));
    assert!(r7.raw.contains("※R4上期実績54.7%"), "{}", r7.raw);
    assert_eq!(said(&v, "kpi-entry-note"), [(r7.at.cell.clone(), "※R4上期実績54.7%".to_string())]);
}

/// `R7：80% 職員アンケートにより把握`: a sentence after the entries, with no
/// number. Before, an indicator of its own; now kept in R7's raw text.
#[test]
fn saitama_sentence_after_the_entries_is_no_indicator() {
    let v = saitama_edited(NO1_ENTRIES, "R5：65% R6：78% R7：80% 職員アンケートにより把握");
    assert_eq!(no1_indicators(&v), no1_as_printed());
    let r7 = no1(&v, 2025, "target");
    assert_eq!(r7.raw, "R7：80% 職員アンケートにより把握");
    assert!(said(&v, "kpi-entry-note").is_empty());
}

/// `R7：80%を目指す`: words after the unit. Before, the unit was `%を目指す`
/// in the observation and the indicator; now `%`, the words kept in raw.
#[test]
fn saitama_words_after_a_value_are_not_its_unit() {
    let v = saitama_edited(NO1_ENTRIES, "R5：65% R6：78% R7：80%を目指す");
    let r7 = no1(&v, 2025, "target");
    assert_eq!(
        (r7.value, r7.unit.as_deref(), r7.raw.as_str()),
        (Some(80.0), Some("%"), "R7：80%を目指す")
    );
    assert_eq!(no1_indicators(&v), no1_as_printed());
}

/// The goal sentence written after the KPI (`… R7：80% ／ R7年度末までにコピー
/// 使用量を80%削減する`). Before, `までに` made the sentence an R7 (年度末) entry
/// and the final target the text `コピー使用量を80%削減する`; now the final
/// target is 80 % and the sentence, with its number, is said.
#[test]
fn saitama_goal_sentence_after_the_kpi_is_not_its_final_target() {
    let goal = "R7年度末までにコピー使用量を80%削減する";
    let printed = format!("{goal} 〔KPI〕 {NO1} … {NO1_ENTRIES}");
    let moved = format!("〔KPI〕 {NO1} … R5：65% R6：78% R7：80% ／ {goal}");
    let v = saitama_edited(&printed, &moved);
    assert_eq!(no1_indicators(&v), no1_as_printed());
    let r7 = no1(&v, 2025, "target");
    assert_eq!((r7.value, r7.unit.as_deref()), (Some(80.0), Some("%")));
    let targets = v
        .observations
        .iter()
        .filter(|o| o.initiative_no == "1" && o.indicator == NO1 && o.kind == "target");
    assert_eq!(targets.count(), 3, "R5, R6 and R7 only");
    let notes = said(&v, "kpi-entry-note");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].0, r7.at.cell);
    assert!(notes[0].1.contains(goal), "{notes:?}");
}

/// `R5：65（%）`: the unit in brackets after the value. Before, lost.
#[test]
fn saitama_unit_in_brackets_after_the_value() {
    let v = saitama_edited(NO1_ENTRIES, "R5：65（%） R6：78（%） R7：80（%）（R4上期：54.7%）");
    for (fy, value) in [(2023, 65.0), (2024, 78.0), (2025, 80.0)] {
        let o = no1(&v, fy, "target");
        assert_eq!((o.value, o.unit.as_deref()), (Some(value), Some("%")), "FY{fy}");
    }
    assert_eq!(no1_indicators(&v), no1_as_printed());
}

/// `R5（2023）：65%`: the Western year in brackets after the era year. Before,
/// the entries stayed in the KPI's name and R7's 80 % was written with no
/// year; now each is read for its year, as the sample's `R5：65%`.
#[test]
fn saitama_western_year_in_brackets_confirms_the_era_year() {
    let v = saitama_edited(NO1_ENTRIES, "R5（2023）：65% R6（2024）：78% R7（2025）：80%（R4上期：54.7%）");
    let b = pipeline::ingest(&[root().join(SAITAMA_TXT)], mappings(), &Limits::default());
    assert_same(&observation_key(&v), &observation_key(&b), "observations");
    assert!(v.observations.iter().all(|o| o.fiscal_year.is_some()), "a row without a year");
    assert!(said(&v, "kpi-name-holds-values").is_empty());
}

/// `R5（2024）：65%`: the era year and the Western year disagree. The value is
/// not read for either year, and an ambiguous_cell warning names the entry.
#[test]
fn saitama_western_year_that_disagrees_is_said_not_read() {
    let v = saitama_edited(NO1_ENTRIES, "R5（2024）：65% R6：78% R7：80%（R4上期：54.7%）");
    let r6 = no1(&v, 2024, "target");
    assert_eq!(r6.value, Some(78.0));
    assert!(!v.observations.iter().any(|o| o.value == Some(65.0) && o.initiative_no == "1"));
    assert!(v.observations.iter().all(|o| o.fiscal_year.is_some()), "a row without a year");
    let disagree: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("kpi-year-disagrees"))
        .map(|d| (d.at.cell.as_str(), d.arg("entry")))
        .collect();
    assert_eq!(disagree, [(r6.at.cell.as_str(), Some("R5（2024）：65%"))]);
    assert_eq!(no1_indicators(&v), no1_as_printed());
}

/// `2023：65% 2024：78% 2025：80%`: years the KPI syntax does not read. The
/// entries stay in the name and are said (`kpi-name-holds-values`), as the
/// README has it; before, the last value after a separator was also written
/// as a target with no year.
#[test]
fn saitama_entries_the_syntax_cannot_date_give_no_row_without_a_year() {
    let v = saitama_edited(NO1_ENTRIES, "2023：65% 2024：78% 2025：80%（R4上期：54.7%）");
    assert!(v.observations.iter().all(|o| o.fiscal_year.is_some()), "a row without a year");
    assert!(!v.observations.iter().any(|o| o.initiative_no == "1" && o.kind == "target"));
    let names: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("kpi-name-holds-values"))
        .filter_map(|d| d.arg("name"))
        .collect();
    assert_eq!(names, [format!("{NO1} … 2023：65% 2024：78% 2025：80%")]);
}

/// Saitama targets dated at the fiscal year's end (`令和5年度末：65%`): that
/// fiscal year's targets, as `R5：65%` and a header's `目標値（R6.3末）` are.
/// Before, they were points in time (AS_OF 2024-03-31) and the years'
/// evaluations lost their targets.
#[test]
fn saitama_targets_dated_at_the_years_end_are_that_years() {
    let v = saitama_edited(NO1_ENTRIES, "令和5年度末：65% 令和6年度末：78% 令和7年度末：80%（R4上期：54.7%）");
    let b = pipeline::ingest(&[root().join(SAITAMA_TXT)], mappings(), &Limits::default());
    assert_same(&observation_key(&v), &observation_key(&b), "observations");
}

/// `令和五年度：65%`, the year in kanji numerals, which the syntax's label
/// matches but no year reads. Before, a target with no fiscal year was
/// written (the contract has none), silently. Now the entry is a
/// `year_not_decoded` warning (`kpi`) and not read.
#[test]
fn saitama_an_entry_whose_year_cannot_be_read_is_said() {
    let v = saitama_edited(NO1_ENTRIES, "令和五年度：65% R6：78% R7：80%（R4上期：54.7%）");
    assert!(v.observations.iter().all(|o| o.fiscal_year.is_some()), "a row without a year");
    // The R6 target is still read (the KPI's name keeps the unread label).
    assert!(
        v.observations
            .iter()
            .any(|o| o.initiative_no == "1" && o.fiscal_year == Some(2024) && o.value == Some(78.0))
    );
    assert!(!v.observations.iter().any(|o| o.initiative_no == "1" && o.value == Some(65.0)));
    let said: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "year_not_decoded" && d.arg("case") == Some("kpi"))
        .filter_map(|d| d.arg("entry"))
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("65%"), "{said:?}");
}

/// The KPI typed at the end of the 取組内容 (direction) cell instead of the
/// 目標 cell. Before, its three targets and baseline were read nowhere and
/// no warning named the cell: the field was prose. Now the cell is an
/// `ambiguous_cell` warning (`kpi-in-field`) naming the field.
#[test]
fn saitama_kpis_typed_into_another_field_are_said() {
    let text = std::fs::read(root().join(SAITAMA_TXT)).unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&text);
    let kpi = "〔KPI〕 コピー使用量削減率（R元年度比） … R5：65% R6：78% R7：80%（R4上期：54.7%）";
    let direction = "ペーパーレスの環境整備を進める。";
    assert_eq!((text.matches(kpi).count(), text.matches(direction).count()), (1, 1));
    let edited = text.replacen(kpi, "", 1).replacen(direction, &format!("{direction} {kpi}"), 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saitama.txt");
    std::fs::write(&path, encoding_rs::SHIFT_JIS.encode(&edited).0).unwrap();
    let v = pipeline::ingest(&[path], mappings(), &Limits::default());
    let said: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("kpi-in-field"))
        .map(|d| d.arg("field"))
        .collect();
    assert_eq!(said, [Some("direction")]);
}

/// `R5年度目標65%`: an entry written with no separator the syntax knows.
/// Before, the R5 target was lost into the KPI's name and nothing was said.
/// Now the name is a `kpi-name-holds-values` warning; R6 and R7 still read.
#[test]
fn saitama_an_entry_without_a_separator_is_said() {
    let v = saitama_edited(NO1_ENTRIES, "R5年度目標65% R6：78% R7：80%（R4上期：54.7%）");
    let names: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("kpi-name-holds-values"))
        .filter_map(|d| d.arg("name"))
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].ends_with("R5年度目標65%"), "{names:?}");
    assert!(
        v.observations
            .iter()
            .any(|o| o.initiative_no == "1" && o.fiscal_year == Some(2024) && o.value == Some(78.0))
    );
}

/// `R7：20%以下`: a target that reverses the direction. Before, the words
/// after the unit were cut off as a sentence and the target read as a
/// plain 20 %, silently. Now 以下 stays in the unit (`[reversing_suffixes]`),
/// as the tables keep it, so the target is never judged as a plain one.
#[test]
fn saitama_a_target_with_a_reversing_word_keeps_it() {
    let v = saitama_edited(NO1_ENTRIES, "R5：65% R6：78% R7：20%以下（R4上期：54.7%）");
    let r7 = no1(&v, 2025, "target");
    assert_eq!((r7.value, r7.unit.as_deref()), (Some(20.0), Some("%以下")));
}

/// No.2's KPI entries as the sample prints them.
const NO2_ENTRIES: &str = "R5：60課所 R6：60課所 R7：60課所";
const NO2: &str = "オフィス改革実施課所数";

/// A target as (indicator, year, value, unit).
type TargetRow = (String, Option<i32>, Option<f64>, Option<String>);

/// Item `no`'s targets, in order.
fn targets(x: &Extract, no: &str) -> Vec<TargetRow> {
    x.observations
        .iter()
        .filter(|o| o.initiative_no == no && o.kind == "target")
        .map(|o| (o.indicator.clone(), o.fiscal_year, o.value, o.unit.clone()))
        .collect()
}

/// (indicator, year, value, unit) of each of `values`, for the years from R5.
fn rows(name: &str, values: &[f64], unit: &str) -> Vec<TargetRow> {
    (2023..)
        .zip(values)
        .map(|(fy, &v)| (name.to_string(), Some(fy), Some(v), Some(unit.to_string())))
        .collect()
}

/// `R6：60 課所`: a space between a value and its unit. Before, R6 was 60
/// with no unit and R7's target went to a new indicator named `課所`.
#[test]
fn saitama_a_unit_apart_from_its_value_is_its_unit() {
    let v = saitama_edited(NO2_ENTRIES, "R5：60課所 R6：60 課所 R7：60課所");
    assert_eq!(targets(&v, "2"), rows(NO2, &[60.0, 60.0, 60.0], "課所"));
    assert_eq!(
        v.observations
            .iter()
            .find(|o| o.fiscal_year == Some(2024) && o.initiative_no == "2")
            .unwrap()
            .raw,
        "R6：60 課所"
    );
}

/// Every unit apart, as text from a PDF gives it. Before, R6 and R7 went to
/// an indicator `課所` and no value had a unit.
#[test]
fn saitama_every_unit_apart_from_its_value() {
    let v = saitama_edited(NO2_ENTRIES, "R5：60 課所 R6：65 課所 R7：70 課所");
    assert_eq!(targets(&v, "2"), rows(NO2, &[60.0, 65.0, 70.0], "課所"));
}

/// `R5：65 %`, `R6：78　％` (a full-width space and sign). Before, all three
/// targets had no unit, the signs dropped silently.
#[test]
fn saitama_a_percent_apart_from_its_value() {
    let v = saitama_edited(NO1_ENTRIES, "R5：65 % R6：78　％ R7：80 %（R4上期：54.7%）");
    assert_eq!(targets(&v, "1"), rows(NO1, &[65.0, 78.0, 80.0], "%"));
    assert_eq!(no1_indicators(&v), no1_as_printed());
}

/// `（R4上期：54.7 %）`: a bracketed past value with its unit apart. Before, 54.7
/// with no unit, the sign dropped silently.
#[test]
fn saitama_a_unit_apart_in_a_bracketed_value() {
    let v = saitama_edited(NO1_ENTRIES, "R5：65% R6：78% R7：80%（R4上期：54.7 %）");
    let b = v
        .observations
        .iter()
        .find(|o| o.initiative_no == "1" && o.kind == "baseline")
        .unwrap();
    assert_eq!((b.value, b.unit.as_deref()), (Some(54.7), Some("%")));
}

/// `R6：24 システム`: a word that is no unit of the vocabulary, apart from
/// its value, but the unit the KPI's other entries carry. Before, R6 had no
/// unit and R7 went to an indicator named `システム`.
#[test]
fn saitama_a_unit_apart_that_the_kpis_other_entries_carry() {
    assert_no15_reads_as_printed("R5：44システム R6：24 システム R7：5 システム");
}

/// `R5：44 システム` first: the unit the entries after it carry.
#[test]
fn saitama_a_first_unit_apart_that_the_later_entries_carry() {
    assert_no15_reads_as_printed("R5：44 システム R6：24システム R7：5システム");
}

/// No.15's entries, `システム` being no unit word of the vocabulary, made
/// `edited`: its targets are still 44, 24 and 5 システム.
fn assert_no15_reads_as_printed(edited: &str) {
    let v = saitama_edited("R5：44システム R6：24システム R7：5システム", edited);
    assert_eq!(
        targets(&v, "15"),
        rows("共同クラウドの新たな稼働システム数", &[44.0, 24.0, 5.0], "システム")
    );
}

/// `R6：(60)課所`: a value in brackets, provisional or a negative? Before, the
/// R6 entry was lost and R7's target went to an indicator `R6：(60)課所`,
/// nothing said. Now R6 is an ambiguous_cell warning naming the entry, not
/// read, and R5 and R7 stay under the KPI's name.
#[test]
fn saitama_a_value_in_brackets_is_said_not_read() {
    let v = saitama_edited(NO2_ENTRIES, "R5：60課所 R6：(60)課所 R7：60課所");
    let mut expected = rows(NO2, &[60.0, 60.0, 60.0], "課所");
    expected.remove(1);
    assert_eq!(targets(&v, "2"), expected);
    let cell = &v.observations.iter().find(|o| o.initiative_no == "2").unwrap().at.cell;
    let said: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("kpi-bracketed-value"))
        .map(|d| (d.at.cell.as_str(), d.arg("entry")))
        .collect();
    assert_eq!(said, [(cell.as_str(), Some("R6：(60)課所"))]);
}

/// `オフィス改革実施課所数（課所） … R5：60`: the unit written only in the name,
/// in brackets, as tables write it. Before, the values had no unit and the
/// name kept `（課所）`; now the name loses it to the values, as in a table.
#[test]
fn saitama_a_unit_in_the_kpis_name_is_its_values() {
    let printed = format!("{NO2} … {NO2_ENTRIES}");
    let v = saitama_edited(&printed, &format!("{NO2}（課所） … R5：60 R6：65 R7：70"));
    assert_eq!(targets(&v, "2"), rows(NO2, &[60.0, 65.0, 70.0], "課所"));
}

/// `R6：60 課所 … R7：60課所`: a unit word apart from its value, then a name
/// separator: the value's unit or the next KPI's name? Read as a name, as
/// before, but said.
#[test]
fn saitama_a_unit_word_before_a_name_separator_is_said() {
    let v = saitama_edited(NO2_ENTRIES, "R5：60課所 R6：60 課所 … R7：60課所");
    let names: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("kpi-name-is-unit"))
        .filter_map(|d| d.arg("name"))
        .collect();
    assert_eq!(names, ["課所"]);
}

/// `R6：60課所/年` among No.2's entries in 課所: words after the value read
/// into its unit. Before, R6 was 60 in the unit `課所/年` with no word; now
/// an `unit-differs` warning, the value kept as read (as in a table's row).
#[test]
fn saitama_a_unit_unlike_the_kpis_others_is_said() {
    let v = saitama_edited(NO2_ENTRIES, "R5：60課所 R6：60課所/年 R7：60課所");
    let odd: Vec<(Option<&str>, Option<&str>)> = common::with_case(&v, "unit-differs")
        .map(|d| (d.arg("value"), d.arg("unit")))
        .collect();
    assert_eq!(odd, [(Some("R6：60課所/年"), Some("課所/年"))]);
}

/// `R6：60課所 ※1 R7：60課所`: a footnote reference between entries. Before,
/// `※1` became a KPI of its own that took R7's target, unsaid; now it stays
/// in R6's raw text and R7 is No.2's.
#[test]
fn saitama_a_footnote_reference_between_entries_is_the_entry_befores() {
    let v = saitama_edited(NO2_ENTRIES, "R5：60課所 R6：60課所 ※1 R7：60課所");
    assert_eq!(targets(&v, "2"), rows(NO2, &[60.0, 60.0, 60.0], "課所"));
    assert!(v.indicators.iter().all(|i| !i.indicator.contains('※')));
}

/// `R5・R6・R7：60課所` (and `R5、R6、R7：`): years listed before one value,
/// each year's, as `R5～R7：各60課所` is. Before, only R7 was read; `R5・R6・`
/// stayed in the KPI's name, so it joined no other sheet's, and nothing was
/// said. Now each year has its 60 課所 under the sample's name, unsaid.
#[test]
fn saitama_years_listed_before_one_value_are_each_years() {
    for listed in ["R5・R6・R7：60課所", "R5、R6、R7：60課所"] {
        let v = saitama_edited(NO2_ENTRIES, listed);
        assert_eq!(targets(&v, "2"), rows(NO2, &[60.0, 60.0, 60.0], "課所"), "{listed}");
        let raws: Vec<&str> = v
            .observations
            .iter()
            .filter(|o| o.initiative_no == "2")
            .map(|o| o.raw.as_str())
            .collect();
        assert_eq!(raws, [listed; 3]);
        for case in ["kpi-name-holds-values", "year-range"] {
            assert_eq!(common::with_case(&v, case).count(), 0, "{listed}: {case}");
        }
    }
}

/// `オフィス改革実施課所数 … 各年度60課所`: one value for every year, with no
/// year the syntax reads. Before, it all became the KPI's name, with no row
/// and nothing said. No year is invented for it: no row still, but the name
/// is a `kpi-name-holds-values` warning naming the cell.
#[test]
fn saitama_a_value_for_each_year_without_years_is_said() {
    let v = saitama_edited(NO2_ENTRIES, "各年度60課所");
    assert_eq!(targets(&v, "2"), []);
    let cell = v.indicators.iter().find(|i| i.initiative_no == "2").map(|i| i.at.cell.clone());
    let said: Vec<(Option<&str>, String)> = common::with_case(&v, "kpi-name-holds-values")
        .map(|d| (d.arg("name"), d.at.cell.clone()))
        .collect();
    assert_eq!(said, [(Some("オフィス改革実施課所数 … 各年度60課所"), cell.unwrap())]);
}

/// `R5：0.65 R6：0.78 R7：0.8（R4上期：54.7%）`: No.1's targets typed as
/// ratios beside a baseline in %. Before, read as 0.65 with no unit and no
/// word. Now kept as typed, each an `ambiguous_cell` warning
/// (`kpi-fraction-among-percents`) naming the cell, as a table's row says it.
#[test]
fn saitama_ratios_among_a_kpis_percentages_are_said() {
    let v = saitama_edited(NO1_ENTRIES, "R5：0.65 R6：0.78 R7：0.8（R4上期：54.7%）");
    let r5 = no1(&v, 2023, "target");
    assert_eq!((r5.value, r5.unit.as_deref(), r5.status.as_str()), (Some(0.65), None, "ok"));
    let said: Vec<(Option<&str>, Option<&str>, &str)> = common::with_case(&v, "kpi-fraction-among-percents")
        .map(|d| (d.arg("entry"), d.arg("percent"), d.at.cell.as_str()))
        .collect();
    let cell = r5.at.cell.as_str();
    assert_eq!(
        said,
        [
            (Some("R5：0.65"), Some("65"), cell),
            (Some("R6：0.78"), Some("78"), cell),
            (Some("R7：0.8"), Some("80"), cell)
        ]
    );
    let sample = saitama_edited(NO1_ENTRIES, NO1_ENTRIES);
    assert_eq!(common::with_case(&sample, "kpi-fraction-among-percents").count(), 0);
}

/// An entry with its unit left off among a KPI's entries that carry one:
/// `R5：65 R6：78% R7：80%` (No.1) and `R5：60 R6：60課所 R7：60課所` (No.2).
/// Before, R5 was read as 65 (60) with no unit and no word, so no evaluation
/// took it as a percentage. Now kept as typed, an `ambiguous_cell` warning
/// (`kpi-bare-among-units`) naming the cell, as a table's row says it.
#[test]
fn saitama_an_entry_without_the_kpis_unit_is_said() {
    for (entries, edited, unit) in [
        (NO1_ENTRIES, "R5：65 R6：78% R7：80%（R4上期：54.7%）", "%"),
        (NO2_ENTRIES, "R5：60 R6：60課所 R7：60課所", "課所"),
    ] {
        let v = saitama_edited(entries, edited);
        let said: Vec<(Option<&str>, Option<&str>)> = common::with_case(&v, "kpi-bare-among-units")
            .map(|d| (d.arg("entry"), d.arg("unit")))
            .collect();
        let r5 = if unit == "%" { "R5：65" } else { "R5：60" };
        assert_eq!(said, [(Some(r5), Some(unit))], "{edited}");
        let sample = saitama_edited(entries, entries);
        assert_eq!(common::with_case(&sample, "kpi-bare-among-units").count(), 0);
    }
}

/// No.1's observations as (fy, period, kind, value, unit, raw), and every
/// diagnostic as (code, case, cell).
type No1Reading = (Vec<String>, Vec<String>);

fn no1_reading(x: &Extract) -> No1Reading {
    let obs = x
        .observations
        .iter()
        .filter(|o| o.initiative_no == "1" && o.indicator == NO1)
        .map(|o| format!("{:?} {} {} {:?} {:?} {}", o.fiscal_year, o.period, o.kind, o.value, o.unit, o.raw))
        .collect();
    let mut diags: Vec<String> = x
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {:?} {}", d.code, d.arg("case"), d.at.cell))
        .collect();
    diags.sort();
    (obs, diags)
}

/// `R7：80%【R4上期：54.7%】`: the past value in brackets other than （）.
/// Before, it was an FY2022 H1 *target* with the raw `R4上期：54.7%】`, nothing
/// said (`<…>` was removed as an HTML tag, lost unsaid). Now every pair of
/// `other_brackets` reads as （…） does: a baseline, the same rows and words.
#[test]
fn saitama_a_past_value_in_other_brackets_is_a_baseline() {
    let sample = no1_reading(&saitama_edited(NO1_ENTRIES, NO1_ENTRIES));
    assert!(
        sample
            .0
            .iter()
            .any(|o| o == r#"Some(2022) H1 baseline Some(54.7) Some("%") R4上期：54.7%"#)
    );
    for (open, close) in [
        ("【", "】"),
        ("［", "］"),
        ("[", "]"),
        ("〈", "〉"),
        ("《", "》"),
        ("〔", "〕"),
        ("＜", "＞"),
        ("<", ">"),
        ("｛", "｝"),
    ] {
        let edited = format!("R5：65% R6：78% R7：80%{open}R4上期：54.7%{close}");
        let v = saitama_edited(NO1_ENTRIES, &edited);
        assert_eq!(no1_reading(&v), sample, "{edited}");
        assert_eq!(no1_indicators(&v), no1_as_printed(), "{edited}");
    }
}

/// `R7：80%『R4上期：54.7%』` (a pair in no `other_brackets`), `【R4上期：54.7%`
/// left open, `R4上期：54.7%】` never opened: before, each was an FY2022 H1
/// target (the raw keeping a stray bracket), nothing said. Now the entry is
/// not read and is an `ambiguous_cell` warning (`kpi-stray-bracket`) naming
/// the cell and the bracket; R5–R7 stay the KPI's targets.
#[test]
fn saitama_an_unknown_or_unpaired_bracket_beside_an_entry_is_said_not_read() {
    for (edited, bracket) in [
        ("R5：65% R6：78% R7：80%『R4上期：54.7%』", "『"),
        ("R5：65% R6：78% R7：80%【R4上期：54.7%", "【"),
        ("R5：65% R6：78% R7：80% R4上期：54.7%】", "】"),
        ("R5：65% R6：78% R7：80%（R4上期：54.7%", "（"),
    ] {
        let v = saitama_edited(NO1_ENTRIES, edited);
        let r7 = no1(&v, 2025, "target");
        let fy2022: Vec<_> = v
            .observations
            .iter()
            .filter(|o| o.initiative_no == "1" && o.fiscal_year == Some(2022))
            .collect();
        assert!(fy2022.is_empty(), "{edited}: {fy2022:?}");
        let said: Vec<_> = common::with_case(&v, "kpi-stray-bracket")
            .map(|d| {
                (
                    d.at.cell.as_str(),
                    d.arg("bracket"),
                    d.arg("entry").is_some_and(|e| e.starts_with("R4上期：54.7%")),
                )
            })
            .collect();
        assert_eq!(said, [(r7.at.cell.as_str(), Some(bracket), true)], "{edited}");
        assert_eq!(no1_indicators(&v), no1_as_printed(), "{edited}");
    }
    let sample = saitama_edited(NO1_ENTRIES, NO1_ENTRIES);
    assert_eq!(common::with_case(&sample, "kpi-stray-bracket").count(), 0);
}
