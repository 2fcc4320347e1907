//! `torikumi report` and `ingest --formats html`: the page from the samples'
//! tables, checked in a real browser (headless Chromium's DOM after it parsed
//! the page) against the Parquet tables it was made from.
//!
//! Chromium is Debian's `chromium` package (`.ci/run` installs it). Without
//! it the browser tests print `SKIPPED: …` and pass, unless
//! `TORIKUMI_REQUIRE_CHROMIUM=1` (CI) makes a missing browser a failure;
//! `tests/report_browser.sh` installs it and runs them.

mod common;
use common::{read_parquet, root};

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use polars::prelude::*;
use torikumi::model::{
    DiagCode, Diagnostic, Direction, EvalStatus, EvaluationRow, Kind, Observation, Period, Provenance, SourceRecord, Status, SummaryRow,
};
use torikumi::report::{self, Tables};

fn torikumi(args: &[&str], cwd: &Path) -> Output {
    common::torikumi_command().args(args).current_dir(cwd).output().unwrap()
}

/// Ingests samples/ into `dir/out` with the page in the same run; returns `out`.
fn ingest_samples(dir: &Path, formats: &str) -> PathBuf {
    let out = dir.join("out");
    let o = torikumi(
        &["ingest", "samples", "--out", out.to_str().unwrap(), "--formats", formats, "--quiet"],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn labels() -> torikumi::mapping::display::DisplayLabels {
    torikumi::mapping::Mappings::load(&root().join("mappings")).unwrap().display
}

fn phrases() -> report::Phrases {
    report::Phrases::load(&root().join("mappings")).unwrap()
}

// ---------------------------------------------------------------- browser

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TORIKUMI_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// The browser, or `None` after saying loudly why the test is skipped.
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    match chromium() {
        Some(p) => Some(p),
        None if std::env::var("TORIKUMI_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") => {
            panic!("TORIKUMI_REQUIRE_CHROMIUM=1 but no chromium on PATH (apt-get install chromium)")
        }
        None => {
            // Straight to the stream, not through eprintln!, which the test
            // harness captures and hides for a passing test.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {test}: chromium not installed (apt-get install chromium, or run tests/report_browser.sh; TORIKUMI_CHROMIUM=PATH names another)"
            );
            None
        }
    }
}

