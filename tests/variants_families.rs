//! The KPI list, the reform plan sheet and the Saitama programme as division
//! staff alter them (a column inserted, headers reworded with synonyms, Western
//! years, full-width digits, a unit column, rows reordered, title and blank rows,
//! 集計中 notes), each as text and as a workbook, give the observations and
//! indicators of the samples, and leave no value cell unread without a warning.
//! Fixtures: `tests/fixtures/variants/make_family_variants.py`.

mod common;
use common::{assert_same, indicator_key, observation_key, root, with_case};

use std::path::PathBuf;
use std::sync::OnceLock;

use torikumi::mapping::Mappings;
use torikumi::model::{Extract, Kind, Observation, Period, Severity, Status};
use torikumi::pipeline;
use torikumi::source::Limits;

fn mappings() -> &'static Mappings {
    static M: OnceLock<Mappings> = OnceLock::new();
    M.get_or_init(|| Mappings::load(&root().join("mappings")).expect("mappings load"))
}

fn variant(file: &str) -> PathBuf {
    root().join("tests/fixtures/variants").join(file)
}

fn sample(file: &str) -> PathBuf {
    root().join("samples").join(file)
}

fn ingest(path: PathBuf) -> Extract {
    pipeline::ingest(&[path], mappings(), &Limits::default())
}

/// A Shift_JIS sample's text, for a test to edit.
fn sample_text(file: &str) -> String {
    let bytes = std::fs::read(sample(file)).unwrap();
    encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned()
}

/// `text` (a sample as edited by a test) written as Shift_JIS and ingested.
fn ingest_text(name: &str, text: &str) -> Extract {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, encoding_rs::SHIFT_JIS.encode(text).0).unwrap();
    ingest(path)
}

/// Every sample's text with old Mac line ends (a lone CR): the sample's
/// values (before, the file was one row: a KPI list without one value read,
/// 190 cells counted as read that no table held).
#[test]
fn text_with_lone_cr_line_ends() {
    for file in [KPI_TXT, PLAN_TXT, SAITAMA_TXT, "gunma_dx_kobetsu.sjis.txt"] {
        let text = sample_text(file).replace("\r\n", "\n").replace('\n', "\r");
        let v = ingest_text(file, &text);
        let b = ingest(sample(file));
        assert_same(&observation_key(&v), &observation_key(&b), &format!("{file} with CR line ends"));
    }
}

/// The KPI list's text with its columns lined up with spaces instead of tabs
/// (a PDF extracted with its layout): not read, and the file's `no_layout`
/// warning says why (`no-tabs`) and how to extract it; other text without a
/// layout gets the plain message.
#[test]
fn text_lined_up_with_spaces_says_so() {
    let case = |v: &Extract| -> Vec<Option<String>> {
        v.diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "no_layout")
            .map(|d| d.arg("case").map(str::to_string))
            .collect()
    };
    let spaced = sample_text(KPI_TXT).replace('\t', "   ");
    assert_eq!(case(&ingest_text("spaced.sjis.txt", &spaced)), [Some("no-tabs".to_string())]);
    assert_eq!(case(&ingest_text("other.sjis.txt", "a\tb\nc\td\n")), [Some("file".to_string())]);
}

/// The DX sample's text lined up with spaces: its labels start lines, so
/// the layout is recognised, but no table's columns can be told apart and
/// nothing is read. Before, the only warnings were about item headings and
/// one unread value; now the sheet's `sheet_not_recognised` warning says
/// why (`no-tabs`). Saitama's, whose KPIs sit in single cells, still reads.
#[test]
fn a_recognised_text_lined_up_with_spaces_says_so() {
    let no_tabs = |v: &Extract| with_case(v, "no-tabs").count();
    let dx = ingest_text("spaced.sjis.txt", &sample_text("gunma_dx_kobetsu.sjis.txt").replace('\t', "   "));
    assert!(dx.observations.is_empty());
    assert_eq!(no_tabs(&dx), 1);
    let saitama = ingest_text("spaced.sjis.txt", &sample_text("saitama_program.sjis.txt").replace('\t', "    "));
    assert_eq!(
        observation_key(&saitama).len(),
        observation_key(&ingest(sample("saitama_program.sjis.txt"))).len()
    );
    assert_eq!(no_tabs(&saitama), 0);
}

/// Each `name-split` warning as (the cell's text, the name above it).
fn name_splits(v: &Extract) -> Vec<(&str, Option<&str>)> {
    with_case(v, "name-split")
        .map(|d| (d.raw.as_deref().unwrap_or(""), d.arg("above")))
        .collect()
}

/// Initiatives as (number, title, goal, divisions), sorted.
fn initiative_key(x: &Extract) -> Vec<String> {
    let mut v: Vec<String> = x
        .initiatives
        .iter()
        .map(|i| format!("{}|{}|{:?}|{:?}", i.initiative_no, i.initiative, i.goal, i.divisions))
        .collect();
    v.sort();
    v
}

/// No value cell left unread, and no warning but those the base has too.
fn assert_nothing_unread(v: &Extract, b: &Extract, what: &str) {
    let unread: u64 = v.sources.iter().map(|s| s.value_cells_unread).sum();
    assert_eq!(unread, 0, "{what}: value cells NOT read: {:#?}", v.diagnostics);
    let mut base: Vec<String> = warnings(b).into_iter().map(|(code, _)| code).collect();
    let extra: Vec<(String, String)> = warnings(v)
        .into_iter()
        .filter(|(code, _)| match base.iter().position(|c| c == code) {
            Some(k) => {
                base.remove(k);
                false
            }
            None => true,
        })
        .collect();
    assert!(extra.is_empty(), "{what}: warnings the base does not have: {extra:#?}");
}

/// (code, cell) of every warning and error.
fn warnings(x: &Extract) -> Vec<(String, String)> {
    x.diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| (format!("{:?}", d.code), d.at.cell.clone()))
        .collect()
}

/// The variant gives the base's observations, indicators and items.
fn assert_same_values(variant_file: &str, base: PathBuf) -> (Extract, Extract) {
    let (v, b) = (ingest(variant(variant_file)), ingest(base));
    assert!(b.observations.len() > 20, "the base reads ({} observations)", b.observations.len());
    assert_same(&observation_key(&v), &observation_key(&b), &format!("{variant_file}: observations"));
    assert_same(&indicator_key(&v), &indicator_key(&b), &format!("{variant_file}: indicators"));
    assert_same(&initiative_key(&v), &initiative_key(&b), &format!("{variant_file}: initiatives"));
    (v, b)
}

/// The variant gives the base's observations, indicators and items, and reads every value.
fn assert_same_as_base(variant_file: &str, base: PathBuf) -> Extract {
    let (v, b) = assert_same_values(variant_file, base);
    assert_nothing_unread(&v, &b, variant_file);
    v
}

/// The observation read from `cell` (an A1 address).
fn observation_at<'x>(x: &'x Extract, cell: &str) -> &'x Observation {
    x.observations
        .iter()
        .find(|o| o.at.cell == cell)
        .unwrap_or_else(|| panic!("no observation at {cell}"))
}

/// The one observation of item `no`'s indicator named `name` for that year, kind and period.
fn find<'x>(x: &'x Extract, no: &str, name: &str, fy: i32, kind: &str, period: &str) -> &'x Observation {
    x.observations
        .iter()
        .find(|o| o.initiative_no == no && o.indicator == name && o.fiscal_year == Some(fy) && o.kind == kind && o.period == period)
        .unwrap_or_else(|| panic!("no {kind} {period} FY{fy} of ({no}) {name}"))
}

// ----------------------------------------------------------------------------- KPI list

const KPI_XLSX: &str = "gunma_dx_kpi_list.xlsx";
const KPI_TXT: &str = "gunma_dx_kpi_list.sjis.txt";

#[test]
fn kpi_list_reworded_headers_and_inserted_column_text() {
    assert_same_as_base("kpi_reworded.sjis.txt", sample(KPI_TXT));
}

#[test]
fn kpi_list_reworded_headers_and_inserted_column_workbook() {
    let v = assert_same_as_base("kpi_reworded.xlsx", sample(KPI_XLSX));
    // 現状値（R1） is the baseline, 実績（12月末） under 令和5年度 the actual as of 2023-12-31.
    let base = find(&v, "1", "電子手続及びイベント申込の電子化数", 2019, "baseline", "FY");
    assert_eq!((base.value, base.unit.as_deref()), (Some(235.0), Some("件")));
    let dec = find(&v, "1", "電子手続及びイベント申込の電子化数", 2023, "actual", "AS_OF");
    assert_eq!(
        (dec.value, dec.as_of.map(|d| d.to_string())),
        (Some(1360.0), Some("2023-12-31".into()))
    );
    // The ※ note inside the list is no goal heading: it is reported, unmapped.
    let note = v
        .diagnostics
        .iter()
        .find(|d| d.raw.as_deref() == Some("※ (4)①は令和4年度で終了"))
        .expect("the note");
    assert_eq!((format!("{:?}", note.code), note.at.cell.as_str()), ("Unmapped".to_string(), "B19"));
}

/// A header in three rows: 令和5年度 / 実績値 / （12月末）, and 基準値 over
/// （R1）, with (年度末) notes under the other columns. Each row completes the
/// one above: 88.7 % is as of 2023-12-31 (before, a full-year actual), and the
/// baseline is FY2019 (before, 19 year_not_decoded warnings).
#[test]
fn kpi_list_header_in_three_rows() {
    let v = assert_same_as_base("kpi_header_three_rows.xlsx", sample(KPI_XLSX));
    let a = v.observations.iter().find(|o| o.at.cell == "I6").expect("I6 is read");
    assert_eq!(
        (a.period, a.as_of.map(|d| d.to_string())),
        (Period::AsOf, Some("2023-12-31".into()))
    );
}

#[test]
fn kpi_list_western_years_full_width_digits_reordered_text() {
    assert_same_as_base("kpi_western.sjis.txt", sample(KPI_TXT));
}

#[test]
fn kpi_list_western_years_full_width_digits_reordered_workbook() {
    let v = assert_same_as_base("kpi_western.xlsx", sample(KPI_XLSX));
    // １００％ under 2023年度 目標値 is the FY2023 target of 100 %.
    let t = find(&v, "1", "優先度の高い行政手続電子化率", 2023, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref(), t.raw.as_str()), (Some(100.0), Some("%"), "１００％"));
    let r = find(&v, "7", "tsulunos動画再生回数", 2022, "actual", "FY");
    assert_eq!(r.value, Some(13_936_377.0));
}

#[test]
fn kpi_list_unit_column_and_one_row_header_text() {
    assert_same_as_base("kpi_unit_column.sjis.txt", sample(KPI_TXT));
}

#[test]
fn kpi_list_unit_column_and_one_row_header_workbook() {
    let v = assert_same_as_base("kpi_unit_column.xlsx", sample(KPI_XLSX));
    // 1,266 in a row whose 単位 is 件, under 2022年度実績.
    let a = find(&v, "1", "電子手続及びイベント申込の電子化数", 2022, "actual", "FY");
    assert_eq!((a.value, a.unit.as_deref()), (Some(1266.0), Some("件")));
}

/// The unit written in the indicator's name (`①優先度の高い行政手続電子化率（％）`,
/// `②オープンデータ公開数（件）`), the row's values typed as bare numbers: the
/// names and values are the sample's (before, the unit was dropped and the
/// name kept its bracket, so the list no longer joined the per-item sheets).
#[test]
fn kpi_list_unit_in_the_indicator_name() {
    let v = assert_same_as_base("kpi_unit_in_name.xlsx", sample(KPI_XLSX));
    let a = find(&v, "1", "優先度の高い行政手続電子化率", 2022, "actual", "FY");
    assert_eq!((a.value, a.unit.as_deref(), a.raw.as_str()), (Some(84.1), Some("%"), "84.1"));
    let b = find(&v, "5", "オープンデータ公開数", 2023, "target", "FY");
    assert_eq!((b.value, b.unit.as_deref()), (Some(179.0), Some("件")));
}

/// The list's indicator header written `指標（単位）`, each name then carrying
/// its unit: read as the list with `指標` (before, no layout recognised the
/// file and its 182 cells were unmapped).
#[test]
fn kpi_list_unit_named_in_the_indicator_header() {
    let v = assert_same_as_base("kpi_unit_header_label.xlsx", sample(KPI_XLSX));
    let b = find(&v, "5", "オープンデータ公開数", 2023, "target", "FY");
    assert_eq!((b.value, b.unit.as_deref()), (Some(179.0), Some("件")));
}

/// A figure (`1,234件`) and a note (`出典：総務省調査`) typed in the item column
/// below the list: no item and no heading, so both stay in the diagnostics,
/// the figure as a value no table read. Before, each was taken as a heading
/// of items that never came, and the run looked clean.
#[test]
fn kpi_list_stray_cells_below_the_list() {
    let (v, _) = assert_same_values("kpi_stray_cells_below.xlsx", sample(KPI_XLSX));
    let left: Vec<(&str, &str, &str)> = v
        .diagnostics
        .iter()
        .filter(|d| matches!(d.at.cell.as_str(), "A25" | "A27"))
        .map(|d| (d.at.cell.as_str(), d.code.as_str(), d.raw.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        left,
        [("A25", "unmapped_value", "1,234件"), ("A27", "unmapped", "出典：総務省調査")]
    );
}

/// A 計 row inside item (4) of the list: no indicator, its eight cells
/// `row_without_indicator` warnings (before, 計 was a KPI with a final target of
/// 84件, and the FY2021 share achieved rose from 66.7 % to 68.75 %).
#[test]
fn kpi_list_subtotal_row_is_no_indicator() {
    let (v, _) = assert_same_values("kpi_subtotal_row.xlsx", sample(KPI_XLSX));
    let totals: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("total"))
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(totals, ["B18", "C18", "D18", "E18", "F18", "G18", "H18", "I18"]);
}

/// Totals rows named by their scope (部局計, 全庁計, 県全体, 総合計;
/// `make_unseen_rows.py`) are no indicators, as 合計（A＋B） already was:
/// before, each was read as a KPI with a target and an actual, silently.
#[test]
fn kpi_list_totals_named_by_scope_are_no_indicators() {
    let v = ingest(variant("kpi_total_row_wordings.xlsx"));
    let names: Vec<&str> = v.indicators.iter().map(|i| i.indicator.as_str()).collect();
    assert_eq!(names, ["県立学校", "県有施設"]);
    let totals: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("total") && d.raw.as_deref() == Some("91"))
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(totals, ["C5", "C6", "C7", "C8", "C9", "C10", "C11"]);
}

/// The kinds above the years (`目標値 | 実績値` in row 3, `令和3年度` merged
/// over both in row 4): each year's label, merged over its two columns, names
/// both. Before, the targets were read and all 57 actuals were
/// `year_not_decoded` warnings.
#[test]
fn kpi_list_kinds_above_merged_years() {
    let v = assert_same_as_base("kpi_kinds_above_years.xlsx", sample(KPI_XLSX));
    let a = find(&v, "1", "優先度の高い行政手続電子化率", 2022, "actual", "FY");
    assert_eq!(a.value, Some(84.1));
}

/// `1,266件` struck through in G6 (and a struck name in B9): the value is read
/// as the sample's and is an `ambiguous_cell` warning (`struck`), since a
/// division strikes a figure out to void it; the name, no value, is not flagged.
/// Before, nothing said so.
#[test]
fn kpi_list_struck_through_value() {
    let (v, _) = assert_same_values("kpi_struck_value.xlsx", sample(KPI_XLSX));
    let struck: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("struck"))
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(struck, ["G6"]);
}

/// ②'s name continued on a row of its own below it
/// (`②キャッシュレス決済導入施設等における` / `キャッシュレス決済比率(金額ベースの比率)`):
/// one indicator with the sample's name, not a second one with no values.
#[test]
fn kpi_list_name_continued_on_the_next_row() {
    let v = assert_same_as_base("kpi_name_wrapped.xlsx", sample(KPI_XLSX));
    assert_eq!(v.indicators.len(), 19);
}

/// The running year's actual headed with a calendar date, `実績値（2023.12.31）`
/// (the sample has `実績値（12月末）`): the values are as of that day, as the
/// sample's are; before, 2023 was read as the year and 88.7 % as FY2023's full-year actual.
#[test]
fn kpi_list_actual_dated_with_a_calendar_date() {
    let v = assert_same_as_base("kpi_dated_header.xlsx", sample(KPI_XLSX));
    let a = find(&v, "1", "優先度の高い行政手続電子化率", 2023, "actual", "AS_OF");
    assert_eq!((a.value, a.as_of.map(|d| d.to_string())), (Some(88.7), Some("2023-12-31".into())));
}

/// The list in two halves side by side: items (1)–(4) at A, (5)–(10) at L
/// with the header again at L3. Each half is a list of its own: the sample's
/// values (before, the right half's values went to the left half's
/// indicators on the same rows).
#[test]
fn kpi_list_two_lists_side_by_side() {
    let v = assert_same_as_base("kpi_two_lists_side_by_side.xlsx", sample(KPI_XLSX));
    let t = find(&v, "7", "tsulunos動画再生回数", 2023, "target", "FY");
    assert_eq!(t.value, Some(15_000_000.0));
}

#[test]
fn kpi_list_number_column_achievement_columns_footnotes_text() {
    assert_same_as_base("kpi_numbered.sjis.txt", sample(KPI_TXT));
}

#[test]
fn kpi_list_number_column_achievement_columns_footnotes_workbook() {
    let v = assert_same_as_base("kpi_numbered.xlsx", sample(KPI_XLSX));
    // 20,074,375回※ is the number with its footnote mark dropped.
    let t = find(&v, "7", "tsulunos動画再生回数", 2023, "actual", "AS_OF");
    assert_eq!(
        (t.value, t.unit.as_deref(), t.raw.as_str()),
        (Some(20_074_375.0), Some("回"), "20,074,375回※")
    );
    // The 達成率 columns are printed achievements of their year, all agreeing.
    let rate = v
        .printed_achievements
        .iter()
        .find(|p| p.initiative_no == "1" && p.indicator == "優先度の高い行政手続電子化率" && p.fiscal_year == Some(2021))
        .expect("printed 達成率 of (1)① FY2021");
    assert_eq!(rate.rate, Some(88.2));
    assert_eq!(v.printed_achievements.len(), 38);
}

/// 集計中 typed where the running year's actual is not in yet: a pending
/// observation in place of the blank; （速報値） after a value: the value,
/// approximate; everything else as the base.
#[test]
fn kpi_list_pending_and_provisional_notes() {
    for (file, base) in [("kpi_notes.sjis.txt", KPI_TXT), ("kpi_notes.xlsx", KPI_XLSX)] {
        let (v, b) = (ingest(variant(file)), ingest(sample(base)));
        let pending: Vec<&Observation> = v.observations.iter().filter(|o| o.status == "pending").collect();
        assert_eq!(pending.len(), 2, "{file}");
        for o in &pending {
            assert!(o.kind == "actual" && o.period == "AS_OF", "{file}: {o:?}");
            assert_eq!((o.fiscal_year, o.value), (Some(2023), None), "{file}");
        }
        let p = find(&v, "5", "市町村オープンデータ取組率", 2023, "actual", "AS_OF");
        assert_eq!(
            (p.value, p.unit.as_deref(), p.status.as_str()),
            (Some(71.4), Some("%"), "approx"),
            "{file}"
        );
        let changed = |x: &Extract| {
            let mut k = observation_key(x);
            k.retain(|s| {
                !(s.contains("|Some(2023)|AS_OF|")
                    && (s.contains("県民向けICT入門講座") || s.contains("規制緩和実施数") || s.contains("市町村オープンデータ取組率")))
            });
            k
        };
        assert_same(&changed(&v), &changed(&b), file);
        assert_nothing_unread(&v, &b, file);
    }
}

// ----------------------------------------------------------------------------- reform plan sheet

const PLAN_XLSX: &str = "gunma_reform_plan_sheet.xlsx";
const PLAN_TXT: &str = "gunma_reform_plan_sheet.sjis.txt";

#[test]
fn plan_labels_and_values_in_one_cell_text() {
    assert_same_as_base("plan_one_cell.sjis.txt", sample(PLAN_TXT));
}

#[test]
fn plan_labels_and_values_in_one_cell_workbook() {
    let v = assert_same_as_base("plan_one_cell.xlsx", sample(PLAN_XLSX));
    let item = &v.initiatives[0];
    assert_eq!(
        (item.initiative_no.as_str(), item.initiative.as_str()),
        ("1", "電子申請受付システム、マイナンバーカード活用")
    );
    assert_eq!(item.related_divisions, vec!["申請等手続所所属".to_string()]);
}

#[test]
fn plan_western_years_full_width_digits_text() {
    assert_same_as_base("plan_western.sjis.txt", sample(PLAN_TXT));
}

