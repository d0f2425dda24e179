/// A model the trainer fits: input `[T, B, D]` time-major Float32 (token ids as exact Floats for token input) → a
/// softmax over C classes trained with categorical cross-entropy, or k regression outputs trained with mean squared
/// error. One file per architecture (`RecurrentNetwork`, `MLPNetwork`), built by its `ModelArchitecture` and listed
/// once in `ModelRegistry`.
public protocol SequenceModel: AnyObject {
    /// Every weight in Keras's `trainable_weights` order, with Keras-like names (`dense/kernel`, …).
    var parameters: ParameterStore { get }
    /// The largest batch the buffers were allocated for.
    var maxBatch: Int { get }
    /// Rows of the Keras `model.summary()` table.
    var summaryRows: [LayerSummary] { get }
    /// What the output layer predicts, and so which targets a step takes and which metrics it sums.
    var task: Task { get }

    /// Forward + backward for one batch: gradients of the MEAN loss are left in `parameters.gradients` (zeroed first).
    /// `x` is `[T, B, D]`. With `training`, dropout masks are drawn from `rng`. Returns the batch's metric sums. When
    /// `inputGradient` is given, dL/dx `[T, B, D]` is written there (value input only).
    @discardableResult
    func trainStep(
        x: UnsafePointer<Float>, targets: BatchTargets, batch: Int, training: Bool, rng: inout RandomSource,
        inputGradient: UnsafeMutablePointer<Float>?
    ) -> BatchResult

    /// Inference: no dropout, no gradients. Returns the batch's metric sums.
    func evaluate(x: UnsafePointer<Float>, targets: BatchTargets, batch: Int) -> BatchResult

    /// The outputs `[B, O]` of the last forward pass: class probabilities, or regression predictions.
    var predictions: [Float] { get }

    /// The class each of the first `batch` examples of the last forward pass was predicted to be (the argmax that
    /// accuracy counts), nil for regression: what a confusion matrix tallies. Valid until the next forward pass.
    func predictedClasses(batch: Int) -> UnsafeBufferPointer<Int32>?
}

extension SequenceModel {
    public var parameterCount: Int { parameters.count }

    /// `trainStep` without an input gradient (in training mode unless told otherwise): the trainer's call.
    @discardableResult
    public func trainStep(
        x: UnsafePointer<Float>, targets: BatchTargets, batch: Int, training: Bool = true, rng: inout RandomSource
    ) -> BatchResult {
        trainStep(x: x, targets: targets, batch: batch, training: training, rng: &rng, inputGradient: nil)
    }

    /// A classification step on class labels `[B]`.
    @discardableResult
    public func trainStep(
        x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, training: Bool = true,
        rng: inout RandomSource, inputGradient: UnsafeMutablePointer<Float>? = nil
    ) -> BatchResult {
        trainStep(
            x: x, targets: .classes(labels), batch: batch, training: training, rng: &rng, inputGradient: inputGradient)
    }

    /// Inference on class labels `[B]`.
    public func evaluate(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int) -> BatchResult {
        evaluate(x: x, targets: .classes(labels), batch: batch)
    }
}
