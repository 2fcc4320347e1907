//! The DX 個別取組票 as division staff alter their copy, beyond the forms of
//! `tests/variants_fidelity.rs`: a memo column, a margin column, reworded
//! headers, other forms of the same values, notes in value cells, a title row
//! and reordered rows, the header's years written over each quarter, flattened
//! into one row, or over a 目標値 column before the quarters; as Shift_JIS text, as a workbook, and some saved by
//! LibreOffice as `.ods` and `.xls`. Each must give the observations and
//! indicators of the plain form (`dx_base`), and leave no value cell unread.
//! Fixtures: `tests/fixtures/variants/make_dx_more.py`.

mod common;
use common::{assert_same, indicator_key, observation_key, root};

use std::sync::OnceLock;

use torikumi::mapping::Mappings;
use torikumi::model::{Extract, Severity};
use torikumi::pipeline;
use torikumi::source::Limits;

fn mappings() -> &'static Mappings {
    static M: OnceLock<Mappings> = OnceLock::new();
    M.get_or_init(|| Mappings::load(&root().join("mappings")).expect("mappings load"))
}

fn ingest(file: &str) -> Extract {
    let path = root().join("tests/fixtures/variants").join(file);
    assert!(path.exists(), "{file} exists");
    pipeline::ingest(&[path], mappings(), &Limits::default())
}

fn base() -> &'static Extract {
    static B: OnceLock<Extract> = OnceLock::new();
    B.get_or_init(|| ingest("dx_base.sjis.txt"))
}

/// Schedule cells as (item, group, task, year, period, kind, text), sorted.
fn schedule_key(x: &Extract) -> Vec<String> {
    let mut v: Vec<String> = x
        .schedule
        .iter()
        .map(|e| {
            format!(
                "{}|{:?}|{}|{:?}|{:?}|{:?}|{}",
                e.initiative_no, e.task_group, e.task, e.fiscal_year, e.period, e.kind, e.text
            )
        })
        .collect();
    v.sort();
    v
}

/// Value cells no table took, with their addresses and text.
fn unread(x: &Extract) -> Vec<String> {
    x.diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unmapped_value")
        .map(|d| format!("{}!{} {:?}", d.at.sheet, d.at.cell, d.raw))
        .collect()
}

/// The variant gives the base's observations and indicators, every row has a
/// year, no value cell is left unread and nothing is an error.
fn assert_same_as_base(variant: &str) {
    let v = ingest(variant);
    let b = base();
    assert!(b.observations.len() > 250, "the base reads ({})", b.observations.len());
    assert_same(&observation_key(&v), &observation_key(b), &format!("{variant}: observations"));
    assert_same(&indicator_key(&v), &indicator_key(b), &format!("{variant}: indicators"));
    assert_same(&schedule_key(&v), &schedule_key(b), &format!("{variant}: schedule"));
    assert!(
        v.observations.iter().all(|o| o.fiscal_year.is_some()),
        "{variant}: a row without a year"
    );
    assert_eq!(unread(&v), Vec::<String>::new(), "{variant}: value cells NOT read");
    let errors: Vec<_> = v.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{variant}: errors {errors:#?}");
}

macro_rules! same_as_base {
    ($($name:ident => $file:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                assert_same_as_base($file);
            }
        )*
    };
}

