//! Real readers over the output: DuckDB answers SQL over the Parquet files and
//! pyarrow reads every table with the documented types, both today's pyarrow
//! and the oldest that installs on CI's Python (3.11: pyarrow 10.0.1, with
//! pandas 2.1.4). CI installs today's (`pip install duckdb pyarrow pandas`),
//! the oldest into a venv named by TORIKUMI_OLDEST_PYTHON, and sets
//! TORIKUMI_REQUIRE_READERS=1; elsewhere the tests say so and pass when the
//! readers are missing.

mod common;
use common::root;

use std::path::Path;
use std::process::Command;

fn required() -> bool {
    std::env::var("TORIKUMI_REQUIRE_READERS").is_ok_and(|v| v == "1")
}

fn python_has(module: &str) -> bool {
    python_at_has("python3", module)
}

fn python_at_has(python: &str, module: &str) -> bool {
    let ok = Command::new(python)
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if !ok && required() {
        panic!("{python}: module {module} is required here (pip install duckdb pyarrow pandas; .ci/run makes the oldest)");
    }
    if !ok {
        eprintln!("skipped: python3 module {module} is not installed");
    }
    ok
}

fn ingest_samples(out: &Path) {
    let o = common::torikumi_command()
        .args(["ingest", "-q", "--out"])
        .arg(out)
        .arg("--mappings")
        .arg(root().join("mappings"))
        .arg(root().join("samples"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

fn python(script: &str, arg: &Path) -> String {
    python_at("python3", script, arg)
}

fn python_at(python: &str, script: &str, arg: &Path) -> String {
    let o = Command::new(python).arg("-c").arg(script).arg(arg).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// FY2022 Q4 actual per indicator joined to its FY2022 target, in SQL.
#[test]
fn duckdb_joins_q4_actuals_to_their_targets() {
    if !python_has("duckdb") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    ingest_samples(dir.path());
    let script = r#"
import sys, duckdb
obs = sys.argv[1] + "/parquet/observations.parquet"
rows = duckdb.sql(f"""
    SELECT a.initiative_no, a.indicator, a.value AS q4_actual, t.value AS target, a.unit
    FROM '{obs}' a
    JOIN '{obs}' t ON t.source_file = a.source_file AND t.initiative_no = a.initiative_no
                   AND t.indicator = a.indicator AND t.fiscal_year = a.fiscal_year
    WHERE a.fiscal_year = 2022 AND a.period = 'Q4' AND a.kind = 'actual' AND a.status = 'ok'
      AND t.period = 'FY' AND t.kind = 'target'
      AND a.source_file LIKE '%gunma_dx_kobetsu.xlsx'
    ORDER BY a.initiative_no, a.indicator_no
""").fetchall()
for r in rows:
    print("|".join(str(x) for x in r))
"#;
    let out = python(script, dir.path());
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(&"1|電子手続及びイベント申込の電子化数|1266.0|750.0|件"), "{out}");
    assert!(
        lines.contains(&"2|キャッシュレス決済導入施設等におけるキャッシュレス決済比率(金額ベースの比率)|13.2|15.0|%"),
        "{out}"
    );
    assert!(lines.contains(&"7|tsulunos動画再生回数|13936377.0|15000000.0|回"), "{out}");
    assert_eq!(lines.len(), 15, "the 15 indicators with a FY2022 Q4 number and target: {out}");
}

/// pyarrow reads every table with the types schema.md documents.
#[test]
fn pyarrow_reads_every_table_with_the_documented_types() {
    if !python_has("pyarrow") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    ingest_samples(dir.path());
    let script = r#"
import sys, glob, os, pyarrow.parquet as pq
for path in sorted(glob.glob(sys.argv[1] + "/parquet/*.parquet")):
    t = pq.read_table(path)
    meta = pq.ParquetFile(path).metadata.metadata or {}
    for f in t.schema:
        print(os.path.basename(path)[:-8], f.name, str(f.type), meta.get(b"torikumi.column." + f.name.encode(), b"").decode() != "", sep="\t")
"#;
    let out = python(script, dir.path());
    let norm = |t: &str| match t {
        "string" | "large_string" | "string_view" => "string",
        "int32" => "int32",
        "int64" => "int64",
        "double" => "float64",
        "date32[day]" => "date",
        "bool" => "boolean",
        t if t.starts_with("list<") || t.starts_with("large_list<") => "list<string>",
        other => panic!("unexpected type {other}"),
    };
    let mut seen = 0;
    for line in out.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        let (table, column, dtype, described) = (parts[0], parts[1], parts[2], parts[3]);
        let def = torikumi::table::table_def(table).unwrap_or_else(|| panic!("undocumented table {table}"));
        let col = def
            .columns
            .iter()
            .find(|c| c.name == column)
            .unwrap_or_else(|| panic!("undocumented column {table}.{column}"));
        assert_eq!(norm(dtype), col.dtype, "{table}.{column}");
        assert_eq!(described, "True", "{table}.{column} has its description in the key-value metadata");
        seen += 1;
    }
    let documented: usize = torikumi::table::all_tables().map(|t| t.columns.len()).sum();
    assert_eq!(seen, documented);
}

/// Opens every table the way an analyst does (`pd.read_parquet`) and through
/// pyarrow, printing per table: rows read by each, the Arrow types the file
/// declares, and the run that wrote it; the first line is pyarrow's version.
const OPEN_EVERY_TABLE: &str = r#"
import sys, glob, os, pyarrow, pyarrow.parquet as pq, pandas as pd
print(pyarrow.__version__)
for path in sorted(glob.glob(sys.argv[1] + "/parquet/*.parquet")):
    declared = sorted({str(f.type) for f in pq.read_schema(path)})
    t = pq.read_table(path)
    df = pd.read_parquet(path)
    run = (pq.ParquetFile(path).metadata.metadata or {}).get(b"torikumi.run_id", b"").decode()
    print(os.path.basename(path)[:-8], t.num_rows, len(df), "|".join(declared), run, sep="\t")
# pyarrow 10 can abort at interpreter exit when a Parquet I/O thread is torn
# down ("terminate called without an active exception", apache/arrow#34314);
# everything is printed by now, so leave without the teardown.
sys.stdout.flush()
os._exit(0)
"#;

/// `python` opens every table of a fresh ingest of the samples: the rows it
/// reads are those polars reads, no column is declared `string_view` (which
/// pyarrow learned in 16), and every file names the run of `sources`.
/// Returns pyarrow's version.
fn every_table_opens_with(python: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    ingest_samples(dir.path());
    let out = python_at(python, OPEN_EVERY_TABLE, dir.path());
    let mut lines = out.lines();
    let version = lines.next().unwrap_or_default().to_string();
    let sources = common::read_parquet(&dir.path().join("parquet/sources.parquet"));
    let run = sources.column("run_id").unwrap().str().unwrap().get(0).unwrap().to_string();
    let mut tables = Vec::new();
    for line in lines {
        let parts: Vec<&str> = line.split('\t').collect();
        let (table, arrow_rows, pandas_rows, declared, file_run) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
        let want = common::read_parquet(&dir.path().join("parquet").join(format!("{table}.parquet"))).height();
        assert_eq!(
            (arrow_rows, pandas_rows),
            (want.to_string().as_str(), want.to_string().as_str()),
            "{table}"
        );
        assert!(!declared.contains("view"), "{table} declares {declared}");
        assert_eq!(file_run, run, "{table} was written by the run in sources");
        tables.push(table.to_string());
    }
    let mut all: Vec<String> = torikumi::table::all_tables().map(|t| t.name.to_string()).collect();
    all.sort();
    assert_eq!(tables, all, "pyarrow {version}");
    version
}

/// The issue's reader: pandas over pyarrow before 16 (CI: the oldest that
/// installs on Python 3.11) opens every table.
#[test]
fn the_oldest_pyarrow_and_pandas_open_every_table() {
    let Some(python) = std::env::var("TORIKUMI_OLDEST_PYTHON").ok().filter(|p| !p.is_empty()) else {
        assert!(
            !required(),
            "TORIKUMI_OLDEST_PYTHON must name a python with the oldest pyarrow (see .ci/run)"
        );
        eprintln!("skipped: TORIKUMI_OLDEST_PYTHON is not set (.ci/run makes a venv with pyarrow 10.0.1)");
        return;
    };
    if !python_at_has(&python, "pyarrow") || !python_at_has(&python, "pandas") {
        return;
    }
    let version = every_table_opens_with(&python);
    let major: u32 = version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    assert!(
        major < 16,
        "TORIKUMI_OLDEST_PYTHON has pyarrow {version}, which reads string_view anyway"
    );
}

/// Today's pyarrow and pandas open every table the same way.
#[test]
fn todays_pyarrow_and_pandas_open_every_table() {
    if !python_has("pyarrow") || !python_has("pandas") {
        return;
    }
    every_table_opens_with("python3");
}

/// A fixture of `tests/fixtures/variants` read with the repository's mappings.
fn ingest_variant(file: &str) -> torikumi::model::Extract {
    let mappings = torikumi::mapping::Mappings::load(&root().join("mappings")).expect("mappings load");
    let path = root().join("tests/fixtures/variants").join(file);
    torikumi::pipeline::ingest(&[path], &mappings, &torikumi::source::Limits::default())
}

/// The `ambiguous_column` warnings (`hidden`): (cell, cells read, first, last).
fn hidden_column_warnings(x: &torikumi::model::Extract) -> Vec<(String, String, String, String)> {
    let arg = |d: &torikumi::model::Diagnostic, k: &str| d.arg(k).unwrap_or_default().to_string();
    x.diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "ambiguous_column" && d.arg("case") == Some("hidden"))
        .map(|d| (d.at.cell.clone(), arg(d, "cells"), arg(d, "first"), arg(d, "last")))
        .collect()
}

/// The KPI list with a `令和2年度 / 実績値` column inserted before 令和3年度
/// and hidden (`<col hidden="1" min="4" max="4">`, `hidden` its first
/// attribute). Its values are read as a visible column's are, 22施設 as the
/// Wi-Fi KPI's FY2020 actual, and the column is one `ambiguous_column`
/// warning at its header naming the three cells read. Before, it was read
/// without a word.
#[test]
fn a_hidden_old_year_column_is_read_and_said() {
    let x = ingest_variant("kl_hidden_old_year_column.xlsx");
    let wifi = x
        .observations
        .iter()
        .find(|o| o.at.cell == "D11")
        .expect("the hidden column's D11 is read");
    assert!(wifi.indicator.contains("Wi-Fi"), "{}", wifi.indicator);
    assert_eq!((wifi.fiscal_year, wifi.kind.to_string().as_str()), (Some(2020), "actual"));
    assert_eq!((wifi.value, wifi.unit.as_deref()), (Some(22.0), Some("施設")));
    let read: Vec<&str> = x
        .observations
        .iter()
        .filter(|o| o.at.cell.starts_with('D'))
        .map(|o| o.at.cell.as_str())
        .collect();
    assert_eq!(read, ["D5", "D6", "D11"]);
    let want = [("D3", "3", "D5", "D11")].map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()));
    assert_eq!(hidden_column_warnings(&x), want);
}

