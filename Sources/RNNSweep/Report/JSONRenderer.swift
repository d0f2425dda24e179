import Foundation

/// Renders a ``ReportTable`` as a JSON array of row objects with the same machine names as ``CSVRenderer``
/// (`units`, `train_accuracy_mean`, `train_accuracy_std`, …, `n`, `status`). Numbers are fractions; a missing or
/// non-finite statistic is `null` (the row's `status` says why). Keys are sorted for stable output.
public struct JSONRenderer: Sendable {
    public init() {}

    public func render(_ table: ReportTable) throws -> String {
        let rows = table.rows.map { row in
            var object: [String: ParamScalar] = [:]
            for key in table.parameterKeys { object[key] = row.parameters[key] ?? .null }
            for metric in table.metrics {
                let statistics = row.statistics[metric]
                object["\(metric.rawValue)_mean"] = finite(statistics?.mean)
                object["\(metric.rawValue)_std"] = finite(statistics?.standardDeviation)
            }
            object["n"] = .int(Int64(row.completedCount))
            object["status"] = .string(row.statusText)
            return object
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
    }

    private func finite(_ value: Double?) -> ParamScalar {
        guard let value, value.isFinite else { return .null }
        return .double(value)
    }
}
