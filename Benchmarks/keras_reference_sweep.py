#!/usr/bin/env python3
"""Keras 3 / TensorFlow reference run of an rnnsweep experiment file, for side-by-side accuracy tables.

Reads the trials from `rnnsweep plan FILE --json` (the same order, trial ids and resolved parameters as an rnnsweep
run, with no copy of rnnsweep's parameter schema here), or from a file holding the same JSON (`--trials-json`),
trains each trial with the book's Keras model (Listing 1.5.1 of "Advanced Deep Learning with Keras" generalised to
the rnnsweep parameters for `network: rnn`, the MLP of Listing 1.3.2 for `network: mlp`) and appends one CSV row per
finished trial, plus the per-epoch curves in `<out>.curves.csv`.

    keras_reference_sweep.py EXPERIMENT.yaml --out results.csv [--threads 1] [--limit-trials N] [--epochs E]
                                             [--limit N] [--seeds S,..] [--trials N,..] [--plan]
                                             [--rnnsweep .build/release/rnnsweep]
    keras_reference_sweep.py --trials-json TRIALS.json --out results.csv [same options]
    keras_reference_sweep.py --summary results.csv

Datasets (`dataset`), read as rnnsweep reads them:
- `fashion-mnist`: Debian's IDX files (or `data_dir`), read with gzip + numpy.
- `npz`: `data_dir` = the .npz file with x_train, y_train, x_test, y_test and optionally x_val, y_val (and the scalar
  `oov_id` of token files).
- `ts`: UCR/UEA `.ts` files (`Benchmarks/datasets/ts_format.py`, the rules of rnnsweep's TSFile/TSDataset): `data_dir`
  = a folder holding exactly one `<Name>_TRAIN.ts`/`<Name>_TEST.ts` pair, the `<Name>` prefix or either file. T is
  the longest series of both files; shorter ones get all-zero steps AFTER them under `mask: zeros`, BEFORE them under
  `mask: none`. `missing: zero` reads `?`/NaN as 0; `normalize: channel` standardises each dimension by the TRAIN
  file's mean and population std (float64; padding and missing values excluded, and left at 0). Classes are 0…K−1
  in the header's `@classLabel` order; `task: regression` reads `@targetLabel true` targets.
- `text`: `data_dir` = a folder with `train/<class>/…*.txt` and `test/<class>/…*.txt` (classes = sorted subfolder
  names; files by folder, then by name), or `train.csv` + `test.csv` (`.tsv`) with `text` and `label` columns
  (classes = the sorted training labels), or one .csv/.tsv with `text`, `label` and `split` (train | test) columns;
  the class folders win over train.csv in the same folder. Token ids from Keras's `TextVectorization(max_tokens=
  vocabulary_size or None, output_sequence_length=sequence_length, split="whitespace" | "character" (tokens: words
  | characters), standardize="lower_and_strip_punctuation")`, adapted on the TRAIN texts only; needs `input: tokens`.
A relative `data_dir` is relative to the experiment (or trials) file; `rnnsweep plan --json` gives it absolute.
Parameters that older plan JSONs lack are read with these defaults: `mask` (none | zeros: a Masking(0.0) layer
first), `input` (values | tokens: an Embedding(vocabulary_size, embedding_dim) first), `embedding_dim`,
`vocabulary_size` (npz default: the largest training token id + 1, ids beyond it become the file's `oov_id`; text
default: the fitted vocabulary's size), `task` (classification | regression: Dense(k) linear, mean squared error,
MAE and RMSE), `bucket_by_length` (ignored: Keras pads every batch to the file's T), `input_scale` (auto: uint8
images and uint8 npz x divided by 255, nothing else | none | a number: x × it, in float32), `validation` (last:
Keras's `validation_split`, the end of the training set; shuffled | stratified are rnnsweep's own draws from its RNG
and are refused when validation_split > 0), `missing` (none), `normalize` (none), `tokens` (words).
No framework is imported before the thread count is pinned in the environment.
"""

import argparse
import csv
import gzip
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
RESULT_COLUMNS = ["train_accuracy", "test_accuracy", "test_loss", "val_accuracy", "seconds", "epochs"]
REGRESSION_COLUMNS = ["train_mae", "val_mae", "test_mae", "test_rmse", "test_loss", "seconds", "epochs"]
SUPPORTED_DATASETS = ("fashion-mnist", "npz", "ts", "text")
# Parameters that older `plan --json` outputs (and trials written by hand) lack: their values when a trial does not
# name them (rnnsweep's defaults).
NEW_PARAMETER_DEFAULTS = {
    "mask": "none",
    "input": "values",
    "task": "classification",
    "bucket_by_length": False,
    "input_scale": "auto",
    "validation": "last",
    "missing": "none",
    "normalize": "none",
    "tokens": "words",
}
CHOICES = {
    "mask": ("none", "zeros"),
    "input": ("values", "tokens"),
    "task": ("classification", "regression"),
    "validation": ("last", "shuffled", "stratified"),
    "missing": ("none", "zero"),
    "normalize": ("none", "channel"),
    "tokens": ("words", "characters"),
}
MAXIMUM_VOCABULARY = 1 << 24  # rnnsweep's DatasetSplits.maximumVocabulary
DATASETS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "datasets")
DEFAULT_RNNSWEEP = ".build/release/rnnsweep"


class SweepError(Exception):
    """A user-facing error: the message names the file, the key and the fix."""


