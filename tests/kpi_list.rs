//! The KPI list (`samples/gunma_dx_kpi_list.*`) holds the same values as the
//! per-item sheets of the same items (`samples/gunma_dx_kobetsu.*`): its FY
//! targets are their targets, its year's 実績値 is their Q4 actual, and its
//! running year's 実績値（12月末） is their Q3 actual as of 2023-12-31.

mod common;
use common::{assert_same, observation_key, root, with_case};

use std::sync::OnceLock;

use torikumi::mapping::Mappings;
use torikumi::model::{Extract, Kind, Observation, Period};
use torikumi::pipeline;
use torikumi::source::Limits;

fn mappings() -> &'static Mappings {
    static M: OnceLock<Mappings> = OnceLock::new();
    M.get_or_init(|| Mappings::load(&root().join("mappings")).expect("mappings load"))
}

fn ingest(file: &str) -> Extract {
    pipeline::ingest(&[root().join("samples").join(file)], mappings(), &Limits::default())
}

/// The KPI list sample's text, for a test to edit.
fn list_text() -> String {
    let bytes = std::fs::read(root().join("samples/gunma_dx_kpi_list.sjis.txt")).unwrap();
    encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned()
}

/// A list file's bytes (an edited sample, in any encoding the reader detects), ingested.
fn ingest_list_bytes(bytes: &[u8]) -> Extract {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("list.txt");
    std::fs::write(&input, bytes).unwrap();
    pipeline::ingest(&[input], mappings(), &Limits::default())
}

/// An edited list text, ingested.
fn ingest_list_text(text: &str) -> Extract {
    ingest_list_bytes(text.as_bytes())
}

/// The running year's (FY2023) actuals: their period and as-of date.
fn running_actuals(x: &Extract) -> Vec<(Period, Option<String>)> {
    x.observations
        .iter()
        .filter(|o| o.fiscal_year == Some(2023) && o.kind == Kind::Actual)
        .map(|o| (o.period, o.as_of.map(|d| d.to_string())))
        .collect()
}

/// (item, indicator, kind, fiscal year, per-item period) → (value, unit, status).
type Key = (String, String, Kind, Option<i32>, Period);

/// The per-item period a list value stands for.
fn item_period(o: &Observation) -> Option<Period> {
    match (o.kind, o.period) {
        (Kind::Actual, Period::FY) => Some(Period::Q(4)),
        (Kind::Actual, Period::AsOf) => (o.as_of.map(|d| d.to_string()).as_deref() == Some("2023-12-31")).then_some(Period::Q(3)),
        (_, Period::FY) => Some(Period::FY),
        _ => None,
    }
}

fn value_of(o: &Observation) -> (Option<f64>, Option<String>, String) {
    (o.value, o.unit.clone(), o.status.as_str().to_string())
}

/// True when the per-item sheets mark `o`'s indicator deleted in its fiscal year.
fn deleted_in(items: &Extract, o: &Observation) -> bool {
    items.observations.iter().any(|p| {
        p.initiative_no == o.initiative_no && p.indicator == o.indicator && p.fiscal_year == o.fiscal_year && p.status == "deleted"
    })
}

fn compare(list_file: &str, items_file: &str) {
    let list = ingest(list_file);
    let items = ingest(items_file);
    assert_eq!(list.observations.len(), 133, "{list_file}: 19 indicators × 7 columns");
    let per_item: std::collections::HashMap<Key, &Observation> = items
        .observations
        .iter()
        .map(|o| ((o.initiative_no.clone(), o.indicator.clone(), o.kind, o.fiscal_year, o.period), o))
        .collect();
    let mut mismatches = Vec::new();
    for o in &list.observations {
        let period = item_period(o).unwrap_or_else(|| panic!("a list value with no per-item period: {o:?}"));
        let key = (o.initiative_no.clone(), o.indicator.clone(), o.kind, o.fiscal_year, period);
        match per_item.get(&key) {
            Some(p) if value_of(p) == value_of(o) => {}
            Some(p) => mismatches.push(format!(
                "{key:?}: list {:?} ({}), sheets {:?} ({})",
                value_of(o),
                o.raw,
                value_of(p),
                p.raw
            )),
            // The sheets mark an indicator deleted for the year (目標達成のため削除) where the list writes —.
            None if o.status == "blank" && deleted_in(&items, o) => {}
            None => mismatches.push(format!("{key:?}: list {:?} ({}), not in the per-item sheets", value_of(o), o.raw)),
        }
    }
    assert!(mismatches.is_empty(), "{list_file} vs {items_file}:\n{}", mismatches.join("\n"));
}

#[test]
fn the_list_workbook_gives_the_values_of_the_per_item_sheets() {
    compare("gunma_dx_kpi_list.xlsx", "gunma_dx_kobetsu.xlsx");
}

#[test]
fn the_list_text_gives_the_values_of_the_per_item_sheets() {
    compare("gunma_dx_kpi_list.sjis.txt", "gunma_dx_kobetsu.sjis.txt");
}

#[test]
fn list_rows_carry_item_division_and_final_target() {
    let list = ingest("gunma_dx_kpi_list.xlsx");
    assert_eq!(list.initiatives.len(), 8);
    let item = list.initiatives.iter().find(|i| i.initiative_no == "3").expect("item (3)");
    assert_eq!(item.initiative, "利用機会の格差是正(デジタルデバインド対策)");
    assert_eq!(item.divisions, ["メディアプロモーション課", "業務プロセス改革課"]);
    // The item cell is merged down over its three indicators: all belong to (3).
    assert_eq!(list.indicators.iter().filter(|i| i.initiative_no == "3").count(), 3);
    let t = list.indicators.iter().find(|i| i.indicator.contains("tsulunos")).expect("tsulunos");
    assert_eq!((t.final_target_value, t.final_target_fy), (Some(15_000_000.0), Some(2023)));
    // 実績値（12月末） of 令和5年度: 88.7 % as of 2023-12-31.
    let asof = list
        .observations
        .iter()
        .find(|o| o.initiative_no == "1" && o.indicator_no == Some(1) && o.period == Period::AsOf)
        .expect("AS_OF value");
    assert_eq!(
        (asof.value, asof.as_of.map(|d| d.to_string())),
        (Some(88.7), Some("2023-12-31".to_string()))
    );
}

/// The list saved from Excel as "Unicode text": UTF-16 with tabs, and a cell
/// holding a line break or a double quote put between double quotes, so one
/// row spans two lines. Read line by line, the header's `"実績値` / `（12月末）"`
/// and item (2)'s two-line name made a 20th indicator named 7.0 % and moved
/// values across rows, with no warning.
#[test]
fn a_list_saved_from_excel_as_text_keeps_its_multi_line_cells() {
    let text = list_text();
    let excel = text
        .replace("\t実績値（12月末）\t", "\t\"実績値\n（12月末）\"\t")
        .replace("\t①優先度の高い行政手続電子化率\t", "\t\"①優先度の高い\n行政手続電子化率\"\t")
        .replace("(2) 県への支払い方法の多様化(", "\"(2) 県への支払い方法の多様化\n(\"\"")
        .replace("コンビニ納付等)\t", "コンビニ納付等)\"\"\"\t");
    assert_eq!(excel.matches('"').count(), 10, "the three cells were found");
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in excel.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let x = ingest_list_bytes(&utf16);
    assert_eq!((x.observations.len(), x.indicators.len(), x.initiatives.len()), (133, 19, 8));
    let first = x
        .observations
        .iter()
        .find(|o| o.initiative_no == "1" && o.indicator_no == Some(1) && o.period == Period::AsOf)
        .expect("AS_OF value");
    assert_eq!(
        (first.value, first.indicator.as_str()),
        (Some(88.7), "優先度の高い\n行政手続電子化率")
    );
    let two = x.initiatives.iter().find(|i| i.initiative_no == "2").expect("item (2)");
    assert_eq!(two.initiative, "県への支払い方法の多様化\n(\"キャッシュレス導入、コンビニ納付等)\"");
    let windows = x
        .indicators
        .iter()
        .find(|i| i.indicator == "キャッシュレス決済対応窓口数")
        .expect("③ of item (2)");
    assert_eq!((windows.initiative_no.as_str(), windows.final_target_value), ("2", Some(5.0)));
}

