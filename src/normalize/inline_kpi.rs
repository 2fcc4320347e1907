//! The inline KPI syntax of goal cells: `… 〔KPI〕 name … R5：65% R6：78%（R4上期：54.7%）`.

use regex::Regex;

use super::*;
use crate::mapping::vocabulary::alt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KpiKind {
    Target,
    Baseline,
    /// Labelled an actual (`（R5実績：58.2%）`): the figure reported for its year.
    Actual,
}

impl KpiKind {
    /// The kind a word between a year and its value names (`実績` of
    /// `R5実績：58.2%`), by the vocabulary's `[header]` words; None for a
    /// word of no kind (`見込`, `現状`).
    fn named_by(word: &str, vocab: &Vocabulary) -> Option<KpiKind> {
        match vocab.decode_header(word).word? {
            HeaderWord::Value(crate::model::Kind::Target) => Some(KpiKind::Target),
            HeaderWord::Value(crate::model::Kind::Actual) => Some(KpiKind::Actual),
            HeaderWord::Value(crate::model::Kind::Baseline) => Some(KpiKind::Baseline),
            HeaderWord::Achievement => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct KpiEntry {
    pub spec: PeriodSpec,
    pub kind: KpiKind,
    /// The entry as printed, e.g. "R5：65%".
    pub raw: String,
    /// The value part as printed, e.g. "65%".
    pub value_raw: String,
    pub parsed: Parsed,
    /// The first year of a range label without an each-word (`R5～R7：60課所`):
    /// read as its last year's, but whether it holds for each year, or for
    /// the years together, the entry does not say.
    pub range_from: Option<i32>,
    /// From a bracketed group with no word saying whether its values are
    /// targets or actuals (`（R5：65%、R6：78%）`): read as baselines, as the
    /// past values such a group usually holds, but not known to be.
    pub kind_unsaid: bool,
    /// The entry's own label names its kind (`R5実績：58.2%`, `R5目標：65%`):
    /// that kind, whatever the bracket around it says or leaves unsaid.
    pub kind_named: bool,
    /// A bracket right after the entry, or words after its entries, that hold
    /// a value with no year the syntax reads (`R5：65%（実績：60.2%）`,
    /// `（R4.9月末：54.7%）`, `R7：80% ※R4上期実績54.7%`): not read, kept in
    /// `raw`, and said.
    pub unread_note: Option<String>,
    /// The Western year bracketed after the label when it is not the label's
    /// year (`R5（2024）：65%`): which one is meant the entry does not say.
    pub year_conflict: Option<i32>,
    /// A value in brackets (`R6：(60)課所`, `R6：（65課所）`): provisional, an
    /// estimate, or a negative as accounts write one; which, the entry does
    /// not say. Not read, and said.
    pub in_brackets: bool,
    /// A bracket, as printed, that opens or closes no group beside the entry
    /// (`『R4上期：54.7%』` with 『』 in no bracket pair of the syntax,
    /// `【R4上期：54.7%` left open): a past value read as a target? Not read, and said.
    pub stray_bracket: Option<char>,
}

impl KpiEntry {
    /// Whether the entry's value is read: not when its year, its bracketed
    /// value or a bracket beside it leaves it in doubt (said instead).
    pub fn readable(&self) -> bool {
        self.year_conflict.is_none() && !self.in_brackets && self.stray_bracket.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InlineKpi {
    pub name: String,
    pub entries: Vec<KpiEntry>,
    pub note: Option<String>,
}

/// Folded text with a map back to byte offsets of the original.
struct FoldMap<'a> {
    orig: &'a str,
    text: String,
    /// (folded offset, original offset) at every char boundary.
    map: Vec<(usize, usize)>,
}

impl<'a> FoldMap<'a> {
    /// `brackets`, folded, are written `(` and `)`: the syntax's groups.
    fn new(orig: &'a str, brackets: &[(char, char)]) -> FoldMap<'a> {
        let mut text = String::with_capacity(orig.len());
        let mut map = Vec::with_capacity(orig.len() + 1);
        for (ob, c) in orig.char_indices() {
            map.push((text.len(), ob));
            text.push(fold_bracket(fold_char(c), brackets));
        }
        map.push((text.len(), orig.len()));
        FoldMap { orig, text, map }
    }

    fn to_orig(&self, f: usize) -> usize {
        match self.map.binary_search_by(|(fo, _)| fo.cmp(&f)) {
            Ok(i) => self.map[i].1,
            Err(i) => self.map.get(i).map_or(self.orig.len(), |x| x.1),
        }
    }

    fn orig_slice(&self, a: usize, b: usize) -> &'a str {
        let (oa, ob) = (self.to_orig(a), self.to_orig(b));
        self.orig.get(oa..ob.max(oa)).unwrap_or("")
    }
}

/// The years one entry's label names (`R5～R7`, `R5・R6・R7`), and whether
/// its value is each one's whatever the value says.
struct YearSpan {
    years: Vec<i32>,
    each: bool,
}

enum EventKind {
    /// One entry, or one per year of a range (`R5～R7：各60課所`).
    Target(Vec<KpiEntry>),
    /// The entries of a bracketed group, of the kind its words say.
    Bracketed(Vec<KpiEntry>),
    Note(String),
}

struct Event {
    start: usize,
    end: usize,
    kind: EventKind,
}

struct InlineCtx<'v> {
    vocab: &'v Vocabulary,
    /// The syntax's other bracket pairs, folded (`【】`, `[]`).
    brackets: Vec<(char, char)>,
    entry: std::rc::Rc<EntryPattern>,
    notes: Vec<String>,
    /// Folded estimate words (`見込`).
    estimates: Vec<String>,
    /// Folded each-words (`各`).
    each: Vec<String>,
    /// Folded joiners of listed years (`・` of `R5・R6・R7：60課所`).
    joiners: Vec<String>,
}

impl InlineCtx<'_> {
    /// Entries "label sep value" in `fm.text[a..b]`, with folded offsets.
    fn entries_in(&self, fm: &FoldMap, a: usize, b: usize, kind: KpiKind) -> Vec<(usize, usize, KpiEntry)> {
        let mut out = Vec::new();
        let Some(hay) = fm.text.get(..b) else {
            return out;
        };
        let mut pos = a;
        while pos <= hay.len() {
            let Some(c) = self.entry.re.captures_at(hay, pos) else {
                break;
            };
            let (Some(m), Some(lab), Some(val)) = (c.get(0), c.name("label"), c.name("value")) else {
                break;
            };
            let in_brackets = val.as_str().starts_with('(');
            // A bracket after the separator that holds no number is no value;
            // nor is a word after a label word and a space (`R5実績 を踏まえ`).
            let no_value = in_brackets && self.vocab.parse_value(bracket_inner(val.as_str())).value.is_none();
            let spaced_prose = c.name("spaced").is_some() && !val.as_str().starts_with(|d: char| d.is_ascii_digit());
            if no_value || spaced_prose || char_before(hay, m.start()).is_some_and(|ch| ch.is_ascii_alphanumeric()) {
                pos = next_boundary(hay, m.start());
                continue;
            }
            let spec = self.vocab.parse_period(lab.as_str()).unwrap_or(PeriodSpec {
                fiscal_year: None,
                period: Period::FY,
                as_of: None,
            });
            let mut end = self.value_end(hay, val.start(), val.end());
            let (mut value_raw, mut parsed, unread_note) = self.read_value(fm.orig_slice(val.start(), end));
            // `R6：60 課所`: a unit word set apart by spaces is the value's unit.
            if unread_note.is_none()
                && !in_brackets
                && let Some((te, with)) = self.spaced_unit(fm, hay, end, &value_raw, &parsed, |u| self.vocab.is_unit_word(u))
            {
                (end, parsed) = (te, with);
                value_raw = fm.orig_slice(val.start(), end).to_string();
            }
            let word = c.name("word").or_else(|| c.name("spaced")).map(|w| w.as_str());
            if word.is_some_and(|w| self.estimates.iter().any(|e| e == w)) && parsed.status == Status::Ok {
                parsed.status = Status::Approx;
            }
            let named = word.and_then(|w| KpiKind::named_by(w, self.vocab));
            let year_conflict = c
                .name("west")
                .and_then(|w| w.as_str().parse::<i32>().ok())
                .filter(|&w| spec.fiscal_year != Some(w));
            let start = m.start();
            let span = match c.name("list") {
                Some(list) => Some(self.listed_years(list.as_str())),
                None => self.range_years(lab.as_str(), &spec),
            };
            let spec = match &span {
                // `R5・R6・R7`: a list of plain years, read as its last year's FY.
                Some(YearSpan { years, .. }) if c.name("list").is_some() => PeriodSpec {
                    fiscal_year: years.last().copied(),
                    period: Period::FY,
                    as_of: None,
                },
                _ => spec,
            };
            let entry = KpiEntry {
                spec,
                kind: named.unwrap_or(kind),
                raw: fm.orig_slice(start, end).to_string(),
                parsed,
                value_raw,
                range_from: None,
                kind_unsaid: false,
                kind_named: named.is_some(),
                unread_note,
                year_conflict,
                in_brackets,
                stray_bracket: None,
            };
            let each_said = || self.each.iter().any(|w| fold_ascii_width(&entry.value_raw).starts_with(w.as_str()));
            match span {
                None => out.push((start, end, entry)),
                // `R5～R7：各60課所`, `R5・R6・R7：60課所`: 60 for each year.
                Some(YearSpan { years, each }) if each || each_said() => {
                    for fy in years {
                        let spec = PeriodSpec {
                            fiscal_year: Some(fy),
                            ..entry.spec
                        };
                        out.push((start, end, KpiEntry { spec, ..entry.clone() }));
                    }
                }
                // Otherwise the range's last year, as a period label reads it, marked.
                Some(YearSpan { years, .. }) => out.push((
                    start,
                    end,
                    KpiEntry {
                        range_from: years.first().copied(),
                        ..entry
                    },
                )),
            }
            pos = if end > m.start() { end } else { next_boundary(hay, m.start()) };
        }
        out
    }

    /// `R5～R7`: the years of a range label of full years (its value may be
    /// each year's, when an each-word says so, or the years' together).
    fn range_years(&self, label: &str, spec: &PeriodSpec) -> Option<YearSpan> {
        let named = self.vocab.fiscal_years_named(label);
        match (named.first(), named.last()) {
            (Some(&a), Some(&b)) if a < b && b - a < 20 && spec.period == Period::FY => Some(YearSpan {
                years: (a..=b).collect(),
                each: false,
            }),
            _ => None,
        }
    }

    /// `R5・R6・R7`: the years of a list label, whose one value is each
    /// year's (a list, unlike a range, names each year it holds for). When a
    /// listed year is not a full fiscal year one after another (`R4.9・R5`,
    /// `R7・R5`), the span is not each year's: read as a range is without an
    /// each-word, its last year's and said, never spread over years unsaid.
    fn listed_years(&self, label: &str) -> YearSpan {
        let mut items = vec![label.to_string()];
        for j in &self.joiners {
            items = items
                .iter()
                .flat_map(|i| i.split(j.as_str()).map(str::to_string).collect::<Vec<_>>())
                .collect();
        }
        let years: Vec<Option<i32>> = items
            .iter()
            .map(|i| {
                self.vocab
                    .parse_period(trim_ws(i))
                    .filter(|p| p.period == Period::FY && p.as_of.is_none())
                    .and_then(|p| p.fiscal_year)
            })
            .collect();
        let each = years.iter().all(Option::is_some) && years.windows(2).all(|w| w[0] < w[1]);
        let years = if each {
            years.into_iter().flatten().collect()
        } else {
            let mut named = self.vocab.fiscal_years_named(label);
            named.sort_unstable();
            named.dedup();
            named
        };
        YearSpan { years, each }
    }

    /// Where the value starting at `start` ends: entries joined without a space
    /// (`R5：65%、R6：78%`) end where the next entry's label starts, less the
    /// punctuation that joined them.
    fn value_end(&self, hay: &str, start: usize, end: usize) -> usize {
        let Some(next) = hay.get(..end).and_then(|h| {
            let from = next_boundary(h, start);
            self.entry
                .re
                .find_at(h, from.min(h.len()))
                .filter(|n| n.start() > start && !char_before(h, n.start()).is_some_and(|c| c.is_ascii_alphanumeric()))
        }) else {
            return end;
        };
        let value = hay.get(start..next.start()).unwrap_or("");
        let kept = value.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '%'));
        if kept.is_empty() { end } else { start + kept.len() }
    }

