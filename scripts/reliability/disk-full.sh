#!/usr/bin/env bash
# R7: disk full. Indexes a generated corpus into a small tmpfs (needs root for mount), expects a
# clear error naming the index and a non-zero exit, checks the index still opens at its last
# commit, then grows the tmpfs and re-runs the same command: the run resumes and nothing is lost.
# Usage: scripts/reliability/disk-full.sh [DOCS]
set -euo pipefail
cd "$(dirname "$0")/../.."
docs="${1:-20000}"
cargo build --release --quiet
bin=target/release/ptsearch
work=$(mktemp -d)
corpus="$work/corpus.pubtator"
python3 scripts/gen-corpus --docs "$docs" --seed 7 --quiet --out "$corpus"
mnt="$work/mnt"; mkdir -p "$mnt"
mount -t tmpfs -o size=12m tmpfs "$mnt"
trap 'umount "$mnt" 2>/dev/null || true; rm -rf "$work"' EXIT
set +e
$bin --index "$mnt/idx" index --quiet --commit-every 1000 --memory 20 --threads 1 "$corpus" 2> "$work/err.txt"
status=$?
set -e
echo "first run: exit $status"; cat "$work/err.txt"
[ "$status" -ne 0 ] || { echo "FAIL: expected a non-zero exit on a full disk"; exit 1; }
grep -q "$mnt/idx" "$work/err.txt" || { echo "FAIL: message does not name the index"; exit 1; }
committed=$($bin --index "$mnt/idx" stats --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
echo "index opens at its last commit: $committed documents"
$bin --index "$mnt/idx" check | tail -2
mount -o remount,size=400m "$mnt"
$bin --index "$mnt/idx" index --quiet --commit-every 1000 --memory 20 --threads 1 "$corpus" 2>&1 | grep -E "resumed|index now holds"
final=$($bin --index "$mnt/idx" stats --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
$bin --index "$mnt/idx" check | tail -1
echo "after freeing space: $final documents (expected $docs)"
[ "$final" -eq "$docs" ] || { echo "FAIL: documents lost"; exit 1; }
echo "PASS"
