#!/usr/bin/env bash
# Browser tests of the search page: builds ptsearch, indexes the test fixtures (tests/data plus
# tests/browser/fixtures with non-ASCII text before spans and an XSS title), starts
# `ptsearch serve` on a free loopback port, runs every scenario file sequentially (one headless
# Debian Chromium per file, driven by playwright-core), saves screenshots under target/browser/
# and stops the server. Needs /usr/bin/chromium (apt-get install chromium) and
# `npm ci --prefix tests/browser`.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/browser
rm -rf "$out"
mkdir -p "$out"

cargo build --quiet --bin ptsearch
bin=target/debug/ptsearch

"$bin" --index "$out/index" index --quiet \
  tests/data/ranking.pubtator tests/data/seed-31554797.pubtator tests/data/utf8_offsets.pubtator \
  tests/data/tokenizer.pubtator tests/data/passages_same_id.pubtator tests/data/title_only.pubtator \
  tests/browser/fixtures/page.pubtator

"$bin" --index "$out/index" serve --addr 127.0.0.1:0 > "$out/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
base=""
for _ in $(seq 1 100); do
  base=$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$out/serve.log" | head -n1)
  [ -n "$base" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$out/serve.log"; echo "server exited"; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { cat "$out/serve.log"; echo "server did not start"; exit 1; }
echo "server at $base"

passed=0
failed=0
for f in tests/browser/scenarios/*.mjs; do
  if BASE_URL="$base" SHOT_DIR="$out" node "$f"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "scenario file failed: $f"
  fi
done
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
