/// A quantity measured on every epoch's training and validation data and once on the test data. This is the one
/// declaration of a metric: its name (Keras's name in `history`; rnnsweep adds `val_` and `test_`), which task
/// reports it, which way is better and how it reads. Its value comes from the sums a `BatchResult` keeps.
public enum Metric: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    /// The loss the model trains on: categorical cross-entropy, or mean squared error for regression.
    case loss
    /// Fraction of examples whose most probable class is the label (Keras `accuracy`).
    case accuracy
    /// Mean absolute error (Keras `mean_absolute_error`): per example the mean over its targets, then the mean over
    /// examples.
    case mae
    /// Root mean squared error (Keras `RootMeanSquaredError`): the square root of the mean over examples of each
    /// example's mean squared error.
    case rmse

    /// True when larger is better (accuracy); the losses and errors are better smaller.
    public var higherIsBetter: Bool { self == .accuracy }

    /// True for a fraction that tables show in percent.
    public var isFraction: Bool { self == .accuracy }

    /// How a table header or a chart axis names it: `Accuracy`, `Loss`, `MAE`, `RMSE`.
    public var title: String {
        switch self {
        case .loss: "Loss"
        case .accuracy: "Accuracy"
        case .mae: "MAE"
        case .rmse: "RMSE"
        }
    }

    /// Declaration order: loss first, then the task's own metrics.
    public static func < (a: Metric, b: Metric) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What the model predicts, which decides its output layer, its loss and its metrics.
public enum Task: String, CaseIterable, Codable, Sendable, Hashable {
    /// One class per example: `Dense(C)` → softmax, categorical cross-entropy, accuracy.
    case classification
    /// k real numbers per example: `Dense(k)` with a linear output, mean squared error, MAE and RMSE.
    case regression

    /// The metrics this task reports, loss first.
    public var metrics: [Metric] {
        switch self {
        case .classification: [.loss, .accuracy]
        case .regression: [.loss, .mae, .rmse]
        }
    }

    /// The metric a comparison ranks by when the user names none: accuracy, or the mean absolute error.
    public var primaryMetric: Metric { self == .classification ? .accuracy : .mae }
}

/// Which data a metric is measured on.
public enum MetricSplit: String, CaseIterable, Codable, Sendable, Hashable {
    /// The training data, during the epoch (dropout active, each batch before its own update), as Keras's `fit`.
    case train
    /// The validation data after each epoch.
    case validation
    /// The test data, once, after training.
    case test

    /// The prefix of the metric's name where it is recorded (events, `epochs` and `trials` columns, checkpoints):
    /// Keras's `history` keys (`accuracy`, `val_accuracy`) and rnnsweep's test columns (`test_accuracy`).
    public var recordPrefix: String {
        switch self {
        case .train: ""
        case .validation: "val_"
        case .test: "test_"
        }
    }

    /// The prefix in reports, where every split is named (`train_accuracy`, `val_mae`, `test_rmse`).
    public var reportPrefix: String { self == .train ? "train_" : recordPrefix }
}

/// A metric on a split: `val_accuracy`, `test_mae`.
public struct MetricKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var split: MetricSplit
    public var metric: Metric

    public init(_ split: MetricSplit, _ metric: Metric) {
        self.split = split
        self.metric = metric
    }

    /// The recorded name: `loss`, `val_accuracy`, `test_mae` (event JSON keys and database columns).
    public var recordName: String { split.recordPrefix + metric.rawValue }

    /// The report name: `train_loss`, `val_accuracy`, `test_mae`.
    public var reportName: String { split.reportPrefix + metric.rawValue }

    public var description: String { reportName }

    /// A recorded name (`val_mae`) or a report name (`train_mae`), nil for any other text.
    public init?(name: String) {
        for split in MetricSplit.allCases {
            for metric in Metric.allCases
            where name == split.recordPrefix + metric.rawValue || name == split.reportPrefix + metric.rawValue {
                self.init(split, metric)
                return
            }
        }
        return nil
    }

    public static let loss = MetricKey(.train, .loss)
    public static let accuracy = MetricKey(.train, .accuracy)
    public static let valLoss = MetricKey(.validation, .loss)
    public static let valAccuracy = MetricKey(.validation, .accuracy)

    /// Every key, train then validation then test, each in metric order.
    public static let all: [MetricKey] = MetricSplit.allCases.flatMap { s in Metric.allCases.map { MetricKey(s, $0) } }

    public static func < (a: MetricKey, b: MetricKey) -> Bool {
        let sa = MetricSplit.allCases.firstIndex(of: a.split)!
        let sb = MetricSplit.allCases.firstIndex(of: b.split)!
        return sa != sb ? sa < sb : a.metric < b.metric
    }
}
