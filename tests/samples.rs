//! Real values from the real documents in `samples/`, read through the library.

mod common;
use common::root;

use std::path::Path;
use std::sync::OnceLock;

use torikumi::mapping::Mappings;
use torikumi::model::{Extract, Observation};
use torikumi::pipeline;
use torikumi::source::Limits;

fn mappings() -> &'static Mappings {
    static M: OnceLock<Mappings> = OnceLock::new();
    M.get_or_init(|| Mappings::load(&root().join("mappings")).expect("mappings load"))
}

fn ingest(file: &str) -> Extract {
    pipeline::ingest(&[root().join("samples").join(file)], mappings(), &Limits::default())
}

fn gunma_xlsx() -> &'static Extract {
    static X: OnceLock<Extract> = OnceLock::new();
    X.get_or_init(|| ingest("gunma_dx_kobetsu.xlsx"))
}
fn gunma_txt() -> &'static Extract {
    static X: OnceLock<Extract> = OnceLock::new();
    X.get_or_init(|| ingest("gunma_dx_kobetsu.sjis.txt"))
}
fn saitama_xlsx() -> &'static Extract {
    static X: OnceLock<Extract> = OnceLock::new();
    X.get_or_init(|| ingest("saitama_program.xlsx"))
}
fn saitama_txt() -> &'static Extract {
    static X: OnceLock<Extract> = OnceLock::new();
    X.get_or_init(|| ingest("saitama_program.sjis.txt"))
}

