#!/usr/bin/env python3
"""Keras 3 / TensorFlow reference run of an rnnsweep experiment file, for side-by-side accuracy tables.

Reads the trials from `rnnsweep plan FILE --json` (the same order, trial ids and resolved parameters as an rnnsweep
run, with no copy of rnnsweep's parameter schema here), trains each trial with the book's Keras model (Listing
1.5.1 of "Advanced Deep Learning with Keras" generalised to the rnnsweep parameters for `network: rnn`, the MLP of
Listing 1.3.2 for `network: mlp`) and appends one CSV row per finished trial, plus the per-epoch curves in
`<out>.curves.csv`.

    keras_reference_sweep.py EXPERIMENT.yaml --out results.csv [--threads 1] [--limit-trials N] [--epochs E]
                                             [--limit N] [--seeds S,..] [--trials N,..] [--plan]
                                             [--rnnsweep .build/release/rnnsweep]
    keras_reference_sweep.py --summary results.csv

Only `dataset: fashion-mnist` is supported (Debian's IDX files, read with gzip + numpy).
No framework is imported before the thread count is pinned in the environment.
"""

import argparse
import csv
import gzip
import json
import os
import statistics
import subprocess
import sys
import time

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
RESULT_COLUMNS = ["train_accuracy", "test_accuracy", "test_loss", "val_accuracy", "seconds", "epochs"]
DEFAULT_RNNSWEEP = ".build/release/rnnsweep"


class SweepError(Exception):
    """A user-facing error: the message names the file, the key and the fix."""


