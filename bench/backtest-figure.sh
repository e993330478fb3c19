#!/usr/bin/env bash
# The backtest figure of docs/PERFORMANCE.md: `vigil backtest` over 1,008
# weekly series x 10 years (520 weeks) with Farrington flexible and the whole
# warning pipeline (a policy on every indicator, agencies with escalation).
# The series are `vigil simulate --scenario noufaily` with 24 replicates per
# scenario (42 x 24); its catalogue gets the policy and the agencies, and its
# detector runs either with surveillance's default control (`default`, the
# figure) or with the settings of Noufaily et al. (`noufaily`: noPeriods=10,
# whose GLM has 11 more columns). --to keeps the first 520 of its 624 weeks.
# Prints the wall time of each run: RUNS of the figure, one of the other.
#   bench/backtest-figure.sh BUILD_DIR [RUNS]
set -euo pipefail
build=${1:?usage: bench/backtest-figure.sh BUILD_DIR [RUNS]}
runs=${2:-3}
vigil="$build/src/cli/vigil"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$vigil" simulate --scenario noufaily --seed 7 --series-per-scenario 24 --out "$dir/base" > /dev/null
for variant in default noufaily; do
  ws="$dir/$variant"
  cp -r "$dir/base" "$ws"
  python3 - "$ws/workspace.yaml" "$variant" <<'PY'
import re, sys
path, variant = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"^policies:\n(?=\S|\n)", "", text, flags=re.M)
text = text.replace("    allowed_lateness: 0\n", "    allowed_lateness: 0\n    policy: outbreak\n")
if variant == "default":
    text = re.sub(r"(- method: farrington-flexible)\n\s+params: \{[^}]*\}", r"\1", text)
text = text.replace("\nindicators:\n", """
policies:
  - id: outbreak
    hazard: infectious-disease
    levels: { blue: 1, yellow: 2, orange: 4, red: 8 }
    demote_after: 2w
    expire_after: 4w
    urgency: Expected
    certainty: Likely
indicators:
""", 1)
text += """agencies:
  - id: health
    name: Health department
    regions: [NS]
    domains: [health]
    escalate_to: civil-protection
  - id: civil-protection
    name: Civil protection
    regions: [NS]
"""
open(path, "w").write(text)
PY
  "$vigil" validate "$ws" > /dev/null
done

series=$(awk -F, 'NR > 1 { print $1 "," $2 }' "$dir/base/data/noufaily.csv" | sort -u | wc -l)
echo "$series weekly series, weeks 2013-W03 to 2022-W52 (520)"
for variant in default noufaily; do
  count=$([ "$variant" = default ] && echo "$runs" || echo 1)
  for ((run = 1; run <= count; run++)); do
    start=$(date +%s.%N)
    "$vigil" backtest "$dir/$variant" --to 2022-12-26T00:00:00Z --json "$dir/$variant.json" > /dev/null
    end=$(date +%s.%N)
    python3 -c "import json; d = json.load(open('$dir/$variant.json')); o = d['runs'][0]['overall'] if 'runs' in d else d['overall']; print('$variant run $run: %.1f s' % ($end - $start), {k: o[k] for k in ('pod', 'warnings') if k in o})"
  done
done
