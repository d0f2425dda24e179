import Testing

@testable import RNNEngine

/// ``ModelMemory`` must name every buffer a model allocates: the floats counted while the model is built equal its
/// figure (but for the byte-sized step masks and Int32 predictions, which are not Float buffers).
@Suite("Model memory matches what a model allocates")
struct ModelMemoryTests {
    struct Case: Sendable, CustomStringConvertible {
        var config: RecurrentConfig
        var description: String {
            "\(config.cell.rawValue) layers=\(config.layers) bidi=\(config.bidirectional) mask=\(config.mask) "
                + "dropout=\(config.dropout)/\(config.recurrentDropout) back=\(config.goBackwards) input=\(config.input)"
        }
    }

    static let cases: [Case] = [
        Case(config: RecurrentConfig(cell: .simpleRNN, units: 16)),
        Case(config: RecurrentConfig(cell: .lstm, units: 16, layers: 2)),
        Case(config: RecurrentConfig(cell: .gru, units: 16, resetAfter: true, dropout: 0.2, recurrentDropout: 0.3)),
        Case(config: RecurrentConfig(cell: .gru, units: 16, layers: 2, resetAfter: false, goBackwards: true)),
        Case(config: RecurrentConfig(cell: .lstm, units: 8, layers: 3, bidirectional: true, mask: .zeros)),
        Case(config: RecurrentConfig(cell: .simpleRNN, units: 8, layers: 2, bidirectional: true, mergeMode: .sum)),
        Case(
            config: RecurrentConfig(
                cell: .lstm, units: 12, layers: 2, dropout: 0.1, mask: .zeros, input: .tokens, vocabularySize: 50,
                embeddingDim: 6, timesteps: 9, features: 1, outputs: 3)),
        Case(config: RecurrentConfig(cell: .gru, units: 10, task: .regression, outputs: 2)),
    ]

    static func counted(_ build: () throws -> Void) rethrows -> Int {
        let count = FloatBuffer.AllocationCount()
        try FloatBuffer.$allocations.withValue(count) { try build() }
        return count.floats
    }

    @Test(arguments: cases)
    func recurrent(_ c: Case) throws {
        let batch = 7
        let floats = try Self.counted { _ = try c.config.makeModel(maxBatch: batch, seed: 1) }
        let config = c.config
        let t = Double(config.timesteps * batch)
        // Not Float buffers: the step masks (a byte per step, one more per backwards layer) and predicted classes.
        let reversed = config.bidirectional ? config.layers : (config.goBackwards ? config.layers : 0)
        var others = config.mask == .zeros ? t / 4 * Double(1 + reversed) : 0
        others += config.task == .classification ? Double(batch) : 0
        let memory = config.memory(maxBatch: batch)
        let model = try config.makeModel(maxBatch: batch, seed: 1)
        #expect(memory.parameters == Double(model.parameters.count))
        #expect(memory.parameters + memory.buffers - others == Double(floats), "\(memory)")
    }

    @Test(arguments: [Float(0), 0.45])
    func mlp(_ dropout: Float) throws {
        let config = MLPConfig(units: 32, layers: 3, dropout: dropout, timesteps: 5, features: 4, outputs: 3)
        let floats = try Self.counted { _ = try config.makeModel(maxBatch: 9, seed: 1) }
        let memory = config.memory(maxBatch: 9)
        #expect(memory.parameters == Double(try config.makeModel(maxBatch: 9, seed: 1).parameters.count))
        #expect(memory.parameters + memory.buffers - 9 == Double(floats), "\(memory)")
    }

    @Test(arguments: [
        OptimizerConfig(kind: .adam), OptimizerConfig(kind: .rmsprop), OptimizerConfig(kind: .sgd),
        OptimizerConfig(kind: .sgd, momentum: 0.9),
    ])
    func optimizerSlots(_ optimizer: OptimizerConfig) throws {
        let model = try RecurrentConfig(cell: .gru, units: 12).makeModel(maxBatch: 4, seed: 1)
        let floats = try Self.counted { _ = try optimizer.make(for: model.parameters) }
        #expect(optimizer.slotFloats(parameters: Double(model.parameters.count)) == Double(floats))
    }
}
