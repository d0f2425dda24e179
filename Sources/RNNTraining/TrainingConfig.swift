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
    /// Batches of training sequences of similar length (`bucket_by_length`).
    public var bucketByLength: Bool
    /// Early stopping (`patience` > 0), or nil.
    public var patience: PatienceRule?
    /// Epochs between checkpoints (`checkpoint_every`); the last epoch, a rung and a stop are always written.
    public var checkpointEvery: Int
    /// Compute the steps where a whole batch is padding instead of skipping them (the same bits, more time): for
    /// measuring what the skipping saves. Not a parameter: it changes no result.
    public var computesPaddedSteps = false
    /// The fingerprint of the data's files (``DataFingerprint``), nil for generated data or when not known: what a
    /// checkpoint is keyed by in place of the data's path.
    public var dataFingerprint: String?

    public init(parameters: TrainingParameters) throws(TrainingError) {
        self.parameters = parameters
        let p = parameters
        dataset = DatasetSpec(
            name: p.string("dataset"), dataDir: p.value("data_dir")?.stringValue,
            view: SequenceView(rawValue: p.string("view")) ?? .rows, limit: p.value("limit")?.intValue,
            validationSplit: p.double("validation_split"), sequenceLength: p.int("sequence_length"),
            samples: p.int("samples"), seed: UInt64(p.int("data_seed")),
            input: InputKind(rawValue: p.value("input")?.stringValue ?? "") ?? .values,
            task: Task(rawValue: p.string("task")) ?? .classification,
            vocabularySize: p.value("vocabulary_size")?.intValue,
            missing: MissingValues(rawValue: p.string("missing")) ?? .none,
            normalize: Normalization(rawValue: p.string("normalize")) ?? .none,
            tokens: Tokenization(rawValue: p.string("tokens")) ?? .words,
            inputScale: Self.inputScale(p.value("input_scale")),
            validation: ValidationSplit(rawValue: p.string("validation")) ?? .last,
            // Variable-length series are padded after their end when a mask skips the padding, and before their
            // start otherwise, so that the output the head reads comes after the real steps. (Only .ts files pad:
            // text pads after, as TextVectorization does.)
            padding: p.string("dataset") == "ts" && p.value("mask")?.stringValue != MaskMode.zeros.rawValue
                ? .pre : .post)
        let kind = OptimizerConfig.Kind(rawValue: p.string("optimizer")) ?? .sgd
        optimizer = OptimizerConfig(
            kind: kind, learningRate: Float(p.double("learning_rate")), momentum: Float(p.double("momentum")),
            nesterov: p.bool("nesterov"), clipnorm: p.value("clipnorm")?.doubleValue.map(Float.init))
        epochs = p.int("epochs")
        batchSize = p.int("batch_size")
        seed = UInt64(p.int("seed"))
        bucketByLength = p.bool("bucket_by_length")
        patience = p.patienceRule
        checkpointEvery = p.value("checkpoint_every")?.intValue ?? 1
        do { try optimizer.validate() } catch { throw .configuration(error.description) }
        do { try dataset.validate() } catch { throw .data(error) }
    }

    /// `input_scale` as the data layer takes it: `auto`, `none` or a factor.
    static func inputScale(_ value: ParameterValue?) -> InputScale {
        switch value {
        case .string("none"): .none
        case .double(let factor): .factor(factor)
        default: .auto
        }
    }

    /// Resolves user overrides (CLI flags or a trial's parameters) against the schema.
    public init(overrides: [String: ParameterValue]) throws(TrainingError) {
        let parameters: TrainingParameters
        do { parameters = try TrainingParameters.resolve(overrides) } catch { throw .configuration(error.description) }
        try self.init(parameters: parameters)
    }

    /// The network for data of the given shape: the kind `network` names, built from the model options it reads.
    public func model(shape: InputShape) throws(TrainingError) -> any ModelArchitecture {
        var architecture = try parameters.model(shape: shape)
        if computesPaddedSteps, var recurrent = architecture as? RecurrentConfig {
            recurrent.skipsPadding = false
            architecture = recurrent
        }
        return architecture
    }
}

extension TrainingParameters {
    /// The early-stopping rule the patience parameters describe, nil with `patience: 0`.
    public var patienceRule: PatienceRule? {
        let patience = value("patience")?.intValue ?? 0
        guard patience > 0, let metric = MetricKey(name: string("patience_metric")) else { return nil }
        return PatienceRule(
            metric: metric, patience: patience, minDelta: double("min_delta"), restoreBest: bool("restore_best"))
    }

    /// The network these parameters build for data of the given shape: the kind `network` names, from the model
    /// options it reads. Needs no dataset (`summary` without data).
    public func model(shape: InputShape) throws(TrainingError) -> any ModelArchitecture {
        let kind = network
        var options: [String: ParameterValue] = [:]
        for name in kind.options { options[name] = value(name) }
        do {
            let architecture = try kind.init(options: options, shape: shape)
            try architecture.validate()
            return architecture
        } catch { throw .configuration(error.description) }
    }
}

extension DatasetSplits {
    /// The shape a model of this data has: its steps and features, its outputs (classes or regression targets), its
    /// task and, for token data, its vocabulary.
    public var inputShape: InputShape {
        InputShape(
            timesteps: timesteps, features: features, outputs: outputs, task: task, tokenVocabulary: tokenVocabulary)
    }
}
