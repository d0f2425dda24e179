"""Independent NumPy implementation of the Keras 3 optimizer updates (cross-check only).

Formulas as in keras/src/optimizers/{sgd,rmsprop,adam}.py and base_optimizer.py:
  clipnorm (per variable):  g <- g * clipnorm / max(||g||_2, clipnorm)
  SGD:       w <- w - lr g
  momentum:  m <- mu m - lr g;  w <- w + m
  nesterov:  m <- mu m - lr g;  w <- w + mu m - lr g        (m already updated)
  RMSprop:   v <- rho v + (1 - rho) g^2;  w <- w - lr g / sqrt(v + eps)
  Adam:      m <- m + (g - m)(1 - b1);  v <- v + (g^2 - v)(1 - b2)
             alpha = lr sqrt(1 - b2^t) / (1 - b1^t);  w <- w - alpha m / (sqrt(v) + eps)

Float64 detail reproduced here: SGD's `momentum` and Adam's `beta_1`/`beta_2` inside the
powers go through `ops.cast(python_float, dtype)`, which on the TF backend first makes a
float32 tensor (0.9 -> 0.89999997615814209); RMSprop's rho, Adam's `1 - beta` factors and
epsilon are used as Python floats (float64). Irrelevant at float32 precision.
"""

import numpy as np


def keras_cast(v):
    """`ops.cast(python_float, "float64")` on the TF backend goes through a float32 tensor."""
    return float(np.float32(v))


def numpy_optimizer_steps(params, w0, grads):
    """The weights after each of the given gradients, applied in turn."""
    return numpy_optimizer_run(params, w0, lambda w, t: grads[t - 1], len(grads))


def numpy_optimizer_run(params, w0, gradient_at, steps):
    """The weights after each of `steps` updates, the gradient of step t (1-based) being
    `gradient_at(w, t)` at the current weights w (a training run when it is a model's gradient).
    `clipnorm` treats the whole vector as one variable."""
    w = np.array(w0, dtype=np.float64)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    lr = params["learningRate"]
    out = []
    for t in range(1, steps + 1):
        g = np.array(gradient_at(w.copy(), t), dtype=np.float64)
        clip = params.get("clipnorm")
        if clip is not None:
            g = g * clip / max(np.sqrt(np.sum(g * g)), clip)
        kind = params["kind"]
        if kind == "sgd":
            mu = keras_cast(params.get("momentum", 0.0))
            if mu == 0.0:
                w = w - lr * g
            else:
                m = mu * m - lr * g
                w = w + (mu * m - lr * g if params.get("nesterov", False) else m)
        elif kind == "rmsprop":
            rho = params["rho"]
            v = rho * v + (1 - rho) * g * g
            w = w - lr * g / np.sqrt(v + params["epsilon"])
        elif kind == "adam":
            b1, b2 = params["beta1"], params["beta2"]
            m = m + (g - m) * (1 - b1)
            v = v + (g * g - v) * (1 - b2)
            alpha = lr * np.sqrt(1 - keras_cast(b2) ** t) / (1 - keras_cast(b1) ** t)
            w = w - m * alpha / (np.sqrt(v) + params["epsilon"])
        else:
            raise ValueError(kind)
        out.append(w.copy())
    return out
