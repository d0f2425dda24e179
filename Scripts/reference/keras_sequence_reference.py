#!/usr/bin/env python3
"""Golden values from Keras 3 (TensorFlow backend, float64) for masked sequences, embeddings and regression.

Writes Tests/RNNEngineTests/KerasSequenceReferenceValues.swift:

* `KerasSequenceReference`: tiny Sequential models whose input is padded: `Masking(0.0)` over
  values [B, T, D], or `Embedding(V, E, mask_zero=True)` over token ids [B, T] (padding id 0), or
  padded values without a mask; a recurrent stack (plain, go_backwards, stacked, Bidirectional in
  every merge mode); and a classification head (Dense(C) + softmax, mean categorical cross-entropy)
  or a regression head (linear Dense(k), Keras mean_squared_error, metrics MAE and RMSE). Per model:
  the config, input, labels or targets, outputs, loss, metrics, the gradient of the loss w.r.t. every
  trainable weight (and w.r.t. x for values input) and, for the token and regression cases, the
  weights after each of three Adam training steps on that batch. One more token run alternates two
  batches, so that embedding rows used by one batch and not by the next show how Adam updates them.
  Four more token cases train embedding_lstm_post's model with RMSprop, SGD with momentum, Adam with clipnorm
  and SGD with Nesterov momentum, to pin down how each treats the Embedding's tf.IndexedSlices gradient (the
  rules are written above the CLIPNORM constant and in Scripts/reference/README.md).
* `KerasParameterCountReference`: `count_params()` and the `summary()` rows of two larger models.

Every Keras number is recomputed by the independent NumPy implementation in numpy_sequence_model.py
(forward to 1e-12; gradients by the complex step to 1e-12 and by central finite differences to 1e-8;
training steps replayed with numpy_optimizers.py to 1e-12), and also by Keras's own compiled path
(`evaluate`, `train_on_batch`); the script aborts on any disagreement.

Fixed values (rounded to the nearest float32, so the Swift Float literals are exactly what Keras saw):
  weight element k of the concatenated trainable weights (Keras order, row-major) = 0.5 * sin(0.37 * k + 1.0)
  x at flat index j of [B, T, D] = cos(0.23 * j + 0.5) at real steps, 0 at padded steps
  regression target at flat index i of [B, k] = 0.8 * sin(0.9 * i + 0.2)
Token ids are the literal lists below.

Usage (see Scripts/reference/README.md):
  /work/venv-peers/bin/python Scripts/reference/keras_sequence_reference.py \
      --output Tests/RNNEngineTests/KerasSequenceReferenceValues.swift
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["KERAS_BACKEND"] = "tensorflow"

import numpy as np  # noqa: E402

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

import numpy_sequence_model as nsm  # noqa: E402
from keras_reference import f32, fixed_weights  # noqa: E402  (the same formulas as the recurrent cases)
from numpy_optimizers import Slices, numpy_adam_run, numpy_keras_run, numpy_optimizer_run  # noqa: E402
from swift_emit import splice  # noqa: E402
from swift_sequence_emit import BEGIN, END, emit_swift  # noqa: E402

B, T, D, H, C = 3, 5, 3, 4, 3
LABELS = [0, 2, 1]
V, E = 9, 3  # vocabulary (ids 0..8, 0 = padding) and embedding width

# Token ids [B, T]. Every batch leaves row 7 unused; TOKENS_PRE also leaves row 3 unused.
TOKENS_POST = [[3, 1, 4, 1, 5], [2, 6, 5, 0, 0], [8, 0, 0, 0, 0]]
TOKENS_PRE = [[0, 0, 0, 4, 2], [5, 1, 5, 8, 1], [0, 0, 6, 2, 6]]
# The second batch of the alternating run: rows 1, 3, 4 and 8 of TOKENS_POST are not in it.
TOKENS_OTHER = [[2, 6, 6, 0, 0], [5, 2, 0, 0, 0], [6, 5, 2, 6, 0]]
LABELS_OTHER = [1, 0, 2]

STEPS = 3
OPTIMIZER = (
    "Adam(learning_rate=0.01)",
    lambda: keras.optimizers.Adam(learning_rate=0.01),
    dict(kind="adam", learningRate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-7),
)

# The optimizer cases: embedding_lstm_post's model and batch (ids 1 and 5 repeat in the batch, row 7 is never
# gathered), three steps with another optimizer each. What Keras 3.15.1 (TensorFlow backend) does with the
# Embedding's gradient, a tf.IndexedSlices with one slice g_i per gathered id (checked below against
# numpy_optimizers.numpy_keras_run, and against the what-ifs it would be if Keras densified first):
# - RMSprop: for a row gathered n times, v <- rho v + (1 - rho) sum_i g_i^2 (sum of squares, as Adam's v), and
#   the row moves by lr (sum_i g_i) / sqrt(v + eps).
# - SGD with momentum, plain or Nesterov: the velocity gets the summed gradient, m <- mu m - lr sum_i g_i; SGD is
#   exactly dense SGD on the summed gradient (no twist).
# - clipnorm: the norm is that of the slices, sqrt(sum over all slices of g_i^2) (n squares for a row gathered n
#   times, not the norm of the summed gradient); each slice is scaled by clipnorm / max(norm, clipnorm) BEFORE the
#   optimizer, so Adam's m gets c sum_i g_i and v gets c^2 sum_i g_i^2. Every other weight is clipped on its own.
CLIPNORM = 0.02  # below the slices' norm (~0.029) in all three steps, above the summed gradient's norm (<= 0.016)
RMSPROP = (
    "RMSprop(learning_rate=0.01)",
    lambda: keras.optimizers.RMSprop(learning_rate=0.01),
    dict(kind="rmsprop", learningRate=0.01, rho=0.9, epsilon=1e-7),
)
SGD_MOMENTUM = (
    "SGD(learning_rate=0.1, momentum=0.9)",
    lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
    dict(kind="sgd", learningRate=0.1, momentum=0.9),
)
ADAM_CLIPNORM = (
    f"Adam(learning_rate=0.01, clipnorm={CLIPNORM})",
    lambda: keras.optimizers.Adam(learning_rate=0.01, clipnorm=CLIPNORM),
    dict(kind="adam", learningRate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-7, clipnorm=CLIPNORM),
)
NESTEROV = (
    "SGD(learning_rate=0.1, momentum=0.9, nesterov=True)",
    lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
    dict(kind="sgd", learningRate=0.1, momentum=0.9, nesterov=True),
)


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


def case(
    ident, name, what, stack, layers=1, *, input="values", mask="zeros", padding="post", lengths=(5, 3, 2),
    task="classification", outputs=C, targets_vector=True, ids=None, train=False, optimizer=OPTIMIZER,
):
    """A case: the recurrent stack is `layers` copies of `stack` (all but the last return sequences). For tokens
    the lengths come from the ids."""
    if ids is not None:
        lengths = [sum(1 for v in row if v != 0) for row in ids]
    return dict(
        ident=ident,
        name=name,
        what=what,
        stack=[dict(stack) for _ in range(layers)],
        input=input,
        mask=mask,
        padding=padding,
        lengths=list(lengths),
        task=task,
        outputs=outputs,
        targets_vector=targets_vector,
        ids=ids,
        train=train,
        opt=optimizer,
    )


FULL = (5, 5, 5)
CASES = [
    case("maskedSimpleRNNPost", "masked_simple_rnn_post", "Masking + SimpleRNN(tanh), post-padded",
         spec("simple_rnn")),
    case("maskedSimpleRNNPreRelu", "masked_simple_rnn_pre_relu", "Masking + SimpleRNN(relu), pre-padded",
         spec("simple_rnn", activation="relu"), padding="pre", lengths=(5, 2, 4)),
    case("maskedLSTMPost", "masked_lstm_post", "Masking + LSTM, post-padded", spec("lstm")),
    case("maskedLSTMPre", "masked_lstm_pre", "Masking + LSTM, pre-padded", spec("lstm"), padding="pre",
         lengths=(5, 2, 4)),
    case("maskedGRUResetAfterPost", "masked_gru_reset_after_post", "Masking + GRU(reset_after=True), post-padded",
         spec("gru")),
    case("maskedGRUResetAfterPre", "masked_gru_reset_after_pre", "Masking + GRU(reset_after=True), pre-padded",
         spec("gru"), padding="pre", lengths=(5, 2, 4)),
    case("maskedGRUResetBeforeLengthOne", "masked_gru_reset_before_length_one",
         "Masking + GRU(reset_after=False), post-padded, one sequence of length 1",
         spec("gru", reset_after=False), lengths=(5, 1, 3)),
    case("maskedStackedLSTM", "masked_stacked_lstm",
         "Masking + LSTM(return_sequences) + LSTM, post-padded: layer 2 gets layer 1's carried outputs and the mask",
         spec("lstm"), layers=2),
    case("maskedStackedSimpleRNNGoBackwards", "masked_stacked_simple_rnn_go_backwards",
         "Masking + 2 SimpleRNN(go_backwards), post-padded: layer 2 gets layer 1's reversed outputs "
         "under the unreversed mask", spec("simple_rnn", go_backwards=True), layers=2),
    case("maskedGRUGoBackwards", "masked_gru_go_backwards", "Masking + GRU(go_backwards), post-padded",
         spec("gru", go_backwards=True)),
    case("maskedBidirectionalLSTMConcat", "masked_bidirectional_lstm_concat",
         "Masking + 2 Bidirectional(LSTM, concat), post-padded",
         spec("lstm", bidirectional=True, merge_mode="concat"), layers=2),
    case("maskedBidirectionalGRUSum", "masked_bidirectional_gru_sum",
         "Masking + 2 Bidirectional(GRU, sum), pre-padded",
         spec("gru", bidirectional=True, merge_mode="sum"), layers=2, padding="pre", lengths=(5, 2, 4)),
    case("maskedBidirectionalSimpleRNNAve", "masked_bidirectional_simple_rnn_ave",
         "Masking + 2 Bidirectional(SimpleRNN, ave), post-padded, one sequence of length 1",
         spec("simple_rnn", bidirectional=True, merge_mode="ave"), layers=2, lengths=(5, 1, 3)),
    case("maskedBidirectionalGRUResetBeforeMul", "masked_bidirectional_gru_reset_before_mul",
         "Masking + 2 Bidirectional(GRU(reset_after=False), mul), pre-padded",
         spec("gru", reset_after=False, bidirectional=True, merge_mode="mul"), layers=2, padding="pre",
         lengths=(5, 2, 4)),
    case("unmaskedLSTMPost", "unmasked_lstm_post",
         "LSTM without Masking on the padded x of masked_lstm_post: the zero steps count",
         spec("lstm"), mask="none"),
    case("embeddingLSTMPost", "embedding_lstm_post", "Embedding(mask_zero=True) + LSTM, post-padded ids",
         spec("lstm"), input="tokens", ids=TOKENS_POST, train=True),
    case("embeddingBidirectionalGRUPre", "embedding_bidirectional_gru_pre",
         "Embedding(mask_zero=True) + Bidirectional(GRU, concat), pre-padded ids",
         spec("gru", bidirectional=True, merge_mode="concat"), input="tokens", padding="pre", ids=TOKENS_PRE,
         train=True),
    case("regressionSimpleRNN", "regression_simple_rnn", "SimpleRNN + Dense(1), y given as [B], no padding",
         spec("simple_rnn"), mask="none", padding=None, lengths=FULL, task="regression", outputs=1,
         targets_vector=False, train=True),
    case("regressionGRU", "regression_gru", "GRU + Dense(2), y [B, 2], no padding", spec("gru"), mask="none",
         padding=None, lengths=FULL, task="regression", outputs=2, train=True),
    case("regressionMaskedLSTM", "regression_masked_lstm", "Masking + LSTM + Dense(3), y [B, 3], pre-padded",
         spec("lstm"), padding="pre", lengths=(5, 2, 4), task="regression", outputs=3, train=True),
    case("embeddingLSTMRMSprop", "embedding_lstm_rmsprop",
         "embedding_lstm_post trained with RMSprop: v gets the sum of the squared slices of a repeated id",
         spec("lstm"), input="tokens", ids=TOKENS_POST, train=True, optimizer=RMSPROP),
    case("embeddingLSTMSGDMomentum", "embedding_lstm_sgd_momentum",
         "embedding_lstm_post trained with SGD and momentum: the velocity gets the summed gradient",
         spec("lstm"), input="tokens", ids=TOKENS_POST, train=True, optimizer=SGD_MOMENTUM),
    case("embeddingLSTMAdamClipnorm", "embedding_lstm_adam_clipnorm",
         "embedding_lstm_post trained with Adam and clipnorm: the Embedding's norm is that of its slices",
         spec("lstm"), input="tokens", ids=TOKENS_POST, train=True, optimizer=ADAM_CLIPNORM),
    case("embeddingLSTMNesterov", "embedding_lstm_nesterov",
         "embedding_lstm_post trained with SGD and Nesterov momentum",
         spec("lstm"), input="tokens", ids=TOKENS_POST, train=True, optimizer=NESTEROV),
]

# The parameter-count models: (Swift identifier, description, builder).
PARAMETER_MODELS = [
    (
        "embeddingLSTM",
        "Sequential([Input((200,), dtype=\"int32\"), Embedding(20000, 128, mask_zero=True), LSTM(128), Dense(2), "
        "Activation(\"softmax\")])",
        lambda: [
            keras.Input((200,), dtype="int32"),
            keras.layers.Embedding(20000, 128, mask_zero=True),
            keras.layers.LSTM(128),
            keras.layers.Dense(2),
            keras.layers.Activation("softmax"),
        ],
    ),
    (
        "regression",
        "Sequential([Input((29, 12)), Masking(0.0), GRU(64), Dense(3)])",
        lambda: [keras.Input((29, 12)), keras.layers.Masking(0.0), keras.layers.GRU(64), keras.layers.Dense(3)],
    ),
]


def real_steps(c):
    """[B, T] bool: which steps hold data (from the lengths and the padding side, or from the ids)."""
    if c["input"] == "tokens":
        return np.asarray(c["ids"]) != 0
    real = np.zeros((B, T), dtype=bool)
    for b, n in enumerate(c["lengths"]):
        if c["padding"] == "pre":
            real[b, T - n :] = True
        else:
            real[b, :n] = True
    return real


def case_input(c):
    """Values [B, T, D] (zeros at padded steps) or ids [B, T] (as int64)."""
    if c["input"] == "tokens":
        ids = np.asarray(c["ids"], dtype=np.int64)
        assert ids.shape == (B, T) and ids.min() >= 0 and ids.max() < V
        return ids
    j = np.arange(B * T * D, dtype=np.float64)
    x = f32(np.cos(0.23 * j + 0.5)).reshape(B, T, D)
    real = real_steps(c)
    x[~real] = 0.0
    assert np.all(np.any(x != 0.0, axis=-1) == real), (c["name"], "a real step is all zeros")
    return x


def case_targets(c):
    """Regression targets [B, k]; for a y given as [B] (k = 1) Keras sees them reshaped to [B]."""
    i = np.arange(B * c["outputs"], dtype=np.float64)
    return f32(0.8 * np.sin(0.9 * i + 0.2)).reshape(B, c["outputs"])


def keras_layer(s, return_sequences):
    common = dict(activation=s["activation"], go_backwards=s["go_backwards"], return_sequences=return_sequences)
    if s["cell"] == "simple_rnn":
        layer = keras.layers.SimpleRNN(H, **common)
    elif s["cell"] == "lstm":
        layer = keras.layers.LSTM(H, **common)
    else:
        layer = keras.layers.GRU(H, reset_after=s["reset_after"], **common)
    if s["bidirectional"]:
        layer = keras.layers.Bidirectional(layer, merge_mode=s["merge_mode"])
    return layer


def build_model(c):
    keras.backend.clear_session()  # stable default layer names
    if c["input"] == "tokens":
        layers = [keras.Input((T,), dtype="int32"), keras.layers.Embedding(V, E, mask_zero=True)]
    else:
        layers = [keras.Input((T, D))]
        if c["mask"] == "zeros":
            layers.append(keras.layers.Masking(mask_value=0.0))
    for i, s in enumerate(c["stack"]):
        layers.append(keras_layer(s, return_sequences=i < len(c["stack"]) - 1))
    if c["task"] == "classification":
        layers += [keras.layers.Dense(c["outputs"]), keras.layers.Activation("softmax")]
    else:
        layers.append(keras.layers.Dense(c["outputs"]))
    return keras.Sequential(layers)


def dense(g):
    """An Embedding's gradient comes as tf.IndexedSlices (rows gathered, duplicates not yet summed)."""
    return tf.convert_to_tensor(g).numpy()


