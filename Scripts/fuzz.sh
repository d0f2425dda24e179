#!/usr/bin/env bash
# Fuzzes one of rnnsweep's decoders with libFuzzer for SECONDS seconds.
#
#   Scripts/fuzz.sh TARGET SECONDS        TARGET: safetensors | npy | idx | datacache | experiment | text | ts
#
# The targets live in Fuzz/ (a package of their own that depends on this one by path, so `swift build` and
# `swift test` never see them): one file each, defining LLVMFuzzerTestOneInput.
#   safetensors  any bytes through SafeTensors.decode, then as checkpoint.safetensors through Checkpoint.load
#   npy          "PK…" inputs as an .npz loaded as the npz and the mnist dataset; anything else as one .npy
#   idx          first byte picks one of the four MNIST files, the rest replaces it (raw or gzip); loaded as mnist
#   datacache    any bytes as a decoded-data cache file through DecodedDataCache.decode (seeded with a valid one)
#   experiment   any bytes as YAML through ExperimentFile.parse
#   text         any bytes as a one-file CSV (text, label, split) and as one document of a small class-folder corpus,
#                each loaded as the text dataset (words and characters, with and without a vocabulary cap)
#   ts           any bytes as X_TRAIN.ts beside a valid X_TEST.ts, loaded by TSDataset for classification and
#                regression, missing values refused and read as 0, with and without channel normalization
# They are built in release mode (the code as it runs) with -sanitize=fuzzer,address (coverage, libFuzzer and ASan),
# -parse-as-library (no top-level code) and -enable-testing (the npy, idx, text and ts targets reach internal decoders).
# SwiftPM links every executable with `main = <Target>_main`, so libFuzzer's own main is never linked: each target
# defines <Target>_main, which runs libFuzzer's driver (Fuzz/Sources/CFuzzerDriver). The first build compiles the
# dependencies (GRDB, Yams, ZIPFoundation) once more with these flags into Fuzz/.build: ~10 minutes on 2 cores.
#
# Seeds come from real files (Fuzz/Corpus/TARGET, read-only: a checkpoint written by `rnnsweep train`, arrays written
# by numpy, the heads of Fashion-MNIST's IDX files, Experiments/*.yaml); new inputs go to $FUZZ_WORK/TARGET/corpus,
# crashes to $FUZZ_WORK/TARGET/crashes/ (default FUZZ_WORK=/tmp/rnnsweep-fuzz), and the figures (executions, seconds)
# are printed at the end. A crash is fixed, then its file is copied to the target's regression fixtures, which
# `swift test` decodes expecting a typed error:
#   safetensors → Tests/RNNTrainingTests/Fixtures/fuzz/safetensors/
#   npy, idx, datacache → Tests/RNNDataTests/Fixtures/fuzz/{npy,idx,datacache}/
#   experiment  → Tests/RNNSweepTests/Fixtures/fuzz/experiment/
#   text        → Tests/RNNDataTests/Fixtures/fuzz/text/
#   ts          → Tests/RNNDataTests/Fixtures/fuzz/ts/
# Extra libFuzzer flags may follow SECONDS (e.g. -jobs=2, -max_len=65536). The run is niced: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 safetensors|npy|idx|datacache|experiment|text|ts SECONDS [libFuzzer flags...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
target=$1 seconds=$2
shift 2
case $target in
  safetensors) product=FuzzSafeTensors ;;
  npy) product=FuzzNPY ;;
  idx) product=FuzzIDX ;;
  datacache) product=FuzzDataCache ;;
  experiment) product=FuzzExperiment ;;
  text) product=FuzzText ;;
  ts) product=FuzzTS ;;
  *) usage ;;
esac
[[ $seconds =~ ^[0-9]+$ ]] || usage

flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing)
nice -n 5 swift build --package-path Fuzz "${flags[@]}" --product "$product"
binary="$(swift build --package-path Fuzz "${flags[@]}" --show-bin-path)/$product"

work=${FUZZ_WORK:-/tmp/rnnsweep-fuzz}/$target
mkdir -p "$work/corpus" "$work/crashes"
# -timeout: an input that takes 20 s is reported like a crash (a hang); -rss_limit_mb: so is one that needs 2 GB.
# Leaks are not checked: ZIPFoundation leaks the 38-byte path it gets from FileManager.fileSystemRepresentation on
# every Archive it opens, which would end every npy run at its first zip (a leak is not a trap; the one leak of our
# own that LeakSanitizer found, Data(contentsOf:) on an empty file, is avoided in FileBytes and Checkpoint).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
# A Swift trap is then reported by libFuzzer ("deadly signal", with the input saved), not by Swift's backtracer.
export SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
nice -n 5 "$binary" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 \
  -artifact_prefix="$work/crashes/" -dict="Fuzz/Dictionaries/$target.dict" "$@" "$work/corpus" "Fuzz/Corpus/$target"
