/// The shape of one example and of the output: T timesteps of D features (1 for token ids); C classes, or k
/// regression targets.
public struct InputShape: Sendable, Hashable, Codable {
    public var timesteps: Int
    public var features: Int
    /// Classes (classification) or regression targets (regression): the width of the output layer.
    public var outputs: Int
    public var task: Task
    /// For token data: the largest id in the training set + 1, the vocabulary size when none is given.
    public var tokenVocabulary: Int?

    public init(timesteps: Int, features: Int, outputs: Int, task: Task = .classification, tokenVocabulary: Int? = nil)
    {
        self.timesteps = timesteps
        self.features = features
        self.outputs = outputs
        self.task = task
        self.tokenVocabulary = tokenVocabulary
    }
}

/// One kind of network the engine can build (`network: rnn`, `network: mlp`): its configuration, read from the model
/// options of an experiment file, and everything the rest of the program asks of a kind. A new kind is one file
/// conforming to this protocol plus one line in `ModelRegistry.kinds`.
public protocol ModelArchitecture: Sendable, Hashable, Encodable {
    /// The `network:` value that selects this kind.
    static var kind: String { get }
    /// A few words for help texts: "recurrent layers".
    static var summary: String { get }
    /// The model options (experiment-file keys) this kind reads. Every other model option is refused for it.
    static var options: [String] { get }
    /// Reads the options (every name in `options`, validated by the parameter schema) for data of `shape`.
    init(options: [String: ParameterValue], shape: InputShape) throws(ModelConfigError)
    /// How the network reads in reports and summaries, as Keras model code names the layer: `LSTM`,
    /// `Bidirectional(GRU)`, `MLP`. From the options of a stored trial, so missing keys must be tolerated.
    static func label(options: [String: ParameterValue]) -> String

    var shape: InputShape { get }
    /// Rejects an impossible model before anything is allocated.
    func validate() throws(ModelConfigError)
    /// Builds the model and initialises its weights from `seed` (Keras's default initializers).
    func makeModel(maxBatch: Int, seed: UInt64) throws(ModelConfigError) -> any SequenceModel
    /// What the model built for `maxBatch` allocates (``ModelMemory``), without building it.
    func memory(maxBatch: Int) -> ModelMemory
    /// Matmul FLOPs of one example's forward pass (a training step is counted as 3×).
    var forwardFLOPs: Double { get }
    /// `[batch, k] × [k, n]`: the product that dominates a training step, timed alone by `bench` as the reference.
    func referenceGEMM(batch: Int) -> (n: Int, k: Int)
    /// Whether training and evaluation run with subnormals flushed to zero (`DenormalMode`), as TensorFlow does.
    /// Default false: the recurrent kind keeps the exact IEEE arithmetic its recorded results were produced with.
    static var flushesDenormals: Bool { get }
}

extension ModelArchitecture {
    public static var flushesDenormals: Bool { false }

    /// Reads an option that the schema guarantees; a missing or mistyped one is a programming error upstream, but
    /// the engine still answers with a typed error rather than a trap.
    static func option<T>(
        _ options: [String: ParameterValue], _ name: String, _ read: (ParameterValue) -> T?
    ) throws(ModelConfigError) -> T {
        guard let value = options[name], let typed = read(value) else {
            throw .unknownValue(option: name, value: options[name]?.description ?? "missing", allowed: [])
        }
        return typed
    }

    /// Reads an enum option (`cell: lstm`), naming the allowed values on failure.
    static func choice<E: RawRepresentable & CaseIterable>(
        _ options: [String: ParameterValue], _ name: String
    ) throws(ModelConfigError) -> E where E.RawValue == String {
        try ModelConfigError.parse(try option(options, name, \.stringValue), option: name)
    }
}
