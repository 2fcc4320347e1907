//! Results of the vocabulary's pure text parses, kept per thread.
//!
//! The same header and period labels recur in every item of a sheet and in
//! every division's copy of a template: decoding them again was about a tenth
//! of a run's instructions. A parse depends only on its text and on the
//! vocabulary, which never changes once built, so a result is keyed by the
//! text and tagged with the vocabulary's [`Vocabulary::memo_id`].
//!
//! [`Vocabulary::memo_id`]: crate::mapping::vocabulary::Vocabulary

use std::cell::RefCell;
use std::thread::LocalKey;

/// Texts a thread keeps per parse before it starts again: far more than the
/// distinct labels of any family, and a bound on memory for odd inputs.
const CAPACITY: usize = 4096;

/// One parse's results on one thread, for one vocabulary.
pub(crate) struct TextMemo<T> {
    owner: u64,
    results: foldhash::HashMap<Box<str>, T>,
}

impl<T> Default for TextMemo<T> {
    fn default() -> Self {
        TextMemo {
            owner: 0,
            results: foldhash::HashMap::default(),
        }
    }
}

/// `parse()`'s result for `text` under the vocabulary tagged `owner`, from the
/// thread's memo when it holds one. `parse` may use other memos, not this one.
pub(crate) fn memoized<T: Clone + 'static>(
    memo: &'static LocalKey<RefCell<TextMemo<T>>>,
    owner: u64,
    text: &str,
    parse: impl FnOnce() -> T,
) -> T {
    let hit = memo.with_borrow(|m| if m.owner == owner { m.results.get(text).cloned() } else { None });
    if let Some(hit) = hit {
        return hit;
    }
    let result = parse();
    memo.with_borrow_mut(|m| {
        if m.owner != owner || m.results.len() >= CAPACITY {
            m.results.clear();
            m.owner = owner;
        }
        m.results.insert(text.into(), result.clone());
    });
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local!(static LENGTHS: RefCell<TextMemo<usize>> = RefCell::new(TextMemo::default()));

    /// A result is reused for its own vocabulary only, and the memo stays bounded.
    #[test]
    fn a_result_is_kept_per_vocabulary_and_bounded() {
        let (a, b) = (1, 2);
        let calls = std::cell::Cell::new(0);
        let len = |owner, s: &str| {
            memoized(&LENGTHS, owner, s, || {
                calls.set(calls.get() + 1);
                s.len()
            })
        };
        assert_eq!((len(a, "abc"), len(a, "abc")), (3, 3));
        assert_eq!(len(b, "abc"), 3);
        assert_eq!(calls.get(), 2, "the second vocabulary parses again");
        for i in 0..CAPACITY + 10 {
            len(a, &i.to_string());
        }
        assert!(LENGTHS.with_borrow(|m| m.results.len()) <= CAPACITY);
    }
}
