import CKernels
import Testing

@testable import RNNEngine

/// `rnn_lstm_backward_step` (one pass per row) against a scalar reference of the seven passes it replaced, bit for
/// bit, at widths that reach the vector loop with a remainder (the gradient checks use 5 units and never do).
@Suite("LSTM backward step kernel")
struct LSTMBackwardStepTests {
    @Test(arguments: [37, 80])
    func givesTheBitsOfTheSeparatePasses(units h: Int) {
        let batch = 3
        let n = batch * h
        var rng = RandomSource(seed: 12)  // fixed: a failure must reproduce
        let gates = rng.gateRows(batch: batch, units: h, sigmoid: [true, true, false, true])  // i, f, g, o
        let carried = rng.uniform(n)
        let dh = rng.uniform(n)
        let tanhC = rng.uniform(n)
        let cPrev = rng.uniform(n, scale: 2)

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
        #expect(firstBitwiseDifference(p, expectedP) == nil, "gate gradients")
        #expect(firstBitwiseDifference(carry, expectedCarry) == nil, "dL/dc_{t−1}")
    }
}
