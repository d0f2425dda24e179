import Testing

@testable import RNNEngine

@Suite("Initializers")
struct InitializerTests {
    @Test func sameSeedGivesBitIdenticalWeights() throws {
        let config = RecurrentConfig(cell: .lstm, units: 16, bidirectional: true)
        let a = try RecurrentNetwork(config: config, maxBatch: 2, seed: 42)
        let b = try RecurrentNetwork(config: config, maxBatch: 2, seed: 42)
        let c = try RecurrentNetwork(config: config, maxBatch: 2, seed: 43)
        #expect(a.parameters.valueArray.map(\.bitPattern) == b.parameters.valueArray.map(\.bitPattern))
        #expect(a.parameters.valueArray != c.parameters.valueArray)
    }

    @Test func recurrentKernelIsOrthogonalAndKernelWithinGlorotLimit() throws {
        let h = 12
        let model = try RecurrentNetwork(
            config: RecurrentConfig(cell: .gru, units: h, features: 5), maxBatch: 1, seed: 3)
        let u = model.parameters.values(of: model.parameters.spec(named: "gru/recurrent_kernel")!)
        // U is [H, 3H] with orthonormal rows: U·Uᵀ = I.
        for i in 0..<h {
            for j in 0..<h {
                var dot: Float = 0
                for k in 0..<(3 * h) { dot += u[i * 3 * h + k] * u[j * 3 * h + k] }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-5)
            }
        }
        let w = model.parameters.values(of: model.parameters.spec(named: "gru/kernel")!)
        let limit = Float((6.0 / Double(5 + 3 * h)).squareRoot())
        #expect(w.allSatisfy { abs($0) <= limit })
        #expect(w.contains { abs($0) > limit * 0.8 })
    }

    @Test func biasesFollowKerasDefaults() throws {
        let h = 4
        let lstm = try RecurrentNetwork(config: RecurrentConfig(cell: .lstm, units: h), maxBatch: 1, seed: 3)
        let b = lstm.parameters.values(of: lstm.parameters.spec(named: "lstm/bias")!)
        #expect(b == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])  // i, f (unit_forget_bias), c, o
        let gru = try RecurrentNetwork(config: RecurrentConfig(cell: .gru, units: h), maxBatch: 1, seed: 3)
        #expect(gru.parameters.values(of: gru.parameters.spec(named: "gru/bias")!).allSatisfy { $0 == 0 })
        #expect(gru.parameters.spec(named: "gru/bias")!.shape == [2, 3 * h])
    }
}
