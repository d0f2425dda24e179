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

/// A whole classifier: a stack of recurrent layers over `[batch, timesteps, features]`, then Dense + softmax.
/// Every option means what the Keras option of the same name means.
public struct ModelConfig: Sendable, Codable, Hashable {
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

/// A model option that cannot be built. The description names the option and what is allowed.
public enum ModelConfigError: Error, CustomStringConvertible, Equatable {
    case outOfRange(option: String, value: String, allowed: String)
    case unknownValue(option: String, value: String, allowed: [String])
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case .outOfRange(let option, let value, let allowed):
            "\(option): \(value) is out of range; allowed \(allowed)"
        case .unknownValue(let option, let value, let allowed):
            "\(option): unknown value '\(value)'; allowed: \(allowed.joined(separator: ", "))"
        case .shapeMismatch(let message):
            "shape mismatch: \(message)"
        }
    }

    /// Parses an enum option from text, e.g. `--cell lstm`, naming the allowed values on failure.
    public static func parse<E: RawRepresentable & CaseIterable>(_ text: String, option: String)
        throws(ModelConfigError) -> E
    where E.RawValue == String {
        if let value = E(rawValue: text) { return value }
        throw .unknownValue(option: option, value: text, allowed: E.allCases.map(\.rawValue))
    }
}
