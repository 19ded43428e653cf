# exoskin - top-level entry points.  `make run` and `make test` do all the
# set-up on a fresh Debian machine (packages through scripts/install-deps.sh).
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
RESULTS    ?= results/default
# simulated days of the tissue benchmark's reference block (the reference is
# 7; 1 day, the day of the session, keeps `make bench` to minutes)
BENCH_TISSUE_DAYS ?= 1
TRIAL      ?= results/default-trial

.PHONY: all deps deps-test build run test test-release test-asan bench fuzz docs po clean

all: build

deps:
	@scripts/install-deps.sh

# what only the tests need besides (Chromium for the report test, Python readers)
deps-test:
	@scripts/install-deps.sh --tests

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEXO_WERROR=ON

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The default example, then the same as a 200-patient parallel-arm virtual
# trial (about half a minute on 2 threads).
run: build
	./$(BUILD)/exoskin run examples/default.yaml -o $(RESULTS) --force
	./$(BUILD)/exoskin trial examples/default-trial.yaml -o $(TRIAL) --force
	@echo "results: $(RESULTS)/report.html (and timeseries.csv, profiles.csv, summary.json there)"
	@echo "trial:   $(TRIAL)/report.html (and trial.json, patients.csv there)"

test: test-release test-asan

test-release: deps-test build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer,
# at -O1 (asserts on): the sanitizers' advice for speed; the suite takes about
# half the time it takes at -O0 and every access still goes through the checks.
test-asan: deps-test
	cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DEXO_SANITIZE=ON -DEXO_WERROR=ON
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

bench: build
	cmake --build $(BUILD) --target benchmarks -j $(JOBS)
	@for b in $(BUILD)/bench_*; do [ -x "$$b" ] || continue; \
	  case $$b in *bench_tissue) "$$b" 2000 $(BENCH_TISSUE_DAYS) ;; *) "$$b" ;; esac; done
	/usr/bin/python3 bench/serve_load.py $(BUILD)/exoskin .  # exoskin serve under a bounded local load

# libFuzzer on the input loader for FUZZ_SECONDS, on a copy of the corpus.
fuzz:
	@scripts/install-deps.sh clang
	CC=clang cmake -S . -B $(BUILD_FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEXO_SANITIZE=ON -DEXO_FUZZ=ON
	cmake --build $(BUILD_FUZZ) --target fuzz_config -j $(JOBS)
	rm -rf $(BUILD_FUZZ)/corpus && cp -r fuzz/corpus $(BUILD_FUZZ)/corpus
	LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/lsan.supp ./$(BUILD_FUZZ)/fuzz_config -max_total_time=$(FUZZ_SECONDS) \
	  -max_len=8192 -print_final_stats=1 $(BUILD_FUZZ)/corpus fuzz/corpus

# Regenerates the documentation made from the code.
docs: build
	./$(BUILD)/exoskin params --format markdown > docs/parameters.md

# Regenerates the message template po/exoskin.pot from the report and route
# sources and the readout labels (include/exoskin/exo_readouts.h), and
# merges it into every translation (then translate the new msgids in po/*.po).
po:
	xgettext --language=C --from-code=UTF-8 -k_ -kN_ --package-name=exoskin --package-version=0.1.0 \
	  --msgid-bugs-address=none --add-comments=TRANSLATORS --sort-by-file -o po/exoskin.pot include/exoskin/exo_readouts.h src/report/*.c src/protocol/*.c
	for p in po/*.po; do msgmerge -q --no-fuzzy-matching --backup=off -U $$p po/exoskin.pot; done

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