#[test]
fn plan_western_years_full_width_digits_workbook() {
    let v = assert_same_as_base("plan_western.xlsx", sample(PLAN_XLSX));
    // 【基準年】2019年度 実績 １１.３ | % is the baseline 11.3 %.
    let b = find(&v, "1", "行政手続電子化率", 2019, "baseline", "FY");
    assert_eq!((b.value, b.unit.as_deref()), (Some(11.3), Some("%")));
}

/// The same, and each 要確認 memo under the 備考 column right of the table a
/// note with its cell (`[plan_table] note_labels`), never read as a year's.
fn assert_reworded_plan(file: &str, base: &str) -> Extract {
    let (v, _) = assert_same_values(file, sample(base));
    let memos: Vec<String> = v
        .diagnostics
        .iter()
        .filter(|d| d.raw.as_deref() == Some("要確認"))
        .map(|d| format!("{:?} {:?} {}", d.severity, d.code, d.at.cell))
        .collect();
    assert_eq!(memos, ["Info Unmapped V9", "Info Unmapped V11", "Info Unmapped V13"], "{file}");
    assert_eq!(v.sources.iter().map(|s| s.value_cells_unread).sum::<u64>(), 0, "{file}");
    v
}

#[test]
fn plan_reworded_kinds_shifted_and_memo_column_text() {
    assert_reworded_plan("plan_reworded.sjis.txt", PLAN_TXT);
}

#[test]
fn plan_reworded_kinds_shifted_and_memo_column_workbook() {
    let v = assert_reworded_plan("plan_reworded.xlsx", PLAN_XLSX);
    let t = find(&v, "1", "マイナンバーカード交付率", 2021, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(67.7), Some("%")));
}

#[test]
fn plan_units_in_values_and_unprinted_achievements_text() {
    assert_same_as_base("plan_units_in_values.sjis.txt", sample(PLAN_TXT));
}

#[test]
fn plan_units_in_values_and_unprinted_achievements_workbook() {
    let v = assert_same_as_base("plan_units_in_values.xlsx", sample(PLAN_XLSX));
    let t = find(&v, "1", "行政手続及びイベント申込の電子化数", 2023, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(900.0), Some("件")));
}

/// The unit in the indicator's name (`① 行政手続電子化率（％）`), the unit cells
/// after the values cleared: each value takes the name's unit, and the name is the sample's.
#[test]
fn plan_unit_in_the_indicator_name() {
    let v = assert_same_as_base("plan_unit_in_name.xlsx", sample(PLAN_XLSX));
    let t = find(&v, "1", "行政手続及びイベント申込の電子化数", 2022, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref(), t.raw.as_str()), (Some(750.0), Some("件"), "750"));
}

/// The plan table's header written `指標項目（単位）` over names that carry
/// their unit: the sample's values (before, no layout recognised the file).
#[test]
fn plan_unit_named_in_the_indicator_header() {
    let v = assert_same_as_base("plan_unit_header_label.xlsx", sample(PLAN_XLSX));
    let t = find(&v, "1", "行政手続及びイベント申込の電子化数", 2022, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(750.0), Some("件")));
}

/// ①'s 実績 row with `30.2 %` typed under R3's target `32.1` and `80.5 %`
/// under R4's (R2 left empty): read as FY2021's and FY2022's, where they
/// stand, with an `ambiguous_row` warning (`plan-actual-aligned`). Before,
/// they were read in order as FY2020's and FY2021's, and FY2020 was
/// evaluated at 214 % achieved.
#[test]
fn plan_actuals_typed_under_their_years_targets() {
    let v = ingest(variant("plan_actual_under_its_target.xlsx"));
    assert_eq!(find(&v, "1", "行政手続電子化率", 2021, "actual", "FY").value, Some(30.2));
    assert_eq!(find(&v, "1", "行政手続電子化率", 2022, "actual", "FY").value, Some(80.5));
    assert!(
        !v.observations
            .iter()
            .any(|o| o.initiative_no == "1" && o.indicator == "行政手続電子化率" && o.fiscal_year == Some(2020) && o.kind == "actual"),
        "no FY2020 actual"
    );
    let aligned: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("plan-actual-aligned"))
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(aligned, ["J10"]);
}

/// ②'s R3 target typed the wrong way round (`件 | 600` where the sample has
/// `600 | 件`): the row's cells from there on are `unplaced_cell` warnings
/// (`unit-before-value`), not read. Before, 600 was FY2022's target, 750
/// FY2023's, and a FY2024 target of 900 appeared that nobody typed.
#[test]
fn plan_unit_typed_before_its_value() {
    let v = ingest(variant("plan_unit_before_value.xlsx"));
    let two: Vec<(i32, Option<f64>)> = v
        .observations
        .iter()
        .filter(|o| o.indicator == "行政手続及びイベント申込の電子化数" && o.kind == "target")
        .map(|o| (o.fiscal_year.unwrap_or_default(), o.value))
        .collect();
    assert_eq!(two, [(2019, None), (2020, Some(450.0))]); // the baseline year's dash, then R2
    let unread: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("unit-before-value"))
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(unread, ["J11", "K11", "L11", "M11", "N11", "O11", "P11", "Q11", "R11"]);
}

/// An empty row between the plan table's 指標項目 header and its first
/// indicator (`取組目標 | ① 行政手続電子化率 …`): the sample's values (before,
/// the table ended at the empty row and its 33 values were unread).
#[test]
fn plan_blank_row_after_the_header() {
    assert_same_as_base("plan_blank_row_after_header.xlsx", sample(PLAN_XLSX));
}

/// A 備考 column, inserted between the years (M, `R3は見込み`, `累計`) or at the
/// far right (S): its words are notes, left unmapped, not the next year's
/// value (before, 65.6 % went to FY2023 and the note became FY2022's target).
#[test]
fn plan_notes_column_between_or_after_the_years() {
    for file in ["plan_notes_column.xlsx", "plan_notes_right.xlsx"] {
        let (v, _) = assert_same_values(file, sample(PLAN_XLSX));
        let notes: Vec<(String, String)> = v
            .diagnostics
            .iter()
            .filter(|d| matches!(d.raw.as_deref(), Some("R3は見込み" | "累計")))
            .map(|d| (d.code.as_str().to_string(), d.at.cell.clone()))
            .collect();
        assert_eq!(notes.len(), 2, "{file}: {notes:?}");
        assert!(notes.iter().all(|(code, _)| code == "unmapped"), "{file}: {notes:?}");
        let t = find(&v, "1", "行政手続電子化率", 2022, "target", "FY");
        assert_eq!((t.value, t.unit.as_deref()), (Some(65.6), Some("%")), "{file}");
    }
}

/// Cells of the diagnostics whose `case` is `case`.
fn cells_of_case<'x>(x: &'x Extract, case: &str) -> Vec<&'x str> {
    x.diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some(case))
        .map(|d| d.at.cell.as_str())
        .collect()
}

/// The plan block copied below itself as item 2, values only: its 0%
/// achievement cells read `0`. Item 2 reads its years as item 1 does (J → FY2021,
/// M → FY2022, P → FY2023, with `fewer_years_than_header`), and the bare 0s read
/// as achievements are one `plan-bare-achievement` warning per row. Before,
/// each `0` was a year's target: J49's 700 went to FY2022 and M49's 750 to FY2023.
#[test]
fn plan_second_item_below_with_unformatted_achievements() {
    let v = ingest(variant("plan_second_item_below.xlsx"));
    let two = "行政手続及びイベント申込の電子化数";
    for (no, fy, value) in [
        ("1", 2021, 600.0),
        ("1", 2022, 750.0),
        ("2", 2021, 700.0),
        ("2", 2022, 750.0),
        ("2", 2023, 900.0),
    ] {
        let t = find(&v, no, two, fy, "target", "FY");
        assert_eq!((t.value, t.unit.as_deref()), (Some(value), Some("件")), "({no}) FY{fy}");
    }
    assert_eq!(find(&v, "2", "行政手続電子化率", 2021, "target", "FY").value, Some(32.1));
    assert!(
        !v.observations.iter().any(|o| o.fiscal_year == Some(2024) && o.kind == "target"),
        "no FY2024 target"
    );
    assert_eq!(cells_of_case(&v, "plan-bare-achievement"), ["I47", "I49", "I51"]);
    let fewer: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "fewer_years_than_header")
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(fewer, ["G9", "G11", "G13", "G47", "G49", "G51"]);
}

/// The plan text with its block repeated as item 2, whose 0% achievements
/// were exported without their format (`0`): item 2's targets in item 1's
/// years (before, ②'s 600 was FY2022's).
#[test]
fn plan_second_item_below_in_text() {
    let text = sample_text(PLAN_TXT);
    let block: String = text.lines().take(35).map(|l| format!("{l}\n")).collect();
    let second = block.replacen("実施項目\t1\t", "実施項目\t2\t", 1).replace("\t0%", "\t0");
    assert_ne!(second, block);
    let v = ingest_text("plan_two_items.txt", &format!("{text}\n{second}"));
    for no in ["1", "2"] {
        let t = find(&v, no, "行政手続及びイベント申込の電子化数", 2021, "target", "FY");
        assert_eq!(t.value, Some(600.0), "({no})");
        assert_eq!(
            find(&v, no, "マイナンバーカード交付率", 2023, "target", "FY").value,
            Some(100.0),
            "({no})"
        );
    }
    assert_eq!(cells_of_case(&v, "plan-bare-achievement").len(), 3);
}

// ----------------------------------------------------------------------------- Saitama programme

/// A KPI typed as a small table under 目標 (`make_unseen_rows.py`): the goal's
/// continuation takes its rows into the KPI's name, which is said at the goal;
/// each figure is now said at its own cell too (before, C8:E8 were in no
/// table and no diagnostic named them).
#[test]
fn saitama_kpi_table_under_the_goal_is_said_cell_by_cell() {
    let v = ingest(variant("saitama_kpi_table_under_goal.xlsx"));
    assert!(v.observations.is_empty(), "no entry is read: {:?}", v.observations);
    let said: Vec<(&str, &str)> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("kpi-name-holds-values"))
        .map(|d| (d.at.cell.as_str(), d.raw.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        said,
        [
            ("B6", "データ連携を進める（KPIは下表）"),
            ("C8", "300件"),
            ("D8", "400件"),
            ("E8", "500件")
        ]
    );
}

/// A 〔KPI〕 whose name a PDF line break cut (`…オープンデー` | `タ公開…`):
/// one name, as typed on one line. Before, it kept the line break, so the
/// KPI did not join the same KPI in other files.
#[test]
fn saitama_kpi_name_wrapped_is_one_line() {
    let v = ingest(variant("saitama_kpi_name_wrapped.utf8.txt"));
    let names: Vec<&str> = v.indicators.iter().map(|i| i.indicator.as_str()).collect();
    assert_eq!(names, ["県ホームページにおけるオープンデータ公開データセット数"]);
    let targets: Vec<(Option<i32>, Option<f64>)> = v.observations.iter().map(|o| (o.fiscal_year, o.value)).collect();
    assert_eq!(
        targets,
        [(Some(2023), Some(300.0)), (Some(2024), Some(400.0)), (Some(2025), Some(500.0))]
    );
}

const SAITAMA_XLSX: &str = "saitama_program.xlsx";
const SAITAMA_TXT: &str = "saitama_program.sjis.txt";

/// No.11's KPI targets written `R5：10件以上`: a lower bound, read as the value
/// and its unit (10 件), as the sample's `10件` (before, the unit was `件以上`,
/// which no actual shares, so no year could be evaluated).
#[test]
fn saitama_targets_written_as_at_least() {
    let v = assert_same_as_base("saitama_at_least.xlsx", sample(SAITAMA_XLSX));
    let t = find(&v, "11", "全庁共通GIS基盤に統合された業務数", 2023, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(10.0), Some("件")));
}

/// No.1's 〔KPI〕 typed on the line under its 目標 (as a PDF break leaves it,
/// or a division types it): the same values, each at the line it stands on
/// (B44), not the goal's cell (B43). Before, all were B43's, without a word.
#[test]
fn saitama_kpi_on_the_line_under_its_goal_is_placed_there() {
    let text = sample_text(SAITAMA_TXT);
    let goal = "を80%削減する 〔KPI〕 コピー使用量削減率";
    assert_eq!(text.matches(goal).count(), 1);
    let v = ingest_text(
        "saitama_kpi_below.txt",
        &text.replacen(goal, "を80%削減する\r\n\t〔KPI〕 コピー使用量削減率", 1),
    );
    let b = ingest(sample(SAITAMA_TXT));
    let name = "コピー使用量削減率（R元年度比）";
    let cells = |x: &Extract| -> Vec<String> {
        x.observations
            .iter()
            .filter(|o| o.indicator == name)
            .map(|o| o.at.cell.clone())
            .collect()
    };
    assert_eq!(cells(&b), ["B43"; 4]);
    assert_eq!(cells(&v), ["B44"; 4]);
    let t = find(&v, "1", name, 2023, "target", "FY");
    assert_eq!((t.value, t.raw.as_str()), (Some(65.0), "R5：65%"));
    let ind = v.indicators.iter().find(|i| i.indicator == name).unwrap();
    assert_eq!(ind.at.cell, "B44");
}

/// (kind, sheet, cell) of every `bracketed-kind` warning.
fn bracketed_kind(v: &Extract) -> Vec<(String, String)> {
    v.diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("bracketed-kind"))
        .map(|d| (d.at.sheet.clone(), d.at.cell.clone()))
        .collect()
}

/// Interim targets in brackets: No.1 `R7：80%（中間目標 R5：65% R6：78%）` are
/// targets, as the word says; No.7 `R7：45%（参考 R5：35% R6：40%）` says
/// neither, so its bracketed values are baselines with a `bracketed-kind`
/// warning. Before, both were baselines without a word.
#[test]
fn saitama_interim_targets_in_brackets() {
    let v = ingest(variant("saitama_interim_in_brackets.xlsx"));
    for (fy, value) in [(2023, 65.0), (2024, 78.0), (2025, 80.0)] {
        assert_eq!(
            find(&v, "1", "コピー使用量削減率（R元年度比）", fy, "target", "FY").value,
            Some(value),
            "FY{fy}"
        );
    }
    assert_eq!(
        find(&v, "7", "県行政手続のオンライン利用率", 2023, "baseline", "FY").value,
        Some(35.0)
    );
    assert_eq!(bracketed_kind(&v), [("No.7".to_string(), "B6".to_string())]);
}

/// `R7までに80%（R5：65%、R6：78%）`: 80 % is R7's target (before, it stayed in
/// the KPI's name and the indicator had no final target), and the two
/// bracketed values with no word are baselines with a warning.
#[test]
fn saitama_target_written_by_a_year() {
    let v = ingest(variant("saitama_target_by_year.xlsx"));
    let t = find(&v, "1", "コピー使用量削減率（R元年度比）", 2025, "target", "FY");
    assert_eq!((t.value, t.raw.as_str()), (Some(80.0), "R7までに80%"));
    let ind = v.indicators.iter().find(|i| i.initiative_no == "1").unwrap();
    assert_eq!(
        (ind.indicator.as_str(), ind.final_target_value),
        ("コピー使用量削減率（R元年度比）", Some(80.0))
    );
    assert!(bracketed_kind(&v).contains(&("No.1".to_string(), "B6".to_string())));
}

/// Items headed `No.01` … `No.31`: the same items as `No.1` … `No.31` (before,
/// `01` was another item number than the `1` a list or an earlier round gives).
#[test]
fn saitama_item_numbers_with_leading_zeros() {
    let v = assert_same_as_base("saitama_zero_padded_numbers.xlsx", sample(SAITAMA_XLSX));
    assert!(v.initiatives.iter().any(|i| i.initiative_no == "1"));
}

/// No.2's 工程 `キャビネットの縮減（R5～R6）` in a cell merged over the R5 and R6
/// columns: scheduled in both years, as the sheet draws it (before, R6 had
/// no entry and no diagnostic said so).
#[test]
fn saitama_schedule_cell_merged_over_two_years() {
    let v = ingest(variant("saitama_schedule_merged.xlsx"));
    let years: Vec<(Option<i32>, &str)> = v
        .schedule
        .iter()
        .filter(|e| e.text == "キャビネットの縮減（R5～R6）")
        .map(|e| (e.fiscal_year, e.at.cell.as_str()))
        .collect();
    assert_eq!(years, [(Some(2023), "C9"), (Some(2024), "C9")]);
    assert_eq!(v.schedule.len(), ingest(sample(SAITAMA_XLSX)).schedule.len());
}

/// No.2's KPI written `R5～R7：60課所` (the sample: `R5：60課所 R6：60課所 R7：60課所`):
/// one value for three years, without 各, may be each year's or the three
/// years' together. It is read as FY2025's only, as a period label reads a
/// range, and an `ambiguous_cell` warning (`year-range`) says so (before: silent).
#[test]
fn saitama_kpi_range_without_each_is_a_warning() {
    let text = sample_text(SAITAMA_TXT).replacen("R5：60課所 R6：60課所 R7：60課所", "R5～R7：60課所", 1);
    let v = ingest_text("saitama_range.sjis.txt", &text);
    let warned: Vec<(Option<&str>, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("year-range"))
        .map(|d| (d.arg("from"), d.arg("to")))
        .collect();
    assert_eq!(warned, [(Some("2023"), Some("2025"))]);
    let years: Vec<Option<i32>> = v
        .observations
        .iter()
        .filter(|o| o.indicator == "オフィス改革実施課所数" && o.kind == "target")
        .map(|o| o.fiscal_year)
        .collect();
    assert_eq!(years, [Some(2025)]);
}

#[test]
fn saitama_western_years_full_width_digits_text() {
    assert_same_as_base("saitama_western.sjis.txt", sample(SAITAMA_TXT));
}

#[test]
fn saitama_western_years_full_width_digits_workbook() {
    let v = assert_same_as_base("saitama_western.xlsx", sample(SAITAMA_XLSX));
    // 2023年度：６５% in the KPI of No.1 is its FY2023 target of 65 %.
    let t = find(&v, "1", "コピー使用量削減率（R元年度比）", 2023, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(65.0), Some("%")));
}

#[test]
fn saitama_reordered_with_title_and_blank_rows_text() {
    assert_same_as_base("saitama_reordered.sjis.txt", sample(SAITAMA_TXT));
}

#[test]
fn saitama_reordered_with_title_and_blank_rows_workbook() {
    let v = assert_same_as_base("saitama_reordered.xlsx", sample(SAITAMA_XLSX));
    let item = v.initiatives.iter().find(|i| i.initiative_no == "3").expect("No.3");
    assert_eq!(item.divisions, ["行政・デジタル改革課", "情報システム戦略課"]);
}

#[test]
fn saitama_kpi_on_its_own_line_joined_entries_era_names_text() {
    assert_same_as_base("saitama_kpi_forms.sjis.txt", sample(SAITAMA_TXT));
}

#[test]
fn saitama_kpi_on_its_own_line_joined_entries_era_names_workbook() {
    assert_same_as_base("saitama_kpi_forms.xlsx", sample(SAITAMA_XLSX));
}

#[test]
fn kpi_list_items_on_every_row_division_moved_both_year_forms_text() {
    assert_same_as_base("kpi_filled.sjis.txt", sample(KPI_TXT));
}

#[test]
fn kpi_list_items_on_every_row_division_moved_both_year_forms_workbook() {
    let v = assert_same_as_base("kpi_filled.xlsx", sample(KPI_XLSX));
    // Item (1) written on its three rows is one item with its three indicators.
    assert_eq!(v.initiatives.iter().filter(|i| i.initiative_no == "1").count(), 1);
    assert_eq!(v.indicators.iter().filter(|i| i.initiative_no == "1").count(), 3);
    let t = find(&v, "2", "キャッシュレス決済対応窓口数", 2023, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(5.0), Some("カ所")));
}

#[test]
fn saitama_item_numbers_written_other_ways_text() {
    assert_same_as_base("saitama_numbering.sjis.txt", sample(SAITAMA_TXT));
}

#[test]
fn saitama_item_numbers_written_other_ways_workbook() {
    let v = assert_same_as_base("saitama_numbering.xlsx", sample(SAITAMA_XLSX));
    // №2 and No．３ are items 2 and 3.
    let titles: Vec<(&str, &str)> = v
        .initiatives
        .iter()
        .take(3)
        .map(|i| (i.initiative_no.as_str(), i.initiative.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            ("1", "ペーパーレス化の更なる推進"),
            ("2", "県庁オフィス改革"),
            ("3", "デジタルツールを活用した業務効率化の推進")
        ]
    );
}

/// A column headed as estimates (実績値（見込み）, 実績見込, 速報値) holds estimates:
/// its values keep status approx, never read as final figures.
#[test]
fn kpi_list_estimate_column_is_approx() {
    let text = sample_text(KPI_TXT);
    for header in ["実績値（見込み）", "実績見込", "実績値(速報)"] {
        let edited = text.replacen("実績値（12月末）", header, 1);
        assert_ne!(edited, text);
        let v = ingest_text("kpi_estimate.txt", &edited);
        let a = find(&v, "1", "優先度の高い行政手続電子化率", 2023, "actual", "FY");
        assert_eq!((a.value, a.status.as_str()), (Some(88.7), "approx"), "{header}");
        // The earlier years' actuals stay final figures.
        let earlier = find(&v, "1", "優先度の高い行政手続電子化率", 2022, "actual", "FY");
        assert_eq!(earlier.status.as_str(), "ok", "{header}");
    }
}

