#!/usr/bin/env python3
"""JapaneseVowels (UEA multivariate archive) from the `.ts` files that the aeon wheel bundles, as rnnsweep npz files.

    japanese_vowels.py [--out DIR] [--cache DIR] [--wheel aeon-1.6.0-py3-none-any.whl]

Writes, under DIR (default ./data):
    ts/JapaneseVowels/JapaneseVowels_TRAIN.ts, _TEST.ts   the original files, byte for byte (+ aeon's LICENSE)
    npz/japanese_vowels.npz          x_train [270, 29, 12], x_test [370, 29, 12] float32, zeros POST-padded
    npz/japanese_vowels_prepad.npz   the same, zeros PRE-padded (each series ends at step 29)
    npz/japanese_vowels.json         provenance, shapes, lengths, class counts, padding facts, the npz SHA-256s
y_* are int64 class indices 0..8 in the file's @classLabel order (speakers 1..9).
Only numpy is needed; the wheel is downloaded with pip, never installed.
"""

import argparse
import collections
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_CACHE, DataSetError, Wheel, describe, padded, parse_ts, read_members, say  # noqa: E402
from common import write_bytes, write_json, write_npz  # noqa: E402

AEON = Wheel(
    "aeon", "1.6.0", "aeon-1.6.0-py3-none-any.whl", "d05227086706f80111ac5fee8de4d5d3115bb3bcfd1c786c8629393055816409"
)
PREFIX = "aeon/datasets/data/JapaneseVowels/"
MEMBERS = {
    PREFIX + "JapaneseVowels_TRAIN.ts": "68a430eabd919cc77f40b1f5f3bc0dcafacc1486bca9260785aeb7d262cc78cd",
    PREFIX + "JapaneseVowels_TEST.ts": "b3d41d6a0ca3bcad3afb9ca7d4365382aa51341e2e58bae2a574babdda5b9462",
    "aeon-1.6.0.dist-info/licenses/LICENSE": "dc3459a1fd14b6bcd10d13172dde23dd8c296660320dcb2b784efee5cd27c329",
}
CITATION = (
    'M. Kudo, J. Toyama and M. Shimbo (1999). "Multidimensional Curve Classification Using Passing-Through '
    'Regions". Pattern Recognition Letters 20(11-13), 1103-1111. UCI Machine Learning Repository "Japanese Vowels" '
    "(CC BY 4.0); UEA multivariate archive version: A. Bagnall et al. (2018), The UEA multivariate time series "
    "classification archive, arXiv:1811.00075."
)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="data", help="output root (default ./data)")
    p.add_argument("--cache", default=DEFAULT_CACHE, help=f"where the wheel is downloaded (default {DEFAULT_CACHE})")
    p.add_argument("--wheel", help="use this aeon-1.6.0 wheel instead of downloading it (its SHA-256 is checked)")
    args = p.parse_args()

    wheel = AEON.fetch(args.cache, args.wheel)
    files = read_members(wheel, MEMBERS)
    ts_dir = os.path.join(args.out, "ts", "JapaneseVowels")
    for member, data in files.items():
        write_bytes(os.path.join(ts_dir, os.path.basename(member)), data)
    say(f"copied the original .ts files and aeon's LICENSE to {ts_dir}")

    train = parse_ts(files[PREFIX + "JapaneseVowels_TRAIN.ts"].decode("utf-8"), "JapaneseVowels_TRAIN.ts")
    test = parse_ts(files[PREFIX + "JapaneseVowels_TEST.ts"].decode("utf-8"), "JapaneseVowels_TEST.ts")
    labels = train.class_labels
    if labels != test.class_labels:
        raise DataSetError(f"class labels differ: train {labels}, test {test.class_labels}")
    index = {label: i for i, label in enumerate(labels)}

    facts = {}
    for name, ts in (("train", train), ("test", test)):
        for case, dims in enumerate(ts.series):
            if len({len(d) for d in dims}) != 1:
                raise DataSetError(f"{name} case {case}: dimensions of different lengths {[len(d) for d in dims]}")
            if any(np.isnan(v) for d in dims for v in d):
                raise DataSetError(f"{name} case {case}: missing values")
        facts[name] = {"lengths": [len(dims[0]) for dims in ts.series]}
    length = max(max(f["lengths"]) for f in facts.values())
    features = len(train.series[0])

    arrays = {"post": {}, "pre": {}}
    for name, ts in (("train", train), ("test", test)):
        y = np.array([index[t] for t in ts.targets], dtype=np.int64)
        for pad in ("post", "pre"):
            arrays[pad]["x_" + name] = padded(ts.series, length, pad)
            arrays[pad]["y_" + name] = y
        # A real timestep whose F values are all 0.0 would be dropped by Masking(mask_value=0.0).
        x = arrays["post"]["x_" + name]
        real = np.arange(length)[None, :] < np.array(facts[name]["lengths"])[:, None]
        all_zero = np.all(x == 0.0, axis=2)
        lengths = facts[name]["lengths"]
        facts[name].update(
            {
                "examples": len(ts.series),
                "min_length": min(lengths),
                "max_length": max(lengths),
                "mean_length": round(float(np.mean(lengths)), 3),
                "length_histogram": {str(k): v for k, v in sorted(collections.Counter(lengths).items())},
                "padded_steps": int((~real).sum()),
                "padded_fraction": round(float((~real).sum() / real.size), 4),
                "all_zero_real_steps": int((all_zero & real).sum()),
                "real_values_equal_to_zero": int(((x == 0.0) & real[:, :, None]).sum()),
                "class_counts": {labels[k]: int((y == k).sum()) for k in range(len(labels))},
            }
        )
        say(
            f"{name}: {len(ts.series)} series, {features} channels, lengths {min(lengths)}–{max(lengths)} "
            f"(mean {np.mean(lengths):.1f}), {facts[name]['all_zero_real_steps']} all-zero real timesteps, "
            f"classes {facts[name]['class_counts']}"
        )

    npz_dir = os.path.join(args.out, "npz")
    digests = {
        "japanese_vowels.npz": write_npz(os.path.join(npz_dir, "japanese_vowels.npz"), arrays["post"]),
        "japanese_vowels_prepad.npz": write_npz(os.path.join(npz_dir, "japanese_vowels_prepad.npz"), arrays["pre"]),
    }
    write_json(
        os.path.join(npz_dir, "japanese_vowels.json"),
        {
            "name": "JapaneseVowels",
            "task": "classification",
            "source": {
                "package": f"{AEON.name}=={AEON.version}",
                "wheel": AEON.filename,
                "wheel_sha256": AEON.sha256,
                "members": MEMBERS,
                "package_license": "BSD-3-Clause (aeon; LICENSE copied beside the .ts files)",
                "citation": CITATION,
            },
            "classes": labels,
            "label_encoding": "y = position of the label in the files' @classLabel list (speaker 1 → 0 … 9 → 8)",
            "timesteps": length,
            "features": features,
            "padding": {
                "japanese_vowels.npz": "post: series i fills steps 0..len_i-1, zeros after",
                "japanese_vowels_prepad.npz": "pre: zeros first, series i fills steps T-len_i..T-1",
            },
            "splits": {k: {kk: vv for kk, vv in v.items() if kk != "lengths"} for k, v in facts.items()},
            "arrays": describe(arrays["post"]),
            "npz_sha256": digests,
            "script": "Benchmarks/datasets/japanese_vowels.py",
        },
    )


if __name__ == "__main__":
    try:
        main()
    except DataSetError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
