# rnnsweep: `make demo` (set-up, build, the quickstart sweep and its report) and `make test` (set-up, the test suite).
# Set-up is idempotent: it installs only what is missing, and runs `apt-get update` first when it installs anything.

SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_PACKAGES := libdnnl-dev libsqlite3-dev sqlite3 zlib1g-dev dataset-fashion-mnist
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

demo: build
	$(RNNSWEEP) summary --cell simple_rnn --units 256
	$(RNNSWEEP) train --dataset fashion-mnist --limit 6000 --validation-split 0.1 --cell gru --units 64 \
	  --optimizer adam --dropout 0.2 --epochs 2 --threads 1

test: setup
	swift build --build-tests
	swift test --skip-build

clean:
	rm -rf .build
