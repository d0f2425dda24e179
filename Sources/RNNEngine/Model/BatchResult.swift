/// Sums over the examples of a batch (or of a whole epoch: results add) of the per-example quantity each metric
/// averages, so an epoch's metrics are exactly Keras's sample-weighted means over its batches. Kept in double
/// precision so that the epoch means do not drift with the number of batches.
public struct BatchResult: Sendable, Equatable {
    /// Examples summed.
    public var count: Int
    /// Σ per-example loss (cross-entropy, or the example's mean squared error over its targets).
    public var lossSum: Double
    /// Examples whose most probable class is the label (classification).
    public var correct: Int
    /// Σ per-example mean absolute error over the targets (regression).
    public var absoluteErrorSum: Double

    public init(count: Int = 0, lossSum: Double = 0, correct: Int = 0, absoluteErrorSum: Double = 0) {
        self.count = count
        self.lossSum = lossSum
        self.correct = correct
        self.absoluteErrorSum = absoluteErrorSum
    }

    /// The mean loss over the summed examples.
    public var meanLoss: Double { lossSum / Double(count) }

    /// The metric's value over the summed examples (NaN when there are none).
    public func value(_ metric: Metric) -> Double {
        let n = Double(count)
        switch metric {
        case .loss: return lossSum / n
        case .accuracy: return Double(correct) / n
        case .mae: return absoluteErrorSum / n
        // Regression's loss is the mean squared error: its sum is the squared errors'.
        case .rmse: return (lossSum / n).squareRoot()
        }
    }

    /// The values of `metrics`, in their order.
    public func values(_ metrics: [Metric]) -> [Metric: Double] {
        Dictionary(uniqueKeysWithValues: metrics.map { ($0, value($0)) })
    }

    public static func += (a: inout BatchResult, b: BatchResult) {
        a.count += b.count
        a.lossSum += b.lossSum
        a.correct += b.correct
        a.absoluteErrorSum += b.absoluteErrorSum
    }
}

/// What a batch is trained towards: one class per example, or k real targets per example.
public enum BatchTargets {
    /// Class indices `[B]`.
    case classes(UnsafePointer<Int32>)
    /// Regression targets `[B, k]`, row-major.
    case values(UnsafePointer<Float>)
}
