#!/usr/bin/env python3
"""Keras 3 / TensorFlow reference run of an rnnsweep experiment file, for side-by-side accuracy tables.

Expands the YAML grid exactly as `rnnsweep plan` does (same order, same 16-hex-digit trial ids), trains each trial
with the book's Keras model (Listing 1.5.1 of "Advanced Deep Learning with Keras", generalised to the rnnsweep
parameters) and appends one CSV row per finished trial, plus the per-epoch curves in `<out>.curves.csv`.

    keras_reference_sweep.py EXPERIMENT.yaml --out results.csv [--threads 1] [--limit-trials N] [--epochs E]
                                             [--limit N] [--plan]
    keras_reference_sweep.py --summary results.csv

Only `dataset: fashion-mnist` is supported (Debian's IDX files, read with gzip + numpy).
No framework is imported before the thread count is pinned in the environment.
"""

import argparse
import csv
import difflib
import gzip
import itertools
import json
import math
import os
import re
import statistics
import sys
import time

import yaml

# ---------------------------------------------------------------------------------------------------------------
# The parameter schema: rnnsweep's Sources/RNNTraining/ParameterSchema.swift, in the same (schema) order.
# (name, kind, default, allowed) with kind in int|double|bool|choice|path; allowed = choices or (lo, lo_incl, hi,
# hi_incl). A default of None marks an optional parameter (absent when not given), except learning_rate, whose
# default follows the optimizer.
# ---------------------------------------------------------------------------------------------------------------
UNIT = (0.0, True, 1.0, False)
SCHEMA = [
    ("cell", "choice", "simple_rnn", ["simple_rnn", "lstm", "gru"]),
    ("units", "int", 256, (1, True, 8192, True)),
    ("layers", "int", 1, (1, True, 16, True)),
    ("bidirectional", "bool", False, None),
    ("merge_mode", "choice", "concat", ["concat", "sum", "ave", "mul"]),
    ("activation", "choice", "tanh", ["tanh", "relu"]),
    ("reset_after", "bool", True, None),
    ("dropout", "double", 0.0, UNIT),
    ("recurrent_dropout", "double", 0.0, UNIT),
    ("optimizer", "choice", "sgd", ["sgd", "rmsprop", "adam"]),
    ("learning_rate", "double", None, (0.0, False, 10.0, True)),
    ("momentum", "double", 0.0, UNIT),
    ("nesterov", "bool", False, None),
    ("clipnorm", "double", None, (0.0, False, None, False)),
    ("epochs", "int", 20, (1, True, 10_000, True)),
    ("batch_size", "int", 128, (1, True, 65_536, True)),
    ("seed", "int", 1, (0, True, 2_147_483_647, True)),
    ("dataset", "choice", "fashion-mnist", ["fashion-mnist", "mnist", "npz", "adding", "parity", "sum-sign"]),
    ("data_dir", "path", None, None),
    ("view", "choice", "rows", ["rows", "columns", "pixels"]),
    ("limit", "int", None, (1, True, None, False)),
    ("validation_split", "double", 0.0, UNIT),
    ("sequence_length", "int", 20, (1, True, 100_000, True)),
    ("samples", "int", 4000, (10, True, 10_000_000, True)),
]
SPECS = {name: (kind, default, allowed) for name, kind, default, allowed in SCHEMA}
NAMES = [name for name, *_ in SCHEMA]
SECTION_KEYS = ["name", "description", "defaults", "grid", "seeds", "exclude"]
DATA_KEYS = ["dataset", "data_dir", "view", "limit", "validation_split", "sequence_length", "samples"]
FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
RESULT_COLUMNS = ["train_accuracy", "test_accuracy", "test_loss", "val_accuracy", "seconds", "epochs"]


class SweepError(Exception):
    """A user-facing error: the message names the file, the key and the fix."""


class YAML12Loader(yaml.SafeLoader):
    """SafeLoader that also reads `1e-3` as a float, as YAML 1.2 (and rnnsweep's Yams) does."""


