//! `torikumi render`: ingest samples → Parquet → rendered standard sheets →
//! ingest again gives the same observations, schedule rows, initiatives and
//! evaluation counts (all three families: DX 個別取組票, 実施計画, the Saitama
//! programme); the rendered workbooks carry merged year headers, unit number
//! formats, formulas, the 〔KPI〕 lines, protection and print setup.

mod common;
use common::root;

use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use torikumi::cmd::ingest::{Format, write_outputs};
use torikumi::mapping::Mappings;
use torikumi::model::{DiagCode, Extract, Observation, ScheduleKind};
use torikumi::render::{self, Options, Rendered};
use torikumi::source::Limits;

fn ingest(paths: &[PathBuf]) -> Extract {
    let mappings = Mappings::load(&root().join("mappings")).expect("mappings load");
    torikumi::pipeline::ingest(paths, &mappings, &Limits::default())
}

/// Ingests `sample`, writes its Parquet into `dir`, renders from it into `dir/rendered`.
fn ingest_and_render(sample: &str, dir: &Path, opts: &Options) -> (Extract, Vec<Rendered>) {
    let first = ingest(&[root().join("samples").join(sample)]);
    write_outputs(dir, &first, &[Format::Parquet]).expect("parquet written");
    let tables = render::read_tables(dir).expect("parquet read back");
    let layouts = Mappings::load(&root().join("mappings")).expect("mappings load").render;
    let out = render::render(&tables, &layouts, &dir.join("rendered"), opts).expect("rendered");
    (first, out)
}

fn key(o: &Observation) -> String {
    format!(
        "{} | {} | {} | {:?} | {} | {:?} | {} | {:?} | {} | {:?} | {:?} | {}",
        o.plan,
        o.initiative_no,
        o.initiative,
        o.indicator_no,
        o.indicator,
        o.fiscal_year,
        o.period,
        o.as_of,
        o.kind,
        o.value.map(|v| format!("{v:.6}")),
        o.unit,
        o.status
    )
}

fn keys(x: &Extract, plan: &str) -> Vec<String> {
    let mut v: Vec<String> = x.observations.iter().filter(|o| o.plan == plan).map(key).collect();
    v.sort();
    v
}

/// Schedule rows by content: task group, task, fiscal year, period, kind, text.
/// A `target_actual` cell (the DX sheet's PDF extraction merged the 目標 and
/// 実績 rows) has no row of its own in a rendered sheet: it is written on the
/// 目標 row and reads back as `target`, so it is compared as one.
fn schedule_keys(x: &Extract, plan: &str) -> Vec<String> {
    let mut v: Vec<String> = x
        .schedule
        .iter()
        .filter(|s| s.plan == plan)
        .map(|s| {
            let kind = match s.kind {
                ScheduleKind::TargetActual => ScheduleKind::Target,
                k => k,
            };
            format!(
                "{} | {:?} | {} | {:?} | {} | {} | {}",
                s.initiative_no, s.task_group, s.task, s.fiscal_year, s.period, kind, s.text
            )
        })
        .collect();
    v.sort();
    v
}

/// Initiatives by number, title, divisions and direction.
fn initiative_keys(x: &Extract, plan: &str) -> Vec<String> {
    let mut v: Vec<String> = x
        .initiatives
        .iter()
        .filter(|i| i.plan == plan)
        .map(|i| format!("{} | {} | {:?} | {:?}", i.initiative_no, i.initiative, i.divisions, i.direction))
        .collect();
    v.sort();
    v
}

/// Evaluation counts by item, year, label, achieved and total.
fn count_keys(x: &Extract, plan: &str) -> Vec<String> {
    let mut v: Vec<String> = x
        .evaluation_counts
        .iter()
        .filter(|c| c.plan == plan)
        .map(|c| {
            format!(
                "{} | {:?} | {} | {:?} / {:?}",
                c.initiative_no, c.fiscal_year, c.label, c.achieved, c.total
            )
        })
        .collect();
    v.sort();
    v
}