def flat(arrays):
    return np.concatenate([np.ravel(a) for a in arrays])


class KerasRun:
    """One case's model in Keras with its batch; loss, gradients and training steps."""

    def __init__(self, c, x, y_keras):
        self.c = c
        self.model = build_model(c)
        self.weights = fixed_weights(self.model)
        self.reset()
        self.x = x
        self.y = y_keras
        self.loss_fn = (
            keras.losses.CategoricalCrossentropy() if c["task"] == "classification" else keras.losses.MeanSquaredError()
        )

    def reset(self):
        for var, value in zip(self.model.trainable_weights, self.weights):
            var.assign(value)

    def tensor(self, x):
        return tf.constant(x, dtype=tf.int32 if self.c["input"] == "tokens" else tf.float64)

    def loss_and_gradients(self, x=None, y=None):
        x = self.tensor(self.x if x is None else x)
        y = tf.constant(self.y if y is None else y, dtype=tf.float64)
        values = self.c["input"] == "values"
        with tf.GradientTape() as tape:
            if values:
                tape.watch(x)
            out = self.model(x, training=False)
            loss = self.loss_fn(y, out)
        grads = tape.gradient(loss, list(self.model.trainable_weights) + ([x] if values else []))
        return out.numpy(), float(loss.numpy()), grads

    def train(self, batches):
        """A fresh optimizer (the case's): per (x, y) batch, the gradient at the current weights, then
        apply_gradients. Records the norms of each step's Embedding gradient (slices and summed) in `norms`."""
        self.reset()
        optimizer = self.c["opt"][1]()
        steps = []
        self.norms = []
        for x, y in batches:
            _, _, g = self.loss_and_gradients(x, y)
            if isinstance(g[0], tf.IndexedSlices):
                slices = float(np.sqrt(np.sum(g[0].values.numpy() ** 2)))
                self.norms.append(dict(slices=slices, dense=float(np.linalg.norm(dense(g[0])))))
            optimizer.apply_gradients(zip(g[: len(self.weights)], self.model.trainable_weights))
            steps.append(flat([w.numpy() for w in self.model.trainable_weights]))
        self.reset()
        return steps


