#!/usr/bin/env bash
# Sweep scaling: the same four equal trials with 1 worker and with 2 workers × 1 thread, each into a fresh database;
# prints both wall times, their ratio, and each run's mean per-trial training seconds (from the database), which
# tells runner overhead apart from two trainings slowing each other down. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${OURS_CMD:-.build/release/rnnsweep}
[ -n "${OURS_CMD:-}" ] || swift build -c release --product rnnsweep >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A wall
for w in 1 2; do
    start=$(date +%s.%N)
    "$BIN" run Benchmarks/four-equal-trials.yaml --workers "$w" --db "$work/w$w.sqlite" >"$work/w$w.log" 2>&1
    wall[$w]=$(python3 -c "import time; print(round(time.time() - $start, 2))")
    mean=$(sqlite3 -readonly "$work/w$w.sqlite" "select round(avg(seconds), 2) from trials where status = 'completed'")
    echo "workers $w: ${wall[$w]} s wall, mean trial ${mean} s"
done
python3 -c "print(f'ratio 2 workers / 1 worker: {${wall[2]} / ${wall[1]}:.2f} (ideal 0.50)')"
