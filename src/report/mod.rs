//! `torikumi report`: one self-contained HTML page from a previous ingest's
//! Parquet, for the review committee and the divisions.
//!
//! ```text
//! ┌ 評価集計 ─ per plan, per goal: stacked bar of the status counts per fiscal
//! │            year (evaluation_summary as it is) + the same counts as a table
//! ├ 評価     ─ per indicator: a chart of every numeric observation (quarterly
//! │            actuals, yearly targets, baseline), the latest achievement and
//! │            status, the printed achievement where the sheet had one
//! ├ 診断     ─ what could not be read: warnings and errors by file and sheet,
//! │            each with its cell address and raw text
//! └ 入力ファイル ─ the sources: cells read = mapped + in diagnostics
//! ```
//!
//! The page has no JavaScript and fetches nothing: styles and charts
//! (SVG generated in [`svg`]) are inline, and a Content-Security-Policy
//! forbids any load, so a cell that smuggled markup past the escaping could
//! still not run or fetch anything. Every text from the inputs goes through
//! [`esc`]: plain `format!` with one escape function rather than a templating
//! crate, as the page is a handful of fixed shapes and the escape is five
//! characters (and control characters) a test checks.

mod html;
pub mod phrases;
pub mod read;
pub mod svg;

use std::path::{Path, PathBuf};

use crate::mapping::display::DisplayLabels;
pub use phrases::Phrases;
pub use read::{Tables, read_dir, read_with};

/// Evaluation statuses, in the order the report stacks and lists them
/// (the count columns of `evaluation_summary`).
pub const STATUSES: [&str; 4] = ["achieved", "not_achieved", "pending", "not_evaluable"];

/// File name of the report inside an output folder (`ingest --formats html`).
pub const REPORT_FILE: &str = "report.html";

/// Why the report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A table is missing (no ingest yet, or a different folder), not
    /// Parquet, or lacks a documented column.
    #[error(transparent)]
    Read(#[from] crate::table::ReadError),
    /// `mappings/report/phrases.toml` cannot be read or lacks a phrase.
    #[error("{path}: {message}")]
    Phrases { path: PathBuf, message: String },
    /// The page cannot be written.
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// The page for `tables`, labelled with `labels` (`mappings/display.toml`)
/// and `phrases` (`mappings/report/phrases.toml`).
pub fn render(tables: &Tables, labels: &DisplayLabels, phrases: &Phrases) -> String {
    html::page(tables, labels, phrases)
}

/// Writes the page for `tables` to `path`, through a temporary file renamed
/// into place, so a reader never sees half a page.
///
/// # Errors
/// The folder cannot be made or the file written or renamed.
pub fn write(path: &Path, tables: &Tables, labels: &DisplayLabels, phrases: &Phrases) -> Result<(), ReportError> {
    let page = render(tables, labels, phrases);
    crate::sink::atomic(path, |tmp| {
        std::fs::write(tmp, page.as_bytes()).map_err(|source| crate::sink::SinkError::Io {
            path: tmp.to_path_buf(),
            source,
        })
    })
    .map_err(|e| match e {
        crate::sink::SinkError::Io { path, source } => ReportError::Io { path, source },
        other => ReportError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(other.to_string()),
        },
    })
}

/// `text` safe in HTML text and in double- or single-quoted attributes: the
/// five markup characters as references, control characters (which HTML
/// does not allow, and a cell may hold) as U+FFFD.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_neutralises_markup_quotes_and_controls() {
        assert_eq!(
            esc(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
        assert_eq!(esc("a\u{0}b\u{7f}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
        assert_eq!(esc("目標　１００％"), "目標　１００％");
    }
}
