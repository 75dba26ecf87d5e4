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
# PubTator3 bulk files (entity rows, relation rows, a legacy file, gzip) attach to the documents.
run index tests/data/bulk/bioconcepts2pubtator3 tests/data/bulk/relation2pubtator3 \
  tests/data/bulk/disease2pubtator tests/data/bulk/gene2pubtator3.gz tests/data/bulk/texts.pubtator
run search 'resource:gene2pubmed'
run stats