/// An indicator row copied and edited (1,266件 → 1,300件 for FY2022): both rows
/// are kept and the later is a conflicting_values warning naming the first.
#[test]
fn kpi_list_row_copied_with_another_value_is_a_warning() {
    let text = sample_text(KPI_TXT);
    let row = text.lines().find(|l| l.contains("②電子手続及びイベント申込の電子化数")).unwrap();
    let copy = row.replace("1,266件", "1,300件");
    assert_ne!(copy, row);
    let edited = text.replacen(row, &format!("{row}\r\n{copy}"), 1);
    let v = ingest_text("kpi_copied_row.txt", &edited);
    let conflicts: Vec<(String, String)> = v
        .diagnostics
        .iter()
        .filter(|d| d.code == torikumi::model::DiagCode::ConflictingValues)
        .map(|d| {
            (
                d.at.cell.clone(),
                d.args
                    .iter()
                    .find(|(k, _)| k == "other_cell")
                    .map(|(_, a)| a.clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(conflicts, [("G7".to_string(), "kpi_copied_row!G6".to_string())]);
    assert!(
        ingest(sample(KPI_TXT))
            .diagnostics
            .iter()
            .all(|d| d.code != torikumi::model::DiagCode::ConflictingValues)
    );
}

/// A second list below the first, under its own header with later years
/// (令和4–6年度): its rows are read by that header, and the header is not an
/// indicator row.
#[test]
fn kpi_list_second_list_on_the_sheet_has_its_own_years() {
    let text = sample_text(KPI_TXT);
    let lines: Vec<&str> = text.lines().collect();
    let head = lines.iter().position(|l| l.starts_with("実施項目")).unwrap();
    let later = |l: &str| {
        l.replace("令和5年度", "令和6年度")
            .replace("令和4年度", "令和5年度")
            .replace("令和3年度", "令和4年度")
    };
    let second = lines.iter().position(|l| l.starts_with("(5)")).unwrap();
    let mut edited: Vec<String> = lines[..second].iter().map(|l| l.to_string()).collect();
    edited.push(String::new());
    edited.push("【参考】次期計画の指標".into());
    edited.push(later(lines[head]));
    edited.push(lines[head + 1].replace("実績値（12月末）", "実績値"));
    edited.extend(lines[second..].iter().map(|l| l.to_string()));
    let v = ingest_text("kpi_two_lists.txt", &edited.join("\r\n"));
    // (5)① 市町村オープンデータ取組率: 70% was the FY2021 target, now under 令和4年度.
    let t = find(&v, "5", "市町村オープンデータ取組率", 2022, "target", "FY");
    assert_eq!(t.value, Some(70.0));
    let a = find(&v, "5", "市町村オープンデータ取組率", 2024, "actual", "FY");
    assert_eq!(a.value, Some(71.4));
    // The items above keep the first header's years.
    let first = find(&v, "1", "優先度の高い行政手続電子化率", 2021, "target", "FY");
    assert_eq!(first.value, Some(32.1));
    assert!(
        !v.indicators.iter().any(|i| i.indicator == "指標"),
        "the header read as an indicator"
    );
    assert_nothing_unread(&v, &ingest(sample(KPI_TXT)), "two lists");
}

/// A baseline written with its year beside it (`7.0%（R2）`) is not a value:
/// kept as text, and a warning says so (no evaluation would notice it).
#[test]
fn kpi_list_baseline_with_its_year_beside_it_is_a_warning() {
    let text = sample_text(KPI_TXT);
    let edited = text.replacen("\t7.0%\t", "\t7.0%（R2）\t", 1);
    assert_ne!(edited, text);
    let v = ingest_text("kpi_baseline_year_beside.txt", &edited);
    let b = find(&v, "1", "優先度の高い行政手続電子化率", 2019, "baseline", "FY");
    assert_eq!((b.value, b.status.as_str()), (None, "text"));
    let flagged: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.args.iter().any(|(k, a)| k == "case" && a == "baseline-as-text"))
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(flagged, [b.at.cell.as_str()]);
}

#[test]
fn kpi_list_kind_over_years_text() {
    assert_same_as_base("kpi_kind_first.sjis.txt", sample(KPI_TXT));
}

#[test]
fn kpi_list_kind_over_years_workbook() {
    let v = assert_same_as_base("kpi_kind_first.xlsx", sample(KPI_XLSX));
    // 実績値 over R5.12末: the actual as of 2023-12-31.
    let a = find(&v, "5", "オープンデータ公開数", 2023, "actual", "AS_OF");
    assert_eq!((a.value, a.as_of.map(|d| d.to_string())), (Some(149.0), Some("2023-12-31".into())));
}

#[test]
fn plan_years_aligned_over_their_columns_text() {
    assert_same_as_base("plan_aligned.sjis.txt", sample(PLAN_TXT));
}

#[test]
fn plan_years_aligned_over_their_columns_workbook() {
    let v = assert_same_as_base("plan_aligned.xlsx", sample(PLAN_XLSX));
    let t = find(&v, "1", "行政手続電子化率", 2023, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(100.0), Some("%")));
}

/// A year left wholly empty in a sheet whose years stand over their own
/// columns is that year's gap: the later years keep their columns.
#[test]
fn plan_year_left_empty_keeps_later_years_in_place() {
    for file in ["plan_aligned_gap.sjis.txt", "plan_aligned_gap.xlsx"] {
        let v = ingest(variant(file));
        let name = "行政手続及びイベント申込の電子化数";
        let targets: Vec<(Option<i32>, Option<f64>)> = v
            .observations
            .iter()
            .filter(|o| o.indicator == name && o.kind == "target")
            .map(|o| (o.fiscal_year, o.value))
            .collect();
        assert_eq!(
            targets,
            [
                (Some(2019), None),
                (Some(2020), Some(450.0)),
                (Some(2022), Some(750.0)),
                (Some(2023), Some(900.0))
            ],
            "{file}"
        );
        assert_nothing_unread(&v, &ingest(sample(PLAN_TXT)), file);
    }
}

#[test]
fn plan_unit_column_text() {
    assert_same_as_base("plan_unit_column.sjis.txt", sample(PLAN_TXT));
}

#[test]
fn plan_unit_column_workbook() {
    let v = assert_same_as_base("plan_unit_column.xlsx", sample(PLAN_XLSX));
    // 450 under R2 with 件 in the 単位 column; 11.3 on the 実績 row below %.
    let t = find(&v, "1", "行政手続及びイベント申込の電子化数", 2020, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(450.0), Some("件")));
    let b = find(&v, "1", "行政手続電子化率", 2019, "baseline", "FY");
    assert_eq!((b.value, b.unit.as_deref()), (Some(11.3), Some("%")));
}

/// The 単位 column between the kind (under 年度) and the baseline, as another
/// prefecture lays it out: the unit cell is the indicator's unit, not the
/// baseline's value (before, every target moved one year later, silently).
#[test]
fn plan_unit_column_after_the_kind() {
    for file in ["plan_unit_after_kind.sjis.txt", "plan_unit_after_kind.xlsx"] {
        let v = assert_same_as_base(file, sample(PLAN_TXT));
        let t = find(&v, "1", "行政手続及びイベント申込の電子化数", 2020, "target", "FY");
        assert_eq!((t.value, t.unit.as_deref()), (Some(450.0), Some("件")), "{file}");
        let b = find(&v, "1", "行政手続電子化率", 2019, "baseline", "FY");
        assert_eq!((b.value, b.unit.as_deref()), (Some(11.3), Some("%")), "{file}");
    }
}

/// ② 行政手続及びイベント申込の電子化数 wrapped after イベント, its rest alone
/// on the row before its 実績 row: joined, the sample's observations. Before,
/// its 12 values went to 行政手続及びイベント, said only at the wrapped rest.
#[test]
fn plan_name_wrapped_onto_the_next_row() {
    for file in ["plan_name_wrapped.sjis.txt", "plan_name_wrapped.xlsx"] {
        assert_same_as_base(file, sample(PLAN_TXT));
    }
}

/// With a unit column each year is value | 達成率, two columns: a year left
/// empty is a two-column gap, and the later years stay under their labels.
/// The `.ods` and `.xls` are the workbook saved by LibreOffice.
#[test]
fn plan_unit_column_year_left_empty_keeps_later_years_in_place() {
    for file in [
        "plan_unit_column_gap.sjis.txt",
        "plan_unit_column_gap.xlsx",
        "plan_unit_column_gap.ods",
        "plan_unit_column_gap.xls",
    ] {
        let v = ingest(variant(file));
        let name = "行政手続及びイベント申込の電子化数";
        let targets: Vec<(Option<i32>, Option<f64>, Option<&str>)> = v
            .observations
            .iter()
            .filter(|o| o.indicator == name && o.kind == "target")
            .map(|o| (o.fiscal_year, o.value, o.unit.as_deref()))
            .collect();
        assert_eq!(
            targets,
            [
                (Some(2019), None, None),
                (Some(2020), Some(450.0), Some("件")),
                (Some(2022), Some(750.0), Some("件")),
                (Some(2023), Some(900.0), Some("件"))
            ],
            "{file}"
        );
        assert_nothing_unread(&v, &ingest(sample(PLAN_TXT)), file);
    }
}

/// Units typed into the values and every empty cell of the 目標 rows dropped,
/// as extraction drops them: the kind lands under 年度 and the achievements by
/// chance under the year labels (`0%` under R2). Packed cells are not read by
/// column; the observations are the sample's.
#[test]
fn plan_fully_packed_target_rows_are_not_read_by_chance_columns() {
    let text = sample_text(PLAN_TXT);
    let pack = |line: &str| -> String {
        let cells: Vec<&str> = line.split('\t').collect();
        let Some(k) = cells.iter().position(|c| *c == "目標").filter(|&k| k > 2) else {
            return line.to_string();
        };
        let mut out: Vec<String> = cells[..k].iter().filter(|c| !c.is_empty()).map(|c| c.to_string()).collect();
        if cells[0].is_empty() {
            out.insert(0, String::new());
        }
        for c in cells[k..].iter().filter(|c| !c.is_empty()) {
            match out.last_mut() {
                // A unit typed into its value: 14.1 | % → 14.1%.
                Some(last) if ["%", "件"].contains(c) => last.push_str(c),
                _ => out.push(c.to_string()),
            }
        }
        out.join("\t")
    };
    let packed: Vec<String> = text.lines().map(pack).collect();
    let packed = packed.join("\r\n");
    assert!(packed.contains("① 行政手続電子化率\t1\t目標\t―\t14.1%\t0%\t32.1%\t0%"), "{packed}");
    let (v, b) = (ingest_text("plan_packed.txt", &packed), ingest(sample(PLAN_TXT)));
    assert_same(&observation_key(&v), &observation_key(&b), "packed: observations");
    let t = find(&v, "1", "行政手続電子化率", 2021, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(32.1), Some("%")));
}

/// A 目標 or 実績 line broken in two by extraction between a value and its
/// unit (`… 0% | 32.1` / `% | 0% | 65.6 …`): the rest of the line is said
/// (`plan-no-kind`), but the value before the break lost its unit silently
/// (J9 read as 32.1 with no unit). It is still read, with an ambiguous_cell
/// warning (`unit-on-next-line`) naming its cell.
#[test]
fn plan_text_line_broken_before_a_unit() {
    let text = sample_text(PLAN_TXT);
    let unit_warnings = |x: &Extract| -> Vec<(String, String)> {
        with_case(x, "unit-on-next-line")
            .map(|d| (d.at.cell.clone(), d.raw.clone().unwrap_or_default()))
            .collect()
    };
    assert_eq!(unit_warnings(&ingest(sample(PLAN_TXT))), []);
    for (line, broken, cell, raw) in [
        ("\t0%\t32.1\t%\t0%\t", "\t0%\t32.1\n%\t0%\t", "J9", "32.1"),
        ("\t実績\t11.3\t%\t", "\t実績\t11.3\n%\t", "F10", "11.3"),
    ] {
        assert_eq!(text.matches(line).count(), 1, "{line}");
        let v = ingest_text("plan_broken_line.txt", &text.replacen(line, broken, 1));
        let o = v.observations.iter().find(|o| o.at.cell == cell).expect("read");
        assert_eq!((o.value, o.unit.as_deref()), (raw.parse().ok(), None), "{cell}");
        assert_eq!(unit_warnings(&v), [(cell.to_string(), raw.to_string())], "{cell}");
    }
}

/// A dash or 達成 where a year's 達成率 goes (after value | unit) is that
/// year's achievement, not the next year's target: nothing shifts.
#[test]
fn plan_achievement_written_as_a_dash_or_a_word_text() {
    assert_same_as_base("plan_achievement_marks.sjis.txt", sample(PLAN_TXT));
}

#[test]
fn plan_achievement_written_as_a_dash_or_a_word_workbook() {
    let v = assert_same_as_base("plan_achievement_marks.xlsx", sample(PLAN_XLSX));
    let t = find(&v, "1", "マイナンバーカード交付率", 2021, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(67.7), Some("%")));
    let printed: Vec<_> = v.printed_achievements.iter().filter(|p| p.raw == "達成").collect();
    assert_eq!(printed.len(), 1);
    assert_eq!(
        (printed[0].indicator.as_str(), printed[0].fiscal_year),
        ("マイナンバーカード交付率", Some(2020))
    );
}

/// 0.321 typed in a 0.0% cell with the % cell kept beside it: the % cell is
/// the value's own unit, not the next year's value.
#[test]
fn plan_ratios_in_percent_cells_beside_their_unit_cells() {
    let v = assert_same_as_base("plan_ratio_cells.xlsx", sample(PLAN_XLSX));
    let t = find(&v, "1", "行政手続電子化率", 2021, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(32.1), Some("%")));
}

/// (cell, targets found, last year read) of each fewer_years_than_header warning.
fn fewer_years(x: &Extract) -> Vec<(String, String, String)> {
    let arg =
        |d: &torikumi::model::Diagnostic, key: &str| d.args.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    x.diagnostics
        .iter()
        .filter(|d| d.code == torikumi::model::DiagCode::FewerYearsThanHeader)
        .map(|d| (d.at.cell.clone(), arg(d, "found"), arg(d, "fy_to")))
        .collect()
}

/// The document's own 目標 rows hold four targets under R2 … R6, packed by
/// extraction: which year is empty cannot be told. They are read in order
/// (R2–R5) and each row says so; a sheet whose years stand over their own
/// columns shows the empty year, and is read without the warning.
#[test]
fn plan_packed_target_row_shorter_than_its_header_is_a_warning() {
    for file in [PLAN_TXT, PLAN_XLSX] {
        let s = ingest(sample(file));
        let expected: Vec<(String, String, String)> = ["G9", "G11", "G13"]
            .iter()
            .map(|c| (c.to_string(), "4".into(), "2023".into()))
            .collect();
        assert_eq!(fewer_years(&s), expected, "{file}");
        let t = find(&s, "1", "行政手続電子化率", 2023, "target", "FY");
        assert_eq!(t.value, Some(100.0), "{file}: read in order");
        assert!(
            !s.observations
                .iter()
                .any(|o| o.indicator == "行政手続電子化率" && o.fiscal_year == Some(2024))
        );
    }
    assert_eq!(fewer_years(&ingest(variant("plan_aligned.xlsx"))), []);

    // ②'s 600 件 0% dropped from the middle as extraction drops empty cells:
    // three targets for five years, the warning naming FY2020–FY2022.
    let text = sample_text(PLAN_TXT);
    let packed = text.replace("\t450\t件\t0%\t600\t件\t0%\t", "\t450\t件\t0%\t");
    assert_ne!(packed, text);
    let v = ingest_text("plan_packed_gap.txt", &packed);
    assert!(
        fewer_years(&v).contains(&("G11".into(), "3".into(), "2022".into())),
        "{:#?}",
        fewer_years(&v)
    );
}

#[test]
fn plan_headers_in_full_era_form_text() {
    assert_same_as_base("plan_era_headers.sjis.txt", sample(PLAN_TXT));
}

#[test]
fn plan_headers_in_full_era_form_workbook() {
    let v = assert_same_as_base("plan_era_headers.xlsx", sample(PLAN_XLSX));
    // 基準値(令和元年度) is the baseline column as 【基準年】R元 is.
    let b = find(&v, "1", "電子申請受付システム利用件数", 2019, "baseline", "FY");
    assert_eq!((b.value, b.unit.as_deref()), (Some(21001.0), Some("件")));
}

#[test]
fn kpi_list_baseline_year_in_its_own_column_text() {
    assert_same_as_base("kpi_baseline_year.sjis.txt", sample(KPI_TXT));
}

#[test]
fn kpi_list_baseline_year_in_its_own_column_workbook() {
    let v = assert_same_as_base("kpi_baseline_year.xlsx", sample(KPI_XLSX));
    // 基準年度 R1 | 基準値 19施設: the FY2019 baseline.
    let b = find(&v, "3", "Wi-Fi整備済み県有施設数", 2019, "baseline", "FY");
    assert_eq!((b.value, b.unit.as_deref()), (Some(19.0), Some("施設")));
}

#[test]
fn saitama_kpi_marker_spelt_other_ways_text() {
    // The sample with 〔KPI〕 typed as divisions also type it (`other_markers`).
    let bytes = std::fs::read(sample(SAITAMA_TXT)).unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad && text.contains("〔KPI〕"));
    let base = ingest(sample(SAITAMA_TXT));
    let dir = tempfile::tempdir().unwrap();
    for (k, marker) in ["【KPI】", "［KPI］", "<KPI>"].into_iter().enumerate() {
        let path = dir.path().join(format!("saitama_marker_{k}.txt"));
        std::fs::write(&path, text.replace("〔KPI〕", marker)).unwrap();
        let v = ingest(path);
        assert_same(&observation_key(&v), &observation_key(&base), &format!("{marker}: observations"));
        assert_nothing_unread(&v, &base, marker);
        let t = find(&v, "1", "コピー使用量削減率（R元年度比）", 2023, "target", "FY");
        assert_eq!((t.value, t.unit.as_deref()), (Some(65.0), Some("%")), "{marker}");
    }
}

/// The sample's KPIs as divisions also write them: a word between the year
/// and its value (`R4上期実績：`, `R3見込：` approx), `（累計）` after a value,
/// and `R5～R7：各60課所` for the same target each year. Each reads as the
/// sample's entry, but for the kind its word names (`R4上期実績`: the actual
/// of that half year, no longer a baseline); a KPI written `R5 65%` (no
/// separator) is a warning naming it, not values hidden in the indicator's name.
#[test]
fn saitama_kpi_entries_written_other_ways() {
    let text = sample_text(SAITAMA_TXT);
    let edits = [
        ("R7：80%（R4上期：54.7%）", "R7：80%（R4上期実績：54.7%）"),
        ("R7：45%（R3：28.3%）", "R7：45%（R3見込：28.3%）"),
        ("R6：3,300人 R7：3,600人", "R6：3,300人（累計） R7：3,600人（累計）"),
        ("R5：60課所 R6：60課所 R7：60課所", "R5～R7：各60課所"),
    ];
    let mut edited = text.to_string();
    for (from, to) in edits {
        assert!(edited.contains(from), "{from}");
        edited = edited.replacen(from, to, 1);
    }
    let (v, b) = (ingest_text("saitama_kpi_forms.txt", &edited), ingest(sample(SAITAMA_TXT)));
    // The same entries: only their printed text (raw) and one status differ.
    let key = |x: &Extract| -> Vec<String> {
        let mut k: Vec<String> = x
            .observations
            .iter()
            .map(|o| {
                format!(
                    "{}|{}|{:?}|{}|{:?}|{:?}",
                    o.initiative_no, o.indicator, o.fiscal_year, o.kind, o.value, o.unit
                )
            })
            .collect();
        k.sort();
        k
    };
    let labelled = "1|コピー使用量削減率（R元年度比）|Some(2022)|";
    let mut expected = key(&b);
    for k in expected.iter_mut().filter(|k| k.starts_with(labelled)) {
        *k = k.replacen("|baseline|", "|actual|", 1);
    }
    expected.sort();
    assert_same(&key(&v), &expected, "observations");
    assert_eq!(
        find(&v, "1", "コピー使用量削減率（R元年度比）", 2022, "actual", "H1").value,
        Some(54.7)
    );
    assert_same(&indicator_key(&v), &indicator_key(&b), "indicators");
    assert_nothing_unread(&v, &b, "KPI forms");
    let estimate = find(&v, "7", "県行政手続のオンライン利用率", 2021, "baseline", "FY");
    assert_eq!((estimate.value, estimate.status.as_str()), (Some(28.3), "approx"));
    let each = find(&v, "2", "オフィス改革実施課所数", 2024, "target", "FY");
    assert_eq!((each.value, each.raw.as_str()), (Some(60.0), "R5～R7：各60課所"));

    // No separator between year and value: said, with the name it is left in.
    let spaced = text.replacen("R5：65% R6：78% R7：80%", "R5 65% R6 78% R7 80%", 1);
    let v = ingest_text("saitama_kpi_spaced.txt", &spaced);
    let flagged: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.args.iter().any(|(k, a)| k == "case" && a == "kpi-name-holds-values"))
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(flagged.len(), 1, "{:#?}", v.diagnostics);
}

