//! Document labels live in `mappings/`, not in code: no Japanese text in
//! `src/` outside comments and `#[cfg(test)]` items, whether written as the
//! character itself, as a `\u{…}` escape or as `\xNN` UTF-8 bytes.
//!
//! Only the `#[cfg(test)]` item itself is skipped (a test module, a test-only
//! function), not the rest of the file after it.

mod common;
use common::{Keep, blank_rust, rust_files};

/// Characters that make up the documents' labels: kana, kanji, CJK
/// punctuation, circled and enclosed numbers (①–⑳, ㉑–㊿, ❶…), era squares
/// (㍻), half-width katakana, and the marks the vocabulary lists.
fn is_label_char(c: char) -> bool {
    // Width forms, not labels: folding full-width ASCII (U+FF01–U+FF5E) and
    // the ideographic space to ASCII is Unicode's own mapping (as NFKC does),
    // the same for every document, so normalize.rs may name them.
    if c == '\u{3000}' || ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        return false;
    }
    let u = c as u32;
    (0x2460..=0x24FF).contains(&u) // ① … ⑳, ⑴, ⒈, ⓐ
        || (0x2776..=0x2793).contains(&u) // ❶ … ➓
        || (0x3000..=0x30FF).contains(&u) // CJK punctuation, hiragana, katakana
        || (0x31F0..=0x31FF).contains(&u) // katakana extensions
        || (0x3200..=0x33FF).contains(&u) // ㈱, ㉑ … ㉟, ㊱ … ㊿, ㍻, ㎡
        || (0x3400..=0x4DBF).contains(&u) // CJK extension A
        || (0x4E00..=0x9FFF).contains(&u) // CJK ideographs
        || (0xF900..=0xFAFF).contains(&u) // CJK compatibility ideographs
        || (0xFF00..=0xFFEF).contains(&u) // other full-width and half-width forms
        || (0x20000..=0x3FFFF).contains(&u) // CJK extensions B and later
        || matches!(c, '\u{2026}' | '\u{25B2}' | '\u{25B3}' | '\u{2014}' | '\u{2015}')
}

/// The text with every `#[cfg(test)]` item blanked (newlines kept). `code`
/// is the same text with comments and literals blanked, which gives the
/// structure: where the attribute is and where its item ends.
fn without_test_items(text: &[char], code: &[char]) -> Vec<char> {
    let mut out = text.to_vec();
    let mut i = 0;
    while let Some(start) = find_cfg_test(code, i) {
        let end = item_end(code, start);
        for x in &mut out[start..end] {
            if *x != '\n' {
                *x = ' ';
            }
        }
        i = end.max(start + 1);
    }
    out
}

/// The next `#[cfg(test)]` at or after `from` (spaces inside allowed).
fn find_cfg_test(code: &[char], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 1 < code.len() {
        if code[i] == '#' && code[i + 1] == '[' {
            let close = (i + 2..code.len()).find(|&j| code[j] == ']')?;
            let inner: String = code[i + 2..close].iter().filter(|c| !c.is_whitespace()).collect();
            if inner == "cfg(test)" {
                return Some(i);
            }
            i = close;
        }
        i += 1;
    }
    None
}