    /// The word after a value and spaces (`R6：60 課所`), as folded offsets;
    /// None when no space comes first, or a name separator follows the word
    /// (`… 5 件 … R5：`: it may name the next KPI). The word ends at a space, a
    /// bracket or the next entry, less the punctuation that joins entries.
    fn spaced_word(&self, hay: &str, from: usize) -> Option<(usize, usize)> {
        let rest = hay.get(from..)?;
        let ws = rest.len() - rest.trim_start().len();
        if ws == 0 {
            return None;
        }
        let ts = from + ws;
        let next_entry = self.entry.re.find_at(hay, ts).map_or(hay.len(), |m| m.start());
        let word = hay.get(ts..next_entry)?;
        let word = word.split(|c: char| c.is_whitespace() || c == '(' || c == ')').next()?;
        let word = word.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '%'));
        let te = ts + word.len();
        let after = hay.get(te..)?.trim_start();
        let named = self.entry.seps.iter().any(|s| after.starts_with(s.as_str()));
        (!word.is_empty() && !named).then_some((ts, te))
    }

    /// A value printed with no unit (`60`), then spaces and a word `known`
    /// takes for a unit (`課所`, `%`) → where the word ends and the value read
    /// with it. None when the value has a unit or no number.
    fn spaced_unit(
        &self,
        fm: &FoldMap,
        hay: &str,
        from: usize,
        value_raw: &str,
        parsed: &Parsed,
        known: impl Fn(&str) -> bool,
    ) -> Option<(usize, Parsed)> {
        if parsed.value.is_none() || parsed.unit.is_some() {
            return None;
        }
        let (ts, te) = self.spaced_word(hay, from)?;
        let unit = fm.orig_slice(ts, te);
        let with = self.vocab.parse_value(&format!("{}{unit}", trim_ws(value_raw)));
        let read = with.value.is_some() && with.unit.as_deref().is_some_and(&known);
        read.then_some((te, with))
    }

    /// `R6：60 システム` after `R5：44システム`: a word after a bare value and
    /// spaces that is the unit another entry of the KPI carries (`next`, the
    /// entries after the gap `a..b`, for the KPI's first entry), though no
    /// unit word of the vocabulary, is the value's unit too, not the next
    /// KPI's name. → where the gap goes on.
    fn sibling_unit(&self, fm: &FoldMap, cur: &mut Option<InlineKpi>, next: &[KpiEntry], a: usize, b: usize) -> usize {
        let Some(kpi) = cur.as_mut() else {
            return a;
        };
        let units: Vec<String> = kpi.entries.iter().chain(next).filter_map(|e| e.parsed.unit.clone()).collect();
        let Some(last) = kpi.entries.last() else {
            return a;
        };
        let hay = fm.text.get(..b).unwrap_or("");
        let Some((te, with)) = self.spaced_unit(fm, hay, a, &last.value_raw, &last.parsed, |u| units.iter().any(|k| k == u)) else {
            return a;
        };
        let (raw, added) = (last.raw.clone(), fm.orig_slice(a, te));
        // A range with 各 gave one entry a year, all printed as one.
        for e in kpi.entries.iter_mut().rev().take_while(|e| e.raw == raw) {
            e.raw.push_str(added);
            e.value_raw.push_str(added);
            e.parsed = with.clone();
        }
        te
    }

    /// An entry's value as printed → (the value, read, and the words after its
    /// unit when they hold a number): `80%を目指す` is 80 %, its words kept in
    /// the entry's raw text only; a number among them is not lost unsaid.
    fn read_value(&self, printed: &str) -> (String, Parsed, Option<String>) {
        let whole = self.vocab.parse_value(printed);
        let Some((value, rest)) = self.unit_end(printed, &whole).and_then(|cut| printed.split_at_checked(cut)) else {
            return (printed.to_string(), whole, None);
        };
        let note = carries_number(&fold_ascii_width(rest), self.vocab).then(|| trim_ws(rest).to_string());
        (value.to_string(), self.vocab.parse_value(value), note)
    }

    /// Where a value's unit ends when words follow it that are no unit of the
    /// vocabulary (`80%を目指す`, `80%まで引き上げる`): the longest start of
    /// `value` read as a number with a unit word. None when the whole is a
    /// number with a unit word or none (`60課所`, `4システム`), or no start
    /// is; never inside a compound unit (`3回/年`), nor before a word that
    /// reverses the target (`20%以下`, `[reversing_suffixes]`).
    fn unit_end(&self, value: &str, whole: &Parsed) -> Option<usize> {
        let known = |p: &Parsed| p.value.is_some() && p.unit.as_deref().is_some_and(|u| self.vocab.is_unit_word(u));
        if whole.value.is_some() && (whole.unit.is_none() || known(whole)) {
            return None;
        }
        let mut starts = value.char_indices().map(|(i, _)| i).skip(1).collect::<Vec<_>>();
        starts.reverse();
        let cut = starts.into_iter().find(|&i| {
            let (Some(head), Some(tail)) = (value.get(..i), value.get(i..)) else {
                return false;
            };
            !tail.starts_with('/') && known(&self.vocab.parse_value(head))
        })?;
        // `20%以下` reverses the target: kept whole, as tables keep it.
        let rest = fold_ascii_width(value.get(cut..).unwrap_or_default());
        let reverses = self.vocab.reversing_suffixes.iter().any(|w| trim_ws(&rest).starts_with(w.as_str()));
        (!reverses).then_some(cut)
    }

    /// Strip whitespace and separators from both ends.
    fn clean<'s>(&self, mut s: &'s str) -> &'s str {
        loop {
            let before = s.len();
            s = trim_ws(s);
            for sep in &self.entry.seps {
                if let Some(r) = s.strip_prefix(sep.as_str()) {
                    s = r;
                }
                if let Some(r) = s.strip_suffix(sep.as_str()) {
                    s = r;
                }
            }
            if s.len() == before {
                return s;
            }
        }
    }

    /// A gap between events → (name, label-less value entry).
    fn split_gap(&self, fm: &FoldMap, a: usize, b: usize) -> (Option<String>, Option<KpiEntry>) {
        let folded = fm.text.get(a..b).unwrap_or("");
        if trim_ws(self.clean(folded)).is_empty() {
            return (None, None);
        }
        // label-less value after the last separator ("点検施設数 … 計137施設")
        let mut best: Option<(usize, usize)> = None;
        for sep in &self.entry.seps {
            if let Some(i) = folded.rfind(sep.as_str())
                && best.is_none_or(|(bi, _)| i > bi)
            {
                best = Some((i, i + sep.len()));
            }
        }
        if let Some((si, se)) = best {
            let cand_f = folded.get(se..).unwrap_or("");
            let lead = cand_f.len() - cand_f.trim_start().len();
            let cand_f = trim_ws(cand_f);
            if !cand_f.is_empty() {
                let cand_orig = fm.orig_slice(a + se + lead, a + se + lead + cand_f.len());
                let parsed = self.vocab.parse_value(cand_orig);
                // `… 2024：78% 2025：80%`: entries whose year the syntax does not
                // read; the last value is theirs, not one without a year.
                let unknown_entries = holds_values(folded.get(..si).unwrap_or(""), &self.entry.seps, self.vocab);
                if parsed.value.is_some() && !unknown_entries {
                    let name = trim_ws(self.clean(fm.orig_slice(a, a + si))).to_string();
                    let entry = KpiEntry {
                        spec: PeriodSpec {
                            fiscal_year: None,
                            period: Period::FY,
                            as_of: None,
                        },
                        kind: KpiKind::Target,
                        raw: cand_orig.to_string(),
                        value_raw: cand_orig.to_string(),
                        parsed,
                        range_from: None,
                        kind_unsaid: false,
                        kind_named: false,
                        unread_note: None,
                        year_conflict: None,
                        in_brackets: false,
                        stray_bracket: None,
                    };
                    return (Some(name), Some(entry));
                }
            }
        }
        let name = trim_ws(self.clean(fm.orig_slice(a, b)));
        if self.vocab.parse_value(name).status == Status::Blank {
            return (Some(String::new()), None);
        }
        if !name.chars().any(char::is_alphanumeric) {
            return (None, None); // the punctuation joining two entries (R5：65%、R6：78%), no name
        }
        (Some(name.to_string()), None)
    }

    /// A bracket right after an entry (`gap`, folded; `group`, as printed):
    /// its unit when the entry has none (`65（%）`), else a qualifier
    /// (`（累計）`) or a value the syntax cannot date (`（実績：60.2%）`,
    /// `（R4上期実績54.7%）`), said. Kept in the entry's raw text either way.
    fn attach_group(&self, last: &mut KpiEntry, gap: &str, group: &str) {
        let inner = trim_ws(gap).trim_start_matches('(').trim_end_matches(')');
        let unit = self.vocab.parse_value(&format!("{}{}", last.value_raw, trim_ws(inner)));
        if last.parsed.value.is_some() && last.parsed.unit.is_none() && self.vocab.is_unit_word(trim_ws(inner)) && unit.value.is_some() {
            last.parsed.value = unit.value;
            last.parsed.unit = unit.unit;
            last.value_raw.push_str(group);
        } else if holds_values(gap, &self.entry.seps, self.vocab) || carries_number(gap, self.vocab) {
            last.unread_note = Some(group.to_string());
        }
        last.raw.push_str(group);
    }

    /// Words after a KPI's last entry, up to the block's end, that name no KPI
    /// with values (`R7：80% 職員アンケートにより把握`, `… ※R4上期実績54.7%`):
    /// a note on that entry, kept in its raw text, its number (if any) said;
    /// made a name, they were an indicator of their own with no values.
    fn trailing_note(&self, fm: &FoldMap, cur: &mut Option<InlineKpi>, a: usize, b: usize) -> bool {
        let gap = fm.text.get(a..b).unwrap_or("");
        let Some(last) = cur.as_mut().and_then(|k| k.entries.last_mut()) else {
            return false;
        };
        if is_one_group(gap) {
            return false;
        }
        match self.split_gap(fm, a, b) {
            (Some(name), None) if !name.is_empty() => {}
            _ => return false,
        }
        let note = trim_ws(fm.orig_slice(a, b));
        last.raw.push(' ');
        last.raw.push_str(note);
        if carries_number(gap, self.vocab) {
            last.unread_note = Some(match last.unread_note.take() {
                Some(before) => format!("{before} {note}"),
                None => note.to_string(),
            });
        }
        true
    }

    /// `R6：60課所 ※1 R7：…`: a footnote reference between entries is the
    /// entry before's, kept in its raw text; before, it named the next KPI
    /// (`※1`), which took the entries after it. → whether the gap was one.
    fn footnote_ref(&self, fm: &FoldMap, cur: &mut Option<InlineKpi>, a: usize, b: usize) -> bool {
        let gap = trim_ws(fm.text.get(a..b).unwrap_or(""));
        let bare = gap.strip_prefix('(').and_then(|g| g.strip_suffix(')')).map_or(gap, trim_ws);
        let is_ref = self.vocab.footnote_marks.iter().any(|m| {
            bare.strip_prefix(m.as_str())
                .is_some_and(|n| n.trim().bytes().all(|c| c.is_ascii_digit()))
        });
        let Some(last) = cur.as_mut().and_then(|k| k.entries.last_mut()).filter(|_| is_ref) else {
            return false;
        };
        last.raw.push(' ');
        last.raw.push_str(trim_ws(fm.orig_slice(a, b)));
        true
    }

    /// Whether the block's last event is a sentence a name separator made an
    /// entry (`R7：80% ／ R7年度末までにコピー使用量を80%削減する`: `までに`):
    /// text with a number but no value, right after the KPI's entries. Read,
    /// it was the KPI's final target; left, it is a note on the entry before.
    fn is_trailing_sentence(&self, fm: &FoldMap, events: &[Event]) -> bool {
        let [.., before, last] = events else {
            return false;
        };
        let EventKind::Target(es) = &last.kind else {
            return false;
        };
        let between = fm.text.get(before.end..last.start).unwrap_or("");
        match es.as_slice() {
            [e] => {
                e.parsed.value.is_none()
                    && e.parsed.status == Status::Text
                    && carries_number(&fold_ascii_width(&e.value_raw), self.vocab)
                    && !between.chars().any(char::is_alphanumeric)
            }
            _ => false,
        }
    }

    fn parse_block(&self, block: &str) -> Vec<InlineKpi> {
        let fm = FoldMap::new(block, &self.brackets);
        let text = fm.text.as_str();
        let mut events: Vec<Event> = Vec::new();
        let (groups, strays) = bracket_groups(text);
        for &(gs, ge) in &groups {
            let inner = text.get(gs + 1..ge - 1).unwrap_or("");
            if self.notes.iter().any(|n| inner.contains(n.as_str())) {
                let note = trim_ws(fm.orig_slice(gs + 1, ge - 1)).to_string();
                events.push(Event {
                    start: gs,
                    end: ge,
                    kind: EventKind::Note(note),
                });
                continue;
            }
            // `（中間目標 R5：65%）` holds targets, `（実績 R5：58.2%）` actuals, and
            // a group that says neither past values (baselines). An entry's own
            // word (`（R5実績：58.2%）`) is its kind, and no other entry's.
            let mut es = self.entries_in(&fm, gs + 1, ge - 1, KpiKind::Baseline);
            if !es.is_empty() {
                let said = KpiKind::named_by(&outside_entries(text, gs + 1, ge - 1, &es), self.vocab);
                for e in es.iter_mut().map(|e| &mut e.2).filter(|e| !e.kind_named) {
                    e.kind_unsaid = said.is_none();
                    e.kind = said.unwrap_or(KpiKind::Baseline);
                }
                events.push(Event {
                    start: gs,
                    end: ge,
                    kind: EventKind::Bracketed(es.into_iter().map(|e| e.2).collect()),
                });
            }
        }
        for (s, e, entry) in self.entries_in(&fm, 0, text.len(), KpiKind::Target) {
            if groups.iter().any(|&(gs, ge)| s >= gs && s < ge) {
                continue;
            }
            if let Some(Event {
                start,
                end,
                kind: EventKind::Target(same),
            }) = events.last_mut()
                && (*start, *end) == (s, e)
            {
                same.push(entry);
                continue;
            }
            events.push(Event {
                start: s,
                end: e,
                kind: EventKind::Target(vec![entry]),
            });
        }
        events.sort_by_key(|e| e.start);
        if self.is_trailing_sentence(&fm, &events) {
            events.pop();
        }
        mark_stray_brackets(&fm, &strays, &mut events);

        let mut kpis: Vec<InlineKpi> = Vec::new();
        let mut cur: Option<InlineKpi> = None;
        let mut prev = 0;
        let new_kpi = |name: String| InlineKpi {
            name,
            entries: Vec::new(),
            note: None,
        };
        let handle_gap = |cur: &mut Option<InlineKpi>, kpis: &mut Vec<InlineKpi>, a: usize, b: usize| {
            // `R6：3,300人（累計）`: a parenthesised word right after an entry
            // qualifies that entry; it is not the next KPI's name.
            // With a value but no year (`（実績：60.2%）`) it is no KPI either:
            // made a name, it took the next entries to a KPI of its own.
            let gap = fm.text.get(a..b).unwrap_or("");
            if let Some(last) = cur.as_mut().and_then(|k| k.entries.last_mut())
                && is_one_group(gap)
            {
                self.attach_group(last, gap, trim_ws(fm.orig_slice(a, b)));
                return;
            }
            let (name, entry) = self.split_gap(&fm, a, b);
            if let Some(name) = name {
                if let Some(k) = cur.take() {
                    kpis.push(k);
                }
                *cur = Some(new_kpi(name));
            }
            if let Some(e) = entry {
                cur.get_or_insert_with(|| new_kpi(String::new())).entries.push(e);
            }
        };
        for ev in events {
            if ev.start < prev {
                continue; // overlapping (should not happen)
            }
            let next = match &ev.kind {
                EventKind::Target(es) | EventKind::Bracketed(es) => es.as_slice(),
                EventKind::Note(_) => &[],
            };
            let from = self.sibling_unit(&fm, &mut cur, next, prev, ev.start);
            if !self.footnote_ref(&fm, &mut cur, from, ev.start) {
                handle_gap(&mut cur, &mut kpis, from, ev.start);
            }
            let k = cur.get_or_insert_with(|| new_kpi(String::new()));
            match ev.kind {
                EventKind::Target(es) => k.entries.extend(es),
                EventKind::Bracketed(es) => k.entries.extend(es),
                EventKind::Note(n) => k.note = Some(n),
            }
            prev = ev.end;
        }
        let from = self.sibling_unit(&fm, &mut cur, &[], prev, text.len());
        if !self.trailing_note(&fm, &mut cur, from, text.len()) {
            handle_gap(&mut cur, &mut kpis, from, text.len());
        }
        if let Some(k) = cur.take() {
            kpis.push(k);
        }
        kpis.retain(|k| !(k.name.is_empty() && k.entries.is_empty() && k.note.is_none()));
        kpis
    }
}