def canonical_json(params):
    """rnnsweep's canonicalJSON for the values it stores (keys sorted, no spaces; Python's float repr is Swift's
    shortest round-trip text)."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load_experiment(path, overrides, binary, database=None):
    """The sweep as `rnnsweep plan PATH --json` expands it; returns (name, trials, varying_keys), each trial a dict
    with `number`, `id` and its resolved `params`. `overrides` (from the command line, e.g. a quick test's epochs
    or limit) are passed on to rnnsweep, which replaces the file's values with them in every trial. `database`: the
    `--db` whose trial ids (and data cache) plan uses, so the ids are those of the rnnsweep run beside."""
    if not os.access(binary, os.X_OK):
        raise SweepError(
            f"{binary}: no rnnsweep binary there; build it (swift build -c release --product rnnsweep) or pass "
            "--rnnsweep PATH"
        )
    command = [binary, "plan", path, "--json"] + (["--db", database] if database else [])
    for key, value in overrides.items():
        command += ["--" + key.replace("_", "-"), str(value)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        message = done.stderr.strip().removeprefix("error: ")
        raise SweepError(message or f"{' '.join(command)} exited with status {done.returncode}")
    return plan_trials(path, json.loads(done.stdout))


def load_trials_json(path, overrides):
    """The sweep from a file holding what `rnnsweep plan --json` prints (trials written by hand):
    {"name": …, "varying_keys": […], "trials": [{"ordinal": 1, "id": …, "params": {…}}, …]}. `ordinal`, `id`
    and `varying_keys` may be left out: trials are then numbered in file order, a trial's id is the first 16 hex
    digits of the SHA-256 of its canonical params (not rnnsweep's id), and the varying keys are those that take
    more than one value. `params` must be resolved (every parameter the model needs). Overrides replace the file's
    values and, as they change the parameters, give such trials that derived id."""
    try:
        with open(path, encoding="utf-8") as f:
            plan = json.load(f)
    except OSError as e:
        raise SweepError(f"{path}: cannot read the trials file: {e.strerror}") from None
    except ValueError as e:
        raise SweepError(f"{path}: not JSON: {e}") from None
    if not isinstance(plan, dict) or not isinstance(plan.get("trials"), list) or not plan["trials"]:
        raise SweepError(
            f'{path}: expected {{"name": …, "trials": [{{"params": {{…}}}}, …]}}, as rnnsweep plan --json prints'
        )
    trials = []
    for i, t in enumerate(plan["trials"], 1):
        if not isinstance(t, dict) or not isinstance(t.get("params"), dict):
            raise SweepError(f"{path}: trial {i} has no params object")
        params = dict(t["params"])
        params.update(overrides)
        given = t.get("id") if not overrides else None
        trial_id = given or hashlib.sha256(canonical_json(params).encode("utf-8")).hexdigest()[:16]
        trials.append({"ordinal": t.get("ordinal", i), "id": trial_id, "params": params})
    ids = [t["id"] for t in trials]
    repeated = sorted({x for x in ids if ids.count(x) > 1})
    if repeated:
        raise SweepError(f"{path}: trial ids repeat ({', '.join(repeated)}): two trials with the same parameters?")
    name = plan.get("name") or os.path.splitext(os.path.basename(path))[0]
    return plan_trials(path, {"name": name, "varying_keys": plan.get("varying_keys", []), "trials": trials})


def plan_trials(path, plan):
    """(name, trials, varying_keys) from a plan document; checks what this script can run."""
    trials = [{"number": t["ordinal"], "id": t["id"], "params": t["params"]} for t in plan["trials"]]
    for t in trials:
        check_params(path, t["params"])
    # rnnsweep's columns (keys written in the file that vary), then any other key that varies, such as a
    # learning_rate that follows the optimizer: the CSV has always had a column for it.
    varying = list(plan["varying_keys"])
    varying += [k for k in other_varying_keys([t["params"] for t in trials]) if k not in varying]
    return plan["name"], trials, varying


def ts_module():
    """Benchmarks/datasets/ts_format.py, the .ts reader shared with Benchmarks/baselines/nearest_neighbour.py;
    imported on first use (it imports numpy, which must come after the thread pinning in main)."""
    if DATASETS_DIR not in sys.path:
        sys.path.insert(0, DATASETS_DIR)
    import ts_format

    return ts_format


def check_params(path, params):
    """Refuses, before anything runs, a trial this script cannot train as asked."""
    dataset = params.get("dataset", "fashion-mnist")
    if dataset not in SUPPORTED_DATASETS:
        raise SweepError(
            f"{path}: dataset: '{dataset}' is not supported by keras_reference_sweep.py (only "
            f"{', '.join(SUPPORTED_DATASETS)}); use one of those or run this file with rnnsweep only"
        )
    base_dir = os.path.dirname(os.path.abspath(path))
    if dataset in ("npz", "ts", "text") and not params.get("data_dir"):
        what = {
            "npz": "the path of the .npz file",
            "ts": "the folder or <Name> prefix of <Name>_TRAIN.ts and <Name>_TEST.ts",
            "text": "the folder with train/ and test/, or the CSV",
        }[dataset]
        raise SweepError(f"{path}: dataset: {dataset} needs data_dir, {what}")
    if dataset == "npz":
        npz = data_path(params, base_dir)
        if not os.path.isfile(npz):
            raise SweepError(f"{path}: data_dir {params['data_dir']}: no such file {npz} (relative to this file)")
    elif dataset == "ts":
        ts_format = ts_module()
        try:
            ts_format.ts_files(data_path(params, base_dir))
        except ts_format.TSFormatError as e:
            raise SweepError(f"{path}: data_dir: {e}") from None
    elif dataset == "text" and not os.path.exists(data_path(params, base_dir)):
        raise SweepError(f"{path}: data_dir {params['data_dir']}: no such file or folder {data_path(params, base_dir)}")
    for key, allowed in CHOICES.items():
        value = param(params, key)
        if value not in allowed:
            raise SweepError(f"{path}: {key}: {value!r} is not one of {', '.join(allowed)}")
    scale = param(params, "input_scale")
    if scale not in ("auto", "none") and (isinstance(scale, bool) or not isinstance(scale, (int, float)) or scale <= 0):
        raise SweepError(f"{path}: input_scale: {scale!r} is not auto, none or a positive number")
    if param(params, "validation") != "last" and params.get("validation_split", 0) > 0:
        raise SweepError(
            f"{path}: validation: {param(params, 'validation')} draws the validation examples with rnnsweep's own "
            "random generator (from data_seed), which this script cannot reproduce in Keras; use validation: last "
            "(Keras's validation_split: the end of the training set) or validation_split: 0 (as the published sweeps)"
        )
    tokens = param(params, "input") == "tokens"
    if dataset == "text" and not tokens:
        raise SweepError(f"{path}: dataset: text gives token ids: set input: tokens (and embedding_dim)")
    if tokens:
        if dataset not in ("npz", "text"):
            raise SweepError(f"{path}: input: tokens needs dataset: npz (a file of token ids) or text")
        if not isinstance(params.get("embedding_dim"), int) or params["embedding_dim"] < 1:
            raise SweepError(f"{path}: input: tokens needs embedding_dim, a whole number ≥ 1")
        if scale not in ("auto", "none"):
            raise SweepError(f"{path}: input_scale: {scale!r} is a number, but token ids are never scaled: remove it")
    if param(params, "task") == "regression" and dataset not in ("npz", "ts"):
        raise SweepError(f"{path}: task: regression needs dataset: npz or ts (a file with real targets)")
    for key, default, only in (("missing", "none", "ts"), ("normalize", "none", "ts"), ("tokens", "words", "text")):
        if param(params, key) != default and dataset != only:
            raise SweepError(f"{path}: {key}: {param(params, key)} applies to dataset: {only} only")
    plain = param(params, "mask") == "none" and not tokens
    if params.get("network", "rnn") == "mlp" and not plain:
        raise SweepError(f"{path}: mask and input: tokens apply to network: rnn only")


def param(params, key):
    """A parameter's value, with this script's default for the keys rnnsweep does not resolve yet."""
    return params.get(key, NEW_PARAMETER_DEFAULTS.get(key))


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


def data_path(params, base_dir):
    """The data path of a trial (npz file, .ts folder or prefix, text folder or CSV): `data_dir` with ~ expanded,
    relative to the experiment (or trials) file's folder (rnnsweep's plan --json gives it absolute)."""
    path = os.path.expanduser(params["data_dir"])
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(base_dir, path))


def load_npz(path):
    """{name: array} of an rnnsweep npz file (x_train, y_train, x_test, y_test, optional x_val, y_val and the
    scalar oov_id of token files); cached."""
    import numpy as np

    if path not in _DATA_CACHE:
        if not os.path.isfile(path):
            raise SweepError(f"{path}: no such .npz file (data_dir; a relative path is relative to the experiment)")
        try:
            with np.load(path, allow_pickle=False) as z:
                names = ("x_train", "y_train", "x_test", "y_test", "x_val", "y_val", "oov_id")
                arrays = {k: z[k] for k in z.files if k in names}
        except (OSError, ValueError) as e:
            raise SweepError(f"{path}: not a readable .npz file: {e}") from None
        missing = [k for k in ("x_train", "y_train", "x_test", "y_test") if k not in arrays]
        if missing or (("x_val" in arrays) != ("y_val" in arrays)):
            raise SweepError(
                f"{path}: needs x_train, y_train, x_test, y_test (and x_val with y_val or neither); "
                f"missing {', '.join(missing) or ('x_val' if 'y_val' in arrays else 'y_val')}"
            )
        _DATA_CACHE[path] = arrays
    return _DATA_CACHE[path]


def load_ts_data(params, base_dir):
    """The arrays rnnsweep trains on for `dataset: ts` (Benchmarks/datasets/ts_format.py): padded after the series
    under `mask: zeros`, before them otherwise; cached per file pair and options."""
    ts_format = ts_module()
    padding = "post" if param(params, "mask") == "zeros" else "pre"
    options = (param(params, "task"), param(params, "missing"), param(params, "normalize"), padding)
    try:
        files = ts_format.ts_files(data_path(params, base_dir))
        key = ("ts", files) + options
        if key not in _DATA_CACHE:
            _DATA_CACHE[key] = ts_format.load_ts(files[0], *options)
    except ts_format.TSFormatError as e:
        raise SweepError(str(e)) from None
    return _DATA_CACHE[key]


# ---------------------------------------------------------------------------------------------------------------
# Text (rnnsweep's TextDataset.swift and CSVTable.swift)
# ---------------------------------------------------------------------------------------------------------------
def utf8_text(path, data):
    """`data` decoded as UTF-8 (strict: no overlong forms, surrogates or values above U+10FFFF), or a SweepError
    naming the file, the line and the byte offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SweepError(
            f"{path}:{line}: is not valid UTF-8: byte 0x{data[e.start]:02X} at byte offset {e.start} does not begin "
            "a valid sequence; save the file as UTF-8"
        ) from None


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise SweepError(f"{path}: cannot read: {e.strerror}") from None


