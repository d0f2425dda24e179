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

    func forward(x: UnsafePointer<Float>, batch: Int, stateMask: UnsafePointer<Float>?) {
        let h = units
        let t0 = memory.timesteps
        let n = batch * h
        SequenceGEMM.projectInputs(x: x, rows: t0 * batch, inputSize: inputSize, w: params.w, gates: h, into: p.pointer)
        let bias = params.b
        let relu = activation == .relu
        for t in 0..<t0 {
            memory.preparePrevious(t, batch: batch, stateMask: stateMask)
            let pt = p.pointer + t * n
            if t > 0 {  // h_0 = 0: the first recurrent product is zero, skip it
                let prev = memory.previous(t, batch: batch, masked: stateMask != nil)
                GEMM.multiply(m: batch, n: h, k: h, a: prev, lda: h, b: params.u, ldb: h, beta: 1, c: pt, ldc: h)
            }
            let out = memory.states.pointer + (t + 1) * n
            for r in 0..<batch {
                let row = pt + r * h
                let o = out + r * h
                if relu {
                    for j in 0..<h { o[j] = max(row[j] + bias[j], 0) }
                } else {
                    Elementwise.tanh(o, row, bias: bias, count: h)
                }
            }
        }
    }

    func backward(
        x: UnsafePointer<Float>, dStates: UnsafeMutablePointer<Float>, lastStepOnly: Bool, batch: Int,
        stateMask: UnsafePointer<Float>?, dx: UnsafeMutablePointer<Float>?
    ) {
        let h = units
        let t0 = memory.timesteps
        let n = batch * h
        let relu = activation == .relu
        let uT = memory.transposeRecurrentKernel(params.u, gates: 1)
        for t in stride(from: t0 - 1, through: 0, by: -1) {
            let dh = dStates + t * n
            let y = memory.states.pointer + (t + 1) * n
            let dp = p.pointer + t * n
            if relu {
                for i in 0..<n { dp[i] = y[i] > 0 ? dh[i] : 0 }
            } else {
                for i in 0..<n { dp[i] = dh[i] * (1 - y[i] * y[i]) }
            }
            if t > 0 {
                memory.propagate(
                    to: t, dP: dp, ldP: h, k: h, uT: uT, dStates: dStates, batch: batch, stateMask: stateMask,
                    overwrite: lastStepOnly)
            }
        }
        SequenceGEMM.accumulateBias(p.pointer, rows: t0 * batch, gates: h, into: params.dB)
        SequenceGEMM.recurrentGradient(
            previous: memory.previous(1, batch: batch, masked: stateMask != nil), rows: (t0 - 1) * batch, units: h,
            dP: p.pointer + n, ldP: h, columns: h, dU: params.dU, ldU: h)
        SequenceGEMM.inputGradients(
            x: x, rows: t0 * batch, inputSize: inputSize, dP: p.pointer, gates: h, w: params.w, dW: params.dW, dx: dx)
    }
}
