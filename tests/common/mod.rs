//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};

use polars::prelude::{DataFrame, ParquetReader, SerReader};
use torikumi::model::{Diagnostic, Extract};

/// The torikumi binary as a command, its language pinned to English: the
/// locale variables of the machine running the tests (`LANG=ja_JP.UTF-8` on a
/// Japanese desktop) are removed and `LANG=C` set, so what the tests compare
/// does not depend on them. A test of the language choice sets its own.
pub fn torikumi_command() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_torikumi"));
    c.env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "C");
    c
}

/// The project folder (samples/, mappings/).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A Parquet file read back with polars.
pub fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap()).finish().unwrap()
}

/// The observations' content (no provenance), sorted: two extracts of the same
/// document must give equal keys whatever file or cell the values came from.
pub fn observation_key(x: &Extract) -> Vec<String> {
    let mut v: Vec<String> = x
        .observations
        .iter()
        .map(|o| {
            format!(
                "{}|{}|{:?}|{}|{:?}|{}|{:?}|{}|{:?}|{:?}|{}",
                o.plan, o.initiative_no, o.indicator_no, o.indicator, o.fiscal_year, o.period, o.as_of, o.kind, o.value, o.unit, o.status
            )
        })
        .collect();
    v.sort();
    v
}

/// Equal lists, or a panic showing a few rows only one side has.
pub fn assert_same(got: &[String], want: &[String], what: &str) {
    if got == want {
        return;
    }
    let only_got: Vec<&String> = got.iter().filter(|g| !want.contains(g)).take(8).collect();
    let only_want: Vec<&String> = want.iter().filter(|w| !got.contains(w)).take(8).collect();
    panic!(
        "{what} differ ({} vs {} rows)\nonly in the variant: {only_got:#?}\nonly in the base: {only_want:#?}",
        got.len(),
        want.len()
    );
}

/// Indicators as (item, number, name, unit, final target, its year, status), sorted.
pub fn indicator_key(x: &Extract) -> Vec<String> {
    let mut v: Vec<String> = x
        .indicators
        .iter()
        .map(|i| {
            format!(
                "{}|{:?}|{}|{:?}|{:?}|{:?}|{:?}",
                i.initiative_no, i.indicator_no, i.indicator, i.unit, i.final_target_value, i.final_target_fy, i.status
            )
        })
        .collect();
    v.sort();
    v
}

/// The header block and indicator table of a minimal DX 個別取組票 (rows 1–7):
/// fixtures add their own progress table below it.
pub const DX_HEADER_ROWS: &[&[&str]] = &[
    &["改革", "1 改革"],
    &["実施項目", "(1) 項目"],
    &["取組の方向性", "方向性"],
    &["取組所属", "課"],
    &["指標項目", "R5目標値"],
    &["① 件数", "10件"],
    &[],
];

/// Writes `rows` of text from row `first` down, skipping empty strings.
pub fn write_text_rows(ws: &mut rust_xlsxwriter::Worksheet, first: u32, rows: &[&[&str]]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(first + r as u32, c as u16, *v).unwrap();
            }
        }
    }
}

/// Every `.rs` file under `dir`, sorted, so reports list files in a stable order.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// What [`blank_rust`] keeps of Rust source besides code.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// String, byte-string and char literals are kept (labels hide there).
    Literals,
    /// Literals are blanked too: only code is left (paths, braces).
    CodeOnly,
}

/// Rust source with comments (and, with [`Keep::CodeOnly`], literals)
/// replaced by spaces char for char, newlines kept, so line numbers, columns
/// and the braces of code stay where they were. Knows nested block comments,
/// raw strings (`r#"…"#`), escapes, and char literals from lifetimes.
pub fn blank_rust(text: &str, keep: Keep) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, part: &[char]| out.extend(part.iter().map(|&x| if x == '\n' { '\n' } else { ' ' }));
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        let end = if c[i] == '/' && next == Some('/') {
            let mut j = i;
            while j < c.len() && c[j] != '\n' {
                j += 1;
            }
            blank(&mut out, &c[i..j]);
            i = j;
            continue;
        } else if c[i] == '/' && next == Some('*') {
            // Block comments nest in Rust.
            let (mut j, mut depth) = (i, 0);
            while j < c.len() {
                if c[j] == '/' && c.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if c[j] == '*' && c.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            let j = j.min(c.len());
            blank(&mut out, &c[i..j]);
            i = j;
            continue;
        } else if let Some(end) = raw_string_end(&c, i) {
            end
        } else if c[i] == '"' || (c[i] == 'b' && next == Some('"') && !ident_before(&c, i)) {
            let mut j = if c[i] == 'b' { i + 2 } else { i + 1 };
            while j < c.len() && c[j] != '"' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if c[i] == '\'' && is_char_literal(&c, i) {
            let mut j = i + 1;
            while j < c.len() && c[j] != '\'' {
                j += if c[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else {
            out.push(c[i]);
            i += 1;
            continue;
        };
        let end = end.min(c.len());
        match keep {
            Keep::Literals => out.extend(&c[i..end]),
            Keep::CodeOnly => blank(&mut out, &c[i..end]),
        }
        i = end;
    }
    out
}

fn ident_before(c: &[char], i: usize) -> bool {
    i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_')
}

/// If a raw string (`r"…"`, `r#"…"#`, `br#"…"#`) starts at `i`, the index
/// just after it.
fn raw_string_end(c: &[char], i: usize) -> Option<usize> {
    // An identifier ending in r (`for"`, `bar#`) is not a raw string.
    if ident_before(c, i) {
        return None;
    }
    let mut j = i;
    if c.get(j) == Some(&'b') {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = c[j..].iter().take_while(|&&h| h == '#').count();
    j += hashes;
    if c.get(j) != Some(&'"') {
        return None;
    }
    j += 1;
    while j < c.len() {
        if c[j] == '"' && c[j + 1..].iter().take(hashes).filter(|&&h| h == '#').count() == hashes {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(c.len())
}

/// `'x'` or `'\n'` rather than a lifetime (`'a`) or a loop label (`'outer:`).
fn is_char_literal(c: &[char], i: usize) -> bool {
    match c.get(i + 1) {
        Some('\\') => true,
        Some(_) => c.get(i + 2) == Some(&'\''),
        None => false,
    }
}

/// The diagnostics whose message case (`message_args.case`) is `case`.
pub fn with_case<'x>(x: &'x Extract, case: &'x str) -> impl Iterator<Item = &'x Diagnostic> + 'x {
    x.diagnostics.iter().filter(move |d| d.arg("case") == Some(case))
}
