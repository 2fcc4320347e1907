//! The binary as an installed user has it: run from a folder that is not the
//! checkout, with the mappings built in, a user's mapping laid over them, and
//! the built-ins exported and read back.

mod common;
use common::{read_parquet, root};

use std::path::Path;
use std::process::Output;

use polars::prelude::*;

/// A folder like a reform office's: `inbox/` with one workbook, no mappings.
fn office() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inbox")).unwrap();
    std::fs::copy(
        root().join("samples/gunma_dx_kobetsu.xlsx"),
        dir.path().join("inbox/gunma_dx_kobetsu.xlsx"),
    )
    .unwrap();
    dir
}

/// Runs the built binary in `cwd`.
fn torikumi(cwd: &Path, args: &[&str]) -> Output {
    common::torikumi_command().current_dir(cwd).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn column_str(df: &DataFrame, name: &str) -> Vec<String> {
    let c = df.column(name).unwrap().str().unwrap();
    (0..df.height()).map(|i| c.get(i).unwrap_or_default().to_string()).collect()
}

/// tsulunos動画再生回数's row of the indicators table: (plan, final target).
fn tsulunos(out: &Path) -> (String, f64) {
    let df = read_parquet(&out.join("parquet/indicators.parquet"));
    let names = column_str(&df, "indicator");
    let plans = column_str(&df, "plan");
    let targets = df.column("final_target_value").unwrap().f64().unwrap();
    let i = names
        .iter()
        .position(|n| n.contains("tsulunos動画再生回数"))
        .expect("tsulunos indicator");
    (plans[i].clone(), targets.get(i).expect("a final target"))
}

/// A layout file of the user's: the built-in DX layout with another plan name.
fn renamed_plan_layout() -> String {
    std::fs::read_to_string(root().join("mappings/gunma_dx_kobetsu.toml"))
        .unwrap()
        .replacen("plan = \"群馬県庁DXアクションプラン\"", "plan = \"利用者の計画\"", 1)
}

#[test]
fn runs_from_a_folder_without_mappings() {
    let dir = office();
    let o = torikumi(dir.path(), &["ingest", "inbox"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("\nmappings: built-in\n"), "{err}");
    let out = dir.path().join("output");
    assert!(out.join("consolidated.xlsx").is_file());
    assert_eq!(tsulunos(&out), ("群馬県庁DXアクションプラン".to_string(), 15_000_000.0));
    let sources = read_parquet(&out.join("parquet/sources.parquet"));
    assert_eq!(column_str(&sources, "layout"), ["gunma_dx_kobetsu"]);
    // check and inspect find their mappings the same way.
    let o = torikumi(dir.path(), &["check", "inbox"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("mappings: built-in"));
    let o = torikumi(dir.path(), &["inspect", "inbox/gunma_dx_kobetsu.xlsx", "--sheet", "(7)"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("gunma_dx_kobetsu"));
    // And render finds the built-in standard sheets.
    let o = torikumi(dir.path(), &["render", "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("output/rendered").read_dir().unwrap().next().is_some());
}

#[test]
fn a_user_layout_overrides_the_built_in_of_the_same_name() {
    let dir = office();
    // Another file name, the same `[layout] name`: it replaces the built-in.
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/dx.toml"), renamed_plan_layout()).unwrap();
    let o = torikumi(dir.path(), &["ingest", "inbox", "--mappings", "mine", "--json"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("mappings: built-in + ./mine (1 override: dx.toml)"), "{err}");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["mappings"], "built-in + ./mine (1 override: dx.toml)");
    assert_eq!(tsulunos(&dir.path().join("output")), ("利用者の計画".to_string(), 15_000_000.0));

    // A `mappings/` folder where torikumi runs is used without the flag.
    std::fs::rename(dir.path().join("mine"), dir.path().join("mappings")).unwrap();
    let o = torikumi(dir.path(), &["ingest", "inbox", "--out", "o2"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("mappings: built-in + ./mappings (1 override: dx.toml)"), "{err}");
    assert_eq!(tsulunos(&dir.path().join("o2")).0, "利用者の計画");
    let o = torikumi(dir.path(), &["check", "inbox"]);
    assert!(
        stderr(&o).contains("mappings: built-in + ./mappings (1 override: dx.toml)"),
        "{}",
        stderr(&o)
    );

    // ... unless the built-ins alone are asked for.
    let o = torikumi(dir.path(), &["ingest", "inbox", "--out", "o3", "--built-in-mappings"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(tsulunos(&dir.path().join("o3")).0, "群馬県庁DXアクションプラン");

    let o = torikumi(dir.path(), &["mappings", "list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let list = String::from_utf8_lossy(&o.stdout);
    let line = |file: &str| {
        list.lines()
            .find(|l| l.split_whitespace().nth(2) == Some(file))
            .unwrap_or_else(|| panic!("{file} not listed:\n{list}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        line("dx.toml"),
        format!(
            "layout gunma_dx_kobetsu dx.toml {} (overrides built-in gunma_dx_kobetsu.toml)",
            Path::new("mappings").join("dx.toml").display()
        )
    );
    assert_eq!(line("saitama_program.toml"), "layout saitama_program saitama_program.toml built-in");
    assert_eq!(line("vocabulary.toml"), "vocabulary vocabulary vocabulary.toml built-in");
    assert_eq!(
        line("render/gunma_dx_kobetsu.toml"),
        "render gunma_dx_kobetsu render/gunma_dx_kobetsu.toml built-in"
    );
    assert!(
        !list.contains(" gunma_dx_kobetsu.toml "),
        "the replaced built-in is not in force:\n{list}"
    );
}

#[test]
fn a_broken_user_file_is_named_by_its_path() {
    let dir = office();
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    let broken = renamed_plan_layout().replacen("[layout]\n", "[layout]\ncolour = \"blue\"\n", 1);
    std::fs::write(dir.path().join("mine/gunma_dx_kobetsu.toml"), broken).unwrap();
    let o = torikumi(dir.path(), &["ingest", "inbox", "--mappings", "mine"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let file = Path::new("mine").join("gunma_dx_kobetsu.toml");
    assert!(err.contains(&format!("{}: layout.colour: unknown key", file.display())), "{err}");
    assert!(!dir.path().join("output").exists());
    // A folder that is not there is an error, not the built-ins in silence.
    let o = torikumi(dir.path(), &["ingest", "inbox", "--mappings", "no-such-folder"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no-such-folder: cannot read the mappings folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn exported_built_ins_give_the_same_tables_and_cache() {
    let dir = office();
    let o = torikumi(dir.path(), &["mappings", "export", "exported"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in [
        "vocabulary.toml",
        "gunma_dx_kobetsu.toml",
        "display.toml",
        "evaluation.toml",
        "render/gunma_reform_plan.toml",
    ] {
        let shipped = std::fs::read_to_string(root().join("mappings").join(f)).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("exported").join(f)).unwrap(),
            shipped,
            "{f}"
        );
    }
    // A second export refuses to overwrite, and writes nothing.
    std::fs::write(dir.path().join("exported/vocabulary.toml"), "# edited").unwrap();
    let o = torikumi(dir.path(), &["mappings", "export", "exported"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("pass --force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("exported/vocabulary.toml")).unwrap(),
        "# edited"
    );
    let o = torikumi(dir.path(), &["mappings", "export", "exported", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(dir.path().join("exported/vocabulary.toml")).unwrap().len() > 100);

    let o = torikumi(dir.path(), &["ingest", "inbox", "--out", "built-in", "--formats", "parquet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = torikumi(
        dir.path(),
        &[
            "ingest",
            "inbox",
            "--out",
            "exported-out",
            "--formats",
            "parquet",
            "--mappings",
            "exported",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("mappings: built-in + ./exported (same as built-in)"), "{err}");
    let unstamped = |df: DataFrame| df.drop_many(["run_id", "run_started"]);
    for t in torikumi::table::all_tables().map(|t| t.name) {
        let a = read_parquet(&dir.path().join("built-in/parquet").join(format!("{t}.parquet")));
        let b = read_parquet(&dir.path().join("exported-out/parquet").join(format!("{t}.parquet")));
        assert!(a.height() > 0 || t == "evaluation_counts", "{t} is empty");
        assert!(unstamped(a).equals_missing(&unstamped(b)), "{t} differs");
    }

    // The cache key is the texts in force: the same texts from another
    // folder reuse the cache, an edited layout does not.
    let o = torikumi(
        dir.path(),
        &[
            "ingest",
            "inbox",
            "--out",
            "built-in",
            "--formats",
            "parquet",
            "--mappings",
            "exported",
        ],
    );
    assert!(stderr(&o).contains("reused 1 unchanged"), "{}", stderr(&o));
    std::fs::write(dir.path().join("exported/gunma_dx_kobetsu.toml"), renamed_plan_layout()).unwrap();
    let o = torikumi(
        dir.path(),
        &[
            "ingest",
            "inbox",
            "--out",
            "built-in",
            "--formats",
            "parquet",
            "--mappings",
            "exported",
        ],
    );
    let err = stderr(&o);
    assert!(err.contains("re-read 1 file(s), reused 0 unchanged"), "{err}");
    assert!(err.contains("(1 override: gunma_dx_kobetsu.toml)"), "{err}");
    assert_eq!(tsulunos(&dir.path().join("built-in")).0, "利用者の計画");
}