/// The running year's actual headed in other ways a division writes its
/// point in time: each reads as 12月末 does (before, these were the year's
/// full-year actuals, evaluated as final results without a word).
#[test]
fn the_running_years_point_in_time_in_other_forms() {
    let text = list_text();
    assert_eq!(text.matches("実績値（12月末）").count(), 1);
    for header in [
        "実績値（2023/12末）",
        "実績値（2023.12末）",
        "実績値（4～12月）",
        "実績値（12月時点）",
        "実績値（12月現在）",
    ] {
        let x = ingest_list_text(&text.replace("実績値（12月末）", header));
        let running = running_actuals(&x);
        assert_eq!(running.len(), 19, "{header}");
        assert!(
            running.iter().all(|r| *r == (Period::AsOf, Some("2023-12-31".to_string()))),
            "{header}: {running:?}"
        );
    }
}

/// The running year's actual headed with a month but no point in time
/// (`（12月）`: December's own figure, or as of its end?), a calendar year
/// (`（1～12月）`), a western year and month or a day (`（2023.12）`,
/// `（11月30日時点）`). Before, each was read as the year's full-year actual
/// and evaluated as a final result, silently. Now each of the 19 cells is an
/// ambiguous_cell warning (`undated-month`) naming its column, and no FY2023
/// actual is made.
#[test]
fn a_running_year_headed_with_an_undated_month_is_not_read_as_the_year() {
    let text = list_text();
    for header in ["実績値（12月）", "実績値（1～12月）", "実績値（2023.12）", "実績値（11月30日時点）"] {
        let x = ingest_list_text(&text.replace("実績値（12月末）", header));
        let running = x
            .observations
            .iter()
            .filter(|o| o.fiscal_year == Some(2023) && o.kind == Kind::Actual)
            .count();
        assert_eq!(running, 0, "{header}");
        let said: Vec<&str> = x
            .diagnostics
            .iter()
            .filter(|d| d.arg("case") == Some("undated-month"))
            .map(|d| d.at.cell.as_str())
            .collect();
        assert_eq!(said.len(), 19, "{header}");
        assert!(said.iter().all(|c| c.starts_with('I')), "{header}: {said:?}");
    }
}

/// Targets and a baseline dated at the fiscal year's end (`目標値（R6.3末）`,
/// `（2024年3月末）`, `基準値（R2.3末）`): the fiscal year's figures, as `R5`
/// and `基準値（R1）` are. Before, the targets became points in time
/// (AS_OF 2024-03-31) and all 17 FY2023 evaluations vanished, silently.
#[test]
fn targets_dated_at_the_fiscal_years_end_are_that_years() {
    let text = list_text();
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    for target in ["目標値（R6.3末）", "目標値（2024年3月末）"] {
        let edited = text
            .replacen("\t目標値\t実績値（12月末）", &format!("\t{target}\t実績値（12月末）"), 1)
            .replacen("基準値（R1）", "基準値（R2.3末）", 1);
        assert_ne!(edited, text);
        let x = ingest_list_text(&edited);
        assert_eq!(observation_key(&x), observation_key(&base), "{target}");
    }
}

/// Year labels dated at the year's end (`令和3年度末 | 令和4年度末` over
/// `目標値 | 実績値`): each year's targets and actuals. Before, every value
/// under them became a point in time (AS_OF 2022-03-31, 2023-03-31) and the
/// FY2021 and FY2022 evaluations of all 19 KPIs vanished, silently.
#[test]
fn year_labels_dated_at_the_years_end_name_the_years_figures() {
    let text = list_text();
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    let edited = text
        .replacen("\t令和3年度\t", "\t令和3年度末\t", 1)
        .replacen("\t令和4年度\t", "\t令和4年度末\t", 1);
    assert_eq!(edited.matches("年度末\t").count(), 2);
    let x = ingest_list_text(&edited);
    assert_eq!(observation_key(&x), observation_key(&base));
    let fy2021 = |kind| {
        x.observations
            .iter()
            .filter(|o| o.fiscal_year == Some(2021) && o.kind == kind && o.period == Period::FY)
            .count()
    };
    assert!(fy2021(Kind::Target) >= 17 && fy2021(Kind::Actual) >= 17);
}

/// A `No.` column in front of the list that counts its rows (1 … 19),
/// while each item's title carries its own number (`(2) 県への…`). Before,
/// the column's count replaced the items' numbers ((2) became 4, (3) 7 …),
/// silently breaking the join with the per-item sheets. Now the title's
/// number is the item's, and each item whose count differs is an
/// `ambiguous_row` warning (`item-number`) on its No. cell.
#[test]
fn a_row_counting_no_column_leaves_the_items_their_own_numbers() {
    let text = list_text();
    let mut count = 0;
    let mut in_list = false;
    let edited: Vec<String> = text
        .split('\n')
        .map(|line| {
            if line.starts_with("実施項目\t") {
                format!("No.\t{line}")
            } else if line.starts_with("\t\t\t目標値") {
                in_list = true;
                format!("\t{line}")
            } else if in_list && !line.trim().is_empty() {
                count += 1;
                format!("{count}\t{line}")
            } else {
                line.to_string()
            }
        })
        .collect();
    assert_eq!(count, 19);
    let x = ingest_list_text(&edited.join("\n"));
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    let numbers = |x: &Extract| x.initiatives.iter().map(|i| i.initiative_no.clone()).collect::<Vec<_>>();
    assert_eq!(numbers(&x), numbers(&base));
    let said: Vec<(&str, Option<&str>)> = x
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("item-number"))
        .map(|d| (d.raw.as_deref().unwrap_or_default(), d.arg("title")))
        .collect();
    assert_eq!(said.first(), Some(&("4", Some("2"))), "{said:?}");
    assert_eq!(x.observations.len(), base.observations.len());
}

/// Item numbers typed without brackets (`1 電子申請…`, `2. 県への…`) and
/// indicators numbered ⑴ ⑵ ⑶ instead of ① ② ③: the same values as the sample.
/// Before, item 1's 21 values had no item number and ⑴ stayed in the
/// indicators' names, with no word.
#[test]
fn item_numbers_without_brackets_and_parenthesised_indicator_numbers() {
    let text = list_text();
    let edited = text
        .replacen("(1) 電子申請", "1 電子申請", 1)
        .replacen("(2) 県への", "2. 県への", 1)
        .replacen("\t①優先度", "\t⑴優先度", 1)
        .replacen("\t②電子手続", "\t⑵電子手続", 1)
        .replacen("\t③マイナンバー", "\t⒊マイナンバー", 1);
    assert_eq!(edited.matches(['⑴', '⑵', '⒊']).count(), 3);
    let x = ingest_list_text(&edited);
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    common::assert_same(&common::observation_key(&x), &common::observation_key(&base), "observations");
    common::assert_same(&common::indicator_key(&x), &common::indicator_key(&base), "indicators");
}

