/// Keras `LSTM` (recurrent_activation sigmoid, activation tanh).
///
/// Gate order, as Keras stores it, in every `[·, 4H]` matrix: **i, f, c, o** (input, forget, candidate, output).
///   i = σ(a_i), f = σ(a_f), g = tanh(a_c), o = σ(a_o), with a = x_t·W + h_{t−1}·U + b
///   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
/// Weights: kernel W `[D, 4H]`, recurrent_kernel U `[H, 4H]`, bias `[4H]` (forget slice initialised to 1:
/// `unit_forget_bias`).
final class LSTMCell: RecurrentCell {
    let inputSize: Int
    let units: Int
    private let params: CellParameters
    private let memory: CellMemory
    /// `[T, B, 4H]`: pre-activations, then the activated gates (i, f, g, o), then in backward dL/da.
    private let p: FloatBuffer
    /// c_0 … c_T `[T+1, B, H]`.
    private let cells: FloatBuffer
    /// tanh(c_t) for t = 1…T, `[T, B, H]`.
    private let tanhCells: FloatBuffer
    /// dL/dc carried to the previous step, `[B, H]`.
    private let cellCarry: FloatBuffer
    /// The carried dL/dc of a step's padding rows, held while the step is computed `[B, H]`.
    private let paddingCellCarry: FloatBuffer

    var states: UnsafeMutablePointer<Float> { memory.states.pointer }

    init(inputSize: Int, units: Int, params: CellParameters, memory: CellMemory) {
        self.inputSize = inputSize
        self.units = units
        self.params = params
        self.memory = memory
        let steps = memory.timesteps * memory.maxBatch * units
        p = FloatBuffer(count: 4 * steps)
        cells = FloatBuffer(count: steps + memory.maxBatch * units)
        tanhCells = FloatBuffer(count: steps)
        cellCarry = FloatBuffer(count: memory.maxBatch * units)
        paddingCellCarry = FloatBuffer(count: memory.paddingGradient.count)
    }

    static func parameterShapes(inputSize d: Int, units h: Int) -> [(String, [Int])] {
        [("kernel", [d, 4 * h]), ("recurrent_kernel", [h, 4 * h]), ("bias", [4 * h])]
    }

    func forward(x: UnsafePointer<Float>, window w: StepWindow, stateMask: UnsafePointer<Float>?) {
        guard !w.isEmpty else { return }
        let h = units
        let g = 4 * h
        let batch = w.batch
        let n = batch * h
        let first = w.steps.lowerBound
        SequenceGEMM.projectInputs(x: x, window: w, inputSize: inputSize, weights: params.w, gates: g, into: p.pointer)
        (cells.pointer + first * n).update(repeating: 0, count: n)
        let bias = params.b
        for t in w.steps {
            memory.preparePrevious(t, first: first, batch: batch, stateMask: stateMask)
            let pt = p.pointer + t * batch * g
            if t > first {
                let prev = memory.previous(t, batch: batch, masked: stateMask != nil)
                GEMM.multiply(m: batch, n: g, k: h, a: prev, lda: h, b: params.u, ldb: g, beta: 1, c: pt, ldc: g)
            }
            let cPrev = cells.pointer + t * n
            let cNext = cells.pointer + (t + 1) * n
            let tc = tanhCells.pointer + t * n
            let hOut = memory.states.pointer + (t + 1) * n
            for r in 0..<batch {
                let a = pt + r * g
                let ro = r * h
                Elementwise.sigmoidInPlace(a, bias: bias, count: 2 * h)  // i, f
                Elementwise.tanhInPlace(a + 2 * h, bias: bias + 2 * h, count: h)  // c (candidate)
                Elementwise.sigmoidInPlace(a + 3 * h, bias: bias + 3 * h, count: h)  // o
                Elementwise.lstmCellState(cNext + ro, i: a, f: a + h, g: a + 2 * h, previous: cPrev + ro, count: h)
                Elementwise.tanh(tc + ro, cNext + ro, count: h)
                Elementwise.product(hOut + ro, a + 3 * h, tc + ro, count: h)
            }
            memory.carryPadding(t, window: w, in: memory.states.pointer)
            memory.carryPadding(t, window: w, in: cells.pointer)
        }
    }

    func backward(
        x: UnsafePointer<Float>, dStates: UnsafeMutablePointer<Float>, lastStepOnly: Bool, window w: StepWindow,
        stateMask: UnsafePointer<Float>?, dx: UnsafeMutablePointer<Float>?
    ) {
        guard !w.isEmpty else { return }
        let h = units
        let g = 4 * h
        let batch = w.batch
        let n = batch * h
        let first = w.steps.lowerBound
        cellCarry.zero(prefix: n)
        let dcNext = cellCarry.pointer
        let heldCarry = paddingCellCarry.pointer
        let uT = memory.transposeRecurrentKernel(params.u, gates: 4)
        for t in w.steps.reversed() {
            let pt = p.pointer + t * batch * g
            let dh = dStates + t * n
            let cPrev = cells.pointer + t * n
            let tc = tanhCells.pointer + t * n
            // A padding row's dL/dh and dL/dc both pass to the previous step unchanged; with both zeroed here the
            // step's kernel computes zero gate gradients for it.
            let padded = memory.holdPadding(t, window: w, dh)
            if padded {
                for r in 0..<batch where w.isPadding(t, r) {
                    (heldCarry + r * h).update(from: dcNext + r * h, count: h)
                    (dcNext + r * h).update(repeating: 0, count: h)
                }
            }
            Elementwise.lstmBackwardStep(
                p: pt, cellCarry: dcNext, dh: dh, tanhC: tc, cPrevious: cPrev, batch: batch, units: h)
            if t > first {
                memory.propagate(
                    to: t, dP: pt, ldP: g, k: g, uT: uT, dStates: dStates, batch: batch, stateMask: stateMask,
                    overwrite: lastStepOnly)
                if padded { memory.releasePadding(t, window: w, into: dStates + (t - 1) * n) }
            }
            if padded {
                for r in 0..<batch where w.isPadding(t, r) {
                    (dcNext + r * h).update(from: heldCarry + r * h, count: h)
                }
            }
        }
        SequenceGEMM.accumulateBias(p.pointer, window: w, ld: g, columns: g, into: params.dB)
        SequenceGEMM.recurrentGradient(
            previous: memory.previous(0, batch: batch, masked: stateMask != nil), window: w, units: h,
            dP: p.pointer, ldP: g, columns: g, dU: params.dU, ldU: g)
        SequenceGEMM.inputGradients(
            x: x, window: w, inputSize: inputSize, dP: p.pointer, gates: g, weights: params.w, dW: params.dW, dx: dx)
    }
}
