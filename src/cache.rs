//! Incremental runs: the output folder keeps a manifest of each source's
//! content hash and the rows it gave, so a re-run re-reads only new or
//! changed files. The cache is keyed by the tool version and the mapping
//! files' contents: a changed mapping re-reads everything.
//!
//! ```text
//!   output/.torikumi-cache/manifest.json     {"key": …, "files": {"samples/a.xlsx": "<sha256>"}}
//!   output/.torikumi-cache/<sha256 of path>.bin    that file's rows (an Extract, postcard)
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Extract;
use crate::source::sha256_hex;

/// Folder of the cache inside an output folder.
pub const CACHE_DIR: &str = ".torikumi-cache";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    key: String,
    files: BTreeMap<String, String>,
}

/// The per-source row cache of one output folder.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    key: String,
    previous: BTreeMap<String, String>,
}

impl Cache {
    /// Opens the cache of `out_dir`; with `full`, or when `key` changed, nothing is reused.
    pub fn open(out_dir: &Path, key: &str, full: bool) -> Cache {
        let dir = out_dir.join(CACHE_DIR);
        let manifest: Manifest = std::fs::read(dir.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let previous = if full || manifest.key != key {
            BTreeMap::new()
        } else {
            manifest.files
        };
        Cache {
            dir,
            key: key.to_string(),
            previous,
        }
    }

    fn entry_path(&self, source: &str) -> PathBuf {
        self.dir.join(format!("{}.bin", sha256_hex(source.as_bytes())))
    }

    /// The rows `source` gave last time, if its content is unchanged.
    pub fn lookup(&self, source: &str, sha256: &str) -> Option<Extract> {
        if self.previous.get(source).map(String::as_str) != Some(sha256) {
            return None;
        }
        let bytes = std::fs::read(self.entry_path(source)).ok()?;
        postcard::from_bytes(&bytes).ok()
    }

    /// Keeps the rows of `source` for the next run.
    ///
    /// # Errors
    /// I/O failures writing the entry.
    pub fn store(&self, source: &str, x: &Extract) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.entry_path(source);
        let tmp = path.with_extension("bin.tmp");
        // postcard: compact and fast; the entries are ours alone (the manifest
        // stays JSON). Streamed to the file: a whole entry in one growing
        // buffer cost fresh, zeroed pages for every file.
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        postcard::to_io(x, &mut out).map_err(std::io::Error::other)?;
        std::io::Write::flush(&mut out)?;
        drop(out);
        std::fs::rename(tmp, path)
    }

    /// Writes the manifest of this run (`current`: source → sha256) and drops
    /// the entries of files no longer among the inputs.
    ///
    /// # Errors
    /// I/O failures writing the manifest.
    pub fn finish(&self, current: BTreeMap<String, String>) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        for gone in self.previous.keys().filter(|k| !current.contains_key(*k)) {
            let _ = std::fs::remove_file(self.entry_path(gone));
        }
        let manifest = Manifest {
            key: self.key.clone(),
            files: current,
        };
        let bytes = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
        let tmp = self.dir.join("manifest.json.tmp");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(tmp, self.dir.join("manifest.json"))
    }
}

/// The cache key of a mappings folder: tool version and every mapping file's content.
pub fn mappings_key(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut all = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    for f in files {
        all.extend_from_slice(f.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
        all.extend(std::fs::read(&f).unwrap_or_default());
    }
    sha256_hex(&all)
}
