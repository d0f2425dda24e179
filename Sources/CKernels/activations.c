#include "CKernels.h"
#include "kernel.h"

// libm's tanhf costs ~12 ns per element and never vectorizes; this clamped rational approximation (Eigen's, the one
// TensorFlow uses) runs at well under 1 ns. The backward pass uses the exact derivative (1 − y²) of the value it gave.
// Operation order and float constants match the Swift expressions these kernels replaced, bit for bit; with
// -ffp-contract=off (Package.swift) no multiply-add is fused, so both clones give the same bits.
static inline float fast_tanh(float input) {
    float x = input < -7.90531110763549805f ? -7.90531110763549805f : input;
    x = x > 7.90531110763549805f ? 7.90531110763549805f : x;
    float x2 = x * x;
    float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
    p = x2 * p + -8.60467152213735e-11f;
    p = x2 * p + 5.12229709037114e-08f;
    p = x2 * p + 1.48572235717979e-05f;
    p = x2 * p + 6.37261928875436e-04f;
    p = x2 * p + 4.89352455891786e-03f;
    p = x * p;
    float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
    q = x2 * q + 2.26843463243900e-03f;
    q = x2 * q + 4.89352518554385e-03f;
    return p / q;
}

static inline float fast_sigmoid(float x) { return 0.5f * fast_tanh(0.5f * x) + 0.5f; }

float rnn_fast_tanh(float x) { return fast_tanh(x); }

KERNEL void rnn_sigmoid_bias_inplace(float *restrict y, const float *restrict b, long n) {
    for (long j = 0; j < n; j++) y[j] = fast_sigmoid(y[j] + b[j]);
}

KERNEL void rnn_tanh_bias_inplace(float *restrict y, const float *restrict b, long n) {
    for (long j = 0; j < n; j++) y[j] = fast_tanh(y[j] + b[j]);
}

KERNEL void rnn_tanh_bias(float *restrict out, const float *restrict x, const float *restrict b, long n) {
    for (long j = 0; j < n; j++) out[j] = fast_tanh(x[j] + b[j]);
}

KERNEL void rnn_tanh(float *restrict out, const float *restrict x, long n) {
    for (long j = 0; j < n; j++) out[j] = fast_tanh(x[j]);
}

KERNEL void rnn_sigmoid_sum_inplace(
    float *restrict y, const float *restrict b1, const float *restrict x, const float *restrict b2, long n) {
    for (long j = 0; j < n; j++) y[j] = fast_sigmoid(y[j] + b1[j] + x[j] + b2[j]);
}

KERNEL void rnn_gru_candidate_inplace(
    float *restrict y, const float *restrict b, const float *restrict r, const float *restrict x, long n) {
    for (long j = 0; j < n; j++) y[j] = fast_tanh(y[j] + b[j] + r[j] * x[j]);
}

int rnn_activations_use_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

int rnn_kernel_clone(void) {
    // The same tests, in the same order, as the resolver that target_clones generates (kernel.h).
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 2;
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}
