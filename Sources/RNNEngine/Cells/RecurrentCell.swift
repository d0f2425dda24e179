/// One recurrent cell type (SimpleRNN, LSTM, GRU) run over a whole sequence.
///
/// Shapes (time-major, row-major): T timesteps, B batch (≤ the batch the cell was built for), D input features,
/// H units, G gates. A cell owns its saved activations; `RecurrentLayer` owns direction, dropout masks and what is
/// returned. Forward hoists the input projection of all timesteps into one GEMM; backward-through-time walks the
/// saved steps in reverse and computes the kernel gradients as one GEMM each over all timesteps.
protocol RecurrentCell: AnyObject {
    var inputSize: Int { get }
    var units: Int { get }
    /// h_0 … h_T as `[T+1, B, H]` (h_0 = 0), valid after `forward`.
    var states: UnsafeMutablePointer<Float> { get }

    /// Runs the cell over `x` `[T, B, D]` from a zero state. `stateMask` `[B, H]` (recurrent dropout, already scaled)
    /// multiplies h_{t−1} wherever the cell reads it, as Keras 3 does.
    func forward(x: UnsafePointer<Float>, batch: Int, stateMask: UnsafePointer<Float>?)

    /// Backpropagation through time. `dStates` `[T, B, H]` holds dL/dh_t for t = 1…T from the layer above and is
    /// used as scratch. With `lastStepOnly` only dL/dh_T is given (the layer returned its last state) and the rows
    /// before it are not read: the cell writes, rather than adds, what reaches each h_{t−1}, which is bitwise the
    /// same as adding to zeros and saves zeroing them. Accumulates (`+=`) parameter gradients; writes dL/dx
    /// `[T, B, D]` into `dx` when non-nil.
    func backward(
        x: UnsafePointer<Float>, dStates: UnsafeMutablePointer<Float>, lastStepOnly: Bool, batch: Int,
        stateMask: UnsafePointer<Float>?, dx: UnsafeMutablePointer<Float>?)
}

/// Buffers and helpers every cell shares: the states, the masked previous states and the carried gradient.
final class CellMemory {
    let timesteps: Int
    let units: Int
    let maxBatch: Int
    /// h_0 … h_T `[T+1, B, H]`.
    let states: FloatBuffer
    /// h_{t−1} ⊙ mask for t = 0 … T−1, `[T, B, H]`; allocated only when recurrent dropout is possible.
    let maskedStates: FloatBuffer?
    /// dL/d(h_{t−1} as the cell read it), `[B, H]`.
    let carry: FloatBuffer
    /// Uᵀ `[G·H, H]`, refreshed at the start of every backward pass.
    let transposedRecurrentKernel: FloatBuffer

    init(timesteps: Int, units: Int, gates: Int, maxBatch: Int, masked: Bool) {
        self.timesteps = timesteps
        self.units = units
        self.maxBatch = maxBatch
        states = FloatBuffer(count: (timesteps + 1) * maxBatch * units)
        maskedStates = masked ? FloatBuffer(count: timesteps * maxBatch * units) : nil
        carry = FloatBuffer(count: maxBatch * units)
        transposedRecurrentKernel = FloatBuffer(count: gates * units * units)
    }

    /// Copies U `[H, G·H]` transposed into `transposedRecurrentKernel` and returns it.
    func transposeRecurrentKernel(_ u: UnsafePointer<Float>, gates: Int) -> UnsafeMutablePointer<Float> {
        Elementwise.transpose(u, rows: units, columns: gates * units, into: transposedRecurrentKernel.pointer)
        return transposedRecurrentKernel.pointer
    }

    /// The previous state the cell reads at step t: h_{t−1}, or h_{t−1} ⊙ mask under recurrent dropout.
    @inline(__always)
    func previous(_ t: Int, batch: Int, masked: Bool) -> UnsafeMutablePointer<Float> {
        masked ? maskedStates!.pointer + t * batch * units : states.pointer + t * batch * units
    }

    /// Before step t: zero h_0 at t = 0 and, under recurrent dropout, write h_{t−1} ⊙ mask.
    @inline(__always)
    func preparePrevious(_ t: Int, batch: Int, stateMask: UnsafePointer<Float>?) {
        let n = batch * units
        if t == 0 { states.pointer.update(repeating: 0, count: n) }
        guard let mask = stateMask else { return }
        let src = states.pointer + t * n
        let dst = maskedStates!.pointer + t * n
        for i in 0..<n { dst[i] = src[i] * mask[i] }
    }

    /// dStates[t−1] += carry (⊙ mask): the gradient that reaches h_{t−1} through step t.
    @inline(__always)
    func passCarry(to t: Int, dStates: UnsafeMutablePointer<Float>, batch: Int, stateMask: UnsafePointer<Float>?) {
        let n = batch * units
        let dst = dStates + (t - 1) * n
        let c = carry.pointer
        if let mask = stateMask {
            for i in 0..<n { dst[i] += c[i] * mask[i] }
        } else {
            for i in 0..<n { dst[i] += c[i] }
        }
    }