/// Where the item that starts with the attribute at `start` ends: after
/// its `{ … }` block (and a `;` right after it), or after its `;` when it
/// has no block (`use …;`, `const X: [u8; 2] = …;`).
fn item_end(code: &[char], start: usize) -> usize {
    // Past the attribute itself and any further attributes.
    let mut i = start;
    let (mut paren, mut brace) = (0i32, 0i32);
    let mut in_attr = false;
    while i < code.len() {
        match code[i] {
            '#' if brace == 0 && paren == 0 && code.get(i + 1) == Some(&'[') => {
                in_attr = true;
            }
            '(' | '[' => paren += 1,
            ')' | ']' => {
                paren -= 1;
                if in_attr && paren == 0 {
                    in_attr = false;
                }
            }
            '{' if !in_attr => brace += 1,
            '}' if !in_attr => {
                brace -= 1;
                if brace == 0 && paren == 0 {
                    let mut j = i + 1;
                    while code.get(j).is_some_and(|c| c.is_whitespace()) {
                        j += 1;
                    }
                    return if code.get(j) == Some(&';') { j + 1 } else { i + 1 };
                }
            }
            ';' if !in_attr && brace == 0 && paren == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    code.len()
}

/// Label characters a line spells as escapes: `\u{5B9F}`, or a run of
/// `\xNN` bytes that decodes as UTF-8 (`\xe5\xae\x9f`).
fn escaped_labels(line: &str) -> Vec<char> {
    let mut found = Vec::new();
    let mut bytes = Vec::new();
    let mut rest = line;
    while let Some(p) = rest.find('\\') {
        let after = &rest[p + 1..];
        let escaped = after
            .strip_prefix("u{")
            .and_then(|h| h.split_once('}'))
            .and_then(|(h, _)| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        found.extend(escaped);
        let byte = after
            .strip_prefix('x')
            .and_then(|h| h.get(..2))
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match byte {
            Some(b) => bytes.push(b),
            None => found.extend(String::from_utf8_lossy(&std::mem::take(&mut bytes)).chars()),
        }
        // `\\` is an escaped backslash: skip both.
        rest = after.strip_prefix('\\').unwrap_or(after);
    }
    found.extend(String::from_utf8_lossy(&bytes).chars());
    found.retain(|&c| is_label_char(c));
    found
}

/// `file:line: text` for every line of code that holds a label.
fn scan_text(name: &str, text: &str) -> Vec<String> {
    let with_literals: Vec<char> = blank_rust(text, Keep::Literals).chars().collect();
    let code: Vec<char> = blank_rust(text, Keep::CodeOnly).chars().collect();
    let kept: String = without_test_items(&with_literals, &code).into_iter().collect();
    let originals: Vec<&str> = text.lines().collect();
    let mut bad = Vec::new();
    for (i, line) in kept.lines().enumerate() {
        if line.chars().any(is_label_char) || !escaped_labels(line).is_empty() {
            bad.push(format!("{name}:{}: {}", i + 1, originals.get(i).map_or("", |l| l.trim())));
        }
    }
    bad
}

#[test]
fn no_document_labels_in_source_code() {
    let mut bad = Vec::new();
    for path in rust_files(&common::root().join("src")) {
        let text = std::fs::read_to_string(&path).unwrap();
        bad.extend(scan_text(&path.display().to_string(), &text));
    }
    assert!(bad.is_empty(), "labels belong in mappings/:\n{}", bad.join("\n"));
}

#[test]
fn labels_in_comments_and_test_items_are_allowed() {
    let src = "// 実施項目\n/// 目標\nfn f() {}\n#[cfg(test)]\nmod tests {\n    const X: &str = \"実績\";\n}\n";
    assert_eq!(scan_text("a.rs", src), Vec::<String>::new());
    let src = "#[cfg(test)]\nconst L: [&str; 2] = [\"目標\", \"実績\"];\n#[cfg(test)]\n#[allow(dead_code)]\nfn t() { let _ = \"達成\"; }\n";
    assert_eq!(scan_text("a.rs", src), Vec::<String>::new());
}

#[test]
fn code_after_a_test_item_is_still_checked() {
    let src = "#[cfg(test)]\nfn helper() -> &'static str { \"目標\" }\n\nconst LABEL: &str = \"実施項目\";\n";
    assert_eq!(scan_text("a.rs", src), ["a.rs:4: const LABEL: &str = \"実施項目\";"]);
    let src = "#[cfg(test)]\nmod tests {}\nfn f() -> char { '①' }\n";
    assert_eq!(scan_text("a.rs", src), ["a.rs:3: fn f() -> char { '①' }"]);
}

#[test]
fn escapes_and_enclosed_numbers_are_caught() {
    assert_eq!(
        scan_text("a.rs", "const A: &str = \"\\u{5B9F}\";"),
        ["a.rs:1: const A: &str = \"\\u{5B9F}\";"]
    );
    assert_eq!(scan_text("a.rs", "const B: &[u8] = b\"\\xe5\\xae\\x9f\";").len(), 1);
    assert_eq!(scan_text("a.rs", "const C: char = '㉑';").len(), 1);
    assert_eq!(scan_text("a.rs", "const D: char = '\\u{32BF}';").len(), 1, "㊿");
    // A `//` inside a string does not start a comment.
    assert_eq!(scan_text("a.rs", "const E: &str = \"http://x/目標\";").len(), 1);
    // Width forms and plain escapes are not labels.
    assert_eq!(
        scan_text("a.rs", "let s = ['\\u{3000}', '\\u{FF08}', '\\u{FFFD}', '\\n', '\\\\'];"),
        Vec::<String>::new()
    );
    assert!(is_label_char('㊿') && is_label_char('㉑') && is_label_char('㍻') && is_label_char('ｱ'));
    assert!(!is_label_char('（') && !is_label_char('A'));
}
