use chrono::NaiveDate;
use proptest::prelude::*;
use torikumi::normalize::*;

fn vocab() -> &'static Vocabulary {
    static V: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    V.get_or_init(|| Vocabulary::builtin().expect("builtin vocabulary compiles"))
}

fn pv(s: &str) -> Parsed {
    vocab().parse_value(s)
}

fn ok(v: f64, unit: Option<&str>) -> Parsed {
    Parsed {
        value: Some(v),
        unit: unit.map(String::from),
        status: Status::Ok,
    }
}

fn st(s: Status) -> Parsed {
    Parsed {
        value: None,
        unit: None,
        status: s,
    }
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn fy(y: i32) -> PeriodSpec {
    PeriodSpec {
        fiscal_year: Some(y),
        period: Period::FY,
        as_of: None,
    }
}

// ---------------------------------------------------------------- values

#[test]
fn values_numbers_and_units() {
    assert_eq!(pv("1,266件"), ok(1266.0, Some("件")));
    assert_eq!(pv("１００％"), ok(100.0, Some("%")));
    assert_eq!(pv("98万回"), ok(980000.0, Some("回")));
    assert_eq!(pv("3240万枚"), ok(32400000.0, Some("枚")));
    assert_eq!(pv("1,500万回"), ok(15000000.0, Some("回")));
    // Place words one after another: the sum, in the last unit.
    assert_eq!(pv("1万2千人"), ok(12000.0, Some("人")));
    assert_eq!(pv("3千5百人"), ok(3500.0, Some("人")));
    assert_eq!(pv("1億2,000万円"), ok(120_000_000.0, Some("円")));
    assert_eq!(pv("12億5千万円"), ok(1_250_000_000.0, Some("円")));
    assert_eq!(pv("3兆2,000億円"), ok(3.2e12, Some("円")));
    assert_eq!(pv("▲1万2千人"), ok(-12000.0, Some("人")));
    assert_eq!(pv("1万2千"), ok(12000.0, None));
    // A tail as large as its place, or no number after the place word: no such form.
    assert_eq!(pv("1万20000人").value, None);
    assert_eq!(pv("5万～6万人").value, None);
    assert_eq!(pv("1.5万2千人").value, None);
    assert_eq!(pv("15,000,000回"), ok(15000000.0, Some("回")));
    assert_eq!(pv("100,000千円"), ok(100000000.0, Some("円")));
    assert_eq!(pv("5億円"), ok(500000000.0, Some("円")));
    assert_eq!(pv("88.7%"), ok(88.7, Some("%")));
    assert_eq!(pv("８８．７％"), ok(88.7, Some("%")));
    assert_eq!(pv("14.1"), ok(14.1, None));
    assert_eq!(pv("5カ所"), ok(5.0, Some("カ所")));
    assert_eq!(pv("5ヵ所"), ok(5.0, Some("ヵ所")));
    assert_eq!(pv("5箇所"), ok(5.0, Some("箇所")));
    assert_eq!(pv("63市町村"), ok(63.0, Some("市町村")));
    assert_eq!(pv("12時間/年"), ok(12.0, Some("時間/年")));
    assert_eq!(pv("3システム"), ok(3.0, Some("システム")));
    assert_eq!(pv(" 5 件 "), ok(5.0, Some("件")));
    assert_eq!(pv("5万"), ok(50000.0, None)); // bare multiplier: scaled, no unit
    assert_eq!(pv("2百万円"), ok(2000000.0, Some("円")));
    assert_eq!(pv("3万人"), ok(30000.0, Some("人")));
    // 割 is tenths: ３割 is 30 % (before, 3 with the unit 割, beside % values).
    assert_eq!(pv("３割"), ok(30.0, Some("%")));
    assert_eq!(pv("約7割").value, Some(70.0));
}

#[test]
fn values_negative_and_qualifiers() {
    assert_eq!(pv("▲5件"), ok(-5.0, Some("件")));
    assert_eq!(pv("△5件"), ok(-5.0, Some("件")));
    assert_eq!(pv("-5"), ok(-5.0, None));
    assert_eq!(pv("計137施設"), ok(137.0, Some("施設")));
    assert_eq!(pv("各1回"), ok(1.0, Some("回")));
}

#[test]
fn values_blank_and_status() {
    for b in ["—", "―", "-", "－", "", "  ", "　", "‐", "−", "–"] {
        assert_eq!(pv(b), st(Status::Blank), "{b:?}");
    }
    assert_eq!(pv("集計中"), st(Status::Pending));
    assert_eq!(pv("実施なし"), st(Status::NotDone));
    assert_eq!(pv("- (目標達成のため削除)"), st(Status::Deleted));
    assert_eq!(pv("-(指標項目変更のため削除)"), st(Status::Deleted));
    assert_eq!(
        pv("30か所程度"),
        Parsed {
            value: Some(30.0),
            unit: Some("か所".into()),
            status: Status::Approx
        }
    );
    assert_eq!(
        pv("約5件"),
        Parsed {
            value: Some(5.0),
            unit: Some("件".into()),
            status: Status::Approx
        }
    );
    assert_eq!(pv("対象規制の洗い出し、類型・フェーズ(現状)の確認の実施"), st(Status::Text));
    assert_eq!(pv("0 / 3"), st(Status::Text));
    assert_eq!(pv("5件（予定）"), st(Status::Text));
    assert_eq!(pv("①"), st(Status::Text));
    assert_eq!(Status::NotDone.as_str(), "not_done");
    assert_eq!(Status::Approx.as_str(), "approx");
}

#[test]
fn typed_values() {
    let v = vocab();
    assert_eq!(v.parse_typed(0.883, Some("0.0%")), ok(88.3, Some("%")));
    assert_eq!(v.parse_typed(0.6559999999999999, Some("0.0%")), ok(65.6, Some("%")));
    assert_eq!(v.parse_typed(1.0, Some("0%")), ok(100.0, Some("%")));
    assert_eq!(v.parse_typed(0.5, Some("0.00%")), ok(50.0, Some("%")));
    assert_eq!(v.parse_typed(130.0, Some("0\"人\"")), ok(130.0, Some("人")));
    assert_eq!(v.parse_typed(1266.0, Some("#,##0\"件\"")), ok(1266.0, Some("件")));
    assert_eq!(v.parse_typed(2.5, Some("0.0\"人\"")), ok(2.5, Some("人")));
    assert_eq!(v.parse_typed(98.0, Some("#,##0\"万回\"")), ok(980000.0, Some("回")));
    assert_eq!(v.parse_typed(7.0, Some("0\\件")), ok(7.0, Some("件")));
    assert_eq!(v.parse_typed(7.0, Some("0\"件\";[Red]-0\"件\"")), ok(7.0, Some("件")));
    assert_eq!(v.parse_typed(5.0, None), ok(5.0, None));
    assert_eq!(v.parse_typed(5.0, Some("General")), ok(5.0, None));
    // display scaling: value in yen shown in thousands with a 千円 literal
    assert_eq!(v.parse_typed(85000000.0, Some("#,##0,\"千円\"")), ok(85000000.0, Some("円")));
    assert_eq!(v.parse_typed(f64::NAN, None).status, Status::Text);
}

// ---------------------------------------------------------------- years

#[test]
fn fiscal_years() {
    let v = vocab();
    let cases = [
        ("令和5年度", 2023),
        ("令和5年", 2023),
        ("R5", 2023),
        ("R 5 年度", 2023),
        ("R5年度", 2023),
        ("Ｒ５年度", 2023),
        ("R元", 2019),
        ("R元年度", 2019),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("H30", 2018),
        ("2023年度", 2023),
        ("西暦2023年度", 2023),
        ("R5目標値", 2023),
        ("基準年(R1) 実績値", 2019),
        ("【基準年】R元", 2019),
    ];
    for (s, y) in cases {
        assert_eq!(v.parse_fiscal_year(s), Some(y), "{s}");
    }
    assert_eq!(v.parse_fiscal_year("KPI"), None);
    assert_eq!(v.parse_fiscal_year("目標値"), None);
    assert_eq!(v.parse_fiscal_year("SDGsR5"), None); // Latin era right after a letter
    assert_eq!(v.parse_fiscal_year("R123"), None);
}

#[test]
fn periods() {
    let v = vocab();
    assert_eq!(
        v.parse_period("1四半期"),
        Some(PeriodSpec {
            fiscal_year: None,
            period: Period::Q(1),
            as_of: None
        })
    );
    assert_eq!(v.parse_period("第3四半期").map(|p| p.period), Some(Period::Q(3)));
    assert_eq!(
        v.parse_period("R5Q2").map(|p| (p.fiscal_year, p.period)),
        Some((Some(2023), Period::Q(2)))
    );
    assert_eq!(
        v.parse_period("R4上期"),
        Some(PeriodSpec {
            fiscal_year: Some(2022),
            period: Period::H(1),
            as_of: None
        })
    );
    assert_eq!(v.parse_period("R4下半期").map(|p| p.period), Some(Period::H(2)));
    assert_eq!(
        v.parse_period("R4.9末"),
        Some(PeriodSpec {
            fiscal_year: Some(2022),
            period: Period::AsOf,
            as_of: Some(d(2022, 9, 30))
        })
    );
    // calendar reading of era year.month: 令和5年2月 = 2023-02 → FY2022
    assert_eq!(
        v.parse_period("R5.2末"),
        Some(PeriodSpec {
            fiscal_year: Some(2022),
            period: Period::AsOf,
            as_of: Some(d(2023, 2, 28))
        })
    );
    assert_eq!(
        v.parse_period("R6.2末"),
        Some(PeriodSpec {
            fiscal_year: Some(2023),
            period: Period::AsOf,
            as_of: Some(d(2024, 2, 29))
        })
    );
    assert_eq!(
        v.parse_period("R3末"),
        Some(PeriodSpec {
            fiscal_year: Some(2021),
            period: Period::AsOf,
            as_of: Some(d(2022, 3, 31))
        })
    );
    assert_eq!(v.parse_period("R3年度末").and_then(|p| p.as_of), Some(d(2022, 3, 31)));
    assert_eq!(
        v.parse_period("R1～R3平均"),
        Some(PeriodSpec {
            fiscal_year: Some(2021),
            period: Period::Avg,
            as_of: None
        })
    );
    assert_eq!(v.parse_period("R2~R4平均").and_then(|p| p.fiscal_year), Some(2022));
    assert_eq!(v.parse_period("R3"), Some(fy(2021)));
    assert_eq!(
        v.parse_period("R4.3"),
        Some(PeriodSpec {
            fiscal_year: Some(2021),
            period: Period::AsOf,
            as_of: Some(d(2022, 3, 31))
        })
    );
    assert_eq!(v.parse_period("R4年9月末").and_then(|p| p.as_of), Some(d(2022, 9, 30)));
    assert_eq!(
        v.parse_period("R4.4"),
        Some(PeriodSpec {
            fiscal_year: Some(2022),
            period: Period::AsOf,
            as_of: Some(d(2022, 4, 30))
        })
    );
    assert_eq!(v.parse_period("2023年度"), Some(fy(2023)));
    assert_eq!(v.parse_period("目標"), None);
    assert_eq!(v.parse_period(""), None);
    assert_eq!(Period::AsOf.as_str(), "AS_OF");
    assert_eq!(Period::Q(4).as_str(), "Q4");
    assert_eq!(Period::H(2).as_str(), "H2");
    assert_eq!(Period::Avg.as_str(), "AVG");
}

// ---------------------------------------------------------------- markers

#[test]
fn indicator_markers() {
    let v = vocab();
    assert_eq!(v.parse_indicator_marker("①優先度の高い…"), Some((1, "優先度の高い…".into())));
    assert_eq!(v.parse_indicator_marker("① 名前"), Some((1, "名前".into())));
    assert_eq!(v.parse_indicator_marker("(②県民向け…)"), Some((2, "県民向け…".into())));
    assert_eq!(v.parse_indicator_marker("（③県民向け）"), Some((3, "県民向け".into())));
    assert_eq!(v.parse_indicator_marker("⑳x"), Some((20, "x".into())));
    assert_eq!(v.parse_indicator_marker("㉑x"), Some((21, "x".into())));
    assert_eq!(v.parse_indicator_marker("㉟x"), Some((35, "x".into())));
    assert_eq!(v.parse_indicator_marker("㊱x"), Some((36, "x".into())));
    assert_eq!(v.parse_indicator_marker("㊿x"), Some((50, "x".into())));
    assert_eq!(v.parse_indicator_marker("名前"), None);
    assert_eq!(v.parse_indicator_marker(""), None);
    assert!(is_parenthesised_indicator("(②県民向け…)"));
    assert!(is_parenthesised_indicator("（②県民向け…）"));
    assert!(!is_parenthesised_indicator("②県民向け"));
    assert_eq!(v.indicator_numbers("①② ③④"), vec![1, 2, 3, 4]);
    assert_eq!(v.indicator_numbers("③⑤ ⑥"), vec![3, 5, 6]);
    assert_eq!(v.indicator_numbers("なし"), Vec::<u32>::new());
}

/// Letters that number indicators in order: in brackets, or followed by a
/// space or a dot; a name that starts with one of them is no number.
#[test]
fn sequence_markers_number_indicators_in_order() {
    let v = vocab();
    assert_eq!(v.parse_numbered_indicator("(ア) 電子化率"), Some((1, "電子化率".into())));
    assert_eq!(v.parse_numbered_indicator("（イ）公開数"), Some((2, "公開数".into())));
    assert_eq!(v.parse_numbered_indicator("ウ　件数"), Some((3, "件数".into())));
    assert_eq!(v.parse_numbered_indicator("エ．受講者数"), Some((4, "受講者数".into())));
    assert_eq!(v.parse_numbered_indicator("アクセス数"), None);
    assert_eq!(v.parse_numbered_indicator("イベント参加者数"), None);
    assert_eq!(v.parse_numbered_indicator("(ア)"), None);
}

/// What calls a sheet, a title or a row a template's example, and what
/// does not: a mark (見本, サンプル, 例) counts set apart from other letters
/// only, so sheet names like `Sheet1 (2)`, `(9)`, `No.2` and words like
/// 見本市, 事例, 例外 never do; a placeholder name holds ○○ or △△.
#[test]
fn example_marks_count_only_set_apart() {
    let v = vocab();
    for name in [
        "見本",
        "記入見本",
        "サンプル",
        "サンプル (2)",
        "見本2",
        "例",
        "(例)",
        "（例）",
        "【見本】",
        "記入例",
        "記入例 (2)",
    ] {
        assert!(v.is_example_name(name), "{name}");
    }
    for name in [
        "Sheet1 (2)",
        "(9)",
        "No.2",
        "(1)",
        "見本市",
        "事例",
        "例外",
        "サンプル調査",
        "表紙",
        "集計",
        "条例一覧",
    ] {
        assert!(!v.is_example_name(name), "{name}");
    }
    for title in [
        "記入例",
        "【記入例】目標1 デジタル…",
        "（記入例）DX個別取組票",
        "DX個別取組票（記入例）",
        "記入例：○○課",
        "(例) ○○の推進",
        "見本",
    ] {
        assert!(v.is_example_title(title), "{title}");
    }
    for title in [
        "目標1 デジタルトランスフォーメーション等",
        "記入例を参考に記入してください",
        "※記入例参照",
        "No.1 ペーパーレス化",
        "先進事例の紹介",
    ] {
        assert!(!v.is_example_title(title), "{title}");
    }
    for cell in [
        "(例) ○○システムの導入",
        "（例）電子申請",
        "【例】①件数",
        "①(例)件数",
        "①件数（例）",
        "（記入例）④○○件数",
    ] {
        assert!(v.is_example(cell), "{cell}");
        assert_eq!(v.row_label(cell), Some(RowLabel::Example), "{cell}");
    }
    for cell in [
        "例外申請件数",
        "先進事例の紹介件数",
        "(1) 電子申請受付システム",
        "研修受講者数（例：新任職員）",
        "見本市出展数",
    ] {
        assert!(!v.is_example(cell), "{cell}");
        assert_eq!(v.row_label(cell), None, "{cell}");
    }
    for cell in ["①○○申請件数", "②〇〇率", "③△△数", "□□件数", "●●の推進"] {
        assert!(v.is_placeholder(cell), "{cell}");
        assert_eq!(v.row_label(cell), Some(RowLabel::Placeholder), "{cell}");
    }
    for cell in ["①優先度の高い行政手続電子化率", "○具体的取組及び工程", "達成 ○", "△"] {
        assert!(!v.is_placeholder(cell), "{cell}");
    }
}

#[test]
fn fold_is_ascii_only() {
    assert_eq!(fold_ascii_width("Ｒ５：６５％　①"), "R5:65% ①");
}

// ---------------------------------------------------------------- vocabulary file

#[test]
fn vocabulary_errors_are_all_reported_with_paths() {
    let bad = r#"
blank_markers = ["-"]
[[status]]
pattern = 'ok'
status = "pending"
[[status]]
pattern = 'x'
status = "nope"
[[status]]
pattern = '(unclosed'
status = "deleted"
[period]
quarter_patterns = ['Q[1-4]']
"#;
    let errs = Vocabulary::from_toml_str(bad).unwrap_err();
    assert!(errs.iter().any(|e| e.starts_with("status[1].status:")), "{errs:?}");
    assert!(
        errs.iter().any(|e| e.starts_with("status[2].pattern: regex parse error")),
        "{errs:?}"
    );
    assert!(errs.iter().any(|e| e.starts_with("period.quarter_patterns[0]:")), "{errs:?}");
    let unknown = Vocabulary::from_toml_str("blank_marker = [\"-\"]").unwrap_err();
    assert!(unknown[0].contains("unknown field"), "{unknown:?}");
}

// ---------------------------------------------------------------- inline KPIs

fn syntax() -> InlineKpiSyntax {
    InlineKpiSyntax {
        marker: "〔KPI〕".into(),
        other_markers: Vec::new(),
        name_separators: vec!["…".into(), "：".into()],
        repeat_note: vec!["再掲".into()],
        label_words: Vec::new(),
        estimate_words: Vec::new(),
        each_words: Vec::new(),
        year_joiners: Vec::new(),
        other_brackets: Vec::new(),
    }
}

fn kpis(text: &str) -> (String, Vec<InlineKpi>) {
    parse_inline_kpis(text, &syntax(), vocab())
}

/// (fiscal_year, period, kind, value, unit, status)
type E = (Option<i32>, Period, KpiKind, Option<f64>, Option<&'static str>, Status);

fn summary(k: &InlineKpi) -> Vec<E> {
    k.entries
        .iter()
        .map(|e| {
            let unit: Option<&'static str> = e.parsed.unit.as_ref().map(|u| &*Box::leak(u.clone().into_boxed_str()));
            (e.spec.fiscal_year, e.spec.period, e.kind, e.parsed.value, unit, e.parsed.status)
        })
        .collect()
}

fn t(y: i32, v: f64, u: &'static str) -> E {
    (Some(y), Period::FY, KpiKind::Target, Some(v), Some(u), Status::Ok)
}

#[test]
fn inline_1_copy() {
    let (goal, k) =
        kpis("R7年度末までにコピー使用量を80%削減する 〔KPI〕 コピー使用量削減率（R元年度比） … R5：65% R6：78% R7：80%（R4上期：54.7%）");
    assert_eq!(goal, "R7年度末までにコピー使用量を80%削減する");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "コピー使用量削減率（R元年度比）");
    assert_eq!(k[0].note, None);
    assert_eq!(
        summary(&k[0]),
        vec![
            t(2023, 65.0, "%"),
            t(2024, 78.0, "%"),
            t(2025, 80.0, "%"),
            (Some(2022), Period::H(1), KpiKind::Baseline, Some(54.7), Some("%"), Status::Ok),
        ]
    );
    assert_eq!(k[0].entries[0].raw, "R5：65%");
    assert_eq!(k[0].entries[0].value_raw, "65%");
    assert_eq!(k[0].entries[3].raw, "R4上期：54.7%");
}

#[test]
fn inline_2_no_kpi_and_unnamed() {
    let (goal, k) = kpis("… 〔KPI〕 -");
    assert_eq!(goal, "…");
    assert!(k.is_empty());
    let (goal, k) = kpis("<p>早急にほぼ全県民へマイナンバーカードを普及させる 〔KPI〕 - （R4.9末：47.0%）</p>");
    assert_eq!(goal, "早急にほぼ全県民へマイナンバーカードを普及させる");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "");
    assert_eq!(k[0].entries.len(), 1);
    let e = &k[0].entries[0];
    assert_eq!(
        e.spec,
        PeriodSpec {
            fiscal_year: Some(2022),
            period: Period::AsOf,
            as_of: Some(d(2022, 9, 30))
        }
    );
    assert_eq!(e.kind, KpiKind::Baseline);
    assert_eq!(e.parsed, ok(47.0, Some("%")));
    // no marker at all
    let (goal, k) = kpis("<p>目標だけ</p>");
    assert_eq!(goal, "目標だけ");
    assert!(k.is_empty());
}