/// Ingest → render → ingest the rendered workbook: the same observations,
/// schedule rows, initiatives and evaluation counts, and no warnings.
/// Returns both extracts, the rendered workbook and the folder that holds it.
fn assert_round_trip(sample: &str, plan: &str) -> (Extract, Extract, Rendered, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (first, written) = ingest_and_render(sample, dir.path(), &Options::default());
    let file = written.iter().find(|w| w.plan == plan).expect("a workbook for the plan");
    assert_eq!(file.unplaced, 0, "every observation has a cell");
    let second = ingest(std::slice::from_ref(&file.path));
    let errors: Vec<_> = second
        .diagnostics
        .iter()
        .filter(|d| d.severity != torikumi::model::Severity::Info)
        .collect();
    assert!(errors.is_empty(), "re-ingest warnings: {errors:#?}");
    let (a, b) = (keys(&first, plan), keys(&second, plan));
    assert!(!a.is_empty());
    let missing: Vec<_> = a.iter().filter(|k| !b.contains(k)).collect();
    let extra: Vec<_> = b.iter().filter(|k| !a.contains(k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing after round trip: {missing:#?}\nextra: {extra:#?}"
    );
    assert_eq!(a, b);
    assert_eq!(schedule_keys(&first, plan), schedule_keys(&second, plan), "schedule rows");
    assert_eq!(initiative_keys(&first, plan), initiative_keys(&second, plan), "initiatives");
    assert_eq!(count_keys(&first, plan), count_keys(&second, plan), "evaluation counts");
    let file = file.clone();
    (first, second, file, dir)
}

#[test]
fn dx_action_plan_round_trips() {
    // Includes the deleted indicators of items (3) and (4), printed "(②…)" with
    // their "…削除" cells written as text, and text values (作業フェーズ).
    assert_round_trip("gunma_dx_kobetsu.xlsx", "群馬県庁DXアクションプラン");
}

#[test]
fn reform_plan_sheet_round_trips() {
    let (first, second, _, _dir) = assert_round_trip("gunma_reform_plan_sheet.xlsx", "群馬県行財政改革大綱");
    // The 実施計画 sheet's 年度ごとの実施結果評価 comes back: R2 達成件数 0 / 3.
    assert_eq!(
        count_keys(&first, "群馬県行財政改革大綱"),
        vec!["1 | Some(2020) | 達成件数 | Some(0) / Some(3)"]
    );
    assert_eq!(second.evaluation_counts[0].raw, "0 / 3");
}

#[test]
fn saitama_programme_round_trips() {
    let plan = "埼玉県行財政改革プログラム";
    let (first, second, file, _dir) = assert_round_trip("saitama_program.xlsx", plan);
    // Every family is covered, with real figures: the whole programme comes back.
    assert_eq!(first.observations.len(), 87);
    assert_eq!(first.schedule.len(), 110);
    assert_eq!(first.initiatives.len(), 30);
    assert_eq!(second.indicators.len(), first.indicators.len());
    assert_eq!(file.sheets.len(), 30);
    assert_eq!(file.sheets[0], "No.1");
    let no1: Vec<(Option<i32>, String, String, Option<f64>)> = second
        .observations
        .iter()
        .filter(|o| o.initiative_no == "1")
        .map(|o| (o.fiscal_year, o.period.to_string(), o.kind.to_string(), o.value))
        .collect();
    for want in [
        (Some(2023), "FY", "target", Some(65.0)),
        (Some(2024), "FY", "target", Some(78.0)),
        (Some(2025), "FY", "target", Some(80.0)),
        (Some(2022), "H1", "baseline", Some(54.7)),
    ] {
        assert!(
            no1.iter().any(|x| (x.0, x.1.as_str(), x.2.as_str(), x.3) == want),
            "{want:?} not in {no1:?}"
        );
    }
    // The regenerated goal keeps its text; the KPI parts are observations again.
    let goal = |x: &Extract| x.initiatives.iter().find(|i| i.initiative_no == "28").and_then(|i| i.goal.clone());
    assert_eq!(goal(&first), goal(&second));
    // 寄附獲得額 85,000千円 comes back as 85,000,000 円.
    assert!(
        second
            .observations
            .iter()
            .any(|o| o.indicator == "企業版ふるさと納税による寄附獲得額"
                && o.fiscal_year == Some(2024)
                && o.value == Some(85_000_000.0)
                && o.unit.as_deref() == Some("円"))
    );
}

fn find(range: &calamine::Range<Data>, text: &str) -> Vec<(u32, u32)> {
    range
        .cells()
        .filter(|(_, _, d)| matches!(d, Data::String(s) if s == text))
        .map(|(r, c, _)| {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            (r as u32 + r0, c as u32 + c0)
        })
        .collect()
}

fn text_at(range: &calamine::Range<Data>, pos: (u32, u32)) -> String {
    match range.get_value(pos) {
        Some(Data::String(s)) => s.clone(),
        _ => String::new(),
    }
}

#[test]
fn dx_workbook_has_merged_years_unit_formats_and_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        layout: Some("gunma_dx_kobetsu".into()),
        division: None,
    };
    let (_, written) = ingest_and_render("gunma_dx_kobetsu.xlsx", dir.path(), &opts);
    assert_eq!(written.len(), 1);
    let w = &written[0];
    assert!(
        w.sheets
            .iter()
            .all(|s| s.chars().count() <= 31 && !s.contains(['/', '\\', ':', '*', '?', '[', ']']))
    );
    assert_eq!(w.sheets[0], "(1)");
    let layout = Mappings::load(&root().join("mappings"))
        .unwrap()
        .render
        .into_iter()
        .find(|l| l.layout.name == "gunma_dx_kobetsu")
        .unwrap();
    let mut book: Xlsx<_> = open_workbook(&w.path).unwrap();
    let sheet = "(1)";
    let range = book.worksheet_range(sheet).unwrap();
    let merges = book.merge_cells_by_sheet_name(sheet).unwrap();
    // Year headers (schedule and progress tables) are merged over their four quarter columns.
    let years = find(&range, "令和3年度");
    // The schedule, progress and 達成率 tables each head a year column with it.
    assert_eq!(years.len(), 3, "{years:?}");
    for pos in &years[..2] {
        let m = merges.iter().find(|m| m.start == *pos).expect("year header merged");
        assert_eq!(m.end.1 - m.start.1, 3, "over four quarters");
        assert_eq!(text_at(&range, (pos.0 + 1, pos.1)), "1四半期");
    }
    // Numbers are numbers, with the layout's unit formats.
    let styles = book.worksheet_style(sheet).unwrap();
    let format_of = |value: f64| -> Vec<String> {
        range
            .cells()
            .filter(|(_, _, d)| matches!(d, Data::Float(f) if (*f - value).abs() < 1e-9))
            .filter_map(|(r, c, _)| {
                let (r0, c0) = range.start().unwrap();
                styles
                    .get((r as u32 + r0, c as u32 + c0))?
                    .number_format
                    .as_ref()
                    .map(|n| n.format_code.clone())
            })
            .collect()
    };
    let pct = layout.number_format(Some("%"), 1);
    assert_eq!(pct, "0.0\"%\"");
    assert!(format_of(88.7).contains(&pct), "{:?}", format_of(88.7));
    assert!(format_of(1266.0).contains(&"#,##0\"件\"".to_string()), "{:?}", format_of(1266.0));
    // The achievement table: formulas (latest quarter ÷ target) with cached results.
    let formulas = book.worksheet_formula(sheet).unwrap();
    let label = find(&range, "達成率")[0];
    let row = label.0 + 1;
    let f = formulas.get_value((row, 2)).cloned().unwrap_or_default();
    assert!(
        f.contains("ISNUMBER") && f.contains('/'),
        "formula at the R4 achievement cell: {f:?}"
    );
    let cached_r3 = match range.get_value((row, 1)) {
        Some(Data::Float(v)) => *v,
        other => panic!("cached result expected, got {other:?}"),
    };
    assert!((cached_r3 - 28.3 / 32.1).abs() < 1e-9, "R3: Q4 28.3 of target 32.1 → {cached_r3}");
    // Blanks as the layout's marker; deleted indicators in parentheses; statuses as text.
    let range3 = book.worksheet_range("(3)").unwrap();
    assert!(!find(&range3, "(②県民向けICT入門講座の開催回数)").is_empty());
    assert!(!find(&range3, "- (目標達成のため削除)").is_empty());
    assert!(!find(&range3, &layout.layout.blank).is_empty());
}