/// Sub-item numbers led by a circled number (`①-1 電子申請…`, `①-2 県への…`),
/// as another office numbers its items: read as `1-1` and `1-2`, as `(1)-2` is.
/// Before, those items and their values carried no number, and nothing said so.
#[test]
fn item_numbers_led_by_a_circled_number() {
    let edited = list_text()
        .replacen("(1) 電子申請", "①-1 電子申請", 1)
        .replacen("(2) 県への", "①-2 県への", 1);
    let x = ingest_list_text(&edited);
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    let numbers: Vec<&str> = x.initiatives.iter().map(|i| i.initiative_no.as_str()).collect();
    assert_eq!(numbers[..2], ["1-1", "1-2"]);
    assert_eq!(x.observations.len(), base.observations.len());
    let unnumbered = x.observations.iter().filter(|o| o.initiative_no.is_empty()).count();
    assert_eq!(unnumbered, 0);
    let item = |x: &Extract, no: &str| x.observations.iter().filter(|o| o.initiative_no == no).count();
    assert_eq!((item(&x, "1-1"), item(&x, "1-2")), (item(&base, "1"), item(&base, "2")));
}

/// A note row between two numbered indicators (`注：…`, `（注1）…`,
/// `出典：…` alone in the indicator column): a note, left in the diagnostics.
/// Before, it was joined to the name above as a wrapped name, silently, and
/// that indicator's values went to a KPI of another name.
#[test]
fn a_labelled_note_between_indicators_is_no_part_of_a_name() {
    for note in ["注：R5はオンライン完結分のみ", "（注1）R5から算定方法を変更", "出典：総務省調査"] {
        let text = list_text();
        let line = text.lines().find(|l| l.contains("\t①優先度")).expect("① row").to_string();
        let edited = text.replacen(&line, &format!("{line}\n\t{note}"), 1);
        let x = ingest_list_text(&edited);
        let base = ingest("gunma_dx_kpi_list.sjis.txt");
        assert_same(&observation_key(&x), &observation_key(&base), note);
        let said = x
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "unmapped" && d.raw.as_deref() == Some(note));
        assert!(said, "{note} is in the diagnostics");
    }
}

/// A memo dating the document above the title (`更新日：令和6年1月15日`) is
/// not the point in time of the running year's actuals; the title's is.
/// Before, the FY2023 actuals were read as of 2024-01-31, said only as info.
#[test]
fn a_document_date_above_the_title_does_not_date_the_actuals() {
    let list = |title: &str| {
        format!(
            "更新日：令和6年1月15日\n{title}\n\n\
             実施項目\t指標\t基準値（R1）\t令和4年度\t\t令和5年度\t\t担当課\n\
             \t\t\t目標値\t実績値\t目標値\t実績値\n\
             (1) 電子申請の推進\t①電子申請率\t7.0%\t65%\t70.2%\t100%\t88.0%\t行政改革課\n"
        )
    };
    let actual_2023 = |x: &Extract| {
        let o = x
            .observations
            .iter()
            .find(|o| o.kind == "actual" && o.fiscal_year == Some(2023))
            .expect("FY2023 actual");
        (o.value, o.period, o.as_of.map(|d| d.to_string()))
    };
    let x = ingest_list_text(&list("指標の進捗一覧（令和6年3月末時点）"));
    assert_eq!(actual_2023(&x), (Some(88.0), Period::FY, None));
    let x = ingest_list_text(&list("指標の進捗一覧（令和5年12月末時点）"));
    assert_eq!(actual_2023(&x), (Some(88.0), Period::AsOf, Some("2023-12-31".to_string())));
}

/// PDF text of a list with a page break inside it: the page's number
/// (`2／4`) and the title again, with another date, on lines of their own.
/// They are page furniture (`decoration`), not a heading: before, the title
/// became the goal of the items below it, its date unsaid.
#[test]
fn a_page_number_and_the_title_again_are_page_furniture() {
    let text = list_text();
    let title = text.lines().next().expect("title").to_string();
    let line = text.lines().find(|l| l.starts_with("(2) ")).expect("item (2)").to_string();
    let again = title.replace("12月末", "3月末");
    let edited = text.replacen(&line, &format!("2／4\n\u{c}{again}\n{line}"), 1);
    let x = ingest_list_text(&edited);
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    assert_same(&observation_key(&x), &observation_key(&base), "observations");
    let goals = |x: &Extract| x.initiatives.iter().map(|i| i.goal.clone()).collect::<Vec<_>>();
    assert_eq!(goals(&x), goals(&base));
    let furniture: Vec<&str> = x
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "decoration")
        .map(|d| d.raw.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(furniture.len(), 2, "{furniture:?}");
    assert!(furniture[0] == "2／4" && furniture[1].contains("3月末"), "{furniture:?}");
}

/// A list that prints its own achievement: rate and status word, one row
/// right (1,266 ÷ 750 = 168.8 %, 達成) and one wrong (84.1 ÷ 65.6 = 128.2 %,
/// printed 100.0 % and 未達成).
#[test]
fn printed_achievements_are_kept_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("list.txt");
    std::fs::write(
        &input,
        "実施項目\t指標\t令和4年度\t\t\t\t担当課\n\
         \t\t目標値\t実績値\t達成率\t達成状況\n\
         (1) 項目\t①件数\t750件\t1,266件\t168.8%\t達成\t課\n\
         \t②率\t65.6%\t84.1%\t100.0%\t未達成\n",
    )
    .unwrap();
    let x = pipeline::ingest(&[input], mappings(), &Limits::default());
    let (rows, _, diags) = torikumi::evaluate::evaluate(&x, &mappings().evaluation);
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.indicator == name)
            .unwrap_or_else(|| panic!("{name}: {rows:#?}"))
    };
    let right = row("件数");
    assert_eq!(right.printed_achievement_rate, Some(168.8));
    assert_eq!(right.printed_status.map(|s| s.as_str()), Some("achieved"));
    let wrong = row("率");
    assert_eq!((wrong.printed_achievement_rate, wrong.status.as_str()), (Some(100.0), "achieved"));
    assert_eq!(wrong.printed_cell.as_deref(), Some("list!E4"));
    let differs: Vec<_> = diags.iter().filter(|d| d.code == "printed_achievement_differs").collect();
    assert_eq!(differs.len(), 1, "{diags:#?}");
    assert_eq!(differs[0].at.cell, "E4");
    let message = torikumi::mapping::messages::run_text(differs[0]);
    assert!(message.contains("128.2%"), "{message}");
    assert!(message.contains("100.0%"), "{message}");
}