same_as_base! {
    memo_column_text => "dx_more_memo_column.sjis.txt",
    memo_column_workbook => "dx_more_memo_column.xlsx",
    leading_column_text => "dx_more_leading_column.sjis.txt",
    leading_column_workbook => "dx_more_leading_column.xlsx",
    synonyms_text => "dx_more_synonyms.sjis.txt",
    synonyms_workbook => "dx_more_synonyms.xlsx",
    synonyms_ods => "dx_more_synonyms.ods",
    synonyms_xls => "dx_more_synonyms.xls",
    value_forms_text => "dx_more_values.sjis.txt",
    value_forms_workbook => "dx_more_values.xlsx",
    value_forms_ods => "dx_more_values.ods",
    value_forms_xls => "dx_more_values.xls",
    title_blank_and_reordered_rows_text => "dx_more_rows.sjis.txt",
    title_blank_and_reordered_rows_workbook => "dx_more_rows.xlsx",
    title_blank_and_reordered_rows_ods => "dx_more_rows.ods",
    title_blank_and_reordered_rows_xls => "dx_more_rows.xls",
    all_edits_at_once_text => "dx_more_combined.sjis.txt",
    all_edits_at_once_workbook => "dx_more_combined.xlsx",
    all_edits_at_once_ods => "dx_more_combined.ods",
    all_edits_at_once_xls => "dx_more_combined.xls",
    header_cells_broken_over_two_lines => "dx_more_line_breaks.xlsx",
    unit_column_text => "dx_more_unit_column.sjis.txt",
    unit_column_workbook => "dx_more_unit_column.xlsx",
    unit_column_ods => "dx_more_unit_column.ods",
    unit_column_xls => "dx_more_unit_column.xls",
    reworded_section_titles_without_blank_rows_text => "dx_more_compact.sjis.txt",
    reworded_section_titles_without_blank_rows_workbook => "dx_more_compact.xlsx",
    year_label_over_each_quarter_text => "dx_more_year_over_each_quarter.sjis.txt",
    year_label_over_each_quarter_workbook => "dx_more_year_over_each_quarter.xlsx",
    header_rows_flattened_into_one_text => "dx_more_flattened_header.sjis.txt",
    header_rows_flattened_into_one_workbook => "dx_more_flattened_header.xlsx",
    target_column_before_its_quarters_text => "dx_more_target_first.sjis.txt",
    target_column_before_its_quarters_workbook => "dx_more_target_first.xlsx",
    // An indicator's name wrapped onto the next row, with nothing else on it:
    // (5)① `市町村オープンデータ` / `取組率` (in the indicator table of the text,
    // the progress table of the workbook) and (1)② `…イベント申込の` / `電子化数`.
    // Before, each wrapped part was an indicator of its own with no values.
    name_wrapped_onto_the_next_row_text => "dx_name_wrapped.sjis.txt",
    name_wrapped_onto_the_next_row_workbook => "dx_name_wrapped.xlsx",
    // Two empty rows between (5)'s progress header and ①: inside the table,
    // since ① follows (before, the table ended there and 30 values were unread).
    blank_rows_after_a_progress_header => "dx_blank_rows_after_header.xlsx",
    // (5)'s 目標値 headers with a note: `目標値\n(年度末)`, `目標値（年度末）`,
    // `目標値(累計)`. Before, no column was a target and its six values were
    // unplaced_cell warnings.
    target_header_with_a_note => "dx_target_with_note.xlsx",
    // (5)'s progress header `指標項目（単位）`, ② then `…公開数（件）` with bare
    // values. Before, the table was not found and its 30 values were unread.
    unit_named_in_the_progress_header => "dx_unit_header_label.xlsx",
    // Indicators numbered (ア) / イ　… (the tables spaced differently after the
    // letter). Before, the progress rows were not joined to the indicator
    // table: 24 indicators, and the slid FY2023 targets read as Q4 actuals.
    katakana_numbering => "dx_katakana_numbering.xlsx",
}

