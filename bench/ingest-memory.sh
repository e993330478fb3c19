#!/usr/bin/env bash
# Peak resident memory of `vigil ingest` on 1 million and on 10 million
# observations of the same 19,200 weekly series (the `scale` scenario; the 1M
# input is the first 52 weeks of the 10M one), in the default single batch and
# in batches of 100,000: whether the peak grows with the input.
#
#   bench/ingest-memory.sh [VIGIL]     (default: build/release/src/cli/vigil)
#
# Needs GNU time (/usr/bin/time, installed by scripts/setup) and about 6 GB of
# temporary disk space.
set -euo pipefail
cd "$(dirname "$0")/.."
vigil="$(realpath "${1:-build/release/src/cli/vigil}")"
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-memory-XXXXXX")
trap 'rm -rf "$work"' EXIT

"$vigil" simulate --seed 1 --out "$work/10M" --scenario scale --series 19200 --outbreaks 100 \
  >/dev/null
mkdir -p "$work/1M/data"
cp "$work/10M/workspace.yaml" "$work/1M/"
head -n 1000001 "$work/10M/data/scale.csv" >"$work/1M/data/scale.csv"

printf '%-12s %-14s %12s %10s %14s\n' input batches observations seconds "peak RSS (MB)"
for batch in 0 100000; do
  for size in 1M 10M; do
    rm -f "$work/$size"/vigil.db*
    /usr/bin/time -f '%e %M' -o "$work/time" \
      "$vigil" ingest -w "$work/$size" --batch-size "$batch" >/dev/null 2>"$work/log" ||
      { cat "$work/log" >&2; exit 1; }
    read -r seconds kb <"$work/time"
    rows=$(($(wc -l <"$work/$size/data/scale.csv") - 1))
    awk -v s="$size" -v b="$([ "$batch" = 0 ] && echo one || echo "$batch")" -v r="$rows" \
      -v t="$seconds" -v kb="$kb" 'BEGIN { printf "%-12s %-14s %12d %10.1f %14.1f\n", s, b, r, t, kb / 1024 }'
  done
done
