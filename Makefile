# Thin wrapper over CMake: `make demo` and `make test` are the two set-up commands.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
# Extra CMake options for every build folder; CI passes -DELV_WERROR=ON (warnings fail).
CMAKE_FLAGS ?=
# ccache (installed by scripts/install-deps.sh) keeps compiled objects between builds and
# between clones: paths are hashed relative to the clone, so a fresh clone of an unchanged
# file is a cache hit. Four build folders (test, asan, tsan, fuzz) make it worth it.
ifneq ($(shell command -v ccache),)
CMAKE_FLAGS += -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
endif

.PHONY: all deps build demo test clean test-asan test-tsan fuzz lint format

all: build

deps:
	./scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	$(BUILD_DIR)/elv demo

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# ---- Robustness (docs/LIMITS.md) ----------------------------------------------------------
# make test-asan: every target built with AddressSanitizer + UndefinedBehaviorSanitizer in
# build-asan/, then the whole unit and end-to-end suite. Any report fails the run: ASan, LSan
# and UBSan exit with 86 (not 1, which tests expecting "exit 1" would take for success), and
# UBSan does not recover (-fno-sanitize-recover). LeakSanitizer works here and is on.
# make fuzz [FUZZ_SECONDS=30]: the libFuzzer targets of fuzz/ built with clang in build-fuzz/,
# each run for FUZZ_SECONDS on a copy of its seed corpus (fuzz/corpus/<target>/); any crash
# fails the run and leaves the input in build-fuzz/findings/.
# make test-tsan: every target built with ThreadSanitizer in build-tsan/, then the unit tests
# (label "unit": the threaded loops, the job runner and the server run there); any data race
# fails the run (exit 66).
ASAN_DIR ?= build-asan
TSAN_DIR ?= build-tsan
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 30
SANITIZER_ENV = ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:exitcode=86:detect_stack_use_after_return=1:strict_init_order=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/lsan.supp:exitcode=86

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DELV_SANITIZE=ON $(CMAKE_FLAGS)

test-asan: deps $(ASAN_DIR)/build.ninja
	$(SANITIZER_ENV) cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS)

TSAN_ENV = TSAN_OPTIONS=halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp

$(TSAN_DIR)/build.ninja:
	cmake -S . -B $(TSAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DELV_TSAN=ON $(CMAKE_FLAGS)

test-tsan: deps $(TSAN_DIR)/build.ninja
	cmake --build $(TSAN_DIR) -j $(JOBS) --target elv_unit_tests
	cd $(TSAN_DIR) && $(TSAN_ENV) ctest --output-on-failure -j $(JOBS) -L unit

$(FUZZ_DIR)/build.ninja:
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DELV_FUZZ=ON $(CMAKE_FLAGS)

fuzz: deps $(FUZZ_DIR)/build.ninja
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets
	$(SANITIZER_ENV) ./fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

# ---- Style (docs/ARCHITECTURE.md) --------------------------------------------------------
# make lint: upward includes, clang-format (checked) and clang-tidy (.clang-tidy) on every
# source file; make format: applies .clang-format.
# clang-tidy reads each source file on its own: its folder is configured without unity files.
LINT_DIR ?= build-lint

$(LINT_DIR)/build.ninja:
	cmake -S . -B $(LINT_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DELV_UNITY_BUILD=OFF \
	  $(CMAKE_FLAGS)

lint: deps $(LINT_DIR)/build.ninja
	./scripts/lint.sh $(LINT_DIR) $(JOBS)

format:
	git ls-files 'src/*.cpp' 'src/*.h' 'tests/unit/*.cpp' 'tests/unit/*.h' 'fuzz/*.cpp' \
	  'bench/*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR) $(FUZZ_DIR) $(LINT_DIR)
