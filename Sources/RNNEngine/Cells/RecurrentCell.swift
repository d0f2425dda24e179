/// One recurrent cell type (SimpleRNN, LSTM, GRU) run over a whole sequence.
///
/// Shapes (time-major, row-major): T timesteps, B batch (≤ the batch the cell was built for), D input features,
/// H units, G gates. A cell owns its saved activations; `RecurrentLayer` owns direction, dropout masks and what is
/// returned. Forward hoists the input projection of all timesteps into one GEMM; backward-through-time walks the
/// saved steps in reverse and computes the kernel gradients as one GEMM each over all timesteps.
protocol RecurrentCell: AnyObject {
    var inputSize: Int { get }
    var units: Int { get }
    /// h_0 … h_T as `[T+1, B, H]`, valid after `forward` for the window's steps: the state before its first step is
    /// zero, and a padding row keeps the previous state.
    var states: UnsafeMutablePointer<Float> { get }

    /// Runs the cell over the window's steps of `x` `[T, B, D]` from a zero state. A padding row of a step keeps
    /// its state (Keras's masked step). `stateMask` `[B, H]` (recurrent dropout, already scaled) multiplies h_{t−1}
    /// wherever the cell reads it, as Keras 3 does.
    func forward(x: UnsafePointer<Float>, window: StepWindow, stateMask: UnsafePointer<Float>?)

