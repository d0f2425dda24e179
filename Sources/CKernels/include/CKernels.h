// The C kernels of the recurrent cells: tanh, σ, the GRU and LSTM backward steps and a transpose, vectorized for the
// CPU at hand.
//
// Why C: these loops are most of the non-GEMM time of an LSTM/GRU step, and they run twice as wide with AVX-512.
// Swift compiles a whole module for one CPU, and the engine's baseline is Haswell (AVX2) so that it runs anywhere;
// clang's `target_clones` builds each kernel for AVX-512, AVX2 and plain x86-64 and picks one when the program loads.
// Results are bit-identical between them (no FMA contraction, same operation order) and to the Swift
// expressions they replaced, so a checkpoint does not depend on which CPU trained it.
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/// tanh(x) by Eigen's clamped rational approximation (the one TensorFlow uses); max absolute error ~1e-6.
float rnn_fast_tanh(float x);

/// y ← σ(y + b), σ(x) = ½·tanh(x/2) + ½
void rnn_sigmoid_bias_inplace(float *y, const float *b, long n);

/// y ← tanh(y + b)
void rnn_tanh_bias_inplace(float *y, const float *b, long n);

/// out ← tanh(x + b)
void rnn_tanh_bias(float *out, const float *x, const float *b, long n);

/// out ← tanh(x)
void rnn_tanh(float *out, const float *x, long n);

/// y ← σ(y + b₁ + x + b₂)
void rnn_sigmoid_sum_inplace(float *y, const float *b1, const float *x, const float *b2, long n);

/// y ← tanh(y + b + r ⊙ x)
void rnn_gru_candidate_inplace(float *y, const float *b, const float *r, const float *x, long n);

/// One GRU (reset_after) backward step over `batch` rows of `h` units. Per row: dh = d + carry (⊙ mask) (carry
/// may be null: dh = d); `p` `[3h]` (z, r, ĥ) ← (dz, dr, dĥ) and `q` `[3h]` (·, ·, h·U_h + b'_h) ← (dz, dr, dĥ ⊙ r),
/// the pre-activation gradients; `direct` (may be null) ← dh ⊙ z, or += when `addDirect`. `prev` is h_{t−1}.
void rnn_gru_backward_step(
    float *p, float *q, const float *d, const float *carry, const float *mask, const float *prev, float *direct,
    int addDirect, long batch, long h);

/// One LSTM backward step over `batch` rows of `h` units. Per row: `p` `[4h]` holds the gates (i, f, g, o) and
/// becomes their pre-activation gradients; `cellCarry` holds dL/dc_t from step t + 1 and becomes dL/dc_{t−1};
/// `d` is dL/dh_t, `tanhC` tanh(c_t), `cPrev` c_{t−1}.
void rnn_lstm_backward_step(
    float *p, float *cellCarry, const float *d, const float *tanhC, const float *cPrev, long batch, long h);

/// out[c, r] = a[r, c] for a row-major `rows × cols` matrix (8 × 8 AVX blocks where the CPU has AVX).
void rnn_transpose(const float *a, long rows, long cols, float *out);

/// 1 when the AVX-512 versions run on this CPU (for benchmark reports).
int rnn_activations_use_avx512(void);

/// Sets flush-to-zero and denormals-are-zero on the calling thread; returns the previous MXCSR for
/// `rnn_floating_point_mode_restore`. A subnormal result or operand then costs nothing instead of a ~100-cycle assist.
unsigned rnn_flush_denormals_begin(void);

/// Restores the MXCSR that `rnn_flush_denormals_begin` returned.
void rnn_floating_point_mode_restore(unsigned previous);

/// Which clone of every kernel runs on this CPU: 2 AVX-512, 1 AVX2, 0 plain x86-64 (for provenance).
int rnn_kernel_clone(void);

#ifdef __cplusplus
}
#endif
