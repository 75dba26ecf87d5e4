#!/usr/bin/env bash
# Times `ptsearch index` end to end on a generated corpus of N documents (default 100000):
# wall time, docs/s, MB/s, peak RSS and index size, next to the time to merely read the file
# (`cat > /dev/null`) in the same run as a baseline.
# Usage: scripts/bench-index.sh [N] [extra ptsearch index flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"; shift || true
work="${BENCH_DIR:-target/bench}"
mkdir -p "$work"
corpus="$work/corpus-$n.pubtator"
[ -f "$corpus" ] || python3 scripts/gen-corpus --docs "$n" --seed 1 --quiet --out "$corpus"
cargo build --release --quiet
bytes=$(stat -c %s "$corpus")
t0=$(date +%s.%N); cat "$corpus" > /dev/null; t1=$(date +%s.%N)
rm -rf "$work/index-$n"
/usr/bin/time -v target/release/ptsearch --index "$work/index-$n" index --quiet "$@" "$corpus" 2> "$work/time-$n.txt"
t2=$(date +%s.%N)
rss_kb=$(grep "Maximum resident" "$work/time-$n.txt" | awk '{print $NF}')
size=$(du -sb "$work/index-$n" | cut -f1)
python3 - "$n" "$bytes" "$t0" "$t1" "$t2" "$rss_kb" "$size" <<'PY'
import sys
n, b, t0, t1, t2, rss, size = sys.argv[1:]
n, b, rss, size = int(n), int(b), int(rss), int(size)
read = float(t1) - float(t0); idx = float(t2) - float(t1)
print(f"documents        {n}")
print(f"input            {b/1e6:.1f} MB")
print(f"read baseline    {read:.2f} s ({b/1e6/max(read,1e-9):.0f} MB/s)")
print(f"ptsearch index   {idx:.2f} s: {n/idx:.0f} docs/s, {b/1e6/idx:.1f} MB/s ({idx/max(read,1e-9):.0f}x the read time)")
print(f"peak RSS         {rss/1024:.0f} MB")
print(f"index size       {size/1e6:.1f} MB ({size/b:.2f}x the input)")
PY
