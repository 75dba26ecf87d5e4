#!/usr/bin/env bash
# Builds ptsearch, indexes the bundled sample documents into ./ptsearch-index and runs a few
# example searches. Usage: scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/ptsearch
export PTSEARCH_INDEX="${PTSEARCH_INDEX:-ptsearch-index}"
rm -rf "$PTSEARCH_INDEX"
$bin index tests/data/*.pubtator
run() { echo; echo "\$ ptsearch $*"; $bin "$@" || true; }
run search 'gene:5133 disease:MESH:D015179'
run search 'gene:PD1' --facets --facet-top 3
run search 'rel:Negative_Correlation|*|Disease' --format tsv
run search '"colorectal cancer" -aspirin' --format json -n 1
run show 31554797
run entities pd
run stats
