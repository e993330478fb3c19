#!/usr/bin/env bash
# Farrington flexible, Vigil against R, side by side in one run: the last 52
# weeks of the same 520-week weekly series (default parameters), median of
# several repetitions each, and the ratio.
#
#   bench/farrington-vs-r.sh [BUILD_DIR]     (default: build/default)
#
# Needs the farrington_bench target built and R with `surveillance`
# (scripts/setup --with-r).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/default}"
series=tests/conformance/reference/farrington-flexible/sim_seasonal.csv
repetitions=5

vigil_us=$("$build/bench/farrington_bench" --benchmark_filter='BM_FarringtonFlexible52Weeks$' \
  --benchmark_repetitions=$repetitions --benchmark_report_aggregates_only=true \
  --benchmark_format=csv 2>/dev/null | awk -F, '$1 ~ /_median"?$/ { print $3 }')
r_s=$(Rscript scripts/reference/bench-farrington.R "$series" $repetitions)

awk -v v="$vigil_us" -v r="$r_s" 'BEGIN {
  printf "farringtonFlexible, last 52 of 520 weeks (median of runs)\n"
  printf "  R surveillance: %10.1f ms\n", r * 1000
  printf "  Vigil:          %10.3f ms\n", v / 1000
  printf "  ratio:          %10.0fx\n", r * 1e6 / v
}'