#[test]
fn inline_3_two_kpis() {
    let (_, k) = kpis(
        "〔KPI〕 市町村との意見交換または個別相談対応の実施 … R5：63市町村 R6：63市町村 R7：63市町村 システム標準化が完了した自治体数 … R6：10市町村 R7：63市町村",
    );
    assert_eq!(k.len(), 2);
    assert_eq!(k[0].name, "市町村との意見交換または個別相談対応の実施");
    assert_eq!(
        summary(&k[0]),
        vec![t(2023, 63.0, "市町村"), t(2024, 63.0, "市町村"), t(2025, 63.0, "市町村")]
    );
    assert_eq!(k[1].name, "システム標準化が完了した自治体数");
    assert_eq!(summary(&k[1]), vec![t(2024, 10.0, "市町村"), t(2025, 63.0, "市町村")]);
}

#[test]
fn inline_4_colon_separator_and_baseline() {
    let (_, k) = kpis(
        "〔KPI〕 ネーミングライツに係る企業との意見交換数： R5：15件 R6：15件 R7：30件 広告事業数 … R5：20件 R6：22件 R7：25件（R3：19件）",
    );
    assert_eq!(k.len(), 2);
    assert_eq!(k[0].name, "ネーミングライツに係る企業との意見交換数");
    assert_eq!(summary(&k[0]), vec![t(2023, 15.0, "件"), t(2024, 15.0, "件"), t(2025, 30.0, "件")]);
    assert_eq!(k[1].name, "広告事業数");
    assert_eq!(
        summary(&k[1]),
        vec![
            t(2023, 20.0, "件"),
            t(2024, 22.0, "件"),
            t(2025, 25.0, "件"),
            (Some(2021), Period::FY, KpiKind::Baseline, Some(19.0), Some("件"), Status::Ok),
        ]
    );
}