/// `c` (folded) as `(` or `)` when it opens or closes one of `brackets`.
fn fold_bracket(c: char, brackets: &[(char, char)]) -> char {
    if brackets.iter().any(|&(o, _)| o == c) {
        '('
    } else if brackets.iter().any(|&(_, e)| e == c) {
        ')'
    } else {
        c
    }
}

/// A bracket in folded text that no group holds: where, and whether it opens.
struct Stray {
    at: usize,
    opens: bool,
}

/// The parenthesised groups of folded text (not nested: an inner group is
/// the group, and the bracket around it a stray), and the strays by
/// position: a `(` or `)` unpaired, and a bracket of no pair the syntax
/// knows (`『』`, `〖〗`: Unicode's opening and closing punctuation).
fn bracket_groups(text: &str) -> (Vec<(usize, usize)>, Vec<Stray>) {
    static OTHER: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    let other = OTHER.get_or_init(|| Regex::new(r"(?P<open>[\p{Ps}\p{Pi}])|[\p{Pe}\p{Pf}]").ok());
    let mut strays: Vec<Stray> = other
        .iter()
        .flat_map(|re| re.captures_iter(text))
        .filter_map(|c| {
            let m = c.get(0)?;
            (m.as_str() != "(" && m.as_str() != ")").then(|| Stray {
                at: m.start(),
                opens: c.name("open").is_some(),
            })
        })
        .collect();
    let mut groups = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match c {
            '(' => {
                if let Some(o) = open.replace(i) {
                    strays.push(Stray { at: o, opens: true });
                }
            }
            ')' => match open.take() {
                Some(o) => groups.push((o, i + 1)),
                None => strays.push(Stray { at: i, opens: false }),
            },
            _ => {}
        }
    }
    if let Some(o) = open {
        strays.push(Stray { at: o, opens: true });
    }
    strays.sort_by_key(|s| s.at);
    (groups, strays)
}

