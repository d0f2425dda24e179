import RNNCore

/// Keras `Dense(C)` followed by `Activation("softmax")` and categorical cross-entropy, fused: the gradient of the
/// mean loss with respect to the logits is (softmax − onehot) / B, computed without forming log(softmax) naively.
///
/// Weights: kernel `[I, C]`, bias `[C]` (I = width of the last recurrent output).
final class DenseSoftmaxHead {
    let inputSize: Int
    let classes: Int
    private let store: ParameterStore
    private let kernel: Int
    private let bias: Int
    /// Softmax probabilities `[B, C]` after `forward`; dL/dlogits after `backward`.
    let probabilities: FloatBuffer
    private var lastInput: UnsafePointer<Float>?

    init(inputSize: Int, classes: Int, store: ParameterStore, kernel: Int, bias: Int, maxBatch: Int) {
        self.inputSize = inputSize
        self.classes = classes
        self.store = store
        self.kernel = kernel
        self.bias = bias
        probabilities = FloatBuffer(count: maxBatch * classes)
    }

    /// Computes softmax probabilities; returns (summed loss over the batch, number of correct argmax predictions).
    /// The loss is accumulated in double precision so the epoch mean does not drift with batch count.
    func forward(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int) -> (lossSum: Double, correct: Int)
    {
        lastInput = x
        let c = classes
        let logits = probabilities.pointer
        for r in 0..<batch { (logits + r * c).update(from: store.values + bias, count: c) }
        GEMM.multiply(
            m: batch, n: c, k: inputSize, a: x, lda: inputSize, b: store.values + kernel, ldb: c, beta: 1, c: logits,
            ldc: c)
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
        }
        return (lossSum, correct)
    }

    /// dL/dlogits for the mean loss, then dense gradients, then dL/dx `[B, I]` into `dInput`.
    func backward(labels: UnsafePointer<Int32>, batch: Int, dInput: UnsafeMutablePointer<Float>) {
        let c = classes
        let d = probabilities.pointer
        let scale = 1 / Float(batch)
        for r in 0..<batch {
            let row = d + r * c
            row[Int(labels[r])] -= 1
            for j in 0..<c { row[j] *= scale }
        }
        let db = store.gradients + bias
        SequenceGEMM.accumulateBias(d, rows: batch, gates: c, into: db)
        GEMM.multiply(
            transposeA: true, m: inputSize, n: c, k: batch, a: lastInput!, lda: inputSize, b: d, ldb: c, beta: 1,
            c: store.gradients + kernel, ldc: c)
        GEMM.multiply(
            transposeB: true, m: batch, n: inputSize, k: c, a: d, lda: c, b: store.values + kernel, ldb: c, beta: 0,
            c: dInput, ldc: inputSize)
    }
}
