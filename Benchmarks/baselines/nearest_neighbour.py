#!/usr/bin/env python3
"""The classic 1-nearest-neighbour baselines that the UCR/UEA archive publishes, for a `.ts` classification problem.

    nearest_neighbour.py DATA_DIR [--out results.csv] [--missing zero] [--methods ed,dtw_d,dtw_i]

DATA_DIR is what rnnsweep's `dataset: ts` takes as `data_dir`: a folder holding one `<Name>_TRAIN.ts` /
`<Name>_TEST.ts` pair, the `<Name>` prefix, or either file. The files are read by `Benchmarks/datasets/ts_format.py`
(rnnsweep's rules); the values are the files' numbers as float64, not normalised (the archive's "raw" columns).
Every TEST series is labelled with the class of its nearest TRAIN series (ties: the first in file order), and the
accuracy (and error rate = 1 − accuracy) on TEST is printed for:

- `ed`: Euclidean distance over the padded series: every series (TRAIN and TEST) padded with all-zero steps AFTER
  its end to T, the longest of both files, and compared over all T × D values. For equal-length problems this is the
  plain Euclidean distance; for variable-length ones (JapaneseVowels) the comparison depends on that padding, which
  is this script's choice (rnnsweep's post-padding), not necessarily the archive's.
- `dtw_d`: dependent multivariate DTW (Shokoohi-Yekta et al.): one warping path for all dimensions, point cost the
  squared Euclidean distance between the two D-dimensional steps, full window (no Sakoe-Chiba band), on the
  UNPADDED series of their own lengths (start and end points matched, the usual step pattern
  D(i, j) = c(i, j) + min(D(i−1, j−1), D(i−1, j), D(i, j−1))).
- `dtw_i`: independent multivariate DTW: the sum over dimensions of each dimension's own univariate DTW (same point
  cost, window and series).

Missing values (`?`, NaN) are refused unless `--missing zero` reads them as 0 (as rnnsweep does). `--out FILE` writes
one CSV row per method: problem, method, test cases, correct, accuracy, error rate, seconds. numpy only; the DTW
recurrence is vectorised over all TRAIN series at once (one row of the cost matrix at a time).
"""

import argparse
import csv
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "datasets"))
import ts_format  # noqa: E402

METHODS = ("ed", "dtw_d", "dtw_i")


def padded_after(series, timesteps, dimensions):
    """float64 [N, timesteps, D]: each series followed by zero steps; NaN (missing) written as 0."""
    out = np.zeros((len(series), timesteps, dimensions))
    for n, s in enumerate(series):
        out[n, : len(s)] = np.nan_to_num(s, nan=0.0)
    return out


def nearest_ed(train, test, timesteps, dimensions):
    """Index of each TEST series' nearest TRAIN series by squared Euclidean distance over the post-padded series."""
    a = padded_after(train, timesteps, dimensions).reshape(len(train), -1)
    b = padded_after(test, timesteps, dimensions).reshape(len(test), -1)
    return np.array([int(np.argmin(((a - q) ** 2).sum(axis=1))) for q in b])


def dtw_to_all(query, train_padded, train_lengths):
    """DTW distances from `query` [Lq, C] to every TRAIN series, vectorised over a leading batch axis:
    `train_padded` [B, Tmax, C] (any values past a series' length: they never reach its end cell), `train_lengths` [B].
    Point cost: squared Euclidean distance over the C channels. Returns [B]."""
    lq = len(query)
    batch, tmax = train_padded.shape[0], train_padded.shape[1]
    cost = ((query[None, :, None, :] - train_padded[:, None, :, :]) ** 2).sum(axis=3)  # [B, Lq, Tmax]
    previous = np.full((batch, tmax + 1), np.inf)  # row i − 1 of the accumulated cost, column 0 = the border
    previous[:, 0] = 0.0  # D(0, 0) = 0
    for i in range(lq):
        row = np.full((batch, tmax + 1), np.inf)
        c = cost[:, i, :]
        for j in range(1, tmax + 1):
            row[:, j] = c[:, j - 1] + np.minimum(np.minimum(previous[:, j - 1], previous[:, j]), row[:, j - 1])
        previous = row  # its column 0 stays ∞: D(i, 0) = ∞ for i ≥ 1
    return previous[np.arange(batch), train_lengths]


def nearest_dtw(train, test, dimensions, independent):
    """Index of each TEST series' nearest TRAIN series by DTW_D (one path over all dimensions) or DTW_I (the sum of
    one path per dimension), on the unpadded series."""
    lengths = np.array([len(s) for s in train])
    base = padded_after(train, int(lengths.max()), dimensions)  # steps past a series' end never reach its end cell
    nearest = []
    for q in test:
        q = np.nan_to_num(q, nan=0.0)
        if independent:
            d = sum(dtw_to_all(q[:, k : k + 1], base[:, :, k : k + 1], lengths) for k in range(dimensions))
        else:
            d = dtw_to_all(q, base, lengths)
        nearest.append(int(np.argmin(d)))
    return np.array(nearest)


def main():
    p = argparse.ArgumentParser(description="1-NN Euclidean and DTW baselines for a UCR/UEA .ts problem.")
    p.add_argument("data_dir", help="folder with one <Name>_TRAIN.ts/<Name>_TEST.ts pair, the <Name> prefix or a file")
    p.add_argument("--out", metavar="CSV", help="write one row per method to this CSV file")
    p.add_argument("--missing", choices=("none", "zero"), default="none", help="missing values: refuse (none) or 0")
    p.add_argument(
        "--methods", default="ed,dtw_d", help=f"comma-separated, from {', '.join(METHODS)} (default ed,dtw_d)"
    )
    args = p.parse_args()
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        p.error(f"--methods: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(METHODS)}")
    try:
        train, test = ts_format.read_pair(args.data_dir, "classification", args.missing)
    except ts_format.TSFormatError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    name = os.path.basename(train.path)[: -len("_TRAIN.ts")]
    dimensions = train.dimensions
    timesteps = max(train.longest, test.longest)
    print(
        f"{name}: {len(train.series)} train / {len(test.series)} test series, {dimensions} dimension(s), lengths "
        f"{min(train.lengths + test.lengths)}–{timesteps}, {len(train.header['class_labels'])} classes"
    )
    rows = []
    for method in methods:
        start = time.perf_counter()
        if method == "ed":
            nearest = nearest_ed(train.series, test.series, timesteps, dimensions)
        else:
            nearest = nearest_dtw(train.series, test.series, dimensions, independent=method == "dtw_i")
        seconds = time.perf_counter() - start
        correct = int((train.classes[nearest] == test.classes).sum())
        accuracy = correct / len(test.series)
        print(
            f"1-NN {method.upper():6} accuracy {accuracy:.4f} ({correct}/{len(test.series)})  error rate "
            f"{1 - accuracy:.4f}  {seconds:.2f} s"
        )
        rows.append(
            [name, method, len(test.series), correct, f"{accuracy:.6f}", f"{1 - accuracy:.6f}", f"{seconds:.3f}"]
        )
    if args.out:
        with open(args.out, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["problem", "method", "test_cases", "correct", "accuracy", "error_rate", "seconds"])
            writer.writerows(rows)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