/// Runs headless Chromium on `page` with `extra` flags, killed after a minute.
fn run_chromium(browser: &Path, page: &Path, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// The DOM Chromium built from `page`, serialised after parsing.
fn dump_dom(browser: &Path, page: &Path) -> String {
    let dom = run_chromium(browser, page, &["--dump-dom"]);
    assert!(dom.contains("</html>"), "chromium gave no DOM: {dom:.200}");
    dom
}

// ------------------------------------------------- reading the serialised DOM

/// An element of the serialised DOM: its attributes and inner HTML.
#[derive(Debug)]
struct El {
    attrs: HashMap<String, String>,
    inner: String,
}

impl El {
    fn attr(&self, name: &str) -> &str {
        self.attrs
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no attribute {name} in {:?}", self.attrs))
    }
    fn text(&self) -> String {
        unescape(&strip_tags(&self.inner))
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Elements `<tag …>` whose class attribute starts with `class` (every one
/// when empty), in document order, nested ones included. Chromium serialises
/// attribute values double-quoted with `"` and `&` escaped, so a start tag
/// ends at the first `>` outside quotes.
fn elements(html: &str, tag: &str, class: &str) -> Vec<El> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let is_open_at = |i: usize| html[i..].starts_with(&open) && matches!(html.as_bytes().get(i + open.len()), Some(b' ' | b'>' | b'/'));
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = html[from..].find(&open) {
        let start = from + k;
        from = start + open.len();
        if !is_open_at(start) {
            continue;
        }
        // The start tag.
        let bytes = html.as_bytes();
        let mut j = start + open.len();
        let mut quote = false;
        while j < bytes.len() && (quote || bytes[j] != b'>') {
            if bytes[j] == b'"' {
                quote = !quote;
            }
            j += 1;
        }
        let head = &html[start + open.len()..j];
        let attrs = parse_attrs(head);
        if !class.is_empty() && !attrs.get("class").is_some_and(|c| c.starts_with(class)) {
            continue;
        }
        // Its end: same-tag opens and closes balanced.
        let body = j + 1;
        let mut depth = 1;
        let mut p = body;
        let end = loop {
            let next_open = html[p..].find(&open).map(|x| p + x);
            let next_close = html[p..].find(&close).map(|x| p + x);
            match (next_open, next_close) {
                (Some(o), Some(c)) if o < c => {
                    if is_open_at(o) {
                        depth += 1;
                    }
                    p = o + open.len();
                }
                (_, Some(c)) => {
                    depth -= 1;
                    if depth == 0 {
                        break c;
                    }
                    p = c + close.len();
                }
                _ => break html.len(),
            }
        };
        out.push(El {
            attrs,
            inner: html[body..end].to_string(),
        });
    }
    out
}

fn parse_attrs(head: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = head.trim_start();
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace() || c == '/').unwrap_or(rest.len());
        let name = rest[..name_end].to_string();
        rest = &rest[name_end..];
        if let Some(r) = rest.strip_prefix("=\"") {
            let end = r.find('"').unwrap_or(r.len());
            out.insert(name, unescape(&r[..end]));
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            if !name.is_empty() {
                out.insert(name, String::new());
            }
            rest = rest.get(1..).unwrap_or("");
        }
        rest = rest.trim_start();
    }
    out
}

// --------------------------------------------------------- tables to compare

fn strs(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    let c = df.column(name).unwrap().cast(&DataType::String).unwrap();
    let ca = c.str().unwrap();
    (0..ca.len()).map(|i| ca.get(i).map(str::to_string)).collect()
}

fn ints(df: &DataFrame, name: &str) -> Vec<Option<i64>> {
    let c = df.column(name).unwrap().cast(&DataType::Int64).unwrap();
    let ca = c.i64().unwrap();
    (0..ca.len()).map(|i| ca.get(i)).collect()
}

fn floats(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
    let c = df.column(name).unwrap().cast(&DataType::Float64).unwrap();
    let ca = c.f64().unwrap();
    (0..ca.len()).map(|i| ca.get(i)).collect()
}

/// evaluation_summary as (plan, goal, fiscal year) → [achieved, not_achieved, pending, not_evaluable].
fn summary_counts(out: &Path) -> BTreeMap<(String, String, i64), [i64; 4]> {
    let df = read_parquet(&out.join("parquet/evaluation_summary.parquet"));
    let (plan, goal, fy) = (strs(&df, "plan"), strs(&df, "goal"), ints(&df, "fiscal_year"));
    let counts: Vec<Vec<Option<i64>>> = report::STATUSES.iter().map(|s| ints(&df, s)).collect();
    (0..df.height())
        .map(|i| {
            let key = (plan[i].clone().unwrap(), goal[i].clone().unwrap_or_default(), fy[i].unwrap());
            (key, [0, 1, 2, 3].map(|k| counts[k][i].unwrap()))
        })
        .collect()
}

/// Numeric observations per indicator, from the first file that has it.
fn charted_observations(out: &Path) -> BTreeMap<(String, String, String), (String, usize)> {
    let df = read_parquet(&out.join("parquet/observations.parquet"));
    let (file, plan, no, ind) = (
        strs(&df, "source_file"),
        strs(&df, "plan"),
        strs(&df, "initiative_no"),
        strs(&df, "indicator"),
    );
    let (fy, value) = (ints(&df, "fiscal_year"), floats(&df, "value"));
    let mut out: BTreeMap<(String, String, String), (String, usize)> = BTreeMap::new();
    for i in 0..df.height() {
        let key = (plan[i].clone().unwrap(), no[i].clone().unwrap(), ind[i].clone().unwrap());
        let src = file[i].clone().unwrap();
        let e = out.entry(key).or_insert((src.clone(), 0));
        if e.0 == src && value[i].is_some() && fy[i].is_some() {
            e.1 += 1;
        }
    }
    out
}

/// Warnings and errors as sorted "file|sheet|cell|code|raw" lines.
fn problem_lines(out: &Path) -> Vec<String> {
    let df = read_parquet(&out.join("parquet/diagnostics.parquet"));
    let cols: Vec<Vec<Option<String>>> = ["severity", "source_file", "sheet", "cell", "code", "raw"]
        .iter()
        .map(|c| strs(&df, c))
        .collect();
    let mut v: Vec<String> = (0..df.height())
        .filter(|&i| matches!(cols[0][i].as_deref(), Some("warning" | "error")))
        .map(|i| (1..6).map(|k| cols[k][i].clone().unwrap_or_default()).collect::<Vec<_>>().join("|"))
        .collect();
    v.sort();
    v
}

// ------------------------------------------------------------------- tests

#[test]
fn ingest_html_and_report_write_the_same_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = ingest_samples(dir.path(), "parquet,html");
    let from_ingest = std::fs::read_to_string(out.join("report.html")).unwrap();
    let page = dir.path().join("again.html");
    let o = torikumi(
        &["report", "--from", out.to_str().unwrap(), "--out", page.to_str().unwrap()],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("68 goal-years, 134 indicator-years, 25 warnings and errors, 8 files"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&page).unwrap(), from_ingest);
    // Self-contained: nothing to fetch, nothing to run.
    for banned in ["<script", "<link", "src=\"http", "href=\"http", "@import", "url("] {
        assert!(!from_ingest.contains(banned), "{banned}");
    }
    assert!(from_ingest.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    // Japanese labels from mappings/display.toml.
    for label in [
        "評価集計",
        "KPI達成率(%)",
        "未達成",
        "評価不能",
        "入力ファイル",
        "読込セル数",
        "原文",
    ] {
        assert!(from_ingest.contains(label), "{label}");
    }
}

#[test]
fn html_without_parquet_reads_the_staged_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = ingest_samples(dir.path(), "html");
    assert!(!out.join("parquet").exists());
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(page.matches(r#"<tr class="diag-row"#).count(), 25);
}

#[test]
fn report_without_an_ingest_names_the_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = torikumi(&["report", "--from", dir.path().to_str().unwrap()], &root());
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("evaluation.parquet") && stderr.contains("torikumi ingest"),
        "{stderr}"
    );
    assert!(!dir.path().join("report.html").exists());
}

