#!/usr/bin/env python3
"""Time-series extrinsic regression sets that the aeon wheel bundles (Monash/UEA TSER archive), as rnnsweep npz files.

    tser_regression.py [covid3month] [cardano_sentiment] [--out DIR] [--cache DIR] [--wheel aeon-1.6.0-…whl]

With no set named, both. Per set NAME, under DIR (default ./data):
    regression/<Archive name>/<Archive name>_{TRAIN,TEST}.ts   the original files, byte for byte (+ aeon's LICENSE)
    npz/NAME.npz          x_* float32 [N, T, F] as in the files, y_* float32 [N] (the regression target)
    npz/NAME_log1p.npz    the same with x = log1p(x) (every value of both sets is ≥ 0: counts, volumes, prices),
                          since the raw values reach 10^4–10^5 and saturate a tanh recurrent layer
    npz/NAME.json         provenance, shapes, target statistics, missing values, all-zero timesteps, SHA-256s
Both sets are equal-length and have no missing values (the script counts them and would fill them with the
series' previous value, else 0, reporting how many). Covid3Month is mostly real timesteps whose value is 0.0 (no case
reported that day: 81 % of its steps): train it with mask: none, since Masking(mask_value=0.0) would skip them.
Only numpy is needed; the wheel is downloaded with pip, never installed.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_CACHE, DataSetError, Wheel, describe, parse_ts, read_members, say  # noqa: E402
from common import write_bytes, write_json, write_npz  # noqa: E402

AEON = Wheel(
    "aeon", "1.6.0", "aeon-1.6.0-py3-none-any.whl", "d05227086706f80111ac5fee8de4d5d3115bb3bcfd1c786c8629393055816409"
)
LICENSE = ("aeon-1.6.0.dist-info/licenses/LICENSE", "dc3459a1fd14b6bcd10d13172dde23dd8c296660320dcb2b784efee5cd27c329")
TSER_CITATION = (
    "C. W. Tan, C. Bergmeir, F. Petitjean, G. I. Webb (2021). Time series extrinsic regression. Data Mining and "
    "Knowledge Discovery 35, 1032-1060 (the Monash/UEA/UCR TSER archive)."
)
SETS = {
    "covid3month": {
        "archive": "Covid3Month",
        "train": "8a58e6186143714d47dfeb2a24e954ef1fb5e7a1d72344b6bb9bbce10ccdfd6f",
        "test": "5bf6d4ce5cce67735f0893673221c86f10effe284cf4555a162060329b388bea",
        "about": "x: daily confirmed COVID-19 cases of a country over the three months before 1 April 2020 (WHO); "
        "y: the country's COVID-19 death rate on 1 April 2020",
    },
    "cardano_sentiment": {
        "archive": "CardanoSentiment",
        "train": "95790a5439da5480345d6b8d6c35b69862bcc0b808dae183e4741cef9a90d589",
        "test": "3b432941db90e60e9a6d43f90241ab105f6b2a7a5e234bc6c0303cb0dab0c036",
        "about": "x: 24 hourly steps of 2 channels of Cardano (ADA) market data (the first ≈ the price in USD); "
        "y: a sentiment score of tweets about Cardano (the .ts files carry no further description)",
    },
}


def fill_missing(x):
    """Fills NaN with the series' previous value in that channel, else 0; returns the count filled."""
    missing = int(np.isnan(x).sum())
    if missing:
        for i in range(x.shape[0]):
            for f in range(x.shape[2]):
                last = 0.0
                for t in range(x.shape[1]):
                    if np.isnan(x[i, t, f]):
                        x[i, t, f] = last
                    else:
                        last = x[i, t, f]
    return missing


