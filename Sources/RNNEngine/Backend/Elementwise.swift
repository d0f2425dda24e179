import CKernels

/// Fused elementwise kernels of the cells, one output stream each. The ones with tanh/σ, the whole LSTM and GRU
/// backward steps and the transpose are C (CKernels), built for AVX-512 and AVX2 and chosen at load time; the rest
/// are memory-bound and stay here.
///
/// Why so small: LLVM vectorizes a loop over several raw pointers only after runtime checks that they don't overlap,
/// and gives up when there are too many (an 8-pointer LSTM loop ran scalar and took 41 % of a training step). Each
/// kernel here writes one stream and reads at most four, so it vectorizes; in-place kernels take the written stream
/// as ONE pointer, because two equal pointers would fail the overlap check and fall back to scalar code. The Swift
/// kernels stay out of line (`@inline(never)`): inlined into a cell, a kernel saw two of its pointers as offsets of
/// one row, LLVM could not prove them apart, and GRU's update-gate gradient ran scalar.
enum Elementwise {
    /// y ← σ(y + b)
    static func sigmoidInPlace(_ y: UnsafeMutablePointer<Float>, bias b: UnsafePointer<Float>, count n: Int) {
        rnn_sigmoid_bias_inplace(y, b, n)
    }

    /// y ← tanh(y + b)
    static func tanhInPlace(_ y: UnsafeMutablePointer<Float>, bias b: UnsafePointer<Float>, count n: Int) {
        rnn_tanh_bias_inplace(y, b, n)
    }

    /// y ← σ(y + b₁ + x + b₂) (GRU gates with reset_after: input and recurrent projections with their biases)
    static func sigmoidOfSumInPlace(
        _ y: UnsafeMutablePointer<Float>, _ b1: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
        _ b2: UnsafePointer<Float>, count n: Int
    ) {
        rnn_sigmoid_sum_inplace(y, b1, x, b2, n)
    }

    /// y ← y + b
    @inline(never)
    static func addInPlace(_ y: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) {
        for j in 0..<n { y[j] += b[j] }
    }

    /// y ← y + a ⊙ b
    @inline(never)
    static func addProductInPlace(
        _ y: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int
    ) {
        for j in 0..<n { y[j] += a[j] * b[j] }
    }

    /// out ← a ⊙ b
    @inline(never)
    static func product(
        _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int
    ) {
        for j in 0..<n { out[j] = a[j] * b[j] }
    }

    /// out ← tanh(x + b)
    static func tanh(
        _ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, bias b: UnsafePointer<Float>, count n: Int
    ) {
        rnn_tanh_bias(out, x, b, n)
    }

    /// out ← tanh(x)
    static func tanh(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count n: Int) {
        rnn_tanh(out, x, n)
    }

    /// LSTM cell state: c ← f ⊙ c_prev + i ⊙ g
    @inline(never)
    static func lstmCellState(
        _ c: UnsafeMutablePointer<Float>, i: UnsafePointer<Float>, f: UnsafePointer<Float>, g: UnsafePointer<Float>,
        previous: UnsafePointer<Float>, count n: Int
    ) {
        for j in 0..<n { c[j] = f[j] * previous[j] + i[j] * g[j] }
    }

    /// For y = σ(a): y ← s ⊙ t ⊙ y(1 − y) = dL/da given dL/dy = s ⊙ t.
    @inline(never)
    static func sigmoidGradientInPlace(
        _ y: UnsafeMutablePointer<Float>, _ s: UnsafePointer<Float>, _ t: UnsafePointer<Float>, count n: Int
    ) {
        for j in 0..<n { y[j] = s[j] * t[j] * y[j] * (1 - y[j]) }
    }

    /// GRU candidate: ĥ ← tanh(ĥ + b + r ⊙ x)   (reset_after: x = h·U_h + b'_h)
    static func gruCandidateInPlace(
        _ y: UnsafeMutablePointer<Float>, bias b: UnsafePointer<Float>, r: UnsafePointer<Float>,
        _ x: UnsafePointer<Float>, count n: Int
    ) {
        rnn_gru_candidate_inplace(y, b, r, x, n)
    }

