//! Outputs as before on `samples/`: the real CLI ingests `samples/` and every
//! output table, read back from Parquet, is compared with its committed
//! snapshot `tests/golden/<table>.csv`. Refactors rely on this test to show
//! that they changed no output.
//!
//! `TORIKUMI_BLESS=1 cargo test --test golden` rewrites the snapshots (review
//! the `git diff` before committing them).
//!
//! Snapshot format, chosen so that any change in content, type or row order
//! shows as a changed line:
//! - first line: `column:dtype` for each column (`fiscal_year:i32`), so a type
//!   change is caught as well as a value change;
//! - then one line per row in the table's own order; fields are quoted as in
//!   RFC 4180 when they hold `,` `"` or spaces at either end, or are the empty
//!   string (so `""` is an empty string and an unquoted empty field is null);
//!   a backslash, newline, carriage return or tab inside a value is written as
//!   `\\` `\n` `\r` `\t` so that every row stays on one line;
//! - floats in Rust's shortest round-trip form (`88.7`, `15000000`), dates as
//!   `YYYY-MM-DD`, lists as `[a; b]`.
//!
//! Only the run's own stamp (`run_id`, `run_started` of `sources`) is left
//! out: every other column is the same on every run (sha256 is the content's
//! hash; `source_file` is relative because the CLI runs in the project folder
//! with `samples` as its argument).

mod common;
use common::{read_parquet, root};

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;

/// How many differing rows a mismatch prints per table.
const SHOWN_DIFFS: usize = 8;

fn golden_dir() -> PathBuf {
    root().join("tests/golden")
}

/// Runs `torikumi ingest samples` in the project folder (so `source_file` is
/// `samples/…` on every machine) into `out`, Parquet only, ignoring any cache.
fn ingest_samples(out: &Path) {
    let o = common::torikumi_command()
        .args([
            "ingest",
            "samples",
            "--formats",
            "parquet",
            "--full",
            "-q",
            "--mappings",
            "mappings",
            "--out",
        ])
        .arg(out)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

/// One value as snapshot text (see the module comment for the format).
fn value_text(v: &AnyValue) -> Option<String> {
    Some(match v {
        AnyValue::Null => return None,
        AnyValue::Boolean(b) => b.to_string(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Int8(x) => x.to_string(),
        AnyValue::Int16(x) => x.to_string(),
        AnyValue::Int32(x) => x.to_string(),
        AnyValue::Int64(x) => x.to_string(),
        AnyValue::UInt8(x) => x.to_string(),
        AnyValue::UInt16(x) => x.to_string(),
        AnyValue::UInt32(x) => x.to_string(),
        AnyValue::UInt64(x) => x.to_string(),
        AnyValue::Float32(x) => x.to_string(),
        AnyValue::Float64(x) => x.to_string(),
        AnyValue::Date(days) => {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            (epoch + chrono::Duration::days(i64::from(*days))).to_string()
        }
        AnyValue::List(s) => {
            let items: Vec<String> = s.iter().map(|x| value_text(&x).unwrap_or_else(|| "null".to_string())).collect();
            format!("[{}]", items.join("; "))
        }
        // Types the tables do not use today: polars' own rendering is
        // deterministic, and a new type shows in the header line anyway.
        other => format!("{other}"),
    })
}

/// Backslash escapes that keep a value on one line.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// A CSV field: null is empty, an empty string is `""`.
fn field(v: Option<String>) -> String {
    let Some(v) = v else { return String::new() };
    let v = escape(&v);
    if v.is_empty() || v.contains([',', '"']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// Columns that differ from run to run by design.
const RUN_STAMP: &[&str] = &["run_id", "run_started"];

/// The table as snapshot lines: the typed header, then one line per row.
fn snapshot_lines(df: &DataFrame) -> Vec<String> {
    let cols: Vec<&Column> = df.columns().iter().filter(|c| !RUN_STAMP.contains(&c.name().as_str())).collect();
    let mut lines = Vec::with_capacity(df.height() + 1);
    lines.push(
        cols.iter()
            .map(|c| format!("{}:{}", c.name(), c.dtype()))
            .collect::<Vec<_>>()
            .join(","),
    );
    for i in 0..df.height() {
        let row: Vec<String> = cols.iter().map(|c| field(value_text(&c.get(i).unwrap()))).collect();
        lines.push(row.join(","));
    }
    lines
}

/// A readable account of how `actual` differs from `expected`, or None.
fn diff(table: &str, expected: &[String], actual: &[String]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let mut msg = format!(
        "{table}: {} rows expected, {} rows now\n",
        expected.len().saturating_sub(1),
        actual.len().saturating_sub(1)
    );
    if expected.first() != actual.first() {
        let _ = writeln!(
            msg,
            "  columns differ\n  - {}\n  + {}",
            expected.first().map_or("", String::as_str),
            actual.first().map_or("", String::as_str)
        );
    }
    // Rows the two share at the start and at the end are skipped, so an
    // inserted or dropped row shows as itself rather than as every row after it.
    let prefix = expected.iter().zip(actual).take_while(|(e, a)| e == a).count();
    let rest = expected.len().min(actual.len()) - prefix;
    let suffix = expected
        .iter()
        .rev()
        .zip(actual.iter().rev())
        .take(rest)
        .take_while(|(e, a)| e == a)
        .count();
    let (gone, new) = (&expected[prefix..expected.len() - suffix], &actual[prefix..actual.len() - suffix]);
    // Line numbers as in the snapshot file (the header is line 1).
    let _ = writeln!(
        msg,
        "  from line {}: {} snapshot line(s) → {} line(s) now",
        prefix + 1,
        gone.len(),
        new.len()
    );
    if gone.len() == new.len() {
        // Row for row: name the columns that changed, as the lines are long.
        let names: Vec<String> = split_fields(&actual[0])
            .into_iter()
            .map(|h| h.split(':').next().unwrap_or("").to_string())
            .collect();
        for (k, (e, a)) in gone.iter().zip(new).enumerate().take(SHOWN_DIFFS) {
            let (e, a) = (split_fields(e), split_fields(a));
            let changed: Vec<String> = (0..e.len().max(a.len()))
                .filter(|&c| e.get(c) != a.get(c))
                .map(|c| {
                    format!(
                        "{}: {} → {}",
                        names.get(c).map_or("?", String::as_str),
                        e.get(c).map_or("", String::as_str),
                        a.get(c).map_or("", String::as_str)
                    )
                })
                .collect();
            let _ = writeln!(msg, "  line {}: {}", prefix + 1 + k, changed.join("; "));
        }
    }
    for (sign, lines) in [('-', gone), ('+', new)] {
        for l in lines.iter().take(SHOWN_DIFFS) {
            let _ = writeln!(msg, "  {sign} {l}");
        }
        if lines.len() > SHOWN_DIFFS {
            let _ = writeln!(msg, "  {sign} … {} more", lines.len() - SHOWN_DIFFS);
        }
    }
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    if sorted(expected) == sorted(actual) {
        msg.push_str("  (the same rows in another order)\n");
    }
    Some(msg)
}

/// The fields of one snapshot line, still in their written (quoted) form.
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                fields.push(String::new());
                continue;
            }
            _ => {}
        }
        fields.last_mut().expect("starts with one field").push(c);
    }
    fields
}

