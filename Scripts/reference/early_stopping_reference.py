"""Feeds fixed metric sequences to Keras 3's real `keras.callbacks.EarlyStopping` and writes, for each, the epochs
run, the epoch it stopped at, its best epoch and the epoch whose weights the model ends with, to
Tests/RNNTrainingTests/Fixtures/early_stopping_reference.json, which PatienceReferenceTests compares with exactly.

A tiny Dense(1) model trains with learning rate 0; a callback placed before EarlyStopping sets its bias to the
(1-based) epoch number at the end of each epoch and writes the sequence's value into the logs, so after `fit` the
bias says which epoch's weights were restored (or that none were: the last epoch's). A null value leaves the metric
out of the logs (no validation data), a string "NaN" is float('nan').

Usage (in a venv with keras>=3 and a backend): python Scripts/reference/early_stopping_reference.py
Not part of `swift test`: rnnsweep never needs Python.
"""

import json
import math
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np

CASES = [
    # name, monitor, mode, patience, min_delta, restore_best, start_from_epoch, values
    ("improving", "val_loss", "min", 2, 0.0, True, 0, [1.0, 0.9, 0.8, 0.7, 0.6, 0.5]),
    ("plateau", "val_loss", "min", 2, 0.0, True, 0, [1.0, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]),
    ("noisy", "val_loss", "min", 3, 0.0, True, 0, [1.0, 0.7, 0.9, 0.65, 0.8, 0.75, 0.7, 0.66, 0.9, 0.5]),
    ("noisy no restore", "val_loss", "min", 3, 0.0, False, 0, [1.0, 0.7, 0.9, 0.65, 0.8, 0.75, 0.7, 0.66, 0.9]),
    ("patience 1", "val_loss", "min", 1, 0.0, True, 0, [0.5, 0.6, 0.4, 0.3]),
    ("first epoch never stops", "val_loss", "min", 1, 0.0, True, 0, [0.5, 0.5, 0.5]),
    ("min_delta blocks small gains", "val_loss", "min", 2, 0.1, True, 0, [1.0, 0.95, 0.91, 0.85]),
    ("min_delta exact edge", "val_loss", "min", 2, 0.25, True, 0, [1.0, 0.75, 0.5, 0.5, 0.25]),
    ("min_delta just past edge", "val_loss", "min", 2, 0.25, True, 0, [1.0, 0.7499, 0.4998, 0.4998, 0.2]),
    ("float32 comparison", "val_loss", "min", 2, 0.0, True, 0, [0.3, 0.3 - 1e-12, 0.3 - 2e-12, 0.1]),
    ("accuracy max", "val_accuracy", "max", 2, 0.0, True, 0, [0.5, 0.6, 0.55, 0.6, 0.58, 0.7]),
    ("accuracy min_delta", "val_accuracy", "max", 2, 0.05, True, 0, [0.5, 0.54, 0.56, 0.6, 0.62, 0.63, 0.64]),
    ("accuracy no restore", "val_accuracy", "max", 1, 0.0, False, 0, [0.9, 0.8, 0.95]),
    ("mae min", "val_mae", "min", 2, 0.0, True, 0, [3.0, 2.0, 2.5, 2.2, 1.0]),
    ("nan first", "val_loss", "min", 2, 0.0, True, 0, ["NaN", 0.5, 0.4, 0.3]),
    ("nan later", "val_loss", "min", 2, 0.0, True, 0, [0.5, "NaN", 0.4, "NaN", "NaN", 0.1]),
    ("missing metric", "val_loss", "min", 1, 0.0, True, 0, [None, None, None]),
    ("missing then present", "val_loss", "min", 1, 0.0, True, 0, [None, 0.5, 0.6, 0.4]),
    ("start_from_epoch", "val_loss", "min", 1, 0.0, True, 2, [0.1, 0.2, 0.5, 0.6, 0.4]),
    ("runs to the end", "val_loss", "min", 5, 0.0, True, 0, [1.0, 1.1, 0.9, 1.2, 1.3]),
    ("runs to the end no restore", "val_loss", "min", 5, 0.0, False, 0, [1.0, 1.1, 0.9, 1.2, 1.3]),
]


class SetEpoch(keras.callbacks.Callback):
    """Sets the bias to the 1-based epoch and puts the sequence's value in the logs."""

    def __init__(self, monitor, values):
        super().__init__()
        self.monitor = monitor
        self.values = values

    def on_epoch_end(self, epoch, logs=None):
        kernel, _ = self.model.get_weights()
        self.model.set_weights([kernel, np.array([float(epoch + 1)], dtype="float32")])
        value = self.values[epoch]
        if value is None:
            logs.pop(self.monitor, None)
        else:
            logs[self.monitor] = float("nan") if value == "NaN" else float(value)


def run(case):
    name, monitor, mode, patience, min_delta, restore, start, values = case
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    model.set_weights([np.zeros((1, 1), "float32"), np.zeros((1,), "float32")])
    stopping = keras.callbacks.EarlyStopping(
        monitor=monitor, mode=mode, patience=patience, min_delta=min_delta, restore_best_weights=restore,
        start_from_epoch=start)
    history = model.fit(
        np.ones((1, 1), "float32"), np.zeros((1, 1), "float32"), epochs=len(values), batch_size=1, verbose=0,
        callbacks=[SetEpoch(monitor, values), stopping])
    epochs_run = len(history.history["loss"])
    restored = int(round(float(model.get_weights()[1][0])))
    return {
        "name": name,
        "metric": monitor,
        "patience": patience,
        "min_delta": min_delta,
        "restore_best": restore,
        "start_from_epoch": start,
        "values": values,
        "epochs_run": epochs_run,
        "stopped_epoch": stopping.stopped_epoch + 1 if stopping.stopped_epoch > 0 else 0,
        "best_epoch": stopping.best_epoch + 1 if (stopping.best is not None or stopping.best_weights is not None)
        else 0,
        "weights_epoch": restored,
    }


def main():
    results = [run(case) for case in CASES]
    out = os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "RNNTrainingTests", "Fixtures",
        "early_stopping_reference.json")
    document = {
        "source": f"keras {keras.__version__} ({keras.backend.backend()} backend), "
        "Scripts/reference/early_stopping_reference.py",
        "cases": results,
    }
    with open(os.path.normpath(out), "w") as f:
        json.dump(document, f, indent=1, allow_nan=False)
        f.write("\n")
    for r in results:
        print(f"{r['name']}: ran {r['epochs_run']}, stopped {r['stopped_epoch']}, best {r['best_epoch']}, "
              f"weights of {r['weights_epoch']}", file=sys.stderr)


if __name__ == "__main__":
    main()
