#!/usr/bin/env bash
# The server figures of docs/PERFORMANCE.md: `vigil serve` on a free loopback
# port over a workspace of 1,000 stream sensors (a threshold and the streaming
# anomaly detector on each, with a warning policy), driven by
# bench/http_load.cc:
#   1. HTTP ingest: 300 batches of 1,000 observations on 4 connections;
#   2. GET /api/v1/warnings latency while ingest runs at half that rate;
#   3. 1,000 keep-alive connections open at once, each used twice;
#   4. with --soak SECONDS, the mixed load for that long with the server's
#      resident memory sampled every 10 s.
#   bench/server-load.sh BUILD_DIR [--soak SECONDS]
set -euo pipefail
build=${1:?usage: bench/server-load.sh BUILD_DIR [--soak SECONDS]}
soak=0
if [ "${2:-}" = "--soak" ]; then
  soak=${3:?--soak needs seconds}
fi
vigil="$build/src/cli/vigil"
load="$build/bench/http_load"
dir=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

sensors=1000
ws="$dir/ws"
"$(dirname "$0")/sensor-workspace.sh" "$ws" "$sensors"
"$vigil" validate "$ws" > /dev/null
token=$("$vigil" token -w "$ws" create --name load --role admin | grep -o 'vgl_[A-Za-z0-9_-]*' | head -1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$vigil" --log-level warn serve -w "$ws" --listen "127.0.0.1:$port" --max-connections 2000 \
  --rate-limit 0 &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break
  sleep 0.1
done

common=(--port "$port" --token "$token")
shape=(--sensors "$sensors" --region-prefix XS- --indicator sensor-reading --batch 1000)
echo "== ingest: 300 batches of 1,000 on 4 connections"
"$load" "${common[@]}" ingest "${shape[@]}" --requests 300 --connections 4 --start-year 2026 \
  | tee "$dir/ingest.json"
rate=$(python3 -c "import json; print(int(json.load(open('$dir/ingest.json'))['observations_per_s'] / 2))")
echo "== GET /api/v1/warnings while ingesting at $rate observations/s for 30 s"
"$load" "${common[@]}" mixed "${shape[@]}" --requests 1000000 --connections 2 --rate "$rate" \
  --readers 2 --duration-s 30 --start-year 2027
echo "== 1,000 keep-alive connections"
"$load" "${common[@]}" connections --count 1000
if [ "$soak" -gt 0 ]; then
  echo "== soak: $soak s at $rate observations/s with readers, resident memory every 10 s"
  "$load" "${common[@]}" --pid "$server" --sample-s 10 mixed "${shape[@]}" --requests 100000000 \
    --connections 2 --rate "$rate" --readers 2 --duration-s "$soak" --start-year 2028
fi
