/// The network of the book's listing 1.5.1, generalised: [`Masking(0.0)` | `Embedding`] → recurrent stack →
/// `Dense(C)` → softmax with categorical cross-entropy, or `Dense(k)` with mean squared error for regression.
///
/// Inputs are time-major `[T, B, D]` Float32 (token ids `[T, B]` as exact Floats; the data layer writes batches in
/// that layout directly). Every buffer is allocated here, once, for `maxBatch`; a step with a smaller (last) batch
/// uses a prefix of each.
public final class RecurrentNetwork: SequenceModel {
    public let config: RecurrentConfig
    public let maxBatch: Int
    public let parameters: ParameterStore
    private var embedding: EmbeddingLayer?
    private var layers: [any SequenceLayer] = []
    private var head: (any OutputHead)!
    /// The batch's timestep mask (`mask: zeros`), nil without one.
    private let stepMask: StepMask?
    /// dL/d(output of layer l) for l < last, `[T, B, O_l]`; and dL/d(last output) `[B, O]`.
    private var layerGradients: [FloatBuffer] = []
    private var headGradient = FloatBuffer(count: 0)
    /// dL/d(embedded sequence) `[T, B, E]` for token input.
    private var embeddingGradient = FloatBuffer(count: 0)
    /// Summary rows: (Keras layer name, type, output shape, parameter count).
    public private(set) var summaryRows: [LayerSummary] = []

    /// Builds the model and initialises its weights from `seed` (Keras default initializers).
    public init(config: RecurrentConfig, maxBatch: Int, seed: UInt64) throws(ModelConfigError) {
        try config.validate()
        if maxBatch < 1 { throw .outOfRange(option: "batch_size", value: "\(maxBatch)", allowed: "an integer ≥ 1") }
        self.config = config
        self.maxBatch = maxBatch
        parameters = ParameterStore()
        stepMask = config.mask == .zeros ? StepMask(timesteps: config.timesteps, maxBatch: maxBatch) : nil
        build()
        initializeWeights(seed: seed)
    }

    public var task: Task { config.task }