/// Marks the entries a stray bracket stands beside: an opening one before
/// an entry (spaces between at most) or inside it, a closing one after or
/// inside it. `【R4上期：54.7%` left open, or in a pair the syntax does not
/// know, is a past value that would be read as a target unsaid.
fn mark_stray_brackets(fm: &FoldMap, strays: &[Stray], events: &mut [Event]) {
    let blank = |a: usize, b: usize| fm.text.get(a..b).is_some_and(|g| g.trim().is_empty());
    for s in strays {
        let end = next_boundary(&fm.text, s.at);
        let printed = fm.orig_slice(s.at, end).chars().next();
        for ev in events.iter_mut() {
            let (EventKind::Target(es) | EventKind::Bracketed(es)) = &mut ev.kind else {
                continue;
            };
            let inside = s.at >= ev.start && s.at < ev.end;
            let beside = if s.opens {
                end <= ev.start && blank(end, ev.start)
            } else {
                s.at >= ev.end && blank(ev.end, s.at)
            };
            if inside || beside {
                for e in es.iter_mut() {
                    e.stray_bracket = e.stray_bracket.or(printed);
                }
            }
        }
    }
}

/// `text[a..b]` less the spans of `entries` in it: the words a bracketed
/// group says of all its entries (`中間目標` of `（中間目標 R5：65%）`).
fn outside_entries(text: &str, a: usize, b: usize, entries: &[(usize, usize, KpiEntry)]) -> String {
    let mut out = String::new();
    let mut at = a;
    for &(s, e, _) in entries {
        out.push_str(text.get(at..s.max(at)).unwrap_or(""));
        at = at.max(e);
    }
    out.push_str(text.get(at..b.max(at)).unwrap_or(""));
    out
}

