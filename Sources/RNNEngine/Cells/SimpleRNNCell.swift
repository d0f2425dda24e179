/// Keras `SimpleRNN`: h_t = act(x_t·W + h_{t−1}·U + b).
///
/// Weights (Keras layout): kernel W `[D, H]`, recurrent_kernel U `[H, H]`, bias `[H]`.
final class SimpleRNNCell: RecurrentCell {
    let inputSize: Int
    let units: Int
    let activation: Activation
    private let params: CellParameters
    private let memory: CellMemory
    /// Pre-activations `[T, B, H]`; reused for dL/d(pre-activation) in backward.
    private let p: FloatBuffer

    var states: UnsafeMutablePointer<Float> { memory.states.pointer }

    init(inputSize: Int, units: Int, activation: Activation, params: CellParameters, memory: CellMemory) {
        self.inputSize = inputSize
        self.units = units
        self.activation = activation
        self.params = params
        self.memory = memory
        p = FloatBuffer(count: memory.timesteps * memory.maxBatch * units)
    }

    static func parameterShapes(inputSize d: Int, units h: Int) -> [(String, [Int])] {
        [("kernel", [d, h]), ("recurrent_kernel", [h, h]), ("bias", [h])]
    }

    func forward(x: UnsafePointer<Float>, window w: StepWindow, stateMask: UnsafePointer<Float>?) {
        guard !w.isEmpty else { return }
        let h = units
        let n = w.batch * h
        SequenceGEMM.projectInputs(
            x: x, window: w, inputSize: inputSize, weights: params.w, gates: h, into: p.pointer)
        let bias = params.b
        let relu = activation == .relu
        let first = w.steps.lowerBound
        for t in w.steps {
            memory.preparePrevious(t, first: first, batch: w.batch, stateMask: stateMask)
            let pt = p.pointer + t * n
            if t > first {  // the state before the first step is zero: skip its recurrent product
                let prev = memory.previous(t, batch: w.batch, masked: stateMask != nil)
                GEMM.multiply(m: w.batch, n: h, k: h, a: prev, lda: h, b: params.u, ldb: h, beta: 1, c: pt, ldc: h)
            }
            let out = memory.states.pointer + (t + 1) * n
            for r in 0..<w.batch {
                let row = pt + r * h
                let o = out + r * h
                if relu {
                    for j in 0..<h { o[j] = max(row[j] + bias[j], 0) }
                } else {
                    Elementwise.tanh(o, row, bias: bias, count: h)
                }
            }
            memory.carryPadding(t, window: w, in: memory.states.pointer)
        }
    }

    func backward(
        x: UnsafePointer<Float>, dStates: UnsafeMutablePointer<Float>, lastStepOnly: Bool, window w: StepWindow,
        stateMask: UnsafePointer<Float>?, dx: UnsafeMutablePointer<Float>?
    ) {
        guard !w.isEmpty else { return }
        let h = units
        let n = w.batch * h
        let relu = activation == .relu
        let first = w.steps.lowerBound
        let uT = memory.transposeRecurrentKernel(params.u, gates: 1)
        for t in w.steps.reversed() {
            let dh = dStates + t * n
            let padded = memory.holdPadding(t, window: w, dh)
            let y = memory.states.pointer + (t + 1) * n
            let dp = p.pointer + t * n
            if relu {
                for i in 0..<n { dp[i] = y[i] > 0 ? dh[i] : 0 }
            } else {
                for i in 0..<n { dp[i] = dh[i] * (1 - y[i] * y[i]) }
            }
            if t > first {
                memory.propagate(
                    to: t, dP: dp, ldP: h, k: h, uT: uT, dStates: dStates, batch: w.batch, stateMask: stateMask,
                    overwrite: lastStepOnly)
                if padded { memory.releasePadding(t, window: w, into: dStates + (t - 1) * n) }
            }
        }
        SequenceGEMM.accumulateBias(p.pointer, window: w, ld: h, columns: h, into: params.dB)
        SequenceGEMM.recurrentGradient(
            previous: memory.previous(0, batch: w.batch, masked: stateMask != nil), window: w, units: h,
            dP: p.pointer, ldP: h, columns: h, dU: params.dU, ldU: h)
        SequenceGEMM.inputGradients(
            x: x, window: w, inputSize: inputSize, dP: p.pointer, gates: h, weights: params.w, dW: params.dW, dx: dx)
    }
}
