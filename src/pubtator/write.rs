//! Document → PubTator text, for `--format pubtator` and export. Writes back exactly the
//! columns that were read, so indexing the output and exporting again gives the same text.

use super::reanchor::record_offsets;
use super::record::{Annotation, Document, PassageKind};
use std::borrow::Cow;
use std::io::{self, Write};

/// Writes one document as PubTator records followed by a blank line.
///
/// A document without passages (entity-only, from PubTator3 bulk rows) gets empty title and
/// abstract lines so that the output stays valid PubTator; its bulk concepts have no offsets
/// and no place in the format (JSONL, BioC and JSON outputs carry them).
pub fn write_document<W: Write>(out: &mut W, doc: &Document) -> io::Result<()> {
    if doc.passages.is_empty() {
        writeln!(out, "{}|t|\n{}|a|", doc.id, doc.id)?;
    }
    let blocks = doc
        .passages
        .iter()
        .map(|p| p.block)
        .max()
        .map_or(0, |b| b + 1);
    for block in 0..blocks {
        for p in doc.passages.iter().filter(|p| p.block == block) {
            let code = match p.kind {
                PassageKind::Title => 't',
                PassageKind::Abstract => 'a',
            };
            writeln!(out, "{}|{}|{}", doc.id, code, p.text)?;
        }
        for a in doc.annotations.iter().filter(|a| a.block == block) {
            for (start, end, mention) in pubtator_pieces(doc, a) {
                write!(out, "{}\t{start}\t{end}\t{mention}\t{}", doc.id, a.raw_type)?;
                if let Some(id) = &a.raw_id {
                    write!(out, "\t{id}")?;
                }
                for x in &a.extra {
                    write!(out, "\t{x}")?;
                }
                writeln!(out)?;
            }
        }
    }
    for r in &doc.relations {
        write!(
            out,
            "{}\t{}\t{}\t{}",
            doc.id, r.rel_type, r.args[0], r.args[1]
        )?;
        if let Some(n) = &r.novelty {
            write!(out, "\t{n}")?;
        }
        writeln!(out)?;
    }
    writeln!(out)
}

/// The PubTator lines of one annotation as (start, end, mention): itself, or for a
/// discontinuous mention (which the format cannot express) one line per located piece of its
/// block, with the piece's text.
pub fn pubtator_pieces<'a>(doc: &'a Document, a: &'a Annotation) -> Vec<(u64, u64, Cow<'a, str>)> {
    if a.more.is_empty() {
        return vec![(a.start, a.end, Cow::Borrowed(a.mention.as_str()))];
    }
    a.spans()
        .filter_map(|s| {
            let p = doc.passages.get(s.passage as usize)?;
            let (block, start, end) = record_offsets(&doc.passages, s);
            let text: String = p
                .text
                .chars()
                .skip(s.start as usize)
                .take(s.end.saturating_sub(s.start) as usize)
                .collect();
            (block == a.block).then_some((start, end, Cow::Owned(text)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubtator::parse::{parse_document, Line};

    #[test]
    fn parse_then_write_reproduces_the_input() {
        let input = "1|t|PD1 in cancer.\n1|a|We study PD1.\n1\t0\t3\tPD1\tGene\t5133\n1\t4\t6\tin\tOTHER\n1\t7\t13\tcancer\tDisease\tD1|D2\tc|a\t\n1|t|Part two\n1|a|\n1\t0\t4\tPart\tGene\t1\n1\tAssociation\t5133\tD009369\tNovel\n\n";
        let lines: Vec<Line<'_>> = input
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .map(|(i, l)| Line {
                number: i as u64 + 1,
                bytes: l.as_bytes(),
            })
            .collect();
        let doc = parse_document(&lines).document.unwrap();
        let mut out = Vec::new();
        write_document(&mut out, &doc).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), input);
    }
}
