/// The output layer with its loss: `Dense` on the last recurrent (or hidden) output, then softmax + cross-entropy
/// (`DenseSoftmaxHead`) or a linear output + mean squared error (`DenseLinearHead`). A head fuses the loss so that
/// its backward starts from dL/d(pre-activation) directly.
///
/// Shapes: B batch, I input width, O outputs (classes or regression targets).
protocol OutputHead: AnyObject {
    var inputSize: Int { get }
    var outputs: Int { get }
    /// The outputs `[B, O]` of the last forward (probabilities or predictions); dL/d(logits) after `backward`.
    var output: FloatBuffer { get }
    /// Forward pass on `[B, I]`; returns the batch's metric sums.
    func forward(_ x: UnsafePointer<Float>, targets: BatchTargets, batch: Int) -> BatchResult
    /// The argmax class of each example of the last forward (a classifier: the prediction accuracy counts); nil
    /// for regression. Valid until the next forward.
    func predictedClasses(batch: Int) -> UnsafeBufferPointer<Int32>?
    /// Gradients of the mean loss into the head's weights; dL/dx `[B, I]` into `dInput` when non-nil.
    func backward(targets: BatchTargets, batch: Int, dInput: UnsafeMutablePointer<Float>?)
}

extension OutputHead {
    /// Adds the Dense layer's gradients for dL/d(outputs) `d` `[B, O]` (already divided by B) and writes dL/dx.
    func denseBackward(
        _ d: UnsafePointer<Float>, input: UnsafePointer<Float>, kernel: UnsafePointer<Float>,
        dKernel: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>, batch: Int,
        dInput: UnsafeMutablePointer<Float>?
    ) {
        SequenceGEMM.accumulateBias(d, rows: batch, gates: outputs, into: dBias)
        SequenceGEMM.inputGradients(
            x: input, rows: batch, inputSize: inputSize, dP: d, gates: outputs, w: kernel, dW: dKernel, dx: dInput)
    }

    /// out[B, O] = bias + x · kernel.
    func denseForward(
        _ x: UnsafePointer<Float>, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>, batch: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        SequenceGEMM.dense(
            x, rows: batch, inputSize: inputSize, kernel: kernel, bias: bias, outputs: outputs, into: out)
    }
}

/// The head a task needs, reading its Dense weights at `kernel` and `bias` in `store`.
enum OutputHeads {
    static func make(
        task: Task, inputSize: Int, outputs: Int, store: ParameterStore, kernel: Int, bias: Int, maxBatch: Int
    ) -> any OutputHead {
        switch task {
        case .classification:
            DenseSoftmaxHead(
                inputSize: inputSize, classes: outputs, store: store, kernel: kernel, bias: bias, maxBatch: maxBatch)
        case .regression:
            DenseLinearHead(
                inputSize: inputSize, targets: outputs, store: store, kernel: kernel, bias: bias, maxBatch: maxBatch)
        }
    }
}
