//! Inputs → cell grids. Workbooks and PDF-derived text become the same
//! [`Grid`] so that layout recognition is written once.

pub mod biff;
pub mod grid;
pub mod ods;
pub mod text;
pub mod workbook;
pub mod xlsb;
pub mod xlsx_extras;
pub mod year_label;

use std::path::Path;

use sha2::{Digest, Sha256};

pub use grid::{Cell, CellValue, Grid, Merge, a1};

/// Input kinds by file extension.
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];
/// Text kinds by file extension.
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "tsv", "csv"];

/// Resource limits checked before a file is expanded in memory.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_file_bytes: u64,
    /// Most non-empty cells accepted in one sheet.
    pub max_cells_per_sheet: u64,
    /// Most bytes a zip-based workbook's parts may expand to.
    pub max_uncompressed_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 * 1024 * 1024,
            max_cells_per_sheet: 2_000_000,
            max_uncompressed_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Why a file could not be read at all. Each variant says what to do.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is empty")]
    Empty,
    #[error("the file holds binary data, not text; export the sheet as tab-separated text or save it as .xlsx")]
    Binary,
    #[error("the workbook is password-protected; save an unprotected copy and ingest that")]
    Encrypted,
    #[error("not a readable workbook ({0}); open it in Excel and save it again as .xlsx")]
    Workbook(String),
    #[error("too large: {0}; raise the limit if this is intended")]
    TooLarge(String),
    #[error("unsupported file type '.{0}'")]
    Unsupported(String),
}

impl SourceError {
    /// Classifies calamine's error text (its error type differs per format).
    pub fn from_calamine(msg: &str) -> Self {
        let lower = msg.to_lowercase();
        if lower.contains("password") || lower.contains("encrypt") {
            SourceError::Encrypted
        } else {
            SourceError::Workbook(msg.to_string())
        }
    }
}

/// One input file read into grids.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    /// `xlsx`, `txt`, …
    pub format: String,
    /// For text inputs, the encoding detected.
    pub encoding: Option<String>,
    /// Lines (1-based) holding undecodable bytes, for text inputs.
    pub bad_lines: Vec<u32>,
    pub sha256: String,
    pub grids: Vec<Grid>,
}

/// Lower-case extension of `path`.
pub fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// True for files `ingest` reads.
pub fn is_input(path: &Path) -> bool {
    let ext = extension(path);
    WORKBOOK_EXTENSIONS.contains(&ext.as_str()) || TEXT_EXTENSIONS.contains(&ext.as_str())
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses a file of `len` bytes past the limit.
fn check_size(len: u64, limits: &Limits) -> Result<(), SourceError> {
    if len > limits.max_file_bytes {
        return Err(SourceError::TooLarge(format!(
            "{len} bytes, more than the limit of {}",
            limits.max_file_bytes
        )));
    }
    Ok(())
}

/// Reads one input file.
///
/// # Errors
/// Any [`SourceError`]; the caller turns it into a diagnostic and goes on.
pub fn read(path: &Path, limits: &Limits) -> Result<SourceDoc, SourceError> {
    // Checked before reading, so a huge file never reaches memory.
    check_size(std::fs::metadata(path)?.len(), limits)?;
    let bytes = std::fs::read(path)?;
    from_bytes(path, &bytes, sha256_hex(&bytes), limits)
}

/// Reads an input file whose content is `bytes`, of hash `sha256` (both
/// already at hand, for example from a cache look-up): the file is read from
/// disk and hashed once.
///
/// # Errors
/// Any [`SourceError`]; the caller turns it into a diagnostic and goes on.
pub fn from_bytes(path: &Path, bytes: &[u8], sha256: String, limits: &Limits) -> Result<SourceDoc, SourceError> {
    let ext = extension(path);
    check_size(bytes.len() as u64, limits)?;
    if bytes.is_empty() {
        return Err(SourceError::Empty);
    }
    if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
        let grids = workbook::read(bytes, &ext, limits)?;
        return Ok(SourceDoc {
            format: ext,
            encoding: None,
            bad_lines: Vec::new(),
            sha256,
            grids,
        });
    }
    if TEXT_EXTENSIONS.contains(&ext.as_str()) {
        let decoded = text::decode(bytes)?;
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("text");
        let grid = text::to_grid(stem, &decoded.text, ext == "csv");
        if grid.len() as u64 > limits.max_cells_per_sheet {
            return Err(SourceError::TooLarge(format!(
                "{} cells, more than the limit of {}",
                grid.len(),
                limits.max_cells_per_sheet
            )));
        }
        return Ok(SourceDoc {
            format: ext,
            encoding: Some(decoded.encoding.to_string()),
            bad_lines: decoded.bad_lines,
            sha256,
            grids: vec![grid],
        });
    }
    Err(SourceError::Unsupported(ext))
}
