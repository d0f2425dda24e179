/// The recurrent cell type, named as in Keras's `keras.layers`.
public enum CellKind: String, Sendable, Codable, CaseIterable, Hashable {
    case simpleRNN = "simple_rnn"
    case lstm
    case gru

    /// Keras class name, e.g. `SimpleRNN`.
    public var kerasName: String {
        switch self {
        case .simpleRNN: "SimpleRNN"
        case .lstm: "LSTM"
        case .gru: "GRU"
        }
    }

    /// Gate blocks G in the `[·, G·H]` kernels: 1 SimpleRNN, 4 LSTM (i, f, c, o), 3 GRU (z, r, h).
    public var gates: Int {
        switch self {
        case .simpleRNN: 1
        case .lstm: 4
        case .gru: 3
        }
    }
}

/// How `Bidirectional` combines the forward and backward outputs (Keras `merge_mode`).
public enum MergeMode: String, Sendable, Codable, CaseIterable, Hashable {
    case concat, sum, ave, mul
}

/// The recurrent network (`network: rnn`, the default): optionally `Masking(0.0)` or `Embedding`, a stack of recurrent
/// layers over `[batch, timesteps, features]`, then Dense + softmax (classification) or a linear Dense (regression).
/// Every option means what the Keras option of the same name means.
public struct RecurrentConfig: ModelArchitecture, Codable {
    public var cell: CellKind
    public var units: Int
    /// Stacked recurrent layers; all but the last return sequences.
    public var layers: Int
    public var bidirectional: Bool
    public var mergeMode: MergeMode
    /// SimpleRNN activation (LSTM and GRU use tanh/sigmoid as in Keras).
    public var activation: Activation
    /// GRU only: Keras 3 default `true`; `false` is the Keras 2.2 form the book used.
    public var resetAfter: Bool
    /// Fraction of the inputs dropped (one mask per sequence, reused at every timestep).
    public var dropout: Float
    /// Fraction of the recurrent state dropped (one mask per sequence, reused at every timestep).
    public var recurrentDropout: Float
    /// Process the sequence in reverse (Keras `go_backwards`, every layer of the stack); a layer that returns
    /// sequences keeps them in processing (reversed) order, as Keras does. The last layer returns only its final state.
    public var goBackwards: Bool
    /// Which steps are padding: none, or zero steps (`Masking(0.0)`) / token id 0 (`Embedding(mask_zero=True)`).
    public var mask: MaskMode
    /// Values, or token ids through an `Embedding`.
    public var input: InputKind
    /// Token input: rows of the embedding (ids 0..<V).
    public var vocabularySize: Int
    /// Token input: the embedding's width E, the first recurrent layer's input size.
    public var embeddingDim: Int
    public var task: Task
    public var timesteps: Int
    /// Values per step of the input (1 for token ids).
    public var features: Int
    /// Classes, or regression targets.
    public var outputs: Int
    /// Whether a batch computes only the steps where some sequence is real (the default; the same bits either way).
    /// Off only to measure what the skipping saves.
    public var skipsPadding: Bool

    public init(
        cell: CellKind = .simpleRNN, units: Int = 256, layers: Int = 1, bidirectional: Bool = false,
        mergeMode: MergeMode = .concat, activation: Activation = .tanh, resetAfter: Bool = true,
        dropout: Float = 0, recurrentDropout: Float = 0, goBackwards: Bool = false, mask: MaskMode = .none,
        input: InputKind = .values, vocabularySize: Int = 0, embeddingDim: Int = 0, task: Task = .classification,
        timesteps: Int = 28, features: Int = 28, outputs: Int = 10, skipsPadding: Bool = true
    ) {
        self.cell = cell
        self.units = units
        self.layers = layers
        self.bidirectional = bidirectional
        self.mergeMode = mergeMode
        self.activation = activation
        self.resetAfter = resetAfter
        self.dropout = dropout
        self.recurrentDropout = recurrentDropout
        self.goBackwards = goBackwards
        self.mask = mask
        self.input = input
        self.vocabularySize = vocabularySize
        self.embeddingDim = embeddingDim
        self.task = task
        self.timesteps = timesteps
        self.features = features
        self.outputs = outputs
        self.skipsPadding = skipsPadding
    }

    /// The width of the first recurrent layer's input: the embedding's, or the features.
    public var recurrentInputSize: Int { input == .tokens ? embeddingDim : features }

