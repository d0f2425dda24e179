"""Independent NumPy (float64) implementation of the Keras 3 recurrent models and of the book's MLP.

Written from the Keras 3 sources (keras/src/layers/rnn/*.py, implementation=2 paths, no
dropout) and used by keras_reference.py as a cross-check: if Keras and this file disagree,
the generator aborts. Weights come as the list `model.trainable_weights` would give, each
in its Keras shape. Gate orders: LSTM [i, f, c, o]; GRU [z, r, h].
"""

import numpy as np


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


ACTIVATIONS = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0.0)}


def simple_rnn_step(params, act, x_t, state):
    kernel, recurrent, bias = params
    h = act(x_t @ kernel + bias + state[0] @ recurrent)
    return h, [h]


def lstm_step(params, act, x_t, state):
    kernel, recurrent, bias = params
    h_prev, c_prev = state
    z = x_t @ kernel + h_prev @ recurrent + bias
    zi, zf, zc, zo = np.split(z, 4, axis=-1)
    c = sigmoid(zf) * c_prev + sigmoid(zi) * act(zc)
    h = sigmoid(zo) * act(c)
    return h, [h, c]


def gru_step(params, act, x_t, state, reset_after):
    kernel, recurrent, bias = params
    h_prev = state[0]
    n = recurrent.shape[0]
    if reset_after:
        # bias has shape (2, 3H): row 0 input bias, row 1 recurrent bias.
        mx = x_t @ kernel + bias[0]
        mh = h_prev @ recurrent + bias[1]
        z = sigmoid(mx[:, :n] + mh[:, :n])
        r = sigmoid(mx[:, n : 2 * n] + mh[:, n : 2 * n])
        hh = act(mx[:, 2 * n :] + r * mh[:, 2 * n :])
    else:
        mx = x_t @ kernel + bias
        mh = h_prev @ recurrent[:, : 2 * n]
        z = sigmoid(mx[:, :n] + mh[:, :n])
        r = sigmoid(mx[:, n : 2 * n] + mh[:, n : 2 * n])
        hh = act(mx[:, 2 * n :] + (r * h_prev) @ recurrent[:, 2 * n :])
    h = z * h_prev + (1.0 - z) * hh
    return h, [h]


def run_layer(s, params, x, go_backwards, return_sequences):
    """One recurrent layer over x [B, T, D]; outputs are in processing order like Keras."""
    batch, steps = x.shape[0], x.shape[1]
    units = params[1].shape[0]
    act = ACTIVATIONS[s["activation"]]
    state = [np.zeros((batch, units))] * (2 if s["cell"] == "lstm" else 1)
    outputs = []
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    for t in order:
        if s["cell"] == "simple_rnn":
            h, state = simple_rnn_step(params, act, x[:, t, :], state)
        elif s["cell"] == "lstm":
            h, state = lstm_step(params, act, x[:, t, :], state)
        else:
            h, state = gru_step(params, act, x[:, t, :], state, s["reset_after"])
        outputs.append(h)
    return np.stack(outputs, axis=1) if return_sequences else outputs[-1]


def run_stack(stack, weights, x):
    """Returns the Dense input and the number of weights consumed."""
    used = 0
    for i, s in enumerate(stack):
        return_sequences = i < len(stack) - 1
        fwd = run_layer(s, weights[used : used + 3], x, s["go_backwards"], return_sequences)
        used += 3
        if s["bidirectional"]:
            bwd = run_layer(s, weights[used : used + 3], x, not s["go_backwards"], return_sequences)
            used += 3
            if return_sequences:
                bwd = bwd[:, ::-1, :]  # Keras flips the backward sequence back before merging
            merge = s["merge_mode"]
            if merge == "concat":
                fwd = np.concatenate([fwd, bwd], axis=-1)
            elif merge == "sum":
                fwd = fwd + bwd
            elif merge == "ave":
                fwd = (fwd + bwd) / 2.0
            elif merge == "mul":
                fwd = fwd * bwd
            else:
                raise ValueError(merge)
        x = fwd
    return x, used


def forward_loss(stack, weights, x, y):
    features, used = run_stack(stack, weights, x)
    logits = features @ weights[used] + weights[used + 1]
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probs = e / e.sum(axis=-1, keepdims=True)
    loss = float(np.mean(-np.sum(y * np.log(probs), axis=-1)))
    return probs, loss


def finite_difference(stack, weights, x, y, eps=1e-6):
    """Central differences of the loss w.r.t. every weight element and every x element."""

    def loss_with(ws, xx):
        return forward_loss(stack, ws, xx, y)[1]

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
    x_grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        x_grad[idx] = (loss_with(weights, xp) - loss_with(weights, xm)) / (2 * eps)
    return weight_grads, x_grad


def mlp_forward(weights, x):
    """The book's MLP at inference (Dropout is the identity): x [B, T*D] through
    (Dense -> relu) per hidden layer, then Dense -> softmax. Weights alternate kernel, bias."""
    cache = [x]
    a = x
    for i in range(0, len(weights) - 2, 2):
        a = np.maximum(a @ weights[i] + weights[i + 1], 0.0)
        cache.append(a)
    logits = a @ weights[-2] + weights[-1]
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True), cache


def mlp_forward_loss(weights, x, y):
    probs, _ = mlp_forward(weights, x)
    return probs, float(np.mean(-np.sum(y * np.log(probs), axis=-1)))


def mlp_gradients(weights, x, y):
    """Hand-written backpropagation of the mean cross-entropy (relu' = 1 where the output is > 0, as
    TensorFlow's ReluGrad). Returns (weight gradients, input gradient); cross-checked by finite differences."""
    probs, cache = mlp_forward(weights, x)
    d = (probs - y) / x.shape[0]
    grads = [None] * len(weights)
    for i in range(len(weights) - 2, -1, -2):
        a = cache[i // 2]
        grads[i] = a.T @ d
        grads[i + 1] = d.sum(axis=0)
        d = d @ weights[i].T
        if i > 0:
            d = d * (a > 0)
    return grads, d


def mlp_finite_difference(weights, x, y, eps=1e-6):
    """Central differences of the MLP loss w.r.t. every weight element and every x element."""

    def loss_with(ws, xx):
        return mlp_forward_loss(ws, xx, y)[1]

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
    x_grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        x_grad[idx] = (loss_with(weights, xp) - loss_with(weights, xm)) / (2 * eps)
    return weight_grads, x_grad