#[test]
fn inline_5_average_baseline() {
    let (_, k) = kpis("〔KPI〕 連携企業等への連携事業働きかけ … R5：130件 R6：130件 R7:130件（R2～R4平均：122件）");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "連携企業等への連携事業働きかけ");
    assert_eq!(
        summary(&k[0]),
        vec![
            t(2023, 130.0, "件"),
            t(2024, 130.0, "件"),
            t(2025, 130.0, "件"),
            (Some(2022), Period::Avg, KpiKind::Baseline, Some(122.0), Some("件"), Status::Ok),
        ]
    );
    assert_eq!(k[0].entries[2].raw, "R7:130件");
}

#[test]
fn inline_6_half_width() {
    let (_, k) = kpis("〔KPI〕 20代新規採用職員の長期療養者数 … R5:0人 R6:0人 R7:0人 (R3:0人)");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "20代新規採用職員の長期療養者数");
    assert_eq!(
        summary(&k[0]),
        vec![
            t(2023, 0.0, "人"),
            t(2024, 0.0, "人"),
            t(2025, 0.0, "人"),
            (Some(2021), Period::FY, KpiKind::Baseline, Some(0.0), Some("人"), Status::Ok),
        ]
    );
}

#[test]
fn inline_7_repeat_note() {
    let (_, k) = kpis("〔KPI〕 県行政手続のオンライン利用率 … R5：35% R6：40% R7：45%（再掲）");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "県行政手続のオンライン利用率");
    assert_eq!(k[0].note.as_deref(), Some("再掲"));
    assert_eq!(summary(&k[0]), vec![t(2023, 35.0, "%"), t(2024, 40.0, "%"), t(2025, 45.0, "%")]);
}

