#!/usr/bin/env bash
# Bookkeeping at scale (issue 26 item 5): N tiny trials through the local coordinator, each into a fresh database,
# to show what the coordinator, the database and the read commands cost per trial and whether any of it grows
# faster than N. Not part of CI.
#
#   Benchmarks/scale.sh                     # N = 1000 and 3000
#   Benchmarks/scale.sh 10000               # any multiples of 100 (at most 10,000: run's default trial limit)
#   KEEP=/tmp/scale Benchmarks/scale.sh 1000   # keep the databases, logs and reports there
#   STOP_AFTER=300 Benchmarks/scale.sh 10000   # interrupt `run` after 300 s (SIGINT) and measure what it did
#   HALVING=1 Benchmarks/scale.sh 1000 3000    # successive halving (η 3, rungs 1/3/9 epochs) on a validation split
#
# A trial: dataset sum-sign, sequence_length 8, 64 samples, 1 epoch, SimpleRNN 4 units, Adam; the grid is 100
# learning rates × N/100 seeds. `run` uses WORKERS (default 2) workers and --log. Per N it prints:
# - wall time of `run` and trials per second through it;
# - the coordinator's own CPU time (user + sys of the `run` process alone, not its workers) and its peak RSS
#   (VmHWM), both also per 1,000 trials (Benchmarks/scale_probe.py says how they are read);
# - the coordinator's overhead per trial: the mean gap on a worker lane between one trial's end and the next
#   trial's spawn (Benchmarks/scale_overhead.py defines it), and the share of lane time spent in the workers'
#   own trial seconds;
# - worker start-up (spawn → data loaded, model built, as `run` prints it) and its share of the lane time, which
#   persistent workers would remove;
# With STOP_AFTER, per-trial figures are over the trials completed by then (CPU and wall time include the run's
# set-up: registering all N trials), and the read commands run on the partial database.
# - the database's size; and the wall time of `status`, `report` (Markdown, HTML) and `plan --no-estimate` and
#   `plan` (its estimate from the database's epochs) on the result.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
BIN=${OURS_CMD:-.build/release/rnnsweep}
WORKERS=${WORKERS:-2}
[ -n "${OURS_CMD:-}" ] || swift build -c release --product rnnsweep >/dev/null
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 3000)
if [ -n "${KEEP:-}" ]; then
    work=$KEEP
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
probe() { python3 "$here/Benchmarks/scale_probe.py" "$@"; }
field() { python3 -c "import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg); $("$BIN" --version)"
echo
echo "| N | done | wall s | trials/s | coord. CPU s | CPU s /1000 | peak RSS MiB | gap ms/trial | busy | start-up ms | start-up share | DB MiB | status s | report md s | report html s | plan s | plan --no-estimate s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    if ((n % 100 != 0 || n < 100)); then
        echo "N must be a positive multiple of 100 (100 learning rates × N/100 seeds): $n" >&2
        exit 2
    fi
    seeds=$((n / 100))
    dir="$work/n$n"
    rm -rf "$dir"
    mkdir -p "$dir"
    exp="$dir/scale-$n.yaml"
    db="$dir/scale-$n.sqlite"
    {
        echo "name: scale-$n"
        echo "description: '$n tiny trials for Benchmarks/scale.sh'"
        echo "dataset: sum-sign"
        echo "sequence_length: 8"
        echo "samples: 64"
        echo "defaults:"
        echo "  cell: simple_rnn"
        echo "  units: 4"
        echo "  optimizer: adam"
        echo "  epochs: $([ -n "${HALVING:-}" ] && echo 9 || echo 1)"
        echo "  batch_size: 32"
        echo "grid:"
        echo "  learning_rate: [$(python3 -c "print(', '.join(f'{0.001 * (1 + i / 100):.5f}' for i in range(100)))")]"
        echo "seeds: [$(seq -s ', ' 1 "$seeds")]"
        if [ -n "${HALVING:-}" ]; then
            echo "validation_split: 0.25"
            echo "early_stopping: {method: successive_halving, metric: val_accuracy, min_epochs: 1, reduction_factor: 3}"
        fi
    } >"$exp"
    run=$(probe "$dir/run.log" -- "$BIN" run "$exp" --workers "$WORKERS" --log --db "$db")
    [ "$(field "$run" exit)" = 0 ] || [ "$(field "$run" stopped)" = True ] || { echo "run failed (N=$n): see $dir/run.log" >&2; tail -5 "$dir/run.log" >&2; exit 1; }
    over=$(python3 "$here/Benchmarks/scale_overhead.py" "$db" "$WORKERS")
    startup=$(sed -n 's/^mean worker start-up[^:]*: \([0-9.]*\) ms$/\1/p' "$dir/run.log")
    status=$(probe "$dir/status.log" -- "$BIN" status --db "$db")
    md=$(probe "$dir/report-md.log" -- "$BIN" report --db "$db" --output "$dir/report.md")
    html=$(probe "$dir/report-html.log" -- "$BIN" report --db "$db" --format html --output "$dir/report.html")
    plan=$(probe "$dir/plan.log" -- "$BIN" plan "$exp" --db "$db" --workers "$WORKERS")
    plan0=$(probe "$dir/plan0.log" -- "$BIN" plan "$exp" --db "$db" --workers "$WORKERS" --no-estimate)
    for p in "$status" "$md" "$html" "$plan" "$plan0"; do
        [ "$(field "$p" exit)" = 0 ] || { echo "a read command failed (N=$n): see $dir/*.log" >&2; exit 1; }
    done
    size=$(stat -c %s "$db")
    [ -f "$db-wal" ] && size=$((size + $(stat -c %s "$db-wal")))
    # Under halving a trial is done when completed or stopped at a rung (the gap figures then cover the completed).
    settled=$(sqlite3 -readonly "$db" "select count(*) from trials where status in ('completed', 'stopped')")
    python3 - "$n" "$WORKERS" "$run" "$over" "${startup:-0}" "$size" "$status" "$md" "$html" "$plan" "$plan0" \
        "$settled" <<'EOF'
import json, sys
n, workers = int(sys.argv[1]), int(sys.argv[2])
run, over = json.loads(sys.argv[3]), json.loads(sys.argv[4])
startup, size = float(sys.argv[5]), int(sys.argv[6])
status, md, html, plan, plan0 = (json.loads(a) for a in sys.argv[7:12])
done = int(sys.argv[12])
assert run["stopped"] or done == n, f"{done} of {n} trials completed or stopped"
wall = run["wall"]
print(f"| {n} | {done} | {wall:.1f} | {done / wall:.2f} | {run['cpu']:.1f} | {1000 * run['cpu'] / done:.2f} | "
      f"{run['hwm_mib']:.1f} | {over['gap_mean_ms']:.1f} | {over['busy_share']:.0%} | {startup:.0f} | "
      f"{done * startup / 1000 / (workers * wall):.0%} | {size / 2**20:.1f} | {status['wall']:.2f} | {md['wall']:.2f} | "
      f"{html['wall']:.2f} | {plan['wall']:.2f} | {plan0['wall']:.2f} |")
print(json.dumps({"n": n, "run": run, "overhead": over, "startup_ms": startup, "db_bytes": size,
                  "status": status, "report_md": md, "report_html": html, "plan": plan,
                  "plan_no_estimate": plan0}), file=sys.stderr)
EOF
done
