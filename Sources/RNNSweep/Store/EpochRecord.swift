import GRDB

/// Metrics of one finished epoch of one trial (a row of `epochs`). Epochs are numbered from 1, like Keras'
/// `Epoch 1/10`. Any metric may be nil (missing, e.g. no validation split) or non-finite.
public struct EpochRecord: Sendable, Equatable {
    public var epoch: Int
    public var loss: Double?
    public var accuracy: Double?
    public var valLoss: Double?
    public var valAccuracy: Double?
    /// Wall-clock seconds of this epoch.
    public var seconds: Double?

    public init(
        epoch: Int, loss: Double?, accuracy: Double?, valLoss: Double? = nil, valAccuracy: Double? = nil,
        seconds: Double? = nil
    ) {
        self.epoch = epoch
        self.loss = loss
        self.accuracy = accuracy
        self.valLoss = valLoss
        self.valAccuracy = valAccuracy
        self.seconds = seconds
    }

    init(row: Row) throws {
        epoch = row["epoch"]
        loss = try MetricValue.read(row, "loss")
        accuracy = try MetricValue.read(row, "accuracy")
        valLoss = try MetricValue.read(row, "val_loss")
        valAccuracy = try MetricValue.read(row, "val_accuracy")
        seconds = try MetricValue.read(row, "seconds")
    }

    /// Equality that treats NaN as equal to NaN (stored values compare as written).
    public func isIdentical(to other: EpochRecord) -> Bool {
        func same(_ a: Double?, _ b: Double?) -> Bool {
            switch (a, b) {
            case (nil, nil): return true
            case (let x?, let y?): return x == y || (x.isNaN && y.isNaN)
            default: return false
            }
        }
        return epoch == other.epoch && same(loss, other.loss) && same(accuracy, other.accuracy)
            && same(valLoss, other.valLoss) && same(valAccuracy, other.valAccuracy) && same(seconds, other.seconds)
    }
}
