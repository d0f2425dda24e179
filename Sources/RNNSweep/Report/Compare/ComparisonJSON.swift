import Foundation
import RNNTraining

/// Renders a ``SweepComparison`` as one JSON object: `a` and `b` (sweep names), `a_database`/`b_database` (the
/// file names when they differ, else null), `metric`, `matched_keys`, `differing_settings`, and `rows`, each with
/// the matched parameters (raw values) and the fields of ``ComparisonCSV`` (`null` where CSV is empty). Keys are
/// sorted; numbers are fractions.
public struct ComparisonJSON: Sendable {
    public init() {}

    public func render(_ comparison: SweepComparison) throws -> String {
        let rows = comparison.rows.map { row in
            var object: [String: ParameterValue?] = [:]
            for key in comparison.matchedKeys { object[key] = .some(row.parameters[key]) }
            for (prefix, side) in [("a", row.first), ("b", row.second)] {
                object["\(prefix)_mean"] = .some(finite(side?.mean))
                object["\(prefix)_std"] = .some(finite(side?.standardDeviation))
                object["\(prefix)_n"] = .some(side.map { .int($0.count) })
            }
            object["difference"] = .some(finite(row.difference))
            object["ci_low"] = .some(finite(row.interval?.low))
            object["ci_high"] = .some(finite(row.interval?.high))
            object["df"] = .some(finite(row.interval?.degreesOfFreedom))
            object["p"] = .some(finite(row.interval?.pValue))
            return object
        }
        let document = Document(
            a: comparison.first.sweep, aDatabase: comparison.first.database, b: comparison.second.sweep,
            bDatabase: comparison.second.database, metric: comparison.metric.rawValue,
            matchedKeys: comparison.matchedKeys, differingSettings: comparison.differingSettings, rows: rows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// The document's shape; field names are the JSON keys.
    private struct Document: Encodable {
        var a: String
        var aDatabase: String?
        var b: String
        var bDatabase: String?
        var metric: String
        var matchedKeys: [String]
        var differingSettings: [String]
        var rows: [[String: ParameterValue?]]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: NameKey.self)
            try container.encode(a, forKey: NameKey("a"))
            try container.encode(aDatabase, forKey: NameKey("a_database"))
            try container.encode(b, forKey: NameKey("b"))
            try container.encode(bDatabase, forKey: NameKey("b_database"))
            try container.encode(metric, forKey: NameKey("metric"))
            try container.encode(matchedKeys, forKey: NameKey("matched_keys"))
            try container.encode(differingSettings, forKey: NameKey("differing_settings"))
            try container.encode(rows, forKey: NameKey("rows"))
        }
    }

    private func finite(_ value: Double?) -> ParameterValue? {
        guard let value, value.isFinite else { return nil }
        return .double(value)
    }
}
