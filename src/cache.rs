//! Incremental runs: the output folder keeps each source's content hash and
//! the rows it gave, so a re-run re-reads only new or changed files. The cache
//! is keyed by the tool version and the mapping files' contents: a changed
//! mapping re-reads everything.
//!
//! ```text
//!   output/.torikumi-cache/manifest.json    {"key": …, "pack": "entries-<id>.bin",
//!                                            "files": {"samples/a.xlsx": {"sha256", "offset", "len"}}}
//!   output/.torikumi-cache/entries-<id>.bin every file's rows (an Extract each, postcard), one after another
//! ```
//! One pack per run, written in input order and named in the manifest, which
//! is replaced last: a run killed half-way leaves the previous pack and
//! manifest as they were. (One file per source cost more in creating files
//! than in reading the inputs.)

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::mapping::MappingFiles;
use crate::model::Extract;
use crate::source::sha256_hex;

/// Folder of the cache inside an output folder.
pub const CACHE_DIR: &str = ".torikumi-cache";

/// Where one source's rows lie in the pack.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    sha256: String,
    offset: u64,
    len: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    key: String,
    pack: String,
    files: BTreeMap<String, Entry>,
}

/// The per-source row cache of one output folder, as the last run left it.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    key: String,
    previous: BTreeMap<String, Entry>,
    pack: Option<std::fs::File>,
    pack_name: String,
}

impl Cache {
    /// Opens the cache of `out_dir`; with `full`, or when `key` changed, nothing is reused.
    pub fn open(out_dir: &Path, key: &str, full: bool) -> Cache {
        let dir = out_dir.join(CACHE_DIR);
        let manifest: Manifest = std::fs::read(dir.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let usable = !full && manifest.key == key && !manifest.pack.is_empty();
        let pack = usable.then(|| std::fs::File::open(dir.join(&manifest.pack)).ok()).flatten();
        Cache {
            dir,
            key: key.to_string(),
            previous: if pack.is_some() { manifest.files } else { BTreeMap::new() },
            pack,
            pack_name: manifest.pack,
        }
    }

    /// The stored rows of `source` (as [`encode`] gave them), if its content is unchanged.
    pub fn lookup(&self, source: &str, sha256: &str) -> Option<Vec<u8>> {
        let e = self.previous.get(source).filter(|e| e.sha256 == sha256)?;
        let mut buf = vec![0; usize::try_from(e.len).ok()?];
        self.read_at(&mut buf, e.offset).ok()?;
        Some(buf)
    }

    // Look-ups run on many threads at once over one pack handle, so reads
    // are positional: no shared cursor to seek.
    #[cfg(unix)]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        self.pack()?.read_exact_at(buf, offset)
    }

    // `seek_read` reads at the offset given whatever the cursor, but may
    // return fewer bytes than asked.
    #[cfg(windows)]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        use std::os::windows::fs::FileExt;
        let pack = self.pack()?;
        let mut done = 0;
        while done < buf.len() {
            match pack.seek_read(&mut buf[done..], offset + done as u64)? {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                n => done += n,
            }
        }
        Ok(())
    }

    // No positional read here: a handle of this look-up's own, so no other
    // thread moves its cursor.
    #[cfg(not(any(unix, windows)))]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        self.pack()?;
        let mut file = std::fs::File::open(self.dir.join(&self.pack_name))?;
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(buf)
    }

    fn pack(&self) -> std::io::Result<&std::fs::File> {
        self.pack.as_ref().ok_or_else(|| std::io::ErrorKind::NotFound.into())
    }

    /// Starts this run's pack.
    ///
    /// # Errors
    /// I/O failures creating it.
    pub fn writer(&self) -> std::io::Result<CacheWriter> {
        std::fs::create_dir_all(&self.dir)?;
        let name = format!("entries-{}.bin", std::process::id());
        let name = if name == self.pack_name {
            format!("entries-{}-next.bin", std::process::id())
        } else {
            name
        };
        let path = self.dir.join(&name);
        Ok(CacheWriter {
            file: std::io::BufWriter::new(std::fs::File::create(&path)?),
            name,
            offset: 0,
            files: BTreeMap::new(),
        })
    }
}

/// A source's rows as the cache stores them.
///
/// # Errors
/// Only if serialisation fails (a bug).
pub fn encode(x: &Extract) -> std::io::Result<Vec<u8>> {
    // postcard: compact and fast; the entries are ours alone (the manifest stays JSON).
    postcard::to_allocvec(x).map_err(std::io::Error::other)
}

/// Rows stored by [`encode`]; `None` when the bytes are not such an entry.
pub fn decode(bytes: &[u8]) -> Option<Extract> {
    postcard::from_bytes(bytes).ok()
}

/// This run's pack, written in input order by the thread that consumes the files.
pub struct CacheWriter {
    file: std::io::BufWriter<std::fs::File>,
    name: String,
    offset: u64,
    files: BTreeMap<String, Entry>,
}

impl CacheWriter {
    /// Appends the rows of `source`.
    ///
    /// # Errors
    /// I/O failures writing the pack.
    pub fn append(&mut self, source: &str, sha256: &str, entry: &[u8]) -> std::io::Result<()> {
        self.file.write_all(entry)?;
        self.files.insert(
            source.to_string(),
            Entry {
                sha256: sha256.to_string(),
                offset: self.offset,
                len: entry.len() as u64,
            },
        );
        self.offset += entry.len() as u64;
        Ok(())
    }

    /// Completes the pack, replaces the manifest (the files not seen in this
    /// run are gone from it) and removes the previous pack.
    ///
    /// # Errors
    /// I/O failures writing the pack or the manifest.
    pub fn finish(self, cache: &Cache) -> std::io::Result<()> {
        let file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        let manifest = Manifest {
            key: cache.key.clone(),
            pack: self.name.clone(),
            files: self.files,
        };
        let bytes = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
        let tmp = cache.dir.join("manifest.json.tmp");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(tmp, cache.dir.join("manifest.json"))?;
        // Everything but the new pack and manifest: the old pack, and the
        // per-source entries of earlier versions.
        if let Ok(rd) = std::fs::read_dir(&cache.dir) {
            for e in rd.flatten() {
                let n = e.file_name();
                if n != "manifest.json" && n.to_str() != Some(self.name.as_str()) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        Ok(())
    }
}

/// The layout of the cached rows (postcard): raised when a record changes shape
/// within a version. 2: a diagnostic holds its message's arguments, not its text,
/// so one cache serves every language.
const FORMAT: u32 = 2;

/// The cache key of the mappings in force: the tool version, [`FORMAT`] and every mapping
/// file's path and text, built-in or the user's (not a folder's name: the same
/// texts from another folder give the same key, an edited built-in another).
pub fn mappings_key(files: &MappingFiles) -> String {
    sha256_hex(format!("{} {FORMAT} {}", env!("CARGO_PKG_VERSION"), files.key()).as_bytes())
}