def text_class_folders(folder):
    """The subfolders of `folder` not starting with `.` (links to folders included), sorted by code point."""
    if not os.path.isdir(folder):
        raise SweepError(f"{folder}: no such folder; the layout is train/<class>/ and test/<class>/")
    return sorted(n for n in os.listdir(folder) if not n.startswith(".") and os.path.isdir(os.path.join(folder, n)))


def text_document_paths(folder):
    """The `.txt` files (any case) under `folder` in Keras's order (`os.walk`, not into links to folders, sorted by
    folder path, then each folder's files by name)."""
    found = []
    for current, _, names in os.walk(folder):
        for name in names:
            if not name.lower().endswith(".txt"):
                continue
            path = os.path.join(current, name)
            if os.path.islink(path) and os.path.isdir(path):
                continue
            if not os.path.isfile(path):
                raise SweepError(f"{path}: is not a regular file, so it cannot be a document")
            found.append((current, name))
    return [os.path.join(d, n) for d, n in sorted(found)]


def text_folders(root):
    """Layout 1: `root/train/<class>/…*.txt` and `root/test/<class>/…*.txt`; (classes, train, test), each split a
    list of (text bytes, class index) in Keras's `text_dataset_from_directory(shuffle=False)` order."""
    train_root, test_root = os.path.join(root, "train"), os.path.join(root, "test")
    classes = text_class_folders(train_root)
    if not classes:
        raise SweepError(
            f"{train_root}: holds no class folders: put each class's .txt documents in train/<class>/ (and "
            "test/<class>/)"
        )
    test_classes = text_class_folders(test_root)
    extra = [c for c in test_classes if c not in classes]
    if extra:
        raise SweepError(
            f"{os.path.join(test_root, extra[0])}: is a class folder that train/ does not have (its classes: "
            f"{', '.join(classes)}); the test folder must have the same classes"
        )
    absent = [c for c in classes if c not in test_classes]
    if absent:
        raise SweepError(
            f"{test_root}: has no folder for the class '{absent[0]}' that train/ has; the test folder must have the "
            f"same classes ({', '.join(classes)})"
        )
    splits = []
    for part in (train_root, test_root):
        documents = []
        for label, name in enumerate(classes):
            folder = os.path.join(part, name)
            paths = text_document_paths(folder)
            if not paths:
                raise SweepError(
                    f"{folder}: holds no .txt file; every class folder needs at least one document (or remove it)"
                )
            for path in paths:
                data = read_bytes(path)
                utf8_text(path, data)  # checked, kept as bytes (a byte-order mark stays, as in Keras)
                documents.append((data, label))
        splits.append(documents)
    return classes, splits[0], splits[1]