/// The one observation matching, or a panic listing what there is.
fn obs<'a>(x: &'a Extract, item: &str, indicator: &str, fy: i32, period: &str, kind: &str) -> &'a Observation {
    let found: Vec<&Observation> = x
        .observations
        .iter()
        .filter(|o| {
            o.initiative_no == item && o.indicator.contains(indicator) && o.fiscal_year == Some(fy) && o.period == period && o.kind == kind
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {item}/{indicator}/{fy}/{period}/{kind}, got {found:#?}"
    );
    found[0]
}

fn both_gunma() -> [&'static Extract; 2] {
    [gunma_xlsx(), gunma_txt()]
}

#[test]
fn gunma_e_filing_rate_baseline_q4_and_slid_target() {
    for x in both_gunma() {
        let b = obs(x, "1", "優先度の高い行政手続電子化率", 2019, "FY", "baseline");
        assert_eq!((b.value, b.unit.as_deref(), b.indicator_no), (Some(7.0), Some("%"), Some(1)));
        let q4 = obs(x, "1", "優先度の高い行政手続電子化率", 2021, "Q4", "actual");
        assert_eq!(q4.value, Some(28.3));
        let t = obs(x, "1", "優先度の高い行政手続電子化率", 2023, "FY", "target");
        assert_eq!((t.value, t.unit.as_deref()), (Some(100.0), Some("%")));
        // The 100% that slid into the Q4 column is not also a Q4 actual.
        assert!(
            !x.observations
                .iter()
                .any(|o| o.indicator.contains("優先度の高い") && o.fiscal_year == Some(2023) && o.period == "Q4")
        );
        assert_eq!(x.diagnostics.iter().filter(|d| d.code == "slid_target_repaired").count(), 8);
    }
}

#[test]
fn gunma_e_procedures_count_fy2022_q4() {
    for x in both_gunma() {
        let o = obs(x, "1", "電子手続及びイベント申込の電子化数", 2022, "Q4", "actual");
        assert_eq!((o.value, o.unit.as_deref()), (Some(1266.0), Some("件")));
        let t = obs(x, "1", "電子手続及びイベント申込の電子化数", 2022, "FY", "target");
        assert_eq!(t.value, Some(750.0));
    }
}

#[test]
fn gunma_video_views_and_multiplied_final_target() {
    for x in both_gunma() {
        let o = obs(x, "7", "tsulunos動画再生回数", 2023, "Q3", "actual");
        assert_eq!((o.value, o.unit.as_deref()), (Some(20_074_375.0), Some("回")));
        let ind = x
            .indicators
            .iter()
            .find(|i| i.indicator.contains("tsulunos動画再生回数"))
            .expect("indicator");
        assert_eq!(ind.final_target_value, Some(15_000_000.0));
        assert_eq!(ind.final_target_fy, Some(2023));
        assert_eq!(ind.final_target_raw.as_deref(), Some("1,500万回"));
        assert_eq!(ind.unit.as_deref(), Some("回"));
    }
}

#[test]
fn gunma_cashless_windows_target_when_header_lacks_target_column() {
    for x in both_gunma() {
        let t = obs(x, "2", "キャッシュレス決済対応窓口数", 2023, "FY", "target");
        assert_eq!((t.value, t.unit.as_deref()), (Some(5.0), Some("カ所")));
        let q3 = obs(x, "2", "キャッシュレス決済対応窓口数", 2023, "Q3", "actual");
        assert_eq!(q3.value, Some(5.0));
        let r = obs(x, "2", "キャッシュレス決済比率", 2021, "Q4", "actual");
        assert_eq!(r.value, Some(9.9));
    }
}

#[test]
fn gunma_deleted_indicator_and_blank_markers() {
    for x in both_gunma() {
        let deleted = x
            .indicators
            .iter()
            .find(|i| i.indicator.contains("県民向けICT入門講座の開催回数"))
            .expect("deleted indicator");
        assert_eq!(deleted.status, "deleted");
        assert_eq!(deleted.indicator_no, Some(2));
        let active = x
            .indicators
            .iter()
            .find(|i| i.initiative_no == "3" && i.indicator_no == Some(2) && i.status == "active")
            .expect("active ②");
        assert!(active.indicator.contains("ウェブアクセシビリティ"));
        let del = obs(x, "3", "県民向けICT入門講座の開催回数", 2023, "Q1", "actual");
        assert_eq!(del.status, "deleted");
        let blank = obs(x, "2", "キャッシュレス決済比率", 2019, "FY", "baseline");
        assert_eq!((blank.status.as_str(), blank.value), ("blank", None));
    }
}

#[test]
fn gunma_initiatives_fields() {
    for x in both_gunma() {
        assert_eq!(x.initiatives.len(), 8, "items (1)-(7) and (10)");
        let i10 = x.initiatives.iter().find(|i| i.initiative_no == "10").expect("item 10");
        assert!(i10.initiative.starts_with("他自治体との連携・支援体制強化"));
        assert_eq!(i10.reform.as_deref(), Some("5 自治体連携と地方分権改革推進"));
        assert_eq!(i10.divisions, vec!["業務プロセス改革課", "市町村課", "地域創生課"]);
        assert!(i10.direction.as_deref().unwrap_or("").contains("《ICT人材登用・育成支援》"));
        let i2 = x.initiatives.iter().find(|i| i.initiative_no == "2").expect("item 2");
        assert_eq!(i2.divisions, vec!["業務プロセス改革課", "会計管理課"]);
        assert!(i2.goal.as_deref().unwrap_or("").starts_with("目標1"));
        assert!(x.initiatives.iter().all(|i| i.plan == "群馬県庁DXアクションプラン"));
    }
}

#[test]
fn gunma_schedule_years_and_quarters() {
    for x in both_gunma() {
        // (3): "Wi-Fi整備要望調査 | 目標 実績 | 要望調査" under 令和3年度 1四半期.
        let e = x
            .schedule
            .iter()
            .find(|s| s.initiative_no == "3" && s.task == "Wi-Fi整備要望調査" && s.fiscal_year == Some(2021))
            .expect("entry");
        assert_eq!(
            (e.period.as_str(), e.kind.as_str(), e.text.as_str()),
            ("Q1", "target_actual", "要望調査")
        );
        // Two words: split into target and actual.
        let t: Vec<_> = x
            .schedule
            .iter()
            .filter(|s| s.initiative_no == "3" && s.task == "全庁へ取組徹底の依頼" && s.fiscal_year == Some(2022))
            .collect();
        let t: Vec<(&str, &str, &str)> = t.iter().map(|s| (s.period.as_str(), s.kind.as_str(), s.text.as_str())).collect();
        assert_eq!(t, [("Q2", "target", "通知発出"), ("Q2", "actual", "実施なし")]);
        // (10): year labels shifted one column left of their quarters.
        let w: Vec<_> = x.schedule.iter().filter(|s| s.initiative_no == "10").collect();
        assert!(
            w.iter()
                .any(|s| s.fiscal_year == Some(2021) && s.period == "Q2" && s.text == "説明会開催")
        );
    }
}

#[test]
fn saitama_copy_reduction_targets_and_h1_value() {
    for x in [saitama_xlsx(), saitama_txt()] {
        for (fy, v) in [(2023, 65.0), (2024, 78.0), (2025, 80.0)] {
            let t = obs(x, "1", "コピー使用量削減率", fy, "FY", "target");
            assert_eq!((t.value, t.unit.as_deref()), (Some(v), Some("%")));
        }
        let h1 = obs(x, "1", "コピー使用量削減率", 2022, "H1", "baseline");
        assert_eq!(h1.value, Some(54.7));
        let i1 = x.initiatives.iter().find(|i| i.initiative_no == "1").expect("No.1");
        assert_eq!(i1.initiative, "ペーパーレス化の更なる推進");
        assert_eq!(i1.divisions, vec!["行政・デジタル改革課"]);
        assert_eq!(i1.goal.as_deref(), Some("R7年度末までにコピー使用量を80%削減する"));
        assert_eq!(x.initiatives.len(), 30);
    }
}

#[test]
fn saitama_several_kpis_in_one_cell_and_thousand_yen() {
    for x in [saitama_xlsx(), saitama_txt()] {
        let n13: Vec<_> = x.indicators.iter().filter(|i| i.initiative_no == "13").collect();
        assert_eq!(n13.len(), 2, "{n13:#?}");
        let yen = x
            .indicators
            .iter()
            .find(|i| i.indicator.contains("寄附獲得額"))
            .expect("寄附獲得額");
        assert_eq!(
            (yen.final_target_value, yen.unit.as_deref(), yen.final_target_fy),
            (Some(100_000_000.0), Some("円"), Some(2025))
        );
        let as_of = x
            .observations
            .iter()
            .find(|o| o.initiative_no == "10" && o.period == "AS_OF")
            .expect("R4.9末");
        assert_eq!(as_of.as_of.map(|d| d.to_string()).as_deref(), Some("2022-09-30"));
        assert_eq!(as_of.value, Some(47.0));
        let avg = obs(x, "30", "大学との連携事業数", 2021, "AVG", "baseline");
        assert_eq!(avg.value, Some(380.0));
    }
}

fn plan_xlsx() -> &'static Extract {
    static X: OnceLock<Extract> = OnceLock::new();
    X.get_or_init(|| ingest("gunma_reform_plan_sheet.xlsx"))
}
fn plan_txt() -> &'static Extract {
    static X: OnceLock<Extract> = OnceLock::new();
    X.get_or_init(|| ingest("gunma_reform_plan_sheet.sjis.txt"))
}