#[test]
fn inline_8_no_separator() {
    let (_, k) = kpis("〔KPI〕 SIM付きのパソコン保有割合 R6：100%（R4：51.5%）");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "SIM付きのパソコン保有割合");
    assert_eq!(
        summary(&k[0]),
        vec![
            t(2024, 100.0, "%"),
            (Some(2022), Period::FY, KpiKind::Baseline, Some(51.5), Some("%"), Status::Ok),
        ]
    );
}

#[test]
fn inline_9_no_space_after_marker() {
    let (_, k) = kpis("〔KPI〕埼玉県SDGs官民連携プラットフォーム会員数（累計） … R5：1,800者 R6：2,100者 R7：2,400者（R4.3：920者）");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "埼玉県SDGs官民連携プラットフォーム会員数（累計）");
    assert_eq!(
        summary(&k[0]),
        vec![
            t(2023, 1800.0, "者"),
            t(2024, 2100.0, "者"),
            t(2025, 2400.0, "者"),
            (Some(2021), Period::AsOf, KpiKind::Baseline, Some(920.0), Some("者"), Status::Ok),
        ]
    );
    assert_eq!(k[0].entries[3].spec.as_of, Some(d(2022, 3, 31)));
}

#[test]
fn inline_10_thousand_yen() {
    let (_, k) = kpis("〔KPI〕 企業版ふるさと納税による寄附獲得額 … R6：85,000千円 R7：100,000千円");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "企業版ふるさと納税による寄附獲得額");
    assert_eq!(summary(&k[0]), vec![t(2024, 85000000.0, "円"), t(2025, 100000000.0, "円")]);
    assert_eq!(k[0].entries[0].value_raw, "85,000千円");
}