def csv_records(text, delimiter, path):
    """[(line, [field, …])] of a CSV/TSV text by rnnsweep's CSVTable rules: RFC 4180 quoting (`""` inside quotes),
    a quote inside an unquoted field is an ordinary character, text after a closing quote is refused, records end
    at \\n, \\r\\n or \\r, empty lines are skipped, a leading byte-order mark is skipped; lines are 1-based and count
    the line breaks inside quoted fields."""
    stops = {delimiter, "\r", "\n"}
    position, line, n = (1 if text.startswith("\ufeff") else 0), 1, len(text)
    records = []

    def line_break():
        nonlocal position, line
        if text[position] == "\r" and position + 1 < n and text[position + 1] == "\n":
            position += 1
        position += 1
        line += 1

    while position < n:
        start = line
        if text[position] in "\r\n":
            line_break()
            continue
        fields = []
        while True:
            if position < n and text[position] == '"':
                opening, position, out = line, position + 1, []
                while True:
                    close = text.find('"', position)
                    if close < 0:
                        raise SweepError(
                            f"{path}:{opening}: a quoted field starts on this line and never ends: add its closing \" "
                            "(and double every \" inside it)"
                        )
                    chunk = text[position:close]
                    line += chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")
                    out.append(chunk)
                    position = close + 1
                    if position < n and text[position] == '"':
                        out.append('"')
                        position += 1
                        continue
                    break
                if position < n and text[position] not in stops:
                    raise SweepError(
                        f"{path}:{line}: text follows the closing quote of a quoted field; write a \" inside a quoted "
                        'field as ""'
                    )
                fields.append("".join(out))
            else:
                begin = position
                while position < n and text[position] not in stops:
                    position += 1
                fields.append(text[begin:position])
            if position >= n:
                break
            if text[position] == delimiter:
                position += 1
                if position == n:
                    fields.append("")  # a delimiter at the very end still opens one (empty) last field
                continue
            line_break()
            break
        records.append((start, fields))
    return records


def csv_table(path):
    """(header, rows) of a .csv/.tsv file; rows are (line, fields), each with as many fields as the header."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in os.path.basename(path) else ""
    if suffix not in ("csv", "tsv"):
        raise SweepError(
            f"{path}: is not a .csv or .tsv file; data_dir is a folder with train/ and test/ class folders or "
            "train.csv and test.csv, or one .csv/.tsv with text, label and split columns"
        )
    records = csv_records(utf8_text(path, read_bytes(path)), "\t" if suffix == "tsv" else ",", path)
    if not records:
        raise SweepError(f"{path}: is empty; it needs a header row naming its columns")
    header = records[0][1]
    for line, fields in records[1:]:
        if len(fields) != len(header):
            what = "a missing field" if len(fields) < len(header) else "an extra field"
            raise SweepError(
                f"{path}:{line}: the row has {len(fields)} field(s) but the header has {len(header)} ({what}); quote a "
                "field that holds the delimiter or a line break"
            )
    return header, records[1:]


def labelled_rows(path, table, split):
    """[(text, label, line)] of a table's rows (those whose `split` column is `split`, when given)."""
    header, rows = table

    def column(name, required=True):
        matches = [i for i, h in enumerate(header) if h.strip(" \t").lower() == name]
        if len(matches) > 1:
            raise SweepError(f"{path}:1: the header names the column '{name}' {len(matches)} times")
        if not matches:
            raise SweepError(
                f"{path}:1: the header has no '{name}' column (it has: {', '.join(header)}); name the columns text "
                "and label" + ("" if split is None else ", and split (train or test)")
            )
        return matches[0]

    text, label = column("text"), column("label")
    split_column = None if split is None else column("split")
    out = []
    for line, fields in rows:
        if split_column is not None:
            value = fields[split_column].lower()
            if value not in ("train", "test"):
                raise SweepError(f"{path}:{line}: split is '{fields[split_column]}'; it must be train or test")
            if value != split:
                continue
        if not fields[label]:
            raise SweepError(f"{path}:{line}: the label is empty; every row needs one")
        out.append((fields[text], fields[label], line))
    if not out:
        what = "rows" if split is None else f"{split} rows (split = {split})"
        raise SweepError(f"{path}: has no {what}; every split needs a document")
    return out