#[test]
fn saitama_kpi_marker_spelt_an_unknown_way_is_a_warning_not_silence() {
    // ≪KPI≫ is in no mapping: its KPIs stay the goal's text, and each such
    // goal cell is an ambiguous_cell warning naming the marker expected.
    let text = sample_text(SAITAMA_TXT);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saitama_unknown_marker.txt");
    std::fs::write(&path, text.replace("〔KPI〕", "≪KPI≫")).unwrap();
    let v = ingest(path);
    let flagged: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.args.iter().any(|(k, a)| k == "case" && a == "kpi-without-marker"))
        .map(|d| d.raw.as_deref().unwrap_or(""))
        .collect();
    let base = ingest(sample(SAITAMA_TXT));
    let goals_with_kpis = base
        .indicators
        .iter()
        .map(|i| &i.initiative_no)
        .collect::<std::collections::HashSet<_>>()
        .len();
    assert!(
        flagged.len() >= goals_with_kpis,
        "{} flagged for {goals_with_kpis} items with KPIs",
        flagged.len()
    );
    assert!(flagged.iter().any(|r| r.contains("≪KPI≫ コピー使用量削減率")), "{flagged:#?}");
}

#[test]
fn plan_reworded_item_and_related_division_labels_text() {
    // 実施項目 → 取組項目 and 関係所属 → 関係課: the wordings listed in the mapping's
    // [recognise] all_labels and fields; the sheet reads as the sample does.
    let bytes = std::fs::read(sample(PLAN_TXT)).unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad && text.contains("実施項目") && text.contains("関係所属"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan_reworded_labels.txt");
    std::fs::write(&path, text.replace("実施項目", "取組項目").replace("関係所属", "関係課")).unwrap();
    let (v, b) = (ingest(path), ingest(sample(PLAN_TXT)));
    assert_same(&observation_key(&v), &observation_key(&b), "observations");
    assert_same(&indicator_key(&v), &indicator_key(&b), "indicators");
    assert_same(&initiative_key(&v), &initiative_key(&b), "initiatives");
    assert_nothing_unread(&v, &b, "plan_reworded_labels");
    assert!(
        v.initiatives.iter().all(|i| !i.related_divisions.is_empty()),
        "{:#?}",
        v.initiatives
    );
}

/// The sample's text with `edit` applied, written as `name` in a temporary folder.
fn edited_sample(sample_file: &str, name: &str, edit: impl Fn(&str) -> String) -> (tempfile::TempDir, PathBuf) {
    let bytes = std::fs::read(sample(sample_file)).unwrap();
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad, "{sample_file} decodes");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing in {sample_file}");
    std::fs::write(&path, edited).unwrap();
    (dir, path)
}

/// Each line starting with `label` and a tab starts with `other` instead.
fn relabel_lines(text: &str, label: &str, other: &str) -> String {
    let from = format!("{label}\t");
    text.split('\n')
        .map(|l| match l.strip_prefix(&from) {
            Some(rest) => format!("{other}\t{rest}"),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn plan_indicator_header_reworded_text() {
    // 指標項目 → 成果指標 / 指標名: the plan table's header, listed in the mapping's
    // [recognise] all_labels and [plan_table] header_labels.
    let base = ingest(sample(PLAN_TXT));
    assert!(!base.observations.is_empty());
    for other in ["成果指標", "指標名"] {
        let (_dir, path) = edited_sample(PLAN_TXT, "plan_indicator_header.txt", |t| t.replace("指標項目", other));
        let v = ingest(path);
        assert_same(&observation_key(&v), &observation_key(&base), other);
        assert_same(&indicator_key(&v), &indicator_key(&base), other);
        assert_nothing_unread(&v, &base, other);
    }
}

#[test]
fn saitama_labels_reworded_text() {
    // 取組内容 → 取組の内容, 目標 → 取組目標, 工程 → 工程表: each wording is in the
    // mapping's [recognise] all_labels, its field's labels and the schedule's header.
    let base = ingest(sample(SAITAMA_TXT));
    let (_dir, path) = edited_sample(SAITAMA_TXT, "saitama_reworded_labels.txt", |t| {
        let t = relabel_lines(t, "取組内容", "取組の内容");
        let t = relabel_lines(&t, "目標", "取組目標");
        relabel_lines(&t, "工程", "工程表")
    });
    let v = ingest(path);
    assert_same(&observation_key(&v), &observation_key(&base), "observations");
    assert_same(&indicator_key(&v), &indicator_key(&base), "indicators");
    assert_same(&initiative_key(&v), &initiative_key(&base), "initiatives");
    assert_eq!(v.schedule.len(), base.schedule.len(), "schedule rows");
    assert_nothing_unread(&v, &base, "saitama_reworded_labels");
    let t = find(&v, "1", "コピー使用量削減率（R元年度比）", 2023, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(65.0), Some("%")));
}

/// Text from a PDF whose extraction dropped an empty quarter in the middle of
/// a row (`235件 247件 476件 714件` → `235件 247件 714件`, one field fewer than
/// its header): every later value would sit one column left (714 as Q2, the
/// R3 target 600 as Q4). The row is not read; each of its 14 cells is an
/// ambiguous_cell warning, and every other row reads as in the sample.
#[test]
fn dx_text_row_that_lost_a_cell_is_not_placed_by_column() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    assert_eq!(text.matches("235件\t247件\t476件\t714件").count(), 1);
    let edited = text.replacen("235件\t247件\t476件\t714件", "235件\t247件\t714件", 1);
    let (v, b) = (
        ingest_text("dx_dropped_mid.txt", &edited),
        ingest(sample("gunma_dx_kobetsu.sjis.txt")),
    );
    let is_row = |o: &&Observation| o.indicator.contains("電子手続及びイベント申込の電子化数") && o.initiative_no == "1";
    // 15 cells: R5's Q4 is empty and its target slid into Q4's place (repaired).
    assert_eq!(b.observations.iter().filter(is_row).count(), 15);
    assert_eq!(v.observations.iter().filter(is_row).count(), 0, "the shifted row was read");
    let short: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.code == torikumi::model::DiagCode::AmbiguousCell && d.arg("case") == Some("row-short"))
        .collect();
    assert_eq!(short.len(), 14, "{short:#?}");
    assert_eq!(short[0].raw.as_deref(), Some("235件"));
    let rest = |x: &Extract| -> Vec<String> {
        let key = |o: &Observation| {
            format!(
                "{} {} {:?} {:?} {:?} {:?} {:?} {}",
                o.initiative_no, o.indicator, o.fiscal_year, o.period, o.kind, o.value, o.unit, o.at.cell
            )
        };
        let mut k: Vec<String> = x.observations.iter().filter(|o| !is_row(o)).map(key).collect();
        k.sort();
        k
    };
    assert_eq!(rest(&v), rest(&b));
}

/// A quarter's actual typed with 、 for the decimal point (８、６% for 8.6%):
/// no evaluation reads a quarter, so it would have stayed text without a word.
/// It is kept as text and is an ambiguous_cell warning naming its cell.
#[test]
fn dx_number_typed_with_a_comma_for_a_decimal_is_a_warning() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    assert_eq!(text.matches("\t8.3%\t8.6%\t").count(), 1);
    let edited = text.replacen("\t8.3%\t8.6%\t", "\t8.3%\t８、６%\t", 1);
    let v = ingest_text("dx_comma_decimal.txt", &edited);
    let o = v.observations.iter().find(|o| o.raw == "８、６%").expect("kept");
    assert_eq!((o.value, o.status.as_str()), (None, "text"));
    let warned: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("number-as-text"))
        .map(|d| d.at.cell.clone())
        .collect();
    assert_eq!(warned, std::slice::from_ref(&o.at.cell));
}

/// A quarter's actual written as a word of the status vocabulary: not yet
/// known (`調査中`, `未確定`, `公表前`) is pending, as `集計中` is; not
/// applicable (`該当なし`, `N/A`) and the kanji `一` typed for a dash are
/// blank, as `—` is. Before, each was status `text` with no word said.
#[test]
fn dx_status_words_in_a_value_cell_are_statuses() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    assert_eq!(text.matches("\t8.3%\t8.6%\t").count(), 1);
    let words = [
        ("調査中", "pending"),
        ("未確定", "pending"),
        ("公表前", "pending"),
        ("該当なし", "blank"),
        ("N/A", "blank"),
        ("一", "blank"),
    ];
    for (word, status) in words {
        let edited = text.replacen("\t8.3%\t8.6%\t", &format!("\t8.3%\t{word}\t"), 1);
        let v = ingest_text("dx_status_word.txt", &edited);
        let o = v.observations.iter().find(|o| o.raw == word).expect("kept");
        assert_eq!((o.value, o.status.as_str()), (None, status), "{word}");
        assert_eq!(
            (o.fiscal_year, o.period.to_string(), o.kind.as_str()),
            (Some(2021), "Q2".to_string(), "actual"),
            "{word}"
        );
    }
}

/// A word the vocabulary does not know where an indicator's numbers go: a
/// quarter's actual typed `未定`, `検討中`, `○` or `済`, and the indicator
/// table's final target typed `検討中`. Before, each was status `text` with
/// no word said (no evaluation reads a quarter). Each is kept as typed and is
/// an ambiguous_cell warning (`word-as-value`) naming its cell and text; the
/// status words stay silent, and so does the sample's indicator whose values
/// are all words (a phase: 見直し方針の検討).
#[test]
fn dx_unknown_word_in_a_value_cell_is_a_warning() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let word_warnings = |x: &Extract| -> Vec<(String, String)> {
        with_case(x, "word-as-value")
            .map(|d| (d.at.cell.clone(), d.raw.clone().unwrap_or_default()))
            .collect()
    };
    assert_eq!(word_warnings(&ingest(sample("gunma_dx_kobetsu.sjis.txt"))), []);
    assert_eq!(text.matches("\t8.3%\t8.6%\t").count(), 1);
    for word in ["未定", "検討中", "○", "済"] {
        let edited = text.replacen("\t8.3%\t8.6%\t", &format!("\t8.3%\t{word}\t"), 1);
        let v = ingest_text("dx_unknown_word.txt", &edited);
        let o = v.observations.iter().find(|o| o.raw == word).expect("kept");
        assert_eq!((o.value, o.status.as_str(), o.at.cell.as_str()), (None, "text", "D71"), "{word}");
        assert_eq!(word_warnings(&v), [("D71".to_string(), word.to_string())], "{word}");
    }
    for word in ["集計中", "調査中", "—", "該当なし"] {
        let edited = text.replacen("\t8.3%\t8.6%\t", &format!("\t8.3%\t{word}\t"), 1);
        assert_eq!(word_warnings(&ingest_text("dx_status_word.txt", &edited)), [], "{word}");
    }
    let target = "① 優先度の高い行政手続電子化率\t100%";
    assert_eq!(text.matches(target).count(), 1);
    let edited = text.replacen(target, "① 優先度の高い行政手続電子化率\t検討中", 1);
    let v = ingest_text("dx_unknown_word_target.txt", &edited);
    assert_eq!(word_warnings(&v), [("B40".to_string(), "検討中".to_string())]);
}

/// Saitama text whose PDF line break put `〔KPI〕 …` on a line of its own, one
/// column right of 目標: the line continues the goal (`continuation`), so
/// the sample's 87 observations are read (before, 7 values were lost with
/// only info notices). With the KPI's values on a row of their own under a
/// `〔KPI〕` cell, which no field reads, the values are a warning, not info.
#[test]
fn saitama_kpi_on_a_line_of_its_own() {
    let text = sample_text(SAITAMA_TXT);
    let split = |line: &str, joint: &str| {
        let (goal, kpi) = line.split_once(" 〔KPI〕").unwrap();
        format!("{goal}\r\n{joint}〔KPI〕{kpi}")
    };
    let first = text
        .lines()
        .find(|l| l.starts_with("目標\t") && l.contains("〔KPI〕 コピー"))
        .unwrap();
    let (v, b) = (
        ingest_text("saitama_kpi_line.txt", &text.replacen(first, &split(first, "\t"), 1)),
        ingest(sample(SAITAMA_TXT)),
    );
    assert_same(&observation_key(&v), &observation_key(&b), "KPI on a line of its own");
    assert_nothing_unread(&v, &b, "KPI on a line of its own");
    // 〔KPI〕 as a label of its own in column A: not a field, so loud.
    let (goal, kpi) = first.split_once(" 〔KPI〕").unwrap();
    let own_row = format!("{goal}\r\n〔KPI〕\t{}", kpi.trim());
    let w = ingest_text("saitama_kpi_row.txt", &text.replacen(first, &own_row, 1));
    let unread: u64 = w.sources.iter().map(|s| s.value_cells_unread).sum();
    assert_eq!(
        unread,
        1,
        "{:#?}",
        w.diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "unmapped_value")
            .collect::<Vec<_>>()
    );
}

/// `item_heading_missing` warnings as (case, cell, item).
fn heading_missing(x: &Extract) -> Vec<(String, String, String)> {
    x.diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "item_heading_missing")
        .map(|d| {
            let arg = |k: &str| d.arg(k).unwrap_or_default().to_string();
            (arg("case"), d.at.cell.clone(), arg("item"))
        })
        .collect()
}

/// Saitama item headings written `【No.1】…`, `取組番号 2 …`, `［No.3］ …`: the
/// sample's items and values (before, No.1's rows were read by no item and
/// No.2's 工程 was credited to No.1 with no word).
#[test]
fn saitama_item_headings_in_brackets_or_as_torikumi_bango() {
    let text = sample_text(SAITAMA_TXT)
        .replacen("## No.1 ", "## 【No.1】", 1)
        .replacen("## No.2 ", "## 取組番号 2 ", 1)
        .replacen("### No.3 ", "### ［No.3］ ", 1);
    let (v, b) = (ingest_text("saitama_headings.txt", &text), ingest(sample(SAITAMA_TXT)));
    assert_same(&observation_key(&v), &observation_key(&b), "bracketed headings: observations");
    assert_same(&initiative_key(&v), &initiative_key(&b), "bracketed headings: initiatives");
    assert_eq!(v.schedule.len(), b.schedule.len());
    assert_nothing_unread(&v, &b, "bracketed headings");
}

/// A Saitama item split in parts, headed `No.2-2 …`, `No.2－2 …` or `No.2-① …`:
/// an item numbered `2-2` (`2-1` for ①) with No.2's KPI and its three
/// targets. Before, such a heading was no item: No.2's fields stood inside
/// No.1 (`item_heading_missing`) and its targets were not read; a workbook
/// sheet of its own was `sheet_not_recognised`, its targets lost.
#[test]
fn saitama_sub_numbered_items() {
    let text = sample_text(SAITAMA_TXT);
    let b = ingest(sample(SAITAMA_TXT));
    let tasks = |x: &Extract, no: &str| x.schedule.iter().filter(|e| e.initiative_no == no).count();
    for (heading, no) in [("## No.2-2 ", "2-2"), ("## No.2－2 ", "2-2"), ("## No.2-① ", "2-1")] {
        let v = ingest_text("saitama_sub_item.txt", &text.replacen("## No.2 ", heading, 1));
        let item = v.initiatives.iter().find(|i| i.initiative_no == no);
        assert_eq!(item.map(|i| i.initiative.as_str()), Some("県庁オフィス改革"), "{heading}");
        for fy in 2023..=2025 {
            let t = find(&v, no, "オフィス改革実施課所数", fy, "target", "FY");
            assert_eq!(
                (t.value, t.unit.as_deref(), t.at.cell.as_str()),
                (Some(60.0), Some("課所"), "B54"),
                "{heading} FY{fy}"
            );
        }
        assert_eq!(tasks(&v, no), tasks(&b, "2"), "{heading}");
        assert!(heading_missing(&v).is_empty(), "{heading}: {:?}", heading_missing(&v));
        assert_eq!(v.observations.len(), b.observations.len(), "{heading}");
    }
}

/// A Saitama sheet in which no item heading is recognised (every `No.`
/// written `■`): its `sheet_not_recognised` warning says how an item starts
/// in words, the mapping's `anchor_description`, in Japanese and English.
/// Before, both printed the anchor's regular expression
/// (`^[#＃\s]*[【\[［]?\s*(?:(?i:no)…`).
#[test]
fn saitama_no_item_message_says_the_heading_in_words() {
    use torikumi::mapping::messages::{Lang, Messages};
    let v = ingest_text("saitama_no_item.txt", &sample_text(SAITAMA_TXT).replace("No.", "■"));
    let d = v
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "sheet_not_recognised")
        .expect("sheet_not_recognised");
    assert_eq!(d.arg("case"), Some("no-item"));
    let words = "No.1、【No.1】、№1、取組番号1、枝番の No.2-2 のような番号と、続く取組項目名";
    assert_eq!(d.arg("anchor"), Some(words));
    for lang in [Lang::Ja, Lang::En] {
        let m = Messages::built_in().render(lang, d.code, &d.args);
        assert!(m.contains(words) && !m.contains("(?") && !m.contains("[0-9"), "{m}");
    }
}

/// No.2's heading written in a form no mapping knows (`■2 県庁オフィス改革`):
/// its 担当課 / 取組内容 / 目標 / 工程 come again inside No.1. Before, No.2's
/// 工程 rows were No.1's with no word; now an `item_heading_missing` warning
/// at its 担当課 cell, none of its rows credited to No.1, its values loud.
#[test]
fn saitama_unknown_item_heading_inside_an_item_is_loud() {
    let text = sample_text(SAITAMA_TXT).replacen("## No.2 ", "## ■2 ", 1);
    let (v, b) = (ingest_text("saitama_unknown_heading.txt", &text), ingest(sample(SAITAMA_TXT)));
    let warned = heading_missing(&v);
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!((warned[0].0.as_str(), warned[0].2.as_str()), ("inside", "1"));
    let schedule_of = |x: &Extract, no: &str| x.schedule.iter().filter(|e| e.initiative_no == no).count();
    assert_eq!(schedule_of(&v, "1"), schedule_of(&b, "1"));
    assert_eq!(schedule_of(&v, "2"), 0);
    assert!(!v.schedule.iter().any(|e| e.task.contains("複合機の縮減")));
    let unread: u64 = v.sources.iter().map(|s| s.value_cells_unread).sum();
    assert!(unread >= 3, "No.2's KPIs and 60課所 cells are loud ({unread})");
}

/// The first item's heading in an unknown form (`## 1 ペーパーレス化…`): its
/// fields stand before any item; one `item_heading_missing` warning
/// (`before-first`) at its 担当課 cell.
#[test]
fn saitama_unknown_first_item_heading_is_loud() {
    let text = sample_text(SAITAMA_TXT).replacen("## No.1 ", "## 1 ", 1);
    let v = ingest_text("saitama_unknown_first.txt", &text);
    let warned = heading_missing(&v);
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0].0, "before-first");
    let raw = v
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "item_heading_missing")
        .and_then(|d| d.raw.clone())
        .unwrap();
    assert!(raw.starts_with("担当課"), "{raw}");
    assert!(!v.initiatives.iter().any(|i| i.initiative_no == "1"));
}

/// A DX item whose 実施項目 is reworded (`施策名 (2) …`): its 目標 / 改革 /
/// 取組の方向性 / 取組所属 and its tables come again inside item (1). Before,
/// item (2)'s 45 values were item (1)'s (90 observations, with conflicting
/// values); now (1) keeps exactly its own, and the rest is loud.
#[test]
fn dx_unknown_item_heading_inside_an_item_is_loud() {
    let file = "gunma_dx_kobetsu.sjis.txt";
    let text = sample_text(file).replacen("実施項目\t(2) ", "施策名\t(2) ", 1);
    let (v, b) = (ingest_text("dx_unknown_heading.txt", &text), ingest(sample(file)));
    let warned = heading_missing(&v);
    assert_eq!(warned, [("inside".to_string(), "A75".to_string(), "1".to_string())]);
    let of = |x: &Extract, no: &str| x.observations.iter().filter(|o| o.initiative_no == no).count();
    assert_eq!((of(&v, "1"), of(&b, "1")), (45, 45));
    assert_eq!(of(&v, "2"), 0);
    assert!(!v.diagnostics.iter().any(|d| d.code.as_str() == "conflicting_values"));
    let unread: u64 = v.sources.iter().map(|s| s.value_cells_unread).sum();
    assert!(unread >= 20, "item (2)'s values are loud ({unread})");
}

