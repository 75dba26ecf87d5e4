//! Placing BioC annotation locations (document offsets, sometimes bytes, UTF-16 units or
//! passage-relative) in the passages of a converted document, and the record-local
//! `start`/`end` that PubTator export needs.

use super::BiocStats;
use crate::pubtator::offsets::{OffsetRule, RecordText};
use crate::pubtator::{Passage, Span};

/// Places annotation locations in the passages of one document.
pub(crate) struct Placer<'a> {
    passages: &'a [Passage],
    offsets: &'a [i64],
    texts: Vec<RecordText<'a>>,
    title_chars: u64,
}

/// `(block, start, end, span, mention)`.
pub(crate) type Placed = (u32, u64, u64, Option<Span>, String);

impl<'a> Placer<'a> {
    pub(crate) fn new(passages: &'a [Passage], offsets: &'a [i64]) -> Self {
        Placer {
            passages,
            offsets,
            texts: passages
                .iter()
                .map(|p| RecordText::new(&p.text, None))
                .collect(),
            title_chars: passages
                .first()
                .map_or(0, |p| p.text.chars().count() as u64),
        }
    }

    /// The passage whose document range holds `off`: the last one starting at or before it.
    fn containing(&self, off: i64) -> Option<usize> {
        let mut best = None;
        for (i, &p) in self.offsets.iter().enumerate() {
            if p <= off && best.is_none_or(|b: usize| self.offsets[b] <= p) {
                best = Some(i);
            }
        }
        best
    }

    /// Chars `s..e` of passage `pi`, if in range.
    fn slice(&self, pi: usize, s: i64, e: i64) -> Option<String> {
        let (s, e) = (usize::try_from(s).ok()?, usize::try_from(e).ok()?);
        let t = &self.passages.get(pi)?.text;
        let mut it = t
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(t.len()));
        let bs = it.nth(s)?;
        let be = if e <= s { bs } else { it.nth(e - s - 1)? };
        t.get(bs..be).map(str::to_string)
    }

    /// Locates `m` at `local..local + len` in passage `pi`; only exact text gets a span.
    fn locate(
        &self,
        pi: usize,
        local: i64,
        len: i64,
        m: &str,
    ) -> (Option<(usize, usize)>, OffsetRule) {
        let at = |s: i64| u64::try_from(s).unwrap_or(u64::MAX);
        let (found, rule) = self.texts[pi].locate(at(local), at(local.saturating_add(len)), m);
        if rule != OffsetRule::Loose {
            return (found, rule);
        }
        match nearest(&self.passages[pi].text, m, local) {
            Some(f) => (Some(f), OffsetRule::Nearest),
            None => (None, OffsetRule::Unresolved),
        }
    }

    /// `(block, start, end, span, mention)` of one location. `mention` is `None` for a piece
    /// of a split annotation: its text is then read from the passage.
    ///
    /// Offsets are tried as document offsets in the passage the annotation is nested in (or
    /// the one holding the offset); when that is not an exact match, as offsets relative to
    /// the nesting passage, then as document offsets in the passage holding the offset.
    pub(crate) fn place(
        &mut self,
        nested_in: Option<usize>,
        off: i64,
        len: i64,
        mention: Option<&str>,
        whole: &str,
        stats: &mut BiocStats,
    ) -> Placed {
        let len = len.max(0);
        let first = match nested_in {
            Some(p) if off >= self.offsets[p] => Some(p),
            _ => self.containing(off).or(nested_in),
        };
        let Some(mut pi) = first else {
            stats.rules[5] += 1;
            let s = off.max(0) as u64;
            let m = mention.unwrap_or(whole).to_string();
            return (0, s, s.saturating_add(len as u64), None, m);
        };
        let local = off.saturating_sub(self.offsets[pi]);
        let m: String = match mention {
            Some(m) => m.to_string(),
            None => self
                .slice(pi, local, local.saturating_add(len))
                .unwrap_or_else(|| whole.to_string()),
        };
        let (mut found, mut rule) = self.locate(pi, local, len, &m);
        if rule != OffsetRule::Exact {
            let mut others = Vec::new();
            if let Some(p) = nested_in.filter(|&p| p != pi || local != off) {
                others.push((p, off, true));
            }
            if let Some(q) = self.containing(off).filter(|&q| q != pi) {
                others.push((q, off.saturating_sub(self.offsets[q]), false));
            }
            for (p, l, relative) in others {
                let (f, r) = self.locate(p, l, len, &m);
                if r == OffsetRule::Exact {
                    (found, rule, pi) = (f, r, p);
                    stats.passage_relative += u64::from(relative);
                    break;
                }
            }
        }
        let slot = OffsetRule::ALL.iter().position(|r| *r == rule).unwrap_or(5);
        stats.rules[slot] += 1;
        let at = |s: i64| u64::try_from(s.max(0)).unwrap_or(0);
        let (s, e) = match found {
            Some((s, e)) => (s as u64, e as u64),
            None => (at(local), at(local).saturating_add(len as u64)),
        };
        let span = found.map(|(s, e)| Span {
            passage: pi as u32,
            start: s as u32,
            end: e as u32,
        });
        let shift = if self.passages.len() == 2 && pi == 1 {
            self.title_chars + 1
        } else {
            0
        };
        (
            self.passages[pi].block,
            s.saturating_add(shift),
            e.saturating_add(shift),
            span,
            m,
        )
    }
}

