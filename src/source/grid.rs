//! The one in-memory shape every input becomes: a sparse grid of cells with A1
//! positions, raw text, typed value, number format and merged regions.
//!
//! ```text
//!        A            B         C ...
//!   1  指標項目    基準年(R1)   令和3年度 ─────────┐  ← merged C1:F1
//!   2                          1四半期  2四半期 …
//!   3  ①電子化率   7.0%        8.3%     8.6%    …
//! ```
//! Rows and columns are 0-based internally; `a1()` renders the 1-based address.

use chrono::NaiveDateTime;

/// The typed content of a cell, as the source reported it.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Text (text inputs are always text); the text itself is [`Cell::raw`].
    Text,
    /// A number typed in a workbook, with its number format beside it in [`Cell::format`].
    Number(f64),
    /// A boolean typed in a workbook.
    Bool(bool),
    /// A date or date-time typed in a workbook.
    Date(NaiveDateTime),
    /// A formula error such as `#DIV/0!`.
    Error(String),
    /// A formula saved without its result (by a program that does not
    /// calculate); [`Cell::raw`] is the formula, `=` first.
    Uncomputed,
}

/// One non-empty cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    /// The text as a reader of the sheet saw it (numbers rendered through their format).
    pub raw: String,
    pub value: CellValue,
    /// Excel number format code, when the workbook gave one other than General.
    pub format: Option<String>,
}

impl Cell {
    /// A1 address of this cell.
    pub fn a1(&self) -> String {
        a1(self.row, self.col)
    }
}

/// An inclusive rectangle of merged cells, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

impl Merge {
    /// Whether (row, col) lies in this region.
    pub fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row) && (self.first_col..=self.last_col).contains(&col)
    }
}

/// A sheet (or a whole text file) as a sparse grid.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Sheet name; for text inputs the file stem.
    pub name: String,
    /// Non-empty cells per row, each row sorted by column. Index = row number.
    rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
    /// Text inputs: the number of fields on each line, empty ones included.
    /// Text from a PDF may have lost an empty cell and moved the rest of its
    /// line left: a line with fewer fields than its header cannot be placed by column.
    pub line_fields: Option<Vec<u32>>,
    /// Text inputs: the lines (row, text as read) that had no tab and were
    /// split at their wide gaps of full-width spaces (see `text::to_grid`).
    pub split_lines: Vec<(u32, String)>,
    /// The workbook hides this sheet (hidden or very hidden): an old copy or a
    /// working list as often as live data, so reading it is reported.
    pub hidden: bool,
    /// Cells whose font is struck through (`.xlsx`): often a value voided by
    /// hand, but read as any other; the layout says so when it reads one.
    pub struck: Vec<(u32, u32)>,
    /// Rows the sheet hides (`.xlsx`): often an old row kept out of sight,
    /// read as any other; the layout says so when a table reads one.
    pub hidden_rows: Vec<u32>,
    /// Column ranges the sheet hides (`.xlsx`), 0-based and inclusive: an
    /// earlier year or a first target kept out of sight as often as a helper
    /// column, read as any other; the layout says so when a table reads one.
    pub hidden_cols: Vec<(u32, u32)>,
}

impl Grid {
    /// An empty grid named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Grid {
            name: name.into(),
            rows: Vec::new(),
            merges: Vec::new(),
            line_fields: None,
            split_lines: Vec::new(),
            hidden: false,
            struck: Vec::new(),
            hidden_rows: Vec::new(),
            hidden_cols: Vec::new(),
        }
    }

    /// Adds a cell; cells whose raw text is blank are skipped (they hold nothing to account for).
    pub fn push(&mut self, cell: Cell) {
        if cell.raw.trim().is_empty() && !matches!(cell.value, CellValue::Number(_)) {
            return;
        }
        let r = cell.row as usize;
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut self.rows[r];
        match row.binary_search_by_key(&cell.col, |c| c.col) {
            Ok(i) => row[i] = cell,
            Err(i) => row.insert(i, cell),
        }
    }

    /// Text inputs: the number of fields on line `r` (0 past the end); None for workbooks.
    pub fn fields_on_line(&self, r: u32) -> Option<u32> {
        let lines = self.line_fields.as_ref()?;
        Some(lines.get(r as usize).copied().unwrap_or(0))
    }

    /// Number of rows (last non-empty row + 1).
    pub fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    /// The non-empty cells of row `r`, sorted by column.
    pub fn row(&self, r: u32) -> &[Cell] {
        self.rows.get(r as usize).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The cell at (row, col), if non-empty.
    pub fn get(&self, row: u32, col: u32) -> Option<&Cell> {
        let cells = self.row(row);
        cells.binary_search_by_key(&col, |c| c.col).ok().map(|i| &cells[i])
    }

    /// Trimmed raw text at (row, col); empty when there is no cell.
    pub fn text(&self, row: u32, col: u32) -> &str {
        self.get(row, col).map(|c| c.raw.trim()).unwrap_or("")
    }

    /// The cell at (row, col), or the top-left cell of the merged region covering it.
    pub fn get_merged(&self, row: u32, col: u32) -> Option<&Cell> {
        self.get(row, col).or_else(|| {
            let m = self.merges.iter().find(|m| m.contains(row, col))?;
            self.get(m.first_row, m.first_col)
        })
    }

    /// The merged region whose top-left cell is (row, col), if any.
    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Merge> {
        self.merges.iter().find(|m| m.first_row == row && m.first_col == col)
    }

    /// All non-empty cells, row-major.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.rows.iter().flatten()
    }

    /// Count of non-empty cells.
    pub fn len(&self) -> usize {
        self.rows.iter().map(Vec::len).sum()
    }

    /// True when the grid holds no cell.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Column number (0-based) → letters: 0 → A, 26 → AA.
pub fn col_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// 0-based (row, col) → A1 address.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", col_letters(col), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(70, 16), "Q71");
        assert_eq!(a1(9, 26), "AA10");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn merged_lookup_returns_origin() {
        let mut g = Grid::new("s");
        g.push(Cell {
            row: 0,
            col: 2,
            raw: "令和3年度".into(),
            value: CellValue::Text,
            format: None,
        });
        g.merges.push(Merge {
            first_row: 0,
            first_col: 2,
            last_row: 0,
            last_col: 5,
        });
        assert_eq!(g.get_merged(0, 4).map(|c| c.raw.as_str()), Some("令和3年度"));
        assert!(g.get(0, 4).is_none());
        assert!(g.get_merged(0, 6).is_none());
    }
}
