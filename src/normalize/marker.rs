//! Indicator numbers: ①名前 → (1, 名前), (②名前) marks a deleted indicator,
//! (ア) 名前 → (1, 名前); and the words that make a row no indicator (合計, 備考).

use super::*;

impl Vocabulary {
    /// Leading circled indicator marker: "①名前" → (1, "名前");
    /// "(②名前)" → (2, "名前") with the closing paren removed.
    #[allow(clippy::needless_lifetimes)]
    pub fn parse_indicator_marker<'a>(&self, s: &'a str) -> Option<(u32, String)> {
        let t = trim_ws(s);
        let mut chars = t.char_indices();
        let (_, c0) = chars.next()?;
        let (paren, body) = if is_open_paren(c0) {
            (true, trim_ws(&t[c0.len_utf8()..]))
        } else {
            (false, t)
        };
        let c = body.chars().next()?;
        let n = is_circled_number(c)?;
        let mut name = trim_ws(&body[c.len_utf8()..]);
        if paren
            && let Some(last) = name.chars().last()
            && is_close_paren(last)
        {
            name = trim_ws(&name[..name.len() - last.len_utf8()]);
        }
        Some((n, name.to_string()))
    }

    /// Same as the free function [`is_parenthesised_indicator`].
    /// [`Self::parse_indicator_marker`], or else a number with a dot or a
    /// closing parenthesis as the marker ("1. 電子化率", "2) 件数", full-width
    /// too): divisions that retype a sheet number its indicators so. Only for
    /// a table's first column, where a row starts with its indicator.
    pub fn parse_numbered_indicator(&self, s: &str) -> Option<(u32, String)> {
        if let Some(hit) = self.parse_indicator_marker(s).or_else(|| self.parse_sequence_marker(s)) {
            return Some(hit);
        }
        let t = trim_ws(s);
        // Folding is char for char, so a marker's length in chars holds in `t` too.
        let folded = fold_ascii_width(t);
        let digits = folded.chars().take_while(char::is_ascii_digit).count();
        let mark = folded.chars().nth(digits)?;
        if !(1..=2).contains(&digits) || !matches!(mark, '.' | ')') {
            return None;
        }
        let n: u32 = folded[..digits].parse().ok()?;
        let rest: String = t.chars().skip(digits + 1).collect();
        // "1.5倍" is a number, not a marker.
        if rest.chars().next().is_some_and(|c| c.is_ascii_digit()) || n == 0 {
            return None;
        }
        Some((n, trim_ws(&rest).to_string()))
    }

    /// "(ア) 電子化率", "イ　公開数", "ウ. 件数" → (1, …), (2, …), (3, …): a
    /// letter of `sequence_markers` in brackets, or followed by a space or a
    /// dot; never a name's first letter ("アクセス数").
    pub fn parse_sequence_marker(&self, s: &str) -> Option<(u32, String)> {
        let t = trim_ws(s);
        let mut chars = t.chars();
        let first = chars.next()?;
        let (letter, rest) = if is_open_paren(first) {
            let letter = chars.next()?;
            let close = chars.next()?;
            if !is_close_paren(close) {
                return None;
            }
            (letter, chars.as_str())
        } else {
            let next = chars.clone().next()?;
            let separated = next.is_whitespace() || matches!(fold_ascii_width(&next.to_string()).as_str(), "." | ")");
            if !separated {
                return None;
            }
            chars.next();
            (first, chars.as_str())
        };
        let k = self
            .sequence_markers
            .iter()
            .position(|&m| m == crate::mapping::text::fold_char(letter))?;
        let name = trim_ws(rest);
        (!name.is_empty()).then(|| (k as u32 + 1, name.to_string()))
    }

    pub fn is_parenthesised_indicator(&self, s: &str) -> bool {
        is_parenthesised_indicator(s)
    }

    /// All circled indicator numbers in a cell ("①② ③④" → [1, 2, 3, 4]),
    /// in order of appearance, without duplicates.
    pub fn indicator_numbers(&self, s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        for n in s.chars().filter_map(is_circled_number) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
}

/// True for the "(②…)" / "（②…）" form (used to flag deleted indicators).
pub fn is_parenthesised_indicator(s: &str) -> bool {
    let t = trim_ws(s);
    let mut it = t.chars();
    match it.next() {
        Some(c) if is_open_paren(c) => {}
        _ => return false,
    }
    it.as_str().trim_start().chars().next().and_then(is_circled_number).is_some()
}

/// `合計（件数指標）`: the label and then only a bracketed word saying what
/// the row sums, not an indicator's name that starts with the label.
fn qualified(normed: &str, label: &str) -> bool {
    normed
        .strip_prefix(label)
        .and_then(|rest| rest.strip_prefix(is_open_paren))
        .is_some_and(|rest| rest.ends_with(is_close_paren))
}

/// A note that names itself before its text: the label then a colon
/// (`注：R5は…`, `出典: …`), or the label in brackets, a number allowed
/// (`（注）…`, `(注1) …`). A label run into a word (`注意事項`, `備考欄`) is none.
fn labelled_note(t: &str, label: &str) -> bool {
    if let Some(rest) = t.strip_prefix(label) {
        return rest.starts_with([':', '：']);
    }
    t.strip_prefix(is_open_paren)
        .and_then(|x| x.strip_prefix(label))
        .map(|x| x.trim_start_matches(|c: char| c.is_ascii_digit()))
        .is_some_and(|x| x.starts_with(is_close_paren))
}

