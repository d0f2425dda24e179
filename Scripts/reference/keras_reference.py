#!/usr/bin/env python3
"""Golden values from Keras 3 (TensorFlow backend, float64) for the RNNEngine tests.

Builds tiny Sequential models with fixed, formula-defined weights and inputs, and prints
Swift source for Tests/RNNEngineTests/KerasReferenceValues.swift:

* `KerasReference`: per model the config, input x, labels, softmax probabilities, mean
  categorical cross-entropy, the gradient of the loss w.r.t. every trainable weight (in
  `model.trainable_weights` order, each in its Keras shape, row-major) and w.r.t. x.
* `KerasOptimizerReference`: three successive optimizer steps on one weight vector.
* `KerasMLPReference`: the book's MLP (Dense -> relu -> Dropout per hidden layer, then Dense ->
  softmax) on the same x flattened to [B, T*D]: the same forward values and gradients, plus the
  weights after each of three Adam training steps on that batch (a gradient at the current
  weights, then `apply_gradients`, three times).

Every Keras number is also recomputed by an independent NumPy implementation of the Keras
formulas (forward pass, central finite differences for gradients, optimizer updates) and
the script aborts if they disagree, so the generated file documents checked semantics.

Fixed values (both are rounded to the nearest float32 before use, so the Swift Float
literals are exactly what Keras saw and the only Swift-vs-Keras difference left is
float32 arithmetic):
  weight element k (index over the concatenation of all trainable weights, each flattened
  row-major in its Keras shape) = 0.5 * sin(0.37 * k + 1.0)
  x at flat index j of [B, T, D] (row-major)                = cos(0.23 * j + 0.5)

Usage (see Scripts/reference/README.md):
  /work/venv-peers/bin/python Scripts/reference/keras_reference.py \
      --output Tests/RNNEngineTests/KerasReferenceValues.swift
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["KERAS_BACKEND"] = "tensorflow"

import numpy as np  # noqa: E402

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from numpy_model import finite_difference, forward_loss, mlp_finite_difference, mlp_forward_loss  # noqa: E402
from numpy_model import mlp_gradients  # noqa: E402
from numpy_optimizers import numpy_optimizer_run, numpy_optimizer_steps  # noqa: E402
from swift_emit import emit_swift, splice  # noqa: E402

B, T, D, H, C = 2, 4, 3, 5, 3
LABELS = [0, 2]

def spec(cell, activation="tanh", reset_after=True, go_backwards=False, bidirectional=False, merge_mode=None):
    """One recurrent layer of a case's stack."""
    return dict(
        cell=cell,
        activation=activation,
        reset_after=reset_after,
        go_backwards=go_backwards,
        bidirectional=bidirectional,
        merge_mode=merge_mode,
    )


# (Swift identifier, case name, recurrent stack); all but the last layer of a stack return sequences.
CASES = [
    ("simpleRNNTanh", "simple_rnn_tanh", [spec("simple_rnn")]),
    ("simpleRNNRelu", "simple_rnn_relu", [spec("simple_rnn", activation="relu")]),
    ("lstm", "lstm", [spec("lstm")]),
    ("gruResetAfter", "gru_reset_after", [spec("gru", reset_after=True)]),
    ("gruResetBefore", "gru_reset_before", [spec("gru", reset_after=False)]),
    ("simpleRNNGoBackwards", "simple_rnn_go_backwards", [spec("simple_rnn", go_backwards=True)]),
    ("stackedLSTM", "stacked_lstm", [spec("lstm"), spec("lstm")]),
    ("bidirectionalGRUConcat", "bidirectional_gru_concat", [spec("gru", bidirectional=True, merge_mode="concat")]),
    (
        "bidirectionalSimpleRNNSum",
        "bidirectional_simple_rnn_sum",
        [spec("simple_rnn", bidirectional=True, merge_mode="sum")],
    ),
    ("bidirectionalLSTMMul", "bidirectional_lstm_mul", [spec("lstm", bidirectional=True, merge_mode="mul")]),
    ("stackedSimpleRNN", "stacked_simple_rnn", [spec("simple_rnn"), spec("simple_rnn")]),
]


