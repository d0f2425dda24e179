#!/usr/bin/env python3
"""Training throughput on variable-length data under a mask: rnnsweep skipping the batch's all-padding steps, rnnsweep
computing them (the same bits), rnnsweep with length buckets, and Keras 3 with Masking(0.0), on the same npz file.

    masked_throughput.py --data data/npz/japanese_vowels.npz [--cells lstm,gru] [--units 64] [--batch-size 32]
                         [--epochs 5] [--rounds 3] [--rnnsweep .build/release/rnnsweep]

Each round runs every variant once, one after the other, one compute thread each (taskset -c 1 when available).
rnnsweep's figure is the training examples per second of its epochs (the `seconds` of `train --json`'s epoch
events: the epochs alone, no start-up or data loading, no validation because none is asked for). Keras's is the same
count over the wall time of `model.fit` for the same epochs, after one warm-up epoch that traces its graph. Prints a
Markdown table of the medians over rounds, with each ratio taken within its round, and the machine.
Run it from the repository root with the peers' virtualenv (see Benchmarks/README.md); Python never runs in the
Swift build or tests.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time


def ours(binary, data, cell, units, batch, epochs, extra):
    command = [binary, "train", "--json", "--dataset", "npz", "--data-dir", data, "--cell", cell, "--units",
               str(units), "--optimizer", "adam", "--batch-size", str(batch), "--epochs", str(epochs), "--mask",
               "zeros", "--threads", "1"] + extra
    if shutil.which("taskset"):
        command = ["taskset", "-c", "1"] + command
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    seconds = 0.0
    samples = None
    for line in done.stdout.splitlines():
        event = json.loads(line)
        if event["event"] == "started":
            samples = event["train_samples"]
        elif event["event"] == "epoch":
            seconds += event["seconds"]
    return samples * epochs / seconds


KERAS = r"""
import os, sys, time, json
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
os.environ["KERAS_BACKEND"] = "tensorflow"
import numpy as np, tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
import keras
data, cell, units, batch, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
f = np.load(data)
x, y = f["x_train"].astype("float32"), f["y_train"]
classes = int(y.max()) + 1
layer = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[cell]
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.Masking(0.0), layer(units), keras.layers.Dense(classes),
                          keras.layers.Activation("softmax")])
model.compile(optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
start = time.perf_counter()
model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0)
print(json.dumps({"samples_per_second": len(x) * epochs / (time.perf_counter() - start),
                  "keras": keras.__version__, "tensorflow": tf.__version__}))
"""


def peer(python, data, cell, units, batch, epochs):
    command = [python, "-c", KERAS, data, cell, str(units), str(batch), str(epochs)]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "1"] + command
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    if done.returncode != 0:
        sys.exit(f"Keras failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--cells", default="lstm,gru")
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rnnsweep", default=".build/release/rnnsweep")
    parser.add_argument("--python", default=sys.executable, help="the Python with Keras 3 (default: this one)")
    args = parser.parse_args()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    versions = subprocess.run([args.rnnsweep, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Machine: {cpu}, {os.cpu_count()} cores, {platform.system()}; {versions}; one thread per run.")
    print(f"Data: {args.data}; {args.units} units, batch {args.batch_size}, Adam, {args.epochs} epochs; medians of "
          f"{args.rounds} rounds.\n")
    print("| cell | ours, skipping padded steps | ours, computing them | ours, skipping + bucket_by_length | "
          "Keras 3, Masking(0.0) | skipping ÷ computing | skipping ÷ Keras | buckets ÷ Keras |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    keras_version = None
    for cell in args.cells.split(","):
        rows = []
        for _ in range(args.rounds):
            skip = ours(args.rnnsweep, args.data, cell, args.units, args.batch_size, args.epochs, [])
            full = ours(args.rnnsweep, args.data, cell, args.units, args.batch_size, args.epochs,
                        ["--compute-padded-steps"])
            bucket = ours(args.rnnsweep, args.data, cell, args.units, args.batch_size, args.epochs,
                          ["--bucket-by-length"])
            k = peer(args.python, args.data, cell, args.units, args.batch_size, args.epochs)
            keras_version = f"Keras {k['keras']}, TensorFlow {k['tensorflow']}"
            rows.append((skip, full, bucket, k["samples_per_second"]))
        med = [statistics.median(r[i] for r in rows) for i in range(4)]
        ratio = lambda a, b: statistics.median(r[a] / r[b] for r in rows)
        print(f"| {cell} | {med[0]:,.0f}/s | {med[1]:,.0f}/s | {med[2]:,.0f}/s | {med[3]:,.0f}/s | "
              f"{ratio(0, 1):.2f}× | {ratio(0, 3):.1f}× | {ratio(2, 3):.1f}× |")
    print(f"\nPeer: {keras_version}. Training examples per second (higher is better).")


if __name__ == "__main__":
    main()
