import GRDB
import RNNTraining

/// An `epochs` row is the worker's `EpochMetrics` as stored: one type from the worker's event to the report.
extension EpochMetrics {
    /// Reads an `epochs` row. Loss, accuracy and seconds are always written; a NULL among them is a damaged row.
    init(row: Row) throws {
        func required(_ column: String) throws -> Double {
            guard let value = try MetricValue.read(row, column) else {
                throw MetricsStoreError.badMetric(column: "epochs.\(column)", stored: "NULL")
            }
            return value
        }
        self.init(
            epoch: row["epoch"], loss: try required("loss"), accuracy: try required("accuracy"),
            valLoss: try MetricValue.read(row, "val_loss"), valAccuracy: try MetricValue.read(row, "val_accuracy"),
            seconds: try required("seconds"))
    }

    /// Equality that treats NaN as equal to NaN (stored values compare as written).
    public func isIdentical(to other: EpochMetrics) -> Bool {
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