def compiled_check(c, run, loss, metrics):
    """Keras's compiled path must agree with the hand-called loss and metrics: `evaluate` on the batch
    (metrics "accuracy", or "mae" and RootMeanSquaredError(), as a user would compile them)."""
    model = run.model
    names = ["accuracy"] if c["task"] == "classification" else ["mae", keras.metrics.RootMeanSquaredError()]
    loss_name = "categorical_crossentropy" if c["task"] == "classification" else "mean_squared_error"
    model.compile(optimizer=OPTIMIZER[1](), loss=loss_name, metrics=names, jit_compile=False)
    run.reset()
    got = model.evaluate(run.x, run.y, batch_size=B, verbose=0, return_dict=True)
    keys = dict(accuracy="accuracy", mae="mae", rmse="root_mean_squared_error")
    assert abs(got["loss"] - loss) < 1e-12, (c["name"], "evaluate loss", got, loss)
    for k, v in metrics.items():
        assert abs(got[keys[k]] - v) < 1e-12, (c["name"], "evaluate", k, got, v)


def moments(c, weights, x, y):
    """(g, s) of numpy_optimizers.numpy_adam_run at these weights: the gradient, flat, and what Keras's Adam
    feeds v: g * g, except for an Embedding, whose gradient is tf.IndexedSlices with one slice per gathered id;
    Keras squares those slices one by one, so a row gathered n times gets the sum of n squares."""
    y = y_numpy(c, y)
    g_list, _ = nsm.complex_step_gradients(c, weights, x, y, x_grad=False)
    g = flat(g_list)
    s = g * g
    if c["input"] == "tokens":
        occurrences = nsm.embedding_occurrence_gradients(c, weights, x, y)
        table, squares = np.zeros((V, E)), np.zeros((V, E))
        np.add.at(table, x, occurrences)
        np.add.at(squares, x, occurrences**2)
        assert np.max(np.abs(table - g_list[0])) < 1e-15, (c["name"], "occurrence gradients do not add up")
        s[: V * E] = squares.ravel()
    return g, s