#[test]
fn the_browser_shows_the_summary_the_charts_and_the_problems_of_the_run() {
    let Some(browser) = browser_or_skip("the_browser_shows_the_summary_the_charts_and_the_problems_of_the_run") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = ingest_samples(dir.path(), "parquet,html");
    let dom = dump_dom(&browser, &out.join("report.html"));
    assert!(!dom.contains("<script"));

    // Goals: every year's counts, in the table and in the chart, equal evaluation_summary's.
    let expected = summary_counts(&out);
    let mut seen = BTreeMap::new();
    let goals = elements(&dom, "article", "card goal");
    for g in &goals {
        let (plan, goal) = (g.attr("data-plan").to_string(), g.attr("data-goal").to_string());
        let rows = elements(&g.inner, "tr", "");
        let bars = elements(&g.inner, "g", "bar");
        let body_rows: Vec<&El> = rows.iter().filter(|r| r.attrs.contains_key("data-fy")).collect();
        assert_eq!(body_rows.len(), bars.len(), "{goal}: one bar per year");
        for (row, bar) in body_rows.iter().zip(&bars) {
            let fy: i64 = row.attr("data-fy").parse().unwrap();
            let cells = elements(&row.inner, "td", "num");
            let table: Vec<i64> = report::STATUSES
                .iter()
                .map(|st| {
                    cells
                        .iter()
                        .find(|c| c.attrs.get("data-status").map(String::as_str) == Some(*st))
                        .unwrap()
                        .text()
                        .parse()
                        .unwrap()
                })
                .collect();
            let segs: Vec<i64> = elements(&bar.inner, "rect", "seg ")
                .iter()
                .map(|s| s.attr("data-n").parse().unwrap())
                .collect();
            assert_eq!(table, segs, "{goal} {fy}: chart and table");
            seen.insert((plan.clone(), goal.clone(), fy), [table[0], table[1], table[2], table[3]]);
        }
    }
    assert_eq!(seen.len(), 68);
    assert_eq!(seen, expected);
    // One value read off the page as a person would: DX goal 1, FY2022: 10 achieved, 5 not, 1 pending,
    // 66.7 % (the KPI list adds its FY2022 result 0件 for 規制緩和実施数 and an undeleted ② of item 3).
    let dx = goals.iter().find(|g| g.attr("data-goal").starts_with("目標1 ")).unwrap();
    let fy2022 = elements(&dx.inner, "tr", "")
        .into_iter()
        .find(|r| r.attrs.get("data-fy").map(String::as_str) == Some("2022"))
        .unwrap();
    let cells: Vec<String> = elements(&fy2022.inner, "td", "").iter().map(El::text).collect();
    assert_eq!(cells, ["10", "5", "1", "0", "66.7%"]);

    // Indicators: each chart has a mark per numeric observation of the file it is drawn from.
    let expected = charted_observations(&out);
    let cards = elements(&dom, "article", "card indicator");
    assert_eq!(cards.len(), expected.len(), "one card per indicator");
    let mut charted = 0;
    for c in &cards {
        let key = (
            c.attr("data-plan").to_string(),
            c.attr("data-initiative-no").to_string(),
            c.attr("data-indicator").to_string(),
        );
        let (source, n) = expected.get(&key).unwrap_or_else(|| panic!("{key:?} not in observations"));
        assert_eq!(c.attr("data-source"), source, "{key:?}");
        let svgs = elements(&c.inner, "svg", "chart line");
        let marks = elements(&c.inner, "circle", "pt ").len() + elements(&c.inner, "rect", "pt ").len();
        assert_eq!(marks, *n, "{key:?}: marks against numeric observations");
        if *n > 0 {
            charted += 1;
            assert_eq!(svgs.len(), 1);
            assert_eq!(svgs[0].attr("data-points"), n.to_string());
            assert_eq!(svgs[0].attr("role"), "img");
            // Alt text: the chart's title names the indicator.
            let title = elements(&svgs[0].inner, "title", "").into_iter().next().unwrap().text();
            assert!(title.contains(&key.2), "{title}");
        }
    }
    assert!(charted > 40, "{charted} charts");
    let e_rate = cards
        .iter()
        .find(|c| c.attr("data-indicator") == "優先度の高い行政手続電子化率" && c.attr("data-plan") == "群馬県庁DXアクションプラン")
        .unwrap();
    let ours = elements(&e_rate.inner, "circle", "pt ");
    assert!(
        ours.iter().any(|m| m.text().contains("2021年度 Q4") && m.text().contains("28.3%")),
        "FY2021 Q4 = 28.3 %"
    );

    // What could not be read: every warning of the run, with its file, sheet, cell and raw text.
    let mut listed: Vec<String> = elements(&dom, "tr", "diag-row")
        .iter()
        .map(|r| {
            let raw = elements(&r.inner, "td", "raw").into_iter().next().unwrap().text();
            format!(
                "{}|{}|{}|{}|{}",
                r.attr("data-file"),
                r.attr("data-sheet"),
                r.attr("data-cell"),
                r.attr("data-code"),
                raw
            )
        })
        .collect();
    listed.sort();
    let expected = problem_lines(&out);
    assert_eq!(expected.len(), 25);
    assert_eq!(listed, expected);
    assert!(
        listed
            .iter()
            .any(|l| l == "samples/gunma_dx_kobetsu.xlsx|(4)|O21|unplaced_cell|各課の確認")
    );

    // Sources: cells read = mapped + in diagnostics, per file.
    let sources = elements(&dom, "tr", "source");
    assert_eq!(sources.len(), 8);
    for s in &sources {
        let n = |k: &str| -> i64 {
            let c = elements(&s.inner, "td", "num")
                .into_iter()
                .find(|c| c.attrs.get("data-k").map(String::as_str) == Some(k))
                .unwrap();
            c.text().replace(',', "").parse().unwrap()
        };
        assert_eq!(n("read"), n("mapped") + n("unmapped"), "{}", s.attr("data-file"));
    }
}

