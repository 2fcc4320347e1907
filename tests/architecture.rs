//! Data flows one way: each module imports only modules of a strictly lower
//! rank, so the arrow in README's "Layout of the code" stays true.
//!
//! Every `crate::x` path in `src/` is checked, in `use` lines and anywhere
//! else in the code (`crate::table::all_tables()` in a body counts as much as
//! a `use`), grouped imports (`use crate::{a, b::c}`) included, and `super::`
//! paths that climb out of their own module to the crate root. Comments and
//! string literals are skipped. A module's own submodules are free; `lib.rs`
//! and `main.rs` are not checked.

mod common;
use common::{Keep, blank_rust, rust_files};

use std::collections::BTreeSet;
use std::path::Path;

/// The documented direction (README, "Layout of the code"): a module may
/// import only modules of a strictly lower rank. Written once, here.
const RANKS: &[(&str, u32)] = &[
    ("model", 0),
    ("mapping", 1),
    ("source", 2),
    ("normalize", 2),
    ("layout", 3),
    ("evaluate", 4),
    ("table", 5),
    ("sink", 6),
    ("lock", 6),
    ("cache", 6),
    ("render", 7),
    ("report", 7),
    ("pipeline", 7),
    ("consolidate", 8),
    ("cmd", 9),
];

fn rank(module: &str) -> Option<u32> {
    RANKS.iter().find(|(m, _)| *m == module).map(|&(_, r)| r)
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The top-level modules the code refers to, with the module path of the
/// file (`["layout", "columns"]` for `src/layout/columns.rs`); inline
/// `mod name { … }` blocks extend that path for the `super::` inside them.
fn imported_modules(code: &str, file_module: &[String]) -> BTreeSet<String> {
    let c: Vec<char> = code.chars().collect();
    let mut found = BTreeSet::new();
    // Inline modules open: (name, brace depth at which the module's block closes).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '{' => {
                depth += 1;
                i += 1;
                continue;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d > depth) {
                    inline.pop();
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        if !is_ident(c[i]) || (i > 0 && (is_ident(c[i - 1]) || c[i - 1] == '$')) {
            i += 1;
            continue;
        }
        let start = i;
        while i < c.len() && is_ident(c[i]) {
            i += 1;
        }
        let word: String = c[start..i].iter().collect();
        match word.as_str() {
            "mod" => {
                let (name, after) = next_ident(&c, i);
                if let Some(name) = name
                    && c.get(skip_ws(&c, after)) == Some(&'{')
                {
                    inline.push((name, depth + 1));
                }
            }
            "crate" if path_sep_at(&c, i) => found.extend(path_heads(&c, skip_ws(&c, i) + 2)),
            "super" => {
                // Count the chain `super::super::…` and where it lands.
                let mut module: Vec<String> = file_module.to_vec();
                module.extend(inline.iter().map(|(n, _)| n.clone()));
                let mut j = i;
                module.pop();
                while path_sep_at(&c, j) {
                    let (next, after) = next_ident(&c, skip_ws(&c, j) + 2);
                    if next.as_deref() == Some("super") {
                        module.pop();
                        j = after;
                    } else {
                        break;
                    }
                }
                if module.is_empty() && path_sep_at(&c, j) {
                    found.extend(path_heads(&c, skip_ws(&c, j) + 2));
                }
                i = j;
            }
            _ => {}
        }
    }
    // `crate::self` or `super::self` names the root itself, not a module.
    found.remove("self");
    found
}

fn skip_ws(c: &[char], mut i: usize) -> usize {
    while c.get(i).is_some_and(|x| x.is_whitespace()) {
        i += 1;
    }
    i
}

/// Whether `::` follows at `i` (after any whitespace).
fn path_sep_at(c: &[char], i: usize) -> bool {
    let j = skip_ws(c, i);
    c.get(j) == Some(&':') && c.get(j + 1) == Some(&':')
}

fn next_ident(c: &[char], i: usize) -> (Option<String>, usize) {
    let start = skip_ws(c, i);
    let mut end = start;
    while end < c.len() && is_ident(c[end]) {
        end += 1;
    }
    ((end > start).then(|| c[start..end].iter().collect()), end)
}

/// The first segment of the path at `i`, or of each item of a group
/// `{a, b::c, d::{e}}` there.
fn path_heads(c: &[char], i: usize) -> Vec<String> {
    let i = skip_ws(c, i);
    if c.get(i) != Some(&'{') {
        return next_ident(c, i).0.into_iter().collect();
    }
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expect_head = true;
    let mut j = i;
    while j < c.len() {
        match c[j] {
            '{' => {
                depth += 1;
                j += 1;
            }
            '}' => {
                depth -= 1;
                j += 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                expect_head = true;
                j += 1;
            }
            x if depth == 1 && expect_head && is_ident(x) => {
                let (head, after) = next_ident(c, j);
                heads.extend(head);
                expect_head = false;
                j = after;
            }
            _ => j += 1,
        }
    }
    heads
}

/// The module path of a file under `src/`: `layout/columns.rs` →
/// `[layout, columns]`, `sink/mod.rs` → `[sink]`.
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().to_string()).collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if stem != "mod" {
            parts.push(stem);
        }
    }
    parts
}

