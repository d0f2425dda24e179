/// Keras `Dense(k)` with a linear output, trained with `mean_squared_error`: per example the mean over its k targets
/// of (y − ŷ)², then the mean over the batch. dL/dŷ = 2(ŷ − y) / (k·B). The metrics MAE and RMSE are summed from the
/// same errors (see `Metric`).
///
/// Weights: kernel `[I, k]`, bias `[k]`.
final class DenseLinearHead: OutputHead {
    let inputSize: Int
    let outputs: Int
    private let store: ParameterStore
    private let kernel: Int
    private let bias: Int
    /// Predictions `[B, k]` after `forward`; dL/dŷ after `backward`.
    let output: FloatBuffer
    private var lastInput: UnsafePointer<Float>?

    init(inputSize: Int, targets: Int, store: ParameterStore, kernel: Int, bias: Int, maxBatch: Int) {
        self.inputSize = inputSize
        outputs = targets
        self.store = store
        self.kernel = kernel
        self.bias = bias
        output = FloatBuffer(count: maxBatch * targets)
    }

    func forward(_ x: UnsafePointer<Float>, targets: BatchTargets, batch: Int) -> BatchResult {
        guard case .values(let y) = targets else { preconditionFailure("a regression model needs real targets") }
        lastInput = x
        let k = outputs
        let out = output.pointer
        denseForward(x, kernel: store.values + kernel, bias: store.values + bias, batch: batch, into: out)
        var squared = 0.0
        var absolute = 0.0
        for r in 0..<batch {
            var rowSquared = 0.0
            var rowAbsolute = 0.0
            for j in 0..<k {
                let e = Double(out[r * k + j]) - Double(y[r * k + j])
                rowSquared += e * e
                rowAbsolute += abs(e)
            }
            squared += rowSquared / Double(k)
            absolute += rowAbsolute / Double(k)
        }
        return BatchResult(count: batch, lossSum: squared, absoluteErrorSum: absolute)
    }

    func predictedClasses(batch: Int) -> UnsafeBufferPointer<Int32>? { nil }

    func backward(targets: BatchTargets, batch: Int, dInput: UnsafeMutablePointer<Float>?) {
        guard case .values(let y) = targets else { preconditionFailure("a regression model needs real targets") }
        let k = outputs
        let d = output.pointer
        let scale = 2 / Float(k * batch)
        for i in 0..<(batch * k) { d[i] = (d[i] - y[i]) * scale }
        denseBackward(
            d, input: lastInput!, kernel: store.values + kernel, dKernel: store.gradients + kernel,
            dBias: store.gradients + bias, batch: batch, dInput: dInput)
    }
}