/// (case, cell) of the `row-short` / `row-long` warnings.
fn misaligned_rows(x: &Extract) -> Vec<(String, String)> {
    x.diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "ambiguous_cell")
        .filter_map(|d| {
            let case = d.arg("case")?;
            case.starts_with("row-").then(|| (case.to_string(), d.at.cell.clone()))
        })
        .collect()
}

/// KPI list text whose Wi-Fi line lost a tab (`19施設 25施設` in one field)
/// or gained an empty field: read in order, every later value was a year
/// off (FY2022 target 29 for 28, the final target 35 for 31; or 35施設 as
/// the item's division) with `check` saying ok. Now none of the line's values
/// is read, each an `ambiguous_cell` warning; the other lines are the sample's.
#[test]
fn kpi_list_text_line_with_a_field_lost_or_added() {
    let text = sample_text(KPI_TXT);
    let base = ingest(sample(KPI_TXT));
    let wifi = |x: &Extract| x.observations.iter().filter(|o| o.indicator.contains("Wi-Fi")).count();
    assert_eq!(wifi(&base), 7);
    for (case, from, to) in [
        ("row-short", "19施設\t25施設", "19施設 25施設"),
        ("row-long", "\t25施設\t25施設\t", "\t25施設\t\t25施設\t"),
    ] {
        let v = ingest_text("kpi_misaligned.txt", &text.replacen(from, to, 1));
        assert_eq!(wifi(&v), 0, "{case}: no value of the line read");
        let flagged = misaligned_rows(&v);
        assert!(
            flagged.len() >= 6 && flagged.iter().all(|(c, cell)| c == case && cell.ends_with("11")),
            "{flagged:?}"
        );
        assert_eq!(v.observations.len(), base.observations.len() - 7, "{case}");
        assert!(!v.initiatives.iter().any(|i| i.divisions.iter().any(|d| d.contains("施設"))));
    }
}

/// The DX progress line of ② with `1,266件` split by extraction into
/// `1,266 | 件`: read in order, 2023's quarters were 750 / 696 / 1,081 /
/// 1,360 (each one column off) with only a `not_evaluable` note. Now its
/// values are `row-long` warnings, not read; the other indicators keep theirs.
#[test]
fn dx_progress_text_line_with_a_split_cell() {
    let file = "gunma_dx_kobetsu.sjis.txt";
    let v = ingest_text("dx_split_cell.txt", &sample_text(file).replacen("\t1,266件\t", "\t1,266\t件\t", 1));
    let b = ingest(sample(file));
    let flagged = misaligned_rows(&v);
    assert!(flagged.len() >= 15 && flagged.iter().all(|(c, _)| c == "row-long"), "{flagged:?}");
    let progress = |x: &Extract, name: &str| {
        x.observations
            .iter()
            .filter(|o| o.initiative_no == "1" && o.indicator == name && o.kind == "actual")
            .count()
    };
    assert_eq!(progress(&v, "電子手続及びイベント申込の電子化数"), 0);
    assert_eq!(
        progress(&v, "優先度の高い行政手続電子化率"),
        progress(&b, "優先度の高い行政手続電子化率")
    );
}

/// The DX progress line of ② broken after its ninth value (`1,004件` ends
/// one line, `1,266件 | 750件 …` starts the next): neither part is read, and
/// the second is no indicator named `1,266件` (before, it was one, its cell
/// taken as a name and so in no diagnostic).
#[test]
fn dx_progress_text_line_broken_in_two() {
    let file = "gunma_dx_kobetsu.sjis.txt";
    let text = sample_text(file).replacen("\t1,004件\t1,266件\t", "\t1,004件\r\n1,266件\t", 1);
    let v = ingest_text("dx_broken_line.txt", &text);
    assert!(!v.indicators.iter().any(|i| i.indicator.contains("1,266")));
    let flagged = misaligned_rows(&v);
    assert!(flagged.iter().any(|(c, _)| c == "row-short"), "{flagged:?}");
    assert!(v.diagnostics.iter().any(|d| d.raw.as_deref() == Some("1,266件")));
    let second = v
        .observations
        .iter()
        .filter(|o| o.indicator == "電子手続及びイベント申込の電子化数" && o.kind == "actual")
        .count();
    assert_eq!(second, 0);
}

/// Codes of the warnings, sorted and counted.
fn warning_codes(x: &Extract) -> Vec<String> {
    let mut v: Vec<String> = warnings(x).into_iter().map(|(code, _)| code).collect();
    v.sort();
    v
}

/// A template's example sheet beside the live one (`記入例`, a copy of (1)
/// with ○○ names; `記入上の注意` with an example list row): before, it was
/// read as data (a 9th initiative with 45 observations; initiative 99 with 7)
/// and `check` said ok. Now the file gives the sample's tables, and one
/// `example_sheet` warning names the sheet.
#[test]
fn example_sheets_are_not_read_as_data() {
    for (file, base) in [
        ("dx_example_sheet.xlsx", "gunma_dx_kobetsu.xlsx"),
        ("kpi_instructions_sheet.xlsx", KPI_XLSX),
    ] {
        let (v, b) = assert_same_values(file, sample(base));
        let example: Vec<&str> = v
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "example_sheet")
            .map(|d| d.at.sheet.as_str())
            .collect();
        assert_eq!(example.len(), 1, "{file}");
        assert!(["記入例", "記入上の注意"].contains(&example[0]), "{example:?}");
        let mut expected = warning_codes(&b);
        expected.push("ExampleSheet".to_string());
        expected.sort();
        assert_eq!(warning_codes(&v), expected, "{file}: no other warning");
    }
}

/// Example sheets a template carries that no example word names (probe
/// s15, B5): sheets `見本` and `サンプル (2)` (the mark set apart in the
/// name), `(8)` whose title cell says `【記入例】…`, `(9)` whose item title
/// starts `（例）`, `(11)` whose item title is a ○○ placeholder. Before, each
/// was read as data (45 observations each, with no warning). Now each is one
/// `example_sheet` warning, at the cell that says so, nothing of them is in
/// the tables, and the workbook reads as the sample.
#[test]
fn example_sheets_by_mark_title_or_item_are_not_read() {
    let (v, b) = assert_same_values("dx_unnamed_examples.xlsx", sample("gunma_dx_kobetsu.xlsx"));
    let mut example: Vec<(&str, Option<&str>, &str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "example_sheet")
        .map(|d| (d.at.sheet.as_str(), d.arg("case"), d.at.cell.as_str(), d.raw.as_deref()))
        .collect();
    example.sort();
    let title = "【記入例】目標1 デジタルトランスフォーメーション等による新しい行政の確立";
    assert_eq!(
        example,
        [
            ("(11)", Some("item"), "B4", Some("(11) ○○の推進")),
            ("(8)", Some("title"), "A1", Some(title)),
            ("(9)", Some("item"), "B4", Some("（例）電子申請受付システムの導入")),
            ("サンプル (2)", Some("name"), "", None),
            ("見本", Some("name"), "", None),
        ]
    );
    let examples = ["(11)", "(8)", "(9)", "サンプル (2)", "見本"];
    let from_example = |sheet: &str| examples.contains(&sheet);
    assert!(!v.observations.iter().any(|o| from_example(&o.at.sheet)));
    assert!(!v.schedule.iter().any(|s| from_example(&s.at.sheet)));
    let mut expected = warning_codes(&b);
    expected.extend(["ExampleSheet"; 5].map(String::from));
    expected.sort();
    assert_eq!(warning_codes(&v), expected, "no other warning");
}

/// (1)'s indicator ③ left with a template's placeholder name (`③○○率`) and
/// figures typed under it: before, an indicator ○○率 with 16 observations
/// and no warning. Now no indicator is made of its rows: every cell of them
/// is a `row_without_indicator` warning (`placeholder`) naming the name, and
/// the other indicators read as the sample.
#[test]
fn placeholder_indicator_names_are_not_read() {
    let v = ingest(variant("dx_placeholder_names.xlsx"));
    let mut b = ingest(sample("gunma_dx_kobetsu.xlsx"));
    let third = |sheet: &str, item: &str, no: Option<i32>| sheet == "(1)" && item == "1" && no == Some(3);
    b.observations.retain(|o| !third(&o.at.sheet, &o.initiative_no, o.indicator_no));
    b.indicators.retain(|i| !third(&i.at.sheet, &i.initiative_no, i.indicator_no));
    assert_same(&observation_key(&v), &observation_key(&b), "observations");
    assert_same(&indicator_key(&v), &indicator_key(&b), "indicators");
    assert!(!v.observations.iter().any(|o| o.indicator.contains("○○")));
    let mut set_aside: Vec<(&str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "row_without_indicator" && d.arg("case") == Some("placeholder"))
        .map(|d| (d.at.cell.as_str(), d.arg("label")))
        .collect();
    set_aside.sort();
    let mut cells: Vec<String> = ["A11", "B11"].map(String::from).to_vec();
    cells.extend(('A'..='P').map(|c| format!("{c}42")));
    cells.sort();
    let label = |cell: &str| if cell.ends_with("11") { "③ ○○率" } else { "③○○率" };
    let want: Vec<(&str, Option<&str>)> = cells.iter().map(|c| (c.as_str(), Some(label(c)))).collect();
    assert_eq!(set_aside, want);
}

/// The cells of `x`'s diagnostics of `code` and `case`, sorted.
fn cells_said(x: &Extract, code: &str, case: &str) -> Vec<String> {
    let mut v: Vec<String> = x
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code && d.arg("case") == Some(case))
        .map(|d| d.at.cell.clone())
        .collect();
    v.sort();
    v
}

/// The plan's indicator ② left a placeholder (`② ○○件数`) with its figures:
/// before, an indicator ○○件数 with 6 observations and no warning. Now its
/// 目標 and 実績 rows are `row_without_indicator` warnings (`placeholder`),
/// cell by cell, and the other indicators read as the sample.
#[test]
fn plan_placeholder_indicator_name_is_not_read() {
    let text = sample_text(PLAN_TXT).replacen("② 行政手続及びイベント申込の電子化数", "② ○○件数", 1);
    let v = ingest_text("plan_placeholder.sjis.txt", &text);
    let mut b = ingest(sample(PLAN_TXT));
    b.observations.retain(|o| o.indicator_no != Some(2));
    assert_same(&observation_key(&v), &observation_key(&b), "observations");
    let mut want: Vec<String> = "BCEFGHIJKLMNOPQR".chars().map(|c| format!("{c}11")).collect();
    want.extend(["E12", "F12", "G12"].map(String::from));
    want.sort();
    assert_eq!(cells_said(&v, "row_without_indicator", "placeholder"), want);
}

/// A KPI list's item (2) titled `(例) ○○の推進` (a template's example item):
/// before, an item with 14 observations. Now its first row is
/// `row_without_indicator` warnings (`example`), and its rows below, which
/// have no item cell of their own, are not credited to item (1) above it:
/// their values are said (`list`), unplaced.
#[test]
fn kpi_list_example_item_is_not_read() {
    let text = sample_text(KPI_TXT).replacen(
        "(2) 県への支払い方法の多様化(キャッシュレス導入、コンビニ納付等)",
        "(例) ○○の推進",
        1,
    );
    let v = ingest_text("kpi_example_item.sjis.txt", &text);
    let mut b = ingest(sample(KPI_TXT));
    b.observations.retain(|o| o.initiative_no != "2");
    assert_same(&observation_key(&v), &observation_key(&b), "observations");
    let row8: Vec<String> = "ABCDEFGHIJ".chars().map(|c| format!("{c}8")).collect();
    assert_eq!(cells_said(&v, "row_without_indicator", "example"), row8);
    let unplaced = cells_said(&v, "row_without_indicator", "list");
    let mut want: Vec<String> = "CDEFGHI".chars().flat_map(|c| [format!("{c}9"), format!("{c}10")]).collect();
    want.sort();
    assert_eq!(unplaced, want);
}

/// A Saitama KPI named with a placeholder (`〔KPI〕 ○○率 … R5：65%`): no
/// table row to set aside, so its values are read, and an `ambiguous_cell`
/// warning (`placeholder-name`) at the 目標 cell names it. Before: silent.
#[test]
fn saitama_placeholder_kpi_name_is_said() {
    let text = sample_text(SAITAMA_TXT).replacen("コピー使用量削減率（R元年度比）", "○○率", 1);
    let v = ingest_text("saitama_placeholder.sjis.txt", &text);
    let said: Vec<(&str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "ambiguous_cell" && d.arg("case") == Some("placeholder-name"))
        .map(|d| (d.at.cell.as_str(), d.arg("name")))
        .collect();
    assert_eq!(said, [("B43", Some("○○率"))]);
    let target = find(&v, "1", "○○率", 2023, "target", "FY");
    assert_eq!((target.value, target.unit.as_deref()), (Some(65.0), Some("%")));
}

/// A red `（記入例）` row in a table (`（記入例）④○○件数 | 10件 | 12件` under ③ of
/// the DX progress table; `（記入例）| ①○○件数 | 10件 …` above the KPI list's
/// first item): before, an indicator (and in the list an item) of its own
/// with its values. Now its cells are `row_without_indicator` warnings
/// (`example`) and the tables are the sample's.
#[test]
fn example_rows_are_not_read_as_data() {
    for (file, base, cells) in [
        ("dx_example_row.xlsx", "gunma_dx_kobetsu.xlsx", 3),
        ("kpi_example_row.xlsx", KPI_XLSX, 10),
    ] {
        let (v, _) = assert_same_values(file, sample(base));
        let example = v
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "row_without_indicator" && d.arg("case") == Some("example"))
            .count();
        assert_eq!(example, cells, "{file}");
        assert!(!v.indicators.iter().any(|i| i.indicator.contains("○○")));
    }
}

/// The KPI list's FY2023 target of Wi-Fi typed as a word or a range
/// (`検討中`, `31～33施設`): the indicator's final target is FY2023's, with no
/// value and its text. Before, it fell back to FY2022's 28施設 without a word,
/// a final target the sheet does not state. The sample's qualitative
/// 「アナログ規制の見直し」作業フェーズ likewise has FY2023's text as its final target.
#[test]
fn kpi_list_final_target_in_words_is_not_an_earlier_number() {
    let text = sample_text(KPI_TXT);
    for word in ["検討中", "31～33施設"] {
        let v = ingest_text(
            "kpi_final_words.txt",
            &text.replacen("\t29施設\t31施設\t", &format!("\t29施設\t{word}\t"), 1),
        );
        let ind = v.indicators.iter().find(|i| i.indicator.contains("Wi-Fi")).unwrap();
        assert_eq!(
            (ind.final_target_value, ind.final_target_fy, ind.final_target_raw.as_deref()),
            (None, Some(2023), Some(word))
        );
    }
    let b = ingest(sample(KPI_XLSX));
    let phase = b.indicators.iter().find(|i| i.indicator.contains("作業フェーズ")).unwrap();
    assert_eq!((phase.final_target_value, phase.final_target_fy), (None, Some(2023)));
}

/// The one observation of DX item (1)'s indicator named `name` for that year, kind and period.
fn dx1<'x>(x: &'x Extract, name: &str, fy: i32, kind: &str, period: &str) -> Option<&'x Observation> {
    x.observations
        .iter()
        .find(|o| o.initiative_no == "1" && o.indicator == name && o.fiscal_year == Some(fy) && o.kind == kind && o.period == period)
}

/// Notes written around a DX value. `(速報値)88.7%` and `【見込】1,081件`
/// before the value are provisional figures, as `88.7%（速報値）` is (before:
/// text, with no word, so the evaluation took Q2's 88.2 %). `900件（累計）` as
/// the indicator table's final target is 900 (before: no final target, and
/// the slid FY2023 target 900件 became a Q4 actual). `R5.12末時点 88.7%` stays
/// text, now an `ambiguous_cell` warning (`number-in-text`).
#[test]
fn dx_values_with_notes_around_them() {
    let file = "gunma_dx_kobetsu.sjis.txt";
    let text = sample_text(file);
    const RATE: &str = "優先度の高い行政手続電子化率";
    const COUNT: &str = "電子手続及びイベント申込の電子化数";
    let v = ingest_text(
        "dx_notes_around.txt",
        &text
            .replacen("\t88.2%\t88.7%\t", "\t88.2%\t(速報値)88.7%\t", 1)
            .replacen("\t696件\t1,081件\t", "\t696件\t【見込】1,081件\t", 1)
            .replacen("電子化数\t900件", "電子化数\t900件（累計）", 1),
    );
    let q3 = dx1(&v, RATE, 2023, "actual", "Q3").unwrap();
    assert_eq!(
        (q3.value, q3.unit.as_deref(), q3.status.as_str()),
        (Some(88.7), Some("%"), "approx")
    );
    let q2 = dx1(&v, COUNT, 2023, "actual", "Q2").unwrap();
    assert_eq!((q2.value, q2.status.as_str()), (Some(1081.0), "approx"));
    let ind = v
        .indicators
        .iter()
        .find(|i| i.initiative_no == "1" && i.indicator == COUNT)
        .unwrap();
    assert_eq!((ind.final_target_value, ind.final_target_fy), (Some(900.0), Some(2023)));
    assert_eq!(dx1(&v, COUNT, 2023, "target", "FY").and_then(|o| o.value), Some(900.0));
    assert!(dx1(&v, COUNT, 2023, "actual", "Q4").is_none());

    let w = ingest_text(
        "dx_asof_in_value.txt",
        &text.replacen("\t88.2%\t88.7%\t", "\t88.2%\tR5.12末時点 88.7%\t", 1),
    );
    let cases: Vec<&str> = w
        .diagnostics
        .iter()
        .filter(|d| d.raw.as_deref() == Some("R5.12末時点 88.7%"))
        .filter_map(|d| d.arg("case"))
        .collect();
    assert_eq!(cases, ["number-in-text"]);
}

/// Saitama No.2's 工程 headed `R5年度上期 | R5年度下期 | R6年度`: the first two
/// columns are FY2023's halves (H1, H2). Before, both were FY2023 as a whole,
/// the half dropped, so one task had two FY2023 rows.
#[test]
fn saitama_schedule_headed_by_half_years() {
    let text = sample_text(SAITAMA_TXT);
    let at = text.find("## No.2 ").unwrap();
    let (head, tail) = text.split_at(at);
    let tail = tail.replacen("R5年度\tR6年度\tR7年度", "R5年度上期\tR5年度下期\tR6年度", 1);
    let v = ingest_text("saitama_halves.txt", &format!("{head}{tail}"));
    let periods: Vec<(Option<i32>, String)> = v
        .schedule
        .iter()
        .filter(|e| e.initiative_no == "2" && e.task.contains("クリエイティブスペース"))
        .map(|e| (e.fiscal_year, e.period.as_str().to_string()))
        .collect();
    assert_eq!(
        periods,
        [
            (Some(2023), "H1".to_string()),
            (Some(2023), "H2".to_string()),
            (Some(2024), "FY".to_string())
        ]
    );
}

/// ③'s FY2023 Q3 typed `77.4` into its `0.0%` cell, which shows 7740.0 %
/// beside 69.2 % and 76.6 %: read as the sheet shows it, and now an
/// `ambiguous_cell` warning (`whole-in-percent-cell`) naming 77.4. Before,
/// nothing said so, and the year was evaluated achieved at 7740 %.
#[test]
fn dx_whole_number_typed_into_a_percent_cell() {
    let v = ingest(variant("dx_whole_in_percent_cell.xlsx"));
    let o = dx1(&v, "マイナンバーカード交付率", 2023, "actual", "Q3").unwrap();
    assert_eq!((o.value, o.at.cell.as_str()), (Some(7740.0), "O42"));
    let flagged: Vec<(&str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("whole-in-percent-cell"))
        .map(|d| (d.at.cell.as_str(), d.arg("typed")))
        .collect();
    assert_eq!(flagged, [("O42", Some("77.4"))]);
    let b = ingest(sample("gunma_dx_kobetsu.xlsx"));
    assert!(!b.diagnostics.iter().any(|d| d.arg("case") == Some("whole-in-percent-cell")));
}

/// An old indicator row (`④旧：電子申請件数（R3まで）`, three values) hidden
/// under ③ instead of deleted: still read, as a hidden sheet is, and now one
/// `ambiguous_row` warning (`hidden`) at its first cell. Before, an active
/// indicator with three observations and no word.
#[test]
fn dx_hidden_row_read_is_said() {
    let v = ingest(variant("dx_hidden_old_row.xlsx"));
    let flagged: Vec<(&str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "ambiguous_row" && d.arg("case") == Some("hidden"))
        .map(|d| (d.at.cell.as_str(), d.arg("cells")))
        .collect();
    assert_eq!(flagged, [("A43", Some("3"))]);
    assert!(v.indicators.iter().any(|i| i.indicator.contains("旧")));
    let b = ingest(sample("gunma_dx_kobetsu.xlsx"));
    assert!(!b.diagnostics.iter().any(|d| d.arg("case") == Some("hidden")));
}

