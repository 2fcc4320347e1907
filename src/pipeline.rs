//! The ingest job: input paths → sources → layouts → one [`Extract`] with all
//! rows, in a deterministic order whatever the thread count.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::cache::Cache;
use crate::layout::{self, SheetReport};
use crate::mapping::Mappings;
use crate::model::{Args, DiagCode, Diagnostic, Extract, Provenance, Severity, SourceRecord, args};
use crate::source::{self, Limits};

/// One file's result: its rows and the per-sheet reports.
pub struct FileResult {
    pub extract: Extract,
    pub reports: Vec<(String, SheetReport)>,
}

/// Expands folders (recursively, sorted) into input files. Lock files that
/// Excel leaves beside an open workbook (`~$…`) are skipped with an info line;
/// files of other types are skipped with an info line too.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    for p in paths {
        walk(p, &mut files, &mut notes, true);
    }
    files.sort();
    files.dedup();
    (files, notes)
}

fn walk(p: &Path, files: &mut Vec<PathBuf>, notes: &mut Vec<Diagnostic>, explicit: bool) {
    let at = |p: &Path| Provenance {
        source_file: p.display().to_string(),
        ..Default::default()
    };
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                notes.push(Diagnostic::new(DiagCode::UnreadableFolder, args!["error" => e], at(p), None));
                return;
            }
        };
        entries.sort();
        for e in entries {
            walk(&e, files, notes, false);
        }
        return;
    }
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") {
        notes.push(Diagnostic::new(DiagCode::LockFileSkipped, args![], at(p), None));
    } else if name.starts_with('.') && !explicit {
        // Hidden files (.gitkeep, editor swap files) are not inputs.
    } else if !p.exists() {
        notes.push(Diagnostic::new(DiagCode::MissingInput, args![], at(p), None));
    } else if source::is_input(p) {
        files.push(p.to_path_buf());
    } else if explicit || !name.eq_ignore_ascii_case("README.md") {
        notes.push(Diagnostic::new(DiagCode::NotAnInput, args![], at(p), None));
    }
}

/// The message arguments of a file that cannot be read: its `case` and, where
/// the reason has one, the `detail` (the reader's own words, untranslated).
fn unreadable_args(e: &source::SourceError) -> Args {
    use source::SourceError as E;
    match e {
        E::Io(x) => args!["case" => "io", "detail" => x],
        E::Empty => args!["case" => "empty"],
        E::Binary => args!["case" => "binary"],
        E::Encrypted => args!["case" => "encrypted"],
        E::Workbook(x) => args!["case" => "workbook", "detail" => x],
        E::TooLarge(x) => args!["case" => "too-large", "detail" => x],
        E::Unsupported(x) => args!["case" => "unsupported", "detail" => x],
    }
}

/// Reads and extracts one file. Never fails: problems become diagnostics.
pub fn process_file(path: &Path, mappings: &Mappings, limits: &Limits) -> FileResult {
    process(path, None, mappings, limits)
}