    /// Backpropagation through time over the window's steps. `dStates` `[T, B, H]` holds dL/dh_t for the window's
    /// steps from the layer above and is used as scratch. With `lastStepOnly` only the window's last row is given (the
    /// layer returned its last state) and the rows before it are not read: the cell writes, rather than adds, what
    /// reaches each h_{t−1}, which is bitwise the same as adding to zeros and saves zeroing them. A padding row passes
    /// its gradient to h_{t−1} unchanged and adds nothing to the weights. Accumulates (`+=`) parameter gradients;
    /// writes dL/dx of the window's steps into `dx` when non-nil.
    func backward(
        x: UnsafePointer<Float>, dStates: UnsafeMutablePointer<Float>, lastStepOnly: Bool, window: StepWindow,
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
    /// dL/dh of a step's padding rows, held while the step's gradients are computed `[B, H]`; empty without a mask.
    let paddingGradient: FloatBuffer

    init(timesteps: Int, units: Int, gates: Int, maxBatch: Int, masked: Bool, padded: Bool) {
        self.timesteps = timesteps
        self.units = units
        self.maxBatch = maxBatch
        states = FloatBuffer(count: (timesteps + 1) * maxBatch * units)
        maskedStates = masked ? FloatBuffer(count: timesteps * maxBatch * units) : nil
        carry = FloatBuffer(count: maxBatch * units)
        transposedRecurrentKernel = FloatBuffer(count: gates * units * units)
        paddingGradient = FloatBuffer(count: padded ? maxBatch * units : 0)
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

    /// Before step t: zero the state before the window's first step and, under recurrent dropout, write
    /// h_{t−1} ⊙ mask.
    @inline(__always)
    func preparePrevious(_ t: Int, first: Int, batch: Int, stateMask: UnsafePointer<Float>?) {
        let n = batch * units
        if t == first { (states.pointer + t * n).update(repeating: 0, count: n) }
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

extension CellMemory {
    /// After step t: a padding row keeps the previous value, `buffer[t + 1] = buffer[t]` (`buffer` `[T+1, B, H]`:
    /// the states, or an LSTM's cell states). Keras's `where(mask, new, previous)`.
    @inline(__always)
    func carryPadding(_ t: Int, window: StepWindow, in buffer: UnsafeMutablePointer<Float>) {
        let (b, h) = (window.batch, units)
        for r in 0..<b where window.isPadding(t, r) {
            (buffer + (t + 1) * b * h + r * h).update(from: buffer + t * b * h + r * h, count: h)
        }
    }

    /// Before step t's backward: moves the padding rows of `dh` `[B, H]` into `paddingGradient` and zeroes them, so
    /// the step computes no gradient from them. Returns false, touching nothing, when no row is padding.
    @inline(__always)
    func holdPadding(_ t: Int, window: StepWindow, _ dh: UnsafeMutablePointer<Float>) -> Bool {
        guard window.hasPadding(t) else { return false }
        let h = units
        let held = paddingGradient.pointer
        for r in 0..<window.batch where window.isPadding(t, r) {
            (held + r * h).update(from: dh + r * h, count: h)
            (dh + r * h).update(repeating: 0, count: h)
        }
        return true
    }

    /// After step t's backward: adds the held padding rows to dL/dh_{t−1}, the state they were carried from.
    @inline(__always)
    func releasePadding(_ t: Int, window: StepWindow, into dPrevious: UnsafeMutablePointer<Float>) {
        let h = units
        let held = paddingGradient.pointer
        for r in 0..<window.batch where window.isPadding(t, r) {
            let dst = dPrevious + r * h
            let src = held + r * h
            for j in 0..<h { dst[j] += src[j] }
        }
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

    /// A Dense layer's pre-activation: out[rows, outputs] = bias + x · kernel. The bias rows first, then the product
    /// accumulated onto them (beta = 1): one pass fewer than adding after.
    static func dense(
        _ x: UnsafePointer<Float>, rows: Int, inputSize: Int, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        outputs: Int, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows { (out + r * outputs).update(from: bias, count: outputs) }
        GEMM.multiply(
            m: rows, n: outputs, k: inputSize, a: x, lda: inputSize, b: kernel, ldb: outputs, beta: 1, c: out,
            ldc: outputs)
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

/// The all-steps GEMMs of `SequenceGEMM` over a window's steps, run segment by segment (`StepWindow`), so the
/// window's padding-only steps add exact zeros separately from the data's. Pointers are to step 0 of `[T, B, ·]`
/// buffers; row strides are per batch row.
extension SequenceGEMM {
    /// P = X · W for every step of the window.
    static func projectInputs(
        x: UnsafePointer<Float>, window w: StepWindow, inputSize d: Int, weights: UnsafePointer<Float>, gates g: Int,
        into p: UnsafeMutablePointer<Float>
    ) {
        let b = w.batch
        w.forEachSegment(of: w.steps) { r in
            projectInputs(
                x: x + r.lowerBound * b * d, rows: r.count * b, inputSize: d, w: weights, gates: g,
                into: p + r.lowerBound * b * g)
        }
    }

    /// dW += Xᵀ · dP and, when requested, dX = dP · Wᵀ, for every step of the window.
    static func inputGradients(
        x: UnsafePointer<Float>, window w: StepWindow, inputSize d: Int, dP: UnsafePointer<Float>, gates g: Int,
        weights: UnsafePointer<Float>, dW: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>?
    ) {
        let b = w.batch
        w.forEachSegment(of: w.steps) { r in
            inputGradients(
                x: x + r.lowerBound * b * d, rows: r.count * b, inputSize: d, dP: dP + r.lowerBound * b * g, gates: g,
                w: weights, dW: dW, dx: dx.map { $0 + r.lowerBound * b * d })
        }
    }

    /// Column sums of the first `columns` of dP `[T, B, ld]` over the window's steps, added into db.
    static func accumulateBias(
        _ dP: UnsafePointer<Float>, window w: StepWindow, ld: Int, columns: Int, into db: UnsafeMutablePointer<Float>
    ) {
        let b = w.batch
        w.forEachSegment(of: w.steps) { r in
            accumulateBias(dP + r.lowerBound * b * ld, rows: r.count * b, ld: ld, columns: columns, into: db)
        }
    }

    /// dU[:, cols] += Σ_t prev_tᵀ · dP_t[:, cols] over the window's steps after its first (whose previous state is
    /// zero). `previous` and `dP` point at step 0; `previous` rows have H columns, `dP` rows `ldP`.
    static func recurrentGradient(
        previous: UnsafePointer<Float>, window w: StepWindow, units h: Int, dP: UnsafePointer<Float>, ldP: Int,
        columns: Int, dU: UnsafeMutablePointer<Float>, ldU: Int
    ) {
        let b = w.batch
        let (range, core) = w.recurrentSteps
        w.forEachSegment(of: range, core: core) { r in
            recurrentGradient(
                previous: previous + r.lowerBound * b * h, rows: r.count * b, units: h, dP: dP + r.lowerBound * b * ldP,
                ldP: ldP, columns: columns, dU: dU, ldU: ldU)
        }
    }

    /// Like `recurrentGradient(previous:window:…)` but over every step of the window, for a `previous` that is
    /// already zero at the window's first step (GRU reset_before's r ⊙ h_{t−1}).
    static func recurrentGradientAllSteps(
        previous: UnsafePointer<Float>, window w: StepWindow, units h: Int, dP: UnsafePointer<Float>, ldP: Int,
        columns: Int, dU: UnsafeMutablePointer<Float>, ldU: Int
    ) {
        let b = w.batch
        w.forEachSegment(of: w.steps) { r in
            recurrentGradient(
                previous: previous + r.lowerBound * b * h, rows: r.count * b, units: h, dP: dP + r.lowerBound * b * ldP,
                ldP: ldP, columns: columns, dU: dU, ldU: ldU)
        }
    }
}