    /// dStates[t−1] (+)= dP_t · Uᵀ (⊙ mask): the gradient that reaches h_{t−1} through step t's recurrent product.
    /// `dP` is step t's `[B, K]` pre-activation gradient (row stride `ldP`), `uT` the `[K, H]` transposed kernel.
    ///
    /// Without a mask the GEMM writes straight into dStates[t−1] — with beta = 0 when nothing is there yet
    /// (`overwrite`), so no carry buffer and no pass over it; with a mask it goes through `carry`.
    @inline(__always)
    func propagate(
        to t: Int, dP: UnsafePointer<Float>, ldP: Int, k: Int, uT: UnsafePointer<Float>,
        dStates: UnsafeMutablePointer<Float>, batch: Int, stateMask: UnsafePointer<Float>?, overwrite: Bool
    ) {
        let n = batch * units
        let dst = dStates + (t - 1) * n
        guard let mask = stateMask else {
            GEMM.multiply(
                m: batch, n: units, k: k, a: dP, lda: ldP, b: uT, ldb: units, beta: overwrite ? 0 : 1, c: dst,
                ldc: units)
            return
        }
        let c = carry.pointer
        GEMM.multiply(m: batch, n: units, k: k, a: dP, lda: ldP, b: uT, ldb: units, beta: 0, c: c, ldc: units)
        guard overwrite else { return passCarry(to: t, dStates: dStates, batch: batch, stateMask: mask) }
        for i in 0..<n { dst[i] = c[i] * mask[i] }
    }
}

/// Parameter and gradient pointers of a cell's three Keras tensors.
struct CellParameters {
    let store: ParameterStore
    let kernel: Int
    let recurrentKernel: Int
    let bias: Int

    var w: UnsafeMutablePointer<Float> { store.values + kernel }
    var u: UnsafeMutablePointer<Float> { store.values + recurrentKernel }
    var b: UnsafeMutablePointer<Float> { store.values + bias }
    var dW: UnsafeMutablePointer<Float> { store.gradients + kernel }
    var dU: UnsafeMutablePointer<Float> { store.gradients + recurrentKernel }
    var dB: UnsafeMutablePointer<Float> { store.gradients + bias }
}

/// The GEMMs that span all timesteps, shared by every cell. `g` is the gate width G·H of `w` and `dP`.
enum SequenceGEMM {
    /// P[T·B, G·H] = X[T·B, D] · W[D, G·H]: the input projection of every timestep at once.
    static func projectInputs(
        x: UnsafePointer<Float>, rows: Int, inputSize: Int, w: UnsafePointer<Float>, gates g: Int,
        into p: UnsafeMutablePointer<Float>
    ) {
        GEMM.multiply(m: rows, n: g, k: inputSize, a: x, lda: inputSize, b: w, ldb: g, beta: 0, c: p, ldc: g)
    }

    /// dW += Xᵀ · dP and, when requested, dX = dP · Wᵀ.
    static func inputGradients(
        x: UnsafePointer<Float>, rows: Int, inputSize: Int, dP: UnsafePointer<Float>, gates g: Int,
        w: UnsafePointer<Float>, dW: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>?
    ) {
        GEMM.multiply(
            transposeA: true, m: inputSize, n: g, k: rows, a: x, lda: inputSize, b: dP, ldb: g, beta: 1, c: dW, ldc: g)
        if let dx {
            GEMM.multiply(
                transposeB: true, m: rows, n: inputSize, k: g, a: dP, lda: g, b: w, ldb: g, beta: 0, c: dx,
                ldc: inputSize)
        }
    }

    /// dU[:, cols] += Σ_t prevᵀ · dP[:, cols] over the given rows (all timesteps at once).
    static func recurrentGradient(
        previous: UnsafePointer<Float>, rows: Int, units h: Int, dP: UnsafePointer<Float>, ldP: Int, columns: Int,
        dU: UnsafeMutablePointer<Float>, ldU: Int
    ) {
        guard rows > 0 else { return }
        GEMM.multiply(
            transposeA: true, m: h, n: columns, k: rows, a: previous, lda: h, b: dP, ldb: ldP, beta: 1, c: dU,
            ldc: ldU)
    }

    /// Column sums of dP[rows, g] added into db[g].
    @inline(__always)
    static func accumulateBias(
        _ dP: UnsafePointer<Float>, rows: Int, gates g: Int, into db: UnsafeMutablePointer<Float>
    ) {
        accumulateBias(dP, rows: rows, ld: g, columns: g, into: db)
    }

    /// Column sums of the first `columns` columns of dP[rows, ld] added into db[columns].
    @inline(__always)
    static func accumulateBias(
        _ dP: UnsafePointer<Float>, rows: Int, ld: Int, columns: Int, into db: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows {
            let row = dP + r * ld
            for j in 0..<columns { db[j] += row[j] }
        }
    }
}