/// [`process_file`] for a file whose content and hash are already at hand.
fn process(path: &Path, content: Option<(&[u8], &str)>, mappings: &Mappings, limits: &Limits) -> FileResult {
    let name = path.display().to_string();
    let at = Provenance {
        source_file: name.clone(),
        ..Default::default()
    };
    let mut extract = Extract::default();
    let mut record = SourceRecord {
        source_file: name.clone(),
        format: source::extension(path),
        ..Default::default()
    };
    let read = match content {
        Some((bytes, sha256)) => source::from_bytes(path, bytes, sha256.to_string(), limits),
        None => source::read(path, limits),
    };
    let doc = match read {
        Ok(doc) => doc,
        Err(e) => {
            extract
                .diagnostics
                .push(Diagnostic::new(DiagCode::UnreadableFile, unreadable_args(&e), at, None));
            record.sha256 = match content {
                Some((_, sha256)) => sha256.to_string(),
                None => std::fs::read(path).map(|b| source::sha256_hex(&b)).unwrap_or_default(),
            };
            record.status = "errors".into();
            extract.sources.push(record);
            return FileResult {
                extract,
                reports: Vec::new(),
            };
        }
    };
    record.sha256 = doc.sha256.clone();
    record.encoding = doc.encoding.clone();
    for &line in doc.bad_lines.iter().take(20) {
        let at = Provenance {
            source_file: name.clone(),
            sheet: doc.grids[0].name.clone(),
            cell: format!("A{line}"),
        };
        let msg = args!["line" => line, "encoding" => doc.encoding.as_deref().unwrap_or("text")];
        extract.diagnostics.push(Diagnostic::new(DiagCode::UndecodableBytes, msg, at, None));
    }
    for grid in &doc.grids {
        extract.diagnostics.extend(split_line_notes(grid, &name));
    }
    let mut reports = Vec::new();
    let mut layouts = Vec::new();
    let recognised: Vec<_> = doc.grids.iter().map(|g| layout::recognise(g, mappings)).collect();
    // The layout of the file's other sheets, for a sheet none recognised.
    let expected = recognised.iter().flatten().next().copied();
    for (grid, layout) in doc.grids.iter().zip(recognised.iter().copied()) {
        record.sheets.push(grid.name.clone());
        let (x, report) = match (layout, expected) {
            (None, Some(expected)) if !grid.is_empty() => layout::extract_unrecognised(grid, expected, &mappings.vocabulary, &name),
            _ => layout::extract_sheet(grid, layout, &mappings.vocabulary, &name),
        };
        if let Some(l) = layout
            && !layouts.contains(&l.name)
        {
            layouts.push(l.name.clone());
        }
        if layout.is_some() && x.observations.is_empty() && spaced_not_tabbed(grid) {
            extract.diagnostics.push(spaced_sheet_read_nothing(grid, layout, &name));
        }
        record.cells_read += report.cells_read;
        record.cells_mapped += report.cells_mapped;
        record.cells_unmapped += report.cells_unmapped;
        record.value_cells_unread += report.value_cells_unread;
        extract.append(x);
        reports.push((grid.name.clone(), report));
    }
    flag_conflicting_values(&mut extract);
    if doc.grids.iter().all(|g| g.is_empty()) {
        extract
            .diagnostics
            .push(Diagnostic::new(DiagCode::EmptyWorkbook, args![], at.clone(), None));
    } else if layouts.is_empty() {
        let message = if doc.grids.iter().any(spaced_not_tabbed) {
            args!["case" => "no-tabs"]
        } else {
            args!["case" => "file"]
        };
        extract.diagnostics.push(Diagnostic::new(DiagCode::NoLayout, message, at, None));
    }
    record.layout = (!layouts.is_empty()).then(|| layouts.join(","));
    record.status = match extract.worst() {
        Some(Severity::Error) => "errors",
        Some(Severity::Warning) => "warnings",
        _ => "ok",
    }
    .into();
    extract.sources.push(record);
    FileResult { extract, reports }
}

/// One `split_at_spaces` warning per text line split at its wide gaps,
/// naming the line and carrying it as read.
fn split_line_notes(grid: &crate::source::Grid, name: &str) -> Vec<Diagnostic> {
    let fields = |r: u32| grid.fields_on_line(r).unwrap_or_default();
    grid.split_lines
        .iter()
        .map(|(r, line)| {
            let at = Provenance {
                source_file: name.to_string(),
                sheet: grid.name.clone(),
                cell: crate::source::a1(*r, 0),
            };
            let msg = args!["line" => r + 1, "fields" => fields(*r)];
            Diagnostic::new(DiagCode::SplitAtSpaces, msg, at, Some(line.clone()))
        })
        .collect()
}

/// A text sheet a layout recognised (its labels start the lines) whose
/// columns are lined up with spaces: no table's columns can be told apart,
/// so nothing was read; said as such, not only as the items it lacks.
fn spaced_sheet_read_nothing(grid: &crate::source::Grid, layout: Option<&crate::mapping::Layout>, name: &str) -> Diagnostic {
    let at = Provenance {
        source_file: name.to_string(),
        sheet: grid.name.clone(),
        cell: String::new(),
    };
    let layout = layout.map(|l| l.name.as_str()).unwrap_or_default();
    Diagnostic::new(
        DiagCode::SheetNotRecognised,
        args!["case" => "no-tabs", "layout" => layout],
        at,
        None,
    )
}

/// Text with no tab on any line whose lines hold runs of spaces or
/// full-width spaces: columns aligned with spaces (a PDF extracted with its
/// layout), which are not read as fields; the `no_layout` message says so.
fn spaced_not_tabbed(grid: &crate::source::Grid) -> bool {
    let one_field = grid.line_fields.as_ref().is_some_and(|l| l.iter().all(|&n| n <= 1));
    one_field && grid.cells().any(|c| c.raw.contains("  ") || c.raw.contains('\u{3000}'))
}

