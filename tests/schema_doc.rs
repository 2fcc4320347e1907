//! schema.md is generated from the writers' own definitions: it must be current.

use std::path::PathBuf;

#[test]
fn schema_md_matches_the_definitions() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let m = torikumi::mapping::Mappings::load(&root.join("mappings")).unwrap();
    let generated = torikumi::table::schema_markdown(&[torikumi::table::TABLES, torikumi::evaluate::EVALUATION_TABLES], &m.display);
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
