import CKernels
import Testing

@testable import RNNEngine

/// `rnn_lstm_backward_step` (one pass per row) against a scalar reference of the seven passes it replaced, bit for
/// bit, at widths that reach the vector loop with a remainder (the gradient checks use 5 units and never do).
@Suite("LSTM backward step kernel")
struct LSTMBackwardStepTests {
    static func random(_ count: Int, _ rng: inout RandomSource, scale: Float = 1, offset: Float = 0) -> [Float] {
        (0..<count).map { _ in offset + scale * (2 * rng.nextFloat() - 1) }
    }

    @Test(arguments: [37, 80])
    func givesTheBitsOfTheSeparatePasses(units h: Int) {
        let batch = 3
        let n = batch * h
        var rng = RandomSource(seed: 12)  // fixed: a failure must reproduce
        // i, f in (0, 1), g in (−1, 1), o in (0, 1): what the forward pass leaves behind.
        var gates: [Float] = []
        for _ in 0..<batch {
            gates +=
                Self.random(2 * h, &rng, scale: 0.5, offset: 0.5) + Self.random(h, &rng)
                + Self.random(h, &rng, scale: 0.5, offset: 0.5)
        }
        let carried = Self.random(n, &rng)
        let dh = Self.random(n, &rng)
        let tanhC = Self.random(n, &rng)
        let cPrev = Self.random(n, &rng, scale: 2)

        var expectedP = gates
        var expectedCarry = carried
        for r in 0..<batch {
            for j in 0..<h {
                let k = r * h + j
                let a = r * 4 * h + j
                let (i, f, g, o) = (gates[a], gates[a + h], gates[a + 2 * h], gates[a + 3 * h])
                let dc = carried[k] + dh[k] * o * (1 - tanhC[k] * tanhC[k])
                expectedCarry[k] = dc * f
                expectedP[a + h] = dc * cPrev[k] * f * (1 - f)
                expectedP[a + 3 * h] = dh[k] * tanhC[k] * o * (1 - o)
                let dcg = dc * g
                expectedP[a + 2 * h] = dc * i * (1 - g * g)
                expectedP[a] = dcg * i * (1 - i)
            }
        }

        var p = gates
        var carry = carried
        p.withUnsafeMutableBufferPointer { pp in
            carry.withUnsafeMutableBufferPointer { cp in
                rnn_lstm_backward_step(pp.baseAddress!, cp.baseAddress!, dh, tanhC, cPrev, batch, h)
            }
        }
        let badGate = p.indices.first { p[$0].bitPattern != expectedP[$0].bitPattern }
        #expect(badGate == nil, "gate gradient \(badGate ?? -1)")
        let badCarry = carry.indices.first { carry[$0].bitPattern != expectedCarry[$0].bitPattern }
        #expect(badCarry == nil, "dL/dc_{t−1} \(badCarry ?? -1)")
    }
}
