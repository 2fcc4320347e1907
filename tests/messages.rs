//! Messages in Japanese and English (mappings/messages/*.ftl): every code and
//! summary line has a message in both languages and nothing else is there,
//! every wording renders without a Fluent error, and the language follows
//! `--lang`, else the locale.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement};
use polars::prelude::*;
use regex::Regex;
use torikumi::mapping::messages::{self, Lang, Messages, Ui};
use torikumi::model::DiagCode;

/// One catalogue's messages: id → (argument names, `$case` variant keys).
type Catalogue = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

fn catalogue_text(lang: Lang) -> String {
    let path = common::root().join("mappings/messages").join(format!("{}.ftl", lang.code()));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Walks a pattern for its variables and the keys of selectors on `$case`.
fn walk(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>, cases: &mut BTreeSet<String>) {
    for el in &pattern.elements {
        let PatternElement::Placeable { expression } = el else { continue };
        match expression {
            Expression::Inline(InlineExpression::VariableReference { id }) => {
                vars.insert(id.name.to_string());
            }
            // `{ FY($fy) }`: the function's arguments are the message's too.
            Expression::Inline(InlineExpression::FunctionReference { arguments, .. }) => {
                for a in &arguments.positional {
                    if let InlineExpression::VariableReference { id } = a {
                        vars.insert(id.name.to_string());
                    }
                }
            }
            Expression::Select { selector, variants } => {
                if let InlineExpression::VariableReference { id } = selector {
                    vars.insert(id.name.to_string());
                    if id.name == "case" {
                        cases.extend(variants.iter().map(|v| match &v.key {
                            ast::VariantKey::Identifier { name } => name.to_string(),
                            ast::VariantKey::NumberLiteral { value } => value.to_string(),
                        }));
                    }
                }
                for v in variants {
                    walk(&v.value, vars, cases);
                }
            }
            _ => {}
        }
    }
}

fn catalogue(lang: Lang) -> Catalogue {
    let text = catalogue_text(lang);
    let res = fluent_syntax::parser::parse(text.as_str()).unwrap_or_else(|(_, e)| panic!("{}.ftl: {e:?}", lang.code()));
    let mut out = Catalogue::new();
    for entry in &res.body {
        if let Entry::Message(m) = entry {
            let (mut vars, mut cases) = (BTreeSet::new(), BTreeSet::new());
            if let Some(p) = &m.value {
                walk(p, &mut vars, &mut cases);
            }
            out.insert(m.id.name.to_string(), (vars, cases));
        }
    }
    out
}

/// The text of every Rust file under src/.
fn sources() -> Vec<(String, String)> {
    common::rust_files(&common::root().join("src"))
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

#[test]
fn every_code_and_summary_line_has_a_message_in_both_languages_and_nothing_else() {
    let required: BTreeSet<String> = messages::required_ids().into_iter().map(String::from).collect();
    assert_eq!(required.len(), DiagCode::ALL.len() + Ui::ALL.len());
    for lang in Lang::ALL {
        let ids: BTreeSet<String> = catalogue(lang).into_keys().collect();
        let missing: Vec<_> = required.difference(&ids).collect();
        assert!(missing.is_empty(), "{}.ftl lacks {missing:?}", lang.code());
        let unused: Vec<_> = ids.difference(&required).collect();
        assert!(unused.is_empty(), "{}.ftl has ids nothing uses: {unused:?}", lang.code());
    }
    // The built-in catalogues load (the loader checks the same).
    Messages::built_in();
}

#[test]
fn every_summary_line_is_used_in_src() {
    let src = sources();
    for ui in Ui::ALL {
        let name = format!("Ui::{ui:?}");
        // The enum is declared by a macro from `Variant => "id"` lines: `Ui::Variant` is a use.
        let used = src.iter().any(|(_, text)| text.contains(&name));
        assert!(used, "{name} ({}) is in the catalogues but no code prints it", ui.id());
    }
}

#[test]
fn both_languages_take_the_same_arguments_and_cases() {
    let (ja, en) = (catalogue(Lang::Ja), catalogue(Lang::En));
    for (id, (en_vars, en_cases)) in &en {
        let (ja_vars, ja_cases) = &ja[id];
        assert_eq!(ja_cases, en_cases, "{id}: the $case wordings differ between ja.ftl and en.ftl");
        // Japanese may leave out an argument English shows, never use one English lacks.
        let extra: Vec<_> = ja_vars.difference(en_vars).collect();
        assert!(extra.is_empty(), "{id}: ja.ftl uses arguments en.ftl does not: {extra:?}");
    }
}

#[test]
fn every_case_in_src_has_a_wording_and_every_wording_a_case() {
    let re = Regex::new(r#""case" => "([a-z-]+)""#).unwrap();
    let used: BTreeSet<String> = sources()
        .iter()
        .flat_map(|(_, t)| re.captures_iter(t).map(|c| c[1].to_string()).collect::<Vec<_>>())
        .collect();
    assert!(used.len() > 20, "{used:?}");
    for lang in Lang::ALL {
        let known: BTreeSet<String> = catalogue(lang).into_values().flat_map(|(_, c)| c).collect();
        let missing: Vec<_> = used.difference(&known).collect();
        assert!(missing.is_empty(), "{}.ftl has no wording for the cases {missing:?}", lang.code());
        let unused: Vec<_> = known.difference(&used).collect();
        assert!(unused.is_empty(), "{}.ftl has wordings no code picks: {unused:?}", lang.code());
    }
}

#[test]
fn every_message_renders_with_its_arguments_in_both_languages() {
    let m = Messages::built_in();
    for lang in Lang::ALL {
        for (id, (vars, cases)) in catalogue(lang) {
            let cases: Vec<Option<String>> = if cases.is_empty() {
                vec![None]
            } else {
                cases.into_iter().map(Some).collect()
            };
            for case in cases {
                let mut args = fluent_bundle::FluentArgs::new();
                for v in &vars {
                    // A year argument as the program passes it: a number's text.
                    args.set(v.as_str(), if v == "fy" { "2023".to_string() } else { format!("<{v}>") });
                }
                if let Some(c) = &case {
                    args.set("case", c.clone());
                }
                let out = m
                    .try_format(lang, &id, &args)
                    .unwrap_or_else(|(_, errors)| panic!("{}.ftl {id} {case:?}: {errors:?}", lang.code()));
                assert!(!out.contains('{') && !out.contains('\u{2068}'), "{}.ftl {id}: {out}", lang.code());
                assert!(!out.trim().is_empty(), "{}.ftl {id} {case:?} is empty", lang.code());
                // The API the workbook and the report call gives the same text.
                if let Some(code) = DiagCode::parse(&id) {
                    let pairs: Vec<(String, String)> = vars
                        .iter()
                        .map(|v| (v.clone(), if v == "fy" { "2023".to_string() } else { format!("<{v}>") }))
                        .chain(case.iter().map(|c| ("case".to_string(), c.clone())))
                        .collect();
                    let json = messages::args_json(&pairs);
                    assert_eq!(m.diagnostic(lang, code, &json), out, "{id}");
                }
            }
        }
    }
}

/// The slid-target message of `fy` in `lang`, as a diagnostic carries it.
fn slid_target(lang: Lang, fy: &str) -> String {
    Messages::built_in()
        .render(lang, DiagCode::SlidTargetRepaired, &[("fy", fy)])
        .into_owned()
}

#[test]
fn a_fiscal_year_reads_in_the_documents_era_form_in_japanese_and_as_fy_in_english() {
    assert!(slid_target(Lang::Ja, "2023").starts_with("令和5年度の目標値として読みました"));
    assert!(slid_target(Lang::En, "2023").starts_with("read as the FY2023 target"));
    // The first year of an era as the documents and the vocabulary write it:
    // 令和元年度 (gunma_reform_outline: 【基準年】R元; first_year_words = ["元"]).
    assert!(slid_target(Lang::Ja, "2019").starts_with("令和元年度の"));
    assert!(slid_target(Lang::En, "2019").starts_with("read as the FY2019 target"));
    // Before 令和 began, the previous era.
    assert!(slid_target(Lang::Ja, "2018").starts_with("平成30年度の"));
    assert!(slid_target(Lang::Ja, "1989").starts_with("平成元年度の"));
    assert!(slid_target(Lang::Ja, "1988").starts_with("昭和63年度の"));
    // A year before every era of the table, and an argument that is no year: plain.
    assert!(slid_target(Lang::Ja, "1900").starts_with("1900年度の"));
    assert!(slid_target(Lang::Ja, "?").starts_with("?年度の"));
    // The same function formats from a number.
    let m = Messages::built_in();
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("fy", 2024);
    assert!(
        m.try_format(Lang::Ja, "slid_target_repaired", &args)
            .unwrap()
            .starts_with("令和6年度の")
    );
}

#[test]
fn the_eras_come_from_the_vocabulary() {
    // A vocabulary whose newest era is declared later: 2023 reads in it.
    let text = std::fs::read_to_string(common::root().join("mappings/vocabulary.toml")).unwrap();
    let text = text.replacen("[[eras]]", "[[eras]]\nnames = [\"新元号\", \"N\"]\nstart = 2022\n\n[[eras]]", 1);
    let vocabulary = torikumi::mapping::vocabulary::Vocabulary::from_toml_str(&text).unwrap();
    let years = messages::FiscalYears::of(&vocabulary);
    assert_eq!(years.show(Lang::Ja, 2023), "新元号2年度");
    assert_eq!(years.show(Lang::Ja, 2022), "新元号元年度");
    assert_eq!(years.show(Lang::Ja, 2021), "令和3年度");
    assert_eq!(years.show(Lang::En, 2023), "FY2023");
}

fn torikumi(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = common::torikumi_command();
    c.current_dir(common::root()).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn stdout_and_stderr(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// What `check` prints for the KPI list sample: its one warning and the total.
fn check_kpi_list(extra: &[&str], env: &[(&str, &str)]) -> String {
    let mut args = vec!["check", "--built-in-mappings", "samples/gunma_dx_kpi_list.xlsx"];
    args.extend_from_slice(extra);
    let o = torikumi(&args, env);
    assert_eq!(o.status.code(), Some(0), "{}", stdout_and_stderr(&o));
    stdout_and_stderr(&o)
}

const JA_WARNING: &str = "指標「「アナログ規制の見直し」作業フェーズ」の令和5年度は評価できません: 目標値が数値ではなく文字です";
const JA_TOTAL: &str = "合計: ファイル 1 件、読んだセル 182 = 表に入ったもの 181 + 診断 1。観測値 133 行、指標 19 件、取組 8 件、工程 0 行。エラー 0 件、警告 1 件";
const EN_WARNING: &str = "KPI 「アナログ規制の見直し」作業フェーズ FY2023 is not evaluable: the target is text, not a number";
const EN_TOTAL: &str = "total: 1 files, 182 cells read = 181 mapped + 1 in diagnostics; 133 observations, 19 indicators, 8 initiatives, 0 schedule rows; 0 errors, 1 warnings";

#[test]
fn check_with_lang_ja_speaks_japanese() {
    let out = check_kpi_list(&["--lang", "ja"], &[]);
    assert!(out.contains(JA_WARNING), "{out}");
    assert!(out.contains(JA_TOTAL), "{out}");
    assert!(out.contains("samples/gunma_dx_kpi_list.xlsx: 正常 [gunma_dx_kpi_list]"), "{out}");
    assert!(out.contains("使用中のマッピング: 組み込み\n"), "{out}");
    assert!(!out.contains("is not evaluable") && !out.contains("total:"), "{out}");
}

#[test]
fn a_japanese_locale_speaks_japanese_and_lang_en_overrides_it() {
    let out = check_kpi_list(&[], &[("LANG", "ja_JP.UTF-8")]);
    assert!(out.contains(JA_WARNING) && out.contains(JA_TOTAL), "{out}");
    let out = check_kpi_list(&[], &[("LC_ALL", "ja_JP.UTF-8"), ("LANG", "C")]);
    assert!(out.contains(JA_TOTAL), "{out}");
    let out = check_kpi_list(&["--lang", "en"], &[("LANG", "ja_JP.UTF-8")]);
    assert!(out.contains(EN_WARNING) && out.contains(EN_TOTAL), "{out}");
}

#[test]
fn the_c_locale_and_lang_en_speak_english() {
    for out in [check_kpi_list(&[], &[]), check_kpi_list(&["--lang", "en"], &[])] {
        assert!(out.contains(EN_WARNING), "{out}");
        assert!(out.contains(EN_TOTAL), "{out}");
        assert!(out.contains("mapping tests: all"), "{out}");
    }
}

#[test]
fn every_sample_renders_every_message_in_both_languages() {
    for lang in ["ja", "en"] {
        let o = torikumi(&["check", "--built-in-mappings", "-v", "--lang", lang, "samples"], &[]);
        let out = stdout_and_stderr(&o);
        assert!(
            !out.contains("{ $") && !out.contains("{$"),
            "--lang {lang}: an argument was not passed:\n{out}"
        );
    }
}

#[test]
fn an_unknown_language_is_refused() {
    let o = torikumi(&["check", "--lang", "fr", "samples/gunma_dx_kpi_list.xlsx"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown language 'fr'"));
}

/// A mappings folder with one catalogue replaced by `text`.
fn folder_with_catalogue(dir: &Path, lang: &str, text: &str) {
    std::fs::create_dir_all(dir.join("messages")).unwrap();
    std::fs::write(dir.join("messages").join(format!("{lang}.ftl")), text).unwrap();
}

#[test]
fn a_broken_catalogue_names_its_file_and_line_or_the_missing_id() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    let ja = catalogue_text(Lang::Ja).replace("decoration = ", "decoration_typo = ");
    folder_with_catalogue(&mine, "ja", &ja);
    let o = torikumi(
        &["check", "--mappings", mine.to_str().unwrap(), "samples/gunma_dx_kpi_list.xlsx"],
        &[],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("messages/ja.ftl: decoration: message missing from the ja catalogue"),
        "{err}"
    );
    assert!(err.contains("messages/ja.ftl: decoration_typo: unknown message id"), "{err}");

    let en = catalogue_text(Lang::En).replace("unmapped = no table", "unmapped = { no table");
    folder_with_catalogue(&mine, "ja", &catalogue_text(Lang::Ja));
    folder_with_catalogue(&mine, "en", &en);
    let line = catalogue_text(Lang::En).lines().position(|l| l.starts_with("unmapped = ")).unwrap() + 1;
    let o = torikumi(
        &["check", "--mappings", mine.to_str().unwrap(), "samples/gunma_dx_kpi_list.xlsx"],
        &[],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("messages/en.ftl: line {line}: ")), "{err}");
}

#[test]
fn an_edited_catalogue_changes_the_messages() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    let ja = catalogue_text(Lang::Ja).replace("目標値が数値ではなく文字です", "目標値が文字です（数値にしてください）");
    folder_with_catalogue(&mine, "ja", &ja);
    let o = torikumi(
        &[
            "check",
            "--lang",
            "ja",
            "--mappings",
            mine.to_str().unwrap(),
            "samples/gunma_dx_kpi_list.xlsx",
        ],
        &[],
    );
    let out = stdout_and_stderr(&o);
    assert!(out.contains("評価できません: 目標値が文字です（数値にしてください）"), "{out}");
    assert!(
        out.contains(&format!(
            "使用中のマッピング: 組み込み + {}（差し替え 1 件: messages/ja.ftl）",
            mine.display()
        )),
        "{out}"
    );
}

fn column(df: &DataFrame, name: &str) -> Vec<String> {
    df.column(name)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_japanese_run_writes_japanese_messages_whose_arguments_render_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = torikumi(
        &[
            "ingest",
            "--built-in-mappings",
            "--lang",
            "ja",
            "--formats",
            "parquet",
            "--out",
            out.to_str().unwrap(),
            "samples",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout_and_stderr(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("出力先: "));
    let df = common::read_parquet(&out.join("parquet/diagnostics.parquet"));
    let (codes, texts, args, cells) = (
        column(&df, "code"),
        column(&df, "message"),
        column(&df, "message_args"),
        column(&df, "cell"),
    );
    let m = Messages::built_in();
    for i in 0..df.height() {
        let code = DiagCode::parse(&codes[i]).unwrap();
        assert_eq!(m.diagnostic(Lang::Ja, code, &args[i]), texts[i], "row {i}");
        assert!(!texts[i].contains('{'), "row {i}: {}", texts[i]);
    }
    // The slid target of the DX sheet's FY2023 (P71): the message of the golden snapshot, in Japanese.
    let i = (0..df.height())
        .find(|&i| codes[i] == "slid_target_repaired" && cells[i] == "P71")
        .unwrap();
    assert_eq!(args[i], r#"{"fy":"2023"}"#);
    assert_eq!(
        texts[i],
        "令和5年度の目標値として読みました（第4四半期の実績値ではありません）: 目標値のセルが空で、この値が指標の最終目標値と同じです"
    );
    assert_eq!(
        m.diagnostic(Lang::En, DiagCode::SlidTargetRepaired, &args[i]),
        "read as the FY2023 target, not a Q4 actual: the target cell is empty and this value equals the indicator's final target"
    );
}

#[test]
fn the_report_shows_diagnostics_in_japanese_unless_lang_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // An English run (LANG=C): its table messages are English, its report Japanese.
    let o = torikumi(
        &[
            "ingest",
            "--built-in-mappings",
            "--formats",
            "parquet,html",
            "--out",
            out.to_str().unwrap(),
            "samples/gunma_dx_kpi_list.xlsx",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout_and_stderr(&o));
    let df = common::read_parquet(&out.join("parquet/diagnostics.parquet"));
    assert!(
        column(&df, "message")
            .iter()
            .any(|m| m.ends_with("the target is text, not a number"))
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("評価できません: 目標値が数値ではなく文字です"),
        "no Japanese message in the report"
    );
    assert!(!html.contains("is not evaluable"));
    let en = dir.path().join("en.html");
    let o = torikumi(
        &[
            "report",
            "--lang",
            "en",
            "--from",
            out.to_str().unwrap(),
            "--out",
            en.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout_and_stderr(&o));
    let html = std::fs::read_to_string(en).unwrap();
    assert!(html.contains("is not evaluable: the target is text, not a number"));
}

#[test]
fn the_cache_serves_every_language_and_an_edited_catalogue_re_reads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mine = dir.path().join("mine");
    let ja = catalogue_text(Lang::Ja).replace("目標値が数値ではなく文字です", "目標値が文字です");
    folder_with_catalogue(&mine, "ja", &ja);
    let ingest = |extra: &[&str]| {
        let mut args = vec!["ingest", "--formats", "parquet", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.push("samples/gunma_dx_kpi_list.xlsx");
        let o = torikumi(&args, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stdout_and_stderr(&o));
        let df = common::read_parquet(&out.join("parquet/diagnostics.parquet"));
        (String::from_utf8_lossy(&o.stderr).to_string(), column(&df, "message"))
    };
    let (_, en) = ingest(&["--built-in-mappings", "--lang", "en"]);
    assert!(en.iter().any(|m| m.ends_with("the target is text, not a number")), "{en:?}");
    let (err, ja) = ingest(&["--mappings", mine.to_str().unwrap(), "--lang", "ja"]);
    assert!(err.contains("変更がなく再利用したファイル 1 件"), "{err}");
    assert!(ja.iter().any(|m| m.ends_with("評価できません: 目標値が文字です")), "{ja:?}");
    assert!(ja.contains(&"この様式のどの表にも入らないセルです".to_string()), "{ja:?}");
}

/// The stderr of a `--lang ja` command, which must succeed (or fail) as `ok` says.
fn japanese(args: &[&str], ok: bool) -> String {
    let mut all = vec!["--lang", "ja"];
    all.extend_from_slice(args);
    let o = torikumi(&all, &[]);
    assert_eq!(o.status.success(), ok, "{}", stdout_and_stderr(&o));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// No line of `err` starts with a word the English catalogue puts first.
fn no_english_prefix(err: &str) {
    for line in err.lines() {
        let line = line.trim_start();
        for word in [
            "error:",
            "note:",
            "waiting:",
            "progress:",
            "merged ",
            "shard ",
            "warning:",
            "nothing to render",
        ] {
            assert!(!line.starts_with(word), "an English line in a Japanese run: {line}\n{err}");
        }
    }
}

#[test]
fn shard_merge_render_report_and_inspect_speak_japanese_in_a_japanese_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_s = out.to_str().unwrap();
    let kpi = "samples/gunma_dx_kpi_list.xlsx";
    let shard = japanese(&["ingest", "--built-in-mappings", "--out", out_s, "--shard", "1/1", kpi], true);
    assert!(
        shard.contains("シャード 1/1: ファイルごとの表を部分ファイルとして書きます"),
        "{shard}"
    );
    assert!(
        shard.contains(&format!("すべて終わったら `torikumi merge --out {out_s}` を実行してください")),
        "{shard}"
    );
    let merge = japanese(&["merge", "--built-in-mappings", "--out", out_s, "--formats", "parquet"], true);
    assert!(merge.contains(&format!("1 個のシャードを {out_s} にまとめました")), "{merge}");
    let single = japanese(
        &["ingest", "--built-in-mappings", "--formats", "parquet", "--out", out_s, kpi],
        true,
    );
    assert!(single.contains("注意: 以前のシャード実行の部分ファイル "), "{single}");
    assert!(single.contains(" 件を削除しました。この実行の表が置き換えます"), "{single}");

    let rendered = dir.path().join("rendered");
    let rendered_s = rendered.to_str().unwrap();
    let render = japanese(&["render", "--built-in-mappings", "--from", out_s, "--out", rendered_s], true);
    assert!(render.contains(": [gunma_dx_kobetsu] シート 8 枚"), "{render}");
    let none = japanese(
        &[
            "render",
            "--built-in-mappings",
            "--from",
            out_s,
            "--out",
            rendered_s,
            "--division",
            "無い課",
        ],
        false,
    );
    assert!(
        none.contains(&format!(
            "エラー: 出力するものがありません: {out_s} には所属 無い課 の項目がありません"
        )),
        "{none}"
    );
    let missing = japanese(&["report", "--built-in-mappings", "--from", "no/such/folder"], false);
    assert!(missing.starts_with("エラー: "), "{missing}");
    let report = japanese(&["report", "--built-in-mappings", "--from", out_s], true);
    assert!(report.contains("、警告とエラー 1 件、入力ファイル 1 件"), "{report}");

    let no_sheet = japanese(&["inspect", "--built-in-mappings", "--sheet", "無い", kpi], false);
    assert!(
        no_sheet.contains(&format!("エラー: {kpi} に \"無い\" という名前のシートはありません")),
        "{no_sheet}"
    );
    // `inspect F --suggest-mapping > mappings/new.toml` makes an empty layout file first.
    let mine = dir.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("new.toml"), "").unwrap();
    let draft = japanese(&["inspect", "--mappings", mine.to_str().unwrap(), "--suggest-mapping", kpi], true);
    assert!(draft.contains("注意: マッピングのフォルダを読み込めません"), "{draft}");
    for err in [shard, merge, single, render, none, missing, report, no_sheet] {
        no_english_prefix(&err);
    }
}
