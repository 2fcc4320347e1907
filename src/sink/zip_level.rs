//! How consolidated.xlsx is compressed and saved.
//!
//! rust_xlsxwriter 0.102 deflates every part of the package on one thread
//! when the workbook is saved (its low-memory sheets are already on disk as
//! XML, so nothing else is left to do in parallel then). For a large run that
//! deflate is the longest serial step of the workbook: about 160 MB of sheet
//! XML at 1,000 division files. The crate offers no stored (uncompressed)
//! mode and no parallel deflate, only the level. Those 164 MB deflated alone
//! on this project's machine: level 3 1.1–1.2 s to 18.9 MB, level 2 0.8 s to
//! 20.0 MB, level 1 (zlib-rs's "quick" strategy) 0.5 s to 28.6 MB; inflating
//! 0.4 s. Re-deflating in parallel after the save would cost an inflate and a
//! second deflate, more than it saves on two cores. So large workbooks are
//! saved at level 1; small ones keep level 3, Excel's own choice, where the
//! time does not show.

use std::path::Path;
use std::time::Instant;

use rust_xlsxwriter::{Workbook, XlsxError};

/// Rows (over all tables) from which the workbook is saved at the fast level.
pub const FAST_FROM_ROWS: usize = 200_000;

/// Deflate level for a workbook holding `rows` table rows: 1 for large ones,
/// 3 otherwise.
pub fn level_for(rows: usize) -> u8 {
    if rows >= FAST_FROM_ROWS { 1 } else { 3 }
}

/// Saves `book` to `path` at the level [`level_for`] picks for `rows`. With
/// `TORIKUMI_TIMINGS` set, prints the save's wall time on stderr (the bench
/// quotes it as the cost of the single-threaded deflate).
///
/// # Errors
/// Whatever rust_xlsxwriter's save returns.
pub fn save(book: &mut Workbook, path: &Path, rows: usize) -> Result<(), XlsxError> {
    let level = level_for(rows);
    book.set_zip_compression_level(level);
    let start = Instant::now();
    let saved = book.save(path);
    if std::env::var_os("TORIKUMI_TIMINGS").is_some() {
        eprintln!(
            "timing: consolidated.xlsx, of which the save (one thread, deflate level {level}, {rows} rows): {:.2} s",
            start.elapsed().as_secs_f64()
        );
    }
    saved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_workbooks_take_the_fast_level() {
        assert_eq!(level_for(0), 3);
        assert_eq!(level_for(FAST_FROM_ROWS - 1), 3);
        assert_eq!(level_for(FAST_FROM_ROWS), 1);
    }

    /// A workbook saved at the fast level reads back cell for cell.
    #[test]
    fn fast_level_workbook_reads_back() {
        use calamine::{Data, Reader};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fast.xlsx");
        let mut book = Workbook::new();
        let ws = book.add_worksheet_with_low_memory().unwrap();
        for r in 0..2000u32 {
            ws.write_string(r, 0, format!("indicator {r}")).unwrap();
            ws.write_number(r, 1, f64::from(r) * 0.5).unwrap();
        }
        save(&mut book, &path, FAST_FROM_ROWS).unwrap();
        let mut back: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let range = back.worksheet_range("Sheet1").unwrap();
        assert_eq!(range.get_size(), (2000, 2));
        assert_eq!(range.get_value((1999, 0)), Some(&Data::String("indicator 1999".into())));
        assert_eq!(range.get_value((1999, 1)), Some(&Data::Float(999.5)));
    }
}