def f32(values):
    """Round to float32 and back to float64 (exactly representable as Swift Float)."""
    return np.asarray(values, dtype=np.float64).astype(np.float32).astype(np.float64)


def keras_layer(s, return_sequences):
    if s["cell"] == "simple_rnn":
        layer = keras.layers.SimpleRNN(
            H, activation=s["activation"], go_backwards=s["go_backwards"], return_sequences=return_sequences
        )
    elif s["cell"] == "lstm":
        layer = keras.layers.LSTM(
            H, activation=s["activation"], go_backwards=s["go_backwards"], return_sequences=return_sequences
        )
    else:
        layer = keras.layers.GRU(
            H,
            activation=s["activation"],
            reset_after=s["reset_after"],
            go_backwards=s["go_backwards"],
            return_sequences=return_sequences,
        )
    if s["bidirectional"]:
        layer = keras.layers.Bidirectional(layer, merge_mode=s["merge_mode"])
    return layer


def build_model(stack):
    keras.backend.clear_session()  # stable default layer names ("simple_rnn", "dense", ...)
    layers = [keras.Input((T, D))]
    for i, s in enumerate(stack):
        layers.append(keras_layer(s, return_sequences=i < len(stack) - 1))
    layers += [keras.layers.Dense(C), keras.layers.Activation("softmax")]
    return keras.Sequential(layers)


def fixed_weights(model):
    sizes = [int(np.prod(w.shape)) for w in model.trainable_weights]
    k = np.arange(sum(sizes), dtype=np.float64)
    flat = f32(0.5 * np.sin(0.37 * k + 1.0))
    values, offset = [], 0
    for w, n in zip(model.trainable_weights, sizes):
        values.append(flat[offset : offset + n].reshape(tuple(w.shape)))
        offset += n
    return values


def fixed_input():
    j = np.arange(B * T * D, dtype=np.float64)
    return f32(np.cos(0.23 * j + 0.5)).reshape(B, T, D)


def keras_case(ident, name, stack):
    model = build_model(stack)
    weights = fixed_weights(model)
    for var, value in zip(model.trainable_weights, weights):
        var.assign(value)
    x_np = fixed_input()
    y = keras.utils.to_categorical(LABELS, C).astype(np.float64)
    x = tf.constant(x_np, dtype=tf.float64)
    loss_fn = keras.losses.CategoricalCrossentropy()
    with tf.GradientTape() as tape:
        tape.watch(x)
        probs = model(x, training=False)
        loss = loss_fn(y, probs)
    grads = tape.gradient(loss, list(model.trainable_weights) + [x])
    case = dict(
        ident=ident,
        name=name,
        stack=stack,
        weight_names=[w.path for w in model.trainable_weights],
        weights=weights,
        x=x_np,
        probs=probs.numpy(),
        loss=float(loss.numpy()),
        weight_grads=[g.numpy() for g in grads[:-1]],
        x_grad=grads[-1].numpy(),
    )
    check_against_numpy(case, y)
    return case


def check_against_numpy(case, y):
    """Abort unless an independent NumPy implementation reproduces Keras."""
    stack, weights, x = case["stack"], case["weights"], case["x"]
    probs, loss = forward_loss(stack, weights, x, y)
    assert np.max(np.abs(probs - case["probs"])) < 1e-12, (case["name"], "probabilities differ")
    assert abs(loss - case["loss"]) < 1e-12, (case["name"], "loss differs")
    w_fd, x_fd = finite_difference(stack, weights, x, y)
    for name, g_keras, g_fd in zip(case["weight_names"], case["weight_grads"], w_fd):
        err = np.max(np.abs(g_keras - g_fd))
        assert err < 1e-8, (case["name"], name, "gradient differs from finite differences", err)
    assert np.max(np.abs(case["x_grad"] - x_fd)) < 1e-8, (case["name"], "input gradient differs")