def slices_gradients(c, weights, x, y):
    """The gradients as Keras's optimizer gets them, for numpy_optimizers.numpy_keras_run: complex-step gradients,
    the Embedding's as Slices, one per position of the ids (row-major, padding included: tf.IndexedSlices order)."""
    y = y_numpy(c, y)
    grads, _ = nsm.complex_step_gradients(c, weights, x, y, x_grad=False)
    if c["input"] == "tokens":
        occurrences = nsm.embedding_occurrence_gradients(c, weights, x, y)
        grads[0] = Slices(np.ravel(x), occurrences.reshape(-1, E), V)
    return grads


def check_steps(c, run, keras_steps, batches, label):
    """NumPy replay (complex-step gradients + numpy_optimizers) and Keras train_on_batch must agree.
    Returns how far the replay would be off if v followed the square of the summed embedding gradient (Adam
    without clipnorm); the what-ifs of the other optimizers go to `run.what_ifs`."""
    shapes = [w.shape for w in run.weights]
    sizes = [int(np.prod(s)) for s in shapes]
    params = c["opt"][2]

    def unflatten(v):
        return [p.reshape(s) for p, s in zip(np.split(v, np.cumsum(sizes)[:-1]), shapes)]

    def moments_at(w, t):
        x, y = batches[t - 1]
        return moments(c, unflatten(w), x, y)

    def off_by(steps):
        return max(float(np.max(np.abs(got - want))) for got, want in zip(keras_steps, steps))

    squares_of_sums = None
    if c["opt"] is OPTIMIZER:
        expected = numpy_adam_run(OPTIMIZER[2], flat(run.weights), moments_at, len(batches))
        for k, (got, want) in enumerate(zip(keras_steps, expected)):
            err = np.max(np.abs(got - want))
            assert err < 1e-12, (c["name"], label, "NumPy training step", k + 1, err)
        plain = numpy_optimizer_run(OPTIMIZER[2], flat(run.weights), lambda w, t: moments_at(w, t)[0], len(batches))
        squares_of_sums = max(np.max(np.abs(got - want)) for got, want in zip(keras_steps, plain))
        if c["input"] == "values":
            assert squares_of_sums < 1e-12, (c["name"], label, "numpy_optimizer_run disagrees", squares_of_sums)

    # Every case, also with numpy_keras_run (slices as Keras gets them, each optimizer's rule for them).
    def replay(p=params, **what_if):
        def gradients_at(ws, t):
            x, y = batches[t - 1]
            return slices_gradients(c, ws, x, y)

        return [flat(ws) for ws in numpy_keras_run(p, run.weights, gradients_at, len(batches), **what_if)]

    for k, (got, want) in enumerate(zip(keras_steps, replay())):
        err = np.max(np.abs(got - want))
        assert err < 1e-12, (c["name"], label, "numpy_keras_run training step", k + 1, err)
    run.what_ifs = {}
    if c["opt"] is not OPTIMIZER and c["input"] == "tokens":
        # What Keras would give if it densified the Embedding gradient first: each of these must be visibly off.
        if params["kind"] in ("rmsprop", "adam"):
            run.what_ifs["v from (sum g)^2"] = off_by(replay(square="dense"))
        if params.get("clipnorm") is not None:
            run.what_ifs["norm of the summed gradient"] = off_by(replay(norm_of="dense"))
            run.what_ifs["no clipnorm"] = off_by(replay(p={k: v for k, v in params.items() if k != "clipnorm"}))
        for what, diff in run.what_ifs.items():
            assert diff > 1e-6, (c["name"], label, "the steps do not tell Keras from the what-if", what, diff)
        if params["kind"] == "sgd":
            # SGD has no twist: dense SGD on the summed gradient gives the same steps.
            dense_sgd = numpy_optimizer_run(params, flat(run.weights), lambda w, t: moments_at(w, t)[0], len(batches))
            assert off_by(dense_sgd) < 1e-12, (c["name"], label, "dense SGD differs", off_by(dense_sgd))
    # The same steps through model.train_on_batch (a compiled train_step, as fit runs it).
    model = run.model
    model.compile(
        optimizer=c["opt"][1](),
        loss="categorical_crossentropy" if c["task"] == "classification" else "mean_squared_error",
        jit_compile=False,
    )
    run.reset()
    for k, (x, y) in enumerate(batches):
        model.train_on_batch(x, y)
        err = np.max(np.abs(flat([w.numpy() for w in model.trainable_weights]) - keras_steps[k]))
        assert err < 1e-12, (c["name"], label, "train_on_batch step", k + 1, err)
    run.reset()
    return squares_of_sums


