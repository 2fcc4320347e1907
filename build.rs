//! Embeds the shipped mapping files (`mappings/*.toml`, `mappings/render/*.toml`)
//! into the binary as its built-in defaults: an installed `torikumi` runs from
//! any folder, with no checkout beside it.
//!
//! A generated list of `include_str!`s rather than a crate such as
//! `include_dir`: no new dependency, only the files the loader reads
//! (`*.toml`, the top folder, `render/` and `report/`), in a fixed (sorted) order, and
//! Cargo rebuilds when any of them changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The sub-folders of `mappings/` the loader reads (besides the top folder).
const SUBFOLDERS: &[&str] = &["render", "report"];

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("mappings");
    // A directory here makes Cargo rerun the script when anything below it changes.
    println!("cargo:rerun-if-changed=mappings");
    let mut list =
        String::from("/// The shipped mapping files: (path relative to `mappings/`, text).\npub static BUILT_IN: &[(&str, &str)] = &[\n");
    let mut dirs = vec![(String::new(), root.clone())];
    dirs.extend(SUBFOLDERS.iter().map(|s| (format!("{s}/"), root.join(s))));
    for (prefix, dir) in dirs {
        for path in toml_files(&dir) {
            let name = path.file_name().and_then(|n| n.to_str()).expect("mapping file names are UTF-8");
            let _ = writeln!(
                list,
                "    ({:?}, include_str!({:?})),",
                format!("{prefix}{name}"),
                path.display().to_string()
            );
        }
    }
    list.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("built_in_mappings.rs");
    std::fs::write(&out, list).expect("OUT_DIR is writable");
}
