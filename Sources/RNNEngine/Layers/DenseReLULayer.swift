/// One hidden block of the book's MLP: Keras `Dense(units)` → `Activation('relu')` → `Dropout(rate)`, on rows.
///
/// Shapes: B batch, I inputs, H units. Input `[B, I]`, output `[B, H]`; kernel `[I, H]` and bias `[H]` live in the
/// model's `ParameterStore`. Dropout is Keras's inverted dropout: during training each element of each example is
/// kept with probability 1 − rate and scaled by 1/(1 − rate), a fresh mask every batch; at inference it is the
/// identity.
final class DenseReLULayer {
    let inputSize: Int
    let units: Int
    private let store: ParameterStore
    private let kernel: Int
    private let bias: Int
    private let mask: DropoutMask
    /// relu(x·W + b) `[B, H]`, before dropout: backward reads the ReLU's support from it.
    private let activations: FloatBuffer
    /// The dropped-out output `[B, H]` (only with dropout; otherwise the output is `activations`).
    private let dropped: FloatBuffer?
    /// dL/d(pre-activation) `[B, H]`.
    private let dPre: FloatBuffer
    private var lastInput: UnsafePointer<Float>?
    private var maskApplied = false

    init(inputSize: Int, units: Int, dropout: Float, store: ParameterStore, kernel: Int, bias: Int, maxBatch: Int) {
        self.inputSize = inputSize
        self.units = units
        self.store = store
        self.kernel = kernel
        self.bias = bias
        mask = DropoutMask(rate: dropout, width: units, maxBatch: maxBatch)
        activations = FloatBuffer(count: maxBatch * units)
        dropped = dropout > 0 ? FloatBuffer(count: maxBatch * units) : nil
        dPre = FloatBuffer(count: maxBatch * units)
    }

    /// Forward pass over `x` `[B, I]`; returns the output `[B, H]`, valid until the next forward. With `training` and
    /// a non-zero rate, draws a new `[B, H]` mask from `rng` (B·H draws, row-major).
    func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool, rng: inout RandomSource) -> UnsafePointer<Float>
    {
        lastInput = x
        let h = units
        let n = batch * h
        let y = activations.pointer
        SequenceGEMM.dense(
            x, rows: batch, inputSize: inputSize, kernel: store.values + kernel, bias: store.values + bias, outputs: h,
            into: y)
        for i in 0..<n { y[i] = max(y[i], 0) }
        maskApplied = training && mask.isActive
        guard maskApplied, let dropped else { return UnsafePointer(y) }
        mask.draw(count: n, rng: &rng)
        let m = mask.buffer.pointer
        let out = dropped.pointer
        for i in 0..<n { out[i] = y[i] * m[i] }
        return UnsafePointer(out)
    }

    /// Backward pass for the last forward: adds dL/dW and dL/db into the store's gradients and, when `dInput` is
    /// given, writes dL/dx `[B, I]` there (the first layer of a classifier in training needs none, and skipping it
    /// saves the model's largest product).
    func backward(_ dOutput: UnsafePointer<Float>, batch: Int, dInput: UnsafeMutablePointer<Float>?) {
        let h = units
        let n = batch * h
        let y = activations.pointer
        let d = dPre.pointer
        // ReLU passes the gradient where its output is positive (TensorFlow's ReluGrad: none at exactly 0).
        if maskApplied {
            let m = mask.buffer.pointer
            for i in 0..<n { d[i] = y[i] > 0 ? dOutput[i] * m[i] : 0 }
        } else {
            for i in 0..<n { d[i] = y[i] > 0 ? dOutput[i] : 0 }
        }
        SequenceGEMM.accumulateBias(d, rows: batch, gates: h, into: store.gradients + bias)
        SequenceGEMM.inputGradients(
            x: lastInput!, rows: batch, inputSize: inputSize, dP: d, gates: h, w: store.values + kernel,
            dW: store.gradients + kernel, dx: dInput)
    }
}