def text_csv(root):
    """Layouts 2 and 3: `root/{train,test}.csv` (or .tsv), or the one file `root` with a split column; (classes,
    train, test) with classes = the sorted distinct training labels (code-point order = UTF-8 byte order)."""
    if os.path.isdir(root):
        parts = []
        for stem in ("train", "test"):
            candidates = [p for p in (os.path.join(root, stem + ".csv"), os.path.join(root, stem + ".tsv"))
                          if os.path.isfile(p)]
            if len(candidates) != 1:
                raise SweepError(
                    f"{root}: holds neither train/ and test/ class folders nor {stem}.csv (or {stem}.tsv)"
                    if not candidates else f"{root}: holds both {stem}.csv and {stem}.tsv; keep one"
                )
            parts.append((candidates[0], None))
        tables = [(p, csv_table(p)) for p, _ in parts]
        train = labelled_rows(tables[0][0], tables[0][1], None)
        test = labelled_rows(tables[1][0], tables[1][1], None)
        paths = (tables[0][0], tables[1][0])
    else:
        table = csv_table(root)
        train, test = labelled_rows(root, table, "train"), labelled_rows(root, table, "test")
        paths = (root, root)
    classes = sorted({label for _, label, _ in train})
    index = {c: i for i, c in enumerate(classes)}
    splits = []
    for path, rows in zip(paths, (train, test)):
        documents = []
        for text, label, line in rows:
            if label not in index:
                raise SweepError(
                    f"{path}:{line}: the label '{label}' is not among the training labels ({', '.join(classes)})"
                )
            documents.append((text.encode("utf-8"), index[label]))
        splits.append(documents)
    return classes, splits[0], splits[1]


def text_corpus(root):
    """(classes, train, test) of a text `data_dir` by rnnsweep's layout priority: a folder with train/ or test/
    reads the class folders (even beside train.csv), another folder reads train.csv + test.csv, a file is the CSV
    with a split column."""
    if os.path.isdir(root):
        if os.path.isdir(os.path.join(root, "train")) or os.path.isdir(os.path.join(root, "test")):
            return text_folders(root)
        return text_csv(root)
    if os.path.isfile(root):
        return text_csv(root)
    raise SweepError(f"{root}: no such file or folder")


def load_text(params, base_dir):
    """dict with x_train, y_train, x_test, y_test (int32 [N, sequence_length] ids, int64 classes), classes and
    vocabulary (Keras's, id by id), as rnnsweep's TextDataset makes them: Keras's TextVectorization adapted on the
    training texts only; cached per folder and options."""
    import keras
    import numpy as np
    import tensorflow as tf

    root = os.path.abspath(data_path(params, base_dir))
    length = params.get("sequence_length", 20)
    size = params.get("vocabulary_size")
    split = "whitespace" if param(params, "tokens") == "words" else "character"
    key = ("text", root, length, size, split)
    if key in _DATA_CACHE:
        return _DATA_CACHE[key]
    if not isinstance(length, int) or length < 1:
        raise SweepError(f"sequence_length is {length}; text needs at least 1 id per document")
    if size is not None and not 3 <= size <= MAXIMUM_VOCABULARY:
        raise SweepError(
            f"vocabulary_size is {size}; for text it counts padding (0) and out-of-vocabulary (1) as Keras's "
            f"max_tokens does, so it must be in 3...{MAXIMUM_VOCABULARY}"
        )
    classes, train, test = text_corpus(root)
    vectorizer = keras.layers.TextVectorization(
        max_tokens=size,
        standardize="lower_and_strip_punctuation",
        split=split,
        output_mode="int",
        output_sequence_length=length,
    )
    vectorizer.adapt(tf.data.Dataset.from_tensor_slices([t for t, _ in train]).batch(1024))
    vocabulary = vectorizer.get_vocabulary()
    if len(vocabulary) <= 2:
        raise SweepError(
            f"{root}: no training document holds a {'word' if split == 'whitespace' else 'character'} once "
            "lowercased and stripped of punctuation, so there is no vocabulary"
        )
    if size is None and len(vocabulary) > MAXIMUM_VOCABULARY:
        raise SweepError(
            f"vocabulary_size is not set and the training documents hold {len(vocabulary) - 2} distinct tokens, more "
            f"than the {MAXIMUM_VOCABULARY - 2} ids an embedding takes: set it, e.g. 20000"
        )

    def ids(documents):
        texts = [t for t, _ in documents]
        rows = [np.asarray(vectorizer(tf.constant(texts[i : i + 4096]))) for i in range(0, len(texts), 4096)]
        return np.concatenate(rows).astype(np.int32)

    _DATA_CACHE[key] = {
        "x_train": ids(train),
        "y_train": np.array([label for _, label in train], dtype=np.int64),
        "x_test": ids(test),
        "y_test": np.array([label for _, label in test], dtype=np.int64),
        "classes": classes,
        "vocabulary": vocabulary,
    }
    return _DATA_CACHE[key]


def input_scale_factor(params, x):
    """What input_scale does to `x` (before the float32 cast): ("divide", 255) for auto on uint8 images / uint8 npz
    x, ("multiply", float32 factor) for a number, None otherwise (rnnsweep's DatasetLoader.applyScale)."""
    import numpy as np

    scale = param(params, "input_scale")
    if scale == "none":
        return None
    if scale == "auto":
        image = params.get("dataset", "fashion-mnist") == "fashion-mnist"
        return ("divide", 255) if image or x.dtype == np.uint8 else None
    return ("multiply", np.float32(scale))