/// Every import against the direction, as `src/x.rs: imports crate::y (rank a → rank b)`,
/// and every module missing from the rank list.
fn violations() -> Vec<String> {
    let src = common::root().join("src");
    let mut bad = Vec::new();
    for path in rust_files(&src) {
        let relative = path.strip_prefix(&src).unwrap();
        let shown = Path::new("src").join(relative).display().to_string().replace('\\', "/");
        if relative == Path::new("lib.rs") || relative == Path::new("main.rs") {
            continue;
        }
        let module = module_path(relative);
        let Some(own) = module.first() else { continue };
        let Some(own_rank) = rank(own) else {
            bad.push(format!("{shown}: module {own} is not in the rank list of tests/architecture.rs"));
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        for target in imported_modules(&blank_rust(&text, Keep::CodeOnly), &module) {
            if &target == own {
                continue;
            }
            match rank(&target) {
                None => bad.push(format!(
                    "{shown}: imports crate::{target}, which is not in the rank list of tests/architecture.rs"
                )),
                Some(r) if r >= own_rank => bad.push(format!("{shown}: imports crate::{target} (rank {own_rank} → rank {r})")),
                Some(_) => {}
            }
        }
    }
    bad
}

#[test]
fn imports_follow_the_documented_direction() {
    let bad = violations();
    assert!(
        bad.is_empty(),
        "{} import(s) against the direction of README's \"Layout of the code\":\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn every_module_of_the_crate_has_a_rank() {
    let lib = std::fs::read_to_string(common::root().join("src/lib.rs")).unwrap();
    let declared: BTreeSet<String> = blank_rust(&lib, Keep::CodeOnly)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("mod ")))
        .map(|m| m.trim_end_matches(';').trim().to_string())
        .collect();
    let ranked: BTreeSet<String> = RANKS.iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(declared, ranked, "src/lib.rs's modules and the rank list differ");
}

fn heads(code: &str, module: &[&str]) -> Vec<String> {
    let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
    imported_modules(&blank_rust(code, Keep::CodeOnly), &module).into_iter().collect()
}

#[test]
fn paths_are_found_in_use_lines_bodies_and_groups() {
    let code = r#"
use crate::model::Extract;
use crate::{normalize, source::grid::{Cell, Grid}};
fn f() { let t = crate::table::all_tables(); }
fn g() -> crate :: sink::SinkError { todo!() }
"#;
    assert_eq!(heads(code, &["cmd", "check"]), ["model", "normalize", "sink", "source", "table"]);
}

#[test]
fn comments_strings_and_macros_are_not_imports() {
    let code = r##"
// use crate::table;
/* crate::sink /* nested crate::cache */ crate::render */
/// See [`crate::pipeline`].
const A: &str = "crate::consolidate";
const B: &str = r#"crate::cmd " still inside"#;
const C: char = '"';
fn f<'a>(x: &'a str) -> &'a str { x }
macro_rules! m { () => { $crate::evaluate::x() } }
use crate::model;
"##;
    assert_eq!(heads(code, &["layout"]), ["model"]);
}

#[test]
fn super_counts_only_when_it_climbs_to_the_crate_root() {
    // In src/layout/columns.rs, super:: is layout itself; super::super:: is the root.
    assert_eq!(
        heads("use super::Sheet; use super::super::table::X;", &["layout", "columns"]),
        ["table"]
    );
    // In src/evaluate.rs, super:: is the root already.
    assert_eq!(heads("use super::{table, model::Extract};", &["evaluate"]), ["model", "table"]);
    // Inside an inline test module, super:: is the file's own module.
    let code = "fn a() {} #[cfg(test)] mod tests { use super::*; use super::super::sink; } use super::cache;";
    assert_eq!(heads(code, &["evaluate"]), ["cache", "sink"]);
}

#[test]
fn violations_name_file_target_and_ranks() {
    // The report's own shape, checked on the real tree: every line names a
    // file under src/ and either two ranks or the missing rank.
    for line in violations() {
        assert!(line.starts_with("src/"), "{line}");
        assert!(
            line.contains(": imports crate::") || line.contains("not in the rank list"),
            "{line}"
        );
    }
    assert_eq!(module_path(Path::new("layout/columns.rs")), ["layout", "columns"]);
    assert_eq!(module_path(Path::new("sink/mod.rs")), ["sink"]);
    assert_eq!(module_path(Path::new("cache.rs")), ["cache"]);
}

#[test]
fn blank_rust_drops_comments_and_keeps_or_drops_literals_in_place() {
    let src = "let a = \"x // y\"; // note\n/* a /* b */ c */ let b = 'q'; fn f<'a>() {}\nlet r = r#\"q \" w\"#;";
    let lit = blank_rust(src, Keep::Literals);
    assert_eq!(lit.chars().count(), src.chars().count());
    assert_eq!(lit.lines().count(), 3);
    assert_eq!(lit.lines().next().unwrap().trim_end(), "let a = \"x // y\";");
    assert_eq!(lit.lines().nth(1).unwrap().trim(), "let b = 'q'; fn f<'a>() {}");
    assert_eq!(lit.lines().nth(2).unwrap(), "let r = r#\"q \" w\"#;");
    let code = blank_rust(src, Keep::CodeOnly);
    // Each literal becomes as many spaces as it had characters.
    assert_eq!(code.lines().next().unwrap().trim_end(), format!("let a = {};", " ".repeat(8)));
    assert_eq!(
        code.lines().nth(1).unwrap().trim(),
        format!("let b = {}; fn f<'a>() {{}}", " ".repeat(3))
    );
    assert_eq!(code.lines().nth(2).unwrap(), format!("let r = {};", " ".repeat(10)));
}
