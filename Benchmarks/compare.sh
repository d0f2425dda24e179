#!/usr/bin/env bash
# Compares rnnsweep's engine with Keras 3/TensorFlow and PyTorch: same models, shapes, batch size and thread count.
#
#   Benchmarks/compare.sh                                   # builds, creates the peers' venv if missing, runs
#   PEERS_VENV=/work/venv-peers Benchmarks/compare.sh       # reuse an existing venv (keras, tensorflow-cpu, torch)
#
# Steps: (a) `swift build -c release --product rnnsweep`; (b) create the Python venv ${PEERS_VENV} if it does not
# exist; (c) for every model, R rounds of ours, Keras, PyTorch in turn (alternating, never in parallel), each with
# --threads 1 and pinned to CPU ${PIN_CPU} by `taskset` when available; (d) a Markdown table of medians over rounds
# (ratios: the median of per-round ratios, see compare_table.py).
#
# Environment (all optional):
#   PEERS_VENV   venv with the peers (default: $HOME/.cache/rnnsweep-peers, outside the repository)
#   ROUNDS       rounds per model (default 3)          BATCHES  timed batches per run (default 50)
#   WARMUP       peers' warm-up batches (default 5)    PIN_CPU  CPU for taskset (default 1)
#   MODELS       "cell:units ..." (default "simple_rnn:256 simple_rnn:512 lstm:256 gru:256")
#   OUT_DIR      where raw results and logs go (default .build/peer-bench/<timestamp>)
#   OURS_CMD     replaces `.build/release/rnnsweep` (and skips the build); it gets `bench --cell C --units N
#                --batch-size 128 --threads 1 --batches K --json` appended. For testing this script only.
# A peer whose framework does not import is skipped with a message; the table shows "—" for it.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
BATCHES=${BATCHES:-50}
WARMUP=${WARMUP:-5}
PIN_CPU=${PIN_CPU:-1}
BATCH_SIZE=128
THREADS=1
MODELS=${MODELS:-"simple_rnn:256 simple_rnn:512 lstm:256 gru:256"}
PEERS_VENV=${PEERS_VENV:-$HOME/.cache/rnnsweep-peers}
OUT_DIR=${OUT_DIR:-.build/peer-bench/$(date -u +%Y%m%dT%H%M%SZ)}
# Versions this script was written against; torch from PyPI (its Linux wheel also pulls CUDA packages).
PEERS_PACKAGES=${PEERS_PACKAGES:-"keras==3.15.1 tensorflow-cpu==2.21.0"}
TORCH_PACKAGE=${TORCH_PACKAGE:-"torch"}

say() { printf '%s\n' "$*" >&2; }

# (a) ours
if [[ -n "${OURS_CMD:-}" ]]; then
  read -r -a OURS <<<"$OURS_CMD"
  say "Using OURS_CMD=${OURS_CMD} (no build)."
else
  swift build -c release --product rnnsweep
  OURS=(.build/release/rnnsweep)
fi

# (b) peers' venv
PY="$PEERS_VENV/bin/python"
if [[ ! -x "$PY" ]]; then
  say "Creating the peers' venv at $PEERS_VENV ..."
  python3 -m venv "$PEERS_VENV" || {
    say "error: 'python3 -m venv $PEERS_VENV' failed (on Debian/Ubuntu: apt-get install python3-venv)."
    exit 1
  }
  "$PY" -m pip install --quiet --upgrade pip || true
  # shellcheck disable=SC2086  # word-splitting the package lists is intended
  "$PY" -m pip install --quiet $PEERS_PACKAGES || say "warning: '$PEERS_PACKAGES' did not install; Keras will be skipped."
  # shellcheck disable=SC2086
  "$PY" -m pip install --quiet $TORCH_PACKAGE || say "warning: '$TORCH_PACKAGE' did not install; PyTorch will be skipped."
fi

PEERS=()
if "$PY" -c 'import keras, tensorflow' 2>/dev/null; then
  PEERS+=(keras)
else
  say "Keras: SKIPPED — 'import keras, tensorflow' fails in $PEERS_VENV (fix: $PY -m pip install $PEERS_PACKAGES)."
fi
if "$PY" -c 'import torch' 2>/dev/null; then
  PEERS+=(torch)
else
  say "PyTorch: SKIPPED — 'import torch' fails in $PEERS_VENV (fix: $PY -m pip install $TORCH_PACKAGE)."
fi

PIN=()
if command -v taskset >/dev/null && taskset -c "$PIN_CPU" true 2>/dev/null; then
  PIN=(taskset -c "$PIN_CPU")
  PINNING="taskset -c $PIN_CPU"
else
  PINNING="not pinned (taskset or CPU $PIN_CPU unavailable)"
  say "Note: $PINNING."
fi

mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.tsv"
: >"$RESULTS"
FAILED=0

# Runs one benchmark; appends `who<TAB>round<TAB>json` to $RESULTS, or warns and carries on.
run_one() {
  local who=$1 round=$2 cell=$3 units=$4
  local log="$OUT_DIR/$who-$cell-$units-r$round.log" line
  local common=(--cell "$cell" --units "$units" --batch-size "$BATCH_SIZE" --threads "$THREADS" --batches "$BATCHES")
  local cmd
  case $who in
    ours) cmd=("${OURS[@]}" bench "${common[@]}" --json) ;;
    keras) cmd=("$PY" Benchmarks/keras_bench.py "${common[@]}" --warmup "$WARMUP") ;;
    torch) cmd=("$PY" Benchmarks/torch_bench.py "${common[@]}" --warmup "$WARMUP") ;;
  esac
  say "[$round/$ROUNDS] $who $cell $units"
  if line=$("${PIN[@]}" "${cmd[@]}" 2>"$log" | grep '^{' | tail -n 1) && [[ -n "$line" ]]; then
    printf '%s\t%s\t%s\n' "$who" "$round" "$line" >>"$RESULTS"
  else
    FAILED=$((FAILED + 1))
    say "warning: $who $cell $units round $round failed or printed no JSON line; see $log"
  fi
}

# (c) alternate ours and peers within each model so drifting machine load hits all of them alike.
for model in $MODELS; do
  cell=${model%%:*}
  units=${model##*:}
  for ((round = 1; round <= ROUNDS; round++)); do
    for who in ours "${PEERS[@]}"; do
      run_one "$who" "$round" "$cell" "$units"
    done
  done
done

# (d) report
MACHINE="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), nproc $(nproc)"
SWIFT_VERSION=$(swift --version 2>/dev/null | head -n 1 || true)
OURS_VERSION=$("${OURS[@]}" --version 2>/dev/null | head -n 1 || true)
REPORT="$OUT_DIR/report.md"
"$PY" Benchmarks/compare_table.py "$RESULTS" \
  --machine "$MACHINE" \
  --date "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  --settings "batch $BATCH_SIZE, threads $THREADS, $BATCHES timed batches, peers' warm-up $WARMUP, $ROUNDS rounds (medians; ratios = median of per-round ratios), $PINNING" \
  --extra-version "python: $("$PY" -c 'import platform; print(platform.python_version())')" \
  --models "$MODELS" \
  --extra-version "swift: ${SWIFT_VERSION:-unknown}" \
  ${OURS_VERSION:+--extra-version "rnnsweep --version: $OURS_VERSION"} | tee "$REPORT"
say "Raw results: $RESULTS; report: $REPORT"
if ((FAILED > 0)); then
  say "$FAILED run(s) failed; see the logs in $OUT_DIR."
  exit 1
fi