/// The text inside a value's leading bracket (`60` of `(60)課所`).
fn bracket_inner(folded: &str) -> &str {
    let inner = folded.strip_prefix('(').unwrap_or(folded);
    trim_ws(inner.split(')').next().unwrap_or(""))
}

/// Whether folded `text` is one parenthesised group and nothing else.
fn is_one_group(text: &str) -> bool {
    let t = trim_ws(text);
    t.len() > 2 && t.starts_with('(') && t.ends_with(')') && t[1..t.len() - 1].chars().all(|c| c != '(' && c != ')')
}

/// Whether folded text holds a number that is neither a year (`2019年度比`)
/// nor part of a label (the 4 of `R4`, the 9 of `R4.9`): `54.7%` in
/// `※R4上期実績54.7%`, `80%` in `コピー使用量を80%削減する`.
fn carries_number(folded: &str, vocab: &Vocabulary) -> bool {
    let chars: Vec<char> = folded.chars().collect();
    let in_number = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',');
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let glued = i > 0 && chars.get(i - 1).is_some_and(|&c| c.is_ascii_alphanumeric() || in_number(c));
        while chars.get(i).is_some_and(|&c| in_number(c)) {
            i += 1;
        }
        let after: String = chars.get(i..).unwrap_or_default().iter().collect();
        let a_year = vocab.year_suffixes.iter().any(|s| after.starts_with(s.as_str()));
        if !glued && !a_year {
            return true;
        }
    }
    false
}

/// Whether a KPI's name still holds what looks like its entries (`… R5 65%`,
/// `65%（R5）`, `（R3実績：28.3%）`): numbers with a unit, or a value after a
/// name separator, that no entry took because their year is written in a way
/// the syntax does not know. Such a KPI has lost those values.
pub fn name_holds_values(name: &str, syntax: &InlineKpiSyntax, vocab: &Vocabulary) -> bool {
    let seps: Vec<String> = syntax.name_separators.iter().map(|s| fold_ascii_width(s)).collect();
    let folded = fold_ascii_width(name);
    holds_values(&folded, &seps, vocab)
        || folded.split_whitespace().any(|t| dated_value(t, vocab))
        || value_after_separator(&folded, &seps, vocab)
}

