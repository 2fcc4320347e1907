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
    pub fn split_name_unit(&self, name: &str) -> (String, Option<String>) {
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
    use crate::normalize::Vocabulary;

    fn vocab() -> Vocabulary {
        Vocabulary::builtin().unwrap()
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