#[test]
fn inline_11_variants() {
    let (_, k) = kpis("〔KPI〕 研修実施回数 … R5…5件");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "研修実施回数");
    assert_eq!(summary(&k[0]), vec![t(2023, 5.0, "件")]);

    let (_, k) = kpis("〔KPI〕 点検施設数 … 計137施設");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "点検施設数");
    assert_eq!(
        summary(&k[0]),
        vec![(None, Period::FY, KpiKind::Target, Some(137.0), Some("施設"), Status::Ok)]
    );
    assert_eq!(k[0].entries[0].value_raw, "計137施設");

    let (_, k) = kpis("〔KPI〕 説明会の開催 … 各1回");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "説明会の開催");
    assert_eq!(
        summary(&k[0]),
        vec![(None, Period::FY, KpiKind::Target, Some(1.0), Some("回"), Status::Ok)]
    );

    let (_, k) = kpis("〔KPI〕 設置箇所数 … R7：30か所程度");
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].name, "設置箇所数");
    assert_eq!(
        summary(&k[0]),
        vec![(Some(2025), Period::FY, KpiKind::Target, Some(30.0), Some("か所"), Status::Approx)]
    );
}

// ---------------------------------------------------------------- properties

/// `n` with a comma every three digits, as the documents print counts.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// ASCII → its full-width form (U+FF01–U+FF5E), as some sheets type numbers.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Last day of a calendar month.
fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    d(ny, nm, 1).pred_opt().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    // -------- printed → parsed → printed: the value the text shows

    #[test]
    fn a_printed_percentage_reads_back_as_its_value(n in 0u64..100_000_000) {
        let v = n as f64 / 100.0;
        prop_assert_eq!(pv(&format!("{v}%")), ok(v, Some("%")));
        prop_assert_eq!(pv(&format!("{v}％")), ok(v, Some("%")));
        // Printed again from what was read, it reads the same.
        let again = pv(&format!("{}%", pv(&format!("{v}%")).value.unwrap()));
        prop_assert_eq!(again, ok(v, Some("%")));
    }

    #[test]
    fn grouping_full_width_and_negative_marks_keep_the_count(n in 0u64..10_000_000_000) {
        let want = ok(n as f64, Some("件"));
        prop_assert_eq!(pv(&format!("{n}件")), want.clone());
        prop_assert_eq!(pv(&format!("{}件", grouped(n))), want.clone());
        prop_assert_eq!(pv(&full_width(&format!("{}件", grouped(n)))), want);
        if n > 0 {
            prop_assert_eq!(pv(&format!("▲{}件", grouped(n))), ok(-(n as f64), Some("件")));
            prop_assert_eq!(pv(&format!("△{n}件")), ok(-(n as f64), Some("件")));
        }
    }

    #[test]
    fn multipliers_scale_into_the_base_unit(n in 1u64..1_000_000) {
        let x = n as f64;
        prop_assert_eq!(pv(&format!("{n}万回")), ok(x * 1e4, Some("回")));
        prop_assert_eq!(pv(&format!("{}千円", grouped(n))), ok(x * 1e3, Some("円")));
        prop_assert_eq!(pv(&format!("{n}億円")), ok(x * 1e8, Some("円")));
    }

    #[test]
    fn a_typed_percentage_reads_as_its_number_format_shows_it(n in 0u32..2_000_000) {
        // 0.883 in `0.0%` shows 88.3%: the value read is the one shown.
        let shown = f64::from(n) / 10.0;
        prop_assert_eq!(vocab().parse_typed(f64::from(n) / 1000.0, Some("0.0%")), ok(shown, Some("%")));
        prop_assert_eq!(vocab().parse_typed(f64::from(n), Some("#,##0\"件\"")), ok(f64::from(n), Some("件")));
    }

    #[test]
    // Era years are read up to two digits (R123 is not a year), so labels
    // round-trip up to 令和99年度 = 2117.
    fn a_fiscal_year_label_round_trips(y in 1989i32..=2117) {
        let v = vocab();
        let label = v.wareki_fiscal_year(y);
        prop_assert!(label.is_some(), "no label for {}", y);
        let label = label.unwrap();
        prop_assert_eq!(v.parse_fiscal_year(&label), Some(y), "{}", label);
        prop_assert_eq!(v.parse_period(&label), Some(fy(y)), "{}", label);
        prop_assert_eq!(v.wareki_fiscal_year(v.parse_fiscal_year(&label).unwrap()), Some(label));
        if y >= 2019 {
            prop_assert_eq!(v.parse_fiscal_year(&format!("R{}", y - 2018)), Some(y));
        }
    }

    #[test]
    fn a_quarter_round_trips_through_its_code(n in 1i32..80, q in 1u8..=4) {
        let v = vocab();
        let spec = v.parse_period(&format!("R{n}Q{q}"));
        prop_assert_eq!(
            spec.clone(),
            Some(PeriodSpec { fiscal_year: Some(2018 + n), period: Period::Q(q), as_of: None })
        );
        let spec = spec.unwrap();
        let shown = format!("R{}{}", spec.fiscal_year.unwrap() - 2018, spec.period.as_str());
        prop_assert_eq!(v.parse_period(&shown), Some(spec));
        prop_assert_eq!(v.parse_period(&format!("第{q}四半期")).map(|p| p.period), Some(Period::Q(q)));
    }

    #[test]
    fn a_month_end_round_trips_through_its_date(n in 1i32..80, m in 1u32..=12) {
        // R5.2末: calendar 2023-02 → FY2022; R5.9末 → FY2023.
        let v = vocab();
        let year = 2018 + n;
        let want = PeriodSpec {
            fiscal_year: Some(if m >= 4 { year } else { year - 1 }),
            period: Period::AsOf,
            as_of: Some(month_end(year, m)),
        };
        let spec = v.parse_period(&format!("R{n}.{m}末"));
        prop_assert_eq!(spec.clone(), Some(want.clone()));
        use chrono::Datelike;
        let date = spec.unwrap().as_of.unwrap();
        let shown = format!("R{}.{}末", date.year() - 2018, date.month());
        prop_assert_eq!(v.parse_period(&shown), Some(want));
    }

    // -------- arbitrary text: no panic, and what comes back is coherent

    #[test]
    fn parse_value_is_coherent_on_any_text(s in "\\PC{0,40}") {
        let p = vocab().parse_value(&s);
        check_parsed(&p, &s)?;
    }

    #[test]
    fn parsers_are_coherent_on_domain_chars(s in "[0-9０-９,.．%％▲△\\-－万千億円件R令和元年度末上期平均～~:：…()（）計各約程度 ]{0,24}") {
        let v = vocab();
        check_parsed(&v.parse_value(&s), &s)?;
        if let Some(p) = v.parse_period(&s) {
            check_period(&p, &s)?;
        }
        // The same text in full-width reads the same (fold first).
        prop_assert_eq!(v.parse_value(&full_width(&s)), v.parse_value(&s));
    }

    #[test]
    fn parse_period_and_markers_are_coherent_on_any_text(s in "\\PC{0,40}") {
        let v = vocab();
        if let Some(p) = v.parse_period(&s) {
            check_period(&p, &s)?;
        }
        let numbers = v.indicator_numbers(&s);
        let mut unique = numbers.clone();
        unique.sort_unstable();
        unique.dedup();
        prop_assert_eq!(unique.len(), numbers.len(), "duplicates in {:?}", numbers);
        prop_assert!(numbers.iter().all(|n| (1..=50).contains(n)), "{:?}", numbers);
        if let Some((n, name)) = v.parse_indicator_marker(&s) {
            // The marker is the first circled number of the cell, and the
            // name is text of the cell.
            prop_assert_eq!(numbers.first(), Some(&n), "{:?}", s);
            prop_assert!(s.contains(name.as_str()), "{:?} not in {:?}", name, s);
        }
    }

    #[test]
    fn parse_typed_is_coherent_on_any_number_and_format(x in proptest::num::f64::ANY, f in "\\PC{0,20}") {
        let p = vocab().parse_typed(x, Some(&f));
        check_parsed(&p, &f)?;
        if !x.is_finite() {
            prop_assert_eq!(p.value, None);
        }
    }

    #[test]
    fn inline_kpis_are_coherent(s in "[R0-9０-９:：…()（）〔〕KPI再掲件% a-z<>/p~～上期平均末.\\-]{0,60}") {
        let (_, kpis) = parse_inline_kpis(&s, &syntax(), vocab());
        for k in &kpis {
            for e in &k.entries {
                check_parsed(&e.parsed, &e.raw)?;
                check_period(&e.spec, &e.raw)?;
                prop_assert!(e.raw.contains(e.value_raw.as_str()), "{:?} not in {:?}", e.value_raw, e.raw);
            }
        }
    }
}

