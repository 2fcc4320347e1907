//! A unit written at the end of an indicator's name, in brackets
//! (`電子化率（％）`, `公開数（件）`, `受講者数（単位：千人）`): the name without it,
//! and the unit for the row's values typed without one, as a 単位 column gives.
//! Only the vocabulary's `[name_units]` count, so `（累計）` or `（延べ）` stay in the name.

use super::trim_ws;
use super::value::looks_like_unit;
use super::{Vocabulary, fold_ascii_width};

impl Vocabulary {
    /// `(name without its bracketed unit, the unit as written)`; the name
    /// unchanged and no unit when it does not end with one.
    /// A footnote reference at the end (`…電子化数※1`, `…数（※）`) is taken
    /// off first: the same KPI is named without it in other files.
    pub fn split_name_unit(&self, name: &str) -> (String, Option<String>) {
        let name = self.without_footnote_ref(name);
        let unchanged = || (name.to_string(), None);
        let trimmed = trim_ws(name);
        let folded: Vec<char> = fold_ascii_width(trimmed).chars().collect();
        let Some(open_at) = bracket_open(&folded) else {
            return unchanged();
        };
        let inner: String = folded[open_at + 1..folded.len() - 1].iter().collect();
        let Some(unit) = self.name_unit(trim_ws(&inner)) else {
            return unchanged();
        };
        // Folding is char for char, so the bracket's index holds in the original.
        let rest: String = trimmed.chars().take(open_at).collect();
        let rest = trim_ws(&rest);
        if rest.is_empty() {
            return unchanged();
        }
        (rest.to_string(), Some(unit))
    }

    /// `…電子化数（削除）`: the name without the bracketed note at its end
    /// that a status rule reads as deleted (`削除`, `目標達成のため削除`);
    /// None when it has none, or nothing would be left.
    pub fn without_deletion_note<'n>(&self, name: &'n str) -> Option<&'n str> {
        let trimmed = trim_ws(name);
        let folded: Vec<char> = fold_ascii_width(trimmed).chars().collect();
        let open_at = bracket_open(&folded)?;
        let inner: String = folded[open_at + 1..folded.len() - 1].iter().collect();
        let deleted = self
            .status_rules
            .iter()
            .any(|(re, st)| *st == crate::model::Status::Deleted && re.is_match(&inner));
        // Folding is char for char, so the bracket's index holds in the original.
        let at = trimmed.char_indices().nth(open_at)?.0;
        let rest = trim_ws(&trimmed[..at]);
        (deleted && !rest.is_empty()).then_some(rest)
    }

    /// An indicator printed as deleted: in parentheses (`（④…）`), or with a
    /// deletion note after its name (`②…電子化数（削除）`).
    pub fn is_deleted_indicator(&self, raw: &str) -> bool {
        super::is_parenthesised_indicator(raw) || self.without_deletion_note(raw).is_some()
    }

    /// `name` without a footnote reference at its end: a footnote mark and
    /// digits (`※1`, `*2`, `※`), bracketed or not; unchanged if nothing
    /// would be left.
    pub fn without_footnote_ref<'n>(&self, name: &'n str) -> &'n str {
        let trimmed = trim_ws(name);
        let folded: Vec<char> = fold_ascii_width(trimmed).chars().collect();
        let mut end = folded.len();
        let closed = end > 0 && matches!(folded[end - 1], ')');
        if closed {
            end -= 1;
        }
        while end > 0 && folded[end - 1].is_ascii_digit() {
            end -= 1;
        }
        let Some(mark) = self.footnote_marks.iter().find(|m| {
            let m: Vec<char> = m.chars().collect();
            end >= m.len() && folded[end - m.len()..end] == m[..]
        }) else {
            return name;
        };
        let mut cut = end - mark.chars().count();
        if closed {
            // `（※1）`: the bracket opens right before the mark, or it is no reference.
            if cut == 0 || folded[cut - 1] != '(' {
                return name;
            }
            cut -= 1;
        }
        // Folding is char for char, so the index holds in the original.
        let head: usize = trimmed.chars().take(cut).map(char::len_utf8).sum();
        let rest = trim_ws(&trimmed[..head]);
        if rest.is_empty() { name } else { rest }
    }

    /// Whether folded `unit` is a unit word the vocabulary knows (`%`, `件`,
    /// `万人`), not any text that follows a number (`%を目指す`).
    pub(crate) fn is_unit_word(&self, unit: &str) -> bool {
        self.name_unit(unit).is_some()
    }

    /// The unit a bracket's text names, if it names one.
    fn name_unit(&self, inner: &str) -> Option<String> {
        for p in &self.name_unit_prefixes {
            if let Some(rest) = inner.strip_prefix(p.as_str()) {
                let rest = trim_ws(rest.trim_start_matches([':', '=']));
                return looks_like_unit(rest).then(|| rest.to_string());
            }
        }
        let bare = self
            .multipliers
            .iter()
            .find_map(|(m, _)| inner.strip_prefix(m.as_str()))
            .unwrap_or(inner);
        let known = |u: &str| self.name_units.iter().any(|n| n == u) || self.units.contains_key(u) || self.aliases.contains_key(u);
        (known(inner) || known(bare)).then(|| inner.to_string())
    }
}

