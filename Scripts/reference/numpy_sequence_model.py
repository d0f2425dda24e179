"""Independent NumPy implementation of the Keras 3 sequence models of keras_sequence_reference.py.

Cross-check only: if Keras and this file disagree, the generator aborts. It extends the cell steps of
numpy_model.py (used unchanged) with what Keras 3 does around them, written from the sources of
keras/src/layers/rnn/{rnn,bidirectional}.py, keras/src/backend/tensorflow/rnn.py (`rnn()`, the
non-unrolled while-loop path), keras/src/layers/core/{masking,embedding}.py and keras/src/losses:

* Masking(mask_value=0.0): a step is real if any feature differs from 0; the layer outputs
  `where(real, x, 0)` (so d loss / d x is 0 at padded steps) and passes the mask on.
* Embedding(V, E, mask_zero=True): `embeddings[ids]`; the mask is `ids != 0`.
* A recurrent layer with a mask reverses inputs AND mask when `go_backwards`, then at each step
  computes the cell and keeps, where the step is masked, the previous state (every state: h, and c for
  LSTM) and as output either the previous output (starting at zeros) or, with `zero_output_for_mask`,
  zeros. The outputs stay in processing order (reversed for `go_backwards`); the last output is the
  masked output of the last processed step.
* `RNN.compute_mask` passes the input mask on unchanged when `return_sequences` (else None), also
  after a `go_backwards` layer whose output sequence is reversed: the next layer then sees outputs in
  reversed time order under the unreversed mask. Keras 3.15.1 does this; it is reproduced here.
* `Bidirectional` sets `zero_output_for_mask = return_sequences` on both inner layers, flips the
  backward layer's sequence back, merges, and passes the input mask on unchanged.
* Heads: Dense(C) + softmax with mean categorical cross-entropy, or linear Dense(k) with Keras
  `mean_squared_error` (mean over k, then over the batch).

Every function also accepts complex arrays: `complex_step_gradients` differentiates the loss by the
complex-step method (Im f(w + ih) / h), which has no cancellation error, so its gradients agree with
TensorFlow's to about 1e-16 and can replay the optimizer steps to 1e-12 (central finite differences
cannot: an exact 0 gradient comes out as ~1e-11 noise, which Adam turns into a visible step). Masks are
taken from real parts, so an imaginary perturbation never unmasks a padded step.
"""

import numpy as np

from numpy_model import gru_step, lstm_step, simple_rnn_step

# Complex-step safe activations (np.maximum orders complex numbers lexicographically).
ACTIVATIONS = {"tanh": np.tanh, "relu": lambda v: np.where(np.real(v) > 0, v, 0.0)}


def masking(x, mask_value=0.0):
    """keras.layers.Masking: (outputs, mask [B, T])."""
    mask = np.any(np.real(x) != mask_value, axis=-1)
    return np.where(mask[..., None], x, 0.0), mask


def embedding(table, ids, mask_zero=True):
    """keras.layers.Embedding: (outputs [B, T, E], mask [B, T] or None)."""
    ids = np.asarray(ids, dtype=np.int64)
    return table[ids], (ids != 0) if mask_zero else None


def run_layer(s, params, x, mask, go_backwards, return_sequences, zero_output_for_mask):
    """One recurrent layer over x [B, T, F] with mask [B, T] (or None), as keras' TF `rnn()`."""
    batch, steps = x.shape[0], x.shape[1]
    units = params[1].shape[0]
    act = ACTIVATIONS[s["activation"]]
    dtype = np.result_type(x, *params)
    state = [np.zeros((batch, units), dtype=dtype)] * (2 if s["cell"] == "lstm" else 1)
    prev_output = np.zeros((batch, units), dtype=dtype)
    outputs = []
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    for t in order:
        if s["cell"] == "simple_rnn":
            h, new_state = simple_rnn_step(params, act, x[:, t, :], state)
        elif s["cell"] == "lstm":
            h, new_state = lstm_step(params, act, x[:, t, :], state)
        else:
            h, new_state = gru_step(params, act, x[:, t, :], state, s["reset_after"])
        if mask is not None:
            m = mask[:, t][:, None]
            h = np.where(m, h, 0.0 if zero_output_for_mask else prev_output)
            new_state = [np.where(m, n, o) for n, o in zip(new_state, state)]
        state = new_state
        prev_output = h
        outputs.append(h)
    return np.stack(outputs, axis=1) if return_sequences else outputs[-1]


def run_stack(stack, weights, x, mask, last_returns_sequences=False, realign_mask=False):
    """The recurrent stack; returns the Dense input (the last layer's sequence with
    `last_returns_sequences`) and the number of weights consumed. `realign_mask` is a what-if, not Keras:
    it reverses the mask after a go_backwards layer so that it lines up with the reversed sequence."""
    used = 0
    for i, s in enumerate(stack):
        return_sequences = i < len(stack) - 1 or last_returns_sequences
        if not s["bidirectional"]:
            out = run_layer(s, weights[used : used + 3], x, mask, s["go_backwards"], return_sequences, False)
            used += 3
        else:
            # Bidirectional forces zero_output_for_mask = return_sequences on both directions.
            fwd = run_layer(s, weights[used : used + 3], x, mask, s["go_backwards"], return_sequences, return_sequences)
            bwd = run_layer(
                s, weights[used + 3 : used + 6], x, mask, not s["go_backwards"], return_sequences, return_sequences
            )
            used += 6
            if return_sequences:
                bwd = bwd[:, ::-1, :]
            merge = s["merge_mode"]
            if merge == "concat":
                out = np.concatenate([fwd, bwd], axis=-1)
            elif merge == "sum":
                out = fwd + bwd
            elif merge == "ave":
                out = (fwd + bwd) / 2
            elif merge == "mul":
                out = fwd * bwd
            else:
                raise ValueError(merge)
        # The mask goes on unchanged (RNN.compute_mask / Bidirectional.compute_mask), even after go_backwards.
        if realign_mask and mask is not None and s["go_backwards"] and not s["bidirectional"]:
            mask = mask[:, ::-1]
        x = out
    return x, used