def prepare_data(params, base_dir="."):
    """(x_train, y_train, x_test, y_test, validation, info): the book's preprocessing for fashion-mnist (the view,
    x / 255 as float32, one-hot labels), the npz file's arrays for npz (float inputs as float32, uint8 ones / 255,
    token ids as int32; one-hot labels for classification, float32 targets for regression), the padded float32
    [N, T, D] series for ts and the TextVectorization ids for text. `input_scale` none keeps uint8 values as
    0…255, a number multiplies the float32 inputs by it. `limit` keeps the first N training examples;
    `validation` is (x_val, y_val) from the file or None (validation_split is left to fit). `info` holds `classes`
    (classification), `outputs` (regression) and `vocabulary_size` (tokens)."""
    import keras
    import numpy as np

    dataset = params.get("dataset", "fashion-mnist")
    npz = dataset == "npz"
    tokens = param(params, "input") == "tokens"
    regression = param(params, "task") == "regression"
    validation = None
    info = {}
    known_classes = None  # ts and text: the classes come from the header / the folders, not from y_train
    if npz:
        path = data_path(params, base_dir)
        arrays = load_npz(path)
        x_train, y_train, x_test, y_test = (arrays[k] for k in ("x_train", "y_train", "x_test", "y_test"))
        if "x_val" in arrays:
            if params["validation_split"] > 0:
                raise SweepError(
                    f"{path} has its own x_val/y_val, so validation_split must be 0 "
                    f"(it is {params['validation_split']})"
                )
            validation = (arrays["x_val"], arrays["y_val"])
    elif dataset == "ts":
        data = load_ts_data(params, base_dir)
        x_train, y_train, x_test, y_test = (data[k] for k in ("x_train", "y_train", "x_test", "y_test"))
        if not regression:
            known_classes = len(data["class_names"])
    elif dataset == "text":
        data = load_text(params, base_dir)
        x_train, y_train, x_test, y_test = (data[k] for k in ("x_train", "y_train", "x_test", "y_test"))
        known_classes = len(data["classes"])
        # As rnnsweep: vocabulary_size, else the fitted vocabulary (TextVectorization never gives an id beyond it).
        info["vocabulary_size"] = params.get("vocabulary_size") or len(data["vocabulary"])
    else:
        x_train, y_train, x_test, y_test = load_fashion_mnist(params.get("data_dir"))
    if tokens and npz:
        # As rnnsweep: the vocabulary is vocabulary_size, or the largest id of the whole x_train (before limit and
        # the split) + 1; an id outside it becomes the file's scalar `oov_id`, and is refused without one.
        splits = {"x_train": x_train, "x_test": x_test}
        if validation:
            splits["x_val"] = validation[0]
        for name, x in splits.items():
            if x.ndim == 3 and x.shape[2] == 1:
                x = x[:, :, 0]
            if x.ndim != 2 or x.dtype.kind not in "iu":
                raise SweepError(
                    f"{params['data_dir']}: input: tokens needs {name} as integer [N, T], got {x.dtype} {list(x.shape)}"
                )
            if x.size and x.min() < 0:
                raise SweepError(f"{params['data_dir']}: {name} has negative token ids")
            splits[name] = x
        vocabulary = params.get("vocabulary_size", int(splits["x_train"].max()) + 1)
        oov = int(arrays["oov_id"]) if "oov_id" in arrays else None
        if oov is not None and oov >= vocabulary:
            raise SweepError(f"{params['data_dir']}: oov_id {oov} is itself outside the vocabulary 0..{vocabulary - 1}")
        for name, x in splits.items():
            if x.size and int(x.max()) >= vocabulary:
                if oov is None:
                    raise SweepError(
                        f"{params['data_dir']}: {name} holds token id {int(x.max())}, outside the vocabulary "
                        f"0..{vocabulary - 1} (vocabulary_size, default the largest x_train id + 1), and the file has "
                        "no oov_id to map it to"
                    )
                splits[name] = np.where(x >= vocabulary, oov, x)
        x_train, x_test = splits["x_train"], splits["x_test"]
        if validation:
            validation = (splits["x_val"], validation[1])
        info["vocabulary_size"] = vocabulary
    if "limit" in params:
        x_train, y_train = x_train[: params["limit"]], y_train[: params["limit"]]

    def view(x):
        if tokens:
            return np.ascontiguousarray(x).astype("int32")
        scale = input_scale_factor(params, x)
        if dataset == "fashion-mnist":
            if params["view"] == "columns":
                x = x.transpose(0, 2, 1)
            elif params["view"] == "pixels":
                x = x.reshape(len(x), -1, 1)
        elif x.ndim == 2:
            x = x[:, :, None]  # [N, T] is one feature per step, as rnnsweep reads it
        if params.get("network", "rnn") == "mlp":
            x = x.reshape(len(x), -1)  # the book's reshape(-1, 784): the sequence flattened, index t·D + d
        x = np.ascontiguousarray(x).astype("float32")
        if scale is None:
            return x
        return x / scale[1] if scale[0] == "divide" else x * scale[1]

    n, split = len(x_train), params["validation_split"]
    if split > 0:
        split_at = int(n * (1 - split))  # Keras: the last fraction, before shuffling
        if split_at < 1 or split_at == n:
            raise SweepError(
                f"validation_split {split} of {n} training examples leaves {split_at} for training and "
                f"{n - split_at} for validation; both must be at least 1"
            )
    if regression:
        def target(y):
            y = np.asarray(y, dtype="float32")
            return y[:, None] if y.ndim == 1 else y

        info["outputs"] = target(y_train).shape[1]
        labels = target
    else:
        for name, y in (("y_train", y_train), ("y_test", y_test)) + ((("y_val", validation[1]),) if validation else ()):
            if y.dtype.kind not in "iu" or not (y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1)):
                raise SweepError(f"{name} must be integer class indices [N], got {y.dtype} {list(y.shape)}")
        if known_classes is not None:
            classes = known_classes
        else:
            classes = 10 if not npz else int(y_train.max()) + 1
        if npz:
            present = set(np.unique(y_train).tolist())
            if y_train.min() < 0 or len(present) != classes:
                raise SweepError(f"y_train must hold every class 0..{classes - 1} (the classes come from it)")
            for name, y in (("y_test", y_test),) + ((("y_val", validation[1]),) if validation else ()):
                if y.min() < 0 or y.max() >= classes:
                    raise SweepError(f"{name} holds a label outside the training classes 0..{classes - 1}")
        info["classes"] = classes

        def labels(y):
            return keras.utils.to_categorical(np.asarray(y).reshape(-1), classes)

    if validation is not None:
        validation = (view(validation[0]), labels(validation[1]))
    return view(x_train), labels(y_train), view(x_test), labels(y_test), validation, info