YAML12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def suggestion(word, candidates):
    close = difflib.get_close_matches(word, candidates, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def validate(path, where, key, value):
    """Checks one value against the schema; returns it canonical (ints for int keys, floats for double keys)."""
    if key not in SPECS:
        raise SweepError(f"{path}: {where}: unknown parameter '{key}'{suggestion(key, NAMES)}")
    kind, _, allowed = SPECS[key]
    bad = SweepError(f"{path}: {where}: {key}: {value!r} is not {kind_phrase(kind, allowed)}")
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad
        if isinstance(value, float):
            if not value.is_integer():
                raise bad
            value = int(value)
    elif kind == "double":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise bad
        value = float(value) + 0.0  # -0.0 -> 0.0, as rnnsweep does (the trial id hashes the text)
    elif kind == "bool":
        if not isinstance(value, bool):
            raise bad
    elif kind == "choice":
        if value not in allowed:
            raise SweepError(
                f"{path}: {where}: {key}: {value!r} is not allowed; allowed values: {', '.join(allowed)}"
                + suggestion(str(value), allowed).replace("; did", " (did").replace("?", "?)")
            )
    elif kind == "path" and (not isinstance(value, str) or not value):
        raise bad
    if kind in ("int", "double") and allowed is not None:
        lo, lo_incl, hi, hi_incl = allowed
        if (lo is not None and (value < lo if lo_incl else value <= lo)) or (
            hi is not None and (value > hi if hi_incl else value >= hi)
        ):
            raise SweepError(f"{path}: {where}: {key}: {value} is out of range; allowed {range_text(allowed)}")
    return value


def kind_phrase(kind, allowed):
    if kind == "choice":
        return "one of " + ", ".join(allowed)
    return {"int": "an integer", "double": "a number", "bool": "true or false", "path": "a path"}[kind]


def range_text(allowed):
    lo, lo_incl, hi, hi_incl = allowed

    def fmt(v):
        return str(int(v)) if float(v).is_integer() else str(v)

    return (
        ("[" if lo_incl else "(")
        + fmt(lo)
        + ", "
        + (fmt(hi) if hi is not None else "inf")
        + ("]" if hi_incl and hi is not None else ")")
    )


def resolve(path, where, overrides):
    """rnnsweep's TrainingParameters.resolve: defaults, learning_rate per optimizer, sgd-only momentum/nesterov."""
    values = dict(overrides)
    for name, _, default, _ in SCHEMA:
        if name not in values and default is not None:
            values[name] = default
    if "learning_rate" not in values:
        values["learning_rate"] = 0.01 if values["optimizer"] == "sgd" else 0.001
    if values["optimizer"] != "sgd":
        for name in ("momentum", "nesterov"):
            if values[name] != SPECS[name][1]:
                raise SweepError(
                    f"{path}: {where}: {name}: {json_literal(values[name])} is only allowed with optimizer sgd "
                    f"(optimizer is {values['optimizer']})"
                )
    return values


def json_literal(value):
    """rnnsweep's ParameterValue.jsonLiteral (Python's repr of a float is Swift's shortest round-trip text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    out = '"'
    for ch in value:
        code = ord(ch)
        out += {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(
            ch, f"\\u{code:04x}" if code < 0x20 else ch
        )
    return out + '"'


def canonical_json(params):
    return "{" + ",".join(f'"{k}":{json_literal(params[k])}' for k in sorted(params)) + "}"


def trial_id(params):
    """rnnsweep's trial id: 64-bit FNV-1a of the canonical JSON, 16 lowercase hex digits."""
    h = 0xCBF29CE484222325
    for byte in canonical_json(params).encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def load_experiment(path, overrides):
    """Reads and validates the file; returns (name, trials, varying_keys). `overrides` (from the command line)
    replace the file's values for every trial (e.g. a quick test's epochs or limit)."""
    try:
        with open(path, encoding="utf-8") as f:
            root = yaml.load(f, Loader=YAML12Loader)
    except OSError as e:
        raise SweepError(f"{path}: cannot read the experiment file: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise SweepError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(root, dict):
        raise SweepError(f"{path}: an experiment file must be a mapping with 'name:' and 'grid:'")
    order = []  # parameter names in the order they first appear in the file (rnnsweep's parameterOrder)

    def seen_order(key):
        if key not in order:
            order.append(key)

    def settings(node, where):
        if not isinstance(node, dict):
            raise SweepError(f"{path}: {where}: expected a mapping of parameter: value")
        out = {}
        for key, value in node.items():
            if key == "seed":
                raise SweepError(f"{path}: {where}: seed cannot be set here; list seeds in the top-level 'seeds:'")
            out[key] = validate(path, where, key, value)
            seen_order(key)
        return out

    base, grid, seeds, exclude, name = {}, None, [1], [], None
    for key, value in root.items():
        if key == "name":
            name = str(value)
            if not re.fullmatch(r"[A-Za-z0-9._-]+", name):
                raise SweepError(f"{path}: name: '{name}' may contain only letters, digits, '.', '_' and '-'")
        elif key == "description":
            pass
        elif key == "defaults":
            for k, v in settings(value, "defaults").items():
                if k in base:
                    raise SweepError(f"{path}: defaults: {k} is already set at the top level; set it once")
                base[k] = v
        elif key == "grid":
            blocks = [value] if isinstance(value, dict) else value
            if not isinstance(blocks, list) or not blocks:
                raise SweepError(f"{path}: grid: expected a mapping of parameter: [values] or a list of them")
            grid = []
            for block in blocks:
                if not isinstance(block, dict) or not block:
                    raise SweepError(f"{path}: grid: each entry must be a non-empty mapping of parameter: [values]")
                axes = []
                for k, vs in block.items():
                    if k == "seed":
                        raise SweepError(f"{path}: grid: seed cannot be a grid key; list seeds in 'seeds:'")
                    vs = vs if isinstance(vs, list) else [vs]
                    if not vs:
                        raise SweepError(f"{path}: grid: '{k}' has an empty list of values")
                    axes.append((k, [validate(path, "grid", k, v) for v in vs]))
                    seen_order(k)
                grid.append(axes)
        elif key == "seeds":
            if isinstance(value, int) and not isinstance(value, bool):
                if value < 1:
                    raise SweepError(f"{path}: seeds: expected a count ≥ 1 or a list of seeds")
                seeds = list(range(1, value + 1))
            elif isinstance(value, list) and value:
                seeds = [validate(path, "seeds", "seed", s) for s in value]
                if len(set(seeds)) != len(seeds):
                    raise SweepError(f"{path}: seeds: a seed is listed twice")
            else:
                raise SweepError(f"{path}: seeds: expected a count ≥ 1 or a non-empty list of seeds")
        elif key == "exclude":
            if not isinstance(value, list):
                raise SweepError(f"{path}: exclude: expected a list of mappings, e.g. - {{cell: gru}}")
            exclude = [settings(rule, "exclude") for rule in value]
            if any(not rule for rule in exclude):
                raise SweepError(f"{path}: exclude: an empty entry would drop every grid point")
        elif key in DATA_KEYS:
            if key in base:
                raise SweepError(f"{path}: {key} is already set under defaults:; set it once")
            base[key] = validate(path, "the top level", key, value)
            seen_order(key)
        elif key == "seed":
            raise SweepError(f"{path}: seed cannot be set at the top level; list seeds in 'seeds:', e.g. [1, 2, 3]")
        elif key in SPECS:
            raise SweepError(f"{path}: '{key}' is a training parameter; put it under 'defaults:' or 'grid:'")
        else:
            raise SweepError(f"{path}: unknown key '{key}'{suggestion(str(key), SECTION_KEYS + DATA_KEYS)}")
    if name is None:
        raise SweepError(f"{path}: missing 'name:' (the sweep's name)")

    trials, seen = [], {}
    for block in grid or [[]]:
        keys = [k for k, _ in block]
        for combo in itertools.product(*[vs for _, vs in block]):  # first key slowest
            point = dict(zip(keys, combo))
            label = ", ".join(f"{k}={json_literal(v).strip(chr(34))}" for k, v in point.items())
            where = f"grid point ({label})" if label else "defaults"
            params = resolve(path, where, {**base, **point, **overrides})
            if any(all(params.get(k) == v for k, v in rule.items()) for rule in exclude):
                continue
            key = canonical_json(params)
            if key in seen:
                raise SweepError(f"{path}: {where} resolves to the same parameters as ({seen[key]}); remove one")
            seen[key] = label
            for seed in seeds:
                trials.append({**params, "seed": seed})
    if not trials:
        raise SweepError(f"{path}: exclude: removes every grid point; nothing to run")
    for t in trials:
        if t["dataset"] != "fashion-mnist":
            raise SweepError(
                f"{path}: dataset: '{t['dataset']}' is not supported by keras_reference_sweep.py (only "
                "fashion-mnist); set dataset: fashion-mnist or run this file with rnnsweep only"
            )
    candidates = order + [n for n in NAMES if n not in order]
    varying = [k for k in candidates if k != "seed" and any(t.get(k) != trials[0].get(k) for t in trials)]
    return name, trials, varying


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
def build_model(params, timesteps, features):
    """Sequential([Input((T, F)), recurrent stack, Dense(10), Activation("softmax")]), compiled as in the book."""
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
    model = keras.Sequential(layers + [keras.layers.Dense(10), keras.layers.Activation("softmax")])

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


def run_trial(params):
    """Trains one trial; returns (final metrics dict, per-epoch history dict of lists incl. 'seconds')."""
    import keras

    x_train, y_train, x_test, y_test = prepare_data(params)
    start = time.perf_counter()
    keras.backend.clear_session()  # fresh layer names and no graph left over from the previous trial
    keras.utils.set_random_seed(params["seed"])
    model = build_model(params, x_train.shape[1], x_train.shape[2])

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
    return json_literal(value).strip('"') if not isinstance(value, str) else value


def result_header(varying):
    return ["trial_id", *varying, "seed", *[c for c in RESULT_COLUMNS if c not in varying], "params"]


def read_finished(out, header):
    """Canonical JSON of every trial already in `out`; drops torn rows (a crash mid-write) by rewriting the file."""
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
    return {row[-1] for row in good}


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
    shown += [k for k in NAMES if k not in shown and k != "seed" and any(p.get(k) != points[0].get(k) for p in points)]

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
        [str(i), trial_id(t), *[cell_text(t.get(k)) for k in varying], str(t["seed"])] for i, t in enumerate(trials, 1)
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
        overrides["epochs"] = validate("--epochs", "command line", "epochs", args.epochs)
    if args.limit is not None:
        overrides["limit"] = validate("--limit", "command line", "limit", args.limit)
    name, trials, varying = load_experiment(args.experiment, overrides)
    if args.plan:
        plan_table(trials, varying)
        print(f"{len(trials)} trials")
        return
    numbered = list(enumerate(trials, 1))  # numbers as in `rnnsweep plan`, also when filtered
    selected = numbered[: args.limit_trials] if args.limit_trials else numbered
    if args.seeds:
        unknown = sorted(set(args.seeds) - {t["seed"] for t in trials})
        if unknown:
            raise SweepError(f"--seeds: {args.experiment} has no seed {', '.join(map(str, unknown))}")
        selected = [(i, t) for i, t in selected if t["seed"] in args.seeds]
    if args.trials:
        unknown = sorted(n for n in set(args.trials) if not 1 <= n <= len(trials))
        if unknown:
            raise SweepError(
                f"--trials: {args.experiment} has trials 1–{len(trials)} (see --plan), not {', '.join(map(str, unknown))}"
            )
        selected = [(i, t) for i, t in selected if i in args.trials]

    header = result_header(varying)
    curves_path = args.out + ".curves.csv"
    curves_header = ["trial", "trial_id", *varying, "seed", "epoch", "metric", "value"]
    finished = read_finished(args.out, header)
    prune_curves(curves_path, curves_header, {trial_id(json.loads(p)) for p in finished})
    todo = [(i, t) for i, t in selected if canonical_json(t) not in finished]

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
    for number, params in todo:
        tid = trial_id(params)
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
