/// The book's chapter-1 baseline (`network: mlp`, listing 1.3.2): the image flattened to T·D inputs, then `layers` ×
/// [`Dense(units)` → `Activation('relu')` → `Dropout(dropout)`], then `Dense(classes)` → `Activation('softmax')`.
/// The book's model is `layers: 2, units: 256, dropout: 0.45` on 784 pixels: 269,322 parameters.
///
/// Shapes: T timesteps and D features of the sequence the data layer delivers (any view); the flattened input index
/// is t·D + d, so for `view: rows` it is the image's row-major pixel order, as Keras's `reshape(-1, 784)`.
public struct MLPConfig: ModelArchitecture, Codable {
    /// Units of every hidden Dense layer.
    public var units: Int
    /// Hidden Dense layers (the book's: 2).
    public var layers: Int
    /// Fraction of each hidden layer's outputs dropped (a fresh mask per element, example and batch).
    public var dropout: Float
    public var timesteps: Int
    public var features: Int
    /// Classes, or regression targets.
    public var outputs: Int
    public var task: Task

    public init(
        units: Int = 256, layers: Int = 2, dropout: Float = 0, timesteps: Int = 28, features: Int = 28,
        outputs: Int = 10, task: Task = .classification
    ) {
        self.units = units
        self.layers = layers
        self.dropout = dropout
        self.timesteps = timesteps
        self.features = features
        self.outputs = outputs
        self.task = task
    }

    /// T·D, the width of the first Dense layer's input.
    public var inputSize: Int { timesteps * features }

    public func validate() throws(ModelConfigError) {
        if units < 1 { throw .outOfRange(option: "units", value: "\(units)", allowed: "an integer ≥ 1") }
        if layers < 1 { throw .outOfRange(option: "layers", value: "\(layers)", allowed: "an integer ≥ 1") }
        if !(0..<1).contains(dropout) || !dropout.isFinite {
            throw .outOfRange(option: "dropout", value: "\(dropout)", allowed: "[0, 1)")
        }
        if timesteps < 1 { throw .outOfRange(option: "timesteps", value: "\(timesteps)", allowed: "an integer ≥ 1") }
        if features < 1 { throw .outOfRange(option: "features", value: "\(features)", allowed: "an integer ≥ 1") }
        try RecurrentConfig.validateOutputs(outputs, task: task)
    }
}

extension MLPConfig {
    public static let kind = "mlp"
    public static let summary = "Dense + ReLU + Dropout layers on the flattened input, the book's MLP"
    public static let options = ["units", "layers", "dropout"]

    public init(options o: [String: ParameterValue], shape: InputShape) throws(ModelConfigError) {
        self.init(
            units: try Self.option(o, "units", \.intValue), layers: try Self.option(o, "layers", \.intValue),
            dropout: Float(try Self.option(o, "dropout", \.doubleValue)), timesteps: shape.timesteps,
            features: shape.features, outputs: shape.outputs, task: shape.task)
    }

    public static func label(options: [String: ParameterValue]) -> String { "MLP" }

    /// True: a pixel that is zero in every image of a batch gives its 256 first-layer weights exact-zero gradients,
    /// and Adam's moments for them decay into subnormals (Fashion-MNIST's border pixels are often zero), which
    /// slowed a training step about fivefold. TensorFlow, and so Keras, flushes them too.
    public static let flushesDenormals = true

    public var shape: InputShape { InputShape(timesteps: timesteps, features: features, outputs: outputs, task: task) }

    public func makeModel(maxBatch: Int, seed: UInt64) throws(ModelConfigError) -> any SequenceModel {
        try MLPNetwork(config: self, maxBatch: maxBatch, seed: seed)
    }

    /// The hidden Dense layers' products, 2·(T·D·H + (layers − 1)·H·H). As for the recurrent kind, the output head
    /// (`Dense(classes)`, 2·H·C) is not counted. A training step is counted as 3× this although the first layer's
    /// backward computes no input gradient (nobody needs dL/dx in training), so the true training work is nearer
    /// 2× for the first layer; the convention is kept so that model GFLOP/s compare across kinds and with the peers'.
    public var forwardFLOPs: Double {
        let h = Double(units)
        return 2 * (Double(inputSize) * h + Double(layers - 1) * h * h)
    }

    /// The first layer's `[B, T·D] × [T·D, H]`, the largest product of a step.
    public func referenceGEMM(batch: Int) -> (n: Int, k: Int) { (units, inputSize) }
}
