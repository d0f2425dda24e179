/// The whole classifier of the book's listing 1.5.1, generalised: recurrent stack → Dense(C) → softmax, trained with
/// categorical cross-entropy.
///
/// Inputs are time-major `[T, B, D]` Float32 (the data layer writes batches in that layout directly). Every buffer is
/// allocated here, once, for `maxBatch`; a step with a smaller (last) batch uses a prefix of each.
public final class RecurrentClassifier: Classifier {
    public let config: RecurrentConfig
    public let maxBatch: Int
    public let parameters: ParameterStore
    private var layers: [any SequenceLayer] = []
    private var head: DenseSoftmaxHead!
    /// dL/d(output of layer l) for l < last, `[T, B, O_l]`; and dL/d(last output) `[B, O]`.
    private var layerGradients: [FloatBuffer] = []
    private var headGradient = FloatBuffer(count: 0)
    /// Summary rows: (Keras layer name, type, output shape, parameter count).
    public private(set) var summaryRows: [LayerSummary] = []

    /// Builds the model and initialises its weights from `seed` (Keras default initializers).
    public init(config: RecurrentConfig, maxBatch: Int, seed: UInt64) throws(ModelConfigError) {
        try config.validate()
        if maxBatch < 1 { throw .outOfRange(option: "batch_size", value: "\(maxBatch)", allowed: "an integer ≥ 1") }
        self.config = config
        self.maxBatch = maxBatch
        parameters = ParameterStore()
        build()
        initializeWeights(seed: seed)
    }

    private func build() {
        let c = config
        var inputSize = c.features
        var counters: [String: Int] = [:]
        func uniqueName(_ base: String) -> String {
            let k = counters[base, default: 0]
            counters[base] = k + 1
            return k == 0 ? base : "\(base)_\(k)"
        }
        for l in 0..<c.layers {
            let last = l == c.layers - 1
            let returnSequences = !last
            let before = parameters.count
            let layer: any SequenceLayer
            let name: String
            let type: String
            if c.bidirectional {
                name = uniqueName("bidirectional")
                let fw = makeRecurrentLayer(
                    prefix: "\(name)/forward_\(c.cell.rawValue)", inputSize: inputSize,
                    returnSequences: returnSequences, goBackwards: false)
                let bw = makeRecurrentLayer(
                    prefix: "\(name)/backward_\(c.cell.rawValue)", inputSize: inputSize,
                    returnSequences: returnSequences, goBackwards: true)
                layer = BidirectionalLayer(forward: fw, backward: bw, mergeMode: c.mergeMode, maxBatch: maxBatch)
                type = "Bidirectional"
            } else {
                name = uniqueName(c.cell.rawValue)
                layer = makeRecurrentLayer(
                    prefix: name, inputSize: inputSize, returnSequences: returnSequences, goBackwards: c.goBackwards)
                type = c.cell.kerasName
            }
            layers.append(layer)
            let shape = returnSequences ? "(None, \(c.timesteps), \(layer.outputSize))" : "(None, \(layer.outputSize))"
            summaryRows.append(
                LayerSummary(name: name, type: type, outputShape: shape, parameters: parameters.count - before))
            if !last { layerGradients.append(FloatBuffer(count: c.timesteps * maxBatch * layer.outputSize)) }
            inputSize = layer.outputSize
        }
        let denseName = uniqueName("dense")
        let kernel = parameters.reserve(name: "\(denseName)/kernel", shape: [inputSize, c.classes])
        let bias = parameters.reserve(name: "\(denseName)/bias", shape: [c.classes])
        summaryRows.append(
            LayerSummary(
                name: denseName, type: "Dense", outputShape: "(None, \(c.classes))",
                parameters: inputSize * c.classes + c.classes))
        summaryRows.append(
            LayerSummary(name: "activation", type: "Activation", outputShape: "(None, \(c.classes))", parameters: 0))
        parameters.seal()
        head = DenseSoftmaxHead(
            inputSize: inputSize, classes: c.classes, store: parameters, kernel: kernel, bias: bias, maxBatch: maxBatch)
        headGradient = FloatBuffer(count: maxBatch * inputSize)
    }