# (Swift identifier, case name, hidden layers, dropout rate). The Dropout layers are in the model, as in
# the book, but inactive: values and gradients are taken with training=False (masks are random).
MLP_CASES = [("mlp", "mlp", 2, 0.45)]
# The training steps of the MLP case: Adam with a learning rate large enough for the steps to move the
# gradients (the explicit hyper-parameters are Keras's defaults spelled out).
MLP_OPTIMIZER = (
    "Adam(learning_rate=0.01)",
    lambda: keras.optimizers.Adam(learning_rate=0.01),
    dict(kind="adam", learningRate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-7),
)
MLP_STEPS = 3


def build_mlp(layers, dropout):
    keras.backend.clear_session()  # stable default layer names ("dense", "dense_1", ...)
    stack = [keras.Input((T * D,))]
    for _ in range(layers):
        stack += [keras.layers.Dense(H), keras.layers.Activation("relu"), keras.layers.Dropout(dropout)]
    stack += [keras.layers.Dense(C), keras.layers.Activation("softmax")]
    return keras.Sequential(stack)


def keras_mlp_case(ident, name, layers, dropout):
    model = build_mlp(layers, dropout)
    weights = fixed_weights(model)
    for var, value in zip(model.trainable_weights, weights):
        var.assign(value)
    x_np = fixed_input()
    x_flat = x_np.reshape(B, T * D)  # row-major: index t*D + d, as the book's reshape(-1, 784)
    y = keras.utils.to_categorical(LABELS, C).astype(np.float64)
    loss_fn = keras.losses.CategoricalCrossentropy()

    def loss_and_gradients(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            probs = model(x, training=False)
            loss = loss_fn(y, probs)
        return probs, loss, tape.gradient(loss, list(model.trainable_weights) + [x])

    probs, loss, grads = loss_and_gradients(tf.constant(x_flat, dtype=tf.float64))
    description, make, params = MLP_OPTIMIZER
    optimizer = make()
    steps = []
    for _ in range(MLP_STEPS):
        _, _, g = loss_and_gradients(tf.constant(x_flat, dtype=tf.float64))
        optimizer.apply_gradients(zip(g[:-1], model.trainable_weights))
        steps.append(np.concatenate([np.ravel(w.numpy()) for w in model.trainable_weights]))
    case = dict(
        ident=ident,
        name=name,
        layers=layers,
        dropout=dropout,
        weight_names=[w.path for w in model.trainable_weights],
        weights=weights,
        x=x_np,
        probs=probs.numpy(),
        loss=float(loss.numpy()),
        weight_grads=[g.numpy() for g in grads[:-1]],
        x_grad=grads[-1].numpy().reshape(B, T, D),
        optimizer=description,
        optimizer_params=params,
        steps=steps,
    )
    check_mlp_against_numpy(case, x_flat, y)
    return case


def check_mlp_against_numpy(case, x_flat, y):
    """Abort unless the NumPy MLP reproduces Keras: forward, hand-written gradients, finite
    differences of those, and the three optimizer steps taken with the NumPy gradients."""
    weights = case["weights"]
    probs, loss = mlp_forward_loss(weights, x_flat, y)
    assert np.max(np.abs(probs - case["probs"])) < 1e-12, (case["name"], "probabilities differ")
    assert abs(loss - case["loss"]) < 1e-12, (case["name"], "loss differs")
    w_np, x_np = mlp_gradients(weights, x_flat, y)
    w_fd, x_fd = mlp_finite_difference(weights, x_flat, y)
    for name, g_keras, g_np, g_fd in zip(case["weight_names"], case["weight_grads"], w_np, w_fd):
        assert np.max(np.abs(g_keras - g_np)) < 1e-12, (case["name"], name, "gradient differs from NumPy")
        assert np.max(np.abs(g_np - g_fd)) < 1e-8, (case["name"], name, "gradient differs from finite differences")
    assert np.max(np.abs(case["x_grad"].reshape(x_np.shape) - x_np)) < 1e-12, (case["name"], "input gradient")
    assert np.max(np.abs(x_np - x_fd)) < 1e-8, (case["name"], "input gradient differs from finite differences")
    shapes = [w.shape for w in weights]
    sizes = [int(np.prod(s)) for s in shapes]

    def unflatten(flat):
        parts = np.split(flat, np.cumsum(sizes)[:-1])
        return [p.reshape(s) for p, s in zip(parts, shapes)]

    def gradient_at(flat, _):
        return np.concatenate([np.ravel(g) for g in mlp_gradients(unflatten(flat), x_flat, y)[0]])

    w0 = np.concatenate([np.ravel(w) for w in weights])
    expected = numpy_optimizer_run(case["optimizer_params"], w0, gradient_at, MLP_STEPS)
    for k, (got, want) in enumerate(zip(case["steps"], expected)):
        assert np.max(np.abs(got - want)) < 1e-12, (case["name"], "training step", k + 1, np.max(np.abs(got - want)))


OPTIMIZER_W0 = [0.5, -1.0, 2.0]
OPTIMIZER_GRADS = [[0.1, -0.2, 0.3], [-0.05, 0.4, 0.01], [0.3, 0.3, -0.3]]

# (swift identifier, description, Keras constructor, explicit hyper-parameters). The explicit
# values are the Keras defaults spelled out so the Swift side needs no knowledge of them.
OPTIMIZERS = [
    ("sgdDefaults", "SGD()", lambda: keras.optimizers.SGD(), dict(kind="sgd", learningRate=0.01)),
    (
        "sgdMomentum",
        "SGD(learning_rate=0.1, momentum=0.9)",
        lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
        dict(kind="sgd", learningRate=0.1, momentum=0.9),
    ),
    (
        "sgdNesterov",
        "SGD(learning_rate=0.1, momentum=0.9, nesterov=True)",
        lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
        dict(kind="sgd", learningRate=0.1, momentum=0.9, nesterov=True),
    ),
    (
        "rmspropDefaults",
        "RMSprop()",
        lambda: keras.optimizers.RMSprop(),
        dict(kind="rmsprop", learningRate=0.001, rho=0.9, epsilon=1e-7),
    ),
    (
        "adamDefaults",
        "Adam()",
        lambda: keras.optimizers.Adam(),
        dict(kind="adam", learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-7),
    ),
    (
        "adamClipnorm",
        "Adam(learning_rate=0.01, clipnorm=0.25)",
        lambda: keras.optimizers.Adam(learning_rate=0.01, clipnorm=0.25),
        dict(kind="adam", learningRate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-7, clipnorm=0.25),
    ),
]


def keras_optimizer_case(ident, description, make, params):
    optimizer = make()
    var = keras.Variable(np.array(OPTIMIZER_W0, dtype=np.float64), dtype="float64")
    steps = []
    for g in OPTIMIZER_GRADS:
        optimizer.apply_gradients([(tf.constant(g, dtype=tf.float64), var)])
        steps.append(np.array(var.numpy(), dtype=np.float64))
    expected = numpy_optimizer_steps(params, OPTIMIZER_W0, OPTIMIZER_GRADS)
    for k, (got, want) in enumerate(zip(steps, expected)):
        assert np.max(np.abs(got - want)) < 1e-15, (description, "step", k + 1, got - want)
    return dict(
        ident=ident, description=description, params=params, w0=OPTIMIZER_W0, grads=OPTIMIZER_GRADS, steps=steps
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", help="Swift file to rewrite between the markers (default: stdout)")
    args = parser.parse_args()

    keras.config.set_floatx("float64")
    cases = [keras_case(*c) for c in CASES]
    optimizers = [keras_optimizer_case(*o) for o in OPTIMIZERS]
    mlps = [keras_mlp_case(*m) for m in MLP_CASES]
    versions = dict(keras=keras.__version__, tensorflow=tf.__version__, numpy=np.__version__)
    body = emit_swift(cases, optimizers, versions, dict(B=B, T=T, D=D, H=H, C=C, labels=LABELS), mlps)
    if args.output is None:
        sys.stdout.write(body)
    else:
        existing = open(args.output).read() if os.path.exists(args.output) else None
        with open(args.output, "w") as f:
            f.write(splice(existing, body))
        print(
            f"wrote {args.output}: {len(cases)} model cases, {len(optimizers)} optimizer cases, {len(mlps)} MLP cases",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
