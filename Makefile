# Makefile — the two quick-start commands of lsdopt, and a few helpers.
#
#   make demo    install missing Debian packages, configure (Release, build/),
#                build, then price our example stETH book with `lsdopt batch`
#                and one option with `lsdopt price`
#   make test    the same set-up, then the whole test suite (ctest)
#
# Helpers: make deps | build | bench | notebooks | install [PREFIX=...] | clean.
# The other builds are CMake presets (CMakePresets.json), each in its own
# folder: dev (Debug, -Werror; build-dev/), asan (build-asan/), libm
# (build-libm/), e.g. `cmake --preset dev && cmake --build --preset dev &&
# ctest --preset dev`; .ci/run builds them all, and a library-only build in
# build-lib/.
#
# Tests (tests/CMakeLists.txt): tests/unit/ (cmocka, one per library module),
# tests/cli/ (the lsdopt command end to end, Python), tests/reference/
# (QuantLib, mpmath, std::to_chars), run by `make test`; tests/bench/ (the
# benchmark, `make bench`) and tests/install/ (a consumer of the installed
# library, .ci/run) are not part of it.
# Works on Debian 12 as root, or as a user with sudo (only `deps` needs it,
# and only when a package is missing). CMake does the real work; this file
# only strings the steps together.

BUILD_DIR  ?= build
BUILD_TYPE ?= Release
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

# Debian packages needed to build, test and demo: the toolchain; GSL for the
# library; libcsv, jansson and dragonbox for the CLI; cmocka for the tests;
# QuantLib 1.29 for the cross-check and benchmark; /usr/bin/python3 with mpmath
# and numpy for the end-to-end and reference tests. Keep in step with
# CMakeLists.txt.
DEB_PACKAGES := cmake gcc g++ make pkg-config libc6-dev \
                libgsl-dev libcsv-dev libjansson-dev libcmocka-dev libdragonbox-dev \
                libquantlib0-dev python3 python3-mpmath python3-numpy \
                python3-pandas python3-matplotlib python3-nbformat python3-nbclient \
                python3-ipykernel

# Keep the nested make that `cmake --build` runs from printing directories.
MAKEFLAGS += --no-print-directory

SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)
LSDOPT := $(BUILD_DIR)/lsdopt
BOOK   := data/steth_book.csv

.PHONY: all deps configure build demo test bench notebooks install clean

all: build

# Install only the packages dpkg does not report as installed: one
# `apt-get update`, one `apt-get install`, nothing when all are present.
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${db:Status-Status}' "$$p" 2>/dev/null | grep -qx installed \
	    || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then \
	  echo "deps: all Debian packages present"; \
	else \
	  echo "deps: installing$$missing"; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The batch run contains one deliberately bad row (an option that expired
# before the valuation time), so lsdopt exits 65 (EX_DATAERR) with that row's
# message in its `error` column. Any other exit status, or any other failed
# row, fails the demo. DEMO_TABLE prints the priced book as a short table; the
# full output (every input column, price, greeks, error) is in the CSV.
define DEMO_TABLE
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
cols = ["price", "delta", "gamma", "vega", "theta"]
print("%-32s %-6s %4s" % ("label", "model", "") + "".join("%13s" % c for c in cols))
for r in rows:
    nums = "".join("%13.6g" % float(r[c]) if r[c] else "%13s" % "" for c in cols)
    print("%-32s %-6s %4s" % (r["label"], r["model"], r["quote"]) + nums)
bad = [r for r in rows if r["error"]]
print("\n%d of %d rows priced; rows that failed, with their error column:" % (len(rows) - len(bad), len(rows)))
for r in bad:
    print("  %s: %s" % (r["label"], r["error"]))
sys.exit(0 if [r["label"] for r in bad] == ["bad-usd-call-dec26-3000-expired"] else 1)
endef
export DEMO_TABLE

demo: build
	@echo
	@echo "== lsdopt batch $(BOOK) -o $(BUILD_DIR)/steth_book_priced.csv"
	@rc=0; $(LSDOPT) batch $(BOOK) -o $(BUILD_DIR)/steth_book_priced.csv || rc=$$?; \
	/usr/bin/python3 -c "$$DEMO_TABLE" $(BUILD_DIR)/steth_book_priced.csv || exit 1; \
	if [ $$rc -ne 65 ]; then \
	  echo "demo: lsdopt batch exited $$rc, expected 65 (one bad row in the book)" >&2; exit 1; \
	fi; \
	echo "lsdopt batch exited 65 (some rows failed) as intended: the bad row is in the book on purpose."
	@echo "Full output: $(BUILD_DIR)/steth_book_priced.csv"
	@echo
	@echo "== lsdopt price: Mar-27 2500 put on stETH at Deribit's ETH vol, without and with depeg jumps"
	$(LSDOPT) price --type put --spot 2977 --strike 2500 \
	  --expiry 2026-03-27 --valuation-time 2025-12-30T17:30:00Z \
	  --rate 0.0364 --carry 0.0244 --vol 0.65 --model bsm
	$(LSDOPT) price --type put --spot 2977 --strike 2500 \
	  --expiry 2026-03-27 --valuation-time 2025-12-30T17:30:00Z \
	  --rate 0.0364 --carry 0.0244 --vol 0.65 \
	  --jump-intensity 0.5 --jump-mean -0.10 --jump-vol 0.05 --model merton

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: build
	cmake --build $(BUILD_DIR) --target bench

# Execute every notebook headless against this build and save it with its
# outputs (figures land in notebooks/figures/).
notebooks: build
	LSDOPT=$(CURDIR)/$(BUILD_DIR)/lsdopt LSDOPT_LIB=$(CURDIR)/$(BUILD_DIR)/liblsdopt.so \
	  /usr/bin/python3 notebooks/run.py --save

install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# Every build folder: BUILD_DIR, the presets' build/ and build-<preset>/,
# and .ci/run's build-lib/.
clean:
	rm -rf $(BUILD_DIR) build build-*/