    /// Rejects an impossible model before anything is allocated.
    public func validate() throws(ModelConfigError) {
        if units < 1 { throw .outOfRange(option: "units", value: "\(units)", allowed: "an integer ≥ 1") }
        if layers < 1 { throw .outOfRange(option: "layers", value: "\(layers)", allowed: "an integer ≥ 1") }
        if !(0..<1).contains(dropout) || !dropout.isFinite {
            throw .outOfRange(option: "dropout", value: "\(dropout)", allowed: "[0, 1)")
        }
        if !(0..<1).contains(recurrentDropout) || !recurrentDropout.isFinite {
            throw .outOfRange(option: "recurrent_dropout", value: "\(recurrentDropout)", allowed: "[0, 1)")
        }
        if timesteps < 1 { throw .outOfRange(option: "timesteps", value: "\(timesteps)", allowed: "an integer ≥ 1") }
        if features < 1 { throw .outOfRange(option: "features", value: "\(features)", allowed: "an integer ≥ 1") }
        try Self.validateOutputs(outputs, task: task)
        guard input == .tokens else { return }
        if features != 1 {
            throw .shapeMismatch("token input has one id per step, but the data has \(features) features per step")
        }
        if vocabularySize < 1 || vocabularySize > InputKind.maximumVocabulary {
            throw .outOfRange(
                option: "vocabulary_size", value: "\(vocabularySize)", allowed: "[1, \(InputKind.maximumVocabulary)]")
        }
        if embeddingDim < 1 {
            throw .outOfRange(option: "embedding_dim", value: "\(embeddingDim)", allowed: "an integer ≥ 1")
        }
    }

    /// A classifier needs two classes or more; a regression model one target or more.
    static func validateOutputs(_ outputs: Int, task: Task) throws(ModelConfigError) {
        let least = task == .classification ? 2 : 1
        if outputs < least {
            throw .outOfRange(
                option: task == .classification ? "classes" : "targets", value: "\(outputs)",
                allowed: "an integer ≥ \(least)")
        }
    }
}

extension RecurrentConfig {
    public static let kind = "rnn"
    public static let summary = "SimpleRNN, LSTM or GRU layers"
    public static let options = [
        "cell", "units", "layers", "bidirectional", "merge_mode", "activation", "reset_after", "dropout",
        "recurrent_dropout", "input", "mask", "embedding_dim", "vocabulary_size",
    ]

    public init(options o: [String: ParameterValue], shape: InputShape) throws(ModelConfigError) {
        let input: InputKind = try Self.choice(o, "input")
        // A vocabulary given in the options wins; otherwise the training data's largest id + 1.
        let vocabulary = o["vocabulary_size"]?.intValue ?? shape.tokenVocabulary ?? 0
        self.init(
            cell: try Self.choice(o, "cell"), units: try Self.option(o, "units", \.intValue),
            layers: try Self.option(o, "layers", \.intValue),
            bidirectional: try Self.option(o, "bidirectional", \.boolValue),
            mergeMode: try Self.choice(o, "merge_mode"), activation: try Self.choice(o, "activation"),
            resetAfter: try Self.option(o, "reset_after", \.boolValue),
            dropout: Float(try Self.option(o, "dropout", \.doubleValue)),
            recurrentDropout: Float(try Self.option(o, "recurrent_dropout", \.doubleValue)),
            mask: try Self.choice(o, "mask"), input: input, vocabularySize: input == .tokens ? vocabulary : 0,
            embeddingDim: input == .tokens ? try Self.option(o, "embedding_dim", \.intValue) : 0, task: shape.task,
            timesteps: shape.timesteps, features: shape.features, outputs: shape.outputs)
    }

    public static func label(options: [String: ParameterValue]) -> String {
        let text = options["cell"]?.stringValue ?? CellKind.simpleRNN.rawValue
        let cell = CellKind(rawValue: text)?.kerasName ?? text
        return options["bidirectional"]?.boolValue == true ? "Bidirectional(\(cell))" : cell
    }

    public var shape: InputShape {
        InputShape(
            timesteps: timesteps, features: features, outputs: outputs, task: task,
            tokenVocabulary: input == .tokens ? vocabularySize : nil)
    }

    public func makeModel(maxBatch: Int, seed: UInt64) throws(ModelConfigError) -> any SequenceModel {
        try RecurrentNetwork(config: self, maxBatch: maxBatch, seed: seed)
    }

    /// T × 2·G·H·(D + H) per layer and direction (D: the embedding's width for token input).
    public var forwardFLOPs: Double {
        let g = Double(cell.gates)
        let h = Double(units)
        var d = Double(recurrentInputSize)
        var total = 0.0
        let directions = bidirectional ? 2.0 : 1.0
        for _ in 0..<layers {
            total += directions * Double(timesteps) * 2 * g * h * (d + h)
            d = bidirectional && mergeMode == .concat ? 2 * h : h
        }
        return total
    }

    /// The per-timestep recurrent product `[B, H] × [H, G·H]`.
    public func referenceGEMM(batch: Int) -> (n: Int, k: Int) { (cell.gates * units, units) }
}