/// Every form of the document, the base among them.
const ALL_FORMS: &[&str] = &[
    "dx_base.sjis.txt",
    "dx_base.xlsx",
    "dx_more_memo_column.sjis.txt",
    "dx_more_memo_column.xlsx",
    "dx_more_leading_column.sjis.txt",
    "dx_more_leading_column.xlsx",
    "dx_more_synonyms.sjis.txt",
    "dx_more_synonyms.xlsx",
    "dx_more_synonyms.ods",
    "dx_more_synonyms.xls",
    "dx_more_values.sjis.txt",
    "dx_more_values.xlsx",
    "dx_more_values.ods",
    "dx_more_values.xls",
    "dx_more_rows.sjis.txt",
    "dx_more_rows.xlsx",
    "dx_more_rows.ods",
    "dx_more_rows.xls",
    "dx_more_combined.sjis.txt",
    "dx_more_combined.xlsx",
    "dx_more_combined.ods",
    "dx_more_combined.xls",
    "dx_more_line_breaks.xlsx",
    "dx_more_unit_column.sjis.txt",
    "dx_more_unit_column.xlsx",
    "dx_more_unit_column.ods",
    "dx_more_unit_column.xls",
    "dx_more_year_over_each_quarter.sjis.txt",
    "dx_more_year_over_each_quarter.xlsx",
    "dx_more_flattened_header.sjis.txt",
    "dx_more_flattened_header.xlsx",
    "dx_more_target_first.sjis.txt",
    "dx_more_target_first.xlsx",
];

/// The observation of item `item`'s indicator containing `name` for (year, period, kind).
fn value_of(x: &Extract, item: &str, name: &str, fy: i32, period: &str, kind: &str) -> (Option<f64>, Option<String>, String) {
    let hits: Vec<_> = x
        .observations
        .iter()
        .filter(|o| {
            o.initiative_no == item && o.indicator.contains(name) && o.fiscal_year == Some(fy) && o.period == period && o.kind == kind
        })
        .collect();
    assert_eq!(hits.len(), 1, "one {name} {fy} {period} {kind}: {hits:#?}");
    (hits[0].value, hits[0].unit.clone(), hits[0].status.to_string())
}

/// tsulunos動画再生回数: final target 1,500万回 (15,000,000 回) for FY2023,
/// the FY2022 target 15,000,000回 and the FY2022 Q4 actual 13,936,377回, in every form.
#[test]
fn tsulunos_targets_and_actuals_in_every_form() {
    for file in ALL_FORMS {
        let x = ingest(file);
        let ind = x.indicators.iter().find(|i| i.indicator.contains("tsulunos")).expect(file);
        assert_eq!(
            (ind.final_target_value, ind.final_target_fy, ind.unit.as_deref()),
            (Some(15_000_000.0), Some(2023), Some("回")),
            "{file}"
        );
        let ok = |v: f64| (Some(v), Some("回".to_string()), "ok".to_string());
        assert_eq!(value_of(&x, "7", "tsulunos", 2022, "FY", "target"), ok(15_000_000.0), "{file}");
        assert_eq!(value_of(&x, "7", "tsulunos", 2022, "Q4", "actual"), ok(13_936_377.0), "{file}");
        assert_eq!(value_of(&x, "7", "tsulunos", 2021, "FY", "target"), ok(5_600_000.0), "{file}");
    }
}

/// Item (1) ② 電子手続及びイベント申込の電子化数 FY2022 Q4 = 1,266件 and ③
/// マイナンバーカード交付率 FY2022 target 100 %; item (3) Wi-Fi整備済み県有施設数
/// FY2021 Q1 = 22施設 (its sheet's quarters are headed 1Q … 4Q in the synonyms
/// form, 第1四半期 in the combined one); item (2) ① blank in every quarter.
#[test]
fn named_values_in_every_form() {
    for file in ALL_FORMS {
        let x = ingest(file);
        let ok = |v: f64, u: &str| (Some(v), Some(u.to_string()), "ok".to_string());
        assert_eq!(value_of(&x, "1", "電子化数", 2022, "Q4", "actual"), ok(1266.0, "件"), "{file}");
        assert_eq!(value_of(&x, "1", "交付率", 2022, "FY", "target"), ok(100.0, "%"), "{file}");
        assert_eq!(value_of(&x, "3", "Wi-Fi", 2021, "Q1", "actual"), ok(22.0, "施設"), "{file}");
        assert_eq!(value_of(&x, "1", "電子化率", 2019, "FY", "baseline"), ok(7.0, "%"), "{file}");
        let blank = value_of(&x, "2", "ペイジー", 2021, "Q2", "actual");
        assert_eq!(blank, (None, None, "blank".to_string()), "{file}");
    }
}

