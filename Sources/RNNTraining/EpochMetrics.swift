import Foundation

/// Metrics of one finished epoch, as Keras's `fit` reports them: the training metrics are sample-weighted means over
/// the epoch's batches with dropout active, each batch measured before its own update; the validation metrics are
/// measured after the epoch. One type from the worker's event to the checkpoint, the database and the report.
///
/// JSON (events, checkpoints): flat Keras `history` keys, `{"epoch":3,"loss":…,"accuracy":…,"val_loss":…,
/// "val_accuracy":…,"seconds":…}`, or `mae`/`rmse` for regression; a key is absent when not measured.
public struct EpochMetrics: Sendable, Equatable {
    public var epoch: Int
    /// The training metrics, by metric; always holds `.loss`.
    public var train: [Metric: Double]
    /// The validation metrics, nil without validation data.
    public var validation: [Metric: Double]?
    public var seconds: Double

    public init(epoch: Int, train: [Metric: Double], validation: [Metric: Double]? = nil, seconds: Double = 0) {
        precondition(train[.loss] != nil, "an epoch always has a training loss")
        self.epoch = epoch
        self.train = train
        self.validation = validation
        self.seconds = seconds
    }

    /// The classification form: loss and accuracy, with optional validation loss and accuracy.
    public init(
        epoch: Int, loss: Double, accuracy: Double, valLoss: Double? = nil, valAccuracy: Double? = nil,
        seconds: Double = 0
    ) {
        var validation: [Metric: Double]?
        if valLoss != nil || valAccuracy != nil {
            validation = [:]
            validation![.loss] = valLoss
            validation![.accuracy] = valAccuracy
        }
        self.init(epoch: epoch, train: [.loss: loss, .accuracy: accuracy], validation: validation, seconds: seconds)
    }

    /// The training loss.
    public var loss: Double { train[.loss]! }
    /// Shorthands of a classification epoch's other metrics (nil when not measured).
    public var accuracy: Double? { train[.accuracy] }
    public var valLoss: Double? { validation?[.loss] }
    public var valAccuracy: Double? { validation?[.accuracy] }

    /// The value of a training or validation metric (nil when not measured; test metrics are not per epoch).
    public func value(_ key: MetricKey) -> Double? {
        switch key.split {
        case .train: train[key.metric]
        case .validation: validation?[key.metric]
        case .test: nil
        }
    }

    /// The metrics recorded, in key order: training then validation.
    public var keys: [MetricKey] {
        (train.keys.map { MetricKey(.train, $0) } + (validation?.keys.map { MetricKey(.validation, $0) } ?? []))
            .sorted()
    }
}

extension EpochMetrics: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: NameKey.self)
        let validation = try c.decodeMetrics(.validation, requiringLoss: false)
        self.init(
            epoch: try c.decode(Int.self, forKey: NameKey("epoch")),
            train: try c.decodeMetrics(.train, requiringLoss: true), validation: validation.isEmpty ? nil : validation,
            seconds: try c.decode(Double.self, forKey: NameKey("seconds")))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: NameKey.self)
        try c.encode(epoch, forKey: NameKey("epoch"))
        try c.encode(train, split: .train)
        if let validation { try c.encode(validation, split: .validation) }
        try c.encode(seconds, forKey: NameKey("seconds"))
    }
}