#[test]
fn reform_plan_values_join_their_unit_cells_and_skip_achievement_cells() {
    for x in [plan_xlsx(), plan_txt()] {
        let t = obs(x, "1", "行政手続電子化率", 2020, "FY", "target");
        assert_eq!((t.value, t.unit.as_deref(), t.raw.as_str()), (Some(14.1), Some("%"), "14.1%"));
        let b = obs(x, "1", "行政手続電子化率", 2019, "FY", "baseline");
        assert_eq!(b.value, Some(11.3));
        let n = obs(x, "1", "行政手続及びイベント申込の電子化数", 2023, "FY", "target");
        assert_eq!((n.value, n.unit.as_deref()), (Some(900.0), Some("件")));
        let u = obs(x, "1", "電子申請受付システム利用件数", 2019, "FY", "baseline");
        assert_eq!(u.value, Some(21001.0));
        // Achievement cells (0%) are derived: in diagnostics, never observations.
        assert!(!x.observations.iter().any(|o| o.raw == "0%"));
        assert_eq!(x.diagnostics.iter().filter(|d| d.code == "achievement_cell").count(), 12);
        let ind = x.indicators.iter().find(|i| i.indicator_no == Some(3)).unwrap();
        assert_eq!((ind.indicator_group.as_deref(), ind.kgi.as_deref()), (Some("参考指標"), Some("1")));
        let e = &x.evaluation_counts;
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].fiscal_year, e[0].achieved, e[0].total), (Some(2020), Some(0), Some(3)));
        let i = &x.initiatives[0];
        assert_eq!(i.initiative, "電子申請受付システム、マイナンバーカード活用");
        assert_eq!(i.related_divisions, vec!["申請等手続所所属"]);
        assert!(i.situation.as_deref().unwrap_or("").starts_with("イベントの申込み"));
        assert!(i.direction.as_deref().unwrap_or("").starts_with("押印や添付書類の見直し"));
        assert_eq!(x.sources[0].layout.as_deref(), Some("gunma_reform_plan"));
    }
}