/// Sheet (1) of the DX 個別取組票 with its 令和3年度 4四半期 column (F)
/// hidden, every value kept: the same observations as the visible column
/// gave (0.283, 809件, 0.367 as the FY2021 Q4 actuals), and one
/// `ambiguous_column` warning at the column's top cell naming F40 to F42,
/// the cells read (its two `4四半期` headers are not counted). Before, no
/// word; the sample itself hides no column and has no such warning.
#[test]
fn a_hidden_quarter_column_keeps_its_values_and_is_said() {
    let x = ingest_variant("dx_hidden_quarter_column.xlsx");
    let mut q4: Vec<(String, Option<f64>)> = x
        .observations
        .iter()
        .filter(|o| o.at.sheet == "(1)" && o.at.cell.starts_with('F') && o.fiscal_year == Some(2021))
        .map(|o| (o.at.cell.clone(), o.value))
        .collect();
    q4.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        q4,
        [("F40".into(), Some(28.3)), ("F41".into(), Some(809.0)), ("F42".into(), Some(36.7))]
    );
    let want = [("F16", "3", "F40", "F42")].map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into()));
    assert_eq!(hidden_column_warnings(&x), want);
    let mappings = torikumi::mapping::Mappings::load(&root().join("mappings")).expect("mappings load");
    let sample = torikumi::pipeline::ingest(
        &[root().join("samples/gunma_dx_kobetsu.xlsx")],
        &mappings,
        &torikumi::source::Limits::default(),
    );
    assert!(hidden_column_warnings(&sample).is_empty());
}