#[test]
fn reform_plan_workbook_has_achievement_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        layout: Some("gunma_reform_plan".into()),
        division: None,
    };
    let (_, written) = ingest_and_render("gunma_reform_plan_sheet.xlsx", dir.path(), &opts);
    let w = &written[0];
    let mut book: Xlsx<_> = open_workbook(&w.path).unwrap();
    let sheet = w.sheets[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let merges = book.merge_cells_by_sheet_name(&sheet).unwrap();
    let r2 = find(&range, "R2")[0];
    let m = merges.iter().find(|m| m.start == r2).expect("year header merged");
    assert_eq!(m.end.1 - m.start.1, 2, "value | unit | achievement");
    let formulas = book.worksheet_formula(&sheet).unwrap();
    // ① target row: 14.1 | % | achievement formula.
    let cell = range
        .cells()
        .find(|(_, _, d)| matches!(d, Data::Float(f) if (*f - 14.1).abs() < 1e-9))
        .map(|(r, c, _)| (r as u32 + range.start().unwrap().0, c as u32 + range.start().unwrap().1))
        .expect("target 14.1");
    assert_eq!(text_at(&range, (cell.0, cell.1 + 1)), "%");
    let f = formulas.get_value((cell.0, cell.1 + 2)).cloned().unwrap_or_default();
    assert!(f.contains("ISNUMBER"), "{f:?}");
    assert!(matches!(
        range.get_value((cell.0, cell.1 + 2)),
        Some(Data::Float(_)) | Some(Data::Int(_))
    ));
}