def canonical_json(params):
    """rnnsweep's canonicalJSON for the values it stores (keys sorted, no spaces; Python's float repr is Swift's
    shortest round-trip text)."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load_experiment(path, overrides, binary):
    """The sweep as `rnnsweep plan PATH --json` expands it; returns (name, trials, varying_keys), each trial a dict
    with `number`, `id` and its resolved `params`. `overrides` (from the command line, e.g. a quick test's epochs
    or limit) are passed on to rnnsweep, which replaces the file's values with them in every trial."""
    if not os.access(binary, os.X_OK):
        raise SweepError(
            f"{binary}: no rnnsweep binary there; build it (swift build -c release --product rnnsweep) or pass "
            "--rnnsweep PATH"
        )
    command = [binary, "plan", path, "--json"]
    for key, value in overrides.items():
        command += ["--" + key.replace("_", "-"), str(value)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        message = done.stderr.strip().removeprefix("error: ")
        raise SweepError(message or f"{' '.join(command)} exited with status {done.returncode}")
    plan = json.loads(done.stdout)
    trials = [{"number": t["ordinal"], "id": t["id"], "params": t["params"]} for t in plan["trials"]]
    for t in trials:
        if t["params"]["dataset"] != "fashion-mnist":
            raise SweepError(
                f"{path}: dataset: '{t['params']['dataset']}' is not supported by keras_reference_sweep.py (only "
                "fashion-mnist); set dataset: fashion-mnist or run this file with rnnsweep only"
            )
    # rnnsweep's columns (keys written in the file that vary), then any other key that varies, such as a
    # learning_rate that follows the optimizer: the CSV has always had a column for it.
    varying = list(plan["varying_keys"])
    varying += [k for k in other_varying_keys([t["params"] for t in trials]) if k not in varying]
    return plan["name"], trials, varying


def other_varying_keys(points):
    """Keys (not the seed) that take more than one value among the parameter sets that have them, sorted. A key
    that only some networks have (an MLP has no `cell`) does not vary by being absent."""
    keys = sorted({k for p in points for k in p} - {"seed"})
    return [k for k in keys if len({json.dumps(p[k]) for p in points if k in p}) > 1]


# ---------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------
def read_idx(path):
    import numpy as np

    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = data[0] << 8 | data[1], data[2], data[3]
    if zero != 0 or dtype_code != 0x08:
        raise SweepError(f"{path}: not an unsigned-byte IDX file (magic {data[:4].hex()})")
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


_DATA_CACHE = {}


def load_fashion_mnist(data_dir):
    """(x_train, y_train, x_test, y_test) as uint8 [N, 28, 28] images and integer labels; cached per directory."""
    directory = os.path.expanduser(data_dir or FASHION_MNIST_DIR)
    if directory not in _DATA_CACHE:
        files = [
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte",
        ]
        paths = [os.path.join(directory, f + ".gz") for f in files]
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            raise SweepError(
                f"Fashion-MNIST not found: {', '.join(missing)} missing; install Debian's dataset-fashion-mnist "
                "or set data_dir to a directory with the four .gz IDX files"
            )
        _DATA_CACHE[directory] = tuple(read_idx(p) for p in paths)
    return _DATA_CACHE[directory]


def prepare_data(params):
    """The book's preprocessing: the view, x / 255 as float32, one-hot labels; `limit` keeps the first N."""
    import keras
    import numpy as np

    x_train, y_train, x_test, y_test = load_fashion_mnist(params.get("data_dir"))
    if "limit" in params:
        x_train, y_train = x_train[: params["limit"]], y_train[: params["limit"]]

    def view(x):
        if params["view"] == "columns":
            x = x.transpose(0, 2, 1)
        elif params["view"] == "pixels":
            x = x.reshape(len(x), -1, 1)
        if params.get("network", "rnn") == "mlp":
            x = x.reshape(len(x), -1)  # the book's reshape(-1, 784): the sequence flattened, index t·D + d
        return np.ascontiguousarray(x).astype("float32") / 255

    n, split = len(x_train), params["validation_split"]
    if split > 0:
        split_at = int(n * (1 - split))  # Keras: the last fraction, before shuffling
        if split_at < 1 or split_at == n:
            raise SweepError(
                f"validation_split {split} of {n} training examples leaves {split_at} for training and "
                f"{n - split_at} for validation; both must be at least 1"
            )
    return (
        view(x_train),
        keras.utils.to_categorical(y_train, 10),
        view(x_test),
        keras.utils.to_categorical(y_test, 10),
    )


# ---------------------------------------------------------------------------------------------------------------
# Model and training
# ---------------------------------------------------------------------------------------------------------------
def build_model(params, input_shape):
    """The book's model for `network` (rnn: Sequential([Input((T, F)), recurrent stack, Dense(10),
    Activation("softmax")]); mlp: Listing 1.3.2), compiled as in the book."""
    import keras

    if params.get("network", "rnn") == "mlp":
        model = build_mlp(params, input_shape[0])
    else:
        model = build_rnn(params, *input_shape)
    opt_args = {"learning_rate": params["learning_rate"]}
    if "clipnorm" in params:
        opt_args["clipnorm"] = params["clipnorm"]  # Keras clips each gradient tensor separately
    if params["optimizer"] == "sgd":
        optimizer = keras.optimizers.SGD(momentum=params["momentum"], nesterov=params["nesterov"], **opt_args)
    elif params["optimizer"] == "rmsprop":
        optimizer = keras.optimizers.RMSprop(**opt_args)
    else:
        optimizer = keras.optimizers.Adam(**opt_args)
    model.compile(loss="categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    return model


def build_mlp(params, input_dim):
    """Listing 1.3.2: `layers` × [Dense(units), Activation('relu'), Dropout(dropout)], Dense(10),
    Activation('softmax'); the first Dense with input_dim = T·F (784 for Fashion-MNIST rows)."""
    import keras

    model = keras.Sequential()
    model.add(keras.Input((input_dim,)))  # what Dense(units, input_dim=784) means in Keras 3
    for _ in range(params["layers"]):
        model.add(keras.layers.Dense(params["units"]))
        model.add(keras.layers.Activation("relu"))
        model.add(keras.layers.Dropout(params["dropout"]))
    model.add(keras.layers.Dense(10))
    model.add(keras.layers.Activation("softmax"))
    return model


def build_rnn(params, timesteps, features):
    """Listing 1.5.1 generalised: the recurrent stack of `cell`, `layers`, `bidirectional`, …"""
    import keras

    layers = [keras.Input((timesteps, features))]
    for i in range(params["layers"]):
        common = {
            "units": params["units"],
            "dropout": params["dropout"],
            "recurrent_dropout": params["recurrent_dropout"],
            "return_sequences": i < params["layers"] - 1,
        }
        if params["cell"] == "simple_rnn":
            layer = keras.layers.SimpleRNN(activation=params["activation"], **common)
        elif params["cell"] == "lstm":
            layer = keras.layers.LSTM(**common)
        else:
            layer = keras.layers.GRU(reset_after=params["reset_after"], **common)
        if params["bidirectional"]:
            layer = keras.layers.Bidirectional(layer, merge_mode=params["merge_mode"])
        layers.append(layer)
    return keras.Sequential(layers + [keras.layers.Dense(10), keras.layers.Activation("softmax")])


def run_trial(params):
    """Trains one trial; returns (final metrics dict, per-epoch history dict of lists incl. 'seconds')."""
    import keras

    x_train, y_train, x_test, y_test = prepare_data(params)
    start = time.perf_counter()
    keras.backend.clear_session()  # fresh layer names and no graph left over from the previous trial
    keras.utils.set_random_seed(params["seed"])
    model = build_model(params, x_train.shape[1:])

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds.append(time.perf_counter() - self.t0)

    seconds = []
    fit_args = {"epochs": params["epochs"], "batch_size": params["batch_size"], "shuffle": True, "verbose": 0}
    if params["validation_split"] > 0:
        fit_args["validation_split"] = params["validation_split"]
    history = model.fit(x_train, y_train, callbacks=[EpochTimer()], **fit_args).history
    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=params["batch_size"], verbose=0)
    total = time.perf_counter() - start
    curves = {k: [float(v) for v in vs] for k, vs in history.items()}
    curves["seconds"] = seconds
    final = {
        "train_accuracy": curves["accuracy"][-1],
        "test_accuracy": float(test_accuracy),
        "test_loss": float(test_loss),
        "val_accuracy": curves["val_accuracy"][-1] if "val_accuracy" in curves else "",
        "seconds": round(total, 3),
        "epochs": len(curves["accuracy"]),
    }
    return final, curves


# ---------------------------------------------------------------------------------------------------------------
# CSV files
# ---------------------------------------------------------------------------------------------------------------
def cell_text(value):
    """A parameter as written in the CSV: 256, 0.2, adam, true (as rnnsweep prints it); absent → empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else repr(value)


def result_header(varying):
    return ["trial_id", *varying, "seed", *[c for c in RESULT_COLUMNS if c not in varying], "params"]


def read_finished(out, header):
    """The trial id of every trial already in `out`; drops torn rows (a crash mid-write) by rewriting the file.
    By id, not by params: a file written before rnnsweep stored `network` and `data_seed` holds the same trials."""
    if not os.path.exists(out) or os.path.getsize(out) == 0:
        return set()
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if rows[0] != header:
        raise SweepError(
            f"{out}: its columns ({', '.join(rows[0])}) differ from this run's ({', '.join(header)}): it was written "
            "for another experiment or other --epochs/--limit; choose another --out or delete the file"
        )
    good = []
    for row in rows[1:]:
        try:
            if len(row) == len(header):
                json.loads(row[-1])
                good.append(row)
        except ValueError:
            pass
    if len(good) != len(rows) - 1:
        print(f"{out}: dropping {len(rows) - 1 - len(good)} incomplete row(s)", file=sys.stderr)
        rewrite(out, [header] + good)
    return {row[0] for row in good}


def rewrite(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    os.replace(tmp, path)


def prune_curves(path, header, finished_ids):
    """Keeps only the curves of trials in the results file (a trial is written there last)."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if rows[0] != header:
        raise SweepError(f"{path}: its columns differ from this run's; choose another --out or delete the file")
    kept = [row for row in rows[1:] if len(row) == len(header) and row[1] in finished_ids]
    if len(kept) != len(rows) - 1:
        rewrite(path, [header] + kept)


def append_row(path, header, row):
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if new:
            writer.writerow(header)
        if row and isinstance(row[0], list):
            writer.writerows(row)
        else:
            writer.writerow(row)
        f.flush()
        os.fsync(f.fileno())


def summary(path):
    """Markdown table: one line per grid point, seeds folded into mean ± sample std (n − 1).

    Rows are grouped by all their parameters but the seed (the `params` column), so a file that also holds runs
    with other fixed settings (e.g. another --epochs) is not folded together: such keys get columns of their own.
    """
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            columns = reader.fieldnames or []
            rows = list(reader)
    except OSError as e:
        raise SweepError(f"{path}: cannot read the results file: {e.strerror}") from None
    if not {"trial_id", "seed", "params"} <= set(columns):
        raise SweepError(f"{path}: not a keras_reference_sweep.py results file (no trial_id/seed/params columns)")
    if not rows:
        raise SweepError(f"{path}: no finished trials yet")
    groups = {}
    for row in rows:
        params = json.loads(row["params"])
        params.pop("seed")
        groups.setdefault(canonical_json(params), (params, []))[1].append(row)
    shown = columns[columns.index("trial_id") + 1 : columns.index("seed")]
    points = [params for params, _ in groups.values()]
    shown += [k for k in other_varying_keys(points) if k not in shown]

    def fold(values):
        values = [100 * float(v) for v in values]
        if len(values) < 2:
            return f"{values[0]:.2f}"
        return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}"

    head = shown + ["Train Accuracy %", "Test Accuracy %", "n"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(shown) + "---:|---:|---:|"]
    for params, group in groups.values():
        cells = [cell_text(params.get(k)) for k in shown]
        cells += [
            fold([r["train_accuracy"] for r in group]),
            fold([r["test_accuracy"] for r in group]),
            str(len(group)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))