def y_numpy(c, y):
    """The NumPy model always takes [B, C] one-hot or [B, k] targets."""
    y = np.asarray(y, dtype=np.float64)
    return y.reshape(B, -1)


def keras_case(c):
    x = case_input(c)
    real = real_steps(c)
    if c["task"] == "classification":
        y = keras.utils.to_categorical(LABELS, c["outputs"]).astype(np.float64)
        y_keras = y
        targets = None
    else:
        targets = case_targets(c)
        y = targets
        y_keras = targets.reshape(B) if not c["targets_vector"] else targets
        assert c["targets_vector"] or c["outputs"] == 1
    run = KerasRun(c, x, y_keras)
    outputs, loss, grads = run.loss_and_gradients()
    n = len(run.weights)
    weight_grads = [dense(g) for g in grads[:n]]
    x_grad = grads[n].numpy() if c["input"] == "values" else None
    if c["input"] == "tokens":
        # TensorFlow's gradient of the gather: one slice per position, in ids order, padding included.
        assert isinstance(grads[0], tf.IndexedSlices), type(grads[0])
        assert np.array_equal(grads[0].indices.numpy(), x.ravel()), grads[0].indices
        occurrences = nsm.embedding_occurrence_gradients(c, run.weights, x, y_numpy(c, y_keras))
        err = np.max(np.abs(grads[0].values.numpy() - occurrences.reshape(-1, E)))
        assert err < 1e-12, (c["name"], "IndexedSlices values differ from the NumPy occurrence gradients", err)
    if c["task"] == "classification":
        m = keras.metrics.CategoricalAccuracy()
        m.update_state(y, outputs)
        metrics = dict(accuracy=float(m.result().numpy()))
    else:
        mae = keras.metrics.MeanAbsoluteError()
        mae.update_state(y_keras, outputs)
        rmse = keras.metrics.RootMeanSquaredError()
        rmse.update_state(y_keras, outputs)
        assert mae.dtype == "float64" and rmse.dtype == "float64"
        metrics = dict(mae=float(mae.result().numpy()), rmse=float(rmse.result().numpy()))
    result = dict(
        c,
        weight_names=[w.path for w in run.model.trainable_weights],
        weights=run.weights,
        x=x,
        real=real,
        targets=targets,
        outputs_value=outputs,
        loss=loss,
        metrics=metrics,
        weight_grads=weight_grads,
        x_grad=x_grad,
        steps=[],
        optimizer=None,
    )
    check_against_numpy(result, y)
    if len(c["stack"]) > 1:
        check_first_layer_sequence(result, run)
        if c["stack"][0]["go_backwards"] and c["mask"] == "zeros":
            # The case tells the two apart: with the mask reversed along with the data, the output would differ.
            h, mask, used = nsm.stack_input(c, run.weights, x)
            features, n = nsm.run_stack(c["stack"], run.weights[used:], h, mask, realign_mask=True)
            logits = features @ run.weights[used + n] + run.weights[used + n + 1]
            realigned = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
            result["realigned_difference"] = float(np.max(np.abs(realigned - outputs)))
            assert result["realigned_difference"] > 1e-6, (c["name"], "a realigned mask would give the same output")
    compiled_check(c, run, loss, metrics)
    if c["train"]:
        batches = [(x, y_keras)] * STEPS
        result["steps"] = run.train(batches)
        result["optimizer"] = c["opt"][0]
        result["norms"] = run.norms
        squares_of_sums = check_steps(c, run, result["steps"], batches, "same batch")
        if squares_of_sums is not None:
            result["squares_of_sums"] = squares_of_sums
        result["what_ifs"] = run.what_ifs
        clip = c["opt"][2].get("clipnorm")
        if clip is not None:
            # The case is about the clipping of the Embedding's gradient: Keras's norm (the slices') must clip it
            # at every step, and the norm of the summed gradient must differ.
            for k, n in enumerate(run.norms):
                assert n["slices"] > clip, (c["name"], "step", k + 1, "the Embedding gradient is not clipped", n)
                assert abs(n["slices"] - n["dense"]) > 1e-3, (c["name"], "the two norms are too close", n)
        if c["input"] == "tokens":
            check_untouched_rows(result)
    if c["ident"] == "embeddingLSTMPost":
        result["alternating"] = alternating_batches(c, run, x, y_keras)
    return result


