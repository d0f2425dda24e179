import Testing

@testable import RNNEngine

/// GRU (reset_after) sums its z/r bias gradients once and copies them into the recurrent bias when both biases'
/// gradients start equal, instead of summing the identical columns of q again. These check that shortcut against
/// the full sums, bit for bit, and that a cell still accumulates (+=) onto gradients that start unequal.
@Suite("GRU bias gradients")
struct GRUBiasGradientTests {
    static let (t, batch, d, h) = (5, 4, 3, 40)

    /// A GRU cell with random weights and a fixed input and upstream gradient; `run(start:)` does forward and
    /// backward with the bias gradient starting at `start` and returns where it ended.
    final class Fixture {
        let store = ParameterStore()
        let cell: GRUCell
        let biasOffset: Int
        let x: [Float]
        let upstream: [Float]

        init() {
            let shapes = GRUCell.parameterShapes(inputSize: d, units: h, resetAfter: true)
            let store = self.store
            let offsets = shapes.map { store.reserve(name: "gru/\($0.0)", shape: $0.1) }
            store.seal()
            var rng = RandomSource(seed: 21)  // fixed: a failure must reproduce
            for i in 0..<store.count { store.values[i] = 0.4 * (2 * rng.nextFloat() - 1) }
            biasOffset = offsets[2]
            cell = GRUCell(
                inputSize: d, units: h, resetAfter: true,
                params: CellParameters(store: store, kernel: offsets[0], recurrentKernel: offsets[1], bias: offsets[2]),
                memory: CellMemory(timesteps: t, units: h, gates: 3, maxBatch: batch, masked: false, padded: false))
            x = rng.uniform(t * batch * d)
            upstream = rng.uniform(t * batch * h)
        }

        func run(start: [Float]) -> [Float] {
            store.zeroGradients()
            let db = store.gradients + biasOffset
            start.withUnsafeBufferPointer { db.update(from: $0.baseAddress!, count: 6 * h) }
            var dStates = upstream  // the cell uses it as scratch
            x.withUnsafeBufferPointer { xp in
                cell.forward(x: xp.baseAddress!, window: .all(t, batch: batch), stateMask: nil)
                dStates.withUnsafeMutableBufferPointer {
                    cell.backward(
                        x: xp.baseAddress!, dStates: $0.baseAddress!, lastStepOnly: false,
                        window: .all(t, batch: batch), stateMask: nil, dx: nil)
                }
            }
            return Array(UnsafeBufferPointer(start: db, count: 6 * h))
        }
    }

    @Test func sharedZRSumsEqualTheFullSumsBitForBit() {
        let fixture = Fixture()
        let h = Self.h
        var rng = RandomSource(seed: 3)
        var zr = (0..<(2 * h)).map { _ in rng.nextFloat() - 0.5 }
        zr[0] = 0
        let rest = (0..<h).map { _ in rng.nextFloat() - 0.5 }
        let equalStart = zr + rest + zr + rest.reversed()
        // The same start but for the sign of one zero, which makes the starts differ bitwise (so the cell sums q in
        // full) without changing any sum: −0 + x = +0 + x = x.
        var differentStart = equalStart
        differentStart[3 * h] = -0.0
        let shared = fixture.run(start: equalStart)
        let full = fixture.run(start: differentStart)
        #expect(shared[0] != 0)
        let firstDifference = (0..<(6 * h)).first { shared[$0].bitPattern != full[$0].bitPattern }
        #expect(firstDifference == nil, "element \(firstDifference ?? -1)")
    }

    @Test func accumulatesOntoUnequalStartingGradients() {
        let fixture = Fixture()
        let h = Self.h
        let fromZero = fixture.run(start: [Float](repeating: 0, count: 6 * h))
        var rng = RandomSource(seed: 4)
        let start = (0..<(6 * h)).map { _ in rng.nextFloat() - 0.5 }
        let accumulated = fixture.run(start: start)
        #expect(fromZero.contains { $0 != 0 })
        for i in 0..<(6 * h) {
            let expected = start[i] + fromZero[i]
            #expect(abs(accumulated[i] - expected) <= 1e-5 * (abs(start[i]) + abs(fromZero[i])) + 1e-6, "element \(i)")
        }
    }
}
