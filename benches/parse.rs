//! Parser throughput (MB/s): the streaming reader plus `parse_document`, and the conversion to
//! tantivy documents, over renumbered copies of the fixtures (and the shared corpora when
//! present). No index is written.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ptsearch::index::document::to_tantivy;
use ptsearch::index::schema::{build_schema, Fields};
use ptsearch::pubtator::{parse_document, DocReader};
use std::path::Path;

/// About 20 MB of PubTator text built from real documents.
fn corpus() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    for dir in [
        root.join("tests/data"),
        root.join("../shared/corpora/biored"),
        root.join("../shared/corpora/bc5cdr"),
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            if let Ok(text) = std::fs::read(&f) {
                if text.windows(3).any(|w| w == b"|t|") {
                    sources.push(text);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut copy = 0u32;
    while out.len() < 20 << 20 {
        for s in &sources {
            // Renumber by prefixing each line's ID with the copy number.
            for line in s.split(|b| *b == b'\n') {
                if !line.is_empty() && line[0].is_ascii_digit() {
                    out.extend_from_slice(format!("{copy}").as_bytes());
                }
                out.extend_from_slice(line);
                out.push(b'\n');
            }
        }
        copy += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let data = corpus();
    let fields = Fields::new(&build_schema()).expect("schema");
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(10);
    g.bench_function("read_blocks", |b| {
        b.iter(|| {
            let mut r = DocReader::new(&data[..]);
            let mut n = 0usize;
            while let Ok(Some(d)) = r.next_doc() {
                n += d.byte_len();
            }
            n
        })
    });
    g.bench_function("read_and_parse", |b| {
        b.iter(|| {
            let mut r = DocReader::new(&data[..]);
            let mut n = 0usize;
            while let Ok(Some(d)) = r.next_doc() {
                n += parse_document(&d.lines())
                    .document
                    .map_or(0, |d| d.annotations.len());
            }
            n
        })
    });
    g.bench_function("read_parse_and_convert", |b| {
        b.iter(|| {
            let mut r = DocReader::new(&data[..]);
            let mut n = 0usize;
            while let Ok(Some(d)) = r.next_doc() {
                if let Some(doc) = parse_document(&d.lines()).document {
                    n += to_tantivy(&fields, &doc).len();
                }
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
