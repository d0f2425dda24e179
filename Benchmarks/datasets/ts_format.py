#!/usr/bin/env python3
"""A reader for UCR/UEA `.ts` files (the sktime/aeon format) by the rules rnnsweep's `dataset: ts` follows
(`Sources/RNNData/TSFile.swift` and `TSDataset.swift`), so that Python tools read the same arrays. numpy only.

    python3 ts_format.py DATA_DIR            # prints what it read (shapes, lengths, classes)

The rules (aeon's `load_from_ts_file`, stricter where aeon would read something else without a word):
- Header lines start with `@`, keys compare without case: `@problemName`, `@timeStamps` (true is refused),
  `@missing`, `@univariate`, `@equalLength`, `@dimensions`/`@dimension`, `@seriesLength`,
  `@classLabel true <labels…>` | `@classLabel false`, `@targetLabel true|false`; unknown keys are skipped. Lines
  starting with `#` are comments, blank lines are skipped; `@data` alone on its line ends the header. Boolean keys take
  exactly `true` or `false` (any case); `@univariate` and `@equalLength` default to true, as in aeon.
- A series: dimensions separated by `:`, the values of a dimension by `,`, the label (or regression target) after the
  last `:`. Every series has the first one's number of dimensions, every dimension of a series the same number of
  values; `@dimensions`/`@seriesLength` (the latter under `@equalLength true`) must agree with the series.
- A value is a decimal number as Python's `float()` reads it without `inf`, `nan` words, underscores or hex
  (sign, digits with an optional point, optional exponent), or a missing value `?`/`NaN` (any case). Values are read
  as float64, then rounded to float32 as rnnsweep keeps them; a value beyond float32's range is refused.
- Labels compare without case (aeon lowercases every line); the classes are 0…K−1 in the HEADER's order, and the
  TEST file must list the same labels in the same order. With `@targetLabel true` (which aeon lets override
  `@classLabel`) every series has a finite real target, and the task must be regression.
- Lines end at `\\n`, `\\r\\n` or `\\r`; a UTF-8 byte-order mark is skipped; the file must be UTF-8.

`load_ts(data_dir, …)` pairs `<Name>_TRAIN.ts` and `<Name>_TEST.ts` as rnnsweep does: `data_dir` is a folder holding
exactly one such pair, the `<Name>` prefix, or either file. T is the longest series of TRAIN and TEST; shorter
series are padded with all-zero steps after them (`padding="post"`, rnnsweep's choice under `mask: zeros`) or before
them (`"pre"`, its choice otherwise). `missing="zero"` writes a missing value as 0 (else it is refused);
`normalize="channel"` standardises each dimension with the mean and population standard deviation of the TRAIN
file's real values (padding and missing values left out), computed in float64 as rnnsweep does (sequential sums, two
passes, `(v − mean) × (1 / std)` rounded once to float32), applied to TRAIN and TEST; a dimension with std 0 is only
centred. Padding and missing values stay 0.
"""

import os
import re
import sys

import numpy as np

MAXIMUM_CLASSES = 65536  # rnnsweep's NPZDataset.maximumClasses
PADDING_FACTOR = 64  # TSDataset.paddingFactor: padding may multiply the values read by at most this much …
PADDING_FLOOR = 1 << 20  # … beyond this many values
_BLANKS = " \t\x0b\x0c"  # what rnnsweep trims around lines, values and labels
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class TSFormatError(Exception):
    """A file that cannot be read as asked; the message names the file and, where there is one, the 1-based line."""


class TSFile:
    """One parsed `.ts` file.

    `header`: dict with `univariate`, `equal_length`, `dimensions` (int or None), `series_length` (int or None),
    `class_labels` (list as written, in the header's order, or None), `class_label_false`, `target_label`.
    `series`: per case a float64 array [length, D] (step-major), NaN for a missing value (only with missing="zero").
    `classes`: int64 [N] class indices (classification); `targets`: float64 [N] (regression, already exact float32
    values). `lengths`: int list. `dimensions`: D. `first_series_line`, `lines` (of @classLabel, @targetLabel and
    @data): for messages."""

    def __init__(self, path, header, dimensions, lengths, series, classes, targets, first_series_line, lines):
        self.path, self.header, self.dimensions = path, header, dimensions
        self.lengths, self.series, self.classes, self.targets = lengths, series, classes, targets
        self.first_series_line = first_series_line
        self.lines = lines  # the lines of @classLabel, @targetLabel and @data (0 when absent), for messages

    @property
    def longest(self):
        return max(self.lengths) if self.lengths else 0