def convert(key, wheel, out):
    spec = SETS[key]
    archive = spec["archive"]
    prefix = f"aeon/datasets/data/{archive}/{archive}_"
    members = {prefix + "TRAIN.ts": spec["train"], prefix + "TEST.ts": spec["test"], LICENSE[0]: LICENSE[1]}
    files = read_members(wheel, members)
    original_dir = os.path.join(out, "regression", archive)
    for member, data in files.items():
        write_bytes(os.path.join(original_dir, os.path.basename(member)), data)
    say(f"copied the original .ts files and aeon's LICENSE to {original_dir}")

    arrays, facts = {}, {}
    for part in ("train", "test"):
        name = f"{archive}_{part.upper()}.ts"
        ts = parse_ts(files[prefix + part.upper() + ".ts"].decode("utf-8"), name)
        lengths = {len(d) for dims in ts.series for d in dims}
        if len(lengths) != 1:
            raise DataSetError(f"{name}: series of different lengths {sorted(lengths)}; expected equal-length")
        x = np.array([np.asarray(dims, dtype=np.float64).T for dims in ts.series], dtype=np.float32)  # [N, T, F]
        y = np.array([float(t) for t in ts.targets], dtype=np.float32)
        missing_x = fill_missing(x)
        if np.isnan(y).any():
            raise DataSetError(f"{name}: {int(np.isnan(y).sum())} missing targets")
        if (x < 0).any():
            raise DataSetError(f"{name}: negative values; log1p variant not defined")
        all_zero = np.all(x == 0.0, axis=2)
        arrays["x_" + part], arrays["y_" + part] = x, y
        facts[part] = {
            "examples": int(x.shape[0]),
            "timesteps": int(x.shape[1]),
            "features": int(x.shape[2]),
            "missing_values_filled": missing_x,
            "header_missing": ts.header.get("missing", "(not stated)"),
            "all_zero_timesteps": int(all_zero.sum()),
            "series_with_all_zero_timesteps": int(all_zero.any(axis=1).sum()),
            "all_zero_series": int(all_zero.all(axis=1).sum()),
            "x_min": float(x.min()),
            "x_max": float(x.max()),
            "y_min": float(y.min()),
            "y_max": float(y.max()),
            "y_mean": round(float(y.mean()), 6),
            "y_std": round(float(y.std()), 6),
            "y_zero_count": int((y == 0).sum()),
        }
        say(
            f"{archive} {part}: x {list(x.shape)} in [{x.min():g}, {x.max():g}], y in [{y.min():g}, {y.max():g}] "
            f"(mean {y.mean():.4g}), {missing_x} missing values, {int(all_zero.sum())} all-zero timesteps"
        )
    # log1p in float64, then rounded to float32: float32 log1p kernels differ between numpy builds and CPUs.
    log_arrays = {
        k: (np.log1p(v.astype(np.float64)).astype(np.float32) if k.startswith("x_") else v) for k, v in arrays.items()
    }

    npz_dir = os.path.join(out, "npz")
    digests = {
        key + ".npz": write_npz(os.path.join(npz_dir, key + ".npz"), arrays),
        key + "_log1p.npz": write_npz(os.path.join(npz_dir, key + "_log1p.npz"), log_arrays),
    }
    write_json(
        os.path.join(npz_dir, key + ".json"),
        {
            "name": archive,
            "task": "regression",
            "about": spec["about"],
            "source": {
                "package": f"{AEON.name}=={AEON.version}",
                "wheel": AEON.filename,
                "wheel_sha256": AEON.sha256,
                "members": members,
                "package_license": "BSD-3-Clause (aeon; LICENSE copied beside the .ts files)",
                "citation": TSER_CITATION,
            },
            "variants": {
                key + ".npz": "x as in the .ts files (float32)",
                key + "_log1p.npz": "x = float32(log1p(float64(x))); y unchanged",
            },
            "missing_values": "none in either file; NaN would be filled with the previous value, else 0",
            "masking": (
                "real timesteps whose values are all 0.0 exist: use mask: none"
                if any(f["all_zero_timesteps"] for f in facts.values())
                else "no real timestep is all 0.0 (equal-length series: masking changes nothing)"
            ),
            "splits": facts,
            "arrays": describe(arrays),
            "npz_sha256": digests,
            "script": "Benchmarks/datasets/tser_regression.py",
        },
    )


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sets", nargs="*", choices=[[], *SETS], help="covid3month, cardano_sentiment (default: both)")
    p.add_argument("--out", default="data", help="output root (default ./data)")
    p.add_argument("--cache", default=DEFAULT_CACHE, help=f"where the wheel is downloaded (default {DEFAULT_CACHE})")
    p.add_argument("--wheel", help="use this aeon-1.6.0 wheel instead of downloading it (its SHA-256 is checked)")
    args = p.parse_args()
    wheel = AEON.fetch(args.cache, args.wheel)
    for key in args.sets or list(SETS):
        convert(key, wheel, args.out)


if __name__ == "__main__":
    try:
        main()
    except DataSetError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