# ---------------------------------------------------------------------------------------------------------------
# Model and training
# ---------------------------------------------------------------------------------------------------------------
def build_model(params, input_shape, info):
    """The book's model for `network` (rnn: Sequential([Input((T, F)), recurrent stack, Dense(K),
    Activation("softmax")]); mlp: Listing 1.3.2), compiled as in the book: categorical cross-entropy on one-hot
    labels and accuracy. For task: regression the head is Dense(k) with no activation, compiled with mean squared
    error and the metrics MAE and RMSE."""
    import keras

    if params.get("network", "rnn") == "mlp":
        model = build_mlp(params, input_shape[0], info)
    else:
        model = build_rnn(params, input_shape, info)
    opt_args = {"learning_rate": params["learning_rate"]}
    if "clipnorm" in params:
        opt_args["clipnorm"] = params["clipnorm"]  # Keras clips each gradient tensor separately
    if params["optimizer"] == "sgd":
        optimizer = keras.optimizers.SGD(momentum=params["momentum"], nesterov=params["nesterov"], **opt_args)
    elif params["optimizer"] == "rmsprop":
        optimizer = keras.optimizers.RMSprop(**opt_args)
    else:
        optimizer = keras.optimizers.Adam(**opt_args)
    if param(params, "task") == "regression":
        metrics = ["mae", keras.metrics.RootMeanSquaredError(name="rmse")]
        model.compile(loss="mean_squared_error", optimizer=optimizer, metrics=metrics)
    else:
        model.compile(loss="categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    return model


def head(info):
    """The output layers: Dense(K) + softmax for classification, Dense(k) linear for regression."""
    import keras

    if "outputs" in info:
        return [keras.layers.Dense(info["outputs"])]
    return [keras.layers.Dense(info["classes"]), keras.layers.Activation("softmax")]


def build_mlp(params, input_dim, info):
    """Listing 1.3.2: `layers` × [Dense(units), Activation('relu'), Dropout(dropout)], Dense(10),
    Activation('softmax'); the first Dense with input_dim = T·F (784 for Fashion-MNIST rows)."""
    import keras

    model = keras.Sequential()
    model.add(keras.Input((input_dim,)))  # what Dense(units, input_dim=784) means in Keras 3
    for _ in range(params["layers"]):
        model.add(keras.layers.Dense(params["units"]))
        model.add(keras.layers.Activation("relu"))
        model.add(keras.layers.Dropout(params["dropout"]))
    for layer in head(info):
        model.add(layer)
    return model


def build_rnn(params, input_shape, info):
    """Listing 1.5.1 generalised: [Masking(0.0) | Embedding], the recurrent stack of `cell`, `layers`,
    `bidirectional`, …, the head. input: tokens → Input((T,), int32), Embedding(vocabulary_size, embedding_dim,
    mask_zero=(mask == "zeros")); input: values with mask: zeros → Masking(mask_value=0.0) after the Input."""
    import keras

    masked = param(params, "mask") == "zeros"
    if param(params, "input") == "tokens":
        layers = [
            keras.Input(input_shape, dtype="int32"),
            keras.layers.Embedding(info["vocabulary_size"], params["embedding_dim"], mask_zero=masked),
        ]
    else:
        layers = [keras.Input(input_shape)]
        if masked:
            layers.append(keras.layers.Masking(mask_value=0.0))
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
    return keras.Sequential(layers + head(info))


def run_trial(params, base_dir="."):
    """Trains one trial; returns (final metrics dict, per-epoch history dict of lists incl. 'seconds')."""
    import keras

    x_train, y_train, x_test, y_test, validation, info = prepare_data(params, base_dir)
    start = time.perf_counter()
    keras.backend.clear_session()  # fresh layer names and no graph left over from the previous trial
    keras.utils.set_random_seed(params["seed"])
    model = build_model(params, x_train.shape[1:], info)

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds.append(time.perf_counter() - self.t0)

    seconds = []
    fit_args = {"epochs": params["epochs"], "batch_size": params["batch_size"], "shuffle": True, "verbose": 0}
    if validation is not None:
        fit_args["validation_data"] = validation
    elif params["validation_split"] > 0:
        fit_args["validation_split"] = params["validation_split"]
    history = model.fit(x_train, y_train, callbacks=[EpochTimer()], **fit_args).history
    test = model.evaluate(x_test, y_test, batch_size=params["batch_size"], verbose=0, return_dict=True)
    total = time.perf_counter() - start
    curves = {k: [float(v) for v in vs] for k, vs in history.items()}
    curves["seconds"] = seconds
    if "outputs" in info:
        final = {
            "train_mae": curves["mae"][-1],
            "val_mae": curves["val_mae"][-1] if "val_mae" in curves else "",
            "test_mae": float(test["mae"]),
            "test_rmse": float(test["rmse"]),
            "test_loss": float(test["loss"]),
        }
    else:
        final = {
            "train_accuracy": curves["accuracy"][-1],
            "test_accuracy": float(test["accuracy"]),
            "test_loss": float(test["loss"]),
            "val_accuracy": curves["val_accuracy"][-1] if "val_accuracy" in curves else "",
        }
    final["seconds"] = round(total, 3)
    final["epochs"] = len(curves["loss"])
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


def result_columns(trials):
    """The metric columns: RESULT_COLUMNS for classification (as always), REGRESSION_COLUMNS for regression, both
    (each column once, empty where it does not apply) for a sweep of both tasks."""
    tasks = {param(t["params"], "task") for t in trials}
    columns = list(RESULT_COLUMNS) if "classification" in tasks else []
    if "regression" in tasks:
        columns += [c for c in REGRESSION_COLUMNS if c not in columns]
        columns = [c for c in columns if c not in ("seconds", "epochs")] + ["seconds", "epochs"]
    return columns


def result_header(varying, columns=RESULT_COLUMNS):
    return ["trial_id", *varying, "seed", *[c for c in columns if c not in varying], "params"]


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

    def fold(values, scale):
        values = [scale * float(v) for v in values if v != ""]
        if not values:
            return ""
        if len(values) < 2:
            return f"{values[0]:.2f}" if scale == 100 else f"{values[0]:.4g}"
        if scale == 100:
            return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}"
        return f"{statistics.mean(values):.4g} ± {statistics.stdev(values):.2g}"

    metrics = []  # (column, heading, scale)
    if "test_accuracy" in columns:
        metrics += [("train_accuracy", "Train Accuracy %", 100), ("test_accuracy", "Test Accuracy %", 100)]
    if "test_mae" in columns:
        metrics += [("train_mae", "Train MAE", 1), ("test_mae", "Test MAE", 1), ("test_rmse", "Test RMSE", 1)]
    head = shown + [heading for _, heading, _ in metrics] + ["n"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(shown) + "---:|" * (len(metrics) + 1)]
    for params, group in groups.values():
        cells = [cell_text(params.get(k)) for k in shown]
        cells += [fold([r[column] for r in group], scale) for column, _, scale in metrics]
        cells.append(str(len(group)))
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
        description="Keras/TensorFlow reference run of an rnnsweep experiment file (fashion-mnist, npz, ts, text)."
    )
    p.add_argument("experiment", nargs="?", help="the rnnsweep experiment file (YAML)")
    p.add_argument(
        "--trials-json",
        metavar="FILE",
        help="read the trials from FILE (the JSON of `rnnsweep plan --json`) instead of running rnnsweep on an "
        "experiment file, for trials written by hand",
    )
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
        "--db",
        metavar="PATH",
        help="the rnnsweep database of the run beside (its trial ids and data cache; default: plan's own default)",
    )
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
    if bool(args.experiment) == bool(args.trials_json):
        p.error("give an experiment file or --trials-json FILE (one of them), or --summary CSV")
    if not args.plan and not args.out:
        p.error("--out is required (or use --plan / --summary)")
    for name in ("threads", "limit_trials", "epochs", "limit"):
        value = getattr(args, name)
        if value is not None and value < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def cell_result(value):
    """A result as written in the CSV: floats as repr (round-trip), the rest as is."""
    return repr(value) if isinstance(value, float) else value


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
    # Thread pinning must precede the first numpy/TensorFlow import (OpenMP/oneDNN/OpenBLAS read it at load time);
    # checking a .ts data_dir while the trials are read already imports numpy.
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    overrides = {}
    if args.epochs is not None:
        overrides["epochs"] = args.epochs
    if args.limit is not None:
        overrides["limit"] = args.limit
    if args.trials_json:
        source = args.trials_json
        name, trials, varying = load_trials_json(source, overrides)
    else:
        source = args.experiment
        name, trials, varying = load_experiment(source, overrides, args.rnnsweep, args.db)
    base_dir = os.path.dirname(os.path.abspath(source))  # a relative data_dir is relative to this file
    if args.plan:
        plan_table(trials, varying)
        print(f"{len(trials)} trials")
        return
    selected = trials[: args.limit_trials] if args.limit_trials else trials  # numbered as by `rnnsweep plan`
    if args.seeds:
        unknown = sorted(set(args.seeds) - {t["params"]["seed"] for t in trials})
        if unknown:
            raise SweepError(f"--seeds: {source} has no seed {', '.join(map(str, unknown))}")
        selected = [t for t in selected if t["params"]["seed"] in args.seeds]
    if args.trials:
        unknown = sorted(n for n in set(args.trials) if not 1 <= n <= len(trials))
        if unknown:
            raise SweepError(
                f"--trials: {source} has trials 1–{len(trials)} (see --plan), not {', '.join(map(str, unknown))}"
            )
        selected = [t for t in selected if t["number"] in args.trials]

    columns = result_columns(trials)
    header = result_header(varying, columns)
    curves_path = args.out + ".curves.csv"
    curves_header = ["trial", "trial_id", *varying, "seed", "epoch", "metric", "value"]
    finished = read_finished(args.out, header)
    prune_curves(curves_path, curves_header, finished)
    todo = [t for t in selected if t["id"] not in finished]

    # OMP_NUM_THREADS was pinned at the start of main, before the first numpy/TensorFlow import.
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
    if any(param(t["params"], "bucket_by_length") for t in todo):
        print(
            "note: bucket_by_length is ignored here: Keras trains on the file's padded [N, T] arrays, shuffled as "
            "usual, every batch T steps long",
            file=sys.stderr,
        )
    for trial in todo:
        number, tid, params = trial["number"], trial["id"], trial["params"]
        label = " ".join(f"{k}={cell_text(params.get(k))}" for k in varying + ["seed"])
        print(f"[{number}/{len(trials)}] {tid} {label} ...", file=sys.stderr, flush=True)
        final, curves = run_trial(params, base_dir)
        param_cells = [cell_text(params.get(k)) for k in varying]
        long_rows = [
            [str(number), tid, *param_cells, str(params["seed"]), str(epoch), metric, repr(values[epoch - 1])]
            for epoch in range(1, final["epochs"] + 1)
            for metric, values in curves.items()
            if epoch <= len(values)
        ]
        append_row(curves_path, curves_header, long_rows)  # curves first: the results row marks a trial done
        results = [
            cell_result(final.get(c, "")) for c in columns if c not in varying
        ]
        append_row(args.out, header, [tid, *param_cells, str(params["seed"]), *results, canonical_json(params)])
        if "test_mae" in final:
            line = (
                f"train mae {final['train_mae']:.4g}  test mae {final['test_mae']:.4g}  "
                f"rmse {final['test_rmse']:.4g}"
            )
        else:
            line = f"train {final['train_accuracy']:.4f}  test {final['test_accuracy']:.4f}"
        print(f"    {line}  loss {final['test_loss']:.4f}  {final['seconds']:.1f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    try:
        main()
    except SweepError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("interrupted; finished trials are in the CSV, re-run the same command to resume", file=sys.stderr)
        sys.exit(130)
