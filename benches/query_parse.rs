//! Query-parse cost: `search::query::parse::parse` (lexing and the syntax tree, no index) over
//! a set of query forms that every version of the grammar accepts, one criterion case per form
//! and one for the whole set. The set is kept to forms older versions also parse, so that the
//! same file can time a version before a grammar change against one after it (BENCHMARKS.md,
//! "Query parsing").

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ptsearch::search::query::parse::parse;
use std::hint::black_box;

/// (case name, query).
const QUERIES: [(&str, &str); 9] = [
    ("words", "BRAF melanoma"),
    ("entity", "gene:5133"),
    ("entity_and_mesh", "gene:673 AND disease:MESH:D008545"),
    ("phrase_not_field", "\"immune checkpoint\" NOT title:review"),
    ("relation", "rel:Association|gene:5133|Disease"),
    (
        "groups_boost",
        "(BRAF OR KRAS OR NRAS) melanoma^2 -title:mouse",
    ),
    ("type_and_id", "type:Gene AND id:9606"),
    (
        "long_words",
        "tumor necrosis factor alpha induced apoptosis in human colorectal cancer cell lines \
         treated with cisplatin and paclitaxel in combination therapy",
    ),
    (
        "long_boolean",
        "(gene:5133 OR gene:29126 OR gene:7124) AND (disease:D009369 OR disease:D008545) \
         AND NOT chemical:D002945 AND (immunotherapy OR \"checkpoint blockade\")",
    ),
];

fn bench(c: &mut Criterion) {
    for (_, q) in QUERIES {
        assert!(parse(q).is_ok(), "{q} parses");
    }
    let mut g = c.benchmark_group("query_parse");
    for (name, q) in QUERIES {
        g.bench_function(name, |b| b.iter(|| parse(black_box(q))));
    }
    g.throughput(Throughput::Elements(QUERIES.len() as u64));
    g.bench_function("all", |b| {
        b.iter(|| {
            for (_, q) in QUERIES {
                let _ = black_box(parse(black_box(q)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