/// The plan table with `△` as ①'s R3 achievement, and `調査中` / `未定` where
/// ③'s R4 and ②'s R5 targets go, their unit cells kept. Before, △ was read
/// as ①'s FY2022 target and 調査中's `%` as ③'s FY2023 target, every later
/// target a year late and a FY2024 target (100, 900) invented. Now each
/// year keeps the sample's place: the words are those years' targets, as
/// text, and △ is ①'s printed FY2021 achievement.
#[test]
fn plan_marks_and_words_keep_the_years_in_place() {
    let (v, b) = (ingest(variant("plan_marks_and_words.xlsx")), ingest(sample(PLAN_XLSX)));
    let key = |x: &Extract| -> Vec<String> {
        let mut k: Vec<String> = x
            .observations
            .iter()
            .map(|o| format!("{}|{:?}|{}|{}", o.indicator, o.fiscal_year, o.kind, o.at.cell))
            .collect();
        k.sort();
        k
    };
    assert_same(&key(&v), &key(&b), "plan marks and words: each value's year and cell");
    assert!(!v.observations.iter().any(|o| o.fiscal_year == Some(2024)));
    let word = |cell: &str| v.observations.iter().find(|o| o.at.cell == cell).map(|o| (o.raw.as_str(), o.value));
    assert_eq!(word("M13"), Some(("調査中", None)));
    assert_eq!(word("P11"), Some(("未定", None)));
    assert!(v.printed_achievements.iter().any(|p| p.raw == "△" && p.fiscal_year == Some(2021)));
}

/// Dashes typed where ②'s R3 target and base-year actual go, the printed
/// unit cells 件 beside them kept (workbook and text): each year keeps the
/// sample's place, and no unit cell becomes a value. Before, K11 `件` was
/// FY2022's target (text) and 750 and 900 each moved a year late; G12 `件`
/// was FY2020's actual.
#[test]
fn plan_dash_beside_its_unit_keeps_the_years_in_place() {
    let text = sample_text(PLAN_TXT);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for (line, old, new) in [(10, "\t600\t", "\t\u{2014}\t"), (11, "\t235\t", "\t\u{2015}\t")] {
        assert!(lines[line].contains(old), "line {}: {}", line + 1, lines[line]);
        lines[line] = lines[line].replacen(old, new, 1);
    }
    let from_text = ingest_text("plan_dash_beside_unit.txt", &(lines.join("\r\n") + "\r\n"));
    for (v, what) in [(ingest(variant("plan_dash_beside_unit.xlsx")), "workbook"), (from_text, "text")] {
        let name = "行政手続及びイベント申込の電子化数";
        for (fy, value) in [(2020, Some(450.0)), (2021, None), (2022, Some(750.0)), (2023, Some(900.0))] {
            assert_eq!(find(&v, "1", name, fy, "target", "FY").value, value, "{what}: FY{fy}");
        }
        assert_eq!(find(&v, "1", name, 2019, "baseline", "FY").status, Status::Blank, "{what}");
        let units: Vec<&str> = v
            .observations
            .iter()
            .filter(|o| o.raw == "件")
            .map(|o| o.at.cell.as_str())
            .collect();
        assert!(units.is_empty(), "{what}: unit cells read as values: {units:?}");
        assert!(
            !v.observations.iter().any(|o| o.indicator == name && o.fiscal_year == Some(2024)),
            "{what}"
        );
    }
}

/// The plan's base-year column headed `現状値(R元)` or `策定時(R元)`, as other
/// offices word it: read as the sample's `【基準年】R元`. Before, the 実績
/// under it were FY2019 actuals, not baselines, and ④–⑥'s 21,001件, 9件 and
/// 8件 too, without a word.
#[test]
fn plan_base_year_column_worded_as_current_or_at_planning() {
    let text = sample_text(PLAN_TXT);
    let b = ingest(sample(PLAN_TXT));
    for label in ["現状値(R元)", "策定時(R元)"] {
        let edited = text.replacen("【基準年】R元", label, 1);
        assert_ne!(edited, text);
        let v = ingest_text("plan_base_worded.txt", &edited);
        assert_same(&observation_key(&v), &observation_key(&b), label);
        let t = find(&v, "1", "行政手続及びイベント申込の電子化数", 2019, "baseline", "FY");
        assert_eq!((t.value, t.at.cell.as_str()), (Some(235.0), "F12"), "{label}");
    }
}

/// ②'s base-year actual typed without its unit (the unit cell left empty)
/// while its targets carry 件: read as typed, 235 with no unit, now with an
/// `ambiguous_cell` warning (`bare-among-units`) on it. Before, no word, and
/// nothing compared it with the targets.
#[test]
fn plan_value_without_the_unit_its_indicator_carries() {
    let text = sample_text(PLAN_TXT);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert!(lines[11].contains("\t235\t件"), "{}", lines[11]);
    lines[11] = lines[11].replacen("\t235\t件", "\t235\t", 1);
    let v = ingest_text("plan_bare_value.txt", &(lines.join("\r\n") + "\r\n"));
    let t = find(&v, "1", "行政手続及びイベント申込の電子化数", 2019, "baseline", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(235.0), None));
    let cells: Vec<&str> = with_case(&v, "bare-among-units").map(|d| d.at.cell.as_str()).collect();
    assert_eq!(cells, ["F12"]);
    assert_eq!(with_case(&ingest(sample(PLAN_TXT)), "bare-among-units").count(), 0);
}

/// KPI list text whose ② name broke onto the next line with its values
/// (`\t②オープンデータ` / `\t公開数\t90件 …`): read as written (② with no
/// value, an unnumbered 公開数 with them), and now an `ambiguous_row`
/// warning (`name-split`) on 公開数 naming the row above. Before, no word.
#[test]
fn kpi_list_text_name_broken_before_its_values() {
    let text = sample_text(KPI_TXT).replacen("\t②オープンデータ公開数\t", "\t②オープンデータ\r\n\t公開数\t", 1);
    let v = ingest_text("kpi_name_split.txt", &text);
    let split = name_splits(&v);
    assert_eq!(split, [("公開数", Some("②オープンデータ"))]);
    let b = ingest(sample(KPI_TXT));
    assert!(!b.diagnostics.iter().any(|d| d.arg("case") == Some("name-split")));
}

/// Saitama No.1's KPI with Western fiscal years (`FY2023：65% FY2024：78%
/// FY2025：80%`): the three targets. Before, the entries stayed in the KPI's
/// name but the last, read as a target with no year.
#[test]
fn saitama_kpi_years_written_fy() {
    let text = sample_text(SAITAMA_TXT).replacen("R5：65% R6：78% R7：80%", "FY2023：65% FY2024：78% FY2025：80%", 1);
    let v = ingest_text("saitama_fy.txt", &text);
    const NAME: &str = "コピー使用量削減率（R元年度比）";
    for (fy, value) in [(2023, 65.0), (2024, 78.0), (2025, 80.0)] {
        assert_eq!(find(&v, "1", NAME, fy, "target", "FY").value, Some(value));
    }
    assert!(v.observations.iter().all(|o| o.fiscal_year.is_some()));
}

/// DX progress text that keeps no trailing empty fields (each line ends at
/// its last value) and whose ① line lost a tab (`8.3% 8.6%` in one field):
/// the progress table is held to its header's field count whatever the text,
/// as it was before the KPI list's check, so ①'s values are `row-short`
/// warnings, not read one column off.
#[test]
fn dx_progress_text_without_trailing_fields_still_checks_short_lines() {
    let file = "gunma_dx_kobetsu.sjis.txt";
    let mut text = sample_text(file).replacen("\t8.3%\t8.6%\t", "\t8.3% 8.6%\t", 1);
    for end in ["\t100%\t\n", "\t900件\t\n"] {
        text = text.replacen(end, &end.replacen("\t\n", "\n", 1), 3);
    }
    let v = ingest_text("dx_unpadded.txt", &text);
    let short: Vec<String> = misaligned_rows(&v)
        .into_iter()
        .filter(|(c, _)| c == "row-short")
        .map(|(_, cell)| cell)
        .collect();
    assert!(short.iter().any(|c| c == "C71"), "{short:?}");
    assert!(dx1(&v, "優先度の高い行政手続電子化率", 2021, "actual", "Q1").is_none());
}

/// The sample's last progress year leaves Q4 empty and its target slides into
/// Q4's place; it is repaired because it equals the indicator table's R5
/// target. When the indicator table says R6目標値 (the plan runs on), that
/// evidence is gone: read as before, `100%` became an FY2023 Q4 actual (an
/// achieved year out of a target) and the FY2023 target was lost, without a
/// word. Now each such cell is an ambiguous_cell warning and is not read.
#[test]
fn dx_a_q4_value_beside_an_empty_target_is_reported_when_it_cannot_be_repaired() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    assert_eq!(text.matches("指標項目\tR5目標値").count(), 8);
    let edited = text.replacen("指標項目\tR5目標値", "指標項目\tR6目標値", 1);
    let v = ingest_text("dx_plan_runs_on.txt", &edited);
    let item1_q4 = |x: &Extract| {
        x.observations
            .iter()
            .filter(|o| o.initiative_no == "1" && o.fiscal_year == Some(2023) && o.period == Period::Q(4))
            .map(|o| format!("{} {:?}", o.at.cell, o.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(item1_q4(&v), Vec::<String>::new(), "a Q4 actual made of the target");
    let slid: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.code == torikumi::model::DiagCode::AmbiguousCell && d.arg("case") == Some("slid-target"))
        .map(|d| (d.at.cell.clone(), d.raw.clone().unwrap_or_default()))
        .collect();
    let want = [("P71", "100%"), ("P72", "900件"), ("P73", "100%")];
    assert_eq!(slid, want.map(|(c, r)| (c.to_string(), r.to_string())));
    // The other items still repair theirs: the sample's FY2023 targets stand.
    let b = ingest(sample("gunma_dx_kobetsu.sjis.txt"));
    let targets = |x: &Extract| {
        x.observations
            .iter()
            .filter(|o| o.initiative_no != "1" && o.fiscal_year == Some(2023) && o.kind == Kind::Target)
            .count()
    };
    assert_eq!(targets(&v), targets(&b));
    assert!(targets(&b) > 10);
}

/// `1.360件` typed for `1,360件` among the row's whole counts (696件,
/// 1,081件): read before as 1.36 件 without a word, an evaluation of that
/// quarter far below target. Now an ambiguous_cell warning names it and the
/// comma to type; the value stays as written. A decimal among decimals
/// (`12.5%`) or a three-decimal rate is not this slip.
#[test]
fn a_period_typed_for_the_thousands_comma_is_reported() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    assert_eq!(text.matches("\t1,360件\t").count(), 1);
    let v = ingest_text("dx_period.txt", &text.replacen("\t1,360件\t", "\t1.360件\t", 1));
    let slips: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.code == torikumi::model::DiagCode::AmbiguousCell && d.arg("case") == Some("period-for-comma"))
        .map(|d| {
            (
                d.at.cell.clone(),
                d.raw.clone().unwrap_or_default(),
                d.arg("thousands").unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(slips, [("O72".to_string(), "1.360件".to_string(), "1,360件".to_string())]);
    let o = v
        .observations
        .iter()
        .find(|o| o.at.cell == "O72" && o.initiative_no == "1")
        .expect("O72 is still read");
    assert_eq!((o.value, o.unit.as_deref()), (Some(1.36), Some("件")));
    let b = ingest(sample("gunma_dx_kobetsu.sjis.txt"));
    assert!(!b.diagnostics.iter().any(|d| d.arg("case") == Some("period-for-comma")));
}

/// Sheet (1) copied and left in as `(1) (2)` (its R5 Q3 cleared, as last
/// quarter's version): every one of item 1's 42 other values came twice and
/// sums counted them twice, and `check` said nothing, since only differing
/// values were a conflict. Now one repeated_values warning names the copy,
/// the sheet it repeats and the count; both sheets' rows stay.
#[test]
fn a_copied_sheet_is_said_once_with_its_count() {
    let v = ingest(variant("dx_copied_sheet.xlsx"));
    let repeated: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "repeated_values")
        .map(|d| (d.at.sheet.as_str(), d.at.cell.as_str(), d.arg("count"), d.arg("other_cell")))
        .collect();
    assert_eq!(repeated, [("(1) (2)", "B40", Some("42"), Some("(1)!B40"))]);
    let b = ingest(sample("gunma_dx_kobetsu.xlsx"));
    assert_eq!(v.observations.len(), b.observations.len() + 42);
    assert!(!b.diagnostics.iter().any(|d| d.code.as_str() == "repeated_values"));
}

/// A unit note in the label column of the quarter header row
/// (`（単位：％、件）` over the names). Before, that row was an indicator named
/// by the note, each year's Q1 figure became the year's actual (8.3 % for
/// FY2021) and the other quarters were unplaced. Now the row is the header it
/// is: the sample's values, the note listed as unmapped.
#[test]
fn dx_a_note_beside_the_quarter_headers() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    // Item (1)'s progress table: its header line, then the quarters' line.
    let table = text.find("指標項目\t基準年(R1) 実績値").expect("progress header");
    let quarters = table + text[table..].find('\n').unwrap() + 1;
    assert!(text[quarters..].starts_with("\t\t1四半期"));
    let edited = format!("{}（単位：％、件）{}", &text[..quarters], &text[quarters..]);
    let v = ingest_text("dx_unit_row.txt", &edited);
    let b = ingest(sample("gunma_dx_kobetsu.sjis.txt"));
    assert_same(&observation_key(&v), &observation_key(&b), "observations");
    let note = v
        .diagnostics
        .iter()
        .find(|d| d.raw.as_deref() == Some("（単位：％、件）"))
        .expect("the note is listed");
    assert_eq!((note.code.as_str(), note.at.cell.as_str()), ("unmapped", "A70"));
}

/// The indicator table's final target typed with its year (`100%（R5）`):
/// kept as text, so the indicator has no final target value. Before, nothing
/// said so; now an ambiguous_cell warning (`number-as-text`) names the cell.
#[test]
fn dx_a_final_target_kept_as_text_is_reported() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let line = "① 優先度の高い行政手続電子化率\t100%";
    assert_eq!(text.matches(line).count(), 1);
    let v = ingest_text("dx_target_with_year.txt", &text.replacen(line, &format!("{line}（R5）"), 1));
    let ind = v
        .indicators
        .iter()
        .find(|i| i.initiative_no == "1" && i.indicator_no == Some(1))
        .unwrap();
    assert_eq!(
        (ind.final_target_value, ind.final_target_raw.as_deref()),
        (None, Some("100%（R5）"))
    );
    let said: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("number-as-text"))
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(said, ["B40"]);
}

/// Saitama KPIs whose name ends in three ASCII dots (`...`) or `‥` instead of
/// `…`: the same names and values as the sample. Before, `...` stayed in
/// every KPI's name, with no word.
#[test]
fn saitama_kpi_names_ended_by_other_dots() {
    let text = sample_text(SAITAMA_TXT);
    let b = ingest(sample(SAITAMA_TXT));
    for dots in ["...", "‥"] {
        let v = ingest_text("saitama_dots.txt", &text.replace(" …", &format!(" {dots}")));
        assert_same(&observation_key(&v), &observation_key(&b), dots);
        assert_same(&indicator_key(&v), &indicator_key(&b), dots);
    }
}

/// A Saitama KPI compared with a western year (`（2019年度比）` for
/// `（R元年度比）`): its values read as in the sample, and no warning says
/// the name still holds values (before, `2019年度` was taken for one).
#[test]
fn saitama_a_year_in_a_kpi_name_is_no_value() {
    let text = sample_text(SAITAMA_TXT);
    assert!(text.contains("（R元年度比）"));
    let v = ingest_text("saitama_2019.txt", &text.replace("（R元年度比）", "（2019年度比）"));
    let b = ingest(sample(SAITAMA_TXT));
    assert_eq!(v.observations.len(), b.observations.len());
    let t = find(&v, "1", "コピー使用量削減率（2019年度比）", 2023, "target", "FY");
    assert_eq!((t.value, t.unit.as_deref()), (Some(65.0), Some("%")));
    assert!(
        !v.diagnostics.iter().any(|d| d.arg("case") == Some("kpi-name-holds-values")),
        "{:#?}",
        v.diagnostics
    );
}

/// A page break inside item (1)'s progress table in PDF text: the page
/// number `- 4 -` on a line between two indicator rows, alone or with a
/// blank line and a form feed. Before, the line was a row that lost its
/// fields (a row-short warning) or, with the blank line, ended the table and
/// left the next rows' 30 values unread. Now it is decoration and the table
/// reads on: the sample's values.
#[test]
fn dx_a_page_number_inside_a_table_is_decoration() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let row = "①優先度の高い行政手続電子化率\t7.0%";
    let at = text.find(row).expect("row ①");
    let next = at + text[at..].find('\n').unwrap() + 1;
    let b = ingest(sample("gunma_dx_kobetsu.sjis.txt"));
    for (furniture, number) in [("- 4 -\r\n", "- 4 -"), ("\r\n－４－\r\n\u{c}", "－４－")] {
        let edited = format!("{}{furniture}{}", &text[..next], &text[next..]);
        let v = ingest_text("dx_page_break.txt", &edited);
        assert_same(&observation_key(&v), &observation_key(&b), furniture);
        let decoration: Vec<_> = v
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "decoration")
            .filter_map(|d| d.raw.as_deref())
            .collect();
        assert!(decoration.contains(&number), "{furniture:?}: {decoration:?}");
        let b_warnings = b.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        let v_warnings = v.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        assert_eq!(v_warnings, b_warnings, "{furniture:?}");
    }
}

/// No.1's KPI text with this year's figure appended in brackets, as division
/// staff report it on the rendered sheet (`…R7：80%（R4上期：54.7%）（R5実績：58.2%）`).
/// Before, every bracketed value was a baseline: FY2023's 58.2 % was one,
/// and the evaluation left FY2023 pending. A label saying 実績 or 結果 (the
/// vocabulary's actual words) makes it the actual of its year and half,
/// written in any of these ways; the sample's `（R4上期：54.7%）` stays a baseline.
#[test]
fn saitama_labelled_actual_in_brackets_is_an_actual() {
    let text = sample_text(SAITAMA_TXT);
    let kpi = "R7：80%（R4上期：54.7%）";
    assert_eq!(text.matches(kpi).count(), 1);
    let name = "コピー使用量削減率（R元年度比）";
    let cases = [
        ("（R5実績：58.2%）", "R5実績：58.2%", "FY"),
        ("【R5実績 58.2%】", "R5実績 58.2%", "FY"),
        ("(令和5年度実績:58.2%)", "令和5年度実績:58.2%", "FY"),
        ("（2023年度実績：58.2%）", "2023年度実績：58.2%", "FY"),
        ("（R5結果：58.2%）", "R5結果：58.2%", "FY"),
        ("（R5上期実績：58.2%）", "R5上期実績：58.2%", "H1"),
    ];
    for (written, raw, period) in cases {
        let v = ingest_text("saitama_actual.txt", &text.replacen(kpi, &format!("{kpi}{written}"), 1));
        let a = find(&v, "1", name, 2023, "actual", period);
        assert_eq!(
            (a.value, a.unit.as_deref(), a.raw.as_str(), a.at.cell.as_str()),
            (Some(58.2), Some("%"), raw, "B43"),
            "{written}"
        );
        let kinds: Vec<(Option<i32>, String, Option<f64>)> = v
            .observations
            .iter()
            .filter(|o| o.indicator == name && o.kind != Kind::Target)
            .map(|o| (o.fiscal_year, format!("{} {}", o.kind, o.period.as_str()), o.value))
            .collect();
        assert_eq!(
            kinds,
            [
                (Some(2022), "baseline H1".to_string(), Some(54.7)),
                (Some(2023), format!("actual {period}"), Some(58.2))
            ],
            "{written}"
        );
        assert!(warnings(&v).iter().all(|(_, cell)| cell != "B43"), "{written}: {:#?}", warnings(&v));
    }
}