/// What a table row's first cell says the row is, when it is no indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLabel {
    /// 合計, 小計: the sum of the rows above.
    Total,
    /// 備考, （注）: notes.
    Note,
    /// （記入例）④○○件数, (例) ①…: a template's example.
    Example,
    /// ①○○申請件数: a template's placeholder name, never filled in.
    Placeholder,
}

impl Vocabulary {
    /// [`RowLabel`] of a row whose first cell is `text` (the whole cell,
    /// spaces, width and surrounding brackets aside: `合 計`, `（注）`; a
    /// footnote mark first: `※…`; an example word anywhere in it:
    /// `（記入例）④○○件数`).
    pub fn row_label(&self, text: &str) -> Option<RowLabel> {
        let t = crate::mapping::norm_label(text);
        let bare = t
            .strip_prefix(is_open_paren)
            .and_then(|x| x.strip_suffix(is_close_paren))
            .unwrap_or(&t);
        if self.total_labels.iter().any(|l| l == bare || *l == t || qualified(&t, l)) {
            Some(RowLabel::Total)
        } else if self.note_labels.iter().any(|l| l == bare || *l == t || labelled_note(&t, l)) || self.is_footnote(text) {
            // A footnote (※R4から算定方法を変更) is a note too, not an indicator.
            Some(RowLabel::Note)
        } else if self.is_example_normed(&t) || self.marked_example(text) {
            Some(RowLabel::Example)
        } else if self.is_placeholder(text) {
            Some(RowLabel::Placeholder)
        } else {
            None
        }
    }

    /// Whether `text` (a cell: a row's first, an item's title) calls itself
    /// a template's example: one of the `[rows] example_words` anywhere in it
    /// (記入例), or an `example_marks` mark set apart at its start or end
    /// (`(例) ○○システムの導入`, `①○○件数（例）`; not `例外…`, `…事例`).
    pub fn is_example(&self, text: &str) -> bool {
        (!self.example_words.is_empty() && self.is_example_normed(&crate::mapping::norm_label(text))) || self.marked_example(text)
    }

    /// Whether a sheet's name calls it an example: an example word anywhere
    /// in it (記入例2), or an example mark set apart from other letters
    /// (見本, サンプル (2), （例）, 記入見本; not 見本市, 事例, Sheet1 (2)).
    pub fn is_example_name(&self, name: &str) -> bool {
        let folded = fold_ascii_width(name);
        self.is_example_normed(&crate::mapping::norm_label(name)) || self.example_marks.iter().any(|m| set_apart(&folded, m))
    }

    /// Whether a cell of a sheet's title calls the sheet an example: an
    /// example word set apart in it (`【記入例】目標1 …`, `（記入例）DX個別取組票`;
    /// not `記入例を参考に記入してください`), or a mark at its start or end.
    pub fn is_example_title(&self, text: &str) -> bool {
        let folded = fold_ascii_width(text);
        self.example_words.iter().any(|w| set_apart(&folded, w)) || self.marked_example(text)
    }

    /// Whether a name holds a template's placeholder (`[rows]
    /// placeholder_marks`: ○○申請件数, △△数), so names nothing yet.
    pub fn is_placeholder(&self, text: &str) -> bool {
        self.placeholder_marks.iter().any(|m| text.contains(m.as_str()))
    }

    /// An example mark at the start or end of `text` (past brackets,
    /// numbers and marks), with no letter joined to it.
    fn marked_example(&self, text: &str) -> bool {
        let folded = fold_ascii_width(text);
        let t = folded.trim_matches(|c: char| !c.is_alphabetic());
        self.example_marks.iter().any(|m| {
            let after = t.strip_prefix(m.as_str()).map(|rest| rest.chars().next());
            let before = t.strip_suffix(m.as_str()).map(|rest| rest.chars().next_back());
            [after, before].into_iter().flatten().any(|c| !c.is_some_and(char::is_alphabetic))
        })
    }

    /// Whether a cell is page furniture (`[rows] furniture_pattern`: a
    /// ruling line, a page number left by PDF extraction).
    pub fn is_furniture(&self, text: &str) -> bool {
        self.furniture.as_ref().is_some_and(|re| re.is_match(text.trim()))
    }

    fn is_example_normed(&self, normed: &str) -> bool {
        self.example_words.iter().any(|w| normed.contains(w.as_str()))
    }

    /// Whether `text` holds one of the half-year words (上期, 下半期): the
    /// cheap test before a header cell is parsed for a year's half.
    pub fn mentions_half(&self, text: &str) -> bool {
        self.halves.iter().any(|(w, _)| text.contains(w.as_str()))
    }
}

/// Whether `word` stands in `text` with no letter joined to it on either
/// side: `見本`, `サンプル (2)`, `【記入例】目標1`, but not `見本市` or `事例`.
fn set_apart(text: &str, word: &str) -> bool {
    let letter = |c: Option<char>| c.is_some_and(char::is_alphabetic);
    text.match_indices(word)
        .any(|(i, _)| !letter(text[..i].chars().next_back()) && !letter(text[i + word.len()..].chars().next()))
}