def check_against_numpy(r, y):
    """Abort unless the NumPy model reproduces Keras (forward, complex step, finite differences)."""
    name, weights, x = r["name"], r["weights"], r["x"]
    out, loss = nsm.forward_loss(r, weights, x, y)
    assert np.max(np.abs(out - r["outputs_value"])) < 1e-12, (name, "outputs differ")
    assert abs(loss - r["loss"]) < 1e-12, (name, "loss differs", loss, r["loss"])
    if r["task"] == "classification":
        assert abs(nsm.categorical_accuracy(out, y) - r["metrics"]["accuracy"]) < 1e-15, (name, "accuracy")
    else:
        mae, rmse = nsm.regression_metrics(out, y)
        assert abs(mae - r["metrics"]["mae"]) < 1e-12, (name, "MAE", mae, r["metrics"]["mae"])
        assert abs(rmse - r["metrics"]["rmse"]) < 1e-12, (name, "RMSE", rmse, r["metrics"]["rmse"])
        assert abs(rmse - np.sqrt(loss)) < 1e-12, (name, "RMSE is not sqrt(MSE)")
    values = r["input"] == "values"
    w_cs, x_cs = nsm.complex_step_gradients(r, weights, x, y, x_grad=values)
    w_fd, x_fd = nsm.finite_difference(
        r, weights, x, y, real_steps=r["real"] if r["mask"] == "zeros" else None, x_grad=values
    )
    for wname, g_keras, g_cs, g_fd in zip(r["weight_names"], r["weight_grads"], w_cs, w_fd):
        err = np.max(np.abs(g_keras - g_cs))
        assert err < 1e-12, (name, wname, "gradient differs from the complex step", err)
        err = np.max(np.abs(g_keras - g_fd))
        assert err < 1e-8, (name, wname, "gradient differs from finite differences", err)
    if values:
        assert np.max(np.abs(r["x_grad"] - x_cs)) < 1e-12, (name, "input gradient differs from the complex step")
        checked = ~np.isnan(x_fd)
        assert np.max(np.abs(r["x_grad"][checked] - x_fd[checked])) < 1e-8, (name, "input gradient vs differences")
        if r["mask"] == "zeros":
            # Masking outputs where(mask, x, 0): nothing flows back into a padded step.
            assert np.all(r["x_grad"][~r["real"]] == 0.0), (name, "nonzero gradient at a padded step")
        elif not np.all(r["real"]):
            assert np.any(r["x_grad"][~r["real"]] != 0.0), (name, "unmasked padded steps should get gradients")


