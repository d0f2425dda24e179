#!/usr/bin/env python3
"""rnnsweep's results beside Keras's, row by row: mean ± sample s.d. over seeds of a test metric and of the seconds per
trial, matched on the parameters that vary.

    side_by_side.py --ours OURS.csv --keras KERAS.csv --metric test_accuracy [--keys cell,mask]

OURS.csv is `rnnsweep report SWEEP --format csv --rows KEYS,seed --metrics METRIC,seconds` (one row per trial);
KERAS.csv is what `keras_reference_sweep.py --out` writes. Accuracies print in percent. Standard library only.
"""

import argparse
import csv
import statistics


def fold(rows, keys, metric, seconds):
    groups = {}
    for row in rows:
        if not row.get(metric):
            continue
        groups.setdefault(tuple(row[k] for k in keys), []).append((float(row[metric]), float(row[seconds])))
    return groups


def cell(values, scale, digits):
    mean = statistics.mean(values) * scale
    if len(values) < 2:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {statistics.stdev(values) * scale:.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ours", required=True)
    parser.add_argument("--keras", required=True)
    parser.add_argument("--metric", required=True)
    parser.add_argument("--keys", default="cell")
    args = parser.parse_args()
    keys = args.keys.split(",")
    ours = fold(csv.DictReader(open(args.ours)), keys, args.metric + "_mean", "seconds_mean")
    keras = fold(csv.DictReader(open(args.keras)), keys, args.metric, "seconds")
    percent = "accuracy" in args.metric
    scale, digits = (100, 2) if percent else (1, 4)
    name = args.metric + (", %" if percent else "")
    print("| " + " | ".join(keys) + f" | rnnsweep {name} | Keras 3 {name} | rnnsweep s/trial | Keras 3 s/trial | "
          "speed-up |")
    print("|" + "---|" * len(keys) + "---:|---:|---:|---:|---:|")
    for key in ours:
        mine, theirs = ours[key], keras.get(key, [])
        if not theirs:
            continue
        speed = statistics.mean(s for _, s in theirs) / statistics.mean(s for _, s in mine)
        print("| " + " | ".join(key) + f" | {cell([m for m, _ in mine], scale, digits)} | "
              f"{cell([m for m, _ in theirs], scale, digits)} | {cell([s for _, s in mine], 1, 2)} | "
              f"{cell([s for _, s in theirs], 1, 1)} | {speed:.0f}× |")


if __name__ == "__main__":
    main()
