#!/usr/bin/env bash
# Compares search methods on one search space over five sampler seeds (issue: "search that learns"):
#
#   Scripts/search-comparison.sh DATASET OUT [METHOD …]
#
# DATASET is fashion-mnist or japanese-vowels (Experiments/search-comparison/DATASET.base.yaml); OUT a folder.
# METHODs (default: all): grid random halving async_halving hyperband tpe tpe_halving. Each method and sampler seed
# is one sweep in a database of its own (in one database a later sweep would take over an earlier one's completed
# trials), merged at the end into OUT/DATASET-search-comparison.sqlite, from which `report --searches` renders the
# comparison (.md, .csv, .html beside it). Environment: RNNSWEEP (the binary; default .build/release/rnnsweep),
# WORKERS (default 2), SEEDS (default "1 2 3 4 5"), JV_NPZ (the japanese_vowels.npz for japanese-vowels).
set -euo pipefail
cd "$(dirname "$0")/.."
dataset=${1:?dataset}
out=${2:?out folder}
shift 2
methods=("$@")
[ ${#methods[@]} -gt 0 ] || methods=(grid random halving async_halving hyperband tpe tpe_halving)
rnnsweep=${RNNSWEEP:-.build/release/rnnsweep}
workers=${WORKERS:-2}
seeds=${SEEDS:-1 2 3 4 5}
base=Experiments/search-comparison/$dataset.base.yaml
[ -f "$base" ] || { echo "no $base" >&2; exit 2; }
mkdir -p "$out"

# Per data set: the space's choices, and the samples each method draws (the base file's epochs set Hyperband's
# brackets: 9 epochs from 1 with η = 3 need 17 configurations, 27 epochs 49). Methods of a data set spend
# comparable budgets: random and TPE train every configuration to the end, the halvings draw more.
case $dataset in
fashion-mnist)
    units="[32, 64, 128]"; rates="[3.0e-4, 1.0e-2]"
    full=12; halved=27; bands=17; startup=4; batch=2 ;;
japanese-vowels)
    units="[16, 32, 64]"; rates="[3.0e-4, 3.0e-2]"
    full=36; halved=81; bands=49; startup=12; batch=6 ;;
*) echo "unknown dataset $dataset" >&2; exit 2 ;;
esac
space="    cell: {choice: [simple_rnn, lstm, gru]}
    units: {choice: $units}
    optimizer: {choice: [adam, rmsprop]}
    learning_rate: {log_uniform: $rates}
    dropout: {uniform: [0.0, 0.4]}"
halving="early_stopping: {method: successive_halving, metric: val_accuracy, min_epochs: 1, reduction_factor: 3}"

# The method's block for sampler seed $2 (grid has no sampler: one sweep).
block() {
    case $1 in
    grid) printf 'grid:\n  cell: [simple_rnn, lstm, gru]\n  units: %s\n  optimizer: [adam, rmsprop]\n' "$units" ;;
    random) printf 'search:\n  samples: %s\n  seed: %s\n  space:\n%s\n' "$full" "$2" "$space" ;;
    halving) printf 'search:\n  samples: %s\n  seed: %s\n  space:\n%s\n%s\n' "$halved" "$2" "$space" "$halving" ;;
    async_halving) printf 'search:\n  samples: %s\n  seed: %s\n  space:\n%s\n%s\n' "$halved" "$2" "$space" "${halving/successive_halving/async_halving}" ;;
    hyperband) printf 'search:\n  samples: %s\n  seed: %s\n  space:\n%s\n%s\n' "$bands" "$2" "$space" "${halving/successive_halving/hyperband}" ;;
    tpe) printf 'search:\n  method: tpe\n  samples: %s\n  startup: %s\n  batch: %s\n  seed: %s\n  space:\n%s\n' "$full" "$startup" "$batch" "$2" "$space" ;;
    tpe_halving) printf 'search:\n  method: tpe\n  samples: %s\n  startup: %s\n  batch: %s\n  seed: %s\n  space:\n%s\n%s\n' "$halved" "$((halved / 3))" "$((halved / 3))" "$2" "$space" "$halving" ;;
    *) echo "unknown method $1" >&2; exit 2 ;;
    esac
}

databases=()
for method in "${methods[@]}"; do
    sweeps=()
    for seed in $seeds; do
        name=$dataset-$method-s$seed
        [ "$method" = grid ] && name=$dataset-grid
        file=$out/$name.yaml
        { printf 'name: %s\n' "$name"; sed "s|DATA_DIR|${JV_NPZ:-}|" "$base"; block "$method" "$seed"; } > "$file"
        echo "== $name" >&2
        start=$(date +%s.%N)
        "$rnnsweep" run "$file" --db "$out/$name.sqlite" --workers "$workers" --log > "$out/$name.log" 2>&1
        echo "   $(tail -n 2 "$out/$name.log" | head -n 1) [$(echo "$(date +%s.%N) - $start" | bc) s]" >&2
        databases+=("$out/$name.sqlite")
        sweeps+=("$name")
        [ "$method" = grid ] && break
    done
    searches+=(--searches "$method=$(IFS=,; echo "${sweeps[*]}")")
done
merged=$out/$dataset-search-comparison.sqlite
rm -f "$merged" "$merged-wal" "$merged-shm"
"$rnnsweep" merge "${databases[@]}" --into "$merged" > /dev/null
"$rnnsweep" report "${searches[@]}" --db "$merged" > "$out/$dataset-search-comparison.md"
"$rnnsweep" report "${searches[@]}" --db "$merged" --format csv > "$out/$dataset-search-comparison.csv"
"$rnnsweep" report "${searches[@]}" --db "$merged" --format html > "$out/$dataset-search-comparison.html"
echo "report: $out/$dataset-search-comparison.md (from $merged)" >&2
echo "rnnsweep report ${searches[*]} --db $merged"
