# Writes data/series.npz: a small sequence classification set (class = sign of the sum of channel 0), float32.
import numpy as np
rng = np.random.default_rng(5)
def make(n):
    x = rng.normal(size=(n, 12, 3)).astype(np.float32)
    y = (x[:, :, 0].sum(axis=1) > 0).astype(np.int64)
    return x, y
x_train, y_train = make(240)
x_test, y_test = make(80)
np.savez("data/series.npz", x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
