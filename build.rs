//! Embeds the shipped mapping files (`mappings/*.toml`, `mappings/render/*.toml`)
//! into the binary as its built-in defaults: an installed `torikumi` runs from
//! any folder, with no checkout beside it.
//!
//! A generated list of `include_str!`s rather than a crate such as
//! `include_dir`: no new dependency, only the files the loader reads
//! (`*.toml` of the top folder, `render/` and `report/`, `messages/*.ftl`), in a fixed (sorted) order, and
//! Cargo rebuilds when any of them changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The sub-folders of `mappings/` the loader reads (besides the top folder),
/// with the extension of their files: the message catalogues are Fluent files.
const SUBFOLDERS: &[(&str, &str)] = &[("render", "toml"), ("report", "toml"), ("messages", "ftl")];

fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
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
    let mut dirs = vec![(String::new(), root.clone(), "toml")];
    dirs.extend(SUBFOLDERS.iter().map(|(s, ext)| (format!("{s}/"), root.join(s), *ext)));
    for (prefix, dir, ext) in dirs {
        for path in files_with(&dir, ext) {
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