/// A list shaped otherwise, as another office keeps it: a No. column beside
/// the title, a heading row over its items, one header row with the year in
/// each cell (R5目標, 実績（R4.9末）, 現状値（R3）), a unit column, and a
/// lower-is-better indicator. Its mapping names only the key columns.
#[test]
fn a_list_of_another_shape_reads_with_a_mapping_of_labels_only() {
    let dir = tempfile::tempdir().unwrap();
    let maps = dir.path().join("mappings");
    std::fs::create_dir(&maps).unwrap();
    for f in ["vocabulary.toml", "evaluation.toml"] {
        std::fs::copy(root().join("mappings").join(f), maps.join(f)).unwrap();
    }
    std::fs::write(
        maps.join("other_list.toml"),
        r#"
[layout]
name = "other_list"
plan = "別の計画"
[recognise]
all_labels = ["KPI", "所管課"]
[list_table]
number_labels = ["No."]
item_labels = ["取組項目"]
indicator_labels = ["KPI"]
unit_labels = ["単位"]
division_labels = ["所管課"]
"#,
    )
    .unwrap();
    let m = Mappings::load(&maps).expect("the mapping compiles");
    let input = dir.path().join("list.txt");
    std::fs::write(
        &input,
        "No.\t取組項目\tKPI\t単位\t現状値（R3）\t実績（R4.9末）\tR5目標\tR6目標\tR7目標\t所管課\n\
         Ⅰ デジタル化の推進\n\
         1\tペーパーレス化の推進\tコピー使用量\t枚\t1,000\t800\t600\t500\t400\t行政・デジタル改革課\n\
         2\t情報セキュリティ\t重要なインシデント事案発生件数\t件\t0\t0\t0\t0\t0\t情報システム戦略課\n\
         \t\tオンライン利用率\t%\t28.3\t35.0\t35\t40\t45\n",
    )
    .unwrap();
    let x = pipeline::ingest(&[input], &m, &Limits::default());
    let unread: Vec<_> = x
        .diagnostics
        .iter()
        .filter(|d| d.severity != torikumi::model::Severity::Info)
        .collect();
    assert!(unread.is_empty(), "{unread:#?}");
    assert_eq!(x.initiatives.len(), 2);
    let first = &x.initiatives[0];
    assert_eq!(
        (first.initiative_no.as_str(), first.initiative.as_str()),
        ("1", "ペーパーレス化の推進")
    );
    assert_eq!(first.goal.as_deref(), Some("Ⅰ デジタル化の推進"));
    assert_eq!(first.divisions, ["行政・デジタル改革課"]);
    let find = |ind: &str, kind: &str, period: &str, fy: i32| {
        x.observations
            .iter()
            .find(|o| o.indicator == ind && o.kind == kind && o.period == period && o.fiscal_year == Some(fy))
            .unwrap_or_else(|| panic!("{ind} {kind} {period} {fy}"))
    };
    let base = find("コピー使用量", "baseline", "FY", 2021);
    assert_eq!((base.value, base.unit.as_deref()), (Some(1000.0), Some("枚")));
    let asof = find("コピー使用量", "actual", "AS_OF", 2022);
    assert_eq!(
        (asof.value, asof.as_of.map(|d| d.to_string())),
        (Some(800.0), Some("2022-09-30".to_string()))
    );
    assert_eq!(find("オンライン利用率", "target", "FY", 2025).value, Some(45.0));
    // The third row carries item 2 down.
    assert_eq!(find("オンライン利用率", "target", "FY", 2023).initiative_no, "2");
    // Evaluation: lower is better for the copies (a name rule of evaluation.toml).
    let (rows, _, _) = torikumi::evaluate::evaluate(&x, &m.evaluation);
    let copies = rows.iter().find(|r| r.indicator == "コピー使用量" && r.fiscal_year == 2022);
    assert!(copies.is_none(), "no FY2022 target, so no row: {copies:?}");
    let r = rows
        .iter()
        .find(|r| r.indicator == "コピー使用量" && r.fiscal_year == 2023)
        .expect("FY2023 row");
    assert_eq!((r.direction.as_str(), r.status.as_str()), ("lower", "pending"));
}

/// A workbook written by a program that does not calculate (openpyxl) holds
/// formulas without results: G6 `=E6+150` and H6 `=F6+457`, the FY2022 target
/// and actual of ②電子手続. calamine gives them as empty cells; each must be a
/// warning naming the cell and its formula, and no value may be made up.
#[test]
fn a_formula_saved_without_its_result_is_reported_not_lost() {
    let file = root().join("tests/fixtures/variants/kpi_formulas_uncomputed.xlsx");
    let x = pipeline::ingest(&[file], mappings(), &Limits::default());
    let warned: Vec<(&str, &str, String)> = x
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "formula_error")
        .map(|d| {
            (
                d.at.cell.as_str(),
                d.raw.as_deref().unwrap_or(""),
                d.arg("case").unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert_eq!((warned[0].0, warned[0].1), ("G6", "=E6+150"));
    assert_eq!((warned[1].0, warned[1].1), ("H6", "=F6+457"));
    assert!(warned.iter().all(|w| w.2 == "uncomputed"), "{warned:?}");
    let e_filings: Vec<_> = x.observations.iter().filter(|o| o.indicator.contains("電子化数")).collect();
    assert!(
        e_filings.iter().all(|o| o.fiscal_year != Some(2022)),
        "a value for FY2022 was invented: {e_filings:?}"
    );
    // The row's other years are read as before: 600 and 809 for FY2021.
    let fy2021: Vec<_> = e_filings.iter().filter(|o| o.fiscal_year == Some(2021)).map(|o| o.value).collect();
    assert_eq!(fy2021, [Some(600.0), Some(809.0)]);
}

/// `kpi_hidden_copy.*`: the KPI list with a hidden copy of its sheet in front,
/// `指標一覧(R4)`, a year older (G5, ①'s FY2022 actual, reads 70.0% there and
/// 84.1% in the live sheet, as of its title's 令和4年12月末). The hidden sheet is read, but never silently: one
/// `hidden_sheet` warning names it and its cell count, in each format that
/// records hidden sheets (xlsx as openpyxl writes it, xls and ods as LibreOffice does).
#[test]
fn a_hidden_sheet_is_read_and_reported_in_every_format() {
    for ext in ["xlsx", "xls", "ods"] {
        let file = root().join(format!("tests/fixtures/variants/kpi_hidden_copy.{ext}"));
        let x = pipeline::ingest(&[file], mappings(), &Limits::default());
        let hidden: Vec<(&str, Option<&str>)> = x
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "hidden_sheet")
            .map(|d| (d.at.sheet.as_str(), d.arg("cells")))
            .collect();
        assert_eq!(hidden, [("指標一覧(R4)", Some("182"))], "{ext}");
        // Both sheets' values are rows; the one that differs is also a conflict.
        let g5: Vec<_> = x
            .observations
            .iter()
            .filter(|o| o.indicator.contains("行政手続電子化率") && o.fiscal_year == Some(2022) && o.kind == Kind::Actual)
            .map(|o| (o.at.sheet.as_str(), o.raw.as_str()))
            .collect();
        assert_eq!(g5, [("指標一覧(R4)", "70.0%"), ("指標一覧", "84.1%")], "{ext}");
        // The copy's title dates it 令和4年12月末時点: its FY2022 actuals are as
        // of that day (as_of_from_title), so 70.0% is no conflict with 84.1%.
        let copy_g5 = x
            .observations
            .iter()
            .find(|o| o.at.sheet == "指標一覧(R4)" && o.raw == "70.0%")
            .map(|o| o.as_of.map(|d| d.to_string()));
        assert_eq!(copy_g5, Some(Some("2022-12-31".to_string())), "{ext}");
    }
}

/// A target merged over cells the list reads as other values: `100%` over
/// the FY2022 and FY2023 targets of ③マイナンバーカード交付率 (E7:F7, a list with
/// its kinds first), `10件` over the FY2022 targets of (10)'s two indicators
/// (F22:F23). Each value is read for its own cell only, never spread, and
/// an `ambiguous_cell` warning (`merged-across`) names the region; before, the
/// other year's or indicator's target was missing with no word.
#[test]
fn a_value_merged_over_other_value_cells_is_reported() {
    for (file, cell, region) in [
        ("kpi_target_merged_across_years.xlsx", "E7", "E7:F7"),
        ("kpi_target_merged_down.xlsx", "F22", "F22:F23"),
    ] {
        let path = root().join("tests/fixtures/variants").join(file);
        let x = pipeline::ingest(&[path], mappings(), &Limits::default());
        let merged: Vec<(&str, Option<&str>)> = x
            .diagnostics
            .iter()
            .filter(|d| d.arg("case") == Some("merged-across"))
            .map(|d| (d.at.cell.as_str(), d.arg("region")))
            .collect();
        assert_eq!(merged, [(cell, Some(region))], "{file}");
        let read: Vec<&str> = x
            .observations
            .iter()
            .filter(|o| o.raw == "100%" || o.raw == "10件")
            .map(|o| o.at.cell.as_str())
            .collect();
        assert!(read.contains(&cell), "{file}: {read:?}");
    }
    // The merged target stands for FY2022 only: no FY2023 target is made up for ③.
    let path = root().join("tests/fixtures/variants/kpi_target_merged_across_years.xlsx");
    let x = pipeline::ingest(&[path], mappings(), &Limits::default());
    let targets: Vec<Option<i32>> = x
        .observations
        .iter()
        .filter(|o| o.indicator == "マイナンバーカード交付率" && o.kind == Kind::Target)
        .map(|o| o.fiscal_year)
        .collect();
    assert_eq!(targets, [Some(2021), Some(2022)]);
}

/// The running year's actuals headed plain `実績値` under `令和5年度`, the
/// point in time given only by the sheet's title (`指標の進捗一覧（令和5年12月末
/// 時点）`). Before, they were the year's full-year actuals, evaluated as final
/// results, silently. Now the title dates them: AS_OF 2023-12-31, with one
/// `as_of_from_title` note at the column's header; the sample's values.
#[test]
fn a_running_year_dated_only_by_the_title() {
    let text = list_text();
    assert!(text.contains("（令和5年12月末時点）"));
    let x = ingest_list_text(&text.replacen("実績値（12月末）", "実績値", 1));
    let running = running_actuals(&x);
    assert_eq!(running.len(), 19);
    assert!(
        running.iter().all(|r| *r == (Period::AsOf, Some("2023-12-31".to_string()))),
        "{running:?}"
    );
    let notes: Vec<&str> = x
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "as_of_from_title")
        .map(|d| d.at.cell.as_str())
        .collect();
    assert_eq!(notes, ["I4"]);
    // A title dated at the fiscal year's end leaves the year's actuals full-year ones.
    let year_end = text
        .replacen("実績値（12月末）", "実績値", 1)
        .replacen("（令和5年12月末時点）", "（令和6年3月末時点）", 1);
    let x = ingest_list_text(&year_end);
    let full_year = running_actuals(&x).iter().filter(|(p, _)| *p == Period::FY).count();
    assert_eq!(full_year, 19);
}