/// `オフィス改革実施課所数 … 各年度60課所`: a name separator left in a KPI's
/// name with a number and a unit after it. What follows a separator is the
/// KPI's values, here with no year label the syntax reads (`各年度`): which
/// years they are for it does not say, so they are not read, but said.
fn value_after_separator(folded: &str, seps: &[String], vocab: &Vocabulary) -> bool {
    seps.iter()
        .filter_map(|s| folded.find(s.as_str()).and_then(|i| folded.get(i + s.len()..)))
        .any(|rest| number_with_unit(rest, vocab))
}

/// Whether folded text holds a number with a unit right after it (`60課所`
/// in `各年度60課所`, `65%`): a number not glued to a label (`R5`) nor a
/// year (`2019年度`).
fn number_with_unit(folded: &str, vocab: &Vocabulary) -> bool {
    let mut glued = false;
    for (i, c) in folded.char_indices() {
        let starts = c.is_ascii_digit() && !glued;
        glued = c.is_ascii_alphanumeric() || matches!(c, '.' | ',');
        if starts {
            let after = folded[i..].trim_start_matches(|d: char| d.is_ascii_digit() || matches!(d, '.' | ','));
            let a_year = vocab.year_suffixes.iter().any(|s| after.starts_with(s.as_str()));
            if !a_year && starts_with_unit(after, vocab) {
                return true;
            }
        }
    }
    false
}

/// Whether `after` (folded, right after a number) starts with % or a unit
/// word of `[name_units]`.
fn starts_with_unit(after: &str, vocab: &Vocabulary) -> bool {
    after.starts_with('%') || vocab.name_units.iter().any(|u| after.starts_with(u.as_str()))
}

/// `R5年度目標65%`: a year, then a number with a unit, in one token with no
/// separator the syntax knows: an entry written another way, not a name.
fn dated_value(token: &str, vocab: &Vocabulary) -> bool {
    let mut glued = true;
    for (i, c) in token.char_indices() {
        let starts_number = c.is_ascii_digit() && !glued;
        glued = c.is_ascii_alphanumeric() || matches!(c, '.' | ',');
        if !starts_number || vocab.parse_fiscal_year(&token[..i]).is_none() {
            continue;
        }
        let after = token[i..].trim_start_matches(|d: char| d.is_ascii_digit() || matches!(d, '.' | ','));
        if starts_with_unit(after, vocab) {
            return true;
        }
    }
    false
}

/// [`name_holds_values`] on folded text with folded separators.
fn holds_values(folded: &str, seps: &[String], vocab: &Vocabulary) -> bool {
    let mut after_sep = false;
    // Tokens end at spaces, brackets and punctuation (`、`), but not inside a
    // number (`3,300`, `54.7%`) or at a name separator, which is looked for next.
    let ends_token = |c: char| {
        c.is_whitespace() || !(c.is_alphanumeric() || matches!(c, '.' | ',' | '%' | '-' | '+') || seps.iter().any(|s| s.contains(c)))
    };
    for token in folded.split(ends_token) {
        let mut rest = token;
        loop {
            let next = seps.iter().filter_map(|s| rest.find(s.as_str()).map(|i| (i, s.len()))).min();
            let (piece, tail) = match next {
                Some((i, n)) => (&rest[..i], Some(&rest[i + n..])),
                None => (rest, None),
            };
            let p = vocab.parse_value(piece);
            // `2019年度比` in a name is the year it compares with, not a value.
            let a_year = p
                .unit
                .as_deref()
                .is_some_and(|u| vocab.year_suffixes.iter().any(|s| u.starts_with(s.as_str())));
            if p.value.is_some() && !a_year && (p.unit.is_some() || after_sep) {
                return true;
            }
            after_sep = tail.is_some();
            match tail {
                Some(t) => rest = t,
                None => break,
            }
        }
    }
    false
}

/// Compiles `src` once per process: the inline-KPI pattern depends only on the
/// mapping's syntax, but the parser is called once per goal cell. Shared, not
/// cloned: a cloned `Regex` starts with an empty lazy-DFA cache and rebuilds
/// its states on every search, which cost a tenth of the whole run.
fn cached_regex(src: &str) -> Option<std::sync::Arc<Regex>> {
    type Compiled = std::collections::HashMap<String, Option<std::sync::Arc<Regex>>>;
    static CACHE: std::sync::OnceLock<std::sync::Mutex<Compiled>> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().ok()?;
    map.entry(src.to_string())
        .or_insert_with(|| Regex::new(src).ok().map(std::sync::Arc::new))
        .clone()
}

/// The pattern of one entry (`R5：65%`: a period label, a name separator, a
/// value) and the separators, longest first, as given and folded.
struct EntryPattern {
    re: std::sync::Arc<Regex>,
    seps: Vec<String>,
}

/// What an [`EntryPattern`] is built from: a syntax's separators and label
/// words, and the vocabulary's period labels.
#[derive(PartialEq)]
struct EntryKey {
    separators: Vec<String>,
    words: Vec<String>,
    joiners: Vec<String>,
    labels: String,
}

/// [`EntryPattern`] of the syntax, built once per thread and syntax: it was
/// rebuilt (its source string formatted and hashed) for every cell asked
/// whether it holds KPIs, 6 % of a run's instructions.
fn entry_regex(syntax: &InlineKpiSyntax, vocab: &Vocabulary) -> Option<std::rc::Rc<EntryPattern>> {
    type Memo = Option<(EntryKey, Option<std::rc::Rc<EntryPattern>>)>;
    thread_local!(static LAST: std::cell::RefCell<Memo> = const { std::cell::RefCell::new(None) });
    let same = |k: &EntryKey| {
        k.separators == syntax.name_separators
            && k.words == syntax.label_words
            && k.joiners == syntax.year_joiners
            && k.labels == vocab.period_label_pattern()
    };
    if let Some(hit) = LAST.with_borrow(|m| m.as_ref().filter(|(k, _)| same(k)).map(|(_, p)| p.clone())) {
        return hit;
    }
    let built = build_entry_pattern(syntax, vocab).map(std::rc::Rc::new);
    let key = EntryKey {
        separators: syntax.name_separators.clone(),
        words: syntax.label_words.clone(),
        joiners: syntax.year_joiners.clone(),
        labels: vocab.period_label_pattern().to_string(),
    };
    LAST.with_borrow_mut(|m| *m = Some((key, built.clone())));
    built
}

