# The two commands a newcomer needs: `make demo` and `make test`.
# Both install what is missing (scripts/setup), build, then run.
PRESET ?= default
BUILD := build/$(PRESET)
VIGIL := $(BUILD)/src/cli/vigil
DEMO_DIR ?= demo

.PHONY: all setup configure build test demo asan bench evaluation fuzz format clean

all: build

setup:
	@scripts/setup

configure: setup
	@test -f $(BUILD)/build.ninja || cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

test: build
	@ctest --preset $(PRESET)

demo: build
	@scripts/demo $(VIGIL) $(DEMO_DIR)

asan:
	@$(MAKE) --no-print-directory test PRESET=asan

# Regenerates the figures of docs/PERFORMANCE.md (about 35 minutes on an idle machine).
BENCH_FLAGS := --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
bench:
	@scripts/setup --with-r
	@$(MAKE) --no-print-directory build PRESET=release
	@build/release/bench/ingest_bench $(BENCH_FLAGS) \
	  --benchmark_filter='BM_CsvSplit|BM_CsvParseAndValidate|BM_IngestCsvIntoSqlite/0'
	@build/release/bench/store_bench $(BENCH_FLAGS) --benchmark_filter='BM_IngestNew/full_sync:0'
	@build/release/bench/engine_bench $(BENCH_FLAGS)
	@build/release/bench/warning_scale_bench $(BENCH_FLAGS)
	@bench/farrington-vs-r.sh build/release
	@bench/server-load.sh build/release
	@bench/ingest-ceiling.sh build/release
	@bench/backtest-figure.sh build/release 3
	@bench/ingest-memory.sh build/release/src/cli/vigil

# Regenerates the tables of docs/EVALUATION.md: NAB (corpus at ../shared/nab, or
# NAB_CORPUS) and the simulation study against R `surveillance` (about 15 minutes).
evaluation:
	@scripts/setup --with-r
	@$(MAKE) --no-print-directory build PRESET=release
	@scripts/evaluation/run build/release/src/cli/vigil build/evaluation

fuzz: setup
	@test -f build/fuzz/build.ninja || cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build $(DEMO_DIR)
