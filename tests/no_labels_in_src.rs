//! Document labels live in `mappings/`, not in code: no Japanese text in
//! `src/` outside comments and unit-test modules.

use std::path::Path;

fn is_label_char(c: char) -> bool {
    let u = c as u32;
    (0x3000..=0x30FF).contains(&u)
        || (0x4E00..=0x9FFF).contains(&u)
        || (0xFF00..=0xFFEF).contains(&u)
        || (0x2460..=0x24FF).contains(&u)
        || matches!(
            c,
            '\u{2026}' | '\u{25B2}' | '\u{25B3}' | '\u{2014}' | '\u{2015}' | '\u{3014}' | '\u{3015}'
        )
}

fn scan(dir: &Path, bad: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scan(&path, bad);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break; // unit tests may quote the documents
            }
            let code = line.split("//").next().unwrap_or("");
            if code.chars().any(is_label_char) {
                bad.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
}

#[test]
fn no_document_labels_in_source_code() {
    let mut bad = Vec::new();
    scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut bad);
    assert!(bad.is_empty(), "labels belong in mappings/:\n{}", bad.join("\n"));
}
