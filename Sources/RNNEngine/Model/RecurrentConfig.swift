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

/// The recurrent network (`network: rnn`, the default): a stack of recurrent layers over
/// `[batch, timesteps, features]`, then Dense + softmax. Every option means what the Keras option of the same name
/// means.
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
    public var timesteps: Int
    public var features: Int
    public var classes: Int

    public init(
        cell: CellKind = .simpleRNN, units: Int = 256, layers: Int = 1, bidirectional: Bool = false,
        mergeMode: MergeMode = .concat, activation: Activation = .tanh, resetAfter: Bool = true,
        dropout: Float = 0, recurrentDropout: Float = 0, goBackwards: Bool = false,
        timesteps: Int = 28, features: Int = 28, classes: Int = 10
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
        self.timesteps = timesteps
        self.features = features
        self.classes = classes
    }

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
        if classes < 2 { throw .outOfRange(option: "classes", value: "\(classes)", allowed: "an integer ≥ 2") }
    }
}

extension RecurrentConfig {
    public static let kind = "rnn"
    public static let summary = "SimpleRNN, LSTM or GRU layers"
    public static let options = [
        "cell", "units", "layers", "bidirectional", "merge_mode", "activation", "reset_after", "dropout",
        "recurrent_dropout",
    ]

    public init(options o: [String: ParameterValue], shape: InputShape) throws(ModelConfigError) {
        self.init(
            cell: try Self.choice(o, "cell"), units: try Self.option(o, "units", \.intValue),
            layers: try Self.option(o, "layers", \.intValue),
            bidirectional: try Self.option(o, "bidirectional", \.boolValue),
            mergeMode: try Self.choice(o, "merge_mode"), activation: try Self.choice(o, "activation"),
            resetAfter: try Self.option(o, "reset_after", \.boolValue),
            dropout: Float(try Self.option(o, "dropout", \.doubleValue)),
            recurrentDropout: Float(try Self.option(o, "recurrent_dropout", \.doubleValue)),
            timesteps: shape.timesteps, features: shape.features, classes: shape.classes)
    }

    public static func label(options: [String: ParameterValue]) -> String {
        let text = options["cell"]?.stringValue ?? CellKind.simpleRNN.rawValue
        let cell = CellKind(rawValue: text)?.kerasName ?? text
        return options["bidirectional"]?.boolValue == true ? "Bidirectional(\(cell))" : cell
    }

    public var shape: InputShape { InputShape(timesteps: timesteps, features: features, classes: classes) }

    public func makeClassifier(maxBatch: Int, seed: UInt64) throws(ModelConfigError) -> any Classifier {
        try RecurrentClassifier(config: self, maxBatch: maxBatch, seed: seed)
    }

    /// T × 2·G·H·(D + H) per layer and direction.
    public var forwardFLOPs: Double {
        let g = Double(cell.gates)
        let h = Double(units)
        var d = Double(features)
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
