#!/usr/bin/env python3
"""Keras 3 / TensorFlow peer benchmark for `rnnsweep bench`: one RNN layer -> Dense(10) -> softmax, SGD.

Prints one JSON line with the same fields as `rnnsweep bench --json`. Paths timed (defaults):
  training  -- `model.train_on_batch(x, y)` in a loop (Keras' compiled train step, one tf.function call per batch);
               `--train-mode fit` times `model.fit(steps_per_epoch=K)` instead (same train step, plus per-call
               iterator and callback set-up and a tf.data thread; no faster in our checks).
  inference -- `model.predict_on_batch(x)` (Keras' compiled predict step); `--eval-mode tf_function` times
               `tf.function(lambda x: model(x, training=False))` instead.
Both use Keras' default `jit_compile="auto"`, which Keras resolves to no XLA on a CPU-only machine (the "xla" field
says which ran); `--jit-compile on` forces XLA.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import (  # noqa: E402  (no framework imported yet)
    CLASSES,
    FEATURES,
    LEARNING_RATE,
    TIMESTEPS,
    emit,
    measure,
    parse_args,
)


def extra_args(parser):
    parser.add_argument("--train-mode", choices=["train_on_batch", "fit"], default="train_on_batch")
    parser.add_argument("--eval-mode", choices=["predict_on_batch", "tf_function"], default="predict_on_batch")
    parser.add_argument("--jit-compile", choices=["auto", "on", "off"], default="auto")


def main():
    args = parse_args("Keras/TensorFlow RNN training and inference benchmark", extra_args)
    os.environ["KERAS_BACKEND"] = "tensorflow"

    import numpy as np
    import tensorflow as tf

    # Must run before TensorFlow creates its thread pools (i.e. before any op executes).
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)

    import keras

    keras.utils.set_random_seed(args.seed)
    layer = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[args.cell]
    model = keras.Sequential(
        [
            keras.Input((TIMESTEPS, FEATURES)),
            layer(args.units),  # GRU keeps the Keras 3 default reset_after=True
            keras.layers.Dense(CLASSES),
            keras.layers.Activation("softmax"),
        ]
    )
    jit = {"auto": "auto", "on": True, "off": False}[args.jit_compile]
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=LEARNING_RATE),
        loss="categorical_crossentropy",
        jit_compile=jit,
    )

    # Distinct synthetic batches, reused cyclically.
    pool = max(args.batches, args.warmup, 1)
    rng = np.random.default_rng(args.seed)
    x_all = rng.random((pool * args.batch_size, TIMESTEPS, FEATURES), dtype=np.float32)
    y_all = np.eye(CLASSES, dtype=np.float32)[rng.integers(0, CLASSES, pool * args.batch_size)]
    bs = args.batch_size
    xs = [tf.constant(x_all[i * bs : (i + 1) * bs]) for i in range(pool)]
    ys = [tf.constant(y_all[i * bs : (i + 1) * bs]) for i in range(pool)]

    if args.train_mode == "train_on_batch":

        def train(n):
            for i in range(n):
                model.train_on_batch(xs[i % pool], ys[i % pool])  # returns numpy: synchronous

    else:
        # One repeated dataset for every call, so warm-up and timed calls run the same traced function.
        dataset = tf.data.Dataset.from_tensor_slices((x_all, y_all)).batch(bs).repeat()

        def train(n):
            model.fit(dataset, epochs=1, steps_per_epoch=n, verbose=0, shuffle=False)

    train_seconds = measure(train, args.warmup, args.batches, args.repeats)

    if args.eval_mode == "predict_on_batch":

        def evaluate(n):
            for i in range(n):
                model.predict_on_batch(xs[i % pool])  # returns numpy: synchronous

    else:
        forward = tf.function(lambda x: model(x, training=False), jit_compile=bool(model.jit_compile))

        def evaluate(n):
            for i in range(n):
                forward(xs[i % pool]).numpy()

    eval_seconds = measure(evaluate, args.warmup, args.batches, args.repeats)

    emit(
        f"keras-tf {keras.__version__}/{tf.__version__}",
        args,
        train_seconds,
        eval_seconds,
        {
            "train_path": args.train_mode,
            "eval_path": args.eval_mode,
            "xla": bool(model.jit_compile),
        },
    )


if __name__ == "__main__":
    main()
