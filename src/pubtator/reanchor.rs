//! Carrying annotations from one version of a document's text to another (used by
//! [`super::layers::merge`] when sources disagree on the text): the passages of each version
//! are joined with `\n`, the two joined texts are aligned ([`super::align::Alignment`]), and
//! every span is moved through the alignment onto its own occurrence. An annotation whose
//! text changed, or that would straddle two passages, is kept without a span. Pure.

use super::align::Alignment;
use super::record::{Annotation, Passage, PassageKind, Span};

/// The passages of one text version joined by `\n`, with each passage's char start.
struct Joined {
    text: String,
    starts: Vec<usize>,
    lens: Vec<usize>,
}

impl Joined {
    fn new(passages: &[Passage]) -> Joined {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(passages.len());
        let mut lens = Vec::with_capacity(passages.len());
        let mut at = 0usize;
        for (i, p) in passages.iter().enumerate() {
            if i > 0 {
                text.push('\n');
                at += 1;
            }
            let n = p.text.chars().count();
            starts.push(at);
            lens.push(n);
            text.push_str(&p.text);
            at += n;
        }
        Joined { text, starts, lens }
    }
}

/// What happened to one annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    /// It sits on the same text in the new version.
    Landed,
    /// Its text is not in the new version (changed or deleted): kept without a span.
    Lost,
    /// It had no span to carry (it stays without one).
    NoSpan,
}

/// An alignment of two versions of a document's passages.
pub struct Reanchor<'a> {
    align: Alignment,
    old: Joined,
    new: Joined,
    new_passages: &'a [Passage],
}

impl<'a> Reanchor<'a> {
    /// Aligns `old` with `new`.
    pub fn new(old: &[Passage], new: &'a [Passage]) -> Reanchor<'a> {
        let (o, n) = (Joined::new(old), Joined::new(new));
        Reanchor {
            align: Alignment::new(&o.text, &n.text),
            old: o,
            new: n,
            new_passages: new,
        }
    }

    /// The new span of old `span`, when its text is unchanged in the new version.
    fn map(&self, span: Span) -> Option<Span> {
        let p = span.passage as usize;
        let base = *self.old.starts.get(p)?;
        if span.end as usize > self.old.lens[p] {
            return None;
        }
        let (s, e) = self
            .align
            .map_span(base + span.start as usize, base + span.end as usize)?;
        // The passage holding the new start; the end must stay inside it.
        let np = self
            .new
            .starts
            .partition_point(|&x| x <= s)
            .checked_sub(1)?;
        let nb = self.new.starts[np];
        (e - nb <= self.new.lens[np]).then(|| Span {
            passage: np as u32,
            start: (s - nb) as u32,
            end: (e - nb) as u32,
        })
    }

    /// Moves `a` (anchored on the old passages) onto the new ones; the further pieces of a
    /// discontinuous mention move with it (a piece whose text is gone is dropped).
    pub fn carry(&self, a: &mut Annotation) -> Carried {
        let Some(span) = a.span else {
            return Carried::NoSpan;
        };
        match self.map(span) {
            Some(span) => {
                a.span = Some(span);
                a.more = a.more.iter().filter_map(|&m| self.map(m)).collect();
                let (block, start, end) = record_offsets(self.new_passages, span);
                (a.block, a.start, a.end) = (block, start, end);
                Carried::Landed
            }
            None => {
                a.span = None;
                a.more.clear();
                Carried::Lost
            }
        }
    }
}

/// The record-local offsets (`title + " " + abstract` of the span's block, in chars) of a span:
/// what a PubTator line would say.
pub fn record_offsets(passages: &[Passage], span: Span) -> (u32, u64, u64) {
    let Some(p) = passages.get(span.passage as usize) else {
        return (0, u64::from(span.start), u64::from(span.end));
    };
    let shift = match p.kind {
        PassageKind::Title => 0,
        PassageKind::Abstract => passages
            .iter()
            .find(|t| t.block == p.block && t.kind == PassageKind::Title)
            .map_or(0, |t| t.text.chars().count() as u64 + 1),
    };
    (
        p.block,
        shift + u64::from(span.start),
        shift + u64::from(span.end),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passages(title: &str, abs: &str) -> Vec<Passage> {
        vec![
            Passage {
                kind: PassageKind::Title,
                block: 0,
                text: title.into(),
                section: None,
            },
            Passage {
                kind: PassageKind::Abstract,
                block: 0,
                text: abs.into(),
                section: None,
            },
        ]
    }

    fn ann(passage: u32, start: u32, end: u32, mention: &str) -> Annotation {
        Annotation {
            block: 0,
            start: 0,
            end: 0,
            mention: mention.into(),
            raw_type: "Gene".into(),
            raw_id: Some("410".into()),
            extra: Vec::new(),
            span: Some(Span {
                passage,
                start,
                end,
            }),
            more: Vec::new(),
        }
    }

    #[test]
    fn each_repeated_mention_keeps_its_own_occurrence_and_record_offsets() {
        let old = passages("Title", "We report ARSA loss. Then ARSA activity was low.");
        let new = passages(
            "Title",
            "BACKGROUND: We report ARSA loss. RESULTS: Then ARSA activity was low.",
        );
        let r = Reanchor::new(&old, &new);
        let mut a = ann(1, 10, 14, "ARSA");
        let mut b = ann(1, 26, 30, "ARSA");
        assert_eq!(r.carry(&mut a), Carried::Landed);
        assert_eq!(r.carry(&mut b), Carried::Landed);
        let text = &new[1].text;
        assert_eq!(
            a.span.map(|s| s.start),
            Some(text.find("ARSA").unwrap() as u32)
        );
        assert_eq!(
            b.span.map(|s| s.start),
            Some(text.rfind("ARSA").unwrap() as u32)
        );
        // Record offsets count the title and one space.
        assert_eq!((a.start, a.end), (6 + 22, 6 + 26));
        let mut none = ann(1, 0, 0, "");
        none.span = None;
        assert_eq!(r.carry(&mut none), Carried::NoSpan);
    }

    #[test]
    fn a_mention_moves_between_passages_and_a_changed_one_is_lost() {
        let old = passages("BRAF in melanoma", "");
        let new = passages("Melanoma study", "BRAF in melanoma.");
        let r = Reanchor::new(&old, &new);
        let mut a = ann(0, 0, 4, "BRAF");
        assert_eq!(r.carry(&mut a), Carried::Landed);
        assert_eq!(
            a.span,
            Some(Span {
                passage: 1,
                start: 0,
                end: 4
            })
        );
        assert_eq!((a.start, a.end), (15, 19));
        let mut m = ann(0, 8, 16, "melanoma");
        assert_eq!(r.carry(&mut m), Carried::Landed);
        let mut gone = ann(0, 0, 4, "BRAF");
        let kras = passages("KRAS in melanoma", "");
        let r = Reanchor::new(&old, &kras);
        assert_eq!(r.carry(&mut gone), Carried::Lost);
        assert_eq!(gone.span, None);
    }
}
