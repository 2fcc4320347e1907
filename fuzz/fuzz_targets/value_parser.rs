//! Arbitrary text through the value, period, year and inline-KPI parsers.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use torikumi::normalize::{InlineKpiSyntax, Vocabulary, parse_inline_kpis};

fn vocab() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| {
        let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../mappings/vocabulary.toml")).expect("vocabulary");
        Vocabulary::from_toml_str(&text).expect("vocabulary compiles")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let v = vocab();
    let _ = v.parse_value(s);
    let _ = v.parse_period(s);
    let _ = v.parse_fiscal_year(s);
    let _ = v.parse_indicator_marker(s);
    let _ = v.indicator_numbers(s);
    if let Some(f) = s.parse::<f64>().ok() {
        let _ = v.parse_typed(f, Some(s));
    }
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // saitama_program.toml's syntax.
    let syntax = InlineKpiSyntax {
        marker: "〔KPI〕".into(),
        other_markers: words(&["【KPI】", "[KPI]"]),
        name_separators: words(&["…", "：", "までに"]),
        repeat_note: words(&["再掲"]),
        label_words: words(&["実績", "目標", "見込"]),
        estimate_words: words(&["見込"]),
        each_words: words(&["各"]),
        year_joiners: words(&["・", "、", ","]),
        other_brackets: vec![('【', '】'), ('［', '］'), ('〈', '〉')],
    };
    let _ = parse_inline_kpis(s, &syntax, v);
});