/// Tables with markup in every text an input can carry, and a printed
/// achievement that disagrees with the computed one.
fn hostile_tables() -> Tables {
    let evil = r#"<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;"#;
    let at = || Provenance {
        source_file: evil.into(),
        sheet: evil.into(),
        cell: "B2".into(),
    };
    let eval = |fy: i32, printed: Option<f64>| EvaluationRow {
        plan: evil.into(),
        goal: Some(evil.into()),
        initiative_no: "1".into(),
        initiative: evil.into(),
        indicator_no: Some(1),
        indicator: evil.into(),
        fiscal_year: fy,
        target: Some(100.0),
        actual: Some(80.0),
        actual_period: Some("FY".into()),
        unit: Some(evil.into()),
        direction: Direction::Higher,
        direction_inferred: true,
        achievement_rate: Some(80.0),
        progress_rate: None,
        status: EvalStatus::NotAchieved,
        printed_achievement_rate: printed,
        printed_status: None,
        printed_cell: None,
        target_at: at(),
        actual_at: None,
    };
    Tables {
        summary: vec![SummaryRow {
            plan: evil.into(),
            goal: Some(evil.into()),
            fiscal_year: 2023,
            achieved: 1,
            not_achieved: 2,
            pending: 3,
            not_evaluable: 4,
            kpi_achievement_rate: Some(33.3),
        }],
        evaluation: vec![eval(2022, Some(80.4)), eval(2023, Some(95.0))],
        has_printed: true,
        observations: vec![Observation {
            plan: evil.into(),
            initiative_no: "1".into(),
            initiative: evil.into(),
            indicator_no: Some(1),
            indicator: evil.into(),
            fiscal_year: Some(2023),
            period: Period::Q(1),
            as_of: None,
            kind: Kind::Actual,
            value: Some(80.0),
            unit: None,
            status: Status::Ok,
            raw: evil.into(),
            at: at(),
        }],
        indicators: Vec::new(),
        // The message is rendered from its arguments: markup there is escaped too.
        diagnostics: vec![Diagnostic::new(
            DiagCode::UnreadableFile,
            vec![("case".into(), "io".into()), ("detail".into(), evil.into())],
            at(),
            Some(format!("{evil}\u{0}")),
        )],
        sources: vec![SourceRecord {
            source_file: evil.into(),
            format: "xlsx".into(),
            sheets: vec![evil.into()],
            layout: Some(evil.into()),
            cells_read: 3,
            cells_mapped: 2,
            cells_unmapped: 1,
            status: "warnings".into(),
            run_id: evil.into(),
            run_started: evil.into(),
            ..SourceRecord::default()
        }],
    }
}

