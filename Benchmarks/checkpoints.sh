#!/usr/bin/env bash
# Background checkpoints and checkpoint_every, before and after, on one machine in one run: the quickstart
# (Experiments/quickstart.yaml) and a small-data sweep (JapaneseVowels, 270 training series, batch 16, 100 epochs,
# 3 cells × 3 seeds), each with --workers 2 into a fresh database. Prints each run's wall seconds, the sum of its
# epochs' seconds and of its trials' seconds (the difference is start-up, checkpoints, validation and test), and
# checks that every run recorded the same metrics, bit for bit. Not part of CI.
#
#   BEFORE=/path/to/old/rnnsweep JV=/path/to/JapaneseVowels Benchmarks/checkpoints.sh
#
# BEFORE is a release build without background checkpoints (it writes one after every epoch, synchronously); the
# small-data sweep then runs with it, and with this checkout's build at checkpoint_every 1 and 5.
set -euo pipefail
cd "$(dirname "$0")/.."
AFTER=${AFTER:-.build/release/rnnsweep}
[ -n "${AFTER_BUILT:-}" ] || swift build -c release --product rnnsweep >/dev/null
: "${BEFORE:?set BEFORE to an rnnsweep built without background checkpoints}"
: "${JV:?set JV to the folder of JapaneseVowels_TRAIN.ts and _TEST.ts}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

small() { # name, checkpoint_every line (empty for BEFORE)
    cat <<YAML
name: $1
description: JapaneseVowels, batch 16, 100 epochs
dataset: ts
data_dir: $JV
defaults:
  units: 32
  optimizer: adam
  learning_rate: 0.001
  epochs: 100
  batch_size: 16
$2
grid:
  cell: [simple_rnn, lstm, gru]
seeds: 3
YAML
}
small small "" >"$work/before.yaml"
small small "  checkpoint_every: 1" >"$work/every1.yaml"
small small "  checkpoint_every: 5" >"$work/every5.yaml"

measure() { # label, binary, file
    local db="$work/$1.sqlite" start wall
    start=$(date +%s.%N)
    "$2" run "$3" --workers 2 --db "$db" >"$work/$1.log" 2>&1
    wall=$(python3 -c "import time; print(round(time.time() - $start, 2))")
    echo "$1: wall ${wall} s, epochs $(sqlite3 -readonly "$db" "select round(sum(seconds), 2) from epochs") s," \
        "trials $(sqlite3 -readonly "$db" "select round(sum(seconds), 2) from trials") s"
    sqlite3 -readonly "$db" "select trial_id, epoch, loss, accuracy, val_loss, val_accuracy from epochs
        order by trial_id, epoch; select id, test_loss, test_accuracy from trials order by id" | md5sum >"$work/$1.sum"
}
measure quickstart-before "$BEFORE" Experiments/quickstart.yaml
measure quickstart-after "$AFTER" Experiments/quickstart.yaml
measure small-before "$BEFORE" "$work/before.yaml"
measure small-every1 "$AFTER" "$work/every1.yaml"
measure small-every5 "$AFTER" "$work/every5.yaml"
cmp -s "$work/quickstart-before.sum" "$work/quickstart-after.sum" && echo "quickstart: the same metrics"
for run in every1 every5; do
    cmp -s "$work/small-before.sum" "$work/small-$run.sum" && echo "small $run: the same metrics as before"
done
