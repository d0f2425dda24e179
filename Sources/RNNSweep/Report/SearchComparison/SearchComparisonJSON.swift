import Foundation
import RNNTraining

/// Renders a ``SearchComparison`` as one JSON object with sorted keys: `database`, `metric`, `test_metric`,
/// `higher_is_better`, `top_k`, `reference_epochs`, `budgets`, `rules`, `methods` (each with its statistics, its
/// mean curve as `{epochs_spent, mean, std, n}` points, and its `sweeps`: each one's anytime curve as
/// `[epochs_spent, best]` steps, total epochs, winner and baseline) and `baselines`. Statistics are
/// `{mean, std, n}`; missing values and non-finite numbers are `null`.
public struct SearchComparisonJSON: Sendable {
    public init() {}

    public func render(_ comparison: SearchComparison) throws -> String {
        let methods: [Item] = comparison.methods.map { method in
            .object([
                "label": .string(method.label),
                "epochs": statistics(method.epochs), "best": statistics(method.best),
                "at_budgets": .array(method.atBudgets.map(statistics)), "winner_test": statistics(method.test),
                "winners_not_best_overall": .int(method.winnersNotBestOverall),
                "curve": .array(
                    method.curve.map { point in
                        .object([
                            "epochs_spent": .int(point.epochsSpent), "mean": .number(point.statistics.mean),
                            "std": .number(point.statistics.standardDeviation),
                            "n": .int(point.statistics.count),
                        ])
                    }),
                "sweeps": .array(method.sweeps.map(sweep)),
            ])
        }
        let baselines: [Item] = comparison.baselines.map { baseline in
            .object([
                "method": .string(baseline.method),
                "label": .string(SearchComparisonText.baselineLabel(baseline, k: comparison.topK)),
                "epochs": statistics(baseline.epochs), "best": statistics(baseline.best),
                "best_final": statistics(baseline.bestFinal),
                "winner_test": statistics(baseline.test),
            ])
        }
        let document = Item.object([
            "database": .string(comparison.database), "metric": .string(comparison.metric.reportName),
            "test_metric": .string(comparison.testMetric.reportName),
            "higher_is_better": .bool(comparison.metric.metric.higherIsBetter), "top_k": .int(comparison.topK),
            "reference_epochs": .int(comparison.referenceEpochs), "budgets": .array(comparison.budgets.map(Item.int)),
            "rules": .array(SearchComparisonText.rules(comparison).map(Item.string)),
            "methods": .array(methods), "baselines": .array(baselines),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    private func sweep(_ sweep: SearchComparison.SweepResult) -> Item {
        let winner: Item =
            sweep.winner.map { winner in
                .object([
                    "grid_point": .int(winner.gridPoint), "value": .number(winner.value),
                    "test": statistics(winner.test), "best_overall": .bool(winner.isBestOverall),
                ])
            } ?? .null
        let baseline: Item =
            sweep.baseline.map { baseline in
                .object([
                    "epochs_spent": .int(baseline.epochsSpent), "kept": .int(baseline.kept),
                    "configurations": .int(baseline.configurations), "best": .number(baseline.best),
                    "best_final": .number(baseline.bestFinal),
                    "grid_point": .int(baseline.gridPoint), "test": statistics(baseline.test),
                ])
            } ?? .null
        return .object([
            "name": .string(sweep.name), "configurations": .int(sweep.configurations), "trials": .int(sweep.trials),
            "total_epochs": .int(sweep.curve.totalEpochs), "final_best": .number(sweep.curve.finalBest),
            "curve": .array(sweep.curve.steps.map { .array([.int($0.epochsSpent), .number($0.best)]) }),
            "winner": winner, "baseline": baseline,
        ])
    }

    private func statistics(_ statistics: SampleStatistics?) -> Item {
        guard let statistics else { return .null }
        return .object([
            "mean": .number(statistics.mean), "std": .number(statistics.standardDeviation),
            "n": .int(statistics.count),
        ])
    }

    /// A JSON value; a missing or non-finite number is `null`.
    private indirect enum Item: Encodable {
        case number(Double?)
        case int(Int)
        case string(String)
        case bool(Bool)
        case array([Item])
        case object([String: Item])
        case null

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .object(let fields):
                var container = encoder.container(keyedBy: NameKey.self)
                for (key, value) in fields { try container.encode(value, forKey: NameKey(key)) }
            case .array(let items):
                var container = encoder.unkeyedContainer()
                for item in items { try container.encode(item) }
            default:
                var container = encoder.singleValueContainer()
                switch self {
                case .number(let value):
                    if let value, value.isFinite { try container.encode(value) } else { try container.encodeNil() }
                case .int(let value): try container.encode(value)
                case .string(let value): try container.encode(value)
                case .bool(let value): try container.encode(value)
                default: try container.encodeNil()
                }
            }
        }
    }
}