/// An item's title wrapped into the next row's item cell (`(1) 電子申請受付
/// システム、` | `マイナンバーカード活用`, the cells not merged), in the row of ②.
/// Before, the second line was an item of its own with no number, and ② and
/// ③ left item 1, silently. Now it is the rest of the title (joined), with
/// an `ambiguous_row` note (`title-wrapped`): the sample's tables.
#[test]
fn an_item_title_wrapped_into_the_next_row() {
    let text = list_text();
    let title = "(1) 電子申請受付システム、マイナンバーカード活用\t";
    let second = "\t②電子手続及びイベント申込の電子化数";
    assert_eq!((text.matches(title).count(), text.matches(second).count()), (1, 1));
    let edited = text.replacen(title, "(1) 電子申請受付システム、\t", 1).replacen(
        second,
        "マイナンバーカード活用\t②電子手続及びイベント申込の電子化数",
        1,
    );
    let x = ingest_list_text(&edited);
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    assert_eq!(observation_key(&x), observation_key(&base));
    let titles = |x: &Extract| x.initiatives.iter().map(|i| i.initiative.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&x), titles(&base));
    assert_eq!(x.initiatives.len(), base.initiatives.len());
    assert!(x.diagnostics.iter().any(|d| d.arg("case") == Some("title-wrapped")));
}