# ---------------------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------------------
def int_list(text):
    """`1,2,3` → [1, 2, 3], for --seeds and --trials."""
    try:
        values = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated whole numbers such as 1,2, got {text!r}")
    return values


def parse_args():
    p = argparse.ArgumentParser(
        description="Keras/TensorFlow reference run of an rnnsweep experiment file (fashion-mnist only)."
    )
    p.add_argument("experiment", nargs="?", help="the rnnsweep experiment file (YAML)")
    p.add_argument("--out", help="results CSV (appended to, resumable); curves go to OUT.curves.csv")
    p.add_argument("--threads", type=int, default=1, help="TF intra-op threads and OMP_NUM_THREADS (default 1)")
    p.add_argument("--limit-trials", type=int, metavar="N", help="only the first N trials of the sweep")
    p.add_argument("--epochs", type=int, metavar="E", help="override epochs for every trial (quick tests)")
    p.add_argument("--limit", type=int, metavar="N", help="override the data limit for every trial (quick tests)")
    p.add_argument(
        "--seeds",
        type=int_list,
        metavar="S[,S...]",
        help="only trials with these seeds (e.g. 1 to get one run of every row first; re-run with 2,3 later)",
    )
    p.add_argument(
        "--trials",
        type=int_list,
        metavar="N[,N...]",
        help="only these trial numbers (as `rnnsweep plan` numbers them), e.g. to run two processes side by side",
    )
    p.add_argument("--plan", action="store_true", help="print the trials (as `rnnsweep plan`) and exit")
    p.add_argument(
        "--rnnsweep",
        default=DEFAULT_RNNSWEEP,
        metavar="PATH",
        help=f"the rnnsweep binary whose `plan --json` gives the trials (default {DEFAULT_RNNSWEEP})",
    )
    p.add_argument("--summary", metavar="CSV", help="print a Markdown table of a results file and exit")
    args = p.parse_args()
    if args.summary:
        return args
    if not args.experiment:
        p.error("give an experiment file (or --summary CSV)")
    if not args.plan and not args.out:
        p.error("--out is required (or use --plan / --summary)")
    for name in ("threads", "limit_trials", "epochs", "limit"):
        value = getattr(args, name)
        if value is not None and value < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def plan_table(trials, varying):
    head = ["#", "id", *varying, "seed"]
    rows = [
        [str(t["number"]), t["id"], *[cell_text(t["params"].get(k)) for k in varying], str(t["params"]["seed"])]
        for t in trials
    ]
    widths = [max(len(r[c]) for r in [head] + rows) for c in range(len(head))]
    for r in [head] + rows:
        print("  ".join(c.rjust(w) if i == 0 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())


def main():
    args = parse_args()
    if args.summary:
        summary(args.summary)
        return
    overrides = {}
    if args.epochs is not None:
        overrides["epochs"] = args.epochs
    if args.limit is not None:
        overrides["limit"] = args.limit
    name, trials, varying = load_experiment(args.experiment, overrides, args.rnnsweep)
    if args.plan:
        plan_table(trials, varying)
        print(f"{len(trials)} trials")
        return
    selected = trials[: args.limit_trials] if args.limit_trials else trials  # numbered as by `rnnsweep plan`
    if args.seeds:
        unknown = sorted(set(args.seeds) - {t["params"]["seed"] for t in trials})
        if unknown:
            raise SweepError(f"--seeds: {args.experiment} has no seed {', '.join(map(str, unknown))}")
        selected = [t for t in selected if t["params"]["seed"] in args.seeds]
    if args.trials:
        unknown = sorted(n for n in set(args.trials) if not 1 <= n <= len(trials))
        if unknown:
            raise SweepError(
                f"--trials: {args.experiment} has trials 1–{len(trials)} (see --plan), not {', '.join(map(str, unknown))}"
            )
        selected = [t for t in selected if t["number"] in args.trials]

    header = result_header(varying)
    curves_path = args.out + ".curves.csv"
    curves_header = ["trial", "trial_id", *varying, "seed", "epoch", "metric", "value"]
    finished = read_finished(args.out, header)
    prune_curves(curves_path, curves_header, finished)
    todo = [t for t in selected if t["id"] not in finished]

    # Thread pinning must precede the first TensorFlow import (OpenMP/oneDNN read it at load time).
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ["KERAS_BACKEND"] = "tensorflow"
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras

    print(
        f"{name}: {len(selected)} of {len(trials)} trials selected, {len(selected) - len(todo)} already in "
        f"{args.out}; keras {keras.__version__}, tensorflow {tf.__version__}, {args.threads} thread(s)",
        file=sys.stderr,
    )
    for trial in todo:
        number, tid, params = trial["number"], trial["id"], trial["params"]
        label = " ".join(f"{k}={cell_text(params.get(k))}" for k in varying + ["seed"])
        print(f"[{number}/{len(trials)}] {tid} {label} ...", file=sys.stderr, flush=True)
        final, curves = run_trial(params)
        param_cells = [cell_text(params.get(k)) for k in varying]
        long_rows = [
            [str(number), tid, *param_cells, str(params["seed"]), str(epoch), metric, repr(values[epoch - 1])]
            for epoch in range(1, final["epochs"] + 1)
            for metric, values in curves.items()
            if epoch <= len(values)
        ]
        append_row(curves_path, curves_header, long_rows)  # curves first: the results row marks a trial done
        results = [
            final[c] if not isinstance(final[c], float) else repr(final[c]) for c in RESULT_COLUMNS if c not in varying
        ]
        append_row(args.out, header, [tid, *param_cells, str(params["seed"]), *results, canonical_json(params)])
        print(
            f"    train {final['train_accuracy']:.4f}  test {final['test_accuracy']:.4f}  "
            f"loss {final['test_loss']:.4f}  {final['seconds']:.1f} s",
            file=sys.stderr,
            flush=True,
        )


if __name__ == "__main__":
    try:
        main()
    except SweepError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted; finished trials are in the CSV, re-run the same command to resume", file=sys.stderr)
        sys.exit(130)