def counted(n, noun):
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _quoted(text):
    return "'" + (text[:40] + "…" if len(text) > 40 else text) + "'"


def _parse_number(text):
    """('number', float) | ('missing', None) | ('invalid', None), as rnnsweep's TSNumber.parse."""
    if text == "?" or (len(text) == 3 and text.lower() == "nan"):
        return "missing", None
    if not _NUMBER.fullmatch(text):
        return "invalid", None
    return "number", float(text)


def _to_float32_exact(value):
    """The float64 of `value` rounded to float32 (what rnnsweep stores), or None beyond float32's range."""
    with np.errstate(over="ignore"):
        f = np.float32(value)
    return float(f) if np.isfinite(f) else None


def read_ts(path, task="classification", missing="none"):
    """Parses the `.ts` file at `path` for `task` (classification | regression); `missing` none | zero."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise TSFormatError(f"{path}: cannot read: {e.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise TSFormatError(f"{path}:{line}: is not UTF-8 text; save the file as UTF-8") from None
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "" and (text.endswith("\n") or text.endswith("\r")):
        lines.pop()  # the terminator of the last line does not start another one
    size = len(data)

    def fail(number, reason):
        where = f"{path}:{number}" if number else path
        raise TSFormatError(f"{where}: {reason}")

    header = {
        "univariate": True,
        "equal_length": True,
        "dimensions": None,
        "series_length": None,
        "class_labels": None,
        "class_label_false": False,
        "target_label": False,
    }
    lines_of = {"classlabel": 0, "targetlabel": 0, "data": 0}
    label_index = {}

    def flag(number, key, arguments):
        if len(arguments) == 1 and arguments[0].lower() in ("true", "false"):
            return arguments[0].lower() == "true"
        found = arguments[0] if len(arguments) == 1 else f"{len(arguments)} values"
        fail(number, f"{key} takes one value, true or false (found {found})")

    def count(number, key, arguments):
        if len(arguments) == 1 and _INTEGER.fullmatch(arguments[0]) and 1 <= int(arguments[0]) <= size:
            return int(arguments[0])
        fail(number, f"{key} takes one whole number from 1 to the {size} bytes of the file (found "
             f"{' '.join(arguments[:3])})")

    index = 0
    while True:
        if index >= len(lines):
            raise TSFormatError(f"{path}: has no @data line: the header must end with @data, followed by the series")
        number = index + 1
        line = lines[index].strip(_BLANKS)
        index += 1
        if not line or line.startswith("#"):
            continue
        if not line.startswith("@"):
            fail(number, f"{_quoted(line)} comes before @data but is neither a header line (@key value) nor a comment "
                 "(#); the series follow a line @data")
        tokens = line.split()
        key, arguments = tokens[0][1:].lower(), tokens[1:]
        if key == "data":
            if arguments:
                fail(number, "@data takes no value; the series start on the next line")
            lines_of["data"] = number
            break
        if key == "timestamps":
            if flag(number, tokens[0], arguments):
                fail(number, "time stamps (@timeStamps true) are not supported: write the series without their time "
                     "stamps and set @timeStamps false")
        elif key == "missing":
            flag(number, tokens[0], arguments)
        elif key == "univariate":
            header["univariate"] = flag(number, tokens[0], arguments)
        elif key == "equallength":
            header["equal_length"] = flag(number, tokens[0], arguments)
        elif key == "targetlabel":
            header["target_label"] = flag(number, tokens[0], arguments)
            lines_of["targetlabel"] = number
        elif key == "classlabel":
            lines_of["classlabel"] = number
            first = arguments[0].lower() if arguments else None
            if first == "true":
                labels = arguments[1:]
                if not labels:
                    fail(number, "@classLabel true must list the labels: @classLabel true a b c")
                if len(labels) > MAXIMUM_CLASSES:
                    fail(number, f"@classLabel lists {len(labels)} labels; at most {MAXIMUM_CLASSES} classes are read")
                label_index = {}
                for i, label in enumerate(labels):
                    folded = label.lower()
                    if folded in label_index:
                        fail(number, f"@classLabel lists '{label}' twice (as label {label_index[folded] + 1} and "
                             f"{i + 1}; labels compare without case, as aeon lowercases them)")
                    label_index[folded] = i
                header["class_labels"], header["class_label_false"] = labels, False
            elif first == "false":
                header["class_labels"], header["class_label_false"], label_index = None, True, {}
            else:
                fail(number, f"{tokens[0]} takes true followed by the labels, or false")
        elif key in ("dimension", "dimensions"):
            header["dimensions"] = count(number, tokens[0], arguments)
        elif key == "serieslength":
            header["series_length"] = count(number, tokens[0], arguments)
        # @problemName and keys aeon does not read either: skipped

    # The header must promise what the task reads.
    if header["target_label"]:
        if task != "regression":
            fail(lines_of["targetlabel"], "the file has regression targets (@targetLabel true); set task: regression")
    elif header["class_labels"] is not None:
        if task != "classification":
            fail(lines_of["classlabel"], "the file has class labels (@classLabel); set task: classification")
    elif header["class_label_false"]:
        needed = "a class label (@classLabel true <labels…>)" if task == "classification" else \
            "a target (@targetLabel true)"
        fail(lines_of["classlabel"], f"the file has no labels (@classLabel false), but every series needs {needed}")
    else:
        fail(lines_of["data"], "the header has no @classLabel line: list the labels before @data (@classLabel true a "
             "b c)" if task == "classification" else
             "the header has no @targetLabel true line: add it before @data for regression targets")

    what = "label" if task == "classification" else "target"
    series, lengths, classes, targets = [], [], [], []
    dimensions = first_length = first_line = 0
    while index < len(lines):
        number = index + 1
        line = lines[index].strip(_BLANKS)
        index += 1
        if not line or line.startswith("#"):
            continue
        colon = line.rfind(":")
        if colon < 0:
            fail(number, f"has no ':' before its {what}; a series is v,v,…:v,v,…:…:{what} (dimensions "
                 "separated by ':')")
        columns = []
        for d, part in enumerate(line[:colon].split(":"), 1):
            part = part.strip(_BLANKS)
            if not part:
                fail(number, f"dimension {d} is empty; every dimension needs at least one value")
            texts = part.split(",")
            if columns and len(texts) != len(columns[0]):
                if len(texts) > len(columns[0]):
                    fail(number, f"dimension {d} has more values than dimension 1 ({len(columns[0])}); every "
                         "dimension of a series needs the same number of values, as in aeon")
                fail(number, f"dimension {d} has {counted(len(texts), 'value')} but dimension 1 has "
                     f"{len(columns[0])}; every dimension of a series needs the same number of values, as in aeon")
            values = []
            for position, raw in enumerate(texts, 1):
                raw = raw.strip(_BLANKS)
                kind, value = _parse_number(raw)
                if kind == "number":
                    if _to_float32_exact(value) is None:
                        fail(number, f"dimension {d} has {_quoted(raw)} at position {position}, which is beyond the "
                             "range of a 32-bit float")
                    values.append(value)
                elif kind == "missing":
                    if missing != "zero":
                        fail(number, f"dimension {d} has a missing value ({raw}) at position {position}; set missing: "
                             "zero to read it as 0")
                    values.append(float("nan"))
                else:
                    fail(number, f"dimension {d} has no value at position {position} (two commas in a row?)" if not raw
                         else f"dimension {d} has {_quoted(raw)} at position {position}, which is not a number")
            columns.append(values)
        count_d, length = len(columns), len(columns[0])
        if header["univariate"] and count_d > 1:
            fail(number, f"has {count_d} dimensions but the header says the series are univariate (@univariate true, "
                 "aeon's default); set @univariate false")
        if header["dimensions"] is not None and count_d != header["dimensions"]:
            fail(number, f"has {counted(count_d, 'dimension')} but the header says @dimensions {header['dimensions']}")
        if not lengths:
            dimensions, first_length, first_line = count_d, length, number
        elif count_d != dimensions:
            fail(number, f"has {counted(count_d, 'dimension')} but the first series (line {first_line}) has "
                 f"{dimensions}; every series needs the same number")
        if header["equal_length"]:
            if header["series_length"] is not None and length != header["series_length"]:
                fail(number, f"has {counted(length, 'value')} per dimension but the header says @seriesLength "
                     f"{header['series_length']} (set @equalLength false for series of different lengths)")
            if length != first_length:
                fail(number, f"has {counted(length, 'value')} per dimension but the first series (line {first_line}) "
                     f"has {first_length}, and the series are of equal length (@equalLength true, aeon's default); set "
                     "@equalLength false for series of different lengths")
        target = line[colon + 1 :].strip(_BLANKS)
        if task == "classification":
            if not target:
                fail(number, "has no label after its last ':'")
            if target.lower() not in label_index:
                labels = header["class_labels"] or []
                listed = " ".join(labels[:20]) + (" …" if len(labels) > 20 else "")
                fail(number, f"label {_quoted(target)} is not one of the header's @classLabel labels ({listed})")
            classes.append(label_index[target.lower()])
        else:
            kind, value = _parse_number(target)
            if kind == "number":
                exact = _to_float32_exact(value)
                if exact is None:
                    fail(number, f"the target {_quoted(target)} is not a finite 32-bit float")
                targets.append(exact)
            elif kind == "missing":
                fail(number, f"the target is missing ({_quoted(target)}); every series needs a finite target")
            else:
                fail(number, "has no target after its last ':'" if not target else
                     f"the target {_quoted(target)} is not a number")
        lengths.append(length)
        series.append(np.asarray(columns, dtype=np.float64).T.copy())  # [length, D], step-major
    if not lengths:
        raise TSFormatError(f"{path}: holds no series after @data")
    return TSFile(
        path, header, dimensions, lengths, series, np.asarray(classes, dtype=np.int64),
        np.asarray(targets, dtype=np.float64), first_line, lines_of,
    )


def ts_files(data_dir):
    """(train, test) absolute paths that `data_dir` names: a folder with exactly one `<Name>_TRAIN.ts` +
    `<Name>_TEST.ts` pair, the `<Name>` prefix, or either file (`~` expanded)."""
    path = os.path.abspath(os.path.expanduser(data_dir))
    prefix = path
    if os.path.isdir(path):
        try:
            names = os.listdir(path)
        except OSError as e:
            raise TSFormatError(f"{path}: cannot list the folder: {e.strerror}") from None
        present = set(names)
        train_names = [n[: -len("_TRAIN.ts")] for n in names if n.endswith("_TRAIN.ts")]
        pairs = sorted(n for n in train_names if n + "_TEST.ts" in present)
        if not pairs:
            unpaired = "; ".join(f"{n}_TRAIN.ts has no {n}_TEST.ts" for n in sorted(train_names))
            raise TSFormatError(f"{path}: it holds no <Name>_TRAIN.ts with its <Name>_TEST.ts"
                                + (f" ({unpaired})" if unpaired else ""))
        if len(pairs) > 1:
            raise TSFormatError(f"data_dir is {path}, which holds {len(pairs)} pairs of .ts files "
                                f"({', '.join(pairs)}): give the <Name> prefix of one, e.g. {path}/{pairs[0]}")
        prefix = os.path.join(path, pairs[0])
    else:
        for suffix in ("_TRAIN.ts", "_TEST.ts"):
            if path.endswith(suffix):
                prefix = path[: -len(suffix)]
    files = (prefix + "_TRAIN.ts", prefix + "_TEST.ts")
    for f in files:
        if not os.path.isfile(f):
            raise TSFormatError(f"{f}: no such file; data_dir must be a folder holding one <Name>_TRAIN.ts and "
                                "<Name>_TEST.ts, or their <Name> prefix")
    return files


def channel_statistics(file):
    """(mean, inverse_deviation) float64 [D] over the real values of `file` (float32-rounded, as rnnsweep keeps them;
    NaN left out): sequential sums in file order, two passes, population deviation; 1 where the deviation is 0."""
    d = file.dimensions
    values = np.concatenate([s.astype(np.float32).astype(np.float64) for s in file.series])  # [sum L, D]
    mean = np.zeros(d)
    inverse = np.ones(d)
    for k in range(d):
        column = values[:, k]
        column = column[~np.isnan(column)]
        if column.size == 0:
            continue
        mean[k] = np.add.accumulate(column)[-1] / column.size  # sequential, as rnnsweep (no pairwise summation)
        centred = column - mean[k]
        deviation = np.sqrt(np.add.accumulate(centred * centred)[-1] / column.size)
        inverse[k] = 1.0 / deviation if deviation > 0 else 1.0
    return mean, inverse


def padded(file, timesteps, padding="post", statistics=None):
    """float32 [N, timesteps, D]: each series (rounded to float32; standardised by `statistics` when given) with
    zero steps after it (`post`) or before it (`pre`); missing values written as 0."""
    out = np.zeros((len(file.series), timesteps, file.dimensions), dtype=np.float32)
    for n, s in enumerate(file.series):
        values = s.astype(np.float32)
        if statistics is not None:
            mean, inverse = statistics
            with np.errstate(over="ignore", invalid="ignore"):
                values = ((values.astype(np.float64) - mean) * inverse).astype(np.float32)
        values = np.where(np.isnan(values), np.float32(0), values)
        start = 0 if padding == "post" else timesteps - len(s)
        out[n, start : start + len(s)] = values
    if statistics is not None and not np.all(np.isfinite(out)):
        bad = np.argwhere(~np.isfinite(out))[0]
        raise TSFormatError(f"{file.path}: dimension {bad[2] + 1} of series {bad[0] + 1} is beyond the range of a "
                            "32-bit float once normalised by the training statistics; use normalize: none")
    return out


def read_pair(data_dir, task="classification", missing="none"):
    """(train, test) TSFile of `data_dir`, checked to agree (the same labels in the same order, the same D)."""
    train_path, test_path = ts_files(data_dir)
    train = read_ts(train_path, task, missing)
    test = read_ts(test_path, task, missing)
    labels = train.header["class_labels"]
    if labels is not None and test.header["class_labels"] != labels:
        listed = " ".join(test.header["class_labels"] or [])
        raise TSFormatError(f"{test.path}:{test.lines['classlabel']}: @classLabel lists {listed} but "
                            f"{train.path} lists {' '.join(labels)}; the two files must list the same labels in the "
                            "same order")
    if test.dimensions != train.dimensions:
        raise TSFormatError(f"{test.path}:{test.first_series_line}: the series have "
                            f"{counted(test.dimensions, 'dimension')} but those of {train.path} have "
                            f"{train.dimensions}")
    return train, test


def load_ts(data_dir, task="classification", missing="none", normalize="none", padding="post"):
    """The arrays rnnsweep trains on for `dataset: ts`: dict with x_train, x_test (float32 [N, T, D]), y_train,
    y_test (int64 class indices, or float32 targets for regression), class_names (the header's labels, or None),
    lengths_train, lengths_test, files (train, test paths)."""
    if padding not in ("post", "pre"):
        raise ValueError(f"padding must be post or pre, not {padding!r}")
    train, test = read_pair(data_dir, task, missing)
    timesteps = max(train.longest, test.longest)
    n = len(train.lengths) + len(test.lengths)
    read = sum(train.lengths) * train.dimensions + sum(test.lengths) * test.dimensions
    if n * timesteps * train.dimensions > max(read * PADDING_FACTOR, PADDING_FLOOR):
        longest = train if train.longest >= test.longest else test
        raise TSFormatError(f"{longest.path}: padding every series to the longest ({timesteps} steps) would take "
                            f"{n} × {timesteps} × {train.dimensions} values, more than {PADDING_FACTOR} times the "
                            f"{read} values in the files; cut the longest series or split the data by length")
    statistics = channel_statistics(train) if normalize == "channel" else None

    def targets(f):
        return f.targets.astype(np.float32) if task == "regression" else f.classes

    return {
        "x_train": padded(train, timesteps, padding, statistics),
        "y_train": targets(train),
        "x_test": padded(test, timesteps, padding, statistics),
        "y_test": targets(test),
        "class_names": train.header["class_labels"] if task == "classification" else None,
        "lengths_train": list(train.lengths),
        "lengths_test": list(test.lengths),
        "files": (train.path, test.path),
    }


def main():
    import argparse

    p = argparse.ArgumentParser(description="Read a UCR/UEA .ts problem as rnnsweep does and describe it.")
    p.add_argument("data_dir", help="folder with one <Name>_TRAIN.ts/<Name>_TEST.ts pair, the <Name> prefix or a file")
    p.add_argument("--task", choices=("classification", "regression"), default="classification")
    p.add_argument("--missing", choices=("none", "zero"), default="none")
    p.add_argument("--normalize", choices=("none", "channel"), default="none")
    p.add_argument("--padding", choices=("post", "pre"), default="post")
    args = p.parse_args()
    try:
        data = load_ts(args.data_dir, args.task, args.missing, args.normalize, args.padding)
    except TSFormatError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    for part in ("train", "test"):
        x, y, lengths = data["x_" + part], data["y_" + part], data["lengths_" + part]
        print(f"{part}: x {x.dtype} {list(x.shape)}, y {y.dtype} {list(y.shape)}, lengths {min(lengths)}–"
              f"{max(lengths)} (mean {np.mean(lengths):.1f})")
    if data["class_names"] is not None:
        print(f"classes: {' '.join(data['class_names'])}")


if __name__ == "__main__":
    main()