/// The cells a division may edit: those whose style is unlocked.
fn unlocked_cells(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<(u32, u32)> {
    let styles = book.worksheet_style(sheet).unwrap();
    let mut v: Vec<(u32, u32)> = styles
        .cells()
        .filter(|(_, _, s)| s.protection.as_ref().is_some_and(|p| !p.locked))
        .map(|(r, c, _)| (r, c))
        .collect();
    v.sort();
    v
}

#[test]
fn saitama_sheet_prints_the_kpi_lines_and_unlocks_only_the_next_actuals() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        layout: Some("saitama_program".into()),
        division: None,
    };
    let (_, written) = ingest_and_render("saitama_program.xlsx", dir.path(), &opts);
    assert_eq!(written.len(), 1);
    let w = &written[0];
    assert_eq!(w.unplaced, 0);
    let mut book: Xlsx<_> = open_workbook(&w.path).unwrap();
    let goal_of = |book: &mut Xlsx<_>, sheet: &str| {
        let range = book.worksheet_range(sheet).unwrap();
        let label = find(&range, "目標")[0];
        text_at(&range, (label.0, label.1 + 1))
    };
    // The goal, then one 〔KPI〕 line per indicator regenerated from the
    // observations: targets per year, the baseline in brackets.
    assert_eq!(
        goal_of(&mut book, "No.1"),
        "R7年度末までにコピー使用量を80%削減する\n〔KPI〕 コピー使用量削減率（R元年度比） … R5：65% R6：78% R7：80%（R4上期：54.7%）"
    );
    assert!(goal_of(&mut book, "No.3").ends_with("\n〔KPI〕 -"), "no indicator");
    let no13 = goal_of(&mut book, "No.13");
    assert_eq!(no13.lines().filter(|l| l.starts_with("〔KPI〕")).count(), 2, "{no13}");
    assert!(
        no13.ends_with("〔KPI〕 システム標準化が完了した自治体数 … R6：10市町村 R7：63市町村"),
        "{no13}"
    );
    // The printed average range is kept; a fiscal year's end is printed as its month.
    assert!(goal_of(&mut book, "No.23").ends_with("R7：130件（R2～R4平均：122件）"));
    assert!(goal_of(&mut book, "No.20").ends_with("（R4.3末：78.6%）"));
    assert!(goal_of(&mut book, "No.10").ends_with("〔KPI〕 - （R4.9末：47%）"));
    assert!(goal_of(&mut book, "No.27").contains("R7：1,120件（R3：837件）"));

    // The header the input mapping reads, and the 工程 table: one column per year.
    let range = book.worksheet_range("No.1").unwrap();
    assert_eq!(text_at(&range, (0, 0)), "No.1 ペーパーレス化の更なる推進");
    assert!(!find(&range, "担当課：行政・デジタル改革課").is_empty());
    let header = find(&range, "具体的方策")[0];
    let years: Vec<String> = (1..=4).map(|k| text_at(&range, (header.0, header.1 + k))).collect();
    assert_eq!(years, ["計画 実績", "R5年度", "R6年度", "R7年度"]);
    assert_eq!(text_at(&range, (header.0 + 1, header.1 + 2)), "調査・分析、相談支援等 削減率：65%");

    // Protected; the only cells left open are the 実績 row's R5年度 cells (no
    // 実績 is reported yet), empty and highlighted.
    let sheet = zip_entry(&w.path, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<sheetProtection") && !sheet.contains("password"));
    let r5 = find(&range, "R5年度")[0].1;
    let mut actual_rows: Vec<u32> = find(&range, "実績").iter().map(|p| p.0).collect();
    actual_rows.sort();
    assert_eq!(actual_rows.len(), 3, "a 実績 row per task");
    let want: Vec<(u32, u32)> = actual_rows.iter().map(|&r| (r, r5)).collect();
    assert_eq!(unlocked_cells(&mut book, "No.1"), want);
    let styles = book.worksheet_style("No.1").unwrap();
    for pos in &want {
        assert!(matches!(range.get_value(*pos), None | Some(Data::Empty)), "{pos:?} left empty");
        assert!(styles.get(*pos).and_then(|s| s.fill.as_ref()).is_some(), "{pos:?} highlighted");
    }
}

