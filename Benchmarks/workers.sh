#!/usr/bin/env bash
# Sweep scaling: the same four equal trials with 1 worker and with 2 workers × 1 thread, each into a fresh database;
# prints both wall times, their ratio, and each run's mean per-trial training seconds (from the database), which
# tells runner overhead apart from two trainings slowing each other down. Not part of CI.
#
#   Benchmarks/workers.sh             # 3 rounds
#   ROUNDS=5 Benchmarks/workers.sh
#
# A round runs both, in alternating order (1 then 2, then 2 then 1, …) so that a drift in the shared machine's speed
# does not always favour one side; the summary is the median of the per-round ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
BIN=${OURS_CMD:-.build/release/rnnsweep}
[ -n "${OURS_CMD:-}" ] || swift build -c release --product rnnsweep >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ratios=()
for ((round = 1; round <= ROUNDS; round++)); do
    order="1 2"
    ((round % 2 == 0)) && order="2 1"
    declare -A wall=()
    for w in $order; do
        db="$work/r$round-w$w.sqlite"
        start=$(date +%s.%N)
        "$BIN" run Benchmarks/four-equal-trials.yaml --workers "$w" --db "$db" >"$work/r$round-w$w.log" 2>&1
        wall[$w]=$(python3 -c "import time; print(round(time.time() - $start, 2))")
        mean=$(sqlite3 -readonly "$db" "select round(avg(seconds), 2) from trials where status = 'completed'")
        echo "round $round, workers $w: ${wall[$w]} s wall, mean trial ${mean} s"
    done
    ratio=$(python3 -c "print(f'{${wall[2]} / ${wall[1]}:.3f}')")
    ratios+=("$ratio")
    echo "round $round: 2 workers / 1 worker = $ratio"
done
python3 -c "import statistics, sys; r = [float(x) for x in sys.argv[1:]]; \
print(f'median ratio over {len(r)} rounds: {statistics.median(r):.2f} (ideal 0.50; rounds: {\", \".join(f\"{x:.2f}\" for x in r)})')" "${ratios[@]}"