/// A value exactly when the status carries one, finite, and a unit only with a value.
fn check_parsed(p: &Parsed, s: &str) -> Result<(), TestCaseError> {
    let carries_value = matches!(p.status, Status::Ok | Status::Approx);
    prop_assert_eq!(p.value.is_some(), carries_value, "{:?} → {:?}", s, p);
    prop_assert!(p.value.is_none_or(f64::is_finite), "{:?} → {:?}", s, p);
    prop_assert!(p.unit.is_none() || p.value.is_some(), "{:?} → {:?}", s, p);
    Ok(())
}

/// Quarters 1–4, halves 1–2, a date exactly for point-in-time periods.
fn check_period(p: &PeriodSpec, s: &str) -> Result<(), TestCaseError> {
    match p.period {
        Period::Q(q) => prop_assert!((1..=4).contains(&q), "{:?} → {:?}", s, p),
        Period::H(h) => prop_assert!((1..=2).contains(&h), "{:?} → {:?}", s, p),
        _ => {}
    }
    prop_assert_eq!(p.as_of.is_some(), p.period == Period::AsOf, "{:?} → {:?}", s, p);
    Ok(())
}

#[test]
fn wareki_labels_come_from_the_era_table() {
    assert_eq!(vocab().wareki_fiscal_year(2023).as_deref(), Some("令和5年度"));
    assert_eq!(vocab().wareki_fiscal_year(2019).as_deref(), Some("令和元年度"));
    assert_eq!(vocab().wareki_fiscal_year(2018).as_deref(), Some("平成30年度"));
}