/// The rest of an item's title on a line of its own, right under the item's
/// cell (`(1) 電子申請受付システム、` | `マイナンバーカード活用`, a PDF line break):
/// joined, with the `title-wrapped` note. Before, it was read as a heading:
/// item 1's title stayed cut and the rest became item 2's goal, silently.
#[test]
fn an_item_title_wrapped_onto_a_line_of_its_own() {
    let text = list_text();
    let line = text
        .lines()
        .find(|l| l.starts_with("(1) 電子申請受付システム、マイナンバーカード活用\t"))
        .expect("item 1")
        .to_string();
    let cut = line.replacen("マイナンバーカード活用", "", 1);
    let edited = text.replacen(&line, &format!("{cut}\nマイナンバーカード活用"), 1);
    let x = ingest_list_text(&edited);
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    assert_eq!(observation_key(&x), observation_key(&base));
    let items = |x: &Extract| {
        x.initiatives
            .iter()
            .map(|i| (i.initiative.clone(), i.goal.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(items(&x), items(&base));
    assert!(x.diagnostics.iter().any(|d| d.arg("case") == Some("title-wrapped")));
}

/// `809` with no unit among a row's 件 values (typed as text, or stored as
/// text in a `#,##0"件"` cell). Before, it was read as 809 with no unit and
/// compared with the 600件 target without a word. Now it is an
/// `ambiguous_cell` warning (`bare-among-units`), kept as typed.
#[test]
fn a_bare_number_among_counts_is_said() {
    let text = list_text();
    let row = "②電子手続及びイベント申込の電子化数\t235件\t600件\t809件";
    assert_eq!(text.matches(row).count(), 1);
    let x = ingest_list_text(&text.replacen(row, &row.replace("\t809件", "\t809"), 1));
    let said: Vec<(Option<&str>, Option<&str>)> = x
        .diagnostics
        .iter()
        .filter(|d| d.arg("case") == Some("bare-among-units"))
        .map(|d| (d.raw.as_deref(), d.arg("unit")))
        .collect();
    assert_eq!(said, [(Some("809"), Some("件"))]);
}

/// The sample's row of item (1)'s second KPI, and its FY2023 actual as of December.
const COUNT_ROW: &str = "②電子手続及びイベント申込の電子化数\t235件\t600件\t809件\t750件\t1,266件\t900件\t1,360件";

/// The observation of the KPI list's count row for (kind, fiscal year).
fn count_value(x: &Extract, kind: Kind, fy: i32) -> (Option<f64>, Option<String>, String) {
    let o = x
        .observations
        .iter()
        .find(|o| o.indicator == "電子手続及びイベント申込の電子化数" && o.kind == kind && o.fiscal_year == Some(fy))
        .expect("the count row's value");
    value_of(o)
}

/// Words after a value with no bracket: `1,360件見込み` is an estimate of
/// 1,360 件 and `900件超` a target of more than 900 件. Before, the units
/// were `件見込み` and `件超`, the estimate's status was lost, and nothing
/// was said.
#[test]
fn estimate_and_more_than_words_after_a_value() {
    let text = list_text();
    assert_eq!(text.matches(COUNT_ROW).count(), 1);
    let edited = COUNT_ROW.replace("\t900件\t1,360件", "\t900件超\t1,360件見込み");
    let x = ingest_list_text(&text.replacen(COUNT_ROW, &edited, 1));
    assert_eq!(
        count_value(&x, Kind::Actual, 2023),
        (Some(1360.0), Some("件".into()), "approx".into())
    );
    assert_eq!(count_value(&x, Kind::Target, 2023), (Some(900.0), Some("件".into()), "ok".into()));
}

/// `1,266件件`, a unit typed twice, among the row's 件 values. Before, it
/// was 1,266 in the unit `件件` with no word (an actual with its own
/// target would have said only that the units disagree). Now it is an
/// `ambiguous_cell` warning (`unit-differs`) naming both units, kept as read.
#[test]
fn a_unit_unlike_the_rows_others_is_said() {
    let text = list_text();
    let x = ingest_list_text(&text.replacen(COUNT_ROW, &COUNT_ROW.replace("\t1,266件", "\t1,266件件"), 1));
    let said: Vec<(Option<&str>, Option<&str>, Option<&str>)> = with_case(&x, "unit-differs")
        .map(|d| (d.raw.as_deref(), d.arg("unit"), d.arg("other")))
        .collect();
    assert_eq!(said, [(Some("1,266件件"), Some("件件"), Some("件"))]);
    assert_eq!(
        count_value(&x, Kind::Actual, 2022),
        (Some(1266.0), Some("件件".into()), "ok".into())
    );
}

/// A totals row that says what it sums (`合計（件数指標）`) under item (1).
/// Before, it became a third KPI of the item with the row's values, so a
/// sum over the list counted them twice. Now it is a totals row like `合計`:
/// no indicator, each value a `row_without_indicator` warning (`total`).
#[test]
fn a_totals_row_with_a_bracketed_word_is_no_indicator() {
    let text = list_text();
    let total = "\t合計（件数指標）\t235件\t600件\t809件\t750件\t1,266件\t900件\t1,360件\t";
    let x = ingest_list_text(&text.replacen(COUNT_ROW, &format!("{COUNT_ROW}\t\n{total}"), 1));
    assert!(
        x.observations.iter().all(|o| !o.indicator.contains("合計")),
        "the totals row is no KPI"
    );
    let totals: Vec<&str> = with_case(&x, "total").filter_map(|d| d.raw.as_deref()).collect();
    assert_eq!(
        totals,
        [
            "合計（件数指標）",
            "235件",
            "600件",
            "809件",
            "750件",
            "1,266件",
            "900件",
            "1,360件"
        ]
    );
    assert_eq!(
        observation_key(&x).len(),
        observation_key(&ingest("gunma_dx_kpi_list.sjis.txt")).len()
    );
}

/// An item of the list numbered as a sub-item (`1-1`): its rows carry 1-1.
/// Before, they carried no item number, and nothing was said.
#[test]
fn a_sub_item_number_in_the_list_is_read() {
    let text = list_text();
    let title = "(1) 電子申請受付システム、マイナンバーカード活用";
    assert_eq!(text.matches(title).count(), 1);
    let x = ingest_list_text(&text.replacen(title, &title.replace("(1)", "1-1"), 1));
    let first: Vec<&str> = x
        .observations
        .iter()
        .filter(|o| o.initiative == "電子申請受付システム、マイナンバーカード活用")
        .map(|o| o.initiative_no.as_str())
        .collect();
    assert!(!first.is_empty() && first.iter().all(|n| *n == "1-1"), "{first:?}");
}

/// A 達成率 column with no year before 担当課, as a division adds one. Before,
/// its cells were `year_not_decoded` warnings saying only that the header
/// names no year, as if a value had been lost; now the case says it is a
/// printed achievement whose year the header does not give.
#[test]
fn an_achievement_column_without_a_year_is_said_as_one() {
    // A column before the last (担当課) of every ten-column line.
    let edited: Vec<String> = list_text()
        .lines()
        .map(|line| {
            let mut cells: Vec<&str> = line.split('\t').collect();
            if cells.len() == 10 {
                let added = match cells[9] {
                    "担当課" => "達成率",
                    _ if line.starts_with(COUNT_ROW.trim_start()) || line.contains(COUNT_ROW) => "151.1%",
                    _ => "",
                };
                cells.insert(9, added);
            }
            cells.join("\t")
        })
        .collect();
    let x = ingest_list_text(&edited.join("\n"));
    let said: Vec<(Option<&str>, Option<&str>)> = x
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "year_not_decoded")
        .map(|d| (d.arg("case"), d.raw.as_deref()))
        .collect();
    assert_eq!(said, [(Some("list-achievement"), Some("151.1%"))]);
}

/// Item (1)'s first KPI, in percentages.
const RATE_ROW: &str = "①優先度の高い行政手続電子化率\t7.0%\t32.1%\t28.3%";

/// `28.3件` among percentages: a count's unit slipped into a rate. Before,
/// kept as 28.3 件 with no word (the FY2021 actual, which an evaluation
/// would only have called not evaluable). `28.3ﾊﾟｰｾﾝﾄ`, in half-width kana, is 28.3 %.
#[test]
fn a_count_among_percentages_is_said_and_half_width_percent_read() {
    let text = list_text();
    assert_eq!(text.matches(RATE_ROW).count(), 1);
    let x = ingest_list_text(&text.replacen(RATE_ROW, &RATE_ROW.replace("28.3%", "28.3件"), 1));
    let odd: Vec<Option<&str>> = with_case(&x, "unit-differs").map(|d| d.arg("unit")).collect();
    assert_eq!(odd, [Some("件")]);
    let x = ingest_list_text(&text.replacen(RATE_ROW, &RATE_ROW.replace("28.3%", "28.3ﾊﾟｰｾﾝﾄ"), 1));
    let o = x
        .observations
        .iter()
        .find(|o| o.indicator == "優先度の高い行政手続電子化率" && o.kind == Kind::Actual && o.fiscal_year == Some(2021))
        .unwrap();
    assert_eq!((o.value, o.unit.as_deref()), (Some(28.3), Some("%")));
}

/// `②電子手続及びイベント申込の電子化数※1`: a footnote reference after a
/// KPI's name. Before, the name kept `※1`, so the KPI no longer matched the
/// same KPI in the per-item sheets; its values were right, its name was not.
#[test]
fn a_footnote_reference_after_a_kpis_name_is_not_part_of_it() {
    let text = list_text();
    let named = COUNT_ROW.replacen("電子化数", "電子化数※1", 1);
    let x = ingest_list_text(&text.replacen(COUNT_ROW, &named, 1));
    assert_eq!(observation_key(&x), observation_key(&ingest("gunma_dx_kpi_list.sjis.txt")));
    assert!(x.indicators.iter().all(|i| !i.indicator.contains('※')));
}

/// The sample's header lines: the year labels, and the kinds under them.
const YEAR_LINE: &str = "基準値（R1）\t令和3年度\t\t令和4年度\t\t令和5年度\t\t担当課";
const KIND_LINE: &str = "\t\t\t目標値\t実績値\t目標値\t実績値\t目標値\t実績値（12月末）\t";

/// The unread value cells (`unmapped_value`) of the list's first KPI row.
fn unread_in_row_5(x: &Extract) -> Vec<(&str, &str)> {
    x.diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unmapped_value" && d.at.cell.ends_with('5') && d.at.cell.len() == 2)
        .map(|d| (d.at.cell.as_str(), d.raw.as_deref().unwrap_or("")))
        .collect()
}

/// Each year label over the 実績値 column of its group (`\t令和3年度` over
/// 目標値 | 実績値, as when a merged label is unmerged into its right-hand
/// cell). Before, D got `year_not_decoded` and every later value was read as
/// the year before (F5 65.6% the FY2021 target, not FY2022's), silently.
/// Now one `ambiguous_column` warning (`year-off-group`) at E3 names the
/// labels, and no column from D on is read: each value is listed as unread.
/// The baseline, headed on its own, is read.
#[test]
fn year_labels_off_their_groups_of_kinds_are_said_not_read() {
    let text = list_text();
    assert_eq!(text.matches(YEAR_LINE).count(), 1);
    let edited = text.replacen(YEAR_LINE, "基準値（R1）\t\t令和3年度\t\t令和4年度\t\t令和5年度\t担当課", 1);
    let x = ingest_list_text(&edited);
    let said: Vec<(&str, Option<&str>)> = with_case(&x, "year-off-group")
        .map(|d| (d.at.cell.as_str(), d.arg("labels")))
        .collect();
    assert_eq!(said, [("E3", Some("E3 «令和3年度», G3 «令和4年度», I3 «令和5年度»"))]);
    let kinds: Vec<(Kind, Option<i32>)> = x.observations.iter().map(|o| (o.kind, o.fiscal_year)).collect();
    assert_eq!(kinds.len(), 19);
    assert!(kinds.iter().all(|k| *k == (Kind::Baseline, Some(2019))), "{kinds:?}");
    assert_eq!(
        unread_in_row_5(&x),
        [
            ("D5", "32.1%"),
            ("E5", "28.3%"),
            ("F5", "65.6%"),
            ("G5", "84.1%"),
            ("H5", "100%"),
            ("I5", "88.7%")
        ]
    );
    assert_eq!(x.initiatives[0].divisions, ["業務プロセス改革課"]);
}

/// A header line of the text that lost fields (PDF extraction): the empty
/// fields between the year labels dropped, one tab lost, or the kinds'
/// line its leading tab. Before, every value after the loss was read one
/// column off: as another year or kind (C5 7.0% the FY2019 target), or a
/// value under 担当課 as a division (`84.1%; 1; 266件; 64.5%`), silently.
/// Now one `ambiguous_column` warning (`header-short`) names the line's
/// labels, and no column from C on is read: the values are listed as
/// unread, no figure is a division. The kinds' line that slipped leaves the
/// key labels above in place: the divisions are read.
#[test]
fn a_header_line_that_lost_fields_is_said_not_read() {
    let text = list_text();
    assert_eq!(text.matches(KIND_LINE).count(), 1);
    for (year_line, kind_line, at, divisions) in [
        ("基準値（R1）\t令和3年度\t令和4年度\t令和5年度\t担当課", KIND_LINE, "C3", false),
        ("基準値（R1）\t令和3年度\t\t令和4年度\t令和5年度\t\t担当課", KIND_LINE, "C3", false),
        (YEAR_LINE, &KIND_LINE[1..], "C4", true),
    ] {
        let edited = text.replacen(YEAR_LINE, year_line, 1).replacen(KIND_LINE, kind_line, 1);
        let x = ingest_list_text(&edited);
        let said: Vec<(&str, Option<&str>)> = with_case(&x, "header-short")
            .map(|d| (d.at.cell.as_str(), d.arg("width")))
            .collect();
        assert_eq!(said, [(at, Some("10"))], "{year_line}");
        assert!(x.observations.is_empty(), "{year_line}: {:?}", x.observations.first());
        assert_eq!(unread_in_row_5(&x).len(), 7, "{year_line}");
        let first: Vec<String> = if divisions {
            vec!["業務プロセス改革課".into()]
        } else {
            vec![]
        };
        assert_eq!(x.initiatives[0].divisions, first, "{year_line}");
        assert_eq!(x.initiatives.len(), 8);
    }
}

/// A figure in the 担当課 column (`1,266件`). Before, it became item (1)'s
/// divisions `1; 266件`, split at its comma. Now it is no division: an
/// `ambiguous_cell` warning (`division-figure`) at J5.
#[test]
fn a_figure_under_the_division_label_is_no_division() {
    let text = list_text();
    let row = "88.7%\t業務プロセス改革課";
    assert_eq!(text.matches(row).count(), 1);
    let x = ingest_list_text(&text.replacen(row, "88.7%\t1,266件", 1));
    let said: Vec<&str> = with_case(&x, "division-figure").map(|d| d.at.cell.as_str()).collect();
    assert_eq!(said, ["J5"]);
    assert!(x.initiatives[0].divisions.is_empty(), "{:?}", x.initiatives[0].divisions);
}

/// A value's word in the 担当課 column, the row's fields shifted: a status
/// (`集計中`, a dash), an achievement (`達成`, `×`) or a year's value
/// (`R5：65%`, `令和元年度`). Before, each became item (1)'s division
/// silently (a figure was already said). Now none is a division: an
/// `ambiguous_cell` warning (`division-word`) at J5 with its text; the
/// sample's divisions give none.
#[test]
fn a_value_word_under_the_division_label_is_no_division() {
    let text = list_text();
    assert_eq!(with_case(&ingest_list_text(&text), "division-word").count(), 0);
    let row = "88.7%\t業務プロセス改革課";
    assert_eq!(text.matches(row).count(), 1);
    for word in ["達成", "×", "集計中", "―", "R5：65%", "令和元年度"] {
        let x = ingest_list_text(&text.replacen(row, &format!("88.7%\t{word}"), 1));
        let said: Vec<(&str, Option<&str>)> = with_case(&x, "division-word")
            .map(|d| (d.at.cell.as_str(), d.raw.as_deref()))
            .collect();
        assert_eq!(said, [("J5", Some(word))], "{word}");
        assert!(x.initiatives[0].divisions.is_empty(), "{word}: {:?}", x.initiatives[0].divisions);
    }
}

/// A row numbering the columns right under the header (`(1) | (2) | 3 | …
/// | 10`, plain `1 … 10`, circled `① … ⑩`), as Japanese forms print. Before,
/// it was an indicator `(2)` (or `2`) of item (1) with seven values, the
/// column numbers. Now it is part of the header, with one
/// `column_number_row` note at A5: the sample's observations, nothing more.
#[test]
fn a_row_of_column_numbers_under_the_header_is_part_of_it() {
    let text = list_text();
    assert_eq!(text.matches(KIND_LINE).count(), 1);
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    for numbers in [
        "(1)\t(2)\t3\t4\t5\t6\t7\t8\t9\t10",
        "1\t2\t3\t4\t5\t6\t7\t8\t9\t10",
        "①\t②\t③\t④\t⑤\t⑥\t⑦\t⑧\t⑨\t⑩",
    ] {
        let x = ingest_list_text(&text.replacen(KIND_LINE, &format!("{KIND_LINE}\r\n{numbers}"), 1));
        assert_same(&observation_key(&x), &observation_key(&base), numbers);
        let notes: Vec<(&str, Option<&str>)> = x
            .diagnostics
            .iter()
            .filter(|d| d.code.as_str() == "column_number_row")
            .map(|d| (d.at.cell.as_str(), d.arg("last")))
            .collect();
        assert_eq!(notes, [("A5", Some("J5"))], "{numbers}");
        assert!(with_case(&x, "item-number-unread").next().is_none(), "{numbers}");
    }
}

/// The sample's text with each indicator's circled number moved into a
/// column of its own headed `No.` (`①` | `優先度の高い…`), every line one
/// field longer.
fn markers_in_own_column(text: &str) -> String {
    let lines: Vec<String> = text
        .split("\r\n")
        .map(|line| {
            let mut fields: Vec<String> = line.split('\t').map(String::from).collect();
            if fields.len() < 2 {
                return line.to_string();
            }
            let name = fields[1].clone();
            let mut chars = name.chars();
            let marker = match chars.next() {
                Some(c) if ('①'..='⑳').contains(&c) => {
                    fields[1] = chars.as_str().to_string();
                    c.to_string()
                }
                _ if name == "指標" => "No.".to_string(),
                _ => String::new(),
            };
            fields.insert(1, marker);
            fields.join("\t")
        })
        .collect();
    lines.join("\r\n")
}

/// Indicator numbers in a column of their own (`No.`: ① ② ③, names
/// beside them without). Before, the ① were read as item numbers (an
/// `ambiguous_row` warning, `item-number`, on each item's first row) and
/// every indicator had no number. Now each indicator takes its row's
/// number: the sample's observations, and no warning.
#[test]
fn indicator_numbers_in_a_column_of_their_own() {
    let edited = markers_in_own_column(&list_text());
    assert!(edited.contains("\tNo.\t指標\t") && edited.contains("\t②\t電子手続及びイベント申込の電子化数\t"));
    let x = ingest_list_text(&edited);
    let base = ingest("gunma_dx_kpi_list.sjis.txt");
    assert_same(
        &observation_key(&x),
        &observation_key(&base),
        "indicator numbers in their own column",
    );
    assert!(with_case(&x, "item-number").next().is_none());
}

/// The list with its baseline headed `基準値` (no year) and a `目標年度`
/// column (R7) before 担当課, as another office keeps it: 目標年度 dates
/// the targets, not the baselines, which are left without a year and said
/// (`year_not_decoded`, as without the column). Before, every baseline was
/// FY2025's, without a word.
#[test]
fn a_target_year_column_does_not_date_the_baselines() {
    let text = list_text().replacen("基準値（R1）", "基準値", 1);
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split('\t').collect();
            if f.len() >= 10 {
                let year = match f[1] {
                    "指標" => "目標年度",
                    "" => "",
                    _ => "R7",
                };
                f.insert(9, year);
            }
            f.join("\t")
        })
        .collect();
    let x = ingest_list_text(&lines.join("\r\n"));
    assert!(!x.observations.iter().any(|o| o.kind == Kind::Baseline), "no baseline is dated");
    let said: Vec<(&str, Option<&str>)> = x
        .diagnostics
        .iter()
        .filter(|d| d.code == torikumi::model::DiagCode::YearNotDecoded)
        .map(|d| (d.at.cell.as_str(), d.raw.as_deref()))
        .collect();
    assert_eq!(said.len(), 19, "{said:?}");
    assert_eq!(said[0], ("C5", Some("7.0%")));
    // The targets still take their years from their own labels.
    let t = x.observations.iter().find(|o| o.at.cell == "D5").expect("D5");
    assert_eq!((t.kind, t.fiscal_year, t.value), (Kind::Target, Some(2021), Some(32.1)));
}

