//! Real readers over the output: DuckDB answers SQL over the Parquet files and
//! pyarrow reads every table with the documented types. CI installs both
//! (`pip install duckdb pyarrow`) and sets TORIKUMI_REQUIRE_READERS=1; elsewhere
//! the tests say so and pass when the modules are missing.

mod common;
use common::root;

use std::path::Path;
use std::process::Command;

fn python_has(module: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .is_ok_and(|s| s.success());
    if !ok && std::env::var("TORIKUMI_REQUIRE_READERS").is_ok_and(|v| v == "1") {
        panic!("python3 module {module} is required here (pip install duckdb pyarrow)");
    }
    if !ok {
        eprintln!("skipped: python3 module {module} is not installed");
    }
    ok
}

fn ingest_samples(out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_torikumi"))
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
    let o = Command::new("python3").arg("-c").arg(script).arg(arg).output().unwrap();
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
    assert!(lines.len() >= 10, "{out}");
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
