#!/usr/bin/env bash
# Writes the workspace the server and ingest figures of docs/PERFORMANCE.md
# use: SENSORS stream sensors (regions XS-0001 ...) of one indicator,
# sensor-reading, with a threshold and the streaming anomaly detector on each,
# under a warning policy.
#   bench/sensor-workspace.sh DIR SENSORS
set -euo pipefail
ws=${1:?usage: bench/sensor-workspace.sh DIR SENSORS}
sensors=${2:?usage: bench/sensor-workspace.sh DIR SENSORS}
mkdir -p "$ws"
{
  cat <<'EOF'
workspace:
  name: Sensor network (load test)
  sender: load@vigil.example
  language: en-US
domains:
  - id: production-safety
    name: Production safety
    cap_category: Safety
regions:
  - code: XS
    name: Site
EOF
  for i in $(seq -f %04g 1 "$sensors"); do
    printf '  - code: XS-%s\n    name: Sensor %s\n    parent: XS\n' "$i" "$i"
  done
  cat <<'EOF'
policies:
  - id: gas
    hazard: methane
    levels: { blue: 1, yellow: 2, orange: 3, red: 4 }
    demote_after: 15m
    expire_after: 1h
    urgency: Immediate
    certainty: Observed
indicators:
  - id: sensor-reading
    name: Methane reading
    domain: production-safety
    unit: "% vol"
    frequency: stream
    direction: higher-is-worse
    value_kind: level
    allowed_lateness: 2m
    policy: gas
    detectors:
      - method: threshold
        params: { levels: [0.5, 0.75, 1, 1.5] }
      - method: anomaly
        params: { learning_period: 720 }
EOF
} > "$ws/workspace.yaml"