/// The sample's text with its targets and actuals as rows of their own, as
/// another office keeps the list: the header's years alone and a `区分`
/// column, each indicator a `目標` row (its baseline and targets) and a
/// `実績` row below it with no name (its actuals).
fn kind_rows_text(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.split("\r\n") {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 10 {
            out.push(line.to_string());
            continue;
        }
        match f[1] {
            "指標" => out.push("実施項目\t指標\t区分\t基準値（R1）\t令和3年度\t令和4年度\t令和5年度\t担当課".into()),
            "" => {} // the kinds' band: the rows say them now
            _ => {
                out.push([f[0], f[1], "目標", f[2], f[3], f[5], f[7], f[9]].join("\t"));
                // Padded as the sample is: an empty field under 担当課.
                out.push(["", "", "実績", "", f[4], f[6], f[8], ""].join("\t"));
            }
        }
    }
    out.join("\r\n")
}

/// Warnings of the codes a list with rows of kinds used to raise.
fn unplaced(x: &Extract) -> Vec<(&str, &str)> {
    x.diagnostics
        .iter()
        .filter(|d| matches!(d.code.as_str(), "ambiguous_cell" | "row_without_indicator"))
        .map(|d| (d.code.as_str(), d.at.cell.as_str()))
        .collect()
}

