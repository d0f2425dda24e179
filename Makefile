# rnnsweep: `make demo` (set-up, build, the quickstart sweep and its report in Results/demo/) and `make test` (set-up,
# the test suite).
# Set-up is idempotent: it installs only what is missing, and runs `apt-get update` first when it installs anything.

SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_PACKAGES := libdnnl-dev libsqlite3-dev sqlite3 zlib1g-dev dataset-fashion-mnist chromium slurmctld slurmd slurm-client munge tmux
RNNSWEEP := .build/release/rnnsweep

.PHONY: setup build demo test bench clean

setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "System packages present: $(APT_PACKAGES)"; fi
	@command -v swift >/dev/null || { echo "swift not found: install Swift 6.1 or newer (https://swift.org/install)"; exit 1; }

build: setup
	swift build -c release --product rnnsweep

# The quickstart sweep: re-running it resumes or skips finished trials, then rewrites the report. The report goes to
# an ignored folder: its last digits depend on the CPU kind (README, "Provenance"), and the committed
# Results/quickstart.* are a reference from one machine that no demo overwrites.
DEMO_DIR := Results/demo

demo: build
	$(RNNSWEEP) --version
	$(RNNSWEEP) plan Experiments/quickstart.yaml
	$(RNNSWEEP) run Experiments/quickstart.yaml --report $(DEMO_DIR)/quickstart.md
	$(RNNSWEEP) report quickstart --format csv --output $(DEMO_DIR)/quickstart.csv
	@echo; cat $(DEMO_DIR)/quickstart.md
	@echo; $(RNNSWEEP) status quickstart | grep -E '^(machine|warning):' || true
	@echo "Written to $(DEMO_DIR)/. Results/quickstart.md is the reference from the development VM (Intel Xeon,"
	@echo "AVX-512 kernels): on another CPU kind the last digits can differ."

# Engine speed against Keras/TensorFlow and PyTorch on this machine (creates a virtualenv outside the repository).
bench: build
	Benchmarks/compare.sh

test: setup
	swift build --build-tests
	swift test --skip-build

clean:
	rm -rf .build
