#!/usr/bin/env bash
# What one Slurm array task per trial costs (issue 26): the same small sweep run by the local executor (persistent
# workers) and by the Slurm executor on the loopback cluster (Scripts/slurm-loopback.sh), with as many workers as
# array tasks at once (`--workers K` against `--max-parallel K`, 1 thread each), into fresh databases. Prints for
# each: wall time, Σ epoch seconds, Σ trial seconds (trials.seconds), the mean gap per trial that is not training
# (trial wall − its epochs − its test pass) and, for Slurm, submission → task start and the slot's idle hand-over
# between one task's end and the next one's start (slurmctld's log: the cluster keeps no accounting database).
# Then whether both recorded the same metrics, bit for bit. A third run, "packed", runs the sweep on Slurm with
# `--trials-per-task $PACKED` (default auto: several trials per array task) and prints its wall time against the two
# others, and whether its metrics are the same. Not part of CI; needs root (the cluster) and python3.
#
#   Benchmarks/slurm-overhead.sh                       # Japanese Vowels npz at $JV (see Benchmarks/datasets)
#   JV=/tmp/jvdata/npz/japanese_vowels.npz ROUNDS=3 EPOCHS=100 Benchmarks/slurm-overhead.sh
#
# The sweep is 72 trials (3 cells × 3 sizes × 2 optimizers × 4 seeds), batch 16, EPOCHS epochs (default 20). With
# SLURM_CONF set, that cluster is used (it must have K free CPUs on one node for the hand-over to mean anything);
# otherwise a loopback cluster is started in a temporary folder and stopped at the end. Each round runs both
# executors, in alternating order, so that a drift in a shared machine's speed does not always favour one side.
# WORK=folder keeps the databases, logs and Slurm submission folders there (default: a temporary folder, removed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
EPOCHS=${EPOCHS:-20}
SLOTS=${SLOTS:-2}
JV=${JV:-data/npz/japanese_vowels.npz}
BIN=$(realpath "${OURS_CMD:-.build/release/rnnsweep}")
[ -n "${OURS_CMD:-}" ] || swift build -c release --product rnnsweep >/dev/null
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
cluster=""
cleanup() {
    if [ -n "$cluster" ]; then
        # Only this script's jobs (`rnnsweep-<sweep>-<tag>`): the cluster's ports are fixed, others may use it too.
        squeue -h -o "%A %j" 2>/dev/null | awk '$2 ~ /^rnnsweep-slurm-overhead-/ { print $1 }' | xargs -r scancel
        Scripts/slurm-loopback.sh stop "$cluster"
    fi
    [ -n "${WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${SLURM_CONF:-}" ]; then
    cluster=$work/cluster
    Scripts/slurm-loopback.sh start "$cluster" >/dev/null
    export SLURM_CONF=$cluster/slurm.conf
fi
log=$(scontrol show config | awk '$1 == "SlurmctldLogFile" { print $3 }')
[ -r "$log" ] || { echo "cannot read slurmctld's log ($log): run this on the controller's host" >&2 && exit 1; }

# shellcheck source=Benchmarks/small_sweep.sh
. Benchmarks/small_sweep.sh
small_sweep slurm-overhead "$JV" "$EPOCHS" >"$work/jv.yaml"

echo "rnnsweep: $("$BIN" --version); $(sinfo --version); $SLOTS slots; $EPOCHS epochs"
for ((round = 1; round <= ROUNDS; round++)); do
    modes="local slurm packed"
    ((round % 2 == 0)) && modes="packed slurm local"
    declare -A wall
    for mode in $modes; do
        flags=(--workers "$SLOTS" --threads-per-worker 1)
        slurm=(--executor slurm --max-parallel "$SLOTS" --cpus-per-task 1)
        [ "$mode" = slurm ] && flags=("${slurm[@]}" --trials-per-task 1)
        [ "$mode" = packed ] && flags=("${slurm[@]}" --trials-per-task "${PACKED:-auto}")
        rm -rf "$work/$round-$mode".* # a fresh database each time
        db=$work/$round-$mode.sqlite
        start=$(date +%s.%N)
        if ! "$BIN" run "$work/jv.yaml" --log --db "$db" "${flags[@]}" >"$work/$round-$mode.log" 2>&1; then
            echo "the $mode run of round $round failed:" >&2
            tail -20 "$work/$round-$mode.log" >&2
            exit 1
        fi
        wall[$mode]=$(python3 -c "import time; print(round(time.time() - $start, 3))")
    done
    echo "== round $round ($modes)"
    python3 Benchmarks/slurm_overhead.py --local "$work/$round-local.sqlite" --local-wall "${wall[local]}" \
        --slurm "$work/$round-slurm.sqlite" --slurm-wall "${wall[slurm]}" --slots "$SLOTS" --slurmctld-log "$log"
    tasks=$(sqlite3 "$work/$round-packed.sqlite" \
        "SELECT COUNT(DISTINCT job_id || '_' || COALESCE(array_task, array_index)) FROM slurm_tasks")
    echo "packed (--trials-per-task ${PACKED:-auto}): wall ${wall[packed]} s in $tasks array tasks, against" \
        "${wall[slurm]} s with one trial per task and ${wall[local]} s locally"
    if [ "$(metrics "$work/$round-local.sqlite")" = "$(metrics "$work/$round-slurm.sqlite")" ] \
        && [ "$(metrics "$work/$round-local.sqlite")" = "$(metrics "$work/$round-packed.sqlite")" ]; then
        echo "the same metrics all three ways, bit for bit"
    else
        echo "METRICS DIFFER between the local and a Slurm run"
    fi
done