/// One file's observations of the same indicator, year, period and kind with
/// different values: each later one is a `conflicting_values` warning naming
/// the first. Both rows stay in the table; which is right is not guessed.
/// With the same value on another sheet (a sheet copied, `(1) (2)`), the
/// rows are kept twice and sums count them twice: one `repeated_values`
/// warning per pair of sheets, at the copy's first repeated cell.
fn flag_conflicting_values(extract: &mut Extract) {
    let mut first: foldhash::HashMap<_, usize> = foldhash::HashMap::default();
    let mut found = Vec::new();
    // (copy's sheet, first sheet) → (repeated count, the copy's first repeat, the first's cell).
    let mut repeats: Vec<((&str, &str), usize, usize, usize)> = Vec::new();
    for (i, o) in extract.observations.iter().enumerate() {
        let key = (
            &o.initiative_no,
            o.indicator_no,
            &o.indicator,
            o.fiscal_year,
            o.period,
            o.as_of,
            o.kind,
        );
        match first.get(&key) {
            Some(&j) if extract.observations[j].value != o.value && (o.value.is_some() || extract.observations[j].value.is_some()) => {
                found.push((j, i));
            }
            Some(&j) if o.value.is_some() && extract.observations[j].at.sheet != o.at.sheet => {
                let pair = (o.at.sheet.as_str(), extract.observations[j].at.sheet.as_str());
                match repeats.iter_mut().find(|r| r.0 == pair) {
                    Some(r) => r.1 += 1,
                    None => repeats.push((pair, 1, i, j)),
                }
            }
            Some(_) => {}
            None => {
                first.insert(key, i);
            }
        }
    }
    for (j, i) in found {
        let (a, b) = (&extract.observations[j], &extract.observations[i]);
        let args = args![
            "indicator" => b.indicator,
            "raw" => b.raw,
            "other_cell" => format!("{}!{}", a.at.sheet, a.at.cell),
            "other_raw" => a.raw
        ];
        let d = Diagnostic::new(DiagCode::ConflictingValues, args, b.at.clone(), Some(b.raw.clone()));
        extract.diagnostics.push(d);
    }
    for (_, count, i, j) in repeats {
        let (a, b) = (&extract.observations[j], &extract.observations[i]);
        let args = args!["count" => count, "other_cell" => format!("{}!{}", a.at.sheet, a.at.cell)];
        let d = Diagnostic::new(DiagCode::RepeatedValues, args, b.at.clone(), Some(b.raw.clone()));
        extract.diagnostics.push(d);
    }
}

/// How a run may reuse earlier work and report progress.
#[derive(Default)]
pub struct RunOptions<'a> {
    pub limits: Limits,
    /// Per-source cache of an output folder, for incremental runs.
    pub cache: Option<&'a Cache>,
    /// Called after each file with (files done, files in all).
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// What a run did besides its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Files read and extracted in this run.
    pub reread: usize,
    /// Unchanged files whose rows came from the cache.
    pub reused: usize,
}

/// One file's rows as the run delivers them, in input order, with what
/// `prepare` made of them on a worker thread. Duplicates (and the notes about
/// the input folders, delivered first) come without a `prepared` part.
pub struct Delivery<T> {
    pub extract: Extract,
    pub prepared: Option<T>,
}

/// Files read in parallel per window; a window is delivered whole, in order,
/// while the next is read. Small enough to bound memory, large enough to keep
/// every core busy: each window ends waiting for its slowest file, and at 16
/// per thread those waits (and rayon's spinning through them) cost about 4 %
/// of a two-thread run (1,000 files, five alternating runs: median 1.85 s
/// against 1.78 s at 64, for 10 MiB more memory).
const WINDOW_PER_THREAD: usize = 64;

/// Ingests every file under `paths`, in parallel; output order follows the sorted file list.
/// A file whose content repeats an earlier one is reported once and not counted twice.
pub fn ingest(paths: &[PathBuf], mappings: &Mappings, limits: &Limits) -> Extract {
    ingest_with(
        paths,
        mappings,
        &RunOptions {
            limits: limits.clone(),
            ..Default::default()
        },
    )
    .0
}

/// [`ingest`] with a cache and progress reporting.
pub fn ingest_with(paths: &[PathBuf], mappings: &Mappings, opts: &RunOptions) -> (Extract, RunStats) {
    let mut all = Extract::default();
    let stats = ingest_stream(paths, mappings, opts, &|_| (), |d: Delivery<()>| all.append(d.extract));
    (all, stats)
}