#[test]
fn text_from_cells_stays_text_and_a_disagreeing_printed_rate_is_marked() {
    let page = report::render(&hostile_tables(), &labels(), &phrases());
    assert!(!page.contains("<img") && !page.contains("<script"));
    assert!(page.contains("&lt;script&gt;alert(2)&lt;/script&gt;&amp;amp;"));
    // 80.4 printed against 80.0 computed agrees (rounding); 95.0 does not.
    let rows = elements(&page, "tr", "");
    let marked: Vec<&str> = rows
        .iter()
        .filter(|r| r.inner.contains(r#"class="mismatch""#))
        .map(|r| r.attr("data-fy"))
        .collect();
    assert_eq!(marked, ["2023"]);
    assert!(page.contains("達成率(%)（シート記載）"));

    let Some(browser) = browser_or_skip("text_from_cells_stays_text_and_a_disagreeing_printed_rate_is_marked") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.html");
    std::fs::write(&path, &page).unwrap();
    let dom = dump_dom(&browser, &path);
    assert!(elements(&dom, "img", "").is_empty() && elements(&dom, "script", "").is_empty());
    let diag = elements(&dom, "tr", "diag-row");
    assert_eq!(diag.len(), 1);
    let raw = elements(&diag[0].inner, "td", "raw").into_iter().next().unwrap().text();
    assert_eq!(raw, r#"<img src=x onerror="alert(1)"><script>alert(2)</script>&amp;�"#);
}

#[test]
fn no_printed_columns_means_no_printed_cells() {
    let mut t = hostile_tables();
    t.has_printed = false;
    let page = report::render(&t, &labels(), &phrases());
    assert!(!page.contains("mismatch\"") && !page.contains("（シート記載）"));
}

#[test]
fn a_broken_phrases_file_stops_report_and_ingest_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = ingest_samples(dir.path(), "parquet");
    // A copy of the mappings whose phrases file misspells a key.
    let mappings = dir.path().join("mappings");
    std::fs::create_dir_all(mappings.join("report")).unwrap();
    for e in std::fs::read_dir(root().join("mappings")).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, mappings.join(p.file_name().unwrap())).unwrap();
        }
    }
    let good = std::fs::read_to_string(root().join("mappings/report/phrases.toml")).unwrap();
    std::fs::write(mappings.join("report/phrases.toml"), good.replace("\ntotal =", "\ntotl =")).unwrap();
    let m = mappings.to_str().unwrap();
    let o = torikumi(&["report", "--from", out.to_str().unwrap(), "--mappings", m], &root());
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("phrases.toml") && stderr.contains("totl"), "{stderr}");
    assert!(!out.join("report.html").exists());
    let again = dir.path().join("again");
    let o = torikumi(
        &[
            "ingest",
            "samples",
            "--out",
            again.to_str().unwrap(),
            "--formats",
            "html",
            "--mappings",
            m,
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!again.join("report.html").exists());
}

