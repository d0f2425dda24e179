import RNNData
import RNNEngine

/// Everything one training run needs, resolved from the flat parameters (`TrainingParameters`) that both the
/// `train` command and experiment files use.
public struct TrainingConfig: Sendable, Hashable {
    public var parameters: TrainingParameters
    public var dataset: DatasetSpec
    public var optimizer: OptimizerConfig
    public var epochs: Int
    public var batchSize: Int
    public var seed: UInt64

    public init(parameters: TrainingParameters) throws(TrainingError) {
        self.parameters = parameters
        let p = parameters
        dataset = DatasetSpec(
            name: p.string("dataset"), dataDir: p.value("data_dir")?.stringValue,
            view: SequenceView(rawValue: p.string("view")) ?? .rows, limit: p.value("limit")?.intValue,
            validationSplit: p.double("validation_split"), sequenceLength: p.int("sequence_length"),
            samples: p.int("samples"), seed: 1)
        let kind = OptimizerConfig.Kind(rawValue: p.string("optimizer")) ?? .sgd
        optimizer = OptimizerConfig(
            kind: kind, learningRate: Float(p.double("learning_rate")), momentum: Float(p.double("momentum")),
            nesterov: p.bool("nesterov"), clipnorm: p.value("clipnorm")?.doubleValue.map(Float.init))
        epochs = p.int("epochs")
        batchSize = p.int("batch_size")
        seed = UInt64(p.int("seed"))
        do { try optimizer.validate() } catch { throw .configuration(error.description) }
        do { try dataset.validate() } catch { throw .data(error) }
    }

    /// Resolves user overrides (CLI flags or a trial's parameters) against the schema.
    public init(overrides: [String: ParameterValue]) throws(TrainingError) {
        let parameters: TrainingParameters
        do { parameters = try TrainingParameters.resolve(overrides) } catch { throw .configuration(error.description) }
        try self.init(parameters: parameters)
    }

    /// The engine model for data of the given shape.
    public func model(timesteps: Int, features: Int, classes: Int) throws(TrainingError) -> ModelConfig {
        let p = parameters
        let cell: CellKind
        let merge: MergeMode
        let activation: Activation
        do {
            cell = try ModelConfigError.parse(p.string("cell"), option: "cell")
            merge = try ModelConfigError.parse(p.string("merge_mode"), option: "merge_mode")
            activation = try ModelConfigError.parse(p.string("activation"), option: "activation")
        } catch { throw .configuration(error.description) }
        let config = ModelConfig(
            cell: cell, units: p.int("units"), layers: p.int("layers"), bidirectional: p.bool("bidirectional"),
            mergeMode: merge, activation: activation, resetAfter: p.bool("reset_after"),
            dropout: Float(p.double("dropout")), recurrentDropout: Float(p.double("recurrent_dropout")),
            timesteps: timesteps, features: features, classes: classes)
        do { try config.validate() } catch { throw .configuration(error.description) }
        return config
    }
}
