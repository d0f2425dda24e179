/// The book's MLP (`MLPConfig`) as a trainable model: flatten → `layers` × `DenseReLULayer` → `DenseSoftmaxHead` (or
/// `DenseLinearHead` for regression).
///
/// Shapes: T timesteps, B batch, D features, H units, C classes. Input arrives time-major `[T, B, D]`, as for the
/// recurrent model; the model copies it to rows `[B, T·D]` (index t·D + d) itself, a pass that costs little next to
/// the `[B, T·D] × [T·D, H]` product it feeds. Weights are named as Keras's Sequential names them: `dense/kernel`,
/// `dense/bias`, `dense_1/…`, the output layer last. Every buffer is allocated here, once, for `maxBatch`.
public final class MLPNetwork: SequenceModel {
    public let config: MLPConfig
    public let maxBatch: Int
    public let parameters: ParameterStore
    private var hidden: [DenseReLULayer] = []
    private var head: (any OutputHead)!
    /// The input as rows `[B, T·D]`.
    private let flat: FloatBuffer
    /// dL/d(flat input) `[B, T·D]`, only filled when the caller asks for the input gradient.
    private let dFlat: FloatBuffer
    /// dL/d(output of a hidden layer) `[B, H]`, two buffers used in turn going down the stack.
    private let dHidden: [FloatBuffer]
    public private(set) var summaryRows: [LayerSummary] = []

    /// Builds the model and initialises its weights from `seed` (Keras default initializers).
    public init(config: MLPConfig, maxBatch: Int, seed: UInt64) throws(ModelConfigError) {
        try config.validate()
        if maxBatch < 1 { throw .outOfRange(option: "batch_size", value: "\(maxBatch)", allowed: "an integer ≥ 1") }
        self.config = config
        self.maxBatch = maxBatch
        parameters = ParameterStore()
        flat = FloatBuffer(count: maxBatch * config.inputSize)
        dFlat = FloatBuffer(count: maxBatch * config.inputSize)
        dHidden = [FloatBuffer(count: maxBatch * config.units), FloatBuffer(count: maxBatch * config.units)]
        build()
        initializeWeights(seed: seed)
    }

    private func build() {
        let c = config
        var counters: [String: Int] = [:]
        // Keras names a Sequential's layers by class, numbering repeats: dense, dense_1, …; activation, activation_1.
        func uniqueName(_ base: String) -> String {
            let k = counters[base, default: 0]
            counters[base] = k + 1
            return k == 0 ? base : "\(base)_\(k)"
        }
        var slots: [(kernel: Int, bias: Int, inputSize: Int)] = []
        var inputSize = c.inputSize
        let hiddenShape = "(None, \(c.units))"
        for _ in 0..<c.layers {
            let name = uniqueName("dense")
            let kernel = parameters.reserve(name: "\(name)/kernel", shape: [inputSize, c.units])
            let bias = parameters.reserve(name: "\(name)/bias", shape: [c.units])
            slots.append((kernel, bias, inputSize))
            summaryRows.append(
                LayerSummary(
                    name: name, type: "Dense", outputShape: hiddenShape, parameters: inputSize * c.units + c.units))
            summaryRows.append(
                LayerSummary(
                    name: uniqueName("activation"), type: "Activation", outputShape: hiddenShape, parameters: 0))
            summaryRows.append(
                LayerSummary(name: uniqueName("dropout"), type: "Dropout", outputShape: hiddenShape, parameters: 0))
            inputSize = c.units
        }
        let denseName = uniqueName("dense")
        let kernel = parameters.reserve(name: "\(denseName)/kernel", shape: [c.units, c.outputs])
        let bias = parameters.reserve(name: "\(denseName)/bias", shape: [c.outputs])
        let outputShape = "(None, \(c.outputs))"
        summaryRows.append(
            LayerSummary(
                name: denseName, type: "Dense", outputShape: outputShape, parameters: c.units * c.outputs + c.outputs))
        if c.task == .classification {
            summaryRows.append(
                LayerSummary(
                    name: uniqueName("activation"), type: "Activation", outputShape: outputShape, parameters: 0))
        }
        parameters.seal()
        hidden = slots.map {
            DenseReLULayer(
                inputSize: $0.inputSize, units: c.units, dropout: c.dropout, store: parameters, kernel: $0.kernel,
                bias: $0.bias, maxBatch: maxBatch)
        }
        head = OutputHeads.make(
            task: c.task, inputSize: c.units, outputs: c.outputs, store: parameters, kernel: kernel, bias: bias,
            maxBatch: maxBatch)
    }

