/// A model the trainer fits: input `[T, B, D]` time-major Float32 → softmax over C classes, trained with
/// categorical cross-entropy. One file per architecture (`RecurrentClassifier`, …), built by its
/// `ModelArchitecture` and listed once in `ModelRegistry`.
public protocol Classifier: AnyObject {
    /// Every weight in Keras's `trainable_weights` order, with Keras-like names (`dense/kernel`, …).
    var parameters: ParameterStore { get }
    /// The largest batch the buffers were allocated for.
    var maxBatch: Int { get }
    /// Rows of the Keras `model.summary()` table.
    var summaryRows: [LayerSummary] { get }

    /// Forward + backward for one batch: gradients of the MEAN loss are left in `parameters.gradients` (zeroed first).
    /// `x` is `[T, B, D]`. With `training`, dropout masks are drawn from `rng`. Returns the summed loss and the number
    /// of correct predictions. When `inputGradient` is given, dL/dx `[T, B, D]` is written there.
    @discardableResult
    func trainStep(
        x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, training: Bool, rng: inout RandomSource,
        inputGradient: UnsafeMutablePointer<Float>?
    ) -> BatchResult

    /// Inference: no dropout, no gradients. Returns the summed loss and correct predictions.
    func evaluate(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int) -> BatchResult

    /// Class probabilities `[B, C]` of the last forward pass.
    var probabilities: [Float] { get }
}

extension Classifier {
    public var parameterCount: Int { parameters.count }

    /// `trainStep` without an input gradient (in training mode unless told otherwise): the trainer's call.
    @discardableResult
    public func trainStep(
        x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, training: Bool = true,
        rng: inout RandomSource
    ) -> BatchResult {
        trainStep(x: x, labels: labels, batch: batch, training: training, rng: &rng, inputGradient: nil)
    }

    /// `trainStep` in training mode that also writes dL/dx (gradient checks, reference tests).
    @discardableResult
    public func trainStep(
        x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, rng: inout RandomSource,
        inputGradient: UnsafeMutablePointer<Float>
    ) -> BatchResult {
        trainStep(x: x, labels: labels, batch: batch, training: true, rng: &rng, inputGradient: inputGradient)
    }
}

/// Summed loss and correct predictions over one batch (sums, so epochs can aggregate exactly as Keras's sample-weighted
/// mean).
public struct BatchResult: Sendable, Equatable {
    public var lossSum: Double
    public var correct: Int
    public var count: Int
    public var meanLoss: Double { lossSum / Double(count) }
}
