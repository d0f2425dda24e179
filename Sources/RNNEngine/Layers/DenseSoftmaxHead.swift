import RNNCore

/// Keras `Dense(C)` followed by `Activation("softmax")` and categorical cross-entropy, fused: the gradient of the
/// mean loss with respect to the logits is (softmax − onehot) / B, computed without forming log(softmax) naively.
///
/// Weights: kernel `[I, C]`, bias `[C]` (I = width of the last recurrent output).
final class DenseSoftmaxHead: OutputHead {
    let inputSize: Int
    let outputs: Int
    private let store: ParameterStore
    private let kernel: Int
    private let bias: Int
    /// Softmax probabilities `[B, C]` after `forward`; dL/dlogits after `backward`.
    let output: FloatBuffer
    /// The argmax class of each example `[B]` after `forward`: the prediction accuracy counts (the first largest
    /// logit, as Keras's argmax), kept for the confusion matrix. Allocated once: no allocation in a step.
    private let predicted: UnsafeMutablePointer<Int32>
    private var lastInput: UnsafePointer<Float>?

    init(inputSize: Int, classes: Int, store: ParameterStore, kernel: Int, bias: Int, maxBatch: Int) {
        self.inputSize = inputSize
        outputs = classes
        self.store = store
        self.kernel = kernel
        self.bias = bias
        output = FloatBuffer(count: maxBatch * classes)
        predicted = .allocate(capacity: maxBatch)
        predicted.initialize(repeating: 0, count: maxBatch)
    }

    /// Computes softmax probabilities; sums the loss and the correct argmax predictions. The loss is accumulated in
    /// double precision so the epoch mean does not drift with batch count.
    func forward(_ x: UnsafePointer<Float>, targets: BatchTargets, batch: Int) -> BatchResult {
        guard case .classes(let labels) = targets else { preconditionFailure("a classifier needs class labels") }
        lastInput = x
        let c = outputs
        let logits = output.pointer
        denseForward(x, kernel: store.values + kernel, bias: store.values + bias, batch: batch, into: logits)
        var lossSum = 0.0
        var correct = 0
        for r in 0..<batch {
            let row = logits + r * c
            var best = 0
            var maxLogit = row[0]
            for j in 1..<c where row[j] > maxLogit {
                maxLogit = row[j]
                best = j
            }
            let label = Int(labels[r])
            let labelLogit = Double(row[label] - maxLogit)
            var sum = 0.0
            for j in 0..<c {
                let e = exp(Double(row[j] - maxLogit))
                row[j] = Float(e)
                sum += e
            }
            // log softmax_label = (logit_label − max) − log Σ exp(logit − max): never log(0).
            lossSum -= labelLogit - log(sum)
            let inv = Float(1 / sum)
            for j in 0..<c { row[j] *= inv }
            if best == label { correct += 1 }
            predicted[r] = Int32(best)
        }
        return BatchResult(count: batch, lossSum: lossSum, correct: correct)
    }

    deinit { predicted.deallocate() }

    func predictedClasses(batch: Int) -> UnsafeBufferPointer<Int32>? {
        UnsafeBufferPointer(start: predicted, count: batch)
    }

    /// dL/dlogits for the mean loss, then dense gradients, then dL/dx `[B, I]` into `dInput`.
    func backward(targets: BatchTargets, batch: Int, dInput: UnsafeMutablePointer<Float>?) {
        guard case .classes(let labels) = targets else { preconditionFailure("a classifier needs class labels") }
        let c = outputs
        let d = output.pointer
        let scale = 1 / Float(batch)
        for r in 0..<batch {
            let row = d + r * c
            row[Int(labels[r])] -= 1
            for j in 0..<c { row[j] *= scale }
        }
        denseBackward(
            d, input: lastInput!, kernel: store.values + kernel, dKernel: store.gradients + kernel,
            dBias: store.gradients + bias, batch: batch, dInput: dInput)
    }
}
