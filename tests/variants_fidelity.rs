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