/// 集計中 in tsulunos' FY2023 Q3 cell is a pending row with no value, and
/// (目標達成のため削除) in 自治体クラウド等勉強会's FY2023 target cell a deleted
/// one; a note after a number keeps the number: 28.3%※ is 28.3 % (ok),
/// 1,266件(速報値) and 64.5%（暫定） are 1,266 件 and 64.5 % (approx). Every other
/// observation is the base's.
#[test]
fn notes_in_value_cells_are_statuses() {
    for file in ["dx_more_notes.sjis.txt", "dx_more_notes.xlsx"] {
        let x = ingest(file);
        let none = |status: &str| (None, None, status.to_string());
        assert_eq!(value_of(&x, "7", "tsulunos", 2023, "Q3", "actual"), none("pending"), "{file}");
        assert_eq!(value_of(&x, "10", "勉強会", 2023, "FY", "target"), none("deleted"), "{file}");
        let some = |v: f64, u: &str, status: &str| (Some(v), Some(u.to_string()), status.to_string());
        assert_eq!(value_of(&x, "1", "電子化率", 2021, "Q4", "actual"), some(28.3, "%", "ok"), "{file}");
        assert_eq!(
            value_of(&x, "1", "電子化数", 2022, "Q4", "actual"),
            some(1266.0, "件", "approx"),
            "{file}"
        );
        assert_eq!(
            value_of(&x, "1", "交付率", 2022, "Q4", "actual"),
            some(64.5, "%", "approx"),
            "{file}"
        );
        let changed = |k: &String| {
            (k.contains("tsulunos") && k.contains("Some(2023)|Q3|"))
                || (k.contains("勉強会") && k.contains("Some(2023)|FY|") && k.contains("|target|"))
                || (k.contains("電子化数") && k.contains("Some(2022)|Q4|"))
                || (k.contains("交付率") && k.contains("Some(2022)|Q4|"))
        };
        let got: Vec<String> = observation_key(&x).into_iter().filter(|k| !changed(k)).collect();
        let want: Vec<String> = observation_key(base()).into_iter().filter(|k| !changed(k)).collect();
        assert_eq!(observation_key(&x).len(), observation_key(base()).len(), "{file}: one row per cell");
        assert_same(&got, &want, &format!("{file}: the other observations"));
        assert_eq!(unread(&x), Vec::<String>::new(), "{file}: value cells NOT read");
    }
}

/// The memo columns' cells are not lost: each is in diagnostics with its text.
#[test]
fn memo_cells_are_reported() {
    let x = ingest("dx_more_memo_column.xlsx");
    for memo in ["庁内調査による", "R4年度に指標を追加"] {
        let n = x.diagnostics.iter().filter(|d| d.raw.as_deref() == Some(memo)).count();
        assert_eq!(n, 8, "{memo} once per item sheet");
    }
}

/// Quarters headed by their months (4～6月, 7～9月, 10～12月, 1～3月: the
/// fiscal year starts in April) read as 1四半期 … 4四半期.
#[test]
fn quarters_headed_by_months() {
    assert_same_as_base("dx_more_quarter_months.sjis.txt");
    assert_same_as_base("dx_more_quarter_months.xlsx");
    let x = ingest("dx_more_quarter_months.xlsx");
    let ok = |v: f64, u: &str| (Some(v), Some(u.to_string()), "ok".to_string());
    // 1～3月 of FY2022 is Q4; 10～12月 of FY2023 is Q3.
    assert_eq!(value_of(&x, "7", "tsulunos", 2022, "Q4", "actual"), ok(13_936_377.0, "回"));
    assert_eq!(value_of(&x, "7", "tsulunos", 2023, "Q3", "actual"), ok(20_074_375.0, "回"));
}

