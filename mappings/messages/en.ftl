# torikumi's messages in English (Project Fluent, https://projectfluent.org).
#
# One message per diagnostic code (its id is the code, as in the diagnostics
# table) and one per line of a run summary. `$name` is an argument the program
# passes; `$case` picks the wording where one code has several (`{ $case -> … }`).
# `{ FY($fy) }` shows a fiscal year: FY2023 here, 令和5年度 in ja.ftl (the eras
# of vocabulary.toml).
# Every id here must be in ja.ftl too: `torikumi check` refuses a catalogue
# that lacks one, names an unknown one, or does not parse (README, "Language").

## Diagnostics

unreadable_file = { $case ->
    [io] cannot read the file: { $detail }
    [empty] the file is empty
    [binary] the file holds binary data, not text; export the sheet as tab-separated text or save it as .xlsx
    [encrypted] the workbook is password-protected; save an unprotected copy and ingest that
    [workbook] not a readable workbook ({ $detail }); open it in Excel and save it again as .xlsx
    [too-large] too large: { $detail }; raise the limit if this is intended
   *[unsupported] unsupported file type '.{ $detail }'
}
unreadable_folder = cannot read the folder: { $error }
missing_input = no such file or folder
no_layout = { $case ->
    [no-tabs] no layout in force recognised this file: its lines have no tab, their columns are lined up with spaces (text extracted from a PDF with its layout). Extract it with tabs between the cells (pdftotext without -layout, or save the sheet as tab-separated text), or open the PDF's table in Excel and save it as a workbook
   *[file] no layout in force recognised this file (torikumi mappings list shows them); its cells are listed as unmapped. If it is an initiative sheet, add a mapping (see the README)
}
empty_workbook = the file holds no sheet with any cell
sheet_not_recognised = { $case ->
    [no-tabs] this sheet carries the labels of layout { $layout }, but its lines have no tab: their columns are lined up with spaces (text extracted from a PDF with its layout), so no table in it could be read, and nothing was. Extract it with tabs between the cells (pdftotext without -layout, or save the sheet as tab-separated text), or open the PDF's table in Excel and save it as a workbook
    [list] this sheet carries the labels of list layout { $layout } but no row holds its indicator column label ({ $labels }); its cells are not read
    [no-item] this sheet carries the labels of layout { $layout } but no item starts in it (no row begins with { $anchor }); its cells are not read
   *[other-sheets] other sheets of this file are layout { $layout }, but this one lacks its labels { $labels }; its cells are not read. If it is an item sheet, check those labels (or add a mapping)
}
example_sheet = { $case ->
    [title] this sheet's title («{ $label }») calls it a template's example: its { $cells } cells are not read as data. If it holds live data, take the example word out of the title
    [item] this item's title («{ $label }») marks it as a template's example: the { $cells } cells of its rows are not read as data. If it is live data, take the mark out of the title
   *[name] this sheet is named as a template's example or instructions («{ $sheet }»): its { $cells } cells are not read as data. If it holds live data, rename it
}
hidden_sheet = this sheet is hidden in the workbook, and its { $cells } cells are read like those of the visible sheets. If it is an earlier copy or a working list, delete it; if it is live, unhide it
unmapped_value = a value no table of the layout takes: it is not in the output tables. Check the table's header labels above it
unplaced_cell = { $case ->
    [unit-before-value] a unit where the year's value goes, a number after it (件 | 600): read in order, this and every later value of the row would fall a year late, so none is read. Put the value before its unit
    [set-apart] a cell set apart from the row's values; not guessed into a year
    [no-baseline] a value where the header has no baseline column
    [extra-cells] more cells than the header has years; not guessed into a year
    [achievement] no year header covers this achievement cell; not guessed
    [schedule] no header column or task covers this schedule cell; it is not guessed into a period
   *[progress] no header column covers this cell; it is not guessed into a year or period
}
year_not_decoded = { $case ->
    [kpi] the KPI entry «{ $entry }» names no fiscal year that can be read; it is not read (write the year with an era of the vocabulary in digits, R5 or 令和5年度, or as a four-digit year)
    [list-achievement] a printed achievement rate in column { $column }, whose header names no fiscal year: which year's it is the header does not say, so it is not kept to be checked against the evaluation's. Write the year in the header (達成率（R5）)
    [list] the header of column { $column } names no fiscal year that can be read; the value is not given a year
    [progress-no-header] the header of column { $column } (none) names no fiscal year that can be read; the value is not given a year (write the year with an era of the vocabulary, or as a four-digit year)
   *[progress] the header of column { $column } ({ $headers }) names no fiscal year that can be read; the value is not given a year (write the year with an era of the vocabulary, or as a four-digit year)
}
row_without_indicator = { $case ->
    [total] a row of totals («{ $label }»), not an indicator: its values are not read as one. If it is an indicator, give it its own name
    [example] a template's example row («{ $label }»), not live data: its values are not read. If it is live data, take the example word out of it
    [placeholder] a template's placeholder name («{ $label }»: ○○, △△ stand for a name never filled in), not an indicator: its values are not read. If it is live data, write the indicator's name
    [plan] values before any indicator name; they cannot be placed
    [list] a value in a row with no indicator (or before any item); it cannot be placed
    [list-kind-again] a second «{ $kind }» row under the indicator «{ $indicator }», with no name of its own: a row of another indicator whose name is missing, or a second figure for the same years? Not read; write the indicator's name in the row
   *[progress] a value row with no indicator name; it cannot be placed
}
ambiguous_row = { $case ->
    [hidden] this row is hidden in the workbook, yet its { $cells } values are read like those of the visible rows: a hidden row is often an old one kept out of sight. If it is not live data, delete it
    [plan-actual-aligned] this 実績 value stands under { FY($fy) }'s 目標, but in the row's order it would be { FY($fy_order) }'s: read as { FY($fy) }'s, where it stands. If an earlier year's actual is missing, put a dash there
    [item-number] the number column says { $column }, but the item's title carries its own number ({ $title }): the item is read as number { $title }, as its per-item sheet is numbered. If the column is the item's number, remove the number from the title
    [title-wrapped] an item cell with no number, right under the item's own cell or in a row whose indicator carries on the item above's numbering: read as the rest of that item's title («{ $title }»), not as an item of its own. If it is a new item, give it its number
    [number-name] this row's number ({ $number }) is that of «{ $by_number }», but its name is that of «{ $by_name }»: its values are read as «{ $by_name }»'s. Check the numbers
    [plan-no-kind] a plan-table row without a target/actual label; it cannot be placed
    [plan-bare-achievement] a number without % right after a value and its unit ({ $cells }): read as that year's printed achievement (a 0% cell copied without its format shows 0), not as the next year's value. If it is the next year's value typed without its unit, every later value in this row belongs one year earlier: type its unit beside it
    [name-split] this row's name has no number, and the numbered row above it («{ $above }») has no value: the rest of that name, with its values, broken onto this row? Read as an indicator of its own, as written. If it is the rest of the name, put the name in one cell
    [name-only] a name without a number or any value, under numbered indicators: the rest of the name above it, or a title? Not read as an indicator. If it continues the name, put it in the same cell
   *[indicator-table] an indicator row with more cells than name and final target; which one is the target is unclear
}
ambiguous_column = { $case ->
    [header-short] header line { $line } of this list has { $fields } fields where its rows have { $width }: a field (an empty one, or a tab) was dropped when the text was extracted, so which column each of its labels ({ $headers }) heads cannot be told. No column from { $from } on is read by this header (its values are listed as unread), rather than one column off. Put the dropped fields back (keep the empty ones) and ingest it again
    [year-off-group] the year labels { $labels } do not stand over the first column of their group of kinds ({ $group }, again and again from column { $from }): which year each column is cannot be told, so no column from { $from } on is read by this header (its values are listed as unread), rather than as the year before. Put each year label over the first column of its group, or merge it over the group
   *[hidden] column { $column } is hidden in the workbook, yet { $cells } of its cells ({ $first } to { $last }) are read into the tables like those of the visible columns: a hidden column is often an old one (an earlier year, a first target) kept out of sight. If it is not live data, delete it
}
ambiguous_cell = { $case ->
    [placeholder-name] values are read under the name «{ $name }», which holds a template's placeholder (○○, △△): a template's example, or a name never filled in? Check them, and write the indicator's name
    [spaced-figures] this cell holds a label and { $figures } figures set apart by spaces, one line of values whose tabs became spaces (a PDF's extraction)? None of its figures is read, and the line is taken for no heading or title. Put a tab between its cells (or extract the PDF again with tabs)
    [bare-among-units] { $value } has no unit, among values in { $unit } in its row: { $value }{ $unit } with the unit left off? Read as { $value } with no unit; type { $value }{ $unit }
    [unit-differs] { $value } is read in the unit { $unit }, while its row's other values are in { $other }: words after the value, or a slip of typing? Kept as read, so no evaluation compares it with the others; write { $other } alone after the number, and any note in brackets (（見込み）)
    [bare-among-percents] { $value } has no unit, among percentages of its size in its row: { $value }% with the percent left off? Read as { $value } with no unit, so no evaluation takes it as a percentage; type { $value }%
    [item-number-unread] the item's title «{ $title }» starts with a number the mapping's number_pattern does not read: its rows carry no item number, so they join with none of the item's other sheets. Write the number as the pattern knows it ((1) 電子申請…), or add this form to number_pattern
    [kpi-in-field] this { $field } field's text holds KPI entries with values (R5：65% …), but the layout reads KPIs only from its KPI field: they are not read. Move them to the KPI field
    [kpi-entry-note] the KPI entry «{ $entry }» is followed by «{ $note }», a bracket or words holding a value with no year the KPI syntax reads: the entry is read, that value is not. Write its year as the syntax does (（R5実績：60.2%）, （R4上期：54.7%）) to have it read as a past value
    [kpi-year-disagrees] the KPI entry «{ $entry }» is labelled { FY($fy) } and, in brackets, { $western }: which year is it? Not read; write one year (R5：65%)
    [kpi-bracketed-value] the KPI entry «{ $entry }» has its value in brackets: provisional, an estimate, or a negative as accounts write one? Not read; write the value without brackets (R6：60課所), a negative with a minus sign or ▲
    [kpi-stray-bracket] the KPI entry «{ $entry }» has «{ $bracket }» beside it, a bracket that opens or closes no pair the KPI syntax knows (left unclosed, or a kind of bracket not listed): a past value in brackets, or a target? Not read; close the bracket, or add the pair to the layout's other_brackets (inline_kpi), as 【】 is, to have it read as (R4上期：54.7%) is
    [period-for-comma] { $value } among whole numbers of the same unit in the hundreds or more: a decimal, or { $thousands } with a period typed for the thousands comma? Read as written; if it is { $thousands }, type the comma
    [slid-column] the { FY($fy) } target column is empty in every row of this table, and the year's targets sit in this last quarter's column instead (text from a PDF), where the others equal the indicator table's final targets: this value does not (a revised target, a KPI the indicator table lacks, or a Q4 actual?). Not read; type it in the column it belongs to
    [slid-target] the { FY($fy) } target cell is empty and this Q4 value sits beside it, in a row that fills other years' targets: the year's target slid one column left (as in text from a PDF), or its Q4 actual? It is not the indicator table's final target for that year, so it cannot be told and is not read. Type it in the column it belongs to
    [struck] this value is struck through: read as a live value. If it was struck out to void it, delete it (or type the value that replaces it)
    [whole-in-percent-cell] { $value }% in a percent cell, where the row's other percentages are a tenth of it or less: { $typed } typed into a cell formatted as a percentage? Read as { $value }%, as the sheet shows it; type { $typed }%
    [fraction-among-percents] { $value } has no unit, among percentages in its row: a ratio ({ $percent }%) or { $value }%? Read as { $value } with no unit; type it as a percentage
    [kpi-fraction-among-percents] the KPI entry «{ $entry }» has no unit, among the KPI's values in %: a ratio ({ $percent }%) or { $value }%? Read as { $value } with no unit; write it as a percentage
    [kpi-bare-among-units] the KPI entry «{ $entry }» has no unit, among the KPI's values in { $unit }: { $value }{ $unit } with the unit left off? Read as { $value } with no unit, so no evaluation takes it as { $unit }; write { $value }{ $unit }
    [bracketed-kind] the KPI values in brackets «{ $entries }» have no word saying whether they are targets or actuals: read as baselines (past values). If they are interim targets, write 目標 in the brackets (（中間目標 R5：65%）)
    [year-range] the KPI entry «{ $entry }» gives one value for the years { FY($from) } to { FY($to) }: for each year, or for them together? Read as { FY($to) }'s only; write 各 before the value (R5～R7：各60課所) if it holds for each year
    [merged-across] a value merged over { $region }, cells the table reads as other years, kinds or indicators: one value for each, or one for them together? Read for this cell only; type it into each cell if it holds for each
    [kpi-name-holds-values] the KPI named «{ $name }» still holds values in its name: entries whose year is written in a way the mapping's KPI syntax does not know (write them as R5：65%); those values are not read
    [kpi-name-is-unit] a KPI is named «{ $name }», a unit word: the unit of the value before it, set apart by a space, or a KPI's name? Read as a name; write the unit next to its value (R5：60課所)
    [kpi-without-marker] year-labelled numbers in a field whose KPIs start with { $marker }, but this cell has no { $marker }: kept as text, not read as KPIs. Add the marker as written here to the mapping's other_markers
    [plan-before-kind] a cell before the target/actual label that is neither a group, an indicator nor a KGI number
    [baseline-as-text] a baseline with a number that is not read as one (a year or note beside it?): kept as text; write the value alone, its year in the header
    [division-figure] a figure in the division column, where division names belong: not read as a division. Is the header one column off? Check the header labels above it
    [division-word] «{ $value }» in the division column is a status, an achievement or a year's value, not a division's name: not read as a division. Are the row's cells shifted, or the header one column off? Check the header labels above it
    [row-long] this row of text has more fields than its header lines ({ $fields }): a cell was split in two (a value and its unit?) or an empty one added when the text was extracted, and where cannot be told, so no value of the row is read. Join the split cell and ingest it again
    [row-short] this row of text has fewer fields than its header lines ({ $fields }): an empty cell was dropped when the text was extracted, and which one cannot be told, so no value of the row is read. Put a dash where a value is empty and ingest it again
    [number-in-text] a value cell whose text holds a number behind words (a date, an as-of note?): kept as text, not read as a value, so an evaluation falls back to an earlier figure. Write the value alone (88.7%), its date in the header or a note column
    [word-as-value] «{ $value }» where this indicator's other values are numbers: a word the vocabulary does not know (not 集計中, 調査中 or a dash), kept as text and not read as a value, so no evaluation takes it. Write the figure; if it is not known yet, 集計中 or 調査中; if there is none, a dash (―)
    [zero-shown-as-dash] a cell holding the number 0 that the sheet shows as «{ $value }» through its number format (会計 or a zero section such as "－"): read as 0, as stored; if the dash means no figure, clear the cell or type ―
    [number-as-text] a value that starts with a number but is not read as one (a decimal typed with 、, words after it?): kept as text; write the number alone (34.5%)
    [unit-on-next-line] { $value } ends its line, and the next line, with no target/actual label, starts with «{ $unit }»: a line broken in two by extraction, the value's unit on the next line? Read as { $value } with no unit, so no evaluation takes it as { $unit }; join the two lines and ingest the file again
    [plan-unit-differs] a unit cell beside a value that already has its unit ({ $unit }), and a different one: the value keeps its own; check which is meant
    [undated-month] column { $column }'s header names a month but no point in time: the month's own figure, or the figure as of its end? Not read, and not taken as the whole year's. Head the column with the month's end (`実績値（12月末）`) or a range from April (`（4～12月）`)
    [row-kind-unknown] the row's kind (区分) is «{ $kind }», neither a target nor an actual word of the vocabulary: the row's values under a year alone are not read, not guessed. Write 目標 or 実績 there (or add the word to vocabulary.toml [header])
    [row-kind-conflict] the row's kind (区分) is «{ $kind }», but the header of column { $column } names another kind: which one holds cannot be told, so the value is not read. Head the column with its year alone, or move the value to a row of its kind
   *[list-no-kind] the header names a year but not whether the column holds targets or actuals; not guessed
}
fewer_years_than_header = this target row holds { $found } targets for the header's { $years } years, its cells packed together with no empty cell to show which year was left empty: they were read in order as { FY($fy) } to { FY($fy_to) } (the header runs to { FY($fy_last) }). If a year in between was left empty, the later targets belong to later years: check the source and type the missing year's target, or a dash
item_heading_missing = { $case ->
    [inside] «{ $label }» and other fields of an item again, inside item { $item } (which starts at row { $from }): the heading of the item they belong to is written in a form the layout does not know, so the rows from here to the next item are not read, rather than credited to item { $item }. Write that heading as the layout's items start ({ $anchor })
   *[before-first] «{ $label }» and other fields of an item, before the first item heading: their item's heading is written in a form the layout does not know, so these rows are not read. Write it as the layout's items start ({ $anchor })
}
item_without_title = this item has no readable number or title; its rows carry empty initiative columns
unreadable_count = an evaluation count that is not «achieved / total»
undecodable_bytes = line { $line } holds bytes that are not valid { $encoding }; the characters show as U+FFFD. Save the file in one encoding (UTF-8 or Shift_JIS)
split_at_spaces = line { $line } has no tab: its label and figures were set apart by full-width spaces (a PDF's wide gaps), so it was split there into { $fields } cells and read. An empty cell may have left no gap and moved the figures after it one column left: check the line's values against the header's columns, or extract the PDF again with tabs between the cells
duplicate_file = same content as { $first }; its rows are taken once, from that file
formula_error = { $case ->
    [unread] formula error { $error } in a cell no table reads
    [uncomputed] a formula saved without its result (by a program that does not calculate), so the cell holds no value; open the file in Excel or LibreOffice, save it and ingest it again
   *[value] a formula error where a value belongs; fix the formula in the source sheet
}
date_in_value_cell = a date where a number belongs; kept as text
not_evaluable = KPI { $indicator } { FY($fy) } is not evaluable: { $case ->
    [text-target] the target is text, not a number
    [target-no-value] the target has no value (status { $status })
    [actual-no-value] the actual in { $sheet } { $cell } has no value (status { $status }, { $raw })
    [percent-as-fraction] the actual { $actual } in { $sheet } { $cell } has no unit and the target is { $target }%: a ratio ({ $percent }%) or { $actual }%? Type it as a percentage ({ $raw })
    [quarter-units] the quarterly values' units disagree: { $units }
   *[units] the units disagree: target { $target } { $target_unit }, actual { $actual } { $actual_unit } ({ $sheet } { $cell }, { $raw })
}
conflicting_values = { $indicator }: { $raw } here, but { $other_raw } in { $other_cell } for the same year, period and kind; both rows are kept: check which is right
repeated_values = { $count } values from here on repeat, one for one, those from { $other_cell } on (same item, indicator, year, period and kind): a copied sheet, or a summary of the items? Both are kept, so sums and counts take them twice. Delete the copy, or keep one version per file
printed_achievement_differs = KPI { $indicator } { FY($fy) }: the sheet prints { $printed } but the values give { $case ->
    [rate] { $rate } ({ $status })
   *[status] { $status }
} (actual { $actual } against target { $target }); check the sheet's arithmetic
evaluation_sources_disagree = KPI { $indicator } { FY($fy) }: { $file } gives target { $target } / actual { $actual }, { $other_file } gives { $other_target } / { $other_actual }; the first is used
unmapped = no table of this layout holds this cell
slid_target_repaired = read as the { FY($fy) } target, not a Q4 actual: the target cell is empty and this value equals the indicator's final target
as_of_from_title = column { $column } names { FY($fy) }'s actuals with no point in time; the title above the list dates it ({ $date }), so its values are read as of that day, not as the year's full-year actuals
column_number_row = the cells { $first } to { $last } number the list's columns (a row of column numbers under its header): read as part of the header, not as an indicator or its values
header_target_inferred = the header has no target column for { FY($fy) }; column { $column } is read as that year's target, as every earlier year has its target right after Q4
schedule_cell_split = the target and actual rows were merged by extraction; two-word cells are split into target and actual, other cells kept whole as target_actual
achievement_cell = printed achievement of { $indicator } for { FY($fy) }: { $printed }
schedule_reference = a reference cell beside the task; not a schedule entry
decoration = a ruling line or page number left by PDF extraction; it holds no data, and a table reads on past it
lock_file_skipped = an Excel lock file (the workbook is open in Excel); skipped
not_an_input = not a workbook or text type torikumi reads; skipped

## Run summaries (ingest, check)

summary-file = { $file }: { $status } [{ $layout }], { $read } cells read = { $mapped } mapped + { $unmapped } in diagnostics; { $errors } errors, { $warnings } warnings{ $unread }
summary-no-layout = no layout
summary-total = total: { $files } files, { $read } cells read = { $mapped } mapped + { $unmapped } in diagnostics; { $observations } observations, { $indicators } indicators, { $initiatives } initiatives, { $schedule } schedule rows; { $errors } errors, { $warnings } warnings{ $unread }
summary-unread = , { $count } value cells NOT read (unmapped_value)
mappings-in-force = mappings: { $mappings }
mappings-built-in = built-in
mappings-overlay = built-in + { $dir } ({ $parts })
mappings-overrides = { $count ->
    [one] 1 override
   *[other] { $count } overrides
}: { $files }
mappings-added = { $count ->
    [one] 1 added
   *[other] { $count } added
}: { $files }
mappings-same = same as built-in
mapping-tests-pass = mapping tests: all { $cases } [[tests]] cases pass
mapping-tests-failed = mapping tests: { $count } expectations FAILED (listed first)
mapping-test-failed = error: mapping test failed: { $failure }
ingest-reread = re-read { $reread } file(s), reused { $reused } unchanged (--full re-reads all)
ingest-written = written to { $out }
severity = { $severity ->
    [error] error
    [warning] warning
   *[info] info
}

## Command notes (errors, waiting, progress, render, report, inspect, merge)

error = error: { $error }
waiting = waiting: { $dir } is in use by { $holder }
lock-taken-over = note: { $holder } did not finish (its lock on { $dir } was left behind); taking it over
shard-parts-removed = note: removed { $count } part file(s) of earlier shard runs: this run's tables replace them
progress = progress: { $done }/{ $total } files
progress-bar-files = files
shard-start = shard { $shard }: per-file tables as parts (parquet/<table>/{ $part }); no workbook, evaluation or evaluation_summary: run `torikumi merge --out { $out }` after all { $count } shards
merged = merged { $count } shards into { $out }
render-no-division = nothing to render: no item in { $from } lists division { $division }
render-no-layout = nothing to render: no plan in { $from } has a render layout
render-written = { $path }: [{ $layout }] { $sheets } sheets
render-unplaced = warning: { $count } values (observations, schedule cells, counts) have no cell in this layout (periods it does not show) and are not written
report-written = { $out }: { $goals } goal-years, { $indicators } indicator-years, { $diagnostics } warnings and errors, { $files } files
inspect-built-in-fallback = note: the mappings folder does not load (an empty file just made by `>`?): drafting with the built-in mappings
inspect-no-sheet = no sheet named { $sheet } in { $file }
