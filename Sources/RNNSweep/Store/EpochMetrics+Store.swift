import GRDB
import RNNTraining

/// An `epochs` row is the worker's `EpochMetrics` as stored: one type from the worker's event to the report.
extension EpochMetrics {
    /// Reads an `epochs` row. Loss and seconds are always written; a NULL among them is a damaged row. The other
    /// metrics are those of the trial's task, NULL otherwise.
    init(row: Row) throws {
        func required(_ column: String) throws -> Double {
            guard let value = try MetricValue.read(row, column) else {
                throw MetricsStoreError.badMetric(column: "epochs.\(column)", stored: "NULL")
            }
            return value
        }
        var train: [Metric: Double] = [:]
        var validation: [Metric: Double] = [:]
        for key in MetricColumns.epoch where row.hasColumn(key.recordName) {
            guard let value = try MetricValue.read(row, key.recordName) else { continue }
            if key.split == .train { train[key.metric] = value } else { validation[key.metric] = value }
        }
        train[.loss] = try required(MetricKey.loss.recordName)
        self.init(
            epoch: row["epoch"], train: train, validation: validation.isEmpty ? nil : validation,
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
        return epoch == other.epoch && same(seconds, other.seconds)
            && MetricColumns.epoch.allSatisfy { same(value($0), other.value($0)) }
    }
}