#[test]
fn reform_plan_evaluation_counts_sit_under_their_years_with_the_next_to_fill() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        layout: Some("gunma_reform_plan".into()),
        division: None,
    };
    let (_, written) = ingest_and_render("gunma_reform_plan_sheet.xlsx", dir.path(), &opts);
    let w = &written[0];
    let mut book: Xlsx<_> = open_workbook(&w.path).unwrap();
    let sheet = w.sheets[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let head = find(&range, "年度ごとの実施結果評価")[0];
    assert_eq!(find(&range, "達成件数")[0], (head.0 + 1, 0));
    let year_col = |label: &str| {
        find(&range, label)
            .into_iter()
            .find(|p| p.0 == head.0)
            .unwrap_or_else(|| panic!("{label} over the counts"))
            .1
    };
    let (r2, r3) = (year_col("R2"), year_col("R3"));
    // Under the plan table's year columns (value | unit | achievement).
    assert_eq!(r2, find(&range, "R2")[0].1);
    assert_eq!(text_at(&range, (head.0 + 1, r2)), "0 / 3");
    // R3 is the next to fill: empty and open; R4 stays closed.
    let open = unlocked_cells(&mut book, &sheet);
    assert!(open.contains(&(head.0 + 1, r3)), "{open:?}");
    assert!(matches!(range.get_value((head.0 + 1, r3)), None | Some(Data::Empty)));
    assert!(!open.contains(&(head.0 + 1, year_col("R4"))));
}

