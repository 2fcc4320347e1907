//! Every diagnostic code, with its severity and meaning: the one list that
//! the code raises, `check` filters on, and README's table is generated from
//! (`torikumi schema`).

use serde::{Deserialize, Serialize};

use super::Severity;

/// Defines [`DiagCode`] from `Variant => ("code", Severity, "meaning")` lines.
macro_rules! diag_codes {
    ($($(#[$vm:meta])* $v:ident => ($s:literal, $sev:ident, $meaning:literal)),+ $(,)?) => {
        /// A diagnostic's stable code. Its severity is fixed by the code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum DiagCode { $($(#[$vm])* $v),+ }

        impl DiagCode {
            /// Every code, in the order of README's table.
            pub const ALL: &'static [DiagCode] = &[$(DiagCode::$v),+];

            /// The code as written to `diagnostics.code`.
            pub fn as_str(self) -> &'static str {
                match self { $(DiagCode::$v => $s),+ }
            }

            /// How serious a diagnostic with this code is.
            pub fn severity(self) -> Severity {
                match self { $(DiagCode::$v => Severity::$sev),+ }
            }

            /// What the code means, for people (README's table).
            pub fn meaning(self) -> &'static str {
                match self { $(DiagCode::$v => $meaning),+ }
            }

            /// The code whose string is `s`.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(DiagCode::$v),)+ _ => None }
            }
        }
    };
}