fn build_entry_pattern(syntax: &InlineKpiSyntax, vocab: &Vocabulary) -> Option<EntryPattern> {
    let mut seps: Vec<String> = Vec::new();
    for s in syntax.name_separators.iter().filter(|s| !s.is_empty()) {
        seps.push(s.clone());
        seps.push(fold_ascii_width(s));
    }
    seps.sort_by_key(|s| std::cmp::Reverse(s.len()));
    seps.dedup();
    let sep_alt = alt(&seps.iter().map(|s| fold_ascii_width(s)).collect::<Vec<_>>());
    let words: Vec<String> = syntax.label_words.iter().map(|w| fold_ascii_width(w)).collect();
    let joiners: Vec<String> = syntax.year_joiners.iter().map(|j| fold_ascii_width(j)).collect();
    // `R5・R6・R7`: years joined by a joiner, tried before a single label.
    let year = vocab.year_label_pattern();
    let list = if joiners.is_empty() {
        String::new()
    } else {
        format!(r"(?P<list>(?:{year}\s*(?:{})\s*)+{year})|", alt(&joiners))
    };
    // A label word may stand for the separator, a space after it: `R5実績 58.2%`.
    let words = alt(&words);
    let entry_src = format!(
        r"(?P<label>{list}{})(?:\s*\(\s*(?P<west>[0-9]{{4}})\s*(?:{})?\s*\))?(?:(?P<word>{words})?\s*(?:{sep_alt})\s*|(?P<spaced>{words})\s+)(?P<value>\([^\s()]+\)[^\s()]*|[^\s()]+)",
        vocab.period_label_pattern(),
        alt(&vocab.year_suffixes),
    );
    Some(EntryPattern {
        re: cached_regex(&entry_src)?,
        seps,
    })
}

/// Whether a goal cell without the KPI marker still holds year-labelled
/// numbers (`R5：65%`): KPIs behind a marker spelt some other way, which
/// would otherwise pass unread as the goal's prose.
pub fn has_unmarked_kpis(text: &str, syntax: &InlineKpiSyntax, vocab: &Vocabulary) -> bool {
    let marked = std::iter::once(&syntax.marker)
        .chain(&syntax.other_markers)
        .any(|m| !m.is_empty() && text.contains(m.as_str()));
    if marked {
        return false;
    }
    let Some(entry) = entry_regex(syntax, vocab) else {
        return false;
    };
    let folded = fold_ascii_width(text);
    entry
        .re
        .captures_iter(&folded)
        .any(|c| c.name("value").is_some_and(|v| vocab.parse_value(v.as_str()).value.is_some()))
}