/// Ingests every file under `paths` and hands each file's rows to `consume`
/// in input order as soon as its window is read, so a run holds a few windows
/// of rows at a time whatever the number of files. `prepare` runs on the
/// worker thread that read the file (ingest computes a file's evaluation
/// candidates and chart series there, in parallel). Duplicate content is
/// delivered as its `duplicate` source row and warning only.
pub fn ingest_stream<T: Send>(
    paths: &[PathBuf],
    mappings: &Mappings,
    opts: &RunOptions,
    prepare: &(dyn Fn(&FileResult) -> T + Sync),
    mut consume: impl FnMut(Delivery<T>),
) -> RunStats {
    let (files, notes) = collect_inputs(paths);
    consume(Delivery {
        extract: Extract {
            diagnostics: notes,
            ..Default::default()
        },
        prepared: None,
    });
    let done = AtomicUsize::new(0);
    let reused = AtomicUsize::new(0);
    let window = WINDOW_PER_THREAD * rayon::current_num_threads().max(1);
    let mut seen: HashMap<String, String> = HashMap::new();
    // A cache that cannot be written only costs speed next time.
    let mut pack = opts.cache.and_then(|c| c.writer().ok());
    std::thread::scope(|scope| {
        // One window in the channel and one being read: the reader stays at
        // most two windows ahead of the consumer.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(FileResult, Option<Vec<u8>>, T)>>(1);
        let files = &files;
        let (done, reused) = (&done, &reused);
        scope.spawn(move || {
            for chunk in files.chunks(window) {
                let results: Vec<(FileResult, Option<Vec<u8>>, T)> = chunk
                    .par_iter()
                    .map(|f| {
                        let (r, entry) = cached_or_process(f, mappings, opts, reused);
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        if let Some(p) = opts.progress {
                            p(n, files.len());
                        }
                        let t = prepare(&r);
                        (r, entry, t)
                    })
                    .collect();
                if tx.send(results).is_err() {
                    break;
                }
            }
        });
        for results in rx {
            for (r, entry, t) in results {
                if let (Some(w), Some(src), Some(entry)) = (&mut pack, r.extract.sources.first(), entry)
                    && w.append(&src.source_file, &src.sha256, &entry).is_err()
                {
                    pack = None;
                }
                consume(deliver(r.extract, t, &mut seen));
            }
        }
    });
    if let (Some(cache), Some(w)) = (opts.cache, pack) {
        let _ = w.finish(cache);
    }
    let reused = reused.into_inner();
    RunStats {
        reread: files.len() - reused,
        reused,
    }
}

/// A file's result and, with a cache, its entry for this run's pack.
fn cached_or_process(path: &Path, mappings: &Mappings, opts: &RunOptions, reused: &AtomicUsize) -> (FileResult, Option<Vec<u8>>) {
    let Some(cache) = opts.cache else {
        return (process_file(path, mappings, &opts.limits), None);
    };
    let name = path.display().to_string();
    let content = std::fs::read(path).ok().map(|b| {
        let sha256 = source::sha256_hex(&b);
        (b, sha256)
    });
    if let Some((_, sha256)) = &content
        && let Some(entry) = cache.lookup(&name, sha256)
        && let Some(extract) = crate::cache::decode(&entry)
    {
        reused.fetch_add(1, Ordering::Relaxed);
        let r = FileResult {
            extract,
            reports: Vec::new(),
        };
        return (r, Some(entry));
    }
    let r = process(
        path,
        content.as_ref().map(|(b, h)| (b.as_slice(), h.as_str())),
        mappings,
        &opts.limits,
    );
    let entry = crate::cache::encode(&r.extract).ok();
    (r, entry)
}

/// What a file whose content repeats `first`'s delivers: its `duplicate`
/// source row (no cells) and a `duplicate_file` warning. The merge of
/// shards calls it too, for duplicates found across shards.
pub fn duplicate_of(src: SourceRecord, first: &str) -> Extract {
    let at = Provenance {
        source_file: src.source_file.clone(),
        ..Default::default()
    };
    let warning = Diagnostic::new(DiagCode::DuplicateFile, args!["first" => first], at, None);
    let record = SourceRecord {
        status: "duplicate".into(),
        cells_read: 0,
        cells_mapped: 0,
        cells_unmapped: 0,
        ..src
    };
    Extract {
        sources: vec![record],
        diagnostics: vec![warning],
        ..Default::default()
    }
}

/// One file's delivery: its rows, or, when an earlier file had the same
/// content, only its `duplicate` source row and a warning.
fn deliver<T>(mut x: Extract, prepared: T, seen: &mut HashMap<String, String>) -> Delivery<T> {
    let src = x.sources.first().cloned().unwrap_or_default();
    if !src.sha256.is_empty() {
        if let Some(first) = seen.get(&src.sha256) {
            return Delivery {
                extract: duplicate_of(src, first),
                prepared: None,
            };
        }
        seen.insert(src.sha256.clone(), src.source_file.clone());
    }
    x.sources.truncate(1);
    Delivery {
        extract: x,
        prepared: Some(prepared),
    }
}