def stack_input(model, weights, x, embedded=None):
    """What the first recurrent layer gets: (inputs, mask or None, weights consumed)."""
    if model["input"] == "tokens":
        h, mask = embedding(weights[0], x)
        return (h if embedded is None else embedded), mask, 1
    if model["mask"] == "zeros":
        h, mask = masking(x)
        return h, mask, 0
    return x, None, 0


def first_layer_sequence(model, weights, x):
    """The output sequence of the first recurrent layer of a stack of two (it returns sequences)."""
    h, mask, used = stack_input(model, weights, x)
    return run_stack(model["stack"][:1], weights[used:], h, mask, last_returns_sequences=True)[0]


def forward(model, weights, x, embedded=None):
    """Model output: softmax probabilities [B, C] or regression outputs [B, k].
    `model` holds input ("values" | "tokens"), mask ("none" | "zeros"), stack, task. For tokens,
    `embedded` [B, T, E] replaces the Embedding's output (the mask still comes from the ids)."""
    h, mask, used = stack_input(model, weights, x, embedded)
    features, n = run_stack(model["stack"], weights[used:], h, mask)
    used += n
    out = features @ weights[used] + weights[used + 1]
    if model["task"] == "classification":
        e = np.exp(out - np.max(np.real(out), axis=-1, keepdims=True))
        out = e / e.sum(axis=-1, keepdims=True)
    return out


def loss_of(model, outputs, y):
    """Mean categorical cross-entropy (y one-hot [B, C]) or Keras mean_squared_error (y [B, k])."""
    if model["task"] == "classification":
        return np.mean(-np.sum(y * np.log(outputs), axis=-1))
    return np.mean(np.mean((y - outputs) ** 2, axis=-1))


def forward_loss(model, weights, x, y):
    outputs = forward(model, weights, x)
    return outputs, loss_of(model, outputs, y)


def regression_metrics(outputs, y):
    """Keras `mean_absolute_error` metric (per-sample mean over k, then mean over samples) and
    `RootMeanSquaredError` (sqrt of the mean over samples of the per-sample mean squared error)."""
    mae = float(np.mean(np.mean(np.abs(y - outputs), axis=-1)))
    rmse = float(np.sqrt(np.mean(np.mean((outputs - y) ** 2, axis=-1))))
    return mae, rmse


def categorical_accuracy(probs, y):
    return float(np.mean(np.argmax(probs, axis=-1) == np.argmax(y, axis=-1)))


def complex_step_gradients(model, weights, x, y, h=1e-30, x_grad=True):
    """d loss / d every weight element (and d loss / d x for values input), by the complex step."""

    def loss_with(ws, xx):
        return forward_loss(model, ws, xx, y)[1]

    base = [w.astype(np.complex128) for w in weights]
    weight_grads = []
    for i, w in enumerate(weights):
        g = np.zeros_like(w)
        for idx in np.ndindex(w.shape):
            ws = list(base)
            ws[i] = base[i].copy()
            ws[i][idx] += 1j * h
            g[idx] = np.imag(loss_with(ws, x)) / h
        weight_grads.append(g)
    if not x_grad:
        return weight_grads, None
    xc = x.astype(np.complex128)
    gx = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp = xc.copy()
        xp[idx] += 1j * h
        gx[idx] = np.imag(loss_with(weights, xp)) / h
    return weight_grads, gx


def embedding_occurrence_gradients(model, weights, ids, y, h=1e-30):
    """d loss / d the Embedding's output [B, T, E]: one gradient row per gathered id (per occurrence), which is
    what TensorFlow hands the optimizer as tf.IndexedSlices values. Summed per id they give the table's
    gradient; Keras's Adam also squares them one by one (see numpy_optimizers.numpy_adam_run)."""
    base = weights[0][np.asarray(ids, dtype=np.int64)].astype(np.complex128)
    g = np.zeros(base.shape)
    for idx in np.ndindex(base.shape):
        e = base.copy()
        e[idx] += 1j * h
        g[idx] = np.imag(forward_loss_embedded(model, weights, ids, y, e)) / h
    return g


def forward_loss_embedded(model, weights, ids, y, embedded):
    return loss_of(model, forward(model, weights, ids, embedded), y)


def finite_difference(model, weights, x, y, real_steps=None, eps=1e-6, x_grad=True):
    """Central differences of the loss w.r.t. every weight element and (values input) every x element.
    With `real_steps` [B, T], x elements of padded steps are skipped (NaN): perturbing a zero row
    would unmask it."""

    def loss_with(ws, xx):
        return float(np.real(forward_loss(model, ws, xx, y)[1]))

    weight_grads = []
    for i, w in enumerate(weights):
        g = np.zeros_like(w)
        for idx in np.ndindex(w.shape):
            ws_p = [v.copy() for v in weights]
            ws_m = [v.copy() for v in weights]
            ws_p[i][idx] += eps
            ws_m[i][idx] -= eps
            g[idx] = (loss_with(ws_p, x) - loss_with(ws_m, x)) / (2 * eps)
        weight_grads.append(g)
    if not x_grad:
        return weight_grads, None
    gx = np.full_like(x, np.nan)
    for idx in np.ndindex(x.shape):
        if real_steps is not None and not real_steps[idx[0], idx[1]]:
            continue
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        gx[idx] = (loss_with(weights, xp) - loss_with(weights, xm)) / (2 * eps)
    return weight_grads, gx