/// Where the bracket that closes the text opens: `(`…`)` or `[`…`]` (their
/// full-width forms are folded already); None when the text does not end with one.
fn bracket_open(chars: &[char]) -> Option<usize> {
    let open = match chars.last()? {
        ')' => '(',
        ']' => '[',
        _ => return None,
    };
    let at = chars.iter().rposition(|&c| c == open)?;
    (at + 2 < chars.len()).then_some(at)
}

#[cfg(test)]
mod tests {

    /// A bracketed deletion note after a name marks it deleted; other
    /// bracketed words do not, nor a name that is the note alone.
    #[test]
    fn a_deletion_note_after_a_name() {
        let v = Vocabulary::builtin().unwrap();
        assert_eq!(v.without_deletion_note("②電子化数（削除）"), Some("②電子化数"));
        assert_eq!(v.without_deletion_note("電子化数(目標達成のため削除)"), Some("電子化数"));
        assert_eq!(v.without_deletion_note("電子化数（R元年度比）"), None);
        assert_eq!(v.without_deletion_note("（削除）"), None);
        assert!(v.is_deleted_indicator("(②電子化数)") && v.is_deleted_indicator("②電子化数（削除）"));
    }

    use crate::normalize::Vocabulary;

    fn vocab() -> Vocabulary {
        Vocabulary::builtin().unwrap()
    }

    /// A footnote reference at a name's end goes, in its forms; one inside
    /// the name, or a name that is only a mark, stays.
    #[test]
    fn a_footnote_reference_leaves_the_name() {
        let v = vocab();
        for (name, want) in [
            ("電子化数※1", "電子化数"),
            ("電子化数（※）", "電子化数"),
            ("電子化数 ＊2", "電子化数"),
            ("削減率※1（R元年度比）", "削減率※1（R元年度比）"),
            ("※", "※"),
        ] {
            assert_eq!(v.without_footnote_ref(name), want, "{name}");
        }
        assert_eq!(
            v.split_name_unit("電子化数（件）※1"),
            ("電子化数".to_string(), Some("件".to_string()))
        );
    }

    #[test]
    fn a_listed_unit_in_brackets_leaves_the_name() {
        let v = vocab();
        assert_eq!(
            v.split_name_unit("市町村オープンデータ取組率（％）"),
            ("市町村オープンデータ取組率".into(), Some("%".into()))
        );
        assert_eq!(
            v.split_name_unit("オープンデータ公開数 (件)"),
            ("オープンデータ公開数".into(), Some("件".into()))
        );
        assert_eq!(
            v.split_name_unit("受講者数（単位：千人）"),
            ("受講者数".into(), Some("千人".into()))
        );
        assert_eq!(
            v.split_name_unit("動画再生回数［万回］"),
            ("動画再生回数".into(), Some("万回".into()))
        );
    }

    #[test]
    fn other_brackets_stay_in_the_name() {
        let v = vocab();
        for name in [
            "相談件数（延べ）",
            "利用者数（累計）",
            "キャッシュレス決済比率(金額ベースの比率)",
            "（％）",
            "(3) 利用機会の格差是正",
            "満足度（5段階）",
        ] {
            assert_eq!(v.split_name_unit(name), (name.to_string(), None), "{name}");
        }
    }
}