    /// GRU output: h ← z ⊙ h_prev + (1 − z) ⊙ ĥ
    @inline(never)
    static func gruBlend(
        _ h: UnsafeMutablePointer<Float>, z: UnsafePointer<Float>, previous: UnsafePointer<Float>,
        candidate: UnsafePointer<Float>, count n: Int
    ) {
        for j in 0..<n { h[j] = z[j] * previous[j] + (1 - z[j]) * candidate[j] }
    }

    /// GRU dL/d(candidate pre-activation): dh ⊙ (1 − z) ⊙ (1 − ĥ²)
    @inline(never)
    static func gruCandidateGradient(
        _ out: UnsafeMutablePointer<Float>, dh: UnsafePointer<Float>, z: UnsafePointer<Float>,
        candidate: UnsafePointer<Float>, count n: Int
    ) {
        for j in 0..<n { out[j] = dh[j] * (1 - z[j]) * (1 - candidate[j] * candidate[j]) }
    }

    /// GRU dL/d(update-gate pre-activation), in place of z: dh ⊙ (h_prev − ĥ) ⊙ z(1 − z)
    @inline(never)
    static func gruUpdateGradientInPlace(
        _ z: UnsafeMutablePointer<Float>, dh: UnsafePointer<Float>, previous: UnsafePointer<Float>,
        candidate: UnsafePointer<Float>, count n: Int
    ) {
        for j in 0..<n { z[j] = dh[j] * (previous[j] - candidate[j]) * z[j] * (1 - z[j]) }
    }

    /// One LSTM backward step over the batch, in one pass per row (C: `rnn_lstm_backward_step`, which documents the
    /// arguments). Same values as the seven Swift passes it replaced (dL/dc, its carry, the gate gradients), bit for
    /// bit.
    static func lstmBackwardStep(
        p: UnsafeMutablePointer<Float>, cellCarry: UnsafeMutablePointer<Float>, dh: UnsafePointer<Float>,
        tanhC: UnsafePointer<Float>, cPrevious: UnsafePointer<Float>, batch: Int, units: Int
    ) {
        rnn_lstm_backward_step(p, cellCarry, dh, tanhC, cPrevious, batch, units)
    }

    /// One GRU (reset_after) backward step over the batch, in one pass per row (C: `rnn_gru_backward_step`, which
    /// documents the arguments). Same values as the separate kernels above, bit for bit.
    static func gruBackwardStep(
        p: UnsafeMutablePointer<Float>, q: UnsafeMutablePointer<Float>, d: UnsafePointer<Float>,
        carry: UnsafePointer<Float>?, mask: UnsafePointer<Float>?, previous: UnsafePointer<Float>,
        direct: UnsafeMutablePointer<Float>?, addDirect: Bool, batch: Int, units: Int
    ) {
        rnn_gru_backward_step(p, q, d, carry, mask, previous, direct, addDirect ? 1 : 0, batch, units)
    }
}

extension Elementwise {
    /// The instruction set the C kernels (tanh/σ, the backward steps) run with on this CPU: `AVX-512`, `AVX2`, or
    /// `baseline` (plain x86-64, which only a CPU without AVX2 gets).
    static var activationInstructionSet: String {
        switch rnn_kernel_clone() {
        case 2: "AVX-512"
        case 1: "AVX2"
        default: "baseline"
        }
    }

    /// out[c, r] = a[r, c] for a `rows × columns` matrix (C: 8 × 8 AVX register blocks, ~0.3 ns per element;
    /// the scalar loop took ~2 ns). The backward pass multiplies by Uᵀ once per timestep; a transposed copy made once
    /// per batch lets that GEMM read its operand row-major ('N','N'), measured faster than sgemm's own transposed
    /// path, most for LSTM.
    static func transpose(_ a: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
        rnn_transpose(a, rows, columns, out)
    }
}
