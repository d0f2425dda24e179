/// The memory a model holds once built for a largest batch: what `makeModel(maxBatch:seed:)` would allocate,
/// computed from the same shapes without allocating anything, so a sweep can refuse a model that cannot fit before
/// it tries. Counts are in Float32 elements, as Doubles (huge configurations overflow no integer).
public struct ModelMemory: Sendable, Equatable {
    /// Trainable parameters: the weight block (the gradient block and the optimizer's slots are as large again).
    public var parameters: Double
    /// Everything else the model allocates, once: the gradient block, the embedding's slice squares, activations
    /// kept for backpropagation through time (every step's states and gates, per layer and direction), the dL/d
    /// buffers between layers, dropout masks, the head's outputs, timestep masks (bytes counted as a quarter float).
    public var buffers: Double

    public init(parameters: Double, buffers: Double) {
        self.parameters = parameters
        self.buffers = buffers
    }

    /// Bytes of the weights and every buffer.
    public var bytes: Double { 4 * (parameters + buffers) }
}

extension RecurrentConfig {
    /// ``ModelMemory`` of ``RecurrentNetwork`` built for `maxBatch`: one term per buffer of its layers and cells.
    public func memory(maxBatch: Int) -> ModelMemory {
        let b = Double(maxBatch)
        let t = Double(timesteps)
        let h = Double(units)
        var parameters = 0.0
        var buffers = 0.0
        var inputSize = Double(recurrentInputSize)
        let padded = mask == .zeros
        if input == .tokens {
            let table = Double(vocabularySize) * Double(embeddingDim)
            parameters += table
            buffers += table  // slice squares
            buffers += 2 * t * b * Double(embeddingDim)  // the layer's output and dL/d(embedded sequence)
        }
        if padded { buffers += t * b / 4 }  // the batch's step mask, one byte per step
        for layer in 0..<layers {
            let last = layer == layers - 1
            let directions = bidirectional ? 2 : 1
            for direction in 0..<directions {
                let backwards = bidirectional ? direction == 1 : goBackwards
                parameters +=
                    Double(cell.gates) * h * (inputSize + h + 1)
                    + (cell == .gru && resetAfter ? Double(cell.gates) * h : 0)
                buffers += recurrentLayerBuffers(inputSize: inputSize, maxBatch: b, backwards: backwards)
            }
            let outputSize = bidirectional && mergeMode == .concat ? 2 * h : h
            if bidirectional {
                let steps = last ? 1 : t
                buffers += steps * b * outputSize + 2 * steps * b * h + t * b * inputSize
            }
            if !last { buffers += t * b * outputSize }  // dL/d(this layer's output)
            inputSize = outputSize
        }
        let outputs = Double(self.outputs)
        parameters += inputSize * outputs + outputs
        buffers += b * outputs + b * inputSize  // the head's output and dL/d(its input)
        if task == .classification { buffers += b }  // predicted classes (Int32)
        buffers += parameters  // the gradient block
        return ModelMemory(parameters: parameters, buffers: buffers)
    }

    /// One direction of one layer: ``CellMemory``, the cell's gate buffers, the layer's dropout masks and inputs.
    private func recurrentLayerBuffers(inputSize i: Double, maxBatch b: Double, backwards: Bool) -> Double {
        let t = Double(timesteps)
        let h = Double(units)
        let steps = t * b * h
        let padded = mask == .zeros
        var floats = (t + 1) * b * h + b * h + Double(cell.gates) * h * h  // states, carry, Uᵀ
        if recurrentDropout > 0 { floats += steps + b * h }  // masked states, the state mask
        if padded { floats += b * h }  // padding gradient
        switch cell {
        case .simpleRNN: floats += steps
        case .lstm: floats += 4 * steps + (steps + b * h) + steps + b * h + (padded ? b * h : 0)
        case .gru: floats += resetAfter ? 6 * steps : 4 * steps + b * h + h
        }
        if dropout > 0 { floats += b * i }  // the input mask
        if dropout > 0 || backwards { floats += 2 * t * b * i }  // the transformed input and its gradient
        floats += steps  // dL/d(states)
        if padded && backwards { floats += t * b / 4 }  // the reversed step mask
        return floats
    }
}

extension MLPConfig {
    /// ``ModelMemory`` of ``MLPNetwork`` built for `maxBatch`.
    public func memory(maxBatch: Int) -> ModelMemory {
        let b = Double(maxBatch)
        let h = Double(units)
        let outputs = Double(self.outputs)
        let first = Double(inputSize)
        let parameters = first * h + h + Double(max(layers - 1, 0)) * (h * h + h) + h * outputs + outputs
        var buffers = 2 * b * first + 2 * b * h  // the flat input, its gradient, dL/d(hidden) ×2
        buffers += Double(layers) * (2 * b * h + (dropout > 0 ? 2 * b * h : 0))  // activations, dPre, mask, dropped
        buffers += b * outputs + (task == .classification ? b : 0)
        buffers += parameters  // the gradient block
        return ModelMemory(parameters: parameters, buffers: buffers)
    }
}

extension OptimizerConfig {
    /// Floats of the optimizer's slots for `parameters` weights: Adam's two moments, RMSprop's mean square, SGD's
    /// velocity when it has momentum.
    public func slotFloats(parameters: Double) -> Double {
        switch kind {
        case .adam: 2 * parameters
        case .rmsprop: parameters
        case .sgd: momentum > 0 ? parameters : 0
        }
    }
}