def check_first_layer_sequence(r, run):
    """The sequence the first recurrent layer of a stack returns: NumPy agrees, and at masked steps a plain layer
    repeats its previous output (zeros at first) while a Bidirectional one outputs zeros in both directions."""
    model = run.model
    index = next(i for i, layer in enumerate(model.layers) if isinstance(layer, (keras.layers.RNN,
                                                                                    keras.layers.Bidirectional)))
    sub = keras.Model(model.inputs, model.layers[index].output)
    seq = sub(run.tensor(r["x"]), training=False).numpy()
    want = nsm.first_layer_sequence(r, r["weights"], r["x"])
    assert np.max(np.abs(seq - want)) < 1e-12, (r["name"], "first layer's sequence differs")
    real = r["real"]
    s = r["stack"][0]
    if s["bidirectional"]:
        assert np.all(seq[~real] == 0.0), (r["name"], "Bidirectional should output 0 at masked steps")
        assert np.all(np.any(seq[real] != 0.0, axis=-1)), r["name"]
        return
    order = list(range(T - 1, -1, -1)) if s["go_backwards"] else list(range(T))
    for b in range(B):
        for k, t in enumerate(order):  # k: position in the returned (processing-order) sequence
            if not real[b, t]:
                prev = seq[b, k - 1] if k > 0 else np.zeros(H)
                assert np.array_equal(seq[b, k], prev), (r["name"], "masked step should repeat the last output", b, t)


