//! Parses the query set of `benches/query_parse.rs` a fixed number of times: a deterministic
//! workload for an instruction count (`valgrind --tool=callgrind`) of the query parser, to
//! compare grammar versions where wall-clock timings are too noisy.

use ptsearch::search::query::parse::parse;
use std::hint::black_box;

const QUERIES: [&str; 9] = [
    "BRAF melanoma",
    "gene:5133",
    "gene:673 AND disease:MESH:D008545",
    "\"immune checkpoint\" NOT title:review",
    "rel:Association|gene:5133|Disease",
    "(BRAF OR KRAS OR NRAS) melanoma^2 -title:mouse",
    "type:Gene AND id:9606",
    "tumor necrosis factor alpha induced apoptosis in human colorectal cancer cell lines treated with cisplatin and paclitaxel in combination therapy",
    "(gene:5133 OR gene:29126 OR gene:7124) AND (disease:D009369 OR disease:D008545) AND NOT chemical:D002945 AND (immunotherapy OR \"checkpoint blockade\")",
];

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let mut ok = 0usize;
    for _ in 0..rounds {
        for q in QUERIES {
            ok += usize::from(black_box(parse(black_box(q))).is_ok());
        }
    }
    println!("{ok} parses");
}