/// One bracket after No.1's KPI holding the sample's past value and a
/// labelled one: each entry's own word is its kind, and no other entry's.
/// `（R4上期：54.7%、R5実績：58.2%）`: a baseline and FY2023's actual (before,
/// both baselines); `（R4上期：54.7%、R5目標：58.2%）`: a baseline and a FY2023
/// target, which disagrees with R5：65% and is said (`conflicting_values`;
/// before, 目標 made R4上期's 54.7 % a target too, unsaid); `（R4上期：54.7%、
/// R5基準：58.2%）`: two baselines, without the warning a bracket of two
/// values with no word gets.
#[test]
fn saitama_kind_words_in_one_bracket_are_each_entrys_own() {
    let text = sample_text(SAITAMA_TXT);
    let past = "（R4上期：54.7%）";
    assert_eq!(text.matches(past).count(), 1);
    let name = "コピー使用量削減率（R元年度比）";
    // (fiscal year, kind, value) of each of the KPI's entries.
    type Entries = Vec<(Option<i32>, String, Option<f64>)>;
    let read = |bracket: &str| -> (Extract, Entries) {
        let v = ingest_text("saitama_kind_words.txt", &text.replacen(past, bracket, 1));
        let kinds = v
            .observations
            .iter()
            // The sample's own targets aside.
            .filter(|o| o.indicator == name && !["R5：65%", "R6：78%", "R7：80%"].contains(&o.raw.as_str()))
            .map(|o| (o.fiscal_year, format!("{} {}", o.kind, o.period.as_str()), o.value))
            .collect();
        (v, kinds)
    };
    let h1 = (Some(2022), "baseline H1".to_string(), Some(54.7));
    let (v, kinds) = read("（R4上期：54.7%、R5実績：58.2%）");
    assert_eq!(kinds, [h1.clone(), (Some(2023), "actual FY".to_string(), Some(58.2))]);
    assert!(warnings(&v).iter().all(|(_, cell)| cell != "B43"), "{:#?}", warnings(&v));
    let (v, kinds) = read("（R4上期：54.7%、R5目標：58.2%）");
    assert_eq!(kinds, [h1.clone(), (Some(2023), "target FY".to_string(), Some(58.2))]);
    let conflicts: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "conflicting_values")
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(conflicts, ["B43"]);
    let (v, kinds) = read("（R4上期：54.7%、R5基準：58.2%）");
    assert_eq!(kinds, [h1, (Some(2023), "baseline FY".to_string(), Some(58.2))]);
    assert!(bracketed_kind(&v).is_empty(), "{:?}", bracketed_kind(&v));
}

/// A Saitama KPI entry followed by a bracket with a value and no year
/// (`R5：65%（実績：60.2%）`). Before, the bracket became a KPI's name and took
/// R6, R7 and the R4上期 baseline to a KPI named `（実績：60.2%）`, the warning
/// calling it a name that held values. Now the KPI keeps its entries, the
/// bracket stays in the entry's raw text, and an ambiguous_cell warning
/// (`kpi-entry-note`) says its value is not read.
#[test]
fn saitama_a_bracket_with_a_yearless_value_after_an_entry() {
    let text = sample_text(SAITAMA_TXT);
    assert_eq!(text.matches("R5：65%").count(), 1);
    let v = ingest_text("saitama_entry_note.txt", &text.replacen("R5：65%", "R5：65%（実績：60.2%）", 1));
    let b = ingest(sample(SAITAMA_TXT));
    assert_same(&indicator_key(&v), &indicator_key(&b), "indicators");
    let r6 = find(&v, "1", "コピー使用量削減率（R元年度比）", 2024, "target", "FY");
    assert_eq!(r6.value, Some(78.0));
    let r5 = find(&v, "1", "コピー使用量削減率（R元年度比）", 2023, "target", "FY");
    assert_eq!((r5.value, r5.raw.as_str()), (Some(65.0), "R5：65%（実績：60.2%）"));
    let said: Vec<_> = v
        .diagnostics
        .iter()
        .filter_map(|d| d.arg("note").filter(|_| d.arg("case") == Some("kpi-entry-note")))
        .collect();
    assert_eq!(said, ["（実績：60.2%）"]);
}

/// `88.2` typed without its percent among ①'s percentages (86.2 %, 88.7 %).
/// Before, read as 88.2 with no unit and nothing said (the evaluation uses
/// Q3, so no unit check asked either). Now an ambiguous_cell warning
/// (`bare-among-percents`) names it; the value stays as typed.
#[test]
fn dx_a_percentage_typed_without_its_percent_is_reported() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let cells = "\t86.2%\t88.2%\t88.7%\t";
    assert_eq!(text.matches(cells).count(), 1);
    let v = ingest_text("dx_bare.txt", &text.replacen(cells, "\t86.2%\t88.2\t88.7%\t", 1));
    let said: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("bare-among-percents"))
        .map(|d| (d.at.cell.as_str(), d.raw.as_deref()))
        .collect();
    assert_eq!(said, [("N71", Some("88.2"))]);
    let o = v.observations.iter().find(|o| o.at.cell == "N71").unwrap();
    assert_eq!((o.value, o.unit.as_deref()), (Some(88.2), None));
}

/// Page numbers in the PDF text of the other families, with blank lines
/// around them (a page break): between an indicator's 目標 and 実績 rows in
/// the reform plan's plan table, and between two rows of the KPI list.
/// Before, only the DX mapping knew page numbers: in the plan table the
/// blank lines ended the table and the 実績 row's 11.3 % and the next
/// indicators' values were left unread (loud, 33 unmapped values); in the
/// KPI list the number was a plain unmapped cell. Now page furniture is the
/// vocabulary's (`[rows] furniture_pattern`), a page break inside a table
/// reads on, and the tables are the sample's.
#[test]
fn a_page_break_inside_a_plan_table_or_kpi_list_reads_on() {
    let cases = [
        ("gunma_reform_plan_sheet.sjis.txt", "\t\t\t\t実績\t11.3\t%", "\n- 5 -\n\u{c}\n"),
        ("gunma_dx_kpi_list.sjis.txt", "", "\n－１２－\n"),
    ];
    for (file, before_line, furniture) in cases {
        let text = sample_text(file);
        // The KPI list: the page breaks before its fifth line of the list.
        let at = if before_line.is_empty() {
            text.match_indices('\n').nth(8).expect("nine lines").0 + 1
        } else {
            text.find(before_line).expect("the 実績 row")
        };
        let edited = format!("{}{furniture}{}", &text[..at], &text[at..]);
        let v = ingest_text("page_break.txt", &edited);
        let b = ingest(sample(file));
        assert_same(&observation_key(&v), &observation_key(&b), file);
        assert_same(&indicator_key(&v), &indicator_key(&b), file);
        let number = furniture.trim().trim_end_matches('\u{c}').trim();
        let decoration = v
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "decoration")
            .filter_map(|d| d.raw.as_deref())
            .collect::<Vec<_>>();
        assert_eq!(decoration, [number], "{file}");
    }
}

/// The samples' text saved as EUC-JP (older Unix tools, `nkf -e`). Before,
/// it was read as Shift_JIS: half-width katakana and broken lines, no layout
/// recognised, nothing read (loud). Now EUC-JP is told from Shift_JIS, and
/// the tables are the samples'.
#[test]
fn text_in_euc_jp_reads_as_the_sample() {
    for file in [
        "gunma_dx_kpi_list.sjis.txt",
        "saitama_program.sjis.txt",
        "gunma_dx_kobetsu.sjis.txt",
    ] {
        let text = sample_text(file);
        let (euc, _, unmappable) = encoding_rs::EUC_JP.encode(&text);
        assert!(!unmappable, "{file} encodes as EUC-JP");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("euc.txt");
        std::fs::write(&path, euc).unwrap();
        let v = ingest(path);
        let b = ingest(sample(file));
        assert!(!b.observations.is_empty());
        assert_same(&observation_key(&v), &observation_key(&b), file);
        assert_same(&indicator_key(&v), &indicator_key(&b), file);
        assert_eq!(v.diagnostics.len(), b.diagnostics.len(), "{file}");
    }
}

/// The DX indicator table's final target headed with the fiscal year's end
/// (`目標値（R6.3末）`, `目標値（令和6年3月末）`) for `R5目標値`: the FY2023
/// target, as the sample's. Before, the final target's year was the
/// calendar year 2024, and the only warnings blamed the progress table's Q4
/// cells.
#[test]
fn dx_final_target_dated_at_the_fiscal_years_end() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let b = ingest(sample("gunma_dx_kobetsu.sjis.txt"));
    for header in ["目標値（R6.3末）", "目標値（令和6年3月末）"] {
        let v = ingest_text("dx_year_end.txt", &text.replace("R5目標値", header));
        assert_same(&indicator_key(&v), &indicator_key(&b), header);
        assert!(v.indicators.iter().all(|i| i.final_target_fy != Some(2024)), "{header}");
        let b_warnings = b.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        let v_warnings = v.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        assert_eq!(v_warnings, b_warnings, "{header}");
    }
}

/// A footnote row inside the DX progress table (`※R4から算定方法を変更…`
/// between ① and ②, no values). Before, it became an indicator of its own,
/// unnumbered and empty, silently. Now a row whose first cell starts with a
/// footnote mark is a note: the sample's indicators, the note unmapped.
#[test]
fn dx_a_footnote_row_inside_the_progress_table_is_no_indicator() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let row = "②電子手続及びイベント申込の電子化数\t235件";
    let at = text.find(row).expect("row ②");
    let edited = format!("{}※R4から算定方法を変更（分母を見直し）\r\n{}", &text[..at], &text[at..]);
    let v = ingest_text("dx_footnote_row.txt", &edited);
    let b = ingest(sample("gunma_dx_kobetsu.sjis.txt"));
    assert_same(&indicator_key(&v), &indicator_key(&b), "indicators");
    assert_same(&observation_key(&v), &observation_key(&b), "observations");
    assert!(
        v.diagnostics
            .iter()
            .any(|d| d.code.as_str() == "unmapped" && d.raw.as_deref() == Some("※R4から算定方法を変更（分母を見直し）")),
        "the note stays in the diagnostics"
    );
}

/// `0.862` typed among the percentages of a progress row in text (every
/// cell of a text file is text; a workbook's number stored as text is the
/// same). Before, only a typed number was asked: the text one was read as
/// 0.862 with no unit, silently. Now it is `fraction-among-percents`.
#[test]
fn dx_a_fraction_typed_as_text_among_percents_is_said() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let row = "①優先度の高い行政手続電子化率\t7.0%\t8.3%\t8.6%\t13.5%\t28.3%\t32.1%\t28.3%\t45.4%\t48.3%\t84.1%\t65.6%\t86.2%";
    assert_eq!(text.matches(row).count(), 1);
    let edited = text.replacen(row, &row.replace("\t86.2%", "\t0.862"), 1);
    let v = ingest_text("dx_fraction_text.txt", &edited);
    let said: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("fraction-among-percents"))
        .filter_map(|d| d.raw.as_deref())
        .collect();
    assert_eq!(said, ["0.862"]);
}

/// The reform plan's 実績 row filled in for R2 as divisions do
/// (`12.5 | % | 89%`), the target row keeping the template's `0%` in the
/// achievement place. Before, the two printed rates were joined and the
/// 0% compared: a `printed_achievement_differs` warning ("prints 0% / 89%"
/// against 88.7%) that every real fill would raise. Now a 0% beside another
/// printed rate is the template's, and 89% agrees with 12.5 ÷ 14.1.
#[test]
fn plan_a_filled_actual_row_with_its_achievement_is_not_a_false_alarm() {
    let text = sample_text("gunma_reform_plan_sheet.sjis.txt");
    let row = "\t\t\t\t実績\t11.3\t%\t\t\t\t\t\t\t\t\t\t\t";
    assert_eq!(text.matches(row).count(), 1);
    let edited = text.replacen(row, "\t\t\t\t実績\t11.3\t%\t12.5\t%\t89%\t\t\t\t\t\t\t\t", 1);
    let v = ingest_text("plan_filled.txt", &edited);
    let actual = find(&v, "1", "行政手続電子化率", 2020, "actual", "FY");
    assert_eq!(actual.value, Some(12.5));
    let differs: Vec<_> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "printed_achievement_differs")
        .map(|d| d.raw.clone())
        .collect();
    assert!(differs.is_empty(), "{differs:?}");
}

/// The DX text's progress-table header wrapped by extraction: `令和5年度 |
/// 目標値` on a line of their own, in their columns, before the quarters line.
/// The quarters keep their quarter (before, ②'s 467件 was FY2022's yearly
/// actual and the quarters line a row without indicator).
#[test]
fn dx_progress_header_wrapped_over_two_lines() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let tail = "\t令和5年度\t\t\t\t目標値";
    let line = format!("指標項目\t基準年(R1) 実績値\t令和3年度\t\t\t\t目標値\t令和4年度\t\t\t\t目標値{tail}");
    assert!(text.contains(&line)); // each item's table: item (1)'s is wrapped
    let wrapped = line.replacen(tail, &format!("\n{}{tail}", "\t".repeat(11)), 1);
    let v = ingest_text("dx_header_wrapped.txt", &text.replacen(&line, &wrapped, 1));
    let two = "電子手続及びイベント申込の電子化数";
    assert_eq!(dx1(&v, two, 2022, "actual", "Q1").and_then(|o| o.value), Some(467.0));
    assert_eq!(dx1(&v, two, 2023, "actual", "Q3").and_then(|o| o.value), Some(1360.0));
    assert_eq!(dx1(&v, two, 2023, "target", "FY").and_then(|o| o.value), Some(900.0));
    assert!(dx1(&v, two, 2022, "actual", "FY").is_none());
}

/// A DX progress row's name wrapped before its values (`②電子手続及びイベン`
/// alone, `ト申込の電子化数 | 235件 …` below): joined, as the indicator table
/// names ②, and its values are ②'s (before, an indicator `ト申込の電子化数`).
#[test]
fn dx_progress_name_wrapped_before_its_values_is_joined() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let head = "②電子手続及びイベン";
    let row = format!("{head}ト申込の電子化数\t235件\t247件");
    assert_eq!(text.matches(&row).count(), 1);
    let v = ingest_text("dx_name_wrapped.txt", &text.replacen(head, &format!("{head}\n"), 1));
    let two = "電子手続及びイベント申込の電子化数";
    let q1 = dx1(&v, two, 2021, "actual", "Q1").expect("②'s FY2021 Q1");
    assert_eq!((q1.indicator_no, q1.value), (Some(2), Some(247.0)));
    assert!(!v.observations.iter().any(|o| o.indicator.starts_with("ト申込")));
    assert!(cells_of_case(&v, "name-split").is_empty());
}

/// The same split where the joined name is not the indicator table's
/// (the head cut short): read as written, with an `ambiguous_row` warning
/// (`name-split`) at the tail's cell.
#[test]
fn dx_progress_name_split_not_matching_is_said() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let row = "②電子手続及びイベント申込の電子化数\t235件\t247件";
    assert_eq!(text.matches(row).count(), 1);
    let v = ingest_text(
        "dx_name_split.txt",
        &text.replacen("②電子手続及びイベント申込の電子化数\t235件", "②電子手続\n申込の電子化数\t235件", 1),
    );
    let split = name_splits(&v);
    assert_eq!(split, [("申込の電子化数", Some("②電子手続"))]);
}

/// The DX sample's text with item (1)'s heading numbered `number` instead,
/// ingested: the item numbers its rows carry that no other item's do (the
/// sample's others are 2 to 7 and 10), and the warnings' cases.
fn dx_item_numbered(number: &str) -> (Vec<String>, Vec<String>) {
    let heading = "実施項目\t(1) 電子申請受付システム";
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    assert_eq!(text.matches(heading).count(), 1);
    let x = ingest_text(
        "dx.txt",
        &text.replacen(heading, &format!("実施項目\t{number} 電子申請受付システム"), 1),
    );
    let others = ["2", "3", "4", "5", "6", "7", "10"];
    let mut numbers: Vec<String> = x
        .observations
        .iter()
        .map(|o| o.initiative_no.clone())
        .filter(|n| !others.contains(&n.as_str()))
        .collect();
    numbers.sort();
    numbers.dedup();
    let cases = x.diagnostics.iter().filter_map(|d| d.arg("case")).map(String::from).collect();
    (numbers, cases)
}

/// A sub-item's number (`1-1`, `(1)-2`) is the item's. Before, `1-1` left
/// every row of the sheet with an empty item number, and `(1)-2` gave 1,
/// the number of another item, with no word in either case.
#[test]
fn dx_sub_item_numbers_are_read() {
    assert_eq!(dx_item_numbered("1-1").0, ["1-1"]);
    assert_eq!(dx_item_numbered("(1)-2").0, ["1-2"]);
    assert_eq!(dx_item_numbered("（１）－２").0, ["1-2"]);
}

/// A title that starts with a number written in a form the mapping's
/// `number_pattern` does not know (`1・1`): its rows carry no number, so
/// that is said (`item-number-unread`), not left to a join that finds nothing.
#[test]
fn an_item_number_the_pattern_cannot_read_is_said() {
    let (numbers, cases) = dx_item_numbered("1・1");
    assert_eq!(numbers, [""]);
    assert_eq!(cases.iter().filter(|c| *c == "item-number-unread").count(), 1);
}

/// The reform plan's item numbered `1-1` (its number in a cell of its own):
/// before, its rows carried no item number, unsaid.
#[test]
fn plan_sub_item_number_is_read() {
    let text = sample_text(PLAN_TXT);
    let heading = "実施項目\t1\t電子申請受付システム";
    assert_eq!(text.matches(heading).count(), 1);
    let x = ingest_text("plan.txt", &text.replacen(heading, "実施項目\t1-1\t電子申請受付システム", 1));
    assert!(!x.observations.is_empty());
    assert!(x.observations.iter().all(|o| o.initiative_no == "1-1"));
}

/// The DX sample's progress row of item (1)'s second KPI: the FY2023 target
/// (900件) sits in the last quarter's column, as in every row of the table.
const DX_COUNT_ROW: &str = "②電子手続及びイベント申込の電子化数\t235件\t247件\t476件\t714件\t809件\t600件\t467件\t745件\t1,004件\t1,266件\t750件\t696件\t1,081件\t1,360件\t900件\t";

/// A KPI the indicator table lacks, added below item (1)'s with only its
/// FY2023 figure, in the column where the table's last targets slid (the
/// FY2023 target column is empty in every row). Before, 5,000人 was read as
/// a Q4 actual, unsaid: only a value equal to an indicator table's final
/// target was taken as a slid target. Now it is an `ambiguous_cell` warning
/// (`slid-column`), not read; the other rows' slid targets are still repaired.
#[test]
fn dx_a_value_where_the_tables_targets_slid_is_said() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    assert_eq!(text.matches(DX_COUNT_ROW).count(), 1);
    let added = format!("{DX_COUNT_ROW}\n④電子申請システム利用者数{}5,000人\t", "\t".repeat(15));
    let x = ingest_text("dx.txt", &text.replacen(DX_COUNT_ROW, &added, 1));
    let said: Vec<Option<&str>> = x
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("slid-column"))
        .map(|d| d.raw.as_deref())
        .collect();
    assert_eq!(said, [Some("5,000人")]);
    assert!(
        !x.observations.iter().any(|o| o.value == Some(5000.0)),
        "5,000人 is not read as a Q4 actual"
    );
    let repaired = |x: &Extract| x.diagnostics.iter().filter(|d| d.code.as_str() == "slid_target_repaired").count();
    assert_eq!(repaired(&x), repaired(&ingest(sample("gunma_dx_kobetsu.sjis.txt"))));
}

/// Dates where the DX progress table's quarters stand (`2023/12/31`, or a
/// date cell, which reads `2023-12-31`): each the quarter it ends. Before,
/// the date's four-digit year made it a year label, so FY2023's Q1–Q3
/// actuals became full-year ones, unsaid (O40 `88.7%` → FY2023 actual);
/// a date inside a quarter (`2023/11/30`) is left unread, as `4～6月` is.
#[test]
fn dx_dates_where_the_quarters_stand_are_those_quarters() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    let base = ingest(sample("gunma_dx_kobetsu.sjis.txt"));
    let year = "1四半期\t2四半期\t3四半期\t4四半期\t";
    let line = format!("\n\t\t{}", year.repeat(3));
    assert!(text.matches(&line).count() >= 4, "the quarter header lines");
    for dates in [
        "1四半期\t2四半期\t2023-12-31\t",
        "2023-06-30\t2023-09-30\t2023-12-31\t",
        "2023/6/30\t2023/9/30\t2023/12/31\t",
    ] {
        // The running year (R5): its first three quarters.
        let edited = text.replace(&line, &format!("\n\t\t{}{dates}4四半期\t", year.repeat(2)));
        assert_ne!(edited, text);
        let x = ingest_text("dx.txt", &edited);
        assert_eq!(common::observation_key(&x), common::observation_key(&base), "{dates}");
        assert_eq!(
            find(&x, "1", "優先度の高い行政手続電子化率", 2023, "actual", "Q3").value,
            Some(88.7)
        );
    }
    // The workbook, its year merged over the quarters, O39 a date cell (`make_typing_slips.py`).
    let base = ingest(sample("gunma_dx_kobetsu.xlsx"));
    let x = ingest(variant("dx_date_quarter_header.xlsx"));
    assert_eq!(common::observation_key(&x), common::observation_key(&base));
    let o40 = find(&x, "1", "優先度の高い行政手続電子化率", 2023, "actual", "Q3");
    assert_eq!((o40.at.cell.as_str(), o40.value), ("O40", Some(88.7)));
}

