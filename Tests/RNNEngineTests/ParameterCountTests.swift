import Testing

@testable import RNNEngine

/// Parameter counts must equal Keras's for the same model (28×28 input, 10 classes).
@Suite("Parameter counts match Keras")
struct ParameterCountTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var config: RecurrentConfig
        var recurrent: Int
        var dense: Int
        var description: String { "\(config.cell.rawValue) \(config.units) bidi=\(config.bidirectional)" }
    }

    static let expectations: [Expectation] = [
        Expectation(config: RecurrentConfig(cell: .simpleRNN, units: 256), recurrent: 72_960, dense: 2_570),
        Expectation(config: RecurrentConfig(cell: .lstm, units: 256), recurrent: 291_840, dense: 2_570),
        Expectation(
            config: RecurrentConfig(cell: .gru, units: 256, resetAfter: true), recurrent: 219_648, dense: 2_570),
        Expectation(
            config: RecurrentConfig(cell: .gru, units: 256, resetAfter: false), recurrent: 218_880, dense: 2_570),
        Expectation(
            config: RecurrentConfig(cell: .simpleRNN, units: 256, bidirectional: true), recurrent: 145_920, dense: 5_130
        ),
        Expectation(config: RecurrentConfig(cell: .simpleRNN, units: 512), recurrent: 276_992, dense: 5_130),
        Expectation(
            config: RecurrentConfig(cell: .lstm, units: 256, bidirectional: true, mergeMode: .sum), recurrent: 583_680,
            dense: 2_570),
    ]

    @Test(arguments: expectations)
    func counts(_ e: Expectation) throws {
        let model = try RecurrentNetwork(config: e.config, maxBatch: 1, seed: 1)
        #expect(model.summaryRows[0].parameters == e.recurrent)
        #expect(model.summaryRows[1].parameters == e.dense)
        #expect(model.parameterCount == e.recurrent + e.dense)
    }

    @Test func bookListingSummary() throws {
        let model = try RecurrentNetwork(config: RecurrentConfig(cell: .simpleRNN, units: 256), maxBatch: 1, seed: 1)
        let text = model.summary()
        #expect(text.contains("simple_rnn (SimpleRNN)       (None, 256)               72,960"))
        #expect(text.contains("dense (Dense)                (None, 10)                2,570"))
        #expect(text.contains("Total params: 75,530"))
    }

    @Test func stackedNamesAndShapes() throws {
        let model = try RecurrentNetwork(
            config: RecurrentConfig(cell: .gru, units: 8, layers: 3), maxBatch: 1, seed: 1)
        #expect(model.summaryRows.map(\.name) == ["gru", "gru_1", "gru_2", "dense", "activation"])
        #expect(
            model.summaryRows.map(\.outputShape) == [
                "(None, 28, 8)", "(None, 28, 8)", "(None, 8)", "(None, 10)", "(None, 10)",
            ])
        let names = model.parameters.specs.map(\.name)
        #expect(names.first == "gru/kernel")
        #expect(names.contains("gru_2/recurrent_kernel"))
    }

    @Test func impossibleModelsAreRejected() {
        #expect(throws: ModelConfigError.outOfRange(option: "units", value: "0", allowed: "an integer ≥ 1")) {
            try RecurrentNetwork(config: RecurrentConfig(units: 0), maxBatch: 1, seed: 1)
        }
        #expect(throws: ModelConfigError.self) {
            try RecurrentNetwork(config: RecurrentConfig(dropout: 1), maxBatch: 1, seed: 1)
        }
        #expect(throws: ModelConfigError.self) {
            try RecurrentNetwork(config: RecurrentConfig(recurrentDropout: -0.1), maxBatch: 1, seed: 1)
        }
        do {
            let _: CellKind = try ModelConfigError.parse("lstmm", option: "cell")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cell: unknown value 'lstmm'; allowed: simple_rnn, lstm, gru")
        }
    }
}