/// The reader takes the k-th count for the k-th year: a year without a count
/// before a later one holds the blank marker, so the later count keeps its
/// year (and the reader names the blanks), never slides into an earlier year.
#[test]
fn evaluation_count_after_a_gap_keeps_its_year() {
    let dir = tempfile::tempdir().unwrap();
    let first = ingest(&[root().join("samples/gunma_reform_plan_sheet.xlsx")]);
    write_outputs(dir.path(), &first, &[Format::Parquet]).unwrap();
    let mut tables = render::read_tables(dir.path()).unwrap();
    assert_eq!(tables.evaluation_counts.len(), 1);
    tables.evaluation_counts[0].fiscal_year = Some(2022);
    tables.evaluation_counts[0].achieved = Some(2);
    let layouts = Mappings::load(&root().join("mappings")).unwrap().render;
    let opts = Options {
        layout: Some("gunma_reform_plan".into()),
        division: None,
    };
    let written = render::render(&tables, &layouts, &dir.path().join("r"), &opts).unwrap();
    let second = ingest(std::slice::from_ref(&written[0].path));
    assert_eq!(
        count_keys(&second, "群馬県行財政改革大綱"),
        vec!["1 | Some(2022) | 達成件数 | Some(2) / Some(3)"]
    );
    let blanks: Vec<&str> = second
        .diagnostics
        .iter()
        .filter(|d| d.code == DiagCode::UnreadableCount)
        .map(|d| d.raw.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(blanks, ["—", "—"], "R2 and R3");
}

/// Render layouts of the inline-KPI family are checked like the others: every
/// problem at once, each with its key.
#[test]
fn inline_kpi_layout_problems_are_reported_with_their_keys() {
    let good = std::fs::read_to_string(root().join("mappings/render/saitama_program.toml")).unwrap();
    assert!(torikumi::mapping::render::compile("s.toml", &good, &[]).is_ok());
    // No [kpi_lines] while the goal cell prints {kpis}, and a block of another family.
    let (before, rest) = good.split_once("[kpi_lines]").unwrap();
    let after = &rest[rest.find("[schedule_table]").unwrap()..];
    let broken = format!("{before}{after}").replace("blocks = [\"header\",", "blocks = [\"progress_table\", \"header\",");
    let errs = torikumi::mapping::render::compile("s.toml", &broken, &[]).unwrap_err();
    let got: Vec<(String, String)> = errs.iter().map(|e| (e.key.clone(), e.message.clone())).collect();
    assert!(
        got.contains(&(
            "header[5].cells[1].text".into(),
            "uses {kpis} but [kpi_lines] is not configured".into()
        )),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(k, m)| k == "blocks[0]" && m == "ProgressTable does not fit the layout family InlineKpi"),
        "{got:?}"
    );
    assert!(errs.iter().all(|e| e.file == "s.toml"));
}

fn zip_entry(path: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn sheets_are_protected_with_input_cells_unlocked_and_print_setup() {
    let dir = tempfile::tempdir().unwrap();
    let (_, written) = ingest_and_render("gunma_dx_kobetsu.xlsx", dir.path(), &Options::default());
    let w = written.iter().find(|w| w.layout == "gunma_dx_kobetsu").unwrap();
    let sheet = zip_entry(&w.path, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<sheetProtection"), "protected");
    assert!(!sheet.contains("password"), "no password");
    assert!(sheet.contains("orientation=\"landscape\"") && sheet.contains("paperSize=\"9\""));
    assert!(sheet.contains("fitToHeight=\"0\""));
    let styles = zip_entry(&w.path, "xl/styles.xml");
    assert!(styles.contains("locked=\"0\""), "an unlocked input style");
    assert!(styles.contains("FFFFF2CC"), "input cells highlighted");
    assert!(styles.contains("游ゴシック"));
    let book = zip_entry(&w.path, "xl/workbook.xml");
    assert!(book.contains("_xlnm.Print_Titles"), "title rows repeated");
}

#[test]
fn division_filter_keeps_only_its_items() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        layout: None,
        division: Some("会計管理課".into()),
    };
    let (_, written) = ingest_and_render("gunma_dx_kobetsu.xlsx", dir.path(), &opts);
    assert_eq!(written.len(), 1);
    assert!(written[0].path.file_name().unwrap().to_string_lossy().contains("会計管理課"));
    assert_eq!(written[0].sheets, vec!["(2)".to_string()]);
}