/// `45%強` / `3万人弱`: a little over or under the value, read as it, approx
/// (before, the unit was `%強`, which no target shares).
#[test]
fn a_little_over_or_under_is_approx() {
    let v = vocab();
    let p = v.parse_value("45%強");
    assert_eq!((p.value, p.unit.as_deref(), p.status), (Some(45.0), Some("%"), Status::Approx));
    let p = v.parse_value("3万人弱");
    assert_eq!((p.value, p.unit.as_deref(), p.status), (Some(30000.0), Some("人"), Status::Approx));
    assert_eq!(v.parse_value("体制強化").status, Status::Text);
}

/// Kind words other offices head their columns with (probe s17): 現況値 and
/// 当初値 are the baseline, as 現状値 is; 直近値 is the latest actual.
#[test]
fn header_kind_words_of_other_offices() {
    use torikumi::model::Kind;
    let m = |s: &str| {
        let h = vocab().decode_header(s);
        (h.word, h.fiscal_year)
    };
    assert_eq!(m("現況値（R2）"), (Some(HeaderWord::Value(Kind::Baseline)), Some(2020)));
    assert_eq!(m("当初値(令和元年度)"), (Some(HeaderWord::Value(Kind::Baseline)), Some(2019)));
    assert_eq!(m("直近値（R4）"), (Some(HeaderWord::Value(Kind::Actual)), Some(2022)));
}
