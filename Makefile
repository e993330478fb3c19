# The two commands a newcomer needs: `make demo` and `make test`.
# Both install what is missing (scripts/setup), build, then run.
PRESET ?= default
BUILD := build/$(PRESET)
VIGIL := $(BUILD)/src/cli/vigil
DEMO_DIR ?= demo

.PHONY: all setup configure build test demo asan bench fuzz format clean

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

bench:
	@$(MAKE) --no-print-directory build PRESET=release

fuzz: setup
	@test -f build/fuzz/build.ninja || cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build $(DEMO_DIR)