/// The reform plan's ② FY2021 target typed `600以上`, its unit `件` in the
/// cell beside it as every value's is. Before, the unit read `以上件`: no
/// other year or file of the KPI shared it, unsaid. Now 600 件, a lower
/// bound as `600件以上` is.
#[test]
fn plan_a_lower_bound_before_its_unit_cell_is_the_value() {
    let text = sample_text(PLAN_TXT);
    let row = "\t600\t件\t0%\t750";
    assert_eq!(text.matches(row).count(), 1);
    let x = ingest_text("plan.txt", &text.replacen(row, "\t600以上\t件\t0%\t750", 1));
    let base = ingest(sample(PLAN_TXT));
    assert_eq!(common::observation_key(&x), common::observation_key(&base));
    assert!(
        x.observations
            .iter()
            .any(|o| o.value == Some(600.0) && o.unit.as_deref() == Some("件"))
    );
}

/// The reform plan's ② marked deleted after its name, `…電子化数（削除）`, as
/// the 取組票 note says a deleted indicator is written. Before, ② stayed
/// active and its name kept the note, so it no longer joined its other
/// files, unsaid. Now ② is deleted (no evaluation judges it) under its own name.
#[test]
fn plan_an_indicator_marked_deleted_after_its_name_is_deleted() {
    use torikumi::model::IndicatorStatus;
    let text = sample_text(PLAN_TXT);
    let name = "② 行政手続及びイベント申込の電子化数";
    assert_eq!(text.matches(name).count(), 1);
    let x = ingest_text("plan.txt", &text.replacen(name, &format!("{name}（削除）"), 1));
    let base = ingest(sample(PLAN_TXT));
    assert_eq!(common::observation_key(&x), common::observation_key(&base));
    let status = |x: &Extract| {
        x.indicators
            .iter()
            .find(|i| i.indicator_no == Some(2))
            .map(|i| (i.indicator.clone(), i.status))
    };
    let two = "行政手続及びイベント申込の電子化数".to_string();
    assert_eq!(status(&base), Some((two.clone(), IndicatorStatus::Active)));
    assert_eq!(status(&x), Some((two, IndicatorStatus::Deleted)));
}

/// A word where a KPI list's or a plan's numbers go (`未定`, `TRUE`, `／`):
/// before, kept as status `text` with no word said (only the DX tables said
/// it). Now, as there, each is kept as typed and is an ambiguous_cell warning
/// (`word-as-value`) naming its cell; status words (集計中) stay silent.
#[test]
fn kpi_list_and_plan_word_in_a_value_cell_is_a_warning() {
    let word_warnings = |x: &Extract| -> Vec<(String, String)> {
        with_case(x, "word-as-value")
            .map(|d| (d.at.cell.clone(), d.raw.clone().unwrap_or_default()))
            .collect()
    };
    let list = sample_text(KPI_TXT);
    let plan = sample_text(PLAN_TXT);
    assert_eq!(word_warnings(&ingest(sample(KPI_TXT))), []);
    assert_eq!(word_warnings(&ingest(sample(PLAN_TXT))), []);
    let list_cell = "\t750件\t1,266件\t";
    let plan_cell = "\t0%\t600\t件\t";
    assert_eq!((list.matches(list_cell).count(), plan.matches(plan_cell).count()), (1, 1));
    for word in ["未定", "TRUE", "／"] {
        let v = ingest_text("kpi_word.txt", &list.replacen(list_cell, &format!("\t750件\t{word}\t"), 1));
        let o = v.observations.iter().find(|o| o.raw == word).expect("kept");
        assert_eq!((o.value, o.status.as_str(), o.at.cell.as_str()), (None, "text", "G6"), "{word}");
        assert_eq!(
            (o.kind.as_str(), o.fiscal_year, o.indicator.as_str()),
            ("actual", Some(2022), "電子手続及びイベント申込の電子化数"),
            "{word}"
        );
        assert_eq!(word_warnings(&v), [("G6".to_string(), word.to_string())], "{word}");

        let v = ingest_text("plan_word.txt", &plan.replacen(plan_cell, &format!("\t0%\t{word}\t件\t"), 1));
        let o = v.observations.iter().find(|o| o.raw.starts_with(word)).expect("kept");
        assert_eq!(
            (o.value, o.status.as_str(), o.kind.as_str(), o.fiscal_year),
            (None, "text", "target", Some(2021)),
            "{word}"
        );
        assert_eq!(word_warnings(&v).len(), 1, "{word}");
    }
    let v = ingest_text("kpi_status.txt", &list.replacen(list_cell, "\t750件\t集計中\t", 1));
    assert_eq!(word_warnings(&v), []);
}

/// A note's number after a list value (`1,266件(注1)`): before, a warning and
/// not read, while `1,266件※1` was. Now read as 1,266 件, the raw text kept.
#[test]
fn kpi_list_note_number_after_a_value_is_read() {
    let list = sample_text(KPI_TXT);
    for typed in ["1,266件(注1)", "1,266件（注１）"] {
        let v = ingest_text("kpi_note.txt", &list.replacen("\t1,266件\t", &format!("\t{typed}\t"), 1));
        let o = observation_at(&v, "G6");
        assert_eq!(
            (o.value, o.unit.as_deref(), o.status.as_str(), o.raw.as_str()),
            (Some(1266.0), Some("件"), "ok", typed)
        );
        assert_eq!(observation_key(&v).len(), observation_key(&ingest(sample(KPI_TXT))).len());
    }
}

/// The plan table's 達成率 cells as formulas saved without their results
/// (a file written by a program that does not calculate). Before, I9's
/// formula was FY2021's target (text), and 32.1 % (J9), 65.6 % (M9) each
/// moved a year late, with nothing said on them; P9's 100 % was unplaced.
/// Now each such cell is the achievement's place, said as `formula_error`,
/// and the targets are the sample's.
#[test]
fn plan_achievement_formula_without_result_keeps_the_years() {
    let v = ingest(variant("plan_uncomputed_achievements.xlsx"));
    assert_same(
        &observation_key(&v),
        &observation_key(&ingest(sample(PLAN_XLSX))),
        "uncomputed achievements",
    );
    let target = |cell: &str| {
        let o = observation_at(&v, cell);
        (o.kind, o.fiscal_year, o.value)
    };
    assert_eq!(target("J9"), (Kind::Target, Some(2021), Some(32.1)));
    assert_eq!(target("M11"), (Kind::Target, Some(2022), Some(750.0)));
    assert_eq!(target("P13"), (Kind::Target, Some(2023), Some(100.0)));
    let formulas: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "formula_error")
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(
        formulas,
        ["I9", "L9", "O9", "R9", "I11", "L11", "O11", "R11", "I13", "L13", "O13", "R13"]
    );
}

/// A DX progress table whose last quarter column is headed `年度末` instead
/// of `4四半期` (`[period] year_end_words`): before, its values (28.3 %,
/// 809件 …) were `unplaced_cell` warnings and not read. Now they are the
/// year's Q4 actuals, and the table reads as the sample's.
#[test]
fn dx_year_end_column_in_place_of_the_fourth_quarter() {
    let text = sample_text("gunma_dx_kobetsu.sjis.txt");
    // The progress tables' header lines (a 目標値 column between the years),
    // not the schedule's (its quarters are periods of work, not figures).
    let is_progress_header = |l: &str| l.contains("4四半期\t\t") || l.contains("4四半期\t目標値");
    let edited: Vec<String> = text
        .lines()
        .map(|l| match is_progress_header(l) {
            true => l.replace("\t4四半期", "\t年度末"),
            false => l.to_string(),
        })
        .collect();
    assert_eq!(text.lines().filter(|l| is_progress_header(l)).count(), 8);
    let v = ingest_text("dx_year_end.txt", &(edited.join("\n") + "\n"));
    assert_same(
        &observation_key(&v),
        &observation_key(&ingest(sample("gunma_dx_kobetsu.sjis.txt"))),
        "年度末 for 4四半期",
    );
    let o = observation_at(&v, "F71");
    assert_eq!(
        (o.kind, o.fiscal_year, o.period, o.value),
        (Kind::Actual, Some(2021), Period::Q(4), Some(28.3))
    );
    let unplaced = |x: &Extract| x.diagnostics.iter().filter(|d| d.code.as_str() == "unplaced_cell").count();
    assert_eq!(unplaced(&v), unplaced(&ingest(sample("gunma_dx_kobetsu.sjis.txt"))));
}

/// Number formats whose other sections show what the first does not
/// (fixture `kpi_format_sections.xlsx`, make_typing_slips.py). Before,
/// only the first section was read: 809 under `[=0]"－";#,##0"件"` was
/// -809 with no unit (the condition's － read as a minus), and a 0 shown
/// as － by a zero section or 会計 was a plain 0 with nothing said. Now the
/// section Excel shows is read: 809 件; each 0 is kept as stored and said
/// (`zero-shown-as-dash`), as the reader sees a dash.
#[test]
fn kpi_list_number_format_sections() {
    let v = ingest(variant("kpi_format_sections.xlsx"));
    let at = |cell: &str| {
        let o = observation_at(&v, cell);
        (o.kind, o.fiscal_year, o.value, o.unit.clone(), o.status)
    };
    assert_eq!(
        at("E6"),
        (Kind::Actual, Some(2021), Some(809.0), Some("件".to_string()), Status::Ok)
    );
    assert_eq!(at("F5"), (Kind::Target, Some(2022), Some(0.0), Some("%".to_string()), Status::Ok));
    assert_eq!(at("H6").2, Some(0.0));
    let said: Vec<&str> = with_case(&v, "zero-shown-as-dash").map(|d| d.at.cell.as_str()).collect();
    assert_eq!(said, ["F5", "H6"]);
    assert_eq!(with_case(&ingest(sample(KPI_XLSX)), "zero-shown-as-dash").count(), 0);
}

/// A plan's baseline or 実績 that starts with a number but does not read as
/// one (`21, 001`: a space left by PDF extraction; `11.3 (R2.3末)`). Before,
/// kept as text with nothing said (a KPI list or DX table said it). Now an
/// ambiguous_cell warning names the cell, as there.
#[test]
fn plan_value_that_does_not_read_as_a_number_is_said() {
    let plan = sample_text(PLAN_TXT);
    for (from, to, cell, kind) in [
        ("\t実績\t21,001\t件", "\t実績\t21, 001\t件", "E15", "baseline"),
        ("\t実績\t11.3\t%", "\t実績\t11.3 (R2.3末)\t%", "F10", "baseline"),
    ] {
        assert_eq!(plan.matches(from).count(), 1, "{from}");
        let v = ingest_text("plan_number_text.txt", &plan.replacen(from, to, 1));
        let o = observation_at(&v, cell);
        assert_eq!((o.status.as_str(), o.kind.as_str(), o.value), ("text", kind, None), "{to}");
        let said: Vec<&str> = v
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "ambiguous_cell" && d.at.cell == cell)
            .map(|d| d.at.cell.as_str())
            .collect();
        assert_eq!(said, [cell], "{to}");
    }
}

/// The KPI list's year headers typed as dates and formatted to show the
/// year alone, as staff see them: H3 2023-04-01 shown `2023年度`
/// (`yyyy"年度"`), F3 2022-04-01 shown `令和4年度` (`[$-411]ggge"年度"`); the
/// .xlsx by `make_typing_slips.py`, the .ods LibreOffice's copy of it, where
/// both are date cells. Before, a date cell read as its day, 2023-04-01:
/// H's targets became FY2023 values AS_OF 2023-04-30 (and in the .ods F's
/// FY2022 AS_OF 2022-04-30), unsaid. Now each column is its fiscal year's,
/// as typed; a date shown as a date stays a point in time
/// (`dx_dates_where_the_quarters_stand_are_those_quarters`).
#[test]
fn kpi_list_year_headers_typed_as_dates_are_those_years() {
    let base = ingest(sample(KPI_XLSX));
    for file in ["kpi_year_header_dates.xlsx", "kpi_year_header_dates.ods"] {
        let x = ingest(variant(file));
        assert_same(&observation_key(&x), &observation_key(&base), file);
        let at = |cell: &str| {
            let o = x
                .observations
                .iter()
                .find(|o| o.at.cell == cell)
                .unwrap_or_else(|| panic!("{file}: {cell}"));
            (o.kind, o.fiscal_year, o.period, o.as_of, o.value, o.unit.clone())
        };
        let pct = Some("%".to_string());
        assert_eq!(
            at("H5"),
            (Kind::Target, Some(2023), Period::FY, None, Some(100.0), pct.clone()),
            "{file}"
        );
        assert_eq!(
            at("H6"),
            (Kind::Target, Some(2023), Period::FY, None, Some(900.0), Some("件".into())),
            "{file}"
        );
        assert_eq!(at("F5"), (Kind::Target, Some(2022), Period::FY, None, Some(65.6), pct), "{file}");
        assert_eq!(
            at("G6"),
            (Kind::Actual, Some(2022), Period::FY, None, Some(1266.0), Some("件".into())),
            "{file}"
        );
    }
}

/// `text` with the tabs of its one line starting `start` written as
/// full-width spaces, as a PDF's extraction writes a wide gap; `also` then
/// replaced in that line.
fn tabs_as_wide_spaces(text: &str, start: &str, also: (&str, &str)) -> String {
    let mut hit = 0;
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| {
            if !l.starts_with(start) {
                return l.to_string();
            }
            hit += 1;
            l.replace('\t', "\u{3000}").replace(also.0, also.1)
        })
        .collect();
    assert_eq!(hit, 1, "one line starts {start:?}");
    lines.join("\n")
}

const KPI_THIRD: &str = "\t③マイナンバーカード交付率\t";
const DX_THIRD: &str = "③マイナンバーカード交付率\t13.0%";

/// The KPI list's ③ line and the DX table's ③ row with their tabs written
/// as full-width spaces (`　③マイナンバーカード交付率　13.0%　67.7%…`), as
/// PDF extractors write wide gaps. Before, each line was one cell: the KPI
/// list lost ③'s 7 values unsaid and took the line for a heading, the
/// `goal` of every later item; the DX table's 15 values went only to an info
/// `unmapped`. Now the line is split at its gaps (a label, then figures
/// only) and read as the sample's, with a `split_at_spaces` warning naming it.
#[test]
fn a_text_line_whose_tabs_became_full_width_spaces_is_split_and_said() {
    for (file, start, cell, fields) in [
        (KPI_TXT, KPI_THIRD, "A7", "10"),
        ("gunma_dx_kobetsu.sjis.txt", DX_THIRD, "A73", "17"),
    ] {
        let text = sample_text(file);
        let x = ingest_text(file, &tabs_as_wide_spaces(&text, start, ("", "")));
        let base = ingest(sample(file));
        assert_same(&observation_key(&x), &observation_key(&base), file);
        assert_same(&initiative_key(&x), &initiative_key(&base), file);
        let said: Vec<(&str, Option<&str>, bool)> = x
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "split_at_spaces")
            .map(|d| {
                (
                    d.at.cell.as_str(),
                    d.arg("fields"),
                    d.raw.as_deref().is_some_and(|r| r.contains("13.0%\u{3000}")),
                )
            })
            .collect();
        assert_eq!(said, [(cell, Some(fields), true)], "{file}");
        assert_eq!(
            x.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count(),
            warnings(&base).len() + 1
        );
    }
    let x = ingest_text("kpi.txt", &tabs_as_wide_spaces(&sample_text(KPI_TXT), KPI_THIRD, ("", "")));
    let o = find(&x, "1", "マイナンバーカード交付率", 2022, "target", "FY");
    assert_eq!((o.at.cell.as_str(), o.value, o.unit.as_deref()), ("F7", Some(100.0), Some("%")));
}

/// The same ③ lines with a full-width space inside the name too
/// (`③　マイナンバーカード交付率`): which gap stands for a tab is not
/// certain, so the line is not split. Before, the KPI list took it for a
/// heading (every later item's `goal`) and lost its values unsaid, and the
/// DX table's was an info `unmapped`; now each is an `ambiguous_cell`
/// warning (`spaced-figures`) naming its figures, and no item's goal.
#[test]
fn a_text_line_of_figures_set_apart_by_spaces_is_said_when_not_split() {
    for (file, start, cell, figures) in [
        (KPI_TXT, KPI_THIRD, "A7", "7"),
        ("gunma_dx_kobetsu.sjis.txt", DX_THIRD, "A73", "15"),
    ] {
        let text = tabs_as_wide_spaces(&sample_text(file), start, ("③", "③\u{3000}"));
        let x = ingest_text(file, &text);
        let base = ingest(sample(file));
        let said: Vec<(&str, Option<&str>, Severity)> = with_case(&x, "spaced-figures")
            .map(|d| (d.at.cell.as_str(), d.arg("figures"), d.severity))
            .collect();
        assert_eq!(said, [(cell, Some(figures), Severity::Warning)], "{file}");
        assert!(!x.diagnostics.iter().any(|d| d.code.as_str() == "split_at_spaces"), "{file}");
        assert!(x.observations.iter().all(|o| o.indicator != "マイナンバーカード交付率"), "{file}");
        let third = |o: &&Observation| o.indicator != "マイナンバーカード交付率";
        let kept: Extract = Extract {
            observations: base.observations.iter().filter(third).cloned().collect(),
            ..Extract::default()
        };
        assert_same(&observation_key(&x), &observation_key(&kept), file);
        assert!(
            x.initiatives.iter().all(|i| !i.goal.as_deref().unwrap_or("").contains("13.0%")),
            "{file}"
        );
    }
}

/// A plan's 達成率 cell holding a formula's error, in an .ods LibreOffice
/// saved (`plan_error_achievement.ods`: L9 `=J10/0`, stored as the text
/// `#DIV/0!`). Before, the text was FY2022's target and 65.6 % (M9) and
/// 100 % (P9) each moved a year late, unsaid. Now an error value's text is
/// the formula error it shows: the achievement's place, a `formula_error`
/// warning, and the targets are the sample's.
#[test]
fn plan_error_in_an_ods_achievement_keeps_the_years() {
    let v = ingest(variant("plan_error_achievement.ods"));
    assert_same(
        &observation_key(&v),
        &observation_key(&ingest(sample(PLAN_XLSX))),
        "error achievement",
    );
    let target = |cell: &str| {
        let o = observation_at(&v, cell);
        (o.kind, o.fiscal_year, o.value)
    };
    assert_eq!(target("M9"), (Kind::Target, Some(2022), Some(65.6)));
    assert_eq!(target("P9"), (Kind::Target, Some(2023), Some(100.0)));
    let errors: Vec<(&str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "formula_error")
        .map(|d| (d.at.cell.as_str(), d.raw.as_deref()))
        .collect();
    assert_eq!(errors, [("L9", Some("#DIV/0!"))]);
}

/// ②'s FY2022 Q1 typed as the number 467 in a plain `0_);(0)` cell (no 件),
/// beside a Q4 whose format shows `(1,266件)`, read in the unit (件)
/// (`tests/fixtures/variants/make_typing_slips.py`): 467 is kept as typed, with
/// no unit, and now has its `ambiguous_cell` warning (`bare-among-units`, unit
/// 件). Before, the slip's unit made the row's units look mixed, and the bare
/// number went unsaid (probe s15c, cause 6).
#[test]
fn dx_bare_number_beside_another_slip_is_said() {
    let v = ingest(variant("dx_bare_beside_slip.xlsx"));
    let o = dx1(&v, "電子手続及びイベント申込の電子化数", 2022, "actual", "Q1").unwrap();
    assert_eq!((o.value, o.unit.as_deref(), o.at.cell.as_str()), (Some(467.0), None, "H41"));
    let flagged: Vec<(&str, Option<&str>)> = with_case(&v, "bare-among-units")
        .map(|d| (d.at.cell.as_str(), d.arg("unit")))
        .collect();
    assert_eq!(flagged, [("H41", Some("件"))]);
    // The slip keeps its own warning.
    assert!(with_case(&v, "unit-differs").any(|d| d.at.cell == "K41"));
    assert_eq!(with_case(&ingest(sample("gunma_dx_kobetsu.xlsx")), "bare-among-units").count(), 0);
}

/// The rendered DX sheet's 達成率 table with ①'s FY2021 rate showing
/// `#REF!` (its formula lost the row it read; made by
/// `tests/fixtures/variants/make_typing_slips.py` from `torikumi render`'s
/// sheet): no printed achievement there, and a `formula_error` warning at
/// (1)!B29. Before, only an info line printed `#REF!` as the achievement, so
/// the run looked clean. The other rates are still printed achievements.
#[test]
fn dx_achievement_formula_error_is_a_warning() {
    let v = ingest(variant("dx_achievement_ref_error.xlsx"));
    let printed = |sheet: &str, cell: &str| v.printed_achievements.iter().find(|p| p.at.sheet == sheet && p.at.cell == cell);
    assert!(printed("(1)", "B29").is_none());
    let c29 = printed("(1)", "C29").unwrap();
    assert_eq!(
        (c29.indicator.as_str(), c29.fiscal_year),
        ("優先度の高い行政手続電子化率", Some(2022))
    );
    let errors: Vec<(&str, &str, Option<&str>)> = v
        .diagnostics
        .iter()
        .filter(|d| d.code == torikumi::model::DiagCode::FormulaError)
        .map(|d| (d.at.sheet.as_str(), d.at.cell.as_str(), d.arg("case")))
        .collect();
    assert_eq!(errors, [("(1)", "B29", Some("value"))]);
}
