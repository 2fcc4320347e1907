//! Text folding shared by label matching and value parsing: full-width ASCII
//! to half-width and the ideographic space to a space, nothing else (no NFKC:
//! it would turn ① into 1 and ～ into ~).

/// Folds full-width ASCII (U+FF01..U+FF5E) to half-width and the ideographic
/// space U+3000 to a plain space. Nothing else is changed.
pub fn fold_ascii_width(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// [`fold_ascii_width`] for one character.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}
