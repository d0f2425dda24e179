#!/usr/bin/env bash
# Small-data sweeps (issue 26), before and after, on one machine in one run: three real public sets of 40–300
# training series (JapaneseVowels, Covid3Month and CardanoSentiment, from the aeon 1.6.0 wheel; see
# Benchmarks/datasets), 72 trials each (3 cells × 3 sizes × 2 optimizers × 4 seeds), batch 16, 100 epochs,
# 2 workers × 1 thread, fresh databases. For each set it prints:
#   - `plan`'s estimate from an empty database (a calibration on this machine) against the real run;
#   - the run's wall time and its workers' busy fraction (training and evaluation steps over wall time), before
#     (BEFORE, an older build; the fraction from its database: Σ epoch seconds over 2 × wall) and after;
#   - the live ETA at 10 %, 25 % and 50 % of the trials against the seconds the run really had left;
#   - whether both builds recorded the same metrics, bit for bit.
# Not part of CI.
#
#   DATA=/path/to/data BEFORE=/path/to/old/rnnsweep Benchmarks/small-sweeps.sh
#
# DATA is an `--out` folder of Benchmarks/datasets/{japanese_vowels,tser_regression}.py. Without BEFORE only this
# checkout's build runs. SETS picks sets (default "japanese-vowels covid3month cardano-sentiment").
set -euo pipefail
cd "$(dirname "$0")/.."
AFTER=${AFTER:-.build/release/rnnsweep}
[ -n "${AFTER_BUILT:-}" ] || swift build -c release --product rnnsweep >/dev/null
: "${DATA:?set DATA to the --out folder of Benchmarks/datasets/*.py}"
SETS=${SETS:-japanese-vowels covid3month cardano-sentiment}
work=${WORK:-$(mktemp -d)}
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"

# shellcheck source=Benchmarks/small_sweep.sh
. Benchmarks/small_sweep.sh
experiment() { # set name → YAML
    case "$1" in
    japanese-vowels) small_sweep "small-$1" "$DATA/npz/japanese_vowels.npz" 100 ;;
    covid3month) small_sweep "small-$1" "$DATA/npz/covid3month_log1p.npz" 100 regression ;;
    cardano-sentiment) small_sweep "small-$1" "$DATA/npz/cardano_sentiment_log1p.npz" 100 regression ;;
    *) echo "unknown set $1" >&2 && exit 2 ;;
    esac
}

busy_from_db() { # database, wall seconds
    python3 -c "print(f'{100 * $(sqlite3 -readonly "$1" "select sum(seconds) from epochs") / (2 * $2):.0f} %')"
}

for set in $SETS; do
    experiment "$set" >"$work/$set.yaml"
    echo "== $set"
    plan=$("$AFTER" plan "$work/$set.yaml" --workers 2 --db "$work/$set-plan.sqlite" | grep -m1 '^time:')
    # "≈ 6.5 s", "≈ 42 s", or "≈ 3 min (184 s)": the seconds.
    plan_seconds=$(echo "$plan" | python3 -c "
import re, sys
line = sys.stdin.read()
exact = re.search(r'\((\d+) s\)', line)
value, unit = re.search(r'≈ ([\d.]+) (ms|s|min|h)', line).groups()
print(exact.group(1) if exact else float(value) * {'ms': 0.001, 's': 1, 'min': 60, 'h': 3600}[unit])")
    echo "plan from an empty database: $plan_seconds s ($plan)"
    if [ -n "${BEFORE:-}" ]; then
        start=$(date +%s.%N)
        "$BEFORE" run "$work/$set.yaml" --workers 2 --db "$work/$set-before.sqlite" >"$work/$set-before.log" 2>&1
        wall=$(python3 -c "import time; print(round(time.time() - $start, 1))")
        echo "before: wall $wall s, workers busy $(busy_from_db "$work/$set-before.sqlite" "$wall") (from Σ epoch seconds)"
    fi
    after=$(python3 Benchmarks/eta_check.py -- "$AFTER" run "$work/$set.yaml" --workers 2 --log \
        --db "$work/$set-after.sqlite" 2>"$work/$set-after.log")
    wall=$(echo "$after" | sed -n 's/^wall \([0-9.]*\) s$/\1/p')
    echo "after: wall $wall s, $(grep -o 'workers busy [0-9]* %' "$work/$set-after.log" | head -1)," \
        "$(busy_from_db "$work/$set-after.sqlite" "$wall") from Σ epoch seconds"
    echo "$after" | grep '^ETA' | sed 's/^/after: /'
    python3 -c "print(f'plan against the run: {100 * ($plan_seconds - $wall) / $wall:+.0f} %')"
    if [ -n "${BEFORE:-}" ]; then
        if [ "$(metrics "$work/$set-before.sqlite")" = "$(metrics "$work/$set-after.sqlite")" ]; then
            echo "the same metrics before and after, bit for bit"
        else
            echo "METRICS DIFFER between before and after"
        fi
    fi
done