#[test]
fn printed_achievement_columns_are_shown_when_evaluation_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = ingest_samples(dir.path(), "parquet");
    // evaluation as it will be once the printed columns land: the printed rate
    // equals the computed one except on one row, 10 points off.
    let path = out.join("parquet/evaluation.parquet");
    let mut df = read_parquet(&path);
    let computed = floats(&df, "achievement_rate");
    let first = computed.iter().position(Option::is_some).unwrap();
    let printed: Vec<Option<f64>> = computed
        .iter()
        .enumerate()
        .map(|(i, r)| r.map(|r| if i == first { r + 10.0 } else { r }))
        .collect();
    df.with_column(Column::new("printed_achievement_rate".into(), printed)).unwrap();
    df.with_column(Column::new("printed_status".into(), vec![None::<String>; df.height()]))
        .unwrap();
    ParquetWriter::new(std::fs::File::create(&path).unwrap()).finish(&mut df).unwrap();

    let page = dir.path().join("printed.html");
    let o = torikumi(
        &["report", "--from", out.to_str().unwrap(), "--out", page.to_str().unwrap()],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("達成率(%)（シート記載）"));
    let rows: Vec<El> = elements(&html, "table", "evaluation")
        .iter()
        .flat_map(|t| elements(&t.inner, "tr", ""))
        .collect();
    let marked: Vec<&El> = rows.iter().filter(|r| r.inner.contains(r#"class="mismatch""#)).collect();
    assert_eq!(marked.len(), 1, "one row disagrees");
    let expected = format!("{:.1}%", computed[first].unwrap() + 10.0);
    assert!(marked[0].text().contains(&expected), "{}", marked[0].text());
}