/// Quarter headers no vocabulary reads (春 夏 秋 冬) are reported cell by cell,
/// and what is read is what the base reads: nothing is guessed into a wrong
/// period (the year label above them once made the first the year's value).
#[test]
fn unreadable_quarter_headers_are_reported_not_guessed() {
    let path = root().join("tests/fixtures/variants/dx_more_quarter_months.sjis.txt");
    let bytes = std::fs::read(&path).unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    let seasons = text
        .replace("10～12月", "秋")
        .replace("4～6月", "春")
        .replace("7～9月", "夏")
        .replace("1～3月", "冬");
    assert_ne!(seasons, text, "the headers changed");
    let dir = tempfile::tempdir().unwrap();
    let variant = dir.path().join("seasons.txt");
    std::fs::write(&variant, seasons).unwrap();
    let x = pipeline::ingest(&[variant], mappings(), &Limits::default());
    let want = observation_key(base());
    let wrong: Vec<String> = observation_key(&x).into_iter().filter(|k| !want.contains(k)).collect();
    assert_eq!(wrong, Vec::<String>::new(), "rows the base does not have");
    let missing = want.len() - x.observations.len();
    let reported = x
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code.as_str(), "unplaced_cell" | "unmapped_value") && d.severity == Severity::Warning)
        .count();
    assert!(missing > 100, "the quarters are not read ({missing} rows fewer)");
    assert!(reported >= missing, "{missing} rows fewer, {reported} cells reported");
}

/// Indicators numbered 1. / 2) / １． instead of ①: the number is the
/// indicator's, the name is what follows; a decimal is no marker.
#[test]
fn indicators_numbered_with_digits() {
    let v = torikumi::mapping::vocabulary::Vocabulary::builtin().unwrap();
    let p = |s: &str| v.parse_numbered_indicator(s);
    assert_eq!(p("1. 電子化率"), Some((1, "電子化率".to_string())));
    assert_eq!(p("１．電子化率"), Some((1, "電子化率".to_string())));
    assert_eq!(p("2)件数"), Some((2, "件数".to_string())));
    assert_eq!(p("③ 交付率"), Some((3, "交付率".to_string())));
    assert_eq!(p("1.5倍"), None);
    assert_eq!(p("2023年度"), None);
    assert_eq!(p("電子化率"), None);
    let x = ingest("dx_more_synonyms.xlsx");
    let wifi = x.indicators.iter().find(|i| i.indicator.starts_with("Wi-Fi")).expect("Wi-Fi");
    assert_eq!((wifi.indicator_no, wifi.final_target_value), (Some(1), Some(31.0)));
}

/// A No. column before the first one that numbers the indicators (No. | 指標項目,
/// 1 | ①…) is read as if it were not there; before, no table was found.
#[test]
fn numbered_column_before_the_first() {
    assert_same_as_base("dx_more_numbered_column.sjis.txt");
    assert_same_as_base("dx_more_numbered_column.xlsx");
}

#[test]
fn reworded_item_and_direction_labels_are_recognised() {
    // [recognise] all_labels takes a list of wordings for one label.
    let path = root().join("tests/fixtures/variants/dx_base.sjis.txt");
    let bytes = std::fs::read(path).unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad && text.contains("取組の方向性") && text.contains("実施項目"));
    let dir = tempfile::tempdir().unwrap();
    let reworded = dir.path().join("dx_reworded_labels.txt");
    std::fs::write(&reworded, text.replace("取組の方向性", "取組方針").replace("実施項目", "取組項目")).unwrap();
    let v = pipeline::ingest(&[reworded], mappings(), &Limits::default());
    assert_eq!(observation_key(&v), observation_key(base()));
    assert_eq!(indicator_key(&v), indicator_key(base()));
    let directions = |x: &Extract| x.initiatives.iter().map(|i| i.direction.clone()).collect::<Vec<_>>();
    assert_eq!(directions(&v), directions(base()));
    assert!(directions(&v).iter().all(Option::is_some));
}

