#!/usr/bin/env bash
# The ceiling of the server's ingest figure in docs/PERFORMANCE.md: the
# observations of the HTTP ingest run (300 rounds of one reading from each of
# 1,000 sensors, JSON Lines, through detection and the warning stage) ingested
# by `vigil ingest` with no HTTP at all, as one batch and in batches of 1,000,
# each into a new store, RUNS times; prints the wall time and rate of each run.
#   bench/ingest-ceiling.sh BUILD_DIR [RUNS]
set -euo pipefail
build=${1:?usage: bench/ingest-ceiling.sh BUILD_DIR [RUNS]}
runs=${2:-3}
vigil="$build/src/cli/vigil"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$(dirname "$0")/sensor-workspace.sh" "$dir/ws" 1000
python3 - "$dir/obs.jsonl" <<'PY'
import datetime, sys
start = datetime.datetime(2026, 1, 1)
with open(sys.argv[1], "w") as out:
    for r in range(300):
        t = (start + datetime.timedelta(seconds=10 * r)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for s in range(1, 1001):
            value = 0.2 + 0.001 * ((r * 7 + s) % 50)
            out.write(f'{{"indicator":"sensor-reading","region":"XS-{s:04}","time":"{t}","value":{value:.3f}}}\n')
PY
for batch in 0 1000; do
  for run in $(seq "$runs"); do
    rm -f "$dir"/ws/vigil.db*
    args=()
    [ "$batch" -gt 0 ] && args=(--batch-size "$batch")
    begin=$(date +%s.%N)
    "$vigil" --log-level warn --now 2026-01-02T00:00:00Z ingest -w "$dir/ws" "${args[@]}" \
      "$dir/obs.jsonl" > /dev/null
    end=$(date +%s.%N)
    python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'{sys.argv[3]}, run {sys.argv[4]}: {s:.2f} s, {300000/s:,.0f} obs/s')" \
      "$begin" "$end" "$([ "$batch" -gt 0 ] && echo "batches of $batch" || echo "one batch")" "$run"
  done
done