    /// Keras defaults: kernels glorot_uniform, drawn in `trainable_weights` order from the same stream as the
    /// recurrent model's weights; biases zero (the store starts zeroed, and zeros draw nothing).
    private func initializeWeights(seed: UInt64) {
        var rng = RandomSource(seed: seed, stream: 1)
        for spec in parameters.specs where spec.name.hasSuffix("/kernel") {
            Initializers.glorotUniform(
                parameters.values + spec.offset, rows: spec.shape[0], columns: spec.shape[1], rng: &rng)
        }
    }

    /// `[T, B, D]` → rows `[B, T·D]`: D contiguous floats per (t, b).
    private func flatten(_ x: UnsafePointer<Float>, batch: Int) {
        let (t, d) = (config.timesteps, config.features)
        let width = t * d
        for s in 0..<t {
            for b in 0..<batch { (flat.pointer + b * width + s * d).update(from: x + (s * batch + b) * d, count: d) }
        }
    }

    /// The inverse copy, for the input gradient: rows `[B, T·D]` → `[T, B, D]`.
    private func unflatten(into dx: UnsafeMutablePointer<Float>, batch: Int) {
        let (t, d) = (config.timesteps, config.features)
        let width = t * d
        for s in 0..<t {
            for b in 0..<batch { (dx + (s * batch + b) * d).update(from: dFlat.pointer + b * width + s * d, count: d) }
        }
    }

    public var task: Task { config.task }

    private func forward(
        _ x: UnsafePointer<Float>, targets: BatchTargets, batch: Int, training: Bool, rng: inout RandomSource
    ) -> BatchResult {
        flatten(x, batch: batch)
        var input = UnsafePointer(flat.pointer)
        for layer in hidden { input = layer.forward(input, batch: batch, training: training, rng: &rng) }
        return head.forward(input, targets: targets, batch: batch)
    }

    @discardableResult
    public func trainStep(
        x: UnsafePointer<Float>, targets: BatchTargets, batch: Int, training: Bool, rng: inout RandomSource,
        inputGradient: UnsafeMutablePointer<Float>?
    ) -> BatchResult {
        precondition(batch >= 1 && batch <= maxBatch, "batch \(batch) exceeds the model's maximum \(maxBatch)")
        parameters.zeroGradients()
        let result = forward(x, targets: targets, batch: batch, training: training, rng: &rng)
        var dOut = dHidden[0].pointer
        head.backward(targets: targets, batch: batch, dInput: dOut)
        for l in stride(from: hidden.count - 1, through: 0, by: -1) {
            let dIn: UnsafeMutablePointer<Float>? =
                l > 0 ? dHidden[(hidden.count - l) % 2].pointer : inputGradient == nil ? nil : dFlat.pointer
            hidden[l].backward(dOut, batch: batch, dInput: dIn)
            if let dIn { dOut = dIn }
        }
        if let inputGradient { unflatten(into: inputGradient, batch: batch) }
        return result
    }

    public func evaluate(x: UnsafePointer<Float>, targets: BatchTargets, batch: Int) -> BatchResult {
        precondition(batch >= 1 && batch <= maxBatch, "batch \(batch) exceeds the model's maximum \(maxBatch)")
        var rng = RandomSource(seed: 0)  // not drawn from: no dropout at inference
        return forward(x, targets: targets, batch: batch, training: false, rng: &rng)
    }

    public var predictions: [Float] { head.output.array }

    public func predictedClasses(batch: Int) -> UnsafeBufferPointer<Int32>? { head.predictedClasses(batch: batch) }
}
