//! Prints the sentences ptsearch finds in the abstracts of PubTator files, one JSON line per
//! passage (`{"id","passage","text","starts"}`, starts in chars): the input of
//! `scripts/sentence-agreement`, which compares them with independent splitters.

use ptsearch::pubtator::sentences::of_document;
use ptsearch::pubtator::{parse_document, DocReader};
use std::io::{BufReader, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for path in std::env::args().skip(1) {
        let mut reader = DocReader::new(BufReader::new(std::fs::File::open(&path)?));
        while let Some(lines) = reader.next_doc()? {
            let Some(doc) = parse_document(&lines.lines()).document else {
                continue;
            };
            let sentences = of_document(&doc);
            for (i, p) in doc.passages.iter().enumerate().skip(1) {
                let starts = sentences.starts.get(i).cloned().unwrap_or_default();
                let line = serde_json::json!({
                    "id": doc.id, "passage": i, "text": p.text, "starts": starts,
                });
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}