#[test]
fn missing_parquet_is_named_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let err = render::read_tables(dir.path()).unwrap_err().to_string();
    assert!(err.contains("observations.parquet"), "{err}");
    let out = common::torikumi_command()
        .current_dir(root())
        .args(["render", "--from"])
        .arg(dir.path())
        .arg("--out")
        .arg(dir.path().join("r"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("observations.parquet"));
}

#[test]
fn cli_renders_every_plan() {
    let dir = tempfile::tempdir().unwrap();
    let first = ingest(&[
        root().join("samples/gunma_dx_kobetsu.xlsx"),
        root().join("samples/gunma_reform_plan_sheet.xlsx"),
        root().join("samples/saitama_program.xlsx"),
    ]);
    write_outputs(dir.path(), &first, &[Format::Parquet]).unwrap();
    let out = common::torikumi_command()
        .current_dir(root())
        .args(["render", "--from"])
        .arg(dir.path())
        .arg("--out")
        .arg(dir.path().join("r"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("r"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "埼玉県行財政改革プログラム_取組.xlsx",
            "群馬県庁DXアクションプラン_個別取組票.xlsx",
            "群馬県行財政改革大綱_実施計画.xlsx"
        ]
    );
}

#[test]
fn converts_with_libreoffice_when_installed() {
    let Ok(probe) = std::process::Command::new("libreoffice").arg("--version").output() else {
        eprintln!("libreoffice not installed: skipped");
        return;
    };
    if !probe.status.success() {
        return;
    }
    for sample in ["gunma_reform_plan_sheet.xlsx", "saitama_program.xlsx"] {
        let dir = tempfile::tempdir().unwrap();
        let (_, written) = ingest_and_render(sample, dir.path(), &Options::default());
        let pdf_dir = dir.path().join("pdf");
        let status = std::process::Command::new("libreoffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&pdf_dir)
            .arg(&written[0].path)
            .status()
            .unwrap();
        assert!(status.success(), "{sample}");
        assert_eq!(std::fs::read_dir(&pdf_dir).unwrap().count(), 1, "{sample}");
    }
}

#[test]
fn next_quarter_to_fill_is_empty_and_unlocked() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        layout: Some("gunma_dx_kobetsu".into()),
        division: None,
    };
    let (_, written) = ingest_and_render("gunma_dx_kobetsu.xlsx", dir.path(), &opts);
    let mut book: Xlsx<_> = open_workbook(&written[0].path).unwrap();
    let range = book.worksheet_range("(1)").unwrap();
    let styles = book.worksheet_style("(1)").unwrap();
    // ① of item (1): the latest actual is R5 Q3 (88.7); R5 Q4 is next, then the R5 target (100).
    let q3 = range
        .cells()
        .find(|(_, _, d)| matches!(d, Data::Float(f) if (*f - 88.7).abs() < 1e-9))
        .map(|(r, c, _)| (r as u32 + range.start().unwrap().0, c as u32 + range.start().unwrap().1))
        .unwrap();
    let q4 = (q3.0, q3.1 + 1);
    assert!(matches!(range.get_value(q4), None | Some(Data::Empty)), "left empty");
    let locked = |pos| styles.get(pos).and_then(|s| s.protection.as_ref()).is_none_or(|p| p.locked);
    assert!(!locked(q4), "Q4 unlocked");
    assert!(styles.get(q4).and_then(|s| s.fill.as_ref()).is_some(), "Q4 highlighted");
    assert!(locked(q3), "reported values stay locked");
    assert!(locked((q3.0, q3.1 + 2)), "the target stays locked");
    assert!(matches!(range.get_value((q3.0, q3.1 + 2)), Some(Data::Float(f)) if (*f - 100.0).abs() < 1e-9));
}

