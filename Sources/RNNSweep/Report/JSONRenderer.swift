import Foundation
import RNNCore
import RNNTraining

/// Renders a ``ReportTable`` as a JSON array of row objects with the same machine names as ``CSVRenderer``
/// (`units`, `train_accuracy_mean`, `train_accuracy_std`, …, `n`, `status`, `p_vs_best`, `tied_with_best`).
/// Numbers are fractions; a missing or non-finite statistic is `null` (the row's `status` says why), and so is a
/// parameter the trial does not set. `p_vs_best` is the Holm-adjusted p of Welch's test against the best row
/// (`null` for the best row and rows not compared); `tied_with_best` is `true` for the best row and its ties,
/// `false` for rows that differ, `null` when not compared (``SignificanceSummary``). `diff_vs_best`, `ci95_low`,
/// `ci95_high` (row − best and its 95 % Welch interval, as fractions), `seeds_for_80_power` (for a row the seeds
/// cannot tell from the best: seeds per row to detect its difference at 80 % power) and `at_chance` (a classifier's
/// row against the test set's majority-class rate; `null` when unknown) are ``BestContrast``'s. Results that mix CPU kinds,
/// versions or thread counts add `cpu`, `build` or `threads` to every row, as CSV does. A classifier's rows carry
/// `test_by_class`: per completed trial, its `trial` id, `seed`, `classes` (names from the data files, else
/// indices), `confusion` (`[true][predicted]` counts) and `accuracy` per class (`null` for a class without test
/// examples). With `--objectives`, `pareto` is `true` for the rows on the Pareto front. A search table's rows carry
/// the ``Leaderboard`` fields (`rank`, `objective`, `objective_value`, `decided_epoch`, `stopped_at_rung`). Keys are
/// sorted.
public struct JSONRenderer: Sendable {
    public init() {}

    public func render(_ table: ReportTable) throws -> String {
        let rows = table.rows.enumerated().map { index, row in
            // Optional values encode as JSON null.
            var object: [String: ParameterValue?] = [:]
            for key in table.parameterKeys { object[key] = .some(row.parameters[key]) }
            for metric in table.metrics {
                let statistics = row.statistics[metric]
                object["\(metric.rawValue)_mean"] = .some(finite(statistics?.mean))
                object["\(metric.rawValue)_std"] = .some(finite(statistics?.standardDeviation))
            }
            object["n"] = .int(row.completedCount)
            object["status"] = .string(row.statusText)
            for (key, value) in zip(BestContrast.fieldNames, table.contrastFields(row: index)) {
                object[key] = .some(value)
            }
            object["p_vs_best"] = .some(row.versusBest.pValue.map(ParameterValue.double))
            object["tied_with_best"] = .some(row.versusBest.isTiedWithBest.map(ParameterValue.bool))
            for key in table.machineColumns { object[key] = .some(row.machines[key].map(ParameterValue.string)) }
            if let pareto = table.pareto { object["pareto"] = .bool(pareto.optimal[index]) }
            if let board = table.leaderboard {
                for (key, value) in zip(Leaderboard.fieldNames, board.fields(row)) { object[key] = .some(value) }
            }
            return RowObject(values: object, testByClass: row.testByClass)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
    }

    /// A row: its flat values, and the nested test-by-class results when it has them.
    private struct RowObject: Encodable {
        var values: [String: ParameterValue?]
        var testByClass: [TestByClass]

        struct Trial: Encodable {
            var trial: String
            var seed: Int
            var classes: [String]
            var confusion: [[Int]]
            var accuracy: [Double?]
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: NameKey.self)
            for (key, value) in values { try container.encode(value, forKey: NameKey(key)) }
            guard !testByClass.isEmpty else { return }
            try container.encode(
                testByClass.map {
                    Trial(
                        trial: $0.trialID, seed: $0.seed, classes: $0.classNames, confusion: $0.confusion,
                        accuracy: $0.accuracy)
                }, forKey: NameKey("test_by_class"))
        }
    }

    private func finite(_ value: Double?) -> ParameterValue? {
        guard let value, value.isFinite else { return nil }
        return .double(value)
    }
}