    private func build() {
        let c = config
        var inputSize = c.recurrentInputSize
        var counters: [String: Int] = [:]
        func uniqueName(_ base: String) -> String {
            let k = counters[base, default: 0]
            counters[base] = k + 1
            return k == 0 ? base : "\(base)_\(k)"
        }
        var embeddingOffset: Int?
        if c.input == .tokens {
            let name = uniqueName("embedding")
            embeddingOffset = parameters.reserve(name: "\(name)/embeddings", shape: [c.vocabularySize, c.embeddingDim])
            summaryRows.append(
                LayerSummary(
                    name: name, type: "Embedding", outputShape: "(None, \(c.timesteps), \(c.embeddingDim))",
                    parameters: c.vocabularySize * c.embeddingDim))
            embeddingGradient = FloatBuffer(count: c.timesteps * maxBatch * c.embeddingDim)
        } else if c.mask == .zeros {
            summaryRows.append(
                LayerSummary(
                    name: uniqueName("masking"), type: "Masking", outputShape: "(None, \(c.timesteps), \(c.features))",
                    parameters: 0))
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
        let kernel = parameters.reserve(name: "\(denseName)/kernel", shape: [inputSize, c.outputs])
        let bias = parameters.reserve(name: "\(denseName)/bias", shape: [c.outputs])
        summaryRows.append(
            LayerSummary(
                name: denseName, type: "Dense", outputShape: "(None, \(c.outputs))",
                parameters: inputSize * c.outputs + c.outputs))
        if c.task == .classification {
            summaryRows.append(
                LayerSummary(
                    name: uniqueName("activation"), type: "Activation", outputShape: "(None, \(c.outputs))",
                    parameters: 0))
        }
        parameters.seal()
        if let embeddingOffset {
            parameters.trackSliceSquares(of: parameters.specs[0])
            embedding = EmbeddingLayer(
                timesteps: c.timesteps, vocabulary: c.vocabularySize, width: c.embeddingDim, store: parameters,
                offset: embeddingOffset, maxBatch: maxBatch)
        }
        head = OutputHeads.make(
            task: c.task, inputSize: inputSize, outputs: c.outputs, store: parameters, kernel: kernel, bias: bias,
            maxBatch: maxBatch)
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
            masked: c.recurrentDropout > 0, padded: c.mask == .zeros)
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
            recurrentDropout: c.recurrentDropout, returnSequences: returnSequences, goBackwards: goBackwards,
            masked: c.mask == .zeros, skipPadding: c.skipsPadding)
    }

    /// Keras defaults: embeddings uniform in [−0.05, 0.05], kernels glorot_uniform, recurrent kernels orthogonal,
    /// biases zero except the LSTM forget gate (unit_forget_bias = true → 1). Drawn in `trainable_weights` order from
    /// one stream, so a model without an embedding draws exactly what it drew before embeddings existed.
    private func initializeWeights(seed: UInt64) {
        var rng = RandomSource(seed: seed, stream: 1)
        for spec in parameters.specs {
            let out = parameters.values + spec.offset
            if spec.name.hasSuffix("/embeddings") {
                Initializers.uniform(out, count: spec.count, from: -0.05, to: 0.05, rng: &rng)
            } else if spec.name.hasSuffix("/recurrent_kernel") {
                Initializers.orthogonal(out, rows: spec.shape[0], columns: spec.shape[1], rng: &rng)
            } else if spec.name.hasSuffix("/kernel") {
                Initializers.glorotUniform(out, rows: spec.shape[0], columns: spec.shape[1], rng: &rng)
            } else if config.cell == .lstm && spec.name.hasSuffix("/bias") && !spec.name.hasPrefix("dense") {
                let h = config.units
                (out + h).update(repeating: 1, count: h)
            }
        }
    }

    /// The batch's mask from its input (Keras computes it in `Masking` / `Embedding` from the raw input).
    private func computeMask(_ x: UnsafePointer<Float>, batch: Int) -> StepMask? {
        guard let stepMask else { return nil }
        if config.input == .tokens {
            stepMask.compute(tokens: x, batch: batch)
        } else {
            stepMask.compute(values: x, batch: batch, features: config.features)
        }
        return stepMask
    }

    private func forward(
        _ x: UnsafePointer<Float>, targets: BatchTargets, batch: Int, training: Bool, rng: inout RandomSource
    ) -> BatchResult {
        let mask = computeMask(x, batch: batch)
        var input = embedding?.forward(x, batch: batch) ?? x
        for layer in layers { input = layer.forward(input, batch: batch, mask: mask, training: training, rng: &rng) }
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
        head.backward(targets: targets, batch: batch, dInput: headGradient.pointer)
        var dOut = UnsafePointer(headGradient.pointer)
        let firstInputGradient = embedding != nil ? embeddingGradient.pointer : inputGradient
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let dIn = l > 0 ? layerGradients[l - 1].pointer : firstInputGradient
            layers[l].backward(dOut, batch: batch, dInput: dIn)
            if let dIn { dOut = UnsafePointer(dIn) }
        }
        embedding?.backward(embeddingGradient.pointer, batch: batch)
        return result
    }

    public func evaluate(x: UnsafePointer<Float>, targets: BatchTargets, batch: Int) -> BatchResult {
        precondition(batch >= 1 && batch <= maxBatch, "batch \(batch) exceeds the model's maximum \(maxBatch)")
        var rng = RandomSource(seed: 0)
        return forward(x, targets: targets, batch: batch, training: false, rng: &rng)
    }

    public var predictions: [Float] { head.output.array }

    public func predictedClasses(batch: Int) -> UnsafeBufferPointer<Int32>? { head.predictedClasses(batch: batch) }
}
