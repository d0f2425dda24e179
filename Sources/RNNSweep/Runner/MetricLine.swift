import CProcessControl
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
        return metric.isFraction ? fixed(100 * x, digits: 2) + "%" : fixed(x, digits: 4)
    }

    static func decimal(_ x: Double) -> String { x.isFinite ? fixed(x, digits: 4) : "\(x)" }

    /// `x` with `digits` decimals, as `String(format: "%.4f", x)` writes it, through the C library directly: a log
    /// keeps a line for every epoch, and Foundation's formatting was a visible share of the coordinator's CPU when
    /// small models end thousands of epochs a second.
    static func fixed(_ x: Double, digits: Int) -> String {
        let capacity = 64
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            let written = rnnsweep_format_fixed(buffer.baseAddress!, capacity, x, Int32(digits))
            // Beyond the buffer (|x| above 10^50 or so) the slow path writes it whole.
            guard written >= 0, written < capacity else { return String(format: "%.\(digits)f", x) }
            return String(
                decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: Int(written)), as: UTF8.self)
        }
    }
}