fn read_snapshot(path: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    // A checkout with CRLF line endings reads the same.
    Some(text.lines().map(|l| l.trim_end_matches('\r').to_string()).collect())
}

#[test]
fn every_output_table_of_the_samples_matches_its_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    ingest_samples(&out);
    let bless = std::env::var_os("TORIKUMI_BLESS").is_some_and(|v| v == "1");
    let dir = golden_dir();
    let tables: Vec<&str> = torikumi::table::all_tables().map(|t| t.name).collect();
    let mut failures = Vec::new();
    for &table in &tables {
        let df = read_parquet(&out.join("parquet").join(format!("{table}.parquet")));
        let now = snapshot_lines(&df);
        let path = dir.join(format!("{table}.csv"));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, now.join("\n") + "\n").unwrap();
            continue;
        }
        match read_snapshot(&path) {
            None => failures.push(format!("{table}: no snapshot {} (TORIKUMI_BLESS=1 writes it)", path.display())),
            Some(expected) => failures.extend(diff(table, &expected, &now)),
        }
    }
    // A snapshot whose table no longer exists is a change of output too.
    let known: BTreeSet<String> = tables.iter().map(|t| format!("{t}.csv")).collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".csv") && !known.contains(&name) {
            if bless {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                failures.push(format!("{name}: snapshot of a table the run no longer writes"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "outputs on samples/ changed (TORIKUMI_BLESS=1 cargo test --test golden rewrites the snapshots if the change is intended):\n{}",
        failures.join("\n")
    );
}

#[test]
fn snapshot_fields_distinguish_null_empty_and_quoted_text() {
    assert_eq!(field(None), "");
    assert_eq!(field(Some(String::new())), "\"\"");
    assert_eq!(field(Some("a,b".into())), "\"a,b\"");
    assert_eq!(field(Some("say \"x\"".into())), "\"say \"\"x\"\"\"");
    assert_eq!(field(Some("two\nlines\tand \\".into())), "two\\nlines\\tand \\\\");
    assert_eq!(value_text(&AnyValue::Float64(88.7)).as_deref(), Some("88.7"));
    assert_eq!(value_text(&AnyValue::Float64(15_000_000.0)).as_deref(), Some("15000000"));
    assert_eq!(value_text(&AnyValue::Date(19265)).as_deref(), Some("2022-09-30"));
    let list = Series::new("".into(), ["課A", "課B"]);
    assert_eq!(value_text(&AnyValue::List(list)).as_deref(), Some("[課A; 課B]"));
    let lines = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let d = diff("t", &lines(&["a:i32", "1", "2"]), &lines(&["a:i32", "2", "1"])).unwrap();
    assert!(
        d.contains("from line 2: 2 snapshot line(s) → 2 line(s) now\n  line 2: a: 1 → 2\n"),
        "{d}"
    );
    assert!(d.contains("  - 1\n  - 2\n  + 2\n  + 1\n"), "{d}");
    assert!(d.contains("the same rows in another order"), "{d}");
    let d = diff(
        "t",
        &lines(&["a:i32,b:str", "1,x", "2,\"y,z\""]),
        &lines(&["a:i32,b:str", "1,x", "2,w"]),
    )
    .unwrap();
    assert!(d.contains("line 3: b: \"y,z\" → w\n"), "{d}");
    assert_eq!(diff("t", &lines(&["a:i32", "1"]), &lines(&["a:i32", "1"])), None);
    // A dropped row shows as itself, not as every row after it.
    let d = diff("t", &lines(&["a:i32", "1", "2", "3", "4"]), &lines(&["a:i32", "1", "3", "4"])).unwrap();
    assert!(d.contains("from line 3: 1 snapshot line(s) → 0 line(s) now\n  - 2\n"), "{d}");
    assert!(!d.contains("- 3") && !d.contains("+ 3"), "{d}");
}