/// Baseline headers written other ways (計画策定時(R1), 基準値(R2.3末) and
/// 基準値（令和2年3月末）: both dates are the end of FY2019) and 取組所属 reworded
/// 所管課: the base's observations, and each item's divisions.
#[test]
fn baseline_headers_as_dates_or_plan_start_and_divisions_reworded() {
    let bytes = std::fs::read(root().join("tests/fixtures/variants/dx_base.sjis.txt")).unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    let mut edited = text.replace("取組所属", "所管課");
    // The first three progress tables, one header each.
    for header in ["計画策定時(R1)", "基準値(R2.3末)", "基準値（令和2年3月末）"] {
        let at = edited.find("基準年(R1) 実績値").unwrap();
        edited.replace_range(at..at + "基準年(R1) 実績値".len(), header);
    }
    assert_eq!(edited.matches("基準年(R1) 実績値").count(), 5);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dx_baselines.txt");
    std::fs::write(&path, encoding_rs::SHIFT_JIS.encode(&edited).0).unwrap();
    let v = pipeline::ingest(&[path], mappings(), &Limits::default());
    let b = base();
    assert_same(&observation_key(&v), &observation_key(b), "observations");
    assert_eq!(unread(&v), Vec::<String>::new(), "value cells NOT read");
    let divisions = |x: &Extract| {
        x.initiatives
            .iter()
            .map(|i| (i.initiative_no.clone(), i.divisions.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(divisions(&v), divisions(b));
    assert!(divisions(&v).iter().all(|(_, d)| !d.is_empty()));
}

/// The last indicator of (5)'s progress table wrapped (`②オープンデータ公開` /
/// `数`): after the last indicator, a lone word may as well be the next
/// section's title, so it is not joined; it is an `ambiguous_row` warning and
/// no indicator (before, `数` was an indicator of its own, with no values).
#[test]
fn a_wrapped_last_name_is_reported_not_made_an_indicator() {
    let v = ingest("dx_name_wrapped_last.sjis.txt");
    let warned: Vec<(&str, Option<&str>, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "ambiguous_row")
        .map(|d| (d.at.cell.as_str(), d.raw.as_deref(), d.arg("case")))
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!((warned[0].1, warned[0].2), (Some("数"), Some("name-only")));
    assert_eq!(v.indicators.len(), base().indicators.len());
    assert!(v.indicators.iter().all(|i| i.indicator != "数"));
}

/// (5)①'s FY2021 target `70%` merged over the FY2022 Q1 cell beside it
/// (G32:H32): read as the target only, with an `ambiguous_cell` warning
/// (`merged-across`) naming the region, not spread into Q1.
#[test]
fn a_progress_value_merged_over_the_next_column_is_reported() {
    let v = ingest("dx_value_merged.xlsx");
    let merged: Vec<(&str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("merged-across"))
        .map(|d| (d.at.cell.as_str(), d.arg("region")))
        .collect();
    assert_eq!(merged, [("G32", Some("G32:H32"))]);
    let (value, _, _) = value_of(&v, "5", "市町村オープンデータ取組率", 2021, "FY", "target");
    assert_eq!(value, Some(70.0));
    assert!(
        !v.observations.iter().any(|o| o.at.sheet == "(5)" && o.at.cell == "H32"),
        "nothing is read into H32"
    );
}

/// Item (1)'s indicators without numbers, the two tables spacing the names
/// differently (`優先度の高い 行政手続電子化率` / `優先度の高い行政手続電子化率`):
/// one indicator each, so the progress table's slid FY2023 target is repaired
/// by the indicator table's final target. Before, 22 indicators, and 100 % /
/// 900件 / 100 % were FY2023 Q4 actuals.
#[test]
fn unnumbered_names_spaced_differently_in_the_two_tables() {
    let v = ingest("dx_names_spaced_unnumbered.xlsx");
    assert_eq!(v.indicators.iter().filter(|i| i.initiative_no == "1").count(), 3);
    assert_eq!(value_of(&v, "1", "行政手続電子化率", 2023, "FY", "target").0, Some(100.0));
    assert_eq!(value_of(&v, "1", "電子化数", 2023, "FY", "target").0, Some(900.0));
    let q4: Vec<_> = v
        .observations
        .iter()
        .filter(|o| o.initiative_no == "1" && o.fiscal_year == Some(2023) && o.period == "Q4")
        .collect();
    assert!(q4.is_empty(), "no FY2023 Q4 actuals in (1): {q4:#?}");
}

/// The observations and indicators of the base sample, whatever else the
/// variant adds to the diagnostics.
fn assert_same_values_as_base(variant: &str) -> Extract {
    let v = ingest(variant);
    let b = base();
    assert_same(&observation_key(&v), &observation_key(b), &format!("{variant}: observations"));
    assert_same(&indicator_key(&v), &indicator_key(b), &format!("{variant}: indicators"));
    v
}

/// A 合計 row under (1)'s progress table and a 計 row under (5)'s: no
/// indicator, each cell a `row_without_indicator` warning (`total`). Before,
/// 合計 and 計 were KPIs, evaluated as achieved (FY2021 64.3 % → 66.7 %).
#[test]
fn a_totals_row_is_no_indicator() {
    let v = assert_same_values_as_base("dx_totals_row.xlsx");
    let totals: Vec<(&str, &str)> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("total"))
        .map(|d| (d.at.cell.as_str(), d.raw.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(totals.len(), 12, "{totals:?}");
    assert!(
        totals.contains(&("C43", "247件")) && totals.contains(&("B34", "90件")),
        "{totals:?}"
    );
}

/// 備考 and （注） rows under the progress tables: no indicator; their cells
/// stay in the diagnostics as cells no table holds. Before, 備考 and （注） were
/// indicators, `見込み` an actual of 備考 and `②は延べ件数` a baseline of （注）.
#[test]
fn a_notes_row_is_no_indicator() {
    let v = assert_same_values_as_base("dx_notes_row.xlsx");
    for (sheet, cell) in [("(5)", "A34"), ("(5)", "M34"), ("(1)", "A43"), ("(1)", "B43"), ("(1)", "K43")] {
        assert!(
            v.diagnostics
                .iter()
                .any(|d| d.at.sheet == sheet && d.at.cell == cell && d.code.as_str() == "unmapped"),
            "{sheet}!{cell} in the diagnostics"
        );
    }
}

/// (5)'s progress rows swapped, their numbers left: `①オープンデータ公開数`
/// holds ②'s values. Each row's values go to the indicator its name names,
/// with an `ambiguous_row` warning (`number-name`). Before, 106件 was read
/// silently as 市町村オープンデータ取組率's (a % indicator).
#[test]
fn a_row_whose_number_and_name_disagree() {
    let v = assert_same_values_as_base("dx_number_name_mismatch.xlsx");
    let cases: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("number-name"))
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(cases, ["A32", "A33"]);
    assert_eq!(
        value_of(&v, "5", "オープンデータ公開数", 2021, "Q1", "actual"),
        (Some(106.0), Some("件".into()), "ok".into())
    );
}

/// `③の出典：総務省` two rows under (1)'s progress table: a note, not ③'s row,
/// so it stays in the diagnostics (before, it was taken as ③ and was in no table).
#[test]
fn a_numbered_note_under_the_progress_table() {
    let v = assert_same_values_as_base("dx_numbered_note_below.xlsx");
    assert!(
        v.diagnostics
            .iter()
            .any(|d| d.at.sheet == "(1)" && d.at.cell == "A44" && d.code.as_str() == "unmapped"),
        "A44 in the diagnostics"
    );
}

/// (5)'s progress table gives FY2023 targets (95%, 170件) that differ from
/// the indicator table's R5 targets (100%, 179件): a `conflicting_values`
/// warning at each, naming the other cell. Before, the evaluation used 95 and
/// 170 without a word.
#[test]
fn a_final_target_that_differs_between_the_two_tables() {
    let v = ingest("dx_final_target_conflict.xlsx");
    let conflicts: Vec<(&str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "conflicting_values" && d.at.sheet == "(5)")
        .map(|d| (d.at.cell.as_str(), d.arg("other_cell")))
        .collect();
    assert_eq!(conflicts, [("Q32", Some("(5)!B9")), ("Q33", Some("(5)!B10"))]);
}

/// (5)① with two actuals typed as General fractions (E32 0.457, I32 0.629)
/// among `NN.N%` values: each an `ambiguous_cell` warning
/// (`fraction-among-percents`) giving the percentage it may be; the value is
/// kept as typed. Before, 0.457 sat silently in a series of percentages.
#[test]
fn a_fraction_typed_among_percentages() {
    let v = ingest("dx_fraction_among_percents.xlsx");
    let flagged: Vec<(&str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("fraction-among-percents"))
        .map(|d| (d.at.cell.as_str(), d.arg("percent")))
        .collect();
    assert_eq!(flagged, [("E32", Some("45.7")), ("I32", Some("62.9"))]);
    assert_eq!(
        value_of(&v, "5", "市町村オープンデータ取組率", 2021, "Q3", "actual"),
        (Some(0.457), None, "ok".into())
    );
}

/// (5)'s quarter headers written as month ends (`6月末 9月末 12月末 3月末`
/// under each year): each value AS_OF that day, in the year above it
/// (`3月末` under 令和3年度 is 2022-03-31). Before, the 22 values were
/// unplaced_cell warnings.
#[test]
fn quarter_headers_written_as_month_ends() {
    let v = ingest("dx_quarters_as_month_ends.xlsx");
    let b = base();
    assert_eq!(v.observations.len(), b.observations.len());
    assert_eq!(unread(&v), Vec::<String>::new(), "value cells NOT read");
    let at = |cell: &str| {
        let o = v.observations.iter().find(|o| o.at.sheet == "(5)" && o.at.cell == cell).unwrap();
        (o.fiscal_year, o.period.to_string(), o.as_of.map(|d| d.to_string()), o.value)
    };
    assert_eq!(at("C32"), (Some(2021), "AS_OF".into(), Some("2021-06-30".into()), Some(31.4)));
    assert_eq!(at("F32"), (Some(2021), "AS_OF".into(), Some("2022-03-31".into()), Some(48.6)));
    assert_eq!(at("O33"), (Some(2023), "AS_OF".into(), Some("2023-12-31".into()), Some(149.0)));
}

/// A progress table with a 区分 column (`make_kind_rows.py`): each
/// indicator's 目標 row holds its yearly targets and the 実績 row below it
/// (the name merged down) its baseline and actuals. Before, the 目標 rows
/// were read as actuals, silently, and the 実績 rows were not placed.
#[test]
fn progress_table_kind_column_gives_each_row_its_kind() {
    let x = ingest("dx_progress_kind_rows.xlsx");
    let name = "電子手続及びイベント申込の電子化数";
    assert_eq!(
        value_of(&x, "1", name, 2021, "FY", "target"),
        (Some(600.0), Some("件".into()), "ok".into())
    );
    assert_eq!(
        value_of(&x, "1", name, 2021, "FY", "actual"),
        (Some(809.0), Some("件".into()), "ok".into())
    );
    assert_eq!(value_of(&x, "1", name, 2019, "FY", "baseline").0, Some(235.0));
    assert_eq!(value_of(&x, "1", "行政手続電子化率", 2023, "FY", "target").0, Some(100.0));
    assert_eq!(value_of(&x, "1", "マイナンバーカード交付率", 2022, "FY", "actual").0, Some(64.5));
    let targets = x.observations.iter().filter(|o| o.kind == "target").count();
    let actuals = x.observations.iter().filter(|o| o.kind == "actual").count();
    assert_eq!((targets, actuals), (9, 6), "three targets and two actuals per indicator");
    // ③'s third row, 見込, names no kind: its cells are said, not read.
    let said: Vec<(&str, &str)> = x
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "ambiguous_cell" && d.arg("case") == Some("row-kind-unknown"))
        .map(|d| (d.at.cell.as_str(), d.raw.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(said, [("B45", "見込"), ("F45", "80.0%")]);
    assert!(!x.diagnostics.iter().any(|d| d.code.as_str() == "row_without_indicator"));
}
