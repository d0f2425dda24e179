"""Shared pieces of the peer benchmarks (keras_bench.py, torch_bench.py).

This module must not import any framework: `parse_args` pins the thread count through environment
variables, which the frameworks read only when they are first imported.
"""

import argparse
import json
import os
import statistics
import sys
import time

TIMESTEPS = 28
FEATURES = 28
CLASSES = 10
GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3}
LEARNING_RATE = 0.01


def parse_args(description, extra=None):
    """Parses the common command line and pins threads in the environment (before any framework import)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--cell", choices=sorted(GATES), required=True)
    parser.add_argument("--units", type=int, required=True)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batches", type=int, default=50, help="timed batches per repeat (K)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed warm-up batches (W)")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats; the median is reported")
    parser.add_argument("--seed", type=int, default=1234)
    if extra is not None:
        extra(parser)
    args = parser.parse_args()
    for name in ("units", "batch_size", "threads", "batches", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must be 0 or more")
    threads = str(args.threads)
    # Read by OpenMP (PyTorch, oneDNN inside TF) and MKL at library load time.
    os.environ["OMP_NUM_THREADS"] = threads
    os.environ["MKL_NUM_THREADS"] = threads
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return args


def forward_matmul_flops_per_sample(cell, units):
    """2·G·H·(H + D) multiply-adds per timestep, over T timesteps; the Dense head is ignored."""
    return TIMESTEPS * 2 * GATES[cell] * units * (units + FEATURES)


def measure(run_batches, warmup, batches, repeats):
    """Runs `warmup` untimed batches, then `repeats` timed runs of `batches` batches.

    `run_batches(n)` must run n batches and return only when their results are computed.
    Returns the median seconds per batch over the repeats.
    """
    if warmup > 0:
        run_batches(warmup)
    per_batch = []
    for _ in range(repeats):
        start = time.perf_counter()
        run_batches(batches)
        per_batch.append((time.perf_counter() - start) / batches)
    return statistics.median(per_batch)


def emit(framework, args, train_seconds, eval_seconds, extra=None):
    """Prints the one JSON result line (field names shared with `rnnsweep bench --json`)."""
    train_sps = args.batch_size / train_seconds
    eval_sps = args.batch_size / eval_seconds
    flops = 3 * forward_matmul_flops_per_sample(args.cell, args.units)
    result = {
        "framework": framework,
        "cell": args.cell,
        "units": args.units,
        "batch_size": args.batch_size,
        "threads": args.threads,
        "train_samples_per_second": round(train_sps, 2),
        "train_ms_per_batch": round(train_seconds * 1e3, 4),
        "eval_samples_per_second": round(eval_sps, 2),
        "eval_ms_per_batch": round(eval_seconds * 1e3, 4),
        "train_model_gflops": round(flops * train_sps / 1e9, 4),
    }
    if extra:
        result.update(extra)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
