import RNNData
import RNNEngine

/// A model run over a whole set on the inference path (no dropout): the task's metrics, a classifier's confusion
/// matrix and, when asked, every example's outputs. In batches of the trial's `batch_size` and summed batch by batch
/// as `Trainer`'s test is, so the metrics of a trial's checkpoint on its own test split are the recorded ones, bit
/// for bit.
public struct ModelEvaluation: Sendable {
    /// The task's metrics over the set (loss first).
    public var metrics: [Metric: Double]
    /// `[true class][predicted class]` counts; nil for regression.
    public var confusion: [[Int]]?
    /// Outputs `[N, O]` row-major: class probabilities, or regression predictions. Empty unless asked for.
    public var outputs: [Float]
    /// The argmax class of each example (what accuracy counts); empty for regression or unless outputs were asked.
    public var predictedClasses: [Int32]
    /// O: classes, or regression targets.
    public var width: Int
    /// The batches' metric sums the metrics come from.
    public var sums: BatchResult

    /// Runs `model` (built for batches of at least `batchSize`) over `set`. `classes` is the data's class count
    /// (0 for regression). Runs in the network kind's denormal mode, as training and the trainer's test did.
    public static func run(
        model: any SequenceModel, architecture: any ModelArchitecture, set: SequenceSet, batchSize: Int,
        classes: Int, keepOutputs: Bool = false
    ) -> ModelEvaluation {
        precondition(batchSize >= 1 && batchSize <= model.maxBatch, "batch size \(batchSize) beyond the model's")
        let width = architecture.shape.outputs
        var result = ModelEvaluation(
            metrics: [:],
            confusion: classes > 0 ? [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes) : nil,
            outputs: [], predictedClasses: [], width: width, sums: BatchResult())
        if keepOutputs { result.outputs.reserveCapacity(set.count * width) }
        let input = FloatBuffer(count: set.timesteps * batchSize * set.features)
        let targetValues = FloatBuffer(count: batchSize * max(width, 1))
        var labels = [Int32](repeating: 0, count: batchSize)
        var indices = [Int](repeating: 0, count: batchSize)
        var total = BatchResult()
        DenormalMode.run(flushingDenormals: type(of: architecture).flushesDenormals) {
            var lo = 0
            while lo < set.count {
                let count = min(batchSize, set.count - lo)
                for i in 0..<count { indices[i] = lo + i }
                let batch = indices.withUnsafeBufferPointer { all in
                    set.withBatch(
                        UnsafeBufferPointer(rebasing: all[0..<count]), input: input.pointer, labels: &labels,
                        values: targetValues.pointer
                    ) { model.evaluate(x: input.pointer, targets: $0, batch: count) }
                }
                total += batch
                if let predicted = model.predictedClasses(batch: count) {
                    if result.confusion != nil {
                        for row in 0..<count { result.confusion![Int(labels[row])][Int(predicted[row])] += 1 }
                    }
                    if keepOutputs { result.predictedClasses.append(contentsOf: predicted) }
                }
                if keepOutputs { result.outputs.append(contentsOf: model.predictions.prefix(count * width)) }
                lo += count
            }
        }
        result.sums = total
        result.metrics = total.values(model.task.metrics)
        return result
    }

    /// This evaluation followed by `next` (of the same model): sums, counts and outputs in that order.
    public func followed(by next: ModelEvaluation, task: Task) -> ModelEvaluation {
        var merged = self
        merged.sums += next.sums
        merged.metrics = merged.sums.values(task.metrics)
        if let other = next.confusion, let mine = confusion {
            merged.confusion = zip(mine, other).map { zip($0, $1).map { $0 + $1 } }
        }
        merged.outputs += next.outputs
        merged.predictedClasses += next.predictedClasses
        return merged
    }
}
