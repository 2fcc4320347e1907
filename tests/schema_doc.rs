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
