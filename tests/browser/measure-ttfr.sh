#!/usr/bin/env bash
# Time to first result of the search page on a generated index: generates N documents with
# scripts/gen-corpus (default 100000), indexes them with a release build, serves them and
# measures `/?q=QUERY` with the browser's navigation timing (tests/browser/ttfr.mjs).
# Usage: tests/browser/measure-ttfr.sh [N] [QUERY] [RUNS]   (PROFILE=debug uses the debug build)
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-100000}"; query="${2:-gene:673}"; runs="${3:-20}"
work="${BENCH_DIR:-target/bench}"
mkdir -p "$work"
corpus="$work/corpus-$n.pubtator"
[ -f "$corpus" ] || python3 scripts/gen-corpus --docs "$n" --seed 1 --quiet --out "$corpus"
profile="${PROFILE:-release}"
if [ "$profile" = release ]; then cargo build --release --quiet --bin ptsearch; else cargo build --quiet --bin ptsearch; fi
bin="target/$profile/ptsearch"
[ -f "$work/index-$n/meta.json" ] || "$bin" --index "$work/index-$n" index --quiet "$corpus"
log="$work/serve-$n.log"
echo "binary: $bin"
"$bin" --index "$work/index-$n" serve --addr 127.0.0.1:0 > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
base=""
for _ in $(seq 1 200); do
  base=$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$log" | head -n1)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { cat "$log"; exit 1; }
echo "documents: $n"
BASE_URL="$base" node tests/browser/ttfr.mjs "$query" "$runs"
