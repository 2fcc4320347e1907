//! Scale-out: N `ingest --shard K/N` processes into one output folder plus
//! `torikumi merge` give exactly the tables of one run over every file.

mod common;
use common::{read_parquet, root};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::Reader;
use polars::prelude::*;
use torikumi::cmd::ingest::shard_of;

fn torikumi(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_torikumi"));
    c.args(args).args(["--mappings", root().join("mappings").to_str().unwrap()]);
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// samples/, a copy of one workbook under a name that falls in another of 3
/// shards than the original (so only the merge can see they are one), a
/// text file no layout reads, and a file of a type torikumi skips.
fn inputs(dir: &Path) -> (PathBuf, String) {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for e in std::fs::read_dir(root().join("samples")).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), input.join(e.file_name())).unwrap();
        }
    }
    let original = "gunma_dx_kobetsu.xlsx";
    let copy = (0..)
        .map(|i| format!("copy-{i}.xlsx"))
        .find(|c| shard_of(c, 3) != shard_of(original, 3))
        .unwrap();
    std::fs::copy(input.join(original), input.join(&copy)).unwrap();
    std::fs::write(input.join("memo.txt"), "meeting notes\nnext time in May\n").unwrap();
    std::fs::write(input.join("scan.pdf"), "%PDF-1.4").unwrap();
    (input, copy)
}

/// A table's rows without the run columns, each as text, sorted: the union of
/// parts equals the single run's table as a multiset of rows.
fn sorted_rows(df: &DataFrame) -> Vec<String> {
    let mut v = rows(df);
    v.sort();
    v
}

fn rows(df: &DataFrame) -> Vec<String> {
    let df = df.drop_many(["run_id", "run_started"]);
    let columns = df.columns();
    (0..df.height())
        .map(|i| format!("{:?}", columns.iter().map(|c| c.get(i).unwrap()).collect::<Vec<_>>()))
        .collect()
}

/// A CSV output's records without the run columns.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().clone();
    let keep: Vec<usize> = (0..header.len()).filter(|&i| !header[i].starts_with("run_")).collect();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            keep.iter().map(|&i| x[i].to_string()).collect()
        })
        .collect();
    assert!(!rows.is_empty() || path.ends_with("evaluation_counts.csv"), "{}", path.display());
    rows
}

fn table(out: &Path, name: &str) -> DataFrame {
    torikumi::table::read_table(&out.join("parquet").join(format!("{name}.parquet"))).unwrap()
}

fn source_files(df: &DataFrame) -> BTreeSet<String> {
    let c = df.column("source_file").unwrap().str().unwrap().clone();
    c.iter().map(|s| s.unwrap().to_string()).collect()
}