/// Split a goal cell into (goal text before the marker, KPIs).
///
/// HTML-like tags (`<p>`, `</p>`, `<br>`) are removed first. Each marker
/// starts a block holding one or more KPIs: `name [sep] label sep value ...`
/// where parenthesised `(label sep value)` groups are baselines and a
/// parenthesised repeat note becomes `note`. A value after the name
/// separator without a year label ("計137施設") is a target with no year.
pub fn parse_inline_kpis(text: &str, syntax: &InlineKpiSyntax, vocab: &Vocabulary) -> (String, Vec<InlineKpi>) {
    static TAG_RE: std::sync::OnceLock<Option<Regex>> = std::sync::OnceLock::new();
    // A tag's name, then ASCII attributes after a space: `<R4上期：54.7%>` is
    // a value in brackets, and removed as a tag it was lost unsaid.
    let tag_re = TAG_RE.get_or_init(|| Regex::new(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[!-;=?-~\s]*)?/?>").ok());
    let marker = syntax.marker.as_str();
    // Other spellings first: `<KPI>` would otherwise go as a tag.
    let mut text = std::borrow::Cow::Borrowed(text);
    for other in &syntax.other_markers {
        if text.contains(other.as_str()) {
            text = text.replace(other.as_str(), marker).into();
        }
    }
    let cleaned = match tag_re {
        Some(re) => re.replace_all(&text, " ").into_owned(),
        None => text.into_owned(),
    };
    if marker.is_empty() || !cleaned.contains(marker) {
        return (trim_ws(&cleaned).to_string(), Vec::new());
    }
    let mut parts = cleaned.split(marker);
    let goal = trim_ws(parts.next().unwrap_or("")).to_string();
    let Some(entry) = entry_regex(syntax, vocab) else {
        return (goal, Vec::new());
    };
    let ctx = InlineCtx {
        vocab,
        entry,
        notes: syntax
            .repeat_note
            .iter()
            .filter(|n| !n.is_empty())
            .map(|n| fold_ascii_width(n))
            .collect(),
        estimates: syntax.estimate_words.iter().map(|w| fold_ascii_width(w)).collect(),
        each: syntax.each_words.iter().map(|w| fold_ascii_width(w)).collect(),
        joiners: syntax.year_joiners.iter().map(|j| fold_ascii_width(j)).collect(),
        brackets: syntax.other_brackets.iter().map(|&(o, c)| (fold_char(o), fold_char(c))).collect(),
    };
    let mut kpis = Vec::new();
    for block in parts {
        kpis.extend(ctx.parse_block(block));
    }
    (goal, kpis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax() -> InlineKpiSyntax {
        InlineKpiSyntax {
            marker: "〔KPI〕".into(),
            other_markers: vec!["【KPI】".into(), "[KPI]".into()],
            name_separators: vec!["…".into(), "：".into()],
            repeat_note: vec!["再掲".into()],
            label_words: vec!["実績".into(), "目標".into(), "見込".into()],
            estimate_words: vec!["見込".into()],
            each_words: vec!["各".into()],
            year_joiners: vec!["・".into(), "、".into(), ",".into()],
            other_brackets: vec![('【', '】'), ('［', '］')],
        }
    }

    fn kpis(text: &str) -> Vec<InlineKpi> {
        parse_inline_kpis(text, &syntax(), &Vocabulary::builtin().unwrap()).1
    }

    #[test]
    fn another_spelling_of_the_marker_starts_a_kpi_as_the_marker_does() {
        for marker in ["〔KPI〕", "【KPI】", "[KPI]"] {
            let k = kpis(&format!("紙の使用量を削減する {marker} コピー使用量削減率 … R5：65% R6：78%"));
            assert_eq!(k.len(), 1, "{marker}: {k:#?}");
            assert_eq!(k[0].name, "コピー使用量削減率", "{marker}");
            let values: Vec<Option<f64>> = k[0].entries.iter().map(|e| e.parsed.value).collect();
            assert_eq!(values, [Some(65.0), Some(78.0)], "{marker}");
        }
    }

    #[test]
    fn year_labelled_numbers_without_the_marker_are_noticed() {
        let syntax = InlineKpiSyntax {
            marker: "〔KPI〕".into(),
            other_markers: Vec::new(),
            name_separators: vec!["…".into(), "：".into()],
            repeat_note: vec!["再掲".into()],
            label_words: vec!["実績".into(), "目標".into(), "見込".into()],
            estimate_words: vec!["見込".into()],
            each_words: vec!["各".into()],
            year_joiners: Vec::new(),
            other_brackets: Vec::new(),
        };
        let v = Vocabulary::builtin().unwrap();
        assert!(has_unmarked_kpis(
            "削減する ≪KPI≫ コピー使用量削減率 … R5：65% R6：78%",
            &syntax,
            &v
        ));
        assert!(has_unmarked_kpis("削減する KPI：削減率 令和５年度：６５％", &syntax, &v));
        // Prose with a year but no number after a separator is a goal.
        assert!(!has_unmarked_kpis("R7年度末までに、紙の使用量を大幅に削減する", &syntax, &v));
        assert!(!has_unmarked_kpis("R5：検討", &syntax, &v));
        // With the marker, whatever it holds is the KPI parser's to read.
        assert!(!has_unmarked_kpis("削減する 〔KPI〕 - R5：65%", &syntax, &v));
    }

    #[test]
    fn entries_joined_by_punctuation_are_read_one_by_one() {
        let k = kpis("〔KPI〕 オフィス改革実施課所数 … R5：60課所、R6：3,300人、R7：99.5%（R3：28.3%）");
        assert_eq!(k.len(), 1, "{k:#?}");
        assert_eq!(k[0].name, "オフィス改革実施課所数");
        let got: Vec<String> = k[0]
            .entries
            .iter()
            .map(|e| format!("{:?} {:?} {:?} {}", e.spec.fiscal_year, e.parsed.value, e.parsed.unit, e.raw))
            .collect();
        assert_eq!(
            got,
            [
                r#"Some(2023) Some(60.0) Some("課所") R5：60課所"#,
                r#"Some(2024) Some(3300.0) Some("人") R6：3,300人"#,
                r#"Some(2025) Some(99.5) Some("%") R7：99.5%"#,
                r#"Some(2021) Some(28.3) Some("%") R3：28.3%"#,
            ]
        );
    }

    #[test]
    fn a_range_label_with_each_is_every_year() {
        let v = Vocabulary::builtin().unwrap();
        let (_, k) = parse_inline_kpis("〔KPI〕 オフィス改革実施課所数 … R5～R7：各60課所", &syntax(), &v);
        let got: Vec<(Option<i32>, Option<f64>)> = k[0].entries.iter().map(|e| (e.spec.fiscal_year, e.parsed.value)).collect();
        assert_eq!(k[0].name, "オフィス改革実施課所数");
        assert_eq!(got, [(Some(2023), Some(60.0)), (Some(2024), Some(60.0)), (Some(2025), Some(60.0))]);
        // Without 各 the label reads as its last year, as before.
        let (_, k) = parse_inline_kpis("〔KPI〕 研修受講者数 … R5～R7：900人", &syntax(), &v);
        let got: Vec<(Option<i32>, Option<f64>)> = k[0].entries.iter().map(|e| (e.spec.fiscal_year, e.parsed.value)).collect();
        assert_eq!(got, [(Some(2025), Some(900.0))]);
        assert_eq!(k[0].entries[0].range_from, Some(2023));
    }

    #[test]
    fn listed_years_are_each_years_and_a_list_out_of_order_is_a_range() {
        let years = |text: &str| -> Vec<(Option<i32>, Option<f64>, Option<i32>)> {
            let k = kpis(text);
            assert_eq!(k[0].name, "オフィス改革実施課所数", "{text}");
            k[0].entries
                .iter()
                .map(|e| (e.spec.fiscal_year, e.parsed.value, e.range_from))
                .collect()
        };
        let each = [
            (Some(2023), Some(60.0), None),
            (Some(2024), Some(60.0), None),
            (Some(2025), Some(60.0), None),
        ];
        assert_eq!(years("〔KPI〕 オフィス改革実施課所数 … R5・R6・R7：60課所"), each);
        assert_eq!(years("〔KPI〕 オフィス改革実施課所数 … R5、R6、R7：60課所"), each);
        assert_eq!(years("〔KPI〕 オフィス改革実施課所数 … R5・R7：60課所"), [each[0], each[2]]);
        // Out of order: not spread, read as a range without 各 is (said).
        assert_eq!(
            years("〔KPI〕 オフィス改革実施課所数 … R7・R5：60課所"),
            [(Some(2025), Some(60.0), Some(2023))]
        );
        // Entries joined by 、 stay entries.
        assert_eq!(
            years("〔KPI〕 オフィス改革実施課所数 … R5：60課所、R6：65課所"),
            [(Some(2023), Some(60.0), None), (Some(2024), Some(65.0), None)]
        );
    }

    /// An entry's label word names its kind by the vocabulary's `[header]`
    /// words, in brackets or not, and no other entry's: before, every
    /// bracketed value was a baseline and every other one a target
    /// (`R3実績：40%` a target, `（R5実績：58.2%）` a baseline).
    #[test]
    fn a_label_word_names_its_entry_kind() {
        let read = |text: &str| -> Vec<(KpiKind, bool, Option<i32>, Option<f64>)> {
            kpis(text)[0]
                .entries
                .iter()
                .map(|e| (e.kind, e.kind_unsaid, e.spec.fiscal_year, e.parsed.value))
                .collect()
        };
        use KpiKind::*;
        assert_eq!(
            read("〔KPI〕 削減率 … R5：65%（R4上期：54.7%、R5実績：58.2%）"),
            [
                (Target, false, Some(2023), Some(65.0)),
                (Baseline, true, Some(2022), Some(54.7)),
                (Actual, false, Some(2023), Some(58.2))
            ]
        );
        // A word outside the entries is the group's; an entry's own word wins.
        assert_eq!(
            read("〔KPI〕 削減率 … R7：80%（実績 R4：54.7% R5目標：65%）"),
            [
                (Target, false, Some(2025), Some(80.0)),
                (Actual, false, Some(2022), Some(54.7)),
                (Target, false, Some(2023), Some(65.0))
            ]
        );
        assert_eq!(
            read("〔KPI〕 削減率 … R3実績：40% R5：65%"),
            [(Actual, false, Some(2021), Some(40.0)), (Target, false, Some(2023), Some(65.0))]
        );
        // A label word and a space stand for the separator before a number only.
        assert_eq!(
            read("〔KPI〕 削減率 … R5：65%【R5実績 58.2%】")[1],
            (Actual, false, Some(2023), Some(58.2))
        );
        assert_eq!(read("〔KPI〕 削減率 R5目標 を見直す … R7：80%").len(), 1);
    }

    /// A pair a reform office adds to `other_brackets` reads as （）; before, no
    /// pair did, and a past value in 〖〗 was a target.
    #[test]
    fn a_bracket_pair_added_to_the_syntax_holds_past_values() {
        let v = Vocabulary::builtin().unwrap();
        let text = "〔KPI〕 コピー使用量削減率 … R5：65% R7：80%〖R4上期：54.7%〗";
        let read = |syntax: &InlineKpiSyntax| -> Vec<(KpiKind, Option<f64>, String, Option<char>)> {
            let (_, k) = parse_inline_kpis(text, syntax, &v);
            k[0].entries
                .iter()
                .map(|e| (e.kind, e.parsed.value, e.raw.clone(), e.stray_bracket))
                .collect()
        };
        let unknown = read(&syntax());
        assert_eq!(unknown[2], (KpiKind::Target, Some(54.7), "R4上期：54.7%〗".to_string(), Some('〖')));
        assert!(!kpis(text)[0].entries[2].readable());
        let mut added = syntax();
        added.other_brackets.push(('〖', '〗'));
        assert_eq!(
            read(&added),
            [
                (KpiKind::Target, Some(65.0), "R5：65%".to_string(), None),
                (KpiKind::Target, Some(80.0), "R7：80%".to_string(), None),
                (KpiKind::Baseline, Some(54.7), "R4上期：54.7%".to_string(), None),
            ]
        );
    }
}