def check_mask_after_go_backwards(c):
    """The mask a layer gets from a go_backwards layer that returns sequences is the input mask, unreversed."""
    class Probe(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True
            self.seen = None

        def call(self, inputs, mask=None):
            self.seen = mask
            return inputs

    keras.backend.clear_session()
    probe = Probe()
    model = keras.Sequential([
        keras.Input((T, D)),
        keras.layers.Masking(0.0),
        keras.layers.SimpleRNN(H, go_backwards=True, return_sequences=True),
        probe,
    ])
    x = case_input(c)
    model(tf.constant(x), training=False)
    real = real_steps(c)
    assert np.array_equal(probe.seen.numpy(), real), ("mask after go_backwards", probe.seen, real)
    assert not np.array_equal(real, real[:, ::-1]), "the check needs an asymmetric mask"


def check_untouched_rows(r):
    """Rows of the embedding that the batch does not gather get an exact 0 gradient and never move; the
    padding row 0 is gathered but masked, so its gradient is exactly 0 as well."""
    used = set(np.unique(r["x"]).tolist())
    g = r["weight_grads"][0]
    for row in range(V):
        if row not in used or row == 0:
            assert np.all(g[row] == 0.0), (r["name"], "row", row, "has a gradient")
            for step in r["steps"]:
                assert np.all(step[row * E : (row + 1) * E] == r["weights"][0][row]), (r["name"], "row", row, "moved")
        else:
            assert np.any(g[row] != 0.0), (r["name"], "row", row, "has no gradient")


def alternating_batches(c, run, x, y_keras):
    """Three Adam steps on batches TOKENS_POST, TOKENS_OTHER, TOKENS_POST. Rows 1, 3, 4 and 8 get a
    gradient in steps 1 and 3 only. Keras 3 (TF backend) gets the Embedding gradient as tf.IndexedSlices,
    but Adam.update_step computes `m += (g - m)(1 - beta_1)` with `ops.subtract(gradient, m)`, which turns
    the slices into a dense tensor: m, v and the weights of every row are updated at every step (dense
    Adam), so in step 2 these rows keep moving by alpha * m / (sqrt(v) + eps) with their decayed m and v.
    A lazy (sparse) Adam would leave them where step 1 put them; this checks that Keras does not."""
    other = np.asarray(TOKENS_OTHER, dtype=np.int64)
    y_other = keras.utils.to_categorical(LABELS_OTHER, C).astype(np.float64)
    batches = [(x, y_keras), (other, y_other), (x, y_keras)]
    steps = run.train(batches)
    squares_of_sums = check_steps(c, run, steps, batches, "alternating batches")
    rows = sorted(set(np.unique(x).tolist()) - set(np.unique(other).tolist()) - {0})
    assert rows == [1, 3, 4, 8], rows
    for row in rows:
        s1, s2 = (s[row * E : (row + 1) * E] for s in steps[:2])
        assert np.all(np.abs(s2 - s1) > 1e-6), ("dense Adam should move row", row, "in step 2", s2 - s1)
    # Lazy Adam for comparison: an untouched row keeps its m, v and weights at step 2.
    lazy = numpy_lazy_embedding_step2(c, run, batches)
    assert np.max(np.abs(lazy - steps[1])) > 1e-6, "lazy and dense Adam agree; the check shows nothing"
    return dict(
        batches=[np.asarray(b[0]) for b in batches],
        labels=[LABELS, LABELS_OTHER, LABELS],
        steps=steps,
        rows=rows,
        lazy_difference=float(np.max(np.abs(lazy - steps[1]))),
        squares_of_sums=squares_of_sums,
    )


def numpy_lazy_embedding_step2(c, run, batches):
    """Weights after step 2 if Adam skipped (kept m, v and weights of) embedding rows the batch does not gather."""
    shapes = [w.shape for w in run.weights]
    sizes = [int(np.prod(s)) for s in shapes]
    w = flat(run.weights)
    m, v = np.zeros_like(w), np.zeros_like(w)
    p = OPTIMIZER[2]
    b1, b2 = float(np.float32(p["beta1"])), float(np.float32(p["beta2"]))
    for t, (x, y) in enumerate(batches[:2], start=1):
        ws = [q.reshape(s) for q, s in zip(np.split(w, np.cumsum(sizes)[:-1]), shapes)]
        g, s = moments(c, ws, x, y)
        active = np.ones_like(w, dtype=bool)
        gathered = np.zeros(V, dtype=bool)
        gathered[np.unique(x)] = True
        active[: V * E] = np.repeat(gathered, E)
        m_new = m + (g - m) * (1 - p["beta1"])
        v_new = v + (s - v) * (1 - p["beta2"])
        alpha = p["learningRate"] * np.sqrt(1 - b2**t) / (1 - b1**t)
        w_new = w - m_new * alpha / (np.sqrt(v_new) + p["epsilon"])
        m, v, w = np.where(active, m_new, m), np.where(active, v_new, v), np.where(active, w_new, w)
    return w


def parameter_model(ident, description, layers):
    keras.backend.clear_session()
    model = keras.Sequential(layers())
    lines = []
    model.summary(print_fn=lambda s, **_: lines.append(s))
    text = "\n".join(lines)
    rows = []
    for layer in model.layers:
        params = layer.count_params()
        row = dict(
            name=layer.name,
            type=type(layer).__name__,
            text=f"{layer.name} ({type(layer).__name__})",
            shape=str(tuple(layer.output.shape)),
            params=params,
        )
        # The summary table row: "│ name (Type)   │ (None, …)   │   params │".
        cells = [
            [p.strip() for p in line.strip("│ ").split("│")]
            for line in text.splitlines()
            if line.startswith("│") and line.split("│")[1].strip() == row["text"]
        ]
        assert cells == [[row["text"], row["shape"], f"{params:,}"]], (ident, cells, row)
        rows.append(row)
    total = model.count_params()
    assert total == sum(r["params"] for r in rows)
    assert f"Total params: {total:,} " in text and f"Trainable params: {total:,} " in text, text
    return dict(ident=ident, description=description, rows=rows, total=total, summary=text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", help="Swift file to rewrite between the markers (default: stdout)")
    args = parser.parse_args()

    keras.config.set_floatx("float64")
    check_mask_after_go_backwards(next(c for c in CASES if c["ident"] == "maskedStackedSimpleRNNGoBackwards"))
    cases = []
    for c in CASES:
        cases.append(keras_case(c))
        notes = ""
        if "squares_of_sums" in cases[-1] and c["input"] == "tokens":
            notes = f" (Adam with v from (sum g)^2 would be off by {cases[-1]['squares_of_sums']:.3g})"
        if cases[-1].get("what_ifs"):
            notes += " (" + "; ".join(f"{w}: off by {d:.3g}" for w, d in cases[-1]["what_ifs"].items()) + ")"
        if c["opt"][2].get("clipnorm") is not None:
            norms = ", ".join(f"{n['slices']:.4g} (summed: {n['dense']:.4g})" for n in cases[-1]["norms"])
            notes += f"; Embedding gradient norm per step, slices: {norms} > clipnorm {c['opt'][2]['clipnorm']}"
        if "alternating" in cases[-1]:
            a = cases[-1]["alternating"]
            notes += f"; alternating batches: a lazy Adam would be off by {a['lazy_difference']:.3g} after step 2"
        if "realigned_difference" in cases[-1]:
            realigned = cases[-1]["realigned_difference"]
            notes += f" (a mask reversed with the data would change the output by {realigned:.3g})"
        print(f"checked {c['name']}{notes}", file=sys.stderr)
    keras.config.set_floatx("float32")  # as the engine; counts do not depend on it, the summary's sizes do
    parameter_models = [parameter_model(*p) for p in PARAMETER_MODELS]
    by_name = {c["name"]: c for c in cases}
    unmasked, masked = by_name["unmasked_lstm_post"], by_name["masked_lstm_post"]
    unmasked = np.max(np.abs(unmasked["outputs_value"] - masked["outputs_value"]))
    assert unmasked > 1e-3, ("the mask should change the probabilities", unmasked)
    print(f"unmasked_lstm_post differs from masked_lstm_post by {unmasked:.3g}", file=sys.stderr)
    keras.config.set_floatx("float64")
    embedding_config = keras.layers.Embedding(V, E).get_config()["embeddings_initializer"]
    assert embedding_config["class_name"] == "RandomUniform", embedding_config
    assert embedding_config["config"]["minval"] == -0.05 and embedding_config["config"]["maxval"] == 0.05
    versions = dict(
        keras=keras.__version__, tensorflow=tf.__version__, numpy=np.__version__, python=sys.version.split()[0]
    )
    dims = dict(B=B, T=T, D=D, H=H, C=C, V=V, E=E, labels=LABELS, optimizer=OPTIMIZER)
    body = emit_swift(cases, parameter_models, versions, dims)
    if args.output is None:
        sys.stdout.write(body)
    else:
        existing = open(args.output).read() if os.path.exists(args.output) else None
        with open(args.output, "w") as f:
            f.write(splice(existing, body, BEGIN, END))
        print(f"wrote {args.output}: {len(cases)} cases, {len(parameter_models)} parameter counts", file=sys.stderr)


if __name__ == "__main__":
    main()
