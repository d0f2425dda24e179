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


def numpy_adam_run(params, w0, moments_at, steps):
    """Adam as `numpy_optimizer_run`, except that step t takes `(g, s) = moments_at(w, t)`: m follows g and v
    follows s. For a dense gradient s = g * g. For a tf.IndexedSlices gradient (an Embedding's: one slice per
    gathered id), Keras's `ops.square(gradient)` squares the slices before `ops.subtract(..., v)` densifies
    them, so for a row gathered n times s = the sum of the n squared slices, while g = the sum of the slices
    (densified by `ops.subtract(gradient, m)`). Rows with no slice get g = s = 0 and are still updated (dense)."""
    w = np.array(w0, dtype=np.float64)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    lr, b1, b2 = params["learningRate"], params["beta1"], params["beta2"]
    out = []
    for t in range(1, steps + 1):
        g, s = (np.array(a, dtype=np.float64) for a in moments_at(w.copy(), t))
        m = m + (g - m) * (1 - b1)
        v = v + (s - v) * (1 - b2)
        alpha = lr * np.sqrt(1 - keras_cast(b2) ** t) / (1 - keras_cast(b1) ** t)
        w = w - m * alpha / (np.sqrt(v) + params["epsilon"])
        out.append(w.copy())
    return out


class Slices:
    """A tf.IndexedSlices gradient in NumPy: `values[k]` belongs to row `indices[k]` of a variable with `rows`
    rows. Rows may repeat (an Embedding's gradient has one slice per gathered id, in batch order)."""

    def __init__(self, indices, values, rows):
        self.indices = np.asarray(indices, dtype=np.int64)
        self.values = np.asarray(values, dtype=np.float64)
        self.rows = rows

    def dense(self):
        """tf.convert_to_tensor: the slices of a row summed (rows without a slice are 0)."""
        return scatter_sum(self.indices, self.values, self.rows)


def scatter_sum(indices, values, rows):
    out = np.zeros((rows,) + values.shape[1:])
    np.add.at(out, indices, values)
    return out


def numpy_keras_run(params, w0, gradients_at, steps, norm_of="slices", square="slices"):
    """Keras 3 (TensorFlow backend) `apply_gradients` on a list of variables: the weights (a list of arrays) after
    each of `steps` updates, step t's gradients being `gradients_at(ws, t)`, one per variable: a dense array or a
    `Slices`. For a dense gradient this is `numpy_optimizer_run` applied variable by variable. For slices:

      clipnorm  TFOptimizer._clip_by_norm is tf.clip_by_norm, whose norm is that of the slice VALUES,
                sqrt(sum over slices of g_i^2) (a row gathered n times adds n squares, not (sum_i g_i)^2); every
                slice is scaled by clipnorm / max(norm, clipnorm), and the result is still slices.
      SGD       momentum: m <- mu m - lr g, the subtract densifying (slices summed): a row gets sum_i g_i, as dense
                (nesterov likewise, w <- w + mu m - lr sum_i g_i); no momentum: scatter_sub of lr g_i (= the sum).
      RMSprop   v <- rho v + (1 - rho) sum_i g_i^2 (ops.square acts on the slices, the add densifies);
                w <- w - scatter_sum(lr g_i / sqrt(v_row + eps)) = lr (sum_i g_i) / sqrt(v_row + eps); rows without a
                slice keep their weights (their gradient is 0, so dense gives the same) while v decays.
      Adam      m <- m + (sum_i g_i - m)(1 - b1);  v <- v + (sum_i g_i^2 - v)(1 - b2)  (numpy_adam_run), dense.

    What-ifs that Keras does NOT do, for showing that a case tells them apart: `norm_of="dense"` clips with the norm
    of the summed (dense) gradient; `square="dense"` gives v (RMSprop, Adam) the square of the summed gradient."""
    ws = [np.array(w, dtype=np.float64) for w in w0]
    m = [np.zeros_like(w) for w in ws]
    v = [np.zeros_like(w) for w in ws]
    lr = params["learningRate"]
    kind = params["kind"]
    out = []
    for t in range(1, steps + 1):
        grads = gradients_at([w.copy() for w in ws], t)
        for k, g in enumerate(grads):
            if not isinstance(g, Slices):
                g = Slices(np.arange(ws[k].shape[0]), np.asarray(g, dtype=np.float64), ws[k].shape[0])
            values = g.values
            clip = params.get("clipnorm")
            if clip is not None:
                measured = g.dense() if norm_of == "dense" else values
                l2sum = np.sum(measured * measured)
                l2norm = np.sqrt(l2sum) if l2sum > 0 else 0.0
                values = values * clip / max(l2norm, clip)

            def dense(vals, g=g):
                return scatter_sum(g.indices, vals, g.rows)

            def squares(vals, g=g):
                return dense(vals) ** 2 if square == "dense" else dense(vals * vals)

            if kind == "sgd":
                mu = keras_cast(params.get("momentum", 0.0))
                if mu == 0.0:
                    ws[k] = ws[k] - dense(values * lr)
                else:
                    m[k] = m[k] * mu - dense(values * lr)
                    if params.get("nesterov", False):
                        ws[k] = ws[k] + (m[k] * mu - dense(values * lr))
                    else:
                        ws[k] = ws[k] + m[k]
            elif kind == "rmsprop":
                assert not params.get("momentum") and not params.get("centered"), "not modelled"
                rho = params["rho"]
                if square == "dense":
                    v[k] = rho * v[k] + (1 - rho) * dense(values) ** 2
                else:
                    v[k] = rho * v[k] + dense((1 - rho) * (values * values))
                increment = (lr * values) / np.sqrt(v[k][g.indices] + params["epsilon"])
                ws[k] = ws[k] - dense(increment)
            elif kind == "adam":
                b1, b2 = params["beta1"], params["beta2"]
                m[k] = m[k] + (dense(values) - m[k]) * (1 - b1)
                v[k] = v[k] + (squares(values) - v[k]) * (1 - b2)
                alpha = lr * np.sqrt(1 - keras_cast(b2) ** t) / (1 - keras_cast(b1) ** t)
                ws[k] = ws[k] - m[k] * alpha / (np.sqrt(v[k]) + params["epsilon"])
            else:
                raise ValueError(kind)
        out.append([w.copy() for w in ws])
    return out