/// Targets and actuals as rows (`区分`: 目標 | 実績 under a header of years
/// alone), in a workbook (names merged down over both rows, the items over
/// all theirs; `make_kind_rows.py`) and in text (the 実績 row's name
/// blank). Before, only the baselines were read: every year's value was an
/// `ambiguous_cell` (no kind in the header) or a `row_without_indicator`.
/// Now each row's values are of its kind, the 実績 row its indicator's with
/// its unit, the running year's actuals dated by the title: the sample's
/// 133 observations exactly, and no warning.
#[test]
fn targets_and_actuals_as_rows_read_as_the_list_reads_them() {
    let file = root().join("tests/fixtures/variants/kpi_kind_rows.xlsx");
    let book = pipeline::ingest(&[file], mappings(), &Limits::default());
    let text = ingest_list_text(&kind_rows_text(&list_text()));
    for (x, base, what) in [
        (&book, "gunma_dx_kpi_list.xlsx", "workbook"),
        (&text, "gunma_dx_kpi_list.sjis.txt", "text"),
    ] {
        assert_same(&observation_key(x), &observation_key(&ingest(base)), what);
        assert_eq!(unplaced(x), [], "{what}");
        // (1) ①: the baseline on the 目標 row, the actuals on the row below.
        let at = |cell: &str| {
            let o = x
                .observations
                .iter()
                .find(|o| o.at.cell == cell)
                .unwrap_or_else(|| panic!("{what} {cell}"));
            (
                o.indicator.as_str(),
                o.kind,
                o.fiscal_year,
                o.value,
                o.unit.as_deref(),
                o.as_of.map(|d| d.to_string()),
            )
        };
        let name = "優先度の高い行政手続電子化率";
        assert_eq!(at("D4"), (name, Kind::Baseline, Some(2019), Some(7.0), Some("%"), None), "{what}");
        assert_eq!(at("E4"), (name, Kind::Target, Some(2021), Some(32.1), Some("%"), None), "{what}");
        assert_eq!(at("E5"), (name, Kind::Actual, Some(2021), Some(28.3), Some("%"), None), "{what}");
        let as_of = Some("2023-12-31".to_string());
        assert_eq!(at("G5"), (name, Kind::Actual, Some(2023), Some(88.7), Some("%"), as_of), "{what}");
        assert_eq!(at("F7").3, Some(1266.0), "{what}: (1) ②'s R4 actual");
    }
}

/// A `区分` word that is neither kind (`見込` on (1) ①'s 実績 row): said,
/// not guessed, at the word and at each value of the row
/// (`ambiguous_cell`, `row-kind-unknown`); the row's three actuals are not
/// read, the rest is.
#[test]
fn a_row_kind_that_is_neither_target_nor_actual_is_said() {
    let text = kind_rows_text(&list_text());
    let row = "\t\t実績\t\t28.3%";
    assert_eq!(text.matches(row).count(), 1);
    let x = ingest_list_text(&text.replacen(row, "\t\t見込\t\t28.3%", 1));
    let said: Vec<(&str, Option<&str>)> = with_case(&x, "row-kind-unknown")
        .map(|d| (d.at.cell.as_str(), d.arg("kind")))
        .collect();
    assert_eq!(
        said,
        [
            ("C5", Some("見込")),
            ("E5", Some("見込")),
            ("F5", Some("見込")),
            ("G5", Some("見込"))
        ]
    );
    assert_eq!(x.observations.len(), 130);
    assert!(!x.observations.iter().any(|o| o.at.cell == "E5"));
}

/// A second `実績` row with no name under (1) ① (a row whose name was
/// lost?): said at each value (`row_without_indicator`,
/// `list-kind-again`), not read as ①'s; a target/actual header against a
/// row's kind (`令和5年度目標` over 実績 rows): said at each such value
/// (`ambiguous_cell`, `row-kind-conflict`), the targets read.
#[test]
fn a_row_kind_again_or_against_its_header_is_said() {
    let text = kind_rows_text(&list_text());
    let row = "\t\t実績\t\t28.3%\t84.1%\t88.7%";
    assert_eq!(text.matches(row).count(), 1);
    let x = ingest_list_text(&text.replacen(row, &format!("{row}\t\r\n\t\t実績\t\t27.0%\t80.0%\t85.0%"), 1));
    let said: Vec<(&str, Option<&str>)> = with_case(&x, "list-kind-again")
        .map(|d| (d.at.cell.as_str(), d.raw.as_deref()))
        .collect();
    assert_eq!(said, [("E6", Some("27.0%")), ("F6", Some("80.0%")), ("G6", Some("85.0%"))]);
    assert_eq!(x.observations.len(), 133);
    assert!(!x.observations.iter().any(|o| ["E6", "F6", "G6"].contains(&o.at.cell.as_str())));

    let x = ingest_list_text(&text.replacen("\t令和5年度\t", "\t令和5年度目標\t", 1));
    let said: Vec<&str> = with_case(&x, "row-kind-conflict").map(|d| d.at.cell.as_str()).collect();
    assert_eq!(said.len(), 19, "{said:?}");
    assert_eq!(said[0], "G5");
    assert_eq!(x.observations.len(), 133 - 19);
    let t = x.observations.iter().find(|o| o.at.cell == "G4").expect("G4");
    assert_eq!((t.kind, t.fiscal_year, t.value), (Kind::Target, Some(2023), Some(100.0)));
}
