import ArgumentParser
import RNNTraining

/// Model options shared by `summary`, `train` and `bench`; names follow the experiment-file keys.
struct ModelOptions: ParsableArguments {
    @Option(help: "Recurrent cell: simple_rnn, lstm or gru.") var cell: String?
    @Option(help: "Units per recurrent layer.") var units: Int?
    @Option(help: "Stacked recurrent layers (all but the last return sequences).") var layers: Int?
    @Flag(help: "Wrap each recurrent layer in Bidirectional.") var bidirectional = false
    @Option(help: "Bidirectional merge mode: concat, sum, ave or mul.") var mergeMode: String?
    @Option(help: "SimpleRNN activation: tanh or relu.") var activation: String?
    @Option(help: "GRU reset_after: true (Keras 3) or false (Keras 2.2, the book's).") var resetAfter: Bool?
    @Option(help: "Input dropout rate in [0, 1).") var dropout: Double?
    @Option(help: "Recurrent dropout rate in [0, 1).") var recurrentDropout: Double?

    var overrides: [String: ParameterValue] {
        var o: [String: ParameterValue] = [:]
        if let cell { o["cell"] = .string(cell) }
        if let units { o["units"] = .int(units) }
        if let layers { o["layers"] = .int(layers) }
        if bidirectional { o["bidirectional"] = .bool(true) }
        if let mergeMode { o["merge_mode"] = .string(mergeMode) }
        if let activation { o["activation"] = .string(activation) }
        if let resetAfter { o["reset_after"] = .bool(resetAfter) }
        if let dropout { o["dropout"] = .double(dropout) }
        if let recurrentDropout { o["recurrent_dropout"] = .double(recurrentDropout) }
        return o
    }
}

/// Optimizer, schedule and data options of `train`.
struct TrainingOptions: ParsableArguments {
    @Option(help: "Optimizer: sgd, rmsprop or adam.") var optimizer: String?
    @Option(help: "Learning rate (default: Keras's for the optimizer).") var learningRate: Double?
    @Option(help: "SGD momentum in [0, 1).") var momentum: Double?
    @Flag(help: "SGD with Nesterov momentum.") var nesterov = false
    @Option(help: "Clip each weight's gradient to this L2 norm (Keras clipnorm).") var clipnorm: Double?
    @Option(help: "Epochs.") var epochs: Int?
    @Option(help: "Batch size.") var batchSize: Int?
    @Option(help: "Seed for weights, dropout and shuffling.") var seed: Int?
    @Option(help: "Dataset: fashion-mnist, mnist, npz, adding, parity or sum-sign.") var dataset: String?
    @Option(help: "Directory of MNIST IDX files / mnist.npz, or the .npz file for --dataset npz.") var dataDir: String?
    @Option(help: "How an image becomes a sequence: rows, columns or pixels.") var view: String?
    @Option(help: "Use only the first N training examples.") var limit: Int?
    @Option(help: "Fraction of the training set (its end, as Keras) held out for validation.") var validationSplit:
        Double?
    @Option(help: "Sequence length of the synthetic tasks.") var sequenceLength: Int?
    @Option(help: "Training examples of the synthetic tasks.") var samples: Int?

    var overrides: [String: ParameterValue] {
        var o: [String: ParameterValue] = [:]
        if let optimizer { o["optimizer"] = .string(optimizer) }
        if let learningRate { o["learning_rate"] = .double(learningRate) }
        if let momentum { o["momentum"] = .double(momentum) }
        if nesterov { o["nesterov"] = .bool(true) }
        if let clipnorm { o["clipnorm"] = .double(clipnorm) }
        if let epochs { o["epochs"] = .int(epochs) }
        if let batchSize { o["batch_size"] = .int(batchSize) }
        if let seed { o["seed"] = .int(seed) }
        if let dataset { o["dataset"] = .string(dataset) }
        if let dataDir { o["data_dir"] = .string(dataDir) }
        if let view { o["view"] = .string(view) }
        if let limit { o["limit"] = .int(limit) }
        if let validationSplit { o["validation_split"] = .double(validationSplit) }
        if let sequenceLength { o["sequence_length"] = .int(sequenceLength) }
        if let samples { o["samples"] = .int(samples) }
        return o
    }
}
