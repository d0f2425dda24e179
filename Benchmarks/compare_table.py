#!/usr/bin/env python3
"""Renders compare.sh's results (lines `who<TAB>round<TAB>json`) as a Markdown report of medians over rounds.

`who` is ours, keras or torch; the JSON is the one line printed by `rnnsweep bench --json`, keras_bench.py or
torch_bench.py. Missing runs show as an em dash.

Ratios are paired: ours/Keras is the median over rounds of (ours in round r) / (Keras in round r), the two runs
next to each other in time. On a shared VM whose speed drifts by ±20 % within minutes, that is steadier than the
ratio of the two medians, which can pair ours on a fast minute with Keras on a slow one.
"""

import argparse
import json
import statistics
import sys

WHO = ("ours", "keras", "torch")
NAMES = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def load(path):
    """Returns ({(who, cell, units): [result, ...]}, [model order], {who: framework string})."""
    runs, order, frameworks = {}, [], {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            try:
                who, round_text, text = line.split("\t", 2)
                result = json.loads(text)
                result["_round"] = int(round_text)
                key = (who, result["cell"], int(result["units"]))
            except (ValueError, KeyError) as error:
                sys.exit(f"{path}:{number}: not `who<TAB>round<TAB>json` with cell and units ({error})")
            runs.setdefault(key, []).append(result)
            if key[1:] not in order:
                order.append(key[1:])
            frameworks.setdefault(who, result.get("framework", "?"))
    return runs, order, frameworks


def median(runs, who, model, field):
    values = [float(r[field]) for r in runs.get((who,) + model, []) if r.get(field) is not None]
    return statistics.median(values) if values else None


def paired_ratios(runs, a, b, model, field):
    """a's value / b's value in every round both ran."""
    theirs = {r["_round"]: float(r[field]) for r in runs.get((b,) + model, []) if r.get(field)}
    return [
        float(r[field]) / theirs[r["_round"]]
        for r in runs.get((a,) + model, [])
        if r.get(field) is not None and r["_round"] in theirs
    ]


def paired_ratio(runs, a, b, model, field):
    """Median over the rounds both ran of a's value / b's value."""
    ratios = paired_ratios(runs, a, b, model, field)
    return statistics.median(ratios) if ratios else None


def sgemm_fractions(runs, model):
    """Per run of ours: model GFLOP/s / sgemm GFLOP/s (both timed in the same process, interleaved)."""
    return [
        float(r["train_model_gflops"]) / float(r["sgemm_gflops"])
        for r in runs.get(("ours",) + model, [])
        if r.get("train_model_gflops") is not None and r.get("sgemm_gflops")
    ]


def sgemm_fraction(runs, model):
    """Median over our runs of the fraction of sgemm."""
    values = sgemm_fractions(runs, model)
    return statistics.median(values) if values else None


def spread(values, render):
    """'min–max' of the values, rendered, or an em dash."""
    return "—" if not values else f"{render(min(values))}–{render(max(values))}"


def times(value):
    return "—" if value is None else f"{value:.2f}×"


def percent(value):
    return "—" if value is None else f"{100 * value:.0f} %"


def number(value, digits=0):
    return "—" if value is None else f"{value:,.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results")
    parser.add_argument("--machine", default="?")
    parser.add_argument("--date", default="?")
    parser.add_argument("--settings", default="")
    parser.add_argument("--models", default="", help='"cell:units ..." to list (in this order) even without results')
    parser.add_argument("--extra-version", action="append", default=[], help="`name: version` lines to list")
    args = parser.parse_args()
    runs, order, frameworks = load(args.results)
    requested = []
    for item in args.models.split():
        cell, _, units = item.partition(":")
        requested.append((cell, int(units)))
    order = requested + [model for model in order if model not in requested]

    out = []
    out.append(f"Machine: {args.machine}  ")
    out.append(f"Date: {args.date}  ")
    if args.settings:
        out.append(f"Settings: {args.settings}  ")
    versions = [f"{who}: {frameworks[who]}" for who in WHO if who in frameworks] + args.extra_version
    out.append("Versions: " + "; ".join(versions))
    out.append("")
    out.append(
        "| model | ours train samples/s | Keras train | PyTorch train | ours/Keras | ours/PyTorch "
        "| ours eval | Keras eval | ours/Keras eval | ours model GFLOP/s | of sgemm |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for model in order:
        cell, units = model
        train, evals = "train_samples_per_second", "eval_samples_per_second"
        ours_t, keras_t, torch_t = (median(runs, w, model, train) for w in WHO)
        ours_e, keras_e = (median(runs, w, model, evals) for w in ("ours", "keras"))
        gflops = median(runs, "ours", model, "train_model_gflops")
        out.append(
            f"| {NAMES.get(cell, cell)} {units} | {number(ours_t)} | {number(keras_t)} | {number(torch_t)} "
            f"| {times(paired_ratio(runs, 'ours', 'keras', model, train))} "
            f"| {times(paired_ratio(runs, 'ours', 'torch', model, train))} | {number(ours_e)} | {number(keras_e)} "
            f"| {times(paired_ratio(runs, 'ours', 'keras', model, evals))} | {number(gflops, 1)} "
            f"| {percent(sgemm_fraction(runs, model))} |"
        )

    # Details: per-batch times of every framework (incl. PyTorch eval) and run counts.
    out.append("")
    out.append(
        "| model | runs ours/Keras/PyTorch | ms/batch train ours / Keras / PyTorch "
        "| ms/batch eval ours / Keras / PyTorch | ours sgemm GFLOP/s |"
    )
    out.append("|---|---:|---:|---:|---:|")
    for model in order:
        cell, units = model
        counts = "/".join(str(len(runs.get((w,) + model, []))) for w in WHO)
        train = " / ".join(number(median(runs, w, model, "train_ms_per_batch"), 1) for w in WHO)
        evals = " / ".join(number(median(runs, w, model, "eval_ms_per_batch"), 1) for w in WHO)
        sgemm = number(median(runs, "ours", model, "sgemm_gflops"), 1)
        out.append(f"| {NAMES.get(cell, cell)} {units} | {counts} | {train} | {evals} | {sgemm} |")

    # Spread: how far single rounds strayed from the medians above (this VM moves a ratio by tens of percent).
    out.append("")
    out.append("| model | ours/Keras train, rounds | ours/Keras eval, rounds | of sgemm, runs |")
    out.append("|---|---:|---:|---:|")
    for model in order:
        cell, units = model
        train = spread(paired_ratios(runs, "ours", "keras", model, "train_samples_per_second"), times)
        evals = spread(paired_ratios(runs, "ours", "keras", model, "eval_samples_per_second"), times)
        fraction = spread(sgemm_fractions(runs, model), percent)
        out.append(f"| {NAMES.get(cell, cell)} {units} | {train} | {evals} | {fraction} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