    private func makeRecurrentLayer(prefix: String, inputSize: Int, returnSequences: Bool, goBackwards: Bool)
        -> RecurrentLayer
    {
        let c = config
        let shapes: [(String, [Int])]
        switch c.cell {
        case .simpleRNN: shapes = SimpleRNNCell.parameterShapes(inputSize: inputSize, units: c.units)
        case .lstm: shapes = LSTMCell.parameterShapes(inputSize: inputSize, units: c.units)
        case .gru: shapes = GRUCell.parameterShapes(inputSize: inputSize, units: c.units, resetAfter: c.resetAfter)
        }
        let offsets = shapes.map { parameters.reserve(name: "\(prefix)/\($0.0)", shape: $0.1) }
        let params = CellParameters(
            store: parameters, kernel: offsets[0], recurrentKernel: offsets[1], bias: offsets[2])
        let memory = CellMemory(
            timesteps: c.timesteps, units: c.units, gates: c.cell.gates, maxBatch: maxBatch,
            masked: c.recurrentDropout > 0)
        let cell: any RecurrentCell
        switch c.cell {
        case .simpleRNN:
            cell = SimpleRNNCell(
                inputSize: inputSize, units: c.units, activation: c.activation, params: params, memory: memory)
        case .lstm:
            cell = LSTMCell(inputSize: inputSize, units: c.units, params: params, memory: memory)
        case .gru:
            cell = GRUCell(
                inputSize: inputSize, units: c.units, resetAfter: c.resetAfter, params: params, memory: memory)
        }
        return RecurrentLayer(
            cell: cell, timesteps: c.timesteps, maxBatch: maxBatch, dropout: c.dropout,
            recurrentDropout: c.recurrentDropout, returnSequences: returnSequences, goBackwards: goBackwards)
    }

    /// Keras defaults: kernels glorot_uniform, recurrent kernels orthogonal, biases zero except the LSTM forget gate
    /// (unit_forget_bias = true → 1).
    private func initializeWeights(seed: UInt64) {
        var rng = RandomSource(seed: seed, stream: 1)
        for spec in parameters.specs {
            let out = parameters.values + spec.offset
            if spec.name.hasSuffix("/recurrent_kernel") {
                Initializers.orthogonal(out, rows: spec.shape[0], columns: spec.shape[1], rng: &rng)
            } else if spec.name.hasSuffix("/kernel") {
                Initializers.glorotUniform(out, rows: spec.shape[0], columns: spec.shape[1], rng: &rng)
            } else if config.cell == .lstm && spec.name.hasSuffix("/bias") && !spec.name.hasPrefix("dense") {
                let h = config.units
                (out + h).update(repeating: 1, count: h)
            }
        }
    }

    @discardableResult
    public func trainStep(
        x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, training: Bool, rng: inout RandomSource,
        inputGradient: UnsafeMutablePointer<Float>?
    ) -> BatchResult {
        precondition(batch >= 1 && batch <= maxBatch, "batch \(batch) exceeds the model's maximum \(maxBatch)")
        parameters.zeroGradients()
        var input = x
        for layer in layers { input = layer.forward(input, batch: batch, training: training, rng: &rng) }
        let result = head.forward(input, labels: labels, batch: batch)
        head.backward(labels: labels, batch: batch, dInput: headGradient.pointer)
        var dOut = UnsafePointer(headGradient.pointer)
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let dIn = l > 0 ? layerGradients[l - 1].pointer : inputGradient
            layers[l].backward(dOut, batch: batch, dInput: dIn)
            if let dIn { dOut = UnsafePointer(dIn) }
        }
        return BatchResult(lossSum: result.lossSum, correct: result.correct, count: batch)
    }

    public func evaluate(x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int) -> BatchResult {
        precondition(batch >= 1 && batch <= maxBatch, "batch \(batch) exceeds the model's maximum \(maxBatch)")
        var rng = RandomSource(seed: 0)
        var input = x
        for layer in layers { input = layer.forward(input, batch: batch, training: false, rng: &rng) }
        let result = head.forward(input, labels: labels, batch: batch)
        return BatchResult(lossSum: result.lossSum, correct: result.correct, count: batch)
    }

    public var probabilities: [Float] { head.probabilities.array }
}