/// A broken render layout is reported with the other mapping files: every
/// problem at once, each with its file and key path (`check` and `ingest` refuse it).
#[test]
fn broken_render_layout_reports_every_problem_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["vocabulary.toml", "gunma_dx_kobetsu.toml"] {
        std::fs::copy(root().join("mappings").join(f), dir.path().join(f)).unwrap();
    }
    std::fs::create_dir(dir.path().join("render")).unwrap();
    let good = std::fs::read_to_string(root().join("mappings/render/gunma_dx_kobetsu.toml")).unwrap();
    let broken = good
        .replace("gap = 1", "gap = 1\ncolour = \"red\"")
        .replace("font_size = 10", "font_size = \"big\"")
        .replace("header_fill = \"#DDEBF7\"", "header_fill = \"blue\"")
        .replace("blocks = [\"header\",", "blocks = [\"plan_table\", \"header\",")
        .replace(
            "cells = [{ text = \"改革\", style = \"label\" }",
            "cells = [{ text = \"改革\", style = \"bold\", size = 3 }",
        );
    std::fs::write(dir.path().join("render/broken.toml"), broken).unwrap();
    let errs = Mappings::load(dir.path()).unwrap_err().0;
    let got: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    let joined = got.join("\n");
    for want in [
        "broken.toml: colour: unknown key",
        "broken.toml: header[2].cells[0].size: unknown key",
        "broken.toml: style.font_size: invalid type: string \"big\"",
    ] {
        assert!(joined.contains(want), "missing {want:?} in:\n{joined}");
    }
    // The type error is reported before the checks of the values run: fix, run again.
    let fixed = std::fs::read_to_string(dir.path().join("render/broken.toml"))
        .unwrap()
        .replace("colour = \"red\"\n", "")
        .replace("font_size = \"big\"", "font_size = 10")
        .replace(", size = 3 }", " }");
    std::fs::write(dir.path().join("render/broken.toml"), fixed).unwrap();
    let errs = Mappings::load(dir.path()).unwrap_err().0;
    let got: Vec<(String, String)> = errs.iter().map(|e| (e.key.clone(), e.message.clone())).collect();
    assert!(errs.iter().all(|e| e.file.ends_with("broken.toml")), "{got:?}");
    assert!(
        got.contains(&("style.header_fill".into(), "'blue' is not a colour as #RRGGBB".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("header[2].cells[0].style".into(), "'bold' is not label, value or title".into())),
        "{got:?}"
    );
    assert!(got.iter().any(|(k, m)| k == "blocks[0]" && m.contains("not configured")), "{got:?}");
    assert!(got.iter().any(|(k, m)| k == "blocks[0]" && m.contains("does not fit")), "{got:?}");
    assert_eq!(got.len(), 4, "{got:?}");
    // `check` validates the render layouts with the other mapping files: exit 2, file and key named.
    let out = common::torikumi_command()
        .current_dir(root())
        .args(["check", "samples/saitama_program.xlsx", "--mappings"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.toml: style.header_fill: 'blue' is not a colour as #RRGGBB"),
        "{stderr}"
    );
}

/// Render layouts declare no eras: year labels take them from the vocabulary.
#[test]
fn render_eras_come_from_the_vocabulary() {
    let m = Mappings::load(&root().join("mappings")).unwrap();
    let l = m.render.iter().find(|l| l.layout.name == "gunma_dx_kobetsu").unwrap();
    assert_eq!(l.year_label("{era}{year}年度", 2023), "令和5年度");
    assert_eq!(l.year_label("{abbr}{year}目標値", 2019), "R元目標値");
    assert_eq!(l.year_label("{abbr}{year}", 2018), "H30");
    for f in ["gunma_dx_kobetsu.toml", "gunma_reform_plan.toml", "saitama_program.toml"] {
        let text = std::fs::read_to_string(root().join("mappings/render").join(f)).unwrap();
        assert!(!text.contains("[[eras]]"), "{f} declares eras");
    }
}
