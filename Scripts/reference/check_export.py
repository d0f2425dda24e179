"""Checks an `rnnsweep export` folder in Keras 3: builds the model with its model.py, loads model.safetensors,
evaluates it on the data's test split and compares with the test metrics rnnsweep recorded (parameters.json).

Usage (in a venv with keras>=3, tensorflow or another backend, safetensors, numpy):
    python Scripts/reference/check_export.py EXPORT_DIR [--data PATH] [--predictions preds.csv]

--data: the data file or folder (default: the trial's data_dir, or /usr/share/datasets/fashion-mnist for
Fashion-MNIST). Reads what the exporter's model reads from files the way rnnsweep does: the IDX image sets
(fashion-mnist, mnist; views rows, columns, pixels), npz (x_test, y_test; values or token ids), with
input_scale, and a text folder (test/<class>/*.txt, tokenized by Keras's TextVectorization with the export's
vocabulary.json). --predictions: an `rnnsweep predict` CSV of the same split, compared example by example (argmax and
probabilities). Not part of `swift test`: rnnsweep never needs Python.
"""

import argparse
import csv
import gzip
import importlib.util
import json
import os
import sys

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"no {stem}[.gz] in {folder}")


def image_test_split(folder, view):
    x = read_idx(find(folder, "t10k-images-idx3-ubyte"))
    y = read_idx(find(folder, "t10k-labels-idx1-ubyte")).astype(np.int64)
    if view == "columns":
        x = np.transpose(x, (0, 2, 1))
    elif view == "pixels":
        x = x.reshape(len(x), -1, 1)
    return x, y


def scale(x, setting, is_bytes):
    """input_scale as rnnsweep applies it: auto divides bytes by 255 (Keras's x / 255, in float32)."""
    if setting == "none" or (setting == "auto" and not is_bytes):
        return x.astype(np.float32)
    if setting == "auto":
        return x.astype(np.float32) / np.float32(255)
    return (x.astype(np.float64) * float(setting)).astype(np.float32)


def load_test_split(params, data, export):
    dataset = params["dataset"]
    if dataset in ("fashion-mnist", "mnist"):
        folder = data or params.get("data_dir") or "/usr/share/datasets/fashion-mnist"
        x, y = image_test_split(os.path.expanduser(folder), params.get("view", "rows"))
        return scale(x, params.get("input_scale", "auto"), True), y
    if dataset == "npz":
        arrays = np.load(os.path.expanduser(data or params["data_dir"]))
        x, y = arrays["x_test"], arrays["y_test"]
        if params.get("input", "values") == "tokens":
            return x.reshape(len(x), -1).astype(np.int32), y
        x = x.reshape(x.shape[0], x.shape[1], -1)
        return scale(x, params.get("input_scale", "auto"), x.dtype == np.uint8), y
    if dataset == "text" and os.path.isdir(os.path.expanduser(data or params["data_dir"])):
        return text_test_split(os.path.expanduser(data or params["data_dir"]), params, export)
    raise SystemExit(f"check_export.py reads fashion-mnist, mnist, npz and text-folder data, not {dataset}")


def text_test_split(folder, params, export):
    """test/<class>/*.txt through Keras's own TextVectorization with the trial's vocabulary (vocabulary.json: id 0
    padding, 1 [UNK], then the tokens), so Keras tokenizes; labels by parameters.json's class names."""
    import keras

    with open(os.path.join(export, "vocabulary.json")) as f:
        tokens = json.load(f)
    with open(os.path.join(export, "parameters.json")) as f:
        classes = json.load(f)["class_names"]
    vectorize = keras.layers.TextVectorization(
        vocabulary=tokens[2:],
        output_mode="int",
        output_sequence_length=int(params["sequence_length"]),
        split="character" if params.get("tokens") == "characters" else "whitespace",
    )
    texts, labels = [], []
    for label, name in enumerate(classes):
        for root, _, files in os.walk(os.path.join(folder, "test", name)):
            for file in sorted(files):
                if file.lower().endswith(".txt"):
                    with open(os.path.join(root, file), encoding="utf-8") as f:
                        texts.append(f.read())
                    labels.append(label)
    return np.asarray(vectorize(texts)).astype(np.int32), np.asarray(labels)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export")
    parser.add_argument("--data")
    parser.add_argument("--predictions")
    args = parser.parse_args()
    with open(os.path.join(args.export, "parameters.json")) as f:
        described = json.load(f)
    params = described["parameters"]
    spec = importlib.util.spec_from_file_location("exported_model", os.path.join(args.export, "model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.load_model()
    x, y = load_test_split(params, args.data, args.export)
    outputs = np.asarray(model.predict(x, batch_size=int(params["batch_size"]), verbose=0), dtype=np.float64)
    recorded = described.get("test", {})
    print(f"trial {described['trial']} ({described['network']}) of sweep {described['sweep']}: {len(x)} test examples")
    if params.get("task", "classification") == "classification":
        labels = y.astype(np.int64).reshape(-1)
        predicted = outputs.argmax(axis=1)
        accuracy = float(np.mean(predicted == labels))
        picked = np.clip(outputs[np.arange(len(labels)), labels], 1e-7, 1 - 1e-7)
        loss = float(np.mean(-np.log(picked)))
        print(f"keras test accuracy {accuracy:.6f}  rnnsweep {recorded.get('test_accuracy')}")
        print(f"keras test loss     {loss:.6f}  rnnsweep {recorded.get('test_loss')}")
        if "test_accuracy" in recorded:
            print(f"accuracy difference {abs(accuracy - recorded['test_accuracy']):.3g}")
            print(f"loss difference     {abs(loss - recorded['test_loss']):.3g}")
    else:
        targets = y.reshape(len(y), -1).astype(np.float64)
        mae = float(np.mean(np.mean(np.abs(outputs - targets), axis=1)))
        print(f"keras test mae {mae:.6f}  rnnsweep {recorded.get('test_mae')}")
        if "test_mae" in recorded:
            print(f"mae difference {abs(mae - recorded['test_mae']):.3g}")
    if args.predictions:
        with open(args.predictions, newline="") as f:
            rows = list(csv.reader(f))
        header, rows = rows[0], rows[1:]
        first = 2 if header[1] == "predicted" else 1
        theirs = np.array([[float(v) for v in row[first:]] for row in rows])
        if theirs.shape != outputs.shape:
            raise SystemExit(f"{args.predictions} has shape {theirs.shape}, keras {outputs.shape}")
        print(f"largest output difference from rnnsweep predict {np.max(np.abs(theirs - outputs)):.3g}")
        if first == 2:
            same = np.mean(theirs.argmax(axis=1) == outputs.argmax(axis=1))
            print(f"argmax agreement with rnnsweep predict {same:.6f} ({int(round(same * len(rows)))} of {len(rows)})")


if __name__ == "__main__":
    sys.exit(main())
