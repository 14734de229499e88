# achilles-cds — the two commands a newcomer needs:
#   make run    install what is missing, build, serve on http://localhost:8080 with config/
#   make test   install what is missing, build, run the whole suite: GCC Release, clang, ASan + UBSan
# and: make bench (figures, not assertions), make fuzz (FUZZ_SECONDS per target, default 60), make build,
# make deps, make clean.
BUILD      ?= build
ASAN_BUILD ?= build-asan
# The suite also runs built by Debian's clang (another compiler's warnings and its reading of the code).
CLANG_BUILD ?= build-clang
# clang with libFuzzer, ASan and UBSan: make fuzz.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# The Docker image's exact build (Release, -O3), with warnings as errors so a warning that only shows at
# -O3 fails here, in the suite, and never in a user's image build.
RELEASE_BUILD ?= build-release
CMAKE_DEV  = -DACHILLES_WERROR=ON
JOBS       ?= $(shell nproc)
PORT       ?= 8080

.PHONY: all deps build build-asan build-clang build-fuzz build-release run test test-release test-clang test-asan bench fuzz clean

all: build

deps:
	@scripts/install-deps.sh

# Release, as users build it (GCC, -O3): the suite and the benchmarks run what ships.
build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DACHILLES_SANITIZE=OFF -DACHILLES_TESTS=ON -DACHILLES_BENCH=ON $(CMAKE_DEV)
	cmake --build $(BUILD) -j $(JOBS)

build-clang: deps
	cmake -S . -B $(CLANG_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACHILLES_BENCH=OFF $(CMAKE_DEV)
	cmake --build $(CLANG_BUILD) -j $(JOBS)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DACHILLES_SANITIZE=ON -DACHILLES_BENCH=OFF $(CMAKE_DEV)
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# Dockerfile: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DACHILLES_TESTS=OFF -DACHILLES_BENCH=OFF
build-release: deps
	cmake -S . -B $(RELEASE_BUILD) -DCMAKE_BUILD_TYPE=Release -DACHILLES_TESTS=OFF -DACHILLES_BENCH=OFF $(CMAKE_DEV)
	cmake --build $(RELEASE_BUILD) -j $(JOBS)

run: build
	./$(BUILD)/achilles-cds serve --port $(PORT) --config config --settings config/server.development.json

test: test-release test-clang test-asan build-release

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-clang: build-clang
	cd $(CLANG_BUILD) && ctest --output-on-failure -j $(JOBS)

# The same suite built with AddressSanitizer and UndefinedBehaviorSanitizer (the CLI tests run the
# sanitized binary too). Full stacks on malloc so the leak suppressions (tests/lsan.supp) match only
# what cpprestsdk allocated.
test-asan: build-asan
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

bench: build
	bench/run.sh $(BUILD)

build-fuzz: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACHILLES_FUZZ=ON \
	  -DACHILLES_SANITIZE=ON -DACHILLES_BENCH=OFF $(CMAKE_DEV)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

# Every fuzz target for FUZZ_SECONDS under ASan/UBSan; a crash is kept in tests/fuzz/regressions/.
fuzz: build-fuzz
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(CLANG_BUILD) $(FUZZ_BUILD) $(RELEASE_BUILD)