diag_codes! {
    UnreadableFile => ("unreadable_file", Error, "not a workbook, truncated, password-protected, empty, binary or too large: the message says what to do"),
    UnreadableFolder => ("unreadable_folder", Error, "a folder given as input cannot be listed"),
    MissingInput => ("missing_input", Error, "a path given as input does not exist"),
    NoLayout => ("no_layout", Warning, "no mapping recognised the file (e.g. meeting minutes); its cells are listed as `unmapped`"),
    EmptyWorkbook => ("empty_workbook", Warning, "the file holds no sheet with any cell"),
    SheetNotRecognised => ("sheet_not_recognised", Warning, "a sheet of a recognised file in which no item was found; the message names the labels that were expected"),
    ExampleSheet => ("example_sheet", Warning, "a sheet or item that calls itself a template's example or instructions, by its sheet name, its title cell or its item's title (`[rows] example_words`, `example_marks`): not read; its cells are listed as `unmapped`"),
    HiddenSheet => ("hidden_sheet", Warning, "a sheet the workbook hides was read like the visible ones: hidden sheets are often an earlier copy, so its rows may repeat or contradict the live ones; the message gives its cell count"),
    UnmappedValue => ("unmapped_value", Warning, "a value-like cell (a number, a number with a unit, a percentage, a status word) that no table of the layout takes"),
    UnplacedCell => ("unplaced_cell", Warning, "a value cell no header column covers; it is not guessed into a year or period"),
    YearNotDecoded => ("year_not_decoded", Warning, "a header names a column whose fiscal year cannot be read; its value cells are not turned into rows with a null year"),
    RowWithoutIndicator => ("row_without_indicator", Warning, "a table row with values but no indicator name"),
    AmbiguousRow => ("ambiguous_row", Warning, "a table row that could belong to more than one indicator or kind; it is not guessed"),
    AmbiguousColumn => ("ambiguous_column", Warning, "a table column whose values are read though the column is doubtful (the workbook hides it): they stay in the tables, and the message names how many cells were read and the first and last; or a KPI list's columns its header lines cannot place (a text line that lost a field, year labels off their groups of kinds): those are not read, each value an `unmapped_value`"),
    AmbiguousCell => ("ambiguous_cell", Warning, "a cell that could be read in more than one way; it is not guessed"),
    FewerYearsThanHeader => ("fewer_years_than_header", Warning, "a plan-table target row packed by extraction holds fewer years' values than its header has years: read in order from the first year, so a year left empty in between would move the later values; the message names the years assumed"),
    ItemHeadingMissing => ("item_heading_missing", Warning, "an item's fields (its divisions, its description and so on) before the first item heading, or a second set inside one item: their item's heading is written in a form the layout does not know, so those rows are not read rather than credited to the item above"),
    ItemWithoutTitle => ("item_without_title", Warning, "an item (one initiative sheet) whose number and title cannot be read; its rows carry empty initiative columns"),
    UnreadableCount => ("unreadable_count", Warning, "an evaluation count cell that is not `achieved / total`"),
    UndecodableBytes => ("undecodable_bytes", Warning, "a text line with bytes its encoding cannot decode"),
    SplitAtSpaces => ("split_at_spaces", Warning, "a text line with no tab among tab-separated ones, a label and figures set apart by full-width spaces (a PDF's wide gaps): split there into cells and read; an empty cell may have left no gap, so check the line's values against their columns"),
    DuplicateFile => ("duplicate_file", Warning, "same content as an earlier file; its rows are taken once"),
    FormulaError => ("formula_error", Warning, "`#DIV/0!` and the like in a cell, or a formula saved without its result"),
    DateInValueCell => ("date_in_value_cell", Warning, "a date where a number belongs"),
    NotEvaluable => ("not_evaluable", Warning, "an indicator's year cannot be evaluated (text target, units disagree, no numeric result)"),
    ConflictingValues => ("conflicting_values", Warning, "two cells of one file give the same indicator, year, period and kind different values (a row copied and edited, a table repeated); both rows are kept, the message names the other cell"),
    RepeatedValues => ("repeated_values", Warning, "a sheet gives values another sheet of the same file already gave (same item, indicator, year, period, kind and value: a copied sheet, a summary repeating the items): both rows are kept, so sums count them twice; one warning per pair of sheets, with the count"),
    PrintedAchievementDiffers => ("printed_achievement_differs", Warning, "an achievement rate or status the sheet prints disagrees with the one its own target and actual give; the message has both, the cell is the printed one"),
    EvaluationSourcesDisagree => ("evaluation_sources_disagree", Warning, "the same indicator read from two files (a workbook and its PDF text) gives different numbers"),
    Unmapped => ("unmapped", Info, "a non-empty cell no table of the layout holds: headings, prose, memo columns"),
    SlidTargetRepaired => ("slid_target_repaired", Info, "the last year's target had slid into the empty Q4 column (the Q4 actual was not yet reported); read as the target because it equals the indicator table's final target"),
    AsOfFromTitle => ("as_of_from_title", Info, "a list column of the running year's actuals with no point in time of its own is read as of the date the sheet's title gives (a list titled as of December), not as the year's full-year actuals"),
    ColumnNumberRow => ("column_number_row", Info, "a row right under a list's header that numbers its columns ((1) (2) 3 ... or circled numbers, as Japanese forms print): read as part of the header, not as an indicator or values"),
    HeaderTargetInferred => ("header_target_inferred", Info, "the header lacked the last year's target column; the column after Q4 is read as it, as every earlier year has one there"),
    ScheduleCellSplit => ("schedule_cell_split", Info, "the merged target/actual schedule rows were split: a two-word cell into target and actual, others kept whole as `target_actual`"),
    AchievementCell => ("achievement_cell", Info, "a printed achievement (rate or status word); kept in `evaluation.printed_achievement_rate` / `printed_status` and checked"),
    ScheduleReference => ("schedule_reference", Info, "a reference to a related goal in a schedule table"),
    Decoration => ("decoration", Info, "a ruling line or a page number (`- 4 -`) left by PDF extraction; read as a blank row, so a table split by a page break reads on"),
    LockFileSkipped => ("lock_file_skipped", Info, "an Excel lock file (`~$name`) was skipped"),
    NotAnInput => ("not_an_input", Info, "a file of a type torikumi does not read was skipped"),
}

impl std::fmt::Display for DiagCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compares with the code's string (`d.code == "unmapped"`).
impl PartialEq<&str> for DiagCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// README's table of diagnostic codes, as Markdown.
pub fn codes_markdown() -> String {
    let mut out = String::from("| code | severity | meaning |\n| --- | --- | --- |\n");
    for c in DiagCode::ALL {
        out.push_str(&format!("| `{}` | {} | {} |\n", c.as_str(), c.severity().as_str(), c.meaning()));
    }
    out
}