/// Same document as workbook and as Shift_JIS text: same observations.
#[test]
fn workbook_and_text_give_the_same_observations() {
    for (a, b, n) in [
        (gunma_xlsx(), gunma_txt(), 279),
        (saitama_xlsx(), saitama_txt(), 87),
        (plan_xlsx(), plan_txt(), 21),
    ] {
        assert_eq!(a.observations.len(), n);
        assert_eq!(common::observation_key(a), common::observation_key(b));
    }
}

/// Every non-empty cell is either used by the layout or named in diagnostics,
/// and the counts in `sources` are those of the cells themselves: read = the
/// grid's non-empty cells, mapped = those a table used, unmapped = those
/// only the run's diagnostics name (counted from the diagnostics rows, not
/// as read − mapped).
#[test]
fn every_cell_is_accounted_for() {
    use std::collections::HashSet;
    for (file, expected) in [
        ("gunma_dx_kobetsu.xlsx", (1077, 1018, 59)),
        ("gunma_dx_kobetsu.sjis.txt", (1077, 1018, 59)),
        ("gunma_reform_plan_sheet.xlsx", (140, 123, 17)),
        ("gunma_reform_plan_sheet.sjis.txt", (140, 123, 17)),
        ("saitama_program.xlsx", (678, 498, 180)),
        ("saitama_program.sjis.txt", (678, 498, 180)),
    ] {
        let path = root().join("samples").join(file);
        let doc = torikumi::source::read(&path, &Limits::default()).unwrap();
        let name = path.display().to_string();
        // The run's own diagnostics, as the diagnostics table holds them.
        let run = ingest(file);
        let (mut read, mut mapped, mut unmapped) = (0u64, 0u64, 0u64);
        for grid in &doc.grids {
            let layout = torikumi::layout::recognise(grid, mappings());
            let (_, report) = torikumi::layout::extract_sheet(grid, layout, &mappings().vocabulary, &name);
            let cells: HashSet<String> = grid.cells().map(|c| c.a1()).collect();
            let named: HashSet<&str> = run
                .diagnostics
                .iter()
                .filter(|d| d.at.sheet == grid.name && !d.at.cell.is_empty())
                .map(|d| d.at.cell.as_str())
                .collect();
            for cell in &named {
                assert!(
                    cells.contains(*cell),
                    "{file} {}: a diagnostic names {cell}, an empty cell",
                    grid.name
                );
            }
            for cell in grid.cells() {
                let used = report.consumed.contains(&(cell.row, cell.col));
                assert!(
                    used || named.contains(cell.a1().as_str()),
                    "{file} {} {} «{}» is neither mapped nor in diagnostics",
                    grid.name,
                    cell.a1(),
                    cell.raw
                );
                read += 1;
                if used {
                    mapped += 1;
                } else if named.contains(cell.a1().as_str()) {
                    unmapped += 1;
                }
            }
        }
        assert_eq!((read, mapped, unmapped), expected, "{file}: counted from the cells and diagnostics");
        let src = &run.sources[0];
        assert_eq!(
            (src.cells_read, src.cells_mapped, src.cells_unmapped),
            expected,
            "{file}: as the sources table reports them"
        );
    }
}

#[test]
fn sources_record_encoding_and_layout() {
    let t = &gunma_txt().sources[0];
    assert_eq!(t.encoding.as_deref(), Some("Shift_JIS"));
    assert_eq!(t.layout.as_deref(), Some("gunma_dx_kobetsu"));
    assert_eq!(t.sha256.len(), 64);
    let w = &saitama_xlsx().sources[0];
    assert_eq!(w.layout.as_deref(), Some("saitama_program"));
    assert_eq!(w.sheets.len(), 31);
    assert!(Path::new(&w.source_file).ends_with("samples/saitama_program.xlsx"));
}
