#!/usr/bin/env bash
# Persistent workers (issue 26): a small-data sweep and the quickstart, each with a fresh worker process per trial
# (`--fresh-workers`, how rnnsweep ran before workers stayed) and with workers that train trial after trial, into
# fresh databases, 2 workers × 1 thread; prints each run's wall time and the busy fraction `run` reports (the share
# of the workers' wall time spent in training and evaluation steps). Not part of CI.
#
#   Benchmarks/persistent-workers.sh                     # Japanese Vowels npz at $JV (see Benchmarks/datasets)
#   JV=/tmp/jvdata/npz/japanese_vowels.npz QUICKSTART=0 Benchmarks/persistent-workers.sh
#
# The small-data sweep is 48 trials (3 cells × 4 sizes × 4 seeds), batch 16, 20 epochs. Each round runs both modes,
# in alternating order so that a drift in a shared machine's speed does not always favour one side.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-1}
QUICKSTART=${QUICKSTART:-1}
JV=${JV:-data/npz/japanese_vowels.npz}
BIN=${OURS_CMD:-.build/release/rnnsweep}
[ -n "${OURS_CMD:-}" ] || swift build -c release --product rnnsweep >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/jv.yaml" <<YAML
name: jv-small
description: 48 tiny Japanese Vowels trials (batch 16, 20 epochs)
dataset: npz
data_dir: $(realpath "$JV")
defaults:
  optimizer: adam
  epochs: 20
  batch_size: 16
grid:
  cell: [simple_rnn, lstm, gru]
  units: [8, 16, 32, 64]
seeds: 4
YAML
experiments=("$work/jv.yaml")
[ "$QUICKSTART" = 1 ] && experiments+=(Experiments/quickstart.yaml)
for experiment in "${experiments[@]}"; do
    for ((round = 1; round <= ROUNDS; round++)); do
        modes="fresh kept"
        ((round % 2 == 0)) && modes="kept fresh"
        for mode in $modes; do
            flag=()
            [ "$mode" = fresh ] && flag=(--fresh-workers)
            db="$work/$(basename "$experiment" .yaml)-$round-$mode.sqlite"
            start=$(date +%s.%N)
            "$BIN" run "$experiment" --workers 2 --log --db "$db" "${flag[@]}" >"$db.log" 2>&1
            wall=$(python3 -c "import time; print(round(time.time() - $start, 1))")
            busy=$(grep -o 'workers busy [0-9]* %' "$db.log" || echo 'workers busy ?')
            echo "$(basename "$experiment" .yaml), round $round, $mode workers: ${wall} s wall, $busy"
        done
    done
done