/// The occurrence of `mention` in `text` nearest to char `near`, as char offsets.
fn nearest(text: &str, mention: &str, near: i64) -> Option<(usize, usize)> {
    if mention.is_empty() {
        return None;
    }
    let mut best: Option<(usize, u64)> = None;
    let (mut chars, mut last) = (0usize, 0usize);
    for (b, _) in text.match_indices(mention) {
        chars += text.get(last..b).map_or(0, |t| t.chars().count());
        last = b;
        let dist = (chars as i64).abs_diff(near);
        if best.is_none_or(|(_, d)| dist < d) {
            best = Some((chars, dist));
        }
    }
    best.map(|(c, _)| (c, c + mention.chars().count()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubtator::PassageKind;

    fn passages(texts: &[&str]) -> Vec<Passage> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Passage {
                kind: if texts.len() == 2 && i == 1 {
                    PassageKind::Abstract
                } else {
                    PassageKind::Title
                },
                block: if texts.len() == 2 { 0 } else { i as u32 },
                text: t.to_string(),
                section: None,
            })
            .collect()
    }

    fn span(passage: u32, start: u32, end: u32) -> Option<Span> {
        Some(Span {
            passage,
            start,
            end,
        })
    }

    #[test]
    fn abstract_offsets_count_after_the_title_and_a_space() {
        let ps = passages(&["Title.", "TNF here"]);
        let mut stats = BiocStats::default();
        let mut p = Placer::new(&ps, &[0, 7]);
        let got = p.place(Some(1), 7, 3, Some("TNF"), "TNF", &mut stats);
        assert_eq!(got, (0, 7, 10, span(1, 0, 3), "TNF".to_string()));
        assert_eq!(stats.rules[0], 1);
    }

    #[test]
    fn annotation_nested_in_the_wrong_passage_is_found_where_its_offset_is() {
        let ps = passages(&["One.", "Two TNF.", "Three."]);
        let mut stats = BiocStats::default();
        let mut p = Placer::new(&ps, &[0, 5, 14]);
        let got = p.place(Some(0), 9, 3, Some("TNF"), "TNF", &mut stats);
        assert_eq!(got, (1, 4, 7, span(1, 4, 7), "TNF".to_string()));
        assert_eq!((stats.rules[0], stats.passage_relative), (1, 0));
    }

    #[test]
    fn shifted_offsets_use_the_nearest_exact_occurrence_and_loose_gets_no_span() {
        let ps = passages(&["TNF and TNF-alpha and tnf"]);
        let mut stats = BiocStats::default();
        let mut p = Placer::new(&ps, &[0]);
        assert_eq!(
            p.place(Some(0), 9, 3, Some("TNF"), "TNF", &mut stats).3,
            span(0, 8, 11)
        );
        // "tnf" at 22 matches "TNF" only loosely: the exact "TNF" nearest to 22 is used.
        assert_eq!(
            p.place(Some(0), 22, 3, Some("TNF"), "TNF", &mut stats).3,
            span(0, 8, 11)
        );
        assert_eq!(
            p.place(Some(0), 22, 3, Some("IL6"), "IL6", &mut stats).3,
            None
        );
        assert_eq!((stats.rules[4], stats.rules[5]), (2, 1));
    }

    #[test]
    fn no_passages_negative_and_huge_offsets_never_panic() {
        let mut stats = BiocStats::default();
        let mut p = Placer::new(&[], &[]);
        assert_eq!(p.place(None, -5, 3, None, "x", &mut stats).3, None);
        let ps = passages(&["αβγ"]);
        let mut p = Placer::new(&ps, &[0]);
        for (o, l) in [(i64::MAX, i64::MAX), (i64::MIN, 5), (2, -7), (1, 1)] {
            let _ = p.place(Some(0), o, l, None, "x", &mut stats);
            let _ = p.place(None, o, l, Some("β"), "β", &mut stats);
        }
        assert_eq!(p.slice(0, 1, 2).as_deref(), Some("β"));
        assert_eq!(p.slice(0, 2, 9), None);
    }
}
