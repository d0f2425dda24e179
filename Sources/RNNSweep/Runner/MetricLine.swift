import Foundation
import RNNTraining

/// How metrics read in one-line logs (`run`'s live view and log lines, `status`): the task's metrics besides the
/// loss, fractions in percent.
enum MetricLine {
    /// The metrics besides the losses: `accuracy 0.9012 val_accuracy 0.8833`, or
    /// `mae 0.2100 rmse 0.3011 val_mae 0.2500 val_rmse 0.3320`.
    static func epoch(_ m: EpochMetrics) -> String {
        m.keys.filter { $0.metric != .loss }.map { "\($0.recordName) \(decimal(m.value($0)!))" }
            .joined(separator: " ")
    }

    /// The headline test metric: `test_accuracy 91.23%`, `test_mae 0.2317`.
    static func test(_ test: [Metric: Double]) -> String {
        let metric = test.keys.filter { $0 != .loss }.sorted().first ?? .loss
        return "\(MetricKey(.test, metric).recordName) \(value(test[metric], metric))"
    }

    /// One value as a table cell shows it: percent for fractions, four decimals otherwise; `-` when absent.
    static func value(_ x: Double?, _ metric: Metric) -> String {
        guard let x else { return "-" }
        guard x.isFinite else { return "\(x)" }
        return metric.isFraction ? String(format: "%.2f%%", 100 * x) : String(format: "%.4f", x)
    }

    static func decimal(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "\(x)" }
}