#[test]
fn three_shards_and_a_merge_give_the_single_runs_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (input, copy) = inputs(dir.path());
    let (single, sharded) = (dir.path().join("single"), dir.path().join("sharded"));
    let (input_s, single_s, sharded_s) = (input.to_str().unwrap(), single.to_str().unwrap(), sharded.to_str().unwrap());
    let one = torikumi(&["ingest", input_s, "--out", single_s, "--formats", "parquet,xlsx,csv"]);
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));

    // Three processes at once into one folder: no fight over its lock, cache or staging.
    let shards: Vec<_> = (1..=3)
        .map(|k| {
            command(&["ingest", input_s, "--out", sharded_s, "--shard", &format!("{k}/3")])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for s in shards {
        let o = s.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stderr(&o).contains("torikumi merge --out"), "{}", stderr(&o));
    }
    assert!(!sharded.join("consolidated.xlsx").exists() && !sharded.join("parquet/evaluation.parquet").exists());

    // Each file went to exactly one shard, and the shards together read every input.
    let all = source_files(&read_parquet(&single.join("parquet/sources.parquet")));
    assert_eq!(all.len(), 10, "8 samples, the copy, memo.txt, and no scan.pdf: {all:?}");
    let mut seen = BTreeSet::new();
    let mut shard_of_file = std::collections::BTreeMap::new();
    for k in 1..=3 {
        let part = read_parquet(&sharded.join(format!("parquet/sources/part-{k}-of-3.parquet")));
        for f in source_files(&part) {
            assert!(seen.insert(f.clone()), "{f} in two shards");
            shard_of_file.insert(f, k);
        }
    }
    assert_eq!(seen, all);
    let in_shard = |name: &str| shard_of_file[&input.join(name).display().to_string()];
    assert_ne!(
        in_shard("gunma_dx_kobetsu.xlsx"),
        in_shard(&copy),
        "the duplicate is another shard's"
    );

    let merged = torikumi(&["merge", "--out", sharded_s, "--formats", "parquet,xlsx,csv"]);
    assert_eq!(merged.status.code(), one.status.code(), "{}", stderr(&merged));
    assert!(stderr(&merged).contains("total: 10 files"), "{}", stderr(&merged));
    for t in torikumi::table::TABLES {
        let (a, b) = (table(&single, t.name), table(&sharded, t.name));
        assert!(a.height() > 0 || t.name == "evaluation_counts", "{}", t.name);
        assert_eq!(sorted_rows(&a), sorted_rows(&b), "table {}", t.name);
    }
    // The tables that combine files: the same rows in the same order.
    for t in torikumi::table::EVALUATION_TABLES {
        let (a, b) = (table(&single, t.name), table(&sharded, t.name));
        assert!(a.height() > 50, "{}", t.name);
        assert_eq!(rows(&a), rows(&b), "table {}", t.name);
    }
    // The copy sorts before the original: the original is the duplicate, as in the single run.
    let sources = table(&sharded, "sources");
    let status = sources.column("status").unwrap().str().unwrap();
    let dups: Vec<usize> = (0..sources.height()).filter(|&i| status.get(i) == Some("duplicate")).collect();
    assert_eq!(dups.len(), 1);
    let dup = sources
        .column("source_file")
        .unwrap()
        .str()
        .unwrap()
        .get(dups[0])
        .unwrap()
        .to_string();
    assert_eq!(dup, input.join("gunma_dx_kobetsu.xlsx").display().to_string());
    let obs = table(&sharded, "observations");
    assert!(
        !source_files(&obs).contains(&dup),
        "the duplicate's rows are dropped from its shard's parts"
    );

    // The outputs read in order (CSV, the workbook) have the single run's rows in its order.
    for t in torikumi::table::all_tables() {
        let file = format!("csv/{}.csv", t.name);
        assert_eq!(csv_rows(&single.join(&file)), csv_rows(&sharded.join(&file)), "{file}");
    }
    // The workbook has the single run's sheets, each as long.
    let sheets = |out: &Path| -> Vec<(String, usize)> {
        let mut book = calamine::open_workbook_auto(out.join("consolidated.xlsx")).unwrap();
        let names = book.sheet_names().to_vec();
        names
            .into_iter()
            .map(|n| (n.clone(), book.worksheet_range(&n).unwrap().height()))
            .collect()
    };
    assert_eq!(sheets(&single), sheets(&sharded));

    // render and report read the folders of parts.
    let rendered = dir.path().join("rendered");
    let r = torikumi(&["render", "--from", sharded_s, "--out", rendered.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert!(std::fs::read_dir(&rendered).unwrap().count() >= 3);
    let r = torikumi(&["report", "--from", sharded_s]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert!(stderr(&r).contains("10 files"), "{}", stderr(&r));

    // A single run into the folder replaces the parts; they do not linger beside its tables.
    let o = torikumi(&["ingest", input_s, "--out", sharded_s, "--formats", "parquet"]);
    assert_eq!(o.status.code(), one.status.code(), "{}", stderr(&o));
    assert!(stderr(&o).contains("removed 26 part file(s)"), "{}", stderr(&o));
    assert!(torikumi::table::parts::part_files(&sharded.join("parquet/observations")).is_empty());
    assert_eq!(sorted_rows(&table(&single, "sources")), sorted_rows(&table(&sharded, "sources")));
}

#[test]
fn a_second_merge_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (input, _) = inputs(dir.path());
    let (single, sharded) = (dir.path().join("single"), dir.path().join("sharded"));
    let (input_s, single_s, sharded_s) = (input.to_str().unwrap(), single.to_str().unwrap(), sharded.to_str().unwrap());
    let one = torikumi(&["ingest", input_s, "--out", single_s, "--formats", "parquet"]);
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    for k in 1..=3 {
        let o = torikumi(&["ingest", input_s, "--out", sharded_s, "--shard", &format!("{k}/3"), "-q"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let first = torikumi(&["merge", "--out", sharded_s, "--formats", "parquet"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    // A second merge changes nothing.
    let again = torikumi(&["merge", "--out", sharded_s, "--formats", "parquet"]);
    assert_eq!(again.status.code(), one.status.code(), "{}", stderr(&again));
    for t in torikumi::table::all_tables() {
        assert_eq!(
            sorted_rows(&table(&single, t.name)),
            sorted_rows(&table(&sharded, t.name)),
            "{}",
            t.name
        );
    }
}

#[test]
fn merge_refuses_a_missing_or_extra_part() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    for f in ["saitama_program.xlsx", "gunma_reform_plan_sheet.xlsx", "gunma_dx_kpi_list.sjis.txt"] {
        std::fs::copy(root().join("samples").join(f), input.join(f)).unwrap();
    }
    let out = dir.path().join("out");
    let (input_s, out_s) = (input.to_str().unwrap(), out.to_str().unwrap());
    let none = torikumi(&["merge", "--out", out_s]);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("no shard parts"), "{}", stderr(&none));

    let o = torikumi(&["ingest", input_s, "--out", out_s, "--shard", "1/2", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let missing = torikumi(&["merge", "--out", out_s]);
    assert_eq!(missing.status.code(), Some(2));
    let e = stderr(&missing);
    assert!(e.contains("part-2-of-2.bin") && e.contains("part-2-of-2.parquet"), "{e}");
    assert!(!out.join("parquet/evaluation.parquet").exists(), "nothing merged");

    let o = torikumi(&["ingest", input_s, "--out", out_s, "--shard", "2/2", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ok = torikumi(&["merge", "--out", out_s, "--formats", "parquet"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stderr(&ok).contains("total: 3 files"), "{}", stderr(&ok));

    // A shard read with other limits (or mappings, or version) is not the same run.
    let o = torikumi(&["ingest", input_s, "--out", out_s, "--shard", "2/2", "-q", "--max-cells", "5000"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let other = torikumi(&["merge", "--out", out_s]);
    assert_eq!(other.status.code(), Some(2));
    assert!(
        stderr(&other).contains("part-2-of-2.bin") && stderr(&other).contains("different"),
        "{}",
        stderr(&other)
    );
    let o = torikumi(&["ingest", input_s, "--out", out_s, "--shard", "2/2", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // A part of another N left in the folder: never merged silently.
    let stray = out.join("parquet/observations/part-3-of-3.parquet");
    std::fs::copy(out.join("parquet/observations/part-1-of-2.parquet"), &stray).unwrap();
    let extra = torikumi(&["merge", "--out", out_s]);
    assert_eq!(extra.status.code(), Some(2));
    assert!(stderr(&extra).contains(&stray.display().to_string()), "{}", stderr(&extra));
    std::fs::remove_file(&stray).unwrap();
    std::fs::remove_file(out.join("parquet/schedule/part-1-of-2.parquet")).unwrap();
    let gone = torikumi(&["merge", "--out", out_s]);
    assert_eq!(gone.status.code(), Some(2));
    let e = stderr(&gone);
    assert!(
        e.contains(&out.join("parquet/schedule/part-1-of-2.parquet").display().to_string()),
        "{e}"
    );
}

#[test]
fn bad_shard_values_exit_2() {
    for bad in ["0/3", "4/3", "3", "a/b"] {
        let o = torikumi(&["ingest", "samples", "--out", "never", "--shard", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("1 <= K <= N"), "{bad}: {}", stderr(&o));
    }
    let o = torikumi(&["ingest", "--shard", "1/2", "--partition-by", "plan"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!Path::new("never").exists());
}

#[test]
fn a_running_shard_keeps_merge_and_its_twin_out() {
    use torikumi::lock::{OutputLock, RunStamp};
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(root().join("samples/saitama_program.xlsx"), input.join("a.xlsx")).unwrap();
    let out = dir.path().join("out");
    let (input_s, out_s) = (input.to_str().unwrap(), out.to_str().unwrap());
    // Held as a running shard 1/2 holds them: the folder shared, its own folder exclusively.
    std::fs::create_dir_all(&out).unwrap();
    let shared = OutputLock::shared(&out, false, |_| {}).unwrap().unwrap();
    let own = OutputLock::exclusive(
        &out.join(".torikumi-shard-1-of-2"),
        &RunStamp::now(),
        "ingest --shard",
        false,
        |_| {},
    )
    .unwrap();
    let twin = torikumi(&["ingest", input_s, "--out", out_s, "--shard", "1/2"]);
    assert_eq!(twin.status.code(), Some(2));
    assert!(
        stderr(&twin).contains(".torikumi-shard-1-of-2 is in use by torikumi ingest --shard"),
        "{}",
        stderr(&twin)
    );
    let other = torikumi(&["ingest", input_s, "--out", out_s, "--shard", "2/2", "-q"]);
    assert_eq!(other.status.code(), Some(0), "another shard runs beside it: {}", stderr(&other));
    let merge = torikumi(&["merge", "--out", out_s]);
    assert_eq!(merge.status.code(), Some(2));
    assert!(stderr(&merge).contains("in use by another torikumi run"), "{}", stderr(&merge));
    let single = torikumi(&["ingest", input_s, "--out", out_s]);
    assert_eq!(single.status.code(), Some(2), "{}", stderr(&single));
    drop((shared, own));
    let o = torikumi(&["ingest", input_s, "--out", out_s, "--shard", "1/2", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let merge = torikumi(&["merge", "--out", out_s, "--formats", "parquet"]);
    assert_eq!(merge.status.code(), Some(0), "{}", stderr(&merge));
}
