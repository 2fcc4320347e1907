//! Incremental runs: a re-run re-reads only new or changed files, drops the
//! rows of removed ones, and gives the same tables as a full run.

mod common;
use common::root;

use std::path::Path;

use polars::prelude::*;

fn ingest(input: &Path, out: &Path, extra: &[&str]) -> String {
    let o = common::torikumi_command()
        .args(["ingest", "--formats", "parquet", "--mappings"])
        .arg(root().join("mappings"))
        .arg("--out")
        .arg(out)
        .arg(input)
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    stderr
}

fn table(out: &Path, name: &str) -> DataFrame {
    ParquetReader::new(std::fs::File::open(out.join("parquet").join(format!("{name}.parquet"))).unwrap())
        .finish()
        .unwrap()
}

/// Every table of two output folders, compared row for row (but for the
/// stamp of the run that wrote them).
fn assert_same_tables(a: &Path, b: &Path) {
    let unstamped = |df: DataFrame| df.drop_many(["run_id", "run_started"]);
    for t in torikumi::table::all_tables().map(|t| t.name) {
        assert!(
            unstamped(table(a, t)).equals_missing(&unstamped(table(b, t))),
            "{t} differs between the incremental and the full run"
        );
    }
}

#[test]
fn changed_file_is_reread_removed_file_dropped_and_tables_match_a_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for f in std::fs::read_dir(root().join("samples")).unwrap() {
        let p = f.unwrap().path();
        std::fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
    }
    let out = dir.path().join("out");
    let first = ingest(&input, &out, &[]);
    assert!(first.contains("re-read 8 file(s), reused 0 unchanged"), "{first}");

    // Change one file, remove another; run again into the same folder.
    let changed = input.join("gunma_reform_plan_sheet.sjis.txt");
    let mut bytes = std::fs::read(&changed).unwrap();
    let (extra, _, _) = encoding_rs::SHIFT_JIS.encode("\n追記\tメモ\n");
    bytes.extend_from_slice(&extra);
    std::fs::write(&changed, bytes).unwrap();
    std::fs::remove_file(input.join("saitama_program.xlsx")).unwrap();
    let second = ingest(&input, &out, &[]);
    assert!(second.contains("re-read 1 file(s), reused 6 unchanged"), "{second}");

    let full = dir.path().join("full");
    let third = ingest(&input, &full, &["--full"]);
    assert!(third.contains("re-read 7 file(s), reused 0 unchanged"), "{third}");
    assert_same_tables(&out, &full);
    let sources = table(&out, "sources");
    let files = sources.column("source_file").unwrap().str().unwrap().clone();
    assert!(
        !(0..files.len()).any(|i| files.get(i).is_some_and(|f| f.ends_with("saitama_program.xlsx"))),
        "removed file's rows dropped"
    );
    let diags = table(&out, "diagnostics");
    let raws = diags.column("raw").unwrap().str().unwrap().clone();
    assert!((0..raws.len()).any(|i| raws.get(i) == Some("メモ")), "the changed file was re-read");
}

#[test]
fn a_changed_mapping_rereads_everything() {
    let dir = tempfile::tempdir().unwrap();
    let maps = dir.path().join("mappings");
    std::fs::create_dir(&maps).unwrap();
    for f in std::fs::read_dir(root().join("mappings")).unwrap() {
        let p = f.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, maps.join(p.file_name().unwrap())).unwrap();
        }
    }
    let out = dir.path().join("out");
    let input = root().join("samples/saitama_program.xlsx");
    let run = || {
        let o = common::torikumi_command()
            .args(["ingest", "--formats", "parquet", "--mappings"])
            .arg(&maps)
            .arg("--out")
            .arg(&out)
            .arg(&input)
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    assert!(run().contains("re-read 1 file(s)"));
    assert!(run().contains("reused 1 unchanged"));
    let vocab = maps.join("vocabulary.toml");
    let text = std::fs::read_to_string(&vocab).unwrap();
    std::fs::write(&vocab, format!("{text}\n# edited\n")).unwrap();
    assert!(run().contains("re-read 1 file(s), reused 0"));
}

#[test]
fn a_damaged_cache_costs_a_reread_never_wrong_rows() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("samples");
    let out = dir.path().join("out");
    ingest(&input, &out, &[]);
    let packs = |out: &Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(out.join(".torikumi-cache"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "bin"))
            .collect()
    };
    let pack = packs(&out).pop().expect("the run left a pack");
    // Cut the pack in half, as a full disk might: the entries past the cut
    // cannot be read and their files are read again.
    let len = std::fs::metadata(&pack).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&pack)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let second = ingest(&input, &out, &[]);
    assert!(!second.contains("re-read 0 file(s)"), "{second}");
    let full = dir.path().join("full");
    ingest(&input, &full, &["--full"]);
    assert_same_tables(&out, &full);
    // The second run wrote a whole pack and removed the damaged one.
    assert_eq!(packs(&out).len(), 1);
    let third = ingest(&input, &out, &[]);
    assert!(third.contains("re-read 0 file(s), reused 8 unchanged"), "{third}");
}
