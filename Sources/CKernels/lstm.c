#include "CKernels.h"
#include "kernel.h"

// LSTM backward, one pass per row instead of seven: reads dh, the four gates, tanh(c_t), c_{t−1} and the carried
// dL/dc once; writes the four pre-activation gradients and dL/dc_{t−1}. Each value uses the same operations in the
// same order as the separate passes it replaces (-ffp-contract=off), so results are bit-identical to them.
KERNEL void rnn_lstm_backward_step(
    float *restrict p, float *restrict cellCarry, const float *restrict d, const float *restrict tanhC,
    const float *restrict cPrev, long batch, long h) {
    for (long r = 0; r < batch; r++) {
        float *restrict a = p + r * 4 * h;
        float *restrict dcNext = cellCarry + r * h;
        const float *restrict dh = d + r * h;
        const float *restrict tc = tanhC + r * h;
        const float *restrict cp = cPrev + r * h;
        // Safe to vectorize without overlap checks: element j touches only a[j], a[h + j], a[2h + j], a[3h + j],
        // and the vector body runs only when h ≥ its width (see gru.c).
        _Pragma("clang loop vectorize(assume_safety)")
        for (long j = 0; j < h; j++) {
            float i = a[j], f = a[h + j], g = a[2 * h + j], o = a[3 * h + j];
            float dc = dcNext[j] + dh[j] * o * (1 - tc[j] * tc[j]);
            dcNext[j] = dc * f;
            a[h + j] = dc * cp[j] * f * (1 - f);
            a[3 * h + j] = dh[j] * tc[j] * o * (1 - o);
            float dcg = dc * g;
            a[2 * h + j] = dc * i * (1 - g * g);
            a[j] = dcg * i * (1 - i);
        }
    }
}
