import RNNTraining

/// A quantity a report can show per row, with its machine name (CSV/JSON/`--metrics`/`--sort`) as raw value.
///
/// A training or validation metric (`train_accuracy`, `val_mae`) comes from the selected epoch
/// (``ReportOptions/EpochChoice``); a test metric (`test_rmse`) and `seconds` from the trial (test metrics are measured
/// once, on the final model); `epochs` is the number of epochs trained; `best_epoch` is the selected epoch itself
/// (added automatically with `--epoch best`); `params` is the model's trainable parameter count (a cost: lower is
/// better). Which way is better, and how a metric reads, come from its `Metric`.
public enum ReportMetric: Hashable, Sendable, CustomStringConvertible {
    case metric(MetricKey)
    case seconds
    case epochs
    case bestEpoch
    /// Trainable parameters of the trial's model (``TrialParameterCount``).
    case params

    public static let trainAccuracy = ReportMetric.metric(MetricKey(.train, .accuracy))
    public static let testAccuracy = ReportMetric.metric(MetricKey(.test, .accuracy))
    public static let trainLoss = ReportMetric.metric(MetricKey(.train, .loss))
    public static let testLoss = ReportMetric.metric(MetricKey(.test, .loss))
    public static let valAccuracy = ReportMetric.metric(MetricKey(.validation, .accuracy))
    public static let valLoss = ReportMetric.metric(MetricKey(.validation, .loss))

    /// Every metric key in report order, then seconds, epochs, the best epoch and the parameter count.
    public static var allCases: [ReportMetric] {
        MetricKey.all.map { .metric($0) } + [.seconds, .epochs, .bestEpoch, .params]
    }

    /// The columns a report shows by default for a task: the training and test values of its headline metric.
    public static func defaults(for task: Task) -> [ReportMetric] {
        [.metric(MetricKey(.train, task.primaryMetric)), .metric(MetricKey(.test, task.primaryMetric))]
    }

    /// `train_accuracy`, `test_mae`, `seconds`, `epochs`, `best_epoch`.
    public var rawValue: String {
        switch self {
        case .metric(let key): key.reportName
        case .seconds: "seconds"
        case .epochs: "epochs"
        case .bestEpoch: "best_epoch"
        case .params: "params"
        }
    }

    public var description: String { rawValue }

    public init?(rawValue: String) {
        guard let metric = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = metric
    }

    /// Parses a machine name; the error lists the valid ones.
    public static func parse(_ name: String) throws -> ReportMetric {
        guard let metric = ReportMetric(rawValue: name.lowercased()) else {
            throw ReportError.unknownMetric(name, valid: allCases.map(\.rawValue))
        }
        return metric
    }

    /// The metric key, for training, validation and test metrics.
    public var key: MetricKey? {
        if case .metric(let key) = self { return key }
        return nil
    }

    /// The Markdown header: `Train Accuracy, %`, `Val MAE`, `Test Loss`.
    public var title: String {
        switch self {
        case .metric(let key):
            let split =
                switch key.split {
                case .train: "Train"
                case .validation: "Val"
                case .test: "Test"
                }
            return "\(split) \(key.metric.title)" + (key.metric.isFraction ? ", %" : "")
        case .seconds: return "Seconds"
        case .epochs: return "Epochs"
        case .bestEpoch: return "Best Epoch"
        case .params: return "Params"
        }
    }

    /// The metric in running text: `test accuracy`, `train loss`, `val mae`.
    public var phrase: String { rawValue.replacingOccurrences(of: "_", with: " ") }

    /// True when larger is better, false when smaller is, nil when neither (no bold, sorted descending).
    public var higherIsBetter: Bool? {
        switch self {
        case .metric(let key): key.metric.higherIsBetter
        case .seconds, .params: false
        case .epochs, .bestEpoch: nil
        }
    }

    /// Factor applied for display (fractions → percent).
    var displayScale: Double {
        if case .metric(let key) = self, key.metric.isFraction { return 100 }
        return 1
    }

    /// Decimals shown in Markdown: percentages 2, losses and errors 4, seconds and epochs 1, parameter counts 0.
    var displayDecimals: Int {
        switch self {
        case .metric(let key): key.metric.isFraction ? 2 : 4
        case .seconds, .epochs, .bestEpoch: 1
        case .params: 0
        }
    }
}
