//! schema.md is generated from the writers' own definitions: it must be current.

use std::path::PathBuf;

#[test]
fn schema_md_matches_the_definitions() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let m = torikumi::mapping::Mappings::load(&root.join("mappings")).unwrap();
    let generated = torikumi::table::schema_markdown(&[torikumi::table::TABLES, torikumi::table::EVALUATION_TABLES], &m.display);
    let on_disk = std::fs::read_to_string(root.join("docs/schema.md")).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/schema.md is stale: run `cargo run -- schema > docs/schema.md`"
    );
}

#[test]
fn readme_lists_every_diagnostic_code() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let table = torikumi::model::codes_markdown();
    assert!(
        readme.contains(&table),
        "README's table of diagnostic codes is stale: paste the one `torikumi schema` prints under 'Diagnostic codes'"
    );
}

/// display.toml is read with the mapping files and checked against the schema
/// (which `mapping` does not know) by `table`: every table and column labelled,
/// nothing else, each problem with the file and key.
#[test]
fn display_labels_are_checked_against_the_schema() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let m = torikumi::mapping::Mappings::load(&root.join("mappings")).unwrap();
    assert!(torikumi::table::check_display_labels(&m.display).is_ok());

    let dir = tempfile::tempdir().unwrap();
    for f in ["vocabulary.toml", "gunma_dx_kobetsu.toml"] {
        std::fs::copy(root.join("mappings").join(f), dir.path().join(f)).unwrap();
    }
    let text = std::fs::read_to_string(root.join("mappings/display.toml")).unwrap();
    let broken = text
        .replace("sources = \"入力ファイル\"\n", "sorces = \"入力ファイル\"\n")
        .replace("goal = \"目標\"\n", "gaol = \"目標\"\n");
    std::fs::write(dir.path().join("display.toml"), broken).unwrap();
    let m = torikumi::mapping::Mappings::load(dir.path()).unwrap();
    let errs = torikumi::table::check_display_labels(&m.display).unwrap_err().0;
    let got: Vec<String> = errs.iter().map(|e| format!("{}: {}", e.key, e.message)).collect();
    assert!(errs.iter().all(|e| e.file.ends_with("display.toml")), "{got:?}");
    for want in [
        "tables.sorces: no such table",
        "tables.sources: missing label",
        "columns.gaol: no table has this column",
        "columns.goal: missing label (a column of initiatives)",
        "columns.goal: missing label (a column of evaluation)",
    ] {
        assert!(got.iter().any(|g| g == want), "missing {want:?} in {got:?}");
    }
    // Loading with the check reports them with the other files' problems, at once.
    std::fs::write(dir.path().join("evaluation.toml"), "colour = 1\n").unwrap();
    let errs = torikumi::mapping::Mappings::load_checked(dir.path(), torikumi::table::display_label_problems)
        .unwrap_err()
        .0;
    assert!(
        errs.iter().any(|e| e.key == "colour" && e.file.ends_with("evaluation.toml")),
        "{errs:?}"
    );
    assert!(errs.iter().any(|e| e.key == "tables.sorces"), "{errs:?}");
    std::fs::remove_file(dir.path().join("evaluation.toml")).unwrap();
    // A key the file does not know is refused when the mappings load.
    std::fs::write(dir.path().join("display.toml"), format!("{text}\n[colours]\na = \"b\"\n")).unwrap();
    let errs = torikumi::mapping::Mappings::load(dir.path()).unwrap_err().0;
    assert!(errs.iter().any(|e| e.key == "colours" && e.message == "unknown key"), "{errs:?}");
}
